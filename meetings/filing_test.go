package meetings_test

import (
	"strings"
	"testing"

	"github.com/google/uuid"
	"github.com/kollab/kollab/documents"
	"github.com/kollab/kollab/internal/db"
	"github.com/kollab/kollab/internal/db/dbtest"
	"github.com/kollab/kollab/internal/errs"
	"github.com/kollab/kollab/meetings"
	"github.com/kollab/kollab/tenant"
)

// access returns the actor's level on a folder (documents.None when they
// cannot see it).
func access(t *testing.T, w *world, a tenant.Actor, folderID uuid.UUID) documents.Level {
	t.Helper()
	f, err := w.docs.GetFolder(ctx, a, folderID)
	if errs.Is(err, errs.NotFound) {
		return documents.None
	}
	must(t, err)
	return f.Access
}

// Every committee gets its own folder under "Gremien" when it is made; the
// permissions on it follow the committee's seats, with no folder_acl row.
func TestCommitteeFilingFolderFollowsTheSeats(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		ag := w.a
		c, err := w.svc.GetCommittee(ctx, ag.chair, ag.committee.ID)
		must(t, err)
		if c.FilingFolderID == nil {
			t.Fatal("a new committee has no filing folder")
		}
		fid := *c.FilingFolderID
		f, err := w.docs.GetFolder(ctx, ag.admin, fid)
		must(t, err)
		if f.Name != "Bauausschuss" || f.ParentID == nil {
			t.Fatalf("filing folder: %+v", f)
		}
		root, err := w.docs.GetFolder(ctx, ag.admin, *f.ParentID)
		must(t, err)
		if root.Name != documents.CommitteesRootName || root.ParentID != nil {
			t.Fatalf("the folder's parent: %+v", root)
		}
		if n := w.count(t, ag.tenant.ID, "folder_acl", "folder_id IN (?, ?)", fid, root.ID); n != 0 {
			t.Fatalf("%d copied grants; the committee's are derived", n)
		}

		// Chair and secretary write, seats read (partners with a seat too), others nothing.
		want := map[string]struct {
			a   tenant.Actor
			lvl documents.Level
		}{"chair": {ag.chair, documents.Write}, "secretary": {ag.secretary, documents.Write}, "member": {ag.alice, documents.Read},
			"advisory partner": {ag.adv, documents.Read}, "outsider": {ag.outsider, documents.None}, "other tenant's chair": {w.b.chair, documents.None},
			"admin": {ag.admin, documents.Manage}}
		for name, x := range want {
			if got := access(t, w, x.a, fid); got != x.lvl {
				t.Fatalf("%s holds %v on the filing folder, want %v", name, got, x.lvl)
			}
		}
		if access(t, w, ag.alice, root.ID) != documents.None {
			t.Fatal("a member reads the Gremien root")
		}
		// The member finds the folder among their entry folders.
		page, err := w.docs.ListFolders(ctx, ag.alice, uuid.Nil, documents.Page{})
		must(t, err)
		if len(page.Folders) != 1 || page.Folders[0].ID != fid {
			t.Fatalf("the member's entry folders: %+v", page.Folders)
		}
		// The chair files documents there, and so do subfolders inherit.
		body := "Einladung"
		_, _, err = w.docs.CreateDocumentWithRevision(ctx, ag.chair, fid, documents.DocumentInput{Title: "Einladung"},
			documents.Upload{FileName: "einladung.txt", Size: int64(len(body))}, strings.NewReader(body))
		must(t, err)
		sub, err := w.docs.CreateFolder(ctx, ag.secretary, fid, "Anlagen")
		must(t, err)
		if access(t, w, ag.bob, sub.ID) != documents.Read || access(t, w, ag.secretary, sub.ID) != documents.Write {
			t.Fatal("a subfolder does not inherit the committee's grants")
		}
		_, err = w.docs.CreateFolder(ctx, ag.alice, fid, "Eigenes")
		wantCode(t, err, errs.Forbidden, "a member writes to the filing folder")
		acl, err := w.docs.Permissions(ctx, ag.admin, sub.ID)
		must(t, err)
		if len(acl.Committees) != 1 || acl.Committees[0].CommitteeID != ag.committee.ID || !acl.Committees[0].Inherited ||
			acl.Committees[0].SourceFolderID != fid || acl.Committees[0].CommitteeName != "Bauausschuss" {
			t.Fatalf("the subfolder's permissions: %+v", acl)
		}

		// A new seat reads at once, a new role writes at once, an ended term ends it.
		_, err = w.svc.SetMember(ctx, ag.chair, ag.committee.ID, meetings.MemberInput{MembershipID: ag.outsider.MembershipID, Role: meetings.RoleMember})
		must(t, err)
		if access(t, w, ag.outsider, fid) != documents.Read {
			t.Fatal("a new seat does not read the filing folder")
		}
		_, err = w.svc.SetMember(ctx, ag.chair, ag.committee.ID, meetings.MemberInput{MembershipID: ag.alice.MembershipID, Role: meetings.RoleSecretary})
		must(t, err)
		if access(t, w, ag.alice, fid) != documents.Write {
			t.Fatal("a new secretary does not write to the filing folder")
		}
		must(t, w.svc.RemoveMember(ctx, ag.chair, ag.committee.ID, ag.outsider.MembershipID))
		if access(t, w, ag.outsider, fid) != documents.None {
			t.Fatal("a former member still reads the filing folder")
		}
		if _, err := w.svc.ListPapers(ctx, ag.outsider, uuid.New()); !errs.Is(err, errs.NotFound) {
			t.Fatalf("unknown meeting: %v", err)
		}

		// A renamed committee's folder follows; names are made valid for folders.
		_, err = w.svc.UpdateCommittee(ctx, ag.admin, ag.committee.ID, meetings.CommitteeInput{Name: "Bau-/Umweltausschuss"})
		must(t, err)
		if f, err := w.docs.GetFolder(ctx, ag.admin, fid); err != nil || f.Name != "Bau--Umweltausschuss" {
			t.Fatalf("renamed folder: %+v %v", f, err)
		}
		other, err := w.svc.CreateCommittee(ctx, ag.admin, meetings.CommitteeInput{Name: "Haupt: und *Finanz*ausschuss"})
		must(t, err)
		of, err := w.docs.GetFolder(ctx, ag.admin, *other.FilingFolderID)
		must(t, err)
		if of.Name != "Haupt- und -Finanz-ausschuss" || *of.ParentID != root.ID {
			t.Fatalf("second committee's folder: %+v", of)
		}
		if access(t, w, ag.chair, of.ID) != documents.None {
			t.Fatal("another committee's chair reads this committee's folder")
		}

		// A committee made before filing folders existed gets one at start-up, once.
		owner := dbtest.Owner(t, d)
		must(t, owner.Tenant(ctx, ag.tenant.ID, func(tx *db.Tx) error {
			return tx.Table("committees").Where("id = ?", other.ID).Update("filing_folder_id", nil).Error
		}))
		rep, err := w.svc.BackfillFilingFolders(ctx)
		must(t, err)
		if rep.Made != 1 {
			t.Fatalf("backfill: %+v", rep)
		}
		again, err := w.svc.GetCommittee(ctx, ag.admin, other.ID)
		must(t, err)
		if again.FilingFolderID == nil || *again.FilingFolderID == of.ID {
			t.Fatalf("backfilled folder: %+v", again.FilingFolderID)
		}
		if bf, err := w.docs.GetFolder(ctx, ag.admin, *again.FilingFolderID); err != nil || bf.Name != "Haupt- und -Finanz-ausschuss (2)" {
			t.Fatalf("backfilled folder: %+v %v", bf, err)
		}
		if rep, err := w.svc.BackfillFilingFolders(ctx); err != nil || rep.Made != 0 {
			t.Fatalf("second backfill: %+v %v", rep, err)
		}
	})
}

