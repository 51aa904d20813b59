package meetings

// Cancelling a meeting: a planned or invited meeting is called off with a
// reason; everyone an invitation went to is mailed the cancellation, with
// the meeting's calendar event as an iTIP CANCEL (RFC 5546 §3.2.5: same
// UID, higher SEQUENCE, STATUS:CANCELLED, ORGANIZER and ATTENDEE as in the
// invitation's REQUEST).

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/kollab/kollab/internal/db"
	"github.com/kollab/kollab/internal/errs"
	"github.com/kollab/kollab/tenant"
)

const inviteesTable = "meeting_invitees"

// maxInvitees bounds the addresses one meeting's cancellation is mailed to.
const maxInvitees = 10000

// MeetingCancellationMail is one invitee's mail about a cancelled meeting:
// the meeting (State Cancelled, with its CancelReason) as its calendar
// shows it, with the raised SEQUENCE.
type MeetingCancellationMail struct {
	MeetingEvent
	To Recipient
	// Stamp is when the meeting was cancelled (the event's DTSTAMP).
	Stamp time.Time
	// MessageKey: as in MeetingInvitationMail.
	MessageKey string `json:"-"`
}

// CancelMeeting calls off a planned or invited meeting with a reason
// (admins, chair, secretary): it becomes cancelled, keeps its agenda and
// papers as they were, and can no longer change; a meeting that has begun
// cannot be cancelled (it is closed instead). Everyone an invitation or
// update was mailed to gets the cancellation by e-mail after commit.
func (s *Service) CancelMeeting(ctx context.Context, a tenant.Actor, id uuid.UUID, reason string) (*Meeting, error) {
	reason, ok := text(reason, MaxReasonLen)
	if !ok || reason == "" {
		return nil, errs.InvalidField("reason", errs.M("meetings.give-reason-1-2000-characters", "Bitte einen Grund mit 1 bis 2000 Zeichen angeben.", "Please give a reason of 1 to 2000 characters."))
	}
	var out *Meeting
	err := s.run(ctx, a, func(tx *db.Tx) error {
		now := s.now()
		// The report lock before the meeting's (followups_report.go).
		if err := lockReportOfMeeting(tx, id); err != nil {
			return err
		}
		m, sc, err := loadMeeting(tx, a, id, now, "UPDATE")
		if err != nil {
			return err
		}
		if err := sc.needManage(); err != nil {
			return err
		}
		switch m.State {
		case Planned, Invited:
		case Cancelled:
			return errs.New(errs.Conflict, errs.M("meetings.meeting-cancelled-already", "Die Sitzung ist bereits abgesagt.", "The meeting is cancelled already."))
		default:
			return errs.New(errs.Conflict, errs.M("meetings.meeting-begun-can-no-longer-2", "Eine begonnene Sitzung kann nicht mehr abgesagt werden.", "A meeting that has begun can no longer be cancelled."))
		}
		// The calendar event changes (a higher SEQUENCE): every calendar
		// that has it, from an invitation or a feed, takes the cancellation.
		n, err := exec(tx, `UPDATE meetings SET state = ?, cancelled_at = ?, cancelled_by = ?, cancel_reason = ?, updated_at = ?,
			ical_sequence = ical_sequence + 1 WHERE tenant_id = @tenant AND id = ? AND state = ?`,
			Cancelled, now, a.MembershipID, reason, now, id, m.State)
		if err != nil {
			return err
		}
		if n == 0 {
			return errs.New(errs.Conflict, errs.M("meetings.meeting-state-change-not-allowed", "Dieser Statuswechsel der Sitzung ist nicht erlaubt.", "This change of the meeting's state is not allowed."))
		}
		if err := s.meetingChanged(tx, &id, "state"); err != nil {
			return err
		}
		sent, err := s.queueCancellations(tx, id, now)
		if err != nil {
			return err
		}
		if err := record(ctx, tx, a, ActionMeetingCancelled, "meeting", id, map[string]string{"from": string(m.State),
			"reason": reason, "mailed": fmt.Sprint(sent)}); err != nil {
			return err
		}
		if err := s.refreshReport(ctx, tx, a, m.CommitteeID); err != nil { // the report moves on to the next meeting
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

// recordInvitees notes, in tx, that the meeting's invitation went to rs.
func recordInvitees(tx *db.Tx, meetingID uuid.UUID, rs []Recipient, now time.Time) error {
	for _, r := range rs {
		if _, err := exec(tx, `INSERT INTO meeting_invitees (tenant_id, meeting_id, membership_id, email, invited_at) VALUES (@tenant, ?, ?, ?, ?)
			ON CONFLICT (tenant_id, meeting_id, membership_id, email) DO NOTHING`, meetingID, r.MembershipID, r.Email, now); err != nil {
			return err
		}
	}
	return nil
}

// invitees lists everyone the meeting's invitation (or an update) went
// to, once per address, with their current name and language.
func invitees(tx *db.Tx, meetingID uuid.UUID) ([]Recipient, error) {
	rs := []Recipient{}
	err := tx.Raw(`SELECT i.membership_id, i.email, COALESCE(u.display_name, '') AS display_name, COALESCE(u.locale, 'de') AS locale
		FROM meeting_invitees i
		LEFT JOIN memberships ms ON ms.tenant_id = i.tenant_id AND ms.id = i.membership_id
		LEFT JOIN users u ON u.id = ms.user_id
		WHERE i.tenant_id = @tenant AND i.meeting_id = ?
		ORDER BY i.email, i.membership_id LIMIT ?`, meetingID, maxInvitees).Scan(&rs).Error
	if err != nil {
		return nil, fmt.Errorf("committees: invitees: %w", err)
	}
	out, seen := rs[:0], map[string]bool{}
	for _, r := range rs {
		if !seen[r.Email] {
			seen[r.Email] = true
			out = append(out, r)
		}
	}
	return out, nil
}

// queueCancellations queues, in tx, the cancellation mail of the meeting
// to everyone its invitation went to; it answers how many.
func (s *Service) queueCancellations(tx *db.Tx, meetingID uuid.UUID, now time.Time) (int, error) {
	rs, err := invitees(tx, meetingID)
	if err != nil || len(rs) == 0 {
		return 0, err
	}
	ev, err := loadMeetingEvent(tx, meetingID)
	if err != nil {
		return 0, err
	}
	for _, r := range rs {
		if err := s.enqueueMail(tx, mailCancellation, r.Email, MeetingCancellationMail{MeetingEvent: *ev, To: r, Stamp: now}, now); err != nil {
			return 0, err
		}
	}
	return len(rs), nil
}
