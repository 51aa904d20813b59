package meetings_test

import (
	"context"
	"errors"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/kollab/kollab/internal/db"
	"github.com/kollab/kollab/internal/db/dbtest"
	"github.com/kollab/kollab/internal/errs"
	"github.com/kollab/kollab/meetings"
	"github.com/kollab/kollab/meetings/render"
	"github.com/kollab/kollab/tenant"
)

// fakeMailer records the committee mails it is given; fail makes it refuse them.
type fakeMailer struct {
	mu            sync.Mutex
	fail          bool
	tried         []string // the MessageKey of every attempt
	invitations   []meetings.MeetingInvitationMail
	cancellations []meetings.MeetingCancellationMail
	reminders     []meetings.PollReminderMail
}

func (m *fakeMailer) SendMeetingInvitation(_ context.Context, inv meetings.MeetingInvitationMail) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.tried = append(m.tried, inv.MessageKey)
	if m.fail {
		return errors.New("smtp: 451 try again later")
	}
	m.invitations = append(m.invitations, inv)
	return nil
}

func (m *fakeMailer) SendMeetingCancellation(_ context.Context, c meetings.MeetingCancellationMail) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.tried = append(m.tried, c.MessageKey)
	if m.fail {
		return errors.New("smtp: 451 try again later")
	}
	m.cancellations = append(m.cancellations, c)
	return nil
}

func (m *fakeMailer) SendPollReminder(_ context.Context, r meetings.PollReminderMail) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.tried = append(m.tried, r.MessageKey)
	if m.fail {
		return errors.New("smtp: 451 try again later")
	}
	m.reminders = append(m.reminders, r)
	return nil
}

// take returns and forgets what was sent.
func (m *fakeMailer) take() ([]meetings.MeetingInvitationMail, []meetings.PollReminderMail) {
	m.mu.Lock()
	defer m.mu.Unlock()
	inv, rem := m.invitations, m.reminders
	m.invitations, m.reminders = nil, nil
	return inv, rem
}

func (w *world) deliver(t *testing.T, m *fakeMailer) meetings.DeliveryReport {
	t.Helper()
	rep, err := w.svc.DeliverMail(ctx, m, w.clock.Now(), nil)
	must(t, err)
	return rep
}

func membershipIDs(as ...tenant.Actor) []uuid.UUID {
	out := make([]uuid.UUID, len(as))
	for i, a := range as {
		out[i] = a.MembershipID
	}
	sort.Slice(out, func(i, j int) bool { return out[i].String() < out[j].String() })
	return out
}

func invitedIDs(ms []meetings.MeetingInvitationMail) []uuid.UUID {
	out := make([]uuid.UUID, len(ms))
	for i, m := range ms {
		out[i] = m.To.MembershipID
	}
	sort.Slice(out, func(i, j int) bool { return out[i].String() < out[j].String() })
	return out
}

