package extract

import (
	"archive/zip"
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path"
	"strings"
)

// Media types returned by Sniff and SniffFile and understood by Extract. Any other
// value of http.DetectContentType may be returned too (without parameters).
const (
	TypePDF      = "application/pdf"
	TypePNG      = "image/png"
	TypeJPEG     = "image/jpeg"
	TypeGIF      = "image/gif"
	TypeTIFF     = "image/tiff"
	TypeZIP      = "application/zip"
	TypeRTF      = "application/rtf"
	TypePlain    = "text/plain"
	TypeMarkdown = "text/markdown"
	TypeHTML     = "text/html"
	TypeXML      = "text/xml"
	TypeBinary   = "application/octet-stream"

	TypeDOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
	TypeXLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	TypePPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
	// Macro-enabled OOXML files are told apart, so that they are never served as
	// the macro-free types.
	TypeDOCM = "application/vnd.ms-word.document.macroEnabled.12"
	TypeXLSM = "application/vnd.ms-excel.sheet.macroEnabled.12"
	TypePPTM = "application/vnd.ms-powerpoint.presentation.macroEnabled.12"

	TypeODT = "application/vnd.oasis.opendocument.text"
	TypeODS = "application/vnd.oasis.opendocument.spreadsheet"
	TypeODP = "application/vnd.oasis.opendocument.presentation"
)

// SniffLen is how many leading bytes Sniff looks at.
const SniffLen = 512

// maxZipDirBytes bounds the central directory that is read of a ZIP file (archive/zip
// keeps all of it in memory, a few hundred bytes per entry): 8 MiB is tens of
// thousands of entries, far above any real office file.
const maxZipDirBytes = 8 << 20

// maxContentTypesBytes bounds the [Content_Types].xml read to tell macro-enabled
// OOXML files apart.
const maxContentTypesBytes = 1 << 20

