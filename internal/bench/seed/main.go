// Command seed fills a migrated PostgreSQL database with a benchmark tenant
// and N staff accounts, each with a password and an enrolled TOTP second
// factor, through Kollab's own services (tenant.Service, auth.Service) with
// the production argon2id parameters. It writes what a person would know to
// sign in (e-mail, password, TOTP secret) to a JSON file for the load
// generators. Run by bench/run.
package main

import (
	"context"
	"encoding/hex"
	"flag"
	"fmt"
	"log"
	"os"
	"sync"
	"time"

	"github.com/kollab/kollab/internal/bench/load"
	"github.com/kollab/kollab/internal/db"
	"github.com/kollab/kollab/tenant"
	"github.com/kollab/kollab/tenant/auth"
	"github.com/kollab/kollab/tenant/auth/password"
)

func main() {
	var (
		dbURL   = flag.String("database-url", os.Getenv("KOLLAB_DATABASE_URL"), "PostgreSQL URL of the serving (app) role")
		keyHex  = flag.String("secret-key", os.Getenv("KOLLAB_SECRET_KEY"), "the server's KOLLAB_SECRET_KEY (64 hex digits)")
		n       = flag.Int("users", 1000, "accounts to create")
		slug    = flag.String("tenant", "bench", "tenant to create")
		out     = flag.String("out", "users.json", "where to write the accounts")
		workers = flag.Int("workers", 8, "accounts seeded concurrently")
	)
	flag.Parse()
	log.SetFlags(0)
	log.SetPrefix("seed: ")
	key, err := hex.DecodeString(*keyHex)
	if err != nil || len(key) != 32 {
		log.Fatal("-secret-key must be 32 bytes as hex")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	start := time.Now()
	d, err := db.Open(ctx, db.Options{URL: *dbURL, MaxOpenConns: 2 * *workers})
	if err != nil {
		log.Fatal(err)
	}
	defer d.Close()
	hasher := password.NewHasher(password.Interactive)
	tenants := tenant.NewService(d, hasher)
	auths, err := auth.NewService(d, tenants, hasher, auth.Config{SecretKey: key}, nil)
	if err != nil {
		log.Fatal(err)
	}
	t, err := tenants.CreateTenant(ctx, *slug, "Benchmark-Behörde")
	if err != nil {
		log.Fatal(err)
	}

	users := make([]load.User, *n)
	jobs := make(chan int)
	var (
		wg       sync.WaitGroup
		mu       sync.Mutex
		firstErr error
	)
	for range *workers {
		wg.Go(func() {
			for i := range jobs {
				if ctx.Err() != nil {
					continue
				}
				u, err := seedUser(ctx, tenants, auths, t, i)
				if err != nil {
					mu.Lock()
					if firstErr == nil {
						firstErr = fmt.Errorf("account %d: %w", i, err)
						cancel()
					}
					mu.Unlock()
					continue
				}
				users[i] = *u
			}
		})
	}
	for i := range *n {
		jobs <- i
	}
	close(jobs)
	wg.Wait()
	if firstErr != nil {
		log.Fatal(firstErr)
	}
	if err := load.WriteJSON(*out, users); err != nil {
		log.Fatal(err)
	}
	log.Printf("%d accounts with password and TOTP in tenant %q, %.1f s", *n, *slug, time.Since(start).Seconds())
}

// seedUser creates account i, makes it a staff member of t and enrols TOTP
// the way the API does: BeginEnrolment, then ConfirmEnrolment with a code.
func seedUser(ctx context.Context, tenants *tenant.Service, auths *auth.Service, t *tenant.Tenant, i int) (*load.User, error) {
	email := fmt.Sprintf("person%04d@bench.kollab.test", i)
	pw := fmt.Sprintf("bench-passwort-%04d", i)
	u, err := tenants.CreateUser(ctx, email, fmt.Sprintf("Person %04d", i), pw)
	if err != nil {
		return nil, err
	}
	if _, err := tenants.AddMember(ctx, t.ID, u.ID, tenant.RoleStaff); err != nil {
		return nil, err
	}
	p := &auth.Principal{UserID: u.ID, Email: u.Email, DisplayName: u.DisplayName, Locale: u.Locale}
	en, err := auths.BeginEnrolment(ctx, p)
	if err != nil {
		return nil, err
	}
	step := load.TOTPStep(time.Now())
	code, err := load.TOTPCode(en.Secret, step)
	if err != nil {
		return nil, err
	}
	if _, err := auths.ConfirmEnrolment(ctx, p, code); err != nil {
		return nil, err
	}
	return &load.User{Email: u.Email, Password: pw, TOTPSecret: en.Secret, LastStep: step}, nil
}
