package dav_test

import (
	"bytes"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/kollab/kollab/documents"
	"github.com/kollab/kollab/internal/db"
	"github.com/kollab/kollab/internal/db/dbtest"
	"github.com/kollab/kollab/internal/errs"
)

// The standards that real clients check: lock discovery, the lock root,
// both forms of the If header, dead properties, creationdate and quota,
// Windows-safe names compared in NFC and case-insensitively, and the
// helper files of operating systems kept out of the document store.

const lockInfoBody = `<?xml version="1.0" encoding="utf-8"?>
<D:lockinfo xmlns:D="DAV:"><D:lockscope><D:%s/></D:lockscope><D:locktype><D:write/></D:locktype>
<D:owner><D:href>mailto:%s</D:href></D:owner></D:lockinfo>`

func propfind(props ...string) string {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="utf-8"?><D:propfind xmlns:D="DAV:" xmlns:K="urn:kollab:test" xmlns:O="urn:schemas-microsoft-com:office:office"><D:prop>`)
	for _, p := range props {
		b.WriteString("<" + p + "/>")
	}
	b.WriteString(`</D:prop></D:propfind>`)
	return b.String()
}

var tokenRE = regexp.MustCompile(`<D:locktoken><D:href>(urn:uuid:[0-9a-f-]+)</D:href></D:locktoken>`)

// lock takes a lock and returns its token.
func (e *env) lockScope(m *member, url, scope string) (string, *resp) {
	e.t.Helper()
	r := e.do(m, "LOCK", url, map[string]string{"Timeout": "Second-600", "Content-Type": "application/xml"},
		strings.NewReader(fmt.Sprintf(lockInfoBody, scope, m.email)))
	tok := strings.Trim(r.header.Get("Lock-Token"), "<>")
	return tok, r
}

func TestLockDiscovery(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		ag := e.a
		bau := e.folder(ag.admin.actor, uuid.Nil, "Bauamt")
		e.grant(ag, bau.ID, ag.alice, documents.Write)
		e.grant(ag, bau.ID, ag.bob, documents.Write)
		e.upload(ag.alice.actor, bau.ID, "Ärger Bericht.txt", "x")
		path := "/dav/" + ag.tenant.Slug + "/Bauamt/" + url.PathEscape("Ärger Bericht.txt")
		href := (&url.URL{Path: "/dav/" + ag.tenant.Slug + "/Bauamt/Ärger Bericht.txt"}).EscapedPath()

		// The LOCK answer names the lock root by its full path.
		tok, r := e.lockScope(ag.alice, path, "exclusive")
		want(t, r, http.StatusOK, "LOCK")
		if tok == "" || !strings.Contains(r.body, "<D:lockroot><D:href>"+href+"</D:href></D:lockroot>") {
			t.Fatalf("LOCK answer without the full lock root %s: %s", href, r.body)
		}

		// PROPFIND lockdiscovery: the lock, its owner, timeout and root;
		// the token for its owner only.
		r = e.do(ag.alice, "PROPFIND", path, map[string]string{"Depth": "0"}, strings.NewReader(propfind("D:lockdiscovery", "D:supportedlock")))
		want(t, r, http.StatusMultiStatus, "PROPFIND lockdiscovery")
		for _, s := range []string{"<D:activelock", "<D:exclusive/>", "<D:depth>infinity</D:depth>", "mailto:" + ag.alice.email,
			"<D:timeout>Second-", tok, "<D:lockroot><D:href>" + href, "<D:shared/>"} {
			if !strings.Contains(r.body, s) {
				t.Fatalf("lockdiscovery/supportedlock lacks %q: %s", s, r.body)
			}
		}
		r = e.do(ag.bob, "PROPFIND", path, map[string]string{"Depth": "0"}, strings.NewReader(propfind("D:lockdiscovery")))
		if !strings.Contains(r.body, "<D:activelock") || strings.Contains(r.body, tok) {
			t.Fatalf("another member's lockdiscovery: %s", r.body)
		}
		// A depth-1 PROPFIND of the folder shows it at the document only.
		r = e.do(ag.bob, "PROPFIND", "/dav/"+ag.tenant.Slug+"/Bauamt/", map[string]string{"Depth": "1"}, strings.NewReader(propfind("D:lockdiscovery")))
		if n := strings.Count(r.body, "<D:activelock"); n != 1 {
			t.Fatalf("folder listing shows %d active locks: %s", n, r.body)
		}

		// Shared locks: several at once, but not beside an exclusive one.
		e.upload(ag.alice.actor, bau.ID, "Gemeinsam.txt", "y")
		shared := "/dav/" + ag.tenant.Slug + "/Bauamt/Gemeinsam.txt"
		t1, r := e.lockScope(ag.alice, shared, "shared")
		want(t, r, http.StatusOK, "shared LOCK")
		t2, r := e.lockScope(ag.bob, shared, "shared")
		want(t, r, http.StatusOK, "second shared LOCK")
		_, r = e.lockScope(ag.bob, shared, "exclusive")
		want(t, r, http.StatusLocked, "exclusive LOCK beside shared ones")
		r = e.do(ag.alice, "PROPFIND", shared, map[string]string{"Depth": "0"}, strings.NewReader(propfind("D:lockdiscovery")))
		if strings.Count(r.body, "<D:shared/>") != 2 || !strings.Contains(r.body, t1) || strings.Contains(r.body, t2) {
			t.Fatalf("two shared locks: %s", r.body)
		}
		// A shared lock holder writes with its token; without one, nobody.
		want(t, e.do(ag.bob, "PUT", shared, map[string]string{"If": "(<" + t2 + ">)"}, strings.NewReader("z")), http.StatusNoContent, "PUT with a shared lock")
		want(t, e.do(ag.alice, "PUT", shared, nil, strings.NewReader("z")), http.StatusLocked, "PUT without a token")
	})
}

// The If header works with path-form resource tags as well as absolute
// ones (any host), with the path in NFC or NFD; a wrong token or entity
// tag fails with 412, no token at all with 423.
func TestIfHeaderForms(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		ag := e.a
		bau := e.folder(ag.admin.actor, uuid.Nil, "Bauamt")
		e.grant(ag, bau.ID, ag.alice, documents.Write)
		doc := e.upload(ag.alice.actor, bau.ID, "Übersicht.txt", "v1")
		p := "/dav/" + ag.tenant.Slug + "/Bauamt/" + url.PathEscape("Übersicht.txt")
		nfd := "/dav/" + ag.tenant.Slug + "/Bauamt/" + url.PathEscape("U\u0308bersicht.txt")
		tok, r := e.lockScope(ag.alice, p, "exclusive")
		want(t, r, http.StatusOK, "LOCK")

		want(t, e.do(ag.alice, "PUT", p, nil, strings.NewReader("x")), http.StatusLocked, "PUT without If")
		want(t, e.do(ag.alice, "PUT", p, map[string]string{"If": "(<urn:uuid:00000000-0000-0000-0000-000000000000>)"}, strings.NewReader("x")),
			http.StatusPreconditionFailed, "PUT with a wrong token")
		for i, h := range []string{
			"(<" + tok + ">)",
			"<" + p + "> (<" + tok + ">)",
			"<" + nfd + "> (<" + tok + ">)",
			"<" + e.srv.URL + p + "> (<" + tok + ">)",
			"<https://kollab.example" + p + "> (<" + tok + ">)",
		} {
			r := e.do(ag.alice, "PUT", p, map[string]string{"If": h}, strings.NewReader(fmt.Sprintf("v%d", i+2)))
			want(t, r, http.StatusNoContent, "PUT with If: "+h)
		}
		if got := e.content(ag.alice.actor, doc.ID); got != "v6" {
			t.Fatalf("content after the PUTs: %q", got)
		}
		// Entity tags in the If header count.
		cur, err := e.docs.GetDocument(ctx, ag.alice.actor, doc.ID)
		must(t, err)
		etag := fmt.Sprintf(`"%s-%d"`, cur.ID, cur.Version)
		want(t, e.do(ag.alice, "PUT", p, map[string]string{"If": "<" + p + "> (<" + tok + "> [\"nicht-das-etag\"])"}, strings.NewReader("x")),
			http.StatusPreconditionFailed, "PUT with a wrong entity tag")
		want(t, e.do(ag.alice, "PUT", p, map[string]string{"If": "(<" + tok + "> [" + etag + "])"}, strings.NewReader("v7")),
			http.StatusNoContent, "PUT with the entity tag")
		// UNLOCK, with the token from a path-form refresh first.
		r = e.do(ag.alice, "LOCK", p, map[string]string{"If": "<" + p + "> (<" + tok + ">)", "Timeout": "Second-100"}, nil)
		want(t, r, http.StatusOK, "refresh with a path-form If")
		if !strings.Contains(r.body, "<D:timeout>Second-100</D:timeout>") {
			t.Fatalf("refresh answer: %s", r.body)
		}
		want(t, e.do(ag.alice, "UNLOCK", p, map[string]string{"Lock-Token": "<" + tok + ">"}, nil), http.StatusNoContent, "UNLOCK")
		want(t, e.do(ag.alice, "PUT", p, nil, strings.NewReader("frei")), http.StatusNoContent, "PUT after UNLOCK")
	})
}

func proppatch(set, remove string) string {
	b := `<?xml version="1.0" encoding="utf-8"?><D:propertyupdate xmlns:D="DAV:" xmlns:K="urn:kollab:test" xmlns:O="urn:schemas-microsoft-com:office:office">`
	if set != "" {
		b += `<D:set><D:prop>` + set + `</D:prop></D:set>`
	}
	if remove != "" {
		b += `<D:remove><D:prop>` + remove + `</D:prop></D:remove>`
	}
	return b + `</D:propertyupdate>`
}

// Dead properties set with PROPPATCH are stored, returned, kept across a
// restart, bounded, copied by COPY, kept by MOVE and deleted with the
// resource; DAV: properties are protected.
func TestDeadProperties(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		ag := e.a
		bau := e.folder(ag.admin.actor, uuid.Nil, "Bauamt")
		e.grant(ag, bau.ID, ag.alice, documents.Manage)
		e.grant(ag, bau.ID, ag.carol, documents.Read)
		doc := e.upload(ag.alice.actor, bau.ID, "Vorlage.docx", "PK")
		base := "/dav/" + ag.tenant.Slug + "/Bauamt"

		r := e.do(ag.alice, "PROPPATCH", base+"/Vorlage.docx", nil, strings.NewReader(proppatch(
			`<K:Status>Entwurf</K:Status><O:Author xml:lang="de"><O:Name>Alice &amp; Co</O:Name></O:Author><K:leer/>`, "")))
		want(t, r, http.StatusMultiStatus, "PROPPATCH")
		if !strings.Contains(r.body, "200 OK") || strings.Contains(r.body, "403") {
			t.Fatalf("PROPPATCH answer: %s", r.body)
		}
		want(t, e.do(ag.alice, "PROPPATCH", base+"/", nil, strings.NewReader(proppatch(`<K:Farbe>blau</K:Farbe>`, ""))),
			http.StatusMultiStatus, "PROPPATCH of a folder")

		check := func(srv string, m *member, path string, wants ...string) {
			t.Helper()
			r := e.do(m, "PROPFIND", srv+path, map[string]string{"Depth": "0"},
				strings.NewReader(propfind("K:Status", "O:Author", "K:leer", "K:Farbe")))
			want(t, r, http.StatusMultiStatus, "PROPFIND of dead properties")
			for _, w := range wants {
				if !strings.Contains(r.body, w) {
					t.Fatalf("PROPFIND %s lacks %q: %s", path, w, r.body)
				}
			}
		}
		check(e.srv.URL, ag.carol, base+"/Vorlage.docx", ">Entwurf<", "Alice &amp; Co", `xml:lang="de"`)
		check(e.srv.URL, ag.alice, base+"/", ">blau<")
		// allprop returns them too.
		r = e.do(ag.alice, "PROPFIND", base+"/Vorlage.docx", map[string]string{"Depth": "0"}, nil)
		if !strings.Contains(r.body, ">Entwurf<") {
			t.Fatalf("allprop without the dead property: %s", r.body)
		}

		// A restart: another server on the same database still has them.
		srv2 := httptest.NewServer(e.newDAV())
		t.Cleanup(srv2.Close)
		check(srv2.URL, ag.alice, base+"/Vorlage.docx", ">Entwurf<", "Alice &amp; Co")

		// Protected and invalid: nothing changes, the others fail as a dependency.
		r = e.do(ag.alice, "PROPPATCH", base+"/Vorlage.docx", nil, strings.NewReader(proppatch(`<D:getetag>x</D:getetag><K:Status>fertig</K:Status>`, "")))
		if !strings.Contains(r.body, "403") || !strings.Contains(r.body, "424") {
			t.Fatalf("PROPPATCH of a protected property: %s", r.body)
		}
		r = e.do(ag.alice, "PROPPATCH", base+"/Vorlage.docx", nil, strings.NewReader(proppatch(`<D:eigenes>x</D:eigenes>`, "")))
		if !strings.Contains(r.body, "403") {
			t.Fatalf("PROPPATCH in the DAV: namespace: %s", r.body)
		}
		r = e.do(ag.alice, "PROPPATCH", base+"/Vorlage.docx", nil, strings.NewReader(proppatch(`<K:gross>`+strings.Repeat("x", 64<<10+1)+`</K:gross>`, "")))
		if !strings.Contains(r.body, "403") {
			t.Fatalf("PROPPATCH with a value over 64 KiB: %s", r.body)
		}
		// At most 64 per resource: the 65th is 507, nothing of the request is kept.
		var many strings.Builder
		for i := range 61 {
			fmt.Fprintf(&many, "<K:p%d>%d</K:p%d>", i, i, i)
		}
		r = e.do(ag.alice, "PROPPATCH", base+"/Vorlage.docx", nil, strings.NewReader(proppatch(many.String(), "")))
		if !strings.Contains(r.body, "200 OK") {
			t.Fatalf("PROPPATCH up to 64 properties: %s", r.body)
		}
		r = e.do(ag.alice, "PROPPATCH", base+"/Vorlage.docx", nil, strings.NewReader(proppatch(`<K:zuviel>1</K:zuviel>`, "")))
		if !strings.Contains(r.body, "507") {
			t.Fatalf("65th property: %s", r.body)
		}
		// Read permission only: refused.
		r = e.do(ag.carol, "PROPPATCH", base+"/Vorlage.docx", nil, strings.NewReader(proppatch(`<K:Status>fertig</K:Status>`, "")))
		if !strings.Contains(r.body, "403") {
			t.Fatalf("PROPPATCH with read permission: %s", r.body)
		}
		// Remove.
		r = e.do(ag.alice, "PROPPATCH", base+"/Vorlage.docx", nil, strings.NewReader(proppatch("", `<K:leer/>`)))
		want(t, r, http.StatusMultiStatus, "PROPPATCH remove")
		r = e.do(ag.alice, "PROPFIND", base+"/Vorlage.docx", map[string]string{"Depth": "0"}, strings.NewReader(propfind("K:leer")))
		if !strings.Contains(r.body, "404 Not Found") {
			t.Fatalf("removed property still there: %s", r.body)
		}

		// COPY copies them, MOVE keeps them.
		want(t, e.do(ag.alice, "COPY", base+"/Vorlage.docx", map[string]string{"Destination": e.srv.URL + base + "/Kopie.docx"}, nil),
			http.StatusCreated, "COPY")
		check(e.srv.URL, ag.alice, base+"/Kopie.docx", ">Entwurf<", "Alice &amp; Co")
		want(t, e.do(ag.alice, "MOVE", base+"/Kopie.docx", map[string]string{"Destination": e.srv.URL + base + "/Verschoben.docx"}, nil),
			http.StatusCreated, "MOVE")
		check(e.srv.URL, ag.alice, base+"/Verschoben.docx", ">Entwurf<")
		want(t, e.do(ag.alice, "MKCOL", base+"/Sub", nil, nil), http.StatusCreated, "MKCOL")
		want(t, e.do(ag.alice, "PROPPATCH", base+"/Sub", nil, strings.NewReader(proppatch(`<K:Farbe>rot</K:Farbe>`, ""))),
			http.StatusMultiStatus, "PROPPATCH of a subfolder")
		want(t, e.do(ag.alice, "COPY", base+"/Sub", map[string]string{"Destination": e.srv.URL + base + "/Sub 2"}, nil),
			http.StatusCreated, "COPY of a folder")
		check(e.srv.URL, ag.alice, base+"/Sub 2", ">rot<")

		// Deleted with the resource: trash keeps them, purge removes them.
		count := func() int64 {
			var n int64
			must(t, d.Tenant(ctx, ag.tenant.ID, func(tx *db.Tx) error {
				return tx.Table("dav_properties").Where("document_id = ?", doc.ID).Count(&n).Error
			}))
			return n
		}
		if count() == 0 {
			t.Fatal("no stored properties")
		}
		want(t, e.do(ag.alice, "DELETE", base+"/Vorlage.docx", nil, nil), http.StatusNoContent, "DELETE")
		if count() == 0 {
			t.Fatal("properties gone while the document is in the trash")
		}
		_, err := e.docs.PurgeDocument(ctx, ag.admin.actor, doc.ID)
		must(t, err)
		if n := count(); n != 0 {
			t.Fatalf("%d properties left after the purge", n)
		}
		// Another tenant sees nothing of them.
		want(t, e.do(e.b.admin, "PROPFIND", base+"/Verschoben.docx", map[string]string{"Depth": "0"}, nil), http.StatusNotFound, "other tenant")
	})
}

// creationdate on documents, folders and the root; RFC 4331's quota
// properties on collections (not in allprop).
func TestCreationDateAndQuota(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		ag := e.a
		bau := e.folder(ag.admin.actor, uuid.Nil, "Bauamt")
		e.grant(ag, bau.ID, ag.alice, documents.Write)
		doc := e.upload(ag.alice.actor, bau.ID, "Plan.pdf", "%PDF-1.4 ein Plan")
		base := "/dav/" + ag.tenant.Slug

		r := e.do(ag.alice, "PROPFIND", base+"/Bauamt/Plan.pdf", map[string]string{"Depth": "0"}, strings.NewReader(propfind("D:creationdate")))
		if !strings.Contains(r.body, "<D:creationdate>"+doc.CreatedAt.UTC().Format(time.RFC3339)+"</D:creationdate>") {
			t.Fatalf("document's creationdate (%v): %s", doc.CreatedAt, r.body)
		}
		r = e.do(ag.alice, "PROPFIND", base+"/Bauamt/", map[string]string{"Depth": "0"}, strings.NewReader(propfind("D:creationdate")))
		if !strings.Contains(r.body, "<D:creationdate>"+bau.CreatedAt.UTC().Format(time.RFC3339)+"</D:creationdate>") {
			t.Fatalf("folder's creationdate: %s", r.body)
		}
		r = e.do(ag.alice, "PROPFIND", base+"/", map[string]string{"Depth": "0"}, strings.NewReader(propfind("D:creationdate")))
		if !strings.Contains(r.body, "<D:creationdate>"+ag.tenant.CreatedAt.UTC().Format(time.RFC3339)+"</D:creationdate>") {
			t.Fatalf("root's creationdate: %s", r.body)
		}

		quota := func(path string) string {
			t.Helper()
			r := e.do(ag.alice, "PROPFIND", base+path, map[string]string{"Depth": "0"},
				strings.NewReader(propfind("D:quota-used-bytes", "D:quota-available-bytes")))
			want(t, r, http.StatusMultiStatus, "PROPFIND quota")
			return r.body
		}
		used := int64(len("%PDF-1.4 ein Plan"))
		body := quota("/")
		if !strings.Contains(body, fmt.Sprintf("<D:quota-used-bytes>%d</D:quota-used-bytes>", used)) ||
			regexp.MustCompile(`<D:quota-available-bytes>\d`).MatchString(body) {
			t.Fatalf("quota without a limit: %s", body)
		}
		must(t, e.docs.SetQuota(ctx, ag.tenant.ID, ptr(int64(1000))))
		for _, p := range []string{"/", "/Bauamt/"} {
			body = quota(p)
			if !strings.Contains(body, fmt.Sprintf("<D:quota-available-bytes>%d</D:quota-available-bytes>", 1000-used)) ||
				!strings.Contains(body, fmt.Sprintf("<D:quota-used-bytes>%d</D:quota-used-bytes>", used)) {
				t.Fatalf("quota of %s: %s", p, body)
			}
		}
		r = e.do(ag.alice, "PROPFIND", base+"/Bauamt/", map[string]string{"Depth": "0"},
			strings.NewReader(`<?xml version="1.0"?><D:propfind xmlns:D="DAV:"><D:allprop/></D:propfind>`))
		if strings.Contains(r.body, "quota-") || !strings.Contains(r.body, "creationdate") {
			t.Fatalf("allprop: %s", r.body)
		}
	})
}

func ptr[T any](v T) *T { return &v }

// Names Windows cannot use are refused with 400 and the reason; nothing
// is created.
func TestWindowsNamesRefused(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		ag := e.a
		bau := e.folder(ag.admin.actor, uuid.Nil, "Bauamt")
		e.grant(ag, bau.ID, ag.alice, documents.Manage)
		e.upload(ag.alice.actor, bau.ID, "gut.txt", "x")
		base := e.srv.URL + "/dav/" + ag.tenant.Slug + "/Bauamt/"
		for _, name := range []string{"a:b.txt", "Frage%3F.txt", "Stern*.txt", "%22zitat%22.txt", "a%3Cb%3E.txt", "a%7Cb.txt",
			"Punkt.", "Leer%20", "CON", "nul.txt", "COM1", "Lpt9.doc"} {
			for _, m := range []string{"PUT", "MKCOL"} {
				var body *strings.Reader
				if m == "PUT" {
					body = strings.NewReader("x")
				} else {
					body = strings.NewReader("")
				}
				r := e.do(ag.alice, m, base+name, nil, body)
				want(t, r, http.StatusBadRequest, m+" "+name)
				if !strings.Contains(r.body, "Name") {
					t.Fatalf("%s %s: no reason given: %q", m, name, r.body)
				}
			}
			r := e.do(ag.alice, "MOVE", base+"gut.txt", map[string]string{"Destination": base + name}, nil)
			want(t, r, http.StatusBadRequest, "MOVE to "+name)
			r = e.do(ag.alice, "COPY", base+"gut.txt", map[string]string{"Destination": base + name}, nil)
			want(t, r, http.StatusBadRequest, "COPY to "+name)
			_, r = e.lockScope(ag.alice, base+name, "exclusive")
			want(t, r, http.StatusBadRequest, "LOCK of "+name)
		}
		page, err := e.docs.ListDocuments(ctx, ag.alice.actor, bau.ID, documents.Page{Limit: documents.MaxPage})
		must(t, err)
		fs, err := e.docs.ListFolders(ctx, ag.alice.actor, bau.ID, documents.Page{Limit: documents.MaxPage})
		must(t, err)
		if len(page.Documents) != 1 || len(fs.Folders) != 0 {
			t.Fatalf("refused names created %d documents and %d folders", len(page.Documents)-1, len(fs.Folders))
		}
	})
}

// Names compare in NFC and case-insensitively within a folder: the same
// name in another form is the same resource, and a new resource cannot
// take it. The name a client sees is the file name; the title stays.
func TestNamesCompareInOneFolder(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		ag := e.a
		bau := e.folder(ag.admin.actor, uuid.Nil, "Bauamt")
		e.grant(ag, bau.ID, ag.alice, documents.Manage)
		doc := e.upload(ag.alice.actor, bau.ID, "Ärger.txt", "v1")
		base := e.srv.URL + "/dav/" + ag.tenant.Slug + "/Bauamt/"

		// NFD and another case: the same document, a new revision.
		want(t, e.do(ag.alice, "PUT", base+url.PathEscape("A\u0308RGER.TXT"), nil, strings.NewReader("v2")), http.StatusNoContent, "PUT in NFD, upper case")
		if e.content(ag.alice.actor, doc.ID) != "v2" {
			t.Fatal("PUT in another form did not reach the document")
		}
		want(t, e.do(ag.alice, "MKCOL", base+url.PathEscape("ärger.TXT"), nil, nil), http.StatusMethodNotAllowed, "MKCOL over a document")
		want(t, e.do(ag.alice, "MKCOL", base+"Akten", nil, nil), http.StatusCreated, "MKCOL")
		want(t, e.do(ag.alice, "MKCOL", base+"AKTEN", nil, nil), http.StatusMethodNotAllowed, "MKCOL in another case")
		want(t, e.do(ag.alice, "PUT", base+"akten", nil, strings.NewReader("x")), http.StatusMethodNotAllowed, "PUT over a folder")
		e.upload(ag.alice.actor, bau.ID, "anders.txt", "a")
		want(t, e.do(ag.alice, "MOVE", base+"anders.txt", map[string]string{"Destination": base + url.PathEscape("A\u0308rger.txt"), "Overwrite": "F"}, nil),
			http.StatusPreconditionFailed, "MOVE onto the name in NFD")
		_, err := e.docs.CreateDocument(ctx, ag.alice.actor, bau.ID, documents.DocumentInput{FileName: "ÄRGER.txt", Title: "Neu"})
		if !errs.Is(err, errs.Conflict) {
			t.Fatalf("service create with a taken name: %v", err)
		}

		// File name and title: a WebDAV client sees and renames the file name.
		titled, _, err := e.docs.CreateDocumentWithRevision(ctx, ag.alice.actor, bau.ID, documents.DocumentInput{Title: "Bauantrag Müller"},
			documents.Upload{FileName: "antrag", Size: 9}, strings.NewReader("%PDF-1.4 "))
		must(t, err)
		infos, err := e.client(ag.alice, ag.tenant).ReadDir("/Bauamt")
		must(t, err)
		if got := names(infos); !contains(got, "antrag.pdf") || contains(got, "Bauantrag Müller") {
			t.Fatalf("listing shows %v", got)
		}
		want(t, e.do(ag.alice, "MOVE", base+"antrag.pdf", map[string]string{"Destination": base + "Antrag%202026.pdf"}, nil), http.StatusCreated, "rename")
		got, err := e.docs.GetDocument(ctx, ag.alice.actor, titled.ID)
		must(t, err)
		if got.FileName != "Antrag 2026.pdf" || got.Title != "Bauantrag Müller" {
			t.Fatalf("after the rename: file name %q, title %q", got.FileName, got.Title)
		}
	})
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// Helper files of operating systems are accepted, listed to the member
// who wrote them, and kept out of the document store: no document, no
// revision, nothing in the web app's lists or the search; a day after
// their last write the sweeper removes them.
func TestHelperFiles(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		ag := e.a
		bau := e.folder(ag.admin.actor, uuid.Nil, "Bauamt")
		e.grant(ag, bau.ID, ag.alice, documents.Write)
		e.grant(ag, bau.ID, ag.bob, documents.Write)
		e.grant(ag, bau.ID, ag.carol, documents.Read)
		e.upload(ag.alice.actor, bau.ID, "Bericht.docx", "PK")
		base := e.srv.URL + "/dav/" + ag.tenant.Slug + "/Bauamt/"
		helpers := []string{".DS_Store", "._Bericht.docx", "Thumbs.db", "desktop.ini", "~$Bericht.docx", ".~lock.Bericht.docx#"}
		for _, h := range helpers {
			r := e.do(ag.alice, "PUT", base+url.PathEscape(h), nil, bytes.NewReader([]byte("Hilfe "+h)))
			want(t, r, http.StatusCreated, "PUT "+h)
			r = e.do(ag.alice, "GET", base+url.PathEscape(h), nil, nil)
			if r.status != http.StatusOK || r.body != "Hilfe "+h {
				t.Fatalf("GET %s: %d %q", h, r.status, r.body)
			}
		}
		// Finder writes one in the root too.
		want(t, e.do(ag.bob, "PUT", e.srv.URL+"/dav/"+ag.tenant.Slug+"/.DS_Store", nil, strings.NewReader("wurzel")), http.StatusCreated, "PUT in the root")
		// Overwritten in place, moved, deleted.
		want(t, e.do(ag.alice, "PUT", base+".DS_Store", nil, strings.NewReader("neu")), http.StatusNoContent, "PUT over a helper file")
		want(t, e.do(ag.alice, "MOVE", base+"._Bericht.docx", map[string]string{"Destination": base + "._Alt.docx"}, nil), http.StatusCreated, "MOVE of a helper file")
		want(t, e.do(ag.alice, "MOVE", base+"._Alt.docx", map[string]string{"Destination": base + "Alt.docx"}, nil), http.StatusForbidden, "helper file to a document")
		want(t, e.do(ag.alice, "MOVE", base+"Bericht.docx", map[string]string{"Destination": base + "Thumbs.db", "Overwrite": "F"}, nil),
			http.StatusPreconditionFailed, "document onto an existing helper file")
		want(t, e.do(ag.alice, "DELETE", base+"desktop.ini", nil, nil), http.StatusNoContent, "DELETE of a helper file")
		// Bounded: 1 MiB each.
		want(t, e.do(ag.alice, "PUT", base+"._gross", nil, bytes.NewReader(make([]byte, 1<<20+1))), http.StatusRequestEntityTooLarge, "helper file over 1 MiB")

		// Listed to alice only.
		c := e.client(ag.alice, ag.tenant)
		infos, err := c.ReadDir("/Bauamt")
		must(t, err)
		got := names(infos)
		for _, h := range []string{".DS_Store", "._Alt.docx", "Thumbs.db", "~$Bericht.docx", ".~lock.Bericht.docx#", "Bericht.docx"} {
			if !contains(got, h) {
				t.Fatalf("alice's listing lacks %s: %v", h, got)
			}
		}
		infos, err = e.client(ag.bob, ag.tenant).ReadDir("/Bauamt")
		must(t, err)
		if got := names(infos); len(got) != 1 || got[0] != "Bericht.docx" {
			t.Fatalf("bob sees %v", got)
		}
		want(t, e.do(ag.bob, "GET", base+"Thumbs.db", nil, nil), http.StatusNotFound, "another member's helper file")
		want(t, e.do(ag.carol, "PUT", base+".DS_Store", nil, strings.NewReader("x")), http.StatusForbidden, "helper file without write permission")

		// Not in the document store.
		page, err := e.docs.ListDocuments(ctx, ag.alice.actor, bau.ID, documents.Page{Limit: documents.MaxPage})
		must(t, err)
		if len(page.Documents) != 1 || page.Documents[0].FileName != "Bericht.docx" {
			t.Fatalf("documents: %+v", page.Documents)
		}
		revs, err := e.docs.ListRevisions(ctx, ag.alice.actor, page.Documents[0].ID)
		must(t, err)
		if len(revs) != 1 {
			t.Fatalf("the document has %d revisions", len(revs))
		}
		u, err := e.docs.StorageUsage(ctx, ag.tenant.ID)
		must(t, err)
		if u.UsedBytes != 2 {
			t.Fatalf("helper files count against the quota: %d bytes used", u.UsedBytes)
		}
		found, err := e.docs.FindDocuments(ctx, ag.alice.actor, documents.DocumentFilter{TitleContains: "DS_Store"})
		must(t, err)
		if len(found.Documents) != 0 {
			t.Fatalf("search finds helper files: %+v", found.Documents)
		}

		// A day after the last write, the sweeper removes them.
		e.clock.Advance(23 * time.Hour)
		want(t, e.do(ag.alice, "PUT", base+"Thumbs.db", nil, strings.NewReader("frisch")), http.StatusNoContent, "rewrite")
		e.clock.Advance(2 * time.Hour)
		rep, err := e.docs.Sweep(ctx)
		must(t, err)
		if rep.ExpiredHelperFiles != 5 {
			t.Fatalf("sweep removed %d helper files, want 5", rep.ExpiredHelperFiles)
		}
		want(t, e.do(ag.alice, "GET", base+".DS_Store", nil, nil), http.StatusNotFound, "swept helper file")
		want(t, e.do(ag.alice, "GET", base+"Thumbs.db", nil, nil), http.StatusOK, "helper file written within the day")
		e.clock.Advance(24 * time.Hour)
		want(t, e.do(ag.alice, "GET", base+"Thumbs.db", nil, nil), http.StatusNotFound, "helper file past its day, before the sweep")
	})
}
