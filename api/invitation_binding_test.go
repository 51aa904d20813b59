package api_test

import (
	"bytes"
	"log/slog"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kollab/kollab/api"
	"github.com/kollab/kollab/internal/db"
	"github.com/kollab/kollab/internal/db/dbtest"
	"github.com/kollab/kollab/internal/mail"
	"github.com/kollab/kollab/tenant"
	"golang.org/x/text/unicode/norm"
)

// invite has the tenant's admin invite an address and returns the link's token.
func (s *seeded) invite(t *testing.T, email, role string) string {
	t.Helper()
	var inv struct {
		AcceptURL string `json:"accept_url"`
	}
	s.admin.must(201, "POST", "/api/v1/t/"+s.tenant.Slug+"/invitations", map[string]string{"email": email, "role": role}).json(t, &inv)
	_, frag, ok := strings.Cut(inv.AcceptURL, "#token=")
	if !ok {
		t.Fatalf("accept_url without token: %q", inv.AcceptURL)
	}
	tok, err := url.QueryUnescape(frag)
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

// slugsOf lists the tenants the signed-in client belongs to.
func slugsOf(t *testing.T, c *client) []string {
	t.Helper()
	var me struct {
		Tenants []struct {
			Slug string `json:"slug"`
		} `json:"tenants"`
	}
	c.must(200, "GET", "/api/v1/me", nil).json(t, &me)
	var out []string
	for _, x := range me.Tenants {
		out = append(out, x.Slug)
	}
	return out
}

// Holding an invitation link is not enough: an account of another address,
// signed in, can neither accept an admin invitation into itself nor accept
// it beside its session (new account or the existing one's password). The
// invited person still can.
func TestInvitationHijackRefused(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		s := e.seedTenant("amt-bindung")
		ctx := t.Context()
		if _, err := e.tenants.CreateUser(ctx, "eve@angreifer.example", "Eve", "Eves-eigenes-Passwort"); err != nil {
			t.Fatal(err)
		}
		eve := e.client()
		eve.ip = "203.0.113.99"
		eve.login("eve@angreifer.example", "Eves-eigenes-Passwort", "")
		path := "/api/v1/t/amt-bindung/invitations/accept"
		refused := func(what string, body map[string]any) {
			t.Helper()
			r := eve.do("POST", path, body)
			if r.status != 403 || r.problemCode(t) != "invitation-other-account" {
				t.Fatalf("%s: %d %s", what, r.status, r.body)
			}
			var p struct {
				Detail string `json:"detail"`
			}
			r.json(t, &p)
			if !strings.Contains(p.Detail, "andere E-Mail-Adresse") {
				t.Fatalf("%s: unclear detail %q", what, p.Detail)
			}
		}

		// An admin invitation for a new address.
		tok := s.invite(t, "neue.leitung@bindung.example", "admin")
		refused("into the signed-in account", map[string]any{"token": tok, "into_current_account": true})
		refused("a new account beside the session", map[string]any{"token": tok, "display_name": "Neue Leitung", "password": "Eves-eigenes-Passwort"})
		if got := slugsOf(t, eve); len(got) != 0 {
			t.Fatalf("eve joined %v", got)
		}
		if _, err := e.tenants.UserByEmail(ctx, "neue.leitung@bindung.example"); err == nil {
			t.Fatal("an account for the invited address was created")
		}

		// Into an existing account with a password.
		if _, err := e.tenants.CreateUser(ctx, "kollege@bindung.example", "Kollege", testPassword); err != nil {
			t.Fatal(err)
		}
		tok2 := s.invite(t, "kollege@bindung.example", "admin")
		refused("the existing account's password beside the session", map[string]any{"token": tok2, "password": testPassword})
		refused("eve's own password", map[string]any{"token": tok2, "password": "Eves-eigenes-Passwort"})
		if got := slugsOf(t, eve); len(got) != 0 {
			t.Fatalf("eve joined %v", got)
		}
		// English beside German.
		eve.lang = "en"
		r := eve.do("POST", path, map[string]any{"token": tok2, "into_current_account": true})
		if r.status != 403 || !strings.Contains(string(r.body), "another e-mail address") {
			t.Fatalf("English: %d %s", r.status, r.body)
		}

		// The invited people accept: one by creating the account, one with
		// the existing account's password, then signed in.
		guest := e.client()
		guest.ip = "198.51.100.30"
		guest.csrf()
		guest.must(201, "POST", path, map[string]any{"token": tok, "display_name": "Neue Leitung", "password": testPassword})
		guest.must(201, "POST", path, map[string]any{"token": tok2, "password": testPassword})
		guest.login("kollege@bindung.example", testPassword, "")
		if got := slugsOf(t, guest); len(got) != 1 || got[0] != "amt-bindung" {
			t.Fatalf("kollege's tenants: %v", got)
		}
	})
}

