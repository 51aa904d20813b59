package dav_test

import (
	"crypto/sha256"
	"encoding/hex"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/kollab/kollab/documents"
	"github.com/kollab/kollab/internal/db"
	"github.com/kollab/kollab/internal/db/dbtest"
	"github.com/kollab/kollab/internal/errs"
	"github.com/kollab/kollab/tenant"
	"github.com/studio-b12/gowebdav"
)

// A whole client session with a real WebDAV client: listing, folders,
// uploads (each one a revision), downloads with ranges, move, copy and
// delete into the trash.
func TestClientSession(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		ag := e.a
		bau := e.folder(ag.admin.actor, uuid.Nil, "Bauamt")
		e.folder(ag.admin.actor, uuid.Nil, "Geheim")
		// Manage: deleting and moving folders needs it (the domain's rule).
		e.grant(ag, bau.ID, ag.alice, documents.Manage)
		c := e.client(ag.alice, ag.tenant)

		// PROPFIND depth 1 on the root: only the readable root folder.
		infos, err := c.ReadDir("/")
		must(t, err)
		if names := names(infos); !slices.Equal(names, []string{"Bauamt"}) || !infos[0].IsDir() {
			t.Fatalf("root lists %v", names)
		}

		// MKCOL, then PUT twice: a document with two revisions.
		must(t, c.Mkdir("/Bauamt/Anträge 2026", 0o755))
		must(t, c.Write("/Bauamt/Anträge 2026/Bericht.txt", []byte("erste Fassung"), 0o644))
		must(t, c.Write("/Bauamt/Anträge 2026/Bericht.txt", []byte("zweite Fassung"), 0o644))
		sub := e.childFolder(ag.alice.actor, bau.ID, "Anträge 2026")
		doc := e.docByTitle(ag.alice.actor, sub.ID, "Bericht.txt")
		if doc == nil {
			t.Fatal("PUT created no document")
		}
		revs, err := e.docs.ListRevisions(ctx, ag.alice.actor, doc.ID)
		must(t, err)
		if len(revs) != 2 || revs[0].Number != 2 || revs[0].Size != int64(len("zweite Fassung")) {
			t.Fatalf("revisions after two PUTs: %+v", revs)
		}

		// PROPFIND depth 1 on the folder: the document with size and ETag.
		infos, err = c.ReadDir("/Bauamt/Anträge 2026")
		must(t, err)
		if len(infos) != 1 || infos[0].Name() != "Bericht.txt" || infos[0].Size() != int64(len("zweite Fassung")) {
			t.Fatalf("folder lists %v", names(infos))
		}
		if tag := infos[0].(gowebdav.File).ETag(); tag == "" {
			t.Fatal("no ETag in PROPFIND")
		}

		// GET, and GET with a range.
		b, err := c.Read("/Bauamt/Anträge 2026/Bericht.txt")
		must(t, err)
		if string(b) != "zweite Fassung" {
			t.Fatalf("GET: %q", b)
		}
		rc, err := c.ReadStreamRange("/Bauamt/Anträge 2026/Bericht.txt", 7, 7)
		must(t, err)
		part, _ := io.ReadAll(rc)
		rc.Close()
		if string(part) != "Fassung" {
			t.Fatalf("range GET: %q", part)
		}

		// MOVE into the parent folder under a new name.
		must(t, c.Rename("/Bauamt/Anträge 2026/Bericht.txt", "/Bauamt/Bericht final.txt", false))
		moved, err := e.docs.GetDocument(ctx, ag.alice.actor, doc.ID)
		must(t, err)
		if moved.Title != "Bericht final.txt" || moved.FolderID != bau.ID {
			t.Fatalf("after MOVE: %q in %s", moved.Title, moved.FolderID)
		}
		// A name differing only in case is the same resource.
		if _, err := c.Stat("/bauamt/BERICHT FINAL.TXT"); err != nil {
			t.Fatalf("case-insensitive lookup: %v", err)
		}

		// COPY: a new document with the same content.
		must(t, c.Copy("/Bauamt/Bericht final.txt", "/Bauamt/Anträge 2026/Kopie.txt", false))
		cp := e.docByTitle(ag.alice.actor, sub.ID, "Kopie.txt")
		if cp == nil || cp.ID == doc.ID || e.content(ag.alice.actor, cp.ID) != "zweite Fassung" {
			t.Fatalf("COPY: %+v", cp)
		}

		// DELETE of a document and of a folder: both in the trash, restorable.
		must(t, c.Remove("/Bauamt/Bericht final.txt"))
		if _, err := e.docs.GetDocument(ctx, ag.alice.actor, doc.ID); !errs.Is(err, errs.NotFound) {
			t.Fatalf("deleted document still live: %v", err)
		}
		if _, err := e.docs.RestoreDocument(ctx, ag.alice.actor, doc.ID); err != nil {
			t.Fatalf("restore document: %v", err)
		}
		if e.content(ag.alice.actor, doc.ID) != "zweite Fassung" {
			t.Fatal("restored document lost its content")
		}
		must(t, c.Remove("/Bauamt/Anträge 2026"))
		if _, err := c.Stat("/Bauamt/Anträge 2026/Kopie.txt"); !gowebdav.IsErrNotFound(err) {
			t.Fatalf("document of deleted folder: %v", err)
		}
		if _, err := e.docs.RestoreFolder(ctx, ag.admin.actor, sub.ID); err != nil {
			t.Fatalf("restore folder: %v", err)
		}
		if _, err := c.Stat("/Bauamt/Anträge 2026/Kopie.txt"); err != nil {
			t.Fatalf("restored folder: %v", err)
		}
	})
}

