package api

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/danielgtaylor/huma/v2"
	"github.com/danielgtaylor/huma/v2/adapters/humafiber"
	"github.com/gofiber/fiber/v2"
	"github.com/kollab/kollab/internal/errs"
	"github.com/kollab/kollab/internal/input"
)

// ProblemTypeBase prefixes every problem type URI.
const ProblemTypeBase = "urn:kollab:problem:"

// Problem is an RFC 9457 problem detail. It carries nothing that differs
// between two requests for the same kind of failure (the request id travels
// in the X-Request-ID header), so that, for example, another tenant's object
// answers byte-for-byte like a missing one.
type Problem struct {
	Type   string              `json:"type" doc:"Stable URI of the problem kind"`
	Title  string              `json:"title" doc:"Short summary (German or English per Accept-Language)"`
	Status int                 `json:"status"`
	Detail string              `json:"detail,omitempty" doc:"What happened and what to do"`
	Code   string              `json:"code" doc:"The problem kind without the URI prefix"`
	Field  string              `json:"field,omitempty" doc:"The input field at fault"`
	Errors []*huma.ErrorDetail `json:"errors,omitempty"`

	headers http.Header
}

func (p *Problem) Error() string  { return p.Code + ": " + p.Detail }
func (p *Problem) GetStatus() int { return p.Status }

// ContentType implements huma.ContentTypeFilter.
func (p *Problem) ContentType(string) string { return "application/problem+json" }

// GetHeaders implements huma.HeadersError (Retry-After, WWW-Authenticate).
func (p *Problem) GetHeaders() http.Header { return p.headers }

// statusCodes maps bare HTTP statuses (router, body limit, validation) to codes.
var statusCodes = map[int]errs.Code{
	http.StatusBadRequest:            errs.Invalid,
	http.StatusUnprocessableEntity:   errs.Invalid,
	http.StatusNotFound:              errs.NotFound,
	http.StatusUnauthorized:          errs.Unauthenticated,
	http.StatusForbidden:             errs.Forbidden,
	http.StatusConflict:              errs.Conflict,
	http.StatusTooManyRequests:       errs.RateLimited,
	http.StatusRequestEntityTooLarge: errs.TooLarge,
	http.StatusPreconditionFailed:    errs.PreconditionFailed,
	http.StatusServiceUnavailable:    errs.Unavailable,
	http.StatusLengthRequired:        errs.LengthRequired,
	http.StatusLocked:                errs.ResourceLocked,
	http.StatusUnsupportedMediaType:  errs.UnsupportedMediaType,
	http.StatusMethodNotAllowed:      errs.MethodNotAllowed,
}

func english(acceptLanguage string) bool {
	al := strings.ToLower(strings.TrimSpace(acceptLanguage))
	return strings.HasPrefix(al, "en")
}

// newProblem builds the problem for code from the one table of codes
// (errs.Code.Status, Title, Detail); a non-zero detail overrides the
// code's default text.
func newProblem(code errs.Code, detail errs.Msg, en bool) *Problem {
	if !code.Known() {
		code = errs.Internal
	}
	if detail.IsZero() {
		detail = code.Detail()
	}
	p := &Problem{Type: ProblemTypeBase + string(code), Status: code.Status(), Code: string(code),
		Title: code.Title().Text(en), Detail: detail.Text(en)}
	if code == errs.Unavailable {
		// Every 503 says when to come back.
		p.headers = http.Header{"Retry-After": {strconv.Itoa(int(errs.UnreachableRetryAfter / time.Second))}}
	}
	return p
}

// problemFromError converts any error into a problem. Unknown errors are 500
// and their text never reaches the client.
func problemFromError(err error, en bool) (*Problem, bool) {
	var p *Problem
	if errors.As(err, &p) {
		return p, false
	}
	if e := errs.As(err); e != nil {
		p := newProblem(e.Code, e.Detail, en)
		p.Field = e.Field
		if e.RetryAfter > 0 {
			p.headers = http.Header{"Retry-After": {strconv.Itoa(int(e.RetryAfter.Seconds() + 0.999))}}
		}
		return p, false
	}
	var fe *fiber.Error
	if errors.As(err, &fe) {
		if code, ok := statusCodes[fe.Code]; ok {
			return newProblem(code, errs.Msg{}, en), false
		}
		p := newProblem(errs.Internal, errs.Msg{}, en)
		if fe.Code < 500 {
			p.Status, p.Title, p.Code, p.Type = fe.Code, http.StatusText(fe.Code), "http-"+strconv.Itoa(fe.Code), ProblemTypeBase+"http-"+strconv.Itoa(fe.Code)
			p.Detail = ""
			return p, false
		}
		return p, true
	}
	return newProblem(errs.Internal, errs.Msg{}, en), true
}

