package documents

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/kollab/kollab/internal/db"
	"github.com/kollab/kollab/internal/errs"
	"github.com/kollab/kollab/tenant"
)

// aclRecord is a row of folder_acl.
type aclRecord struct {
	TenantID      uuid.UUID     `gorm:"column:tenant_id"`
	ID            uuid.UUID     `gorm:"column:id"`
	FolderID      uuid.UUID     `gorm:"column:folder_id"`
	PrincipalType PrincipalType `gorm:"column:principal_type"`
	Role          *string       `gorm:"column:role"`
	GroupID       *uuid.UUID    `gorm:"column:group_id"`
	MembershipID  *uuid.UUID    `gorm:"column:membership_id"`
	Level         Level         `gorm:"column:level"`
	CreatedAt     time.Time     `gorm:"column:created_at"`
	CreatedBy     uuid.UUID     `gorm:"column:created_by"`
}

// OwnerTenant implements db.TenantOwned.
func (r *aclRecord) OwnerTenant() uuid.UUID { return r.TenantID }

func (r *aclRecord) principal() Principal {
	p := Principal{Type: r.PrincipalType}
	switch {
	case r.Role != nil:
		p.Role = tenant.Role(*r.Role)
	case r.GroupID != nil:
		p.GroupID = *r.GroupID
	case r.MembershipID != nil:
		p.MembershipID = *r.MembershipID
	}
	return p
}

// principalCond selects the entry of principal p in folder_acl.
func principalCond(p Principal) (string, any) {
	switch p.Type {
	case PrincipalRole:
		return "principal_type = 'role' AND role = ?", string(p.Role)
	case PrincipalGroup:
		return "principal_type = 'group' AND group_id = ?", p.GroupID
	}
	return "principal_type = 'user' AND membership_id = ?", p.MembershipID
}

// checkPrincipal makes sure a group or membership belongs to the tenant;
// another tenant's id is unknown here, like a missing one.
func checkPrincipal(tx *db.Tx, p Principal) error {
	table, id := "", uuid.Nil
	switch p.Type {
	case PrincipalGroup:
		table, id = "groups", p.GroupID
	case PrincipalUser:
		table, id = "memberships", p.MembershipID
	default:
		return nil
	}
	var n int64
	if err := tx.Table(table).Where("id = ?", id).Count(&n).Error; err != nil {
		return fmt.Errorf("documents: check principal: %w", err)
	}
	if n == 0 {
		return errs.InvalidField("principal", errs.M("documents.group-person-does-not-exist", "Diese Gruppe oder Person gibt es in diesem Mandanten nicht.", "This group or person does not exist in this tenant."))
	}
	return nil
}

// keepsManage refuses a change that would leave a non-admin actor without
// manage permission on the folder they are administering.
func keepsManage(tx *db.Tx, a tenant.Actor, folderID uuid.UUID) error {
	if a.IsAdmin() {
		return nil
	}
	f, err := loadFolder(tx, a, folderID, anyState)
	if err == nil && f.Access >= Manage {
		return nil
	}
	if err != nil && !errs.Is(err, errs.NotFound) {
		return err
	}
	return errs.New(errs.Conflict, errs.M("documents.change-would-lose-own-manage", "Mit dieser Änderung verlören Sie selbst die Verwaltungsberechtigung für den Ordner. Bitte berechtigen Sie sich zuerst selbst.", "With this change you would lose your own manage permission on the folder. Please grant yourself access first."))
}

// SetPermission grants principal p the level on a live folder, replacing
// the principal's previous entry there (manage permission).
func (s *Service) SetPermission(ctx context.Context, a tenant.Actor, folderID uuid.UUID, p Principal, level Level) (*ACLEntry, error) {
	if err := p.validate(); err != nil {
		return nil, err
	}
	if level < Read || level > Manage {
		return nil, errs.InvalidField("level", errs.M("documents.unknown-permission-level", "Unbekannte Berechtigungsstufe: erlaubt sind read, write und manage.", "Unknown permission level: allowed are read, write and manage."))
	}
	var out *ACLEntry
	err := s.run(ctx, a, func(tx *db.Tx) error {
		f, err := loadFolder(tx, a, folderID, live)
		if err != nil {
			return err
		}
		if err := need(f.Access, Manage); err != nil {
			return err
		}
		if err := refuseOwnedACL(tx, folderID); err != nil {
			return err
		}
		if err := checkPrincipal(tx, p); err != nil {
			return err
		}
		cond, arg := principalCond(p)
		if _, err := exec(tx, "DELETE FROM folder_acl WHERE tenant_id = @tenant AND folder_id = ? AND "+cond, folderID, arg); err != nil {
			return err
		}
		rec := &aclRecord{TenantID: a.TenantID, ID: db.NewID(), FolderID: folderID, PrincipalType: p.Type,
			Level: level, CreatedAt: s.now(), CreatedBy: a.MembershipID}
		switch p.Type {
		case PrincipalRole:
			r := string(p.Role)
			rec.Role = &r
		case PrincipalGroup:
			rec.GroupID = &p.GroupID
		case PrincipalUser:
			rec.MembershipID = &p.MembershipID
		}
		if err := tx.Create(aclTable, rec); err != nil {
			if db.IsUniqueViolation(err) {
				return errs.New(errs.Conflict, errs.M("documents.permissions-were-changed-same-time", "Die Berechtigungen wurden gerade gleichzeitig geändert. Bitte erneut versuchen.", "The permissions were changed at the same time. Please try again."))
			}
			return fmt.Errorf("documents: grant: %w", err)
		}
		if err := keepsManage(tx, a, folderID); err != nil {
			return err
		}
		out = &ACLEntry{ID: rec.ID, Principal: p, Level: level, SourceFolderID: folderID, CreatedAt: rec.CreatedAt, CreatedBy: rec.CreatedBy}
		return record(ctx, tx, a, ActionFolderACLChanged, "folder", folderID, principalDetails(p, level))
	})
	return out, err
}

