package api

import (
	"time"

	"github.com/google/uuid"
	"github.com/kollab/kollab/meetings"
)

// Request and response types of the committee routes (committees_routes.go):
// their own structs, never the domain's or the database's.

// --- views ---

// FractionView is a share: num/den, reached by "more than" it, or by "at least" it when inclusive.
type FractionView struct {
	Num       int  `json:"num"`
	Den       int  `json:"den"`
	Inclusive bool `json:"inclusive" doc:"Reached by at least the share (not only more than it)"`
}

func fractionView(f meetings.Fraction) FractionView {
	return FractionView{Num: f.Num, Den: f.Den, Inclusive: f.Inclusive}
}

// FractionInput is a share as a client sends it: 0 < num/den <= 1.
type FractionInput struct {
	Num       int  `json:"num" minimum:"1" maximum:"1000"`
	Den       int  `json:"den" minimum:"1" maximum:"1000"`
	Inclusive bool `json:"inclusive,omitempty" doc:"Reached by at least the share, not only more than it; default false"`
}

func (f *FractionInput) fraction() meetings.Fraction {
	if f == nil {
		return meetings.Fraction{}
	}
	return meetings.Fraction{Num: f.Num, Den: f.Den, Inclusive: f.Inclusive}
}

// RuleView is a majority rule and the base it is measured against.
type RuleView struct {
	Majority string        `json:"majority" enum:"simple,absolute,two_thirds,custom" doc:"simple: more yes than no; absolute: yes more than half of the base; two_thirds: yes at least two thirds of the base; custom: yes reach the fraction of the base"`
	Fraction *FractionView `json:"fraction,omitempty" doc:"For majority custom only"`
	Base     string        `json:"base" enum:"cast,present,members" doc:"What the majority is measured against: the votes cast (abstentions included), the voters present, or every entitled member"`
}

func ruleView(r meetings.Rule) RuleView {
	v := RuleView{Majority: string(r.Majority), Base: string(r.Base)}
	if r.Majority == meetings.Custom {
		f := fractionView(r.Fraction)
		v.Fraction = &f
	}
	return v
}

// RuleInput is a majority rule as a client sends it.
type RuleInput struct {
	Majority string         `json:"majority,omitempty" enum:"simple,absolute,two_thirds,custom" doc:"Default simple"`
	Fraction *FractionInput `json:"fraction,omitempty" doc:"Required for majority custom"`
	Base     string         `json:"base,omitempty" enum:"cast,present,members" doc:"Default cast"`
}

func (r *RuleInput) rule() meetings.Rule {
	if r == nil {
		return meetings.Rule{}
	}
	return meetings.Rule{Majority: meetings.Majority(r.Majority), Fraction: r.Fraction.fraction(), Base: meetings.Base(r.Base)}
}

// CommitteeView is a committee (Gremium) with its rules of procedure.
type CommitteeView struct {
	ID           uuid.UUID    `json:"id"`
	Name         string       `json:"name"`
	Description  string       `json:"description"`
	Public       bool         `json:"public" doc:"Published through OParl"`
	Quorum       FractionView `json:"quorum" doc:"Share of the voting weight that must be present (Beschlussfähigkeit)"`
	DefaultRule  RuleView     `json:"default_rule" doc:"The rule of a poll that names none"`
	ProxyAllowed bool         `json:"proxy_allowed" doc:"Members may hand their vote to another member (Stimmrechtsübertragung)"`
	CreatedAt    time.Time    `json:"created_at"`
	CreatedBy    uuid.UUID    `json:"created_by" doc:"Membership id"`
	UpdatedAt    time.Time    `json:"updated_at"`
	MyRole       string       `json:"my_role,omitempty" enum:"chair,deputy_chair,secretary,member,deputy_member,advisory" doc:"The caller's role in the committee; absent for an administrator without a seat"`
	CanManage    bool         `json:"can_manage" doc:"The caller may manage the committee (administrators, chair, secretary)"`

	FilingFolderID *uuid.UUID `json:"filing_folder_id,omitempty" doc:"The committee's own folder: its seats read it, chair, deputy chair and secretary write to it; minutes and decision extracts are filed there"`
}

func committeeView(c *meetings.Committee) CommitteeView {
	return CommitteeView{ID: c.ID, Name: c.Name, Description: c.Description, Public: c.Public, Quorum: fractionView(c.Quorum),
		DefaultRule: ruleView(c.DefaultRule), ProxyAllowed: c.ProxyAllowed, CreatedAt: c.CreatedAt, CreatedBy: c.CreatedBy,
		UpdatedAt: c.UpdatedAt, MyRole: string(c.MyRole), CanManage: c.CanManage, FilingFolderID: c.FilingFolderID}
}

