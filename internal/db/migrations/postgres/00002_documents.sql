-- Document store, part 1: the folder tree, folder permissions, document
-- metadata, trash, retention, legal hold and check-out locks. File bytes
-- (revisions) follow in a later migration; documents already carry the
-- columns that will point at the current revision.
--
-- Every table is tenant-owned: tenant_id NOT NULL, first in every key,
-- composite foreign keys including tenant_id (the database refuses links
-- across tenants), forced row-level security.

-- +goose Up
CREATE TABLE folders (
    tenant_id      uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    id             uuid NOT NULL,
    -- NULL for a root folder (the tenant's tree; later one per workspace).
    parent_id      uuid,
    name           text NOT NULL CHECK (length(name) BETWEEN 1 AND 255),
    -- Case-folded name, computed by the application so that both engines
    -- compare and sort it the same way.
    name_key       text COLLATE "C" NOT NULL,
    -- false: only this folder's own entries apply (inheritance broken).
    inherit_acl    boolean NOT NULL DEFAULT true,
    -- Days a trashed document stays before it may be purged; NULL inherits
    -- from the nearest ancestor that sets it (none: 0).
    retention_days integer CHECK (retention_days BETWEEN 0 AND 36500),
    created_at     timestamptz NOT NULL,
    created_by     uuid NOT NULL,
    updated_at     timestamptz NOT NULL,
    deleted_at     timestamptz,
    deleted_by     uuid,
    -- The folder or document whose deletion put this row in the trash.
    trash_root_id  uuid,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, parent_id) REFERENCES folders (tenant_id, id),
    FOREIGN KEY (tenant_id, created_by) REFERENCES memberships (tenant_id, id),
    FOREIGN KEY (tenant_id, deleted_by) REFERENCES memberships (tenant_id, id),
    CHECK (parent_id IS NULL OR parent_id <> id),
    CHECK ((deleted_at IS NULL) = (trash_root_id IS NULL))
);
-- Sibling names are unique among live folders (roots among roots).
CREATE UNIQUE INDEX folders_sibling_name ON folders
    (tenant_id, COALESCE(parent_id, '00000000-0000-0000-0000-000000000000'::uuid), name_key)
    WHERE deleted_at IS NULL;
CREATE INDEX folders_children ON folders (tenant_id, parent_id, name_key, id) WHERE deleted_at IS NULL;
CREATE INDEX folders_trash ON folders (tenant_id, trash_root_id) WHERE trash_root_id IS NOT NULL;

-- Closure of the tree: one row per (ancestor-or-self, descendant).
CREATE TABLE folder_paths (
    tenant_id     uuid NOT NULL,
    descendant_id uuid NOT NULL,
    ancestor_id   uuid NOT NULL,
    depth         integer NOT NULL CHECK (depth >= 0),
    PRIMARY KEY (tenant_id, descendant_id, ancestor_id),
    FOREIGN KEY (tenant_id, descendant_id) REFERENCES folders (tenant_id, id) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, ancestor_id) REFERENCES folders (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX folder_paths_ancestor ON folder_paths (tenant_id, ancestor_id, depth);

-- The folders whose ACL entries apply to folder_id: itself and every
-- ancestor up to and including the nearest one that breaks inheritance.
CREATE TABLE folder_acl_scope (
    tenant_id uuid NOT NULL,
    folder_id uuid NOT NULL,
    source_id uuid NOT NULL,
    PRIMARY KEY (tenant_id, folder_id, source_id),
    FOREIGN KEY (tenant_id, folder_id) REFERENCES folders (tenant_id, id) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, source_id) REFERENCES folders (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX folder_acl_scope_source ON folder_acl_scope (tenant_id, source_id, folder_id);

-- A folder's own permission entries. level: 1 read, 2 write, 3 manage.
CREATE TABLE folder_acl (
    tenant_id      uuid NOT NULL,
    id             uuid NOT NULL,
    folder_id      uuid NOT NULL,
    principal_type text NOT NULL CHECK (principal_type IN ('role', 'group', 'user')),
    role           text CHECK (role IN ('admin', 'staff', 'committee', 'partner')),
    group_id       uuid,
    membership_id  uuid,
    level          smallint NOT NULL CHECK (level BETWEEN 1 AND 3),
    created_at     timestamptz NOT NULL,
    created_by     uuid NOT NULL,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, folder_id) REFERENCES folders (tenant_id, id) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, group_id) REFERENCES groups (tenant_id, id) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, membership_id) REFERENCES memberships (tenant_id, id) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, created_by) REFERENCES memberships (tenant_id, id),
    CHECK ((principal_type = 'role' AND role IS NOT NULL AND group_id IS NULL AND membership_id IS NULL)
        OR (principal_type = 'group' AND role IS NULL AND group_id IS NOT NULL AND membership_id IS NULL)
        OR (principal_type = 'user' AND role IS NULL AND group_id IS NULL AND membership_id IS NOT NULL))
);
CREATE UNIQUE INDEX folder_acl_role ON folder_acl (tenant_id, folder_id, role) WHERE role IS NOT NULL;
CREATE UNIQUE INDEX folder_acl_group ON folder_acl (tenant_id, folder_id, group_id) WHERE group_id IS NOT NULL;
CREATE UNIQUE INDEX folder_acl_user ON folder_acl (tenant_id, folder_id, membership_id) WHERE membership_id IS NOT NULL;
CREATE INDEX folder_acl_group_ref ON folder_acl (tenant_id, group_id) WHERE group_id IS NOT NULL;
CREATE INDEX folder_acl_user_ref ON folder_acl (tenant_id, membership_id) WHERE membership_id IS NOT NULL;

