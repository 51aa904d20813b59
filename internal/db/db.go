// Package db opens Kollab's database (PostgreSQL or embedded SQLite) through
// GORM and hands out the only ways to reach its data: global tables through
// Global, tenant-owned tables through a tenant-scoped transaction (Tenant).
// On PostgreSQL the tenant handle also sets app.tenant_id for row-level security.
//
// Inside a tenant transaction, Tx.Table filters its table by tenant and raw
// SQL goes through Tx.Raw and Tx.Exec, which bind the named parameter
// @tenant to the transaction's tenant and refuse a statement that does not
// mention it (on SQLite nothing else would back the filter up). Tx.Expr
// binds @tenant in a fragment of a Table query. Tx.Unscoped is the escape
// hatch for global tables and statements on no table; its callers are
// listed in sqlscope/scan_test.go, which also checks that every SQL string
// of the domain packages filters each tenant table it touches by @tenant.
package db

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/glebarez/sqlite"
	"github.com/google/uuid"
	"github.com/jackc/pgx/v5/pgxpool"
	_ "github.com/jackc/pgx/v5/stdlib" // database/sql driver "pgx" for migrations
	"gorm.io/driver/postgres"
	"gorm.io/gorm"
	"gorm.io/gorm/clause"
	"gorm.io/gorm/logger"
)

// Dialect names the database engine.
type Dialect string

const (
	Postgres Dialect = "postgres"
	SQLite   Dialect = "sqlite"
)

// Options say which database to open.
type Options struct {
	// URL is a postgres:// URL; empty means SQLite at SQLitePath.
	URL        string
	SQLitePath string
	// MaxOpenConns bounds the PostgreSQL pool (default 20).
	MaxOpenConns int
	Logger       *slog.Logger
}

// DB is an open database.
type DB struct {
	gorm    *gorm.DB
	sql     *sql.DB
	dialect Dialect
	// pgx is a native pool for the few statements on every request's path
	// (PostgreSQL only; nil on SQLite).
	pgx *pgxpool.Pool
}

// ErrNoTenant is returned when a tenant-scoped operation gets no tenant.
var ErrNoTenant = errors.New("db: tenant-scoped access without a tenant")

// Open connects to the database described by o.
func Open(ctx context.Context, o Options) (*DB, error) {
	cfg := &gorm.Config{
		Logger:                 logger.Discard,
		SkipDefaultTransaction: true,
		TranslateError:         true,
		NowFunc:                func() time.Time { return Now() },
	}
	var (
		g       *gorm.DB
		err     error
		dialect Dialect
	)
	if o.URL != "" {
		dialect = Postgres
		g, err = gorm.Open(classifying{postgres.New(postgres.Config{DSN: o.URL}).(*postgres.Dialector)}, cfg)
		if err == nil {
			err = registerClassify(g)
		}
	} else {
		dialect = SQLite
		if err := os.MkdirAll(filepath.Dir(o.SQLitePath), 0o700); err != nil {
			return nil, fmt.Errorf("db: create data folder: %w", err)
		}
		g, err = gorm.Open(sqlite.Open(SQLiteDSN(o.SQLitePath)), cfg)
	}
	if err != nil {
		return nil, fmt.Errorf("db: open %s: %w", dialect, err)
	}
	sqlDB, err := g.DB()
	if err != nil {
		return nil, err
	}
	if dialect == SQLite {
		// SQLite has one writer; a single connection serialises everything
		// and makes transactions behave like PostgreSQL's row locks would.
		sqlDB.SetMaxOpenConns(1)
	} else {
		n := o.MaxOpenConns
		if n <= 0 {
			n = 20
		}
		sqlDB.SetMaxOpenConns(n)
		sqlDB.SetMaxIdleConns(n)
		sqlDB.SetConnMaxIdleTime(5 * time.Minute)
	}
	if err := sqlDB.PingContext(ctx); err != nil {
		_ = sqlDB.Close()
		return nil, fmt.Errorf("db: ping %s: %w", dialect, err)
	}
	d := &DB{gorm: g, sql: sqlDB, dialect: dialect}
	if dialect == Postgres {
		pcfg, err := pgxpool.ParseConfig(o.URL)
		if err != nil {
			_ = sqlDB.Close()
			return nil, fmt.Errorf("db: parse URL: %w", err)
		}
		n := o.MaxOpenConns
		if n <= 0 {
			n = 20
		}
		pcfg.MaxConns = int32(n)
		if d.pgx, err = pgxpool.NewWithConfig(ctx, pcfg); err != nil {
			_ = sqlDB.Close()
			return nil, fmt.Errorf("db: open pgx pool: %w", err)
		}
	}
	return d, nil
}

// SQLiteDSN is the connection string for the embedded database: foreign
// keys on, WAL, a busy timeout, immediate write transactions and a fixed
// time format so that stored times compare as text.
func SQLiteDSN(path string) string {
	return "file:" + path + "?_pragma=foreign_keys(1)&_pragma=journal_mode(WAL)&_pragma=busy_timeout(10000)&_pragma=synchronous(NORMAL)&_time_format=sqlite&_txlock=immediate"
}

