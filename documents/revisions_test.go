package documents_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/kollab/kollab/documents"
	"github.com/kollab/kollab/internal/db"
	"github.com/kollab/kollab/internal/db/dbtest"
	"github.com/kollab/kollab/internal/errs"
	"github.com/kollab/kollab/internal/storage"
)

// withStore gives the world's service a filesystem store and a clock at
// the real time (object times come from the real clock).
func withStore(t *testing.T, w *world) storage.Store {
	t.Helper()
	st, err := storage.NewFS(t.TempDir())
	must(t, err)
	w.configure(documents.WithStore(st))
	w.clock.Set(time.Now().UTC())
	return st
}

func upload(name string, body []byte) (documents.Upload, io.Reader) {
	return documents.Upload{FileName: name, Size: int64(len(body))}, bytes.NewReader(body)
}

func hexSum(b []byte) string { s := sha256.Sum256(b); return hex.EncodeToString(s[:]) }

// objects lists the keys of a tenant's revision objects.
func objects(t *testing.T, st storage.Store, tenantID uuid.UUID, kind string) []storage.ObjectInfo {
	t.Helper()
	p, err := storage.KindPrefix(tenantID, kind)
	must(t, err)
	var out []storage.ObjectInfo
	must(t, st.List(ctx, p, func(o storage.ObjectInfo) error { out = append(out, o); return nil }))
	return out
}

func count(t *testing.T, d *db.DB, tenantID uuid.UUID, table string) int64 {
	t.Helper()
	var n int64
	must(t, d.Tenant(ctx, tenantID, func(tx *db.Tx) error { return tx.Table(table).Count(&n).Error }))
	return n
}

func readAll(t *testing.T, rc io.ReadCloser) []byte {
	t.Helper()
	defer rc.Close()
	b, err := io.ReadAll(rc)
	must(t, err)
	return b
}

const pdfHead = "%PDF-1.4\n%âãÏÓ\n1 0 obj\n<<>>\nendobj\n"

