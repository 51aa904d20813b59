package tasks_test

import (
	"strconv"
	"testing"

	"github.com/google/uuid"
	"github.com/kollab/kollab/internal/db"
	"github.com/kollab/kollab/internal/db/dbtest"
	"github.com/kollab/kollab/internal/errs"
	"github.com/kollab/kollab/tasks"
	"github.com/kollab/kollab/tenant"
)

// TestChecklistDoneRule: required items keep a task from done, through an
// update of its status and a move into a done column alike; a guest who
// writes ticks them without changing the task's version, and then the
// task can be done. A done task gets no open required item back.
func TestChecklistDoneRule(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newCLWorld(t, d)
		o := w.a
		tk := w.task(t, o, tasks.Input{Title: "Bauantrag Müller prüfen", AssigneeIDs: []uuid.UUID{o.g1.MembershipID}})
		cl, err := w.svc.AddChecklist(clCtx, o.bob, tk.ID, tasks.ChecklistInput{Title: "  Unterlagen "})
		clOK(t, err)
		if cl.Title != "Unterlagen" || cl.TemplateID != nil || len(cl.Items) != 0 {
			t.Fatalf("checklist: %+v", cl)
		}
		lage, err := w.svc.AddChecklistItem(clCtx, o.bob, tk.ID, cl.ID, tasks.ItemInput{Text: "Lageplan", Required: true})
		clOK(t, err)
		form, err := w.svc.AddChecklistItem(clCtx, o.g1, tk.ID, cl.ID, tasks.ItemInput{Text: "Antragsformular", Required: true, Position: clPtr(0)})
		clOK(t, err)
		foto, err := w.svc.AddChecklistItem(clCtx, o.g1, tk.ID, cl.ID, tasks.ItemInput{Text: "Fotos"})
		clOK(t, err)
		set, err := w.svc.Checklists(clCtx, o.carol, tk.ID)
		clOK(t, err)
		if len(set.Lists) != 1 || set.Total != 3 || set.RequiredOpen != 2 || set.CanWrite || set.CanManage {
			t.Fatalf("the reader's view: %+v", set)
		}
		if got := set.Lists[0].Items; got[0].ID != form.ID || got[1].ID != lage.ID || got[2].ID != foto.ID {
			t.Fatalf("item order: %+v", got)
		}
		before, err := w.svc.Get(clCtx, o.alice, tk.ID)
		clOK(t, err)
		if before.Version != 1 || before.ChecklistTotal != 3 || before.RequiredOpen != 2 {
			t.Fatalf("task before ticking: %+v", before)
		}

		sts, err := w.svc.Statuses(clCtx, o.g1, o.ws.ID)
		clOK(t, err)
		done := sts[3]
		if done.Category != tasks.Done {
			t.Fatalf("statuses: %+v", sts)
		}
		_, err = w.svc.Update(clCtx, o.g1, tk.ID, 1, tasks.Patch{StatusID: &done.ID})
		clMsg(t, "done by update with required items open", err, "tasks.required-items-open")
		_, err = w.svc.MoveTask(clCtx, o.g1, tk.ID, 0, tasks.Move{StatusID: done.ID})
		clMsg(t, "moved to done with required items open", err, "tasks.required-items-open")

		_, err = w.svc.UpdateChecklistItem(clCtx, o.carol, tk.ID, lage.ID, tasks.ItemPatch{Done: clPtr(true)})
		clCode(t, "a reader ticks", err, errs.Forbidden)
		ticked, err := w.svc.UpdateChecklistItem(clCtx, o.g1, tk.ID, lage.ID, tasks.ItemPatch{Done: clPtr(true)})
		clOK(t, err)
		if ticked.DoneAt == nil || ticked.DoneBy == nil || *ticked.DoneBy != o.g1.MembershipID || ticked.DoneByName != "g1" {
			t.Fatalf("ticked: %+v", ticked)
		}
		again, err := w.svc.UpdateChecklistItem(clCtx, o.g1, tk.ID, lage.ID, tasks.ItemPatch{Done: clPtr(true)})
		clOK(t, err)
		if !again.DoneAt.Equal(*ticked.DoneAt) {
			t.Fatalf("ticking again changed the item: %+v", again)
		}
		mid, err := w.svc.Get(clCtx, o.alice, tk.ID)
		clOK(t, err)
		if mid.Version != 1 || mid.ChecklistDone != 1 || mid.RequiredOpen != 1 {
			t.Fatalf("ticking changed the version or not the progress: %+v", mid)
		}
		_, err = w.svc.Update(clCtx, o.g1, tk.ID, 1, tasks.Patch{StatusID: &done.ID})
		clMsg(t, "done with one required item open", err, "tasks.required-items-open")
		_, err = w.svc.UpdateChecklistItem(clCtx, o.g1, tk.ID, form.ID, tasks.ItemPatch{Done: clPtr(true)})
		clOK(t, err)
		moved, err := w.svc.MoveTask(clCtx, o.g1, tk.ID, 1, tasks.Move{StatusID: done.ID})
		clOK(t, err)
		if moved.Category != tasks.Done || moved.Version != 2 || moved.RequiredOpen != 0 || moved.ChecklistDone != 2 {
			t.Fatalf("moved to done: %+v", moved)
		}
		if !w.historyHas(t, o.alice, tk.ID, "☐ Lageplan (Pflicht)", "✓ Lageplan (Pflicht)") ||
			!w.historyHas(t, o.alice, tk.ID, "", "☐ Antragsformular (Pflicht)") || !w.historyHas(t, o.alice, tk.ID, "", "+ Unterlagen") {
			t.Fatal("the history lacks the checklist's changes")
		}
		if n := w.audits(t, o.tenant.ID, tasks.ActionItemTicked); n != 2 {
			t.Fatalf("tick events: %d", n)
		}

		// A done task: no required item opens again, none is added open; optional ones come and go.
		_, err = w.svc.UpdateChecklistItem(clCtx, o.g1, tk.ID, lage.ID, tasks.ItemPatch{Done: clPtr(false)})
		clMsg(t, "unticked a required item of a done task", err, "tasks.checklist-task-done")
		_, err = w.svc.AddChecklistItem(clCtx, o.bob, tk.ID, cl.ID, tasks.ItemInput{Text: "Statik", Required: true})
		clMsg(t, "added a required item to a done task", err, "tasks.checklist-task-done")
		_, err = w.svc.UpdateChecklistItem(clCtx, o.bob, tk.ID, foto.ID, tasks.ItemPatch{Required: clPtr(true)})
		clMsg(t, "made an open item of a done task required", err, "tasks.checklist-task-done")
		_, err = w.svc.UpdateChecklistItem(clCtx, o.g1, tk.ID, foto.ID, tasks.ItemPatch{Done: clPtr(true)})
		clOK(t, err)
		_, err = w.svc.AddChecklistItem(clCtx, o.bob, tk.ID, cl.ID, tasks.ItemInput{Text: "Nachreichung"})
		clOK(t, err)
		reopened, err := w.svc.Update(clCtx, o.alice, tk.ID, 2, tasks.Patch{StatusID: &sts[0].ID})
		clOK(t, err)
		_, err = w.svc.UpdateChecklistItem(clCtx, o.g1, tk.ID, lage.ID, tasks.ItemPatch{Done: clPtr(false)})
		clOK(t, err)
		_, err = w.svc.Update(clCtx, o.alice, tk.ID, reopened.Version, tasks.Patch{StatusID: &done.ID})
		clMsg(t, "done again with an unticked required item", err, "tasks.required-items-open")
	})
}

