package dav_test

import (
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/google/uuid"
	"github.com/kollab/kollab/documents"
	"github.com/kollab/kollab/internal/db"
	"github.com/kollab/kollab/internal/db/dbtest"
	"github.com/kollab/kollab/tenant"
	"github.com/kollab/kollab/tenant/auth"
)

// Authentication: Basic with the e-mail address and a personal API token;
// no credentials, a wrong token, the account password or a foreign e-mail
// answer 401 with the challenge; another tenant answers exactly like an
// unknown one.
func TestAuthentication(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		ag := e.a
		bau := e.folder(ag.admin.actor, uuid.Nil, "Bauamt")
		e.grant(ag, bau.ID, ag.alice, documents.Read)
		url := "/dav/" + ag.tenant.Slug + "/"
		propfind := map[string]string{"Depth": "1"}

		challenge := `Basic realm="Kollab", charset="UTF-8"`
		for name, m := range map[string]*member{
			"no credentials":   nil,
			"wrong token":      {email: ag.alice.email, token: "klt_" + strings.Repeat("A", 43)},
			"account password": {email: ag.alice.email, token: testPassword},
			"foreign e-mail":   {email: ag.bob.email, token: ag.alice.token},
			"not a token":      {email: ag.alice.email, token: "kls_" + ag.alice.token[4:]},
		} {
			r := e.do(m, "PROPFIND", url, propfind, nil)
			if r.status != http.StatusUnauthorized || r.header.Get("WWW-Authenticate") != challenge {
				t.Fatalf("%s: %d %q", name, r.status, r.header.Get("WWW-Authenticate"))
			}
		}
		want(t, e.do(ag.alice, "PROPFIND", url, propfind, nil), http.StatusMultiStatus, "token")
		// The e-mail address is compared case-insensitively.
		up := &member{email: strings.ToUpper(ag.alice.email), token: ag.alice.token}
		want(t, e.do(up, "PROPFIND", url, propfind, nil), http.StatusMultiStatus, "upper-case e-mail")

		// Another tenant's path, an unknown tenant, and an unknown path in
		// one's own tenant: the same 404, byte for byte.
		foreign := e.do(ag.alice, "PROPFIND", "/dav/"+e.b.tenant.Slug+"/", propfind, nil)
		unknown := e.do(ag.alice, "PROPFIND", "/dav/gibt-es-nicht/", propfind, nil)
		missing := e.do(ag.alice, "PROPFIND", url+"Gibt es nicht/", propfind, nil)
		foreignDeep := e.do(ag.alice, "GET", "/dav/"+e.b.tenant.Slug+"/Bauamt/x.pdf", nil, nil)
		for name, r := range map[string]*resp{"unknown tenant": unknown, "missing path": missing, "foreign deep path": foreignDeep} {
			if r.status != http.StatusNotFound || r.body != foreign.body || !sameHeaders(r.header, foreign.header) {
				t.Fatalf("%s differs from another tenant's 404: %d %q %v / %d %q %v", name, r.status, r.body, r.header,
					foreign.status, foreign.body, foreign.header)
			}
		}
		if foreign.status != http.StatusNotFound {
			t.Fatalf("another tenant: %d", foreign.status)
		}

		// The tenant's two-factor policy: partners must have a second
		// factor, and this one has none.
		want(t, e.do(ag.partner, "PROPFIND", url, propfind, nil), http.StatusForbidden, "partner without second factor")
		// A deactivated member gets nothing.
		_, err := e.tenants.SetActive(ctx, tenant.Operator(ag.tenant.ID), ag.alice.actor.MembershipID, false)
		must(t, err)
		want(t, e.do(ag.alice, "PROPFIND", url, propfind, nil), http.StatusForbidden, "deactivated member")
	})
}

// sameHeaders compares two answers' headers but for Date.
func sameHeaders(a, b http.Header) bool {
	a, b = a.Clone(), b.Clone()
	a.Del("Date")
	b.Del("Date")
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if !slices.Equal(v, b[k]) {
			return false
		}
	}
	return true
}

