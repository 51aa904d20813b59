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
