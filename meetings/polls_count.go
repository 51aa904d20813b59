package meetings

// Closing a poll: counting its ballots (secret ones only through the
// aggregate) and storing the result.

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

// closePoll closes p and stores its result. Its exclusive poll lock and
// its UPDATE are the close's half of the lock protocol (see lockPoll): on
// PostgreSQL they wait until every cast in flight has committed, and the
// count below, a later statement of the same READ COMMITTED transaction,
// sees all of them. a is the zero actor when the deadline closes a written
// procedure.
func (s *Service) closePoll(ctx context.Context, tx *db.Tx, a tenant.Actor, p *pollRow, q Fraction, now time.Time) error {
	if isPostgres(tx) {
		if err := lockPoll(tx, p.ID, false); err != nil {
			return err
		}
	}
	var closedBy *uuid.UUID
	if a.MembershipID != uuid.Nil {
		closedBy = &a.MembershipID
	}
	n, err := exec(tx, "UPDATE polls SET state = ?, closed_at = ?, closed_by = ? WHERE tenant_id = @tenant AND id = ? AND state = ?",
		PollClosed, now, closedBy, p.ID, PollOpen)
	if err != nil {
		return err
	}
	if n == 0 {
		return errPollTransition()
	}
	p.State, p.ClosedAt, p.ClosedBy = PollClosed, &now, closedBy
	ballots, err := ballotsOf(tx, p.ID)
	if err != nil {
		return err
	}
	details := map[string]string{"ballots": fmt.Sprint(ballots), "by_deadline": fmt.Sprint(closedBy == nil)}
	if tooFewBallots(p, ballots) {
		// Not counted: the chair may annul it.
		details["result"] = "too_few_ballots"
	} else {
		res, err := count(tx, p, q, now)
		if err != nil {
			return err
		}
		if err := storeResult(tx, p, res); err != nil {
			return err
		}
		details["passed"] = fmt.Sprint(res.Passed)
	}
	return s.pollRecord(ctx, tx, a, p, ActionPollClosed, details)
}

// count gathers the ballots and the bases of a closed poll and tallies
// them. A secret poll is counted from its aggregate (secretTotals), one
// ballot per person: its bases count people, not weights.
func count(tx *db.Tx, p *pollRow, qf Fraction, now time.Time) (*Result, error) {
	in := TallyInput{Method: p.Method, Seats: p.Seats, Rule: p.rule()}
	if p.Kind == Secret {
		t, err := secretTotals(tx, p)
		if err != nil {
			return nil, err
		}
		in.Totals = t
	} else {
		b, err := namedBallots(tx, p.ID)
		if err != nil {
			return nil, err
		}
		in.Ballots = b
	}
	if err := tx.Table(optionsTable).Where("poll_id = ?", p.ID).Order("position").Pluck("id", &in.Options).Error; err != nil {
		return nil, fmt.Errorf("committees: read options: %w", err)
	}
	// The voters, weighed by their seats: whoever voted belongs to the
	// bases, even if they left the room or their term ended meanwhile.
	var voted []struct {
		MemberID uuid.UUID `gorm:"column:id"`
		Weight   int64     `gorm:"column:weight"`
	}
	if err := tx.Table(receiptsTable).Select("cm.id, cm.weight").
		Joins("JOIN committee_members cm ON cm.tenant_id = poll_receipts.tenant_id AND cm.membership_id = poll_receipts.voter_membership_id").
		Where("poll_receipts.poll_id = ? AND cm.committee_id = ?", p.ID, p.CommitteeID).Scan(&voted).Error; err != nil {
		return nil, fmt.Errorf("committees: read receipts: %w", err)
	}
	meetingID, itemID := uuid.Nil, uuid.Nil
	if p.MeetingID != nil {
		meetingID, itemID = *p.MeetingID, *p.AgendaItemID
	}
	r, err := roster(tx, p.CommitteeID, meetingID, itemID, p.ID, now)
	if err != nil {
		return nil, err
	}
	weight := func(w int64) int64 {
		if p.Kind == Secret {
			return 1
		}
		return w
	}
	members, present := map[uuid.UUID]int64{}, map[uuid.UUID]int64{}
	for _, v := range r.voters {
		if v.Conflicted {
			continue
		}
		members[v.MemberID] = weight(v.Weight)
		represented := v.Proxy != nil && r.here[*v.Proxy] && !r.conflicted[*v.Proxy]
		if p.MeetingID == nil || v.Here || represented {
			present[v.MemberID] = weight(v.Weight)
		}
	}
	for _, v := range voted {
		members[v.MemberID], present[v.MemberID] = weight(v.Weight), weight(v.Weight)
	}
	for _, w := range members {
		in.MembersWeight += w
	}
	for _, w := range present {
		in.PresentWeight += w
	}
	res := Tally(in)
	res.PollID, res.ComputedAt = p.ID, now
	if p.MeetingID != nil {
		reached := quorum(r.voters, qf).Reached
		res.QuorumReached = &reached
	}
	return &res, nil
}

// namedBallots reads the ballots of a named poll, each with its weight.
func namedBallots(tx *db.Tx, pollID uuid.UUID) ([]Ballot, error) {
	var rows []struct {
		Choice    string `gorm:"column:choice"`
		OptionIDs string `gorm:"column:option_ids"`
		Weight    int64  `gorm:"column:weight"`
	}
	if err := tx.Table(votesTable).Select("choice, option_ids, weight").Where("poll_id = ?", pollID).Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("committees: read ballots: %w", err)
	}
	out := make([]Ballot, len(rows))
	for i, r := range rows {
		ids, err := decodeIDs(r.OptionIDs)
		if err != nil {
			return nil, err
		}
		out[i] = Ballot{Choice: r.Choice, OptionIDs: ids, Weight: r.Weight}
	}
	return out, nil
}

