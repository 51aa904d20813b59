package auth

import (
	"bytes"
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/kollab/kollab/internal/db"
	"github.com/kollab/kollab/internal/db/dbtest"
	"github.com/kollab/kollab/internal/errs"
	"github.com/kollab/kollab/internal/testenv"
	"github.com/kollab/kollab/tenant"
	"github.com/kollab/kollab/tenant/auth/password"
	"github.com/pquerna/otp/totp"
)

const pw = "ein-sehr-langes-Passwort"

type fixture struct {
	svc     *Service
	tenants *tenant.Service
	user    *tenant.User
	tnt     *tenant.Tenant
	// other is a second tenant the user does not belong to.
	other *tenant.Tenant
	clock *clock
	// notifier feeds the principal cache (listeningService only).
	notifier *db.Notifier
	// pw is the user's password once a test changed it (see password).
	pw string
}

type clock = testenv.Clock

func setup(t *testing.T, d *db.DB) *fixture {
	t.Helper()
	ctx := context.Background()
	h := password.NewHasher(password.HighEntropy)
	ts := tenant.NewService(d, h)
	key := make([]byte, 32)
	svc, err := NewService(d, ts, h, Config{SecretKey: key, SessionIdle: 30 * time.Minute, SessionAbsolute: 12 * time.Hour}, nil)
	if err != nil {
		t.Fatal(err)
	}
	c := testenv.NewClock(time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC))
	svc.SetClock(c.Now)
	suffix := uuid.NewString()[:8]
	tn, err := ts.CreateTenant(ctx, "amt-"+suffix, "Amt")
	if err != nil {
		t.Fatal(err)
	}
	u, err := ts.CreateUser(ctx, "person-"+suffix+"@example.org", "Person", pw)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ts.AddMember(ctx, tn.ID, u.ID, tenant.RoleAdmin); err != nil {
		t.Fatal(err)
	}
	other, err := ts.CreateTenant(ctx, "anderes-"+suffix, "Anderes Amt")
	if err != nil {
		t.Fatal(err)
	}
	return &fixture{svc: svc, tenants: ts, user: u, tnt: tn, other: other, clock: c}
}

var client = Client{IP: "198.51.100.7", UserAgent: "test"}

// enrol signs in with the password, enrols TOTP and returns the secret and recovery codes.
func (f *fixture) enrol(t *testing.T) (string, []string) {
	t.Helper()
	ctx := context.Background()
	res, err := f.svc.Login(ctx, f.user.Email, pw, client)
	if err != nil || res.SecondFactorRequired {
		t.Fatalf("login before enrolment: %+v %v", res, err)
	}
	en, err := f.svc.BeginEnrolment(ctx, res.Principal)
	if err != nil {
		t.Fatal(err)
	}
	if len(en.QRPNG) < 100 || string(en.QRPNG[1:4]) != "PNG" || en.URI == "" {
		t.Fatalf("enrolment: uri=%q png=%d bytes", en.URI, len(en.QRPNG))
	}
	// Not enabled until confirmed.
	if u, _ := f.tenants.UserByID(ctx, f.user.ID); u.TOTPEnabled() {
		t.Fatal("TOTP on before the first code")
	}
	code, _ := totp.GenerateCode(en.Secret, f.clock.Now())
	wrong := "000000"
	if code == wrong {
		wrong = "111111"
	}
	if _, err := f.svc.ConfirmEnrolment(ctx, res.Principal, wrong); !errs.Is(err, errs.InvalidCode) {
		t.Fatalf("wrong code confirmed: %v", err)
	}
	codes, err := f.svc.ConfirmEnrolment(ctx, res.Principal, code)
	if err != nil || len(codes) != RecoveryCodeCount {
		t.Fatalf("confirm: %v %v", codes, err)
	}
	return en.Secret, codes
}

