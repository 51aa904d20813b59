package api

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"
	"github.com/kollab/kollab/tasks"
)

// The routes of follow-up tasks (Beschlusskontrolle): the committee's
// chair or secretary makes tasks from a decision, the committee's members
// list them. Who may do what is the services' to decide.

func (s *Server) taskDecisionRoutes() {
	svc := s.deps.Tasks
	for _, src := range []struct {
		kind, what string
		source     func(in *TenantIDPath) tasks.Source
	}{
		{"agenda-items", "an agenda item decided by a poll with a published result", func(in *TenantIDPath) tasks.Source { return tasks.FromItem(in.ID) }},
		{"polls", "a poll whose result is published (a written procedure's verdict)", func(in *TenantIDPath) tasks.Source { return tasks.FromPoll(in.ID) }},
	} {
		id := map[string]string{"agenda-items": "item", "polls": "poll"}[src.kind]
		register(s, member, huma.Operation{OperationID: "create-" + id + "-follow-up-task", Method: http.MethodPost,
			Path: tenantBase + "/" + src.kind + "/{id}/follow-up-tasks", Tags: taskTags, DefaultStatus: http.StatusCreated,
			Errors:  []int{http.StatusConflict},
			Summary: "Create a follow-up task from " + src.what + " (the committee's chair or secretary)",
			Description: "The task goes to a workspace the caller writes in (otherwise 422 on workspace_id) and links back to the decision; " +
				"an undecided one answers 409. When the task is done or cancelled, the committee's next meeting gets the report " +
				"„Bericht über die Umsetzung von Beschlüssen“."},
			func(ctx context.Context, in *createFollowUpIn) (*taskOut, error) {
				return taskResult(svc.CreateFollowUp(ctx, actorOf(ctx), src.source(&in.TenantIDPath), in.input()))
			})
		register(s, member, huma.Operation{OperationID: "list-" + id + "-follow-up-tasks", Method: http.MethodGet,
			Path: tenantBase + "/" + src.kind + "/{id}/follow-up-tasks", Tags: taskTags,
			Summary: "The follow-up tasks of " + src.what + " with their state (the committee's members): title, workspace, state, due day"},
			func(ctx context.Context, in *TenantIDPath) (*followUpsOut, error) {
				return followUpsResult(svc.FollowUps(ctx, actorOf(ctx), src.source(in)))
			})
	}
}
