package api

import (
	"time"

	"github.com/google/uuid"
	"github.com/kollab/kollab/tasks"
)

// Request and response types of the task routes (tasks_routes.go): their
// own structs, never the domain's.

// TaskAssigneeView is a person or group a task is assigned to.
type TaskAssigneeView struct {
	MembershipID *uuid.UUID `json:"membership_id,omitempty"`
	GroupID      *uuid.UUID `json:"group_id,omitempty"`
	Name         string     `json:"name"`
	Guest        bool       `json:"guest" doc:"A guest of the workspace"`
}

// TaskPersonView is a member named.
type TaskPersonView struct {
	MembershipID uuid.UUID `json:"membership_id"`
	Name         string    `json:"name"`
}

// TaskView is a task as the caller sees it; its version is the ETag.
type TaskView struct {
	ID            uuid.UUID          `json:"id"`
	WorkspaceID   uuid.UUID          `json:"workspace_id"`
	WorkspaceName string             `json:"workspace_name"`
	ParentID      *uuid.UUID         `json:"parent_id,omitempty"`
	Title         string             `json:"title"`
	Description   string             `json:"description" doc:"Markdown; the web app renders it safely (no raw HTML)"`
	StatusID      uuid.UUID          `json:"status_id"`
	StatusName    string             `json:"status_name"`
	Category      string             `json:"category" enum:"open,in_progress,waiting,done,cancelled"`
	Priority      int                `json:"priority" minimum:"1" maximum:"4" doc:"1 low, 2 normal, 3 high, 4 urgent"`
	StartOn       string             `json:"start_on,omitempty" doc:"YYYY-MM-DD"`
	DueOn         string             `json:"due_on,omitempty" doc:"YYYY-MM-DD"`
	DueTime       string             `json:"due_time,omitempty" doc:"HH:MM (Europe/Berlin)"`
	DueFrom       string             `json:"due_from,omitempty" doc:"With due_workdays: the day the working days count from"`
	DueWorkdays   int                `json:"due_workdays,omitempty" doc:"The due day is this many working days after due_from (the tenant's federal state's holidays)"`
	Milestone     bool               `json:"milestone"`
	Rank          float64            `json:"rank" doc:"Order in its board column"`
	DocumentID    *uuid.UUID         `json:"document_id,omitempty" doc:"The document the task was made about"`
	Labels        []string           `json:"labels" nullable:"false"`
	Assignees     []TaskAssigneeView `json:"assignees" nullable:"false"`
	Watchers      []TaskPersonView   `json:"watchers" nullable:"false"`
	Version       int64              `json:"version"`
	CreatedAt     time.Time          `json:"created_at"`
	CreatedBy     uuid.UUID          `json:"created_by"`
	UpdatedAt     time.Time          `json:"updated_at"`
	ClosedAt      *time.Time         `json:"closed_at,omitempty"`
	Overdue       bool               `json:"overdue"`
	Blocked       bool               `json:"blocked" doc:"An open task blocks this one"`
	ChecklistDone int                `json:"checklist_done"`
	ChecklistAll  int                `json:"checklist_total"`
	RequiredOpen  int                `json:"required_open" doc:"Required checklist items still open: the task cannot be done before they are ticked"`
	SubtasksDone  int                `json:"subtasks_done"`
	SubtasksAll   int                `json:"subtasks_total"`
	CanWrite      bool               `json:"can_write"`
}

func taskView(t *tasks.Task) TaskView {
	v := TaskView{ID: t.ID, WorkspaceID: t.WorkspaceID, WorkspaceName: t.WorkspaceName, ParentID: t.ParentID, Title: t.Title,
		Description: t.Description, StatusID: t.StatusID, StatusName: t.StatusName, Category: string(t.Category), Priority: int(t.Priority),
		StartOn: t.StartOn, DueOn: t.DueOn, DueTime: t.DueTime, DueFrom: t.DueFrom, DueWorkdays: t.DueWorkdays, Milestone: t.Milestone,
		Rank: t.Rank, DocumentID: t.DocumentID, Labels: t.Labels, Version: t.Version, CreatedAt: t.CreatedAt, CreatedBy: t.CreatedBy,
		UpdatedAt: t.UpdatedAt, ClosedAt: t.ClosedAt, Overdue: t.Overdue, Blocked: t.Blocked, ChecklistDone: t.ChecklistDone,
		ChecklistAll: t.ChecklistTotal, RequiredOpen: t.RequiredOpen, SubtasksDone: t.SubtasksDone, SubtasksAll: t.SubtasksTotal,
		CanWrite: t.CanWrite, Assignees: make([]TaskAssigneeView, len(t.Assignees)), Watchers: make([]TaskPersonView, len(t.Watchers))}
	if v.Labels == nil {
		v.Labels = []string{}
	}
	for i, a := range t.Assignees {
		v.Assignees[i] = TaskAssigneeView{MembershipID: a.MembershipID, GroupID: a.GroupID, Name: a.Name, Guest: a.Guest}
	}
	for i, w := range t.Watchers {
		v.Watchers[i] = TaskPersonView{MembershipID: w.MembershipID, Name: w.Name}
	}
	return v
}

