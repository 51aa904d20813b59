package api_test

import (
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/kollab/kollab/internal/db"
	"github.com/kollab/kollab/internal/db/dbtest"
)

type memberList struct {
	Members []struct {
		ID          string `json:"id"`
		Email       string `json:"email"`
		Role        string `json:"role"`
		Status      string `json:"status"`
		TOTPEnabled bool   `json:"totp_enabled"`
	} `json:"members"`
	NextCursor *string `json:"next_cursor"`
}

// The whole life of a member through the API: the admin enrols TOTP,
// invites; the invitee accepts, enrols and signs in; the admin changes the
// role and resets the second factor; the audit log has all of it.
func TestAdminLifecycle(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		ctx := t.Context()
		tn, err := e.tenants.CreateTenant(ctx, "stadt", "Stadt Musterhausen")
		if err != nil {
			t.Fatal(err)
		}
		u, _ := e.tenants.CreateUser(ctx, "chefin@stadt.example", "Chefin", testPassword)
		if _, err := e.tenants.AddMember(ctx, tn.ID, u.ID, "admin"); err != nil {
			t.Fatal(err)
		}
		admin := e.client()
		// CSRF: a write without the token is refused.
		if r := admin.do("POST", "/api/v1/auth/login", map[string]string{"email": u.Email, "password": testPassword}); r.status != 403 || r.problemCode(t) != "csrf-failed" {
			t.Fatalf("login without CSRF token: %d %s", r.status, r.body)
		}
		admin.login(u.Email, testPassword, "")
		// Admins must enrol before using the tenant.
		if code := admin.must(403, "GET", "/api/v1/t/stadt/members", nil).problemCode(t); code != "totp-enrolment-required" {
			t.Fatalf("before enrolment: %s", code)
		}
		var me struct {
			Tenants []struct {
				Slug   string `json:"slug"`
				Usable bool   `json:"usable"`
			} `json:"tenants"`
		}
		admin.must(200, "GET", "/api/v1/me", nil).json(t, &me)
		if len(me.Tenants) != 1 || me.Tenants[0].Usable {
			t.Fatalf("me before enrolment: %+v", me)
		}
		secret := admin.enrol()
		admin.must(204, "POST", "/api/v1/auth/logout", nil)
		admin.must(401, "GET", "/api/v1/me", nil)
		// Wrong code, then the right one.
		admin.csrf()
		admin.must(200, "POST", "/api/v1/auth/login", map[string]string{"email": u.Email, "password": testPassword})
		admin.must(401, "GET", "/api/v1/t/stadt/members", nil) // second factor still missing
		if code := admin.must(401, "POST", "/api/v1/auth/second-factor", map[string]string{"code": "12345x"}).problemCode(t); code != "invalid-code" {
			t.Fatalf("wrong code: %s", code)
		}
		admin.must(200, "POST", "/api/v1/auth/second-factor", map[string]string{"code": e.code(secret)})
		admin.must(200, "GET", "/api/v1/t/stadt/members", nil)

		// Invite a staff member; the link carries the token in its fragment.
		var inv struct {
			ID        string `json:"id"`
			AcceptURL string `json:"accept_url"`
			State     string `json:"state"`
		}
		admin.must(201, "POST", "/api/v1/t/stadt/invitations", map[string]string{"email": "Neu@Stadt.example", "role": "staff"}).json(t, &inv)
		if inv.State != "pending" || !strings.HasPrefix(inv.AcceptURL, "https://kollab.example/invite/stadt#token=") {
			t.Fatalf("invitation: %+v", inv)
		}
		tok, _ := url.QueryUnescape(strings.SplitN(inv.AcceptURL, "#token=", 2)[1])
		guest := e.client()
		guest.ip = "198.51.100.20"
		guest.csrf()
		var info struct {
			Email         string `json:"email"`
			AccountExists bool   `json:"account_exists"`
			TOTPRequired  bool   `json:"totp_required"`
		}
		guest.must(200, "POST", "/api/v1/t/stadt/invitations/lookup", map[string]string{"token": tok}).json(t, &info)
		if info.Email != "neu@stadt.example" || info.AccountExists || info.TOTPRequired {
			t.Fatalf("lookup: %+v", info)
		}
		if code := guest.must(422, "POST", "/api/v1/t/stadt/invitations/accept", map[string]string{"token": tok, "display_name": "Neu", "password": "kurz"}).problemCode(t); code != "invalid-input" {
			t.Fatalf("weak password: %s", code)
		}
		guest.must(201, "POST", "/api/v1/t/stadt/invitations/accept", map[string]string{"token": tok, "display_name": "Neue Kollegin", "password": testPassword})
		guest.must(404, "POST", "/api/v1/t/stadt/invitations/accept", map[string]string{"token": tok, "display_name": "x", "password": testPassword})
		guest.login("neu@stadt.example", testPassword, "")
		var ti struct {
			Role string `json:"role"`
		}
		guest.must(200, "GET", "/api/v1/t/stadt", nil).json(t, &ti)
		if ti.Role != "staff" {
			t.Fatalf("role: %+v", ti)
		}
		guest.must(403, "GET", "/api/v1/t/stadt/members", nil) // staff is no admin
		guestSecret := guest.enrol()

		// The admin finds the member, changes the role, resets 2FA.
		var ml memberList
		admin.must(200, "GET", "/api/v1/t/stadt/members?q=neue&role=staff", nil).json(t, &ml)
		if len(ml.Members) != 1 || !ml.Members[0].TOTPEnabled {
			t.Fatalf("members: %+v", ml)
		}
		mid := ml.Members[0].ID
		var mv struct {
			Role string `json:"role"`
		}
		admin.must(200, "PATCH", "/api/v1/t/stadt/members/"+mid, map[string]string{"role": "committee"}).json(t, &mv)
		if mv.Role != "committee" {
			t.Fatalf("role change: %+v", mv)
		}
		admin.must(204, "POST", "/api/v1/t/stadt/members/"+mid+"/totp-reset", nil)
		guest.must(401, "GET", "/api/v1/me", nil) // its sessions ended
		guest.login("neu@stadt.example", testPassword, guestSecret)
		var gme struct {
			TOTPEnabled bool `json:"totp_enabled"`
		}
		guest.must(200, "GET", "/api/v1/me", nil).json(t, &gme)
		if gme.TOTPEnabled {
			t.Fatal("second factor survived the reset")
		}
		// Deactivated members lose the tenant.
		admin.must(200, "PATCH", "/api/v1/t/stadt/members/"+mid, map[string]string{"status": "deactivated"})
		if code := guest.must(403, "GET", "/api/v1/t/stadt", nil).problemCode(t); code != "membership-deactivated" {
			t.Fatalf("deactivated: %s", code)
		}
		// Policy: require 2FA for everyone; bad roles are refused.
		admin.must(422, "PUT", "/api/v1/t/stadt/settings", map[string]any{"require_totp_roles": []string{"chef"}})
		admin.must(200, "PUT", "/api/v1/t/stadt/settings", map[string]any{"require_totp_roles": []string{"admin", "partner"},
			"oparl": map[string]any{"public": true, "website": "https://stadt.example", "legislative_terms": []map[string]string{{"name": "2024–2029", "start": "2024-06-01"}}}})
		admin.must(422, "PUT", "/api/v1/t/stadt/settings", map[string]any{"require_totp_roles": []string{"admin"},
			"oparl": map[string]any{"public": true, "website": "javascript:alert(1)"}})
		admin.must(200, "PUT", "/api/v1/t/stadt/settings", map[string]any{"require_totp_roles": []string{"admin", "staff", "committee", "partner"}})
		var st struct {
			Roles []string `json:"require_totp_roles"`
			OParl struct {
				Public  bool   `json:"public"`
				Website string `json:"website"`
				Terms   []struct {
					Name string `json:"name"`
				} `json:"legislative_terms"`
			} `json:"oparl"`
		}
		admin.must(200, "GET", "/api/v1/t/stadt/settings", nil).json(t, &st)
		if len(st.Roles) != 4 || !st.OParl.Public || st.OParl.Website != "https://stadt.example" || len(st.OParl.Terms) != 1 {
			t.Fatalf("a policy change lost the OParl publication: %+v", st)
		}

		// The audit log shows it all, verified.
		var al struct {
			Entries []struct {
				Action   string `json:"action"`
				Verified bool   `json:"verified"`
			} `json:"entries"`
		}
		admin.must(200, "GET", "/api/v1/t/stadt/audit?limit=200", nil).json(t, &al)
		seen := map[string]bool{}
		for _, en := range al.Entries {
			seen[en.Action] = true
			if !en.Verified {
				t.Errorf("entry %s does not verify", en.Action)
			}
		}
		for _, want := range []string{"auth.totp.enabled", "auth.login.succeeded", "auth.second_factor.failed", "tenant.member.invited",
			"tenant.invitation.accepted", "tenant.member.role_changed", "auth.totp.reset", "tenant.member.deactivated", "tenant.policy.changed"} {
			if !seen[want] {
				t.Errorf("audit log lacks %s (has %v)", want, seen)
			}
		}
		var filtered struct {
			Entries []struct {
				Action string `json:"action"`
			} `json:"entries"`
		}
		admin.must(200, "GET", "/api/v1/t/stadt/audit?action=tenant.member.", nil).json(t, &filtered)
		for _, en := range filtered.Entries {
			if !strings.HasPrefix(en.Action, "tenant.member.") {
				t.Errorf("filter let through %s", en.Action)
			}
		}
		var vr struct {
			OK bool `json:"ok"`
		}
		admin.must(200, "GET", "/api/v1/t/stadt/audit/verify", nil).json(t, &vr)
		if !vr.OK {
			t.Fatal("chain does not verify")
		}
	})
}

