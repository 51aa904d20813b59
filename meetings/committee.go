package meetings

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/kollab/kollab/documents"
	"github.com/kollab/kollab/internal/db"
	"github.com/kollab/kollab/internal/errs"
	"github.com/kollab/kollab/meetings/publication"
	"github.com/kollab/kollab/tenant"
)

// CommitteeInput is a committee's name and rules of procedure.
type CommitteeInput struct {
	Name        string
	Description string
	Public      bool
	// Quorum is the share of the voting weight that must be present; the
	// zero value is "more than half".
	Quorum Fraction
	// DefaultRule applies to polls that name none; the zero value is a
	// simple majority of the votes cast.
	DefaultRule  Rule
	ProxyAllowed bool
}

func (in *CommitteeInput) validate() error {
	var err error
	if in.Name, err = validateName(in.Name); err != nil {
		return err
	}
	if in.Description, err = validateDescription(in.Description); err != nil {
		return err
	}
	if in.Quorum, err = validateQuorum(in.Quorum); err != nil {
		return err
	}
	in.DefaultRule, err = validateRule(in.DefaultRule)
	return err
}

func (in *CommitteeInput) details() map[string]string {
	return map[string]string{"name": in.Name, "public": fmt.Sprint(in.Public), "proxy_allowed": fmt.Sprint(in.ProxyAllowed),
		"quorum": fmt.Sprintf("%d/%d", in.Quorum.Num, in.Quorum.Den), "majority": string(in.DefaultRule.Majority),
		"base": string(in.DefaultRule.Base)}
}

func nameConflict(err error) error {
	if db.IsUniqueViolation(err) {
		return errs.New(errs.Conflict, errs.M("meetings.committee-name-exists-already", "Ein Gremium mit diesem Namen gibt es bereits.", "A committee with this name exists already."))
	}
	return err
}

// CreateCommittee creates a committee (tenant admins only).
func (s *Service) CreateCommittee(ctx context.Context, a tenant.Actor, in CommitteeInput) (*Committee, error) {
	if err := in.validate(); err != nil {
		return nil, err
	}
	var out *Committee
	err := s.run(ctx, a, func(tx *db.Tx) error {
		if !a.IsAdmin() {
			return errForbidden()
		}
		now := s.now()
		num, den, incl := ruleColumns(in.DefaultRule)
		rec := &committeeRow{TenantID: a.TenantID, ID: db.NewID(), Name: in.Name, Description: in.Description, Public: in.Public,
			QuorumNum: in.Quorum.Num, QuorumDen: in.Quorum.Den, QuorumInclusive: in.Quorum.Inclusive,
			Majority: in.DefaultRule.Majority, MajorityNum: num, MajorityDen: den, MajorityInclusive: incl, Base: in.DefaultRule.Base,
			ProxyAllowed: in.ProxyAllowed, CreatedAt: now, CreatedBy: a.MembershipID, UpdatedAt: now}
		// The filing folder first: the document store takes its locks
		// (folder tree, storage usage) before the audit chain's.
		if _, err := ensureFilingFolder(ctx, tx, a, rec); err != nil {
			return err
		}
		if err := tx.Create(committeesTable, rec); err != nil {
			return nameConflict(fmt.Errorf("committees: create committee: %w", err))
		}
		details := in.details()
		details["filing_folder_id"] = rec.FilingFolderID.String()
		if err := record(ctx, tx, a, ActionCommitteeCreated, "committee", rec.ID, details); err != nil {
			return err
		}
		sc, err := loadScope(tx, a, rec.ID, now)
		if err == nil {
			out = sc.committee()
		}
		return err
	})
	return out, err
}

// UpdateCommittee replaces a committee's name and rules (admins, chair,
// secretary). Polls keep the rule they were created with.
func (s *Service) UpdateCommittee(ctx context.Context, a tenant.Actor, id uuid.UUID, in CommitteeInput) (*Committee, error) {
	if err := in.validate(); err != nil {
		return nil, err
	}
	var out *Committee
	err := s.run(ctx, a, func(tx *db.Tx) error {
		now := s.now()
		sc, err := loadScope(tx, a, id, now)
		if err != nil {
			return err
		}
		if !in.Public { // a committee made non-public leaves OParl: tombstones
			if err := publication.Watch(tx, publication.Committee(id)); err != nil {
				return err
			}
		}
		if err := sc.needManage(); err != nil {
			return err
		}
		// A renamed committee's filing folder follows the name (unless
		// another folder there has it); before the audit chain's lock.
		if sc.c.FilingFolderID != nil && sc.c.Name != in.Name {
			if _, err := documents.RenameOwnedFolder(ctx, tx, a, *sc.c.FilingFolderID, in.Name); err != nil {
				return err
			}
		}
		num, den, incl := ruleColumns(in.DefaultRule)
		if err := tx.Table(committeesTable).Where("id = ?", id).Updates(map[string]any{
			"name": in.Name, "description": in.Description, "public": in.Public,
			"quorum_num": in.Quorum.Num, "quorum_den": in.Quorum.Den, "quorum_inclusive": in.Quorum.Inclusive,
			"majority": in.DefaultRule.Majority, "majority_num": num, "majority_den": den, "majority_inclusive": incl,
			"base": in.DefaultRule.Base, "proxy_allowed": in.ProxyAllowed, "updated_at": now}).Error; err != nil {
			return nameConflict(fmt.Errorf("committees: update committee: %w", err))
		}
		if err := record(ctx, tx, a, ActionCommitteeUpdated, "committee", id, in.details()); err != nil {
			return err
		}
		if sc, err = loadScope(tx, a, id, now); err == nil {
			out = sc.committee()
		}
		return err
	})
	return out, err
}

