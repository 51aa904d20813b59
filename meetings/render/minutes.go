package render

// Rendering minutes and decision extracts (meetings.MinutesDocument) to
// PDF with go-pdf/fpdf.
//
// Fonts: DejaVu Sans (regular and bold), embedded in the binary by
// internal/pdffont (Bitstream Vera licence: free to redistribute
// unmodified), so umlauts and ß render wherever the binary runs; fpdf
// embeds the subset of glyphs used into every PDF.
//
// PDF/A: fpdf cannot produce a conforming PDF/A file. What it allows is
// done: every font is embedded (no standard-14 fonts are used), the
// document has XMP metadata (title, author, language, dates, producer,
// consistent with the Info dictionary), a document language (de-DE), no
// encryption, no transparency, no JavaScript and no external content, and
// PDF 1.3 syntax. What it does not allow: an OutputIntent with an ICC
// profile and a file identifier (/ID) in the trailer, both required by
// PDF/A-1b and later. The XMP therefore makes no PDF/A claim (no pdfaid
// part); turning the filed PDF into PDF/A (and validating it) is left to
// the archive's ingest.
//
// Rendering is deterministic: the dates written are the minutes' own
// (approval or last edit), and the catalog is sorted, so the same minutes
// always give the same bytes: a download equals the filed revision.

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"strings"
	"time"
	_ "time/tzdata" // the agencies' time zone, wherever the binary runs

	"github.com/kollab/kollab/internal/pdffont"

	"github.com/go-pdf/fpdf"
	"github.com/kollab/kollab/meetings"
	"github.com/kollab/kollab/tenant"
)

var fontRegular, fontBold = pdffont.Regular, pdffont.Bold

const (
	pdfFont     = pdffont.Name
	pdfProducer = "Kollab (go-pdf/fpdf)"
	lineH       = 5.0
)

// localTime is t in the time zone minutes are written in.
func localTime(t time.Time) time.Time { return t.In(tenant.Berlin) }

func dateDE(t time.Time) string { return localTime(t).Format("02.01.2006") }

func longDateDE(t time.Time) string {
	l := localTime(t)
	return tenant.WeekdaysDE[l.Weekday()] + ", " + l.Format("02.01.2006")
}

func clockDE(t time.Time) string { return localTime(t).Format("15:04") + " Uhr" }

var roleLabels = map[meetings.Role]string{meetings.RoleChair: "Vorsitz", meetings.RoleDeputyChair: "stellvertretender Vorsitz", meetings.RoleSecretary: "Schriftführung",
	meetings.RoleMember: "Mitglied", meetings.RoleDeputy: "stellvertretendes Mitglied", meetings.RoleAdvisory: "beratendes Mitglied"}

var statusHeadings = map[meetings.AttendanceStatus]string{meetings.Present: "Anwesend", meetings.Excused: "Entschuldigt", meetings.Absent: "Abwesend"}

func choiceLabel(c string) string {
	switch c {
	case meetings.Yes:
		return "Ja"
	case meetings.No:
		return "Nein"
	case meetings.Abstain:
		return "Enthaltung"
	}
	return c
}

func fractionDE(f meetings.Fraction) string {
	if f.Inclusive {
		return fmt.Sprintf("mindestens %d/%d", f.Num, f.Den)
	}
	return fmt.Sprintf("mehr als %d/%d", f.Num, f.Den)
}

// ruleDE says a majority rule in words.
func ruleDE(r meetings.Rule) string {
	base := map[meetings.Base]string{meetings.BaseCast: "der abgegebenen Stimmen", meetings.BasePresent: "der anwesenden Stimmberechtigten", meetings.BaseMembers: "der Stimmberechtigten"}[r.Base]
	switch r.Majority {
	case meetings.Simple:
		return "einfache Mehrheit (mehr Ja- als Nein-Stimmen)"
	case meetings.Absolute:
		return "absolute Mehrheit (mehr als die Hälfte " + base + ")"
	case meetings.TwoThirds:
		return "Zweidrittelmehrheit " + base
	}
	return "Mehrheit von " + fractionDE(r.Fraction) + " " + base
}