// CommitteeMemberView is a membership's seat in a committee.
type CommitteeMemberView struct {
	ID           uuid.UUID  `json:"id" doc:"The seat's id"`
	CommitteeID  uuid.UUID  `json:"committee_id"`
	MembershipID uuid.UUID  `json:"membership_id"`
	Role         string     `json:"role" enum:"chair,deputy_chair,secretary,member,deputy_member,advisory"`
	Voting       bool       `json:"voting" doc:"The right to vote"`
	Weight       int        `json:"weight" doc:"Weight of the member's vote"`
	TermStart    time.Time  `json:"term_start"`
	TermEnd      *time.Time `json:"term_end,omitempty" doc:"End of the term (exclusive); absent: open-ended"`
	CreatedAt    time.Time  `json:"created_at"`
	UpdatedAt    time.Time  `json:"updated_at"`
}

func committeeMemberView(m *meetings.Member) CommitteeMemberView {
	return CommitteeMemberView{ID: m.ID, CommitteeID: m.CommitteeID, MembershipID: m.MembershipID, Role: string(m.Role), Voting: m.Voting,
		Weight: m.Weight, TermStart: m.TermStart, TermEnd: m.TermEnd, CreatedAt: m.CreatedAt, UpdatedAt: m.UpdatedAt}
}

// MeetingView is one session of a committee.
type MeetingView struct {
	ID                uuid.UUID  `json:"id"`
	CommitteeID       uuid.UUID  `json:"committee_id"`
	Title             string     `json:"title"`
	StartsAt          time.Time  `json:"starts_at"`
	EndsAt            time.Time  `json:"ends_at"`
	Place             string     `json:"place"`
	OnlineURL         string     `json:"online_url"`
	State             string     `json:"state" enum:"planned,invited,in_session,closed,minutes_approved,cancelled"`
	InvitedAt         *time.Time `json:"invited_at,omitempty"`
	OpenedAt          *time.Time `json:"opened_at,omitempty"`
	ClosedAt          *time.Time `json:"closed_at,omitempty"`
	MinutesApprovedAt *time.Time `json:"minutes_approved_at,omitempty"`
	CurrentItemID     *uuid.UUID `json:"current_item_id,omitempty" doc:"The agenda item called now (in session only): the item being dealt with"`
	CancelledAt       *time.Time `json:"cancelled_at,omitempty"`
	CancelledBy       *uuid.UUID `json:"cancelled_by,omitempty" doc:"Membership id"`
	CancelReason      string     `json:"cancel_reason,omitempty" doc:"Why the meeting was cancelled"`
	CreatedAt         time.Time  `json:"created_at"`
	CreatedBy         uuid.UUID  `json:"created_by" doc:"Membership id"`
	UpdatedAt         time.Time  `json:"updated_at"`
}

func meetingView(m *meetings.Meeting) MeetingView {
	return MeetingView{ID: m.ID, CommitteeID: m.CommitteeID, Title: m.Title, StartsAt: m.StartsAt, EndsAt: m.EndsAt, Place: m.Place,
		OnlineURL: m.OnlineURL, State: string(m.State), InvitedAt: m.InvitedAt, OpenedAt: m.OpenedAt, ClosedAt: m.ClosedAt,
		MinutesApprovedAt: m.MinutesApprovedAt, CurrentItemID: m.CurrentItemID, CancelledAt: m.CancelledAt, CancelledBy: m.CancelledBy,
		CancelReason: m.CancelReason, CreatedAt: m.CreatedAt, CreatedBy: m.CreatedBy, UpdatedAt: m.UpdatedAt}
}

// AgendaItemView is one item of a meeting's agenda (Tagesordnungspunkt).
type AgendaItemView struct {
	ID          uuid.UUID  `json:"id"`
	MeetingID   uuid.UUID  `json:"meeting_id"`
	Position    int        `json:"position" doc:"Place in the whole agenda, proposals included"`
	Number      int        `json:"number" doc:"Number among the accepted items (TOP 1, 2, ...); 0 for proposed or declined ones"`
	Title       string     `json:"title"`
	Description string     `json:"description"`
	Public      bool       `json:"public" doc:"Discussed in the public part of the meeting"`
	State       string     `json:"state" enum:"proposed,accepted,declined"`
	ProposedBy  uuid.UUID  `json:"proposed_by" doc:"Membership id"`
	DecidedBy   *uuid.UUID `json:"decided_by,omitempty" doc:"Membership id"`
	DecidedAt   *time.Time `json:"decided_at,omitempty"`
	CreatedAt   time.Time  `json:"created_at"`
	UpdatedAt   time.Time  `json:"updated_at"`
}

func agendaItemView(it *meetings.AgendaItem) AgendaItemView {
	return AgendaItemView{ID: it.ID, MeetingID: it.MeetingID, Position: it.Position, Number: it.Number, Title: it.Title,
		Description: it.Description, Public: it.Public, State: string(it.State), ProposedBy: it.ProposedBy, DecidedBy: it.DecidedBy,
		DecidedAt: it.DecidedAt, CreatedAt: it.CreatedAt, UpdatedAt: it.UpdatedAt}
}

