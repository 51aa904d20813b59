-- The chair's console and cancelled meetings.
--
-- meetings.current_item_id is the agenda item the chair (or secretary) has
-- called: the item dealt with now, shown to every member ("jetzt: TOP 3").
-- It names an item of the same meeting (the foreign key includes the
-- meeting; agenda_items gains the unique key it needs) and is set only while
-- the meeting is in session (cleared when it closes).
--
-- A planned or invited meeting can be cancelled with a reason: state
-- 'cancelled', with who and when. Everyone who was mailed an invitation to
-- it gets a cancellation (iCalendar METHOD:CANCEL, same UID, higher
-- SEQUENCE): meeting_invitees records, per meeting, every membership and
-- address an invitation or update went to, and mail_outbox gains the kind
-- 'meeting_cancellation'. Meetings invited before this migration are taken
-- to have been sent to the current members of their committee.

-- +goose Up
ALTER TABLE agenda_items ADD CONSTRAINT agenda_items_meeting_item UNIQUE (tenant_id, meeting_id, id);

ALTER TABLE meetings ADD COLUMN current_item_id uuid;
ALTER TABLE meetings ADD CONSTRAINT meetings_current_item_fkey
    FOREIGN KEY (tenant_id, id, current_item_id) REFERENCES agenda_items (tenant_id, meeting_id, id);

ALTER TABLE meetings DROP CONSTRAINT meetings_state_check;
ALTER TABLE meetings ADD CONSTRAINT meetings_state_check
    CHECK (state IN ('planned', 'invited', 'in_session', 'closed', 'minutes_approved', 'cancelled'));
ALTER TABLE meetings ADD COLUMN cancelled_at timestamptz;
ALTER TABLE meetings ADD COLUMN cancelled_by uuid;
ALTER TABLE meetings ADD COLUMN cancel_reason text CHECK (length(cancel_reason) BETWEEN 1 AND 2000);
ALTER TABLE meetings ADD CONSTRAINT meetings_cancelled_by_fkey FOREIGN KEY (tenant_id, cancelled_by) REFERENCES memberships (tenant_id, id);
ALTER TABLE meetings ADD CONSTRAINT meetings_cancelled
    CHECK ((state = 'cancelled') = (cancelled_at IS NOT NULL AND cancelled_by IS NOT NULL AND cancel_reason IS NOT NULL));
ALTER TABLE meetings ADD CONSTRAINT meetings_current_item_in_session CHECK (current_item_id IS NULL OR state = 'in_session');

CREATE TABLE meeting_invitees (
    tenant_id     uuid NOT NULL,
    meeting_id    uuid NOT NULL,
    membership_id uuid NOT NULL,
    -- The address the invitation went to (a cancellation goes there too).
    email         text NOT NULL CHECK (length(email) BETWEEN 3 AND 320),
    invited_at    timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, meeting_id, membership_id, email),
    FOREIGN KEY (tenant_id, meeting_id) REFERENCES meetings (tenant_id, id) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, membership_id) REFERENCES memberships (tenant_id, id) ON DELETE CASCADE
);

ALTER TABLE meeting_invitees ENABLE ROW LEVEL SECURITY;
ALTER TABLE meeting_invitees FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON meeting_invitees
    USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid)
    WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);

-- Existing invited meetings, seen by the owner without row-level security for once.
ALTER TABLE meetings NO FORCE ROW LEVEL SECURITY;
ALTER TABLE committee_members NO FORCE ROW LEVEL SECURITY;
ALTER TABLE memberships NO FORCE ROW LEVEL SECURITY;
ALTER TABLE meeting_invitees NO FORCE ROW LEVEL SECURITY;
INSERT INTO meeting_invitees (tenant_id, meeting_id, membership_id, email, invited_at)
SELECT m.tenant_id, m.id, cm.membership_id, u.email, COALESCE(m.invited_at, now())
FROM meetings m
JOIN committee_members cm ON cm.tenant_id = m.tenant_id AND cm.committee_id = m.committee_id
JOIN memberships ms ON ms.tenant_id = cm.tenant_id AND ms.id = cm.membership_id
JOIN users u ON u.id = ms.user_id
WHERE m.state = 'invited' AND ms.status = 'active'
  AND cm.term_start <= now() AND (cm.term_end IS NULL OR cm.term_end > now())
  AND length(u.email) BETWEEN 3 AND 320
ON CONFLICT DO NOTHING;
ALTER TABLE meetings FORCE ROW LEVEL SECURITY;
ALTER TABLE committee_members FORCE ROW LEVEL SECURITY;
ALTER TABLE memberships FORCE ROW LEVEL SECURITY;
ALTER TABLE meeting_invitees FORCE ROW LEVEL SECURITY;

ALTER TABLE mail_outbox DROP CONSTRAINT mail_outbox_kind_check;
ALTER TABLE mail_outbox ADD CONSTRAINT mail_outbox_kind_check
    CHECK (kind IN ('meeting_invitation', 'meeting_cancellation', 'poll_reminder'));

-- +goose Down
ALTER TABLE meetings NO FORCE ROW LEVEL SECURITY;
ALTER TABLE mail_outbox NO FORCE ROW LEVEL SECURITY;
DELETE FROM mail_outbox WHERE kind = 'meeting_cancellation';
ALTER TABLE mail_outbox DROP CONSTRAINT mail_outbox_kind_check;
ALTER TABLE mail_outbox ADD CONSTRAINT mail_outbox_kind_check CHECK (kind IN ('meeting_invitation', 'poll_reminder'));
DROP TABLE meeting_invitees;
ALTER TABLE meetings DROP CONSTRAINT meetings_current_item_in_session;
ALTER TABLE meetings DROP CONSTRAINT meetings_cancelled;
ALTER TABLE meetings DROP CONSTRAINT meetings_state_check;
-- A cancelled meeting goes back to where it was cancelled from.
UPDATE meetings SET state = CASE WHEN invited_at IS NULL THEN 'planned' ELSE 'invited' END WHERE state = 'cancelled';
ALTER TABLE meetings ADD CONSTRAINT meetings_state_check
    CHECK (state IN ('planned', 'invited', 'in_session', 'closed', 'minutes_approved'));
ALTER TABLE meetings DROP CONSTRAINT meetings_cancelled_by_fkey;
ALTER TABLE meetings DROP COLUMN cancel_reason;
ALTER TABLE meetings DROP COLUMN cancelled_by;
ALTER TABLE meetings DROP COLUMN cancelled_at;
ALTER TABLE meetings DROP CONSTRAINT meetings_current_item_fkey;
ALTER TABLE meetings DROP COLUMN current_item_id;
ALTER TABLE agenda_items DROP CONSTRAINT agenda_items_meeting_item;
ALTER TABLE meetings FORCE ROW LEVEL SECURITY;
ALTER TABLE mail_outbox FORCE ROW LEVEL SECURITY;
