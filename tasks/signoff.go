package tasks

// Four-eyes sign-off (Mitzeichnung). A request asks named people, or roles
// given as tenant groups (any one member decides such a step), to sign
// off a task or the current revision of a document: in sequence (only the
// first pending step may be decided) or in parallel. Each signer approves
// or returns it with a comment; all approved ends the request approved,
// one return ends it returned, and its requester may withdraw it while it
// runs. The requester never decides a step, not even through a group, and
// nobody decides two steps of one request. Every step is audited. Who
// sees a request follows its object: a task's workspace members (and
// admins), a document's readers; for anyone else it does not exist.
//
// Concurrency: every decision locks the request's row first (PostgreSQL;
// SQLite has one writer), then decides its step with an UPDATE that
// requires the step to be pending and checks that it changed one row; so
// concurrent approvals record one step each, and exactly one of them sees
// the last step go and closes the request.

import (
	"context"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"
	"github.com/kollab/kollab/documents"
	"github.com/kollab/kollab/internal/db"
	"github.com/kollab/kollab/internal/errs"
	"github.com/kollab/kollab/internal/input"
	"github.com/kollab/kollab/tenant"
)

// Tables of the sign-off.
const (
	signoffsTable = "signoff_requests"
	stepsTable    = "signoff_steps"
)

// Sign-off limits.
const (
	MaxSignoffSteps   = 10
	MaxSignoffNote    = 2000
	MaxSignoffComment = 2000
	// MaxSignoffList bounds a list of requests (an object's, or mine).
	MaxSignoffList = 200
)

// Audit actions of the sign-off (target: the request).
const (
	ActionSignoffRequested  = "tasks.signoff.requested"
	ActionSignoffApproved   = "tasks.signoff.approved"
	ActionSignoffReturned   = "tasks.signoff.returned"
	ActionSignoffCompleted  = "tasks.signoff.completed"
	ActionSignoffWithdrawn  = "tasks.signoff.withdrawn"
	ActionSignoffSuperseded = "tasks.signoff.superseded"
	ActionSignoffRestarted  = "tasks.signoff.restarted"
)

// signoffTargetType is the audit target type of a request.
const signoffTargetType = "signoff"

// SignoffMode says in which order the steps are decided.
type SignoffMode string

// The modes.
const (
	Sequence SignoffMode = "sequence"
	Parallel SignoffMode = "parallel"
)

// SignoffState is where a request stands.
type SignoffState string

// The states of a request.
const (
	SignoffRunning    SignoffState = "running"
	SignoffApproved   SignoffState = "approved"
	SignoffReturned   SignoffState = "returned"
	SignoffWithdrawn  SignoffState = "withdrawn"
	SignoffSuperseded SignoffState = "superseded"
)

// StepState is where a step stands (cancelled: its request ended first).
type StepState string

// The states of a step.
const (
	StepPending   StepState = "pending"
	StepApproved  StepState = "approved"
	StepReturned  StepState = "returned"
	StepCancelled StepState = "cancelled"
)

// Signer names a step's signer: a person (membership) or a group.
type Signer struct {
	MembershipID *uuid.UUID
	GroupID      *uuid.UUID
}

// SignoffInput is a new request: its mode, a note for the signers and
// its steps in order.
type SignoffInput struct {
	Mode  SignoffMode
	Note  string
	Steps []Signer
}

// Signoff is a request as a caller sees it.
type Signoff struct {
	ID uuid.UUID
	// TaskID, or DocumentID with RevisionID (and its number): the object.
	TaskID         *uuid.UUID
	DocumentID     *uuid.UUID
	RevisionID     *uuid.UUID
	RevisionNumber int
	// WorkspaceID is a task's workspace.
	WorkspaceID *uuid.UUID
	// Title is the task's or document's title.
	Title         string
	Mode          SignoffMode
	Note          string
	State         SignoffState
	RequestedBy   uuid.UUID
	RequesterName string
	// RestartedFrom is the request this one restarted on a new revision.
	RestartedFrom *uuid.UUID
	Version       int64
	CreatedAt     time.Time
	ClosedAt      *time.Time
	ClosedBy      *uuid.UUID
	Steps         []SignoffStep
	// CanDecide: the caller may decide a step now; CanWithdraw: the caller
	// requested it and it runs.
	CanDecide, CanWithdraw bool
}

