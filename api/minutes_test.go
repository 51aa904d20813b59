package api_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/kollab/kollab/documents"
	"github.com/kollab/kollab/documents/extract"
	"github.com/kollab/kollab/internal/db"
	"github.com/kollab/kollab/internal/db/dbtest"
	"github.com/kollab/kollab/meetings"
	"github.com/kollab/kollab/meetings/render"
	"github.com/kollab/kollab/tenant"
)

// minutesActor is a tenant member as the services know them.
func minutesActor(t *testing.T, e *env, tenantID uuid.UUID, membershipID string) tenant.Actor {
	t.Helper()
	m, err := e.tenants.Member(t.Context(), tenant.Operator(tenantID), uuid.MustParse(membershipID))
	if err != nil {
		t.Fatal(err)
	}
	return tenant.Actor{TenantID: tenantID, MembershipID: m.ID, UserID: m.UserID, Role: m.Role}
}

// minutesRecord is a closed meeting of the committee "Ausschuss für
// Straßen und Grünflächen": a public item with a named poll, a non-public
// item with a secret poll, and a folder the chair (staff) may file into.
type minutesRecord struct {
	chair, secretary, member *client
	meeting                  uuid.UUID
	public, nonPublic        uuid.UUID
	folder                   uuid.UUID
}

func newMinutesRecord(t *testing.T, e *env, s *seeded) *minutesRecord {
	t.Helper()
	ctx := t.Context()
	svc := meetings.NewService(e.db, e.docs, render.Renderer{})
	admin := minutesActor(t, e, s.tenant.ID, adminMembership(t, e, s))
	r := &minutesRecord{}
	var chairID, secID, memberID string
	r.chair, chairID = e.staff(s, "vorsitz")
	r.secretary, secID = e.staff(s, "schriftfuehrung")
	r.member, memberID = e.staff(s, "mitglied")
	chair, sec, mem := minutesActor(t, e, s.tenant.ID, chairID), minutesActor(t, e, s.tenant.ID, secID), minutesActor(t, e, s.tenant.ID, memberID)
	check := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	c, err := svc.CreateCommittee(ctx, admin, meetings.CommitteeInput{Name: "Ausschuss für Straßen und Grünflächen"})
	check(err)
	for _, seat := range []struct {
		a      tenant.Actor
		role   meetings.Role
		voting bool
	}{{chair, meetings.RoleChair, true}, {sec, meetings.RoleSecretary, false}, {mem, meetings.RoleMember, true}} {
		_, err := svc.SetMember(ctx, admin, c.ID, meetings.MemberInput{MembershipID: seat.a.MembershipID, Role: seat.role, Voting: seat.voting, Weight: 1})
		check(err)
	}
	now := time.Now()
	m, err := svc.CreateMeeting(ctx, chair, c.ID, meetings.MeetingInput{Title: "Sitzung im Mai", StartsAt: now, EndsAt: now.Add(2 * time.Hour), Place: "Bürgersaal"})
	check(err)
	r.meeting = m.ID
	pub, err := svc.AddAgendaItem(ctx, chair, m.ID, meetings.AgendaItemInput{Title: "Baumpflanzungen in der Goethestraße", Public: true})
	check(err)
	np, err := svc.AddAgendaItem(ctx, chair, m.ID, meetings.AgendaItemInput{Title: "Grundstücksangelegenheit Müller"})
	check(err)
	r.public, r.nonPublic = pub.ID, np.ID
	for _, to := range []meetings.MeetingState{meetings.Invited, meetings.InSession} {
		_, err = svc.AdvanceMeeting(ctx, chair, m.ID, to)
		check(err)
	}
	for _, a := range []tenant.Actor{chair, sec, mem} {
		_, err = svc.SetAttendance(ctx, sec, m.ID, a.MembershipID, meetings.Present)
		check(err)
	}
	_, err = svc.AddPost(ctx, mem, pub.ID, "Zwölf Bäume sind zu wenig.")
	check(err)
	for _, p := range []struct {
		item uuid.UUID
		kind meetings.Kind
	}{{pub.ID, meetings.Named}, {np.ID, meetings.Secret}} {
		poll, err := svc.CreatePoll(ctx, chair, meetings.PollInput{AgendaItemID: p.item, Title: "Zustimmung zur Vorlage", Kind: p.kind, Method: meetings.YesNoAbstain})
		check(err)
		_, err = svc.OpenPoll(ctx, chair, poll.ID)
		check(err)
		for _, a := range []tenant.Actor{chair, mem} {
			_, err = svc.Cast(ctx, a, poll.ID, uuid.Nil, meetings.Vote{Choice: meetings.Yes})
			check(err)
		}
		_, err = svc.ClosePoll(ctx, chair, poll.ID)
		check(err)
	}
	_, err = svc.AdvanceMeeting(ctx, chair, m.ID, meetings.Closed)
	check(err)
	f, err := e.docs.CreateFolder(ctx, admin, uuid.Nil, "Niederschriften")
	check(err)
	_, err = e.docs.SetPermission(ctx, admin, f.ID, documents.RolePrincipal(tenant.RoleStaff), documents.Write)
	check(err)
	r.folder = f.ID
	return r
}

