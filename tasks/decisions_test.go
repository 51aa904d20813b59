package tasks_test

import (
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/kollab/kollab/internal/db"
	"github.com/kollab/kollab/internal/db/dbtest"
	"github.com/kollab/kollab/internal/errs"
	"github.com/kollab/kollab/internal/notify"
	"github.com/kollab/kollab/meetings"
	"github.com/kollab/kollab/meetings/render"
	"github.com/kollab/kollab/tasks"
	"github.com/kollab/kollab/tenant"
)

// board is an agency's committee "Bauausschuss": alice chairs it, dave is
// its secretary, bob a member; a meeting held today decided its public
// item and its non-public item by published polls, a written procedure's
// result is published too, and an item of the meeting stayed undecided.
type board struct {
	committee             *meetings.Committee
	meeting               *meetings.Meeting
	item, secret, pending *meetings.AgendaItem
	written               *meetings.Poll
}

// decisionWorld adds the committee module to the tasks world.
type decisionWorld struct {
	*world
	ms     *meetings.Service
	ts     *tasks.Service
	boards map[*agency]*board
}

func newDecisionWorld(t *testing.T, d *db.DB) *decisionWorld {
	t.Helper()
	w := &decisionWorld{world: newWorld(t, d), boards: map[*agency]*board{}}
	w.ms = meetings.NewService(d, w.docs, render.Renderer{}, meetings.WithClock(w.clock.Now), meetings.WithReportSource(tasks.ReportLines))
	w.ts = tasks.NewService(d, tasks.WithClock(w.clock.Now), tasks.WithNotify(notify.New(d)), tasks.WithMeetings(w.ms))
	for _, ag := range []*agency{w.a, w.b} {
		w.boards[ag] = w.board(t, ag)
	}
	return w
}

func (w *decisionWorld) board(t *testing.T, ag *agency) *board {
	t.Helper()
	ms, b := w.ms, &board{}
	var err error
	b.committee, err = ms.CreateCommittee(ctx, ag.admin, meetings.CommitteeInput{Name: "Bauausschuss"})
	must(t, err)
	for _, s := range []struct {
		who  tenant.Actor
		role meetings.Role
	}{{ag.alice, meetings.RoleChair}, {ag.dave, meetings.RoleSecretary}, {ag.bob, meetings.RoleMember}} {
		_, err := ms.SetMember(ctx, ag.admin, b.committee.ID, meetings.MemberInput{MembershipID: s.who.MembershipID, Role: s.role, Voting: true, Weight: 1})
		must(t, err)
	}
	now := w.clock.Now()
	b.meeting, err = ms.CreateMeeting(ctx, ag.alice, b.committee.ID, meetings.MeetingInput{Title: "Sitzung", StartsAt: now, EndsAt: now.Add(2 * time.Hour)})
	must(t, err)
	add := func(title string, public bool) *meetings.AgendaItem {
		it, err := ms.AddAgendaItem(ctx, ag.alice, b.meeting.ID, meetings.AgendaItemInput{Title: title, Public: public})
		must(t, err)
		return it
	}
	b.item, b.secret, b.pending = add("Sanierung Grundschule", true), add("Grundstückskauf Meier", false), add("Verschiedenes", true)
	for _, to := range []meetings.MeetingState{meetings.Invited, meetings.InSession} {
		_, err = ms.AdvanceMeeting(ctx, ag.alice, b.meeting.ID, to)
		must(t, err)
	}
	for _, who := range []tenant.Actor{ag.alice, ag.dave, ag.bob} {
		_, err = ms.SetAttendance(ctx, ag.alice, b.meeting.ID, who.MembershipID, meetings.Present)
		must(t, err)
	}
	decide := func(in meetings.PollInput) *meetings.Poll {
		p, err := ms.CreatePoll(ctx, ag.alice, in)
		must(t, err)
		_, err = ms.OpenPoll(ctx, ag.alice, p.ID)
		must(t, err)
		for _, who := range []tenant.Actor{ag.alice, ag.dave, ag.bob} {
			_, err = ms.Cast(ctx, who, p.ID, uuid.Nil, meetings.Vote{Choice: meetings.Yes})
			must(t, err)
		}
		_, err = ms.ClosePoll(ctx, ag.alice, p.ID)
		must(t, err)
		p, err = ms.PublishPoll(ctx, ag.alice, p.ID)
		must(t, err)
		return p
	}
	for _, it := range []*meetings.AgendaItem{b.item, b.secret} {
		decide(meetings.PollInput{AgendaItemID: it.ID, Title: "Beschluss", Kind: meetings.Named, Method: meetings.YesNoAbstain})
	}
	b.written = decide(meetings.PollInput{CommitteeID: b.committee.ID, Deadline: now.Add(48 * time.Hour), Title: "Umlauf Spielplatz",
		Kind: meetings.Named, Method: meetings.YesNoAbstain})
	return b
}