// The invited address in another case and Unicode form is the address of
// the existing account: it accepts with its password and, signed in, into
// itself, and no second account appears.
func TestInvitationOtherSpellingOfAddress(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		a := e.seedTenant("amt-schreibung")
		b := e.seedTenant("amt-schreibweise")
		ctx := t.Context()
		if _, err := e.tenants.CreateUser(ctx, "jörg.müller@schreibung.example", "Jörg Müller", testPassword); err != nil {
			t.Fatal(err)
		}
		spelled := norm.NFD.String("JÖRG.MÜLLER") + "@Schreibung.Example"
		joerg := e.client()
		joerg.ip = "198.51.100.31"
		joerg.csrf()
		tokA := a.invite(t, spelled, "staff")
		var info struct {
			Email         string `json:"email"`
			AccountExists bool   `json:"account_exists"`
		}
		joerg.must(200, "POST", "/api/v1/t/amt-schreibung/invitations/lookup", map[string]string{"token": tokA}).json(t, &info)
		if !info.AccountExists || info.Email != "jörg.müller@schreibung.example" {
			t.Fatalf("lookup: %+v", info)
		}
		joerg.must(201, "POST", "/api/v1/t/amt-schreibung/invitations/accept", map[string]any{"token": tokA, "password": testPassword})
		joerg.login("jörg.müller@schreibung.example", testPassword, "")
		tokB := b.invite(t, spelled, "staff")
		joerg.must(201, "POST", "/api/v1/t/amt-schreibweise/invitations/accept", map[string]any{"token": tokB, "into_current_account": true})
		if got := slugsOf(t, joerg); len(got) != 2 {
			t.Fatalf("jörg's tenants: %v", got)
		}
	})
}

// syncBuffer is a log sink for a server that may log from several goroutines.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// No invitation link and no token ever reaches the log, at any level,
// through the whole journey without an SMTP server: invite, resend, look
// up, a refused and a wrong attempt, accept, sign in.
func TestInvitationLinkNeverLogged(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		logs := &syncBuffer{}
		log := slog.New(slog.NewJSONHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug - 4}))
		// The server as kollab serve wires it without KOLLAB_SMTP_URL.
		e.srv = api.New(api.Config{PublicURL: "https://kollab.example", SecureCookies: true, SessionAbsolute: 12 * time.Hour},
			api.Deps{Database: d, Tenants: e.tenants, Auth: e.auth, Documents: e.docs, Committees: e.comm, Log: log,
				Mailer: tenant.NewInvitationMailer(&mail.LogMailer{Log: log}, "https://kollab.example")})
		s := e.seedTenant("amt-protokoll")
		var tokens []string
		noToken := func(stage string) {
			t.Helper()
			out := logs.String()
			for _, tk := range tokens {
				for _, form := range []string{tk, url.QueryEscape(tk), url.PathEscape(tk), tk[:16]} {
					if strings.Contains(out, form) {
						t.Fatalf("after %s, the log carries an invitation token (%q):\n%s", stage, form, out)
					}
				}
			}
			if strings.Contains(out, "#token=") || strings.Contains(out, "/invite/") {
				t.Fatalf("after %s, the log carries an invitation link:\n%s", stage, out)
			}
		}
		first := s.invite(t, "protokoll@amt.example", "admin")
		tokens = append(tokens, first)
		var invs struct {
			Invitations []struct {
				ID string `json:"id"`
			} `json:"invitations"`
		}
		s.admin.must(200, "GET", "/api/v1/t/amt-protokoll/invitations?pending=true", nil).json(t, &invs)
		if len(invs.Invitations) != 1 {
			t.Fatalf("invitations: %+v", invs)
		}
		var resent struct {
			AcceptURL string `json:"accept_url"`
		}
		s.admin.must(200, "POST", "/api/v1/t/amt-protokoll/invitations/"+invs.Invitations[0].ID+"/resend", nil).json(t, &resent)
		_, frag, _ := strings.Cut(resent.AcceptURL, "#token=")
		tok, _ := url.QueryUnescape(frag)
		tokens = append(tokens, tok)
		if !strings.Contains(logs.String(), "invitation not mailed") {
			t.Fatalf("the mail fallback logged nothing:\n%s", logs.String())
		}
		noToken("invite and resend")

		guest := e.client()
		guest.ip = "198.51.100.40"
		guest.csrf()
		guest.must(200, "POST", "/api/v1/t/amt-protokoll/invitations/lookup", map[string]string{"token": tok})
		guest.must(404, "POST", "/api/v1/t/amt-protokoll/invitations/lookup", map[string]string{"token": first})
		s.admin.must(403, "POST", "/api/v1/t/amt-protokoll/invitations/accept", map[string]any{"token": tok, "into_current_account": true})
		guest.must(422, "POST", "/api/v1/t/amt-protokoll/invitations/accept", map[string]any{"token": tok, "display_name": "P", "password": "kurz"})
		guest.must(201, "POST", "/api/v1/t/amt-protokoll/invitations/accept", map[string]any{"token": tok, "display_name": "Protokoll", "password": testPassword})
		guest.login("protokoll@amt.example", testPassword, "")

		noToken("the journey")
		if !strings.Contains(logs.String(), `"route":"/api/v1/t/:tenant/invitations/accept"`) {
			t.Fatalf("the access log did not see the journey:\n%s", logs.String())
		}
	})
}
