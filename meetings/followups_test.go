package meetings_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/kollab/kollab/internal/db"
	"github.com/kollab/kollab/internal/db/dbtest"
	"github.com/kollab/kollab/internal/errs"
	"github.com/kollab/kollab/meetings"
	"github.com/kollab/kollab/tenant"
)

// decided brings a session of ag's committee to a published result on its
// item and returns the meeting, the item and the poll.
func (w *world) decided(t *testing.T, ag *agency) (*meetings.Meeting, *meetings.AgendaItem, *meetings.Poll) {
	t.Helper()
	m, it := w.session(t, ag, ag.chair, ag.alice, ag.bob, ag.carol)
	p := w.openPoll(t, ag, it.ID, meetings.Named, nil)
	for _, v := range []tenant.Actor{ag.chair, ag.alice, ag.bob} {
		must(t, w.cast(v, p.ID, meetings.Yes))
	}
	_, err := w.svc.ClosePoll(ctx, ag.chair, p.ID)
	must(t, err)
	p, err = w.svc.PublishPoll(ctx, ag.chair, p.ID)
	must(t, err)
	return m, it, p
}

// inTx runs fn in a transaction of ag's tenant.
func (w *world) inTx(t *testing.T, ag *agency, fn func(tx *db.Tx) error) error {
	t.Helper()
	return w.d.Tenant(ctx, ag.tenant.ID, fn)
}

// planned plans a meeting of ag's committee days from now.
func (w *world) planned(t *testing.T, ag *agency, days int) *meetings.Meeting {
	t.Helper()
	at := w.clock.Now().Add(time.Duration(days) * 24 * time.Hour)
	m, err := w.svc.CreateMeeting(ctx, ag.chair, ag.committee.ID, meetings.MeetingInput{Title: "Sitzung", StartsAt: at, EndsAt: at.Add(2 * time.Hour)})
	must(t, err)
	return m
}

// reports lists the automatic items of a meeting.
func (w *world) reports(t *testing.T, ag *agency, meetingID uuid.UUID) []meetings.AgendaItem {
	t.Helper()
	items, err := w.svc.ListAgenda(ctx, ag.chair, meetingID)
	must(t, err)
	var out []meetings.AgendaItem
	for _, it := range items {
		if it.Automatic {
			out = append(out, it)
		}
	}
	return out
}

// report runs the report with lines, as the task module does.
func (w *world) report(t *testing.T, ag *agency, lines []meetings.ReportLine) {
	t.Helper()
	must(t, w.inTx(t, ag, func(tx *db.Tx) error {
		if _, err := meetings.ReportCutoff(tx, ag.committee.ID); err != nil {
			return err
		}
		return w.svc.ReportImplementation(ctx, tx, ag.chair, ag.committee.ID, lines)
	}))
}

