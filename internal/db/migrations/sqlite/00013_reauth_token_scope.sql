-- Re-authentication and API token scopes: see the postgres migration of
-- this number. SQLite cannot make a column NOT NULL in place, so
-- api_tokens is rebuilt (nothing references it).

-- +goose Up
ALTER TABLE sessions ADD COLUMN reauth_at DATETIME;

CREATE TABLE api_tokens_new (
    id           TEXT PRIMARY KEY,
    user_id      TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name         text NOT NULL,
    token_hash   BLOB NOT NULL UNIQUE,
    scope        text NOT NULL CHECK (scope IN ('read', 'write', 'admin')),
    created_at   DATETIME NOT NULL,
    expires_at   DATETIME NOT NULL,
    last_used_at DATETIME
);
INSERT INTO api_tokens_new (id, user_id, name, token_hash, scope, created_at, expires_at, last_used_at)
    SELECT id, user_id, name, token_hash, 'write', created_at,
           COALESCE(expires_at, strftime('%Y-%m-%d %H:%M:%f+00:00', 'now', '+90 days')), last_used_at
      FROM api_tokens;
DROP TABLE api_tokens;
ALTER TABLE api_tokens_new RENAME TO api_tokens;
CREATE INDEX api_tokens_user ON api_tokens (user_id);

-- +goose Down
CREATE TABLE api_tokens_old (
    id           TEXT PRIMARY KEY,
    user_id      TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name         text NOT NULL,
    token_hash   BLOB NOT NULL UNIQUE,
    created_at   DATETIME NOT NULL,
    expires_at   DATETIME,
    last_used_at DATETIME
);
INSERT INTO api_tokens_old (id, user_id, name, token_hash, created_at, expires_at, last_used_at)
    SELECT id, user_id, name, token_hash, created_at, expires_at, last_used_at FROM api_tokens;
DROP TABLE api_tokens;
ALTER TABLE api_tokens_old RENAME TO api_tokens;
CREATE INDEX api_tokens_user ON api_tokens (user_id);
ALTER TABLE sessions DROP COLUMN reauth_at;
