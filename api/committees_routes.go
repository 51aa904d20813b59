package api

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"
	"github.com/kollab/kollab/meetings"
)

// The committee routes (Gremienarbeit): committees and their members,
// meetings with their agenda, session papers, discussion, conflicts of
// interest and attendance, delegations, and polls with ballots and
// results. Every route is for members of the path's tenant; who may see
// and do what is decided by the committees service (a committee the caller
// does not sit on answers 404 like a missing one), never here. This file
// holds the committees themselves; meetings, agenda items and polls are in
// committees_meeting_routes.go, committees_agenda_routes.go and
// committees_poll_routes.go, request and response types in
// committees_*types.go. Live ballot counts are served elsewhere
// (Server-Sent Events).

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
	s.committeeRecordRoutes()
	s.committeeMemberRoutes()
	s.committeeScheduleRoutes()
}

// committeeRecordRoutes: committees themselves: list, create, read and change.
func (s *Server) committeeRecordRoutes() {
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
}

// committeeMemberRoutes: a committee's seats and terms.
func (s *Server) committeeMemberRoutes() {
	tags := []string{"Gremien"}
	svc := s.deps.Committees
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

	register(s, member, huma.Operation{OperationID: "set-committee-member", Errors: []int{http.StatusConflict}, Method: http.MethodPut,
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
}

// committeeScheduleRoutes: a committee's meetings and polls.
func (s *Server) committeeScheduleRoutes() {
	tags := []string{"Gremien"}
	svc := s.deps.Committees
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

// set overwrites *dst with *v when v is given (a PATCH field).
func setField[T any](dst *T, v *T) {
	if v != nil {
		*dst = *v
	}
}
