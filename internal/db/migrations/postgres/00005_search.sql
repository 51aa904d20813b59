-- Document store, part 3: extracted text and full-text search.
--
-- document_texts holds the text of each document's CURRENT revision (one
-- row per document; the extraction worker writes it, and a new revision
-- removes the old text until its own job has run).
--
-- document_search holds one tsvector per document, the search document:
--   A  title
--   B  file-plan reference (Aktenzeichen) and tags
--   C  description and the values of the free metadata fields
--   D  the extracted text
-- A generated column or an expression index cannot span tables, so
-- triggers on documents, document_tags and document_texts keep it current
-- in the same transaction as the change; no application code path can
-- forget to re-index. The content part is parsed once, when the text is
-- stored (document_texts.content_vector), so a metadata change only
-- re-parses the small metadata and concatenates.
--
-- German stemming ('german' configuration) does not split compounds: a
-- search for "Frist" must still find "Fristverlängerung". Trigram matching
-- over the full texts would be slow at 100,000 documents, so it runs on a
-- per-tenant lexicon instead: search_lexicon lists the distinct lexemes of
-- the tenant's search documents with a trigram GIN index. A search term
-- is expanded into the lexicon's lexemes that contain its stem
-- (LIKE '%stem%', answered by the trigram index), and the tsquery ORs
-- them, so the GIN index on document_search still does the matching.
--
-- Indexes under row-level security: PostgreSQL applies a table's policies
-- before any condition of the query, and lets an index answer a query
-- condition ahead of them only when its operator is LEAKPROOF. Neither
-- "@@" nor LIKE is, so for the serving role (which is subject to RLS, as
-- it must be) "WHERE vector @@ q" cannot use the GIN index and reads
-- every row and every vector (seconds at 100,000 documents). Conditions
-- of policies themselves carry no such restriction. So each search table
-- has, besides tenant_isolation, a RESTRICTIVE policy for SELECT that
-- takes the search from a transaction-local setting the search code sets
-- just for its query: app.search_query (a tsquery) on document_search,
-- app.search_pattern (a LIKE pattern) on search_lexicon. A restrictive
-- policy is ANDed with tenant_isolation, so it can only ever hide rows.
-- Unset, it lets every row through (no lexeme contains a space, so
-- !'x y' matches every vector; '%' every lexeme), and maintenance by the
-- triggers sees all of the tenant's rows as before.
--
-- Every table is tenant-owned: tenant_id NOT NULL, first in every key and
-- index (btree_gin puts it into the GIN indexes), composite foreign keys,
-- forced row-level security. pg_trgm and btree_gin are trusted extensions
-- (PostgreSQL 13+): a role with CREATE on the database, such as its
-- owner, creates them without superuser rights. Down leaves them
-- installed, since other objects may use them.

-- +goose Up
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE EXTENSION IF NOT EXISTS btree_gin;

