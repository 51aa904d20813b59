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
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/google/uuid"
	"github.com/kollab/kollab/documents"
	"github.com/kollab/kollab/internal/db"
	"github.com/kollab/kollab/internal/errs"
	"github.com/kollab/kollab/internal/live"
	"github.com/kollab/kollab/meetings/publication"
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

// cleanMinutesText checks one text field of an edit and returns it trimmed
// (in a new string: the caller's stays as it was).
func cleanMinutesText(field string, p *string) (*string, error) {
	if p == nil {
		return nil, nil
	}
	s, ok := text(*p, MaxMinutesTextLen)
	if !ok {
		return nil, errs.InvalidField(field, errs.M("meetings.text-minutes-may-most-20000", "Ein Text der Niederschrift darf höchstens 20000 Zeichen lang sein.", "A text of the minutes may be at most 20000 characters long."))
	}
	return &s, nil
}

// validate checks and trims the edit; in must be the caller's copy (its
// items cloned).
func (in *MinutesEdit) validate() error {
	var err error
	if in.Preamble, err = cleanMinutesText("preamble", in.Preamble); err != nil {
		return err
	}
	if in.Closing, err = cleanMinutesText("closing", in.Closing); err != nil {
		return err
	}
	if len(in.Items) > maxMinutesItemEdits {
		return errs.InvalidField("items", errs.M("meetings.each-agenda-item-may-appear", "Jeder Tagesordnungspunkt darf nur einmal vorkommen.", "Each agenda item may appear only once."))
	}
	seen := map[uuid.UUID]bool{}
	for i := range in.Items {
		it := &in.Items[i]
		if seen[it.AgendaItemID] {
			return errs.InvalidField("items", errs.M("meetings.each-agenda-item-may-appear", "Jeder Tagesordnungspunkt darf nur einmal vorkommen.", "Each agenda item may appear only once."))
		}
		seen[it.AgendaItemID] = true
		if it.Summary, err = cleanMinutesText("summary", it.Summary); err != nil {
			return err
		}
		if it.Decision, err = cleanMinutesText("decision", it.Decision); err != nil {
			return err
		}
	}
	return nil
}

// UpdateMinutes changes the draft's text fields (admins, chair,
// secretary). ifMatch must be the version last read: a stale one answers
// errs.PreconditionFailed; approved minutes answer errs.Conflict.
func (s *Service) UpdateMinutes(ctx context.Context, a tenant.Actor, meetingID uuid.UUID, ifMatch int64, in MinutesEdit) (*Minutes, error) {
	if ifMatch <= 0 {
		return nil, errIfMatchRequired()
	}
	in.Items = slices.Clone(in.Items)
	if err := in.validate(); err != nil {
		return nil, err
	}
	var out *Minutes
	err := s.run(ctx, a, func(tx *db.Tx) error {
		now := s.now()
		_, sc, err := loadMeeting(tx, a, meetingID, now, "")
		if err != nil {
			return err
		}
		if err := sc.needManage(); err != nil {
			return err
		}
		row, err := loadMinutes(tx, meetingID, true)
		if err != nil {
			return err
		}
		switch {
		case row == nil:
			return errMinutesMissing()
		case row.State != DraftMinutes:
			return errMinutesApproved()
		case row.Version != ifMatch:
			return errs.Plain(errs.PreconditionFailed)
		}
		c, err := row.content()
		if err != nil {
			return err
		}
		if in.Preamble != nil {
			c.Preamble = *in.Preamble
		}
		if in.Closing != nil {
			c.Closing = *in.Closing
		}
		for _, e := range in.Items {
			i := slices.IndexFunc(c.Items, func(it MinutesItem) bool { return it.AgendaItemID == e.AgendaItemID })
			if i < 0 {
				return errs.InvalidField("items", errs.M("meetings.agenda-item-not-part-minutes", "Dieser Tagesordnungspunkt gehört nicht zur Niederschrift.", "This agenda item is not part of the minutes."))
			}
			if e.Summary != nil {
				c.Items[i].Summary = *e.Summary
			}
			if e.Decision != nil {
				c.Items[i].Decision = *e.Decision
			}
		}
		b, err := json.Marshal(c)
		if err != nil {
			return fmt.Errorf("committees: encode minutes: %w", err)
		}
		n, err := exec(tx, `UPDATE meeting_minutes SET content = ?, version = version + 1, updated_at = ?, updated_by = ?
			WHERE tenant_id = @tenant AND id = ? AND version = ? AND state = ?`, string(b), now, a.MembershipID, row.ID, ifMatch, DraftMinutes)
		if err != nil {
			return err
		}
		if n != 1 {
			return errs.Plain(errs.PreconditionFailed)
		}
		if err := record(ctx, tx, a, ActionMinutesEdited, "meeting", meetingID,
			map[string]string{"minutes_id": row.ID.String(), "version": fmt.Sprint(ifMatch + 1)}); err != nil {
			return err
		}
		if row, err = loadMinutes(tx, meetingID, false); err != nil {
			return err
		}
		out, err = readMinutes(tx, row, sc)
		return err
	})
	return out, err
}

