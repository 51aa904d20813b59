package documents_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/kollab/kollab/documents"
	"github.com/kollab/kollab/documents/extract"
	"github.com/kollab/kollab/internal/db"
	"github.com/kollab/kollab/internal/db/dbtest"
	"github.com/kollab/kollab/internal/errs"
	"github.com/kollab/kollab/tenant"
)

// newExtractor returns a real extractor (its tools must be installed).
func newExtractor(t testing.TB) *extract.Extractor {
	t.Helper()
	ex, err := extract.New(extract.Config{Timeout: 2 * time.Minute})
	if err != nil {
		t.Fatal(err)
	}
	return ex
}

// textDoc creates a document whose only revision is a UTF-8 text file.
func (w *world) textDoc(t *testing.T, a tenant.Actor, folder uuid.UUID, title, text string) uuid.UUID {
	t.Helper()
	up, body := upload("text.txt", []byte(text))
	doc, _, err := w.svc.CreateDocumentWithRevision(ctx, a, folder, documents.DocumentInput{Title: title}, up, body)
	must(t, err)
	return doc.ID
}

// extractAll runs the extraction worker until no job is due.
func (w *world) extractAll(t *testing.T, ex *extract.Extractor) int {
	t.Helper()
	total := 0
	for {
		n, err := w.svc.RunExtraction(ctx, ex, 50)
		must(t, err)
		total += n
		if n == 0 {
			return total
		}
	}
}

// search returns the hits of a search; it fails the test on an error.
func (w *world) search(t *testing.T, a tenant.Actor, q documents.SearchQuery) []documents.SearchHit {
	t.Helper()
	res, err := w.svc.Search(ctx, a, q)
	if err != nil {
		t.Fatalf("search %q: %v", q.Text, err)
	}
	for _, h := range res.Hits {
		if h.DocumentID == uuid.Nil || h.Title == "" || h.FolderID == uuid.Nil {
			t.Fatalf("search %q: incomplete hit %+v", q.Text, h)
		}
	}
	return res.Hits
}

func hitIDs(hits []documents.SearchHit) []uuid.UUID {
	out := make([]uuid.UUID, len(hits))
	for i, h := range hits {
		out[i] = h.DocumentID
	}
	return out
}

// snippetText joins a snippet, hits in [brackets].
func snippetText(h documents.SearchHit) string {
	var b strings.Builder
	for _, p := range h.Snippet {
		if p.Hit {
			b.WriteString("[" + p.Text + "]")
		} else {
			b.WriteString(p.Text)
		}
	}
	return b.String()
}

func hitOf(hits []documents.SearchHit, id uuid.UUID) *documents.SearchHit {
	for i := range hits {
		if hits[i].DocumentID == id {
			return &hits[i]
		}
	}
	return nil
}

// sameSet fails unless got holds exactly the documents of want.
func sameSet(t *testing.T, what string, got []documents.SearchHit, want ...uuid.UUID) {
	t.Helper()
	ids := hitIDs(got)
	if len(ids) != len(want) {
		t.Fatalf("%s: %d hits %v, want %d %v", what, len(ids), titles(got), len(want), want)
	}
	for _, id := range want {
		if !slices.Contains(ids, id) {
			t.Fatalf("%s: %v lacks %s", what, titles(got), id)
		}
	}
}

func titles(hits []documents.SearchHit) []string {
	out := make([]string, len(hits))
	for i, h := range hits {
		out[i] = h.Title
	}
	return out
}

// searchFixture is tenant A's searchable documents.
type searchFixture struct {
	root, bau, sub, hidden            *documents.Folder
	protokoll, beschluss, bauvorhaben uuid.UUID
	geheim, papierkorb, unterordner   uuid.UUID
	fremd                             uuid.UUID // tenant B
}

