package api

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
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

type problemText struct {
	status             int
	titleDE, titleEN   string
	detailDE, detailEN string
}

// problems maps every domain error code to its HTTP form: the one place
// where errors become statuses.
var problems = map[errs.Code]problemText{
	errs.Invalid:             {http.StatusUnprocessableEntity, "Ungültige Eingabe", "Invalid input", "Bitte die markierten Angaben prüfen.", "Please check the highlighted input."},
	errs.NotFound:            {http.StatusNotFound, "Nicht gefunden", "Not found", "Das angefragte Objekt gibt es nicht oder Sie haben keinen Zugriff darauf.", "The requested object does not exist or you have no access to it."},
	errs.Conflict:            {http.StatusConflict, "Konflikt", "Conflict", "Die Aktion passt nicht zum aktuellen Zustand.", "The action conflicts with the current state."},
	errs.Unauthenticated:     {http.StatusUnauthorized, "Nicht angemeldet", "Not signed in", "Bitte melden Sie sich an.", "Please sign in."},
	errs.InvalidCredentials:  {http.StatusUnauthorized, "Anmeldung fehlgeschlagen", "Sign-in failed", "E-Mail-Adresse oder Passwort ist falsch.", "E-mail address or password is wrong."},
	errs.SecondFactor:        {http.StatusUnauthorized, "Zweiter Faktor erforderlich", "Second factor required", "Bitte den Code aus der Authenticator-App eingeben.", "Please enter the code from your authenticator app."},
	errs.InvalidCode:         {http.StatusUnauthorized, "Code ungültig", "Invalid code", "Der Code ist falsch, abgelaufen oder wurde bereits verwendet. Bitte den nächsten Code abwarten.", "The code is wrong, expired or already used. Please wait for the next code."},
	errs.EnrolmentRequired:   {http.StatusForbidden, "Zwei-Faktor-Anmeldung erforderlich", "Two-factor sign-in required", "Dieser Mandant verlangt für Ihre Rolle eine Zwei-Faktor-Anmeldung. Bitte richten Sie sie in Ihrem Profil ein.", "This tenant requires two-factor sign-in for your role. Please set it up in your profile."},
	errs.Forbidden:           {http.StatusForbidden, "Keine Berechtigung", "Forbidden", "Für diese Aktion fehlt Ihnen die Berechtigung.", "You are not allowed to do this."},
	errs.ReauthRequired:      {http.StatusForbidden, "Bestätigung erforderlich", "Confirmation required", "Bitte bestätigen Sie diese Aktion mit Ihrem Passwort und, falls eingerichtet, Ihrem zweiten Faktor.", "Please confirm this action with your password and, if set up, your second factor."},
	errs.Deactivated:         {http.StatusForbidden, "Mitgliedschaft deaktiviert", "Membership deactivated", "Ihre Mitgliedschaft in diesem Mandanten ist deaktiviert. Wenden Sie sich an die Administration.", "Your membership in this tenant is deactivated. Please contact its administrators."},
	errs.RateLimited:         {http.StatusTooManyRequests, "Zu viele Versuche", "Too many attempts", "Bitte warten Sie einen Moment und versuchen Sie es erneut.", "Please wait a moment and try again."},
	errs.Locked:              {http.StatusLocked, "Vorübergehend gesperrt", "Temporarily locked", "Die Anmeldung ist nach wiederholten Fehlversuchen vorübergehend gesperrt.", "Sign-in is temporarily locked after repeated failures."},
	errs.Expired:             {http.StatusGone, "Abgelaufen", "Expired", "Der Link ist abgelaufen.", "The link has expired."},
	errs.PreconditionFailed:  {http.StatusPreconditionFailed, "Inzwischen geändert", "Changed meanwhile", "Das Objekt wurde inzwischen geändert. Bitte neu laden.", "The object changed meanwhile. Please reload."},
	errs.TooLarge:            {http.StatusRequestEntityTooLarge, "Zu groß", "Too large", "Die Anfrage ist zu groß.", "The request is too large."},
	errs.ResourceLocked:      {http.StatusLocked, "Gesperrt", "Locked", "Das Dokument ist von einer anderen Person ausgecheckt.", "The document is checked out by someone else."},
	errs.LengthRequired:      {http.StatusLengthRequired, "Länge fehlt", "Length required", "Bitte die Dateigröße (Content-Length) mitschicken.", "Please send the file size (Content-Length)."},
	errs.RangeNotSatisfiable: {http.StatusRequestedRangeNotSatisfiable, "Bereich ungültig", "Range not satisfiable", "Der angefragte Bereich liegt außerhalb der Datei.", "The requested range lies outside the file."},
	errs.Unavailable:         {http.StatusServiceUnavailable, "Dienst vorübergehend nicht erreichbar", "Service temporarily unavailable", "Der Dienst ist gerade nicht erreichbar. Bitte in einigen Sekunden erneut versuchen.", "The service is unavailable. Please try again in a few seconds."},
	errs.SessionExpired:      {http.StatusUnauthorized, "Sitzung abgelaufen", "Session expired", "Ihre Sitzung ist abgelaufen. Bitte melden Sie sich erneut an.", "Your session has expired. Please sign in again."},
	errs.CSRFFailed:          {http.StatusForbidden, "Sicherheitsprüfung fehlgeschlagen", "Security check failed", "Die Seite ist veraltet: bitte neu laden und erneut versuchen.", "The page is out of date: please reload and try again."},
	errs.OtherAccount:        {http.StatusForbidden, "Einladung für eine andere Adresse", "Invitation for another address", "Diese Einladung gilt für eine andere E-Mail-Adresse als die Ihres Kontos.", "This invitation is for another e-mail address than your account's."},
	errs.Internal:            {http.StatusInternalServerError, "Interner Fehler", "Internal error", "Ein unerwarteter Fehler ist aufgetreten. Bitte später erneut versuchen.", "An unexpected error occurred. Please try again later."},

	// Requests the routes do not take (method, media type).
	errs.UnsupportedMediaType: {http.StatusUnsupportedMediaType, "Format nicht unterstützt", "Unsupported media type", "Bitte die Daten als JSON senden (Content-Type: application/json).", "Please send the data as JSON (Content-Type: application/json)."},
	errs.MethodNotAllowed:     {http.StatusMethodNotAllowed, "Methode nicht erlaubt", "Method not allowed", "Diese Adresse unterstützt die Methode nicht; der Allow-Header nennt die möglichen.", "This address does not support the method; the Allow header lists those it does."},
}

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

