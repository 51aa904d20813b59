package extract

import (
	"encoding/binary"
	"errors"
	"fmt"
	"image"
	_ "image/gif" // image.DecodeConfig for GIF
	_ "image/jpeg"
	_ "image/png"
	"io"
	"os"
)

// maxTIFFPages bounds the pages of a TIFF that are looked at.
const maxTIFFPages = 10000

// imagePages checks that every page of the image at path has at most maxPixels
// pixels, from its header alone, and returns the number of pages (1 but for TIFF).
func imagePages(path, mediaType string, maxPixels int64) (int, error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	if mediaType == TypeTIFF {
		return tiffPages(f, maxPixels)
	}
	cfg, _, err := image.DecodeConfig(f)
	if err != nil {
		return 0, fmt.Errorf("image header: %w", err)
	}
	if err := checkPixels(int64(cfg.Width), int64(cfg.Height), maxPixels); err != nil {
		return 0, err
	}
	return 1, nil
}

func checkPixels(w, h, maxPixels int64) error {
	if w <= 0 || h <= 0 {
		return fmt.Errorf("image of %d×%d pixels", w, h)
	}
	if w > maxPixels/h {
		return fmt.Errorf("image of %d×%d pixels is larger than %d pixels", w, h, maxPixels)
	}
	return nil
}

// tiffPages walks the image file directories of a TIFF (classic, not BigTIFF) and
// checks the width and length of each.
func tiffPages(r io.ReaderAt, maxPixels int64) (int, error) {
	hdr := make([]byte, 8)
	if _, err := r.ReadAt(hdr, 0); err != nil {
		return 0, fmt.Errorf("tiff header: %w", err)
	}
	var bo binary.ByteOrder
	switch string(hdr[:4]) {
	case "II*\x00":
		bo = binary.LittleEndian
	case "MM\x00*":
		bo = binary.BigEndian
	default:
		return 0, errors.New("tiff header: not a classic TIFF")
	}
	off := int64(bo.Uint32(hdr[4:]))
	seen := map[int64]bool{}
	pages := 0
	for off != 0 {
		if seen[off] || pages >= maxTIFFPages {
			return 0, fmt.Errorf("tiff: more than %d pages or a loop of directories", pages)
		}
		seen[off] = true
		cnt := make([]byte, 2)
		if _, err := r.ReadAt(cnt, off); err != nil {
			return 0, fmt.Errorf("tiff directory %d: %w", pages+1, err)
		}
		n := int(bo.Uint16(cnt))
		dir := make([]byte, n*12+4)
		if _, err := r.ReadAt(dir, off+2); err != nil {
			return 0, fmt.Errorf("tiff directory %d: %w", pages+1, err)
		}
		var w, h int64
		for i := range n {
			e := dir[i*12 : i*12+12]
			var v int64
			switch bo.Uint16(e[2:]) { // field type
			case 3: // SHORT
				v = int64(bo.Uint16(e[8:]))
			case 4: // LONG
				v = int64(bo.Uint32(e[8:]))
			default:
				continue
			}
			switch bo.Uint16(e[0:]) { // tag
			case 256:
				w = v
			case 257:
				h = v
			}
		}
		pages++
		if err := checkPixels(w, h, maxPixels); err != nil {
			return 0, fmt.Errorf("tiff page %d: %w", pages, err)
		}
		off = int64(bo.Uint32(dir[n*12:]))
	}
	if pages == 0 {
		return 0, errors.New("tiff: no pages")
	}
	return pages, nil
}
