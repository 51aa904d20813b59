package tasks

// Checklists (Prüflisten) of a task: several lists, each with items that
// may be required; a task whose required items are open cannot be done
// (needChecklistDone). Changing a checklist never bumps the task's
// version, so that a guest ticking an item does not break another
// person's open edit of the task; every change is in the task's history
// and the audit log all the same. Every change locks the task's row: the
// done rule and the bounds hold against concurrent writers.

import (
	"context"
	"fmt"
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"
	"github.com/kollab/kollab/internal/db"
	"github.com/kollab/kollab/internal/errs"
	"github.com/kollab/kollab/internal/input"
	"github.com/kollab/kollab/tenant"
)

// Checklist limits.
const (
	MaxChecklists        = 20
	MaxChecklistItems    = 200
	MaxChecklistTitleLen = 200
	MaxItemLen           = 500
	// MaxPosition bounds a position the caller names (it is clamped to the end).
	MaxPosition = 10000
)

// Audit actions of checklists (target: the task).
const (
	ActionChecklistCreated = "tasks.checklist.created"
	ActionChecklistUpdated = "tasks.checklist.updated"
	ActionChecklistDeleted = "tasks.checklist.deleted"
	ActionItemAdded        = "tasks.checklist.item_added"
	ActionItemUpdated      = "tasks.checklist.item_updated"
	ActionItemTicked       = "tasks.checklist.item_ticked"
	ActionItemUnticked     = "tasks.checklist.item_unticked"
	ActionItemDeleted      = "tasks.checklist.item_deleted"
)

// historyField is the task history's field for every checklist change.
const historyField = "checklist"

// Checklist is one checklist of a task with its items in order.
type Checklist struct {
	ID       uuid.UUID
	TaskID   uuid.UUID
	Title    string
	Position int
	// TemplateID and TemplateVersion name the template version the list was
	// copied from (nil and 0: made by hand); TemplateName is that version's name.
	TemplateID      *uuid.UUID
	TemplateVersion int64
	TemplateName    string
	CreatedAt       time.Time
	Items           []ChecklistItem
}

// ChecklistItem is one point of a checklist.
type ChecklistItem struct {
	ID          uuid.UUID
	ChecklistID uuid.UUID
	Text        string
	Required    bool
	Position    int
	// DoneAt and DoneBy: ticked when, by whom (nil: open).
	DoneAt     *time.Time
	DoneBy     *uuid.UUID
	DoneByName string
}

// ChecklistSet is a task's checklists as the caller sees them.
type ChecklistSet struct {
	Lists []Checklist
	// Done of Total items are ticked; RequiredOpen required ones are not.
	Done, Total, RequiredOpen int
	// CanWrite: the caller may change the lists and tick items.
	CanWrite bool
	// CanManage: the caller may also remove required items or make them
	// optional (owners of the workspace and admins).
	CanManage bool
}

type checklistRow struct {
	TenantID        uuid.UUID  `gorm:"column:tenant_id"`
	ID              uuid.UUID  `gorm:"column:id"`
	TaskID          uuid.UUID  `gorm:"column:task_id"`
	Title           string     `gorm:"column:title"`
	Position        int        `gorm:"column:position"`
	TemplateID      *uuid.UUID `gorm:"column:template_id"`
	TemplateVersion *int64     `gorm:"column:template_version"`
	CreatedAt       time.Time  `gorm:"column:created_at"`
	// TemplateName is read with the list (the template version's name), never written.
	TemplateName *string `gorm:"column:template_name;->"`
}

// OwnerTenant implements db.TenantOwned.
func (r *checklistRow) OwnerTenant() uuid.UUID { return r.TenantID }

type itemRow struct {
	TenantID    uuid.UUID  `gorm:"column:tenant_id"`
	ID          uuid.UUID  `gorm:"column:id"`
	ChecklistID uuid.UUID  `gorm:"column:checklist_id"`
	TaskID      uuid.UUID  `gorm:"column:task_id"`
	Text        string     `gorm:"column:text"`
	Required    bool       `gorm:"column:required"`
	Position    int        `gorm:"column:position"`
	DoneAt      *time.Time `gorm:"column:done_at"`
	DoneBy      *uuid.UUID `gorm:"column:done_by"`
	// DoneByName is read with the item, never written.
	DoneByName *string `gorm:"column:done_by_name;->"`
}

