-- WebDAV locks (RFC 4918 LOCK/UNLOCK), kept in the database so that they
-- hold across every instance behind the load balancer. A lock names a
-- resource by its path below /dav/{tenant}/ (case-folded, as names compare
-- case-insensitively); an infinite-depth lock also covers everything below
-- that path. A lock on a document may additionally hold the document's
-- check-out (documents.lock_owner_id); checked_out says whether this lock
-- took it, and so must give it back on UNLOCK.
--
-- Tenant-owned: tenant_id NOT NULL and first in every key, composite
-- foreign keys including tenant_id, forced row-level security.

-- +goose Up
CREATE TABLE dav_locks (
    tenant_id   uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    -- Random (UUIDv4): the lock token is urn:uuid:<id>.
    id          uuid NOT NULL,
    -- The locked path as the client named it, and its case-folded key.
    root        text NOT NULL CHECK (length(root) BETWEEN 1 AND 8192),
    root_key    text COLLATE "C" NOT NULL CHECK (length(root_key) BETWEEN 1 AND 8192),
    zero_depth  boolean NOT NULL,
    -- The membership that holds the lock; only it may use the token.
    owner_id    uuid NOT NULL,
    -- The client's <D:owner> XML, verbatim.
    owner_xml   text NOT NULL DEFAULT '' CHECK (length(owner_xml) <= 4096),
    document_id uuid,
    checked_out boolean NOT NULL DEFAULT false,
    created_at  timestamptz NOT NULL,
    expires_at  timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, owner_id) REFERENCES memberships (tenant_id, id) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, document_id) REFERENCES documents (tenant_id, id) ON DELETE CASCADE,
    CHECK (NOT checked_out OR document_id IS NOT NULL),
    CHECK (expires_at > created_at)
);
CREATE INDEX dav_locks_root ON dav_locks (tenant_id, root_key);
CREATE INDEX dav_locks_expiry ON dav_locks (tenant_id, expires_at);
CREATE INDEX dav_locks_owner ON dav_locks (tenant_id, owner_id);
CREATE INDEX dav_locks_document ON dav_locks (tenant_id, document_id) WHERE document_id IS NOT NULL;

ALTER TABLE dav_locks ENABLE ROW LEVEL SECURITY;
ALTER TABLE dav_locks FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON dav_locks
    USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid)
    WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);

-- +goose Down
DROP TABLE dav_locks;
