package auth

import (
	"context"
	"database/sql"
	"io/fs"
	"path/filepath"
	"testing"
	"time"

	"github.com/kollab/kollab/internal/db"
	"github.com/kollab/kollab/internal/db/migrations"
	"github.com/kollab/kollab/internal/testenv"
	"github.com/pressly/goose/v3"
)

// Tokens issued before migration 00013 get the scope write (never more than
// they could do, never admin powers unasked) and, when they had none, an
// expiry 90 days after the migration; an expiry they had stays.
func TestMigrationGivesOldTokensScopeAndExpiry(t *testing.T) {
	for _, dialect := range []db.Dialect{db.SQLite, db.Postgres} {
		t.Run(string(dialect), func(t *testing.T) {
			ctx := context.Background()
			var (
				raw    *sql.DB
				open   db.Options
				mig    db.MigrateOptions
				gd     goose.Dialect
				folder string
				err    error
			)
			if dialect == db.Postgres {
				ownerURL, appURL := testenv.PostgresURLs(t)
				raw, err = sql.Open("pgx", ownerURL)
				open, mig, gd, folder = db.Options{URL: appURL}, db.MigrateOptions{OwnerURL: ownerURL, AppRole: testenv.PostgresAppRole(t)}, goose.DialectPostgres, "postgres"
			} else {
				path := filepath.Join(t.TempDir(), "kollab.db")
				raw, err = sql.Open("sqlite", db.SQLiteDSN(path))
				open, mig, gd, folder = db.Options{SQLitePath: path}, db.MigrateOptions{SQLitePath: path}, goose.DialectSQLite3, "sqlite"
			}
			if err != nil {
				t.Fatal(err)
			}
			defer raw.Close()
			sub, err := fs.Sub(migrations.FS, folder)
			if err != nil {
				t.Fatal(err)
			}
			p, err := goose.NewProvider(gd, raw, sub, goose.WithDisableGlobalRegistry(true))
			if err != nil {
				t.Fatal(err)
			}
			if _, err := p.UpTo(ctx, 12); err != nil {
				t.Fatal(err)
			}
			// The state before: a user with a token without expiry and one with.
			now := db.Now()
			uid, never, dated := db.NewID(), db.NewID(), db.NewID()
			later := now.Add(200 * 24 * time.Hour)
			neverTok, neverHash, _ := randomToken(APITokenPrefix)
			_, datedHash, _ := randomToken(APITokenPrefix)
			q := func(s string) string {
				if dialect == db.Postgres {
					for i, n := 0, 1; i < len(s); i++ {
						if s[i] == '?' {
							s = s[:i] + "$" + string(rune('0'+n)) + s[i+1:]
							n++
						}
					}
				}
				return s
			}
			for _, st := range []struct {
				sql  string
				args []any
			}{
				{`INSERT INTO users (id, email, display_name, password_hash, password_changed_at, created_at, updated_at) VALUES (?, 'alt@example.org', 'Alt', 'x', ?, ?, ?)`,
					[]any{uid, now, now, now}},
				{`INSERT INTO api_tokens (id, user_id, name, token_hash, created_at) VALUES (?, ?, 'ohne Ablauf', ?, ?)`, []any{never, uid, neverHash, now}},
				{`INSERT INTO api_tokens (id, user_id, name, token_hash, created_at, expires_at) VALUES (?, ?, 'mit Ablauf', ?, ?, ?)`, []any{dated, uid, datedHash, now, later}},
			} {
				if _, err := raw.ExecContext(ctx, q(st.sql), st.args...); err != nil {
					t.Fatal(err)
				}
			}
			if err := db.Migrate(ctx, mig); err != nil {
				t.Fatal(err)
			}
			d, err := db.Open(ctx, open)
			if err != nil {
				t.Fatal(err)
			}
			defer d.Close()
			var ts []APIToken
			if err := d.Global(ctx).Table(apiTokensTable).Order("name").Find(&ts).Error; err != nil {
				t.Fatal(err)
			}
			if len(ts) != 2 {
				t.Fatalf("tokens: %+v", ts)
			}
			dt, nt := ts[0], ts[1] // "mit Ablauf", "ohne Ablauf"
			if dt.Scope != ScopeWrite || nt.Scope != ScopeWrite {
				t.Fatalf("scopes after the migration: %q %q", dt.Scope, nt.Scope)
			}
			if !dt.ExpiresAt.Equal(later) {
				t.Fatalf("an existing expiry changed: %v, was %v", dt.ExpiresAt, later)
			}
			if want := time.Now().Add(90 * 24 * time.Hour); nt.ExpiresAt.Before(want.Add(-time.Hour)) || nt.ExpiresAt.After(want.Add(time.Hour)) {
				t.Fatalf("expiry of a token without one: %v, want about %v", nt.ExpiresAt, want)
			}
			// The old token works, as a write token, until then.
			f := setup(t, d)
			pr, err := f.svc.AuthenticateToken(ctx, neverTok)
			if err != nil {
				t.Fatal(err)
			}
			if pr.Scope != ScopeWrite || pr.PermitsMethod("POST") != nil || pr.MayAdminister() {
				t.Fatalf("old token after the migration: scope %q", pr.Scope)
			}
			f.clock.Advance(nt.ExpiresAt.Sub(f.clock.Now()))
			if _, err := f.svc.AuthenticateToken(ctx, neverTok); err == nil {
				t.Fatal("old token works past its new expiry")
			}
		})
	}
}
