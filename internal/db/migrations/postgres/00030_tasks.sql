-- Tasks (issue 13, parts 1 to 3): every task lives in a workspace and is
-- seen by its members only (guests too); who writes follows the workspace
-- membership (owners and members write, readers read, an archived
-- workspace is read-only). Statuses are per workspace: five built in
-- (builtin names their meaning, which the rules read: a task of category
-- done or cancelled is closed) that may be renamed, and more that each
-- belong to one of the five categories. A task's due date is a calendar
-- day (due_on, with an optional time), given directly or as working days
-- after a day (due_from + due_workdays, counted with the tenant's federal
-- state's holidays). attention_on is the next day the reminder run must
-- look at the task (NULL: nothing pending); the run reads that index,
-- never every task. task_reminders records each reminder, overdue notice
-- and escalation sent, once per task, kind, recipient and due date, in the
-- transaction that emits the notification: a crash between the two
-- leaves neither, and a second instance finds the row and sends nothing.

-- +goose Up
CREATE TABLE task_areas (
    tenant_id           uuid NOT NULL,
    workspace_id        uuid NOT NULL,
    escalation_workdays integer NOT NULL DEFAULT 3 CHECK (escalation_workdays BETWEEN 1 AND 60),
    version             bigint NOT NULL DEFAULT 1 CHECK (version > 0),
    updated_at          timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, workspace_id),
    FOREIGN KEY (tenant_id, workspace_id) REFERENCES workspaces (tenant_id, id) ON DELETE CASCADE
);

CREATE TABLE task_statuses (
    tenant_id    uuid NOT NULL,
    id           uuid NOT NULL,
    workspace_id uuid NOT NULL,
    name         text NOT NULL CHECK (length(name) BETWEEN 1 AND 60),
    category     text NOT NULL CHECK (category IN ('open', 'in_progress', 'waiting', 'done', 'cancelled')),
    builtin      text CHECK (builtin IN ('open', 'in_progress', 'waiting', 'done', 'cancelled')),
    position     integer NOT NULL CHECK (position >= 0),
    created_at   timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, workspace_id) REFERENCES workspaces (tenant_id, id) ON DELETE CASCADE
);
CREATE UNIQUE INDEX task_statuses_builtin ON task_statuses (tenant_id, workspace_id, builtin) WHERE builtin IS NOT NULL;
CREATE INDEX task_statuses_workspace ON task_statuses (tenant_id, workspace_id, position);

CREATE TABLE tasks (
    tenant_id    uuid NOT NULL,
    id           uuid NOT NULL,
    workspace_id uuid NOT NULL,
    parent_id    uuid,
    title        text NOT NULL CHECK (length(title) BETWEEN 1 AND 300),
    description  text NOT NULL DEFAULT '' CHECK (length(description) <= 50000),
    status_id    uuid NOT NULL,
    category     text NOT NULL CHECK (category IN ('open', 'in_progress', 'waiting', 'done', 'cancelled')),
    priority     integer NOT NULL DEFAULT 2 CHECK (priority BETWEEN 1 AND 4),
    start_on     text CHECK (length(start_on) = 10),
    due_on       text CHECK (length(due_on) = 10),
    due_time     text CHECK (length(due_time) = 5),
    due_from     text CHECK (length(due_from) = 10),
    due_workdays integer CHECK (due_workdays BETWEEN 1 AND 3650),
    milestone    boolean NOT NULL DEFAULT false,
    rank         double precision NOT NULL DEFAULT 0,
    document_id  uuid,
    attention_on text CHECK (length(attention_on) = 10),
    version      bigint NOT NULL DEFAULT 1 CHECK (version > 0),
    created_at   timestamptz NOT NULL,
    created_by   uuid NOT NULL,
    updated_at   timestamptz NOT NULL,
    closed_at    timestamptz,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, workspace_id) REFERENCES workspaces (tenant_id, id) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, parent_id) REFERENCES tasks (tenant_id, id) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, status_id) REFERENCES task_statuses (tenant_id, id)
);
CREATE INDEX tasks_board ON tasks (tenant_id, workspace_id, status_id, rank, id);
CREATE INDEX tasks_due ON tasks (tenant_id, workspace_id, due_on, id);
CREATE INDEX tasks_parent ON tasks (tenant_id, parent_id) WHERE parent_id IS NOT NULL;
CREATE INDEX tasks_document ON tasks (tenant_id, document_id) WHERE document_id IS NOT NULL;
CREATE INDEX tasks_attention ON tasks (tenant_id, attention_on, id) WHERE attention_on IS NOT NULL;

