package workspaces

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/kollab/kollab/documents"
	"github.com/kollab/kollab/internal/db"
	"github.com/kollab/kollab/internal/errs"
	"github.com/kollab/kollab/tenant"
)

// row is a row of workspaces.
type row struct {
	TenantID      uuid.UUID  `gorm:"column:tenant_id"`
	ID            uuid.UUID  `gorm:"column:id"`
	Name          string     `gorm:"column:name"`
	NameKey       string     `gorm:"column:name_key"`
	Purpose       string     `gorm:"column:purpose"`
	FileNumber    string     `gorm:"column:file_number"`
	StartsOn      *string    `gorm:"column:starts_on"`
	EndsOn        *string    `gorm:"column:ends_on"`
	ResponsibleID uuid.UUID  `gorm:"column:responsible_id"`
	Visibility    Visibility `gorm:"column:visibility"`
	State         State      `gorm:"column:state"`
	ArchivedAt    *time.Time `gorm:"column:archived_at"`
	ArchivedBy    *uuid.UUID `gorm:"column:archived_by"`
	FolderID      *uuid.UUID `gorm:"column:folder_id"`
	Version       int64      `gorm:"column:version"`
	CreatedAt     time.Time  `gorm:"column:created_at"`
	CreatedBy     uuid.UUID  `gorm:"column:created_by"`
	UpdatedAt     time.Time  `gorm:"column:updated_at"`
}

// OwnerTenant implements db.TenantOwned.
func (r *row) OwnerTenant() uuid.UUID { return r.TenantID }

// viewRow is a workspace as read for a caller.
type viewRow struct {
	R           row     `gorm:"embedded"`
	MyRole      *string `gorm:"column:my_role"`
	MemberCount int64   `gorm:"column:member_count"`
}

// viewSelect reads workspaces w with the caller's role (the one argument:
// the caller's membership) and the member count.
const viewSelect = `SELECT w.*,
	(SELECT wm.role FROM workspace_members wm WHERE wm.tenant_id = @tenant AND wm.workspace_id = w.id AND wm.membership_id = ?) AS my_role,
	(SELECT COUNT(*) FROM workspace_members mc WHERE mc.tenant_id = @tenant AND mc.workspace_id = w.id) AS member_count
	FROM workspaces w WHERE w.tenant_id = @tenant`

// scope is a workspace loaded for an actor.
type scope struct {
	a tenant.Actor
	w viewRow
}

func (sc *scope) role() Role {
	if sc.w.MyRole == nil {
		return ""
	}
	return Role(*sc.w.MyRole)
}

func (sc *scope) canManage() bool { return sc.a.IsAdmin() || sc.role() == Owner }

func (sc *scope) needManage() error {
	if !sc.canManage() {
		return errForbidden()
	}
	return nil
}

// needActive refuses every change of an archived workspace.
func (sc *scope) needActive() error {
	if sc.w.R.State == Archived {
		return errArchived()
	}
	return nil
}

func (sc *scope) workspace() *Workspace {
	w := &sc.w.R
	out := &Workspace{ID: w.ID, Name: w.Name, Purpose: w.Purpose, FileNumber: w.FileNumber, ResponsibleID: w.ResponsibleID,
		Visibility: w.Visibility, State: w.State, ArchivedAt: w.ArchivedAt, ArchivedBy: w.ArchivedBy, FolderID: w.FolderID,
		Version: w.Version, CreatedAt: w.CreatedAt, CreatedBy: w.CreatedBy, UpdatedAt: w.UpdatedAt, MyRole: sc.role(),
		MemberCount: sc.w.MemberCount, CanManage: sc.canManage()}
	if w.StartsOn != nil {
		out.StartsOn = *w.StartsOn
	}
	if w.EndsOn != nil {
		out.EndsOn = *w.EndsOn
	}
	return out
}

// visible reports whether the actor sees the workspace: its members and
// admins always, staff an open one (the directory).
func (sc *scope) visible() bool {
	return sc.a.IsAdmin() || sc.role() != "" || (sc.w.R.Visibility == Open && isStaff(sc.a))
}

// loadScope reads the workspace id for the actor, locking its row
// (PostgreSQL) when lock is set: every change of a workspace and its
// members holds that lock, so that two changes cannot both remove "the
// other" owner. A workspace the actor does not see answers NotFound,
// like one of another tenant or none.
func loadScope(tx *db.Tx, a tenant.Actor, id uuid.UUID, lock bool) (*scope, error) {
	if lock {
		var ids []uuid.UUID
		if err := tx.Raw(forUpdate(tx, "SELECT id FROM workspaces WHERE tenant_id = @tenant AND id = ?"), id).Scan(&ids).Error; err != nil {
			return nil, fmt.Errorf("workspaces: lock workspace: %w", err)
		}
		if len(ids) == 0 {
			return nil, errNotFound()
		}
	}
	var rows []viewRow
	if err := tx.Raw(viewSelect+" AND w.id = ?", a.MembershipID, id).Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("workspaces: load workspace: %w", err)
	}
	if len(rows) == 0 {
		return nil, errNotFound()
	}
	sc := &scope{a: a, w: rows[0]}
	if !sc.visible() {
		return nil, errNotFound()
	}
	return sc, nil
}

