package tasks

// The overdue cockpit (Terminmonitoring) for workspace owners and tenant
// admins: per workspace and per person, how many open tasks fall due this
// week and how many are overdue, by age.

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/kollab/kollab/internal/db"
	"github.com/kollab/kollab/tenant"
)

// Bounds of the cockpit.
const (
	MaxCockpitWorkspaces = 200
	MaxCockpitPeople     = 500
)

// DeadlineCounts are counts of open tasks (category not done or
// cancelled) with a due day.
type DeadlineCounts struct {
	// DueThisWeek: due from today to Sunday of this week (Berlin), not yet overdue.
	DueThisWeek int `gorm:"column:due_week"`
	// Overdue: due before today; split by how many days overdue.
	Overdue       int `gorm:"column:overdue"`
	Overdue1To3   int `gorm:"column:overdue_1_3"`
	Overdue4To7   int `gorm:"column:overdue_4_7"`
	Overdue8To14  int `gorm:"column:overdue_8_14"`
	OverdueOver14 int `gorm:"column:overdue_15"`
}

func (c *DeadlineCounts) add(o DeadlineCounts) {
	c.DueThisWeek += o.DueThisWeek
	c.Overdue += o.Overdue
	c.Overdue1To3 += o.Overdue1To3
	c.Overdue4To7 += o.Overdue4To7
	c.Overdue8To14 += o.Overdue8To14
	c.OverdueOver14 += o.OverdueOver14
}

// WorkspaceDeadlines are one workspace's counts.
type WorkspaceDeadlines struct {
	WorkspaceID uuid.UUID `gorm:"column:workspace_id"`
	Name        string    `gorm:"column:name"`
	DeadlineCounts
}

// PersonDeadlines are one assignee's counts over the cockpit's
// workspaces: tasks assigned to them directly or through a group they
// belong to (as a member of the task's workspace).
type PersonDeadlines struct {
	MembershipID uuid.UUID `gorm:"column:membership_id"`
	Name         string    `gorm:"column:name"`
	Guest        bool      `gorm:"column:guest"`
	DeadlineCounts
}

// Deadlines is the overdue cockpit.
type Deadlines struct {
	// Today and the week (Monday to Sunday) the counts are of.
	Today, WeekStart, WeekEnd string
	// Workspaces the caller owns (admins: every active one), by name; at
	// most MaxCockpitWorkspaces (WorkspacesTruncated: there are more).
	Workspaces          []WorkspaceDeadlines
	WorkspacesTruncated bool
	// People with any count, most overdue first; at most MaxCockpitPeople.
	People          []PersonDeadlines
	PeopleTruncated bool
	// Totals over Workspaces.
	Totals DeadlineCounts
}

// cockpitDays are the days the counts compare due days with.
type cockpitDays struct {
	today, sunday, ago3, ago7, ago14 string
}

func newCockpitDays(now time.Time) (cockpitDays, string) {
	t := now.In(tenant.Berlin)
	day := time.Date(t.Year(), t.Month(), t.Day(), 12, 0, 0, 0, time.UTC)
	f := func(n int) string { return day.AddDate(0, 0, n).Format(DateLayout) }
	sinceMonday := (int(day.Weekday()) + 6) % 7
	return cockpitDays{today: f(0), sunday: f(6 - sinceMonday), ago3: f(-3), ago7: f(-7), ago14: f(-14)}, f(-sinceMonday)
}

// countColumns are the counts over rows with a due_on column.
const countColumns = `
	SUM(CASE WHEN x.due_on >= ? THEN 1 ELSE 0 END) AS due_week,
	SUM(CASE WHEN x.due_on < ? THEN 1 ELSE 0 END) AS overdue,
	SUM(CASE WHEN x.due_on < ? AND x.due_on >= ? THEN 1 ELSE 0 END) AS overdue_1_3,
	SUM(CASE WHEN x.due_on < ? AND x.due_on >= ? THEN 1 ELSE 0 END) AS overdue_4_7,
	SUM(CASE WHEN x.due_on < ? AND x.due_on >= ? THEN 1 ELSE 0 END) AS overdue_8_14,
	SUM(CASE WHEN x.due_on < ? THEN 1 ELSE 0 END) AS overdue_15`

func (d cockpitDays) countArgs() []any {
	return []any{d.today, d.today, d.today, d.ago3, d.ago3, d.ago7, d.ago7, d.ago14, d.ago14}
}

// openDue are the cockpit's tasks (as t): open tasks of the workspaces
// ids due by Sunday (two arguments: ids, Sunday).
const openDue = `t.tenant_id = @tenant AND t.workspace_id IN ? AND t.due_on IS NOT NULL AND t.due_on <= ?
	AND t.category NOT IN ('done', 'cancelled')`

