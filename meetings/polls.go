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

// PollInput is a new poll: on an accepted agenda item (AgendaItemID), or
// a written procedure of a committee (CommitteeID and Deadline).
type PollInput struct {
	AgendaItemID uuid.UUID
	CommitteeID  uuid.UUID
	Deadline     time.Time
	Title        string
	Kind         Kind
	Method       Method
	// Options and Seats for elections (Method Choice).
	Options []string
	Seats   int
	// Rule nil takes the committee's default rule.
	Rule *Rule
}

func (in *PollInput) validate(now time.Time) error {
	var err error
	if (in.AgendaItemID == uuid.Nil) == (in.CommitteeID == uuid.Nil) {
		return errs.InvalidField("agenda_item_id", errs.M("meetings.give-either-agenda-item-committee", "Bitte entweder einen Tagesordnungspunkt oder ein Gremium (Umlaufverfahren) angeben.", "Please give either an agenda item or a committee (written procedure)."))
	}
	if in.Title, err = validateTitle(in.Title); err != nil {
		return err
	}
	if in.Kind != Named && in.Kind != Secret {
		return errs.InvalidField("kind", errs.M("meetings.unknown-kind-poll-allowed-named", "Unbekannte Abstimmungsart: erlaubt sind named und secret.", "Unknown kind of poll: allowed are named and secret."))
	}
	switch in.Method {
	case YesNoAbstain:
		if len(in.Options) > 0 || in.Seats > 1 {
			return errs.InvalidField("options", errs.M("meetings.yes-no-poll-no-options", "Eine Ja/Nein-Abstimmung hat keine Optionen.", "A yes/no poll has no options."))
		}
		in.Seats = 1
	case Choice:
		if len(in.Options) < 2 || len(in.Options) > MaxOptions {
			return errs.InvalidField("options", errs.M("meetings.election-needs-2-100-options", "Eine Wahl braucht 2 bis 100 Optionen mit je 1 bis 500 Zeichen.", "An election needs 2 to 100 options of 1 to 500 characters each."))
		}
		for i, o := range in.Options {
			var ok bool
			if in.Options[i], ok = line(o, MaxTitleLen); !ok {
				return errs.InvalidField("options", errs.M("meetings.election-needs-2-100-options", "Eine Wahl braucht 2 bis 100 Optionen mit je 1 bis 500 Zeichen.", "An election needs 2 to 100 options of 1 to 500 characters each."))
			}
		}
		if in.Seats == 0 {
			in.Seats = 1
		}
		if in.Seats < 1 || in.Seats > len(in.Options) {
			return errs.InvalidField("seats", errs.M("meetings.number-seats-lies-between-1", "Die Zahl der Sitze liegt zwischen 1 und der Zahl der Optionen.", "The number of seats lies between 1 and the number of options."))
		}
	default:
		return errs.InvalidField("method", errs.M("meetings.unknown-poll-method", "Unbekanntes Verfahren: erlaubt sind yes_no_abstain und choice.", "Unknown method: allowed are yes_no_abstain and choice."))
	}
	if in.Rule != nil {
		r, err := validateRule(*in.Rule)
		if err != nil {
			return err
		}
		in.Rule = &r
	}
	if in.CommitteeID != uuid.Nil {
		if !in.Deadline.After(now) {
			return errs.InvalidField("deadline", errs.M("meetings.give-deadline-future", "Bitte eine Frist in der Zukunft angeben.", "Please give a deadline in the future."))
		}
		in.Deadline = in.Deadline.UTC().Truncate(time.Microsecond)
	} else if !in.Deadline.IsZero() {
		return errs.InvalidField("deadline", errs.M("meetings.only-written-procedure-deadline", "Nur ein Umlaufverfahren hat eine Frist.", "Only a written procedure has a deadline."))
	}
	return nil
}

