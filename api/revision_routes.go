package api

import (
	"context"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/danielgtaylor/huma/v2"
	"github.com/danielgtaylor/huma/v2/adapters/humafiber"
	"github.com/google/uuid"
	"github.com/kollab/kollab/documents"
	"github.com/kollab/kollab/internal/errs"
)

// Revisions: uploads stream from the request into object storage (the body
// is never held in memory; fiber runs with StreamRequestBody), downloads
// stream back with Range, ETag and a safe Content-Disposition.

// RevisionView is one immutable revision of a document.
type RevisionView struct {
	ID           uuid.UUID  `json:"id"`
	Number       int        `json:"number"`
	Size         int64      `json:"size_bytes"`
	SHA256       string     `json:"sha256"`
	ContentType  string     `json:"content_type"`
	FileName     string     `json:"file_name"`
	Comment      string     `json:"comment"`
	RestoredFrom *uuid.UUID `json:"restored_from,omitempty"`
	CreatedAt    time.Time  `json:"created_at"`
	CreatedBy    uuid.UUID  `json:"created_by" doc:"Membership id of the author"`
	AuthorName   string     `json:"author_name"`
	// Extraction is where the text extraction for the full-text search stands.
	Extraction string `json:"extraction,omitempty" enum:"pending,running,done,failed,skipped,not_extractable" doc:"Text extraction for the search: pending, running, done, failed, skipped (a file type without text) or not_extractable (the file exceeded a limit of the extraction: memory, CPU time, time or size; it is not tried again). Only in the revision history."`
	// SignedOff is read from the sign-off (package tasks) by the route.
	SignedOff bool `json:"signed_off,omitempty" doc:"Mitgezeichnet: an approved sign-off names this revision (GET /documents/{id}/signoffs has the details). Only in the revision history."`
}

func revisionView(r *documents.Revision) RevisionView {
	return RevisionView{ID: r.ID, Number: r.Number, Size: r.Size, SHA256: r.SHA256, ContentType: r.ContentType,
		FileName: r.FileName, Comment: r.Comment, RestoredFrom: r.RestoredFrom, CreatedAt: r.CreatedAt,
		CreatedBy: r.CreatedBy, AuthorName: r.AuthorName}
}

// UploadQuery describes the streamed body of an upload.
type UploadQuery struct {
	FileName string `query:"file_name" required:"true" minLength:"1" maxLength:"1000" doc:"The file's name on the client (display only)"`
	Comment  string `query:"comment" maxLength:"2000" doc:"A note on this revision"`
	// body and size are taken from the request in Resolve.
	body io.Reader
	size int64
}

// Resolve implements huma.Resolver: it takes the request body as a stream
// and its Content-Length (required: the quota is checked before reading).
func (u *UploadQuery) Resolve(hctx huma.Context) []error {
	c := humafiber.Unwrap(hctx)
	u.size = int64(c.Request().Header.ContentLength())
	if u.size < 0 {
		p, _ := problemFromError(errs.Plain(errs.LengthRequired), english(hctx.Header("Accept-Language")))
		return []error{p}
	}
	u.body = hctx.BodyReader()
	return nil
}

func (u *UploadQuery) upload(ifMatch int64) documents.Upload {
	return documents.Upload{FileName: strings.Clone(u.FileName), Size: u.size, Comment: strings.Clone(u.Comment), IfMatch: ifMatch}
}

type createFileIn struct {
	TenantIDPath
	UploadQuery
	Title string `query:"title" maxLength:"500" doc:"The document's title; default: the file name"`
}

type addRevisionIn struct {
	TenantIDPath
	IfMatchHeader
	UploadQuery
	RestartQuery
}

// RestartQuery confirms that a new revision restarts the sign-off
// (Mitzeichnung) of the document's current revision.
type RestartQuery struct {
	RestartSignoff bool `query:"restart_signoff" doc:"The current revision is signed off or in sign-off: true replaces it anyway and restarts the sign-off on the new revision with the same signers (without it: 409)"`
}

// DocumentRevisionView is a document with the revision just written.
type DocumentRevisionView struct {
	Document DocumentView `json:"document"`
	Revision RevisionView `json:"revision"`
}

type documentRevisionOut struct {
	ETag string `header:"ETag" doc:"The document's version, for If-Match"`
	Body DocumentRevisionView
}