CREATE TABLE document_texts (
    tenant_id      uuid NOT NULL,
    document_id    uuid NOT NULL,
    -- The revision the text was extracted from: the document's current one.
    revision_id    uuid NOT NULL,
    -- Bounded by the application (see documents.MaxIndexedText).
    content        text NOT NULL,
    content_vector tsvector GENERATED ALWAYS AS (setweight(to_tsvector('german'::regconfig, content), 'D')) STORED,
    -- How the text was obtained (extract.Method*), and whether it is cut.
    method         text NOT NULL,
    truncated      boolean NOT NULL DEFAULT false,
    extracted_at   timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, document_id),
    FOREIGN KEY (tenant_id, document_id) REFERENCES documents (tenant_id, id) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, revision_id) REFERENCES document_revisions (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX document_texts_revision ON document_texts (tenant_id, revision_id);

-- Besides the vectors, a copy of the document's folder, trash state, last
-- change, media type and file-plan reference, kept by trigger: a search
-- for a word that most documents contain filters and pre-ranks its
-- matches on this table alone, without a lookup in documents per match
-- (the final page re-checks documents). These columns are in no index and
-- rows leave room (fillfactor), so that their updates stay HOT and never
-- touch the GIN index.
CREATE TABLE document_search (
    tenant_id   uuid NOT NULL,
    document_id uuid NOT NULL,
    folder_id   uuid NOT NULL,
    live        boolean NOT NULL,
    updated_at  timestamptz NOT NULL,
    content_type text,
    file_plan_ref text NOT NULL,
    -- The title alone: tiny and stored inline, so that a search can put
    -- title hits first among many matches without reading their vectors.
    title       tsvector NOT NULL,
    -- The whole search document (A to D), matched through the GIN index.
    vector      tsvector NOT NULL,
    PRIMARY KEY (tenant_id, document_id),
    FOREIGN KEY (tenant_id, document_id) REFERENCES documents (tenant_id, id) ON DELETE CASCADE
) WITH (fillfactor = 85);
-- search_vector is the identity on tsvector. The GIN index and the
-- search_match policy go through it so that the planner judges "@@" by an
-- expression of its own: one without statistics (below), and with a cost
-- that tells the truth about testing a vector per row (fetching and
-- decompressing it from TOAST). With the plain column, the planner sees
-- that a common word matches most of a tenant's documents and would
-- rather walk the primary key and test every vector (seconds at 100,000
-- documents) than use the index, which answers "@@" without reading one.
-- +goose StatementBegin
CREATE FUNCTION search_vector(v tsvector) RETURNS tsvector
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE COST 10000 AS $$
BEGIN
    RETURN v;
END
$$;
-- +goose StatementEnd
CREATE INDEX document_search_vector ON document_search USING gin (tenant_id, search_vector(vector));
-- No statistics for the indexed expression (see search_vector).
ALTER INDEX document_search_vector ALTER COLUMN 2 SET STATISTICS 0;

-- Distinct lexemes of a tenant's search documents (4 to 64 characters:
-- shorter ones are never expanded into). Append-only: a lexeme whose last
-- document is gone only widens a query by a term that matches nothing.
-- Concurrent transactions that add the same new lexeme must not wait for
-- each other (or deadlock) on a unique key, so the key includes the adding
-- transaction; the rare duplicate is harmless (readers GROUP BY).
CREATE TABLE search_lexicon (
    tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    lexeme    text NOT NULL,
    added_tx  bigint NOT NULL DEFAULT txid_current(),
    PRIMARY KEY (tenant_id, lexeme, added_tx)
);
CREATE INDEX search_lexicon_trgm ON search_lexicon USING gin (tenant_id, lexeme gin_trgm_ops);

-- +goose StatementBegin
CREATE FUNCTION search_lexicon_add(p_tenant uuid, p_vector tsvector) RETURNS void
LANGUAGE sql AS $$
    INSERT INTO search_lexicon (tenant_id, lexeme)
    SELECT DISTINCT p_tenant, l.lexeme
      FROM unnest(tsvector_to_array(p_vector)) AS l(lexeme)
     WHERE char_length(l.lexeme) BETWEEN 4 AND 64
       AND NOT EXISTS (SELECT 1 FROM search_lexicon x WHERE x.tenant_id = p_tenant AND x.lexeme = l.lexeme)
    ON CONFLICT DO NOTHING;
$$;
-- +goose StatementEnd

-- document_search_refresh recomputes one document's search vector from
-- its metadata, tags and stored text. Punctuation in references and tags
-- ("12-3/2024") is also indexed as separate words, as queries split it.
-- +goose StatementBegin
CREATE FUNCTION document_search_refresh(p_tenant uuid, p_document uuid) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    v_meta tsvector;
    v_doc  record;
