package documents_test

import (
	"slices"
	"testing"

	"github.com/google/uuid"
	"github.com/kollab/kollab/documents"
	"github.com/kollab/kollab/internal/db"
	"github.com/kollab/kollab/internal/db/dbtest"
	"github.com/kollab/kollab/internal/errs"
	"github.com/kollab/kollab/tenant"
)

// tree is root / l1 / l2 / l3 with one document in each folder.
type tree struct {
	root, l1, l2, l3 *documents.Folder
	docs             map[uuid.UUID]uuid.UUID // folder -> its document
}

func buildTree(t *testing.T, w *world, ag *agency) *tree {
	t.Helper()
	tr := &tree{docs: map[uuid.UUID]uuid.UUID{}}
	tr.root = w.folder(t, ag.admin, uuid.Nil, "Akten")
	tr.l1 = w.folder(t, ag.admin, tr.root.ID, "Bau")
	tr.l2 = w.folder(t, ag.admin, tr.l1.ID, "Projekte")
	tr.l3 = w.folder(t, ag.admin, tr.l2.ID, "Schule")
	for _, f := range []*documents.Folder{tr.root, tr.l1, tr.l2, tr.l3} {
		tr.docs[f.ID] = w.doc(t, ag.admin, f.ID, "Dokument in "+f.Name).ID
	}
	return tr
}

// expectLevel checks the actor's effective level on a folder through
// every read path and, for the boundary levels, through the writes.
func expectLevel(t *testing.T, w *world, a tenant.Actor, who string, f *documents.Folder, parent uuid.UUID, docID uuid.UUID, want documents.Level) {
	t.Helper()
	got, err := w.svc.GetFolder(ctx, a, f.ID)
	if want == documents.None {
		wantCode(t, err, errs.NotFound, who+" GetFolder "+f.Name)
		_, err = w.svc.GetDocument(ctx, a, docID)
		wantCode(t, err, errs.NotFound, who+" GetDocument in "+f.Name)
		_, err = w.svc.ListDocuments(ctx, a, f.ID, documents.Page{})
		wantCode(t, err, errs.NotFound, who+" ListDocuments "+f.Name)
		_, err = w.svc.CreateDocument(ctx, a, f.ID, documents.DocumentInput{Title: "x"})
		wantCode(t, err, errs.NotFound, who+" CreateDocument in "+f.Name)
		if w.visibleDocs(t, a)[docID] {
			t.Fatalf("%s finds the document in %s", who, f.Name)
		}
		if _, err := w.svc.ListFolders(ctx, a, parent, documents.Page{}); err == nil && slices.Contains(w.childNames(t, a, parent), f.Name) {
			t.Fatalf("%s lists %s", who, f.Name)
		}
		return
	}
	if err != nil || got.Access != want {
		t.Fatalf("%s on %s: access %v, want %v (err %v)", who, f.Name, got, want, err)
	}
	d, err := w.svc.GetDocument(ctx, a, docID)
	if err != nil || d.Access != want {
		t.Fatalf("%s document in %s: %+v %v", who, f.Name, d, err)
	}
	if !w.visibleDocs(t, a)[docID] {
		t.Fatalf("%s does not find the document in %s", who, f.Name)
	}
	_, err = w.svc.CreateDocument(ctx, a, f.ID, documents.DocumentInput{Title: "Probe " + uuid.NewString()})
	if want < documents.Write {
		wantCode(t, err, errs.Forbidden, who+" CreateDocument in "+f.Name)
	} else if err != nil {
		t.Fatalf("%s CreateDocument in %s: %v", who, f.Name, err)
	}
	_, err = w.svc.Permissions(ctx, a, f.ID)
	if want < documents.Manage {
		wantCode(t, err, errs.Forbidden, who+" Permissions of "+f.Name)
	} else if err != nil {
		t.Fatalf("%s Permissions of %s: %v", who, f.Name, err)
	}
}

type expectation struct {
	who   string
	actor tenant.Actor
	lvl   [4]documents.Level // root, l1, l2, l3
}

func (tr *tree) check(t *testing.T, w *world, rows []expectation) {
	t.Helper()
	folders := []*documents.Folder{tr.root, tr.l1, tr.l2, tr.l3}
	for _, r := range rows {
		for i, f := range folders {
			parent := uuid.Nil
			if f.ParentID != nil {
				parent = *f.ParentID
			}
			expectLevel(t, w, r.actor, r.who, f, parent, tr.docs[f.ID], r.lvl[i])
		}
	}
}