// OwnerTenant implements db.TenantOwned.
func (r *itemRow) OwnerTenant() uuid.UUID { return r.TenantID }

func checkChecklistTitle(field, s string) (string, error) {
	t, err := input.Line(field, s)
	if err != nil {
		return "", err
	}
	if n := utf8.RuneCountInString(t); n < 1 || n > MaxChecklistTitleLen {
		return "", errs.InvalidField(field, errs.M("tasks.checklist-title-length", "Bitte einen Titel der Prüfliste mit 1 bis 200 Zeichen angeben.", "Please give the checklist a title of 1 to 200 characters."))
	}
	return t, nil
}

func checkItemText(field, s string) (string, error) {
	t, err := input.Line(field, s)
	if err != nil {
		return "", err
	}
	if n := utf8.RuneCountInString(t); n < 1 || n > MaxItemLen {
		return "", errs.InvalidField(field, errs.M("tasks.checklist-item-length", "Ein Punkt der Prüfliste hat 1 bis 500 Zeichen.", "A checklist item has 1 to 500 characters."))
	}
	return t, nil
}

func checkPosition(p *int) error {
	if p != nil && (*p < 0 || *p > MaxPosition) {
		return errs.InvalidField("position", errs.M("tasks.checklist-position", "Die Position liegt zwischen 0 und 10000.", "The position lies between 0 and 10000."))
	}
	return nil
}

// itemLabel is an item as the task's history shows it.
func itemLabel(text string, required, done bool) string {
	mark := "☐ "
	if done {
		mark = "✓ "
	}
	if required {
		return mark + text + " (Pflicht)"
	}
	return mark + text
}

// checklistScope loads task for a change of its checklists: writers of an
// active workspace only; the task's row is locked.
func checklistScope(tx *db.Tx, a tenant.Actor, task uuid.UUID) (*scope, error) {
	sc, err := loadTask(tx, a, task, true)
	if err != nil {
		return nil, err
	}
	if err := sc.ar.needWrite(); err != nil {
		return nil, err
	}
	return sc, nil
}

// needManage: removing a required item, or making it optional, is for the
// workspace's owners and admins (the process the list stands for stays).
func (sc *scope) needManage() error {
	if !sc.ar.owner() {
		return errs.New(errs.Forbidden, errs.M("tasks.checklist-required-owner",
			"Pflichtpunkte entfernen oder zu freiwilligen Punkten machen können nur die Eigentümer des Arbeitsraums.",
			"Only the workspace's owners can remove required items or make them optional."))
	}
	return nil
}

// keepDone refuses a new open required item on a task that is done.
func (sc *scope) keepDone() error {
	if sc.t.Category == Done {
		return errs.New(errs.Conflict, errs.M("tasks.checklist-task-done",
			"Die Aufgabe ist erledigt. Setzen Sie sie zuerst wieder auf einen offenen Status, dann lassen sich offene Pflichtpunkte hinzufügen.",
			"The task is done. Set it back to an open status first; then open required items can be added."))
	}
	return nil
}

// record writes an audit event about a checklist change of the scope's task.
func (sc *scope) record(ctx context.Context, tx *db.Tx, action string, details map[string]string) error {
	details["title"] = sc.t.Title
	return sc.a.Record(ctx, tx, action, targetType, sc.t.ID, details)
}