// Deadlines returns the overdue cockpit for the caller: the workspaces
// they own (admins: every active workspace) and the people assigned there.
func (s *Service) Deadlines(ctx context.Context, a tenant.Actor) (*Deadlines, error) {
	days, monday := newCockpitDays(s.clock())
	out := &Deadlines{Today: days.today, WeekStart: monday, WeekEnd: days.sunday, Workspaces: []WorkspaceDeadlines{}, People: []PersonDeadlines{}}
	err := s.run(ctx, a, func(tx *db.Tx) error {
		ws, err := cockpitWorkspaces(tx, a)
		if err != nil {
			return err
		}
		if len(ws) > MaxCockpitWorkspaces {
			ws, out.WorkspacesTruncated = ws[:MaxCockpitWorkspaces], true
		}
		if len(ws) == 0 {
			return nil
		}
		ids := make([]uuid.UUID, len(ws))
		for i := range ws {
			ids[i] = ws[i].WorkspaceID
		}
		if err := workspaceCounts(tx, days, ids, ws); err != nil {
			return err
		}
		out.Workspaces = ws
		for i := range ws {
			out.Totals.add(ws[i].DeadlineCounts)
		}
		if out.People, err = peopleCounts(tx, days, ids); err != nil {
			return err
		}
		if len(out.People) > MaxCockpitPeople {
			out.People, out.PeopleTruncated = out.People[:MaxCockpitPeople], true
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// cockpitWorkspaces lists the caller's active workspaces as owner (all
// for admins), by name, one more than the bound.
func cockpitWorkspaces(tx *db.Tx, a tenant.Actor) ([]WorkspaceDeadlines, error) {
	var out []WorkspaceDeadlines
	q := `SELECT w.id AS workspace_id, w.name FROM workspaces w WHERE w.tenant_id = @tenant AND w.state = 'active'`
	args := []any{}
	if !a.IsAdmin() {
		q += ` AND EXISTS (SELECT 1 FROM workspace_members wm WHERE wm.tenant_id = @tenant AND wm.workspace_id = w.id
			AND wm.membership_id = ? AND wm.role = 'owner')`
		args = append(args, a.MembershipID)
	}
	q += fmt.Sprintf(" ORDER BY w.name, w.id LIMIT %d", MaxCockpitWorkspaces+1)
	if err := tx.Raw(q, args...).Scan(&out).Error; err != nil {
		return nil, fmt.Errorf("tasks: list cockpit workspaces: %w", err)
	}
	return out, nil
}

// workspaceCounts fills the counts of ws (whose ids are ids).
func workspaceCounts(tx *db.Tx, days cockpitDays, ids []uuid.UUID, ws []WorkspaceDeadlines) error {
	var rows []WorkspaceDeadlines
	args := append(days.countArgs(), ids, days.sunday)
	if err := tx.Raw(`SELECT x.workspace_id, `+countColumns+`
		FROM (SELECT t.workspace_id, t.due_on FROM tasks t WHERE `+openDue+`) x GROUP BY x.workspace_id`, args...).Scan(&rows).Error; err != nil {
		return fmt.Errorf("tasks: count deadlines: %w", err)
	}
	by := make(map[uuid.UUID]DeadlineCounts, len(rows))
	for _, r := range rows {
		by[r.WorkspaceID] = r.DeadlineCounts
	}
	for i := range ws {
		ws[i].DeadlineCounts = by[ws[i].WorkspaceID]
	}
	return nil
}

// peopleCounts counts per assignee (people, and the members of assigned
// groups who are members of the task's workspace), most overdue first,
// one more than the bound.
func peopleCounts(tx *db.Tx, days cockpitDays, ids []uuid.UUID) ([]PersonDeadlines, error) {
	var out []PersonDeadlines
	args := append(days.countArgs(), ids, days.sunday, ids, days.sunday)
	if err := tx.Raw(`SELECT x.membership_id, u.display_name AS name, m.role = 'partner' AS guest, `+countColumns+` FROM (
			SELECT t.id, t.due_on, ta.membership_id FROM tasks t
			JOIN task_assignees ta ON ta.tenant_id = t.tenant_id AND ta.task_id = t.id AND ta.membership_id IS NOT NULL
			WHERE `+openDue+`
			UNION
			SELECT t.id, t.due_on, gm.membership_id FROM tasks t
			JOIN task_assignees ta ON ta.tenant_id = t.tenant_id AND ta.task_id = t.id AND ta.group_id IS NOT NULL
			JOIN group_members gm ON gm.tenant_id = ta.tenant_id AND gm.group_id = ta.group_id
			JOIN workspace_members wm ON wm.tenant_id = t.tenant_id AND wm.workspace_id = t.workspace_id AND wm.membership_id = gm.membership_id
			WHERE `+openDue+`) x
		JOIN memberships m ON m.tenant_id = @tenant AND m.id = x.membership_id
		JOIN users u ON u.id = m.user_id
		GROUP BY x.membership_id, u.display_name, m.role
		ORDER BY overdue DESC, due_week DESC, name, x.membership_id LIMIT ?`, append(args, MaxCockpitPeople+1)...).Scan(&out).Error; err != nil {
		return nil, fmt.Errorf("tasks: count deadlines per person: %w", err)
	}
	return out, nil
}
