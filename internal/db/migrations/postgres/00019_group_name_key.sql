-- Group names are unique per tenant regardless of case and Unicode form:
-- "Bauamt", "BAUAMT" and "bauamt" are one name. name_key is the name in
-- NFC, case-folded (tenant.groupKey computes it; names are stored in NFC
-- already). Existing rows get lower(name); of two that fold to the same
-- key, the later one keeps its name and gets its id appended to its key,
-- so that the unique index can be built (an admin renames it when needed).
-- The column stays nullable: the service always writes it; a row written
-- without it (raw SQL in tests) is simply not covered by the index, whose
-- NULLs are distinct.
--
-- The backfill runs with row-level security not forced for the owner, so
-- that it reaches every tenant's rows; FORCE is restored right after.

-- +goose Up
ALTER TABLE groups ADD COLUMN name_key text COLLATE "C";
ALTER TABLE groups NO FORCE ROW LEVEL SECURITY;
UPDATE groups SET name_key = lower(name);
UPDATE groups g SET name_key = g.name_key || '#' || g.id::text
    WHERE EXISTS (SELECT 1 FROM groups o WHERE o.tenant_id = g.tenant_id AND lower(o.name) = lower(g.name) AND o.id < g.id);
ALTER TABLE groups FORCE ROW LEVEL SECURITY;
CREATE UNIQUE INDEX groups_name_key ON groups (tenant_id, name_key);

-- +goose Down
DROP INDEX groups_name_key;
ALTER TABLE groups DROP COLUMN name_key;
