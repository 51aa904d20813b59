package meetings

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/google/uuid"
	"github.com/kollab/kollab/internal/db"
	"github.com/kollab/kollab/internal/errs"
	"github.com/kollab/kollab/tenant"
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
	// ToMembershipID is read through a join with the proxy's seat.
	ToMembershipID uuid.UUID `gorm:"->;column:to_membership_id"`
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
func (s *Service) Delegate(ctx context.Context, a tenant.Actor, in DelegationInput) (*Delegation, error) {
	if (in.MeetingID == uuid.Nil) == (in.PollID == uuid.Nil) {
		return nil, errs.InvalidField("meeting_id", errs.M("meetings.give-either-meeting-poll", "Bitte entweder eine Sitzung oder eine Abstimmung angeben.", "Please give either a meeting or a poll."))
	}
	if in.FromMembershipID == uuid.Nil {
		in.FromMembershipID = a.MembershipID
	}
	var out *Delegation
	err := s.run(ctx, a, func(tx *db.Tx) error {
		now := s.now()
		sc, related, relArgs, err := delegationTarget(tx, a, in, now)
		if err != nil {
			return err
		}
		if in.FromMembershipID != a.MembershipID && !sc.canManage() {
			return errForbidden()
		}
		if !sc.c.ProxyAllowed {
			return errs.New(errs.Forbidden, errs.M("meetings.rules-forbid-delegation", "Die Geschäftsordnung dieses Gremiums erlaubt keine Stimmrechtsübertragung.", "This committee's rules of procedure do not allow delegating a vote."))
		}
		// One delegation change per committee at a time, so that the
		// chain checks below hold.
		if _, err := exec(tx, forUpdate(tx, "SELECT id FROM committees WHERE tenant_id = @tenant AND id = ?"), sc.c.ID); err != nil {
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
			return errs.InvalidField("from_membership_id", errs.M("meetings.only-voting-member-delegates", "Nur ein stimmberechtigtes Mitglied des Gremiums kann sein Stimmrecht übertragen.", "Only a voting member of the committee can delegate their vote."))
		}
		if to == nil || to.Role == RoleAdvisory || to.ID == from.ID {
			return errs.InvalidField("to_membership_id", errs.M("meetings.proxy-must-another-member-committee", "Eine Vertretung muss ein anderes Mitglied des Gremiums sein.", "A proxy must be another member of the committee."))
		}
		if err := noDelegationClash(tx, from, to, related, relArgs); err != nil {
			return err
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
				return errs.New(errs.Conflict, errs.M("meetings.delegation-meeting-poll-exists-already", "Für diese Sitzung oder Abstimmung besteht bereits eine Vertretung.", "A delegation for this meeting or poll exists already."))
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

// delegationTarget loads the meeting (open) or the poll (draft or open) a
// delegation is for, with the actor's scope in its committee, and returns
// the condition that selects the delegations overlapping it: of the same
// meeting (and its polls), or of the same poll (and its meeting).
func delegationTarget(tx *db.Tx, a tenant.Actor, in DelegationInput, now time.Time) (*scope, string, []any, error) {
	if in.MeetingID != uuid.Nil {
		m, sc, err := loadMeeting(tx, a, in.MeetingID, now, "")
		if err != nil {
			return nil, "", nil, err
		}
		if !m.open() {
			return nil, "", nil, m.errNotOpen()
		}
		return sc, "(meeting_id = ? OR poll_id IN (SELECT p.id FROM polls p WHERE p.tenant_id = @tenant AND p.meeting_id = ?))",
			[]any{in.MeetingID, in.MeetingID}, nil
	}
	p, sc, err := loadPoll(tx, a, in.PollID, now, "")
	if err != nil {
		return nil, "", nil, err
	}
	if p.State != PollDraft && p.State != PollOpen {
		return nil, "", nil, errs.New(errs.Conflict, errs.M("meetings.poll-already-ended", "Die Abstimmung ist bereits beendet.", "The poll has already ended."))
	}
	if p.MeetingID != nil {
		return sc, "(poll_id = ? OR meeting_id = ?)", []any{in.PollID, *p.MeetingID}, nil
	}
	return sc, "poll_id = ?", []any{in.PollID}, nil
}

// noDelegationClash refuses a delegation from from to to when a standing
// delegation that overlaps it (related) already has from as delegator, or
// would make a chain: from as proxy, or to as delegator.
func noDelegationClash(tx *db.Tx, from, to *memberRow, related string, relArgs []any) error {
	var clash []delegationRow
	if err := tx.Table(delegationsTable).Where("revoked_at IS NULL AND (from_member_id IN ? OR to_member_id = ?)",
		[]uuid.UUID{from.ID, to.ID}, from.ID).Where(tx.Expr(related, relArgs...)).Scan(&clash).Error; err != nil {
		return fmt.Errorf("committees: read delegations: %w", err)
	}
	for _, d := range clash {
		if d.FromMemberID == from.ID {
			return errs.New(errs.Conflict, errs.M("meetings.delegation-meeting-poll-exists-already", "Für diese Sitzung oder Abstimmung besteht bereits eine Vertretung.", "A delegation for this meeting or poll exists already."))
		}
	}
	if len(clash) > 0 {
		return errs.New(errs.Conflict, errs.M("meetings.whoever-delegated-their-vote-acts", "Wer sein Stimmrecht übertragen hat oder selbst vertritt, kann nicht weiter übertragen.", "Whoever has delegated their vote or acts as a proxy cannot delegate further."))
	}
	return nil
}

// RevokeDelegation ends a delegation (the delegator, or an admin, the
// chair or the secretary). Ballots the proxy already cast stay.
func (s *Service) RevokeDelegation(ctx context.Context, a tenant.Actor, id uuid.UUID) error {
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

// Delegations are the standing delegations of a meeting or a poll that
// the caller sees and, for a poll, the ballots the caller casts as proxy.
type Delegations struct {
	// Delegations: those in which the caller is delegator or proxy (all of
	// them for administrators, the chair and the secretary), oldest first.
	// For a meeting, its polls' delegations are included; for a poll of a
	// meeting, the meeting's.
	Delegations []Delegation
	// ProxyFor: for a poll, the delegators whose ballot the caller may cast
	// there as proxy, and whether each one's ballot is in; empty for a
	// meeting or where the rules no longer allow delegations.
	ProxyFor []ProxyBallot
}

// ProxyBallot is a delegator's ballot the caller casts as proxy.
type ProxyBallot struct {
	MembershipID uuid.UUID
	Voted        bool
}

// ListDelegations reads the standing delegations of a meeting (meetingID)
// or a poll (pollID; exactly one is set) that the caller takes part in,
// or all of them for those who manage the committee.
func (s *Service) ListDelegations(ctx context.Context, a tenant.Actor, meetingID, pollID uuid.UUID) (*Delegations, error) {
	if (meetingID == uuid.Nil) == (pollID == uuid.Nil) {
		return nil, errs.InvalidField("meeting_id", errs.M("meetings.give-either-meeting-poll", "Bitte entweder eine Sitzung oder eine Abstimmung angeben.", "Please give either a meeting or a poll."))
	}
	out := &Delegations{Delegations: []Delegation{}, ProxyFor: []ProxyBallot{}}
	err := s.run(ctx, a, func(tx *db.Tx) error {
		now := s.now()
		var sc *scope
		var related string
		var relArgs []any
		if meetingID != uuid.Nil {
			_, msc, err := loadMeeting(tx, a, meetingID, now, "")
			if err != nil {
				return err
			}
			sc = msc
			related = "(d.meeting_id = ? OR d.poll_id IN (SELECT p.id FROM polls p WHERE p.tenant_id = @tenant AND p.meeting_id = ?))"
			relArgs = []any{meetingID, meetingID}
		} else {
			p, psc, err := loadPoll(tx, a, pollID, now, "")
			if err != nil {
				return err
			}
			sc = psc
			related, relArgs = "d.poll_id = ?", []any{pollID}
			if p.MeetingID != nil {
				related, relArgs = "(d.poll_id = ? OR d.meeting_id = ?)", []any{pollID, *p.MeetingID}
			}
		}
		q := `SELECT d.*, f.membership_id AS from_membership_id, t.membership_id AS to_membership_id FROM delegations d
			JOIN committee_members f ON f.tenant_id = d.tenant_id AND f.id = d.from_member_id
			JOIN committee_members t ON t.tenant_id = d.tenant_id AND t.id = d.to_member_id
			WHERE d.tenant_id = @tenant AND d.committee_id = ? AND d.revoked_at IS NULL AND ` + related
		args := append([]any{sc.c.ID}, relArgs...)
		if !sc.canManage() {
			q += " AND (f.membership_id = ? OR t.membership_id = ?)"
			args = append(args, a.MembershipID, a.MembershipID)
		}
		var rows []delegationRow
		if err := tx.Raw(q+" ORDER BY d.created_at, d.id", args...).Scan(&rows).Error; err != nil {
			return fmt.Errorf("committees: list delegations: %w", err)
		}
		var proxyFor []uuid.UUID
		for _, r := range rows {
			out.Delegations = append(out.Delegations, Delegation{ID: r.ID, CommitteeID: r.CommitteeID, FromMembershipID: r.FromMembershipID,
				ToMembershipID: r.ToMembershipID, MeetingID: r.MeetingID, PollID: r.PollID, CreatedAt: r.CreatedAt, CreatedBy: r.CreatedBy})
			if pollID != uuid.Nil && sc.c.ProxyAllowed && r.ToMembershipID == a.MembershipID {
				proxyFor = append(proxyFor, r.FromMembershipID)
			}
		}
		if len(proxyFor) == 0 {
			return nil
		}
		var in []uuid.UUID
		if err := tx.Table(receiptsTable).Where("poll_id = ? AND voter_membership_id IN ?", pollID, proxyFor).
			Pluck("voter_membership_id", &in).Error; err != nil {
			return fmt.Errorf("committees: read receipts: %w", err)
		}
		for _, m := range proxyFor {
			out.ProxyFor = append(out.ProxyFor, ProxyBallot{MembershipID: m, Voted: slices.Contains(in, m)})
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}
