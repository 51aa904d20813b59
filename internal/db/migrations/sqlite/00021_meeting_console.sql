-- +goose NO TRANSACTION
-- The chair's console and cancelled meetings (see the PostgreSQL migration
-- of the same number): meetings gains the current agenda item and the
-- state 'cancelled' with who, when and why; meeting_invitees records where
-- every invitation went; mail_outbox gains the kind 'meeting_cancellation'.
-- SQLite cannot change a CHECK constraint nor add a foreign key, so
-- meetings and mail_outbox are rebuilt (foreign keys off, outside goose's
-- transaction, in one transaction of their own), as 00014 rebuilt polls.

-- +goose Up
PRAGMA foreign_keys = OFF;

BEGIN IMMEDIATE;

CREATE UNIQUE INDEX agenda_items_meeting_item ON agenda_items (tenant_id, meeting_id, id);

CREATE TABLE meetings_new (
    tenant_id           TEXT NOT NULL,
    id                  TEXT NOT NULL,
    committee_id        TEXT NOT NULL,
    title               TEXT NOT NULL CHECK (length(title) BETWEEN 1 AND 500),
    starts_at           DATETIME NOT NULL,
    ends_at             DATETIME NOT NULL,
    place               TEXT NOT NULL DEFAULT '' CHECK (length(place) <= 500),
    online_url          TEXT NOT NULL DEFAULT '' CHECK (length(online_url) <= 2000),
    state               TEXT NOT NULL CHECK (state IN ('planned', 'invited', 'in_session', 'closed', 'minutes_approved', 'cancelled')),
    invited_at          DATETIME,
    opened_at           DATETIME,
    closed_at           DATETIME,
    minutes_approved_at DATETIME,
    created_at          DATETIME NOT NULL,
    created_by          TEXT NOT NULL,
    updated_at          DATETIME NOT NULL,
    ical_sequence       INTEGER NOT NULL DEFAULT 0 CHECK (ical_sequence >= 0),
    -- The agenda item called now (in session only).
    current_item_id     TEXT,
    cancelled_at        DATETIME,
    cancelled_by        TEXT,
    cancel_reason       TEXT CHECK (length(cancel_reason) BETWEEN 1 AND 2000),
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, committee_id) REFERENCES committees (tenant_id, id) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, created_by) REFERENCES memberships (tenant_id, id),
    FOREIGN KEY (tenant_id, cancelled_by) REFERENCES memberships (tenant_id, id),
    FOREIGN KEY (tenant_id, id, current_item_id) REFERENCES agenda_items (tenant_id, meeting_id, id),
    CHECK (ends_at > starts_at),
    CHECK ((state = 'cancelled') = (cancelled_at IS NOT NULL AND cancelled_by IS NOT NULL AND cancel_reason IS NOT NULL)),
    CHECK (current_item_id IS NULL OR state = 'in_session')
);
INSERT INTO meetings_new (tenant_id, id, committee_id, title, starts_at, ends_at, place, online_url, state, invited_at, opened_at,
    closed_at, minutes_approved_at, created_at, created_by, updated_at, ical_sequence)
SELECT tenant_id, id, committee_id, title, starts_at, ends_at, place, online_url, state, invited_at, opened_at,
    closed_at, minutes_approved_at, created_at, created_by, updated_at, ical_sequence
FROM meetings;
DROP TABLE meetings;
ALTER TABLE meetings_new RENAME TO meetings;
CREATE INDEX meetings_committee ON meetings (tenant_id, committee_id, starts_at, id);

CREATE TABLE meeting_invitees (
    tenant_id     TEXT NOT NULL,
    meeting_id    TEXT NOT NULL,
    membership_id TEXT NOT NULL,
    -- The address the invitation went to (a cancellation goes there too).
    email         TEXT NOT NULL CHECK (length(email) BETWEEN 3 AND 320),
    invited_at    DATETIME NOT NULL,
    PRIMARY KEY (tenant_id, meeting_id, membership_id, email),
    FOREIGN KEY (tenant_id, meeting_id) REFERENCES meetings (tenant_id, id) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, membership_id) REFERENCES memberships (tenant_id, id) ON DELETE CASCADE
);
INSERT OR IGNORE INTO meeting_invitees (tenant_id, meeting_id, membership_id, email, invited_at)
SELECT m.tenant_id, m.id, cm.membership_id, u.email, COALESCE(m.invited_at, strftime('%Y-%m-%d %H:%M:%f', 'now'))
FROM meetings m
JOIN committee_members cm ON cm.tenant_id = m.tenant_id AND cm.committee_id = m.committee_id
JOIN memberships ms ON ms.tenant_id = cm.tenant_id AND ms.id = cm.membership_id
JOIN users u ON u.id = ms.user_id
WHERE m.state = 'invited' AND ms.status = 'active'
  AND cm.term_start <= strftime('%Y-%m-%d %H:%M:%f', 'now')
  AND (cm.term_end IS NULL OR cm.term_end > strftime('%Y-%m-%d %H:%M:%f', 'now'))
  AND length(u.email) BETWEEN 3 AND 320;

