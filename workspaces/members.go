package workspaces

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/kollab/kollab/internal/db"
	"github.com/kollab/kollab/internal/errs"
	"github.com/kollab/kollab/tenant"
)

// memberRow is a row of workspace_members.
type memberRow struct {
	TenantID     uuid.UUID `gorm:"column:tenant_id"`
	WorkspaceID  uuid.UUID `gorm:"column:workspace_id"`
	MembershipID uuid.UUID `gorm:"column:membership_id"`
	Role         Role      `gorm:"column:role"`
	AddedBy      uuid.UUID `gorm:"column:added_by"`
	CreatedAt    time.Time `gorm:"column:created_at"`
	UpdatedAt    time.Time `gorm:"column:updated_at"`
}

// OwnerTenant implements db.TenantOwned.
func (r *memberRow) OwnerTenant() uuid.UUID { return r.TenantID }

func (r *memberRow) info() MemberInfo {
	return MemberInfo{WorkspaceID: r.WorkspaceID, MembershipID: r.MembershipID, Role: r.Role, AddedBy: r.AddedBy,
		CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt, Active: true}
}

func insertMember(tx *db.Tx, workspaceID, membershipID uuid.UUID, role Role, by uuid.UUID, now time.Time) error {
	rec := &memberRow{TenantID: tx.TenantID(), WorkspaceID: workspaceID, MembershipID: membershipID, Role: role, AddedBy: by,
		CreatedAt: now, UpdatedAt: now}
	if err := tx.Create(membersTable, rec); err != nil {
		return fmt.Errorf("workspaces: add member: %w", err)
	}
	return nil
}

// checkEligible makes sure a membership of the tenant may become a member
// of a workspace with role: active, and staff (staff or admin), or a guest
// whose access runs (never as an owner). A membership of another tenant or
// none answers NotFound.
func checkEligible(tx *db.Tx, membershipID uuid.UUID, role Role, field string) error {
	var ms []struct {
		Role   string `gorm:"column:role"`
		Status string `gorm:"column:status"`
	}
	if err := tx.Table("memberships").Select("role, status").Where("id = ?", membershipID).Scan(&ms).Error; err != nil {
		return fmt.Errorf("workspaces: check membership: %w", err)
	}
	switch {
	case len(ms) == 0:
		if field == "" {
			return errNotFound()
		}
		return errs.InvalidField(field, errs.M("workspaces.person-does-not-exist", "Diese Person gibt es in diesem Mandanten nicht.", "This person does not exist in this tenant."))
	case ms[0].Status != tenant.StatusActive:
		return errs.New(errs.Conflict, errs.M("workspaces.member-deactivated", "Diese Person ist deaktiviert und kann nicht Mitglied eines Arbeitsraums werden.", "This person is deactivated and cannot become a member of a workspace."))
	case tenant.Role(ms[0].Role) == tenant.RolePartner:
		if role == Owner {
			return errs.New(errs.Conflict, errs.M("workspaces.guest-not-owner", "Gäste können Mitglied oder Lesende sein, aber nicht Eigentümer eines Arbeitsraums.", "Guests can be members or readers, but not owners of a workspace."))
		}
		g, err := tenant.GuestOf(tx, membershipID)
		if err != nil {
			return err
		}
		if g == nil || !g.ExpiresAt.After(db.Now()) {
			return errs.New(errs.Conflict, errs.M("workspaces.guest-expired", "Der Zugang dieses Gastes ist abgelaufen. Bitte ihn zuerst verlängern.", "This guest's access has run out. Please renew it first."))
		}
	case tenant.Role(ms[0].Role) != tenant.RoleStaff && tenant.Role(ms[0].Role) != tenant.RoleAdmin:
		return errs.New(errs.Conflict, errs.M("workspaces.member-not-staff", "Mitglied eines Arbeitsraums werden Beschäftigte und eingeladene Gäste; Ausschussmitglieder ohne Beschäftigtenrolle nicht.", "Staff and invited guests become members of a workspace; committee-only members do not."))
	}
	return nil
}

// memberOf returns the membership's row in the workspace (nil: none).
func memberOf(tx *db.Tx, workspaceID, membershipID uuid.UUID) (*memberRow, error) {
	var rows []memberRow
	if err := tx.Table(membersTable).Where("workspace_id = ? AND membership_id = ?", workspaceID, membershipID).Limit(1).Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("workspaces: read member: %w", err)
	}
	if len(rows) == 0 {
		return nil, nil
	}
	return &rows[0], nil
}

