package workspaces_test

import (
	"testing"

	"github.com/kollab/kollab/internal/db"
	"github.com/kollab/kollab/internal/db/dbtest"
	"github.com/kollab/kollab/tenant"
	"github.com/kollab/kollab/workspaces"
)

func recentNames(r *workspaces.Recent) []string {
	out := []string{}
	for _, w := range r.Workspaces {
		out = append(out, w.Name)
	}
	return out
}

func wantNames(t *testing.T, what string, r *workspaces.Recent, total int64, want ...string) {
	t.Helper()
	got := recentNames(r)
	if r.Total != total || len(got) != len(want) {
		t.Fatalf("%s: got %q (total %d), want %q (total %d)", what, got, r.Total, want, total)
	}
	for i := range got {
		if got[i] != want[i] {
			t.Fatalf("%s: got %q, want %q", what, got, want)
		}
	}
}

// The cockpit's workspaces: the caller's active ones, most recently
// changed first, with role and member count; archived ones, others'
// and another tenant's are not among them.
func TestRecentWorkspaces(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		ag := w.a
		first := w.create(t, ag.alice, "Erster Raum", workspaces.Closed)
		second := w.create(t, ag.alice, "Zweiter Raum", workspaces.Open)
		_, err := w.svc.SetMember(ctx, ag.alice, second.ID, ag.bob.MembershipID, workspaces.Reader)
		must(t, err)
		_, err = w.svc.SetMember(ctx, ag.alice, second.ID, ag.carol.MembershipID, workspaces.Member)
		must(t, err)
		old := w.create(t, ag.alice, "Archivierter Raum", workspaces.Closed)
		_, err = w.svc.SetMember(ctx, ag.alice, old.ID, ag.bob.MembershipID, workspaces.Member)
		must(t, err)
		old, err = w.svc.Get(ctx, ag.alice, old.ID)
		must(t, err)
		_, err = w.svc.Archive(ctx, ag.alice, old.ID, old.Version)
		must(t, err)
		w.create(t, ag.carol, "Carols Raum", workspaces.Open) // open, but not mine
		w.create(t, w.b.alice, "Anderer Mandant", workspaces.Open)
		_, err = w.svc.Update(ctx, ag.alice, first.ID, first.Version, workspaces.Input{Name: "Erster Raum", Purpose: "Neu", Visibility: workspaces.Closed})
		must(t, err)

		r, err := w.svc.RecentWorkspaces(ctx, ag.alice)
		must(t, err)
		wantNames(t, "alice", r, 2, "Erster Raum", "Zweiter Raum")
		if ws := r.Workspaces[1]; ws.MyRole != workspaces.Owner || ws.MemberCount != 3 || ws.ID != second.ID {
			t.Fatalf("second: %+v", ws)
		}
		r, err = w.svc.RecentWorkspaces(ctx, ag.bob)
		must(t, err)
		wantNames(t, "bob", r, 1, "Zweiter Raum")
		if r.Workspaces[0].MyRole != workspaces.Reader {
			t.Fatalf("bob's role: %s", r.Workspaces[0].MyRole)
		}
		r, err = w.svc.RecentWorkspaces(ctx, ag.carol)
		must(t, err)
		wantNames(t, "carol", r, 2, "Carols Raum", "Zweiter Raum")
		// Admins see every workspace, but have none of their own; a partner
		// (no member yet), another tenant's person: none.
		for _, a := range []tenant.Actor{ag.admin, ag.partner, w.b.bob} {
			r, err = w.svc.RecentWorkspaces(ctx, a)
			must(t, err)
			wantNames(t, "none", r, 0)
		}
		for i := 0; i < workspaces.CockpitLimit+2; i++ {
			w.create(t, ag.bob, "Serie "+string(rune('A'+i)), workspaces.Closed)
		}
		r, err = w.svc.RecentWorkspaces(ctx, ag.bob)
		must(t, err)
		if r.Total != int64(workspaces.CockpitLimit+3) || len(r.Workspaces) != workspaces.CockpitLimit || r.Workspaces[0].Name != "Serie L" {
			t.Fatalf("bounded: total %d, %q", r.Total, recentNames(r))
		}
	})
}
