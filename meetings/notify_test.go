package meetings_test

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kollab/kollab/internal/db"
	"github.com/kollab/kollab/internal/db/dbtest"
	kmail "github.com/kollab/kollab/internal/mail"
	"github.com/kollab/kollab/internal/notify"
	"github.com/kollab/kollab/meetings"
	"github.com/kollab/kollab/meetings/render"
	"github.com/kollab/kollab/tenant"
)

// captureSender keeps the mails it is given.
type captureSender struct {
	mu   sync.Mutex
	sent []kmail.Message
}

func (c *captureSender) Send(_ context.Context, m kmail.Message) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.sent = append(c.sent, m)
	return nil
}

func (c *captureSender) Configured() bool { return false }

func titles(t *testing.T, n *notify.Service, a tenant.Actor) []string {
	t.Helper()
	p, err := n.List(ctx, a, notify.Query{})
	if err != nil {
		t.Fatal(err)
	}
	out := []string{}
	for _, it := range p.Items {
		out = append(out, it.Title)
	}
	return out
}

// TestPollAndInvitationNotify: inviting to a meeting tells the committee's
// members, opening a written procedure tells each member entitled to vote
// ("Abstimmung geöffnet: <title>"), never the actor nor anyone outside the
// committee; the voters who keep the default get a mail at once.
func TestPollAndInvitationNotify(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		n := notify.New(d, notify.WithClock(w.clock.Now))
		w.configure(meetings.WithNotify(n))
		ag := w.a
		now := w.clock.Now()
		m, err := w.svc.CreateMeeting(ctx, ag.chair, ag.committee.ID, meetings.MeetingInput{Title: "Sitzung im März", StartsAt: now.Add(48 * time.Hour),
			EndsAt: now.Add(50 * time.Hour), Place: "Rathaus"})
		must(t, err)
		_, err = w.svc.AdvanceMeeting(ctx, ag.chair, m.ID, meetings.Invited)
		must(t, err)
		p, err := w.svc.CreatePoll(ctx, ag.chair, meetings.PollInput{CommitteeID: ag.committee.ID, Deadline: now.Add(24 * time.Hour),
			Title: "Zuschuss Sportverein", Kind: meetings.Named, Method: meetings.YesNoAbstain})
		must(t, err)
		// Carol prefers the digest for polls.
		_, err = n.SetPreferences(ctx, ag.carol, []notify.PreferenceInput{{Kind: notify.KindPollOpened, Mode: "daily"}})
		must(t, err)
		_, err = w.svc.OpenPoll(ctx, ag.chair, p.ID)
		must(t, err)
		rep, err := n.Dispatch(ctx)
		must(t, err)
		if rep.Events != 2 {
			t.Fatalf("dispatch: %+v", rep)
		}
		pollTitle, invTitle := "Abstimmung geöffnet: Zuschuss Sportverein", "Einladung: Sitzung im März"
		for _, c := range []struct {
			who  string
			a    tenant.Actor
			want []string
		}{
			{"alice (voting)", ag.alice, []string{pollTitle, invTitle}},
			{"carol (voting)", ag.carol, []string{pollTitle, invTitle}},
			{"secretary (no vote)", ag.secretary, []string{invTitle}},
			{"advisory member", ag.adv, []string{invTitle}},
			{"chair (the actor)", ag.chair, []string{}},
			{"outsider", ag.outsider, []string{}},
			{"other tenant's admin", w.b.admin, []string{}},
		} {
			if got := titles(t, n, c.a); strings.Join(got, "|") != strings.Join(c.want, "|") {
				t.Errorf("%s: %q, want %q", c.who, got, c.want)
			}
		}
		// Mails at once: the poll to alice and bob (carol chose the digest);
		// the invitation is mailed by the module itself (kind default: in the app only).
		sender := &captureSender{}
		mails := meetings.NewMails(sender, render.Renderer{}, "https://kollab.example", "")
		if _, err := w.svc.DeliverMail(ctx, mails, w.clock.Now(), nil); err != nil {
			t.Fatal(err)
		}
		polls := 0
		for _, msg := range sender.sent {
			if msg.Subject == "Kollab: "+pollTitle {
				polls++
				if !strings.Contains(msg.Text, "https://kollab.example/t/"+ag.tenant.Slug+"/polls/"+p.ID.String()) {
					t.Errorf("poll mail without its link: %s", msg.Text)
				}
			}
		}
		if polls != 2 {
			t.Fatalf("%d poll mails, want 2 (alice, bob): %d mails", polls, len(sender.sent))
		}
	})
}
