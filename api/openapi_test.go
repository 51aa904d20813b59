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
	"strings"
	"testing"

	"github.com/kollab/kollab/db/dbtest"
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
	invs, _ := e.tenants.ListInvitations(t.Context(), s.tenant.ID, false)
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
