package documents

import (
	"cmp"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"hash/fnv"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/blevesearch/snowballstem"
	"github.com/blevesearch/snowballstem/german"
	"github.com/google/uuid"
	"github.com/kollab/kollab/internal/db"
	"github.com/kollab/kollab/internal/errs"
	"github.com/kollab/kollab/tenant"
	"golang.org/x/text/unicode/norm"
)

// Full-text search.
//
// A search text is split into words (letters and digits); German stop
// words are dropped; every remaining word is a term, and a document
// matches when it matches every term. A term matches
//
//   - its German inflections: "Beschlüsse" finds "Beschluss", "Anträge"
//     finds "Antrag" (Snowball German stemming on both engines), and
//   - compounds that contain it, for terms of at least 4 characters:
//     "Frist" and "verlängerung" find "Fristverlängerung".
//
// in the title, the file-plan reference (Aktenzeichen), the tags, the
// description, the values of the metadata fields and the text extracted
// from the current revision. Title hits rank first (a document whose title
// matches every term ranks above all others), then the reference and
// tags, then description and metadata, then the text.
//
// PostgreSQL: a tsvector per document (document_search, weights A–D, kept
// by triggers) with a GIN index; compounds through a per-tenant lexicon
// with a trigram index whose matches expand the tsquery (see migration
// 00005); ts_rank_cd and ts_headline. SQLite: FTS5 with the stem as a
// prefix query, compounds from the tenant's own words in the fts5vocab
// tables (00023), a rank from the fields that hold each term, and snippet().
// Both filter by permission, tenant and trash inside the one query. The
// engines differ in details: SQLite also matches a short term as a prefix
// ("Rat" finds "Rathaus"); PostgreSQL ranks an exact word above a compound
// that merely contains it. On both, what a tenant finds and how it ranks
// depends on its own documents only (TestSearchTenantIndependent): no
// statistics or vocabulary of another tenant enter a search.

// Search limits.
const (
	// MaxSearchTextLen bounds SearchQuery.Text, in characters.
	MaxSearchTextLen = 200
	// MaxSearchTerms bounds the words of one search.
	MaxSearchTerms = 16
	// DefaultSearchPage is the page size when SearchQuery.Limit is 0.
	DefaultSearchPage = 20
	// MaxSearchResults is how deep one can page into the hits of a search:
	// past it, NextCursor stays empty and the search must be narrowed.
	// On PostgreSQL it is also the number of candidates ranked in full.
	MaxSearchResults = 500
	// MaxIndexedText bounds the extracted text stored and indexed per
	// document, in bytes (PostgreSQL limits one tsvector to 1 MiB).
	MaxIndexedText = 512 << 10
	// maxExpansions bounds the compound words one term expands into.
	maxExpansions = 64
	// minExpandLen is the shortest term (in characters) that also matches
	// inside compounds; shorter ones would match too much ("Rat" in "Beratung").
	minExpandLen = 4
	// snippetSource bounds the text (characters) a snippet is cut from.
	snippetSource = 30000
)

// Snippet markers: ts_headline and snippet() wrap hits in them; the text
// never contains them (stored text is cleaned, descriptions are filtered
// in SQL), and Search turns them into SnippetParts.
const (
	markStart = "\x02"
	markStop  = "\x03"
)

// SearchQuery is a full-text search. Text is required; the other fields
// narrow the hits.
type SearchQuery struct {
	// Text is what to look for, 1 to 200 characters.
	Text string
	// FolderID limits the search to a folder and its subfolders.
	FolderID uuid.UUID
	// Tags must all be present.
	Tags []string
	// ContentType is a prefix of the current revision's media type
	// ("application/pdf", "image/"); documents without a file never match.
	ContentType string
	// FilePlanRef is a prefix of the file-plan reference (Aktenzeichen).
	FilePlanRef string
	// ModifiedAfter and ModifiedBefore bound the last change (UpdatedAt):
	// after or at, and strictly before. Zero means unbounded.
	ModifiedAfter  time.Time
	ModifiedBefore time.Time
	// Limit is the page size (default 20, at most MaxPage).
	Limit int
	// Cursor continues a previous page (SearchResult.NextCursor).
	Cursor string
}

// SearchResult is one page of hits, best first.
type SearchResult struct {
	Hits []SearchHit
	// More reports hits beyond this page.
	More bool
	// NextCursor continues with the next page; empty on the last page and
	// past MaxSearchResults.
	NextCursor string
}

// SearchHit is a live document the actor may read that matches the search.
type SearchHit struct {
	DocumentID  uuid.UUID
	Title       string
	FolderID    uuid.UUID
	ContentType *string
	SizeBytes   *int64
	UpdatedAt   time.Time
	// Rank orders the hits (higher is better); it is comparable only
	// within one search.
	Rank float64
	// Snippet is a short excerpt of the description or text around the
	// hits, as plain-text parts; parts with Hit set matched the search.
	// Clients render each part as text (never as HTML) and mark the hits,
	// e.g. with <mark>. Empty when the document has no text to show.
	Snippet []SnippetPart
}