// ApproveMinutes approves the draft (the committee's chair or deputy chair
// with a running term; anyone else errs.Forbidden) in the version ifMatch
// and files the rendered minutes and the decision extracts (one per item
// with a poll) in the document store: as new documents in folderID, by
// default (uuid.Nil) the committee's own filing folder (filing.go), which
// the chair and deputy chair always write to; in another folder the
// approver needs write permission, checked before anything is approved.
// A document an earlier filing made gets a new revision instead. The
// meeting moves from closed to minutes_approved with the approval.
//
// Approving minutes that are approved but not completely filed (a filing
// failed) files what is missing; approved and filed minutes answer
// errs.Conflict.
func (s *Service) ApproveMinutes(ctx context.Context, a tenant.Actor, meetingID uuid.UUID, ifMatch int64, folderID uuid.UUID) (*Minutes, error) {
	if ifMatch <= 0 {
		return nil, errIfMatchRequired()
	}
	if s.docs == nil {
		return nil, fmt.Errorf("committees: no document store")
	}
	// First the checks that need no write, so that a refused approval
	// leaves nothing behind.
	refile := false
	var committeeID uuid.UUID
	err := s.run(ctx, a, func(tx *db.Tx) error {
		m, sc, err := loadMeeting(tx, a, meetingID, s.now(), "")
		if err != nil {
			return err
		}
		committeeID = m.CommitteeID
		if !sc.canApprove() {
			return errs.New(errs.Forbidden, errs.M("meetings.only-committee-chair", "Nur die oder der Vorsitzende des Gremiums (oder die Stellvertretung) kann die Niederschrift genehmigen.", "Only the committee's chair (or the deputy chair) can approve the minutes."))
		}
		row, err := loadMinutes(tx, meetingID, false)
		if err != nil {
			return err
		}
		switch {
		case row == nil:
			return errMinutesMissing()
		case row.State == ApprovedMinutes:
			missing, err := unfiled(tx, row)
			if err != nil {
				return err
			}
			if missing == 0 {
				return errs.New(errs.Conflict, errs.M("meetings.minutes-already-approved-filed", "Die Niederschrift ist bereits genehmigt und abgelegt.", "The minutes are already approved and filed."))
			}
			refile = true
			return nil
		case m.State != Closed && m.State != MinutesApproved:
			return errMinutesNotYet()
		}
		return nil // the version is checked where it counts, in approve
	})
	if err != nil {
		return nil, err
	}
	if folderID == uuid.Nil {
		if folderID, err = s.filingFolder(ctx, a, committeeID); err != nil {
			return nil, err
		}
	}
	f, err := s.docs.GetFolder(ctx, a, folderID)
	if err != nil {
		return nil, err
	}
	if f.Access < documents.Write {
		return nil, errs.New(errs.Forbidden, errs.M("meetings.may-not-file-documents-folder", "Sie dürfen in diesem Ordner keine Dokumente ablegen.", "You may not file documents in this folder."))
	}
	if !refile {
		if err := s.approve(ctx, a, meetingID, ifMatch); err != nil {
			return nil, err
		}
	}
	if err := s.fileMinutes(ctx, a, meetingID, folderID); err != nil {
		return nil, err
	}
	return s.Minutes(ctx, a, meetingID)
}

// unfiled counts what approved minutes still lack in the document store:
// the minutes themselves, and each decision extract.
func unfiled(tx *db.Tx, row *minutesRow) (int, error) {
	c, err := row.content()
	if err != nil {
		return 0, err
	}
	filed, err := lastFilings(tx, row.ID)
	if err != nil {
		return 0, err
	}
	n := 0
	if _, ok := filed[uuid.Nil]; !ok {
		n++
	}
	for i := range c.Items {
		if _, ok := filed[c.Items[i].AgendaItemID]; len(c.Items[i].Polls) > 0 && !ok {
			n++
		}
	}
	return n, nil
}

// lastFilings maps what approved minutes were filed as to the document of
// its latest filing: uuid.Nil the minutes, an agenda item's id its
// decision extract.
func lastFilings(tx *db.Tx, minutesID uuid.UUID) (map[uuid.UUID]uuid.UUID, error) {
	var rows []struct {
		DocumentID   uuid.UUID  `gorm:"column:document_id"`
		AgendaItemID *uuid.UUID `gorm:"column:agenda_item_id"`
	}
	if err := tx.Table(filingsTable).Select("document_id, agenda_item_id").Where("minutes_id = ?", minutesID).
		Order("filed_at DESC, id DESC").Limit(maxMinutesItemEdits + 1).Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("committees: read filings: %w", err)
	}
	out := map[uuid.UUID]uuid.UUID{}
	for _, r := range rows {
		k := uuid.Nil
		if r.AgendaItemID != nil {
			k = *r.AgendaItemID
		}
		if _, ok := out[k]; !ok {
			out[k] = r.DocumentID
		}
	}
	return out, nil
}

