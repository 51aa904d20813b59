package synopsis

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/go-pdf/fpdf"
	"github.com/kollab/kollab/workspaces/consultations"
)

// Page geometry (A4 landscape, mm).
const (
	margin  = 15.0
	lineH   = 4.5
	pageH   = 210.0
	footerH = 15.0
)

// widths of the four columns (together 267 mm: the page between margins).
var widths = [4]float64{50, 70, 112, 35}

// SynopsisPDF renders the synopsis as a PDF (A4 landscape). A row longer
// than a page continues on the next, with its organisation and question
// repeated.
func (Renderer) SynopsisPDF(s *consultations.Synopsis) ([]byte, error) {
	p := fpdf.New("L", "mm", "A4", "")
	tr := p.UnicodeTranslatorFromDescriptor("")
	title := "Synopse: " + s.Subject
	p.SetTitle(title, true)
	p.SetCreator("Kollab", true)
	p.SetCreationDate(s.Made.UTC())
	p.SetModificationDate(s.Made.UTC())
	p.SetMargins(margin, margin, margin)
	p.SetAutoPageBreak(false, footerH)
	p.SetFooterFunc(func() {
		p.SetY(-12)
		p.SetFont("Helvetica", "", 8)
		p.CellFormat(0, 5, tr(fmt.Sprintf("Synopse „%s“ – Seite %d", s.Subject, p.PageNo())), "", 0, "C", false, 0, "")
	})
	p.AddPage()
	p.SetFont("Helvetica", "B", 15)
	p.MultiCell(0, 7, tr(title), "", "L", false)
	p.SetFont("Helvetica", "", 9.5)
	for _, l := range intro(s) {
		p.MultiCell(0, 5, tr(l), "", "L", false)
	}
	p.Ln(3)
	header := func() {
		p.SetFont("Helvetica", "B", 9)
		p.SetFillColor(225, 225, 225)
		for i, h := range headings {
			p.CellFormat(widths[i], 6, tr(h), "1", 0, "L", true, 0, "")
		}
		p.Ln(-1)
		p.SetFont("Helvetica", "", 9)
	}
	header()
	if len(s.Rows) == 0 {
		p.CellFormat(0, 6, tr("Es ist keine Stellungnahme eingegangen."), "1", 1, "L", false, 0, "")
	}
	for i := range s.Rows {
		row(p, tr, cells(&s.Rows[i]), header)
	}
	var buf bytes.Buffer
	if err := p.Output(&buf); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// row prints one table row, split over pages where it does not fit.
func row(p *fpdf.Fpdf, tr func(string) string, cs [4]string, header func()) {
	var lines [4][]string
	n := 1
	for i, c := range cs {
		for _, para := range strings.Split(tr(c), "\n") {
			lines[i] = append(lines[i], wrap(p, para, widths[i]-2)...)
		}
		n = max(n, len(lines[i]))
	}
	for start := 0; start < n; {
		room := int((pageH - footerH - p.GetY()) / lineH)
		if room < 2 {
			p.AddPage()
			header()
			continue
		}
		end := min(n, start+room)
		h := float64(end-start) * lineH
		x, y := p.GetX(), p.GetY()
		for i := range cs {
			part := slice(lines[i], start, end)
			if start > 0 && (i == 0 || i == 1) && len(part) == 0 {
				part = []string{"(Fortsetzung)"}
			}
			p.Rect(x, y, widths[i], h, "D")
			for j, l := range part {
				p.Text(x+1, y+float64(j)*lineH+3.4, l)
			}
			x += widths[i]
		}
		p.SetXY(margin, y+h)
		start = end
	}
}

func slice(ls []string, from, to int) []string {
	if from >= len(ls) {
		return nil
	}
	return ls[from:min(to, len(ls))]
}

// wrap breaks s (already in the font's single-byte encoding) into lines no
// wider than width, at spaces where it can, inside a word where it must.
func wrap(p *fpdf.Fpdf, s string, width float64) []string {
	var out []string
	line := ""
	for _, word := range strings.Split(s, " ") {
		cand := word
		if line != "" {
			cand = line + " " + word
		}
		if p.GetStringWidth(cand) <= width {
			line = cand
			continue
		}
		if line != "" {
			out = append(out, line)
		}
		line = ""
		w := 0.0
		for j := 0; j < len(word); j++ {
			cw := p.GetStringWidth(word[j : j+1])
			if w+cw > width && line != "" {
				out = append(out, line)
				line, w = "", 0
			}
			line += word[j : j+1]
			w += cw
		}
	}
	return append(out, line)
}
