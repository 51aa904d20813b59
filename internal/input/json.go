package input

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/go-json-experiment/json/jsontext"
)

// MaxDepth is how deeply the arrays and objects of a JSON body may nest.
// No request of the API nests deeper than a few levels; the limit stops a
// body of thousands of brackets before anything recurses over it.
const MaxDepth = 32

// MaxMembers is how many members one JSON object may have. The API's
// largest objects have some fifty (document metadata); the limit refuses
// a body of thousands of keys before it is decoded into a map.
const MaxMembers = 1000

// JSONError is a JSON body that CheckJSON refuses. Its message names the
// place (as body.a.b[2], keys that are not plain identifiers shown as …)
// and the reason, never the offending value.
type JSONError struct {
	// Path is the location in the body, "body" for the body as a whole.
	Path string
	// Err is the reason: ErrEncoding, ErrControl, ErrDepth, ErrMembers or
	// ErrSyntax.
	Err error
	// Offset is the byte offset of a syntax error.
	Offset int64
}

// The reasons CheckJSON refuses a body besides those of CheckText.
var (
	ErrDepth   = fmt.Errorf("nested deeper than %d levels", MaxDepth)
	ErrSyntax  = errors.New("malformed JSON")
	ErrMembers = fmt.Errorf("object with more than %d members", MaxMembers)
)

func (e *JSONError) Error() string {
	if errors.Is(e.Err, ErrSyntax) {
		return fmt.Sprintf("malformed JSON near byte %d", e.Offset)
	}
	if e.Path == "body" {
		return e.Err.Error()
	}
	return e.Err.Error() + " at " + e.Path
}

func (e *JSONError) Unwrap() error { return e.Err }

// SplitLocation takes a message of a JSONError (which may have travelled
// as text, e.g. through huma's "body" error detail) apart into the
// location it names and the reason; ok is false for other messages.
func SplitLocation(msg string) (loc, reason string, ok bool) {
	i := strings.LastIndex(msg, " at body")
	if i < 0 {
		return "", "", false
	}
	loc, reason = msg[i+len(" at "):], msg[:i]
	if loc != "body" && !strings.HasPrefix(loc, "body.") && !strings.HasPrefix(loc, "body[") {
		return "", "", false
	}
	return loc, reason, true
}

// CheckJSON checks a JSON body in one pass over its tokens: it must be one
// well-formed JSON value in valid UTF-8, nested at most MaxDepth deep, and
// every string in it, object keys included, must be acceptable text
// (CheckText). The work is linear in the length of data, and a refused
// body is refused at the first offending token. The tokenizer is jsontext
// (encoding/json/v2's), which reads a token without the per-value cost of
// encoding/json's Decoder.Token.
func CheckJSON(data []byte) error {
	dec := jsontext.NewDecoder(bytes.NewReader(data), jsontext.AllowDuplicateNames(true))
	syntax := func(err error) error {
		off := dec.InputOffset()
		var se *jsontext.SyntacticError
		if errors.As(err, &se) {
			off = se.ByteOffset
		}
		return &JSONError{Path: "body", Err: ErrSyntax, Offset: off}
	}
	for {
		tok, err := dec.ReadToken()
		if err != nil {
			// io.EOF: the body ended before its value did (or had none).
			return syntax(err)
		}
		switch tok.Kind() {
		case '{', '[':
			if dec.StackDepth() > MaxDepth {
				return &JSONError{Path: location(dec.StackIndex, dec.StackPointer()), Err: ErrDepth}
			}
		case '"':
			if err := CheckText(tok.String()); err != nil {
				return &JSONError{Path: location(dec.StackIndex, dec.StackPointer()), Err: err}
			}
			// A name is the odd token of its object: the length counts
			// names and values read so far.
			if kind, n := dec.StackIndex(dec.StackDepth()); kind == '{' && n%2 == 1 && n/2 >= MaxMembers {
				return &JSONError{Path: location(dec.StackIndex, dec.StackPointer().Parent()), Err: ErrMembers}
			}
		}
		if dec.StackDepth() == 0 {
			// One top-level value; anything after it is malformed.
			if _, err := dec.ReadToken(); err != io.EOF {
				return syntax(err)
			}
			return nil
		}
	}
}

// location is a position of the decoder (its JSON pointer and the kinds of
// the enclosing values) as body.a.b[2], keys that are not short
// identifiers shown as "…".
func location(stack func(int) (jsontext.Kind, int64), p jsontext.Pointer) string {
	var b strings.Builder
	b.WriteString("body")
	level := 0
	for tok := range p.Tokens() {
		level++
		if kind, _ := stack(level); kind == '[' {
			b.WriteByte('[')
			b.WriteString(tok)
			b.WriteByte(']')
		} else {
			b.WriteByte('.')
			b.WriteString(safeKey(tok))
		}
	}
	return b.String()
}

// safeKey is key when it is a short identifier, else "…": a location
// never repeats arbitrary text of the request.
func safeKey(key string) string {
	if len(key) == 0 || len(key) > 64 {
		return "…"
	}
	for i := 0; i < len(key); i++ {
		b := key[i]
		if !(b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b >= '0' && b <= '9' || b == '_' || b == '-') {
			return "…"
		}
	}
	return key
}

// SafeLocation is loc (a location such as body.a.b[2] or query.limit)
// when each of its parts is a short identifier (see safeKey) with
// optional indexes, else its longest prefix of such parts followed by
// ".…": a problem never repeats arbitrary text of the request.
func SafeLocation(loc string) string {
	var b strings.Builder
	rest := loc
	for parts := 0; rest != ""; parts++ {
		part, after, more := strings.Cut(rest, ".")
		name, _, _ := strings.Cut(part, "[")
		if parts == 16 || safeKey(name) != name || !safeIndexes(part[len(name):]) {
			if parts == 0 {
				return "…"
			}
			b.WriteString(".…")
			return b.String()
		}
		if parts > 0 {
			b.WriteByte('.')
		}
		b.WriteString(part)
		if !more {
			break
		}
		rest = after
	}
	return b.String()
}

// safeIndexes reports whether s is a (possibly empty) run of [n] indexes.
func safeIndexes(s string) bool {
	if len(s) > 32 {
		return false
	}
	for s != "" {
		if s[0] != '[' {
			return false
		}
		end := strings.IndexByte(s, ']')
		if end < 2 {
			return false
		}
		if _, err := strconv.Atoi(s[1:end]); err != nil {
			return false
		}
		s = s[end+1:]
	}
	return true
}
