package tenant

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/google/uuid"
	"github.com/kollab/kollab/internal/audit"
	"github.com/kollab/kollab/internal/db"
	"github.com/kollab/kollab/internal/errs"
	"github.com/kollab/kollab/internal/input"
	"golang.org/x/text/cases"
	"golang.org/x/text/unicode/norm"
)

// MaxGroups bounds the groups of one tenant (and so every list of them).
const MaxGroups = 1000

// MaxGroupDescription bounds a group's description (bytes).
const MaxGroupDescription = 2000

// Group is a named set of members, used to grant permissions.
type Group struct {
	TenantID    uuid.UUID `gorm:"column:tenant_id;primaryKey"`
	ID          uuid.UUID `gorm:"column:id;primaryKey"`
	Name        string    `gorm:"column:name"`
	NameKey     string    `gorm:"column:name_key"` // written, never read (see groupColumns)
	Description string    `gorm:"column:description"`
	CreatedAt   time.Time `gorm:"column:created_at"`
	UpdatedAt   time.Time `gorm:"column:updated_at"`
	// MemberCount is filled by listings.
	MemberCount int64 `gorm:"column:member_count;->"`
	// GrantCount is filled by Group: the permission entries that name the
	// group (see GroupGrantCounter).
	GrantCount int64 `gorm:"-"`
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

// GroupGrantCounter counts, in the tenant's transaction tx, the permission
// entries of other modules that name the group (a folder's permissions in
// the documents module). They go with the group when it is deleted.
type GroupGrantCounter func(tx *db.Tx, groupID uuid.UUID) (int64, error)

// groupKey is the form in which two spellings of a group name compare
// equal: NFC, Unicode full case folding ("Straße" and "STRASSE" are one
// name). It is stored in groups.name_key, unique per tenant.
func groupKey(name string) string {
	return norm.NFC.String(cases.Fold().String(norm.NFC.String(name)))
}

var errGroupExists = errs.New(errs.Conflict, errs.M("tenant.group-name-exists-already", "Eine Gruppe mit diesem Namen existiert bereits.", "A group with this name exists already."))

// checkGroupName refuses a name that another group of the tenant (not
// except) already has, compared by groupKey. It compares the stored names
// themselves rather than the stored keys, so that a key written by an
// older rule (SQLite's ASCII-only lower() in migration 00019) cannot hide
// a duplicate. The unique index on (tenant_id, name_key) catches two
// concurrent writes of the same name.
func checkGroupName(tx *db.Tx, key string, except uuid.UUID) error {
	var rows []struct {
		ID   uuid.UUID `gorm:"column:id"`
		Name string    `gorm:"column:name"`
	}
	if err := tx.Table(groupsTable).Select("id, name").Order("id").Limit(MaxGroups + 1).Scan(&rows).Error; err != nil {
		return fmt.Errorf("tenant: group names: %w", err)
	}
	for _, r := range rows {
		if r.ID != except && groupKey(r.Name) == key {
			return errGroupExists
		}
	}
	return nil
}

func validateGroupDescription(d string) error {
	if len(d) > MaxGroupDescription {
		return errs.InvalidField("description", errs.M("tenant.description-may-most-2000-characters", "Die Beschreibung darf höchstens 2000 Zeichen lang sein.", "The description may be at most 2000 characters long."))
	}
	if input.CheckText(d) != nil {
		return errs.InvalidField("description", errs.M("tenant.description-control-characters", "Die Beschreibung enthält unzulässige Steuerzeichen.", "The description contains control characters that are not allowed."))
	}
	return nil
}

// CreateGroup creates a group. Its name must differ from every other
// group's of the tenant, compared regardless of case and Unicode form.
func (s *Service) CreateGroup(ctx context.Context, a Actor, name, description string) (*Group, error) {
	if err := a.requireAdmin(); err != nil {
		return nil, err
	}
	tenantID := a.TenantID
	name, err := validateName("name", name)
	if err != nil {
		return nil, err
	}
	if err := validateGroupDescription(description); err != nil {
		return nil, err
	}
	now := db.Now()
	g := &Group{TenantID: tenantID, ID: db.NewID(), Name: name, NameKey: groupKey(name), Description: description, CreatedAt: now, UpdatedAt: now}
	err = a.Run(ctx, s.db, func(tx *db.Tx) error {
		var n int64
		if err := tx.Table(groupsTable).Count(&n).Error; err != nil {
			return err
		}
		if n >= MaxGroups {
			return errs.New(errs.Conflict, errs.M("tenant.most-1000-groups-possible", "Es sind höchstens 1000 Gruppen möglich. Bitte zuerst eine nicht mehr benötigte Gruppe löschen.", "At most 1000 groups are possible. Please delete a group that is no longer needed first."))
		}
		if err := checkGroupName(tx, g.NameKey, uuid.Nil); err != nil {
			return err
		}
		if err := tx.Create(groupsTable, g); err != nil {
			if db.IsUniqueViolation(err) {
				return errGroupExists
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

// UpdateGroup renames a group or changes its description (nil: unchanged).
func (s *Service) UpdateGroup(ctx context.Context, a Actor, groupID uuid.UUID, name, description *string) (*Group, error) {
	if err := a.requireAdmin(); err != nil {
		return nil, err
	}
	set := map[string]any{}
	if name != nil {
		n, err := validateName("name", *name)
		if err != nil {
			return nil, err
		}
		set["name"], set["name_key"] = n, groupKey(n)
	}
	if description != nil {
		if err := validateGroupDescription(*description); err != nil {
			return nil, err
		}
		set["description"] = *description
	}
	if len(set) == 0 {
		return nil, errs.InvalidField("name", errs.M("tenant.give-name-description", "Bitte name oder description angeben.", "Please give name or description."))
	}
	var out *Group
	err := a.Run(ctx, s.db, func(tx *db.Tx) error {
		old, err := getGroup(tx, groupID)
		if err != nil {
			return err
		}
		details := map[string]string{}
		if name != nil && set["name"] != old.Name {
			if err := checkGroupName(tx, set["name_key"].(string), groupID); err != nil {
				return err
			}
			details["from"], details["to"] = old.Name, set["name"].(string)
		} else {
			delete(set, "name")
			delete(set, "name_key")
		}
		if description != nil && *description != old.Description {
			details["description"] = "changed"
		} else {
			delete(set, "description")
		}
		if len(set) == 0 {
			out = old
			return nil // nothing changes: no write, no audit entry
		}
		set["updated_at"] = db.Now()
		if err := tx.Table(groupsTable).Where("id = ?", groupID).Updates(set).Error; err != nil {
			if db.IsUniqueViolation(err) {
				return errGroupExists
			}
			return fmt.Errorf("tenant: update group: %w", err)
		}
		if _, err := audit.Append(ctx, tx, audit.Entry{Action: audit.ActionGroupUpdated, TargetType: "group", TargetID: groupID.String(),
			Details: details}); err != nil {
			return err
		}
		out, err = getGroup(tx, groupID)
		return err
	})
	return out, err
}

// groupColumns are a group's columns (not its key, which only the
// database compares) with its member count.
const groupColumns = `groups.tenant_id, groups.id, groups.name, groups.description, groups.created_at, groups.updated_at,
	(SELECT count(*) FROM group_members gm WHERE gm.tenant_id = groups.tenant_id AND gm.group_id = groups.id) AS member_count`

func getGroup(tx *db.Tx, groupID uuid.UUID) (*Group, error) {
	var gs []Group
	if err := tx.Table(groupsTable).Select(groupColumns).Where("groups.id = ?", groupID).Limit(1).Scan(&gs).Error; err != nil {
		return nil, fmt.Errorf("tenant: group: %w", err)
	}
	if len(gs) == 0 {
		return nil, errs.Plain(errs.NotFound)
	}
	return &gs[0], nil
}

// Group returns one group with its member count and the number of
// permission entries that name it (WithGroupGrants; 0 when not set).
func (s *Service) Group(ctx context.Context, a Actor, groupID uuid.UUID) (*Group, error) {
	if err := a.requireAdmin(); err != nil {
		return nil, err
	}
	var out *Group
	err := a.Run(ctx, s.db, func(tx *db.Tx) error {
		g, err := getGroup(tx, groupID)
		if err != nil {
			return err
		}
		if s.groupGrants != nil {
			if g.GrantCount, err = s.groupGrants(tx, groupID); err != nil {
				return err
			}
		}
		out = g
		return nil
	})
	return out, err
}

// ListGroups returns the tenant's groups (at most MaxGroups) with member counts.
func (s *Service) ListGroups(ctx context.Context, a Actor) ([]Group, error) {
	if err := a.requireAdmin(); err != nil {
		return nil, err
	}
	var out []Group
	err := a.Run(ctx, s.db, func(tx *db.Tx) error {
		return tx.Table(groupsTable).Select(groupColumns).Order("groups.name_key, groups.id").Limit(MaxGroups).Scan(&out).Error
	})
	return out, err
}

// DeleteGroup removes a group, its memberships and every permission entry
// that names it (the foreign keys cascade). Members keep whatever access
// they have otherwise (their role, their own entries, other groups). The
// audit entry records the name and what went with the group.
func (s *Service) DeleteGroup(ctx context.Context, a Actor, groupID uuid.UUID) error {
	if err := a.requireAdmin(); err != nil {
		return err
	}
	return a.Run(ctx, s.db, func(tx *db.Tx) error {
		g, err := getGroup(tx, groupID)
		if err != nil {
			return err
		}
		details := map[string]string{"name": g.Name, "members": strconv.FormatInt(g.MemberCount, 10)}
		if s.groupGrants != nil {
			n, err := s.groupGrants(tx, groupID)
			if err != nil {
				return err
			}
			details["grants_removed"] = strconv.FormatInt(n, 10)
		}
		res := tx.Table(groupsTable).Where("id = ?", groupID).Delete(&Group{})
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return errs.Plain(errs.NotFound)
		}
		_, err = audit.Append(ctx, tx, audit.Entry{Action: audit.ActionGroupDeleted, TargetType: "group", TargetID: groupID.String(), Details: details})
		return err
	})
}

// GroupMembers lists the members of a group (at most MaxPage*5; the admin
// console pages through ListMembers with MemberFilter.Group).
func (s *Service) GroupMembers(ctx context.Context, a Actor, groupID uuid.UUID) ([]Member, error) {
	if err := a.requireAdmin(); err != nil {
		return nil, err
	}
	var out []Member
	err := a.Run(ctx, s.db, func(tx *db.Tx) error {
		if _, err := getGroup(tx, groupID); err != nil {
			return err
		}
		return memberQuery(tx).
			Joins("JOIN group_members gm ON gm.tenant_id = memberships.tenant_id AND gm.membership_id = memberships.id").
			Where("gm.group_id = ?", groupID).Order("u.email").Limit(MaxPage * 5).Scan(&out).Error
	})
	return out, err
}

// SetGroupMember adds (in=true) or removes a member from a group. Both ids
// must belong to the tenant; the composite foreign keys enforce it too.
func (s *Service) SetGroupMember(ctx context.Context, a Actor, groupID, membershipID uuid.UUID, in bool) error {
	if err := a.requireAdmin(); err != nil {
		return err
	}
	tenantID := a.TenantID
	return a.Run(ctx, s.db, func(tx *db.Tx) error {
		g, err := getGroup(tx, groupID)
		if err != nil {
			return err
		}
		m, err := getMember(tx, membershipID)
		if err != nil {
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
		_, err = audit.Append(ctx, tx, audit.Entry{Action: action, TargetType: "group", TargetID: groupID.String(),
			Details: map[string]string{"membership_id": membershipID.String(), "group": g.Name, "email": m.Email}})
		return err
	})
}
