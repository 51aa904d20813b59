package db_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/kollab/kollab/internal/db"
	"github.com/kollab/kollab/internal/errs"
	"github.com/kollab/kollab/internal/testenv"
	"gorm.io/gorm"
)

func TestIsUnreachableClassifies(t *testing.T) {
	for _, c := range []struct {
		name string
		err  error
		want bool
	}{
		{"admin shutdown", &pgconn.PgError{Code: "57P01"}, true},
		{"crash shutdown", &pgconn.PgError{Code: "57P02"}, true},
		{"starting up", &pgconn.PgError{Code: "57P03"}, true},
		{"connection failure", fmt.Errorf("q: %w", &pgconn.PgError{Code: "08006"}), true},
		{"too many connections", &pgconn.PgError{Code: "53300"}, true},
		{"connect error", &pgconn.ConnectError{}, true},
		{"refused", fmt.Errorf("dial: %w", syscall.ECONNREFUSED), true},
		{"reset", &net.OpError{Op: "read", Err: syscall.ECONNRESET}, true},
		{"eof", fmt.Errorf("receive: %w", io.ErrUnexpectedEOF), true},
		{"closed", pgconn.ErrConnClosed, true},
		{"unique violation", &pgconn.PgError{Code: "23505"}, false},
		{"rls", &pgconn.PgError{Code: "42501"}, false},
		{"not found", gorm.ErrRecordNotFound, false},
		{"cancelled", context.Canceled, false},
		{"domain", errs.Plain(errs.Conflict), false},
		{"nil", nil, false},
	} {
		if got := db.IsUnreachable(c.err); got != c.want {
			t.Errorf("%s: IsUnreachable = %v, want %v", c.name, got, c.want)
		}
		got := db.Classify(c.err)
		if c.want {
			e := errs.As(got)
			if e == nil || e.Code != errs.Unavailable || e.RetryAfter <= 0 || !errors.Is(got, c.err) {
				t.Errorf("%s: Classify = %#v, want Unavailable with Retry-After wrapping the cause", c.name, got)
			}
		} else if got != c.err {
			t.Errorf("%s: Classify changed %v into %v", c.name, c.err, got)
		}
	}
}

// TestUnreachableDatabase stops and restarts a PostgreSQL server of the
// test's own under an open DB: every way of reaching the database fails
// with errs.Unavailable (with a Retry-After) while it is down, and works
// again, on the same pools, once it is back.
func TestUnreachableDatabase(t *testing.T) {
	cl := testenv.StartPostgresCluster(t)
	ctx := context.Background()
	if err := db.Migrate(ctx, db.MigrateOptions{OwnerURL: cl.OwnerURL, AppRole: "kollab_app"}); err != nil {
		t.Fatal(err)
	}
	d, err := db.Open(ctx, db.Options{URL: cl.AppURL, MaxOpenConns: 4})
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	seedTwoTenants(t, d)
	var tid string
	if err := d.Global(ctx).Raw("SELECT id FROM tenants ORDER BY slug LIMIT 1").Scan(&tid).Error; err != nil {
		t.Fatal(err)
	}
	tenantID := mustUUID(t, tid)

	// Each way the code reaches the database.
	ways := []struct {
		name string
		run  func(context.Context) error
	}{
		{"find", func(ctx context.Context) error {
			var n []map[string]any
			return d.Global(ctx).Table("tenants").Limit(1).Find(&n).Error
		}},
		{"raw scan", func(ctx context.Context) error {
			var n int
			return d.Global(ctx).Raw("SELECT count(*) FROM users").Scan(&n).Error
		}},
		{"rows", func(ctx context.Context) error {
			rows, err := d.Global(ctx).Raw("SELECT 1").Rows()
			if err == nil {
				_ = rows.Close()
			}
			return err
		}},
		{"exec", func(ctx context.Context) error {
			return d.Global(ctx).Exec("UPDATE users SET display_name = display_name WHERE false").Error
		}},
		{"global transaction", func(ctx context.Context) error {
			return d.GlobalTx(ctx, func(tx *gorm.DB) error {
				var n int64
				return tx.Table("users").Count(&n).Error
			})
		}},
		{"tenant transaction", func(ctx context.Context) error {
			return d.Tenant(ctx, tenantID, func(tx *db.Tx) error {
				var n int64
				return tx.Table("memberships").Count(&n).Error
			})
		}},
		{"pgx pool", func(ctx context.Context) error {
			var n int
			return db.Classify(d.Pgx().QueryRow(ctx, "SELECT 1").Scan(&n))
		}},
	}
	check := func(phase string, wantDown bool) {
		t.Helper()
		for _, w := range ways {
			ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
			err := w.run(ctx)
			cancel()
			switch {
			case !wantDown && err != nil:
				t.Errorf("%s, %s: %v", phase, w.name, err)
			case wantDown:
				e := errs.As(err)
				if e == nil || e.Code != errs.Unavailable || e.RetryAfter <= 0 {
					t.Errorf("%s, %s: got %v (%T), want errs.Unavailable with a Retry-After", phase, w.name, err, err)
				}
			}
		}
	}
	check("before", false)

	// A restart ends every pooled connection; the pools get new ones.
	cl.Restart(t)
	for _, w := range ways {
		if err := w.run(ctx); err != nil && !errs.Is(err, errs.Unavailable) {
			t.Errorf("first use after a restart, %s: %v is neither success nor Unavailable", w.name, err)
		}
	}
	check("after a restart", false)

	cl.Stop(t)
	check("while stopped", true)
	cl.Start(t)
	check("started again", false)
}
