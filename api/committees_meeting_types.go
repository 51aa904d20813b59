package api

import (
	"time"

	"github.com/google/uuid"
	"github.com/kollab/kollab/meetings"
)

// Request and response types of the meeting routes (committees_meeting_routes.go).

// --- views ---

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

// --- inputs ---

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

// --- outputs ---

type meetingOut struct{ Body MeetingView }

type meetingsOut struct {
	Body struct {
		Meetings []MeetingView `json:"meetings" nullable:"false"`
	}
}

type attendanceOut struct{ Body AttendanceView }

type attendanceListOut struct {
	Body struct {
		Attendance []AttendanceView `json:"attendance" nullable:"false"`
	}
}

type quorumOut struct{ Body QuorumView }
