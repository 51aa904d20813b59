-- Committees (Gremien), their meetings and electronic voting: members with
-- roles, voting rights, weights and terms; meetings with a state machine,
-- an ordered agenda, session papers frozen at invitation, attendance, a
-- discussion thread and conflict-of-interest declarations per item;
-- delegations; polls in session or as written procedures (Umlaufverfahren).
--
-- One ballot per voter: poll_receipts is UNIQUE per (poll, voter) and a
-- receipt is written by one INSERT ... SELECT that also checks that the
-- poll is open and the voter entitled. A named ballot (poll_votes) names
-- its voter; a secret ballot (secret_ballots) has no voter, no time and a
-- random id, and is written in the receipt's transaction. poll_results is
-- written once, when the poll closes. Receipts, ballots and results are
-- never updated: the serving role may only read and insert them (see
-- immutableTables in db/migrate.go).
--
-- Every table is tenant-owned: tenant_id NOT NULL, first in every key,
-- composite foreign keys including tenant_id. (SQLite has no row-level
-- security; the tenant-scoped handle and explicit tenant_id predicates
-- filter every query. Nor has it grants: triggers refuse updates of
-- receipts, ballots and results instead.)

-- +goose Up
CREATE TABLE committees (
    tenant_id          TEXT NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    id                 TEXT NOT NULL,
    name               TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    description        TEXT NOT NULL DEFAULT '' CHECK (length(description) <= 10000),
    -- Published through OParl.
    public             INTEGER NOT NULL DEFAULT 0 CHECK (public IN (0, 1)),
    -- Rules of procedure. Quorum: present voting weight compared with
    -- quorum_num/quorum_den of the voting weight ("more than" unless inclusive).
    quorum_num         INTEGER NOT NULL CHECK (quorum_num >= 1),
    quorum_den         INTEGER NOT NULL CHECK (quorum_den >= 1 AND quorum_num <= quorum_den),
    quorum_inclusive   INTEGER NOT NULL CHECK (quorum_inclusive IN (0, 1)),
    -- The default majority rule of its polls; the fraction is set for custom only.
    majority           TEXT NOT NULL CHECK (majority IN ('simple', 'absolute', 'two_thirds', 'custom')),
    majority_num       INTEGER,
    majority_den       INTEGER,
    majority_inclusive INTEGER CHECK (majority_inclusive IN (0, 1)),
    base               TEXT NOT NULL CHECK (base IN ('cast', 'present', 'members')),
    proxy_allowed      INTEGER NOT NULL DEFAULT 0 CHECK (proxy_allowed IN (0, 1)),
    created_at         DATETIME NOT NULL,
    created_by         TEXT NOT NULL,
    updated_at         DATETIME NOT NULL,
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, name),
    FOREIGN KEY (tenant_id, created_by) REFERENCES memberships (tenant_id, id),
    CHECK ((majority = 'custom') = (majority_num IS NOT NULL AND majority_den IS NOT NULL AND majority_inclusive IS NOT NULL)),
    CHECK (majority_num IS NULL OR (majority_num >= 1 AND majority_den >= majority_num))
);

CREATE TABLE committee_members (
    tenant_id     TEXT NOT NULL,
    id            TEXT NOT NULL,
    committee_id  TEXT NOT NULL,
    membership_id TEXT NOT NULL,
    role          TEXT NOT NULL CHECK (role IN ('chair', 'deputy_chair', 'secretary', 'member', 'deputy_member', 'advisory')),
    voting        INTEGER NOT NULL CHECK (voting IN (0, 1)),
    weight        INTEGER NOT NULL DEFAULT 1 CHECK (weight BETWEEN 1 AND 1000),
    -- The term: from term_start (inclusive) until term_end (exclusive; NULL: open).
    term_start    DATETIME NOT NULL,
    term_end      DATETIME,
    created_at    DATETIME NOT NULL,
    updated_at    DATETIME NOT NULL,
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, committee_id, membership_id),
    FOREIGN KEY (tenant_id, committee_id) REFERENCES committees (tenant_id, id) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, membership_id) REFERENCES memberships (tenant_id, id),
    CHECK (role <> 'advisory' OR voting = 0),
    CHECK (term_end IS NULL OR term_end > term_start)
);
CREATE INDEX committee_members_membership ON committee_members (tenant_id, membership_id);

