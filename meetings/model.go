// Package committees is the domain core of Kollab's committee work
// (Gremienarbeit): committees with members, roles, voting rights, weights
// and terms under their rules of procedure; meetings that move from
// planned to approved minutes, with an ordered agenda, session papers
// frozen at invitation, attendance and a live quorum, a discussion thread
// and conflict-of-interest declarations per item; and polls, in session or
// as written procedures (Umlaufverfahren), named or secret, with delegation
// where the rules allow it.
//
// Who sees what: a committee and everything in it is visible to tenant
// admins and to the committee's members whose term is running; to everyone
// else it answers errs.NotFound exactly like a missing one (as does any id
// of another tenant). Managing it (members, meetings, agenda decisions,
// attendance, polls) is for tenant admins and the committee's chair and
// secretary; a visible object the caller may not change answers errs.Forbidden.
//
// Voting: exactly one ballot per voter and poll. A receipt row, unique per
// (poll, voter), is written by one INSERT ... SELECT that also checks that
// the poll is open and the voter entitled; on PostgreSQL the cast holds the
// poll's lock shared and its row FOR SHARE, and closing a poll takes the
// lock exclusively and updates that row, so a close waits for every ballot
// in flight and a ballot that waited for a close finds the poll closed.
// SQLite has a single writer. The ballot commits in the receipt's transaction.
package meetings

import (
	"time"

	"github.com/google/uuid"
)

// Role is a member's role in a committee.
type Role string

// The committee roles.
const (
	RoleChair       Role = "chair"
	RoleDeputyChair Role = "deputy_chair"
	RoleSecretary   Role = "secretary"
	RoleMember      Role = "member"
	RoleDeputy      Role = "deputy_member"
	// RoleAdvisory is a member who advises and never votes.
	RoleAdvisory Role = "advisory"
)

// Roles lists every committee role.
var Roles = []Role{RoleChair, RoleDeputyChair, RoleSecretary, RoleMember, RoleDeputy, RoleAdvisory}

// manages reports whether the role may manage the committee.
func (r Role) manages() bool { return r == RoleChair || r == RoleSecretary }

// Majority names a majority rule.
type Majority string

// The majority rules. Every rule also needs more yes than no votes, so a
// tie always fails, and abstentions never count as yes.
const (
	// Simple: more yes than no votes; abstentions do not count.
	Simple Majority = "simple"
	// Absolute: yes votes more than half of the base.
	Absolute Majority = "absolute"
	// TwoThirds: yes votes at least two thirds of the base.
	TwoThirds Majority = "two_thirds"
	// Custom: yes votes reach the rule's Fraction of the base.
	Custom Majority = "custom"
)

// Base is what a majority is measured against.
type Base string

// The bases, as weights.
const (
	// BaseCast is every ballot cast, abstentions included: under it an
	// abstention weighs against an absolute or two-thirds majority.
	BaseCast Base = "cast"
	// BasePresent is the voters entitled in the poll who were present (or
	// represented by a present proxy) when it closed, plus everyone who
	// voted; for a written procedure it equals BaseMembers.
	BasePresent Base = "present"
	// BaseMembers is every member entitled to vote on the poll: voting
	// right, running term, not conflicted, plus everyone who voted.
	BaseMembers Base = "members"
)

// Fraction is a share: Num/Den, reached by "more than" the share, or by
// "at least" it when Inclusive.
type Fraction struct {
	Num, Den  int
	Inclusive bool
}

// Rule is a poll's majority rule and base.
type Rule struct {
	Majority Majority
	// Fraction is set for Custom only.
	Fraction Fraction
	Base     Base
}

// threshold returns the share of the base a rule asks yes votes to reach;
// ok is false for Simple, which compares yes with no only.
func (r Rule) threshold() (f Fraction, ok bool) {
	switch r.Majority {
	case Absolute:
		return Fraction{Num: 1, Den: 2}, true
	case TwoThirds:
		return Fraction{Num: 2, Den: 3, Inclusive: true}, true
	case Custom:
		return r.Fraction, true
	}
	return Fraction{}, false
}

// reaches reports whether v reaches the fraction f of base (base > 0).
func (f Fraction) reaches(v, base int64) bool {
	if base <= 0 {
		return false
	}
	if f.Inclusive {
		return v*int64(f.Den) >= int64(f.Num)*base
	}
	return v*int64(f.Den) > int64(f.Num)*base
}

