package tasks

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/google/uuid"
	"github.com/kollab/kollab/internal/db"
	"github.com/kollab/kollab/internal/errs"
	"github.com/kollab/kollab/tenant"
	"gorm.io/gorm"
)

// Sort is the order of a task list.
type Sort string

// The orders: by due day (tasks without one last), priority (highest
// first), last change (newest first), title, or board rank.
const (
	ByDue      Sort = "due"
	ByPriority Sort = "priority"
	ByUpdated  Sort = "updated"
	ByTitle    Sort = "title"
	ByRank     Sort = "rank"
)

// Filter narrows a workspace's task list.
type Filter struct {
	// State: "open" (not done or cancelled), "closed", or "" for all.
	State      string
	StatusID   uuid.UUID
	AssigneeID uuid.UUID
	Label      string
	// Query is matched against titles (case-insensitive, contained).
	Query string
	// DueBefore: due on or before this day.
	DueBefore string
	// Milestones: milestones only. TopLevel: no subtasks.
	Milestones bool
	TopLevel   bool
	Sort       Sort
	Cursor     string
	Limit      int
}

// Page is a page of tasks; Next continues it ("" on the last page).
type Page struct {
	Items []Task
	Next  string
	// Total counts the tasks the filter matches (lists of one workspace only).
	Total int64
}

// cursor is the position after the last task of a page.
type cursor struct {
	Key *string `json:"k"`
	ID  string  `json:"i"`
}

func encodeCursor(key *string, id uuid.UUID) string {
	b, _ := json.Marshal(cursor{Key: key, ID: id.String()})
	return base64.RawURLEncoding.EncodeToString(b)
}

func decodeCursor(s string) (*cursor, error) {
	bad := errs.InvalidField("cursor", errs.M("tasks.cursor-invalid", "Ungültige Fortsetzungsmarke.", "Invalid continuation mark."))
	if len(s) > 600 {
		return nil, bad
	}
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return nil, bad
	}
	var c cursor
	if json.Unmarshal(b, &c) != nil {
		return nil, bad
	}
	if _, err := uuid.Parse(c.ID); err != nil {
		return nil, bad
	}
	return &c, nil
}

// order is a sort as SQL: its column, direction, and the key of a row.
type order struct {
	col  string
	desc bool
	// nullable: NULL keys sort last.
	nullable bool
	key      func(t *taskRow) *string
}

var orders = map[Sort]order{
	ByDue:      {col: "t.due_on", nullable: true, key: func(t *taskRow) *string { return t.DueOn }},
	ByPriority: {col: "t.priority", desc: true, key: func(t *taskRow) *string { s := fmt.Sprint(int(t.Priority)); return &s }},
	ByUpdated:  {col: "t.updated_at", desc: true, key: func(t *taskRow) *string { s := t.UpdatedAt.UTC().Format("2006-01-02T15:04:05.000000Z"); return &s }},
	ByTitle:    {col: "t.title", key: func(t *taskRow) *string { return &t.Title }},
	ByRank:     {col: "t.rank", key: func(t *taskRow) *string { s := fmt.Sprintf("%.17g", t.Rank); return &s }},
}

// after narrows q to the rows after cursor c in order o.
func (o order) after(q *gorm.DB, c *cursor, isPG bool) *gorm.DB {
	cmp := ">"
	if o.desc {
		cmp = "<"
	}
	key := any(nil)
	if c.Key != nil {
		key = *c.Key
		switch o.col {
		case "t.priority":
			var n int
			_, _ = fmt.Sscan(*c.Key, &n)
			key = n
		case "t.rank":
			var f float64
			_, _ = fmt.Sscan(*c.Key, &f)
			key = f
		case "t.updated_at":
			key = parseTime(*c.Key)
		}
	}
	id := uuid.MustParse(c.ID)
	switch {
	case o.nullable && c.Key == nil:
		return q.Where(o.col+" IS NULL AND t.id > ?", id)
	case o.nullable:
		return q.Where("("+o.col+" IS NOT NULL AND ("+o.col+" "+cmp+" ? OR ("+o.col+" = ? AND t.id > ?))) OR "+o.col+" IS NULL", key, key, id)
	default:
		return q.Where(o.col+" "+cmp+" ? OR ("+o.col+" = ? AND t.id > ?)", key, key, id)
	}
}

func (o order) sql(isPG bool) string {
	dir := " ASC"
	if o.desc {
		dir = " DESC"
	}
	if o.nullable {
		return o.col + dir + " NULLS LAST, t.id"
	}
	return o.col + dir + ", t.id"
}

