package meetings

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/kollab/kollab/internal/db"
	"github.com/kollab/kollab/meetings/publication"
)

// Meeting invitations: when a meeting becomes invited, and again when an
// invited meeting moves (time or place), every committee member with a
// running term and an active membership gets an e-mail with the meeting
// as an iCalendar event (METHOD:REQUEST, one UID per meeting, SEQUENCE
// raised by every update).
//
// The mails are queued in the transaction of the state change (mail_outbox,
// see invitations_outbox.go) and sent after it commits by DeliverMail: a
// crash between commit and send delays them instead of losing them, and a
// refused state change sends nothing. A failed send is retried, logged,
// and never undoes the state change.

// Recipient is a committee member an e-mail goes to.
type Recipient struct {
	MembershipID uuid.UUID `gorm:"column:membership_id"`
	Email        string    `gorm:"column:email"`
	DisplayName  string    `gorm:"column:display_name"`
	// Locale is the member's language ("de" or "en").
	Locale string `gorm:"column:locale"`
}

// AgendaLine is an accepted agenda item as an invitation lists it.
type AgendaLine struct {
	Number int
	Title  string
	// Public: the item is public (publication.ItemPublic); a feed shows
	// the titles of public items only.
	Public bool
}

// MeetingEvent is a meeting as a calendar shows it: the meeting, its
// committee and tenant, its accepted agenda and its event SEQUENCE.
type MeetingEvent struct {
	TenantID      uuid.UUID
	TenantSlug    string
	TenantName    string
	CommitteeName string
	Meeting       Meeting
	Agenda        []AgendaLine
	// Sequence is the iCalendar SEQUENCE: 0 at the invitation, one more
	// for every update mailed since.
	Sequence int
	// Changed is the newest change of what the event shows: the meeting,
	// its committee and its agenda items (a feed's Last-Modified).
	Changed time.Time
}

// MeetingInvitation is a meeting with the members its invitation goes to.
type MeetingInvitation struct {
	MeetingEvent
	Recipients []Recipient
}

// MeetingInvitationMail is one member's invitation mail.
type MeetingInvitationMail struct {
	MeetingEvent
	To Recipient
	// Update is set when the mail announces a changed time or place of a
	// meeting the member was already invited to.
	Update bool
	// Stamp is when the invitation was issued (the event's DTSTAMP).
	Stamp time.Time
	// MessageKey names the queued mail, the same in every attempt to send
	// it (the outbox row's id): the local part of its Message-ID, so that
	// a mail delivered twice is recognised as one.
	MessageKey string `json:"-"`
}

// PollReminderMail reminds a member who has not yet voted in a written procedure.
type PollReminderMail struct {
	TenantID      uuid.UUID
	TenantSlug    string
	TenantName    string
	CommitteeName string
	PollID        uuid.UUID
	Title         string
	Deadline      time.Time
	To            Recipient
	// MessageKey: as in MeetingInvitationMail.
	MessageKey string `json:"-"`
}

// Mailer delivers the committee module's e-mails (Mails implements it).
type Mailer interface {
	SendMeetingInvitation(ctx context.Context, m MeetingInvitationMail) error
	SendMeetingCancellation(ctx context.Context, m MeetingCancellationMail) error
	SendPollReminder(ctx context.Context, m PollReminderMail) error
}

// MeetingURL is the meeting's page in the web app.
func MeetingURL(publicURL, tenantSlug string, meetingID uuid.UUID) string {
	return strings.TrimRight(publicURL, "/") + "/t/" + tenantSlug + "/meetings/" + meetingID.String()
}

// PollURL is a poll's page in the web app.
func PollURL(publicURL, tenantSlug string, pollID uuid.UUID) string {
	return strings.TrimRight(publicURL, "/") + "/t/" + tenantSlug + "/polls/" + pollID.String()
}

// MeetingInvitation reads what an invitation to the meeting says and whom
// it goes to now: every member of its committee with a running term and an
// active membership. It is operator work (no actor): callers check rights.
func (s *Service) MeetingInvitation(ctx context.Context, tenantID, meetingID uuid.UUID) (*MeetingInvitation, error) {
	var out *MeetingInvitation
	err := s.db.Tenant(ctx, tenantID, func(tx *db.Tx) error {
		ev, err := loadMeetingEvent(tx, meetingID)
		if err != nil {
			return err
		}
		rs, err := committeeRecipients(tx, ev.Meeting.CommitteeID, s.now())
		if err != nil {
			return err
		}
		out = &MeetingInvitation{MeetingEvent: *ev, Recipients: rs}
		return nil
	})
	return out, err
}

