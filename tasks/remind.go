package tasks

// The deadline run (Terminmonitoring): reminders before a due day, the
// overdue notice on the day after, and the escalation to the workspace's
// responsible person after N overdue working days.
//
// The run reads the index tasks_attention (attention_on <= today), never
// every task. Each task is handled in a transaction of its own that locks
// the task row (PostgreSQL; SQLite has one writer) and checks it again;
// every notification is recorded in task_reminders (INSERT … ON CONFLICT
// DO NOTHING) in the transaction that emits it, and only a row that was
// written is sent: two instances never both send, and a crash before the
// commit leaves neither the record nor the notification. Then the task's
// attention_on moves to the next day something is pending, or NULL.

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/google/uuid"
	"github.com/kollab/kollab/internal/db"
	"github.com/kollab/kollab/internal/workdays"
	"github.com/kollab/kollab/tenant"
)

// ActionRemindersSent is the automatic audit event of one run in one
// tenant that sent anything (counts in its details).
const ActionRemindersSent = "tasks.reminders.sent"

// Ledger kinds (task_reminders.kind).
const (
	ledgerReminder   = "reminder"
	ledgerOverdue    = "overdue"
	ledgerEscalation = "escalation"
)

// The run's bounds: tasks read from the index per batch, batches per
// tenant and run, tasks handled in one transaction, failed tasks after
// which a tenant waits for the next run.
const (
	remindBatch      = 200
	remindMaxBatches = 25
	remindChunk      = 50
	remindMaxFailed  = 10
)

// DueReport says what one RemindDue run did.
type DueReport struct {
	// Tasks looked at; notifications sent by kind (one per recipient).
	Tasks, Reminders, Overdue, Escalations int
	// Failed tasks (their transaction rolled back; they wait for the next run).
	Failed int
	// SkippedTenants had a database failure; their tasks wait for the next run.
	SkippedTenants int
}

func (r *DueReport) add(o DueReport) {
	r.Tasks += o.Tasks
	r.Reminders += o.Reminders
	r.Overdue += o.Overdue
	r.Escalations += o.Escalations
	r.Failed += o.Failed
}

// RemindDue runs the deadline monitoring at now in every tenant: see the
// package comment of remind.go. Several instances may run it at once.
func (s *Service) RemindDue(ctx context.Context, now time.Time) (DueReport, error) {
	var rep DueReport
	if s.notify == nil {
		return rep, fmt.Errorf("tasks: reminders need the notification service (WithNotify)")
	}
	var ids []uuid.UUID
	if err := s.db.Global(ctx).Table("tenants").Order("id").Pluck("id", &ids).Error; err != nil {
		return rep, fmt.Errorf("tasks: list tenants: %w", err)
	}
	now = now.UTC().Truncate(time.Microsecond)
	var firstErr error
	for _, tid := range ids {
		r, err := s.remindTenant(ctx, tid, now)
		rep.add(r)
		if err != nil {
			if ctx.Err() != nil {
				return rep, ctx.Err()
			}
			rep.SkippedTenants++
			if firstErr == nil {
				firstErr = fmt.Errorf("tasks: remind tenant %s: %w", tid, err)
			}
		}
	}
	return rep, firstErr
}

// remindTenant handles one tenant's tasks that need attention today, in
// bounded batches (keyset on attention_on, id).
func (s *Service) remindTenant(ctx context.Context, tid uuid.UUID, now time.Time) (DueReport, error) {
	var rep DueReport
	today := workdays.DateOf(now.In(tenant.Berlin))
	var cal *workdays.Cal
	var after *dueKey
	var firstErr error
	for range remindMaxBatches {
		var batch []dueKey
		if err := s.db.Tenant(ctx, tid, func(tx *db.Tx) error {
			var err error
			if cal == nil {
				if cal, err = tenantCalendar(tx); err != nil {
					return err
				}
			}
			batch, err = dueBatch(tx, today.String(), after)
			return err
		}); err != nil {
			return rep, err
		}
		for lo := 0; lo < len(batch); lo += remindChunk {
			ids := make([]uuid.UUID, 0, remindChunk)
			for _, k := range batch[lo:min(lo+remindChunk, len(batch))] {
				ids = append(ids, k.ID)
			}
			r, err := s.remindChunk(ctx, tid, ids, now, today, cal)
			if err == nil {
				rep.add(r)
				continue
			}
			if ctx.Err() != nil {
				return rep, ctx.Err()
			}
			if firstErr == nil {
				firstErr = err
			}
			if err := s.remindEach(ctx, tid, ids, now, today, cal, &rep); err != nil {
				return rep, err
			}
			if rep.Failed >= remindMaxFailed {
				return rep, firstErr
			}
		}
		if len(batch) < remindBatch {
			break
		}
		after = &batch[len(batch)-1]
	}
	if err := s.recordRun(ctx, tid, rep); err != nil && firstErr == nil {
		firstErr = err
	}
	return rep, firstErr
}

