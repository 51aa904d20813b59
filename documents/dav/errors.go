package dav

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"time"

	"github.com/kollab/kollab/internal/errs"
	"golang.org/x/net/webdav"
)

// statusError is a failure with an explicit WebDAV status.
type statusError struct {
	code   int
	detail string
}

func (e *statusError) Error() string { return strconv.Itoa(e.code) + " " + e.detail }

// texts are the German answers of the error statuses (WebDAV clients show
// mostly the status; the text helps in logs and with curl).
var texts = map[int]string{
	http.StatusBadRequest:                   "Ungültige Anfrage.",
	http.StatusUnauthorized:                 "Bitte mit Ihrer E-Mail-Adresse und einem persönlichen API-Token als Passwort anmelden.",
	http.StatusForbidden:                    "Für diese Aktion fehlt Ihnen die Berechtigung.",
	http.StatusNotFound:                     "Nicht gefunden.",
	http.StatusMethodNotAllowed:             "Diese Methode ist hier nicht erlaubt.",
	http.StatusConflict:                     "Die Aktion passt nicht zum aktuellen Zustand.",
	http.StatusPreconditionFailed:           "Das Dokument wurde inzwischen geändert oder die Sperre gilt nicht mehr.",
	http.StatusRequestEntityTooLarge:        "Die Datei ist zu groß.",
	http.StatusUnsupportedMediaType:         "Diese Anfrage darf keinen Inhalt haben.",
	http.StatusRequestedRangeNotSatisfiable: "Der angefragte Bereich liegt außerhalb der Datei.",
	http.StatusLengthRequired:               "Bitte die Dateigröße (Content-Length) mitschicken.",
	http.StatusTooManyRequests:              "Zu viele Versuche: bitte später erneut versuchen.",
	webdav.StatusLocked:                     "Die Datei ist gesperrt (ausgecheckt oder von einem anderen Programm geöffnet).",
	webdav.StatusInsufficientStorage:        "Das Speicherkontingent reicht für diese Datei nicht aus.",
	http.StatusBadGateway:                   "Das Ziel liegt auf einem anderen Server.",
	http.StatusServiceUnavailable:           "Der Dienst ist gerade nicht erreichbar. Bitte später erneut versuchen.",
	http.StatusInternalServerError:          "Ein unerwarteter Fehler ist aufgetreten. Bitte später erneut versuchen.",
}

// statusOf maps an error to a WebDAV status and the public detail to show
// (empty: the status's standard text). NotFound never carries a detail,
// so that every 404 is byte-for-byte the same.
func statusOf(err error) (int, string) {
	var se *statusError
	if errors.As(err, &se) {
		return se.code, se.detail
	}
	if errors.Is(err, os.ErrNotExist) {
		return http.StatusNotFound, ""
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return http.StatusServiceUnavailable, ""
	}
	e := errs.As(err)
	if e == nil {
		return http.StatusInternalServerError, ""
	}
	switch {
	case e.Code == errs.NotFound:
		return http.StatusNotFound, ""
	case e.Code == errs.Invalid:
		// WebDAV has no 422 for a request it got wrong: 400.
		return http.StatusBadRequest, e.Detail.DE
	case e.Code == errs.TooLarge:
		// The quota: 507 tells a WebDAV client that space ran out.
		return webdav.StatusInsufficientStorage, e.Detail.DE
	case davCodes[e.Code]:
		return e.Code.Status(), e.Detail.DE
	}
	return http.StatusInternalServerError, ""
}

// davCodes are the error classes a WebDAV request answers with the status
// of the one table (errs.Code.Status). The others (the sign-in steps of a
// browser session, invitations, Internal, ...) do not arise from a WebDAV
// request: they answer 500 and are logged.
var davCodes = map[errs.Code]bool{
	errs.Unauthenticated: true, errs.SessionExpired: true,
	errs.Forbidden: true, errs.EnrolmentRequired: true, errs.Deactivated: true,
	errs.Conflict: true, errs.PreconditionFailed: true, errs.ResourceLocked: true,
	errs.LengthRequired: true, errs.RangeNotSatisfiable: true,
	errs.RateLimited: true, errs.Unavailable: true,
}

// errorWriter is the response writer of every request. It owns the bodies
// of error answers: whatever the x/net/webdav handler writes with a status
// of 400 or more is replaced by a German text, and when a domain error was
// recorded for the request (see request.fail), the handler's coarse status
// (it answers 405 for any failed DELETE, 500 for any failed LOCK, …) is
// replaced by the one the domain error calls for.
type errorWriter struct {
	http.ResponseWriter
	rq      *request
	wrote   bool
	swallow bool
}

// WriteHeader implements http.ResponseWriter.
func (w *errorWriter) WriteHeader(code int) {
	if w.wrote {
		return
	}
	if code < 400 {
		if code == http.StatusCreated && w.rq != nil && w.rq.replaced && w.rq.method == http.MethodPut {
			code = http.StatusNoContent
		}
		w.wrote = true
		w.ResponseWriter.WriteHeader(code)
		return
	}
	detail := ""
	if w.rq != nil && w.rq.failure != nil {
		code, detail = statusOf(w.rq.failure)
	}
	if code == http.StatusInternalServerError && w.rq != nil {
		cause := "x/net/webdav handler"
		if w.rq.failure != nil {
			cause = w.rq.failure.Error()
		}
		w.rq.s.log.ErrorContext(w.rq.ctx, "webdav: request failed", "method", w.rq.method, "prefix", w.rq.prefix, "err", cause)
	}
	w.status(code, detail)
	w.swallow = true
}

// Write implements http.ResponseWriter.
func (w *errorWriter) Write(p []byte) (int, error) {
	if w.swallow {
		return len(p), nil
	}
	if !w.wrote {
		w.WriteHeader(http.StatusOK)
	}
	return w.ResponseWriter.Write(p)
}

// status writes a complete error answer: code with detail or the standard
// text. 404 answers never vary.
func (w *errorWriter) status(code int, detail string) {
	if w.wrote {
		return
	}
	w.wrote = true
	text := texts[code]
	if text == "" {
		text = http.StatusText(code)
	}
	if detail != "" && code != http.StatusNotFound && code != http.StatusInternalServerError {
		text = detail
	}
	h := w.Header()
	for _, k := range []string{"Content-Length", "Content-Encoding", "Lock-Token"} {
		h.Del(k)
	}
	if code == http.StatusNotFound {
		for k := range h {
			delete(h, k)
		}
	}
	if code == http.StatusServiceUnavailable {
		// The database or the object store is unreachable: ask to come back.
		h.Set("Retry-After", strconv.Itoa(int(errs.UnreachableRetryAfter/time.Second)))
	}
	h.Set("Content-Type", "text/plain; charset=utf-8")
	h.Set("Content-Length", strconv.Itoa(len(text)+1))
	h.Set("X-Content-Type-Options", "nosniff")
	w.ResponseWriter.WriteHeader(code)
	_, _ = w.ResponseWriter.Write([]byte(text + "\n"))
}

// xml writes an error answer with an XML body (RFC 4918 preconditions).
func (w *errorWriter) xml(code int, body string) {
	if w.wrote {
		return
	}
	w.wrote = true
	body = `<?xml version="1.0" encoding="utf-8"?>` + "\n" + body
	h := w.Header()
	h.Set("Content-Type", "application/xml; charset=utf-8")
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.ResponseWriter.WriteHeader(code)
	_, _ = w.ResponseWriter.Write([]byte(body))
}

// parseURL parses a Destination header.
func parseURL(s string) (*url.URL, error) { return url.Parse(s) }
