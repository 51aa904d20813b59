-- Guests (issue 12, part 2): external partners invited into workspaces,
-- never into the tenant. A guest is a membership with the role 'partner'
-- and one row of guests, which holds its lifecycle: the sponsor (a staff
-- membership who answers for the guest and renews the access), the
-- organisation of the address book the guest belongs to, the expiry
-- (default 180 days, at most two years ahead), when the sponsor was
-- reminded (14 days before), when the access ran out (expired_at: the
-- membership was deactivated by the expiry sweep) and when the guest was
-- offboarded (taken out of every workspace and deactivated). Every partner
-- membership has a guests row (existing ones get one here, with no sponsor
-- and 180 days to run, so the access review shows them to an admin).
--
-- An organisation that is deleted leaves its guests without one: the
-- address book clears guests.organisation_id in the same transaction
-- (the foreign key itself restricts, on both engines).
--
-- A guest invitation is an invitation with the role 'partner' and a row of
-- guest_invitations naming the sponsor, the organisation and the expiry
-- the guest will get, and the workspaces (invitation_workspaces, with the
-- workspace role) the guest enters on accepting it.
--
-- users.last_sign_in_at is when the account last completed a sign-in
-- (password and, where required, the second factor): the access review's
-- "not signed in for 90 days".

-- +goose Up
ALTER TABLE users ADD COLUMN last_sign_in_at DATETIME;

CREATE TABLE guests (
    tenant_id       TEXT NOT NULL,
    membership_id   TEXT NOT NULL,
    sponsor_id      TEXT,
    organisation_id TEXT,
    expires_at      DATETIME NOT NULL,
    reminded_at     DATETIME,
    expired_at      DATETIME,
    offboarded_at   DATETIME,
    offboarded_by   TEXT,
    version         INTEGER NOT NULL DEFAULT 1 CHECK (version > 0),
    created_at      DATETIME NOT NULL,
    updated_at      DATETIME NOT NULL,
    PRIMARY KEY (tenant_id, membership_id),
    FOREIGN KEY (tenant_id, membership_id) REFERENCES memberships (tenant_id, id) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, sponsor_id) REFERENCES memberships (tenant_id, id),
    FOREIGN KEY (tenant_id, offboarded_by) REFERENCES memberships (tenant_id, id),
    FOREIGN KEY (tenant_id, organisation_id) REFERENCES organisations (tenant_id, id)
);
CREATE INDEX guests_expiry ON guests (tenant_id, expires_at);
CREATE INDEX guests_sponsor ON guests (tenant_id, sponsor_id);
CREATE INDEX guests_organisation ON guests (tenant_id, organisation_id);

INSERT INTO guests (tenant_id, membership_id, expires_at, created_at, updated_at)
SELECT tenant_id, id, strftime('%Y-%m-%d %H:%M:%f+00:00', 'now', '+180 days'), strftime('%Y-%m-%d %H:%M:%f+00:00', 'now'), strftime('%Y-%m-%d %H:%M:%f+00:00', 'now')
  FROM memberships WHERE role = 'partner';

CREATE TABLE guest_invitations (
    tenant_id       TEXT NOT NULL,
    invitation_id   TEXT NOT NULL,
    sponsor_id      TEXT NOT NULL,
    organisation_id TEXT,
    expires_at      DATETIME NOT NULL,
    PRIMARY KEY (tenant_id, invitation_id),
    FOREIGN KEY (tenant_id, invitation_id) REFERENCES invitations (tenant_id, id) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, sponsor_id) REFERENCES memberships (tenant_id, id),
    FOREIGN KEY (tenant_id, organisation_id) REFERENCES organisations (tenant_id, id)
);

CREATE TABLE invitation_workspaces (
    tenant_id     TEXT NOT NULL,
    invitation_id TEXT NOT NULL,
    workspace_id  TEXT NOT NULL,
    role          TEXT NOT NULL CHECK (role IN ('member', 'reader')),
    PRIMARY KEY (tenant_id, invitation_id, workspace_id),
    FOREIGN KEY (tenant_id, invitation_id) REFERENCES invitations (tenant_id, id) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, workspace_id) REFERENCES workspaces (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX invitation_workspaces_workspace ON invitation_workspaces (tenant_id, workspace_id);

-- +goose Down
DROP TABLE invitation_workspaces;
DROP TABLE guest_invitations;
DROP TABLE guests;
ALTER TABLE users DROP COLUMN last_sign_in_at;