func newSearchFixture(t *testing.T, w *world) *searchFixture {
	t.Helper()
	ag := w.a
	fx := &searchFixture{}
	fx.root = w.folder(t, ag.admin, uuid.Nil, "Akten")
	fx.bau = w.folder(t, ag.admin, fx.root.ID, "Bauamt")
	fx.sub = w.folder(t, ag.admin, fx.bau.ID, "Vorgänge")
	fx.hidden = w.folder(t, ag.admin, fx.root.ID, "Personal")
	w.grant(t, ag.admin, fx.root.ID, documents.RolePrincipal("staff"), documents.Read)
	_, err := w.svc.SetInheritance(ctx, ag.admin, fx.hidden.ID, false, false)
	must(t, err)
	w.grant(t, ag.admin, fx.hidden.ID, documents.GroupPrincipal(ag.group.ID), documents.Read) // bob

	fx.protokoll = w.textDoc(t, ag.admin, fx.bau.ID, "Protokoll Gemeinderat",
		"Niederschrift der Sitzung.\n\nDie Beschlüsse der Sitzung wurden einstimmig gefasst. "+
			"Der Antrag auf Fristverlängerung für das Bauvorhaben wurde angenommen.\fSeite zwei: Termine.")
	fx.beschluss = w.doc(t, ag.admin, fx.bau.ID, "Beschluss über den Haushalt").ID
	bv, err := w.svc.CreateDocument(ctx, ag.admin, fx.bau.ID, documents.DocumentInput{
		Title: "Bauvorhaben Lindenstraße", FilePlanRef: "AZ 61-12/2024", Tags: []string{"Bauantrag", "Eilig"},
		Description: "Mietverträge der städtischen Wohnungen", Metadata: documents.Metadata{"ansprechpartner": "Frau Müller-Lüdenscheidt"}})
	must(t, err)
	fx.bauvorhaben = bv.ID
	fx.geheim = w.textDoc(t, ag.admin, fx.hidden.ID, "Personalvertrag",
		"Geheimer Vertrag mit Zauberwort. Fristverlängerung bis Ende Mai.")
	fx.unterordner = w.doc(t, ag.admin, fx.sub.ID, "Antrag Sondernutzung").ID
	fx.papierkorb = w.doc(t, ag.admin, fx.bau.ID, "Antrag im Papierkorb").ID
	must(t, w.svc.DeleteDocument(ctx, ag.admin, fx.papierkorb, 0))

	bRoot := w.folder(t, w.b.admin, uuid.Nil, "Akten")
	fx.fremd = w.textDoc(t, w.b.admin, bRoot.ID, "Antrag Fremdmandant Beschluss",
		"Fristverlängerung Zauberwort Beschlüsse Anträge")
	return fx
}

func TestSearch(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) { testSearch(t, d, 0) })
}

// TestSearchIndexWay runs the search tests on PostgreSQL with a window of
// one document, so that nearly every search takes the index way (the
// tests' tenants are far smaller than the default window, which their
// searches then take in full).
func TestSearchIndexWay(t *testing.T) {
	d, _ := dbtest.Postgres(t)
	testSearch(t, d, 1)
}

