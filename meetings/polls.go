package meetings

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/kollab/kollab/internal/db"
	"github.com/kollab/kollab/internal/errs"
	"github.com/kollab/kollab/tenant"
)

// pollRow is a row of polls.
type pollRow struct {
	TenantID          uuid.UUID  `gorm:"column:tenant_id"`
	ID                uuid.UUID  `gorm:"column:id"`
	CommitteeID       uuid.UUID  `gorm:"column:committee_id"`
	MeetingID         *uuid.UUID `gorm:"column:meeting_id"`
	AgendaItemID      *uuid.UUID `gorm:"column:agenda_item_id"`
	Title             string     `gorm:"column:title"`
	Kind              Kind       `gorm:"column:kind"`
	Method            Method     `gorm:"column:method"`
	Seats             int        `gorm:"column:seats"`
	Majority          Majority   `gorm:"column:majority"`
	MajorityNum       *int       `gorm:"column:majority_num"`
	MajorityDen       *int       `gorm:"column:majority_den"`
	MajorityInclusive *bool      `gorm:"column:majority_inclusive"`
	Base              Base       `gorm:"column:base"`
	State             PollState  `gorm:"column:state"`
	Deadline          *time.Time `gorm:"column:deadline"`
	OpenedAt          *time.Time `gorm:"column:opened_at"`
	ClosedAt          *time.Time `gorm:"column:closed_at"`
	ClosedBy          *uuid.UUID `gorm:"column:closed_by"`
	PublishedAt       *time.Time `gorm:"column:published_at"`
	CreatedAt         time.Time  `gorm:"column:created_at"`
	CreatedBy         uuid.UUID  `gorm:"column:created_by"`
	AnnulledAt        *time.Time `gorm:"column:annulled_at"`
	AnnulledBy        *uuid.UUID `gorm:"column:annulled_by"`
	AnnulReason       *string    `gorm:"column:annul_reason"`
}

// OwnerTenant implements db.TenantOwned.
func (r *pollRow) OwnerTenant() uuid.UUID { return r.TenantID }

func (r *pollRow) rule() Rule {
	return ruleOf(r.Majority, r.MajorityNum, r.MajorityDen, r.MajorityInclusive, r.Base)
}

type optionRow struct {
	TenantID uuid.UUID `gorm:"column:tenant_id"`
	ID       uuid.UUID `gorm:"column:id"`
	PollID   uuid.UUID `gorm:"column:poll_id"`
	Position int       `gorm:"column:position"`
	Label    string    `gorm:"column:label"`
}

// OwnerTenant implements db.TenantOwned.
func (r *optionRow) OwnerTenant() uuid.UUID { return r.TenantID }

// loadPoll reads a poll and the actor's scope in its committee; NotFound
// when missing, foreign or not visible. lock as in loadMeeting.
func loadPoll(tx *db.Tx, a tenant.Actor, id uuid.UUID, now time.Time, lock string) (*pollRow, *scope, error) {
	q := "SELECT * FROM polls WHERE tenant_id = @tenant AND id = ?"
	if lock != "" && isPostgres(tx) {
		q += " FOR " + lock
	}
	var ps []pollRow
	if err := tx.Raw(q, id).Scan(&ps).Error; err != nil {
		return nil, nil, fmt.Errorf("committees: load poll: %w", err)
	}
	if len(ps) == 0 {
		return nil, nil, errNotFound()
	}
	sc, err := loadScope(tx, a, ps[0].CommitteeID, now)
	if err != nil {
		return nil, nil, err
	}
	return &ps[0], sc, nil
}

// manageablePoll loads a poll for a change by admins, the chair or the
// secretary; lock as in loadMeeting.
func manageablePoll(tx *db.Tx, a tenant.Actor, id uuid.UUID, now time.Time, lock string) (*pollRow, *scope, error) {
	p, sc, err := loadPoll(tx, a, id, now, lock)
	if err != nil {
		return nil, nil, err
	}
	if err := sc.needManage(); err != nil {
		return nil, nil, err
	}
	return p, sc, nil
}