// newProblem builds the problem for code; detail overrides the default text.
func newProblem(code errs.Code, detail string, en bool) *Problem {
	pt, ok := problems[code]
	if !ok {
		code, pt = errs.Internal, problems[errs.Internal]
	}
	p := &Problem{Type: ProblemTypeBase + string(code), Status: pt.status, Code: string(code), Title: pt.titleDE, Detail: pt.detailDE}
	if en {
		p.Title, p.Detail = pt.titleEN, pt.detailEN
	}
	if code == errs.Unavailable {
		// Every 503 says when to come back.
		p.headers = http.Header{"Retry-After": {strconv.Itoa(int(errs.UnreachableRetryAfter / time.Second))}}
	}
	if detail != "" {
		// Domain details are written in German, the platform's language.
		if !en {
			p.Detail = detail
		} else if t, ok := detailsEN[detail]; ok {
			p.Detail = t
		}
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
			return newProblem(code, "", en), false
		}
		p := newProblem(errs.Internal, "", en)
		if fe.Code < 500 {
			p.Status, p.Title, p.Code, p.Type = fe.Code, http.StatusText(fe.Code), "http-"+strconv.Itoa(fe.Code), ProblemTypeBase+"http-"+strconv.Itoa(fe.Code)
			p.Detail = ""
			return p, false
		}
		return p, true
	}
	return newProblem(errs.Internal, "", en), true
}

// huma builds every error through this hook, for its own validation errors
// and for errors returned by handlers; it is huma's documented extension
// point and holds no state (the logger comes from the request).
func init() {
	huma.NewErrorWithContext = humaProblem
	// huma also documents error responses with the type NewError returns.
	huma.NewError = func(status int, msg string, errList ...error) huma.StatusError {
		return humaProblem(nil, status, msg, errList...)
	}
}

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
		return newProblem(errs.NotFound, "", en)
	}
	code, ok := statusCodes[status]
	if !ok {
		code = errs.Internal
	}
	p := newProblem(code, "", en)
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