// next plans the committee's next meeting, days from now.
func (w *decisionWorld) next(t *testing.T, ag *agency, days int) *meetings.Meeting {
	t.Helper()
	at := w.clock.Now().Add(time.Duration(days) * 24 * time.Hour)
	m, err := w.ms.CreateMeeting(ctx, ag.alice, w.boards[ag].committee.ID, meetings.MeetingInput{Title: "Nächste Sitzung", StartsAt: at, EndsAt: at.Add(time.Hour)})
	must(t, err)
	return m
}

// reports lists a meeting's automatic items.
func (w *decisionWorld) reports(t *testing.T, ag *agency, meetingID uuid.UUID) []meetings.AgendaItem {
	t.Helper()
	items, err := w.ms.ListAgenda(ctx, ag.alice, meetingID)
	must(t, err)
	var out []meetings.AgendaItem
	for _, it := range items {
		if it.Automatic {
			out = append(out, it)
		}
	}
	return out
}

// automatic counts the automatic agenda items of ag's tenant.
func (w *decisionWorld) automatic(t *testing.T, ag *agency) (n int64) {
	t.Helper()
	must(t, w.d.Tenant(ctx, ag.tenant.ID, func(tx *db.Tx) error {
		return tx.Table("agenda_items").Where("automatic IS NOT NULL").Count(&n).Error
	}))
	return n
}

// statusOf returns the id of ws's built-in status of category c.
func (w *decisionWorld) statusOf(t *testing.T, ag *agency, c tasks.Category) uuid.UUID {
	t.Helper()
	sts, err := w.ts.Statuses(ctx, ag.alice, ag.ws.ID)
	must(t, err)
	for _, s := range sts {
		if s.Category == c && s.Builtin != nil {
			return s.ID
		}
	}
	t.Fatalf("no status %s", c)
	return uuid.Nil
}

