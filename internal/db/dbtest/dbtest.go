// Package dbtest opens migrated databases for tests: a fresh SQLite file and
// a fresh PostgreSQL database reached through the unprivileged application
// role, so that row-level security applies as in production. Each runs the
// same test body: one suite, every backend.
package dbtest

import (
	"context"
	"path/filepath"
	"sync"
	"testing"

	"github.com/kollab/kollab/internal/db"
	"github.com/kollab/kollab/internal/testenv"
)

// Each runs fn once on SQLite and once on PostgreSQL, as parallel-safe subtests.
func Each(t *testing.T, fn func(t *testing.T, d *db.DB)) {
	t.Helper()
	t.Run("sqlite", func(t *testing.T) { fn(t, SQLite(t)) })
	t.Run("postgres", func(t *testing.T) { d, _ := Postgres(t); fn(t, d) })
}

// SQLite returns a migrated database in a fresh temporary file.
func SQLite(t testing.TB) *db.DB {
	t.Helper()
	path := filepath.Join(t.TempDir(), "kollab.db")
	ctx := context.Background()
	if err := db.Migrate(ctx, db.MigrateOptions{SQLitePath: path}); err != nil {
		t.Fatalf("migrate sqlite: %v", err)
	}
	d, err := db.Open(ctx, db.Options{SQLitePath: path})
	if err != nil {
		t.Fatalf("open sqlite: %v", err)
	}
	t.Cleanup(func() { _ = d.Close() })
	return d
}

// Postgres returns a fresh database migrated by its owner and opened as the
// application role, plus the owner's URL (for tests that must tamper with
// data behind the application's back).
func Postgres(t testing.TB) (*db.DB, string) {
	t.Helper()
	ownerURL, appURL := testenv.PostgresURLs(t)
	return openPostgres(t, ownerURL, appURL), ownerURL
}

// KeptPostgres is Postgres on a database that outlives the test
// (testenv.KeptPostgresURLs): existed reports that an earlier run made it.
func KeptPostgres(t testing.TB, name string) (d *db.DB, ownerURL string, existed bool) {
	t.Helper()
	ownerURL, appURL, existed := testenv.KeptPostgresURLs(t, name)
	return openPostgres(t, ownerURL, appURL), ownerURL, existed
}

// owners maps a PostgreSQL database opened here to its owner's URL.
var owners sync.Map // *db.DB -> string

// Owner returns d as the schema owner sees it, for tests that must look
// behind the serving role's back (e.g. at rows it may not read): on
// PostgreSQL a second handle connected as the owner role, which forced
// row-level security still binds to the tenant of d.Tenant; on SQLite,
// which has no roles, d itself.
func Owner(t testing.TB, d *db.DB) *db.DB {
	t.Helper()
	if d.Dialect() != db.Postgres {
		return d
	}
	u, ok := owners.Load(d)
	if !ok {
		t.Fatalf("dbtest: this PostgreSQL database was not opened by dbtest")
	}
	o, err := db.Open(context.Background(), db.Options{URL: u.(string), MaxOpenConns: 4})
	if err != nil {
		t.Fatalf("open postgres as owner: %v", err)
	}
	t.Cleanup(func() { _ = o.Close() })
	return o
}

func openPostgres(t testing.TB, ownerURL, appURL string) *db.DB {
	t.Helper()
	ctx := context.Background()
	if err := db.Migrate(ctx, db.MigrateOptions{OwnerURL: ownerURL, AppRole: testenv.PostgresAppRole(t)}); err != nil {
		t.Fatalf("migrate postgres: %v", err)
	}
	d, err := db.Open(ctx, db.Options{URL: appURL, MaxOpenConns: 60})
	if err != nil {
		t.Fatalf("open postgres: %v", err)
	}
	owners.Store(d, ownerURL)
	t.Cleanup(func() { owners.Delete(d); _ = d.Close() })
	return d
}
