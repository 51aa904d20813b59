package workspaces_test

import (
	"testing"

	"github.com/google/uuid"
	"github.com/kollab/kollab/internal/db"
	"github.com/kollab/kollab/internal/db/dbtest"
	"github.com/kollab/kollab/internal/errs"
	"github.com/kollab/kollab/tenant"
	"github.com/kollab/kollab/workspaces"
)

func names(t *testing.T, w *world, a tenant.Actor, f workspaces.Filter) []string {
	t.Helper()
	var out []string
	for range 20 {
		p, err := w.svc.List(ctx, a, f)
		must(t, err)
		for _, ws := range p.Workspaces {
			out = append(out, ws.Name)
		}
		if p.NextCursor == "" {
			return out
		}
		f.Cursor = p.NextCursor
	}
	t.Fatal("paging does not end")
	return nil
}

func same(got []string, want ...string) bool {
	if len(got) != len(want) {
		return false
	}
	for i := range got {
		if got[i] != want[i] {
			return false
		}
	}
	return true
}

// Staff see their own workspaces and the directory of open ones, join an
// open one and leave any; admins see all; pages follow the name.
func TestListsDirectoryAndJoin(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		ag := w.a
		open1 := w.create(t, ag.alice, "Bürgerhaushalt", workspaces.Open)
		w.create(t, ag.alice, "Abwasser", workspaces.Closed)
		open2 := w.create(t, ag.carol, "Zensus", workspaces.Open)
		w.create(t, w.b.alice, "Anderes Amt", workspaces.Open)
		_, err := w.svc.Archive(ctx, ag.carol, open2.ID, 0)
		must(t, err)

		if got := names(t, w, ag.alice, workspaces.Filter{Limit: 1}); !same(got, "Abwasser", "Bürgerhaushalt") {
			t.Fatalf("alice's: %v", got)
		}
		if got := names(t, w, ag.bob, workspaces.Filter{Scope: workspaces.Directory, Limit: 1}); !same(got, "Bürgerhaushalt", "Zensus") {
			t.Fatalf("directory: %v", got)
		}
		if got := names(t, w, ag.bob, workspaces.Filter{Scope: workspaces.Directory, State: workspaces.Active}); !same(got, "Bürgerhaushalt") {
			t.Fatalf("active directory: %v", got)
		}
		if got := names(t, w, ag.admin, workspaces.Filter{Scope: workspaces.All, Limit: 2}); !same(got, "Abwasser", "Bürgerhaushalt", "Zensus") {
			t.Fatalf("all: %v", got)
		}
		if got := names(t, w, ag.admin, workspaces.Filter{Scope: workspaces.All, State: workspaces.Archived}); !same(got, "Zensus") {
			t.Fatalf("archived: %v", got)
		}
		_, err = w.svc.List(ctx, ag.bob, workspaces.Filter{Scope: workspaces.All})
		wantCode(t, "staff lists all", err, errs.Forbidden)
		_, err = w.svc.List(ctx, ag.partner, workspaces.Filter{Scope: workspaces.Directory})
		wantCode(t, "partner lists the directory", err, errs.Forbidden)
		_, err = w.svc.List(ctx, ag.bob, workspaces.Filter{Cursor: "kaputt"})
		wantCode(t, "bad cursor", err, errs.Invalid)
		_, err = w.svc.List(ctx, ag.bob, workspaces.Filter{Scope: "everything"})
		wantCode(t, "bad scope", err, errs.Invalid)

		// Bob joins the open workspace as a member and leaves it again.
		if got := names(t, w, ag.bob, workspaces.Filter{}); len(got) != 0 {
			t.Fatalf("bob's before joining: %v", got)
		}
		j, err := w.svc.Join(ctx, ag.bob, open1.ID)
		must(t, err)
		if j.MyRole != workspaces.Member || j.MemberCount != 2 {
			t.Fatalf("joined: %+v", j)
		}
		if j2, err := w.svc.Join(ctx, ag.bob, open1.ID); err != nil || j2.Version != j.Version || j2.MemberCount != 2 {
			t.Fatalf("joining twice: %+v %v", j2, err)
		}
		if got := names(t, w, ag.bob, workspaces.Filter{}); !same(got, "Bürgerhaushalt") {
			t.Fatalf("bob's after joining: %v", got)
		}
		if w.access(t, ag.bob, *open1.FolderID) == 0 || !w.canWrite(t, ag.bob, *open1.FolderID) {
			t.Fatal("a joined member does not write to the folder")
		}
		must(t, w.svc.RemoveMember(ctx, ag.bob, open1.ID, ag.bob.MembershipID))
		if w.access(t, ag.bob, *open1.FolderID) != 0 {
			t.Fatal("bob reads the folder after leaving")
		}
		// A closed workspace is joined only by being added; partners never join.
		closed := w.create(t, ag.alice, "Personalrat", workspaces.Closed)
		_, err = w.svc.Join(ctx, ag.bob, closed.ID)
		wantCode(t, "join closed", err, errs.NotFound)
		_, err = w.svc.Join(ctx, ag.admin, closed.ID)
		wantCode(t, "admin joins closed", err, errs.Forbidden)
		_, err = w.svc.Join(ctx, ag.partner, open1.ID)
		wantCode(t, "partner joins", err, errs.NotFound)
	})
}

