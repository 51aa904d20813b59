package mail

import (
	"context"
	"mime"
	"net/mail"
	"strings"
	"testing"

	"github.com/kollab/kollab/internal/testenv"
)

// A message goes out as composed: envelope, To with the name, subject,
// Date, a Message-ID named by its key, the text with its HTML and further
// alternatives, and the attachments, their bytes exact.
func TestSendOverSMTP(t *testing.T) {
	in, addr := testenv.StartInbox(t)
	m, err := NewSMTP(Config{URL: "smtp://" + addr + "?tls=none", From: "Kollab <noreply@kollab.example>", PublicURL: "https://kollab.example/"})
	if err != nil {
		t.Fatal(err)
	}
	cal := "BEGIN:VCALENDAR\r\nMETHOD:REQUEST\r\nEND:VCALENDAR\r\n"
	msg := Message{To: "juergen.mueller@stadt.example", ToName: "Jürgen Müller", Subject: "Einladung: Straßenbäume", Text: "Guten Tag,\nText.",
		HTML: "<p>Guten Tag</p>", Alternatives: []Part{{ContentType: "text/calendar; method=REQUEST", Body: []byte(cal)}},
		Attachments: []Attachment{{Name: "einladung.ics", ContentType: "text/calendar; method=REQUEST; charset=utf-8", Data: []byte(cal)}},
		Key:         "01952f3e-0000-7000-8000-0000000000bb"}
	if err := m.Send(context.Background(), msg); err != nil {
		t.Fatal(err)
	}
	msgs := in.Messages()
	if len(msgs) != 1 || msgs[0].From != "noreply@kollab.example" || len(msgs[0].To) != 1 || msgs[0].To[0] != "juergen.mueller@stadt.example" {
		t.Fatalf("envelope: %+v", msgs)
	}
	got, err := mail.ReadMessage(strings.NewReader(msgs[0].Data))
	if err != nil {
		t.Fatal(err)
	}
	if id := testenv.CheckMessageID(t, got.Header, "kollab.example"); id != "<kollab.01952f3e-0000-7000-8000-0000000000bb@kollab.example>" {
		t.Errorf("Message-ID %s", id)
	}
	if _, err := got.Header.Date(); err != nil {
		t.Errorf("Date: %v", err)
	}
	if subject, _ := new(mime.WordDecoder).DecodeHeader(got.Header.Get("Subject")); subject != msg.Subject {
		t.Errorf("subject %q", subject)
	}
	if to, err := new(mail.AddressParser).Parse(got.Header.Get("To")); err != nil || to.Name != "Jürgen Müller" {
		t.Errorf("To %q: %v %v", got.Header.Get("To"), to, err)
	}
	var kinds []string
	for _, p := range testenv.MailParts(t, got.Header, got.Body) {
		kinds = append(kinds, p.ContentType+"/"+p.Disposition)
		switch {
		case p.Disposition == "attachment":
			if p.Filename != "einladung.ics" || p.Body != cal || p.Params["method"] != "REQUEST" {
				t.Errorf("attachment %q %v %q", p.Filename, p.Params, p.Body)
			}
		case p.ContentType == "text/plain":
			if strings.ReplaceAll(p.Body, "\r\n", "\n") != msg.Text { // quoted-printable ends lines in CRLF
				t.Errorf("text %q", p.Body)
			}
		case p.ContentType == "text/html":
			if p.Body != msg.HTML {
				t.Errorf("html %q", p.Body)
			}
		case p.ContentType == "text/calendar":
			if p.Body != cal {
				t.Errorf("calendar alternative %q", p.Body)
			}
		}
	}
	if strings.Join(kinds, " ") != "text/plain/ text/html/ text/calendar/ text/calendar/attachment" {
		t.Errorf("parts %q", kinds)
	}

	// Without a key, each mail gets its own random Message-ID; without a
	// name, To is the bare address.
	for range 2 {
		if err := m.Send(context.Background(), Message{To: "neu@stadt.example", Subject: "x", Text: "y"}); err != nil {
			t.Fatal(err)
		}
	}
	msgs = in.Messages()
	seen := map[string]bool{}
	for _, r := range msgs[1:] {
		got, err := mail.ReadMessage(strings.NewReader(r.Data))
		if err != nil {
			t.Fatal(err)
		}
		id := testenv.CheckMessageID(t, got.Header, "kollab.example")
		if seen[id] {
			t.Errorf("Message-ID %s twice", id)
		}
		seen[id] = true
		if to := got.Header.Get("To"); to != "<neu@stadt.example>" && to != "neu@stadt.example" {
			t.Errorf("To %q", to)
		}
	}
}

func TestSMTPConfigErrors(t *testing.T) {
	for _, c := range []Config{
		{URL: "http://mail.example", From: "a@b.example"},
		{URL: "smtp://mail.example:25", From: ""},
		{URL: "smtp://mail.example:x", From: "a@b.example"},
		{URL: "smtp://mail.example?tls=maybe", From: "a@b.example"},
	} {
		if _, err := NewSMTP(c); err == nil {
			t.Errorf("accepted %+v", c)
		}
	}
}

// The domain of a Message-ID is the sender's, else the public URL's host,
// never a machine name, "localhost" or something a dot-atom cannot hold.
func TestMessageIDDomain(t *testing.T) {
	for _, c := range []struct{ from, public, want string }{
		{"Kollab <noreply@Behoerde.Example>", "https://kollab.example/", "behoerde.example"},
		{"noreply@localhost", "https://kollab.stadt.example:8443/", "kollab.stadt.example"},
		{"noreply@[192.0.2.1]", "https://kollab.example", "kollab.example"},
		{"kaputt", "http://localhost:8080", "kollab.invalid"},
		{"", "", "kollab.invalid"},
		{"x@host_name.example", "http://[::1]:8080/", "kollab.invalid"},
	} {
		if got := messageIDDomain(c.from, c.public); got != c.want {
			t.Errorf("messageIDDomain(%q, %q) = %q, want %q", c.from, c.public, got, c.want)
		}
	}
}
