package documents_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/kollab/kollab/documents"
	"github.com/kollab/kollab/internal/db"
	"github.com/kollab/kollab/internal/db/dbtest"
	"github.com/kollab/kollab/tenant"
)

func (w *world) recentTitles(t *testing.T, a tenant.Actor) []string {
	t.Helper()
	ds, err := w.svc.RecentDocuments(ctx, a)
	must(t, err)
	out := []string{}
	for _, d := range ds {
		out = append(out, d.Title)
	}
	return out
}

func wantList(t *testing.T, what string, got []string, want ...string) {
	t.Helper()
	if fmt.Sprint(got) != fmt.Sprint(want) || len(got) != len(want) {
		t.Fatalf("%s: got %q, want %q", what, got, want)
	}
}

// The cockpit's documents: the most recently changed live documents the
// caller may read, by the permission model's own SQL.
func TestRecentDocuments(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		ag := w.a
		office := w.folder(t, ag.admin, uuid.Nil, "Bauamt")
		w.grant(t, ag.admin, office.ID, documents.Principal{Type: documents.PrincipalGroup, GroupID: ag.group.ID}, documents.Read)
		sub := w.folder(t, ag.admin, office.ID, "Pläne") // inherits
		secret := w.folder(t, ag.admin, uuid.Nil, "Personal")
		council := w.folder(t, ag.admin, uuid.Nil, "Rat")
		w.grant(t, ag.admin, council.ID, documents.RolePrincipal(tenant.RoleCommittee), documents.Read)
		step := func() { w.clock.Advance(time.Minute) }
		first := w.doc(t, ag.admin, office.ID, "Antrag")
		step()
		w.doc(t, ag.admin, sub.ID, "Lageplan")
		step()
		w.doc(t, ag.admin, secret.ID, "Personalakte")
		step()
		gone := w.doc(t, ag.admin, office.ID, "Entwurf")
		step()
		w.doc(t, ag.admin, council.ID, "Vorlage")
		step()
		w.doc(t, w.b.admin, w.folder(t, w.b.admin, uuid.Nil, "Bauamt").ID, "Anderer Mandant")
		must(t, w.svc.DeleteDocument(ctx, ag.admin, gone.ID, gone.Version))
		step()
		title := "Antrag, geändert"
		_, err := w.svc.UpdateDocument(ctx, ag.admin, first.ID, first.Version, documents.DocumentPatch{Title: &title})
		must(t, err)

		wantList(t, "bob (group)", w.recentTitles(t, ag.bob), "Antrag, geändert", "Lageplan")
		ds, err := w.svc.RecentDocuments(ctx, ag.bob)
		must(t, err)
		if ds[1].FolderID != sub.ID || ds[1].FolderName != "Pläne" || ds[0].UpdatedAt.Before(ds[1].UpdatedAt) {
			t.Fatalf("document: %+v", ds[1])
		}
		wantList(t, "admin", w.recentTitles(t, ag.admin), "Antrag, geändert", "Vorlage", "Personalakte", "Lageplan")
		wantList(t, "carol (committee)", w.recentTitles(t, ag.carol), "Vorlage")
		wantList(t, "alice (no grant)", w.recentTitles(t, ag.alice))
		wantList(t, "dave (committee)", w.recentTitles(t, ag.dave), "Vorlage")
		wantList(t, "other tenant", w.recentTitles(t, w.b.bob))
		for i := 0; i < documents.CockpitLimit+2; i++ {
			step()
			w.doc(t, ag.admin, sub.ID, fmt.Sprintf("Serie %02d", i))
		}
		got := w.recentTitles(t, ag.bob)
		if len(got) != documents.CockpitLimit || got[0] != "Serie 11" {
			t.Fatalf("bounded: %q", got)
		}
	})
}
