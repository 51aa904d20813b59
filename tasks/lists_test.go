package tasks_test

import (
	"fmt"
	"testing"

	"github.com/google/uuid"
	"github.com/kollab/kollab/internal/db"
	"github.com/kollab/kollab/internal/db/dbtest"
	"github.com/kollab/kollab/internal/errs"
	"github.com/kollab/kollab/internal/notify"
	"github.com/kollab/kollab/tasks"
	"github.com/kollab/kollab/workspaces"
)

// TestListsBoardAndMine: the list pages through every task once in each
// order, filters narrow it, the board counts its columns, and My tasks
// gathers a person's open tasks across workspaces, through groups too.
func TestListsBoardAndMine(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		ag := w.a
		dues := []string{"2026-12-20", "", "2026-12-09", "2026-12-09", "", "2026-12-31", "2026-12-01"}
		var ids []uuid.UUID
		for i, due := range dues {
			in := tasks.Input{Title: fmt.Sprintf("Aufgabe %d", i), DueOn: due, Priority: tasks.Priority(1 + i%4)}
			if i%2 == 0 {
				in.AssigneeIDs, in.Labels = []uuid.UUID{ag.bob.MembershipID}, []string{"Bau"}
			}
			ids = append(ids, w.task(t, ag, in).ID)
		}
		for _, sort := range []tasks.Sort{tasks.ByDue, tasks.ByPriority, tasks.ByUpdated, tasks.ByTitle, tasks.ByRank} {
			seen := map[uuid.UUID]bool{}
			var order []string
			cur := ""
			for pages := 0; ; pages++ {
				p, err := w.svc.List(ctx, ag.carol, ag.ws.ID, tasks.Filter{Sort: sort, Cursor: cur, Limit: 3})
				must(t, err)
				if p.Total != 7 || pages > 5 {
					t.Fatalf("%s: total %d after %d pages", sort, p.Total, pages)
				}
				for _, it := range p.Items {
					if seen[it.ID] {
						t.Fatalf("%s: %s twice", sort, it.Title)
					}
					seen[it.ID] = true
					order = append(order, it.DueOn)
				}
				if cur = p.Next; cur == "" {
					break
				}
			}
			if len(seen) != 7 {
				t.Fatalf("%s: %d of 7 tasks", sort, len(seen))
			}
			if sort == tasks.ByDue && fmt.Sprint(order) != "[2026-12-01 2026-12-09 2026-12-09 2026-12-20 2026-12-31  ]" {
				t.Fatalf("due order: %v", order)
			}
		}
		count := func(f tasks.Filter) int {
			p, err := w.svc.List(ctx, ag.alice, ag.ws.ID, f)
			must(t, err)
			return len(p.Items)
		}
		if n := count(tasks.Filter{Label: "bau"}); n != 4 {
			t.Fatalf("label filter: %d", n)
		}
		if n := count(tasks.Filter{AssigneeID: ag.bob.MembershipID, DueBefore: "2026-12-10"}); n != 2 {
			t.Fatalf("assignee and due filter: %d", n)
		}
		if n := count(tasks.Filter{Query: "gabe 3"}); n != 1 {
			t.Fatalf("title search: %d", n)
		}
		if n := count(tasks.Filter{Query: "%"}); n != 0 {
			t.Fatalf("a %% matches everything: %d", n)
		}
		_, err := w.svc.List(ctx, ag.alice, ag.ws.ID, tasks.Filter{Cursor: "nonsense!"})
		wantCode(t, "bad cursor", err, errs.Invalid)

		cols, canWrite, err := w.svc.Board(ctx, ag.g1, ag.ws.ID, 2)
		must(t, err)
		if !canWrite || len(cols) != 5 || cols[0].Count != 7 || len(cols[0].Items) != 2 || cols[0].Next == "" {
			t.Fatalf("board: %d columns, first %d/%d", len(cols), len(cols[0].Items), cols[0].Count)
		}
		// Moving the last task to the top of its column puts it first.
		_, err = w.svc.MoveTask(ctx, ag.g1, ids[6], 0, tasks.Move{StatusID: cols[0].Status.ID})
		must(t, err)
		cols, _, err = w.svc.Board(ctx, ag.g1, ag.ws.ID, 2)
		must(t, err)
		if cols[0].Items[0].ID != ids[6] {
			t.Fatalf("moved to the top, first is %s", cols[0].Items[0].Title)
		}
		_, err = w.svc.MoveTask(ctx, ag.g1, ids[6], 0, tasks.Move{StatusID: cols[0].Status.ID, AfterID: &ids[0]})
		must(t, err)
		cols, _, err = w.svc.Board(ctx, ag.g1, ag.ws.ID, 3)
		must(t, err)
		if cols[0].Items[0].ID != ids[0] || cols[0].Items[1].ID != ids[6] {
			t.Fatalf("moved after task 0: %s, %s", cols[0].Items[0].Title, cols[0].Items[1].Title)
		}

		// My tasks: bob's four, plus one through a group in another workspace.
		g, err := w.tenants.CreateGroup(ctx, ag.admin, "Bauaufsicht", "")
		must(t, err)
		must(t, w.tenants.SetGroupMember(ctx, ag.admin, g.ID, ag.bob.MembershipID, true))
		_, err = w.ws.SetMember(ctx, ag.dave, ag.ws2.ID, ag.bob.MembershipID, workspaces.Member)
		must(t, err)
		_, err = w.svc.Create(ctx, ag.dave, ag.ws2.ID, tasks.Input{Title: "Haushaltsplan", GroupIDs: []uuid.UUID{g.ID}, DueOn: "2026-12-08"})
		must(t, err)
		if n := w.events(t, ag.tenant.ID, notify.KindTaskAssigned, ag.bob.MembershipID); n != 5 {
			t.Fatalf("bob told of %d assignments", n)
		}
		mine, err := w.svc.Mine(ctx, ag.bob, tasks.Filter{})
		must(t, err)
		if len(mine.Items) != 5 || mine.Items[0].DueOn != "2026-12-01" || mine.Items[1].WorkspaceName != ag.ws2.Name {
			t.Fatalf("bob's tasks: %d, first %+v", len(mine.Items), mine.Items[0])
		}
		if !mine.Items[0].Overdue || mine.Items[1].Overdue {
			t.Fatalf("overdue flags: %v %v", mine.Items[0].Overdue, mine.Items[1].Overdue)
		}
	})
}

