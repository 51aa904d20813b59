package tasks

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/kollab/kollab/internal/db"
	"github.com/kollab/kollab/internal/errs"
	"github.com/kollab/kollab/tenant"
)

func (p *Patch) validate() error {
	var err error
	if p.Title != nil {
		t, err := checkTitle(*p.Title)
		if err != nil {
			return err
		}
		p.Title = &t
	}
	if p.Description != nil {
		d, err := checkDescription(*p.Description)
		if err != nil {
			return err
		}
		p.Description = &d
	}
	if p.Priority != nil {
		if err := checkPriority(*p.Priority); err != nil {
			return err
		}
	}
	if p.StartOn != nil {
		v, err := checkDate("start_on", *p.StartOn)
		if err != nil {
			return err
		}
		p.StartOn = &v
	}
	if p.Labels != nil {
		l, err := checkLabels(*p.Labels)
		if err != nil {
			return err
		}
		p.Labels = &l
	}
	for _, f := range []struct {
		name  string
		ids   **[]uuid.UUID
		limit int
	}{{"assignee_ids", &p.AssigneeIDs, MaxAssignees}, {"group_ids", &p.GroupIDs, MaxAssignees}, {"watcher_ids", &p.WatcherIDs, MaxWatchers}} {
		if *f.ids != nil {
			v, err := uniqueIDs(f.name, **f.ids, f.limit)
			if err != nil {
				return err
			}
			*f.ids = &v
		}
	}
	return err
}

// dueChanged reports whether the patch touches the due date.
func (p *Patch) dueChanged() bool {
	return p.DueOn != nil || p.DueTime != nil || p.DueFrom != nil || p.DueWorkdays != nil
}

// Update changes a task (writers of its workspace). ifMatch is the
// version the caller last read (required); a different current version
// answers errs.PreconditionFailed. Every changed field is kept in the
// task's history.
func (s *Service) Update(ctx context.Context, a tenant.Actor, id uuid.UUID, ifMatch int64, p Patch) (*Task, error) {
	if ifMatch <= 0 {
		return nil, errNeedVersion()
	}
	if err := p.validate(); err != nil {
		return nil, err
	}
	var out *Task
	err := s.run(ctx, a, func(tx *db.Tx) error {
		sc, err := loadTask(tx, a, id, true)
		if err != nil {
			return err
		}
		if err := sc.ar.needWrite(); err != nil {
			return err
		}
		if sc.t.Version != ifMatch {
			return errs.Plain(errs.PreconditionFailed)
		}
		ch := &changes{s: s, tx: tx, sc: sc, at: s.now()}
		if err := ch.apply(&p); err != nil {
			return err
		}
		if err := ch.people(ctx, &p); err != nil {
			return err
		}
		if len(ch.fields) == 0 {
			out, err = s.get(tx, a, id)
			return err
		}
		if err := ch.save(); err != nil {
			return err
		}
		if err := s.reportBack(ctx, tx, a, &sc.t); err != nil { // decisions.go
			return err
		}
		if err := a.Record(ctx, tx, ActionUpdated, targetType, id, map[string]string{"title": sc.t.Title,
			"fields": strings.Join(ch.fields, ",")}); err != nil {
			return err
		}
		out, err = s.get(tx, a, id)
		return err
	})
	return out, err
}

// changes collects one update of a task: the new row and its history.
type changes struct {
	s      *Service
	tx     *db.Tx
	sc     *scope
	at     time.Time
	fields []string
}

// note records a change of field in the history.
func (c *changes) note(field, old, new string) error {
	if old == new {
		return nil
	}
	c.fields = append(c.fields, field)
	return addHistory(c.tx, c.sc.t.ID, c.sc.a.MembershipID, field, old, new, c.at)
}