// secretTotals counts a closed secret poll with at least MinSecretBallots
// ballots, one per ballot, from aggregates only: per choice, and per
// option the ballots naming it. On PostgreSQL they come from
// secret_ballot_tally, which runs as the schema owner (the serving role may
// not read secret_ballots) and refuses any other poll. SQLite has no roles,
// so the same rule is kept here: this is the only read of secret ballots.
func secretTotals(tx *db.Tx, p *pollRow) (*Totals, error) {
	if p.Kind != Secret || p.State != PollClosed {
		return nil, errs.New(errs.Conflict, errs.M("meetings.result-only-available-once-poll", "Das Ergebnis liegt erst nach dem Schließen der Abstimmung vor.", "The result is only available once the poll is closed."))
	}
	n, err := ballotsOf(tx, p.ID)
	if err != nil {
		return nil, err
	}
	if n < MinSecretBallots {
		return nil, errTooFewBallots()
	}
	var rows []struct {
		Kind     string     `gorm:"column:kind"`
		OptionID *uuid.UUID `gorm:"column:option_id"`
		Votes    int64      `gorm:"column:votes"`
	}
	if isPostgres(tx) {
		err = tx.Unscoped().Raw("SELECT kind, option_id, votes FROM secret_ballot_tally(?)", p.ID).Scan(&rows).Error
	} else {
		err = tx.Raw(`SELECT choice AS kind, NULL AS option_id, count(*) AS votes FROM secret_ballots
			WHERE tenant_id = @tenant AND poll_id = ? GROUP BY choice
			UNION ALL
			SELECT 'option', o.value, count(*) FROM secret_ballots b,
				json_each(CASE WHEN b.choice = 'options' THEN b.option_ids ELSE '[]' END) o
			WHERE b.tenant_id = @tenant AND b.poll_id = ? GROUP BY o.value`, p.ID, p.ID).Scan(&rows).Error
	}
	if err != nil {
		return nil, fmt.Errorf("committees: count secret ballots: %w", err)
	}
	t := &Totals{Options: map[uuid.UUID]int64{}}
	for _, r := range rows {
		switch {
		case r.Kind == "option" && r.OptionID != nil:
			t.Options[*r.OptionID] = r.Votes
		case r.Kind == Yes:
			t.Yes = r.Votes
		case r.Kind == No:
			t.No = r.Votes
		case r.Kind == Abstain:
			t.Abstain = r.Votes
		}
		if r.Kind != "option" {
			t.Ballots += int(r.Votes)
			t.Cast += r.Votes
		}
	}
	if t.Ballots != n {
		return nil, fmt.Errorf("committees: poll %s has %d receipts and %d secret ballots", p.ID, n, t.Ballots)
	}
	return t, nil
}

// resultRow is a row of poll_results.
type resultRow struct {
	TenantID      uuid.UUID `gorm:"column:tenant_id"`
	ID            uuid.UUID `gorm:"column:id"`
	PollID        uuid.UUID `gorm:"column:poll_id"`
	Ballots       int       `gorm:"column:ballots"`
	CastWeight    int64     `gorm:"column:cast_weight"`
	YesWeight     int64     `gorm:"column:yes_weight"`
	NoWeight      int64     `gorm:"column:no_weight"`
	AbstainWeight int64     `gorm:"column:abstain_weight"`
	OptionVotes   string    `gorm:"column:option_votes"`
	BaseWeight    int64     `gorm:"column:base_weight"`
	PresentWeight int64     `gorm:"column:present_weight"`
	MembersWeight int64     `gorm:"column:members_weight"`
	QuorumReached *bool     `gorm:"column:quorum_reached"`
	Passed        bool      `gorm:"column:passed"`
	Elected       string    `gorm:"column:elected"`
	TieAtCut      bool      `gorm:"column:tie_at_cut"`
	ComputedAt    time.Time `gorm:"column:computed_at"`
}

// OwnerTenant implements db.TenantOwned.
func (r *resultRow) OwnerTenant() uuid.UUID { return r.TenantID }

func storeResult(tx *db.Tx, p *pollRow, res *Result) error {
	ov := res.OptionVotes
	if ov == nil {
		ov = []OptionVotes{}
	}
	ovb, err := json.Marshal(ov)
	if err != nil {
		return err
	}
	rec := &resultRow{TenantID: tx.TenantID(), ID: db.NewID(), PollID: p.ID, Ballots: res.Ballots, CastWeight: res.CastWeight,
		YesWeight: res.Yes, NoWeight: res.No, AbstainWeight: res.Abstain, OptionVotes: string(ovb), BaseWeight: res.BaseWeight,
		PresentWeight: res.PresentWeight, MembersWeight: res.MembersWeight, QuorumReached: res.QuorumReached, Passed: res.Passed,
		Elected: encodeIDs(res.Elected), TieAtCut: res.TieAtCut, ComputedAt: res.ComputedAt}
	if err := tx.Create(resultsTable, rec); err != nil {
		return fmt.Errorf("committees: store result: %w", err)
	}
	return nil
}