// approve freezes the draft of version ifMatch and moves the meeting from
// closed to minutes_approved, in one transaction.
func (s *Service) approve(ctx context.Context, a tenant.Actor, meetingID uuid.UUID, ifMatch int64) error {
	return s.run(ctx, a, func(tx *db.Tx) error {
		now := s.now()
		m, sc, err := loadMeeting(tx, a, meetingID, now, "UPDATE")
		if err != nil {
			return err
		}
		if !sc.canApprove() {
			return errs.New(errs.Forbidden, errs.M("meetings.only-committee-chair", "Nur die oder der Vorsitzende des Gremiums (oder die Stellvertretung) kann die Niederschrift genehmigen.", "Only the committee's chair (or the deputy chair) can approve the minutes."))
		}
		row, err := loadMinutes(tx, meetingID, true)
		if err != nil {
			return err
		}
		switch {
		case row == nil:
			return errMinutesMissing()
		case row.State != DraftMinutes:
			return errMinutesApproved()
		case row.Version != ifMatch:
			return errs.Plain(errs.PreconditionFailed)
		}
		c, err := row.content()
		if err != nil {
			return err
		}
		names, err := displayNames(tx, []uuid.UUID{a.MembershipID})
		if err != nil {
			return err
		}
		c.Approval = &MinutesApproval{MinutesPerson: MinutesPerson{MembershipID: a.MembershipID, Name: names[a.MembershipID]}, At: now}
		b, err := json.Marshal(c)
		if err != nil {
			return fmt.Errorf("committees: encode minutes: %w", err)
		}
		n, err := exec(tx, `UPDATE meeting_minutes SET state = ?, content = ?, version = version + 1, updated_at = ?, updated_by = ?,
			approved_at = ?, approved_by = ? WHERE tenant_id = @tenant AND id = ? AND version = ? AND state = ?`,
			ApprovedMinutes, string(b), now, a.MembershipID, now, a.MembershipID, row.ID, ifMatch, DraftMinutes)
		if err != nil {
			return err
		}
		if n != 1 {
			return errs.Plain(errs.PreconditionFailed)
		}
		// The meeting state machine's last step (a meeting moved there
		// without minutes keeps its state).
		switch {
		case m.State == Closed && meetingNext[Closed] == MinutesApproved:
			n, err := exec(tx, "UPDATE meetings SET state = ?, minutes_approved_at = ?, updated_at = ? WHERE tenant_id = @tenant AND id = ? AND state = ?",
				MinutesApproved, now, now, meetingID, Closed)
			if err != nil {
				return err
			}
			if n != 1 {
				return errs.New(errs.Conflict, errs.M("meetings.meeting-state-change-not-allowed", "Dieser Statuswechsel der Sitzung ist nicht erlaubt.", "This change of the meeting's state is not allowed."))
			}
			if err := record(ctx, tx, a, ActionMeetingState, "meeting", meetingID,
				map[string]string{"from": string(Closed), "to": string(MinutesApproved)}); err != nil {
				return err
			}
			if err := s.changed(tx, live.KindMeeting, meetingID, "state"); err != nil {
				return err
			}
		case m.State != MinutesApproved:
			return errMinutesNotYet()
		}
		return record(ctx, tx, a, ActionMinutesApproved, "meeting", meetingID,
			map[string]string{"minutes_id": row.ID.String(), "version": fmt.Sprint(ifMatch)})
	})
}

// ExtractMetadataKey is the document metadata field that names the agenda
// item a filed decision extract belongs to.
const ExtractMetadataKey = "kollab_agenda_item_id"

// ActionExtractFiled records that a decision extract was filed.
const ActionExtractFiled = "committees.extract.filed"

// fileMinutes renders the approved minutes and their decision extracts
// and files what is not filed yet (see ApproveMinutes).
func (s *Service) fileMinutes(ctx context.Context, a tenant.Actor, meetingID, folderID uuid.UUID) error {
	var row *minutesRow
	var c *MinutesContent
	var filed map[uuid.UUID]uuid.UUID
	err := s.run(ctx, a, func(tx *db.Tx) error {
		var err error
		if row, _, err = s.minutesOf(ctx, tx, a, meetingID, s.now()); err != nil {
			return err
		}
		if row.State != ApprovedMinutes {
			return errs.New(errs.Conflict, errs.M("meetings.minutes-not-approved-yet-2", "Die Niederschrift ist noch nicht genehmigt.", "The minutes are not approved yet."))
		}
		if c, err = row.content(); err != nil {
			return err
		}
		filed, err = lastFilings(tx, row.ID)
		return err
	})
	if err != nil {
		return err
	}
	if _, ok := filed[uuid.Nil]; !ok {
		pdf, err := s.render.MinutesPDF(row.document(c, false))
		if err != nil {
			return err
		}
		desc := "Genehmigte Niederschrift der Sitzung „" + c.Header.MeetingTitle + "“ (" + c.Header.CommitteeName + ")"
		if err := s.fileOne(ctx, a, meetingID, row, folderID, nil, func(suffix string) string { return minutesTitle(c, suffix) },
			desc, "Genehmigte Niederschrift", pdf); err != nil {
			return err
		}
	}
	for i := range c.Items {
		it := &c.Items[i]
		if _, ok := filed[it.AgendaItemID]; ok || len(it.Polls) == 0 {
			continue
		}
		pdf, err := s.render.DecisionExtractPDF(row.document(c, false), it)
		if err != nil {
			return err
		}
		desc := fmt.Sprintf("Beschlussauszug zu TOP %d „%s“ der Sitzung „%s“ (%s)", it.Number, it.Title, c.Header.MeetingTitle, c.Header.CommitteeName)
		itemID := it.AgendaItemID
		if err := s.fileOne(ctx, a, meetingID, row, folderID, &itemID, func(suffix string) string { return extractTitleN(c, it, suffix) },
			desc, "Beschlussauszug aus der genehmigten Niederschrift", pdf); err != nil {
			return err
		}
	}
	return nil
}

