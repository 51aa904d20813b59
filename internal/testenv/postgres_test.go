package testenv

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"runtime"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

func TestPostgresURLs(t *testing.T) {
	ctx := t.Context()
	baseOwner, _ := pgBaseURLs(t)
	appRole := PostgresAppRole(t)

	var dbName string
	var appConn *pgx.Conn // stays open past the subtest, to prove the drop ends it
	t.Cleanup(func() {
		if appConn != nil {
			_ = appConn.Close(context.Background())
		}
	})

	t.Run("fresh database", func(t *testing.T) {
		ownerURL, appURL := PostgresURLs(t)
		dbName = pgDatabaseName(t, ownerURL)
		if got := pgDatabaseName(t, appURL); got != dbName {
			t.Fatalf("owner URL is for database %q, app URL for %q", dbName, got)
		}
		if !strings.HasPrefix(dbName, pgDatabasePrefix) {
			t.Errorf("database name %q lacks the prefix %q", dbName, pgDatabasePrefix)
		}
		otherOwnerURL, _ := PostgresURLs(t)
		if other := pgDatabaseName(t, otherOwnerURL); other == dbName {
			t.Errorf("two calls gave the same database %q", other)
		}

		owner := pgConnect(t, ownerURL)
		var ownerRole, dbOwner string
		if err := owner.QueryRow(ctx, `SELECT current_user, pg_get_userbyid(datdba)
			FROM pg_database WHERE datname = current_database()`).Scan(&ownerRole, &dbOwner); err != nil {
			t.Fatal(err)
		}
		if dbOwner != ownerRole {
			t.Errorf("database owned by %q, want the owner role %q", dbOwner, ownerRole)
		}
		// A tenant table the way the application's migrations make one.
		for _, stmt := range []string{
			`CREATE TABLE notes (tenant_id text NOT NULL, body text NOT NULL)`,
			`INSERT INTO notes VALUES ('a', 'one'), ('a', 'two'), ('b', 'other agency')`,
			`ALTER TABLE notes ENABLE ROW LEVEL SECURITY`,
			`ALTER TABLE notes FORCE ROW LEVEL SECURITY`,
			`CREATE POLICY tenant_isolation ON notes
				USING (tenant_id = current_setting('app.tenant_id', true))`,
			`GRANT SELECT ON notes TO ` + pgx.Identifier{appRole}.Sanitize(),
		} {
			if _, err := owner.Exec(ctx, stmt); err != nil {
				t.Fatalf("%s: %v", stmt, err)
			}
		}

		// Not pgConnect: this session must outlive the subtest's cleanup.
		var err error
		if appConn, err = pgx.Connect(ctx, appURL); err != nil {
			t.Fatalf("connect as the app role: %v", err)
		}
		var user string
		var super, bypassRLS, createDB, canCreateInDB bool
		if err := appConn.QueryRow(ctx, `SELECT current_user, rolsuper, rolbypassrls, rolcreatedb,
				has_database_privilege(current_database(), 'CREATE')
			FROM pg_roles WHERE rolname = current_user`).Scan(&user, &super, &bypassRLS, &createDB, &canCreateInDB); err != nil {
			t.Fatal(err)
		}
		if user != appRole {
			t.Errorf("app URL connects as %q, want %q", user, appRole)
		}
		if super || bypassRLS || createDB || canCreateInDB {
			t.Errorf("app role %q is privileged: superuser=%v bypassrls=%v createdb=%v create-in-db=%v",
				user, super, bypassRLS, createDB, canCreateInDB)
		}

		if n := pgCountNotes(t, appConn, ""); n != 0 {
			t.Errorf("without a tenant the app role sees %d rows, want 0", n)
		}
		if n := pgCountNotes(t, appConn, "a"); n != 2 {
			t.Errorf("as tenant a the app role sees %d rows, want 2", n)
		}
		if n := pgCountNotes(t, appConn, "b"); n != 1 {
			t.Errorf("as tenant b the app role sees %d rows, want 1", n)
		}
	})
	if t.Failed() || dbName == "" {
		return
	}

	// The subtest's cleanup dropped the database although appConn was still open on it.
	check := pgConnect(t, baseOwner.String())
	var n int
	if err := check.QueryRow(ctx, `SELECT count(*) FROM pg_database WHERE datname = $1`, dbName).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != 0 {
		t.Errorf("database %s still exists after the test's cleanup", dbName)
	}
	if err := appConn.Ping(ctx); err == nil {
		t.Errorf("the app session on the dropped database %s is still alive", dbName)
	}
}

