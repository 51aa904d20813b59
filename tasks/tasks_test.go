package tasks_test

import (
	"testing"

	"github.com/google/uuid"
	"github.com/kollab/kollab/internal/db"
	"github.com/kollab/kollab/internal/db/dbtest"
	"github.com/kollab/kollab/internal/errs"
	"github.com/kollab/kollab/internal/notify"
	"github.com/kollab/kollab/tasks"
	"github.com/kollab/kollab/tenant"
)

// TestTaskLifecycle: a task is made, changed under If-Match with every
// change in its history, told to its assignees, moved on the board, kept
// from done while a required checklist item is open, and deleted only by
// whoever may.
func TestTaskLifecycle(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		ag := w.a
		tk := w.task(t, ag, tasks.Input{Title: "  Vollständigkeit prüfen ", Description: "**Bitte** bis Freitag.", DueOn: "2026-12-11",
			AssigneeIDs: []uuid.UUID{ag.bob.MembershipID, ag.g1.MembershipID}, Labels: []string{"Bau", "bau", "Eilig"}, Priority: tasks.High})
		if tk.Title != "Vollständigkeit prüfen" || tk.Version != 1 || tk.Category != tasks.Open || tk.StatusName != "Offen" ||
			len(tk.Labels) != 2 || len(tk.Assignees) != 2 || !tk.CanWrite {
			t.Fatalf("created: %+v", tk)
		}
		guest := false
		for _, as := range tk.Assignees {
			guest = guest || (as.Guest && *as.MembershipID == ag.g1.MembershipID)
		}
		if !guest {
			t.Fatalf("the guest assignee is not marked: %+v", tk.Assignees)
		}
		for _, who := range []tenant.Actor{ag.bob, ag.g1} {
			if n := w.events(t, ag.tenant.ID, notify.KindTaskAssigned, who.MembershipID); n != 1 {
				t.Fatalf("assigned notices to %s: %d", who.MembershipID, n)
			}
		}
		if n := w.events(t, ag.tenant.ID, notify.KindTaskAssigned, ag.alice.MembershipID); n != 0 {
			t.Fatalf("the actor was told: %d", n)
		}

		_, err := w.svc.Update(ctx, ag.bob, tk.ID, 0, tasks.Patch{Title: ptr("x")})
		wantCode(t, "no If-Match", err, errs.Invalid)
		_, err = w.svc.Update(ctx, ag.bob, tk.ID, 7, tasks.Patch{Title: ptr("x")})
		wantCode(t, "stale If-Match", err, errs.PreconditionFailed)
		_, err = w.svc.Update(ctx, ag.bob, tk.ID, 1, tasks.Patch{DueOn: ptr("2026-12-40")})
		wantCode(t, "bad date", err, errs.Invalid)
		up, err := w.svc.Update(ctx, ag.bob, tk.ID, 1, tasks.Patch{Title: ptr("Vollständigkeit prüfen (Müller)"), DueOn: ptr("2026-12-14"),
			DueTime: ptr("12:00"), AssigneeIDs: &[]uuid.UUID{ag.g1.MembershipID, ag.carol.MembershipID}})
		must(t, err)
		if up.Version != 2 || up.DueOn != "2026-12-14" || up.DueTime != "12:00" || len(up.Assignees) != 2 {
			t.Fatalf("updated: %+v", up)
		}
		if n := w.events(t, ag.tenant.ID, notify.KindTaskAssigned, ag.carol.MembershipID); n != 1 {
			t.Fatalf("carol newly assigned, told %d times", n)
		}
		if n := w.events(t, ag.tenant.ID, notify.KindTaskAssigned, ag.g1.MembershipID); n != 1 {
			t.Fatalf("g1 stayed assigned, told %d times", n)
		}
		hist, err := w.svc.History(ctx, ag.g1, tk.ID)
		must(t, err)
		fields := map[string]bool{}
		for _, h := range hist {
			fields[h.Field] = true
		}
		for _, f := range []string{"created", "title", "due", "assignees"} {
			if !fields[f] {
				t.Fatalf("history lacks %s: %+v", f, hist)
			}
		}

		// A required checklist item keeps the task from done (update and board alike).
		must(t, d.Tenant(ctx, ag.tenant.ID, func(tx *db.Tx) error {
			cl := db.NewID()
			if err := tx.Exec(`INSERT INTO task_checklists (tenant_id, id, task_id, title, position, created_at) VALUES (@tenant, ?, ?, 'Prüfung', 0, ?)`,
				cl, tk.ID, db.Now()).Error; err != nil {
				return err
			}
			return tx.Exec(`INSERT INTO task_checklist_items (tenant_id, id, checklist_id, task_id, text, required, position) VALUES (@tenant, ?, ?, ?, 'Lageplan', ?, 0)`,
				db.NewID(), cl, tk.ID, true).Error
		}))
		sts, err := w.svc.Statuses(ctx, ag.g1, ag.ws.ID)
		must(t, err)
		done := sts[3]
		if done.Category != tasks.Done || len(sts) != 5 {
			t.Fatalf("statuses: %+v", sts)
		}
		_, err = w.svc.Update(ctx, ag.g1, tk.ID, 2, tasks.Patch{StatusID: &done.ID})
		wantCode(t, "done with a required item open", err, errs.Conflict)
		_, err = w.svc.MoveTask(ctx, ag.g1, tk.ID, 0, tasks.Move{StatusID: done.ID})
		wantCode(t, "moved to done with a required item open", err, errs.Conflict)
		must(t, d.Tenant(ctx, ag.tenant.ID, func(tx *db.Tx) error {
			return tx.Exec("UPDATE task_checklist_items SET done_at = ? WHERE tenant_id = @tenant AND task_id = ?", db.Now(), tk.ID).Error
		}))
		moved, err := w.svc.MoveTask(ctx, ag.g1, tk.ID, 2, tasks.Move{StatusID: done.ID})
		must(t, err)
		if moved.Category != tasks.Done || moved.ClosedAt == nil || moved.Version != 3 || moved.ChecklistDone != 1 {
			t.Fatalf("moved: %+v", moved)
		}

		wantCode(t, "a member deletes another's task", w.svc.Delete(ctx, ag.bob, tk.ID, 3), errs.Forbidden)
		wantCode(t, "a reader deletes", w.svc.Delete(ctx, ag.carol, tk.ID, 3), errs.Forbidden)
		must(t, w.svc.Delete(ctx, ag.alice, tk.ID, 3))
		_, err = w.svc.Get(ctx, ag.alice, tk.ID)
		wantCode(t, "deleted", err, errs.NotFound)
	})
}

