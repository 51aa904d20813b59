package meetings

// The committee module's notifications (internal/notify): a poll opened
// for voting tells each member entitled to vote in it; a meeting's
// invitation tells every member of its committee (who also get the
// invitation mail). Both are members of the committee and may read the
// poll and the meeting, so the title is what they may see anyway.

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/kollab/kollab/internal/db"
	"github.com/kollab/kollab/internal/notify"
	"github.com/kollab/kollab/tenant"
)

// WithNotify makes the service emit notifications through n (its worker
// is woken after commit); without it events are still written and
// dispatched by any running worker.
func WithNotify(n *notify.Service) ServiceOption { return func(s *Service) { s.notify = n } }

var (
	// pollVoters: the members entitled to vote in poll @object at @at
	// (voting seat, running term, active membership, no conflict on the
	// poll's item).
	pollVoters = notify.NewAudience("committees.poll.voters", `SELECT v.membership_id
		FROM polls p
		JOIN committee_members v ON v.tenant_id = p.tenant_id AND v.committee_id = p.committee_id
		WHERE p.tenant_id = @tenant AND p.id = @object AND v.tenant_id = @tenant AND v.voting
		  AND v.term_start <= @at AND (v.term_end IS NULL OR v.term_end > @at)
		  AND NOT EXISTS (SELECT 1 FROM conflict_declarations cd
			WHERE cd.tenant_id = @tenant AND cd.agenda_item_id = p.agenda_item_id AND cd.member_id = v.id)`)
	// meetingMembers: the members of meeting @object's committee whose term
	// runs at @at.
	meetingMembers = notify.NewAudience("committees.meeting.members", `SELECT cm.membership_id
		FROM meetings mt
		JOIN committee_members cm ON cm.tenant_id = mt.tenant_id AND cm.committee_id = mt.committee_id
		WHERE mt.tenant_id = @tenant AND mt.id = @object AND cm.tenant_id = @tenant
		  AND cm.term_start <= @at AND (cm.term_end IS NULL OR cm.term_end > @at)`)
)

// notifyPollOpened emits "Abstimmung geöffnet: <title>" to the poll's voters.
func (s *Service) notifyPollOpened(ctx context.Context, tx *db.Tx, a tenant.Actor, p *pollRow, now time.Time) error {
	_, err := s.notify.Emit(ctx, tx, notify.Event{Kind: notify.KindPollOpened, ObjectType: "poll", ObjectID: p.ID,
		Actor: a.MembershipID, At: now, Link: "polls/" + p.ID.String(),
		Title:      notify.Text{DE: notify.Clip("Abstimmung geöffnet: " + p.Title), EN: notify.Clip("Poll opened: " + p.Title)},
		Recipients: pollVoters.Of(p.ID)})
	if err != nil {
		return fmt.Errorf("committees: notify poll opened: %w", err)
	}
	return nil
}

// notifyMeetingInvited emits "Einladung: <title>" to the committee's members.
func (s *Service) notifyMeetingInvited(ctx context.Context, tx *db.Tx, a tenant.Actor, meetingID uuid.UUID, now time.Time) error {
	var m struct {
		Title    string    `gorm:"column:title"`
		StartsAt time.Time `gorm:"column:starts_at"`
	}
	if err := tx.Table(meetingsTable).Select("title, starts_at").Where("id = ?", meetingID).Take(&m).Error; err != nil {
		return fmt.Errorf("committees: notify invitation: %w", err)
	}
	_, err := s.notify.Emit(ctx, tx, notify.Event{Kind: notify.KindMeetingInvited, ObjectType: "meeting", ObjectID: meetingID,
		Actor: a.MembershipID, At: now, Link: "meetings/" + meetingID.String(),
		Title: notify.Text{DE: notify.Clip("Einladung: " + m.Title), EN: notify.Clip("Invitation: " + m.Title)},
		Text: notify.Text{DE: "Die Sitzung beginnt am " + tenant.MailDay(m.StartsAt, false) + " um " + tenant.MailClock(m.StartsAt, false) + " Uhr.",
			EN: "The meeting starts on " + tenant.MailDay(m.StartsAt, true) + " at " + tenant.MailClock(m.StartsAt, true) + "."},
		Recipients: meetingMembers.Of(meetingID)})
	if err != nil {
		return fmt.Errorf("committees: notify invitation: %w", err)
	}
	return nil
}