// Inviting a meeting mails exactly the committee's members with a running
// term and an active membership, after commit, once; moving an invited
// meeting mails an update with a higher SEQUENCE; a refused change and a
// mere retitling mail nothing; a failing SMTP server delays the mails
// without undoing the invitation.
func TestMeetingInvitationMails(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		ag := w.a
		now := w.clock.Now()
		// Seats that must not be invited: a term that ended, one that has
		// not begun, and a member whose tenant membership was deactivated.
		former := w.member(t, ag.tenant, tenant.RoleCommittee)
		_, err := w.svc.SetMember(ctx, ag.admin, ag.committee.ID, meetings.MemberInput{MembershipID: former.MembershipID, Role: meetings.RoleMember,
			Voting: true, TermStart: now.Add(-400 * 24 * time.Hour), TermEnd: ptr(now.Add(-24 * time.Hour))})
		must(t, err)
		future := w.member(t, ag.tenant, tenant.RoleCommittee)
		_, err = w.svc.SetMember(ctx, ag.admin, ag.committee.ID, meetings.MemberInput{MembershipID: future.MembershipID, Role: meetings.RoleMember,
			Voting: true, TermStart: now.Add(30 * 24 * time.Hour)})
		must(t, err)
		gone := w.seat(t, ag, tenant.RoleCommittee, meetings.RoleMember, true, 1)
		_, err = w.tenants.SetActive(ctx, tenant.Operator(ag.tenant.ID), gone.MembershipID, false)
		must(t, err)

		m, err := w.svc.CreateMeeting(ctx, ag.chair, ag.committee.ID, meetings.MeetingInput{Title: "Sitzung über Straßenbäume",
			StartsAt: now.Add(14 * 24 * time.Hour), EndsAt: now.Add(14*24*time.Hour + 2*time.Hour), Place: "Rathaus"})
		must(t, err)
		_, err = w.svc.AddAgendaItem(ctx, ag.chair, m.ID, meetings.AgendaItemInput{Title: "Bäume an der Hauptstraße", Public: true})
		must(t, err)
		_, err = w.svc.AddAgendaItem(ctx, ag.alice, m.ID, meetings.AgendaItemInput{Title: "Vorschlag, noch offen", Public: true})
		must(t, err)
		_, err = w.svc.AddAgendaItem(ctx, ag.secretary, m.ID, meetings.AgendaItemInput{Title: "Grundstück Müller", Public: false})
		must(t, err)

		mailer := &fakeMailer{}
		queued := 0
		w.configure(meetings.WithMailQueued(func() { queued++ }))

		// Planning and a refused transition mail nothing.
		_, err = w.svc.AdvanceMeeting(ctx, ag.chair, m.ID, meetings.InSession)
		wantCode(t, err, errs.Conflict, "planned → in session")
		if rep := w.deliver(t, mailer); rep.Sent != 0 || queued != 0 {
			t.Fatalf("mail before the invitation: %+v, queued %d", rep, queued)
		}

		_, err = w.svc.AdvanceMeeting(ctx, ag.chair, m.ID, meetings.Invited)
		must(t, err)
		if queued == 0 {
			t.Fatal("MailQueued was not called after the invitation committed")
		}
		rep := w.deliver(t, mailer)
		invs, _ := mailer.take()
		want := membershipIDs(ag.chair, ag.secretary, ag.alice, ag.bob, ag.carol, ag.adv)
		if rep.Sent != len(want) || !slices.Equal(invitedIDs(invs), want) {
			t.Fatalf("invited %v (report %+v), want %v", invitedIDs(invs), rep, want)
		}
		for _, inv := range invs {
			if inv.Update || inv.Sequence != 0 || inv.Meeting.ID != m.ID || inv.CommitteeName != "Bauausschuss" ||
				inv.TenantSlug != ag.tenant.Slug || !inv.Stamp.Equal(now) || inv.To.Email == "" || inv.To.Locale != "de" {
				t.Fatalf("invitation %+v", inv)
			}
			if len(inv.Agenda) != 2 || inv.Agenda[0] != (meetings.AgendaLine{Number: 1, Title: "Bäume an der Hauptstraße", Public: true}) ||
				inv.Agenda[1] != (meetings.AgendaLine{Number: 2, Title: "Grundstück Müller", Public: false}) {
				t.Fatalf("agenda %+v", inv.Agenda)
			}
		}
		// Sent once: the next run finds nothing.
		if rep := w.deliver(t, mailer); rep.Sent != 0 {
			t.Fatalf("sent again: %+v", rep)
		}
		// The read method names the same recipients.
		mi, err := w.svc.MeetingInvitation(ctx, ag.tenant.ID, m.ID)
		must(t, err)
		var ids []uuid.UUID
		for _, r := range mi.Recipients {
			ids = append(ids, r.MembershipID)
		}
		sort.Slice(ids, func(i, j int) bool { return ids[i].String() < ids[j].String() })
		if !slices.Equal(ids, want) {
			t.Fatalf("MeetingInvitation recipients %v", ids)
		}

		// A new title alone is no reason to mail.
		in := meetings.MeetingInput{Title: "Sitzung über Straßenbäume (neu)", StartsAt: m.StartsAt, EndsAt: m.EndsAt, Place: "Rathaus"}
		_, err = w.svc.UpdateMeeting(ctx, ag.chair, m.ID, in)
		must(t, err)
		if rep := w.deliver(t, mailer); rep.Sent != 0 {
			t.Fatalf("retitling mailed: %+v", rep)
		}

		// Moving it mails the update; the SMTP server is down at first.
		w.clock.Advance(time.Hour)
		mailer.fail = true
		in.Place, in.StartsAt = "Bürgerhaus", m.StartsAt.Add(time.Hour)
		in.EndsAt = in.StartsAt.Add(2 * time.Hour)
		_, err = w.svc.UpdateMeeting(ctx, ag.chair, m.ID, in)
		must(t, err)
		mailer.mu.Lock()
		mailer.tried = nil
		mailer.mu.Unlock()
		rep = w.deliver(t, mailer)
		if rep.Sent != 0 || rep.Retried != len(want) {
			t.Fatalf("failing server: %+v", rep)
		}
		failedKeys := slices.Clone(mailer.tried)
		got, err := w.svc.GetMeeting(ctx, ag.chair, m.ID)
		must(t, err)
		if got.State != meetings.Invited || got.Place != "Bürgerhaus" {
			t.Fatalf("the failed mail changed the meeting: %+v", got)
		}
		mailer.fail = false
		if rep := w.deliver(t, mailer); rep.Sent != 0 { // not yet due again
			t.Fatalf("retried before the pause: %+v", rep)
		}
		w.clock.Advance(2 * time.Minute)
		rep = w.deliver(t, mailer)
		invs, _ = mailer.take()
		if rep.Sent != len(want) || !slices.Equal(invitedIDs(invs), want) {
			t.Fatalf("update to %v (%+v)", invitedIDs(invs), rep)
		}
		for _, inv := range invs {
			if !inv.Update || inv.Sequence != 1 || inv.Meeting.Place != "Bürgerhaus" || !inv.Meeting.StartsAt.Equal(in.StartsAt) {
				t.Fatalf("update %+v", inv)
			}
		}
		// A retried mail keeps its MessageKey (so its Message-ID), each mail its own.
		sentKeys := []string{}
		for _, inv := range invs {
			sentKeys = append(sentKeys, inv.MessageKey)
		}
		slices.Sort(failedKeys)
		slices.Sort(sentKeys)
		if len(sentKeys) == 0 || sentKeys[0] == "" || !slices.Equal(failedKeys, sentKeys) || len(slices.Compact(slices.Clone(sentKeys))) != len(sentKeys) {
			t.Errorf("message keys: failed attempts %v, sent %v", failedKeys, sentKeys)
		}

		// Once in session, no more invitations; tenant b got nothing at all.
		_, err = w.svc.AdvanceMeeting(ctx, ag.chair, m.ID, meetings.InSession)
		must(t, err)
		if rep := w.deliver(t, mailer); rep.Sent != 0 {
			t.Fatalf("mailed after the session began: %+v", rep)
		}
		if n := w.count(t, w.b.tenant.ID, "mail_outbox", ""); n != 0 {
			t.Fatalf("tenant b has %d queued mails", n)
		}
		if n := w.count(t, ag.tenant.ID, "mail_outbox", "sent_at IS NOT NULL"); n != int64(2*len(want)) {
			t.Fatalf("%d mails recorded as sent", n)
		}
	})
}

