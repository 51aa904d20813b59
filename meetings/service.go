package meetings

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/kollab/kollab/documents"
	"github.com/kollab/kollab/internal/db"
	"github.com/kollab/kollab/internal/errs"
	"github.com/kollab/kollab/internal/live"
	"github.com/kollab/kollab/internal/notify"
	"github.com/kollab/kollab/tenant"
)

// Table names.
const (
	committeesTable  = "committees"
	membersTable     = "committee_members"
	meetingsTable    = "meetings"
	itemsTable       = "agenda_items"
	papersTable      = "meeting_papers"
	attendanceTable  = "meeting_attendance"
	postsTable       = "agenda_posts"
	conflictsTable   = "conflict_declarations"
	pollsTable       = "polls"
	optionsTable     = "poll_options"
	delegationsTable = "delegations"
	receiptsTable    = "poll_receipts"
	votesTable       = "poll_votes"
	resultsTable     = "poll_results"
)

// Audit actions recorded by the committee module. A secret ballot is
// recorded by its receipt only (who, which poll), never its choice.
const (
	ActionCommitteeCreated  = "committees.committee.created"
	ActionCommitteeUpdated  = "committees.committee.updated"
	ActionMemberSet         = "committees.member.set"
	ActionMemberRemoved     = "committees.member.removed"
	ActionMeetingCreated    = "committees.meeting.created"
	ActionMeetingUpdated    = "committees.meeting.updated"
	ActionMeetingState      = "committees.meeting.state_changed"
	ActionMeetingCancelled  = "committees.meeting.cancelled"
	ActionCurrentItem       = "committees.meeting.current_item"
	ActionItemAdded         = "committees.agenda_item.added"
	ActionItemDecided       = "committees.agenda_item.decided"
	ActionItemUpdated       = "committees.agenda_item.updated"
	ActionAgendaReordered   = "committees.agenda.reordered"
	ActionPaperAttached     = "committees.paper.attached"
	ActionPaperDetached     = "committees.paper.detached"
	ActionAttendance        = "committees.attendance.changed"
	ActionPosted            = "committees.agenda_item.posted"
	ActionConflictDeclared  = "committees.conflict.declared"
	ActionConflictWithdrawn = "committees.conflict.withdrawn"
	ActionDelegated         = "committees.delegation.created"
	ActionDelegationRevoked = "committees.delegation.revoked"
	ActionPollCreated       = "committees.poll.created"
	ActionPollUpdated       = "committees.poll.updated"
	ActionPollDeleted       = "committees.poll.deleted"
	ActionPollOpened        = "committees.poll.opened"
	ActionPollClosed        = "committees.poll.closed"
	ActionPollPublished     = "committees.poll.published"
	ActionPollAnnulled      = "committees.poll.annulled"
	ActionBallotCast        = "committees.poll.ballot_cast"
)

// Service is the committee module. Every method takes the caller as an
// Actor and runs in one transaction of the actor's tenant; audit events
// commit with the change they describe.
type Service struct {
	db *db.DB
	// docs is the document store, asked whether the caller may read a
	// document before it becomes a session paper.
	docs *documents.Service
	// clock is the clock; tests inject one. Defaults to db.Now.
	clock func() time.Time
	// live carries what changed to the live event streams (nil: nobody
	// follows live).
	live *live.Hub
	// notify receives the module's notifications (notify.go).
	notify *notify.Service
	// mailQueued, when set, is called after a transaction that queued
	// e-mails (invitations, reminders) has committed: the mail loop wakes.
	mailQueued func()
	// render renders the minutes and decision extracts as PDF.
	render MinutesRenderer
	// reportSource computes a committee's waiting report for a new
	// meeting (followups_report.go; nil: none).
	reportSource ReportSource
}

// A ServiceOption sets one of a Service's settings when it is built; a
// Service never changes after NewService.
type ServiceOption func(*Service)

// WithClock sets the service's clock (default db.Now).
func WithClock(now func() time.Time) ServiceOption { return func(s *Service) { s.clock = now } }

