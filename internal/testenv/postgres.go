package testenv

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// Environment variables set by scripts/test.
const (
	// PostgresOwnerURLEnv names the owner role's URL (CREATEDB, connected to the
	// `postgres` database).
	PostgresOwnerURLEnv = "KOLLAB_TEST_PG_OWNER_URL"
	// PostgresAppURLEnv names the application role's URL (no superuser, no BYPASSRLS).
	PostgresAppURLEnv = "KOLLAB_TEST_PG_APP_URL"
)

// pgTimeout bounds each round trip of the helper to the server.
const pgTimeout = 30 * time.Second

// pgDatabasePrefix starts the name of every database made by PostgresURLs.
const pgDatabasePrefix = "kollab_test_"

// PostgresURLs creates a fresh, empty PostgreSQL database for the test and returns
// two URLs for it: ownerURL connects as the owner role, which owns the database
// (use it for migrations), and appURL as the unprivileged application role, which
// may only connect (grant it what it needs, as the application's migrations do).
// The database is dropped, with any sessions still open on it, when the test ends.
//
// The server and both roles come from scripts/test, through KOLLAB_TEST_PG_OWNER_URL
// and KOLLAB_TEST_PG_APP_URL; without them the test fails.
func PostgresURLs(t testing.TB) (ownerURL, appURL string) {
	t.Helper()
	ownerURL, appURL, _ = postgresDatabase(t, pgDatabasePrefix+pgRandomHex(t, 8), false)
	return ownerURL, appURL
}

// KeptPostgresURLs is PostgresURLs for a database that outlives the test:
// named kollab_bench_<name>, created when missing (existed reports whether it
// was there), never dropped. Benchmarks that seed for minutes use it so that
// the next run can reuse the data; drop it by hand when done.
func KeptPostgresURLs(t testing.TB, name string) (ownerURL, appURL string, existed bool) {
	t.Helper()
	return postgresDatabase(t, "kollab_bench_"+name, true)
}

func postgresDatabase(t testing.TB, name string, keep bool) (ownerURL, appURL string, existed bool) {
	t.Helper()
	owner, app := pgBaseURLs(t)
	appRole := app.User.Username()

	ctx, cancel := context.WithTimeout(context.Background(), pgTimeout)
	defer cancel()
	conn, err := pgx.Connect(ctx, owner.String())
	if err != nil {
		t.Fatalf("testenv: connect to PostgreSQL as the owner role (%s): %v; run the tests through scripts/test", owner.Redacted(), err)
	}
	defer func() { _ = conn.Close(context.Background()) }()

	// The application role must be as unprivileged as in production, or tests of
	// row-level security prove nothing.
	var super, bypassRLS bool
	err = conn.QueryRow(ctx, `SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = $1`, appRole).Scan(&super, &bypassRLS)
	if errors.Is(err, pgx.ErrNoRows) {
		t.Fatalf("testenv: the application role %q from %s does not exist; run the tests through scripts/test", appRole, PostgresAppURLEnv)
	} else if err != nil {
		t.Fatalf("testenv: look up the application role %q: %v", appRole, err)
	}
	if super || bypassRLS {
		t.Fatalf("testenv: the application role %q is a superuser or bypasses row-level security (superuser=%v, bypassrls=%v); scripts/test resets it", appRole, super, bypassRLS)
	}

	db := pgx.Identifier{name}.Sanitize()
	if keep {
		if err := conn.QueryRow(ctx, "SELECT EXISTS (SELECT FROM pg_database WHERE datname = $1)", name).Scan(&existed); err != nil {
			t.Fatalf("testenv: look up database %s: %v", name, err)
		}
	}
	if !existed {
		if _, err := conn.Exec(ctx, "CREATE DATABASE "+db); err != nil {
			t.Fatalf("testenv: create database %s as %q: %v", name, owner.User.Username(), err)
		}
	}
	if !keep {
		t.Cleanup(func() { pgDropDatabase(t, owner, name) })
	}

	role := pgx.Identifier{appRole}.Sanitize()
	for _, stmt := range []string{
		// Only the two roles may connect, as on a production server set up with care.
		"REVOKE ALL ON DATABASE " + db + " FROM PUBLIC",
		"GRANT CONNECT ON DATABASE " + db + " TO " + role,
	} {
		if _, err := conn.Exec(ctx, stmt); err != nil {
			t.Fatalf("testenv: %s: %v", stmt, err)
		}
	}
	return pgWithDatabase(owner, name), pgWithDatabase(app, name), existed
}

// PostgresAppRole returns the name of the unprivileged application role, e.g. for
// GRANT statements and row-level-security policies in tests.
func PostgresAppRole(t testing.TB) string {
	t.Helper()
	_, app := pgBaseURLs(t)
	return app.User.Username()
}

// pgBaseURLs reads and checks the two URLs set by scripts/test.
func pgBaseURLs(t testing.TB) (owner, app *url.URL) {
	t.Helper()
	return pgParseEnvURL(t, PostgresOwnerURLEnv), pgParseEnvURL(t, PostgresAppURLEnv)
}

func pgParseEnvURL(t testing.TB, env string) *url.URL {
	t.Helper()
	raw := strings.TrimSpace(os.Getenv(env))
	if raw == "" {
		t.Fatalf("testenv: %s is not set: this test needs a real PostgreSQL; run the tests through scripts/test (e.g. scripts/test ./internal/testenv/...), which starts and provisions one", env)
	}
	u, err := url.Parse(raw)
	if err != nil {
		// The error may quote the URL with its password; do not print it.
		t.Fatalf("testenv: %s is not a valid URL; run the tests through scripts/test", env)
	}
	if (u.Scheme != "postgres" && u.Scheme != "postgresql") || u.Host == "" || u.User == nil || u.User.Username() == "" {
		t.Fatalf("testenv: %s must look like postgres://ROLE:PASSWORD@HOST:PORT/DB, got %s; run the tests through scripts/test", env, u.Redacted())
	}
	return u
}

// pgWithDatabase returns base with its path replaced by the database name.
func pgWithDatabase(base *url.URL, name string) string {
	u := *base
	u.Path = "/" + name
	u.RawPath = ""
	return u.String()
}

func pgRandomHex(t testing.TB, n int) string {
	t.Helper()
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		t.Fatalf("testenv: random database name: %v", err)
	}
	return hex.EncodeToString(b)
}

// pgDropDatabase drops the test's database, ending the sessions still open on it
// (the owner role may, through pg_signal_backend granted by scripts/test). It runs
// at cleanup, after the test's context is done, so it uses its own.
func pgDropDatabase(t testing.TB, owner *url.URL, name string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), pgTimeout)
	defer cancel()
	stmt := "DROP DATABASE IF EXISTS " + pgx.Identifier{name}.Sanitize() + " WITH (FORCE)"
	var err error
	for attempt := 0; attempt < 3; attempt++ {
		if attempt > 0 {
			time.Sleep(time.Duration(attempt) * 500 * time.Millisecond)
		}
		err = pgExecOnce(ctx, owner.String(), stmt)
		if err == nil {
			return
		}
	}
	t.Errorf("testenv: drop test database %s: %v", name, err)
}

func pgExecOnce(ctx context.Context, connURL, stmt string) error {
	conn, err := pgx.Connect(ctx, connURL)
	if err != nil {
		return fmt.Errorf("connect: %w", err)
	}
	defer func() { _ = conn.Close(context.Background()) }()
	_, err = conn.Exec(ctx, stmt)
	return err
}