func taskViews(ts []tasks.Task) []TaskView {
	out := make([]TaskView, len(ts))
	for i := range ts {
		out[i] = taskView(&ts[i])
	}
	return out
}

type taskOut struct {
	ETag string `header:"ETag"`
	Body TaskView
}

type taskPageOut struct {
	Body struct {
		Items []TaskView `json:"items" nullable:"false"`
		Next  string     `json:"next_cursor,omitempty" doc:"Absent on the last page"`
		Total int64      `json:"total,omitempty" doc:"Tasks the filter matches (a workspace's list)"`
	}
}

type tasksOut struct {
	Body struct {
		Items []TaskView `json:"items" nullable:"false"`
	}
}

// taskFields are a task's writable fields on creation.
type taskFields struct {
	Title       string      `json:"title" minLength:"1" maxLength:"300"`
	Description string      `json:"description,omitempty" maxLength:"50000" doc:"Markdown"`
	StatusID    *uuid.UUID  `json:"status_id,omitempty" doc:"Default: the workspace's built-in status open"`
	Priority    int         `json:"priority,omitempty" minimum:"0" maximum:"4" doc:"Default 2 (normal)"`
	StartOn     string      `json:"start_on,omitempty" maxLength:"10" doc:"YYYY-MM-DD"`
	DueOn       string      `json:"due_on,omitempty" maxLength:"10" doc:"YYYY-MM-DD; or due_workdays"`
	DueTime     string      `json:"due_time,omitempty" maxLength:"5" doc:"HH:MM (Europe/Berlin)"`
	DueFrom     string      `json:"due_from,omitempty" maxLength:"10" doc:"With due_workdays (default today): the day of receipt"`
	DueWorkdays int         `json:"due_workdays,omitempty" minimum:"0" maximum:"3650" doc:"Due this many working days after due_from"`
	Milestone   bool        `json:"milestone,omitempty"`
	ParentID    *uuid.UUID  `json:"parent_id,omitempty" doc:"Makes the task a subtask of another task of the workspace"`
	DocumentID  *uuid.UUID  `json:"document_id,omitempty" doc:"A document of the workspace's folder the task is about (attached too)"`
	Labels      []string    `json:"labels,omitempty" maxItems:"20"`
	AssigneeIDs []uuid.UUID `json:"assignee_ids,omitempty" maxItems:"50" doc:"Members of the workspace"`
	GroupIDs    []uuid.UUID `json:"group_ids,omitempty" maxItems:"50" doc:"Groups of the tenant; their members in the workspace are assigned"`
	WatcherIDs  []uuid.UUID `json:"watcher_ids,omitempty" maxItems:"200" doc:"Members of the workspace"`
}

type createTaskIn struct {
	TenantIDPath
	Body taskFields
}

type updateTaskIn struct {
	TenantIDPath
	IfMatchHeader
	Body struct {
		Title       *string      `json:"title,omitempty" maxLength:"300" nullable:"false"`
		Description *string      `json:"description,omitempty" maxLength:"50000" nullable:"false"`
		StatusID    *uuid.UUID   `json:"status_id,omitempty" nullable:"false"`
		Priority    *int         `json:"priority,omitempty" minimum:"1" maximum:"4" nullable:"false"`
		StartOn     *string      `json:"start_on,omitempty" maxLength:"10" nullable:"false" doc:"Empty: none"`
		DueOn       *string      `json:"due_on,omitempty" maxLength:"10" nullable:"false" doc:"Empty: none"`
		DueTime     *string      `json:"due_time,omitempty" maxLength:"5" nullable:"false" doc:"Empty: none"`
		DueFrom     *string      `json:"due_from,omitempty" maxLength:"10" nullable:"false"`
		DueWorkdays *int         `json:"due_workdays,omitempty" minimum:"0" maximum:"3650" nullable:"false" doc:"0: the due day is a date"`
		Milestone   *bool        `json:"milestone,omitempty" nullable:"false"`
		ParentID    *uuid.UUID   `json:"parent_id,omitempty" nullable:"false"`
		ClearParent bool         `json:"clear_parent,omitempty" doc:"Makes a subtask a task of its own"`
		Labels      *[]string    `json:"labels,omitempty" maxItems:"20" nullable:"false"`
		AssigneeIDs *[]uuid.UUID `json:"assignee_ids,omitempty" maxItems:"50" nullable:"false"`
		GroupIDs    *[]uuid.UUID `json:"group_ids,omitempty" maxItems:"50" nullable:"false"`
		WatcherIDs  *[]uuid.UUID `json:"watcher_ids,omitempty" maxItems:"200" nullable:"false"`
	}
}

