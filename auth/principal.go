package auth

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/kollab/kollab/db"
	"github.com/kollab/kollab/tenant"
)

// credential is the session or API token behind a principal.
type credential struct {
	ID         uuid.UUID
	MFAPending bool
	SeenAt     *time.Time
	ExpiresAt  *time.Time
}

// The SQLite forms of kollab_principal (see migration 00003): SQLite has no
// row-level security, so the memberships are read directly.
const (
	principalColumns = `u.id, u.email, u.display_name, u.locale, u.totp_enabled_at,
	(SELECT count(*) FROM recovery_codes r WHERE r.user_id = u.id AND r.used_at IS NULL),
	t.id, t.slug, t.name, t.settings, t.created_at, t.updated_at,
	m.id, m.role, m.status, m.created_at, m.updated_at
	FROM users u LEFT JOIN memberships m ON m.user_id = u.id LEFT JOIN tenants t ON t.id = m.tenant_id`
	sqliteSessionPrincipal = `SELECT s.id, s.mfa_pending, s.last_seen_at, s.expires_at, ` + principalColumns +
		` JOIN sessions s ON s.user_id = u.id WHERE s.token_hash = ? ORDER BY m.created_at`
	sqliteTokenPrincipal = `SELECT k.id, 0, k.last_used_at, k.expires_at, ` + principalColumns +
		` JOIN api_tokens k ON k.user_id = u.id WHERE k.token_hash = ? ORDER BY m.created_at`
	postgresPrincipal = `SELECT cred_id, mfa_pending, seen_at, expires_at, user_id, email, display_name, locale, totp_enabled_at,
	recovery_left, t_id, t_slug, t_name, t_settings, t_created_at, t_updated_at, m_id, m_role, m_status, m_created_at, m_updated_at
	FROM kollab_principal($1, $2)`
)

// loadPrincipal resolves a token hash of the given kind ("session" or
// "token") to its credential and principal, with the account's memberships
// and tenants, in one round trip. It returns nil, nil when nothing matches.
func (s *Service) loadPrincipal(ctx context.Context, kind string, hash []byte) (*credential, *Principal, error) {
	var (
		rows *sql.Rows
		err  error
	)
	switch {
	case s.db.Dialect() == db.Postgres:
		rows, err = s.db.SQL().QueryContext(ctx, postgresPrincipal, kind, hash)
	case kind == "session":
		rows, err = s.db.SQL().QueryContext(ctx, sqliteSessionPrincipal, hash)
	default:
		rows, err = s.db.SQL().QueryContext(ctx, sqliteTokenPrincipal, hash)
	}
	if err != nil {
		return nil, nil, fmt.Errorf("auth: load principal: %w", err)
	}
	defer rows.Close()
	var (
		cred *credential
		p    *Principal
	)
	for rows.Next() {
		var (
			c        credential
			q        Principal
			seen     sql.NullTime
			expires  sql.NullTime
			totpAt   sql.NullTime
			tID, mID uuid.NullUUID
			slug     sql.NullString
			name     sql.NullString
			settings tenant.Settings
			tc, tu   sql.NullTime
			role     sql.NullString
			status   sql.NullString
			mc, mu   sql.NullTime
		)
		if err := rows.Scan(&c.ID, &c.MFAPending, &seen, &expires, &q.UserID, &q.Email, &q.DisplayName, &q.Locale, &totpAt,
			&q.RecoveryCodesLeft, &tID, &slug, &name, &settings, &tc, &tu, &mID, &role, &status, &mc, &mu); err != nil {
			return nil, nil, fmt.Errorf("auth: scan principal: %w", err)
		}
		if p == nil {
			c.SeenAt, c.ExpiresAt = nullTime(seen), nullTime(expires)
			q.TOTPEnabled, q.MFAPending = totpAt.Valid, c.MFAPending
			cred, p = &c, &q
		}
		if mID.Valid && tID.Valid {
			p.Tenants = append(p.Tenants, tenant.UserTenant{
				Tenant: tenant.Tenant{ID: tID.UUID, Slug: slug.String, Name: name.String, Settings: settings, CreatedAt: tc.Time, UpdatedAt: tu.Time},
				Membership: tenant.Membership{TenantID: tID.UUID, ID: mID.UUID, UserID: p.UserID, Role: tenant.Role(role.String),
					Status: status.String, CreatedAt: mc.Time, UpdatedAt: mu.Time},
			})
		}
	}
	if err := rows.Err(); err != nil {
		return nil, nil, fmt.Errorf("auth: load principal: %w", err)
	}
	return cred, p, nil
}

func nullTime(t sql.NullTime) *time.Time {
	if !t.Valid {
		return nil
	}
	u := t.Time.UTC()
	return &u
}

// Membership returns the principal's membership in the tenant with the
// given slug, as loaded with the principal.
func (p *Principal) Membership(slug string) (*tenant.UserTenant, bool) {
	for i := range p.Tenants {
		if p.Tenants[i].Tenant.Slug == slug {
			return &p.Tenants[i], true
		}
	}
	return nil, false
}