// managePoll runs step on a poll that admins, the chair or the secretary
// change (loaded with lock, see manageablePoll) in one transaction, and
// returns the poll as step leaves it.
func (s *Service) managePoll(ctx context.Context, a tenant.Actor, id uuid.UUID, lock string,
	step func(tx *db.Tx, p *pollRow, sc *scope, now time.Time) error) (*Poll, error) {
	var out *Poll
	err := s.run(ctx, a, func(tx *db.Tx) error {
		now := s.now()
		p, sc, err := manageablePoll(tx, a, id, now, lock)
		if err != nil {
			return err
		}
		if err := step(tx, p, sc, now); err != nil {
			return err
		}
		out, err = readPoll(tx, p, a.MembershipID, sc)
		return err
	})
	return out, err
}

// pollRecord signals a change of poll p and writes it to the audit log.
func (s *Service) pollRecord(ctx context.Context, tx *db.Tx, a tenant.Actor, p *pollRow, action string, details map[string]string) error {
	if err := s.pollChanged(tx, p.ID, p.MeetingID); err != nil {
		return err
	}
	return record(ctx, tx, a, action, "poll", p.ID, details)
}

// readPoll assembles the poll with its options and its number of ballots;
// sc is the caller's scope in the poll's committee.
func readPoll(tx *db.Tx, r *pollRow, caller uuid.UUID, sc *scope) (*Poll, error) {
	return newPollReader(tx, caller, sc).read(r)
}

// pollReader reads polls of one committee for one caller, keeping what
// several polls share: the items the caller declared a conflict on, and
// which meetings' minutes are approved.
type pollReader struct {
	tx     *db.Tx
	caller uuid.UUID
	sc     *scope
	// conflicts holds the items the caller's seat is conflicted on (nil: not read yet).
	conflicts map[uuid.UUID]bool
	sealed    map[uuid.UUID]bool
}

func newPollReader(tx *db.Tx, caller uuid.UUID, sc *scope) *pollReader {
	return &pollReader{tx: tx, caller: caller, sc: sc, sealed: map[uuid.UUID]bool{}}
}

// conflicted reports whether the caller's seat declared a conflict on the item.
func (pr *pollReader) conflicted(itemID uuid.UUID) (bool, error) {
	if pr.sc == nil || pr.sc.seat == nil {
		return false, nil
	}
	if pr.conflicts == nil {
		var items []uuid.UUID
		if err := pr.tx.Table(conflictsTable).Where("member_id = ?", pr.sc.seat.ID).Pluck("agenda_item_id", &items).Error; err != nil {
			return false, fmt.Errorf("committees: read conflicts: %w", err)
		}
		pr.conflicts = make(map[uuid.UUID]bool, len(items))
		for _, id := range items {
			pr.conflicts[id] = true
		}
	}
	return pr.conflicts[itemID], nil
}

// minutesApproved reports whether the meeting's minutes are approved (nil:
// a written procedure, which has none).
func (pr *pollReader) minutesApproved(meetingID *uuid.UUID) (bool, error) {
	if meetingID == nil {
		return false, nil
	}
	if v, ok := pr.sealed[*meetingID]; ok {
		return v, nil
	}
	v, err := minutesApproved(pr.tx, *meetingID)
	if err == nil {
		pr.sealed[*meetingID] = v
	}
	return v, err
}

// minutesApproved reports whether a meeting's minutes are approved: what
// they record stands, and none of its polls can be annulled any more.
func minutesApproved(tx *db.Tx, meetingID uuid.UUID) (bool, error) {
	var n int64
	if err := tx.Table(minutesTable).Where("meeting_id = ? AND state = ?", meetingID, ApprovedMinutes).Count(&n).Error; err != nil {
		return false, fmt.Errorf("committees: read minutes state: %w", err)
	}
	if n > 0 {
		return true, nil
	}
	if err := tx.Table(meetingsTable).Where("id = ? AND state = ?", meetingID, MinutesApproved).Count(&n).Error; err != nil {
		return false, fmt.Errorf("committees: read meeting state: %w", err)
	}
	return n > 0, nil
}

