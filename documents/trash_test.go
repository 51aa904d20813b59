package documents_test

import (
	"slices"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/kollab/kollab/documents"
	"github.com/kollab/kollab/internal/db"
	"github.com/kollab/kollab/internal/db/dbtest"
	"github.com/kollab/kollab/internal/errs"
	"github.com/kollab/kollab/tenant"
)

const day = 24 * time.Hour

func trashIDs(t *testing.T, w *world, a tenant.Actor) []uuid.UUID {
	t.Helper()
	page, err := w.svc.ListTrash(ctx, a, documents.Page{Limit: 200})
	must(t, err)
	out := []uuid.UUID{}
	for _, it := range page.Items {
		out = append(out, it.ID)
	}
	return out
}

func TestTrashAndRestore(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		ag := w.a
		root := w.folder(t, ag.admin, uuid.Nil, "Akten")
		sub := w.folder(t, ag.admin, root.ID, "Bau")
		inner := w.folder(t, ag.admin, sub.ID, "2026")
		w.grant(t, ag.admin, root.ID, documents.RolePrincipal(tenant.RoleStaff), documents.Write)
		w.grant(t, ag.admin, root.ID, documents.UserPrincipal(ag.carol.MembershipID), documents.Manage)
		single := w.doc(t, ag.alice, sub.ID, "Einzeln")
		earlier := w.doc(t, ag.alice, inner.ID, "Vorher gelöscht")
		withFolder := w.doc(t, ag.alice, inner.ID, "Mit Ordner")

		// A document to the trash and back.
		must(t, w.svc.DeleteDocument(ctx, ag.alice, single.ID, 0))
		_, err := w.svc.GetDocument(ctx, ag.alice, single.ID)
		wantCode(t, err, errs.NotFound, "trashed document")
		if w.visibleDocs(t, ag.alice)[single.ID] {
			t.Fatal("trashed document listed")
		}
		if got := trashIDs(t, w, ag.alice); !slices.Equal(got, []uuid.UUID{single.ID}) {
			t.Fatalf("trash: %v", got)
		}
		if got := trashIDs(t, w, ag.dave); len(got) != 0 {
			t.Fatalf("dave sees trash: %v", got)
		}
		back, err := w.svc.RestoreDocument(ctx, ag.bob, single.ID)
		must(t, err)
		if back.DeletedAt != nil || back.FolderID != sub.ID {
			t.Fatalf("restored: %+v", back)
		}
		_, err = w.svc.RestoreDocument(ctx, ag.bob, single.ID)
		wantCode(t, err, errs.NotFound, "restore a live document")

		// A folder: writers may not trash it (manage), managers may; the
		// subtree goes with it, and only its root shows in the trash.
		must(t, w.svc.DeleteDocument(ctx, ag.alice, earlier.ID, 0))
		w.clock.Advance(time.Minute)
		wantCode(t, w.svc.DeleteFolder(ctx, ag.alice, sub.ID), errs.Forbidden, "writer trashes a folder")
		must(t, w.svc.DeleteFolder(ctx, ag.carol, sub.ID))
		for _, id := range []uuid.UUID{sub.ID, inner.ID} {
			_, err := w.svc.GetFolder(ctx, ag.admin, id)
			wantCode(t, err, errs.NotFound, "trashed folder")
		}
		if got := trashIDs(t, w, ag.carol); !slices.Equal(got, []uuid.UUID{sub.ID, earlier.ID}) {
			t.Fatalf("trash after folder delete: %v", got)
		}
		if got := w.childNames(t, ag.admin, root.ID); len(got) != 0 {
			t.Fatalf("children after trash: %v", got)
		}
		// Nothing goes into a trashed folder; its parts come back only with it.
		_, err = w.svc.CreateDocument(ctx, ag.admin, inner.ID, documents.DocumentInput{Title: "x"})
		wantCode(t, err, errs.NotFound, "create in a trashed folder")
		_, err = w.svc.RestoreDocument(ctx, ag.alice, withFolder.ID)
		wantCode(t, err, errs.Conflict, "restore a document trashed with its folder")
		_, err = w.svc.RestoreDocument(ctx, ag.alice, earlier.ID)
		wantCode(t, err, errs.Conflict, "restore into a trashed folder")
		// The name is free while the folder is in the trash...
		again := w.folder(t, ag.admin, root.ID, "Bau")
		_, err = w.svc.RestoreFolder(ctx, ag.carol, sub.ID)
		wantCode(t, err, errs.Conflict, "restore onto a taken name")
		_, err = w.svc.RenameFolder(ctx, ag.admin, again.ID, "Bau (neu)")
		must(t, err)
		_, err = w.svc.RestoreFolder(ctx, ag.alice, sub.ID)
		wantCode(t, err, errs.Forbidden, "writer restores a folder")
		f, err := w.svc.RestoreFolder(ctx, ag.carol, sub.ID)
		must(t, err)
		if f.DeletedAt != nil {
			t.Fatalf("restored folder: %+v", f)
		}
		// ...and what was trashed before stays in the trash.
		if _, err := w.svc.GetDocument(ctx, ag.alice, withFolder.ID); err != nil {
			t.Fatalf("document restored with folder: %v", err)
		}
		if got := trashIDs(t, w, ag.alice); !slices.Equal(got, []uuid.UUID{earlier.ID}) {
			t.Fatalf("trash after restore: %v", got)
		}
		if _, err := w.svc.RestoreDocument(ctx, ag.alice, earlier.ID); err != nil {
			t.Fatal(err)
		}
		for action, want := range map[string]int64{documents.ActionDocumentTrashed: 2, documents.ActionDocumentRestored: 2,
			documents.ActionFolderTrashed: 1, documents.ActionFolderRestored: 1} {
			if got := w.auditCount(t, ag.tenant.ID, action); got != want {
				t.Fatalf("%s: %d events, want %d", action, got, want)
			}
		}
		checkScope(t, w, ag.tenant.ID)
	})
}

