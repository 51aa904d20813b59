package consultations

import (
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/kollab/kollab/internal/db"
	"github.com/kollab/kollab/tenant"
)

// row is a row of consultations.
type row struct {
	TenantID      uuid.UUID  `gorm:"column:tenant_id"`
	ID            uuid.UUID  `gorm:"column:id"`
	WorkspaceID   uuid.UUID  `gorm:"column:workspace_id"`
	Subject       string     `gorm:"column:subject"`
	Description   string     `gorm:"column:description"`
	Questions     string     `gorm:"column:questions"`
	Deadline      time.Time  `gorm:"column:deadline"`
	State         State      `gorm:"column:state"`
	RemindAt      *time.Time `gorm:"column:remind_at"`
	RemindedAt    *time.Time `gorm:"column:reminded_at"`
	FolderID      *uuid.UUID `gorm:"column:folder_id"`
	SynopsisPDFID *uuid.UUID `gorm:"column:synopsis_pdf_id"`
	SynopsisODTID *uuid.UUID `gorm:"column:synopsis_odt_id"`
	Version       int64      `gorm:"column:version"`
	CreatedAt     time.Time  `gorm:"column:created_at"`
	CreatedBy     uuid.UUID  `gorm:"column:created_by"`
	UpdatedAt     time.Time  `gorm:"column:updated_at"`
	OpenedAt      *time.Time `gorm:"column:opened_at"`
	ClosedAt      *time.Time `gorm:"column:closed_at"`
}

// OwnerTenant implements db.TenantOwned.
func (r *row) OwnerTenant() uuid.UUID { return r.TenantID }

// accepting reports whether statements are taken at now.
func (r *row) accepting(now time.Time) bool { return r.State == Open && now.Before(r.Deadline) }

// kind is what a caller may do with the consultations of a workspace.
type kind int

const (
	none kind = iota
	// guest: a guest of an organisation (org) in the workspace.
	guest
	// staffReader: staff reading the workspace.
	staffReader
	// manager: staff owners and members, and tenant admins.
	manager
)

// place is a workspace as the caller stands in it.
type place struct {
	ID       uuid.UUID  `gorm:"column:id"`
	Name     string     `gorm:"column:name"`
	State    string     `gorm:"column:state"`
	FolderID *uuid.UUID `gorm:"column:folder_id"`
	MyRole   *string    `gorm:"column:my_role"`
	kind     kind
	// org is a guest's organisation.
	org uuid.UUID
}

func isStaff(a tenant.Actor) bool { return a.Role == tenant.RoleStaff || a.Role == tenant.RoleAdmin }

// needActive refuses every change in an archived workspace.
func (p *place) needActive() error {
	if p.State != "active" {
		return errArchived()
	}
	return nil
}

// loadPlace reads workspace id and decides the actor's kind in it; a
// workspace of another tenant or none answers NotFound.
func loadPlace(tx *db.Tx, a tenant.Actor, id uuid.UUID) (*place, error) {
	var ps []place
	if err := tx.Raw(`SELECT w.id, w.name, w.state, w.folder_id,
		(SELECT wm.role FROM workspace_members wm WHERE wm.tenant_id = @tenant AND wm.workspace_id = w.id AND wm.membership_id = ?) AS my_role
		FROM workspaces w WHERE w.tenant_id = @tenant AND w.id = ?`, a.MembershipID, id).Scan(&ps).Error; err != nil {
		return nil, fmt.Errorf("consultations: load workspace: %w", err)
	}
	if len(ps) == 0 {
		return nil, errNotFound()
	}
	p := &ps[0]
	role := ""
	if p.MyRole != nil {
		role = *p.MyRole
	}
	switch {
	case a.IsAdmin():
		p.kind = manager
	case role == "":
		p.kind = none
	case isStaff(a) && (role == "owner" || role == "member"):
		p.kind = manager
	case isStaff(a):
		p.kind = staffReader
	case a.Role == tenant.RolePartner:
		g, err := tenant.GuestOf(tx, a.MembershipID)
		if err != nil {
			return nil, err
		}
		if g != nil && g.OrganisationID != nil {
			p.kind, p.org = guest, *g.OrganisationID
		}
	}
	return p, nil
}

// scope is a consultation loaded for an actor.
type scope struct {
	a tenant.Actor
	c row
	p *place
}

func (sc *scope) needManage() error {
	if sc.p.kind != manager {
		return errForbidden()
	}
	return nil
}

// needChange refuses changes by non-managers, in archived workspaces and
// of closed consultations.
func (sc *scope) needChange() error {
	if err := sc.needManage(); err != nil {
		return err
	}
	if err := sc.p.needActive(); err != nil {
		return err
	}
	if sc.c.State == Closed {
		return errClosed()
	}
	return nil
}

// loadScope reads consultation id for the actor, locking its row
// (PostgreSQL) when lock is set. A consultation the actor may not see
// answers NotFound, like one of another tenant or none.
func loadScope(tx *db.Tx, a tenant.Actor, id uuid.UUID, lock bool) (*scope, error) {
	var rows []row
	q := "SELECT * FROM consultations WHERE tenant_id = @tenant AND id = ?"
	if lock {
		q = forUpdate(tx, q)
	}
	if err := tx.Raw(q, id).Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("consultations: load: %w", err)
	}
	if len(rows) == 0 {
		return nil, errNotFound()
	}
	p, err := loadPlace(tx, a, rows[0].WorkspaceID)
	if err != nil {
		return nil, err
	}
	sc := &scope{a: a, c: rows[0], p: p}
	switch p.kind {
	case manager, staffReader:
		return sc, nil
	case guest:
		if sc.c.State == Draft {
			return nil, errNotFound()
		}
		invited, err := isInvited(tx, id, p.org)
		if err != nil {
			return nil, err
		}
		if invited {
			return sc, nil
		}
	}
	return nil, errNotFound()
}

// isInvited reports whether organisation org is invited to consultation id.
func isInvited(tx *db.Tx, id, org uuid.UUID) (bool, error) {
	var n int64
	if err := tx.Table(inviteesTable).Where("consultation_id = ? AND organisation_id = ?", id, org).Count(&n).Error; err != nil {
		return false, fmt.Errorf("consultations: check invitee: %w", err)
	}
	return n > 0, nil
}
