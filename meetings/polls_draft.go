package meetings

// Drafting a poll: creating it, correcting its wording, kind, method,
// options, seats and rule, the agenda item it belongs to (within its
// meeting), a written procedure's deadline; or deleting it. Once opened a
// poll is part of the record: it can only be closed, published or
// annulled.

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/kollab/kollab/internal/db"
	"github.com/kollab/kollab/internal/errs"
	"github.com/kollab/kollab/tenant"
)

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

// PollEdit changes a draft poll; nil fields stay as they are.
type PollEdit struct {
	Title  *string
	Kind   *Kind
	Method *Method
	// Options replace an election's options (their ids change).
	Options *[]string
	Seats   *int
	Rule    *Rule
	// AgendaItemID moves the poll to another accepted item of its meeting.
	AgendaItemID *uuid.UUID
	// Deadline moves a written procedure's deadline.
	Deadline *time.Time
}

func errNotDraft() error {
	return errs.New(errs.Conflict, errs.M("meetings.only-draft-poll-can-changed", "Nur eine Abstimmung im Entwurf kann geändert oder gelöscht werden; eine geöffnete kann annulliert werden.", "Only a draft poll can be changed or deleted; an opened poll can be annulled."))
}

// UpdatePoll changes a draft poll (admins, chair, secretary): the result
// is checked like a new poll (CreatePoll), and a poll on an agenda item
// moves only to another accepted item of the same meeting while that
// meeting is open. Anything but a draft answers errs.Conflict.
func (s *Service) UpdatePoll(ctx context.Context, a tenant.Actor, id uuid.UUID, e PollEdit) (*Poll, error) {
	return s.managePoll(ctx, a, id, "UPDATE", func(tx *db.Tx, p *pollRow, _ *scope, now time.Time) error {
		if p.State != PollDraft {
			return errNotDraft()
		}
		d, err := editDraft(tx, p, e, now)
		if err != nil {
			return err
		}
		if err := d.move(tx, a, now); err != nil {
			return err
		}
		d.diff()
		if len(d.set) == 0 && !d.newOptions {
			return nil
		}
		if err := d.apply(tx, a); err != nil {
			return err
		}
		if err := s.pollRecord(ctx, tx, a, p, ActionPollUpdated, d.details); err != nil {
			return err
		}
		fresh, _, err := loadPoll(tx, a, id, now, "")
		if err != nil {
			return err
		}
		*p = *fresh
		return nil
	})
}

// draftEdit is one UpdatePoll under way: the draft as stored (p, its
// option labels and its rule), the edited poll (in), and what changes:
// the columns to set and the details for the audit log.
type draftEdit struct {
	p          *pollRow
	labels     []string
	rule       Rule
	in         PollInput
	set        map[string]any
	details    map[string]string
	newOptions bool
}

// editDraft applies e to the draft p and checks the result as CreatePoll
// checks a new poll.
func editDraft(tx *db.Tx, p *pollRow, e PollEdit, now time.Time) (*draftEdit, error) {
	var labels []string
	if err := tx.Table(optionsTable).Where("poll_id = ?", p.ID).Order("position").Pluck("label", &labels).Error; err != nil {
		return nil, fmt.Errorf("committees: read options: %w", err)
	}
	rule := p.rule()
	in := PollInput{Title: p.Title, Kind: p.Kind, Method: p.Method, Options: labels, Seats: p.Seats, Rule: &rule}
	if p.Deadline != nil {
		in.CommitteeID, in.Deadline = p.CommitteeID, *p.Deadline
	} else {
		in.AgendaItemID = *p.AgendaItemID
	}
	setIf(&in.Title, e.Title)
	setIf(&in.Kind, e.Kind)
	setIf(&in.Method, e.Method)
	setIf(&in.Seats, e.Seats)
	setIf(&in.Options, e.Options)
	if e.Rule != nil {
		in.Rule = e.Rule
	}
	if in.Method == YesNoAbstain && e.Options == nil { // a former election's options and seats go
		in.Options, in.Seats = nil, 1
	}
	if e.Deadline != nil {
		if p.Deadline == nil {
			return nil, errs.InvalidField("deadline", errs.M("meetings.only-written-procedure-deadline", "Nur ein Umlaufverfahren hat eine Frist.", "Only a written procedure has a deadline."))
		}
		in.Deadline = *e.Deadline
	}
	if e.AgendaItemID != nil {
		if p.MeetingID == nil {
			return nil, errs.InvalidField("agenda_item_id", errs.M("meetings.written-procedure-belongs-no-agenda", "Ein Umlaufverfahren gehört zu keinem Tagesordnungspunkt.", "A written procedure belongs to no agenda item."))
		}
		in.AgendaItemID = *e.AgendaItemID
	}
	if err := in.validate(now); err != nil {
		return nil, err
	}
	return &draftEdit{p: p, labels: labels, rule: rule, in: in, set: map[string]any{}, details: map[string]string{}}, nil
}

