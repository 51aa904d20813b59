-- Every committee keeps its own filing folder: a folder of the document
-- store under the tenant's root folder "Gremien", made with the committee
-- (older committees get theirs at start-up). Who reads and writes it is
-- not copied into folder_acl but derived from committee_members whenever
-- a query runs (documents/access.go): the seats with a running term read,
-- chair, deputy chair and secretary write. The column has no foreign key:
-- purging the folder must stay possible, and a committee whose folder is
-- gone or in the trash gets a new one when it next files something.
--
-- minutes_filings also records the decision extracts (Beschlussauszüge)
-- filed with the approved minutes: agenda_item_id names the extract's
-- item, NULL for the minutes themselves. SQLite cannot add a foreign key
-- to a table: it is rebuilt (no other table refers to it).

-- +goose Up
ALTER TABLE committees ADD COLUMN filing_folder_id TEXT;
CREATE INDEX committees_filing_folder ON committees (tenant_id, filing_folder_id) WHERE filing_folder_id IS NOT NULL;

CREATE TABLE minutes_filings_new (
    tenant_id      TEXT NOT NULL,
    id             TEXT NOT NULL,
    minutes_id     TEXT NOT NULL,
    document_id    TEXT NOT NULL,
    revision_id    TEXT NOT NULL,
    filed_at       DATETIME NOT NULL,
    filed_by       TEXT NOT NULL,
    agenda_item_id TEXT,
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, revision_id),
    FOREIGN KEY (tenant_id, minutes_id) REFERENCES meeting_minutes (tenant_id, id) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, document_id) REFERENCES documents (tenant_id, id) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, revision_id) REFERENCES document_revisions (tenant_id, id) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, filed_by) REFERENCES memberships (tenant_id, id),
    FOREIGN KEY (tenant_id, agenda_item_id) REFERENCES agenda_items (tenant_id, id) ON DELETE CASCADE
);
INSERT INTO minutes_filings_new (tenant_id, id, minutes_id, document_id, revision_id, filed_at, filed_by)
    SELECT tenant_id, id, minutes_id, document_id, revision_id, filed_at, filed_by FROM minutes_filings;
DROP TABLE minutes_filings;
ALTER TABLE minutes_filings_new RENAME TO minutes_filings;
CREATE INDEX minutes_filings_minutes ON minutes_filings (tenant_id, minutes_id, filed_at);
CREATE INDEX minutes_filings_document ON minutes_filings (tenant_id, document_id);
CREATE INDEX minutes_filings_item ON minutes_filings (tenant_id, agenda_item_id) WHERE agenda_item_id IS NOT NULL;

-- +goose Down
CREATE TABLE minutes_filings_old (
    tenant_id   TEXT NOT NULL,
    id          TEXT NOT NULL,
    minutes_id  TEXT NOT NULL,
    document_id TEXT NOT NULL,
    revision_id TEXT NOT NULL,
    filed_at    DATETIME NOT NULL,
    filed_by    TEXT NOT NULL,
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, revision_id),
    FOREIGN KEY (tenant_id, minutes_id) REFERENCES meeting_minutes (tenant_id, id) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, document_id) REFERENCES documents (tenant_id, id) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, revision_id) REFERENCES document_revisions (tenant_id, id) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, filed_by) REFERENCES memberships (tenant_id, id)
);
INSERT INTO minutes_filings_old (tenant_id, id, minutes_id, document_id, revision_id, filed_at, filed_by)
    SELECT tenant_id, id, minutes_id, document_id, revision_id, filed_at, filed_by FROM minutes_filings WHERE agenda_item_id IS NULL;
DROP TABLE minutes_filings;
ALTER TABLE minutes_filings_old RENAME TO minutes_filings;
CREATE INDEX minutes_filings_minutes ON minutes_filings (tenant_id, minutes_id, filed_at);
CREATE INDEX minutes_filings_document ON minutes_filings (tenant_id, document_id);
DROP INDEX committees_filing_folder;
ALTER TABLE committees DROP COLUMN filing_folder_id;
