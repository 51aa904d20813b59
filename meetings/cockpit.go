package meetings

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/kollab/kollab/internal/db"
	"github.com/kollab/kollab/tenant"
)

// What the personal cockpit (the start page) shows of the committee
// module: the caller's next meetings and the polls waiting for their vote.

// CockpitLimit bounds each list of the cockpit.
const CockpitLimit = 10

// UpcomingMeeting is a meeting on the caller's start page.
type UpcomingMeeting struct {
	ID            uuid.UUID    `gorm:"column:id"`
	Title         string       `gorm:"column:title"`
	CommitteeID   uuid.UUID    `gorm:"column:committee_id"`
	CommitteeName string       `gorm:"column:committee_name"`
	StartsAt      time.Time    `gorm:"column:starts_at"`
	EndsAt        time.Time    `gorm:"column:ends_at"`
	State         MeetingState `gorm:"column:state"`
}

// PendingPoll is an open poll the caller may vote in and has not yet.
type PendingPoll struct {
	ID            uuid.UUID  `gorm:"column:id"`
	Title         string     `gorm:"column:title"`
	CommitteeName string     `gorm:"column:committee_name"`
	Deadline      *time.Time `gorm:"column:deadline"`
	MeetingID     *uuid.UUID `gorm:"column:meeting_id"`
}

// UpcomingMeetings returns the next CockpitLimit meetings, soonest first,
// that are not cancelled and end after now, of the committees in which
// the caller holds a seat whose term runs now.
func (s *Service) UpcomingMeetings(ctx context.Context, a tenant.Actor) ([]UpcomingMeeting, error) {
	out := []UpcomingMeeting{}
	err := s.run(ctx, a, func(tx *db.Tx) error {
		now := s.now()
		if err := tx.Raw(`SELECT m.id, m.title, m.committee_id, c.name AS committee_name, m.starts_at, m.ends_at, m.state
			FROM meetings m JOIN committees c ON c.tenant_id = m.tenant_id AND c.id = m.committee_id
			WHERE m.tenant_id = @tenant AND c.tenant_id = @tenant AND m.state <> ? AND m.ends_at > ?
			  AND m.committee_id IN (SELECT cm.committee_id FROM committee_members cm
				WHERE cm.tenant_id = @tenant AND cm.membership_id = ? AND `+termRunning+`)
			ORDER BY m.starts_at, m.id LIMIT ?`, string(Cancelled), now, a.MembershipID, now, now, CockpitLimit).
			Scan(&out).Error; err != nil {
			return fmt.Errorf("committees: upcoming meetings: %w", err)
		}
		return nil
	})
	return out, err
}

// PendingPolls returns at most CockpitLimit open polls (deadline not
// passed) in which the caller may cast their own ballot now and has not
// yet, earliest deadline first (polls without one last). "May cast" is
// the very condition Cast checks (entitled + castsOwn): a voting seat with
// a running term, no conflict on the poll's item, no standing delegation
// of their own, and, in session, present in the room.
func (s *Service) PendingPolls(ctx context.Context, a tenant.Actor) ([]PendingPoll, error) {
	out := []PendingPoll{}
	err := s.run(ctx, a, func(tx *db.Tx) error {
		now := s.now()
		if err := tx.Raw(`SELECT p.id, p.title, c.name AS committee_name, p.deadline, p.meeting_id
			FROM polls p JOIN committees c ON c.tenant_id = p.tenant_id AND c.id = p.committee_id
			WHERE p.tenant_id = @tenant AND c.tenant_id = @tenant AND p.state = ? AND (p.deadline IS NULL OR p.deadline > ?)
			  AND NOT EXISTS (SELECT 1 FROM poll_receipts r
				WHERE r.tenant_id = @tenant AND r.poll_id = p.id AND r.voter_membership_id = ?)
			  AND `+entitled+castsOwn+`
			ORDER BY CASE WHEN p.deadline IS NULL THEN 1 ELSE 0 END, p.deadline, p.created_at, p.id LIMIT ?`,
			string(PollOpen), now, a.MembershipID, a.MembershipID, now, now, CockpitLimit).
			Scan(&out).Error; err != nil {
			return fmt.Errorf("committees: pending polls: %w", err)
		}
		return nil
	})
	return out, err
}
