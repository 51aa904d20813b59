package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/kollab/kollab/api"
	"github.com/kollab/kollab/documents"
	"github.com/kollab/kollab/documents/dav"
	"github.com/kollab/kollab/internal/db"
	"github.com/kollab/kollab/internal/live"
	"github.com/kollab/kollab/internal/notify"
	"github.com/kollab/kollab/internal/storage"
	"github.com/kollab/kollab/meetings"
	"github.com/kollab/kollab/meetings/oparl"
	"github.com/kollab/kollab/meetings/render"
	"github.com/kollab/kollab/tasks"
	"github.com/kollab/kollab/tenant"
	"github.com/kollab/kollab/tenant/auth"
	"github.com/kollab/kollab/tenant/auth/password"
	"github.com/kollab/kollab/workspaces"
	"github.com/kollab/kollab/workspaces/consultations"
	"github.com/kollab/kollab/workspaces/consultations/synopsis"
	"github.com/kollab/kollab/workspaces/contacts"
	"github.com/pquerna/otp/totp"
)

const testPassword = "ein-sehr-langes-Passwort"

// env is a server on one database with its services.
type env struct {
	t        *testing.T
	lastStep map[string]int64 // per TOTP secret: the last step a test used
	db       *db.DB
	srv      *api.Server
	tenants  *tenant.Service
	auth     *auth.Service
	docs     *documents.Service
	comm     *meetings.Service
	ws       *workspaces.Service
	consult  *consultations.Service
	tasks    *tasks.Service
	notify   *notify.Service
}

// newEnv builds a server over d; docOpts adjust its document store (added
// to the defaults, so that a later option wins).
func newEnv(t *testing.T, d *db.DB, docOpts ...documents.Option) *env {
	t.Helper()
	h := password.NewHasher(password.HighEntropy)
	var ws *workspaces.Service
	ts := tenant.NewService(d, h, tenant.WithGroupGrants(documents.GroupGrantCount),
		tenant.WithGuestAdmission(func(ctx context.Context, tx *db.Tx, inv, m uuid.UUID) error { return ws.AdmitGuest(ctx, tx, inv, m) }))
	as, err := auth.NewService(d, ts, h, auth.Config{SecretKey: bytes.Repeat([]byte{7}, 32), PrincipalCacheTTL: 10 * time.Second}, nil)
	if err != nil {
		t.Fatal(err)
	}
	store, err := storage.Open(context.Background(), "", t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	docs := documents.NewService(d, append([]documents.Option{documents.WithStore(store), documents.WithActivity(workspaces.RecordDocumentActivity)}, docOpts...)...)
	hctx, stopHub := context.WithCancel(context.Background())
	t.Cleanup(stopHub)
	hub := live.New(hctx, d, nil)
	hub.Debounce = 20 * time.Millisecond
	ns := notify.New(d, notify.WithLive(hub))
	hub.Handle(notify.LiveKind, func(ctx context.Context, tenantID, id uuid.UUID) (any, error) {
		return ns.LiveBell(ctx, tenantID, id)
	})
	comm := meetings.NewService(d, docs, render.Renderer{}, meetings.WithLive(hub), meetings.WithNotify(ns))
	hub.Handle(live.KindPoll, func(ctx context.Context, tenantID, id uuid.UUID) (any, error) {
		return comm.LivePoll(ctx, tenantID, id)
	})
	if d.Dialect() == db.Postgres { // as in production: changes announced by the database
		listenForChanges(t, d, as, hub)
	}
	ws = workspaces.NewService(d, workspaces.WithNotify(ns), workspaces.WithTenants(ts))
	consult := consultations.NewService(d, docs, synopsis.Renderer{}, consultations.WithNotify(ns))
	taskSvc := tasks.NewService(d, tasks.WithNotify(ns))
	srv := api.New(api.Config{PublicURL: "https://kollab.example", SecureCookies: true, SessionAbsolute: 12 * time.Hour},
		api.Deps{Database: d, Tenants: ts, Auth: as, Documents: docs, Committees: comm, Workspaces: ws, Contacts: contacts.NewService(d), Consultations: consult, Tasks: taskSvc, Live: hub, Notify: ns, Store: store,
			DAV:   dav.New(dav.Config{}, dav.Deps{DB: d, Auth: as, Documents: docs}).Fiber(),
			OParl: oparl.New(oparl.Config{PublicURL: "https://kollab.example"}, oparl.Deps{DB: d, Store: store})})
	e := &env{t: t, db: d, srv: srv, tenants: ts, auth: as, docs: docs, comm: comm, ws: ws, consult: consult, tasks: taskSvc, notify: ns, lastStep: map[string]int64{}}
	t.Cleanup(e.checkDocumentedStatuses)
	return e
}

// listenForChanges runs a database notifier for the auth service's
// principal cache and the live hub until the test ends, and waits until it
// listens.
func listenForChanges(t *testing.T, d *db.DB, as *auth.Service, hub *live.Hub) {
	t.Helper()
	n, err := d.NewNotifier(nil)
	if err != nil {
		t.Fatal(err)
	}
	as.ListenForChanges(n)
	hub.Listen(n)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); _ = n.Run(ctx) }()
	t.Cleanup(func() { cancel(); <-done })
	for deadline := time.Now().Add(10 * time.Second); !n.Listening(); time.Sleep(5 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("the principal cache did not start listening")
		}
	}
}

