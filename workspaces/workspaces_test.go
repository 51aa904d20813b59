package workspaces_test

import (
	"testing"

	"github.com/google/uuid"
	"github.com/kollab/kollab/documents"
	"github.com/kollab/kollab/internal/db"
	"github.com/kollab/kollab/internal/db/dbtest"
	"github.com/kollab/kollab/internal/errs"
	"github.com/kollab/kollab/workspaces"
)

// A workspace is made with its owner and its own folder under
// "Arbeitsräume"; only owners and admins change it, names are unique
// regardless of case and Unicode form, and a stale If-Match fails.
func TestCreateAndPermissions(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		ag := w.a
		ws, err := w.svc.Create(ctx, ag.alice, workspaces.Input{Name: "Straßenausbau Nord", Purpose: "Planung", FileNumber: "AZ 66-12/2026",
			StartsOn: "2026-03-01", EndsOn: "2026-12-31", Visibility: workspaces.Closed})
		must(t, err)
		if ws.MyRole != workspaces.Owner || !ws.CanManage || ws.ResponsibleID != ag.alice.MembershipID || ws.Version != 1 ||
			ws.State != workspaces.Active || ws.MemberCount != 1 || ws.FolderID == nil || ws.StartsOn != "2026-03-01" {
			t.Fatalf("new workspace: %+v", ws)
		}
		f, err := w.docs.GetFolder(ctx, ag.admin, *ws.FolderID)
		must(t, err)
		root, err := w.docs.GetFolder(ctx, ag.admin, *f.ParentID)
		must(t, err)
		if f.Name != "Straßenausbau Nord" || root.Name != documents.WorkspacesRootName || root.ParentID != nil {
			t.Fatalf("folder %+v under %+v", f, root)
		}
		// The same name in another spelling is taken; a second workspace goes into the same root.
		_, err = w.svc.Create(ctx, ag.bob, workspaces.Input{Name: "STRASSENAUSBAU NORD"})
		wantCode(t, "duplicate name", err, errs.Conflict)
		other := w.create(t, ag.bob, "Schulneubau", workspaces.Closed)
		if of, err := w.docs.GetFolder(ctx, ag.admin, *other.FolderID); err != nil || *of.ParentID != root.ID {
			t.Fatalf("second folder: %+v %v", of, err)
		}
		// Bad input.
		for _, in := range []workspaces.Input{{Name: ""}, {Name: "X", StartsOn: "2026-02-30"}, {Name: "X", StartsOn: "2026-03-02", EndsOn: "2026-03-01"},
			{Name: "X", Visibility: "public"}, {Name: "X\x00"}} {
			_, err := w.svc.Create(ctx, ag.alice, in)
			wantCode(t, "bad input", err, errs.Invalid)
		}
		// Partners create no workspaces; a closed one is unknown to outsiders.
		_, err = w.svc.Create(ctx, ag.partner, workspaces.Input{Name: "Extern"})
		wantCode(t, "partner creates", err, errs.Forbidden)
		_, err = w.svc.Get(ctx, ag.bob, ws.ID)
		wantCode(t, "outsider reads closed", err, errs.NotFound)
		if got, err := w.svc.Get(ctx, ag.admin, ws.ID); err != nil || !got.CanManage || got.MyRole != "" {
			t.Fatalf("admin: %+v %v", got, err)
		}
		// Members do not change the workspace; owners do, with If-Match.
		_, err = w.svc.SetMember(ctx, ag.alice, ws.ID, ag.bob.MembershipID, workspaces.Member)
		must(t, err)
		in := workspaces.Input{Name: "Straßenausbau Nord-Ost", Purpose: "Planung", Visibility: workspaces.Open}
		_, err = w.svc.Update(ctx, ag.bob, ws.ID, 1, in)
		wantCode(t, "member updates", err, errs.Forbidden)
		_, err = w.svc.SetMember(ctx, ag.bob, ws.ID, ag.carol.MembershipID, workspaces.Reader)
		wantCode(t, "member adds", err, errs.Forbidden)
		_, err = w.svc.Update(ctx, ag.alice, ws.ID, 7, in)
		wantCode(t, "stale If-Match", err, errs.PreconditionFailed)
		_, err = w.svc.Update(ctx, ag.alice, ws.ID, 0, in)
		wantCode(t, "no If-Match", err, errs.Invalid)
		up, err := w.svc.Update(ctx, ag.alice, ws.ID, 1, in)
		must(t, err)
		if up.Version != 2 || up.Name != in.Name || up.Visibility != workspaces.Open || up.FileNumber != "" {
			t.Fatalf("updated: %+v", up)
		}
		if f, _ := w.docs.GetFolder(ctx, ag.admin, *ws.FolderID); f.Name != in.Name {
			t.Fatalf("the folder keeps its old name %q", f.Name)
		}
		_, err = w.svc.Update(ctx, ag.alice, ws.ID, 2, workspaces.Input{Name: "schulneubau"})
		wantCode(t, "rename onto another", err, errs.Conflict)
		_, err = w.svc.Update(ctx, ag.alice, ws.ID, 2, workspaces.Input{Name: "Y", ResponsibleID: ag.carol.MembershipID})
		wantCode(t, "responsible not a member", err, errs.Invalid)
		// Staff and guests become members, guests never owners; a deactivated person does not.
		_, err = w.svc.SetMember(ctx, ag.alice, ws.ID, ag.partner.MembershipID, workspaces.Owner)
		wantCode(t, "guest made owner", err, errs.Conflict)
		_, err = w.svc.SetMember(ctx, ag.alice, ws.ID, uuid.New(), workspaces.Member)
		wantCode(t, "unknown membership", err, errs.NotFound)
		_, err = w.svc.SetMember(ctx, ag.alice, ws.ID, ag.carol.MembershipID, "boss")
		wantCode(t, "unknown role", err, errs.Invalid)
	})
}

