package api_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/kollab/kollab/api"
	"github.com/kollab/kollab/internal/db/dbtest"
	"github.com/kollab/kollab/tenant"
)

var fiberParam = regexp.MustCompile(`:([A-Za-z0-9_]+)`)

// Every route registered under /api/v1 is documented in the served OpenAPI
// 3.1 document (routes added on fiber directly would be missing).
func TestOpenAPICoversEveryRoute(t *testing.T) {
	e := newEnv(t, dbtest.SQLite(t))
	c := e.client()
	r := c.must(200, "GET", "/api/v1/openapi.json", nil)
	var doc struct {
		OpenAPI string                                `json:"openapi"`
		Paths   map[string]map[string]json.RawMessage `json:"paths"`
	}
	r.json(t, &doc)
	if !strings.HasPrefix(doc.OpenAPI, "3.1") {
		t.Fatalf("OpenAPI version %q", doc.OpenAPI)
	}
	checked := 0
	for _, rt := range e.srv.App().GetRoutes(true) {
		if !strings.HasPrefix(rt.Path, "/api/v1/") || rt.Method == "HEAD" {
			continue
		}
		if strings.HasPrefix(rt.Path, "/api/v1/openapi") || strings.HasPrefix(rt.Path, "/api/v1/schemas/") {
			continue // the document itself and its schemas
		}
		path := fiberParam.ReplaceAllString(rt.Path, "{$1}")
		item, ok := doc.Paths[path]
		if !ok {
			t.Errorf("route %s %s is not in the OpenAPI document", rt.Method, path)
			continue
		}
		if _, ok := item[strings.ToLower(rt.Method)]; !ok {
			t.Errorf("route %s %s: method missing in the OpenAPI document", rt.Method, path)
		}
		checked++
	}
	if checked < 25 {
		t.Fatalf("only %d routes checked", checked)
	}
}

// Bad input answers a 4xx problem, never a 500, and changes nothing.
func TestProblems(t *testing.T) {
	e := newEnv(t, dbtest.SQLite(t))
	s := e.seedTenant("amt")
	c := s.admin
	for _, tc := range []struct {
		method, path string
		body         any
		status       int
		code         string
	}{
		{"GET", "/api/v1/gibt-es-nicht", nil, 404, "not-found"},
		{"POST", "/api/v1/t/amt/invitations", `{"email": `, 400, "invalid-input"},
		{"POST", "/api/v1/t/amt/invitations", map[string]string{"email": "keine-adresse", "role": "staff"}, 422, "invalid-input"},
		{"POST", "/api/v1/t/amt/invitations", map[string]string{"email": "a@b.example", "role": "chef"}, 422, "invalid-input"},
		{"POST", "/api/v1/t/amt/invitations", map[string]any{"email": 5}, 422, "invalid-input"},
		{"GET", "/api/v1/t/amt/members/keine-uuid", nil, 404, "not-found"},
		{"GET", "/api/v1/t/amt/members?limit=100000", nil, 422, "invalid-input"},
		{"PATCH", "/api/v1/t/amt/members/01a2097f-c150-778c-ace6-11fa8d0ace27", map[string]string{}, 422, "invalid-input"},
	} {
		r := c.do(tc.method, tc.path, tc.body)
		if r.status != tc.status || r.problemCode(t) != tc.code {
			t.Errorf("%s %s: %d %s, want %d %s", tc.method, tc.path, r.status, r.body, tc.status, tc.code)
		}
	}
	// An oversized body, through a real listener (fasthttp refuses it while reading).
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go func() { _ = e.srv.App().Listener(ln) }()
	t.Cleanup(func() { _ = e.srv.App().Shutdown() })
	conn, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	fmt.Fprintf(conn, "POST /api/v1/t/amt/invitations HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n", 3<<20)
	// The client sends its body; the server answers 413 without reading it all.
	go func() { _, _ = conn.Write(bytes.Repeat([]byte(" "), 3<<20)) }()
	res, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatal(err)
	}
	big, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != 413 || res.Header.Get("Content-Type") != "application/problem+json" || !strings.Contains(string(big), "too-large") {
		t.Errorf("oversized body: %d %s %s", res.StatusCode, res.Header.Get("Content-Type"), big)
	}
	invs, _ := e.tenants.ListInvitations(t.Context(), tenant.Operator(s.tenant.ID), false)
	if len(invs) != 0 {
		t.Fatalf("bad input wrote %d invitations", len(invs))
	}
	// English on request.
	c.lang = "en-GB,en;q=0.8"
	var p struct {
		Title string `json:"title"`
	}
	c.must(404, "GET", "/api/v1/gibt-es-nicht", nil).json(t, &p)
	if p.Title != "Not found" {
		t.Fatalf("English title: %q", p.Title)
	}
}

