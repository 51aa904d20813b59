package api

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"
	"github.com/kollab/kollab/tasks"
)

// The task routes (package tasks). Every route is for members of the
// path's tenant; who sees and does what follows the task's workspace
// membership and is decided by the service (a task of a workspace the
// caller is not in answers 404 like an unknown id), never here.

func taskResult(t *tasks.Task, err error) (*taskOut, error) {
	if err != nil {
		return nil, err
	}
	return &taskOut{ETag: etag(t.Version), Body: taskView(t)}, nil
}

func taskPageResult(p *tasks.Page, err error) (*taskPageOut, error) {
	if err != nil {
		return nil, err
	}
	out := &taskPageOut{}
	out.Body.Items, out.Body.Next, out.Body.Total, out.Body.More = taskViews(p.Items), p.Next, p.Total, p.TotalCapped
	return out, nil
}

func (s *Server) taskRoutes() {
	if s.deps.Tasks == nil {
		return
	}
	s.taskListRoutes()
	s.taskRecordRoutes()
	s.taskStatusRoutes()
	s.taskRelationRoutes()
	s.taskCommentRoutes()
	s.taskChecklistRoutes()
	s.taskTemplateRoutes()
	s.taskSignoffRoutes() // tasks_signoff_routes.go
	s.taskWatchRoutes()
	s.taskDecisionRoutes() // tasks_decision_routes.go
}

// taskWatchRoutes: watching a task.
func (s *Server) taskWatchRoutes() {
	svc := s.deps.Tasks
	register(s, member, huma.Operation{OperationID: "watch-task", Method: http.MethodPut, Path: tenantBase + "/tasks/{id}/watch", Tags: taskTags,
		Summary: "Watch a task: be told of its new comments (every member of its workspace, readers too)"},
		func(ctx context.Context, in *TenantIDPath) (*taskOut, error) {
			return taskResult(svc.Watch(ctx, actorOf(ctx), in.ID, true))
		})
	register(s, member, huma.Operation{OperationID: "unwatch-task", Method: http.MethodDelete, Path: tenantBase + "/tasks/{id}/watch", Tags: taskTags,
		Summary: "Stop watching a task"},
		func(ctx context.Context, in *TenantIDPath) (*taskOut, error) {
			return taskResult(svc.Watch(ctx, actorOf(ctx), in.ID, false))
		})
}

var taskTags = []string{"Aufgaben"}