func agendaView(items []meetings.AgendaItem) []AgendaItemView {
	out := make([]AgendaItemView, len(items))
	for i := range items {
		out[i] = agendaItemView(&items[i])
	}
	return out
}

// PaperView is a session paper: a document attached to an agenda item.
type PaperView struct {
	ID           uuid.UUID  `json:"id"`
	AgendaItemID uuid.UUID  `json:"agenda_item_id"`
	DocumentID   uuid.UUID  `json:"document_id"`
	RevisionID   *uuid.UUID `json:"revision_id,omitempty" doc:"The document's revision frozen when the invitation went out (or when the paper was added after it); absent before"`
	FrozenAt     *time.Time `json:"frozen_at,omitempty"`
	AddedBy      uuid.UUID  `json:"added_by" doc:"Membership id"`
	AddedAt      time.Time  `json:"added_at"`

	// What everyone who sees the item may read of it (committees/papers.go).
	Title           string         `json:"title,omitempty" doc:"The document's title (in lists)"`
	File            *PaperFileView `json:"file,omitempty" doc:"The frozen revision, readable by everyone who sees the item (content: .../agenda-items/{id}/papers/{document}/content); absent before it is frozen"`
	CanOpenDocument bool           `json:"can_open_document" doc:"The caller may also open the document itself (its folder's permissions)"`
}

// PaperFileView is a session paper's frozen revision.
type PaperFileView struct {
	RevisionID  uuid.UUID `json:"revision_id"`
	Number      int       `json:"number" doc:"The revision's number in the document's history"`
	FileName    string    `json:"file_name"`
	ContentType string    `json:"content_type"`
	Size        int64     `json:"size_bytes"`
	SHA256      string    `json:"sha256"`
	CreatedAt   time.Time `json:"created_at"`
	Available   bool      `json:"available" doc:"False while the document is in the trash: the paper is then not served"`
}

func paperView(p *meetings.Paper) PaperView {
	v := PaperView{ID: p.ID, AgendaItemID: p.AgendaItemID, DocumentID: p.DocumentID, RevisionID: p.RevisionID, FrozenAt: p.FrozenAt,
		AddedBy: p.AddedBy, AddedAt: p.AddedAt, Title: p.Title, CanOpenDocument: p.CanOpenDocument}
	if f := p.File; f != nil {
		v.File = &PaperFileView{RevisionID: f.RevisionID, Number: f.Number, FileName: f.FileName, ContentType: f.ContentType, Size: f.Size,
			SHA256: f.SHA256, CreatedAt: f.CreatedAt, Available: f.Available}
	}
	return v
}

// PostView is a contribution to an agenda item's discussion.
type PostView struct {
	ID           uuid.UUID `json:"id"`
	AgendaItemID uuid.UUID `json:"agenda_item_id"`
	AuthorID     uuid.UUID `json:"author_id" doc:"Membership id"`
	Body         string    `json:"body"`
	CreatedAt    time.Time `json:"created_at"`
}

func postView(p *meetings.Post) PostView {
	return PostView{ID: p.ID, AgendaItemID: p.AgendaItemID, AuthorID: p.AuthorID, Body: p.Body, CreatedAt: p.CreatedAt}
}

// ConflictView is a declaration that a member is conflicted (befangen) on an agenda item.
type ConflictView struct {
	ID           uuid.UUID `json:"id"`
	AgendaItemID uuid.UUID `json:"agenda_item_id"`
	MemberID     uuid.UUID `json:"member_id" doc:"The seat's id"`
	MembershipID uuid.UUID `json:"membership_id"`
	Reason       string    `json:"reason"`
	DeclaredAt   time.Time `json:"declared_at"`
	DeclaredBy   uuid.UUID `json:"declared_by" doc:"Membership id"`
}

func conflictView(c *meetings.ConflictDeclaration) ConflictView {
	return ConflictView{ID: c.ID, AgendaItemID: c.AgendaItemID, MemberID: c.MemberID, MembershipID: c.MembershipID, Reason: c.Reason,
		DeclaredAt: c.DeclaredAt, DeclaredBy: c.DeclaredBy}
}

// AttendanceView is one member's entry in a meeting's attendance register.
type AttendanceView struct {
	MeetingID    uuid.UUID  `json:"meeting_id"`
	MemberID     uuid.UUID  `json:"member_id" doc:"The seat's id"`
	MembershipID uuid.UUID  `json:"membership_id"`
	Status       string     `json:"status" enum:"present,excused,absent"`
	ArrivedAt    *time.Time `json:"arrived_at,omitempty" doc:"The first arrival"`
	DepartedAt   *time.Time `json:"departed_at,omitempty" doc:"The last departure, set while the member is away"`
	Here         bool       `json:"here" doc:"In the room now (present and not departed)"`
	UpdatedAt    time.Time  `json:"updated_at"`
	UpdatedBy    uuid.UUID  `json:"updated_by" doc:"Membership id"`
}

