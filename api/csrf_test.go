package api_test

import (
	"context"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/kollab/kollab/api"
	"github.com/kollab/kollab/internal/db"
	"github.com/kollab/kollab/internal/db/dbtest"
	"github.com/kollab/kollab/tenant"
)

// The CSRF token is bound to the session: renewed at sign-in and sign-out,
// refused with another session's cookie, stable while the session lasts,
// and only good when header and cookie agree.
func TestCSRFTokenBoundToSession(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		ctx := context.Background()
		tn, err := e.tenants.CreateTenant(ctx, "amt-csrf", "Amt CSRF")
		if err != nil {
			t.Fatal(err)
		}
		for _, email := range []string{"alice@csrf.example", "bob@csrf.example"} {
			u, err := e.tenants.CreateUser(ctx, email, email, testPassword)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := e.tenants.AddMember(ctx, tn.ID, u.ID, tenant.RoleStaff); err != nil {
				t.Fatal(err)
			}
		}
		rename := map[string]string{"display_name": "Alice"}

		alice := e.client()
		alice.csrf()
		anonymous := alice.cookies[api.CSRFCookie]
		if anonymous == "" {
			t.Fatal("GET /auth/csrf set no cookie")
		}
		var got struct {
			Token string `json:"csrf_token"`
		}
		alice.must(200, "GET", "/api/v1/auth/csrf", nil).json(t, &got)
		if got.Token != anonymous || alice.cookies[api.CSRFCookie] != anonymous {
			t.Fatalf("the token changed without a reason: %q, then %q", anonymous, got.Token)
		}
		// Header and cookie must agree; a forged or tampered token fails.
		login := `{"email":"alice@csrf.example","password":"` + testPassword + `"}`
		for _, tok := range []string{"", "x", strings.Repeat("A", len(anonymous)), anonymous[:len(anonymous)-2] + "AA"} {
			c := e.client()
			c.cookies[api.CSRFCookie] = tok
			if r := c.do("POST", "/api/v1/auth/login", login); r.status != 403 || r.problemCode(t) != "csrf-failed" {
				t.Fatalf("token %q: %d %s", tok, r.status, r.body)
			}
		}
		other := e.client()
		other.csrf()
		req := httptest.NewRequest("POST", "/api/v1/auth/login", strings.NewReader(login))
		req.Header.Set("Content-Type", "application/json")
		alice.authorize(req)
		req.Header.Set(api.CSRFHeader, other.cookies[api.CSRFCookie]) // valid, but not the cookie's
		res, err := e.srv.App().Test(req, -1)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != 403 {
			t.Fatalf("a header other than the cookie: %d", res.StatusCode)
		}

		// Sign-in renews the token; the anonymous one no longer serves.
		alice.must(200, "POST", "/api/v1/auth/login", map[string]string{"email": "alice@csrf.example", "password": testPassword})
		signedIn := alice.cookies[api.CSRFCookie]
		if signedIn == "" || signedIn == anonymous {
			t.Fatalf("sign-in did not renew the CSRF token (%q)", signedIn)
		}
		alice.must(200, "PATCH", "/api/v1/me", rename)
		stale := e.client()
		stale.cookies[api.SessionCookie] = alice.cookies[api.SessionCookie]
		stale.cookies[api.CSRFCookie] = anonymous
		if r := stale.do("PATCH", "/api/v1/me", rename); r.status != 403 || r.problemCode(t) != "csrf-failed" {
			t.Fatalf("the token from before the sign-in still works: %d %s", r.status, r.body)
		}
		alice.must(200, "GET", "/api/v1/auth/csrf", nil).json(t, &got)
		if got.Token != signedIn {
			t.Fatalf("GET /auth/csrf in the session gave another token: %q, cookie %q", got.Token, signedIn)
		}

		// Another session's token does not serve, even as a matching pair.
		bob := e.client()
		bob.login("bob@csrf.example", testPassword, "")
		thief := e.client()
		thief.cookies[api.SessionCookie] = bob.cookies[api.SessionCookie]
		thief.cookies[api.CSRFCookie] = signedIn
		if r := thief.do("PATCH", "/api/v1/me", rename); r.status != 403 || r.problemCode(t) != "csrf-failed" {
			t.Fatalf("alice's token served bob's session: %d %s", r.status, r.body)
		}
		bob.must(200, "PATCH", "/api/v1/me", map[string]string{"display_name": "Bob"})

		// Sign-out renews it again: an anonymous token the next sign-in takes.
		alice.must(204, "POST", "/api/v1/auth/logout", nil)
		out := alice.cookies[api.CSRFCookie]
		if out == "" || out == signedIn || out == anonymous {
			t.Fatalf("sign-out did not renew the CSRF token (%q)", out)
		}
		if _, ok := alice.cookies[api.SessionCookie]; ok {
			t.Fatal("the session cookie survived the sign-out")
		}
		alice.must(200, "POST", "/api/v1/auth/login", map[string]string{"email": "alice@csrf.example", "password": testPassword})
	})
}
