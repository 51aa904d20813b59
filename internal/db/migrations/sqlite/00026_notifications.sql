-- +goose NO TRANSACTION
-- Notifications (see the PostgreSQL migration of the same number):
-- notification_events (the outbox of events), notifications (one row per
-- recipient and event), notification_preferences, notification_digests;
-- mail_outbox gains the kinds 'notification' and 'notification_digest'.
-- SQLite cannot change a CHECK constraint, so mail_outbox is rebuilt
-- (foreign keys off, outside goose's transaction, in one transaction of its
-- own), as 00021 did.

-- +goose Up
PRAGMA foreign_keys = OFF;

BEGIN IMMEDIATE;
CREATE TABLE notification_events (
    tenant_id       TEXT NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    id              TEXT NOT NULL,
    kind            TEXT NOT NULL CHECK (length(kind) BETWEEN 1 AND 100),
    object_type     TEXT NOT NULL CHECK (length(object_type) BETWEEN 1 AND 100),
    object_id       TEXT NOT NULL,
    workspace_id    TEXT,
    actor_id        TEXT,
    title_de        TEXT NOT NULL CHECK (length(title_de) BETWEEN 1 AND 500),
    title_en        TEXT NOT NULL CHECK (length(title_en) BETWEEN 1 AND 500),
    text_de         TEXT NOT NULL DEFAULT '' CHECK (length(text_de) <= 4000),
    text_en         TEXT NOT NULL DEFAULT '' CHECK (length(text_en) <= 4000),
    link            TEXT NOT NULL DEFAULT '' CHECK (length(link) <= 2000),
    audience        TEXT NOT NULL DEFAULT '' CHECK (length(audience) <= 100),
    audience_id     TEXT,
    recipients      TEXT NOT NULL DEFAULT '[]' CHECK (length(recipients) <= 500000),
    created_at      DATETIME NOT NULL,
    dispatched_at   DATETIME,
    recipient_count INTEGER NOT NULL DEFAULT 0 CHECK (recipient_count >= 0),
    PRIMARY KEY (tenant_id, id)
);
CREATE INDEX notification_events_due ON notification_events (tenant_id, id) WHERE dispatched_at IS NULL;

CREATE TABLE notifications (
    tenant_id     TEXT NOT NULL,
    membership_id TEXT NOT NULL,
    event_id      TEXT NOT NULL,
    kind          TEXT NOT NULL CHECK (length(kind) BETWEEN 1 AND 100),
    created_at    DATETIME NOT NULL,
    read_at       DATETIME,
    PRIMARY KEY (tenant_id, membership_id, event_id),
    FOREIGN KEY (tenant_id, event_id) REFERENCES notification_events (tenant_id, id) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, membership_id) REFERENCES memberships (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX notifications_unread ON notifications (tenant_id, membership_id, event_id) WHERE read_at IS NULL;
CREATE INDEX notifications_event ON notifications (tenant_id, event_id);

CREATE TABLE notification_preferences (
    tenant_id     TEXT NOT NULL,
    membership_id TEXT NOT NULL,
    kind          TEXT NOT NULL CHECK (length(kind) BETWEEN 1 AND 100),
    mode          TEXT NOT NULL CHECK (mode IN ('immediate', 'daily', 'never')),
    updated_at    DATETIME NOT NULL,
    PRIMARY KEY (tenant_id, membership_id, kind),
    FOREIGN KEY (tenant_id, membership_id) REFERENCES memberships (tenant_id, id) ON DELETE CASCADE
);

CREATE TABLE notification_digests (
    tenant_id     TEXT NOT NULL,
    membership_id TEXT NOT NULL,
    -- The Berlin calendar day the digest covers, YYYY-MM-DD.
    day           TEXT NOT NULL CHECK (length(day) = 10),
    queued_at     DATETIME NOT NULL,
    PRIMARY KEY (tenant_id, membership_id, day),
    FOREIGN KEY (tenant_id, membership_id) REFERENCES memberships (tenant_id, id) ON DELETE CASCADE
);

CREATE TABLE mail_outbox_new (
    tenant_id       TEXT NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    id              TEXT NOT NULL,
    kind            TEXT NOT NULL CHECK (kind IN ('meeting_invitation', 'meeting_cancellation', 'poll_reminder', 'notification', 'notification_digest')),
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

DELETE FROM mail_outbox WHERE kind IN ('notification', 'notification_digest');
CREATE TABLE mail_outbox_old (
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
INSERT INTO mail_outbox_old SELECT tenant_id, id, kind, recipient, payload, created_at, attempts, next_attempt_at, sent_at, failed_at, last_error
FROM mail_outbox;
DROP TABLE mail_outbox;
ALTER TABLE mail_outbox_old RENAME TO mail_outbox;
CREATE INDEX mail_outbox_due ON mail_outbox (tenant_id, next_attempt_at) WHERE sent_at IS NULL AND failed_at IS NULL;
CREATE INDEX mail_outbox_done ON mail_outbox (tenant_id, created_at) WHERE sent_at IS NOT NULL OR failed_at IS NOT NULL;
DROP TABLE notification_digests;
DROP TABLE notification_preferences;
DROP TABLE notifications;
DROP TABLE notification_events;

COMMIT;

PRAGMA foreign_keys = ON;
