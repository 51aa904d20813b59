package api_test

import (
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"

	"github.com/kollab/kollab/internal/db"
	"github.com/kollab/kollab/internal/db/dbtest"
)

// A method the route lacks is a 405 problem with Allow; a body of the
// wrong type is a 415 problem, counted as such and not as a server error;
// control characters and invalid UTF-8 in the path or the query string are
// refused before anything looks at them.
func TestMethodMediaTypeAndParameters(t *testing.T) {
	e := newEnv(t, dbtest.SQLite(t))
	s := e.seedTenant("amt")
	c := s.admin

	r := c.do("GET", "/api/v1/auth/login", nil)
	if r.status != 405 || r.problemCode(t) != "method-not-allowed" || r.header.Get("Allow") != "POST" {
		t.Fatalf("GET on a POST route: %d Allow %q: %s", r.status, r.header.Get("Allow"), r.body)
	}
	r = c.do("DELETE", "/api/v1/t/amt/groups", nil)
	if allow := r.header.Get("Allow"); r.status != 405 || !strings.Contains(allow, "GET") || !strings.Contains(allow, "POST") {
		t.Fatalf("DELETE on a GET/POST route: %d Allow %q: %s", r.status, allow, r.body)
	}
	if r := c.do("GET", "/api/v1/gibt-es-nicht", nil); r.status != 404 || r.problemCode(t) != "not-found" || r.header.Get("Allow") != "" {
		t.Fatalf("unknown path: %d %v", r.status, r.header)
	}

	for _, ct := range []string{"text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=b", "application/xml"} {
		req := httptest.NewRequest("POST", "/api/v1/t/amt/groups", strings.NewReader(`{"name":"Gruppe"}`))
		req.Header.Set("Content-Type", ct)
		if r := c.send(req); r.status != 415 || r.problemCode(t) != "unsupported-media-type" {
			t.Fatalf("%s: %d %s", ct, r.status, r.body)
		}
	}
	for _, ct := range []string{"application/json; charset=utf-8", "application/merge-patch+json"} {
		req := httptest.NewRequest("POST", "/api/v1/t/amt/groups", strings.NewReader(`{"name":"Gruppe `+ct[:16]+`"}`))
		req.Header.Set("Content-Type", ct)
		if r := c.send(req); r.status != 201 {
			t.Fatalf("%s: %d %s", ct, r.status, r.body)
		}
	}
	rec := httptest.NewRecorder()
	e.srv.MetricsHandler("").ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	metrics := rec.Body.String()
	if !strings.Contains(metrics, `status="415"`) || strings.Contains(metrics, `status="500"`) {
		t.Fatalf("metrics:\n%s", metrics)
	}

	for _, path := range []string{
		"/api/v1/t/amt/members?q=a%00b",
		"/api/v1/t/amt/members?q=%FF",
		"/api/v1/t/amt/members?q%01=x",
		"/api/v1/t/amt/members/%00",
		"/api/v1/t/a%0Amt/members",
	} {
		r := c.do("GET", path, nil)
		if r.status != 422 || r.problemCode(t) != "invalid-input" {
			t.Fatalf("GET %s: %d %s", path, r.status, r.body)
		}
	}
}

// A body with many unknown keys answers one problem that lists at most 20
// field errors, each with its location and message but never the request's
// values (huma's detail of an unexpected property carries the whole
// object); its size does not grow with the body.
func TestValidationProblemIsBounded(t *testing.T) {
	e := newEnv(t, dbtest.SQLite(t))
	c := e.client()
	c.csrf()
	sizes := map[int]int{}
	for _, n := range []int{30, 900} {
		body := map[string]any{"email": "a@amt.example", "password": "geheim-geheim-geheim"}
		for i := range n {
			body["feld"+strconv.Itoa(i)] = "GEHEIMER WERT " + strconv.Itoa(i)
		}
		r := c.do("POST", "/api/v1/auth/login", body)
		var p struct {
			Detail string `json:"detail"`
			Field  string `json:"field"`
			Errors []struct {
				Location string `json:"location"`
				Message  string `json:"message"`
				Value    any    `json:"value"`
			} `json:"errors"`
		}
		if r.status != 422 || r.problemCode(t) != "invalid-input" {
			t.Fatalf("%d unknown keys: %d %.300s", n, r.status, r.body)
		}
		r.json(t, &p)
		if len(p.Errors) != 20 || !strings.HasPrefix(p.Field, "feld") {
			t.Fatalf("%d unknown keys: %d errors, field %q", n, len(p.Errors), p.Field)
		}
		for _, fe := range p.Errors {
			if !strings.HasPrefix(fe.Location, "body.feld") || fe.Message != "unexpected property" || fe.Value != nil {
				t.Fatalf("%d unknown keys: error %+v", n, fe)
			}
		}
		if strings.Contains(string(r.body), "GEHEIM") || strings.Contains(string(r.body), "geheim") {
			t.Fatalf("the problem repeats request values: %s", r.body)
		}
		sizes[n] = len(r.body)
	}
	if sizes[900] > sizes[30]+64 {
		t.Fatalf("the problem grows with the body: %v", sizes)
	}
}

