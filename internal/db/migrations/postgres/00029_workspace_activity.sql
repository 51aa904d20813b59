-- The activity feed of a workspace (issue 12, part 5): what happened there,
-- for its members. One row per event, written in the transaction of the
-- change: members added, removed, joined, left or given another role, the
-- workspace changed, archived or restored, a guest admitted, documents
-- created, revised or trashed in the workspace's folder (recorded by the
-- document store through workspaces.RecordDocumentActivity). A row names
-- the actor and the person it is about (subject) by membership, and the
-- object by type, id and its title at the time; folder_id is the folder of
-- a document event, so the feed shows it only to whoever may read that
-- folder now (a subfolder that breaks inheritance stays private).

-- +goose Up
CREATE TABLE workspace_activity (
    tenant_id    uuid NOT NULL,
    id           uuid NOT NULL,
    workspace_id uuid NOT NULL,
    kind         text NOT NULL CHECK (length(kind) BETWEEN 1 AND 100),
    actor_id     uuid,
    subject_id   uuid,
    object_type  text NOT NULL DEFAULT '' CHECK (length(object_type) <= 100),
    object_id    uuid,
    object_title text NOT NULL DEFAULT '' CHECK (length(object_title) <= 500),
    folder_id    uuid,
    created_at   timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, workspace_id) REFERENCES workspaces (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX workspace_activity_feed ON workspace_activity (tenant_id, workspace_id, id);

ALTER TABLE workspace_activity ENABLE ROW LEVEL SECURITY;
ALTER TABLE workspace_activity FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON workspace_activity
    USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid)
    WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);

-- +goose Down
DROP TABLE workspace_activity;