func TestRevisions(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		st := withStore(t, w)
		ag := w.a
		root := w.folder(t, ag.admin, uuid.Nil, "Akten")
		w.grant(t, ag.admin, root.ID, documents.RolePrincipal("staff"), documents.Write)

		// A PDF uploaded under a .txt name is a PDF; HTML named .pdf is HTML.
		v1 := []byte(pdfHead + strings.Repeat("Inhalt ", 200))
		up, body := upload(`C:\Users\alice\Bericht.txt`, v1)
		doc, rev, err := w.svc.CreateDocumentWithRevision(ctx, ag.alice, root.ID, documents.DocumentInput{}, up, body)
		must(t, err)
		if doc.Title != "Bericht.txt" || rev.FileName != "Bericht.txt" || rev.Number != 1 || rev.ContentType != "application/pdf" ||
			rev.SHA256 != hexSum(v1) || rev.Size != int64(len(v1)) || *doc.CurrentRevisionID != rev.ID || *doc.SizeBytes != rev.Size {
			t.Fatalf("first revision: %+v %+v", doc, rev)
		}
		v2 := []byte("<!DOCTYPE html><html><body>Gefährlich?</body></html>")
		up, body = upload("harmlos.pdf", v2)
		up.Comment = "  Zweite Fassung "
		up.IfMatch = doc.Version
		doc2, rev2, err := w.svc.AddRevision(ctx, ag.alice, doc.ID, up, body)
		must(t, err)
		if rev2.Number != 2 || !strings.HasPrefix(rev2.ContentType, "text/html") || rev2.Comment != "Zweite Fassung" || doc2.Version != doc.Version+1 {
			t.Fatalf("second revision: %+v %+v", doc2, rev2)
		}

		// A lost update: the old version answers 412 and writes nothing.
		before := len(objects(t, st, ag.tenant.ID, documents.RevisionKind))
		up, body = upload("x.txt", []byte("verloren"))
		up.IfMatch = doc.Version
		_, _, err = w.svc.AddRevision(ctx, ag.bob, doc.ID, up, body)
		wantCode(t, err, errs.PreconditionFailed, "stale If-Match")
		if n := len(objects(t, st, ag.tenant.ID, documents.RevisionKind)); n != before {
			t.Fatalf("a refused upload left %d objects (had %d)", n, before)
		}

		// History, newest first, with the author's name.
		revs, err := w.svc.ListRevisions(ctx, ag.bob, doc.ID)
		must(t, err)
		if len(revs) != 2 || revs[0].Number != 2 || revs[1].Number != 1 || revs[0].AuthorName != "alice" {
			t.Fatalf("history: %+v", revs)
		}

		// Download: current, an older one, a range; a download is audited.
		r, rc, err := w.svc.OpenRevision(ctx, ag.bob, doc.ID, uuid.Nil, 0, -1)
		must(t, err)
		if r.ID != rev2.ID || !bytes.Equal(readAll(t, rc), v2) {
			t.Fatal("current revision bytes differ")
		}
		_, rc, err = w.svc.OpenRevision(ctx, ag.bob, doc.ID, rev.ID, 4, 10)
		must(t, err)
		if got := readAll(t, rc); !bytes.Equal(got, v1[4:14]) {
			t.Fatalf("range: %q", got)
		}
		_, _, err = w.svc.OpenRevision(ctx, ag.bob, doc.ID, rev.ID, int64(len(v1))+1, -1)
		wantCode(t, err, errs.RangeNotSatisfiable, "range past the end")
		if n := w.auditCount(t, ag.tenant.ID, documents.ActionDocumentRead); n != 1 {
			t.Fatalf("download events: %d, want 1 (ranges that continue are not downloads)", n)
		}

		// Check-out by bob blocks alice's upload.
		_, err = w.svc.CheckOut(ctx, ag.bob, doc.ID, 0)
		must(t, err)
		up, body = upload("y.txt", []byte("gesperrt"))
		_, _, err = w.svc.AddRevision(ctx, ag.alice, doc.ID, up, body)
		wantCode(t, err, errs.ResourceLocked, "upload while checked out by another")
		_, err = w.svc.CheckIn(ctx, ag.bob, doc.ID)
		must(t, err)

		// Restore revision 1 as revision 3: same bytes, history kept.
		cur, err := w.svc.GetDocument(ctx, ag.alice, doc.ID)
		must(t, err)
		_, rev3, err := w.svc.RestoreRevision(ctx, ag.alice, doc.ID, rev.ID, cur.Version, "", false)
		must(t, err)
		if rev3.Number != 3 || rev3.SHA256 != rev.SHA256 || rev3.RestoredFrom == nil || *rev3.RestoredFrom != rev.ID || rev3.Comment != "Wiederhergestellt aus Version 1" {
			t.Fatalf("restore: %+v", rev3)
		}
		_, rc, err = w.svc.OpenRevision(ctx, ag.alice, doc.ID, uuid.Nil, 0, -1)
		must(t, err)
		if !bytes.Equal(readAll(t, rc), v1) {
			t.Fatal("restored bytes differ")
		}
		u, err := w.svc.StorageUsage(ctx, ag.tenant.ID)
		must(t, err)
		if want := int64(2*len(v1) + len(v2)); u.UsedBytes != want || u.ReservedBytes != 0 {
			t.Fatalf("usage %+v, want used %d", u, want)
		}

		// Reading needs read permission; tenant B sees nothing.
		_, err = w.svc.ListRevisions(ctx, ag.dave, doc.ID)
		wantCode(t, err, errs.NotFound, "partner without grant")
		_, _, err = w.svc.OpenRevision(ctx, w.b.admin, doc.ID, rev.ID, 0, -1)
		wantCode(t, err, errs.NotFound, "other tenant's revision")
		up, body = upload("z.txt", []byte("fremd"))
		_, _, err = w.svc.AddRevision(ctx, w.b.admin, doc.ID, up, body)
		wantCode(t, err, errs.NotFound, "upload to another tenant's document")

		// A copy shares the content as its revision 1 under a free title.
		cp, err := w.svc.CopyDocument(ctx, ag.alice, doc.ID, root.ID, "")
		must(t, err)
		if cp.Title != "Bericht (Kopie).txt" || cp.CurrentRevisionID == nil {
			t.Fatalf("copy: %+v", cp)
		}
		_, rc, err = w.svc.OpenRevision(ctx, ag.alice, cp.ID, uuid.Nil, 0, -1)
		must(t, err)
		if !bytes.Equal(readAll(t, rc), v1) {
			t.Fatal("copied bytes differ")
		}
		// Titles are file names: unique per folder.
		up, body = upload("Bericht.txt", []byte("doppelt"))
		_, _, err = w.svc.CreateDocumentWithRevision(ctx, ag.alice, root.ID, documents.DocumentInput{}, up, body)
		wantCode(t, err, errs.Conflict, "duplicate title")
		_, err = w.svc.CreateDocument(ctx, ag.alice, root.ID, documents.DocumentInput{Title: "a/b"})
		wantCode(t, err, errs.Invalid, "slash in a title")
	})
}