// tenantNames reads the slug and name of tx's tenant.
func tenantNames(tx *db.Tx) (slug, name string, err error) {
	var ts []struct {
		Slug string `gorm:"column:slug"`
		Name string `gorm:"column:name"`
	}
	if err := tx.Unscoped().Table("tenants").Select("slug, name").Where("id = ?", tx.TenantID()).Scan(&ts).Error; err != nil {
		return "", "", fmt.Errorf("committees: read tenant: %w", err)
	}
	if len(ts) == 0 {
		return "", "", errNotFound()
	}
	return ts[0].Slug, ts[0].Name, nil
}

// loadMeetingEvent reads a meeting of tx's tenant as a calendar event.
func loadMeetingEvent(tx *db.Tx, meetingID uuid.UUID) (*MeetingEvent, error) {
	evs, err := loadMeetingEvents(tx, []uuid.UUID{meetingID})
	if err != nil {
		return nil, err
	}
	if len(evs) == 0 {
		return nil, errNotFound()
	}
	return &evs[0], nil
}

// loadMeetingEvents reads meetings of tx's tenant as calendar events, by
// start; ids that name no meeting are left out.
func loadMeetingEvents(tx *db.Tx, ids []uuid.UUID) ([]MeetingEvent, error) {
	out := []MeetingEvent{}
	if len(ids) == 0 {
		return out, nil
	}
	tid := tx.TenantID()
	var ms []struct {
		Row              meetingRow `gorm:"embedded"`
		Sequence         int        `gorm:"column:ical_sequence"`
		CommitteeName    string     `gorm:"column:committee_name"`
		CommitteeUpdated time.Time  `gorm:"column:committee_updated_at"`
	}
	if err := tx.Raw(`SELECT m.*, c.name AS committee_name, c.updated_at AS committee_updated_at FROM meetings m
		JOIN committees c ON c.tenant_id = m.tenant_id AND c.id = m.committee_id
		WHERE m.tenant_id = @tenant AND m.id IN ? ORDER BY m.starts_at, m.id`, ids).Scan(&ms).Error; err != nil {
		return nil, fmt.Errorf("committees: load meetings: %w", err)
	}
	if len(ms) == 0 {
		return out, nil
	}
	slug, tname, err := tenantNames(tx)
	if err != nil {
		return nil, err
	}
	var items []struct {
		MeetingID uuid.UUID `gorm:"column:meeting_id"`
		Title     string    `gorm:"column:title"`
		Public    bool      `gorm:"column:public"`
		State     ItemState `gorm:"column:state"`
		UpdatedAt time.Time `gorm:"column:updated_at"`
	}
	if err := tx.Table(itemsTable).Select("meeting_id, title, public, state, updated_at").Where("meeting_id IN ?", ids).
		Order("meeting_id, position").Scan(&items).Error; err != nil {
		return nil, fmt.Errorf("committees: read agendas: %w", err)
	}
	lines := map[uuid.UUID][]AgendaLine{}
	changed := map[uuid.UUID]time.Time{}
	for _, it := range items {
		if it.UpdatedAt.After(changed[it.MeetingID]) {
			changed[it.MeetingID] = it.UpdatedAt
		}
		if it.State == Accepted { // accepted items are numbered in agenda order
			lines[it.MeetingID] = append(lines[it.MeetingID], AgendaLine{Number: len(lines[it.MeetingID]) + 1, Title: it.Title,
				Public: publication.ItemPublic(string(it.State), it.Public)})
		}
	}
	for i := range ms {
		ls := lines[ms[i].Row.ID]
		if ls == nil {
			ls = []AgendaLine{}
		}
		m := ms[i].Row.meeting()
		ch := m.UpdatedAt
		for _, t := range []time.Time{ms[i].CommitteeUpdated, changed[m.ID]} {
			if t.After(ch) {
				ch = t
			}
		}
		out = append(out, MeetingEvent{TenantID: tid, TenantSlug: slug, TenantName: tname, CommitteeName: ms[i].CommitteeName,
			Meeting: *m, Agenda: ls, Sequence: ms[i].Sequence, Changed: ch})
	}
	return out, nil
}

