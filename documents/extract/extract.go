// Package extract turns the bytes of an uploaded document into plain text for the
// full-text search: PDFs through poppler's pdftotext, scanned PDFs and images through
// tesseract OCR, DOCX/XLSX/PPTX and ODT/ODS/ODP by reading their XML parts, and plain
// text, HTML and XML directly.
//
// The package imports nothing of Kollab. A background job calls it once per document
// revision:
//
//	ct, err := extract.SniffFile(path, fileName) // what the bytes are, never the name
//	res, err := ex.Extract(ctx, path, ct)
//	if errors.Is(err, extract.ErrUnsupported) { /* mark the job skipped */ }
//
// With Config.Sandbox set (as `kollab serve` does), every Extract runs in a child
// process, `kollab extract` (ChildMain), that limits its own memory and CPU time
// (inherited by the tools it starts); the caller kills its process group after
// Timeout and reads at most MaxOutputBytes of text. A file that exceeds a limit
// returns an error wrapping ErrLimit: it is not extractable, and trying again gives
// the same answer.
//
// External tools run without a shell, with their arguments as a list, under a
// per-file timeout, and are killed when the context ends. Every input is bounded:
// the text kept, the decompressed bytes read from a ZIP container, the entries of
// its directory, the pixels rendered for OCR and the pages recognised.
package extract

import (
	"context"
	"errors"
	"fmt"
	"mime"
	"os"
	"os/exec"
	"regexp"
	"runtime"
	"strings"
	"time"
)

// ErrUnsupported is returned (wrapped, with the media type) by Extract for content
// types that have no extractor. Callers mark such jobs "skipped" rather than failed.
var ErrUnsupported = errors.New("extract: unsupported content type")

// Methods reported in Result.Method.
const (
	MethodPDFText    = "pdf-text"     // the text layer of a PDF (pdftotext)
	MethodOCR        = "ocr"          // every page with text came from OCR (tesseract)
	MethodPDFTextOCR = "pdf-text+ocr" // a PDF with text pages and scanned pages
	MethodDOCX       = "docx"
	MethodXLSX       = "xlsx" // shared strings only: cell texts, not numbers
	MethodPPTX       = "pptx"
	MethodODT        = "odt"
	MethodODS        = "ods"
	MethodODP        = "odp"
	MethodPlain      = "plain" // text/plain, text/markdown, text/csv
	MethodHTML       = "html"
	MethodXML        = "xml"
)

// Defaults of Config.
const (
	DefaultTimeout         = 120 * time.Second
	DefaultMaxOCRPages     = 50
	DefaultMaxOutputBytes  = 5 << 20
	DefaultMaxMarkupBytes  = 64 << 20
	DefaultMaxImagePixels  = 100_000_000
	DefaultOCRLanguage     = "deu"
	DefaultOCRResolution   = 300
	DefaultMinCharsPerPage = 20
)

// Config configures an Extractor. The zero value of every field means its default.
type Config struct {
	// Timeout bounds one Extract call, OCR included (default 120 s).
	Timeout time.Duration
	// MaxOCRPages is the most pages of one PDF (or multi-page TIFF) that are
	// recognised by OCR (default 50). Negative turns OCR off: scanned PDFs yield
	// their (empty) text layer and images are ErrUnsupported.
	MaxOCRPages int
	// MaxOutputBytes bounds Result.Text (default 5 MiB); longer text is cut at a rune
	// boundary and Result.Truncated is set.
	MaxOutputBytes int
	// MaxMarkupBytes bounds the markup read from one file: the decompressed bytes of
	// the XML parts of an office file, or an HTML or XML file (default 64 MiB). It is
	// the zip-bomb guard; reaching it truncates the text.
	MaxMarkupBytes int64
	// MaxImagePixels bounds width×height of an image given to OCR (default 100 MP);
	// larger images fail. PDF pages are rendered at a resolution that keeps within it.
	MaxImagePixels int64
	// OCRLanguage is tesseract's -l argument, e.g. "deu" or "deu+eng" (default "deu").
	OCRLanguage string
	// OCRResolution is the resolution in dpi at which PDF pages are rendered for OCR
	// (default 300).
	OCRResolution int
	// OCRWorkers is how many pages one Extract call renders and recognises at once
	// (default min(GOMAXPROCS, 4)). Each tesseract runs single-threaded.
	OCRWorkers int
	// MinCharsPerPage: a PDF page whose text layer has fewer non-space characters is
	// treated as scanned and recognised by OCR (default 20).
	MinCharsPerPage int
	// Paths of the tools; the defaults are looked up in PATH: pdftotext, pdftoppm and
	// pdfinfo from poppler-utils, tesseract from tesseract-ocr.
	PDFToText string
	PDFToPPM  string
	PDFInfo   string
	Tesseract string
	// TempDir is where the per-call temporary directory for rendered pages is made
	// (default os.TempDir()). It is always removed.
	TempDir string
	// Sandbox, when its Executable is set, runs every Extract in a child process
	// (`kollab extract`) with memory, CPU-time, wall-clock (Timeout) and output
	// (MaxOutputBytes) limits, so that no file can grow the calling process.
	Sandbox Sandbox
}

