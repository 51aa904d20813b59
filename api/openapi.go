package api

import (
	"net/http"
	"reflect"
	"slices"
	"strconv"
	"strings"

	"github.com/danielgtaylor/huma/v2"
	"github.com/kollab/kollab/internal/errs"
)

// The OpenAPI document is completed in one place: every operation that
// register adds gets its security requirements and the problem responses
// it can answer (shared components.responses, application/problem+json),
// derived from its access rule, method, parameters and body
// (documentOperation), plus what only the domain knows (409, 411, 423,
// 429, …): declared by a route in huma.Operation.Errors, or for the routes
// that predate that in domainStatuses below. Tests hold every operation to
// the shared rules (TestOpenAPIDocumentsSecurityAndProblems), and every
// api test fails when a route answers a 4xx status its operation does not
// list (checkDocumentedStatuses), so routes added later are documented the
// same way.

// Security scheme names (components.securitySchemes).
const (
	schemeSession = "session"
	schemeCSRF    = "csrf"
	schemeToken   = "token"
)

// Token scopes as named in security requirements (auth.Scope).
const (
	scopeRead  = "read"
	scopeWrite = "write"
	scopeAdmin = "admin"
)

// Operation metadata keys set by register.
const (
	metaAccess = "kollab.access"
	metaErrors = "kollab.errors"
)

// problemMediaType is the media type of every error answer (RFC 9457).
const problemMediaType = "application/problem+json"

// securitySchemes are the ways a request authenticates.
func securitySchemes() map[string]*huma.SecurityScheme {
	return map[string]*huma.SecurityScheme{
		schemeSession: {Type: "apiKey", In: "cookie", Name: SessionCookie,
			Description: "The browser session, set by POST /api/v1/auth/login (and completed by /api/v1/auth/second-factor when TOTP is enrolled). " +
				"Every write with this cookie also needs the csrf scheme."},
		schemeCSRF: {Type: "apiKey", In: "header", Name: CSRFHeader,
			Description: "Signed double-submit token against cross-site request forgery: GET /api/v1/auth/csrf sets it in the " + CSRFCookie +
				" cookie and returns it; every write that carries cookies (and the sign-in itself) sends the same value in this header. " +
				"Requests with a bearer token and no session cookie need none."},
		schemeToken: {Type: "http", Scheme: "bearer", BearerFormat: "klt_…",
			Description: "A personal API token (created at POST /api/v1/me/tokens) with one scope: read (GET only), " +
				"write (read and write; an admin's token acts as staff) or admin (write, and the owner's admin role). " +
				"Each operation names the narrowest scope that suffices; a wider one always does too. " +
				"A token never manages credentials: operations that list only the session scheme refuse it (403)."},
	}
}

// configureOpenAPI completes the document's top level and installs the
// hook that documents every operation as it is added.
func (s *Server) configureOpenAPI(hcfg *huma.Config) {
	hcfg.Components.SecuritySchemes = securitySchemes()
	server := strings.TrimRight(s.cfg.PublicURL, "/")
	if server == "" {
		server = "/" // the origin that serves the document
	}
	hcfg.Servers = []*huma.Server{{URL: server, Description: "This Kollab instance (KOLLAB_PUBLIC_URL); every path starts with /api/v1"}}
	hcfg.OnAddOperation = append(hcfg.OnAddOperation, documentOperation)
}

// safeMethod reports whether a method changes nothing (and so needs neither
// a CSRF token nor a write scope).
func safeMethod(method string) bool {
	switch method {
	case http.MethodGet, http.MethodHead, http.MethodOptions:
		return true
	}
	return false
}

// securityFor is what an operation with access rule acc and the given
// method requires of a request: alternatives, each a set of schemes that
// together suffice. It mirrors guard, authenticate (a token's scope bounds
// its methods; auth.Principal.PermitsMethod and Tenant) and skipCSRF.
func securityFor(acc access, method, operationID string) []map[string][]string {
	write := !safeMethod(method)
	browser := func() map[string][]string {
		r := map[string][]string{schemeSession: {}}
		if write {
			r[schemeCSRF] = []string{}
		}
		return r
	}
	scope := scopeRead
	if write {
		scope = scopeWrite
	}
	switch acc {
	case public:
		if write {
			// No credentials, but the CSRF check of every cookie-borne write.
			return []map[string][]string{{schemeCSRF: {}}}
		}
		return []map[string][]string{}
	case pendingMFA, anyone, session:
		// Sessions only: a token has no second factor to complete, no
		// session to end, and never manages credentials.
		return []map[string][]string{browser()}
	case tenantAdmin:
		scope = scopeAdmin
	}
	if adminOnly[operationID] {
		scope = scopeAdmin
	}
	return []map[string][]string{browser(), {schemeToken: {scope}}}
}

