package db_test

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"testing"

	"gorm.io/gorm"

	"github.com/kollab/kollab/internal/db/dbtest"
)

// TestSchemaParity migrates an empty PostgreSQL and an empty SQLite database and
// compares what the two migration trees built: the same tables, the same columns
// (types normalised to the storage class both dialects share, nullability), the same
// primary keys, foreign keys and indexes. A migration written for one dialect only, a
// column forgotten on one side or an index only PostgreSQL gets fails here, naming it.
//
// What is dialect-specific by design is listed in parityAllowed with its reason.
func TestSchemaParity(t *testing.T) {
	ctx := context.Background()
	pgApp, _ := dbtest.Postgres(t)
	pg := readPostgresSchema(t, dbtest.Owner(t, pgApp).Global(ctx))
	lite := readSQLiteSchema(t, dbtest.SQLite(t).Global(ctx))
	if len(pg) < 20 || len(lite) < 20 {
		t.Fatalf("read only %d PostgreSQL and %d SQLite facts", len(pg), len(lite))
	}
	for _, d := range diffFacts(pg, lite) {
		t.Error(d)
	}
}

// parityAllowed lists facts that exist in one dialect only, on purpose, with the
// reason. A key is a fact as the test prints it, matched exactly, or by prefix when it
// ends in a space.
//
// The full-text search is the one place where the dialects differ by design: PostgreSQL
// keeps tsvectors beside the text and a per-tenant lexicon for prefix expansion;
// SQLite indexes the same text in FTS5 tables keyed by a rowid.
var parityAllowed = map[string]string{
	"fts ": "SQLite FTS5 index tables (virtual tables and their shadows)",
	"column document_search.content_type text null":        "PostgreSQL's search row repeats the filter columns; SQLite joins documents",
	"column document_search.file_plan_ref text not null":   "PostgreSQL's search row repeats the filter columns; SQLite joins documents",
	"column document_search.folder_id text not null":       "PostgreSQL's search row repeats the filter columns; SQLite joins documents",
	"column document_search.live integer not null":         "PostgreSQL's search row repeats the filter columns; SQLite joins documents",
	"column document_search.updated_at time not null":      "PostgreSQL's search row repeats the filter columns; SQLite joins documents",
	"column document_search.title tsvector not null":       "PostgreSQL tsvector of the title",
	"column document_search.vector tsvector not null":      "PostgreSQL tsvector of title and metadata",
	"column document_texts.content_vector tsvector null":   "PostgreSQL tsvector of the extracted text",
	"column document_search.search_rowid integer not null": "SQLite FTS5 rowid of the metadata row",
	"column document_texts.search_rowid integer not null":  "SQLite FTS5 rowid of the extracted text",
	"unique index document_search(search_rowid)":           "SQLite FTS5 rowid of the metadata row",
	"unique index document_texts(search_rowid)":            "SQLite FTS5 rowid of the extracted text",
	"index document_search(tenant_id,expr)":                "PostgreSQL GIN index of the tsvector",
	"index documents(tenant_id,updated_at,id) where …":     "PostgreSQL's search walks the most recent documents for common terms (00009); SQLite's FTS5 does not",
	"table search_lexicon":                                 "PostgreSQL per-tenant lexicon for prefix expansion; SQLite uses FTS5 prefix queries",
	"column search_lexicon.":                               "PostgreSQL per-tenant lexicon (see table search_lexicon)",
	"primary key search_lexicon(":                          "PostgreSQL per-tenant lexicon (see table search_lexicon)",
	"index search_lexicon(":                                "PostgreSQL per-tenant lexicon (see table search_lexicon)",
	"foreign key search_lexicon(":                          "PostgreSQL per-tenant lexicon (see table search_lexicon)",
}

// A fact is one line describing a piece of schema, e.g. "column t.c text null".
// Both readers produce the same vocabulary, so the schemas compare as sets of lines.
type facts map[string]struct{}

func diffFacts(pg, lite facts) []string {
	allowed := func(f string) bool {
		for p := range parityAllowed {
			if f == p || (strings.HasSuffix(p, " ") || strings.HasSuffix(p, ".") || strings.HasSuffix(p, "(")) && strings.HasPrefix(f, p) {
				return true
			}
		}
		return false
	}
	var out []string
	for f := range pg {
		if _, ok := lite[f]; !ok && !allowed(f) {
			out = append(out, "only in PostgreSQL: "+f)
		}
	}
	for f := range lite {
		if _, ok := pg[f]; !ok && !allowed(f) {
			out = append(out, "only in SQLite:     "+f)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i][20:] < out[j][20:] })
	return out
}

