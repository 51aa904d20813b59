package meetings

// Minutes (Niederschrift): a structured draft made from the record once a
// meeting is closed, edited by the committee's secretary (or chair, or a
// tenant admin), approved by the chair (or deputy chair), then immutable.
//
// The draft is made on first access after the meeting closed and stored as
// JSON (MinutesContent): header, attendance, quorum and, for every accepted
// agenda item in order, its papers (title and frozen revision), conflict
// declarations, a discussion summary (made from the item's posts), a
// decision text, and its closed polls with counts, verdict and, for named
// polls, who voted how. Only the text fields are edited (preamble, closing,
// each item's summary and decision), under optimistic concurrency: every
// edit names the version it read and a stale one answers
// errs.PreconditionFailed.
//
// Who sees what: the draft carries results of polls that may not be
// published yet, so only the committee's managers (tenant admins, chair,
// secretary) read it; approved minutes are read by everyone who sees the
// committee. Approval moves the meeting from closed to minutes_approved
// (the meeting state machine's last step) in the transaction that freezes
// the minutes; the database refuses any later UPDATE of approved minutes.
//
// Filing: on approval the minutes and the decision extracts are rendered
// to PDF (by the MinutesRenderer, meetings/render) and filed in the
// document store, each as a revision of its own document: a new document
// in the committee's filing folder (filing.go; the chair writes there by
// the committee's derived grant), or in another folder the chair names at
// approval (write permission needed there, checked before anything is
// approved), or a new revision of the document an earlier filing made.
// The document store commits in its own transactions, so filing follows
// the approval's commit; when it fails, the minutes stay approved without
// a filing and approving again files them (rendering is deterministic, so
// a retry never adds a second, identical revision). The rendered minutes
// and the decision extracts (Beschlussauszüge, one per agenda item with a
// poll) are also served for download, rendered again from the frozen
// minutes: a download equals the filed revision byte for byte.

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/kollab/kollab/documents"
	"github.com/kollab/kollab/internal/db"
	"github.com/kollab/kollab/internal/errs"
	"github.com/kollab/kollab/tenant"
)

// Tables of the minutes.
const (
	minutesTable = "meeting_minutes"
	filingsTable = "minutes_filings"
)

// Audit actions of the minutes.
const (
	ActionMinutesCreated  = "committees.minutes.created"
	ActionMinutesEdited   = "committees.minutes.edited"
	ActionMinutesApproved = "committees.minutes.approved"
	ActionMinutesFiled    = "committees.minutes.filed"
)

// MaxMinutesTextLen bounds each text field of the minutes (preamble,
// closing, an item's summary or decision).
const MaxMinutesTextLen = 20000

// maxMinutesItemEdits bounds the items of one edit.
const maxMinutesItemEdits = 1000

// MinutesMetadataKey is the document metadata field that names the minutes
// a filed document belongs to.
const MinutesMetadataKey = "kollab_minutes_id"

// MinutesState is where minutes stand.
type MinutesState string

// The minutes states.
const (
	DraftMinutes    MinutesState = "draft"
	ApprovedMinutes MinutesState = "approved"
)

// Minutes are a meeting's minutes.
type Minutes struct {
	ID        uuid.UUID
	MeetingID uuid.UUID
	State     MinutesState
	// Version is the optimistic-concurrency token of the draft.
	Version    int64
	Content    MinutesContent
	CreatedAt  time.Time
	CreatedBy  uuid.UUID
	UpdatedAt  time.Time
	UpdatedBy  uuid.UUID
	ApprovedAt *time.Time
	ApprovedBy *uuid.UUID
	// Filings are the document revisions the approved minutes were filed
	// as, oldest first (empty before approval, or when filing failed);
	// ExtractFilings those of the decision extracts filed with them.
	Filings        []MinutesFiling
	ExtractFilings []MinutesFiling
	// CanEdit and CanApprove say what the caller may do now; CanFile that
	// approved minutes lack a filing the caller may make (approve again).
	CanEdit    bool
	CanApprove bool
	CanFile    bool
	// FilingFolderID is the committee's filing folder, where the minutes
	// are filed unless the approver names another (for an approver it is
	// made when it is missing).
	FilingFolderID *uuid.UUID
}

// MinutesFiling is one document revision the minutes (or, with
// AgendaItemID, an item's decision extract) were filed as.
type MinutesFiling struct {
	AgendaItemID   *uuid.UUID
	DocumentID     uuid.UUID
	RevisionID     uuid.UUID
	RevisionNumber int
	FiledAt        time.Time
	FiledBy        uuid.UUID
}

