package dav

import (
	"context"
	"errors"
	"io"
	"net/http"
	"os"
	"slices"
	"strings"

	"github.com/kollab/kollab/documents"
	"github.com/kollab/kollab/internal/errs"
)

// preparePut checks a PUT before the x/net/webdav handler takes it: the
// size limit and If-Match / If-None-Match (an entity tag names a document
// version, which becomes the revision's IfMatch). It hides the body's
// other methods so that io.Copy hands it to putFile.ReadFrom, which
// streams it with its Content-Length into the revision.
func (rq *request) preparePut(w *errorWriter, r *http.Request, name string) bool {
	if r.ContentLength > rq.s.cfg.MaxUploadBytes || isHelper(name) && r.ContentLength > maxHelperSize {
		w.status(http.StatusRequestEntityTooLarge, "")
		return false
	}
	rq.putLength = r.ContentLength
	im, inm := strings.TrimSpace(r.Header.Get("If-Match")), strings.TrimSpace(r.Header.Get("If-None-Match"))
	if im != "" || inm != "" {
		n, err := rq.resolve(r.Context(), name)
		if err != nil && !isNotFound(err) {
			w.status(statusOf(err))
			return false
		}
		exists := err == nil
		if exists && n.kind != kindDocument && n.kind != kindHelper {
			w.status(http.StatusMethodNotAllowed, "")
			return false
		}
		switch {
		case inm == "*" && exists, im == "*" && !exists, im != "" && im != "*" && !exists:
			w.status(http.StatusPreconditionFailed, "")
			return false
		case im != "" && im != "*" && n.kind == kindHelper:
			if !slices.Contains(strings.Split(im, ","), rq.info(n).etag) {
				w.status(http.StatusPreconditionFailed, "")
				return false
			}
		case im != "" && im != "*":
			for _, tag := range strings.Split(im, ",") {
				if v := parseETag(tag, n.doc); v > 0 {
					rq.ifMatch = v
				}
			}
			if rq.ifMatch == 0 || rq.ifMatch != n.doc.Version {
				w.status(http.StatusPreconditionFailed, "")
				return false
			}
		}
	}
	r.Body = readOnlyBody{r.Body}
	return true
}

// readOnlyBody hides every method of a request body but Read and Close.
type readOnlyBody struct{ rc io.ReadCloser }

func (b readOnlyBody) Read(p []byte) (int, error) { return b.rc.Read(p) }
func (b readOnlyBody) Close() error               { return b.rc.Close() }

// putFile is a document opened for writing (PUT, the destination of a
// COPY, or the empty resource a LOCK on a new name creates). Nothing
// changes until the bytes are complete: ReadFrom streams them into a new
// revision (or a new document) in one call; bytes given to Write are
// spooled to a temporary file and committed by Stat or Close.
type putFile struct {
	rq     *request
	ctx    context.Context
	folder *documents.Folder
	// name is the file name.
	name string
	// doc is the existing document (nil: a new one is created).
	doc *documents.Document
	// result is the document after the commit.
	result *documents.Document
	spool  *os.File
	size   int64
	done   bool
	err    error
}

// ReadFrom implements io.ReaderFrom: the body of a PUT with its
// Content-Length streams straight into the revision; a document being
// copied is copied by the document service (which shares the bytes);
// a body of unknown size is spooled first.
func (f *putFile) ReadFrom(r io.Reader) (int64, error) {
	if f.done {
		return 0, errors.New("dav: file already written")
	}
	if src, ok := r.(*docFile); ok {
		return src.size - src.pos, f.copyFrom(src)
	}
	if f.rq.method == http.MethodPut && f.rq.putLength >= 0 {
		cr := &countingReader{r: r}
		err := f.commit(f.rq.putLength, cr)
		return cr.n, err
	}
	if err := f.spoolFrom(r); err != nil {
		return f.size, err
	}
	return f.size, f.commitSpool()
}

// Write implements io.Writer by spooling.
func (f *putFile) Write(p []byte) (int, error) {
	if f.done {
		return 0, errors.New("dav: file already written")
	}
	if err := f.openSpool(); err != nil {
		return 0, err
	}
	if f.size+int64(len(p)) > f.rq.s.cfg.MaxUploadBytes {
		return 0, f.rq.failStatus(http.StatusRequestEntityTooLarge, "")
	}
	n, err := f.spool.Write(p)
	f.size += int64(n)
	return n, err
}

func (f *putFile) openSpool() error {
	if f.spool != nil {
		return nil
	}
	sp, err := os.CreateTemp(f.rq.s.cfg.SpoolDir, "kollab-dav-*")
	if err != nil {
		return f.rq.fail(err)
	}
	f.spool = sp
	return nil
}

