package tasks

import (
	"fmt"

	"github.com/google/uuid"
	"github.com/kollab/kollab/internal/db"
	"github.com/kollab/kollab/tenant"
)

// hydrate fills the tasks' status names, labels, people and progress with
// one query each (a page holds at most MaxPage tasks).
func (s *Service) hydrate(tx *db.Tx, ts []Task) error {
	if len(ts) == 0 {
		return nil
	}
	ids := make([]uuid.UUID, len(ts))
	at := make(map[uuid.UUID]*Task, len(ts))
	now := s.clock()
	for i := range ts {
		ids[i] = ts[i].ID
		at[ts[i].ID] = &ts[i]
		ts[i].Overdue = overdue(&ts[i], now, tenant.Berlin)
	}
	for _, f := range []func(*db.Tx, []uuid.UUID, map[uuid.UUID]*Task) error{hydrateStatus, hydrateLabels, hydrateAssignees,
		hydrateWatchers, hydrateProgress, hydrateSignedOff} {
		if err := f(tx, ids, at); err != nil {
			return err
		}
	}
	return nil
}

func hydrateStatus(tx *db.Tx, ids []uuid.UUID, at map[uuid.UUID]*Task) error {
	var rows []struct {
		ID   uuid.UUID `gorm:"column:id"`
		Name string    `gorm:"column:name"`
	}
	if err := tx.Raw(`SELECT t.id, s.name FROM tasks t JOIN task_statuses s ON s.tenant_id = t.tenant_id AND s.id = t.status_id
		WHERE t.tenant_id = @tenant AND t.id IN ?`, ids).Scan(&rows).Error; err != nil {
		return fmt.Errorf("tasks: read status names: %w", err)
	}
	for _, r := range rows {
		at[r.ID].StatusName = r.Name
	}
	return nil
}

func hydrateLabels(tx *db.Tx, ids []uuid.UUID, at map[uuid.UUID]*Task) error {
	var rows []struct {
		TaskID uuid.UUID `gorm:"column:task_id"`
		Label  string    `gorm:"column:label"`
	}
	if err := tx.Table(labelsTable).Select("task_id, label").Where("task_id IN ?", ids).Order("label").Scan(&rows).Error; err != nil {
		return fmt.Errorf("tasks: read labels: %w", err)
	}
	for _, r := range rows {
		at[r.TaskID].Labels = append(at[r.TaskID].Labels, r.Label)
	}
	return nil
}

func hydrateAssignees(tx *db.Tx, ids []uuid.UUID, at map[uuid.UUID]*Task) error {
	var rows []struct {
		TaskID       uuid.UUID  `gorm:"column:task_id"`
		MembershipID *uuid.UUID `gorm:"column:membership_id"`
		GroupID      *uuid.UUID `gorm:"column:group_id"`
		Name         *string    `gorm:"column:name"`
		GroupName    *string    `gorm:"column:group_name"`
		Role         *string    `gorm:"column:role"`
	}
	if err := tx.Raw(`SELECT ta.task_id, ta.membership_id, ta.group_id, u.display_name AS name, g.name AS group_name, m.role
		FROM task_assignees ta
		LEFT JOIN memberships m ON m.tenant_id = ta.tenant_id AND m.id = ta.membership_id
		LEFT JOIN users u ON u.id = m.user_id
		LEFT JOIN groups g ON g.tenant_id = ta.tenant_id AND g.id = ta.group_id
		WHERE ta.tenant_id = @tenant AND ta.task_id IN ? ORDER BY ta.created_at, u.display_name, g.name`, ids).Scan(&rows).Error; err != nil {
		return fmt.Errorf("tasks: read assignees: %w", err)
	}
	for _, r := range rows {
		as := Assignee{MembershipID: r.MembershipID, GroupID: r.GroupID, Name: str(r.Name)}
		if r.GroupID != nil {
			as.Name = str(r.GroupName)
		}
		as.Guest = str(r.Role) == string(tenant.RolePartner)
		at[r.TaskID].Assignees = append(at[r.TaskID].Assignees, as)
	}
	return nil
}

func hydrateWatchers(tx *db.Tx, ids []uuid.UUID, at map[uuid.UUID]*Task) error {
	var rows []struct {
		TaskID       uuid.UUID `gorm:"column:task_id"`
		MembershipID uuid.UUID `gorm:"column:membership_id"`
		Name         *string   `gorm:"column:name"`
	}
	if err := tx.Raw(`SELECT tw.task_id, tw.membership_id, u.display_name AS name FROM task_watchers tw
		LEFT JOIN memberships m ON m.tenant_id = tw.tenant_id AND m.id = tw.membership_id
		LEFT JOIN users u ON u.id = m.user_id
		WHERE tw.tenant_id = @tenant AND tw.task_id IN ? ORDER BY u.display_name`, ids).Scan(&rows).Error; err != nil {
		return fmt.Errorf("tasks: read watchers: %w", err)
	}
	for _, r := range rows {
		at[r.TaskID].Watchers = append(at[r.TaskID].Watchers, Person{MembershipID: r.MembershipID, Name: str(r.Name)})
	}
	return nil
}

// hydrateProgress counts checklist items, subtasks and open blockers.
func hydrateProgress(tx *db.Tx, ids []uuid.UUID, at map[uuid.UUID]*Task) error {
	var items []struct {
		TaskID       uuid.UUID `gorm:"column:task_id"`
		Total        int       `gorm:"column:total"`
		Done         int       `gorm:"column:done"`
		RequiredOpen int       `gorm:"column:required_open"`
	}
	if err := tx.Raw(`SELECT task_id, count(*) AS total, count(done_at) AS done,
		sum(CASE WHEN required AND done_at IS NULL THEN 1 ELSE 0 END) AS required_open
		FROM task_checklist_items WHERE tenant_id = @tenant AND task_id IN ? GROUP BY task_id`, ids).Scan(&items).Error; err != nil {
		return fmt.Errorf("tasks: count checklist items: %w", err)
	}
	for _, r := range items {
		t := at[r.TaskID]
		t.ChecklistTotal, t.ChecklistDone, t.RequiredOpen = r.Total, r.Done, r.RequiredOpen
	}
	var subs []struct {
		ParentID uuid.UUID `gorm:"column:parent_id"`
		Total    int       `gorm:"column:total"`
		Done     int       `gorm:"column:done"`
	}
	if err := tx.Raw(`SELECT parent_id, count(*) AS total, sum(CASE WHEN category IN ('done', 'cancelled') THEN 1 ELSE 0 END) AS done
		FROM tasks WHERE tenant_id = @tenant AND parent_id IN ? GROUP BY parent_id`, ids).Scan(&subs).Error; err != nil {
		return fmt.Errorf("tasks: count subtasks: %w", err)
	}
	for _, r := range subs {
		at[r.ParentID].SubtasksTotal, at[r.ParentID].SubtasksDone = r.Total, r.Done
	}
	var blocked []uuid.UUID
	if err := tx.Raw(`SELECT DISTINCT l.to_id FROM task_links l JOIN tasks f ON f.tenant_id = l.tenant_id AND f.id = l.from_id
		WHERE l.tenant_id = @tenant AND l.kind = 'blocks' AND l.to_id IN ? AND f.category NOT IN ('done', 'cancelled')`, ids).
		Scan(&blocked).Error; err != nil {
		return fmt.Errorf("tasks: read blockers: %w", err)
	}
	for _, id := range blocked {
		at[id].Blocked = true
	}
	return nil
}