// childFolder finds a subfolder by name.
func (e *env) childFolder(a tenant.Actor, parent uuid.UUID, name string) *documents.Folder {
	e.t.Helper()
	page, err := e.docs.ListFolders(ctx, a, parent, documents.Page{Limit: documents.MaxPage})
	must(e.t, err)
	for i := range page.Folders {
		if page.Folders[i].Name == name {
			return &page.Folders[i]
		}
	}
	e.t.Fatalf("no folder %q", name)
	return nil
}

func names(infos []os.FileInfo) []string {
	out := make([]string, len(infos))
	for i, fi := range infos {
		out[i] = fi.Name()
	}
	slices.Sort(out)
	return out
}

func httptestServer(t *testing.T, h http.Handler) string {
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv.URL
}

// What Windows Explorer and LibreOffice do: an empty PUT, LOCK, PUT with
// the token, PROPPATCH of Win32 times, UNLOCK — one revision; and a LOCK
// on a new name (LibreOffice "save as"), which creates a checked-out
// empty document.
func TestDesktopClientFlows(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		ag := e.a
		bau := e.folder(ag.admin.actor, uuid.Nil, "Bauamt")
		e.grant(ag, bau.ID, ag.alice, documents.Write)
		base := "/dav/" + ag.tenant.Slug + "/Bauamt/"

		want(t, e.do(ag.alice, "PUT", base+"Neu.docx", nil, strings.NewReader("")), http.StatusCreated, "empty PUT")
		r, tok := e.lock(ag.alice, base+"Neu.docx", "Second-3600")
		want(t, r, http.StatusOK, "LOCK")
		docx := "PK\x03\x04\x14\x00\x06\x00Word-Inhalt"
		if r := e.do(ag.alice, "PUT", base+"Neu.docx", map[string]string{"If": "(<" + tok + ">)"}, strings.NewReader(docx)); r.status >= 300 {
			t.Fatalf("PUT: %d %s", r.status, r.body)
		}
		r = e.do(ag.alice, "PROPPATCH", base+"Neu.docx", map[string]string{"If": "(<" + tok + ">)", "Content-Type": "application/xml"},
			strings.NewReader(`<?xml version="1.0" encoding="utf-8" ?><D:propertyupdate xmlns:D="DAV:" xmlns:Z="urn:schemas-microsoft-com:">`+
				`<D:set><D:prop><Z:Win32LastModifiedTime>Wed, 04 Mar 2026 10:00:00 GMT</Z:Win32LastModifiedTime>`+
				`<Z:Win32FileAttributes>00000020</Z:Win32FileAttributes></D:prop></D:set></D:propertyupdate>`))
		want(t, r, http.StatusMultiStatus, "PROPPATCH")
		if !strings.Contains(r.body, "200 OK") || strings.Contains(r.body, "403") {
			t.Fatalf("PROPPATCH of Win32 properties: %s", r.body)
		}
		want(t, e.do(ag.alice, "UNLOCK", base+"Neu.docx", map[string]string{"Lock-Token": "<" + tok + ">"}, nil), http.StatusNoContent, "UNLOCK")
		doc := e.docByTitle(ag.alice.actor, bau.ID, "Neu.docx")
		revs, err := e.docs.ListRevisions(ctx, ag.alice.actor, doc.ID)
		must(t, err)
		if len(revs) != 1 || e.content(ag.alice.actor, doc.ID) != docx {
			t.Fatalf("Explorer flow left %d revisions", len(revs))
		}
		ct := e.do(ag.alice, "HEAD", base+"Neu.docx", nil, nil).header.Get("Content-Type")
		if ct != "application/vnd.openxmlformats-officedocument.wordprocessingml.document" {
			t.Fatalf("content type of a .docx: %q", ct)
		}

		// LOCK on a new name: 201, an empty document, checked out.
		r, tok = e.lock(ag.alice, base+"Entwurf.odt", "")
		want(t, r, http.StatusCreated, "LOCK of a new name")
		draft := e.docByTitle(ag.alice.actor, bau.ID, "Entwurf.odt")
		if draft == nil || draft.Lock == nil || draft.Lock.OwnerID != ag.alice.actor.MembershipID {
			t.Fatalf("LOCK of a new name: %+v", draft)
		}
		if r := e.do(ag.alice, "PUT", base+"Entwurf.odt", map[string]string{"If": "(<" + tok + ">)"}, strings.NewReader("ODT")); r.status >= 300 {
			t.Fatalf("PUT after LOCK: %d %s", r.status, r.body)
		}
		want(t, e.do(ag.alice, "UNLOCK", base+"Entwurf.odt", map[string]string{"Lock-Token": "<" + tok + ">"}, nil), http.StatusNoContent, "UNLOCK")
		draft, err = e.docs.GetDocument(ctx, ag.alice.actor, draft.ID)
		must(t, err)
		if draft.Lock != nil || e.content(ag.alice.actor, draft.ID) != "ODT" {
			t.Fatalf("after save-as: lock %+v", draft.Lock)
		}

		// If-Match with an old entity tag: 412, nothing stored.
		old := e.do(ag.alice, "HEAD", base+"Neu.docx", nil, nil).header.Get("ETag")
		want(t, e.do(ag.alice, "PUT", base+"Neu.docx", map[string]string{"If-Match": old}, strings.NewReader("v2")), http.StatusNoContent, "PUT If-Match current")
		want(t, e.do(ag.alice, "PUT", base+"Neu.docx", map[string]string{"If-Match": old}, strings.NewReader("v3")), http.StatusPreconditionFailed, "PUT If-Match stale")
		want(t, e.do(ag.alice, "PUT", base+"Neu.docx", map[string]string{"If-None-Match": "*"}, strings.NewReader("v3")), http.StatusPreconditionFailed, "PUT If-None-Match *")

		// OPTIONS advertises WebDAV classes 1 and 2.
		r = e.do(ag.alice, "OPTIONS", base, nil, nil)
		if r.header.Get("DAV") != "1, 2" || r.header.Get("MS-Author-Via") != "DAV" {
			t.Fatalf("OPTIONS: %v", r.header)
		}
		// A chunked PUT (no Content-Length) is spooled and stored.
		pr, pw := io.Pipe()
		go func() {
			_, _ = pw.Write([]byte("in "))
			_, _ = pw.Write([]byte("Stücken"))
			_ = pw.Close()
		}()
		want(t, e.do(ag.alice, "PUT", base+"Chunked.txt", nil, pr), http.StatusCreated, "chunked PUT")
		if got := e.content(ag.alice.actor, e.docByTitle(ag.alice.actor, bau.ID, "Chunked.txt").ID); got != "in Stücken" {
			t.Fatalf("chunked PUT stored %q", got)
		}
	})
}