// The last owner cannot leave, be demoted or removed; the responsible
// person stays a writing member.
func TestLastOwner(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		ag := w.a
		ws := w.create(t, ag.alice, "Haushalt 2027", workspaces.Closed)
		_, err := w.svc.SetMember(ctx, ag.alice, ws.ID, ag.alice.MembershipID, workspaces.Member)
		wantCode(t, "demote the last owner", err, errs.Conflict)
		wantCode(t, "last owner leaves", w.svc.RemoveMember(ctx, ag.alice, ws.ID, ag.alice.MembershipID), errs.Conflict)
		wantCode(t, "admin removes the last owner", w.svc.RemoveMember(ctx, ag.admin, ws.ID, ag.alice.MembershipID), errs.Conflict)
		_, err = w.svc.SetMember(ctx, ag.admin, ws.ID, ag.bob.MembershipID, workspaces.Owner)
		must(t, err)
		// Two owners now, but alice answers for the workspace.
		wantCode(t, "responsible leaves", w.svc.RemoveMember(ctx, ag.alice, ws.ID, ag.alice.MembershipID), errs.Conflict)
		_, err = w.svc.SetMember(ctx, ag.bob, ws.ID, ag.alice.MembershipID, workspaces.Reader)
		wantCode(t, "responsible made reader", err, errs.Conflict)
		cur, err := w.svc.Get(ctx, ag.bob, ws.ID)
		must(t, err)
		_, err = w.svc.Update(ctx, ag.bob, ws.ID, cur.Version, workspaces.Input{Name: cur.Name, ResponsibleID: ag.bob.MembershipID})
		must(t, err)
		must(t, w.svc.RemoveMember(ctx, ag.alice, ws.ID, ag.alice.MembershipID))
		wantCode(t, "bob is the last owner now", w.svc.RemoveMember(ctx, ag.bob, ws.ID, ag.bob.MembershipID), errs.Conflict)
		_, err = w.svc.Get(ctx, ag.alice, ws.ID)
		wantCode(t, "alice left", err, errs.NotFound)
		wantCode(t, "remove a non-member", w.svc.RemoveMember(ctx, ag.bob, ws.ID, ag.carol.MembershipID), errs.NotFound)
		ms, err := w.svc.ListMembers(ctx, ag.bob, ws.ID)
		must(t, err)
		if len(ms) != 1 || ms[0].MembershipID != ag.bob.MembershipID || ms[0].Role != workspaces.Owner {
			t.Fatalf("members: %+v", ms)
		}
	})
}