// Extractor extracts text from files. It is safe for concurrent use.
type Extractor struct {
	cfg Config
}

// Result is the text of one file.
type Result struct {
	// Text is valid UTF-8 without NUL bytes; pages (PDF pages, slides, TIFF pages)
	// are separated by form feeds.
	Text string
	// Method says how the text was obtained (one of the Method constants).
	Method string
	// Truncated is set when Text does not cover the whole file: MaxOutputBytes or
	// MaxMarkupBytes was reached, or more pages needed OCR than MaxOCRPages.
	Truncated bool
	// Pages is the number of pages (PDF, TIFF) or slides (PPTX, ODP) whose text is
	// in Text; 0 for formats without pages.
	Pages int
	// OCRPages is the number of pages whose text came from OCR (a PDF page whose
	// OCR found no more than its text layer keeps the text layer).
	OCRPages int
}

var ocrLanguageRE = regexp.MustCompile(`^[A-Za-z0-9_]+(\+[A-Za-z0-9_]+)*$`)

// New returns an Extractor with cfg's zero fields set to their defaults. It fails on
// a negative limit or a malformed OCR language; it does not look for the tools (see
// Check).
func New(cfg Config) (*Extractor, error) {
	cfg.setDefaults()
	if err := cfg.check(); err != nil {
		return nil, err
	}
	return &Extractor{cfg: cfg}, nil
}

// setDefaults fills the zero fields of a Config with their defaults.
func (cfg *Config) setDefaults() {
	if cfg.Timeout == 0 {
		cfg.Timeout = DefaultTimeout
	}
	if cfg.MaxOCRPages == 0 {
		cfg.MaxOCRPages = DefaultMaxOCRPages
	}
	if cfg.MaxOutputBytes == 0 {
		cfg.MaxOutputBytes = DefaultMaxOutputBytes
	}
	if cfg.MaxMarkupBytes == 0 {
		cfg.MaxMarkupBytes = DefaultMaxMarkupBytes
	}
	if cfg.MaxImagePixels == 0 {
		cfg.MaxImagePixels = DefaultMaxImagePixels
	}
	if cfg.OCRLanguage == "" {
		cfg.OCRLanguage = DefaultOCRLanguage
	}
	if cfg.OCRResolution == 0 {
		cfg.OCRResolution = DefaultOCRResolution
	}
	if cfg.OCRWorkers == 0 {
		cfg.OCRWorkers = min(runtime.GOMAXPROCS(0), 4)
	}
	if cfg.MinCharsPerPage == 0 {
		cfg.MinCharsPerPage = DefaultMinCharsPerPage
	}
	if cfg.PDFToText == "" {
		cfg.PDFToText = "pdftotext"
	}
	if cfg.PDFToPPM == "" {
		cfg.PDFToPPM = "pdftoppm"
	}
	if cfg.PDFInfo == "" {
		cfg.PDFInfo = "pdfinfo"
	}
	if cfg.Tesseract == "" {
		cfg.Tesseract = "tesseract"
	}
	if cfg.Sandbox.Executable != "" {
		if cfg.Sandbox.Memory == 0 {
			cfg.Sandbox.Memory = DefaultSandboxMemory
		}
		if cfg.Sandbox.CPU == 0 {
			cfg.Sandbox.CPU = DefaultSandboxCPU
		}
		if len(cfg.Sandbox.Args) == 0 {
			cfg.Sandbox.Args = []string{"extract"}
		}
	}
}

