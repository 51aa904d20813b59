package api_test

import (
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/kollab/kollab/documents"
	"github.com/kollab/kollab/internal/db"
	"github.com/kollab/kollab/internal/db/dbtest"
	"github.com/kollab/kollab/internal/testenv"
	"github.com/kollab/kollab/tenant"
)

type folderJSON struct {
	ID            string  `json:"id"`
	ParentID      *string `json:"parent_id"`
	Name          string  `json:"name"`
	InheritACL    bool    `json:"inherit_acl"`
	RetentionDays *int    `json:"retention_days"`
	Access        string  `json:"access"`
	DeletedAt     *string `json:"deleted_at"`
}

type folderListJSON struct {
	Folders    []folderJSON `json:"folders"`
	NextCursor string       `json:"next_cursor"`
}

type docJSON struct {
	ID                string            `json:"id"`
	FolderID          string            `json:"folder_id"`
	Title             string            `json:"title"`
	Description       string            `json:"description"`
	FilePlanRef       string            `json:"file_plan_ref"`
	Tags              []string          `json:"tags"`
	Metadata          map[string]string `json:"metadata"`
	Version           int64             `json:"version"`
	CurrentRevisionID *string           `json:"current_revision_id"`
	Access            string            `json:"access"`
	Lock              *struct {
		OwnerID   string    `json:"owner_id"`
		ExpiresAt time.Time `json:"expires_at"`
	} `json:"lock"`
	LegalHold *struct {
		Reason string `json:"reason"`
	} `json:"legal_hold"`
}

type docListJSON struct {
	Documents  []docJSON `json:"documents"`
	NextCursor string    `json:"next_cursor"`
}

type aclJSON struct {
	InheritACL bool `json:"inherit_acl"`
	Entries    []struct {
		ID        string `json:"id"`
		Level     string `json:"level"`
		Inherited bool   `json:"inherited"`
		Principal struct {
			Type         string `json:"type"`
			Role         string `json:"role"`
			MembershipID string `json:"membership_id"`
		} `json:"principal"`
	} `json:"entries"`
}

type trashJSON struct {
	Items []struct {
		Kind          string    `json:"kind"`
		ID            string    `json:"id"`
		Name          string    `json:"name"`
		DeletedAt     time.Time `json:"deleted_at"`
		RetentionDays int       `json:"retention_days"`
		PurgeableAt   time.Time `json:"purgeable_at"`
		LegalHold     bool      `json:"legal_hold"`
	} `json:"items"`
	NextCursor string `json:"next_cursor"`
}

type purgeJSON struct {
	Documents []string `json:"documents"`
	Folders   []string `json:"folders"`
	More      bool     `json:"more"`
}

type testClock = testenv.Clock

// staff adds a signed-in staff member to the seeded tenant and returns the
// client and the membership id.
func (e *env) staff(s *seeded, name string) (*client, string) {
	e.t.Helper()
	ctx := e.t.Context()
	email := name + "@" + s.tenant.Slug + ".example"
	u, err := e.tenants.CreateUser(ctx, email, name, testPassword)
	if err != nil {
		e.t.Fatal(err)
	}
	m, err := e.tenants.AddMember(ctx, s.tenant.ID, u.ID, tenant.RoleStaff)
	if err != nil {
		e.t.Fatal(err)
	}
	c := e.client()
	c.login(email, testPassword, "")
	return c, m.ID.String()
}

// decode returns the JSON body of r as a fresh T (decoding into a used
// value would keep fields the new body omits).
func decode[T any](t *testing.T, r *resp) T {
	t.Helper()
	var v T
	r.json(t, &v)
	return v
}

func wantCode(t *testing.T, r *resp, status int, code string) {
	t.Helper()
	if r.status != status || r.problemCode(t) != code {
		t.Fatalf("status %d %s, want %d %s", r.status, r.body, status, code)
	}
}