func TestOperationalEndpointsAndHeaders(t *testing.T) {
	e := newEnv(t, dbtest.SQLite(t))
	c := e.client()
	c.must(200, "GET", "/healthz", nil)
	var ready struct {
		Ready bool `json:"ready"`
	}
	c.must(200, "GET", "/readyz", nil).json(t, &ready)
	if !ready.Ready {
		t.Fatal("not ready")
	}
	c.must(401, "GET", "/api/v1/me", nil)
	// The public listener does not serve metrics; the metrics handler (its
	// own listener) does, with the bearer token when one is set.
	c.must(404, "GET", "/metrics", nil)
	metrics := httptest.NewServer(e.srv.MetricsHandler("geheim"))
	defer metrics.Close()
	get := func(auth string) (int, string) {
		req, _ := http.NewRequest("GET", metrics.URL+"/metrics", nil)
		if auth != "" {
			req.Header.Set("Authorization", auth)
		}
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return res.StatusCode, string(b)
	}
	if code, _ := get(""); code != 401 {
		t.Fatalf("metrics without the token: %d", code)
	}
	if code, _ := get("Bearer falsch"); code != 401 {
		t.Fatalf("metrics with a wrong token: %d", code)
	}
	if code, body := get("Bearer geheim"); code != 200 ||
		!strings.Contains(body, `kollab_http_requests_total{method="GET",route="/api/v1/me",status="401"} 1`) {
		t.Fatalf("metrics: %d %s", code, body)
	}
	r := c.must(200, "GET", "/api/v1/auth/csrf", nil)
	for h, want := range map[string]string{
		"Content-Security-Policy": "frame-ancestors 'none'",
		"X-Content-Type-Options":  "nosniff",
		"X-Frame-Options":         "DENY",
		"Cache-Control":           "no-store",
	} {
		if !strings.Contains(r.header.Get(h), want) {
			t.Errorf("header %s = %q, want %q", h, r.header.Get(h), want)
		}
	}
	if r.header.Get("X-Request-Id") == "" {
		t.Error("no request id")
	}
	if r.header.Get("Strict-Transport-Security") != "" {
		t.Error("HSTS on plain HTTP")
	}
}

func TestRequestIDFromClientIsSanitised(t *testing.T) {
	e := newEnv(t, dbtest.SQLite(t))
	for rid, keep := range map[string]bool{"abc-123_x.y": true, strings.Repeat("a", 65): false, "evil\"id": false, "ä": false} {
		req := httptest.NewRequest("GET", "/healthz", nil)
		req.Header.Set("X-Request-ID", rid)
		res, err := e.srv.App().Test(req, -1)
		if err != nil {
			t.Fatal(err)
		}
		got := res.Header.Get("X-Request-ID")
		if (got == rid) != keep || got == "" {
			t.Errorf("client id %q answered with %q", rid, got)
		}
	}
}

// oaDoc is the part of an OpenAPI document the documentation rules read.
type oaDoc struct {
	Servers []struct {
		URL string `json:"url"`
	} `json:"servers"`
	Paths      map[string]map[string]json.RawMessage `json:"paths"`
	Components struct {
		Responses       map[string]oaResponse `json:"responses"`
		SecuritySchemes map[string]struct {
			Type   string `json:"type"`
			In     string `json:"in"`
			Name   string `json:"name"`
			Scheme string `json:"scheme"`
		} `json:"securitySchemes"`
	} `json:"components"`
}

