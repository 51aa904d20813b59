package api

import (
	"time"

	"github.com/google/uuid"
	"github.com/kollab/kollab/tasks"
)

// Request and response types of the routes of follow-up tasks
// (tasks_decision_routes.go).

// TaskDecisionView is the committee decision a follow-up task comes from,
// as the caller may see it.
type TaskDecisionView struct {
	Kind          string     `json:"kind" enum:"agenda_item,written_procedure"`
	CommitteeName string     `json:"committee_name"`
	Date          string     `json:"date" doc:"The meeting's day, or the day a written procedure's result was published (YYYY-MM-DD)"`
	Number        int        `json:"number,omitempty" doc:"The agenda item's number (TOP n); absent when the title is not shown"`
	Title         string     `json:"title,omitempty" doc:"Absent when the caller may not see it (confidential)"`
	Confidential  bool       `json:"confidential" doc:"A non-public decision the caller may not read: shown as „nichtöffentlicher Beschluss“"`
	Text          string     `json:"text" doc:"The line to show: „Beschluss: <Gremium> – <Datum> – TOP n <Titel>“"`
	Readable      bool       `json:"readable" doc:"The caller sees the committee's meetings: the ids and the link are given"`
	CommitteeID   *uuid.UUID `json:"committee_id,omitempty"`
	MeetingID     *uuid.UUID `json:"meeting_id,omitempty"`
	AgendaItemID  *uuid.UUID `json:"agenda_item_id,omitempty"`
	PollID        *uuid.UUID `json:"poll_id,omitempty"`
	Link          string     `json:"link,omitempty" doc:"Path in the web app below the tenant: meetings/<id> or polls/<id>"`
}

func taskDecisionView(d *tasks.Decision) *TaskDecisionView {
	if d == nil {
		return nil
	}
	return &TaskDecisionView{Kind: d.Kind, CommitteeName: d.CommitteeName, Date: d.Date, Number: d.Number, Title: d.Title,
		Confidential: d.Confidential, Text: d.Text, Readable: d.Readable, CommitteeID: d.CommitteeID, MeetingID: d.MeetingID,
		AgendaItemID: d.ItemID, PollID: d.PollID, Link: d.Link}
}

type createFollowUpIn struct {
	TenantIDPath
	Body struct {
		WorkspaceID uuid.UUID   `json:"workspace_id" doc:"A workspace the caller may write in"`
		Title       string      `json:"title" minLength:"1" maxLength:"300"`
		Description string      `json:"description,omitempty" maxLength:"50000" doc:"Markdown"`
		AssigneeIDs []uuid.UUID `json:"assignee_ids,omitempty" maxItems:"50" doc:"Members of the workspace"`
		GroupIDs    []uuid.UUID `json:"group_ids,omitempty" maxItems:"50" doc:"Groups of the tenant; their members in the workspace are assigned"`
		DueOn       string      `json:"due_on,omitempty" maxLength:"10" doc:"YYYY-MM-DD; or due_workdays"`
		DueFrom     string      `json:"due_from,omitempty" maxLength:"10" doc:"With due_workdays (default today)"`
		DueWorkdays int         `json:"due_workdays,omitempty" minimum:"0" maximum:"3650" doc:"Due this many working days after due_from"`
	}
}

func (in *createFollowUpIn) input() tasks.FollowUpInput {
	b := in.Body
	return tasks.FollowUpInput{WorkspaceID: b.WorkspaceID, Title: b.Title, Description: b.Description, AssigneeIDs: b.AssigneeIDs,
		GroupIDs: b.GroupIDs, DueOn: b.DueOn, DueFrom: b.DueFrom, DueWorkdays: b.DueWorkdays}
}

// FollowUpView is a follow-up task in its decision's list: no more of
// the task than this.
type FollowUpView struct {
	TaskID        uuid.UUID  `json:"task_id"`
	Title         string     `json:"title"`
	WorkspaceID   uuid.UUID  `json:"workspace_id"`
	WorkspaceName string     `json:"workspace_name"`
	Category      string     `json:"category" enum:"open,in_progress,waiting,done,cancelled"`
	State         string     `json:"state" enum:"done,cancelled,open" doc:"erledigt, abgebrochen or in Bearbeitung"`
	DueOn         string     `json:"due_on,omitempty" doc:"YYYY-MM-DD"`
	ClosedAt      *time.Time `json:"closed_at,omitempty"`
	CanOpen       bool       `json:"can_open" doc:"The caller sees the task itself (a member of its workspace)"`
}

type followUpsOut struct {
	Body struct {
		Items []FollowUpView `json:"items" nullable:"false"`
	}
}

func followUpsResult(fs []tasks.FollowUp, err error) (*followUpsOut, error) {
	if err != nil {
		return nil, err
	}
	out := &followUpsOut{}
	out.Body.Items = make([]FollowUpView, len(fs))
	for i, f := range fs {
		st := "open"
		if f.Category == tasks.Done || f.Category == tasks.Cancelled {
			st = string(f.Category)
		}
		out.Body.Items[i] = FollowUpView{TaskID: f.TaskID, Title: f.Title, WorkspaceID: f.WorkspaceID, WorkspaceName: f.WorkspaceName,
			Category: string(f.Category), State: st, DueOn: f.DueOn, ClosedAt: f.ClosedAt, CanOpen: f.CanOpen}
	}
	return out, nil
}
