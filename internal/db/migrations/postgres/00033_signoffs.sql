-- Four-eyes sign-off (Mitzeichnung, issue 13 part 6). A request asks for
-- the sign-off of a task or of one revision of a document (document_id
-- with revision_id: the document's current revision when asked), by
-- steps in order (position 0..9), each naming a person (membership_id)
-- or a role as a tenant group (group_id: any one member decides, and
-- decided_by records who). mode sequence: only the first pending step
-- may be decided; parallel: any. The requester never decides a step, and
-- nobody decides two steps of one request (signoff_steps_decider). At
-- most one request per task and per document runs at a time. A request
-- ends approved (every step approved), returned (one step returned),
-- withdrawn (by its requester) or superseded: a new revision of a
-- document whose current revision is signed off or in sign-off is only
-- accepted with the sign-off restarted, which supersedes the running
-- request and starts a new one with the same steps on the new revision
-- (restarted_from), in the upload's transaction. The approved requests
-- of a revision are what marks it signed off. Signers and deciders are
-- kept as ids without foreign keys, like an audit trail: deleting a
-- group must not make a step vanish.

-- +goose Up
CREATE TABLE signoff_requests (
    tenant_id      uuid NOT NULL,
    id             uuid NOT NULL,
    task_id        uuid,
    document_id    uuid,
    revision_id    uuid,
    mode           text NOT NULL CHECK (mode IN ('sequence', 'parallel')),
    note           text NOT NULL DEFAULT '' CHECK (length(note) <= 2000),
    state          text NOT NULL CHECK (state IN ('running', 'approved', 'returned', 'withdrawn', 'superseded')),
    requested_by   uuid NOT NULL,
    restarted_from uuid,
    version        bigint NOT NULL DEFAULT 1 CHECK (version > 0),
    created_at     timestamptz NOT NULL,
    closed_at      timestamptz,
    closed_by      uuid,
    PRIMARY KEY (tenant_id, id),
    CHECK ((task_id IS NULL) <> (document_id IS NULL)),
    CHECK ((document_id IS NULL) = (revision_id IS NULL)),
    CHECK ((state = 'running') = (closed_at IS NULL)),
    FOREIGN KEY (tenant_id, task_id) REFERENCES tasks (tenant_id, id) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, document_id) REFERENCES documents (tenant_id, id) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, revision_id) REFERENCES document_revisions (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX signoff_requests_task ON signoff_requests (tenant_id, task_id, id) WHERE task_id IS NOT NULL;
CREATE INDEX signoff_requests_document ON signoff_requests (tenant_id, document_id, id) WHERE document_id IS NOT NULL;
CREATE INDEX signoff_requests_revision ON signoff_requests (tenant_id, revision_id, state) WHERE revision_id IS NOT NULL;
CREATE UNIQUE INDEX signoff_requests_running_task ON signoff_requests (tenant_id, task_id) WHERE state = 'running' AND task_id IS NOT NULL;
CREATE UNIQUE INDEX signoff_requests_running_document ON signoff_requests (tenant_id, document_id) WHERE state = 'running' AND document_id IS NOT NULL;

CREATE TABLE signoff_steps (
    tenant_id     uuid NOT NULL,
    id            uuid NOT NULL,
    request_id    uuid NOT NULL,
    position      integer NOT NULL CHECK (position BETWEEN 0 AND 9),
    -- The signer: a person, or a group whose members may decide (exactly one).
    membership_id uuid,
    group_id      uuid,
    state         text NOT NULL CHECK (state IN ('pending', 'approved', 'returned', 'cancelled')),
    decided_by    uuid,
    decided_at    timestamptz,
    comment       text NOT NULL DEFAULT '' CHECK (length(comment) <= 2000),
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, request_id, position),
    CHECK ((membership_id IS NULL) <> (group_id IS NULL)),
    CHECK ((state IN ('approved', 'returned')) = (decided_by IS NOT NULL)),
    CHECK ((decided_by IS NULL) = (decided_at IS NULL)),
    FOREIGN KEY (tenant_id, request_id) REFERENCES signoff_requests (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX signoff_steps_person ON signoff_steps (tenant_id, membership_id, request_id) WHERE membership_id IS NOT NULL AND state = 'pending';
CREATE INDEX signoff_steps_group ON signoff_steps (tenant_id, group_id, request_id) WHERE group_id IS NOT NULL AND state = 'pending';
CREATE UNIQUE INDEX signoff_steps_decider ON signoff_steps (tenant_id, request_id, decided_by) WHERE decided_by IS NOT NULL;

ALTER TABLE signoff_requests ENABLE ROW LEVEL SECURITY;
ALTER TABLE signoff_requests FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON signoff_requests
    USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid)
    WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);
ALTER TABLE signoff_steps ENABLE ROW LEVEL SECURITY;
ALTER TABLE signoff_steps FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON signoff_steps
    USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid)
    WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);

-- +goose Down
DROP TABLE signoff_steps;
DROP TABLE signoff_requests;