CREATE TABLE meetings (
    tenant_id           TEXT NOT NULL,
    id                  TEXT NOT NULL,
    committee_id        TEXT NOT NULL,
    title               TEXT NOT NULL CHECK (length(title) BETWEEN 1 AND 500),
    starts_at           DATETIME NOT NULL,
    ends_at             DATETIME NOT NULL,
    place               TEXT NOT NULL DEFAULT '' CHECK (length(place) <= 500),
    online_url          TEXT NOT NULL DEFAULT '' CHECK (length(online_url) <= 2000),
    state               TEXT NOT NULL CHECK (state IN ('planned', 'invited', 'in_session', 'closed', 'minutes_approved')),
    invited_at          DATETIME,
    opened_at           DATETIME,
    closed_at           DATETIME,
    minutes_approved_at DATETIME,
    created_at          DATETIME NOT NULL,
    created_by          TEXT NOT NULL,
    updated_at          DATETIME NOT NULL,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, committee_id) REFERENCES committees (tenant_id, id) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, created_by) REFERENCES memberships (tenant_id, id),
    CHECK (ends_at > starts_at)
);
CREATE INDEX meetings_committee ON meetings (tenant_id, committee_id, starts_at, id);

CREATE TABLE agenda_items (
    tenant_id   TEXT NOT NULL,
    id          TEXT NOT NULL,
    meeting_id  TEXT NOT NULL,
    -- The order of the agenda; accepted items are numbered in this order.
    position    INTEGER NOT NULL CHECK (position > 0),
    title       TEXT NOT NULL CHECK (length(title) BETWEEN 1 AND 500),
    description TEXT NOT NULL DEFAULT '' CHECK (length(description) <= 10000),
    public      INTEGER NOT NULL CHECK (public IN (0, 1)),
    state       TEXT NOT NULL CHECK (state IN ('proposed', 'accepted', 'declined')),
    proposed_by TEXT NOT NULL,
    decided_by  TEXT,
    decided_at  DATETIME,
    created_at  DATETIME NOT NULL,
    updated_at  DATETIME NOT NULL,
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, meeting_id, position),
    FOREIGN KEY (tenant_id, meeting_id) REFERENCES meetings (tenant_id, id) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, proposed_by) REFERENCES memberships (tenant_id, id),
    FOREIGN KEY (tenant_id, decided_by) REFERENCES memberships (tenant_id, id),
    CHECK ((decided_at IS NULL) = (decided_by IS NULL))
);

-- A session paper links a document to an agenda item; revision_id is the
-- document's current revision when the invitation went out (or when the
-- paper was added after it).
CREATE TABLE meeting_papers (
    tenant_id      TEXT NOT NULL,
    id             TEXT NOT NULL,
    agenda_item_id TEXT NOT NULL,
    document_id    TEXT NOT NULL,
    revision_id    TEXT,
    added_by       TEXT NOT NULL,
    added_at       DATETIME NOT NULL,
    frozen_at      DATETIME,
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, agenda_item_id, document_id),
    FOREIGN KEY (tenant_id, agenda_item_id) REFERENCES agenda_items (tenant_id, id) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, document_id) REFERENCES documents (tenant_id, id) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, revision_id) REFERENCES document_revisions (tenant_id, id) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, added_by) REFERENCES memberships (tenant_id, id),
    CHECK ((revision_id IS NULL) = (frozen_at IS NULL))
);
CREATE INDEX meeting_papers_document ON meeting_papers (tenant_id, document_id);