// adminMembership is the seeded admin's membership id.
func adminMembership(t *testing.T, e *env, s *seeded) string {
	t.Helper()
	page, err := e.tenants.ListMembers(t.Context(), tenant.Operator(s.tenant.ID), tenant.MemberFilter{})
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range page.Members {
		if m.Email == s.email {
			return m.ID.String()
		}
	}
	t.Fatal("no admin")
	return ""
}

// pdfWords extracts a PDF's words with the repository's extractor.
func pdfWords(t *testing.T, data []byte) string {
	t.Helper()
	if !bytes.HasPrefix(data, []byte("%PDF-")) {
		t.Fatalf("not a PDF: %q", data[:min(len(data), 40)])
	}
	path := filepath.Join(t.TempDir(), "x.pdf")
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	ex, err := extract.New(extract.Config{MaxOCRPages: -1})
	if err != nil {
		t.Fatal(err)
	}
	res, err := ex.Extract(context.Background(), path, "application/pdf")
	if err != nil {
		t.Fatal(err)
	}
	return strings.Join(strings.Fields(res.Text), " ")
}

func mustContain(t *testing.T, what, text string, parts ...string) {
	t.Helper()
	for _, p := range parts {
		if !strings.Contains(text, p) {
			t.Errorf("%s lacks %q: %s", what, p, text)
		}
	}
}

type minutesJSON struct {
	ID      string `json:"id"`
	State   string `json:"state"`
	Version int64  `json:"version"`
	Header  struct {
		CommitteeName string `json:"committee_name"`
		Chairs        []struct {
			Name string `json:"name"`
		} `json:"chairs"`
	} `json:"header"`
	Preamble   string `json:"preamble"`
	Attendance []struct {
		Name   string `json:"name"`
		Status string `json:"status"`
	} `json:"attendance"`
	Quorum struct {
		Reached bool `json:"reached"`
	} `json:"quorum"`
	Items []struct {
		AgendaItemID string `json:"agenda_item_id"`
		Number       int    `json:"number"`
		Public       bool   `json:"public"`
		Summary      string `json:"summary"`
		Polls        []struct {
			Kind       string `json:"kind"`
			Yes        int64  `json:"yes"`
			Verdict    string `json:"verdict"`
			NamedVotes []struct {
				Name   string `json:"name"`
				Choice string `json:"choice"`
			} `json:"named_votes"`
		} `json:"polls"`
	} `json:"items"`
	Filings []struct {
		DocumentID string `json:"document_id"`
		RevisionID string `json:"revision_id"`
	} `json:"filings"`
	CanEdit    bool `json:"can_edit"`
	CanApprove bool `json:"can_approve"`
}

