// Package mail sends e-mails over SMTP with wneessen/go-mail. It knows no
// domain: the domains compose their mails (Message: recipient, subject,
// bodies, alternative parts, attachments) and hand them to a sender, the
// SMTPMailer, or without an SMTP server configured the LogMailer, which
// notes in the log that a mail was not sent. The log never carries a
// mail's bodies (an invitation's link is a credential): only what the
// composer put in Message.Log.
package mail

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"net/mail"
	"net/url"
	"strconv"
	"strings"
	"time"

	gomail "github.com/wneessen/go-mail"
)

// Config describes the SMTP server.
type Config struct {
	// URL is smtp://USER:PASS@host:port?tls=mandatory|opportunistic|none|ssl
	URL string
	// From is the sender, e.g. "Kollab <noreply@behoerde.example>".
	From string
	// PublicURL is Kollab's address; its host names the Message-IDs when
	// From has no usable domain.
	PublicURL string
}

// SMTPMailer sends mails over SMTP.
type SMTPMailer struct {
	cfg  Config
	host string
	opts []gomail.Option
	// idDomain is the domain part of every Message-ID.
	idDomain string
}

// NewSMTP parses cfg and returns a mailer.
func NewSMTP(cfg Config) (*SMTPMailer, error) {
	u, err := url.Parse(cfg.URL)
	if err != nil || (u.Scheme != "smtp" && u.Scheme != "smtps") || u.Hostname() == "" {
		return nil, fmt.Errorf("mail: KOLLAB_SMTP_URL must look like smtp://user:pass@host:587?tls=mandatory")
	}
	if cfg.From == "" {
		return nil, fmt.Errorf("mail: KOLLAB_MAIL_FROM is required with KOLLAB_SMTP_URL")
	}
	opts := []gomail.Option{gomail.WithTimeout(20 * time.Second)}
	port := 587
	if p := u.Port(); p != "" {
		if port, err = strconv.Atoi(p); err != nil {
			return nil, fmt.Errorf("mail: bad port %q", p)
		}
	}
	opts = append(opts, gomail.WithPort(port))
	switch tls := u.Query().Get("tls"); {
	case u.Scheme == "smtps" || tls == "ssl":
		opts = append(opts, gomail.WithSSL())
	case tls == "none":
		opts = append(opts, gomail.WithTLSPolicy(gomail.NoTLS))
	case tls == "opportunistic":
		opts = append(opts, gomail.WithTLSPolicy(gomail.TLSOpportunistic))
	case tls == "" || tls == "mandatory":
		opts = append(opts, gomail.WithTLSPolicy(gomail.TLSMandatory))
	default:
		return nil, fmt.Errorf("mail: unknown tls=%q", tls)
	}
	if u.User != nil && u.User.Username() != "" {
		pw, _ := u.User.Password()
		opts = append(opts, gomail.WithSMTPAuth(gomail.SMTPAuthAutoDiscover),
			gomail.WithUsername(u.User.Username()), gomail.WithPassword(pw))
	}
	return &SMTPMailer{cfg: cfg, host: u.Hostname(), opts: opts, idDomain: messageIDDomain(cfg.From, cfg.PublicURL)}, nil
}

// messageIDDomain is the domain part of Kollab's Message-IDs (RFC 5322
// §3.6.4): the sender's domain, else the public URL's host, else
// kollab.invalid; never the machine's host name, which go-mail would take
// (a container's name, "localhost.localdomain", or one with characters a
// dot-atom does not allow).
func messageIDDomain(from, publicURL string) string {
	if a, err := mail.ParseAddress(from); err == nil {
		if at := strings.LastIndexByte(a.Address, '@'); at >= 0 {
			if d := strings.ToLower(a.Address[at+1:]); isIDDomain(d) {
				return d
			}
		}
	}
	if u, err := url.Parse(publicURL); err == nil {
		if d := strings.ToLower(u.Hostname()); isIDDomain(d) {
			return d
		}
	}
	return "kollab.invalid"
}

// isIDDomain says whether d is a host name fit for a Message-ID: a
// dot-atom of letters, digits and hyphens with at least one dot (so not
// "localhost").
func isIDDomain(d string) bool {
	if len(d) == 0 || len(d) > 253 || !strings.Contains(d, ".") || strings.HasSuffix(d, ".localdomain") {
		return false
	}
	for _, label := range strings.Split(d, ".") {
		if label == "" || len(label) > 63 || label[0] == '-' || label[len(label)-1] == '-' {
			return false
		}
		for _, r := range label {
			if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-') {
				return false
			}
		}
	}
	return true
}

