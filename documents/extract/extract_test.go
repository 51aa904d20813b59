package extract

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"image"
	"image/color"
	"image/gif"
	"image/jpeg"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// newExtractor returns an Extractor with cfg and fails the test, never skips it,
// when a tool or the German OCR language is missing.
func newExtractor(t testing.TB, cfg Config) *Extractor {
	t.Helper()
	e, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if err := e.Check(t.Context()); err != nil {
		t.Fatalf("%v\nThe extract tests need poppler-utils, tesseract-ocr and tesseract-ocr-deu (apt-get install poppler-utils tesseract-ocr tesseract-ocr-deu); scripts/test installs them.", err)
	}
	return e
}

// mustContain fails unless text contains every word, compared case-insensitively.
func mustContain(t testing.TB, text string, words ...string) {
	t.Helper()
	lower := strings.ToLower(text)
	for _, w := range words {
		if !strings.Contains(lower, strings.ToLower(w)) {
			t.Errorf("text lacks %q:\n%s", w, text)
		}
	}
}

func extractFile(t testing.TB, e *Extractor, name string, data []byte) (Result, error) {
	t.Helper()
	path := writeFile(t, name, data)
	ct, err := SniffFile(path, name)
	if err != nil {
		t.Fatal(err)
	}
	return e.Extract(t.Context(), path, ct)
}

func mustExtract(t testing.TB, e *Extractor, name string, data []byte) Result {
	t.Helper()
	res, err := extractFile(t, e, name, data)
	if err != nil {
		t.Fatalf("Extract %s: %v", name, err)
	}
	if !utf8.ValidString(res.Text) || strings.ContainsRune(res.Text, 0) {
		t.Errorf("Extract %s: text is not valid UTF-8 without NUL: %q", name, res.Text)
	}
	return res
}

// assertTempEmpty fails when the extractor left anything in its temporary directory.
func assertTempEmpty(t *testing.T, dir string) {
	t.Helper()
	left, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(left) > 0 {
		t.Errorf("temporary files left behind in %s: %v", dir, left)
	}
}

func TestCheck(t *testing.T) {
	newExtractor(t, Config{}) // fails loudly when the machine lacks the tools

	e, err := New(Config{Tesseract: "/nonexistent/tesseract", PDFToPPM: "no-such-pdftoppm-here"})
	if err != nil {
		t.Fatal(err)
	}
	err = e.Check(t.Context())
	if err == nil {
		t.Fatal("Check passed with missing tools")
	}
	for _, want := range []string{"/nonexistent/tesseract", "tesseract-ocr", "no-such-pdftoppm-here", "poppler-utils"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("Check error lacks %q: %v", want, err)
		}
	}

	e, err = New(Config{OCRLanguage: "deu+xyzzy"})
	if err != nil {
		t.Fatal(err)
	}
	if err := e.Check(t.Context()); err == nil || !strings.Contains(err.Error(), "xyzzy") {
		t.Errorf("Check with an unknown OCR language: %v", err)
	}
}

func TestNewRejectsBadConfig(t *testing.T) {
	for _, cfg := range []Config{
		{OCRLanguage: "deu; rm -rf /"},
		{OCRLanguage: "-l"},
		{MaxOutputBytes: -1},
		{Timeout: -time.Second},
		{OCRResolution: 5000},
	} {
		if _, err := New(cfg); err == nil {
			t.Errorf("New(%+v) accepted a bad config", cfg)
		}
	}
	e, err := New(Config{})
	if err != nil {
		t.Fatal(err)
	}
	c := e.Config()
	if c.Timeout != 120*time.Second || c.MaxOCRPages != 50 || c.MaxOutputBytes != 5<<20 || c.OCRLanguage != "deu" || c.PDFToText != "pdftotext" {
		t.Errorf("defaults: %+v", c)
	}
}