// problemStatuses are the 4xx statuses an operation can answer by the
// central rules: what every route shares (authentication, CSRF, the
// membership checks, input parsing and validation, path ids, If-Match,
// Range) and what it declares.
func problemStatuses(acc access, op *huma.Operation, declared []int) []int {
	set := map[int]bool{
		// Every request: an unknown API token in Authorization is refused
		// on any route (authenticate), and so are path and query text with
		// control characters or broken UTF-8 (checkRequestText).
		http.StatusUnauthorized:        true,
		http.StatusUnprocessableEntity: true,
	}
	write := !safeMethod(op.Method)
	// A failed CSRF check or a read-only token (writes); the tenant's
	// checks (a deactivated membership, missing two-factor enrolment), a
	// missing role or permission; a token on a session-only route.
	if write || acc == member || acc == tenantAdmin || acc == session {
		set[http.StatusForbidden] = true
	}
	for _, p := range op.Parameters {
		switch {
		case p.In == "path":
			set[http.StatusNotFound] = true // an unknown (or another tenant's, or malformed) id
		case p.In == "header" && strings.EqualFold(p.Name, "If-Match"):
			set[http.StatusBadRequest] = true // a malformed entity tag
			set[http.StatusPreconditionFailed] = true
		case p.In == "header" && strings.EqualFold(p.Name, "Range"):
			set[http.StatusRequestedRangeNotSatisfiable] = true
		}
	}
	if rb := op.RequestBody; rb != nil {
		set[http.StatusRequestEntityTooLarge] = true
		if rb.Content["application/json"] != nil {
			set[http.StatusBadRequest] = true           // not JSON
			set[http.StatusUnsupportedMediaType] = true // not sent as JSON (requireJSON)
		}
	}
	for _, st := range declared {
		set[st] = true
	}
	out := make([]int, 0, len(set))
	for st := range set {
		out = append(out, st)
	}
	slices.Sort(out)
	return out
}

// adminOnly are the member operations whose domain lets only tenant admins
// act: an API token needs the admin scope for them (without it an admin's
// token acts as staff, auth.Principal.Tenant).
var adminOnly = map[string]bool{
	"create-committee":     true,
	"set-folder-retention": true,
}

