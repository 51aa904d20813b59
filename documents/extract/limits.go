package extract

import (
	"errors"
	"fmt"
)

// ErrLimit is returned (wrapped, with the limit that was reached) by Extract when a
// file needs more than a limit allows: more nesting than MaxXMLDepth, more time than
// Timeout, or — in a child process (see Sandbox) — more memory, CPU time or output
// than the sandbox grants. Such a file is not extractable within the limits; trying
// it again gives the same answer, so callers mark it instead of retrying.
var ErrLimit = errors.New("extract: limit exceeded")

// MaxXMLDepth bounds the nesting of elements in an XML part (office files, XML
// files). Real documents nest a few dozen levels (tables in tables); ten million
// nested paragraphs in a 73 KB DOCX would make the XML decoder keep ten million
// open elements. A deeper file fails with ErrLimit.
const MaxXMLDepth = 1000

// limitError wraps ErrLimit with what was exceeded.
func limitError(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrLimit, fmt.Sprintf(format, args...))
}

// errTooDeep is the error of an XML part nested deeper than MaxXMLDepth.
func errTooDeep() error {
	return limitError("XML nested deeper than %d elements", MaxXMLDepth)
}
