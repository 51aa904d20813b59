-- PostgreSQL announces changes behind cached principals to every instance
-- (see the postgres migration of this number). The embedded SQLite database
-- serves one instance, which caches no principals: nothing to do.

-- +goose Up
SELECT 1;

-- +goose Down
SELECT 1;