-- One row per member and meeting: the status, the first arrival and the
-- last departure (a departed member is no longer present).
CREATE TABLE meeting_attendance (
    tenant_id   TEXT NOT NULL,
    id          TEXT NOT NULL,
    meeting_id  TEXT NOT NULL,
    member_id   TEXT NOT NULL,
    status      TEXT NOT NULL CHECK (status IN ('present', 'excused', 'absent')),
    arrived_at  DATETIME,
    departed_at DATETIME,
    updated_at  DATETIME NOT NULL,
    updated_by  TEXT NOT NULL,
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, meeting_id, member_id),
    FOREIGN KEY (tenant_id, meeting_id) REFERENCES meetings (tenant_id, id) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, member_id) REFERENCES committee_members (tenant_id, id) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, updated_by) REFERENCES memberships (tenant_id, id),
    CHECK (status = 'present' OR (arrived_at IS NULL AND departed_at IS NULL)),
    CHECK (status <> 'present' OR arrived_at IS NOT NULL),
    CHECK (departed_at IS NULL OR departed_at >= arrived_at)
);

CREATE TABLE agenda_posts (
    tenant_id      TEXT NOT NULL,
    id             TEXT NOT NULL,
    agenda_item_id TEXT NOT NULL,
    author_id      TEXT NOT NULL,
    body           TEXT NOT NULL CHECK (length(body) BETWEEN 1 AND 10000),
    created_at     DATETIME NOT NULL,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, agenda_item_id) REFERENCES agenda_items (tenant_id, id) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, author_id) REFERENCES memberships (tenant_id, id)
);
CREATE INDEX agenda_posts_item ON agenda_posts (tenant_id, agenda_item_id, created_at, id);

-- Befangenheit: the member takes no part in the item's votes and quorum.
CREATE TABLE conflict_declarations (
    tenant_id      TEXT NOT NULL,
    id             TEXT NOT NULL,
    agenda_item_id TEXT NOT NULL,
    member_id      TEXT NOT NULL,
    reason         TEXT NOT NULL DEFAULT '' CHECK (length(reason) <= 2000),
    declared_at    DATETIME NOT NULL,
    declared_by    TEXT NOT NULL,
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, agenda_item_id, member_id),
    FOREIGN KEY (tenant_id, agenda_item_id) REFERENCES agenda_items (tenant_id, id) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, member_id) REFERENCES committee_members (tenant_id, id) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, declared_by) REFERENCES memberships (tenant_id, id)
);

CREATE TABLE polls (
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
    state              TEXT NOT NULL CHECK (state IN ('draft', 'open', 'closed', 'published')),
    -- Written procedures only: ballots are refused from the deadline on.
    deadline           DATETIME,
    opened_at          DATETIME,
    closed_at          DATETIME,
    -- NULL when the deadline closed it.
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
CREATE INDEX polls_committee ON polls (tenant_id, committee_id, created_at);
CREATE INDEX polls_item ON polls (tenant_id, agenda_item_id) WHERE agenda_item_id IS NOT NULL;
CREATE INDEX polls_written_open ON polls (tenant_id, deadline) WHERE deadline IS NOT NULL AND state = 'open';

CREATE TABLE poll_options (
    tenant_id TEXT NOT NULL,
    id        TEXT NOT NULL,
    poll_id   TEXT NOT NULL,
    position  INTEGER NOT NULL CHECK (position > 0),
    label     TEXT NOT NULL CHECK (length(label) BETWEEN 1 AND 500),
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, poll_id, position),
    FOREIGN KEY (tenant_id, poll_id) REFERENCES polls (tenant_id, id) ON DELETE CASCADE
);