// SignoffStep is one step of a request.
type SignoffStep struct {
	ID           uuid.UUID
	Position     int
	MembershipID *uuid.UUID
	GroupID      *uuid.UUID
	// Name is the person's or group's name.
	Name        string
	State       StepState
	DecidedBy   *uuid.UUID
	DeciderName string
	DecidedAt   *time.Time
	Comment     string
	// Turn: pending, and its request runs and lets it be decided now.
	Turn bool
}

type signoffRow struct {
	TenantID      uuid.UUID    `gorm:"column:tenant_id"`
	ID            uuid.UUID    `gorm:"column:id"`
	TaskID        *uuid.UUID   `gorm:"column:task_id"`
	DocumentID    *uuid.UUID   `gorm:"column:document_id"`
	RevisionID    *uuid.UUID   `gorm:"column:revision_id"`
	Mode          SignoffMode  `gorm:"column:mode"`
	Note          string       `gorm:"column:note"`
	State         SignoffState `gorm:"column:state"`
	RequestedBy   uuid.UUID    `gorm:"column:requested_by"`
	RestartedFrom *uuid.UUID   `gorm:"column:restarted_from"`
	Version       int64        `gorm:"column:version"`
	CreatedAt     time.Time    `gorm:"column:created_at"`
	ClosedAt      *time.Time   `gorm:"column:closed_at"`
	ClosedBy      *uuid.UUID   `gorm:"column:closed_by"`
}

// OwnerTenant implements db.TenantOwned.
func (r *signoffRow) OwnerTenant() uuid.UUID { return r.TenantID }

type stepRow struct {
	TenantID     uuid.UUID  `gorm:"column:tenant_id"`
	ID           uuid.UUID  `gorm:"column:id"`
	RequestID    uuid.UUID  `gorm:"column:request_id"`
	Position     int        `gorm:"column:position"`
	MembershipID *uuid.UUID `gorm:"column:membership_id"`
	GroupID      *uuid.UUID `gorm:"column:group_id"`
	State        StepState  `gorm:"column:state"`
	DecidedBy    *uuid.UUID `gorm:"column:decided_by"`
	DecidedAt    *time.Time `gorm:"column:decided_at"`
	Comment      string     `gorm:"column:comment"`
}

// OwnerTenant implements db.TenantOwned.
func (r *stepRow) OwnerTenant() uuid.UUID { return r.TenantID }

// signObject is what a request is about, as loaded for the caller: a task
// (with its workspace) or a document (with its current revision).
type signObject struct {
	task  *scope
	docID uuid.UUID
	revID uuid.UUID
	title string
}

func (o *signObject) taskID() *uuid.UUID {
	if o.task == nil {
		return nil
	}
	return &o.task.t.ID
}

func (in *SignoffInput) validate() error {
	if in.Mode == "" {
		in.Mode = Sequence
	}
	if in.Mode != Sequence && in.Mode != Parallel {
		return errs.InvalidField("mode", errs.M("tasks.signoff-mode", "Die Mitzeichnung läuft nacheinander (sequence) oder gleichzeitig (parallel).",
			"A sign-off runs in sequence or in parallel."))
	}
	in.Note = strings.TrimSpace(in.Note)
	if err := input.Text("note", in.Note); err != nil {
		return err
	}
	if utf8.RuneCountInString(in.Note) > MaxSignoffNote {
		return errs.InvalidField("note", errs.M("tasks.signoff-note-too-long", "Die Notiz darf höchstens 2000 Zeichen lang sein.", "The note may be at most 2000 characters long."))
	}
	if len(in.Steps) < 1 || len(in.Steps) > MaxSignoffSteps {
		return errs.InvalidField("steps", errs.M("tasks.signoff-steps-count", "Eine Mitzeichnung hat 1 bis 10 Schritte.", "A sign-off has 1 to 10 steps."))
	}
	seen := map[uuid.UUID]bool{}
	for _, st := range in.Steps {
		id := st.MembershipID
		if id == nil {
			id = st.GroupID
		}
		if (st.MembershipID == nil) == (st.GroupID == nil) || *id == uuid.Nil {
			return errs.InvalidField("steps", errs.M("tasks.signoff-step-signer", "Jeder Schritt nennt genau eine Person oder eine Gruppe.", "Each step names exactly one person or one group."))
		}
		if seen[*id] {
			return errs.InvalidField("steps", errs.M("tasks.signoff-signer-twice", "Jede Person und jede Gruppe zeichnet höchstens einmal mit.", "Each person and each group signs off at most once."))
		}
		seen[*id] = true
	}
	return nil
}