// WithLive sets the hub that carries what changed to the live event
// streams (without it nobody follows live).
func WithLive(hub *live.Hub) ServiceOption { return func(s *Service) { s.live = hub } }

// WithMailQueued sets what is called after a transaction that queued
// e-mails (invitations, reminders) has committed: the mail loop wakes.
func WithMailQueued(wake func()) ServiceOption { return func(s *Service) { s.mailQueued = wake } }

// NewService returns the committee module over d; docs is the document
// store the session papers live in, render renders the minutes
// (meetings/render).
func NewService(d *db.DB, docs *documents.Service, render MinutesRenderer, opts ...ServiceOption) *Service {
	s := &Service{db: d, docs: docs, clock: db.Now, render: render}
	for _, o := range opts {
		o(s)
	}
	return s
}

// Now is the time on the service's clock (WithClock).
func (s *Service) Now() time.Time { return s.clock() }

// now is the service clock in the database's precision.
func (s *Service) now() time.Time { return s.clock().UTC().Truncate(time.Microsecond) }

// run runs fn in the actor's tenant after checking the actor's membership
// (tenant.Actor.Run).
func (s *Service) run(ctx context.Context, a tenant.Actor, fn func(tx *db.Tx) error) error {
	return a.Run(ctx, s.db, fn)
}

// record appends an audit event in tx, attributed to the actor's user
// (nobody's when the actor is the zero value: the deadline closing a poll).
func record(ctx context.Context, tx *db.Tx, a tenant.Actor, action, targetType string, target uuid.UUID, details map[string]string) error {
	return a.Record(ctx, tx, action, targetType, target, details)
}

// isPostgres and exec are the transaction's own (db.Tx.IsPostgres,
// db.Tx.ExecCount: @tenant bound to the transaction's tenant), named for
// the package's many call sites.
var (
	isPostgres = (*db.Tx).IsPostgres
	exec       = (*db.Tx).ExecCount
)

// forUpdate appends a row lock on PostgreSQL (SQLite has one writer).
func forUpdate(tx *db.Tx, q string) string {
	if isPostgres(tx) {
		return q + " FOR UPDATE"
	}
	return q
}

func errNotFound() error { return errs.Plain(errs.NotFound) }

func errForbidden() error { return errs.Plain(errs.Forbidden) }

// termRunning is a condition on committee_members cm: the term runs at
// the one argument's time (give it twice).
const termRunning = "cm.term_start <= ? AND (cm.term_end IS NULL OR cm.term_end > ?)"

// committeeRow is a row of committees.
type committeeRow struct {
	TenantID          uuid.UUID `gorm:"column:tenant_id"`
	ID                uuid.UUID `gorm:"column:id"`
	Name              string    `gorm:"column:name"`
	Description       string    `gorm:"column:description"`
	Public            bool      `gorm:"column:public"`
	QuorumNum         int       `gorm:"column:quorum_num"`
	QuorumDen         int       `gorm:"column:quorum_den"`
	QuorumInclusive   bool      `gorm:"column:quorum_inclusive"`
	Majority          Majority  `gorm:"column:majority"`
	MajorityNum       *int      `gorm:"column:majority_num"`
	MajorityDen       *int      `gorm:"column:majority_den"`
	MajorityInclusive *bool     `gorm:"column:majority_inclusive"`
	Base              Base      `gorm:"column:base"`
	ProxyAllowed      bool      `gorm:"column:proxy_allowed"`
	CreatedAt         time.Time `gorm:"column:created_at"`
	CreatedBy         uuid.UUID `gorm:"column:created_by"`
	UpdatedAt         time.Time `gorm:"column:updated_at"`

	// FilingFolderID is the committee's own folder (filing.go).
	FilingFolderID *uuid.UUID `gorm:"column:filing_folder_id"`
}

// OwnerTenant implements db.TenantOwned.
func (r *committeeRow) OwnerTenant() uuid.UUID { return r.TenantID }