// Another tenant's workspace ids and memberships answer like unknown ones.
func TestCrossTenantIDs(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		bws := w.create(t, w.b.alice, "Geheim B", workspaces.Open)
		aws := w.create(t, w.a.alice, "Projekt A", workspaces.Open)
		unknown := uuid.New()
		for _, id := range []uuid.UUID{bws.ID, unknown} {
			_, err := w.svc.Get(ctx, w.a.admin, id)
			wantCode(t, "get", err, errs.NotFound)
			_, err = w.svc.ListMembers(ctx, w.a.admin, id)
			wantCode(t, "members", err, errs.NotFound)
			_, err = w.svc.Join(ctx, w.a.bob, id)
			wantCode(t, "join", err, errs.NotFound)
			_, err = w.svc.Archive(ctx, w.a.admin, id, 0)
			wantCode(t, "archive", err, errs.NotFound)
			_, err = w.svc.Update(ctx, w.a.admin, id, 1, workspaces.Input{Name: "X"})
			wantCode(t, "update", err, errs.NotFound)
			_, err = w.svc.SetMember(ctx, w.a.admin, id, w.a.bob.MembershipID, workspaces.Member)
			wantCode(t, "set member", err, errs.NotFound)
			wantCode(t, "remove member", w.svc.RemoveMember(ctx, w.a.admin, id, w.a.alice.MembershipID), errs.NotFound)
		}
		for _, m := range []uuid.UUID{w.b.bob.MembershipID, unknown} {
			_, err := w.svc.SetMember(ctx, w.a.alice, aws.ID, m, workspaces.Member)
			wantCode(t, "B's membership added", err, errs.NotFound)
			wantCode(t, "B's membership removed", w.svc.RemoveMember(ctx, w.a.alice, aws.ID, m), errs.NotFound)
		}
		_, err := w.svc.Create(ctx, w.a.alice, workspaces.Input{Name: "Y", ResponsibleID: w.b.bob.MembershipID})
		wantCode(t, "B's responsible", err, errs.Invalid)
		// The same name in another tenant is free.
		w.create(t, w.a.alice, "Geheim B", workspaces.Closed)
		if got := names(t, w, w.a.admin, workspaces.Filter{Scope: workspaces.All}); !same(got, "Geheim B", "Projekt A") {
			t.Fatalf("A's all: %v", got)
		}
	})
}

// Two owners taking each other out at the same moment: the workspace's row
// lock lets one go, and the other finds itself the last owner.
func TestConcurrentRemovalKeepsAnOwner(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		ag := w.a
		for i := range 5 {
			ws := w.create(t, ag.admin, "Gleichzeitig "+string(rune('A'+i)), workspaces.Closed)
			for _, p := range []tenant.Actor{ag.alice, ag.bob} {
				_, err := w.svc.SetMember(ctx, ag.admin, ws.ID, p.MembershipID, workspaces.Owner)
				must(t, err)
			}
			// The admin hands over and goes, leaving alice and bob as the owners.
			cur, err := w.svc.Get(ctx, ag.admin, ws.ID)
			must(t, err)
			_, err = w.svc.Update(ctx, ag.admin, ws.ID, cur.Version, workspaces.Input{Name: cur.Name, ResponsibleID: ag.carol.MembershipID})
			wantCode(t, "carol is no member", err, errs.Invalid)
			_, err = w.svc.Update(ctx, ag.admin, ws.ID, cur.Version, workspaces.Input{Name: cur.Name, ResponsibleID: ag.alice.MembershipID})
			must(t, err)
			_, err = w.svc.SetMember(ctx, ag.alice, ws.ID, ag.admin.MembershipID, workspaces.Reader)
			must(t, err)
			must(t, w.svc.RemoveMember(ctx, ag.admin, ws.ID, ag.admin.MembershipID))
			errc := make(chan error, 2)
			go func() {
				_, err := w.svc.SetMember(ctx, ag.alice, ws.ID, ag.bob.MembershipID, workspaces.Member)
				errc <- err
			}()
			go func() {
				_, err := w.svc.SetMember(ctx, ag.bob, ws.ID, ag.alice.MembershipID, workspaces.Member)
				errc <- err
			}()
			e1, e2 := <-errc, <-errc
			ms, err := w.svc.ListMembers(ctx, ag.admin, ws.ID)
			must(t, err)
			owners := 0
			for _, m := range ms {
				if m.Role == workspaces.Owner {
					owners++
				}
			}
			if owners != 1 {
				t.Fatalf("round %d: %d owners left (%v, %v)", i, owners, e1, e2)
			}
		}
	})
}
