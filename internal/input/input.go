// Package input holds the rules that every piece of text from outside
// passes before a domain package stores it: JSON bodies, path and query
// parameters, WebDAV paths, and the names of folders, documents, groups,
// tenants, committees and files.
//
//   - Text (any string, including descriptions and JSON keys) is valid UTF-8
//     without NUL and without C0/C1 control characters other than tab, line
//     feed and carriage return.
//   - A line (a single-line field) has no control characters at all.
//   - A name is a line without bidirectional formatting characters (which
//     can make "exe.pdf" look like "fdp.exe"), trimmed and normalised to
//     Unicode NFC, so that "ä" typed as one code point and as "a" plus a
//     combining diaeresis (macOS file names) are the same name.
//
// The checks are linear in the length of their input.
package input

import (
	"errors"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/kollab/kollab/internal/errs"
	"golang.org/x/text/unicode/norm"
)

// The reasons a string is refused.
var (
	ErrEncoding = errors.New("not valid UTF-8")
	ErrControl  = errors.New("control character")
	ErrBidi     = errors.New("bidirectional formatting character")
)

// freeTextControl reports whether r is a control character that free text
// may not contain (all but tab, line feed and carriage return).
func freeTextControl(r rune) bool {
	return unicode.IsControl(r) && r != '\t' && r != '\n' && r != '\r'
}

// CheckText checks free text: valid UTF-8, no NUL, no C0/C1 control
// characters except tab, line feed and carriage return.
func CheckText(s string) error {
	if !utf8.ValidString(s) {
		return ErrEncoding
	}
	if strings.IndexFunc(s, freeTextControl) >= 0 {
		return ErrControl
	}
	return nil
}

// CheckLine checks a single-line value: as CheckText, and no tab, line
// feed or carriage return either.
func CheckLine(s string) error {
	if !utf8.ValidString(s) {
		return ErrEncoding
	}
	if strings.IndexFunc(s, unicode.IsControl) >= 0 {
		return ErrControl
	}
	return nil
}

// CheckName checks a name as it is (see Name): a line without
// bidirectional formatting characters.
func CheckName(s string) error {
	if err := CheckLine(s); err != nil {
		return err
	}
	if strings.IndexFunc(s, isBidi) >= 0 {
		return ErrBidi
	}
	return nil
}

// isBidi reports the bidirectional formatting characters: embeddings,
// overrides, isolates and the implicit marks (U+061C, U+200E, U+200F,
// U+202A–U+202E, U+2066–U+2069).
func isBidi(r rune) bool { return unicode.Is(unicode.Bidi_Control, r) }

// NFC returns s in Unicode normalisation form C (s itself when it already
// is, without allocating).
func NFC(s string) string {
	if norm.NFC.IsNormalString(s) {
		return s
	}
	return norm.NFC.String(s)
}

// Name checks a name and returns it trimmed and in NFC. The error is an
// errs.Invalid for field.
func Name(field, s string) (string, error) {
	if err := CheckName(s); err != nil {
		return "", Invalid(field, err)
	}
	return NFC(strings.TrimSpace(s)), nil
}

// Line checks a single-line value for field and returns it trimmed.
func Line(field, s string) (string, error) {
	if err := CheckLine(s); err != nil {
		return "", Invalid(field, err)
	}
	return strings.TrimSpace(s), nil
}

// Text checks free text for field.
func Text(field, s string) error {
	if err := CheckText(s); err != nil {
		return Invalid(field, err)
	}
	return nil
}

// Invalid turns a refusal of this package into the domain error for field.
func Invalid(field string, err error) *errs.Error {
	switch {
	case errors.Is(err, ErrEncoding):
		return errs.InvalidField(field, errs.M("input.input-not-valid-utf-8", "Die Angabe ist kein gültiger UTF-8-Text.", "The input is not valid UTF-8 text."))
	case errors.Is(err, ErrBidi):
		return errs.InvalidField(field, errs.M("input.names-may-not-contain-bidirectional", "Namen dürfen keine Steuerzeichen für die Schreibrichtung enthalten.", "Names may not contain bidirectional formatting characters."))
	default:
		return errs.InvalidField(field, errs.M("input.control-character", "Die Angabe enthält ein unzulässiges Steuerzeichen.", "The input contains a control character that is not allowed."))
	}
}