// installProblems makes huma build every error as a Problem, for its own
// validation errors and for errors returned by handlers. huma (v2.37) has
// no per-API hook for this, only its package variables NewErrorWithContext
// and NewError (its documented extension point); New sets them before it
// registers the first operation, because huma also documents error
// responses with the type NewError returns. They are set once per process
// (sync.Once: no data race when tests build servers in parallel), and that
// is enough for any number of servers: the hooks hold no state of a server
// (the language and the logger come from the request).
func installProblems() {
	problemsOnce.Do(func() {
		huma.NewErrorWithContext = humaProblem
		huma.NewError = func(status int, msg string, errList ...error) huma.StatusError {
			return humaProblem(nil, status, msg, errList...)
		}
	})
}

var problemsOnce sync.Once

func humaProblem(hctx huma.Context, status int, msg string, errList ...error) huma.StatusError {
	en := false
	if hctx != nil {
		en = english(hctx.Header("Accept-Language"))
	}
	for _, e := range errList {
		if e == nil {
			continue
		}
		if _, isDetail := e.(huma.ErrorDetailer); isDetail {
			continue
		}
		p, internal := problemFromError(e, en)
		if internal && hctx != nil {
			logInternal(humafiber.Unwrap(hctx), e)
		}
		// huma copies headers only from errors that carry them itself; a
		// domain error's Retry-After travels on the problem, so set it here.
		if hctx != nil {
			for k, vs := range p.headers {
				for _, v := range vs {
					hctx.SetHeader(k, v)
				}
			}
		}
		return p
	}
	if badPath(errList) {
		// A path that names no object (a malformed id) answers like an
		// unknown id: the id is part of the address, not of the input.
		return newProblem(errs.NotFound, errs.Msg{}, en)
	}
	code, ok := statusCodes[status]
	if !ok {
		code = errs.Internal
	}
	p := newProblem(code, errs.Msg{}, en)
	if status >= 400 && status < 500 && code != errs.Internal {
		p.Status = status
	}
	if code == errs.Invalid {
		p.Errors = fieldErrors(errList)
	}
	if len(p.Errors) > 0 {
		// "body.name" names the field name; "body" alone the whole body.
		if loc := p.Errors[0].Location; loc != "body" {
			p.Field = strings.TrimPrefix(loc, "body.")
		}
		if !en {
			p.Detail = fmt.Sprintf("Bitte die Angaben prüfen: %s.", describe(p.Errors, en))
		} else {
			p.Detail = fmt.Sprintf("Please check the input: %s.", describe(p.Errors, en))
		}
	}
	if internal := code == errs.Internal; internal && hctx != nil {
		logInternal(humafiber.Unwrap(hctx), fmt.Errorf("%d %s", status, msg))
	}
	return p
}

// Bounds of a problem's field errors: however large the request, its
// problem stays small (at most some 10 KB), and its size is linear in what
// is listed, not in the request.
const (
	maxFieldErrors   = 20
	maxLocationBytes = 100
	maxMessageBytes  = 160
)

// fieldErrors turns huma's error details into the problem's field errors:
// at most maxFieldErrors, each with a location and a message but never the
// request's value (huma puts the whole object into the value of every
// unexpected property), and with message and location cut short.
func fieldErrors(errList []error) []*huma.ErrorDetail {
	var out []*huma.ErrorDetail
	for _, e := range errList {
		if len(out) == maxFieldErrors {
			break
		}
		d, ok := e.(huma.ErrorDetailer)
		if !ok {
			continue
		}
		ed := d.ErrorDetail()
		if ed == nil {
			continue
		}
		loc, msg := ed.Location, ed.Message
		if l, m, ok := input.SplitLocation(msg); ok && loc == "body" {
			loc, msg = l, m // the input layer's refusal of a JSON body names the place in its message
		}
		out = append(out, &huma.ErrorDetail{Location: boundLocation(loc), Message: boundMessage(msg)})
	}
	return out
}

// boundLocation is a location with request text (unknown keys) replaced
// and at most maxLocationBytes long.
func boundLocation(loc string) string {
	loc = input.SafeLocation(loc)
	if len(loc) > maxLocationBytes {
		cut := strings.LastIndexByte(loc[:maxLocationBytes-len(".…")], '.')
		if cut <= 0 {
			return "…"
		}
		loc = loc[:cut] + ".…"
	}
	return loc
}

// boundMessage keeps a validation message up to its first colon: huma's
// messages that carry a value or a parser's error (an e-mail address, a
// duration, a URL) carry it after a colon.
func boundMessage(msg string) string {
	msg, _, _ = strings.Cut(msg, ":")
	if len(msg) > maxMessageBytes {
		cut := maxMessageBytes
		for cut > 0 && !utf8.RuneStart(msg[cut]) {
			cut--
		}
		msg = msg[:cut] + "…"
	}
	return strings.TrimSpace(msg)
}

