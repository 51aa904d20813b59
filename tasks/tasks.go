package tasks

import (
	"context"
	"fmt"
	"strconv"

	"github.com/google/uuid"
	"github.com/kollab/kollab/documents"
	"github.com/kollab/kollab/internal/db"
	"github.com/kollab/kollab/internal/errs"
	"github.com/kollab/kollab/tenant"
)

// rankStep is the gap between two tasks' ranks on a board column.
const rankStep = 1024

func (in *Input) validate() error {
	var err error
	if in.Title, err = checkTitle(in.Title); err != nil {
		return err
	}
	if in.Description, err = checkDescription(in.Description); err != nil {
		return err
	}
	if in.Priority == 0 {
		in.Priority = Normal
	}
	if err := checkPriority(in.Priority); err != nil {
		return err
	}
	if in.StartOn, err = checkDate("start_on", in.StartOn); err != nil {
		return err
	}
	if in.Labels, err = checkLabels(in.Labels); err != nil {
		return err
	}
	if in.AssigneeIDs, err = uniqueIDs("assignee_ids", in.AssigneeIDs, MaxAssignees); err != nil {
		return err
	}
	if in.GroupIDs, err = uniqueIDs("group_ids", in.GroupIDs, MaxAssignees); err != nil {
		return err
	}
	if in.WatcherIDs, err = uniqueIDs("watcher_ids", in.WatcherIDs, MaxWatchers); err != nil {
		return err
	}
	if in.TemplateIDs, err = uniqueIDs("template_ids", in.TemplateIDs, MaxTemplatesPerTask); err != nil {
		return err
	}
	d := due{On: in.DueOn, Time: in.DueTime, From: in.DueFrom, Workdays: in.DueWorkdays}
	if err := d.check(); err != nil {
		return err
	}
	in.DueOn, in.DueTime, in.DueFrom, in.DueWorkdays = d.On, d.Time, d.From, d.Workdays
	return nil
}

// Create makes a task in workspace ws (its owners and members, guests
// among them, and admins; not while archived).
func (s *Service) Create(ctx context.Context, a tenant.Actor, ws uuid.UUID, in Input) (*Task, error) {
	if err := in.validate(); err != nil {
		return nil, err
	}
	var out *Task
	err := s.run(ctx, a, func(tx *db.Tx) error {
		ar, err := loadArea(tx, a, ws)
		if err != nil {
			return err
		}
		if err := ar.needWrite(); err != nil {
			return err
		}
		r, err := s.newRow(tx, a, ar, &in)
		if err != nil {
			return err
		}
		if err := tx.Create(tasksTable, r); err != nil {
			return fmt.Errorf("tasks: create: %w", err)
		}
		if err := s.setPeople(tx, ar, r.ID, in.AssigneeIDs, in.GroupIDs, in.WatcherIDs); err != nil {
			return err
		}
		if err := setLabels(tx, r.ID, in.Labels); err != nil {
			return err
		}
		if r.DocumentID != nil {
			if err := attach(tx, r.ID, *r.DocumentID, a.MembershipID, r.CreatedAt); err != nil {
				return err
			}
		}
		if err := addHistory(tx, r.ID, a.MembershipID, "created", "", r.Title, r.CreatedAt); err != nil {
			return err
		}
		if err := s.applyTemplates(ctx, tx, &scope{a: a, t: *r, ar: ar}, in.TemplateIDs); err != nil {
			return err
		}
		if err := s.notifyAssigned(ctx, tx, a, ar, r, in.AssigneeIDs, in.GroupIDs); err != nil {
			return err
		}
		if err := s.feed(tx, ws, "task.created", a.MembershipID, r.ID, r.Title); err != nil {
			return err
		}
		if err := a.Record(ctx, tx, ActionCreated, targetType, r.ID, map[string]string{"title": r.Title, "workspace_id": ws.String(),
			"due_on": str(r.DueOn)}); err != nil {
			return err
		}
		out, err = s.get(tx, a, r.ID)
		return err
	})
	return out, err
}

