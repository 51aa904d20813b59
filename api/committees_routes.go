package api

import (
	"context"
	"io"
	"net/http"

	"github.com/danielgtaylor/huma/v2"
	"github.com/google/uuid"
	"github.com/kollab/kollab/documents"
	"github.com/kollab/kollab/meetings"
)

// The committee routes (Gremienarbeit): committees and their members,
// meetings with their agenda, session papers, discussion, conflicts of
// interest and attendance, delegations, and polls with ballots and
// results. Every route is for members of the path's tenant; who may see
// and do what is decided by the committees service (a committee the caller
// does not sit on answers 404 like a missing one), never here. Request and
// response types are in committees_types.go. Live ballot counts are
// served elsewhere (Server-Sent Events).

func committeeResult(c *meetings.Committee, err error) (*committeeOut, error) {
	if err != nil {
		return nil, err
	}
	return &committeeOut{Body: committeeView(c)}, nil
}

func meetingResult(m *meetings.Meeting, err error) (*meetingOut, error) {
	if err != nil {
		return nil, err
	}
	return &meetingOut{Body: meetingView(m)}, nil
}

func agendaItemResult(it *meetings.AgendaItem, err error) (*agendaItemOut, error) {
	if err != nil {
		return nil, err
	}
	return &agendaItemOut{Body: agendaItemView(it)}, nil
}

func attendanceResult(a *meetings.Attendance, err error) (*attendanceOut, error) {
	if err != nil {
		return nil, err
	}
	return &attendanceOut{Body: attendanceView(a)}, nil
}

func pollResult(p *meetings.Poll, err error) (*pollOut, error) {
	if err != nil {
		return nil, err
	}
	return &pollOut{Body: pollView(p)}, nil
}

func (s *Server) committeeRoutes() {
	s.committeeCoreRoutes()
	s.meetingRoutes()
	s.agendaItemRoutes()
	s.pollRoutes()
}

