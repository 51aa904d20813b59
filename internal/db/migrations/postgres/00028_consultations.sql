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
    tenant_id       uuid NOT NULL,
    id              uuid NOT NULL,
    workspace_id    uuid NOT NULL,
    subject         text NOT NULL CHECK (length(subject) BETWEEN 1 AND 300),
    description     text NOT NULL DEFAULT '' CHECK (length(description) <= 10000),
    questions       text NOT NULL DEFAULT '[]',
    deadline        timestamptz NOT NULL,
    state           text NOT NULL CHECK (state IN ('draft', 'open', 'closed')),
    remind_at       timestamptz,
    reminded_at     timestamptz,
    folder_id       uuid,
    synopsis_pdf_id uuid,
    synopsis_odt_id uuid,
    version         bigint NOT NULL DEFAULT 1 CHECK (version > 0),
    created_at      timestamptz NOT NULL,
    created_by      uuid NOT NULL,
    updated_at      timestamptz NOT NULL,
    opened_at       timestamptz,
    closed_at       timestamptz,
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
    tenant_id       uuid NOT NULL,
    consultation_id uuid NOT NULL,
    document_id     uuid NOT NULL,
    revision_id     uuid NOT NULL,
    position        integer NOT NULL CHECK (position >= 0),
    PRIMARY KEY (tenant_id, consultation_id, document_id),
    FOREIGN KEY (tenant_id, consultation_id) REFERENCES consultations (tenant_id, id) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, document_id) REFERENCES documents (tenant_id, id) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, revision_id) REFERENCES document_revisions (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX consultation_documents_revision ON consultation_documents (tenant_id, revision_id);

CREATE TABLE consultation_invitees (
    tenant_id         uuid NOT NULL,
    consultation_id   uuid NOT NULL,
    organisation_id   uuid NOT NULL,
    organisation_name text NOT NULL CHECK (length(organisation_name) BETWEEN 1 AND 300),
    invited_at        timestamptz NOT NULL,
    reminded_at       timestamptz,
    PRIMARY KEY (tenant_id, consultation_id, organisation_id),
    FOREIGN KEY (tenant_id, consultation_id) REFERENCES consultations (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX consultation_invitees_organisation ON consultation_invitees (tenant_id, organisation_id);

CREATE TABLE consultation_statements (
    tenant_id         uuid NOT NULL,
    id                uuid NOT NULL,
    consultation_id   uuid NOT NULL,
    organisation_id   uuid NOT NULL,
    draft_body        text NOT NULL DEFAULT '' CHECK (length(draft_body) <= 100000),
    draft_answers     text NOT NULL DEFAULT '[]',
    draft_files       text NOT NULL DEFAULT '[]',
    has_draft         boolean NOT NULL DEFAULT false,
    versions          integer NOT NULL DEFAULT 0 CHECK (versions >= 0),
    submitted_at      timestamptz,
    imported_document_id uuid,
    created_at        timestamptz NOT NULL,
    updated_at        timestamptz NOT NULL,
    updated_by        uuid NOT NULL,
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, consultation_id, organisation_id),
    FOREIGN KEY (tenant_id, consultation_id, organisation_id)
        REFERENCES consultation_invitees (tenant_id, consultation_id, organisation_id) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, updated_by) REFERENCES memberships (tenant_id, id),
    FOREIGN KEY (tenant_id, imported_document_id) REFERENCES documents (tenant_id, id)
);

CREATE TABLE consultation_statement_versions (
    tenant_id            uuid NOT NULL,
    statement_id         uuid NOT NULL,
    number               integer NOT NULL CHECK (number > 0),
    body                 text NOT NULL CHECK (length(body) <= 100000),
    answers              text NOT NULL,
    files                text NOT NULL,
    channel              text NOT NULL CHECK (channel IN ('online', 'post')),
    author_id            uuid NOT NULL,
    received_at          timestamptz NOT NULL,
    created_at           timestamptz NOT NULL,
    imported_revision_id uuid,
    PRIMARY KEY (tenant_id, statement_id, number),
    FOREIGN KEY (tenant_id, statement_id) REFERENCES consultation_statements (tenant_id, id) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, author_id) REFERENCES memberships (tenant_id, id),
    FOREIGN KEY (tenant_id, imported_revision_id) REFERENCES document_revisions (tenant_id, id)
);

ALTER TABLE consultations ENABLE ROW LEVEL SECURITY;
ALTER TABLE consultations FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON consultations
    USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid)
    WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);

ALTER TABLE consultation_documents ENABLE ROW LEVEL SECURITY;
ALTER TABLE consultation_documents FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON consultation_documents
    USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid)
    WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);

ALTER TABLE consultation_invitees ENABLE ROW LEVEL SECURITY;
ALTER TABLE consultation_invitees FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON consultation_invitees
    USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid)
    WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);

ALTER TABLE consultation_statements ENABLE ROW LEVEL SECURITY;
ALTER TABLE consultation_statements FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON consultation_statements
    USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid)
    WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);

ALTER TABLE consultation_statement_versions ENABLE ROW LEVEL SECURITY;
ALTER TABLE consultation_statement_versions FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON consultation_statement_versions
    USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid)
    WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);

-- +goose Down
DROP TABLE consultation_statement_versions;
DROP TABLE consultation_statements;
DROP TABLE consultation_invitees;
DROP TABLE consultation_documents;
DROP TABLE consultations;
