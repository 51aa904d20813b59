package api_test

import (
	"bytes"
	"database/sql"
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/danielgtaylor/huma/v2"
	"github.com/google/uuid"
	"github.com/kollab/kollab/internal/db"
	"github.com/kollab/kollab/internal/db/dbtest"
)

// Bounds of the abuse suite.
const (
	bombKeys       = 60000    // unknown keys of the key bomb (about 600 KB, under the 1 MiB limit)
	bombDepth      = 10000    // nesting of the deep body
	maxProblemSize = 16 << 10 // every refusal is a problem smaller than this
	maxFieldErrors = 20
	nulMarker      = "WERT\x00WERT" // the string with NUL; "WERT" never comes back
)

// refusedBeforeBody are the operations whose guard refuses the signed-in
// administrator of the suite before the body is read.
var refusedBeforeBody = map[string]bool{
	"second-factor": true, // 409: the session has no second factor pending
}

// jsonOp is an operation of the OpenAPI document that takes a JSON body.
type jsonOp struct {
	id, method, path string // path with its parameters filled in
	public           bool
	body             *huma.Schema
}

// jsonOperations lists every operation of the served OpenAPI document with
// a JSON request body, its path parameters filled with values of their
// type (tenant: slug), so that a signed-in member's requests get past the
// router, authentication and parameter validation into body decoding.
func jsonOperations(t *testing.T, e *env, slug string) []jsonOp {
	t.Helper()
	doc := e.srv.API().OpenAPI()
	var ops []jsonOp
	for path, item := range doc.Paths {
		for method, o := range map[string]*huma.Operation{"POST": item.Post, "PUT": item.Put, "PATCH": item.Patch, "DELETE": item.Delete, "GET": item.Get} {
			if o == nil || o.RequestBody == nil {
				continue
			}
			mt, ok := o.RequestBody.Content["application/json"]
			if !ok || mt.Schema == nil {
				continue
			}
			p := path
			for _, prm := range o.Parameters {
				if prm.In != "path" {
					continue
				}
				v := uuid.NewString()
				if prm.Name == "tenant" {
					v = slug
				} else if prm.Schema != nil && (prm.Schema.Type == "integer" || prm.Schema.Type == "number") {
					v = "1"
				} else if prm.Schema != nil && prm.Schema.Format != "uuid" && len(prm.Schema.Enum) > 0 {
					v = fmt.Sprint(prm.Schema.Enum[0])
				}
				p = strings.ReplaceAll(p, "{"+prm.Name+"}", v)
			}
			ops = append(ops, jsonOp{id: o.OperationID, method: method, path: p, public: len(o.Security) == 0, body: mt.Schema})
		}
	}
	sort.Slice(ops, func(i, j int) bool { return ops[i].id < ops[j].id })
	if len(ops) < 30 {
		t.Fatalf("only %d JSON operations in the OpenAPI document", len(ops))
	}
	return ops
}

// sample builds a plausible value of schema s with every property, optional
// ones included, so that each string field of a body can be made the bad one.
func sample(reg huma.Registry, s *huma.Schema, depth int) any {
	for s != nil && s.Ref != "" {
		s = reg.SchemaFromRef(s.Ref)
	}
	if s == nil || depth > 6 {
		return nil
	}
	if len(s.Enum) > 0 {
		return s.Enum[0]
	}
	switch s.Type {
	case "object":
		m := map[string]any{}
		for k, ps := range s.Properties {
			if ps.ReadOnly {
				continue
			}
			m[k] = sample(reg, ps, depth+1)
		}
		if as, ok := s.AdditionalProperties.(*huma.Schema); ok && len(s.Properties) == 0 {
			m["feld"] = sample(reg, as, depth+1)
		}
		return m
	case "array":
		n := 1
		if s.MinItems != nil && *s.MinItems > n {
			n = *s.MinItems
		}
		out := make([]any, n)
		for i := range out {
			out[i] = sample(reg, s.Items, depth+1)
		}
		return out
	case "integer", "number":
		if s.Minimum != nil {
			return *s.Minimum
		}
		return 1
	case "boolean":
		return false
	case "string":
		switch s.Format {
		case "email":
			return "person@amt.example"
		case "date-time":
			return time.Now().Add(72 * time.Hour).UTC().Format(time.RFC3339)
		case "date":
			return time.Now().AddDate(0, 0, 3).Format(time.DateOnly)
		case "uuid":
			return uuid.NewString()
		case "uri":
			return "https://amt.example/"
		}
		v := "Test"
		if s.MinLength != nil && *s.MinLength > len(v) {
			v = strings.Repeat("x", *s.MinLength)
		}
		return v
	}
	return nil
}