func TestLoginWithTOTP(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		f := setup(t, d)
		secret, _ := f.enrol(t)
		f.clock.Advance(90 * time.Second)

		if _, err := f.svc.Login(ctx, f.user.Email, "falsch-falsch-falsch", client); !errs.Is(err, errs.InvalidCredentials) {
			t.Fatalf("wrong password: %v", err)
		}
		if _, err := f.svc.Login(ctx, "niemand@example.org", pw, client); !errs.Is(err, errs.InvalidCredentials) {
			t.Fatalf("unknown account: %v", err)
		}
		res, err := f.svc.Login(ctx, f.user.Email, pw, client)
		if err != nil || !res.SecondFactorRequired {
			t.Fatalf("login: %+v %v", res, err)
		}
		p, err := f.svc.Authenticate(ctx, res.Token)
		if err != nil || !p.MFAPending {
			t.Fatalf("pending session: %+v %v", p, err)
		}
		// A code from two steps ago fails.
		old, _ := totp.GenerateCode(secret, f.clock.Now().Add(-60*time.Second))
		if _, err := f.svc.SecondFactor(ctx, p, old, "", client); !errs.Is(err, errs.InvalidCode) {
			t.Fatalf("code from two steps ago: %v", err)
		}
		code, _ := totp.GenerateCode(secret, f.clock.Now())
		tok, err := f.svc.SecondFactor(ctx, p, code, "", client)
		if err != nil || tok == res.Token {
			t.Fatalf("second factor: %v (token rotated: %v)", err, tok != res.Token)
		}
		if _, err := f.svc.Authenticate(ctx, res.Token); !errs.Is(err, errs.Unauthenticated) {
			t.Fatalf("pre-2FA token still valid: %v", err)
		}
		full, err := f.svc.Authenticate(ctx, tok)
		if err != nil || full.MFAPending || !full.TOTPEnabled {
			t.Fatalf("full session: %+v %v", full, err)
		}
		// The same code cannot be replayed in another login.
		res2, _ := f.svc.Login(ctx, f.user.Email, pw, client)
		p2, _ := f.svc.Authenticate(ctx, res2.Token)
		if _, err := f.svc.SecondFactor(ctx, p2, code, "", client); !errs.Is(err, errs.InvalidCode) {
			t.Fatalf("replayed code: %v", err)
		}
		// The previous step (accepted ±1) is also older than the used one: refused.
		prev, _ := totp.GenerateCode(secret, f.clock.Now().Add(-30*time.Second))
		if _, err := f.svc.SecondFactor(ctx, p2, prev, "", client); !errs.Is(err, errs.InvalidCode) {
			t.Fatalf("earlier step after a later one: %v", err)
		}
		// Logout deletes the session.
		if err := f.svc.Logout(ctx, full); err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.Authenticate(ctx, tok); !errs.Is(err, errs.Unauthenticated) {
			t.Fatalf("logged-out token: %v", err)
		}
	})
}

// 50 concurrent submissions of the same valid code yield exactly one success.
func TestTOTPReplayUnderConcurrency(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		f := setup(t, d)
		secret, _ := f.enrol(t)
		f.clock.Advance(5 * time.Minute)
		u, err := f.tenants.UserByID(ctx, f.user.ID)
		if err != nil {
			t.Fatal(err)
		}
		code, _ := totp.GenerateCode(secret, f.clock.Now())
		var ok, failed atomic.Int32
		var wg sync.WaitGroup
		start := make(chan struct{})
		for range 50 {
			wg.Go(func() {
				<-start
				good, err := f.svc.acceptTOTP(ctx, u, code)
				switch {
				case err != nil:
					t.Error(err)
				case good:
					ok.Add(1)
				default:
					failed.Add(1)
				}
			})
		}
		close(start)
		wg.Wait()
		if ok.Load() != 1 || failed.Load() != 49 {
			t.Fatalf("%d successes, %d refusals; want 1 and 49", ok.Load(), failed.Load())
		}
	})
}

// The same through the whole sign-in path: 50 pending sessions race one code.
func TestSecondFactorRaceEndToEnd(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		f := setup(t, d)
		secret, _ := f.enrol(t)
		f.clock.Advance(5 * time.Minute)
		var ps []*Principal
		for i := range 50 {
			res, err := f.svc.Login(ctx, f.user.Email, pw, Client{IP: "203.0.113." + string(rune('0'+i%10))})
			if err != nil {
				t.Fatal(err)
			}
			p, _ := f.svc.Authenticate(ctx, res.Token)
			ps = append(ps, p)
		}
		code, _ := totp.GenerateCode(secret, f.clock.Now())
		var ok atomic.Int32
		var wg sync.WaitGroup
		for _, p := range ps {
			wg.Go(func() {
				if _, err := f.svc.SecondFactor(ctx, p, code, "", client); err == nil {
					ok.Add(1)
				}
			})
		}
		wg.Wait()
		if ok.Load() != 1 {
			t.Fatalf("%d sign-ins completed with one code, want 1", ok.Load())
		}
	})
}