// committeeCoreRoutes: committees, their members and their lists of meetings and polls.
func (s *Server) committeeCoreRoutes() {
	tags := []string{"Gremien"}
	svc := s.deps.Committees
	register(s, member, huma.Operation{OperationID: "list-committees", Method: http.MethodGet, Path: tenantBase + "/committees", Tags: tags,
		Summary: "The committees the caller sees (administrators: all; others: those they hold a running seat in), by name"},
		func(ctx context.Context, in *TenantPath) (*committeesOut, error) {
			cs, err := svc.ListCommittees(ctx, actorOf(ctx))
			if err != nil {
				return nil, err
			}
			out := &committeesOut{}
			out.Body.Committees = make([]CommitteeView, len(cs))
			for i := range cs {
				out.Body.Committees[i] = committeeView(&cs[i])
			}
			return out, nil
		})

	register(s, member, huma.Operation{OperationID: "create-committee", Method: http.MethodPost, Path: tenantBase + "/committees", Tags: tags,
		Summary: "Create a committee with its rules of procedure (administrators only)", DefaultStatus: http.StatusCreated},
		func(ctx context.Context, in *createCommitteeIn) (*committeeOut, error) {
			b := in.Body
			return committeeResult(svc.CreateCommittee(ctx, actorOf(ctx), meetings.CommitteeInput{Name: b.Name, Description: b.Description,
				Public: b.Public, Quorum: b.Quorum.fraction(), DefaultRule: b.DefaultRule.rule(), ProxyAllowed: b.ProxyAllowed}))
		})

	register(s, member, huma.Operation{OperationID: "get-committee", Method: http.MethodGet, Path: tenantBase + "/committees/{id}", Tags: tags,
		Summary: "One committee with the caller's role in it"},
		func(ctx context.Context, in *TenantIDPath) (*committeeOut, error) {
			return committeeResult(svc.GetCommittee(ctx, actorOf(ctx), in.ID))
		})

	register(s, member, huma.Operation{OperationID: "update-committee", Method: http.MethodPatch, Path: tenantBase + "/committees/{id}", Tags: tags,
		Summary:     "Change a committee's name and rules (administrators, chair, secretary)",
		Description: "Absent fields stay; default_rule replaces the whole rule. Polls keep the rule they were created with."},
		func(ctx context.Context, in *updateCommitteeIn) (*committeeOut, error) {
			a := actorOf(ctx)
			cur, err := svc.GetCommittee(ctx, a, in.ID)
			if err != nil {
				return nil, err
			}
			ci := meetings.CommitteeInput{Name: cur.Name, Description: cur.Description, Public: cur.Public, Quorum: cur.Quorum,
				DefaultRule: cur.DefaultRule, ProxyAllowed: cur.ProxyAllowed}
			b := in.Body
			setField(&ci.Name, b.Name)
			setField(&ci.Description, b.Description)
			setField(&ci.Public, b.Public)
			setField(&ci.ProxyAllowed, b.ProxyAllowed)
			if b.Quorum != nil {
				ci.Quorum = b.Quorum.fraction()
			}
			if b.DefaultRule != nil {
				ci.DefaultRule = b.DefaultRule.rule()
			}
			return committeeResult(svc.UpdateCommittee(ctx, a, in.ID, ci))
		})

	register(s, member, huma.Operation{OperationID: "list-committee-members", Method: http.MethodGet, Path: tenantBase + "/committees/{id}/members",
		Tags: tags, Summary: "Every seat of a committee, past and future terms included"},
		func(ctx context.Context, in *TenantIDPath) (*committeeMembersOut, error) {
			ms, err := svc.ListMembers(ctx, actorOf(ctx), in.ID)
			if err != nil {
				return nil, err
			}
			out := &committeeMembersOut{}
			out.Body.Members = make([]CommitteeMemberView, len(ms))
			for i := range ms {
				out.Body.Members[i] = committeeMemberView(&ms[i])
			}
			return out, nil
		})

	register(s, member, huma.Operation{OperationID: "set-committee-member", Method: http.MethodPut,
		Path: tenantBase + "/committees/{id}/members/{membership}", Tags: tags,
		Summary:     "Give a member of the tenant a seat in the committee, or change their seat (administrators, chair, secretary)",
		Description: "Role, voting right, weight and term replace the seat's previous ones."},
		func(ctx context.Context, in *setCommitteeMemberIn) (*committeeMemberOut, error) {
			b := in.Body
			mi := meetings.MemberInput{MembershipID: in.MembershipID, Role: meetings.Role(b.Role), Voting: b.Voting, Weight: b.Weight,
				TermEnd: b.TermEnd}
			if b.TermStart != nil {
				mi.TermStart = *b.TermStart
			}
			m, err := svc.SetMember(ctx, actorOf(ctx), in.ID, mi)
			if err != nil {
				return nil, err
			}
			return &committeeMemberOut{Body: committeeMemberView(m)}, nil
		})

	register(s, member, huma.Operation{OperationID: "end-committee-member-term", Method: http.MethodDelete,
		Path: tenantBase + "/committees/{id}/members/{membership}", Tags: tags, DefaultStatus: http.StatusNoContent,
		Summary:     "End a member's term now (administrators, chair, secretary)",
		Description: "The seat stays on record for past meetings; a seat whose term has not begun yet is deleted."},
		func(ctx context.Context, in *CommitteeMemberPath) (*struct{}, error) {
			return nil, svc.RemoveMember(ctx, actorOf(ctx), in.ID, in.MembershipID)
		})

	register(s, member, huma.Operation{OperationID: "list-meetings", Method: http.MethodGet, Path: tenantBase + "/committees/{id}/meetings",
		Tags: tags, Summary: "A committee's meetings, by date"},
		func(ctx context.Context, in *TenantIDPath) (*meetingsOut, error) {
			ms, err := svc.ListMeetings(ctx, actorOf(ctx), in.ID)
			if err != nil {
				return nil, err
			}
			out := &meetingsOut{}
			out.Body.Meetings = make([]MeetingView, len(ms))
			for i := range ms {
				out.Body.Meetings[i] = meetingView(&ms[i])
			}
			return out, nil
		})

	register(s, member, huma.Operation{OperationID: "create-meeting", Method: http.MethodPost, Path: tenantBase + "/committees/{id}/meetings",
		Tags: tags, Summary: "Plan a meeting of the committee (administrators, chair, secretary)", DefaultStatus: http.StatusCreated},
		func(ctx context.Context, in *createMeetingIn) (*meetingOut, error) {
			b := in.Body
			return meetingResult(svc.CreateMeeting(ctx, actorOf(ctx), in.ID, meetings.MeetingInput{Title: b.Title, StartsAt: b.StartsAt,
				EndsAt: b.EndsAt, Place: b.Place, OnlineURL: b.OnlineURL}))
		})

	register(s, member, huma.Operation{OperationID: "list-committee-polls", Method: http.MethodGet, Path: tenantBase + "/committees/{id}/polls",
		Tags: []string{"Abstimmungen"}, Summary: "A committee's polls, written procedures included, oldest first (state and ballot count only)"},
		func(ctx context.Context, in *TenantIDPath) (*pollsOut, error) {
			ps, err := svc.ListPolls(ctx, actorOf(ctx), in.ID)
			if err != nil {
				return nil, err
			}
			out := &pollsOut{}
			out.Body.Polls = make([]PollView, len(ps))
			for i := range ps {
				out.Body.Polls[i] = pollView(&ps[i])
			}
			return out, nil
		})
}

