package api_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/kollab/kollab/api"
	"github.com/kollab/kollab/documents"
	"github.com/kollab/kollab/internal/db"
	"github.com/kollab/kollab/internal/storage"
	"github.com/kollab/kollab/internal/testenv"
	"github.com/kollab/kollab/tenant"
)

// wantUnavailable checks the one answer to an unreachable database or
// object store: 503 problem+json "unavailable" with a Retry-After, and the
// CSRF cookie left alone.
func wantUnavailable(t *testing.T, what string, r *resp) {
	t.Helper()
	if r.status != http.StatusServiceUnavailable || r.problemCode(t) != "unavailable" {
		t.Fatalf("%s: %d %s, want 503 unavailable", what, r.status, r.body)
	}
	if s, err := strconv.Atoi(r.header.Get("Retry-After")); err != nil || s <= 0 {
		t.Fatalf("%s: Retry-After %q", what, r.header.Get("Retry-After"))
	}
	for _, c := range r.header.Values("Set-Cookie") {
		if strings.HasPrefix(c, api.CSRFCookie+"=") || strings.HasPrefix(c, api.SessionCookie+"=") {
			t.Fatalf("%s: the answer touched a cookie: %s", what, c)
		}
	}
}

// While PostgreSQL is down, reads and writes (huma operations, the
// authenticate middleware, file uploads) answer 503 with Retry-After, not
// 500 or 403 csrf-failed; while the object store is down, an upload
// answers 503 within a few seconds. Afterwards the same session and CSRF
// token carry on.
func TestOutageAnswers503(t *testing.T) {
	cl := testenv.StartPostgresCluster(t)
	s3 := testenv.StartS3Process(t)
	ctx := context.Background()
	if err := db.Migrate(ctx, db.MigrateOptions{OwnerURL: cl.OwnerURL, AppRole: "kollab_app"}); err != nil {
		t.Fatal(err)
	}
	d, err := db.Open(ctx, db.Options{URL: cl.AppURL, MaxOpenConns: 4})
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	store, err := storage.Open(ctx, s3.URL(""), "")
	if err != nil {
		t.Fatal(err)
	}
	e := newEnv(t, d, documents.WithStore(store))

	tn, err := e.tenants.CreateTenant(ctx, "amt-ausfall", "Amt Ausfall")
	if err != nil {
		t.Fatal(err)
	}
	u, err := e.tenants.CreateUser(ctx, "staff@ausfall.example", "Staff", testPassword)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.tenants.AddMember(ctx, tn.ID, u.ID, tenant.RoleStaff); err != nil {
		t.Fatal(err)
	}
	au, err := e.tenants.CreateUser(ctx, "admin@ausfall.example", "Admin", testPassword)
	if err != nil {
		t.Fatal(err)
	}
	am, err := e.tenants.AddMember(ctx, tn.ID, au.ID, tenant.RoleAdmin)
	if err != nil {
		t.Fatal(err)
	}
	admin := tenant.ActorFromMembership(am)
	folder, err := e.docs.CreateFolder(ctx, admin, uuid.Nil, "Eingang")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.docs.SetPermission(ctx, admin, folder.ID, documents.RolePrincipal(tenant.RoleStaff), documents.Write); err != nil {
		t.Fatal(err)
	}

	c := e.client()
	c.login("staff@ausfall.example", testPassword, "")
	token := c.cookies[api.CSRFCookie]
	base := "/api/v1/t/" + tn.Slug
	upload := func(name string) *resp {
		req := httptest.NewRequest("POST", base+"/folders/"+folder.ID.String()+"/files?file_name="+name, strings.NewReader(strings.Repeat("Akte ", 2000)))
		req.Header.Set("Content-Type", "application/octet-stream")
		return c.send(req)
	}
	c.must(201, "POST", base+"/folders", map[string]any{"parent_id": folder.ID, "name": "Vorher"})
	if r := upload("vorher.txt"); r.status != 201 {
		t.Fatalf("upload: %d %s", r.status, r.body)
	}

	// The object store goes away: uploads answer 503 at once.
	s3.Stop(t)
	start := time.Now()
	wantUnavailable(t, "upload without S3", upload("ohne-s3.txt"))
	if took := time.Since(start); took > 3*time.Second {
		t.Errorf("the upload took %s to report the unreachable store", took)
	}
	c.must(200, "GET", base+"/folders", nil) // the database still serves
	s3.Start(t)
	if r := upload("mit-s3.txt"); r.status != 201 {
		t.Fatalf("upload after S3 came back: %d %s", r.status, r.body)
	}

	// The database goes away.
	cl.Stop(t)
	wantUnavailable(t, "read", c.do("GET", "/api/v1/me", nil))
	wantUnavailable(t, "tenant read", c.do("GET", base+"/folders", nil))
	wantUnavailable(t, "write", c.do("POST", base+"/folders", map[string]any{"parent_id": folder.ID, "name": "Während"}))
	wantUnavailable(t, "upload", upload("ohne-db.txt"))
	anon := e.client()
	anon.csrf() // handing out a token needs no database
	wantUnavailable(t, "sign-in", anon.do("POST", "/api/v1/auth/login", map[string]string{"email": "staff@ausfall.example", "password": testPassword}))
	if r := c.do("GET", "/readyz", nil); r.status != http.StatusServiceUnavailable {
		t.Fatalf("readyz while the database is down: %d %s", r.status, r.body)
	}
	if c.cookies[api.CSRFCookie] != token || c.cookies[api.SessionCookie] == "" {
		t.Fatal("the outage cost the client its session or CSRF token")
	}

	// Back: the same session and token carry on.
	cl.Start(t)
	deadline := time.Now().Add(10 * time.Second)
	for {
		r := c.do("POST", base+"/folders", map[string]any{"parent_id": folder.ID, "name": "Nachher"})
		if r.status == 201 {
			break
		}
		wantUnavailable(t, "write while the pools reconnect", r)
		if time.Now().After(deadline) {
			t.Fatal("no write succeeded 10 s after the database came back")
		}
		time.Sleep(100 * time.Millisecond)
	}
	if r := upload("nachher.txt"); r.status != 201 {
		t.Fatalf("upload afterwards: %d %s", r.status, r.body)
	}
	if c.cookies[api.CSRFCookie] != token {
		t.Fatal("the CSRF token changed across the outage")
	}
}
