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
-- one per member, poll and reminder interval (slot), so that no restart and
-- no second instance reminds anyone twice in one interval.
--
-- calendar_feeds holds each account's secret feed token, hashed (SHA-256):
-- GET /ical/<token>.ics lists the account's meetings across its tenants.
-- It is a global, account-level table; the meetings are read tenant by
-- tenant under row-level security.
--
-- mail_outbox and poll_reminders are tenant-owned: tenant_id NOT NULL,
-- first in every key, composite foreign keys including tenant_id, forced
-- row-level security.

-- +goose Up
ALTER TABLE meetings ADD COLUMN ical_sequence integer NOT NULL DEFAULT 0 CHECK (ical_sequence >= 0);

CREATE TABLE mail_outbox (
    tenant_id       uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    id              uuid NOT NULL,
    kind            text NOT NULL CHECK (kind IN ('meeting_invitation', 'poll_reminder')),
    recipient       text NOT NULL CHECK (length(recipient) BETWEEN 3 AND 320),
    payload         text NOT NULL CHECK (length(payload) <= 1000000),
    created_at      timestamptz NOT NULL,
    attempts        integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    next_attempt_at timestamptz NOT NULL,
    sent_at         timestamptz,
    failed_at       timestamptz,
    last_error      text NOT NULL DEFAULT '',
    PRIMARY KEY (tenant_id, id),
    CHECK (sent_at IS NULL OR failed_at IS NULL)
);
CREATE INDEX mail_outbox_due ON mail_outbox (tenant_id, next_attempt_at) WHERE sent_at IS NULL AND failed_at IS NULL;
CREATE INDEX mail_outbox_done ON mail_outbox (tenant_id, created_at) WHERE sent_at IS NOT NULL OR failed_at IS NOT NULL;

CREATE TABLE poll_reminders (
    tenant_id     uuid NOT NULL,
    poll_id       uuid NOT NULL,
    membership_id uuid NOT NULL,
    -- The reminder interval since the poll opened: 1 for the first reminder.
    slot          integer NOT NULL CHECK (slot >= 1),
    queued_at     timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, poll_id, membership_id, slot),
    FOREIGN KEY (tenant_id, poll_id) REFERENCES polls (tenant_id, id) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, membership_id) REFERENCES memberships (tenant_id, id) ON DELETE CASCADE
);

CREATE TABLE calendar_feeds (
    user_id      uuid PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    token_hash   bytea NOT NULL UNIQUE,
    created_at   timestamptz NOT NULL,
    last_used_at timestamptz
);

ALTER TABLE mail_outbox ENABLE ROW LEVEL SECURITY;
ALTER TABLE mail_outbox FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON mail_outbox
    USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid)
    WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);

ALTER TABLE poll_reminders ENABLE ROW LEVEL SECURITY;
ALTER TABLE poll_reminders FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON poll_reminders
    USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid)
    WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);

-- +goose Down
DROP TABLE calendar_feeds;
DROP TABLE poll_reminders;
DROP TABLE mail_outbox;
ALTER TABLE meetings DROP COLUMN ical_sequence;