func methodDE(p *meetings.MinutesPoll) string {
	kind := "namentliche"
	if p.Kind == meetings.Secret {
		kind = "geheime"
	}
	if p.Method == meetings.Choice {
		return fmt.Sprintf("%s Wahl (%d %s)", kind, p.Seats, map[bool]string{true: "Sitz", false: "Sitze"}[p.Seats == 1])
	}
	return kind + " Abstimmung (Ja/Nein/Enthaltung)"
}

func resultDE(p *meetings.MinutesPoll) string {
	if p.Method == meetings.Choice {
		parts := make([]string, len(p.Options))
		for i, o := range p.Options {
			parts[i] = fmt.Sprintf("%s: %d", o.Label, o.Votes)
			if o.Elected {
				parts[i] += " (gewählt)"
			}
		}
		return strings.Join(parts, "; ") + fmt.Sprintf(" – %d Stimmabgaben", p.Ballots)
	}
	return fmt.Sprintf("Ja: %d, Nein: %d, Enthaltung: %d – %d Stimmabgaben", p.Yes, p.No, p.Abstain, p.Ballots)
}

// writer is a PDF under construction with the minutes' text styles.
type writer struct {
	*fpdf.Fpdf
}

// newWriter starts a PDF with the embedded fonts, metadata and page
// furniture: head is printed atop every page after the first, draft
// marks every page as a draft.
func newWriter(title, author string, at time.Time, head string, draft bool) *writer {
	p := fpdf.New("P", "mm", "A4", "")
	p.AddUTF8FontFromBytes(pdfFont, "", fontRegular)
	p.AddUTF8FontFromBytes(pdfFont, "B", fontBold)
	p.SetTitle(title, true)
	p.SetAuthor(author, true)
	p.SetSubject(title, true)
	p.SetCreator("Kollab", true)
	p.SetProducer(pdfProducer, true)
	p.SetLang("de-DE")
	p.SetCreationDate(at.UTC())
	p.SetModificationDate(at.UTC())
	p.SetCatalogSort(true)
	p.SetXmpMetadata(xmpMetadata(title, author, at))
	p.SetMargins(22, 20, 20)
	p.SetAutoPageBreak(true, 22)
	p.AliasNbPages("{nb}")
	w := &writer{p}
	p.SetHeaderFunc(func() {
		if draft {
			p.SetFont(pdfFont, "B", 9)
			p.SetTextColor(180, 0, 0)
			p.CellFormat(0, 5, "ENTWURF – nicht genehmigt", "", 1, "R", false, 0, "")
			p.SetTextColor(0, 0, 0)
		}
		if p.PageNo() > 1 {
			p.SetFont(pdfFont, "", 8)
			p.SetTextColor(90, 90, 90)
			p.CellFormat(0, 5, head, "B", 1, "L", false, 0, "")
			p.SetTextColor(0, 0, 0)
			p.Ln(3)
		}
	})
	p.SetFooterFunc(func() {
		p.SetY(-15)
		p.SetFont(pdfFont, "", 8)
		p.SetTextColor(90, 90, 90)
		p.CellFormat(0, 5, fmt.Sprintf("Seite %d von {nb}", p.PageNo()), "", 0, "C", false, 0, "")
		p.SetTextColor(0, 0, 0)
	})
	p.AddPage()
	return w
}

func (w *writer) title(s string) {
	w.SetFont(pdfFont, "B", 18)
	w.MultiCell(0, 9, s, "", "L", false)
	w.Ln(1)
}

func (w *writer) heading(s string) {
	w.Ln(3)
	w.SetFont(pdfFont, "B", 13)
	w.MultiCell(0, 7, s, "", "L", false)
	w.Ln(1)
}

func (w *writer) subheading(s string) {
	w.Ln(1)
	w.SetFont(pdfFont, "B", 10.5)
	w.MultiCell(0, 6, s, "", "L", false)
}

func (w *writer) para(s string) {
	if strings.TrimSpace(s) == "" {
		return
	}
	w.SetFont(pdfFont, "", 10)
	w.MultiCell(0, lineH, s, "", "L", false)
	w.Ln(1)
}

// field writes a bold label and its value, wrapped.
func (w *writer) field(label, value string) {
	if strings.TrimSpace(value) == "" {
		return
	}
	w.SetFont(pdfFont, "B", 10)
	w.Write(lineH, label+": ")
	w.SetFont(pdfFont, "", 10)
	w.Write(lineH, value)
	w.Ln(lineH + 0.5)
}

