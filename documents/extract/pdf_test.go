package extract

import (
	"context"
	"errors"
	"image"
	"strings"
	"testing"
	"time"
)

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
