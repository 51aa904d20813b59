package meetings_test

import (
	"bytes"
	"context"
	"log/slog"
	"mime"
	"net/mail"
	"strings"
	"testing"
	"time"

	ics "github.com/arran4/golang-ical"
	"github.com/google/uuid"
	kmail "github.com/kollab/kollab/internal/mail"
	"github.com/kollab/kollab/internal/testenv"
	"github.com/kollab/kollab/meetings"
	"github.com/kollab/kollab/meetings/render"
)

// smtpMails is the committee mails sent over SMTP to the server at addr.
func smtpMails(t *testing.T, addr, from, publicURL string) *meetings.Mails {
	t.Helper()
	m, err := kmail.NewSMTP(kmail.Config{URL: "smtp://" + addr + "?tls=none", From: from, PublicURL: publicURL})
	if err != nil {
		t.Fatal(err)
	}
	return meetings.NewMails(m, render.Renderer{}, publicURL, from)
}

func testInvitation() meetings.MeetingInvitationMail {
	start := time.Date(2026, 3, 16, 16, 0, 0, 0, time.UTC) // 17:00 in Berlin
	return meetings.MeetingInvitationMail{
		MeetingEvent: meetings.MeetingEvent{TenantID: uuid.New(), TenantSlug: "stadt", TenantName: "Stadt Groß-Umstädt",
			CommitteeName: "Ausschuss für Umwelt und Verkehr",
			Meeting: meetings.Meeting{ID: uuid.MustParse("01952f3e-0000-7000-8000-000000000001"), Title: "Sitzung über Straßenbäume",
				StartsAt: start, EndsAt: start.Add(2 * time.Hour), Place: "Rathaus, Großer Saal", OnlineURL: "https://video.example/raum-1",
				State: meetings.Invited, CreatedAt: start.Add(-240 * time.Hour), UpdatedAt: start.Add(-200 * time.Hour)},
			Agenda: []meetings.AgendaLine{{Number: 1, Title: "Bäume an der Hauptstraße", Public: true},
				{Number: 2, Title: "Grundstücksangelegenheit Müller", Public: false}},
		},
		To:    meetings.Recipient{MembershipID: uuid.New(), Email: "juergen.mueller@stadt.example", DisplayName: "Jürgen Müller", Locale: "de"},
		Stamp: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC),
	}
}