// MinutesContent is the structured text of the minutes, as stored.
type MinutesContent struct {
	Header     MinutesHeader     `json:"header"`
	Preamble   string            `json:"preamble"`
	Attendance []MinutesAttendee `json:"attendance"`
	Quorum     MinutesQuorum     `json:"quorum"`
	Items      []MinutesItem     `json:"items"`
	Closing    string            `json:"closing"`
	// GeneratedAt is when the draft was made from the record.
	GeneratedAt time.Time `json:"generated_at"`
	// Approval is set in the approving transaction.
	Approval *MinutesApproval `json:"approval,omitempty"`
}

// MinutesPerson is a member named in the minutes, with the display name
// they had when the draft was made.
type MinutesPerson struct {
	MembershipID uuid.UUID `json:"membership_id"`
	Name         string    `json:"name"`
}

// MinutesHeader says which meeting the minutes record.
type MinutesHeader struct {
	CommitteeID   uuid.UUID  `json:"committee_id"`
	CommitteeName string     `json:"committee_name"`
	MeetingTitle  string     `json:"meeting_title"`
	StartsAt      time.Time  `json:"starts_at"`
	EndsAt        time.Time  `json:"ends_at"`
	OpenedAt      *time.Time `json:"opened_at,omitempty"`
	ClosedAt      *time.Time `json:"closed_at,omitempty"`
	Place         string     `json:"place"`
	OnlineURL     string     `json:"online_url"`
	// Chairs and Secretaries hold those roles with a term running when
	// the meeting began.
	Chairs      []MinutesPerson `json:"chairs"`
	Secretaries []MinutesPerson `json:"secretaries"`
}

// MinutesAttendee is one member's line in the attendance register. Seats
// with a term running when the meeting began are listed, and everyone
// with an attendance entry; a seat without an entry counts as absent.
type MinutesAttendee struct {
	MinutesPerson
	Role       Role             `json:"role"`
	Voting     bool             `json:"voting"`
	Weight     int              `json:"weight"`
	Status     AttendanceStatus `json:"status"`
	ArrivedAt  *time.Time       `json:"arrived_at,omitempty"`
	DepartedAt *time.Time       `json:"departed_at,omitempty"`
}

// MinutesQuorum is the meeting's quorum from the attendance register: the
// voting weight of the members present at any time of the session against
// that of every voting member.
type MinutesQuorum struct {
	Members       int      `json:"members"`
	MembersWeight int64    `json:"members_weight"`
	Present       int      `json:"present"`
	PresentWeight int64    `json:"present_weight"`
	Rule          Fraction `json:"rule"`
	Reached       bool     `json:"reached"`
}

// MinutesItem is one accepted agenda item in the minutes.
type MinutesItem struct {
	AgendaItemID uuid.UUID         `json:"agenda_item_id"`
	Number       int               `json:"number"`
	Title        string            `json:"title"`
	Description  string            `json:"description"`
	Public       bool              `json:"public"`
	Papers       []MinutesPaper    `json:"papers"`
	Conflicts    []MinutesConflict `json:"conflicts"`
	// Summary is the discussion summary: first the item's posts (author
	// and text), then whatever the secretary makes of it.
	Summary string `json:"summary"`
	// Decision is the resolution's wording as minuted (Beschlusstext);
	// empty: the polls' titles stand for it.
	Decision string        `json:"decision"`
	Polls    []MinutesPoll `json:"polls"`
}

// MinutesPaper is a session paper with the revision frozen for the meeting
// (0: never frozen).
type MinutesPaper struct {
	DocumentID     uuid.UUID `json:"document_id"`
	Title          string    `json:"title"`
	RevisionNumber int       `json:"revision_number"`
}

// MinutesConflict is a conflict-of-interest declaration (Befangenheit).
type MinutesConflict struct {
	MinutesPerson
	Reason string `json:"reason"`
}

