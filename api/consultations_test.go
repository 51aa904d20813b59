package api_test

import (
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/kollab/kollab/internal/db"
	"github.com/kollab/kollab/internal/db/dbtest"
	"github.com/kollab/kollab/tenant"
	"github.com/kollab/kollab/workspaces/consultations"
)

type consultationJSON struct {
	ID        string    `json:"id"`
	State     string    `json:"state"`
	Accepting bool      `json:"accepting"`
	Deadline  time.Time `json:"deadline"`
	RemindAt  time.Time `json:"remind_at"`
	FolderID  string    `json:"folder_id"`
	Version   int64     `json:"version"`
	CanManage bool      `json:"can_manage"`
	Documents []struct {
		DocumentID string `json:"document_id"`
		RevisionID string `json:"revision_id"`
	} `json:"documents"`
	Invitees []struct {
		OrganisationID string `json:"organisation_id"`
		Versions       int    `json:"versions"`
		RemindedAt     *time.Time
	} `json:"invitees"`
}

type statementJSON struct {
	ID             string `json:"id"`
	OrganisationID string `json:"organisation_id"`
	Versions       int    `json:"versions"`
	Latest         *struct {
		Number             int      `json:"number"`
		Body               string   `json:"body"`
		Answers            []string `json:"answers"`
		Channel            string   `json:"channel"`
		AuthorName         string   `json:"author_name"`
		ImportedRevisionID string   `json:"imported_revision_id"`
		Files              []struct {
			RevisionID string `json:"revision_id"`
		} `json:"files"`
	} `json:"latest"`
	Draft *struct {
		Body string `json:"body"`
	} `json:"draft"`
	ImportedDocumentID string `json:"imported_document_id"`
}

type notificationsJSON struct {
	Items []struct {
		Kind  string `json:"kind"`
		Title string `json:"title"`
	} `json:"items"`
}

// consultationGuest adds a signed-in guest of organisation org (TOTP enrolled) to the
// workspace with role.
func (e *env) consultationGuest(s *seeded, owner *client, wsID, org, name, role string) (*client, string) {
	e.t.Helper()
	c, id := e.person(s, name, tenant.RolePartner)
	c.enrol()
	if err := e.db.Tenant(e.t.Context(), s.tenant.ID, func(tx *db.Tx) error {
		return tx.Exec("UPDATE guests SET organisation_id = ? WHERE tenant_id = @tenant AND membership_id = ?", org, id).Error
	}); err != nil {
		e.t.Fatal(err)
	}
	owner.must(200, "PUT", "/api/v1/t/"+s.tenant.Slug+"/workspaces/"+wsID+"/members/"+id, map[string]string{"role": role})
	return c, id
}

