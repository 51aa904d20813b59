package tasks

import (
	"context"
	"fmt"

	"github.com/google/uuid"
	"github.com/kollab/kollab/internal/db"
	"github.com/kollab/kollab/tenant"
)

// Watch makes the caller watch a task, or stop watching it (every member
// of its workspace, readers too): watchers are told of new comments.
func (s *Service) Watch(ctx context.Context, a tenant.Actor, id uuid.UUID, on bool) (*Task, error) {
	var out *Task
	err := s.run(ctx, a, func(tx *db.Tx) error {
		sc, err := loadTask(tx, a, id, false)
		if err != nil {
			return err
		}
		in, err := membersOf(tx, sc.t.WorkspaceID, []uuid.UUID{a.MembershipID})
		if err != nil {
			return err
		}
		if !in[a.MembershipID] {
			return errForbidden() // an admin outside the workspace reads, but is no member to tell
		}
		if on {
			err = addWatchers(tx, id, []uuid.UUID{a.MembershipID}, s.now())
		} else if _, err = tx.ExecCount("DELETE FROM task_watchers WHERE tenant_id = @tenant AND task_id = ? AND membership_id = ?", id, a.MembershipID); err != nil {
			err = fmt.Errorf("tasks: unwatch: %w", err)
		}
		if err != nil {
			return err
		}
		out, err = s.get(tx, a, id)
		return err
	})
	return out, err
}

// LabelCount is a label used in a workspace and how many tasks carry it.
type LabelCount struct {
	Label string `gorm:"column:label"`
	Count int    `gorm:"column:n"`
}

// MaxLabelList bounds the labels listed for a workspace.
const MaxLabelList = 200

// Labels lists the labels of a workspace's tasks, most used first (members):
// what the label field offers.
func (s *Service) Labels(ctx context.Context, a tenant.Actor, ws uuid.UUID) ([]LabelCount, error) {
	out := []LabelCount{}
	err := s.run(ctx, a, func(tx *db.Tx) error {
		if _, err := loadArea(tx, a, ws); err != nil {
			return err
		}
		return tx.Raw(`SELECT l.label, count(*) AS n FROM task_labels l JOIN tasks t ON t.tenant_id = l.tenant_id AND t.id = l.task_id
			WHERE l.tenant_id = @tenant AND t.workspace_id = ? GROUP BY l.label ORDER BY n DESC, l.label LIMIT ?`, ws, MaxLabelList).Scan(&out).Error
	})
	return out, err
}
