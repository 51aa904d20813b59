package tasks_test

import (
	"testing"

	"github.com/google/uuid"
	"github.com/kollab/kollab/internal/db"
	"github.com/kollab/kollab/internal/db/dbtest"
	"github.com/kollab/kollab/tasks"
	"github.com/kollab/kollab/workspaces"
)

// The overdue cockpit on Wednesday 16 December 2026 (week: Monday the
// 14th to Sunday the 20th): per workspace and per person, open tasks due
// this week and overdue by age; owners see their workspaces, admins all,
// members none.
func TestDeadlinesCockpit(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := rmNewWorld(t, d, "2026-12-16")
		ag := w.agency(t, "cockpit", "")
		mk := func(due string, people []uuid.UUID, groups ...uuid.UUID) *tasks.Task {
			tk, err := w.svc.Create(rmCtx, ag.alice, ag.ws.ID, tasks.Input{Title: "Aufgabe " + due, DueOn: due, AssigneeIDs: people, GroupIDs: groups})
			rmMust(t, err)
			return tk
		}
		bob, carol, g1 := ag.bob.MembershipID, ag.carol.MembershipID, ag.g1.MembershipID
		mk("2026-12-16", []uuid.UUID{bob})              // due this week (today)
		mk("2026-12-20", []uuid.UUID{g1})               // due this week (Sunday)
		mk("2026-12-21", []uuid.UUID{bob})              // next week
		mk("2026-12-15", []uuid.UUID{bob})              // overdue 1 day
		mk("2026-12-13", []uuid.UUID{bob}, ag.group.ID) // 3 days; the group: carol (dave is no member)
		mk("2026-12-12", []uuid.UUID{carol})            // 4 days
		mk("2026-12-09", nil)                           // 7 days, nobody
		mk("2026-12-08", nil)                           // 8 days
		mk("2026-12-02", nil)                           // 14 days
		mk("2026-12-01", []uuid.UUID{bob})              // 15 days
		mk("", []uuid.UUID{bob})                        // no due day
		closed := mk("2026-11-01", []uuid.UUID{bob})
		sts, err := w.svc.Statuses(rmCtx, ag.alice, ag.ws.ID)
		rmMust(t, err)
		for _, st := range sts {
			if st.Category == tasks.Done {
				_, err = w.svc.Update(rmCtx, ag.alice, closed.ID, closed.Version, tasks.Patch{StatusID: &st.ID})
				rmMust(t, err)
			}
		}
		other, err := w.ws.Create(rmCtx, ag.dave, workspaces.Input{Name: "Amtsblatt"})
		rmMust(t, err)
		_, err = w.svc.Create(rmCtx, ag.dave, other.ID, tasks.Input{Title: "Satz", DueOn: "2026-12-10", AssigneeIDs: []uuid.UUID{ag.dave.MembershipID}})
		rmMust(t, err)

		c, err := w.svc.Deadlines(rmCtx, ag.alice)
		rmMust(t, err)
		if c.Today != "2026-12-16" || c.WeekStart != "2026-12-14" || c.WeekEnd != "2026-12-20" || len(c.Workspaces) != 1 || c.Workspaces[0].WorkspaceID != ag.ws.ID {
			t.Fatalf("alice: %+v", c)
		}
		want := tasks.DeadlineCounts{DueThisWeek: 2, Overdue: 7, Overdue1To3: 2, Overdue4To7: 2, Overdue8To14: 2, OverdueOver14: 1}
		if c.Workspaces[0].DeadlineCounts != want || c.Totals != want {
			t.Fatalf("workspace counts %+v, want %+v", c.Workspaces[0].DeadlineCounts, want)
		}
		if len(c.People) != 3 {
			t.Fatalf("people %+v", c.People)
		}
		wantPeople := []struct {
			id    uuid.UUID
			guest bool
			c     tasks.DeadlineCounts
		}{
			{bob, false, tasks.DeadlineCounts{DueThisWeek: 1, Overdue: 3, Overdue1To3: 2, OverdueOver14: 1}},
			{carol, false, tasks.DeadlineCounts{Overdue: 2, Overdue1To3: 1, Overdue4To7: 1}},
			{g1, true, tasks.DeadlineCounts{DueThisWeek: 1}},
		}
		for i, wp := range wantPeople {
			p := c.People[i]
			if p.MembershipID != wp.id || p.Guest != wp.guest || p.DeadlineCounts != wp.c || p.Name == "" {
				t.Fatalf("person %d: %+v, want %+v", i, p, wp)
			}
		}

		c, err = w.svc.Deadlines(rmCtx, ag.admin)
		rmMust(t, err)
		if len(c.Workspaces) != 2 || c.Workspaces[0].Name != "Amtsblatt" || c.Workspaces[0].Overdue != 1 || c.Totals.Overdue != 8 || len(c.People) != 4 {
			t.Fatalf("admin: %+v", c)
		}
		for _, who := range []struct {
			name string
			c    func() (*tasks.Deadlines, error)
		}{
			{"bob, a member", func() (*tasks.Deadlines, error) { return w.svc.Deadlines(rmCtx, ag.bob) }},
			{"g1, a guest", func() (*tasks.Deadlines, error) { return w.svc.Deadlines(rmCtx, ag.g1) }},
			{"another tenant's admin", func() (*tasks.Deadlines, error) { return w.svc.Deadlines(rmCtx, w.agency(t, "fremd", "").admin) }},
		} {
			c, err := who.c()
			if err != nil || len(c.People) != 0 || c.Totals != (tasks.DeadlineCounts{}) {
				t.Fatalf("%s: %+v %v", who.name, c, err)
			}
			for _, ws := range c.Workspaces { // the other tenant's admin sees their own, empty workspace
				if ws.WorkspaceID == ag.ws.ID || ws.WorkspaceID == other.ID {
					t.Fatalf("%s sees %+v", who.name, ws)
				}
			}
		}
	})
}
