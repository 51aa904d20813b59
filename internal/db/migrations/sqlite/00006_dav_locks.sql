-- WebDAV locks (RFC 4918 LOCK/UNLOCK), kept in the database so that they
-- hold across every instance behind the load balancer. A lock names a
-- resource by its path below /dav/{tenant}/ (case-folded, as names compare
-- case-insensitively); an infinite-depth lock also covers everything below
-- that path. A lock on a document may additionally hold the document's
-- check-out (documents.lock_owner_id); checked_out says whether this lock
-- took it, and so must give it back on UNLOCK.
--
-- Tenant-owned: tenant_id NOT NULL and first in every key, composite
-- foreign keys including tenant_id. (SQLite has no row-level security; the
-- tenant-scoped handle and explicit tenant_id predicates filter every query.)

-- +goose Up
CREATE TABLE dav_locks (
    tenant_id   TEXT NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    -- Random (UUIDv4): the lock token is urn:uuid:<id>.
    id          TEXT NOT NULL,
    -- The locked path as the client named it, and its case-folded key.
    root        TEXT NOT NULL CHECK (length(root) BETWEEN 1 AND 8192),
    root_key    TEXT NOT NULL CHECK (length(root_key) BETWEEN 1 AND 8192),
    zero_depth  INTEGER NOT NULL CHECK (zero_depth IN (0, 1)),
    -- The membership that holds the lock; only it may use the token.
    owner_id    TEXT NOT NULL,
    -- The client's <D:owner> XML, verbatim.
    owner_xml   TEXT NOT NULL DEFAULT '' CHECK (length(owner_xml) <= 4096),
    document_id TEXT,
    checked_out INTEGER NOT NULL DEFAULT 0 CHECK (checked_out IN (0, 1)),
    created_at  DATETIME NOT NULL,
    expires_at  DATETIME NOT NULL,
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

-- +goose Down
DROP TABLE dav_locks;
