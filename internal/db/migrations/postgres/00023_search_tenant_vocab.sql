-- SQLite only (its shared FTS5 vocabulary gains per-row instance tables);
-- PostgreSQL's lexicon is per tenant already (00005).

-- +goose Up
SELECT 1;

-- +goose Down
SELECT 1;