CREATE TABLE mail_outbox_new (
    tenant_id       TEXT NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    id              TEXT NOT NULL,
    kind            TEXT NOT NULL CHECK (kind IN ('meeting_invitation', 'meeting_cancellation', 'poll_reminder')),
    recipient       TEXT NOT NULL CHECK (length(recipient) BETWEEN 3 AND 320),
    payload         TEXT NOT NULL CHECK (length(payload) <= 1000000),
    created_at      DATETIME NOT NULL,
    attempts        INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    next_attempt_at DATETIME NOT NULL,
    sent_at         DATETIME,
    failed_at       DATETIME,
    last_error      TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (tenant_id, id),
    CHECK (sent_at IS NULL OR failed_at IS NULL)
);
INSERT INTO mail_outbox_new SELECT tenant_id, id, kind, recipient, payload, created_at, attempts, next_attempt_at, sent_at, failed_at, last_error
FROM mail_outbox;
DROP TABLE mail_outbox;
ALTER TABLE mail_outbox_new RENAME TO mail_outbox;
CREATE INDEX mail_outbox_due ON mail_outbox (tenant_id, next_attempt_at) WHERE sent_at IS NULL AND failed_at IS NULL;
CREATE INDEX mail_outbox_done ON mail_outbox (tenant_id, created_at) WHERE sent_at IS NOT NULL OR failed_at IS NOT NULL;

COMMIT;

PRAGMA foreign_keys = ON;

-- +goose Down
PRAGMA foreign_keys = OFF;

BEGIN IMMEDIATE;

DELETE FROM mail_outbox WHERE kind = 'meeting_cancellation';
CREATE TABLE mail_outbox_old (
    tenant_id       TEXT NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    id              TEXT NOT NULL,
    kind            TEXT NOT NULL CHECK (kind IN ('meeting_invitation', 'poll_reminder')),
    recipient       TEXT NOT NULL CHECK (length(recipient) BETWEEN 3 AND 320),
    payload         TEXT NOT NULL CHECK (length(payload) <= 1000000),
    created_at      DATETIME NOT NULL,
    attempts        INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    next_attempt_at DATETIME NOT NULL,
    sent_at         DATETIME,
    failed_at       DATETIME,
    last_error      TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (tenant_id, id),
    CHECK (sent_at IS NULL OR failed_at IS NULL)
);
INSERT INTO mail_outbox_old SELECT tenant_id, id, kind, recipient, payload, created_at, attempts, next_attempt_at, sent_at, failed_at, last_error
FROM mail_outbox;
DROP TABLE mail_outbox;
ALTER TABLE mail_outbox_old RENAME TO mail_outbox;
CREATE INDEX mail_outbox_due ON mail_outbox (tenant_id, next_attempt_at) WHERE sent_at IS NULL AND failed_at IS NULL;
CREATE INDEX mail_outbox_done ON mail_outbox (tenant_id, created_at) WHERE sent_at IS NOT NULL OR failed_at IS NOT NULL;

DROP TABLE meeting_invitees;

CREATE TABLE meetings_old (
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
    ical_sequence       INTEGER NOT NULL DEFAULT 0 CHECK (ical_sequence >= 0),
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, committee_id) REFERENCES committees (tenant_id, id) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, created_by) REFERENCES memberships (tenant_id, id),
    CHECK (ends_at > starts_at)
);
-- A cancelled meeting goes back to where it was cancelled from.
INSERT INTO meetings_old SELECT tenant_id, id, committee_id, title, starts_at, ends_at, place, online_url,
    CASE WHEN state <> 'cancelled' THEN state WHEN invited_at IS NULL THEN 'planned' ELSE 'invited' END,
    invited_at, opened_at, closed_at, minutes_approved_at, created_at, created_by, updated_at, ical_sequence
FROM meetings;
DROP TABLE meetings;
ALTER TABLE meetings_old RENAME TO meetings;
CREATE INDEX meetings_committee ON meetings (tenant_id, committee_id, starts_at, id);
DROP INDEX agenda_items_meeting_item;

COMMIT;

PRAGMA foreign_keys = ON;