func TestRetentionAndPurge(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		ag := w.a
		root := w.folder(t, ag.admin, uuid.Nil, "Akten")
		kept := w.folder(t, ag.admin, root.ID, "Langfristig") // inherits 30 days from root
		quick := w.folder(t, ag.admin, root.ID, "Kurzfristig")
		w.grant(t, ag.admin, root.ID, documents.UserPrincipal(ag.carol.MembershipID), documents.Manage)
		w.grant(t, ag.admin, root.ID, documents.UserPrincipal(ag.alice.MembershipID), documents.Write)
		_, err := w.svc.SetFolderRetention(ctx, ag.carol, root.ID, ptr(30))
		wantCode(t, err, errs.Forbidden, "manager sets retention")
		_, err = w.svc.SetFolderRetention(ctx, ag.admin, root.ID, ptr(-1))
		wantCode(t, err, errs.Invalid, "negative retention")
		_, err = w.svc.SetFolderRetention(ctx, ag.admin, root.ID, ptr(30))
		must(t, err)
		_, err = w.svc.SetFolderRetention(ctx, ag.admin, quick.ID, ptr(0))
		must(t, err)
		long := w.doc(t, ag.alice, kept.ID, "Bescheid")
		short := w.doc(t, ag.alice, quick.ID, "Notiz")
		must(t, w.svc.DeleteDocument(ctx, ag.alice, long.ID, 0))
		must(t, w.svc.DeleteDocument(ctx, ag.alice, short.ID, 0))
		page, err := w.svc.ListTrash(ctx, ag.alice, documents.Page{})
		must(t, err)
		for _, it := range page.Items {
			if it.ID == long.ID && (it.RetentionDays != 30 || !it.PurgeableAt.Equal(it.DeletedAt.Add(30*day))) {
				t.Fatalf("trash item: %+v", it)
			}
		}

		_, err = w.svc.PurgeDocument(ctx, ag.alice, short.ID)
		wantCode(t, err, errs.Forbidden, "writer purges")
		_, err = w.svc.PurgeDocument(ctx, ag.carol, long.ID)
		wantCode(t, err, errs.Conflict, "purge within retention")
		res, err := w.svc.EmptyTrash(ctx, ag.carol)
		must(t, err)
		if !slices.Equal(res.Documents, []uuid.UUID{short.ID}) || res.More {
			t.Fatalf("first empty: %+v", res)
		}
		w.clock.Advance(30*day - time.Minute)
		res, err = w.svc.EmptyTrash(ctx, ag.carol)
		must(t, err)
		if len(res.Documents) != 0 {
			t.Fatalf("purged within retention: %+v", res)
		}
		// Raising the retention later applies to what is already trashed.
		_, err = w.svc.SetFolderRetention(ctx, ag.admin, kept.ID, ptr(60))
		must(t, err)
		w.clock.Advance(2 * time.Minute)
		_, err = w.svc.PurgeDocument(ctx, ag.carol, long.ID)
		wantCode(t, err, errs.Conflict, "purge within the raised retention")
		_, err = w.svc.SetFolderRetention(ctx, ag.admin, kept.ID, nil) // back to the root's 30 days
		must(t, err)
		res, err = w.svc.PurgeDocument(ctx, ag.carol, long.ID)
		must(t, err)
		if !slices.Equal(res.Documents, []uuid.UUID{long.ID}) || res.FreedBytes != 0 {
			t.Fatalf("purge: %+v", res)
		}
		_, err = w.svc.RestoreDocument(ctx, ag.admin, long.ID)
		wantCode(t, err, errs.NotFound, "restore a purged document")
		if got := w.auditCount(t, ag.tenant.ID, documents.ActionDocumentPurged); got != 2 {
			t.Fatalf("purge events: %d", got)
		}

		// A folder is purged with its subtree once everything inside may go.
		sub := w.folder(t, ag.admin, kept.ID, "Alt")
		w.doc(t, ag.alice, sub.ID, "Alte Akte")
		must(t, w.svc.DeleteFolder(ctx, ag.carol, kept.ID))
		_, err = w.svc.PurgeFolder(ctx, ag.carol, kept.ID)
		wantCode(t, err, errs.Conflict, "folder purge within retention")
		w.clock.Advance(31 * day)
		res, err = w.svc.EmptyTrash(ctx, ag.carol)
		must(t, err)
		if len(res.Documents) != 1 || len(res.Folders) != 2 {
			t.Fatalf("folder purge: %+v", res)
		}
		if got := trashIDs(t, w, ag.admin); len(got) != 0 {
			t.Fatalf("trash not empty: %v", got)
		}
		checkScope(t, w, ag.tenant.ID)
	})
}