func TestSniff(t *testing.T) {
	docx := buildDOCX(t, `<w:p><w:r><w:t>x</w:t></w:r></w:p>`)
	odt := buildODF(t, TypeODT, `<office:text><text:p>x</text:p></office:text>`)
	plainZip := buildZip(t, zipEntryData{name: "a.txt", body: "hallo"})
	rnd := make([]byte, 1024)
	r := rand.NewChaCha8([32]byte{1})
	_, _ = r.Read(rnd)
	var gifBuf bytes.Buffer
	if err := gif.Encode(&gifBuf, image.NewPaletted(image.Rect(0, 0, 2, 2), []color.Color{color.White, color.Black}), nil); err != nil {
		t.Fatal(err)
	}

	for _, tc := range []struct {
		name, file string
		data       []byte
		want       string
	}{
		{"pdf", "a.pdf", []byte("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj"), TypePDF},
		{"pdf with any name", "bild.png", []byte("%PDF-1.4\n"), TypePDF},
		{"png", "a.png", encodePNG(t, image.NewGray(image.Rect(0, 0, 4, 4))), TypePNG},
		{"jpeg", "a.jpg", []byte("\xFF\xD8\xFF\xE0\x00\x10JFIF\x00"), TypeJPEG},
		{"gif", "a.gif", gifBuf.Bytes(), TypeGIF},
		{"tiff little-endian", "a.tif", []byte("II*\x00\x08\x00\x00\x00"), TypeTIFF},
		{"tiff big-endian", "a.tif", []byte("MM\x00*\x00\x00\x00\x08"), TypeTIFF},
		{"docx head only", "a.docx", docx, TypeZIP},
		{"plain zip", "a.zip", plainZip, TypeZIP},
		{"plain zip named docx", "a.docx", plainZip, TypeZIP},
		{"odt", "a.odt", odt, TypeODT},
		{"odt named txt", "a.txt", odt, TypeODT},
		{"text", "a.txt", []byte("Beschlüsse des Gemeinderats\n"), TypePlain},
		{"text without name", "", []byte("Beschlüsse des Gemeinderats\n"), TypePlain},
		{"markdown by name", "notizen.md", []byte("# Beschlüsse\n\n- eins\n"), TypeMarkdown},
		{"markdown upper-case ext", `C:\Dokumente\NOTIZEN.MARKDOWN`, []byte("# Beschlüsse\n"), TypeMarkdown},
		{"markdown-looking text named txt", "a.txt", []byte("# Beschlüsse\n"), TypePlain},
		{"text named pdf", "x.pdf", []byte("nur Text\n"), TypePlain},
		{"html named pdf", "x.pdf", []byte("<!DOCTYPE html><html><body><p>hallo</p></body></html>"), TypeHTML},
		{"html named md", "x.md", []byte("<html><script>alert(1)</script></html>"), TypeHTML},
		{"xml", "x.pdf", []byte(`<?xml version="1.0"?><r/>`), TypeXML},
		{"rtf", "brief.txt", []byte(`{\rtf1\ansi Hallo}`), TypeRTF},
		{"utf-16 text", "a.txt", []byte("\xFF\xFEa\x00b\x00"), TypePlain},
		{"executable named txt", "a.txt", []byte("\x7fELF\x02\x01\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x02\x00\x3e\x00"), TypeBinary},
		{"random bytes named md", "a.md", rnd, TypeBinary},
		{"empty", "a.txt", nil, TypePlain},
		{"empty markdown", "a.md", nil, TypeMarkdown},
		{"odt with data descriptor", "a.odt", buildZip(t, zipEntryData{name: "mimetype", body: TypeODT, store: true, descriptor: true}, zipEntryData{name: "content.xml", body: "<x/>"}), TypeODT},
		{"odt template is no odt", "a.odt", buildZip(t, zipEntryData{name: "mimetype", body: TypeODT + "-template", store: true}), TypeZIP},
		{"odt template with data descriptor", "a.odt", buildZip(t, zipEntryData{name: "mimetype", body: TypeODT + "-template", store: true, descriptor: true}), TypeZIP},
		{"mimetype compressed", "a.odt", buildZip(t, zipEntryData{name: "mimetype", body: TypeODT}), TypeZIP},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := Sniff(tc.data, tc.file); got != tc.want {
				t.Errorf("Sniff = %q, want %q", got, tc.want)
			}
		})
	}
}