CREATE TABLE documents (
    tenant_id           uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    id                  uuid NOT NULL,
    folder_id           uuid NOT NULL,
    title               text NOT NULL CHECK (length(title) BETWEEN 1 AND 500),
    title_key           text COLLATE "C" NOT NULL,
    description         text NOT NULL DEFAULT '',
    -- Aktenzeichen: the reference in the agency's file plan.
    file_plan_ref       text NOT NULL DEFAULT '',
    metadata            jsonb NOT NULL DEFAULT '{}'::jsonb,
    -- Optimistic concurrency: every metadata change or move increments it.
    version             bigint NOT NULL DEFAULT 1 CHECK (version > 0),
    -- Filled by revisions (later migration).
    current_revision_id uuid,
    size_bytes          bigint CHECK (size_bytes >= 0),
    content_type        text,
    created_at          timestamptz NOT NULL,
    created_by          uuid NOT NULL,
    updated_at          timestamptz NOT NULL,
    updated_by          uuid NOT NULL,
    deleted_at          timestamptz,
    deleted_by          uuid,
    trash_root_id       uuid,
    legal_hold          boolean NOT NULL DEFAULT false,
    legal_hold_reason   text NOT NULL DEFAULT '',
    legal_hold_at       timestamptz,
    legal_hold_by       uuid,
    lock_owner_id       uuid,
    lock_acquired_at    timestamptz,
    lock_expires_at     timestamptz,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, folder_id) REFERENCES folders (tenant_id, id),
    FOREIGN KEY (tenant_id, created_by) REFERENCES memberships (tenant_id, id),
    FOREIGN KEY (tenant_id, updated_by) REFERENCES memberships (tenant_id, id),
    FOREIGN KEY (tenant_id, deleted_by) REFERENCES memberships (tenant_id, id),
    FOREIGN KEY (tenant_id, legal_hold_by) REFERENCES memberships (tenant_id, id),
    FOREIGN KEY (tenant_id, lock_owner_id) REFERENCES memberships (tenant_id, id),
    CHECK ((deleted_at IS NULL) = (trash_root_id IS NULL)),
    CHECK ((lock_owner_id IS NULL) = (lock_expires_at IS NULL)),
    CHECK (NOT legal_hold OR legal_hold_at IS NOT NULL)
);
CREATE INDEX documents_folder ON documents (tenant_id, folder_id, title_key, id) WHERE deleted_at IS NULL;
CREATE INDEX documents_title ON documents (tenant_id, title_key, id) WHERE deleted_at IS NULL;
CREATE INDEX documents_file_plan ON documents (tenant_id, file_plan_ref) WHERE deleted_at IS NULL;
CREATE INDEX documents_trash ON documents (tenant_id, trash_root_id) WHERE trash_root_id IS NOT NULL;
CREATE INDEX documents_all_in_folder ON documents (tenant_id, folder_id);

CREATE TABLE document_tags (
    tenant_id   uuid NOT NULL,
    document_id uuid NOT NULL,
    tag         text NOT NULL CHECK (length(tag) BETWEEN 1 AND 100),
    PRIMARY KEY (tenant_id, document_id, tag),
    FOREIGN KEY (tenant_id, document_id) REFERENCES documents (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX document_tags_tag ON document_tags (tenant_id, tag, document_id);

ALTER TABLE folders ENABLE ROW LEVEL SECURITY;
ALTER TABLE folders FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON folders
    USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid)
    WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);

ALTER TABLE folder_paths ENABLE ROW LEVEL SECURITY;
ALTER TABLE folder_paths FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON folder_paths
    USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid)
    WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);

ALTER TABLE folder_acl_scope ENABLE ROW LEVEL SECURITY;
ALTER TABLE folder_acl_scope FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON folder_acl_scope
    USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid)
    WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);

ALTER TABLE folder_acl ENABLE ROW LEVEL SECURITY;
ALTER TABLE folder_acl FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON folder_acl
    USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid)
    WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);

ALTER TABLE documents ENABLE ROW LEVEL SECURITY;
ALTER TABLE documents FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON documents
    USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid)
    WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);

ALTER TABLE document_tags ENABLE ROW LEVEL SECURITY;
ALTER TABLE document_tags FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON document_tags
    USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid)
    WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);

-- +goose Down
DROP TABLE document_tags;
DROP TABLE documents;
DROP TABLE folder_acl;
DROP TABLE folder_acl_scope;
DROP TABLE folder_paths;
DROP TABLE folders;
