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
-- composite foreign keys including tenant_id, forced row-level security.

-- +goose Up
CREATE TABLE committees (
    tenant_id          uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    id                 uuid NOT NULL,
    name               text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    description        text NOT NULL DEFAULT '' CHECK (length(description) <= 10000),
    -- Published through OParl.
    public             boolean NOT NULL DEFAULT false,
    -- Rules of procedure. Quorum: present voting weight compared with
    -- quorum_num/quorum_den of the voting weight ("more than" unless inclusive).
    quorum_num         integer NOT NULL CHECK (quorum_num >= 1),
    quorum_den         integer NOT NULL CHECK (quorum_den >= 1 AND quorum_num <= quorum_den),
    quorum_inclusive   boolean NOT NULL,
    -- The default majority rule of its polls; the fraction is set for custom only.
    majority           text NOT NULL CHECK (majority IN ('simple', 'absolute', 'two_thirds', 'custom')),
    majority_num       integer,
    majority_den       integer,
    majority_inclusive boolean,
    base               text NOT NULL CHECK (base IN ('cast', 'present', 'members')),
    proxy_allowed      boolean NOT NULL DEFAULT false,
    created_at         timestamptz NOT NULL,
    created_by         uuid NOT NULL,
    updated_at         timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, name),
    FOREIGN KEY (tenant_id, created_by) REFERENCES memberships (tenant_id, id),
    CHECK ((majority = 'custom') = (majority_num IS NOT NULL AND majority_den IS NOT NULL AND majority_inclusive IS NOT NULL)),
    CHECK (majority_num IS NULL OR (majority_num >= 1 AND majority_den >= majority_num))
);

CREATE TABLE committee_members (
    tenant_id     uuid NOT NULL,
    id            uuid NOT NULL,
    committee_id  uuid NOT NULL,
    membership_id uuid NOT NULL,
    role          text NOT NULL CHECK (role IN ('chair', 'deputy_chair', 'secretary', 'member', 'deputy_member', 'advisory')),
    voting        boolean NOT NULL,
    weight        integer NOT NULL DEFAULT 1 CHECK (weight BETWEEN 1 AND 1000),
    -- The term: from term_start (inclusive) until term_end (exclusive; NULL: open).
    term_start    timestamptz NOT NULL,
    term_end      timestamptz,
    created_at    timestamptz NOT NULL,
    updated_at    timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, committee_id, membership_id),
    FOREIGN KEY (tenant_id, committee_id) REFERENCES committees (tenant_id, id) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, membership_id) REFERENCES memberships (tenant_id, id),
    CHECK (role <> 'advisory' OR NOT voting),
    CHECK (term_end IS NULL OR term_end > term_start)
);
CREATE INDEX committee_members_membership ON committee_members (tenant_id, membership_id);

CREATE TABLE meetings (
    tenant_id           uuid NOT NULL,
    id                  uuid NOT NULL,
    committee_id        uuid NOT NULL,
    title               text NOT NULL CHECK (length(title) BETWEEN 1 AND 500),
    starts_at           timestamptz NOT NULL,
    ends_at             timestamptz NOT NULL,
    place               text NOT NULL DEFAULT '' CHECK (length(place) <= 500),
    online_url          text NOT NULL DEFAULT '' CHECK (length(online_url) <= 2000),
    state               text NOT NULL CHECK (state IN ('planned', 'invited', 'in_session', 'closed', 'minutes_approved')),
    invited_at          timestamptz,
    opened_at           timestamptz,
    closed_at           timestamptz,
    minutes_approved_at timestamptz,
    created_at          timestamptz NOT NULL,
    created_by          uuid NOT NULL,
    updated_at          timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, committee_id) REFERENCES committees (tenant_id, id) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, created_by) REFERENCES memberships (tenant_id, id),
    CHECK (ends_at > starts_at)
);
CREATE INDEX meetings_committee ON meetings (tenant_id, committee_id, starts_at, id);

CREATE TABLE agenda_items (
    tenant_id   uuid NOT NULL,
    id          uuid NOT NULL,
    meeting_id  uuid NOT NULL,
    -- The order of the agenda; accepted items are numbered in this order.
    position    integer NOT NULL CHECK (position > 0),
    title       text NOT NULL CHECK (length(title) BETWEEN 1 AND 500),
    description text NOT NULL DEFAULT '' CHECK (length(description) <= 10000),
    public      boolean NOT NULL,
    state       text NOT NULL CHECK (state IN ('proposed', 'accepted', 'declined')),
    proposed_by uuid NOT NULL,
    decided_by  uuid,
    decided_at  timestamptz,
    created_at  timestamptz NOT NULL,
    updated_at  timestamptz NOT NULL,
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
    tenant_id      uuid NOT NULL,
    id             uuid NOT NULL,
    agenda_item_id uuid NOT NULL,
    document_id    uuid NOT NULL,
    revision_id    uuid,
    added_by       uuid NOT NULL,
    added_at       timestamptz NOT NULL,
    frozen_at      timestamptz,
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
    tenant_id   uuid NOT NULL,
    id          uuid NOT NULL,
    meeting_id  uuid NOT NULL,
    member_id   uuid NOT NULL,
    status      text NOT NULL CHECK (status IN ('present', 'excused', 'absent')),
    arrived_at  timestamptz,
    departed_at timestamptz,
    updated_at  timestamptz NOT NULL,
    updated_by  uuid NOT NULL,
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
    tenant_id      uuid NOT NULL,
    id             uuid NOT NULL,
    agenda_item_id uuid NOT NULL,
    author_id      uuid NOT NULL,
    body           text NOT NULL CHECK (length(body) BETWEEN 1 AND 10000),
    created_at     timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, agenda_item_id) REFERENCES agenda_items (tenant_id, id) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, author_id) REFERENCES memberships (tenant_id, id)
);
CREATE INDEX agenda_posts_item ON agenda_posts (tenant_id, agenda_item_id, created_at, id);

