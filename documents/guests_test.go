package documents_test

import (
	"testing"

	"github.com/google/uuid"
	"github.com/kollab/kollab/documents"
	"github.com/kollab/kollab/internal/db"
	"github.com/kollab/kollab/internal/db/dbtest"
	"github.com/kollab/kollab/internal/errs"
	"github.com/kollab/kollab/tenant"
)

// A guest (external partner) reaches no folder through folder_acl: not by
// its role, not by name, not through a group. Everything the entries name
// answers like an unknown id, and no list, search or recent-documents
// view shows it. (Guests reach their workspaces' folders through the
// workspace membership: workspaces/guests_test.go.)
func TestGuestsReachNothingThroughEntries(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		ag := w.newAgency(t, "gast")
		guest := w.member(t, ag.tenant, tenant.RolePartner, "gast")
		must(t, w.tenants.SetGroupMember(ctx, tenant.Operator(ag.tenant.ID), ag.group.ID, guest.MembershipID, true))
		byRole := w.folder(t, ag.admin, uuid.Nil, "Für Partner")
		w.grant(t, ag.admin, byRole.ID, documents.RolePrincipal(tenant.RolePartner), documents.Write)
		byName := w.folder(t, ag.admin, uuid.Nil, "Für Gast")
		w.grant(t, ag.admin, byName.ID, documents.UserPrincipal(guest.MembershipID), documents.Manage)
		byGroup := w.folder(t, ag.admin, uuid.Nil, "Bauamt")
		w.grant(t, ag.admin, byGroup.ID, documents.Principal{Type: documents.PrincipalGroup, GroupID: ag.group.ID}, documents.Read)
		var docs []*documents.Document
		for _, f := range []*documents.Folder{byRole, byName, byGroup} {
			docs = append(docs, w.doc(t, ag.admin, f.ID, "Bericht "+f.Name))
		}
		for _, f := range []*documents.Folder{byRole, byName, byGroup} {
			_, err := w.svc.GetFolder(ctx, guest, f.ID)
			wantCode(t, err, errs.NotFound, "folder "+f.Name)
			_, err = w.svc.ListDocuments(ctx, guest, f.ID, documents.Page{})
			wantCode(t, err, errs.NotFound, "documents of "+f.Name)
			_, err = w.svc.CreateFolder(ctx, guest, f.ID, "Neu")
			wantCode(t, err, errs.NotFound, "subfolder in "+f.Name)
		}
		for _, d := range docs {
			_, err := w.svc.GetDocument(ctx, guest, d.ID)
			wantCode(t, err, errs.NotFound, "document "+d.Title)
		}
		roots, err := w.svc.ListFolders(ctx, guest, uuid.Nil, documents.Page{})
		must(t, err)
		if len(roots.Folders) != 0 {
			t.Fatalf("guest lists folders: %+v", roots.Folders)
		}
		if got := w.recentTitles(t, guest); len(got) != 0 {
			t.Fatalf("guest's recent documents: %q", got)
		}
		res, err := w.svc.Search(ctx, guest, documents.SearchQuery{Text: "Bericht"})
		must(t, err)
		if len(res.Hits) != 0 {
			t.Fatalf("guest finds %d documents", len(res.Hits))
		}
		// The same entries reach a staff member through the group.
		if res, err := w.svc.Search(ctx, ag.bob, documents.SearchQuery{Text: "Bericht"}); err != nil || len(res.Hits) != 1 {
			t.Fatalf("bob (group) finds: %+v %v", res, err)
		}
	})
}
