// Package archtest holds the tests that keep the tree shaped like the design card:
// which package may import which (imports_test.go). It has no code of its own.
package archtest
