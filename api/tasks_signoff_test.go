package api_test

import (
	"encoding/base64"
	"net/url"
	"strings"
	"testing"

	"github.com/google/uuid"
	"github.com/kollab/kollab/internal/db"
	"github.com/kollab/kollab/internal/db/dbtest"
	"github.com/kollab/kollab/tasks"
	"github.com/kollab/kollab/tenant"
)

// signoffStore is what signoffObjects made: a running sign-off on the
// task of a taskStore and one on a document, both asked by the objects'
// admin of another admin of the tenant (who reads every task and the
// document without joining the workspace).
type signoffStore struct {
	admin         tenant.Actor
	signer        tenant.Actor
	onTask, onDoc *tasks.Signoff
}

func signoffObjects(t *testing.T, e *env, ts *taskStore, ds *docStore) *signoffStore {
	t.Helper()
	ctx := t.Context()
	u, err := e.tenants.CreateUser(ctx, "zeichner-"+ts.admin.TenantID.String()+"@amt.example", "Zeichnerin", testPassword)
	if err != nil {
		t.Fatal(err)
	}
	m, err := e.tenants.AddMember(ctx, ts.admin.TenantID, u.ID, tenant.RoleAdmin)
	if err != nil {
		t.Fatal(err)
	}
	ss := &signoffStore{admin: ts.admin, signer: tenant.ActorFromMembership(m)}
	in := tasks.SignoffInput{Note: "Vertraulich", Steps: []tasks.Signer{{MembershipID: &m.ID}}}
	if ss.onTask, err = e.tasks.RequestTaskSignoff(ctx, ts.admin, ts.task.ID, in); err != nil {
		t.Fatal(err)
	}
	if ss.onDoc, err = e.tasks.RequestDocumentSignoff(ctx, ds.actor, ds.doc.ID, in); err != nil {
		t.Fatal(err)
	}
	return ss
}

// unchanged fails unless both requests still run with their step pending.
func (ss *signoffStore) unchanged(t *testing.T, e *env) {
	t.Helper()
	for _, want := range []*tasks.Signoff{ss.onTask, ss.onDoc} {
		got, err := e.tasks.GetSignoff(t.Context(), ss.admin, want.ID)
		if err != nil || got.State != tasks.SignoffRunning || got.Version != want.Version || got.Steps[0].State != tasks.StepPending {
			t.Fatalf("sign-off changed: %+v %v", got, err)
		}
	}
}

// signoffBodies are the matrices' request bodies of the sign-off routes.
// The signer named is any id: the path's object decides first.
func signoffBodies() map[string]any {
	steps := []map[string]any{{"membership_id": "0190f5a0-0000-7000-8000-000000000001"}}
	return map[string]any{
		"POST /api/v1/t/{tenant}/tasks/{id}/signoffs":     map[string]any{"steps": steps},
		"POST /api/v1/t/{tenant}/documents/{id}/signoffs": map[string]any{"steps": steps},
		"POST /api/v1/t/{tenant}/signoffs/{id}/approve":   map[string]any{"comment": "Einverstanden"},
		"POST /api/v1/t/{tenant}/signoffs/{id}/return":    map[string]any{"comment": "Bitte ergänzen"},
		"POST /api/v1/t/{tenant}/signoffs/{id}/withdraw":  map[string]any{},
	}
}

type signoffJSON struct {
	ID             uuid.UUID `json:"id"`
	ObjectType     string    `json:"object_type"`
	State          string    `json:"state"`
	RevisionID     uuid.UUID `json:"revision_id"`
	RevisionNumber int       `json:"revision_number"`
	RestartedFrom  uuid.UUID `json:"restarted_from"`
	CanDecide      bool      `json:"can_decide"`
	Steps          []struct {
		Name      string `json:"name"`
		State     string `json:"state"`
		Turn      bool   `json:"turn"`
		DecidedBy string `json:"decided_by"`
	} `json:"steps"`
}

type signoffsJSON struct {
	Items []signoffJSON `json:"items"`
}

func problemDetail(t *testing.T, r *resp) string {
	t.Helper()
	var p struct {
		Detail string `json:"detail"`
	}
	r.json(t, &p)
	return p.Detail
}