// Checklists reads a task's checklists with their items (members of its workspace).
func (s *Service) Checklists(ctx context.Context, a tenant.Actor, task uuid.UUID) (*ChecklistSet, error) {
	var out *ChecklistSet
	err := s.run(ctx, a, func(tx *db.Tx) error {
		sc, err := loadTask(tx, a, task, false)
		if err != nil {
			return err
		}
		lists, err := readChecklists(tx, task, uuid.Nil)
		if err != nil {
			return err
		}
		out = &ChecklistSet{Lists: lists, CanWrite: sc.ar.canWrite(), CanManage: sc.ar.canWrite() && sc.ar.owner()}
		for _, l := range lists {
			for _, it := range l.Items {
				out.Total++
				switch {
				case it.DoneAt != nil:
					out.Done++
				case it.Required:
					out.RequiredOpen++
				}
			}
		}
		return nil
	})
	return out, err
}

// readChecklists reads a task's checklists (only one when only is set) with their items.
func readChecklists(tx *db.Tx, task, only uuid.UUID) ([]Checklist, error) {
	var rows []checklistRow
	q := `SELECT c.*, v.name AS template_name FROM task_checklists c
		LEFT JOIN checklist_template_versions v ON v.tenant_id = c.tenant_id AND v.template_id = c.template_id AND v.version = c.template_version
		WHERE c.tenant_id = @tenant AND c.task_id = ?`
	args := []any{task}
	if only != uuid.Nil {
		q += " AND c.id = ?"
		args = append(args, only)
	}
	if err := tx.Raw(q+" ORDER BY c.position, c.id LIMIT ?", append(args, MaxChecklists)...).Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("tasks: read checklists: %w", err)
	}
	out := make([]Checklist, len(rows))
	at := make(map[uuid.UUID]*Checklist, len(rows))
	for i, r := range rows {
		out[i] = Checklist{ID: r.ID, TaskID: r.TaskID, Title: r.Title, Position: r.Position, TemplateID: r.TemplateID,
			TemplateName: str(r.TemplateName), CreatedAt: r.CreatedAt, Items: []ChecklistItem{}}
		if r.TemplateVersion != nil {
			out[i].TemplateVersion = *r.TemplateVersion
		}
		at[r.ID] = &out[i]
	}
	items, err := readItems(tx, task, only, uuid.Nil)
	if err != nil {
		return nil, err
	}
	for _, it := range items {
		if l := at[it.ChecklistID]; l != nil {
			l.Items = append(l.Items, it)
		}
	}
	return out, nil
}

// readItems reads the items of task in list order: of checklist list
// only, or item only, when set.
func readItems(tx *db.Tx, task, list, item uuid.UUID) ([]ChecklistItem, error) {
	var rows []itemRow
	q := `SELECT i.*, u.display_name AS done_by_name FROM task_checklist_items i
		LEFT JOIN memberships m ON m.tenant_id = i.tenant_id AND m.id = i.done_by
		LEFT JOIN users u ON u.id = m.user_id
		WHERE i.tenant_id = @tenant AND i.task_id = ?`
	args := []any{task}
	if list != uuid.Nil {
		q += " AND i.checklist_id = ?"
		args = append(args, list)
	}
	if item != uuid.Nil {
		q += " AND i.id = ?"
		args = append(args, item)
	}
	if err := tx.Raw(q+" ORDER BY i.position, i.id LIMIT ?", append(args, MaxChecklists*MaxChecklistItems)...).Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("tasks: read checklist items: %w", err)
	}
	out := make([]ChecklistItem, len(rows))
	for i, r := range rows {
		out[i] = ChecklistItem{ID: r.ID, ChecklistID: r.ChecklistID, Text: r.Text, Required: r.Required, Position: r.Position,
			DoneAt: r.DoneAt, DoneBy: r.DoneBy, DoneByName: str(r.DoneByName)}
	}
	return out, nil
}

// loadChecklist reads checklist id of task (NotFound for another task's).
func loadChecklist(tx *db.Tx, task, id uuid.UUID) (*checklistRow, error) {
	var rows []checklistRow
	if err := tx.Table(checklistsTable).Where("task_id = ? AND id = ?", task, id).Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("tasks: read checklist: %w", err)
	}
	if len(rows) == 0 {
		return nil, errNotFound()
	}
	return &rows[0], nil
}