CREATE TABLE task_assignees (
    tenant_id     uuid NOT NULL,
    id            uuid NOT NULL,
    task_id       uuid NOT NULL,
    -- The assignee: a membership, or a group (exactly one of the two).
    membership_id uuid,
    group_id      uuid,
    created_at    timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, id),
    CHECK ((membership_id IS NULL) <> (group_id IS NULL)),
    FOREIGN KEY (tenant_id, task_id) REFERENCES tasks (tenant_id, id) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, membership_id) REFERENCES memberships (tenant_id, id) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, group_id) REFERENCES groups (tenant_id, id) ON DELETE CASCADE
);
CREATE UNIQUE INDEX task_assignees_person ON task_assignees (tenant_id, task_id, membership_id) WHERE membership_id IS NOT NULL;
CREATE UNIQUE INDEX task_assignees_group ON task_assignees (tenant_id, task_id, group_id) WHERE group_id IS NOT NULL;
CREATE INDEX task_assignees_mine ON task_assignees (tenant_id, membership_id, task_id) WHERE membership_id IS NOT NULL;
CREATE INDEX task_assignees_groups ON task_assignees (tenant_id, group_id, task_id) WHERE group_id IS NOT NULL;

CREATE TABLE task_watchers (
    tenant_id     uuid NOT NULL,
    task_id       uuid NOT NULL,
    membership_id uuid NOT NULL,
    created_at    timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, task_id, membership_id),
    FOREIGN KEY (tenant_id, task_id) REFERENCES tasks (tenant_id, id) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, membership_id) REFERENCES memberships (tenant_id, id) ON DELETE CASCADE
);

CREATE TABLE task_labels (
    tenant_id uuid NOT NULL,
    task_id   uuid NOT NULL,
    label     text NOT NULL CHECK (length(label) BETWEEN 1 AND 50),
    PRIMARY KEY (tenant_id, task_id, label),
    FOREIGN KEY (tenant_id, task_id) REFERENCES tasks (tenant_id, id) ON DELETE CASCADE
);

