package api

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"mime"
	"net/http"
	"strings"
	"time"

	"github.com/danielgtaylor/huma/v2"
	"github.com/danielgtaylor/huma/v2/adapters/humafiber"
	"github.com/google/uuid"
	"github.com/kollab/kollab/meetings"
	"github.com/kollab/kollab/meetings/render"
)

// Minutes (Niederschriften) of committee meetings and decision extracts
// (Beschlussauszüge); the rules are in committees/minutes.go. The draft is
// made from the record when a manager first reads it after the meeting
// closed; the secretary edits it with If-Match; the chair approves it into
// a folder, which files the PDF there as a document revision.

// --- views ---

// MinutesPersonView is a member named in the minutes (with the name they
// had when the draft was made).
type MinutesPersonView struct {
	MembershipID uuid.UUID `json:"membership_id"`
	Name         string    `json:"name"`
}

func minutesPerson(p meetings.MinutesPerson) MinutesPersonView {
	return MinutesPersonView{MembershipID: p.MembershipID, Name: p.Name}
}

func minutesPeople(ps []meetings.MinutesPerson) []MinutesPersonView {
	out := make([]MinutesPersonView, len(ps))
	for i, p := range ps {
		out[i] = minutesPerson(p)
	}
	return out
}

// MinutesHeaderView says which meeting the minutes record.
type MinutesHeaderView struct {
	CommitteeID   uuid.UUID           `json:"committee_id"`
	CommitteeName string              `json:"committee_name"`
	MeetingTitle  string              `json:"meeting_title"`
	StartsAt      time.Time           `json:"starts_at"`
	EndsAt        time.Time           `json:"ends_at"`
	OpenedAt      *time.Time          `json:"opened_at,omitempty" doc:"When the session was opened"`
	ClosedAt      *time.Time          `json:"closed_at,omitempty" doc:"When the session was closed"`
	Place         string              `json:"place"`
	OnlineURL     string              `json:"online_url"`
	Chairs        []MinutesPersonView `json:"chairs" nullable:"false"`
	Secretaries   []MinutesPersonView `json:"secretaries" nullable:"false"`
}

// MinutesAttendeeView is one line of the attendance register; a seat
// without an entry is listed as absent.
type MinutesAttendeeView struct {
	MinutesPersonView
	Role       string     `json:"role" enum:"chair,deputy_chair,secretary,member,deputy_member,advisory"`
	Voting     bool       `json:"voting"`
	Weight     int        `json:"weight"`
	Status     string     `json:"status" enum:"present,excused,absent"`
	ArrivedAt  *time.Time `json:"arrived_at,omitempty"`
	DepartedAt *time.Time `json:"departed_at,omitempty"`
}

// MinutesFractionView is a share: num/den, reached by "more than" it, or by "at least" it when inclusive.
type MinutesFractionView struct {
	Num       int  `json:"num"`
	Den       int  `json:"den"`
	Inclusive bool `json:"inclusive"`
}

func minutesFraction(f meetings.Fraction) MinutesFractionView {
	return MinutesFractionView{Num: f.Num, Den: f.Den, Inclusive: f.Inclusive}
}

// MinutesQuorumView is the meeting's quorum from the register: the voting
// weight present at any time of the session against all voting members'.
type MinutesQuorumView struct {
	Members       int                 `json:"members"`
	MembersWeight int64               `json:"members_weight"`
	Present       int                 `json:"present"`
	PresentWeight int64               `json:"present_weight"`
	Rule          MinutesFractionView `json:"rule"`
	Reached       bool                `json:"reached"`
}

// MinutesPaperView is a session paper with the revision frozen for the meeting.
type MinutesPaperView struct {
	DocumentID     uuid.UUID `json:"document_id"`
	Title          string    `json:"title"`
	RevisionNumber int       `json:"revision_number" doc:"0: never frozen"`
}

// MinutesConflictView is a declaration of conflict of interest (Befangenheit).
type MinutesConflictView struct {
	MinutesPersonView
	Reason string `json:"reason"`
}

