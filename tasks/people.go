package tasks

import (
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/kollab/kollab/internal/db"
	"github.com/kollab/kollab/internal/errs"
)

// checkPeople makes sure every assignee and watcher is a member of the
// workspace and every group a group of the tenant.
func checkPeople(tx *db.Tx, ar *area, people, groups, watchers []uuid.UUID) error {
	all := append(append([]uuid.UUID{}, people...), watchers...)
	in, err := membersOf(tx, ar.ID, all)
	if err != nil {
		return err
	}
	for _, id := range people {
		if !in[id] {
			return errs.InvalidField("assignee_ids", errs.M("tasks.assignee-not-member", "Zuweisen lässt sich eine Aufgabe nur Mitgliedern des Arbeitsraums.", "A task can only be assigned to members of the workspace."))
		}
	}
	for _, id := range watchers {
		if !in[id] {
			return errs.InvalidField("watcher_ids", errs.M("tasks.watcher-not-member", "Beobachten können nur Mitglieder des Arbeitsraums.", "Only members of the workspace can watch a task."))
		}
	}
	if len(groups) > 0 {
		var n int64
		if err := tx.Table("groups").Where("id IN ?", groups).Count(&n).Error; err != nil {
			return fmt.Errorf("tasks: check groups: %w", err)
		}
		if n != int64(len(groups)) {
			return errs.InvalidField("group_ids", errs.M("tasks.group-unknown", "Diese Gruppe gibt es in diesem Mandanten nicht.", "This group does not exist in this tenant."))
		}
	}
	return nil
}

// setPeople writes a new task's assignees and watchers (checked first).
func (s *Service) setPeople(tx *db.Tx, ar *area, task uuid.UUID, people, groups, watchers []uuid.UUID) error {
	if err := checkPeople(tx, ar, people, groups, watchers); err != nil {
		return err
	}
	now := s.now()
	for _, id := range people {
		if _, err := tx.ExecCount("INSERT INTO task_assignees (tenant_id, id, task_id, membership_id, created_at) VALUES (@tenant, ?, ?, ?, ?)", db.NewID(), task, id, now); err != nil {
			return fmt.Errorf("tasks: assign: %w", err)
		}
	}
	for _, id := range groups {
		if _, err := tx.ExecCount("INSERT INTO task_assignees (tenant_id, id, task_id, group_id, created_at) VALUES (@tenant, ?, ?, ?, ?)", db.NewID(), task, id, now); err != nil {
			return fmt.Errorf("tasks: assign group: %w", err)
		}
	}
	return addWatchers(tx, task, watchers, now)
}

func addWatchers(tx *db.Tx, task uuid.UUID, ids []uuid.UUID, now time.Time) error {
	for _, id := range ids {
		if _, err := tx.ExecCount("INSERT INTO task_watchers (tenant_id, task_id, membership_id, created_at) VALUES (@tenant, ?, ?, ?) ON CONFLICT DO NOTHING",
			task, id, now); err != nil {
			return fmt.Errorf("tasks: watch: %w", err)
		}
	}
	return nil
}

func setLabels(tx *db.Tx, task uuid.UUID, labels []string) error {
	if _, err := tx.ExecCount("DELETE FROM task_labels WHERE tenant_id = @tenant AND task_id = ?", task); err != nil {
		return fmt.Errorf("tasks: clear labels: %w", err)
	}
	for _, l := range labels {
		if _, err := tx.ExecCount("INSERT INTO task_labels (tenant_id, task_id, label) VALUES (@tenant, ?, ?)", task, l); err != nil {
			return fmt.Errorf("tasks: label: %w", err)
		}
	}
	return nil
}

// assigned reads a task's assignees: memberships and groups.
func assigned(tx *db.Tx, task uuid.UUID) (people, groups []uuid.UUID, err error) {
	var rows []struct {
		MembershipID *uuid.UUID `gorm:"column:membership_id"`
		GroupID      *uuid.UUID `gorm:"column:group_id"`
	}
	if err := tx.Table(assigneesTable).Select("membership_id, group_id").Where("task_id = ?", task).Scan(&rows).Error; err != nil {
		return nil, nil, fmt.Errorf("tasks: read assignees: %w", err)
	}
	for _, r := range rows {
		if r.MembershipID != nil {
			people = append(people, *r.MembershipID)
		} else if r.GroupID != nil {
			groups = append(groups, *r.GroupID)
		}
	}
	return people, groups, nil
}

// replaceAssignees sets a task's assignees to people and groups and
// returns who is newly assigned (to be told).
func (s *Service) replaceAssignees(tx *db.Tx, ar *area, task uuid.UUID, people, groups []uuid.UUID) (newPeople, newGroups []uuid.UUID, err error) {
	if err := checkPeople(tx, ar, people, groups, nil); err != nil {
		return nil, nil, err
	}
	oldP, oldG, err := assigned(tx, task)
	if err != nil {
		return nil, nil, err
	}
	if _, err := tx.ExecCount("DELETE FROM task_assignees WHERE tenant_id = @tenant AND task_id = ?", task); err != nil {
		return nil, nil, fmt.Errorf("tasks: clear assignees: %w", err)
	}
	if err := s.setPeople(tx, ar, task, people, groups, nil); err != nil {
		return nil, nil, err
	}
	return minus(people, oldP), minus(groups, oldG), nil
}

func (s *Service) replaceWatchers(tx *db.Tx, ar *area, task uuid.UUID, ids []uuid.UUID) error {
	if err := checkPeople(tx, ar, nil, nil, ids); err != nil {
		return err
	}
	if _, err := tx.ExecCount("DELETE FROM task_watchers WHERE tenant_id = @tenant AND task_id = ?", task); err != nil {
		return fmt.Errorf("tasks: clear watchers: %w", err)
	}
	return addWatchers(tx, task, ids, s.now())
}

// minus is a without b.
func minus(a, b []uuid.UUID) []uuid.UUID {
	in := map[uuid.UUID]bool{}
	for _, id := range b {
		in[id] = true
	}
	var out []uuid.UUID
	for _, id := range a {
		if !in[id] {
			out = append(out, id)
		}
	}
	return out
}

// attach files document doc with task.
func attach(tx *db.Tx, task, doc, by uuid.UUID, now time.Time) error {
	if _, err := tx.ExecCount(`INSERT INTO task_documents (tenant_id, task_id, document_id, added_by, created_at)
		VALUES (@tenant, ?, ?, ?, ?) ON CONFLICT DO NOTHING`, task, doc, by, now); err != nil {
		return fmt.Errorf("tasks: attach document: %w", err)
	}
	return nil
}
