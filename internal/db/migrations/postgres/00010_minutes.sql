-- Minutes (Niederschriften) of committee meetings, and where they were filed.
--
-- meeting_minutes holds one row per meeting, created from the record once
-- the meeting is closed: content is the structured draft as JSON (header,
-- attendance, quorum, agenda items with papers, conflicts, discussion
-- summaries and polls with their results; see committees/minutes.go). The
-- secretary edits its text fields under optimistic concurrency (version);
-- the chair approves it, after which the row never changes again (the
-- trigger below refuses every UPDATE of an approved row, whoever runs it).
--
-- minutes_filings records each document revision the approved minutes were
-- filed as. It follows the document: a purged document takes its filing
-- rows along, the approved minutes stay (and can be filed again).
--
-- Every table is tenant-owned: tenant_id NOT NULL, first in every key,
-- composite foreign keys including tenant_id, forced row-level security.

-- +goose Up
CREATE TABLE meeting_minutes (
    tenant_id   uuid NOT NULL,
    id          uuid NOT NULL,
    meeting_id  uuid NOT NULL,
    state       text NOT NULL CHECK (state IN ('draft', 'approved')),
    -- Optimistic concurrency: every edit and the approval increment it.
    version     bigint NOT NULL DEFAULT 1 CHECK (version > 0),
    content     text NOT NULL,
    created_at  timestamptz NOT NULL,
    created_by  uuid NOT NULL,
    updated_at  timestamptz NOT NULL,
    updated_by  uuid NOT NULL,
    approved_at timestamptz,
    approved_by uuid,
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, meeting_id),
    FOREIGN KEY (tenant_id, meeting_id) REFERENCES meetings (tenant_id, id) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, created_by) REFERENCES memberships (tenant_id, id),
    FOREIGN KEY (tenant_id, updated_by) REFERENCES memberships (tenant_id, id),
    FOREIGN KEY (tenant_id, approved_by) REFERENCES memberships (tenant_id, id),
    CHECK ((state = 'approved') = (approved_at IS NOT NULL AND approved_by IS NOT NULL))
);

CREATE TABLE minutes_filings (
    tenant_id   uuid NOT NULL,
    id          uuid NOT NULL,
    minutes_id  uuid NOT NULL,
    document_id uuid NOT NULL,
    revision_id uuid NOT NULL,
    filed_at    timestamptz NOT NULL,
    filed_by    uuid NOT NULL,
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, revision_id),
    FOREIGN KEY (tenant_id, minutes_id) REFERENCES meeting_minutes (tenant_id, id) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, document_id) REFERENCES documents (tenant_id, id) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, revision_id) REFERENCES document_revisions (tenant_id, id) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, filed_by) REFERENCES memberships (tenant_id, id)
);
CREATE INDEX minutes_filings_minutes ON minutes_filings (tenant_id, minutes_id, filed_at);
CREATE INDEX minutes_filings_document ON minutes_filings (tenant_id, document_id);

-- +goose StatementBegin
CREATE FUNCTION meeting_minutes_frozen() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'approved minutes never change' USING ERRCODE = 'check_violation';
END
$$;
-- +goose StatementEnd

CREATE TRIGGER meeting_minutes_frozen BEFORE UPDATE ON meeting_minutes
    FOR EACH ROW WHEN (OLD.state = 'approved') EXECUTE FUNCTION meeting_minutes_frozen();

ALTER TABLE meeting_minutes ENABLE ROW LEVEL SECURITY;
ALTER TABLE meeting_minutes FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON meeting_minutes
    USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid)
    WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);

ALTER TABLE minutes_filings ENABLE ROW LEVEL SECURITY;
ALTER TABLE minutes_filings FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON minutes_filings
    USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid)
    WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);

-- +goose Down
DROP TABLE minutes_filings;
DROP TABLE meeting_minutes;
DROP FUNCTION meeting_minutes_frozen();
