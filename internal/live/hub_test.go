package live

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/kollab/kollab/internal/db"
	"github.com/kollab/kollab/internal/db/dbtest"
	"github.com/kollab/kollab/tenant"
)

var ctx = context.Background()

func newTenant(t *testing.T, d *db.DB) uuid.UUID {
	t.Helper()
	tn, err := tenant.NewService(d, nil).CreateTenant(ctx, "live-"+uuid.NewString()[:8], "Live")
	if err != nil {
		t.Fatal(err)
	}
	return tn.ID
}

// listening returns a hub that hears d's signals (a running notifier on
// PostgreSQL), ready once it listens.
func listening(t *testing.T, d *db.DB) *Hub {
	t.Helper()
	hctx, cancel := context.WithCancel(ctx)
	h := New(hctx, d, nil)
	h.Debounce = 20 * time.Millisecond
	if d.Dialect() != db.Postgres {
		t.Cleanup(cancel)
		return h
	}
	n, err := d.NewNotifier(nil)
	if err != nil {
		t.Fatal(err)
	}
	up := make(chan struct{})
	n.Subscribe("kollab_live_test_ready", db.Subscriber{Notify: func(string) {}, Connected: func(ok bool) {
		if ok {
			select {
			case <-up:
			default:
				close(up)
			}
		}
	}})
	h.Listen(n)
	done := make(chan struct{})
	go func() { defer close(done); _ = n.Run(hctx) }()
	t.Cleanup(func() { cancel(); <-done })
	select {
	case <-up:
	case <-time.After(10 * time.Second):
		t.Fatal("the notifier did not listen")
	}
	return h
}

func next(t *testing.T, ch <-chan Event) Event {
	t.Helper()
	select {
	case ev := <-ch:
		return ev
	case <-time.After(5 * time.Second):
		t.Fatal("no event")
		return Event{}
	}
}

func none(t *testing.T, ch <-chan Event, within time.Duration) {
	t.Helper()
	select {
	case ev := <-ch:
		t.Fatalf("unexpected event %+v", ev)
	case <-time.After(within):
	}
}

func change(t *testing.T, d *db.DB, h *Hub, tenantID uuid.UUID, kind string, id uuid.UUID, what string, commit bool) {
	t.Helper()
	errRollback := context.Canceled
	err := d.Tenant(ctx, tenantID, func(tx *db.Tx) error {
		if err := h.Changed(tx, kind, id, what); err != nil {
			return err
		}
		if !commit {
			return errRollback
		}
		return nil
	})
	if commit && err != nil {
		t.Fatal(err)
	}
}

func TestSignalsReachSubscribersAfterCommit(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		h := listening(t, d)
		tn, other := newTenant(t, d), newTenant(t, d)
		meeting := uuid.New()
		ch, cancel := h.Subscribe(tn, KindMeeting, meeting)
		defer cancel()

		change(t, d, h, tn, KindMeeting, meeting, "agenda", false)
		none(t, ch, 150*time.Millisecond) // rolled back: nothing
		change(t, d, h, tn, KindMeeting, meeting, "agenda", true)
		if ev := next(t, ch); ev.What != "agenda" {
			t.Fatalf("event %+v", ev)
		}
		// The same id in another tenant, another meeting: not this topic.
		change(t, d, h, other, KindMeeting, meeting, "agenda", true)
		change(t, d, h, tn, KindMeeting, uuid.New(), "agenda", true)
		none(t, ch, 150*time.Millisecond)
		// Two different signals not yet taken merge into one "changed".
		change(t, d, h, tn, KindMeeting, meeting, "agenda", true)
		change(t, d, h, tn, KindMeeting, meeting, "attendance", true)
		time.Sleep(150 * time.Millisecond)
		if ev := next(t, ch); ev.What != WhatChanged {
			t.Fatalf("merged event %+v", ev)
		}
	})
}

// TestSnapshotsAreDebounced: a storm of signals costs a few snapshot
// reads, and every subscriber ends with the latest state.
func TestSnapshotsAreDebounced(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		h := listening(t, d)
		tn := newTenant(t, d)
		poll := uuid.New()
		var state, reads atomic.Int64
		h.Handle(KindPoll, func(_ context.Context, tenantID, id uuid.UUID) (any, error) {
			if tenantID != tn || id != poll {
				t.Errorf("snapshot of %s/%s", tenantID, id)
			}
			reads.Add(1)
			return map[string]int64{"ballots": state.Load()}, nil
		})
		subs := make([]<-chan Event, 50)
		for i := range subs {
			ch, cancel := h.Subscribe(tn, KindPoll, poll)
			defer cancel()
			subs[i] = ch
		}
		for _, ch := range subs { // the current snapshot at once
			if ev := next(t, ch); string(ev.Data) != `{"ballots":0}` {
				t.Fatalf("first snapshot %s", ev.Data)
			}
		}
		before := reads.Load()
		for i := range 200 {
			state.Store(int64(i + 1))
			change(t, d, h, tn, KindPoll, poll, "ballot", true)
		}
		for _, ch := range subs {
			deadline := time.After(5 * time.Second)
			for last := ""; last != `{"ballots":200}`; {
				select {
				case ev := <-ch:
					last = string(ev.Data)
				case <-deadline:
					t.Fatalf("the last snapshot never came (last %s)", last)
				}
			}
		}
		if n := reads.Load() - before; n > 100 {
			t.Fatalf("%d snapshot reads for 200 signals", n)
		}
	})
}

// TestInstancesAgree: on PostgreSQL a change made through one instance
// reaches the subscribers of another.
func TestInstancesAgree(t *testing.T) {
	d, _ := dbtest.Postgres(t)
	d2, err := db.Open(ctx, db.Options{URL: d.Pgx().Config().ConnString()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = d2.Close() })
	h1, h2 := listening(t, d), listening(t, d2)
	tn := newTenant(t, d)
	meeting := uuid.New()
	ch1, c1 := h1.Subscribe(tn, KindMeeting, meeting)
	defer c1()
	ch2, c2 := h2.Subscribe(tn, KindMeeting, meeting)
	defer c2()
	change(t, d2, h2, tn, KindMeeting, meeting, "polls", true)
	for _, ch := range []<-chan Event{ch1, ch2} {
		if ev := next(t, ch); ev.What != "polls" {
			t.Fatalf("event %+v", ev)
		}
	}
}