// TestCommentsLinksDocuments: mentions tell the mentioned; links mark a
// blocked task; documents of the workspace attach, a task is made from a
// document, and the document lists its tasks for those who may see them.
func TestCommentsLinksDocuments(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		ag := w.a
		a := w.task(t, ag, tasks.Input{Title: "Gutachten einholen", WatcherIDs: []uuid.UUID{ag.carol.MembershipID}})
		b := w.task(t, ag, tasks.Input{Title: "Bescheid entwerfen", DocumentID: &ag.doc.ID})

		c, err := w.svc.AddComment(ctx, ag.bob, a.ID, tasks.CommentInput{Body: "@g1 bitte prüfen", Mentions: []uuid.UUID{ag.g1.MembershipID}})
		must(t, err)
		if len(c.Mentions) != 1 || c.Mentions[0].Name != "g1" || !c.Mine {
			t.Fatalf("comment: %+v", c)
		}
		if w.events(t, ag.tenant.ID, notify.KindTaskMentioned, ag.g1.MembershipID) != 1 ||
			w.events(t, ag.tenant.ID, notify.KindTaskCommented, ag.carol.MembershipID) != 1 {
			t.Fatal("mention or watcher not told")
		}
		_, err = w.svc.AddComment(ctx, ag.bob, a.ID, tasks.CommentInput{Body: "x", Mentions: []uuid.UUID{ag.dave.MembershipID}})
		wantCode(t, "mention of a non-member", err, errs.Invalid)
		_, err = w.svc.EditComment(ctx, ag.g1, a.ID, c.ID, "anders")
		wantCode(t, "edit another's comment", err, errs.Forbidden)
		_, err = w.svc.EditComment(ctx, ag.bob, a.ID, c.ID, "@g1 bitte bis Montag prüfen")
		must(t, err)
		must(t, w.svc.DeleteComment(ctx, ag.bob, a.ID, c.ID))
		cs, err := w.svc.Comments(ctx, ag.g1, a.ID)
		must(t, err)
		if len(cs) != 1 || !cs[0].Deleted || cs[0].Body != "" {
			t.Fatalf("withdrawn comment: %+v", cs)
		}

		must(t, w.svc.Link(ctx, ag.bob, a.ID, b.ID, tasks.Blocks))
		got, err := w.svc.Get(ctx, ag.bob, b.ID)
		must(t, err)
		if !got.Blocked {
			t.Fatal("b is not blocked by a")
		}
		rel, err := w.svc.Related(ctx, ag.bob, b.ID)
		must(t, err)
		if len(rel.Links) != 1 || rel.Links[0].Kind != tasks.BlockedBy || len(rel.Documents) != 1 || !rel.Documents[0].Readable {
			t.Fatalf("related of b: %+v", rel)
		}
		other, err := w.svc.Create(ctx, ag.dave, ag.ws2.ID, tasks.Input{Title: "fremd"})
		must(t, err)
		wantCode(t, "link across workspaces", w.svc.Link(ctx, ag.bob, a.ID, other.ID, tasks.Relates), errs.Invalid)

		_, err = w.svc.Create(ctx, ag.dave, ag.ws2.ID, tasks.Input{Title: "x", DocumentID: &ag.doc.ID})
		wantCode(t, "a task about another workspace's document", err, errs.Invalid)
		must(t, w.svc.Attach(ctx, ag.bob, a.ID, ag.doc.ID))
		dts, err := w.svc.DocumentTasks(ctx, ag.g1, ag.doc.ID)
		must(t, err)
		if len(dts) != 2 {
			t.Fatalf("the document's tasks: %d", len(dts))
		}
		_, err = w.svc.DocumentTasks(ctx, ag.dave, ag.doc.ID)
		wantCode(t, "document tasks for one who cannot read it", err, errs.NotFound)
		_, err = w.svc.DocumentTasks(ctx, w.b.alice, ag.doc.ID)
		wantCode(t, "document tasks across tenants", err, errs.NotFound)
		must(t, w.svc.Detach(ctx, ag.bob, a.ID, ag.doc.ID))
		wantCode(t, "detach twice", w.svc.Detach(ctx, ag.bob, a.ID, ag.doc.ID), errs.NotFound)
	})
}

