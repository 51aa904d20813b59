package dav_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/kollab/kollab/documents"
	"github.com/kollab/kollab/documents/dav"
	"github.com/kollab/kollab/internal/db"
	"github.com/kollab/kollab/internal/storage"
	"github.com/kollab/kollab/internal/testenv"
	"github.com/kollab/kollab/internal/testenv/seed"
	"github.com/kollab/kollab/tenant"
	"github.com/kollab/kollab/tenant/auth"
	"github.com/kollab/kollab/tenant/auth/password"
	"github.com/studio-b12/gowebdav"
)

var ctx = context.Background()

type clock = testenv.Clock

// member is one account with a membership and a personal API token.
type member struct {
	actor  tenant.Actor
	email  string
	token  string
	userID uuid.UUID
}

// agency is one tenant with an admin, two staff members, a committee
// member and a partner (the partner has no second factor, which the
// tenant's policy requires of partners).
type agency struct {
	tenant  *tenant.Tenant
	admin   *member
	alice   *member
	bob     *member
	carol   *member
	partner *member
}

// env is two tenants on one database, the services, and the WebDAV server
// behind a real HTTP listener.
type env struct {
	t       testing.TB
	d       *db.DB
	tenants *tenant.Service
	auth    *auth.Service
	docs    *documents.Service
	clock   *clock
	dav     *dav.Server
	srv     *httptest.Server
	a, b    *agency
}

func newEnv(t testing.TB, d *db.DB) *env {
	t.Helper()
	h := password.NewHasher(password.HighEntropy)
	e := &env{t: t, d: d, tenants: tenant.NewService(d, h), clock: testenv.NewClock(db.Now())}
	var err error
	e.auth, err = auth.NewService(d, e.tenants, h, auth.Config{SecretKey: bytes.Repeat([]byte{7}, 32)}, nil)
	must(t, err)
	st, err := storage.NewFS(t.TempDir())
	must(t, err)
	e.docs = documents.NewService(d, documents.WithClock(e.clock.Now), documents.WithStore(st))
	e.dav = e.newDAV()
	e.srv = httptest.NewServer(e.dav)
	t.Cleanup(e.srv.Close)
	e.a = e.newAgency("a")
	e.b = e.newAgency("b")
	return e
}

// newDAV returns another WebDAV server over the same database (another
// instance behind the load balancer).
func (e *env) newDAV() *dav.Server {
	return dav.New(dav.Config{Now: e.clock.Now, SpoolDir: e.t.TempDir(), MaxLockTimeout: time.Hour},
		dav.Deps{DB: e.d, Auth: e.auth, Documents: e.docs})
}

func (e *env) newAgency(name string) *agency {
	e.t.Helper()
	tn, err := e.tenants.CreateTenant(ctx, "amt-"+name+"-"+uuid.NewString()[:8], "Amt "+name)
	must(e.t, err)
	// Second factor required of partners only, so that the admin's token
	// works here and the partner's shows the policy.
	tn, err = e.tenants.UpdateSettings(ctx, tenant.Operator(tn.ID), tenant.Settings{RequireTOTPRoles: []tenant.Role{tenant.RolePartner}})
	must(e.t, err)
	return &agency{tenant: tn,
		admin:   e.member(tn, tenant.RoleAdmin, "admin"),
		alice:   e.member(tn, tenant.RoleStaff, "alice"),
		bob:     e.member(tn, tenant.RoleStaff, "bob"),
		carol:   e.member(tn, tenant.RoleCommittee, "carol"),
		partner: e.member(tn, tenant.RolePartner, "partner"),
	}
}

const testPassword = "ein-sehr-langes-Passwort"

func (e *env) member(tn *tenant.Tenant, role tenant.Role, name string) *member {
	e.t.Helper()
	a, u := seed.MemberWithPassword(e.t, e.tenants, tn.ID, role, fmt.Sprintf("%s@%s.example", name, tn.Slug), strings.ToUpper(name[:1])+name[1:], testPassword)
	// Admins with the admin scope, so that their powers reach WebDAV.
	scope := auth.ScopeWrite
	if role == tenant.RoleAdmin {
		scope = auth.ScopeAdmin
	}
	return &member{actor: a, email: u.Email, token: e.mint(u.Email, scope), userID: u.ID}
}

// mint creates a token of the given scope as a person does it: sign in,
// confirm with the password, create the token.
func (e *env) mint(email string, scope auth.Scope) string {
	e.t.Helper()
	c := auth.Client{IP: "192.0.2.1"}
	res, err := e.auth.Login(ctx, email, testPassword, c)
	must(e.t, err)
	p, err := e.auth.Authenticate(ctx, res.Token)
	must(e.t, err)
	_, err = e.auth.Reauthenticate(ctx, p, testPassword, "", "", c)
	must(e.t, err)
	tok, _, err := e.auth.CreateToken(ctx, p, auth.TokenSpec{Name: "WebDAV", Scope: scope})
	must(e.t, err)
	return tok
}