// TestFollowUpChecks: who may make follow-up tasks from which decision.
func TestFollowUpChecks(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		ag := w.a
		_, it, p := w.decided(t, ag)
		// An undecided item: a second item of another session, no poll.
		m2, err := w.svc.CreateMeeting(ctx, ag.chair, ag.committee.ID, meetings.MeetingInput{Title: "Zweite", StartsAt: w.clock.Now(), EndsAt: w.clock.Now().Add(time.Hour)})
		must(t, err)
		open, err := w.svc.AddAgendaItem(ctx, ag.chair, m2.ID, meetings.AgendaItemInput{Title: "Offen"})
		must(t, err)
		item := func(a tenant.Actor, id uuid.UUID) (*meetings.Decision, error) {
			var dc *meetings.Decision
			err := w.d.Tenant(ctx, a.TenantID, func(tx *db.Tx) error {
				var err error
				dc, err = w.svc.FollowUpOfItem(tx, a, id)
				return err
			})
			return dc, err
		}
		poll := func(a tenant.Actor, id uuid.UUID) error {
			return w.d.Tenant(ctx, a.TenantID, func(tx *db.Tx) error {
				_, err := w.svc.FollowUpOfPoll(tx, a, id)
				return err
			})
		}
		for _, a := range []tenant.Actor{ag.chair, ag.secretary, ag.admin} {
			dc, err := item(a, it.ID)
			must(t, err)
			if dc.ItemNumber != 1 || dc.ItemTitle != it.Title || dc.PollID == nil || *dc.PollID != p.ID || dc.CommitteeName != "Bauausschuss" || dc.Written() {
				t.Fatalf("decision %+v", dc)
			}
			must(t, poll(a, p.ID))
		}
		_, err = item(ag.alice, it.ID)
		wantCode(t, err, errs.Forbidden, "a member")
		_, err = item(ag.outsider, it.ID)
		wantCode(t, err, errs.NotFound, "no seat")
		_, err = item(w.b.admin, it.ID)
		wantCode(t, err, errs.NotFound, "another tenant's admin")
		_, err = item(ag.chair, open.ID)
		wantCode(t, err, errs.Conflict, "undecided item")
		wantCode(t, poll(ag.alice, p.ID), errs.Forbidden, "a member, poll")
		wantCode(t, poll(w.b.chair, p.ID), errs.NotFound, "another tenant's chair, poll")
		// A written procedure decides once its result is published.
		wp := w.written(t, ag, meetings.Named, 24*time.Hour)
		for _, v := range []tenant.Actor{ag.chair, ag.alice, ag.bob} {
			must(t, w.cast(v, wp.ID, meetings.Yes))
		}
		_, err = w.svc.ClosePoll(ctx, ag.chair, wp.ID)
		must(t, err)
		wantCode(t, poll(ag.chair, wp.ID), errs.Conflict, "closed, not published")
		_, err = w.svc.PublishPoll(ctx, ag.chair, wp.ID)
		must(t, err)
		must(t, poll(ag.chair, wp.ID))
		// How it reads for someone outside the committee.
		must(t, w.d.Tenant(ctx, ag.tenant.ID, func(tx *db.Tx) error {
			dc, err := w.svc.DescribeDecision(tx, ag.outsider, &it.ID, &p.ID)
			if err != nil || dc == nil || dc.Readable || dc.ItemTitle != it.Title || !dc.ItemPublic {
				t.Fatalf("outsider reads %+v %v", dc, err)
			}
			dc, err = w.svc.DescribeDecision(tx, ag.alice, nil, &wp.ID)
			if err != nil || dc == nil || !dc.Readable || !dc.Written() || dc.PollTitle != wp.Title {
				t.Fatalf("member reads %+v %v", dc, err)
			}
			return nil
		}))
	})
}

