package meetings_test

import (
	"bytes"
	"slices"
	"strings"
	"testing"
	"time"

	ics "github.com/arran4/golang-ical"
	"github.com/google/uuid"
	"github.com/kollab/kollab/documents"
	"github.com/kollab/kollab/internal/db"
	"github.com/kollab/kollab/internal/db/dbtest"
	"github.com/kollab/kollab/internal/errs"
	"github.com/kollab/kollab/meetings"
	"github.com/kollab/kollab/meetings/render"
	"github.com/kollab/kollab/tenant"
)

// items adds accepted items to a meeting.
func (w *world) items(t *testing.T, ag *agency, m *meetings.Meeting, titles ...string) []*meetings.AgendaItem {
	t.Helper()
	out := []*meetings.AgendaItem{}
	for _, title := range titles {
		it, err := w.svc.AddAgendaItem(ctx, ag.chair, m.ID, meetings.AgendaItemInput{Title: title, Public: true})
		must(t, err)
		out = append(out, it)
	}
	return out
}

// The chair calls an item as current; every member reads it; opening a
// poll calls its item; closing the meeting clears it. Only managers call,
// only in session, only accepted items of the meeting.
func TestCurrentItem(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		ag := w.a
		m, it1 := w.session(t, ag, ag.chair, ag.alice, ag.bob)
		its := w.items(t, ag, m, "Vergabe Winterdienst", "Radweg")
		it2 := its[0]
		proposal, err := w.svc.AddAgendaItem(ctx, ag.alice, m.ID, meetings.AgendaItemInput{Title: "Vorschlag"})
		must(t, err)
		other, err := w.svc.CreateMeeting(ctx, ag.chair, ag.committee.ID, meetings.MeetingInput{Title: "Andere", StartsAt: w.clock.Now(),
			EndsAt: w.clock.Now().Add(time.Hour)})
		must(t, err)
		foreign := w.items(t, ag, other, "Fremder Punkt")[0]

		if got, _ := w.svc.GetMeeting(ctx, ag.alice, m.ID); got.CurrentItemID != nil {
			t.Fatalf("a current item before any was called: %v", got.CurrentItemID)
		}
		audits := w.count(t, ag.tenant.ID, "audit_events", "action = ?", meetings.ActionCurrentItem)
		_, err = w.svc.SetCurrentItem(ctx, ag.alice, m.ID, it2.ID)
		wantCode(t, err, errs.Forbidden, "a member calls an item")
		_, err = w.svc.SetCurrentItem(ctx, w.b.chair, m.ID, it2.ID)
		wantCode(t, err, errs.NotFound, "another tenant's chair calls an item")
		_, err = w.svc.SetCurrentItem(ctx, ag.chair, m.ID, proposal.ID)
		wantCode(t, err, errs.Invalid, "a proposal is called")
		_, err = w.svc.SetCurrentItem(ctx, ag.chair, m.ID, foreign.ID)
		wantCode(t, err, errs.Invalid, "another meeting's item is called")
		_, err = w.svc.SetCurrentItem(ctx, ag.chair, m.ID, uuid.New())
		wantCode(t, err, errs.Invalid, "an unknown item is called")
		_, err = w.svc.SetCurrentItem(ctx, ag.chair, other.ID, foreign.ID)
		wantCode(t, err, errs.Conflict, "a meeting not in session")
		if w.count(t, ag.tenant.ID, "audit_events", "action = ?", meetings.ActionCurrentItem) != audits {
			t.Fatal("a refused call was audited")
		}

		got, err := w.svc.SetCurrentItem(ctx, ag.secretary, m.ID, it2.ID)
		must(t, err)
		if got.CurrentItemID == nil || *got.CurrentItemID != it2.ID {
			t.Fatalf("called: %+v", got)
		}
		if got, _ := w.svc.GetMeeting(ctx, ag.alice, m.ID); got.CurrentItemID == nil || *got.CurrentItemID != it2.ID {
			t.Fatalf("a member reads the current item %v", got.CurrentItemID)
		}
		// Calling it again changes nothing and records nothing.
		_, err = w.svc.SetCurrentItem(ctx, ag.chair, m.ID, it2.ID)
		must(t, err)
		if n := w.count(t, ag.tenant.ID, "audit_events", "action = ?", meetings.ActionCurrentItem); n != audits+1 {
			t.Fatalf("%d audit events for one call", n-audits)
		}

		// Opening a poll on item 1 calls item 1.
		p := w.openPoll(t, ag, it1.ID, meetings.Named, nil)
		if got, _ := w.svc.GetMeeting(ctx, ag.bob, m.ID); got.CurrentItemID == nil || *got.CurrentItemID != it1.ID {
			t.Fatalf("opening a poll did not call its item: %v", got.CurrentItemID)
		}
		_, err = w.svc.ClosePoll(ctx, ag.chair, p.ID)
		must(t, err)

		// None called, then item 2 again; closing the meeting clears it.
		got, err = w.svc.SetCurrentItem(ctx, ag.chair, m.ID, uuid.Nil)
		must(t, err)
		if got.CurrentItemID != nil {
			t.Fatalf("cleared: %v", got.CurrentItemID)
		}
		_, err = w.svc.SetCurrentItem(ctx, ag.chair, m.ID, it2.ID)
		must(t, err)
		_, err = w.svc.AdvanceMeeting(ctx, ag.chair, m.ID, meetings.Closed)
		must(t, err)
		if got, _ := w.svc.GetMeeting(ctx, ag.alice, m.ID); got.CurrentItemID != nil {
			t.Fatalf("a closed meeting keeps a current item: %v", got.CurrentItemID)
		}
		_, err = w.svc.SetCurrentItem(ctx, ag.chair, m.ID, it2.ID)
		wantCode(t, err, errs.Conflict, "call an item of a closed meeting")
	})
}

