package mail

import (
	"bytes"
	"context"
	"fmt"
	"html/template"
	"strings"
	"time"

	"github.com/kollab/kollab/committees"
	"github.com/kollab/kollab/tenant"
	gomail "github.com/wneessen/go-mail"
)

// Mailer is every e-mail Kollab sends: tenant invitations and the
// committee module's meeting invitations and poll reminders.
type Mailer interface {
	tenant.Mailer
	committees.Mailer
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
func (m *SMTPMailer) SendMeetingInvitation(ctx context.Context, inv committees.MeetingInvitationMail) error {
	subject, text, html := MeetingInvitationText(m.public, inv)
	var cal bytes.Buffer
	if err := committees.WriteCalendar(&cal, []committees.MeetingEvent{inv.MeetingEvent}, invitationOptions(m.public, m.cfg.From, inv)); err != nil {
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
func (m *SMTPMailer) SendMeetingCancellation(ctx context.Context, c committees.MeetingCancellationMail) error {
	subject, text, html := MeetingCancellationText(m.public, c)
	var cal bytes.Buffer
	if err := committees.WriteCalendar(&cal, []committees.MeetingEvent{c.MeetingEvent}, cancellationOptions(m.public, m.cfg.From, c)); err != nil {
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
func (m *SMTPMailer) SendPollReminder(ctx context.Context, r committees.PollReminderMail) error {
	subject, text, html := PollReminderText(m.public, r)
	msg, err := m.newMsg(r.To, r.MessageKey, subject, text, html)
	if err != nil {
		return err
	}
	return m.send(ctx, msg)
}

// invitationOptions are the calendar options of one member's invitation.
func invitationOptions(publicURL, from string, inv committees.MeetingInvitationMail) committees.CalendarOptions {
	to := inv.To
	return committees.CalendarOptions{PublicURL: publicURL, Method: "REQUEST", Organizer: from, Attendee: &to, Stamp: inv.Stamp,
		ShowClosedTitles: true}
}

// cancellationOptions are the calendar options of one invitee's
// cancellation: the invitation's, with METHOD:CANCEL (RFC 5546 §3.2.5
// requires ORGANIZER and ATTENDEE, as the REQUEST had them).
func cancellationOptions(publicURL, from string, c committees.MeetingCancellationMail) committees.CalendarOptions {
	to := c.To
	return committees.CalendarOptions{PublicURL: publicURL, Method: "CANCEL", Organizer: from, Attendee: &to, Stamp: c.Stamp,
		ShowClosedTitles: true}
}

// newMsg starts a mail to a committee member in plain text and HTML; key
// names it in its Message-ID (see setMessageID).
func (m *SMTPMailer) newMsg(to committees.Recipient, key, subject, text, html string) (*gomail.Msg, error) {
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
func (m *LogMailer) SendMeetingInvitation(ctx context.Context, inv committees.MeetingInvitationMail) error {
	subject, text, _ := MeetingInvitationText(m.PublicURL, inv)
	m.Log.InfoContext(ctx, "no SMTP server configured (KOLLAB_SMTP_URL): meeting invitation not mailed", "to", inv.To.Email,
		"tenant", inv.TenantSlug, "meeting_id", inv.Meeting.ID, "sequence", inv.Sequence, "subject", subject,
		"link", committees.MeetingURL(m.PublicURL, inv.TenantSlug, inv.Meeting.ID), "text", text)
	return nil
}

// SendMeetingCancellation implements committees.Mailer.
func (m *LogMailer) SendMeetingCancellation(ctx context.Context, c committees.MeetingCancellationMail) error {
	subject, text, _ := MeetingCancellationText(m.PublicURL, c)
	m.Log.InfoContext(ctx, "no SMTP server configured (KOLLAB_SMTP_URL): meeting cancellation not mailed", "to", c.To.Email,
		"tenant", c.TenantSlug, "meeting_id", c.Meeting.ID, "sequence", c.Sequence, "subject", subject,
		"link", committees.MeetingURL(m.PublicURL, c.TenantSlug, c.Meeting.ID), "text", text)
	return nil
}

// SendPollReminder implements committees.Mailer.
func (m *LogMailer) SendPollReminder(ctx context.Context, r committees.PollReminderMail) error {
	subject, text, _ := PollReminderText(m.PublicURL, r)
	m.Log.InfoContext(ctx, "no SMTP server configured (KOLLAB_SMTP_URL): poll reminder not mailed", "to", r.To.Email,
		"tenant", r.TenantSlug, "poll_id", r.PollID, "subject", subject, "link", committees.PollURL(m.PublicURL, r.TenantSlug, r.PollID),
		"text", text)
	return nil
}

var weekdays = [...]string{"Sonntag", "Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag"}

// when is a meeting's time in German, in Berlin time: "Montag, 16.03.2026,
// 17:00–19:00 Uhr" (both dates when it ends on another day).
func when(start, end time.Time) string {
	loc := berlin()
	s, e := start.In(loc), end.In(loc)
	day := weekdays[s.Weekday()] + ", " + s.Format("02.01.2006")
	if s.Format("20060102") == e.Format("20060102") {
		return day + ", " + s.Format("15:04") + "–" + e.Format("15:04") + " Uhr"
	}
	return day + ", " + s.Format("15:04") + " Uhr – " + weekdays[e.Weekday()] + ", " + e.Format("02.01.2006, 15:04") + " Uhr"
}

// invitationView is what the invitation texts show.
type invitationView struct {
	Salutation, Intro, When, Place, Online, Link, English string
	Agenda                                                []string
}

// MeetingInvitationText is the subject, plain-text and HTML body of a
// meeting invitation (German; with an English summary for members who
// chose English).
func MeetingInvitationText(publicURL string, inv committees.MeetingInvitationMail) (subject, text, html string) {
	m := &inv.Meeting
	date := m.StartsAt.In(berlin()).Format("02.01.2006")
	subject = fmt.Sprintf("Einladung: %s – %s, %s", inv.CommitteeName, m.Title, date)
	v := invitationView{Salutation: "Guten Tag", When: when(m.StartsAt, m.EndsAt), Place: m.Place, Online: m.OnlineURL,
		Link: committees.MeetingURL(publicURL, inv.TenantSlug, m.ID)}
	if inv.To.DisplayName != "" {
		v.Salutation += " " + inv.To.DisplayName
	}
	v.Intro = fmt.Sprintf("hiermit werden Sie zur Sitzung „%s“ des Gremiums %s (%s) eingeladen.", m.Title, inv.CommitteeName, inv.TenantName)
	if inv.Update {
		subject = "Geänderte " + subject
		v.Intro = fmt.Sprintf("Zeit oder Ort der Sitzung „%s“ des Gremiums %s (%s) haben sich geändert. Es gilt die folgende Einladung.",
			m.Title, inv.CommitteeName, inv.TenantName)
	}
	for _, l := range inv.Agenda {
		line := fmt.Sprintf("TOP %d: %s", l.Number, l.Title)
		if !l.Public {
			line += " (nichtöffentlich)"
		}
		v.Agenda = append(v.Agenda, line)
	}
	if strings.HasPrefix(inv.To.Locale, "en") {
		v.English = fmt.Sprintf("English: you are invited to the meeting \"%s\" of %s on %s UTC (%s). The calendar entry is attached.",
			m.Title, inv.CommitteeName, m.StartsAt.UTC().Format("2006-01-02 15:04"), v.Link)
		if inv.Update {
			v.English = "English: the time or place of a meeting you were invited to has changed. " + strings.TrimPrefix(v.English, "English: ")
		}
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s,\n\n%s\n\n", v.Salutation, v.Intro)
	fmt.Fprintf(&b, "Termin: %s\n", v.When)
	if v.Place != "" {
		fmt.Fprintf(&b, "Ort: %s\n", v.Place)
	}
	if v.Online != "" {
		fmt.Fprintf(&b, "Online-Teilnahme: %s\n", v.Online)
	}
	if len(v.Agenda) > 0 {
		b.WriteString("\nTagesordnung:\n")
		for _, l := range v.Agenda {
			b.WriteString(l + "\n")
		}
	}
	fmt.Fprintf(&b, "\nTagesordnung und Sitzungsunterlagen in Kollab:\n%s\n\n", v.Link)
	b.WriteString("Der Termin liegt als Kalendereintrag (einladung.ics) bei.\n")
	if v.English != "" {
		fmt.Fprintf(&b, "\n--\n%s\n", v.English)
	}
	return subject, b.String(), render(invitationHTML, v)
}

var invitationHTML = template.Must(template.New("invitation").Parse(`<!DOCTYPE html>
<html lang="de"><head><meta charset="utf-8"><title>Einladung</title></head>
<body style="font-family: sans-serif; line-height: 1.5">
<p>{{.Salutation}},</p>
<p>{{.Intro}}</p>
<table role="presentation">
<tr><th scope="row" style="text-align: left; padding-right: 1em">Termin</th><td>{{.When}}</td></tr>
{{if .Place}}<tr><th scope="row" style="text-align: left; padding-right: 1em">Ort</th><td>{{.Place}}</td></tr>{{end}}
{{if .Online}}<tr><th scope="row" style="text-align: left; padding-right: 1em">Online-Teilnahme</th><td><a href="{{.Online}}">{{.Online}}</a></td></tr>{{end}}
</table>
{{if .Agenda}}<h2 style="font-size: 1.1em">Tagesordnung</h2>
<ul>{{range .Agenda}}<li>{{.}}</li>{{end}}</ul>{{end}}
<p><a href="{{.Link}}">Tagesordnung und Sitzungsunterlagen in Kollab</a></p>
<p>Der Termin liegt als Kalendereintrag (einladung.ics) bei.</p>
{{if .English}}<hr><p lang="en">{{.English}}</p>{{end}}
</body></html>
`))

// cancellationView is what the cancellation texts show.
type cancellationView struct {
	Salutation, Intro, When, Place, Reason, Link, English string
}

// MeetingCancellationText is the subject, plain-text and HTML body of a
// meeting's cancellation (German; with an English summary for members who
// chose English).
func MeetingCancellationText(publicURL string, c committees.MeetingCancellationMail) (subject, text, html string) {
	m := &c.Meeting
	date := m.StartsAt.In(berlin()).Format("02.01.2006")
	subject = fmt.Sprintf("Abgesagt: %s – %s, %s", c.CommitteeName, m.Title, date)
	v := cancellationView{Salutation: "Guten Tag", When: when(m.StartsAt, m.EndsAt), Place: committees.EventLocation(m), Reason: m.CancelReason,
		Link: committees.MeetingURL(publicURL, c.TenantSlug, m.ID)}
	if c.To.DisplayName != "" {
		v.Salutation += " " + c.To.DisplayName
	}
	v.Intro = fmt.Sprintf("die Sitzung „%s“ des Gremiums %s (%s), zu der Sie eingeladen wurden, ist abgesagt. Sie findet nicht statt.",
		m.Title, c.CommitteeName, c.TenantName)
	if strings.HasPrefix(c.To.Locale, "en") {
		v.English = fmt.Sprintf("English: the meeting \"%s\" of %s on %s UTC, to which you were invited, is cancelled. Reason: %s (%s). "+
			"The attached calendar entry removes it from your calendar.", m.Title, c.CommitteeName, m.StartsAt.UTC().Format("2006-01-02 15:04"), m.CancelReason, v.Link)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s,\n\n%s\n\n", v.Salutation, v.Intro)
	fmt.Fprintf(&b, "Termin: %s\n", v.When)
	if v.Place != "" {
		fmt.Fprintf(&b, "Ort: %s\n", v.Place)
	}
	fmt.Fprintf(&b, "Grund der Absage: %s\n", v.Reason)
	fmt.Fprintf(&b, "\nDie Sitzung in Kollab:\n%s\n\n", v.Link)
	b.WriteString("Die Absage liegt als Kalendereintrag (absage.ics) bei; Ihr Kalenderprogramm kann den Termin damit entfernen.\n")
	if v.English != "" {
		fmt.Fprintf(&b, "\n--\n%s\n", v.English)
	}
	return subject, b.String(), render(cancellationHTML, v)
}

var cancellationHTML = template.Must(template.New("cancellation").Parse(`<!DOCTYPE html>
<html lang="de"><head><meta charset="utf-8"><title>Absage</title></head>
<body style="font-family: sans-serif; line-height: 1.5">
<p>{{.Salutation}},</p>
<p>{{.Intro}}</p>
<table role="presentation">
<tr><th scope="row" style="text-align: left; padding-right: 1em">Termin</th><td><del>{{.When}}</del> (abgesagt)</td></tr>
{{if .Place}}<tr><th scope="row" style="text-align: left; padding-right: 1em">Ort</th><td>{{.Place}}</td></tr>{{end}}
<tr><th scope="row" style="text-align: left; padding-right: 1em">Grund der Absage</th><td>{{.Reason}}</td></tr>
</table>
<p><a href="{{.Link}}">Die Sitzung in Kollab</a></p>
<p>Die Absage liegt als Kalendereintrag (absage.ics) bei; Ihr Kalenderprogramm kann den Termin damit entfernen.</p>
{{if .English}}<hr><p lang="en">{{.English}}</p>{{end}}
</body></html>
`))

// reminderView is what the reminder texts show.
type reminderView struct {
	Salutation, Intro, Deadline, Link, English string
}

// PollReminderText is the subject, plain-text and HTML body of a reminder
// to vote in a written procedure.
func PollReminderText(publicURL string, r committees.PollReminderMail) (subject, text, html string) {
	subject = fmt.Sprintf("Erinnerung: Umlaufverfahren „%s“ – Ihre Stimme fehlt noch", r.Title)
	v := reminderView{Salutation: "Guten Tag", Link: committees.PollURL(publicURL, r.TenantSlug, r.PollID)}
	if r.To.DisplayName != "" {
		v.Salutation += " " + r.To.DisplayName
	}
	d := r.Deadline.In(berlin())
	v.Deadline = weekdays[d.Weekday()] + ", " + d.Format("02.01.2006") + " um " + d.Format("15:04") + " Uhr"
	v.Intro = fmt.Sprintf("im Umlaufverfahren „%s“ des Gremiums %s (%s) haben Sie noch nicht abgestimmt.", r.Title, r.CommitteeName, r.TenantName)
	if strings.HasPrefix(r.To.Locale, "en") {
		v.English = fmt.Sprintf("English: you have not yet voted in the written procedure \"%s\" of %s. Voting closes %s UTC: %s",
			r.Title, r.CommitteeName, r.Deadline.UTC().Format("2006-01-02 15:04"), v.Link)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s,\n\n%s\n\nDie Frist endet am %s. Danach wird das Verfahren geschlossen und ausgezählt.\n\n", v.Salutation, v.Intro, v.Deadline)
	fmt.Fprintf(&b, "Zur Abstimmung:\n%s\n", v.Link)
	if v.English != "" {
		fmt.Fprintf(&b, "\n--\n%s\n", v.English)
	}
	return subject, b.String(), render(reminderHTML, v)
}

var reminderHTML = template.Must(template.New("reminder").Parse(`<!DOCTYPE html>
<html lang="de"><head><meta charset="utf-8"><title>Erinnerung</title></head>
<body style="font-family: sans-serif; line-height: 1.5">
<p>{{.Salutation}},</p>
<p>{{.Intro}}</p>
<p>Die Frist endet am <strong>{{.Deadline}}</strong>. Danach wird das Verfahren geschlossen und ausgezählt.</p>
<p><a href="{{.Link}}">Zur Abstimmung</a></p>
{{if .English}}<hr><p lang="en">{{.English}}</p>{{end}}
</body></html>
`))

func render(t *template.Template, v any) string {
	var b strings.Builder
	if err := t.Execute(&b, v); err != nil {
		return "" // the templates are fixed; an error is a programming error caught by the tests
	}
	return b.String()
}