// Names reach the database in Unicode NFC whichever form the client sends
// (macOS sends decomposed umlauts), and a name with a bidirectional
// override ("rechnung\u202Efdp.exe" shows as "rechnungexe.pdf") is refused.
func TestNamesAreNFC(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		c := e.seedTenant("amt").admin
		nfd, nfc := "Gru\u0308nfla\u0308chenamt", "Grünflächenamt"
		var out struct {
			Name        string `json:"name"`
			DisplayName string `json:"display_name"`
		}
		c.must(201, "POST", "/api/v1/t/amt/groups", map[string]string{"name": nfd}).json(t, &out)
		if out.Name != nfc {
			t.Fatalf("group name %q, want NFC %q", out.Name, nfc)
		}
		c.must(201, "POST", "/api/v1/t/amt/folders", map[string]string{"name": nfd}).json(t, &out)
		if out.Name != nfc {
			t.Fatalf("folder name %q, want NFC %q", out.Name, nfc)
		}
		// The same name in the other form is the same name.
		if r := c.do("POST", "/api/v1/t/amt/folders", map[string]string{"name": nfc}); r.status != 409 {
			t.Fatalf("the NFC twin of an NFD folder name: %d %s", r.status, r.body)
		}
		c.must(200, "PATCH", "/api/v1/me", map[string]string{"display_name": "Jo\u0308rg Mu\u0308ller"}).json(t, &out)
		if out.DisplayName != "Jörg Müller" {
			t.Fatalf("display name %q", out.DisplayName)
		}
		for _, tc := range []struct{ path, field string }{
			{"/api/v1/t/amt/groups", "name"}, {"/api/v1/t/amt/folders", "name"}, {"/api/v1/me", "display_name"},
		} {
			method := "POST"
			if tc.path == "/api/v1/me" {
				method = "PATCH"
			}
			r := c.do(method, tc.path, map[string]string{tc.field: "rechnung\u202Efdp.exe"})
			var p struct {
				Field string `json:"field"`
			}
			if r.status != 422 || r.problemCode(t) != "invalid-input" {
				t.Fatalf("%s with a bidirectional override: %d %s", tc.path, r.status, r.body)
			}
			if r.json(t, &p); p.Field != tc.field {
				t.Fatalf("%s with a bidirectional override: field %q", tc.path, p.Field)
			}
		}
	})
}

// A malformed id in a path answers exactly like an unknown id (404, same
// body); a malformed query parameter stays 422 with a readable sentence,
// never a parser's text.
func TestMalformedPathIDIsNotFound(t *testing.T) {
	e := newEnv(t, dbtest.SQLite(t))
	s := e.seedTenant("amt")
	c := s.admin
	unknown := c.do("GET", "/api/v1/t/amt/documents/00000000-0000-4000-8000-000000000000", nil)
	if unknown.status != 404 || unknown.problemCode(t) != "not-found" {
		t.Fatalf("unknown id: %d %s", unknown.status, unknown.body)
	}
	for _, id := range []string{"abc", "abcdefg", "00000000-0000-4000-8000-00000000000Z"} {
		r := c.do("GET", "/api/v1/t/amt/documents/"+id, nil)
		if r.status != 404 || string(r.body) != string(unknown.body) {
			t.Fatalf("malformed id %q: %d %s, want %s", id, r.status, r.body, unknown.body)
		}
	}
	for _, lang := range []string{"de", "en"} {
		r := c.with("Accept-Language", lang).do("GET", "/api/v1/t/amt/directory?q=a&cursor=abc", nil)
		var p struct {
			Detail string `json:"detail"`
		}
		if r.status != 422 || r.problemCode(t) != "invalid-input" {
			t.Fatalf("malformed query id: %d %s", r.status, r.body)
		}
		r.json(t, &p)
		want := "Bitte die Angaben prüfen: Parameter „cursor“: ungültiger Wert."
		if lang == "en" {
			want = "Please check the input: parameter “cursor”: invalid value."
		}
		if p.Detail != want || strings.Contains(p.Detail, "UUID") {
			t.Fatalf("%s: detail %q, want %q", lang, p.Detail, want)
		}
	}
}