func attendanceView(a *meetings.Attendance) AttendanceView {
	return AttendanceView{MeetingID: a.MeetingID, MemberID: a.MemberID, MembershipID: a.MembershipID, Status: string(a.Status),
		ArrivedAt: a.ArrivedAt, DepartedAt: a.DepartedAt, Here: a.Here(), UpdatedAt: a.UpdatedAt, UpdatedBy: a.UpdatedBy}
}

// QuorumView is a meeting's quorum now, for the whole meeting or one agenda item.
type QuorumView struct {
	MeetingID     uuid.UUID    `json:"meeting_id"`
	AgendaItemID  *uuid.UUID   `json:"agenda_item_id,omitempty" doc:"The item whose conflicted members are left out; absent for the whole meeting"`
	Members       int          `json:"members" doc:"Voting members with a running term (not conflicted on the item)"`
	MembersWeight int64        `json:"members_weight"`
	Present       int          `json:"present" doc:"Of those, the ones in the room now"`
	PresentWeight int64        `json:"present_weight"`
	Excluded      int          `json:"excluded" doc:"Voting members conflicted on the item"`
	Rule          FractionView `json:"rule" doc:"The committee's quorum share"`
	Reached       bool         `json:"reached"`
	At            time.Time    `json:"at"`
}

func quorumView(q *meetings.Quorum) QuorumView {
	v := QuorumView{MeetingID: q.MeetingID, Members: q.Members, MembersWeight: q.MembersWeight, Present: q.Present,
		PresentWeight: q.PresentWeight, Excluded: q.Excluded, Rule: fractionView(q.Rule), Reached: q.Reached, At: q.At}
	if q.AgendaItemID != uuid.Nil {
		id := q.AgendaItemID
		v.AgendaItemID = &id
	}
	return v
}

// DelegationView hands a member's vote to another member for one meeting or one poll.
type DelegationView struct {
	ID               uuid.UUID  `json:"id"`
	CommitteeID      uuid.UUID  `json:"committee_id"`
	FromMembershipID uuid.UUID  `json:"from_membership_id"`
	ToMembershipID   uuid.UUID  `json:"to_membership_id"`
	MeetingID        *uuid.UUID `json:"meeting_id,omitempty"`
	PollID           *uuid.UUID `json:"poll_id,omitempty"`
	CreatedAt        time.Time  `json:"created_at"`
	CreatedBy        uuid.UUID  `json:"created_by" doc:"Membership id"`
}

func delegationView(d *meetings.Delegation) DelegationView {
	return DelegationView{ID: d.ID, CommitteeID: d.CommitteeID, FromMembershipID: d.FromMembershipID, ToMembershipID: d.ToMembershipID,
		MeetingID: d.MeetingID, PollID: d.PollID, CreatedAt: d.CreatedAt, CreatedBy: d.CreatedBy}
}

// ProxyBallotView is a delegator's ballot the caller casts as proxy.
type ProxyBallotView struct {
	MembershipID uuid.UUID `json:"membership_id" doc:"The delegator"`
	Voted        bool      `json:"voted" doc:"Whether the delegator's ballot is in; never how"`
}

type delegationsOut struct {
	Body struct {
		Delegations []DelegationView  `json:"delegations" nullable:"false" doc:"Standing delegations, oldest first"`
		ProxyFor    []ProxyBallotView `json:"proxy_for" nullable:"false" doc:"For a poll: the ballots the caller casts as proxy; empty for a meeting"`
	}
}

func delegationsResult(ds *meetings.Delegations, err error) (*delegationsOut, error) {
	if err != nil {
		return nil, err
	}
	out := &delegationsOut{}
	out.Body.Delegations = make([]DelegationView, len(ds.Delegations))
	for i := range ds.Delegations {
		out.Body.Delegations[i] = delegationView(&ds.Delegations[i])
	}
	out.Body.ProxyFor = make([]ProxyBallotView, len(ds.ProxyFor))
	for i, p := range ds.ProxyFor {
		out.Body.ProxyFor[i] = ProxyBallotView{MembershipID: p.MembershipID, Voted: p.Voted}
	}
	return out, nil
}

// PollOptionView is one choice of an election.
type PollOptionView struct {
	ID       uuid.UUID `json:"id"`
	Position int       `json:"position"`
	Label    string    `json:"label"`
}