func (pr *pollReader) read(r *pollRow) (*Poll, error) {
	tx, caller, sc := pr.tx, pr.caller, pr.sc
	p := &Poll{TenantID: r.TenantID, ID: r.ID, CommitteeID: r.CommitteeID, MeetingID: r.MeetingID, AgendaItemID: r.AgendaItemID,
		Title: r.Title, Kind: r.Kind, Method: r.Method, Seats: r.Seats, Options: []Option{}, Rule: r.rule(), State: r.State,
		Deadline: r.Deadline, OpenedAt: r.OpenedAt, ClosedAt: r.ClosedAt, ClosedBy: r.ClosedBy, PublishedAt: r.PublishedAt,
		CreatedAt: r.CreatedAt, CreatedBy: r.CreatedBy}
	var opts []optionRow
	if err := tx.Table(optionsTable).Where("poll_id = ?", r.ID).Order("position").Scan(&opts).Error; err != nil {
		return nil, fmt.Errorf("committees: read options: %w", err)
	}
	for _, o := range opts {
		p.Options = append(p.Options, Option{ID: o.ID, Position: o.Position, Label: o.Label})
	}
	var counts []struct {
		Ballots int64 `gorm:"column:ballots"`
		Mine    int64 `gorm:"column:mine"`
	}
	if err := tx.Table(receiptsTable).Select("count(*) AS ballots, COALESCE(SUM(CASE WHEN voter_membership_id = ? THEN 1 ELSE 0 END), 0) AS mine", caller).
		Where("poll_id = ?", r.ID).Scan(&counts).Error; err != nil {
		return nil, fmt.Errorf("committees: count ballots: %w", err)
	}
	if len(counts) == 1 {
		p.Ballots, p.Voted = int(counts[0].Ballots), counts[0].Mine > 0
	}
	p.TooFewBallots = tooFewBallots(r, p.Ballots)
	sealed, err := pr.minutesApproved(r.MeetingID)
	if err != nil {
		return nil, err
	}
	p.CanAnnul = annullable(r, sealed)
	switch {
	case sc == nil || sc.seat == nil:
		p.VoteBar = VoteBarNoSeat
	case !sc.seat.Voting:
		p.VoteBar = VoteBarNoRight
	case r.AgendaItemID != nil:
		c, err := pr.conflicted(*r.AgendaItemID)
		if err != nil {
			return nil, err
		}
		if c {
			p.VoteBar = VoteBarConflict
		}
	}
	p.CanVote = p.VoteBar == ""
	p.AnnulledAt, p.AnnulledBy = r.AnnulledAt, r.AnnulledBy
	if r.AnnulReason != nil {
		p.AnnulReason = *r.AnnulReason
	}
	return p, nil
}

// tooFewBallots reports whether a poll is a closed (or, from before the
// rule, published) secret poll with fewer than MinSecretBallots ballots:
// it is not counted, and no result of it is ever shown.
func tooFewBallots(r *pollRow, ballots int) bool {
	return r.Kind == Secret && (r.State == PollClosed || r.State == PollPublished) && ballots < MinSecretBallots
}

// annullable reports whether a poll that was opened may be annulled now
// (sealed: its meeting's minutes are approved): while it runs; once closed
// (counted or not) until the minutes of its meeting are approved, or, for
// a written procedure, until its result is published; a published poll of
// a meeting until that meeting's minutes are approved. A draft is deleted
// instead, an annulled poll stays annulled.
func annullable(r *pollRow, sealed bool) bool {
	switch r.State {
	case PollOpen:
		return true
	case PollClosed:
		return !sealed
	case PollPublished:
		return r.MeetingID != nil && !sealed
	}
	return false
}

// ballotsOf counts a poll's ballots by their receipts (never by reading
// the ballots, which the serving role cannot for a secret poll).
func ballotsOf(tx *db.Tx, pollID uuid.UUID) (int, error) {
	var n int64
	if err := tx.Table(receiptsTable).Where("poll_id = ?", pollID).Count(&n).Error; err != nil {
		return 0, fmt.Errorf("committees: count ballots: %w", err)
	}
	return int(n), nil
}

func errTooFewBallots() error {
	return errs.New(errs.Conflict, errs.M("meetings.too-few-ballots-secret-count", "Zu wenige Stimmen für eine geheime Auswertung: die Abstimmung kann nur annulliert werden.", "Too few ballots for a secret count: the poll can only be annulled."))
}