// SnippetPart is a piece of a snippet.
type SnippetPart struct {
	Text string
	Hit  bool
}

// searchTerm is one word of a search.
type searchTerm struct {
	word string // lower-case, NFC
	stem string // its German Snowball stem (ß as ss, umlauts folded)
}

// searchFilter is a validated SearchQuery without its text.
type searchFilter struct {
	folderID    uuid.UUID
	tags        []string
	contentType string
	filePlanRef string
	after       time.Time
	before      time.Time
	limit       int
	offset      int
	fingerprint uint32
}

// hitRow is a hit as read, before its snippet is parsed.
type hitRow struct {
	DocumentID  uuid.UUID `gorm:"column:document_id"`
	Title       string    `gorm:"column:title"`
	FolderID    uuid.UUID `gorm:"column:folder_id"`
	ContentType *string   `gorm:"column:content_type"`
	SizeBytes   *int64    `gorm:"column:size_bytes"`
	UpdatedAt   time.Time `gorm:"column:updated_at"`
	Rank        float64   `gorm:"column:rank"`
	Snippet     *string   `gorm:"column:snippet"`
	SearchRowID int64     `gorm:"column:search_rowid"`
	// WindowFull and Candidates report, on PostgreSQL's recent way,
	// whether the window held as many documents as it may, and how many
	// candidates it yielded.
	WindowFull bool `gorm:"column:window_full"`
	Candidates int  `gorm:"column:candidates"`
}