// client is a gowebdav client of m on the tenant's WebDAV root.
func (e *env) client(m *member, tn *tenant.Tenant) *gowebdav.Client {
	c := gowebdav.NewClient(e.srv.URL+"/dav/"+tn.Slug+"/", m.email, m.token)
	c.SetTimeout(time.Minute)
	return c
}

// resp is a complete answer.
type resp struct {
	status int
	header http.Header
	body   string
}

// do sends one raw request with m's credentials (nil: none).
func (e *env) do(m *member, method, url string, header map[string]string, body io.Reader) *resp {
	e.t.Helper()
	if !strings.HasPrefix(url, "http") {
		url = e.srv.URL + url
	}
	req, err := http.NewRequest(method, url, body)
	must(e.t, err)
	if m != nil {
		req.SetBasicAuth(m.email, m.token)
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	res, err := http.DefaultClient.Do(req)
	must(e.t, err)
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	must(e.t, err)
	return &resp{status: res.StatusCode, header: res.Header, body: string(b)}
}

// must fails the test on an error.
func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// want fails the test unless r has the status.
func want(t testing.TB, r *resp, status int, what string) {
	t.Helper()
	if r.status != status {
		t.Fatalf("%s: status %d, want %d: %s", what, r.status, status, r.body)
	}
}

func (e *env) folder(a tenant.Actor, parent uuid.UUID, name string) *documents.Folder {
	e.t.Helper()
	f, err := e.docs.CreateFolder(ctx, a, parent, name)
	must(e.t, err)
	return f
}

func (e *env) grant(ag *agency, folder uuid.UUID, m *member, l documents.Level) {
	e.t.Helper()
	_, err := e.docs.SetPermission(ctx, ag.admin.actor, folder, documents.UserPrincipal(m.actor.MembershipID), l)
	must(e.t, err)
}

// upload creates a document with content through the service.
func (e *env) upload(a tenant.Actor, folder uuid.UUID, title, content string) *documents.Document {
	e.t.Helper()
	d, _, err := e.docs.CreateDocumentWithRevision(ctx, a, folder, documents.DocumentInput{Title: title},
		documents.Upload{FileName: title, Size: int64(len(content))}, strings.NewReader(content))
	must(e.t, err)
	return d
}

// docByTitle finds a live document of a folder by title (nil: none).
func (e *env) docByTitle(a tenant.Actor, folder uuid.UUID, title string) *documents.Document {
	e.t.Helper()
	page, err := e.docs.ListDocuments(ctx, a, folder, documents.Page{Limit: documents.MaxPage})
	must(e.t, err)
	for i := range page.Documents {
		if page.Documents[i].Title == title {
			return &page.Documents[i]
		}
	}
	return nil
}

// content reads a document's current bytes through the service.
func (e *env) content(a tenant.Actor, id uuid.UUID) string {
	e.t.Helper()
	_, rc, err := e.docs.OpenRevision(ctx, a, id, uuid.Nil, 0, -1)
	must(e.t, err)
	defer rc.Close()
	b, err := io.ReadAll(rc)
	must(e.t, err)
	return string(b)
}

// seedDocuments inserts n documents into a folder directly (much faster
// than n service calls; the rows are what the service would write).
func seedDocuments(t testing.TB, d *db.DB, a tenant.Actor, folder uuid.UUID, n int) {
	t.Helper()
	now := db.Now()
	for start := 0; start < n; start += 500 {
		end := min(start+500, n)
		must(t, d.Tenant(ctx, a.TenantID, func(tx *db.Tx) error {
			var sb strings.Builder
			args := make([]any, 0, (end-start)*11)
			sb.WriteString(`INSERT INTO documents (tenant_id, id, folder_id, title, title_key, file_name, file_name_key, version, created_at, created_by, updated_at, updated_by) VALUES `)
			for i := start; i < end; i++ {
				if i > start {
					sb.WriteString(", ")
				}
				sb.WriteString("(?, ?, ?, ?, ?, ?, ?, 1, ?, ?, ?, ?)")
				title := fmt.Sprintf("Dokument %05d.pdf", i)
				args = append(args, a.TenantID, db.NewID(), folder, title, strings.ToLower(title), title, strings.ToLower(title),
					now, a.MembershipID, now, a.MembershipID)
			}
			return tx.Unscoped().Exec(sb.String(), args...).Error
		}))
	}
}

// countResponses counts the <D:response> elements of a multistatus body.
func countResponses(body string) int {
	return strings.Count(body, "<D:response>")
}