// typeClass maps a declared column type of either dialect to the storage class both
// share: SQLite keeps UUIDs and JSON as text, booleans as integers.
func typeClass(declared string) string {
	t := strings.ToLower(strings.TrimSpace(declared))
	switch {
	case t == "uuid", t == "text", t == "inet", t == "citext", t == "json", t == "jsonb",
		strings.HasPrefix(t, "character"), strings.HasPrefix(t, "varchar"), strings.HasPrefix(t, "char"):
		return "text"
	case t == "boolean", t == "bool", strings.Contains(t, "int"):
		return "integer"
	case strings.HasPrefix(t, "timestamp"), t == "datetime", t == "date":
		return "time"
	case t == "bytea", t == "blob":
		return "blob"
	case t == "real", t == "double precision", strings.HasPrefix(t, "numeric"), t == "float":
		return "real"
	}
	return t
}

func nullness(nullable bool) string {
	if nullable {
		return "null"
	}
	return "not null"
}

func readPostgresSchema(t *testing.T, g *gorm.DB) facts {
	t.Helper()
	f := facts{}
	var tables []string
	must(t, g.Raw(`SELECT table_name FROM information_schema.tables
		WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' AND table_name <> 'goose_db_version'
		ORDER BY 1`).Scan(&tables).Error)
	for _, tb := range tables {
		f["table "+tb] = struct{}{}
	}
	var cols []struct {
		Table, Column, Type, Nullable string
	}
	must(t, g.Raw(`SELECT c.table_name AS "table", c.column_name AS "column",
		       CASE WHEN c.data_type = 'USER-DEFINED' THEN c.udt_name ELSE c.data_type END AS "type",
		       c.is_nullable AS nullable
		  FROM information_schema.columns c
		  JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name AND t.table_type = 'BASE TABLE'
		 WHERE c.table_schema = current_schema() AND c.table_name <> 'goose_db_version'`).Scan(&cols).Error)
	for _, c := range cols {
		f[fmt.Sprintf("column %s.%s %s %s", c.Table, c.Column, typeClass(c.Type), nullness(c.Nullable == "YES"))] = struct{}{}
	}
	// Indexes with their columns in order ("expr" for an expression), uniqueness and
	// partiality. Primary keys are an index on both sides.
	var idx []struct {
		Table, Name string
		Primary     bool
		Unique      bool
		Partial     bool
		Columns     string
	}
	must(t, g.Raw(`SELECT t.relname AS "table", i.relname AS name, x.indisprimary AS "primary", x.indisunique AS "unique",
		       x.indpred IS NOT NULL AS partial,
		       (SELECT string_agg(COALESCE(a.attname, 'expr'), ',' ORDER BY k.n)
		          FROM unnest(x.indkey::int2[]) WITH ORDINALITY AS k(attnum, n)
		          LEFT JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum AND k.attnum > 0) AS columns
		  FROM pg_index x
		  JOIN pg_class t ON t.oid = x.indrelid
		  JOIN pg_class i ON i.oid = x.indexrelid
		  JOIN pg_namespace n ON n.oid = t.relnamespace AND n.nspname = current_schema()
		 WHERE t.relkind IN ('r', 'p') AND t.relname <> 'goose_db_version'`).Scan(&idx).Error)
	for _, x := range idx {
		f[indexFact(x.Table, x.Name, x.Primary, x.Unique, x.Partial, x.Columns)] = struct{}{}
	}
	var fks []struct {
		Table, Columns, RefTable, RefColumns string
	}
	must(t, g.Raw(`SELECT t.relname AS "table", r.relname AS ref_table,
		       (SELECT string_agg(a.attname, ',' ORDER BY k.n) FROM unnest(c.conkey) WITH ORDINALITY AS k(attnum, n)
		          JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.attnum) AS columns,
		       (SELECT string_agg(a.attname, ',' ORDER BY k.n) FROM unnest(c.confkey) WITH ORDINALITY AS k(attnum, n)
		          JOIN pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = k.attnum) AS ref_columns
		  FROM pg_constraint c
		  JOIN pg_class t ON t.oid = c.conrelid
		  JOIN pg_class r ON r.oid = c.confrelid
		  JOIN pg_namespace n ON n.oid = t.relnamespace AND n.nspname = current_schema()
		 WHERE c.contype = 'f'`).Scan(&fks).Error)
	for _, k := range fks {
		f[fmt.Sprintf("foreign key %s(%s) -> %s(%s)", k.Table, k.Columns, k.RefTable, k.RefColumns)] = struct{}{}
	}
	return f
}

