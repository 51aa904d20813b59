package consultations

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"
	"github.com/kollab/kollab/internal/errs"
	"github.com/kollab/kollab/internal/input"
)

// Input limits; every list is bounded by one of them.
const (
	MaxSubjectLen     = 300
	MaxDescriptionLen = 10000
	MaxQuestions      = 30
	MaxQuestionLen    = 2000
	MaxOrganisations  = 200
	MaxDocuments      = 50
	MaxBodyLen        = 100000
	MaxAnswerLen      = 20000
	MaxFiles          = 20
	// MaxVersions bounds the submitted versions of one statement.
	MaxVersions = 100
	// MaxList bounds the consultations listed for one workspace.
	MaxList = 200
)

// State is a consultation's state.
type State string

// The states: a draft is prepared by staff and seen by staff only; an open
// consultation takes statements until its deadline; a closed one takes
// nothing more.
const (
	Draft  State = "draft"
	Open   State = "open"
	Closed State = "closed"
)

// Channel is how a statement version arrived.
type Channel string

// The channels: submitted online by a guest, or recorded by staff from a
// letter.
const (
	Online Channel = "online"
	Post   Channel = "post"
)

// Consultation is a consultation as a caller sees it.
type Consultation struct {
	ID            uuid.UUID
	WorkspaceID   uuid.UUID
	WorkspaceName string
	Subject       string
	Description   string
	Questions     []string
	Deadline      time.Time
	State         State
	// Accepting: open and before the deadline (statements are taken).
	Accepting bool
	// RemindAt is when the automatic reminder is due (open only);
	// RemindedAt when it went out.
	RemindAt   *time.Time
	RemindedAt *time.Time
	// FolderID is the consultation's folder in the workspace folder.
	FolderID      *uuid.UUID
	SynopsisPDFID *uuid.UUID
	SynopsisODTID *uuid.UUID
	Documents     []FrozenDocument
	// Invitees are the invited organisations; a guest sees their own only.
	Invitees  []Invitee
	Version   int64
	CreatedAt time.Time
	CreatedBy uuid.UUID
	UpdatedAt time.Time
	OpenedAt  *time.Time
	ClosedAt  *time.Time
	// CanManage: the caller may change the consultation.
	CanManage bool
	// MyOrganisationID is a guest's invited organisation (nil for staff).
	MyOrganisationID *uuid.UUID
}

// FrozenDocument is a document of the consultation at the revision it was
// frozen at: every reader of the consultation may read that revision.
type FrozenDocument struct {
	DocumentID  uuid.UUID
	RevisionID  uuid.UUID
	Title       string
	Number      int
	FileName    string
	ContentType string
	Size        int64
	// Available is false while the document is in the trash.
	Available bool
}

// Invitee is an invited organisation and whether it has answered.
type Invitee struct {
	OrganisationID uuid.UUID
	Name           string
	InvitedAt      time.Time
	RemindedAt     *time.Time
	// Versions counts its submitted statement versions (0: no answer yet).
	Versions    int
	SubmittedAt *time.Time
}

// Input is a new consultation.
type Input struct {
	Subject     string
	Description string
	Questions   []string
	Deadline    time.Time
	// Organisations are the invited organisations of the address book.
	Organisations []uuid.UUID
	// Documents are frozen at their current revision.
	Documents []uuid.UUID
}

// Patch changes a consultation; nil fields stay.
type Patch struct {
	Subject       *string
	Description   *string
	Questions     *[]string
	Deadline      *time.Time
	Organisations *[]uuid.UUID
	Documents     *[]uuid.UUID
}

func cleanSubject(s string) (string, error) {
	s, err := input.Name("subject", s)
	if err != nil {
		return "", err
	}
	if n := utf8.RuneCountInString(s); n < 1 || n > MaxSubjectLen {
		return "", errs.InvalidField("subject", errs.M("consultations.subject-length", "Bitte einen Gegenstand mit 1 bis 300 Zeichen angeben.", "Please enter a subject of 1 to 300 characters."))
	}
	return s, nil
}

func cleanDescription(s string) (string, error) {
	s = input.NFC(strings.TrimSpace(s))
	if err := input.Text("description", s); err != nil {
		return "", err
	}
	if utf8.RuneCountInString(s) > MaxDescriptionLen {
		return "", errs.InvalidField("description", errs.M("consultations.description-too-long", "Die Beschreibung darf höchstens 10000 Zeichen lang sein.", "The description may be at most 10000 characters long."))
	}
	return s, nil
}

