package input

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// MaxDepth is how deeply the arrays and objects of a JSON body may nest.
// No request of the API nests deeper than a few levels; the limit stops a
// body of thousands of brackets before anything recurses over it.
const MaxDepth = 32

// JSONError is a JSON body that CheckJSON refuses. Its message names the
// place (as body.a.b[2], keys that are not plain identifiers shown as …)
// and the reason, never the offending value.
type JSONError struct {
	// Path is the location in the body, "body" for the body as a whole.
	Path string
	// Err is the reason: ErrEncoding, ErrControl, ErrDepth or ErrSyntax.
	Err error
	// Offset is the byte offset of a syntax error.
	Offset int64
}

// The reasons CheckJSON refuses a body besides those of CheckText.
var (
	ErrDepth  = fmt.Errorf("nested deeper than %d levels", MaxDepth)
	ErrSyntax = errors.New("malformed JSON")
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
// well-formed JSON value nested at most MaxDepth deep, and every string in
// it, object keys included, must be acceptable text (CheckText). The work
// is linear in the length of data, and a refused body is refused at the
// first offending token.
func CheckJSON(data []byte) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber() // numbers are not converted, only scanned
	// frames holds, per open array or object, the current key or index,
	// for the location of an error.
	type frame struct {
		object bool
		key    string
		index  int
		// expectKey: the next string token in this object is a key.
		expectKey bool
	}
	frames := make([]frame, 0, 8)
	path := func() string {
		var b strings.Builder
		b.WriteString("body")
		for _, f := range frames {
			if f.object {
				if f.key == "" {
					break
				}
				b.WriteByte('.')
				b.WriteString(safeKey(f.key))
			} else {
				b.WriteByte('[')
				b.WriteString(strconv.Itoa(f.index))
				b.WriteByte(']')
			}
		}
		return b.String()
	}
	// value records that a complete value was read in the current frame.
	value := func() {
		if n := len(frames); n > 0 {
			if frames[n-1].object {
				frames[n-1].expectKey = true
			} else {
				frames[n-1].index++
			}
		}
	}
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			// The body ended before its value did (or had none).
			return &JSONError{Path: "body", Err: ErrSyntax, Offset: dec.InputOffset()}
		}
		if err != nil {
			var se *json.SyntaxError
			off := dec.InputOffset()
			if errors.As(err, &se) {
				off = se.Offset
			}
			return &JSONError{Path: "body", Err: ErrSyntax, Offset: off}
		}
		switch t := tok.(type) {
		case json.Delim:
			switch t {
			case '{', '[':
				if len(frames) >= MaxDepth {
					return &JSONError{Path: path(), Err: ErrDepth}
				}
				frames = append(frames, frame{object: t == '{', expectKey: t == '{'})
			default:
				frames = frames[:len(frames)-1]
				value()
			}
		case string:
			n := len(frames)
			isKey := n > 0 && frames[n-1].object && frames[n-1].expectKey
			if isKey {
				frames[n-1].key, frames[n-1].expectKey = "", false
			}
			if err := CheckText(t); err != nil {
				return &JSONError{Path: path(), Err: err}
			}
			if isKey {
				frames[n-1].key = t
			} else {
				value()
			}
		default:
			value()
		}
		if len(frames) == 0 {
			// One top-level value; anything after it is malformed.
			if _, err := dec.Token(); err != io.EOF {
				return &JSONError{Path: "body", Err: ErrSyntax, Offset: dec.InputOffset()}
			}
			return nil
		}
	}
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
