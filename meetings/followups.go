package meetings

// Decisions that become tasks (Beschlusskontrolle, the committee side).
//
// The task module (package tasks, which imports this one; never the other
// way round) makes follow-up tasks from a decision: an agenda item whose
// motion was decided by a poll with a published result, or a written
// procedure (Umlaufverfahren) whose result is published. It asks here, in
// its own transaction, whether the caller may (FollowUpOfItem,
// FollowUpOfPoll: the committee's chair or secretary, or a tenant admin),
// whom the committee's decisions are shown to (SeeItem, SeePoll), and how
// a decision reads for one viewer (DescribeDecision). The report back
// (followups_report.go) keeps the automatic agenda item "Bericht über die
// Umsetzung von Beschlüssen" on the committee's next meeting.
//
// "Decided" means a published result: a closed poll's result is seen by
// the managers only until it is published, and the follow-up tasks are
// listed to every member of the committee, so a task must not announce a
// result before its publication.

import (
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/kollab/kollab/internal/db"
	"github.com/kollab/kollab/internal/errs"
	"github.com/kollab/kollab/tenant"
)

// Decision is a committee's decision a follow-up task comes from, as one
// reader may see it.
type Decision struct {
	CommitteeID   uuid.UUID
	CommitteeName string
	// MeetingID, MeetingStartsAt, ItemID, ItemNumber (TOP n), ItemTitle
	// and ItemPublic name the agenda item decided in a meeting; nil and
	// empty for a written procedure.
	MeetingID       *uuid.UUID
	MeetingStartsAt *time.Time
	ItemID          *uuid.UUID
	ItemNumber      int
	ItemTitle       string
	ItemPublic      bool
	// PollID and PollTitle name the poll whose published result decided
	// (nil when an item's deciding poll is gone or annulled since).
	PollID    *uuid.UUID
	PollTitle string
	// DecidedAt is when the result was published.
	DecidedAt *time.Time
	// Readable: the reader may read the committee's meetings and polls (a
	// running seat, or a tenant admin).
	Readable bool
}

// Written reports whether the decision is a written procedure's.
func (d *Decision) Written() bool { return d.ItemID == nil }

func errNotDecidedItem() error {
	return errs.New(errs.Conflict, errs.M("meetings.item-not-decided",
		"Zu diesem Tagesordnungspunkt ist noch kein Abstimmungsergebnis veröffentlicht; Folgeaufgaben entstehen aus einem veröffentlichten Beschluss.",
		"No poll result of this agenda item is published yet; follow-up tasks come from a published decision."))
}

func errNotDecidedPoll() error {
	return errs.New(errs.Conflict, errs.M("meetings.poll-not-decided",
		"Das Ergebnis dieser Abstimmung ist nicht veröffentlicht; Folgeaufgaben entstehen aus einem veröffentlichten Beschluss.",
		"The result of this poll is not published; follow-up tasks come from a published decision."))
}

// decidingPoll returns the poll whose published result decided the item
// (the latest published, counted poll on it), nil when none.
func decidingPoll(tx *db.Tx, itemID uuid.UUID) (*pollRow, error) {
	var ps []pollRow
	if err := tx.Raw(`SELECT p.* FROM polls p JOIN poll_results r ON r.tenant_id = p.tenant_id AND r.poll_id = p.id
		WHERE p.tenant_id = @tenant AND p.agenda_item_id = ? AND p.state = ?
		ORDER BY p.published_at DESC, p.id DESC LIMIT 1`, itemID, PollPublished).Scan(&ps).Error; err != nil {
		return nil, fmt.Errorf("committees: read deciding poll: %w", err)
	}
	if len(ps) == 0 {
		return nil, nil
	}
	return &ps[0], nil
}

// published reports whether a poll's result is published and counted.
func published(tx *db.Tx, p *pollRow) (bool, error) {
	if p.State != PollPublished {
		return false, nil
	}
	var n int64
	if err := tx.Table(resultsTable).Where("poll_id = ?", p.ID).Count(&n).Error; err != nil {
		return false, fmt.Errorf("committees: read result: %w", err)
	}
	return n > 0, nil
}

// itemDecision assembles the decision of an item of meeting m.
func itemDecision(tx *db.Tx, sc *scope, it *itemRow, m *meetingRow, p *pollRow) (*Decision, error) {
	number := 0
	if ai, err := agendaItem(tx, m.ID, it.ID); err != nil {
		return nil, err
	} else if ai != nil {
		number = ai.Number
	}
	starts := m.StartsAt
	d := &Decision{CommitteeID: sc.c.ID, CommitteeName: sc.c.Name, MeetingID: &m.ID, MeetingStartsAt: &starts, ItemID: &it.ID,
		ItemNumber: number, ItemTitle: it.Title, ItemPublic: it.Public, Readable: true}
	if p != nil {
		d.PollID, d.PollTitle, d.DecidedAt = &p.ID, p.Title, p.PublishedAt
	}
	return d, nil
}

// FollowUpOfItem checks, in tx, that the actor may make follow-up tasks
// from an agenda item (the committee's chair or secretary, a tenant admin:
// errs.Forbidden for other members; errs.NotFound for whoever does not see
// the item) and that it is decided (errs.Conflict), and returns the decision.
func (s *Service) FollowUpOfItem(tx *db.Tx, a tenant.Actor, itemID uuid.UUID) (*Decision, error) {
	it, m, sc, err := loadItem(tx, a, itemID, s.now(), "")
	if err != nil {
		return nil, err
	}
	if err := sc.needManage(); err != nil {
		return nil, err
	}
	if it.State != Accepted {
		return nil, errNotDecidedItem()
	}
	p, err := decidingPoll(tx, itemID)
	if err != nil {
		return nil, err
	}
	if p == nil {
		return nil, errNotDecidedItem()
	}
	return itemDecision(tx, sc, it, m, p)
}