// change sets column col to to when it differs from from.
func (d *draftEdit) change(col string, from, to any) {
	if fmt.Sprint(from) != fmt.Sprint(to) {
		d.set[col] = to
		d.details[col] = fmt.Sprint(to)
	}
}

// move checks a poll in a meeting against its meeting, which must be
// open, and moves it to another accepted item of that meeting; a written
// procedure takes its new deadline.
func (d *draftEdit) move(tx *db.Tx, a tenant.Actor, now time.Time) error {
	p, in := d.p, &d.in
	if p.MeetingID == nil {
		if !in.Deadline.Equal(*p.Deadline) {
			d.set["deadline"], d.details["deadline"] = in.Deadline, in.Deadline.Format(time.RFC3339)
		}
		return nil
	}
	// The meeting's row lock orders the move against its closing.
	m, _, err := loadMeeting(tx, a, *p.MeetingID, now, "SHARE")
	if err != nil {
		return err
	}
	if !m.open() {
		return m.errNotOpen()
	}
	if in.AgendaItemID == *p.AgendaItemID {
		return nil
	}
	var items []itemRow
	if err := tx.Table(itemsTable).Where("id = ? AND meeting_id = ? AND state = ?", in.AgendaItemID, m.ID, Accepted).
		Limit(1).Scan(&items).Error; err != nil {
		return fmt.Errorf("committees: load agenda item: %w", err)
	}
	if len(items) == 0 {
		return errs.InvalidField("agenda_item_id", errs.M("meetings.poll-can-only-moved-accepted", "Eine Abstimmung kann nur zu einem angenommenen Tagesordnungspunkt derselben Sitzung verschoben werden.", "A poll can only be moved to an accepted agenda item of the same meeting."))
	}
	d.details["from_agenda_item_id"] = p.AgendaItemID.String()
	d.change("agenda_item_id", *p.AgendaItemID, in.AgendaItemID)
	return nil
}

// diff notes the changes of wording, kind, method, seats, rule and options.
func (d *draftEdit) diff() {
	p, in := d.p, &d.in
	d.change("title", p.Title, in.Title)
	d.change("kind", p.Kind, in.Kind)
	d.change("method", p.Method, in.Method)
	d.change("seats", p.Seats, in.Seats)
	if r := *in.Rule; r != d.rule {
		num, den, incl := ruleColumns(r)
		d.set["majority"], d.set["majority_num"], d.set["majority_den"], d.set["majority_inclusive"], d.set["base"] = r.Majority, num, den, incl, r.Base
		d.details["majority"], d.details["base"] = string(r.Majority), string(r.Base)
	}
	d.newOptions = !slices.Equal(d.labels, in.Options) && !(len(d.labels) == 0 && len(in.Options) == 0)
}

// apply writes the changed columns and replaces the options when they changed.
func (d *draftEdit) apply(tx *db.Tx, a tenant.Actor) error {
	id := d.p.ID
	if len(d.set) > 0 {
		if err := tx.Table(pollsTable).Where("id = ? AND state = ?", id, PollDraft).Updates(d.set).Error; err != nil {
			return fmt.Errorf("committees: update poll: %w", err)
		}
	}
	if !d.newOptions {
		return nil
	}
	if _, err := exec(tx, "DELETE FROM poll_options WHERE tenant_id = @tenant AND poll_id = ?", id); err != nil {
		return err
	}
	for i, label := range d.in.Options {
		if err := tx.Create(optionsTable, &optionRow{TenantID: a.TenantID, ID: db.NewID(), PollID: id, Position: i + 1, Label: label}); err != nil {
			return fmt.Errorf("committees: create option: %w", err)
		}
	}
	d.details["options"] = strings.Join(d.in.Options, "; ")
	return nil
}

// DeletePoll deletes a draft poll with its options (admins, chair,
// secretary); the audit log keeps its title. Anything but a draft answers
// errs.Conflict: an opened poll is part of the record and can only be
// annulled.
func (s *Service) DeletePoll(ctx context.Context, a tenant.Actor, id uuid.UUID) error {
	return s.run(ctx, a, func(tx *db.Tx) error {
		p, _, err := manageablePoll(tx, a, id, s.now(), "UPDATE")
		if err != nil {
			return err
		}
		if p.State != PollDraft {
			return errNotDraft()
		}
		// Options, reminders and delegations for the poll go with it.
		n, err := exec(tx, "DELETE FROM polls WHERE tenant_id = @tenant AND id = ? AND state = ?", id, PollDraft)
		if err != nil {
			return err
		}
		if n == 0 {
			return errNotDraft()
		}
		if err := s.meetingChanged(tx, p.MeetingID, "polls"); err != nil {
			return err
		}
		details := map[string]string{"title": p.Title, "committee_id": p.CommitteeID.String()}
		if p.AgendaItemID != nil {
			details["agenda_item_id"] = p.AgendaItemID.String()
		}
		return record(ctx, tx, a, ActionPollDeleted, "poll", id, details)
	})
}

// setIf overwrites *dst with *v when v is set.
func setIf[T any](dst *T, v *T) {
	if v != nil {
		*dst = *v
	}
}
