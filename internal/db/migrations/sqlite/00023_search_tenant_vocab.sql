-- The search's compound expansion reads only the searching tenant's words:
-- the FTS5 index is shared by all tenants of the file, so its row vocabulary
-- (00005) lists every tenant's words. The instance vocabularies name, for a
-- term, the rows that hold it; a word counts for a tenant when one of its
-- rows does (documents/search.go, ftsTermExpr).

-- +goose Up
CREATE VIRTUAL TABLE document_fts_meta_inst USING fts5vocab (document_fts_meta, 'instance');
CREATE VIRTUAL TABLE document_fts_body_inst USING fts5vocab (document_fts_body, 'instance');

-- +goose Down
DROP TABLE document_fts_body_inst;
DROP TABLE document_fts_meta_inst;