func TestSessionsAndTokensOverHTTP(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		s := e.seedTenant("kreis")
		other := e.client()
		other.login(s.email, testPassword, s.secret)
		var ss struct {
			Sessions []struct {
				ID      string `json:"id"`
				Current bool   `json:"current"`
			} `json:"sessions"`
		}
		s.admin.must(200, "GET", "/api/v1/me/sessions", nil).json(t, &ss)
		if len(ss.Sessions) != 2 {
			t.Fatalf("sessions: %+v", ss)
		}
		for _, x := range ss.Sessions {
			if !x.Current {
				s.admin.must(204, "DELETE", "/api/v1/me/sessions/"+x.ID, nil)
			}
		}
		other.must(401, "GET", "/api/v1/me", nil)

		var tok struct {
			ID    string `json:"id"`
			Token string `json:"token"`
		}
		s.admin.reauth(testPassword, s.secret)
		s.admin.must(201, "POST", "/api/v1/me/tokens", map[string]any{"name": "Skript", "scope": "admin", "expires_at": time.Now().Add(24 * time.Hour)}).json(t, &tok)
		script := e.client()
		script.bearer = tok.Token
		script.must(200, "GET", "/api/v1/t/kreis/members", nil)
		script.must(201, "POST", "/api/v1/t/kreis/invitations", map[string]string{"email": "x@kreis.example", "role": "committee"}) // no CSRF for tokens
		script.must(403, "POST", "/api/v1/me/tokens", map[string]any{"name": "mehr"})
		script.must(403, "POST", "/api/v1/me/password", map[string]any{"current_password": testPassword, "new_password": "neu-neu-neu-neu"})
		s.admin.must(204, "DELETE", "/api/v1/me/tokens/"+tok.ID, nil)
		r := script.must(401, "GET", "/api/v1/me", nil)
		if r.header.Get("WWW-Authenticate") == "" {
			t.Fatal("401 without WWW-Authenticate")
		}
	})
}