// Minutes over HTTP: the draft from the record, edits with If-Match (412
// on a lost update), approval by the chair only, the filed PDF revision,
// downloads, decision extracts, and nothing of another tenant.
func TestMinutesHTTP(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		s := e.seedTenant("amt-nieder")
		r := newMinutesRecord(t, e, s)
		base := "/api/v1/t/" + s.tenant.Slug
		minutes := base + "/meetings/" + r.meeting.String() + "/minutes"

		if code := r.member.must(403, "GET", minutes, nil).problemCode(t); code != "forbidden" {
			t.Fatalf("a member reads the draft: %s", code)
		}
		res := r.secretary.must(200, "GET", minutes, nil)
		draft := decode[minutesJSON](t, res)
		if res.header.Get("ETag") != `"1"` || draft.State != "draft" || draft.Version != 1 || !draft.CanEdit || draft.CanApprove ||
			draft.Header.CommitteeName != "Ausschuss für Straßen und Grünflächen" || len(draft.Header.Chairs) != 1 || !draft.Quorum.Reached ||
			len(draft.Attendance) != 3 || len(draft.Items) != 2 || !draft.Items[0].Public || draft.Items[1].Public ||
			!strings.Contains(draft.Items[0].Summary, "Zwölf Bäume") {
			t.Fatalf("draft: %s", res.body)
		}
		named, secret := draft.Items[0].Polls[0], draft.Items[1].Polls[0]
		if named.Kind != "named" || len(named.NamedVotes) != 2 || named.Verdict != "angenommen" || named.Yes != 2 ||
			// Two secret ballots are too few to be counted: no tally, no decision.
			secret.Kind != "secret" || len(secret.NamedVotes) != 0 || secret.Yes != 0 ||
			secret.Verdict != "nicht ausgewertet: zu wenige Stimmen für eine geheime Auswertung" {
			t.Fatalf("polls: %s", res.body)
		}

		// Edits: If-Match required, a lost update answers 412.
		edit := map[string]any{"preamble": "Der Vorsitzende begrüßt die Anwesenden.",
			"items": []map[string]any{{"agenda_item_id": r.public, "decision": "Der Ausschuss beschließt zwölf zusätzliche Bäume."}}}
		if code := r.secretary.must(422, "PUT", minutes, edit).problemCode(t); code != "invalid-input" {
			t.Fatalf("edit without If-Match: %s", code)
		}
		if code := r.member.with("If-Match", `"1"`).must(403, "PUT", minutes, edit).problemCode(t); code != "forbidden" {
			t.Fatalf("a member edits: %s", code)
		}
		res = r.secretary.with("If-Match", `"1"`).must(200, "PUT", minutes, edit)
		edited := decode[minutesJSON](t, res)
		if res.header.Get("ETag") != `"2"` || edited.Preamble != "Der Vorsitzende begrüßt die Anwesenden." {
			t.Fatalf("edited: %s", res.body)
		}
		if code := r.chair.with("If-Match", `"1"`).must(412, "PUT", minutes, map[string]any{"closing": "Schluss"}).problemCode(t); code != "precondition-failed" {
			t.Fatalf("lost update: %s", code)
		}

		// Approval: the chair only.
		approve := map[string]any{"folder_id": r.folder}
		if code := r.secretary.with("If-Match", `"2"`).must(403, "POST", minutes+"/approve", approve).problemCode(t); code != "forbidden" {
			t.Fatalf("approval by the secretary: %s", code)
		}
		s.admin.with("If-Match", `"2"`).must(403, "POST", minutes+"/approve", approve)
		res = r.chair.with("If-Match", `"2"`).must(200, "POST", minutes+"/approve", approve)
		ap := decode[minutesJSON](t, res)
		if ap.State != "approved" || ap.CanEdit || len(ap.Filings) != 1 {
			t.Fatalf("approved: %s", res.body)
		}
		if got, err := e.docs.GetDocument(t.Context(), minutesActor(t, e, s.tenant.ID, adminMembership(t, e, s)), uuid.MustParse(ap.Filings[0].DocumentID)); err != nil ||
			got.FolderID != r.folder {
			t.Fatalf("filed document: %+v %v", got, err)
		}
		filed := r.chair.must(200, "GET", base+"/documents/"+ap.Filings[0].DocumentID+"/revisions/"+ap.Filings[0].RevisionID+"/content", nil)
		if filed.header.Get("Content-Type") != "application/pdf" {
			t.Fatalf("filed revision: %s", filed.header.Get("Content-Type"))
		}
		text := pdfWords(t, filed.body)
		mustContain(t, "filed minutes", text, "Niederschrift", "Ausschuss für Straßen und Grünflächen", "Sitzung im Mai", "Bürgersaal",
			"TOP 1: Baumpflanzungen in der Goethestraße", "TOP 2: Grundstücksangelegenheit Müller (nicht öffentlich)",
			"Der Vorsitzende begrüßt die Anwesenden.", "Der Ausschuss beschließt zwölf zusätzliche Bäume.", "Beschluss: angenommen",
			"Zwölf Bäume sind zu wenig.", "Namentliche Stimmabgabe", "Genehmigt am")

		// Downloads: members read approved minutes, exactly as filed.
		dl := r.member.must(200, "GET", minutes+".pdf", nil)
		if !bytes.Equal(dl.body, filed.body) || dl.header.Get("Content-Type") != "application/pdf" ||
			!strings.HasPrefix(dl.header.Get("Content-Disposition"), "attachment") {
			t.Fatalf("download: %s %s, equal %v", dl.header.Get("Content-Type"), dl.header.Get("Content-Disposition"), bytes.Equal(dl.body, filed.body))
		}
		pub := pdfWords(t, r.member.must(200, "GET", minutes+".pdf?variant=public", nil).body)
		mustContain(t, "public minutes", pub, "Baumpflanzungen in der Goethestraße")
		if strings.Contains(pub, "Grundstücksangelegenheit") {
			t.Errorf("the public minutes show a non-public item: %s", pub)
		}
		ex := pdfWords(t, r.member.must(200, "GET", base+"/agenda-items/"+r.public.String()+"/extract.pdf", nil).body)
		mustContain(t, "extract", ex, "Beschlussauszug", "Ausschuss für Straßen und Grünflächen", "TOP 1: Baumpflanzungen in der Goethestraße",
			"Der Ausschuss beschließt zwölf zusätzliche Bäume.", "Abstimmung: Zustimmung zur Vorlage", "Beschluss: angenommen", "Ja: 2, Nein: 0, Enthaltung: 0")
		ex = pdfWords(t, r.member.must(200, "GET", base+"/agenda-items/"+r.nonPublic.String()+"/extract.pdf?disposition=inline", nil).body)
		mustContain(t, "non-public extract", ex, "Nicht öffentlich", "Grundstücksangelegenheit Müller",
			"nicht ausgewertet: zu wenige Stimmen für eine geheime Auswertung – kein Beschluss")
		if strings.Contains(ex, "Beschluss: angenommen") {
			t.Fatal("the extract shows a decision of two secret ballots")
		}

		// Approved minutes never change.
		if code := r.secretary.with("If-Match", `"3"`).must(409, "PUT", minutes, edit).problemCode(t); code != "conflict" {
			t.Fatalf("edit after approval: %s", code)
		}
		r.secretary.lang = "en"
		var p struct {
			Detail string `json:"detail"`
		}
		r.secretary.with("If-Match", `"3"`).must(409, "PUT", minutes, edit).json(t, &p)
		if p.Detail != "The minutes are approved and can no longer be changed." {
			t.Fatalf("English detail: %q", p.Detail)
		}
		r.chair.with("If-Match", `"3"`).must(409, "POST", minutes+"/approve", approve)

		// Another tenant's ids answer like unknown ones.
		other := e.seedTenant("amt-fremd")
		ob := "/api/v1/t/" + other.tenant.Slug
		unknown := uuid.Must(uuid.NewV7()).String()
		for _, path := range []string{"/meetings/%s/minutes", "/meetings/%s/minutes.pdf"} {
			got := other.admin.must(404, "GET", ob+strings.Replace(path, "%s", r.meeting.String(), 1), nil)
			want := other.admin.must(404, "GET", ob+strings.Replace(path, "%s", unknown, 1), nil)
			if !bytes.Equal(got.body, want.body) {
				t.Fatalf("%s: %s differs from %s", path, got.body, want.body)
			}
		}
		other.admin.must(404, "GET", ob+"/agenda-items/"+r.public.String()+"/extract.pdf", nil)
		other.admin.with("If-Match", `"3"`).must(404, "PUT", ob+"/meetings/"+r.meeting.String()+"/minutes", edit)
		other.admin.with("If-Match", `"3"`).must(404, "POST", ob+"/meetings/"+r.meeting.String()+"/minutes/approve", approve)
		s.admin.must(404, "GET", base+"/meetings/"+unknown+"/minutes", nil)
	})
}

