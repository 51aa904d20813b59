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
    tenant_id   uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    id          uuid NOT NULL,
    name        text NOT NULL CHECK (length(name) BETWEEN 1 AND 300),
    name_key    text NOT NULL CHECK (length(name_key) BETWEEN 1 AND 300),
    kind        text NOT NULL CHECK (kind IN ('authority', 'company', 'association', 'other')),
    street      text NOT NULL DEFAULT '' CHECK (length(street) <= 300),
    postcode    text NOT NULL DEFAULT '' CHECK (length(postcode) <= 20),
    city        text NOT NULL DEFAULT '' CHECK (length(city) <= 200),
    country     text NOT NULL DEFAULT '' CHECK (length(country) <= 100),
    email       text NOT NULL DEFAULT '' CHECK (length(email) <= 320),
    email_key   text NOT NULL DEFAULT '' CHECK (length(email_key) <= 320),
    phone       text NOT NULL DEFAULT '' CHECK (length(phone) <= 50),
    website     text NOT NULL DEFAULT '' CHECK (length(website) <= 2000),
    notes       text NOT NULL DEFAULT '' CHECK (length(notes) <= 5000),
    version     bigint NOT NULL DEFAULT 1 CHECK (version > 0),
    created_at  timestamptz NOT NULL,
    created_by  uuid,
    updated_at  timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, id)
);
CREATE UNIQUE INDEX organisations_name_postcode ON organisations (tenant_id, name_key, postcode);
CREATE INDEX organisations_email ON organisations (tenant_id, email_key) WHERE email_key <> '';

CREATE TABLE contacts (
    tenant_id       uuid NOT NULL,
    id              uuid NOT NULL,
    organisation_id uuid NOT NULL,
    salutation      text NOT NULL DEFAULT '' CHECK (length(salutation) <= 50),
    title           text NOT NULL DEFAULT '' CHECK (length(title) <= 100),
    given_name      text NOT NULL DEFAULT '' CHECK (length(given_name) <= 200),
    family_name     text NOT NULL DEFAULT '' CHECK (length(family_name) <= 200),
    -- family and given name in lower case, for the order of the list
    sort_key        text NOT NULL CHECK (length(sort_key) BETWEEN 1 AND 401),
    job_function    text NOT NULL DEFAULT '' CHECK (length(job_function) <= 200),
    email           text NOT NULL DEFAULT '' CHECK (length(email) <= 320),
    email_key       text NOT NULL DEFAULT '' CHECK (length(email_key) <= 320),
    phone           text NOT NULL DEFAULT '' CHECK (length(phone) <= 50),
    notes           text NOT NULL DEFAULT '' CHECK (length(notes) <= 5000),
    version         bigint NOT NULL DEFAULT 1 CHECK (version > 0),
    created_at      timestamptz NOT NULL,
    created_by      uuid,
    updated_at      timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, organisation_id) REFERENCES organisations (tenant_id, id) ON DELETE CASCADE,
    CHECK (given_name <> '' OR family_name <> '')
);
CREATE UNIQUE INDEX contacts_email ON contacts (tenant_id, email_key) WHERE email_key <> '';
CREATE INDEX contacts_organisation ON contacts (tenant_id, organisation_id, sort_key, id);
CREATE INDEX contacts_sort ON contacts (tenant_id, sort_key, id);

ALTER TABLE organisations ENABLE ROW LEVEL SECURITY;
ALTER TABLE organisations FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON organisations
    USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid)
    WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);

ALTER TABLE contacts ENABLE ROW LEVEL SECURITY;
ALTER TABLE contacts FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON contacts
    USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid)
    WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);

-- +goose Down
DROP TABLE contacts;
DROP TABLE organisations;