// Search finds the live documents that match q.Text among those the actor
// may read, best first. Permission, tenant and trash are part of the
// query: a document the actor cannot read is never a hit, and no snippet
// is ever cut from it.
func (s *Service) Search(ctx context.Context, a tenant.Actor, q SearchQuery) (*SearchResult, error) {
	terms, err := parseSearchText(q.Text)
	if err != nil {
		return nil, err
	}
	f, err := validateSearchFilter(q)
	if err != nil {
		return nil, err
	}
	out := &SearchResult{Hits: []SearchHit{}}
	if len(terms) == 0 { // only stop words: nothing to look for
		return out, nil
	}
	err = s.run(ctx, a, func(tx *db.Tx) error {
		if f.folderID != uuid.Nil {
			if _, err := loadFolder(tx, a, f.folderID, live); err != nil {
				return err
			}
		}
		var rows []hitRow
		var err error
		if isPostgres(tx) {
			rows, err = searchPostgres(tx, a, terms, f, cmp.Or(s.searchWindow, DefaultSearchWindow))
		} else {
			rows, err = searchSQLite(tx, a, terms, f)
		}
		if err != nil {
			return err
		}
		if len(rows) > f.limit {
			rows = rows[:f.limit]
			out.More = true
			if next := f.offset + f.limit; next < MaxSearchResults {
				out.NextCursor = searchCursor{Offset: next, Query: f.fingerprint}.encode()
			}
		}
		for _, r := range rows {
			h := SearchHit{DocumentID: r.DocumentID, Title: r.Title, FolderID: r.FolderID, ContentType: r.ContentType,
				SizeBytes: r.SizeBytes, UpdatedAt: r.UpdatedAt, Rank: r.Rank}
			if r.Snippet != nil {
				h.Snippet = snippetParts(*r.Snippet)
			}
			out.Hits = append(out.Hits, h)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// parseSearchText splits a search text into its terms (none when it holds
// only stop words).
func parseSearchText(text string) ([]searchTerm, error) {
	text = strings.TrimSpace(text)
	n := utf8.RuneCountInString(text)
	if !utf8.ValidString(text) || n == 0 || n > MaxSearchTextLen {
		return nil, errs.InvalidField("text", errs.M("documents.enter-search-text-1-200", "Bitte einen Suchtext mit 1 bis 200 Zeichen angeben.", "Please enter a search text of 1 to 200 characters."))
	}
	words := strings.FieldsFunc(strings.ToLower(norm.NFC.String(text)), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r) && !unicode.Is(unicode.Mn, r)
	})
	if len(words) == 0 {
		return nil, errs.InvalidField("text", errs.M("documents.search-text-contains-no-word", "Der Suchtext enthält kein Wort: bitte Buchstaben oder Ziffern eingeben.", "The search text contains no word: please enter letters or digits."))
	}
	if len(words) > MaxSearchTerms {
		return nil, errs.InvalidField("text", errs.M("documents.enter-most-16-search-terms", "Bitte höchstens 16 Suchbegriffe angeben.", "Please enter at most 16 search terms."))
	}
	var terms []searchTerm
	for _, w := range words {
		if germanStopWords[w] {
			continue
		}
		st := germanStem(w)
		if st == "" || slices.ContainsFunc(terms, func(t searchTerm) bool { return t.stem == st }) {
			continue
		}
		terms = append(terms, searchTerm{word: w, stem: st})
	}
	return terms, nil
}

// germanStem returns the Snowball German stem of a lower-case word: the
// same algorithm as PostgreSQL's 'german' configuration.
func germanStem(w string) string {
	env := snowballstem.NewEnv(w)
	german.Stem(env)
	return env.Current()
}

// expands reports whether a term also matches inside compounds.
func (t searchTerm) expands() bool {
	return utf8.RuneCountInString(t.word) >= minExpandLen && utf8.RuneCountInString(t.stem) >= 3
}

func validateSearchFilter(q SearchQuery) (searchFilter, error) {
	f := searchFilter{folderID: q.FolderID, after: q.ModifiedAfter.UTC(), before: q.ModifiedBefore.UTC()}
	var err error
	if len(q.Tags) > 0 {
		if f.tags, err = normalizeTags(q.Tags); err != nil {
			return f, err
		}
	}
	if f.filePlanRef, err = validateFilePlanRef(q.FilePlanRef); err != nil {
		return f, err
	}
	f.contentType = strings.ToLower(strings.TrimSpace(q.ContentType))
	if !utf8.ValidString(f.contentType) || len(f.contentType) > 255 || hasControl(f.contentType) {
		return f, errs.InvalidField("content_type", errs.M("documents.file-type-search-filter-invalid", "Der Dateityp im Suchfilter ist ungültig.", "The file type in the search filter is invalid."))
	}
	if !q.ModifiedAfter.IsZero() && !q.ModifiedBefore.IsZero() && !f.after.Before(f.before) {
		return f, errs.InvalidField("modified_before", errs.M("documents.period-invalid", "Der Zeitraum ist ungültig: der Beginn muss vor dem Ende liegen.", "The period is invalid: its start must lie before its end."))
	}
	if q.Limit < 0 {
		return f, errs.InvalidField("limit", errs.M("documents.page-size-must-not-negative", "Die Seitengröße darf nicht negativ sein.", "The page size must not be negative."))
	}
	f.limit = DefaultSearchPage
	if q.Limit > 0 {
		f.limit = min(q.Limit, MaxPage)
	}
	h := fnv.New32a()
	fmt.Fprintf(h, "%s\x00%s\x00%s\x00%s\x00%s\x00%d\x00%d", strings.TrimSpace(q.Text), f.folderID,
		strings.Join(f.tags, "\x01"), f.contentType, f.filePlanRef, f.after.UnixMicro(), f.before.UnixMicro())
	f.fingerprint = h.Sum32()
	if q.Cursor != "" {
		c, ok := decodeSearchCursor(q.Cursor)
		if !ok || c.Query != f.fingerprint || c.Offset <= 0 || c.Offset >= MaxSearchResults {
			return f, errs.InvalidField("cursor", errs.M("documents.page-cursor-invalid", "Die Seitenmarke ist ungültig. Bitte die Liste neu laden.", "The page cursor is invalid. Please reload the list."))
		}
		f.offset = c.Offset
	}
	return f, nil
}

// searchCursor is the opaque position in a search's hits. Relevance order
// has no stable key, so it is an offset, bound to the query it came from.
type searchCursor struct {
	Offset int    `json:"o"`
	Query  uint32 `json:"q"`
}

func (c searchCursor) encode() string {
	b, _ := json.Marshal(c)
	return base64.RawURLEncoding.EncodeToString(b)
}

func decodeSearchCursor(s string) (searchCursor, bool) {
	var c searchCursor
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil || len(b) > 256 || json.Unmarshal(b, &c) != nil {
		return c, false
	}
	return c, true
}

// filterSQL is the WHERE part of the permission, trash and optional
// filters: on documents d, or (onSearch) on their copies in
// document_search ds. With a scope (PostgreSQL), the permission and folder
// filters are the scope's folder list instead of subqueries.
func (f searchFilter) filterSQL(a tenant.Actor, onSearch bool, scope *folderScope) (string, []any) {
	doc, folder, live, updated, ctype, ref := "d.id", "d.folder_id", "d.deleted_at IS NULL", "d.updated_at", "d.content_type", "d.file_plan_ref"
	if onSearch {
		doc, folder, live, updated, ctype, ref = "ds.document_id", "ds.folder_id", "ds.live", "ds.updated_at", "ds.content_type", "ds.file_plan_ref"
	}
	var b strings.Builder
	var args []any
	b.WriteString(" AND " + live)
	switch {
	case scope != nil && scope.all:
	case scope != nil:
		b.WriteString(" AND " + folder + " = ANY(CAST(? AS uuid[]))")
		args = append(args, scope.array())
	default:
		acc, aargs := accessFilter(folder, a, Read)
		b.WriteString(" AND " + acc)
		args = append(args, aargs...)
		if f.folderID != uuid.Nil {
			b.WriteString(" AND " + folder + " IN (" + subtree + ")")
			args = append(args, f.folderID)
		}
	}
	for _, t := range f.tags { // a set per tag, not a probe per match
		b.WriteString(" AND " + doc + " IN (SELECT tg.document_id FROM document_tags tg WHERE tg.tenant_id = @tenant AND tg.tag = ?)")
		args = append(args, t)
	}
	if f.contentType != "" {
		b.WriteString(" AND lower(substr(" + ctype + ", 1, ?)) = ?")
		args = append(args, utf8.RuneCountInString(f.contentType), f.contentType)
	}
	if f.filePlanRef != "" {
		b.WriteString(" AND substr(" + ref + ", 1, ?) = ?")
		args = append(args, utf8.RuneCountInString(f.filePlanRef), f.filePlanRef)
	}
	if !f.after.IsZero() {
		b.WriteString(" AND " + updated + " >= ?")
		args = append(args, f.after)
	}
	if !f.before.IsZero() {
		b.WriteString(" AND " + updated + " < ?")
		args = append(args, f.before)
	}
	return b.String(), args
}

// folderScope is the set of folders a search may find documents in: those
// the actor may read, within the searched folder's subtree if one is
// given. all means every folder (an admin searching everywhere).
type folderScope struct {
	all     bool
	folders []uuid.UUID
}

// array is the scope's folders as a PostgreSQL array literal (GORM would
// expand a slice into a list of parameters).
func (sc *folderScope) array() string {
	var b strings.Builder
	b.WriteByte('{')
	for i, id := range sc.folders {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(id.String())
	}
	b.WriteByte('}')
	return b.String()
}

// searchScope reads the folder scope of a search in one query. PostgreSQL
// then tests each match against the list as a hashed set: a subquery, which
// the planner estimates blindly under row-level security, could become a
// nested loop over every match (200 ms for 90,000 matches).
func searchScope(tx *db.Tx, a tenant.Actor, f searchFilter) (*folderScope, error) {
	if a.IsAdmin() && f.folderID == uuid.Nil {
		return &folderScope{all: true}, nil
	}
	var q string
	var args []any
	switch {
	case a.IsAdmin():
		q, args = subtree, []any{f.folderID}
	case f.folderID == uuid.Nil:
		q, args = allowedFolders(a, Read)
	default:
		sub, sargs := allowedFolders(a, Read)
		q = "SELECT folder_id FROM (" + sub + ") allowed WHERE folder_id IN (" + subtree + ")"
		args = append(sargs, f.folderID)
	}
	sc := &folderScope{folders: []uuid.UUID{}}
	if err := tx.Raw(q, args...).Scan(&sc.folders).Error; err != nil {
		return nil, fmt.Errorf("documents: search scope: %w", err)
	}
	slices.SortFunc(sc.folders, func(x, y uuid.UUID) int { return strings.Compare(x.String(), y.String()) })
	sc.folders = slices.Compact(sc.folders)
	return sc, nil
}

// snippetParts turns a marked snippet into parts: whitespace runs become
// one space (kept with the text before them), other control characters
// go, adjacent parts of one kind merge.
func snippetParts(s string) []SnippetPart {
	var parts []SnippetPart
	var b strings.Builder
	hit, space := false, false
	flush := func() {
		if b.Len() == 0 {
			return
		}
		if n := len(parts); n > 0 && parts[n-1].Hit == hit {
			parts[n-1].Text += b.String()
		} else {
			parts = append(parts, SnippetPart{Text: b.String(), Hit: hit})
		}
		b.Reset()
	}
	for _, r := range strings.ToValidUTF8(s, "\uFFFD") {
		switch {
		case r == '\x02' || r == '\x03':
			flush()
			hit = r == '\x02'
		case unicode.IsSpace(r):
			if !space && (b.Len() > 0 || len(parts) > 0) {
				b.WriteByte(' ')
			}
			space = true
		case unicode.IsControl(r):
		default:
			space = false
			b.WriteRune(r)
		}
	}
	flush()
	if n := len(parts); n > 0 {
		parts[n-1].Text = strings.TrimRight(parts[n-1].Text, " ")
		if parts[n-1].Text == "" {
			parts = parts[:n-1]
		}
	}
	return parts
}

// germanStopWords are the words PostgreSQL's 'german' configuration drops
// (Snowball's German stop-word list), dropped on both engines alike.
var germanStopWords = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(`aber alle allem allen aller alles als also am an ander andere anderem
		anderen anderer anderes anderm andern anderr anders auch auf aus bei bin bis bist da damit dann der den
		des dem die das daß derselbe derselben denselben desselben demselben dieselbe dieselben dasselbe dazu
		dein deine deinem deinen deiner deines denn derer dessen dich dir du dies diese diesem diesen dieser
		dieses doch dort durch ein eine einem einen einer eines einig einige einigem einigen einiger einiges
		einmal er ihn ihm es etwas euer eure eurem euren eurer eures für gegen gewesen hab habe haben hat hatte
		hatten hier hin hinter ich mich mir ihr ihre ihrem ihren ihrer ihres euch im in indem ins ist jede
		jedem jeden jeder jedes jene jenem jenen jener jenes jetzt kann kein keine keinem keinen keiner keines
		können könnte machen man manche manchem manchen mancher manches mein meine meinem meinen meiner meines
		mit muss musste nach nicht nichts noch nun nur ob oder ohne sehr sein seine seinem seinen seiner seines
		selbst sich sie ihnen sind so solche solchem solchen solcher solches soll sollte sondern sonst über um
		und uns unse unsem unsen unser unses unter viel vom von vor während war waren warst was weg weil weiter
		welche welchem welchen welcher welches wenn werde werden wie wieder will wir wird wirst wo wollen wollte
		würde würden zu zum zur zwar zwischen`) {
		m[w] = true
	}
	return m
}()

// headlineOptions configure ts_headline: two fragments of up to 18 words,
// hits wrapped in the snippet markers.
const headlineOptions = `MaxFragments=2, MaxWords=18, MinWords=6, ShortWord=2, FragmentDelimiter=" … ", StartSel=` +
	markStart + `, StopSel=` + markStop

// searchPostgres runs a search on PostgreSQL. The terms become a tsquery
// (stems, each ORed with the lexicon's compounds that contain it), and the
// search is answered in two stages: candidates, then ranking.
//
//  1. Candidates: at most MaxSearchResults+1 matches, taken by what is
//     cheap to know: the most recent first. Two ways to find them, as the
//     search's breadth demands:
//     - recent: walk the scope's most recently changed documents (at
//     most WithSearchWindow of them, in the documents_recent index)
//     and test each one's vector until enough match. A term found in
//     half of the documents or more fills the candidates within the
//     window and costs the same however many documents it matches in
//     all; so does every search in a scope of fewer documents than the
//     window.
//     - index: when the window did not yield enough, all matches come
//     from the GIN index (which answers rare terms in milliseconds but
//     costs in proportion to the matches), title hits first, then the
//     most recent.
//  2. Only the candidates are ranked: title hits first, then ts_rank_cd
//     of the whole search document against the terms' stems (an exact
//     word outranks a compound that only contains it). The page's hits
//     are joined with documents, where trash and permission are checked
//     once more on the authoritative rows, and ts_headline cuts their
//     snippets.
//
// The permission filter, the trash and the other filters apply in SQL to
// the same rows as the match: the scope's folders (searchScope) and the
// filters on documents (recent) or on document_search's copies of their
// columns (index).
//
// The match itself is not in the WHERE clause: the serving role is
// subject to row-level security, under which PostgreSQL will not answer a
// non-leakproof condition such as "@@" from an index, so the tsquery goes
// into app.search_query, where the restrictive policy search_match turns
// it into an index condition (see migrations 00005 and 00009). Seq scans
// are off while the search runs, as a safeguard: reading every vector is
// the one plan that must never happen; so is JIT, whose compile time (100
// ms and more) exceeds anything it could save here.
//
// The ranking is exact when a search has at most MaxSearchResults
// matches; beyond, the candidates are the most recent matches (with the
// index, every title hit among them), and older ones are not reached
// (narrow the search to find them).
func searchPostgres(tx *db.Tx, a tenant.Actor, terms []searchTerm, f searchFilter, windowSize int) ([]hitRow, error) {
	for _, set := range []string{"SET LOCAL enable_seqscan = off", "SET LOCAL jit = off"} {
		if err := pgLocal(tx, set); err != nil {
			return nil, err
		}
	}
	defer pgLocal(tx, "SET LOCAL enable_seqscan = on")
	defer pgLocal(tx, "SET LOCAL jit = DEFAULT")
	scope, err := searchScope(tx, a, f)
	if err != nil || (!scope.all && len(scope.folders) == 0) {
		return nil, err
	}
	match, rank, err := pgTSQuery(tx, terms)
	if err != nil || match == "" {
		return nil, err
	}
	if err := pgSetting(tx, "app.search_query", match); err != nil {
		return nil, err
	}
	defer pgSetting(tx, "app.search_query", "")

	// The recent way: the window's documents, newest first, their vectors
	// tested one by one (by primary key) until enough match. The planner
	// must walk documents_recent in order, so that the candidates' LIMIT
	// stops the walk: sorts and bitmap scans are off for this statement
	// (otherwise it may collect a folder's documents and sort them, or ask
	// the GIN index for every match).
	where, wargs := f.filterSQL(a, false, scope)
	window := `SELECT d.id, d.updated_at FROM documents d
			WHERE d.tenant_id = @tenant` + where + `
			ORDER BY d.updated_at DESC, d.id DESC
			LIMIT ?`
	recent := `cand AS MATERIALIZED (
			SELECT ds.document_id, r.updated_at, ds.vector, CASE WHEN ds.title @@ CAST(? AS tsquery) THEN 1 ELSE 0 END AS boost
			FROM (` + window + `) r
			JOIN document_search ds ON ds.tenant_id = @tenant AND ds.document_id = r.id
			ORDER BY r.updated_at DESC, r.id DESC
			LIMIT ?)`
	args := append([]any{match}, wargs...)
	args = append(args, windowSize, MaxSearchResults+1)
	// How many documents the window holds, when the matches in it are too
	// few: all there are in scope (the answer is complete), or more.
	full := `, (SELECT count(*) FROM cand) AS candidates,
		CASE WHEN (SELECT count(*) FROM cand) > ? THEN true
			ELSE (SELECT count(*) FROM (` + window + `) w) >= ? END AS window_full`
	extra := append([]any{MaxSearchResults}, wargs...)
	extra = append(extra, windowSize, windowSize)
	for _, set := range []string{"SET LOCAL enable_bitmapscan = off", "SET LOCAL enable_sort = off"} {
		if err := pgLocal(tx, set); err != nil {
			return nil, err
		}
	}
	rows, err := pgRankPage(tx, a, recent, args, full, extra, rank, match, f)
	for _, set := range []string{"SET LOCAL enable_bitmapscan = on", "SET LOCAL enable_sort = on"} {
		if err := pgLocal(tx, set); err != nil {
			return nil, err
		}
	}
	if err != nil {
		return nil, err
	}
	if len(rows) > 0 && (rows[0].Candidates > MaxSearchResults || !rows[0].WindowFull) {
		// Enough matches among the newest, or every document in scope tested.
		return rows, nil
	}

	// The index way: all matches, title hits first, then the most recent.
	where, wargs = f.filterSQL(a, true, scope)
	index := `cand AS MATERIALIZED (
			SELECT ds.document_id, ds.updated_at, ds.vector, CASE WHEN ds.title @@ CAST(? AS tsquery) THEN 1 ELSE 0 END AS boost
			FROM document_search ds
			WHERE ds.tenant_id = @tenant` + where + `
			ORDER BY boost DESC, ds.updated_at DESC, ds.document_id DESC
			LIMIT ?)`
	args = append([]any{match}, wargs...)
	args = append(args, MaxSearchResults+1)
	return pgRankPage(tx, a, index, args, "", nil, rank, match, f)
}

// DefaultSearchWindow is how many of the most recently changed documents
// a search on PostgreSQL tests one by one before it asks the index for all
// matches (WithSearchWindow; 20 to 90 ms for 1,000 documents of a few
// pages each).
const DefaultSearchWindow = 1000

// pgRankPage completes a search statement whose common table expressions
// (ctes, with args) end in cand, the candidates with their vectors and
// title boost: it ranks them and reads the page's hits with snippets.
// extra adds columns to every row (with extraArgs).
func pgRankPage(tx *db.Tx, a tenant.Actor, ctes string, args []any, extra string, extraArgs []any, rank, match string, f searchFilter) ([]hitRow, error) {
	acc, aargs := accessFilter("d.folder_id", a, Read)
	q := `WITH ` + ctes + `,
		page AS (
			SELECT c.document_id, c.updated_at, c.boost + ts_rank_cd(c.vector, CAST(? AS tsquery), 33) AS rank
			FROM cand c
			ORDER BY rank DESC, c.updated_at DESC, c.document_id DESC LIMIT ? OFFSET ?)
		SELECT d.id AS document_id, d.title, d.folder_id, d.content_type, d.size_bytes, d.updated_at, p.rank,
			ts_headline('german', left(translate(concat_ws(E'\n', NULLIF(d.description, ''), dt.content), E'\x02\x03', '  '), ` +
		fmt.Sprint(snippetSource) + `), CAST(? AS tsquery), ?) AS snippet` + extra + `
		FROM page p
		JOIN documents d ON d.tenant_id = @tenant AND d.id = p.document_id
		LEFT JOIN document_texts dt ON dt.tenant_id = d.tenant_id AND dt.document_id = d.id
		WHERE d.deleted_at IS NULL AND ` + acc + `
		ORDER BY p.rank DESC, p.updated_at DESC, p.document_id DESC`
	args = append(slices.Clip(args), rank, f.limit+1, f.offset, match, headlineOptions)
	args = append(args, extraArgs...)
	args = append(args, aargs...)
	var rows []hitRow
	if err := tx.Raw(q, args...).Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("documents: search: %w", err)
	}
	return rows, nil
}

