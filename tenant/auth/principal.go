package auth

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"time"

	"github.com/google/uuid"
	"github.com/kollab/kollab/internal/db"
	"github.com/kollab/kollab/tenant"
)

// credential is the session or API token behind a principal.
type credential struct {
	ID         uuid.UUID
	MFAPending bool
	SeenAt     *time.Time
	ExpiresAt  *time.Time
	// Scope is the token's scope (empty for sessions).
	Scope Scope
}

// The principal queries, one per engine and credential kind. SQLite has no
// row-level security, so its memberships are read directly.
const (
	principalColumns = `u.id, u.email, u.display_name, u.locale, u.totp_enabled_at,
	u.recovery_codes_left,
	t.id, t.slug, t.name, t.settings, t.created_at, t.updated_at,
	m.id, m.role, m.status, m.created_at, m.updated_at
	FROM users u LEFT JOIN memberships m ON m.user_id = u.id LEFT JOIN tenants t ON t.id = m.tenant_id`
	sqliteSessionPrincipal = `SELECT s.id, s.mfa_pending, s.last_seen_at, s.expires_at, '', ` + principalColumns +
		` JOIN sessions s ON s.user_id = u.id WHERE s.token_hash = ?`
	sqliteTokenPrincipal = `SELECT k.id, 0, k.last_used_at, k.expires_at, k.scope, ` + principalColumns +
		` JOIN api_tokens k ON k.user_id = u.id WHERE k.token_hash = ?`
	// On PostgreSQL the memberships are visible under the member_self policy
	// once app.user_id is set for the transaction. The set_config sits in a
	// LATERAL item that the membership subquery depends on, so it runs for the
	// credential's row before memberships are scanned.
	postgresPrincipalTail = `JOIN users u ON u.id = c.user_id
	CROSS JOIN LATERAL (SELECT set_config('app.user_id', c.user_id::text, true) AS uid) cfg
	LEFT JOIN LATERAL (
	    SELECT t.id AS t_id, t.slug AS t_slug, t.name AS t_name, t.settings AS t_settings, t.created_at AS t_created_at, t.updated_at AS t_updated_at,
	           m.id AS m_id, m.role AS m_role, m.status AS m_status, m.created_at AS m_created_at, m.updated_at AS m_updated_at
	      FROM memberships m JOIN tenants t ON t.id = m.tenant_id
	     WHERE m.user_id = cfg.uid::uuid) mt ON true`
	postgresPrincipalHead = `SELECT c.id, c.mfa_pending, c.seen_at, c.expires_at, c.scope, u.id, u.email, u.display_name, u.locale, u.totp_enabled_at,
	u.recovery_codes_left,
	mt.t_id, mt.t_slug, mt.t_name, mt.t_settings, mt.t_created_at, mt.t_updated_at, mt.m_id, mt.m_role, mt.m_status, mt.m_created_at, mt.m_updated_at
	FROM `
	postgresSessionPrincipal = postgresPrincipalHead + `(SELECT s.id, s.user_id, s.mfa_pending, s.last_seen_at AS seen_at, s.expires_at,
	''::text AS scope FROM sessions s WHERE s.token_hash = $1) c ` + postgresPrincipalTail
	postgresTokenPrincipal = postgresPrincipalHead + `(SELECT k.id, k.user_id, false AS mfa_pending, k.last_used_at AS seen_at, k.expires_at,
	k.scope FROM api_tokens k WHERE k.token_hash = $1) c ` + postgresPrincipalTail
)

// loadPrincipal resolves a token hash of the given kind ("session" or
// "token") to its credential and principal, with the account's memberships
// and tenants, in one round trip. It returns nil, nil when nothing matches.
func (s *Service) loadPrincipal(ctx context.Context, kind string, hash []byte) (*credential, *Principal, error) {
	var rows principalRows
	switch {
	case s.db.Dialect() == db.Postgres:
		q := postgresTokenPrincipal
		if kind == "session" {
			q = postgresSessionPrincipal
		}
		r, err := s.db.Pgx().Query(ctx, q, hash)
		if err != nil {
			return nil, nil, fmt.Errorf("auth: load principal: %w", db.Classify(err))
		}
		defer r.Close()
		rows = r
	default:
		q := sqliteTokenPrincipal
		if kind == "session" {
			q = sqliteSessionPrincipal
		}
		r, err := s.db.SQL().QueryContext(ctx, q, hash)
		if err != nil {
			return nil, nil, fmt.Errorf("auth: load principal: %w", err)
		}
		defer r.Close()
		rows = r
	}
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
			scope    string
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
		if err := rows.Scan(&c.ID, &c.MFAPending, &seen, &expires, &scope, &q.UserID, &q.Email, &q.DisplayName, &q.Locale, &totpAt,
			&q.RecoveryCodesLeft, &tID, &slug, &name, &settings, &tc, &tu, &mID, &role, &status, &mc, &mu); err != nil {
			return nil, nil, fmt.Errorf("auth: scan principal: %w", db.Classify(err))
		}
		if p == nil {
			c.SeenAt, c.ExpiresAt, c.Scope = nullTime(seen), nullTime(expires), Scope(scope)
			q.TOTPEnabled, q.MFAPending, q.Scope = totpAt.Valid, c.MFAPending, c.Scope
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
		return nil, nil, fmt.Errorf("auth: load principal: %w", db.Classify(err))
	}
	if p != nil {
		// Oldest membership first (sorted here: it saves the database a sort on every request).
		slices.SortFunc(p.Tenants, func(a, b tenant.UserTenant) int {
			return a.Membership.CreatedAt.Compare(b.Membership.CreatedAt)
		})
	}
	return cred, p, nil
}

// principalRows is what both database/sql and pgx return.
type principalRows interface {
	Next() bool
	Scan(dest ...any) error
	Err() error
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
