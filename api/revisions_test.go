package api_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/kollab/kollab/documents"
	"github.com/kollab/kollab/internal/db"
	"github.com/kollab/kollab/internal/db/dbtest"
	"github.com/kollab/kollab/internal/storage"
	"github.com/kollab/kollab/internal/storage/storagetest"
	"github.com/kollab/kollab/internal/testenv"
)

type revisionBody struct {
	Document struct {
		ID      string `json:"id"`
		Title   string `json:"title"`
		Version int64  `json:"version"`
	} `json:"document"`
	Revision struct {
		ID          string `json:"id"`
		Number      int    `json:"number"`
		Size        int64  `json:"size_bytes"`
		SHA256      string `json:"sha256"`
		ContentType string `json:"content_type"`
		FileName    string `json:"file_name"`
	} `json:"revision"`
}

// raw sends a request with a raw body and extra headers through the client.
func (c *client) raw(method, path string, body []byte, hdr map[string]string) *resp {
	c.e.t.Helper()
	saved := c.header
	c.header = http.Header{}
	for k, vs := range saved {
		c.header[k] = vs
	}
	for k, v := range hdr {
		c.header.Set(k, v)
	}
	defer func() { c.header = saved }()
	var b any
	if body != nil {
		b = string(body)
	}
	return c.do(method, path, b)
}

func sum(b []byte) string { s := sha256.Sum256(b); return hex.EncodeToString(s[:]) }

