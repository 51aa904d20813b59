// Package notify is the one notification mechanism every module uses.
//
// A module announces an event with Service.Emit inside the transaction of
// the change (an outbox: notification_events), naming who it concerns:
// an explicit list of memberships (To) or a named audience (an SQL set
// of memberships, NewAudience). The emitter decides the recipients, since
// it knows who may read the object, and writes only what those recipients
// may see (title and text in German and English, a link into the app);
// the actor is never a recipient. The writer does not wait for the
// fan-out: a worker (Dispatch, run by `kollab serve`) claims each event
// once, across instances (FOR UPDATE SKIP LOCKED on PostgreSQL; SQLite has
// one writer), turns it into one notifications row per recipient with one
// INSERT ... SELECT, queues the mails of those who want them at once
// (mail_outbox, sent by the committee module's mail loop) and signals the
// recipients' bells over the live event stream (internal/live). A daily
// digest (Digest) mails, to those who chose it, the unread notifications
// of the previous day.
//
// A person reads their own notifications (List, MarkRead, MarkAllRead)
// and chooses per kind how to be told (Preferences, SetPreferences):
// at once, daily digest, or never (in the app only).
package notify

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"
	"github.com/kollab/kollab/internal/db"
	"github.com/kollab/kollab/internal/live"
)

// LiveKind is the live topic kind of a person's bell: its id is the
// membership, its snapshot {"unread": n}.
const LiveKind = "bell"

// Mail kinds this package queues in mail_outbox (ComposeMail writes them).
const (
	MailNotification = "notification"
	MailDigest       = "notification_digest"
)

const (
	eventsTable = "notification_events"
	inboxTable  = "notifications"
	prefsTable  = "notification_preferences"
	// maxExplicit bounds an explicit recipient list.
	maxExplicit = 10000
)

// Service emits, dispatches and reads notifications.
type Service struct {
	db         *db.DB
	live       *live.Hub
	mailQueued func()
	wake       chan struct{}
	now        func() time.Time
}

// Option adjusts a Service.
type Option func(*Service)

// WithLive signals bells through hub.
func WithLive(hub *live.Hub) Option { return func(s *Service) { s.live = hub } }

// WithMailQueued is called after a dispatch queued mails (to wake the mail loop).
func WithMailQueued(f func()) Option { return func(s *Service) { s.mailQueued = f } }

// WithClock sets the clock (tests).
func WithClock(now func() time.Time) Option { return func(s *Service) { s.now = now } }

// New returns the notification service on d.
func New(d *db.DB, opts ...Option) *Service {
	s := &Service{db: d, wake: make(chan struct{}, 1), now: db.Now}
	for _, o := range opts {
		o(s)
	}
	return s
}

// Woken receives a value after a transaction that emitted an event has
// committed (the worker dispatches at once).
func (s *Service) Woken() <-chan struct{} { return s.wake }

// Text is a text in German (the default) and English.
type Text struct{ DE, EN string }

// Event is what happened, for whom.
type Event struct {
	// Kind is one of Kinds (what a person sets a preference for).
	Kind string
	// ObjectType and ObjectID name what the event is about.
	ObjectType string
	ObjectID   uuid.UUID
	// WorkspaceID is the workspace the object belongs to, if any.
	WorkspaceID *uuid.UUID
	// Actor is the membership that caused the event (never told); Nil for none.
	Actor uuid.UUID
	// Title (required) and Text are what every recipient sees.
	Title, Text Text
	// Link is the object's page in the web app, relative to /t/{tenant}/
	// ("polls/<id>").
	Link string
	// Recipients: To(...) or an Audience's Of(...).
	Recipients Recipients
	// At is when it happened (default: now).
	At time.Time
}

// Recipients is a set of memberships: explicit, or an audience with its parameter.
type Recipients struct {
	audience string
	param    uuid.UUID
	ids      []uuid.UUID
}

// To is an explicit set of memberships (at most 10,000).
func To(ids ...uuid.UUID) Recipients { return Recipients{ids: ids} }

