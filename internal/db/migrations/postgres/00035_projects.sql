-- Projects (issue 13, part 5): a workspace marked as a project carries a
-- plan: its lead (a member), its phase, start and end, and dated status
-- reports (a traffic light with a text) whose history is kept. Milestones
-- are its tasks flagged as milestones; progress is read from its tasks.
-- Unmarking a project keeps the row (active false) and its reports.

-- +goose Up
CREATE TABLE projects (
    tenant_id    uuid NOT NULL,
    workspace_id uuid NOT NULL,
    active       boolean NOT NULL DEFAULT true,
    lead_id      uuid,
    phase        text NOT NULL DEFAULT '' CHECK (length(phase) <= 100),
    starts_on    text CHECK (length(starts_on) = 10),
    ends_on      text CHECK (length(ends_on) = 10),
    version      bigint NOT NULL DEFAULT 1 CHECK (version > 0),
    created_at   timestamptz NOT NULL,
    created_by   uuid NOT NULL,
    updated_at   timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, workspace_id),
    FOREIGN KEY (tenant_id, workspace_id) REFERENCES workspaces (tenant_id, id) ON DELETE CASCADE
);

CREATE TABLE project_reports (
    tenant_id    uuid NOT NULL,
    id           uuid NOT NULL,
    workspace_id uuid NOT NULL,
    light        text NOT NULL CHECK (light IN ('green', 'yellow', 'red')),
    text         text NOT NULL CHECK (length(text) BETWEEN 1 AND 10000),
    reported_on  text NOT NULL CHECK (length(reported_on) = 10),
    created_at   timestamptz NOT NULL,
    created_by   uuid NOT NULL,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, workspace_id) REFERENCES projects (tenant_id, workspace_id) ON DELETE CASCADE
);
CREATE INDEX project_reports_project ON project_reports (tenant_id, workspace_id, id);

ALTER TABLE projects ENABLE ROW LEVEL SECURITY;
ALTER TABLE projects FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON projects
    USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid)
    WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);
ALTER TABLE project_reports ENABLE ROW LEVEL SECURITY;
ALTER TABLE project_reports FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON project_reports
    USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid)
    WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);

-- +goose Down
DROP TABLE project_reports;
DROP TABLE projects;