// GetCommittee returns a committee the actor may see.
func (s *Service) GetCommittee(ctx context.Context, a tenant.Actor, id uuid.UUID) (*Committee, error) {
	var out *Committee
	err := s.run(ctx, a, func(tx *db.Tx) error {
		sc, err := loadScope(tx, a, id, s.now())
		if err == nil {
			out = sc.committee()
		}
		return err
	})
	return out, err
}

// ListCommittees lists the committees the actor may see (admins: all; others:
// those they hold a running seat in), by name.
func (s *Service) ListCommittees(ctx context.Context, a tenant.Actor) ([]Committee, error) {
	out := []Committee{}
	err := s.run(ctx, a, func(tx *db.Tx) error {
		now := s.now()
		q := tx.Table(committeesTable).Order("committees.name, committees.id")
		if !a.IsAdmin() {
			q = q.Where(tx.Expr(`committees.id IN (SELECT cm.committee_id FROM committee_members cm
				WHERE cm.tenant_id = @tenant AND cm.membership_id = ? AND `+termRunning+`)`, a.MembershipID, now, now))
		}
		var rows []committeeRow
		if err := q.Scan(&rows).Error; err != nil {
			return fmt.Errorf("committees: list committees: %w", err)
		}
		for _, r := range rows {
			sc := &scope{c: r, admin: a.IsAdmin()}
			seat, err := seatOf(tx, r.ID, a.MembershipID, now)
			if err != nil {
				return err
			}
			sc.seat = seat
			out = append(out, *sc.committee())
		}
		return nil
	})
	return out, err
}

// MemberInput gives a tenant membership a seat in a committee.
type MemberInput struct {
	MembershipID uuid.UUID
	Role         Role
	// Voting is the right to vote; advisory members may not have it.
	Voting bool
	// Weight of the member's vote; 0 means 1.
	Weight int
	// TermStart defaults to now; TermEnd (exclusive) nil is open-ended.
	TermStart time.Time
	TermEnd   *time.Time
}

func (in *MemberInput) validate(now time.Time) error {
	if in.MembershipID == uuid.Nil {
		return errs.InvalidField("membership_id", errs.M("meetings.membership-does-not-exist-tenant", "Diese Mitgliedschaft gibt es in diesem Mandanten nicht.", "This membership does not exist in this tenant."))
	}
	if err := validateRole(in.Role); err != nil {
		return err
	}
	if in.Role == RoleAdvisory && in.Voting {
		return errs.InvalidField("voting", errs.M("meetings.advisory-members-no-vote", "Beratende Mitglieder haben kein Stimmrecht.", "Advisory members have no vote."))
	}
	if in.Weight == 0 {
		in.Weight = 1
	}
	if in.Weight < 1 || in.Weight > MaxWeight {
		return errs.InvalidField("weight", errs.M("meetings.weight-vote-lies-between-1", "Das Stimmgewicht liegt zwischen 1 und 1000.", "The weight of a vote lies between 1 and 1000."))
	}
	if in.TermStart.IsZero() {
		in.TermStart = now
	}
	in.TermStart = in.TermStart.UTC().Truncate(time.Microsecond)
	if in.TermEnd != nil {
		e := in.TermEnd.UTC().Truncate(time.Microsecond)
		if !e.After(in.TermStart) {
			return errs.InvalidField("term_end", errs.M("meetings.term-must-end-after-begins", "Die Amtszeit muss nach ihrem Beginn enden.", "The term must end after it begins."))
		}
		in.TermEnd = &e
	}
	return nil
}

