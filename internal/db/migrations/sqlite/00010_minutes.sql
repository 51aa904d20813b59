-- Minutes (Niederschriften) of committee meetings, and where they were filed.
--
-- meeting_minutes holds one row per meeting, created from the record once
-- the meeting is closed: content is the structured draft as JSON (header,
-- attendance, quorum, agenda items with papers, conflicts, discussion
-- summaries and polls with their results; see committees/minutes.go). The
-- secretary edits its text fields under optimistic concurrency (version);
-- the chair approves it, after which the row never changes again (the
-- trigger below refuses every UPDATE of an approved row).
--
-- minutes_filings records each document revision the approved minutes were
-- filed as. It follows the document: a purged document takes its filing
-- rows along, the approved minutes stay (and can be filed again).
--
-- Every table is tenant-owned: tenant_id NOT NULL, first in every key,
-- composite foreign keys including tenant_id. (SQLite has no row-level
-- security; the tenant-scoped handle and explicit tenant_id predicates
-- filter every query.)

-- +goose Up
CREATE TABLE meeting_minutes (
    tenant_id   TEXT NOT NULL,
    id          TEXT NOT NULL,
    meeting_id  TEXT NOT NULL,
    state       TEXT NOT NULL CHECK (state IN ('draft', 'approved')),
    -- Optimistic concurrency: every edit and the approval increment it.
    version     INTEGER NOT NULL DEFAULT 1 CHECK (version > 0),
    content     TEXT NOT NULL,
    created_at  DATETIME NOT NULL,
    created_by  TEXT NOT NULL,
    updated_at  DATETIME NOT NULL,
    updated_by  TEXT NOT NULL,
    approved_at DATETIME,
    approved_by TEXT,
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, meeting_id),
    FOREIGN KEY (tenant_id, meeting_id) REFERENCES meetings (tenant_id, id) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, created_by) REFERENCES memberships (tenant_id, id),
    FOREIGN KEY (tenant_id, updated_by) REFERENCES memberships (tenant_id, id),
    FOREIGN KEY (tenant_id, approved_by) REFERENCES memberships (tenant_id, id),
    CHECK ((state = 'approved') = (approved_at IS NOT NULL AND approved_by IS NOT NULL))
);

CREATE TABLE minutes_filings (
    tenant_id   TEXT NOT NULL,
    id          TEXT NOT NULL,
    minutes_id  TEXT NOT NULL,
    document_id TEXT NOT NULL,
    revision_id TEXT NOT NULL,
    filed_at    DATETIME NOT NULL,
    filed_by    TEXT NOT NULL,
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
CREATE TRIGGER meeting_minutes_frozen BEFORE UPDATE ON meeting_minutes
WHEN OLD.state = 'approved'
BEGIN
    SELECT RAISE(ABORT, 'approved minutes never change');
END;
-- +goose StatementEnd

-- +goose Down
DROP TABLE minutes_filings;
DROP TABLE meeting_minutes;
