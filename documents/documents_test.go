package documents_test

import (
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/kollab/kollab/documents"
	"github.com/kollab/kollab/internal/db"
	"github.com/kollab/kollab/internal/db/dbtest"
	"github.com/kollab/kollab/internal/errs"
	"github.com/kollab/kollab/tenant"
)

func ptr[T any](v T) *T { return &v }

func TestVersionsAndIfMatch(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		ag := w.a
		f := w.folder(t, ag.admin, uuid.Nil, "Akten")
		other := w.folder(t, ag.admin, uuid.Nil, "Ablage")
		doc := w.doc(t, ag.admin, f.ID, "Vermerk")
		if doc.Version != 1 {
			t.Fatalf("new version: %d", doc.Version)
		}
		_, err := w.svc.UpdateDocument(ctx, ag.admin, doc.ID, 0, documents.DocumentPatch{Title: ptr("x")})
		wantCode(t, err, errs.Invalid, "update without If-Match")
		up, err := w.svc.UpdateDocument(ctx, ag.admin, doc.ID, 1, documents.DocumentPatch{
			Title: ptr("Vermerk zur Sitzung"), FilePlanRef: ptr("022.30"), Tags: []string{"sitzung", " sitzung "},
			Metadata: documents.Metadata{"gremium": "Bauausschuss"}})
		must(t, err)
		if up.Version != 2 || up.Title != "Vermerk zur Sitzung" || !slices.Equal(up.Tags, []string{"sitzung"}) ||
			up.Metadata["gremium"] != "Bauausschuss" || up.UpdatedBy != ag.admin.MembershipID {
			t.Fatalf("updated: %+v", up)
		}
		// A lost update: the second writer still holds version 1.
		_, err = w.svc.UpdateDocument(ctx, ag.admin, doc.ID, 1, documents.DocumentPatch{Description: ptr("alt")})
		wantCode(t, err, errs.PreconditionFailed, "stale If-Match")
		_, err = w.svc.MoveDocument(ctx, ag.admin, doc.ID, other.ID, 1)
		wantCode(t, err, errs.PreconditionFailed, "stale move")
		wantCode(t, w.svc.DeleteDocument(ctx, ag.admin, doc.ID, 1), errs.PreconditionFailed, "stale delete")
		mv, err := w.svc.MoveDocument(ctx, ag.admin, doc.ID, other.ID, 2)
		must(t, err)
		if mv.Version != 3 || mv.FolderID != other.ID {
			t.Fatalf("moved: %+v", mv)
		}
		// Bad input changes nothing.
		for _, p := range []documents.DocumentPatch{
			{Title: ptr("")}, {Metadata: documents.Metadata{"1abc": "x"}}, {Metadata: documents.Metadata{"a.b": "x"}},
			{Tags: []string{""}}, {FilePlanRef: ptr("x\ny")},
		} {
			_, err := w.svc.UpdateDocument(ctx, ag.admin, doc.ID, 3, p)
			wantCode(t, err, errs.Invalid, fmt.Sprintf("patch %+v", p))
		}
		// An empty patch changes nothing, not even the version.
		same, err := w.svc.UpdateDocument(ctx, ag.admin, doc.ID, 3, documents.DocumentPatch{})
		must(t, err)
		if same.Version != 3 {
			t.Fatalf("empty patch: version %d", same.Version)
		}
		// Concurrent writers with the same version: exactly one wins.
		const n = 8
		var wg sync.WaitGroup
		results := make([]error, n)
		for i := range n {
			wg.Go(func() {
				_, results[i] = w.svc.UpdateDocument(ctx, ag.admin, doc.ID, 3, documents.DocumentPatch{Description: ptr(fmt.Sprint(i))})
			})
		}
		wg.Wait()
		won := 0
		for _, err := range results {
			if err == nil {
				won++
			} else if !errs.Is(err, errs.PreconditionFailed) {
				t.Fatalf("concurrent update: %v", err)
			}
		}
		final, err := w.svc.GetDocument(ctx, ag.admin, doc.ID)
		must(t, err)
		if won != 1 || final.Version != 4 {
			t.Fatalf("%d concurrent updates won, version %d", won, final.Version)
		}
		if got := w.auditCount(t, ag.tenant.ID, documents.ActionDocumentUpdated); got != 2 {
			t.Fatalf("update events: %d", got)
		}
	})
}

