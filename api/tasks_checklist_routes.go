package api

import (
	"context"
	"net/http"
	"strconv"

	"github.com/danielgtaylor/huma/v2"
	"github.com/kollab/kollab/tasks"
)

// The checklist (Prüflisten) and checklist template routes (package
// tasks). Who reads and changes what is decided by the service: a task's
// lists follow its workspace's membership (members read, writers change,
// guests among them), the tenant's templates are for staff, a workspace's
// for its members; anything the caller may not see answers 404 like an
// unknown id.

func checklistResult(c *tasks.Checklist, err error) (*taskChecklistOut, error) {
	if err != nil {
		return nil, err
	}
	return &taskChecklistOut{Body: checklistView(c)}, nil
}

func checklistItemResult(it *tasks.ChecklistItem, err error) (*taskChecklistItemOut, error) {
	if err != nil {
		return nil, err
	}
	return &taskChecklistItemOut{Body: checklistItemView(it)}, nil
}

// taskChecklistRoutes: a task's checklists and their items.
func (s *Server) taskChecklistRoutes() {
	svc := s.deps.Tasks
	register(s, member, huma.Operation{OperationID: "list-task-checklists", Method: http.MethodGet, Path: tenantBase + "/tasks/{id}/checklists", Tags: taskTags,
		Summary: "A task's checklists with their items, in order, and its progress (members of its workspace)"},
		func(ctx context.Context, in *TenantIDPath) (*taskChecklistsOut, error) {
			set, err := svc.Checklists(ctx, actorOf(ctx), in.ID)
			if err != nil {
				return nil, err
			}
			out := &taskChecklistsOut{}
			out.Body.Checklists = make([]TaskChecklistView, len(set.Lists))
			for i := range set.Lists {
				out.Body.Checklists[i] = checklistView(&set.Lists[i])
			}
			out.Body.Done, out.Body.Total, out.Body.RequiredOpen = set.Done, set.Total, set.RequiredOpen
			out.Body.CanWrite, out.Body.CanManage = set.CanWrite, set.CanManage
			return out, nil
		})
	register(s, member, huma.Operation{OperationID: "add-task-checklist", Method: http.MethodPost, Path: tenantBase + "/tasks/{id}/checklists", Tags: taskTags,
		DefaultStatus: http.StatusCreated, Errors: []int{http.StatusConflict},
		Summary:     "Add a checklist to a task: empty, or copied from a template's current version (writers; at most 20)",
		Description: "Does not change the task's version. A template with required items cannot be applied to a task that is done (409)."},
		func(ctx context.Context, in *addTaskChecklistIn) (*taskChecklistOut, error) {
			b := in.Body
			return checklistResult(svc.AddChecklist(ctx, actorOf(ctx), in.ID, tasks.ChecklistInput{Title: b.Title, TemplateID: b.TemplateID, Position: b.Position}))
		})
	register(s, member, huma.Operation{OperationID: "update-task-checklist", Method: http.MethodPatch, Path: tenantBase + "/tasks/{id}/checklists/{checklist}",
		Tags: taskTags, Errors: []int{http.StatusConflict}, Summary: "Rename a checklist or move it among the task's lists (writers)"},
		func(ctx context.Context, in *updateTaskChecklistIn) (*taskChecklistOut, error) {
			return checklistResult(svc.UpdateChecklist(ctx, actorOf(ctx), in.ID, in.Checklist, tasks.ChecklistPatch{Title: in.Body.Title, Position: in.Body.Position}))
		})
	register(s, member, huma.Operation{OperationID: "delete-task-checklist", Method: http.MethodDelete, Path: tenantBase + "/tasks/{id}/checklists/{checklist}",
		Tags: taskTags, DefaultStatus: http.StatusNoContent, Errors: []int{http.StatusConflict},
		Summary: "Delete a checklist with its items (writers; one with required items: owners and admins)"},
		func(ctx context.Context, in *TaskChecklistPath) (*struct{}, error) {
			return nil, svc.DeleteChecklist(ctx, actorOf(ctx), in.ID, in.Checklist)
		})
	register(s, member, huma.Operation{OperationID: "add-task-checklist-item", Method: http.MethodPost, Path: tenantBase + "/tasks/{id}/checklists/{checklist}/items",
		Tags: taskTags, DefaultStatus: http.StatusCreated, Errors: []int{http.StatusConflict},
		Summary:     "Add an item to a checklist (writers, guests among them; at most 200 a list)",
		Description: "A required item cannot be added to a task that is done (409)."},
		func(ctx context.Context, in *addTaskChecklistItemIn) (*taskChecklistItemOut, error) {
			b := in.Body
			return checklistItemResult(svc.AddChecklistItem(ctx, actorOf(ctx), in.ID, in.Checklist, tasks.ItemInput{Text: b.Text, Required: b.Required, Position: b.Position}))
		})
	register(s, member, huma.Operation{OperationID: "update-task-checklist-item", Method: http.MethodPatch, Path: tenantBase + "/tasks/{id}/checklist-items/{item}",
		Tags: taskTags, Errors: []int{http.StatusConflict},
		Summary: "Tick, untick, reword, flag or move a checklist item (writers, guests among them)",
		Description: "Ticking does not change the task's version, so nobody's open edit of the task is lost; the task's progress counts it. " +
			"Making a required item optional is for owners and admins (403); a done task gets no open required item back (409)."},
		func(ctx context.Context, in *updateTaskChecklistItemIn) (*taskChecklistItemOut, error) {
			b := in.Body
			return checklistItemResult(svc.UpdateChecklistItem(ctx, actorOf(ctx), in.ID, in.Item, tasks.ItemPatch{Done: b.Done, Text: b.Text, Required: b.Required,
				Position: b.Position}))
		})
	register(s, member, huma.Operation{OperationID: "delete-task-checklist-item", Method: http.MethodDelete, Path: tenantBase + "/tasks/{id}/checklist-items/{item}",
		Tags: taskTags, DefaultStatus: http.StatusNoContent, Errors: []int{http.StatusConflict},
		Summary: "Delete a checklist item (writers; a required one: owners and admins)"},
		func(ctx context.Context, in *TaskChecklistItemPath) (*struct{}, error) {
			return nil, svc.DeleteChecklistItem(ctx, actorOf(ctx), in.ID, in.Item)
		})
}

