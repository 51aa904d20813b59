package db_test

import (
	"context"
	"errors"
	"testing"

	"github.com/google/uuid"
	"github.com/kollab/kollab/internal/db"
	"github.com/kollab/kollab/internal/db/dbtest"
)

// Tx.Raw and Tx.Exec bind @tenant to the transaction's tenant, mixed with
// positional parameters anywhere in the statement, on both engines; a
// statement without @tenant is refused and leaves the transaction usable.
func TestTxRawBindsTenant(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		seedTwoTenants(t, d)
		var ids []string
		d.Global(ctx).Table("tenants").Order("slug").Pluck("id", &ids)
		tid, other := mustUUID(t, ids[0]), mustUUID(t, ids[1])
		err := d.Tenant(ctx, tid, func(tx *db.Tx) error {
			now := db.Now()
			gid := db.NewID()
			// @tenant inside a parenthesised list, among positional parameters.
			if err := tx.Exec("INSERT INTO groups (tenant_id, id, name, created_at, updated_at) VALUES (@tenant, ?, ?, ?, ?)", gid, "neu", now, now).Error; err != nil {
				return err
			}
			for _, c := range []struct {
				q    string
				args []any
			}{
				{"SELECT name FROM groups WHERE tenant_id = @tenant AND id = ?", []any{gid}},
				{"SELECT name FROM groups WHERE id = ? AND tenant_id = @tenant", []any{gid}},
				{"SELECT name FROM groups WHERE id IN ? AND tenant_id = @tenant AND name <> ?", []any{[]uuid.UUID{gid, db.NewID()}, "x"}},
				{"SELECT name FROM groups WHERE tenant_id IN (@tenant, ?) AND id = ?", []any{other, gid}},
				{"SELECT name FROM groups WHERE id = ?\n\t\tAND tenant_id = @tenant\n", []any{gid}},
			} {
				var names []string
				if err := tx.Raw(c.q, c.args...).Scan(&names).Error; err != nil {
					t.Errorf("%q: %v", c.q, err)
					continue
				}
				if len(names) != 1 || names[0] != "neu" {
					t.Errorf("%q: %v", c.q, names)
				}
			}
			// The other tenant's group stays out of reach: only @tenant is bound.
			var n int64
			if err := tx.Raw("SELECT COUNT(*) FROM groups WHERE tenant_id = @tenant").Scan(&n).Error; err != nil || n != 2 {
				t.Errorf("own groups: %d, %v", n, err)
			}
			res := tx.Exec("UPDATE groups SET description = ? WHERE tenant_id = @tenant", "d")
			if res.Error != nil || res.RowsAffected != 2 {
				t.Errorf("update: %d, %v", res.RowsAffected, res.Error)
			}

			// Tx.Expr binds @tenant in a fragment of the builder, beside ? parameters.
			if err := tx.Table("groups").Where(tx.Expr("groups.id IN (SELECT g.id FROM groups g WHERE g.tenant_id = @tenant AND g.name = ?)", "neu")).
				Count(&n).Error; err != nil || n != 1 {
				t.Errorf("Expr in Where: %d, %v", n, err)
			}
			var names []string
			if err := tx.Table("groups").Select("? AS name", tx.Expr("(SELECT g.name FROM groups g WHERE g.tenant_id = @tenant AND g.id = ?)", gid)).
				Where("groups.id = ?", gid).Scan(&names).Error; err != nil || len(names) != 1 || names[0] != "neu" {
				t.Errorf("Expr in Select: %v, %v", names, err)
			}

			// Refused: no @tenant, or an @tenant that gorm would read as a longer name.
			for _, q := range []string{"SELECT COUNT(*) FROM groups", "SELECT COUNT(*) FROM groups WHERE tenant_id = ?"} {
				if err := tx.Raw(q, tid).Scan(&n).Error; !errors.Is(err, db.ErrNoTenantFilter) {
					t.Errorf("Raw %q: %v", q, err)
				}
				if err := tx.Exec(q, tid).Error; !errors.Is(err, db.ErrNoTenantFilter) {
					t.Errorf("Exec %q: %v", q, err)
				}
			}
			if err := tx.Raw("SELECT COUNT(*) FROM groups WHERE tenant_id = @tenant::text").Scan(&n).Error; err == nil {
				t.Error("@tenant::text accepted")
			}
			if err := tx.Exec("DELETE FROM groups WHERE id = ?", gid).Error; err == nil {
				t.Error("delete without @tenant ran")
			}
			// The refusals did not touch the transaction.
			if err := tx.Raw("SELECT COUNT(*) FROM groups WHERE tenant_id = @tenant AND id = ?", gid).Scan(&n).Error; err != nil || n != 1 {
				t.Errorf("after refusals: %d, %v", n, err)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		// The other tenant is untouched.
		err = d.Tenant(ctx, other, func(tx *db.Tx) error {
			var desc []string
			if err := tx.Raw("SELECT description FROM groups WHERE tenant_id = @tenant").Scan(&desc).Error; err != nil {
				return err
			}
			if len(desc) != 1 || desc[0] != "" {
				t.Errorf("other tenant's groups: %q", desc)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	})
}