// failingReader yields n bytes, then fails like a dropped connection.
type failingReader struct{ n int }

func (f *failingReader) Read(p []byte) (int, error) {
	if f.n == 0 {
		return 0, errors.New("connection reset")
	}
	k := min(len(p), f.n)
	for i := range p[:k] {
		p[i] = 'x'
	}
	f.n -= k
	return k, nil
}

func TestUploadQuotaAndFailures(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		st := withStore(t, w)
		ag := w.a
		root := w.folder(t, ag.admin, uuid.Nil, "Akten")
		doc := w.doc(t, ag.admin, root.ID, "Haushalt")
		q := int64(1000)
		must(t, w.svc.SetQuota(ctx, ag.tenant.ID, &q))

		nothingWritten := func(what string) {
			t.Helper()
			if n := len(objects(t, st, ag.tenant.ID, documents.RevisionKind)); n != 0 {
				t.Fatalf("%s: %d objects written", what, n)
			}
			if n := count(t, d, ag.tenant.ID, "upload_intents"); n != 0 {
				t.Fatalf("%s: %d intents left", what, n)
			}
			if n := count(t, d, ag.tenant.ID, "document_revisions"); n != 0 {
				t.Fatalf("%s: %d revisions", what, n)
			}
			u, err := w.svc.StorageUsage(ctx, ag.tenant.ID)
			must(t, err)
			if u.UsedBytes != 0 || u.ReservedBytes != 0 {
				t.Fatalf("%s: usage %+v", what, u)
			}
		}
		// Over the quota: refused before a byte is read.
		_, _, err := w.svc.AddRevision(ctx, ag.admin, doc.ID, documents.Upload{FileName: "a", Size: 1001}, &failingReader{n: 0})
		wantCode(t, err, errs.TooLarge, "over quota")
		nothingWritten("over quota")
		// The client goes away mid-body.
		_, _, err = w.svc.AddRevision(ctx, ag.admin, doc.ID, documents.Upload{FileName: "a", Size: 900}, &failingReader{n: 600})
		if err == nil {
			t.Fatal("a dropped upload succeeded")
		}
		nothingWritten("dropped upload")
		// Fewer bytes than announced.
		_, _, err = w.svc.AddRevision(ctx, ag.admin, doc.ID, documents.Upload{FileName: "a", Size: 900}, bytes.NewReader(make([]byte, 500)))
		wantCode(t, err, errs.Invalid, "short body")
		nothingWritten("short body")
		// Exactly the quota fits; one byte more does not.
		up, body := upload("a.bin", make([]byte, 1000))
		_, _, err = w.svc.AddRevision(ctx, ag.admin, doc.ID, up, body)
		must(t, err)
		up, body = upload("b.bin", []byte{1})
		_, _, err = w.svc.AddRevision(ctx, ag.admin, doc.ID, up, body)
		wantCode(t, err, errs.TooLarge, "one byte over")
		// Purging the document returns the bytes to the quota.
		must(t, w.svc.DeleteDocument(ctx, ag.admin, doc.ID, 0))
		_, err = w.svc.PurgeDocument(ctx, ag.admin, doc.ID)
		must(t, err)
		u, err := w.svc.StorageUsage(ctx, ag.tenant.ID)
		must(t, err)
		if u.UsedBytes != 0 {
			t.Fatalf("usage after purge: %+v", u)
		}
	})
}

