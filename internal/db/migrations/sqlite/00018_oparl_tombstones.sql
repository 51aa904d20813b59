-- What left the OParl publication (package oparl/publication).
--
-- OParl 1.1 keeps a deleted object at its URL as deleted: true with the
-- time of its deletion as modified, and lists it when a client asks for
-- modified_since. An object leaves the publication when it is purged,
-- detached, made non-public, its committee is, its seat is deleted, its
-- place removed, or a legislative term is taken out of the settings; the
-- domain operation that does it writes, in its own transaction:
--
-- oparl_tombstones: one row per object that left (kind: its OParl type;
-- object_id: its id; a legislative term, whose id is its first day (or
-- "current"), has that in term and a name-based UUID of it in object_id;
-- parent_id: the object whose own list also held it, a Meeting's
-- committee; created_at: its created as it was published; deleted_at: when
-- it left). The row goes when the object is published again.
--
-- oparl_touches: the latest time an object's modified must reach because
-- something it embeds or names left or came back, or it came back itself.
--
-- (SQLite has no row-level security; the tenant-scoped handle and explicit
-- tenant_id predicates filter every query.)

-- +goose Up
CREATE TABLE oparl_tombstones (
    tenant_id  TEXT NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    kind       TEXT NOT NULL CHECK (kind IN ('Body', 'LegislativeTerm', 'Organization', 'Person', 'Membership', 'Meeting',
                   'Location', 'AgendaItem', 'Consultation', 'Paper', 'File')),
    object_id  TEXT NOT NULL,
    term       TEXT CHECK (length(term) BETWEEN 1 AND 64),
    parent_id  TEXT,
    created_at DATETIME NOT NULL,
    deleted_at DATETIME NOT NULL,
    PRIMARY KEY (tenant_id, kind, object_id),
    CHECK ((kind = 'LegislativeTerm') = (term IS NOT NULL))
);
CREATE INDEX oparl_tombstones_deleted ON oparl_tombstones (tenant_id, kind, deleted_at);

CREATE TABLE oparl_touches (
    tenant_id  TEXT NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    kind       TEXT NOT NULL CHECK (kind IN ('Body', 'LegislativeTerm', 'Organization', 'Person', 'Membership', 'Meeting',
                   'Location', 'AgendaItem', 'Consultation', 'Paper', 'File')),
    object_id  TEXT NOT NULL,
    touched_at DATETIME NOT NULL,
    PRIMARY KEY (tenant_id, kind, object_id)
);

-- +goose Down
DROP TABLE oparl_touches;
DROP TABLE oparl_tombstones;