func (c *changes) apply(p *Patch) error {
	r := &c.sc.t
	if p.Title != nil {
		if err := c.note("title", r.Title, *p.Title); err != nil {
			return err
		}
		r.Title = *p.Title
	}
	if p.Description != nil {
		if err := c.note("description", r.Description, *p.Description); err != nil {
			return err
		}
		r.Description = *p.Description
	}
	if p.Priority != nil {
		if err := c.note("priority", strconv.Itoa(int(r.Priority)), strconv.Itoa(int(*p.Priority))); err != nil {
			return err
		}
		r.Priority = *p.Priority
	}
	if p.Milestone != nil {
		if err := c.note("milestone", strconv.FormatBool(r.Milestone), strconv.FormatBool(*p.Milestone)); err != nil {
			return err
		}
		r.Milestone = *p.Milestone
	}
	if p.StartOn != nil {
		if err := c.note("start_on", str(r.StartOn), *p.StartOn); err != nil {
			return err
		}
		r.StartOn = nullable(*p.StartOn)
	}
	if err := c.due(p); err != nil {
		return err
	}
	if err := c.parent(p); err != nil {
		return err
	}
	if p.StatusID != nil && *p.StatusID != r.StatusID {
		if err := c.status(*p.StatusID); err != nil {
			return err
		}
	}
	if r.StartOn != nil && r.DueOn != nil && *r.DueOn < *r.StartOn {
		return errs.InvalidField("due_on", errs.M("tasks.due-before-start", "Die Fälligkeit liegt vor dem Beginn.", "The due date lies before the start."))
	}
	return nil
}

func (c *changes) due(p *Patch) error {
	if !p.dueChanged() {
		return nil
	}
	r := &c.sc.t
	d := due{On: str(r.DueOn), Time: str(r.DueTime), From: str(r.DueFrom)}
	if r.DueWorkdays != nil {
		d.Workdays = *r.DueWorkdays
	}
	if p.DueWorkdays != nil {
		d.Workdays = *p.DueWorkdays
		if d.Workdays > 0 && p.DueOn == nil {
			d.On = ""
		}
	}
	if p.DueOn != nil {
		d.On = *p.DueOn
		if d.On != "" && p.DueWorkdays == nil {
			d.Workdays, d.From = 0, ""
		}
	}
	if p.DueFrom != nil {
		d.From = *p.DueFrom
	}
	if p.DueTime != nil {
		d.Time = *p.DueTime
	}
	if d.Workdays > 0 {
		d.On = ""
	}
	if err := d.check(); err != nil {
		return err
	}
	if err := d.resolve(c.tx, c.s.today()); err != nil {
		return err
	}
	old := str(r.DueOn) + " " + str(r.DueTime)
	d.apply(r)
	return c.note("due", strings.TrimSpace(old), strings.TrimSpace(str(r.DueOn)+" "+str(r.DueTime)))
}

func (c *changes) parent(p *Patch) error {
	r := &c.sc.t
	switch {
	case p.ClearParent && r.ParentID != nil:
		if err := c.note("parent", r.ParentID.String(), ""); err != nil {
			return err
		}
		r.ParentID = nil
	case p.ParentID != nil && (r.ParentID == nil || *r.ParentID != *p.ParentID):
		if err := checkParent(c.tx, r.WorkspaceID, r.ID, *p.ParentID); err != nil {
			return err
		}
		old := ""
		if r.ParentID != nil {
			old = r.ParentID.String()
		}
		if err := c.note("parent", old, p.ParentID.String()); err != nil {
			return err
		}
		id := *p.ParentID
		r.ParentID = &id
	}
	return nil
}

// status moves the task to status id (of its workspace), refusing done
// while required checklist items are open.
func (c *changes) status(id uuid.UUID) error {
	r := &c.sc.t
	st, err := statusOf(c.tx, r.WorkspaceID, id)
	if err != nil {
		return err
	}
	if st.Category == Done {
		if err := needChecklistDone(c.tx, r.ID); err != nil {
			return err
		}
	}
	old, err := statusOf(c.tx, r.WorkspaceID, r.StatusID)
	if err != nil {
		return err
	}
	if err := c.note("status", old.Name, st.Name); err != nil {
		return err
	}
	if !r.Category.Closed() && st.Category.Closed() {
		at := c.at
		r.ClosedAt = &at
	} else if !st.Category.Closed() {
		r.ClosedAt = nil
	}
	if r.StatusID != st.ID {
		if r.Rank, err = nextRank(c.tx, st.ID); err != nil {
			return err
		}
	}
	r.StatusID, r.Category = st.ID, st.Category
	return nil
}