// indexFact names an index by what it does, not by its name: SQLite calls the index
// of a UNIQUE constraint sqlite_autoindex_<table>_<n>, PostgreSQL <table>_<cols>_key.
func indexFact(table, name string, primary, unique, partial bool, columns string) string {
	kind := "index"
	switch {
	case primary:
		return fmt.Sprintf("primary key %s(%s)", table, columns)
	case unique:
		kind = "unique index"
	}
	where := ""
	if partial {
		where = " where …"
	}
	return fmt.Sprintf("%s %s(%s)%s", kind, table, columns, where)
}

func readSQLiteSchema(t *testing.T, g *gorm.DB) facts {
	t.Helper()
	f := facts{}
	var tables []string
	must(t, g.Raw(`SELECT name FROM sqlite_master WHERE type = 'table'
		AND name NOT LIKE 'sqlite_%' AND name <> 'goose_db_version' ORDER BY 1`).Scan(&tables).Error)
	var virtual []string
	must(t, g.Raw(`SELECT name FROM sqlite_master WHERE type = 'table' AND sql LIKE 'CREATE VIRTUAL TABLE%'`).Scan(&virtual).Error)
	shadow := func(name string) bool {
		for _, v := range virtual {
			if name == v || strings.HasPrefix(name, v+"_") {
				return true
			}
		}
		return false
	}
	for _, tb := range tables {
		if shadow(tb) {
			f["fts "+tb] = struct{}{}
			continue
		}
		f["table "+tb] = struct{}{}
		var cols []struct {
			Name    string
			Type    string
			NotNull int `gorm:"column:notnull"`
			PK      int `gorm:"column:pk"`
		}
		must(t, g.Raw(`SELECT name, type, "notnull", pk FROM pragma_table_info(?)`, tb).Scan(&cols).Error)
		var pk []string
		pkOrder := map[int]string{}
		for _, c := range cols {
			// SQLite lets a primary key column be NULL unless declared otherwise;
			// PostgreSQL makes it NOT NULL implicitly.
			nullable := c.NotNull == 0 && c.PK == 0
			f[fmt.Sprintf("column %s.%s %s %s", tb, c.Name, typeClass(c.Type), nullness(nullable))] = struct{}{}
			if c.PK > 0 {
				pkOrder[c.PK] = c.Name
			}
		}
		for i := 1; i <= len(pkOrder); i++ {
			pk = append(pk, pkOrder[i])
		}
		if len(pk) > 0 {
			f[fmt.Sprintf("primary key %s(%s)", tb, strings.Join(pk, ","))] = struct{}{}
		}
		var idx []struct {
			Name    string
			Unique  int
			Origin  string
			Partial int
		}
		must(t, g.Raw(`SELECT name, "unique", origin, partial FROM pragma_index_list(?)`, tb).Scan(&idx).Error)
		for _, x := range idx {
			if x.Origin == "pk" {
				continue // reported above from table_info
			}
			var ic []struct {
				Seqno int
				Name  *string
			}
			must(t, g.Raw(`SELECT seqno, name FROM pragma_index_info(?) ORDER BY seqno`, x.Name).Scan(&ic).Error)
			names := make([]string, 0, len(ic))
			for _, c := range ic {
				if c.Name == nil {
					names = append(names, "expr")
				} else {
					names = append(names, *c.Name)
				}
			}
			f[indexFact(tb, x.Name, false, x.Unique == 1, x.Partial == 1, strings.Join(names, ","))] = struct{}{}
		}
		var fks []struct {
			ID    int `gorm:"column:id"`
			Seq   int
			Table string
			From  string
			To    *string
		}
		must(t, g.Raw(`SELECT id, seq, "table", "from", "to" FROM pragma_foreign_key_list(?) ORDER BY id, seq`, tb).Scan(&fks).Error)
		type fk struct{ ref, from, to []string }
		byID := map[int]*fk{}
		var ids []int
		for _, k := range fks {
			e := byID[k.ID]
			if e == nil {
				e = &fk{}
				byID[k.ID] = e
				ids = append(ids, k.ID)
			}
			e.ref = []string{k.Table}
			e.from = append(e.from, k.From)
			to := ""
			if k.To != nil {
				to = *k.To
			}
			e.to = append(e.to, to)
		}
		for _, id := range ids {
			e := byID[id]
			f[fmt.Sprintf("foreign key %s(%s) -> %s(%s)", tb, strings.Join(e.from, ","), e.ref[0], strings.Join(e.to, ","))] = struct{}{}
		}
	}
	return f
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
