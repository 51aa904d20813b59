package tasks

import (
	"fmt"

	"github.com/google/uuid"
	"github.com/kollab/kollab/internal/db"
	"github.com/kollab/kollab/tenant"
)

// area is a workspace's task area as the caller stands in it. Who reads
// and writes follows the workspace membership: owners and members write,
// readers read (guests by their workspace role like staff), tenant
// admins do both; an archived workspace is read-only; anyone else does
// not see it (NotFound, like an unknown id).
type area struct {
	ID            uuid.UUID  `gorm:"column:id"`
	Name          string     `gorm:"column:name"`
	State         string     `gorm:"column:state"`
	FolderID      *uuid.UUID `gorm:"column:folder_id"`
	ResponsibleID uuid.UUID  `gorm:"column:responsible_id"`
	MyRole        *string    `gorm:"column:my_role"`
	admin         bool
}

func (ar *area) role() string {
	if ar.MyRole == nil {
		return ""
	}
	return *ar.MyRole
}

// writer reports whether the caller may write (ignoring the archive).
func (ar *area) writer() bool { return ar.admin || ar.role() == "owner" || ar.role() == "member" }

// owner reports whether the caller manages the area (owners and admins).
func (ar *area) owner() bool { return ar.admin || ar.role() == "owner" }

// canWrite: the caller may change tasks now.
func (ar *area) canWrite() bool { return ar.writer() && ar.State == "active" }

func (ar *area) needWrite() error {
	if !ar.writer() {
		return errForbidden()
	}
	if ar.State != "active" {
		return errArchived()
	}
	return nil
}

func (ar *area) needOwner() error {
	if !ar.owner() {
		return errForbidden()
	}
	if ar.State != "active" {
		return errArchived()
	}
	return nil
}

// loadArea reads workspace id for the caller; a workspace the caller is
// not a member of (and not an admin of its tenant) answers NotFound.
func loadArea(tx *db.Tx, a tenant.Actor, id uuid.UUID) (*area, error) {
	var as []area
	if err := tx.Raw(`SELECT w.id, w.name, w.state, w.folder_id, w.responsible_id,
		(SELECT wm.role FROM workspace_members wm WHERE wm.tenant_id = @tenant AND wm.workspace_id = w.id AND wm.membership_id = ?) AS my_role
		FROM workspaces w WHERE w.tenant_id = @tenant AND w.id = ?`, a.MembershipID, id).Scan(&as).Error; err != nil {
		return nil, fmt.Errorf("tasks: load workspace: %w", err)
	}
	if len(as) == 0 {
		return nil, errNotFound()
	}
	ar := &as[0]
	ar.admin = a.IsAdmin()
	if !ar.admin && ar.role() == "" {
		return nil, errNotFound()
	}
	return ar, nil
}

// scope is a task loaded for the caller, with its workspace.
type scope struct {
	a  tenant.Actor
	t  taskRow
	ar *area
}

// loadTask reads task id for the caller, locking it (PostgreSQL) when
// lock is set. A task the caller may not see answers NotFound.
func loadTask(tx *db.Tx, a tenant.Actor, id uuid.UUID, lock bool) (*scope, error) {
	var rows []taskRow
	q := "SELECT * FROM tasks WHERE tenant_id = @tenant AND id = ?"
	if lock {
		q = forUpdate(tx, q)
	}
	if err := tx.Raw(q, id).Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("tasks: load: %w", err)
	}
	if len(rows) == 0 {
		return nil, errNotFound()
	}
	ar, err := loadArea(tx, a, rows[0].WorkspaceID)
	if err != nil {
		return nil, err
	}
	return &scope{a: a, t: rows[0], ar: ar}, nil
}

// membersOf reports which of ids are members of workspace ws.
func membersOf(tx *db.Tx, ws uuid.UUID, ids []uuid.UUID) (map[uuid.UUID]bool, error) {
	out := make(map[uuid.UUID]bool, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	var got []uuid.UUID
	if err := tx.Table("workspace_members").Where("workspace_id = ? AND membership_id IN ?", ws, ids).Pluck("membership_id", &got).Error; err != nil {
		return nil, fmt.Errorf("tasks: check members: %w", err)
	}
	for _, id := range got {
		out[id] = true
	}
	return out, nil
}