// A draft poll is corrected: reworded, made an election and back, moved to
// another item of its meeting (not to another meeting's, nor to a
// proposal), and deleted; once opened it can neither be changed nor
// deleted. Every change is audited.
func TestDraftPollEditMoveDelete(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		ag := w.a
		m, it1 := w.session(t, ag, ag.chair, ag.alice, ag.bob)
		it2 := w.items(t, ag, m, "Vergabe Winterdienst")[0]
		proposal, err := w.svc.AddAgendaItem(ctx, ag.alice, m.ID, meetings.AgendaItemInput{Title: "Vorschlag"})
		must(t, err)
		other, err := w.svc.CreateMeeting(ctx, ag.chair, ag.committee.ID, meetings.MeetingInput{Title: "Andere", StartsAt: w.clock.Now(),
			EndsAt: w.clock.Now().Add(time.Hour)})
		must(t, err)
		foreign := w.items(t, ag, other, "Fremder Punkt")[0]

		p, err := w.svc.CreatePoll(ctx, ag.chair, meetings.PollInput{AgendaItemID: it1.ID, Title: "Vergabe an Firma Schnee",
			Kind: meetings.Named, Method: meetings.YesNoAbstain})
		must(t, err)
		audits := w.count(t, ag.tenant.ID, "audit_events", "action = ?", meetings.ActionPollUpdated)
		for _, tc := range []struct {
			who  tenant.Actor
			e    meetings.PollEdit
			code errs.Code
			what string
		}{
			{ag.alice, meetings.PollEdit{Title: ptr("x")}, errs.Forbidden, "a member edits"},
			{w.b.chair, meetings.PollEdit{Title: ptr("x")}, errs.NotFound, "another tenant edits"},
			{ag.chair, meetings.PollEdit{AgendaItemID: &foreign.ID}, errs.Invalid, "move to another meeting"},
			{ag.chair, meetings.PollEdit{AgendaItemID: &proposal.ID}, errs.Invalid, "move to a proposal"},
			{ag.chair, meetings.PollEdit{Title: ptr("  ")}, errs.Invalid, "an empty wording"},
			{ag.chair, meetings.PollEdit{Method: ptr(meetings.Choice)}, errs.Invalid, "an election without options"},
			{ag.chair, meetings.PollEdit{Deadline: ptr(w.clock.Now().Add(time.Hour))}, errs.Invalid, "a deadline in session"},
			{ag.chair, meetings.PollEdit{Kind: ptr(meetings.Kind("open"))}, errs.Invalid, "an unknown kind"},
		} {
			_, err := w.svc.UpdatePoll(ctx, tc.who, p.ID, tc.e)
			wantCode(t, err, tc.code, tc.what)
		}
		if got, _ := w.svc.GetPoll(ctx, ag.chair, p.ID); got.Title != p.Title || *got.AgendaItemID != it1.ID ||
			w.count(t, ag.tenant.ID, "audit_events", "action = ?", meetings.ActionPollUpdated) != audits {
			t.Fatalf("a refused edit changed something: %+v", got)
		}

		// Moved to item 2, reworded, an election with two seats.
		moved, err := w.svc.UpdatePoll(ctx, ag.secretary, p.ID, meetings.PollEdit{AgendaItemID: &it2.ID, Title: ptr("Vergabe Winterdienst 2027"),
			Method: ptr(meetings.Choice), Options: &[]string{"Firma Schnee", "Firma Eis", "Bauhof"}, Seats: ptr(2),
			Rule: &meetings.Rule{Majority: meetings.Absolute, Base: meetings.BasePresent}})
		must(t, err)
		if *moved.AgendaItemID != it2.ID || *moved.MeetingID != m.ID || moved.Title != "Vergabe Winterdienst 2027" || moved.Method != meetings.Choice ||
			moved.Seats != 2 || len(moved.Options) != 3 || moved.Options[1].Label != "Firma Eis" || moved.Rule.Majority != meetings.Absolute ||
			moved.State != meetings.PollDraft {
			t.Fatalf("moved: %+v", moved)
		}
		// Back to yes/no: the options go.
		back, err := w.svc.UpdatePoll(ctx, ag.chair, p.ID, meetings.PollEdit{Method: ptr(meetings.YesNoAbstain)})
		must(t, err)
		if back.Method != meetings.YesNoAbstain || back.Seats != 1 || len(back.Options) != 0 || w.count(t, ag.tenant.ID, "poll_options", "poll_id = ?", p.ID) != 0 {
			t.Fatalf("back to yes/no: %+v", back)
		}
		if n := w.count(t, ag.tenant.ID, "audit_events", "action = ?", meetings.ActionPollUpdated); n != audits+2 {
			t.Fatalf("%d edits audited, want 2", n-audits)
		}
		if n := w.count(t, ag.tenant.ID, "audit_events", "action = ? AND details LIKE ?", meetings.ActionPollUpdated, "%"+it1.ID.String()+"%"); n != 1 {
			t.Fatalf("the move's audit event does not name where it came from (%d)", n)
		}

		// Deleted.
		gone, err := w.svc.CreatePoll(ctx, ag.chair, meetings.PollInput{AgendaItemID: it1.ID, Title: "Doppelt angelegt",
			Kind: meetings.Named, Method: meetings.Choice, Options: []string{"A", "B"}})
		must(t, err)
		wantCode(t, w.svc.DeletePoll(ctx, ag.alice, gone.ID), errs.Forbidden, "a member deletes")
		wantCode(t, w.svc.DeletePoll(ctx, w.b.chair, gone.ID), errs.NotFound, "another tenant deletes")
		must(t, w.svc.DeletePoll(ctx, ag.chair, gone.ID))
		_, err = w.svc.GetPoll(ctx, ag.chair, gone.ID)
		wantCode(t, err, errs.NotFound, "a deleted poll")
		if w.count(t, ag.tenant.ID, "poll_options", "poll_id = ?", gone.ID) != 0 ||
			w.count(t, ag.tenant.ID, "audit_events", "action = ? AND target_id = ?", meetings.ActionPollDeleted, gone.ID.String()) != 1 {
			t.Fatal("the deleted poll left options, or no audit event")
		}

		// Opened, it is part of the record.
		_, err = w.svc.OpenPoll(ctx, ag.chair, p.ID)
		must(t, err)
		_, err = w.svc.UpdatePoll(ctx, ag.chair, p.ID, meetings.PollEdit{AgendaItemID: &it1.ID})
		wantCode(t, err, errs.Conflict, "move an opened poll")
		wantCode(t, w.svc.DeletePoll(ctx, ag.chair, p.ID), errs.Conflict, "delete an opened poll")

		// A written procedure's draft moves its deadline, never to an item.
		wp, err := w.svc.CreatePoll(ctx, ag.chair, meetings.PollInput{CommitteeID: ag.committee.ID, Deadline: w.clock.Now().Add(time.Hour),
			Title: "Umlauf", Kind: meetings.Named, Method: meetings.YesNoAbstain})
		must(t, err)
		_, err = w.svc.UpdatePoll(ctx, ag.chair, wp.ID, meetings.PollEdit{AgendaItemID: &it1.ID})
		wantCode(t, err, errs.Invalid, "a written procedure to an item")
		_, err = w.svc.UpdatePoll(ctx, ag.chair, wp.ID, meetings.PollEdit{Deadline: ptr(w.clock.Now().Add(-time.Hour))})
		wantCode(t, err, errs.Invalid, "a deadline in the past")
		later := w.clock.Now().Add(48 * time.Hour)
		wp, err = w.svc.UpdatePoll(ctx, ag.chair, wp.ID, meetings.PollEdit{Deadline: &later})
		must(t, err)
		if !wp.Deadline.Equal(later) {
			t.Fatalf("deadline %v, want %v", wp.Deadline, later)
		}
	})
}

