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

func TestExtractTextPDF(t *testing.T) {
	e := newExtractor(t, Config{})
	pdf := buildPDF(t, pdfPage{lines: germanLines}, pdfPage{lines: []string{"Seite zwei: Haushaltssatzung"}})
	res := mustExtract(t, e, "sitzung.pdf", pdf)
	mustContain(t, res.Text, "Fristverlängerung", "Beschlüsse", "Straße", "größere", "Öffentliche", "Änderungen", "Haushaltssatzung")
	if res.Method != MethodPDFText || res.Pages != 2 || res.OCRPages != 0 || res.Truncated {
		t.Errorf("result %+v, want pdf-text, 2 pages, no OCR, not truncated", res)
	}
	if pages := strings.Split(res.Text, "\f"); len(pages) != 2 || !strings.Contains(pages[1], "Haushaltssatzung") {
		t.Errorf("pages are not separated by form feeds: %q", res.Text)
	}
}

func TestExtractTextPDFTruncated(t *testing.T) {
	e := newExtractor(t, Config{MaxOutputBytes: 2000})
	var pages []pdfPage
	for range 40 {
		pages = append(pages, pdfPage{lines: germanLines})
	}
	res := mustExtract(t, e, "lang.pdf", buildPDF(t, pages...))
	if !res.Truncated || len(res.Text) > 2000 || res.Pages >= 40 || res.Pages < 1 || res.OCRPages != 0 {
		t.Errorf("truncated PDF: truncated=%v len=%d pages=%d ocr=%d", res.Truncated, len(res.Text), res.Pages, res.OCRPages)
	}
	mustContain(t, res.Text, "Fristverlängerung")
}

func TestExtractScannedPDF(t *testing.T) {
	tmp := t.TempDir()
	e := newExtractor(t, Config{TempDir: tmp})
	scan := scanOf(t, buildPDF(t, pdfPage{lines: germanLines}), 200)
	pdf := buildPDF(t, pdfPage{img: scan})

	start := time.Now()
	res := mustExtract(t, e, "scan.pdf", pdf)
	t.Logf("OCR of one A4 page took %v; text:\n%s", time.Since(start).Round(time.Millisecond), res.Text)
	if res.Method != MethodOCR || res.Pages != 1 || res.OCRPages != 1 || res.Truncated {
		t.Errorf("result %+v, want ocr, 1 page", res)
	}
	mustContain(t, res.Text, "Fristverlängerung", "Beschlüsse", "Gemeinderat", "Bekanntmachung")
	assertTempEmpty(t, tmp)
}

func TestExtractMixedPDF(t *testing.T) {
	e := newExtractor(t, Config{})
	scan := scanOf(t, buildPDF(t, pdfPage{lines: germanLines}), 200)
	pdf := buildPDF(t,
		pdfPage{lines: []string{"Anschreiben an den Bauherrn mit Aktenzeichen"}},
		pdfPage{img: scan, lines: []string{"7"}}, // a scan with a stamped page number
		pdfPage{lines: []string{"Rechtsbehelfsbelehrung gegen diesen Bescheid"}},
	)
	res := mustExtract(t, e, "bescheid.pdf", pdf)
	if res.Method != MethodPDFTextOCR || res.Pages != 3 || res.OCRPages != 1 || res.Truncated {
		t.Errorf("result %+v, want pdf-text+ocr, 3 pages, 1 by OCR", res)
	}
	pages := strings.Split(res.Text, "\f")
	if len(pages) != 3 {
		t.Fatalf("%d pages in the text, want 3:\n%s", len(pages), res.Text)
	}
	mustContain(t, pages[0], "Aktenzeichen")
	mustContain(t, pages[1], "Fristverlängerung", "Gemeinderat")
	mustContain(t, pages[2], "Rechtsbehelfsbelehrung")
}

func TestExtractOCRPageLimit(t *testing.T) {
	scan := crop(scanOf(t, buildPDF(t, pdfPage{lines: germanLines}), 200), 500)
	pdf := buildPDF(t, pdfPage{img: scan}, pdfPage{img: scan})

	e := newExtractor(t, Config{MaxOCRPages: 1})
	res := mustExtract(t, e, "scan.pdf", pdf)
	if res.Method != MethodOCR || res.Pages != 2 || res.OCRPages != 1 || !res.Truncated {
		t.Errorf("result %+v, want ocr, 2 pages, 1 by OCR, truncated", res)
	}
	mustContain(t, res.Text, "Gemeinderat")

	off := newExtractor(t, Config{MaxOCRPages: -1})
	res = mustExtract(t, off, "scan.pdf", pdf)
	if res.Method != MethodPDFText || res.OCRPages != 0 || strings.TrimSpace(res.Text) != "" {
		t.Errorf("with OCR off: %+v", res)
	}
	if _, err := extractFile(t, off, "scan.png", encodePNG(t, scan)); !errors.Is(err, ErrUnsupported) {
		t.Errorf("image with OCR off: err = %v, want ErrUnsupported", err)
	}
}

