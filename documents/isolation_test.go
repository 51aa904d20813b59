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

// Every operation on another tenant's ids answers NotFound, exactly like
// a missing id, even for that tenant's admin; nothing changes.
func TestCrossTenantIDsAreNotFound(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		// A's objects, live and trashed.
		aRoot := w.folder(t, w.a.admin, uuid.Nil, "Akten")
		aSub := w.folder(t, w.a.admin, aRoot.ID, "Bau")
		aDoc := w.doc(t, w.a.admin, aSub.ID, "Geheim")
		aGone := w.doc(t, w.a.admin, aRoot.ID, "Gelöscht")
		aGoneFolder := w.folder(t, w.a.admin, aRoot.ID, "Alt")
		must(t, w.svc.DeleteDocument(ctx, w.a.admin, aGone.ID, 0))
		must(t, w.svc.DeleteFolder(ctx, w.a.admin, aGoneFolder.ID))
		// B's own objects.
		bRoot := w.folder(t, w.b.admin, uuid.Nil, "Akten")
		bDoc := w.doc(t, w.b.admin, bRoot.ID, "Eigenes")

		for _, who := range []struct {
			name string
			a    tenant.Actor
		}{{"admin of B", w.b.admin}, {"staff of B", w.b.alice}} {
			b := who.a
			for name, call := range map[string]func() error{
				"GetFolder":     func() error { _, err := w.svc.GetFolder(ctx, b, aSub.ID); return err },
				"ListFolders":   func() error { _, err := w.svc.ListFolders(ctx, b, aRoot.ID, documents.Page{}); return err },
				"ListDocuments": func() error { _, err := w.svc.ListDocuments(ctx, b, aSub.ID, documents.Page{}); return err },
				"FindDocuments": func() error {
					_, err := w.svc.FindDocuments(ctx, b, documents.DocumentFilter{FolderID: aRoot.ID, Recursive: true})
					return err
				},
				"CreateFolder":   func() error { _, err := w.svc.CreateFolder(ctx, b, aSub.ID, "x"); return err },
				"RenameFolder":   func() error { _, err := w.svc.RenameFolder(ctx, b, aSub.ID, "x"); return err },
				"MoveFolder out": func() error { _, err := w.svc.MoveFolder(ctx, b, aSub.ID, bRoot.ID); return err },
				"MoveFolder in":  func() error { _, err := w.svc.MoveFolder(ctx, b, bRoot.ID, aSub.ID); return err },
				"CopyFolder out": func() error { _, err := w.svc.CopyFolder(ctx, b, aSub.ID, bRoot.ID, ""); return err },
				"CopyFolder in":  func() error { _, err := w.svc.CopyFolder(ctx, b, bRoot.ID, aSub.ID, "x"); return err },
				"DeleteFolder":   func() error { return w.svc.DeleteFolder(ctx, b, aSub.ID) },
				"RestoreFolder":  func() error { _, err := w.svc.RestoreFolder(ctx, b, aGoneFolder.ID); return err },
				"PurgeFolder":    func() error { _, err := w.svc.PurgeFolder(ctx, b, aGoneFolder.ID); return err },
				"SetRetention":   func() error { _, err := w.svc.SetFolderRetention(ctx, b, aSub.ID, ptr(1)); return err },
				"SetPermission": func() error {
					_, err := w.svc.SetPermission(ctx, b, aSub.ID, documents.RolePrincipal(tenant.RoleStaff), documents.Read)
					return err
				},
				"RemovePermission": func() error {
					return w.svc.RemovePermission(ctx, b, aSub.ID, documents.RolePrincipal(tenant.RoleStaff))
				},
				"Permissions":    func() error { _, err := w.svc.Permissions(ctx, b, aSub.ID); return err },
				"SetInheritance": func() error { _, err := w.svc.SetInheritance(ctx, b, aSub.ID, false, true); return err },
				"GetDocument":    func() error { _, err := w.svc.GetDocument(ctx, b, aDoc.ID); return err },
				"CreateDocument": func() error {
					_, err := w.svc.CreateDocument(ctx, b, aSub.ID, documents.DocumentInput{Title: "x"})
					return err
				},
				"UpdateDocument": func() error {
					_, err := w.svc.UpdateDocument(ctx, b, aDoc.ID, 1, documents.DocumentPatch{Title: ptr("x")})
					return err
				},
				"MoveDocument out":      func() error { _, err := w.svc.MoveDocument(ctx, b, aDoc.ID, bRoot.ID, 0); return err },
				"MoveDocument in":       func() error { _, err := w.svc.MoveDocument(ctx, b, bDoc.ID, aSub.ID, 0); return err },
				"CopyDocument out":      func() error { _, err := w.svc.CopyDocument(ctx, b, aDoc.ID, bRoot.ID, ""); return err },
				"CopyDocument in":       func() error { _, err := w.svc.CopyDocument(ctx, b, bDoc.ID, aSub.ID, ""); return err },
				"DeleteDocument":        func() error { return w.svc.DeleteDocument(ctx, b, aDoc.ID, 0) },
				"RestoreDocument":       func() error { _, err := w.svc.RestoreDocument(ctx, b, aGone.ID); return err },
				"PurgeDocument":         func() error { _, err := w.svc.PurgeDocument(ctx, b, aGone.ID); return err },
				"CheckOut":              func() error { _, err := w.svc.CheckOut(ctx, b, aDoc.ID, 0); return err },
				"CheckIn":               func() error { _, err := w.svc.CheckIn(ctx, b, aDoc.ID); return err },
				"SetLegalHold":          func() error { _, err := w.svc.SetLegalHold(ctx, b, aDoc.ID, "x"); return err },
				"ClearLegalHold":        func() error { _, err := w.svc.ClearLegalHold(ctx, b, aDoc.ID); return err },
				"ReplaceContent of A's": func() error { _, _, err := w.svc.ReplaceContent(ctx, b, aDoc.ID, bDoc.ID, 0); return err },
				"ReplaceContent from A's": func() error {
					_, _, err := w.svc.ReplaceContent(ctx, b, bDoc.ID, aDoc.ID, 0)
					return err
				},
				"Missing folder id": func() error { _, err := w.svc.GetFolder(ctx, b, uuid.New()); return err },
			} {
				if err := call(); !errs.Is(err, errs.NotFound) {
					t.Errorf("%s: %s on A's object: %v", who.name, name, err)
				}
			}
		}
		// A's objects are untouched, B's lists hold only B's.
		doc, err := w.svc.GetDocument(ctx, w.a.admin, aDoc.ID)
		must(t, err)
		if doc.Title != "Geheim" || doc.Version != 1 || doc.Lock != nil || doc.LegalHold != nil || doc.FolderID != aSub.ID {
			t.Fatalf("A's document changed: %+v", doc)
		}
		if names := w.childNames(t, w.b.admin, uuid.Nil); len(names) != 1 {
			t.Fatalf("B's roots: %v", names)
		}
		if got := w.visibleDocs(t, w.b.admin); len(got) != 1 || !got[bDoc.ID] {
			t.Fatalf("B finds %v", got)
		}
		if got := trashIDs(t, w, w.b.admin); len(got) != 0 {
			t.Fatalf("B's trash shows %v", got)
		}
		res, err := w.svc.EmptyTrash(ctx, w.b.admin)
		must(t, err)
		if len(res.Documents)+len(res.Folders) != 0 {
			t.Fatalf("B purged A's trash: %+v", res)
		}
		if got := trashIDs(t, w, w.a.admin); len(got) != 2 {
			t.Fatalf("A's trash: %v", got)
		}
	})
}

