-- WebDAV as real clients use it (Windows Explorer, macOS Finder, Office,
-- LibreOffice):
--
-- 1. A document's file name, separate from its title: the name WebDAV
--    shows, with its extension, safe for Windows, unique among a folder's
--    live documents in NFC and case-insensitively (file_name_key is the
--    case-folded form, computed by the application like title_key).
-- 2. Dead properties (RFC 4918 PROPPATCH) of documents and folders,
--    removed with the resource.
-- 3. Operating-system helper files (.DS_Store, ._*, Thumbs.db,
--    desktop.ini, ~$*, .~lock.*#): small, kept apart from the document
--    store for the member who wrote them, removed by the sweeper after a day.
-- 4. Shared WebDAV locks beside the exclusive ones.
--
-- Tenant-owned: tenant_id NOT NULL and first in every key, composite
-- foreign keys including tenant_id, forced row-level security.

-- +goose Up
ALTER TABLE documents ADD COLUMN file_name text;
ALTER TABLE documents ADD COLUMN file_name_key text COLLATE "C";

-- Existing documents: the title, made a Windows-safe file name, with the
-- extension of its content type when it has none. Every step keeps
-- file_name_key the case-folded form of file_name (the replaced and
-- appended characters are ASCII). Seen by the owner without row-level
-- security for once.
ALTER TABLE documents NO FORCE ROW LEVEL SECURITY;

UPDATE documents SET file_name = left(title, 200), file_name_key = left(title_key, 200);
UPDATE documents SET
    file_name = replace(replace(replace(replace(replace(replace(replace(file_name, ':', '_'), '*', '_'), '?', '_'), '"', '_'), '<', '_'), '>', '_'), '|', '_'),
    file_name_key = replace(replace(replace(replace(replace(replace(replace(file_name_key, ':', '_'), '*', '_'), '?', '_'), '"', '_'), '<', '_'), '>', '_'), '|', '_');
UPDATE documents SET file_name = rtrim(file_name, '. '), file_name_key = rtrim(file_name_key, '. ');
UPDATE documents SET file_name = 'Dokument', file_name_key = 'dokument' WHERE file_name = '';
UPDATE documents SET file_name = '_' || file_name, file_name_key = '_' || file_name_key
 WHERE rtrim(split_part(file_name_key, '.', 1), ' ') IN ('con', 'prn', 'aux', 'nul',
       'com0', 'com1', 'com2', 'com3', 'com4', 'com5', 'com6', 'com7', 'com8', 'com9', 'com¹', 'com²', 'com³',
       'lpt0', 'lpt1', 'lpt2', 'lpt3', 'lpt4', 'lpt5', 'lpt6', 'lpt7', 'lpt8', 'lpt9', 'lpt¹', 'lpt²', 'lpt³');
UPDATE documents d SET file_name = d.file_name || e.ext, file_name_key = d.file_name_key || e.ext
  FROM (VALUES ('application/pdf', '.pdf'), ('image/png', '.png'), ('image/jpeg', '.jpg'), ('image/gif', '.gif'),
               ('image/tiff', '.tif'), ('image/webp', '.webp'), ('image/bmp', '.bmp'), ('application/zip', '.zip'),
               ('application/rtf', '.rtf'), ('text/plain', '.txt'), ('text/markdown', '.md'), ('text/html', '.html'),
               ('text/xml', '.xml'), ('text/csv', '.csv'),
               ('application/vnd.openxmlformats-officedocument.wordprocessingml.document', '.docx'),
               ('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', '.xlsx'),
               ('application/vnd.openxmlformats-officedocument.presentationml.presentation', '.pptx'),
               ('application/vnd.ms-word.document.macroEnabled.12', '.docm'),
               ('application/vnd.ms-excel.sheet.macroEnabled.12', '.xlsm'),
               ('application/vnd.ms-powerpoint.presentation.macroEnabled.12', '.pptm'),
               ('application/vnd.oasis.opendocument.text', '.odt'),
               ('application/vnd.oasis.opendocument.spreadsheet', '.ods'),
               ('application/vnd.oasis.opendocument.presentation', '.odp')) AS e (ct, ext)
 WHERE strpos(d.file_name, '.') = 0 AND trim(split_part(d.content_type, ';', 1)) = e.ct;
-- Names that now collide among a folder's live documents: all but the
-- oldest get the end of their id in front.
UPDATE documents d SET file_name = right(d.id::text, 8) || ' ' || d.file_name,
       file_name_key = right(d.id::text, 8) || ' ' || d.file_name_key
 WHERE d.deleted_at IS NULL AND EXISTS (SELECT 1 FROM documents o
        WHERE o.tenant_id = d.tenant_id AND o.folder_id = d.folder_id AND o.deleted_at IS NULL
          AND o.file_name_key = d.file_name_key AND o.id < d.id);

ALTER TABLE documents FORCE ROW LEVEL SECURITY;

ALTER TABLE documents ALTER COLUMN file_name SET NOT NULL;
ALTER TABLE documents ALTER COLUMN file_name_key SET NOT NULL;
ALTER TABLE documents ADD CONSTRAINT documents_file_name_length CHECK (length(file_name) BETWEEN 1 AND 255);
CREATE UNIQUE INDEX documents_folder_file_name ON documents (tenant_id, folder_id, file_name_key) WHERE deleted_at IS NULL;

-- Dead properties: one row per property of a document or a folder, its
-- value the XML inside the property element (self-contained namespaces).
CREATE TABLE dav_properties (
    tenant_id   uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    id          uuid NOT NULL,
    document_id uuid,
    folder_id   uuid,
    namespace   text NOT NULL CHECK (length(namespace) <= 1024),
    name        text NOT NULL CHECK (length(name) BETWEEN 1 AND 255),
    lang        text NOT NULL DEFAULT '' CHECK (length(lang) <= 64),
    value       text NOT NULL CHECK (octet_length(value) <= 65536),
    updated_at  timestamptz NOT NULL,
    updated_by  uuid NOT NULL,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, document_id) REFERENCES documents (tenant_id, id) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, folder_id) REFERENCES folders (tenant_id, id) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, updated_by) REFERENCES memberships (tenant_id, id),
    CHECK ((document_id IS NULL) <> (folder_id IS NULL))
);
CREATE UNIQUE INDEX dav_properties_document ON dav_properties (tenant_id, document_id, namespace, name) WHERE document_id IS NOT NULL;
CREATE UNIQUE INDEX dav_properties_folder ON dav_properties (tenant_id, folder_id, namespace, name) WHERE folder_id IS NOT NULL;
CREATE INDEX dav_properties_author ON dav_properties (tenant_id, updated_by);

