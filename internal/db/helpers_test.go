package db_test

import (
	"context"
	"testing"

	"github.com/google/uuid"
	"github.com/kollab/kollab/internal/db"
)

func mustUUID(t *testing.T, s string) uuid.UUID {
	t.Helper()
	id, err := uuid.Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	return id
}

// seedTwoTenants writes a tenant, a user, a membership, a group and an
// audit entry for each of two tenants, through the tenant-scoped handle.
func seedTwoTenants(t *testing.T, d *db.DB) {
	t.Helper()
	ctx := context.Background()
	for _, slug := range []string{"amt-eins", "amt-zwei"} {
		tid, uid, now := db.NewID(), db.NewID(), db.Now()
		g := d.Global(ctx)
		if err := g.Exec("INSERT INTO tenants (id, slug, name, settings, created_at, updated_at) VALUES (?, ?, ?, '{}', ?, ?)", tid, slug, slug, now, now).Error; err != nil {
			t.Fatal(err)
		}
		if err := g.Exec("INSERT INTO users (id, email, display_name, password_hash, password_changed_at, created_at, updated_at) VALUES (?, ?, 'x', 'x', ?, ?, ?)",
			uid, slug+"@example.org", now, now, now).Error; err != nil {
			t.Fatal(err)
		}
		err := d.Tenant(ctx, tid, func(tx *db.Tx) error {
			mid := db.NewID()
			for _, q := range []struct {
				sql  string
				args []any
			}{
				{"INSERT INTO memberships (tenant_id, id, user_id, role, status, created_at, updated_at) VALUES (?, ?, ?, 'admin', 'active', ?, ?)", []any{tid, mid, uid, now, now}},
				{"INSERT INTO groups (tenant_id, id, name, created_at, updated_at) VALUES (?, ?, 'g', ?, ?)", []any{tid, db.NewID(), now, now}},
				{"INSERT INTO invitations (tenant_id, id, email, role, token_hash, invited_by, created_at, expires_at) VALUES (?, ?, 'x@example.org', 'staff', ?, ?, ?, ?)", []any{tid, db.NewID(), []byte(slug), mid, now, now}},
				{"INSERT INTO audit_events (tenant_id, id, seq, occurred_at, action, prev_hash, hash) VALUES (?, ?, 1, ?, 'x', '0', '1')", []any{tid, db.NewID(), now}},
			} {
				if err := tx.Unscoped().Exec(q.sql, q.args...).Error; err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
}