// TestFollowUpTasks: the chair makes follow-up tasks from a decided item
// and from a written procedure into a workspace; the task shows its
// decision as its reader may see it; members of the committee list them;
// everyone else gets what fits (403, 409, 422, 404).
func TestFollowUpTasks(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newDecisionWorld(t, d)
		ag, b := w.a, w.boards[w.a]
		in := tasks.FollowUpInput{WorkspaceID: ag.ws.ID, Title: "Ausschreibung vorbereiten", Description: "Nach Beschluss.",
			AssigneeIDs: []uuid.UUID{ag.bob.MembershipID}, DueWorkdays: 10}
		tk, err := w.ts.CreateFollowUp(ctx, ag.alice, tasks.FromItem(b.item.ID), in)
		must(t, err)
		dc := tk.Decision
		if dc == nil || dc.Text != "Beschluss: Bauausschuss – 07.12.2026 – TOP 1 Sanierung Grundschule" || !dc.Readable ||
			dc.Link != "meetings/"+b.meeting.ID.String() || dc.Kind != tasks.DecisionItem || tk.DueOn != "2026-12-21" || len(tk.Assignees) != 1 {
			t.Fatalf("follow-up %+v decision %+v", tk, dc)
		}
		if n := w.events(t, ag.tenant.ID, notify.KindTaskAssigned, ag.bob.MembershipID); n != 1 {
			t.Fatalf("bob told %d times", n)
		}
		// carol reads the workspace, not the committee: the public item's
		// title, no link; of the non-public item, not its title.
		got, err := w.ts.Get(ctx, ag.carol, tk.ID)
		must(t, err)
		if dc := got.Decision; dc == nil || dc.Readable || dc.Link != "" || dc.MeetingID != nil || dc.Title != "Sanierung Grundschule" {
			t.Fatalf("carol reads %+v", got.Decision)
		}
		sec, err := w.ts.CreateFollowUp(ctx, ag.alice, tasks.FromItem(b.secret.ID), tasks.FollowUpInput{WorkspaceID: ag.ws.ID, Title: "Notartermin"})
		must(t, err)
		for _, who := range []tenant.Actor{ag.carol, ag.g1} {
			got, err := w.ts.Get(ctx, who, sec.ID)
			must(t, err)
			if dc := got.Decision; dc == nil || dc.Text != "Beschluss: Bauausschuss – 07.12.2026 – nichtöffentlicher Beschluss" || dc.Title != "" ||
				!dc.Confidential || strings.Contains(dc.Text, "Meier") {
				t.Fatalf("a reader outside the committee reads %+v", got.Decision)
			}
		}
		if got, err := w.ts.Get(ctx, ag.bob, sec.ID); err != nil || got.Decision.Title != "Grundstückskauf Meier" || got.Decision.Number != 2 {
			t.Fatalf("bob (committee and workspace) reads %+v %v", got, err)
		}
		// A written procedure's verdict (the secretary, into a workspace she owns).
		wt, err := w.ts.CreateFollowUp(ctx, ag.dave, tasks.FromPoll(b.written.ID), tasks.FollowUpInput{WorkspaceID: ag.ws2.ID, Title: "Spielgeräte bestellen"})
		must(t, err)
		if dc := wt.Decision; dc == nil || dc.Kind != tasks.DecisionWritten || dc.Link != "polls/"+b.written.ID.String() ||
			dc.Text != "Beschluss: Bauausschuss – 07.12.2026 – Umlaufverfahren „Umlauf Spielplatz“" {
			t.Fatalf("written %+v", wt.Decision)
		}
		// Refusals.
		_, err = w.ts.CreateFollowUp(ctx, ag.bob, tasks.FromItem(b.item.ID), in)
		wantCode(t, "a member of the committee", err, errs.Forbidden)
		_, err = w.ts.CreateFollowUp(ctx, ag.alice, tasks.FromItem(b.pending.ID), in)
		wantCode(t, "an undecided item", err, errs.Conflict)
		_, err = w.ts.CreateFollowUp(ctx, ag.carol, tasks.FromItem(b.item.ID), in)
		wantCode(t, "no seat", err, errs.NotFound)
		for _, ws := range []uuid.UUID{ag.ws2.ID, w.b.ws.ID, uuid.New()} {
			_, err = w.ts.CreateFollowUp(ctx, ag.alice, tasks.FromItem(b.item.ID), tasks.FollowUpInput{WorkspaceID: ws, Title: "X"})
			if e := errs.As(err); e == nil || e.Code != errs.Invalid || e.Field != "workspace_id" {
				t.Fatalf("a workspace alice cannot write: %v", err)
			}
		}
		_, err = w.ts.CreateFollowUp(ctx, ag.alice, tasks.FromItem(b.item.ID), tasks.FollowUpInput{WorkspaceID: ag.ws.ID, Title: "X",
			AssigneeIDs: []uuid.UUID{ag.dave.MembershipID}})
		wantCode(t, "an assignee outside the workspace", err, errs.Invalid)
		_, err = w.ts.CreateFollowUp(ctx, w.b.alice, tasks.FromItem(b.item.ID), tasks.FollowUpInput{WorkspaceID: w.b.ws.ID, Title: "X"})
		wantCode(t, "another tenant's chair", err, errs.NotFound)
		_, err = w.ts.CreateFollowUp(ctx, w.b.alice, tasks.FromPoll(b.written.ID), tasks.FollowUpInput{WorkspaceID: w.b.ws.ID, Title: "X"})
		wantCode(t, "another tenant's chair, poll", err, errs.NotFound)
		// The lists: members of the committee see title, workspace, state and due day.
		fs, err := w.ts.FollowUps(ctx, ag.bob, tasks.FromItem(b.item.ID))
		must(t, err)
		if len(fs) != 1 || fs[0].TaskID != tk.ID || fs[0].WorkspaceName != ag.ws.Name || fs[0].Category != tasks.Open || fs[0].DueOn != "2026-12-21" || !fs[0].CanOpen {
			t.Fatalf("bob lists %+v", fs)
		}
		if fs, err := w.ts.FollowUps(ctx, ag.alice, tasks.FromPoll(b.written.ID)); err != nil || len(fs) != 1 || fs[0].CanOpen {
			t.Fatalf("alice lists the written procedure's %+v %v", fs, err)
		}
		for _, who := range []tenant.Actor{ag.carol, ag.g1, w.b.alice, w.b.admin} {
			_, err := w.ts.FollowUps(ctx, who, tasks.FromItem(b.item.ID))
			wantCode(t, "list for someone outside the committee", err, errs.NotFound)
		}
	})
}

