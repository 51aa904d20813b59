-- Text extraction runs in a child process with memory, CPU-time, time and
-- output limits. A revision whose file exceeds one is "not_extractable":
-- tried once, never again (the same file hits the same limit), and shown
-- as such beside the revision. SQLite cannot change a CHECK constraint:
-- the table is rebuilt (no other table refers to it).

-- +goose Up
CREATE TABLE extraction_jobs_new (
    tenant_id   TEXT NOT NULL,
    revision_id TEXT NOT NULL,
    document_id TEXT NOT NULL,
    state       TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'running', 'done', 'failed', 'skipped', 'not_extractable')),
    attempts    INTEGER NOT NULL DEFAULT 0,
    run_after   DATETIME NOT NULL,
    last_error  TEXT NOT NULL DEFAULT '',
    updated_at  DATETIME NOT NULL,
    PRIMARY KEY (tenant_id, revision_id),
    FOREIGN KEY (tenant_id, revision_id) REFERENCES document_revisions (tenant_id, id) ON DELETE CASCADE
);
INSERT INTO extraction_jobs_new (tenant_id, revision_id, document_id, state, attempts, run_after, last_error, updated_at)
    SELECT tenant_id, revision_id, document_id, state, attempts, run_after, last_error, updated_at FROM extraction_jobs;
DROP TABLE extraction_jobs;
ALTER TABLE extraction_jobs_new RENAME TO extraction_jobs;
CREATE INDEX extraction_jobs_due ON extraction_jobs (tenant_id, run_after) WHERE state IN ('pending', 'running');

-- +goose Down
CREATE TABLE extraction_jobs_old (
    tenant_id   TEXT NOT NULL,
    revision_id TEXT NOT NULL,
    document_id TEXT NOT NULL,
    state       TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'running', 'done', 'failed', 'skipped')),
    attempts    INTEGER NOT NULL DEFAULT 0,
    run_after   DATETIME NOT NULL,
    last_error  TEXT NOT NULL DEFAULT '',
    updated_at  DATETIME NOT NULL,
    PRIMARY KEY (tenant_id, revision_id),
    FOREIGN KEY (tenant_id, revision_id) REFERENCES document_revisions (tenant_id, id) ON DELETE CASCADE
);
INSERT INTO extraction_jobs_old (tenant_id, revision_id, document_id, state, attempts, run_after, last_error, updated_at)
    SELECT tenant_id, revision_id, document_id, CASE state WHEN 'not_extractable' THEN 'failed' ELSE state END,
           attempts, run_after, last_error, updated_at FROM extraction_jobs;
DROP TABLE extraction_jobs;
ALTER TABLE extraction_jobs_old RENAME TO extraction_jobs;
CREATE INDEX extraction_jobs_due ON extraction_jobs (tenant_id, run_after) WHERE state IN ('pending', 'running');