// needChecklistDone refuses while a required checklist item of task is open.
func needChecklistDone(tx *db.Tx, task uuid.UUID) error {
	var open int64
	if err := tx.Table(itemsTable).Where("task_id = ? AND required = ? AND done_at IS NULL", task, true).Count(&open).Error; err != nil {
		return fmt.Errorf("tasks: count required items: %w", err)
	}
	if open > 0 {
		return errs.New(errs.Conflict, errs.M("tasks.required-items-open",
			"Die Aufgabe kann erst erledigt werden, wenn alle Pflichtpunkte ihrer Prüflisten abgehakt sind.",
			"The task can only be done once every required item of its checklists is ticked."))
	}
	return nil
}

// people replaces assignees, watchers and labels as the patch says.
func (c *changes) people(ctx context.Context, p *Patch) error {
	r := &c.sc.t
	if p.Labels != nil {
		if err := setLabels(c.tx, r.ID, *p.Labels); err != nil {
			return err
		}
		c.fields = append(c.fields, "labels")
		if err := addHistory(c.tx, r.ID, c.sc.a.MembershipID, "labels", "", strings.Join(*p.Labels, ", "), c.at); err != nil {
			return err
		}
	}
	if p.WatcherIDs != nil {
		if err := c.s.replaceWatchers(c.tx, c.sc.ar, r.ID, *p.WatcherIDs); err != nil {
			return err
		}
		c.fields = append(c.fields, "watchers")
	}
	if p.AssigneeIDs == nil && p.GroupIDs == nil {
		return nil
	}
	oldP, oldG, err := assigned(c.tx, r.ID)
	if err != nil {
		return err
	}
	people, groups := oldP, oldG
	if p.AssigneeIDs != nil {
		people = *p.AssigneeIDs
	}
	if p.GroupIDs != nil {
		groups = *p.GroupIDs
	}
	newP, newG, err := c.s.replaceAssignees(c.tx, c.sc.ar, r.ID, people, groups)
	if err != nil {
		return err
	}
	if len(newP)+len(newG) > 0 || len(minus(oldP, people))+len(minus(oldG, groups)) > 0 {
		c.fields = append(c.fields, "assignees")
		if err := addHistory(c.tx, r.ID, c.sc.a.MembershipID, "assignees", strconv.Itoa(len(oldP)+len(oldG)),
			strconv.Itoa(len(people)+len(groups)), c.at); err != nil {
			return err
		}
	}
	return c.s.notifyAssigned(ctx, c.tx, c.sc.a, c.sc.ar, r, newP, newG)
}

// save writes the changed row with the next version.
func (c *changes) save() error {
	r := &c.sc.t
	r.Version++
	r.UpdatedAt = c.at
	r.AttentionOn = attention(r)
	n, err := c.tx.ExecCount(`UPDATE tasks SET title = ?, description = ?, status_id = ?, category = ?, priority = ?, start_on = ?,
		due_on = ?, due_time = ?, due_from = ?, due_workdays = ?, milestone = ?, rank = ?, parent_id = ?, attention_on = ?,
		version = ?, updated_at = ?, closed_at = ? WHERE tenant_id = @tenant AND id = ? AND version = ?`,
		r.Title, r.Description, r.StatusID, string(r.Category), int(r.Priority), r.StartOn, r.DueOn, r.DueTime, r.DueFrom, r.DueWorkdays,
		r.Milestone, r.Rank, r.ParentID, r.AttentionOn, r.Version, r.UpdatedAt, r.ClosedAt, r.ID, r.Version-1)
	if err != nil {
		return fmt.Errorf("tasks: update: %w", err)
	}
	if n != 1 {
		return errs.Plain(errs.PreconditionFailed)
	}
	return nil
}
