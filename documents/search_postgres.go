package documents

import (
	"fmt"
	"slices"
	"strings"

	"github.com/google/uuid"
	"github.com/kollab/kollab/internal/db"
	"github.com/kollab/kollab/tenant"
)

// Search on PostgreSQL: the folder scope, the two-stage search (recent
// window, then the GIN index), ranking and ts_headline snippets.

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
