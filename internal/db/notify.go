package db

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgxlisten"
)

// Notifier carries PostgreSQL notifications (NOTIFY, pg_notify) to the
// parts of this instance that subscribed to a channel: one connection per
// instance LISTENs on every channel (pgxlisten reconnects when it is lost).
// Several instances of Kollab agree through it: a change committed by one
// reaches all of them within milliseconds.
//
// A subscriber is told when the connection goes down (notifications sent
// meanwhile are lost, so state derived from them must be dropped or
// distrusted) and when LISTEN is in place again.
type Notifier struct {
	d   *DB
	log *slog.Logger

	mu       sync.Mutex
	subs     map[string][]Subscriber
	running  bool
	listener pgxlisten.Listener
	pid      atomic.Uint32 // the listening backend's process id
	up       atomic.Bool   // every channel listened to on the current connection
	// listening holds the channels listened to on the current connection.
	listening map[string]bool
}

// Subscriber receives the notifications of one channel.
type Subscriber struct {
	// Notify is called with each payload, in commit order, on the
	// listener's goroutine: it must return quickly.
	Notify func(payload string)
	// Connected is called with false when the connection is lost (or not
	// yet made) and with true once LISTEN is in place, before the
	// notifications that follow. Optional.
	Connected func(up bool)
}

// ReconnectDelay is how long the notifier waits before it connects again
// after losing its connection.
const ReconnectDelay = time.Second

// NewNotifier returns a notifier on d, which must be PostgreSQL. Subscribe
// before Run.
func (d *DB) NewNotifier(log *slog.Logger) (*Notifier, error) {
	if d.pgx == nil {
		return nil, errors.New("db: notifications need PostgreSQL")
	}
	if log == nil {
		log = slog.Default()
	}
	return &Notifier{d: d, log: log, subs: map[string][]Subscriber{}}, nil
}

// Subscribe registers s for channel. It panics after Run has started: the
// set of channels is fixed while listening.
func (n *Notifier) Subscribe(channel string, s Subscriber) {
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.running {
		panic("db: Notifier.Subscribe after Run")
	}
	n.subs[channel] = append(n.subs[channel], s)
}

// Run listens until ctx ends, reconnecting after ReconnectDelay whenever
// the connection is lost. It returns ctx's error.
func (n *Notifier) Run(ctx context.Context) error {
	n.mu.Lock()
	if n.running {
		n.mu.Unlock()
		return errors.New("db: Notifier.Run called twice")
	}
	n.running = true
	n.listener = pgxlisten.Listener{
		Connect: n.connect,
		// pgxlisten reports here, before it waits to reconnect, that the
		// connection is gone (our handlers never fail).
		LogError: func(_ context.Context, err error) {
			n.setConnected(false)
			if ctx.Err() == nil {
				n.log.Warn("database notifications", "err", err)
			}
		},
		ReconnectDelay: ReconnectDelay,
	}
	for ch, subs := range n.subs {
		n.listener.Handle(ch, channelHandler{n: n, subs: subs})
	}
	n.mu.Unlock()
	if len(n.subs) == 0 {
		<-ctx.Done()
		return ctx.Err()
	}
	defer n.setConnected(false)
	return n.listener.Listen(ctx)
}

// connect is called for the first connection and after every loss: until
// LISTEN is in place again, subscribers must not trust what they hold.
func (n *Notifier) connect(ctx context.Context) (*pgx.Conn, error) {
	n.setConnected(false)
	n.mu.Lock()
	n.listening = map[string]bool{}
	n.mu.Unlock()
	c, err := n.d.pgx.Acquire(ctx)
	if err != nil {
		return nil, err
	}
	conn := c.Hijack() // the listener owns (and closes) it
	n.pid.Store(conn.PgConn().PID())
	return conn, nil
}

// BackendPID is the process id of the listening connection's server
// backend (0 before the first connection).
func (n *Notifier) BackendPID() uint32 { return n.pid.Load() }

func (n *Notifier) setConnected(up bool) {
	if !up {
		n.up.Store(false)
	}
	for _, subs := range n.subs {
		for _, s := range subs {
			if s.Connected != nil {
				s.Connected(up)
			}
		}
	}
}

// channelHandler dispatches one channel's notifications; pgxlisten calls
// HandleBacklog right after its LISTEN, which is when the channel is live.
type channelHandler struct {
	n    *Notifier
	subs []Subscriber
}

func (h channelHandler) HandleNotification(_ context.Context, nt *pgconn.Notification, _ *pgx.Conn) error {
	for _, s := range h.subs {
		s.Notify(nt.Payload)
	}
	return nil
}

func (h channelHandler) HandleBacklog(_ context.Context, channel string, _ *pgx.Conn) error {
	for _, s := range h.subs {
		if s.Connected != nil {
			s.Connected(true)
		}
	}
	h.n.mu.Lock()
	defer h.n.mu.Unlock()
	h.n.listening[channel] = true
	if len(h.n.listening) == len(h.n.subs) {
		h.n.up.Store(true)
	}
	return nil
}

// Listening reports whether every channel is being listened to now.
func (n *Notifier) Listening() bool { return n.up.Load() }

// Notify sends payload on channel (delivered when the surrounding
// transaction commits, if any; here: at once).
func (d *DB) Notify(ctx context.Context, channel, payload string) error {
	if d.pgx == nil {
		return errors.New("db: notifications need PostgreSQL")
	}
	if _, err := d.pgx.Exec(ctx, "SELECT pg_notify($1, $2)", channel, payload); err != nil {
		return fmt.Errorf("db: notify %s: %w", channel, err)
	}
	return nil
}
