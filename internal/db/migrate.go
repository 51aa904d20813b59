package db

import (
	"context"
	"database/sql"
	"fmt"
	"io/fs"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/gofrs/flock"
	"github.com/kollab/kollab/internal/db/migrations"
	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"
)

// MigrateOptions say where to migrate.
type MigrateOptions struct {
	// OwnerURL is the schema owner's PostgreSQL URL; empty means SQLite at SQLitePath.
	OwnerURL   string
	SQLitePath string
	// AppRole, when set on PostgreSQL, is granted exactly the privileges the
	// serving process needs (and only INSERT/SELECT on the audit log).
	AppRole string
	Logger  *slog.Logger
}

// Migrate applies all pending migrations. Two instances never migrate at
// once: PostgreSQL takes an advisory session lock, SQLite an exclusive file lock.
func Migrate(ctx context.Context, o MigrateOptions) error {
	log := o.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	if o.OwnerURL == "" {
		return migrateSQLite(ctx, o.SQLitePath, log)
	}
	sqlDB, err := sql.Open("pgx", o.OwnerURL)
	if err != nil {
		return fmt.Errorf("migrate: open: %w", err)
	}
	defer sqlDB.Close()
	locker, err := lock.NewPostgresSessionLocker(lock.WithLockTimeout(1, 300))
	if err != nil {
		return err
	}
	sub, err := fs.Sub(migrations.FS, "postgres")
	if err != nil {
		return err
	}
	p, err := goose.NewProvider(goose.DialectPostgres, sqlDB, sub,
		goose.WithSessionLocker(locker), goose.WithDisableGlobalRegistry(true))
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	if err := runUp(ctx, p, log); err != nil {
		return err
	}
	if o.AppRole != "" {
		return grantAppRole(ctx, sqlDB, o.AppRole)
	}
	return nil
}

func migrateSQLite(ctx context.Context, path string, log *slog.Logger) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return fmt.Errorf("migrate: create data folder: %w", err)
	}
	fl := flock.New(path + ".migrate.lock")
	lockCtx, cancel := context.WithTimeout(ctx, 5*time.Minute)
	defer cancel()
	ok, err := fl.TryLockContext(lockCtx, 100*time.Millisecond)
	if err != nil || !ok {
		return fmt.Errorf("migrate: lock %s: %v", fl.Path(), err)
	}
	defer fl.Unlock()
	sqlDB, err := sql.Open("sqlite", SQLiteDSN(path))
	if err != nil {
		return fmt.Errorf("migrate: open: %w", err)
	}
	defer sqlDB.Close()
	sqlDB.SetMaxOpenConns(1)
	sub, err := fs.Sub(migrations.FS, "sqlite")
	if err != nil {
		return err
	}
	p, err := goose.NewProvider(goose.DialectSQLite3, sqlDB, sub, goose.WithDisableGlobalRegistry(true))
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	return runUp(ctx, p, log)
}

func runUp(ctx context.Context, p *goose.Provider, log *slog.Logger) error {
	results, err := p.Up(ctx)
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	for _, r := range results {
		log.Info("migration applied", "version", r.Source.Version, "file", filepath.Base(r.Source.Path), "duration", r.Duration.String())
	}
	return nil
}

// appendOnlyTables may only be read and appended to by the serving role:
// the audit log, and what a vote leaves behind (a receipt, a named vote, a
// poll's result).
var appendOnlyTables = map[string]bool{"audit_events": true,
	"poll_receipts": true, "poll_votes": true, "poll_results": true}

// insertOnlyTables may only be appended to by the serving role, never
// read: a secret ballot. Were its rows readable, their order and system
// columns (xmin is shared with the voter's receipt, written in the same
// transaction; ctid follows the order of insertion) would link ballots to
// voters. Ballots are written without RETURNING (which needs SELECT), the
// "already voted" check reads the receipt, and a closed poll is counted by
// secret_ballot_tally (00014), which answers with aggregates only.
var insertOnlyTables = map[string]bool{"secret_ballots": true}

// appFunctions may be executed by the serving role (migrations revoke
// EXECUTE from PUBLIC): secret_ballot_tally runs as the owner, so it is
// the serving role's only way to a secret poll's count.
var appFunctions = []string{"secret_ballot_tally(uuid)"}

// immutableTables may be read, appended to and deleted from (purge), never
// updated: a document revision never changes.
var immutableTables = map[string]bool{"document_revisions": true}

// grantAppRole gives the serving role DML on every application table, but
// only SELECT and INSERT on append-only tables and nothing on goose's table.
// It is idempotent and runs after every migration.
func grantAppRole(ctx context.Context, sqlDB *sql.DB, role string) error {
	quoted := quoteIdent(role)
	rows, err := sqlDB.QueryContext(ctx, `SELECT tablename FROM pg_tables WHERE schemaname = current_schema()`)
	if err != nil {
		return fmt.Errorf("migrate: list tables: %w", err)
	}
	var tables []string
	for rows.Next() {
		var t string
		if err := rows.Scan(&t); err != nil {
			rows.Close()
			return err
		}
		tables = append(tables, t)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	stmts := []string{"GRANT USAGE ON SCHEMA " + "public" + " TO " + quoted}
	for _, t := range tables {
		qt := quoteIdent(t)
		stmts = append(stmts, "REVOKE ALL ON "+qt+" FROM "+quoted)
		switch {
		case t == "goose_db_version":
		case insertOnlyTables[t]:
			// REVOKE ALL on the table also drops column privileges, such
			// as the SELECT on every column an earlier version granted.
			stmts = append(stmts, "GRANT INSERT ON "+qt+" TO "+quoted)
		case appendOnlyTables[t]:
			stmts = append(stmts, "GRANT SELECT, INSERT ON "+qt+" TO "+quoted)
		case immutableTables[t]:
			stmts = append(stmts, "GRANT SELECT, INSERT, DELETE ON "+qt+" TO "+quoted)
		default:
			stmts = append(stmts, "GRANT SELECT, INSERT, UPDATE, DELETE ON "+qt+" TO "+quoted)
		}
	}
	for _, f := range appFunctions {
		stmts = append(stmts, "GRANT EXECUTE ON FUNCTION "+f+" TO "+quoted)
	}
	// Concurrent GRANTs on one object fail ("tuple concurrently updated"):
	// one instance at a time, in one transaction.
	tx, err := sqlDB.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, "SELECT pg_advisory_xact_lock(hashtextextended('kollab:grants', 0))"); err != nil {
		return fmt.Errorf("migrate: lock grants: %w", err)
	}
	for _, s := range stmts {
		if _, err := tx.ExecContext(ctx, s); err != nil {
			return fmt.Errorf("migrate: %s: %w", s, err)
		}
	}
	return tx.Commit()
}

func quoteIdent(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }

// RoleFromURL returns the user name of a postgres:// URL.
func RoleFromURL(raw string) (string, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return "", fmt.Errorf("db: parse URL: %w", err)
	}
	if u.User == nil || u.User.Username() == "" {
		return "", fmt.Errorf("db: the URL names no role")
	}
	return u.User.Username(), nil
}