// GetPoll returns a poll with its options and the number of ballots cast
// (never interim results).
func (s *Service) GetPoll(ctx context.Context, a tenant.Actor, id uuid.UUID) (*Poll, error) {
	var out *Poll
	err := s.run(ctx, a, func(tx *db.Tx) error {
		p, sc, err := loadPoll(tx, a, id, s.now(), "")
		if err != nil {
			return err
		}
		out, err = readPoll(tx, p, a.MembershipID, sc)
		return err
	})
	return out, err
}

// ListPolls lists a committee's polls, written procedures included, oldest first.
func (s *Service) ListPolls(ctx context.Context, a tenant.Actor, committeeID uuid.UUID) ([]Poll, error) {
	out := []Poll{}
	err := s.run(ctx, a, func(tx *db.Tx) error {
		sc, err := loadScope(tx, a, committeeID, s.now())
		if err != nil {
			return err
		}
		var rows []pollRow
		if err := tx.Table(pollsTable).Where("committee_id = ?", committeeID).Order("created_at, id").Scan(&rows).Error; err != nil {
			return fmt.Errorf("committees: list polls: %w", err)
		}
		pr := newPollReader(tx, a.MembershipID, sc)
		for i := range rows {
			p, err := pr.read(&rows[i])
			if err != nil {
				return err
			}
			out = append(out, *p)
		}
		return nil
	})
	return out, err
}

// encodeIDs renders ids as a sorted JSON array of strings.
func encodeIDs(ids []uuid.UUID) string {
	ss := make([]string, len(ids))
	for i, id := range ids {
		ss[i] = id.String()
	}
	b, _ := json.Marshal(ss)
	return string(b)
}

func decodeIDs(s string) ([]uuid.UUID, error) {
	var ss []string
	if err := json.Unmarshal([]byte(s), &ss); err != nil {
		return nil, fmt.Errorf("committees: decode ids: %w", err)
	}
	ids := make([]uuid.UUID, len(ss))
	for i, x := range ss {
		id, err := uuid.Parse(x)
		if err != nil {
			return nil, fmt.Errorf("committees: decode ids: %w", err)
		}
		ids[i] = id
	}
	return ids, nil
}

// normalize checks a vote against the poll and returns the stored choice
// and option ids (sorted, so that the stored form says nothing about the
// order the voter picked them in).
func (v Vote) normalize(p *pollRow, options []uuid.UUID) (string, []uuid.UUID, error) {
	if p.Method != Choice {
		if len(v.OptionIDs) > 0 || (v.Choice != Yes && v.Choice != No && v.Choice != Abstain) {
			return "", nil, errs.InvalidField("choice", errs.M("meetings.vote-yes-no-abstain", "Bitte mit yes, no oder abstain abstimmen.", "Please vote yes, no or abstain."))
		}
		return v.Choice, []uuid.UUID{}, nil
	}
	if v.Choice == Abstain && len(v.OptionIDs) == 0 {
		return Abstain, []uuid.UUID{}, nil
	}
	if (v.Choice != "" && v.Choice != Options) || len(v.OptionIDs) == 0 || len(v.OptionIDs) > p.Seats {
		return "", nil, errs.InvalidField("option_ids", errs.M("meetings.choose-options-up-to-seats", "Bitte mindestens eine und höchstens so viele Optionen wählen, wie Sitze zu vergeben sind.", "Please choose at least one option and at most as many as there are seats."))
	}
	ids := slices.Clone(v.OptionIDs)
	slices.SortFunc(ids, func(x, y uuid.UUID) int { return strings.Compare(x.String(), y.String()) })
	for i, id := range ids {
		if !slices.Contains(options, id) {
			return "", nil, errs.InvalidField("option_ids", errs.M("meetings.option-does-not-belong-poll", "Diese Option gehört nicht zu dieser Abstimmung.", "This option does not belong to this poll."))
		}
		if i > 0 && ids[i-1] == id {
			return "", nil, errs.InvalidField("option_ids", errs.M("meetings.option-chosen-twice", "Jede Option kann nur einmal gewählt werden.", "Each option can be chosen only once."))
		}
	}
	return Options, ids, nil
}