// FollowUpOfPoll is FollowUpOfItem for a poll: a written procedure, or a
// poll on an agenda item, whose result is published.
func (s *Service) FollowUpOfPoll(tx *db.Tx, a tenant.Actor, pollID uuid.UUID) (*Decision, error) {
	now := s.now()
	p, sc, err := loadPoll(tx, a, pollID, now, "")
	if err != nil {
		return nil, err
	}
	if err := sc.needManage(); err != nil {
		return nil, err
	}
	ok, err := published(tx, p)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, errNotDecidedPoll()
	}
	return pollDecision(tx, a, sc, p, now)
}

// pollDecision assembles the decision of poll p (of an item, or written).
func pollDecision(tx *db.Tx, a tenant.Actor, sc *scope, p *pollRow, now time.Time) (*Decision, error) {
	if p.AgendaItemID == nil {
		return &Decision{CommitteeID: sc.c.ID, CommitteeName: sc.c.Name, PollID: &p.ID, PollTitle: p.Title, DecidedAt: p.PublishedAt,
			Readable: true}, nil
	}
	it, m, _, err := loadItem(tx, a, *p.AgendaItemID, now, "")
	if err != nil {
		return nil, err
	}
	return itemDecision(tx, sc, it, m, p)
}

// SeeItem answers errs.NotFound unless the actor sees the agenda item (a
// running seat in its committee, or a tenant admin), and returns its committee.
func (s *Service) SeeItem(tx *db.Tx, a tenant.Actor, itemID uuid.UUID) (uuid.UUID, error) {
	_, _, sc, err := loadItem(tx, a, itemID, s.now(), "")
	if err != nil {
		return uuid.Nil, err
	}
	return sc.c.ID, nil
}

// SeePoll is SeeItem for a poll.
func (s *Service) SeePoll(tx *db.Tx, a tenant.Actor, pollID uuid.UUID) (uuid.UUID, error) {
	_, sc, err := loadPoll(tx, a, pollID, s.now(), "")
	if err != nil {
		return uuid.Nil, err
	}
	return sc.c.ID, nil
}

// DescribeDecision reads the decision an item or a poll (either may be
// nil) stands for, as the actor may see it: Readable says whether the
// actor sees the committee; the caller shows an item's title to others
// only when the item is public. Nil when the decision is gone.
func (s *Service) DescribeDecision(tx *db.Tx, a tenant.Actor, itemID, pollID *uuid.UUID) (*Decision, error) {
	var p *pollRow
	if pollID != nil {
		var ps []pollRow
		if err := tx.Table(pollsTable).Where("id = ?", *pollID).Limit(1).Scan(&ps).Error; err != nil {
			return nil, fmt.Errorf("committees: read poll: %w", err)
		}
		if len(ps) == 1 && ps[0].State == PollPublished {
			p = &ps[0]
		}
		if len(ps) == 1 && itemID == nil {
			itemID = ps[0].AgendaItemID
		}
	}
	var committeeID uuid.UUID
	var it *itemRow
	var m *meetingRow
	if itemID != nil {
		var err error
		if it, m, err = itemWithMeeting(tx, *itemID); err != nil || it == nil {
			return nil, err
		}
		committeeID = m.CommitteeID
	} else if p != nil {
		committeeID = p.CommitteeID
	} else {
		return nil, nil
	}
	var cs []committeeRow
	if err := tx.Table(committeesTable).Where("id = ?", committeeID).Limit(1).Scan(&cs).Error; err != nil {
		return nil, fmt.Errorf("committees: load committee: %w", err)
	}
	if len(cs) == 0 {
		return nil, nil
	}
	sc := &scope{c: cs[0], admin: a.IsAdmin()}
	seat, err := seatOf(tx, committeeID, a.MembershipID, s.now())
	if err != nil {
		return nil, err
	}
	readable := sc.admin || seat != nil
	if it == nil {
		return &Decision{CommitteeID: committeeID, CommitteeName: sc.c.Name, PollID: &p.ID, PollTitle: p.Title, DecidedAt: p.PublishedAt,
			Readable: readable}, nil
	}
	d, err := itemDecision(tx, sc, it, m, p)
	if err != nil {
		return nil, err
	}
	d.Readable = readable
	return d, nil
}

// itemWithMeeting reads an item and its meeting without the actor's
// scope (nil when the item is gone).
func itemWithMeeting(tx *db.Tx, itemID uuid.UUID) (*itemRow, *meetingRow, error) {
	var items []itemRow
	if err := tx.Table(itemsTable).Where("id = ?", itemID).Limit(1).Scan(&items).Error; err != nil {
		return nil, nil, fmt.Errorf("committees: load agenda item: %w", err)
	}
	if len(items) == 0 {
		return nil, nil, nil
	}
	var ms []meetingRow
	if err := tx.Table(meetingsTable).Where("id = ?", items[0].MeetingID).Limit(1).Scan(&ms).Error; err != nil {
		return nil, nil, fmt.Errorf("committees: load meeting: %w", err)
	}
	if len(ms) == 0 {
		return nil, nil, nil
	}
	return &items[0], &ms[0], nil
}
