package api_test

import (
	"context"
	"testing"
	"time"

	"github.com/kollab/kollab/internal/db"
	"github.com/kollab/kollab/internal/db/dbtest"
	"github.com/kollab/kollab/tenant"
)

// staffClient adds a staff member (without a second factor) to the tenant
// and signs them in.
func (e *env) staffClient(tn *tenant.Tenant, name string) (*client, string) {
	e.t.Helper()
	ctx := context.Background()
	email := name + "@" + tn.Slug + ".example"
	u, err := e.tenants.CreateUser(ctx, email, name, testPassword)
	if err != nil {
		e.t.Fatal(err)
	}
	if _, err := e.tenants.AddMember(ctx, tn.ID, u.ID, tenant.RoleStaff); err != nil {
		e.t.Fatal(err)
	}
	c := e.client()
	c.login(email, testPassword, "")
	return c, email
}

type createdToken struct {
	ID        string    `json:"id"`
	Token     string    `json:"token"`
	Scope     string    `json:"scope"`
	ExpiresAt time.Time `json:"expires_at"`
}

// The credential routes answer reauth-required (403) without a fresh proof
// of the session, and work after POST /me/reauth; the proof is bound to
// its session and lasts five minutes.
func TestReauthOverHTTP(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		s := e.seedTenant("landkreis")
		c := s.admin
		calls := []struct {
			method, path string
			body         any
			status       int
		}{
			{"POST", "/api/v1/me/tokens", map[string]any{"name": "Skript"}, 201},
			{"POST", "/api/v1/me/recovery-codes", nil, 200},
			{"POST", "/api/v1/me/totp", nil, 200},
			{"POST", "/api/v1/me/password", map[string]string{"current_password": testPassword, "new_password": "ein-neues-langes-Passwort"}, 204},
		}
		for _, x := range calls {
			r := c.must(403, x.method, x.path, x.body)
			if code := r.problemCode(t); code != "reauth-required" {
				t.Fatalf("%s %s without a proof: %s", x.method, x.path, code)
			}
		}
		// The proof needs the password and the current code.
		if code := c.must(422, "POST", "/api/v1/me/reauth", map[string]string{"password": testPassword}).problemCode(t); code != "invalid-input" {
			t.Fatalf("proof without code: %s", code)
		}
		var p struct {
			Field string `json:"field"`
		}
		c.must(422, "POST", "/api/v1/me/reauth", map[string]string{"password": "falsch-falsch-falsch", "code": e.code(s.secret)}).json(t, &p)
		if p.Field != "password" {
			t.Fatalf("wrong password: field %q", p.Field)
		}
		// Another session's proof does not count for this one.
		other := e.client()
		other.login(s.email, testPassword, s.secret)
		other.reauth(testPassword, s.secret)
		c.must(403, "POST", "/api/v1/me/tokens", map[string]any{"name": "Skript"})

		var proof struct {
			ValidUntil time.Time `json:"valid_until"`
		}
		c.must(200, "POST", "/api/v1/me/reauth", map[string]string{"password": testPassword, "code": e.code(s.secret)}).json(t, &proof)
		if d := time.Until(proof.ValidUntil); d < 4*time.Minute || d > 5*time.Minute {
			t.Fatalf("proof valid until %v", proof.ValidUntil)
		}
		for _, x := range calls {
			c.must(x.status, x.method, x.path, x.body)
		}
		// The password change ended the other session, not this one.
		other.must(401, "GET", "/api/v1/me", nil)
		c.must(200, "GET", "/api/v1/me", nil)

		// Five minutes later the proof has run out.
		e.auth.SetClock(func() time.Time { return db.Now().Add(5 * time.Minute) })
		t.Cleanup(func() { e.auth.SetClock(db.Now) })
		if code := c.must(403, "POST", "/api/v1/me/tokens", map[string]any{"name": "Skript"}).problemCode(t); code != "reauth-required" {
			t.Fatalf("after five minutes: %s", code)
		}
	})
}

