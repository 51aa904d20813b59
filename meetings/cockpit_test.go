package meetings_test

import (
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/kollab/kollab/internal/db"
	"github.com/kollab/kollab/internal/db/dbtest"
	"github.com/kollab/kollab/meetings"
	"github.com/kollab/kollab/tenant"
)

func (w *world) meetingAt(t *testing.T, a tenant.Actor, committeeID uuid.UUID, title string, start time.Duration) *meetings.Meeting {
	t.Helper()
	at := w.clock.Now().Add(start)
	m, err := w.svc.CreateMeeting(ctx, a, committeeID, meetings.MeetingInput{Title: title, StartsAt: at, EndsAt: at.Add(2 * time.Hour)})
	must(t, err)
	return m
}

func pick[T any](items []T, title func(T) string) []string {
	out := []string{}
	for _, it := range items {
		out = append(out, title(it))
	}
	return out
}

func wantTitles(t *testing.T, what string, got, want []string) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: got %q, want %q", what, got, want)
	}
	for i := range got {
		if got[i] != want[i] {
			t.Fatalf("%s: got %q, want %q", what, got, want)
		}
	}
}

// The cockpit's meetings: the next ones of the committees where the
// caller holds a running seat, not cancelled, not over, soonest first.
func TestUpcomingMeetings(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		ag := w.a
		other, err := w.svc.CreateCommittee(ctx, ag.admin, meetings.CommitteeInput{Name: "Finanzausschuss"})
		must(t, err)
		w.meetingAt(t, ag.admin, other.ID, "ohne meinen Sitz", 24*time.Hour)
		w.meetingAt(t, w.b.chair, w.b.committee.ID, "anderer Mandant", 24*time.Hour)
		w.meetingAt(t, ag.chair, ag.committee.ID, "vorbei", -3*time.Hour)
		w.meetingAt(t, ag.chair, ag.committee.ID, "läuft", -time.Hour)
		later := w.meetingAt(t, ag.chair, ag.committee.ID, "übermorgen", 48*time.Hour)
		w.meetingAt(t, ag.chair, ag.committee.ID, "morgen", 24*time.Hour)
		gone := w.meetingAt(t, ag.chair, ag.committee.ID, "abgesagt", 30*time.Hour)
		_, err = w.svc.CancelMeeting(ctx, ag.chair, gone.ID, "Terminkonflikt")
		must(t, err)
		title := func(m meetings.UpcomingMeeting) string { return m.Title }

		ms, err := w.svc.UpcomingMeetings(ctx, ag.alice)
		must(t, err)
		wantTitles(t, "alice", pick(ms, title), []string{"läuft", "morgen", "übermorgen"})
		if m := ms[2]; m.ID != later.ID || m.CommitteeID != ag.committee.ID || m.CommitteeName != "Bauausschuss" ||
			!m.StartsAt.Equal(later.StartsAt) || !m.EndsAt.Equal(later.EndsAt) || m.State != meetings.Planned {
			t.Fatalf("meeting: %+v", m)
		}
		for _, a := range []tenant.Actor{ag.outsider, ag.admin} { // no seat: nothing, admins included
			ms, err := w.svc.UpcomingMeetings(ctx, a)
			must(t, err)
			wantTitles(t, "no seat", pick(ms, title), nil)
		}
		// An ended term ends the meetings with it.
		_, err = w.svc.SetMember(ctx, ag.admin, ag.committee.ID, meetings.MemberInput{MembershipID: ag.bob.MembershipID,
			Role: meetings.RoleMember, Voting: true, Weight: 1, TermEnd: ptr(w.clock.Now().Add(time.Minute))})
		w.clock.Advance(2 * time.Minute)
		must(t, err)
		ms, err = w.svc.UpcomingMeetings(ctx, ag.bob)
		must(t, err)
		wantTitles(t, "ended term", pick(ms, title), nil)
		for i := 0; i < meetings.CockpitLimit+2; i++ {
			w.meetingAt(t, ag.chair, ag.committee.ID, "Serie", time.Duration(72+i)*time.Hour)
		}
		ms, err = w.svc.UpcomingMeetings(ctx, ag.alice)
		must(t, err)
		if len(ms) != meetings.CockpitLimit || ms[0].Title != "läuft" {
			t.Fatalf("bounded: %d, first %q", len(ms), ms[0].Title)
		}
	})
}

// The cockpit's polls: open, deadline ahead, the caller entitled to cast
// their own ballot now (Cast's own condition) and not voted yet.
func TestPendingPolls(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		ag := w.a
		late := w.written(t, ag, meetings.Named, 48*time.Hour)
		soon := w.written(t, ag, meetings.Named, 24*time.Hour)
		voted := w.written(t, ag, meetings.Secret, 12*time.Hour)
		must(t, w.cast(ag.alice, voted.ID, "yes"))
		w.written(t, w.b, meetings.Named, time.Hour) // another tenant's
		other, err := w.svc.CreateCommittee(ctx, ag.admin, meetings.CommitteeInput{Name: "Finanzausschuss"})
		must(t, err)
		_, err = w.svc.SetMember(ctx, ag.admin, other.ID, meetings.MemberInput{MembershipID: ag.chair.MembershipID, Role: meetings.RoleChair, Voting: true, Weight: 1})
		must(t, err)
		p, err := w.svc.CreatePoll(ctx, ag.chair, meetings.PollInput{CommitteeID: other.ID, Deadline: w.clock.Now().Add(time.Hour),
			Title: "ohne meinen Sitz", Kind: meetings.Named, Method: meetings.YesNoAbstain})
		must(t, err)
		_, err = w.svc.OpenPoll(ctx, ag.chair, p.ID)
		must(t, err)
		_, it := w.session(t, ag, ag.bob) // in session: only who is present
		inRoom := w.openPoll(t, ag, it.ID, meetings.Named, nil)

		ids := func(ps []meetings.PendingPoll) []string {
			return pick(ps, func(p meetings.PendingPoll) string { return p.ID.String() })
		}
		ps, err := w.svc.PendingPolls(ctx, ag.alice)
		must(t, err)
		wantTitles(t, "alice", ids(ps), []string{soon.ID.String(), late.ID.String()})
		if ps[0].CommitteeName != "Bauausschuss" || ps[0].Deadline == nil || ps[0].MeetingID != nil || ps[0].Title != "Umlaufbeschluss" {
			t.Fatalf("poll: %+v", ps[0])
		}
		ps, err = w.svc.PendingPolls(ctx, ag.bob)
		must(t, err)
		wantTitles(t, "bob", ids(ps), []string{voted.ID.String(), soon.ID.String(), late.ID.String(), inRoom.ID.String()})
		if ps[3].MeetingID == nil || ps[3].Deadline != nil {
			t.Fatalf("session poll: %+v", ps[3])
		}
		ps, err = w.svc.PendingPolls(ctx, ag.chair)
		must(t, err)
		if len(ps) != 4 || ps[0].CommitteeName != "Finanzausschuss" {
			t.Fatalf("chair: %+v", ps)
		}
		for _, a := range []tenant.Actor{ag.adv, ag.secretary, ag.outsider, ag.admin} { // no voting seat
			ps, err := w.svc.PendingPolls(ctx, a)
			must(t, err)
			wantTitles(t, "no vote", ids(ps), nil)
		}
		w.clock.Advance(25 * time.Hour) // past soon's deadline
		ps, err = w.svc.PendingPolls(ctx, ag.alice)
		must(t, err)
		wantTitles(t, "after deadline", ids(ps), []string{late.ID.String()})
	})
}