func testSearch(t *testing.T, d *db.DB, window int) {
	w := newWorld(t, d)
	w.configure(documents.WithSearchWindow(window))
	withStore(t, w)
	ex := newExtractor(t)
	fx := newSearchFixture(t, w)
	if n := w.extractAll(t, ex); n != 3 {
		t.Fatalf("extracted %d texts, want 3", n)
	}
	ag := w.a
	q := func(text string) documents.SearchQuery { return documents.SearchQuery{Text: text} }
	var copyID uuid.UUID

	t.Run("inflections", func(t *testing.T) {
		hits := w.search(t, ag.alice, q("Beschlüsse"))
		sameSet(t, "Beschlüsse", hits, fx.protokoll, fx.beschluss)
		if hits[0].DocumentID != fx.beschluss {
			t.Fatalf("title hit does not rank first: %v", titles(hits))
		}
		if hits[0].Rank <= hits[1].Rank {
			t.Fatalf("ranks %v, %v", hits[0].Rank, hits[1].Rank)
		}
		// "Anträge" finds "Antrag" in the text and in titles, and the
		// compound tag "Bauantrag"; never the trashed one.
		sameSet(t, "Anträge", w.search(t, ag.alice, q("Anträge")), fx.protokoll, fx.unterordner, fx.bauvorhaben)
		sameSet(t, "Verträge (alice)", w.search(t, ag.alice, q("Verträge")), fx.bauvorhaben)
		sameSet(t, "Verträge (admin)", w.search(t, ag.admin, q("Verträge")), fx.bauvorhaben, fx.geheim)
		sameSet(t, "beschluss lower case", w.search(t, ag.alice, q("beschluss")), fx.protokoll, fx.beschluss)
		sameSet(t, "Straße / Strasse", w.search(t, ag.alice, q("Lindenstrasse")), fx.bauvorhaben)
	})

	t.Run("compounds", func(t *testing.T) {
		for _, term := range []string{"Frist", "verlängerung", "Fristverlängerungen", "FRISTVERLÄNGERUNG"} {
			hits := w.search(t, ag.alice, q(term))
			sameSet(t, term, hits, fx.protokoll)
			if s := snippetText(hits[0]); !strings.Contains(s, "[Fristverlängerung]") {
				t.Fatalf("%s: snippet %q does not mark the compound", term, s)
			}
		}
		sameSet(t, "Wohnung", w.search(t, ag.alice, q("Wohnung")), fx.bauvorhaben)
	})

	t.Run("all terms must match", func(t *testing.T) {
		sameSet(t, "two terms", w.search(t, ag.alice, q("Antrag Frist")), fx.protokoll)
		sameSet(t, "title and text", w.search(t, ag.alice, q("Gemeinderat einstimmig")), fx.protokoll)
		sameSet(t, "no document has both", w.search(t, ag.alice, q("Haushalt Frist")))
		sameSet(t, "stop words are ignored", w.search(t, ag.alice, q("der Haushalt und die")), fx.beschluss)
	})

	t.Run("snippets", func(t *testing.T) {
		hits := w.search(t, ag.alice, q("einstimmig"))
		sameSet(t, "einstimmig", hits, fx.protokoll)
		s := snippetText(hits[0])
		if !strings.Contains(s, "[einstimmig]") || strings.ContainsAny(s, "\x02\x03\f\n") {
			t.Fatalf("snippet %q", s)
		}
		hits = w.search(t, ag.alice, q("Mietverträge"))
		if s := snippetText(hits[0]); !strings.Contains(s, "[Mietverträge]") {
			t.Fatalf("description snippet %q", s)
		}
	})

	t.Run("metadata, reference and tags", func(t *testing.T) {
		for _, term := range []string{"61-12/2024", "AZ 61", "Eilig", "Müller", "Lüdenscheidt", "Lindenstraße", "städtisch"} {
			sameSet(t, term, w.search(t, ag.alice, q(term)), fx.bauvorhaben)
		}
	})

	t.Run("permissions", func(t *testing.T) {
		for _, term := range []string{"Zauberwort", "Personalvertrag", "geheim"} {
			sameSet(t, "alice "+term, w.search(t, ag.alice, q(term)))
			sameSet(t, "carol "+term, w.search(t, ag.carol, q(term)))
			sameSet(t, "bob "+term, w.search(t, ag.bob, q(term)), fx.geheim)
			sameSet(t, "admin "+term, w.search(t, ag.admin, q(term)), fx.geheim)
		}
		// The shared word finds only what alice may read, and no snippet
		// of the other document leaks.
		hits := w.search(t, ag.alice, q("Fristverlängerung"))
		sameSet(t, "alice Fristverlängerung", hits, fx.protokoll)
		for _, h := range hits {
			if s := snippetText(h); strings.Contains(s, "Zauberwort") || strings.Contains(s, "Geheim") {
				t.Fatalf("snippet leaks: %q", s)
			}
		}
		sameSet(t, "bob Fristverlängerung", w.search(t, ag.bob, q("Fristverlängerung")), fx.protokoll, fx.geheim)
		// dave (partner) has no grant at all.
		sameSet(t, "dave", w.search(t, ag.dave, q("Antrag")))
	})

	t.Run("folder subtree", func(t *testing.T) {
		sameSet(t, "subtree", w.search(t, ag.alice, documents.SearchQuery{Text: "Antrag", FolderID: fx.bau.ID}),
			fx.protokoll, fx.unterordner, fx.bauvorhaben)
		sameSet(t, "subfolder", w.search(t, ag.alice, documents.SearchQuery{Text: "Antrag", FolderID: fx.sub.ID}), fx.unterordner)
		_, err := w.svc.Search(ctx, ag.alice, documents.SearchQuery{Text: "Antrag", FolderID: fx.hidden.ID})
		wantCode(t, err, errs.NotFound, "search in an unreadable folder")
		_, err = w.svc.Search(ctx, ag.alice, documents.SearchQuery{Text: "Antrag", FolderID: uuid.New()})
		wantCode(t, err, errs.NotFound, "search in a missing folder")
	})

	t.Run("filters", func(t *testing.T) {
		sameSet(t, "content type", w.search(t, ag.alice, documents.SearchQuery{Text: "Antrag", ContentType: "text/"}), fx.protokoll)
		sameSet(t, "content type none", w.search(t, ag.alice, documents.SearchQuery{Text: "Antrag", ContentType: "application/pdf"}))
		sameSet(t, "file plan", w.search(t, ag.alice, documents.SearchQuery{Text: "Antrag", FilePlanRef: "AZ 61"}), fx.bauvorhaben)
		sameSet(t, "tags", w.search(t, ag.alice, documents.SearchQuery{Text: "Antrag", Tags: []string{"Eilig", "Bauantrag"}}), fx.bauvorhaben)
		now := w.clock.Now()
		sameSet(t, "modified after", w.search(t, ag.alice, documents.SearchQuery{Text: "Antrag", ModifiedAfter: now.Add(time.Hour)}))
		sameSet(t, "modified before", w.search(t, ag.alice, documents.SearchQuery{Text: "Antrag", ModifiedBefore: now.Add(time.Hour)}),
			fx.protokoll, fx.unterordner, fx.bauvorhaben)
	})

	t.Run("trash", func(t *testing.T) {
		sameSet(t, "trashed", w.search(t, ag.admin, q("Papierkorb")))
		_, err := w.svc.RestoreDocument(ctx, ag.admin, fx.papierkorb)
		must(t, err)
		sameSet(t, "restored", w.search(t, ag.admin, q("Papierkorb")), fx.papierkorb)
		must(t, w.svc.DeleteDocument(ctx, ag.admin, fx.papierkorb, 0))
		sameSet(t, "trashed again", w.search(t, ag.admin, q("Papierkorb")))
	})

	t.Run("other tenant", func(t *testing.T) {
		for _, term := range []string{"Fremdmandant", "Zauberwort Anträge"} {
			sameSet(t, "A admin "+term, w.search(t, ag.admin, q(term)))
		}
		sameSet(t, "B admin", w.search(t, w.b.admin, q("Fristverlängerung")), fx.fremd)
		sameSet(t, "B admin", w.search(t, w.b.admin, q("Protokoll")))
		_, err := w.svc.Search(ctx, w.b.admin, documents.SearchQuery{Text: "Antrag", FolderID: fx.bau.ID})
		wantCode(t, err, errs.NotFound, "B searches in A's folder")
	})

	t.Run("index follows metadata", func(t *testing.T) {
		doc, err := w.svc.GetDocument(ctx, ag.admin, fx.beschluss)
		must(t, err)
		title, desc := "Zuwendungsbescheid Sportverein", "Förderung der Jugendarbeit"
		doc, err = w.svc.UpdateDocument(ctx, ag.admin, fx.beschluss, doc.Version, documents.DocumentPatch{
			Title: &title, Description: &desc, Tags: []string{"Ehrenamt"}, Metadata: documents.Metadata{"empfaenger": "TSV Musterhausen"}})
		must(t, err)
		for _, term := range []string{"Zuwendungsbescheid", "Jugendarbeit", "Ehrenamt", "Musterhausen", "Sport"} {
			sameSet(t, term, w.search(t, ag.alice, q(term)), fx.beschluss)
		}
		sameSet(t, "old title", w.search(t, ag.alice, q("Haushalt")))
		_, err = w.svc.UpdateDocument(ctx, ag.admin, fx.beschluss, doc.Version, documents.DocumentPatch{Tags: []string{}})
		must(t, err)
		sameSet(t, "removed tag", w.search(t, ag.alice, q("Ehrenamt")))
		// Moving into the hidden folder hides it from alice at once.
		_, err = w.svc.MoveDocument(ctx, ag.admin, fx.beschluss, fx.hidden.ID, 0)
		must(t, err)
		sameSet(t, "moved away", w.search(t, ag.alice, q("Zuwendungsbescheid")))
		sameSet(t, "moved, bob", w.search(t, ag.bob, q("Zuwendungsbescheid")), fx.beschluss)
		// A copy is indexed too.
		cp, err := w.svc.CopyDocument(ctx, ag.admin, fx.protokoll, fx.sub.ID, "Protokoll Kopie")
		must(t, err)
		sameSet(t, "copy by title", w.search(t, ag.alice, q("Kopie")), cp.ID)
		copyID = cp.ID
	})

	t.Run("new revision replaces the text", func(t *testing.T) {
		up, body := upload("neu.txt", []byte("Neufassung: Satzung über Straßenreinigung"))
		_, _, err := w.svc.AddRevision(ctx, ag.admin, fx.protokoll, up, body)
		must(t, err)
		// The old text leaves the index at once; the new one comes with its job.
		sameSet(t, "old text", w.search(t, ag.alice, q("einstimmig")))
		sameSet(t, "new text before extraction", w.search(t, ag.alice, q("Straßenreinigung")))
		w.extractAll(t, ex)
		sameSet(t, "new text", w.search(t, ag.alice, q("Straßenreinigung")), fx.protokoll)
		sameSet(t, "compound, ss", w.search(t, ag.alice, q("strassen")), fx.protokoll, fx.bauvorhaben)
		// The copy kept the old bytes, and its own job indexed them.
		sameSet(t, "old text after extraction", w.search(t, ag.alice, q("einstimmig")), copyID)
	})

	t.Run("paging", func(t *testing.T) {
		var want []uuid.UUID
		for i := range 7 {
			want = append(want, w.doc(t, ag.admin, fx.sub.ID, fmt.Sprintf("Haushaltsplan %d", 2020+i)).ID)
		}
		var got []uuid.UUID
		cur := ""
		for page := 0; ; page++ {
			res, err := w.svc.Search(ctx, ag.alice, documents.SearchQuery{Text: "Haushaltsplan", Limit: 3, Cursor: cur})
			must(t, err)
			if len(res.Hits) > 3 || res.More != (res.NextCursor != "") {
				t.Fatalf("page %d: %d hits, more %v, cursor %q", page, len(res.Hits), res.More, res.NextCursor)
			}
			got = append(got, hitIDs(res.Hits)...)
			if res.NextCursor == "" {
				break
			}
			cur = res.NextCursor
		}
		slices.SortFunc(got, func(a, b uuid.UUID) int { return strings.Compare(a.String(), b.String()) })
		slices.SortFunc(want, func(a, b uuid.UUID) int { return strings.Compare(a.String(), b.String()) })
		if !slices.Equal(got, want) {
			t.Fatalf("paged hits %v, want %v", got, want)
		}
		// A cursor belongs to its search.
		res, err := w.svc.Search(ctx, ag.alice, documents.SearchQuery{Text: "Haushaltsplan", Limit: 3})
		must(t, err)
		_, err = w.svc.Search(ctx, ag.alice, documents.SearchQuery{Text: "Antrag", Cursor: res.NextCursor})
		wantCode(t, err, errs.Invalid, "cursor of another search")
	})

	t.Run("validation", func(t *testing.T) {
		for _, bad := range []documents.SearchQuery{
			{Text: ""},
			{Text: "   "},
			{Text: strings.Repeat("a", 201)},
			{Text: "?! …"},
			{Text: strings.Repeat("wort ", 17)},
			{Text: "Antrag", Cursor: "kaputt"},
			{Text: "Antrag", Limit: -1},
			{Text: "Antrag", ContentType: "text/\x00"},
			{Text: "Antrag", Tags: []string{""}},
			{Text: "Antrag", ModifiedAfter: time.Now(), ModifiedBefore: time.Now().Add(-time.Hour)},
		} {
			_, err := w.svc.Search(ctx, ag.alice, bad)
			wantCode(t, err, errs.Invalid, fmt.Sprintf("%+v", bad))
		}
		res, err := w.svc.Search(ctx, ag.alice, q(strings.Repeat("ä", 200)))
		must(t, err)
		sameSet(t, "200 characters", res.Hits)
		sameSet(t, "only stop words", w.search(t, ag.alice, q("der die das und")))
		sameSet(t, "quotes and operators are words", w.search(t, ag.alice, q(`"Antrag' OR 1=1 -- \ % _ * & | ! :`)))
		// Lexemes with quotes and backslashes (URLs, paths) expand safely.
		odd, err := w.svc.CreateDocument(ctx, ag.admin, fx.bau.ID, documents.DocumentInput{Title: "Quellen",
			Description: `Siehe http://beispielamt.de/akte'n\x/pfad?q=1 und C:\temp\o'brien.txt`})
		must(t, err)
		sameSet(t, "url", w.search(t, ag.alice, q("beispielamt")), odd.ID)
		sameSet(t, "path", w.search(t, ag.alice, q("brien")), odd.ID)
		_, err = w.svc.Search(ctx, tenant.Actor{TenantID: ag.alice.TenantID}, q("Antrag"))
		wantCode(t, err, errs.Unauthenticated, "search without a membership")
	})
}

