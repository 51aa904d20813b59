package documents_test

import (
	"bytes"
	"testing"

	"github.com/google/uuid"
	"github.com/kollab/kollab/documents"
	"github.com/kollab/kollab/internal/db"
	"github.com/kollab/kollab/internal/db/dbtest"
	"github.com/kollab/kollab/internal/errs"
	"github.com/kollab/kollab/tenant"
	"github.com/kollab/kollab/tenant/auth/password"
)

// The storage report adds up what the tenant's documents take: the ledger,
// documents and revisions, the trash and the part of it that may be
// purged now (retention passed; a held document never reaches the trash). Another tenant's figures
// stay apart.
func TestStorageReport(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		withStore(t, w)
		ag := w.a
		root := w.folder(t, ag.admin, uuid.Nil, "Akten")
		quick := w.folder(t, ag.admin, root.ID, "Kurzfristig")
		_, err := w.svc.SetFolderRetention(ctx, ag.admin, root.ID, ptr(10))
		must(t, err)
		_, err = w.svc.SetFolderRetention(ctx, ag.admin, quick.ID, ptr(0))
		must(t, err)
		must(t, w.svc.SetQuota(ctx, ag.tenant.ID, ptr(int64(10_000))))
		add := func(folder uuid.UUID, name string, size int) *documents.Document {
			up, body := upload(name, bytes.Repeat([]byte("x"), size))
			doc, _, err := w.svc.CreateDocumentWithRevision(ctx, ag.admin, folder, documents.DocumentInput{}, up, body)
			must(t, err)
			return doc
		}
		add(root.ID, "bleibt.txt", 100)
		long := add(root.ID, "lang.txt", 200)
		up, body := upload("lang.txt", bytes.Repeat([]byte("y"), 50))
		_, _, err = w.svc.AddRevision(ctx, ag.admin, long.ID, up, body)
		must(t, err)
		short := add(quick.ID, "kurz.txt", 30)
		for _, id := range []uuid.UUID{long.ID, short.ID} {
			must(t, w.svc.DeleteDocument(ctx, ag.admin, id, 0))
		}
		r, err := w.svc.StorageReport(ctx, ag.tenant.ID)
		must(t, err)
		want := documents.UsageReport{Usage: documents.Usage{UsedBytes: 380, QuotaBytes: ptr(int64(10_000))}, Documents: 1, Revisions: 4,
			TrashDocuments: 2, TrashBytes: 280, TrashPurgeableBytes: 30}
		if r.UsedBytes != want.UsedBytes || r.ReservedBytes != 0 || r.QuotaBytes == nil || *r.QuotaBytes != 10_000 || r.Documents != want.Documents ||
			r.Revisions != want.Revisions || r.TrashDocuments != want.TrashDocuments || r.TrashBytes != want.TrashBytes ||
			r.TrashPurgeableBytes != want.TrashPurgeableBytes {
			t.Fatalf("report %+v (quota %v), want %+v", *r, r.QuotaBytes, want)
		}
		w.clock.Advance(10*day + 1)
		r, err = w.svc.StorageReport(ctx, ag.tenant.ID)
		must(t, err)
		if r.TrashPurgeableBytes != 280 {
			t.Fatalf("purgeable after the retention: %d", r.TrashPurgeableBytes)
		}
		other, err := w.svc.StorageReport(ctx, w.b.tenant.ID)
		must(t, err)
		if other.UsedBytes != 0 || other.Documents != 0 || other.Revisions != 0 || other.TrashBytes != 0 || other.QuotaBytes != nil {
			t.Fatalf("tenant B sees A's figures: %+v", *other)
		}
	})
}

