package app

import (
	"context"
	"time"
)

// RunNotify dispatches the modules' notification events until ctx ends:
// at once when a transaction emitted one (on this instance), and every
// interval for events emitted elsewhere; several instances may run it
// (each event is claimed once). Every digestEvery it also queues the daily
// digests of the previous day (once per person and day, whoever runs it).
func (a *App) RunNotify(ctx context.Context, every, digestEvery time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	var lastDigest time.Time
	for {
		rep, err := a.Notify.Dispatch(ctx)
		if err != nil && ctx.Err() == nil {
			a.Log.Warn("notifications: dispatch", "err", err, "skipped_tenants", rep.SkippedTenants)
		}
		if rep.Events > 0 {
			a.Log.Info("notifications: dispatched", "events", rep.Events, "notifications", rep.Notifications)
		}
		if now := time.Now(); now.Sub(lastDigest) >= digestEvery {
			lastDigest = now
			drep, err := a.Notify.Digest(ctx, now)
			if err != nil && ctx.Err() == nil {
				a.Log.Warn("notifications: digest", "err", err, "skipped_tenants", drep.SkippedTenants)
			}
			if drep.Queued > 0 {
				a.Log.Info("notifications: digests queued", "count", drep.Queued)
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		case <-a.Notify.Woken():
		}
	}
}

// The mail loop sends notification mails through a.Mailer: it must compose them.
var _ interface {
	SendNotification(ctx context.Context, kind, to, key string, payload []byte) error
} = mailers{}

// RunGuests runs the guests' lifecycle every interval until ctx ends:
// reminders to sponsors 14 days before an expiry, and the deactivation of
// guests whose access ran out (workspaces.Service.SweepGuests; several
// instances may run it).
func (a *App) RunGuests(ctx context.Context, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		rep, err := a.Workspaces.SweepGuests(ctx)
		if err != nil && ctx.Err() == nil {
			a.Log.Warn("guests: sweep", "err", err, "skipped_tenants", rep.SkippedTenants)
		}
		if rep.Reminded+rep.Expired > 0 {
			a.Log.Info("guests: swept", "reminded", rep.Reminded, "expired", rep.Expired)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