// dueKey is a task's place in the attention index.
type dueKey struct {
	AttentionOn string    `gorm:"column:attention_on"`
	ID          uuid.UUID `gorm:"column:id"`
}

// dueSelect is the run's read of the attention index (the benchmark
// explains it).
const dueSelect = `SELECT attention_on, id FROM tasks WHERE tenant_id = @tenant AND attention_on IS NOT NULL AND attention_on <= ?`

// dueBatch reads the next batch of tasks whose attention day has come.
func dueBatch(tx *db.Tx, today string, after *dueKey) ([]dueKey, error) {
	q, args := dueSelect, []any{today}
	if after != nil {
		q += " AND (attention_on > ? OR (attention_on = ? AND id > ?))"
		args = append(args, after.AttentionOn, after.AttentionOn, after.ID)
	}
	var out []dueKey
	if err := tx.Raw(q+" ORDER BY attention_on, id LIMIT "+strconv.Itoa(remindBatch), args...).Scan(&out).Error; err != nil {
		return nil, fmt.Errorf("tasks: read due tasks: %w", err)
	}
	return out, nil
}

// recordRun records one audit event for a run that sent anything.
func (s *Service) recordRun(ctx context.Context, tid uuid.UUID, rep DueReport) error {
	if rep.Reminders+rep.Overdue+rep.Escalations == 0 {
		return nil
	}
	return s.db.Tenant(ctx, tid, func(tx *db.Tx) error {
		return tenant.Actor{}.Record(ctx, tx, ActionRemindersSent, "tenant", tid, map[string]string{"tasks": strconv.Itoa(rep.Tasks),
			"reminders": strconv.Itoa(rep.Reminders), "overdue": strconv.Itoa(rep.Overdue), "escalations": strconv.Itoa(rep.Escalations),
			"automatic": "true"})
	})
}

// remindChunk handles tasks ids in one transaction: it locks those that
// still need attention today (PostgreSQL: rows another instance holds are
// skipped, that instance handles them), sends what they are owed and
// moves their attention days on.
func (s *Service) remindChunk(ctx context.Context, tid uuid.UUID, ids []uuid.UUID, now time.Time, today workdays.Date, cal *workdays.Cal) (DueReport, error) {
	var rep DueReport
	err := s.db.Tenant(ctx, tid, func(tx *db.Tx) error {
		rep = DueReport{}
		q := "SELECT * FROM tasks WHERE tenant_id = @tenant AND id IN ? AND attention_on IS NOT NULL AND attention_on <= ? ORDER BY id"
		if tx.IsPostgres() {
			q += " FOR UPDATE SKIP LOCKED"
		}
		var rows []taskRow
		if err := tx.Raw(q, ids, today.String()).Scan(&rows).Error; err != nil {
			return fmt.Errorf("tasks: load due tasks: %w", err)
		}
		if len(rows) == 0 {
			return nil // done meanwhile (another instance, or a change)
		}
		rep.Tasks = len(rows)
		c, err := loadChunk(tx, rows)
		if err != nil {
			return err
		}
		next := map[string][]uuid.UUID{}
		for i := range rows {
			r := &rows[i]
			day, err := s.remindRow(ctx, tx, c, r, now, today, cal, &rep)
			if err != nil {
				return err
			}
			key := ""
			if day != nil {
				key = day.String()
			}
			next[key] = append(next[key], r.ID)
			if err := failpoint(ctx, r.ID); err != nil {
				return err
			}
		}
		return moveAttention(tx, next)
	})
	if err != nil {
		return DueReport{}, err
	}
	return rep, nil
}

// remindEach handles the tasks of a failed chunk one by one, so that one
// task that fails does not hold back the others; it counts the failures.
func (s *Service) remindEach(ctx context.Context, tid uuid.UUID, ids []uuid.UUID, now time.Time, today workdays.Date, cal *workdays.Cal, rep *DueReport) error {
	if len(ids) == 1 {
		rep.Failed++
		return nil
	}
	for _, id := range ids {
		r, err := s.remindChunk(ctx, tid, []uuid.UUID{id}, now, today, cal)
		if err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			rep.Failed++
			continue
		}
		rep.add(r)
	}
	return nil
}

// moveAttention sets the tasks' next attention days ("" for none).
func moveAttention(tx *db.Tx, next map[string][]uuid.UUID) error {
	for day, ids := range next {
		var at *string
		if day != "" {
			at = &day
		}
		if _, err := tx.ExecCount("UPDATE tasks SET attention_on = ? WHERE tenant_id = @tenant AND id IN ?", at, ids); err != nil {
			return fmt.Errorf("tasks: note next attention: %w", err)
		}
	}
	return nil
}