// check reports every invalid field of a Config with its defaults set.
func (cfg *Config) check() error {
	var problems []error
	if cfg.Timeout < 0 {
		problems = append(problems, fmt.Errorf("Timeout %s is negative", cfg.Timeout))
	}
	if cfg.MaxOutputBytes < 0 {
		problems = append(problems, fmt.Errorf("MaxOutputBytes %d is negative", cfg.MaxOutputBytes))
	}
	if cfg.MaxMarkupBytes < 0 {
		problems = append(problems, fmt.Errorf("MaxMarkupBytes %d is negative", cfg.MaxMarkupBytes))
	}
	if cfg.MaxImagePixels < 0 {
		problems = append(problems, fmt.Errorf("MaxImagePixels %d is negative", cfg.MaxImagePixels))
	}
	if cfg.OCRResolution < 0 || cfg.OCRResolution > 1200 {
		problems = append(problems, fmt.Errorf("OCRResolution %d is outside 1..1200 dpi", cfg.OCRResolution))
	}
	if cfg.OCRWorkers < 0 {
		problems = append(problems, fmt.Errorf("OCRWorkers %d is negative", cfg.OCRWorkers))
	}
	if cfg.MinCharsPerPage < 0 {
		problems = append(problems, fmt.Errorf("MinCharsPerPage %d is negative", cfg.MinCharsPerPage))
	}
	if cfg.Sandbox.Memory < 0 || cfg.Sandbox.Memory > 0 && cfg.Sandbox.Memory < MinSandboxMemory {
		problems = append(problems, fmt.Errorf("Sandbox.Memory %d is below %d bytes", cfg.Sandbox.Memory, int64(MinSandboxMemory)))
	}
	if cfg.Sandbox.CPU < 0 || cfg.Sandbox.CPU > 0 && cfg.Sandbox.CPU < time.Second {
		problems = append(problems, fmt.Errorf("Sandbox.CPU %s is below 1s", cfg.Sandbox.CPU))
	}
	if !ocrLanguageRE.MatchString(cfg.OCRLanguage) {
		problems = append(problems, fmt.Errorf("OCRLanguage %q is not of the form deu or deu+eng", cfg.OCRLanguage))
	}
	if len(problems) > 0 {
		return fmt.Errorf("extract: invalid config: %w", errors.Join(problems...))
	}
	return nil
}

// Config returns the effective configuration, defaults filled in (for logging).
func (e *Extractor) Config() Config { return e.cfg }

// Extract returns the text of the file at path, whose media type contentType was
// found by SniffFile (parameters such as "; charset=" are ignored). Types without an
// extractor return an error wrapping ErrUnsupported; failures of a tool or a
// malformed file return other errors, with context. The call is bounded by the
// configured Timeout and ends, killing any tool it runs, when ctx ends.
func (e *Extractor) Extract(ctx context.Context, path string, contentType string) (Result, error) {
	mediaType := normalizeType(contentType)
	kind, ok := kinds[mediaType]
	if !ok {
		return Result{}, fmt.Errorf("%w: %q", ErrUnsupported, mediaType)
	}
	if kind == kindImage && e.cfg.MaxOCRPages < 0 {
		return Result{}, fmt.Errorf("%w: %q (OCR is turned off)", ErrUnsupported, mediaType)
	}
	if e.cfg.Sandbox.Executable != "" {
		res, err := e.extractInChild(ctx, path, mediaType)
		if err != nil {
			return Result{}, fmt.Errorf("extract %s: %w", mediaType, err)
		}
		return res, nil
	}
	parent := ctx
	ctx, cancel := context.WithTimeout(ctx, e.cfg.Timeout)
	defer cancel()

	res, err := e.extract(ctx, path, mediaType, kind)
	if err != nil {
		if ctx.Err() != nil && !errors.Is(err, ctx.Err()) {
			err = fmt.Errorf("%w (%w)", err, ctx.Err())
		}
		if parent.Err() == nil && errors.Is(ctx.Err(), context.DeadlineExceeded) && !errors.Is(err, ErrLimit) {
			// Our own timeout, not the caller's: the file takes too long.
			err = fmt.Errorf("%w: took longer than %s: %w", ErrLimit, e.cfg.Timeout, err)
		}
		return Result{}, fmt.Errorf("extract %s: %w", mediaType, err)
	}
	return res, nil
}

func (e *Extractor) extract(ctx context.Context, path, mediaType string, k kind) (Result, error) {
	switch k {
	case kindPDF:
		if err := checkMagic(path, mediaType); err != nil {
			return Result{}, err
		}
		return e.extractPDF(ctx, path)
	case kindImage:
		if err := checkMagic(path, mediaType); err != nil {
			return Result{}, err
		}
		return e.extractImage(ctx, path, mediaType)
	case kindDOCX, kindXLSX, kindPPTX, kindODT, kindODS, kindODP:
		return e.extractOffice(ctx, path, k)
	case kindPlain:
		return e.extractPlain(path)
	case kindHTML:
		return e.extractHTML(path)
	case kindXML:
		return e.extractXML(ctx, path)
	}
	return Result{}, fmt.Errorf("internal: no extractor for kind %d", k)
}