// fileOne files one rendered PDF of approved minutes (itemID nil: the
// minutes; else the item's decision extract): as a new revision of the
// document its last filing made, if that is still there, else as a new
// document in folderID; then it records the filing.
func (s *Service) fileOne(ctx context.Context, a tenant.Actor, meetingID uuid.UUID, row *minutesRow, folderID uuid.UUID, itemID *uuid.UUID,
	title func(suffix string) string, description, comment string, pdf []byte) error {
	var lastDoc *uuid.UUID
	key := uuid.Nil
	if itemID != nil {
		key = *itemID
	}
	if err := s.run(ctx, a, func(tx *db.Tx) error {
		filed, err := lastFilings(tx, row.ID)
		if d, ok := filed[key]; ok {
			lastDoc = &d
		}
		return err
	}); err != nil {
		return err
	}
	up := documents.Upload{FileName: title(""), Size: int64(len(pdf)), Comment: comment}
	var rev *documents.Revision
	var err error
	if lastDoc != nil {
		_, rev, err = s.fileRevision(ctx, a, *lastDoc, up, pdf)
		if errs.Is(err, errs.NotFound) { // trashed, purged or no longer readable: file anew
			lastDoc, err = nil, nil
		}
		if err != nil {
			return err
		}
	}
	if lastDoc == nil {
		meta := documents.Metadata{MinutesMetadataKey: row.ID.String()}
		if itemID != nil {
			meta[ExtractMetadataKey] = itemID.String()
		}
		in := documents.DocumentInput{Description: description, Metadata: meta}
		if utf8.RuneCountInString(in.Description) > MaxDescriptionLen {
			in.Description = ""
		}
		// A title taken by another document gets a number; one taken by
		// this very filing (an interrupted one) gets the revision.
		for n := 1; ; n++ {
			in.Title = title(numbered(n))
			up.FileName = in.Title
			_, rev, err = s.docs.CreateDocumentWithRevision(ctx, a, folderID, in, up, bytes.NewReader(pdf))
			if err == nil || !errs.Is(err, errs.Conflict) || n == 9 {
				break
			}
			doc, lerr := s.docs.DocumentByTitle(ctx, a, folderID, in.Title)
			if lerr != nil && !errs.Is(lerr, errs.NotFound) {
				break
			}
			if lerr == nil && doc.Metadata[MinutesMetadataKey] == row.ID.String() && doc.Metadata[ExtractMetadataKey] == meta[ExtractMetadataKey] {
				_, rev, err = s.fileRevision(ctx, a, doc.ID, up, pdf)
				break
			}
		}
		if err != nil {
			return err
		}
	}
	return s.run(ctx, a, func(tx *db.Tx) error {
		var have int64
		if err := tx.Table(filingsTable).Where("revision_id = ?", rev.ID).Count(&have).Error; err != nil {
			return fmt.Errorf("committees: read filings: %w", err)
		}
		if have > 0 {
			return nil
		}
		rec := &filingRow{TenantID: a.TenantID, ID: db.NewID(), MinutesID: row.ID, DocumentID: rev.DocumentID, RevisionID: rev.ID,
			AgendaItemID: itemID, FiledAt: s.now(), FiledBy: a.MembershipID}
		if err := tx.Create(filingsTable, rec); err != nil {
			return fmt.Errorf("committees: record filing: %w", err)
		}
		details := map[string]string{"minutes_id": row.ID.String(), "document_id": rev.DocumentID.String(), "revision_id": rev.ID.String(),
			"number": fmt.Sprint(rev.Number), "sha256": rev.SHA256, "folder_id": folderID.String()}
		action := ActionMinutesFiled
		if itemID != nil {
			action, details["agenda_item_id"] = ActionExtractFiled, itemID.String()
		}
		return record(ctx, tx, a, action, "meeting", meetingID, details)
	})
}

// fileRevision makes pdf the document's current revision, unless it is
// already (an interrupted filing, retried).
func (s *Service) fileRevision(ctx context.Context, a tenant.Actor, docID uuid.UUID, up documents.Upload, pdf []byte) (*documents.Document, *documents.Revision, error) {
	sum := sha256.Sum256(pdf)
	if cur, err := s.docs.GetRevision(ctx, a, docID, uuid.Nil); err == nil && cur.SHA256 == hex.EncodeToString(sum[:]) {
		doc, err := s.docs.GetDocument(ctx, a, docID)
		return doc, cur, err
	}
	return s.docs.AddRevision(ctx, a, docID, up, bytes.NewReader(pdf))
}

func numbered(n int) string {
	if n <= 1 {
		return ""
	}
	return fmt.Sprintf(" (%d)", n)
}

// MinutesRenderer renders minutes and decision extracts as PDF
// (meetings/render implements it; internal/app wires it in).
type MinutesRenderer interface {
	// MinutesPDF renders minutes: the draft marked as such on every page.
	MinutesPDF(d *MinutesDocument) ([]byte, error)
	// DecisionExtractPDF renders the decision extract (Beschlussauszug)
	// of one item of approved minutes.
	DecisionExtractPDF(d *MinutesDocument, item *MinutesItem) ([]byte, error)
}

// MinutesDocument is minutes as a rendering shows them: their content,
// state and dates (a rendering writes these dates only, so the same
// minutes always give the same bytes).
type MinutesDocument struct {
	Content    *MinutesContent
	State      MinutesState
	Version    int64
	UpdatedAt  time.Time
	ApprovedAt *time.Time
	// PublicOnly marks the public part (publicPart): Content holds the
	// public items only.
	PublicOnly bool
}

// publicPart is the public part of minutes: their public items only
// (publication.ItemPublic; the minutes hold accepted items only).
func publicPart(c *MinutesContent) *MinutesContent {
	p := *c
	p.Items = slices.DeleteFunc(slices.Clone(c.Items), func(it MinutesItem) bool { return !publication.ItemPublic(string(Accepted), it.Public) })
	return &p
}