type oaResponse struct {
	Ref     string `json:"$ref"`
	Content map[string]struct {
		Schema struct {
			Ref string `json:"$ref"`
		} `json:"schema"`
	} `json:"content"`
}

type oaOperation struct {
	OperationID string   `json:"operationId"`
	Summary     string   `json:"summary"`
	Tags        []string `json:"tags"`
	Parameters  []struct {
		In   string `json:"in"`
		Name string `json:"name"`
	} `json:"parameters"`
	RequestBody *struct {
		Content map[string]json.RawMessage `json:"content"`
	} `json:"requestBody"`
	Responses map[string]oaResponse `json:"responses"`
	// Security stays nil when the operation does not say.
	Security *[]map[string][]string `json:"security"`
}

// openAPIGaps checks the documentation rules of the API against a document:
// a server; the security schemes; every operation with its security (the
// CSRF header on every cookie-borne write, a token scope that fits the
// method) and the 4xx problem responses it can answer whatever its domain:
// 401 (an unknown token on any route), 422 (path or query text that is not
// a line), 403 for writes (CSRF, read-only tokens) and for tenant and
// session-only operations, 404 for paths with ids, 400/413/415 for JSON
// bodies, 413 for any body, 400/412 for If-Match, 416 for Range, each as
// an RFC 9457 problem.
func openAPIGaps(doc *oaDoc) (gaps []string, operations int) {
	gap := func(format string, a ...any) { gaps = append(gaps, fmt.Sprintf(format, a...)) }
	if len(doc.Servers) == 0 || doc.Servers[0].URL == "" {
		gap("the document names no server")
	}
	schemes := doc.Components.SecuritySchemes
	if s := schemes["session"]; s.Type != "apiKey" || s.In != "cookie" || s.Name != api.SessionCookie {
		gap("security scheme session: %+v", s)
	}
	if s := schemes["csrf"]; s.Type != "apiKey" || s.In != "header" || s.Name != api.CSRFHeader {
		gap("security scheme csrf: %+v", s)
	}
	if s := schemes["token"]; s.Type != "http" || s.Scheme != "bearer" {
		gap("security scheme token: %+v", s)
	}
	for path, item := range doc.Paths {
		for method, raw := range item {
			method = strings.ToUpper(method)
			switch method {
			case "GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS":
			default:
				continue
			}
			operations++
			var op oaOperation
			if err := json.Unmarshal(raw, &op); err != nil {
				gap("%s %s: %v", method, path, err)
				continue
			}
			name := method + " " + path + " (" + op.OperationID + ")"
			if op.OperationID == "" || op.Summary == "" || len(op.Tags) == 0 {
				gap("%s: operationId, summary and tags are required", name)
			}
			write := method != "GET" && method != "HEAD" && method != "OPTIONS"
			if op.Security == nil {
				gap("%s: no security (public operations say security: [])", name)
				continue
			}
			sessionOnly, tokenAllowed := false, false
			for _, req := range *op.Security {
				if _, ok := req["token"]; ok {
					tokenAllowed = true
				} else if _, ok := req["session"]; ok {
					sessionOnly = true
				}
				for scheme, scopes := range req {
					if _, ok := schemes[scheme]; !ok {
						gap("%s: undefined security scheme %q", name, scheme)
					}
					switch {
					case scheme == "token" && (len(scopes) != 1 || !slices.Contains([]string{"read", "write", "admin"}, scopes[0])):
						gap("%s: a token requirement names one scope of read, write, admin: %v", name, scopes)
					case scheme == "token" && write && scopes[0] == "read":
						gap("%s: a read token cannot write", name)
					case scheme != "token" && len(scopes) != 0:
						gap("%s: scheme %s takes no scopes", name, scheme)
					}
				}
				if _, ok := req["session"]; ok && write {
					if _, ok := req["csrf"]; !ok {
						gap("%s: a cookie-borne write needs the csrf scheme too", name)
					}
				}
			}
			if write && len(*op.Security) == 0 {
				gap("%s: every write needs at least the CSRF token", name)
			}
			if tokenAllowed {
				sessionOnly = false
			}
			want := map[string]string{"401": "an unknown API token", "422": "request text"}
			if write {
				want["403"] = "CSRF and read-only tokens"
			}
			if sessionOnly {
				want["403"] = "a token on a session-only operation"
			}
			if strings.HasPrefix(path, "/api/v1/t/{tenant}/") && len(*op.Security) > 0 {
				want["403"] = "the tenant's membership checks"
			}
			if strings.Contains(path, "{") {
				want["404"] = "an unknown id"
			}
			if op.RequestBody != nil {
				want["413"] = "a body over the limit"
				if _, ok := op.RequestBody.Content["application/json"]; ok {
					want["400"], want["415"] = "malformed JSON", "a body that is not JSON"
				}
			}
			for _, p := range op.Parameters {
				switch {
				case p.In == "header" && strings.EqualFold(p.Name, "If-Match"):
					want["400"], want["412"] = "a malformed If-Match", "a stale If-Match"
				case p.In == "header" && strings.EqualFold(p.Name, "Range"):
					want["416"] = "a range outside the file"
				}
			}
			for status, why := range want {
				if _, ok := op.Responses[status]; !ok {
					gap("%s: no %s response (%s)", name, status, why)
				}
			}
			if _, ok := op.Responses["default"]; !ok {
				gap("%s: no default response", name)
			}
			for status, r := range op.Responses {
				if !strings.HasPrefix(status, "4") && status != "default" {
					continue
				}
				if name, ok := strings.CutPrefix(r.Ref, "#/components/responses/"); ok {
					r = doc.Components.Responses[name]
				}
				if len(r.Content) != 1 || r.Content["application/problem+json"].Schema.Ref != "#/components/schemas/Problem" {
					gap("%s: response %s is not an application/problem+json Problem", name, status)
				}
			}
		}
	}
	slices.Sort(gaps)
	return gaps, operations
}