// newRow builds a new task's row from in, checking status, parent,
// document and due date against the workspace.
func (s *Service) newRow(tx *db.Tx, a tenant.Actor, ar *area, in *Input) (*taskRow, error) {
	var n int64
	if err := tx.Table(tasksTable).Where("workspace_id = ?", ar.ID).Count(&n).Error; err != nil {
		return nil, fmt.Errorf("tasks: count: %w", err)
	}
	if n >= MaxTasksPerWorkspace {
		return nil, errs.New(errs.Conflict, errs.M("tasks.too-many-tasks", "Dieser Arbeitsraum hat die Höchstzahl von 100000 Aufgaben erreicht.", "This workspace has reached the limit of 100000 tasks."))
	}
	st, err := builtinStatus(tx, ar.ID, Open)
	if err != nil {
		return nil, err
	}
	if in.StatusID != uuid.Nil {
		if st, err = statusOf(tx, ar.ID, in.StatusID); err != nil {
			return nil, err
		}
		if st.Category == Done {
			return nil, errs.InvalidField("status_id", errs.M("tasks.create-done", "Eine neue Aufgabe kann nicht schon erledigt sein.", "A new task cannot be done already."))
		}
	}
	if in.ParentID != nil {
		if err := checkParent(tx, ar.ID, uuid.Nil, *in.ParentID); err != nil {
			return nil, err
		}
	}
	if in.DocumentID != nil {
		if err := checkDocument(tx, a, ar, *in.DocumentID); err != nil {
			return nil, err
		}
	}
	d := due{On: in.DueOn, Time: in.DueTime, From: in.DueFrom, Workdays: in.DueWorkdays}
	if err := d.resolve(tx, s.today()); err != nil {
		return nil, err
	}
	now := s.now()
	r := &taskRow{TenantID: tx.TenantID(), ID: db.NewID(), WorkspaceID: ar.ID, ParentID: in.ParentID, Title: in.Title,
		Description: in.Description, StatusID: st.ID, Category: st.Category, Priority: in.Priority, StartOn: nullable(in.StartOn),
		Milestone: in.Milestone, DocumentID: in.DocumentID, Version: 1, CreatedAt: now, CreatedBy: a.MembershipID, UpdatedAt: now}
	d.apply(r)
	if r.StartOn != nil && r.DueOn != nil && *r.DueOn < *r.StartOn {
		return nil, errs.InvalidField("due_on", errs.M("tasks.due-before-start", "Die Fälligkeit liegt vor dem Beginn.", "The due date lies before the start."))
	}
	if r.Rank, err = nextRank(tx, st.ID); err != nil {
		return nil, err
	}
	r.AttentionOn = attention(r)
	if st.Category.Closed() {
		r.ClosedAt = &now
	}
	return r, nil
}

// nextRank is a rank below every task of a board column.
func nextRank(tx *db.Tx, status uuid.UUID) (float64, error) {
	var max []float64
	if err := tx.Table(tasksTable).Where("status_id = ?", status).Order("rank DESC").Limit(1).Pluck("rank", &max).Error; err != nil {
		return 0, fmt.Errorf("tasks: read rank: %w", err)
	}
	if len(max) == 0 {
		return rankStep, nil
	}
	return max[0] + rankStep, nil
}

// checkParent makes sure parent is a task of workspace ws that is not
// task itself nor one of its subtasks, and that nesting stays bounded.
func checkParent(tx *db.Tx, ws, task, parent uuid.UUID) error {
	bad := errs.InvalidField("parent_id", errs.M("tasks.parent-invalid", "Die übergeordnete Aufgabe muss eine andere Aufgabe dieses Arbeitsraums sein, die nicht unter dieser steht.", "The parent must be another task of this workspace that is not below this one."))
	cur := parent
	for depth := 0; ; depth++ {
		if depth >= MaxDepth {
			return errs.InvalidField("parent_id", errs.M("tasks.too-deep", "Unteraufgaben lassen sich höchstens fünf Ebenen tief schachteln.", "Subtasks nest at most five levels deep."))
		}
		if cur == task {
			return bad
		}
		var rows []struct {
			WorkspaceID uuid.UUID  `gorm:"column:workspace_id"`
			ParentID    *uuid.UUID `gorm:"column:parent_id"`
		}
		if err := tx.Table(tasksTable).Select("workspace_id, parent_id").Where("id = ?", cur).Scan(&rows).Error; err != nil {
			return fmt.Errorf("tasks: read parent: %w", err)
		}
		if len(rows) == 0 || rows[0].WorkspaceID != ws {
			return bad
		}
		if rows[0].ParentID == nil {
			return nil
		}
		cur = *rows[0].ParentID
	}
}