// TestSearchSnippetParts checks that snippets come back as plain text
// parts: markup is text, and marker characters in the data are not hits.
func TestSearchSnippetParts(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		withStore(t, w)
		root := w.folder(t, w.a.admin, uuid.Nil, "Akten")
		up, body := upload("text.txt", []byte("Vorher <script>alert(1)</script> &amp; danach: Widerspruchsbescheid und mehr Widerspruch."))
		doc, _, err := w.svc.CreateDocumentWithRevision(ctx, w.a.admin, root.ID, documents.DocumentInput{Title: "Markup"}, up, body)
		must(t, err)
		// A description from before the input rules (which refuse control
		// characters) may still hold the marker characters.
		must(t, d.Tenant(ctx, doc.TenantID, func(tx *db.Tx) error {
			return tx.Table("documents").Where("id = ?", doc.ID).
				Update("description", "Ein Beschreibungstext mit \x02falsch\x03 markiertem Inhalt").Error
		}))
		w.extractAll(t, newExtractor(t))
		for _, c := range []struct{ term, want, unmarked string }{
			{"Widerspruch", "[Widerspruch]", "alert(1)"}, // PostgreSQL's headline drops tags, SQLite shows them as text
			{"Widerspruch", "[Widerspruchsbescheid]", "&amp;"},
			{"Beschreibungstext", "[Beschreibungstext]", " falsch "},
		} {
			hits := w.search(t, w.a.admin, documents.SearchQuery{Text: c.term})
			sameSet(t, c.term, hits, doc.ID)
			s := snippetText(hits[0])
			if !strings.Contains(s, c.want) || !strings.Contains(s, c.unmarked) {
				t.Fatalf("%s: snippet %q lacks %q or %q", c.term, s, c.want, c.unmarked)
			}
			for _, p := range hits[0].Snippet {
				if p.Text == "" || strings.ContainsAny(p.Text, "\x02\x03") {
					t.Fatalf("bad part %+v", p)
				}
			}
		}
	})
}

