package api_test

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/kollab/kollab/documents"
	"github.com/kollab/kollab/internal/db"
	"github.com/kollab/kollab/internal/db/dbtest"
	"github.com/kollab/kollab/meetings"
	"github.com/kollab/kollab/tenant"
)

type itemPaperJSON struct {
	DocumentID      string `json:"document_id"`
	Title           string `json:"title"`
	CanOpenDocument bool   `json:"can_open_document"`
	File            *struct {
		Number      int    `json:"number"`
		FileName    string `json:"file_name"`
		ContentType string `json:"content_type"`
		Size        int64  `json:"size_bytes"`
		Available   bool   `json:"available"`
	} `json:"file"`
}

type itemPapersJSON struct {
	Papers []itemPaperJSON `json:"papers"`
}

// Session papers over HTTP: a member who may not read the paper's folder
// reads its frozen revision (and only that one) through the agenda item;
// tenant members read the papers of public items; everyone else, and any
// other tenant, gets 404.
func TestSessionPapersHTTP(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		ctx := t.Context()
		s := e.seedTenant("amt-papiere")
		other := e.seedTenant("amt-anderswo")
		admin := e.adminActor(s)
		member, memberID := e.person(s, "ratsmitglied", tenant.RoleCommittee)
		outsider, _ := e.staff(s, "sachbearbeitung")
		check := func(err error) {
			t.Helper()
			if err != nil {
				t.Fatal(err)
			}
		}
		c, err := e.comm.CreateCommittee(ctx, admin, meetings.CommitteeInput{Name: "Umweltausschuss"})
		check(err)
		_, err = e.comm.SetMember(ctx, admin, c.ID, meetings.MemberInput{MembershipID: uuid.MustParse(memberID), Role: meetings.RoleMember, Voting: true})
		check(err)
		closed, err := e.docs.CreateFolder(ctx, admin, uuid.Nil, "Vertraulich")
		check(err)
		first := "%PDF-1.4 Fassung eins"
		doc, _, err := e.docs.CreateDocumentWithRevision(ctx, admin, closed.ID, documents.DocumentInput{Title: "Gutachten Lärmschutz"},
			documents.Upload{FileName: "gutachten.pdf", Size: int64(len(first))}, strings.NewReader(first))
		check(err)
		now := time.Now()
		m, err := e.comm.CreateMeeting(ctx, admin, c.ID, meetings.MeetingInput{Title: "Sitzung", StartsAt: now.Add(time.Hour), EndsAt: now.Add(3 * time.Hour)})
		check(err)
		pub, err := e.comm.AddAgendaItem(ctx, admin, m.ID, meetings.AgendaItemInput{Title: "Lärmschutz an der B 7", Public: true})
		check(err)
		np, err := e.comm.AddAgendaItem(ctx, admin, m.ID, meetings.AgendaItemInput{Title: "Grundstücksangelegenheit"})
		check(err)
		for _, it := range []uuid.UUID{pub.ID, np.ID} {
			_, err = e.comm.AttachPaper(ctx, admin, it, doc.ID)
			check(err)
		}
		_, err = e.comm.AdvanceMeeting(ctx, admin, m.ID, meetings.Invited)
		check(err)
		second := "%PDF-1.4 Fassung zwei, geändert"
		_, _, err = e.docs.AddRevision(ctx, admin, doc.ID, documents.Upload{FileName: "gutachten.pdf", Size: int64(len(second))}, strings.NewReader(second))
		check(err)

		base := "/api/v1/t/" + s.tenant.Slug
		content := func(item uuid.UUID) string {
			return base + "/agenda-items/" + item.String() + "/papers/" + doc.ID.String() + "/content"
		}
		// The member cannot open the document, but reads the frozen revision.
		member.must(404, "GET", base+"/documents/"+doc.ID.String(), nil)
		res := member.must(200, "GET", content(np.ID)+"?disposition=inline", nil)
		if string(res.body) != first || res.header.Get("Content-Type") != "application/pdf" ||
			!strings.HasPrefix(res.header.Get("Content-Disposition"), "inline") || res.header.Get("Cache-Control") != "private, no-cache" ||
			res.header.Get("Cross-Origin-Embedder-Policy") != "require-corp" {
			t.Fatalf("the frozen paper: %q %v", res.body, res.header)
		}
		tag := res.header.Get("ETag")
		if r := member.with("If-None-Match", tag).do("GET", content(np.ID), nil); r.status != 304 {
			t.Fatalf("If-None-Match: %d", r.status)
		}
		if r := member.with("Range", "bytes=9-15").must(206, "GET", content(pub.ID), nil); string(r.body) != "Fassung" {
			t.Fatalf("range: %q", r.body)
		}
		list := decode[itemPapersJSON](t, member.must(200, "GET", base+"/meetings/"+m.ID.String()+"/papers", nil))
		if len(list.Papers) != 2 || list.Papers[0].Title != "Gutachten Lärmschutz" || list.Papers[0].CanOpenDocument || list.Papers[0].File == nil ||
			list.Papers[0].File.Number != 1 || list.Papers[0].File.Size != int64(len(first)) || !list.Papers[0].File.Available {
			t.Fatalf("the member's papers: %+v", list)
		}

		// A staff member without a seat: the public item's paper only.
		items := decode[itemPapersJSON](t, outsider.must(200, "GET", base+"/agenda-items/"+pub.ID.String()+"/papers", nil))
		if len(items.Papers) != 1 || items.Papers[0].File == nil {
			t.Fatalf("the public item's papers: %+v", items)
		}
		if r := outsider.must(200, "GET", content(pub.ID), nil); !bytes.Equal(r.body, []byte(first)) {
			t.Fatalf("a tenant member reads %q", r.body)
		}
		outsider.must(404, "GET", content(np.ID), nil)
		outsider.must(404, "GET", base+"/agenda-items/"+np.ID.String()+"/papers", nil)
		outsider.must(404, "GET", base+"/meetings/"+m.ID.String()+"/papers", nil)

		// Another tenant's admin, in their own tenant and in this one.
		obase := "/api/v1/t/" + other.tenant.Slug
		other.admin.must(404, "GET", obase+"/agenda-items/"+pub.ID.String()+"/papers/"+doc.ID.String()+"/content", nil)
		other.admin.must(404, "GET", obase+"/agenda-items/"+pub.ID.String()+"/papers", nil)
		if r := other.admin.do("GET", content(pub.ID), nil); r.status != 403 && r.status != 404 {
			t.Fatalf("another tenant's admin in this tenant: %d", r.status)
		}

		// Detached: gone for everyone.
		s.admin.must(204, "DELETE", base+"/agenda-items/"+np.ID.String()+"/papers/"+doc.ID.String(), nil)
		member.must(404, "GET", content(np.ID), nil)
		member.must(200, "GET", content(pub.ID), nil)
	})
}