// meetingRoutes: a meeting, its state, agenda, papers, attendance and quorum.
func (s *Server) meetingRoutes() {
	tags := []string{"Sitzungen"}
	svc := s.deps.Committees
	register(s, member, huma.Operation{OperationID: "get-meeting", Method: http.MethodGet, Path: tenantBase + "/meetings/{id}", Tags: tags,
		Summary: "One meeting"},
		func(ctx context.Context, in *TenantIDPath) (*meetingOut, error) {
			return meetingResult(svc.GetMeeting(ctx, actorOf(ctx), in.ID))
		})

	register(s, member, huma.Operation{OperationID: "update-meeting", Method: http.MethodPatch, Path: tenantBase + "/meetings/{id}", Tags: tags,
		Summary:     "Change a meeting's title, date and place while it is planned or invited (administrators, chair, secretary)",
		Description: "Absent fields stay."},
		func(ctx context.Context, in *updateMeetingIn) (*meetingOut, error) {
			a := actorOf(ctx)
			cur, err := svc.GetMeeting(ctx, a, in.ID)
			if err != nil {
				return nil, err
			}
			mi := meetings.MeetingInput{Title: cur.Title, StartsAt: cur.StartsAt, EndsAt: cur.EndsAt, Place: cur.Place, OnlineURL: cur.OnlineURL}
			b := in.Body
			setField(&mi.Title, b.Title)
			setField(&mi.StartsAt, b.StartsAt)
			setField(&mi.EndsAt, b.EndsAt)
			setField(&mi.Place, b.Place)
			setField(&mi.OnlineURL, b.OnlineURL)
			return meetingResult(svc.UpdateMeeting(ctx, a, in.ID, mi))
		})

	register(s, member, huma.Operation{OperationID: "advance-meeting", Method: http.MethodPost, Path: tenantBase + "/meetings/{id}/transitions",
		Tags: tags, Summary: "Move a meeting to its next state (administrators, chair, secretary)",
		Description: "planned → invited → in_session → closed → minutes_approved; any other move answers 409. Inviting freezes every " +
			"session paper at its document's current revision; closing needs every poll of the meeting closed."},
		func(ctx context.Context, in *meetingTransitionIn) (*meetingOut, error) {
			return meetingResult(svc.AdvanceMeeting(ctx, actorOf(ctx), in.ID, meetings.MeetingState(in.Body.To)))
		})

	register(s, member, huma.Operation{OperationID: "cancel-meeting", Method: http.MethodPost, Path: tenantBase + "/meetings/{id}/cancel",
		Tags: tags, Summary: "Cancel a planned or invited meeting with a reason (administrators, chair, secretary)",
		Description: "The meeting becomes cancelled and can no longer change; a meeting that has begun answers 409. Everyone the " +
			"invitation was mailed to gets a cancellation with the calendar entry as iCalendar METHOD:CANCEL."},
		func(ctx context.Context, in *cancelMeetingIn) (*meetingOut, error) {
			return meetingResult(svc.CancelMeeting(ctx, actorOf(ctx), in.ID, in.Body.Reason))
		})

	register(s, member, huma.Operation{OperationID: "set-current-item", Method: http.MethodPut, Path: tenantBase + "/meetings/{id}/current-item",
		Tags: tags, Summary: "Call an agenda item as the one dealt with now, in session (administrators, chair, secretary)",
		Description: "Every member following the meeting sees it (\"jetzt: TOP 3\"); opening a poll calls its item too. " +
			"An absent agenda_item_id calls none."},
		func(ctx context.Context, in *currentItemIn) (*meetingOut, error) {
			return meetingResult(svc.SetCurrentItem(ctx, actorOf(ctx), in.ID, optionalID(in.Body.AgendaItemID)))
		})

	register(s, member, huma.Operation{OperationID: "list-agenda", Method: http.MethodGet, Path: tenantBase + "/meetings/{id}/agenda",
		Tags: tags, Summary: "A meeting's agenda in order, proposals included"},
		func(ctx context.Context, in *TenantIDPath) (*agendaOut, error) {
			items, err := svc.ListAgenda(ctx, actorOf(ctx), in.ID)
			if err != nil {
				return nil, err
			}
			out := &agendaOut{}
			out.Body.Items = agendaView(items)
			return out, nil
		})

	register(s, member, huma.Operation{OperationID: "add-agenda-item", Method: http.MethodPost, Path: tenantBase + "/meetings/{id}/agenda",
		Tags: tags, Summary: "Add an item at the end of the agenda", DefaultStatus: http.StatusCreated,
		Description: "Items added by administrators, the chair or the secretary are accepted at once; members' items are proposals " +
			"for the chair or secretary to decide."},
		func(ctx context.Context, in *addAgendaItemIn) (*agendaItemOut, error) {
			b := in.Body
			return agendaItemResult(svc.AddAgendaItem(ctx, actorOf(ctx), in.ID, meetings.AgendaItemInput{Title: b.Title,
				Description: b.Description, Public: b.Public}))
		})

	register(s, member, huma.Operation{OperationID: "reorder-agenda", Method: http.MethodPut, Path: tenantBase + "/meetings/{id}/agenda/order",
		Tags: tags, Summary: "Put the agenda in a new order naming every item exactly once (administrators, chair, secretary)"},
		func(ctx context.Context, in *reorderAgendaIn) (*agendaOut, error) {
			items, err := svc.ReorderAgenda(ctx, actorOf(ctx), in.ID, in.Body.Order)
			if err != nil {
				return nil, err
			}
			out := &agendaOut{}
			out.Body.Items = agendaView(items)
			return out, nil
		})

	register(s, member, huma.Operation{OperationID: "list-meeting-papers", Method: http.MethodGet, Path: tenantBase + "/meetings/{id}/papers",
		Tags: tags, Summary: "The session papers of a meeting, in agenda order, with their frozen revisions"},
		func(ctx context.Context, in *TenantIDPath) (*papersOut, error) {
			ps, err := svc.ListPapers(ctx, actorOf(ctx), in.ID)
			if err != nil {
				return nil, err
			}
			out := &papersOut{}
			out.Body.Papers = make([]PaperView, len(ps))
			for i := range ps {
				out.Body.Papers[i] = paperView(&ps[i])
			}
			return out, nil
		})

	register(s, member, huma.Operation{OperationID: "list-attendance", Method: http.MethodGet, Path: tenantBase + "/meetings/{id}/attendance",
		Tags: tags, Summary: "A meeting's attendance register"},
		func(ctx context.Context, in *TenantIDPath) (*attendanceListOut, error) {
			as, err := svc.ListAttendance(ctx, actorOf(ctx), in.ID)
			if err != nil {
				return nil, err
			}
			out := &attendanceListOut{}
			out.Body.Attendance = make([]AttendanceView, len(as))
			for i := range as {
				out.Body.Attendance[i] = attendanceView(&as[i])
			}
			return out, nil
		})

	register(s, member, huma.Operation{OperationID: "set-attendance", Method: http.MethodPut,
		Path: tenantBase + "/meetings/{id}/attendance/{membership}", Tags: tags,
		Summary: "Record a member as present, excused or absent (administrators, chair, secretary)",
		Description: "present means arrived now, or back after a departure, and is only possible during the session. " +
			"The member needs a running seat in the meeting's committee."},
		func(ctx context.Context, in *setAttendanceIn) (*attendanceOut, error) {
			return attendanceResult(svc.SetAttendance(ctx, actorOf(ctx), in.ID, in.MembershipID, meetings.AttendanceStatus(in.Body.Status)))
		})

	register(s, member, huma.Operation{OperationID: "record-departure", Method: http.MethodPost,
		Path: tenantBase + "/meetings/{id}/attendance/{membership}/departure", Tags: tags,
		Summary: "Record that a present member left the session (administrators, chair, secretary)"},
		func(ctx context.Context, in *MeetingMemberPath) (*attendanceOut, error) {
			return attendanceResult(svc.Depart(ctx, actorOf(ctx), in.ID, in.MembershipID))
		})

	register(s, member, huma.Operation{OperationID: "get-quorum", Method: http.MethodGet, Path: tenantBase + "/meetings/{id}/quorum",
		Tags: tags, Summary: "The meeting's quorum now, for the whole meeting or one agenda item (without its conflicted members)"},
		func(ctx context.Context, in *quorumIn) (*quorumOut, error) {
			q, err := svc.Quorum(ctx, actorOf(ctx), in.ID, in.Item)
			if err != nil {
				return nil, err
			}
			return &quorumOut{Body: quorumView(q)}, nil
		})
}

