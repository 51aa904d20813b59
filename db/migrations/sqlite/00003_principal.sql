-- PostgreSQL resolves a principal with the function kollab_principal; SQLite
-- has no row-level security and runs the same query directly (auth package).
-- This version keeps both dialects' migration numbers in step.

-- +goose Up
SELECT 1;

-- +goose Down
SELECT 1;
