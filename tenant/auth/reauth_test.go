package auth

import (
	"context"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/kollab/kollab/internal/db"
	"github.com/kollab/kollab/internal/db/dbtest"
	"github.com/kollab/kollab/internal/errs"
	"github.com/kollab/kollab/tenant"
	"github.com/pquerna/otp/totp"
)

// code returns a TOTP code for the fixture's clock, one step after the last
// one used (the account accepts each step once).
func (f *fixture) code(t *testing.T, secret string) string {
	t.Helper()
	f.clock.Advance(30 * time.Second)
	c, err := totp.GenerateCode(secret, f.clock.Now())
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// signIn opens a full session (password and, with a secret, TOTP) and returns it.
func (f *fixture) signIn(t *testing.T, secret string) (string, *Principal) {
	t.Helper()
	ctx := context.Background()
	res, err := f.svc.Login(ctx, f.user.Email, f.password(), client)
	if err != nil {
		t.Fatal(err)
	}
	tok := res.Token
	if res.SecondFactorRequired {
		p, err := f.svc.Authenticate(ctx, tok)
		if err != nil {
			t.Fatal(err)
		}
		if tok, err = f.svc.SecondFactor(ctx, p, f.code(t, secret), "", client); err != nil {
			t.Fatal(err)
		}
	}
	return tok, f.principal(t, tok)
}

func (f *fixture) principal(t *testing.T, tok string) *Principal {
	t.Helper()
	p, err := f.svc.Authenticate(context.Background(), tok)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// password is the account's current password (tests may change it).
func (f *fixture) password() string {
	if f.pw != "" {
		return f.pw
	}
	return pw
}

// prove gives the session a fresh proof with password and (with a secret) a TOTP code.
func (f *fixture) prove(t *testing.T, p *Principal, secret string) {
	t.Helper()
	code := ""
	if secret != "" {
		code = f.code(t, secret)
	}
	until, err := f.svc.Reauthenticate(context.Background(), p, f.password(), code, "", client)
	if err != nil {
		t.Fatalf("proof: %v", err)
	}
	if want := f.clock.Now().Add(ReauthWindow); !until.Equal(want) {
		t.Fatalf("proof valid until %v, want %v", until, want)
	}
}

// Each action on the account's credentials is refused without a fresh
// proof of the session, allowed within five minutes of one, and refused
// again after them; a proof of another session does not count.
func TestReauthGuardsCredentialChanges(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		f := setup(t, d)
		secret, _ := f.enrol(t)
		actions := map[string]func(p *Principal) error{
			"re-enrol TOTP": func(p *Principal) error { _, err := f.svc.BeginEnrolment(ctx, p); return err },
			"renew recovery codes": func(p *Principal) error {
				_, err := f.svc.RegenerateRecoveryCodes(ctx, p)
				return err
			},
			"create token": func(p *Principal) error {
				_, _, err := f.svc.CreateToken(ctx, p, TokenSpec{Name: "Skript"})
				return err
			},
			"change password": func(p *Principal) error {
				next := "ein-anderes-langes-Passwort"
				if f.password() == next {
					next = pw
				}
				if err := f.svc.ChangePassword(ctx, p, f.password(), next); err != nil {
					return err
				}
				f.pw = next
				return nil
			},
		}
		for name, action := range actions {
			t.Run(name, func(t *testing.T) {
				_, p := f.signIn(t, secret)
				if err := action(p); !errs.Is(err, errs.ReauthRequired) {
					t.Fatalf("without a proof: %v", err)
				}
				// A proof of another session of the same account does not count.
				_, other := f.signIn(t, secret)
				f.prove(t, other, secret)
				if err := action(p); !errs.Is(err, errs.ReauthRequired) {
					t.Fatalf("with another session's proof: %v", err)
				}
				f.prove(t, p, secret)
				f.clock.Advance(ReauthWindow - time.Second)
				if err := action(p); err != nil {
					t.Fatalf("within five minutes of the proof: %v", err)
				}
				f.clock.Advance(time.Second)
				if err := action(p); !errs.Is(err, errs.ReauthRequired) {
					t.Fatalf("five minutes after the proof: %v", err)
				}
			})
		}
	})
}