// MinutesRuleView is a poll's majority rule.
type MinutesRuleView struct {
	Majority string               `json:"majority" enum:"simple,absolute,two_thirds,custom"`
	Fraction *MinutesFractionView `json:"fraction,omitempty" doc:"For majority custom only"`
	Base     string               `json:"base" enum:"cast,present,members"`
}

// MinutesOptionView is one option of an election with its votes.
type MinutesOptionView struct {
	Label   string `json:"label"`
	Votes   int64  `json:"votes"`
	Elected bool   `json:"elected"`
}

// MinutesVoteView is one named ballot.
type MinutesVoteView struct {
	MinutesPersonView
	Choice  string             `json:"choice" enum:"yes,no,abstain,options"`
	Options []string           `json:"options" nullable:"false" doc:"The labels chosen (choice options)"`
	Weight  int                `json:"weight"`
	CastBy  *MinutesPersonView `json:"cast_by,omitempty" doc:"The proxy who cast the vote"`
}

// MinutesPollView is a closed poll with its result and verdict.
type MinutesPollView struct {
	PollID        uuid.UUID           `json:"poll_id"`
	Title         string              `json:"title" doc:"The wording put to the vote"`
	Kind          string              `json:"kind" enum:"named,secret"`
	Method        string              `json:"method" enum:"yes_no_abstain,choice"`
	Seats         int                 `json:"seats"`
	Rule          MinutesRuleView     `json:"rule"`
	ClosedAt      *time.Time          `json:"closed_at,omitempty"`
	Ballots       int                 `json:"ballots"`
	Yes           int64               `json:"yes"`
	No            int64               `json:"no"`
	Abstain       int64               `json:"abstain"`
	Options       []MinutesOptionView `json:"options" nullable:"false"`
	BaseWeight    int64               `json:"base_weight"`
	PresentWeight int64               `json:"present_weight"`
	MembersWeight int64               `json:"members_weight"`
	QuorumReached *bool               `json:"quorum_reached,omitempty"`
	Passed        bool                `json:"passed"`
	TieAtCut      bool                `json:"tie_at_cut"`
	Verdict       string              `json:"verdict" doc:"The outcome in words (German)"`
	NamedVotes    []MinutesVoteView   `json:"named_votes" nullable:"false" doc:"Who voted how; named polls only"`
	Annulled      bool                `json:"annulled" doc:"The poll was annulled: no count, no decision"`
	AnnulReason   string              `json:"annul_reason,omitempty" doc:"Why it was annulled"`
	NoResult      bool                `json:"no_result" doc:"A secret poll with too few ballots (fewer than 3) to be counted: no count, no decision"`
}

// MinutesItemView is one accepted agenda item in the minutes.
type MinutesItemView struct {
	AgendaItemID uuid.UUID             `json:"agenda_item_id"`
	Number       int                   `json:"number"`
	Title        string                `json:"title"`
	Description  string                `json:"description"`
	Public       bool                  `json:"public"`
	Papers       []MinutesPaperView    `json:"papers" nullable:"false"`
	Conflicts    []MinutesConflictView `json:"conflicts" nullable:"false"`
	Summary      string                `json:"summary" doc:"Discussion summary (editable; made from the item's posts)"`
	Decision     string                `json:"decision" doc:"Resolution wording as minuted (editable)"`
	Polls        []MinutesPollView     `json:"polls" nullable:"false"`
}

// MinutesFilingView is a document revision the approved minutes (or a
// decision extract) were filed as.
type MinutesFilingView struct {
	AgendaItemID   *uuid.UUID `json:"agenda_item_id,omitempty" doc:"The item of a decision extract; absent for the minutes"`
	DocumentID     uuid.UUID  `json:"document_id"`
	RevisionID     uuid.UUID  `json:"revision_id"`
	RevisionNumber int        `json:"revision_number"`
	FiledAt        time.Time  `json:"filed_at"`
	FiledBy        uuid.UUID  `json:"filed_by" doc:"Membership id"`
}

