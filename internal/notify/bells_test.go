package notify_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/kollab/kollab/internal/db"
	"github.com/kollab/kollab/internal/db/dbtest"
	"github.com/kollab/kollab/internal/live"
	"github.com/kollab/kollab/internal/notify"
)

// TestBellsOf5000: an event for 5,000 members, each following their bell,
// reaches every bell (the unread count 1) after the writer has committed;
// the time is logged (the target: within 2 s).
func TestBellsOf5000(t *testing.T) {
	if testing.Short() {
		t.Skip("5,000 live subscribers")
	}
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		hub := live.New(ctx, d, nil)
		w := newWorld(t, d, "glocken")
		w.n = notify.New(d, notify.WithLive(hub))
		hub.Handle(notify.LiveKind, func(ctx context.Context, tenantID, id uuid.UUID) (any, error) {
			return w.n.LiveBell(ctx, tenantID, id)
		})
		if d.Dialect() == db.Postgres {
			n, err := d.NewNotifier(nil)
			if err != nil {
				t.Fatal(err)
			}
			hub.Listen(n)
			done := make(chan struct{})
			go func() { defer close(done); _ = n.Run(ctx) }()
			defer func() { cancel(); <-done }()
			for deadline := time.Now().Add(10 * time.Second); !n.Listening(); time.Sleep(5 * time.Millisecond) {
				if time.Now().After(deadline) {
					t.Fatal("not listening")
				}
			}
		}
		addMembers(t, d, w.tid, 5000, "g")
		var ids []uuid.UUID
		if err := d.Tenant(ctx, w.tid, func(tx *db.Tx) error {
			return tx.Raw(`SELECT id FROM memberships WHERE tenant_id = @tenant AND id <> ?`, w.a.MembershipID).Scan(&ids).Error
		}); err != nil {
			t.Fatal(err)
		}
		bells := make([]<-chan live.Event, len(ids))
		for i, id := range ids {
			ch, stop := hub.Subscribe(w.tid, notify.LiveKind, id)
			defer stop()
			bells[i] = ch
		}
		for i := range bells { // the first snapshot: nothing unread
			waitUnread(t, bells[i], `{"unread":0}`)
		}
		start := time.Now()
		w.emit(t, pollEvent(w.a.MembershipID, everyone.Of(db.NewID())))
		committed := time.Since(start)
		if _, err := w.n.Dispatch(ctx); err != nil {
			t.Fatal(err)
		}
		dispatched := time.Since(start)
		for i := range bells {
			waitUnread(t, bells[i], `{"unread":1}`)
		}
		t.Logf("%s: %d bells: writer committed after %v, fan-out done after %v, every bell rang after %v",
			d.Dialect(), len(bells), committed, dispatched, time.Since(start))
	})
}

func waitUnread(t *testing.T, ch <-chan live.Event, want string) {
	t.Helper()
	deadline := time.After(20 * time.Second)
	for {
		select {
		case ev := <-ch:
			if string(ev.Data) == want {
				return
			}
		case <-deadline:
			t.Fatalf("no bell %s", want)
		}
	}
}