func documentRevisionResult(d *documents.Document, r *documents.Revision, err error) (*documentRevisionOut, error) {
	if err != nil {
		return nil, err
	}
	return &documentRevisionOut{ETag: etag(d.Version), Body: DocumentRevisionView{Document: documentView(d), Revision: revisionView(r)}}, nil
}

type revisionsOut struct {
	Body struct {
		Revisions []RevisionView `json:"revisions" nullable:"false"`
	}
}

// RevisionPath names one revision of a document.
type RevisionPath struct {
	TenantIDPath
	Revision uuid.UUID `path:"revision"`
}

type restoreRevisionIn struct {
	RevisionPath
	IfMatchHeader
	RestartQuery
	Body struct {
		Comment string `json:"comment,omitempty" maxLength:"2000"`
	}
}

// ContentQuery are the conditions of a download (exported: huma fills
// embedded structs only when exported).
type ContentQuery struct {
	Disposition string `query:"disposition" enum:"attachment,inline," doc:"inline shows PDFs and images in the browser; other types always download"`
	Range       string `header:"Range" maxLength:"200"`
	IfRange     string `header:"If-Range" maxLength:"200"`
	IfNoneMatch string `header:"If-None-Match" maxLength:"1000"`
}

type currentContentIn struct {
	TenantIDPath
	ContentQuery
}

type revisionContentIn struct {
	RevisionPath
	ContentQuery
}

// uploadBody documents the raw request body of an upload.
func uploadBody() *huma.RequestBody {
	return &huma.RequestBody{Required: true, Description: "The file's bytes; Content-Length is required.",
		Content: map[string]*huma.MediaType{"application/octet-stream": {Schema: &huma.Schema{Type: "string", Format: "binary"}}}}
}

// contentResponses documents a download.
func contentResponses() map[string]*huma.Response {
	bin := map[string]*huma.MediaType{"application/octet-stream": {Schema: &huma.Schema{Type: "string", Format: "binary"}}}
	return map[string]*huma.Response{
		"200": {Description: "The bytes", Content: bin},
		"206": {Description: "The requested range", Content: bin},
		"304": {Description: "Not modified (If-None-Match)"},
	}
}