func TestLegalHold(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		ag := w.a
		root := w.folder(t, ag.admin, uuid.Nil, "Akten")
		f := w.folder(t, ag.admin, root.ID, "Verfahren")
		w.grant(t, ag.admin, root.ID, documents.UserPrincipal(ag.alice.MembershipID), documents.Write)
		w.grant(t, ag.admin, root.ID, documents.UserPrincipal(ag.carol.MembershipID), documents.Manage)
		held := w.doc(t, ag.alice, f.ID, "Beweisstück")
		other := w.doc(t, ag.alice, f.ID, "Anderes")

		_, err := w.svc.SetLegalHold(ctx, ag.alice, held.ID, "Klage 1 K 12/26")
		wantCode(t, err, errs.Forbidden, "writer sets a hold")
		_, err = w.svc.SetLegalHold(ctx, ag.carol, held.ID, " ")
		wantCode(t, err, errs.Invalid, "hold without reason")
		doc, err := w.svc.SetLegalHold(ctx, ag.carol, held.ID, "Klage 1 K 12/26")
		must(t, err)
		if doc.LegalHold == nil || doc.LegalHold.Reason != "Klage 1 K 12/26" || doc.LegalHold.SetBy != ag.carol.MembershipID {
			t.Fatalf("hold: %+v", doc.LegalHold)
		}
		// Neither the document nor its folder can be deleted, not even by an admin.
		wantCode(t, w.svc.DeleteDocument(ctx, ag.admin, held.ID, 0), errs.Conflict, "delete a held document")
		wantCode(t, w.svc.DeleteFolder(ctx, ag.admin, f.ID), errs.Conflict, "delete a folder with a held document")
		wantCode(t, w.svc.DeleteFolder(ctx, ag.admin, root.ID), errs.Conflict, "delete an ancestor of a held document")
		if _, err := w.svc.GetDocument(ctx, ag.alice, other.ID); err != nil {
			t.Fatalf("refused folder delete left a trace: %v", err)
		}
		// Changes other than deletion stay possible.
		if _, err := w.svc.UpdateDocument(ctx, ag.alice, held.ID, held.Version, documents.DocumentPatch{Description: ptr("x")}); err != nil {
			t.Fatal(err)
		}
		// A hold on a trashed document blocks purging it and its folder.
		_, err = w.svc.ClearLegalHold(ctx, ag.admin, held.ID)
		must(t, err)
		must(t, w.svc.DeleteFolder(ctx, ag.carol, f.ID))
		_, err = w.svc.SetLegalHold(ctx, ag.admin, held.ID, "Nachforderung")
		must(t, err)
		res, err := w.svc.EmptyTrash(ctx, ag.admin)
		must(t, err)
		if !slices.Equal(res.Documents, []uuid.UUID{other.ID}) || len(res.Folders) != 0 {
			t.Fatalf("empty with a hold: %+v", res)
		}
		_, err = w.svc.PurgeDocument(ctx, ag.admin, held.ID)
		wantCode(t, err, errs.Conflict, "purge a held document")
		_, err = w.svc.PurgeFolder(ctx, ag.admin, f.ID)
		wantCode(t, err, errs.Conflict, "purge a folder with a held document")
		page, err := w.svc.ListTrash(ctx, ag.carol, documents.Page{})
		must(t, err)
		if len(page.Items) != 1 || page.Items[0].ID != f.ID || !page.Items[0].LegalHold {
			t.Fatalf("trash: %+v", page.Items)
		}
		_, err = w.svc.ClearLegalHold(ctx, ag.carol, held.ID)
		must(t, err)
		res, err = w.svc.PurgeFolder(ctx, ag.carol, f.ID)
		must(t, err)
		if len(res.Documents) != 1 || len(res.Folders) != 1 {
			t.Fatalf("purge after clearing: %+v", res)
		}
		for action, want := range map[string]int64{documents.ActionDocumentHoldSet: 2, documents.ActionDocumentHoldCleared: 2} {
			if got := w.auditCount(t, ag.tenant.ID, action); got != want {
				t.Fatalf("%s: %d", action, got)
			}
		}
	})
}