// Now is the database's notion of the current time: UTC, truncated to the
// microsecond both engines store.
func Now() time.Time { return time.Now().UTC().Truncate(time.Microsecond) }

// NewID returns a new UUIDv7.
func NewID() uuid.UUID { return uuid.Must(uuid.NewV7()) }

// Dialect reports the engine.
func (d *DB) Dialect() Dialect { return d.dialect }

// Close closes the pools.
func (d *DB) Close() error {
	if d.pgx != nil {
		d.pgx.Close()
	}
	return d.sql.Close()
}

// Pgx is the native PostgreSQL pool for hot read paths (nil on SQLite).
// Tenant data must still be reached through Tenant: this pool is for global
// tables and for statements that set their own row-level-security context.
func (d *DB) Pgx() *pgxpool.Pool { return d.pgx }

// Ping checks that the database answers.
func (d *DB) Ping(ctx context.Context) error { return d.sql.PingContext(ctx) }

// SQL exposes the pool for tools that need database/sql (migrations, checks).
func (d *DB) SQL() *sql.DB { return d.sql }

// Global returns a handle for the global (non-tenant) tables: tenants,
// users, sessions, API tokens, throttling. On PostgreSQL, tenant tables read
// through it return no rows, because no tenant is set.
func (d *DB) Global(ctx context.Context) *gorm.DB { return d.gorm.WithContext(ctx) }

// GlobalTx runs fn in a transaction over the global tables.
func (d *DB) GlobalTx(ctx context.Context, fn func(tx *gorm.DB) error) error {
	return d.gorm.WithContext(ctx).Transaction(fn)
}

// Tenant runs fn in a transaction scoped to tenantID: on PostgreSQL the
// transaction sets app.tenant_id (SET LOCAL semantics) so row-level security
// applies; on both engines Tx.Table filters by tenant.
func (d *DB) Tenant(ctx context.Context, tenantID uuid.UUID, fn func(tx *Tx) error) error {
	if tenantID == uuid.Nil {
		return ErrNoTenant
	}
	var after []func()
	err := d.gorm.WithContext(ctx).Transaction(func(g *gorm.DB) error {
		if d.dialect == Postgres {
			if err := g.Exec("SELECT set_config('app.tenant_id', ?, true)", tenantID.String()).Error; err != nil {
				return fmt.Errorf("db: set tenant: %w", err)
			}
		}
		tx := &Tx{g: g, tenantID: tenantID}
		err := fn(tx)
		// Hooks may register more hooks; each runs once, in order.
		for i := 0; err == nil && i < len(tx.before); i++ {
			err = tx.before[i]()
		}
		after = tx.after
		return err
	})
	if err == nil {
		for _, f := range after {
			f()
		}
	}
	return err
}

// AsUser runs fn in a transaction that may read the given user's own
// memberships across tenants (and nothing else tenant-owned).
func (d *DB) AsUser(ctx context.Context, userID uuid.UUID, fn func(tx *gorm.DB) error) error {
	if userID == uuid.Nil {
		return errors.New("db: user-scoped access without a user")
	}
	return d.gorm.WithContext(ctx).Transaction(func(g *gorm.DB) error {
		if d.dialect == Postgres {
			if err := g.Exec("SELECT set_config('app.user_id', ?, true)", userID.String()).Error; err != nil {
				return fmt.Errorf("db: set user: %w", err)
			}
		}
		return fn(g)
	})
}

// Tx is a tenant-scoped transaction: the only handle to tenant-owned tables.
type Tx struct {
	g        *gorm.DB
	tenantID uuid.UUID
	before   []func() error
	after    []func()
}

// BeforeCommit registers f to run inside the transaction once its function
// has returned without error, just before the commit, in registration
// order; an error from f rolls the transaction back and is returned.
func (t *Tx) BeforeCommit(f func() error) { t.before = append(t.before, f) }

// AfterCommit registers f to run once the transaction has committed (never
// when it rolls back), in registration order, before Tenant returns.
func (t *Tx) AfterCommit(f func()) { t.after = append(t.after, f) }

// TenantID is the tenant this transaction is bound to.
func (t *Tx) TenantID() uuid.UUID { return t.tenantID }

// Table starts a query on a tenant-owned table, already filtered by tenant.
func (t *Tx) Table(name string) *gorm.DB {
	return t.g.Table(name).Where(name+".tenant_id = ?", t.tenantID)
}

// TableAs starts a query on a tenant-owned table under an alias (for
// joins and correlated subqueries), already filtered by tenant.
func (t *Tx) TableAs(name, alias string) *gorm.DB {
	return t.g.Table(name+" "+alias).Where(alias+".tenant_id = ?", t.tenantID)
}

// Create inserts a row into a tenant-owned table. The row's TenantID must
// already be this transaction's tenant; anything else is refused.
func (t *Tx) Create(table string, row TenantOwned) error {
	if row.OwnerTenant() != t.tenantID {
		return ErrNoTenant
	}
	return t.g.Table(table).Create(row).Error
}