// checkDocument makes sure document id lies in the workspace's folder
// and the caller may read it.
func checkDocument(tx *db.Tx, a tenant.Actor, ar *area, id uuid.UUID) error {
	bad := errs.InvalidField("document_id", errs.M("tasks.document-not-in-workspace", "Das Dokument liegt nicht im Ordner dieses Arbeitsraums oder Sie können es nicht lesen.", "The document is not in this workspace's folder or you cannot read it."))
	if ar.FolderID == nil {
		return bad
	}
	in, err := documents.DocumentsInTree(tx, *ar.FolderID, []uuid.UUID{id})
	if err != nil {
		return err
	}
	ok, err := documents.ReadableDocuments(tx, a, []uuid.UUID{id})
	if err != nil {
		return err
	}
	if !in[id] || !ok[id] {
		return bad
	}
	return nil
}

// Get reads a task with its people, labels and progress (members of its workspace).
func (s *Service) Get(ctx context.Context, a tenant.Actor, id uuid.UUID) (*Task, error) {
	var out *Task
	err := s.run(ctx, a, func(tx *db.Tx) error {
		var err error
		out, err = s.get(tx, a, id)
		return err
	})
	return out, err
}

func (s *Service) get(tx *db.Tx, a tenant.Actor, id uuid.UUID) (*Task, error) {
	sc, err := loadTask(tx, a, id, false)
	if err != nil {
		return nil, err
	}
	ts := []Task{sc.t.task()}
	if err := s.hydrate(tx, ts); err != nil {
		return nil, err
	}
	ts[0].CanWrite = sc.ar.canWrite()
	ts[0].WorkspaceName = sc.ar.Name
	if ts[0].Decision, err = s.decisionOf(tx, a, &sc.t); err != nil {
		return nil, err
	}
	return &ts[0], nil
}

// Delete removes a task with its subtasks, comments and checklists
// (owners of the workspace, admins, and whoever created it).
func (s *Service) Delete(ctx context.Context, a tenant.Actor, id uuid.UUID, ifMatch int64) error {
	if ifMatch <= 0 {
		return errNeedVersion()
	}
	return s.run(ctx, a, func(tx *db.Tx) error {
		sc, err := loadTask(tx, a, id, true)
		if err != nil {
			return err
		}
		if err := sc.ar.needWrite(); err != nil {
			return err
		}
		if !sc.ar.owner() && sc.t.CreatedBy != a.MembershipID {
			return errs.New(errs.Forbidden, errs.M("tasks.delete-own", "Löschen können nur wer die Aufgabe angelegt hat und die Eigentümer des Arbeitsraums. Brechen Sie sie sonst ab.", "Only whoever created the task and the workspace's owners can delete it. Cancel it instead."))
		}
		if sc.t.Version != ifMatch {
			return errs.Plain(errs.PreconditionFailed)
		}
		var subs int64
		if err := tx.Table(tasksTable).Where("parent_id = ?", id).Count(&subs).Error; err != nil {
			return fmt.Errorf("tasks: count subtasks: %w", err)
		}
		if _, err := tx.ExecCount("DELETE FROM tasks WHERE tenant_id = @tenant AND id = ?", id); err != nil {
			return fmt.Errorf("tasks: delete: %w", err)
		}
		if err := s.reportBack(ctx, tx, a, &sc.t); err != nil { // decisions.go
			return err
		}
		if err := s.feed(tx, sc.t.WorkspaceID, "task.deleted", a.MembershipID, id, sc.t.Title); err != nil {
			return err
		}
		return a.Record(ctx, tx, ActionDeleted, targetType, id, map[string]string{"title": sc.t.Title,
			"workspace_id": sc.t.WorkspaceID.String(), "subtasks": strconv.FormatInt(subs, 10)})
	})
}