// The folder's permissions follow the membership: owners and members
// write, readers read, a removed member loses access at once, subfolders
// inherit, and nobody edits the folder's permissions by hand.
func TestFolderFollowsMembership(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		ag := w.a
		ws := w.create(t, ag.alice, "Radwegekonzept", workspaces.Closed)
		fid := *ws.FolderID
		if w.access(t, ag.bob, fid) != documents.None || w.canWrite(t, ag.bob, fid) {
			t.Fatal("bob reaches the folder before he is a member")
		}
		_, err := w.svc.SetMember(ctx, ag.alice, ws.ID, ag.bob.MembershipID, workspaces.Member)
		must(t, err)
		_, err = w.svc.SetMember(ctx, ag.alice, ws.ID, ag.carol.MembershipID, workspaces.Reader)
		must(t, err)
		if got := w.access(t, ag.alice, fid); got != documents.Write || !w.canWrite(t, ag.alice, fid) {
			t.Fatalf("owner: %v", got)
		}
		if got := w.access(t, ag.bob, fid); got != documents.Write || !w.canWrite(t, ag.bob, fid) {
			t.Fatalf("member: %v", got)
		}
		if got := w.access(t, ag.carol, fid); got != documents.Read || w.canWrite(t, ag.carol, fid) {
			t.Fatalf("reader: %v", got)
		}
		sub, err := w.docs.CreateFolder(ctx, ag.bob, fid, "Entwürfe")
		must(t, err)
		if w.access(t, ag.carol, sub.ID) != documents.Read || !w.canWrite(t, ag.bob, sub.ID) {
			t.Fatal("the subfolder does not inherit the workspace's grants")
		}
		// A role change counts at once.
		_, err = w.svc.SetMember(ctx, ag.alice, ws.ID, ag.carol.MembershipID, workspaces.Member)
		must(t, err)
		if !w.canWrite(t, ag.carol, sub.ID) {
			t.Fatal("carol promoted cannot write")
		}
		// A removed member no longer reads.
		must(t, w.svc.RemoveMember(ctx, ag.alice, ws.ID, ag.bob.MembershipID))
		if w.access(t, ag.bob, fid) != documents.None || w.access(t, ag.bob, sub.ID) != documents.None || w.canWrite(t, ag.bob, fid) {
			t.Fatal("bob still reaches the folder after his removal")
		}
		// Hand edits of the folder's permissions are refused, even for admins.
		_, err = w.docs.SetPermission(ctx, ag.admin, fid, documents.RolePrincipal("staff"), documents.Read)
		wantCode(t, "hand grant", err, errs.Conflict)
		_, err = w.docs.SetInheritance(ctx, ag.admin, fid, false, true)
		wantCode(t, "hand inheritance", err, errs.Conflict)
		wantCode(t, "hand removal", w.docs.RemovePermission(ctx, ag.admin, fid, documents.RolePrincipal("staff")), errs.Conflict)
		if w.access(t, ag.admin, fid) != documents.Manage {
			t.Fatal("the admin does not manage the workspace's folder")
		}
		// Its name follows the workspace's: a hand rename is refused (a member
		// writes in it, the admin manages it); its subfolders are renamed freely.
		_, err = w.docs.RenameFolder(ctx, ag.carol, fid, "Anders")
		wantCode(t, "member renames the folder", err, errs.Conflict)
		_, err = w.docs.RenameFolder(ctx, ag.admin, fid, "Anders")
		wantCode(t, "admin renames the folder", err, errs.Conflict)
		_, err = w.docs.RenameFolder(ctx, ag.carol, sub.ID, "Pläne (neu)")
		must(t, err)
		// The folder lives as long as its workspace: neither it nor the root goes to the trash.
		wantCode(t, "trash the folder", w.docs.DeleteFolder(ctx, ag.admin, fid), errs.Conflict)
		f, err := w.docs.GetFolder(ctx, ag.admin, fid)
		must(t, err)
		wantCode(t, "trash the root", w.docs.DeleteFolder(ctx, ag.admin, *f.ParentID), errs.Conflict)
		acl, err := w.docs.Permissions(ctx, ag.admin, sub.ID)
		must(t, err)
		if len(acl.Entries) != 0 || len(acl.Workspaces) != 1 || acl.Workspaces[0].WorkspaceID != ws.ID || !acl.Workspaces[0].Inherited ||
			acl.Workspaces[0].SourceFolderID != fid {
			t.Fatalf("the subfolder's permissions: %+v", acl)
		}
		// Another tenant's people see nothing of it.
		if w.access(t, w.b.admin, fid) != documents.None {
			t.Fatal("tenant B's admin sees A's workspace folder")
		}
	})
}

