package tenant

import (
	"context"
	"fmt"

	"github.com/google/uuid"
	"github.com/kollab/kollab/internal/audit"
	"github.com/kollab/kollab/internal/db"
	"github.com/kollab/kollab/internal/errs"
)

// Actor is the person a domain service acts for: one membership in one
// tenant, with the role it claims. Every module takes the same value, so one
// request carries one actor into all of them. The HTTP layer builds it from
// the authenticated tenant scope (ActorFromMembership); it is never taken
// from a request body, and Run re-checks it against the database (active,
// same user, same or a covering role) in the transaction it opens.
//
// The actor's groups are not copied into it: permission queries join
// group_members on the membership when they run, so that a change of a
// group counts at once and an actor can never carry stale groups.
type Actor struct {
	TenantID     uuid.UUID
	MembershipID uuid.UUID
	UserID       uuid.UUID
	Role         Role
	// operator: the platform's operator acting on a tenant from the command
	// line (Operator); no membership stands behind it.
	operator bool
}

// Operator is the actor of the platform's operator on a tenant: `kollab`
// commands run on the server (and tests standing in for them). It has the
// admin role without a membership; Run checks only that the tenant exists.
// Only Go code on the server can make one: the HTTP layer builds every actor
// from an authenticated membership (ActorFromMembership), and the import-rule
// test keeps api from calling Operator.
func Operator(tenantID uuid.UUID) Actor {
	return Actor{TenantID: tenantID, Role: RoleAdmin, operator: true}
}

// IsOperator reports whether the actor is the platform's operator (Operator).
func (a Actor) IsOperator() bool { return a.operator }

// ActorFromMembership returns the actor for an active membership.
func ActorFromMembership(m *Membership) Actor {
	return Actor{TenantID: m.TenantID, MembershipID: m.ID, UserID: m.UserID, Role: m.Role}
}

// IsAdmin reports whether the actor is a tenant admin (who may do everything).
func (a Actor) IsAdmin() bool { return a.Role == RoleAdmin }

// requireAdmin refuses an actor that is no tenant admin.
func (a Actor) requireAdmin() error {
	if !a.IsAdmin() {
		return errs.Plain(errs.Forbidden)
	}
	return nil
}

// Validate refuses an incomplete actor or one with an unknown role.
func (a Actor) Validate() error {
	if a.operator {
		if a.TenantID == uuid.Nil || a.MembershipID != uuid.Nil || a.UserID != uuid.Nil {
			return errs.Plain(errs.Unauthenticated)
		}
		return nil
	}
	if a.TenantID == uuid.Nil || a.MembershipID == uuid.Nil || a.UserID == uuid.Nil {
		return errs.Plain(errs.Unauthenticated)
	}
	if _, err := ParseRole(string(a.Role)); err != nil {
		return errs.Plain(errs.Unauthenticated)
	}
	return nil
}

// Run opens a transaction in the actor's tenant on d and first checks, in
// it, that the actor is an active membership of that tenant with the
// stated user and role (or one that covers it: an admin acting as staff
// through a token without the admin scope): a mixed-up or stale actor gets
// nowhere, and an admin role is never taken on trust. Every module whose
// services take an Actor runs its transactions through it.
func (a Actor) Run(ctx context.Context, d *db.DB, fn func(tx *db.Tx) error) error {
	if err := a.Validate(); err != nil {
		return err
	}
	if a.operator {
		var n int64
		if err := d.Global(ctx).Table(tenantsTable).Where("id = ?", a.TenantID).Count(&n).Error; err != nil {
			return fmt.Errorf("check tenant: %w", err)
		}
		if n != 1 {
			return errs.Plain(errs.NotFound)
		}
		return d.Tenant(ctx, a.TenantID, fn)
	}
	return d.Tenant(ctx, a.TenantID, func(tx *db.Tx) error {
		var ms []struct {
			UserID uuid.UUID `gorm:"column:user_id"`
			Role   string    `gorm:"column:role"`
			Status string    `gorm:"column:status"`
		}
		if err := tx.Table("memberships").Select("user_id, role, status").Where("id = ?", a.MembershipID).Scan(&ms).Error; err != nil {
			return fmt.Errorf("check membership: %w", err)
		}
		if len(ms) != 1 || ms[0].UserID != a.UserID || !Role(ms[0].Role).Covers(a.Role) {
			return errs.Plain(errs.Unauthenticated)
		}
		if ms[0].Status != StatusActive {
			return errs.Plain(errs.Deactivated)
		}
		if Role(ms[0].Role) == RolePartner {
			if out, err := guestRanOut(tx, a.MembershipID, db.Now()); err != nil {
				return fmt.Errorf("check guest: %w", err)
			} else if out {
				return errs.Plain(errs.Deactivated)
			}
		}
		return fn(tx)
	})
}

// Record appends an audit event in tx, attributed to the actor's user
// (nobody's for the operator or the zero actor: a deadline closing a poll).
func (a Actor) Record(ctx context.Context, tx *db.Tx, action, targetType string, target uuid.UUID, details map[string]string) error {
	e := audit.Entry{Action: action, TargetType: targetType, TargetID: target.String(), Details: details}
	if a.UserID != uuid.Nil {
		uid := a.UserID
		e.Actor = &uid
	}
	_, err := audit.Append(ctx, tx, e)
	return err
}