// TestReportBack: a follow-up task done puts the report on the
// committee's next meeting with the task "erledigt"; a second one done
// updates the same item; the minutes of that meeting carry the report.
func TestReportBack(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newDecisionWorld(t, d)
		ag, b := w.a, w.boards[w.a]
		one, err := w.ts.CreateFollowUp(ctx, ag.alice, tasks.FromItem(b.item.ID), tasks.FollowUpInput{WorkspaceID: ag.ws.ID, Title: "Ausschreibung vorbereiten", DueOn: "2026-12-18"})
		must(t, err)
		two, err := w.ts.CreateFollowUp(ctx, ag.alice, tasks.FromPoll(b.written.ID), tasks.FollowUpInput{WorkspaceID: ag.ws.ID, Title: "Spielgeräte bestellen"})
		must(t, err)
		// Done while no meeting is planned: the report waits, and comes
		// with the next meeting planned.
		_, err = w.ts.Update(ctx, ag.bob, one.ID, one.Version, tasks.Patch{StatusID: ptr(w.statusOf(t, ag, tasks.Done))})
		must(t, err)
		if n := w.automatic(t, ag); n != 0 {
			t.Fatalf("%d reports without a meeting", n)
		}
		next := w.next(t, ag, 14)
		rs := w.reports(t, ag, next.ID)
		if len(rs) != 1 || !strings.Contains(rs[0].Description, "„Ausschreibung vorbereiten“ (Arbeitsraum "+ag.ws.Name+"), aus TOP 1 „Sanierung Grundschule“ der Sitzung vom 07.12.2026: erledigt am 07.12.2026; fällig am 18.12.2026") ||
			!strings.Contains(rs[0].Description, "„Spielgeräte bestellen“ (Arbeitsraum "+ag.ws.Name+"), aus dem Umlaufverfahren „Umlauf Spielplatz“: in Bearbeitung") {
			t.Fatalf("report %+v", rs)
		}
		// The second done on the board: the same item, rewritten.
		w.clock.Advance(24 * time.Hour)
		_, err = w.ts.MoveTask(ctx, ag.bob, two.ID, 0, tasks.Move{StatusID: w.statusOf(t, ag, tasks.Done)})
		must(t, err)
		again := w.reports(t, ag, next.ID)
		if len(again) != 1 || again[0].ID != rs[0].ID || !strings.Contains(again[0].Description, "„Spielgeräte bestellen“ (Arbeitsraum "+ag.ws.Name+"), aus dem Umlaufverfahren „Umlauf Spielplatz“: erledigt am 08.12.2026") {
			t.Fatalf("report after the second task %+v", again)
		}
		if n := w.automatic(t, ag); n != 1 {
			t.Fatalf("%d reports", n)
		}
		// The meeting is held; its minutes carry the report.
		w.clock.Set(next.StartsAt)
		for _, to := range []meetings.MeetingState{meetings.Invited, meetings.InSession, meetings.Closed} {
			_, err := w.ms.AdvanceMeeting(ctx, ag.alice, next.ID, to)
			must(t, err)
		}
		mn, err := w.ms.Minutes(ctx, ag.alice, next.ID)
		must(t, err)
		found := false
		for _, it := range mn.Content.Items {
			found = found || (it.Title == meetings.ReportTitle && strings.Contains(it.Description, "„Spielgeräte bestellen“") &&
				strings.Contains(it.Description, "„Ausschreibung vorbereiten“"))
		}
		if !found {
			t.Fatalf("the minutes lack the report: %+v", mn.Content.Items)
		}
		// Reported once: after the meeting began, a later change reports to
		// the meeting after, without the tasks already reported.
		later := w.next(t, ag, 30)
		if len(w.reports(t, ag, later.ID)) != 0 {
			t.Fatal("a report without anything new")
		}
		// Tenant b's committee has no report.
		if n := w.automatic(t, w.b); n != 0 {
			t.Fatalf("tenant b has %d reports", n)
		}
	})
}

// TestReportBackConcurrent: follow-up tasks of one committee closed at
// the same time all reach the one report (each change waits for the
// committee's report lock and then sees the ones before it).
func TestReportBackConcurrent(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newDecisionWorld(t, d)
		ag, b := w.a, w.boards[w.a]
		next := w.next(t, ag, 14)
		done := w.statusOf(t, ag, tasks.Done)
		var titles []string
		for round := range 3 {
			var tks []*tasks.Task
			for i := range 3 {
				title := fmt.Sprintf("Aufgabe %d-%d", round, i)
				tk, err := w.ts.CreateFollowUp(ctx, ag.alice, tasks.FromItem(b.item.ID), tasks.FollowUpInput{WorkspaceID: ag.ws.ID, Title: title})
				must(t, err)
				tks, titles = append(tks, tk), append(titles, title)
			}
			var wg sync.WaitGroup
			errc := make(chan error, len(tks))
			for _, tk := range tks {
				wg.Go(func() {
					_, err := w.ts.Update(ctx, ag.bob, tk.ID, tk.Version, tasks.Patch{StatusID: &done})
					errc <- err
				})
			}
			wg.Wait()
			close(errc)
			for err := range errc {
				must(t, err)
			}
			rs := w.reports(t, ag, next.ID)
			if len(rs) != 1 {
				t.Fatalf("round %d: %d reports", round, len(rs))
			}
			for _, title := range titles {
				if !strings.Contains(rs[0].Description, "„"+title+"“ (Arbeitsraum "+ag.ws.Name+"), aus TOP 1 „Sanierung Grundschule“ der Sitzung vom 07.12.2026: erledigt") {
					t.Fatalf("round %d: %s is not reported done:\n%s", round, title, rs[0].Description)
				}
			}
		}
	})
}
