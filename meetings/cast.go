package meetings

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/kollab/kollab/internal/db"
	"github.com/kollab/kollab/internal/errs"
	"github.com/kollab/kollab/internal/live"
	"github.com/kollab/kollab/tenant"
)

// entitled is the SQL condition "membership ? may vote in poll p (joined
// with its committee c) at time ?": a seat with voting right and a running
// term, an active membership, no conflict on the poll's item. Arguments:
// voter, now, now.
const entitled = `EXISTS (SELECT 1 FROM committee_members v
	JOIN memberships vm ON vm.tenant_id = v.tenant_id AND vm.id = v.membership_id
	WHERE v.tenant_id = @tenant AND v.committee_id = p.committee_id AND v.membership_id = ?
	  AND v.voting AND vm.status = 'active' AND v.term_start <= ? AND (v.term_end IS NULL OR v.term_end > ?)
	  AND NOT EXISTS (SELECT 1 FROM conflict_declarations cd
		WHERE cd.tenant_id = @tenant AND cd.agenda_item_id = p.agenda_item_id AND cd.member_id = v.id)
	  AND `

// castsOwn completes entitled for a voter casting their own ballot: no
// delegation of theirs stands (where the rules allow delegations), and in
// session they are in the room.
const castsOwn = `(NOT c.proxy_allowed OR NOT EXISTS (SELECT 1 FROM delegations d
		WHERE d.tenant_id = @tenant AND d.from_member_id = v.id AND d.revoked_at IS NULL
		  AND (d.poll_id = p.id OR d.meeting_id = p.meeting_id)))
	  AND (p.meeting_id IS NULL OR EXISTS (SELECT 1 FROM meeting_attendance at
		WHERE at.tenant_id = @tenant AND at.meeting_id = p.meeting_id AND at.member_id = v.id
		  AND at.status = 'present' AND at.departed_at IS NULL)))`

// castsByProxy completes entitled for a proxy casting the voter's ballot:
// the rules allow delegations, the voter's delegation to the proxy stands
// for this poll or its meeting, and the proxy holds a running seat, is
// active, not conflicted on the item and, in session, in the room.
// Arguments: proxy, now, now.
const castsByProxy = `c.proxy_allowed AND EXISTS (SELECT 1 FROM delegations d
		JOIN committee_members x ON x.tenant_id = d.tenant_id AND x.id = d.to_member_id
		JOIN memberships xm ON xm.tenant_id = x.tenant_id AND xm.id = x.membership_id
		WHERE d.tenant_id = @tenant AND d.from_member_id = v.id AND d.revoked_at IS NULL
		  AND (d.poll_id = p.id OR d.meeting_id = p.meeting_id)
		  AND x.membership_id = ? AND xm.status = 'active' AND x.term_start <= ? AND (x.term_end IS NULL OR x.term_end > ?)
		  AND NOT EXISTS (SELECT 1 FROM conflict_declarations xd
			WHERE xd.tenant_id = @tenant AND xd.agenda_item_id = p.agenda_item_id AND xd.member_id = x.id)
		  AND (p.meeting_id IS NULL OR EXISTS (SELECT 1 FROM meeting_attendance xa
			WHERE xa.tenant_id = @tenant AND xa.meeting_id = p.meeting_id AND xa.member_id = x.id
			  AND xa.status = 'present' AND xa.departed_at IS NULL))))`

// lockPoll takes the poll's transaction-scoped advisory lock on
// PostgreSQL: shared by every cast, exclusive by the close. The row locks
// alone (casts FOR SHARE, the close's UPDATE) already make a close wait for
// the ballots in flight, but share lockers do not queue behind a waiting
// updater, so a steady stream of ballots could hold a close off for as
// long as it lasts; the advisory lock queues fairly: a cast that arrives
// after the close began waits for it, then finds the poll closed.
func lockPoll(tx *db.Tx, pollID uuid.UUID, shared bool) error {
	fn := "pg_advisory_xact_lock"
	if shared {
		fn = "pg_advisory_xact_lock_shared"
	}
	// An advisory lock reads no table: Unscoped.
	if err := tx.Unscoped().Exec("SELECT "+fn+"(hashtextextended('poll:' || ?, 0))", pollID.String()).Error; err != nil {
		return fmt.Errorf("committees: lock poll: %w", err)
	}
	return nil
}

func errAlreadyVoted() error {
	return errs.New(errs.Conflict, errs.M("meetings.vote-already-cast-poll", "Diese Stimme wurde in dieser Abstimmung bereits abgegeben.", "This vote has already been cast in this poll."))
}

func errNotOpen() error {
	return errs.New(errs.Conflict, errs.M("meetings.poll-not-open", "Die Abstimmung ist nicht geöffnet.", "The poll is not open."))
}

func errNotEntitled() error {
	return errs.New(errs.Forbidden, errs.M("meetings.not-entitled-vote-poll", "Sie sind in dieser Abstimmung nicht stimmberechtigt.", "You are not entitled to vote in this poll."))
}

