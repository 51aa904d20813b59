package meetings

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/kollab/kollab/internal/db"
)

// DefaultReminderInterval is how often a member who has not yet voted in a
// written procedure is reminded.
const DefaultReminderInterval = 24 * time.Hour

// remindersTable records the reminders queued (poll, member, slot).
const remindersTable = "poll_reminders"

// QueueReminders queues a reminder mail for every member listed by
// DueReminders, at most once per member, poll and reminder interval:
// interval n (n >= 1) is [opened + n*every, opened + (n+1)*every) after the
// poll opened, so the first reminder goes out one interval after opening
// and none in the first. The reminder is recorded in poll_reminders, whose
// primary key admits one row per (poll, member, interval), in the
// transaction that queues its mail: however many instances run, and
// whatever restarts, a member gets one reminder per interval (the mail is
// then sent by DeliverMail). A member who voted, or a poll that closed,
// since DueReminders read them is left out. It returns how many were queued.
func (s *Service) QueueReminders(ctx context.Context, now time.Time, every time.Duration) (int, error) {
	if every <= 0 {
		every = DefaultReminderInterval
	}
	now = now.UTC().Truncate(time.Microsecond)
	due, err := s.DueReminders(ctx, now)
	if err != nil {
		return 0, err
	}
	byTenant := map[uuid.UUID][]Reminder{}
	var order []uuid.UUID
	for _, r := range due {
		if _, ok := byTenant[r.TenantID]; !ok {
			order = append(order, r.TenantID)
		}
		byTenant[r.TenantID] = append(byTenant[r.TenantID], r)
	}
	queued := 0
	var firstErr error
	for _, tid := range order {
		n, err := s.queueTenantReminders(ctx, tid, byTenant[tid], now, every)
		queued += n
		if err != nil {
			if ctx.Err() != nil {
				return queued, ctx.Err()
			}
			if firstErr == nil {
				firstErr = fmt.Errorf("committees: reminders of tenant %s: %w", tid, err)
			}
		}
	}
	return queued, firstErr
}

func (s *Service) queueTenantReminders(ctx context.Context, tid uuid.UUID, rs []Reminder, now time.Time, every time.Duration) (int, error) {
	queued := 0
	err := s.db.Tenant(ctx, tid, func(tx *db.Tx) error {
		slug, tname, err := tenantNames(tx)
		if err != nil {
			return err
		}
		type pollInfo struct {
			slot      int64
			committee string
		}
		polls := map[uuid.UUID]*pollInfo{}
		n := 0
		for _, r := range rs {
			pi := polls[r.PollID]
			if pi == nil {
				var ps []struct {
					OpenedAt  *time.Time `gorm:"column:opened_at"`
					CreatedAt time.Time  `gorm:"column:created_at"`
					Name      string     `gorm:"column:name"`
				}
				if err := tx.Raw(`SELECT p.opened_at, p.created_at, c.name FROM polls p
					JOIN committees c ON c.tenant_id = p.tenant_id AND c.id = p.committee_id
					WHERE p.tenant_id = @tenant AND p.id = ?`, r.PollID).Scan(&ps).Error; err != nil {
					return fmt.Errorf("committees: read poll: %w", err)
				}
				if len(ps) == 0 {
					continue
				}
				opened := ps[0].CreatedAt
				if ps[0].OpenedAt != nil {
					opened = *ps[0].OpenedAt
				}
				pi = &pollInfo{slot: int64(now.Sub(opened) / every), committee: ps[0].Name}
				polls[r.PollID] = pi
			}
			if pi.slot < 1 {
				continue
			}
			// Claim the reminder: recorded only while the poll is still open
			// before its deadline and the member has not voted.
			res := tx.Exec(`INSERT INTO poll_reminders (tenant_id, poll_id, membership_id, slot, queued_at)
				SELECT p.tenant_id, p.id, ?, ?, ? FROM polls p
				WHERE p.tenant_id = @tenant AND p.id = ? AND p.state = 'open' AND p.deadline > ?
				  AND NOT EXISTS (SELECT 1 FROM poll_receipts r WHERE r.tenant_id = p.tenant_id AND r.poll_id = p.id AND r.voter_membership_id = ?)
				ON CONFLICT (tenant_id, poll_id, membership_id, slot) DO NOTHING`,
				r.MembershipID, pi.slot, now, r.PollID, now, r.MembershipID)
			if res.Error != nil {
				return fmt.Errorf("committees: record reminder: %w", res.Error)
			}
			if res.RowsAffected == 0 {
				continue // already reminded in this interval, or no longer due
			}
			var to []Recipient
			if err := tx.Raw(`SELECT ms.id AS membership_id, u.email, u.display_name, u.locale FROM memberships ms
				JOIN users u ON u.id = ms.user_id WHERE ms.tenant_id = @tenant AND ms.id = ?`, r.MembershipID).Scan(&to).Error; err != nil {
				return fmt.Errorf("committees: reminder recipient: %w", err)
			}
			if len(to) == 0 {
				continue
			}
			mail := PollReminderMail{TenantID: tid, TenantSlug: slug, TenantName: tname, CommitteeName: pi.committee,
				PollID: r.PollID, Title: r.Title, Deadline: r.Deadline.UTC(), To: to[0]}
			if err := s.enqueueMail(tx, mailReminder, to[0].Email, mail, now); err != nil {
				return err
			}
			n++
		}
		queued = n
		return nil
	})
	return queued, err
}