-- Befangenheit: the member takes no part in the item's votes and quorum.
CREATE TABLE conflict_declarations (
    tenant_id      uuid NOT NULL,
    id             uuid NOT NULL,
    agenda_item_id uuid NOT NULL,
    member_id      uuid NOT NULL,
    reason         text NOT NULL DEFAULT '' CHECK (length(reason) <= 2000),
    declared_at    timestamptz NOT NULL,
    declared_by    uuid NOT NULL,
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, agenda_item_id, member_id),
    FOREIGN KEY (tenant_id, agenda_item_id) REFERENCES agenda_items (tenant_id, id) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, member_id) REFERENCES committee_members (tenant_id, id) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, declared_by) REFERENCES memberships (tenant_id, id)
);

CREATE TABLE polls (
    tenant_id          uuid NOT NULL,
    id                 uuid NOT NULL,
    committee_id       uuid NOT NULL,
    -- Both set for a poll in session, both NULL for a written procedure.
    meeting_id         uuid,
    agenda_item_id     uuid,
    title              text NOT NULL CHECK (length(title) BETWEEN 1 AND 500),
    kind               text NOT NULL CHECK (kind IN ('named', 'secret')),
    method             text NOT NULL CHECK (method IN ('yes_no_abstain', 'choice')),
    seats              integer NOT NULL DEFAULT 1 CHECK (seats BETWEEN 1 AND 100),
    majority           text NOT NULL CHECK (majority IN ('simple', 'absolute', 'two_thirds', 'custom')),
    majority_num       integer,
    majority_den       integer,
    majority_inclusive boolean,
    base               text NOT NULL CHECK (base IN ('cast', 'present', 'members')),
    state              text NOT NULL CHECK (state IN ('draft', 'open', 'closed', 'published')),
    -- Written procedures only: ballots are refused from the deadline on.
    deadline           timestamptz,
    opened_at          timestamptz,
    closed_at          timestamptz,
    -- NULL when the deadline closed it.
    closed_by          uuid,
    published_at       timestamptz,
    created_at         timestamptz NOT NULL,
    created_by         uuid NOT NULL,
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
    tenant_id uuid NOT NULL,
    id        uuid NOT NULL,
    poll_id   uuid NOT NULL,
    position  integer NOT NULL CHECK (position > 0),
    label     text NOT NULL CHECK (length(label) BETWEEN 1 AND 500),
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, poll_id, position),
    FOREIGN KEY (tenant_id, poll_id) REFERENCES polls (tenant_id, id) ON DELETE CASCADE
);

-- A member hands their vote to another member for one meeting or one poll.
CREATE TABLE delegations (
    tenant_id      uuid NOT NULL,
    id             uuid NOT NULL,
    committee_id   uuid NOT NULL,
    from_member_id uuid NOT NULL,
    to_member_id   uuid NOT NULL,
    meeting_id     uuid,
    poll_id        uuid,
    created_at     timestamptz NOT NULL,
    created_by     uuid NOT NULL,
    revoked_at     timestamptz,
    revoked_by     uuid,
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
    tenant_id             uuid NOT NULL,
    id                    uuid NOT NULL,
    poll_id               uuid NOT NULL,
    voter_membership_id   uuid NOT NULL,
    cast_by_membership_id uuid NOT NULL,
    cast_at               timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, poll_id, voter_membership_id),
    FOREIGN KEY (tenant_id, poll_id) REFERENCES polls (tenant_id, id),
    FOREIGN KEY (tenant_id, voter_membership_id) REFERENCES memberships (tenant_id, id),
    FOREIGN KEY (tenant_id, cast_by_membership_id) REFERENCES memberships (tenant_id, id)
);

-- A named ballot; it cannot exist without its receipt. choice is yes, no
-- or abstain, or 'options' with the chosen option ids (a JSON array).
CREATE TABLE poll_votes (
    tenant_id             uuid NOT NULL,
    id                    uuid NOT NULL,
    poll_id               uuid NOT NULL,
    voter_membership_id   uuid NOT NULL,
    cast_by_membership_id uuid NOT NULL,
    choice                text NOT NULL CHECK (choice IN ('yes', 'no', 'abstain', 'options')),
    option_ids            text NOT NULL DEFAULT '[]',
    weight                integer NOT NULL CHECK (weight >= 1),
    cast_at               timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, poll_id, voter_membership_id),
    FOREIGN KEY (tenant_id, poll_id, voter_membership_id) REFERENCES poll_receipts (tenant_id, poll_id, voter_membership_id),
    FOREIGN KEY (tenant_id, cast_by_membership_id) REFERENCES memberships (tenant_id, id)
);

