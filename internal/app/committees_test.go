package app_test

import (
	"bytes"
	"context"
	"log/slog"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/kollab/kollab/internal/app"
	"github.com/kollab/kollab/internal/config"
	"github.com/kollab/kollab/internal/testenv"
	"github.com/kollab/kollab/meetings"
	"github.com/kollab/kollab/tenant"
)

// recorder is an app.Mailer that keeps what it is given.
type recorder struct {
	mu          sync.Mutex
	invitations []meetings.MeetingInvitationMail
	reminders   []meetings.PollReminderMail
}

func (r *recorder) SendInvitation(context.Context, tenant.InvitationMail) error { return nil }

func (r *recorder) SendMeetingInvitation(_ context.Context, m meetings.MeetingInvitationMail) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.invitations = append(r.invitations, m)
	return nil
}

func (r *recorder) SendMeetingCancellation(context.Context, meetings.MeetingCancellationMail) error {
	return nil
}

func (r *recorder) SendPollReminder(_ context.Context, m meetings.PollReminderMail) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.reminders = append(r.reminders, m)
	return nil
}

func (r *recorder) counts() (int, int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.invitations), len(r.reminders)
}

type clock = testenv.Clock

func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); !cond(); time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
	}
}

// RunCommittees, as `kollab serve` runs it: invitation mails leave as soon
// as the invitation commits (without waiting for the next tick), reminders
// go to the non-voters once per interval, and a written procedure closes
// at its deadline.
func TestRunCommittees(t *testing.T) {
	for _, engine := range []string{"sqlite", "postgres"} {
		t.Run(engine, func(t *testing.T) {
			cfg := config.Default()
			cfg.DataDir = t.TempDir()
			cfg.SecretKey = bytes.Repeat([]byte{7}, 32)
			if engine == "postgres" {
				cfg.MigrateDatabaseURL, cfg.DatabaseURL = testenv.PostgresURLs(t)
			}
			ctx := context.Background()
			clk := testenv.NewClock(time.Date(2026, 5, 4, 8, 0, 0, 0, time.UTC))
			a, err := app.Open(ctx, cfg, slog.New(slog.DiscardHandler), false, app.WithMeetingsClock(clk.Now))
			must(t, err)
			t.Cleanup(func() { _ = a.Close() })
			if engine == "sqlite" && filepath.Dir(cfg.SQLitePath()) != cfg.DataDir {
				t.Fatalf("sqlite at %s", cfg.SQLitePath())
			}
			mails := &recorder{}
			a.Mailer = mails

			tn, err := a.Tenants.CreateTenant(ctx, "loop", "Gemeinde Loop")
			must(t, err)
			person := func(email string, role tenant.Role) tenant.Actor {
				u, err := a.Tenants.CreateUser(ctx, email, email, "ein-sehr-langes-Passwort")
				must(t, err)
				m, err := a.Tenants.AddMember(ctx, tn.ID, u.ID, role)
				must(t, err)
				return tenant.ActorFromMembership(m)
			}
			admin := person("admin@loop.example", tenant.RoleAdmin)
			c, err := a.Committees.CreateCommittee(ctx, admin, meetings.CommitteeInput{Name: "Gemeinderat"})
			must(t, err)
			var voters []tenant.Actor
			for _, e := range []string{"eins@loop.example", "zwei@loop.example", "drei@loop.example"} {
				v := person(e, tenant.RoleCommittee)
				_, err := a.Committees.SetMember(ctx, admin, c.ID, meetings.MemberInput{MembershipID: v.MembershipID, Role: meetings.RoleMember, Voting: true})
				must(t, err)
				voters = append(voters, v)
			}

			// Phase 1: a loop whose tick is far away sends invitations when woken.
			lctx, stop := context.WithCancel(ctx)
			done := make(chan struct{})
			go func() { defer close(done); a.RunCommittees(lctx, time.Hour) }()
			m, err := a.Committees.CreateMeeting(ctx, admin, c.ID, meetings.MeetingInput{Title: "Sitzung", StartsAt: clk.Now().Add(72 * time.Hour),
				EndsAt: clk.Now().Add(74 * time.Hour), Place: "Rathaus"})
			must(t, err)
			_, err = a.Committees.AdvanceMeeting(ctx, admin, m.ID, meetings.Invited)
			must(t, err)
			eventually(t, "three invitations", func() bool { n, _ := mails.counts(); return n == 3 })
			stop()
			<-done

			// Phase 2: a fast loop reminds and closes.
			p, err := a.Committees.CreatePoll(ctx, admin, meetings.PollInput{CommitteeID: c.ID, Deadline: clk.Now().Add(48 * time.Hour),
				Title: "Umlaufbeschluss Satzung", Kind: meetings.Named, Method: meetings.YesNoAbstain})
			must(t, err)
			_, err = a.Committees.OpenPoll(ctx, admin, p.ID)
			must(t, err)
			_, err = a.Committees.Cast(ctx, voters[0], p.ID, uuid.Nil, meetings.Vote{Choice: meetings.Yes})
			must(t, err)
			lctx, stop = context.WithCancel(ctx)
			defer stop()
			done = make(chan struct{})
			go func() { defer close(done); a.RunCommittees(lctx, 20*time.Millisecond) }()
			time.Sleep(100 * time.Millisecond)
			if _, n := mails.counts(); n != 0 {
				t.Fatalf("%d reminders in the first interval", n)
			}
			clk.Advance(25 * time.Hour)
			eventually(t, "two reminders", func() bool { _, n := mails.counts(); return n == 2 })
			time.Sleep(150 * time.Millisecond) // several more ticks in the same interval
			if _, n := mails.counts(); n != 2 {
				t.Fatalf("%d reminders in one interval", n)
			}
			clk.Advance(24 * time.Hour) // past the deadline
			eventually(t, "the poll closed", func() bool {
				got, err := a.Committees.GetPoll(ctx, admin, p.ID)
				must(t, err)
				return got.State == meetings.PollClosed
			})
			stop()
			<-done
			if _, n := mails.counts(); n != 2 {
				t.Fatalf("%d reminders in all, want 2", n)
			}
		})
	}
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
