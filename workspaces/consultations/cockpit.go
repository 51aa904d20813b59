package consultations

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/kollab/kollab/internal/db"
	"github.com/kollab/kollab/tenant"
)

// CockpitLimit bounds the consultations on the caller's start page.
const CockpitLimit = 10

// EndingSoon is how far ahead staff see the deadlines of their workspaces'
// open consultations on the start page.
const EndingSoon = 14 * 24 * time.Hour

// Pending is a consultation on the caller's start page.
type Pending struct {
	ID            uuid.UUID `gorm:"column:id"`
	Subject       string    `gorm:"column:subject"`
	WorkspaceID   uuid.UUID `gorm:"column:workspace_id"`
	WorkspaceName string    `gorm:"column:workspace_name"`
	Deadline      time.Time `gorm:"column:deadline"`
	// Invited counts the invited organisations, Answered those with a
	// submitted statement (for a guest: their own organisation, 0 or 1).
	Invited  int `gorm:"column:invited"`
	Answered int `gorm:"column:answered"`
}

// PendingFor returns the consultations awaiting the caller, soonest
// deadline first, at most CockpitLimit: for a guest, the open ones of
// active workspaces they are in that invite their organisation; for staff,
// the open ones ending within EndingSoon in the active workspaces they own
// or are a member of.
func (s *Service) PendingFor(ctx context.Context, a tenant.Actor) ([]Pending, error) {
	out := []Pending{}
	err := s.run(ctx, a, func(tx *db.Tx) error {
		now := s.now()
		const base = `SELECT c.id, c.subject, c.workspace_id, w.name AS workspace_name, c.deadline,
			(SELECT COUNT(*) FROM consultation_invitees ci WHERE ci.tenant_id = @tenant AND ci.consultation_id = c.id%[1]s) AS invited,
			(SELECT COUNT(*) FROM consultation_statements cs WHERE cs.tenant_id = @tenant AND cs.consultation_id = c.id AND cs.versions > 0%[2]s) AS answered
			FROM consultations c
			JOIN workspaces w ON w.tenant_id = c.tenant_id AND w.id = c.workspace_id
			JOIN workspace_members wm ON wm.tenant_id = c.tenant_id AND wm.workspace_id = c.workspace_id AND wm.membership_id = ?
			WHERE c.tenant_id = @tenant AND c.state = 'open' AND c.deadline > ? AND w.state = 'active'`
		var q string
		var args []any
		switch {
		case a.Role == tenant.RolePartner:
			g, err := tenant.GuestOf(tx, a.MembershipID)
			if err != nil || g == nil || g.OrganisationID == nil {
				return err
			}
			org := *g.OrganisationID
			q = fmt.Sprintf(base, " AND ci.organisation_id = ?", " AND cs.organisation_id = ?") +
				` AND EXISTS (SELECT 1 FROM consultation_invitees mi WHERE mi.tenant_id = @tenant AND mi.consultation_id = c.id AND mi.organisation_id = ?)`
			args = []any{org, org, a.MembershipID, now, org}
		case isStaff(a):
			q = fmt.Sprintf(base, "", "") + ` AND wm.role IN ('owner', 'member') AND c.deadline <= ?`
			args = []any{a.MembershipID, now, now.Add(EndingSoon)}
		default:
			return nil
		}
		if err := tx.Raw(q+" ORDER BY c.deadline, c.id LIMIT ?", append(args, CockpitLimit)...).Scan(&out).Error; err != nil {
			return fmt.Errorf("consultations: pending: %w", err)
		}
		return nil
	})
	return out, err
}
