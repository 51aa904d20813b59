-- Document store, part 3: extracted text and full-text search.
--
-- document_texts holds the text of each document's CURRENT revision (one
-- row per document; the extraction worker writes it, and a new revision
-- removes the old text until its own job has run).
--
-- Search runs on FTS5. FTS5 has no German stemmer, and a stemmer in a
-- trigger would tie the database file to functions registered by Go, so
-- the index holds the words as written (lower-cased, umlauts and accents
-- folded by unicode61 remove_diacritics 2) and the application matches a
-- search term by its German Snowball stem as a PREFIX: the stem of
-- "Beschlüsse" is "beschluss", which is a prefix of the folded forms of
-- "Beschluss", "Beschlusses" and "Beschlüsse" alike (a Snowball German
-- stem is always a prefix of the folded word, ß written as ss). Parts
-- inside compounds ("verlängerung" in "Fristverlängerung") are found by
-- expanding the term into the indexed words that contain its stem, read
-- from the fts5vocab tables.
--
-- Two FTS5 tables, so that a change of tags or title does not re-tokenize
-- a long text:
--   document_fts_meta  title / file-plan reference and tags / description
--                      and metadata values; a regular FTS5 table kept by
--                      triggers on documents and document_tags.
--   document_fts_body  the extracted text, an external-content table over
--                      document_texts (no second copy of the text).
-- Both use the document's search_rowid (document_search) as rowid.
-- (SQLite has no row-level security; the tenant-scoped handle and explicit
-- tenant_id predicates filter every query.)

-- +goose Up
CREATE TABLE document_search (
    tenant_id    TEXT NOT NULL,
    document_id  TEXT NOT NULL,
    -- The rowid of the document in both FTS5 tables; stable (unlike an
    -- implicit rowid, which VACUUM may change).
    search_rowid INTEGER NOT NULL UNIQUE,
    PRIMARY KEY (tenant_id, document_id),
    FOREIGN KEY (tenant_id, document_id) REFERENCES documents (tenant_id, id) ON DELETE CASCADE
);