// The proof needs the password and, when the account has one, its current
// second factor; each is checked and throttled as at sign-in.
func TestReauthNeedsPasswordAndSecondFactor(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		f := setup(t, d)
		// Without a second factor the password alone is the proof.
		_, p := f.signIn(t, "")
		if _, err := f.svc.Reauthenticate(ctx, p, "falsch-falsch-falsch", "", "", client); !errs.Is(err, errs.Invalid) || errs.As(err).Field != "password" {
			t.Fatalf("wrong password: %v", err)
		}
		if _, err := f.svc.Reauthenticate(ctx, p, pw, "", "", client); err != nil {
			t.Fatalf("password of an account without TOTP: %v", err)
		}

		secret, codes := f.enrol(t)
		_, p = f.signIn(t, secret)
		cases := []struct {
			name           string
			password, code string
			field          string
		}{
			{"password only", pw, "", "code"},
			{"code only", "", f.code(t, secret), "password"},
			{"wrong password, right code", "falsch-falsch-falsch", f.code(t, secret), "password"},
			{"right password, wrong code", pw, "000000", "code"},
		}
		for _, c := range cases {
			if c.code == "000000" {
				if right, _ := totp.GenerateCode(secret, f.clock.Now()); right == c.code {
					c.code = "111111"
				}
			}
			_, err := f.svc.Reauthenticate(ctx, p, c.password, c.code, "", client)
			if e := errs.As(err); e == nil || e.Code != errs.Invalid || e.Field != c.field {
				t.Fatalf("%s: %v", c.name, err)
			}
			if err := f.svc.requireProof(ctx, p); !errs.Is(err, errs.ReauthRequired) {
				t.Fatalf("%s left a proof: %v", c.name, err)
			}
		}
		// A code of an earlier step than one already used is refused (replay).
		used := f.code(t, secret)
		f.prove(t, p, secret)
		if _, err := f.svc.Reauthenticate(ctx, p, pw, used, "", client); !errs.Is(err, errs.Invalid) {
			t.Fatalf("replayed code: %v", err)
		}
		// A recovery code works once instead of the TOTP code.
		if _, err := f.svc.Reauthenticate(ctx, p, pw, "", codes[0], client); err != nil {
			t.Fatalf("recovery code: %v", err)
		}
		if _, err := f.svc.Reauthenticate(ctx, p, pw, "", codes[0], client); !errs.Is(err, errs.Invalid) {
			t.Fatalf("recovery code used twice: %v", err)
		}
		// Repeated wrong codes lock the account as at sign-in.
		var err error
		for range 5 {
			_, err = f.svc.Reauthenticate(ctx, p, pw, "999999", "", client)
		}
		if !errs.Is(err, errs.Locked) {
			t.Fatalf("after five wrong codes: %v", err)
		}
		// A token cannot prove anything.
		f.clock.Advance(time.Hour)
		_, p = f.signIn(t, secret)
		f.prove(t, p, secret)
		tok, _, err := f.svc.CreateToken(ctx, p, TokenSpec{Name: "Skript", Scope: ScopeWrite})
		if err != nil {
			t.Fatal(err)
		}
		bt, err := f.svc.AuthenticateToken(ctx, tok)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.Reauthenticate(ctx, bt, pw, f.code(t, secret), "", client); !errs.Is(err, errs.Forbidden) {
			t.Fatalf("proof through a token: %v", err)
		}
	})
}