func cleanQuestions(qs []string) ([]string, error) {
	if len(qs) > MaxQuestions {
		return nil, errs.InvalidField("questions", errs.M("consultations.too-many-questions", "Höchstens 30 Fragen.", "At most 30 questions."))
	}
	out := make([]string, 0, len(qs))
	for _, q := range qs {
		q = input.NFC(strings.TrimSpace(q))
		if err := input.Text("questions", q); err != nil {
			return nil, err
		}
		if n := utf8.RuneCountInString(q); n < 1 || n > MaxQuestionLen {
			return nil, errs.InvalidField("questions", errs.M("consultations.question-length", "Jede Frage hat 1 bis 2000 Zeichen.", "Every question has 1 to 2000 characters."))
		}
		out = append(out, q)
	}
	return out, nil
}

func checkDeadline(d, now time.Time) error {
	if !d.After(now) {
		return errs.InvalidField("deadline", errs.M("consultations.deadline-past", "Die Frist muss in der Zukunft liegen.", "The deadline must lie in the future."))
	}
	if d.After(now.AddDate(2, 0, 0)) {
		return errs.InvalidField("deadline", errs.M("consultations.deadline-far", "Die Frist liegt höchstens zwei Jahre in der Zukunft.", "The deadline lies at most two years ahead."))
	}
	return nil
}

// uniqueIDs checks a list of ids: at most max, none twice, none nil.
func uniqueIDs(field string, ids []uuid.UUID, max int) error {
	if len(ids) > max {
		return errs.InvalidField(field, errs.M("consultations.too-many-ids", "Die Liste ist zu lang.", "The list is too long."))
	}
	seen := make(map[uuid.UUID]bool, len(ids))
	for _, id := range ids {
		if id == uuid.Nil || seen[id] {
			return errs.InvalidField(field, errs.M("consultations.id-repeated", "Die Liste nennt einen Eintrag doppelt oder einen leeren.", "The list names an entry twice or an empty one."))
		}
		seen[id] = true
	}
	return nil
}

func (in *Input) validate(now time.Time) error {
	var err error
	if in.Subject, err = cleanSubject(in.Subject); err != nil {
		return err
	}
	if in.Description, err = cleanDescription(in.Description); err != nil {
		return err
	}
	if in.Questions, err = cleanQuestions(in.Questions); err != nil {
		return err
	}
	if err := checkDeadline(in.Deadline, now); err != nil {
		return err
	}
	if err := uniqueIDs("organisations", in.Organisations, MaxOrganisations); err != nil {
		return err
	}
	return uniqueIDs("documents", in.Documents, MaxDocuments)
}

func (p *Patch) validate(now time.Time) error {
	var err error
	if p.Subject != nil {
		if *p.Subject, err = cleanSubject(*p.Subject); err != nil {
			return err
		}
	}
	if p.Description != nil {
		if *p.Description, err = cleanDescription(*p.Description); err != nil {
			return err
		}
	}
	if p.Questions != nil {
		if *p.Questions, err = cleanQuestions(*p.Questions); err != nil {
			return err
		}
	}
	if p.Deadline != nil {
		if err := checkDeadline(*p.Deadline, now); err != nil {
			return err
		}
	}
	if p.Organisations != nil {
		if err := uniqueIDs("organisations", *p.Organisations, MaxOrganisations); err != nil {
			return err
		}
	}
	if p.Documents != nil {
		return uniqueIDs("documents", *p.Documents, MaxDocuments)
	}
	return nil
}

// jsonText encodes v for a JSON text column.
func jsonText(v any) (string, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return "", fmt.Errorf("consultations: encode: %w", err)
	}
	return string(b), nil
}

// strings decodes a JSON array of strings ("" and null: none).
func decodeStrings(s string) []string {
	var out []string
	if s != "" {
		_ = json.Unmarshal([]byte(s), &out)
	}
	if out == nil {
		out = []string{}
	}
	return out
}

func decodeFiles(s string) []File {
	var out []File
	if s != "" {
		_ = json.Unmarshal([]byte(s), &out)
	}
	if out == nil {
		out = []File{}
	}
	return out
}