// minutesMatrix is one tenant's minutes objects for the cross-tenant
// matrix: a closed meeting whose admin chairs the committee, with its
// draft made (approved and filed when approve is set), an agenda item with
// a poll, and the folder for the minutes.
type minutesMatrix struct {
	meeting, item, folder uuid.UUID
}

func minutesObjects(t *testing.T, e *env, tenantID uuid.UUID, admin tenant.Member, approve bool) *minutesMatrix {
	t.Helper()
	ctx := t.Context()
	svc := meetings.NewService(e.db, e.docs, render.Renderer{})
	a := tenant.Actor{TenantID: tenantID, MembershipID: admin.ID, UserID: admin.UserID, Role: admin.Role}
	u, err := e.tenants.CreateUser(ctx, "stimme-"+uuid.NewString()[:8]+"@amt.example", "Stimme Ärztin", testPassword)
	if err != nil {
		t.Fatal(err)
	}
	vm, err := e.tenants.AddMember(ctx, tenantID, u.ID, tenant.RoleCommittee)
	if err != nil {
		t.Fatal(err)
	}
	voter := tenant.Actor{TenantID: tenantID, MembershipID: vm.ID, UserID: u.ID, Role: vm.Role}
	check := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	c, err := svc.CreateCommittee(ctx, a, meetings.CommitteeInput{Name: "Rechnungsprüfungsausschuss"})
	check(err)
	for _, seat := range []tenant.Actor{a, voter} {
		role := meetings.RoleMember
		if seat == a {
			role = meetings.RoleChair
		}
		_, err = svc.SetMember(ctx, a, c.ID, meetings.MemberInput{MembershipID: seat.MembershipID, Role: role, Voting: true, Weight: 1})
		check(err)
	}
	now := time.Now()
	m, err := svc.CreateMeeting(ctx, a, c.ID, meetings.MeetingInput{Title: "Prüfung", StartsAt: now, EndsAt: now.Add(time.Hour)})
	check(err)
	it, err := svc.AddAgendaItem(ctx, a, m.ID, meetings.AgendaItemInput{Title: "Jahresrechnung", Public: true})
	check(err)
	for _, to := range []meetings.MeetingState{meetings.Invited, meetings.InSession} {
		_, err = svc.AdvanceMeeting(ctx, a, m.ID, to)
		check(err)
	}
	for _, p := range []tenant.Actor{a, voter} {
		_, err = svc.SetAttendance(ctx, a, m.ID, p.MembershipID, meetings.Present)
		check(err)
	}
	poll, err := svc.CreatePoll(ctx, a, meetings.PollInput{AgendaItemID: it.ID, Title: "Entlastung", Kind: meetings.Named, Method: meetings.YesNoAbstain})
	check(err)
	_, err = svc.OpenPoll(ctx, a, poll.ID)
	check(err)
	_, err = svc.Cast(ctx, a, poll.ID, uuid.Nil, meetings.Vote{Choice: meetings.Yes})
	check(err)
	_, err = svc.ClosePoll(ctx, a, poll.ID)
	check(err)
	_, err = svc.AdvanceMeeting(ctx, a, m.ID, meetings.Closed)
	check(err)
	f, err := e.docs.CreateFolder(ctx, a, uuid.Nil, "Niederschriften")
	check(err)
	mn, err := svc.Minutes(ctx, a, m.ID)
	check(err)
	if approve {
		_, err = svc.ApproveMinutes(ctx, a, m.ID, mn.Version, f.ID)
		check(err)
	}
	return &minutesMatrix{meeting: m.ID, item: it.ID, folder: f.ID}
}

// unchanged fails unless the minutes are as minutesObjects left them.
func (mm *minutesMatrix) unchanged(t *testing.T, e *env, tenantID uuid.UUID, admin tenant.Member, approved bool) {
	t.Helper()
	svc := meetings.NewService(e.db, e.docs, render.Renderer{})
	a := tenant.Actor{TenantID: tenantID, MembershipID: admin.ID, UserID: admin.UserID, Role: admin.Role}
	mn, err := svc.Minutes(t.Context(), a, mm.meeting)
	if err != nil {
		t.Fatal(err)
	}
	want, version, filings := meetings.DraftMinutes, int64(1), 0
	if approved {
		want, version, filings = meetings.ApprovedMinutes, 2, 1
	}
	if mn.State != want || mn.Version != version || len(mn.Filings) != filings || mn.Content.Preamble != "" {
		t.Fatalf("minutes changed: %+v", mn)
	}
}
