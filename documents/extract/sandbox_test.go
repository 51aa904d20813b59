package extract

import (
	"context"
	"errors"
	"os"
	"strings"
	"testing"
	"time"
)

// TestMain makes the test binary the sandbox's child when it is started as
// `<test binary> extract …`, so that these tests run the real ChildMain in a real
// child process (kollab does the same: `kollab extract`; internal/crashtest measures
// the built kollab binary).
func TestMain(m *testing.M) {
	if len(os.Args) > 1 && os.Args[1] == "extract" {
		os.Exit(ChildMain(context.Background(), os.Args[2:], os.Stdin, os.Stdout, os.Stderr))
	}
	os.Exit(m.Run())
}

// sandboxed returns an extractor that runs every file in a child process.
func sandboxed(t *testing.T, cfg Config) *Extractor {
	t.Helper()
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	cfg.Sandbox.Executable = self
	return newExtractor(t, cfg)
}

// nestedDOCX is a DOCX bomb: depth paragraphs, each inside the one before.
func nestedDOCX(t testing.TB, depth int) []byte {
	return buildDOCX(t, strings.Repeat("<w:p>", depth)+"<w:r><w:t>Tief</w:t></w:r>"+strings.Repeat("</w:p>", depth))
}

// The XML of office files and XML files is read as a stream whose nesting is
// bounded: a deeper file is a limit exceeded, before the decoder's stack of open
// elements grows with it.
func TestXMLNestingBound(t *testing.T) {
	e := newExtractor(t, Config{})
	ok := mustExtract(t, e, "tief.docx", nestedDOCX(t, MaxXMLDepth-10))
	if !strings.Contains(ok.Text, "Tief") {
		t.Errorf("DOCX nested %d deep: %+v", MaxXMLDepth-10, ok)
	}
	if _, err := extractFile(t, e, "bombe.docx", nestedDOCX(t, 200_000)); !errors.Is(err, ErrLimit) {
		t.Errorf("DOCX nested 200000 deep: err = %v, want ErrLimit", err)
	}
	xml := "<?xml version=\"1.0\"?>" + strings.Repeat("<a>", 200_000) + "Text" + strings.Repeat("</a>", 200_000)
	if _, err := extractFile(t, e, "bombe.xml", []byte(xml)); !errors.Is(err, ErrLimit) {
		t.Errorf("XML nested 200000 deep: err = %v, want ErrLimit", err)
	}
}

// A sandboxed extraction gives what an extraction in the process gives.
func TestSandboxExtracts(t *testing.T) {
	in := newExtractor(t, Config{})
	sb := sandboxed(t, Config{})
	for _, f := range []struct {
		name string
		data []byte
	}{
		{"stellungnahme.docx", buildDOCX(t, `<w:p><w:r><w:t>Stellungnahme der Denkmalschutzbehörde</w:t></w:r></w:p>`)},
		{"bescheid.pdf", buildPDF(t, pdfPage{lines: []string{"Anschreiben an den Bauherrn"}}, pdfPage{lines: []string{"Rechtsbehelfsbelehrung"}})},
		{"vermerk.txt", []byte("Aktenvermerk zur Ortsbegehung")},
	} {
		want := mustExtract(t, in, f.name, f.data)
		got := mustExtract(t, sb, f.name, f.data)
		if got != want {
			t.Errorf("%s: sandboxed %+v, in process %+v", f.name, got, want)
		}
	}
	if _, err := extractFile(t, sb, "bombe.docx", nestedDOCX(t, 200_000)); !errors.Is(err, ErrLimit) {
		t.Errorf("DOCX bomb in the sandbox: err = %v, want ErrLimit", err)
	}
	if _, err := extractFile(t, sb, "kaputt.pdf", []byte("%PDF-1.4\nkein gültiges PDF\n")); err == nil || errors.Is(err, ErrLimit) {
		t.Errorf("broken PDF in the sandbox: err = %v, want a failure that is no limit", err)
	}
}

// bigHTML is an HTML file of about n bytes of text.
func bigHTML(n int) []byte {
	p := "<p>Haushaltsplan der Stadt Musterhausen, Entwurf für das Jahr 2027</p>\n"
	return []byte("<html><body>" + strings.Repeat(p, n/len(p)) + "</body></html>")
}

// The child's memory is bounded (RLIMIT_DATA): a file that needs more fails as a
// limit exceeded; the same file fits within the default limit.
func TestSandboxMemoryLimit(t *testing.T) {
	html := bigHTML(60 << 20)
	small := sandboxed(t, Config{Sandbox: Sandbox{Memory: MinSandboxMemory}})
	_, err := extractFile(t, small, "haushalt.html", html)
	if !errors.Is(err, ErrLimit) {
		t.Fatalf("60 MiB of HTML with %d bytes of memory: err = %v, want ErrLimit", MinSandboxMemory, err)
	}
	t.Logf("with %d MiB: %v", MinSandboxMemory>>20, err)
	res := mustExtract(t, sandboxed(t, Config{}), "haushalt.html", html)
	if !res.Truncated || !strings.Contains(res.Text, "Musterhausen") {
		t.Errorf("with the default limit: truncated=%v, %d bytes", res.Truncated, len(res.Text))
	}
}

// scannedPDF is a PDF of scanned pages, for OCR that takes CPU time.
func scannedPDF(t *testing.T, pages int) []byte {
	scan := scanOf(t, buildPDF(t, pdfPage{lines: germanLines}), 300)
	var ps []pdfPage
	for range pages {
		ps = append(ps, pdfPage{img: scan})
	}
	return buildPDF(t, ps...)
}

// The CPU time of the child and of every tool it runs is bounded (RLIMIT_CPU):
// OCR that needs more fails as a limit exceeded.
func TestSandboxCPULimit(t *testing.T) {
	pdf := scannedPDF(t, 1)
	e := sandboxed(t, Config{OCRResolution: 600, Sandbox: Sandbox{CPU: time.Second}})
	start := time.Now()
	_, err := extractFile(t, e, "scan.pdf", pdf)
	if !errors.Is(err, ErrLimit) || !strings.Contains(err.Error(), "CPU") {
		t.Fatalf("OCR at 600 dpi with 1 s of CPU time: err = %v, want ErrLimit (CPU)", err)
	}
	t.Logf("after %v: %v", time.Since(start).Round(time.Millisecond), err)
}

// The wall-clock time is bounded: the child stops itself at Timeout, and the
// parent kills its process group shortly after, whatever the child does.
func TestSandboxTimeout(t *testing.T) {
	pdf := scannedPDF(t, 2)
	e := sandboxed(t, Config{Timeout: time.Second})
	start := time.Now()
	_, err := extractFile(t, e, "scan.pdf", pdf)
	if !errors.Is(err, ErrLimit) {
		t.Fatalf("OCR past a 1 s timeout: err = %v, want ErrLimit", err)
	}
	if d := time.Since(start); d > time.Second+sandboxGrace+2*time.Second {
		t.Errorf("the sandboxed extraction returned %v after its 1 s timeout", d)
	}
}

// `kollab extract` reads standard input and reports its outcome by exit code.
func TestChildMain(t *testing.T) {
	var out, errOut strings.Builder
	code := ChildMain(t.Context(), []string{"--name", "a.txt", "--cpu", "1s", "--memory", "nonsense"}, strings.NewReader("x"), &out, &errOut)
	if code != ExitUsage {
		t.Errorf("bad --memory: exit %d, want %d; %s", code, ExitUsage, errOut.String())
	}
}
