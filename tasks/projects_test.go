package tasks_test

import (
	"testing"

	"github.com/kollab/kollab/internal/db"
	"github.com/kollab/kollab/internal/db/dbtest"
	"github.com/kollab/kollab/internal/errs"
	"github.com/kollab/kollab/tasks"
)

// TestProjects: an owner marks a workspace as a project with a lead; the
// lead reports, members read the history; progress and milestones come
// from the tasks; outsiders see nothing; ending keeps the history.
func TestProjects(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		ag := w.a
		p, err := w.svc.Project(ctx, ag.carol, ag.ws.ID)
		must(t, err)
		if p.Active || p.CanManage {
			t.Fatalf("not a project yet: %+v", p)
		}
		_, err = w.svc.SetProject(ctx, ag.bob, ag.ws.ID, 0, tasks.ProjectInput{Phase: "Planung"})
		wantCode(t, "a member plans", err, errs.Forbidden)
		_, err = w.svc.SetProject(ctx, ag.alice, ag.ws.ID, 0, tasks.ProjectInput{LeadID: ag.g1.MembershipID})
		wantCode(t, "a guest leads", err, errs.Invalid)
		_, err = w.svc.SetProject(ctx, ag.alice, ag.ws.ID, 0, tasks.ProjectInput{StartsOn: "2027-02-01", EndsOn: "2027-01-01"})
		wantCode(t, "ends before it starts", err, errs.Invalid)
		p, err = w.svc.SetProject(ctx, ag.alice, ag.ws.ID, 0, tasks.ProjectInput{LeadID: ag.bob.MembershipID, Phase: "Planung",
			StartsOn: "2027-01-01", EndsOn: "2027-12-31"})
		must(t, err)
		if !p.Active || p.LeadName == nil || *p.LeadName != "bob" || p.Version != 1 {
			t.Fatalf("project: %+v", p)
		}
		w.task(t, ag, tasks.Input{Title: "Vorplanung", Milestone: true, DueOn: "2027-03-31"})
		w.task(t, ag, tasks.Input{Title: "Genehmigung", Milestone: true, DueOn: "2026-12-01"})
		tk := w.task(t, ag, tasks.Input{Title: "Ausschreibung"})
		sts, err := w.svc.Statuses(ctx, ag.alice, ag.ws.ID)
		must(t, err)
		_, err = w.svc.MoveTask(ctx, ag.alice, tk.ID, 0, tasks.Move{StatusID: sts[3].ID})
		must(t, err)

		_, err = w.svc.AddReport(ctx, ag.carol, ag.ws.ID, tasks.Green, "Alles im Plan.")
		wantCode(t, "a reader reports", err, errs.Forbidden)
		_, err = w.svc.AddReport(ctx, ag.bob, ag.ws.ID, "blau", "x")
		wantCode(t, "unknown light", err, errs.Invalid)
		_, err = w.svc.AddReport(ctx, ag.bob, ag.ws.ID, tasks.Green, "Alles im Plan.")
		must(t, err)
		_, err = w.svc.AddReport(ctx, ag.bob, ag.ws.ID, tasks.Yellow, "Genehmigung verzögert sich.")
		must(t, err)
		p, err = w.svc.Project(ctx, ag.g1, ag.ws.ID)
		must(t, err)
		if p.Latest == nil || p.Latest.Light != tasks.Yellow || p.TasksTotal != 3 || p.TasksDone != 1 || p.TasksOverdue != 1 ||
			len(p.Milestones) != 2 || p.Milestones[0].Title != "Genehmigung" || p.CanReport {
			t.Fatalf("project as the guest sees it: %+v", p)
		}
		rs, err := w.svc.Reports(ctx, ag.carol, ag.ws.ID)
		must(t, err)
		if len(rs) != 2 || rs[0].Light != tasks.Yellow || rs[1].Text != "Alles im Plan." {
			t.Fatalf("reports: %+v", rs)
		}
		all, err := w.svc.Projects(ctx, ag.g1)
		must(t, err)
		if len(all) != 1 || all[0].Latest == nil {
			t.Fatalf("g1's projects: %+v", all)
		}
		_, err = w.svc.Project(ctx, ag.dave, ag.ws.ID)
		wantCode(t, "staff outside", err, errs.NotFound)
		_, err = w.svc.Reports(ctx, ag.g2, ag.ws.ID)
		wantCode(t, "guest elsewhere", err, errs.NotFound)
		_, err = w.svc.Project(ctx, w.b.alice, ag.ws.ID)
		wantCode(t, "another tenant", err, errs.NotFound)
		if ps, err := w.svc.Projects(ctx, ag.dave); err != nil || len(ps) != 0 {
			t.Fatalf("dave's projects: %+v %v", ps, err)
		}
		_, err = w.svc.SetProject(ctx, ag.alice, ag.ws.ID, 7, tasks.ProjectInput{Phase: "Bau"})
		wantCode(t, "stale plan", err, errs.PreconditionFailed)
		must(t, w.svc.EndProject(ctx, ag.alice, ag.ws.ID))
		wantCode(t, "end twice", w.svc.EndProject(ctx, ag.alice, ag.ws.ID), errs.Conflict)
		_, err = w.svc.AddReport(ctx, ag.alice, ag.ws.ID, tasks.Red, "x")
		wantCode(t, "report after the end", err, errs.Conflict)
		if rs, _ := w.svc.Reports(ctx, ag.alice, ag.ws.ID); len(rs) != 2 {
			t.Fatalf("history lost: %d", len(rs))
		}
	})
}
