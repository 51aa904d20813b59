package notify

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/kollab/kollab/internal/db"
	"github.com/kollab/kollab/internal/live"
)

const (
	// dispatchBatch bounds the events one transaction dispatches.
	dispatchBatch = 20
	// dispatchRounds bounds the batches per tenant and run.
	dispatchRounds = 50
)

// DispatchReport says what one Dispatch run did.
type DispatchReport struct {
	Events, Notifications int
	// SkippedTenants had a database failure; their events wait for the next run.
	SkippedTenants int
}

// Dispatch turns the undispatched events of every tenant into
// notifications, mails and bell signals. Each event is claimed once, even
// with several instances running it at the same time: on PostgreSQL its
// row is locked FOR UPDATE SKIP LOCKED in the transaction that fans it
// out and marks it dispatched; SQLite has one writer.
func (s *Service) Dispatch(ctx context.Context) (DispatchReport, error) {
	var rep DispatchReport
	var ids []uuid.UUID
	if err := s.db.Global(ctx).Table("tenants").Order("id").Pluck("id", &ids).Error; err != nil {
		return rep, fmt.Errorf("notify: list tenants: %w", err)
	}
	var firstErr error
	for _, tid := range ids {
		if err := s.dispatchTenant(ctx, tid, &rep); err != nil {
			if ctx.Err() != nil {
				return rep, ctx.Err()
			}
			rep.SkippedTenants++
			if firstErr == nil {
				firstErr = fmt.Errorf("notify: dispatch tenant %s: %w", tid, err)
			}
		}
	}
	return rep, firstErr
}

func (s *Service) dispatchTenant(ctx context.Context, tid uuid.UUID, rep *DispatchReport) error {
	for range dispatchRounds {
		n, mailed := 0, false
		err := s.db.Tenant(ctx, tid, func(tx *db.Tx) error {
			evs, err := claim(tx)
			if err != nil {
				return err
			}
			n = len(evs)
			for i := range evs {
				c, m, err := s.dispatchOne(tx, &evs[i])
				if err != nil {
					return err
				}
				rep.Notifications += int(c)
				mailed = mailed || m > 0
			}
			return nil
		})
		if err != nil {
			return err
		}
		rep.Events += n
		if mailed && s.mailQueued != nil {
			s.mailQueued()
		}
		if n < dispatchBatch {
			return nil
		}
	}
	return nil
}

// claim locks the tenant's next undispatched events (PostgreSQL: rows
// another transaction holds are skipped, not waited for).
func claim(tx *db.Tx) ([]eventRow, error) {
	q := `SELECT * FROM notification_events WHERE tenant_id = @tenant AND dispatched_at IS NULL ORDER BY id LIMIT ?`
	if tx.IsPostgres() {
		q += ` FOR UPDATE SKIP LOCKED`
	}
	var evs []eventRow
	if err := tx.Raw(q, dispatchBatch).Scan(&evs).Error; err != nil {
		return nil, fmt.Errorf("notify: claim events: %w", err)
	}
	return evs, nil
}

// dispatchOne fans one event out (one statement), queues its mails (one
// statement), signals the bells and marks it dispatched.
func (s *Service) dispatchOne(tx *db.Tx, ev *eventRow) (notified, mailed int64, err error) {
	rs, args, err := recipients(tx, ev)
	if err != nil {
		return 0, 0, err
	}
	notified, err = fanOut(tx, ev, rs, args)
	if err != nil {
		return 0, 0, err
	}
	if notified > 0 {
		if mailed, err = queueImmediate(tx, ev, rs, args, s.now()); err != nil {
			return 0, 0, err
		}
		if err := s.signalBells(tx, ev.ID); err != nil {
			return 0, 0, err
		}
	}
	if _, err := tx.ExecCount(`UPDATE notification_events SET dispatched_at = ?, recipient_count = ?
		WHERE tenant_id = @tenant AND id = ?`, s.now(), notified, ev.ID); err != nil {
		return 0, 0, fmt.Errorf("notify: mark dispatched: %w", err)
	}
	return notified, mailed, nil
}

// recipients is the SQL condition "membership m is a recipient of the
// event": in its audience or explicit list, active, not the actor; with
// its arguments.
func recipients(tx *db.Tx, ev *eventRow) (string, []any, error) {
	var src string
	var args []any
	switch {
	case ev.Audience != "":
		q, ok := audienceQuery(ev.Audience)
		if !ok {
			return "", nil, fmt.Errorf("notify: unknown audience %q", ev.Audience)
		}
		src = q
		args = append(args, sql.Named("object", *ev.AudienceID), sql.Named("at", ev.CreatedAt))
	case tx.IsPostgres():
		src = `SELECT j.value::uuid AS membership_id FROM notification_events e, jsonb_array_elements_text(e.recipients::jsonb) j
			WHERE e.tenant_id = @tenant AND e.id = @event`
	default:
		src = `SELECT j.value AS membership_id FROM notification_events e, json_each(e.recipients) j
			WHERE e.tenant_id = @tenant AND e.id = @event`
	}
	actor := uuid.Nil
	if ev.ActorID != nil {
		actor = *ev.ActorID
	}
	args = append(args, sql.Named("event", ev.ID), sql.Named("actor", actor))
	return `m.tenant_id = @tenant AND m.status = 'active' AND m.id <> @actor AND m.id IN (SELECT r.membership_id FROM (` + src + `) r)`, args, nil
}