// CreatePoll prepares a poll as a draft (admins, chair, secretary).
func (s *Service) CreatePoll(ctx context.Context, a tenant.Actor, in PollInput) (*Poll, error) {
	var out *Poll
	err := s.run(ctx, a, func(tx *db.Tx) error {
		now := s.now()
		if err := in.validate(now); err != nil {
			return err
		}
		rec := &pollRow{TenantID: a.TenantID, ID: db.NewID(), Title: in.Title, Kind: in.Kind, Method: in.Method, Seats: in.Seats,
			State: PollDraft, CreatedAt: now, CreatedBy: a.MembershipID}
		var sc *scope
		if in.AgendaItemID != uuid.Nil {
			it, m, isc, err := loadItem(tx, a, in.AgendaItemID, now, "")
			if err != nil {
				return err
			}
			if err := isc.needManage(); err != nil {
				return err
			}
			if !m.open() {
				return m.errNotOpen()
			}
			if it.State != Accepted {
				return errs.New(errs.Conflict, errs.M("meetings.item-can-only-voted-once", "Über diesen Punkt kann erst abgestimmt werden, wenn er auf der Tagesordnung angenommen ist.", "This item can only be voted on once it is accepted on the agenda."))
			}
			sc, rec.MeetingID, rec.AgendaItemID = isc, &m.ID, &it.ID
		} else {
			csc, err := loadScope(tx, a, in.CommitteeID, now)
			if err != nil {
				return err
			}
			if err := csc.needManage(); err != nil {
				return err
			}
			sc, rec.Deadline = csc, &in.Deadline
		}
		rule := sc.c.rule()
		if in.Rule != nil {
			rule = *in.Rule
		}
		rec.CommitteeID, rec.Majority, rec.Base = sc.c.ID, rule.Majority, rule.Base
		rec.MajorityNum, rec.MajorityDen, rec.MajorityInclusive = ruleColumns(rule)
		if err := tx.Create(pollsTable, rec); err != nil {
			return fmt.Errorf("committees: create poll: %w", err)
		}
		for i, label := range in.Options {
			if err := tx.Create(optionsTable, &optionRow{TenantID: a.TenantID, ID: db.NewID(), PollID: rec.ID, Position: i + 1, Label: label}); err != nil {
				return fmt.Errorf("committees: create option: %w", err)
			}
		}
		if err := s.meetingChanged(tx, rec.MeetingID, "polls"); err != nil {
			return err
		}
		if err := record(ctx, tx, a, ActionPollCreated, "poll", rec.ID, map[string]string{"committee_id": sc.c.ID.String(),
			"title": in.Title, "kind": string(in.Kind), "method": string(in.Method), "majority": string(rule.Majority),
			"base": string(rule.Base), "written": fmt.Sprint(rec.Deadline != nil)}); err != nil {
			return err
		}
		var err error
		out, err = readPoll(tx, rec, a.MembershipID, sc)
		return err
	})
	return out, err
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

func errPollTransition() error {
	return errs.New(errs.Conflict, errs.M("meetings.poll-state-change-not-allowed", "Dieser Statuswechsel der Abstimmung ist nicht erlaubt.", "This change of the poll's state is not allowed."))
}

// OpenPoll opens a draft poll for ballots (admins, chair, secretary). A
// poll in session opens only while its meeting is in session, and calls
// its agenda item as the meeting's current one (SetCurrentItem); a written
// procedure opens only before its deadline.
func (s *Service) OpenPoll(ctx context.Context, a tenant.Actor, id uuid.UUID) (*Poll, error) {
	var out *Poll
	err := s.run(ctx, a, func(tx *db.Tx) error {
		now := s.now()
		p, sc, err := loadPoll(tx, a, id, now, "UPDATE")
		if err != nil {
			return err
		}
		if err := sc.needManage(); err != nil {
			return err
		}
		if p.State != PollDraft {
			return errPollTransition()
		}
		if p.MeetingID != nil {
			// The meeting's and the item's locks order this against closing
			// the meeting and against conflict declarations on the item; the
			// meeting's is exclusive, since opening calls the poll's item.
			m, _, err := loadMeeting(tx, a, *p.MeetingID, now, "UPDATE")
			if err != nil {
				return err
			}
			if m.State != InSession {
				if m.State == Cancelled {
					return errMeetingCancelled()
				}
				return errs.New(errs.Conflict, errs.M("meetings.poll-meeting-can-only-opened", "Eine Abstimmung in der Sitzung kann nur während der Sitzung geöffnet werden.", "A poll in a meeting can only be opened during the session."))
			}
			if _, _, _, err := loadItem(tx, a, *p.AgendaItemID, now, "SHARE"); err != nil {
				return err
			}
			if err := s.callItem(ctx, tx, a, m, *p.AgendaItemID); err != nil {
				return err
			}
		} else if !p.Deadline.After(now) {
			return errs.New(errs.Conflict, errs.M("meetings.deadline-written-procedure-passed", "Die Frist dieses Umlaufverfahrens ist abgelaufen.", "The deadline of this written procedure has passed."))
		}
		if err := tx.Table(pollsTable).Where("id = ? AND state = ?", id, PollDraft).
			Updates(map[string]any{"state": PollOpen, "opened_at": now}).Error; err != nil {
			return fmt.Errorf("committees: open poll: %w", err)
		}
		if err := s.pollChanged(tx, id, p.MeetingID); err != nil {
			return err
		}
		if err := record(ctx, tx, a, ActionPollOpened, "poll", id, nil); err != nil {
			return err
		}
		p.State, p.OpenedAt = PollOpen, &now
		out, err = readPoll(tx, p, a.MembershipID, sc)
		return err
	})
	return out, err
}

// ClosePoll closes an open poll (admins, chair, secretary): it waits for
// the ballots in flight, counts every ballot and stores the result.
func (s *Service) ClosePoll(ctx context.Context, a tenant.Actor, id uuid.UUID) (*Poll, error) {
	var out *Poll
	err := s.run(ctx, a, func(tx *db.Tx) error {
		now := s.now()
		p, sc, err := loadPoll(tx, a, id, now, "")
		if err != nil {
			return err
		}
		if err := sc.needManage(); err != nil {
			return err
		}
		if err := s.closePoll(ctx, tx, a, p, sc.c.quorum(), now); err != nil {
			return err
		}
		out, err = readPoll(tx, p, a.MembershipID, sc)
		return err
	})
	return out, err
}

// PublishPoll makes a closed poll's result visible to every member of the
// committee (admins, chair, secretary).
func (s *Service) PublishPoll(ctx context.Context, a tenant.Actor, id uuid.UUID) (*Poll, error) {
	var out *Poll
	err := s.run(ctx, a, func(tx *db.Tx) error {
		now := s.now()
		p, sc, err := loadPoll(tx, a, id, now, "UPDATE")
		if err != nil {
			return err
		}
		if err := sc.needManage(); err != nil {
			return err
		}
		ballots, err := ballotsOf(tx, id)
		if err != nil {
			return err
		}
		if tooFewBallots(p, ballots) {
			return errTooFewBallots()
		}
		n, err := exec(tx, "UPDATE polls SET state = ?, published_at = ? WHERE tenant_id = @tenant AND id = ? AND state = ?",
			PollPublished, now, id, PollClosed)
		if err != nil {
			return err
		}
		if n == 0 {
			return errPollTransition()
		}
		if err := s.pollChanged(tx, id, p.MeetingID); err != nil {
			return err
		}
		if err := record(ctx, tx, a, ActionPollPublished, "poll", id, nil); err != nil {
			return err
		}
		p.State, p.PublishedAt = PollPublished, &now
		out, err = readPoll(tx, p, a.MembershipID, sc)
		return err
	})
	return out, err
}

// AnnulPoll annuls a poll that was opened, with a reason (admins, chair,
// secretary): it stands in the record as annulled, with the reason, and
// decided nothing; its ballots are kept (a secret poll's are never
// counted), any stored result is never shown again. A poll may be
// annulled while it runs and after it closed until its meeting's minutes
// are approved (a written procedure: until its result is published); see
// annullable. Any other poll answers errs.Conflict (a draft is deleted
// instead). A draft of the minutes that lists the poll shows it annulled.
func (s *Service) AnnulPoll(ctx context.Context, a tenant.Actor, id uuid.UUID, reason string) (*Poll, error) {
	reason, ok := text(reason, MaxReasonLen)
	if !ok || reason == "" {
		return nil, errs.InvalidField("reason", errs.M("meetings.give-reason-1-2000-characters", "Bitte einen Grund mit 1 bis 2000 Zeichen angeben.", "Please give a reason of 1 to 2000 characters."))
	}
	var out *Poll
	err := s.run(ctx, a, func(tx *db.Tx) error {
		now := s.now()
		p, sc, err := loadPoll(tx, a, id, now, "")
		if err != nil {
			return err
		}
		if err := sc.needManage(); err != nil {
			return err
		}
		// As a close does (closePoll): wait for the ballots in flight; a
		// ballot that waited for the annulment finds the poll annulled.
		if isPostgres(tx) {
			if err := lockPoll(tx, id, false); err != nil {
				return err
			}
		}
		if p, _, err = loadPoll(tx, a, id, now, "UPDATE"); err != nil {
			return err
		}
		am := &annulMinutes{}
		if p.MeetingID != nil {
			if am, err = lockMinutesForAnnul(tx, a, *p.MeetingID, now); err != nil {
				return err
			}
		}
		if !annullable(p, am.sealed) {
			if am.sealed {
				return errs.New(errs.Conflict, errs.M("meetings.meeting-minutes-approved", "Die Niederschrift der Sitzung ist genehmigt; ihre Abstimmungen können nicht mehr annulliert werden.", "The meeting's minutes are approved; its polls can no longer be annulled."))
			}
			return errs.New(errs.Conflict, errs.M("meetings.poll-cannot-annulled", "Diese Abstimmung kann nicht annulliert werden.", "This poll cannot be annulled."))
		}
		ballots, err := ballotsOf(tx, id)
		if err != nil {
			return err
		}
		n, err := exec(tx, "UPDATE polls SET state = ?, annulled_at = ?, annulled_by = ?, annul_reason = ? WHERE tenant_id = @tenant AND id = ? AND state = ?",
			PollAnnulled, now, a.MembershipID, reason, id, p.State)
		if err != nil {
			return err
		}
		if n == 0 {
			return errPollTransition()
		}
		if err := am.markAnnulled(ctx, tx, a, p, reason, now); err != nil {
			return err
		}
		if err := s.pollChanged(tx, id, p.MeetingID); err != nil {
			return err
		}
		if err := record(ctx, tx, a, ActionPollAnnulled, "poll", id, map[string]string{"reason": reason, "from": string(p.State),
			"ballots": fmt.Sprint(ballots)}); err != nil {
			return err
		}
		p.State, p.AnnulledAt, p.AnnulledBy, p.AnnulReason = PollAnnulled, &now, &a.MembershipID, &reason
		out, err = readPoll(tx, p, a.MembershipID, sc)
		return err
	})
	return out, err
}

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