// Every operation documents its security and the problem responses the
// shared rules demand (routes added later included).
func TestOpenAPIDocumentsSecurityAndProblems(t *testing.T) {
	e := newEnv(t, dbtest.SQLite(t))
	var doc oaDoc
	e.client().must(200, "GET", "/api/v1/openapi.json", nil).json(t, &doc)
	gaps, n := openAPIGaps(&doc)
	for _, g := range gaps {
		t.Error(g)
	}
	if n < 100 {
		t.Fatalf("only %d operations checked", n)
	}
	if doc.Servers[0].URL != "https://kollab.example" {
		t.Errorf("server %q, want the public URL", doc.Servers[0].URL)
	}
	// Spot checks of the access rules as documented.
	var ops struct {
		Paths map[string]map[string]struct {
			Security  []map[string][]string      `json:"security"`
			Responses map[string]json.RawMessage `json:"responses"`
		} `json:"paths"`
	}
	e.client().must(200, "GET", "/api/v1/openapi.json", nil).json(t, &ops)
	for _, tc := range []struct {
		method, path, security string
		statuses               []string
	}{
		{"get", "/api/v1/auth/csrf", `[]`, []string{"401", "422"}},
		{"post", "/api/v1/auth/login", `[{"csrf":[]}]`, []string{"400", "401", "403", "413", "415", "422", "429"}},
		{"get", "/api/v1/me", `[{"session":[]},{"token":["read"]}]`, []string{"401"}},
		{"post", "/api/v1/me/tokens", `[{"csrf":[],"session":[]}]`, []string{"401", "403"}},
		{"get", "/api/v1/t/{tenant}/folders/{id}", `[{"session":[]},{"token":["read"]}]`, []string{"401", "403", "404"}},
		{"patch", "/api/v1/t/{tenant}/documents/{id}", `[{"csrf":[],"session":[]},{"token":["write"]}]`,
			[]string{"400", "401", "403", "404", "409", "412", "413", "415", "422", "423"}},
		{"get", "/api/v1/t/{tenant}/members", `[{"session":[]},{"token":["admin"]}]`, []string{"401", "403", "404"}},
		{"post", "/api/v1/t/{tenant}/committees", `[{"csrf":[],"session":[]},{"token":["admin"]}]`, []string{"401", "403", "404", "409"}},
		{"get", "/api/v1/t/{tenant}/documents/{id}/content", `[{"session":[]},{"token":["read"]}]`, []string{"401", "403", "404", "416"}},
		{"put", "/api/v1/t/{tenant}/documents/{id}/content", `[{"csrf":[],"session":[]},{"token":["write"]}]`,
			[]string{"400", "401", "403", "404", "409", "411", "412", "413", "423"}},
	} {
		op, ok := ops.Paths[tc.path][tc.method]
		if !ok {
			t.Errorf("%s %s missing", tc.method, tc.path)
			continue
		}
		if got, _ := json.Marshal(op.Security); string(got) != tc.security {
			t.Errorf("%s %s: security %s, want %s", tc.method, tc.path, got, tc.security)
		}
		for _, st := range tc.statuses {
			if _, ok := op.Responses[st]; !ok {
				t.Errorf("%s %s: no %s response", tc.method, tc.path, st)
			}
		}
	}
}