// document is the row's minutes with content c as a rendering shows them.
func (r *minutesRow) document(c *MinutesContent, publicOnly bool) *MinutesDocument {
	return &MinutesDocument{Content: c, State: r.State, Version: r.Version, UpdatedAt: r.UpdatedAt, ApprovedAt: r.ApprovedAt, PublicOnly: publicOnly}
}

// PDF is a rendered document.
type PDF struct {
	FileName string
	Data     []byte
	// Approved is false for a draft (marked as such on every page).
	Approved bool
}

// MinutesPDF renders a meeting's minutes (who may read them: see Minutes):
// the draft marked as such, or the approved minutes exactly as filed.
// publicOnly leaves out the non-public agenda items (the full version
// marks them as non-public).
func (s *Service) MinutesPDF(ctx context.Context, a tenant.Actor, meetingID uuid.UUID, publicOnly bool) (*PDF, error) {
	var row *minutesRow
	var c *MinutesContent
	err := s.run(ctx, a, func(tx *db.Tx) error {
		var err error
		if row, _, err = s.minutesOf(ctx, tx, a, meetingID, s.now()); err != nil {
			return err
		}
		c, err = row.content()
		return err
	})
	if err != nil {
		return nil, err
	}
	if publicOnly {
		c = publicPart(c)
	}
	data, err := s.render.MinutesPDF(row.document(c, publicOnly))
	if err != nil {
		return nil, err
	}
	suffix := ""
	if publicOnly {
		suffix = " (öffentlicher Teil)"
	}
	if row.State == DraftMinutes {
		suffix += " (Entwurf)"
	}
	return &PDF{FileName: minutesTitle(c, suffix), Data: data, Approved: row.State == ApprovedMinutes}, nil
}

// DecisionExtractPDF renders the decision extract (Beschlussauszug) of an
// agenda item from the approved minutes: the item, its decision text and
// each poll's wording, result and verdict, with date and committee. Before
// the minutes are approved, and for an item without a poll, it answers
// errs.Conflict.
func (s *Service) DecisionExtractPDF(ctx context.Context, a tenant.Actor, itemID uuid.UUID) (*PDF, error) {
	var row *minutesRow
	var c *MinutesContent
	err := s.run(ctx, a, func(tx *db.Tx) error {
		now := s.now()
		it, _, _, err := loadItem(tx, a, itemID, now, "")
		if err != nil {
			return err
		}
		if row, err = loadMinutes(tx, it.MeetingID, false); err != nil {
			return err
		}
		if row == nil || row.State != ApprovedMinutes {
			return errs.New(errs.Conflict, errs.M("meetings.decision-extract-exists-only-once", "Ein Beschlussauszug entsteht erst mit der Genehmigung der Niederschrift.", "A decision extract exists only once the minutes are approved."))
		}
		c, err = row.content()
		return err
	})
	if err != nil {
		return nil, err
	}
	i := slices.IndexFunc(c.Items, func(it MinutesItem) bool { return it.AgendaItemID == itemID })
	if i < 0 || len(c.Items[i].Polls) == 0 {
		return nil, errs.New(errs.Conflict, errs.M("meetings.no-vote-no-decision-extract", "Zu diesem Tagesordnungspunkt wurde nicht abgestimmt; es gibt keinen Beschlussauszug.", "There was no vote on this agenda item, so it has no decision extract."))
	}
	data, err := s.render.DecisionExtractPDF(row.document(c, false), &c.Items[i])
	if err != nil {
		return nil, err
	}
	return &PDF{FileName: extractTitle(c, &c.Items[i]), Data: data, Approved: true}, nil
}

// --- making the draft from the record ---

// createMinutes makes and stores the draft of a closed meeting.
func createMinutes(ctx context.Context, tx *db.Tx, a tenant.Actor, m *meetingRow, sc *scope, now time.Time) (*minutesRow, error) {
	c, err := generateMinutes(tx, m, sc, now)
	if err != nil {
		return nil, err
	}
	b, err := json.Marshal(c)
	if err != nil {
		return nil, fmt.Errorf("committees: encode minutes: %w", err)
	}
	rec := &minutesRow{TenantID: a.TenantID, ID: db.NewID(), MeetingID: m.ID, State: DraftMinutes, Version: 1, Content: string(b),
		CreatedAt: now, CreatedBy: a.MembershipID, UpdatedAt: now, UpdatedBy: a.MembershipID}
	if err := tx.Create(minutesTable, rec); err != nil {
		return nil, fmt.Errorf("committees: create minutes: %w", err)
	}
	if err := record(ctx, tx, a, ActionMinutesCreated, "meeting", m.ID, map[string]string{"minutes_id": rec.ID.String()}); err != nil {
		return nil, err
	}
	return rec, nil
}

// roleRank orders the attendance register.
var roleRank = map[Role]int{RoleChair: 0, RoleDeputyChair: 1, RoleSecretary: 2, RoleMember: 3, RoleDeputy: 4, RoleAdvisory: 5}