// client is one browser: cookies, CSRF token, language.
type client struct {
	e       *env
	cookies map[string]string
	bearer  string
	lang    string
	ip      string
	// header is sent with every request (If-Match, for example).
	header http.Header
}

func (e *env) client() *client { return &client{e: e, cookies: map[string]string{}, ip: "192.0.2.10"} }

// with returns the same browser (shared cookies) sending one more header.
func (c *client) with(name, value string) *client {
	cc := *c
	cc.header = c.header.Clone()
	if cc.header == nil {
		cc.header = http.Header{}
	}
	cc.header.Add(name, value)
	return &cc
}

type resp struct {
	status int
	header http.Header
	body   []byte
}

func (r *resp) json(t *testing.T, v any) {
	t.Helper()
	if err := json.Unmarshal(r.body, v); err != nil {
		t.Fatalf("decode %s: %v", r.body, err)
	}
}

func (r *resp) problemCode(t *testing.T) string {
	t.Helper()
	if ct := r.header.Get("Content-Type"); ct != "application/problem+json" {
		t.Fatalf("status %d with content type %q, not a problem: %s", r.status, ct, r.body)
	}
	var p struct {
		Code string `json:"code"`
	}
	r.json(t, &p)
	return p.Code
}

// do sends a request; body is JSON-encoded unless it is a string.
func (c *client) do(method, path string, body any) *resp {
	c.e.t.Helper()
	var rd io.Reader
	if body != nil {
		switch b := body.(type) {
		case string:
			rd = strings.NewReader(b)
		default:
			j, _ := json.Marshal(b)
			rd = bytes.NewReader(j)
		}
	}
	req := httptest.NewRequest(method, path, rd)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	return c.send(req)
}

// authorize adds what the client sends with every request: address,
// language, bearer token, extra headers, cookies and the CSRF header.
func (c *client) authorize(req *http.Request) {
	req.RemoteAddr = c.ip + ":1234"
	if c.lang != "" {
		req.Header.Set("Accept-Language", c.lang)
	}
	if c.bearer != "" {
		req.Header.Set("Authorization", "Bearer "+c.bearer)
	}
	for k, vs := range c.header {
		for _, v := range vs {
			req.Header.Add(k, v)
		}
	}
	var parts []string
	for k, v := range c.cookies {
		parts = append(parts, k+"="+v)
	}
	if len(parts) > 0 {
		req.Header.Set("Cookie", strings.Join(parts, "; "))
	}
	if tok := c.cookies[api.CSRFCookie]; tok != "" && req.Method != http.MethodGet {
		req.Header.Set(api.CSRFHeader, tok)
	}
}