-- A member hands their vote to another member for one meeting or one poll.
CREATE TABLE delegations (
    tenant_id      TEXT NOT NULL,
    id             TEXT NOT NULL,
    committee_id   TEXT NOT NULL,
    from_member_id TEXT NOT NULL,
    to_member_id   TEXT NOT NULL,
    meeting_id     TEXT,
    poll_id        TEXT,
    created_at     DATETIME NOT NULL,
    created_by     TEXT NOT NULL,
    revoked_at     DATETIME,
    revoked_by     TEXT,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, committee_id) REFERENCES committees (tenant_id, id) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, from_member_id) REFERENCES committee_members (tenant_id, id) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, to_member_id) REFERENCES committee_members (tenant_id, id) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, meeting_id) REFERENCES meetings (tenant_id, id) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, poll_id) REFERENCES polls (tenant_id, id) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, created_by) REFERENCES memberships (tenant_id, id),
    FOREIGN KEY (tenant_id, revoked_by) REFERENCES memberships (tenant_id, id),
    CHECK ((meeting_id IS NULL) <> (poll_id IS NULL)),
    CHECK (from_member_id <> to_member_id),
    CHECK ((revoked_at IS NULL) = (revoked_by IS NULL))
);
CREATE UNIQUE INDEX delegations_meeting ON delegations (tenant_id, meeting_id, from_member_id)
    WHERE meeting_id IS NOT NULL AND revoked_at IS NULL;
CREATE UNIQUE INDEX delegations_poll ON delegations (tenant_id, poll_id, from_member_id)
    WHERE poll_id IS NOT NULL AND revoked_at IS NULL;
CREATE INDEX delegations_to ON delegations (tenant_id, to_member_id) WHERE revoked_at IS NULL;

-- One receipt per voter and poll: the proof that the vote was cast (by the
-- voter or their proxy), and the only record of who took part in a secret poll.
CREATE TABLE poll_receipts (
    tenant_id             TEXT NOT NULL,
    id                    TEXT NOT NULL,
    poll_id               TEXT NOT NULL,
    voter_membership_id   TEXT NOT NULL,
    cast_by_membership_id TEXT NOT NULL,
    cast_at               DATETIME NOT NULL,
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, poll_id, voter_membership_id),
    FOREIGN KEY (tenant_id, poll_id) REFERENCES polls (tenant_id, id),
    FOREIGN KEY (tenant_id, voter_membership_id) REFERENCES memberships (tenant_id, id),
    FOREIGN KEY (tenant_id, cast_by_membership_id) REFERENCES memberships (tenant_id, id)
);

-- A named ballot; it cannot exist without its receipt. choice is yes, no
-- or abstain, or 'options' with the chosen option ids (a JSON array).
CREATE TABLE poll_votes (
    tenant_id             TEXT NOT NULL,
    id                    TEXT NOT NULL,
    poll_id               TEXT NOT NULL,
    voter_membership_id   TEXT NOT NULL,
    cast_by_membership_id TEXT NOT NULL,
    choice                TEXT NOT NULL CHECK (choice IN ('yes', 'no', 'abstain', 'options')),
    option_ids            TEXT NOT NULL DEFAULT '[]',
    weight                INTEGER NOT NULL CHECK (weight >= 1),
    cast_at               DATETIME NOT NULL,
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, poll_id, voter_membership_id),
    FOREIGN KEY (tenant_id, poll_id, voter_membership_id) REFERENCES poll_receipts (tenant_id, poll_id, voter_membership_id),
    FOREIGN KEY (tenant_id, cast_by_membership_id) REFERENCES memberships (tenant_id, id)
);

-- A secret ballot: deliberately no voter and no time column, and a random
-- (UUIDv4) id, so that neither the row nor its key says who cast it or when.
-- WITHOUT ROWID: an ordinary table's hidden rowid grows with every insert
-- and would give the submission order away; here rows sort by their id.
CREATE TABLE secret_ballots (
    tenant_id  TEXT NOT NULL,
    id         TEXT NOT NULL,
    poll_id    TEXT NOT NULL,
    choice     TEXT NOT NULL CHECK (choice IN ('yes', 'no', 'abstain', 'options')),
    option_ids TEXT NOT NULL DEFAULT '[]',
    weight     INTEGER NOT NULL CHECK (weight >= 1),
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, poll_id) REFERENCES polls (tenant_id, id)
) WITHOUT ROWID;
CREATE INDEX secret_ballots_poll ON secret_ballots (tenant_id, poll_id);

