-- Workspaces (Arbeitsräume): the unit of collaboration. A workspace has a
-- name (unique per tenant, compared by name_key: NFC and Unicode case
-- folding, as groups.name_key), a purpose, an optional file number
-- (Aktenzeichen), optional start and end dates (YYYY-MM-DD), a responsible
-- person, a visibility (open: listed in the directory staff may join from;
-- closed) and a state (active; archived: read-only). version grows with
-- every change (If-Match).
--
-- Each workspace owns a document folder (folder_id), made with it under the
-- tenant's root folder "Arbeitsräume". Who reads and writes it is not copied
-- into folder_acl but derived from workspace_members whenever a query runs
-- (documents/access.go): owners and members write, readers read; while the
-- workspace is archived everyone, admins included, reads only. Like
-- committees.filing_folder_id the column has no foreign key: purging the
-- folder must stay possible.
--
-- workspace_members names tenant memberships; the membership's tenant role
-- decides whether the member is staff or (later) a guest. The task area and
-- the wiki space of the next modules attach to workspaces (tenant_id, id).

-- +goose Up
CREATE TABLE workspaces (
    tenant_id      uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    id             uuid NOT NULL,
    name           text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    name_key       text COLLATE "C" NOT NULL CHECK (length(name_key) BETWEEN 1 AND 800),
    purpose        text NOT NULL DEFAULT '' CHECK (length(purpose) <= 10000),
    file_number    text NOT NULL DEFAULT '' CHECK (length(file_number) <= 100),
    starts_on      text CHECK (length(starts_on) = 10),
    ends_on        text CHECK (length(ends_on) = 10),
    responsible_id uuid NOT NULL,
    visibility     text NOT NULL CHECK (visibility IN ('open', 'closed')),
    state          text NOT NULL CHECK (state IN ('active', 'archived')),
    archived_at    timestamptz,
    archived_by    uuid,
    folder_id      uuid,
    version        bigint NOT NULL DEFAULT 1 CHECK (version >= 1),
    created_at     timestamptz NOT NULL,
    created_by     uuid NOT NULL,
    updated_at     timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, responsible_id) REFERENCES memberships (tenant_id, id),
    FOREIGN KEY (tenant_id, created_by) REFERENCES memberships (tenant_id, id),
    FOREIGN KEY (tenant_id, archived_by) REFERENCES memberships (tenant_id, id),
    CHECK (ends_on IS NULL OR starts_on IS NULL OR ends_on >= starts_on),
    CHECK ((state = 'archived') = (archived_at IS NOT NULL AND archived_by IS NOT NULL))
);
CREATE UNIQUE INDEX workspaces_name_key ON workspaces (tenant_id, name_key);
CREATE INDEX workspaces_folder ON workspaces (tenant_id, folder_id) WHERE folder_id IS NOT NULL;
CREATE INDEX workspaces_directory ON workspaces (tenant_id, visibility, name_key, id);

CREATE TABLE workspace_members (
    tenant_id     uuid NOT NULL,
    workspace_id  uuid NOT NULL,
    membership_id uuid NOT NULL,
    role          text NOT NULL CHECK (role IN ('owner', 'member', 'reader')),
    added_by      uuid NOT NULL,
    created_at    timestamptz NOT NULL,
    updated_at    timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, workspace_id, membership_id),
    FOREIGN KEY (tenant_id, workspace_id) REFERENCES workspaces (tenant_id, id) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, membership_id) REFERENCES memberships (tenant_id, id) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, added_by) REFERENCES memberships (tenant_id, id)
);
CREATE INDEX workspace_members_membership ON workspace_members (tenant_id, membership_id, workspace_id);

ALTER TABLE workspaces ENABLE ROW LEVEL SECURITY;
ALTER TABLE workspaces FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON workspaces
    USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid)
    WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);

ALTER TABLE workspace_members ENABLE ROW LEVEL SECURITY;
ALTER TABLE workspace_members FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON workspace_members
    USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid)
    WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);

-- +goose Down
DROP TABLE workspace_members;
DROP TABLE workspaces;