func TestMeetingInvitationOverSMTP(t *testing.T) {
	in, addr := testenv.StartInbox(t)
	m := smtpMails(t, addr, "Kollab Gremien <noreply@kollab.example>", "https://kollab.example/")
	inv := testInvitation()
	if err := m.SendMeetingInvitation(context.Background(), inv); err != nil {
		t.Fatal(err)
	}
	upd := testInvitation()
	upd.Update, upd.Sequence, upd.Meeting.Place = true, 1, "Bürgerhaus Süd"
	if err := m.SendMeetingInvitation(context.Background(), upd); err != nil {
		t.Fatal(err)
	}
	if len(in.Messages()) != 2 {
		t.Fatalf("%d messages", len(in.Messages()))
	}
	seen := map[string]bool{}
	for i, want := range []struct {
		subject, location string
		sequence          string
	}{
		{"Einladung: Ausschuss für Umwelt und Verkehr – Sitzung über Straßenbäume, 16.03.2026", "Rathaus, Großer Saal", "0"},
		{"Geänderte Einladung: Ausschuss für Umwelt und Verkehr – Sitzung über Straßenbäume, 16.03.2026", "Bürgerhaus Süd", "1"},
	} {
		got := in.Messages()[i]
		if got.From != "noreply@kollab.example" || len(got.To) != 1 || got.To[0] != "juergen.mueller@stadt.example" {
			t.Fatalf("envelope: %+v", got)
		}
		msg, err := mail.ReadMessage(strings.NewReader(got.Data))
		if err != nil {
			t.Fatal(err)
		}
		if id := testenv.CheckMessageID(t, msg.Header, "kollab.example"); seen[id] {
			t.Errorf("Message-ID %s twice", id)
		} else {
			seen[id] = true
		}
		subject, _ := new(mime.WordDecoder).DecodeHeader(msg.Header.Get("Subject"))
		if subject != want.subject {
			t.Errorf("subject %q, want %q", subject, want.subject)
		}
		to, err := new(mail.AddressParser).Parse(msg.Header.Get("To"))
		if err != nil || to.Name != "Jürgen Müller" {
			t.Errorf("To %q: %v %v", msg.Header.Get("To"), to, err)
		}
		parts := testenv.MailParts(t, msg.Header, msg.Body)
		var text, html, alt, att *testenv.MailPart
		for j := range parts {
			p := &parts[j]
			switch {
			case p.Disposition == "attachment":
				att = p
			case p.ContentType == "text/plain":
				text = p
			case p.ContentType == "text/html":
				html = p
			case p.ContentType == "text/calendar":
				alt = p
			}
		}
		if text == nil || html == nil || alt == nil || att == nil {
			t.Fatalf("parts: text %v html %v calendar %v attachment %v (%d parts)", text != nil, html != nil, alt != nil, att != nil, len(parts))
		}
		for _, s := range []string{"Jürgen Müller", "Montag, 16.03.2026, 17:00–19:00 Uhr", "Ort: " + want.location,
			"TOP 1: Bäume an der Hauptstraße", "TOP 2: Grundstücksangelegenheit Müller (nichtöffentlich)",
			"https://kollab.example/t/stadt/meetings/01952f3e-0000-7000-8000-000000000001", "Online-Teilnahme: https://video.example/raum-1"} {
			if !strings.Contains(text.Body, s) {
				t.Errorf("text lacks %q:\n%s", s, text.Body)
			}
		}
		if !strings.Contains(html.Body, "Straßenbäume") || !strings.Contains(html.Body, `href="https://kollab.example/t/stadt/meetings/`) {
			t.Errorf("html:\n%s", html.Body)
		}
		if att.Filename != meetings.InvitationAttachment || att.ContentType != "text/calendar" || !strings.EqualFold(att.Params["method"], "REQUEST") {
			t.Errorf("attachment %q %q %v", att.Filename, att.ContentType, att.Params)
		}
		if alt.Body != att.Body || !strings.HasPrefix(att.Body, "BEGIN:VCALENDAR\r\n") {
			t.Errorf("the calendar alternative and the attachment differ:\n%q\n%q", alt.Body[:80], att.Body[:80])
		}

		cal, err := ics.ParseCalendar(strings.NewReader(att.Body))
		if err != nil {
			t.Fatalf("parse ics: %v\n%s", err, att.Body)
		}
		var method string
		for _, p := range cal.CalendarProperties {
			if p.IANAToken == string(ics.PropertyMethod) {
				method = p.Value
			}
		}
		if method != "REQUEST" {
			t.Errorf("METHOD %q", method)
		}
		evs := cal.Events()
		if len(evs) != 1 {
			t.Fatalf("%d events", len(evs))
		}
		ev := evs[0]
		prop := func(p ics.ComponentProperty) string {
			if x := ev.GetProperty(p); x != nil {
				return x.Value
			}
			return ""
		}
		start, err := ev.GetStartAt()
		if err != nil || !start.Equal(inv.Meeting.StartsAt) {
			t.Errorf("DTSTART %v %v", start, err)
		}
		if prop(ics.ComponentPropertyDtStart) != "20260316T160000Z" || prop(ics.ComponentPropertyDtEnd) != "20260316T180000Z" {
			t.Errorf("DTSTART %q DTEND %q", prop(ics.ComponentPropertyDtStart), prop(ics.ComponentPropertyDtEnd))
		}
		stamp, err := ev.GetDtStampTime()
		if err != nil || !stamp.Equal(inv.Stamp) {
			t.Errorf("DTSTAMP %v %v", stamp, err)
		}
		for p, want := range map[ics.ComponentProperty]string{
			ics.ComponentPropertyUniqueId:  "meeting-01952f3e-0000-7000-8000-000000000001@kollab",
			ics.ComponentPropertySummary:   "Ausschuss für Umwelt und Verkehr: Sitzung über Straßenbäume",
			ics.ComponentPropertyLocation:  want.location,
			ics.ComponentPropertySequence:  want.sequence,
			ics.ComponentPropertyUrl:       "https://kollab.example/t/stadt/meetings/01952f3e-0000-7000-8000-000000000001",
			ics.ComponentPropertyOrganizer: "mailto:noreply@kollab.example",
		} {
			if got := ics.FromText(prop(p)); got != want {
				t.Errorf("%s = %q, want %q", p, got, want)
			}
		}
		desc := ics.FromText(prop(ics.ComponentPropertyDescription))
		if !strings.Contains(desc, "TOP 1: Bäume an der Hauptstraße\nTOP 2: Grundstücksangelegenheit Müller (nichtöffentlich)") {
			t.Errorf("DESCRIPTION %q", desc)
		}
		if org := ev.GetProperty(ics.ComponentPropertyOrganizer); org == nil || org.ICalParameters["CN"][0] != "Kollab Gremien" {
			t.Errorf("ORGANIZER %+v", org)
		}
		att0 := ev.Attendees()
		if len(att0) != 1 || att0[0].Email() != "juergen.mueller@stadt.example" {
			t.Errorf("ATTENDEE %+v", att0)
		}
	}
}

