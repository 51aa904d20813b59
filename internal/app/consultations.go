package app

import (
	"context"
	"time"
)

// RunConsultations sends the consultations' automatic reminders (three
// working days before a deadline, once per consultation and deadline)
// every interval until ctx ends; several instances may run it (each
// reminder goes out once, see consultations.Service.RemindDue).
func (a *App) RunConsultations(ctx context.Context, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		rep, err := a.Consultations.RemindDue(ctx, time.Now())
		if err != nil && ctx.Err() == nil {
			a.Log.Warn("consultations: reminders", "err", err, "skipped_tenants", rep.SkippedTenants)
		}
		if rep.Consultations > 0 {
			a.Log.Info("consultations: reminders sent", "consultations", rep.Consultations, "people", rep.People)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