// Consultation end to end over HTTP: two organisations, one answers, one is
// reminded, the deadline passes, the synopsis is filed, statements are
// imported with provenance.
func TestConsultationEndToEnd(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		s := e.seedTenant("amt-bet")
		const base = "/api/v1/t/amt-bet"
		alice, _ := e.staff(s, "alice")
		bob, bobID := e.staff(s, "bob")
		dave, _ := e.staff(s, "dave")
		var ws workspaceJSON
		alice.must(201, "POST", base+"/workspaces", map[string]any{"name": "Hochwasserschutz"}).json(t, &ws)
		wsPath := base + "/workspaces/" + ws.ID.String()
		alice.must(200, "PUT", wsPath+"/members/"+bobID, map[string]string{"role": "member"})
		var o1, o2, o3 struct{ ID string }
		s.admin.must(201, "POST", base+"/organisations", map[string]string{"name": "Ingenieurbüro Süd"}).json(t, &o1)
		s.admin.must(201, "POST", base+"/organisations", map[string]string{"name": "Naturschutzbund"}).json(t, &o2)
		s.admin.must(201, "POST", base+"/organisations", map[string]string{"name": "Wasserverband"}).json(t, &o3)
		g1, _ := e.consultationGuest(s, alice, ws.ID.String(), o1.ID, "gerda", "member")
		g2, _ := e.consultationGuest(s, alice, ws.ID.String(), o2.ID, "gustav", "reader")
		g3, _ := e.consultationGuest(s, alice, ws.ID.String(), o3.ID, "greta", "member")
		var plan revisionBody
		alice.must(201, "POST", base+"/folders/"+ws.FolderID.String()+"/files?file_name=Plan.txt", "Planentwurf 1").json(t, &plan)

		// Staff prepare and open the consultation.
		deadline := time.Now().UTC().Add(10 * 24 * time.Hour).Truncate(time.Second)
		var c consultationJSON
		alice.must(201, "POST", wsPath+"/consultations", map[string]any{"subject": "Deichsanierung Süd", "deadline": deadline,
			"questions": []string{"Bestehen Bedenken?", "Welche Auflagen schlagen Sie vor?"}, "organisations": []string{o1.ID, o2.ID},
			"documents": []string{plan.Document.ID}}).json(t, &c)
		cPath := base + "/consultations/" + c.ID
		if c.State != "draft" || len(c.Documents) != 1 || len(c.Invitees) != 2 || c.FolderID == "" {
			t.Fatalf("created: %+v", c)
		}
		wantCode(t, g1.do("GET", cPath, nil), 404, "not-found") // a draft
		c = decode[consultationJSON](t, bob.must(200, "POST", cPath+"/open", map[string]string{}))
		if c.State != "open" || !c.Accepting || !c.RemindAt.Equal(consultations.RemindAt(deadline)) {
			t.Fatalf("opened: %+v", c)
		}
		for _, who := range []*client{dave, g3} {
			wantCode(t, who.do("GET", cPath, nil), 404, "not-found")
			wantCode(t, who.do("GET", cPath+"/statements", nil), 404, "not-found")
		}
		wantCode(t, g2.do("POST", cPath+"/close", map[string]string{}), 403, "forbidden")
		// The frozen document stays what guests read after it changes.
		alice.must(201, "PUT", base+"/documents/"+plan.Document.ID+"/content?file_name=Plan.txt", "Planentwurf 2")
		filePath := cPath + "/files/" + c.Documents[0].RevisionID + "/content"
		if r := g2.must(200, "GET", filePath, nil); string(r.body) != "Planentwurf 1" {
			t.Fatalf("frozen revision: %q", r.body)
		}

		// Organisation 1 answers: a file in the consultation's folder, a draft, submit.
		var att revisionBody
		g1.must(201, "POST", base+"/folders/"+c.FolderID+"/files?file_name="+url.QueryEscape("Gutachten.txt"), "Gutachten Büro Süd").json(t, &att)
		var st statementJSON
		g1.must(200, "PUT", cPath+"/statements", map[string]any{"body": "Wir stimmen grundsätzlich zu.",
			"answers": []string{"Keine", "Lärmschutz während der Bauzeit"}, "files": []string{att.Document.ID}}).json(t, &st)
		if st.Draft == nil || st.Versions != 0 {
			t.Fatalf("draft: %+v", st)
		}
		if l := decode[struct{ Statements []statementJSON }](t, alice.must(200, "GET", cPath+"/statements", nil)); len(l.Statements) != 0 {
			t.Fatalf("staff see a draft: %+v", l)
		}
		st = decode[statementJSON](t, g1.must(200, "POST", cPath+"/statements/submit", map[string]string{}))
		if st.Versions != 1 || st.Latest == nil || st.Latest.Channel != "online" || st.Draft != nil {
			t.Fatalf("submitted: %+v", st)
		}
		// g2 (organisation 2) sees neither organisation 1's statement nor its file.
		if l := decode[struct{ Statements []statementJSON }](t, g2.must(200, "GET", cPath+"/statements", nil)); len(l.Statements) != 0 {
			t.Fatalf("g2 sees: %+v", l)
		}
		wantCode(t, g2.do("GET", cPath+"/files/"+st.Latest.Files[0].RevisionID+"/content", nil), 404, "not-found")
		wantCode(t, g2.do("GET", cPath+"/statements/"+st.ID+"/versions", nil), 404, "not-found")
		if r := bob.must(200, "GET", cPath+"/files/"+st.Latest.Files[0].RevisionID+"/content", nil); string(r.body) != "Gutachten Büro Süd" {
			t.Fatalf("bob reads the file: %q", r.body)
		}
		// Alice is told; the cockpit shows what is open.
		if _, err := e.notify.Dispatch(t.Context()); err != nil {
			t.Fatal(err)
		}
		if n := decode[notificationsJSON](t, alice.must(200, "GET", base+"/notifications", nil)); !hasNotification(n, "consultation.statement", "Deichsanierung Süd") {
			t.Fatalf("alice's notifications: %+v", n)
		}
		var ck struct {
			Consultations []struct {
				ID       string `json:"id"`
				Invited  int    `json:"invited"`
				Answered int    `json:"answered"`
			} `json:"consultations"`
		}
		g2.must(200, "GET", base+"/cockpit", nil).json(t, &ck)
		if len(ck.Consultations) != 1 || ck.Consultations[0].ID != c.ID || ck.Consultations[0].Answered != 0 {
			t.Fatalf("g2's cockpit: %+v", ck)
		}
		alice.must(200, "GET", base+"/cockpit", nil).json(t, &ck)
		if len(ck.Consultations) != 1 || ck.Consultations[0].Invited != 2 || ck.Consultations[0].Answered != 1 {
			t.Fatalf("alice's cockpit: %+v", ck)
		}

		// Organisation 2 is reminded: by hand, and automatically 3 working days before the deadline.
		var rem struct{ Organisations, People int }
		bob.must(200, "POST", cPath+"/remind", map[string]string{}).json(t, &rem)
		if rem.Organisations != 1 || rem.People != 1 {
			t.Fatalf("reminded: %+v", rem)
		}
		if rep, err := e.consult.RemindDue(t.Context(), c.RemindAt); err != nil || rep.Consultations != 1 || rep.People != 1 {
			t.Fatalf("automatic reminder: %+v %v", rep, err)
		}
		if _, err := e.notify.Dispatch(t.Context()); err != nil {
			t.Fatal(err)
		}
		n := decode[notificationsJSON](t, g2.must(200, "GET", base+"/notifications", nil))
		if countKind(n, "consultation.ending") != 2 || !hasNotification(n, "consultation.ending", "Deichsanierung Süd") ||
			!hasNotification(n, "consultation.opened", "Deichsanierung Süd") {
			t.Fatalf("g2's notifications: %+v", n)
		}
		if n := decode[notificationsJSON](t, g3.must(200, "GET", base+"/notifications", nil)); hasNotification(n, "consultation.", "") {
			t.Fatalf("g3, whose organisation is not invited, was told: %+v", n)
		}
		if n := decode[notificationsJSON](t, g1.must(200, "GET", base+"/notifications", nil)); hasNotification(n, "consultation.ending", "") {
			t.Fatalf("g1, who answered, was reminded: %+v", n)
		}

		// The deadline passes: no more statements (409 with a reason).
		e.consult.SetClock(func() time.Time { return db.Now().Add(11 * 24 * time.Hour) })
		t.Cleanup(func() { e.consult.SetClock(db.Now) })
		r := g2.do("PUT", cPath+"/statements", map[string]any{"body": "Zu spät"})
		wantCode(t, r, 409, "conflict")
		if !strings.Contains(string(r.body), "Frist") {
			t.Fatalf("no reason: %s", r.body)
		}
		wantCode(t, g1.do("POST", cPath+"/statements/submit", map[string]string{}), 409, "conflict")
		c = decode[consultationJSON](t, alice.must(200, "POST", cPath+"/close", map[string]string{}))
		if c.State != "closed" || c.CanManage {
			t.Fatalf("closed: %+v", c)
		}

		// The synopsis is filed into the consultation's folder.
		var syn struct {
			PDF string `json:"pdf_document_id"`
			ODT string `json:"odt_document_id"`
		}
		alice.must(200, "POST", cPath+"/synopsis", map[string]string{}).json(t, &syn)
		for _, id := range []string{syn.PDF, syn.ODT} {
			if doc := decode[docJSON](t, alice.must(200, "GET", base+"/documents/"+id, nil)); doc.FolderID != c.FolderID {
				t.Fatalf("synopsis filed in %s, want %s", doc.FolderID, c.FolderID)
			}
		}
		if r := alice.must(200, "GET", base+"/documents/"+syn.PDF+"/content", nil); !strings.HasPrefix(string(r.body), "%PDF-") {
			t.Fatalf("synopsis: %.20q", r.body)
		}
		if r := alice.must(200, "GET", base+"/documents/"+syn.ODT+"/content", nil); !strings.Contains(string(r.body[:80]), "opendocument.text") {
			t.Fatalf("synopsis ODT: %.80q", r.body)
		}

		// The statements are imported with their provenance.
		var imp struct {
			Statements int      `json:"statements"`
			Documents  []string `json:"documents"`
		}
		wantCode(t, g1.do("POST", cPath+"/import", map[string]string{}), 403, "forbidden")
		alice.must(200, "POST", cPath+"/import", map[string]string{}).json(t, &imp)
		if imp.Statements != 1 || len(imp.Documents) != 1 {
			t.Fatalf("imported: %+v", imp)
		}
		doc := decode[docJSON](t, alice.must(200, "GET", base+"/documents/"+imp.Documents[0], nil))
		if doc.FolderID != c.FolderID || doc.Metadata["organisation_id"] != o1.ID || doc.Metadata["consultation_id"] != c.ID ||
			doc.Metadata["organisation"] != "Ingenieurbüro Süd" {
			t.Fatalf("imported document: %+v", doc)
		}
		var revs struct {
			Revisions []struct {
				ID      string `json:"id"`
				Comment string `json:"comment"`
			} `json:"revisions"`
		}
		alice.must(200, "GET", base+"/documents/"+doc.ID+"/revisions", nil).json(t, &revs)
		if len(revs.Revisions) != 1 {
			t.Fatalf("revisions: %+v", revs)
		}
		for _, want := range []string{"Ingenieurbüro Süd", "gerda", "Deichsanierung Süd", c.ID, "online eingereicht"} {
			if !strings.Contains(revs.Revisions[0].Comment, want) {
				t.Errorf("provenance %q lacks %q", revs.Revisions[0].Comment, want)
			}
		}
		if r := alice.must(200, "GET", base+"/documents/"+doc.ID+"/content", nil); !strings.Contains(string(r.body), "Lärmschutz während der Bauzeit") {
			t.Fatalf("imported text: %s", r.body)
		}
		l := decode[struct{ Statements []statementJSON }](t, bob.must(200, "GET", cPath+"/statements", nil))
		if len(l.Statements) != 1 || l.Statements[0].ImportedDocumentID != doc.ID || l.Statements[0].Latest.ImportedRevisionID != revs.Revisions[0].ID {
			t.Fatalf("statement after import: %+v", l)
		}
		if again := decode[struct{ Statements int }](t, alice.must(200, "POST", cPath+"/import", map[string]string{})); again.Statements != 0 {
			t.Fatalf("imported twice: %+v", again)
		}
	})
}