// MinutesView is a meeting's minutes.
type MinutesView struct {
	ID             uuid.UUID             `json:"id"`
	MeetingID      uuid.UUID             `json:"meeting_id"`
	State          string                `json:"state" enum:"draft,approved"`
	Version        int64                 `json:"version" doc:"Send it back as If-Match (it is also the ETag)"`
	Header         MinutesHeaderView     `json:"header"`
	Preamble       string                `json:"preamble"`
	Attendance     []MinutesAttendeeView `json:"attendance" nullable:"false"`
	Quorum         MinutesQuorumView     `json:"quorum"`
	Items          []MinutesItemView     `json:"items" nullable:"false"`
	Closing        string                `json:"closing"`
	GeneratedAt    time.Time             `json:"generated_at" doc:"When the draft was made from the record"`
	CreatedAt      time.Time             `json:"created_at"`
	UpdatedAt      time.Time             `json:"updated_at"`
	UpdatedBy      uuid.UUID             `json:"updated_by" doc:"Membership id"`
	ApprovedAt     *time.Time            `json:"approved_at,omitempty"`
	ApprovedBy     *MinutesPersonView    `json:"approved_by,omitempty"`
	Filings        []MinutesFilingView   `json:"filings" nullable:"false" doc:"Empty until approved (or when filing failed: approve again)"`
	ExtractFilings []MinutesFilingView   `json:"extract_filings" nullable:"false" doc:"The decision extracts filed with the approved minutes, one per item with a poll"`
	CanEdit        bool                  `json:"can_edit"`
	CanApprove     bool                  `json:"can_approve"`
	CanFile        bool                  `json:"can_file" doc:"Approved minutes lack a filing (it failed): the caller may approve again to file what is missing"`
	FilingFolderID *uuid.UUID            `json:"filing_folder_id,omitempty" doc:"The committee's filing folder, where approval files by default"`
}

func minutesFilingView(f meetings.MinutesFiling) MinutesFilingView {
	return MinutesFilingView{AgendaItemID: f.AgendaItemID, DocumentID: f.DocumentID, RevisionID: f.RevisionID, RevisionNumber: f.RevisionNumber,
		FiledAt: f.FiledAt, FiledBy: f.FiledBy}
}

func minutesView(m *meetings.Minutes) MinutesView {
	c := &m.Content
	h := c.Header
	v := MinutesView{ID: m.ID, MeetingID: m.MeetingID, State: string(m.State), Version: m.Version, Preamble: c.Preamble, Closing: c.Closing,
		GeneratedAt: c.GeneratedAt, CreatedAt: m.CreatedAt, UpdatedAt: m.UpdatedAt, UpdatedBy: m.UpdatedBy, ApprovedAt: m.ApprovedAt,
		CanEdit: m.CanEdit, CanApprove: m.CanApprove, CanFile: m.CanFile, FilingFolderID: m.FilingFolderID,
		Header: MinutesHeaderView{CommitteeID: h.CommitteeID, CommitteeName: h.CommitteeName, MeetingTitle: h.MeetingTitle, StartsAt: h.StartsAt,
			EndsAt: h.EndsAt, OpenedAt: h.OpenedAt, ClosedAt: h.ClosedAt, Place: h.Place, OnlineURL: h.OnlineURL,
			Chairs: minutesPeople(h.Chairs), Secretaries: minutesPeople(h.Secretaries)},
		Quorum: MinutesQuorumView{Members: c.Quorum.Members, MembersWeight: c.Quorum.MembersWeight, Present: c.Quorum.Present,
			PresentWeight: c.Quorum.PresentWeight, Rule: minutesFraction(c.Quorum.Rule), Reached: c.Quorum.Reached},
		Attendance: make([]MinutesAttendeeView, len(c.Attendance)), Items: make([]MinutesItemView, len(c.Items)),
		Filings: make([]MinutesFilingView, len(m.Filings)), ExtractFilings: make([]MinutesFilingView, len(m.ExtractFilings))}
	if c.Approval != nil {
		p := minutesPerson(c.Approval.MinutesPerson)
		v.ApprovedBy = &p
	}
	for i, a := range c.Attendance {
		v.Attendance[i] = MinutesAttendeeView{MinutesPersonView: minutesPerson(a.MinutesPerson), Role: string(a.Role), Voting: a.Voting,
			Weight: a.Weight, Status: string(a.Status), ArrivedAt: a.ArrivedAt, DepartedAt: a.DepartedAt}
	}
	for i := range c.Items {
		v.Items[i] = minutesItemView(&c.Items[i])
	}
	for i, f := range m.Filings {
		v.Filings[i] = minutesFilingView(f)
	}
	for i, f := range m.ExtractFilings {
		v.ExtractFilings[i] = minutesFilingView(f)
	}
	return v
}