CREATE TABLE document_texts (
    tenant_id    TEXT NOT NULL,
    document_id  TEXT NOT NULL,
    -- The revision the text was extracted from: the document's current one.
    revision_id  TEXT NOT NULL,
    -- Bounded by the application (see documents.MaxIndexedText).
    content      TEXT NOT NULL,
    -- How the text was obtained (extract.Method*), and whether it is cut.
    method       TEXT NOT NULL,
    truncated    INTEGER NOT NULL DEFAULT 0 CHECK (truncated IN (0, 1)),
    extracted_at DATETIME NOT NULL,
    -- The document's search_rowid: the rowid of this text in document_fts_body.
    search_rowid INTEGER NOT NULL UNIQUE,
    PRIMARY KEY (tenant_id, document_id),
    FOREIGN KEY (tenant_id, document_id) REFERENCES documents (tenant_id, id) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, revision_id) REFERENCES document_revisions (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX document_texts_revision ON document_texts (tenant_id, revision_id);

CREATE VIRTUAL TABLE document_fts_meta USING fts5 (
    title, refs, meta,
    tokenize = 'unicode61 remove_diacritics 2'
);
CREATE VIRTUAL TABLE document_fts_body USING fts5 (
    content,
    content = 'document_texts', content_rowid = 'search_rowid',
    tokenize = 'unicode61 remove_diacritics 2'
);
CREATE VIRTUAL TABLE document_fts_meta_vocab USING fts5vocab (document_fts_meta, 'row');
CREATE VIRTUAL TABLE document_fts_body_vocab USING fts5vocab (document_fts_body, 'row');

-- The meta columns of a document. char(2) and char(3) mark hits in
-- snippets, so they never come from the data.
-- +goose StatementBegin
CREATE TRIGGER documents_search_insert AFTER INSERT ON documents BEGIN
    INSERT INTO document_search (tenant_id, document_id, search_rowid)
    VALUES (new.tenant_id, new.id, COALESCE((SELECT MAX(search_rowid) FROM document_search), 0) + 1);
    INSERT INTO document_fts_meta (rowid, title, refs, meta)
    SELECT s.search_rowid, new.title,
           new.file_plan_ref || ' ' || COALESCE((SELECT group_concat(t.tag, ' ') FROM document_tags t
                                                  WHERE t.tenant_id = new.tenant_id AND t.document_id = new.id), ''),
           replace(replace(new.description || ' ' || COALESCE((SELECT group_concat(j.value, ' ') FROM json_each(new.metadata) j), ''),
                   char(2), ' '), char(3), ' ')
      FROM document_search s WHERE s.tenant_id = new.tenant_id AND s.document_id = new.id;
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER documents_search_update AFTER UPDATE OF title, description, file_plan_ref, metadata ON documents
WHEN old.title IS NOT new.title OR old.description IS NOT new.description
  OR old.file_plan_ref IS NOT new.file_plan_ref OR old.metadata IS NOT new.metadata
BEGIN
    UPDATE document_fts_meta SET
        title = new.title,
        refs = new.file_plan_ref || ' ' || COALESCE((SELECT group_concat(t.tag, ' ') FROM document_tags t
                                                      WHERE t.tenant_id = new.tenant_id AND t.document_id = new.id), ''),
        meta = replace(replace(new.description || ' ' || COALESCE((SELECT group_concat(j.value, ' ') FROM json_each(new.metadata) j), ''),
                       char(2), ' '), char(3), ' ')
     WHERE rowid = (SELECT s.search_rowid FROM document_search s WHERE s.tenant_id = new.tenant_id AND s.document_id = new.id);
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER documents_search_delete BEFORE DELETE ON documents BEGIN
    DELETE FROM document_fts_meta
     WHERE rowid = (SELECT s.search_rowid FROM document_search s WHERE s.tenant_id = old.tenant_id AND s.document_id = old.id);
END;
-- +goose StatementEnd

-- A new current revision makes the old text obsolete: it leaves the
-- search until the new revision's text is extracted.
-- +goose StatementBegin
CREATE TRIGGER documents_revision_text AFTER UPDATE OF current_revision_id ON documents
WHEN old.current_revision_id IS NOT new.current_revision_id
BEGIN
    DELETE FROM document_texts
     WHERE tenant_id = new.tenant_id AND document_id = new.id AND revision_id IS NOT new.current_revision_id;
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER document_tags_search_insert AFTER INSERT ON document_tags BEGIN
    UPDATE document_fts_meta SET
        refs = (SELECT d.file_plan_ref FROM documents d WHERE d.tenant_id = new.tenant_id AND d.id = new.document_id)
            || ' ' || COALESCE((SELECT group_concat(t.tag, ' ') FROM document_tags t
                                 WHERE t.tenant_id = new.tenant_id AND t.document_id = new.document_id), '')
     WHERE rowid = (SELECT s.search_rowid FROM document_search s WHERE s.tenant_id = new.tenant_id AND s.document_id = new.document_id);
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER document_tags_search_delete AFTER DELETE ON document_tags BEGIN
    UPDATE document_fts_meta SET
        refs = (SELECT d.file_plan_ref FROM documents d WHERE d.tenant_id = old.tenant_id AND d.id = old.document_id)
            || ' ' || COALESCE((SELECT group_concat(t.tag, ' ') FROM document_tags t
                                 WHERE t.tenant_id = old.tenant_id AND t.document_id = old.document_id), '')
     WHERE rowid = (SELECT s.search_rowid FROM document_search s WHERE s.tenant_id = old.tenant_id AND s.document_id = old.document_id);
END;
-- +goose StatementEnd

-- The external-content table follows document_texts exactly (the
-- documented FTS5 pattern: delete with the old values, insert the new).
-- +goose StatementBegin
CREATE TRIGGER document_texts_fts_insert AFTER INSERT ON document_texts BEGIN
    INSERT INTO document_fts_body (rowid, content) VALUES (new.search_rowid, new.content);
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER document_texts_fts_delete AFTER DELETE ON document_texts BEGIN
    INSERT INTO document_fts_body (document_fts_body, rowid, content) VALUES ('delete', old.search_rowid, old.content);
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER document_texts_fts_update AFTER UPDATE OF content, search_rowid ON document_texts BEGIN
    INSERT INTO document_fts_body (document_fts_body, rowid, content) VALUES ('delete', old.search_rowid, old.content);
    INSERT INTO document_fts_body (rowid, content) VALUES (new.search_rowid, new.content);
END;
-- +goose StatementEnd

-- Index the documents that exist already.
INSERT INTO document_search (tenant_id, document_id, search_rowid)
SELECT tenant_id, id, row_number() OVER (ORDER BY tenant_id, id) FROM documents;
INSERT INTO document_fts_meta (rowid, title, refs, meta)
SELECT s.search_rowid, d.title,
       d.file_plan_ref || ' ' || COALESCE((SELECT group_concat(t.tag, ' ') FROM document_tags t
                                            WHERE t.tenant_id = d.tenant_id AND t.document_id = d.id), ''),
       replace(replace(d.description || ' ' || COALESCE((SELECT group_concat(j.value, ' ') FROM json_each(d.metadata) j), ''),
               char(2), ' '), char(3), ' ')
  FROM documents d JOIN document_search s ON s.tenant_id = d.tenant_id AND s.document_id = d.id;

-- +goose Down
DROP TRIGGER document_texts_fts_update;
DROP TRIGGER document_texts_fts_delete;
DROP TRIGGER document_texts_fts_insert;
DROP TRIGGER document_tags_search_delete;
DROP TRIGGER document_tags_search_insert;
DROP TRIGGER documents_revision_text;
DROP TRIGGER documents_search_delete;
DROP TRIGGER documents_search_update;
DROP TRIGGER documents_search_insert;
DROP TABLE document_fts_body_vocab;
DROP TABLE document_fts_meta_vocab;
DROP TABLE document_fts_body;
DROP TABLE document_fts_meta;
DROP TABLE document_texts;
DROP TABLE document_search;