BEGIN
    SELECT d.folder_id, d.deleted_at IS NULL AS live, d.updated_at, d.content_type, d.file_plan_ref INTO v_doc
      FROM documents d WHERE d.tenant_id = p_tenant AND d.id = p_document;
    IF NOT FOUND THEN
        RETURN; -- the document is being deleted
    END IF;
    SELECT setweight(to_tsvector('german', d.title), 'A')
        || setweight(to_tsvector('german', d.file_plan_ref || ' '
               || regexp_replace(d.file_plan_ref, '[-/.:;,_()#§]+', ' ', 'g') || ' ' || coalesce(tg.tags, '')), 'B')
        || setweight(to_tsvector('german', d.description || ' ' || coalesce(md.vals, '')), 'C')
      INTO v_meta
      FROM documents d
      LEFT JOIN LATERAL (
            SELECT string_agg(t.tag || ' ' || regexp_replace(t.tag, '[-/.:;,_()#§]+', ' ', 'g'), ' ') AS tags
              FROM document_tags t WHERE t.tenant_id = d.tenant_id AND t.document_id = d.id) tg ON true
      LEFT JOIN LATERAL (SELECT string_agg(e.value, ' ') AS vals FROM jsonb_each_text(d.metadata) e) md ON true
     WHERE d.tenant_id = p_tenant AND d.id = p_document;
    INSERT INTO document_search (tenant_id, document_id, folder_id, live, updated_at, content_type, file_plan_ref, title, vector)
    VALUES (p_tenant, p_document, v_doc.folder_id, v_doc.live, v_doc.updated_at, v_doc.content_type, v_doc.file_plan_ref,
        ts_filter(v_meta, '{a}'), v_meta || coalesce(
        (SELECT x.content_vector FROM document_texts x WHERE x.tenant_id = p_tenant AND x.document_id = p_document),
        ''::tsvector))
    ON CONFLICT (tenant_id, document_id) DO UPDATE SET folder_id = EXCLUDED.folder_id, live = EXCLUDED.live,
        updated_at = EXCLUDED.updated_at, content_type = EXCLUDED.content_type, file_plan_ref = EXCLUDED.file_plan_ref,
        title = EXCLUDED.title, vector = EXCLUDED.vector;
    PERFORM search_lexicon_add(p_tenant, v_meta);
END
$$;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE FUNCTION documents_search_trigger() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM document_search_refresh(NEW.tenant_id, NEW.id);
    RETURN NULL;
END
$$;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE FUNCTION documents_search_state_trigger() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    UPDATE document_search
       SET folder_id = NEW.folder_id, live = NEW.deleted_at IS NULL, updated_at = NEW.updated_at,
           content_type = NEW.content_type
     WHERE tenant_id = NEW.tenant_id AND document_id = NEW.id;
    RETURN NULL;
END
$$;
-- +goose StatementEnd

-- A new current revision makes the old text obsolete: it leaves the
-- search until the new revision's text is extracted.
-- +goose StatementBegin
CREATE FUNCTION documents_revision_text_trigger() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM document_texts
     WHERE tenant_id = NEW.tenant_id AND document_id = NEW.id
       AND revision_id IS DISTINCT FROM NEW.current_revision_id;
    RETURN NULL;
END
$$;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE FUNCTION document_tags_search_trigger() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        PERFORM document_search_refresh(OLD.tenant_id, OLD.document_id);
    ELSE
        PERFORM document_search_refresh(NEW.tenant_id, NEW.document_id);
    END IF;
    RETURN NULL;
END
$$;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE FUNCTION document_texts_search_trigger() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        PERFORM document_search_refresh(OLD.tenant_id, OLD.document_id);
    ELSE
        PERFORM document_search_refresh(NEW.tenant_id, NEW.document_id);
        PERFORM search_lexicon_add(NEW.tenant_id, NEW.content_vector);
    END IF;
    RETURN NULL;
END
$$;
-- +goose StatementEnd

CREATE TRIGGER documents_search_insert AFTER INSERT ON documents
    FOR EACH ROW EXECUTE FUNCTION documents_search_trigger();