func TestGroupsOverHTTP(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		s := e.seedTenant("gemeinde")
		c := s.admin
		var g struct {
			ID string `json:"id"`
		}
		c.must(201, "POST", "/api/v1/t/gemeinde/groups", map[string]string{"name": "Bauamt", "description": "Hochbau"}).json(t, &g)
		c.must(409, "POST", "/api/v1/t/gemeinde/groups", map[string]string{"name": "Bauamt"})
		var ml memberList
		c.must(200, "GET", "/api/v1/t/gemeinde/members", nil).json(t, &ml)
		mid := ml.Members[0].ID
		c.must(204, "PUT", "/api/v1/t/gemeinde/groups/"+g.ID+"/members/"+mid, nil)
		var gl struct {
			Groups []struct {
				MemberCount int `json:"member_count"`
			} `json:"groups"`
		}
		c.must(200, "GET", "/api/v1/t/gemeinde/groups", nil).json(t, &gl)
		if len(gl.Groups) != 1 || gl.Groups[0].MemberCount != 1 {
			t.Fatalf("groups: %+v", gl)
		}
		c.must(200, "GET", "/api/v1/t/gemeinde/groups/"+g.ID+"/members", nil).json(t, &ml)
		if len(ml.Members) != 1 || ml.Members[0].ID != mid {
			t.Fatalf("group members: %+v", ml)
		}
		c.must(204, "DELETE", "/api/v1/t/gemeinde/groups/"+g.ID+"/members/"+mid, nil)
		c.must(204, "DELETE", "/api/v1/t/gemeinde/groups/"+g.ID, nil)
		c.must(404, "DELETE", "/api/v1/t/gemeinde/groups/"+g.ID, nil)
	})
}