// A cancellation: the mail says the meeting is off and why, and carries the
// calendar event as an iTIP CANCEL (RFC 5546 §3.2.5) that a calendar
// matches with the invitation: the same UID, a higher SEQUENCE,
// STATUS:CANCELLED, and the ORGANIZER and ATTENDEE of the REQUEST.
func TestMeetingCancellationOverSMTP(t *testing.T) {
	in, addr := testenv.StartInbox(t)
	m := smtpMails(t, addr, "Kollab Gremien <noreply@kollab.example>", "https://kollab.example/")
	inv := testInvitation()
	c := meetings.MeetingCancellationMail{MeetingEvent: inv.MeetingEvent, To: inv.To, Stamp: time.Date(2026, 3, 10, 8, 30, 0, 0, time.UTC),
		MessageKey: "01952f3e-0000-7000-8000-0000000000cc"}
	c.Sequence = 2
	c.Meeting.State = meetings.Cancelled
	c.Meeting.CancelReason = "Der Sitzungssaal ist wegen eines Wasserschadens gesperrt."
	if err := m.SendMeetingCancellation(context.Background(), c); err != nil {
		t.Fatal(err)
	}
	if len(in.Messages()) != 1 || in.Messages()[0].To[0] != "juergen.mueller@stadt.example" {
		t.Fatalf("messages: %+v", in.Messages())
	}
	msg, err := mail.ReadMessage(strings.NewReader(in.Messages()[0].Data))
	if err != nil {
		t.Fatal(err)
	}
	if id := testenv.CheckMessageID(t, msg.Header, "kollab.example"); id != "<kollab.01952f3e-0000-7000-8000-0000000000cc@kollab.example>" {
		t.Errorf("Message-ID %s", id)
	}
	subject, _ := new(mime.WordDecoder).DecodeHeader(msg.Header.Get("Subject"))
	if subject != "Abgesagt: Ausschuss für Umwelt und Verkehr – Sitzung über Straßenbäume, 16.03.2026" {
		t.Errorf("subject %q", subject)
	}
	var text, html, alt, att *testenv.MailPart
	parts := testenv.MailParts(t, msg.Header, msg.Body)
	for j := range parts {
		p := &parts[j]
		switch {
		case p.Disposition == "attachment":
			att = p
		case p.ContentType == "text/plain":
			text = p
		case p.ContentType == "text/html":
			html = p
		case p.ContentType == "text/calendar":
			alt = p
		}
	}
	if text == nil || html == nil || alt == nil || att == nil {
		t.Fatalf("parts: text %v html %v calendar %v attachment %v", text != nil, html != nil, alt != nil, att != nil)
	}
	for _, s := range []string{"Jürgen Müller", "ist abgesagt. Sie findet nicht statt.", "Termin: Montag, 16.03.2026, 17:00–19:00 Uhr",
		"Ort: Rathaus, Großer Saal", "Grund der Absage: Der Sitzungssaal ist wegen eines Wasserschadens gesperrt.",
		"https://kollab.example/t/stadt/meetings/01952f3e-0000-7000-8000-000000000001", "absage.ics"} {
		if !strings.Contains(text.Body, s) {
			t.Errorf("text lacks %q:\n%s", s, text.Body)
		}
	}
	if !strings.Contains(html.Body, "Wasserschadens") || !strings.Contains(html.Body, "<del>") {
		t.Errorf("html:\n%s", html.Body)
	}
	if att.Filename != meetings.CancellationAttachment || !strings.EqualFold(att.Params["method"], "CANCEL") || !strings.EqualFold(alt.Params["method"], "CANCEL") {
		t.Errorf("attachment %q %v, alternative %v", att.Filename, att.Params, alt.Params)
	}
	if alt.Body != att.Body {
		t.Error("the calendar alternative and the attachment differ")
	}
	cal, err := ics.ParseCalendar(strings.NewReader(att.Body))
	if err != nil {
		t.Fatalf("parse ics: %v\n%s", err, att.Body)
	}
	var method string
	for _, p := range cal.CalendarProperties {
		if p.IANAToken == string(ics.PropertyMethod) {
			method = p.Value
		}
	}
	if method != "CANCEL" {
		t.Errorf("METHOD %q", method)
	}
	evs := cal.Events()
	if len(evs) != 1 {
		t.Fatalf("%d events", len(evs))
	}
	ev := evs[0]
	prop := func(p ics.ComponentProperty) string {
		if x := ev.GetProperty(p); x != nil {
			return ics.FromText(x.Value)
		}
		return ""
	}
	for p, want := range map[ics.ComponentProperty]string{
		ics.ComponentPropertyUniqueId:  "meeting-01952f3e-0000-7000-8000-000000000001@kollab",
		ics.ComponentPropertySequence:  "2",
		ics.ComponentPropertyStatus:    "CANCELLED",
		ics.ComponentPropertyOrganizer: "mailto:noreply@kollab.example",
		ics.ComponentPropertySummary:   "Abgesagt: Ausschuss für Umwelt und Verkehr: Sitzung über Straßenbäume",
		ics.ComponentPropertyDtStart:   "20260316T160000Z",
	} {
		if got := prop(p); got != want {
			t.Errorf("%s = %q, want %q", p, got, want)
		}
	}
	if stamp, err := ev.GetDtStampTime(); err != nil || !stamp.Equal(c.Stamp) {
		t.Errorf("DTSTAMP %v %v", stamp, err)
	}
	if !strings.Contains(prop(ics.ComponentPropertyDescription), "Grund: Der Sitzungssaal ist wegen eines Wasserschadens gesperrt.") {
		t.Errorf("DESCRIPTION %q", prop(ics.ComponentPropertyDescription))
	}
	if org := ev.GetProperty(ics.ComponentPropertyOrganizer); org == nil || org.ICalParameters["CN"][0] != "Kollab Gremien" {
		t.Errorf("ORGANIZER %+v", org)
	}
	if as := ev.Attendees(); len(as) != 1 || as[0].Email() != "juergen.mueller@stadt.example" {
		t.Errorf("ATTENDEE %+v", as)
	}
}