// TestSignoffOverHTTP: a task's sign-off in sequence through the routes
// (the requester cannot sign: 403; out of turn: 409; a return needs a
// comment: 422), my sign-offs, withdrawal, the task's signed_off; a
// document's sign-off guards its revision: an upload and a WebDAV PUT
// answer 409, an upload with restart_signoff=true restarts the sign-off on
// the new revision, and the revision history shows what is signed off.
func TestSignoffOverHTTP(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		s := e.seedTenant("amt-mz")
		alice, _ := e.staff(s, "alice")
		bob, bobID := e.staff(s, "bob")
		carol, carolID := e.staff(s, "carol")
		base := "/api/v1/t/amt-mz"
		var ws struct {
			ID       uuid.UUID `json:"id"`
			FolderID uuid.UUID `json:"folder_id"`
		}
		alice.must(201, "POST", base+"/workspaces", map[string]any{"name": "Vergabe"}).json(t, &ws)
		alice.must(200, "PUT", base+"/workspaces/"+ws.ID.String()+"/members/"+bobID, map[string]string{"role": "member"})
		alice.must(200, "PUT", base+"/workspaces/"+ws.ID.String()+"/members/"+carolID, map[string]string{"role": "reader"})
		tk := decode[taskJSON](t, alice.must(201, "POST", base+"/workspaces/"+ws.ID.String()+"/tasks", map[string]any{"title": "Zuschlag erteilen"}))
		two := map[string]any{"mode": "sequence", "note": "Bitte bis Freitag",
			"steps": []map[string]string{{"membership_id": bobID}, {"membership_id": carolID}}}
		so := decode[signoffJSON](t, alice.must(201, "POST", base+"/tasks/"+tk.ID.String()+"/signoffs", two))
		if so.State != "running" || so.ObjectType != "task" || len(so.Steps) != 2 || !so.Steps[0].Turn || so.Steps[1].Turn || so.Steps[0].Name != "bob" {
			t.Fatalf("request: %+v", so)
		}
		alice.must(409, "POST", base+"/tasks/"+tk.ID.String()+"/signoffs", two)
		path := base + "/signoffs/" + so.ID.String()
		if r := alice.must(403, "POST", path+"/approve", map[string]any{}); !strings.Contains(problemDetail(t, r), "nicht selbst") {
			t.Fatalf("the requester's answer: %s", r.body)
		}
		if r := carol.must(409, "POST", path+"/approve", map[string]any{}); !strings.Contains(problemDetail(t, r), "noch nicht an der Reihe") {
			t.Fatalf("out of turn: %s", r.body)
		}
		bob.must(200, "POST", path+"/approve", map[string]any{"comment": "Geprüft"})
		if mine := decode[signoffsJSON](t, carol.must(200, "GET", base+"/my-signoffs", nil)); len(mine.Items) != 1 || !mine.Items[0].CanDecide {
			t.Fatalf("carol's sign-offs: %+v", mine)
		}
		carol.must(422, "POST", path+"/return", map[string]any{"comment": ""})
		back := decode[signoffJSON](t, carol.must(200, "POST", path+"/return", map[string]any{"comment": "Preisblatt fehlt"}))
		if back.State != "returned" || back.Steps[1].State != "returned" {
			t.Fatalf("returned: %+v", back)
		}
		again := decode[signoffJSON](t, alice.must(201, "POST", base+"/tasks/"+tk.ID.String()+"/signoffs", two))
		bob.must(403, "POST", base+"/signoffs/"+again.ID.String()+"/withdraw", map[string]any{})
		if w := decode[signoffJSON](t, alice.must(200, "POST", base+"/signoffs/"+again.ID.String()+"/withdraw", map[string]any{})); w.State != "withdrawn" {
			t.Fatalf("withdrawn: %+v", w)
		}
		third := decode[signoffJSON](t, alice.must(201, "POST", base+"/tasks/"+tk.ID.String()+"/signoffs", two))
		bob.must(200, "POST", base+"/signoffs/"+third.ID.String()+"/approve", map[string]any{})
		carol.must(200, "POST", base+"/signoffs/"+third.ID.String()+"/approve", map[string]any{})
		var view struct {
			SignedOff bool `json:"signed_off"`
		}
		carol.must(200, "GET", base+"/tasks/"+tk.ID.String(), nil).json(t, &view)
		if list := decode[signoffsJSON](t, carol.must(200, "GET", base+"/tasks/"+tk.ID.String()+"/signoffs", nil)); !view.SignedOff || len(list.Items) != 3 {
			t.Fatalf("signed off %v, %d requests", view.SignedOff, len(list.Items))
		}

		signoffRevisionOverHTTP(t, e, s, alice, bob, bobID, ws.FolderID)
	})
}

