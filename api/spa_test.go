package api_test

import (
	"bytes"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/kollab/kollab/api"
	"github.com/kollab/kollab/documents/dav"
	"github.com/kollab/kollab/internal/db/dbtest"
	"github.com/kollab/kollab/meetings/oparl"
	"github.com/kollab/kollab/tenant"
	"github.com/kollab/kollab/tenant/auth"
	"github.com/kollab/kollab/tenant/auth/password"
)

func spaEnv(t *testing.T, files fstest.MapFS) *env {
	t.Helper()
	d := dbtest.SQLite(t)
	h := password.NewHasher(password.HighEntropy)
	ts := tenant.NewService(d, h)
	as, err := auth.NewService(d, ts, h, auth.Config{SecretKey: bytes.Repeat([]byte{1}, 32)}, nil)
	if err != nil {
		t.Fatal(err)
	}
	srv := api.New(api.Config{SessionAbsolute: time.Hour, SPA: files}, api.Deps{Database: d, Tenants: ts, Auth: as,
		DAV: dav.New(dav.Config{}, dav.Deps{DB: d, Auth: as}).Fiber(), OParl: oparl.New(oparl.Config{}, oparl.Deps{DB: d})})
	return &env{t: t, db: d, srv: srv, tenants: ts, auth: as, lastStep: map[string]int64{}}
}

func TestWebAppIsServedWithFallback(t *testing.T) {
	e := spaEnv(t, fstest.MapFS{
		"index.html":         {Data: []byte(`<!doctype html><html lang="de"><title>Kollab</title>`)},
		"assets/app-1a2b.js": {Data: []byte(`console.log(1)`)},
	})
	c := e.client()
	for _, p := range []string{"/", "/admin/mitglieder", "/invite/stadt"} {
		r := c.must(200, "GET", p, nil)
		if !strings.Contains(string(r.body), `lang="de"`) || r.header.Get("Cache-Control") != "no-cache" {
			t.Errorf("%s: %s (cache %q)", p, r.body, r.header.Get("Cache-Control"))
		}
	}
	js := c.must(200, "GET", "/assets/app-1a2b.js", nil)
	if !strings.Contains(js.header.Get("Content-Type"), "javascript") || !strings.Contains(js.header.Get("Cache-Control"), "immutable") {
		t.Errorf("asset headers: %v", js.header)
	}
	// API and operator paths never fall back to the app.
	if r := c.do("GET", "/dav/stadt/", nil); r.status != 401 || !strings.HasPrefix(r.header.Get("WWW-Authenticate"), "Basic") {
		t.Errorf("/dav/stadt/: %d %v", r.status, r.header)
	}
	for _, p := range []string{"/api/v1/unbekannt", "/oparl/v1.1/unbekannt", "/ical/unbekannt.ics"} {
		r := c.do("GET", p, nil)
		if r.status != 404 || r.problemCode(t) != "not-found" {
			t.Errorf("%s: %d %s", p, r.status, r.body)
		}
	}
	if r := c.do("GET", "/oparl/v1.1/system", nil); r.status != 200 || !strings.Contains(string(r.body), "https://schema.oparl.org/1.1/System") {
		t.Errorf("/oparl/v1.1/system: %d %s", r.status, r.body)
	}
	c.must(200, "GET", "/healthz", nil)
}

func TestWebAppNotBuilt(t *testing.T) {
	e := spaEnv(t, fstest.MapFS{".gitkeep": {}})
	r := e.client().must(503, "GET", "/", nil)
	if !strings.Contains(string(r.body), "nicht gebaut") {
		t.Fatalf("%s", r.body)
	}
	e.client().must(401, "GET", "/api/v1/me", nil)
}
