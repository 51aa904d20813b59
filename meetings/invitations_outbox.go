package meetings

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/google/uuid"
	"github.com/kollab/kollab/internal/db"
	"github.com/kollab/kollab/internal/notify"
)

// The outbox (mail_outbox): mails written in the transaction of the change
// they announce and sent afterwards, by DeliverMail, from the committees
// loop of every `kollab serve` instance. A row is claimed before it is sent
// by moving its next_attempt_at ahead by mailLease in one guarded UPDATE:
// two instances never send the same row at once, and a row whose sender
// died is due again once the lease ends. Delivery is at least once: a
// crash after the SMTP server accepted a mail but before sent_at was
// written sends it again after the lease.

const (
	outboxTable = "mail_outbox"
	// mailLease is how long a claimed mail waits before another sender
	// may take it over.
	mailLease = 5 * time.Minute
	// mailMaxAttempts is how often a mail is tried before it is given up.
	mailMaxAttempts = 8
	// mailKeep is how long sent and given-up mails stay in the outbox.
	mailKeep = 30 * 24 * time.Hour
	// mailBatch bounds the mails one tenant sends per run.
	mailBatch = 100
)

// mailBackoff is the wait before the next attempt after n failed ones.
func mailBackoff(n int) time.Duration {
	d := time.Minute << min(max(n-1, 0), 6) // 1, 2, 4, ... 64 minutes
	return min(d, time.Hour)
}

// DeliveryReport says what one DeliverMail run did.
type DeliveryReport struct {
	Sent int
	// Retried failed and will be tried again; Failed were given up.
	Retried, Failed int
	// SkippedTenants had a database failure; their mails wait for the next run.
	SkippedTenants int
}

// DeliverMail sends, tenant by tenant, every queued mail that is due at
// now through m, and purges sent and given-up mails older than 30 days.
// Each failed attempt is logged and retried with growing pauses; after
// mailMaxAttempts the mail is given up (logged as an error). It is
// operator work, run by the committees loop of `kollab serve`.
func (s *Service) DeliverMail(ctx context.Context, m Mailer, now time.Time, log *slog.Logger) (DeliveryReport, error) {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	now = now.UTC().Truncate(time.Microsecond)
	var rep DeliveryReport
	ids, err := s.tenantIDs(ctx)
	if err != nil {
		return rep, err
	}
	var firstErr error
	for _, tid := range ids {
		if err := s.deliverTenant(ctx, m, tid, now, log, &rep); err != nil {
			if ctx.Err() != nil {
				return rep, ctx.Err()
			}
			rep.SkippedTenants++
			if firstErr == nil {
				firstErr = fmt.Errorf("committees: deliver mail of tenant %s: %w", tid, err)
			}
		}
	}
	return rep, firstErr
}

func (s *Service) deliverTenant(ctx context.Context, m Mailer, tid uuid.UUID, now time.Time, log *slog.Logger, rep *DeliveryReport) error {
	var due []outboxRow
	if err := s.db.Tenant(ctx, tid, func(tx *db.Tx) error {
		if err := tx.Table(outboxTable).Where("(sent_at IS NOT NULL OR failed_at IS NOT NULL) AND created_at < ?", now.Add(-mailKeep)).
			Delete(&outboxRow{}).Error; err != nil {
			return fmt.Errorf("committees: purge outbox: %w", err)
		}
		return tx.Table(outboxTable).Where("sent_at IS NULL AND failed_at IS NULL AND next_attempt_at <= ?", now).
			Order("next_attempt_at, id").Limit(mailBatch).Scan(&due).Error
	}); err != nil {
		return err
	}
	for i := range due {
		row := &due[i]
		claimed := false
		if err := s.db.Tenant(ctx, tid, func(tx *db.Tx) error {
			res := tx.Table(outboxTable).Where("id = ? AND sent_at IS NULL AND failed_at IS NULL AND next_attempt_at <= ?", row.ID, now).
				Updates(map[string]any{"next_attempt_at": now.Add(mailLease), "attempts": row.Attempts + 1})
			claimed = res.RowsAffected == 1
			return res.Error
		}); err != nil {
			return err
		}
		if !claimed {
			continue // another instance took it
		}
		row.Attempts++
		sendErr := sendQueued(ctx, m, row)
		set := map[string]any{}
		switch {
		case sendErr == nil:
			set["sent_at"] = now
			rep.Sent++
		case row.Attempts >= mailMaxAttempts || errors.Is(sendErr, errBadPayload):
			set["failed_at"], set["last_error"] = now, truncate(sendErr.Error(), 2000)
			rep.Failed++
			log.ErrorContext(ctx, "mail given up", "err", sendErr, "tenant_id", tid, "mail_id", row.ID, "kind", row.Kind, "attempts", row.Attempts)
		default:
			set["next_attempt_at"], set["last_error"] = now.Add(mailBackoff(row.Attempts)), truncate(sendErr.Error(), 2000)
			rep.Retried++
			log.WarnContext(ctx, "mail not sent, will retry", "err", sendErr, "tenant_id", tid, "mail_id", row.ID, "kind", row.Kind, "attempts", row.Attempts)
		}
		if err := s.db.Tenant(ctx, tid, func(tx *db.Tx) error {
			return tx.Table(outboxTable).Where("id = ?", row.ID).Updates(set).Error
		}); err != nil {
			return err
		}
	}
	return nil
}

var errBadPayload = errors.New("committees: unreadable queued mail")

// sendQueued decodes a queued mail and hands it to m.
func sendQueued(ctx context.Context, m Mailer, row *outboxRow) error {
	switch row.Kind {
	case mailInvitation:
		var mm MeetingInvitationMail
		if err := json.Unmarshal([]byte(row.Payload), &mm); err != nil {
			return fmt.Errorf("%w: %v", errBadPayload, err)
		}
		mm.MessageKey = row.ID.String()
		return m.SendMeetingInvitation(ctx, mm)
	case mailCancellation:
		var mm MeetingCancellationMail
		if err := json.Unmarshal([]byte(row.Payload), &mm); err != nil {
			return fmt.Errorf("%w: %v", errBadPayload, err)
		}
		mm.MessageKey = row.ID.String()
		return m.SendMeetingCancellation(ctx, mm)
	case notify.MailNotification, notify.MailDigest:
		return sendNotification(ctx, m, row)
	case mailReminder:
		var mm PollReminderMail
		if err := json.Unmarshal([]byte(row.Payload), &mm); err != nil {
			return fmt.Errorf("%w: %v", errBadPayload, err)
		}
		mm.MessageKey = row.ID.String()
		return m.SendPollReminder(ctx, mm)
	}
	return fmt.Errorf("%w: kind %q", errBadPayload, row.Kind)
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	r := []rune(s[:n])
	return string(r[:len(r)-1])
}
