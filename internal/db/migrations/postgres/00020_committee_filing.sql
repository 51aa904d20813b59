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
-- item, NULL for the minutes themselves.

-- +goose Up
ALTER TABLE committees ADD COLUMN filing_folder_id uuid;
CREATE INDEX committees_filing_folder ON committees (tenant_id, filing_folder_id) WHERE filing_folder_id IS NOT NULL;
ALTER TABLE minutes_filings ADD COLUMN agenda_item_id uuid;
ALTER TABLE minutes_filings ADD CONSTRAINT minutes_filings_item
    FOREIGN KEY (tenant_id, agenda_item_id) REFERENCES agenda_items (tenant_id, id) ON DELETE CASCADE;
CREATE INDEX minutes_filings_item ON minutes_filings (tenant_id, agenda_item_id) WHERE agenda_item_id IS NOT NULL;

-- +goose Down
DROP INDEX minutes_filings_item;
ALTER TABLE minutes_filings DROP CONSTRAINT minutes_filings_item;
DELETE FROM minutes_filings WHERE agenda_item_id IS NOT NULL;
ALTER TABLE minutes_filings DROP COLUMN agenda_item_id;
DROP INDEX committees_filing_folder;
ALTER TABLE committees DROP COLUMN filing_folder_id;