// The rules catch an operation that lacks its security or its problems.
func TestOpenAPIGapsFindsUndocumentedOperations(t *testing.T) {
	raw := `{"servers":[{"url":"/"}],
	"components":{"securitySchemes":{"session":{"type":"apiKey","in":"cookie","name":"kollab_session"},
		"csrf":{"type":"apiKey","in":"header","name":"X-CSRF-Token"},"token":{"type":"http","scheme":"bearer"}}},
	"paths":{
		"/api/v1/t/{tenant}/things/{id}":{
			"get":{"operationId":"get-thing","summary":"s","tags":["x"],"responses":{"200":{}}},
			"put":{"operationId":"put-thing","summary":"s","tags":["x"],"security":[{"session":[]},{"token":["read"]}],
				"requestBody":{"content":{"application/json":{}}},
				"responses":{"200":{},"401":{"content":{"application/json":{"schema":{"$ref":"#/components/schemas/Problem"}}}}}}},
		"/api/v1/ok":{"get":{"operationId":"ok","summary":"s","tags":["x"],"security":[],
			"responses":{"200":{},"default":{"content":{"application/problem+json":{"schema":{"$ref":"#/components/schemas/Problem"}}}},
			"401":{"content":{"application/problem+json":{"schema":{"$ref":"#/components/schemas/Problem"}}}},
			"422":{"content":{"application/problem+json":{"schema":{"$ref":"#/components/schemas/Problem"}}}}}}}}}`
	var doc oaDoc
	if err := json.Unmarshal([]byte(raw), &doc); err != nil {
		t.Fatal(err)
	}
	gaps, n := openAPIGaps(&doc)
	if n != 3 {
		t.Fatalf("%d operations", n)
	}
	all := strings.Join(gaps, "\n")
	for _, want := range []string{
		"GET /api/v1/t/{tenant}/things/{id} (get-thing): no security",
		"PUT /api/v1/t/{tenant}/things/{id} (put-thing): a read token cannot write",
		"PUT /api/v1/t/{tenant}/things/{id} (put-thing): a cookie-borne write needs the csrf scheme too",
		"PUT /api/v1/t/{tenant}/things/{id} (put-thing): no 403 response",
		"PUT /api/v1/t/{tenant}/things/{id} (put-thing): no 404 response",
		"PUT /api/v1/t/{tenant}/things/{id} (put-thing): no 400 response",
		"PUT /api/v1/t/{tenant}/things/{id} (put-thing): no 413 response",
		"PUT /api/v1/t/{tenant}/things/{id} (put-thing): no 415 response",
		"PUT /api/v1/t/{tenant}/things/{id} (put-thing): no 422 response",
		"PUT /api/v1/t/{tenant}/things/{id} (put-thing): no default response",
		"PUT /api/v1/t/{tenant}/things/{id} (put-thing): response 401 is not an application/problem+json Problem",
	} {
		if !strings.Contains(all, want) {
			t.Errorf("missing gap %q in:\n%s", want, all)
		}
	}
	if strings.Contains(all, "(ok)") {
		t.Errorf("a complete public operation reported:\n%s", all)
	}
}
