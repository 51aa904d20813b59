package tasks

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/google/uuid"
	"github.com/kollab/kollab/internal/db"
	"github.com/kollab/kollab/internal/errs"
	"github.com/kollab/kollab/tenant"
)

// place moves row id of table to index pos (clamped to the end) among the
// rows whose column col is scopeID, in (position, id) order, and numbers
// them 0, 1, 2, … It returns the row's index before and after. table and
// col are constants of this package.
func place(tx *db.Tx, table, col string, scopeID, id uuid.UUID, pos int) (from, to int, err error) {
	var ids []uuid.UUID
	if err := tx.Table(table).Where(col+" = ?", scopeID).Order("position, id").Limit(MaxChecklists*MaxChecklistItems).
		Pluck("id", &ids).Error; err != nil {
		return 0, 0, fmt.Errorf("tasks: read positions: %w", err)
	}
	from = -1
	for i, x := range ids {
		if x == id {
			from = i
		}
	}
	if from < 0 {
		return 0, 0, errNotFound()
	}
	rest := append(append([]uuid.UUID{}, ids[:from]...), ids[from+1:]...)
	to = min(pos, len(rest))
	order := append(append(append([]uuid.UUID{}, rest[:to]...), id), rest[to:]...)
	for i, x := range order {
		if _, err := tx.ExecCount("UPDATE "+table+" SET position = ? WHERE tenant_id = @tenant AND id = ? AND position <> ?", i, x, i); err != nil {
			return 0, 0, fmt.Errorf("tasks: set position: %w", err)
		}
	}
	return from, to, nil
}

// positionLabel is a moved list or item as the task's history shows it.
func positionLabel(what string, index int) string {
	return what + " (Position " + strconv.Itoa(index+1) + ")"
}

// loadItem reads item id of task (NotFound for another task's).
func loadItem(tx *db.Tx, task, id uuid.UUID) (*itemRow, error) {
	var rows []itemRow
	if err := tx.Table(itemsTable).Where("task_id = ? AND id = ?", task, id).Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("tasks: read checklist item: %w", err)
	}
	if len(rows) == 0 {
		return nil, errNotFound()
	}
	return &rows[0], nil
}

func readItem(tx *db.Tx, task, id uuid.UUID) (*ChecklistItem, error) {
	items, err := readItems(tx, task, uuid.Nil, id)
	if err != nil || len(items) != 1 {
		return nil, fmt.Errorf("tasks: read checklist item back: %v", err)
	}
	return &items[0], nil
}

// ItemInput is a new checklist item.
type ItemInput struct {
	Text     string
	Required bool
	// Position places the item in its list (nil: at the end).
	Position *int
}

// AddChecklistItem adds an item to a checklist of a task (writers of its
// workspace, guests among them).
func (s *Service) AddChecklistItem(ctx context.Context, a tenant.Actor, task, checklist uuid.UUID, in ItemInput) (*ChecklistItem, error) {
	text, err := checkItemText("text", in.Text)
	if err != nil {
		return nil, err
	}
	if err := checkPosition(in.Position); err != nil {
		return nil, err
	}
	var out *ChecklistItem
	err = s.run(ctx, a, func(tx *db.Tx) error {
		sc, err := checklistScope(tx, a, task)
		if err != nil {
			return err
		}
		cl, err := loadChecklist(tx, task, checklist)
		if err != nil {
			return err
		}
		if in.Required {
			if err := sc.keepDone(); err != nil {
				return err
			}
		}
		var pos struct {
			N   int64 `gorm:"column:n"`
			Max *int  `gorm:"column:max_pos"`
		}
		if err := tx.Raw("SELECT count(*) AS n, max(position) AS max_pos FROM task_checklist_items WHERE tenant_id = @tenant AND checklist_id = ?",
			checklist).Scan(&pos).Error; err != nil {
			return fmt.Errorf("tasks: count checklist items: %w", err)
		}
		if pos.N >= MaxChecklistItems {
			return errs.New(errs.Conflict, errs.M("tasks.too-many-checklist-items", "Eine Prüfliste hat höchstens 200 Punkte.", "A checklist has at most 200 items."))
		}
		r := &itemRow{TenantID: tx.TenantID(), ID: db.NewID(), ChecklistID: checklist, TaskID: task, Text: text, Required: in.Required}
		if pos.Max != nil {
			r.Position = *pos.Max + 1
		}
		if err := tx.Create(itemsTable, r); err != nil {
			return fmt.Errorf("tasks: add checklist item: %w", err)
		}
		if in.Position != nil {
			if _, _, err := place(tx, itemsTable, "checklist_id", checklist, r.ID, *in.Position); err != nil {
				return err
			}
		}
		if err := addHistory(tx, task, a.MembershipID, historyField, "", itemLabel(text, in.Required, false), s.now()); err != nil {
			return err
		}
		if err := sc.record(ctx, tx, ActionItemAdded, map[string]string{"checklist": cl.Title, "item": clip(text, 200)}); err != nil {
			return err
		}
		out, err = readItem(tx, task, r.ID)
		return err
	})
	return out, err
}

// ItemPatch changes a checklist item; nil leaves a field as it is.
type ItemPatch struct {
	// Done ticks (true) or unticks (false) the item.
	Done     *bool
	Text     *string
	Required *bool
	Position *int
}