// ChecklistInput is a new checklist: a title, or a template (of the
// task's workspace or the tenant) whose current version is copied; the
// title then defaults to the template's.
type ChecklistInput struct {
	Title      string
	TemplateID *uuid.UUID
	// Position places the list among the task's lists (nil: at the end).
	Position *int
}

// AddChecklist adds a checklist to a task (writers of its workspace).
func (s *Service) AddChecklist(ctx context.Context, a tenant.Actor, task uuid.UUID, in ChecklistInput) (*Checklist, error) {
	if in.Title != "" || in.TemplateID == nil {
		t, err := checkChecklistTitle("title", in.Title)
		if err != nil {
			return nil, err
		}
		in.Title = t
	}
	if err := checkPosition(in.Position); err != nil {
		return nil, err
	}
	var out *Checklist
	err := s.run(ctx, a, func(tx *db.Tx) error {
		sc, err := checklistScope(tx, a, task)
		if err != nil {
			return err
		}
		var tpl *appliedTemplate
		if in.TemplateID != nil {
			if tpl, err = usableTemplate(tx, a, sc.t.WorkspaceID, *in.TemplateID, "template_id"); err != nil {
				return err
			}
		}
		id, err := s.newChecklist(ctx, tx, sc, in.Title, tpl)
		if err != nil {
			return err
		}
		if in.Position != nil {
			if _, _, err := place(tx, checklistsTable, "task_id", task, id, *in.Position); err != nil {
				return err
			}
		}
		lists, err := readChecklists(tx, task, id)
		if err != nil || len(lists) != 1 {
			return fmt.Errorf("tasks: read checklist back: %v", err)
		}
		out = &lists[0]
		return nil
	})
	return out, err
}

// newChecklist writes a checklist at the end of the task's lists: empty,
// or with the items of template version tpl (title "" takes the template's).
func (s *Service) newChecklist(ctx context.Context, tx *db.Tx, sc *scope, title string, tpl *appliedTemplate) (uuid.UUID, error) {
	var pos struct {
		N   int64 `gorm:"column:n"`
		Max *int  `gorm:"column:max_pos"`
	}
	if err := tx.Raw("SELECT count(*) AS n, max(position) AS max_pos FROM task_checklists WHERE tenant_id = @tenant AND task_id = ?", sc.t.ID).
		Scan(&pos).Error; err != nil {
		return uuid.Nil, fmt.Errorf("tasks: count checklists: %w", err)
	}
	if pos.N >= MaxChecklists {
		return uuid.Nil, errs.New(errs.Conflict, errs.M("tasks.too-many-checklists", "Eine Aufgabe hat höchstens 20 Prüflisten.", "A task has at most 20 checklists."))
	}
	r := &checklistRow{TenantID: tx.TenantID(), ID: db.NewID(), TaskID: sc.t.ID, Title: title, CreatedAt: s.now()}
	if pos.Max != nil {
		r.Position = *pos.Max + 1
	}
	details := map[string]string{"checklist": r.Title}
	entry := r.Title
	if tpl != nil {
		if r.Title == "" {
			r.Title = tpl.checklistTitle()
		}
		v := tpl.row.Version
		r.TemplateID, r.TemplateVersion = &tpl.row.ID, &v
		entry = r.Title + " (Vorlage „" + tpl.row.Name + "“, Version " + strconv.FormatInt(v, 10) + ")"
		details = map[string]string{"checklist": r.Title, "template_id": tpl.row.ID.String(), "template_version": strconv.FormatInt(v, 10)}
	}
	if err := tx.Create(checklistsTable, r); err != nil {
		return uuid.Nil, fmt.Errorf("tasks: create checklist: %w", err)
	}
	if tpl != nil {
		if err := copyItems(tx, sc, r.ID, tpl.content.Items); err != nil {
			return uuid.Nil, err
		}
	}
	if err := addHistory(tx, sc.t.ID, sc.a.MembershipID, historyField, "", "+ "+entry, r.CreatedAt); err != nil {
		return uuid.Nil, err
	}
	return r.ID, sc.record(ctx, tx, ActionChecklistCreated, details)
}