func TestRecoveryCodeWorksOnce(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		f := setup(t, d)
		_, codes := f.enrol(t)
		login := func() *Principal {
			res, err := f.svc.Login(ctx, f.user.Email, pw, client)
			if err != nil {
				t.Fatal(err)
			}
			p, _ := f.svc.Authenticate(ctx, res.Token)
			return p
		}
		if _, err := f.svc.SecondFactor(ctx, login(), "", "aaaa-bbbb-cccc", client); !errs.Is(err, errs.InvalidCode) {
			t.Fatalf("invented recovery code: %v", err)
		}
		if _, err := f.svc.SecondFactor(ctx, login(), "", " "+codes[3]+" ", client); err != nil {
			t.Fatalf("recovery code: %v", err)
		}
		if _, err := f.svc.SecondFactor(ctx, login(), "", codes[3], client); !errs.Is(err, errs.InvalidCode) {
			t.Fatalf("recovery code reused: %v", err)
		}
		if p := login(); p.RecoveryCodesLeft != RecoveryCodeCount-1 {
			t.Fatalf("%d codes left", p.RecoveryCodesLeft)
		}
	})
}

func TestSecondFactorLockout(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		f := setup(t, d)
		secret, _ := f.enrol(t)
		f.clock.Advance(2 * time.Minute)
		res, _ := f.svc.Login(ctx, f.user.Email, pw, client)
		p, _ := f.svc.Authenticate(ctx, res.Token)
		var last error
		for range 5 {
			_, last = f.svc.SecondFactor(ctx, p, "000000", "", client)
		}
		if !errs.Is(last, errs.Locked) {
			t.Fatalf("5th failure: %v", last)
		}
		code, _ := totp.GenerateCode(secret, f.clock.Now())
		if _, err := f.svc.SecondFactor(ctx, p, code, "", client); !errs.Is(err, errs.Locked) {
			t.Fatalf("correct code while locked: %v", err)
		}
		// The lock and the failures are in the tenant's audit log.
		var actions []string
		_ = d.Tenant(ctx, f.tnt.ID, func(tx *db.Tx) error {
			return tx.Table("audit_events").Where("action LIKE ?", "auth.%").Order("seq").Pluck("action", &actions).Error
		})
		locked := 0
		for _, a := range actions {
			if a == "auth.account.locked" {
				locked++
			}
		}
		if locked != 1 {
			t.Fatalf("audit: %v", actions)
		}
		// The other tenant's log has none of this user's events.
		var foreign int64
		_ = d.Tenant(ctx, f.other.ID, func(tx *db.Tx) error {
			return tx.Table("audit_events").Where("action LIKE ?", "auth.%").Count(&foreign).Error
		})
		if foreign != 0 {
			t.Fatalf("%d auth events in a tenant the user does not belong to", foreign)
		}
		f.clock.Advance(16 * time.Minute)
		res, _ = f.svc.Login(ctx, f.user.Email, pw, client)
		p, _ = f.svc.Authenticate(ctx, res.Token)
		code, _ = totp.GenerateCode(secret, f.clock.Now())
		if _, err := f.svc.SecondFactor(ctx, p, code, "", client); err != nil {
			t.Fatalf("after the lock expired: %v", err)
		}
	})
}

func TestPasswordThrottle(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		f := setup(t, d)
		for range 5 {
			if _, err := f.svc.Login(ctx, f.user.Email, "falsch-falsch-falsch", client); !errs.Is(err, errs.InvalidCredentials) {
				t.Fatal(err)
			}
		}
		_, err := f.svc.Login(ctx, f.user.Email, "falsch-falsch-falsch", client)
		if !errs.Is(err, errs.InvalidCredentials) {
			t.Fatalf("6th attempt: %v", err)
		}
		_, err = f.svc.Login(ctx, f.user.Email, pw, client)
		if e := errs.As(err); e == nil || e.Code != errs.RateLimited || e.RetryAfter <= 0 {
			t.Fatalf("7th attempt right away: %v", err)
		}
		f.clock.Advance(3 * time.Second)
		if _, err := f.svc.Login(ctx, f.user.Email, pw, client); err != nil {
			t.Fatalf("after waiting: %v", err)
		}
	})
}

