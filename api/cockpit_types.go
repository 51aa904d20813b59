package api

import (
	"time"

	"github.com/google/uuid"
	"github.com/kollab/kollab/documents"
	"github.com/kollab/kollab/meetings"
	"github.com/kollab/kollab/workspaces"
	"github.com/kollab/kollab/workspaces/consultations"
)

// Response types of the personal cockpit (the start page).

// CockpitMeetingView is one of the caller's next meetings.
type CockpitMeetingView struct {
	ID            uuid.UUID `json:"id"`
	Title         string    `json:"title"`
	CommitteeID   uuid.UUID `json:"committee_id"`
	CommitteeName string    `json:"committee_name"`
	StartsAt      time.Time `json:"starts_at"`
	EndsAt        time.Time `json:"ends_at"`
	State         string    `json:"state" enum:"planned,invited,in_session,closed,minutes_approved"`
}

// CockpitPollView is an open poll waiting for the caller's vote.
type CockpitPollView struct {
	ID            uuid.UUID  `json:"id"`
	Title         string     `json:"title"`
	CommitteeName string     `json:"committee_name"`
	Deadline      *time.Time `json:"deadline,omitempty" doc:"Absent: open until the chair closes it"`
	MeetingID     *uuid.UUID `json:"meeting_id,omitempty" doc:"Absent for a written procedure"`
}

// CockpitWorkspaceView is one of the caller's active workspaces.
type CockpitWorkspaceView struct {
	ID          uuid.UUID `json:"id"`
	Name        string    `json:"name"`
	MyRole      string    `json:"my_role" enum:"owner,member,reader"`
	MemberCount int64     `json:"member_count"`
	UpdatedAt   time.Time `json:"updated_at"`
}

// CockpitWorkspacesView is the caller's most recently changed active
// workspaces and how many active ones they have.
type CockpitWorkspacesView struct {
	Items []CockpitWorkspaceView `json:"items"`
	Total int64                  `json:"total"`
}

// CockpitConsultationView is a consultation awaiting the caller's
// statement (guests) or ending soon (staff).
type CockpitConsultationView struct {
	ID            uuid.UUID `json:"id"`
	Subject       string    `json:"subject"`
	WorkspaceID   uuid.UUID `json:"workspace_id"`
	WorkspaceName string    `json:"workspace_name"`
	Deadline      time.Time `json:"deadline"`
	Invited       int       `json:"invited" doc:"Invited organisations (for a guest: their own, 1)"`
	Answered      int       `json:"answered" doc:"Of them, those with a submitted statement"`
}

// CockpitDocumentView is a recently changed document the caller may read.
type CockpitDocumentView struct {
	ID         uuid.UUID `json:"id"`
	Title      string    `json:"title"`
	FolderID   uuid.UUID `json:"folder_id"`
	FolderName string    `json:"folder_name"`
	UpdatedAt  time.Time `json:"updated_at"`
}

// CockpitNotificationsView is the caller's unread count and newest unread.
type CockpitNotificationsView struct {
	Unread int64              `json:"unread"`
	Items  []NotificationView `json:"items" doc:"The newest unread notifications (at most 5)"`
}

type cockpitOut struct {
	Body struct {
		Meetings      []CockpitMeetingView      `json:"meetings" doc:"The next meetings of the caller's committees (at most 10, soonest first)"`
		Polls         []CockpitPollView         `json:"polls" doc:"Open polls the caller may vote in now and has not (at most 10, earliest deadline first)"`
		Workspaces    CockpitWorkspacesView     `json:"workspaces"`
		Consultations []CockpitConsultationView `json:"consultations" doc:"Consultations awaiting the caller's statement (guests: their organisation's open ones) or ending within 14 days (staff owners and members of the workspace); soonest deadline first, at most 10"`
		Documents     []CockpitDocumentView     `json:"documents" doc:"The most recently changed documents the caller may read (at most 10)"`
		Notifications CockpitNotificationsView  `json:"notifications"`
	}
}

func newCockpitOut() *cockpitOut {
	out := &cockpitOut{}
	out.Body.Meetings, out.Body.Polls, out.Body.Documents = []CockpitMeetingView{}, []CockpitPollView{}, []CockpitDocumentView{}
	out.Body.Consultations = []CockpitConsultationView{}
	out.Body.Workspaces.Items, out.Body.Notifications.Items = []CockpitWorkspaceView{}, []NotificationView{}
	return out
}

func (o *cockpitOut) setMeetings(ms []meetings.UpcomingMeeting) {
	for _, m := range ms {
		o.Body.Meetings = append(o.Body.Meetings, CockpitMeetingView{ID: m.ID, Title: m.Title, CommitteeID: m.CommitteeID,
			CommitteeName: m.CommitteeName, StartsAt: m.StartsAt, EndsAt: m.EndsAt, State: string(m.State)})
	}
}

func (o *cockpitOut) setPolls(ps []meetings.PendingPoll) {
	for _, p := range ps {
		o.Body.Polls = append(o.Body.Polls, CockpitPollView{ID: p.ID, Title: p.Title, CommitteeName: p.CommitteeName,
			Deadline: p.Deadline, MeetingID: p.MeetingID})
	}
}

func (o *cockpitOut) setWorkspaces(r *workspaces.Recent) {
	for _, w := range r.Workspaces {
		o.Body.Workspaces.Items = append(o.Body.Workspaces.Items, CockpitWorkspaceView{ID: w.ID, Name: w.Name,
			MyRole: string(w.MyRole), MemberCount: w.MemberCount, UpdatedAt: w.UpdatedAt})
	}
	o.Body.Workspaces.Total = r.Total
}

func (o *cockpitOut) setConsultations(cs []consultations.Pending) {
	for _, c := range cs {
		o.Body.Consultations = append(o.Body.Consultations, CockpitConsultationView{ID: c.ID, Subject: c.Subject, WorkspaceID: c.WorkspaceID,
			WorkspaceName: c.WorkspaceName, Deadline: c.Deadline, Invited: c.Invited, Answered: c.Answered})
	}
}

func (o *cockpitOut) setDocuments(ds []documents.RecentDocument) {
	for _, d := range ds {
		o.Body.Documents = append(o.Body.Documents, CockpitDocumentView{ID: d.ID, Title: d.Title, FolderID: d.FolderID,
			FolderName: d.FolderName, UpdatedAt: d.UpdatedAt})
	}
}
