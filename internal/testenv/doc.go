// Package testenv starts and provisions the real components (PostgreSQL, S3) that
// tests run against; it fails the test, never skips, when one is missing.
package testenv