func (s *Server) revisionRoutes() {
	tags := []string{"Dokumente"}
	docs := s.deps.Documents
	register(s, member, huma.Operation{OperationID: "upload-document", Method: http.MethodPost, Path: tenantBase + "/folders/{id}/files", Tags: tags,
		Summary: "Create a document from an uploaded file (write permission)", DefaultStatus: http.StatusCreated, RequestBody: uploadBody(),
		Description: "The body streams to object storage; the content type is sniffed from the bytes. Over the tenant's quota: 413 " +
			"before anything is stored; without Content-Length: 411; a title taken in the folder: 409.",
		MaxBodyBytes: -1},
		func(ctx context.Context, in *createFileIn) (*documentRevisionOut, error) {
			return documentRevisionResult(docs.CreateDocumentWithRevision(ctx, actorOf(ctx), in.ID,
				documents.DocumentInput{Title: strings.Clone(in.Title)}, in.upload(0), in.body))
		})

	register(s, member, huma.Operation{OperationID: "upload-revision", Method: http.MethodPut, Path: tenantBase + "/documents/{id}/content", Tags: tags,
		Summary: "Upload a new revision of a document (write permission; If-Match recommended)", DefaultStatus: http.StatusCreated,
		RequestBody: uploadBody(), MaxBodyBytes: -1,
		Description: "A stale If-Match answers 412 before and after the bytes are stored; a check-out by someone else 423; " +
			"a current revision that is signed off or in sign-off 409 unless restart_signoff=true."},
		func(ctx context.Context, in *addRevisionIn) (*documentRevisionOut, error) {
			up := in.upload(in.version)
			up.RestartSignoff = in.RestartSignoff
			return documentRevisionResult(docs.AddRevision(ctx, actorOf(ctx), in.ID, up, in.body))
		})

	register(s, member, huma.Operation{OperationID: "list-revisions", Method: http.MethodGet, Path: tenantBase + "/documents/{id}/revisions", Tags: tags,
		Summary: "A document's revision history, newest first"},
		func(ctx context.Context, in *TenantIDPath) (*revisionsOut, error) {
			revs, err := docs.ListRevisions(ctx, actorOf(ctx), in.ID)
			if err != nil {
				return nil, err
			}
			states, err := docs.ExtractionStates(ctx, actorOf(ctx), in.ID)
			if err != nil {
				return nil, err
			}
			signed := map[uuid.UUID]bool{}
			if s.deps.Tasks != nil {
				if signed, err = s.deps.Tasks.SignedOffRevisions(ctx, actorOf(ctx), in.ID); err != nil {
					return nil, err
				}
			}
			out := &revisionsOut{}
			out.Body.Revisions = make([]RevisionView, len(revs))
			for i := range revs {
				out.Body.Revisions[i] = revisionView(&revs[i])
				out.Body.Revisions[i].Extraction = states[revs[i].ID].State
				out.Body.Revisions[i].SignedOff = signed[revs[i].ID]
			}
			return out, nil
		})

	register(s, member, huma.Operation{OperationID: "restore-revision", Method: http.MethodPost, Path: tenantBase + "/documents/{id}/revisions/{revision}/restore", Tags: tags,
		Summary: "Make an older revision current again, as a new revision (write permission)", DefaultStatus: http.StatusCreated,
		Description: "A current revision that is signed off or in sign-off answers 409 unless restart_signoff=true."},
		func(ctx context.Context, in *restoreRevisionIn) (*documentRevisionOut, error) {
			return documentRevisionResult(docs.RestoreRevision(ctx, actorOf(ctx), in.ID, in.Revision, in.version, strings.Clone(in.Body.Comment), in.RestartSignoff))
		})

	register(s, member, huma.Operation{OperationID: "download-document", Method: http.MethodGet, Path: tenantBase + "/documents/{id}/content", Tags: tags,
		Summary: "Download the current revision (Range, ETag; audited)", Responses: contentResponses()},
		func(ctx context.Context, in *currentContentIn) (*huma.StreamResponse, error) {
			return s.download(ctx, in.ID, uuid.Nil, &in.ContentQuery)
		})

	register(s, member, huma.Operation{OperationID: "download-revision", Method: http.MethodGet, Path: tenantBase + "/documents/{id}/revisions/{revision}/content", Tags: tags,
		Summary: "Download one revision (Range, ETag; audited)", Responses: contentResponses()},
		func(ctx context.Context, in *revisionContentIn) (*huma.StreamResponse, error) {
			return s.download(ctx, in.ID, in.Revision, &in.ContentQuery)
		})
}

// inlineTypes may be shown in the browser; everything else downloads.
var inlineTypes = map[string]bool{"application/pdf": true, "image/png": true, "image/jpeg": true, "image/gif": true, "image/webp": true}

// download answers a content request: 304 for a matching If-None-Match,
// 206 for one satisfiable byte range (several ranges get the whole file),
// 416 for a range past the end, else 200.
func (s *Server) download(ctx context.Context, docID, revID uuid.UUID, q *ContentQuery) (*huma.StreamResponse, error) {
	a := actorOf(ctx)
	docs := s.deps.Documents
	rev, err := docs.GetRevision(ctx, a, docID, revID)
	if err != nil {
		return nil, err
	}
	return serveRevision(rev, q, revID != uuid.Nil, func(offset, length int64) (*documents.Revision, io.ReadCloser, error) {
		return docs.OpenRevision(ctx, a, docID, rev.ID, offset, length)
	})
}

