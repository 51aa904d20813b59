package api

import (
	"time"

	"github.com/google/uuid"
	"github.com/kollab/kollab/meetings"
)

// Request and response types of the poll routes (committees_poll_routes.go):
// delegations, polls, ballots and results.

// --- views ---

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