// signoffRevisionOverHTTP: the document part of TestSignoffOverHTTP.
func signoffRevisionOverHTTP(t *testing.T, e *env, s *seeded, alice, bob *client, bobID string, folder uuid.UUID) {
	t.Helper()
	base := "/api/v1/t/amt-mz"
	var up struct {
		Document struct {
			ID uuid.UUID `json:"id"`
		} `json:"document"`
		Revision struct {
			ID uuid.UUID `json:"id"`
		} `json:"revision"`
	}
	alice.must(201, "POST", base+"/folders/"+folder.String()+"/files?file_name=vermerk.txt", "Erste Fassung").json(t, &up)
	doc := base + "/documents/" + up.Document.ID.String()
	so := decode[signoffJSON](t, alice.must(201, "POST", doc+"/signoffs", map[string]any{"steps": []map[string]string{{"membership_id": bobID}}}))
	if so.ObjectType != "document" || so.RevisionID != up.Revision.ID || so.RevisionNumber != 1 {
		t.Fatalf("document request: %+v", so)
	}
	if r := alice.must(409, "PUT", doc+"/content?file_name=vermerk.txt", "Zweite Fassung"); !strings.Contains(problemDetail(t, r), "restart_signoff") {
		t.Fatalf("the upload's answer: %s", r.body)
	}
	alice.must(409, "POST", doc+"/revisions/"+up.Revision.ID.String()+"/restore?restart_signoff=false", map[string]any{})

	// WebDAV (the admin, who reaches the workspaces' root folder): the same refusal.
	s.admin.reauth(testPassword, s.secret)
	var tok struct {
		Token string `json:"token"`
	}
	s.admin.must(201, "POST", "/api/v1/me/tokens", map[string]any{"name": "WebDAV", "scope": "admin"}).json(t, &tok)
	d, err := e.docs.GetDocument(t.Context(), tenant.Operator(s.tenant.ID), up.Document.ID)
	if err != nil {
		t.Fatal(err)
	}
	dav := e.client().with("Authorization", "Basic "+base64.StdEncoding.EncodeToString([]byte(s.email+":"+tok.Token)))
	davPath := "/dav/amt-mz/" + url.PathEscape("Arbeitsräume") + "/Vergabe/" + url.PathEscape(d.FileName)
	if r := dav.do("PUT", davPath, "Fassung aus Word"); r.status != 409 || !strings.Contains(string(r.body), "mitgezeichnet") {
		t.Fatalf("WebDAV PUT over a sign-off: %d %s", r.status, r.body)
	}

	rev2 := alice.must(201, "PUT", doc+"/content?file_name=vermerk.txt&restart_signoff=true", "Zweite Fassung")
	list := decode[signoffsJSON](t, bob.must(200, "GET", doc+"/signoffs", nil))
	if len(list.Items) != 2 || list.Items[0].State != "running" || list.Items[0].RevisionNumber != 2 || list.Items[0].RestartedFrom != so.ID ||
		list.Items[1].State != "superseded" || !strings.Contains(string(rev2.body), list.Items[0].RevisionID.String()) {
		t.Fatalf("after the restart: %+v", list)
	}
	bob.must(200, "POST", base+"/signoffs/"+list.Items[0].ID.String()+"/approve", map[string]any{})
	var revs struct {
		Revisions []struct {
			Number    int  `json:"number"`
			SignedOff bool `json:"signed_off"`
		} `json:"revisions"`
	}
	bob.must(200, "GET", doc+"/revisions", nil).json(t, &revs)
	if len(revs.Revisions) != 2 || !revs.Revisions[0].SignedOff || revs.Revisions[1].SignedOff {
		t.Fatalf("revision history: %+v", revs)
	}
	if r := dav.do("PUT", davPath, "Fassung aus Word"); r.status != 409 {
		t.Fatalf("WebDAV PUT over a signed-off revision: %d %s", r.status, r.body)
	}
}
