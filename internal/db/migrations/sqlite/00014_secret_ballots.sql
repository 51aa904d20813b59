-- +goose NO TRANSACTION
-- Secret ballots that stay secret (see the PostgreSQL migration of the same
-- number). SQLite has no roles: nothing keeps a reader of the file from
-- the ballot rows, so there the rules hold in Go: the committee module
-- never reads an individual secret ballot, counts a secret poll only once
-- it is closed and has at least 3 ballots, and then only through one
-- aggregate query (counts per choice and per option).
--
-- Secret polls count one ballot per person: existing weighted secret
-- ballots are set to weight 1, and a trigger refuses any other weight.
-- Annulment: polls gains the state 'annulled' with its time, author and
-- reason; SQLite cannot change a CHECK constraint, so polls is rebuilt
-- (foreign keys off, outside goose's transaction, in one transaction of
-- its own). Existing secret polls with fewer than 3 ballots lose their
-- stored result; published ones are annulled (annulled_by NULL: by the system).

-- +goose Up
PRAGMA foreign_keys = OFF;

BEGIN IMMEDIATE;

CREATE TABLE polls_new (
    tenant_id          TEXT NOT NULL,
    id                 TEXT NOT NULL,
    committee_id       TEXT NOT NULL,
    -- Both set for a poll in session, both NULL for a written procedure.
    meeting_id         TEXT,
    agenda_item_id     TEXT,
    title              TEXT NOT NULL CHECK (length(title) BETWEEN 1 AND 500),
    kind               TEXT NOT NULL CHECK (kind IN ('named', 'secret')),
    method             TEXT NOT NULL CHECK (method IN ('yes_no_abstain', 'choice')),
    seats              INTEGER NOT NULL DEFAULT 1 CHECK (seats BETWEEN 1 AND 100),
    majority           TEXT NOT NULL CHECK (majority IN ('simple', 'absolute', 'two_thirds', 'custom')),
    majority_num       INTEGER,
    majority_den       INTEGER,
    majority_inclusive INTEGER CHECK (majority_inclusive IN (0, 1)),
    base               TEXT NOT NULL CHECK (base IN ('cast', 'present', 'members')),
    state              TEXT NOT NULL CHECK (state IN ('draft', 'open', 'closed', 'published', 'annulled')),
    -- Written procedures only: ballots are refused from the deadline on.
    deadline           DATETIME,
    opened_at          DATETIME,
    closed_at          DATETIME,
    -- NULL when the deadline closed it.
    closed_by          TEXT,
    published_at       DATETIME,
    created_at         DATETIME NOT NULL,
    created_by         TEXT NOT NULL,
    annulled_at        DATETIME,
    -- NULL for an annulment by the system (this migration).
    annulled_by        TEXT,
    annul_reason       TEXT CHECK (length(annul_reason) BETWEEN 1 AND 2000),
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, committee_id) REFERENCES committees (tenant_id, id),
    FOREIGN KEY (tenant_id, meeting_id) REFERENCES meetings (tenant_id, id),
    FOREIGN KEY (tenant_id, agenda_item_id) REFERENCES agenda_items (tenant_id, id),
    FOREIGN KEY (tenant_id, created_by) REFERENCES memberships (tenant_id, id),
    FOREIGN KEY (tenant_id, closed_by) REFERENCES memberships (tenant_id, id),
    FOREIGN KEY (tenant_id, annulled_by) REFERENCES memberships (tenant_id, id),
    CHECK ((meeting_id IS NULL) = (agenda_item_id IS NULL)),
    CHECK ((meeting_id IS NULL) = (deadline IS NOT NULL)),
    CHECK ((majority = 'custom') = (majority_num IS NOT NULL AND majority_den IS NOT NULL AND majority_inclusive IS NOT NULL)),
    CHECK (majority_num IS NULL OR (majority_num >= 1 AND majority_den >= majority_num)),
    CHECK ((state = 'annulled') = (annulled_at IS NOT NULL AND annul_reason IS NOT NULL))
);

INSERT INTO polls_new (tenant_id, id, committee_id, meeting_id, agenda_item_id, title, kind, method, seats, majority, majority_num,
    majority_den, majority_inclusive, base, state, deadline, opened_at, closed_at, closed_by, published_at, created_at, created_by)
SELECT tenant_id, id, committee_id, meeting_id, agenda_item_id, title, kind, method, seats, majority, majority_num,
    majority_den, majority_inclusive, base, state, deadline, opened_at, closed_at, closed_by, published_at, created_at, created_by
FROM polls;

DROP TABLE polls;
ALTER TABLE polls_new RENAME TO polls;
CREATE INDEX polls_committee ON polls (tenant_id, committee_id, created_at);
CREATE INDEX polls_item ON polls (tenant_id, agenda_item_id) WHERE agenda_item_id IS NOT NULL;
CREATE INDEX polls_written_open ON polls (tenant_id, deadline) WHERE deadline IS NOT NULL AND state = 'open';