// badPath reports whether a path parameter failed to parse or validate.
func badPath(errList []error) bool {
	for _, e := range errList {
		if d, ok := e.(huma.ErrorDetailer); ok {
			if ed := d.ErrorDetail(); ed != nil && (ed.Location == "path" || strings.HasPrefix(ed.Location, "path.")) {
				return true
			}
		}
	}
	return false
}

// describe names each field at fault with a readable phrase, never a
// parser's text: "„limit“ (Abfrageparameter): zu groß".
func describe(ds []*huma.ErrorDetail, en bool) string {
	parts := make([]string, 0, len(ds))
	for _, d := range ds {
		parts = append(parts, fieldName(d.Location, en)+": "+phrase(d.Message, en))
	}
	return strings.Join(parts, "; ")
}

func fieldName(loc string, en bool) string {
	where, name, _ := strings.Cut(loc, ".")
	switch {
	case name == "" && where == "body":
		if en {
			return "the request body"
		}
		return "der Inhalt der Anfrage"
	case name == "":
		name = where
	}
	quoted := "„" + name + "“"
	if en {
		quoted = "“" + name + "”"
	}
	switch where {
	case "query":
		if en {
			return "parameter " + quoted
		}
		return "Parameter " + quoted
	case "header":
		if en {
			return "header " + quoted
		}
		return "Kopfzeile " + quoted
	}
	if en {
		return "field " + quoted
	}
	return "Feld " + quoted
}

// phrases turn huma's validation messages (by their start) into words.
var phrases = []struct{ prefix, de, en string }{
	{"unexpected property", "unbekanntes Feld", "unknown field"},
	{"expected required property", "Angabe fehlt", "missing"},
	{"expected property", "Angabe fehlt", "missing"},
	{"request body is required", "Angaben fehlen", "missing"},
	{"expected length >=", "zu kurz", "too short"},
	{"expected length <=", "zu lang", "too long"},
	{"expected array length >=", "zu wenige Einträge", "too few entries"},
	{"expected array length <=", "zu viele Einträge", "too many entries"},
	{"expected number >", "zu klein", "too small"},
	{"expected number <", "zu groß", "too large"},
	{"expected value to be one of", "kein zulässiger Wert", "not an allowed value"},
	{"expected string to be RFC 5322 email", "keine gültige E-Mail-Adresse", "not a valid e-mail address"},
	{"expected string to be RFC 4122 uuid", "keine gültige Kennung", "not a valid id"},
	{"expected string to be RFC 3339 date", "kein gültiges Datum", "not a valid date"},
	{"expected string to be RFC 3339 time", "keine gültige Uhrzeit", "not a valid time"},
	{"expected string to be RFC 3986 uri", "keine gültige Adresse", "not a valid address"},
	{"expected boolean", "ja oder nein erwartet", "yes or no expected"},
	{"expected number", "Zahl erwartet", "number expected"},
	{"expected integer", "ganze Zahl erwartet", "whole number expected"},
	{"invalid integer", "ganze Zahl erwartet", "whole number expected"},
	{"invalid float", "Zahl erwartet", "number expected"},
	{"invalid boolean", "ja oder nein erwartet", "yes or no expected"},
	{"expected string", "Text erwartet", "text expected"},
	{"expected array", "Liste erwartet", "list expected"},
	{"expected object", "Objekt erwartet", "object expected"},
	{"not valid UTF-8", "ungültige Zeichenkodierung", "invalid character encoding"},
	{"control character", "Steuerzeichen nicht erlaubt", "control characters not allowed"},
	{"bidirectional formatting character", "Textrichtungszeichen nicht erlaubt", "text direction characters not allowed"},
	{"nested deeper than", "zu tief verschachtelt", "nested too deeply"},
	{"malformed JSON", "kein gültiges JSON", "not valid JSON"},
	{"object with more than", "zu viele Einträge", "too many entries"},
}

func phrase(msg string, en bool) string {
	for _, p := range phrases {
		if strings.HasPrefix(msg, p.prefix) {
			if en {
				return p.en
			}
			return p.de
		}
	}
	if en {
		return "invalid value"
	}
	return "ungültiger Wert"
}

// writeProblem sends p on a fiber context.
func writeProblem(c *fiber.Ctx, p *Problem) error {
	for k, vs := range p.headers {
		for _, v := range vs {
			c.Set(k, v)
		}
	}
	c.Status(p.Status)
	c.Set(fiber.HeaderContentType, "application/problem+json")
	b, err := json.Marshal(p)
	if err != nil {
		return err
	}
	return c.Send(b)
}

// fiberErrorHandler renders every error that reaches fiber (unknown routes,
// body limit, panics, middleware) as a problem.
func fiberErrorHandler(c *fiber.Ctx, err error) error {
	p, internal := problemFromError(err, english(c.Get(fiber.HeaderAcceptLanguage)))
	if internal {
		logInternal(c, err)
	}
	return writeProblem(c, p)
}
