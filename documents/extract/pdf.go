package extract

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"math"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
)

// extractPDF reads the text layer with pdftotext and recognises by OCR the pages
// whose text layer is (nearly) empty, up to MaxOCRPages of them.
func (e *Extractor) extractPDF(ctx context.Context, path string) (Result, error) {
	abs, err := filepath.Abs(path) // never let a name start with "-"
	if err != nil {
		return Result{}, err
	}
	out, stopped, err := e.run(ctx, e.cfg.PDFToText,
		[]string{"-layout", "-enc", "UTF-8", abs, "-"}, e.cfg.MaxOutputBytes, nil)
	if err != nil {
		return Result{}, err
	}

	// pdftotext ends every page with a form feed; when stopped early, the last
	// element is the part of a page that was read.
	pages := strings.Split(string(out), "\f")
	complete := len(pages) - 1
	if stopped {
		if strings.TrimSpace(pages[len(pages)-1]) == "" {
			pages = pages[:len(pages)-1]
		}
	} else {
		pages = pages[:complete]
	}

	var scanned []int // indexes of complete pages with (nearly) no text layer
	for i := 0; i < complete && i < len(pages); i++ {
		if nonSpace(pages[i]) < e.cfg.MinCharsPerPage {
			scanned = append(scanned, i)
		}
	}
	truncated := stopped
	ocrPages := 0
	if len(scanned) > 0 && e.cfg.MaxOCRPages >= 0 {
		todo := scanned
		if len(todo) > e.cfg.MaxOCRPages {
			todo = todo[:e.cfg.MaxOCRPages]
			truncated = true
		}
		if len(todo) > 0 {
			texts, err := e.ocrPDFPages(ctx, abs, todo)
			if err != nil {
				return Result{}, err
			}
			for i, p := range todo {
				if nonSpace(texts[i]) > nonSpace(pages[p]) {
					pages[p] = texts[i]
					ocrPages++
				}
			}
		}
	}

	method := MethodPDFText
	if ocrPages > 0 {
		method = MethodPDFTextOCR
		if len(pages) == len(scanned) { // no page had a text layer of its own
			method = MethodOCR
		}
	}
	text, cut := finishText(strings.Join(pages, "\f"), e.cfg.MaxOutputBytes)
	covered := len(pages)
	if cut { // the text ends inside a page: count what it still covers
		covered = strings.Count(text, "\f") + 1
	}
	return Result{
		Text:      text,
		Method:    method,
		Truncated: truncated || cut,
		Pages:     covered,
		OCRPages:  ocrPages,
	}, nil
}

// ocrPDFPages renders the given pages (0-based) one by one with pdftoppm and
// recognises each with tesseract, OCRWorkers at a time; texts are in the order of
// pages. Rendered images live in a temporary directory that is always removed.
func (e *Extractor) ocrPDFPages(ctx context.Context, pdf string, pages []int) ([]string, error) {
	sizes, err := e.pageSizes(ctx, pdf, pages[0]+1, pages[len(pages)-1]+1)
	if err != nil {
		return nil, err
	}
	dir, err := e.mkTemp()
	if err != nil {
		return nil, err
	}
	defer removeAll(dir)

	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	texts := make([]string, len(pages))
	errs := make([]error, len(pages))
	next := make(chan int)
	var wg sync.WaitGroup
	for range max(1, min(e.cfg.OCRWorkers, len(pages))) {
		wg.Go(func() {
			for i := range next {
				texts[i], errs[i] = e.ocrPDFPage(ctx, pdf, dir, pages[i]+1, sizes[pages[i]+1])
				if errs[i] != nil {
					cancel()
				}
			}
		})
	}
feed:
	for i := range pages {
		select {
		case next <- i:
		case <-ctx.Done():
			break feed
		}
	}
	close(next)
	wg.Wait()
	if err := ctx.Err(); err != nil {
		for _, err := range errs {
			if err != nil {
				return nil, err // the first failure, not the cancellation it caused
			}
		}
		return nil, fmt.Errorf("ocr: %w", err)
	}
	return texts, nil
}

// ocrPDFPage renders page (1-based) to a grey PNG and returns tesseract's text.
func (e *Extractor) ocrPDFPage(ctx context.Context, pdf, dir string, page int, size pageSize) (string, error) {
	dpi := e.renderDPI(size)
	base := filepath.Join(dir, "p"+strconv.Itoa(page))
	p := strconv.Itoa(page)
	args := []string{"-f", p, "-l", p, "-r", strconv.Itoa(dpi), "-gray", "-png", "-singlefile"}
	if !size.known() {
		// Without a size, crop the rendering so that it stays within MaxImagePixels.
		side := strconv.Itoa(int(math.Sqrt(float64(e.cfg.MaxImagePixels))))
		args = append(args, "-x", "0", "-y", "0", "-W", side, "-H", side)
	}
	args = append(args, pdf, base)
	if _, _, err := e.run(ctx, e.cfg.PDFToPPM, args, 1<<20, nil); err != nil {
		return "", fmt.Errorf("render page %d: %w", page, err)
	}
	png := base + ".png"
	defer removeAll(png)
	out, _, err := e.run(ctx, e.cfg.Tesseract, []string{
		png, "stdout", "-l", e.cfg.OCRLanguage, "--dpi", strconv.Itoa(dpi), "-c", "page_separator=",
	}, e.cfg.MaxOutputBytes, nil)
	if err != nil {
		return "", fmt.Errorf("ocr page %d: %w", page, err)
	}
	return strings.TrimRight(string(out), "\n\f"), nil
}

