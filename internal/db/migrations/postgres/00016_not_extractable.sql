-- Text extraction runs in a child process with memory, CPU-time, time and
-- output limits. A revision whose file exceeds one is "not_extractable":
-- tried once, never again (the same file hits the same limit), and shown
-- as such beside the revision.

-- +goose Up
ALTER TABLE extraction_jobs DROP CONSTRAINT extraction_jobs_state_check;
ALTER TABLE extraction_jobs ADD CONSTRAINT extraction_jobs_state_check
    CHECK (state IN ('pending', 'running', 'done', 'failed', 'skipped', 'not_extractable'));

-- +goose Down
UPDATE extraction_jobs SET state = 'failed' WHERE state = 'not_extractable';
ALTER TABLE extraction_jobs DROP CONSTRAINT extraction_jobs_state_check;
ALTER TABLE extraction_jobs ADD CONSTRAINT extraction_jobs_state_check
    CHECK (state IN ('pending', 'running', 'done', 'failed', 'skipped'));