// TestChecklistEditing: lists and items are renamed, flagged, moved and
// deleted by writers; required items are removed or made optional only by
// the workspace's owners and admins; bounds hold; every change is in the
// history and the audit log.
func TestChecklistEditing(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newCLWorld(t, d)
		o := w.a
		tk := w.task(t, o, tasks.Input{Title: "Stellungnahme vorbereiten"})
		a, err := w.svc.AddChecklist(clCtx, o.bob, tk.ID, tasks.ChecklistInput{Title: "Erste"})
		clOK(t, err)
		b, err := w.svc.AddChecklist(clCtx, o.bob, tk.ID, tasks.ChecklistInput{Title: "Zweite"})
		clOK(t, err)
		c, err := w.svc.AddChecklist(clCtx, o.g1, tk.ID, tasks.ChecklistInput{Title: "Dritte", Position: clPtr(0)})
		clOK(t, err)
		moved, err := w.svc.UpdateChecklist(clCtx, o.bob, tk.ID, a.ID, tasks.ChecklistPatch{Title: clPtr("Erste Runde"), Position: clPtr(99)})
		clOK(t, err)
		if moved.Title != "Erste Runde" || moved.Position != 2 {
			t.Fatalf("moved list: %+v", moved)
		}
		set, err := w.svc.Checklists(clCtx, o.bob, tk.ID)
		clOK(t, err)
		if len(set.Lists) != 3 || set.Lists[0].ID != c.ID || set.Lists[1].ID != b.ID || set.Lists[2].ID != a.ID || !set.CanWrite || set.CanManage {
			t.Fatalf("list order: %+v", set)
		}
		if !w.historyHas(t, o.alice, tk.ID, "Erste", "Erste Runde") || !w.historyHas(t, o.alice, tk.ID, "Erste Runde (Position 2)", "Erste Runde (Position 3)") {
			t.Fatal("history lacks the rename or the move")
		}
		_, err = w.svc.UpdateChecklist(clCtx, o.bob, tk.ID, a.ID, tasks.ChecklistPatch{Title: clPtr("")})
		clCode(t, "empty title", err, errs.Invalid)
		_, err = w.svc.AddChecklist(clCtx, o.bob, tk.ID, tasks.ChecklistInput{})
		clCode(t, "no title, no template", err, errs.Invalid)

		req, err := w.svc.AddChecklistItem(clCtx, o.bob, tk.ID, b.ID, tasks.ItemInput{Text: "Frist prüfen", Required: true})
		clOK(t, err)
		opt, err := w.svc.AddChecklistItem(clCtx, o.g1, tk.ID, b.ID, tasks.ItemInput{Text: "Entwurf"})
		clOK(t, err)
		_, err = w.svc.UpdateChecklistItem(clCtx, o.bob, tk.ID, req.ID, tasks.ItemPatch{Required: clPtr(false)})
		clMsg(t, "a member makes a required item optional", err, "tasks.checklist-required-owner")
		clCode(t, "a guest deletes a required item", w.svc.DeleteChecklistItem(clCtx, o.g1, tk.ID, req.ID), errs.Forbidden)
		clCode(t, "a member deletes a list with a required item", w.svc.DeleteChecklist(clCtx, o.bob, tk.ID, b.ID), errs.Forbidden)
		_, err = w.svc.UpdateChecklistItem(clCtx, o.carol, tk.ID, opt.ID, tasks.ItemPatch{Text: clPtr("x")})
		clCode(t, "a reader rewords", err, errs.Forbidden)
		up, err := w.svc.UpdateChecklistItem(clCtx, o.g1, tk.ID, opt.ID, tasks.ItemPatch{Text: clPtr("Entwurf abstimmen"), Required: clPtr(true), Position: clPtr(0)})
		clOK(t, err)
		if up.Text != "Entwurf abstimmen" || !up.Required || up.Position != 0 {
			t.Fatalf("item changed: %+v", up)
		}
		if !w.historyHas(t, o.alice, tk.ID, "☐ Entwurf", "☐ Entwurf abstimmen (Pflicht)") {
			t.Fatal("history lacks the item's change")
		}
		_, err = w.svc.UpdateChecklistItem(clCtx, o.alice, tk.ID, req.ID, tasks.ItemPatch{Required: clPtr(false)})
		clOK(t, err)
		clOK(t, w.svc.DeleteChecklistItem(clCtx, o.bob, tk.ID, req.ID))
		clOK(t, w.svc.DeleteChecklist(clCtx, o.admin, tk.ID, b.ID))
		clOK(t, w.svc.DeleteChecklist(clCtx, o.g1, tk.ID, c.ID))
		set, err = w.svc.Checklists(clCtx, o.alice, tk.ID)
		clOK(t, err)
		if len(set.Lists) != 1 || set.Lists[0].ID != a.ID || !set.CanManage {
			t.Fatalf("after deleting: %+v", set)
		}
		if !w.historyHas(t, o.alice, tk.ID, "☐ Frist prüfen", "") || !w.historyHas(t, o.alice, tk.ID, "Zweite", "") {
			t.Fatal("history lacks the deletions")
		}
		for action, want := range map[string]int64{tasks.ActionChecklistCreated: 3, tasks.ActionChecklistUpdated: 1, tasks.ActionChecklistDeleted: 2,
			tasks.ActionItemAdded: 2, tasks.ActionItemUpdated: 2, tasks.ActionItemDeleted: 1} {
			if n := w.audits(t, o.tenant.ID, action); n != want {
				t.Fatalf("%s: %d events, want %d", action, n, want)
			}
		}

		// Bounds: 20 lists a task, 200 items a list.
		for i := len(set.Lists); i < tasks.MaxChecklists; i++ {
			_, err := w.svc.AddChecklist(clCtx, o.bob, tk.ID, tasks.ChecklistInput{Title: "Liste " + strconv.Itoa(i)})
			clOK(t, err)
		}
		_, err = w.svc.AddChecklist(clCtx, o.bob, tk.ID, tasks.ChecklistInput{Title: "Eine zu viel"})
		clMsg(t, "the 21st list", err, "tasks.too-many-checklists")
		for i := 0; i < tasks.MaxChecklistItems; i++ {
			_, err := w.svc.AddChecklistItem(clCtx, o.bob, tk.ID, a.ID, tasks.ItemInput{Text: "Punkt " + strconv.Itoa(i)})
			clOK(t, err)
		}
		_, err = w.svc.AddChecklistItem(clCtx, o.bob, tk.ID, a.ID, tasks.ItemInput{Text: "Einer zu viel"})
		clMsg(t, "the 201st item", err, "tasks.too-many-checklist-items")
		_, err = w.svc.AddChecklistItem(clCtx, o.bob, tk.ID, a.ID, tasks.ItemInput{Text: string(make([]rune, 501))})
		clCode(t, "a long item", err, errs.Invalid)
	})
}