// pageSize is a page's size in PDF points (1/72 inch); zero when unknown.
type pageSize struct{ w, h float64 }

// known reports whether the size is known and plausible (at most 1000 m a side).
func (s pageSize) known() bool {
	return s.w > 0 && s.h > 0 && s.w < 3e6 && s.h < 3e6
}

// pageSizes asks pdfinfo for the sizes of pages first..last (1-based).
func (e *Extractor) pageSizes(ctx context.Context, pdf string, first, last int) (map[int]pageSize, error) {
	out, _, err := e.run(ctx, e.cfg.PDFInfo, []string{
		"-f", strconv.Itoa(first), "-l", strconv.Itoa(last), pdf,
	}, 4<<20, nil)
	if err != nil {
		return nil, fmt.Errorf("page sizes: %w", err)
	}
	sizes := map[int]pageSize{}
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		// "Page    1 size: 595.276 x 841.89 pts (A4)"
		f := strings.Fields(sc.Text())
		if len(f) < 6 || f[0] != "Page" || f[2] != "size:" || f[4] != "x" {
			continue
		}
		n, err1 := strconv.Atoi(f[1])
		w, err2 := strconv.ParseFloat(f[3], 64)
		h, err3 := strconv.ParseFloat(f[5], 64)
		if err1 == nil && err2 == nil && err3 == nil {
			sizes[n] = pageSize{w, h}
		}
	}
	return sizes, nil
}

// renderDPI is OCRResolution, lowered for pages so large that the rendered image
// would exceed MaxImagePixels.
func (e *Extractor) renderDPI(s pageSize) int {
	dpi := e.cfg.OCRResolution
	if !s.known() {
		return dpi
	}
	for dpi > 10 && int64(s.w*float64(dpi)/72+1)*int64(s.h*float64(dpi)/72+1) > e.cfg.MaxImagePixels {
		dpi = dpi * 9 / 10
	}
	return dpi
}

// extractImage recognises an image (PNG, JPEG, GIF, TIFF; every page of a TIFF, up
// to MaxOCRPages) with tesseract, after checking its size.
func (e *Extractor) extractImage(ctx context.Context, path, mediaType string) (Result, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return Result{}, err
	}
	pages, err := imagePages(abs, mediaType, e.cfg.MaxImagePixels)
	if err != nil {
		return Result{}, err
	}
	// tesseract writes a form feed after every page but the last: maxPages form
	// feeds mean maxPages pages are done.
	maxPages := e.cfg.MaxOCRPages
	var stop func([]byte) bool
	if pages > maxPages {
		stop = func(b []byte) bool { return bytes.Count(b, []byte{'\f'}) >= maxPages }
	}
	out, _, err := e.run(ctx, e.cfg.Tesseract, []string{
		abs, "stdout", "-l", e.cfg.OCRLanguage,
	}, e.cfg.MaxOutputBytes, stop)
	if err != nil {
		return Result{}, fmt.Errorf("ocr: %w", err)
	}
	full := len(out) > e.cfg.MaxOutputBytes
	// Form feeds separate the pages (tesseract 5 writes none after the last page,
	// older versions do); the page count from the file says how many are real.
	texts := strings.Split(string(out), "\f")
	texts = texts[:min(len(texts), pages, maxPages)]
	for i := range texts {
		texts[i] = strings.TrimRight(texts[i], "\n")
	}
	text, cut := finishText(strings.Join(texts, "\f"), e.cfg.MaxOutputBytes)
	return Result{
		Text:      text,
		Method:    MethodOCR,
		Truncated: cut || full || pages > len(texts),
		Pages:     len(texts),
		OCRPages:  len(texts),
	}, nil
}

// nonSpace counts the runes of s that are not white space.
func nonSpace(s string) int {
	n := 0
	for _, r := range s {
		if !unicode.IsSpace(r) {
			n++
		}
	}
	return n
}

// finishText makes s valid UTF-8 without NUL bytes and cuts it to at most max bytes
// at a rune boundary; cut reports whether anything was cut.
func finishText(s string, max int) (text string, cut bool) {
	s = strings.ToValidUTF8(s, "\uFFFD")
	s = strings.ReplaceAll(s, "\x00", "")
	if len(s) <= max {
		return s, false
	}
	i := max
	for i > 0 && !utf8.RuneStart(s[i]) {
		i--
	}
	return s[:i], true
}