type deleteTaskIn struct {
	TenantIDPath
	IfMatchHeader
}

type moveTaskIn struct {
	TenantIDPath
	IfMatchHeader
	Body struct {
		StatusID uuid.UUID  `json:"status_id" doc:"The board column"`
		AfterID  *uuid.UUID `json:"after_id,omitempty" doc:"Place after this task of the column; absent: at the top"`
	}
}

type listTasksIn struct {
	TenantIDPath
	TaskQuery
}

// TaskQuery filters and pages a task list (exported: huma reads the query parameters of embedded exported structs).
type TaskQuery struct {
	State      string    `query:"state" enum:"open,closed," doc:"open: not done or cancelled; closed; empty: all"`
	StatusID   uuid.UUID `query:"status_id"`
	AssigneeID uuid.UUID `query:"assignee_id"`
	Label      string    `query:"label" maxLength:"50"`
	Q          string    `query:"q" maxLength:"200" doc:"Part of the title"`
	DueBefore  string    `query:"due_before" maxLength:"10" doc:"Due on or before, YYYY-MM-DD"`
	Milestones bool      `query:"milestones" doc:"Milestones only"`
	TopLevel   bool      `query:"top_level" doc:"No subtasks"`
	Sort       string    `query:"sort" enum:"due,priority,updated,title,rank," doc:"Default due (tasks without a due day last)"`
	Cursor     string    `query:"cursor" maxLength:"600"`
	Limit      int       `query:"limit" minimum:"1" maximum:"200" default:"50"`
}

func (q *TaskQuery) filter() tasks.Filter {
	return tasks.Filter{State: q.State, StatusID: q.StatusID, AssigneeID: q.AssigneeID, Label: q.Label, Query: q.Q, DueBefore: q.DueBefore,
		Milestones: q.Milestones, TopLevel: q.TopLevel, Sort: tasks.Sort(q.Sort), Cursor: q.Cursor, Limit: q.Limit}
}

type myTasksIn struct {
	TenantPath
	TaskQuery
}

// TaskStatusView is a status: a column of the workspace's board.
type TaskStatusView struct {
	ID       uuid.UUID `json:"id"`
	Name     string    `json:"name"`
	Category string    `json:"category" enum:"open,in_progress,waiting,done,cancelled"`
	Builtin  bool      `json:"builtin" doc:"One of the five basic statuses: renamed, never deleted"`
	Position int       `json:"position"`
}

func statusView(st *tasks.Status) TaskStatusView {
	return TaskStatusView{ID: st.ID, Name: st.Name, Category: string(st.Category), Builtin: st.Builtin != nil, Position: st.Position}
}

type taskStatusesOut struct {
	Body struct {
		Statuses []TaskStatusView `json:"statuses" nullable:"false"`
	}
}

type taskStatusOut struct{ Body TaskStatusView }

type addTaskStatusIn struct {
	TenantIDPath
	Body struct {
		Name     string `json:"name" minLength:"1" maxLength:"60"`
		Category string `json:"category" enum:"open,in_progress,waiting,done,cancelled"`
		Position *int   `json:"position,omitempty" minimum:"0" maximum:"10000"`
	}
}

type updateTaskStatusIn struct {
	TenantIDPath
	Body struct {
		Name     string `json:"name" minLength:"1" maxLength:"60"`
		Position *int   `json:"position,omitempty" minimum:"0" maximum:"10000"`
	}
}

// BoardColumnView is a board column with its first tasks.
type BoardColumnView struct {
	Status TaskStatusView `json:"status"`
	Count  int64          `json:"count"`
	Items  []TaskView     `json:"items" nullable:"false"`
	Next   string         `json:"next_cursor,omitempty" doc:"More: GET .../tasks?status_id=…&sort=rank&cursor=…"`
}

type boardIn struct {
	TenantIDPath
	Limit int `query:"limit" minimum:"1" maximum:"200" default:"50" doc:"Tasks per column"`
}

type boardOut struct {
	Body struct {
		Columns  []BoardColumnView `json:"columns" nullable:"false"`
		CanWrite bool              `json:"can_write"`
	}
}