// The 0:0:0 case: a poll opened on the wrong item and closed without a
// ballot is annulled with a reason; the minutes show it annulled, not as a
// rejected decision. A running poll is annulled with its ballots kept and
// no more taken; a published one until the minutes are approved; the
// draft of the minutes follows an annulment; approved minutes seal.
func TestAnnulAnyOpenedPoll(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		ag := w.a
		m, it1 := w.session(t, ag, ag.chair, ag.alice, ag.bob, ag.carol)
		it2 := w.items(t, ag, m, "Vergabe Winterdienst")[0]

		// Opened on the wrong item, closed at once: 0:0:0.
		wrong := w.openPoll(t, ag, it1.ID, meetings.Named, nil)
		closed, err := w.svc.ClosePoll(ctx, ag.chair, wrong.ID)
		must(t, err)
		if !closed.CanAnnul || closed.Ballots != 0 {
			t.Fatalf("closed with no ballots: %+v", closed)
		}
		for _, reason := range []string{"", " \t", strings.Repeat("ä", meetings.MaxReasonLen+1), "a\x07b"} {
			_, err := w.svc.AnnulPoll(ctx, ag.chair, wrong.ID, reason)
			wantCode(t, err, errs.Invalid, "annul without a valid reason")
		}
		long := strings.Repeat("ä", meetings.MaxReasonLen)
		an, err := w.svc.AnnulPoll(ctx, ag.secretary, wrong.ID, long)
		must(t, err)
		if an.State != meetings.PollAnnulled || an.AnnulReason != long || an.CanAnnul {
			t.Fatalf("annulled: %+v", an)
		}

		// A running named poll with two ballots, annulled: the ballots stay,
		// no third is taken, there is no result.
		running := w.openPoll(t, ag, it2.ID, meetings.Named, nil)
		must(t, w.cast(ag.alice, running.ID, meetings.Yes))
		must(t, w.cast(ag.bob, running.ID, meetings.No))
		_, err = w.svc.AnnulPoll(ctx, ag.alice, running.ID, "Ich will nicht")
		wantCode(t, err, errs.Forbidden, "a member annuls")
		_, err = w.svc.AnnulPoll(ctx, ag.chair, running.ID, "Falsche Vorlage aufgerufen")
		must(t, err)
		wantCode(t, w.cast(ag.carol, running.ID, meetings.Yes), errs.Conflict, "a ballot after the annulment")
		if n := w.count(t, ag.tenant.ID, "poll_votes", "poll_id = ?", running.ID); n != 2 {
			t.Fatalf("%d ballots kept, want 2", n)
		}
		_, err = w.svc.Result(ctx, ag.chair, running.ID)
		wantCode(t, err, errs.Conflict, "result of an annulled running poll")
		_, err = w.svc.NamedVotes(ctx, ag.chair, running.ID)
		wantCode(t, err, errs.Conflict, "named votes of an annulled poll")
		// A running secret poll: annulled, never counted.
		secret := w.openPoll(t, ag, it2.ID, meetings.Secret, nil)
		for _, v := range []tenant.Actor{ag.alice, ag.bob, ag.carol} {
			must(t, w.cast(v, secret.ID, meetings.Yes))
		}
		_, err = w.svc.AnnulPoll(ctx, ag.chair, secret.ID, "Geheime Wahl war nicht beantragt")
		must(t, err)
		if n := w.count(t, ag.tenant.ID, "secret_ballots", "poll_id = ?", secret.ID); n != 3 {
			t.Fatalf("%d secret ballots kept, want 3", n)
		}

		// A published poll, then the right one on item 1.
		pub := w.openPoll(t, ag, it2.ID, meetings.Named, nil)
		must(t, w.cast(ag.alice, pub.ID, meetings.Yes))
		_, err = w.svc.ClosePoll(ctx, ag.chair, pub.ID)
		must(t, err)
		pubd, err := w.svc.PublishPoll(ctx, ag.chair, pub.ID)
		must(t, err)
		if !pubd.CanAnnul {
			t.Fatalf("a published poll of a meeting without approved minutes: %+v", pubd)
		}
		right := w.openPoll(t, ag, it1.ID, meetings.Named, nil)
		must(t, w.cast(ag.alice, right.ID, meetings.Yes))
		_, err = w.svc.ClosePoll(ctx, ag.chair, right.ID)
		must(t, err)

		_, err = w.svc.AdvanceMeeting(ctx, ag.chair, m.ID, meetings.Closed)
		must(t, err)
		mins, err := w.svc.Minutes(ctx, ag.chair, m.ID)
		must(t, err)
		// Annulled after the draft was made: the draft follows, its version goes up.
		_, err = w.svc.AnnulPoll(ctx, ag.chair, pub.ID, "Beschluss beruhte auf falscher Vorlage")
		must(t, err)
		_, err = w.svc.UpdateMinutes(ctx, ag.secretary, m.ID, mins.Version, meetings.MinutesEdit{Preamble: ptr("Eröffnung")})
		wantCode(t, err, errs.PreconditionFailed, "an edit of the draft before the annulment")
		mins, err = w.svc.Minutes(ctx, ag.chair, m.ID)
		must(t, err)
		byPoll := map[uuid.UUID]meetings.MinutesPoll{}
		for _, it := range mins.Content.Items {
			for _, mp := range it.Polls {
				byPoll[mp.PollID] = mp
			}
		}
		for id, reason := range map[uuid.UUID]string{wrong.ID: long, running.ID: "Falsche Vorlage aufgerufen",
			secret.ID: "Geheime Wahl war nicht beantragt", pub.ID: "Beschluss beruhte auf falscher Vorlage"} {
			mp, ok := byPoll[id]
			if !ok || !mp.Annulled || mp.AnnulReason != reason || mp.Verdict != "annulliert" || mp.Passed || mp.Yes != 0 || mp.No != 0 ||
				len(mp.NamedVotes) != 0 || mp.QuorumReached != nil {
				t.Fatalf("annulled poll %s in the minutes: %+v", id, mp)
			}
		}
		if mp := byPoll[right.ID]; mp.Annulled || mp.Verdict != "angenommen" {
			t.Fatalf("the right poll in the minutes: %+v", mp)
		}

		folder, err := w.docs.CreateFolder(ctx, ag.admin, uuid.Nil, "Niederschriften")
		must(t, err)
		_, err = w.docs.SetPermission(ctx, ag.admin, folder.ID, documents.RolePrincipal(tenant.RoleStaff), documents.Write)
		must(t, err)
		_, err = w.svc.ApproveMinutes(ctx, ag.chair, m.ID, mins.Version, folder.ID)
		must(t, err)
		pdf, err := w.svc.MinutesPDF(ctx, ag.alice, m.ID, false)
		must(t, err)
		text := pdfText(t, pdf.Data)
		wantText(t, "minutes", text, "Annullierte Abstimmung: Beschluss", "Annulliert: Falsche Vorlage aufgerufen – kein Beschluss",
			"Beschluss: angenommen")
		refuseText(t, "minutes", text, "abgelehnt", "Nein: 1")

		// Approved minutes seal the meeting's polls.
		if got, _ := w.svc.GetPoll(ctx, ag.chair, right.ID); got.CanAnnul {
			t.Fatalf("a poll in approved minutes can be annulled: %+v", got)
		}
		_, err = w.svc.AnnulPoll(ctx, ag.chair, right.ID, "zu spät")
		wantDetail(t, err, errs.Conflict, "Niederschrift", "annul after the minutes' approval")
		if got, _ := w.svc.GetPoll(ctx, ag.chair, right.ID); got.State != meetings.PollClosed {
			t.Fatalf("a refused annulment changed the poll: %+v", got)
		}
	})
}