func TestExtractHugePage(t *testing.T) {
	e := newExtractor(t, Config{})
	for _, s := range []pageSize{{14400, 14400}, {595, 842}, {1e5, 10}} {
		dpi := e.renderDPI(s)
		if px := int64(s.w*float64(dpi)/72+1) * int64(s.h*float64(dpi)/72+1); px > e.cfg.MaxImagePixels {
			t.Errorf("page %v at %d dpi: %d pixels", s, dpi, px)
		}
	}
	if dpi := e.renderDPI(pageSize{595, 842}); dpi != 300 {
		t.Errorf("A4 renders at %d dpi, want 300", dpi)
	}

	// A 5 m × 5 m page (the largest PDF allows) with the scan on it: rendered at a
	// resolution that keeps the image within MaxImagePixels, not at 300 dpi (3.6
	// gigapixels).
	small := newExtractor(t, Config{MaxImagePixels: 4_000_000})
	scan := crop(scanOf(t, buildPDF(t, pdfPage{lines: germanLines}), 200), 500)
	start := time.Now()
	res := mustExtract(t, small, "plan.pdf", buildPDF(t, pdfPage{img: scan, size: image.Pt(14400, 14400)}))
	if res.Pages != 1 || res.Truncated {
		t.Errorf("result %+v", res)
	}
	t.Logf("huge page: %v, text %q", time.Since(start).Round(time.Millisecond), res.Text)
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

func TestExtractDOCX(t *testing.T) {
	e := newExtractor(t, Config{})
	body := `<w:p><w:pPr><w:tabs><w:tab w:val="left" w:pos="720"/></w:tabs></w:pPr>` +
		`<w:r><w:t>Beschlüsse</w:t></w:r><w:r><w:tab/><w:t xml:space="preserve">des </w:t></w:r><w:r><w:t>Gemeinderats &amp; der Ausschüsse</w:t></w:r></w:p>` +
		`<w:p><w:r><w:t>Frist</w:t></w:r><w:r><w:t>verlängerung</w:t></w:r><w:r><w:br/><w:t>zweite Zeile</w:t></w:r></w:p>` +
		`<w:p><w:del w:id="1"><w:r><w:delText>gelöschter Text</w:delText></w:r></w:del><w:r><w:instrText> PAGE </w:instrText></w:r></w:p>` +
		`<w:p><w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><wps:txbx><w:txbxContent><w:p><w:r><w:t>Textfeld</w:t></w:r></w:p></w:txbxContent></wps:txbx></w:drawing></mc:Choice>` +
		`<mc:Fallback><w:pict><w:txbxContent><w:p><w:r><w:t>Textfeld</w:t></w:r></w:p></w:txbxContent></w:pict></mc:Fallback></mc:AlternateContent></w:r></w:p>` +
		`<w:tbl><w:tr><w:tc><w:p><w:r><w:t>Zelle eins</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>Zelle zwei</w:t></w:r></w:p></w:tc></w:tr></w:tbl>`
	footnotes := zipEntryData{name: "word/footnotes.xml", body: xmlDec + `<w:footnotes ` + nsW + `><w:footnote w:id="1"><w:p><w:r><w:t>Fußnote zur Satzung</w:t></w:r></w:p></w:footnote></w:footnotes>`}
	res := mustExtract(t, e, "beschluss.docx", buildDOCX(t, body, footnotes))
	if res.Method != MethodDOCX || res.Truncated {
		t.Errorf("result %+v", res)
	}
	for _, want := range []string{"Beschlüsse\tdes Gemeinderats & der Ausschüsse\n", "Fristverlängerung\nzweite Zeile\n", "Zelle eins\nZelle zwei", "Fußnote zur Satzung"} {
		if !strings.Contains(res.Text, want) {
			t.Errorf("text lacks %q:\n%q", want, res.Text)
		}
	}
	for _, unwanted := range []string{"gelöscht", "PAGE", "\t\t"} {
		if strings.Contains(res.Text, unwanted) {
			t.Errorf("text has %q:\n%q", unwanted, res.Text)
		}
	}
	if n := strings.Count(res.Text, "Textfeld"); n != 1 {
		t.Errorf("text box text appears %d times, want once:\n%q", n, res.Text)
	}
	// The macro-enabled variant is read the same way.
	path := writeFile(t, "a.docm", buildDOCX(t, body))
	if res, err := e.Extract(t.Context(), path, TypeDOCM); err != nil || !strings.Contains(res.Text, "Fristverlängerung") {
		t.Errorf("docm: %v %q", err, res.Text)
	}
	// A ZIP without word/document.xml is an error, not an empty text.
	if _, err := e.Extract(t.Context(), writeFile(t, "x.docx", buildZip(t, zipEntryData{name: "a", body: "b"})), TypeDOCX); err == nil {
		t.Error("DOCX without word/document.xml: no error")
	}
}

func TestExtractODF(t *testing.T) {
	e := newExtractor(t, Config{})
	content := `<office:text>` +
		`<text:tracked-changes><text:changed-region text:id="c1"><text:deletion><office:change-info><dc:creator>Prüferin</dc:creator></office:change-info><text:p>gelöschter Absatz</text:p></text:deletion></text:changed-region></text:tracked-changes>` +
		`<text:h text:outline-level="1">Beschlüsse</text:h>` +
		`<text:p>Antrag auf <text:span text:style-name="T1">Fristverlängerung</text:span>:<text:s text:c="3"/>ja<text:tab/>nein<text:line-break/>Zeile zwei<text:s text:c="999999999"/>Ende</text:p>` +
		`<text:p>Mit Anmerkung<office:annotation><dc:creator>Prüferin</dc:creator><text:p>Kommentar</text:p></office:annotation>.</text:p>` +
		`</office:text>`
	res := mustExtract(t, e, "beschluss.odt", buildODF(t, TypeODT, content))
	want := "Beschlüsse\nAntrag auf Fristverlängerung:   ja\tnein\nZeile zwei" + strings.Repeat(" ", maxSpaces) + "Ende\nMit Anmerkung."
	if res.Text != want || res.Method != MethodODT || res.Truncated {
		t.Errorf("ODT: %+v\ntext %q\nwant %q", res, res.Text, want)
	}

	ods := `<office:spreadsheet><table:table table:name="Haushalt"><table:table-row><table:table-cell><text:p>Straßenbau</text:p></table:table-cell><table:table-cell table:number-columns-repeated="16000"/></table:table-row></table:table></office:spreadsheet>`
	res = mustExtract(t, e, "haushalt.ods", buildODF(t, TypeODS, ods))
	if res.Text != "Straßenbau" || res.Method != MethodODS {
		t.Errorf("ODS: %+v", res)
	}

	odp := `<office:presentation><draw:page draw:name="1"><draw:frame><draw:text-box><text:p>Folie eins: Bürgerbeteiligung</text:p></draw:text-box></draw:frame><presentation:notes><draw:frame><draw:text-box><text:p>Sprechernotiz</text:p></draw:text-box></draw:frame></presentation:notes></draw:page>` +
		`<draw:page draw:name="2"><draw:frame><draw:text-box><text:p>Folie zwei</text:p></draw:text-box></draw:frame></draw:page></office:presentation>`
	res = mustExtract(t, e, "vortrag.odp", buildODF(t, TypeODP, odp))
	if res.Text != "Folie eins: Bürgerbeteiligung\n\fFolie zwei" || res.Method != MethodODP || res.Pages != 2 {
		t.Errorf("ODP: %+v", res)
	}
}

func TestExtractPPTXAndXLSX(t *testing.T) {
	e := newExtractor(t, Config{})
	slide := func(text string) string {
		return xmlDec + `<p:sld ` + nsA + ` ` + nsP + `><p:cSld><p:spTree><p:sp><p:txBody><a:p><a:pPr><a:tabLst><a:tab pos="1"/></a:tabLst></a:pPr><a:r><a:t>` + text + `</a:t></a:r><a:br/><a:r><a:t>Unterzeile</a:t></a:r></a:p></p:txBody></p:sp></p:spTree></p:cSld></p:sld>`
	}
	pptx := buildZip(t,
		contentTypes("application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml"),
		zipEntryData{name: "ppt/presentation.xml", body: "<x/>"},
		zipEntryData{name: "ppt/slides/slide10.xml", body: slide("Zehn")},
		zipEntryData{name: "ppt/slides/slide2.xml", body: slide("Zwei")},
		zipEntryData{name: "ppt/slides/slide1.xml", body: slide("Eins: Öffentlichkeitsbeteiligung")},
		zipEntryData{name: "ppt/slides/_rels/slide1.xml.rels", body: "<x/>"},
	)
	res := mustExtract(t, e, "vortrag.pptx", pptx)
	want := "Eins: Öffentlichkeitsbeteiligung\nUnterzeile\n\fZwei\nUnterzeile\n\fZehn\nUnterzeile"
	if res.Text != want || res.Method != MethodPPTX || res.Pages != 3 {
		t.Errorf("PPTX: %+v\nwant %q", res, want)
	}

	xlsx := buildZip(t,
		contentTypes("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"),
		zipEntryData{name: "xl/workbook.xml", body: "<x/>"},
		zipEntryData{name: "xl/sharedStrings.xml", body: xmlDec + `<sst ` + nsX + ` count="2" uniqueCount="2"><si><t>Haushaltsplan 2025</t></si><si><r><t>Grund</t></r><r><t>steuer</t></r><rPh sb="0" eb="1"><t>ふりがな</t></rPh></si></sst>`},
	)
	res = mustExtract(t, e, "plan.xlsx", xlsx)
	if res.Text != "Haushaltsplan 2025\nGrundsteuer" || res.Method != MethodXLSX {
		t.Errorf("XLSX: %+v", res)
	}
}

func TestExtractZipBombs(t *testing.T) {
	// 20 MiB of text in one w:t, compressed to about 50 KiB.
	var body bytes.Buffer
	body.WriteString(`<w:p><w:r><w:t>`)
	body.Write(bytes.Repeat([]byte("Fristverlängerung "), 20<<20/19))
	body.WriteString(`</w:t></w:r></w:p>`)
	bomb := buildDOCX(t, body.String())
	t.Logf("DOCX bomb: %d bytes compressed, %d decompressed", len(bomb), body.Len())

	e := newExtractor(t, Config{MaxMarkupBytes: 1 << 20})
	start := time.Now()
	res := mustExtract(t, e, "bomb.docx", bomb)
	if !res.Truncated || len(res.Text) > 1<<20 || len(res.Text) < 100 {
		t.Errorf("markup limit: truncated=%v len=%d", res.Truncated, len(res.Text))
	}
	t.Logf("markup limit reached after %v", time.Since(start))

	small := newExtractor(t, Config{MaxOutputBytes: 1000})
	res = mustExtract(t, small, "bomb.docx", bomb)
	if !res.Truncated || len(res.Text) > 1000 || !utf8.ValidString(res.Text) {
		t.Errorf("output limit: truncated=%v len=%d", res.Truncated, len(res.Text))
	}

	// A central directory far larger than any office file's: long names, few entries.
	long := strings.Repeat("n", 60000)
	var entries []zipEntryData
	for i := range 150 {
		entries = append(entries, zipEntryData{name: long + string(rune('a'+i%26)) + strings.Repeat("x", i/26), store: true})
	}
	entries = append(entries, zipEntryData{name: "word/document.xml", body: "<x/>"})
	big := writeFile(t, "dir.docx", buildZip(t, entries...))
	if ct, err := SniffFile(big, "dir.docx"); err != nil || ct != TypeZIP {
		t.Errorf("SniffFile of a ZIP with a huge directory = %q, %v; want application/zip", ct, err)
	}
	if _, err := e.Extract(t.Context(), big, TypeDOCX); !errors.Is(err, errZipDirectory) {
		t.Errorf("Extract of a ZIP with a huge directory: err = %v", err)
	}
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

func BenchmarkExtractTextPDF(b *testing.B) {
	e := newExtractor(b, Config{})
	var pages []pdfPage
	for range 3 {
		pages = append(pages, pdfPage{lines: germanLines})
	}
	path := writeFile(b, "sitzung.pdf", buildPDF(b, pages...))
	ctx := context.Background()
	docs := 0
	for b.Loop() {
		res, err := e.Extract(ctx, path, TypePDF)
		if err != nil || res.Method != MethodPDFText {
			b.Fatalf("%v %+v", err, res)
		}
		docs++
	}
	b.ReportMetric(float64(docs)/b.Elapsed().Seconds(), "docs/s")
}