// keepsOwner refuses taking the owner role from m when m is the workspace's last owner.
func keepsOwner(tx *db.Tx, m *memberRow) error {
	if m.Role != Owner {
		return nil
	}
	var n int64
	if err := tx.Table(membersTable).Where("workspace_id = ? AND role = ?", m.WorkspaceID, string(Owner)).Count(&n).Error; err != nil {
		return fmt.Errorf("workspaces: count owners: %w", err)
	}
	if n <= 1 {
		return errs.New(errs.Conflict, errs.M("workspaces.last-owner", "Ein Arbeitsraum braucht mindestens eine Eigentümerin oder einen Eigentümer. Bitte zuerst eine andere Person zur Eigentümerin oder zum Eigentümer machen.", "A workspace needs at least one owner. Please make someone else an owner first."))
	}
	return nil
}

var errResponsible = errs.New(errs.Conflict, errs.M("workspaces.responsible-stays-writer",
	"Die verantwortliche Person muss Mitglied mit Schreibrecht bleiben. Bitte zuerst eine andere verantwortliche Person bestimmen.",
	"The responsible person must stay a member who writes. Please name another responsible person first."))

// ListMembers returns the workspace's members (whoever sees the workspace).
func (s *Service) ListMembers(ctx context.Context, a tenant.Actor, id uuid.UUID) ([]MemberInfo, error) {
	var out []MemberInfo
	err := s.run(ctx, a, func(tx *db.Tx) error {
		if _, err := loadScope(tx, a, id, false); err != nil {
			return err
		}
		var rows []struct {
			WorkspaceID  uuid.UUID `gorm:"column:workspace_id"`
			MembershipID uuid.UUID `gorm:"column:membership_id"`
			Role         Role      `gorm:"column:role"`
			AddedBy      uuid.UUID `gorm:"column:added_by"`
			CreatedAt    time.Time `gorm:"column:created_at"`
			UpdatedAt    time.Time `gorm:"column:updated_at"`
			DisplayName  string    `gorm:"column:display_name"`
			MRole        string    `gorm:"column:m_role"`
			Status       string    `gorm:"column:status"`
		}
		if err := tx.Raw(`SELECT wm.workspace_id, wm.membership_id, wm.role, wm.added_by, wm.created_at, wm.updated_at,
			u.display_name, m.role AS m_role, m.status FROM workspace_members wm
			JOIN memberships m ON m.tenant_id = wm.tenant_id AND m.id = wm.membership_id
			JOIN users u ON u.id = m.user_id
			WHERE wm.tenant_id = @tenant AND wm.workspace_id = ? ORDER BY wm.created_at, wm.membership_id LIMIT ?`, id, MaxMembers).Scan(&rows).Error; err != nil {
			return fmt.Errorf("workspaces: list members: %w", err)
		}
		out = make([]MemberInfo, len(rows))
		for i, r := range rows {
			out[i] = MemberInfo{WorkspaceID: r.WorkspaceID, MembershipID: r.MembershipID, Role: r.Role, AddedBy: r.AddedBy,
				CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt, DisplayName: r.DisplayName,
				Guest: tenant.Role(r.MRole) == tenant.RolePartner, Active: r.Status == tenant.StatusActive}
		}
		return nil
	})
	return out, err
}