// pgLocal runs a statement on no table (a transaction-local setting), so
// without the tenant filter.
func pgLocal(tx *db.Tx, q string, args ...any) error {
	if err := tx.Unscoped().Exec(q, args...).Error; err != nil {
		return fmt.Errorf("documents: %w", err)
	}
	return nil
}

// pgSetting sets a transaction-local setting (the search policies' input).
func pgSetting(tx *db.Tx, name, value string) error {
	return pgLocal(tx, "SELECT set_config(?, ?, true)", name, value)
}

// pgTSQuery builds the tsqueries of the terms: PostgreSQL stems each term
// ('german'), and terms long enough also match the lexicon's lexemes that
// contain their stem (compounds; the pattern reaches the trigram index
// through the search_pattern policy, as in searchPostgres). match has a
// group of alternatives per stem, every group must match; rank ORs the
// stems alone. Both are empty when no term has a lexeme.
func pgTSQuery(tx *db.Tx, terms []searchTerm) (match, rank string, err error) {
	vals := make([]string, len(terms))
	args := make([]any, 0, 2*len(terms))
	for i, t := range terms {
		vals[i] = fmt.Sprintf("(%d, CAST(? AS text), CAST(? AS boolean))", i)
		args = append(args, t.word, t.expands())
	}
	var stems []struct {
		Stem   string `gorm:"column:stem"`
		Expand bool   `gorm:"column:expand"`
	}
	err = tx.Unscoped().Raw(`SELECT s.stem, u.expand
		FROM (VALUES `+strings.Join(vals, ", ")+`) AS u(ord, term, expand)
		CROSS JOIN LATERAL unnest(tsvector_to_array(to_tsvector('german', u.term))) AS s(stem)
		ORDER BY u.ord, s.stem`, args...).Scan(&stems).Error
	if err != nil {
		return "", "", fmt.Errorf("documents: search terms: %w", err)
	}
	groups := make([]string, 0, len(stems))
	exact := make([]string, 0, len(stems))
	for _, st := range stems {
		alts := []string{tsLexeme(st.Stem)}
		exact = append(exact, tsLexeme(st.Stem))
		if st.Expand {
			if err := pgSetting(tx, "app.search_pattern", "%"+escapeLike(st.Stem)+"%"); err != nil {
				return "", "", err
			}
			var lexemes []string
			err := tx.Raw(`SELECT lexeme FROM search_lexicon WHERE tenant_id = @tenant AND lexeme <> ?
				GROUP BY lexeme ORDER BY char_length(lexeme), lexeme LIMIT ?`, st.Stem, maxExpansions).Scan(&lexemes).Error
			if err != nil {
				return "", "", fmt.Errorf("documents: search compounds: %w", err)
			}
			for _, l := range lexemes {
				alts = append(alts, tsLexeme(l))
			}
		}
		groups = append(groups, "("+strings.Join(alts, " | ")+")")
	}
	if err := pgSetting(tx, "app.search_pattern", ""); err != nil {
		return "", "", err
	}
	return strings.Join(groups, " & "), strings.Join(exact, " | "), nil
}