// generateMinutes reads the meeting's record into a draft.
func generateMinutes(tx *db.Tx, m *meetingRow, sc *scope, now time.Time) (*MinutesContent, error) {
	ref := m.StartsAt
	if m.OpenedAt != nil {
		ref = *m.OpenedAt
	}
	c := &MinutesContent{GeneratedAt: now, Attendance: []MinutesAttendee{}, Items: []MinutesItem{},
		Header: MinutesHeader{CommitteeID: sc.c.ID, CommitteeName: sc.c.Name, MeetingTitle: m.Title, StartsAt: m.StartsAt, EndsAt: m.EndsAt,
			OpenedAt: m.OpenedAt, ClosedAt: m.ClosedAt, Place: m.Place, OnlineURL: m.OnlineURL,
			Chairs: []MinutesPerson{}, Secretaries: []MinutesPerson{}}}
	people := map[uuid.UUID]bool{}

	// Seats and attendance.
	var seats []memberRow
	if err := tx.Table(membersTable).Where("committee_id = ?", m.CommitteeID).Order("created_at, id").Scan(&seats).Error; err != nil {
		return nil, fmt.Errorf("committees: read members: %w", err)
	}
	var att []attendanceRow
	if err := tx.Table(attendanceTable).Where("meeting_id = ?", m.ID).Scan(&att).Error; err != nil {
		return nil, fmt.Errorf("committees: read attendance: %w", err)
	}
	attOf := map[uuid.UUID]*attendanceRow{}
	for i := range att {
		attOf[att[i].MemberID] = &att[i]
	}
	seatOfMember := map[uuid.UUID]*memberRow{}
	var listed []*memberRow
	for i := range seats {
		se := &seats[i]
		seatOfMember[se.ID] = se
		running := !se.TermStart.After(ref) && (se.TermEnd == nil || se.TermEnd.After(ref))
		if running || attOf[se.ID] != nil {
			listed = append(listed, se)
			people[se.MembershipID] = true
		}
	}

	// Agenda: the accepted items in order, and what belongs to them.
	items, err := agenda(tx, m.ID)
	if err != nil {
		return nil, err
	}
	itemIDs := []uuid.UUID{}
	for _, it := range items {
		if it.State == Accepted {
			itemIDs = append(itemIDs, it.ID)
		}
	}
	var papers []struct {
		ItemID   uuid.UUID `gorm:"column:agenda_item_id"`
		DocID    uuid.UUID `gorm:"column:document_id"`
		Title    string    `gorm:"column:title"`
		Revision *int      `gorm:"column:number"`
	}
	var conflicts []struct {
		ItemID       uuid.UUID `gorm:"column:agenda_item_id"`
		MembershipID uuid.UUID `gorm:"column:membership_id"`
		Reason       string    `gorm:"column:reason"`
	}
	var posts []postRow
	var polls []pollRow
	if len(itemIDs) > 0 {
		if err := tx.Raw(`SELECT p.agenda_item_id, p.document_id, d.title, r.number
			FROM meeting_papers p
			JOIN documents d ON d.tenant_id = p.tenant_id AND d.id = p.document_id
			LEFT JOIN document_revisions r ON r.tenant_id = p.tenant_id AND r.id = p.revision_id
			WHERE p.tenant_id = @tenant AND p.agenda_item_id IN ? ORDER BY p.added_at, p.id`, itemIDs).Scan(&papers).Error; err != nil {
			return nil, fmt.Errorf("committees: read papers: %w", err)
		}
		if err := tx.Raw(`SELECT c.agenda_item_id, cm.membership_id, c.reason
			FROM conflict_declarations c
			JOIN committee_members cm ON cm.tenant_id = c.tenant_id AND cm.id = c.member_id
			WHERE c.tenant_id = @tenant AND c.agenda_item_id IN ? ORDER BY c.declared_at, c.id`, itemIDs).Scan(&conflicts).Error; err != nil {
			return nil, fmt.Errorf("committees: read conflicts: %w", err)
		}
		if err := tx.Table(postsTable).Where("agenda_item_id IN ?", itemIDs).Order("created_at, id").Scan(&posts).Error; err != nil {
			return nil, fmt.Errorf("committees: read posts: %w", err)
		}
		if err := tx.Table(pollsTable).Where("meeting_id = ? AND agenda_item_id IN ? AND state IN ?", m.ID, itemIDs,
			[]PollState{PollClosed, PollPublished, PollAnnulled}).Order("created_at, id").Scan(&polls).Error; err != nil {
			return nil, fmt.Errorf("committees: read polls: %w", err)
		}
	}
	for _, x := range conflicts {
		people[x.MembershipID] = true
	}
	for _, p := range posts {
		people[p.AuthorID] = true
	}
	pollIDs := make([]uuid.UUID, len(polls))
	for i, p := range polls {
		pollIDs[i] = p.ID
	}
	var options []optionRow
	var results []resultRow
	var receipts []struct {
		PollID uuid.UUID `gorm:"column:poll_id"`
		N      int       `gorm:"column:n"`
	}
	var votes []struct {
		PollID    uuid.UUID `gorm:"column:poll_id"`
		Voter     uuid.UUID `gorm:"column:voter_membership_id"`
		CastBy    uuid.UUID `gorm:"column:cast_by_membership_id"`
		Choice    string    `gorm:"column:choice"`
		OptionIDs string    `gorm:"column:option_ids"`
		Weight    int       `gorm:"column:weight"`
	}
	if len(pollIDs) > 0 {
		if err := tx.Table(optionsTable).Where("poll_id IN ?", pollIDs).Order("position").Scan(&options).Error; err != nil {
			return nil, fmt.Errorf("committees: read options: %w", err)
		}
		if err := tx.Table(resultsTable).Where("poll_id IN ?", pollIDs).Scan(&results).Error; err != nil {
			return nil, fmt.Errorf("committees: read results: %w", err)
		}
		if err := tx.Table(receiptsTable).Select("poll_id, count(*) AS n").Where("poll_id IN ?", pollIDs).Group("poll_id").
			Scan(&receipts).Error; err != nil {
			return nil, fmt.Errorf("committees: count ballots: %w", err)
		}
		if err := tx.Table(votesTable).Select("poll_id, voter_membership_id, cast_by_membership_id, choice, option_ids, weight").
			Where("poll_id IN ?", pollIDs).Order("cast_at, id").Scan(&votes).Error; err != nil {
			return nil, fmt.Errorf("committees: read votes: %w", err)
		}
	}
	for _, v := range votes {
		people[v.Voter], people[v.CastBy] = true, true
	}

	ids := make([]uuid.UUID, 0, len(people))
	for id := range people {
		ids = append(ids, id)
	}
	names, err := displayNames(tx, ids)
	if err != nil {
		return nil, err
	}
	person := func(id uuid.UUID) MinutesPerson { return MinutesPerson{MembershipID: id, Name: names[id]} }

	// Header and attendance register.
	slices.SortStableFunc(listed, func(x, y *memberRow) int {
		if d := roleRank[x.Role] - roleRank[y.Role]; d != 0 {
			return d
		}
		return strings.Compare(names[x.MembershipID], names[y.MembershipID])
	})
	q := MinutesQuorum{Rule: sc.c.quorum()}
	for _, se := range listed {
		running := !se.TermStart.After(ref) && (se.TermEnd == nil || se.TermEnd.After(ref))
		switch {
		case !running:
		case se.Role == RoleChair:
			c.Header.Chairs = append(c.Header.Chairs, person(se.MembershipID))
		case se.Role == RoleSecretary:
			c.Header.Secretaries = append(c.Header.Secretaries, person(se.MembershipID))
		}
		at := MinutesAttendee{MinutesPerson: person(se.MembershipID), Role: se.Role, Voting: se.Voting, Weight: se.Weight, Status: Absent}
		if r := attOf[se.ID]; r != nil {
			at.Status, at.ArrivedAt, at.DepartedAt = r.Status, r.ArrivedAt, r.DepartedAt
		}
		c.Attendance = append(c.Attendance, at)
		if se.Voting && running {
			q.Members++
			q.MembersWeight += int64(se.Weight)
			if at.Status == Present {
				q.Present++
				q.PresentWeight += int64(se.Weight)
			}
		}
	}
	q.Reached = q.Rule.reaches(q.PresentWeight, q.MembersWeight)
	c.Quorum = q

	// Items.
	labels := map[uuid.UUID]string{}
	optionsOf := map[uuid.UUID][]optionRow{}
	for _, o := range options {
		labels[o.ID] = o.Label
		optionsOf[o.PollID] = append(optionsOf[o.PollID], o)
	}
	resultOf := map[uuid.UUID]*resultRow{}
	for i := range results {
		resultOf[results[i].PollID] = &results[i]
	}
	ballotsOf := map[uuid.UUID]int{}
	for _, r := range receipts {
		ballotsOf[r.PollID] = r.N
	}
	for _, it := range items {
		if it.State != Accepted {
			continue
		}
		mi := MinutesItem{AgendaItemID: it.ID, Number: it.Number, Title: it.Title, Description: it.Description, Public: it.Public,
			Papers: []MinutesPaper{}, Conflicts: []MinutesConflict{}, Polls: []MinutesPoll{}}
		for _, p := range papers {
			if p.ItemID == it.ID {
				mp := MinutesPaper{DocumentID: p.DocID, Title: p.Title}
				if p.Revision != nil {
					mp.RevisionNumber = *p.Revision
				}
				mi.Papers = append(mi.Papers, mp)
			}
		}
		for _, x := range conflicts {
			if x.ItemID == it.ID {
				mi.Conflicts = append(mi.Conflicts, MinutesConflict{MinutesPerson: person(x.MembershipID), Reason: x.Reason})
			}
		}
		var lines []string
		for _, p := range posts {
			if p.AgendaItemID == it.ID {
				lines = append(lines, names[p.AuthorID]+": "+p.Body)
			}
		}
		mi.Summary = cut(strings.Join(lines, "\n\n"), MaxMinutesTextLen)
		for i := range polls {
			p := &polls[i]
			if p.AgendaItemID == nil || *p.AgendaItemID != it.ID {
				continue
			}
			// An annulled poll, and a secret poll too small to count, show
			// no tally: only that they decided nothing, and why.
			if p.State == PollAnnulled || tooFewBallots(p, ballotsOf[p.ID]) {
				mp := MinutesPoll{PollID: p.ID, Title: p.Title, Kind: p.Kind, Method: p.Method, Seats: p.Seats, Rule: p.rule(),
					ClosedAt: p.ClosedAt, Ballots: ballotsOf[p.ID], Options: []MinutesOptionResult{}, NamedVotes: []MinutesVote{}}
				if p.State == PollAnnulled {
					mp.Annulled, mp.Verdict = true, "annulliert"
					if p.AnnulReason != nil {
						mp.AnnulReason = *p.AnnulReason
					}
				} else {
					mp.NoResult, mp.Verdict = true, "nicht ausgewertet: zu wenige Stimmen für eine geheime Auswertung"
				}
				mi.Polls = append(mi.Polls, mp)
				continue
			}
			res := resultOf[p.ID]
			if res == nil {
				return nil, fmt.Errorf("committees: closed poll %s has no result", p.ID)
			}
			mp := MinutesPoll{PollID: p.ID, Title: p.Title, Kind: p.Kind, Method: p.Method, Seats: p.Seats, Rule: p.rule(), ClosedAt: p.ClosedAt,
				Ballots: res.Ballots, Yes: res.YesWeight, No: res.NoWeight, Abstain: res.AbstainWeight, Options: []MinutesOptionResult{},
				BaseWeight: res.BaseWeight, PresentWeight: res.PresentWeight, MembersWeight: res.MembersWeight, QuorumReached: res.QuorumReached,
				Passed: res.Passed, TieAtCut: res.TieAtCut, NamedVotes: []MinutesVote{}}
			var elected []string
			if p.Method == Choice {
				var ov []OptionVotes
				if err := json.Unmarshal([]byte(res.OptionVotes), &ov); err != nil {
					return nil, fmt.Errorf("committees: decode option votes: %w", err)
				}
				el, err := decodeIDs(res.Elected)
				if err != nil {
					return nil, err
				}
				for _, o := range optionsOf[p.ID] {
					r := MinutesOptionResult{Label: o.Label, Elected: slices.Contains(el, o.ID)}
					for _, v := range ov {
						if v.OptionID == o.ID {
							r.Votes = v.Votes
						}
					}
					mp.Options = append(mp.Options, r)
				}
				for _, id := range el {
					elected = append(elected, labels[id])
				}
			}
			mp.Verdict = verdict(p.Method, res.Passed, res.TieAtCut, elected)
			if p.Kind == Named {
				for _, v := range votes {
					if v.PollID != p.ID {
						continue
					}
					mv := MinutesVote{MinutesPerson: person(v.Voter), Choice: v.Choice, Options: []string{}, Weight: v.Weight}
					ids, err := decodeIDs(v.OptionIDs)
					if err != nil {
						return nil, err
					}
					for _, id := range ids {
						mv.Options = append(mv.Options, labels[id])
					}
					if v.CastBy != v.Voter {
						by := person(v.CastBy)
						mv.CastBy = &by
					}
					mp.NamedVotes = append(mp.NamedVotes, mv)
				}
				slices.SortStableFunc(mp.NamedVotes, func(x, y MinutesVote) int { return strings.Compare(x.Name, y.Name) })
			}
			mi.Polls = append(mi.Polls, mp)
		}
		c.Items = append(c.Items, mi)
	}
	return c, nil
}