// SetMember adds a member of the tenant to the workspace with role, or
// changes their role (owners and admins). The last owner keeps the owner
// role; the responsible person keeps writing.
func (s *Service) SetMember(ctx context.Context, a tenant.Actor, id, membershipID uuid.UUID, role Role) (*MemberInfo, error) {
	if !role.valid() {
		return nil, errs.InvalidField("role", errs.M("workspaces.unknown-role", "Unbekannte Rolle: erlaubt sind owner, member und reader.", "Unknown role: allowed are owner, member and reader."))
	}
	var out *MemberInfo
	err := s.run(ctx, a, func(tx *db.Tx) error {
		sc, err := loadScope(tx, a, id, true)
		if err != nil {
			return err
		}
		if err := sc.needManage(); err != nil {
			return err
		}
		if err := checkEligible(tx, membershipID, role, ""); err != nil {
			return err
		}
		if err := sc.needActive(); err != nil {
			return err
		}
		now := s.now()
		cur, err := memberOf(tx, id, membershipID)
		if err != nil {
			return err
		}
		switch {
		case cur == nil:
			if sc.w.MemberCount >= MaxMembers {
				return errs.New(errs.Conflict, errs.M("workspaces.too-many-members", "Ein Arbeitsraum hat höchstens 5000 Mitglieder.", "A workspace has at most 5000 members."))
			}
			if err := insertMember(tx, id, membershipID, role, a.MembershipID, now); err != nil {
				return err
			}
			if err := record(ctx, tx, a, ActionMemberAdded, id, map[string]string{"membership_id": membershipID.String(), "role": string(role)}); err != nil {
				return err
			}
			err = s.notifyAdded(ctx, tx, a, &sc.w.R, membershipID, role, now)
		case cur.Role == role:
			out = new(cur.info())
			return nil
		default:
			if role != Owner {
				if err := keepsOwner(tx, cur); err != nil {
					return err
				}
			}
			if role == Reader && membershipID == sc.w.R.ResponsibleID {
				return errResponsible
			}
			if _, err := exec(tx, "UPDATE workspace_members SET role = ?, updated_at = ? WHERE tenant_id = @tenant AND workspace_id = ? AND membership_id = ?",
				string(role), now, id, membershipID); err != nil {
				return err
			}
			err = record(ctx, tx, a, ActionRoleChanged, id, map[string]string{"membership_id": membershipID.String(), "role": string(role), "from": string(cur.Role)})
		}
		if err != nil {
			return err
		}
		m, err := memberOf(tx, id, membershipID)
		if err == nil && m != nil {
			out = new(m.info())
		}
		return err
	})
	return out, err
}

// RemoveMember takes a member out of the workspace: owners and admins any
// member, everyone themselves (leaving). The last owner and the
// responsible person cannot go.
func (s *Service) RemoveMember(ctx context.Context, a tenant.Actor, id, membershipID uuid.UUID) error {
	return s.run(ctx, a, func(tx *db.Tx) error {
		sc, err := loadScope(tx, a, id, true)
		if err != nil {
			return err
		}
		self := membershipID == a.MembershipID
		if !self {
			if err := sc.needManage(); err != nil {
				return err
			}
		}
		cur, err := memberOf(tx, id, membershipID)
		if err != nil {
			return err
		}
		if cur == nil {
			return errNotFound()
		}
		if err := sc.needActive(); err != nil {
			return err
		}
		if err := keepsOwner(tx, cur); err != nil {
			return err
		}
		if membershipID == sc.w.R.ResponsibleID {
			return errResponsible
		}
		if _, err := exec(tx, "DELETE FROM workspace_members WHERE tenant_id = @tenant AND workspace_id = ? AND membership_id = ?", id, membershipID); err != nil {
			return err
		}
		if self {
			return record(ctx, tx, a, ActionLeft, id, map[string]string{"membership_id": membershipID.String(), "role": string(cur.Role)})
		}
		return record(ctx, tx, a, ActionMemberGone, id, map[string]string{"membership_id": membershipID.String(), "role": string(cur.Role)})
	})
}

// Join makes the actor (staff) a member of an open, active workspace.
// Joining a workspace one belongs to already changes nothing.
func (s *Service) Join(ctx context.Context, a tenant.Actor, id uuid.UUID) (*Workspace, error) {
	var out *Workspace
	err := s.run(ctx, a, func(tx *db.Tx) error {
		sc, err := loadScope(tx, a, id, true)
		if err != nil {
			return err
		}
		if sc.role() == "" {
			if !isStaff(a) || a.MembershipID == uuid.Nil {
				return errForbidden()
			}
			if sc.w.R.Visibility != Open {
				return errs.New(errs.Forbidden, errs.M("workspaces.closed-ask-owner", "Diesem Arbeitsraum kann man nicht selbst beitreten. Bitte eine Eigentümerin oder einen Eigentümer um Aufnahme bitten.", "This workspace cannot be joined on one's own. Please ask an owner to add you."))
			}
			if err := sc.needActive(); err != nil {
				return err
			}
			if sc.w.MemberCount >= MaxMembers {
				return errs.New(errs.Conflict, errs.M("workspaces.too-many-members", "Ein Arbeitsraum hat höchstens 5000 Mitglieder.", "A workspace has at most 5000 members."))
			}
			if err := insertMember(tx, id, a.MembershipID, Member, a.MembershipID, s.now()); err != nil {
				return err
			}
			if err := record(ctx, tx, a, ActionJoined, id, map[string]string{"membership_id": a.MembershipID.String(), "role": string(Member)}); err != nil {
				return err
			}
			if sc, err = loadScope(tx, a, id, false); err != nil {
				return err
			}
		}
		out = sc.workspace()
		return nil
	})
	return out, err
}