// MinutesPoll is a closed poll with its stored result. An annulled poll
// carries no counts and no verdict beyond its annulment (Annulled, with
// AnnulReason); nor does a secret poll with fewer than MinSecretBallots
// ballots (NoResult), which was never counted.
type MinutesPoll struct {
	PollID   uuid.UUID  `json:"poll_id"`
	Title    string     `json:"title"`
	Kind     Kind       `json:"kind"`
	Method   Method     `json:"method"`
	Seats    int        `json:"seats"`
	Rule     Rule       `json:"rule"`
	ClosedAt *time.Time `json:"closed_at,omitempty"`
	Ballots  int        `json:"ballots"`
	// Weighted votes of a yes/no poll.
	Yes     int64                 `json:"yes"`
	No      int64                 `json:"no"`
	Abstain int64                 `json:"abstain"`
	Options []MinutesOptionResult `json:"options"`
	// The bases, as weights.
	BaseWeight    int64 `json:"base_weight"`
	PresentWeight int64 `json:"present_weight"`
	MembersWeight int64 `json:"members_weight"`
	QuorumReached *bool `json:"quorum_reached,omitempty"`
	Passed        bool  `json:"passed"`
	TieAtCut      bool  `json:"tie_at_cut"`
	// Verdict is the outcome in words (German).
	Verdict string `json:"verdict"`
	// NamedVotes lists who voted how (named polls only).
	NamedVotes []MinutesVote `json:"named_votes"`
	// Annulled: the poll was annulled (AnnulReason says why); it decided nothing.
	Annulled    bool   `json:"annulled,omitempty"`
	AnnulReason string `json:"annul_reason,omitempty"`
	// NoResult: a secret poll with too few ballots to be counted.
	NoResult bool `json:"no_result,omitempty"`
}

// MinutesOptionResult is one option of an election.
type MinutesOptionResult struct {
	Label   string `json:"label"`
	Votes   int64  `json:"votes"`
	Elected bool   `json:"elected"`
}

// MinutesVote is one named ballot: the voter, what they chose (yes, no,
// abstain, or the labels of the options chosen) and, for a proxy vote,
// who cast it.
type MinutesVote struct {
	MinutesPerson
	Choice  string         `json:"choice"`
	Options []string       `json:"options"`
	Weight  int            `json:"weight"`
	CastBy  *MinutesPerson `json:"cast_by,omitempty"`
}

// MinutesApproval records who approved the minutes and when.
type MinutesApproval struct {
	MinutesPerson
	At time.Time `json:"at"`
}

// MinutesEdit changes the draft's text fields; nil leaves a field as it is,
// and items not named keep their texts.
type MinutesEdit struct {
	Preamble *string
	Closing  *string
	Items    []MinutesItemEdit
}

// MinutesItemEdit changes one item's texts.
type MinutesItemEdit struct {
	AgendaItemID uuid.UUID
	Summary      *string
	Decision     *string
}

// minutesRow is a row of meeting_minutes.
type minutesRow struct {
	TenantID   uuid.UUID    `gorm:"column:tenant_id"`
	ID         uuid.UUID    `gorm:"column:id"`
	MeetingID  uuid.UUID    `gorm:"column:meeting_id"`
	State      MinutesState `gorm:"column:state"`
	Version    int64        `gorm:"column:version"`
	Content    string       `gorm:"column:content"`
	CreatedAt  time.Time    `gorm:"column:created_at"`
	CreatedBy  uuid.UUID    `gorm:"column:created_by"`
	UpdatedAt  time.Time    `gorm:"column:updated_at"`
	UpdatedBy  uuid.UUID    `gorm:"column:updated_by"`
	ApprovedAt *time.Time   `gorm:"column:approved_at"`
	ApprovedBy *uuid.UUID   `gorm:"column:approved_by"`
}

// OwnerTenant implements db.TenantOwned.
func (r *minutesRow) OwnerTenant() uuid.UUID { return r.TenantID }

func (r *minutesRow) content() (*MinutesContent, error) {
	var c MinutesContent
	if err := json.Unmarshal([]byte(r.Content), &c); err != nil {
		return nil, fmt.Errorf("committees: decode minutes %s: %w", r.ID, err)
	}
	return &c, nil
}

// filingRow is a row of minutes_filings.
type filingRow struct {
	TenantID   uuid.UUID `gorm:"column:tenant_id"`
	ID         uuid.UUID `gorm:"column:id"`
	MinutesID  uuid.UUID `gorm:"column:minutes_id"`
	DocumentID uuid.UUID `gorm:"column:document_id"`
	RevisionID uuid.UUID `gorm:"column:revision_id"`
	// AgendaItemID is set for a decision extract.
	AgendaItemID *uuid.UUID `gorm:"column:agenda_item_id"`
	FiledAt      time.Time  `gorm:"column:filed_at"`
	FiledBy      uuid.UUID  `gorm:"column:filed_by"`
}

