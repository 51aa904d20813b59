package auth

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/kollab/kollab/internal/audit"
	"github.com/kollab/kollab/internal/db"
	"github.com/kollab/kollab/internal/db/dbtest"
	"github.com/kollab/kollab/internal/errs"
)

// brakedEntries counts the brake's audit entries in the fixture's tenant.
func (f *fixture) brakedEntries(t *testing.T, d *db.DB) int64 {
	t.Helper()
	var n int64
	if err := d.Tenant(context.Background(), f.tnt.ID, func(tx *db.Tx) error {
		return tx.Table("audit_events").Where("action = ?", audit.ActionSignInBraked).Count(&n).Error
	}); err != nil {
		t.Fatal(err)
	}
	return n
}

// One address guessing as fast as the throttle lets it, for a whole brake
// window, stays far below the account-wide brake: the owner is never held
// up by it, and nothing is audited.
func TestBrakeFarAbovePerAddressLimit(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		f := setup(t, d)
		stranger := Client{IP: "203.0.113.66"}
		end := f.clock.Now().Add(brakeWindow)
		failures := 0
		for f.clock.Now().Before(end) {
			_, err := f.svc.Login(ctx, f.user.Email, "geraten-geraten", stranger)
			switch e := errs.As(err); {
			case errs.Is(err, errs.InvalidCredentials):
				failures++
			case e != nil && e.Code == errs.RateLimited && e.RetryAfter > 0:
				f.clock.Advance(e.RetryAfter)
			default:
				t.Fatalf("after %d failures: %v", failures, err)
			}
		}
		if failures < 10 || failures*5 > brakeLimit {
			t.Fatalf("one address failed %d times in %v; the brake engages at %d, which must be at least five times as many", failures, brakeWindow, brakeLimit)
		}
		if _, err := f.svc.Login(ctx, f.user.Email, pw, Client{IP: "198.51.100.7"}); err != nil {
			t.Fatalf("owner: %v", err)
		}
		if n := f.brakedEntries(t, d); n != 0 {
			t.Fatalf("%d brake entries for one address's guesses", n)
		}
	})
}

// Guesses spread over many addresses, each within its own free attempts,
// engage the account-wide brake at brakeLimit failures in a window: then
// every attempt waits (the owner's too) until the window ends, and the
// audit log of the account's tenant says so, once.
func TestBrakeEngagesAcrossAddressesAndIsAudited(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		f := setup(t, d)
		owner := Client{IP: "198.51.100.7"}
		failures := 0
		guess := func(addr int) {
			t.Helper()
			ip := Client{IP: fmt.Sprintf("10.%d.%d.1", addr/250, addr%250)}
			if _, err := f.svc.Login(ctx, f.user.Email, "geraten-geraten", ip); !errs.Is(err, errs.InvalidCredentials) {
				t.Fatalf("failure %d from address %d: %v", failures+1, addr, err)
			}
			failures++
		}
		addr := 0
		for failures < brakeLimit-1 {
			for range min(5, brakeLimit-1-failures) { // each address within its free attempts
				guess(addr)
			}
			addr++
			f.clock.Advance(time.Second)
		}
		if _, err := f.svc.Login(ctx, f.user.Email, pw, owner); err != nil {
			t.Fatalf("owner one failure below the brake: %v", err)
		}
		if n := f.brakedEntries(t, d); n != 0 {
			t.Fatalf("%d brake entries below the limit", n)
		}
		guess(addr + 1)
		if n := f.brakedEntries(t, d); n != 1 {
			t.Fatalf("%d brake entries at the limit, want 1", n)
		}
		_, err := f.svc.Login(ctx, f.user.Email, pw, owner)
		e := errs.As(err)
		if e == nil || e.Code != errs.RateLimited || e.RetryAfter <= 0 || e.RetryAfter > brakeWindow+time.Second {
			t.Fatalf("owner while the brake is engaged: %v", err)
		}
		// A fresh address is braked too, and refused attempts are not counted again.
		if _, err := f.svc.Login(ctx, f.user.Email, "geraten-geraten", Client{IP: "192.0.2.200"}); !errs.Is(err, errs.RateLimited) {
			t.Fatalf("fresh address while braked: %v", err)
		}
		if n := f.brakedEntries(t, d); n != 1 {
			t.Fatalf("%d brake entries, want 1", n)
		}
		f.clock.Advance(e.RetryAfter)
		if _, err := f.svc.Login(ctx, f.user.Email, pw, owner); err != nil {
			t.Fatalf("owner after the window: %v", err)
		}
	})
}
