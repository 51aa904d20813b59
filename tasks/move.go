package tasks

import (
	"context"
	"fmt"

	"github.com/google/uuid"
	"github.com/kollab/kollab/internal/db"
	"github.com/kollab/kollab/internal/errs"
	"github.com/kollab/kollab/tenant"
)

// Move places a task on its workspace's board: into column StatusID,
// after task AfterID (nil: at the top). The board's drag and drop and its
// keyboard alternative both send this.
type Move struct {
	StatusID uuid.UUID
	AfterID  *uuid.UUID
}

// MoveTask moves a task on the board (writers of its workspace). ifMatch
// (0: any) is the version the caller last read. Moving into a done column
// needs the required checklist items ticked.
func (s *Service) MoveTask(ctx context.Context, a tenant.Actor, id uuid.UUID, ifMatch int64, m Move) (*Task, error) {
	var out *Task
	err := s.run(ctx, a, func(tx *db.Tx) error {
		sc, err := loadTask(tx, a, id, true)
		if err != nil {
			return err
		}
		if err := sc.ar.needWrite(); err != nil {
			return err
		}
		if ifMatch != 0 && sc.t.Version != ifMatch {
			return errs.Plain(errs.PreconditionFailed)
		}
		ch := &changes{s: s, tx: tx, sc: sc, at: s.now()}
		if m.StatusID != sc.t.StatusID {
			if err := ch.status(m.StatusID); err != nil {
				return err
			}
		}
		rank, err := rankAfter(tx, sc.t.WorkspaceID, m.StatusID, id, m.AfterID)
		if err != nil {
			return err
		}
		sc.t.Rank = rank
		ch.fields = append(ch.fields, "rank")
		if err := ch.save(); err != nil {
			return err
		}
		if err := s.reportBack(ctx, tx, a, &sc.t); err != nil { // decisions.go
			return err
		}
		if err := a.Record(ctx, tx, ActionMoved, targetType, id, map[string]string{"title": sc.t.Title, "status_id": m.StatusID.String()}); err != nil {
			return err
		}
		out, err = s.get(tx, a, id)
		return err
	})
	return out, err
}

// rankAfter is a rank that places a task of column status after task
// after (nil: before the column's first task), between it and the next.
func rankAfter(tx *db.Tx, ws, status, self uuid.UUID, after *uuid.UUID) (float64, error) {
	type rk struct {
		Rank float64 `gorm:"column:rank"`
	}
	var next []rk
	q := tx.Table(tasksTable).Select("rank").Where("workspace_id = ? AND status_id = ? AND id <> ?", ws, status, self)
	if after == nil {
		if err := q.Order("rank, id").Limit(1).Scan(&next).Error; err != nil {
			return 0, fmt.Errorf("tasks: read rank: %w", err)
		}
		if len(next) == 0 {
			return rankStep, nil
		}
		return next[0].Rank - rankStep, nil
	}
	var prev []rk
	if err := tx.Table(tasksTable).Select("rank").Where("workspace_id = ? AND status_id = ? AND id = ?", ws, status, *after).Scan(&prev).Error; err != nil {
		return 0, fmt.Errorf("tasks: read rank: %w", err)
	}
	if len(prev) == 0 || *after == self {
		return 0, errs.InvalidField("after_id", errs.M("tasks.after-not-in-column", "Die Aufgabe, hinter die verschoben werden soll, steht nicht in dieser Spalte.", "The task to move behind is not in this column."))
	}
	if err := q.Where("rank > ?", prev[0].Rank).Order("rank, id").Limit(1).Scan(&next).Error; err != nil {
		return 0, fmt.Errorf("tasks: read rank: %w", err)
	}
	if len(next) == 0 {
		return prev[0].Rank + rankStep, nil
	}
	if next[0].Rank-prev[0].Rank < 1e-6 {
		if err := respace(tx, ws, status); err != nil {
			return 0, err
		}
		return rankAfter(tx, ws, status, self, after)
	}
	return (prev[0].Rank + next[0].Rank) / 2, nil
}

// respace renumbers a board column's ranks with even gaps (after many
// moves into one gap). A column holds at most MaxTasksPerWorkspace tasks.
func respace(tx *db.Tx, ws, status uuid.UUID) error {
	var ids []uuid.UUID
	if err := tx.Table(tasksTable).Where("workspace_id = ? AND status_id = ?", ws, status).Order("rank, id").
		Limit(MaxTasksPerWorkspace).Pluck("id", &ids).Error; err != nil {
		return fmt.Errorf("tasks: read column: %w", err)
	}
	for i, id := range ids {
		if _, err := tx.ExecCount("UPDATE tasks SET rank = ? WHERE tenant_id = @tenant AND id = ?", float64((i+1)*rankStep), id); err != nil {
			return fmt.Errorf("tasks: respace: %w", err)
		}
	}
	return nil
}
