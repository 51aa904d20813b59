package meetings

// What a counted poll shows: its stored result and its named votes, to
// whom canSeeOutcome allows.

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/kollab/kollab/internal/db"
	"github.com/kollab/kollab/internal/errs"
	"github.com/kollab/kollab/tenant"
)

// canSeeOutcome answers whether the actor may see a poll's result and
// named votes: after publication every member, before it (closed) the
// managers; an open or draft poll has none yet, an annulled one none at all.
func canSeeOutcome(p *pollRow, sc *scope) error {
	switch p.State {
	case PollAnnulled:
		return errs.New(errs.Conflict, errs.M("meetings.poll-annulled-no-result", "Die Abstimmung wurde annulliert und hat kein Ergebnis.", "The poll was annulled and has no result."))
	case PollPublished:
		return nil
	case PollClosed:
		if sc.canManage() {
			return nil
		}
		return errs.New(errs.Forbidden, errs.M("meetings.result-not-published-yet", "Das Ergebnis ist noch nicht veröffentlicht.", "The result has not been published yet."))
	}
	return errs.New(errs.Conflict, errs.M("meetings.result-only-available-once-poll", "Das Ergebnis liegt erst nach dem Schließen der Abstimmung vor.", "The result is only available once the poll is closed."))
}

// Result returns a closed poll's stored result (see canSeeOutcome).
func (s *Service) Result(ctx context.Context, a tenant.Actor, pollID uuid.UUID) (*Result, error) {
	var out *Result
	err := s.run(ctx, a, func(tx *db.Tx) error {
		p, sc, err := loadPoll(tx, a, pollID, s.now(), "")
		if err != nil {
			return err
		}
		if err := canSeeOutcome(p, sc); err != nil {
			return err
		}
		ballots, err := ballotsOf(tx, pollID)
		if err != nil {
			return err
		}
		if tooFewBallots(p, ballots) {
			return errTooFewBallots()
		}
		var rows []resultRow
		if err := tx.Table(resultsTable).Where("poll_id = ?", pollID).Limit(1).Scan(&rows).Error; err != nil {
			return fmt.Errorf("committees: read result: %w", err)
		}
		if len(rows) == 0 {
			return fmt.Errorf("committees: closed poll %s has no result", pollID)
		}
		r := rows[0]
		out = &Result{PollID: pollID, Ballots: r.Ballots, CastWeight: r.CastWeight, Yes: r.YesWeight, No: r.NoWeight, Abstain: r.AbstainWeight,
			Rule: p.rule(), BaseWeight: r.BaseWeight, PresentWeight: r.PresentWeight, MembersWeight: r.MembersWeight,
			QuorumReached: r.QuorumReached, Passed: r.Passed, TieAtCut: r.TieAtCut, ComputedAt: r.ComputedAt}
		if err := json.Unmarshal([]byte(r.OptionVotes), &out.OptionVotes); err != nil {
			return fmt.Errorf("committees: decode option votes: %w", err)
		}
		if p.Method != Choice {
			out.OptionVotes = nil
		}
		out.Elected, err = decodeIDs(r.Elected)
		return err
	})
	return out, err
}

// NamedVotes returns who voted how in a named poll (see canSeeOutcome).
func (s *Service) NamedVotes(ctx context.Context, a tenant.Actor, pollID uuid.UUID) ([]NamedVote, error) {
	out := []NamedVote{}
	err := s.run(ctx, a, func(tx *db.Tx) error {
		p, sc, err := loadPoll(tx, a, pollID, s.now(), "")
		if err != nil {
			return err
		}
		if p.Kind != Named {
			return errs.New(errs.Conflict, errs.M("meetings.secret-poll-no-named-votes", "Eine geheime Abstimmung hat keine namentlichen Stimmen.", "A secret poll has no named votes."))
		}
		if err := canSeeOutcome(p, sc); err != nil {
			return err
		}
		var rows []struct {
			Voter     uuid.UUID `gorm:"column:voter_membership_id"`
			CastBy    uuid.UUID `gorm:"column:cast_by_membership_id"`
			Choice    string    `gorm:"column:choice"`
			OptionIDs string    `gorm:"column:option_ids"`
			Weight    int       `gorm:"column:weight"`
			CastAt    time.Time `gorm:"column:cast_at"`
		}
		if err := tx.Table(votesTable).Where("poll_id = ?", pollID).Order("cast_at, id").Scan(&rows).Error; err != nil {
			return fmt.Errorf("committees: read votes: %w", err)
		}
		for _, r := range rows {
			ids, err := decodeIDs(r.OptionIDs)
			if err != nil {
				return err
			}
			out = append(out, NamedVote{VoterMembershipID: r.Voter, CastByMembershipID: r.CastBy, Choice: r.Choice, OptionIDs: ids,
				Weight: r.Weight, CastAt: r.CastAt})
		}
		return nil
	})
	return out, err
}