func TestRevisionsHTTP(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		a := e.seedTenant("amt-rev")
		base := "/api/v1/t/" + a.tenant.Slug
		var folder struct{ ID string }
		a.admin.must(201, "POST", base+"/folders", map[string]string{"name": "Akten"}).json(t, &folder)

		v1 := []byte("%PDF-1.4\n" + strings.Repeat("Seite ", 100))
		var up revisionBody
		a.admin.must(201, "POST", base+"/folders/"+folder.ID+"/files?file_name="+url.QueryEscape("Prüfbericht.pdf"), string(v1)).json(t, &up)
		if up.Document.Title != "Prüfbericht.pdf" || up.Revision.Number != 1 || up.Revision.ContentType != "application/pdf" ||
			up.Revision.SHA256 != sum(v1) || up.Revision.Size != int64(len(v1)) {
			t.Fatalf("upload: %+v", up)
		}
		doc := base + "/documents/" + up.Document.ID

		// A lost update answers 412; a malformed If-Match 400.
		v2 := []byte("Zweite Fassung")
		r := a.admin.raw("PUT", doc+"/content?file_name=b.txt", v2, map[string]string{"If-Match": `"999"`})
		if r.status != 412 || r.problemCode(t) != "precondition-failed" {
			t.Fatalf("stale If-Match: %d %s", r.status, r.body)
		}
		if r := a.admin.raw("PUT", doc+"/content?file_name=b.txt", v2, map[string]string{"If-Match": `"abc"`}); r.status != 400 {
			t.Fatalf("malformed If-Match: %d %s", r.status, r.body)
		}
		var up2 revisionBody
		r = a.admin.raw("PUT", doc+"/content?file_name=b.txt&comment=neu", v2, map[string]string{"If-Match": fmt.Sprintf(`"%d"`, up.Document.Version)})
		if r.status != 201 {
			t.Fatalf("new revision: %d %s", r.status, r.body)
		}
		r.json(t, &up2)
		if up2.Revision.Number != 2 || r.header.Get("ETag") != fmt.Sprintf(`"%d"`, up2.Document.Version) {
			t.Fatalf("new revision: %+v %v", up2, r.header)
		}

		// History.
		var hist struct {
			Revisions []struct {
				ID         string `json:"id"`
				Number     int    `json:"number"`
				AuthorName string `json:"author_name"`
			} `json:"revisions"`
		}
		a.admin.must(200, "GET", doc+"/revisions", nil).json(t, &hist)
		if len(hist.Revisions) != 2 || hist.Revisions[0].Number != 2 || hist.Revisions[1].AuthorName != "Admin amt-rev" {
			t.Fatalf("history: %+v", hist)
		}

		// Downloads: whole, range, suffix, past the end, conditional.
		r = a.admin.must(200, "GET", doc+"/content", nil)
		if !bytes.Equal(r.body, v2) || r.header.Get("ETag") != `"`+sum(v2)+`"` || r.header.Get("Accept-Ranges") != "bytes" ||
			r.header.Get("X-Content-Type-Options") != "nosniff" || !strings.HasPrefix(r.header.Get("Content-Disposition"), "attachment") {
			t.Fatalf("download: %q %v", r.body, r.header)
		}
		old := doc + "/revisions/" + up.Revision.ID + "/content"
		r = a.admin.raw("GET", old, nil, map[string]string{"Range": "bytes=9-14"})
		if r.status != 206 || string(r.body) != "Seite " || r.header.Get("Content-Range") != fmt.Sprintf("bytes 9-14/%d", len(v1)) {
			t.Fatalf("range: %d %q %v", r.status, r.body, r.header)
		}
		r = a.admin.raw("GET", old, nil, map[string]string{"Range": "bytes=-6"})
		if r.status != 206 || string(r.body) != "Seite " {
			t.Fatalf("suffix range: %d %q", r.status, r.body)
		}
		r = a.admin.raw("GET", old, nil, map[string]string{"Range": fmt.Sprintf("bytes=%d-", len(v1))})
		if r.status != 416 || r.problemCode(t) != "range-not-satisfiable" {
			t.Fatalf("range past the end: %d %s", r.status, r.body)
		}
		r = a.admin.raw("GET", old, nil, map[string]string{"If-None-Match": `"` + sum(v1) + `"`})
		if r.status != 304 || len(r.body) != 0 {
			t.Fatalf("If-None-Match: %d", r.status)
		}
		// The umlaut name is encoded (RFC 2231); inline only for safe types.
		r = a.admin.must(200, "GET", old+"?disposition=inline", nil)
		if cd := r.header.Get("Content-Disposition"); !strings.HasPrefix(cd, "inline") || !strings.Contains(cd, "filename*=utf-8''Pr%C3%BCfbericht.pdf") {
			t.Fatalf("Content-Disposition: %q", cd)
		}
		// The web app may frame a PDF of its own origin, nobody else.
		if csp := r.header.Get("Content-Security-Policy"); !strings.Contains(csp, "frame-ancestors 'self'") || r.header.Values("X-Frame-Options")[0] != "SAMEORIGIN" || len(r.header.Values("X-Frame-Options")) != 1 ||
			r.header.Get("Cross-Origin-Embedder-Policy") != "require-corp" || r.header.Get("Cross-Origin-Resource-Policy") != "same-origin" {
			t.Fatalf("framing headers of an inline PDF: %v", r.header)
		}
		html := []byte("<html><script>alert(1)</script></html>")
		var hup revisionBody
		a.admin.must(201, "POST", base+"/folders/"+folder.ID+"/files?file_name=bild.png", string(html)).json(t, &hup)
		r = a.admin.must(200, "GET", base+"/documents/"+hup.Document.ID+"/content?disposition=inline", nil)
		if !strings.HasPrefix(r.header.Get("Content-Disposition"), "attachment") || !strings.HasPrefix(r.header.Get("Content-Type"), "text/html") ||
			!strings.Contains(r.header.Get("Content-Security-Policy"), "sandbox") {
			t.Fatalf("HTML named .png: %v", r.header)
		}

		// Restore revision 1 as revision 3.
		var rest revisionBody
		r = a.admin.raw("POST", doc+"/revisions/"+up.Revision.ID+"/restore", []byte(`{}`), map[string]string{"If-Match": fmt.Sprintf(`"%d"`, up2.Document.Version)})
		if r.status != 201 {
			t.Fatalf("restore: %d %s", r.status, r.body)
		}
		r.json(t, &rest)
		if rest.Revision.Number != 3 || rest.Revision.SHA256 != sum(v1) {
			t.Fatalf("restore: %+v", rest)
		}

		// Quota: 413 before anything is written.
		q := int64(len(v1)*2 + len(v2) + len(html) + 10)
		if err := e.docs.SetQuota(context.Background(), a.tenant.ID, &q); err != nil {
			t.Fatal(err)
		}
		before := countObjects(t, e.docs.Store(), a)
		r = a.admin.raw("POST", base+"/folders/"+folder.ID+"/files?file_name=gross.bin", make([]byte, 100), nil)
		if r.status != 413 || r.problemCode(t) != "too-large" || countObjects(t, e.docs.Store(), a) != before {
			t.Fatalf("over quota: %d %s", r.status, r.body)
		}
		var n int64
		if err := d.Tenant(context.Background(), a.tenant.ID, func(tx *db.Tx) error { return tx.Table("documents").Count(&n).Error }); err != nil || n != 2 {
			t.Fatalf("documents after a refused upload: %d %v", n, err)
		}
	})
}