func TestSniffFile(t *testing.T) {
	docx := buildDOCX(t, `<w:p><w:r><w:t>x</w:t></w:r></w:p>`)
	docm := buildZip(t,
		contentTypes("application/vnd.ms-word.document.macroEnabled.main+xml"),
		zipEntryData{name: "word/document.xml", body: "<x/>"},
		zipEntryData{name: "word/vbaProject.bin", body: "macro"})
	xlsx := buildZip(t, contentTypes("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"),
		zipEntryData{name: "xl/workbook.xml", body: "<x/>"})
	pptx := buildZip(t, contentTypes("application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml"),
		zipEntryData{name: "ppt/presentation.xml", body: "<x/>"})
	odt := buildODF(t, TypeODT, `<office:text><text:p>x</text:p></office:text>`)
	ods := buildODF(t, TypeODS, `<office:spreadsheet/>`)
	odp := buildODF(t, TypeODP, `<office:presentation/>`)
	fakeODT := buildZip(t, zipEntryData{name: "mimetype", body: TypeODT, store: true}, zipEntryData{name: "x.exe", body: "MZ"})
	plainZip := buildZip(t, zipEntryData{name: "document.xml", body: "<x/>"})

	for _, tc := range []struct {
		name, file string
		data       []byte
		want       string
	}{
		{"docx", "a.docx", docx, TypeDOCX},
		{"docx named zip", "a.zip", docx, TypeDOCX},
		{"docm named docx", "a.docx", docm, TypeDOCM},
		{"xlsx", "a.xlsx", xlsx, TypeXLSX},
		{"pptx", "a.pptx", pptx, TypePPTX},
		{"odt", "a.odt", odt, TypeODT},
		{"ods", "a.ods", ods, TypeODS},
		{"odp", "a.odp", odp, TypeODP},
		{"odt mimetype without content.xml", "a.odt", fakeODT, TypeZIP},
		{"plain zip named docx", "a.docx", plainZip, TypeZIP},
		{"broken zip", "a.docx", append([]byte("PK\x03\x04"), make([]byte, 100)...), TypeZIP},
		{"pdf", "a.docx", []byte("%PDF-1.4\n"), TypePDF},
		{"text", "a.md", []byte("Hallo"), TypeMarkdown},
		{"empty", "a.txt", nil, TypePlain},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := SniffFile(writeFile(t, "upload", tc.data), tc.file)
			if err != nil {
				t.Fatal(err)
			}
			if got != tc.want {
				t.Errorf("SniffFile = %q, want %q", got, tc.want)
			}
		})
	}
	if _, err := SniffFile(filepath.Join(t.TempDir(), "missing"), "a.pdf"); err == nil {
		t.Error("SniffFile of a missing file: no error")
	}
}

func TestExtractImages(t *testing.T) {
	e := newExtractor(t, Config{})
	scan := crop(scanOf(t, buildPDF(t, pdfPage{lines: germanLines}), 200), 700)

	t.Run("png", func(t *testing.T) {
		res := mustExtract(t, e, "scan.png", encodePNG(t, scan))
		if res.Method != MethodOCR || res.Pages != 1 || res.OCRPages != 1 || res.Truncated {
			t.Errorf("result %+v", res)
		}
		mustContain(t, res.Text, "Fristverlängerung", "Beschlüsse")
		if strings.ContainsRune(res.Text, '\f') {
			t.Errorf("form feed in a one-page text: %q", res.Text)
		}
	})
	t.Run("jpeg", func(t *testing.T) {
		var b bytes.Buffer
		if err := jpeg.Encode(&b, scan, &jpeg.Options{Quality: 85}); err != nil {
			t.Fatal(err)
		}
		res := mustExtract(t, e, "scan.jpg", b.Bytes())
		mustContain(t, res.Text, "Fristverlängerung")
	})
	t.Run("tiff two pages", func(t *testing.T) {
		res := mustExtract(t, e, "scan.tif", buildTIFF([]*image.Gray{scan, crop(scan, 300)}, nil))
		if res.Method != MethodOCR || res.Pages != 2 || res.OCRPages != 2 || res.Truncated {
			t.Errorf("result %+v", res)
		}
		if pages := strings.Split(res.Text, "\f"); len(pages) != 2 {
			t.Errorf("%d pages in the text, want 2: %q", len(pages), res.Text)
		} else {
			mustContain(t, pages[0], "Fristverlängerung")
			mustContain(t, pages[1], "Gemeinderat")
		}
	})
	t.Run("tiff page limit", func(t *testing.T) {
		one := newExtractor(t, Config{MaxOCRPages: 1})
		small := crop(scan, 300)
		res := mustExtract(t, one, "scan.tif", buildTIFF([]*image.Gray{small, small, small}, nil))
		if res.Pages != 1 || !res.Truncated || strings.ContainsRune(res.Text, '\f') {
			t.Errorf("result %+v", res)
		}
		mustContain(t, res.Text, "Gemeinderat")
	})
}