// TestTaskAccess: outsiders (staff of the tenant outside the workspace,
// a guest of another workspace, another tenant's owner) meet every task
// route as an unknown id; readers read; an archived workspace is read-only.
func TestTaskAccess(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		ag := w.a
		tk := w.task(t, ag, tasks.Input{Title: "Stellungnahme Brandschutz"})
		_, err := w.svc.AddComment(ctx, ag.bob, tk.ID, tasks.CommentInput{Body: "Erledige ich."})
		must(t, err)
		for name, who := range map[string]tenant.Actor{"staff outside": ag.dave, "guest of another workspace": ag.g2, "another tenant": w.b.alice} {
			checks := map[string]error{}
			_, checks["get"] = w.svc.Get(ctx, who, tk.ID)
			_, checks["update"] = w.svc.Update(ctx, who, tk.ID, 1, tasks.Patch{Title: ptr("x")})
			_, checks["move"] = w.svc.MoveTask(ctx, who, tk.ID, 0, tasks.Move{StatusID: tk.StatusID})
			checks["delete"] = w.svc.Delete(ctx, who, tk.ID, 1)
			_, checks["comments"] = w.svc.Comments(ctx, who, tk.ID)
			_, checks["comment"] = w.svc.AddComment(ctx, who, tk.ID, tasks.CommentInput{Body: "x"})
			_, checks["history"] = w.svc.History(ctx, who, tk.ID)
			_, checks["related"] = w.svc.Related(ctx, who, tk.ID)
			checks["link"] = w.svc.Link(ctx, who, tk.ID, uuid.New(), tasks.Relates)
			_, checks["list"] = w.svc.List(ctx, who, ag.ws.ID, tasks.Filter{})
			_, _, checks["board"] = w.svc.Board(ctx, who, ag.ws.ID, 10)
			_, checks["statuses"] = w.svc.Statuses(ctx, who, ag.ws.ID)
			_, checks["create"] = w.svc.Create(ctx, who, ag.ws.ID, tasks.Input{Title: "x"})
			for op, err := range checks {
				wantCode(t, name+" "+op, err, errs.NotFound)
			}
			mine, err := w.svc.Mine(ctx, who, tasks.Filter{})
			must(t, err)
			if len(mine.Items) != 0 {
				t.Fatalf("%s sees tasks as their own: %+v", name, mine.Items)
			}
		}
		got, err := w.svc.Get(ctx, ag.carol, tk.ID)
		must(t, err)
		if got.CanWrite {
			t.Fatal("a reader may write")
		}
		_, err = w.svc.Update(ctx, ag.carol, tk.ID, 1, tasks.Patch{Title: ptr("x")})
		wantCode(t, "reader updates", err, errs.Forbidden)
		_, err = w.svc.AddComment(ctx, ag.carol, tk.ID, tasks.CommentInput{Body: "x"})
		wantCode(t, "reader comments", err, errs.Forbidden)
		admin, err := w.svc.Get(ctx, ag.admin, tk.ID)
		must(t, err)
		if !admin.CanWrite {
			t.Fatal("an admin may not write")
		}

		ws, err := w.ws.Get(ctx, ag.alice, ag.ws.ID)
		must(t, err)
		_, err = w.ws.Archive(ctx, ag.alice, ag.ws.ID, ws.Version)
		must(t, err)
		_, err = w.svc.Update(ctx, ag.bob, tk.ID, 1, tasks.Patch{Title: ptr("x")})
		wantCode(t, "update while archived", err, errs.Conflict)
		_, err = w.svc.Create(ctx, ag.alice, ag.ws.ID, tasks.Input{Title: "x"})
		wantCode(t, "create while archived", err, errs.Conflict)
		got, err = w.svc.Get(ctx, ag.bob, tk.ID)
		must(t, err)
		if got.CanWrite {
			t.Fatal("writable while archived")
		}
	})
}