func checkSignoffComment(s string, required bool) (string, error) {
	s = strings.TrimSpace(s)
	if err := input.Text("comment", s); err != nil {
		return "", err
	}
	if required && s == "" {
		return "", errs.InvalidField("comment", errs.M("tasks.signoff-return-needs-comment", "Bitte begründen Sie die Rückgabe in einem Kommentar.", "Please give the reason for returning it in a comment."))
	}
	if utf8.RuneCountInString(s) > MaxSignoffComment {
		return "", errs.InvalidField("comment", errs.M("tasks.signoff-comment-too-long", "Der Kommentar darf höchstens 2000 Zeichen lang sein.", "The comment may be at most 2000 characters long."))
	}
	return s, nil
}

// RequestTaskSignoff asks for the sign-off of a task (writers of its
// workspace). Each signer must be able to read the task (members of its
// workspace, admins); a group needs such a member besides the requester.
func (s *Service) RequestTaskSignoff(ctx context.Context, a tenant.Actor, taskID uuid.UUID, in SignoffInput) (*Signoff, error) {
	if err := in.validate(); err != nil {
		return nil, err
	}
	var out *Signoff
	err := s.run(ctx, a, func(tx *db.Tx) error {
		sc, err := loadTask(tx, a, taskID, true)
		if err != nil {
			return err
		}
		if err := sc.ar.needWrite(); err != nil {
			return err
		}
		obj := &signObject{task: sc, title: sc.t.Title}
		r, err := s.startSignoff(ctx, tx, a, obj, in, nil)
		if err != nil {
			return err
		}
		if err := addHistory(tx, taskID, a.MembershipID, "signoff", "", string(SignoffRunning), s.now()); err != nil {
			return err
		}
		out, err = s.signoffView(tx, a, r.ID)
		return err
	})
	return out, err
}

// RequestDocumentSignoff asks for the sign-off of a document's current
// revision (write permission on the document). Each signer must be able
// to read the document; a group needs such a member besides the requester.
func (s *Service) RequestDocumentSignoff(ctx context.Context, a tenant.Actor, docID uuid.UUID, in SignoffInput) (*Signoff, error) {
	if err := in.validate(); err != nil {
		return nil, err
	}
	var out *Signoff
	err := s.run(ctx, a, func(tx *db.Tx) error {
		obj, err := loadDocumentObject(tx, a, docID, true)
		if err != nil {
			return err
		}
		w, err := documents.WritableDocuments(tx, a, []uuid.UUID{docID})
		if err != nil {
			return err
		}
		if !w[docID] {
			return errForbidden()
		}
		if obj.revID == uuid.Nil {
			return errs.New(errs.Conflict, errs.M("tasks.signoff-document-empty", "Das Dokument hat noch keinen Inhalt, den jemand mitzeichnen könnte.",
				"The document has no content yet that anyone could sign off."))
		}
		r, err := s.startSignoff(ctx, tx, a, obj, in, nil)
		if err != nil {
			return err
		}
		out, err = s.signoffView(tx, a, r.ID)
		return err
	})
	return out, err
}

