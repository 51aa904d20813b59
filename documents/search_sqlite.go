package documents

import (
	"fmt"
	"slices"
	"strings"

	"github.com/kollab/kollab/internal/db"
	"github.com/kollab/kollab/tenant"
)

// Search on SQLite: FTS5 expressions per term, a rank from the fields that
// hold each term, and snippet().

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
	if err := sqliteSnippets(tx, rows[:min(len(rows), f.limit)], anyTerm); err != nil {
		return nil, err
	}
	return rows, nil
}

// sqliteSnippets sets the snippets of the page's hits: from the text where
// it matches, else from the metadata.
func sqliteSnippets(tx *db.Tx, page []hitRow, anyTerm string) error {
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
			return fmt.Errorf("documents: search snippets: %w", err)
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
	return nil
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