CREATE TABLE task_links (
    tenant_id  uuid NOT NULL,
    from_id    uuid NOT NULL,
    to_id      uuid NOT NULL,
    -- blocks: from blocks to (to is blocked by from); relates: either way.
    kind       text NOT NULL CHECK (kind IN ('blocks', 'relates')),
    created_at timestamptz NOT NULL,
    created_by uuid NOT NULL,
    PRIMARY KEY (tenant_id, from_id, to_id),
    CHECK (from_id <> to_id),
    FOREIGN KEY (tenant_id, from_id) REFERENCES tasks (tenant_id, id) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, to_id) REFERENCES tasks (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX task_links_to ON task_links (tenant_id, to_id);

CREATE TABLE task_documents (
    tenant_id   uuid NOT NULL,
    task_id     uuid NOT NULL,
    document_id uuid NOT NULL,
    added_by    uuid NOT NULL,
    created_at  timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, task_id, document_id),
    FOREIGN KEY (tenant_id, task_id) REFERENCES tasks (tenant_id, id) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, document_id) REFERENCES documents (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX task_documents_document ON task_documents (tenant_id, document_id);

CREATE TABLE task_comments (
    tenant_id  uuid NOT NULL,
    id         uuid NOT NULL,
    task_id    uuid NOT NULL,
    author_id  uuid NOT NULL,
    body       text NOT NULL CHECK (length(body) BETWEEN 1 AND 20000),
    mentions   text NOT NULL DEFAULT '[]' CHECK (length(mentions) <= 10000),
    created_at timestamptz NOT NULL,
    edited_at  timestamptz,
    deleted_at timestamptz,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, task_id) REFERENCES tasks (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX task_comments_task ON task_comments (tenant_id, task_id, id);

CREATE TABLE task_history (
    tenant_id  uuid NOT NULL,
    id         uuid NOT NULL,
    task_id    uuid NOT NULL,
    actor_id   uuid,
    field      text NOT NULL CHECK (length(field) BETWEEN 1 AND 60),
    old_value  text NOT NULL DEFAULT '' CHECK (length(old_value) <= 1000),
    new_value  text NOT NULL DEFAULT '' CHECK (length(new_value) <= 1000),
    created_at timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, task_id) REFERENCES tasks (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX task_history_task ON task_history (tenant_id, task_id, id);

CREATE TABLE checklist_templates (
    tenant_id    uuid NOT NULL,
    id           uuid NOT NULL,
    -- NULL: a template of the whole tenant (admins keep it); else of one workspace.
    workspace_id uuid,
    name         text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    version      bigint NOT NULL DEFAULT 1 CHECK (version > 0),
    archived     boolean NOT NULL DEFAULT false,
    created_at   timestamptz NOT NULL,
    created_by   uuid NOT NULL,
    updated_at   timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, workspace_id) REFERENCES workspaces (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX checklist_templates_scope ON checklist_templates (tenant_id, workspace_id, name);

-- Every saved state of a template; a task's checklist names the version it was made from.
CREATE TABLE checklist_template_versions (
    tenant_id   uuid NOT NULL,
    template_id uuid NOT NULL,
    version     bigint NOT NULL CHECK (version > 0),
    name        text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    items       text NOT NULL CHECK (length(items) <= 200000),
    created_at  timestamptz NOT NULL,
    created_by  uuid NOT NULL,
    PRIMARY KEY (tenant_id, template_id, version),
    FOREIGN KEY (tenant_id, template_id) REFERENCES checklist_templates (tenant_id, id) ON DELETE CASCADE
);

CREATE TABLE task_checklists (
    tenant_id        uuid NOT NULL,
    id               uuid NOT NULL,
    task_id          uuid NOT NULL,
    title            text NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
    position         integer NOT NULL CHECK (position >= 0),
    template_id      uuid,
    template_version bigint,
    created_at       timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, task_id) REFERENCES tasks (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX task_checklists_task ON task_checklists (tenant_id, task_id, position);

CREATE TABLE task_checklist_items (
    tenant_id    uuid NOT NULL,
    id           uuid NOT NULL,
    checklist_id uuid NOT NULL,
    task_id      uuid NOT NULL,
    text         text NOT NULL CHECK (length(text) BETWEEN 1 AND 500),
    required     boolean NOT NULL DEFAULT false,
    position     integer NOT NULL CHECK (position >= 0),
    done_at      timestamptz,
    done_by      uuid,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, checklist_id) REFERENCES task_checklists (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX task_checklist_items_list ON task_checklist_items (tenant_id, checklist_id, position);
CREATE INDEX task_checklist_items_task ON task_checklist_items (tenant_id, task_id);

-- A person's reminder lead: how many days before a due date they are reminded.
CREATE TABLE task_reminder_settings (
    tenant_id     uuid NOT NULL,
    membership_id uuid NOT NULL,
    lead_days     integer NOT NULL CHECK (lead_days IN (1, 3, 7)),
    updated_at    timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, membership_id),
    FOREIGN KEY (tenant_id, membership_id) REFERENCES memberships (tenant_id, id) ON DELETE CASCADE
);

CREATE TABLE task_reminders (
    tenant_id    uuid NOT NULL,
    task_id      uuid NOT NULL,
    kind         text NOT NULL CHECK (kind IN ('reminder', 'overdue', 'escalation')),
    recipient_id uuid NOT NULL,
    due_on       text NOT NULL CHECK (length(due_on) = 10),
    sent_at      timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, task_id, kind, recipient_id, due_on),
    FOREIGN KEY (tenant_id, task_id) REFERENCES tasks (tenant_id, id) ON DELETE CASCADE
);

ALTER TABLE task_areas ENABLE ROW LEVEL SECURITY;
ALTER TABLE task_areas FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON task_areas
    USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid)
    WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);
ALTER TABLE task_statuses ENABLE ROW LEVEL SECURITY;
ALTER TABLE task_statuses FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON task_statuses
    USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid)
    WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);
