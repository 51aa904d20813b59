-- Stored bytes that do not match their record, and uploads whose process died.
--
-- revision_suspects marks a revision whose object a download found to
-- differ from the revision (another size, or another SHA-256 while
-- streaming). The revision itself never changes; `kollab documents verify`
-- reports every mark, rehashes the object and clears the mark once the
-- object matches again (e.g. restored from a backup). problem says what was
-- found ("size" or "hash"), detail the figures, for the operator only.
--
-- upload_intents.heartbeat_at is renewed by the process that streams the
-- intent's bytes while it runs. An intent whose heartbeat stopped belongs to
-- a dead process: the sweeper aborts it (incomplete multipart uploads
-- included) and releases its quota reservation without waiting for the
-- intent's full time-to-live. Existing rows start with their creation time.
--
-- (SQLite has no row-level security; the tenant-scoped handle and explicit
-- tenant_id predicates filter every query.)

-- +goose Up
CREATE TABLE revision_suspects (
    tenant_id   TEXT NOT NULL,
    revision_id TEXT NOT NULL,
    problem     TEXT NOT NULL CHECK (problem IN ('size', 'hash')),
    detail      TEXT NOT NULL DEFAULT '' CHECK (length(detail) <= 1000),
    found_at    DATETIME NOT NULL,
    PRIMARY KEY (tenant_id, revision_id),
    FOREIGN KEY (tenant_id, revision_id) REFERENCES document_revisions (tenant_id, id) ON DELETE CASCADE
);

-- SQLite cannot add a NOT NULL column without a default to a filled table:
-- the default is never used, every insert names the column.
ALTER TABLE upload_intents ADD COLUMN heartbeat_at DATETIME NOT NULL DEFAULT '1970-01-01 00:00:00';
UPDATE upload_intents SET heartbeat_at = created_at;
CREATE INDEX upload_intents_heartbeat ON upload_intents (tenant_id, heartbeat_at);

-- +goose Down
DROP INDEX upload_intents_heartbeat;
ALTER TABLE upload_intents DROP COLUMN heartbeat_at;
DROP TABLE revision_suspects;
