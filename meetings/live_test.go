package meetings_test

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/kollab/kollab/internal/db"
	"github.com/kollab/kollab/internal/db/dbtest"
	"github.com/kollab/kollab/internal/live"
	"github.com/kollab/kollab/meetings"
)

// TestLiveSignals: a poll's followers see its count and state, never how
// anyone voted; a meeting's followers hear of attendance and polls.
func TestLiveSignals(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		hctx, cancel := context.WithCancel(ctx)
		defer cancel()
		hub := live.New(hctx, d, nil)
		hub.Debounce = 10 * time.Millisecond
		if d.Dialect() == db.Postgres {
			n, err := d.NewNotifier(nil)
			must(t, err)
			hub.Listen(n)
			done := make(chan struct{})
			go func() { defer close(done); _ = n.Run(hctx) }()
			defer func() { cancel(); <-done }()
			for deadline := time.Now().Add(10 * time.Second); !n.Listening(); time.Sleep(5 * time.Millisecond) {
				if time.Now().After(deadline) {
					t.Fatal("the notifier does not listen")
				}
			}
		}
		w := newWorld(t, d)
		w.configure(meetings.WithLive(hub))
		hub.Handle(live.KindPoll, func(ctx context.Context, tenantID, id uuid.UUID) (any, error) {
			return w.svc.LivePoll(ctx, tenantID, id)
		})
		ag := w.a
		vs := w.voters(t, ag, 3)
		m, it := w.session(t, ag, vs...)
		meeting, stop := hub.Subscribe(ag.tenant.ID, live.KindMeeting, m.ID)
		defer stop()

		p := w.openPoll(t, ag, it.ID, meetings.Secret, nil)
		waitWhat(t, meeting, "polls")
		polls, stopPoll := hub.Subscribe(ag.tenant.ID, live.KindPoll, p.ID)
		defer stopPoll()
		waitSnapshot(t, polls, `{"state":"open","ballots":0}`)
		for i, v := range vs {
			must(t, w.cast(v, p.ID, meetings.Yes))
			waitSnapshot(t, polls, `{"state":"open","ballots":`+string(rune('1'+i))+`}`)
		}
		_, err := w.svc.ClosePoll(ctx, ag.chair, p.ID)
		must(t, err)
		waitSnapshot(t, polls, `{"state":"closed","ballots":3}`)
		_, err = w.svc.Depart(ctx, ag.secretary, m.ID, vs[0].MembershipID)
		must(t, err)
		waitWhat(t, meeting, "attendance")
		// The chair calls no item (the poll had called its own): the members hear of it.
		_, err = w.svc.SetCurrentItem(ctx, ag.chair, m.ID, uuid.Nil)
		must(t, err)
		waitWhat(t, meeting, "current_item")
	})
}

func waitWhat(t *testing.T, ch <-chan live.Event, what string) {
	t.Helper()
	deadline := time.After(5 * time.Second)
	for {
		select {
		case ev := <-ch:
			if ev.What == what || ev.What == live.WhatChanged {
				return
			}
		case <-deadline:
			t.Fatalf("no %q event", what)
		}
	}
}

func waitSnapshot(t *testing.T, ch <-chan live.Event, want string) {
	t.Helper()
	deadline := time.After(5 * time.Second)
	last := ""
	for {
		select {
		case ev := <-ch:
			var v map[string]any
			if json.Unmarshal(ev.Data, &v) != nil || len(v) != 2 {
				t.Fatalf("snapshot %s has more than state and count", ev.Data)
			}
			if last = string(ev.Data); last == want {
				return
			}
		case <-deadline:
			t.Fatalf("no snapshot %s (last %s)", want, last)
		}
	}
}
