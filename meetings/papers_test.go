package meetings_test

import (
	"io"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/kollab/kollab/documents"
	"github.com/kollab/kollab/internal/audit"
	"github.com/kollab/kollab/internal/db"
	"github.com/kollab/kollab/internal/db/dbtest"
	"github.com/kollab/kollab/internal/errs"
	"github.com/kollab/kollab/meetings"
	"github.com/kollab/kollab/tenant"
)

// readPaper reads a paper's frozen revision through the committee module.
func readPaper(t *testing.T, w *world, a tenant.Actor, itemID, docID uuid.UUID) (string, error) {
	t.Helper()
	rev, rc, err := w.svc.OpenPaper(ctx, a, itemID, docID, 0, -1)
	if err != nil {
		return "", err
	}
	defer rc.Close()
	b, err := io.ReadAll(rc)
	must(t, err)
	if int64(len(b)) != rev.Size {
		t.Fatalf("read %d bytes of a %d byte revision", len(b), rev.Size)
	}
	return string(b), nil
}

// A session paper in a folder only admins read: attaching it grants its
// frozen revision to everyone who may see the item, and nothing more.
func TestPaperGrantFollowsTheAgendaItem(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		ag := w.a
		partner := w.member(t, ag.tenant, tenant.RolePartner) // no seat
		closed, err := w.docs.CreateFolder(ctx, ag.admin, uuid.Nil, "Vertraulich")
		must(t, err)
		upload := func(title, body string) *documents.Document {
			doc, _, err := w.docs.CreateDocumentWithRevision(ctx, ag.admin, closed.ID, documents.DocumentInput{Title: title},
				documents.Upload{FileName: strings.ToLower(title) + ".txt", Size: int64(len(body))}, strings.NewReader(body))
			must(t, err)
			return doc
		}
		plan := upload("Lageplan", "Fassung 1 des Lageplans")
		memo := upload("Vermerk", "Vermerk zur Personalsache")
		late := upload("Nachtrag", "Nachtrag 1")

		now := w.clock.Now()
		m, err := w.svc.CreateMeeting(ctx, ag.chair, ag.committee.ID, meetings.MeetingInput{Title: "Sitzung", StartsAt: now.Add(24 * time.Hour),
			EndsAt: now.Add(26 * time.Hour)})
		must(t, err)
		public, err := w.svc.AddAgendaItem(ctx, ag.chair, m.ID, meetings.AgendaItemInput{Title: "Bebauungsplan", Public: true})
		must(t, err)
		closedItem, err := w.svc.AddAgendaItem(ctx, ag.chair, m.ID, meetings.AgendaItemInput{Title: "Personalsache"})
		must(t, err)
		_, err = w.svc.AttachPaper(ctx, ag.chair, public.ID, plan.ID)
		wantCode(t, err, errs.NotFound, "the chair attaches a document they cannot read")
		for _, p := range [][2]uuid.UUID{{public.ID, plan.ID}, {closedItem.ID, memo.ID}} {
			_, err = w.svc.AttachPaper(ctx, ag.admin, p[0], p[1])
			must(t, err)
		}

		// Before the invitation nothing is frozen: seats learn why, others nothing.
		_, err = readPaper(t, w, ag.alice, public.ID, plan.ID)
		wantDetail(t, err, errs.Conflict, "Einladung", "a paper not frozen yet")
		_, err = readPaper(t, w, ag.outsider, public.ID, plan.ID)
		wantCode(t, err, errs.NotFound, "a tenant member reads a public item of a planned meeting")
		_, err = w.svc.ItemPapers(ctx, ag.outsider, public.ID)
		wantCode(t, err, errs.NotFound, "a tenant member lists a public item of a planned meeting")

		_, err = w.svc.AdvanceMeeting(ctx, ag.chair, m.ID, meetings.Invited)
		must(t, err)
		_, err = w.svc.AttachPaper(ctx, ag.admin, public.ID, late.ID) // frozen at once
		must(t, err)
		// A later revision stays with the folder's readers.
		_, _, err = w.docs.AddRevision(ctx, ag.admin, plan.ID, documents.Upload{FileName: "lageplan.txt", Size: 23}, strings.NewReader("Fassung 2 des Lageplans"))
		must(t, err)

		// Members without any folder permission read the frozen revision.
		if _, err := w.docs.GetDocument(ctx, ag.alice, plan.ID); !errs.Is(err, errs.NotFound) {
			t.Fatalf("the test needs a member who cannot read the folder: %v", err)
		}
		for name, a := range map[string]tenant.Actor{"member": ag.alice, "chair": ag.chair, "advisory partner": ag.adv, "admin": ag.admin} {
			got, err := readPaper(t, w, a, public.ID, plan.ID)
			must(t, err)
			if got != "Fassung 1 des Lageplans" {
				t.Fatalf("%s reads %q, not the frozen revision", name, got)
			}
			got, err = readPaper(t, w, a, closedItem.ID, memo.ID)
			must(t, err)
			if got != "Vermerk zur Personalsache" {
				t.Fatalf("%s reads %q on the non-public item", name, got)
			}
		}
		ps, err := w.svc.ListPapers(ctx, ag.alice, m.ID)
		must(t, err)
		if len(ps) != 3 || ps[0].Title != "Lageplan" || ps[0].File == nil || ps[0].File.Number != 1 || ps[0].File.FileName != "lageplan.txt" ||
			ps[0].File.Size != 23 || !ps[0].File.Available || ps[0].CanOpenDocument {
			t.Fatalf("the member's papers: %+v", ps)
		}
		if ps, err := w.svc.ListPapers(ctx, ag.admin, m.ID); err != nil || !ps[0].CanOpenDocument {
			t.Fatalf("the admin may open the document: %+v %v", ps, err)
		}
		// A range continues a download; a range past the end is refused.
		if _, rc, err := w.svc.OpenPaper(ctx, ag.alice, public.ID, plan.ID, 10, 5); err != nil {
			t.Fatal(err)
		} else {
			b, _ := io.ReadAll(rc)
			rc.Close()
			if string(b) != "des L" {
				t.Fatalf("range: %q", b)
			}
		}
		_, _, err = w.svc.OpenPaper(ctx, ag.alice, public.ID, plan.ID, 24, -1)
		wantCode(t, err, errs.RangeNotSatisfiable, "a range past the end")

		// Tenant members without a seat: public items only; partners never.
		got, err := readPaper(t, w, ag.outsider, public.ID, plan.ID)
		must(t, err)
		if got != "Fassung 1 des Lageplans" {
			t.Fatalf("a tenant member reads %q", got)
		}
		if ps, err := w.svc.ItemPapers(ctx, ag.outsider, public.ID); err != nil || len(ps) != 2 || ps[0].File == nil {
			t.Fatalf("a tenant member lists the public item's papers: %+v %v", ps, err)
		}
		_, err = readPaper(t, w, ag.outsider, closedItem.ID, memo.ID)
		wantCode(t, err, errs.NotFound, "a tenant member reads a non-public item")
		_, err = w.svc.ItemPapers(ctx, ag.outsider, closedItem.ID)
		wantCode(t, err, errs.NotFound, "a tenant member lists a non-public item")
		_, err = w.svc.ListPapers(ctx, ag.outsider, m.ID)
		wantCode(t, err, errs.NotFound, "a tenant member lists the meeting")
		_, err = readPaper(t, w, partner, public.ID, plan.ID)
		wantCode(t, err, errs.NotFound, "a partner without a seat reads a public item")
		// A document that is no paper of the item is not served.
		_, err = readPaper(t, w, ag.alice, public.ID, memo.ID)
		wantCode(t, err, errs.NotFound, "another item's paper under this item")

		// Another tenant's ids answer like unknown ones.
		for name, a := range map[string]tenant.Actor{"chair": w.b.chair, "admin": w.b.admin, "outsider": w.b.outsider} {
			_, err = readPaper(t, w, a, public.ID, plan.ID)
			wantCode(t, err, errs.NotFound, "another tenant's "+name)
			_, err = w.svc.ItemPapers(ctx, a, public.ID)
			wantCode(t, err, errs.NotFound, "another tenant's "+name+" lists")
		}

		// Every read from the start is audited.
		var reads int64
		must(t, d.Tenant(ctx, ag.tenant.ID, func(tx *db.Tx) error {
			return tx.Table(audit.Table).Where("action = ?", meetings.ActionPaperRead).Count(&reads).Error
		}))
		if reads != 9 {
			t.Fatalf("%d paper reads audited, want 9", reads)
		}

		// An item made non-public withdraws the tenant's grant at once.
		_, err = w.svc.UpdateAgendaItem(ctx, ag.chair, public.ID, meetings.AgendaItemInput{Title: "Bebauungsplan"})
		must(t, err)
		_, err = readPaper(t, w, ag.outsider, public.ID, plan.ID)
		wantCode(t, err, errs.NotFound, "a tenant member after the item became non-public")

		// A trashed document is not served; detaching withdraws the grant.
		must(t, w.docs.DeleteDocument(ctx, ag.admin, late.ID, 0))
		_, err = readPaper(t, w, ag.alice, public.ID, late.ID)
		wantDetail(t, err, errs.NotFound, "Papierkorb", "a trashed paper")
		must(t, w.svc.DetachPaper(ctx, ag.chair, public.ID, plan.ID))
		_, err = readPaper(t, w, ag.alice, public.ID, plan.ID)
		wantCode(t, err, errs.NotFound, "a detached paper")
		_, err = readPaper(t, w, ag.admin, public.ID, plan.ID)
		wantCode(t, err, errs.NotFound, "a detached paper, for the admin")

		// A seat whose term ended reads nothing any more.
		must(t, w.svc.RemoveMember(ctx, ag.chair, ag.committee.ID, ag.alice.MembershipID))
		_, err = readPaper(t, w, ag.alice, closedItem.ID, memo.ID)
		wantCode(t, err, errs.NotFound, "a former member")
	})
}