// serveRevision answers a content request for rev (read already allowed)
// as download describes; open opens its bytes. immutable says the URL
// names this revision for good (else the response must be revalidated).
func serveRevision(rev *documents.Revision, q *ContentQuery, immutable bool,
	open func(offset, length int64) (*documents.Revision, io.ReadCloser, error)) (*huma.StreamResponse, error) {
	tag := `"` + rev.SHA256 + `"`
	if q.IfNoneMatch != "" && etagListHas(q.IfNoneMatch, tag) {
		return &huma.StreamResponse{Body: func(hctx huma.Context) {
			hctx.SetHeader("ETag", tag)
			hctx.SetStatus(http.StatusNotModified)
		}}, nil
	}
	offset, length, partial := int64(0), int64(-1), false
	if q.Range != "" && (q.IfRange == "" || q.IfRange == tag) {
		o, l, ok, err := parseRange(q.Range, rev.Size)
		if err != nil {
			return nil, err
		}
		offset, length, partial = o, l, ok
	}
	rev, rc, err := open(offset, length)
	if err != nil {
		return nil, err
	}
	n := rev.Size - offset
	if length >= 0 {
		n = length
	}
	base, _, _ := mime.ParseMediaType(rev.ContentType)
	disp := "attachment"
	if q.Disposition == "inline" && inlineTypes[base] {
		disp = "inline"
	}
	cd := mime.FormatMediaType(disp, map[string]string{"filename": rev.FileName})
	if cd == "" { // a name mime cannot encode
		cd = disp
	}
	cache := "private, no-cache"
	if immutable {
		cache = "private, max-age=31536000, immutable" // a revision never changes
	}
	return &huma.StreamResponse{Body: func(hctx huma.Context) {
		c := humafiber.Unwrap(hctx)
		h := &c.Response().Header
		h.Set("Content-Type", rev.ContentType)
		h.Set("Content-Disposition", cd)
		h.Set("ETag", tag)
		h.Set("Last-Modified", rev.CreatedAt.UTC().Format(http.TimeFormat))
		h.Set("Accept-Ranges", "bytes")
		h.Set("Cache-Control", cache)
		h.Set("X-Content-Type-Options", "nosniff")
		// The web app runs cross-origin isolated (COEP require-corp): a
		// document it frames must opt in, and nobody else may embed it.
		h.Set("Cross-Origin-Resource-Policy", "same-origin")
		h.Set("Cross-Origin-Embedder-Policy", "require-corp")
		if base == "application/pdf" {
			// Chromium's PDF viewer refuses sandboxed documents; the web
			// app's preview frames PDFs from its own origin.
			h.Set("Content-Security-Policy", "default-src 'none'; frame-ancestors 'self'")
			h.Set("X-Frame-Options", "SAMEORIGIN")
		} else {
			h.Set("Content-Security-Policy", "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; frame-ancestors 'self'; sandbox")
			h.Set("X-Frame-Options", "SAMEORIGIN")
		}
		status := http.StatusOK
		if partial {
			status = http.StatusPartialContent
			h.Set("Content-Range", "bytes "+strconv.FormatInt(offset, 10)+"-"+strconv.FormatInt(offset+n-1, 10)+"/"+strconv.FormatInt(rev.Size, 10))
		}
		c.Status(status)
		// fasthttp streams the reader after the handler returns and closes it.
		c.Response().SetBodyStream(rc, int(n))
	}}, nil
}

// etagListHas reports whether an If-None-Match list names tag (or *).
func etagListHas(list, tag string) bool {
	for _, t := range strings.Split(list, ",") {
		t = strings.TrimPrefix(strings.TrimSpace(t), "W/")
		if t == "*" || t == tag {
			return true
		}
	}
	return false
}

// parseRange reads a Range header for a file of size bytes. It returns the
// offset and length of one satisfiable range (ok), ok=false for a header
// to ignore (not bytes, several ranges, malformed: RFC 9110 lets a server
// send the whole file), and errs.RangeNotSatisfiable for a range that
// starts past the end.
func parseRange(h string, size int64) (offset, length int64, ok bool, err error) {
	spec, found := strings.CutPrefix(strings.TrimSpace(h), "bytes=")
	if !found || strings.Contains(spec, ",") {
		return 0, -1, false, nil
	}
	first, last, found := strings.Cut(strings.TrimSpace(spec), "-")
	if !found {
		return 0, -1, false, nil
	}
	if first == "" { // suffix: the last N bytes
		n, perr := strconv.ParseInt(last, 10, 64)
		if perr != nil || n < 0 {
			return 0, -1, false, nil
		}
		if n == 0 {
			return 0, 0, false, errs.Plain(errs.RangeNotSatisfiable)
		}
		n = min(n, size)
		return size - n, n, true, nil
	}
	start, perr := strconv.ParseInt(first, 10, 64)
	if perr != nil || start < 0 {
		return 0, -1, false, nil
	}
	if start >= size {
		return 0, 0, false, errs.Plain(errs.RangeNotSatisfiable)
	}
	end := size - 1
	if last != "" {
		e, perr := strconv.ParseInt(last, 10, 64)
		if perr != nil || e < start {
			return 0, -1, false, nil
		}
		end = min(e, size-1)
	}
	return start, end - start + 1, true, nil
}