// A folder's retention: its own setting, the one in force and the folder
// it comes from (named only to who may read it); only admins may change it.
func TestFolderRetention(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		ag := w.a
		root := w.folder(t, ag.admin, uuid.Nil, "Akten")
		sub := w.folder(t, ag.admin, root.ID, "Bauanträge")
		leaf := w.folder(t, ag.admin, sub.ID, "2026")
		w.grant(t, ag.admin, sub.ID, documents.UserPrincipal(ag.alice.MembershipID), documents.Manage)

		r, err := w.svc.FolderRetention(ctx, ag.admin, leaf.ID)
		must(t, err)
		if r.Own != nil || r.Effective != 0 || r.SourceID != nil || !r.CanChange {
			t.Fatalf("nothing set: %+v", r)
		}
		_, err = w.svc.SetFolderRetention(ctx, ag.admin, root.ID, ptr(3650))
		must(t, err)
		r, err = w.svc.FolderRetention(ctx, ag.admin, leaf.ID)
		must(t, err)
		if r.Own != nil || r.Effective != 3650 || r.SourceID == nil || *r.SourceID != root.ID || r.SourceName != "Akten" {
			t.Fatalf("inherited from the root: %+v", r)
		}
		// Alice manages the subtree but cannot read the root: the setting
		// shows, the root's name does not; she may not change it.
		r, err = w.svc.FolderRetention(ctx, ag.alice, leaf.ID)
		must(t, err)
		if r.Effective != 3650 || r.SourceID == nil || r.SourceName != "" || r.CanChange {
			t.Fatalf("as a manager without the root: %+v", r)
		}
		_, err = w.svc.SetFolderRetention(ctx, ag.alice, leaf.ID, ptr(1))
		wantCode(t, err, errs.Forbidden, "a manager sets retention")
		_, err = w.svc.SetFolderRetention(ctx, ag.admin, sub.ID, ptr(30))
		must(t, err)
		r, err = w.svc.FolderRetention(ctx, ag.alice, sub.ID)
		must(t, err)
		if r.Own == nil || *r.Own != 30 || r.Effective != 30 || *r.SourceID != sub.ID || r.SourceName != "Bauanträge" {
			t.Fatalf("own setting: %+v", r)
		}
		_, err = w.svc.FolderRetention(ctx, ag.carol, sub.ID)
		wantCode(t, err, errs.NotFound, "retention of a folder one cannot read")
		_, err = w.svc.FolderRetention(ctx, w.b.admin, sub.ID)
		wantCode(t, err, errs.NotFound, "retention through another tenant")
	})
}

// The counter the tenant service asks before deleting a group: folder
// permissions naming the group, in the transaction's tenant only.
func TestGroupGrantCount(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		ag := w.a
		root := w.folder(t, ag.admin, uuid.Nil, "Akten")
		sub := w.folder(t, ag.admin, root.ID, "Bau")
		w.grant(t, ag.admin, root.ID, documents.GroupPrincipal(ag.group.ID), documents.Read)
		w.grant(t, ag.admin, sub.ID, documents.GroupPrincipal(ag.group.ID), documents.Write)
		count := func(tenantID, groupID uuid.UUID) int64 {
			var n int64
			must(t, d.Tenant(ctx, tenantID, func(tx *db.Tx) error {
				var err error
				n, err = documents.GroupGrantCount(tx, groupID)
				return err
			}))
			return n
		}
		if n := count(ag.tenant.ID, ag.group.ID); n != 2 {
			t.Fatalf("grants of the group: %d", n)
		}
		if n := count(w.b.tenant.ID, ag.group.ID); n != 0 {
			t.Fatalf("A's group counted in B: %d", n)
		}
		w.tenants = tenant.NewService(w.d, password.NewHasher(password.HighEntropy), tenant.WithGroupGrants(documents.GroupGrantCount))
		g, err := w.tenants.Group(ctx, tenant.Operator(ag.tenant.ID), ag.group.ID)
		must(t, err)
		if g.GrantCount != 2 || g.MemberCount != 1 {
			t.Fatalf("group: %+v", g)
		}
		must(t, w.tenants.DeleteGroup(ctx, tenant.Operator(ag.tenant.ID), ag.group.ID))
		acl, err := w.svc.Permissions(ctx, ag.admin, sub.ID)
		must(t, err)
		for _, e := range acl.Entries {
			if e.Principal.GroupID == ag.group.ID {
				t.Fatalf("the deleted group's permission is left: %+v", e)
			}
		}
	})
}