// An actor whose membership belongs to another tenant, or whose role is
// not the stored one, gets nowhere; below the service, the composite
// foreign keys refuse links across tenants.
func TestMismatchedActorAndForeignLinks(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		aRoot := w.folder(t, w.a.admin, uuid.Nil, "Akten")
		bRoot := w.folder(t, w.b.admin, uuid.Nil, "Akten")
		forged := w.a.admin
		forged.TenantID = w.b.tenant.ID // A's admin membership, B's tenant
		_, err := w.svc.GetFolder(ctx, forged, bRoot.ID)
		wantCode(t, err, errs.Unauthenticated, "read with another tenant's membership")
		_, err = w.svc.CreateFolder(ctx, forged, uuid.Nil, "Eingeschleust")
		wantCode(t, err, errs.Unauthenticated, "create with another tenant's membership")
		promoted := w.b.alice
		promoted.Role = tenant.RoleAdmin // a stale or forged role
		_, err = w.svc.GetFolder(ctx, promoted, bRoot.ID)
		wantCode(t, err, errs.Unauthenticated, "forged admin role")
		// A deactivated member is refused, a reactivated one comes back.
		_, err = w.tenants.SetActive(ctx, tenant.Operator(w.b.tenant.ID), w.b.alice.MembershipID, false)
		must(t, err)
		_, err = w.svc.FindDocuments(ctx, w.b.alice, documents.DocumentFilter{})
		wantCode(t, err, errs.Deactivated, "deactivated member")
		if _, err := w.svc.CreateFolder(ctx, tenant.Actor{TenantID: w.a.tenant.ID}, aRoot.ID, "x"); !errs.Is(err, errs.Unauthenticated) {
			t.Fatalf("empty actor: %v", err)
		}
		// Below the service: a row of B pointing at A's folder is refused.
		err = d.Tenant(ctx, w.b.tenant.ID, func(tx *db.Tx) error {
			now := db.Now()
			return tx.Unscoped().Exec(`INSERT INTO documents (tenant_id, id, folder_id, title, title_key, created_at, created_by, updated_at, updated_by)
				VALUES (?, ?, ?, 'x', 'x', ?, ?, ?, ?)`, w.b.tenant.ID, db.NewID(), aRoot.ID, now, w.b.admin.MembershipID, now, w.b.admin.MembershipID).Error
		})
		if err == nil {
			t.Fatal("document of B in A's folder accepted")
		}
		err = d.Tenant(ctx, w.b.tenant.ID, func(tx *db.Tx) error {
			return tx.Unscoped().Exec(`INSERT INTO folder_acl (tenant_id, id, folder_id, principal_type, group_id, level, created_at, created_by)
				VALUES (?, ?, ?, 'group', ?, 1, ?, ?)`, w.b.tenant.ID, db.NewID(), bRoot.ID, w.a.group.ID, db.Now(), w.b.admin.MembershipID).Error
		})
		if err == nil {
			t.Fatal("entry of B for A's group accepted")
		}
		// On PostgreSQL, row-level security hides A's rows from B even in a raw query.
		if d.Dialect() == db.Postgres {
			must(t, d.Tenant(ctx, w.b.tenant.ID, func(tx *db.Tx) error {
				for _, table := range []string{"folders", "folder_paths", "folder_acl_scope", "documents"} {
					var n int64
					if err := tx.Unscoped().Raw("SELECT count(*) FROM "+table+" WHERE tenant_id <> ?", w.b.tenant.ID).Scan(&n).Error; err != nil {
						return err
					}
					if n != 0 {
						t.Errorf("%s: B sees %d foreign rows", table, n)
					}
				}
				return nil
			}))
		}
	})
}
