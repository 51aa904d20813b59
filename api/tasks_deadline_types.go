package api

import (
	"github.com/google/uuid"
	"github.com/kollab/kollab/tasks"
)

// Request and response types of the deadline routes
// (tasks_deadline_routes.go): reminder settings and the overdue cockpit.

// TaskReminderSettingView is the caller's own reminder lead.
type TaskReminderSettingView struct {
	LeadDays int   `json:"lead_days" doc:"Days before a due day the caller is reminded of a task assigned to them (3 until they choose)"`
	Choices  []int `json:"choices" nullable:"false" doc:"The leads one may choose: 1, 3 and 7 days"`
}

type taskReminderSettingOut struct{ Body TaskReminderSettingView }

type setTaskReminderSettingIn struct {
	TenantPath
	Body struct {
		LeadDays int `json:"lead_days" enum:"1,3,7" doc:"1, 3 or 7 days before the due day"`
	}
}

func reminderSettingResult(lead int, err error) (*taskReminderSettingOut, error) {
	if err != nil {
		return nil, err
	}
	return &taskReminderSettingOut{Body: TaskReminderSettingView{LeadDays: lead, Choices: tasks.LeadDays}}, nil
}

// TaskSettingsView are a workspace's deadline settings; the version is the ETag.
type TaskSettingsView struct {
	WorkspaceID        uuid.UUID `json:"workspace_id"`
	EscalationWorkdays int       `json:"escalation_workdays" doc:"An open task overdue by this many working days (the tenant's federal state's holidays do not count) is escalated to the workspace's responsible person, or to its owners when that person is no longer a member (3 until changed)"`
	Version            int64     `json:"version" doc:"1 while never changed"`
	CanWrite           bool      `json:"can_write" doc:"The caller may change the settings (owners, admins; not while archived)"`
}

type taskSettingsOut struct {
	ETag string `header:"ETag" doc:"The settings' version, for If-Match"`
	Body TaskSettingsView
}

type setTaskSettingsIn struct {
	TenantIDPath
	IfMatchHeader
	Body struct {
		EscalationWorkdays int `json:"escalation_workdays" minimum:"1" maximum:"60" doc:"Working days overdue before the escalation, 1 to 60"`
	}
}

func taskSettingsResult(st *tasks.AreaSettings, err error) (*taskSettingsOut, error) {
	if err != nil {
		return nil, err
	}
	return &taskSettingsOut{ETag: etag(st.Version), Body: TaskSettingsView{WorkspaceID: st.WorkspaceID,
		EscalationWorkdays: st.EscalationWorkdays, Version: st.Version, CanWrite: st.CanWrite}}, nil
}

// DeadlineCountsView are counts of open tasks (not done, not cancelled) by due day.
type DeadlineCountsView struct {
	DueThisWeek   int `json:"due_this_week" doc:"Due from today to Sunday of the current week (Europe/Berlin), not yet overdue"`
	Overdue       int `json:"overdue" doc:"Due before today: the sum of the four age buckets"`
	Overdue1To3   int `json:"overdue_1_3" doc:"Overdue by 1 to 3 calendar days"`
	Overdue4To7   int `json:"overdue_4_7" doc:"Overdue by 4 to 7 calendar days"`
	Overdue8To14  int `json:"overdue_8_14" doc:"Overdue by 8 to 14 calendar days"`
	OverdueOver14 int `json:"overdue_over_14" doc:"Overdue by more than 14 calendar days"`
}

func deadlineCountsView(c tasks.DeadlineCounts) DeadlineCountsView {
	return DeadlineCountsView{DueThisWeek: c.DueThisWeek, Overdue: c.Overdue, Overdue1To3: c.Overdue1To3, Overdue4To7: c.Overdue4To7,
		Overdue8To14: c.Overdue8To14, OverdueOver14: c.OverdueOver14}
}

// WorkspaceDeadlinesView is one workspace's row of the cockpit.
type WorkspaceDeadlinesView struct {
	WorkspaceID uuid.UUID `json:"workspace_id"`
	Name        string    `json:"name"`
	DeadlineCountsView
}

// PersonDeadlinesView is one person's row of the cockpit.
type PersonDeadlinesView struct {
	MembershipID uuid.UUID `json:"membership_id"`
	Name         string    `json:"name"`
	Guest        bool      `json:"guest" doc:"An external guest"`
	DeadlineCountsView
}

// TaskDeadlinesView is the overdue cockpit.
type TaskDeadlinesView struct {
	Today     string `json:"today" doc:"The day the counts are of (YYYY-MM-DD, Europe/Berlin)"`
	WeekStart string `json:"week_start" doc:"Monday of the current week"`
	WeekEnd   string `json:"week_end" doc:"Sunday of the current week"`
	// Workspaces and people.
	Workspaces          []WorkspaceDeadlinesView `json:"workspaces" nullable:"false" doc:"The active workspaces the caller owns (tenant admins: every active workspace), by name, each with its counts (also when all are 0); at most 200"`
	WorkspacesTruncated bool                     `json:"workspaces_truncated" doc:"There are more than 200 such workspaces; the first 200 by name are counted"`
	People              []PersonDeadlinesView    `json:"people" nullable:"false" doc:"Every person with a count over these workspaces: tasks assigned to them directly or through a group (while they are members of the task's workspace); a task with several assignees counts for each. Most overdue first; at most 500"`
	PeopleTruncated     bool                     `json:"people_truncated" doc:"There are more than 500 such people"`
	Totals              DeadlineCountsView       `json:"totals" doc:"The sums over the workspaces listed (each task once)"`
}

type taskDeadlinesOut struct{ Body TaskDeadlinesView }

func taskDeadlinesView(c *tasks.Deadlines) TaskDeadlinesView {
	out := TaskDeadlinesView{Today: c.Today, WeekStart: c.WeekStart, WeekEnd: c.WeekEnd, WorkspacesTruncated: c.WorkspacesTruncated,
		PeopleTruncated: c.PeopleTruncated, Totals: deadlineCountsView(c.Totals),
		Workspaces: make([]WorkspaceDeadlinesView, len(c.Workspaces)), People: make([]PersonDeadlinesView, len(c.People))}
	for i, w := range c.Workspaces {
		out.Workspaces[i] = WorkspaceDeadlinesView{WorkspaceID: w.WorkspaceID, Name: w.Name, DeadlineCountsView: deadlineCountsView(w.DeadlineCounts)}
	}
	for i, p := range c.People {
		out.People[i] = PersonDeadlinesView{MembershipID: p.MembershipID, Name: p.Name, Guest: p.Guest, DeadlineCountsView: deadlineCountsView(p.DeadlineCounts)}
	}
	return out
}

func tasksAreaInput(in *setTaskSettingsIn) tasks.AreaSettingsInput {
	return tasks.AreaSettingsInput{EscalationWorkdays: in.Body.EscalationWorkdays}
}
