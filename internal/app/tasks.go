package app

import (
	"context"
	"time"
)

// RunTasks runs the tasks' deadline monitoring (reminders before a due
// day, overdue notices, escalations; see tasks.Service.RemindDue) every
// interval until ctx ends; several instances may run it (each
// notification goes out once).
func (a *App) RunTasks(ctx context.Context, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		rep, err := a.Tasks.RemindDue(ctx, time.Now())
		if err != nil && ctx.Err() == nil {
			a.Log.Warn("tasks: deadline monitoring", "err", err, "failed_tasks", rep.Failed, "skipped_tenants", rep.SkippedTenants)
		}
		if rep.Reminders+rep.Overdue+rep.Escalations > 0 {
			a.Log.Info("tasks: deadline notices sent", "tasks", rep.Tasks, "reminders", rep.Reminders, "overdue", rep.Overdue,
				"escalations", rep.Escalations)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
