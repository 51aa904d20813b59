package testenv

import (
	"encoding/base64"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net"
	"net/mail"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/emersion/go-smtp"
)

// Inbox is an in-process SMTP server that keeps what it receives (for the
// tests of the mails that tenant and meetings compose and internal/mail sends).
type Inbox struct {
	mu   sync.Mutex
	msgs []Received
}

// Received is one mail as the SMTP server got it.
type Received struct {
	From string
	To   []string
	Data string
}

type inboxSession struct {
	in  *Inbox
	cur Received
}

func (s *inboxSession) Reset()        { s.cur = Received{} }
func (s *inboxSession) Logout() error { return nil }
func (s *inboxSession) Mail(from string, _ *smtp.MailOptions) error {
	s.cur.From = from
	return nil
}
func (s *inboxSession) Rcpt(to string, _ *smtp.RcptOptions) error {
	s.cur.To = append(s.cur.To, to)
	return nil
}
func (s *inboxSession) Data(r io.Reader) error {
	b, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	s.cur.Data = string(b)
	s.in.mu.Lock()
	s.in.msgs = append(s.in.msgs, s.cur)
	s.in.mu.Unlock()
	return nil
}

// StartInbox starts an SMTP server on 127.0.0.1 for the test and returns
// it with its address (host:port); it accepts mail without TLS.
func StartInbox(t *testing.T) (*Inbox, string) {
	t.Helper()
	in := &Inbox{}
	srv := smtp.NewServer(smtp.BackendFunc(func(*smtp.Conn) (smtp.Session, error) { return &inboxSession{in: in}, nil }))
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

// Messages returns the mails received so far.
func (in *Inbox) Messages() []Received {
	in.mu.Lock()
	defer in.mu.Unlock()
	return append([]Received(nil), in.msgs...)
}

// MailPart is one leaf of a MIME message, its body decoded.
type MailPart struct {
	ContentType string
	Params      map[string]string
	Disposition string
	Filename    string
	Body        string
}

// MailParts walks a MIME entity (a message's header and body) and returns
// its leaf parts, decoded (base64, quoted-printable).
func MailParts(t *testing.T, header map[string][]string, body io.Reader) []MailPart {
	t.Helper()
	get := func(k string) string {
		if vs := header[k]; len(vs) > 0 {
			return vs[0]
		}
		return ""
	}
	ct, params, err := mime.ParseMediaType(get("Content-Type"))
	if err != nil {
		t.Fatalf("content type %q: %v", get("Content-Type"), err)
	}
	if strings.HasPrefix(ct, "multipart/") {
		var out []MailPart
		r := multipart.NewReader(body, params["boundary"])
		for {
			p, err := r.NextRawPart()
			if err == io.EOF {
				return out
			}
			if err != nil {
				t.Fatal(err)
			}
			out = append(out, MailParts(t, p.Header, p)...)
		}
	}
	raw, err := io.ReadAll(body)
	if err != nil {
		t.Fatal(err)
	}
	text := string(raw)
	switch strings.ToLower(get("Content-Transfer-Encoding")) {
	case "base64":
		b, err := base64.StdEncoding.DecodeString(strings.Join(strings.Fields(text), ""))
		if err != nil {
			t.Fatalf("base64: %v", err)
		}
		text = string(b)
	case "quoted-printable":
		text = DecodeQP(text, "quoted-printable")
	}
	p := MailPart{ContentType: ct, Params: params, Body: text}
	if d := get("Content-Disposition"); d != "" {
		disp, dp, err := mime.ParseMediaType(d)
		if err != nil {
			t.Fatalf("disposition %q: %v", d, err)
		}
		p.Disposition, p.Filename = disp, dp["filename"]
	}
	return []MailPart{p}
}

// DecodeQP decodes s when enc (a Content-Transfer-Encoding) is
// quoted-printable, and returns it unchanged otherwise.
func DecodeQP(s, enc string) string {
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

// CheckMessageID asserts that a mail has exactly one valid Message-ID
// whose domain is domain, and returns it.
func CheckMessageID(t *testing.T, h mail.Header, domain string) string {
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