// Committee is a committee (Gremium) with its rules of procedure.
type Committee struct {
	TenantID    uuid.UUID
	ID          uuid.UUID
	Name        string
	Description string
	// Public committees are published through OParl.
	Public bool
	// Quorum is the share of the voting weight that must be present.
	Quorum Fraction
	// DefaultRule is the rule of a poll that names none.
	DefaultRule Rule
	// ProxyAllowed lets members hand their vote to another member.
	ProxyAllowed bool
	CreatedAt    time.Time
	CreatedBy    uuid.UUID
	UpdatedAt    time.Time
	// MyRole is the caller's role in the committee, "" for an admin who is
	// not a member; CanManage says whether the caller may manage it.
	MyRole    Role
	CanManage bool

	// FilingFolderID is the committee's own folder, where its minutes and
	// decision extracts are filed (nil until the start-up backfill gave an
	// older committee one).
	FilingFolderID *uuid.UUID
}

// Member is a tenant membership's seat in a committee.
type Member struct {
	ID           uuid.UUID
	CommitteeID  uuid.UUID
	MembershipID uuid.UUID
	Role         Role
	// Voting is the right to vote; advisory members never have it.
	Voting bool
	Weight int
	// The term runs from TermStart (inclusive) until TermEnd (exclusive; nil: open).
	TermStart time.Time
	TermEnd   *time.Time
	CreatedAt time.Time
	UpdatedAt time.Time
}

// MeetingState is where a meeting stands.
type MeetingState string

// The meeting states, in their only order.
const (
	Planned         MeetingState = "planned"
	Invited         MeetingState = "invited"
	InSession       MeetingState = "in_session"
	Closed          MeetingState = "closed"
	MinutesApproved MeetingState = "minutes_approved"
	// Cancelled: a planned or invited meeting called off with a reason
	// (Service.CancelMeeting); it has no successor.
	Cancelled MeetingState = "cancelled"
)

// meetingNext is the meeting state machine: each state has one successor
// (and planned or invited may end in Cancelled instead).
var meetingNext = map[MeetingState]MeetingState{Planned: Invited, Invited: InSession, InSession: Closed, Closed: MinutesApproved}

// Meeting is one session of a committee.
type Meeting struct {
	TenantID          uuid.UUID
	ID                uuid.UUID
	CommitteeID       uuid.UUID
	Title             string
	StartsAt          time.Time
	EndsAt            time.Time
	Place             string
	OnlineURL         string
	State             MeetingState
	InvitedAt         *time.Time
	OpenedAt          *time.Time
	ClosedAt          *time.Time
	MinutesApprovedAt *time.Time
	// CurrentItemID is the agenda item the chair has called (the item
	// being dealt with now); set only while the meeting is in session.
	CurrentItemID *uuid.UUID
	// CancelledAt, CancelledBy and CancelReason are set on a cancelled meeting.
	CancelledAt  *time.Time
	CancelledBy  *uuid.UUID
	CancelReason string
	CreatedAt    time.Time
	CreatedBy    uuid.UUID
	UpdatedAt    time.Time
}

// ItemState is an agenda item's state.
type ItemState string

// The agenda item states: members propose, the chair or secretary decides.
const (
	Proposed ItemState = "proposed"
	Accepted ItemState = "accepted"
	Declined ItemState = "declined"
)

// AgendaItem is one item of a meeting's agenda.
type AgendaItem struct {
	ID        uuid.UUID
	MeetingID uuid.UUID
	// Position orders the whole agenda; Number is the item's number among
	// the accepted items (TOP 1, 2, ...), 0 for proposed or declined ones.
	Position    int
	Number      int
	Title       string
	Description string
	Public      bool
	State       ItemState
	ProposedBy  uuid.UUID
	DecidedBy   *uuid.UUID
	DecidedAt   *time.Time
	CreatedAt   time.Time
	UpdatedAt   time.Time
	// Automatic: the system keeps the item (the report on the
	// implementation of decisions, followups_report.go); its text is
	// rewritten until the meeting begins.
	Automatic bool
}