// agendaItemRoutes: decisions on proposals, papers, discussion and conflicts of interest.
func (s *Server) agendaItemRoutes() {
	tags := []string{"Sitzungen"}
	svc := s.deps.Committees
	register(s, member, huma.Operation{OperationID: "decide-agenda-item", Method: http.MethodPost, Path: tenantBase + "/agenda-items/{id}/decision",
		Tags: tags, Summary: "Accept or decline a proposed agenda item (administrators, chair, secretary)"},
		func(ctx context.Context, in *decideAgendaItemIn) (*agendaItemOut, error) {
			return agendaItemResult(svc.DecideAgendaItem(ctx, actorOf(ctx), in.ID, in.Body.Decision == "accept"))
		})

	register(s, member, huma.Operation{OperationID: "update-agenda-item", Method: http.MethodPut, Path: tenantBase + "/agenda-items/{id}",
		Tags: tags, Summary: "Change an item's title, description and whether it is public (administrators, chair, secretary)",
		Description: "Until the meeting closes; the item's position, decision and frozen papers stay."},
		func(ctx context.Context, in *addAgendaItemIn) (*agendaItemOut, error) {
			b := in.Body
			return agendaItemResult(svc.UpdateAgendaItem(ctx, actorOf(ctx), in.ID, meetings.AgendaItemInput{Title: b.Title,
				Description: b.Description, Public: b.Public}))
		})

	register(s, member, huma.Operation{OperationID: "attach-paper", Method: http.MethodPost, Path: tenantBase + "/agenda-items/{id}/papers",
		Tags: tags, Summary: "Make a document a session paper of the item", DefaultStatus: http.StatusCreated,
		Description: "Administrators, the chair or the secretary, or the member who proposed the item while it is a proposal; the caller " +
			"must be able to read the document. After the invitation went out the paper is frozen at once at the document's current revision."},
		func(ctx context.Context, in *attachPaperIn) (*paperOut, error) {
			p, err := svc.AttachPaper(ctx, actorOf(ctx), in.ID, in.Body.DocumentID)
			if err != nil {
				return nil, err
			}
			return &paperOut{Body: paperView(p)}, nil
		})

	register(s, member, huma.Operation{OperationID: "list-item-papers", Method: http.MethodGet, Path: tenantBase + "/agenda-items/{id}/papers",
		Tags: tags, Summary: "The session papers of an agenda item with their frozen revisions",
		Description: "Administrators and the committee's seats see every paper; on a public, accepted item of a meeting whose invitation " +
			"went out, every member of the tenant except external partners sees the frozen ones. Anyone else: 404."},
		func(ctx context.Context, in *TenantIDPath) (*papersOut, error) {
			ps, err := svc.ItemPapers(ctx, actorOf(ctx), in.ID)
			if err != nil {
				return nil, err
			}
			out := &papersOut{}
			out.Body.Papers = make([]PaperView, len(ps))
			for i := range ps {
				out.Body.Papers[i] = paperView(&ps[i])
			}
			return out, nil
		})

	register(s, member, huma.Operation{OperationID: "download-paper", Method: http.MethodGet, Path: tenantBase + "/agenda-items/{id}/papers/{document}/content",
		Tags: tags, Summary: "The frozen revision of a session paper, for everyone who may see the item (Range, ETag; audited)",
		Description: "Attaching a paper grants its frozen revision to everyone who sees the agenda item (see list-item-papers), whatever " +
			"the permissions of the document's folder; later revisions are not served here. Not frozen yet: 409; document in the trash: 404. " +
			"disposition=inline shows PDFs and images in the browser (the meeting page's preview).",
		Responses: contentResponses()},
		func(ctx context.Context, in *paperContentIn) (*huma.StreamResponse, error) {
			a := actorOf(ctx)
			rev, err := svc.PaperRevision(ctx, a, in.ID, in.DocumentID)
			if err != nil {
				return nil, err
			}
			// The URL names the paper, not the revision: detached and attached
			// again, it may serve another one; and the grant can end.
			return serveRevision(rev, &in.ContentQuery, false, func(offset, length int64) (*documents.Revision, io.ReadCloser, error) {
				return svc.OpenPaper(ctx, a, in.ID, in.DocumentID, offset, length)
			})
		})

	register(s, member, huma.Operation{OperationID: "detach-paper", Method: http.MethodDelete, Path: tenantBase + "/agenda-items/{id}/papers/{document}",
		Tags: tags, Summary: "Remove a session paper from the item while the meeting is not closed (administrators, chair, secretary)",
		DefaultStatus: http.StatusNoContent},
		func(ctx context.Context, in *PaperPath) (*struct{}, error) {
			return nil, svc.DetachPaper(ctx, actorOf(ctx), in.ID, in.DocumentID)
		})

	register(s, member, huma.Operation{OperationID: "list-posts", Method: http.MethodGet, Path: tenantBase + "/agenda-items/{id}/posts",
		Tags: tags, Summary: "The item's discussion, oldest first"},
		func(ctx context.Context, in *TenantIDPath) (*postsOut, error) {
			ps, err := svc.ListPosts(ctx, actorOf(ctx), in.ID)
			if err != nil {
				return nil, err
			}
			out := &postsOut{}
			out.Body.Posts = make([]PostView, len(ps))
			for i := range ps {
				out.Body.Posts[i] = postView(&ps[i])
			}
			return out, nil
		})

	register(s, member, huma.Operation{OperationID: "add-post", Method: http.MethodPost, Path: tenantBase + "/agenda-items/{id}/posts",
		Tags: tags, Summary: "Contribute to the item's discussion until the meeting is closed", DefaultStatus: http.StatusCreated},
		func(ctx context.Context, in *addPostIn) (*postOut, error) {
			p, err := svc.AddPost(ctx, actorOf(ctx), in.ID, in.Body.Body)
			if err != nil {
				return nil, err
			}
			return &postOut{Body: postView(p)}, nil
		})

	register(s, member, huma.Operation{OperationID: "list-conflicts", Method: http.MethodGet, Path: tenantBase + "/agenda-items/{id}/conflicts",
		Tags: tags, Summary: "The declarations of conflict of interest (Befangenheit) on the item"},
		func(ctx context.Context, in *TenantIDPath) (*conflictsOut, error) {
			cs, err := svc.ListConflicts(ctx, actorOf(ctx), in.ID)
			if err != nil {
				return nil, err
			}
			out := &conflictsOut{}
			out.Body.Conflicts = make([]ConflictView, len(cs))
			for i := range cs {
				out.Body.Conflicts[i] = conflictView(&cs[i])
			}
			return out, nil
		})

	register(s, member, huma.Operation{OperationID: "declare-conflict", Method: http.MethodPost, Path: tenantBase + "/agenda-items/{id}/conflicts",
		Tags: tags, Summary: "Declare a member conflicted on the item: excluded from its votes and its quorum",
		Description: "The member themself, or administrators, the chair or the secretary; not while a poll on the item is open. " +
			"Declaring again answers the existing declaration."},
		func(ctx context.Context, in *declareConflictIn) (*conflictOut, error) {
			a := actorOf(ctx)
			who := optionalID(in.Body.MembershipID)
			if who == uuid.Nil {
				who = a.MembershipID
			}
			c, err := svc.DeclareConflict(ctx, a, in.ID, who, in.Body.Reason)
			if err != nil {
				return nil, err
			}
			return &conflictOut{Body: conflictView(c)}, nil
		})

	register(s, member, huma.Operation{OperationID: "withdraw-conflict", Method: http.MethodDelete,
		Path: tenantBase + "/agenda-items/{id}/conflicts/{membership}", Tags: tags, DefaultStatus: http.StatusNoContent,
		Summary: "Withdraw a member's conflict declaration on the item (the member, administrators, chair, secretary)"},
		func(ctx context.Context, in *MeetingMemberPath) (*struct{}, error) {
			return nil, svc.WithdrawConflict(ctx, actorOf(ctx), in.ID, in.MembershipID)
		})
}