// bullet writes an indented list entry.
func (w *writer) bullet(s string) {
	left, _, _, _ := w.GetMargins()
	w.SetFont(pdfFont, "", 10)
	w.SetX(left + 2)
	w.CellFormat(4, lineH, "•", "", 0, "L", false, 0, "")
	w.SetLeftMargin(left + 6)
	w.MultiCell(0, lineH, s, "", "L", false)
	w.SetLeftMargin(left)
}

func (w *writer) bytes() ([]byte, error) {
	var buf bytes.Buffer
	if err := w.Output(&buf); err != nil {
		return nil, fmt.Errorf("committees: render pdf: %w", err)
	}
	return buf.Bytes(), nil
}

// xmpMetadata is the document's XMP packet: Dublin Core title, creator
// and language, the dates and the producer (as in the Info dictionary).
// It claims no PDF/A conformance (see the package comment above).
func xmpMetadata(title, author string, at time.Time) []byte {
	esc := func(s string) string {
		var b strings.Builder
		_ = xml.EscapeText(&b, []byte(s))
		return b.String()
	}
	date := localTime(at).Format(time.RFC3339)
	return []byte(`<?xpacket begin="` + "\ufeff" + `" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
 <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
  <rdf:Description rdf:about=""
    xmlns:dc="http://purl.org/dc/elements/1.1/"
    xmlns:xmp="http://ns.adobe.com/xap/1.0/"
    xmlns:pdf="http://ns.adobe.com/pdf/1.3/">
   <dc:format>application/pdf</dc:format>
   <dc:title><rdf:Alt><rdf:li xml:lang="x-default">` + esc(title) + `</rdf:li></rdf:Alt></dc:title>
   <dc:creator><rdf:Seq><rdf:li>` + esc(author) + `</rdf:li></rdf:Seq></dc:creator>
   <dc:language><rdf:Bag><rdf:li>de-DE</rdf:li></rdf:Bag></dc:language>
   <xmp:CreateDate>` + date + `</xmp:CreateDate>
   <xmp:ModifyDate>` + date + `</xmp:ModifyDate>
   <xmp:MetadataDate>` + date + `</xmp:MetadataDate>
   <xmp:CreatorTool>Kollab</xmp:CreatorTool>
   <pdf:Producer>` + pdfProducer + `</pdf:Producer>
  </rdf:Description>
 </rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>`)
}

func joinNames(ps []meetings.MinutesPerson) string {
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = p.Name
	}
	return strings.Join(out, ", ")
}

// MinutesPDF renders minutes (meetings.MinutesRenderer): every item of
// d.Content; d.PublicOnly marks the public part (meetings decides what it
// holds).
func (Renderer) MinutesPDF(d *meetings.MinutesDocument) ([]byte, error) {
	c, row, publicOnly := d.Content, d, d.PublicOnly
	h := &c.Header
	draft := row.State != meetings.ApprovedMinutes
	at := row.UpdatedAt
	if !draft && row.ApprovedAt != nil {
		at = *row.ApprovedAt
	}
	docTitle := "Niederschrift – " + h.CommitteeName + " – " + dateDE(h.StartsAt)
	if publicOnly {
		docTitle += " (öffentlicher Teil)"
	}
	w := newWriter(docTitle, h.CommitteeName, at, docTitle+" – "+h.MeetingTitle, draft)

	writeMinutesHead(w, c, publicOnly)
	writeAttendance(w, c)

	w.heading("Tagesordnung")
	for _, it := range c.Items {
		w.bullet(itemHeading(&it))
	}

	for i := range c.Items {
		it := &c.Items[i]
		w.heading(itemHeading(it))
		writeItem(w, it, true)
	}

	writeMinutesEnd(w, d, draft)
	return w.bytes()
}

