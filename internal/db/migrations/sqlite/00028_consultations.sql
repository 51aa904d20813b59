-- Consultations (Beteiligungsverfahren, issue 12 part 4; package
-- workspaces/consultations). Staff of a workspace ask invited
-- organisations of the address book for a statement (Stellungnahme) on a
-- subject, with frozen document revisions, questions and a deadline.
--
-- consultations: questions is a JSON array of strings (fixed once the
-- consultation is open). remind_at is three working days before the
-- deadline (computed in Go); reminded_at when the automatic reminder went
-- out (cleared when the deadline moves). folder_id is the consultation's
-- subfolder of the workspace folder (synopsis, imported statements,
-- statement files); synopsis_pdf_id / synopsis_odt_id the filed synopsis.
--
-- consultation_documents: the frozen (document, revision) pairs every
-- reader of the consultation may read, whatever the folder's permissions.
--
-- consultation_invitees and consultation_statements name an organisation
-- by id with its name at the time: no foreign key to organisations, so
-- that deleting an address book entry keeps the record of who was asked
-- and who answered. One statement per organisation and consultation; its
-- draft (private to the organisation) lives in the row, every submitted
-- version in consultation_statement_versions (answers and files as JSON:
-- an array of strings, one per question, and an array of {document_id,
-- revision_id, file_name}). imported_revision_id is the case-file revision
-- a version was imported as.

-- +goose Up
CREATE TABLE consultations (
    tenant_id       TEXT NOT NULL,
    id              TEXT NOT NULL,
    workspace_id    TEXT NOT NULL,
    subject         TEXT NOT NULL CHECK (length(subject) BETWEEN 1 AND 300),
    description     TEXT NOT NULL DEFAULT '' CHECK (length(description) <= 10000),
    questions       TEXT NOT NULL DEFAULT '[]',
    deadline        DATETIME NOT NULL,
    state           TEXT NOT NULL CHECK (state IN ('draft', 'open', 'closed')),
    remind_at       DATETIME,
    reminded_at     DATETIME,
    folder_id       TEXT,
    synopsis_pdf_id TEXT,
    synopsis_odt_id TEXT,
    version         INTEGER NOT NULL DEFAULT 1 CHECK (version > 0),
    created_at      DATETIME NOT NULL,
    created_by      TEXT NOT NULL,
    updated_at      DATETIME NOT NULL,
    opened_at       DATETIME,
    closed_at       DATETIME,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, workspace_id) REFERENCES workspaces (tenant_id, id) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, created_by) REFERENCES memberships (tenant_id, id),
    FOREIGN KEY (tenant_id, folder_id) REFERENCES folders (tenant_id, id),
    FOREIGN KEY (tenant_id, synopsis_pdf_id) REFERENCES documents (tenant_id, id),
    FOREIGN KEY (tenant_id, synopsis_odt_id) REFERENCES documents (tenant_id, id)
);
CREATE INDEX consultations_workspace ON consultations (tenant_id, workspace_id, deadline, id);
CREATE INDEX consultations_due ON consultations (tenant_id, state, remind_at);

CREATE TABLE consultation_documents (
    tenant_id       TEXT NOT NULL,
    consultation_id TEXT NOT NULL,
    document_id     TEXT NOT NULL,
    revision_id     TEXT NOT NULL,
    position        INTEGER NOT NULL CHECK (position >= 0),
    PRIMARY KEY (tenant_id, consultation_id, document_id),
    FOREIGN KEY (tenant_id, consultation_id) REFERENCES consultations (tenant_id, id) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, document_id) REFERENCES documents (tenant_id, id) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, revision_id) REFERENCES document_revisions (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX consultation_documents_revision ON consultation_documents (tenant_id, revision_id);

CREATE TABLE consultation_invitees (
    tenant_id         TEXT NOT NULL,
    consultation_id   TEXT NOT NULL,
    organisation_id   TEXT NOT NULL,
    organisation_name TEXT NOT NULL CHECK (length(organisation_name) BETWEEN 1 AND 300),
    invited_at        DATETIME NOT NULL,
    reminded_at       DATETIME,
    PRIMARY KEY (tenant_id, consultation_id, organisation_id),
    FOREIGN KEY (tenant_id, consultation_id) REFERENCES consultations (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX consultation_invitees_organisation ON consultation_invitees (tenant_id, organisation_id);

CREATE TABLE consultation_statements (
    tenant_id         TEXT NOT NULL,
    id                TEXT NOT NULL,
    consultation_id   TEXT NOT NULL,
    organisation_id   TEXT NOT NULL,
    draft_body        TEXT NOT NULL DEFAULT '' CHECK (length(draft_body) <= 100000),
    draft_answers     TEXT NOT NULL DEFAULT '[]',
    draft_files       TEXT NOT NULL DEFAULT '[]',
    has_draft         INTEGER NOT NULL DEFAULT 0 CHECK (has_draft IN (0, 1)),
    versions          INTEGER NOT NULL DEFAULT 0 CHECK (versions >= 0),
    submitted_at      DATETIME,
    imported_document_id TEXT,
    created_at        DATETIME NOT NULL,
    updated_at        DATETIME NOT NULL,
    updated_by        TEXT NOT NULL,
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, consultation_id, organisation_id),
    FOREIGN KEY (tenant_id, consultation_id, organisation_id)
        REFERENCES consultation_invitees (tenant_id, consultation_id, organisation_id) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, updated_by) REFERENCES memberships (tenant_id, id),
    FOREIGN KEY (tenant_id, imported_document_id) REFERENCES documents (tenant_id, id)
);

CREATE TABLE consultation_statement_versions (
    tenant_id            TEXT NOT NULL,
    statement_id         TEXT NOT NULL,
    number               INTEGER NOT NULL CHECK (number > 0),
    body                 TEXT NOT NULL CHECK (length(body) <= 100000),
    answers              TEXT NOT NULL,
    files                TEXT NOT NULL,
    channel              TEXT NOT NULL CHECK (channel IN ('online', 'post')),
    author_id            TEXT NOT NULL,
    received_at          DATETIME NOT NULL,
    created_at           DATETIME NOT NULL,
    imported_revision_id TEXT,
    PRIMARY KEY (tenant_id, statement_id, number),
    FOREIGN KEY (tenant_id, statement_id) REFERENCES consultation_statements (tenant_id, id) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, author_id) REFERENCES memberships (tenant_id, id),
    FOREIGN KEY (tenant_id, imported_revision_id) REFERENCES document_revisions (tenant_id, id)
);

-- +goose Down
DROP TABLE consultation_statement_versions;
DROP TABLE consultation_statements;
DROP TABLE consultation_invitees;
DROP TABLE consultation_documents;
DROP TABLE consultations;