// The chair approves the minutes into the committee's folder without any
// folder permission of their own; the decision extracts are filed beside
// them, and a folder that went to the trash is made anew.
func TestMinutesFiledInTheCommitteeFolder(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		ag := w.a
		f := w.minutesFixture(t, ag)
		_, err := w.svc.AdvanceMeeting(ctx, ag.chair, f.meeting.ID, meetings.Closed)
		must(t, err)
		// The chair holds no folder_acl grant anywhere.
		must(t, w.docs.RemovePermission(ctx, ag.admin, f.folder.ID, documents.RolePrincipal(tenant.RoleStaff)))
		c, err := w.svc.GetCommittee(ctx, ag.admin, ag.committee.ID)
		must(t, err)
		// The committee's folder went to the trash: the approver gets a new one.
		must(t, w.docs.DeleteFolder(ctx, ag.admin, *c.FilingFolderID))
		mn, err := w.svc.Minutes(ctx, ag.chair, f.meeting.ID)
		must(t, err)
		if !mn.CanApprove || mn.FilingFolderID == nil || *mn.FilingFolderID == *c.FilingFolderID {
			t.Fatalf("the chair's minutes: can approve %v, folder %v (trashed: %v)", mn.CanApprove, mn.FilingFolderID, c.FilingFolderID)
		}
		folder := *mn.FilingFolderID
		if access(t, w, ag.chair, folder) != documents.Write {
			t.Fatal("the chair cannot write to the committee's new folder")
		}
		sec, err := w.svc.Minutes(ctx, ag.secretary, f.meeting.ID)
		must(t, err)
		if sec.CanApprove || sec.FilingFolderID == nil || *sec.FilingFolderID != folder {
			t.Fatalf("the secretary's minutes: %v %v", sec.CanApprove, sec.FilingFolderID)
		}

		ap, err := w.svc.ApproveMinutes(ctx, ag.chair, f.meeting.ID, mn.Version, uuid.Nil)
		must(t, err)
		if ap.State != meetings.ApprovedMinutes || len(ap.Filings) != 1 || len(ap.ExtractFilings) != 2 || ap.CanFile {
			t.Fatalf("approved: %d filings, %d extracts, can file %v", len(ap.Filings), len(ap.ExtractFilings), ap.CanFile)
		}
		docs, _, err := w.docs.FolderDocuments(ctx, ag.alice, folder, 10)
		must(t, err)
		if len(docs) != 3 {
			t.Fatalf("the member sees %d documents in the committee's folder", len(docs))
		}
		items := map[uuid.UUID]bool{}
		for _, x := range ap.ExtractFilings {
			doc, err := w.docs.GetDocument(ctx, ag.bob, x.DocumentID)
			must(t, err)
			if doc.FolderID != folder || !strings.HasPrefix(doc.Title, "Beschlussauszug Bauausschuss 2026-03-02 TOP ") ||
				doc.Metadata[meetings.ExtractMetadataKey] != x.AgendaItemID.String() {
				t.Fatalf("extract document: %+v", doc)
			}
			rev, rc, err := w.docs.OpenRevision(ctx, ag.bob, doc.ID, x.RevisionID, 0, -1)
			must(t, err)
			rc.Close()
			ex, err := w.svc.DecisionExtractPDF(ctx, ag.bob, *x.AgendaItemID)
			must(t, err)
			if rev.Size != int64(len(ex.Data)) {
				t.Fatal("the filed extract differs from the download")
			}
			items[*x.AgendaItemID] = true
		}
		if !items[f.named.ID] || !items[f.secret.ID] || items[f.plain.ID] {
			t.Fatalf("extracts filed for %v", items)
		}
		_, err = w.svc.ApproveMinutes(ctx, ag.chair, f.meeting.ID, ap.Version, uuid.Nil)
		wantCode(t, err, errs.Conflict, "approval of filed minutes")

		// A lost extract filing is filed again, into the same document.
		must(t, d.Tenant(ctx, ag.tenant.ID, func(tx *db.Tx) error {
			return tx.Table("minutes_filings").Where("agenda_item_id = ?", f.secret.ID).Delete(map[string]any{}).Error
		}))
		mn, err = w.svc.Minutes(ctx, ag.chair, f.meeting.ID)
		must(t, err)
		if !mn.CanFile || len(mn.ExtractFilings) != 1 {
			t.Fatalf("minutes with a missing extract: can file %v, %d extracts", mn.CanFile, len(mn.ExtractFilings))
		}
		again, err := w.svc.ApproveMinutes(ctx, ag.chair, f.meeting.ID, mn.Version, uuid.Nil)
		must(t, err)
		if len(again.ExtractFilings) != 2 || again.CanFile {
			t.Fatalf("refiled: %d extracts", len(again.ExtractFilings))
		}
		if docs, _, err := w.docs.FolderDocuments(ctx, ag.chair, folder, 10); err != nil || len(docs) != 3 {
			t.Fatalf("after refiling %d documents (%v)", len(docs), err)
		}
	})
}
