package auth

import (
	"context"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/kollab/kollab/internal/db"
	"github.com/kollab/kollab/internal/db/dbtest"
	"github.com/kollab/kollab/internal/errs"
	"github.com/kollab/kollab/tenant"
)

func TestPrincipalCacheUnit(t *testing.T) {
	c := newPrincipalCache(time.Minute, 3)
	clk := time.Date(2026, 11, 29, 10, 0, 0, 0, time.UTC)
	c.now = func() time.Time { return clk }
	user := uuid.New()
	cred := &credential{ID: uuid.New()}
	p := &Principal{UserID: user, Tenants: []tenant.UserTenant{{Tenant: tenant.Tenant{Slug: "a",
		Settings: tenant.Settings{RequireTOTPRoles: []tenant.Role{tenant.RoleAdmin}}}}}}
	hash := []byte("h1")

	c.put(c.generation(), "session", hash, cred, p)
	if _, _, ok := c.get("session", hash); ok {
		t.Fatal("cached while not listening")
	}
	c.connected(true)
	c.put(c.generation(), "session", hash, cred, p)
	_, got, ok := c.get("session", hash)
	if !ok || got.UserID != user {
		t.Fatalf("no hit after put: %v", ok)
	}
	if _, _, ok := c.get("token", hash); ok {
		t.Fatal("a session hash answered for a token")
	}
	// Copies: a caller's changes do not reach the cache.
	got.Tenants[0].Tenant.Slug = "x"
	got.Tenants[0].Tenant.Settings.RequireTOTPRoles[0] = tenant.RoleStaff
	_, again, _ := c.get("session", hash)
	if again.Tenants[0].Tenant.Slug != "a" || again.Tenants[0].Tenant.Settings.RequireTOTPRoles[0] != tenant.RoleAdmin {
		t.Fatal("the cached principal was changed through a copy")
	}
	// A load that overlapped a change does not store its (old) result.
	gen := c.generation()
	c.forgetUser(uuid.New()) // any change
	c.put(gen, "session", []byte("h2"), cred, p)
	if _, _, ok := c.get("session", []byte("h2")); ok {
		t.Fatal("a stale load was stored")
	}
	// The account's entries go on its notification, others stay.
	other := &Principal{UserID: uuid.New()}
	c.put(c.generation(), "token", []byte("h3"), cred, other)
	c.notified(user.String())
	if _, _, ok := c.get("session", hash); ok {
		t.Fatal("entry survived its account's notification")
	}
	if _, _, ok := c.get("token", []byte("h3")); !ok {
		t.Fatal("another account's entry went too")
	}
	c.notified("*")
	if _, _, ok := c.get("token", []byte("h3")); ok {
		t.Fatal(`entry survived "*"`)
	}
	// TTL.
	c.put(c.generation(), "session", hash, cred, p)
	clk = clk.Add(time.Minute)
	if _, _, ok := c.get("session", hash); ok {
		t.Fatal("entry outlived its TTL")
	}
	// Bounded: a full cache starts over.
	for i := range 4 {
		c.put(c.generation(), "session", []byte{byte(i)}, cred, &Principal{UserID: uuid.New()})
	}
	if n := len(c.entries); n > 3 {
		t.Fatalf("%d entries in a cache of 3", n)
	}
	// Losing the connection empties and disables it.
	c.connected(false)
	if _, _, ok := c.get("session", []byte{3}); ok || len(c.entries) != 0 {
		t.Fatal("served from the cache without a connection")
	}
}

// listeningService returns a fixture whose service caches principals and
// listens for changes on d, like a serving instance.
func listeningService(t *testing.T, d *db.DB) *fixture {
	t.Helper()
	f := setup(t, d)
	f.svc.cfg.PrincipalCacheTTL = time.Minute
	n, err := d.NewNotifier(nil)
	if err != nil {
		t.Fatal(err)
	}
	f.svc.ListenForChanges(n)
	f.notifier = n
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); _ = n.Run(ctx) }()
	t.Cleanup(func() { cancel(); <-done })
	waitFor(t, "the cache listens", f.svc.PrincipalCacheLive)
	return f
}

