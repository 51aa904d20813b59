package dav

import (
	"net/http"
)

// serveGet answers GET and HEAD of a document: its current revision,
// streamed, with ETag, Last-Modified, conditional requests and Range
// (http.ServeContent over a reader that opens the stored bytes at the
// requested offset). Folders answer 405 as in x/net/webdav.
func (rq *request) serveGet(w *errorWriter, r *http.Request, name string) {
	n, err := rq.resolve(r.Context(), name)
	if err != nil {
		w.status(statusOf(err))
		return
	}
	if n.kind == kindHelper {
		rq.serveHelper(w, r, n)
		return
	}
	if n.kind != kindDocument {
		w.Header().Set("Allow", "OPTIONS, PROPFIND, PROPPATCH, MKCOL, PUT, DELETE, COPY, MOVE, LOCK, UNLOCK")
		w.status(http.StatusMethodNotAllowed, "Ein Ordner hat keinen Inhalt zum Herunterladen.")
		return
	}
	fi := rq.info(n)
	h := w.Header()
	h.Set("ETag", fi.etag)
	h.Set("Content-Type", fi.ctype)
	h.Set("Cache-Control", "private, no-cache")
	// The bytes are the users' files: never rendered as an active page of
	// this origin, never sniffed into something else.
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Security-Policy", "default-src 'none'; sandbox")
	f := newDocFile(r.Context(), rq, n)
	defer f.Close()
	// ServeContent sends its status before it reads the first bytes: hold
	// the status back until a byte is ready, so that a revision that cannot
	// be opened (its object missing, or of another size than recorded)
	// answers an error instead of a 200 with a short body.
	hw := &heldWriter{errorWriter: w}
	http.ServeContent(hw, r, "", fi.mod, f)
	if hw.code != 0 && rq.failure != nil && !hw.sent {
		for _, k := range []string{"Content-Length", "Content-Range", "Accept-Ranges", "Last-Modified", "ETag", "Content-Type"} {
			h.Del(k)
		}
		code, detail := statusOf(rq.failure)
		if code < 400 {
			code = http.StatusInternalServerError
		}
		if code == http.StatusInternalServerError {
			rq.s.log.ErrorContext(r.Context(), "webdav: read failed", "err", rq.failure.Error())
		}
		w.status(code, detail)
		return
	}
	hw.flush()
	if rq.failure != nil && hw.sent {
		// The answer had started when the bytes failed (or turned out not
		// to be the recorded ones): the connection is dropped so that the
		// client sees a broken transfer, never a clean end; the log says why.
		rq.s.log.ErrorContext(r.Context(), "webdav: read failed", "err", rq.failure.Error())
		panic(http.ErrAbortHandler)
	}
}

// heldWriter passes a success status on only with the first byte of the
// body (or at flush).
type heldWriter struct {
	*errorWriter
	code int
	sent bool
}

func (w *heldWriter) WriteHeader(code int) {
	if code >= 400 || w.sent {
		w.errorWriter.WriteHeader(code)
		return
	}
	if w.code == 0 {
		w.code = code
	}
}

func (w *heldWriter) Write(p []byte) (int, error) {
	w.flush()
	return w.errorWriter.Write(p)
}

// flush sends a held status.
func (w *heldWriter) flush() {
	if w.code != 0 && !w.sent {
		w.sent = true
		w.errorWriter.WriteHeader(w.code)
	}
}

// serveHelper answers GET and HEAD of a helper file.
func (rq *request) serveHelper(w *errorWriter, r *http.Request, n *node) {
	f, err := rq.openHelper(n)
	if err == nil {
		err = f.load()
	}
	if err != nil {
		w.status(statusOf(err))
		return
	}
	fi := rq.info(n)
	h := w.Header()
	h.Set("ETag", fi.etag)
	h.Set("Content-Type", fi.ctype)
	h.Set("Cache-Control", "private, no-cache")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Security-Policy", "default-src 'none'; sandbox")
	http.ServeContent(w, r, "", fi.mod, f)
}