// TestStatuses: owners rename the built-in statuses and add their own
// (each of a category), members do not; a status in use or built in stays.
func TestStatuses(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		ag := w.a
		_, err := w.svc.AddStatus(ctx, ag.bob, ag.ws.ID, tasks.StatusInput{Name: "Prüfung", Category: tasks.Waiting})
		wantCode(t, "a member adds a status", err, errs.Forbidden)
		_, err = w.svc.AddStatus(ctx, ag.alice, ag.ws.ID, tasks.StatusInput{Name: "Prüfung", Category: "irgendwas"})
		wantCode(t, "unknown category", err, errs.Invalid)
		st, err := w.svc.AddStatus(ctx, ag.alice, ag.ws.ID, tasks.StatusInput{Name: "Zur Mitzeichnung", Category: tasks.Waiting, Position: ptr(25)})
		must(t, err)
		_, err = w.svc.AddStatus(ctx, ag.alice, ag.ws.ID, tasks.StatusInput{Name: "zur mitzeichnung", Category: tasks.Open})
		wantCode(t, "a second status of one name", err, errs.Conflict)
		sts, err := w.svc.Statuses(ctx, ag.carol, ag.ws.ID)
		must(t, err)
		if len(sts) != 6 || sts[3].ID != st.ID {
			t.Fatalf("statuses in order: %+v", sts)
		}
		renamed, err := w.svc.UpdateStatus(ctx, ag.alice, sts[0].ID, tasks.StatusInput{Name: "Eingang"})
		must(t, err)
		if renamed.Name != "Eingang" || renamed.Category != tasks.Open {
			t.Fatalf("renamed: %+v", renamed)
		}
		wantCode(t, "delete a built-in status", w.svc.DeleteStatus(ctx, ag.alice, sts[0].ID), errs.Conflict)
		tk := w.task(t, ag, tasks.Input{Title: "Mitzeichnen", StatusID: st.ID})
		if tk.Category != tasks.Waiting || tk.StatusName != "Zur Mitzeichnung" {
			t.Fatalf("task in the added status: %+v", tk)
		}
		wantCode(t, "delete a status in use", w.svc.DeleteStatus(ctx, ag.alice, st.ID), errs.Conflict)
		must(t, w.svc.Delete(ctx, ag.alice, tk.ID, tk.Version))
		must(t, w.svc.DeleteStatus(ctx, ag.alice, st.ID))
		_, err = w.svc.Create(ctx, ag.alice, ag.ws.ID, tasks.Input{Title: "x", StatusID: w.mustStatus(t, w.b)})
		wantCode(t, "another tenant's status", err, errs.Invalid)
	})
}

func (w *world) mustStatus(t *testing.T, ag *agency) uuid.UUID {
	t.Helper()
	sts, err := w.svc.Statuses(ctx, ag.alice, ag.ws.ID)
	must(t, err)
	return sts[1].ID
}
