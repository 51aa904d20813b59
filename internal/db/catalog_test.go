package db_test

import (
	"context"
	"testing"

	"github.com/kollab/kollab/internal/db"
	"github.com/kollab/kollab/internal/db/dbtest"
)

// TestCatalogRowLevelSecurity checks, from PostgreSQL's own catalog, that
// every table with a tenant_id is protected, and that the serving role
// cannot escape the policies.
func TestCatalogRowLevelSecurity(t *testing.T) {
	d, _ := dbtest.Postgres(t)
	ctx := context.Background()
	g := d.Global(ctx)

	var role struct {
		Name      string `gorm:"column:rolname"`
		Super     bool   `gorm:"column:rolsuper"`
		Bypass    bool   `gorm:"column:rolbypassrls"`
		CreateRol bool   `gorm:"column:rolcreaterole"`
	}
	if err := g.Raw("SELECT rolname, rolsuper, rolbypassrls, rolcreaterole FROM pg_roles WHERE rolname = current_user").Scan(&role).Error; err != nil {
		t.Fatal(err)
	}
	if role.Super || role.Bypass || role.CreateRol {
		t.Fatalf("application role %q is privileged: %+v", role.Name, role)
	}

	var tables []struct {
		Name  string `gorm:"column:relname"`
		Owner string `gorm:"column:owner"`
		RLS   bool   `gorm:"column:relrowsecurity"`
		Force bool   `gorm:"column:relforcerowsecurity"`
		Null  bool   `gorm:"column:nullable"`
		First bool   `gorm:"column:pk_first"`
		Pols  int    `gorm:"column:policies"`
	}
	err := g.Raw(`
		SELECT c.relname, pg_get_userbyid(c.relowner) AS owner, c.relrowsecurity, c.relforcerowsecurity,
		       NOT a.attnotnull AS nullable,
		       COALESCE((SELECT i.indkey[0] = a.attnum FROM pg_index i WHERE i.indrelid = c.oid AND i.indisprimary), false) AS pk_first,
		       (SELECT count(*) FROM pg_policy p WHERE p.polrelid = c.oid) AS policies
		  FROM pg_class c
		  JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = current_schema()
		  JOIN pg_attribute a ON a.attrelid = c.oid AND a.attname = 'tenant_id' AND NOT a.attisdropped
		 WHERE c.relkind IN ('r', 'p')
		 ORDER BY c.relname`).Scan(&tables).Error
	if err != nil {
		t.Fatal(err)
	}
	if len(tables) < 5 {
		t.Fatalf("found only %d tenant tables", len(tables))
	}
	for _, tb := range tables {
		if !tb.RLS || !tb.Force || tb.Pols == 0 {
			t.Errorf("%s: row-level security enabled=%v forced=%v policies=%d", tb.Name, tb.RLS, tb.Force, tb.Pols)
		}
		if tb.Owner == role.Name {
			t.Errorf("%s is owned by the application role", tb.Name)
		}
		if tb.Null || !tb.First {
			t.Errorf("%s: tenant_id nullable=%v first in primary key=%v", tb.Name, tb.Null, tb.First)
		}
	}

	// With rows present, a query without a tenant sees none of them.
	seedTwoTenants(t, d)
	for _, tb := range tables {
		var readable bool
		if err := g.Raw("SELECT has_table_privilege(?, 'SELECT')", tb.Name).Scan(&readable).Error; err != nil {
			t.Fatal(err)
		}
		if !readable {
			continue // not readable at all (secret_ballots: insert only)
		}
		var n int64
		if err := g.Table(tb.Name).Count(&n).Error; err != nil {
			t.Fatalf("count %s: %v", tb.Name, err)
		}
		if n != 0 {
			t.Errorf("%s: %d rows visible without a tenant", tb.Name, n)
		}
	}
	// And the rows are there for their tenant.
	var ids []string
	g.Table("tenants").Pluck("id", &ids)
	total := 0
	for _, id := range ids {
		var n int64
		err := d.Tenant(ctx, mustUUID(t, id), func(tx *db.Tx) error { return tx.Table("memberships").Count(&n).Error })
		if err != nil {
			t.Fatal(err)
		}
		total += int(n)
	}
	if total != 2 {
		t.Fatalf("tenants see %d memberships in all, want 2", total)
	}
}
