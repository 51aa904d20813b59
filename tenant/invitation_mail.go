package tenant

// The invitation mail, composed here and sent by a MailSender
// (internal/mail's SMTPMailer, or its LogMailer without an SMTP server).
// Its link is a credential and never reaches the log: the inviting admin
// is shown it once, in the answer to the invitation, and hands it over.

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/kollab/kollab/internal/mail"
)

// MailSender sends a composed mail; Configured reports whether mails
// really leave (internal/mail's senders implement it).
type MailSender interface {
	Send(ctx context.Context, m mail.Message) error
	Configured() bool
}

// InvitationMailer composes invitation mails and hands them to a MailSender.
// It implements Mailer.
type InvitationMailer struct {
	sender    MailSender
	publicURL string
}

// NewInvitationMailer returns the invitation mailer that sends through
// sender, with links under publicURL.
func NewInvitationMailer(sender MailSender, publicURL string) *InvitationMailer {
	return &InvitationMailer{sender: sender, publicURL: publicURL}
}

// Configured reports whether invitation mails really leave (not only logged).
func (m *InvitationMailer) Configured() bool { return m.sender.Configured() }

// SendInvitation implements Mailer. Without an SMTP server the log notes
// neither the link nor the text that carries it (whoever reads the log
// could accept the invitation): the admin console shows the inviting admin
// the link once.
func (m *InvitationMailer) SendInvitation(ctx context.Context, inv InvitationMail) error {
	subject, body := InvitationText(m.publicURL, inv)
	return m.sender.Send(ctx, mail.Message{To: inv.To, Subject: subject, Text: body,
		Log: mail.LogEntry{Level: slog.LevelWarn, Msg: "invitation not mailed; " +
			"the inviting admin was shown the link in the admin console and hands it over",
			Attrs: []any{"tenant", inv.TenantSlug, "expires_at", inv.ExpiresAt}}})
}

// EnglishMail reports whether a mail to someone with this locale is written in English.
func EnglishMail(locale string) bool { return strings.HasPrefix(locale, LangEnglish) }

// MailDay is a date with its weekday: "Montag, 16.03.2026" or "Monday, 16 March 2026".
func MailDay(t time.Time, en bool) string {
	if en {
		return t.Format("Monday, 2 January 2006")
	}
	return WeekdaysDE[t.Weekday()] + ", " + t.Format("02.01.2006")
}

// MailClock is a time of day with the zone in English ("17:00 CET"), with "Uhr" in German.
func MailClock(t time.Time, en bool) string {
	if en {
		return t.Format("15:04 MST")
	}
	return t.Format("15:04") + " Uhr"
}

var roleNames = map[bool]map[Role]string{
	false: {RoleAdmin: "Administration", RoleStaff: "Mitarbeitende", RoleCommittee: "Gremienmitglied",
		RolePartner: "Externe Partnerin / externer Partner"},
	true: {RoleAdmin: "administrator", RoleStaff: "staff member", RoleCommittee: "committee member",
		RolePartner: "external partner"},
}

// InvitationText is the subject and plain-text body of an invitation to
// join a tenant, in inv.Locale's language: German, or English for an
// invitation sent on behalf of a tenant whose default language is English
// to an address without an account. Times are Berlin time in both.
func InvitationText(publicURL string, inv InvitationMail) (string, string) {
	link := AcceptURL(publicURL, inv.TenantSlug, inv.Token)
	exp := inv.ExpiresAt.In(Berlin)
	var b strings.Builder
	if EnglishMail(inv.Locale) {
		fmt.Fprintf(&b, "Hello,\n\n%s invites you to join \"%s\" on Kollab (role: %s).\n\n", inv.Inviter, inv.TenantName, roleNames[true][inv.Role])
		fmt.Fprintf(&b, "Please open this link to accept the invitation:\n%s\n\n", link)
		fmt.Fprintf(&b, "The link is valid until %s, %s and can be used only once.\n", MailDay(exp, true), MailClock(exp, true))
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