// taskListRoutes: the lists, the board and my tasks.
func (s *Server) taskListRoutes() {
	svc := s.deps.Tasks
	register(s, member, huma.Operation{OperationID: "list-tasks", Method: http.MethodGet, Path: tenantBase + "/workspaces/{id}/tasks", Tags: taskTags,
		Summary: "A page of the workspace's tasks, filtered and sorted (members)"},
		func(ctx context.Context, in *listTasksIn) (*taskPageOut, error) {
			return taskPageResult(svc.List(ctx, actorOf(ctx), in.ID, in.filter()))
		})

	register(s, member, huma.Operation{OperationID: "get-task-board", Method: http.MethodGet, Path: tenantBase + "/workspaces/{id}/board", Tags: taskTags,
		Summary: "The workspace's board: every status with the first tasks of its column in rank order (members)"},
		func(ctx context.Context, in *boardIn) (*boardOut, error) {
			cols, canWrite, err := svc.Board(ctx, actorOf(ctx), in.ID, in.Limit)
			if err != nil {
				return nil, err
			}
			out := &boardOut{}
			out.Body.CanWrite = canWrite
			out.Body.Columns = make([]BoardColumnView, len(cols))
			for i := range cols {
				out.Body.Columns[i] = BoardColumnView{Status: statusView(&cols[i].Status), Count: cols[i].Count, Capped: cols[i].Capped, Items: taskViews(cols[i].Items), Next: cols[i].Next}
			}
			return out, nil
		})

	register(s, member, huma.Operation{OperationID: "list-task-labels", Method: http.MethodGet, Path: tenantBase + "/workspaces/{id}/task-labels",
		Tags: taskTags, Summary: "The labels of the workspace's tasks, most used first (at most 200)"},
		func(ctx context.Context, in *TenantIDPath) (*taskLabelsOut, error) {
			ls, err := svc.Labels(ctx, actorOf(ctx), in.ID)
			if err != nil {
				return nil, err
			}
			out := &taskLabelsOut{}
			out.Body.Labels = make([]TaskLabelView, len(ls))
			for i, l := range ls {
				out.Body.Labels[i] = TaskLabelView{Label: l.Label, Count: l.Count}
			}
			return out, nil
		})

	register(s, member, huma.Operation{OperationID: "list-my-tasks", Method: http.MethodGet, Path: tenantBase + "/my-tasks", Tags: taskTags,
		Summary:     "The tasks assigned to the caller (directly or through a group) in every workspace they belong to",
		Description: "Open ones unless state says otherwise; by due day, tasks without one last."},
		func(ctx context.Context, in *myTasksIn) (*taskPageOut, error) {
			return taskPageResult(svc.Mine(ctx, actorOf(ctx), in.filter()))
		})

	register(s, member, huma.Operation{OperationID: "list-document-tasks", Method: http.MethodGet, Path: tenantBase + "/documents/{id}/tasks", Tags: taskTags,
		Summary: "The tasks about a document or with it attached, that the caller sees (at most 200)"},
		func(ctx context.Context, in *TenantIDPath) (*tasksOut, error) {
			ts, err := svc.DocumentTasks(ctx, actorOf(ctx), in.ID)
			if err != nil {
				return nil, err
			}
			out := &tasksOut{}
			out.Body.Items = taskViews(ts)
			return out, nil
		})
}

