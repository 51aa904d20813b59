package api

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"
	"github.com/kollab/kollab/meetings"
)

// Meeting routes of the committee area: a meeting, its state, agenda,
// papers, attendance and quorum (see committees_routes.go).

// meetingRoutes: a meeting, its state, agenda, papers, attendance and quorum.
func (s *Server) meetingRoutes() {
	s.meetingStateRoutes()
	s.meetingAgendaRoutes()
	s.meetingAttendanceRoutes()
}

// meetingStateRoutes: one meeting, its details, state and current item.
func (s *Server) meetingStateRoutes() {
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
}

// meetingAgendaRoutes: a meeting's agenda and session papers.
func (s *Server) meetingAgendaRoutes() {
	tags := []string{"Sitzungen"}
	svc := s.deps.Committees
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
}

// meetingAttendanceRoutes: the attendance register and quorum.
func (s *Server) meetingAttendanceRoutes() {
	tags := []string{"Sitzungen"}
	svc := s.deps.Committees
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
