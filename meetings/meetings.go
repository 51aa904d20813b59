package meetings

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/kollab/kollab/internal/db"
	"github.com/kollab/kollab/internal/errs"
	"github.com/kollab/kollab/meetings/publication"
	"github.com/kollab/kollab/tenant"
)

// meetingRow is a row of meetings.
type meetingRow struct {
	TenantID          uuid.UUID    `gorm:"column:tenant_id"`
	ID                uuid.UUID    `gorm:"column:id"`
	CommitteeID       uuid.UUID    `gorm:"column:committee_id"`
	Title             string       `gorm:"column:title"`
	StartsAt          time.Time    `gorm:"column:starts_at"`
	EndsAt            time.Time    `gorm:"column:ends_at"`
	Place             string       `gorm:"column:place"`
	OnlineURL         string       `gorm:"column:online_url"`
	State             MeetingState `gorm:"column:state"`
	InvitedAt         *time.Time   `gorm:"column:invited_at"`
	OpenedAt          *time.Time   `gorm:"column:opened_at"`
	ClosedAt          *time.Time   `gorm:"column:closed_at"`
	MinutesApprovedAt *time.Time   `gorm:"column:minutes_approved_at"`
	CurrentItemID     *uuid.UUID   `gorm:"column:current_item_id"`
	CancelledAt       *time.Time   `gorm:"column:cancelled_at"`
	CancelledBy       *uuid.UUID   `gorm:"column:cancelled_by"`
	CancelReason      *string      `gorm:"column:cancel_reason"`
	CreatedAt         time.Time    `gorm:"column:created_at"`
	CreatedBy         uuid.UUID    `gorm:"column:created_by"`
	UpdatedAt         time.Time    `gorm:"column:updated_at"`
}

// OwnerTenant implements db.TenantOwned.
func (r *meetingRow) OwnerTenant() uuid.UUID { return r.TenantID }

func (r *meetingRow) meeting() *Meeting {
	m := &Meeting{TenantID: r.TenantID, ID: r.ID, CommitteeID: r.CommitteeID, Title: r.Title, StartsAt: r.StartsAt, EndsAt: r.EndsAt,
		Place: r.Place, OnlineURL: r.OnlineURL, State: r.State, InvitedAt: r.InvitedAt, OpenedAt: r.OpenedAt, ClosedAt: r.ClosedAt,
		MinutesApprovedAt: r.MinutesApprovedAt, CurrentItemID: r.CurrentItemID, CancelledAt: r.CancelledAt, CancelledBy: r.CancelledBy,
		CreatedAt: r.CreatedAt, CreatedBy: r.CreatedBy, UpdatedAt: r.UpdatedAt}
	if r.CancelReason != nil {
		m.CancelReason = *r.CancelReason
	}
	return m
}

// open reports whether the meeting's agenda may still change.
func (r *meetingRow) open() bool {
	return r.State == Planned || r.State == Invited || r.State == InSession
}

// errNotOpen answers a change of a meeting that is over: closed, or cancelled.
func (r *meetingRow) errNotOpen() error {
	if r.State == Cancelled {
		return errMeetingCancelled()
	}
	return errMeetingOver()
}

func errMeetingCancelled() error {
	return errs.New(errs.Conflict, errs.M("meetings.meeting-cancelled", "Die Sitzung ist abgesagt; sie kann nicht mehr geändert werden.", "The meeting is cancelled; it can no longer change."))
}

// loadMeeting reads a meeting and the actor's scope in its committee;
// NotFound when missing, foreign or not visible to the actor. lock takes
// the row lock on PostgreSQL ("UPDATE" or "SHARE"; "" none).
func loadMeeting(tx *db.Tx, a tenant.Actor, id uuid.UUID, now time.Time, lock string) (*meetingRow, *scope, error) {
	q := "SELECT * FROM meetings WHERE tenant_id = @tenant AND id = ?"
	if lock != "" && isPostgres(tx) {
		q += " FOR " + lock
	}
	var ms []meetingRow
	if err := tx.Raw(q, id).Scan(&ms).Error; err != nil {
		return nil, nil, fmt.Errorf("committees: load meeting: %w", err)
	}
	if len(ms) == 0 {
		return nil, nil, errNotFound()
	}
	sc, err := loadScope(tx, a, ms[0].CommitteeID, now)
	if err != nil {
		return nil, nil, err
	}
	return &ms[0], sc, nil
}

