package tasks

import (
	"context"
	"time"

	"github.com/google/uuid"
	"github.com/kollab/kollab/internal/db"
	"github.com/kollab/kollab/internal/errs"
	"github.com/kollab/kollab/internal/notify"
	"github.com/kollab/kollab/meetings"
	"github.com/kollab/kollab/tenant"
	"github.com/kollab/kollab/workspaces"
)

// Table names.
const (
	tasksTable      = "tasks"
	statusesTable   = "task_statuses"
	areasTable      = "task_areas"
	assigneesTable  = "task_assignees"
	watchersTable   = "task_watchers"
	labelsTable     = "task_labels"
	linksTable      = "task_links"
	documentsTable  = "task_documents"
	commentsTable   = "task_comments"
	historyTable    = "task_history"
	checklistsTable = "task_checklists"
	itemsTable      = "task_checklist_items"
	templatesTable  = "checklist_templates"
	tplVersionTable = "checklist_template_versions"
	reminderTable   = "task_reminders"
	leadTable       = "task_reminder_settings"
)

// Audit actions recorded by the task module.
const (
	ActionCreated        = "tasks.task.created"
	ActionUpdated        = "tasks.task.updated"
	ActionDeleted        = "tasks.task.deleted"
	ActionMoved          = "tasks.task.moved"
	ActionCommented      = "tasks.comment.created"
	ActionCommentEdited  = "tasks.comment.updated"
	ActionCommentDeleted = "tasks.comment.deleted"
	ActionLinked         = "tasks.link.created"
	ActionUnlinked       = "tasks.link.deleted"
	ActionAttached       = "tasks.document.attached"
	ActionDetached       = "tasks.document.detached"
	ActionStatusCreated  = "tasks.status.created"
	ActionStatusUpdated  = "tasks.status.updated"
	ActionStatusDeleted  = "tasks.status.deleted"
	ActionAreaUpdated    = "tasks.settings.updated"
)

// targetType is the audit target type of a task.
const targetType = "task"

// Service is the task module. Every method takes the caller as an Actor
// and runs in one transaction of the actor's tenant; audit events, history
// rows, feed entries and notifications commit with the change they
// describe.
type Service struct {
	db *db.DB
	// clock is the clock; tests inject one. Defaults to db.Now.
	clock  func() time.Time
	notify *notify.Service
	// meetings is the committee module: follow-up tasks of decisions and
	// the report back (decisions.go; nil: none).
	meetings *meetings.Service
}

// A ServiceOption sets one of a Service's settings when it is built.
type ServiceOption func(*Service)

// WithClock sets the service's clock (default db.Now).
func WithClock(now func() time.Time) ServiceOption { return func(s *Service) { s.clock = now } }

// WithNotify makes the service emit notifications through n.
func WithNotify(n *notify.Service) ServiceOption { return func(s *Service) { s.notify = n } }

// NewService returns the task module over d.
func NewService(d *db.DB, opts ...ServiceOption) *Service {
	s := &Service{db: d, clock: db.Now}
	for _, o := range opts {
		o(s)
	}
	return s
}

// now is the service clock in the database's precision.
func (s *Service) now() time.Time { return s.clock().UTC().Truncate(time.Microsecond) }

// today is the service clock's calendar day in Berlin.
func (s *Service) today() string { return s.clock().In(tenant.Berlin).Format(DateLayout) }

func (s *Service) run(ctx context.Context, a tenant.Actor, fn func(tx *db.Tx) error) error {
	return a.Run(ctx, s.db, fn)
}

// feed writes an entry of the workspace's activity feed about a task.
func (s *Service) feed(tx *db.Tx, workspaceID uuid.UUID, kind string, actor, objectID uuid.UUID, title string) error {
	return workspaces.RecordActivity(tx, workspaces.ActivityEntry{WorkspaceID: workspaceID, Kind: kind, Actor: actor,
		ObjectType: "task", ObjectID: objectID, Title: title, At: s.now()})
}

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
	return errs.New(errs.Conflict, errs.M("tasks.workspace-archived",
		"Der Arbeitsraum ist archiviert; seine Aufgaben können nur gelesen werden.",
		"The workspace is archived; its tasks can only be read."))
}

func errNeedVersion() error {
	return errs.InvalidField("if_match", errs.M("tasks.send-version-last-read",
		"Bitte die zuletzt gelesene Version mitschicken (If-Match).", "Please send the version you last read (If-Match)."))
}