func TestCheckOutLocks(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		ag := w.a
		f := w.folder(t, ag.admin, uuid.Nil, "Akten")
		w.grant(t, ag.admin, f.ID, documents.RolePrincipal(tenant.RoleStaff), documents.Write)
		w.grant(t, ag.admin, f.ID, documents.UserPrincipal(ag.carol.MembershipID), documents.Manage)
		w.grant(t, ag.admin, f.ID, documents.UserPrincipal(ag.dave.MembershipID), documents.Read)
		doc := w.doc(t, ag.alice, f.ID, "Entwurf")

		_, err := w.svc.CheckOut(ctx, ag.dave, doc.ID, 0)
		wantCode(t, err, errs.Forbidden, "reader checks out")
		locked, err := w.svc.CheckOut(ctx, ag.alice, doc.ID, 0)
		must(t, err)
		if locked.Lock == nil || locked.Lock.OwnerID != ag.alice.MembershipID || !locked.Lock.ExpiresAt.Equal(w.clock.Now().Add(30*time.Minute)) {
			t.Fatalf("lock: %+v", locked.Lock)
		}
		// bob cannot change, move, delete, lock or release it.
		_, err = w.svc.UpdateDocument(ctx, ag.bob, doc.ID, 1, documents.DocumentPatch{Title: ptr("x")})
		wantCode(t, err, errs.ResourceLocked, "update while locked")
		_, err = w.svc.MoveDocument(ctx, ag.bob, doc.ID, f.ID, 0)
		wantCode(t, err, errs.ResourceLocked, "move while locked")
		wantCode(t, w.svc.DeleteDocument(ctx, ag.bob, doc.ID, 0), errs.ResourceLocked, "delete while locked")
		wantCode(t, w.svc.DeleteFolder(ctx, ag.admin, f.ID), errs.ResourceLocked, "trash folder with a locked document")
		_, err = w.svc.CheckOut(ctx, ag.bob, doc.ID, 0)
		if e := errs.As(err); e == nil || e.Code != errs.ResourceLocked || e.RetryAfter != 30*time.Minute {
			t.Fatalf("second check-out: %v", err)
		}
		_, err = w.svc.CheckIn(ctx, ag.bob, doc.ID)
		wantCode(t, err, errs.ResourceLocked, "release someone else's lock")
		// The holder writes and extends.
		_, err = w.svc.UpdateDocument(ctx, ag.alice, doc.ID, 1, documents.DocumentPatch{Title: ptr("Entwurf 2")})
		must(t, err)
		w.clock.Advance(20 * time.Minute)
		ext, err := w.svc.CheckOut(ctx, ag.alice, doc.ID, time.Hour)
		must(t, err)
		if !ext.Lock.ExpiresAt.Equal(w.clock.Now().Add(time.Hour)) || !ext.Lock.AcquiredAt.Equal(locked.Lock.AcquiredAt) {
			t.Fatalf("extension: %+v", ext.Lock)
		}
		// Expired locks are free.
		w.clock.Advance(61 * time.Minute)
		got, err := w.svc.GetDocument(ctx, ag.bob, doc.ID)
		must(t, err)
		if got.Lock != nil {
			t.Fatalf("expired lock still shown: %+v", got.Lock)
		}
		_, err = w.svc.UpdateDocument(ctx, ag.bob, doc.ID, 2, documents.DocumentPatch{Description: ptr("bob")})
		must(t, err)
		_, err = w.svc.CheckOut(ctx, ag.bob, doc.ID, 10*time.Minute)
		must(t, err)
		// Override: a folder manager and an admin may break the lock.
		for _, breaker := range []tenant.Actor{ag.carol, ag.admin} {
			if _, err := w.svc.CheckOut(ctx, ag.bob, doc.ID, 0); err != nil {
				t.Fatal(err)
			}
			rel, err := w.svc.CheckIn(ctx, breaker, doc.ID)
			must(t, err)
			if rel.Lock != nil {
				t.Fatalf("lock survives override: %+v", rel.Lock)
			}
		}
		if n := w.auditCount(t, ag.tenant.ID, documents.ActionDocumentLockBroken); n != 2 {
			t.Fatalf("lock-broken events: %d", n)
		}
		// The holder releases their own lock even without write permission.
		_, err = w.svc.CheckOut(ctx, ag.bob, doc.ID, 0)
		must(t, err)
		must(t, w.svc.RemovePermission(ctx, ag.admin, f.ID, documents.RolePrincipal(tenant.RoleStaff)))
		w.grant(t, ag.admin, f.ID, documents.RolePrincipal(tenant.RoleStaff), documents.Read)
		if _, err := w.svc.CheckIn(ctx, ag.bob, doc.ID); err != nil {
			t.Fatalf("holder release without write: %v", err)
		}
		_, err = w.svc.CheckOut(ctx, ag.bob, doc.ID, -time.Second)
		wantCode(t, err, errs.Invalid, "negative ttl")
	})
}