// TestSearchRecentWindow: on PostgreSQL a term found in enough of the most
// recent documents is answered from them, one found in too few from the
// index; both give what a search over everything gives.
func TestSearchRecentWindow(t *testing.T) {
	d, _ := dbtest.Postgres(t)
	w := newWorld(t, d)
	root := w.folder(t, w.a.admin, uuid.Nil, "Akten")
	w.grant(t, w.a.admin, root.ID, documents.RolePrincipal(tenant.RoleStaff), documents.Read)
	hidden := w.folder(t, w.a.admin, root.ID, "Verschlossen")
	_, err := w.svc.SetInheritance(ctx, w.a.admin, hidden.ID, false, false)
	must(t, err)
	var rare []uuid.UUID
	for i := range 700 {
		in := documents.DocumentInput{Title: fmt.Sprintf("Vermerk %03d", i), Description: "Gemeinsame Grundlage"}
		folder := root.ID
		switch {
		case i < 3: // the oldest
			in.Description += ", selten erwähnt"
		case i%7 == 0:
			folder = hidden.ID
		}
		doc, err := w.svc.CreateDocument(ctx, w.a.admin, folder, in)
		must(t, err)
		if i < 3 {
			rare = append(rare, doc.ID)
		}
		w.clock.Advance(time.Minute)
	}
	page := func(window int, text string) []uuid.UUID {
		w.configure(documents.WithSearchWindow(window))
		res, err := w.svc.Search(ctx, w.a.alice, documents.SearchQuery{Text: text, Limit: 50})
		must(t, err)
		return hitIDs(res.Hits)
	}
	// All 700 in one window: exact. 520 of them: enough matches (more than
	// MaxSearchResults among those alice may read). 100: too few, the index.
	all := page(100_000, "gemeinsam")
	if len(all) != 50 {
		t.Fatalf("%d hits", len(all))
	}
	for _, window := range []int{520, 100} {
		if got := page(window, "gemeinsam"); !slices.Equal(got, all) {
			t.Fatalf("window %d: the first page differs from the full search", window)
		}
	}
	for _, window := range []int{100_000, 520, 100} {
		w.configure(documents.WithSearchWindow(window))
		sameSet(t, fmt.Sprintf("rare term, window %d", window), w.search(t, w.a.alice, documents.SearchQuery{Text: "selten"}), rare...)
	}
	// Nothing from the folder alice may not read, whichever way.
	for _, window := range []int{100_000, 520, 100} {
		w.configure(documents.WithSearchWindow(window))
		res, err := w.svc.Search(ctx, w.a.alice, documents.SearchQuery{Text: "Grundlage", Limit: 200})
		must(t, err)
		for _, h := range res.Hits {
			if h.FolderID == hidden.ID {
				t.Fatalf("window %d: a hit from a folder alice may not read", window)
			}
		}
	}
}