// ErrNoTenantFilter is returned by Tx.Raw and Tx.Exec for a statement that
// does not mention @tenant.
var ErrNoTenantFilter = errors.New("db: raw statement without @tenant")

// Raw starts a raw query in the transaction. The statement must filter by
// the named parameter @tenant, which is bound to the transaction's own
// tenant; positional ? parameters take args in order, as in gorm. A
// statement that does not mention @tenant is refused (the returned handle
// carries ErrNoTenantFilter and runs nothing), so that a raw statement
// without a tenant filter cannot run by mistake. Statements on global
// tables only go through Unscoped.
func (t *Tx) Raw(q string, args ...any) *gorm.DB {
	if err := checkTenantParam(q); err != nil {
		return t.refuse(err)
	}
	return t.g.Raw(q, t.bind(args)...)
}

// Exec runs a raw statement in the transaction, with @tenant bound to the
// transaction's tenant; like Raw, it refuses a statement without @tenant.
func (t *Tx) Exec(q string, args ...any) *gorm.DB {
	if err := checkTenantParam(q); err != nil {
		return t.refuse(err)
	}
	return t.g.Exec(q, t.bind(args)...)
}

// ExecCount runs a raw statement like Exec and returns how many rows it
// changed: the form domain code uses for its UPDATE and DELETE statements.
func (t *Tx) ExecCount(q string, args ...any) (int64, error) {
	res := t.Exec(q, args...)
	if res.Error != nil {
		return 0, res.Error
	}
	return res.RowsAffected, nil
}

// Expr is an SQL expression for gorm's builder (Where, or a ? of Select,
// Joins or Order) with @tenant bound to the transaction's tenant when it
// mentions it: for fragments that filter further tenant tables in
// subqueries of a Table query. (Table itself filters its own table; the
// SQL tenant-filter test checks every fragment.)
func (t *Tx) Expr(q string, args ...any) clause.Expression {
	if err := checkTenantParam(q); err != nil && !errors.Is(err, ErrNoTenantFilter) {
		return refused{err}
	}
	return clause.NamedExpr{SQL: q, Vars: t.bind(args)}
}

// refused is an expression that fails the statement it is built into.
type refused struct{ err error }

func (r refused) Build(b clause.Builder) {
	if s, ok := b.(*gorm.Statement); ok {
		_ = s.AddError(r.err)
	}
}

// bind appends the named argument @tenant after the positional ones: gorm's
// named-parameter expansion takes ? from the arguments in order and @name
// from the named ones, so both mix in one statement.
func (t *Tx) bind(args []any) []any {
	out := make([]any, 0, len(args)+1)
	out = append(out, args...)
	return append(out, sql.Named("tenant", t.tenantID))
}

// refuse returns a handle that carries err and runs nothing; the
// transaction itself is left untouched.
func (t *Tx) refuse(err error) *gorm.DB {
	g := t.g.Session(&gorm.Session{NewDB: true})
	_ = g.AddError(err)
	return g
}

// checkTenantParam accepts a statement that mentions @tenant, each time
// followed by a character that ends a parameter name for gorm (a blank, a
// comma, a closing parenthesis, a semicolon, a quote, a line end or the
// end of the statement): anything else would make gorm read a longer name
// and leave @tenant unbound.
func checkTenantParam(q string) error {
	const name = "@tenant"
	found := false
	for i := 0; ; {
		j := strings.Index(q[i:], name)
		if j < 0 {
			break
		}
		end := i + j + len(name)
		if end < len(q) && !strings.ContainsRune(" ,)\"'`\r\n;", rune(q[end])) {
			return fmt.Errorf("db: %s followed by %q in %q", name, q[end], q)
		}
		found = true
		i = end
	}
	if !found {
		return fmt.Errorf("%w: %q", ErrNoTenantFilter, q)
	}
	return nil
}

// Unscoped reaches the database inside the same transaction without the
// tenant filter: for global tables (tenants, users, sessions, API tokens)
// and engine functions. Its callers are a short list kept in
// unscoped_test.go; tenant tables go through Table, Create, Raw and Exec.
func (t *Tx) Unscoped() *gorm.DB { return t.g }

// IsPostgres reports whether the transaction runs on PostgreSQL.
func (t *Tx) IsPostgres() bool { return t.g.Dialector.Name() == "postgres" }

// TenantOwned is implemented by rows of tenant-owned tables.
type TenantOwned interface{ OwnerTenant() uuid.UUID }

// IsUniqueViolation reports whether err is a unique-constraint violation on either engine.
func IsUniqueViolation(err error) bool {
	return err != nil && (errors.Is(err, gorm.ErrDuplicatedKey) || strings.Contains(err.Error(), "SQLSTATE 23505") || strings.Contains(err.Error(), "UNIQUE constraint failed"))
}

// IsNotFound reports whether err means "no row".
func IsNotFound(err error) bool { return errors.Is(err, gorm.ErrRecordNotFound) }