-- Helper files of the operating systems and office programs, per member
-- and folder (folder_id 00000000-0000-0000-0000-000000000000: the tenant's
-- WebDAV root; no foreign key, the sweeper removes every row a day after
-- its last write).
CREATE TABLE dav_files (
    tenant_id  uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    id         uuid NOT NULL,
    folder_id  uuid NOT NULL,
    owner_id   uuid NOT NULL,
    name       text NOT NULL CHECK (length(name) BETWEEN 1 AND 255),
    name_key   text COLLATE "C" NOT NULL,
    size_bytes bigint NOT NULL CHECK (size_bytes BETWEEN 0 AND 1048576),
    content    bytea NOT NULL CHECK (octet_length(content) <= 1048576),
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, folder_id, owner_id, name_key),
    FOREIGN KEY (tenant_id, owner_id) REFERENCES memberships (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX dav_files_age ON dav_files (tenant_id, updated_at);
CREATE INDEX dav_files_owner ON dav_files (tenant_id, owner_id);

ALTER TABLE dav_locks ADD COLUMN shared boolean NOT NULL DEFAULT false;
ALTER TABLE dav_locks ADD CONSTRAINT dav_locks_shared_not_checked_out CHECK (NOT (shared AND checked_out));

ALTER TABLE dav_properties ENABLE ROW LEVEL SECURITY;
ALTER TABLE dav_properties FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON dav_properties
    USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid)
    WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);

ALTER TABLE dav_files ENABLE ROW LEVEL SECURITY;
ALTER TABLE dav_files FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON dav_files
    USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid)
    WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);

-- +goose Down
ALTER TABLE dav_locks DROP CONSTRAINT dav_locks_shared_not_checked_out;
ALTER TABLE dav_locks NO FORCE ROW LEVEL SECURITY;
DELETE FROM dav_locks WHERE shared;
ALTER TABLE dav_locks FORCE ROW LEVEL SECURITY;
ALTER TABLE dav_locks DROP COLUMN shared;
DROP TABLE dav_files;
DROP TABLE dav_properties;
DROP INDEX documents_folder_file_name;
ALTER TABLE documents DROP CONSTRAINT documents_file_name_length;
ALTER TABLE documents DROP COLUMN file_name_key;
ALTER TABLE documents DROP COLUMN file_name;