DROP TRIGGER secret_ballots_immutable;
UPDATE secret_ballots SET weight = 1 WHERE weight <> 1;
-- +goose StatementBegin
CREATE TRIGGER secret_ballots_immutable BEFORE UPDATE ON secret_ballots
BEGIN
    SELECT RAISE(ABORT, 'secret_ballots rows never change');
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER secret_ballots_one_per_person BEFORE INSERT ON secret_ballots
WHEN NEW.weight <> 1
BEGIN
    SELECT RAISE(ABORT, 'a secret ballot counts one per person');
END;
-- +goose StatementEnd

DROP TRIGGER poll_results_kept;
DELETE FROM poll_results WHERE EXISTS (SELECT 1 FROM polls p
    WHERE p.tenant_id = poll_results.tenant_id AND p.id = poll_results.poll_id AND p.kind = 'secret'
      AND (SELECT count(*) FROM poll_receipts r WHERE r.tenant_id = p.tenant_id AND r.poll_id = p.id) < 3);
-- +goose StatementBegin
CREATE TRIGGER poll_results_kept BEFORE DELETE ON poll_results
BEGIN
    SELECT RAISE(ABORT, 'poll_results rows are never deleted');
END;
-- +goose StatementEnd

UPDATE polls SET state = 'annulled', annulled_at = strftime('%Y-%m-%d %H:%M:%f', 'now'), annul_reason = 'zu wenige Stimmen für eine geheime Auswertung'
WHERE kind = 'secret' AND state = 'published'
  AND (SELECT count(*) FROM poll_receipts r WHERE r.tenant_id = polls.tenant_id AND r.poll_id = polls.id) < 3;

COMMIT;

PRAGMA foreign_keys = ON;

-- +goose Down
PRAGMA foreign_keys = OFF;

BEGIN IMMEDIATE;

DROP TRIGGER secret_ballots_one_per_person;

CREATE TABLE polls_old (
    tenant_id          TEXT NOT NULL,
    id                 TEXT NOT NULL,
    committee_id       TEXT NOT NULL,
    meeting_id         TEXT,
    agenda_item_id     TEXT,
    title              TEXT NOT NULL CHECK (length(title) BETWEEN 1 AND 500),
    kind               TEXT NOT NULL CHECK (kind IN ('named', 'secret')),
    method             TEXT NOT NULL CHECK (method IN ('yes_no_abstain', 'choice')),
    seats              INTEGER NOT NULL DEFAULT 1 CHECK (seats BETWEEN 1 AND 100),
    majority           TEXT NOT NULL CHECK (majority IN ('simple', 'absolute', 'two_thirds', 'custom')),
    majority_num       INTEGER,
    majority_den       INTEGER,
    majority_inclusive INTEGER CHECK (majority_inclusive IN (0, 1)),
    base               TEXT NOT NULL CHECK (base IN ('cast', 'present', 'members')),
    state              TEXT NOT NULL CHECK (state IN ('draft', 'open', 'closed', 'published')),
    deadline           DATETIME,
    opened_at          DATETIME,
    closed_at          DATETIME,
    closed_by          TEXT,
    published_at       DATETIME,
    created_at         DATETIME NOT NULL,
    created_by         TEXT NOT NULL,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, committee_id) REFERENCES committees (tenant_id, id),
    FOREIGN KEY (tenant_id, meeting_id) REFERENCES meetings (tenant_id, id),
    FOREIGN KEY (tenant_id, agenda_item_id) REFERENCES agenda_items (tenant_id, id),
    FOREIGN KEY (tenant_id, created_by) REFERENCES memberships (tenant_id, id),
    FOREIGN KEY (tenant_id, closed_by) REFERENCES memberships (tenant_id, id),
    CHECK ((meeting_id IS NULL) = (agenda_item_id IS NULL)),
    CHECK ((meeting_id IS NULL) = (deadline IS NOT NULL)),
    CHECK ((majority = 'custom') = (majority_num IS NOT NULL AND majority_den IS NOT NULL AND majority_inclusive IS NOT NULL)),
    CHECK (majority_num IS NULL OR (majority_num >= 1 AND majority_den >= majority_num))
);
INSERT INTO polls_old SELECT tenant_id, id, committee_id, meeting_id, agenda_item_id, title, kind, method, seats, majority, majority_num,
    majority_den, majority_inclusive, base, CASE state WHEN 'annulled' THEN 'closed' ELSE state END, deadline, opened_at, closed_at,
    closed_by, published_at, created_at, created_by
FROM polls;
DROP TABLE polls;
ALTER TABLE polls_old RENAME TO polls;
CREATE INDEX polls_committee ON polls (tenant_id, committee_id, created_at);
CREATE INDEX polls_item ON polls (tenant_id, agenda_item_id) WHERE agenda_item_id IS NOT NULL;
CREATE INDEX polls_written_open ON polls (tenant_id, deadline) WHERE deadline IS NOT NULL AND state = 'open';

COMMIT;

PRAGMA foreign_keys = ON;
