package documents_test

import (
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/kollab/kollab/documents"
	"github.com/kollab/kollab/documents/extract"
	"github.com/kollab/kollab/internal/db"
	"github.com/kollab/kollab/internal/db/dbtest"
	"github.com/kollab/kollab/internal/errs"
	"github.com/kollab/kollab/tenant"
	"github.com/kollab/kollab/tenant/auth/password"
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

// benchWords is the vocabulary of the benchmark's documents: nouns of
// administrative German (with their plurals), words that join them, and
// compounds made of two nouns, drawn with a skewed (Zipf-like) frequency.
var benchNouns = strings.Fields(`Antrag:Anträge Bescheid:Bescheide Beschluss:Beschlüsse Frist:Fristen
	Verlängerung:Verlängerungen Vertrag:Verträge Gemeinderat:Gemeinderäte Sitzung:Sitzungen Haushalt:Haushalte
	Vorhaben:Vorhaben Genehmigung:Genehmigungen Widerspruch:Widersprüche Stellungnahme:Stellungnahmen
	Verordnung:Verordnungen Satzung:Satzungen Gebühr:Gebühren Grundstück:Grundstücke Straße:Straßen Schule:Schulen
	Kindergarten:Kindergärten Feuerwehr:Feuerwehren Friedhof:Friedhöfe Abwasser:Abwässer Wasser:Wässer
	Energie:Energien Verkehr:Verkehre Parkplatz:Parkplätze Radweg:Radwege Spielplatz:Spielplätze Bürger:Bürger
	Verwaltung:Verwaltungen Amt:Ämter Behörde:Behörden Ausschuss:Ausschüsse Kreis:Kreise Förderung:Förderungen
	Zuschuss:Zuschüsse Mittel:Mittel Ausgabe:Ausgaben Einnahme:Einnahmen Rechnung:Rechnungen Prüfung:Prüfungen
	Bericht:Berichte Protokoll:Protokolle Einladung:Einladungen Vorlage:Vorlagen Anfrage:Anfragen Auskunft:Auskünfte
	Akte:Akten Vorgang:Vorgänge Verfahren:Verfahren Planung:Planungen Bebauung:Bebauungen Umwelt:Umwelten
	Denkmal:Denkmäler Lärm:Lärm Baum:Bäume Wald:Wälder Brücke:Brücken Gebäude:Gebäude Sanierung:Sanierungen
	Neubau:Neubauten Kosten:Kosten Angebot:Angebote Vergabe:Vergaben Auftrag:Aufträge Firma:Firmen Stelle:Stellen
	Ausschreibung:Ausschreibungen Termin:Termine Schreiben:Schreiben Mitteilung:Mitteilungen Hinweis:Hinweise
	Anlage:Anlagen Plan:Pläne Karte:Karten Liste:Listen Übersicht:Übersichten Entwurf:Entwürfe Fassung:Fassungen
	Änderung:Änderungen Ergänzung:Ergänzungen Erlass:Erlasse Richtlinie:Richtlinien Gesetz:Gesetze Recht:Rechte
	Pflicht:Pflichten Zuständigkeit:Zuständigkeiten Gemeinde:Gemeinden Ortsteil:Ortsteile Einwohner:Einwohner
	Meldung:Meldungen Kasse:Kassen Steuer:Steuern Nutzung:Nutzungen Fläche:Flächen Bau:Bauten Schutz:Schutz
	Jahr:Jahre Monat:Monate Woche:Wochen Zeitraum:Zeiträume Betrag:Beträge Euro:Euro Person:Personen`)

var benchFiller = strings.Fields(`der die das und wird wurde ist sind für mit von auf zu den im des eine einer
	nach bei über gegen ohne durch bis zum zur als auch nicht noch bereits hiermit gemäß beantragt genehmigt
	abgelehnt geprüft erteilt beschlossen öffentlich neue städtischen zuständige vorliegende weitere gesamte
	dringend rechtzeitig schriftlich fristgerecht vollständig vorläufig endgültig einstimmig mehrheitlich
	Musterhausen Lindenstraße Bahnhofstraße Marktplatz Rathaus Frau Herr Dr. Schmidt Müller Meyer Schulz`)

// benchVocabulary returns the words of the benchmark: every noun in both
// numbers, compounds of two nouns (Fristverlängerung, Bauantrag, …) and
// the filler words, most frequent first.
func benchVocabulary() []string {
	var nouns, plurals []string
	for _, np := range benchNouns {
		n, p, _ := strings.Cut(np, ":")
		nouns, plurals = append(nouns, n), append(plurals, p)
	}
	words := append([]string{}, benchFiller...)
	for i := range nouns {
		words = append(words, nouns[i], plurals[i])
	}
	for i, a := range nouns {
		for j, b := range nouns {
			if i == j || (i*31+j*17)%5 != 0 { // a fifth of all pairs
				continue
			}
			glue := ""
			if strings.HasSuffix(a, "ung") || strings.HasSuffix(a, "keit") {
				glue = "s"
			}
			r, size := utf8.DecodeRuneInString(b)
			words = append(words, a+glue+string(unicode.ToLower(r))+b[size:])
		}
	}
	return words
}

// BenchmarkSearch100k seeds 100,000 documents of realistic German text in
// one tenant on PostgreSQL (bulk SQL as the owner, the search index built
// set-based) and measures the latency of typical searches by a staff
// member with a folder permission filter: common and rare words,
// inflections, compound parts, two terms, an Aktenzeichen. It reports
// p50 and p95 in milliseconds; the target is p95 ≤ 200 ms.
//
//	go test ./documents/ -run '^$' -bench Search100k -benchtime 200x
//
// KOLLAB_BENCH_DOCS=20000 seeds fewer documents for a quick look.
func BenchmarkSearch100k(b *testing.B) {
	docs := 100_000
	if n, err := strconv.Atoi(os.Getenv("KOLLAB_BENCH_DOCS")); err == nil && n > 0 { // a quicker run
		docs = n
	}
	var (
		d        *db.DB
		ownerURL string
	)
	keep := os.Getenv("KOLLAB_BENCH_KEEP") == "1"
	if keep {
		d, ownerURL, _ = dbtest.KeptPostgres(b, fmt.Sprintf("search_%d", docs))
	} else {
		d, ownerURL = dbtest.Postgres(b)
	}
	svc := documents.NewService(d)
	staff, folders := benchSearchTenant(b, d, ownerURL, svc, docs, keep)

	queries := []documents.SearchQuery{
		{Text: "Antrag"}, {Text: "Beschlüsse"}, {Text: "Verträge"}, {Text: "Frist"}, {Text: "verlängerung"},
		{Text: "Fristverlängerung"}, {Text: "Genehmigung Bauantrag"}, {Text: "Haushalt Sitzung"},
		{Text: "Denkmalschutz"}, {Text: "Lärm"}, {Text: "einstimmig beschlossen"}, {Text: "Musterhausen"},
		{Text: "Spielplatzsanierung"}, {Text: "AZ 61-7"}, {Text: "Widersprüche"}, {Text: "Zuschuss Feuerwehr"},
		{Text: "Antrag", FolderID: folders[3]}, {Text: "Kosten", ContentType: "text/"},
	}
	var lat []time.Duration
	perQuery := make([][]time.Duration, len(queries))
	hits := make([]int, len(queries))
	i := 0
	for b.Loop() {
		k := i % len(queries)
		i++
		t0 := time.Now()
		res, err := svc.Search(ctx, staff, queries[k])
		if err != nil {
			b.Fatal(err)
		}
		d := time.Since(t0)
		lat, perQuery[k], hits[k] = append(lat, d), append(perQuery[k], d), len(res.Hits)
	}
	var medians []string // one line: benchmark logs are cut after a few lines
	for k, q := range queries {
		if ds := perQuery[k]; len(ds) > 0 {
			slices.Sort(ds)
			medians = append(medians, fmt.Sprintf("%q %d hits %v", q.Text, hits[k], ds[len(ds)/2].Round(time.Millisecond)))
		}
	}
	b.Logf("medians: %s", strings.Join(medians, "; "))
	slices.Sort(lat)
	pct := func(p float64) float64 { return float64(lat[int(p*float64(len(lat)-1))].Microseconds()) / 1000 }
	b.ReportMetric(pct(0.50), "p50-ms")
	b.ReportMetric(pct(0.95), "p95-ms")
	b.ReportMetric(pct(1), "max-ms")
	if pct(0.95) > 200 {
		b.Logf("p95 %.1f ms is above the 200 ms target", pct(0.95))
	}
}

// benchSearchTenant returns the staff member and the 50 folders of a tenant
// seeded with docs documents. With KOLLAB_BENCH_KEEP=1 the database
// (kollab_bench_search_<docs>) stays after the run, and a later run of the
// same size reuses its tenant instead of seeding again (minutes saved while
// tuning); drop the database by hand when done.
func benchSearchTenant(b *testing.B, d *db.DB, ownerURL string, svc *documents.Service, docs int, keep bool) (tenant.Actor, []uuid.UUID) {
	b.Helper()
	tenants := tenant.NewService(d, password.NewHasher(password.HighEntropy))
	slug := "bench-" + uuid.NewString()[:8]
	if keep {
		slug = "bench-search"
	}
	email := func(name string) string { return name + "-" + slug + "@example.org" }
	actor := func(name string) tenant.Actor {
		u, err := tenants.UserByEmail(ctx, email(name))
		if err != nil {
			b.Fatal(err)
		}
		uts, err := tenants.TenantsOfUser(ctx, u.ID)
		if err != nil || len(uts) != 1 {
			b.Fatalf("memberships of %s: %v %d", name, err, len(uts))
		}
		return tenant.ActorFromMembership(&uts[0].Membership)
	}
	if tn, err := tenants.TenantBySlug(ctx, slug); err == nil && keep {
		admin, staff := actor("admin"), actor("staff")
		top, err := svc.ListFolders(ctx, admin, uuid.Nil, documents.Page{})
		if err != nil || len(top.Folders) != 1 {
			b.Fatalf("kept tenant %s: folders %v", tn.Slug, err)
		}
		sub, err := svc.ListFolders(ctx, admin, top.Folders[0].ID, documents.Page{Limit: 100})
		if err != nil || len(sub.Folders) != 50 {
			b.Fatalf("kept tenant %s: subfolders %v", tn.Slug, err)
		}
		folders := make([]uuid.UUID, len(sub.Folders))
		for i, f := range sub.Folders {
			folders[i] = f.ID
		}
		b.Logf("reusing the seeded tenant %s", slug)
		return staff, folders
	}
	tn, err := tenants.CreateTenant(ctx, slug, "Benchmark")
	if err != nil {
		b.Fatal(err)
	}
	for _, m := range []struct {
		name string
		role tenant.Role
	}{{"admin", tenant.RoleAdmin}, {"staff", tenant.RoleStaff}} {
		u, err := tenants.CreateUser(ctx, email(m.name), m.name, "ein-sehr-langes-Passwort")
		if err != nil {
			b.Fatal(err)
		}
		if _, err := tenants.AddMember(ctx, tn.ID, u.ID, m.role); err != nil {
			b.Fatal(err)
		}
	}
	admin, staff := actor("admin"), actor("staff")
	root, err := svc.CreateFolder(ctx, admin, uuid.Nil, "Akten")
	if err != nil {
		b.Fatal(err)
	}
	if _, err := svc.SetPermission(ctx, admin, root.ID, documents.RolePrincipal(tenant.RoleStaff), documents.Read); err != nil {
		b.Fatal(err)
	}
	var folders []uuid.UUID
	for i := range 50 {
		f, err := svc.CreateFolder(ctx, admin, root.ID, fmt.Sprintf("Ordner %02d", i))
		if err != nil {
			b.Fatal(err)
		}
		if i%10 == 0 { // a tenth of the documents is out of the staff's reach
			if _, err := svc.SetInheritance(ctx, admin, f.ID, false, false); err != nil {
				b.Fatal(err)
			}
		}
		folders = append(folders, f.ID)
	}
	start := time.Now()
	benchSeed(b, ownerURL, tn.ID, admin.MembershipID, folders, docs)
	b.Logf("seeded %d documents in %v", docs, time.Since(start).Round(time.Second))
	return staff, folders
}

// benchSeed inserts n documents with a text revision each, round-robin
// into folders, as the owner (row-level security scoped to the tenant),
// with the search triggers off; then it builds the search index and the
// lexicon set-based and analyzes the tables.
func benchSeed(b *testing.B, ownerURL string, tenantID, by uuid.UUID, folders []uuid.UUID, n int) {
	b.Helper()
	conn, err := pgx.Connect(ctx, ownerURL)
	if err != nil {
		b.Fatal(err)
	}
	defer conn.Close(ctx)
	vocab := benchVocabulary()
	rng := rand.New(rand.NewPCG(1, 2))
	word := func() string { return vocab[int(float64(len(vocab))*math.Pow(rng.Float64(), 2.2))] }
	words := func(k int) string {
		ws := make([]string, k)
		for i := range ws {
			ws[i] = word()
		}
		return strings.Join(ws, " ")
	}
	exec := func(sql string, args ...any) {
		if _, err := conn.Exec(ctx, sql, args...); err != nil {
			b.Fatalf("%s: %v", sql, err)
		}
	}
	exec("SELECT set_config('app.tenant_id', $1, false)", tenantID.String())
	for _, tr := range []string{"documents", "document_tags", "document_texts"} {
		exec("ALTER TABLE " + tr + " DISABLE TRIGGER USER")
	}
	now := time.Now().UTC()
	const batch = 5000
	for lo := 0; lo < n; lo += batch {
		var (
			ids, revs, fids                    []uuid.UUID
			titles, keys, descs, refs, content []string
			sizes                              []int64
			changed                            []time.Time
		)
		for i := lo; i < min(lo+batch, n); i++ {
			id, rev := uuid.Must(uuid.NewV7()), uuid.Must(uuid.NewV7())
			title := fmt.Sprintf("%s %s %d", word(), word(), i)
			length := 80 + rng.IntN(400)
			if rng.IntN(10) == 0 {
				length *= 5
			}
			text := words(length)
			ids, revs, fids = append(ids, id), append(revs, rev), append(fids, folders[i%len(folders)])
			titles, keys = append(titles, title), append(keys, strings.ToLower(title))
			descs = append(descs, words(5+rng.IntN(20)))
			refs = append(refs, fmt.Sprintf("AZ %d-%d/%d", 10+rng.IntN(90), rng.IntN(50), 2015+rng.IntN(11)))
			content, sizes = append(content, text), append(sizes, int64(len(text)))
			// Last changes spread evenly over eight years, as in an agency's
			// long-lived file store.
			changed = append(changed, now.Add(-time.Duration(rng.Int64N(int64(8*365*24*time.Hour)))).Truncate(time.Microsecond))
		}
		exec(`INSERT INTO documents (tenant_id, id, folder_id, title, title_key, description, file_plan_ref,
				created_at, created_by, updated_at, updated_by, content_type, size_bytes, revision_count)
			SELECT $1, u.id, u.folder, u.title, u.key, u.descr, u.ref, u.changed, $2, u.changed, $2, 'text/plain; charset=utf-8', u.size, 1
			FROM unnest($3::uuid[], $4::uuid[], $5::text[], $6::text[], $7::text[], $8::text[], $9::bigint[], $10::timestamptz[])
				AS u(id, folder, title, key, descr, ref, size, changed)`,
			tenantID, by, ids, fids, titles, keys, descs, refs, sizes, changed)
		exec(`INSERT INTO document_revisions (tenant_id, id, document_id, number, storage_key, size_bytes, sha256,
				content_type, file_name, created_at, created_by)
			SELECT $1::uuid, u.rev, u.id, 1, 't/' || $1::uuid::text || '/rev/' || u.rev::text, u.size, repeat('0', 64), 'text/plain; charset=utf-8', 'text.txt', $2, $3
			FROM unnest($4::uuid[], $5::uuid[], $6::bigint[]) AS u(rev, id, size)`, tenantID, now, by, revs, ids, sizes)
		exec(`UPDATE documents d SET current_revision_id = u.rev FROM unnest($2::uuid[], $3::uuid[]) AS u(rev, id)
			WHERE d.tenant_id = $1 AND d.id = u.id`, tenantID, revs, ids)
		exec(`INSERT INTO document_texts (tenant_id, document_id, revision_id, content, method, truncated, extracted_at)
			SELECT $1, u.id, u.rev, u.content, 'plain', false, $2 FROM unnest($3::uuid[], $4::uuid[], $5::text[]) AS u(id, rev, content)`,
			tenantID, now, ids, revs, content)
	}
	b.Logf("inserted rows in %v", time.Since(now).Round(time.Second))
	exec("SELECT document_search_refresh(tenant_id, id) FROM documents WHERE tenant_id = $1", tenantID)
	b.Logf("built the search index in %v", time.Since(now).Round(time.Second))
	exec(`INSERT INTO search_lexicon (tenant_id, lexeme)
		SELECT DISTINCT $1::uuid, l FROM document_texts t, unnest(tsvector_to_array(t.content_vector)) l
		WHERE t.tenant_id = $1 AND char_length(l) BETWEEN 4 AND 64
		ON CONFLICT DO NOTHING`, tenantID)
	for _, tr := range []string{"documents", "document_tags", "document_texts"} {
		exec("ALTER TABLE " + tr + " ENABLE TRIGGER USER")
	}
	exec("ANALYZE")
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
