// Package live carries change signals from the transactions that make
// them to the event streams (Server-Sent Events) of every instance: a
// poll's ballot count while it is open, a meeting's agenda, attendance and
// polls while it runs.
//
// A transaction announces what it changed with Hub.Changed. On PostgreSQL
// that is a NOTIFY inside the transaction: delivered to every instance
// (each LISTENs through db.Notifier) when, and only when, the transaction
// commits, so several instances agree. On SQLite, which serves one
// instance, the signal goes to this instance's subscribers after the
// commit.
//
// Signals carry no data. For a topic with a Loader (a poll: its state and
// count), the hub reads the current snapshot itself, at most once per
// Debounce per topic however many signals arrive (a vote storm costs one
// read per interval, not one per ballot), and every subscriber gets the
// latest snapshot; a slow subscriber skips intermediate ones, never the
// last. Other topics pass each signal's "what" on, and clients read what
// they need.
package live

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"time"

	"github.com/google/uuid"
	"github.com/kollab/kollab/internal/db"
)

// Channel is the PostgreSQL notification channel of live signals. A
// payload is "<tenant id>/<kind>/<id>/<what>".
const Channel = "kollab_live"

// Topic kinds.
const (
	KindPoll    = "poll"
	KindMeeting = "meeting"
)

// Event is what a subscriber receives: for a topic with a loader its
// snapshot (What is "snapshot"), otherwise the signal's What.
type Event struct {
	What string
	Data json.RawMessage
}

// Loader reads the current snapshot of a topic (for its JSON event data).
type Loader func(ctx context.Context, tenantID, id uuid.UUID) (any, error)

// Hub fans signals out to subscribers. The zero value is not usable; use
// New.
type Hub struct {
	d   *db.DB
	log *slog.Logger
	// Debounce is the least time between two snapshot reads of a topic.
	Debounce time.Duration

	mu      sync.Mutex
	topics  map[topicKey]*topic
	loaders map[string]Loader
	ctx     context.Context
}

type topicKey struct {
	tenant uuid.UUID
	kind   string
	id     uuid.UUID
}

type topic struct {
	subs    map[*subscriber]struct{}
	pending bool      // a snapshot read is scheduled
	last    time.Time // when the last read started
	latest  *Event    // the last snapshot read (loader topics)
}

type subscriber struct{ ch chan Event }

// New returns a hub on d; ctx bounds its snapshot reads.
func New(ctx context.Context, d *db.DB, log *slog.Logger) *Hub {
	if log == nil {
		log = slog.Default()
	}
	return &Hub{d: d, log: log, Debounce: 100 * time.Millisecond, ctx: ctx,
		topics: map[topicKey]*topic{}, loaders: map[string]Loader{}}
}

// Handle registers the loader of a topic kind (before subscribers come).
func (h *Hub) Handle(kind string, l Loader) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.loaders[kind] = l
}

// Listen subscribes the hub to n (PostgreSQL), which must then Run.
func (h *Hub) Listen(n *db.Notifier) {
	n.Subscribe(Channel, db.Subscriber{Notify: h.notified, Connected: func(up bool) {
		if up { // signals may have been missed while down: refresh every topic
			h.refreshAll()
		}
	}})
}

// Changed announces inside tx that a topic changed (what says how, for
// topics without a loader). See the package comment.
func (h *Hub) Changed(tx *db.Tx, kind string, id uuid.UUID, what string) error {
	if h == nil {
		return nil
	}
	if strings.ContainsAny(kind+what, "/") {
		return fmt.Errorf("live: bad signal %q/%q", kind, what)
	}
	if h.d.Dialect() == db.Postgres {
		payload := tx.TenantID().String() + "/" + kind + "/" + id.String() + "/" + what
		if err := tx.Unscoped().Exec("SELECT pg_notify(?, ?)", Channel, payload).Error; err != nil {
			return fmt.Errorf("live: notify: %w", err)
		}
		return nil
	}
	tenant := tx.TenantID()
	tx.AfterCommit(func() { h.signal(topicKey{tenant, kind, id}, what) })
	return nil
}

// notified handles a payload from Channel.
func (h *Hub) notified(payload string) {
	parts := strings.Split(payload, "/")
	if len(parts) != 4 {
		return
	}
	tenant, err1 := uuid.Parse(parts[0])
	id, err2 := uuid.Parse(parts[2])
	if err1 != nil || err2 != nil {
		return
	}
	h.signal(topicKey{tenant, parts[1], id}, parts[3])
}