-- The count and verdict, written once when the poll closes. Weights are
-- summed per choice; option_votes and elected are JSON.
CREATE TABLE poll_results (
    tenant_id      TEXT NOT NULL,
    id             TEXT NOT NULL,
    poll_id        TEXT NOT NULL,
    ballots        INTEGER NOT NULL CHECK (ballots >= 0),
    cast_weight    INTEGER NOT NULL CHECK (cast_weight >= 0),
    yes_weight     INTEGER NOT NULL DEFAULT 0,
    no_weight      INTEGER NOT NULL DEFAULT 0,
    abstain_weight INTEGER NOT NULL DEFAULT 0,
    option_votes   TEXT NOT NULL DEFAULT '[]',
    base_weight    INTEGER NOT NULL CHECK (base_weight >= 0),
    present_weight INTEGER NOT NULL CHECK (present_weight >= 0),
    members_weight INTEGER NOT NULL CHECK (members_weight >= 0),
    -- NULL for written procedures (no meeting, no quorum).
    quorum_reached INTEGER CHECK (quorum_reached IN (0, 1)),
    passed         INTEGER NOT NULL CHECK (passed IN (0, 1)),
    elected        TEXT NOT NULL DEFAULT '[]',
    tie_at_cut     INTEGER NOT NULL DEFAULT 0 CHECK (tie_at_cut IN (0, 1)),
    computed_at    DATETIME NOT NULL,
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, poll_id),
    FOREIGN KEY (tenant_id, poll_id) REFERENCES polls (tenant_id, id)
);

-- Receipts, ballots and results never change (PostgreSQL: no UPDATE grant).
-- +goose StatementBegin
CREATE TRIGGER poll_receipts_immutable BEFORE UPDATE ON poll_receipts
BEGIN
    SELECT RAISE(ABORT, 'poll_receipts rows never change');
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER poll_votes_immutable BEFORE UPDATE ON poll_votes
BEGIN
    SELECT RAISE(ABORT, 'poll_votes rows never change');
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER secret_ballots_immutable BEFORE UPDATE ON secret_ballots
BEGIN
    SELECT RAISE(ABORT, 'secret_ballots rows never change');
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER poll_results_immutable BEFORE UPDATE ON poll_results
BEGIN
    SELECT RAISE(ABORT, 'poll_results rows never change');
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER poll_receipts_kept BEFORE DELETE ON poll_receipts
BEGIN
    SELECT RAISE(ABORT, 'poll_receipts rows are never deleted');
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER poll_votes_kept BEFORE DELETE ON poll_votes
BEGIN
    SELECT RAISE(ABORT, 'poll_votes rows are never deleted');
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER secret_ballots_kept BEFORE DELETE ON secret_ballots
BEGIN
    SELECT RAISE(ABORT, 'secret_ballots rows are never deleted');
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER poll_results_kept BEFORE DELETE ON poll_results
BEGIN
    SELECT RAISE(ABORT, 'poll_results rows are never deleted');
END;
-- +goose StatementEnd

-- +goose Down
DROP TABLE poll_results;
DROP TABLE secret_ballots;
DROP TABLE poll_votes;
DROP TABLE poll_receipts;
DROP TABLE delegations;
DROP TABLE poll_options;
DROP TABLE polls;
DROP TABLE conflict_declarations;
DROP TABLE agenda_posts;
DROP TABLE meeting_attendance;
DROP TABLE meeting_papers;
DROP TABLE agenda_items;
DROP TABLE meetings;
DROP TABLE committee_members;
DROP TABLE committees;