// Token scopes over HTTP: read tokens only read, write tokens do not reach
// admin routes, admin tokens only for admins and only when asked for;
// expiry 90 days by default and at most a year.
func TestTokenScopesOverHTTP(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		s := e.seedTenant("amt")
		c := s.admin
		c.reauth(testPassword, s.secret)
		mint := func(body map[string]any) createdToken {
			t.Helper()
			var tok createdToken
			c.must(201, "POST", "/api/v1/me/tokens", body).json(t, &tok)
			return tok
		}
		bearer := func(tok createdToken) *client {
			b := e.client()
			b.bearer = tok.Token
			return b
		}

		read := mint(map[string]any{"name": "Lesen"})
		if read.Scope != "read" {
			t.Fatalf("default scope: %q", read.Scope)
		}
		if d := time.Until(read.ExpiresAt); d < 89*24*time.Hour || d > 90*24*time.Hour {
			t.Fatalf("default expiry: %v", read.ExpiresAt)
		}
		r := bearer(read)
		r.must(200, "GET", "/api/v1/me", nil)
		r.must(403, "GET", "/api/v1/t/amt/members", nil) // an admin route: no admin scope
		r.must(200, "GET", "/api/v1/t/amt/folders", nil)
		if code := r.must(403, "POST", "/api/v1/t/amt/folders", map[string]any{"name": "Neu"}).problemCode(t); code != "forbidden" {
			t.Fatalf("read token writing: %s", code)
		}
		r.must(403, "POST", "/api/v1/t/amt/groups", map[string]string{"name": "Bauamt"})

		// A write token writes, with its owner's powers short of admin: no
		// admin routes, and no root folders (an admin's power).
		write := bearer(mint(map[string]any{"name": "Schreiben", "scope": "write"}))
		write.must(403, "GET", "/api/v1/t/amt/members", nil)
		write.must(403, "POST", "/api/v1/t/amt/groups", map[string]string{"name": "Bauamt"})
		write.must(403, "POST", "/api/v1/t/amt/folders", map[string]any{"name": "Neu"})

		admin := bearer(mint(map[string]any{"name": "Verwalten", "scope": "admin"}))
		admin.must(200, "GET", "/api/v1/t/amt/members", nil)
		admin.must(201, "POST", "/api/v1/t/amt/groups", map[string]string{"name": "Bauamt"})
		var root struct {
			ID string `json:"id"`
		}
		admin.must(201, "POST", "/api/v1/t/amt/folders", map[string]any{"name": "Ablage"}).json(t, &root)
		admin.must(200, "PUT", "/api/v1/t/amt/folders/"+root.ID+"/permissions", map[string]any{
			"principal": map[string]string{"type": "role", "role": "staff"}, "level": "write"})
		write.must(201, "POST", "/api/v1/t/amt/folders", map[string]any{"parent_id": root.ID, "name": "Unterordner"})
		r.must(403, "POST", "/api/v1/t/amt/folders", map[string]any{"parent_id": root.ID, "name": "Unterordner 2"})

		// Expiry bounds.
		c.must(422, "POST", "/api/v1/me/tokens", map[string]any{"name": "x", "expires_at": time.Now().AddDate(1, 0, 2)})
		c.must(422, "POST", "/api/v1/me/tokens", map[string]any{"name": "x", "expires_at": time.Now().Add(-time.Minute)})
		c.must(422, "POST", "/api/v1/me/tokens", map[string]any{"name": "x", "scope": "root"})
		year := mint(map[string]any{"name": "Jahr", "expires_at": time.Now().AddDate(1, 0, 0).Add(-time.Minute)})
		e.auth.SetClock(func() time.Time { return db.Now().AddDate(1, 0, 0) })
		t.Cleanup(func() { e.auth.SetClock(db.Now) })
		bearer(year).must(401, "GET", "/api/v1/me", nil)
		e.auth.SetClock(db.Now)

		// Staff: no admin scope.
		staff, _ := e.staffClient(s.tenant, "sachbearbeitung")
		staff.reauth(testPassword, "")
		var p struct {
			Field string `json:"field"`
		}
		staff.must(422, "POST", "/api/v1/me/tokens", map[string]any{"name": "x", "scope": "admin"}).json(t, &p)
		if p.Field != "scope" {
			t.Fatalf("admin scope for staff: field %q", p.Field)
		}
		staff.must(201, "POST", "/api/v1/me/tokens", map[string]any{"name": "x", "scope": "write"})
	})
}