// eventRow is a row of notification_events.
type eventRow struct {
	TenantID       uuid.UUID  `gorm:"column:tenant_id"`
	ID             uuid.UUID  `gorm:"column:id"`
	Kind           string     `gorm:"column:kind"`
	ObjectType     string     `gorm:"column:object_type"`
	ObjectID       uuid.UUID  `gorm:"column:object_id"`
	WorkspaceID    *uuid.UUID `gorm:"column:workspace_id"`
	ActorID        *uuid.UUID `gorm:"column:actor_id"`
	TitleDE        string     `gorm:"column:title_de"`
	TitleEN        string     `gorm:"column:title_en"`
	TextDE         string     `gorm:"column:text_de"`
	TextEN         string     `gorm:"column:text_en"`
	Link           string     `gorm:"column:link"`
	Audience       string     `gorm:"column:audience"`
	AudienceID     *uuid.UUID `gorm:"column:audience_id"`
	Recipients     string     `gorm:"column:recipients"`
	CreatedAt      time.Time  `gorm:"column:created_at"`
	DispatchedAt   *time.Time `gorm:"column:dispatched_at"`
	RecipientCount int        `gorm:"column:recipient_count"`
}

// OwnerTenant implements db.TenantOwned.
func (r *eventRow) OwnerTenant() uuid.UUID { return r.TenantID }

// MaxTitle is how many characters a notification's title holds.
const MaxTitle = 500

// Clip shortens a title to MaxTitle characters, ending it with "…" when
// it was longer: emitters build titles from names of any length.
func Clip(s string) string {
	if r := []rune(s); len(r) > MaxTitle {
		return string(r[:MaxTitle-1]) + "…"
	}
	return s
}

// Emit writes the event in tx (the emitter's own transaction): it commits
// with the change, or not at all. The fan-out happens later (Dispatch);
// a Service wakes its worker once tx has committed. A nil Service still
// writes the event (a worker elsewhere dispatches it).
func (s *Service) Emit(ctx context.Context, tx *db.Tx, e Event) (uuid.UUID, error) {
	if err := e.validate(); err != nil {
		return uuid.Nil, err
	}
	if e.Recipients.audience == "" && len(e.Recipients.ids) == 0 {
		return uuid.Nil, nil // nobody to tell
	}
	at := e.At
	if at.IsZero() {
		at = db.Now()
	}
	r := &eventRow{TenantID: tx.TenantID(), ID: db.NewID(), Kind: e.Kind, ObjectType: e.ObjectType, ObjectID: e.ObjectID,
		WorkspaceID: e.WorkspaceID, TitleDE: e.Title.DE, TitleEN: e.Title.EN, TextDE: e.Text.DE, TextEN: e.Text.EN,
		Link: e.Link, Audience: e.Recipients.audience, Recipients: "[]", CreatedAt: at.UTC().Truncate(time.Microsecond)}
	if r.TitleEN == "" {
		r.TitleEN = r.TitleDE
	}
	if r.TextEN == "" {
		r.TextEN = r.TextDE
	}
	if e.Actor != uuid.Nil {
		a := e.Actor
		r.ActorID = &a
	}
	if r.Audience != "" {
		p := e.Recipients.param
		r.AudienceID = &p
	} else {
		b, err := json.Marshal(e.Recipients.ids)
		if err != nil {
			return uuid.Nil, err
		}
		r.Recipients = string(b)
	}
	if err := tx.Create(eventsTable, r); err != nil {
		return uuid.Nil, fmt.Errorf("notify: emit: %w", err)
	}
	if s != nil {
		tx.AfterCommit(s.Wake)
	}
	return r.ID, nil
}

// Wake asks the worker to dispatch now.
func (s *Service) Wake() {
	select {
	case s.wake <- struct{}{}:
	default:
	}
}

// validate checks an event as its emitter built it (a programming error,
// not a user's input: plain errors).
func (e *Event) validate() error {
	if _, ok := kindInfo(e.Kind); !ok {
		return fmt.Errorf("notify: unknown kind %q", e.Kind)
	}
	if e.ObjectType == "" || len(e.ObjectType) > 100 || e.ObjectID == uuid.Nil {
		return fmt.Errorf("notify: event without its object")
	}
	for _, t := range []struct {
		s   string
		max int
	}{{e.Title.DE, MaxTitle}, {e.Title.EN, MaxTitle}, {e.Text.DE, 4000}, {e.Text.EN, 4000}, {e.Link, 2000}} {
		if utf8.RuneCountInString(t.s) > t.max || !utf8.ValidString(t.s) {
			return fmt.Errorf("notify: a text of the event is too long")
		}
	}
	if strings.TrimSpace(e.Title.DE) == "" {
		return fmt.Errorf("notify: event without a title")
	}
	if e.Recipients.audience != "" && len(e.Recipients.ids) > 0 {
		return fmt.Errorf("notify: an audience and explicit recipients at once")
	}
	if len(e.Recipients.ids) > maxExplicit {
		return fmt.Errorf("notify: more than %d explicit recipients (use an audience)", maxExplicit)
	}
	return nil
}
