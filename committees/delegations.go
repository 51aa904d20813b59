package committees

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/kollab/kollab/db"
	"github.com/kollab/kollab/errs"
)

// delegationRow is a row of delegations.
type delegationRow struct {
	TenantID     uuid.UUID  `gorm:"column:tenant_id"`
	ID           uuid.UUID  `gorm:"column:id"`
	CommitteeID  uuid.UUID  `gorm:"column:committee_id"`
	FromMemberID uuid.UUID  `gorm:"column:from_member_id"`
	ToMemberID   uuid.UUID  `gorm:"column:to_member_id"`
	MeetingID    *uuid.UUID `gorm:"column:meeting_id"`
	PollID       *uuid.UUID `gorm:"column:poll_id"`
	CreatedAt    time.Time  `gorm:"column:created_at"`
	CreatedBy    uuid.UUID  `gorm:"column:created_by"`
	RevokedAt    *time.Time `gorm:"column:revoked_at"`
	RevokedBy    *uuid.UUID `gorm:"column:revoked_by"`
	// FromMembershipID is read through a join with the delegator's seat.
	FromMembershipID uuid.UUID `gorm:"->;column:from_membership_id"`
}

// OwnerTenant implements db.TenantOwned.
func (r *delegationRow) OwnerTenant() uuid.UUID { return r.TenantID }

// DelegationInput hands FromMembershipID's vote (the actor's own when
// uuid.Nil) to ToMembershipID for one meeting or one poll (exactly one of
// MeetingID and PollID).
type DelegationInput struct {
	FromMembershipID uuid.UUID
	ToMembershipID   uuid.UUID
	MeetingID        uuid.UUID
	PollID           uuid.UUID
}

