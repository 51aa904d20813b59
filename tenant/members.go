package tenant

import (
	"context"
	"fmt"
	"strings"

	"github.com/google/uuid"
	"github.com/kollab/kollab/internal/audit"
	"github.com/kollab/kollab/internal/db"
	"github.com/kollab/kollab/internal/errs"
	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// MemberFilter selects members for the admin console.
type MemberFilter struct {
	Query  string // substring of e-mail or name
	Role   Role
	Status string
	// Group keeps only the members of this group (uuid.Nil: all).
	Group uuid.UUID
	// After pages forward: members whose id sorts after this one.
	After uuid.UUID
	Limit int
}

// MaxPage is the hard upper limit of a list page.
const MaxPage = 200

// MemberPage is one page of members.
type MemberPage struct {
	Members []Member
	// More is true when another page follows.
	More bool
	// Total counts the members matching the filter over all pages.
	Total int64
}

// ListMembers returns one page of a tenant's members.
func (s *Service) ListMembers(ctx context.Context, a Actor, f MemberFilter) (*MemberPage, error) {
	if err := a.requireAdmin(); err != nil {
		return nil, err
	}
	if f.Limit <= 0 || f.Limit > MaxPage {
		f.Limit = 50
	}
	if f.Role != "" {
		if _, err := ParseRole(string(f.Role)); err != nil {
			return nil, err
		}
	}
	if f.Status != "" && f.Status != StatusActive && f.Status != StatusDeactivated {
		return nil, errs.InvalidField("status", errs.M("tenant.status-must-active-deactivated", "Status muss active oder deactivated sein.", "Status must be active or deactivated."))
	}
	page := &MemberPage{}
	err := a.Run(ctx, s.db, func(tx *db.Tx) error {
		filter := func(q *gorm.DB) *gorm.DB {
			if f.Query != "" {
				like := "%" + escapeLike(strings.ToLower(strings.TrimSpace(f.Query))) + "%"
				q = q.Where(`(lower(u.email) LIKE ? ESCAPE '\' OR lower(u.display_name) LIKE ? ESCAPE '\')`, like, like)
			}
			if f.Role != "" {
				q = q.Where("memberships.role = ?", f.Role)
			}
			if f.Status != "" {
				q = q.Where("memberships.status = ?", f.Status)
			}
			if f.Group != uuid.Nil {
				q = q.Where(tx.Expr(`EXISTS (SELECT 1 FROM group_members gm WHERE gm.tenant_id = @tenant
					AND gm.group_id = ? AND gm.membership_id = memberships.id)`, f.Group))
			}
			return q
		}
		if f.Group != uuid.Nil {
			if _, err := getGroup(tx, f.Group); err != nil {
				return err // another tenant's group is unknown: 404
			}
		}
		if err := filter(tx.Table(membershipsTable).Joins("JOIN users u ON u.id = memberships.user_id")).Count(&page.Total).Error; err != nil {
			return err
		}
		q := filter(memberQuery(tx))
		if f.After != uuid.Nil {
			q = q.Where("memberships.id > ?", f.After)
		}
		return q.Order("memberships.id").Limit(f.Limit + 1).Scan(&page.Members).Error
	})
	if err != nil {
		return nil, err
	}
	if len(page.Members) > f.Limit {
		page.Members, page.More = page.Members[:f.Limit], true
	}
	return page, nil
}

func memberQuery(tx *db.Tx) *gorm.DB {
	return tx.Table(membershipsTable).
		Select(`memberships.*, u.email, u.display_name,
		        CASE WHEN u.totp_enabled_at IS NULL THEN false ELSE true END AS totp_enabled`).
		Joins("JOIN users u ON u.id = memberships.user_id")
}

func escapeLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

// Member returns one member of the tenant.
func (s *Service) Member(ctx context.Context, a Actor, membershipID uuid.UUID) (*Member, error) {
	if err := a.requireAdmin(); err != nil {
		return nil, err
	}
	var m *Member
	err := a.Run(ctx, s.db, func(tx *db.Tx) error {
		var err error
		m, err = getMember(tx, membershipID)
		return err
	})
	return m, err
}

func getMember(tx *db.Tx, membershipID uuid.UUID) (*Member, error) {
	var ms []Member
	if err := memberQuery(tx).Where("memberships.id = ?", membershipID).Limit(1).Scan(&ms).Error; err != nil {
		return nil, err
	}
	if len(ms) == 0 {
		return nil, errs.Plain(errs.NotFound)
	}
	return &ms[0], nil
}

// lockTenant serialises changes to a tenant's admin set (row lock on
// PostgreSQL; SQLite has one writer).
func lockTenant(tx *db.Tx) error {
	q := tx.Unscoped().Table(tenantsTable).Select("id").Where("id = ?", tx.TenantID())
	if tx.IsPostgres() {
		q = q.Clauses(clause.Locking{Strength: "UPDATE"})
	}
	var id []uuid.UUID
	return q.Scan(&id).Error
}

func activeAdmins(tx *db.Tx) (int64, error) {
	var n int64
	err := tx.Table(membershipsTable).Where("role = ? AND status = ?", RoleAdmin, StatusActive).Count(&n).Error
	return n, err
}

// MemberUpdate is a change of one membership: a new role, a new status
// (active or not), or both. Nil fields stay as they are.
type MemberUpdate struct {
	Role   *Role
	Active *bool
}

// UpdateMember changes a member's role and status in one transaction. The
// rules: only tenant admins change members; nobody deactivates their own
// membership; the tenant keeps at least one active admin (the last one can
// neither give up the role nor be deactivated). A change that changes
// nothing records nothing.
func (s *Service) UpdateMember(ctx context.Context, a Actor, membershipID uuid.UUID, u MemberUpdate) (*Member, error) {
	if err := a.requireAdmin(); err != nil {
		return nil, err
	}
	if u.Role == nil && u.Active == nil {
		return nil, errs.InvalidField("role", errs.M("tenant.give-role-status", "Bitte role oder status angeben.", "Please give role or status."))
	}
	if u.Role != nil {
		if _, err := ParseRole(string(*u.Role)); err != nil {
			return nil, err
		}
	}
	if u.Active != nil && !*u.Active && membershipID == a.MembershipID {
		return nil, errs.New(errs.Conflict, errs.M("tenant.cannot-deactivate-yourself", "Sie können sich nicht selbst deaktivieren.", "You cannot deactivate yourself."))
	}
	var out *Member
	err := a.Run(ctx, s.db, func(tx *db.Tx) error {
		if err := lockTenant(tx); err != nil {
			return err
		}
		m, err := getMember(tx, membershipID)
		if err != nil {
			return err
		}
		if u.Role != nil {
			if err := changeRole(ctx, tx, m, *u.Role); err != nil {
				return err
			}
		}
		if u.Active != nil {
			if err := setActive(ctx, tx, m, *u.Active); err != nil {
				return err
			}
		}
		out, err = getMember(tx, membershipID)
		return err
	})
	return out, err
}

// ChangeRole changes a member's role (UpdateMember with a role only).
func (s *Service) ChangeRole(ctx context.Context, a Actor, membershipID uuid.UUID, role Role) (*Member, error) {
	return s.UpdateMember(ctx, a, membershipID, MemberUpdate{Role: &role})
}

// SetActive deactivates or reactivates a member (UpdateMember with a
// status only).
func (s *Service) SetActive(ctx context.Context, a Actor, membershipID uuid.UUID, active bool) (*Member, error) {
	return s.UpdateMember(ctx, a, membershipID, MemberUpdate{Active: &active})
}

// changeRole gives m the role, in tx (which holds the tenant lock), unless
// m is the last active admin; m is updated to the new state.
func changeRole(ctx context.Context, tx *db.Tx, m *Member, role Role) error {
	if m.Role == role {
		return nil
	}
	if role == RolePartner { // a guest has a sponsor and an expiry: guests come in through a workspace
		return errGuestsViaWorkspaces()
	}
	if m.Role == RoleAdmin && m.Active() {
		if n, err := activeAdmins(tx); err != nil {
			return err
		} else if n <= 1 {
			return errs.New(errs.Conflict, errs.M("tenant.last-administrator-cannot-give-up", "Die letzte Administratorin bzw. der letzte Administrator kann die Rolle nicht abgeben.", "The last administrator cannot give up the role."))
		}
	}
	if err := tx.Table(membershipsTable).Where("id = ?", m.ID).
		Updates(map[string]any{"role": role, "updated_at": db.Now()}).Error; err != nil {
		return fmt.Errorf("tenant: change role: %w", err)
	}
	if _, err := audit.Append(ctx, tx, audit.Entry{Action: audit.ActionRoleChanged, TargetType: "membership", TargetID: m.ID.String(),
		Details: map[string]string{"email": m.Email, "from": string(m.Role), "to": string(role)}}); err != nil {
		return err
	}
	m.Role = role
	return nil
}

// setActive deactivates or reactivates m, in tx (which holds the tenant
// lock), unless that deactivates the last active admin; m is updated.
func setActive(ctx context.Context, tx *db.Tx, m *Member, active bool) error {
	status, action := StatusDeactivated, audit.ActionMemberDeactivated
	if active {
		status, action = StatusActive, audit.ActionMemberReactivated
	}
	if m.Status == status {
		return nil
	}
	if !active && m.Role == RoleAdmin {
		if n, err := activeAdmins(tx); err != nil {
			return err
		} else if n <= 1 {
			return errs.New(errs.Conflict, errs.M("tenant.last-active-administrator-cannot-deactivated", "Die letzte aktive Administration kann nicht deaktiviert werden.", "The last active administrator cannot be deactivated."))
		}
	}
	if err := tx.Table(membershipsTable).Where("id = ?", m.ID).
		Updates(map[string]any{"status": status, "updated_at": db.Now()}).Error; err != nil {
		return fmt.Errorf("tenant: set status: %w", err)
	}
	if _, err := audit.Append(ctx, tx, audit.Entry{Action: action, TargetType: "membership", TargetID: m.ID.String(),
		Details: map[string]string{"email": m.Email}}); err != nil {
		return err
	}
	m.Status = status
	return nil
}