// MeetingInput is a meeting's date, place and title.
type MeetingInput struct {
	Title     string
	StartsAt  time.Time
	EndsAt    time.Time
	Place     string
	OnlineURL string
}

func (in *MeetingInput) validate() error {
	var err error
	if in.Title, err = validateTitle(in.Title); err != nil {
		return err
	}
	if in.StartsAt.IsZero() || !in.EndsAt.After(in.StartsAt) {
		return errs.InvalidField("ends_at", errs.M("meetings.meeting-must-end-after-begins", "Das Ende der Sitzung muss nach ihrem Beginn liegen.", "The meeting must end after it begins."))
	}
	in.StartsAt, in.EndsAt = in.StartsAt.UTC().Truncate(time.Microsecond), in.EndsAt.UTC().Truncate(time.Microsecond)
	var ok bool
	if in.Place, ok = text(in.Place, MaxPlaceLen); !ok || strings.ContainsAny(in.Place, "\r\n\t") {
		return errs.InvalidField("place", errs.M("meetings.place-may-most-500-characters", "Der Ort darf höchstens 500 Zeichen lang sein.", "The place may be at most 500 characters long."))
	}
	in.OnlineURL, err = validateOnlineURL(in.OnlineURL)
	return err
}

// CreateMeeting plans a meeting of the committee (admins, chair, secretary).
func (s *Service) CreateMeeting(ctx context.Context, a tenant.Actor, committeeID uuid.UUID, in MeetingInput) (*Meeting, error) {
	if err := in.validate(); err != nil {
		return nil, err
	}
	var out *Meeting
	err := s.run(ctx, a, func(tx *db.Tx) error {
		now := s.now()
		sc, err := loadScope(tx, a, committeeID, now)
		if err != nil {
			return err
		}
		if err := sc.needManage(); err != nil {
			return err
		}
		rec := &meetingRow{TenantID: a.TenantID, ID: db.NewID(), CommitteeID: committeeID, Title: in.Title, StartsAt: in.StartsAt,
			EndsAt: in.EndsAt, Place: in.Place, OnlineURL: in.OnlineURL, State: Planned, CreatedAt: now, CreatedBy: a.MembershipID, UpdatedAt: now}
		if err := tx.Create(meetingsTable, rec); err != nil {
			return fmt.Errorf("committees: create meeting: %w", err)
		}
		if err := s.refreshReport(ctx, tx, a, committeeID); err != nil { // a waiting report (followups_report.go)
			return err
		}
		out = rec.meeting()
		return record(ctx, tx, a, ActionMeetingCreated, "meeting", rec.ID,
			map[string]string{"committee_id": committeeID.String(), "title": in.Title, "starts_at": in.StartsAt.Format(time.RFC3339)})
	})
	return out, err
}

