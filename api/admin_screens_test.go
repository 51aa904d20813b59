package api_test

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kollab/kollab/api"
	"github.com/kollab/kollab/internal/db"
	"github.com/kollab/kollab/internal/db/dbtest"
	"github.com/kollab/kollab/tenant"
)

type groupJSON struct {
	ID          string `json:"id"`
	Name        string `json:"name"`
	Description string `json:"description"`
	MemberCount int    `json:"member_count"`
	GrantCount  *int   `json:"grant_count"`
}

// The groups page's API: create, rename (names compared regardless of case
// and Unicode form), the count of folder permissions a deletion removes,
// members paged and searched; admins only, another tenant's group 404.
func TestGroupAdministration(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		s, other := e.seedTenant("gruppen-a"), e.seedTenant("gruppen-b")
		c := s.admin
		base := "/api/v1/t/gruppen-a/groups"
		g := decode[groupJSON](t, c.must(201, "POST", base, map[string]string{"name": "Bauamt Süd", "description": "Hochbau"}))
		wantCode(t, c.do("POST", base, map[string]string{"name": "BAUAMT SU\u0308D"}), 409, "conflict")
		k := decode[groupJSON](t, c.must(201, "POST", base, map[string]string{"name": "Kämmerei"}))
		wantCode(t, c.do("PATCH", base+"/"+k.ID, map[string]string{"name": "bauamt süd"}), 409, "conflict")
		wantCode(t, c.do("PATCH", base+"/"+k.ID, map[string]string{}), 422, "invalid-input")
		renamed := decode[groupJSON](t, c.must(200, "PATCH", base+"/"+k.ID, map[string]string{"name": "Finanzen"}))
		if renamed.Name != "Finanzen" || renamed.ID != k.ID {
			t.Fatalf("renamed: %+v", renamed)
		}

		// Three staff in the group, a folder permission granted to it.
		var mids []string
		for _, n := range []string{"anna", "bert", "cora"} {
			_, mid := e.staff(s, n)
			c.must(204, "PUT", base+"/"+g.ID+"/members/"+mid, nil)
			mids = append(mids, mid)
		}
		f := decode[folderJSON](t, c.must(201, "POST", "/api/v1/t/gruppen-a/folders", map[string]any{"name": "Bauakten"}))
		c.must(200, "PUT", "/api/v1/t/gruppen-a/folders/"+f.ID+"/permissions",
			map[string]any{"principal": map[string]string{"type": "group", "group_id": g.ID}, "level": "write"})
		got := decode[groupJSON](t, c.must(200, "GET", base+"/"+g.ID, nil))
		if got.MemberCount != 3 || got.GrantCount == nil || *got.GrantCount != 1 || got.Description != "Hochbau" {
			t.Fatalf("group detail: %+v", got)
		}
		type pagedMembers struct {
			memberList
			Total int `json:"total"`
		}
		page := decode[pagedMembers](t, c.must(200, "GET", base+"/"+g.ID+"/members?limit=2", nil))
		if len(page.Members) != 2 || page.NextCursor == nil || page.Total != 3 {
			t.Fatalf("first page of members: %+v", page)
		}
		page2 := decode[memberList](t, c.must(200, "GET", base+"/"+g.ID+"/members?limit=2&cursor="+*page.NextCursor, nil))
		if len(page2.Members) != 1 || page2.NextCursor != nil {
			t.Fatalf("second page: %+v", page2)
		}
		if found := decode[memberList](t, c.must(200, "GET", base+"/"+g.ID+"/members?q=bert", nil)); len(found.Members) != 1 || found.Members[0].ID != mids[1] {
			t.Fatalf("search in the group: %+v", found)
		}

		// Another tenant's admin and a staff member get nowhere.
		for _, p := range []struct{ method, path string }{{"GET", base + "/" + g.ID}, {"PATCH", base + "/" + g.ID},
			{"DELETE", base + "/" + g.ID}, {"GET", base + "/" + g.ID + "/members"}, {"PUT", base + "/" + g.ID + "/members/" + mids[0]}} {
			path := strings.Replace(p.path, "gruppen-a", "gruppen-b", 1)
			if r := other.admin.do(p.method, path, map[string]string{"name": "X"}); r.status != 404 {
				t.Errorf("%s %s from tenant B: %d %s", p.method, path, r.status, r.body)
			}
		}
		staff, _ := e.staff(s, "dora")
		wantCode(t, staff.do("GET", base+"/"+g.ID, nil), 403, "forbidden")
		wantCode(t, staff.do("PATCH", base+"/"+g.ID, map[string]string{"name": "X"}), 403, "forbidden")

		// Deleting removes the permission; the folder stays.
		c.must(204, "DELETE", base+"/"+g.ID, nil)
		var acl struct {
			Entries []struct {
				Principal struct {
					Type string `json:"type"`
				} `json:"principal"`
			} `json:"entries"`
		}
		c.must(200, "GET", "/api/v1/t/gruppen-a/folders/"+f.ID+"/permissions", nil).json(t, &acl)
		for _, en := range acl.Entries {
			if en.Principal.Type == "group" {
				t.Fatalf("the deleted group's permission is left: %+v", acl)
			}
		}
		c.must(404, "GET", base+"/"+g.ID+"/members", nil)
	})
}