// send runs a prepared request as this client and keeps the cookies it sets.
func (c *client) send(req *http.Request) *resp {
	c.e.t.Helper()
	c.authorize(req)
	res, err := c.e.srv.App().Test(req, -1)
	if err != nil {
		c.e.t.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	for _, ck := range res.Cookies() {
		if ck.MaxAge < 0 || ck.Value == "" || (!ck.Expires.IsZero() && ck.Expires.Before(time.Now())) {
			delete(c.cookies, ck.Name)
		} else {
			c.cookies[ck.Name] = ck.Value
		}
	}
	return &resp{status: res.StatusCode, header: res.Header, body: b}
}

// must sends a request and fails the test unless it answers want.
func (c *client) must(want int, method, path string, body any) *resp {
	c.e.t.Helper()
	r := c.do(method, path, body)
	if r.status != want {
		c.e.t.Fatalf("%s %s: status %d, want %d: %s", method, path, r.status, want, r.body)
	}
	return r
}

func (c *client) csrf() {
	c.e.t.Helper()
	c.must(200, "GET", "/api/v1/auth/csrf", nil)
}

// login signs in with the password and, when asked for, a TOTP code.
func (c *client) login(email, pw, secret string) {
	c.e.t.Helper()
	c.csrf()
	r := c.must(200, "POST", "/api/v1/auth/login", map[string]string{"email": email, "password": pw})
	var out struct {
		SecondFactorRequired bool `json:"second_factor_required"`
	}
	r.json(c.e.t, &out)
	if out.SecondFactorRequired {
		c.must(200, "POST", "/api/v1/auth/second-factor", map[string]string{"code": c.e.code(secret)})
	}
}

// reauth gives the client's session a fresh proof (password and, with a
// secret, a TOTP code), as the re-authentication dialog does.
func (c *client) reauth(pw, secret string) {
	c.e.t.Helper()
	body := map[string]string{"password": pw}
	if secret != "" {
		body["code"] = c.e.code(secret)
	}
	c.must(200, "POST", "/api/v1/me/reauth", body)
}

// enrol sets up TOTP for the signed-in client and returns the secret.
func (c *client) enrol() string {
	c.e.t.Helper()
	var en struct {
		Secret string `json:"secret"`
		URI    string `json:"otpauth_uri"`
		PNG    []byte `json:"qr_code_png"`
	}
	c.must(200, "POST", "/api/v1/me/totp", nil).json(c.e.t, &en)
	if !strings.HasPrefix(en.URI, "otpauth://totp/") || len(en.PNG) < 100 {
		c.e.t.Fatalf("enrolment: %+v", en)
	}
	code := c.e.code(en.Secret)
	var rc struct {
		Codes []string `json:"recovery_codes"`
	}
	c.must(200, "POST", "/api/v1/me/totp/confirm", map[string]string{"code": code}).json(c.e.t, &rc)
	if len(rc.Codes) != 10 {
		c.e.t.Fatalf("recovery codes: %v", rc.Codes)
	}
	return en.Secret
}

// seeded is a tenant with an enrolled admin, signed in.
type seeded struct {
	tenant *tenant.Tenant
	admin  *client
	email  string
	secret string
}

func (e *env) seedTenant(slug string) *seeded {
	e.t.Helper()
	ctx := context.Background()
	t, err := e.tenants.CreateTenant(ctx, slug, "Amt "+slug)
	if err != nil {
		e.t.Fatal(err)
	}
	email := "admin@" + slug + ".example"
	u, err := e.tenants.CreateUser(ctx, email, "Admin "+slug, testPassword)
	if err != nil {
		e.t.Fatal(err)
	}
	if _, err := e.tenants.AddMember(ctx, t.ID, u.ID, tenant.RoleAdmin); err != nil {
		e.t.Fatal(err)
	}
	c := e.client()
	c.login(email, testPassword, "")
	secret := c.enrol()
	return &seeded{tenant: t, admin: c, email: email, secret: secret}
}

// code returns a TOTP code for a step no earlier test request used: the
// server accepts each step once, and one step ahead of now.
func (e *env) code(secret string) string {
	for {
		cur := time.Now().Unix() / 30
		step := max(cur, e.lastStep[secret]+1)
		if step <= cur+1 {
			e.lastStep[secret] = step
			code, err := totp.GenerateCode(secret, time.Unix(step*30, 0))
			if err != nil {
				e.t.Fatal(err)
			}
			return code
		}
		time.Sleep(time.Until(time.Unix((cur+1)*30, 0)))
	}
}