// taskRecordRoutes: create, read, change, move and delete a task.
func (s *Server) taskRecordRoutes() {
	svc := s.deps.Tasks
	register(s, member, huma.Operation{OperationID: "create-task", Method: http.MethodPost, Path: tenantBase + "/workspaces/{id}/tasks", Tags: taskTags,
		DefaultStatus: http.StatusCreated, Errors: []int{http.StatusConflict},
		Summary: "Create a task in the workspace (owners and members, guests among them; not while archived)"},
		func(ctx context.Context, in *createTaskIn) (*taskOut, error) {
			b := in.Body
			ti := tasks.Input{Title: b.Title, Description: b.Description, Priority: tasks.Priority(b.Priority), StartOn: b.StartOn, DueOn: b.DueOn,
				DueTime: b.DueTime, DueFrom: b.DueFrom, DueWorkdays: b.DueWorkdays, Milestone: b.Milestone, ParentID: b.ParentID,
				DocumentID: b.DocumentID, Labels: b.Labels, AssigneeIDs: b.AssigneeIDs, GroupIDs: b.GroupIDs, WatcherIDs: b.WatcherIDs,
				TemplateIDs: b.TemplateIDs}
			if b.StatusID != nil {
				ti.StatusID = *b.StatusID
			}
			return taskResult(svc.Create(ctx, actorOf(ctx), in.ID, ti))
		})

	register(s, member, huma.Operation{OperationID: "get-task", Method: http.MethodGet, Path: tenantBase + "/tasks/{id}", Tags: taskTags,
		Summary: "One task with its people, labels and progress; its version is the ETag"},
		func(ctx context.Context, in *TenantIDPath) (*taskOut, error) {
			return taskResult(svc.Get(ctx, actorOf(ctx), in.ID))
		})

	register(s, member, huma.Operation{OperationID: "update-task", Method: http.MethodPatch, Path: tenantBase + "/tasks/{id}", Tags: taskTags,
		Errors:  []int{http.StatusConflict, http.StatusPreconditionFailed},
		Summary: "Change a task (writers of its workspace); If-Match with the version last read is required, a lost update answers 412"},
		func(ctx context.Context, in *updateTaskIn) (*taskOut, error) {
			b := in.Body
			p := tasks.Patch{Title: b.Title, Description: b.Description, StatusID: b.StatusID, StartOn: b.StartOn, DueOn: b.DueOn, DueTime: b.DueTime,
				DueFrom: b.DueFrom, DueWorkdays: b.DueWorkdays, Milestone: b.Milestone, ParentID: b.ParentID, ClearParent: b.ClearParent,
				Labels: b.Labels, AssigneeIDs: b.AssigneeIDs, GroupIDs: b.GroupIDs, WatcherIDs: b.WatcherIDs}
			if b.Priority != nil {
				pr := tasks.Priority(*b.Priority)
				p.Priority = &pr
			}
			return taskResult(svc.Update(ctx, actorOf(ctx), in.ID, in.version, p))
		})

	register(s, member, huma.Operation{OperationID: "move-task", Method: http.MethodPost, Path: tenantBase + "/tasks/{id}/move", Tags: taskTags,
		Errors:      []int{http.StatusConflict, http.StatusPreconditionFailed},
		Summary:     "Place a task on the board: into a column, after a task (writers)",
		Description: "The board's drag and drop and its keyboard alternative send this. A done column needs the required checklist items ticked (409)."},
		func(ctx context.Context, in *moveTaskIn) (*taskOut, error) {
			return taskResult(svc.MoveTask(ctx, actorOf(ctx), in.ID, in.version, tasks.Move{StatusID: in.Body.StatusID, AfterID: in.Body.AfterID}))
		})

	register(s, member, huma.Operation{OperationID: "delete-task", Method: http.MethodDelete, Path: tenantBase + "/tasks/{id}", Tags: taskTags,
		DefaultStatus: http.StatusNoContent, Errors: []int{http.StatusPreconditionFailed},
		Summary: "Delete a task with its subtasks (whoever created it, owners, admins; If-Match required)"},
		func(ctx context.Context, in *deleteTaskIn) (*struct{}, error) {
			return nil, svc.Delete(ctx, actorOf(ctx), in.ID, in.version)
		})

	register(s, member, huma.Operation{OperationID: "get-task-history", Method: http.MethodGet, Path: tenantBase + "/tasks/{id}/history", Tags: taskTags,
		Summary: "Every change of a task, newest first (at most 500)"},
		func(ctx context.Context, in *TenantIDPath) (*taskHistoryOut, error) {
			hs, err := svc.History(ctx, actorOf(ctx), in.ID)
			if err != nil {
				return nil, err
			}
			out := &taskHistoryOut{}
			out.Body.Entries = make([]TaskHistoryView, len(hs))
			for i, h := range hs {
				out.Body.Entries[i] = TaskHistoryView{ID: h.ID, ActorID: h.ActorID, Field: h.Field, OldValue: h.OldValue, NewValue: h.NewValue, CreatedAt: h.CreatedAt}
				if h.ActorName != nil {
					out.Body.Entries[i].ActorName = *h.ActorName
				}
			}
			return out, nil
		})
}

