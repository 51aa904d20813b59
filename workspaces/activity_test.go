package workspaces_test

import (
	"slices"
	"testing"

	"github.com/google/uuid"
	"github.com/kollab/kollab/documents"
	"github.com/kollab/kollab/internal/db"
	"github.com/kollab/kollab/internal/db/dbtest"
	"github.com/kollab/kollab/internal/errs"
	"github.com/kollab/kollab/tenant"
	"github.com/kollab/kollab/workspaces"
)

func kinds(t *testing.T, w *world, a tenant.Actor, id uuid.UUID) []string {
	t.Helper()
	p, err := w.svc.Activity(ctx, a, id, uuid.Nil, 0)
	must(t, err)
	out := make([]string, len(p.Items))
	for i, it := range p.Items {
		out[i] = it.Kind + ":" + it.ObjectTitle
		if it.SubjectName != nil {
			out[i] += ":" + *it.SubjectName
		}
	}
	return out
}

// The feed lists the workspace's changes and the documents of its folder,
// newest first; a guest member reads and writes the folder and sees the
// feed; a document in a subfolder that breaks inheritance shows only to
// whoever reads that subfolder; staff outside the workspace get no feed.
func TestActivityFeed(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		ag := w.a
		ws := w.create(t, ag.alice, "Radweg Nordstadt", workspaces.Open)
		_, err := w.svc.SetMember(ctx, ag.alice, ws.ID, ag.partner.MembershipID, workspaces.Member)
		must(t, err)
		if !w.canWrite(t, ag.partner, *ws.FolderID) {
			t.Fatal("the guest member cannot write to the workspace's folder")
		}
		plan, err := w.docs.CreateDocument(ctx, ag.alice, *ws.FolderID, documents.DocumentInput{Title: "Lageplan"})
		must(t, err)
		internal, err := w.docs.CreateFolder(ctx, ag.alice, *ws.FolderID, "Intern")
		must(t, err)
		_, err = w.docs.SetInheritance(ctx, ag.admin, internal.ID, false, false)
		must(t, err)
		_, err = w.docs.SetPermission(ctx, ag.admin, internal.ID, documents.UserPrincipal(ag.alice.MembershipID), documents.Manage)
		must(t, err)
		_, err = w.docs.CreateDocument(ctx, ag.alice, internal.ID, documents.DocumentInput{Title: "Vermerk"})
		must(t, err)
		must(t, w.docs.DeleteDocument(ctx, ag.alice, plan.ID, 0))
		other := w.create(t, ag.bob, "Schule", workspaces.Closed)
		_, err = w.docs.CreateDocument(ctx, ag.bob, *other.FolderID, documents.DocumentInput{Title: "Fremd"})
		must(t, err)

		got := kinds(t, w, ag.alice, ws.ID)
		want := []string{"document.trashed:Lageplan", "document.created:Vermerk", "document.created:Lageplan"}
		if len(got) != 6 || !slices.Equal(got[:len(want)], want) || got[4] != "member.added::partner" || got[5] != "workspace.created:Radweg Nordstadt" {
			t.Fatalf("alice's feed: %q", got)
		}
		guest := kinds(t, w, ag.partner, ws.ID)
		if slices.Contains(guest, "document.created:Vermerk") || !slices.Contains(guest, "document.created:Lageplan") {
			t.Fatalf("the guest's feed: %q", guest)
		}
		for _, g := range append(guest, got...) {
			if g == "document.created:Fremd" {
				t.Fatal("another workspace's document in the feed")
			}
		}
		_, err = w.svc.Activity(ctx, ag.carol, ws.ID, uuid.Nil, 0) // staff, not a member, of an open workspace
		wantCode(t, "non-member's feed", err, errs.Forbidden)
		_, err = w.svc.Activity(ctx, ag.partner, other.ID, uuid.Nil, 0)
		wantCode(t, "guest's feed of another workspace", err, errs.NotFound)
		_, err = w.svc.Activity(ctx, w.b.admin, ws.ID, uuid.Nil, 0)
		wantCode(t, "another tenant's feed", err, errs.NotFound)
		if admin := kinds(t, w, ag.admin, ws.ID); !slices.Contains(admin, "document.created:Vermerk") {
			t.Fatalf("admin's feed: %q", admin)
		}
		// Pages: newest first, continued by Next.
		p, err := w.svc.Activity(ctx, ag.alice, ws.ID, uuid.Nil, 2)
		must(t, err)
		rest, err := w.svc.Activity(ctx, ag.alice, ws.ID, p.Next, 50)
		must(t, err)
		if len(p.Items) != 2 || p.Next == uuid.Nil || len(rest.Items) != len(got)-2 || rest.Items[0].ID == p.Items[1].ID {
			t.Fatalf("pages: %d + %d of %d", len(p.Items), len(rest.Items), len(got))
		}
	})
}