// SetMember gives a membership a seat in the committee, or changes the
// seat it has (admins, chair, secretary).
func (s *Service) SetMember(ctx context.Context, a tenant.Actor, committeeID uuid.UUID, in MemberInput) (*Member, error) {
	var out *Member
	err := s.run(ctx, a, func(tx *db.Tx) error {
		now := s.now()
		if err := in.validate(now); err != nil {
			return err
		}
		sc, err := loadScope(tx, a, committeeID, now)
		if err != nil {
			return err
		}
		if err := sc.needManage(); err != nil {
			return err
		}
		var roles []string
		if err := tx.Table("memberships").Where("id = ?", in.MembershipID).Pluck("role", &roles).Error; err != nil {
			return fmt.Errorf("committees: check membership: %w", err)
		}
		if len(roles) == 0 {
			return errs.InvalidField("membership_id", errs.M("meetings.membership-does-not-exist-tenant", "Diese Mitgliedschaft gibt es in diesem Mandanten nicht.", "This membership does not exist in this tenant."))
		}
		if tenant.Role(roles[0]) == tenant.RolePartner { // guests are confined to their workspaces
			return errs.New(errs.Conflict, errs.M("meetings.guest-no-seat", "Gäste (externe Partner) können keinen Sitz in einem Gremium haben.", "Guests (external partners) cannot hold a seat in a committee."))
		}
		set := map[string]any{"role": in.Role, "voting": in.Voting, "weight": in.Weight,
			"term_start": in.TermStart, "term_end": in.TermEnd, "updated_at": now}
		res := tx.Table(membersTable).Where("committee_id = ? AND membership_id = ?", committeeID, in.MembershipID).Updates(set)
		if res.Error != nil {
			return fmt.Errorf("committees: update member: %w", res.Error)
		}
		if res.RowsAffected == 0 {
			rec := &memberRow{TenantID: a.TenantID, ID: db.NewID(), CommitteeID: committeeID, MembershipID: in.MembershipID,
				Role: in.Role, Voting: in.Voting, Weight: in.Weight, TermStart: in.TermStart, TermEnd: in.TermEnd,
				CreatedAt: now, UpdatedAt: now}
			if err := tx.Create(membersTable, rec); err != nil {
				if db.IsUniqueViolation(err) {
					return errs.New(errs.Conflict, errs.M("meetings.members-were-changed-same-time", "Die Mitglieder wurden gerade gleichzeitig geändert. Bitte erneut versuchen.", "The members were changed at the same time. Please try again."))
				}
				return fmt.Errorf("committees: add member: %w", err)
			}
		}
		m, err := seatOfAny(tx, committeeID, in.MembershipID)
		if err != nil {
			return err
		}
		if err := record(ctx, tx, a, ActionMemberSet, "committee", committeeID, map[string]string{
			"membership_id": in.MembershipID.String(), "role": string(in.Role), "voting": fmt.Sprint(in.Voting),
			"weight": fmt.Sprint(in.Weight)}); err != nil {
			return err
		}
		mm := m.member()
		out = &mm
		return nil
	})
	return out, err
}

// RemoveMember ends a member's term now (admins, chair, secretary); the
// seat stays on record for past meetings. A seat whose term has not begun
// yet is deleted.
func (s *Service) RemoveMember(ctx context.Context, a tenant.Actor, committeeID, membershipID uuid.UUID) error {
	return s.run(ctx, a, func(tx *db.Tx) error {
		now := s.now()
		sc, err := loadScope(tx, a, committeeID, now)
		if err != nil {
			return err
		}
		if err := sc.needManage(); err != nil {
			return err
		}
		m, err := seatOfAny(tx, committeeID, membershipID)
		if err != nil {
			return err
		}
		if err := publication.Watch(tx, publication.Seat(committeeID, membershipID)); err != nil { // OParl tombstones
			return err
		}
		switch {
		case !m.TermStart.Before(now):
			if _, err := exec(tx, "DELETE FROM committee_members WHERE tenant_id = @tenant AND id = ?", m.ID); err != nil {
				return err
			}
		case m.TermEnd == nil || m.TermEnd.After(now):
			if _, err := exec(tx, "UPDATE committee_members SET term_end = ?, updated_at = ? WHERE tenant_id = @tenant AND id = ?",
				now, now, m.ID); err != nil {
				return err
			}
		default:
			return nil // the term is over already
		}
		return record(ctx, tx, a, ActionMemberRemoved, "committee", committeeID, map[string]string{"membership_id": membershipID.String()})
	})
}

// ListMembers lists every seat of a committee, past and future terms
// included, in the order they were created.
func (s *Service) ListMembers(ctx context.Context, a tenant.Actor, committeeID uuid.UUID) ([]Member, error) {
	out := []Member{}
	err := s.run(ctx, a, func(tx *db.Tx) error {
		if _, err := loadScope(tx, a, committeeID, s.now()); err != nil {
			return err
		}
		var rows []memberRow
		if err := tx.Table(membersTable).Where("committee_id = ?", committeeID).Order("created_at, id").Scan(&rows).Error; err != nil {
			return fmt.Errorf("committees: list members: %w", err)
		}
		for _, r := range rows {
			out = append(out, r.member())
		}
		return nil
	})
	return out, err
}
