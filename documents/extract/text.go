package extract

import (
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/htmlindex"
)

// extractPlain reads a text file: UTF-8 (a BOM is dropped), UTF-16 with a BOM, or,
// when the bytes are not UTF-8, Windows-1252.
func (e *Extractor) extractPlain(path string) (Result, error) {
	// UTF-16 takes two bytes for what is one in UTF-8; read enough for the limit.
	raw, more, err := readHead(path, 2*int64(e.cfg.MaxOutputBytes)+4)
	if err != nil {
		return Result{}, err
	}
	text, cut := finishText(decodeText(raw, !more), e.cfg.MaxOutputBytes)
	return Result{Text: text, Method: MethodPlain, Truncated: cut || more}, nil
}

// extractHTML reads an HTML file and keeps its text: no tags, scripts or styles;
// entities decoded; block elements on lines of their own.
func (e *Extractor) extractHTML(path string) (Result, error) {
	raw, more, err := readHead(path, e.cfg.MaxMarkupBytes)
	if err != nil {
		return Result{}, err
	}
	sink := &textSink{max: e.cfg.MaxOutputBytes}
	z := html.NewTokenizer(strings.NewReader(decodeText(raw, !more)))
	skip := atom.Atom(0) // inside <script>, <style>, … until its end tag
	for !sink.full {
		tt := z.Next()
		if tt == html.ErrorToken {
			if err := z.Err(); !errors.Is(err, io.EOF) {
				return Result{}, fmt.Errorf("html: %w", err)
			}
			break
		}
		name, _ := z.TagName()
		a := atom.Lookup(name)
		switch tt {
		case html.StartTagToken, html.SelfClosingTagToken:
			if skip != 0 {
				continue
			}
			switch a {
			case atom.Script, atom.Style, atom.Noscript, atom.Template, atom.Svg, atom.Math, atom.Object, atom.Iframe:
				if tt == html.StartTagToken {
					skip = a
				}
			case atom.Td, atom.Th:
				sink.write("\t")
			default:
				if htmlBlock[a] {
					sink.write("\n")
				}
			}
		case html.EndTagToken:
			if skip != 0 {
				if a == skip {
					skip = 0
				}
				continue
			}
			if htmlBlock[a] {
				sink.write("\n")
			}
		case html.TextToken:
			if skip == 0 {
				if s := strings.Join(strings.Fields(string(z.Text())), " "); s != "" {
					sink.write(s + " ")
				}
			}
		}
	}
	text, cut := finishText(tidyLines(sink.b.String()), e.cfg.MaxOutputBytes)
	return Result{Text: text, Method: MethodHTML, Truncated: cut || more || sink.full}, nil
}

// htmlBlock lists the elements that start and end a line of text.
var htmlBlock = map[atom.Atom]bool{
	atom.Address: true, atom.Article: true, atom.Aside: true, atom.Blockquote: true,
	atom.Br: true, atom.Caption: true, atom.Dd: true, atom.Div: true, atom.Dl: true,
	atom.Dt: true, atom.Fieldset: true, atom.Figcaption: true, atom.Figure: true,
	atom.Footer: true, atom.Form: true, atom.H1: true, atom.H2: true, atom.H3: true,
	atom.H4: true, atom.H5: true, atom.H6: true, atom.Header: true, atom.Hr: true,
	atom.Li: true, atom.Main: true, atom.Nav: true, atom.Ol: true, atom.P: true,
	atom.Pre: true, atom.Section: true, atom.Table: true, atom.Title: true,
	atom.Tr: true, atom.Ul: true,
}

// tidyLines trims every line and drops empty ones.
func tidyLines(s string) string {
	var b strings.Builder
	for line := range strings.SplitSeq(s, "\n") {
		if line = strings.TrimSpace(line); line != "" {
			b.WriteString(line)
			b.WriteByte('\n')
		}
	}
	return strings.TrimSuffix(b.String(), "\n")
}

