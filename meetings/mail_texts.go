package meetings

// The texts of the committee module's mails, in the member's language:
// German, or English for a member who chose English (users.locale). Times
// are Berlin time in both.

import (
	"fmt"
	"html/template"
	"strings"
	"time"

	"github.com/kollab/kollab/tenant"
)

// english reports whether a mail to someone with this locale is written in English.
func english(locale string) bool { return tenant.EnglishMail(locale) }

// when is a meeting's time in Berlin time: "Montag, 16.03.2026,
// 17:00–19:00 Uhr" (both dates when it ends on another day).
func when(start, end time.Time, en bool) string {
	s, e := start.In(tenant.Berlin), end.In(tenant.Berlin)
	if s.Format("20060102") == e.Format("20060102") {
		return tenant.MailDay(s, en) + ", " + s.Format("15:04") + "–" + tenant.MailClock(e, en)
	}
	return tenant.MailDay(s, en) + ", " + tenant.MailClock(s, en) + " – " + tenant.MailDay(e, en) + ", " + tenant.MailClock(e, en)
}

// invitationView is what a meeting invitation shows.
type invitationView struct {
	Lang, Title, Salutation, Intro, When, Place, Online, Link, Closing string
	WhenLabel, PlaceLabel, OnlineLabel, AgendaLabel, LinkLabel         string
	Agenda                                                             []string
}

