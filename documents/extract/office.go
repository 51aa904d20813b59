package extract

import (
	"archive/zip"
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Namespace aliases: element names are matched as alias:local, so that the
// transitional and the strict OOXML namespaces read alike.
var nsAlias = map[string]string{
	"http://schemas.openxmlformats.org/wordprocessingml/2006/main": "w",
	"http://purl.oclc.org/ooxml/wordprocessingml/main":             "w",
	"http://schemas.openxmlformats.org/drawingml/2006/main":        "a",
	"http://purl.oclc.org/ooxml/drawingml/main":                    "a",
	"http://schemas.openxmlformats.org/officeDocument/2006/math":   "m",
	"http://purl.oclc.org/ooxml/officeDocument/math":               "m",
	"http://schemas.openxmlformats.org/spreadsheetml/2006/main":    "x",
	"http://purl.oclc.org/ooxml/spreadsheetml/main":                "x",
	"http://schemas.openxmlformats.org/markup-compatibility/2006":  "mc",
	"urn:oasis:names:tc:opendocument:xmlns:text:1.0":               "text",
	"urn:oasis:names:tc:opendocument:xmlns:office:1.0":             "office",
	"urn:oasis:names:tc:opendocument:xmlns:drawing:1.0":            "draw",
	"urn:oasis:names:tc:opendocument:xmlns:presentation:1.0":       "presentation",
}

// xmlRules say which text of an XML part is document text.
type xmlRules struct {
	containers map[string]bool   // character data inside these elements is text
	inserts    map[string]string // written where such an element starts
	breaks     map[string]string // written after such an element ends
	skip       map[string]bool   // subtrees ignored entirely
	page       string            // an element that is one page (slide): counted, "\f" after it
}

var (
	docxRules = &xmlRules{
		containers: map[string]bool{"w:t": true, "m:t": true},
		inserts:    map[string]string{"w:tab": "\t", "w:ptab": "\t", "w:br": "\n", "w:cr": "\n", "w:noBreakHyphen": "-"},
		breaks:     map[string]string{"w:p": "\n"},
		// mc:Fallback repeats mc:Choice (text boxes); w:pPr holds tab stops (w:tab).
		skip: map[string]bool{"mc:Fallback": true, "w:pPr": true},
	}
	pptxRules = &xmlRules{
		containers: map[string]bool{"a:t": true},
		inserts:    map[string]string{"a:br": "\n"},
		breaks:     map[string]string{"a:p": "\n"},
		skip:       map[string]bool{"mc:Fallback": true},
	}
	xlsxRules = &xmlRules{
		containers: map[string]bool{"x:t": true},
		breaks:     map[string]string{"x:si": "\n"},
		skip:       map[string]bool{"x:rPh": true}, // phonetic readings
	}
	odfRules = &xmlRules{
		containers: map[string]bool{"text:p": true, "text:h": true},
		inserts:    map[string]string{"text:tab": "\t", "text:line-break": "\n"},
		breaks:     map[string]string{"text:p": "\n", "text:h": "\n"},
		skip: map[string]bool{
			"text:tracked-changes": true, // deleted text
			"presentation:notes":   true, // speaker notes, as for PPTX
			"office:annotation":    true, // comments
		},
		page: "draw:page",
	}
)

// maxSpaces bounds the spaces written for one ODF text:s element.
const maxSpaces = 64

// extractOffice reads the text parts of an OOXML or ODF file.
func (e *Extractor) extractOffice(ctx context.Context, path string, k kind) (Result, error) {
	f, err := os.Open(path)
	if err != nil {
		return Result{}, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return Result{}, err
	}
	zr, err := openZip(f, st.Size())
	if err != nil {
		return Result{}, err
	}

	type part struct {
		name     string
		required bool
	}
	var parts []part
	var rules *xmlRules
	var method string
	switch k {
	case kindDOCX:
		parts = []part{{"word/document.xml", true}, {"word/footnotes.xml", false}, {"word/endnotes.xml", false}}
		rules, method = docxRules, MethodDOCX
	case kindXLSX:
		parts = []part{{"xl/sharedStrings.xml", false}}
		rules, method = xlsxRules, MethodXLSX
	case kindPPTX:
		for _, name := range slideNames(zr) {
			parts = append(parts, part{name, true})
		}
		rules, method = pptxRules, MethodPPTX
	case kindODT, kindODS, kindODP:
		parts = []part{{"content.xml", true}}
		rules = odfRules
		method = map[kind]string{kindODT: MethodODT, kindODS: MethodODS, kindODP: MethodODP}[k]
	}

	sink := &textSink{max: e.cfg.MaxOutputBytes}
	budget := &byteBudget{left: e.cfg.MaxMarkupBytes}
	for _, p := range parts {
		if sink.full || budget.hit {
			break
		}
		zf := zipEntry(zr, p.name)
		if zf == nil {
			if p.required {
				return Result{}, fmt.Errorf("%s is missing from the ZIP", p.name)
			}
			continue
		}
		if err := readPart(ctx, zf, rules, sink, budget); err != nil {
			return Result{}, fmt.Errorf("%s: %w", p.name, err)
		}
		if k == kindPPTX {
			sink.pages++
			sink.write("\f")
		} else {
			sink.write("\n")
		}
	}
	text, cut := finishText(strings.TrimRight(sink.b.String(), "\n\f"), e.cfg.MaxOutputBytes)
	return Result{
		Text:      text,
		Method:    method,
		Truncated: cut || sink.full || budget.hit,
		Pages:     sink.pages,
	}, nil
}

// readPart streams one XML part of a ZIP through the rules into sink, reading no
// more than the budget allows; reaching the budget ends the part early, not in error.
func readPart(ctx context.Context, zf *zip.File, rules *xmlRules, sink *textSink, budget *byteBudget) error {
	rc, err := zf.Open()
	if err != nil {
		return err
	}
	defer rc.Close()
	err = walkXML(ctx, &budgetReader{r: rc, b: budget}, rules, sink)
	if err != nil && budget.hit && !errors.Is(err, ErrLimit) {
		return nil // cut off mid-element by the budget: keep what was read
	}
	return err
}

// walkXML writes the text of one XML document to sink, as rules say. It streams the
// tokens and keeps no tree; a document nested deeper than MaxXMLDepth fails with
// ErrLimit before the decoder's stack of open elements can grow with it.
func walkXML(ctx context.Context, r io.Reader, rules *xmlRules, sink *textSink) error {
	dec := xml.NewDecoder(r)
	dec.CharsetReader = charsetReader
	depth, skipAt, inText := 0, 0, 0
	for n := 0; !sink.full; n++ {
		if n%4096 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			depth++
			if depth > MaxXMLDepth {
				return errTooDeep()
			}
			if skipAt > 0 {
				continue
			}
			k := xmlKey(t.Name)
			if rules.skip[k] {
				skipAt = depth
				continue
			}
			if rules.containers[k] {
				inText++
			}
			if k == "text:s" {
				sink.write(strings.Repeat(" ", odfSpaces(t.Attr)))
			} else if s, ok := rules.inserts[k]; ok {
				sink.write(s)
			}
		case xml.EndElement:
			if skipAt > 0 {
				if depth == skipAt {
					skipAt = 0
				}
				depth--
				continue
			}
			depth--
			k := xmlKey(t.Name)
			if rules.containers[k] {
				inText--
			}
			if s, ok := rules.breaks[k]; ok {
				sink.write(s)
			}
			if k == rules.page {
				sink.pages++
				sink.write("\f")
			}
		case xml.CharData:
			if skipAt == 0 && inText > 0 {
				sink.write(string(t))
			}
		}
	}
	return nil
}