func TestPostgresURLsFailsWithoutEnvironment(t *testing.T) {
	// Needs no server: PostgresURLs must stop before it connects anywhere.
	for _, env := range []string{PostgresOwnerURLEnv, PostgresAppURLEnv} {
		t.Run(env, func(t *testing.T) {
			t.Setenv(PostgresOwnerURLEnv, "postgres://owner:pw@127.0.0.1:1/postgres?sslmode=disable")
			t.Setenv(PostgresAppURLEnv, "postgres://app:pw@127.0.0.1:1/postgres?sslmode=disable")
			t.Setenv(env, "")
			rec := &pgRecordingTB{TB: t}
			done := make(chan struct{})
			go func() {
				defer close(done)
				PostgresURLs(rec)
				rec.returned = true
			}()
			<-done
			switch {
			case rec.skipped:
				t.Fatalf("PostgresURLs skipped (%q); it must fail", rec.msg)
			case !rec.failed:
				t.Fatalf("PostgresURLs returned without failing (returned=%v)", rec.returned)
			case !strings.Contains(rec.msg, env) || !strings.Contains(rec.msg, "scripts/test"):
				t.Errorf("failure message %q should name %s and tell to run scripts/test", rec.msg, env)
			}
		})
	}
}

func TestPostgresURLsRejectsPrivilegedAppRole(t *testing.T) {
	owner, _ := pgBaseURLs(t)
	var superuser string
	conn := pgConnect(t, owner.String())
	if err := conn.QueryRow(t.Context(), `SELECT rolname FROM pg_roles WHERE rolsuper ORDER BY oid LIMIT 1`).Scan(&superuser); err != nil {
		t.Fatal(err)
	}
	t.Setenv(PostgresAppURLEnv, pgWithUser(owner, superuser))
	rec := &pgRecordingTB{TB: t}
	done := make(chan struct{})
	go func() {
		defer close(done)
		PostgresURLs(rec)
	}()
	<-done
	if !rec.failed || !strings.Contains(rec.msg, "superuser") {
		t.Errorf("PostgresURLs with the superuser %q as application role: failed=%v msg=%q; want a failure about the superuser", superuser, rec.failed, rec.msg)
	}
}

// pgRecordingTB records a Fatal or Skip instead of ending the test.
type pgRecordingTB struct {
	testing.TB
	failed, skipped, returned bool
	msg                       string
}

func (r *pgRecordingTB) Fatal(args ...any) { r.stop(false, fmt.Sprint(args...)) }
func (r *pgRecordingTB) Fatalf(format string, args ...any) {
	r.stop(false, fmt.Sprintf(format, args...))
}
func (r *pgRecordingTB) FailNow()         { r.stop(false, "FailNow") }
func (r *pgRecordingTB) Skip(args ...any) { r.stop(true, fmt.Sprint(args...)) }
func (r *pgRecordingTB) Skipf(format string, args ...any) {
	r.stop(true, fmt.Sprintf(format, args...))
}
func (r *pgRecordingTB) SkipNow() { r.stop(true, "SkipNow") }

func (r *pgRecordingTB) stop(skip bool, msg string) {
	r.skipped, r.failed, r.msg = skip, !skip, msg
	runtime.Goexit()
}

func pgDatabaseName(t *testing.T, raw string) string {
	t.Helper()
	u, err := url.Parse(raw)
	if err != nil {
		t.Fatalf("PostgresURLs returned an invalid URL: %v", err)
	}
	return strings.TrimPrefix(u.Path, "/")
}

func pgWithUser(base *url.URL, user string) string {
	u := *base
	u.User = url.User(user)
	return u.String()
}

func pgConnect(t *testing.T, connURL string) *pgx.Conn {
	t.Helper()
	conn, err := pgx.Connect(t.Context(), connURL)
	if err != nil {
		t.Fatalf("connect: %v", err)
	}
	t.Cleanup(func() { _ = conn.Close(context.Background()) })
	return conn
}

// pgCountNotes counts the notes visible to conn with app.tenant_id set to tenant
// ("" leaves it unset), the way the application scopes a request's transaction.
func pgCountNotes(t *testing.T, conn *pgx.Conn, tenant string) int {
	t.Helper()
	ctx := t.Context()
	tx, err := conn.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = tx.Rollback(context.Background()) }()
	if tenant != "" {
		if _, err := tx.Exec(ctx, `SELECT set_config('app.tenant_id', $1, true)`, tenant); err != nil {
			t.Fatal(err)
		}
	}
	var n int
	if err := tx.QueryRow(ctx, `SELECT count(*) FROM notes`).Scan(&n); err != nil {
		var pgErr *pgconn.PgError
		if errors.As(err, &pgErr) {
			t.Fatalf("count notes as tenant %q: %s (%s)", tenant, pgErr.Message, pgErr.Code)
		}
		t.Fatal(err)
	}
	return n
}