// tsLexeme quotes a lexeme for tsquery input (taken as is, not stemmed
// again): quotes and backslashes doubled.
func tsLexeme(s string) string {
	return "'" + strings.NewReplacer(`\`, `\\`, `'`, `''`).Replace(s) + "'"
}

// searchSQLite runs a search on SQLite: every term is an FTS5 expression
// (its stem as a prefix, or a compound from the vocabulary) that must
// match the document's meta or body row; the fields that hold each term rank, and
// snippet() cuts the snippets of the page's hits.
func searchSQLite(tx *db.Tx, a tenant.Actor, terms []searchTerm, f searchFilter) ([]hitRow, error) {
	exprs := make([]string, len(terms))
	for i, t := range terms {
		e, err := ftsTermExpr(tx, t)
		if err != nil {
			return nil, err
		}
		exprs[i] = e
	}
	anyTerm, allTerms := strings.Join(exprs, " OR "), strings.Join(exprs, " AND ")
	// The rank is the document's own: which of its fields hold each term
	// (title 8, reference and tags 4, description and metadata 2, text 1),
	// never bm25, whose term statistics span every tenant of the file.
	ctes := make([]string, 0, 2*len(exprs)+3)
	inter := make([]string, len(exprs))
	fields := make([]string, len(exprs))
	var args []any
	for i, e := range exprs {
		ctes = append(ctes, fmt.Sprintf(`m%d AS (SELECT rowid AS r FROM document_fts_meta WHERE document_fts_meta MATCH ?
			UNION SELECT rowid AS r FROM document_fts_body WHERE document_fts_body MATCH ?)`, i),
			fmt.Sprintf(`f%d AS (SELECT rowid AS r, 8.0 AS w FROM document_fts_meta WHERE document_fts_meta MATCH ?
			UNION ALL SELECT rowid, 4.0 FROM document_fts_meta WHERE document_fts_meta MATCH ?
			UNION ALL SELECT rowid, 2.0 FROM document_fts_meta WHERE document_fts_meta MATCH ?
			UNION ALL SELECT rowid, 1.0 FROM document_fts_body WHERE document_fts_body MATCH ?)`, i))
		inter[i] = fmt.Sprintf("SELECT r FROM m%d", i)
		fields[i] = fmt.Sprintf("SELECT r, w FROM f%d", i)
		args = append(args, e, e, "{title} : "+e, "{refs} : "+e, "{meta} : "+e, e)
	}
	ctes = append(ctes, "hits AS ("+strings.Join(inter, " INTERSECT ")+")",
		"fs AS (SELECT r, SUM(w) AS s FROM ("+strings.Join(fields, " UNION ALL ")+") GROUP BY r)",
		`tt AS (SELECT rowid AS r FROM document_fts_meta WHERE document_fts_meta MATCH ?)`)
	args = append(args, "{title} : ("+allTerms+")", 15.0*float64(len(exprs))+1)
	where, wargs := f.filterSQL(a, false, nil)
	q := "WITH " + strings.Join(ctes, ",\n") + `
		SELECT d.id AS document_id, d.title, d.folder_id, d.content_type, d.size_bytes, d.updated_at, ds.search_rowid,
		       CASE WHEN h.r IN (SELECT r FROM tt) THEN 1.0 ELSE 0.0 END + COALESCE(fs.s, 0.0) / ? AS rank
		  FROM hits h
		  JOIN document_search ds ON ds.search_rowid = h.r
		  JOIN documents d ON d.tenant_id = ds.tenant_id AND d.id = ds.document_id
		  LEFT JOIN fs ON fs.r = h.r
		 WHERE ds.tenant_id = @tenant` + where + `
		 ORDER BY rank DESC, d.updated_at DESC, d.id LIMIT ? OFFSET ?`
	args = append(append(args, wargs...), f.limit+1, f.offset)
	var rows []hitRow
	if err := tx.Raw(q, args...).Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("documents: search: %w", err)
	}
	if len(rows) == 0 {
		return rows, nil
	}
	// Snippets of the page's hits: from the text where it matches, else
	// from the metadata.
	page := rows[:min(len(rows), f.limit)]
	rowids := make([]int64, len(page))
	for i, r := range page {
		rowids[i] = r.SearchRowID
	}
	snips := map[int64]string{}
	for _, table := range []string{"document_fts_body", "document_fts_meta"} {
		var missing []int64
		for _, id := range rowids {
			if _, ok := snips[id]; !ok {
				missing = append(missing, id)
			}
		}
		if len(missing) == 0 {
			break
		}
		var ss []struct {
			R       int64  `gorm:"column:r"`
			Snippet string `gorm:"column:snippet"`
		}
		err := tx.Unscoped().Raw(`SELECT rowid AS r, snippet(`+table+`, -1, char(2), char(3), '…', 18) AS snippet
			FROM `+table+` WHERE `+table+` MATCH ? AND rowid IN ?`, anyTerm, missing).Scan(&ss).Error
		if err != nil {
			return nil, fmt.Errorf("documents: search snippets: %w", err)
		}
		for _, s := range ss {
			snips[s.R] = s.Snippet
		}
	}
	for i := range page {
		if sn, ok := snips[page[i].SearchRowID]; ok {
			page[i].Snippet = &sn
		}
	}
	return rows, nil
}