// TestWorkingDayDeadline: "1 Arbeitstag nach" the day before Fronleichnam
// 2027 (Thursday 27 May) skips it in Bavaria, not in Berlin; a due day
// given as a date clears the working-day rule.
func TestWorkingDayDeadline(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		for _, c := range []struct {
			ag    *agency
			state string
			want  string
		}{{w.a, "BY", "2027-05-28"}, {w.b, "BE", "2027-05-27"}} {
			must(t, d.Tenant(ctx, c.ag.tenant.ID, func(tx *db.Tx) error {
				return tx.Unscoped().Exec(`UPDATE tenants SET settings = ? WHERE id = ?`, `{"federal_state":"`+c.state+`"}`, c.ag.tenant.ID).Error
			}))
			tk := w.task(t, c.ag, tasks.Input{Title: "Anhörung", DueFrom: "2027-05-26", DueWorkdays: 1})
			if tk.DueOn != c.want || tk.DueWorkdays != 1 || tk.DueFrom != "2027-05-26" {
				t.Fatalf("%s: due %+v", c.state, tk)
			}
			up, err := w.svc.Update(ctx, c.ag.alice, tk.ID, 1, tasks.Patch{DueWorkdays: ptr(10)})
			must(t, err)
			if up.DueFrom != "2027-05-26" || up.DueWorkdays != 10 {
				t.Fatalf("%s: re-planned %+v", c.state, up)
			}
			up, err = w.svc.Update(ctx, c.ag.alice, tk.ID, 2, tasks.Patch{DueOn: ptr("2027-07-01")})
			must(t, err)
			if up.DueOn != "2027-07-01" || up.DueWorkdays != 0 || up.DueFrom != "" {
				t.Fatalf("%s: dated %+v", c.state, up)
			}
		}
		_, err := w.svc.Create(ctx, w.a.alice, w.a.ws.ID, tasks.Input{Title: "x", DueOn: "2027-01-01", DueWorkdays: 3})
		wantCode(t, "date and working days", err, errs.Invalid)
		_, err = w.svc.Create(ctx, w.a.alice, w.a.ws.ID, tasks.Input{Title: "x", DueTime: "10:00"})
		wantCode(t, "time without a day", err, errs.Invalid)
	})
}
