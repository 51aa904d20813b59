package mail

// The texts of Kollab's mails, in the recipient's language: German, or
// English for a member who chose English (users.locale) and for an
// invitation sent on behalf of a tenant whose default language is English
// to an address without an account. Times are Berlin time in both.

import (
	"fmt"
	"html/template"
	"strings"
	"time"

	"github.com/kollab/kollab/meetings"
	"github.com/kollab/kollab/tenant"
)

// english reports whether a mail to someone with this locale is written in English.
func english(locale string) bool { return strings.HasPrefix(locale, tenant.LangEnglish) }

var (
	weekdaysDE = [...]string{"Sonntag", "Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag"}
	roleNames  = map[bool]map[tenant.Role]string{
		false: {tenant.RoleAdmin: "Administration", tenant.RoleStaff: "Mitarbeitende", tenant.RoleCommittee: "Gremienmitglied",
			tenant.RolePartner: "Externe Partnerin / externer Partner"},
		true: {tenant.RoleAdmin: "administrator", tenant.RoleStaff: "staff member", tenant.RoleCommittee: "committee member",
			tenant.RolePartner: "external partner"},
	}
)

// day is a date with its weekday: "Montag, 16.03.2026" or "Monday, 16 March 2026".
func day(t time.Time, en bool) string {
	if en {
		return t.Format("Monday, 2 January 2006")
	}
	return weekdaysDE[t.Weekday()] + ", " + t.Format("02.01.2006")
}

// clock is a time of day with the zone in English ("17:00 CET"), with "Uhr" in German.
func clock(t time.Time, en bool) string {
	if en {
		return t.Format("15:04 MST")
	}
	return t.Format("15:04") + " Uhr"
}

// when is a meeting's time in Berlin time: "Montag, 16.03.2026,
// 17:00–19:00 Uhr" (both dates when it ends on another day).
func when(start, end time.Time, en bool) string {
	loc := berlin()
	s, e := start.In(loc), end.In(loc)
	if s.Format("20060102") == e.Format("20060102") {
		return day(s, en) + ", " + s.Format("15:04") + "–" + clock(e, en)
	}
	return day(s, en) + ", " + clock(s, en) + " – " + day(e, en) + ", " + clock(e, en)
}

// InvitationText is the subject and plain-text body of an invitation to
// join a tenant, in inv.Locale's language.
func InvitationText(publicURL string, inv tenant.InvitationMail) (string, string) {
	link := tenant.AcceptURL(publicURL, inv.TenantSlug, inv.Token)
	exp := inv.ExpiresAt.In(berlin())
	var b strings.Builder
	if english(inv.Locale) {
		fmt.Fprintf(&b, "Hello,\n\n%s invites you to join \"%s\" on Kollab (role: %s).\n\n", inv.Inviter, inv.TenantName, roleNames[true][inv.Role])
		fmt.Fprintf(&b, "Please open this link to accept the invitation:\n%s\n\n", link)
		fmt.Fprintf(&b, "The link is valid until %s, %s and can be used only once.\n", day(exp, true), clock(exp, true))
		b.WriteString("If you did not expect this invitation, you can ignore this message.\n")
		return "Invitation to " + inv.TenantName + " (Kollab)", b.String()
	}
	fmt.Fprintf(&b, "Guten Tag,\n\n%s lädt Sie zu „%s“ auf Kollab ein (Rolle: %s).\n\n", inv.Inviter, inv.TenantName, roleNames[false][inv.Role])
	fmt.Fprintf(&b, "Bitte öffnen Sie diesen Link, um die Einladung anzunehmen:\n%s\n\n", link)
	fmt.Fprintf(&b, "Der Link ist gültig bis %s Uhr und kann nur einmal verwendet werden.\n", exp.Format("02.01.2006 15:04"))
	b.WriteString("Falls Sie diese Einladung nicht erwartet haben, können Sie diese Nachricht ignorieren.\n\n")
	// Whoever has no account yet may not read German: one line in English.
	fmt.Fprintf(&b, "--\nEnglish: %s invites you to join \"%s\" on Kollab. Open the link above to accept (valid until %s UTC).\n",
		inv.Inviter, inv.TenantName, inv.ExpiresAt.UTC().Format("2006-01-02 15:04"))
	return "Einladung zu " + inv.TenantName + " (Kollab)", b.String()
}

// invitationView is what a meeting invitation shows.
type invitationView struct {
	Lang, Title, Salutation, Intro, When, Place, Online, Link, Closing string
	WhenLabel, PlaceLabel, OnlineLabel, AgendaLabel, LinkLabel         string
	Agenda                                                             []string
}