func TestPermissionMatrix(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		ag := w.a
		tr := buildTree(t, w, ag)
		buildTree(t, w, w.b) // the other tenant has the same names

		const N, R, W, M = documents.None, documents.Read, documents.Write, documents.Manage
		// Without any entry only admins see anything.
		tr.check(t, w, []expectation{
			{"admin", ag.admin, [4]documents.Level{M, M, M, M}},
			{"alice", ag.alice, [4]documents.Level{N, N, N, N}},
		})

		// On l1: staff role reads, the group writes, carol manages.
		w.grant(t, ag.admin, tr.l1.ID, documents.RolePrincipal(tenant.RoleStaff), R)
		w.grant(t, ag.admin, tr.l1.ID, documents.GroupPrincipal(ag.group.ID), W)
		w.grant(t, ag.admin, tr.l1.ID, documents.UserPrincipal(ag.carol.MembershipID), M)
		tr.check(t, w, []expectation{
			{"alice/role", ag.alice, [4]documents.Level{N, R, R, R}},
			{"bob/group", ag.bob, [4]documents.Level{N, W, W, W}},
			{"carol/user", ag.carol, [4]documents.Level{N, M, M, M}},
			{"dave", ag.dave, [4]documents.Level{N, N, N, N}},
			{"admin", ag.admin, [4]documents.Level{M, M, M, M}},
		})
		// The highest grant wins: alice gets write on l2 directly.
		w.grant(t, ag.admin, tr.l2.ID, documents.UserPrincipal(ag.alice.MembershipID), W)
		tr.check(t, w, []expectation{{"alice/user+role", ag.alice, [4]documents.Level{N, R, W, W}}})

		// carol (manager of l1) breaks inheritance on l2 and grants dave
		// read. Without copying she would lock herself out: refused.
		_, err := w.svc.SetInheritance(ctx, ag.carol, tr.l2.ID, false, false)
		wantCode(t, err, errs.Conflict, "self lock-out")
		w.grant(t, ag.carol, tr.l2.ID, documents.UserPrincipal(ag.carol.MembershipID), M)
		acl, err := w.svc.SetInheritance(ctx, ag.carol, tr.l2.ID, false, false)
		must(t, err)
		if acl.InheritACL || len(acl.Entries) != 2 {
			t.Fatalf("acl after break: %+v", acl)
		}
		w.grant(t, ag.carol, tr.l2.ID, documents.UserPrincipal(ag.dave.MembershipID), R)
		tr.check(t, w, []expectation{
			{"alice/broken", ag.alice, [4]documents.Level{N, R, W, W}}, // her own entry on l2 stays
			{"bob/broken", ag.bob, [4]documents.Level{N, W, N, N}},
			{"carol/broken", ag.carol, [4]documents.Level{N, M, M, M}},
			{"dave/broken", ag.dave, [4]documents.Level{N, N, R, R}},
		})
		// bob sees l1 but not its child l2.
		if names := w.childNames(t, ag.bob, tr.l1.ID); len(names) != 0 {
			t.Fatalf("bob lists %v under l1", names)
		}

		// Moving l3 out of the broken subtree changes its permissions.
		_, err = w.svc.MoveFolder(ctx, ag.dave, tr.l3.ID, tr.l1.ID)
		wantCode(t, err, errs.Forbidden, "reader moves a folder")
		moved, err := w.svc.MoveFolder(ctx, ag.admin, tr.l3.ID, tr.l1.ID)
		must(t, err)
		if moved.ParentID == nil || *moved.ParentID != tr.l1.ID {
			t.Fatalf("moved: %+v", moved)
		}
		tr.l3 = moved
		tr.check(t, w, []expectation{
			{"alice/moved", ag.alice, [4]documents.Level{N, R, W, R}},
			{"bob/moved", ag.bob, [4]documents.Level{N, W, N, W}},
			{"carol/moved", ag.carol, [4]documents.Level{N, M, M, M}},
			{"dave/moved", ag.dave, [4]documents.Level{N, N, R, N}},
		})

		// Restoring inheritance on l2 brings the l1 entries back.
		_, err = w.svc.SetInheritance(ctx, ag.admin, tr.l2.ID, true, false)
		must(t, err)
		tr.check(t, w, []expectation{{"bob/inherit", ag.bob, [4]documents.Level{N, W, W, W}}})

		// Leaving the group or losing the entry revokes at once.
		must(t, w.tenants.SetGroupMember(ctx, tenant.Operator(ag.tenant.ID), ag.group.ID, ag.bob.MembershipID, false))
		tr.check(t, w, []expectation{{"bob/no group", ag.bob, [4]documents.Level{N, R, R, R}}}) // still staff
		must(t, w.svc.RemovePermission(ctx, ag.admin, tr.l1.ID, documents.RolePrincipal(tenant.RoleStaff)))
		tr.check(t, w, []expectation{
			{"alice/no role", ag.alice, [4]documents.Level{N, N, W, N}},
			{"bob/no role", ag.bob, [4]documents.Level{N, N, N, N}},
		})

		// Admin of the other tenant sees nothing of this one.
		if n := len(w.visibleDocs(t, w.b.admin)); n != 4 {
			t.Fatalf("admin of B finds %d documents, want its own 4", n)
		}
	})
}