// An archived workspace is read-only: its fields, members and folder;
// restoring it gives the writers back their rights.
func TestArchiveIsReadOnly(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		ag := w.a
		ws := w.create(t, ag.alice, "Wahl 2026", workspaces.Open)
		fid := *ws.FolderID
		_, err := w.svc.SetMember(ctx, ag.alice, ws.ID, ag.bob.MembershipID, workspaces.Member)
		must(t, err)
		sub, err := w.docs.CreateFolder(ctx, ag.bob, fid, "Ergebnisse")
		must(t, err)
		_, err = w.svc.Archive(ctx, ag.bob, ws.ID, 0)
		wantCode(t, "member archives", err, errs.Forbidden)
		_, err = w.svc.Archive(ctx, ag.alice, ws.ID, 99)
		wantCode(t, "stale archive", err, errs.PreconditionFailed)
		ar, err := w.svc.Archive(ctx, ag.alice, ws.ID, ws.Version)
		must(t, err)
		if ar.State != workspaces.Archived || ar.ArchivedAt == nil || ar.ArchivedBy == nil || *ar.ArchivedBy != ag.alice.MembershipID {
			t.Fatalf("archived: %+v", ar)
		}
		if w.access(t, ag.bob, fid) != documents.Read || w.access(t, ag.alice, sub.ID) != documents.Read || w.access(t, ag.admin, fid) != documents.Read {
			t.Fatal("an archived workspace's folder is not read-only")
		}
		if w.canWrite(t, ag.bob, fid) || w.canWrite(t, ag.admin, sub.ID) {
			t.Fatal("someone writes into an archived workspace's folder")
		}
		_, err = w.docs.CreateFolder(ctx, ag.admin, fid, "Neu")
		wantCode(t, "admin makes a folder in the archive", err, errs.Forbidden)
		_, err = w.svc.Update(ctx, ag.alice, ws.ID, ar.Version, workspaces.Input{Name: "Wahl 2027"})
		wantCode(t, "update archived", err, errs.Conflict)
		_, err = w.svc.SetMember(ctx, ag.alice, ws.ID, ag.carol.MembershipID, workspaces.Reader)
		wantCode(t, "add to archived", err, errs.Conflict)
		wantCode(t, "remove from archived", w.svc.RemoveMember(ctx, ag.alice, ws.ID, ag.bob.MembershipID), errs.Conflict)
		_, err = w.svc.Join(ctx, ag.carol, ws.ID)
		wantCode(t, "join archived", err, errs.Conflict)
		// Archiving again changes nothing; restoring gives the rights back.
		again, err := w.svc.Archive(ctx, ag.admin, ws.ID, 0)
		must(t, err)
		if again.Version != ar.Version {
			t.Fatalf("archiving twice made version %d", again.Version)
		}
		re, err := w.svc.Restore(ctx, ag.admin, ws.ID, ar.Version)
		must(t, err)
		if re.State != workspaces.Active || re.ArchivedAt != nil || re.Version != ar.Version+1 {
			t.Fatalf("restored: %+v", re)
		}
		if !w.canWrite(t, ag.bob, sub.ID) || w.access(t, ag.admin, fid) != documents.Manage {
			t.Fatal("a restored workspace's folder stays read-only")
		}
	})
}
