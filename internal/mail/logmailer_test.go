package mail

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/kollab/kollab/tenant"
)

// Without SMTP an invitation is not mailed, and its link, a credential,
// is not logged either, at any level: the admin console shows it once.
func TestLogMailerNeverLogsInvitationLink(t *testing.T) {
	var buf bytes.Buffer
	m := &LogMailer{Log: slog.New(slog.NewJSONHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug - 4})), PublicURL: "https://kollab.example"}
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