// The chair approves the minutes without naming a folder: they go, with
// the decision extracts, into the committee's own folder, which the
// members read.
func TestMinutesFiledInCommitteeFolderHTTP(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		s := e.seedTenant("amt-ablage")
		r := newMinutesRecord(t, e, s)
		base := "/api/v1/t/" + s.tenant.Slug
		minutes := base + "/meetings/" + r.meeting.String() + "/minutes"
		var draft struct {
			Version        int64  `json:"version"`
			CanApprove     bool   `json:"can_approve"`
			FilingFolderID string `json:"filing_folder_id"`
			Header         struct {
				CommitteeID string `json:"committee_id"`
			} `json:"header"`
		}
		r.chair.must(200, "GET", minutes, nil).json(t, &draft)
		var committee struct {
			FilingFolderID string `json:"filing_folder_id"`
		}
		r.member.must(200, "GET", base+"/committees/"+draft.Header.CommitteeID, nil).json(t, &committee)
		if !draft.CanApprove || draft.FilingFolderID == "" || draft.FilingFolderID != committee.FilingFolderID {
			t.Fatalf("the chair's draft: %+v, committee folder %q", draft, committee.FilingFolderID)
		}
		var ap struct {
			State   string `json:"state"`
			Filings []struct {
				DocumentID string `json:"document_id"`
			} `json:"filings"`
			ExtractFilings []struct {
				AgendaItemID string `json:"agenda_item_id"`
			} `json:"extract_filings"`
			CanFile bool `json:"can_file"`
		}
		r.chair.with("If-Match", `"1"`).must(200, "POST", minutes+"/approve", map[string]any{}).json(t, &ap)
		if ap.State != "approved" || len(ap.Filings) != 1 || len(ap.ExtractFilings) != 2 || ap.CanFile {
			t.Fatalf("approved: %+v", ap)
		}
		var docs struct {
			Documents []struct {
				Title string `json:"title"`
			} `json:"documents"`
		}
		r.member.must(200, "GET", base+"/folders/"+committee.FilingFolderID+"/documents", nil).json(t, &docs)
		if len(docs.Documents) != 3 {
			t.Fatalf("the member sees in the committee folder: %+v", docs)
		}
		// Members read the folder, only chair, deputy chair and secretary write to it.
		r.member.must(403, "POST", base+"/folders/"+committee.FilingFolderID+"/documents", map[string]any{"title": "Eigenes"})
		r.secretary.must(201, "POST", base+"/folders/"+committee.FilingFolderID+"/documents", map[string]any{"title": "Vermerk"})
	})
}