// RemovePermission deletes principal p's own entry on a live folder
// (manage permission). Removing an entry that does not exist does nothing.
func (s *Service) RemovePermission(ctx context.Context, a tenant.Actor, folderID uuid.UUID, p Principal) error {
	if err := p.validate(); err != nil {
		return err
	}
	return s.run(ctx, a, func(tx *db.Tx) error {
		f, err := loadFolder(tx, a, folderID, live)
		if err != nil {
			return err
		}
		if err := need(f.Access, Manage); err != nil {
			return err
		}
		if err := refuseOwnedACL(tx, folderID); err != nil {
			return err
		}
		cond, arg := principalCond(p)
		n, err := exec(tx, "DELETE FROM folder_acl WHERE tenant_id = @tenant AND folder_id = ? AND "+cond, folderID, arg)
		if err != nil || n == 0 {
			return err
		}
		if err := keepsManage(tx, a, folderID); err != nil {
			return err
		}
		return record(ctx, tx, a, ActionFolderACLChanged, "folder", folderID, principalDetails(p, None))
	})
}

func principalDetails(p Principal, level Level) map[string]string {
	d := map[string]string{"principal_type": string(p.Type), "level": level.String()}
	switch p.Type {
	case PrincipalRole:
		d["role"] = string(p.Role)
	case PrincipalGroup:
		d["group_id"] = p.GroupID.String()
	case PrincipalUser:
		d["membership_id"] = p.MembershipID.String()
	}
	return d
}

// SetInheritance lets a live folder inherit its parent's permissions
// (inherit=true) or breaks inheritance so that only its own entries apply
// to it and below. When breaking, copyInherited first copies the entries
// inherited so far onto the folder, so nobody loses access by surprise.
// Manage permission; a non-admin cannot lock themselves out.
func (s *Service) SetInheritance(ctx context.Context, a tenant.Actor, folderID uuid.UUID, inherit, copyInherited bool) (*FolderACL, error) {
	var out *FolderACL
	err := s.run(ctx, a, func(tx *db.Tx) error {
		if err := lockTree(tx); err != nil {
			return err
		}
		f, err := loadFolder(tx, a, folderID, live)
		if err != nil {
			return err
		}
		if err := need(f.Access, Manage); err != nil {
			return err
		}
		if err := refuseOwnedACL(tx, folderID); err != nil {
			return err
		}
		if f.InheritACL != inherit {
			if !inherit && copyInherited {
				if err := copyInheritedEntries(tx, a, folderID, s.now()); err != nil {
					return err
				}
			}
			if err := tx.Table(foldersTable).Where("id = ?", folderID).
				Updates(map[string]any{"inherit_acl": inherit, "updated_at": s.now()}).Error; err != nil {
				return fmt.Errorf("documents: set inheritance: %w", err)
			}
			if err := rebuildScope(tx, folderID); err != nil {
				return err
			}
			if err := keepsManage(tx, a, folderID); err != nil {
				return err
			}
			if err := record(ctx, tx, a, ActionFolderInheritance, "folder", folderID,
				map[string]string{"inherit": fmt.Sprint(inherit), "copied": fmt.Sprint(!inherit && copyInherited)}); err != nil {
				return err
			}
		}
		out, err = folderACL(tx, folderID)
		return err
	})
	return out, err
}

