package notify

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/kollab/kollab/internal/db"
	"github.com/kollab/kollab/internal/errs"
)

// Actor is the person reading their own notifications: tenant.Actor (an
// infrastructure package knows no domain, so it names what it needs).
// Run opens the transaction and checks the membership in it.
type Actor interface {
	Run(ctx context.Context, d *db.DB, fn func(tx *db.Tx) error) error
	Record(ctx context.Context, tx *db.Tx, action, targetType string, target uuid.UUID, details map[string]string) error
	Membership() uuid.UUID
}

// Audit actions and target type of this package.
const (
	ActionPreferencesUpdated = "notifications.preferences.updated"
	TargetMembership         = "membership"
)

// MaxLimit bounds a page of notifications.
const MaxLimit = 200

// Notification is one notification as its recipient sees it, in their language.
type Notification struct {
	// ID is the event's id (one notification per person and event).
	ID          uuid.UUID  `gorm:"column:id"`
	Kind        string     `gorm:"column:kind"`
	ObjectType  string     `gorm:"column:object_type"`
	ObjectID    uuid.UUID  `gorm:"column:object_id"`
	WorkspaceID *uuid.UUID `gorm:"column:workspace_id"`
	Title       string     `gorm:"column:title"`
	Text        string     `gorm:"column:text"`
	Link        string     `gorm:"column:link"`
	CreatedAt   time.Time  `gorm:"column:created_at"`
	ReadAt      *time.Time `gorm:"column:read_at"`
}

// Query selects a page of one's notifications, newest first.
type Query struct {
	// Limit is 1..MaxLimit (0: 50).
	Limit int
	// Cursor is the NextCursor of the previous page.
	Cursor string
	// Unread lists unread notifications only.
	Unread bool
}

// Page is a page of notifications with the person's unread count.
type Page struct {
	Items      []Notification
	NextCursor string
	Unread     int64
}

func person(a Actor) (uuid.UUID, error) {
	m := a.Membership()
	if m == uuid.Nil { // the operator has no inbox
		return uuid.Nil, errs.Plain(errs.NotFound)
	}
	return m, nil
}

// List returns a page of the actor's own notifications.
func (s *Service) List(ctx context.Context, a Actor, q Query) (*Page, error) {
	me, err := person(a)
	if err != nil {
		return nil, err
	}
	if q.Limit == 0 {
		q.Limit = 50
	}
	if q.Limit < 1 || q.Limit > MaxLimit {
		return nil, errs.InvalidField("limit", errs.M("notify.limit-range", "Die Seitengröße muss zwischen 1 und 200 liegen.", "The page size must be between 1 and 200."))
	}
	var after uuid.UUID
	if q.Cursor != "" {
		if after, err = uuid.Parse(q.Cursor); err != nil {
			return nil, errs.InvalidField("cursor", errs.M("notify.cursor-invalid", "Der Cursor ist ungültig.", "The cursor is not valid."))
		}
	}
	p := &Page{Items: []Notification{}}
	err = a.Run(ctx, s.db, func(tx *db.Tx) error {
		where := "n.membership_id = ?"
		args := []any{me}
		if q.Unread {
			where += " AND n.read_at IS NULL"
		}
		if after != uuid.Nil {
			where += " AND n.event_id < ?"
			args = append(args, after)
		}
		if err := tx.Raw(`SELECT e.id, e.kind, e.object_type, e.object_id, e.workspace_id, e.link, e.created_at, n.read_at,
			CASE WHEN u.locale = 'en' THEN e.title_en ELSE e.title_de END AS title,
			CASE WHEN u.locale = 'en' THEN e.text_en ELSE e.text_de END AS text
			FROM notifications n
			JOIN notification_events e ON e.tenant_id = n.tenant_id AND e.id = n.event_id
			JOIN memberships m ON m.tenant_id = n.tenant_id AND m.id = n.membership_id
			JOIN users u ON u.id = m.user_id
			WHERE n.tenant_id = @tenant AND e.tenant_id = @tenant AND m.tenant_id = @tenant AND `+where+` ORDER BY n.event_id DESC LIMIT ?`, append(args, q.Limit+1)...).Scan(&p.Items).Error; err != nil {
			return fmt.Errorf("notify: list: %w", err)
		}
		p.Unread, err = unread(tx, me)
		return err
	})
	if err != nil {
		return nil, err
	}
	if len(p.Items) > q.Limit {
		p.Items = p.Items[:q.Limit]
		p.NextCursor = p.Items[q.Limit-1].ID.String()
	}
	return p, nil
}

