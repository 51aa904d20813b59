package extract

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

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