// Cast casts a ballot in an open poll: the actor's own (voter uuid.Nil or
// the actor's membership), or, as proxy, the ballot of a member who
// delegated to the actor. Exactly one ballot per voter: a second answers
// errs.Conflict, as does a poll that is not open (or past its deadline);
// a voter who is not entitled (no voting right, conflicted, not present in
// session, no delegation) answers errs.Forbidden.
//
// The receipt is written by one INSERT ... SELECT that re-checks all of
// that against the committed state, under the poll's shared lock and its
// row's share lock on PostgreSQL (see lockPoll); the ballot follows in the
// same transaction. A secret ballot
// gets a random id and carries neither voter nor time; the audit log
// records the receipt only.
func (s *Service) Cast(ctx context.Context, a tenant.Actor, pollID, voter uuid.UUID, v Vote) (*Receipt, error) {
	if voter == uuid.Nil {
		voter = a.MembershipID
	}
	var out *Receipt
	err := s.run(ctx, a, func(tx *db.Tx) error {
		now := s.now()
		p, sc, err := loadPoll(tx, a, pollID, now, "")
		if err != nil {
			return err
		}
		var options []uuid.UUID
		if err := tx.Table(optionsTable).Where("poll_id = ?", pollID).Pluck("id", &options).Error; err != nil {
			return fmt.Errorf("committees: read options: %w", err)
		}
		choice, optionIDs, err := v.normalize(p, options)
		if err != nil {
			return err
		}
		if p.State != PollOpen || (p.Deadline != nil && !p.Deadline.After(now)) {
			return errNotOpen()
		}
		seat, err := seatOf(tx, p.CommitteeID, voter, now)
		if err != nil {
			return err
		}
		if seat == nil || sc.seat == nil {
			return errNotEntitled()
		}
		rec := Receipt{ID: db.NewID(), PollID: pollID, VoterMembershipID: voter, CastByMembershipID: a.MembershipID, CastAt: now}
		cond, args := entitled+castsOwn, []any{voter, now, now}
		if voter != a.MembershipID {
			cond, args = entitled+castsByProxy, []any{voter, now, now, a.MembershipID, now, now}
		}
		lock := ""
		if isPostgres(tx) {
			if err := lockPoll(tx, pollID, true); err != nil {
				return err
			}
			lock = " FOR SHARE OF p"
		}
		n, err := exec(tx, `INSERT INTO poll_receipts (tenant_id, id, poll_id, voter_membership_id, cast_by_membership_id, cast_at)
			SELECT p.tenant_id, ?, p.id, ?, ?, ? FROM polls p
			JOIN committees c ON c.tenant_id = @tenant AND c.id = p.committee_id
			WHERE p.tenant_id = @tenant AND p.id = ? AND p.state = 'open' AND (p.deadline IS NULL OR p.deadline > ?) AND `+cond+lock+`
			ON CONFLICT (tenant_id, poll_id, voter_membership_id) DO NOTHING`,
			append([]any{rec.ID, voter, a.MembershipID, now, pollID, now}, args...)...)
		if err != nil {
			return err
		}
		if n == 0 {
			return whyNotCast(tx, pollID, voter, now)
		}
		if err := writeBallot(tx, p, &rec, choice, optionIDs, seat.Weight); err != nil {
			return err
		}
		details := map[string]string{"voter_membership_id": voter.String()}
		if voter != a.MembershipID {
			details["cast_by_membership_id"] = a.MembershipID.String()
		}
		if err := s.changed(tx, live.KindPoll, pollID, "ballot"); err != nil {
			return err
		}
		if err := record(ctx, tx, a, ActionBallotCast, "poll", pollID, details); err != nil {
			return err
		}
		out = &rec
		return nil
	})
	return out, err
}

// writeBallot stores the ballot behind receipt rec: a secret poll's
// without voter, time or weight, a named poll's with all of them.
func writeBallot(tx *db.Tx, p *pollRow, rec *Receipt, choice string, optionIDs []uuid.UUID, weight int) error {
	var err error
	if p.Kind == Secret {
		// UUIDv4: random, so the id order says nothing about the order
		// of submission (a UUIDv7 would). Weight 1: a secret poll counts
		// one ballot per person (a unique weight would name its voter).
		// No RETURNING: the serving role may insert secret ballots, not
		// read them.
		_, err = exec(tx, `INSERT INTO secret_ballots (tenant_id, id, poll_id, choice, option_ids, weight) VALUES (@tenant, ?, ?, ?, ?, 1)`,
			uuid.New(), rec.PollID, choice, encodeIDs(optionIDs))
	} else {
		_, err = exec(tx, `INSERT INTO poll_votes (tenant_id, id, poll_id, voter_membership_id, cast_by_membership_id, choice, option_ids, weight, cast_at)
			VALUES (@tenant, ?, ?, ?, ?, ?, ?, ?, ?)`,
			db.NewID(), rec.PollID, rec.VoterMembershipID, rec.CastByMembershipID, choice, encodeIDs(optionIDs), weight, rec.CastAt)
	}
	return err
}

// whyNotCast explains a receipt that was not written: the voter's ballot
// is in already, the poll is no longer open, or the voter is not entitled.
func whyNotCast(tx *db.Tx, pollID, voter uuid.UUID, now time.Time) error {
	var n int64
	if err := tx.Table(receiptsTable).Where("poll_id = ? AND voter_membership_id = ?", pollID, voter).Count(&n).Error; err != nil {
		return fmt.Errorf("committees: check receipt: %w", err)
	}
	if n > 0 {
		return errAlreadyVoted()
	}
	if err := tx.Table(pollsTable).Where("id = ? AND state = ? AND (deadline IS NULL OR deadline > ?)", pollID, PollOpen, now).
		Count(&n).Error; err != nil {
		return fmt.Errorf("committees: check poll: %w", err)
	}
	if n == 0 {
		return errNotOpen()
	}
	return errNotEntitled()
}