// Tokens die with a password change and with an admin's 2FA reset; the
// tenant's admins list their members' tokens and revoke them.
func TestTenantTokensOverHTTP(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		s := e.seedTenant("stadtwerk")
		staff, _ := e.staffClient(s.tenant, "kasse")
		staff.reauth(testPassword, "")
		var tok createdToken
		staff.must(201, "POST", "/api/v1/me/tokens", map[string]any{"name": "Kasse", "scope": "write"}).json(t, &tok)
		script := e.client()
		script.bearer = tok.Token
		script.must(200, "GET", "/api/v1/me", nil)

		var list struct {
			Tokens []struct {
				ID         string `json:"id"`
				Name       string `json:"name"`
				Scope      string `json:"scope"`
				OwnerEmail string `json:"owner_email"`
			} `json:"tokens"`
		}
		s.admin.must(200, "GET", "/api/v1/t/stadtwerk/tokens", nil).json(t, &list)
		if len(list.Tokens) != 1 || list.Tokens[0].ID != tok.ID || list.Tokens[0].Scope != "write" || list.Tokens[0].OwnerEmail != "kasse@stadtwerk.example" {
			t.Fatalf("admin listing: %+v", list)
		}
		staff.must(403, "GET", "/api/v1/t/stadtwerk/tokens", nil)
		script.must(403, "GET", "/api/v1/t/stadtwerk/tokens", nil)

		// Another tenant's admin neither sees nor revokes it.
		o := e.seedTenant("nachbar")
		o.admin.must(200, "GET", "/api/v1/t/nachbar/tokens", nil).json(t, &list)
		if len(list.Tokens) != 0 {
			t.Fatalf("foreign tenant sees: %+v", list)
		}
		o.admin.must(404, "DELETE", "/api/v1/t/nachbar/tokens/"+tok.ID, nil)
		o.admin.must(404, "GET", "/api/v1/t/stadtwerk/tokens", nil)
		script.must(200, "GET", "/api/v1/me", nil)

		s.admin.must(204, "DELETE", "/api/v1/t/stadtwerk/tokens/"+tok.ID, nil)
		script.must(401, "GET", "/api/v1/me", nil)
		s.admin.must(404, "DELETE", "/api/v1/t/stadtwerk/tokens/"+tok.ID, nil)

		// A password change ends every token of the account.
		staff.reauth(testPassword, "")
		staff.must(201, "POST", "/api/v1/me/tokens", map[string]any{"name": "Kasse 2"}).json(t, &tok)
		script.bearer = tok.Token
		script.must(200, "GET", "/api/v1/me", nil)
		staff.must(204, "POST", "/api/v1/me/password", map[string]string{"current_password": testPassword, "new_password": "ein-neues-langes-Passwort"})
		script.must(401, "GET", "/api/v1/me", nil)

		// So does the admin's reset of the member's second factor.
		staff.reauth("ein-neues-langes-Passwort", "")
		staff.must(201, "POST", "/api/v1/me/tokens", map[string]any{"name": "Kasse 3"}).json(t, &tok)
		script.bearer = tok.Token
		script.must(200, "GET", "/api/v1/me", nil)
		var members memberList
		s.admin.must(200, "GET", "/api/v1/t/stadtwerk/members?q=kasse", nil).json(t, &members)
		if len(members.Members) != 1 {
			t.Fatalf("members: %+v", members)
		}
		s.admin.must(204, "POST", "/api/v1/t/stadtwerk/members/"+members.Members[0].ID+"/totp-reset", nil)
		script.must(401, "GET", "/api/v1/me", nil)
	})
}
