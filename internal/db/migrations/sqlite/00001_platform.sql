-- Platform foundation: tenants, users, memberships, groups, invitations,
-- sessions, API tokens, throttling, audit log. Tenant-owned tables carry
-- tenant_id first in every key. (SQLite has no row-level security; the
-- tenant-scoped handle filters every query.)

-- +goose Up
CREATE TABLE tenants (
    id          TEXT PRIMARY KEY,
    slug        text NOT NULL UNIQUE CHECK (length(slug) BETWEEN 2 AND 63),
    name        text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    settings    TEXT NOT NULL DEFAULT '{}',
    created_at  DATETIME NOT NULL,
    updated_at  DATETIME NOT NULL
);

CREATE TABLE users (
    id                  TEXT PRIMARY KEY,
    email               text NOT NULL UNIQUE CHECK (email = lower(email)),
    display_name        text NOT NULL,
    password_hash       text NOT NULL,
    locale              text NOT NULL DEFAULT 'de',
    totp_secret         BLOB,
    totp_pending        BLOB,
    totp_enabled_at     DATETIME,
    totp_last_step      INTEGER NOT NULL DEFAULT 0,
    password_changed_at DATETIME NOT NULL,
    created_at          DATETIME NOT NULL,
    updated_at          DATETIME NOT NULL
);

CREATE TABLE recovery_codes (
    user_id     TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    id          TEXT NOT NULL,
    code_hash   text NOT NULL,
    used_at     DATETIME,
    created_at  DATETIME NOT NULL,
    PRIMARY KEY (user_id, id)
);

CREATE TABLE sessions (
    id           TEXT PRIMARY KEY,
    token_hash   BLOB NOT NULL UNIQUE,
    user_id      TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    mfa_pending  INTEGER NOT NULL,
    mfa_at       DATETIME,
    user_agent   text NOT NULL DEFAULT '',
    client_ip    text NOT NULL DEFAULT '',
    created_at   DATETIME NOT NULL,
    last_seen_at DATETIME NOT NULL,
    expires_at   DATETIME NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE api_tokens (
    id           TEXT PRIMARY KEY,
    user_id      TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name         text NOT NULL,
    token_hash   BLOB NOT NULL UNIQUE,
    created_at   DATETIME NOT NULL,
    expires_at   DATETIME,
    last_used_at DATETIME
);
CREATE INDEX api_tokens_user ON api_tokens (user_id);

CREATE TABLE auth_throttle (
    scope           text NOT NULL,
    key             text NOT NULL,
    failures        integer NOT NULL DEFAULT 0,
    last_failure_at DATETIME NOT NULL,
    locked_until    DATETIME,
    PRIMARY KEY (scope, key)
);

CREATE TABLE kv_store (
    key        text PRIMARY KEY,
    value      BLOB NOT NULL,
    expires_at DATETIME
);

CREATE TABLE memberships (
    tenant_id  TEXT NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    id         TEXT NOT NULL,
    user_id    TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    role       text NOT NULL CHECK (role IN ('admin', 'staff', 'committee', 'partner')),
    status     text NOT NULL CHECK (status IN ('active', 'deactivated')),
    created_at DATETIME NOT NULL,
    updated_at DATETIME NOT NULL,
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, user_id)
);
-- The one read across tenants: "which tenants is this user a member of",
-- allowed on PostgreSQL by the member_self policy.
CREATE INDEX memberships_user ON memberships (user_id);

CREATE TABLE groups (
    tenant_id   TEXT NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    id          TEXT NOT NULL,
    name        text NOT NULL,
    description text NOT NULL DEFAULT '',
    created_at  DATETIME NOT NULL,
    updated_at  DATETIME NOT NULL,
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, name)
);

CREATE TABLE group_members (
    tenant_id     TEXT NOT NULL,
    group_id      TEXT NOT NULL,
    membership_id TEXT NOT NULL,
    created_at    DATETIME NOT NULL,
    PRIMARY KEY (tenant_id, group_id, membership_id),
    FOREIGN KEY (tenant_id, group_id) REFERENCES groups (tenant_id, id) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, membership_id) REFERENCES memberships (tenant_id, id) ON DELETE CASCADE
);

CREATE TABLE invitations (
    tenant_id   TEXT NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    id          TEXT NOT NULL,
    email       text NOT NULL CHECK (email = lower(email)),
    role        text NOT NULL CHECK (role IN ('admin', 'staff', 'committee', 'partner')),
    token_hash  BLOB NOT NULL,
    invited_by  TEXT NOT NULL,
    created_at  DATETIME NOT NULL,
    expires_at  DATETIME NOT NULL,
    accepted_at DATETIME,
    revoked_at  DATETIME,
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, token_hash),
    FOREIGN KEY (tenant_id, invited_by) REFERENCES memberships (tenant_id, id)
);

CREATE TABLE audit_events (
    tenant_id     TEXT NOT NULL REFERENCES tenants (id),
    id            TEXT NOT NULL,
    seq           INTEGER NOT NULL CHECK (seq > 0),
    occurred_at   DATETIME NOT NULL,
    actor_user_id TEXT,
    actor_label   text NOT NULL DEFAULT '',
    action        text NOT NULL,
    target_type   text NOT NULL DEFAULT '',
    target_id     text NOT NULL DEFAULT '',
    client_ip     text NOT NULL DEFAULT '',
    request_id    text NOT NULL DEFAULT '',
    details       text NOT NULL DEFAULT '{}',
    prev_hash     text NOT NULL,
    hash          text NOT NULL,
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, seq)
);
CREATE INDEX audit_events_time ON audit_events (tenant_id, occurred_at);

-- +goose Down
DROP TABLE audit_events;
DROP TABLE invitations;
DROP TABLE group_members;
DROP TABLE groups;
DROP TABLE memberships;
DROP TABLE kv_store;
DROP TABLE auth_throttle;
DROP TABLE api_tokens;
DROP TABLE sessions;
DROP TABLE recovery_codes;
DROP TABLE users;
DROP TABLE tenants;