// Permissions are the domain's: an unreadable folder does not exist, a
// readable one cannot be written, depth infinity is refused.
func TestPermissions(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		ag := e.a
		bau := e.folder(ag.admin.actor, uuid.Nil, "Bauamt")
		geheim := e.folder(ag.admin.actor, uuid.Nil, "Geheim")
		e.upload(ag.admin.actor, geheim.ID, "Vertrag.pdf", "%PDF-1.7 geheim")
		e.upload(ag.admin.actor, bau.ID, "Plan.pdf", "%PDF-1.7 Plan")
		e.grant(ag, bau.ID, ag.bob, documents.Read)
		base := "/dav/" + ag.tenant.Slug

		nf := e.do(ag.bob, "PROPFIND", base+"/Gibt-es-nicht/", map[string]string{"Depth": "0"}, nil)
		for _, r := range []*resp{
			e.do(ag.bob, "PROPFIND", base+"/Geheim/", map[string]string{"Depth": "1"}, nil),
			e.do(ag.bob, "GET", base+"/Geheim/Vertrag.pdf", nil, nil),
			e.do(ag.bob, "PUT", base+"/Geheim/Neu.pdf", nil, strings.NewReader("x")),
		} {
			if r.status != http.StatusNotFound && r.status != http.StatusConflict {
				t.Fatalf("unreadable folder: %d %s", r.status, r.body)
			}
		}
		if r := e.do(ag.bob, "GET", base+"/Geheim/Vertrag.pdf", nil, nil); r.body != nf.body {
			t.Fatalf("unreadable document's 404 differs: %q", r.body)
		}
		want(t, e.do(ag.bob, "GET", base+"/Bauamt/Plan.pdf", nil, nil), http.StatusOK, "readable document")
		want(t, e.do(ag.bob, "PUT", base+"/Bauamt/Plan.pdf", nil, strings.NewReader("x")), http.StatusForbidden, "PUT with read permission")
		want(t, e.do(ag.bob, "PUT", base+"/Bauamt/Neu.pdf", nil, strings.NewReader("x")), http.StatusForbidden, "new document with read permission")
		want(t, e.do(ag.bob, "DELETE", base+"/Bauamt/Plan.pdf", nil, nil), http.StatusForbidden, "DELETE with read permission")
		want(t, e.do(ag.bob, "MKCOL", base+"/Bauamt/Neu", nil, nil), http.StatusForbidden, "MKCOL with read permission")
		want(t, e.do(ag.bob, "MKCOL", base+"/Wurzel", nil, nil), http.StatusForbidden, "MKCOL of a root folder by staff")
		want(t, e.do(ag.admin, "MKCOL", base+"/Wurzel", nil, nil), http.StatusCreated, "MKCOL of a root folder by an admin")
		want(t, e.do(ag.admin, "MKCOL", base+"/wurzel", nil, nil), http.StatusMethodNotAllowed, "MKCOL of an existing name")
		want(t, e.do(ag.admin, "MKCOL", base+"/Fehlt/Neu", nil, nil), http.StatusConflict, "MKCOL without parent")
		want(t, e.do(ag.admin, "PUT", base+"/Datei.txt", nil, strings.NewReader("x")), http.StatusForbidden, "document in the root")
		want(t, e.do(ag.bob, "COPY", base+"/Bauamt/Plan.pdf", map[string]string{"Destination": e.srv.URL + "/dav/" + e.b.tenant.Slug + "/x"}, nil),
			http.StatusForbidden, "COPY into another tenant")

		r := e.do(ag.bob, "PROPFIND", base+"/", map[string]string{"Depth": "infinity"}, nil)
		want(t, r, http.StatusForbidden, "depth infinity")
		if !strings.Contains(r.body, "propfind-finite-depth") {
			t.Fatalf("depth infinity: %s", r.body)
		}
		want(t, e.do(ag.bob, "PROPFIND", base+"/", nil, nil), http.StatusForbidden, "PROPFIND without depth")
	})
}

// A token's scope holds over WebDAV as in the API: a read token only
// reads, and a token without the admin scope has no admin powers.
func TestTokenScopes(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		ag := e.a
		bau := e.folder(ag.admin.actor, uuid.Nil, "Bauamt")
		e.upload(ag.admin.actor, bau.ID, "Plan.pdf", "%PDF-1.7 Plan")
		e.grant(ag, bau.ID, ag.alice, documents.Write)
		base := "/dav/" + ag.tenant.Slug
		reader := &member{email: ag.alice.email, token: e.mint(ag.alice.email, auth.ScopeRead)}

		want(t, e.do(reader, "PROPFIND", base+"/Bauamt/", map[string]string{"Depth": "1"}, nil), http.StatusMultiStatus, "PROPFIND with a read token")
		want(t, e.do(reader, "GET", base+"/Bauamt/Plan.pdf", nil, nil), http.StatusOK, "GET with a read token")
		for _, m := range []string{"PUT", "DELETE", "MKCOL", "LOCK", "PROPPATCH"} {
			want(t, e.do(reader, m, base+"/Bauamt/Neu.pdf", nil, strings.NewReader("x")), http.StatusForbidden, m+" with a read token")
		}
		// The same person writes with a write token.
		want(t, e.do(ag.alice, "PUT", base+"/Bauamt/Neu.pdf", nil, strings.NewReader("x")), http.StatusCreated, "PUT with a write token")

		// An admin's write token acts as staff: no root folder.
		adminWrite := &member{email: ag.admin.email, token: e.mint(ag.admin.email, auth.ScopeWrite)}
		want(t, e.do(adminWrite, "MKCOL", base+"/Wurzel", nil, nil), http.StatusForbidden, "MKCOL of a root folder with an admin's write token")
		want(t, e.do(ag.admin, "MKCOL", base+"/Wurzel", nil, nil), http.StatusCreated, "MKCOL of a root folder with an admin token")
	})
}
