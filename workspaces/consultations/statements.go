package consultations

import (
	"context"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"
	"github.com/kollab/kollab/internal/db"
	"github.com/kollab/kollab/internal/errs"
	"github.com/kollab/kollab/internal/input"
	"github.com/kollab/kollab/tenant"
)

// File is a file of a statement: a document at the revision it had when
// the statement referenced it.
type File struct {
	DocumentID uuid.UUID `json:"document_id"`
	RevisionID uuid.UUID `json:"revision_id"`
	FileName   string    `json:"file_name"`
}

// Statement is an organisation's statement: its latest submitted version
// and, for the organisation itself, its draft.
type Statement struct {
	ID               uuid.UUID
	ConsultationID   uuid.UUID
	OrganisationID   uuid.UUID
	OrganisationName string
	// Versions counts the submitted versions; SubmittedAt is the latest's.
	Versions    int
	SubmittedAt *time.Time
	Latest      *Version
	// Draft is the organisation's unsubmitted text (its guests only).
	Draft *StatementDraft
	// ImportedDocumentID is the case-file document it was imported as.
	ImportedDocumentID *uuid.UUID
	UpdatedAt          time.Time
}

// StatementDraft is the organisation's unsubmitted statement.
type StatementDraft struct {
	Body    string
	Answers []string
	Files   []File
}

// Version is one submitted version of a statement: read-only.
type Version struct {
	Number     int
	Body       string
	Answers    []string
	Files      []File
	Channel    Channel
	AuthorID   uuid.UUID
	AuthorName string
	// ReceivedAt is when it arrived (by post: the day of the letter).
	ReceivedAt time.Time
	CreatedAt  time.Time
	// ImportedRevisionID is the case-file revision it was imported as.
	ImportedRevisionID *uuid.UUID
}

// StatementInput is a statement's text, answers (one per question, in
// order; fewer leave the rest empty) and files (documents the author may
// read, frozen at their current revision).
type StatementInput struct {
	Body    string
	Answers []string
	Files   []uuid.UUID
	// ReceivedAt is the day a letter arrived (postal statements only).
	ReceivedAt time.Time
}

// statementRow is a row of consultation_statements.
type statementRow struct {
	TenantID           uuid.UUID  `gorm:"column:tenant_id"`
	ID                 uuid.UUID  `gorm:"column:id"`
	ConsultationID     uuid.UUID  `gorm:"column:consultation_id"`
	OrganisationID     uuid.UUID  `gorm:"column:organisation_id"`
	DraftBody          string     `gorm:"column:draft_body"`
	DraftAnswers       string     `gorm:"column:draft_answers"`
	DraftFiles         string     `gorm:"column:draft_files"`
	HasDraft           bool       `gorm:"column:has_draft"`
	Versions           int        `gorm:"column:versions"`
	SubmittedAt        *time.Time `gorm:"column:submitted_at"`
	ImportedDocumentID *uuid.UUID `gorm:"column:imported_document_id"`
	CreatedAt          time.Time  `gorm:"column:created_at"`
	UpdatedAt          time.Time  `gorm:"column:updated_at"`
	UpdatedBy          uuid.UUID  `gorm:"column:updated_by"`
	// OrganisationName is joined from the invitee.
	OrganisationName string `gorm:"column:organisation_name;->"`
}

// OwnerTenant implements db.TenantOwned.
func (r *statementRow) OwnerTenant() uuid.UUID { return r.TenantID }

// versionRow is a row of consultation_statement_versions.
type versionRow struct {
	TenantID           uuid.UUID  `gorm:"column:tenant_id"`
	StatementID        uuid.UUID  `gorm:"column:statement_id"`
	Number             int        `gorm:"column:number"`
	Body               string     `gorm:"column:body"`
	Answers            string     `gorm:"column:answers"`
	Files              string     `gorm:"column:files"`
	Channel            Channel    `gorm:"column:channel"`
	AuthorID           uuid.UUID  `gorm:"column:author_id"`
	ReceivedAt         time.Time  `gorm:"column:received_at"`
	CreatedAt          time.Time  `gorm:"column:created_at"`
	ImportedRevisionID *uuid.UUID `gorm:"column:imported_revision_id"`
	// AuthorName is joined from the author's account.
	AuthorName string `gorm:"column:author_name;->"`
}

// OwnerTenant implements db.TenantOwned.
func (r *versionRow) OwnerTenant() uuid.UUID { return r.TenantID }

func (r *versionRow) version() *Version {
	return &Version{Number: r.Number, Body: r.Body, Answers: decodeStrings(r.Answers), Files: decodeFiles(r.Files), Channel: r.Channel,
		AuthorID: r.AuthorID, AuthorName: r.AuthorName, ReceivedAt: r.ReceivedAt, CreatedAt: r.CreatedAt, ImportedRevisionID: r.ImportedRevisionID}
}

