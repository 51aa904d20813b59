-- Group names are unique per tenant regardless of case and Unicode form
-- (see the PostgreSQL migration). SQLite's lower() folds ASCII only: the
-- service compares the names of a tenant's groups with tenant.groupKey
-- itself, so a key left unfolded here hides no duplicate.

-- +goose Up
ALTER TABLE groups ADD COLUMN name_key TEXT;
UPDATE groups SET name_key = lower(name);
UPDATE groups SET name_key = name_key || '#' || id
    WHERE EXISTS (SELECT 1 FROM groups o WHERE o.tenant_id = groups.tenant_id AND lower(o.name) = lower(groups.name) AND o.id < groups.id);
CREATE UNIQUE INDEX groups_name_key ON groups (tenant_id, name_key);

-- +goose Down
DROP INDEX groups_name_key;
ALTER TABLE groups DROP COLUMN name_key;