// PollView is a poll as everyone who sees the committee sees it: its
// state and the number of ballots cast, never interim results.
type PollView struct {
	ID            uuid.UUID        `json:"id"`
	CommitteeID   uuid.UUID        `json:"committee_id"`
	MeetingID     *uuid.UUID       `json:"meeting_id,omitempty" doc:"Absent for a written procedure"`
	AgendaItemID  *uuid.UUID       `json:"agenda_item_id,omitempty" doc:"Absent for a written procedure"`
	Written       bool             `json:"written" doc:"A written procedure (Umlaufverfahren): no meeting, a deadline"`
	Title         string           `json:"title"`
	Kind          string           `json:"kind" enum:"named,secret"`
	Method        string           `json:"method" enum:"yes_no_abstain,choice"`
	Seats         int              `json:"seats" doc:"How many options an election fills (1 for yes/no polls)"`
	Options       []PollOptionView `json:"options" nullable:"false" doc:"The options of an election, in order; empty for yes/no polls"`
	Rule          RuleView         `json:"rule"`
	State         string           `json:"state" enum:"draft,open,closed,published,annulled"`
	Deadline      *time.Time       `json:"deadline,omitempty" doc:"The deadline of a written procedure"`
	Ballots       int              `json:"ballots" doc:"How many voters have voted: the only number shown while the poll is open"`
	Voted         bool             `json:"voted" doc:"Whether the caller's own ballot is in (cast by them or their proxy); never how"`
	CanVote       bool             `json:"can_vote" doc:"Whether the caller holds a voting seat in the committee and has declared no conflict on the poll's agenda item (presence and delegations are checked when the ballot is cast); administrators without a seat have none"`
	VoteBar       string           `json:"vote_bar,omitempty" enum:"no_seat,no_voting_right,conflict" doc:"Why can_vote is false: no seat with a running term, a seat without voting right, or a conflict of interest declared on the poll's agenda item"`
	OpenedAt      *time.Time       `json:"opened_at,omitempty"`
	ClosedAt      *time.Time       `json:"closed_at,omitempty"`
	ClosedBy      *uuid.UUID       `json:"closed_by,omitempty" doc:"Membership id; absent when the deadline closed the poll"`
	PublishedAt   *time.Time       `json:"published_at,omitempty"`
	TooFewBallots bool             `json:"too_few_ballots" doc:"A closed secret poll with fewer than 3 ballots: it has no result, is never published and can only be annulled"`
	CanAnnul      bool             `json:"can_annul" doc:"The poll may be annulled now (administrators, chair, secretary): while it runs, and after it closed until its meeting's minutes are approved (a written procedure: until its result is published)"`
	AnnulledAt    *time.Time       `json:"annulled_at,omitempty"`
	AnnulledBy    *uuid.UUID       `json:"annulled_by,omitempty" doc:"Membership id; absent for an annulment by the system"`
	AnnulReason   string           `json:"annul_reason,omitempty" doc:"Why the poll was annulled"`
	CreatedAt     time.Time        `json:"created_at"`
	CreatedBy     uuid.UUID        `json:"created_by" doc:"Membership id"`
}

func pollView(p *meetings.Poll) PollView {
	v := PollView{ID: p.ID, CommitteeID: p.CommitteeID, MeetingID: p.MeetingID, AgendaItemID: p.AgendaItemID, Written: p.Written(),
		Title: p.Title, Kind: string(p.Kind), Method: string(p.Method), Seats: p.Seats, Options: make([]PollOptionView, len(p.Options)),
		Rule: ruleView(p.Rule), State: string(p.State), Deadline: p.Deadline, Ballots: p.Ballots, Voted: p.Voted, CanVote: p.CanVote,
		VoteBar: string(p.VoteBar), OpenedAt: p.OpenedAt,
		ClosedAt: p.ClosedAt, ClosedBy: p.ClosedBy, PublishedAt: p.PublishedAt, TooFewBallots: p.TooFewBallots, CanAnnul: p.CanAnnul,
		AnnulledAt: p.AnnulledAt, AnnulledBy: p.AnnulledBy, AnnulReason: p.AnnulReason, CreatedAt: p.CreatedAt, CreatedBy: p.CreatedBy}
	for i, o := range p.Options {
		v.Options[i] = PollOptionView{ID: o.ID, Position: o.Position, Label: o.Label}
	}
	return v
}

// ReceiptView acknowledges a cast ballot. It names the voter and the poll, never the ballot.
type ReceiptView struct {
	ID                 uuid.UUID `json:"id"`
	PollID             uuid.UUID `json:"poll_id"`
	VoterMembershipID  uuid.UUID `json:"voter_membership_id"`
	CastByMembershipID uuid.UUID `json:"cast_by_membership_id" doc:"The proxy, when not the voter"`
	CastAt             time.Time `json:"cast_at"`
}

func receiptView(r *meetings.Receipt) ReceiptView {
	return ReceiptView{ID: r.ID, PollID: r.PollID, VoterMembershipID: r.VoterMembershipID, CastByMembershipID: r.CastByMembershipID, CastAt: r.CastAt}
}

// OptionVotesView is an option's weighted votes.
type OptionVotesView struct {
	OptionID uuid.UUID `json:"option_id"`
	Votes    int64     `json:"votes"`
}