// A depth-1 PROPFIND of a folder with 10,000 documents completes, in one
// listing rather than one lookup per document.
func TestPropfind10k(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		ag := e.a
		big := e.folder(ag.admin.actor, uuid.Nil, "Archiv")
		seedDocuments(t, d, ag.admin.actor, big.ID, 10000)
		start := time.Now()
		r := e.do(ag.admin, "PROPFIND", "/dav/"+ag.tenant.Slug+"/Archiv/", map[string]string{"Depth": "1"}, nil)
		took := time.Since(start)
		want(t, r, http.StatusMultiStatus, "PROPFIND")
		if n := countResponses(r.body); n != 10001 {
			t.Fatalf("PROPFIND listed %d entries", n)
		}
		t.Logf("depth-1 PROPFIND of 10,000 documents: %v (%d KiB)", took, len(r.body)>>10)
		// One document among 10,000: resolved by a title search, not a listing.
		start = time.Now()
		r = e.do(ag.admin, "PROPFIND", "/dav/"+ag.tenant.Slug+"/Archiv/Dokument 04711.pdf", map[string]string{"Depth": "0"}, nil)
		want(t, r, http.StatusMultiStatus, "PROPFIND of one document")
		t.Logf("depth-0 PROPFIND of one document among 10,000: %v", time.Since(start))
	})
}

