// Package archtest holds the tests that keep the tree shaped like the design card:
// which package may import which (imports_test.go) and how long a file or a
// function may grow (size_test.go). It has no code of its own.
package archtest