// PollResultView is a closed poll's count and verdict, stored once at close.
type PollResultView struct {
	PollID        uuid.UUID         `json:"poll_id"`
	Ballots       int               `json:"ballots" doc:"Number of voters"`
	CastWeight    int64             `json:"cast_weight" doc:"Summed weight of the ballots, abstentions included"`
	Yes           int64             `json:"yes" doc:"Weighted yes votes (yes/no polls)"`
	No            int64             `json:"no"`
	Abstain       int64             `json:"abstain"`
	OptionVotes   []OptionVotesView `json:"option_votes" nullable:"false" doc:"An election's weighted votes per option, in option order; empty for yes/no polls"`
	Rule          RuleView          `json:"rule"`
	BaseWeight    int64             `json:"base_weight" doc:"Weight of the rule's base"`
	PresentWeight int64             `json:"present_weight"`
	MembersWeight int64             `json:"members_weight"`
	QuorumReached *bool             `json:"quorum_reached,omitempty" doc:"The item's quorum at close; absent for written procedures"`
	Passed        bool              `json:"passed" doc:"The motion is adopted, or every seat of the election is filled"`
	Elected       []uuid.UUID       `json:"elected" nullable:"false" doc:"Option ids elected, best first"`
	TieAtCut      bool              `json:"tie_at_cut" doc:"Options tied for the last seat(s): those seats are not decided"`
	ComputedAt    time.Time         `json:"computed_at"`
}

func pollResultView(r *meetings.Result) PollResultView {
	v := PollResultView{PollID: r.PollID, Ballots: r.Ballots, CastWeight: r.CastWeight, Yes: r.Yes, No: r.No, Abstain: r.Abstain,
		OptionVotes: make([]OptionVotesView, len(r.OptionVotes)), Rule: ruleView(r.Rule), BaseWeight: r.BaseWeight,
		PresentWeight: r.PresentWeight, MembersWeight: r.MembersWeight, QuorumReached: r.QuorumReached, Passed: r.Passed,
		Elected: append([]uuid.UUID{}, r.Elected...), TieAtCut: r.TieAtCut, ComputedAt: r.ComputedAt}
	for i, ov := range r.OptionVotes {
		v.OptionVotes[i] = OptionVotesView{OptionID: ov.OptionID, Votes: ov.Votes}
	}
	return v
}

// NamedVoteView is one ballot of a named poll.
type NamedVoteView struct {
	VoterMembershipID  uuid.UUID   `json:"voter_membership_id"`
	CastByMembershipID uuid.UUID   `json:"cast_by_membership_id" doc:"The proxy, when not the voter"`
	Choice             string      `json:"choice" enum:"yes,no,abstain,options"`
	OptionIDs          []uuid.UUID `json:"option_ids" nullable:"false"`
	Weight             int         `json:"weight"`
	CastAt             time.Time   `json:"cast_at"`
}

func namedVoteView(v *meetings.NamedVote) NamedVoteView {
	return NamedVoteView{VoterMembershipID: v.VoterMembershipID, CastByMembershipID: v.CastByMembershipID, Choice: v.Choice,
		OptionIDs: append([]uuid.UUID{}, v.OptionIDs...), Weight: v.Weight, CastAt: v.CastAt}
}

// --- inputs ---

// CommitteeFields are a committee's name and rules of procedure as a client sends them.
type CommitteeFields struct {
	Name         string         `json:"name" maxLength:"200"`
	Description  string         `json:"description,omitempty" maxLength:"10000"`
	Public       bool           `json:"public,omitempty" doc:"Published through OParl; default false"`
	Quorum       *FractionInput `json:"quorum,omitempty" doc:"Share of the voting weight that must be present; default more than half (1/2)"`
	DefaultRule  *RuleInput     `json:"default_rule,omitempty" doc:"Default: simple majority of the votes cast"`
	ProxyAllowed bool           `json:"proxy_allowed,omitempty" doc:"Members may delegate their vote; default false"`
}

type createCommitteeIn struct {
	TenantPath
	Body CommitteeFields
}

type updateCommitteeIn struct {
	TenantIDPath
	Body struct {
		Name         *string        `json:"name,omitempty" maxLength:"200" nullable:"false"`
		Description  *string        `json:"description,omitempty" maxLength:"10000" nullable:"false"`
		Public       *bool          `json:"public,omitempty" nullable:"false"`
		Quorum       *FractionInput `json:"quorum,omitempty" nullable:"false"`
		DefaultRule  *RuleInput     `json:"default_rule,omitempty" nullable:"false" doc:"Replaces the whole rule"`
		ProxyAllowed *bool          `json:"proxy_allowed,omitempty" nullable:"false"`
	}
}

// CommitteeMemberPath names one membership's seat in a committee.
type CommitteeMemberPath struct {
	TenantIDPath
	MembershipID uuid.UUID `path:"membership" doc:"Membership id"`
}

type setCommitteeMemberIn struct {
	CommitteeMemberPath
	Body struct {
		Role      string     `json:"role" enum:"chair,deputy_chair,secretary,member,deputy_member,advisory"`
		Voting    bool       `json:"voting" doc:"The right to vote; advisory members have none"`
		Weight    int        `json:"weight,omitempty" minimum:"1" maximum:"1000" doc:"Weight of the vote; default 1"`
		TermStart *time.Time `json:"term_start,omitempty" nullable:"false" doc:"Default: now"`
		TermEnd   *time.Time `json:"term_end,omitempty" doc:"End of the term (exclusive); absent: open-ended"`
	}
}