// can_vote says why a caller may not vote: no seat, no voting right, or a
// conflict declared on the poll's item (the admin without a seat, the
// advisory member, the conflicted member).
func TestVoteBar(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		ag := w.a
		_, it := w.session(t, ag, ag.chair, ag.alice, ag.bob)
		_, err := w.svc.DeclareConflict(ctx, ag.bob, it.ID, ag.bob.MembershipID, "Eigenes Grundstück")
		must(t, err)
		p := w.openPoll(t, ag, it.ID, meetings.Named, nil)
		for _, tc := range []struct {
			who tenant.Actor
			bar meetings.VoteBar
		}{
			{ag.alice, ""}, {ag.admin, meetings.VoteBarNoSeat}, {ag.adv, meetings.VoteBarNoRight}, {ag.bob, meetings.VoteBarConflict},
		} {
			got, err := w.svc.GetPoll(ctx, tc.who, p.ID)
			must(t, err)
			if got.VoteBar != tc.bar || got.CanVote != (tc.bar == "") {
				t.Errorf("%s: can_vote %v, bar %q", tc.bar, got.CanVote, got.VoteBar)
			}
			ps, err := w.svc.ListPolls(ctx, tc.who, ag.committee.ID)
			must(t, err)
			if len(ps) != 1 || ps[0].VoteBar != tc.bar {
				t.Errorf("%s in the list: %+v", tc.bar, ps)
			}
		}
		wantCode(t, w.cast(ag.bob, p.ID, meetings.Yes), errs.Forbidden, "the conflicted member votes")
		// The conflict withdrawn (between polls), bob may vote in the next one.
		_, err = w.svc.ClosePoll(ctx, ag.chair, p.ID)
		must(t, err)
		must(t, w.svc.WithdrawConflict(ctx, ag.bob, it.ID, ag.bob.MembershipID))
		next := w.openPoll(t, ag, it.ID, meetings.Named, nil)
		if got, _ := w.svc.GetPoll(ctx, ag.bob, next.ID); !got.CanVote || got.VoteBar != "" {
			t.Fatalf("after the withdrawal: %+v", got)
		}
	})
}