// kind is the extractor chosen for a media type.
type kind int

const (
	kindPDF kind = iota + 1
	kindImage
	kindDOCX
	kindXLSX
	kindPPTX
	kindODT
	kindODS
	kindODP
	kindPlain
	kindHTML
	kindXML
)

// kinds maps the media types Extract handles, lower-cased as normalizeType leaves
// them, to their extractor; it is never modified.
var kinds = map[string]kind{
	TypePDF:                     kindPDF,
	TypePNG:                     kindImage,
	TypeJPEG:                    kindImage,
	TypeGIF:                     kindImage,
	TypeTIFF:                    kindImage,
	TypeDOCX:                    kindDOCX,
	strings.ToLower(TypeDOCM):   kindDOCX,
	TypeXLSX:                    kindXLSX,
	strings.ToLower(TypeXLSM):   kindXLSX,
	TypePPTX:                    kindPPTX,
	strings.ToLower(TypePPTM):   kindPPTX,
	TypeODT:                     kindODT,
	TypeODS:                     kindODS,
	TypeODP:                     kindODP,
	TypePlain:                   kindPlain,
	TypeMarkdown:                kindPlain,
	"text/csv":                  kindPlain,
	"text/tab-separated-values": kindPlain,
	TypeHTML:                    kindHTML,
	TypeXML:                     kindXML,
	"application/xml":           kindXML,
}

// normalizeType lower-cases a media type and drops its parameters.
func normalizeType(contentType string) string {
	if mt, _, err := mime.ParseMediaType(contentType); err == nil {
		return mt
	}
	mt, _, _ := strings.Cut(contentType, ";")
	return strings.ToLower(strings.TrimSpace(mt))
}

// Check reports, as one error, every tool that cannot be run and every OCR language
// that tesseract lacks, with the Debian package to install; nil when all is there.
// The server logs it at start; tests fail on it.
func (e *Extractor) Check(ctx context.Context) error {
	var problems []error
	tools := []struct{ path, pkg string }{
		{e.cfg.PDFToText, "poppler-utils"},
		{e.cfg.PDFToPPM, "poppler-utils"},
		{e.cfg.PDFInfo, "poppler-utils"},
		{e.cfg.Tesseract, "tesseract-ocr"},
	}
	tesseractOK := true
	for _, t := range tools {
		if _, err := exec.LookPath(t.path); err != nil {
			problems = append(problems, fmt.Errorf("%s is missing (install the Debian package %s): %w", t.path, t.pkg, err))
			if t.path == e.cfg.Tesseract {
				tesseractOK = false
			}
		}
	}
	if tesseractOK && e.cfg.MaxOCRPages >= 0 {
		if err := e.checkLanguages(ctx); err != nil {
			problems = append(problems, err)
		}
	}
	if len(problems) > 0 {
		return fmt.Errorf("extract: text extraction is not fully available: %w", errors.Join(problems...))
	}
	return nil
}

// checkLanguages asks tesseract --list-langs for every part of OCRLanguage.
func (e *Extractor) checkLanguages(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	out, _, err := e.run(ctx, e.cfg.Tesseract, []string{"--list-langs"}, 1<<20, nil)
	if err != nil {
		return fmt.Errorf("%s --list-langs: %w", e.cfg.Tesseract, err)
	}
	have := map[string]bool{}
	var list []string
	for i, line := range strings.Split(string(out), "\n") {
		line = strings.TrimSpace(line)
		if i == 0 && strings.HasPrefix(line, "List of available languages") || line == "" {
			continue
		}
		have[line] = true
		list = append(list, line)
	}
	var missing []string
	for _, lang := range strings.Split(e.cfg.OCRLanguage, "+") {
		if !have[lang] {
			missing = append(missing, lang)
		}
	}
	if len(missing) > 0 {
		return fmt.Errorf("tesseract lacks the OCR language(s) %s (install tesseract-ocr-%s); it has: %s",
			strings.Join(missing, ", "), missing[0], strings.Join(list, ", "))
	}
	return nil
}

// mkTemp makes the per-call temporary directory; the caller removes it.
func (e *Extractor) mkTemp() (string, error) {
	dir, err := os.MkdirTemp(e.cfg.TempDir, "kollab-extract-")
	if err != nil {
		return "", fmt.Errorf("temporary directory: %w", err)
	}
	return dir, nil
}

// removeAll removes a temporary file or directory; a failure leaves litter in the
// temporary directory but does not fail the extraction.
func removeAll(path string) { _ = os.RemoveAll(path) }