// Delegate records a delegation (Stimmrechtsübertragung): the proxy then
// casts the delegator's ballot besides their own, each with its own
// receipt, and the delegator may not vote themselves while it stands. The
// committee's rules must allow it (else errs.Forbidden); the delegator (or
// an admin, the chair or the secretary) delegates; both need a running
// seat, the delegator a voting right, the proxy any role but advisory.
// There are no chains: a proxy cannot delegate, nor a delegator be a proxy.
func (s *Service) Delegate(ctx context.Context, a Actor, in DelegationInput) (*Delegation, error) {
	if (in.MeetingID == uuid.Nil) == (in.PollID == uuid.Nil) {
		return nil, errs.InvalidField("meeting_id", "Bitte entweder eine Sitzung oder eine Abstimmung angeben.")
	}
	if in.FromMembershipID == uuid.Nil {
		in.FromMembershipID = a.MembershipID
	}
	var out *Delegation
	err := s.run(ctx, a, func(tx *db.Tx) error {
		now := s.now()
		var sc *scope
		// related selects the delegations that overlap this one: of the
		// same meeting (and its polls), or of the same poll (and its meeting).
		var related string
		var relArgs []any
		if in.MeetingID != uuid.Nil {
			m, msc, err := loadMeeting(tx, a, in.MeetingID, now, "")
			if err != nil {
				return err
			}
			if !m.open() {
				return errMeetingOver()
			}
			sc = msc
			related = "(meeting_id = ? OR poll_id IN (SELECT p.id FROM polls p WHERE p.tenant_id = ? AND p.meeting_id = ?))"
			relArgs = []any{in.MeetingID, a.TenantID, in.MeetingID}
		} else {
			p, psc, err := loadPoll(tx, a, in.PollID, now, "")
			if err != nil {
				return err
			}
			if p.State != PollDraft && p.State != PollOpen {
				return errs.New(errs.Conflict, "Die Abstimmung ist bereits beendet.")
			}
			sc = psc
			related, relArgs = "poll_id = ?", []any{in.PollID}
			if p.MeetingID != nil {
				related, relArgs = "(poll_id = ? OR meeting_id = ?)", []any{in.PollID, *p.MeetingID}
			}
		}
		if in.FromMembershipID != a.MembershipID && !sc.canManage() {
			return errForbidden()
		}
		if !sc.c.ProxyAllowed {
			return errs.New(errs.Forbidden, "Die Geschäftsordnung dieses Gremiums erlaubt keine Stimmrechtsübertragung.")
		}
		// One delegation change per committee at a time, so that the
		// chain checks below hold.
		if _, err := exec(tx, forUpdate(tx, "SELECT id FROM committees WHERE tenant_id = ? AND id = ?"), a.TenantID, sc.c.ID); err != nil {
			return err
		}
		from, err := seatOf(tx, sc.c.ID, in.FromMembershipID, now)
		if err != nil {
			return err
		}
		to, err := seatOf(tx, sc.c.ID, in.ToMembershipID, now)
		if err != nil {
			return err
		}
		if from == nil || !from.Voting {
			return errs.InvalidField("from_membership_id", "Nur ein stimmberechtigtes Mitglied des Gremiums kann sein Stimmrecht übertragen.")
		}
		if to == nil || to.Role == RoleAdvisory || to.ID == from.ID {
			return errs.InvalidField("to_membership_id", "Eine Vertretung muss ein anderes Mitglied des Gremiums sein.")
		}
		var clash []delegationRow
		if err := tx.Table(delegationsTable).Where("revoked_at IS NULL AND (from_member_id IN ? OR to_member_id = ?)",
			[]uuid.UUID{from.ID, to.ID}, from.ID).Where(related, relArgs...).Scan(&clash).Error; err != nil {
			return fmt.Errorf("committees: read delegations: %w", err)
		}
		for _, d := range clash {
			if d.FromMemberID == from.ID {
				return errs.New(errs.Conflict, "Für diese Sitzung oder Abstimmung besteht bereits eine Vertretung.")
			}
		}
		if len(clash) > 0 {
			return errs.New(errs.Conflict, "Wer sein Stimmrecht übertragen hat oder selbst vertritt, kann nicht weiter übertragen.")
		}
		rec := &delegationRow{TenantID: a.TenantID, ID: db.NewID(), CommitteeID: sc.c.ID, FromMemberID: from.ID, ToMemberID: to.ID,
			CreatedAt: now, CreatedBy: a.MembershipID}
		if in.MeetingID != uuid.Nil {
			rec.MeetingID = &in.MeetingID
		} else {
			rec.PollID = &in.PollID
		}
		if err := tx.Create(delegationsTable, rec); err != nil {
			if db.IsUniqueViolation(err) {
				return errs.New(errs.Conflict, "Für diese Sitzung oder Abstimmung besteht bereits eine Vertretung.")
			}
			return fmt.Errorf("committees: delegate: %w", err)
		}
		out = &Delegation{ID: rec.ID, CommitteeID: rec.CommitteeID, FromMembershipID: from.MembershipID, ToMembershipID: to.MembershipID,
			MeetingID: rec.MeetingID, PollID: rec.PollID, CreatedAt: now, CreatedBy: a.MembershipID}
		return record(ctx, tx, a, ActionDelegated, "committee", sc.c.ID, map[string]string{"delegation_id": rec.ID.String(),
			"from_membership_id": from.MembershipID.String(), "to_membership_id": to.MembershipID.String()})
	})
	return out, err
}

// RevokeDelegation ends a delegation (the delegator, or an admin, the
// chair or the secretary). Ballots the proxy already cast stay.
func (s *Service) RevokeDelegation(ctx context.Context, a Actor, id uuid.UUID) error {
	return s.run(ctx, a, func(tx *db.Tx) error {
		now := s.now()
		var ds []delegationRow
		if err := tx.Table(delegationsTable).Select("delegations.*, cm.membership_id AS from_membership_id").
			Joins("JOIN committee_members cm ON cm.tenant_id = delegations.tenant_id AND cm.id = delegations.from_member_id").
			Where("delegations.id = ? AND delegations.revoked_at IS NULL", id).Scan(&ds).Error; err != nil {
			return fmt.Errorf("committees: read delegation: %w", err)
		}
		if len(ds) == 0 {
			return errNotFound()
		}
		sc, err := loadScope(tx, a, ds[0].CommitteeID, now)
		if err != nil {
			return err
		}
		if ds[0].FromMembershipID != a.MembershipID && !sc.canManage() {
			return errForbidden()
		}
		if err := tx.Table(delegationsTable).Where("id = ? AND revoked_at IS NULL", id).
			Updates(map[string]any{"revoked_at": now, "revoked_by": a.MembershipID}).Error; err != nil {
			return fmt.Errorf("committees: revoke delegation: %w", err)
		}
		return record(ctx, tx, a, ActionDelegationRevoked, "committee", sc.c.ID, map[string]string{"delegation_id": id.String()})
	})
}
