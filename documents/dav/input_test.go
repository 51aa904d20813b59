package dav_test

import (
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/google/uuid"
	"github.com/kollab/kollab/documents"
	"github.com/kollab/kollab/internal/db"
	"github.com/kollab/kollab/internal/db/dbtest"
)

// WebDAV paths follow the input rules: a path with a control character or
// invalid UTF-8 is 400 and creates nothing; a name with a bidirectional
// override is refused; names arrive decomposed from macOS (NFD) and are
// stored, and found, in NFC.
func TestPathInputRules(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		ag := e.a
		bau := e.folder(ag.admin.actor, uuid.Nil, "Bauamt")
		e.grant(ag, bau.ID, ag.alice, documents.Manage)
		base := e.srv.URL + "/dav/" + ag.tenant.Slug
		listing := func() int {
			t.Helper()
			fs, err := e.docs.ListFolders(ctx, ag.alice.actor, bau.ID, documents.Page{Limit: documents.MaxPage})
			must(t, err)
			page, err := e.docs.ListDocuments(ctx, ag.alice.actor, bau.ID, documents.Page{Limit: documents.MaxPage})
			must(t, err)
			return len(fs.Folders) + len(page.Documents)
		}

		for _, seg := range []string{"a%00b", "Akte%01", "Zeile%0Aumbruch", "x%C2%85y", "kaputt%FF"} {
			for _, m := range []string{"MKCOL", "PUT", "PROPFIND"} {
				var body io.Reader
				if m == "PUT" {
					body = strings.NewReader("x")
				}
				r := e.do(ag.alice, m, base+"/Bauamt/"+seg, map[string]string{"Depth": "0"}, body)
				want(t, r, http.StatusBadRequest, m+" "+seg)
				if strings.Contains(r.body, "\x00") || strings.Contains(r.body, "kaputt") {
					t.Fatalf("%s %s: the answer repeats the path: %q", m, seg, r.body)
				}
			}
			r := e.do(ag.alice, "MOVE", base+"/Bauamt", map[string]string{"Destination": base + "/" + seg}, nil)
			want(t, r, http.StatusBadRequest, "MOVE to "+seg)
		}
		for _, seg := range []string{url.PathEscape("rechnung\u202Efdp.exe"), url.PathEscape("a\u2066b")} {
			r := e.do(ag.alice, "MKCOL", base+"/Bauamt/"+seg, nil, nil)
			if r.status < 400 || r.status >= 500 {
				t.Fatalf("MKCOL with a bidirectional override: %d %s", r.status, r.body)
			}
			r = e.do(ag.alice, "PUT", base+"/Bauamt/"+seg+".txt", nil, strings.NewReader("x"))
			if r.status < 400 || r.status >= 500 {
				t.Fatalf("PUT with a bidirectional override: %d %s", r.status, r.body)
			}
		}
		if n := listing(); n != 0 {
			t.Fatalf("refused requests created %d objects", n)
		}

		// NFD in, NFC stored; either form finds it.
		nfdFolder, nfcFolder := "Bescheide fu\u0308r Gru\u0308nfla\u0308chen", "Bescheide für Grünflächen"
		nfdFile, nfcFile := "A\u0308nderung.txt", "Änderung.txt"
		want(t, e.do(ag.alice, "MKCOL", base+"/Bauamt/"+url.PathEscape(nfdFolder), nil, nil), http.StatusCreated, "MKCOL NFD")
		sub := e.childFolder(ag.alice.actor, bau.ID, nfcFolder)
		if sub == nil || sub.Name != nfcFolder {
			t.Fatalf("the folder is not stored in NFC: %+v", sub)
		}
		want(t, e.do(ag.alice, "PUT", base+"/Bauamt/"+url.PathEscape(nfcFolder)+"/"+url.PathEscape(nfdFile), nil, strings.NewReader("Inhalt")), http.StatusCreated, "PUT NFD")
		if doc := e.docByTitle(ag.alice.actor, sub.ID, nfcFile); doc == nil {
			t.Fatal("the document is not stored in NFC")
		}
		for _, p := range []string{nfdFolder + "/" + nfdFile, nfcFolder + "/" + nfcFile, nfdFolder + "/" + nfcFile} {
			r := e.do(ag.alice, "GET", base+"/Bauamt/"+url.PathEscape(strings.Split(p, "/")[0])+"/"+url.PathEscape(strings.Split(p, "/")[1]), nil, nil)
			want(t, r, http.StatusOK, "GET "+p)
			if r.body != "Inhalt" {
				t.Fatalf("GET %s: %q", p, r.body)
			}
		}
		// MOVE to an NFD name: stored in NFC.
		r := e.do(ag.alice, "MOVE", base+"/Bauamt/"+url.PathEscape(nfcFolder)+"/"+url.PathEscape(nfcFile),
			map[string]string{"Destination": base + "/Bauamt/" + url.PathEscape(nfcFolder) + "/" + url.PathEscape("U\u0308bersicht.txt")}, nil)
		want(t, r, http.StatusCreated, "MOVE to NFD")
		if doc := e.docByTitle(ag.alice.actor, sub.ID, "Übersicht.txt"); doc == nil {
			t.Fatal("the moved document is not stored in NFC")
		}
	})
}
