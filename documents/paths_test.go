package documents_test

import (
	"slices"
	"testing"

	"github.com/google/uuid"
	"github.com/kollab/kollab/documents"
	"github.com/kollab/kollab/internal/db"
	"github.com/kollab/kollab/internal/db/dbtest"
	"github.com/kollab/kollab/tenant"
)

// Someone granted a folder deep in the tree finds it among their entry
// points, and its breadcrumb starts there.
func TestEntryPointsAndPaths(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		ag := w.a
		top := w.folder(t, ag.admin, uuid.Nil, "Amt")
		mid := w.folder(t, ag.admin, top.ID, "Bau")
		deep := w.folder(t, ag.admin, mid.ID, "Anträge")
		sub := w.folder(t, ag.admin, deep.ID, "2026")
		other := w.folder(t, ag.admin, uuid.Nil, "Personal")
		w.grant(t, ag.admin, deep.ID, documents.UserPrincipal(ag.alice.MembershipID), documents.Read)

		names := func(a tenant.Actor) []string {
			t.Helper()
			p, err := w.svc.ListFolders(ctx, a, uuid.Nil, documents.Page{})
			must(t, err)
			var out []string
			for _, f := range p.Folders {
				out = append(out, f.Name)
			}
			return out
		}
		if got := names(ag.alice); !slices.Equal(got, []string{"Anträge"}) {
			t.Fatalf("alice's entry points: %v", got)
		}
		if got := names(ag.admin); !slices.Equal(got, []string{"Amt", "Personal"}) {
			t.Fatalf("admin's roots: %v", got)
		}
		if got := names(ag.bob); len(got) != 0 {
			t.Fatalf("bob sees %v", got)
		}
		path := func(a tenant.Actor, id uuid.UUID) []string {
			t.Helper()
			p, err := w.svc.FolderPath(ctx, a, id)
			must(t, err)
			var out []string
			for _, f := range p {
				out = append(out, f.Name)
			}
			return out
		}
		if got := path(ag.alice, sub.ID); !slices.Equal(got, []string{"Anträge", "2026"}) {
			t.Fatalf("alice's path: %v", got)
		}
		if got := path(ag.admin, sub.ID); !slices.Equal(got, []string{"Amt", "Bau", "Anträge", "2026"}) {
			t.Fatalf("admin's path: %v", got)
		}
		_, err := w.svc.FolderPath(ctx, ag.alice, other.ID)
		wantCode(t, err, "not-found", "path of an unreadable folder")
		_, err = w.svc.FolderPath(ctx, w.b.admin, sub.ID)
		wantCode(t, err, "not-found", "path in another tenant")
	})
}

// A folder and a document's file name share one namespace per folder (as
// in WebDAV); a title is no name.
func TestFolderAndDocumentNamesDoNotClash(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		ag := w.a
		top := w.folder(t, ag.admin, uuid.Nil, "Amt")
		w.doc(t, ag.admin, top.ID, "Bericht")
		_, err := w.svc.CreateFolder(ctx, ag.admin, top.ID, "bericht")
		wantCode(t, err, "conflict", "folder named like a document")
		sub := w.folder(t, ag.admin, top.ID, "Anlagen")
		_, err = w.svc.CreateDocument(ctx, ag.admin, top.ID, documents.DocumentInput{FileName: "ANLAGEN"})
		wantCode(t, err, "conflict", "document named like a folder")
		titled, err := w.svc.CreateDocument(ctx, ag.admin, top.ID, documents.DocumentInput{Title: "ANLAGEN"})
		if err != nil || titled.FileName != "ANLAGEN (2)" {
			t.Fatalf("document titled like a folder: %+v %v", titled, err)
		}
		_, err = w.svc.RenameFolder(ctx, ag.admin, sub.ID, "Bericht")
		wantCode(t, err, "conflict", "rename a folder onto a document's name")
		other := w.folder(t, ag.admin, uuid.Nil, "Ablage")
		moved := w.doc(t, ag.admin, other.ID, "Anlagen")
		_, err = w.svc.MoveDocument(ctx, ag.admin, moved.ID, top.ID, 0)
		wantCode(t, err, "conflict", "move a document next to a folder of its name")
		x := w.doc(t, ag.admin, top.ID, "Neu")
		name := "Anlagen"
		_, err = w.svc.UpdateDocument(ctx, ag.admin, x.ID, x.Version, documents.DocumentPatch{FileName: &name})
		wantCode(t, err, "conflict", "rename a document to a folder's name")
		w.folder(t, ag.admin, top.ID, "Beilagen")
		title := "Beilagen"
		if _, err := w.svc.UpdateDocument(ctx, ag.admin, x.ID, x.Version, documents.DocumentPatch{Title: &title}); err != nil {
			t.Fatalf("retitle a document like a folder: %v", err)
		}
	})
}

func TestExactLookups(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		ag := w.a
		top := w.folder(t, ag.admin, uuid.Nil, "Amt")
		deep := w.folder(t, ag.admin, top.ID, "Anträge")
		doc := w.doc(t, ag.admin, deep.ID, "Bauantrag Müller.pdf")
		w.doc(t, ag.admin, deep.ID, "Zweites.pdf")
		w.grant(t, ag.admin, deep.ID, documents.UserPrincipal(ag.alice.MembershipID), documents.Read)

		f, err := w.svc.FolderByName(ctx, ag.alice, uuid.Nil, "ANTRÄGE")
		if err != nil || f.ID != deep.ID {
			t.Fatalf("alice's entry folder by name: %+v %v", f, err)
		}
		_, err = w.svc.FolderByName(ctx, ag.alice, uuid.Nil, "Amt")
		wantCode(t, err, "not-found", "an unreadable root by name")
		got, err := w.svc.DocumentByTitle(ctx, ag.alice, deep.ID, "bauantrag müller.pdf")
		if err != nil || got.ID != doc.ID {
			t.Fatalf("document by title: %+v %v", got, err)
		}
		_, err = w.svc.DocumentByTitle(ctx, ag.bob, deep.ID, "Bauantrag Müller.pdf")
		wantCode(t, err, "not-found", "a document in an unreadable folder")
		_, err = w.svc.DocumentByTitle(ctx, w.b.admin, deep.ID, "Bauantrag Müller.pdf")
		wantCode(t, err, "not-found", "another tenant's document by title")
		docs, more, err := w.svc.FolderDocuments(ctx, ag.alice, deep.ID, 1)
		if err != nil || len(docs) != 1 || !more || docs[0].Access != documents.Read {
			t.Fatalf("folder documents: %+v %v %v", docs, more, err)
		}
		_, _, err = w.svc.FolderDocuments(ctx, ag.bob, deep.ID, 10)
		wantCode(t, err, "not-found", "listing an unreadable folder")
	})
}