// committeeRecipients lists the committee's members whose term runs at now
// and whose membership is active, by e-mail address.
func committeeRecipients(tx *db.Tx, committeeID uuid.UUID, now time.Time) ([]Recipient, error) {
	rs := []Recipient{}
	err := tx.Raw(`SELECT cm.membership_id, u.email, u.display_name, u.locale
		FROM committee_members cm
		JOIN memberships ms ON ms.tenant_id = cm.tenant_id AND ms.id = cm.membership_id
		JOIN users u ON u.id = ms.user_id
		WHERE cm.tenant_id = @tenant AND cm.committee_id = ? AND ms.status = 'active' AND `+termRunning+`
		ORDER BY u.email`, committeeID, now, now).Scan(&rs).Error
	if err != nil {
		return nil, fmt.Errorf("committees: invitation recipients: %w", err)
	}
	return rs, nil
}

// queueInvitations queues, in tx, the invitation mail of the meeting to
// every current member of its committee: the first invitation, or (update)
// a changed time or place of an invited meeting, whose event SEQUENCE it
// raises first. Called where the state change happens (AdvanceMeeting,
// UpdateMeeting); the mails leave after commit (DeliverMail).
func (s *Service) queueInvitations(tx *db.Tx, meetingID uuid.UUID, now time.Time, update bool) error {
	if update {
		if _, err := exec(tx, `UPDATE meetings SET ical_sequence = ical_sequence + 1 WHERE tenant_id = @tenant AND id = ?`,
			meetingID); err != nil {
			return err
		}
	}
	ev, err := loadMeetingEvent(tx, meetingID)
	if err != nil {
		return err
	}
	rs, err := committeeRecipients(tx, ev.Meeting.CommitteeID, now)
	if err != nil {
		return err
	}
	if err := recordInvitees(tx, meetingID, rs, now); err != nil { // for a cancellation (meetings_cancel.go)
		return err
	}
	for _, r := range rs {
		if err := s.enqueueMail(tx, mailInvitation, r.Email, MeetingInvitationMail{MeetingEvent: *ev, To: r, Update: update, Stamp: now}, now); err != nil {
			return err
		}
	}
	return nil
}

// movedMeeting reports whether an update changes what an invitation said
// about when and where the meeting takes place.
func movedMeeting(m *meetingRow, in *MeetingInput) bool {
	return !m.StartsAt.Equal(in.StartsAt) || !m.EndsAt.Equal(in.EndsAt) || m.Place != in.Place || m.OnlineURL != in.OnlineURL
}

// Mail kinds of the outbox.
const (
	mailInvitation   = "meeting_invitation"
	mailCancellation = "meeting_cancellation"
	mailReminder     = "poll_reminder"
)

// outboxRow is a row of mail_outbox.
type outboxRow struct {
	TenantID      uuid.UUID  `gorm:"column:tenant_id"`
	ID            uuid.UUID  `gorm:"column:id"`
	Kind          string     `gorm:"column:kind"`
	Recipient     string     `gorm:"column:recipient"`
	Payload       string     `gorm:"column:payload"`
	CreatedAt     time.Time  `gorm:"column:created_at"`
	Attempts      int        `gorm:"column:attempts"`
	NextAttemptAt time.Time  `gorm:"column:next_attempt_at"`
	SentAt        *time.Time `gorm:"column:sent_at"`
	FailedAt      *time.Time `gorm:"column:failed_at"`
	LastError     string     `gorm:"column:last_error"`
}

// OwnerTenant implements db.TenantOwned.
func (r *outboxRow) OwnerTenant() uuid.UUID { return r.TenantID }

// enqueueMail writes one mail into tx's outbox; once tx commits, the mail
// loop is woken (WithMailQueued).
func (s *Service) enqueueMail(tx *db.Tx, kind, to string, payload any, now time.Time) error {
	b, err := json.Marshal(payload)
	if err != nil {
		return fmt.Errorf("committees: encode mail: %w", err)
	}
	if strings.TrimSpace(to) == "" {
		return fmt.Errorf("committees: queue mail: no recipient address")
	}
	row := &outboxRow{TenantID: tx.TenantID(), ID: db.NewID(), Kind: kind, Recipient: to, Payload: string(b), CreatedAt: now, NextAttemptAt: now}
	if err := tx.Create(outboxTable, row); err != nil {
		return fmt.Errorf("committees: queue mail: %w", err)
	}
	if s.mailQueued != nil {
		tx.AfterCommit(s.mailQueued)
	}
	return nil
}
