package mail

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"testing"
)

// Without SMTP a mail is not sent; the log notes what its composer put in
// Message.Log, at its level, and never the subject or the bodies, which
// may carry a credential (an invitation's link), at any level.
func TestLogMailerLogsNoBody(t *testing.T) {
	var buf bytes.Buffer
	m := &LogMailer{Log: slog.New(slog.NewJSONHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug - 4}))}
	if m.Configured() {
		t.Error("the LogMailer claims to deliver")
	}
	const secret = "Geheim-Einladungstoken_0123456789abcdef"
	err := m.Send(context.Background(), Message{To: "neu@stadt.example", Subject: "Betreff " + secret, Text: "Link #token=" + secret,
		HTML: "<a href=\"/invite/x#token=" + secret + "\">", Attachments: []Attachment{{Name: "a.txt", Data: []byte(secret)}},
		Log: LogEntry{Level: slog.LevelWarn, Msg: "invitation not mailed", Attrs: []any{"tenant", "stadt"}}})
	if err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	for _, want := range []string{"no SMTP server configured (KOLLAB_SMTP_URL): invitation not mailed", `"to":"neu@stadt.example"`,
		`"tenant":"stadt"`, `"level":"WARN"`} {
		if !strings.Contains(out, want) {
			t.Errorf("log lacks %s: %s", want, out)
		}
	}
	for _, s := range []string{secret, secret[:12], "#token=", "/invite/", "Betreff"} {
		if strings.Contains(out, s) {
			t.Fatalf("log carries %q: %s", s, out)
		}
	}
}