// displayNames maps memberships of the transaction's tenant to their
// users' display names.
func displayNames(tx *db.Tx, ids []uuid.UUID) (map[uuid.UUID]string, error) {
	out := make(map[uuid.UUID]string, len(ids))
	for chunk := range slices.Chunk(ids, 500) {
		var rows []struct {
			ID   uuid.UUID `gorm:"column:id"`
			Name string    `gorm:"column:display_name"`
		}
		if err := tx.Raw(`SELECT m.id, u.display_name FROM memberships m JOIN users u ON u.id = m.user_id
			WHERE m.tenant_id = @tenant AND m.id IN ?`, chunk).Scan(&rows).Error; err != nil {
			return nil, fmt.Errorf("committees: read names: %w", err)
		}
		for _, r := range rows {
			out[r.ID] = r.Name
		}
	}
	return out, nil
}

// verdict says a poll's outcome in words.
func verdict(m Method, passed, tie bool, elected []string) string {
	if m != Choice {
		if passed {
			return "angenommen"
		}
		return "abgelehnt"
	}
	var v string
	switch {
	case passed:
		v = "gewählt: " + strings.Join(elected, ", ")
	case len(elected) > 0:
		v = "gewählt: " + strings.Join(elected, ", ") + "; nicht alle Sitze besetzt"
	default:
		v = "niemand gewählt"
	}
	if tie {
		v += " (Stimmengleichheit um den letzten Sitz, nicht entschieden)"
	}
	return v
}

