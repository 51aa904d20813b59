package workspaces

import (
	"context"
	"time"

	"github.com/google/uuid"
	"github.com/kollab/kollab/internal/db"
	"github.com/kollab/kollab/internal/errs"
	"github.com/kollab/kollab/internal/notify"
	"github.com/kollab/kollab/tenant"
)

// Table names.
const (
	workspacesTable = "workspaces"
	membersTable    = "workspace_members"
)

// Audit actions recorded by the workspace module.
const (
	ActionCreated     = "workspaces.workspace.created"
	ActionUpdated     = "workspaces.workspace.updated"
	ActionArchived    = "workspaces.workspace.archived"
	ActionRestored    = "workspaces.workspace.restored"
	ActionMemberAdded = "workspaces.member.added"
	ActionRoleChanged = "workspaces.member.role_changed"
	ActionMemberGone  = "workspaces.member.removed"
	ActionJoined      = "workspaces.member.joined"
	ActionLeft        = "workspaces.member.left"
)

// targetType is the audit target type of a workspace.
const targetType = "workspace"

// Service is the workspace module. Every method takes the caller as an
// Actor and runs in one transaction of the actor's tenant; audit events
// commit with the change they describe.
//
// Seams for the next modules: the task area (package tasks) and the wiki
// space (package wiki) of a workspace attach to workspaces (tenant_id, id)
// and derive who reads and writes from the workspace_members rows, as the
// document store does for the workspace's folder (documents/access.go):
// owners and members write, readers read, and an archived workspace
// (state 'archived') is read-only for everyone. Creating a workspace is
// where they will make their area and space (see Create).
type Service struct {
	db *db.DB
	// clock is the clock; tests inject one. Defaults to db.Now.
	clock func() time.Time
	// notify receives the module's notifications (notify.go).
	notify *notify.Service
	// tenants makes guest invitations (guests.go).
	tenants *tenant.Service
}

// A ServiceOption sets one of a Service's settings when it is built.
type ServiceOption func(*Service)

// WithClock sets the service's clock (default db.Now).
func WithClock(now func() time.Time) ServiceOption { return func(s *Service) { s.clock = now } }

// NewService returns the workspace module over d.
func NewService(d *db.DB, opts ...ServiceOption) *Service {
	s := &Service{db: d, clock: db.Now}
	for _, o := range opts {
		o(s)
	}
	return s
}

// now is the service clock in the database's precision.
func (s *Service) now() time.Time { return s.clock().UTC().Truncate(time.Microsecond) }

// run runs fn in the actor's tenant after checking the actor's membership
// (tenant.Actor.Run).
func (s *Service) run(ctx context.Context, a tenant.Actor, fn func(tx *db.Tx) error) error {
	return a.Run(ctx, s.db, fn)
}

// record appends an audit event about workspace id in tx, and the
// workspace's feed entry of that action (activity.go).
func record(ctx context.Context, tx *db.Tx, a tenant.Actor, action string, id uuid.UUID, details map[string]string) error {
	if err := a.Record(ctx, tx, action, targetType, id, details); err != nil {
		return err
	}
	return feedOf(tx, a, action, id, details)
}

var exec = (*db.Tx).ExecCount

// forUpdate appends a row lock on PostgreSQL (SQLite has one writer).
func forUpdate(tx *db.Tx, q string) string {
	if tx.IsPostgres() {
		return q + " FOR UPDATE"
	}
	return q
}

func errNotFound() error { return errs.Plain(errs.NotFound) }

func errForbidden() error { return errs.Plain(errs.Forbidden) }

func errArchived() error {
	return errs.New(errs.Conflict, errs.M("workspaces.archived-read-only",
		"Der Arbeitsraum ist archiviert und kann nur gelesen werden. Bitte reaktivieren Sie ihn zuerst.",
		"The workspace is archived and can only be read. Please restore it first."))
}

// isStaff reports whether the actor is staff of the tenant (staff or
// admin): who may create workspaces, see the directory of open ones and
// join them. Guests (part of a later step) never are.
func isStaff(a tenant.Actor) bool {
	return a.Role == tenant.RoleStaff || a.Role == tenant.RoleAdmin
}