// An admin may set a break that copies the inherited entries, so that
// nobody loses access; Permissions lists own and inherited entries.
func TestBreakInheritanceWithCopy(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		ag := w.a
		tr := buildTree(t, w, ag)
		w.grant(t, ag.admin, tr.root.ID, documents.RolePrincipal(tenant.RoleStaff), documents.Read)
		w.grant(t, ag.admin, tr.l1.ID, documents.UserPrincipal(ag.alice.MembershipID), documents.Write)
		acl, err := w.svc.Permissions(ctx, ag.admin, tr.l2.ID)
		must(t, err)
		if len(acl.Entries) != 2 || !acl.Entries[0].Inherited || !acl.Entries[1].Inherited {
			t.Fatalf("inherited entries: %+v", acl.Entries)
		}
		acl, err = w.svc.SetInheritance(ctx, ag.admin, tr.l2.ID, false, true)
		must(t, err)
		if acl.InheritACL || len(acl.Entries) != 2 || acl.Entries[0].Inherited || acl.Entries[1].Inherited {
			t.Fatalf("copied entries: %+v", acl.Entries)
		}
		// Removing the staff read from root no longer affects l2 and below.
		must(t, w.svc.RemovePermission(ctx, ag.admin, tr.root.ID, documents.RolePrincipal(tenant.RoleStaff)))
		tr.check(t, w, []expectation{
			{"bob", ag.bob, [4]documents.Level{documents.None, documents.None, documents.Read, documents.Read}},
			{"alice", ag.alice, [4]documents.Level{documents.None, documents.Write, documents.Write, documents.Write}},
		})
		// Entries must name a principal of this tenant.
		_, err = w.svc.SetPermission(ctx, ag.admin, tr.l1.ID, documents.GroupPrincipal(w.b.group.ID), documents.Read)
		wantCode(t, err, errs.Invalid, "foreign group")
		_, err = w.svc.SetPermission(ctx, ag.admin, tr.l1.ID, documents.UserPrincipal(w.b.alice.MembershipID), documents.Read)
		wantCode(t, err, errs.Invalid, "foreign member")
		_, err = w.svc.SetPermission(ctx, ag.admin, tr.l1.ID, documents.Principal{Type: "everyone"}, documents.Read)
		wantCode(t, err, errs.Invalid, "unknown principal type")
		_, err = w.svc.SetPermission(ctx, ag.admin, tr.l1.ID, documents.RolePrincipal(tenant.RoleStaff), documents.Level(7))
		wantCode(t, err, errs.Invalid, "unknown level")
		// Deleting a group deletes its entries.
		w.grant(t, ag.admin, tr.l1.ID, documents.GroupPrincipal(ag.group.ID), documents.Read)
		must(t, w.tenants.DeleteGroup(ctx, tenant.Operator(ag.tenant.ID), ag.group.ID))
		acl, err = w.svc.Permissions(ctx, ag.admin, tr.l1.ID)
		must(t, err)
		for _, e := range acl.Entries {
			if e.Principal.Type == documents.PrincipalGroup {
				t.Fatalf("entry of a deleted group survives: %+v", e)
			}
		}
	})
}