// cut shortens s to at most max runes.
func cut(s string, max int) string {
	if utf8.RuneCountInString(s) <= max {
		return s
	}
	r := []rune(s)
	return strings.TrimSpace(string(r[:max-1])) + "…"
}

// fileTitle makes s usable in a document title (which is also a file name).
func fileTitle(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r == '/' || r == '\\':
			return '-'
		case unicode.IsControl(r):
			return ' '
		}
		return r
	}, s)
}

// minutesTitle is the minutes' document title and file name.
func minutesTitle(c *MinutesContent, suffix string) string {
	head := "Niederschrift " + c.Header.CommitteeName + " " + c.Header.StartsAt.In(tenant.Berlin).Format("2006-01-02") + " "
	tail := suffix + ".pdf"
	room := MaxTitleLen - utf8.RuneCountInString(head) - utf8.RuneCountInString(tail)
	return fileTitle(head + cut(c.Header.MeetingTitle, max(room, 1)) + tail)
}

// extractTitle is a decision extract's file name.
func extractTitle(c *MinutesContent, it *MinutesItem) string { return extractTitleN(c, it, "") }

// extractTitleN is extractTitle with a suffix before ".pdf" (" (2)").
func extractTitleN(c *MinutesContent, it *MinutesItem, suffix string) string {
	return fileTitle(fmt.Sprintf("Beschlussauszug %s %s TOP %d%s.pdf", cut(c.Header.CommitteeName, 200),
		c.Header.StartsAt.In(tenant.Berlin).Format("2006-01-02"), it.Number, suffix))
}