// The document store through HTTP: folders and documents, pages, If-Match,
// move and copy, permissions, check-out, trash with retention, legal hold.
func TestDocumentStoreOverHTTP(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		clk := testenv.NewClock(time.Now().UTC().Truncate(time.Second))
		e := newEnv(t, d, documents.WithClock(clk.Now))
		s := e.seedTenant("amt")
		admin := s.admin
		alice, aliceID := e.staff(s, "alice")
		bob, bobID := e.staff(s, "bob")
		base := "/api/v1/t/amt"

		// Folders: only admins create roots; names are checked and unique.
		var root, sub, archive folderJSON
		admin.must(201, "POST", base+"/folders", map[string]string{"name": "Bauamt"}).json(t, &root)
		if root.ParentID != nil || root.Access != "manage" || !root.InheritACL {
			t.Fatalf("root: %+v", root)
		}
		sub = decode[folderJSON](t, admin.must(201, "POST", base+"/folders", map[string]any{"parent_id": root.ID, "name": "Anträge"}))
		if sub.ParentID == nil || *sub.ParentID != root.ID {
			t.Fatalf("subfolder: %+v", sub)
		}
		admin.must(201, "POST", base+"/folders", map[string]any{"parent_id": nil, "name": "Archiv"}).json(t, &archive)
		wantCode(t, admin.do("POST", base+"/folders", map[string]any{"parent_id": root.ID, "name": "anträge"}), 409, "conflict")
		wantCode(t, admin.do("POST", base+"/folders", map[string]string{"name": "a/b"}), 422, "invalid-input")
		wantCode(t, alice.do("POST", base+"/folders", map[string]string{"name": "Privat"}), 403, "forbidden")
		var roots folderListJSON
		roots = decode[folderListJSON](t, admin.must(200, "GET", base+"/folders", nil))
		if len(roots.Folders) != 2 || roots.Folders[0].Name != "Archiv" || roots.Folders[1].Name != "Bauamt" || roots.NextCursor != "" {
			t.Fatalf("roots: %+v", roots)
		}
		roots = decode[folderListJSON](t, admin.must(200, "GET", base+"/folders?limit=1", nil))
		if len(roots.Folders) != 1 || roots.NextCursor == "" {
			t.Fatalf("first page of roots: %+v", roots)
		}
		roots = decode[folderListJSON](t, admin.must(200, "GET", base+"/folders?limit=1&cursor="+roots.NextCursor, nil))
		if len(roots.Folders) != 1 || roots.Folders[0].Name != "Bauamt" || roots.NextCursor != "" {
			t.Fatalf("second page of roots: %+v", roots)
		}
		var children folderListJSON
		admin.must(200, "GET", base+"/folders/"+root.ID+"/children", nil).json(t, &children)
		if len(children.Folders) != 1 || children.Folders[0].ID != sub.ID {
			t.Fatalf("children: %+v", children)
		}
		sub = decode[folderJSON](t, admin.must(200, "PATCH", base+"/folders/"+sub.ID, map[string]string{"name": "Bauanträge"}))
		if sub.Name != "Bauanträge" {
			t.Fatalf("rename: %+v", sub)
		}

		// Documents: created with metadata, listed by title in pages.
		var docs []docJSON
		for _, n := range []string{"3", "1", "5", "2", "4"} {
			var dj docJSON
			r := admin.must(201, "POST", base+"/folders/"+sub.ID+"/documents", map[string]any{"title": "Antrag " + n,
				"description": "Neubau", "file_plan_ref": "63.1-" + n, "tags": []string{"bau", "antrag", "bau"},
				"metadata": map[string]string{"az": "2026-" + n, "bezirk": "Nord"}})
			r.json(t, &dj)
			if r.header.Get("ETag") != `"1"` || dj.Version != 1 || strings.Join(dj.Tags, ",") != "antrag,bau" ||
				dj.Metadata["az"] != "2026-"+n || dj.CurrentRevisionID != nil || dj.FolderID != sub.ID {
				t.Fatalf("created: %s %+v", r.header.Get("ETag"), dj)
			}
			docs = append(docs, dj)
		}
		wantCode(t, admin.do("POST", base+"/folders/"+sub.ID+"/documents", map[string]any{"title": ""}), 422, "invalid-input")
		wantCode(t, admin.do("POST", base+"/folders/"+sub.ID+"/documents", map[string]any{"title": "x", "metadata": map[string]string{"1x": "y"}}), 422, "invalid-input")
		var titles []string
		cursor := ""
		for pages := 0; ; pages++ {
			var page docListJSON
			admin.must(200, "GET", base+"/folders/"+sub.ID+"/documents?limit=2&cursor="+cursor, nil).json(t, &page)
			for _, dj := range page.Documents {
				titles = append(titles, dj.Title)
			}
			if page.NextCursor == "" {
				if pages != 2 {
					t.Fatalf("%d pages", pages+1)
				}
				break
			}
			cursor = page.NextCursor
		}
		if strings.Join(titles, ",") != "Antrag 1,Antrag 2,Antrag 3,Antrag 4,Antrag 5" {
			t.Fatalf("titles: %v", titles)
		}
		wantCode(t, admin.do("GET", base+"/folders/"+sub.ID+"/documents?cursor=kaputt", nil), 422, "invalid-input")
		wantCode(t, admin.do("GET", base+"/folders/"+sub.ID+"/documents?limit=1000", nil), 422, "invalid-input")

		// Search by every filter.
		for q, want := range map[string]int{
			"tag=bau&tag=antrag":                        5,
			"tag=bau&tag=fehlt":                         0,
			"title=" + url.QueryEscape("antrag 3"):      1,
			"file_plan_ref=63.1-":                       5,
			"file_plan_ref=63.1-4":                      1,
			"metadata[az]=2026-2&metadata[bezirk]=Nord": 1,
			"folder_id=" + sub.ID:                       5,
			"folder_id=" + root.ID:                      0,
			"folder_id=" + root.ID + "&recursive=true":  5,
		} {
			var page docListJSON
			admin.must(200, "GET", base+"/documents?"+q, nil).json(t, &page)
			if len(page.Documents) != want {
				t.Errorf("find %s: %d documents, want %d", q, len(page.Documents), want)
			}
		}
		wantCode(t, admin.do("GET", base+"/documents?recursive=true", nil), 422, "invalid-input")
		wantCode(t, admin.do("GET", base+"/documents?title="+strings.Repeat("x", 501), nil), 422, "invalid-input")

		// If-Match: required, compared, and malformed values are a bad request.
		doc := docs[0] // Antrag 3
		dpath := base + "/documents/" + doc.ID
		if r := admin.must(200, "GET", dpath, nil); r.header.Get("ETag") != `"1"` {
			t.Fatalf("ETag: %q", r.header.Get("ETag"))
		}
		wantCode(t, admin.do("PATCH", dpath, map[string]string{"title": "Antrag 3a"}), 422, "invalid-input")
		r := admin.with("If-Match", `"1"`).must(200, "PATCH", dpath, map[string]any{"title": "Antrag 3a", "tags": []string{"eilig"}})
		doc = decode[docJSON](t, r)
		if r.header.Get("ETag") != `"2"` || doc.Version != 2 || doc.Title != "Antrag 3a" || len(doc.Tags) != 1 || doc.Description != "Neubau" {
			t.Fatalf("patched: %s %+v", r.header.Get("ETag"), doc)
		}
		wantCode(t, admin.with("If-Match", `"1"`).do("PATCH", dpath, map[string]string{"title": "Verloren"}), 412, "precondition-failed")
		wantCode(t, admin.with("If-Match", `W/"2"`).do("PATCH", dpath, map[string]string{"title": "Verloren"}), 412, "precondition-failed")
		for _, bad := range []string{"abc", `"2`, `"-2"`, "2, 3", `"0"`} {
			wantCode(t, admin.with("If-Match", bad).do("PATCH", dpath, map[string]string{"title": "Verloren"}), 400, "invalid-input")
		}
		en := admin.with("If-Match", "abc")
		en.lang = "en"
		var p struct {
			Detail string `json:"detail"`
		}
		en.must(400, "PATCH", dpath, map[string]string{"title": "x"}).json(t, &p)
		if !strings.HasPrefix(p.Detail, "If-Match must hold") {
			t.Fatalf("English detail: %q", p.Detail)
		}
		doc = decode[docJSON](t, admin.with("If-Match", "2").must(200, "PATCH", dpath, map[string]string{"description": "Anbau"}))
		if doc.Version != 3 || doc.Title != "Antrag 3a" {
			t.Fatalf("bare If-Match: %+v", doc)
		}

		// Move and copy.
		wantCode(t, admin.with("If-Match", `"2"`).do("POST", dpath+"/move", map[string]string{"folder_id": archive.ID}), 412, "precondition-failed")
		doc = decode[docJSON](t, admin.with("If-Match", `"3"`).must(200, "POST", dpath+"/move", map[string]string{"folder_id": archive.ID}))
		if doc.FolderID != archive.ID || doc.Version != 4 {
			t.Fatalf("moved: %+v", doc)
		}
		var cp docJSON
		admin.must(201, "POST", dpath+"/copy", map[string]string{"folder_id": sub.ID, "title": "Antrag 3b"}).json(t, &cp)
		if cp.ID == doc.ID || cp.Version != 1 || cp.FolderID != sub.ID || cp.Description != "Anbau" {
			t.Fatalf("copy: %+v", cp)
		}
		cp = decode[docJSON](t, admin.must(201, "POST", dpath+"/copy", map[string]string{"folder_id": archive.ID}))
		if cp.Title != "Antrag 3a (Kopie)" || cp.FolderID != archive.ID {
			t.Fatalf("copy beside the original: %+v", cp)
		}
		wantCode(t, admin.do("POST", dpath+"/copy", map[string]string{"folder_id": archive.ID, "title": "antrag 3A"}), 409, "conflict")
		wantCode(t, admin.do("POST", base+"/folders/"+sub.ID+"/documents", map[string]string{"title": "Antrag 1"}), 409, "conflict")
		wantCode(t, admin.do("POST", base+"/folders/"+root.ID+"/move", map[string]string{"parent_id": sub.ID}), 409, "conflict")
		var moved, copied folderJSON
		admin.must(200, "POST", base+"/folders/"+sub.ID+"/move", map[string]string{"parent_id": archive.ID}).json(t, &moved)
		if *moved.ParentID != archive.ID {
			t.Fatalf("moved folder: %+v", moved)
		}
		admin.must(200, "POST", base+"/folders/"+sub.ID+"/move", map[string]string{"parent_id": root.ID})
		admin.must(201, "POST", base+"/folders/"+sub.ID+"/copy", map[string]any{"parent_id": archive.ID, "name": "Kopie"}).json(t, &copied)
		var copiedDocs docListJSON
		admin.must(200, "GET", base+"/folders/"+copied.ID+"/documents", nil).json(t, &copiedDocs)
		if copied.Name != "Kopie" || len(copiedDocs.Documents) != 5 {
			t.Fatalf("copied folder: %+v with %d documents", copied, len(copiedDocs.Documents))
		}
		admin.must(201, "POST", base+"/folders/"+copied.ID+"/copy", map[string]any{"parent_id": nil}) // a root, same name elsewhere

		// Permissions: without a grant a folder does not exist; read lets
		// one look, not change.
		target := docs[1] // Antrag 1, in sub
		tpath := base + "/documents/" + target.ID
		wantCode(t, alice.do("GET", base+"/folders/"+root.ID, nil), 404, "not-found")
		wantCode(t, alice.do("GET", tpath, nil), 404, "not-found")
		roots = decode[folderListJSON](t, alice.must(200, "GET", base+"/folders", nil))
		if len(roots.Folders) != 0 {
			t.Fatalf("alice sees roots: %+v", roots)
		}
		var entry struct {
			ID    string `json:"id"`
			Level string `json:"level"`
		}
		admin.must(200, "PUT", base+"/folders/"+root.ID+"/permissions", map[string]any{
			"principal": map[string]string{"type": "user", "membership_id": aliceID}, "level": "read"}).json(t, &entry)
		if entry.Level != "read" {
			t.Fatalf("entry: %+v", entry)
		}
		var fj folderJSON
		fj = decode[folderJSON](t, alice.must(200, "GET", base+"/folders/"+sub.ID, nil))
		if fj.Access != "read" {
			t.Fatalf("alice's access: %+v", fj)
		}
		var aliceDocs docListJSON
		alice.must(200, "GET", base+"/folders/"+sub.ID+"/documents", nil).json(t, &aliceDocs)
		if len(aliceDocs.Documents) != 5 {
			t.Fatalf("alice lists %d documents", len(aliceDocs.Documents))
		}
		wantCode(t, alice.with("If-Match", `"1"`).do("PATCH", tpath, map[string]string{"title": "Meins"}), 403, "forbidden")
		wantCode(t, alice.do("POST", base+"/folders/"+sub.ID+"/documents", map[string]string{"title": "Meins"}), 403, "forbidden")
		wantCode(t, alice.do("GET", base+"/folders/"+root.ID+"/permissions", nil), 403, "forbidden")
		wantCode(t, alice.do("POST", tpath+"/lock", nil), 403, "forbidden")
		wantCode(t, alice.do("PUT", base+"/folders/"+root.ID+"/permissions", map[string]any{
			"principal": map[string]string{"type": "user", "membership_id": aliceID}, "level": "manage"}), 403, "forbidden")
		wantCode(t, admin.do("PUT", base+"/folders/"+root.ID+"/permissions", map[string]any{
			"principal": map[string]string{"type": "role", "role": "staff", "membership_id": aliceID}, "level": "read"}), 422, "invalid-input")
		wantCode(t, admin.do("PUT", base+"/folders/"+root.ID+"/permissions", map[string]any{
			"principal": map[string]string{"type": "role", "role": "staff"}, "level": "owner"}), 422, "invalid-input")
		for _, m := range []string{aliceID, bobID} {
			admin.must(200, "PUT", base+"/folders/"+root.ID+"/permissions", map[string]any{
				"principal": map[string]string{"type": "user", "membership_id": m}, "level": "write"})
		}
		var acl aclJSON
		acl = decode[aclJSON](t, admin.must(200, "GET", base+"/folders/"+sub.ID+"/permissions", nil))
		if len(acl.Entries) != 2 || !acl.Entries[0].Inherited || !acl.InheritACL {
			t.Fatalf("inherited entries: %+v", acl)
		}
		wantCode(t, admin.do("DELETE", base+"/folders/"+sub.ID+"/permissions/"+acl.Entries[0].ID, nil), 409, "conflict")
		wantCode(t, admin.do("DELETE", base+"/folders/"+root.ID+"/permissions/"+copied.ID, nil), 404, "not-found")
		acl = decode[aclJSON](t, admin.must(200, "PUT", base+"/folders/"+sub.ID+"/inheritance", map[string]bool{"inherit": false, "copy_inherited": true}))
		if acl.InheritACL || len(acl.Entries) != 2 || acl.Entries[0].Inherited || acl.Entries[1].Inherited {
			t.Fatalf("after breaking inheritance: %+v", acl)
		}
		acl = decode[aclJSON](t, admin.must(200, "GET", base+"/folders/"+root.ID+"/permissions", nil))
		for _, en := range acl.Entries {
			if en.Principal.MembershipID == aliceID {
				admin.must(204, "DELETE", base+"/folders/"+root.ID+"/permissions/"+en.ID, nil)
			}
		}
		wantCode(t, alice.do("GET", base+"/folders/"+root.ID, nil), 404, "not-found")
		alice.must(200, "GET", base+"/folders/"+sub.ID, nil) // her copied entry on the subfolder stays
		acl = decode[aclJSON](t, admin.must(200, "PUT", base+"/folders/"+sub.ID+"/inheritance", map[string]bool{"inherit": true}))
		if !acl.InheritACL {
			t.Fatalf("inheritance back on: %+v", acl)
		}

		// Grants to a role and to a group.
		admin.must(200, "PUT", base+"/folders/"+archive.ID+"/permissions", map[string]any{
			"principal": map[string]string{"type": "role", "role": "staff"}, "level": "read"})
		roots = decode[folderListJSON](t, alice.must(200, "GET", base+"/folders", nil))
		// Her entry points: the archive, and the subfolder she keeps a grant
		// on below the root she no longer reads.
		if len(roots.Folders) != 2 || roots.Folders[0].ID != archive.ID || roots.Folders[0].Access != "read" || roots.Folders[1].ID != sub.ID {
			t.Fatalf("alice's roots with the staff grant: %+v", roots)
		}
		wantCode(t, alice.do("POST", base+"/folders/"+archive.ID+"/documents", map[string]string{"title": "Vermerk"}), 403, "forbidden")
		group, err := e.tenants.CreateGroup(t.Context(), tenant.Operator(s.tenant.ID), "Registratur", "")
		if err != nil {
			t.Fatal(err)
		}
		admin.must(204, "PUT", base+"/groups/"+group.ID.String()+"/members/"+aliceID, nil)
		admin.must(200, "PUT", base+"/folders/"+archive.ID+"/permissions", map[string]any{
			"principal": map[string]string{"type": "group", "group_id": group.ID.String()}, "level": "write"})
		alice.must(201, "POST", base+"/folders/"+archive.ID+"/documents", map[string]string{"title": "Vermerk"})
		wantCode(t, bob.do("POST", base+"/folders/"+archive.ID+"/documents", map[string]string{"title": "Vermerk 2"}), 403, "forbidden")

		// Check-out: bob's lock blocks alice's change until he checks in.
		var locked docJSON
		locked = decode[docJSON](t, bob.must(200, "POST", tpath+"/lock", map[string]int{"ttl_seconds": 600}))
		if locked.Lock == nil || locked.Lock.OwnerID != bobID || locked.Version != target.Version {
			t.Fatalf("locked: %+v", locked)
		}
		r = alice.with("If-Match", `"1"`).do("PATCH", tpath, map[string]string{"title": "Alice war hier"})
		wantCode(t, r, 423, "resource-locked")
		if ra := r.header.Get("Retry-After"); ra == "" || ra == "0" {
			t.Fatalf("423 without Retry-After: %v", r.header)
		}
		wantCode(t, alice.do("POST", tpath+"/lock", nil), 423, "resource-locked")
		wantCode(t, alice.do("DELETE", tpath+"/lock", nil), 423, "resource-locked")
		wantCode(t, alice.do("DELETE", tpath, nil), 423, "resource-locked")
		target = decode[docJSON](t, bob.with("If-Match", `"1"`).must(200, "PATCH", tpath, map[string]string{"title": "Antrag 1 (geprüft)"}))
		locked = decode[docJSON](t, bob.must(200, "DELETE", tpath+"/lock", nil))
		if locked.Lock != nil {
			t.Fatalf("still locked: %+v", locked)
		}
		alice.with("If-Match", `"2"`).must(200, "PATCH", tpath, map[string]string{"description": "geprüft"})
		bob.must(200, "POST", tpath+"/lock", nil)
		locked = decode[docJSON](t, admin.must(200, "DELETE", tpath+"/lock", nil)) // a manager breaks the lock
		if locked.Lock != nil {
			t.Fatalf("lock not broken: %+v", locked)
		}
		wantCode(t, bob.do("POST", tpath+"/lock", map[string]int{"ttl_seconds": -1}), 422, "invalid-input")

		// Trash, retention and purge.
		wantCode(t, bob.do("PUT", base+"/folders/"+root.ID+"/retention", map[string]any{"retention_days": 1}), 403, "forbidden")
		wantCode(t, admin.do("PUT", base+"/folders/"+root.ID+"/retention", map[string]any{"retention_days": 40000}), 422, "invalid-input")
		fj = decode[folderJSON](t, admin.must(200, "PUT", base+"/folders/"+root.ID+"/retention", map[string]any{"retention_days": 30}))
		if fj.RetentionDays == nil || *fj.RetentionDays != 30 {
			t.Fatalf("retention: %+v", fj)
		}
		wantCode(t, bob.with("If-Match", `"1"`).do("DELETE", tpath, nil), 412, "precondition-failed")
		bob.must(204, "DELETE", tpath, nil)
		wantCode(t, bob.do("GET", tpath, nil), 404, "not-found")
		var trash trashJSON
		trash = decode[trashJSON](t, bob.must(200, "GET", base+"/trash", nil))
		if len(trash.Items) != 1 || trash.Items[0].ID != target.ID || trash.Items[0].RetentionDays != 30 ||
			!trash.Items[0].PurgeableAt.Equal(trash.Items[0].DeletedAt.AddDate(0, 0, 30)) {
			t.Fatalf("trash: %+v", trash)
		}
		wantCode(t, bob.do("POST", tpath+"/purge", nil), 403, "forbidden")
		wantCode(t, admin.do("POST", tpath+"/purge", nil), 409, "conflict")
		target = decode[docJSON](t, bob.must(200, "POST", tpath+"/restore", nil))
		if target.FolderID != sub.ID {
			t.Fatalf("restored: %+v", target)
		}
		bob.must(204, "DELETE", tpath, nil)
		// A trashed folder takes its documents along and comes back with them.
		admin.must(204, "DELETE", base+"/folders/"+copied.ID, nil)
		wantCode(t, admin.do("GET", base+"/folders/"+copied.ID, nil), 404, "not-found")
		wantCode(t, admin.do("GET", base+"/documents/"+copiedDocs.Documents[0].ID, nil), 404, "not-found")
		wantCode(t, admin.do("POST", base+"/documents/"+copiedDocs.Documents[0].ID+"/restore", nil), 409, "conflict")
		admin.must(200, "POST", base+"/folders/"+copied.ID+"/restore", nil)
		admin.must(200, "GET", base+"/documents/"+copiedDocs.Documents[0].ID, nil)
		admin.must(204, "DELETE", base+"/folders/"+copied.ID, nil)
		trash = decode[trashJSON](t, admin.must(200, "GET", base+"/trash?limit=1", nil))
		if len(trash.Items) != 1 || trash.Items[0].Kind != "folder" || trash.NextCursor == "" {
			t.Fatalf("first trash page: %+v", trash)
		}
		trash = decode[trashJSON](t, admin.must(200, "GET", base+"/trash?limit=1&cursor="+trash.NextCursor, nil))
		if len(trash.Items) != 1 || trash.Items[0].Kind != "document" || trash.NextCursor != "" {
			t.Fatalf("second trash page: %+v", trash)
		}
		// The archive copy (retention 0) can go at once; the document waits 30 days.
		var purged purgeJSON
		purged = decode[purgeJSON](t, admin.must(200, "POST", base+"/trash/empty", nil))
		if len(purged.Folders) != 1 || len(purged.Documents) != 5 || purged.More {
			t.Fatalf("emptied: %+v", purged)
		}
		wantCode(t, admin.do("POST", base+"/folders/"+copied.ID+"/restore", nil), 404, "not-found")
		clk.Advance(31 * 24 * time.Hour)
		purged = decode[purgeJSON](t, admin.must(200, "POST", tpath+"/purge", nil))
		if len(purged.Documents) != 1 || purged.Documents[0] != target.ID {
			t.Fatalf("purged: %+v", purged)
		}
		trash = decode[trashJSON](t, admin.must(200, "GET", base+"/trash", nil))
		if len(trash.Items) != 0 {
			t.Fatalf("trash after purge: %+v", trash)
		}

		// Legal hold: blocks trashing and purging until lifted.
		held := docs[2] // Antrag 5
		hpath := base + "/documents/" + held.ID
		wantCode(t, bob.do("PUT", hpath+"/legal-hold", map[string]string{"reason": "Klage"}), 403, "forbidden")
		wantCode(t, admin.do("PUT", hpath+"/legal-hold", map[string]string{"reason": " "}), 422, "invalid-input")
		var hd docJSON
		hd = decode[docJSON](t, admin.must(200, "PUT", hpath+"/legal-hold", map[string]string{"reason": "Klage 3 K 12/26"}))
		if hd.LegalHold == nil || hd.LegalHold.Reason != "Klage 3 K 12/26" {
			t.Fatalf("hold: %+v", hd)
		}
		wantCode(t, bob.do("DELETE", hpath, nil), 409, "conflict")
		wantCode(t, admin.do("DELETE", base+"/folders/"+sub.ID, nil), 409, "conflict")
		hd = decode[docJSON](t, admin.must(200, "DELETE", hpath+"/legal-hold", nil))
		if hd.LegalHold != nil {
			t.Fatalf("hold not lifted: %+v", hd)
		}
		bob.must(204, "DELETE", hpath, nil)
		admin.must(200, "PUT", hpath+"/legal-hold", map[string]string{"reason": "Nachträglich"}) // a trashed document can be held, too
		clk.Advance(31 * 24 * time.Hour)
		wantCode(t, admin.do("POST", hpath+"/purge", nil), 409, "conflict")
		admin.must(200, "DELETE", hpath+"/legal-hold", nil)
		admin.must(200, "POST", hpath+"/purge", nil)

		// Everything is in the audit log.
		var al struct {
			Entries []struct {
				Action string `json:"action"`
			} `json:"entries"`
		}
		admin.must(200, "GET", base+"/audit?action=documents.&limit=200", nil).json(t, &al)
		seen := map[string]bool{}
		for _, en := range al.Entries {
			seen[en.Action] = true
		}
		for _, a := range []string{"documents.folder.created", "documents.document.updated", "documents.document.checked_out",
			"documents.document.lock_broken", "documents.folder.acl_changed", "documents.document.purged", "documents.document.legal_hold_set"} {
			if !seen[a] {
				t.Errorf("audit log lacks %s", a)
			}
		}
	})
}