// OwnerTenant implements db.TenantOwned.
func (r *filingRow) OwnerTenant() uuid.UUID { return r.TenantID }

func errMinutesNotYet() error {
	return errs.New(errs.Conflict, errs.M("meetings.minutes-made-once-meeting-closed", "Die Niederschrift entsteht erst, wenn die Sitzung geschlossen ist.", "The minutes are made once the meeting is closed."))
}

func errMinutesDraftHidden() error {
	return errs.New(errs.Forbidden, errs.M("meetings.minutes-not-approved-yet", "Die Niederschrift ist noch nicht genehmigt; bis dahin sehen sie nur Vorsitz, Schriftführung und Administration.", "The minutes are not approved yet; until then only the chair, the secretary and the administrators see them."))
}

func errMinutesApproved() error {
	return errs.New(errs.Conflict, errs.M("meetings.minutes-approved-can-no-longer", "Die Niederschrift ist genehmigt und kann nicht mehr geändert werden.", "The minutes are approved and can no longer be changed."))
}

func errMinutesMissing() error {
	return errs.New(errs.Conflict, errs.M("meetings.no-draft-minutes-yet", "Es gibt noch keinen Entwurf der Niederschrift. Bitte zuerst den Entwurf abrufen.", "There is no draft of the minutes yet. Please open the draft first."))
}

func errIfMatchRequired() error {
	return errs.InvalidField("if_match", errs.M("documents.send-version-last-read", "Bitte die zuletzt gelesene Version mitschicken (If-Match).", "Please send the version you last read (If-Match)."))
}

// canApprove: the committee's chair or deputy chair with a running term.
func (sc *scope) canApprove() bool {
	return sc.seat != nil && (sc.seat.Role == RoleChair || sc.seat.Role == RoleDeputyChair)
}

// loadMinutes reads a meeting's minutes, nil when there are none yet;
// lock takes the row lock on PostgreSQL.
func loadMinutes(tx *db.Tx, meetingID uuid.UUID, lock bool) (*minutesRow, error) {
	q := "SELECT * FROM meeting_minutes WHERE tenant_id = @tenant AND meeting_id = ?"
	if lock {
		q = forUpdate(tx, q)
	}
	var rows []minutesRow
	if err := tx.Raw(q, meetingID).Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("committees: load minutes: %w", err)
	}
	if len(rows) == 0 {
		return nil, nil
	}
	return &rows[0], nil
}

// loadDraft reads and locks a meeting's draft minutes in version ifMatch,
// with their content: none yet answers errMinutesMissing, approved ones
// errMinutesApproved, another version errs.PreconditionFailed.
func loadDraft(tx *db.Tx, meetingID uuid.UUID, ifMatch int64) (*minutesRow, *MinutesContent, error) {
	row, err := loadMinutes(tx, meetingID, true)
	if err != nil {
		return nil, nil, err
	}
	switch {
	case row == nil:
		return nil, nil, errMinutesMissing()
	case row.State != DraftMinutes:
		return nil, nil, errMinutesApproved()
	case row.Version != ifMatch:
		return nil, nil, errs.Plain(errs.PreconditionFailed)
	}
	c, err := row.content()
	if err != nil {
		return nil, nil, err
	}
	return row, c, nil
}

// minutesOf reads (and on first access after the meeting closed, makes)
// a meeting's minutes as the actor may see them.
func (s *Service) minutesOf(ctx context.Context, tx *db.Tx, a tenant.Actor, meetingID uuid.UUID, now time.Time) (*minutesRow, *scope, error) {
	m, sc, err := loadMeeting(tx, a, meetingID, now, "")
	if err != nil {
		return nil, nil, err
	}
	row, err := loadMinutes(tx, meetingID, false)
	if err != nil {
		return nil, nil, err
	}
	if row == nil {
		if m.State != Closed && m.State != MinutesApproved {
			return nil, nil, errMinutesNotYet()
		}
		if !sc.canManage() {
			return nil, nil, errMinutesDraftHidden()
		}
		// The meeting's row lock serializes the first accesses.
		if m, _, err = loadMeeting(tx, a, meetingID, now, "UPDATE"); err != nil {
			return nil, nil, err
		}
		if row, err = loadMinutes(tx, meetingID, false); err != nil {
			return nil, nil, err
		}
		if row == nil {
			if row, err = createMinutes(ctx, tx, a, m, sc, now); err != nil {
				return nil, nil, err
			}
		}
	}
	if row.State == DraftMinutes && !sc.canManage() {
		return nil, nil, errMinutesDraftHidden()
	}
	return row, sc, nil
}

