-- Decisions become tasks and report back (issue 13, part 7: Beschlusskontrolle).
-- A follow-up task names the decision it came from: an agenda item decided by
-- a published poll (decision_item_id, with the poll in decision_poll_id), or
-- a written procedure's verdict (decision_poll_id only); committee_id is the
-- deciding committee, so the report back finds a committee's follow-up tasks
-- by index. The references are soft (no foreign keys): a task belongs to its
-- workspace, the decision to the committee's record, and neither module's
-- deletions wait for the other's.
--
-- agenda_items.automatic marks an item the system keeps ('implementation_report':
-- "Bericht über die Umsetzung von Beschlüssen"); at most one per meeting.

-- +goose Up
ALTER TABLE tasks ADD COLUMN decision_item_id uuid;
ALTER TABLE tasks ADD COLUMN decision_poll_id uuid;
ALTER TABLE tasks ADD COLUMN committee_id uuid;
CREATE INDEX tasks_committee ON tasks (tenant_id, committee_id, closed_at) WHERE committee_id IS NOT NULL;
CREATE INDEX tasks_decision_item ON tasks (tenant_id, decision_item_id) WHERE decision_item_id IS NOT NULL;
CREATE INDEX tasks_decision_poll ON tasks (tenant_id, decision_poll_id) WHERE decision_poll_id IS NOT NULL;

ALTER TABLE agenda_items ADD COLUMN automatic text CHECK (automatic IN ('implementation_report'));
CREATE UNIQUE INDEX agenda_items_automatic ON agenda_items (tenant_id, meeting_id, automatic) WHERE automatic IS NOT NULL;

-- +goose Down
DROP INDEX agenda_items_automatic;
ALTER TABLE agenda_items DROP COLUMN automatic;
DROP INDEX tasks_decision_poll;
DROP INDEX tasks_decision_item;
DROP INDEX tasks_committee;
ALTER TABLE tasks DROP COLUMN committee_id;
ALTER TABLE tasks DROP COLUMN decision_poll_id;
ALTER TABLE tasks DROP COLUMN decision_item_id;