// Paper is a session paper: a document attached to an agenda item.
type Paper struct {
	ID           uuid.UUID
	AgendaItemID uuid.UUID
	DocumentID   uuid.UUID
	// RevisionID is the document's revision frozen when the invitation
	// went out (or when the paper was added after it); nil before.
	RevisionID *uuid.UUID
	FrozenAt   *time.Time
	AddedBy    uuid.UUID
	AddedAt    time.Time

	// Title is the document's title; File the frozen revision as everyone
	// who sees the item may read it (papers.go), nil before it is frozen.
	Title string
	File  *PaperFile
	// CanOpenDocument says whether the reader may also open the document
	// itself in the document store (its folder's permissions).
	CanOpenDocument bool
}

// AttendanceStatus is a member's attendance at a meeting.
type AttendanceStatus string

// The attendance states.
const (
	Present AttendanceStatus = "present"
	Excused AttendanceStatus = "excused"
	Absent  AttendanceStatus = "absent"
)

// Attendance is one member's entry in a meeting's attendance register.
type Attendance struct {
	MeetingID    uuid.UUID
	MemberID     uuid.UUID
	MembershipID uuid.UUID
	Status       AttendanceStatus
	// ArrivedAt is the first arrival; DepartedAt the last departure, set
	// while the member is away.
	ArrivedAt  *time.Time
	DepartedAt *time.Time
	UpdatedAt  time.Time
	UpdatedBy  uuid.UUID
}

// Here reports whether the member is in the room now.
func (at Attendance) Here() bool { return at.Status == Present && at.DepartedAt == nil }

// Quorum is a meeting's quorum at one moment, for the whole meeting or for
// one agenda item (whose conflicted members are left out).
type Quorum struct {
	MeetingID    uuid.UUID
	AgendaItemID uuid.UUID
	// Voting members with a running term (not conflicted on the item).
	Members       int
	MembersWeight int64
	// Of those, the ones in the room now.
	Present       int
	PresentWeight int64
	// Excluded counts the voting members conflicted on the item.
	Excluded int
	Rule     Fraction
	Reached  bool
	At       time.Time
}

// Post is a contribution to an agenda item's discussion.
type Post struct {
	ID           uuid.UUID
	AgendaItemID uuid.UUID
	AuthorID     uuid.UUID
	Body         string
	CreatedAt    time.Time
}

// ConflictDeclaration records that a member is conflicted (befangen) on an item.
type ConflictDeclaration struct {
	ID           uuid.UUID
	AgendaItemID uuid.UUID
	MemberID     uuid.UUID
	MembershipID uuid.UUID
	Reason       string
	DeclaredAt   time.Time
	DeclaredBy   uuid.UUID
}

// Delegation hands a member's vote to another member for one meeting or one poll.
type Delegation struct {
	ID               uuid.UUID
	CommitteeID      uuid.UUID
	FromMembershipID uuid.UUID
	ToMembershipID   uuid.UUID
	// Exactly one of MeetingID and PollID is set.
	MeetingID *uuid.UUID
	PollID    *uuid.UUID
	CreatedAt time.Time
	CreatedBy uuid.UUID
}

// Kind says whether a poll records who voted how.
type Kind string

// The poll kinds.
const (
	Named  Kind = "named"
	Secret Kind = "secret"
)

// Method is what a ballot chooses between.
type Method string

// The poll methods.
const (
	YesNoAbstain Method = "yes_no_abstain"
	// Choice is an election among options: a voter chooses up to Seats of them.
	Choice Method = "choice"
)

// PollState is where a poll stands.
type PollState string

// The poll states: draft, open, closed, then published, or annulled
// instead (see Service.AnnulPoll).
const (
	PollDraft     PollState = "draft"
	PollOpen      PollState = "open"
	PollClosed    PollState = "closed"
	PollPublished PollState = "published"
	// PollAnnulled: the poll was annulled with a reason; it decided nothing
	// and has no result.
	PollAnnulled PollState = "annulled"
)

// MinSecretBallots is the fewest ballots a secret poll is counted with: with
// one or two, the count would tell each voter the other's ballot. A closed
// secret poll with fewer has no result, is never published and may be
// annulled. Secret polls count one ballot per person, whatever the seats'
// weights: a weighted total would give away the ballot of a unique weight.
const MinSecretBallots = 3

// Option is one choice of an election.
type Option struct {
	ID       uuid.UUID
	Position int
	Label    string
}

