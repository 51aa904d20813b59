-- Workspaces (Arbeitsräume) and their members: see the PostgreSQL
-- migration of the same number.

-- +goose Up
CREATE TABLE workspaces (
    tenant_id      TEXT NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    id             TEXT NOT NULL,
    name           TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    name_key       TEXT NOT NULL CHECK (length(name_key) BETWEEN 1 AND 800),
    purpose        TEXT NOT NULL DEFAULT '' CHECK (length(purpose) <= 10000),
    file_number    TEXT NOT NULL DEFAULT '' CHECK (length(file_number) <= 100),
    starts_on      TEXT CHECK (length(starts_on) = 10),
    ends_on        TEXT CHECK (length(ends_on) = 10),
    responsible_id TEXT NOT NULL,
    visibility     TEXT NOT NULL CHECK (visibility IN ('open', 'closed')),
    state          TEXT NOT NULL CHECK (state IN ('active', 'archived')),
    archived_at    DATETIME,
    archived_by    TEXT,
    folder_id      TEXT,
    version        INTEGER NOT NULL DEFAULT 1 CHECK (version >= 1),
    created_at     DATETIME NOT NULL,
    created_by     TEXT NOT NULL,
    updated_at     DATETIME NOT NULL,
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
    tenant_id     TEXT NOT NULL,
    workspace_id  TEXT NOT NULL,
    membership_id TEXT NOT NULL,
    role          TEXT NOT NULL CHECK (role IN ('owner', 'member', 'reader')),
    added_by      TEXT NOT NULL,
    created_at    DATETIME NOT NULL,
    updated_at    DATETIME NOT NULL,
    PRIMARY KEY (tenant_id, workspace_id, membership_id),
    FOREIGN KEY (tenant_id, workspace_id) REFERENCES workspaces (tenant_id, id) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, membership_id) REFERENCES memberships (tenant_id, id) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, added_by) REFERENCES memberships (tenant_id, id)
);
CREATE INDEX workspace_members_membership ON workspace_members (tenant_id, membership_id, workspace_id);

-- +goose Down
DROP TABLE workspace_members;
DROP TABLE workspaces;