// hasNotification reports a notification whose kind starts with kind and whose title holds title.
func hasNotification(n notificationsJSON, kind, title string) bool {
	for _, it := range n.Items {
		if strings.HasPrefix(it.Kind, kind) && strings.Contains(it.Title, title) {
			return true
		}
	}
	return false
}

func countKind(n notificationsJSON, kind string) int {
	c := 0
	for _, it := range n.Items {
		if it.Kind == kind {
			c++
		}
	}
	return c
}

// consultationStore is a consultation of one tenant for the cross-tenant
// matrix: open, in the tenant's workspace, inviting its organisation, with
// a statement received by post.
type consultationStore struct {
	admin tenant.Actor
	c     *consultations.Consultation
	st    *consultations.Statement
}

func consultationObjects(t *testing.T, e *env, ws *workspaceStore, ab *addressBook) *consultationStore {
	t.Helper()
	svc := e.consult
	c, err := svc.Create(t.Context(), ws.admin, ws.ws.ID, consultations.Input{Subject: "Beteiligung", Questions: []string{"Bedenken?"},
		Deadline: time.Now().Add(30 * 24 * time.Hour), Organisations: []uuid.UUID{ab.org.ID}})
	if err != nil {
		t.Fatal(err)
	}
	if c, err = svc.Open(t.Context(), ws.admin, c.ID); err != nil {
		t.Fatal(err)
	}
	st, err := svc.RecordPostal(t.Context(), ws.admin, c.ID, ab.org.ID, consultations.StatementInput{Body: "Brief", ReceivedAt: time.Now().Add(-time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	return &consultationStore{admin: ws.admin, c: c, st: st}
}

// unchanged fails unless the consultation is as consultationObjects left it.
func (cs *consultationStore) unchanged(t *testing.T, e *env) {
	t.Helper()
	got, err := e.consult.Get(t.Context(), cs.admin, cs.c.ID)
	if err != nil || got.Version != cs.c.Version || got.State != consultations.Open || got.SynopsisPDFID != nil || len(got.Invitees) != 1 {
		t.Fatalf("consultation changed: %+v %v", got, err)
	}
	sts, err := e.consult.Statements(t.Context(), cs.admin, cs.c.ID)
	if err != nil || len(sts) != 1 || sts[0].Versions != 1 || sts[0].ImportedDocumentID != nil {
		t.Fatalf("statements changed: %+v %v", sts, err)
	}
}

// consultationBodies are the matrix's request bodies of the consultation routes.
func consultationBodies(org uuid.UUID, soon time.Time) map[string]any {
	return map[string]any{
		"POST /api/v1/t/{tenant}/workspaces/{id}/consultations":        map[string]any{"subject": "Neu", "deadline": soon.Add(72 * time.Hour)},
		"PATCH /api/v1/t/{tenant}/consultations/{id}":                  map[string]string{"subject": "Neu"},
		"POST /api/v1/t/{tenant}/consultations/{id}/open":              map[string]string{},
		"POST /api/v1/t/{tenant}/consultations/{id}/close":             map[string]string{},
		"POST /api/v1/t/{tenant}/consultations/{id}/remind":            map[string]string{},
		"POST /api/v1/t/{tenant}/consultations/{id}/synopsis":          map[string]string{},
		"POST /api/v1/t/{tenant}/consultations/{id}/import":            map[string]string{},
		"PUT /api/v1/t/{tenant}/consultations/{id}/statements":         map[string]string{"body": "Neu"},
		"POST /api/v1/t/{tenant}/consultations/{id}/statements/submit": map[string]string{},
		"POST /api/v1/t/{tenant}/consultations/{id}/statements/postal": map[string]any{"organisation_id": org, "body": "Brief"},
	}
}