// spoolFrom copies r into the spool file, at most MaxUploadBytes.
func (f *putFile) spoolFrom(r io.Reader) error {
	if err := f.openSpool(); err != nil {
		return err
	}
	limit := f.rq.s.cfg.MaxUploadBytes - f.size
	n, err := io.Copy(f.spool, io.LimitReader(r, limit+1))
	f.size += n
	if err != nil {
		return err
	}
	if n > limit {
		return f.rq.failStatus(http.StatusRequestEntityTooLarge, "")
	}
	return nil
}

// commitSpool commits the spooled bytes, now of known size.
func (f *putFile) commitSpool() error {
	if _, err := f.spool.Seek(0, io.SeekStart); err != nil {
		return f.rq.fail(err)
	}
	return f.commit(f.size, f.spool)
}

// commit makes size bytes of body the document's new revision, or creates
// the document. An empty body creates a document without content and is
// no revision for a document that has none yet (Windows Explorer PUTs an
// empty file before the real one).
func (f *putFile) commit(size int64, body io.Reader) error {
	f.done = true
	svc, a := f.rq.svc(), f.rq.actor
	up := documents.Upload{FileName: f.name, Size: size, IfMatch: f.rq.ifMatch}
	var (
		d   *documents.Document
		err error
	)
	switch {
	case f.doc != nil && size == 0 && f.doc.CurrentRevisionID == nil:
		d = f.doc
	case f.doc != nil:
		d, _, err = svc.AddRevision(f.ctx, a, f.doc.ID, up, body)
	case size == 0:
		d, err = svc.CreateDocument(f.ctx, a, f.folder.ID, documents.DocumentInput{FileName: f.name})
	default:
		d, _, err = svc.CreateDocumentWithRevision(f.ctx, a, f.folder.ID, documents.DocumentInput{FileName: f.name}, up, body)
	}
	f.rq.invalidate()
	if err != nil {
		f.err = f.rq.fail(err)
		return f.err
	}
	f.result = d
	if f.doc == nil {
		f.rq.lockNewDocument(f.ctx, d)
	}
	return nil
}

// copyFrom is the COPY of a document onto a new name: the service copies
// metadata and current revision (sharing the stored bytes), and the dead
// properties come along. Onto an existing document (which x/net/webdav
// never asks for: it deletes the destination first) the bytes become a new
// revision.
func (f *putFile) copyFrom(src *docFile) error {
	if f.doc != nil {
		return f.commit(src.size-src.pos, src)
	}
	f.done = true
	if err := f.rq.countCopy(); err != nil {
		f.err = err
		return err
	}
	d, err := f.rq.svc().CopyDocumentAs(f.ctx, f.rq.actor, src.n.doc.ID, f.folder.ID, f.name)
	f.rq.invalidate()
	if err != nil {
		f.err = f.rq.fail(err)
		return f.err
	}
	f.result = d
	if err := f.rq.copyProps(src.n, &node{kind: kindDocument, doc: d}); err != nil {
		f.err = f.rq.fail(err)
		return f.err
	}
	return nil
}

// Stat implements http.File; it commits spooled bytes first, so that the
// entity tag the handler answers with is the new one.
func (f *putFile) Stat() (os.FileInfo, error) {
	if !f.done && f.spool != nil {
		if err := f.commitSpool(); err != nil {
			return nil, err
		}
	}
	if f.err != nil {
		return nil, f.err
	}
	d := f.result
	if d == nil {
		d = f.doc
	}
	if d == nil {
		return &fileInfo{name: f.name, mod: f.rq.s.now(), ctype: "application/octet-stream"}, nil
	}
	return f.rq.info(&node{kind: kindDocument, doc: d}), nil
}

// Close implements io.Closer: it commits what was not committed yet (an
// empty file when nothing was written) and removes the spool file.
func (f *putFile) Close() error {
	var err error
	if !f.done {
		if f.spool != nil {
			err = f.commitSpool()
		} else {
			err = f.commit(0, strings.NewReader(""))
		}
	}
	if f.spool != nil {
		_ = f.spool.Close()
		_ = os.Remove(f.spool.Name())
		f.spool = nil
	}
	if err == nil {
		err = f.err
	}
	return err
}

func (f *putFile) Read([]byte) (int, error)           { return 0, errors.New("dav: opened for writing") }
func (f *putFile) Seek(int64, int) (int64, error)     { return 0, errors.New("dav: opened for writing") }
func (f *putFile) Readdir(int) ([]os.FileInfo, error) { return nil, errNotAFile }

// countingReader counts what passes through it.
type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

// errIsDir refuses writing to a collection.
var errIsDir = &statusError{code: http.StatusMethodNotAllowed, detail: "Ein Ordner kann nicht überschrieben werden."}

// errNoRootDocs refuses documents outside a folder.
var errNoRootDocs = errs.New(errs.Forbidden, errs.M("dav.documents-always-in-folder", "Dokumente liegen immer in einem Ordner; bitte einen Ordner öffnen.", "Documents always lie in a folder; please open a folder."))