// pollRoutes: delegations, polls, ballots and results.
func (s *Server) pollRoutes() {
	tags := []string{"Abstimmungen"}
	svc := s.deps.Committees
	register(s, member, huma.Operation{OperationID: "create-delegation", Method: http.MethodPost, Path: tenantBase + "/delegations",
		Tags: tags, Summary: "Hand a member's vote to another member for one meeting or one poll (Stimmrechtsübertragung)",
		DefaultStatus: http.StatusCreated,
		Description: "The committee's rules must allow it. The delegator (or administrators, the chair or the secretary) delegates; the " +
			"delegator may not vote while it stands, the proxy casts their ballot besides their own. No chains."},
		func(ctx context.Context, in *createDelegationIn) (*delegationOut, error) {
			b := in.Body
			d, err := svc.Delegate(ctx, actorOf(ctx), meetings.DelegationInput{FromMembershipID: optionalID(b.FromMembershipID),
				ToMembershipID: b.ToMembershipID, MeetingID: optionalID(b.MeetingID), PollID: optionalID(b.PollID)})
			if err != nil {
				return nil, err
			}
			return &delegationOut{Body: delegationView(d)}, nil
		})

	register(s, member, huma.Operation{OperationID: "revoke-delegation", Method: http.MethodDelete, Path: tenantBase + "/delegations/{id}",
		Tags: tags, Summary: "End a delegation (the delegator, administrators, chair, secretary); ballots already cast stay",
		DefaultStatus: http.StatusNoContent},
		func(ctx context.Context, in *TenantIDPath) (*struct{}, error) {
			return nil, svc.RevokeDelegation(ctx, actorOf(ctx), in.ID)
		})

	register(s, member, huma.Operation{OperationID: "list-meeting-delegations", Method: http.MethodGet,
		Path: tenantBase + "/meetings/{id}/delegations", Tags: tags,
		Summary: "The standing delegations of a meeting and its polls in which the caller is delegator or proxy (administrators, chair, secretary: all)"},
		func(ctx context.Context, in *TenantIDPath) (*delegationsOut, error) {
			return delegationsResult(svc.ListDelegations(ctx, actorOf(ctx), in.ID, uuid.Nil))
		})

	register(s, member, huma.Operation{OperationID: "list-poll-delegations", Method: http.MethodGet,
		Path: tenantBase + "/polls/{id}/delegations", Tags: tags,
		Summary: "The standing delegations of a poll (and its meeting) in which the caller is delegator or proxy, and the ballots the caller casts as proxy",
		Description: "proxy_for lists the delegators whose ballot the caller may cast in this poll, each with whether it is in; " +
			"never how anyone voted."},
		func(ctx context.Context, in *TenantIDPath) (*delegationsOut, error) {
			return delegationsResult(svc.ListDelegations(ctx, actorOf(ctx), uuid.Nil, in.ID))
		})

	register(s, member, huma.Operation{OperationID: "create-poll", Method: http.MethodPost, Path: tenantBase + "/polls", Tags: tags,
		Summary:       "Prepare a poll as a draft: on an accepted agenda item, or a written procedure with a deadline (administrators, chair, secretary)",
		DefaultStatus: http.StatusCreated},
		func(ctx context.Context, in *createPollIn) (*pollOut, error) {
			b := in.Body
			pi := meetings.PollInput{AgendaItemID: optionalID(b.AgendaItemID), CommitteeID: optionalID(b.CommitteeID), Title: b.Title,
				Kind: meetings.Kind(b.Kind), Method: meetings.Method(b.Method), Options: b.Options, Seats: b.Seats}
			if b.Deadline != nil {
				pi.Deadline = *b.Deadline
			}
			if b.Rule != nil {
				r := b.Rule.rule()
				pi.Rule = &r
			}
			return pollResult(svc.CreatePoll(ctx, actorOf(ctx), pi))
		})

	register(s, member, huma.Operation{OperationID: "get-poll", Method: http.MethodGet, Path: tenantBase + "/polls/{id}", Tags: tags,
		Summary: "One poll: its state and the number of ballots cast, never interim results"},
		func(ctx context.Context, in *TenantIDPath) (*pollOut, error) {
			return pollResult(svc.GetPoll(ctx, actorOf(ctx), in.ID))
		})

	register(s, member, huma.Operation{OperationID: "update-poll", Method: http.MethodPatch, Path: tenantBase + "/polls/{id}", Tags: tags,
		Summary: "Correct a draft poll: wording, kind, method, options, seats, rule, its agenda item (administrators, chair, secretary)",
		Description: "Absent fields stay. agenda_item_id moves the poll to another accepted item of the same meeting. " +
			"A poll that was opened answers 409: it can only be annulled."},
		func(ctx context.Context, in *updatePollIn) (*pollOut, error) {
			b := in.Body
			e := meetings.PollEdit{Title: b.Title, Seats: b.Seats, AgendaItemID: b.AgendaItemID, Deadline: b.Deadline}
			if b.Kind != nil {
				k := meetings.Kind(*b.Kind)
				e.Kind = &k
			}
			if b.Method != nil {
				m := meetings.Method(*b.Method)
				e.Method = &m
			}
			if b.Options != nil {
				e.Options = &b.Options
			}
			if b.Rule != nil {
				r := b.Rule.rule()
				e.Rule = &r
			}
			return pollResult(svc.UpdatePoll(ctx, actorOf(ctx), in.ID, e))
		})

	register(s, member, huma.Operation{OperationID: "delete-poll", Method: http.MethodDelete, Path: tenantBase + "/polls/{id}", Tags: tags,
		Summary:       "Delete a draft poll (administrators, chair, secretary); a poll that was opened answers 409: it can only be annulled",
		DefaultStatus: http.StatusNoContent},
		func(ctx context.Context, in *TenantIDPath) (*struct{}, error) {
			return nil, svc.DeletePoll(ctx, actorOf(ctx), in.ID)
		})

	register(s, member, huma.Operation{OperationID: "open-poll", Method: http.MethodPost, Path: tenantBase + "/polls/{id}/open", Tags: tags,
		Summary: "Open a draft poll for ballots (administrators, chair, secretary)",
		Description: "A poll on an agenda item opens only while its meeting is in session, and calls its item as the meeting's current one; " +
			"a written procedure opens only before its deadline."},
		func(ctx context.Context, in *TenantIDPath) (*pollOut, error) {
			return pollResult(svc.OpenPoll(ctx, actorOf(ctx), in.ID))
		})

	register(s, member, huma.Operation{OperationID: "close-poll", Method: http.MethodPost, Path: tenantBase + "/polls/{id}/close", Tags: tags,
		Summary: "Close an open poll: waits for the ballots in flight, counts and stores the result (administrators, chair, secretary)"},
		func(ctx context.Context, in *TenantIDPath) (*pollOut, error) {
			return pollResult(svc.ClosePoll(ctx, actorOf(ctx), in.ID))
		})

	register(s, member, huma.Operation{OperationID: "publish-poll", Method: http.MethodPost, Path: tenantBase + "/polls/{id}/publish", Tags: tags,
		Summary:     "Make a closed poll's result visible to every member of the committee (administrators, chair, secretary)",
		Description: "A secret poll with fewer than 3 ballots has no result and is never published (409); it can only be annulled."},
		func(ctx context.Context, in *TenantIDPath) (*pollOut, error) {
			return pollResult(svc.PublishPoll(ctx, actorOf(ctx), in.ID))
		})

	register(s, member, huma.Operation{OperationID: "annul-poll", Method: http.MethodPost, Path: tenantBase + "/polls/{id}/annul", Tags: tags,
		Summary: "Annul a poll with a reason: it stays in the record as annulled and decided nothing (administrators, chair, secretary)",
		Description: "A poll can be annulled while it runs and after it closed until its meeting's minutes are approved (a written " +
			"procedure: until its result is published); any other poll answers 409 (a draft is deleted instead). Its ballots are kept, " +
			"a secret poll's never counted; it shows as annulled with its reason, in the minutes too, and never as a decision."},
		func(ctx context.Context, in *annulPollIn) (*pollOut, error) {
			return pollResult(svc.AnnulPoll(ctx, actorOf(ctx), in.ID, in.Body.Reason))
		})

	register(s, member, huma.Operation{OperationID: "cast-ballot", Method: http.MethodPost, Path: tenantBase + "/polls/{id}/ballots", Tags: tags,
		Summary: "Cast a ballot in an open poll, one's own or as proxy; answers the receipt", DefaultStatus: http.StatusCreated,
		Description: "Exactly one ballot per voter: a second answers 409, as does a poll that is not open. A voter who is not entitled " +
			"(no voting right, conflicted, not present in session, no delegation to the caller) answers 403. The receipt names the " +
			"voter and the poll, never the ballot."},
		func(ctx context.Context, in *castBallotIn) (*receiptOut, error) {
			b := in.Body
			r, err := svc.Cast(ctx, actorOf(ctx), in.ID, optionalID(b.VoterMembershipID), meetings.Vote{Choice: b.Choice, OptionIDs: b.OptionIDs})
			if err != nil {
				return nil, err
			}
			return &receiptOut{Body: receiptView(r)}, nil
		})

	register(s, member, huma.Operation{OperationID: "get-poll-result", Method: http.MethodGet, Path: tenantBase + "/polls/{id}/result", Tags: tags,
		Summary: "A closed poll's count and verdict",
		Description: "After publication for every member; before it, for administrators, the chair and the secretary (others 403). " +
			"A poll that is not closed yet, an annulled poll and a secret poll with fewer than 3 ballots have no result (409)."},
		func(ctx context.Context, in *TenantIDPath) (*pollResultOut, error) {
			r, err := svc.Result(ctx, actorOf(ctx), in.ID)
			if err != nil {
				return nil, err
			}
			return &pollResultOut{Body: pollResultView(r)}, nil
		})

	register(s, member, huma.Operation{OperationID: "list-named-votes", Method: http.MethodGet, Path: tenantBase + "/polls/{id}/named-votes",
		Tags: tags, Summary: "Who voted how in a named poll (visible like the result; a secret poll answers 409)"},
		func(ctx context.Context, in *TenantIDPath) (*namedVotesOut, error) {
			vs, err := svc.NamedVotes(ctx, actorOf(ctx), in.ID)
			if err != nil {
				return nil, err
			}
			out := &namedVotesOut{}
			out.Body.Votes = make([]NamedVoteView, len(vs))
			for i := range vs {
				out.Body.Votes[i] = namedVoteView(&vs[i])
			}
			return out, nil
		})
}

// set overwrites *dst with *v when v is given (a PATCH field).
func setField[T any](dst *T, v *T) {
	if v != nil {
		*dst = *v
	}
}
