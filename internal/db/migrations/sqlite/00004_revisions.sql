-- Document store, part 2: immutable revisions whose bytes live in object
-- storage, the upload intents that make writing them crash-consistent, the
-- per-tenant storage quota, the sweeper's quarantine of unreferenced
-- objects, and the queue of text-extraction jobs.
--
-- Order of a write: an upload_intents row (committed), then the object,
-- then one transaction that inserts the revision, removes the intent and
-- records the audit event. An object without a revision or an intent is
-- garbage; the sweeper quarantines it and deletes it only after a grace
-- period in which it stayed unreferenced.

-- (SQLite has no row-level security; the tenant-scoped handle and explicit
-- tenant_id predicates filter every query.)

-- +goose Up
-- A document title names the file in WebDAV: unique among a folder's live documents.
CREATE UNIQUE INDEX documents_folder_title ON documents (tenant_id, folder_id, title_key) WHERE deleted_at IS NULL;

ALTER TABLE documents ADD COLUMN revision_count INTEGER NOT NULL DEFAULT 0 CHECK (revision_count >= 0);

CREATE TABLE document_revisions (
    tenant_id     TEXT NOT NULL,
    id            TEXT NOT NULL,
    document_id   TEXT NOT NULL,
    -- 1, 2, 3, ... per document.
    number        INTEGER NOT NULL CHECK (number > 0),
    storage_key   TEXT NOT NULL,
    size_bytes    INTEGER NOT NULL CHECK (size_bytes >= 0),
    sha256        TEXT NOT NULL CHECK (length(sha256) = 64),
    content_type  TEXT NOT NULL,
    file_name     TEXT NOT NULL CHECK (length(file_name) BETWEEN 1 AND 255),
    comment       TEXT NOT NULL DEFAULT '' CHECK (length(comment) <= 2000),
    -- Set when the revision restores an older one (same bytes, new row).
    restored_from TEXT,
    created_at    DATETIME NOT NULL,
    created_by    TEXT NOT NULL,
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, document_id, number),
    FOREIGN KEY (tenant_id, document_id) REFERENCES documents (tenant_id, id) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, created_by) REFERENCES memberships (tenant_id, id)
);
CREATE INDEX document_revisions_key ON document_revisions (tenant_id, storage_key);

CREATE TABLE upload_intents (
    tenant_id   TEXT NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    id          TEXT NOT NULL,
    storage_key TEXT NOT NULL,
    -- The bytes reserved against the quota.
    size_bytes  INTEGER NOT NULL CHECK (size_bytes >= 0),
    document_id TEXT,
    created_at  DATETIME NOT NULL,
    created_by  TEXT NOT NULL,
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, storage_key),
    FOREIGN KEY (tenant_id, created_by) REFERENCES memberships (tenant_id, id)
);
CREATE INDEX upload_intents_age ON upload_intents (tenant_id, created_at);

-- One row per tenant: bytes committed and bytes reserved by open intents;
-- quota_bytes NULL is unlimited. Every change is one guarded UPDATE.
CREATE TABLE storage_usage (
    tenant_id      TEXT NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    used_bytes     INTEGER NOT NULL DEFAULT 0 CHECK (used_bytes >= 0),
    reserved_bytes INTEGER NOT NULL DEFAULT 0 CHECK (reserved_bytes >= 0),
    quota_bytes    INTEGER CHECK (quota_bytes >= 0),
    PRIMARY KEY (tenant_id)
);

-- Objects the sweeper found unreferenced; deleted once they stayed so for
-- the grace period.
CREATE TABLE storage_quarantine (
    tenant_id   TEXT NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    storage_key TEXT NOT NULL,
    size_bytes  INTEGER NOT NULL,
    found_at    DATETIME NOT NULL,
    PRIMARY KEY (tenant_id, storage_key)
);

-- Text extraction, one job per revision.
CREATE TABLE extraction_jobs (
    tenant_id   TEXT NOT NULL,
    revision_id TEXT NOT NULL,
    document_id TEXT NOT NULL,
    state       TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'running', 'done', 'failed', 'skipped')),
    attempts    INTEGER NOT NULL DEFAULT 0,
    run_after   DATETIME NOT NULL,
    last_error  TEXT NOT NULL DEFAULT '',
    updated_at  DATETIME NOT NULL,
    PRIMARY KEY (tenant_id, revision_id),
    FOREIGN KEY (tenant_id, revision_id) REFERENCES document_revisions (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX extraction_jobs_due ON extraction_jobs (tenant_id, run_after) WHERE state IN ('pending', 'running');

-- +goose Down
DROP TABLE extraction_jobs;
DROP TABLE storage_quarantine;
DROP TABLE storage_usage;
DROP TABLE upload_intents;
DROP TABLE document_revisions;
ALTER TABLE documents DROP COLUMN revision_count;
DROP INDEX documents_folder_title;