// validate checks a statement against the consultation's questions.
func (in *StatementInput) validate(questions int) error {
	in.Body = input.NFC(strings.TrimSpace(in.Body))
	if err := input.Text("body", in.Body); err != nil {
		return err
	}
	if utf8.RuneCountInString(in.Body) > MaxBodyLen {
		return errs.InvalidField("body", errs.M("consultations.body-too-long", "Die Stellungnahme darf höchstens 100000 Zeichen lang sein.", "The statement may be at most 100000 characters long."))
	}
	if len(in.Answers) > questions {
		return errs.InvalidField("answers", errs.M("consultations.more-answers-than-questions", "Es gibt mehr Antworten als Fragen.", "There are more answers than questions."))
	}
	answers := make([]string, questions)
	for i, s := range in.Answers {
		s = input.NFC(strings.TrimSpace(s))
		if err := input.Text("answers", s); err != nil {
			return err
		}
		if utf8.RuneCountInString(s) > MaxAnswerLen {
			return errs.InvalidField("answers", errs.M("consultations.answer-too-long", "Eine Antwort darf höchstens 20000 Zeichen lang sein.", "An answer may be at most 20000 characters long."))
		}
		answers[i] = s
	}
	in.Answers = answers
	return uniqueIDs("files", in.Files, MaxFiles)
}

// empty reports whether the input says nothing.
func (in *StatementInput) empty() bool {
	if in.Body != "" || len(in.Files) > 0 {
		return false
	}
	for _, s := range in.Answers {
		if s != "" {
			return false
		}
	}
	return true
}

// errEmpty refuses an empty statement.
var errEmpty = errs.InvalidField("body", errs.M("consultations.statement-empty", "Bitte einen Text, eine Antwort oder eine Datei angeben.", "Please give a text, an answer or a file."))

// loadStatement reads the organisation's statement (nil: none yet).
func loadStatement(tx *db.Tx, id, org uuid.UUID, lock bool) (*statementRow, error) {
	q := `SELECT cs.*, ci.organisation_name FROM consultation_statements cs
		JOIN consultation_invitees ci ON ci.tenant_id = cs.tenant_id AND ci.consultation_id = cs.consultation_id AND ci.organisation_id = cs.organisation_id
		WHERE cs.tenant_id = @tenant AND cs.consultation_id = ? AND cs.organisation_id = ?`
	if lock && tx.IsPostgres() {
		q += " FOR UPDATE OF cs"
	}
	var rows []statementRow
	if err := tx.Raw(q, id, org).Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("consultations: load statement: %w", err)
	}
	if len(rows) == 0 {
		return nil, nil
	}
	return &rows[0], nil
}

// ensureStatement returns the organisation's statement, made empty when
// there is none yet.
func ensureStatement(tx *db.Tx, id, org, by uuid.UUID, now time.Time) (*statementRow, error) {
	st, err := loadStatement(tx, id, org, true)
	if err != nil || st != nil {
		return st, err
	}
	rec := &statementRow{TenantID: tx.TenantID(), ID: db.NewID(), ConsultationID: id, OrganisationID: org, DraftAnswers: "[]", DraftFiles: "[]",
		CreatedAt: now, UpdatedAt: now, UpdatedBy: by}
	if err := tx.Create(statementsTable, rec); err != nil {
		return nil, fmt.Errorf("consultations: create statement: %w", err)
	}
	return loadStatement(tx, id, org, true)
}

// statementFiles freezes the files of a statement.
func statementFiles(tx *db.Tx, a tenant.Actor, ids []uuid.UUID) ([]File, error) {
	cur, err := currentRevisions(tx, a, "files", ids)
	if err != nil {
		return nil, err
	}
	out := make([]File, len(ids))
	for i, id := range ids {
		out[i] = cur[id]
	}
	return out, nil
}

// SaveDraft saves the caller's organisation's statement draft (guests of
// an invited organisation, while statements are taken). The draft is seen
// by the organisation's guests only, until it is submitted.
func (s *Service) SaveDraft(ctx context.Context, a tenant.Actor, id uuid.UUID, in StatementInput) (*Statement, error) {
	var out *Statement
	err := s.run(ctx, a, func(tx *db.Tx) error {
		sc, err := loadScope(tx, a, id, true)
		if err != nil {
			return err
		}
		if sc.p.kind != guest {
			return errForbidden()
		}
		now := s.now()
		if err := sc.needAccepting(now); err != nil {
			return err
		}
		if err := in.validate(len(decodeStrings(sc.c.Questions))); err != nil {
			return err
		}
		files, err := statementFiles(tx, a, in.Files)
		if err != nil {
			return err
		}
		st, err := ensureStatement(tx, id, sc.p.org, a.MembershipID, now)
		if err != nil {
			return err
		}
		answers, err := jsonText(in.Answers)
		if err != nil {
			return err
		}
		fs, err := jsonText(files)
		if err != nil {
			return err
		}
		if _, err := tx.ExecCount(`UPDATE consultation_statements SET draft_body = ?, draft_answers = ?, draft_files = ?, has_draft = ?,
			updated_at = ?, updated_by = ? WHERE tenant_id = @tenant AND id = ?`, in.Body, answers, fs, true, now, a.MembershipID, st.ID); err != nil {
			return fmt.Errorf("consultations: save draft: %w", err)
		}
		if err := record(ctx, tx, a, ActionDraftSaved, id, map[string]string{"organisation_id": sc.p.org.String(), "statement_id": st.ID.String()}); err != nil {
			return err
		}
		out, err = statementOf(tx, sc, sc.p.org)
		return err
	})
	return out, err
}

// needAccepting refuses statements once the deadline has passed or the
// consultation is closed, and in archived workspaces.
func (sc *scope) needAccepting(now time.Time) error {
	if err := sc.p.needActive(); err != nil {
		return err
	}
	if !sc.c.accepting(now) {
		return errNotAccepting()
	}
	return nil
}
