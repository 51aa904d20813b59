package api

import (
	"time"

	"github.com/google/uuid"
	"github.com/kollab/kollab/meetings"
)

// Request and response types of the committee routes (committees_routes.go):
// their own structs, never the domain's or the database's. Those of
// meetings, agenda items and polls are in committees_meeting_types.go,
// committees_agenda_types.go and committees_poll_types.go.

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