// domainStatuses are the 4xx statuses that only the domain knows, for the
// operations defined before huma.Operation.Errors carried them (found by
// reading the domain code and by the tests, which fail on any undocumented
// answer). New routes declare theirs in huma.Operation.Errors instead.
var domainStatuses = map[string][]int{
	// The chair's console, meeting cancellation and group renames: a state
	// that does not fit (a poll no longer a draft, a meeting already started,
	// a group name taken).
	"update-poll":      {http.StatusConflict},
	"delete-poll":      {http.StatusConflict},
	"cancel-meeting":   {http.StatusConflict},
	"set-current-item": {http.StatusConflict},
	"update-group":     {http.StatusConflict},

	// Sign-in and the account's credentials: throttles (429), the second
	// factor's lock (423), a state that does not fit (409).
	"login":                     {http.StatusTooManyRequests},
	"second-factor":             {http.StatusConflict, http.StatusLocked, http.StatusTooManyRequests},
	"reauthenticate":            {http.StatusLocked, http.StatusTooManyRequests},
	"change-password":           {http.StatusTooManyRequests},
	"confirm-totp":              {http.StatusConflict, http.StatusLocked},
	"regenerate-recovery-codes": {http.StatusConflict},
	"delete-calendar-feed":      {http.StatusNotFound},
	"accept-invitation":         {http.StatusConflict, http.StatusTooManyRequests},

	// Tenant administration.
	"invite-member":     {http.StatusConflict},
	"resend-invitation": {http.StatusConflict},
	"revoke-invitation": {http.StatusConflict},
	"update-member":     {http.StatusConflict},
	"create-group":      {http.StatusConflict},

	// Documents: names taken, states (trash, legal hold, retention), check-outs (423), uploads.
	"create-folder":            {http.StatusConflict},
	"rename-folder":            {http.StatusConflict},
	"move-folder":              {http.StatusConflict},
	"copy-folder":              {http.StatusConflict},
	"trash-folder":             {http.StatusConflict, http.StatusLocked},
	"restore-folder":           {http.StatusConflict},
	"purge-folder":             {http.StatusConflict},
	"set-folder-permission":    {http.StatusConflict},
	"remove-folder-permission": {http.StatusConflict},
	"set-folder-inheritance":   {http.StatusConflict},
	"create-document":          {http.StatusConflict},
	"update-document":          {http.StatusConflict, http.StatusLocked},
	"trash-document":           {http.StatusConflict, http.StatusLocked},
	"move-document":            {http.StatusConflict, http.StatusLocked},
	"copy-document":            {http.StatusConflict},
	"restore-document":         {http.StatusConflict},
	"purge-document":           {http.StatusConflict},
	"check-out-document":       {http.StatusLocked},
	"check-in-document":        {http.StatusLocked},
	"empty-trash":              {http.StatusConflict},
	"upload-document":          {http.StatusConflict, http.StatusLengthRequired},
	"upload-revision":          {http.StatusConflict, http.StatusLengthRequired, http.StatusLocked},
	"restore-revision":         {http.StatusConflict, http.StatusLocked},

	// Committees: every step of a meeting, its agenda, attendance and polls
	// follows a state (409); a live stream per login is bounded (429).
	"create-committee":          {http.StatusConflict},
	"update-committee":          {http.StatusConflict},
	"set-committee-member":      {http.StatusConflict},
	"update-meeting":            {http.StatusConflict},
	"advance-meeting":           {http.StatusConflict},
	"add-agenda-item":           {http.StatusConflict},
	"reorder-agenda":            {http.StatusConflict},
	"update-agenda-item":        {http.StatusConflict},
	"decide-agenda-item":        {http.StatusConflict},
	"attach-paper":              {http.StatusConflict},
	"detach-paper":              {http.StatusConflict},
	"add-post":                  {http.StatusConflict},
	"declare-conflict":          {http.StatusConflict},
	"withdraw-conflict":         {http.StatusConflict},
	"set-attendance":            {http.StatusConflict},
	"record-departure":          {http.StatusConflict},
	"create-delegation":         {http.StatusConflict},
	"create-poll":               {http.StatusConflict},
	"open-poll":                 {http.StatusConflict},
	"close-poll":                {http.StatusConflict},
	"publish-poll":              {http.StatusConflict},
	"annul-poll":                {http.StatusConflict},
	"cast-ballot":               {http.StatusConflict},
	"get-poll-result":           {http.StatusConflict},
	"list-named-votes":          {http.StatusConflict},
	"get-minutes":               {http.StatusConflict},
	"update-minutes":            {http.StatusConflict},
	"approve-minutes":           {http.StatusConflict, http.StatusLocked},
	"download-minutes-pdf":      {http.StatusConflict},
	"download-decision-extract": {http.StatusConflict},
	"follow-poll":               {http.StatusTooManyRequests},
	"follow-meeting":            {http.StatusTooManyRequests},
}

// problemResponse is a shared problem response (components.responses).
type problemResponse struct {
	name, description string
	retryAfter        bool
}