// copyItems writes a template's items into checklist list.
func copyItems(tx *db.Tx, sc *scope, list uuid.UUID, items []storedItem) error {
	for i, it := range items {
		if it.Required {
			if err := sc.keepDone(); err != nil {
				return err
			}
		}
		r := &itemRow{TenantID: tx.TenantID(), ID: db.NewID(), ChecklistID: list, TaskID: sc.t.ID, Text: it.Text, Required: it.Required, Position: i}
		if err := tx.Create(itemsTable, r); err != nil {
			return fmt.Errorf("tasks: copy template item: %w", err)
		}
	}
	return nil
}

// ChecklistPatch renames or moves a checklist; nil leaves a field as it is.
type ChecklistPatch struct {
	Title    *string
	Position *int
}

// UpdateChecklist renames or moves a checklist (writers of the task's workspace).
func (s *Service) UpdateChecklist(ctx context.Context, a tenant.Actor, task, id uuid.UUID, p ChecklistPatch) (*Checklist, error) {
	if p.Title != nil {
		t, err := checkChecklistTitle("title", *p.Title)
		if err != nil {
			return nil, err
		}
		p.Title = &t
	}
	if err := checkPosition(p.Position); err != nil {
		return nil, err
	}
	var out *Checklist
	err := s.run(ctx, a, func(tx *db.Tx) error {
		sc, err := checklistScope(tx, a, task)
		if err != nil {
			return err
		}
		cl, err := loadChecklist(tx, task, id)
		if err != nil {
			return err
		}
		at, changed := s.now(), false
		if p.Title != nil && *p.Title != cl.Title {
			if _, err := tx.ExecCount("UPDATE task_checklists SET title = ? WHERE tenant_id = @tenant AND id = ?", *p.Title, id); err != nil {
				return fmt.Errorf("tasks: rename checklist: %w", err)
			}
			if err := addHistory(tx, task, a.MembershipID, historyField, cl.Title, *p.Title, at); err != nil {
				return err
			}
			cl.Title, changed = *p.Title, true
		}
		if p.Position != nil {
			from, to, err := place(tx, checklistsTable, "task_id", task, id, *p.Position)
			if err != nil {
				return err
			}
			if from != to {
				if err := addHistory(tx, task, a.MembershipID, historyField, positionLabel(cl.Title, from), positionLabel(cl.Title, to), at); err != nil {
					return err
				}
				changed = true
			}
		}
		if changed {
			if err := sc.record(ctx, tx, ActionChecklistUpdated, map[string]string{"checklist": cl.Title}); err != nil {
				return err
			}
		}
		lists, err := readChecklists(tx, task, id)
		if err != nil || len(lists) != 1 {
			return fmt.Errorf("tasks: read checklist back: %v", err)
		}
		out = &lists[0]
		return nil
	})
	return out, err
}

// DeleteChecklist removes a checklist with its items (writers; one with
// required items: owners of the workspace and admins).
func (s *Service) DeleteChecklist(ctx context.Context, a tenant.Actor, task, id uuid.UUID) error {
	return s.run(ctx, a, func(tx *db.Tx) error {
		sc, err := checklistScope(tx, a, task)
		if err != nil {
			return err
		}
		cl, err := loadChecklist(tx, task, id)
		if err != nil {
			return err
		}
		var required int64
		if err := tx.Table(itemsTable).Where("checklist_id = ? AND required = ?", id, true).Count(&required).Error; err != nil {
			return fmt.Errorf("tasks: count required items: %w", err)
		}
		if required > 0 {
			if err := sc.needManage(); err != nil {
				return err
			}
		}
		if _, err := tx.ExecCount("DELETE FROM task_checklists WHERE tenant_id = @tenant AND id = ?", id); err != nil {
			return fmt.Errorf("tasks: delete checklist: %w", err)
		}
		if err := addHistory(tx, task, a.MembershipID, historyField, cl.Title, "", s.now()); err != nil {
			return err
		}
		return sc.record(ctx, tx, ActionChecklistDeleted, map[string]string{"checklist": cl.Title})
	})
}