ALTER TABLE tasks ENABLE ROW LEVEL SECURITY;
ALTER TABLE tasks FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON tasks
    USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid)
    WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);
ALTER TABLE task_assignees ENABLE ROW LEVEL SECURITY;
ALTER TABLE task_assignees FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON task_assignees
    USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid)
    WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);
ALTER TABLE task_watchers ENABLE ROW LEVEL SECURITY;
ALTER TABLE task_watchers FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON task_watchers
    USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid)
    WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);
ALTER TABLE task_labels ENABLE ROW LEVEL SECURITY;
ALTER TABLE task_labels FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON task_labels
    USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid)
    WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);
ALTER TABLE task_links ENABLE ROW LEVEL SECURITY;
ALTER TABLE task_links FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON task_links
    USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid)
    WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);
ALTER TABLE task_documents ENABLE ROW LEVEL SECURITY;
ALTER TABLE task_documents FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON task_documents
    USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid)
    WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);
ALTER TABLE task_comments ENABLE ROW LEVEL SECURITY;
ALTER TABLE task_comments FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON task_comments
    USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid)
    WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);
ALTER TABLE task_history ENABLE ROW LEVEL SECURITY;
ALTER TABLE task_history FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON task_history
    USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid)
    WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);
ALTER TABLE checklist_templates ENABLE ROW LEVEL SECURITY;
ALTER TABLE checklist_templates FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON checklist_templates
    USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid)
    WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);
ALTER TABLE checklist_template_versions ENABLE ROW LEVEL SECURITY;
ALTER TABLE checklist_template_versions FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON checklist_template_versions
    USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid)
    WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);
ALTER TABLE task_checklists ENABLE ROW LEVEL SECURITY;
ALTER TABLE task_checklists FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON task_checklists
    USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid)
    WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);
ALTER TABLE task_checklist_items ENABLE ROW LEVEL SECURITY;
ALTER TABLE task_checklist_items FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON task_checklist_items
    USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid)
    WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);
ALTER TABLE task_reminder_settings ENABLE ROW LEVEL SECURITY;
ALTER TABLE task_reminder_settings FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON task_reminder_settings
    USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid)
    WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);
ALTER TABLE task_reminders ENABLE ROW LEVEL SECURITY;
ALTER TABLE task_reminders FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON task_reminders
    USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid)
    WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);

-- +goose Down
DROP TABLE task_reminders;
DROP TABLE task_reminder_settings;
DROP TABLE task_checklist_items;
DROP TABLE task_checklists;
DROP TABLE checklist_template_versions;
DROP TABLE checklist_templates;
DROP TABLE task_history;
DROP TABLE task_comments;
DROP TABLE task_documents;
DROP TABLE task_links;
DROP TABLE task_labels;
DROP TABLE task_watchers;
DROP TABLE task_assignees;
DROP TABLE tasks;
DROP TABLE task_statuses;
DROP TABLE task_areas;