// TestChecklistIsolation: outsiders (staff outside the workspace, a guest
// of another workspace, another tenant's people) meet every checklist
// route as an unknown id; an item or list of another task is unknown
// under this one; an archived workspace's checklists are read-only.
func TestChecklistIsolation(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newCLWorld(t, d)
		o := w.a
		tk := w.task(t, o, tasks.Input{Title: "Vermerk"})
		cl, err := w.svc.AddChecklist(clCtx, o.alice, tk.ID, tasks.ChecklistInput{Title: "Prüfung"})
		clOK(t, err)
		it, err := w.svc.AddChecklistItem(clCtx, o.alice, tk.ID, cl.ID, tasks.ItemInput{Text: "Akte gezogen"})
		clOK(t, err)
		other := w.task(t, o, tasks.Input{Title: "Anderer Vorgang"})
		for name, who := range map[string]tenant.Actor{"staff outside": o.dave, "guest of ws2": o.g2, "other tenant's admin": w.b.admin, "other tenant's owner": w.b.alice} {
			_, err := w.svc.Checklists(clCtx, who, tk.ID)
			clCode(t, name+" reads", err, errs.NotFound)
			_, err = w.svc.AddChecklist(clCtx, who, tk.ID, tasks.ChecklistInput{Title: "x"})
			clCode(t, name+" adds a list", err, errs.NotFound)
			_, err = w.svc.UpdateChecklist(clCtx, who, tk.ID, cl.ID, tasks.ChecklistPatch{Title: clPtr("x")})
			clCode(t, name+" renames", err, errs.NotFound)
			clCode(t, name+" deletes a list", w.svc.DeleteChecklist(clCtx, who, tk.ID, cl.ID), errs.NotFound)
			_, err = w.svc.AddChecklistItem(clCtx, who, tk.ID, cl.ID, tasks.ItemInput{Text: "x"})
			clCode(t, name+" adds an item", err, errs.NotFound)
			_, err = w.svc.UpdateChecklistItem(clCtx, who, tk.ID, it.ID, tasks.ItemPatch{Done: clPtr(true)})
			clCode(t, name+" ticks", err, errs.NotFound)
			clCode(t, name+" deletes an item", w.svc.DeleteChecklistItem(clCtx, who, tk.ID, it.ID), errs.NotFound)
		}
		_, err = w.svc.UpdateChecklistItem(clCtx, o.alice, other.ID, it.ID, tasks.ItemPatch{Done: clPtr(true)})
		clCode(t, "an item under another task", err, errs.NotFound)
		_, err = w.svc.AddChecklistItem(clCtx, o.alice, other.ID, cl.ID, tasks.ItemInput{Text: "x"})
		clCode(t, "a list under another task", err, errs.NotFound)
		clCode(t, "deleting a list under another task", w.svc.DeleteChecklist(clCtx, o.alice, other.ID, cl.ID), errs.NotFound)

		ws, err := w.ws.Get(clCtx, o.alice, o.ws.ID)
		clOK(t, err)
		_, err = w.ws.Archive(clCtx, o.alice, o.ws.ID, ws.Version)
		clOK(t, err)
		_, err = w.svc.UpdateChecklistItem(clCtx, o.bob, tk.ID, it.ID, tasks.ItemPatch{Done: clPtr(true)})
		clMsg(t, "ticking while archived", err, "tasks.workspace-archived")
		_, err = w.svc.AddChecklist(clCtx, o.alice, tk.ID, tasks.ChecklistInput{Title: "x"})
		clCode(t, "a list while archived", err, errs.Conflict)
		set, err := w.svc.Checklists(clCtx, o.g1, tk.ID)
		clOK(t, err)
		if set.CanWrite || len(set.Lists) != 1 || set.Lists[0].Items[0].DoneAt != nil {
			t.Fatalf("archived: %+v", set)
		}
	})
}