// writeMinutesHead writes the minutes' title, the meeting's data and the
// preamble.
func writeMinutesHead(w *writer, c *meetings.MinutesContent, publicOnly bool) {
	h := &c.Header
	w.title("Niederschrift")
	w.field("Gremium", h.CommitteeName)
	w.field("Sitzung", h.MeetingTitle)
	w.field("Datum", longDateDE(h.StartsAt))
	times := "geplant " + localTime(h.StartsAt).Format("15:04") + "–" + clockDE(h.EndsAt)
	if h.OpenedAt != nil {
		times = "Beginn " + clockDE(*h.OpenedAt)
		if h.ClosedAt != nil {
			times += ", Ende " + clockDE(*h.ClosedAt)
		}
	}
	w.field("Zeit", times)
	w.field("Ort", h.Place)
	w.field("Online-Teilnahme", h.OnlineURL)
	w.field("Vorsitz", joinNames(h.Chairs))
	w.field("Schriftführung", joinNames(h.Secretaries))
	if publicOnly {
		w.para("Öffentlicher Teil: Nichtöffentliche Tagesordnungspunkte sind in dieser Fassung nicht enthalten.")
	}
	if c.Preamble != "" {
		w.Ln(2)
		w.para(c.Preamble)
	}
}

// writeAttendance writes the attendance register, by status, and the
// quorum.
func writeAttendance(w *writer, c *meetings.MinutesContent) {
	w.heading("Anwesenheit")
	for _, st := range []meetings.AttendanceStatus{meetings.Present, meetings.Excused, meetings.Absent} {
		var lines []string
		for _, at := range c.Attendance {
			if at.Status != st {
				continue
			}
			l := at.Name + " (" + roleLabels[at.Role]
			if !at.Voting {
				l += ", ohne Stimmrecht"
			} else if at.Weight != 1 {
				l += fmt.Sprintf(", Stimmgewicht %d", at.Weight)
			}
			l += ")"
			if at.ArrivedAt != nil {
				l += ", ab " + clockDE(*at.ArrivedAt)
				if at.DepartedAt != nil {
					l += " bis " + clockDE(*at.DepartedAt)
				}
			}
			lines = append(lines, l)
		}
		if len(lines) == 0 {
			continue
		}
		w.subheading(statusHeadings[st])
		for _, l := range lines {
			w.bullet(l)
		}
	}
	q := c.Quorum
	reached := "nicht gegeben"
	if q.Reached {
		reached = "gegeben"
	}
	w.Ln(1)
	w.field("Beschlussfähigkeit", fmt.Sprintf("%s – %d von %d stimmberechtigten Mitgliedern anwesend (Stimmgewicht %d von %d; erforderlich: %s)",
		reached, q.Present, q.Members, q.PresentWeight, q.MembersWeight, fractionDE(q.Rule)))
}

// writeMinutesEnd writes the closing and the draft's mark or the approval.
func writeMinutesEnd(w *writer, row *meetings.MinutesDocument, draft bool) {
	c := row.Content
	if c.Closing != "" {
		w.Ln(3)
		w.para(c.Closing)
	}
	w.Ln(6)
	w.SetFont(pdfFont, "B", 10)
	if draft {
		w.MultiCell(0, lineH, fmt.Sprintf("Entwurf, Stand %s, %s (Version %d) – noch nicht genehmigt.", dateDE(row.UpdatedAt), clockDE(row.UpdatedAt), row.Version), "", "L", false)
	} else if c.Approval != nil {
		w.MultiCell(0, lineH, fmt.Sprintf("Genehmigt am %s um %s durch %s (Vorsitz).", dateDE(c.Approval.At), clockDE(c.Approval.At), c.Approval.Name), "", "L", false)
	}
}

func itemHeading(it *meetings.MinutesItem) string {
	s := fmt.Sprintf("TOP %d: %s", it.Number, it.Title)
	if !it.Public {
		s += " (nicht öffentlich)"
	}
	return s
}

// writeItem writes an item's body; withDiscussion adds papers, conflicts
// and the discussion summary (the extract leaves the discussion out).
func writeItem(w *writer, it *meetings.MinutesItem, withDiscussion bool) {
	w.para(it.Description)
	if len(it.Papers) > 0 {
		w.subheading("Sitzungsunterlagen")
		for _, p := range it.Papers {
			l := p.Title
			if p.RevisionNumber > 0 {
				l += fmt.Sprintf(" (Fassung %d)", p.RevisionNumber)
			}
			w.bullet(l)
		}
	}
	if len(it.Conflicts) > 0 {
		w.subheading("Befangenheit")
		for _, x := range it.Conflicts {
			l := x.Name + " hat wegen Befangenheit nicht mitgewirkt"
			if x.Reason != "" {
				l += " (" + x.Reason + ")"
			}
			w.bullet(l + ".")
		}
	}
	if withDiscussion && it.Summary != "" {
		w.subheading("Aussprache")
		w.para(it.Summary)
	}
	if it.Decision != "" {
		w.subheading("Beschlusstext")
		w.para(it.Decision)
	}
	for i := range it.Polls {
		writePoll(w, &it.Polls[i])
	}
}