// taskStatusRoutes: the board's columns.
func (s *Server) taskStatusRoutes() {
	svc := s.deps.Tasks
	statusesResult := func(sts []tasks.Status, err error) (*taskStatusesOut, error) {
		if err != nil {
			return nil, err
		}
		out := &taskStatusesOut{}
		out.Body.Statuses = make([]TaskStatusView, len(sts))
		for i := range sts {
			out.Body.Statuses[i] = statusView(&sts[i])
		}
		return out, nil
	}
	statusResult := func(st *tasks.Status, err error) (*taskStatusOut, error) {
		if err != nil {
			return nil, err
		}
		return &taskStatusOut{Body: statusView(st)}, nil
	}
	register(s, member, huma.Operation{OperationID: "list-task-statuses", Method: http.MethodGet, Path: tenantBase + "/workspaces/{id}/task-statuses",
		Tags: taskTags, Summary: "The workspace's statuses in board order (members)"},
		func(ctx context.Context, in *TenantIDPath) (*taskStatusesOut, error) {
			return statusesResult(svc.Statuses(ctx, actorOf(ctx), in.ID))
		})
	register(s, member, huma.Operation{OperationID: "add-task-status", Method: http.MethodPost, Path: tenantBase + "/workspaces/{id}/task-statuses",
		Tags: taskTags, DefaultStatus: http.StatusCreated, Errors: []int{http.StatusConflict},
		Summary: "Add a status (a board column) of one of the five categories (owners, admins; at most 20)"},
		func(ctx context.Context, in *addTaskStatusIn) (*taskStatusOut, error) {
			return statusResult(svc.AddStatus(ctx, actorOf(ctx), in.ID, tasks.StatusInput{Name: in.Body.Name, Category: tasks.Category(in.Body.Category),
				Position: in.Body.Position}))
		})
	register(s, member, huma.Operation{OperationID: "update-task-status", Method: http.MethodPatch, Path: tenantBase + "/task-statuses/{id}",
		Tags: taskTags, Errors: []int{http.StatusConflict}, Summary: "Rename or move a status (owners, admins)"},
		func(ctx context.Context, in *updateTaskStatusIn) (*taskStatusOut, error) {
			return statusResult(svc.UpdateStatus(ctx, actorOf(ctx), in.ID, tasks.StatusInput{Name: in.Body.Name, Position: in.Body.Position}))
		})
	register(s, member, huma.Operation{OperationID: "delete-task-status", Method: http.MethodDelete, Path: tenantBase + "/task-statuses/{id}",
		Tags: taskTags, DefaultStatus: http.StatusNoContent, Errors: []int{http.StatusConflict},
		Summary: "Delete an added status no task is in (owners, admins)"},
		func(ctx context.Context, in *TenantIDPath) (*struct{}, error) {
			return nil, svc.DeleteStatus(ctx, actorOf(ctx), in.ID)
		})
}

// taskRelationRoutes: links, subtasks and documents.
func (s *Server) taskRelationRoutes() {
	svc := s.deps.Tasks
	register(s, member, huma.Operation{OperationID: "get-task-related", Method: http.MethodGet, Path: tenantBase + "/tasks/{id}/related", Tags: taskTags,
		Summary: "A task's linked tasks, subtasks and documents"},
		func(ctx context.Context, in *TenantIDPath) (*taskRelatedOut, error) {
			r, err := svc.Related(ctx, actorOf(ctx), in.ID)
			if err != nil {
				return nil, err
			}
			out := &taskRelatedOut{}
			out.Body.Links, out.Body.Subtasks = briefViews(r.Links), briefViews(r.Subtasks)
			out.Body.Documents = make([]TaskDocumentView, len(r.Documents))
			for i, d := range r.Documents {
				out.Body.Documents[i] = TaskDocumentView{DocumentID: d.DocumentID, Title: d.Title, Readable: d.Readable, AddedBy: d.AddedBy, CreatedAt: d.CreatedAt}
			}
			return out, nil
		})
	register(s, member, huma.Operation{OperationID: "link-task", Method: http.MethodPost, Path: tenantBase + "/tasks/{id}/links", Tags: taskTags,
		DefaultStatus: http.StatusNoContent, Errors: []int{http.StatusConflict},
		Summary: "Link the task to another task of its workspace (blocks, blocked_by, relates; again: replaces the kind)"},
		func(ctx context.Context, in *linkTaskIn) (*struct{}, error) {
			return nil, svc.Link(ctx, actorOf(ctx), in.ID, in.Body.TaskID, tasks.LinkKind(in.Body.Kind))
		})
	register(s, member, huma.Operation{OperationID: "unlink-task", Method: http.MethodDelete, Path: tenantBase + "/tasks/{id}/links/{other}", Tags: taskTags,
		DefaultStatus: http.StatusNoContent, Summary: "Remove the link between two tasks"},
		func(ctx context.Context, in *TaskOtherPath) (*struct{}, error) {
			return nil, svc.Unlink(ctx, actorOf(ctx), in.ID, in.Other)
		})
	register(s, member, huma.Operation{OperationID: "attach-task-document", Method: http.MethodPost, Path: tenantBase + "/tasks/{id}/documents", Tags: taskTags,
		DefaultStatus: http.StatusNoContent, Errors: []int{http.StatusConflict},
		Summary: "Attach a document of the workspace's folder that the caller may read (a new file: upload it into the folder first)"},
		func(ctx context.Context, in *attachTaskDocumentIn) (*struct{}, error) {
			return nil, svc.Attach(ctx, actorOf(ctx), in.ID, in.Body.DocumentID)
		})
	register(s, member, huma.Operation{OperationID: "detach-task-document", Method: http.MethodDelete, Path: tenantBase + "/tasks/{id}/documents/{document}",
		Tags: taskTags, DefaultStatus: http.StatusNoContent, Summary: "Detach a document from the task (it stays in its folder)"},
		func(ctx context.Context, in *TaskDocumentPath) (*struct{}, error) {
			return nil, svc.Detach(ctx, actorOf(ctx), in.ID, in.Document)
		})
}