// The usage screen's figures (admins only) and a folder's retention (any
// reader; only admins may change it).
func TestStorageAndRetentionOverHTTP(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		s := e.seedTenant("speicher")
		c := s.admin
		if err := e.docs.SetQuota(context.Background(), s.tenant.ID, new(int64(1<<30))); err != nil {
			t.Fatal(err)
		}
		f := decode[folderJSON](t, c.must(201, "POST", "/api/v1/t/speicher/folders", map[string]any{"name": "Akten"}))
		sub := decode[folderJSON](t, c.must(201, "POST", "/api/v1/t/speicher/folders", map[string]any{"name": "Bau", "parent_id": f.ID}))
		c.must(200, "PUT", "/api/v1/t/speicher/folders/"+f.ID+"/retention", map[string]any{"retention_days": 365})
		var st struct {
			UsedBytes  int64  `json:"used_bytes"`
			QuotaBytes *int64 `json:"quota_bytes"`
			Documents  int64  `json:"documents"`
			Revisions  int64  `json:"revisions"`
			TrashBytes int64  `json:"trash_bytes"`
		}
		c.must(200, "GET", "/api/v1/t/speicher/storage", nil).json(t, &st)
		if st.QuotaBytes == nil || *st.QuotaBytes != 1<<30 || st.UsedBytes != 0 || st.Documents != 0 {
			t.Fatalf("storage: %+v", st)
		}
		staff, mid := e.staff(s, "erik")
		wantCode(t, staff.do("GET", "/api/v1/t/speicher/storage", nil), 403, "forbidden")
		c.must(200, "PUT", "/api/v1/t/speicher/folders/"+sub.ID+"/permissions",
			map[string]any{"principal": map[string]string{"type": "user", "membership_id": mid}, "level": "manage"})
		var ret struct {
			Own        *int   `json:"own_days"`
			Effective  int    `json:"effective_days"`
			SourceID   string `json:"source_folder_id"`
			SourceName string `json:"source_folder_name"`
			CanChange  bool   `json:"can_change"`
		}
		staff.must(200, "GET", "/api/v1/t/speicher/folders/"+sub.ID+"/retention", nil).json(t, &ret)
		if ret.Own != nil || ret.Effective != 365 || ret.SourceID != f.ID || ret.SourceName != "" || ret.CanChange {
			t.Fatalf("retention as a manager of the subfolder: %+v", ret)
		}
		wantCode(t, staff.do("PUT", "/api/v1/t/speicher/folders/"+sub.ID+"/retention", map[string]any{"retention_days": 1}), 403, "forbidden")
		c.must(200, "GET", "/api/v1/t/speicher/folders/"+sub.ID+"/retention", nil).json(t, &ret)
		if ret.SourceName != "Akten" || !ret.CanChange {
			t.Fatalf("retention as admin: %+v", ret)
		}
		other := e.seedTenant("speicher-b")
		other.admin.must(404, "GET", "/api/v1/t/speicher-b/folders/"+sub.ID+"/retention", nil)
	})
}