func countObjects(t *testing.T, st storage.Store, a *seeded) int {
	t.Helper()
	p, _ := storage.KindPrefix(a.tenant.ID, documents.RevisionKind)
	n := 0
	if err := st.List(context.Background(), p, func(storage.ObjectInfo) error { n++; return nil }); err != nil {
		t.Fatal(err)
	}
	return n
}

// TestUpload200MiBToS3: a 200 MiB upload through the HTTP API (a real
// listener) into versitygw keeps the process's heap flat, and a Range
// download reads it back.
func TestUpload200MiBToS3(t *testing.T) {
	d := dbtest.SQLite(t)
	srv := testenv.StartS3(t)
	st, err := storage.NewS3(t.Context(), storage.S3Config{Endpoint: srv.Endpoint, AccessKey: srv.AccessKey, SecretKey: srv.SecretKey, Bucket: srv.Bucket})
	if err != nil {
		t.Fatal(err)
	}
	e := newEnv(t, d, documents.WithStore(st))
	a := e.seedTenant("amt-gross")
	base := "/api/v1/t/" + a.tenant.Slug
	var folder struct{ ID string }
	a.admin.must(201, "POST", base+"/folders", map[string]string{"name": "Akten"}).json(t, &folder)

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go func() { _ = e.srv.App().Listener(ln) }()
	t.Cleanup(func() { _ = e.srv.App().Shutdown() })
	origin := "http://" + ln.Addr().String()

	const size = 200 << 20
	sent := sha256.New()
	var up revisionBody
	peak := storagetest.MeasureHeap(t, func() error {
		req, err := http.NewRequest("POST", origin+base+"/folders/"+folder.ID+"/files?file_name=gross.bin", io.TeeReader(storagetest.Generator(7, size), sent))
		if err != nil {
			return err
		}
		req.ContentLength = size
		a.admin.authorize(req)
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			return err
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		if res.StatusCode != 201 {
			return fmt.Errorf("upload: %d %s", res.StatusCode, b)
		}
		return json.Unmarshal(b, &up)
	})
	t.Logf("200 MiB upload through HTTP to S3: heap in use grew by at most %d MiB, %v", peak.InuseGrowth>>20, peak.Duration)
	if peak.InuseGrowth > 64<<20 {
		t.Fatalf("the upload held %d MiB of heap", peak.InuseGrowth>>20)
	}
	if up.Revision.Size != size || up.Revision.SHA256 != hex.EncodeToString(sent.Sum(nil)) {
		t.Fatalf("stored %+v", up.Revision)
	}
	req, _ := http.NewRequest("GET", origin+base+"/documents/"+up.Document.ID+"/content", nil)
	req.Header.Set("Range", fmt.Sprintf("bytes=%d-", size-1000))
	a.admin.authorize(req)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	tail, _ := io.ReadAll(res.Body)
	res.Body.Close()
	// Without Content-Length (chunked): 411, nothing stored.
	creq, _ := http.NewRequest("POST", origin+base+"/folders/"+folder.ID+"/files?file_name=x.txt", io.MultiReader(strings.NewReader("abc")))
	creq.ContentLength = -1
	a.admin.authorize(creq)
	cres, err := http.DefaultClient.Do(creq)
	if err != nil {
		t.Fatal(err)
	}
	cres.Body.Close()
	if cres.StatusCode != 411 {
		t.Fatalf("chunked upload: %d", cres.StatusCode)
	}
	gen := storagetest.Generator(7, size)
	if _, err := io.CopyN(io.Discard, gen, size-1000); err != nil {
		t.Fatal(err)
	}
	want, _ := io.ReadAll(gen)
	if res.StatusCode != 206 || !bytes.Equal(tail, want) {
		t.Fatalf("tail range: %d, %d bytes", res.StatusCode, len(tail))
	}
}