func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(5 * time.Second); !cond(); time.Sleep(2 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting until %s", what)
		}
	}
}

// TestPrincipalCacheFollowsOtherInstances: changes made elsewhere (another
// instance, the CLI, psql) reach a caching instance through the database's
// notifications, and it never serves what it may have missed.
func TestPrincipalCacheFollowsOtherInstances(t *testing.T) {
	ctx := context.Background()
	d, ownerURL := dbtest.Postgres(t)
	f := listeningService(t, d)
	// "Another instance": its own connections, no cache.
	d2, err := db.Open(ctx, db.Options{URL: d.Pgx().Config().ConnString()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = d2.Close() })
	other := tenant.NewService(d2, nil)

	res, err := f.svc.Login(ctx, f.user.Email, pw, client)
	if err != nil {
		t.Fatal(err)
	}
	hash := hashOf(res.Token)
	if _, err := f.svc.Authenticate(ctx, res.Token); err != nil {
		t.Fatal(err)
	}
	if _, _, ok := f.svc.cache.get("session", hash); !ok {
		t.Fatal("the principal was not cached")
	}
	p, err := f.svc.Authenticate(ctx, res.Token)
	if err != nil || len(p.Tenants) != 1 {
		t.Fatalf("cached principal: %+v %v", p, err)
	}

	// A role change by the other instance (after a second admin joined:
	// the last one may not step down).
	second, err := f.tenants.CreateUser(ctx, "zweite-"+f.user.Email, "Zweite", pw)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.tenants.AddMember(ctx, f.tnt.ID, second.ID, tenant.RoleAdmin); err != nil {
		t.Fatal(err)
	}
	ut, _ := p.Membership(f.tnt.Slug)
	if _, err := other.ChangeRole(ctx, tenant.Operator(f.tnt.ID), ut.Membership.ID, tenant.RoleStaff); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the role change arrives", func() bool {
		p, err := f.svc.Authenticate(ctx, res.Token)
		return err == nil && p.Tenants[0].Membership.Role == tenant.RoleStaff
	})

	// A tenant's settings (in every member's principal).
	if _, err := other.UpdateSettings(ctx, tenant.Operator(f.tnt.ID), tenant.Settings{RequireTOTPRoles: []tenant.Role{tenant.RoleStaff}}); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the policy change arrives", func() bool {
		p, err := f.svc.Authenticate(ctx, res.Token)
		return err == nil && p.Tenants[0].Tenant.Settings.RequiresTOTP(tenant.RoleStaff)
	})

	// A sign-out elsewhere, here straight in the database as an operator
	// would: the session ends on this instance too.
	if _, err := f.svc.Authenticate(ctx, res.Token); err != nil {
		t.Fatal(err)
	}
	owner, err := pgx.Connect(ctx, ownerURL)
	if err != nil {
		t.Fatal(err)
	}
	defer owner.Close(ctx)
	if _, err := owner.Exec(ctx, "DELETE FROM sessions WHERE user_id = $1", f.user.ID); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the sign-out arrives", func() bool {
		_, err := f.svc.Authenticate(ctx, res.Token)
		return errs.Is(err, errs.Unauthenticated)
	})

	// Losing the connection: nothing is served from the cache until it
	// listens again, and what it held is gone.
	res, err = f.svc.Login(ctx, f.user.Email, pw, client)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.Authenticate(ctx, res.Token); err != nil {
		t.Fatal(err)
	}
	if _, err := owner.Exec(ctx, `SELECT pg_terminate_backend($1)`, f.notifier.BackendPID()); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the cache notices the lost connection", func() bool { return !f.svc.PrincipalCacheLive() })
	if _, _, ok := f.svc.cache.get("session", hashOf(res.Token)); ok {
		t.Fatal("served from the cache without a connection")
	}
	waitFor(t, "the cache listens again", f.svc.PrincipalCacheLive)
	if _, err := f.svc.Authenticate(ctx, res.Token); err != nil {
		t.Fatal(err)
	}
	if _, _, ok := f.svc.cache.get("session", hashOf(res.Token)); !ok {
		t.Fatal("not caching after the reconnect")
	}
}