func unread(tx *db.Tx, me uuid.UUID) (int64, error) {
	var n int64
	if err := tx.Raw(`SELECT count(*) FROM notifications WHERE tenant_id = @tenant AND membership_id = ? AND read_at IS NULL`, me).
		Scan(&n).Error; err != nil {
		return 0, fmt.Errorf("notify: unread: %w", err)
	}
	return n, nil
}

// MarkRead marks one of the actor's notifications read (again: no
// change). Another person's, another tenant's or an unknown id is 404.
func (s *Service) MarkRead(ctx context.Context, a Actor, id uuid.UUID) (int64, error) {
	me, err := person(a)
	if err != nil {
		return 0, err
	}
	var left int64
	err = a.Run(ctx, s.db, func(tx *db.Tx) error {
		var n int64
		if err := tx.Raw(`SELECT count(*) FROM notifications WHERE tenant_id = @tenant AND membership_id = ? AND event_id = ?`, me, id).
			Scan(&n).Error; err != nil {
			return fmt.Errorf("notify: read: %w", err)
		}
		if n == 0 {
			return errs.Plain(errs.NotFound)
		}
		changed, err := tx.ExecCount(`UPDATE notifications SET read_at = ?
			WHERE tenant_id = @tenant AND membership_id = ? AND event_id = ? AND read_at IS NULL`, s.now(), me, id)
		if err != nil {
			return fmt.Errorf("notify: read: %w", err)
		}
		if changed > 0 {
			if err := s.live.Changed(tx, LiveKind, me, "read"); err != nil {
				return err
			}
		}
		left, err = unread(tx, me)
		return err
	})
	return left, err
}

// MarkAllRead marks every unread notification of the actor read and
// returns how many it marked.
func (s *Service) MarkAllRead(ctx context.Context, a Actor) (int64, error) {
	me, err := person(a)
	if err != nil {
		return 0, err
	}
	var n int64
	err = a.Run(ctx, s.db, func(tx *db.Tx) error {
		if n, err = tx.ExecCount(`UPDATE notifications SET read_at = ?
			WHERE tenant_id = @tenant AND membership_id = ? AND read_at IS NULL`, s.now(), me); err != nil {
			return fmt.Errorf("notify: read all: %w", err)
		}
		if n > 0 {
			return s.live.Changed(tx, LiveKind, me, "read")
		}
		return nil
	})
	return n, err
}

// Bell is a bell's live snapshot.
type Bell struct {
	Unread int64 `json:"unread"`
}

// LiveBell reads a person's unread count for the live stream (the
// stream's owner was checked when it started).
func (s *Service) LiveBell(ctx context.Context, tenantID, membershipID uuid.UUID) (Bell, error) {
	var b Bell
	err := s.db.Tenant(ctx, tenantID, func(tx *db.Tx) error {
		var err error
		b.Unread, err = unread(tx, membershipID)
		return err
	})
	return b, err
}

// Unread returns the actor's unread count (the stream's first check).
func (s *Service) Unread(ctx context.Context, a Actor) (int64, error) {
	me, err := person(a)
	if err != nil {
		return 0, err
	}
	var n int64
	err = a.Run(ctx, s.db, func(tx *db.Tx) error {
		n, err = unread(tx, me)
		return err
	})
	return n, err
}