func (r *committeeRow) quorum() Fraction {
	return Fraction{Num: r.QuorumNum, Den: r.QuorumDen, Inclusive: r.QuorumInclusive}
}

func (r *committeeRow) rule() Rule {
	return ruleOf(r.Majority, r.MajorityNum, r.MajorityDen, r.MajorityInclusive, r.Base)
}

// ruleOf assembles a rule from its columns.
func ruleOf(m Majority, num, den *int, incl *bool, base Base) Rule {
	r := Rule{Majority: m, Base: base}
	if num != nil && den != nil && incl != nil {
		r.Fraction = Fraction{Num: *num, Den: *den, Inclusive: *incl}
	}
	return r
}

// ruleColumns is the inverse of ruleOf.
func ruleColumns(r Rule) (num, den *int, incl *bool) {
	if r.Majority != Custom {
		return nil, nil, nil
	}
	n, d, i := r.Fraction.Num, r.Fraction.Den, r.Fraction.Inclusive
	return &n, &d, &i
}

// memberRow is a row of committee_members.
type memberRow struct {
	TenantID     uuid.UUID  `gorm:"column:tenant_id"`
	ID           uuid.UUID  `gorm:"column:id"`
	CommitteeID  uuid.UUID  `gorm:"column:committee_id"`
	MembershipID uuid.UUID  `gorm:"column:membership_id"`
	Role         Role       `gorm:"column:role"`
	Voting       bool       `gorm:"column:voting"`
	Weight       int        `gorm:"column:weight"`
	TermStart    time.Time  `gorm:"column:term_start"`
	TermEnd      *time.Time `gorm:"column:term_end"`
	CreatedAt    time.Time  `gorm:"column:created_at"`
	UpdatedAt    time.Time  `gorm:"column:updated_at"`
}

// OwnerTenant implements db.TenantOwned.
func (r *memberRow) OwnerTenant() uuid.UUID { return r.TenantID }

func (r *memberRow) member() Member {
	return Member{ID: r.ID, CommitteeID: r.CommitteeID, MembershipID: r.MembershipID, Role: r.Role, Voting: r.Voting,
		Weight: r.Weight, TermStart: r.TermStart, TermEnd: r.TermEnd, CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt}
}

// scope is what the actor may do in one committee.
type scope struct {
	c     committeeRow
	admin bool
	// seat is the actor's own seat with a running term; nil when none.
	seat *memberRow
}

func (sc *scope) canManage() bool { return sc.admin || (sc.seat != nil && sc.seat.Role.manages()) }

// needManage answers Forbidden unless the actor may manage the committee.
func (sc *scope) needManage() error {
	if !sc.canManage() {
		return errForbidden()
	}
	return nil
}

func (sc *scope) committee() *Committee {
	c := &Committee{TenantID: sc.c.TenantID, ID: sc.c.ID, Name: sc.c.Name, Description: sc.c.Description, Public: sc.c.Public,
		Quorum: sc.c.quorum(), DefaultRule: sc.c.rule(), ProxyAllowed: sc.c.ProxyAllowed,
		CreatedAt: sc.c.CreatedAt, CreatedBy: sc.c.CreatedBy, UpdatedAt: sc.c.UpdatedAt, CanManage: sc.canManage(),
		FilingFolderID: sc.c.FilingFolderID}
	if sc.seat != nil {
		c.MyRole = sc.seat.Role
	}
	return c
}

// loadScope reads a committee and the actor's place in it. A committee the
// actor may not see (not an admin, no running seat) is NotFound.
func loadScope(tx *db.Tx, a tenant.Actor, committeeID uuid.UUID, now time.Time) (*scope, error) {
	var cs []committeeRow
	if err := tx.Table(committeesTable).Where("id = ?", committeeID).Limit(1).Scan(&cs).Error; err != nil {
		return nil, fmt.Errorf("committees: load committee: %w", err)
	}
	if len(cs) == 0 {
		return nil, errNotFound()
	}
	sc := &scope{c: cs[0], admin: a.IsAdmin()}
	seat, err := seatOf(tx, committeeID, a.MembershipID, now)
	if err != nil {
		return nil, err
	}
	sc.seat = seat
	if !sc.admin && sc.seat == nil {
		return nil, errNotFound()
	}
	return sc, nil
}