// fanOut inserts one notification per recipient of the event. One
// INSERT ... SELECT whatever the number of recipients.
func fanOut(tx *db.Tx, ev *eventRow, rs string, args []any) (int64, error) {
	n, err := tx.ExecCount(`INSERT INTO notifications (tenant_id, membership_id, event_id, kind, created_at)
		SELECT m.tenant_id, m.id, ev.id, ev.kind, ev.created_at
		FROM memberships m
		JOIN notification_events ev ON ev.tenant_id = @tenant AND ev.id = @event
		WHERE m.tenant_id = @tenant AND `+rs+`
		ON CONFLICT DO NOTHING`, args...)
	if err != nil {
		return 0, fmt.Errorf("notify: fan out %s: %w", ev.Kind, err)
	}
	return n, nil
}

// signalBells tells every recipient's bell that its count changed. On
// PostgreSQL one statement sends every signal (delivered at commit to
// every instance); on SQLite the hub signals after commit.
func (s *Service) signalBells(tx *db.Tx, eventID uuid.UUID) error {
	if s == nil || s.live == nil {
		return nil
	}
	if tx.IsPostgres() {
		if err := tx.Exec(`SELECT pg_notify(?, n.tenant_id::text || '/`+LiveKind+`/' || n.membership_id::text || '/unread')
			FROM notifications n WHERE n.tenant_id = @tenant AND n.event_id = ?`, live.Channel, eventID).Error; err != nil {
			return fmt.Errorf("notify: signal bells: %w", err)
		}
		return nil
	}
	var ids []uuid.UUID
	if err := tx.Raw(`SELECT membership_id FROM notifications WHERE tenant_id = @tenant AND event_id = ?`, eventID).
		Scan(&ids).Error; err != nil {
		return fmt.Errorf("notify: bells: %w", err)
	}
	for _, id := range ids {
		if err := s.live.Changed(tx, LiveKind, id, "unread"); err != nil {
			return err
		}
	}
	return nil
}

// uuidSQL is an expression making a random UUID in the dialect.
func uuidSQL(tx *db.Tx) string {
	if tx.IsPostgres() {
		return "gen_random_uuid()"
	}
	return `lower(hex(randomblob(4)) || '-' || hex(randomblob(2)) || '-4' || substr(hex(randomblob(2)), 2) || '-' ||
		substr('89ab', 1 + (abs(random()) % 4), 1) || substr(hex(randomblob(2)), 2) || '-' || hex(randomblob(6)))`
}

// queueImmediate queues, in one statement, a mail to every recipient of
// the event who wants this kind at once, in their language.
func queueImmediate(tx *db.Tx, ev *eventRow, rs string, args []any, now time.Time) (int64, error) {
	obj := "json_object"
	cast := ""
	if tx.IsPostgres() {
		obj, cast = "json_build_object", "::text"
	}
	payload := obj + `('kind', e.kind, 'event', e.id, 'locale', u.locale, 'name', u.display_name, 'tenant', t.slug,
		'title', CASE WHEN u.locale = 'en' THEN e.title_en ELSE e.title_de END,
		'text', CASE WHEN u.locale = 'en' THEN e.text_en ELSE e.text_de END, 'link', e.link)` + cast
	n, err := tx.ExecCount(`INSERT INTO mail_outbox (tenant_id, id, kind, recipient, payload, created_at, attempts, next_attempt_at, last_error)
		SELECT m.tenant_id, `+uuidSQL(tx)+`, '`+MailNotification+`', u.email, `+payload+`, @now, 0, @now, ''
		FROM memberships m
		JOIN users u ON u.id = m.user_id
		JOIN notification_events e ON e.tenant_id = @tenant AND e.id = @event
		JOIN tenants t ON t.id = @tenant
		LEFT JOIN notification_preferences p ON p.tenant_id = @tenant AND p.membership_id = m.id AND p.kind = e.kind
		WHERE m.tenant_id = @tenant AND `+rs+` AND length(u.email) BETWEEN 3 AND 320
		  AND COALESCE(p.mode, `+defaultModeSQL("e.kind")+`) = 'immediate'`, append(args, sql.Named("now", now))...)
	if err != nil {
		return 0, fmt.Errorf("notify: queue mails: %w", err)
	}
	return n, nil
}