// problemResponses say what each status means across the API, naming the
// problem codes (errs) it carries; "default" covers the 5xx.
var problemResponses = map[int]problemResponse{
	http.StatusBadRequest: {"BadRequest", "A malformed request: the body is not valid JSON, or a header such as If-Match is not of its form (" +
		string(errs.Invalid) + ").", false},
	http.StatusUnauthorized: {"Unauthorized", "Not signed in: no or an unknown session or API token (" + string(errs.Unauthenticated) +
		"), an expired session (" + string(errs.SessionExpired) + "), a sign-in waiting for its second factor (" + string(errs.SecondFactor) +
		"); where a password or code is checked, a wrong one (" + string(errs.InvalidCredentials) + ", " + string(errs.InvalidCode) + ").", false},
	http.StatusForbidden: {"Forbidden", "Not allowed: missing permission or role (" + string(errs.Forbidden) +
		"; also a read-only API token writing, or a token on a session-only operation), a failed CSRF check (" + string(errs.CSRFFailed) +
		"), a deactivated membership (" + string(errs.Deactivated) + "), two-factor sign-in required by the tenant (" +
		string(errs.EnrolmentRequired) + "), a confirmation needed (" + string(errs.ReauthRequired) + "), or an invitation for another address (" +
		string(errs.OtherAccount) + ").", false},
	http.StatusNotFound: {"NotFound", "The object does not exist or the caller may not see it; another tenant's object answers exactly the same (" +
		string(errs.NotFound) + ").", false},
	http.StatusConflict: {"Conflict", "The action does not fit the object's current state, or a name is taken (" + string(errs.Conflict) + ").", false},
	http.StatusGone:     {"Gone", "The link has expired (" + string(errs.Expired) + ").", false},
	http.StatusLengthRequired: {"LengthRequired", "The upload did not state its size in Content-Length (" +
		string(errs.LengthRequired) + ").", false},
	http.StatusPreconditionFailed: {"PreconditionFailed", "The object changed since it was read: If-Match no longer matches (" +
		string(errs.PreconditionFailed) + ").", false},
	http.StatusRequestEntityTooLarge: {"ContentTooLarge", "The request body is too large, or an upload exceeds the tenant's storage quota (" +
		string(errs.TooLarge) + ").", false},
	http.StatusUnsupportedMediaType: {"UnsupportedMediaType", "The body was not sent as JSON (" + string(errs.UnsupportedMediaType) + ").", false},
	http.StatusRequestedRangeNotSatisfiable: {"RangeNotSatisfiable", "The requested range lies outside the file (" +
		string(errs.RangeNotSatisfiable) + ").", false},
	http.StatusUnprocessableEntity: {"InvalidInput", "Invalid input: the problem's field and errors name what to correct, never echoing the value (" +
		string(errs.Invalid) + ").", false},
	http.StatusLocked: {"Locked", "Locked: the document is checked out by someone else (" + string(errs.ResourceLocked) +
		"), or sign-in is locked after repeated failures (" + string(errs.Locked) + ", with Retry-After).", true},
	http.StatusTooManyRequests: {"TooManyRequests", "Too many attempts or open streams; Retry-After says when to try again (" +
		string(errs.RateLimited) + ").", true},
}

// defaultResponse names the shared answer to anything else.
var defaultResponse = problemResponse{"Error", "An unexpected error (" + string(errs.Internal) + ", 500), or the database or object store out of reach (" +
	string(errs.Unavailable) + ", 503, with Retry-After).", true}

// responseRef refers to the shared response r, adding it to the
// document's components when it is first used.
func responseRef(oapi *huma.OpenAPI, r problemResponse) *huma.Response {
	if oapi.Components.Responses == nil {
		oapi.Components.Responses = map[string]*huma.Response{}
	}
	if _, ok := oapi.Components.Responses[r.name]; !ok {
		resp := &huma.Response{Description: r.description, Content: map[string]*huma.MediaType{
			problemMediaType: {Schema: oapi.Components.Schemas.Schema(reflect.TypeFor[Problem](), true, "Problem")}}}
		if r.retryAfter {
			resp.Headers = map[string]*huma.Param{"Retry-After": {Description: "Seconds to wait before trying again",
				Schema: &huma.Schema{Type: "integer", Minimum: new(float64(1))}}}
		}
		oapi.Components.Responses[r.name] = resp
	}
	return &huma.Response{Ref: "#/components/responses/" + r.name}
}

// documentOperation completes an operation as register added it (huma's
// OnAddOperation hook): its security and its problem responses. An
// operation added some other way keeps what it has (and fails the tests).
func documentOperation(oapi *huma.OpenAPI, op *huma.Operation) {
	acc, ok := op.Metadata[metaAccess].(access)
	if !ok {
		return
	}
	declared, _ := op.Metadata[metaErrors].([]int)
	declared = append(slices.Clone(declared), domainStatuses[op.OperationID]...)
	op.Security = securityFor(acc, op.Method, op.OperationID)
	if op.Responses == nil {
		op.Responses = map[string]*huma.Response{}
	}
	for _, st := range problemStatuses(acc, op, declared) {
		key := strconv.Itoa(st)
		if _, ok := op.Responses[key]; ok {
			continue // the route documents it itself
		}
		r, ok := problemResponses[st]
		if !ok {
			r = problemResponse{name: "Problem" + key, description: http.StatusText(st)}
		}
		op.Responses[key] = responseRef(oapi, r)
	}
	op.Responses["default"] = responseRef(oapi, defaultResponse)
}