// MeetingInvitationText is the subject, plain-text and HTML body of a
// meeting invitation in the member's language.
func MeetingInvitationText(publicURL string, inv MeetingInvitationMail) (subject, text, html string) {
	m := &inv.Meeting
	en := english(inv.To.Locale)
	v := invitationView{Lang: "de", Title: "Einladung", Salutation: "Guten Tag", When: when(m.StartsAt, m.EndsAt, en), Place: m.Place,
		Online: m.OnlineURL, Link: MeetingURL(publicURL, inv.TenantSlug, m.ID),
		WhenLabel: "Termin", PlaceLabel: "Ort", OnlineLabel: "Online-Teilnahme", AgendaLabel: "Tagesordnung",
		LinkLabel: "Tagesordnung und Sitzungsunterlagen in Kollab", Closing: "Der Termin liegt als Kalendereintrag (einladung.ics) bei."}
	date := m.StartsAt.In(tenant.Berlin).Format("02.01.2006")
	subject = fmt.Sprintf("Einladung: %s – %s, %s", inv.CommitteeName, m.Title, date)
	v.Intro = fmt.Sprintf("hiermit werden Sie zur Sitzung „%s“ des Gremiums %s (%s) eingeladen.", m.Title, inv.CommitteeName, inv.TenantName)
	if inv.Update {
		subject = "Geänderte " + subject
		v.Intro = fmt.Sprintf("Zeit oder Ort der Sitzung „%s“ des Gremiums %s (%s) haben sich geändert. Es gilt die folgende Einladung.",
			m.Title, inv.CommitteeName, inv.TenantName)
	}
	closed := " (nichtöffentlich)"
	if en {
		v = invitationView{Lang: "en", Title: "Invitation", Salutation: "Hello", When: v.When, Place: v.Place, Online: v.Online, Link: v.Link,
			WhenLabel: "When", PlaceLabel: "Where", OnlineLabel: "Join online", AgendaLabel: "Agenda",
			LinkLabel: "Agenda and meeting papers in Kollab", Closing: "The calendar entry is attached (einladung.ics)."}
		subject = fmt.Sprintf("Invitation: %s – %s, %s", inv.CommitteeName, m.Title, m.StartsAt.In(tenant.Berlin).Format("2 January 2006"))
		v.Intro = fmt.Sprintf("you are invited to the meeting \"%s\" of the committee %s (%s).", m.Title, inv.CommitteeName, inv.TenantName)
		if inv.Update {
			subject = "Changed " + strings.Replace(subject, "Invitation", "invitation", 1)
			v.Intro = fmt.Sprintf("The time or place of the meeting \"%s\" of the committee %s (%s) has changed. The following invitation applies.",
				m.Title, inv.CommitteeName, inv.TenantName)
		}
		closed = " (closed session)"
	}
	if inv.To.DisplayName != "" {
		v.Salutation += " " + inv.To.DisplayName
	}
	for _, l := range inv.Agenda {
		item := "TOP"
		if en {
			item = "Item"
		}
		line := fmt.Sprintf("%s %d: %s", item, l.Number, l.Title)
		if !l.Public {
			line += closed
		}
		v.Agenda = append(v.Agenda, line)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s,\n\n%s\n\n", v.Salutation, v.Intro)
	fmt.Fprintf(&b, "%s: %s\n", v.WhenLabel, v.When)
	if v.Place != "" {
		fmt.Fprintf(&b, "%s: %s\n", v.PlaceLabel, v.Place)
	}
	if v.Online != "" {
		fmt.Fprintf(&b, "%s: %s\n", v.OnlineLabel, v.Online)
	}
	if len(v.Agenda) > 0 {
		fmt.Fprintf(&b, "\n%s:\n", v.AgendaLabel)
		for _, l := range v.Agenda {
			b.WriteString(l + "\n")
		}
	}
	fmt.Fprintf(&b, "\n%s:\n%s\n\n%s\n", v.LinkLabel, v.Link, v.Closing)
	return subject, b.String(), renderMail(invitationHTML, v)
}

var invitationHTML = template.Must(template.New("invitation").Parse(`<!DOCTYPE html>
<html lang="{{.Lang}}"><head><meta charset="utf-8"><title>{{.Title}}</title></head>
<body style="font-family: sans-serif; line-height: 1.5">
<p>{{.Salutation}},</p>
<p>{{.Intro}}</p>
<table role="presentation">
<tr><th scope="row" style="text-align: left; padding-right: 1em">{{.WhenLabel}}</th><td>{{.When}}</td></tr>
{{if .Place}}<tr><th scope="row" style="text-align: left; padding-right: 1em">{{.PlaceLabel}}</th><td>{{.Place}}</td></tr>{{end}}
{{if .Online}}<tr><th scope="row" style="text-align: left; padding-right: 1em">{{.OnlineLabel}}</th><td><a href="{{.Online}}">{{.Online}}</a></td></tr>{{end}}
</table>
{{if .Agenda}}<h2 style="font-size: 1.1em">{{.AgendaLabel}}</h2>
<ul>{{range .Agenda}}<li>{{.}}</li>{{end}}</ul>{{end}}
<p><a href="{{.Link}}">{{.LinkLabel}}</a></p>
<p>{{.Closing}}</p>
</body></html>
`))

// cancellationView is what a meeting's cancellation shows.
type cancellationView struct {
	Lang, Title, Salutation, Intro, When, Place, Reason, Link, Closing string
	WhenLabel, Cancelled, PlaceLabel, ReasonLabel, LinkLabel           string
}

// MeetingCancellationText is the subject, plain-text and HTML body of a
// meeting's cancellation, in the member's language.
func MeetingCancellationText(publicURL string, c MeetingCancellationMail) (subject, text, html string) {
	m := &c.Meeting
	en := english(c.To.Locale)
	v := cancellationView{Lang: "de", Title: "Absage", Salutation: "Guten Tag", When: when(m.StartsAt, m.EndsAt, en),
		Place: EventLocation(m), Reason: m.CancelReason, Link: MeetingURL(publicURL, c.TenantSlug, m.ID),
		WhenLabel: "Termin", Cancelled: "abgesagt", PlaceLabel: "Ort", ReasonLabel: "Grund der Absage", LinkLabel: "Die Sitzung in Kollab",
		Closing: "Die Absage liegt als Kalendereintrag (absage.ics) bei; Ihr Kalenderprogramm kann den Termin damit entfernen."}
	subject = fmt.Sprintf("Abgesagt: %s – %s, %s", c.CommitteeName, m.Title, m.StartsAt.In(tenant.Berlin).Format("02.01.2006"))
	v.Intro = fmt.Sprintf("die Sitzung „%s“ des Gremiums %s (%s), zu der Sie eingeladen wurden, ist abgesagt. Sie findet nicht statt.",
		m.Title, c.CommitteeName, c.TenantName)
	if en {
		v = cancellationView{Lang: "en", Title: "Cancellation", Salutation: "Hello", When: v.When, Place: v.Place, Reason: v.Reason, Link: v.Link,
			WhenLabel: "When", Cancelled: "cancelled", PlaceLabel: "Where", ReasonLabel: "Reason", LinkLabel: "The meeting in Kollab",
			Closing: "The cancellation is attached as a calendar entry (absage.ics); your calendar program can remove the meeting with it."}
		subject = fmt.Sprintf("Cancelled: %s – %s, %s", c.CommitteeName, m.Title, m.StartsAt.In(tenant.Berlin).Format("2 January 2006"))
		v.Intro = fmt.Sprintf("the meeting \"%s\" of the committee %s (%s), to which you were invited, is cancelled. It will not take place.",
			m.Title, c.CommitteeName, c.TenantName)
	}
	if c.To.DisplayName != "" {
		v.Salutation += " " + c.To.DisplayName
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s,\n\n%s\n\n", v.Salutation, v.Intro)
	fmt.Fprintf(&b, "%s: %s\n", v.WhenLabel, v.When)
	if v.Place != "" {
		fmt.Fprintf(&b, "%s: %s\n", v.PlaceLabel, v.Place)
	}
	fmt.Fprintf(&b, "%s: %s\n", v.ReasonLabel, v.Reason)
	fmt.Fprintf(&b, "\n%s:\n%s\n\n%s\n", v.LinkLabel, v.Link, v.Closing)
	return subject, b.String(), renderMail(cancellationHTML, v)
}

var cancellationHTML = template.Must(template.New("cancellation").Parse(`<!DOCTYPE html>
<html lang="{{.Lang}}"><head><meta charset="utf-8"><title>{{.Title}}</title></head>
<body style="font-family: sans-serif; line-height: 1.5">
<p>{{.Salutation}},</p>
<p>{{.Intro}}</p>
<table role="presentation">
<tr><th scope="row" style="text-align: left; padding-right: 1em">{{.WhenLabel}}</th><td><del>{{.When}}</del> ({{.Cancelled}})</td></tr>
{{if .Place}}<tr><th scope="row" style="text-align: left; padding-right: 1em">{{.PlaceLabel}}</th><td>{{.Place}}</td></tr>{{end}}
<tr><th scope="row" style="text-align: left; padding-right: 1em">{{.ReasonLabel}}</th><td>{{.Reason}}</td></tr>
</table>
<p><a href="{{.Link}}">{{.LinkLabel}}</a></p>
<p>{{.Closing}}</p>
</body></html>
`))

// reminderView is what a poll reminder shows.
type reminderView struct {
	Lang, Title, Salutation, Intro, Deadline, Link, LinkLabel string
	// ClosesPre and ClosesPost surround the deadline.
	ClosesPre, ClosesPost string
}

// PollReminderText is the subject, plain-text and HTML body of a reminder
// to vote in a written procedure, in the member's language.
func PollReminderText(publicURL string, r PollReminderMail) (subject, text, html string) {
	en := english(r.To.Locale)
	d := r.Deadline.In(tenant.Berlin)
	v := reminderView{Lang: "de", Title: "Erinnerung", Salutation: "Guten Tag", Link: PollURL(publicURL, r.TenantSlug, r.PollID),
		Deadline: tenant.MailDay(d, false) + " um " + tenant.MailClock(d, false), LinkLabel: "Zur Abstimmung"}
	subject = fmt.Sprintf("Erinnerung: Umlaufverfahren „%s“ – Ihre Stimme fehlt noch", r.Title)
	v.Intro = fmt.Sprintf("im Umlaufverfahren „%s“ des Gremiums %s (%s) haben Sie noch nicht abgestimmt.", r.Title, r.CommitteeName, r.TenantName)
	v.ClosesPre, v.ClosesPost = "Die Frist endet am ", ". Danach wird das Verfahren geschlossen und ausgezählt."
	if en {
		v = reminderView{Lang: "en", Title: "Reminder", Salutation: "Hello", Link: v.Link, Deadline: tenant.MailDay(d, true) + " at " + tenant.MailClock(d, true),
			LinkLabel: "Cast your vote"}
		subject = fmt.Sprintf("Reminder: written procedure \"%s\" – your vote is missing", r.Title)
		v.Intro = fmt.Sprintf("you have not yet voted in the written procedure \"%s\" of the committee %s (%s).", r.Title, r.CommitteeName, r.TenantName)
		v.ClosesPre, v.ClosesPost = "Voting closes on ", ". The procedure is then closed and counted."
	}
	if r.To.DisplayName != "" {
		v.Salutation += " " + r.To.DisplayName
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s,\n\n%s\n\n%s%s%s\n\n", v.Salutation, v.Intro, v.ClosesPre, v.Deadline, v.ClosesPost)
	fmt.Fprintf(&b, "%s:\n%s\n", v.LinkLabel, v.Link)
	return subject, b.String(), renderMail(reminderHTML, v)
}

var reminderHTML = template.Must(template.New("reminder").Parse(`<!DOCTYPE html>
<html lang="{{.Lang}}"><head><meta charset="utf-8"><title>{{.Title}}</title></head>
<body style="font-family: sans-serif; line-height: 1.5">
<p>{{.Salutation}},</p>
<p>{{.Intro}}</p>
<p>{{.ClosesPre}}<strong>{{.Deadline}}</strong>{{.ClosesPost}}</p>
<p><a href="{{.Link}}">{{.LinkLabel}}</a></p>
</body></html>
`))

func renderMail(t *template.Template, v any) string {
	var b strings.Builder
	if err := t.Execute(&b, v); err != nil {
		return "" // the templates are fixed; an error is a programming error caught by the tests
	}
	return b.String()
}
