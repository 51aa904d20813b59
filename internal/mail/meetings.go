package mail

import (
	"bytes"
	"context"
	"fmt"

	"github.com/kollab/kollab/meetings"
	"github.com/kollab/kollab/tenant"
	gomail "github.com/wneessen/go-mail"
)

// Mailer is every e-mail Kollab sends: tenant invitations and the
// committee module's meeting invitations and poll reminders.
type Mailer interface {
	tenant.Mailer
	meetings.Mailer
}

var (
	_ Mailer = (*SMTPMailer)(nil)
	_ Mailer = (*LogMailer)(nil)
)

// InvitationAttachment is the file name of a meeting invitation's calendar entry.
const InvitationAttachment = "einladung.ics"

// CancellationAttachment is the file name of a meeting cancellation's calendar entry.
const CancellationAttachment = "absage.ics"

// calendarType is the content type of an iTIP invitation (RFC 6047);
// cancelType that of a cancellation.
const (
	calendarType = "text/calendar; method=REQUEST"
	cancelType   = "text/calendar; method=CANCEL"
)

// SendMeetingInvitation implements committees.Mailer: the invitation in
// plain text and HTML, with the meeting as an iCalendar REQUEST both as a
// text/calendar alternative (for mail programs that offer to accept it)
// and as an attachment (einladung.ics).
func (m *SMTPMailer) SendMeetingInvitation(ctx context.Context, inv meetings.MeetingInvitationMail) error {
	subject, text, html := MeetingInvitationText(m.public, inv)
	var cal bytes.Buffer
	if err := meetings.WriteCalendar(&cal, []meetings.MeetingEvent{inv.MeetingEvent}, invitationOptions(m.public, m.cfg.From, inv)); err != nil {
		return fmt.Errorf("mail: invitation calendar: %w", err)
	}
	msg, err := m.newMsg(inv.To, inv.MessageKey, subject, text, html)
	if err != nil {
		return err
	}
	if err := attachCalendar(msg, calendarType, InvitationAttachment, cal.Bytes()); err != nil {
		return err
	}
	return m.send(ctx, msg)
}

// SendMeetingCancellation implements committees.Mailer: the cancellation
// in plain text and HTML, with the meeting as an iCalendar CANCEL (same
// UID as the invitation, higher SEQUENCE, STATUS:CANCELLED, the same
// ORGANIZER and ATTENDEE) both as a text/calendar alternative and as an
// attachment (absage.ics).
func (m *SMTPMailer) SendMeetingCancellation(ctx context.Context, c meetings.MeetingCancellationMail) error {
	subject, text, html := MeetingCancellationText(m.public, c)
	var cal bytes.Buffer
	if err := meetings.WriteCalendar(&cal, []meetings.MeetingEvent{c.MeetingEvent}, cancellationOptions(m.public, m.cfg.From, c)); err != nil {
		return fmt.Errorf("mail: cancellation calendar: %w", err)
	}
	msg, err := m.newMsg(c.To, c.MessageKey, subject, text, html)
	if err != nil {
		return err
	}
	if err := attachCalendar(msg, cancelType, CancellationAttachment, cal.Bytes()); err != nil {
		return err
	}
	return m.send(ctx, msg)
}

// attachCalendar adds an iTIP calendar to msg, as a text/calendar
// alternative (for mail programs that act on it) and as an attachment.
func attachCalendar(msg *gomail.Msg, contentType, name string, cal []byte) error {
	// base64 keeps the calendar's CRLF line ends exactly.
	msg.AddAlternativeString(gomail.ContentType(contentType), string(cal), gomail.WithPartEncoding(gomail.EncodingB64))
	if err := msg.AttachReader(name, bytes.NewReader(cal), gomail.WithFileContentType(gomail.ContentType(contentType+"; charset=utf-8"))); err != nil {
		return fmt.Errorf("mail: attach calendar: %w", err)
	}
	return nil
}

// SendPollReminder implements committees.Mailer.
func (m *SMTPMailer) SendPollReminder(ctx context.Context, r meetings.PollReminderMail) error {
	subject, text, html := PollReminderText(m.public, r)
	msg, err := m.newMsg(r.To, r.MessageKey, subject, text, html)
	if err != nil {
		return err
	}
	return m.send(ctx, msg)
}

