-- Meeting invitations by e-mail, reminders of written procedures, and
-- personal iCalendar feeds.
--
-- meetings.ical_sequence is the SEQUENCE of a meeting's iCalendar event:
-- 0 for the first invitation, raised by one each time an invited meeting
-- is moved (new time or place) and its members are mailed the update.
--
-- mail_outbox is the transactional outbox: a mail is written in the
-- transaction of the change it announces (the invitation with the state
-- change, the reminder with its poll_reminders row) and sent afterwards
-- by the committees loop (kollab serve), so that a crash between commit
-- and send delays a mail instead of losing it. payload is the mail's
-- content as JSON, fixed when it was queued. A sender claims a row by
-- moving next_attempt_at ahead (a lease: a sender that dies leaves the row
-- due again), sets sent_at once the SMTP server accepted it, or failed_at
-- after the last attempt. Sent and failed rows are purged after 30 days.
--
-- poll_reminders records every reminder queued for a written procedure:
-- one per member, poll and reminder interval (slot), so that no restart
-- reminds anyone twice in one interval.
--
-- calendar_feeds holds each account's secret feed token, hashed (SHA-256):
-- GET /ical/<token>.ics lists the account's meetings across its tenants.
-- It is a global, account-level table.
--
-- mail_outbox and poll_reminders are tenant-owned: tenant_id NOT NULL,
-- first in every key, composite foreign keys including tenant_id. (SQLite
-- has no row-level security; the tenant-scoped handle and explicit
-- tenant_id predicates filter every query.)

-- +goose Up
ALTER TABLE meetings ADD COLUMN ical_sequence INTEGER NOT NULL DEFAULT 0 CHECK (ical_sequence >= 0);

CREATE TABLE mail_outbox (
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
CREATE INDEX mail_outbox_due ON mail_outbox (tenant_id, next_attempt_at) WHERE sent_at IS NULL AND failed_at IS NULL;
CREATE INDEX mail_outbox_done ON mail_outbox (tenant_id, created_at) WHERE sent_at IS NOT NULL OR failed_at IS NOT NULL;

CREATE TABLE poll_reminders (
    tenant_id     TEXT NOT NULL,
    poll_id       TEXT NOT NULL,
    membership_id TEXT NOT NULL,
    -- The reminder interval since the poll opened: 1 for the first reminder.
    slot          INTEGER NOT NULL CHECK (slot >= 1),
    queued_at     DATETIME NOT NULL,
    PRIMARY KEY (tenant_id, poll_id, membership_id, slot),
    FOREIGN KEY (tenant_id, poll_id) REFERENCES polls (tenant_id, id) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, membership_id) REFERENCES memberships (tenant_id, id) ON DELETE CASCADE
);

CREATE TABLE calendar_feeds (
    user_id      TEXT PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    token_hash   BLOB NOT NULL UNIQUE,
    created_at   DATETIME NOT NULL,
    last_used_at DATETIME
);

-- +goose Down
DROP TABLE calendar_feeds;
DROP TABLE poll_reminders;
DROP TABLE mail_outbox;
ALTER TABLE meetings DROP COLUMN ical_sequence;
