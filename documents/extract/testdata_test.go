package extract

// Test data made by the tests themselves: PDFs (text and image-only), scans, TIFFs,
// and ZIP-based office files. Nothing here is used by the package.

import (
	"archive/zip"
	"bytes"
	"compress/zlib"
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"image"
	"image/draw"
	"image/png"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/text/encoding/charmap"
)

// germanLines is the text of the test documents.
var germanLines = []string{
	"Stadt Musterhausen - Der Gemeinderat",
	"Beschlüsse der Sitzung vom 12. März 2024",
	"Antrag auf Fristverlängerung für das Bauvorhaben",
	"Die Straße wird für größere Fahrzeuge gesperrt.",
	"Öffentliche Bekanntmachung über Änderungen",
}

// pdfPage is one page of a test PDF: text lines in Helvetica, and/or an image that
// covers the whole page (a "scan", with no text layer).
type pdfPage struct {
	lines []string
	img   *image.Gray
	size  image.Point // in points; A4 (595×842) when zero
}

// buildPDF writes a minimal PDF 1.4 with A4 pages.
func buildPDF(t testing.TB, pages ...pdfPage) []byte {
	t.Helper()
	objs := map[int]string{
		1: "<< /Type /Catalog /Pages 2 0 R >>",
		3: "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
	}
	next := 4
	var kids []string
	for _, p := range pages {
		pageN, contN := next, next+1
		next += 2
		size := p.size
		if size == (image.Point{}) {
			size = image.Pt(595, 842)
		}
		res := "/Font << /F1 3 0 R >>"
		var content strings.Builder
		if p.img != nil {
			imgN := next
			next++
			b := p.img.Bounds()
			var z bytes.Buffer
			zw := zlib.NewWriter(&z)
			for y := b.Min.Y; y < b.Max.Y; y++ {
				off := p.img.PixOffset(b.Min.X, y)
				if _, err := zw.Write(p.img.Pix[off : off+b.Dx()]); err != nil {
					t.Fatal(err)
				}
			}
			if err := zw.Close(); err != nil {
				t.Fatal(err)
			}
			objs[imgN] = fmt.Sprintf("<< /Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceGray /BitsPerComponent 8 /Filter /FlateDecode /Length %d >>\nstream\n%s\nendstream",
				b.Dx(), b.Dy(), z.Len(), z.String())
			res += fmt.Sprintf(" /XObject << /Im1 %d 0 R >>", imgN)
			// the image's width on the page, at the top, in its own proportions
			h := float64(size.X) * float64(b.Dy()) / float64(b.Dx())
			fmt.Fprintf(&content, "q %d 0 0 %.2f 0 %.2f cm /Im1 Do Q\n", size.X, h, float64(size.Y)-h)
		}
		if len(p.lines) > 0 {
			fmt.Fprintf(&content, "BT /F1 20 Tf 28 TL 50 %d Td\n", size.Y-62)
			for _, line := range p.lines {
				enc, err := charmap.Windows1252.NewEncoder().String(line)
				if err != nil {
					t.Fatalf("encode %q in WinAnsi: %v", line, err)
				}
				enc = strings.NewReplacer(`\`, `\\`, `(`, `\(`, `)`, `\)`).Replace(enc)
				fmt.Fprintf(&content, "(%s) Tj T*\n", enc)
			}
			content.WriteString("ET\n")
		}
		objs[contN] = fmt.Sprintf("<< /Length %d >>\nstream\n%s\nendstream", content.Len(), content.String())
		objs[pageN] = fmt.Sprintf("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %d %d] /Resources << %s >> /Contents %d 0 R >>", size.X, size.Y, res, contN)
		kids = append(kids, fmt.Sprintf("%d 0 R", pageN))
	}
	objs[2] = fmt.Sprintf("<< /Type /Pages /Kids [%s] /Count %d >>", strings.Join(kids, " "), len(kids))

	var b bytes.Buffer
	b.WriteString("%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
	offsets := make([]int, next)
	for n := 1; n < next; n++ {
		offsets[n] = b.Len()
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", n, objs[n])
	}
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", next)
	for n := 1; n < next; n++ {
		fmt.Fprintf(&b, "%010d 00000 n \n", offsets[n])
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", next, xref)
	return b.Bytes()
}

// writeFile writes data to a new file in a test directory and returns its path.
func writeFile(t testing.TB, name string, data []byte) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// scanOf renders page 1 of a text PDF with pdftoppm at dpi into a grey image: what a
// scanner would make of the printed page.
func scanOf(t testing.TB, pdf []byte, dpi int) *image.Gray {
	t.Helper()
	dir := t.TempDir()
	in := filepath.Join(dir, "in.pdf")
	if err := os.WriteFile(in, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("pdftoppm", "-r", fmt.Sprint(dpi), "-gray", "-png", "-singlefile",
		"-f", "1", "-l", "1", in, filepath.Join(dir, "scan")).CombinedOutput()
	if err != nil {
		t.Fatalf("pdftoppm (to make the scanned test page; install poppler-utils): %v: %s", err, out)
	}
	f, err := os.Open(filepath.Join(dir, "scan.png"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	gray := image.NewGray(img.Bounds())
	draw.Draw(gray, gray.Bounds(), img, img.Bounds().Min, draw.Src)
	dark := 0
	for _, v := range gray.Pix {
		if v < 128 {
			dark++
		}
	}
	if dark < 1000 {
		t.Fatalf("the rendered test page is blank (%d dark pixels): pdftoppm found no font for Helvetica; install fonts-dejavu-core", dark)
	}
	return gray
}

// crop copies the top part of img (height h) into a new image.
func crop(img *image.Gray, h int) *image.Gray {
	r := image.Rect(0, 0, img.Bounds().Dx(), h)
	out := image.NewGray(r)
	draw.Draw(out, r, img, img.Bounds().Min, draw.Src)
	return out
}

func encodePNG(t testing.TB, img image.Image) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// buildTIFF writes an uncompressed, little-endian, 8-bit grey TIFF with one page per
// image. size, when not nil, overrides the width and length written for every page.
func buildTIFF(imgs []*image.Gray, size *image.Point) []byte {
	var b bytes.Buffer
	le := binary.LittleEndian
	b.WriteString("II*\x00")
	_ = binary.Write(&b, le, uint32(0)) // patched: first IFD
	patch := 4
	for _, img := range imgs {
		w, h := img.Bounds().Dx(), img.Bounds().Dy()
		dataOff := b.Len()
		b.Write(img.Pix[:w*h])
		if b.Len()%2 == 1 {
			b.WriteByte(0)
		}
		ifd := b.Len()
		le.PutUint32(b.Bytes()[patch:], uint32(ifd))
		if size != nil {
			w, h = size.X, size.Y
		}
		type entry struct {
			tag, typ uint16
			val      uint32
		}
		entries := []entry{
			{256, 4, uint32(w)}, {257, 4, uint32(h)}, {258, 3, 8}, {259, 3, 1}, {262, 3, 1},
			{273, 4, uint32(dataOff)}, {277, 3, 1}, {278, 4, uint32(h)}, {279, 4, uint32(w * h)},
		}
		_ = binary.Write(&b, le, uint16(len(entries)))
		for _, e := range entries {
			_ = binary.Write(&b, le, e.tag)
			_ = binary.Write(&b, le, e.typ)
			_ = binary.Write(&b, le, uint32(1))
			_ = binary.Write(&b, le, e.val)
		}
		patch = b.Len()
		_ = binary.Write(&b, le, uint32(0)) // next IFD, patched by the next page
	}
	return b.Bytes()
}

// zipEntryData is one file of a test ZIP. A stored entry (store) has its sizes in
// the local header, as ODF's mimetype must, unless descriptor is set.
type zipEntryData struct {
	name, body        string
	store, descriptor bool
}

func buildZip(t testing.TB, entries ...zipEntryData) []byte {
	t.Helper()
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	for _, e := range entries {
		var w io.Writer
		var err error
		switch {
		case e.store && !e.descriptor:
			w, err = zw.CreateRaw(&zip.FileHeader{
				Name: e.name, Method: zip.Store, CRC32: crc32.ChecksumIEEE([]byte(e.body)),
				CompressedSize64: uint64(len(e.body)), UncompressedSize64: uint64(len(e.body)),
			})
		case e.store:
			w, err = zw.CreateHeader(&zip.FileHeader{Name: e.name, Method: zip.Store})
		default:
			w, err = zw.CreateHeader(&zip.FileHeader{Name: e.name, Method: zip.Deflate})
		}
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write([]byte(e.body)); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

const (
	nsW    = `xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"`
	nsMC   = `xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"`
	nsWPS  = `xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"`
	nsA    = `xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"`
	nsP    = `xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main"`
	nsX    = `xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"`
	nsODF  = `xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0" xmlns:presentation="urn:oasis:names:tc:opendocument:xmlns:presentation:1.0" xmlns:dc="http://purl.org/dc/elements/1.1/"`
	xmlDec = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n"
)

func contentTypes(main string) zipEntryData {
	return zipEntryData{name: "[Content_Types].xml", body: xmlDec +
		`<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
		`<Default Extension="xml" ContentType="application/xml"/>` +
		`<Override PartName="/main.xml" ContentType="` + main + `"/></Types>`}
}

// buildDOCX makes a DOCX whose word/document.xml has the given body.
func buildDOCX(t testing.TB, body string, extra ...zipEntryData) []byte {
	t.Helper()
	entries := []zipEntryData{
		contentTypes("application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"),
		{name: "_rels/.rels", body: xmlDec + `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"/>`},
		{name: "word/document.xml", body: xmlDec + `<w:document ` + nsW + ` ` + nsMC + ` ` + nsWPS + `><w:body>` + body + `</w:body></w:document>`},
	}
	return buildZip(t, append(entries, extra...)...)
}

// buildODF makes an OpenDocument package of the given type with content.xml.
func buildODF(t testing.TB, mimetype, content string) []byte {
	t.Helper()
	return buildZip(t,
		zipEntryData{name: "mimetype", body: mimetype, store: true},
		zipEntryData{name: "META-INF/manifest.xml", body: xmlDec + `<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"/>`},
		zipEntryData{name: "content.xml", body: xmlDec + `<office:document-content ` + nsODF + `><office:body>` + content + `</office:body></office:document-content>`},
	)
}
