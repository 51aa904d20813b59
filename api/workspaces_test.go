package api_test

import (
	"strconv"
	"testing"

	"github.com/google/uuid"
	"github.com/kollab/kollab/internal/db"
	"github.com/kollab/kollab/internal/db/dbtest"
	"github.com/kollab/kollab/tenant"
	"github.com/kollab/kollab/workspaces"
)

type workspaceJSON struct {
	ID          uuid.UUID `json:"id"`
	Name        string    `json:"name"`
	FileNumber  string    `json:"file_number"`
	StartsOn    string    `json:"starts_on"`
	State       string    `json:"state"`
	Version     int64     `json:"version"`
	MyRole      string    `json:"my_role"`
	MemberCount int64     `json:"member_count"`
	CanManage   bool      `json:"can_manage"`
	FolderID    uuid.UUID `json:"folder_id"`
}

type workspacePageJSON struct {
	Workspaces []workspaceJSON `json:"workspaces"`
	NextCursor string          `json:"next_cursor"`
}

// Workspaces over HTTP: create, members and their folder rights, If-Match,
// the lists, archive and restore, joining and leaving.
func TestWorkspacesOverHTTP(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		s := e.seedTenant("amt-ws")
		alice, _ := e.staff(s, "alice")
		bob, bobID := e.staff(s, "bob")
		carol, carolID := e.staff(s, "carol")
		base := "/api/v1/t/amt-ws/workspaces"

		r := alice.must(201, "POST", base, map[string]any{"name": "Hochwasserschutz", "purpose": "Planung mit dem Ingenieurbüro",
			"file_number": "66.1-2026/04", "starts_on": "2026-04-01", "visibility": "closed"})
		ws := decode[workspaceJSON](t, r)
		if r.header.Get("ETag") != `"1"` || ws.MyRole != "owner" || !ws.CanManage || ws.FileNumber != "66.1-2026/04" ||
			ws.StartsOn != "2026-04-01" || ws.FolderID == uuid.Nil || ws.State != "active" {
			t.Fatalf("created: %s %s", r.header.Get("ETag"), r.body)
		}
		wsPath := base + "/" + ws.ID.String()
		folderDocs := "/api/v1/t/amt-ws/folders/" + ws.FolderID.String() + "/documents"
		wantCode(t, bob.do("GET", wsPath, nil), 404, "not-found")
		wantCode(t, bob.do("POST", folderDocs, map[string]any{"title": "Vorher"}), 404, "not-found")
		wantCode(t, alice.do("POST", base, map[string]any{"name": "HOCHWASSERSCHUTZ"}), 409, "conflict")
		wantCode(t, alice.do("POST", base, map[string]any{"name": "X", "starts_on": "1. April"}), 422, "invalid-input")

		// Members: bob writes, carol reads.
		alice.must(200, "PUT", wsPath+"/members/"+bobID, map[string]string{"role": "member"})
		alice.must(200, "PUT", wsPath+"/members/"+carolID, map[string]string{"role": "reader"})
		wantCode(t, bob.do("PUT", wsPath+"/members/"+carolID, map[string]string{"role": "owner"}), 403, "forbidden")
		bob.must(201, "POST", folderDocs, map[string]any{"title": "Gutachten"})
		wantCode(t, carol.do("POST", folderDocs, map[string]any{"title": "Nein"}), 403, "forbidden")
		carol.must(200, "GET", "/api/v1/t/amt-ws/folders/"+ws.FolderID.String(), nil)
		var ms struct {
			Members []struct {
				MembershipID string `json:"membership_id"`
				Role         string `json:"role"`
			} `json:"members"`
		}
		carol.must(200, "GET", wsPath+"/members", nil).json(t, &ms)
		if len(ms.Members) != 3 {
			t.Fatalf("members: %+v", ms)
		}
		// The folder's permissions are not edited by hand.
		wantCode(t, s.admin.do("PUT", "/api/v1/t/amt-ws/folders/"+ws.FolderID.String()+"/permissions",
			map[string]any{"principal": map[string]any{"type": "role", "role": "staff"}, "level": "read"}), 409, "conflict")

		// Changes with If-Match.
		wantCode(t, alice.with("If-Match", `"7"`).do("PATCH", wsPath, map[string]string{"name": "Neu"}), 412, "precondition-failed")
		r = alice.with("If-Match", `"1"`).must(200, "PATCH", wsPath, map[string]any{"name": "Hochwasserschutz Süd", "visibility": "open", "file_number": ""})
		if up := decode[workspaceJSON](t, r); up.Version != 2 || up.Name != "Hochwasserschutz Süd" || up.FileNumber != "" || r.header.Get("ETag") != `"2"` {
			t.Fatalf("updated: %s", r.body)
		}
		wantCode(t, bob.with("If-Match", `"2"`).do("PATCH", wsPath, map[string]string{"name": "Meins"}), 403, "forbidden")
		wantCode(t, alice.do("DELETE", wsPath+"/members/"+bobID+"x", nil), 404, "not-found")

		// Lists.
		dave, _ := e.staff(s, "dave")
		alice.must(201, "POST", base, map[string]any{"name": "Abfallsatzung"})
		if p := decode[workspacePageJSON](t, alice.must(200, "GET", base+"?limit=1", nil)); len(p.Workspaces) != 1 || p.NextCursor == "" ||
			p.Workspaces[0].Name != "Abfallsatzung" {
			t.Fatalf("alice's first page: %+v", p)
		}
		if p := decode[workspacePageJSON](t, dave.must(200, "GET", base+"?scope=directory", nil)); len(p.Workspaces) != 1 || p.Workspaces[0].MyRole != "" {
			t.Fatalf("directory: %+v", p)
		}
		wantCode(t, dave.do("GET", base+"?scope=all", nil), 403, "forbidden")
		if p := decode[workspacePageJSON](t, s.admin.must(200, "GET", base+"?scope=all", nil)); len(p.Workspaces) != 2 {
			t.Fatalf("all: %+v", p)
		}
		wantCode(t, dave.do("GET", base+"?cursor=kaputt", nil), 422, "invalid-input")
		// Dave joins the open workspace and leaves it again.
		if j := decode[workspaceJSON](t, dave.must(200, "POST", wsPath+"/join", nil)); j.MyRole != "member" || j.MemberCount != 4 {
			t.Fatalf("joined: %+v", j)
		}
		dave.must(204, "POST", wsPath+"/leave", nil)
		wantCode(t, alice.do("POST", wsPath+"/leave", nil), 409, "conflict") // the last owner

		// Archive: read-only, the folder too.
		wantCode(t, bob.do("POST", wsPath+"/archive", nil), 403, "forbidden")
		r = alice.with("If-Match", `"2"`).must(200, "POST", wsPath+"/archive", nil)
		if a := decode[workspaceJSON](t, r); a.State != "archived" || a.Version != 3 {
			t.Fatalf("archived: %s", r.body)
		}
		wantCode(t, bob.do("POST", folderDocs, map[string]any{"title": "Nachtrag"}), 403, "forbidden")
		wantCode(t, alice.with("If-Match", `"3"`).do("PATCH", wsPath, map[string]string{"name": "Neu"}), 409, "conflict")
		wantCode(t, alice.do("DELETE", wsPath+"/members/"+carolID, nil), 409, "conflict")
		if p := decode[workspacePageJSON](t, bob.must(200, "GET", base+"?state=archived", nil)); len(p.Workspaces) != 1 {
			t.Fatalf("bob's archived: %+v", p)
		}
		s.admin.must(200, "POST", wsPath+"/restore", nil)
		bob.must(201, "POST", folderDocs, map[string]any{"title": "Nachtrag"})
		alice.must(204, "DELETE", wsPath+"/members/"+bobID, nil)
		bob.must(200, "GET", wsPath, nil) // open: bob still finds it in the directory
		if p := decode[workspacePageJSON](t, bob.must(200, "GET", base, nil)); len(p.Workspaces) != 0 {
			t.Fatalf("bob's after removal: %+v", p)
		}
	})
}

// workspaceStore is a workspace of one tenant for the cross-tenant matrix:
// its admin owns it, with the folder the workspace made.
type workspaceStore struct {
	admin tenant.Actor
	ws    *workspaces.Workspace
}

func workspaceObjects(t *testing.T, e *env, tenantID uuid.UUID, admin tenant.Member) *workspaceStore {
	t.Helper()
	a := tenant.Actor{TenantID: tenantID, MembershipID: admin.ID, UserID: admin.UserID, Role: admin.Role}
	ws, err := e.ws.Create(t.Context(), a, workspaces.Input{Name: "Arbeitsraum " + strconv.Itoa(len(admin.Email)), Visibility: workspaces.Open})
	if err != nil {
		t.Fatal(err)
	}
	return &workspaceStore{admin: a, ws: ws}
}

// unchanged fails unless the workspace is as workspaceObjects left it.
func (ws *workspaceStore) unchanged(t *testing.T, e *env) {
	t.Helper()
	got, err := e.ws.Get(t.Context(), ws.admin, ws.ws.ID)
	if err != nil || got.Version != ws.ws.Version || got.State != workspaces.Active || got.MemberCount != 1 {
		t.Fatalf("workspace changed: %+v %v", got, err)
	}
}