var errNameTaken = errs.New(errs.Conflict, errs.M("workspaces.name-exists-already", "Einen Arbeitsraum mit diesem Namen gibt es bereits.", "A workspace with this name exists already."))

// checkName refuses a name key another workspace of the tenant (not except) has.
func checkName(tx *db.Tx, key string, except uuid.UUID) error {
	var n int64
	if err := tx.Table(workspacesTable).Where("name_key = ? AND id <> ?", key, except).Count(&n).Error; err != nil {
		return fmt.Errorf("workspaces: check name: %w", err)
	}
	if n > 0 {
		return errNameTaken
	}
	return nil
}

func nameConflict(err error) error {
	if db.IsUniqueViolation(err) {
		return errNameTaken
	}
	return err
}

// Create creates a workspace (staff and admins) with its document folder
// under the tenant's root folder "Arbeitsräume"; the creator becomes its
// owner, and so does the responsible person when it is someone else.
func (s *Service) Create(ctx context.Context, a tenant.Actor, in Input) (*Workspace, error) {
	if err := in.validate(); err != nil {
		return nil, err
	}
	var out *Workspace
	err := s.run(ctx, a, func(tx *db.Tx) error {
		if !isStaff(a) || a.MembershipID == uuid.Nil {
			return errForbidden()
		}
		if in.ResponsibleID == uuid.Nil {
			in.ResponsibleID = a.MembershipID
		}
		key := nameKey(in.Name)
		if err := checkName(tx, key, uuid.Nil); err != nil {
			return err
		}
		if in.ResponsibleID != a.MembershipID {
			if err := checkEligible(tx, in.ResponsibleID, Owner, "responsible_id"); err != nil {
				return err
			}
		}
		now := s.now()
		rec := &row{TenantID: a.TenantID, ID: db.NewID(), Name: in.Name, NameKey: key, Purpose: in.Purpose, FileNumber: in.FileNumber,
			StartsOn: nullable(in.StartsOn), EndsOn: nullable(in.EndsOn), ResponsibleID: in.ResponsibleID, Visibility: in.Visibility,
			State: Active, Version: 1, CreatedAt: now, CreatedBy: a.MembershipID, UpdatedAt: now}
		// The folder first: the document store takes its locks (folder
		// tree, storage usage) before the audit chain's.
		root, err := documents.EnsureRootFolder(ctx, tx, a, documents.WorkspacesRootName)
		if err != nil {
			return err
		}
		folder, err := documents.CreateOwnedFolder(ctx, tx, a, root, in.Name)
		if err != nil {
			return err
		}
		rec.FolderID = &folder
		if err := tx.Create(workspacesTable, rec); err != nil {
			return nameConflict(fmt.Errorf("workspaces: create workspace: %w", err))
		}
		// Here the task area and the wiki space of the workspace will be
		// made (packages tasks and wiki), in the same transaction.
		owners := []uuid.UUID{a.MembershipID}
		if in.ResponsibleID != a.MembershipID {
			owners = append(owners, in.ResponsibleID)
		}
		for _, m := range owners {
			if err := insertMember(tx, rec.ID, m, Owner, a.MembershipID, now); err != nil {
				return err
			}
		}
		details := in.details()
		details["folder_id"] = folder.String()
		if err := record(ctx, tx, a, ActionCreated, rec.ID, details); err != nil {
			return err
		}
		if len(owners) > 1 {
			if err := record(ctx, tx, a, ActionMemberAdded, rec.ID, map[string]string{"membership_id": in.ResponsibleID.String(), "role": string(Owner)}); err != nil {
				return err
			}
		}
		sc, err := loadScope(tx, a, rec.ID, false)
		if err == nil {
			out = sc.workspace()
		}
		return err
	})
	return out, err
}

// Get returns a workspace the actor sees (members, admins, staff for an open one).
func (s *Service) Get(ctx context.Context, a tenant.Actor, id uuid.UUID) (*Workspace, error) {
	var out *Workspace
	err := s.run(ctx, a, func(tx *db.Tx) error {
		sc, err := loadScope(tx, a, id, false)
		if err == nil {
			out = sc.workspace()
		}
		return err
	})
	return out, err
}