func writePoll(w *writer, p *meetings.MinutesPoll) {
	if p.Annulled {
		// A line of the record, no decision: no rule, no tally, only why.
		w.subheading("Annullierte Abstimmung: " + p.Title)
		w.field("Annulliert", p.AnnulReason+" – kein Beschluss")
		return
	}
	w.subheading("Abstimmung: " + p.Title)
	w.field("Verfahren", methodDE(p))
	w.field("Mehrheit", ruleDE(p.Rule))
	if p.ClosedAt != nil {
		w.field("Abgeschlossen", dateDE(*p.ClosedAt)+", "+clockDE(*p.ClosedAt))
	}
	if p.NoResult {
		// No tally and no decision: only that it decided nothing, and why.
		w.field("Stimmabgaben", fmt.Sprint(p.Ballots))
		w.field("Ergebnis", "nicht ausgewertet: zu wenige Stimmen für eine geheime Auswertung – kein Beschluss")
		return
	}
	w.field("Ergebnis", resultDE(p))
	if p.QuorumReached != nil {
		w.field("Beschlussfähigkeit bei der Abstimmung", map[bool]string{true: "gegeben", false: "nicht gegeben"}[*p.QuorumReached])
	}
	label := "Beschluss"
	if p.Method == meetings.Choice {
		label = "Wahlergebnis"
	}
	w.field(label, p.Verdict)
	if p.Kind == meetings.Named && len(p.NamedVotes) > 0 {
		w.subheading("Namentliche Stimmabgabe")
		for _, v := range p.NamedVotes {
			l := v.Name + ": " + choiceLabel(v.Choice)
			if v.Choice == meetings.Options {
				l = v.Name + ": " + strings.Join(v.Options, ", ")
			}
			if v.Weight != 1 {
				l += fmt.Sprintf(" (Stimmgewicht %d)", v.Weight)
			}
			if v.CastBy != nil {
				l += " – abgegeben durch " + v.CastBy.Name
			}
			w.bullet(l)
		}
	}
}

// DecisionExtractPDF renders the decision extract (Beschlussauszug) of
// one item of approved minutes (meetings.MinutesRenderer).
func (Renderer) DecisionExtractPDF(d *meetings.MinutesDocument, it *meetings.MinutesItem) ([]byte, error) {
	c, row := d.Content, d
	h := &c.Header
	at := row.UpdatedAt
	if row.ApprovedAt != nil {
		at = *row.ApprovedAt
	}
	docTitle := fmt.Sprintf("Beschlussauszug – %s – %s – TOP %d", h.CommitteeName, dateDE(h.StartsAt), it.Number)
	w := newWriter(docTitle, h.CommitteeName, at, docTitle, false)
	w.title("Beschlussauszug")
	w.para("aus der Niederschrift über die Sitzung vom " + dateDE(h.StartsAt))
	w.field("Gremium", h.CommitteeName)
	w.field("Sitzung", h.MeetingTitle)
	w.field("Datum", longDateDE(h.StartsAt))
	if !it.Public {
		w.Ln(2)
		w.SetFont(pdfFont, "B", 10)
		w.SetTextColor(180, 0, 0)
		w.MultiCell(0, lineH, "Nicht öffentlich – vertraulich zu behandeln.", "", "L", false)
		w.SetTextColor(0, 0, 0)
	}
	w.heading(itemHeading(it))
	writeItem(w, it, false)
	w.Ln(6)
	w.SetFont(pdfFont, "", 10)
	if c.Approval != nil {
		w.MultiCell(0, lineH, fmt.Sprintf("Dieser Auszug stimmt mit der am %s durch %s (Vorsitz) genehmigten Niederschrift überein.",
			dateDE(c.Approval.At), c.Approval.Name), "", "L", false)
	}
	return w.bytes()
}
