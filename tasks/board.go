package tasks

import (
	"context"
	"fmt"

	"github.com/google/uuid"
	"github.com/kollab/kollab/internal/db"
	"github.com/kollab/kollab/tenant"
	"gorm.io/gorm"
)

// Column is a board column: a status with the first page of its tasks
// in rank order and how many it holds.
type Column struct {
	Status Status
	Count  int64
	Page
}

// Board reads a workspace's board: every status with the first limit
// tasks of its column (top-level tasks and subtasks alike).
func (s *Service) Board(ctx context.Context, a tenant.Actor, ws uuid.UUID, limit int) ([]Column, bool, error) {
	if limit <= 0 || limit > MaxPage {
		limit = DefaultPage
	}
	var out []Column
	canWrite := false
	err := s.run(ctx, a, func(tx *db.Tx) error {
		ar, err := loadArea(tx, a, ws)
		if err != nil {
			return err
		}
		canWrite = ar.canWrite()
		sts, err := listStatuses(tx, ws)
		if err != nil {
			return err
		}
		var counts []struct {
			StatusID uuid.UUID `gorm:"column:status_id"`
			N        int64     `gorm:"column:n"`
		}
		if err := tx.Table(tasksTable).Select("status_id, count(*) AS n").Where("workspace_id = ?", ws).Group("status_id").Scan(&counts).Error; err != nil {
			return fmt.Errorf("tasks: count columns: %w", err)
		}
		n := map[uuid.UUID]int64{}
		for _, c := range counts {
			n[c.StatusID] = c.N
		}
		out = make([]Column, len(sts))
		for i, st := range sts {
			out[i] = Column{Status: st, Count: n[st.ID]}
			if n[st.ID] == 0 {
				out[i].Items = []Task{}
				continue
			}
			q := tx.TableAs(tasksTable, "t").Where("t.workspace_id = ? AND t.status_id = ?", ws, st.ID)
			if err := s.page(tx, q, ByRank, nil, limit, &out[i].Page); err != nil {
				return err
			}
			for j := range out[i].Items {
				out[i].Items[j].CanWrite = canWrite
			}
		}
		return nil
	})
	return out, canWrite, err
}

// BoardColumn reads the next page of one board column.
func (s *Service) BoardColumn(ctx context.Context, a tenant.Actor, ws, status uuid.UUID, cur string, limit int) (*Page, error) {
	return s.List(ctx, a, ws, Filter{StatusID: status, Sort: ByRank, Cursor: cur, Limit: limit})
}

// Mine reads a page of the tasks assigned to the caller, directly or
// through a group, across every workspace they are a member of, open
// ones by default, by due day (tasks without one last).
func (s *Service) Mine(ctx context.Context, a tenant.Actor, f Filter) (*Page, error) {
	if f.Sort == "" {
		f.Sort = ByDue
	}
	if err := f.validate(); err != nil {
		return nil, err
	}
	var c *cursor
	if f.Cursor != "" {
		var err error
		if c, err = decodeCursor(f.Cursor); err != nil {
			return nil, err
		}
	}
	if f.State == "" {
		f.State = "open"
	}
	f.AssigneeID = uuid.Nil
	out := &Page{}
	err := s.run(ctx, a, func(tx *db.Tx) error {
		q := f.where(mineQuery(tx, a.MembershipID))
		if err := s.page(tx, q, f.Sort, c, f.Limit, out); err != nil {
			return err
		}
		return s.placeAll(tx, a, out.Items)
	})
	return out, err
}

// mineQuery is the caller's assigned tasks in workspaces they belong to.
func mineQuery(tx *db.Tx, me uuid.UUID) *gorm.DB {
	return tx.TableAs(tasksTable, "t").
		Joins("JOIN workspace_members wm ON wm.tenant_id = t.tenant_id AND wm.workspace_id = t.workspace_id AND wm.membership_id = ?", me).
		Where(`t.id IN (SELECT ta.task_id FROM task_assignees ta WHERE ta.tenant_id = ? AND ta.membership_id = ?
			UNION SELECT ta.task_id FROM task_assignees ta JOIN group_members gm ON gm.tenant_id = ta.tenant_id AND gm.group_id = ta.group_id
			WHERE ta.tenant_id = ? AND gm.membership_id = ?)`, tx.TenantID(), me, tx.TenantID(), me)
}

// placeAll fills the workspace name and write right of tasks of several workspaces.
func (s *Service) placeAll(tx *db.Tx, a tenant.Actor, ts []Task) error {
	ids := map[uuid.UUID]*area{}
	for i := range ts {
		ar, ok := ids[ts[i].WorkspaceID]
		if !ok {
			var err error
			if ar, err = loadArea(tx, a, ts[i].WorkspaceID); err != nil {
				return err
			}
			ids[ts[i].WorkspaceID] = ar
		}
		ts[i].WorkspaceName, ts[i].CanWrite = ar.Name, ar.canWrite()
	}
	return nil
}