func minutesItemView(it *meetings.MinutesItem) MinutesItemView {
	v := MinutesItemView{AgendaItemID: it.AgendaItemID, Number: it.Number, Title: it.Title, Description: it.Description, Public: it.Public,
		Summary: it.Summary, Decision: it.Decision, Papers: make([]MinutesPaperView, len(it.Papers)),
		Conflicts: make([]MinutesConflictView, len(it.Conflicts)), Polls: make([]MinutesPollView, len(it.Polls))}
	for i, p := range it.Papers {
		v.Papers[i] = MinutesPaperView{DocumentID: p.DocumentID, Title: p.Title, RevisionNumber: p.RevisionNumber}
	}
	for i, x := range it.Conflicts {
		v.Conflicts[i] = MinutesConflictView{MinutesPersonView: minutesPerson(x.MinutesPerson), Reason: x.Reason}
	}
	for i := range it.Polls {
		p := &it.Polls[i]
		pv := MinutesPollView{PollID: p.PollID, Title: p.Title, Kind: string(p.Kind), Method: string(p.Method), Seats: p.Seats,
			Rule: MinutesRuleView{Majority: string(p.Rule.Majority), Base: string(p.Rule.Base)}, ClosedAt: p.ClosedAt, Ballots: p.Ballots,
			Yes: p.Yes, No: p.No, Abstain: p.Abstain, Options: make([]MinutesOptionView, len(p.Options)), BaseWeight: p.BaseWeight,
			PresentWeight: p.PresentWeight, MembersWeight: p.MembersWeight, QuorumReached: p.QuorumReached, Passed: p.Passed,
			TieAtCut: p.TieAtCut, Verdict: p.Verdict, NamedVotes: make([]MinutesVoteView, len(p.NamedVotes)),
			Annulled: p.Annulled, AnnulReason: p.AnnulReason, NoResult: p.NoResult}
		if p.Rule.Majority == meetings.Custom {
			f := minutesFraction(p.Rule.Fraction)
			pv.Rule.Fraction = &f
		}
		for j, o := range p.Options {
			pv.Options[j] = MinutesOptionView{Label: o.Label, Votes: o.Votes, Elected: o.Elected}
		}
		for j, nv := range p.NamedVotes {
			vv := MinutesVoteView{MinutesPersonView: minutesPerson(nv.MinutesPerson), Choice: nv.Choice, Options: nv.Options, Weight: nv.Weight}
			if vv.Options == nil {
				vv.Options = []string{}
			}
			if nv.CastBy != nil {
				by := minutesPerson(*nv.CastBy)
				vv.CastBy = &by
			}
			pv.NamedVotes[j] = vv
		}
		v.Polls[i] = pv
	}
	return v
}

// --- requests and responses ---

type minutesOut struct {
	ETag string `header:"ETag" doc:"The minutes' version, for If-Match"`
	Body MinutesView
}

func minutesResult(m *meetings.Minutes, err error) (*minutesOut, error) {
	if err != nil {
		return nil, err
	}
	return &minutesOut{ETag: etag(m.Version), Body: minutesView(m)}, nil
}