// extractXML keeps the character data of an XML file, one text node a line
// (e.g. an XRechnung invoice). encoding/xml expands no external or custom entities.
func (e *Extractor) extractXML(ctx context.Context, path string) (Result, error) {
	f, err := os.Open(path)
	if err != nil {
		return Result{}, err
	}
	defer f.Close()
	sink := &textSink{max: e.cfg.MaxOutputBytes}
	budget := &byteBudget{left: e.cfg.MaxMarkupBytes}
	dec := xml.NewDecoder(&budgetReader{r: f, b: budget})
	dec.CharsetReader = charsetReader
	dec.Strict = false // unknown entities stay as they are
	depth := 0
	for n := 0; !sink.full; n++ {
		if n%4096 == 0 {
			if err := ctx.Err(); err != nil {
				return Result{}, err
			}
		}
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			if budget.hit {
				break
			}
			return Result{}, fmt.Errorf("xml: %w", err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if depth++; depth > MaxXMLDepth {
				return Result{}, errTooDeep()
			}
		case xml.EndElement:
			depth--
		case xml.CharData:
			if s := strings.TrimSpace(string(t)); s != "" {
				sink.write(s + "\n")
			}
		}
	}
	text, cut := finishText(strings.TrimRight(sink.b.String(), "\n"), e.cfg.MaxOutputBytes)
	return Result{Text: text, Method: MethodXML, Truncated: cut || sink.full || budget.hit}, nil
}

// readHead reads at most limit bytes of the file; more reports that there were more.
func readHead(path string, limit int64) (data []byte, more bool, err error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, false, err
	}
	defer f.Close()
	data, err = io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, false, fmt.Errorf("read %s: %w", path, err)
	}
	if int64(len(data)) > limit {
		return data[:limit], true, nil
	}
	return data, false, nil
}

// decodeText turns the bytes of a text file into UTF-8. complete is false when b is
// only the start of the file (a rune cut at the end is then dropped, not replaced).
// Bytes that are not UTF-8 are read as Windows-1252, unless the text is clearly
// UTF-8 with a few broken bytes, which are then replaced by U+FFFD.
func decodeText(b []byte, complete bool) string {
	switch {
	case bytes.HasPrefix(b, []byte("\xEF\xBB\xBF")):
		b = b[3:]
	case bytes.HasPrefix(b, []byte("\xFF\xFE")):
		return decodeUTF16(b[2:], false)
	case bytes.HasPrefix(b, []byte("\xFE\xFF")):
		return decodeUTF16(b[2:], true)
	}
	if !complete {
		// Drop an incomplete rune at the cut.
		for i := len(b) - 1; i >= 0 && i >= len(b)-utf8.UTFMax; i-- {
			if utf8.RuneStart(b[i]) {
				if !utf8.FullRune(b[i:]) {
					b = b[:i]
				}
				break
			}
		}
	}
	if utf8.Valid(b) {
		return string(b)
	}
	valid, invalid := 0, 0
	for i := 0; i < len(b); {
		r, size := utf8.DecodeRune(b[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			invalid++
		case size > 1:
			valid++
		}
		i += size
	}
	if valid > 4*invalid {
		return strings.ToValidUTF8(string(b), "\uFFFD")
	}
	s, err := charmap.Windows1252.NewDecoder().Bytes(b)
	if err != nil { // cannot happen: every byte has a mapping
		return strings.ToValidUTF8(string(b), "\uFFFD")
	}
	return string(s)
}

func decodeUTF16(b []byte, bigEndian bool) string {
	u := make([]uint16, len(b)/2)
	for i := range u {
		if bigEndian {
			u[i] = uint16(b[2*i])<<8 | uint16(b[2*i+1])
		} else {
			u[i] = uint16(b[2*i+1])<<8 | uint16(b[2*i])
		}
	}
	return string(utf16.Decode(u))
}

// charsetReader lets encoding/xml read documents declared in other encodings
// (ISO-8859-1, Windows-1252, UTF-16, …).
func charsetReader(label string, input io.Reader) (io.Reader, error) {
	enc, err := htmlindex.Get(label)
	if err != nil {
		return nil, fmt.Errorf("xml encoding %q: %w", label, err)
	}
	return enc.NewDecoder().Reader(input), nil
}
