-- Re-authentication and API token scopes (issue 9).
--
-- sessions.reauth_at is when the session last gave a fresh proof (password
-- and, when the account has one, its current second factor) at
-- POST /api/v1/me/reauth. Changing the password, re-enrolling TOTP,
-- renewing recovery codes and creating API tokens need a proof of the same
-- session younger than five minutes. It is NULL until the first proof; a
-- sign-in does not count.
--
-- api_tokens.scope bounds what a token may do whatever its owner may:
-- read (GET and HEAD only), write (no admin routes, no admin powers) or
-- admin (the owner's admin role where they have it). Every token now
-- expires (at most a year after its creation, 90 days by default).
--
-- Tokens issued before this migration get the scope write: never more than
-- they could do, and admin powers must be asked for anew (with a proof).
-- Those without an expiry expire 90 days after the migration.
--
-- Both tables are global (account-level); a change to either row is
-- announced to the principal caches by the triggers of migration 00008.

-- +goose Up
ALTER TABLE sessions ADD COLUMN reauth_at timestamptz;

ALTER TABLE api_tokens ADD COLUMN scope text NOT NULL DEFAULT 'write' CHECK (scope IN ('read', 'write', 'admin'));
ALTER TABLE api_tokens ALTER COLUMN scope DROP DEFAULT;
UPDATE api_tokens SET expires_at = now() + interval '90 days' WHERE expires_at IS NULL;
ALTER TABLE api_tokens ALTER COLUMN expires_at SET NOT NULL;

-- +goose Down
ALTER TABLE api_tokens ALTER COLUMN expires_at DROP NOT NULL;
ALTER TABLE api_tokens DROP COLUMN scope;
ALTER TABLE sessions DROP COLUMN reauth_at;