// Subscribe starts receiving a topic's events. The channel holds the
// latest undelivered event; a topic with a loader first delivers its
// current snapshot. cancel ends the subscription (and closes nothing: stop
// reading after it).
func (h *Hub) Subscribe(tenantID uuid.UUID, kind string, id uuid.UUID) (<-chan Event, func()) {
	k := topicKey{tenantID, kind, id}
	s := &subscriber{ch: make(chan Event, 1)}
	h.mu.Lock()
	t := h.topics[k]
	if t == nil {
		t = &topic{subs: map[*subscriber]struct{}{}}
		h.topics[k] = t
	}
	t.subs[s] = struct{}{}
	_, loads := h.loaders[kind]
	if loads {
		if t.latest != nil {
			offer(s, *t.latest)
		} else {
			h.scheduleLocked(k, t)
		}
	}
	h.mu.Unlock()
	return s.ch, func() {
		h.mu.Lock()
		defer h.mu.Unlock()
		delete(t.subs, s)
		if len(t.subs) == 0 && !t.pending {
			delete(h.topics, k)
		}
	}
}

// signal handles one change of a topic on this instance.
func (h *Hub) signal(k topicKey, what string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	t := h.topics[k]
	if t == nil || len(t.subs) == 0 {
		return // nobody here listens to it
	}
	if _, loads := h.loaders[k.kind]; loads {
		h.scheduleLocked(k, t)
		return
	}
	for s := range t.subs {
		offerMerged(s, what)
	}
}

// scheduleLocked reads the topic's snapshot soon: at once if the last read
// is older than Debounce, else when it will be. h.mu is held.
func (h *Hub) scheduleLocked(k topicKey, t *topic) {
	if t.pending {
		return
	}
	t.pending = true
	wait := h.Debounce - time.Since(t.last)
	time.AfterFunc(max(wait, 0), func() { h.load(k) })
}

// load reads a snapshot and hands it to the topic's subscribers.
func (h *Hub) load(k topicKey) {
	h.mu.Lock()
	t := h.topics[k]
	l := h.loaders[k.kind]
	if t == nil {
		h.mu.Unlock()
		return
	}
	t.pending, t.last = false, time.Now()
	h.mu.Unlock()

	ctx, cancel := context.WithTimeout(h.ctx, 10*time.Second)
	defer cancel()
	v, err := l(ctx, k.tenant, k.id)
	var ev Event
	if err == nil {
		var b []byte
		if b, err = json.Marshal(v); err == nil {
			ev = Event{What: "snapshot", Data: b}
		}
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	if err != nil {
		if h.ctx.Err() == nil && len(t.subs) > 0 {
			h.log.Warn("live snapshot", "kind", k.kind, "id", k.id, "err", err)
			h.scheduleLocked(k, t) // try again after Debounce
		} else if len(t.subs) == 0 && !t.pending {
			delete(h.topics, k)
		}
		return
	}
	t.latest = &ev
	for s := range t.subs {
		offer(s, ev)
	}
	if len(t.subs) == 0 && !t.pending {
		delete(h.topics, k)
	}
}

// refreshAll re-reads every loader topic and tells every other topic's
// subscribers that anything may have changed.
func (h *Hub) refreshAll() {
	h.mu.Lock()
	defer h.mu.Unlock()
	for k, t := range h.topics {
		if _, loads := h.loaders[k.kind]; loads {
			h.scheduleLocked(k, t)
			continue
		}
		for s := range t.subs {
			offerMerged(s, WhatChanged)
		}
	}
}

// WhatChanged is the What of an event that stands for several different
// signals a subscriber had not yet taken (or for signals possibly missed):
// anything about the topic may have changed.
const WhatChanged = "changed"

// offerMerged offers a signal's what; if an undelivered event says
// something else, the two become one WhatChanged event.
func offerMerged(s *subscriber, what string) {
	for {
		select {
		case s.ch <- Event{What: what}:
			return
		default:
		}
		select {
		case old := <-s.ch:
			if old.What != what {
				what = WhatChanged
			}
		default:
		}
	}
}

// offer puts ev into the subscriber's one-slot channel, replacing an
// undelivered older event.
func offer(s *subscriber, ev Event) {
	for {
		select {
		case s.ch <- ev:
			return
		default:
		}
		select {
		case <-s.ch:
		default:
		}
	}
}