// copyInheritedEntries gives the folder its own copy of every entry it
// inherits, keeping the higher level where it already has one.
func copyInheritedEntries(tx *db.Tx, a tenant.Actor, folderID uuid.UUID, now time.Time) error {
	acl, err := folderACL(tx, folderID)
	if err != nil {
		return err
	}
	best := map[string]ACLEntry{}
	for _, e := range acl.Entries {
		k := principalKey(e.Principal)
		if cur, ok := best[k]; !ok || e.Level > cur.Level {
			best[k] = e
		}
	}
	keys := make([]string, 0, len(best))
	for k := range best {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		e := best[k]
		if !e.Inherited {
			continue
		}
		cond, arg := principalCond(e.Principal)
		if _, err := exec(tx, "DELETE FROM folder_acl WHERE tenant_id = @tenant AND folder_id = ? AND "+cond, folderID, arg); err != nil {
			return err
		}
		rec := &aclRecord{TenantID: a.TenantID, ID: db.NewID(), FolderID: folderID, PrincipalType: e.Principal.Type,
			Level: e.Level, CreatedAt: now, CreatedBy: a.MembershipID}
		switch e.Principal.Type {
		case PrincipalRole:
			r := string(e.Principal.Role)
			rec.Role = &r
		case PrincipalGroup:
			g := e.Principal.GroupID
			rec.GroupID = &g
		case PrincipalUser:
			m := e.Principal.MembershipID
			rec.MembershipID = &m
		}
		if err := tx.Create(aclTable, rec); err != nil {
			return fmt.Errorf("documents: copy entry: %w", err)
		}
	}
	return nil
}

func principalKey(p Principal) string {
	switch p.Type {
	case PrincipalRole:
		return "role:" + string(p.Role)
	case PrincipalGroup:
		return "group:" + p.GroupID.String()
	}
	return "user:" + p.MembershipID.String()
}

// Permissions returns a live folder's inheritance flag and every entry that
// applies to it, its own and inherited (manage permission).
func (s *Service) Permissions(ctx context.Context, a tenant.Actor, folderID uuid.UUID) (*FolderACL, error) {
	var out *FolderACL
	err := s.run(ctx, a, func(tx *db.Tx) error {
		f, err := loadFolder(tx, a, folderID, live)
		if err != nil {
			return err
		}
		if err := need(f.Access, Manage); err != nil {
			return err
		}
		out, err = folderACL(tx, folderID)
		return err
	})
	return out, err
}

// folderACL reads the entries in a folder's scope, own entries first.
func folderACL(tx *db.Tx, folderID uuid.UUID) (*FolderACL, error) {
	var inherit []bool
	if err := tx.Table(foldersTable).Where("id = ?", folderID).Pluck("inherit_acl", &inherit).Error; err != nil {
		return nil, fmt.Errorf("documents: read folder: %w", err)
	}
	if len(inherit) == 0 {
		return nil, errNotFound()
	}
	var recs []aclRecord
	err := tx.Table(aclTable).Select("folder_acl.*").
		Joins("JOIN folder_acl_scope s ON s.tenant_id = folder_acl.tenant_id AND s.source_id = folder_acl.folder_id").
		Where("s.folder_id = ?", folderID).Scan(&recs).Error
	if err != nil {
		return nil, fmt.Errorf("documents: read entries: %w", err)
	}
	var grants []struct {
		ID       uuid.UUID `gorm:"column:id"`
		Name     string    `gorm:"column:name"`
		SourceID uuid.UUID `gorm:"column:source_id"`
	}
	if err := tx.Table(scopeTable).Select("c.id, c.name, folder_acl_scope.source_id").
		Joins("JOIN committees c ON c.tenant_id = folder_acl_scope.tenant_id AND c.filing_folder_id = folder_acl_scope.source_id").
		Where("folder_acl_scope.folder_id = ?", folderID).Order("c.name, c.id").Limit(MaxPage).Scan(&grants).Error; err != nil {
		return nil, fmt.Errorf("documents: read committee grants: %w", err)
	}
	out := &FolderACL{FolderID: folderID, InheritACL: inherit[0], Entries: make([]ACLEntry, len(recs)), Committees: []CommitteeGrant{}}
	for _, g := range grants {
		out.Committees = append(out.Committees, CommitteeGrant{CommitteeID: g.ID, CommitteeName: g.Name, SourceFolderID: g.SourceID,
			Inherited: g.SourceID != folderID})
	}
	if out.Workspaces, err = workspaceGrants(tx, folderID); err != nil {
		return nil, err
	}
	for i, r := range recs {
		out.Entries[i] = ACLEntry{ID: r.ID, Principal: r.principal(), Level: r.Level, SourceFolderID: r.FolderID,
			Inherited: r.FolderID != folderID, CreatedAt: r.CreatedAt, CreatedBy: r.CreatedBy}
	}
	slices.SortFunc(out.Entries, func(x, y ACLEntry) int {
		if x.Inherited != y.Inherited {
			if x.Inherited {
				return 1
			}
			return -1
		}
		if c := strings.Compare(principalKey(x.Principal), principalKey(y.Principal)); c != 0 {
			return c
		}
		return strings.Compare(x.SourceFolderID.String(), y.SourceFolderID.String())
	})
	return out, nil
}