// A mail the server keeps refusing is given up after its last attempt.
func TestMailGivenUp(t *testing.T) {
	w := newWorld(t, dbtest.SQLite(t))
	m, err := w.svc.CreateMeeting(ctx, w.a.chair, w.a.committee.ID, meetings.MeetingInput{Title: "Sitzung",
		StartsAt: w.clock.Now().Add(48 * time.Hour), EndsAt: w.clock.Now().Add(50 * time.Hour)})
	must(t, err)
	_, err = w.svc.AdvanceMeeting(ctx, w.a.chair, m.ID, meetings.Invited)
	must(t, err)
	mailer := &fakeMailer{fail: true}
	failed := 0
	for range 20 {
		failed += w.deliver(t, mailer).Failed
		w.clock.Advance(2 * time.Hour)
	}
	if failed != 6 {
		t.Fatalf("%d mails given up, want 6", failed)
	}
	if n := w.count(t, w.a.tenant.ID, "mail_outbox", "failed_at IS NOT NULL AND attempts = 8 AND last_error LIKE ?", "%451%"); n != 6 {
		t.Fatalf("%d failed rows", n)
	}
	// Purged 30 days later.
	w.clock.Advance(31 * 24 * time.Hour)
	w.deliver(t, mailer)
	if n := w.count(t, w.a.tenant.ID, "mail_outbox", ""); n != 0 {
		t.Fatalf("%d rows left after 30 days", n)
	}
}

