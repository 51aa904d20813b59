-- Notifications: one mechanism for every module (internal/notify).
--
-- notification_events is the outbox of events: a module writes one row in
-- the transaction of the change it announces (notify.Emit), so the event
-- commits with the change or not at all. It carries what the recipients
-- may see (title and text in German and English, a link into the app) and
-- who they are: an explicit list of memberships (recipients, a JSON array)
-- or a named audience (a SELECT of membership ids in Go code, with its
-- parameter audience_id). The actor is never a recipient. A worker of
-- `kollab serve` claims undispatched rows (FOR UPDATE SKIP LOCKED: several
-- instances never dispatch one event twice) and turns each into one
-- notifications row per recipient with one INSERT ... SELECT, queues the
-- mails of those who want them at once (mail_outbox, kinds 'notification'
-- and 'notification_digest') and signals their bells.
--
-- notifications is a person's inbox: one row per membership and event,
-- read_at when read. notification_preferences holds a person's choice per
-- kind (immediate, daily, never; without a row the kind's default).
-- notification_digests records the day each person's digest was queued
-- for, so no restart and no second instance mails it twice.
--
-- All four are tenant-owned: tenant_id NOT NULL, first in every key,
-- composite foreign keys including tenant_id, forced row-level security.

-- +goose Up
CREATE TABLE notification_events (
    tenant_id       uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    id              uuid NOT NULL,
    kind            text NOT NULL CHECK (length(kind) BETWEEN 1 AND 100),
    object_type     text NOT NULL CHECK (length(object_type) BETWEEN 1 AND 100),
    object_id       uuid NOT NULL,
    workspace_id    uuid,
    actor_id        uuid,
    title_de        text NOT NULL CHECK (length(title_de) BETWEEN 1 AND 500),
    title_en        text NOT NULL CHECK (length(title_en) BETWEEN 1 AND 500),
    text_de         text NOT NULL DEFAULT '' CHECK (length(text_de) <= 4000),
    text_en         text NOT NULL DEFAULT '' CHECK (length(text_en) <= 4000),
    link            text NOT NULL DEFAULT '' CHECK (length(link) <= 2000),
    audience        text NOT NULL DEFAULT '' CHECK (length(audience) <= 100),
    audience_id     uuid,
    recipients      text NOT NULL DEFAULT '[]' CHECK (length(recipients) <= 500000),
    created_at      timestamptz NOT NULL,
    dispatched_at   timestamptz,
    recipient_count integer NOT NULL DEFAULT 0 CHECK (recipient_count >= 0),
    PRIMARY KEY (tenant_id, id)
);
CREATE INDEX notification_events_due ON notification_events (tenant_id, id) WHERE dispatched_at IS NULL;

CREATE TABLE notifications (
    tenant_id     uuid NOT NULL,
    membership_id uuid NOT NULL,
    event_id      uuid NOT NULL,
    kind          text NOT NULL CHECK (length(kind) BETWEEN 1 AND 100),
    created_at    timestamptz NOT NULL,
    read_at       timestamptz,
    PRIMARY KEY (tenant_id, membership_id, event_id),
    FOREIGN KEY (tenant_id, event_id) REFERENCES notification_events (tenant_id, id) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, membership_id) REFERENCES memberships (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX notifications_unread ON notifications (tenant_id, membership_id, event_id) WHERE read_at IS NULL;
CREATE INDEX notifications_event ON notifications (tenant_id, event_id);

CREATE TABLE notification_preferences (
    tenant_id     uuid NOT NULL,
    membership_id uuid NOT NULL,
    kind          text NOT NULL CHECK (length(kind) BETWEEN 1 AND 100),
    mode          text NOT NULL CHECK (mode IN ('immediate', 'daily', 'never')),
    updated_at    timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, membership_id, kind),
    FOREIGN KEY (tenant_id, membership_id) REFERENCES memberships (tenant_id, id) ON DELETE CASCADE
);

CREATE TABLE notification_digests (
    tenant_id     uuid NOT NULL,
    membership_id uuid NOT NULL,
    -- The Berlin calendar day the digest covers, YYYY-MM-DD.
    day           text NOT NULL CHECK (length(day) = 10),
    queued_at     timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, membership_id, day),
    FOREIGN KEY (tenant_id, membership_id) REFERENCES memberships (tenant_id, id) ON DELETE CASCADE
);

ALTER TABLE notification_events ENABLE ROW LEVEL SECURITY;
ALTER TABLE notification_events FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON notification_events
    USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid)
    WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);
ALTER TABLE notifications ENABLE ROW LEVEL SECURITY;
ALTER TABLE notifications FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON notifications
    USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid)
    WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);
ALTER TABLE notification_preferences ENABLE ROW LEVEL SECURITY;
ALTER TABLE notification_preferences FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON notification_preferences
    USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid)
    WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);
ALTER TABLE notification_digests ENABLE ROW LEVEL SECURITY;
ALTER TABLE notification_digests FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON notification_digests
    USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid)
    WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);

ALTER TABLE mail_outbox DROP CONSTRAINT mail_outbox_kind_check;
ALTER TABLE mail_outbox ADD CONSTRAINT mail_outbox_kind_check
    CHECK (kind IN ('meeting_invitation', 'meeting_cancellation', 'poll_reminder', 'notification', 'notification_digest'));

-- +goose Down
ALTER TABLE mail_outbox NO FORCE ROW LEVEL SECURITY;
DELETE FROM mail_outbox WHERE kind IN ('notification', 'notification_digest');
ALTER TABLE mail_outbox DROP CONSTRAINT mail_outbox_kind_check;
ALTER TABLE mail_outbox ADD CONSTRAINT mail_outbox_kind_check
    CHECK (kind IN ('meeting_invitation', 'meeting_cancellation', 'poll_reminder'));
ALTER TABLE mail_outbox FORCE ROW LEVEL SECURITY;
DROP TABLE notification_digests;
DROP TABLE notification_preferences;
DROP TABLE notifications;
DROP TABLE notification_events;
