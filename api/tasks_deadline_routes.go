package api

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"
)

// The deadline monitoring routes (tasks/settings.go, tasks/cockpit.go):
// a person's reminder lead, a workspace's escalation, and the overdue
// cockpit. The reminders themselves are sent by the background run
// (tasks.Service.RemindDue), never through a route.
func (s *Server) taskDeadlineRoutes() {
	if s.deps.Tasks == nil {
		return
	}
	svc := s.deps.Tasks
	register(s, member, huma.Operation{OperationID: "get-task-reminder-setting", Method: http.MethodGet, Path: tenantBase + "/task-reminder-setting",
		Tags: taskTags, Summary: "The caller's reminder lead: how many days before a due day they are reminded of their tasks"},
		func(ctx context.Context, in *TenantPath) (*taskReminderSettingOut, error) {
			return reminderSettingResult(svc.ReminderLead(ctx, actorOf(ctx)))
		})
	register(s, member, huma.Operation{OperationID: "set-task-reminder-setting", Method: http.MethodPut, Path: tenantBase + "/task-reminder-setting",
		Tags: taskTags, Summary: "Choose the caller's reminder lead: 1, 3 or 7 days before a due day (every member, guests too)"},
		func(ctx context.Context, in *setTaskReminderSettingIn) (*taskReminderSettingOut, error) {
			return reminderSettingResult(svc.SetReminderLead(ctx, actorOf(ctx), in.Body.LeadDays))
		})
	register(s, member, huma.Operation{OperationID: "get-task-settings", Method: http.MethodGet, Path: tenantBase + "/workspaces/{id}/task-settings",
		Tags: taskTags, Summary: "The workspace's deadline settings: after how many overdue working days a task is escalated (members)"},
		func(ctx context.Context, in *TenantIDPath) (*taskSettingsOut, error) {
			return taskSettingsResult(svc.TaskSettings(ctx, actorOf(ctx), in.ID))
		})
	register(s, member, huma.Operation{OperationID: "set-task-settings", Method: http.MethodPut, Path: tenantBase + "/workspaces/{id}/task-settings",
		Tags: taskTags, Errors: []int{http.StatusConflict, http.StatusPreconditionFailed},
		Summary:     "Change the workspace's deadline settings (owners, admins; not while archived)",
		Description: "If-Match with the version last read is optional; a lost update answers 412."},
		func(ctx context.Context, in *setTaskSettingsIn) (*taskSettingsOut, error) {
			return taskSettingsResult(svc.SetTaskSettings(ctx, actorOf(ctx), in.ID, in.version, tasksAreaInput(in)))
		})
	register(s, member, huma.Operation{OperationID: "get-task-deadlines", Method: http.MethodGet, Path: tenantBase + "/task-deadlines",
		Tags: taskTags, Summary: "The overdue cockpit: per workspace and per person, open tasks due this week and overdue by age",
		Description: "For workspace owners (their active workspaces) and tenant admins (every active workspace); anyone else gets empty lists. " +
			"Counts are of open tasks (not done, not cancelled) with a due day, on the calendar days of Europe/Berlin. The chart and the table " +
			"of the web app show the same numbers."},
		func(ctx context.Context, in *TenantPath) (*taskDeadlinesOut, error) {
			c, err := svc.Deadlines(ctx, actorOf(ctx))
			if err != nil {
				return nil, err
			}
			return &taskDeadlinesOut{Body: taskDeadlinesView(c)}, nil
		})
}
