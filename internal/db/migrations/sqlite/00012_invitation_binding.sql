-- Invitations bound to the invited address; sign-in throttling per account
-- and client address with an account-wide brake.
--
-- users.email_verified_at is when the account's address was proven: by
-- accepting an invitation (the link went to that address) or by the
-- operator who created the account. An invitation joins only an account
-- whose verified address is the invited one. Every account that exists
-- came one of these two ways, so all count as verified from their
-- creation.
--
-- auth_throttle.window_started_at is the start of the counting window of
-- the account-wide brake (scope pw-brake): its failures count from there
-- and start afresh when the window has passed. The former per-account
-- password counter (scope pw-account), which let anyone lock an account
-- for everyone, is gone: failures now count per account and client
-- address (pw-pair).

-- +goose Up
ALTER TABLE users ADD COLUMN email_verified_at DATETIME;
UPDATE users SET email_verified_at = created_at;

ALTER TABLE auth_throttle ADD COLUMN window_started_at DATETIME;
DELETE FROM auth_throttle WHERE scope = 'pw-account';

-- +goose Down
ALTER TABLE auth_throttle DROP COLUMN window_started_at;
ALTER TABLE users DROP COLUMN email_verified_at;