// Sniff returns the media type of content that starts with head (at least SniffLen
// bytes when the content is that long), without parameters. It is
// http.DetectContentType, refined: TIFF and RTF are recognised, and a ZIP container
// whose first entry is an OpenDocument "mimetype" becomes ODT, ODS or ODP. Telling
// DOCX, XLSX and PPTX from a plain ZIP needs the ZIP's directory at the end of the
// file, so Sniff leaves them application/zip: use SniffFile whenever the bytes are in
// a file (uploads are), and Sniff only when no more than a head is at hand.
//
// The file name is never trusted for anything that matters: it can only turn
// text/plain into text/markdown (for .md and .markdown), nothing else.
func Sniff(head []byte, fileName string) string {
	if len(head) > SniffLen {
		head = head[:SniffLen]
	}
	switch {
	case bytes.HasPrefix(head, []byte("II*\x00")), bytes.HasPrefix(head, []byte("MM\x00*")):
		return TypeTIFF
	case bytes.HasPrefix(head, []byte(`{\rtf`)):
		return TypeRTF
	}
	ct := normalizeType(http.DetectContentType(head))
	switch ct {
	case TypeZIP:
		if odf := odfType(head); odf != "" {
			return odf
		}
	case TypePlain:
		switch strings.ToLower(path.Ext(strings.ReplaceAll(fileName, `\`, "/"))) {
		case ".md", ".markdown":
			return TypeMarkdown
		}
	}
	return ct
}

// SniffFile returns the media type of the file at path: Sniff on its first bytes,
// and for a ZIP container a look into its directory, which tells DOCX, XLSX and PPTX
// (and their macro-enabled variants) from a plain ZIP and confirms ODT, ODS and ODP.
// A ZIP that cannot be read, or whose directory is implausibly large, stays
// application/zip. Callers that have the bytes in a file use SniffFile; the error is
// only about reading the file.
func SniffFile(path, fileName string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", fmt.Errorf("sniff: %w", err)
	}
	defer f.Close()
	head := make([]byte, SniffLen)
	n, err := io.ReadFull(f, head)
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, io.EOF) {
		return "", fmt.Errorf("sniff %s: %w", path, err)
	}
	head = head[:n]
	ct := Sniff(head, fileName)
	switch ct {
	case TypeZIP, TypeODT, TypeODS, TypeODP:
	default:
		return ct, nil
	}
	st, err := f.Stat()
	if err != nil {
		return "", fmt.Errorf("sniff %s: %w", path, err)
	}
	zr, err := openZip(f, st.Size())
	if err != nil {
		return TypeZIP, nil // not a readable ZIP: nothing more to say
	}
	switch ct {
	case TypeODT, TypeODS, TypeODP:
		if zipEntry(zr, "content.xml") == nil {
			return TypeZIP, nil
		}
		return ct, nil
	}
	return ooxmlType(zr), nil
}

// odfType reads the OpenDocument "mimetype" entry that must come first, stored
// uncompressed, in an ODF package; "" when head is not such a package.
func odfType(head []byte) string {
	const localHeaderLen = 30
	if len(head) < localHeaderLen || !bytes.HasPrefix(head, []byte("PK\x03\x04")) {
		return ""
	}
	flags := binary.LittleEndian.Uint16(head[6:])
	method := binary.LittleEndian.Uint16(head[8:])
	size := int(binary.LittleEndian.Uint32(head[18:]))
	nameLen := int(binary.LittleEndian.Uint16(head[26:]))
	extraLen := int(binary.LittleEndian.Uint16(head[28:]))
	start := localHeaderLen + nameLen + extraLen
	if method != zip.Store || nameLen != len("mimetype") || start > len(head) ||
		string(head[localHeaderLen:localHeaderLen+nameLen]) != "mimetype" {
		return ""
	}
	body := head[start:]
	for _, t := range []string{TypeODT, TypeODS, TypeODP} {
		switch {
		case size == len(t) && bytes.HasPrefix(body, []byte(t)):
			return t
		case size == 0 && flags&0x8 != 0 && bytes.HasPrefix(body, []byte(t)):
			// Sizes in a data descriptor after the data: the type must end where
			// the descriptor (or the next entry) begins.
			if rest := body[len(t):]; bytes.HasPrefix(rest, []byte("PK")) || len(rest) >= 12 && !isMimeChar(rest[0]) {
				return t
			}
		}
	}
	return ""
}

// isMimeChar reports whether c may continue a media type such as …opendocument.text
// (as in …opendocument.text-template).
func isMimeChar(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '.' || c == '+'
}

// ooxmlType tells the OOXML types apart by their main part, and macro-enabled ones
// by [Content_Types].xml; TypeZIP when the ZIP is none of them.
func ooxmlType(zr *zip.Reader) string {
	var plain, macro string
	switch {
	case zipEntry(zr, "word/document.xml") != nil:
		plain, macro = TypeDOCX, TypeDOCM
	case zipEntry(zr, "xl/workbook.xml") != nil:
		plain, macro = TypeXLSX, TypeXLSM
	case zipEntry(zr, "ppt/presentation.xml") != nil:
		plain, macro = TypePPTX, TypePPTM
	default:
		return TypeZIP
	}
	if f := zipEntry(zr, "[Content_Types].xml"); f != nil {
		if rc, err := f.Open(); err == nil {
			b, _ := io.ReadAll(io.LimitReader(rc, maxContentTypesBytes))
			rc.Close()
			if bytes.Contains(bytes.ToLower(b), []byte("macroenabled")) {
				return macro
			}
		}
	}
	return plain
}

// zipEntry returns the entry named name (OPC part names compare case-insensitively),
// or nil.
func zipEntry(zr *zip.Reader, name string) *zip.File {
	for _, f := range zr.File {
		if f.Name == name {
			return f
		}
	}
	for _, f := range zr.File {
		if strings.EqualFold(f.Name, name) {
			return f
		}
	}
	return nil
}

// errZipDirectory is returned for a ZIP whose directory exceeds maxZipDirBytes.
var errZipDirectory = errors.New("zip directory too large")

// openZip opens a ZIP archive after checking, from its end-of-directory record,
// that archive/zip will not read (and hold in memory) more than maxZipDirBytes of
// central directory: archive/zip reads directory entries from the directory's start
// to the end of the file, so the bound is on that distance.
func openZip(r io.ReaderAt, size int64) (*zip.Reader, error) {
	n := min(size, 65*1024)
	tail := make([]byte, n)
	if _, err := r.ReadAt(tail, size-n); err != nil && !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("zip: %w", err)
	}
	p := -1
	for i := len(tail) - 22; i >= 0; i-- {
		if tail[i] == 'P' && tail[i+1] == 'K' && tail[i+2] == 5 && tail[i+3] == 6 &&
			i+22+int(binary.LittleEndian.Uint16(tail[i+20:])) <= len(tail) {
			p = i
			break
		}
	}
	if p < 0 {
		return nil, errors.New("zip: not a ZIP archive (no end of central directory)")
	}
	end := size - n + int64(p)
	records := uint64(binary.LittleEndian.Uint16(tail[p+10:]))
	dirSize := uint64(binary.LittleEndian.Uint32(tail[p+12:]))
	dirOff := uint64(binary.LittleEndian.Uint32(tail[p+16:]))
	if records == 0xffff || dirSize == 0xffff || dirOff == 0xffffffff {
		// ZIP64: the locator right before the record points to the ZIP64 record.
		loc := make([]byte, 20)
		if end >= 20 {
			if _, err := r.ReadAt(loc, end-20); err == nil && bytes.HasPrefix(loc, []byte("PK\x06\x07")) {
				p64 := binary.LittleEndian.Uint64(loc[8:])
				rec := make([]byte, 56)
				if p64 < uint64(size) {
					if _, err := r.ReadAt(rec, int64(p64)); err == nil && bytes.HasPrefix(rec, []byte("PK\x06\x06")) {
						end = int64(p64)
						dirSize = binary.LittleEndian.Uint64(rec[40:])
						dirOff = binary.LittleEndian.Uint64(rec[48:])
					}
				}
			}
		}
	}
	// archive/zip starts reading at dirOff, or at end-dirSize for archives with data
	// prepended; take the earlier of the two.
	start := uint64(0)
	if dirSize <= uint64(end) {
		start = uint64(end) - dirSize
	}
	start = min(start, dirOff)
	if start > uint64(size) || uint64(size)-start > maxZipDirBytes {
		return nil, fmt.Errorf("zip: %w: over %d bytes", errZipDirectory, maxZipDirBytes)
	}
	zr, err := zip.NewReader(r, size)
	if err != nil {
		return nil, fmt.Errorf("zip: %w", err)
	}
	return zr, nil
}

// checkMagic verifies that the file at path starts the way its claimed binary media
// type must, so that no tool is handed something else (tesseract, for one, reads a
// non-image as a list of image paths).
func checkMagic(path, mediaType string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	head := make([]byte, SniffLen)
	n, err := io.ReadFull(f, head)
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, io.EOF) {
		return fmt.Errorf("read %s: %w", path, err)
	}
	if got := Sniff(head[:n], ""); got != mediaType {
		return fmt.Errorf("content is %s, not %s", got, mediaType)
	}
	return nil
}
