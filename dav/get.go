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
	http.ServeContent(w, r, "", fi.mod, f)
	if rq.failure != nil && w.wrote {
		// The answer had started when the bytes failed: the client sees a
		// short body; the log says why.
		rq.s.log.ErrorContext(r.Context(), "webdav: read failed", "err", rq.failure.Error())
	}
}