// Re-enrolling TOTP and changing the password end the account's other
// sessions, never the current one.
func TestReauthChangesEndOtherSessions(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		f := setup(t, d)
		secret, _ := f.enrol(t)

		tok, p := f.signIn(t, secret)
		other, _ := f.signIn(t, secret)
		f.prove(t, p, secret)
		en, err := f.svc.BeginEnrolment(ctx, p)
		if err != nil {
			t.Fatal(err)
		}
		// Beginning changes nothing yet.
		if _, err := f.svc.Authenticate(ctx, other); err != nil {
			t.Fatalf("other session ended before the new key was confirmed: %v", err)
		}
		f.clock.Advance(30 * time.Second)
		code, _ := totp.GenerateCode(en.Secret, f.clock.Now())
		if _, err := f.svc.ConfirmEnrolment(ctx, p, code); err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.Authenticate(ctx, other); !errs.Is(err, errs.Unauthenticated) {
			t.Fatalf("other session survived the re-enrolment: %v", err)
		}
		if _, err := f.svc.Authenticate(ctx, tok); err != nil {
			t.Fatalf("current session ended by the re-enrolment: %v", err)
		}
		secret = en.Secret

		tok, p = f.signIn(t, secret)
		other, _ = f.signIn(t, secret)
		f.prove(t, p, secret)
		if err := f.svc.ChangePassword(ctx, p, pw, "ein-neues-langes-Passwort"); err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.Authenticate(ctx, other); !errs.Is(err, errs.Unauthenticated) {
			t.Fatalf("other session survived the password change: %v", err)
		}
		if _, err := f.svc.Authenticate(ctx, tok); err != nil {
			t.Fatalf("current session ended by the password change: %v", err)
		}
	})
}

// Token scopes and expiry: read by default, 90 days by default, at most a
// year; admin only for admins and only when asked for; a read token may
// only read, a write token acts without admin powers.
func TestTokenScopesAndExpiry(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		f := setup(t, d) // the user is an admin of f.tnt
		if _, err := f.tenants.AddMember(ctx, f.other.ID, f.user.ID, tenant.RoleStaff); err != nil {
			t.Fatal(err)
		}
		secret, _ := f.enrol(t) // the tenant asks admins for a second factor
		_, p := f.signIn(t, secret)
		f.prove(t, p, secret)
		now := f.clock.Now()

		tok, meta, err := f.svc.CreateToken(ctx, p, TokenSpec{Name: "Standard"})
		if err != nil {
			t.Fatal(err)
		}
		if meta.Scope != ScopeRead || !meta.ExpiresAt.Equal(now.Add(90*24*time.Hour)) {
			t.Fatalf("defaults: scope %q, expires %v", meta.Scope, meta.ExpiresAt)
		}
		read, err := f.svc.AuthenticateToken(ctx, tok)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range []string{"GET", "HEAD", "OPTIONS", "PROPFIND"} {
			if err := read.PermitsMethod(m); err != nil {
				t.Fatalf("read token refused %s: %v", m, err)
			}
		}
		for _, m := range []string{"POST", "PUT", "PATCH", "DELETE", "MKCOL", "MOVE", "COPY", "LOCK", "PROPPATCH"} {
			if err := read.PermitsMethod(m); !errs.Is(err, errs.Forbidden) {
				t.Fatalf("read token may %s: %v", m, err)
			}
		}

		// Expiry: in the future, at most one calendar year ahead.
		for _, bad := range []time.Time{now, now.Add(-time.Hour), now.AddDate(1, 0, 0).Add(time.Second), now.AddDate(2, 0, 0)} {
			if _, _, err := f.svc.CreateToken(ctx, p, TokenSpec{Name: "x", ExpiresAt: &bad}); !errs.Is(err, errs.Invalid) || errs.As(err).Field != "expires_at" {
				t.Fatalf("expiry %v: %v", bad, err)
			}
		}
		year := now.AddDate(1, 0, 0)
		yearTok, _, err := f.svc.CreateToken(ctx, p, TokenSpec{Name: "Jahr", Scope: ScopeWrite, ExpiresAt: &year})
		if err != nil {
			t.Fatalf("one year ahead: %v", err)
		}
		if _, _, err := f.svc.CreateToken(ctx, p, TokenSpec{Name: "x", Scope: "root"}); !errs.Is(err, errs.Invalid) {
			t.Fatalf("unknown scope: %v", err)
		}

		// A write token writes, but acts as staff where its owner is an admin.
		write, err := f.svc.AuthenticateToken(ctx, yearTok)
		if err != nil {
			t.Fatal(err)
		}
		if err := write.PermitsMethod("DELETE"); err != nil {
			t.Fatalf("write token may not write: %v", err)
		}
		if ut, err := write.Tenant(f.tnt.Slug); err != nil || ut.Membership.Role != tenant.RoleStaff {
			t.Fatalf("write token of an admin acts as %+v, %v", ut, err)
		}
		// The owner's principal is not changed by it.
		if m, _ := write.Membership(f.tnt.Slug); m.Membership.Role != tenant.RoleAdmin {
			t.Fatalf("membership changed in place: %s", m.Membership.Role)
		}
		// An admin token of an admin acts as admin, where the owner is one.
		adminTok, _, err := f.svc.CreateToken(ctx, p, TokenSpec{Name: "Admin", Scope: ScopeAdmin})
		if err != nil {
			t.Fatal(err)
		}
		admin, err := f.svc.AuthenticateToken(ctx, adminTok)
		if err != nil {
			t.Fatal(err)
		}
		if ut, err := admin.Tenant(f.tnt.Slug); err != nil || ut.Membership.Role != tenant.RoleAdmin {
			t.Fatalf("admin token acts as %+v, %v", ut, err)
		}
		if ut, err := admin.Tenant(f.other.Slug); err != nil || ut.Membership.Role != tenant.RoleStaff {
			t.Fatalf("admin token where its owner is staff acts as %+v, %v", ut, err)
		}
		if _, err := admin.Tenant("gibt-es-nicht"); !errs.Is(err, errs.NotFound) {
			t.Fatalf("foreign tenant: %v", err)
		}
		// A session acts with the owner's role.
		if ut, err := p.Tenant(f.tnt.Slug); err != nil || ut.Membership.Role != tenant.RoleAdmin {
			t.Fatalf("session acts as %+v, %v", ut, err)
		}

		// Not an admin anywhere: no admin scope.
		staff, err := f.tenants.CreateUser(ctx, "staff-"+f.user.Email, "Staff", pw)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.tenants.AddMember(ctx, f.tnt.ID, staff.ID, tenant.RoleStaff); err != nil {
			t.Fatal(err)
		}
		res, err := f.svc.Login(ctx, staff.Email, pw, client)
		if err != nil {
			t.Fatal(err)
		}
		sp := f.principal(t, res.Token)
		if _, err := f.svc.Reauthenticate(ctx, sp, pw, "", "", client); err != nil {
			t.Fatal(err)
		}
		sp = f.principal(t, res.Token)
		if _, _, err := f.svc.CreateToken(ctx, sp, TokenSpec{Name: "x", Scope: ScopeAdmin}); !errs.Is(err, errs.Invalid) || errs.As(err).Field != "scope" {
			t.Fatalf("admin scope for staff: %v", err)
		}
		if _, _, err := f.svc.CreateToken(ctx, sp, TokenSpec{Name: "x", Scope: ScopeWrite}); err != nil {
			t.Fatalf("write scope for staff: %v", err)
		}

		// Expired tokens are refused.
		f.clock.Advance(90*24*time.Hour - time.Second)
		if _, err := f.svc.AuthenticateToken(ctx, tok); err != nil {
			t.Fatalf("a second before expiry: %v", err)
		}
		f.clock.Advance(time.Second)
		if _, err := f.svc.AuthenticateToken(ctx, tok); !errs.Is(err, errs.Unauthenticated) {
			t.Fatalf("expired token: %v", err)
		}
	})
}

