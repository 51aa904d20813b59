// Package consultations is the consultation module (Beteiligungsverfahren)
// of the workspaces: staff of a workspace ask organisations of the address
// book for a statement (Stellungnahme) on a subject, with frozen document
// revisions, questions and a deadline. The invited organisations' guests
// in the workspace answer (or a staff member records a statement received
// by post); staff see who has answered, remind the others (by hand and
// automatically three working days before the deadline), extend the
// deadline, close the consultation, file a synopsis (PDF and ODT) into the
// consultation's folder and import the statements into the case file as
// document revisions with their provenance.
//
// Who sees what, decided in access.go from the workspace's membership:
//
//   - managers: staff owners and members of the workspace, and tenant
//     admins: everything, and every change;
//   - staff readers of the workspace: everything, no change;
//   - guests who are members or readers of the workspace and whose
//     organisation (guests.organisation_id) is invited: the consultation
//     once it is open, their own organisation's statement only;
//   - everyone else: errs.NotFound, exactly like an unknown id.
package consultations

import (
	"context"
	"time"

	"github.com/google/uuid"
	"github.com/kollab/kollab/documents"
	"github.com/kollab/kollab/internal/db"
	"github.com/kollab/kollab/internal/errs"
	"github.com/kollab/kollab/internal/notify"
	"github.com/kollab/kollab/tenant"
)

// Table names.
const (
	consultationsTable = "consultations"
	documentsTable     = "consultation_documents"
	inviteesTable      = "consultation_invitees"
	statementsTable    = "consultation_statements"
	versionsTable      = "consultation_statement_versions"
)

// Audit actions recorded by the consultation module.
const (
	ActionCreated        = "consultations.consultation.created"
	ActionUpdated        = "consultations.consultation.updated"
	ActionOpened         = "consultations.consultation.opened"
	ActionExtended       = "consultations.consultation.extended"
	ActionClosed         = "consultations.consultation.closed"
	ActionReminded       = "consultations.consultation.reminded"
	ActionSynopsisFiled  = "consultations.synopsis.filed"
	ActionDraftSaved     = "consultations.statement.draft_saved"
	ActionSubmitted      = "consultations.statement.submitted"
	ActionPostalRecorded = "consultations.statement.postal_recorded"
	ActionImported       = "consultations.statement.imported"
	ActionFileRead       = "consultations.file.read"
)

// targetType is the audit target type of a consultation.
const targetType = "consultation"

// Renderer turns a synopsis into its files (package synopsis).
type Renderer interface {
	// SynopsisPDF renders the synopsis as a PDF document.
	SynopsisPDF(s *Synopsis) ([]byte, error)
	// SynopsisODT renders the synopsis as an OpenDocument text (.odt).
	SynopsisODT(s *Synopsis) ([]byte, error)
}

// Service is the consultation module. Every method takes the caller as an
// Actor and runs in transactions of the actor's tenant; audit events
// commit with the change they describe.
type Service struct {
	db     *db.DB
	docs   *documents.Service
	render Renderer
	notify *notify.Service
	clock  func() time.Time
}

// A ServiceOption sets one of a Service's settings when it is built.
type ServiceOption func(*Service)

// WithClock sets the service's clock (default db.Now).
func WithClock(now func() time.Time) ServiceOption { return func(s *Service) { s.clock = now } }

// WithNotify makes the service emit its notifications through n (its
// worker is woken after commit); without it events are still written.
func WithNotify(n *notify.Service) ServiceOption { return func(s *Service) { s.notify = n } }

// NewService returns the consultation module over d; statements, the
// synopsis and imports are stored through docs, the synopsis rendered by r.
func NewService(d *db.DB, docs *documents.Service, r Renderer, opts ...ServiceOption) *Service {
	s := &Service{db: d, docs: docs, render: r, clock: db.Now}
	for _, o := range opts {
		o(s)
	}
	return s
}

// SetClock replaces the service's clock (tests; before it is used concurrently).
func (s *Service) SetClock(now func() time.Time) { s.clock = now }

// now is the service clock in the database's precision.
func (s *Service) now() time.Time { return s.clock().UTC().Truncate(time.Microsecond) }

func (s *Service) run(ctx context.Context, a tenant.Actor, fn func(tx *db.Tx) error) error {
	return a.Run(ctx, s.db, fn)
}

// record appends an audit event about consultation id in tx.
func record(ctx context.Context, tx *db.Tx, a tenant.Actor, action string, id uuid.UUID, details map[string]string) error {
	return a.Record(ctx, tx, action, targetType, id, details)
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
	return errs.New(errs.Conflict, errs.M("consultations.workspace-archived",
		"Der Arbeitsraum ist archiviert; seine Beteiligungsverfahren können nur gelesen werden.",
		"The workspace is archived; its consultations can only be read."))
}

func errClosed() error {
	return errs.New(errs.Conflict, errs.M("consultations.closed",
		"Das Beteiligungsverfahren ist abgeschlossen und kann nicht mehr geändert werden.",
		"The consultation is closed and can no longer be changed."))
}

func errNotAccepting() error {
	return errs.New(errs.Conflict, errs.M("consultations.not-accepting",
		"Die Frist ist abgelaufen oder das Beteiligungsverfahren ist beendet: Stellungnahmen werden nicht mehr angenommen.",
		"The deadline has passed or the consultation has ended: statements are no longer accepted."))
}

func errNotOpen() error {
	return errs.New(errs.Conflict, errs.M("consultations.not-open",
		"Das Beteiligungsverfahren ist nicht eröffnet.", "The consultation is not open."))
}