func TestFindDocuments(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		ag := w.a
		root := w.folder(t, ag.admin, uuid.Nil, "Akten")
		sub := w.folder(t, ag.admin, root.ID, "Bau")
		hidden := w.folder(t, ag.admin, root.ID, "Personal")
		w.grant(t, ag.admin, root.ID, documents.UserPrincipal(ag.alice.MembershipID), documents.Read)
		_, err := w.svc.SetInheritance(ctx, ag.admin, hidden.ID, false, false)
		must(t, err)
		mk := func(folder uuid.UUID, title, ref string, meta documents.Metadata, tags ...string) uuid.UUID {
			doc, err := w.svc.CreateDocument(ctx, ag.admin, folder, documents.DocumentInput{Title: title, FilePlanRef: ref, Tags: tags, Metadata: meta})
			must(t, err)
			return doc.ID
		}
		uebersicht := mk(root.ID, "Übersicht Haushalt", "902.1", documents.Metadata{"jahr": "2026"}, "haushalt")
		antrag := mk(sub.ID, "Bauantrag Schulstraße", "621.41-1", documents.Metadata{"jahr": "2026", "art": "antrag"}, "bau", "antrag")
		fertig := mk(sub.ID, "Bauantrag 100%_fertig", "621.41-2", nil, "bau")
		secret := mk(hidden.ID, "Personalakte Übersicht", "110", documents.Metadata{"jahr": "2026"}, "bau", "haushalt")
		// The other tenant has a twin; A's admin cannot even create in B's folder.
		bFolder := w.folder(t, w.b.admin, uuid.Nil, "Akten")
		w.doc(t, w.b.admin, bFolder.ID, "Übersicht Haushalt", "haushalt")
		_, err = w.svc.CreateDocument(ctx, ag.admin, bFolder.ID, documents.DocumentInput{Title: "x"})
		wantCode(t, err, errs.NotFound, "create in another tenant's folder")

		ids := func(a tenant.Actor, f documents.DocumentFilter) []uuid.UUID {
			t.Helper()
			page, err := w.svc.FindDocuments(ctx, a, f)
			must(t, err)
			out := []uuid.UUID{}
			for _, doc := range page.Documents {
				out = append(out, doc.ID)
			}
			return out
		}
		for _, c := range []struct {
			name  string
			actor tenant.Actor
			f     documents.DocumentFilter
			want  []uuid.UUID
		}{
			{"title, umlaut, case", ag.alice, documents.DocumentFilter{TitleContains: "ÜBERSICHT"}, []uuid.UUID{uebersicht}},
			{"title as admin", ag.admin, documents.DocumentFilter{TitleContains: "übersicht"}, []uuid.UUID{secret, uebersicht}},
			{"like wildcards are literal", ag.alice, documents.DocumentFilter{TitleContains: "0%_"}, []uuid.UUID{fertig}},
			{"underscore is literal", ag.alice, documents.DocumentFilter{TitleContains: "g_s"}, []uuid.UUID{}},
			{"file plan prefix", ag.alice, documents.DocumentFilter{FilePlanRef: "621.41-1"}, []uuid.UUID{antrag}},
			{"tags all", ag.alice, documents.DocumentFilter{Tags: []string{"bau", "antrag"}}, []uuid.UUID{antrag}},
			{"tag hidden", ag.alice, documents.DocumentFilter{Tags: []string{"haushalt"}}, []uuid.UUID{uebersicht}},
			{"metadata", ag.alice, documents.DocumentFilter{Metadata: map[string]string{"jahr": "2026", "art": "antrag"}}, []uuid.UUID{antrag}},
			{"metadata admin", ag.admin, documents.DocumentFilter{Metadata: map[string]string{"jahr": "2026"}}, []uuid.UUID{antrag, secret, uebersicht}},
			{"folder", ag.alice, documents.DocumentFilter{FolderID: root.ID}, []uuid.UUID{uebersicht}},
			{"recursive", ag.alice, documents.DocumentFilter{FolderID: root.ID, Recursive: true, Tags: []string{"bau"}}, nil},
		} {
			got := ids(c.actor, c.f)
			if c.want == nil { // recursive: both bau documents in sub, not the hidden one
				if len(got) != 2 || slices.Contains(got, secret) {
					t.Fatalf("%s: %v", c.name, got)
				}
				continue
			}
			if !slices.Equal(got, c.want) {
				t.Fatalf("%s: got %v, want %v", c.name, got, c.want)
			}
		}
		_, err = w.svc.FindDocuments(ctx, ag.alice, documents.DocumentFilter{FolderID: hidden.ID})
		wantCode(t, err, errs.NotFound, "search in a hidden folder")
		_, err = w.svc.FindDocuments(ctx, ag.alice, documents.DocumentFilter{Metadata: map[string]string{"x') OR 1=1 --": "a"}})
		wantCode(t, err, errs.Invalid, "metadata key injection")
		_, err = w.svc.FindDocuments(ctx, ag.alice, documents.DocumentFilter{Page: documents.Page{Cursor: "kaputt"}})
		wantCode(t, err, errs.Invalid, "bad cursor")

		// Paging: full pages for a restricted reader, no duplicates, hard limit.
		for i := range 7 {
			mk(sub.ID, fmt.Sprintf("Akte %02d", i), "", nil)
			mk(hidden.ID, fmt.Sprintf("Akte %02d geheim", i), "", nil)
		}
		seen := map[uuid.UUID]bool{}
		p := documents.Page{Limit: 3}
		for pages := 0; ; pages++ {
			page, err := w.svc.FindDocuments(ctx, ag.alice, documents.DocumentFilter{TitleContains: "akte", Page: p})
			must(t, err)
			if page.NextCursor != "" && len(page.Documents) != 3 {
				t.Fatalf("short page %d: %d", pages, len(page.Documents))
			}
			for _, doc := range page.Documents {
				if seen[doc.ID] || doc.FolderID == hidden.ID {
					t.Fatalf("page %d: %+v", pages, doc)
				}
				seen[doc.ID] = true
			}
			if page.NextCursor == "" {
				break
			}
			p.Cursor = page.NextCursor
		}
		if len(seen) != 7 {
			t.Fatalf("paged %d documents, want 7", len(seen))
		}
		page, err := w.svc.FindDocuments(ctx, ag.admin, documents.DocumentFilter{Page: documents.Page{Limit: 100000}})
		must(t, err)
		if len(page.Documents) > documents.MaxPage {
			t.Fatalf("page of %d", len(page.Documents))
		}
	})
}