// MeetingFields are a meeting's title, date and place as a client sends them.
type MeetingFields struct {
	Title     string    `json:"title" maxLength:"500"`
	StartsAt  time.Time `json:"starts_at"`
	EndsAt    time.Time `json:"ends_at"`
	Place     string    `json:"place,omitempty" maxLength:"500"`
	OnlineURL string    `json:"online_url,omitempty" maxLength:"2000" doc:"An http(s) link for online participation"`
}

type createMeetingIn struct {
	TenantIDPath
	Body MeetingFields
}

type updateMeetingIn struct {
	TenantIDPath
	Body struct {
		Title     *string    `json:"title,omitempty" maxLength:"500" nullable:"false"`
		StartsAt  *time.Time `json:"starts_at,omitempty" nullable:"false"`
		EndsAt    *time.Time `json:"ends_at,omitempty" nullable:"false"`
		Place     *string    `json:"place,omitempty" maxLength:"500" nullable:"false"`
		OnlineURL *string    `json:"online_url,omitempty" maxLength:"2000" nullable:"false"`
	}
}

type meetingTransitionIn struct {
	TenantIDPath
	Body struct {
		To string `json:"to" enum:"invited,in_session,closed,minutes_approved" doc:"The next state: planned → invited → in_session → closed → minutes_approved"`
	}
}

type cancelMeetingIn struct {
	TenantIDPath
	Body struct {
		Reason string `json:"reason" maxLength:"2000" doc:"Why the meeting is cancelled (shown on the meeting page and in the cancellation mail)"`
	}
}

type currentItemIn struct {
	TenantIDPath
	Body struct {
		AgendaItemID *uuid.UUID `json:"agenda_item_id,omitempty" nullable:"false" doc:"An accepted agenda item of the meeting; absent: call none"`
	}
}

type addAgendaItemIn struct {
	TenantIDPath
	Body struct {
		Title       string `json:"title" maxLength:"500"`
		Description string `json:"description,omitempty" maxLength:"10000"`
		Public      bool   `json:"public,omitempty" doc:"Discussed in the public part of the meeting; default false (non-public)"`
	}
}

type reorderAgendaIn struct {
	TenantIDPath
	Body struct {
		Order []uuid.UUID `json:"order" maxItems:"1000" nullable:"false" doc:"Every item id of the meeting, proposals included, exactly once, in the new order"`
	}
}

type decideAgendaItemIn struct {
	TenantIDPath
	Body struct {
		Decision string `json:"decision" enum:"accept,decline"`
	}
}

type attachPaperIn struct {
	TenantIDPath
	Body struct {
		DocumentID uuid.UUID `json:"document_id" doc:"A document the caller can read"`
	}
}

// PaperPath names a session paper of an agenda item by its document.
type PaperPath struct {
	TenantIDPath
	DocumentID uuid.UUID `path:"document" doc:"The paper's document id"`
}

type paperContentIn struct {
	PaperPath
	ContentQuery
}

type addPostIn struct {
	TenantIDPath
	Body struct {
		Body string `json:"body" maxLength:"10000"`
	}
}

type declareConflictIn struct {
	TenantIDPath
	Body struct {
		MembershipID *uuid.UUID `json:"membership_id,omitempty" nullable:"false" doc:"The conflicted member; default the caller (others: administrators, chair, secretary)"`
		Reason       string     `json:"reason,omitempty" maxLength:"2000"`
	}
}

// MeetingMemberPath names a committee member in the context of a meeting or agenda item.
type MeetingMemberPath struct {
	TenantIDPath
	MembershipID uuid.UUID `path:"membership" doc:"Membership id"`
}

type setAttendanceIn struct {
	MeetingMemberPath
	Body struct {
		Status string `json:"status" enum:"present,excused,absent" doc:"present: arrived now, or back after a departure (only during the session)"`
	}
}

type quorumIn struct {
	TenantIDPath
	Item uuid.UUID `query:"item" doc:"An agenda item of the meeting: its conflicted members are left out"`
}

type createDelegationIn struct {
	TenantPath
	Body struct {
		FromMembershipID *uuid.UUID `json:"from_membership_id,omitempty" nullable:"false" doc:"The delegating member; default the caller (others: administrators, chair, secretary)"`
		ToMembershipID   uuid.UUID  `json:"to_membership_id" doc:"The proxy"`
		MeetingID        *uuid.UUID `json:"meeting_id,omitempty" nullable:"false" doc:"For one meeting (exactly one of meeting_id and poll_id)"`
		PollID           *uuid.UUID `json:"poll_id,omitempty" nullable:"false" doc:"For one poll"`
	}
}