// invitationOptions are the calendar options of one member's invitation.
func invitationOptions(publicURL, from string, inv meetings.MeetingInvitationMail) meetings.CalendarOptions {
	to := inv.To
	return meetings.CalendarOptions{PublicURL: publicURL, Method: "REQUEST", Organizer: from, Attendee: &to, Stamp: inv.Stamp,
		ShowClosedTitles: true}
}

// cancellationOptions are the calendar options of one invitee's
// cancellation: the invitation's, with METHOD:CANCEL (RFC 5546 §3.2.5
// requires ORGANIZER and ATTENDEE, as the REQUEST had them).
func cancellationOptions(publicURL, from string, c meetings.MeetingCancellationMail) meetings.CalendarOptions {
	to := c.To
	return meetings.CalendarOptions{PublicURL: publicURL, Method: "CANCEL", Organizer: from, Attendee: &to, Stamp: c.Stamp,
		ShowClosedTitles: true}
}

// newMsg starts a mail to a committee member in plain text and HTML; key
// names it in its Message-ID (see setMessageID).
func (m *SMTPMailer) newMsg(to meetings.Recipient, key, subject, text, html string) (*gomail.Msg, error) {
	msg := gomail.NewMsg()
	if err := msg.From(m.cfg.From); err != nil {
		return nil, fmt.Errorf("mail: from: %w", err)
	}
	if err := msg.AddToFormat(to.DisplayName, to.Email); err != nil {
		return nil, fmt.Errorf("mail: to: %w", err)
	}
	msg.Subject(subject)
	msg.SetDate()
	m.setMessageID(msg, key)
	msg.SetBodyString(gomail.TypeTextPlain, text)
	msg.AddAlternativeString(gomail.TypeTextHTML, html)
	return msg, nil
}

func (m *SMTPMailer) send(ctx context.Context, msg *gomail.Msg) error {
	c, err := gomail.NewClient(m.host, m.opts...)
	if err != nil {
		return fmt.Errorf("mail: client: %w", err)
	}
	if err := c.DialAndSendWithContext(ctx, msg); err != nil {
		return fmt.Errorf("mail: send: %w", err)
	}
	return nil
}

// SendMeetingInvitation implements committees.Mailer.
func (m *LogMailer) SendMeetingInvitation(ctx context.Context, inv meetings.MeetingInvitationMail) error {
	subject, text, _ := MeetingInvitationText(m.PublicURL, inv)
	m.Log.InfoContext(ctx, "no SMTP server configured (KOLLAB_SMTP_URL): meeting invitation not mailed", "to", inv.To.Email,
		"tenant", inv.TenantSlug, "meeting_id", inv.Meeting.ID, "sequence", inv.Sequence, "subject", subject,
		"link", meetings.MeetingURL(m.PublicURL, inv.TenantSlug, inv.Meeting.ID), "text", text)
	return nil
}

// SendMeetingCancellation implements committees.Mailer.
func (m *LogMailer) SendMeetingCancellation(ctx context.Context, c meetings.MeetingCancellationMail) error {
	subject, text, _ := MeetingCancellationText(m.PublicURL, c)
	m.Log.InfoContext(ctx, "no SMTP server configured (KOLLAB_SMTP_URL): meeting cancellation not mailed", "to", c.To.Email,
		"tenant", c.TenantSlug, "meeting_id", c.Meeting.ID, "sequence", c.Sequence, "subject", subject,
		"link", meetings.MeetingURL(m.PublicURL, c.TenantSlug, c.Meeting.ID), "text", text)
	return nil
}

// SendPollReminder implements committees.Mailer.
func (m *LogMailer) SendPollReminder(ctx context.Context, r meetings.PollReminderMail) error {
	subject, text, _ := PollReminderText(m.PublicURL, r)
	m.Log.InfoContext(ctx, "no SMTP server configured (KOLLAB_SMTP_URL): poll reminder not mailed", "to", r.To.Email,
		"tenant", r.TenantSlug, "poll_id", r.PollID, "subject", subject, "link", meetings.PollURL(m.PublicURL, r.TenantSlug, r.PollID),
		"text", text)
	return nil
}