// stringPaths calls fn with a copy of v in which one string (each in turn)
// is replaced by bad, and the location of that string (body.a.b[0]).
func stringPaths(v any, loc string, set func(any), fn func(loc string)) {
	switch x := v.(type) {
	case string:
		set(nulMarker)
		fn(loc)
		set(x)
	case map[string]any:
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			stringPaths(x[k], loc+"."+k, func(nv any) { x[k] = nv }, fn)
		}
	case []any:
		for i := range x {
			stringPaths(x[i], loc+"["+strconv.Itoa(i)+"]", func(nv any) { x[i] = nv }, fn)
		}
	}
}

// rowCounts counts the rows of every table, seen by the database's owner
// (on PostgreSQL the application role would see one tenant's rows only).
type rowCounts func(t *testing.T) map[string]int64

func countRows(q *sql.DB, tablesQuery string) rowCounts {
	return func(t *testing.T) map[string]int64 {
		t.Helper()
		rows, err := q.Query(tablesQuery)
		if err != nil {
			t.Fatal(err)
		}
		var tables []string
		for rows.Next() {
			var n string
			if err := rows.Scan(&n); err != nil {
				t.Fatal(err)
			}
			tables = append(tables, n)
		}
		rows.Close()
		if len(tables) < 10 {
			t.Fatalf("only %d tables", len(tables))
		}
		out := make(map[string]int64, len(tables))
		for _, tb := range tables {
			var n int64
			if err := q.QueryRow(`SELECT count(*) FROM "` + tb + `"`).Scan(&n); err != nil {
				t.Fatal(err)
			}
			out[tb] = n
		}
		return out
	}
}

// TestAbuseSuite sends, to every JSON operation of the OpenAPI document,
// anonymously and as a signed-in administrator with a CSRF token: a body
// of 60,000 unknown keys, NUL in each string field of an otherwise
// plausible body, a wrong Content-Type (text, form data, multipart), and a
// body nested 10,000 deep. Each answers a 4xx problem under 16 KB that lists
// at most 20 field errors and repeats no request value, and the database
// keeps exactly its rows.
func TestAbuseSuite(t *testing.T) {
	t.Run("sqlite", func(t *testing.T) {
		d := dbtest.SQLite(t)
		abuse(t, d, countRows(d.SQL(), `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`))
	})
	t.Run("postgres", func(t *testing.T) {
		d, ownerURL := dbtest.Postgres(t)
		owner, err := sql.Open("pgx", ownerURL)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = owner.Close() })
		abuse(t, d, countRows(owner, `SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'`))
	})
}