// MinutesItemEditBody changes one item's texts; absent fields stay.
type MinutesItemEditBody struct {
	AgendaItemID uuid.UUID `json:"agenda_item_id"`
	Summary      *string   `json:"summary,omitempty" maxLength:"20000" doc:"Discussion summary"`
	Decision     *string   `json:"decision,omitempty" maxLength:"20000" doc:"Resolution wording (Beschlusstext)"`
}

type updateMinutesIn struct {
	TenantIDPath
	IfMatchHeader
	Body struct {
		Preamble *string               `json:"preamble,omitempty" maxLength:"20000" doc:"Absent: unchanged"`
		Closing  *string               `json:"closing,omitempty" maxLength:"20000" doc:"Absent: unchanged"`
		Items    []MinutesItemEditBody `json:"items,omitempty" maxItems:"1000" doc:"Items not named keep their texts"`
	}
}

type approveMinutesIn struct {
	TenantIDPath
	IfMatchHeader
	Body struct {
		FolderID uuid.UUID `json:"folder_id,omitempty" doc:"The folder to file the minutes and decision extracts in (write permission); default: the committee's filing folder. Used when no earlier filing's document is there"`
	}
}

type minutesPDFIn struct {
	TenantIDPath
	Variant     string `query:"variant" enum:"full,public," doc:"public leaves out the non-public agenda items; default full (non-public items marked)"`
	Disposition string `query:"disposition" enum:"attachment,inline," doc:"inline shows the PDF in the browser"`
}

type extractPDFIn struct {
	TenantIDPath
	Disposition string `query:"disposition" enum:"attachment,inline," doc:"inline shows the PDF in the browser"`
}

// minutesPDFResponses documents a PDF download.
func minutesPDFResponses() map[string]*huma.Response {
	return map[string]*huma.Response{"200": {Description: "The PDF",
		Content: map[string]*huma.MediaType{"application/pdf": {Schema: &huma.Schema{Type: "string", Format: "binary"}}}}}
}

// minutesPDFResult sends a rendered PDF.
func minutesPDFResult(p *meetings.PDF, disposition string, err error) (*huma.StreamResponse, error) {
	if err != nil {
		return nil, err
	}
	disp := "attachment"
	if disposition == "inline" {
		disp = "inline"
	}
	cd := mime.FormatMediaType(disp, map[string]string{"filename": p.FileName})
	if cd == "" {
		cd = disp
	}
	sum := sha256.Sum256(p.Data)
	tag := `"` + hex.EncodeToString(sum[:]) + `"`
	return &huma.StreamResponse{Body: func(hctx huma.Context) {
		c := humafiber.Unwrap(hctx)
		h := &c.Response().Header
		h.Set("Content-Type", "application/pdf")
		h.Set("Content-Disposition", cd)
		h.Set("ETag", tag)
		h.Set("Cache-Control", "private, no-cache")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Cross-Origin-Resource-Policy", "same-origin")
		h.Set("Cross-Origin-Embedder-Policy", "require-corp")
		// Chromium's PDF viewer refuses sandboxed documents; the web app
		// frames PDFs from its own origin.
		h.Set("Content-Security-Policy", "default-src 'none'; frame-ancestors 'self'")
		h.Set("X-Frame-Options", "SAMEORIGIN")
		c.Status(http.StatusOK)
		c.Response().SetBody(p.Data)
	}}, nil
}