// TestPrincipalCacheOwnRevocations: what this instance revokes is gone
// from its cache before the call returns.
func TestPrincipalCacheOwnRevocations(t *testing.T) {
	ctx := context.Background()
	d, _ := dbtest.Postgres(t)
	f := listeningService(t, d)
	a, _ := f.svc.Login(ctx, f.user.Email, pw, client)
	b, _ := f.svc.Login(ctx, f.user.Email, pw, client)
	pa, err := f.svc.Authenticate(ctx, a.Token)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.Authenticate(ctx, b.Token); err != nil {
		t.Fatal(err)
	}
	exp := f.clock.Now().Add(time.Hour)
	f.prove(t, pa, "")
	tok, meta, err := f.svc.CreateToken(ctx, pa, TokenSpec{Name: "Skript", ExpiresAt: &exp})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.AuthenticateToken(ctx, tok); err != nil {
		t.Fatal(err)
	}
	if err := f.svc.RevokeToken(ctx, pa, meta.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.AuthenticateToken(ctx, tok); !errs.Is(err, errs.Unauthenticated) {
		t.Fatalf("revoked token still works: %v", err)
	}
	if err := f.svc.ChangePassword(ctx, pa, pw, "ein-neues-langes-Passwort"); err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.Authenticate(ctx, b.Token); !errs.Is(err, errs.Unauthenticated) {
		t.Fatalf("other session survived the password change: %v", err)
	}
	if err := f.svc.Logout(ctx, pa); err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.Authenticate(ctx, a.Token); !errs.Is(err, errs.Unauthenticated) {
		t.Fatalf("signed-out session still works: %v", err)
	}
}

// TestPrincipalCacheIdleTimeout: an idle timeout is decided on the stored
// last-seen time, not on a cached copy that another instance's use of the
// session has overtaken.
func TestPrincipalCacheIdleTimeout(t *testing.T) {
	ctx := context.Background()
	d, _ := dbtest.Postgres(t)
	f := listeningService(t, d)
	res, _ := f.svc.Login(ctx, f.user.Email, pw, client)
	if _, err := f.svc.Authenticate(ctx, res.Token); err != nil {
		t.Fatal(err)
	}
	// Another instance saw the session 20 minutes later.
	f.clock.Advance(20 * time.Minute)
	if err := d.Global(ctx).Table(sessionsTable).Where("token_hash = ?", hashOf(res.Token)).
		Update("last_seen_at", f.clock.Now()).Error; err != nil {
		t.Fatal(err)
	}
	// Once the update's notification has come, the fresh state is cached.
	waitFor(t, "the fresh session is cached", func() bool {
		if _, err := f.svc.Authenticate(ctx, res.Token); err != nil {
			t.Fatal(err)
		}
		_, _, ok := f.svc.cache.get("session", hashOf(res.Token))
		return ok
	})
	old := f.clock.Now().Add(-20 * time.Minute)
	f.svc.cache.mu.Lock()
	f.svc.cache.entries[cacheKey("session", hashOf(res.Token))].cred.SeenAt = &old
	f.svc.cache.mu.Unlock()
	f.clock.Advance(15 * time.Minute) // 35 minutes after the stale copy, 15 after the real last use
	if _, err := f.svc.Authenticate(ctx, res.Token); err != nil {
		t.Fatalf("session ended on a stale copy: %v", err)
	}
}