-- A secret ballot: deliberately no voter and no time column, and a random
-- (UUIDv4) id, so that neither the row nor its key says who cast it or when.
-- PostgreSQL's system columns still do: xmin names the writing transaction,
-- which the ballot shares with its receipt, and ctid follows the insertion
-- order. Whoever may read both tables' system columns can link them; keeping
-- them from the serving role needs column-level grants on secret_ballots.
CREATE TABLE secret_ballots (
    tenant_id  uuid NOT NULL,
    id         uuid NOT NULL,
    poll_id    uuid NOT NULL,
    choice     text NOT NULL CHECK (choice IN ('yes', 'no', 'abstain', 'options')),
    option_ids text NOT NULL DEFAULT '[]',
    weight     integer NOT NULL CHECK (weight >= 1),
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, poll_id) REFERENCES polls (tenant_id, id)
);
CREATE INDEX secret_ballots_poll ON secret_ballots (tenant_id, poll_id);

-- The count and verdict, written once when the poll closes. Weights are
-- summed per choice; option_votes and elected are JSON.
CREATE TABLE poll_results (
    tenant_id      uuid NOT NULL,
    id             uuid NOT NULL,
    poll_id        uuid NOT NULL,
    ballots        integer NOT NULL CHECK (ballots >= 0),
    cast_weight    bigint NOT NULL CHECK (cast_weight >= 0),
    yes_weight     bigint NOT NULL DEFAULT 0,
    no_weight      bigint NOT NULL DEFAULT 0,
    abstain_weight bigint NOT NULL DEFAULT 0,
    option_votes   text NOT NULL DEFAULT '[]',
    base_weight    bigint NOT NULL CHECK (base_weight >= 0),
    present_weight bigint NOT NULL CHECK (present_weight >= 0),
    members_weight bigint NOT NULL CHECK (members_weight >= 0),
    -- NULL for written procedures (no meeting, no quorum).
    quorum_reached boolean,
    passed         boolean NOT NULL,
    elected        text NOT NULL DEFAULT '[]',
    tie_at_cut     boolean NOT NULL DEFAULT false,
    computed_at    timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, poll_id),
    FOREIGN KEY (tenant_id, poll_id) REFERENCES polls (tenant_id, id)
);

ALTER TABLE committees ENABLE ROW LEVEL SECURITY;
ALTER TABLE committees FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON committees
    USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid)
    WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);

ALTER TABLE committee_members ENABLE ROW LEVEL SECURITY;
ALTER TABLE committee_members FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON committee_members
    USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid)
    WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);

ALTER TABLE meetings ENABLE ROW LEVEL SECURITY;
ALTER TABLE meetings FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON meetings
    USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid)
    WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);

ALTER TABLE agenda_items ENABLE ROW LEVEL SECURITY;
ALTER TABLE agenda_items FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON agenda_items
    USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid)
    WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);

ALTER TABLE meeting_papers ENABLE ROW LEVEL SECURITY;
ALTER TABLE meeting_papers FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON meeting_papers
    USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid)
    WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);

ALTER TABLE meeting_attendance ENABLE ROW LEVEL SECURITY;
ALTER TABLE meeting_attendance FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON meeting_attendance
    USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid)
    WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);

ALTER TABLE agenda_posts ENABLE ROW LEVEL SECURITY;
ALTER TABLE agenda_posts FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON agenda_posts
    USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid)
    WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);

ALTER TABLE conflict_declarations ENABLE ROW LEVEL SECURITY;
ALTER TABLE conflict_declarations FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON conflict_declarations
    USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid)
    WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);

ALTER TABLE polls ENABLE ROW LEVEL SECURITY;
ALTER TABLE polls FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON polls
    USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid)
    WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);

ALTER TABLE poll_options ENABLE ROW LEVEL SECURITY;
ALTER TABLE poll_options FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON poll_options
    USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid)
    WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);

ALTER TABLE delegations ENABLE ROW LEVEL SECURITY;
ALTER TABLE delegations FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON delegations
    USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid)
    WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);

ALTER TABLE poll_receipts ENABLE ROW LEVEL SECURITY;
ALTER TABLE poll_receipts FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON poll_receipts
    USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid)
    WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);

ALTER TABLE poll_votes ENABLE ROW LEVEL SECURITY;
ALTER TABLE poll_votes FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON poll_votes
    USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid)
    WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);

ALTER TABLE secret_ballots ENABLE ROW LEVEL SECURITY;
ALTER TABLE secret_ballots FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON secret_ballots
    USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid)
    WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);

ALTER TABLE poll_results ENABLE ROW LEVEL SECURITY;
ALTER TABLE poll_results FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON poll_results
    USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid)
    WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);

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