func BenchmarkPropfind10k(b *testing.B) {
	for _, engine := range []string{"sqlite", "postgres"} {
		b.Run(engine, func(b *testing.B) {
			var d *db.DB
			if engine == "sqlite" {
				d = dbtest.SQLite(b)
			} else {
				d, _ = dbtest.Postgres(b)
			}
			e := newEnv(b, d)
			ag := e.a
			big := e.folder(ag.admin.actor, uuid.Nil, "Archiv")
			seedDocuments(b, d, ag.admin.actor, big.ID, 10000)
			// A staff member with a read grant: permissions are computed
			// in the queries, as for every non-admin.
			e.grant(ag, big.ID, ag.alice, documents.Read)
			url := "/dav/" + ag.tenant.Slug + "/Archiv/"
			b.ResetTimer()
			for b.Loop() {
				r := e.do(ag.alice, "PROPFIND", url, map[string]string{"Depth": "1"}, nil)
				if r.status != http.StatusMultiStatus || countResponses(r.body) != 10001 {
					b.Fatalf("PROPFIND: %d", r.status)
				}
			}
		})
	}
}

// sha returns the hex SHA-256 of a reader's bytes.
func sha(t testing.TB, r io.Reader) (string, int64) {
	h := sha256.New()
	n, err := io.Copy(h, r)
	must(t, err)
	return hex.EncodeToString(h.Sum(nil)), n
}

// pattern is a reader of n generated bytes.
func pattern(n int64) io.Reader {
	return io.LimitReader(&patternReader{}, n)
}

type patternReader struct{ i byte }

func (p *patternReader) Read(b []byte) (int, error) {
	for i := range b {
		b[i] = p.i
		p.i = p.i*31 + 7
	}
	return len(b), nil
}