func (f *Filter) validate() error {
	if f.Limit <= 0 {
		f.Limit = DefaultPage
	}
	if f.Limit > MaxPage {
		f.Limit = MaxPage
	}
	if f.Sort == "" {
		f.Sort = ByDue
	}
	if _, ok := orders[f.Sort]; !ok {
		return errs.InvalidField("sort", errs.M("tasks.sort-unknown", "Unbekannte Sortierung: erlaubt sind due, priority, updated, title und rank.", "Unknown sort: allowed are due, priority, updated, title and rank."))
	}
	if f.State != "" && f.State != "open" && f.State != "closed" {
		return errs.InvalidField("state", errs.M("tasks.state-filter", "Unbekannter Zustand: erlaubt sind open und closed.", "Unknown state: allowed are open and closed."))
	}
	var err error
	if f.DueBefore, err = checkDate("due_before", f.DueBefore); err != nil {
		return err
	}
	f.Query = strings.TrimSpace(f.Query)
	if len([]rune(f.Query)) > 200 || len([]rune(f.Label)) > MaxLabelLen {
		return errs.InvalidField("q", errs.M("tasks.query-too-long", "Der Suchbegriff ist zu lang.", "The search term is too long."))
	}
	return nil
}

// where applies the filter's conditions to q (tasks aliased t).
func (f *Filter) where(q *gorm.DB) *gorm.DB {
	switch f.State {
	case "open":
		q = q.Where("t.category NOT IN ('done', 'cancelled')")
	case "closed":
		q = q.Where("t.category IN ('done', 'cancelled')")
	}
	if f.StatusID != uuid.Nil {
		q = q.Where("t.status_id = ?", f.StatusID)
	}
	if f.AssigneeID != uuid.Nil {
		q = q.Where("EXISTS (SELECT 1 FROM task_assignees ta WHERE ta.tenant_id = t.tenant_id AND ta.task_id = t.id AND ta.membership_id = ?)", f.AssigneeID)
	}
	if f.Label != "" {
		q = q.Where("EXISTS (SELECT 1 FROM task_labels tl WHERE tl.tenant_id = t.tenant_id AND tl.task_id = t.id AND lower(tl.label) = lower(?))", f.Label)
	}
	if f.Query != "" {
		q = q.Where("lower(t.title) LIKE ? ESCAPE '\\'", "%"+escapeLike(strings.ToLower(f.Query))+"%")
	}
	if f.DueBefore != "" {
		q = q.Where("t.due_on <= ?", f.DueBefore)
	}
	if f.Milestones {
		q = q.Where("t.milestone = ?", true)
	}
	if f.TopLevel {
		q = q.Where("t.parent_id IS NULL")
	}
	return q
}

func escapeLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

// List reads a page of a workspace's tasks (its members).
func (s *Service) List(ctx context.Context, a tenant.Actor, ws uuid.UUID, f Filter) (*Page, error) {
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
	out := &Page{}
	err := s.run(ctx, a, func(tx *db.Tx) error {
		ar, err := loadArea(tx, a, ws)
		if err != nil {
			return err
		}
		base := f.where(tx.TableAs(tasksTable, "t").Where("t.workspace_id = ?", ws))
		if err := base.Session(&gorm.Session{}).Count(&out.Total).Error; err != nil {
			return fmt.Errorf("tasks: count: %w", err)
		}
		if err := s.page(tx, base, f.Sort, c, f.Limit, out); err != nil {
			return err
		}
		for i := range out.Items {
			out.Items[i].CanWrite = ar.canWrite()
			out.Items[i].WorkspaceName = ar.Name
		}
		return nil
	})
	return out, err
}

// page reads one page of q in order sort after c into out.
func (s *Service) page(tx *db.Tx, q *gorm.DB, sort Sort, c *cursor, limit int, out *Page) error {
	o := orders[sort]
	if c != nil {
		q = o.after(q, c, tx.IsPostgres())
	}
	var rows []taskRow
	if err := q.Select("t.*").Order(o.sql(tx.IsPostgres())).Limit(limit + 1).Scan(&rows).Error; err != nil {
		return fmt.Errorf("tasks: list: %w", err)
	}
	if len(rows) > limit {
		rows = rows[:limit]
		last := &rows[limit-1]
		out.Next = encodeCursor(o.key(last), last.ID)
	}
	out.Items = make([]Task, len(rows))
	for i := range rows {
		out.Items[i] = rows[i].task()
	}
	return s.hydrate(tx, out.Items)
}