// ftsTermExpr is the FTS5 expression of one term: its stem as a prefix
// (in both spellings of ss/ß), or, for terms long enough, an indexed word
// that contains the stem further inside (a compound).
func ftsTermExpr(tx *db.Tx, t searchTerm) (string, error) {
	variants := ssVariants(t.stem)
	alts := make([]string, 0, len(variants)+maxExpansions)
	for _, v := range variants {
		alts = append(alts, ftsString(v)+"*")
	}
	if t.expands() {
		conds := make([]string, len(variants))
		var vargs []any
		for i, v := range variants {
			conds[i] = "instr(v.term, ?) > 1"
			vargs = append(vargs, v)
		}
		cond := "(" + strings.Join(conds, " OR ") + ")"
		args := slices.Concat(vargs, vargs, []any{maxExpansions})
		// Only the tenant's own words: a word of the shared index counts when one
		// of the tenant's rows holds it (the instance tables, looked up by term).
		var words []string
		err := tx.Raw(`SELECT term FROM (
				SELECT v.term FROM document_fts_meta_vocab v WHERE `+cond+` AND EXISTS (
					SELECT 1 FROM document_fts_meta_inst i JOIN document_search ds ON ds.search_rowid = i.doc
					 WHERE i.term = v.term AND ds.tenant_id = @tenant)
				UNION SELECT v.term FROM document_fts_body_vocab v WHERE `+cond+` AND EXISTS (
					SELECT 1 FROM document_fts_body_inst i JOIN document_texts dt ON dt.search_rowid = i.doc
					 WHERE i.term = v.term AND dt.tenant_id = @tenant))
			ORDER BY length(term), term LIMIT ?`, args...).Scan(&words).Error
		if err != nil {
			return "", fmt.Errorf("documents: search vocabulary: %w", err)
		}
		for _, w := range words {
			alts = append(alts, ftsString(w))
		}
	}
	return "(" + strings.Join(alts, " OR ") + ")", nil
}

// ftsString quotes a token for an FTS5 query.
func ftsString(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }

// ssVariants returns the stem with its first two "ss" also written "ß"
// (the stemmer writes ß as ss; the index keeps the spelling of the text).
func ssVariants(stem string) []string {
	out := []string{stem}
	idx := []int{}
	for i := 0; i+1 < len(stem) && len(idx) < 2; i++ {
		if stem[i] == 's' && stem[i+1] == 's' {
			idx = append(idx, i)
			i++
		}
	}
	for mask := 1; mask < 1<<len(idx); mask++ {
		var b strings.Builder
		last := 0
		for j, at := range idx {
			if mask&(1<<j) != 0 {
				b.WriteString(stem[last:at])
				b.WriteString("ß")
				last = at + 2
			}
		}
		b.WriteString(stem[last:])
		out = append(out, b.String())
	}
	return out
}
