-- The address book (Adressdatenbank, workspaces/contacts): a tenant-wide
-- directory of external organisations and their contact people. Guests
-- (a later part of issue 12) will name their organisation by its id.
--
-- name_key is the organisation's name normalised for duplicate detection
-- (lower case, NFKC, punctuation and repeated spaces folded; computed in
-- Go): one organisation per name and postcode. email_key is an address in
-- lower case ('' when none): one contact per address; organisations are
-- checked for a repeated address in Go (an agency's shared mailbox may
-- serve two of them by hand, never by import). Deleting an organisation
-- deletes its contacts.

-- +goose Up
CREATE TABLE organisations (
    tenant_id   TEXT NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    id          TEXT NOT NULL,
    name        TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 300),
    name_key    TEXT NOT NULL CHECK (length(name_key) BETWEEN 1 AND 300),
    kind        TEXT NOT NULL CHECK (kind IN ('authority', 'company', 'association', 'other')),
    street      TEXT NOT NULL DEFAULT '' CHECK (length(street) <= 300),
    postcode    TEXT NOT NULL DEFAULT '' CHECK (length(postcode) <= 20),
    city        TEXT NOT NULL DEFAULT '' CHECK (length(city) <= 200),
    country     TEXT NOT NULL DEFAULT '' CHECK (length(country) <= 100),
    email       TEXT NOT NULL DEFAULT '' CHECK (length(email) <= 320),
    email_key   TEXT NOT NULL DEFAULT '' CHECK (length(email_key) <= 320),
    phone       TEXT NOT NULL DEFAULT '' CHECK (length(phone) <= 50),
    website     TEXT NOT NULL DEFAULT '' CHECK (length(website) <= 2000),
    notes       TEXT NOT NULL DEFAULT '' CHECK (length(notes) <= 5000),
    version     INTEGER NOT NULL DEFAULT 1 CHECK (version > 0),
    created_at  DATETIME NOT NULL,
    created_by  TEXT,
    updated_at  DATETIME NOT NULL,
    PRIMARY KEY (tenant_id, id)
);
CREATE UNIQUE INDEX organisations_name_postcode ON organisations (tenant_id, name_key, postcode);
CREATE INDEX organisations_email ON organisations (tenant_id, email_key) WHERE email_key <> '';

CREATE TABLE contacts (
    tenant_id       TEXT NOT NULL,
    id              TEXT NOT NULL,
    organisation_id TEXT NOT NULL,
    salutation      TEXT NOT NULL DEFAULT '' CHECK (length(salutation) <= 50),
    title           TEXT NOT NULL DEFAULT '' CHECK (length(title) <= 100),
    given_name      TEXT NOT NULL DEFAULT '' CHECK (length(given_name) <= 200),
    family_name     TEXT NOT NULL DEFAULT '' CHECK (length(family_name) <= 200),
    -- family and given name in lower case, for the order of the list
    sort_key        TEXT NOT NULL CHECK (length(sort_key) BETWEEN 1 AND 401),
    job_function    TEXT NOT NULL DEFAULT '' CHECK (length(job_function) <= 200),
    email           TEXT NOT NULL DEFAULT '' CHECK (length(email) <= 320),
    email_key       TEXT NOT NULL DEFAULT '' CHECK (length(email_key) <= 320),
    phone           TEXT NOT NULL DEFAULT '' CHECK (length(phone) <= 50),
    notes           TEXT NOT NULL DEFAULT '' CHECK (length(notes) <= 5000),
    version         INTEGER NOT NULL DEFAULT 1 CHECK (version > 0),
    created_at      DATETIME NOT NULL,
    created_by      TEXT,
    updated_at      DATETIME NOT NULL,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, organisation_id) REFERENCES organisations (tenant_id, id) ON DELETE CASCADE,
    CHECK (given_name <> '' OR family_name <> '')
);
CREATE UNIQUE INDEX contacts_email ON contacts (tenant_id, email_key) WHERE email_key <> '';
CREATE INDEX contacts_organisation ON contacts (tenant_id, organisation_id, sort_key, id);
CREATE INDEX contacts_sort ON contacts (tenant_id, sort_key, id);

-- +goose Down
DROP TABLE contacts;
DROP TABLE organisations;