func TestExtractImageBombs(t *testing.T) {
	e := newExtractor(t, Config{Timeout: 10 * time.Second})
	small := image.NewGray(image.Rect(0, 0, 8, 8))

	// A PNG whose header claims 100000×100000 pixels.
	p := encodePNG(t, small)
	ihdr := bytes.Index(p, []byte("IHDR"))
	copy(p[ihdr+4:], []byte{0, 1, 0x86, 0xA0, 0, 1, 0x86, 0xA0})
	binary.BigEndian.PutUint32(p[ihdr+17:], crc32.ChecksumIEEE(p[ihdr:ihdr+17]))
	if _, err := extractFile(t, e, "bomb.png", p); err == nil || !strings.Contains(err.Error(), "larger than") {
		t.Errorf("huge PNG: err = %v", err)
	}

	tiff := buildTIFF([]*image.Gray{small}, &image.Point{X: 200000, Y: 200000})
	if _, err := extractFile(t, e, "bomb.tif", tiff); err == nil || !strings.Contains(err.Error(), "larger than") {
		t.Errorf("huge TIFF: err = %v", err)
	}
}

func TestExtractCancelAndTimeout(t *testing.T) {
	tmp := t.TempDir()
	scan := scanOf(t, buildPDF(t, pdfPage{lines: germanLines}), 200)
	path := writeFile(t, "scan.pdf", buildPDF(t, pdfPage{img: scan}, pdfPage{img: scan}))

	e := newExtractor(t, Config{Timeout: 300 * time.Millisecond, TempDir: tmp})
	start := time.Now()
	_, err := e.Extract(t.Context(), path, TypePDF)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("OCR past the timeout: err = %v, want DeadlineExceeded", err)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("Extract returned %v after its 300 ms timeout: the tools were not killed", d)
	}
	assertTempEmpty(t, tmp)

	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	e = newExtractor(t, Config{TempDir: tmp})
	if _, err := e.Extract(ctx, path, TypePDF); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled context: err = %v, want Canceled", err)
	}
	assertTempEmpty(t, tmp)
}

func TestExtractPlainText(t *testing.T) {
	e := newExtractor(t, Config{})
	for _, tc := range []struct {
		name string
		data string
		want string
	}{
		{"utf-8", "Beschlüsse zur Fristverlängerung\n", "Beschlüsse zur Fristverlängerung\n"},
		{"utf-8 bom and nul", "\xEF\xBB\xBFStraße\x00n", "Straßen"},
		{"windows-1252", "Fristverl\xe4ngerung f\xfcr Beschl\xfcsse: 100 \x80, \x84Zitat\x93 Stra\xdfe", "Fristverlängerung für Beschlüsse: 100 €, „Zitat“ Straße"},
		{"utf-16le", "\xFF\xFEG\x00r\x00\xf6\x00\xdf\x00e\x00", "Größe"},
		{"utf-16be", "\xFE\xFF\x00G\x00r\x00\xf6\x00\xdf\x00e", "Größe"},
		{"utf-8 with a broken byte", "Beschlüsse über Änderungen der Gebührenordnung \xff für Straßen", "Beschlüsse über Änderungen der Gebührenordnung \uFFFD für Straßen"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := writeFile(t, "a.txt", []byte(tc.data))
			res, err := e.Extract(t.Context(), path, "text/plain; charset=utf-8")
			if err != nil {
				t.Fatal(err)
			}
			if res.Text != tc.want || res.Method != MethodPlain || res.Truncated {
				t.Errorf("got %+v, want text %q", res, tc.want)
			}
		})
	}
	res := mustExtract(t, e, "notizen.md", []byte("# Beschlüsse\n\n* Fristverlängerung\n"))
	if res.Text != "# Beschlüsse\n\n* Fristverlängerung\n" || res.Method != MethodPlain {
		t.Errorf("markdown: %+v", res)
	}
}

func TestTruncation(t *testing.T) {
	e := newExtractor(t, Config{MaxOutputBytes: 11})
	res := mustExtract(t, e, "a.txt", []byte(strings.Repeat("ä", 100)))
	if res.Text != "äääää" || !res.Truncated {
		t.Errorf("got %+v, want 5 × ä (10 bytes), truncated", res)
	}
	// The input is cut inside a rune: that is not "broken UTF-8" (Windows-1252).
	e = newExtractor(t, Config{MaxOutputBytes: 2})
	res = mustExtract(t, e, "a.txt", []byte("aa€€€€"))
	if res.Text != "aa" || !res.Truncated {
		t.Errorf("got %+v, want aa, truncated", res)
	}
	if text, cut := finishText("aé€😀", 7); text != "aé€" || !cut {
		t.Errorf("finishText = %q, %v", text, cut)
	}
	if text, cut := finishText("aé€😀", 10); text != "aé€😀" || cut {
		t.Errorf("finishText = %q, %v", text, cut)
	}
}

