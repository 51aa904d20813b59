// Package mail sends Kollab's e-mails (invitations) over SMTP with
// wneessen/go-mail. Without an SMTP server configured, a LogMailer notes in
// the log that a mail was not sent. An invitation's link is a credential
// and never reaches the log: the inviting admin is shown it once, in the
// answer to the invitation, and hands it over.
package mail

import (
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

	"github.com/kollab/kollab/tenant"
	gomail "github.com/wneessen/go-mail"
)

// Config describes the SMTP server.
type Config struct {
	// URL is smtp://USER:PASS@host:port?tls=mandatory|opportunistic|none|ssl
	URL string
	// From is the sender, e.g. "Kollab <noreply@behoerde.example>".
	From string
	// PublicURL is the base of links in mails.
	PublicURL string
}

// SMTPMailer sends mails over SMTP.
type SMTPMailer struct {
	cfg    Config
	host   string
	opts   []gomail.Option
	public string
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
	return &SMTPMailer{cfg: cfg, host: u.Hostname(), opts: opts, public: cfg.PublicURL, idDomain: messageIDDomain(cfg.From, cfg.PublicURL)}, nil
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

// SendInvitation implements tenant.Mailer.
func (m *SMTPMailer) SendInvitation(ctx context.Context, inv tenant.InvitationMail) error {
	msg := gomail.NewMsg()
	if err := msg.From(m.cfg.From); err != nil {
		return fmt.Errorf("mail: from: %w", err)
	}
	if err := msg.To(inv.To); err != nil {
		return fmt.Errorf("mail: to: %w", err)
	}
	subject, body := InvitationText(m.public, inv)
	msg.Subject(subject)
	msg.SetDate()
	m.setMessageID(msg, "")
	msg.SetBodyString(gomail.TypeTextPlain, body)
	c, err := gomail.NewClient(m.host, m.opts...)
	if err != nil {
		return fmt.Errorf("mail: client: %w", err)
	}
	if err := c.DialAndSendWithContext(ctx, msg); err != nil {
		return fmt.Errorf("mail: send: %w", err)
	}
	return nil
}

// LogMailer writes mails to the log instead of sending them.
type LogMailer struct {
	Log       *slog.Logger
	PublicURL string
}

// Delivers reports that no mail leaves: the HTTP layer tells the user so
// instead of claiming a mail was sent.
func (m *LogMailer) Delivers() bool { return false }

// SendInvitation implements tenant.Mailer. It logs neither the link nor
// the text that carries it (whoever reads the log could accept the
// invitation): the admin console shows the inviting admin the link once.
func (m *LogMailer) SendInvitation(ctx context.Context, inv tenant.InvitationMail) error {
	m.Log.WarnContext(ctx, "no SMTP server configured (KOLLAB_SMTP_URL): invitation not mailed; "+
		"the inviting admin was shown the link in the admin console and hands it over", "to", inv.To,
		"tenant", inv.TenantSlug, "expires_at", inv.ExpiresAt)
	return nil
}

func berlin() *time.Location {
	if loc, err := time.LoadLocation("Europe/Berlin"); err == nil {
		return loc
	}
	return time.UTC
}