// setMessageID gives msg its Message-ID <key@domain>: key names the
// queued mail (the same in every attempt to send it); without a usable
// key, 128 random bits in hex. Both sides are valid dot-atoms.
func (m *SMTPMailer) setMessageID(msg *gomail.Msg, key string) {
	if !isIDKey(key) {
		var b [16]byte
		_, _ = rand.Read(b[:])
		key = hex.EncodeToString(b[:])
	}
	msg.SetMessageIDWithValue("kollab." + key + "@" + m.idDomain)
}

// isIDKey says whether k is fit for a Message-ID's local part: letters,
// digits and hyphens (a UUID), at most 64 of them.
func isIDKey(k string) bool {
	if k == "" || len(k) > 64 {
		return false
	}
	for _, r := range k {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-') {
			return false
		}
	}
	return true
}

// Message is one composed mail.
type Message struct {
	// To is the recipient's address; ToName, when set, their name.
	To, ToName string
	Subject    string
	// Text is the plain-text body; HTML, when set, its HTML alternative.
	Text, HTML string
	// Alternatives are further forms of the body after the HTML one, such
	// as an iTIP calendar (text/calendar; method=REQUEST, RFC 6047).
	Alternatives []Part
	// Attachments are files attached to the mail.
	Attachments []Attachment
	// Key names the mail in its Message-ID, the same in every attempt to
	// send it (a queued mail's id), so that a mail delivered twice is
	// recognised as one; empty: a random one.
	Key string
	// Log is what the LogMailer writes instead of sending the mail.
	Log LogEntry
}

// Part is an alternative form of a mail's body. It is sent base64-encoded,
// which keeps its bytes exactly (a calendar's CRLF line ends).
type Part struct {
	ContentType string
	Body        []byte
}

// Attachment is a file attached to a mail.
type Attachment struct {
	Name, ContentType string
	Data              []byte
}

// LogEntry is what the log says about a mail that is not sent: the
// message after "no SMTP server configured (KOLLAB_SMTP_URL): " at Level,
// with the recipient's address and Attrs (key, value pairs). The mail's
// subject and bodies are logged only when the composer puts them in
// Attrs: never a credential.
type LogEntry struct {
	Level slog.Level
	Msg   string
	Attrs []any
}

// Configured reports that mails leave through an SMTP server.
func (m *SMTPMailer) Configured() bool { return true }

// Send sends msg over SMTP.
func (m *SMTPMailer) Send(ctx context.Context, msg Message) error {
	g := gomail.NewMsg()
	if err := g.From(m.cfg.From); err != nil {
		return fmt.Errorf("mail: from: %w", err)
	}
	to := func() error { return g.To(msg.To) }
	if msg.ToName != "" {
		to = func() error { return g.AddToFormat(msg.ToName, msg.To) }
	}
	if err := to(); err != nil {
		return fmt.Errorf("mail: to: %w", err)
	}
	g.Subject(msg.Subject)
	g.SetDate()
	m.setMessageID(g, msg.Key)
	g.SetBodyString(gomail.TypeTextPlain, msg.Text)
	if msg.HTML != "" {
		g.AddAlternativeString(gomail.TypeTextHTML, msg.HTML)
	}
	for _, p := range msg.Alternatives {
		// base64 keeps the part's bytes (and line ends) exactly.
		g.AddAlternativeString(gomail.ContentType(p.ContentType), string(p.Body), gomail.WithPartEncoding(gomail.EncodingB64))
	}
	for _, a := range msg.Attachments {
		if err := g.AttachReader(a.Name, bytes.NewReader(a.Data), gomail.WithFileContentType(gomail.ContentType(a.ContentType))); err != nil {
			return fmt.Errorf("mail: attach %s: %w", a.Name, err)
		}
	}
	c, err := gomail.NewClient(m.host, m.opts...)
	if err != nil {
		return fmt.Errorf("mail: client: %w", err)
	}
	if err := c.DialAndSendWithContext(ctx, g); err != nil {
		return fmt.Errorf("mail: send: %w", err)
	}
	return nil
}

// LogMailer writes a line to the log instead of sending a mail.
type LogMailer struct {
	Log *slog.Logger
}

// Configured reports that no mail leaves: the HTTP layer tells the user so
// instead of claiming a mail was sent.
func (m *LogMailer) Configured() bool { return false }

// Send logs msg.Log (never the mail's bodies, see LogEntry).
func (m *LogMailer) Send(ctx context.Context, msg Message) error {
	m.Log.Log(ctx, msg.Log.Level, "no SMTP server configured (KOLLAB_SMTP_URL): "+msg.Log.Msg, append([]any{"to", msg.To}, msg.Log.Attrs...)...)
	return nil
}
