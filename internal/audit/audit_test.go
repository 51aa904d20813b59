package audit_test

import (
	"context"
	"database/sql"
	"sync"
	"testing"

	"github.com/google/uuid"
	_ "github.com/jackc/pgx/v5/stdlib"
	"github.com/kollab/kollab/internal/audit"
	"github.com/kollab/kollab/internal/db"
	"github.com/kollab/kollab/internal/db/dbtest"
)

func newTenant(t *testing.T, d *db.DB, slug string) uuid.UUID {
	t.Helper()
	id := db.NewID()
	now := db.Now()
	err := d.Global(context.Background()).Exec(
		"INSERT INTO tenants (id, slug, name, settings, created_at, updated_at) VALUES (?, ?, ?, '{}', ?, ?)",
		id, slug+"-"+id.String()[:8], slug, now, now).Error
	if err != nil {
		t.Fatal(err)
	}
	return id
}

func appendN(t *testing.T, d *db.DB, tenantID uuid.UUID, n int) {
	t.Helper()
	ctx := audit.WithMeta(context.Background(), audit.Meta{ClientIP: "192.0.2.1", RequestID: "req-1", ActorLabel: "tester"})
	for i := range n {
		err := d.Tenant(ctx, tenantID, func(tx *db.Tx) error {
			_, err := audit.Append(ctx, tx, audit.Entry{Action: audit.ActionRoleChanged, TargetType: "membership",
				TargetID: uuid.NewString(), Details: map[string]string{"i": string(rune('a' + i%26)), "to": "staff"}})
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	}
}

func TestChainPerTenant(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		a, b := newTenant(t, d, "amt-a"), newTenant(t, d, "amt-b")
		appendN(t, d, a, 5)
		appendN(t, d, b, 3)
		for id, want := range map[uuid.UUID]int64{a: 5, b: 3} {
			rep, err := audit.Verify(ctx, d, id)
			if err != nil || !rep.OK() || rep.Checked != want {
				t.Fatalf("verify %s: %+v %v", id, rep, err)
			}
		}
		err := d.Tenant(ctx, a, func(tx *db.Tx) error {
			evs, err := audit.List(ctx, tx, audit.Filter{Limit: 2})
			if err != nil {
				return err
			}
			if len(evs) != 2 || evs[0].Seq != 5 || !evs[0].Verified || !evs[1].Verified {
				t.Errorf("list: %+v", evs)
			}
			older, err := audit.List(ctx, tx, audit.Filter{BeforeSeq: evs[1].Seq, Limit: 10})
			if err != nil {
				return err
			}
			if len(older) != 3 || older[0].Seq != 3 || older[2].Seq != 1 {
				t.Errorf("second page: %d entries", len(older))
			}
			for _, e := range older {
				if e.TenantID != a || e.ClientIP != "192.0.2.1" || e.RequestID != "req-1" {
					t.Errorf("entry: %+v", e)
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	})
}

// Concurrent appends to one chain never fork it.
func TestConcurrentAppends(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		a := newTenant(t, d, "amt-c")
		var wg sync.WaitGroup
		errc := make(chan error, 40)
		for range 40 {
			wg.Go(func() {
				errc <- d.Tenant(ctx, a, func(tx *db.Tx) error {
					_, err := audit.Append(ctx, tx, audit.Entry{Action: audit.ActionLoginSucceeded})
					return err
				})
			})
		}
		wg.Wait()
		close(errc)
		for err := range errc {
			if err != nil {
				t.Fatal(err)
			}
		}
		rep, err := audit.Verify(ctx, d, a)
		if err != nil || !rep.OK() || rep.Checked != 40 {
			t.Fatalf("verify: %+v %v", rep, err)
		}
	})
}

// Tampering with one row directly in the database breaks the chain at that
// row; the application role itself may not change or delete entries.
func TestTamperingIsDetected(t *testing.T) {
	t.Run("postgres", func(t *testing.T) {
		d, ownerURL := dbtest.Postgres(t)
		ctx := context.Background()
		a := newTenant(t, d, "amt-t")
		appendN(t, d, a, 6)
		// The application role cannot rewrite history.
		err := d.Tenant(ctx, a, func(tx *db.Tx) error {
			return tx.Table(audit.Table).Where("seq = 3").Update("action", "x").Error
		})
		if err == nil {
			t.Fatal("application role could UPDATE the audit log")
		}
		err = d.Tenant(ctx, a, func(tx *db.Tx) error {
			return tx.Table(audit.Table).Where("seq = 3").Delete(&audit.Event{}).Error
		})
		if err == nil {
			t.Fatal("application role could DELETE from the audit log")
		}
		// The owner can (that is what an attacker with the database would do).
		owner, err := sql.Open("pgx", ownerURL)
		if err != nil {
			t.Fatal(err)
		}
		defer owner.Close()
		tamper(t, owner, ctx, a)
		rep, err := audit.Verify(ctx, d, a)
		if err != nil || rep.OK() || rep.Broken.Seq != 4 || rep.Checked != 3 {
			t.Fatalf("verify after tampering: %+v %v", rep, err)
		}
	})
	t.Run("sqlite", func(t *testing.T) {
		d := dbtest.SQLite(t)
		ctx := context.Background()
		a := newTenant(t, d, "amt-t")
		appendN(t, d, a, 6)
		if err := d.Global(ctx).Exec("UPDATE audit_events SET details = ? WHERE tenant_id = ? AND seq = 4", `{"to":"admin"}`, a).Error; err != nil {
			t.Fatal(err)
		}
		rep, err := audit.Verify(ctx, d, a)
		if err != nil || rep.OK() || rep.Broken.Seq != 4 {
			t.Fatalf("verify after tampering: %+v %v", rep, err)
		}
	})
}

func tamper(t *testing.T, owner *sql.DB, ctx context.Context, tenantID uuid.UUID) {
	t.Helper()
	tx, err := owner.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	// Even the owner is bound by the forced policies (no UPDATE policy
	// exists), so the attacker lifts them for the moment of the change.
	if _, err := tx.ExecContext(ctx, "ALTER TABLE audit_events NO FORCE ROW LEVEL SECURITY"); err != nil {
		t.Fatal(err)
	}
	res, err := tx.ExecContext(ctx, `UPDATE audit_events SET details = '{"to":"admin"}' WHERE tenant_id = $1 AND seq = 4`, tenantID)
	if err != nil {
		t.Fatal(err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		t.Fatalf("tampered %d rows", n)
	}
	if _, err := tx.ExecContext(ctx, "ALTER TABLE audit_events FORCE ROW LEVEL SECURITY"); err != nil {
		t.Fatal(err)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
}