func TestProfileAndLocalisedProblems(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		s := e.seedTenant("bezirk")
		var me struct {
			DisplayName string `json:"display_name"`
			Locale      string `json:"locale"`
		}
		s.admin.must(200, "PATCH", "/api/v1/me", map[string]string{"display_name": "Dr. Erika Muster", "locale": "en"}).json(t, &me)
		if me.DisplayName != "Dr. Erika Muster" || me.Locale != "en" {
			t.Fatalf("profile: %+v", me)
		}
		s.admin.must(422, "PATCH", "/api/v1/me", map[string]string{"locale": "fr"})
		// Domain details in English on request.
		s.admin.lang = "en"
		var p struct {
			Detail string `json:"detail"`
			Field  string `json:"field"`
		}
		s.admin.reauth(testPassword, s.secret)
		s.admin.must(422, "POST", "/api/v1/me/password", map[string]string{"current_password": "falsch-falsch-falsch", "new_password": "x"}).json(t, &p)
		if p.Detail != "The current password is not correct." || p.Field != "current_password" {
			t.Fatalf("English detail: %+v", p)
		}
		// A stale session cookie answers session-expired, not just unauthenticated.
		stale := e.client()
		stale.cookies["kollab_session"] = "kls_abgelaufen"
		if code := stale.must(401, "GET", "/api/v1/me", nil).problemCode(t); code != "session-expired" {
			t.Fatalf("stale cookie: %s", code)
		}
		if code := e.client().must(401, "GET", "/api/v1/me", nil).problemCode(t); code != "unauthenticated" {
			t.Fatalf("no cookie: %s", code)
		}
		// The audit log can be filtered by the actor's e-mail.
		var al struct {
			Entries []struct {
				ActorLabel string `json:"actor_label"`
			} `json:"entries"`
		}
		s.admin.must(200, "GET", "/api/v1/t/bezirk/audit?actor="+strings.ToUpper(s.email), nil).json(t, &al)
		if len(al.Entries) == 0 {
			t.Fatal("no entries for the admin's e-mail")
		}
		for _, en := range al.Entries {
			if en.ActorLabel != s.email {
				t.Fatalf("filter let through %q", en.ActorLabel)
			}
		}
	})
}

// TestInvitationIntoExistingAccountIsThrottled: accepting an invitation
// into an existing account checks its password under the sign-in's
// brute-force defence, and a right password afterwards still has to wait.
func TestInvitationIntoExistingAccountIsThrottled(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		a := e.seedTenant("amt-drossel")
		ctx := t.Context()
		if _, err := e.tenants.CreateUser(ctx, "vorhanden@drossel.example", "Vorhanden", testPassword); err != nil {
			t.Fatal(err)
		}
		var inv struct {
			AcceptURL string `json:"accept_url"`
		}
		a.admin.must(201, "POST", "/api/v1/t/amt-drossel/invitations", map[string]string{"email": "vorhanden@drossel.example", "role": "staff"}).json(t, &inv)
		tok, _ := url.QueryUnescape(strings.SplitN(inv.AcceptURL, "#token=", 2)[1])
		guest := e.client()
		guest.ip = "198.51.100.77"
		guest.csrf()
		codes := map[int]int{}
		for range 8 {
			r := guest.do("POST", "/api/v1/t/amt-drossel/invitations/accept", map[string]string{"token": tok, "password": "falsch-falsch-falsch"})
			codes[r.status]++
		}
		if codes[429] == 0 || codes[401]+codes[422]+codes[429] != 8 {
			t.Fatalf("eight wrong passwords answered %v: no throttling", codes)
		}
		if r := guest.do("POST", "/api/v1/t/amt-drossel/invitations/accept", map[string]string{"token": tok, "password": testPassword}); r.status != 429 {
			t.Fatalf("the right password during the wait: %d %s", r.status, r.body)
		}
	})
}
