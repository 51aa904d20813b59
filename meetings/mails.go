package meetings

// The committee module's mails (meeting invitations, cancellations, poll
// reminders), composed here (texts: mail_texts.go) and sent by a
// MailSender (internal/mail's SMTPMailer, or its LogMailer without an SMTP
// server), with the meeting written as iCalendar by a CalendarWriter
// (meetings/render).

import (
	"bytes"
	"context"
	"fmt"
	"io"

	"github.com/kollab/kollab/internal/mail"
)

// MailSender sends a composed mail; Configured reports whether mails
// really leave (internal/mail's senders implement it).
type MailSender interface {
	Send(ctx context.Context, m mail.Message) error
	Configured() bool
}

// CalendarWriter writes meetings as an iCalendar (meetings/render implements it).
type CalendarWriter interface {
	WriteCalendar(w io.Writer, events []MeetingEvent, o CalendarOptions) error
}

// Mails composes the committee module's mails and hands them to a
// MailSender. It implements Mailer.
type Mails struct {
	sender    MailSender
	calendar  CalendarWriter
	publicURL string
	from      string
}

// NewMails returns the committee mails sent through sender: links under
// publicURL, calendars written by calendar with from (the sender's
// address, "Kollab <noreply@…>") as their ORGANIZER.
func NewMails(sender MailSender, calendar CalendarWriter, publicURL, from string) *Mails {
	return &Mails{sender: sender, calendar: calendar, publicURL: publicURL, from: from}
}

var _ Mailer = (*Mails)(nil)

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

// SendMeetingInvitation implements Mailer: the invitation in plain text
// and HTML, with the meeting as an iCalendar REQUEST both as a
// text/calendar alternative (for mail programs that offer to accept it)
// and as an attachment (einladung.ics).
func (m *Mails) SendMeetingInvitation(ctx context.Context, inv MeetingInvitationMail) error {
	subject, text, html := MeetingInvitationText(m.publicURL, inv)
	msg := mail.Message{To: inv.To.Email, ToName: inv.To.DisplayName, Subject: subject, Text: text, HTML: html, Key: inv.MessageKey,
		Log: mail.LogEntry{Msg: "meeting invitation not mailed", Attrs: []any{"tenant", inv.TenantSlug, "meeting_id", inv.Meeting.ID,
			"sequence", inv.Sequence, "subject", subject, "link", MeetingURL(m.publicURL, inv.TenantSlug, inv.Meeting.ID), "text", text}}}
	to := inv.To
	o := CalendarOptions{PublicURL: m.publicURL, Method: "REQUEST", Organizer: m.from, Attendee: &to, Stamp: inv.Stamp, ShowClosedTitles: true}
	if err := m.attachCalendar(&msg, inv.MeetingEvent, o, calendarType, InvitationAttachment); err != nil {
		return fmt.Errorf("mail: invitation calendar: %w", err)
	}
	return m.sender.Send(ctx, msg)
}

// SendMeetingCancellation implements Mailer: the cancellation in plain
// text and HTML, with the meeting as an iCalendar CANCEL (same UID as the
// invitation, higher SEQUENCE, STATUS:CANCELLED, the same ORGANIZER and
// ATTENDEE: RFC 5546 §3.2.5 requires them, as the REQUEST had them) both
// as a text/calendar alternative and as an attachment (absage.ics).
func (m *Mails) SendMeetingCancellation(ctx context.Context, c MeetingCancellationMail) error {
	subject, text, html := MeetingCancellationText(m.publicURL, c)
	msg := mail.Message{To: c.To.Email, ToName: c.To.DisplayName, Subject: subject, Text: text, HTML: html, Key: c.MessageKey,
		Log: mail.LogEntry{Msg: "meeting cancellation not mailed", Attrs: []any{"tenant", c.TenantSlug, "meeting_id", c.Meeting.ID,
			"sequence", c.Sequence, "subject", subject, "link", MeetingURL(m.publicURL, c.TenantSlug, c.Meeting.ID), "text", text}}}
	to := c.To
	o := CalendarOptions{PublicURL: m.publicURL, Method: "CANCEL", Organizer: m.from, Attendee: &to, Stamp: c.Stamp, ShowClosedTitles: true}
	if err := m.attachCalendar(&msg, c.MeetingEvent, o, cancelType, CancellationAttachment); err != nil {
		return fmt.Errorf("mail: cancellation calendar: %w", err)
	}
	return m.sender.Send(ctx, msg)
}

// attachCalendar adds the meeting as an iTIP calendar to msg, as a
// text/calendar alternative (for mail programs that act on it) and as an
// attachment. A mail that is only logged carries none (and without an
// SMTP server there may be no sender address to name as ORGANIZER).
func (m *Mails) attachCalendar(msg *mail.Message, ev MeetingEvent, o CalendarOptions, contentType, name string) error {
	if !m.sender.Configured() {
		return nil
	}
	var cal bytes.Buffer
	if err := m.calendar.WriteCalendar(&cal, []MeetingEvent{ev}, o); err != nil {
		return err
	}
	msg.Alternatives = append(msg.Alternatives, mail.Part{ContentType: contentType, Body: cal.Bytes()})
	msg.Attachments = append(msg.Attachments, mail.Attachment{Name: name, ContentType: contentType + "; charset=utf-8", Data: cal.Bytes()})
	return nil
}

// SendPollReminder implements Mailer.
func (m *Mails) SendPollReminder(ctx context.Context, r PollReminderMail) error {
	subject, text, html := PollReminderText(m.publicURL, r)
	return m.sender.Send(ctx, mail.Message{To: r.To.Email, ToName: r.To.DisplayName, Subject: subject, Text: text, HTML: html, Key: r.MessageKey,
		Log: mail.LogEntry{Msg: "poll reminder not mailed", Attrs: []any{"tenant", r.TenantSlug, "poll_id", r.PollID, "subject", subject,
			"link", PollURL(m.publicURL, r.TenantSlug, r.PollID), "text", text}}})
}