// taskCommentRoutes: the comment thread.
func (s *Server) taskCommentRoutes() {
	svc := s.deps.Tasks
	register(s, member, huma.Operation{OperationID: "list-task-comments", Method: http.MethodGet, Path: tenantBase + "/tasks/{id}/comments", Tags: taskTags,
		Summary: "A task's comments, oldest first (the latest 200)"},
		func(ctx context.Context, in *TenantIDPath) (*taskCommentsOut, error) {
			cs, err := svc.Comments(ctx, actorOf(ctx), in.ID)
			if err != nil {
				return nil, err
			}
			out := &taskCommentsOut{}
			out.Body.Comments = make([]TaskCommentView, len(cs))
			for i := range cs {
				out.Body.Comments[i] = commentView(&cs[i])
			}
			return out, nil
		})
	register(s, member, huma.Operation{OperationID: "add-task-comment", Method: http.MethodPost, Path: tenantBase + "/tasks/{id}/comments", Tags: taskTags,
		DefaultStatus: http.StatusCreated, Summary: "Comment on a task (writers); the mentioned members are told, and the assignees and watchers"},
		func(ctx context.Context, in *addTaskCommentIn) (*taskCommentOut, error) {
			c, err := svc.AddComment(ctx, actorOf(ctx), in.ID, tasks.CommentInput{Body: in.Body.Body, Mentions: in.Body.Mentions})
			if err != nil {
				return nil, err
			}
			return &taskCommentOut{Body: commentView(c)}, nil
		})
	register(s, member, huma.Operation{OperationID: "edit-task-comment", Method: http.MethodPatch, Path: tenantBase + "/tasks/{id}/comments/{comment}",
		Tags: taskTags, Summary: "Change one's own comment"},
		func(ctx context.Context, in *editTaskCommentIn) (*taskCommentOut, error) {
			c, err := svc.EditComment(ctx, actorOf(ctx), in.ID, in.Comment, in.Body.Body)
			if err != nil {
				return nil, err
			}
			return &taskCommentOut{Body: commentView(c)}, nil
		})
	register(s, member, huma.Operation{OperationID: "delete-task-comment", Method: http.MethodDelete, Path: tenantBase + "/tasks/{id}/comments/{comment}",
		Tags: taskTags, DefaultStatus: http.StatusNoContent, Summary: "Withdraw one's own comment (its place in the thread stays)"},
		func(ctx context.Context, in *TaskCommentPath) (*struct{}, error) {
			return nil, svc.DeleteComment(ctx, actorOf(ctx), in.ID, in.Comment)
		})
}