// TestImplementationReport: the next meeting gets one automatic item,
// made when a line is closed, rewritten after, and shown in the minutes;
// with no next meeting the report waits for one.
func TestImplementationReport(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		ag := w.a
		_, it, _ := w.decided(t, ag)
		closed := w.clock.Now()
		lineA := meetings.ReportLine{TaskID: uuid.New(), Title: "Förderantrag stellen", WorkspaceName: "Bauamt", State: meetings.ReportDone,
			DueOn: "2026-04-01", ClosedAt: &closed, ItemID: &it.ID}
		lineB := meetings.ReportLine{TaskID: uuid.New(), Title: "Anlieger informieren", WorkspaceName: "Bauamt", State: meetings.ReportOpen, ItemID: &it.ID}
		// No next meeting: nothing happens.
		w.report(t, ag, []meetings.ReportLine{lineA})
		if n := w.count(t, ag.tenant.ID, "agenda_items", "automatic IS NOT NULL"); n != 0 {
			t.Fatalf("%d reports without a meeting", n)
		}
		next := w.planned(t, ag, 14)
		later := w.planned(t, ag, 28)
		// Only open lines: no report yet.
		w.report(t, ag, []meetings.ReportLine{lineB})
		if rs := w.reports(t, ag, next.ID); len(rs) != 0 {
			t.Fatalf("report without a closed task: %+v", rs)
		}
		lineB.State = meetings.ReportOpen
		w.report(t, ag, []meetings.ReportLine{lineA, lineB})
		rs := w.reports(t, ag, next.ID)
		if len(rs) != 1 || rs[0].Title != meetings.ReportTitle || rs[0].Public || rs[0].Number == 0 ||
			!strings.Contains(rs[0].Description, "„Förderantrag stellen“ (Arbeitsraum Bauamt), aus TOP 1 „Bebauungsplan Nord“") ||
			!strings.Contains(rs[0].Description, "erledigt am 02.03.2026; fällig am 01.04.2026") ||
			!strings.Contains(rs[0].Description, "„Anlieger informieren“ (Arbeitsraum Bauamt), aus TOP 1 „Bebauungsplan Nord“ der Sitzung vom 02.03.2026: in Bearbeitung") {
			t.Fatalf("report %+v", rs)
		}
		// The second task done: the same item, rewritten.
		lineB.State, lineB.ClosedAt = meetings.ReportCancelled, &closed
		w.report(t, ag, []meetings.ReportLine{lineA, lineB})
		again := w.reports(t, ag, next.ID)
		if len(again) != 1 || again[0].ID != rs[0].ID || !strings.Contains(again[0].Description, "„Anlieger informieren“") ||
			!strings.Contains(again[0].Description, "abgebrochen am 02.03.2026") {
			t.Fatalf("report after the second task %+v", again)
		}
		if len(w.reports(t, ag, later.ID)) != 0 || w.count(t, ag.tenant.ID, "audit_events", "action = ?", meetings.ActionReportUpdated) != 1 {
			t.Fatal("a second report, or not one update recorded")
		}
		// The meeting is held: the minutes carry the report.
		w.clock.Set(next.StartsAt)
		for _, to := range []meetings.MeetingState{meetings.Invited, meetings.InSession, meetings.Closed} {
			_, err := w.svc.AdvanceMeeting(ctx, ag.chair, next.ID, to)
			must(t, err)
		}
		mn, err := w.svc.Minutes(ctx, ag.chair, next.ID)
		must(t, err)
		var found bool
		for _, mi := range mn.Content.Items {
			found = found || (mi.Title == meetings.ReportTitle && strings.Contains(mi.Description, "„Förderantrag stellen“") &&
				strings.Contains(mi.Description, "abgebrochen"))
		}
		if !found {
			t.Fatalf("the minutes lack the report: %+v", mn.Content.Items)
		}
		// After the meeting, the lines the task module gives start again
		// after the cutoff; the next report goes to the later meeting.
		must(t, w.inTx(t, ag, func(tx *db.Tx) error {
			since, err := meetings.ReportCutoff(tx, ag.committee.ID)
			if err != nil || since.IsZero() || since.Before(closed) {
				t.Fatalf("cutoff %v %v", since, err)
			}
			return nil
		}))
		w.report(t, ag, []meetings.ReportLine{lineA})
		if len(w.reports(t, ag, later.ID)) != 1 {
			t.Fatal("the later meeting has no report")
		}
	})
}

// TestReportWaitsForMeeting: with no next meeting the report waits; the
// next meeting planned asks the report source, and a cancelled meeting
// hands the report on.
func TestReportWaitsForMeeting(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		ag := w.a
		closed := w.clock.Now()
		var asked []time.Time
		w.configure(meetings.WithReportSource(func(_ context.Context, _ *db.Tx, committeeID uuid.UUID, since time.Time) ([]meetings.ReportLine, error) {
			if committeeID != ag.committee.ID {
				t.Errorf("asked for committee %s", committeeID)
			}
			asked = append(asked, since)
			return []meetings.ReportLine{{TaskID: uuid.New(), Title: "Umlauf umsetzen", WorkspaceName: "Kämmerei", State: meetings.ReportDone, ClosedAt: &closed}}, nil
		}))
		first := w.planned(t, ag, 7)
		second := w.planned(t, ag, 21)
		if len(asked) != 2 || !asked[0].IsZero() {
			t.Fatalf("source asked %v", asked)
		}
		if rs := w.reports(t, ag, first.ID); len(rs) != 1 || !strings.Contains(rs[0].Description, "„Umlauf umsetzen“ (Arbeitsraum Kämmerei): erledigt") {
			t.Fatalf("first meeting's report %+v", rs)
		}
		if len(w.reports(t, ag, second.ID)) != 0 {
			t.Fatal("the second meeting got a report too")
		}
		_, err := w.svc.CancelMeeting(ctx, ag.chair, first.ID, "Saal belegt")
		must(t, err)
		if rs := w.reports(t, ag, second.ID); len(rs) != 1 {
			t.Fatalf("the report did not move on: %+v", rs)
		}
		// Another tenant's committee is not touched.
		if n := w.count(t, w.b.tenant.ID, "agenda_items", "automatic IS NOT NULL"); n != 0 {
			t.Fatalf("tenant b has %d reports", n)
		}
	})
}