// UpdateChecklistItem ticks, unticks, rewords, flags or moves an item
// (writers of the task's workspace, guests among them). Making a required
// item optional is for the workspace's owners and admins; on a task that
// is done, no required item may become open.
func (s *Service) UpdateChecklistItem(ctx context.Context, a tenant.Actor, task, item uuid.UUID, p ItemPatch) (*ChecklistItem, error) {
	if p.Text != nil {
		t, err := checkItemText("text", *p.Text)
		if err != nil {
			return nil, err
		}
		p.Text = &t
	}
	if err := checkPosition(p.Position); err != nil {
		return nil, err
	}
	var out *ChecklistItem
	err := s.run(ctx, a, func(tx *db.Tx) error {
		sc, err := checklistScope(tx, a, task)
		if err != nil {
			return err
		}
		it, err := loadItem(tx, task, item)
		if err != nil {
			return err
		}
		ch := &itemChange{s: s, tx: tx, sc: sc, old: *it, new: *it, at: s.now()}
		if err := ch.apply(&p); err != nil {
			return err
		}
		if err := ch.save(ctx); err != nil {
			return err
		}
		out, err = readItem(tx, task, item)
		return err
	})
	return out, err
}

// itemChange is one change of a checklist item: the row before and after.
type itemChange struct {
	s        *Service
	tx       *db.Tx
	sc       *scope
	old, new itemRow
	at       time.Time
	// edited: text, flag or place changed; ticked: done changed.
	edited, ticked bool
}

func (c *itemChange) apply(p *ItemPatch) error {
	n := &c.new
	if p.Text != nil && *p.Text != n.Text {
		n.Text, c.edited = *p.Text, true
	}
	if p.Required != nil && *p.Required != n.Required {
		if !*p.Required {
			if err := c.sc.needManage(); err != nil {
				return err
			}
		}
		n.Required, c.edited = *p.Required, true
	}
	if p.Done != nil && *p.Done != (n.DoneAt != nil) {
		c.ticked = true
		if *p.Done {
			at, by := c.at, c.sc.a.MembershipID
			n.DoneAt, n.DoneBy = &at, &by
		} else {
			n.DoneAt, n.DoneBy = nil, nil
		}
	}
	if n.Required && n.DoneAt == nil && (c.old.DoneAt != nil || !c.old.Required) {
		if err := c.sc.keepDone(); err != nil {
			return err
		}
	}
	if p.Position != nil {
		from, to, err := place(c.tx, itemsTable, "checklist_id", n.ChecklistID, n.ID, *p.Position)
		if err != nil {
			return err
		}
		if from != to {
			c.edited = true
			label := itemLabel(n.Text, n.Required, n.DoneAt != nil)
			return addHistory(c.tx, n.TaskID, c.sc.a.MembershipID, historyField, positionLabel(label, from), positionLabel(label, to), c.at)
		}
	}
	return nil
}

// save writes the item, its history and the audit events.
func (c *itemChange) save(ctx context.Context) error {
	o, n := &c.old, &c.new
	if !c.edited && !c.ticked {
		return nil
	}
	if _, err := c.tx.ExecCount("UPDATE task_checklist_items SET text = ?, required = ?, done_at = ?, done_by = ? WHERE tenant_id = @tenant AND id = ?",
		n.Text, n.Required, n.DoneAt, n.DoneBy, n.ID); err != nil {
		return fmt.Errorf("tasks: update checklist item: %w", err)
	}
	before, after := itemLabel(o.Text, o.Required, o.DoneAt != nil), itemLabel(n.Text, n.Required, n.DoneAt != nil)
	if before != after {
		if err := addHistory(c.tx, n.TaskID, c.sc.a.MembershipID, historyField, before, after, c.at); err != nil {
			return err
		}
	}
	details := func() map[string]string {
		return map[string]string{"item": clip(n.Text, 200), "checklist_id": n.ChecklistID.String()}
	}
	if c.edited {
		if err := c.sc.record(ctx, c.tx, ActionItemUpdated, details()); err != nil {
			return err
		}
	}
	if c.ticked && n.DoneAt != nil {
		return c.sc.record(ctx, c.tx, ActionItemTicked, details())
	}
	if c.ticked {
		return c.sc.record(ctx, c.tx, ActionItemUnticked, details())
	}
	return nil
}

// DeleteChecklistItem removes an item (writers; a required one: owners of
// the workspace and admins).
func (s *Service) DeleteChecklistItem(ctx context.Context, a tenant.Actor, task, item uuid.UUID) error {
	return s.run(ctx, a, func(tx *db.Tx) error {
		sc, err := checklistScope(tx, a, task)
		if err != nil {
			return err
		}
		it, err := loadItem(tx, task, item)
		if err != nil {
			return err
		}
		if it.Required {
			if err := sc.needManage(); err != nil {
				return err
			}
		}
		if _, err := tx.ExecCount("DELETE FROM task_checklist_items WHERE tenant_id = @tenant AND id = ?", item); err != nil {
			return fmt.Errorf("tasks: delete checklist item: %w", err)
		}
		if err := addHistory(tx, task, a.MembershipID, historyField, itemLabel(it.Text, it.Required, it.DoneAt != nil), "", s.now()); err != nil {
			return err
		}
		return sc.record(ctx, tx, ActionItemDeleted, map[string]string{"item": clip(it.Text, 200), "checklist_id": it.ChecklistID.String()})
	})
}