func TestSessionsAndPassword(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		f := setup(t, d)
		a, _ := f.svc.Login(ctx, f.user.Email, pw, client)
		b, _ := f.svc.Login(ctx, f.user.Email, pw, Client{IP: "192.0.2.9", UserAgent: "Firefox"})
		// Idle timeout.
		f.clock.Advance(20 * time.Minute)
		if _, err := f.svc.Authenticate(ctx, a.Token); err != nil {
			t.Fatal(err)
		}
		f.clock.Advance(20 * time.Minute)
		if _, err := f.svc.Authenticate(ctx, b.Token); !errs.Is(err, errs.SessionExpired) {
			t.Fatalf("idle session: %v", err)
		}
		pa, err := f.svc.Authenticate(ctx, a.Token)
		if err != nil {
			t.Fatal(err)
		}
		c, _ := f.svc.Login(ctx, f.user.Email, pw, client)
		ss, err := f.svc.ListSessions(ctx, f.user.ID)
		if err != nil || len(ss) != 2 {
			t.Fatalf("sessions: %d %v", len(ss), err)
		}
		f.prove(t, pa, "")
		if err := f.svc.ChangePassword(ctx, pa, "falsch-falsch-falsch", "ein-neues-langes-Passwort"); !errs.Is(err, errs.Invalid) {
			t.Fatalf("wrong current password: %v", err)
		}
		if err := f.svc.ChangePassword(ctx, pa, pw, "ein-neues-langes-Passwort"); err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.Authenticate(ctx, c.Token); !errs.Is(err, errs.Unauthenticated) {
			t.Fatalf("other session survived the password change: %v", err)
		}
		if _, err := f.svc.Authenticate(ctx, a.Token); err != nil {
			t.Fatalf("own session ended: %v", err)
		}
		if _, err := f.svc.Login(ctx, f.user.Email, "ein-neues-langes-Passwort", client); err != nil {
			t.Fatal(err)
		}
		// Absolute timeout, however busy the session.
		busy := 0
		for ; busy < 30; busy++ {
			f.clock.Advance(29 * time.Minute)
			if _, err = f.svc.Authenticate(ctx, a.Token); err != nil {
				break
			}
		}
		if !errs.Is(err, errs.SessionExpired) || busy < 20 {
			t.Fatalf("session outlived the absolute timeout: %v", err)
		}
	})
}

func TestAPITokens(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		f := setup(t, d)
		res, _ := f.svc.Login(ctx, f.user.Email, pw, client)
		exp := f.clock.Now().Add(48 * time.Hour)
		f.prove(t, res.Principal, "")
		tok, meta, err := f.svc.CreateToken(ctx, res.Principal, TokenSpec{Name: "Skript", ExpiresAt: &exp})
		if err != nil {
			t.Fatal(err)
		}
		p, err := f.svc.AuthenticateToken(ctx, tok)
		if err != nil || p.UserID != f.user.ID || !p.ViaToken() {
			t.Fatalf("token: %+v %v", p, err)
		}
		if _, _, err := f.svc.CreateToken(ctx, p, TokenSpec{Name: "von Token"}); !errs.Is(err, errs.Forbidden) {
			t.Fatalf("token minted a token: %v", err)
		}
		f.clock.Advance(49 * time.Hour)
		if _, err := f.svc.AuthenticateToken(ctx, tok); !errs.Is(err, errs.Unauthenticated) {
			t.Fatalf("expired token: %v", err)
		}
		if err := f.svc.RevokeToken(ctx, res.Principal, meta.ID); err != nil {
			t.Fatal(err)
		}
		if err := f.svc.RevokeToken(ctx, res.Principal, meta.ID); !errs.Is(err, errs.NotFound) {
			t.Fatalf("revoke twice: %v", err)
		}
	})
}

func TestSecretIsEncryptedAtRest(t *testing.T) {
	d := dbtest.SQLite(t)
	f := setup(t, d)
	secret, _ := f.enrol(t)
	u, _ := f.tenants.UserByID(context.Background(), f.user.ID)
	if len(u.TOTPSecret) == 0 || string(u.TOTPSecret) == secret || bytes.Contains(u.TOTPSecret, []byte(secret)) {
		t.Fatal("TOTP secret stored in the clear")
	}
	if _, err := f.svc.box.open(u.TOTPSecret, uuid.New().NodeID()); err == nil {
		t.Fatal("sealed secret opens for another account")
	}
}