// UpdateMeeting changes a meeting's title, date and place while it is
// planned or invited (admins, chair, secretary).
func (s *Service) UpdateMeeting(ctx context.Context, a tenant.Actor, id uuid.UUID, in MeetingInput) (*Meeting, error) {
	if err := in.validate(); err != nil {
		return nil, err
	}
	var out *Meeting
	err := s.run(ctx, a, func(tx *db.Tx) error {
		now := s.now()
		m, sc, err := loadMeeting(tx, a, id, now, "UPDATE")
		if err != nil {
			return err
		}
		if err := sc.needManage(); err != nil {
			return err
		}
		if m.State == Cancelled {
			return errMeetingCancelled()
		}
		if m.State != Planned && m.State != Invited {
			return errs.New(errs.Conflict, errs.M("meetings.meeting-begun-can-no-longer", "Eine begonnene Sitzung kann nicht mehr verlegt werden.", "A meeting that has begun can no longer be rescheduled."))
		}
		if err := publication.Watch(tx, publication.Place(id)); err != nil { // OParl tombstones
			return err
		}
		if err := tx.Table(meetingsTable).Where("id = ?", id).Updates(map[string]any{"title": in.Title, "starts_at": in.StartsAt,
			"ends_at": in.EndsAt, "place": in.Place, "online_url": in.OnlineURL, "updated_at": now}).Error; err != nil {
			return fmt.Errorf("committees: update meeting: %w", err)
		}
		if err := s.meetingChanged(tx, &id, "meeting"); err != nil {
			return err
		}
		if m.State == Invited && movedMeeting(m, &in) { // members get the update (invitations.go)
			if err := s.queueInvitations(tx, id, now, true); err != nil {
				return err
			}
		}
		if err := record(ctx, tx, a, ActionMeetingUpdated, "meeting", id,
			map[string]string{"title": in.Title, "starts_at": in.StartsAt.Format(time.RFC3339)}); err != nil {
			return err
		}
		m, _, err = loadMeeting(tx, a, id, now, "")
		if err == nil {
			out = m.meeting()
		}
		return err
	})
	return out, err
}

// GetMeeting returns a meeting the actor may see.
func (s *Service) GetMeeting(ctx context.Context, a tenant.Actor, id uuid.UUID) (*Meeting, error) {
	var out *Meeting
	err := s.run(ctx, a, func(tx *db.Tx) error {
		m, _, err := loadMeeting(tx, a, id, s.now(), "")
		if err == nil {
			out = m.meeting()
		}
		return err
	})
	return out, err
}

// ListMeetings lists a committee's meetings by date.
func (s *Service) ListMeetings(ctx context.Context, a tenant.Actor, committeeID uuid.UUID) ([]Meeting, error) {
	out := []Meeting{}
	err := s.run(ctx, a, func(tx *db.Tx) error {
		if _, err := loadScope(tx, a, committeeID, s.now()); err != nil {
			return err
		}
		var rows []meetingRow
		if err := tx.Table(meetingsTable).Where("committee_id = ?", committeeID).Order("starts_at, id").Scan(&rows).Error; err != nil {
			return fmt.Errorf("committees: list meetings: %w", err)
		}
		for _, r := range rows {
			out = append(out, *r.meeting())
		}
		return nil
	})
	return out, err
}