// MOVE and COPY where names compare case-insensitively: a MOVE that only
// changes the case renames the resource (it must not count as an existing
// destination and be deleted first); a COPY onto itself or into its own
// subtree is refused; a MOVE over an existing document gives that one the
// moved content (a folder moved over it trashes it).
func TestMoveCopyEdgeCases(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		ag := e.a
		bau := e.folder(ag.admin.actor, uuid.Nil, "Bauamt")
		e.grant(ag, bau.ID, ag.alice, documents.Manage)
		sub := e.folder(ag.alice.actor, bau.ID, "Akten")
		plan := e.upload(ag.alice.actor, bau.ID, "plan.pdf", "%PDF Plan")
		old := e.upload(ag.alice.actor, bau.ID, "Alt.pdf", "%PDF Alt")
		base := e.srv.URL + "/dav/" + ag.tenant.Slug

		for _, overwrite := range []string{"T", "F"} {
			title := map[string]string{"T": "Plan.pdf", "F": "PLAN.pdf"}[overwrite]
			cur, err := e.docs.GetDocument(ctx, ag.alice.actor, plan.ID)
			must(t, err)
			r := e.do(ag.alice, "MOVE", base+"/Bauamt/"+cur.Title, map[string]string{"Destination": base + "/Bauamt/" + title, "Overwrite": overwrite}, nil)
			if r.status != http.StatusCreated && r.status != http.StatusNoContent {
				t.Fatalf("case-only MOVE (Overwrite %s): %d %s", overwrite, r.status, r.body)
			}
			got, err := e.docs.GetDocument(ctx, ag.alice.actor, plan.ID)
			must(t, err)
			if got.Title != title {
				t.Fatalf("case-only MOVE: title %q", got.Title)
			}
		}
		r := e.do(ag.alice, "MOVE", base+"/Bauamt/Akten", map[string]string{"Destination": base + "/Bauamt/AKTEN"}, nil)
		if r.status != http.StatusCreated && r.status != http.StatusNoContent {
			t.Fatalf("case-only folder MOVE: %d %s", r.status, r.body)
		}
		if f, err := e.docs.GetFolder(ctx, ag.alice.actor, sub.ID); err != nil || f.Name != "AKTEN" {
			t.Fatalf("case-only folder MOVE: %+v %v", f, err)
		}

		want(t, e.do(ag.alice, "COPY", base+"/Bauamt/PLAN.pdf", map[string]string{"Destination": base + "/Bauamt/plan.PDF"}, nil),
			http.StatusForbidden, "COPY onto itself")
		want(t, e.do(ag.alice, "COPY", base+"/Bauamt", map[string]string{"Destination": base + "/Bauamt/AKTEN/Kopie"}, nil),
			http.StatusForbidden, "COPY into its own subtree")
		if _, err := e.docs.GetDocument(ctx, ag.alice.actor, plan.ID); err != nil {
			t.Fatalf("refused COPY touched the source: %v", err)
		}

		// COPY of a folder with depth infinity: folders and documents.
		want(t, e.do(ag.alice, "COPY", base+"/Bauamt/AKTEN", map[string]string{"Destination": base + "/Bauamt/Akten 2"}, nil),
			http.StatusCreated, "COPY of a folder")
		e.upload(ag.alice.actor, sub.ID, "Innen.txt", "innen")
		want(t, e.do(ag.alice, "COPY", base+"/Bauamt/AKTEN", map[string]string{"Destination": base + "/Bauamt/Akten 3"}, nil),
			http.StatusCreated, "COPY of a folder with a document")
		if r := e.do(ag.alice, "GET", base+"/Bauamt/Akten 3/Innen.txt", nil, nil); r.status != 200 || r.body != "innen" {
			t.Fatalf("copied folder's document: %d %q", r.status, r.body)
		}

		// MOVE of a document over an existing one (a desktop application
		// saving through a temporary file): the destination keeps its
		// identity and history and gets the content as a new revision; the
		// moved document goes to the trash.
		r = e.do(ag.alice, "MOVE", base+"/Bauamt/PLAN.pdf", map[string]string{"Destination": base + "/Bauamt/Alt.pdf", "Overwrite": "T"}, nil)
		want(t, r, http.StatusNoContent, "MOVE over an existing document")
		if _, err := e.docs.GetDocument(ctx, ag.alice.actor, plan.ID); !errs.Is(err, errs.NotFound) {
			t.Fatalf("moved document still live: %v", err)
		}
		if e.content(ag.alice.actor, old.ID) != "%PDF Plan" {
			t.Fatal("the destination did not get the moved content")
		}
		revs, err := e.docs.ListRevisions(ctx, ag.alice.actor, old.ID)
		must(t, err)
		if len(revs) != 2 {
			t.Fatalf("destination has %d revisions, want its old one and the new", len(revs))
		}
		// A folder moved over a document: the document goes to the trash.
		over := e.upload(ag.alice.actor, bau.ID, "Ziel.txt", "ziel")
		r = e.do(ag.alice, "MOVE", base+"/Bauamt/AKTEN", map[string]string{"Destination": base + "/Bauamt/Ziel.txt", "Overwrite": "T"}, nil)
		want(t, r, http.StatusNoContent, "MOVE of a folder over a document")
		if _, err := e.docs.GetDocument(ctx, ag.alice.actor, over.ID); !errs.Is(err, errs.NotFound) {
			t.Fatalf("document under a moved folder still live: %v", err)
		}
		r = e.do(ag.alice, "MOVE", base+"/Bauamt/Ziel.txt", map[string]string{"Destination": base + "/Bauamt/AKTEN"}, nil)
		want(t, r, http.StatusCreated, "MOVE the folder back")
		want(t, e.do(ag.alice, "MOVE", base+"/Bauamt/Alt.pdf", map[string]string{"Destination": base + "/Bauamt/AKTEN/Innen.txt", "Overwrite": "F"}, nil),
			http.StatusPreconditionFailed, "MOVE onto an existing name without overwrite")
	})
}
