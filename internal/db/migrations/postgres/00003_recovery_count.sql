-- Keep the number of unused recovery codes on the account, so that resolving
-- a principal on every request needs no count over recovery_codes.

-- +goose Up
ALTER TABLE users ADD COLUMN recovery_codes_left integer NOT NULL DEFAULT 0 CHECK (recovery_codes_left >= 0);
UPDATE users SET recovery_codes_left =
    (SELECT count(*) FROM recovery_codes r WHERE r.user_id = users.id AND r.used_at IS NULL);

-- +goose Down
ALTER TABLE users DROP COLUMN recovery_codes_left;