// AdvanceMeeting moves a meeting to the next state of planned → invited →
// in_session → closed → minutes_approved (admins, chair, secretary); any
// other move answers errs.Conflict. Inviting freezes every session paper
// at its document's current revision (a paper without content, or in the
// trash, refuses the invitation); closing needs every poll of the meeting
// closed, and records everyone still present as departed.
func (s *Service) AdvanceMeeting(ctx context.Context, a tenant.Actor, id uuid.UUID, to MeetingState) (*Meeting, error) {
	var out *Meeting
	err := s.run(ctx, a, func(tx *db.Tx) error {
		now := s.now()
		m, sc, err := loadMeeting(tx, a, id, now, "UPDATE")
		if err != nil {
			return err
		}
		if err := sc.needManage(); err != nil {
			return err
		}
		if m.State == Cancelled {
			return errMeetingCancelled()
		}
		if to == Cancelled { // with a reason: CancelMeeting
			return errs.New(errs.Conflict, errs.M("meetings.meeting-cancelled-reason-not-state", "Eine Sitzung wird mit Begründung abgesagt, nicht über einen Statuswechsel.", "A meeting is cancelled with a reason, not by a state transition."))
		}
		if meetingNext[m.State] != to {
			return errs.New(errs.Conflict, errs.M("meetings.meeting-state-change-not-allowed", "Dieser Statuswechsel der Sitzung ist nicht erlaubt.", "This change of the meeting's state is not allowed."))
		}
		if to == MinutesApproved { // only the chair's approval of the minutes takes this step
			return errs.New(errs.Conflict, errs.M("meetings.meeting-only-concluded-once-minutes", "Eine Sitzung ist erst abgeschlossen, wenn ihre Niederschrift genehmigt ist.", "A meeting is only concluded once its minutes are approved."))
		}
		set := map[string]any{"state": to, "updated_at": now}
		switch to {
		case Invited:
			if err := freezePapers(tx, id, now); err != nil {
				return err
			}
			set["invited_at"] = now
		case InSession:
			set["opened_at"] = now
		case Closed:
			var open int64
			if err := tx.Table(pollsTable).Where("meeting_id = ? AND state = ?", id, PollOpen).Count(&open).Error; err != nil {
				return fmt.Errorf("committees: check polls: %w", err)
			}
			if open > 0 {
				return errs.New(errs.Conflict, errs.M("meetings.meeting-can-only-closed-once", "Die Sitzung kann erst geschlossen werden, wenn alle Abstimmungen beendet sind.", "The meeting can only be closed once every poll has ended."))
			}
			if _, err := exec(tx, `UPDATE meeting_attendance SET departed_at = ?, updated_at = ?, updated_by = ?
				WHERE tenant_id = @tenant AND meeting_id = ? AND status = 'present' AND departed_at IS NULL`,
				now, now, a.MembershipID, id); err != nil {
				return err
			}
			set["closed_at"], set["current_item_id"] = now, nil
		case MinutesApproved:
			set["minutes_approved_at"] = now
		}
		res := tx.Table(meetingsTable).Where("id = ? AND state = ?", id, m.State).Updates(set)
		if res.Error != nil {
			return fmt.Errorf("committees: change meeting state: %w", res.Error)
		}
		if res.RowsAffected == 0 {
			return errs.New(errs.Conflict, errs.M("meetings.meeting-state-change-not-allowed", "Dieser Statuswechsel der Sitzung ist nicht erlaubt.", "This change of the meeting's state is not allowed."))
		}
		if err := s.meetingChanged(tx, &id, "state"); err != nil {
			return err
		}
		if to == Invited { // the invitation mails (invitations.go)
			if err := s.queueInvitations(tx, id, now, false); err != nil {
				return err
			}
			if err := s.notifyMeetingInvited(ctx, tx, a, id, now); err != nil {
				return err
			}
		}
		if err := record(ctx, tx, a, ActionMeetingState, "meeting", id,
			map[string]string{"from": string(m.State), "to": string(to)}); err != nil {
			return err
		}
		m, _, err = loadMeeting(tx, a, id, now, "")
		if err == nil {
			out = m.meeting()
		}
		return err
	})
	return out, err
}

// SetCurrentItem calls an accepted agenda item of a meeting in session as
// the item being dealt with now, or (itemID uuid.Nil) calls none (admins,
// chair, secretary). Everyone following the meeting hears of it; opening a
// poll on an item calls that item too (OpenPoll).
func (s *Service) SetCurrentItem(ctx context.Context, a tenant.Actor, meetingID, itemID uuid.UUID) (*Meeting, error) {
	var out *Meeting
	err := s.run(ctx, a, func(tx *db.Tx) error {
		now := s.now()
		m, sc, err := loadMeeting(tx, a, meetingID, now, "UPDATE")
		if err != nil {
			return err
		}
		if err := sc.needManage(); err != nil {
			return err
		}
		if m.State != InSession {
			return errs.New(errs.Conflict, errs.M("meetings.agenda-item-can-only-called", "Ein Tagesordnungspunkt kann nur während der Sitzung aufgerufen werden.", "An agenda item can only be called during the session."))
		}
		if itemID != uuid.Nil {
			it, err := meetingItem(tx, meetingID, itemID)
			if err != nil {
				return err
			}
			if it.State != Accepted {
				return errs.InvalidField("agenda_item_id", errs.M("meetings.only-accepted-agenda-item-meeting", "Aufgerufen werden kann nur ein angenommener Tagesordnungspunkt dieser Sitzung.", "Only an accepted agenda item of this meeting can be called."))
			}
		}
		if err := s.callItem(ctx, tx, a, m, itemID); err != nil {
			return err
		}
		m, _, err = loadMeeting(tx, a, meetingID, now, "")
		if err == nil {
			out = m.meeting()
		}
		return err
	})
	return out, err
}

