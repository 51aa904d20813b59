-- PostgreSQL's search walks the most recent documents for common terms
-- (see the postgres migration of this number); SQLite's FTS5 search does
-- not: nothing to do.

-- +goose Up
SELECT 1;

-- +goose Down
SELECT 1;
