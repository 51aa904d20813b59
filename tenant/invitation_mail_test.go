package tenant_test

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"mime"
	netmail "net/mail"
	"strings"
	"testing"
	"time"

	"github.com/kollab/kollab/internal/mail"
	"github.com/kollab/kollab/internal/testenv"
	"github.com/kollab/kollab/tenant"
)

func TestInvitationMailOverSMTP(t *testing.T) {
	in, addr := testenv.StartInbox(t)
	sender, err := mail.NewSMTP(mail.Config{URL: "smtp://" + addr + "?tls=none", From: "Kollab <noreply@kollab.example>", PublicURL: "https://kollab.example/"})
	if err != nil {
		t.Fatal(err)
	}
	m := tenant.NewInvitationMailer(sender, "https://kollab.example/")
	inv := tenant.InvitationMail{To: "neu@stadt.example", TenantSlug: "stadt", TenantName: "Stadt Musterhausen", Inviter: "Erika Muster",
		Role: tenant.RoleStaff, Token: "tok_abc-123", ExpiresAt: time.Date(2026, 12, 1, 9, 30, 0, 0, time.UTC)}
	if err := m.SendInvitation(context.Background(), inv); err != nil {
		t.Fatal(err)
	}
	if len(in.Messages()) != 1 {
		t.Fatalf("%d messages", len(in.Messages()))
	}
	got := in.Messages()[0]
	if got.From != "noreply@kollab.example" || len(got.To) != 1 || got.To[0] != "neu@stadt.example" {
		t.Fatalf("envelope: %+v", got)
	}
	msg, err := netmail.ReadMessage(strings.NewReader(got.Data))
	if err != nil {
		t.Fatal(err)
	}
	testenv.CheckMessageID(t, msg.Header, "kollab.example")
	if _, err := msg.Header.Date(); err != nil {
		t.Errorf("Date: %v", err)
	}
	subject, _ := new(mime.WordDecoder).DecodeHeader(msg.Header.Get("Subject"))
	if subject != "Einladung zu Stadt Musterhausen (Kollab)" {
		t.Fatalf("subject %q", subject)
	}
	body, _ := io.ReadAll(msg.Body)
	text := testenv.DecodeQP(string(body), msg.Header.Get("Content-Transfer-Encoding"))
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
	subject, body := tenant.InvitationText("https://kollab.example", inv)
	if subject != "Einladung zu Stadt Musterhausen (Kollab)" || !strings.Contains(body, "Rolle: Externe Partnerin / externer Partner") ||
		!strings.Contains(body, "gültig bis 01.12.2026 10:30 Uhr") {
		t.Errorf("German: %q\n%s", subject, body)
	}
	inv.Locale = "en"
	subject, body = tenant.InvitationText("https://kollab.example", inv)
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

// Without SMTP an invitation is not mailed, and its link, a credential,
// is not logged either, at any level: the admin console shows it once.
func TestLogMailerNeverLogsInvitationLink(t *testing.T) {
	var buf bytes.Buffer
	m := tenant.NewInvitationMailer(&mail.LogMailer{Log: slog.New(slog.NewJSONHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug - 4}))}, "https://kollab.example")
	const token = "Geheim-Einladungstoken_0123456789abcdef"
	err := m.SendInvitation(context.Background(), tenant.InvitationMail{To: "neu@stadt.example", TenantSlug: "stadt", TenantName: "Stadt",
		Inviter: "Erika Muster", Role: tenant.RoleAdmin, Token: token, ExpiresAt: time.Date(2026, 12, 1, 9, 30, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	if !strings.Contains(out, "invitation not mailed") || !strings.Contains(out, "neu@stadt.example") {
		t.Fatalf("the fallback says nothing useful: %s", out)
	}
	for _, secret := range []string{token, token[:12], "#token=", "/invite/"} {
		if strings.Contains(out, secret) {
			t.Fatalf("log carries %q: %s", secret, out)
		}
	}
}
