package synopsis_test

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/kollab/kollab/workspaces/consultations"
	"github.com/kollab/kollab/workspaces/consultations/synopsis"
)

func sample(rows int) *consultations.Synopsis {
	at := time.Date(2026, 12, 7, 10, 0, 0, 0, time.UTC)
	s := &consultations.Synopsis{Subject: "Deichsanierung „Süd“ & <Nord>", WorkspaceName: "Hochwasserschutz", Deadline: at.Add(72 * time.Hour),
		State: consultations.Closed, Questions: []string{"Bedenken?"}, Invited: 3, Missing: []string{"Wasserverband"}, Made: at}
	for i := range rows {
		org := "Ingenieurbüro Weiß"
		if i%2 == 1 {
			org = "Naturschutzbund"
		}
		s.Rows = append(s.Rows, consultations.SynopsisRow{Organisation: org, Question: "Bedenken?", Version: 1, Channel: consultations.Post,
			ReceivedAt: at, Answer: "Größere Maßnahmen € " + strings.Repeat("Lärmschutzwand ", 80) + "\nZweiter Absatz\x01 Ende" +
				strings.Repeat("x", 400)})
	}
	return s
}

// The PDF: a PDF whose text holds the statements, over several pages when long.
func TestSynopsisPDF(t *testing.T) {
	b, err := synopsis.Renderer{}.SynopsisPDF(sample(12))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(b, []byte("%PDF-")) || !bytes.Contains(b, []byte("%%EOF")) {
		t.Fatalf("not a PDF: %q", b[:min(20, len(b))])
	}
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Skip("pdftotext not installed: the text is not checked")
	}
	p := filepath.Join(t.TempDir(), "s.pdf")
	if err := os.WriteFile(p, b, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("pdftotext", "-layout", p, "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	text := string(out)
	for _, want := range []string{"Synopse: Deichsanierung „Süd“ & <Nord>", "Ingenieurbüro Weiß", "Naturschutzbund", "Größere Maßnahmen €",
		"Ohne Stellungnahme: Wasserverband", "per Post, Fassung 1", "Seite 2"} {
		if !strings.Contains(text, want) {
			t.Errorf("the PDF's text lacks %q", want)
		}
	}
}

// The ODT: a zip whose first entry is the uncompressed mimetype, with a
// manifest naming every part and well-formed XML, one table row per
// synopsis row plus the header.
func TestSynopsisODT(t *testing.T) {
	b, err := synopsis.Renderer{}.SynopsisODT(sample(3))
	if err != nil {
		t.Fatal(err)
	}
	z, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	if f := z.File[0]; f.Name != "mimetype" || f.Method != zip.Store {
		t.Fatalf("first entry: %s method %d", f.Name, f.Method)
	}
	if !bytes.Equal(b[30:38+39], []byte("mimetypeapplication/vnd.oasis.opendocument.text")) {
		t.Fatalf("the mimetype is not at byte 38: %q", b[:80])
	}
	parts := map[string]string{}
	for _, f := range z.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		body, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		parts[f.Name] = string(body)
		if strings.HasSuffix(f.Name, ".xml") {
			wellFormed(t, f.Name, body)
		}
	}
	for _, p := range []string{"content.xml", "styles.xml", "meta.xml"} {
		if _, ok := parts[p]; !ok || !strings.Contains(parts["META-INF/manifest.xml"], `manifest:full-path="`+p+`"`) {
			t.Errorf("part %s missing or not in the manifest", p)
		}
	}
	content := parts["content.xml"]
	if n := strings.Count(content, "<table:table-row>"); n != 4 {
		t.Errorf("%d table rows, want 4", n)
	}
	for _, want := range []string{"Deichsanierung „Süd“ &amp; &lt;Nord&gt;", "Ingenieurbüro Weiß", "Zweiter Absatz Ende"} {
		if !strings.Contains(content, want) {
			t.Errorf("content.xml lacks %q", want)
		}
	}
}

// wellFormed decodes the whole XML document.
func wellFormed(t *testing.T, name string, body []byte) {
	t.Helper()
	d := xml.NewDecoder(bytes.NewReader(body))
	for {
		_, err := d.Token()
		if errors.Is(err, io.EOF) {
			return
		}
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
	}
}
