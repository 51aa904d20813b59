package db_test

import (
	"context"
	"testing"

	"github.com/google/uuid"
	"github.com/kollab/kollab/internal/db"
	"github.com/kollab/kollab/internal/db/dbtest"
)

// On both engines the tenant handle only ever shows its own tenant's rows;
// on PostgreSQL even a raw query without a WHERE clause does.
func TestTenantHandleIsolation(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		seedTwoTenants(t, d)
		var ids []string
		d.Global(ctx).Table("tenants").Order("slug").Pluck("id", &ids)
		if len(ids) != 2 {
			t.Fatalf("tenants: %v", ids)
		}
		for _, id := range ids {
			tid := mustUUID(t, id)
			err := d.Tenant(ctx, tid, func(tx *db.Tx) error {
				for _, table := range []string{"memberships", "groups", "invitations", "audit_events"} {
					var got []uuid.UUID
					if err := tx.Table(table).Pluck("tenant_id", &got).Error; err != nil {
						return err
					}
					if len(got) != 1 || got[0] != tid {
						t.Errorf("%s in %s: %v", table, id, got)
					}
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
		}
		if err := d.Tenant(ctx, uuid.Nil, func(*db.Tx) error { return nil }); err != db.ErrNoTenant {
			t.Fatalf("nil tenant accepted: %v", err)
		}
		// A row of another tenant cannot be created through a handle.
		err := d.Tenant(ctx, mustUUID(t, ids[0]), func(tx *db.Tx) error {
			return tx.Create("groups", foreignRow{tenant: mustUUID(t, ids[1])})
		})
		if err != db.ErrNoTenant {
			t.Fatalf("foreign row created: %v", err)
		}
	})
}

func TestRawQueryWithoutWhereOnPostgres(t *testing.T) {
	d, _ := dbtest.Postgres(t)
	ctx := context.Background()
	seedTwoTenants(t, d)
	var ids []string
	d.Global(ctx).Table("tenants").Pluck("id", &ids)
	for i, id := range ids {
		err := d.Tenant(ctx, mustUUID(t, id), func(tx *db.Tx) error {
			var n int64
			// A forgotten WHERE clause: row-level security still filters.
			if err := tx.Unscoped().Raw("SELECT count(*) FROM memberships").Scan(&n).Error; err != nil {
				return err
			}
			if n != 1 {
				t.Errorf("tenant %s sees %d memberships without WHERE", id, n)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		// Writing a row for another tenant is refused by the policy.
		other := ids[1-i]
		err = d.Tenant(ctx, mustUUID(t, id), func(tx *db.Tx) error {
			return tx.Unscoped().Exec("INSERT INTO groups (tenant_id, id, name, created_at, updated_at) VALUES (?, ?, 'x', now(), now())", other, db.NewID()).Error
		})
		if err == nil {
			t.Errorf("tenant %s inserted a row for tenant %s", id, other)
		}
	}
}

type foreignRow struct{ tenant uuid.UUID }

func (f foreignRow) OwnerTenant() uuid.UUID { return f.tenant }