// MeetingInvitationText is the subject, plain-text and HTML body of a
// meeting invitation in the member's language.
func MeetingInvitationText(publicURL string, inv meetings.MeetingInvitationMail) (subject, text, html string) {
	m := &inv.Meeting
	en := english(inv.To.Locale)
	v := invitationView{Lang: "de", Title: "Einladung", Salutation: "Guten Tag", When: when(m.StartsAt, m.EndsAt, en), Place: m.Place,
		Online: m.OnlineURL, Link: meetings.MeetingURL(publicURL, inv.TenantSlug, m.ID),
		WhenLabel: "Termin", PlaceLabel: "Ort", OnlineLabel: "Online-Teilnahme", AgendaLabel: "Tagesordnung",
		LinkLabel: "Tagesordnung und Sitzungsunterlagen in Kollab", Closing: "Der Termin liegt als Kalendereintrag (einladung.ics) bei."}
	date := m.StartsAt.In(berlin()).Format("02.01.2006")
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
		subject = fmt.Sprintf("Invitation: %s – %s, %s", inv.CommitteeName, m.Title, m.StartsAt.In(berlin()).Format("2 January 2006"))
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
	return subject, b.String(), render(invitationHTML, v)
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
func MeetingCancellationText(publicURL string, c meetings.MeetingCancellationMail) (subject, text, html string) {
	m := &c.Meeting
	en := english(c.To.Locale)
	v := cancellationView{Lang: "de", Title: "Absage", Salutation: "Guten Tag", When: when(m.StartsAt, m.EndsAt, en),
		Place: meetings.EventLocation(m), Reason: m.CancelReason, Link: meetings.MeetingURL(publicURL, c.TenantSlug, m.ID),
		WhenLabel: "Termin", Cancelled: "abgesagt", PlaceLabel: "Ort", ReasonLabel: "Grund der Absage", LinkLabel: "Die Sitzung in Kollab",
		Closing: "Die Absage liegt als Kalendereintrag (absage.ics) bei; Ihr Kalenderprogramm kann den Termin damit entfernen."}
	subject = fmt.Sprintf("Abgesagt: %s – %s, %s", c.CommitteeName, m.Title, m.StartsAt.In(berlin()).Format("02.01.2006"))
	v.Intro = fmt.Sprintf("die Sitzung „%s“ des Gremiums %s (%s), zu der Sie eingeladen wurden, ist abgesagt. Sie findet nicht statt.",
		m.Title, c.CommitteeName, c.TenantName)
	if en {
		v = cancellationView{Lang: "en", Title: "Cancellation", Salutation: "Hello", When: v.When, Place: v.Place, Reason: v.Reason, Link: v.Link,
			WhenLabel: "When", Cancelled: "cancelled", PlaceLabel: "Where", ReasonLabel: "Reason", LinkLabel: "The meeting in Kollab",
			Closing: "The cancellation is attached as a calendar entry (absage.ics); your calendar program can remove the meeting with it."}
		subject = fmt.Sprintf("Cancelled: %s – %s, %s", c.CommitteeName, m.Title, m.StartsAt.In(berlin()).Format("2 January 2006"))
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
	return subject, b.String(), render(cancellationHTML, v)
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
func PollReminderText(publicURL string, r meetings.PollReminderMail) (subject, text, html string) {
	en := english(r.To.Locale)
	d := r.Deadline.In(berlin())
	v := reminderView{Lang: "de", Title: "Erinnerung", Salutation: "Guten Tag", Link: meetings.PollURL(publicURL, r.TenantSlug, r.PollID),
		Deadline: day(d, false) + " um " + clock(d, false), LinkLabel: "Zur Abstimmung"}
	subject = fmt.Sprintf("Erinnerung: Umlaufverfahren „%s“ – Ihre Stimme fehlt noch", r.Title)
	v.Intro = fmt.Sprintf("im Umlaufverfahren „%s“ des Gremiums %s (%s) haben Sie noch nicht abgestimmt.", r.Title, r.CommitteeName, r.TenantName)
	v.ClosesPre, v.ClosesPost = "Die Frist endet am ", ". Danach wird das Verfahren geschlossen und ausgezählt."
	if en {
		v = reminderView{Lang: "en", Title: "Reminder", Salutation: "Hello", Link: v.Link, Deadline: day(d, true) + " at " + clock(d, true),
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
	return subject, b.String(), render(reminderHTML, v)
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

func render(t *template.Template, v any) string {
	var b strings.Builder
	if err := t.Execute(&b, v); err != nil {
		return "" // the templates are fixed; an error is a programming error caught by the tests
	}
	return b.String()
}
