package db_test

import (
	"context"
	"errors"
	"testing"

	"github.com/google/uuid"
	"github.com/kollab/kollab/internal/db"
	"github.com/kollab/kollab/internal/db/dbtest"
)

// BeforeCommit hooks run inside the transaction after its function, in
// order (hooks added by hooks too), see its writes, and roll it back with
// their error; they never run when the function fails.
func TestBeforeCommit(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		seedTwoTenants(t, d)
		var ids []string
		d.Global(ctx).Table("tenants").Order("slug").Pluck("id", &ids)
		tid := mustUUID(t, ids[0])
		groups := func() int64 {
			var n int64
			must(t, d.Tenant(ctx, tid, func(tx *db.Tx) error { return tx.Table("groups").Count(&n).Error }))
			return n
		}
		add := func(tx *db.Tx) error {
			now := db.Now()
			return tx.Unscoped().Exec("INSERT INTO groups (tenant_id, id, name, created_at, updated_at) VALUES (?, ?, ?, ?, ?)",
				tid, db.NewID(), uuid.NewString(), now, now).Error
		}
		n0 := groups()

		var order []string
		err := d.Tenant(ctx, tid, func(tx *db.Tx) error {
			tx.BeforeCommit(func() error {
				var n int64
				if err := tx.Table("groups").Count(&n).Error; err != nil {
					return err
				}
				if n != n0+1 {
					t.Errorf("the hook sees %d groups, want %d", n, n0+1)
				}
				order = append(order, "first")
				tx.BeforeCommit(func() error { order = append(order, "added"); return nil })
				return nil
			})
			tx.BeforeCommit(func() error { order = append(order, "second"); return nil })
			tx.AfterCommit(func() { order = append(order, "after") })
			return add(tx)
		})
		must(t, err)
		if got := groups(); got != n0+1 {
			t.Errorf("groups after commit: %d", got)
		}
		if len(order) != 4 || order[0] != "first" || order[1] != "second" || order[2] != "added" || order[3] != "after" {
			t.Errorf("order %v", order)
		}

		boom := errors.New("boom")
		ran := false
		err = d.Tenant(ctx, tid, func(tx *db.Tx) error {
			tx.BeforeCommit(func() error { return boom })
			tx.AfterCommit(func() { ran = true })
			return add(tx)
		})
		if !errors.Is(err, boom) || ran || groups() != n0+1 {
			t.Errorf("failing hook: err %v, after ran %v, groups %d", err, ran, groups())
		}
		err = d.Tenant(ctx, tid, func(tx *db.Tx) error {
			tx.BeforeCommit(func() error { ran = true; return nil })
			if err := add(tx); err != nil {
				return err
			}
			return boom
		})
		if !errors.Is(err, boom) || ran || groups() != n0+1 {
			t.Errorf("failing function: err %v, hook ran %v, groups %d", err, ran, groups())
		}
	})
}
