package cli_test

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kollab/kollab/internal/cli"
)

// TestMain lets this test binary act as kollab when it is started as
// `<binary> extract …`: `kollab serve` run by a test through cli.Run spawns
// its own executable for every text extraction, and the tests below run
// `kollab extract` as the process of its own it must be (it limits itself).
func TestMain(m *testing.M) {
	if len(os.Args) > 1 && os.Args[1] == "extract" {
		os.Exit(cli.Run(context.Background(), os.Args[1:], os.Stdout, os.Stderr, os.Getenv))
	}
	os.Exit(m.Run())
}

// kollabExtract runs `kollab extract args…` as a child process.
func kollabExtract(t *testing.T, stdin []byte, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(self, append([]string{"extract"}, args...)...)
	cmd.Stdin = bytes.NewReader(stdin)
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err = cmd.Run()
	var ee *exec.ExitError
	if err != nil && !errors.As(err, &ee) {
		t.Fatal(err)
	}
	return cmd.ProcessState.ExitCode(), out.String(), errOut.String()
}

func TestExtractCommand(t *testing.T) {
	// Standard input: the text on stdout, the result as a JSON line on stderr.
	code, out, errOut := kollabExtract(t, []byte("Aktenvermerk zur Ortsbegehung"), "--name", "vermerk.txt")
	var meta struct {
		Method    string `json:"method"`
		Truncated bool   `json:"truncated"`
	}
	if code != 0 || out != "Aktenvermerk zur Ortsbegehung" || json.Unmarshal([]byte(strings.TrimSpace(errOut)), &meta) != nil || meta.Method != "plain" {
		t.Fatalf("stdin: exit %d, out %q, err %q", code, out, errOut)
	}

	// A DOCX of paragraphs nested 100,000 deep: a limit exceeded, exit code 4.
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	f, _ := zw.Create("word/document.xml")
	f.Write([]byte(`<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>` +
		strings.Repeat("<w:p>", 100_000) + strings.Repeat("</w:p>", 100_000) + `</w:body></w:document>`))
	f, _ = zw.Create("[Content_Types].xml")
	f.Write([]byte(`<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>`))
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "bombe.docx")
	if err := os.WriteFile(path, b.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	if code, out, errOut := kollabExtract(t, nil, path); code != 4 || out != "" || !strings.Contains(errOut, "limit exceeded") {
		t.Fatalf("DOCX bomb: exit %d, out %q, err %q", code, out, errOut)
	}
	// A type without an extractor, and a bad call.
	if code, _, errOut := kollabExtract(t, []byte{0, 1, 2}, "--type", "application/octet-stream"); code != 3 {
		t.Fatalf("binary: exit %d, err %q", code, errOut)
	}
	if code, _, _ := kollabExtract(t, nil, "--memory", "1MiB", path); code != 64 {
		t.Fatalf("--memory 1MiB: exit %d, want 64", code)
	}
}