// meetingItem reads an agenda item of the meeting; an item of another
// meeting (or none) is an invalid agenda_item_id.
func meetingItem(tx *db.Tx, meetingID, itemID uuid.UUID) (*itemRow, error) {
	var items []itemRow
	if err := tx.Table(itemsTable).Where("id = ? AND meeting_id = ?", itemID, meetingID).Limit(1).Scan(&items).Error; err != nil {
		return nil, fmt.Errorf("committees: load agenda item: %w", err)
	}
	if len(items) == 0 {
		return nil, errs.InvalidField("agenda_item_id", errs.M("meetings.only-accepted-agenda-item-meeting", "Aufgerufen werden kann nur ein angenommener Tagesordnungspunkt dieser Sitzung.", "Only an accepted agenda item of this meeting can be called."))
	}
	return &items[0], nil
}

// callItem makes itemID (uuid.Nil: none) the meeting's current item, in
// tx, when it is not already: audited and announced. The caller holds the
// meeting's row lock and has checked the item.
func (s *Service) callItem(ctx context.Context, tx *db.Tx, a tenant.Actor, m *meetingRow, itemID uuid.UUID) error {
	var to *uuid.UUID
	if itemID != uuid.Nil {
		to = &itemID
	}
	if (m.CurrentItemID == nil && to == nil) || (m.CurrentItemID != nil && to != nil && *m.CurrentItemID == *to) {
		return nil
	}
	// Not updated_at: what the meeting is (its calendar entry, its OParl
	// object) does not change with the item being dealt with.
	if err := tx.Table(meetingsTable).Where("id = ?", m.ID).Update("current_item_id", to).Error; err != nil {
		return fmt.Errorf("committees: call agenda item: %w", err)
	}
	m.CurrentItemID = to
	if err := s.meetingChanged(tx, &m.ID, "current_item"); err != nil {
		return err
	}
	details := map[string]string{"agenda_item_id": ""}
	if to != nil {
		details["agenda_item_id"] = to.String()
	}
	return record(ctx, tx, a, ActionCurrentItem, "meeting", m.ID, details)
}

// freezePapers stores each not yet frozen paper's current revision.
func freezePapers(tx *db.Tx, meetingID uuid.UUID, now time.Time) error {
	const papersOfMeeting = `meeting_papers.tenant_id = @tenant AND meeting_papers.revision_id IS NULL
		AND meeting_papers.agenda_item_id IN (SELECT i.id FROM agenda_items i WHERE i.tenant_id = @tenant AND i.meeting_id = ?)`
	var empty int64
	if err := tx.Table(papersTable).
		Joins("JOIN documents d ON d.tenant_id = meeting_papers.tenant_id AND d.id = meeting_papers.document_id").
		Where(tx.Expr(papersOfMeeting, meetingID)).
		Where("d.current_revision_id IS NULL OR d.deleted_at IS NOT NULL").Count(&empty).Error; err != nil {
		return fmt.Errorf("committees: check papers: %w", err)
	}
	if empty > 0 {
		return errs.New(errs.Conflict, errs.M("meetings.session-paper-no-content-yet", "Eine Sitzungsunterlage hat noch keinen Inhalt oder liegt im Papierkorb. Bitte zuerst ergänzen oder entfernen.", "A session paper has no content yet or is in the trash. Please complete or remove it first."))
	}
	_, err := exec(tx, `UPDATE meeting_papers SET frozen_at = ?, revision_id = (SELECT d.current_revision_id FROM documents d
		WHERE d.tenant_id = meeting_papers.tenant_id AND d.id = meeting_papers.document_id) WHERE `+papersOfMeeting, now, meetingID)
	return err
}
