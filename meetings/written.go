package meetings

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/kollab/kollab/internal/db"
	"github.com/kollab/kollab/tenant"
)

// tenantIDs lists every tenant (closing and reminding are operator work
// across tenants; each tenant's rows are then read in its own scope).
func (s *Service) tenantIDs(ctx context.Context) ([]uuid.UUID, error) {
	var ids []uuid.UUID
	if err := s.db.Global(ctx).Table("tenants").Order("id").Pluck("id", &ids).Error; err != nil {
		return nil, fmt.Errorf("committees: list tenants: %w", err)
	}
	return ids, nil
}

// ClosedPoll names a poll closed by its deadline.
type ClosedPoll struct {
	TenantID uuid.UUID
	PollID   uuid.UUID
}

// CloseReport says what one CloseDue run did.
type CloseReport struct {
	Closed []ClosedPoll
	// SkippedTenants had a failure; their other due polls wait for the next run.
	SkippedTenants int
}

// CloseDue closes, tenant by tenant, every open written procedure whose
// deadline is at or before now, counting its ballots like ClosePoll (each
// poll in its own transaction; a poll closed meanwhile by hand is left
// alone). It is operator work: the audit events name no actor.
func (s *Service) CloseDue(ctx context.Context, now time.Time) (CloseReport, error) {
	now = now.UTC().Truncate(time.Microsecond)
	var rep CloseReport
	ids, err := s.tenantIDs(ctx)
	if err != nil {
		return rep, err
	}
	var firstErr error
	for _, tid := range ids {
		if err := s.closeDueTenant(ctx, tid, now, &rep); err != nil {
			if ctx.Err() != nil {
				return rep, ctx.Err()
			}
			rep.SkippedTenants++
			if firstErr == nil {
				firstErr = fmt.Errorf("committees: close due polls of tenant %s: %w", tid, err)
			}
		}
	}
	return rep, firstErr
}

func (s *Service) closeDueTenant(ctx context.Context, tid uuid.UUID, now time.Time, rep *CloseReport) error {
	var due []uuid.UUID
	if err := s.db.Tenant(ctx, tid, func(tx *db.Tx) error {
		return tx.Table(pollsTable).Where("state = ? AND deadline IS NOT NULL AND deadline <= ?", PollOpen, now).
			Order("deadline, id").Pluck("id", &due).Error
	}); err != nil {
		return err
	}
	for _, id := range due {
		closed := false
		err := s.db.Tenant(ctx, tid, func(tx *db.Tx) error {
			var ps []pollRow
			if err := tx.Table(pollsTable).Where("id = ? AND state = ?", id, PollOpen).Scan(&ps).Error; err != nil {
				return fmt.Errorf("committees: load poll: %w", err)
			}
			if len(ps) == 0 {
				return nil
			}
			var cs []committeeRow
			if err := tx.Table(committeesTable).Where("id = ?", ps[0].CommitteeID).Scan(&cs).Error; err != nil || len(cs) == 0 {
				return fmt.Errorf("committees: load committee: %v", err)
			}
			if err := s.closePoll(ctx, tx, tenant.Actor{}, &ps[0], cs[0].quorum(), now); err != nil {
				return err
			}
			closed = true
			return nil
		})
		if err != nil {
			return err
		}
		if closed {
			rep.Closed = append(rep.Closed, ClosedPoll{TenantID: tid, PollID: id})
		}
	}
	return nil
}

// Reminder is one member who has not yet voted in an open written procedure.
type Reminder struct {
	TenantID     uuid.UUID `gorm:"column:tenant_id"`
	PollID       uuid.UUID `gorm:"column:poll_id"`
	CommitteeID  uuid.UUID `gorm:"column:committee_id"`
	Title        string    `gorm:"column:title"`
	Deadline     time.Time `gorm:"column:deadline"`
	MembershipID uuid.UUID `gorm:"column:membership_id"`
	UserID       uuid.UUID `gorm:"column:user_id"`
}

// DueReminders lists, across tenants, every member entitled to vote in an
// open written procedure before its deadline (voting right, running term,
// active membership) who has no receipt yet, by deadline. Sending the
// reminders is the caller's business.
func (s *Service) DueReminders(ctx context.Context, now time.Time) ([]Reminder, error) {
	now = now.UTC().Truncate(time.Microsecond)
	ids, err := s.tenantIDs(ctx)
	if err != nil {
		return nil, err
	}
	out := []Reminder{}
	for _, tid := range ids {
		var rs []Reminder
		err := s.db.Tenant(ctx, tid, func(tx *db.Tx) error {
			return tx.Raw(`SELECT p.tenant_id, p.id AS poll_id, p.committee_id, p.title, p.deadline, cm.membership_id, ms.user_id
				FROM polls p
				JOIN committee_members cm ON cm.tenant_id = p.tenant_id AND cm.committee_id = p.committee_id
				JOIN memberships ms ON ms.tenant_id = cm.tenant_id AND ms.id = cm.membership_id
				WHERE p.tenant_id = @tenant AND p.state = 'open' AND p.deadline IS NOT NULL AND p.deadline > ?
				  AND cm.voting AND ms.status = 'active' AND `+termRunning+`
				  AND NOT EXISTS (SELECT 1 FROM poll_receipts r
					WHERE r.tenant_id = p.tenant_id AND r.poll_id = p.id AND r.voter_membership_id = cm.membership_id)
				ORDER BY p.deadline, p.id, cm.membership_id`, now, now, now).Scan(&rs).Error
		})
		if err != nil {
			return nil, fmt.Errorf("committees: reminders of tenant %s: %w", tid, err)
		}
		out = append(out, rs...)
	}
	return out, nil
}
