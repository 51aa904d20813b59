package oparl

import (
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"
	"github.com/google/uuid"
	"github.com/kollab/kollab/documents"
	"github.com/kollab/kollab/internal/storage"
	"github.com/kollab/kollab/meetings/publication"
	"github.com/kollab/kollab/tenant"
)

// inlineTypes may be shown in the browser (accessUrl); everything else,
// and every downloadUrl, is an attachment.
var inlineTypes = map[string]bool{"application/pdf": true, "image/png": true, "image/jpeg": true, "image/gif": true,
	"image/webp": true, "text/plain": true}

// download streams a File's bytes: a revision frozen for a public,
// accepted agenda item of a public committee of a publishing body, whose
// document is not in the trash. Anything else is 404. ETag (the SHA-256),
// If-None-Match and a single byte Range are supported.
func (s *Server) download(c *fiber.Ctx) error {
	t, err := s.publisher(c)
	if err != nil {
		return s.fail(c, err)
	}
	id, err := uuid.Parse(c.Params("id"))
	if err != nil {
		return writeProblem(c, errNotFound)
	}
	rev, err := s.publishedRevision(c, t, id)
	if err != nil {
		return s.fail(c, err)
	}
	if rev == nil {
		return writeProblem(c, errNotFound)
	}
	tag := `"` + rev.SHA256 + `"`
	h := &c.Response().Header
	if etagMatch(c.Get(fiber.HeaderIfNoneMatch), tag) {
		h.Set(fiber.HeaderETag, tag)
		h.Set(fiber.HeaderCacheControl, "public, max-age=300")
		return c.SendStatus(fiber.StatusNotModified)
	}
	offset, length, partial := int64(0), int64(-1), false
	if rg := c.Get(fiber.HeaderRange); rg != "" {
		if ir := c.Get(fiber.HeaderIfRange); ir == "" || ir == tag {
			o, l, ok, bad := byteRange(rg, rev.SizeBytes)
			if bad {
				h.Set(fiber.HeaderContentRange, "bytes */"+strconv.FormatInt(rev.SizeBytes, 10))
				return writeProblem(c, errRange)
			}
			offset, length, partial = o, l, ok
		}
	}
	n := rev.SizeBytes - offset
	if length >= 0 {
		n = length
	}
	head := c.Method() == fiber.MethodHead
	var rc io.ReadCloser
	if !head {
		if s.deps.Store == nil {
			return s.fail(c, errors.New("oparl: no object store"))
		}
		want := storage.Want{Size: rev.SizeBytes, SHA256: rev.SHA256}
		if rc, err = documents.OpenStored(c.UserContext(), s.deps.DB, s.deps.Store, t.ID, id, rev.StorageKey, want, offset, length); err != nil {
			if errors.Is(err, storage.ErrNotFound) {
				s.deps.Log.Error("oparl: a published revision's object is missing", "tenant", t.ID, "revision", id)
			}
			return s.fail(c, fmt.Errorf("oparl: open file: %w", err))
		}
	}
	fileHeaders(c, rev, tag)
	if partial {
		c.Status(fiber.StatusPartialContent)
		h.Set(fiber.HeaderContentRange, "bytes "+strconv.FormatInt(offset, 10)+"-"+strconv.FormatInt(offset+n-1, 10)+"/"+
			strconv.FormatInt(rev.SizeBytes, 10))
	}
	if head {
		h.SetContentLength(int(n))
		return nil
	}
	// fasthttp streams the reader after the handler returns, then closes it.
	c.Response().SetBodyStream(rc, int(n))
	return nil
}

// publishedRevision is the stored revision behind a File.
type publishedRevision struct {
	StorageKey  string `gorm:"column:storage_key"`
	SizeBytes   int64  `gorm:"column:size_bytes"`
	ContentType string `gorm:"column:content_type"`
	FileName    string `gorm:"column:file_name"`
	SHA256      string `gorm:"column:sha256"`
	Created     dbTime `gorm:"column:created_at"`
}

// publishedRevision reads revision id if it is published as a File (see
// download); nil when it is not.
func (s *Server) publishedRevision(c *fiber.Ctx, t *tenant.Tenant, id uuid.UUID) (*publishedRevision, error) {
	var revs []publishedRevision
	err := s.read(c, t, func(r *reader) error {
		return r.tx.Raw(`SELECT v.storage_key, v.size_bytes, v.content_type, v.file_name, v.sha256, v.created_at
			FROM document_revisions v WHERE v.tenant_id = @tenant AND v.id = ? AND EXISTS (SELECT 1 FROM`+publication.PaperJoins+`
				WHERE`+publication.PaperPublic+` AND mp.revision_id = v.id AND d.deleted_at IS NULL)`, id).Scan(&revs).Error
	})
	if err != nil || len(revs) == 0 {
		return nil, err
	}
	return &revs[0], nil
}

// fileHeaders sets the headers of a download of rev: its ETag (tag),
// caching, type and disposition (inline only for inlineTypes, unless the
// query asks for an attachment), and the headers that keep the upload from
// running as a page.
func fileHeaders(c *fiber.Ctx, rev *publishedRevision, tag string) {
	h := &c.Response().Header
	base, _, _ := mime.ParseMediaType(rev.ContentType)
	disp := "attachment"
	if c.Query("disposition") != "attachment" && inlineTypes[base] {
		disp = "inline"
	}
	cd := mime.FormatMediaType(disp, map[string]string{"filename": rev.FileName})
	if cd == "" {
		cd = disp
	}
	h.Set(fiber.HeaderETag, tag)
	h.Set(fiber.HeaderCacheControl, "public, max-age=300")
	h.Set(fiber.HeaderLastModified, rev.Created.T.UTC().Format(http.TimeFormat))
	h.Set(fiber.HeaderAcceptRanges, "bytes")
	h.Set(fiber.HeaderContentType, rev.ContentType)
	h.Set(fiber.HeaderContentDisposition, cd)
	// The bytes are an agency's upload: never run as a page of this origin.
	h.Set(fiber.HeaderXContentTypeOptions, "nosniff")
	h.Set(fiber.HeaderContentSecurityPolicy, "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox")
}

// byteRange reads a Range header for a file of size bytes: one satisfiable
// range (ok), or nothing to honour (several ranges, another unit, bad
// syntax: RFC 9110 lets a server send the whole file), or bad when the
// range starts past the end.
func byteRange(h string, size int64) (offset, length int64, ok, bad bool) {
	spec, found := strings.CutPrefix(strings.TrimSpace(h), "bytes=")
	if !found || strings.Contains(spec, ",") {
		return 0, -1, false, false
	}
	first, last, found := strings.Cut(strings.TrimSpace(spec), "-")
	if !found {
		return 0, -1, false, false
	}
	if first == "" { // the last N bytes
		n, err := strconv.ParseInt(last, 10, 64)
		if err != nil || n < 0 {
			return 0, -1, false, false
		}
		if n == 0 || size == 0 {
			return 0, 0, false, true
		}
		n = min(n, size)
		return size - n, n, true, false
	}
	start, err := strconv.ParseInt(first, 10, 64)
	if err != nil || start < 0 {
		return 0, -1, false, false
	}
	if start >= size {
		return 0, 0, false, true
	}
	end := size - 1
	if last != "" {
		e, err := strconv.ParseInt(last, 10, 64)
		if err != nil || e < start {
			return 0, -1, false, false
		}
		end = min(e, size-1)
	}
	return start, end - start + 1, true, false
}