func abuse(t *testing.T, d *db.DB, counts rowCounts) {
	e := newEnv(t, d)
	s := e.seedTenant("amt")
	anon := e.client()
	anon.csrf() // a CSRF token but no session: public operations decode the body
	reg := e.srv.API().OpenAPI().Components.Schemas
	ops := jsonOperations(t, e, "amt")

	var bomb bytes.Buffer
	bomb.WriteByte('{')
	for i := range bombKeys {
		if i > 0 {
			bomb.WriteByte(',')
		}
		fmt.Fprintf(&bomb, `"k%d":0`, i)
	}
	bomb.WriteByte('}')
	if bomb.Len() >= 1<<20 {
		t.Fatalf("the key bomb is %d bytes, over the body limit", bomb.Len())
	}
	deepObject := strings.Repeat(`{"a":`, bombDepth) + "1" + strings.Repeat("}", bombDepth)
	deepArray := strings.Repeat("[", bombDepth) + strings.Repeat("]", bombDepth)

	for _, op := range ops {
		before := counts(t)
		for _, who := range []struct {
			name string
			c    *client
		}{{"anonymous", anon}, {"admin", s.admin}} {
			c := who.c
			signedIn := who.name == "admin"
			// reached: the request gets into body decoding (past authentication).
			reached := (signedIn || op.public) && !(signedIn && refusedBeforeBody[op.id])
			send := func(what, ct string, body []byte) *resp {
				t.Helper()
				req := httptest.NewRequest(op.method, op.path, bytes.NewReader(body))
				req.Header.Set("Content-Type", ct)
				r := c.send(req)
				if r.status < 400 || r.status >= 500 {
					t.Fatalf("%s %s (%s, %s): status %d, want 4xx: %.300s", op.method, op.path, who.name, what, r.status, r.body)
				}
				if len(r.body) >= maxProblemSize {
					t.Fatalf("%s %s (%s, %s): problem of %d bytes", op.method, op.path, who.name, what, len(r.body))
				}
				var p struct {
					Errors []json.RawMessage `json:"errors"`
				}
				if r.problemCode(t) == "" {
					t.Fatalf("%s %s (%s, %s): problem without code", op.method, op.path, who.name, what)
				}
				r.json(t, &p)
				if len(p.Errors) > maxFieldErrors {
					t.Fatalf("%s %s (%s, %s): %d field errors", op.method, op.path, who.name, what, len(p.Errors))
				}
				if bytes.Contains(r.body, []byte(`"value"`)) || bytes.Contains(r.body, []byte("WERT")) {
					t.Fatalf("%s %s (%s, %s): the problem repeats request values: %.300s", op.method, op.path, who.name, what, r.body)
				}
				return r
			}
			// (a) 60,000 unknown keys.
			send("key bomb", "application/json", bomb.Bytes())

			// (b) NUL in each string field of a plausible body.
			body := sample(reg, op.body, 0)
			stringPaths(body, "body", func(any) {}, func(loc string) {
				b, err := json.Marshal(body)
				if err != nil {
					t.Fatal(err)
				}
				r := send("NUL in "+loc, "application/json", b)
				if !reached {
					return
				}
				if r.status != 400 && r.status != 422 {
					t.Fatalf("%s %s (%s): NUL in %s answered %d, want 400 or 422: %.300s", op.method, op.path, who.name, loc, r.status, r.body)
				}
				var p struct {
					Field  string `json:"field"`
					Errors []struct {
						Location string `json:"location"`
					} `json:"errors"`
				}
				r.json(t, &p)
				named := "body." + p.Field
				for _, fe := range p.Errors {
					named += " " + fe.Location
				}
				if !strings.Contains(named+" ", loc+" ") && !strings.Contains(named, loc+".") {
					t.Fatalf("%s %s (%s): NUL in %s answered %d without naming the field: %.300s", op.method, op.path, who.name, loc, r.status, r.body)
				}
			})

			// (c) a body that is not JSON.
			for _, ct := range []struct{ ct, body string }{
				{"text/plain", `{}`},
				{"text/plain; charset=utf-8", "hallo"},
				{"application/x-www-form-urlencoded", "name=Amt&x=1"},
				{"multipart/form-data; boundary=xyz", "--xyz\r\nContent-Disposition: form-data; name=\"name\"\r\n\r\nAmt\r\n--xyz--\r\n"},
			} {
				r := send("Content-Type "+ct.ct, ct.ct, []byte(ct.body))
				if reached && r.status != 415 {
					t.Fatalf("%s %s (%s): Content-Type %s answered %d, want 415: %s", op.method, op.path, who.name, ct.ct, r.status, r.body)
				}
			}

			// (d) nested 10,000 deep.
			send("deep object", "application/json", []byte(deepObject))
			send("deep array", "application/json", []byte(deepArray))
		}
		after := counts(t)
		for tb, n := range before {
			if after[tb] != n {
				t.Errorf("%s %s: table %s has %d rows before, %d after", op.method, op.path, tb, n, after[tb])
			}
		}
	}
	// The signed-in client is still signed in: nothing above changed its session.
	s.admin.must(200, "GET", "/api/v1/me", nil)
}