// Reminders of a written procedure: none in the first interval after it
// opened, then each entitled non-voter once per interval, whatever runs
// the queue (another instance, a restart); voters and closed polls none.
func TestWrittenProcedureReminders(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		ag := w.a
		p := w.written(t, ag, meetings.Named, 72*time.Hour)
		must(t, w.cast(ag.alice, p.ID, meetings.Yes))
		// Another instance (or the same after a restart): a second service on the same database.
		other := meetings.NewService(d, w.docs, render.Renderer{}, meetings.WithClock(w.clock.Now))
		mailer := &fakeMailer{}
		const every = 24 * time.Hour

		queue := func(s *meetings.Service) int {
			t.Helper()
			n, err := s.QueueReminders(ctx, w.clock.Now(), every)
			must(t, err)
			return n
		}
		if n := queue(w.svc); n != 0 {
			t.Fatalf("%d reminders right after opening", n)
		}
		w.clock.Advance(25 * time.Hour)
		if n := queue(w.svc); n != 3 { // chair, bob, carol (alice voted; secretary and adviser have no vote)
			t.Fatalf("%d reminders in the first interval, want 3", n)
		}
		if n := queue(w.svc) + queue(other); n != 0 {
			t.Fatalf("%d reminders again in the same interval", n)
		}
		w.clock.Advance(12 * time.Hour)
		if n := queue(other); n != 0 {
			t.Fatalf("%d reminders later in the same interval", n)
		}
		rep := w.deliver(t, mailer)
		_, rems := mailer.take()
		if rep.Sent != 3 || len(rems) != 3 {
			t.Fatalf("sent %+v", rep)
		}
		var to []uuid.UUID
		for _, r := range rems {
			to = append(to, r.To.MembershipID)
			if r.PollID != p.ID || r.Title != "Umlaufbeschluss" || !r.Deadline.Equal(*p.Deadline) || r.CommitteeName != "Bauausschuss" ||
				r.TenantSlug != ag.tenant.Slug || !strings.Contains(r.To.Email, "@") {
				t.Fatalf("reminder %+v", r)
			}
		}
		sort.Slice(to, func(i, j int) bool { return to[i].String() < to[j].String() })
		if !slices.Equal(to, membershipIDs(ag.chair, ag.bob, ag.carol)) {
			t.Fatalf("reminded %v", to)
		}

		// The next interval: bob has voted meanwhile.
		must(t, w.cast(ag.bob, p.ID, meetings.No))
		w.clock.Advance(13 * time.Hour) // 50 h after opening
		if n := queue(other); n != 2 {
			t.Fatalf("%d reminders in the second interval, want 2", n)
		}
		if n := queue(w.svc); n != 0 {
			t.Fatalf("%d reminders twice in the second interval", n)
		}
		w.deliver(t, mailer)
		if _, rems := mailer.take(); len(rems) != 2 {
			t.Fatalf("%d reminders sent in the second interval", len(rems))
		}
		if n := w.count(t, ag.tenant.ID, "poll_reminders", "poll_id = ?", p.ID); n != 5 {
			t.Fatalf("%d reminders recorded", n)
		}

		// After the deadline: closed, and nobody is reminded.
		w.clock.Advance(23 * time.Hour)
		rep2, err := w.svc.CloseDue(ctx, w.clock.Now())
		must(t, err)
		if len(rep2.Closed) != 1 {
			t.Fatalf("closed %+v", rep2)
		}
		w.clock.Advance(24 * time.Hour)
		if n := queue(w.svc); n != 0 {
			t.Fatalf("%d reminders after close", n)
		}
		if n := w.count(t, w.b.tenant.ID, "poll_reminders", ""); n != 0 {
			t.Fatalf("tenant b: %d reminders", n)
		}
	})
}
