package app_test

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/kollab/kollab/internal/app"
	"github.com/kollab/kollab/internal/config"
	"github.com/kollab/kollab/internal/testenv"
	"github.com/kollab/kollab/meetings"
	"github.com/kollab/kollab/tenant"
)

// A committee member who chose English (as the web app's language switch
// saves it) receives the meeting invitation and the poll reminder in
// English; a member who kept German receives them in German.
func TestCommitteeMailsFollowMemberLanguage(t *testing.T) {
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
			mails := &recorder{}
			a.Mailer = mails

			tn, err := a.Tenants.CreateTenant(ctx, "sprache", "Gemeinde Sprache")
			must(t, err)
			person := func(email string, role tenant.Role, locale string) tenant.Actor {
				u, err := a.Tenants.CreateUser(ctx, email, strings.Split(email, "@")[0], "ein-sehr-langes-Passwort")
				must(t, err)
				if locale != "" {
					_, err = a.Tenants.UpdateProfile(ctx, u.ID, nil, &locale)
					must(t, err)
				}
				m, err := a.Tenants.AddMember(ctx, tn.ID, u.ID, role)
				must(t, err)
				return tenant.ActorFromMembership(m)
			}
			admin := person("admin@sprache.example", tenant.RoleAdmin, "")
			c, err := a.Committees.CreateCommittee(ctx, admin, meetings.CommitteeInput{Name: "Gemeinderat"})
			must(t, err)
			for _, p := range []tenant.Actor{person("ada@sprache.example", tenant.RoleCommittee, "en"), person("bert@sprache.example", tenant.RoleCommittee, "de")} {
				_, err := a.Committees.SetMember(ctx, admin, c.ID, meetings.MemberInput{MembershipID: p.MembershipID, Role: meetings.RoleMember, Voting: true})
				must(t, err)
			}
			lctx, stop := context.WithCancel(ctx)
			done := make(chan struct{})
			go func() { defer close(done); a.RunCommittees(lctx, 20*time.Millisecond) }()
			defer func() { stop(); <-done }()

			m, err := a.Committees.CreateMeeting(ctx, admin, c.ID, meetings.MeetingInput{Title: "Sitzung", StartsAt: clk.Now().Add(72 * time.Hour),
				EndsAt: clk.Now().Add(74 * time.Hour), Place: "Rathaus"})
			must(t, err)
			_, err = a.Committees.AdvanceMeeting(ctx, admin, m.ID, meetings.Invited)
			must(t, err)
			eventually(t, "two invitations", func() bool { n, _ := mails.counts(); return n == 2 })
			p, err := a.Committees.CreatePoll(ctx, admin, meetings.PollInput{CommitteeID: c.ID, Deadline: clk.Now().Add(48 * time.Hour),
				Title: "Umlaufbeschluss", Kind: meetings.Named, Method: meetings.YesNoAbstain})
			must(t, err)
			_, err = a.Committees.OpenPoll(ctx, admin, p.ID)
			must(t, err)
			clk.Advance(25 * time.Hour)
			eventually(t, "two reminders", func() bool { _, n := mails.counts(); return n == 2 })

			mails.mu.Lock()
			defer mails.mu.Unlock()
			for _, inv := range mails.invitations {
				subject, text, html := meetings.MeetingInvitationText("https://kollab.example", inv)
				switch inv.To.Email {
				case "ada@sprache.example":
					if inv.To.Locale != "en" || !strings.HasPrefix(subject, "Invitation: Gemeinderat") || !strings.Contains(text, "Hello ada") ||
						!strings.Contains(html, `lang="en"`) {
						t.Errorf("English member's invitation (%q): %s\n%s", inv.To.Locale, subject, text)
					}
				case "bert@sprache.example":
					if inv.To.Locale != "de" || !strings.HasPrefix(subject, "Einladung: Gemeinderat") || !strings.Contains(text, "Guten Tag bert") {
						t.Errorf("German member's invitation (%q): %s\n%s", inv.To.Locale, subject, text)
					}
				default:
					t.Errorf("invitation to %s", inv.To.Email)
				}
			}
			for _, r := range mails.reminders {
				subject, _, _ := meetings.PollReminderText("https://kollab.example", r)
				want := map[string]string{"ada@sprache.example": "Reminder: written procedure", "bert@sprache.example": "Erinnerung: Umlaufverfahren"}[r.To.Email]
				if want == "" || !strings.HasPrefix(subject, want) {
					t.Errorf("reminder to %s (%q): %s", r.To.Email, r.To.Locale, subject)
				}
			}
		})
	}
}