// brokenListStore is a store whose listing fails.
type brokenListStore struct{ storage.Store }

func (brokenListStore) List(context.Context, string, func(storage.ObjectInfo) error) error {
	return errors.New("listing failed")
}

func TestSweepAndVerify(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		st := withStore(t, w)
		ag := w.a
		root := w.folder(t, ag.admin, uuid.Nil, "Akten")
		up, body := upload("gut.txt", []byte("bleibt"))
		doc, rev, err := w.svc.CreateDocumentWithRevision(ctx, ag.admin, root.ID, documents.DocumentInput{}, up, body)
		must(t, err)

		// A crashed upload: its intent committed and its object written,
		// then the process died before the revision committed.
		key, err := storage.NewKey(ag.tenant.ID, documents.RevisionKind)
		must(t, err)
		must(t, st.Put(ctx, key, strings.NewReader("halb"), 4, ""))
		must(t, d.Tenant(ctx, ag.tenant.ID, func(tx *db.Tx) error {
			if err := tx.Unscoped().Exec(`INSERT INTO storage_usage (tenant_id, reserved_bytes) VALUES (?, 4)
				ON CONFLICT (tenant_id) DO UPDATE SET reserved_bytes = storage_usage.reserved_bytes + 4`, ag.tenant.ID).Error; err != nil {
				return err
			}
			return tx.Unscoped().Exec(`INSERT INTO upload_intents (tenant_id, id, storage_key, size_bytes, created_at, created_by, heartbeat_at) VALUES (?, ?, ?, 4, ?, ?, ?)`,
				ag.tenant.ID, uuid.New(), key, w.clock.Now(), ag.admin.MembershipID, w.clock.Now()).Error
		}))
		// An orphan: bytes nobody references (a purge, a lost intent row).
		orphan, err := storage.NewKey(ag.tenant.ID, documents.RevisionKind)
		must(t, err)
		must(t, st.Put(ctx, orphan, strings.NewReader("waise"), 5, ""))

		// Within the grace periods nothing is touched.
		rep, err := w.svc.Sweep(ctx)
		must(t, err)
		if rep != (documents.SweepReport{}) || len(objects(t, st, ag.tenant.ID, documents.RevisionKind)) != 3 {
			t.Fatalf("early sweep: %+v", rep)
		}
		// A failed listing removes nothing and reports the tenant skipped.
		w.clock.Advance(25 * time.Hour)
		real := w.svc.Store()
		w.configure(documents.WithStore(brokenListStore{real}))
		rep, err = w.svc.Sweep(ctx)
		if err == nil || rep.SkippedTenants == 0 || rep.Quarantined != 0 {
			t.Fatalf("sweep with a broken listing: %+v %v", rep, err)
		}
		w.configure(documents.WithStore(real))
		if n := len(objects(t, st, ag.tenant.ID, documents.RevisionKind)); n != 2 { // the stale intent's object went first
			t.Fatalf("objects after a failed scan: %d", n)
		}

		rep, err = w.svc.Sweep(ctx)
		must(t, err)
		if rep.Quarantined != 1 {
			t.Fatalf("sweep: %+v", rep)
		}
		left := objects(t, st, ag.tenant.ID, documents.RevisionKind)
		if len(left) != 1 || left[0].Key != rev.StorageKey {
			t.Fatalf("after sweep: %+v", left)
		}
		if q := objects(t, st, ag.tenant.ID, documents.QuarantineKind); len(q) != 1 {
			t.Fatalf("quarantine: %+v", q)
		}
		u, err := w.svc.StorageUsage(ctx, ag.tenant.ID)
		must(t, err)
		if u.ReservedBytes != 0 || count(t, d, ag.tenant.ID, "upload_intents") != 0 {
			t.Fatalf("stale intent not released: %+v", u)
		}
		// After the quarantine period the object goes for good.
		w.clock.Advance(31 * 24 * time.Hour)
		rep, err = w.svc.Sweep(ctx)
		must(t, err)
		if rep.Deleted != 1 || len(objects(t, st, ag.tenant.ID, documents.QuarantineKind)) != 0 {
			t.Fatalf("quarantine expiry: %+v", rep)
		}

		// Verify finds a corrupted and a missing object.
		vr, err := w.svc.Verify(ctx, nil, nil)
		must(t, err)
		if vr.Revisions < 1 || len(vr.Problems) != 0 {
			t.Fatalf("verify clean: %+v", vr)
		}
		must(t, st.Put(ctx, rev.StorageKey, strings.NewReader("BLEIBT"), 6, ""))
		vr, err = w.svc.Verify(ctx, []uuid.UUID{ag.tenant.ID}, nil)
		must(t, err)
		if len(vr.Problems) != 1 || vr.Problems[0].Problem != "hash" || vr.Problems[0].DocumentID != doc.ID {
			t.Fatalf("verify corrupted: %+v", vr)
		}
		must(t, st.Delete(ctx, rev.StorageKey))
		vr, err = w.svc.Verify(ctx, []uuid.UUID{ag.tenant.ID}, nil)
		must(t, err)
		if len(vr.Problems) != 1 || vr.Problems[0].Problem != "missing" {
			t.Fatalf("verify missing: %+v", vr)
		}
	})
}

