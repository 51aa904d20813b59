package tasks

import (
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/kollab/kollab/internal/db"
)

// taskRow is a row of tasks.
type taskRow struct {
	TenantID    uuid.UUID  `gorm:"column:tenant_id"`
	ID          uuid.UUID  `gorm:"column:id"`
	WorkspaceID uuid.UUID  `gorm:"column:workspace_id"`
	ParentID    *uuid.UUID `gorm:"column:parent_id"`
	Title       string     `gorm:"column:title"`
	Description string     `gorm:"column:description"`
	StatusID    uuid.UUID  `gorm:"column:status_id"`
	Category    Category   `gorm:"column:category"`
	Priority    Priority   `gorm:"column:priority"`
	StartOn     *string    `gorm:"column:start_on"`
	DueOn       *string    `gorm:"column:due_on"`
	DueTime     *string    `gorm:"column:due_time"`
	DueFrom     *string    `gorm:"column:due_from"`
	DueWorkdays *int       `gorm:"column:due_workdays"`
	Milestone   bool       `gorm:"column:milestone"`
	Rank        float64    `gorm:"column:rank"`
	DocumentID  *uuid.UUID `gorm:"column:document_id"`
	AttentionOn *string    `gorm:"column:attention_on"`
	Version     int64      `gorm:"column:version"`
	CreatedAt   time.Time  `gorm:"column:created_at"`
	CreatedBy   uuid.UUID  `gorm:"column:created_by"`
	UpdatedAt   time.Time  `gorm:"column:updated_at"`
	ClosedAt    *time.Time `gorm:"column:closed_at"`
	// The decision a follow-up task comes from (decisions.go).
	DecisionItemID *uuid.UUID `gorm:"column:decision_item_id"`
	DecisionPollID *uuid.UUID `gorm:"column:decision_poll_id"`
	CommitteeID    *uuid.UUID `gorm:"column:committee_id"`
}

// OwnerTenant implements db.TenantOwned.
func (r *taskRow) OwnerTenant() uuid.UUID { return r.TenantID }

func str(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

func nullable(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func (r *taskRow) task() Task {
	t := Task{ID: r.ID, WorkspaceID: r.WorkspaceID, ParentID: r.ParentID, Title: r.Title, Description: r.Description,
		StatusID: r.StatusID, Category: r.Category, Priority: r.Priority, StartOn: str(r.StartOn), DueOn: str(r.DueOn),
		DueTime: str(r.DueTime), DueFrom: str(r.DueFrom), Milestone: r.Milestone, Rank: r.Rank, DocumentID: r.DocumentID,
		Version: r.Version, CreatedAt: r.CreatedAt, CreatedBy: r.CreatedBy, UpdatedAt: r.UpdatedAt, ClosedAt: r.ClosedAt,
		Labels: []string{}, Assignees: []Assignee{}, Watchers: []Person{}}
	if r.DueWorkdays != nil {
		t.DueWorkdays = *r.DueWorkdays
	}
	return t
}

// overdue reports whether an open task's due day (and time) lies before now.
func overdue(t *Task, now time.Time, berlin *time.Location) bool {
	if t.Category.Closed() || t.DueOn == "" {
		return false
	}
	day, err := time.ParseInLocation(DateLayout, t.DueOn, berlin)
	if err != nil {
		return false
	}
	end := day.AddDate(0, 0, 1)
	if t.DueTime != "" {
		if hm, err := time.Parse(TimeLayout, t.DueTime); err == nil {
			end = day.Add(time.Duration(hm.Hour())*time.Hour + time.Duration(hm.Minute())*time.Minute)
		}
	}
	return !now.Before(end)
}

// history is one change of a task.
type historyRow struct {
	TenantID  uuid.UUID  `gorm:"column:tenant_id"`
	ID        uuid.UUID  `gorm:"column:id"`
	TaskID    uuid.UUID  `gorm:"column:task_id"`
	ActorID   *uuid.UUID `gorm:"column:actor_id"`
	Field     string     `gorm:"column:field"`
	OldValue  string     `gorm:"column:old_value"`
	NewValue  string     `gorm:"column:new_value"`
	CreatedAt time.Time  `gorm:"column:created_at"`
}

// OwnerTenant implements db.TenantOwned.
func (r *historyRow) OwnerTenant() uuid.UUID { return r.TenantID }

func clip(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n-1]) + "…"
	}
	return s
}

// addHistory records that field of task changed from old to new.
func addHistory(tx *db.Tx, task, actor uuid.UUID, field, old, new string, at time.Time) error {
	var act *uuid.UUID
	if actor != uuid.Nil {
		act = &actor
	}
	r := &historyRow{TenantID: tx.TenantID(), ID: db.NewID(), TaskID: task, ActorID: act, Field: field,
		OldValue: clip(old, 1000), NewValue: clip(new, 1000), CreatedAt: at}
	if err := tx.Create(historyTable, r); err != nil {
		return fmt.Errorf("tasks: record history: %w", err)
	}
	return nil
}

// parseTime reads a cursor's time key (zero when malformed: the page then
// starts at the beginning of the order).
func parseTime(s string) time.Time {
	t, _ := time.Parse("2006-01-02T15:04:05.000000Z", s)
	return t
}