// taskTemplateRoutes: checklist templates of the tenant and of workspaces.
func (s *Server) taskTemplateRoutes() {
	svc := s.deps.Tasks
	register(s, member, huma.Operation{OperationID: "list-task-templates", Method: http.MethodGet, Path: tenantBase + "/task-templates", Tags: taskTags,
		Summary: "The tenant's active checklist templates by name (staff and admins)"},
		func(ctx context.Context, in *TenantPath) (*taskTemplatesOut, error) {
			return templatesResult(svc.TenantTemplates(ctx, actorOf(ctx)))
		})
	register(s, tenantAdmin, huma.Operation{OperationID: "create-task-template", Method: http.MethodPost, Path: tenantBase + "/task-templates", Tags: taskTags,
		DefaultStatus: http.StatusCreated, Errors: []int{http.StatusConflict}, Summary: "Create a checklist template of the whole tenant (admins)"},
		func(ctx context.Context, in *createTaskTemplateIn) (*taskTemplateOut, error) {
			return templateResult(svc.CreateTemplate(ctx, actorOf(ctx), nil, in.Body.input()))
		})
	register(s, member, huma.Operation{OperationID: "list-workspace-task-templates", Method: http.MethodGet, Path: tenantBase + "/workspaces/{id}/task-templates",
		Tags: taskTags, Summary: "The templates a task of the workspace can be made with: the workspace's, and for staff the tenant's (members)"},
		func(ctx context.Context, in *TenantIDPath) (*taskTemplatesOut, error) {
			return templatesResult(svc.WorkspaceTemplates(ctx, actorOf(ctx), in.ID))
		})
	register(s, member, huma.Operation{OperationID: "create-workspace-task-template", Method: http.MethodPost, Path: tenantBase + "/workspaces/{id}/task-templates",
		Tags: taskTags, DefaultStatus: http.StatusCreated, Errors: []int{http.StatusConflict},
		Summary: "Create a checklist template of the workspace (its owners and admins; never guests)"},
		func(ctx context.Context, in *createWorkspaceTaskTemplateIn) (*taskTemplateOut, error) {
			return templateResult(svc.CreateTemplate(ctx, actorOf(ctx), &in.ID, in.Body.input()))
		})
	register(s, member, huma.Operation{OperationID: "get-task-template", Method: http.MethodGet, Path: tenantBase + "/task-templates/{id}", Tags: taskTags,
		Summary: "A checklist template with its current items; its version is the ETag (archived ones too)"},
		func(ctx context.Context, in *TenantIDPath) (*taskTemplateOut, error) {
			return templateResult(svc.Template(ctx, actorOf(ctx), in.ID))
		})
	register(s, member, huma.Operation{OperationID: "update-task-template", Method: http.MethodPut, Path: tenantBase + "/task-templates/{id}", Tags: taskTags,
		Errors:      []int{http.StatusConflict},
		Summary:     "Save a new version of a checklist template (its keepers); If-Match with the version last read is required",
		Description: "Checklists made from earlier versions stay as they are; tasks made from now on get the new items."},
		func(ctx context.Context, in *updateTaskTemplateIn) (*taskTemplateOut, error) {
			return templateResult(svc.UpdateTemplate(ctx, actorOf(ctx), in.ID, in.version, in.Body.input()))
		})
	register(s, member, huma.Operation{OperationID: "archive-task-template", Method: http.MethodDelete, Path: tenantBase + "/task-templates/{id}", Tags: taskTags,
		DefaultStatus: http.StatusNoContent, Errors: []int{http.StatusConflict},
		Summary: "Archive a checklist template: hidden from the pickers, its versions and the checklists made from it stay (its keepers)"},
		func(ctx context.Context, in *archiveTaskTemplateIn) (*struct{}, error) {
			return nil, svc.ArchiveTemplate(ctx, actorOf(ctx), in.ID, in.version)
		})
	register(s, member, huma.Operation{OperationID: "list-task-template-versions", Method: http.MethodGet, Path: tenantBase + "/task-templates/{id}/versions",
		Tags: taskTags, Summary: "Every saved version of a checklist template, newest first"},
		func(ctx context.Context, in *taskTemplateVersionsIn) (*taskTemplateVersionsOut, error) {
			vs, next, err := svc.TemplateVersions(ctx, actorOf(ctx), in.ID, in.before(), in.Limit)
			if err != nil {
				return nil, err
			}
			out := &taskTemplateVersionsOut{}
			out.Body.Versions = make([]TaskTemplateVersionView, len(vs))
			for i, v := range vs {
				out.Body.Versions[i] = TaskTemplateVersionView{Version: v.Version, Name: v.Name, ChecklistTitle: v.ChecklistTitle, Items: templateItemViews(v.Items),
					CreatedAt: v.CreatedAt, CreatedBy: v.CreatedBy, CreatedByName: v.CreatedByName}
			}
			if next > 0 {
				out.Body.Next = strconv.FormatInt(next, 10)
			}
			return out, nil
		})
}