type capturedInvitations struct {
	mu   sync.Mutex
	sent []tenant.InvitationMail
}

func (m *capturedInvitations) SendInvitation(_ context.Context, inv tenant.InvitationMail) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.sent = append(m.sent, inv)
	return nil
}

// A member who chose English (PATCH /me, as the web app's language switch
// does) gets English mail: invited to another tenant, the invitation is
// written in English. An address without an account gets the tenant's
// default language, German unless the admin chose English.
func TestMailFollowsMemberLanguage(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		mails := &capturedInvitations{}
		e.srv = api.New(api.Config{PublicURL: "https://kollab.example", SecureCookies: true, SessionAbsolute: 12 * time.Hour},
			api.Deps{Database: d, Tenants: e.tenants, Auth: e.auth, Documents: e.docs, Committees: e.comm, Mailer: mails})
		home, inviter := e.seedTenant("sprache-a"), e.seedTenant("sprache-b")
		var me struct {
			Locale string `json:"locale"`
		}
		home.admin.must(200, "PATCH", "/api/v1/me", map[string]string{"locale": "en"}).json(t, &me)
		if me.Locale != "en" {
			t.Fatalf("PATCH /me: %+v", me)
		}
		// Another browser signs in: /me says English.
		fresh := e.client()
		fresh.login(home.email, testPassword, home.secret)
		fresh.must(200, "GET", "/api/v1/me", nil).json(t, &me)
		if me.Locale != "en" {
			t.Fatalf("/me in another browser: %+v", me)
		}
		wantCode(t, home.admin.do("PATCH", "/api/v1/me", map[string]string{"locale": "fr"}), 422, "invalid-input")

		invite := func(email string) tenant.InvitationMail {
			t.Helper()
			inviter.admin.must(201, "POST", "/api/v1/t/sprache-b/invitations", map[string]string{"email": email, "role": "staff"})
			mails.mu.Lock()
			defer mails.mu.Unlock()
			return mails.sent[len(mails.sent)-1]
		}
		m := invite(home.email)
		subject, body := tenant.InvitationText("https://kollab.example", m)
		if m.Locale != "en" || subject != "Invitation to Amt sprache-b (Kollab)" || !strings.Contains(body, "invites you to join") || strings.Contains(body, "Guten Tag") {
			t.Fatalf("invitation to an English-speaking member (%s): %s\n%s", m.Locale, subject, body)
		}
		if m := invite("neu@sprache.example"); m.Locale != "de" {
			t.Fatalf("no account, German tenant: %q", m.Locale)
		}
		var set struct {
			Language string `json:"language"`
		}
		inviter.admin.must(200, "PUT", "/api/v1/t/sprache-b/settings", map[string]any{"require_totp_roles": []string{"admin"}, "language": "en"}).json(t, &set)
		if set.Language != "en" {
			t.Fatalf("settings: %+v", set)
		}
		// A PUT without language leaves it.
		inviter.admin.must(200, "PUT", "/api/v1/t/sprache-b/settings", map[string]any{"require_totp_roles": []string{"admin"}}).json(t, &set)
		if set.Language != "en" {
			t.Fatalf("language dropped by a PUT without it: %+v", set)
		}
		if m := invite("noch-neu@sprache.example"); m.Locale != "en" {
			t.Fatalf("no account, English tenant: %q", m.Locale)
		}
		if m := invite(inviter.email + ".x"); m.Locale != "en" {
			t.Fatalf("unknown address: %q", m.Locale)
		}
	})
}