// A planned or invited meeting is cancelled with a reason; everyone the
// invitation went to (also a member whose seat ended since, not one who
// joined after) gets the cancellation with a higher SEQUENCE; the feed
// shows the event STATUS:CANCELLED; the meeting no longer changes.
func TestCancelMeeting(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		ag := w.a
		now := w.clock.Now()
		mailer := &fakeMailer{}
		in := meetings.MeetingInput{Title: "Sitzung im Juni", StartsAt: now.Add(14 * 24 * time.Hour), EndsAt: now.Add(14*24*time.Hour + 2*time.Hour),
			Place: "Rathaus"}

		// A planned meeting: cancelled, nobody to mail.
		planned, err := w.svc.CreateMeeting(ctx, ag.chair, ag.committee.ID, in)
		must(t, err)
		got, err := w.svc.CancelMeeting(ctx, ag.secretary, planned.ID, "Keine Beratungsgegenstände")
		must(t, err)
		if got.State != meetings.Cancelled || got.CancelReason != "Keine Beratungsgegenstände" || got.CancelledAt == nil ||
			got.CancelledBy == nil || *got.CancelledBy != ag.secretary.MembershipID {
			t.Fatalf("cancelled: %+v", got)
		}
		if rep := w.deliver(t, mailer); rep.Sent != 0 {
			t.Fatalf("a planned meeting's cancellation mailed: %+v", rep)
		}

		// An invited one.
		m, err := w.svc.CreateMeeting(ctx, ag.chair, ag.committee.ID, in)
		must(t, err)
		w.items(t, ag, m, "Haushalt")
		leaving := w.seat(t, ag, tenant.RoleCommittee, meetings.RoleMember, true, 1)
		_, err = w.svc.AdvanceMeeting(ctx, ag.chair, m.ID, meetings.Invited)
		must(t, err)
		w.deliver(t, mailer)
		invs, _ := mailer.take()
		must(t, w.svc.RemoveMember(ctx, ag.chair, ag.committee.ID, leaving.MembershipID))
		w.seat(t, ag, tenant.RoleCommittee, meetings.RoleMember, true, 1) // joins after the invitation

		audits := w.count(t, ag.tenant.ID, "audit_events", "action = ?", meetings.ActionMeetingCancelled)
		for _, tc := range []struct {
			who    tenant.Actor
			reason string
			code   errs.Code
			what   string
		}{
			{ag.chair, "", errs.Invalid, "no reason"},
			{ag.chair, "   ", errs.Invalid, "a blank reason"},
			{ag.chair, strings.Repeat("x", meetings.MaxReasonLen+1), errs.Invalid, "a reason too long"},
			{ag.alice, "Ich kann nicht", errs.Forbidden, "a member cancels"},
			{w.b.chair, "Grund", errs.NotFound, "another tenant's chair cancels"},
		} {
			_, err := w.svc.CancelMeeting(ctx, tc.who, m.ID, tc.reason)
			wantCode(t, err, tc.code, tc.what)
		}
		if got, _ := w.svc.GetMeeting(ctx, ag.chair, m.ID); got.State != meetings.Invited ||
			w.count(t, ag.tenant.ID, "audit_events", "action = ?", meetings.ActionMeetingCancelled) != audits {
			t.Fatalf("a refused cancellation changed something: %+v", got)
		}
		w.clock.Advance(time.Hour)
		const reason = "Der Sitzungssaal ist wegen eines Wasserschadens gesperrt."
		got, err = w.svc.CancelMeeting(ctx, ag.chair, m.ID, reason)
		must(t, err)
		if got.State != meetings.Cancelled || got.CancelReason != reason {
			t.Fatalf("cancelled: %+v", got)
		}
		if rep := w.deliver(t, mailer); rep.Sent != len(invs) {
			t.Fatalf("cancellations sent %+v, want %d", rep, len(invs))
		}
		mailer.mu.Lock()
		cs := mailer.cancellations
		mailer.mu.Unlock()
		var to, want []string
		for _, c := range cs {
			to = append(to, c.To.Email)
			if c.Sequence != 1 || c.Meeting.State != meetings.Cancelled || c.Meeting.CancelReason != reason || c.Meeting.ID != m.ID ||
				!c.Stamp.Equal(w.clock.Now()) || c.TenantSlug != ag.tenant.Slug {
				t.Fatalf("cancellation %+v", c)
			}
		}
		for _, inv := range invs {
			want = append(want, inv.To.Email)
		}
		slices.Sort(to)
		slices.Sort(want)
		if !slices.Equal(to, want) {
			t.Fatalf("cancellations to %v, want the invited %v", to, want)
		}

		// The calendar: STATUS:CANCELLED with the higher SEQUENCE, in a
		// CANCEL for the mail and in the feed.
		var b bytes.Buffer
		must(t, render.WriteCalendar(&b, []meetings.MeetingEvent{cs[0].MeetingEvent}, meetings.CalendarOptions{Method: "CANCEL",
			Organizer: "Kollab <noreply@kollab.example>", Attendee: &cs[0].To, ShowClosedTitles: true}))
		cal, err := ics.ParseCalendar(&b)
		must(t, err)
		ev := cal.Events()[0]
		if ev.GetProperty(ics.ComponentPropertyStatus).Value != "CANCELLED" || ev.GetProperty(ics.ComponentPropertySequence).Value != "1" ||
			!strings.Contains(ics.FromText(ev.GetProperty(ics.ComponentPropertyDescription).Value), reason) {
			t.Fatalf("cancel event:\n%s", b.String())
		}
		tok, _, err := w.svc.CreateFeedToken(ctx, ag.alice.UserID)
		must(t, err)
		feed, err := w.svc.Feed(ctx, tok)
		must(t, err)
		b.Reset()
		must(t, render.WriteCalendar(&b, feed, meetings.CalendarOptions{Name: "Sitzungen"}))
		cal, err = ics.ParseCalendar(&b)
		must(t, err)
		status := map[string]string{}
		for _, e := range cal.Events() {
			status[e.Id()] = e.GetProperty(ics.ComponentPropertyStatus).Value + " " + e.GetProperty(ics.ComponentPropertySequence).Value
		}
		if status["meeting-"+m.ID.String()+"@kollab"] != "CANCELLED 1" || status["meeting-"+planned.ID.String()+"@kollab"] != "CANCELLED 1" {
			t.Fatalf("feed: %v", status)
		}
		if strings.Contains(b.String(), "Wasserschaden") || strings.Contains(b.String(), "METHOD") {
			t.Fatalf("the feed names the reason or a method:\n%s", b.String())
		}

		// A cancelled meeting no longer changes; a begun one is not cancelled.
		_, err = w.svc.CancelMeeting(ctx, ag.chair, m.ID, reason)
		wantCode(t, err, errs.Conflict, "cancel twice")
		_, err = w.svc.UpdateMeeting(ctx, ag.chair, m.ID, in)
		wantDetail(t, err, errs.Conflict, "abgesagt", "move a cancelled meeting")
		_, err = w.svc.AdvanceMeeting(ctx, ag.chair, m.ID, meetings.InSession)
		wantDetail(t, err, errs.Conflict, "abgesagt", "open a cancelled meeting")
		_, err = w.svc.AddAgendaItem(ctx, ag.chair, m.ID, meetings.AgendaItemInput{Title: "Nachtrag"})
		wantDetail(t, err, errs.Conflict, "abgesagt", "add to a cancelled meeting's agenda")
		if n := w.count(t, ag.tenant.ID, "audit_events", "action = ?", meetings.ActionMeetingCancelled); n != audits+1 {
			t.Fatalf("%d cancellations audited", n-audits)
		}
		s, _ := w.session(t, ag, ag.chair)
		_, err = w.svc.CancelMeeting(ctx, ag.chair, s.ID, reason)
		wantCode(t, err, errs.Conflict, "cancel a meeting in session")
	})
}
