package tasks

import (
	"context"

	"github.com/google/uuid"
	"github.com/kollab/kollab/internal/db"
	"github.com/kollab/kollab/tenant"
	"gorm.io/gorm"
)

// Column is a board column: a status with the first page of its tasks
// in rank order and how many it holds (up to CountCap; Capped: more).
type Column struct {
	Status Status
	Count  int64
	Capped bool
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
		out = make([]Column, len(sts))
		var all []Task
		for i, st := range sts {
			out[i] = Column{Status: st, Page: Page{Items: []Task{}}}
			q := tx.TableAs(tasksTable, "t").Where("t.workspace_id = ? AND t.status_id = ?", ws, st.ID)
			if out[i].Count, out[i].Capped, err = countCapped(q); err != nil {
				return err
			}
			if out[i].Count == 0 {
				continue
			}
			if err := pageRows(tx, q, ByRank, nil, limit, &out[i].Page); err != nil {
				return err
			}
			all = append(all, out[i].Items...)
		}
		// One hydration for the whole board (seven queries, not seven per column).
		if err := s.hydrate(tx, all); err != nil {
			return err
		}
		k := 0
		for i := range out {
			for j := range out[i].Items {
				out[i].Items[j] = all[k]
				out[i].Items[j].CanWrite = canWrite
				k++
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
// The assignments are read first, by index, and the tasks then by their
// keys: on PostgreSQL as "= ANY(ARRAY(...))", which the planner resolves
// before it scans (an IN semi-join may make it hash-join the whole tenant's
// tasks instead); SQLite reads IN (...) that way anyway.
func mineQuery(tx *db.Tx, me uuid.UUID) *gorm.DB {
	ids := `SELECT ta.task_id FROM task_assignees ta WHERE ta.tenant_id = ? AND ta.membership_id = ?
			UNION SELECT ta.task_id FROM task_assignees ta JOIN group_members gm ON gm.tenant_id = ta.tenant_id AND gm.group_id = ta.group_id
			WHERE ta.tenant_id = ? AND gm.membership_id = ?`
	cond := "t.id IN (" + ids + ")"
	if tx.IsPostgres() {
		cond = "t.id = ANY(ARRAY(" + ids + "))"
	}
	return tx.TableAs(tasksTable, "t").
		Joins("JOIN workspace_members wm ON wm.tenant_id = t.tenant_id AND wm.workspace_id = t.workspace_id AND wm.membership_id = ?", me).
		Where(cond, tx.TenantID(), me, tx.TenantID(), me)
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