// Poll is a vote on an agenda item, or a written procedure (no meeting,
// a deadline) of a whole committee.
type Poll struct {
	TenantID    uuid.UUID
	ID          uuid.UUID
	CommitteeID uuid.UUID
	// MeetingID and AgendaItemID are nil for a written procedure.
	MeetingID    *uuid.UUID
	AgendaItemID *uuid.UUID
	Title        string
	Kind         Kind
	Method       Method
	// Seats is how many options an election fills (1 for yes/no polls).
	Seats    int
	Options  []Option
	Rule     Rule
	State    PollState
	Deadline *time.Time
	// Ballots is how many voters have voted: the only number shown while open.
	Ballots int
	// Voted reports whether the caller's own ballot is in (cast by them or
	// by their proxy); never how.
	Voted bool
	// CanVote reports whether the caller holds a voting seat with a running
	// term in the poll's committee and has not declared a conflict on the
	// poll's agenda item (presence and delegations are checked at the cast).
	CanVote bool
	// VoteBar says why CanVote is false: VoteBarNoSeat (no seat with a
	// running term: an administrator, or an ended term), VoteBarNoRight
	// (a seat without voting right) or VoteBarConflict (a conflict declared
	// on the poll's item); empty when the caller may vote.
	VoteBar     VoteBar
	OpenedAt    *time.Time
	ClosedAt    *time.Time
	ClosedBy    *uuid.UUID
	PublishedAt *time.Time
	// TooFewBallots is set on a closed secret poll with fewer than
	// MinSecretBallots ballots: it has no result and can only be annulled.
	TooFewBallots bool
	// CanAnnul says whether the poll may be annulled now (by a manager):
	// see Service.AnnulPoll.
	CanAnnul bool
	// AnnulledAt, AnnulledBy (nil: by the system) and AnnulReason are set
	// on an annulled poll.
	AnnulledAt  *time.Time
	AnnulledBy  *uuid.UUID
	AnnulReason string
	CreatedAt   time.Time
	CreatedBy   uuid.UUID
}

// VoteBar is why a caller may not vote in a poll.
type VoteBar string

// The reasons a caller may not vote.
const (
	VoteBarNoSeat   VoteBar = "no_seat"
	VoteBarNoRight  VoteBar = "no_voting_right"
	VoteBarConflict VoteBar = "conflict"
)

// Written reports whether the poll is a written procedure.
func (p *Poll) Written() bool { return p.MeetingID == nil }

// Ballot choices.
const (
	Yes     = "yes"
	No      = "no"
	Abstain = "abstain"
	// Options marks an election ballot that chooses options.
	Options = "options"
)

// Vote is what a voter casts: Choice yes, no or abstain on a yes/no poll;
// on an election, the chosen OptionIDs (at most Seats, Choice empty), or
// Choice abstain with no options.
type Vote struct {
	Choice    string
	OptionIDs []uuid.UUID
}

// Receipt acknowledges a cast ballot. It names the voter and the poll,
// never the ballot.
type Receipt struct {
	ID                 uuid.UUID
	PollID             uuid.UUID
	VoterMembershipID  uuid.UUID
	CastByMembershipID uuid.UUID
	CastAt             time.Time
}

// NamedVote is one ballot of a named poll.
type NamedVote struct {
	VoterMembershipID  uuid.UUID
	CastByMembershipID uuid.UUID
	Choice             string
	OptionIDs          []uuid.UUID
	Weight             int
	CastAt             time.Time
}

// OptionVotes is an option's weighted votes.
type OptionVotes struct {
	OptionID uuid.UUID `json:"option_id"`
	Votes    int64     `json:"votes"`
}

// Result is a closed poll's count and verdict, stored once at close.
type Result struct {
	PollID uuid.UUID
	// Ballots is the number of voters; CastWeight their summed weight,
	// abstentions included.
	Ballots    int
	CastWeight int64
	// Weighted votes of a yes/no poll.
	Yes, No, Abstain int64
	// OptionVotes of an election, in the poll's option order.
	OptionVotes []OptionVotes
	Rule        Rule
	// BaseWeight is the weight of the rule's base.
	BaseWeight    int64
	PresentWeight int64
	MembersWeight int64
	// QuorumReached is the item's quorum at close (nil for written procedures).
	QuorumReached *bool
	// Passed: the motion is adopted, or every seat of the election is filled.
	Passed bool
	// Elected lists the options elected, best first.
	Elected []uuid.UUID
	// TieAtCut is set when options tied for the last seat(s): those seats
	// are not decided.
	TieAtCut   bool
	ComputedAt time.Time
}
