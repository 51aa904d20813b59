package api_test

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/kollab/kollab/api"
	"github.com/kollab/kollab/internal/db"
	"github.com/kollab/kollab/internal/db/dbtest"
	"github.com/kollab/kollab/internal/mail"
	"github.com/kollab/kollab/tenant"
)

type invitationMails struct {
	mu   sync.Mutex
	sent []string
	fail bool
}

func (m *invitationMails) SendInvitation(_ context.Context, inv tenant.InvitationMail) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.fail {
		return errors.New("smtp: connection refused")
	}
	m.sent = append(m.sent, inv.To)
	return nil
}

// The answer to creating and resending an invitation says whether the mail
// went out and whether a mail server is configured at all, so that the
// admin console does not claim "per E-Mail verschickt" when nothing was
// sent; the link is in the answer in every case. /me tells the same.
func TestInvitationReportsMail(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		log := slog.New(slog.DiscardHandler)
		smtp := &invitationMails{}
		for i, c := range []struct {
			name             string
			mailer           tenant.Mailer
			sent, configured bool
		}{
			{"no mailer", nil, false, false},
			{"no SMTP server (log only)", tenant.NewInvitationMailer(&mail.LogMailer{Log: log}, ""), false, false},
			{"SMTP server", smtp, true, true},
			{"SMTP server fails", &invitationMails{fail: true}, false, true},
		} {
			deps := api.Deps{Database: d, Tenants: e.tenants, Auth: e.auth, Documents: e.docs, Committees: e.comm, Log: log}
			if c.mailer != nil {
				deps.Mailer = c.mailer
			}
			e.srv = api.New(api.Config{PublicURL: "https://kollab.example", SecureCookies: true, SessionAbsolute: 12 * time.Hour}, deps)
			s := e.seedTenant("amt-post-" + string(rune('a'+i)))
			var inv struct {
				ID             string `json:"id"`
				AcceptURL      string `json:"accept_url"`
				MailSent       *bool  `json:"mail_sent"`
				MailConfigured *bool  `json:"mail_configured"`
			}
			path := "/api/v1/t/" + s.tenant.Slug + "/invitations"
			s.admin.must(201, "POST", path, map[string]string{"email": "neu@amt.example", "role": "staff"}).json(t, &inv)
			check := func(stage string) {
				t.Helper()
				if inv.MailSent == nil || inv.MailConfigured == nil || *inv.MailSent != c.sent || *inv.MailConfigured != c.configured || inv.AcceptURL == "" {
					t.Errorf("%s, %s: mail_sent %v, mail_configured %v, link %q; want %v, %v", c.name, stage, deref(inv.MailSent), deref(inv.MailConfigured), inv.AcceptURL, c.sent, c.configured)
				}
			}
			check("create")
			id := inv.ID
			inv.MailSent, inv.MailConfigured, inv.AcceptURL = nil, nil, ""
			s.admin.must(200, "POST", path+"/"+id+"/resend", nil).json(t, &inv)
			check("resend")
			// The web app learns it before anything is sent (the meeting
			// invitation's dialog): from /me.
			var me struct {
				MailConfigured *bool `json:"mail_configured"`
			}
			s.admin.must(200, "GET", "/api/v1/me", nil).json(t, &me)
			if me.MailConfigured == nil || *me.MailConfigured != c.configured {
				t.Errorf("%s: /me mail_configured %v, want %v", c.name, deref(me.MailConfigured), c.configured)
			}
		}
		if len(smtp.sent) != 2 {
			t.Fatalf("the SMTP mailer got %v", smtp.sent)
		}
	})
}

func deref(b *bool) any {
	if b == nil {
		return nil
	}
	return *b
}