func xmlKey(n xml.Name) string {
	return nsAlias[n.Space] + ":" + n.Local
}

// odfSpaces is the space count of a text:s element (attribute text:c, default 1).
func odfSpaces(attrs []xml.Attr) int {
	for _, a := range attrs {
		if a.Name.Local == "c" {
			if c, err := strconv.Atoi(a.Value); err == nil {
				return max(1, min(c, maxSpaces))
			}
		}
	}
	return 1
}

// slideNames lists ppt/slides/slideN.xml in the order of N.
func slideNames(zr *zip.Reader) []string {
	type slide struct {
		n    int
		name string
	}
	var slides []slide
	for _, f := range zr.File {
		num, ok := strings.CutPrefix(f.Name, "ppt/slides/slide")
		if !ok {
			continue
		}
		num, ok = strings.CutSuffix(num, ".xml")
		if n, err := strconv.Atoi(num); ok && err == nil {
			slides = append(slides, slide{n, f.Name})
		}
	}
	slices.SortFunc(slides, func(a, b slide) int { return a.n - b.n })
	names := make([]string, len(slides))
	for i, s := range slides {
		names[i] = s.name
	}
	return names
}

// textSink collects text up to max bytes; once a write does not fit, it keeps the
// part that fits (cut at a rune boundary) and is full.
type textSink struct {
	b     strings.Builder
	max   int
	full  bool
	pages int
}

func (s *textSink) write(str string) {
	if s.full {
		return
	}
	if room := s.max - s.b.Len(); len(str) > room {
		for room > 0 && !utf8.RuneStart(str[room]) {
			room--
		}
		s.b.WriteString(str[:room])
		s.full = true
		return
	}
	s.b.WriteString(str)
}

// byteBudget is the number of bytes still allowed to be read from one file's
// markup; hit records that more was there.
type byteBudget struct {
	left int64
	hit  bool
}

// budgetReader reads from r while the budget lasts.
type budgetReader struct {
	r io.Reader
	b *byteBudget
}

func (br *budgetReader) Read(p []byte) (int, error) {
	if br.b.left <= 0 {
		var one [1]byte
		if n, _ := br.r.Read(one[:]); n > 0 {
			br.b.hit = true
		}
		return 0, io.EOF
	}
	if int64(len(p)) > br.b.left {
		p = p[:br.b.left]
	}
	n, err := br.r.Read(p)
	br.b.left -= int64(n)
	return n, err
}
