package tenant

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/kollab/kollab/audit"
	"github.com/kollab/kollab/db"
	"github.com/kollab/kollab/errs"
)

// Group is a named set of members, used to grant permissions.
type Group struct {
	TenantID    uuid.UUID `gorm:"column:tenant_id;primaryKey"`
	ID          uuid.UUID `gorm:"column:id;primaryKey"`
	Name        string    `gorm:"column:name"`
	Description string    `gorm:"column:description"`
	CreatedAt   time.Time `gorm:"column:created_at"`
	UpdatedAt   time.Time `gorm:"column:updated_at"`
	// MemberCount is filled by listings.
	MemberCount int64 `gorm:"column:member_count;->"`
}

// OwnerTenant implements db.TenantOwned.
func (g *Group) OwnerTenant() uuid.UUID { return g.TenantID }

type groupMember struct {
	TenantID     uuid.UUID `gorm:"column:tenant_id"`
	GroupID      uuid.UUID `gorm:"column:group_id"`
	MembershipID uuid.UUID `gorm:"column:membership_id"`
	CreatedAt    time.Time `gorm:"column:created_at"`
}

func (g *groupMember) OwnerTenant() uuid.UUID { return g.TenantID }

// CreateGroup creates a group.
func (s *Service) CreateGroup(ctx context.Context, tenantID uuid.UUID, name, description string) (*Group, error) {
	name, err := validateName("name", name)
	if err != nil {
		return nil, err
	}
	if len(description) > 2000 {
		return nil, errs.InvalidField("description", "Die Beschreibung darf höchstens 2000 Zeichen lang sein.")
	}
	now := db.Now()
	g := &Group{TenantID: tenantID, ID: db.NewID(), Name: name, Description: description, CreatedAt: now, UpdatedAt: now}
	err = s.db.Tenant(ctx, tenantID, func(tx *db.Tx) error {
		if err := tx.Create(groupsTable, g); err != nil {
			if db.IsUniqueViolation(err) {
				return errs.New(errs.Conflict, "Eine Gruppe mit diesem Namen existiert bereits.")
			}
			return fmt.Errorf("tenant: create group: %w", err)
		}
		_, err := audit.Append(ctx, tx, audit.Entry{Action: audit.ActionGroupCreated, TargetType: "group", TargetID: g.ID.String(),
			Details: map[string]string{"name": name}})
		return err
	})
	if err != nil {
		return nil, err
	}
	return g, nil
}

// ListGroups returns the tenant's groups with member counts.
func (s *Service) ListGroups(ctx context.Context, tenantID uuid.UUID) ([]Group, error) {
	var out []Group
	err := s.db.Tenant(ctx, tenantID, func(tx *db.Tx) error {
		return tx.Table(groupsTable).
			Select(`groups.*, (SELECT count(*) FROM group_members gm WHERE gm.tenant_id = groups.tenant_id AND gm.group_id = groups.id) AS member_count`).
			Order("name").Limit(1000).Scan(&out).Error
	})
	return out, err
}

// DeleteGroup removes a group and its memberships.
func (s *Service) DeleteGroup(ctx context.Context, tenantID, groupID uuid.UUID) error {
	return s.db.Tenant(ctx, tenantID, func(tx *db.Tx) error {
		res := tx.Table(groupsTable).Where("id = ?", groupID).Delete(&Group{})
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return errs.New(errs.NotFound, "")
		}
		_, err := audit.Append(ctx, tx, audit.Entry{Action: audit.ActionGroupDeleted, TargetType: "group", TargetID: groupID.String()})
		return err
	})
}

// GroupMembers lists the members of a group.
func (s *Service) GroupMembers(ctx context.Context, tenantID, groupID uuid.UUID) ([]Member, error) {
	var out []Member
	err := s.db.Tenant(ctx, tenantID, func(tx *db.Tx) error {
		var n int64
		if err := tx.Table(groupsTable).Where("id = ?", groupID).Count(&n).Error; err != nil {
			return err
		}
		if n == 0 {
			return errs.New(errs.NotFound, "")
		}
		return memberQuery(tx).
			Joins("JOIN group_members gm ON gm.tenant_id = memberships.tenant_id AND gm.membership_id = memberships.id").
			Where("gm.group_id = ?", groupID).Order("u.email").Limit(MaxPage * 5).Scan(&out).Error
	})
	return out, err
}

// SetGroupMember adds (in=true) or removes a member from a group. Both ids
// must belong to the tenant; the composite foreign keys enforce it too.
func (s *Service) SetGroupMember(ctx context.Context, tenantID, groupID, membershipID uuid.UUID, in bool) error {
	return s.db.Tenant(ctx, tenantID, func(tx *db.Tx) error {
		var n int64
		if err := tx.Table(groupsTable).Where("id = ?", groupID).Count(&n).Error; err != nil {
			return err
		}
		if n == 0 {
			return errs.New(errs.NotFound, "")
		}
		if _, err := getMember(tx, membershipID); err != nil {
			return err
		}
		action := audit.ActionGroupMemberRemoved
		if in {
			action = audit.ActionGroupMemberAdded
			var have int64
			if err := tx.Table(groupMembersTable).Where("group_id = ? AND membership_id = ?", groupID, membershipID).Count(&have).Error; err != nil {
				return err
			}
			if have > 0 {
				return nil // already in: idempotent
			}
			gm := &groupMember{TenantID: tenantID, GroupID: groupID, MembershipID: membershipID, CreatedAt: db.Now()}
			if err := tx.Create(groupMembersTable, gm); err != nil {
				return err
			}
		} else {
			res := tx.Table(groupMembersTable).Where("group_id = ? AND membership_id = ?", groupID, membershipID).Delete(&groupMember{})
			if res.Error != nil {
				return res.Error
			}
			if res.RowsAffected == 0 {
				return nil
			}
		}
		_, err := audit.Append(ctx, tx, audit.Entry{Action: action, TargetType: "group", TargetID: groupID.String(),
			Details: map[string]string{"membership_id": membershipID.String()}})
		return err
	})
}
