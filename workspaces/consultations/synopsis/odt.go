package synopsis

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"hash/crc32"
	"strings"
	"time"

	"github.com/kollab/kollab/workspaces/consultations"
)

// The OpenDocument text: the mimetype first and stored (uncompressed), the
// manifest, the metadata, a few styles and the content (OpenDocument 1.2).
const odtMime = "application/vnd.oasis.opendocument.text"

const manifest = `<?xml version="1.0" encoding="UTF-8"?>
<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">
 <manifest:file-entry manifest:full-path="/" manifest:version="1.2" manifest:media-type="` + odtMime + `"/>
 <manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>
 <manifest:file-entry manifest:full-path="styles.xml" manifest:media-type="text/xml"/>
 <manifest:file-entry manifest:full-path="meta.xml" manifest:media-type="text/xml"/>
</manifest:manifest>
`

const ns = ` xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"` +
	` xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0"` +
	` xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"` +
	` xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"` +
	` xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0"` +
	` xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0"` +
	` xmlns:dc="http://purl.org/dc/elements/1.1/" office:version="1.2"`

const styles = `<?xml version="1.0" encoding="UTF-8"?>
<office:document-styles` + ns + `>
 <office:automatic-styles>
  <style:page-layout style:name="pm1"><style:page-layout-properties fo:page-width="29.7cm" fo:page-height="21cm"
   style:print-orientation="landscape" fo:margin-top="1.5cm" fo:margin-bottom="1.5cm" fo:margin-left="1.5cm" fo:margin-right="1.5cm"/></style:page-layout>
 </office:automatic-styles>
 <office:master-styles><style:master-page style:name="Standard" style:page-layout-name="pm1"/></office:master-styles>
</office:document-styles>
`

// automatic styles of the content: the heading, the header cells and the table's columns.
const contentStyles = `<office:automatic-styles>
  <style:style style:name="P1" style:family="paragraph"><style:text-properties fo:font-size="16pt" fo:font-weight="bold"/></style:style>
  <style:style style:name="P2" style:family="paragraph"><style:text-properties fo:font-weight="bold"/></style:style>
  <style:style style:name="T" style:family="table"><style:table-properties style:width="26.7cm" table:align="margins"/></style:style>
  <style:style style:name="C1" style:family="table-column"><style:table-column-properties style:column-width="5cm"/></style:style>
  <style:style style:name="C2" style:family="table-column"><style:table-column-properties style:column-width="7cm"/></style:style>
  <style:style style:name="C3" style:family="table-column"><style:table-column-properties style:column-width="11.2cm"/></style:style>
  <style:style style:name="C4" style:family="table-column"><style:table-column-properties style:column-width="3.5cm"/></style:style>
  <style:style style:name="Cell" style:family="table-cell"><style:table-cell-properties fo:border="0.5pt solid #000000" fo:padding="0.1cm"/></style:style>
 </office:automatic-styles>`

// SynopsisODT renders the synopsis as an OpenDocument text.
func (Renderer) SynopsisODT(s *consultations.Synopsis) ([]byte, error) {
	var buf bytes.Buffer
	z := zip.NewWriter(&buf)
	// The mimetype entry: stored, with its sizes in the local header and no
	// extra field, so that its text starts at byte 38 (ODF 1.2, part 3, 3.3).
	w, err := z.CreateRaw(&zip.FileHeader{Name: "mimetype", Method: zip.Store, CRC32: crc32.ChecksumIEEE([]byte(odtMime)),
		CompressedSize64: uint64(len(odtMime)), UncompressedSize64: uint64(len(odtMime))})
	if err != nil {
		return nil, err
	}
	if _, err := w.Write([]byte(odtMime)); err != nil {
		return nil, err
	}
	files := []struct{ name, body string }{
		{"META-INF/manifest.xml", manifest},
		{"styles.xml", styles},
		{"meta.xml", metaXML(s)},
		{"content.xml", contentXML(s)},
	}
	for _, f := range files {
		w, err := z.CreateHeader(&zip.FileHeader{Name: f.name, Method: zip.Deflate, Modified: s.Made})
		if err != nil {
			return nil, err
		}
		if _, err := w.Write([]byte(f.body)); err != nil {
			return nil, err
		}
	}
	if err := z.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

func metaXML(s *consultations.Synopsis) string {
	return `<?xml version="1.0" encoding="UTF-8"?>
<office:document-meta` + ns + `><office:meta><meta:generator>Kollab</meta:generator><dc:title>` + esc("Synopse: "+s.Subject) +
		`</dc:title><meta:creation-date>` + s.Made.UTC().Format(time.RFC3339) + `</meta:creation-date></office:meta></office:document-meta>
`
}

func contentXML(s *consultations.Synopsis) string {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?>` + "\n<office:document-content" + ns + ">\n " + contentStyles + "\n <office:body><office:text>\n")
	b.WriteString(`  <text:p text:style-name="P1">` + esc("Synopse: "+s.Subject) + "</text:p>\n")
	for _, l := range intro(s) {
		b.WriteString("  <text:p>" + esc(l) + "</text:p>\n")
	}
	b.WriteString(`  <table:table table:name="Synopse" table:style-name="T">` + "\n")
	for i := 1; i <= 4; i++ {
		b.WriteString(`   <table:table-column table:style-name="C` + string(rune('0'+i)) + `"/>` + "\n")
	}
	b.WriteString("   <table:table-header-rows><table:table-row>")
	for _, h := range headings {
		b.WriteString(`<table:table-cell table:style-name="Cell" office:value-type="string"><text:p text:style-name="P2">` + esc(h) + "</text:p></table:table-cell>")
	}
	b.WriteString("</table:table-row></table:table-header-rows>\n")
	for i := range s.Rows {
		b.WriteString("   <table:table-row>")
		for _, c := range cells(&s.Rows[i]) {
			b.WriteString(`<table:table-cell table:style-name="Cell" office:value-type="string">`)
			for _, para := range strings.Split(c, "\n") {
				b.WriteString("<text:p>" + esc(para) + "</text:p>")
			}
			b.WriteString("</table:table-cell>")
		}
		b.WriteString("</table:table-row>\n")
	}
	b.WriteString("  </table:table>\n")
	if len(s.Rows) == 0 {
		b.WriteString("  <text:p>Es ist keine Stellungnahme eingegangen.</text:p>\n")
	}
	b.WriteString(" </office:text></office:body>\n</office:document-content>\n")
	return b.String()
}

// esc escapes s for XML text, leaving out characters XML 1.0 does not allow.
func esc(s string) string {
	s = strings.Map(func(r rune) rune {
		if r == '\t' || r == '\n' || r == '\r' || (r >= 0x20 && r <= 0xD7FF) || (r >= 0xE000 && r <= 0xFFFD) || (r >= 0x10000 && r <= 0x10FFFF) {
			return r
		}
		return -1
	}, s)
	var b strings.Builder
	_ = xml.EscapeText(&b, []byte(s))
	return b.String()
}