// loadDocumentObject reads a live document the caller may read, with its
// current revision (share-locked on PostgreSQL when lock is set, so that
// no new revision commits meanwhile); NotFound otherwise.
func loadDocumentObject(tx *db.Tx, a tenant.Actor, docID uuid.UUID, lock bool) (*signObject, error) {
	ok, err := documents.ReadableDocuments(tx, a, []uuid.UUID{docID})
	if err != nil {
		return nil, err
	}
	if !ok[docID] {
		return nil, errNotFound()
	}
	q := "SELECT title, current_revision_id FROM documents WHERE tenant_id = @tenant AND id = ? AND deleted_at IS NULL"
	if lock && tx.IsPostgres() {
		q += " FOR SHARE"
	}
	var rows []struct {
		Title   string     `gorm:"column:title"`
		Current *uuid.UUID `gorm:"column:current_revision_id"`
	}
	if err := tx.Raw(q, docID).Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("tasks: load document: %w", err)
	}
	if len(rows) == 0 {
		return nil, errNotFound()
	}
	obj := &signObject{docID: docID, title: rows[0].Title}
	if rows[0].Current != nil {
		obj.revID = *rows[0].Current
	}
	return obj, nil
}

// startSignoff checks the signers and writes a running request on obj
// with its steps, audits it and tells the signers whose turn it is.
// from is the request it restarts (its requester is kept), or nil.
func (s *Service) startSignoff(ctx context.Context, tx *db.Tx, a tenant.Actor, obj *signObject, in SignoffInput, from *signoffRow) (*signoffRow, error) {
	requester := a.MembershipID
	if from != nil {
		requester = from.RequestedBy
	} else if err := checkSigners(tx, obj, requester, in.Steps); err != nil {
		return nil, err
	}
	if err := noneRunning(tx, obj); err != nil {
		return nil, err
	}
	r := &signoffRow{TenantID: tx.TenantID(), ID: db.NewID(), TaskID: obj.taskID(), Mode: in.Mode, Note: in.Note, State: SignoffRunning,
		RequestedBy: requester, Version: 1, CreatedAt: s.now()}
	if obj.task == nil {
		r.DocumentID, r.RevisionID = &obj.docID, &obj.revID
	}
	if from != nil {
		r.RestartedFrom = &from.ID
	}
	if err := tx.Create(signoffsTable, r); err != nil {
		if db.IsUniqueViolation(err) {
			return nil, errAlreadyRunning()
		}
		return nil, fmt.Errorf("tasks: insert sign-off: %w", err)
	}
	steps := make([]stepRow, len(in.Steps))
	for i, st := range in.Steps {
		steps[i] = stepRow{TenantID: tx.TenantID(), ID: db.NewID(), RequestID: r.ID, Position: i, MembershipID: st.MembershipID,
			GroupID: st.GroupID, State: StepPending}
		if err := tx.Create(stepsTable, &steps[i]); err != nil {
			return nil, fmt.Errorf("tasks: insert sign-off step: %w", err)
		}
	}
	action, details := ActionSignoffRequested, signoffDetails(r, obj)
	details["mode"], details["steps"] = string(r.Mode), fmt.Sprint(len(steps))
	if from != nil {
		action, details["restarted_from"] = ActionSignoffRestarted, from.ID.String()
	}
	if err := a.Record(ctx, tx, action, signoffTargetType, r.ID, details); err != nil {
		return nil, err
	}
	return r, s.notifyTurn(ctx, tx, a.MembershipID, r, obj, steps)
}

// signoffDetails are the audit details naming a request's object.
func signoffDetails(r *signoffRow, obj *signObject) map[string]string {
	d := map[string]string{"title": obj.title}
	if r.TaskID != nil {
		d["task_id"] = r.TaskID.String()
	}
	if r.DocumentID != nil {
		d["document_id"], d["revision_id"] = r.DocumentID.String(), r.RevisionID.String()
	}
	return d
}

func noneRunning(tx *db.Tx, obj *signObject) error {
	q := tx.Table(signoffsTable).Where("state = ?", SignoffRunning)
	if obj.task != nil {
		q = q.Where("task_id = ?", obj.task.t.ID)
	} else {
		q = q.Where("document_id = ?", obj.docID)
	}
	var n int64
	if err := q.Count(&n).Error; err != nil {
		return fmt.Errorf("tasks: check running sign-off: %w", err)
	}
	if n > 0 {
		return errAlreadyRunning()
	}
	return nil
}

func errAlreadyRunning() error {
	return errs.New(errs.Conflict, errs.M("tasks.signoff-already-running", "Hierfür läuft bereits eine Mitzeichnung. Warten Sie ihr Ende ab oder ziehen Sie sie zurück.",
		"A sign-off is already running for this. Wait until it ends or withdraw it."))
}
