package auth

import (
	"context"
	"testing"

	"github.com/kollab/kollab/internal/db"
	"github.com/kollab/kollab/internal/db/dbtest"
	"github.com/kollab/kollab/internal/errs"
)

// A stranger's wrong passwords slow the stranger, never the owner signing
// in from another address: sixteen failures from one address, spaced as
// the throttle demands, once kept any account locked for everyone.
func TestStrangerCannotLockOwnerOut(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		f := setup(t, d)
		stranger := Client{IP: "203.0.113.66", UserAgent: "guesser"}
		owner := Client{IP: "198.51.100.7", UserAgent: "owner"}
		for failures := 0; failures < 16; {
			_, err := f.svc.Login(ctx, f.user.Email, "geraten-geraten", stranger)
			switch e := errs.As(err); {
			case errs.Is(err, errs.InvalidCredentials):
				failures++
			case e != nil && e.Code == errs.RateLimited && e.RetryAfter > 0:
				f.clock.Advance(e.RetryAfter) // the stranger waits as told, then guesses again
			default:
				t.Fatalf("guess %d: %v", failures+1, err)
			}
		}
		// The stranger is slowed: even the right password waits.
		if _, err := f.svc.Login(ctx, f.user.Email, pw, stranger); !errs.Is(err, errs.RateLimited) {
			t.Fatalf("stranger after 16 failures: %v", err)
		}
		// The owner, from elsewhere, signs in at once.
		if _, err := f.svc.Login(ctx, f.user.Email, pw, owner); err != nil {
			t.Fatalf("owner from another address: %v", err)
		}
		// Another spelling of the address is the same account for the throttle.
		if _, err := f.svc.Login(ctx, " "+upper(f.user.Email)+" ", pw, stranger); !errs.Is(err, errs.RateLimited) {
			t.Fatalf("stranger, address in capitals: %v", err)
		}
		// The owner's success does not release the stranger.
		if _, err := f.svc.Login(ctx, f.user.Email, "geraten-geraten", stranger); !errs.Is(err, errs.RateLimited) {
			t.Fatalf("stranger after the owner signed in: %v", err)
		}
	})
}

func upper(s string) string {
	b := []byte(s)
	for i, c := range b {
		if c >= 'a' && c <= 'z' {
			b[i] = c - 'a' + 'A'
		}
	}
	return string(b)
}