// Concurrent uploads to one document without If-Match all land, with
// consecutive revision numbers; with the same If-Match exactly one does.
func TestConcurrentUploads(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		withStore(t, w)
		ag := w.a
		root := w.folder(t, ag.admin, uuid.Nil, "Akten")
		doc := w.doc(t, ag.admin, root.ID, "Protokoll")
		const n = 8
		errsCh := make(chan error, n)
		for i := range n {
			go func() {
				up, body := upload(fmt.Sprintf("v%d.txt", i), []byte(strings.Repeat("x", 100+i)))
				_, _, err := w.svc.AddRevision(ctx, ag.admin, doc.ID, up, body)
				errsCh <- err
			}()
		}
		for range n {
			must(t, <-errsCh)
		}
		revs, err := w.svc.ListRevisions(ctx, ag.admin, doc.ID)
		must(t, err)
		if len(revs) != n || revs[0].Number != n || revs[n-1].Number != 1 {
			t.Fatalf("revisions: %d, newest %d", len(revs), revs[0].Number)
		}
		cur, err := w.svc.GetDocument(ctx, ag.admin, doc.ID)
		must(t, err)
		if *cur.CurrentRevisionID != revs[0].ID {
			t.Fatal("the current revision is not the newest")
		}
		// The same If-Match from several writers: one wins, the others get 412.
		wins := 0
		for range 4 {
			go func() {
				up, body := upload("w.txt", []byte("gleichzeitig"))
				up.IfMatch = cur.Version
				_, _, err := w.svc.AddRevision(ctx, ag.admin, doc.ID, up, body)
				errsCh <- err
			}()
		}
		for range 4 {
			if err := <-errsCh; err == nil {
				wins++
			} else if !errs.Is(err, errs.PreconditionFailed) {
				t.Fatalf("a lost update answered %v", err)
			}
		}
		if wins != 1 {
			t.Fatalf("%d writers with the same If-Match succeeded", wins)
		}
		if c := count(t, d, ag.tenant.ID, "upload_intents"); c != 0 {
			t.Fatalf("%d intents left", c)
		}
	})
}