type createPollIn struct {
	TenantPath
	Body struct {
		AgendaItemID *uuid.UUID `json:"agenda_item_id,omitempty" nullable:"false" doc:"A vote on an accepted agenda item (exactly one of agenda_item_id and committee_id)"`
		CommitteeID  *uuid.UUID `json:"committee_id,omitempty" nullable:"false" doc:"A written procedure (Umlaufverfahren) of the committee; needs deadline"`
		Deadline     *time.Time `json:"deadline,omitempty" nullable:"false" doc:"The written procedure's deadline, in the future"`
		Title        string     `json:"title" maxLength:"500"`
		Kind         string     `json:"kind" enum:"named,secret" doc:"named: who voted how is recorded and shown; secret: it is not"`
		Method       string     `json:"method" enum:"yes_no_abstain,choice" doc:"choice: an election among options"`
		Options      []string   `json:"options,omitempty" maxItems:"100" nullable:"false" doc:"The options of an election (2 to 100)"`
		Seats        int        `json:"seats,omitempty" minimum:"1" maximum:"100" doc:"How many options an election fills; default 1"`
		Rule         *RuleInput `json:"rule,omitempty" nullable:"false" doc:"Default: the committee's rule"`
	}
}

type updatePollIn struct {
	TenantIDPath
	Body struct {
		Title        *string    `json:"title,omitempty" maxLength:"500" nullable:"false"`
		Kind         *string    `json:"kind,omitempty" enum:"named,secret" nullable:"false"`
		Method       *string    `json:"method,omitempty" enum:"yes_no_abstain,choice" nullable:"false"`
		Options      []string   `json:"options,omitempty" maxItems:"100" nullable:"false" doc:"Replaces an election's options (2 to 100)"`
		Seats        *int       `json:"seats,omitempty" minimum:"1" maximum:"100" nullable:"false"`
		Rule         *RuleInput `json:"rule,omitempty" nullable:"false"`
		AgendaItemID *uuid.UUID `json:"agenda_item_id,omitempty" nullable:"false" doc:"Moves the poll to another accepted agenda item of the same meeting"`
		Deadline     *time.Time `json:"deadline,omitempty" nullable:"false" doc:"A written procedure's new deadline, in the future"`
	}
}

type annulPollIn struct {
	TenantIDPath
	Body struct {
		Reason string `json:"reason" maxLength:"2000" doc:"Why the poll is annulled (kept in the record, shown with the poll and in the minutes)"`
	}
}

type castBallotIn struct {
	TenantIDPath
	Body struct {
		Choice            string      `json:"choice,omitempty" enum:"yes,no,abstain,options" doc:"yes, no or abstain; in an election abstain, or options (or absent) with option_ids"`
		OptionIDs         []uuid.UUID `json:"option_ids,omitempty" maxItems:"100" nullable:"false" doc:"The chosen options of an election, at most seats"`
		VoterMembershipID *uuid.UUID  `json:"voter_membership_id,omitempty" nullable:"false" doc:"Cast as proxy for this member; default the caller's own ballot"`
	}
}

// --- outputs ---

type committeeOut struct{ Body CommitteeView }

type committeesOut struct {
	Body struct {
		Committees []CommitteeView `json:"committees" nullable:"false"`
	}
}

type committeeMemberOut struct{ Body CommitteeMemberView }

type committeeMembersOut struct {
	Body struct {
		Members []CommitteeMemberView `json:"members" nullable:"false" doc:"Every seat, past and future terms included, in the order they were created"`
	}
}

type meetingOut struct{ Body MeetingView }

type meetingsOut struct {
	Body struct {
		Meetings []MeetingView `json:"meetings" nullable:"false"`
	}
}

type agendaItemOut struct{ Body AgendaItemView }

type agendaOut struct {
	Body struct {
		Items []AgendaItemView `json:"items" nullable:"false" doc:"In agenda order, proposals included"`
	}
}

type paperOut struct{ Body PaperView }

type papersOut struct {
	Body struct {
		Papers []PaperView `json:"papers" nullable:"false"`
	}
}

type postOut struct{ Body PostView }

type postsOut struct {
	Body struct {
		Posts []PostView `json:"posts" nullable:"false" doc:"Oldest first"`
	}
}

type conflictOut struct{ Body ConflictView }

type conflictsOut struct {
	Body struct {
		Conflicts []ConflictView `json:"conflicts" nullable:"false"`
	}
}

type attendanceOut struct{ Body AttendanceView }

type attendanceListOut struct {
	Body struct {
		Attendance []AttendanceView `json:"attendance" nullable:"false"`
	}
}

type quorumOut struct{ Body QuorumView }

type delegationOut struct{ Body DelegationView }

type pollOut struct{ Body PollView }

type pollsOut struct {
	Body struct {
		Polls []PollView `json:"polls" nullable:"false" doc:"Oldest first, written procedures included"`
	}
}

type receiptOut struct{ Body ReceiptView }

type pollResultOut struct{ Body PollResultView }

type namedVotesOut struct {
	Body struct {
		Votes []NamedVoteView `json:"votes" nullable:"false"`
	}
}