CREATE TRIGGER documents_search_update AFTER UPDATE OF title, description, file_plan_ref, metadata ON documents
    FOR EACH ROW
    WHEN (OLD.title IS DISTINCT FROM NEW.title OR OLD.description IS DISTINCT FROM NEW.description
          OR OLD.file_plan_ref IS DISTINCT FROM NEW.file_plan_ref OR OLD.metadata IS DISTINCT FROM NEW.metadata)
    EXECUTE FUNCTION documents_search_trigger();
CREATE TRIGGER documents_search_state AFTER UPDATE OF folder_id, deleted_at, updated_at, content_type ON documents
    FOR EACH ROW
    WHEN (OLD.folder_id IS DISTINCT FROM NEW.folder_id OR OLD.deleted_at IS DISTINCT FROM NEW.deleted_at
          OR OLD.updated_at IS DISTINCT FROM NEW.updated_at OR OLD.content_type IS DISTINCT FROM NEW.content_type)
    EXECUTE FUNCTION documents_search_state_trigger();
CREATE TRIGGER documents_revision_text AFTER UPDATE OF current_revision_id ON documents
    FOR EACH ROW WHEN (OLD.current_revision_id IS DISTINCT FROM NEW.current_revision_id)
    EXECUTE FUNCTION documents_revision_text_trigger();
CREATE TRIGGER document_tags_search AFTER INSERT OR UPDATE OR DELETE ON document_tags
    FOR EACH ROW EXECUTE FUNCTION document_tags_search_trigger();
CREATE TRIGGER document_texts_search AFTER INSERT OR UPDATE OR DELETE ON document_texts
    FOR EACH ROW EXECUTE FUNCTION document_texts_search_trigger();

ALTER TABLE document_texts ENABLE ROW LEVEL SECURITY;
ALTER TABLE document_texts FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON document_texts
    USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid)
    WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);

ALTER TABLE document_search ENABLE ROW LEVEL SECURITY;
ALTER TABLE document_search FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON document_search
    USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid)
    WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);
CREATE POLICY search_match ON document_search AS RESTRICTIVE FOR SELECT
    USING (search_vector(vector) @@ COALESCE(NULLIF(current_setting('app.search_query', true), ''), '!''x y''')::tsquery);

ALTER TABLE search_lexicon ENABLE ROW LEVEL SECURITY;
ALTER TABLE search_lexicon FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON search_lexicon
    USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid)
    WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);
CREATE POLICY search_pattern ON search_lexicon AS RESTRICTIVE FOR SELECT
    USING (lexeme LIKE COALESCE(NULLIF(current_setting('app.search_pattern', true), ''), '%'));

-- Index the documents that exist already, one tenant at a time (row-level
-- security applies to the migrating owner too).
-- +goose StatementBegin
DO $$
DECLARE
    t record;
BEGIN
    FOR t IN SELECT id FROM tenants LOOP
        PERFORM set_config('app.tenant_id', t.id::text, true);
        PERFORM document_search_refresh(d.tenant_id, d.id) FROM documents d WHERE d.tenant_id = t.id;
    END LOOP;
    PERFORM set_config('app.tenant_id', '', true);
END
$$;
-- +goose StatementEnd

-- +goose Down
DROP TRIGGER document_texts_search ON document_texts;
DROP TRIGGER document_tags_search ON document_tags;
DROP TRIGGER documents_revision_text ON documents;
DROP TRIGGER documents_search_state ON documents;
DROP TRIGGER documents_search_update ON documents;
DROP TRIGGER documents_search_insert ON documents;
DROP FUNCTION document_texts_search_trigger();
DROP FUNCTION document_tags_search_trigger();
DROP FUNCTION documents_revision_text_trigger();
DROP FUNCTION documents_search_state_trigger();
DROP FUNCTION documents_search_trigger();
DROP FUNCTION document_search_refresh(uuid, uuid);
DROP FUNCTION search_lexicon_add(uuid, tsvector);
DROP TABLE document_search;
DROP FUNCTION search_vector(tsvector);
DROP TABLE search_lexicon;
DROP TABLE document_texts;