func TestPollReminderOverSMTP(t *testing.T) {
	in, addr := testenv.StartInbox(t)
	m := smtpMails(t, addr, "noreply@kollab.example", "https://kollab.example")
	// The member's language decides the mail's: German by default, English
	// for a member who chose English.
	for i, c := range []struct {
		locale, subject string
		text            []string
		html            string
	}{
		{"de", "Erinnerung: Umlaufverfahren „Zuschuss für den Förderverein“ – Ihre Stimme fehlt noch",
			[]string{"Guten Tag Ada", "Mittwoch, 01.07.2026 um 12:00 Uhr", "Die Frist endet am", "Hauptausschuss", "Zur Abstimmung"},
			`<html lang="de">`},
		{"en", "Reminder: written procedure \"Zuschuss für den Förderverein\" – your vote is missing",
			[]string{"Hello Ada", "Wednesday, 1 July 2026 at 12:00 CEST", "Voting closes on", "Hauptausschuss", "Cast your vote"},
			`<html lang="en">`},
	} {
		r := meetings.PollReminderMail{TenantSlug: "stadt", TenantName: "Stadt", CommitteeName: "Hauptausschuss",
			PollID: uuid.MustParse("01952f3e-0000-7000-8000-0000000000aa"), Title: "Zuschuss für den Förderverein",
			Deadline: time.Date(2026, 7, 1, 10, 0, 0, 0, time.UTC), To: meetings.Recipient{Email: "ada@stadt.example", DisplayName: "Ada", Locale: c.locale},
			MessageKey: "01952f3e-0000-7000-8000-0000000000bb"}
		if err := m.SendPollReminder(context.Background(), r); err != nil {
			t.Fatal(err)
		}
		if len(in.Messages()) != i+1 {
			t.Fatalf("%d messages", len(in.Messages()))
		}
		msg, err := mail.ReadMessage(strings.NewReader(in.Messages()[i].Data))
		if err != nil {
			t.Fatal(err)
		}
		// The queued mail's key names it: every attempt has the same Message-ID.
		if id := testenv.CheckMessageID(t, msg.Header, "kollab.example"); id != "<kollab.01952f3e-0000-7000-8000-0000000000bb@kollab.example>" {
			t.Errorf("Message-ID %s", id)
		}
		subject, _ := new(mime.WordDecoder).DecodeHeader(msg.Header.Get("Subject"))
		if subject != c.subject {
			t.Errorf("%s: subject %q", c.locale, subject)
		}
		var text, html string
		for _, p := range testenv.MailParts(t, msg.Header, msg.Body) {
			switch p.ContentType {
			case "text/plain":
				text = p.Body
			case "text/html":
				html = p.Body
			}
		}
		for _, s := range append(c.text, "https://kollab.example/t/stadt/polls/01952f3e-0000-7000-8000-0000000000aa") {
			if !strings.Contains(text, s) {
				t.Errorf("%s: text lacks %q:\n%s", c.locale, s, text)
			}
		}
		if !strings.Contains(html, c.html) || !strings.Contains(html, "<strong>") {
			t.Errorf("%s: html:\n%s", c.locale, html)
		}
	}
}

