package mail

import (
	"context"
	"io"
	"mime"
	"mime/quotedprintable"
	"net"
	"net/mail"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-smtp"
	"github.com/kollab/kollab/tenant"
)

// inbox is an in-process SMTP server that keeps what it receives.
type inbox struct {
	mu   sync.Mutex
	msgs []received
}

type received struct {
	from string
	to   []string
	data string
}

type session struct {
	in  *inbox
	cur received
}

func (s *session) Reset()        { s.cur = received{} }
func (s *session) Logout() error { return nil }
func (s *session) Mail(from string, _ *smtp.MailOptions) error {
	s.cur.from = from
	return nil
}
func (s *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	s.cur.to = append(s.cur.to, to)
	return nil
}
func (s *session) Data(r io.Reader) error {
	b, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	s.cur.data = string(b)
	s.in.mu.Lock()
	s.in.msgs = append(s.in.msgs, s.cur)
	s.in.mu.Unlock()
	return nil
}

func startInbox(t *testing.T) (*inbox, string) {
	t.Helper()
	in := &inbox{}
	srv := smtp.NewServer(smtp.BackendFunc(func(*smtp.Conn) (smtp.Session, error) { return &session{in: in}, nil }))
	srv.Domain = "localhost"
	srv.AllowInsecureAuth = true
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go func() { _ = srv.Serve(ln) }()
	t.Cleanup(func() { _ = srv.Close() })
	return in, ln.Addr().String()
}

func TestInvitationMailOverSMTP(t *testing.T) {
	in, addr := startInbox(t)
	m, err := NewSMTP(Config{URL: "smtp://" + addr + "?tls=none", From: "Kollab <noreply@kollab.example>", PublicURL: "https://kollab.example/"})
	if err != nil {
		t.Fatal(err)
	}
	inv := tenant.InvitationMail{To: "neu@stadt.example", TenantSlug: "stadt", TenantName: "Stadt Musterhausen", Inviter: "Erika Muster",
		Role: tenant.RoleStaff, Token: "tok_abc-123", ExpiresAt: time.Date(2026, 12, 1, 9, 30, 0, 0, time.UTC)}
	if err := m.SendInvitation(context.Background(), inv); err != nil {
		t.Fatal(err)
	}
	if len(in.msgs) != 1 {
		t.Fatalf("%d messages", len(in.msgs))
	}
	got := in.msgs[0]
	if got.from != "noreply@kollab.example" || len(got.to) != 1 || got.to[0] != "neu@stadt.example" {
		t.Fatalf("envelope: %+v", got)
	}
	msg, err := mail.ReadMessage(strings.NewReader(got.data))
	if err != nil {
		t.Fatal(err)
	}
	checkMessageID(t, msg.Header, "kollab.example")
	if _, err := msg.Header.Date(); err != nil {
		t.Errorf("Date: %v", err)
	}
	subject, _ := new(mime.WordDecoder).DecodeHeader(msg.Header.Get("Subject"))
	if subject != "Einladung zu Stadt Musterhausen (Kollab)" {
		t.Fatalf("subject %q", subject)
	}
	body, _ := io.ReadAll(msg.Body)
	text := decodeQP(string(body), msg.Header.Get("Content-Transfer-Encoding"))
	for _, want := range []string{"https://kollab.example/invite/stadt#token=tok_abc-123", "01.12.2026 10:30 Uhr", "Erika Muster"} {
		if !strings.Contains(text, want) {
			t.Errorf("body lacks %q:\n%s", want, text)
		}
	}
}

// An invitation is written in the language Service.MailLanguage chose:
// German (with one English line for whoever has no account yet), or
// English throughout.
func TestInvitationTextLanguage(t *testing.T) {
	inv := tenant.InvitationMail{To: "neu@stadt.example", TenantSlug: "stadt", TenantName: "Stadt Musterhausen", Inviter: "Erika Muster",
		Role: tenant.RolePartner, Token: "tok", ExpiresAt: time.Date(2026, 12, 1, 9, 30, 0, 0, time.UTC)}
	subject, body := InvitationText("https://kollab.example", inv)
	if subject != "Einladung zu Stadt Musterhausen (Kollab)" || !strings.Contains(body, "Rolle: Externe Partnerin / externer Partner") ||
		!strings.Contains(body, "gültig bis 01.12.2026 10:30 Uhr") {
		t.Errorf("German: %q\n%s", subject, body)
	}
	inv.Locale = "en"
	subject, body = InvitationText("https://kollab.example", inv)
	if subject != "Invitation to Stadt Musterhausen (Kollab)" {
		t.Errorf("English subject %q", subject)
	}
	for _, s := range []string{"Hello,", "Erika Muster invites you to join \"Stadt Musterhausen\" on Kollab (role: external partner)",
		"valid until Tuesday, 1 December 2026, 10:30 CET", "https://kollab.example/invite/stadt#token=tok"} {
		if !strings.Contains(body, s) {
			t.Errorf("English body lacks %q:\n%s", s, body)
		}
	}
	if strings.Contains(body, "Guten Tag") || strings.Contains(body, "Uhr") {
		t.Errorf("English body has German:\n%s", body)
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

func decodeQP(s, enc string) string {
	if !strings.EqualFold(enc, "quoted-printable") {
		return s
	}
	b, err := io.ReadAll(quotedprintable.NewReader(strings.NewReader(s)))
	if err != nil {
		return s
	}
	return string(b)
}

// msgID is an RFC 5322 msg-id in its strict form: <dot-atom-text@dot-atom-text>.
var msgID = regexp.MustCompile("^<[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*@([A-Za-z0-9-]+)(\\.[A-Za-z0-9-]+)+>$")

// checkMessageID asserts that a mail has exactly one valid Message-ID
// whose domain is domain, and returns it.
func checkMessageID(t *testing.T, h mail.Header, domain string) string {
	t.Helper()
	ids := h["Message-Id"]
	if len(ids) != 1 {
		t.Fatalf("Message-ID headers: %q", ids)
	}
	id := ids[0]
	if !msgID.MatchString(id) || !strings.HasSuffix(id, "@"+domain+">") {
		t.Errorf("Message-ID %q: want <dot-atom@%s>", id, domain)
	}
	return id
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