// Tokens stop working when the password changes or an admin resets the
// second factor, at once, also where the principal was cached.
func TestTokensDieWithCredentials(t *testing.T) {
	run := func(t *testing.T, f *fixture) {
		ctx := context.Background()
		secret, _ := f.enrol(t)
		mint := func(p *Principal) string {
			t.Helper()
			f.prove(t, p, secret)
			tok, _, err := f.svc.CreateToken(ctx, p, TokenSpec{Name: "Skript", Scope: ScopeWrite})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := f.svc.AuthenticateToken(ctx, tok); err != nil { // cached where there is a cache
				t.Fatal(err)
			}
			return tok
		}
		_, p := f.signIn(t, secret)
		tok := mint(p)
		f.prove(t, p, secret)
		if err := f.svc.ChangePassword(ctx, p, pw, "ein-neues-langes-Passwort"); err != nil {
			t.Fatal(err)
		}
		f.pw = "ein-neues-langes-Passwort"
		if _, err := f.svc.AuthenticateToken(ctx, tok); !errs.Is(err, errs.Unauthenticated) {
			t.Fatalf("token survived the password change: %v", err)
		}
		if ts, _ := f.svc.ListTokens(ctx, f.user.ID); len(ts) != 0 {
			t.Fatalf("tokens left after the password change: %d", len(ts))
		}

		_, p = f.signIn(t, secret)
		tok = mint(p)
		m, _ := p.Membership(f.tnt.Slug)
		if err := f.svc.ResetTOTP(ctx, tenant.Operator(f.tnt.ID), m.Membership.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.AuthenticateToken(ctx, tok); !errs.Is(err, errs.Unauthenticated) {
			t.Fatalf("token survived the 2FA reset: %v", err)
		}
	}
	dbtest.Each(t, func(t *testing.T, d *db.DB) { run(t, setup(t, d)) })
	t.Run("postgres-cached", func(t *testing.T) {
		d, _ := dbtest.Postgres(t)
		run(t, listeningService(t, d))
	})
}

// A tenant's admins list their members' tokens (and only theirs) and
// revoke them.
func TestTenantTokens(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		f := setup(t, d)
		_, p := f.signIn(t, "")
		f.prove(t, p, "")
		var mine []*APIToken
		for _, name := range []string{"eins", "zwei", "drei"} {
			_, meta, err := f.svc.CreateToken(ctx, p, TokenSpec{Name: name, Scope: ScopeWrite})
			if err != nil {
				t.Fatal(err)
			}
			mine = append(mine, meta)
		}
		// A member of the other tenant only, with a token.
		stranger, err := f.tenants.CreateUser(ctx, "fremd-"+f.user.Email, "Fremd", pw)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.tenants.AddMember(ctx, f.other.ID, stranger.ID, tenant.RoleStaff); err != nil {
			t.Fatal(err)
		}
		res, err := f.svc.Login(ctx, stranger.Email, pw, client)
		if err != nil {
			t.Fatal(err)
		}
		sp := f.principal(t, res.Token)
		if _, err := f.svc.Reauthenticate(ctx, sp, pw, "", "", client); err != nil {
			t.Fatal(err)
		}
		_, foreign, err := f.svc.CreateToken(ctx, f.principal(t, res.Token), TokenSpec{Name: "fremd"})
		if err != nil {
			t.Fatal(err)
		}

		page, next, err := f.svc.ListTenantTokens(ctx, f.tnt.ID, uuid.Nil, 2)
		if err != nil || len(page) != 2 || page[0].ID != mine[2].ID || page[1].ID != mine[1].ID {
			t.Fatalf("first page: %+v %v", page, err)
		}
		if page[0].OwnerEmail != f.user.Email || page[0].Scope != ScopeWrite || page[0].Name != "drei" {
			t.Fatalf("listed token: %+v", page[0])
		}
		rest, last, err := f.svc.ListTenantTokens(ctx, f.tnt.ID, next, 2)
		if err != nil || len(rest) != 1 || rest[0].ID != mine[0].ID || last != uuid.Nil {
			t.Fatalf("second page: %+v %v %v", rest, last, err)
		}
		others, _, err := f.svc.ListTenantTokens(ctx, f.other.ID, uuid.Nil, 50)
		if err != nil || len(others) != 1 || others[0].ID != foreign.ID {
			t.Fatalf("other tenant's tokens: %+v %v", others, err)
		}
		// Another tenant's member's token is not this tenant's to revoke.
		if err := f.svc.RevokeTenantToken(ctx, f.tnt.ID, foreign.ID); !errs.Is(err, errs.NotFound) {
			t.Fatalf("revoked a foreign token: %v", err)
		}
		if err := f.svc.RevokeTenantToken(ctx, f.tnt.ID, mine[1].ID); err != nil {
			t.Fatal(err)
		}
		if err := f.svc.RevokeTenantToken(ctx, f.tnt.ID, mine[1].ID); !errs.Is(err, errs.NotFound) {
			t.Fatalf("revoked twice: %v", err)
		}
		if ts, _ := f.svc.ListTokens(ctx, f.user.ID); len(ts) != 2 {
			t.Fatalf("tokens left: %d", len(ts))
		}
	})
}