// registerMinutes adds the minutes routes.
func (s *Server) registerMinutes() {
	svc := s.deps.Committees
	if svc == nil {
		svc = meetings.NewService(s.deps.DB, s.deps.Documents, render.Renderer{})
	}
	tags := []string{"Niederschriften"}
	base := tenantBase + "/meetings/{id}/minutes"

	register(s, member, huma.Operation{OperationID: "get-minutes", Method: http.MethodGet, Path: base, Tags: tags,
		Summary: "A meeting's minutes (the draft is made from the record on first access after the meeting closed)",
		Description: "Before approval only the committee's chair, secretary and tenant admins see the draft (403 for other members); " +
			"a meeting not yet closed has none (409). The ETag is the version for If-Match."},
		func(ctx context.Context, in *TenantIDPath) (*minutesOut, error) {
			return minutesResult(svc.Minutes(ctx, actorOf(ctx), in.ID))
		})

	register(s, member, huma.Operation{OperationID: "update-minutes", Method: http.MethodPut, Path: base, Tags: tags,
		Summary:     "Edit the draft's texts: preamble, closing, each item's summary and decision (chair, secretary, admins; If-Match required)",
		Description: "Fields left out stay as they are. A stale If-Match answers 412; approved minutes never change (409)."},
		func(ctx context.Context, in *updateMinutesIn) (*minutesOut, error) {
			b := in.Body
			edit := meetings.MinutesEdit{Preamble: minutesText(b.Preamble), Closing: minutesText(b.Closing),
				Items: make([]meetings.MinutesItemEdit, len(b.Items))}
			for i, it := range b.Items {
				edit.Items[i] = meetings.MinutesItemEdit{AgendaItemID: it.AgendaItemID, Summary: minutesText(it.Summary), Decision: minutesText(it.Decision)}
			}
			return minutesResult(svc.UpdateMinutes(ctx, actorOf(ctx), in.ID, in.version, edit))
		})

	register(s, member, huma.Operation{OperationID: "approve-minutes", Method: http.MethodPost, Path: base + "/approve", Tags: tags,
		Summary: "Approve the minutes and file them and the decision extracts as PDF document revisions (the committee's chair or deputy chair; If-Match required)",
		Description: "The meeting moves to minutes_approved and the minutes are frozen. The PDFs (the minutes, and a decision extract per item " +
			"with a poll) go into folder_id as new documents, by default into the committee's filing folder, which the chair and deputy chair " +
			"always write to (elsewhere write permission is needed, checked first: 403/404 leave the draft untouched), or as new revisions of " +
			"the documents an earlier filing made. Should filing fail after the approval, approving again files what is missing; approved and " +
			"filed minutes answer 409."},
		func(ctx context.Context, in *approveMinutesIn) (*minutesOut, error) {
			return minutesResult(svc.ApproveMinutes(ctx, actorOf(ctx), in.ID, in.version, in.Body.FolderID))
		})

	register(s, member, huma.Operation{OperationID: "download-minutes-pdf", Method: http.MethodGet, Path: base + ".pdf", Tags: tags,
		Summary:     "The minutes as PDF: the draft (managers only, marked as draft) or the approved minutes exactly as filed",
		Description: "variant=public leaves out the non-public agenda items; the full version marks them as non-public.",
		Responses:   minutesPDFResponses()},
		func(ctx context.Context, in *minutesPDFIn) (*huma.StreamResponse, error) {
			p, err := svc.MinutesPDF(ctx, actorOf(ctx), in.ID, in.Variant == "public")
			return minutesPDFResult(p, in.Disposition, err)
		})

	register(s, member, huma.Operation{OperationID: "download-decision-extract", Method: http.MethodGet,
		Path: tenantBase + "/agenda-items/{id}/extract.pdf", Tags: tags,
		Summary: "The decision extract (Beschlussauszug) of an agenda item, from the approved minutes",
		Description: "Title, wording, result and verdict of each poll on the item, with date and committee; non-public items are marked. " +
			"Before the minutes are approved, or for an item without a poll: 409.",
		Responses: minutesPDFResponses()},
		func(ctx context.Context, in *extractPDFIn) (*huma.StreamResponse, error) {
			p, err := svc.DecisionExtractPDF(ctx, actorOf(ctx), in.ID)
			return minutesPDFResult(p, in.Disposition, err)
		})
}

// minutesText copies a request string out of the request's buffers.
func minutesText(p *string) *string {
	if p == nil {
		return nil
	}
	s := strings.Clone(*p)
	return &s
}