// A member who chose English gets the meeting invitation in English, all
// of it: subject, text and HTML (with lang="en").
func TestMeetingInvitationInEnglish(t *testing.T) {
	inv := testInvitation()
	inv.To.Locale = "en"
	subject, text, html := meetings.MeetingInvitationText("https://kollab.example", inv)
	if subject != "Invitation: Ausschuss für Umwelt und Verkehr – Sitzung über Straßenbäume, 16 March 2026" {
		t.Errorf("subject %q", subject)
	}
	for _, s := range []string{"Hello Jürgen Müller", "you are invited to the meeting", "When: Monday, 16 March 2026, 17:00–19:00 CET",
		"Where: Rathaus, Großer Saal", "Item 2: Grundstücksangelegenheit Müller (closed session)", "Agenda and meeting papers in Kollab",
		"The calendar entry is attached"} {
		if !strings.Contains(text, s) {
			t.Errorf("text lacks %q:\n%s", s, text)
		}
	}
	for _, s := range []string{"Einladung", "Tagesordnung", "Uhr", "nichtöffentlich"} {
		if strings.Contains(text, s) || strings.Contains(subject, s) {
			t.Errorf("English invitation contains German %q:\n%s", s, text)
		}
	}
	if !strings.Contains(html, `<html lang="en">`) || !strings.Contains(html, ">Join online<") {
		t.Errorf("html:\n%s", html)
	}
	inv.Update = true
	if subject, _, _ := meetings.MeetingInvitationText("https://kollab.example", inv); !strings.HasPrefix(subject, "Changed invitation: ") {
		t.Errorf("update subject %q", subject)
	}
}

func TestLogMailerLogsCommitteeMails(t *testing.T) {
	var buf bytes.Buffer
	m := meetings.NewMails(&kmail.LogMailer{Log: slog.New(slog.NewJSONHandler(&buf, nil))}, render.Renderer{}, "https://kollab.example", "")
	if err := m.SendMeetingInvitation(context.Background(), testInvitation()); err != nil {
		t.Fatal(err)
	}
	if err := m.SendPollReminder(context.Background(), meetings.PollReminderMail{TenantSlug: "stadt", Title: "X", PollID: uuid.New(),
		To: meetings.Recipient{Email: "a@b.example"}}); err != nil {
		t.Fatal(err)
	}
	c := meetings.MeetingCancellationMail{MeetingEvent: testInvitation().MeetingEvent, To: meetings.Recipient{Email: "c@d.example"}}
	c.Meeting.CancelReason = "Wasserschaden"
	if err := m.SendMeetingCancellation(context.Background(), c); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	if !strings.Contains(out, "juergen.mueller@stadt.example") || !strings.Contains(out, "/t/stadt/meetings/") || !strings.Contains(out, "/t/stadt/polls/") ||
		!strings.Contains(out, "meeting cancellation not mailed") || !strings.Contains(out, "Wasserschaden") {
		t.Fatalf("log: %s", out)
	}
}

func TestMeetingCancellationInEnglish(t *testing.T) {
	inv := testInvitation()
	inv.To.Locale = "en"
	c := meetings.MeetingCancellationMail{MeetingEvent: inv.MeetingEvent, To: inv.To}
	c.Meeting.CancelReason = "Der Sitzungssaal ist gesperrt."
	subject, text, html := meetings.MeetingCancellationText("https://kollab.example", c)
	if subject != "Cancelled: Ausschuss für Umwelt und Verkehr – Sitzung über Straßenbäume, 16 March 2026" {
		t.Errorf("subject %q", subject)
	}
	for _, s := range []string{"Hello Jürgen Müller", "is cancelled. It will not take place.", "When: Monday, 16 March 2026, 17:00–19:00 CET",
		"Reason: Der Sitzungssaal ist gesperrt.", "absage.ics"} {
		if !strings.Contains(text, s) {
			t.Errorf("text lacks %q:\n%s", s, text)
		}
	}
	for _, s := range []string{"Abgesagt", "Termin", "Uhr", "Grund der Absage"} {
		if strings.Contains(text, s) || strings.Contains(subject, s) {
			t.Errorf("English cancellation contains German %q:\n%s", s, text)
		}
	}
	if !strings.Contains(html, `<html lang="en">`) || !strings.Contains(html, "(cancelled)") {
		t.Errorf("html:\n%s", html)
	}
}