// readMinutes assembles the minutes with their filings.
func readMinutes(tx *db.Tx, row *minutesRow, sc *scope) (*Minutes, error) {
	c, err := row.content()
	if err != nil {
		return nil, err
	}
	out := &Minutes{ID: row.ID, MeetingID: row.MeetingID, State: row.State, Version: row.Version, Content: *c,
		CreatedAt: row.CreatedAt, CreatedBy: row.CreatedBy, UpdatedAt: row.UpdatedAt, UpdatedBy: row.UpdatedBy,
		ApprovedAt: row.ApprovedAt, ApprovedBy: row.ApprovedBy, Filings: []MinutesFiling{},
		CanEdit: row.State == DraftMinutes && sc.canManage(), CanApprove: row.State == DraftMinutes && sc.canApprove()}
	out.ExtractFilings = []MinutesFiling{}
	out.FilingFolderID = sc.c.FilingFolderID
	var fs []struct {
		AgendaItemID *uuid.UUID `gorm:"column:agenda_item_id"`
		DocumentID   uuid.UUID  `gorm:"column:document_id"`
		RevisionID   uuid.UUID  `gorm:"column:revision_id"`
		Number       int        `gorm:"column:number"`
		FiledAt      time.Time  `gorm:"column:filed_at"`
		FiledBy      uuid.UUID  `gorm:"column:filed_by"`
	}
	if err := tx.Table(filingsTable).Select("minutes_filings.agenda_item_id, minutes_filings.document_id, minutes_filings.revision_id, r.number, minutes_filings.filed_at, minutes_filings.filed_by").
		Joins("JOIN document_revisions r ON r.tenant_id = minutes_filings.tenant_id AND r.id = minutes_filings.revision_id").
		Where("minutes_filings.minutes_id = ?", row.ID).Order("minutes_filings.filed_at, minutes_filings.id").Limit(maxMinutesItemEdits + 1).
		Scan(&fs).Error; err != nil {
		return nil, fmt.Errorf("committees: read filings: %w", err)
	}
	for _, f := range fs {
		mf := MinutesFiling{AgendaItemID: f.AgendaItemID, DocumentID: f.DocumentID, RevisionID: f.RevisionID, RevisionNumber: f.Number,
			FiledAt: f.FiledAt, FiledBy: f.FiledBy}
		if f.AgendaItemID == nil {
			out.Filings = append(out.Filings, mf)
		} else {
			out.ExtractFilings = append(out.ExtractFilings, mf)
		}
	}
	if row.State == ApprovedMinutes && sc.canApprove() {
		n, err := unfiled(tx, row)
		if err != nil {
			return nil, err
		}
		out.CanFile = n > 0
	}
	return out, nil
}

// Minutes returns a meeting's minutes. The first access by a manager after
// the meeting closed makes the draft from the record. Before approval only
// the committee's managers see them (errs.Forbidden); before the meeting
// is closed there are none (errs.Conflict).
//
// For someone who may approve or file them, the committee's filing folder
// is made first when it is missing (filing.go), so that FilingFolderID
// always names a folder they can file in.
func (s *Service) Minutes(ctx context.Context, a tenant.Actor, meetingID uuid.UUID) (*Minutes, error) {
	var out *Minutes
	var committeeID uuid.UUID
	err := s.run(ctx, a, func(tx *db.Tx) error {
		row, sc, err := s.minutesOf(ctx, tx, a, meetingID, s.now())
		if err != nil {
			return err
		}
		committeeID = sc.c.ID
		out, err = readMinutes(tx, row, sc)
		if err != nil || !(out.CanApprove || out.CanFile) || out.FilingFolderID == nil {
			return err
		}
		live, err := documents.FolderIsLive(tx, *out.FilingFolderID)
		if err == nil && !live {
			out.FilingFolderID = nil
		}
		return err
	})
	if err != nil || !(out.CanApprove || out.CanFile) || out.FilingFolderID != nil {
		return out, err
	}
	id, err := s.filingFolder(ctx, a, committeeID)
	if err != nil {
		return nil, err
	}
	out.FilingFolderID = &id
	return out, nil
}
