package dav_test

import (
	"io"
	"net"
	"net/http"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/google/uuid"
	"github.com/kollab/kollab/documents"
	"github.com/kollab/kollab/documents/dav"
	"github.com/kollab/kollab/internal/db"
	"github.com/kollab/kollab/internal/db/dbtest"
)

// put sends a PUT of n bytes with its Content-Length (n < 0: chunked).
func (e *env) put(m *member, url string, body io.Reader, n int64) *resp {
	e.t.Helper()
	req, err := http.NewRequest("PUT", url, body)
	must(e.t, err)
	req.ContentLength = n
	req.SetBasicAuth(m.email, m.token)
	res, err := http.DefaultClient.Do(req)
	must(e.t, err)
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return &resp{status: res.StatusCode, header: res.Header, body: string(b)}
}

// allocated runs fn and returns the bytes the process allocated meanwhile.
func allocated(fn func()) uint64 {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	fn()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

// Through fiber (as mounted in the real server, with StreamRequestBody and
// a 1 MiB body limit), uploads and downloads stream: a 64 MiB file goes
// in and out while the process allocates a fraction of it.
func TestFiberStreaming(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		ag := e.a
		bau := e.folder(ag.admin.actor, uuid.Nil, "Bauamt")
		e.grant(ag, bau.ID, ag.alice, documents.Write)

		app := fiber.New(fiber.Config{StreamRequestBody: true, BodyLimit: 1 << 20, DisableStartupMessage: true,
			ReadTimeout: 60 * time.Second, WriteTimeout: 60 * time.Second,
			RequestMethods: append(slices.Clone(fiber.DefaultMethods), dav.Methods()...)})
		app.All("/dav/*", e.dav.Fiber())
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		must(t, err)
		go func() { _ = app.Listener(ln) }()
		t.Cleanup(func() { _ = app.Shutdown() })
		base := "http://" + ln.Addr().String() + "/dav/" + ag.tenant.Slug + "/Bauamt/"

		const size = 64 << 20
		wantSum, _ := sha(t, pattern(size))
		var r *resp
		up := allocated(func() { r = e.put(ag.alice, base+"Gross.bin", pattern(size), size) })
		want(t, r, http.StatusCreated, "PUT through fiber")
		doc := e.docByTitle(ag.alice.actor, bau.ID, "Gross.bin")
		if doc == nil || *doc.SizeBytes != size {
			t.Fatalf("PUT stored %+v", doc)
		}
		var gotSum string
		var n int64
		down := allocated(func() {
			req, _ := http.NewRequest("GET", base+"Gross.bin", nil)
			req.SetBasicAuth(ag.alice.email, ag.alice.token)
			res, err := http.DefaultClient.Do(req)
			must(t, err)
			defer res.Body.Close()
			if res.StatusCode != 200 || res.Header.Get("Content-Length") != strconv.Itoa(size) ||
				res.Header.Get("Content-Type") != "application/octet-stream" || res.Header.Get("ETag") == "" {
				t.Fatalf("GET: %d %v", res.StatusCode, res.Header)
			}
			gotSum, n = sha(t, res.Body)
		})
		if gotSum != wantSum || n != size {
			t.Fatalf("GET returned %d bytes, sum %s", n, gotSum)
		}
		t.Logf("64 MiB through fiber: PUT allocated %d MiB, GET %d MiB", up>>20, down>>20)
		if up > size/2 || down > size/2 {
			t.Fatalf("not streamed: PUT allocated %d MiB, GET %d MiB for a 64 MiB file", up>>20, down>>20)
		}

		// A chunked PUT (no Content-Length), larger than the body limit.
		want(t, e.put(ag.alice, base+"Gestueckelt.bin", pattern(3<<20), -1), http.StatusCreated, "chunked PUT through fiber")
		if d := e.docByTitle(ag.alice.actor, bau.ID, "Gestueckelt.bin"); d == nil || *d.SizeBytes != 3<<20 {
			t.Fatalf("chunked PUT stored %+v", d)
		}

		// The WebDAV verbs pass through fiber; HEAD tells the size.
		r = e.do(ag.alice, "PROPFIND", base, map[string]string{"Depth": "1"}, nil)
		want(t, r, http.StatusMultiStatus, "PROPFIND through fiber")
		if countResponses(r.body) != 3 || !strings.Contains(r.body, "Gross.bin") {
			t.Fatalf("PROPFIND through fiber: %s", r.body)
		}
		want(t, e.do(ag.alice, "MKCOL", base+"Unterordner", nil, nil), http.StatusCreated, "MKCOL through fiber")
		r = e.do(ag.alice, "OPTIONS", base, nil, nil)
		if r.header.Get("DAV") != "1, 2" || r.header.Get("MS-Author-Via") != "DAV" || !strings.Contains(r.header.Get("Allow"), "PROPFIND") {
			t.Fatalf("OPTIONS through fiber: %v", r.header)
		}
		r = e.do(ag.alice, "HEAD", base+"Gross.bin", nil, nil)
		if r.status != 200 || r.header.Get("Content-Length") != strconv.Itoa(size) {
			t.Fatalf("HEAD through fiber: %d %v", r.status, r.header)
		}
		r = e.do(nil, "PROPFIND", base, map[string]string{"Depth": "0"}, nil)
		if r.status != http.StatusUnauthorized || r.header.Get("WWW-Authenticate") == "" {
			t.Fatalf("401 through fiber: %d %v", r.status, r.header)
		}
		// An early refusal of a large PUT (read permission only) does not
		// read the body; the connection is closed instead of reused.
		e.grant(ag, bau.ID, ag.bob, documents.Read)
		want(t, e.put(ag.bob, base+"Verboten.bin", pattern(8<<20), 8<<20), http.StatusForbidden, "refused PUT through fiber")
		want(t, e.do(ag.alice, "PROPFIND", base, map[string]string{"Depth": "0"}, nil), http.StatusMultiStatus, "next request")
	})
}