// Many people behind one address sign in at once: none is refused. Wrong
// passwords from that address against many accounts slow it down.
func TestClientAddressThrottle(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		f := setup(t, d)
		office := Client{IP: "203.0.113.50"}
		var colleagues []string
		for i := range 50 {
			u, err := f.tenants.CreateUser(ctx, fmt.Sprintf("kollegin%d-%s", i, f.user.Email), "Kollegin", pw)
			if err != nil {
				t.Fatal(err)
			}
			colleagues = append(colleagues, u.Email)
		}
		var wg sync.WaitGroup
		var refused atomic.Int32
		for _, email := range colleagues {
			wg.Go(func() {
				if _, err := f.svc.Login(ctx, email, pw, office); err != nil {
					refused.Add(1)
				}
			})
		}
		wg.Wait()
		if refused.Load() != 0 {
			t.Fatalf("%d of %d correct sign-ins from one address refused", refused.Load(), len(colleagues))
		}
		attacker := Client{IP: "198.51.100.66"}
		for i := range 31 {
			if _, err := f.svc.Login(ctx, fmt.Sprintf("opfer%d@example.org", i), "geraten-geraten", attacker); !errs.Is(err, errs.InvalidCredentials) {
				t.Fatalf("guess %d: %v", i, err)
			}
		}
		if _, err := f.svc.Login(ctx, f.user.Email, pw, attacker); !errs.Is(err, errs.RateLimited) {
			t.Fatalf("address after 31 failures: %v", err)
		}
		if _, err := f.svc.Login(ctx, f.user.Email, pw, office); err != nil {
			t.Fatalf("other address affected: %v", err)
		}
	})
}

// A principal carries exactly its own memberships, with their tenants, on
// both engines (on PostgreSQL read under the member_self policy in the same
// statement that resolves the session).
func TestPrincipalCarriesOwnMemberships(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		f := setup(t, d)
		if _, err := f.tenants.AddMember(ctx, f.other.ID, f.user.ID, tenant.RoleStaff); err != nil {
			t.Fatal(err)
		}
		stranger, err := f.tenants.CreateUser(ctx, "fremd-"+f.user.Email, "Fremd", pw)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.tenants.AddMember(ctx, f.other.ID, stranger.ID, tenant.RoleAdmin); err != nil {
			t.Fatal(err)
		}
		res, err := f.svc.Login(ctx, f.user.Email, pw, client)
		if err != nil {
			t.Fatal(err)
		}
		exp := f.clock.Now().Add(time.Hour)
		f.prove(t, res.Principal, "")
		tok, _, err := f.svc.CreateToken(ctx, res.Principal, TokenSpec{Name: "Skript", ExpiresAt: &exp})
		if err != nil {
			t.Fatal(err)
		}
		bySession, err := f.svc.Authenticate(ctx, res.Token)
		if err != nil {
			t.Fatal(err)
		}
		byToken, err := f.svc.AuthenticateToken(ctx, tok)
		if err != nil {
			t.Fatal(err)
		}
		for name, p := range map[string]*Principal{"session": bySession, "token": byToken} {
			roles := map[string]tenant.Role{}
			for _, ut := range p.Tenants {
				if ut.Membership.UserID != f.user.ID || ut.Membership.TenantID != ut.Tenant.ID {
					t.Fatalf("%s: foreign membership %+v", name, ut.Membership)
				}
				roles[ut.Tenant.Slug] = ut.Membership.Role
			}
			if len(roles) != 2 || roles[f.tnt.Slug] != tenant.RoleAdmin || roles[f.other.Slug] != tenant.RoleStaff {
				t.Fatalf("%s: memberships %v", name, roles)
			}
			if m, ok := p.Membership(f.other.Slug); !ok || !m.Tenant.Settings.RequiresTOTP(tenant.RoleAdmin) {
				t.Fatalf("%s: tenant settings not loaded: %+v", name, m)
			}
		}
		// Nothing of the session's user setting survives the statement.
		if d.Dialect() == db.Postgres {
			var v string
			if err := d.Global(ctx).Raw("SELECT coalesce(current_setting('app.user_id', true), '')").Scan(&v).Error; err != nil || v != "" {
				t.Fatalf("app.user_id leaked into the pool: %q %v", v, err)
			}
		}
	})
}