// seatOf returns a membership's seat with a running term in the committee, or nil.
func seatOf(tx *db.Tx, committeeID, membershipID uuid.UUID, now time.Time) (*memberRow, error) {
	var ms []memberRow
	err := tx.Raw("SELECT cm.* FROM "+membersTable+" cm WHERE cm.tenant_id = @tenant AND cm.committee_id = ? AND cm.membership_id = ? AND "+termRunning+" LIMIT 1",
		committeeID, membershipID, now, now).Scan(&ms).Error
	if err != nil {
		return nil, fmt.Errorf("committees: load seat: %w", err)
	}
	if len(ms) == 0 {
		return nil, nil
	}
	return &ms[0], nil
}

// seatOfAny returns a membership's seat in the committee whatever its term,
// answering an InvalidField error when there is none.
func seatOfAny(tx *db.Tx, committeeID, membershipID uuid.UUID) (*memberRow, error) {
	var ms []memberRow
	if err := tx.Table(membersTable).Where("committee_id = ? AND membership_id = ?", committeeID, membershipID).
		Limit(1).Scan(&ms).Error; err != nil {
		return nil, fmt.Errorf("committees: load seat: %w", err)
	}
	if len(ms) == 0 {
		return nil, errs.InvalidField("membership_id", errs.M("meetings.person-not-member-committee", "Diese Person gehört dem Gremium nicht an.", "This person is not a member of the committee."))
	}
	return &ms[0], nil
}

// changed announces in tx that a poll's count or state, or a meeting
// (what: agenda, attendance, polls, state, posts, conflicts, papers),
// changed; followers learn of it once tx commits.
func (s *Service) changed(tx *db.Tx, kind string, id uuid.UUID, what string) error {
	return s.live.Changed(tx, kind, id, what)
}

// meetingChanged announces a change of a meeting, if id names one.
func (s *Service) meetingChanged(tx *db.Tx, id *uuid.UUID, what string) error {
	if id == nil || *id == uuid.Nil {
		return nil
	}
	return s.changed(tx, live.KindMeeting, *id, what)
}

// PollSnapshot is what a poll's live stream shows: its state and how many
// have voted (never how).
type PollSnapshot struct {
	State   PollState `json:"state"`
	Ballots int       `json:"ballots"`
}

// LivePoll reads a poll's snapshot for the live streams (which check the
// subscriber's right to follow it when they subscribe). A poll that is not
// there reads as NotFound.
func (s *Service) LivePoll(ctx context.Context, tenantID, pollID uuid.UUID) (*PollSnapshot, error) {
	var out PollSnapshot
	err := s.db.Tenant(ctx, tenantID, func(tx *db.Tx) error {
		var states []PollState
		if err := tx.Table(pollsTable).Where("id = ?", pollID).Pluck("state", &states).Error; err != nil {
			return fmt.Errorf("committees: live poll: %w", err)
		}
		if len(states) != 1 {
			return errs.Plain(errs.NotFound)
		}
		var n int64
		if err := tx.Table(receiptsTable).Where("poll_id = ?", pollID).Count(&n).Error; err != nil {
			return fmt.Errorf("committees: live count: %w", err)
		}
		out = PollSnapshot{State: states[0], Ballots: int(n)}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &out, nil
}

// pollChanged announces a poll's new state, to its followers and to its
// meeting's.
func (s *Service) pollChanged(tx *db.Tx, pollID uuid.UUID, meetingID *uuid.UUID) error {
	if err := s.changed(tx, live.KindPoll, pollID, "state"); err != nil {
		return err
	}
	return s.meetingChanged(tx, meetingID, "polls")
}
