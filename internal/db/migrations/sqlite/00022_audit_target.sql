-- The audit log names each entry's object by its current name; an object
-- deleted since is named by the last name the log recorded for it, found
-- through its target id (issue 10).

-- +goose Up
CREATE INDEX audit_events_target ON audit_events (tenant_id, target_id);

-- +goose Down
DROP INDEX audit_events_target;