func TestExtractHTMLAndXML(t *testing.T) {
	e := newExtractor(t, Config{})
	page := `<!DOCTYPE html><html><head><title>Amtsblatt</title><style>p { color: red }</style>` +
		`<script>var geheim = "<p>nicht</p>";</script></head><body><h1>Beschlüsse</h1>` +
		`<p>Antrag auf   Fristverlängerung &amp; Anh&ouml;rung</p><noscript>Bitte JavaScript</noscript>` +
		`<table><tr><td>Zelle A</td><td>Zelle B</td></tr></table><svg><text>Grafik</text></svg></body></html>`
	res := mustExtract(t, e, "amtsblatt.pdf", []byte(page))
	if res.Method != MethodHTML {
		t.Errorf("method %q", res.Method)
	}
	mustContain(t, res.Text, "Amtsblatt\nBeschlüsse\nAntrag auf Fristverlängerung & Anhörung", "Zelle A", "Zelle B")
	for _, unwanted := range []string{"geheim", "color", "nicht", "JavaScript", "Grafik", "<"} {
		if strings.Contains(res.Text, unwanted) {
			t.Errorf("HTML text has %q:\n%s", unwanted, res.Text)
		}
	}

	cp1252 := "<html><body><p>Stra\xdfenreinigung f\xfcr B\xfcrger</p></body></html>"
	res = mustExtract(t, e, "a.html", []byte(cp1252))
	if res.Text != "Straßenreinigung für Bürger" {
		t.Errorf("Windows-1252 HTML: %q", res.Text)
	}

	doc := "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>\n<!DOCTYPE r [<!ENTITY boom \"BUMM\">]>\n" +
		"<Rechnung><Verwendungszweck>Stra\xdfenausbaubeitrag</Verwendungszweck><Betrag>12,50</Betrag><x>&boom;</x></Rechnung>"
	res = mustExtract(t, e, "rechnung.xml", []byte(doc))
	if res.Method != MethodXML || !strings.HasPrefix(res.Text, "Straßenausbaubeitrag\n12,50") || strings.Contains(res.Text, "BUMM") {
		t.Errorf("XML: %+v", res)
	}
}

func TestExtractUnsupported(t *testing.T) {
	e := newExtractor(t, Config{})
	rnd := make([]byte, 4096)
	r := rand.NewChaCha8([32]byte{2})
	_, _ = r.Read(rnd)
	elf := append([]byte("\x7fELF\x02\x01\x01\x00"), make([]byte, 600)...)
	for _, tc := range []struct {
		name string
		data []byte
	}{
		{"programm.txt", elf},
		{"zufall.pdf", rnd},
		{"archiv.docx", buildZip(t, zipEntryData{name: "a.txt", body: "hallo"})},
		{"brief.txt", []byte(`{\rtf1\ansi Sehr geehrte Damen und Herren}`)},
		{"gepackt.txt", []byte("\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03")},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res, err := extractFile(t, e, tc.name, tc.data)
			if !errors.Is(err, ErrUnsupported) {
				t.Errorf("err = %v, result %+v; want ErrUnsupported", err, res)
			}
		})
	}
	// A broken PDF is a failure with the tool's message, not "unsupported".
	_, err := extractFile(t, e, "kaputt.pdf", []byte("%PDF-1.4\nkein PDF\n"))
	if err == nil || errors.Is(err, ErrUnsupported) || !strings.Contains(err.Error(), "pdftotext") {
		t.Errorf("broken PDF: err = %v", err)
	}
	t.Logf("broken PDF: %v", err)

	// A claimed type that the bytes contradict is an error, and no tool sees the file.
	path := writeFile(t, "liste.txt", []byte("/etc/passwd\n/etc/shadow\n"))
	for _, ct := range []string{TypePNG, TypeTIFF, TypePDF} {
		if _, err := e.Extract(t.Context(), path, ct); err == nil || errors.Is(err, ErrUnsupported) || !strings.Contains(err.Error(), "content is text/plain") {
			t.Errorf("text file claimed as %s: err = %v", ct, err)
		}
	}
}
