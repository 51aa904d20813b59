-- Projects (issue 13, part 5): a workspace marked as a project carries a
-- plan: its lead (a member), its phase, start and end, and dated status
-- reports (a traffic light with a text) whose history is kept. Milestones
-- are its tasks flagged as milestones; progress is read from its tasks.
-- Unmarking a project keeps the row (active false) and its reports.

-- +goose Up
CREATE TABLE projects (
    tenant_id    TEXT NOT NULL,
    workspace_id TEXT NOT NULL,
    active       INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    lead_id      TEXT,
    phase        TEXT NOT NULL DEFAULT '' CHECK (length(phase) <= 100),
    starts_on    TEXT CHECK (length(starts_on) = 10),
    ends_on      TEXT CHECK (length(ends_on) = 10),
    version      INTEGER NOT NULL DEFAULT 1 CHECK (version > 0),
    created_at   DATETIME NOT NULL,
    created_by   TEXT NOT NULL,
    updated_at   DATETIME NOT NULL,
    PRIMARY KEY (tenant_id, workspace_id),
    FOREIGN KEY (tenant_id, workspace_id) REFERENCES workspaces (tenant_id, id) ON DELETE CASCADE
);

CREATE TABLE project_reports (
    tenant_id    TEXT NOT NULL,
    id           TEXT NOT NULL,
    workspace_id TEXT NOT NULL,
    light        TEXT NOT NULL CHECK (light IN ('green', 'yellow', 'red')),
    text         TEXT NOT NULL CHECK (length(text) BETWEEN 1 AND 10000),
    reported_on  TEXT NOT NULL CHECK (length(reported_on) = 10),
    created_at   DATETIME NOT NULL,
    created_by   TEXT NOT NULL,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, workspace_id) REFERENCES projects (tenant_id, workspace_id) ON DELETE CASCADE
);
CREATE INDEX project_reports_project ON project_reports (tenant_id, workspace_id, id);

-- +goose Down
DROP TABLE project_reports;
DROP TABLE projects;
