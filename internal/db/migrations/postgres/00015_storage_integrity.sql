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
-- revision_suspects is tenant-owned: tenant_id NOT NULL, first in every
-- key, composite foreign keys including tenant_id, forced row-level security.

-- +goose Up
CREATE TABLE revision_suspects (
    tenant_id   uuid NOT NULL,
    revision_id uuid NOT NULL,
    problem     text NOT NULL CHECK (problem IN ('size', 'hash')),
    detail      text NOT NULL DEFAULT '' CHECK (length(detail) <= 1000),
    found_at    timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, revision_id),
    FOREIGN KEY (tenant_id, revision_id) REFERENCES document_revisions (tenant_id, id) ON DELETE CASCADE
);

ALTER TABLE upload_intents ADD COLUMN heartbeat_at timestamptz;
UPDATE upload_intents SET heartbeat_at = created_at;
ALTER TABLE upload_intents ALTER COLUMN heartbeat_at SET NOT NULL;
CREATE INDEX upload_intents_heartbeat ON upload_intents (tenant_id, heartbeat_at);

ALTER TABLE revision_suspects ENABLE ROW LEVEL SECURITY;
ALTER TABLE revision_suspects FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON revision_suspects
    USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid)
    WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);

-- +goose Down
DROP INDEX upload_intents_heartbeat;
ALTER TABLE upload_intents DROP COLUMN heartbeat_at;
DROP TABLE revision_suspects;
