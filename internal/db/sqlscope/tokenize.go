package sqlscope

import "strings"

type tokKind int

const (
	tIdent tokKind = iota
	tKeyword
	tParam // ?, $1
	tNamed // @name
	tString
	tNumber
	tPunct
	tHole
)

type token struct {
	kind tokKind
	text string
}

var keywords = map[string]bool{}

func init() {
	for _, k := range strings.Fields(`SELECT FROM JOIN LEFT RIGHT INNER OUTER CROSS FULL NATURAL LATERAL ON USING WHERE GROUP
		ORDER BY HAVING LIMIT OFFSET UNION ALL INTERSECT EXCEPT INSERT INTO VALUES UPDATE SET DELETE WITH RECURSIVE AS
		AND OR NOT IN IS NULL EXISTS RETURNING FOR SHARE CONFLICT DO NOTHING DISTINCT CASE WHEN THEN ELSE END WINDOW
		DEFAULT BETWEEN LIKE ESCAPE ASC DESC NULLS FIRST LAST MATCH`) {
		keywords[k] = true
	}
}

func isIdentByte(c byte, first bool) bool {
	return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || !first && c >= '0' && c <= '9'
}

// tokenize reads s into tokens; white space and -- comments are dropped.
func tokenize(s string) []token {
	var out []token
	for i := 0; i < len(s); {
		c := s[i]
		var t token
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			i++
			continue
		case c == '-' && i+1 < len(s) && s[i+1] == '-':
			for i < len(s) && s[i] != '\n' {
				i++
			}
			continue
		case c == Hole[0]:
			t, i = token{tHole, Hole}, i+1
		case c == '\'':
			t, i = stringAt(s, i)
		case c == '"':
			t, i = quotedIdentAt(s, i)
		case c == '?':
			t, i = token{tParam, "?"}, i+1
		case (c == '@' || c == '$') && i+1 < len(s) && isIdentByte(s[i+1], false):
			t, i = paramAt(s, i)
		case isIdentByte(c, true):
			t, i = wordAt(s, i)
		case c >= '0' && c <= '9':
			j := i
			for j < len(s) && (s[j] >= '0' && s[j] <= '9' || s[j] == '.') {
				j++
			}
			t, i = token{tNumber, s[i:j]}, j
		default:
			t, i = operatorAt(s, i)
		}
		out = append(out, t)
	}
	return out
}

// stringAt reads the string literal that starts at s[i] (” is a quote).
func stringAt(s string, i int) (token, int) {
	j := i + 1
	for j < len(s) {
		if s[j] == '\'' {
			if j+1 < len(s) && s[j+1] == '\'' {
				j += 2
				continue
			}
			break
		}
		j++
	}
	return token{tString, s[i:min(j+1, len(s))]}, j + 1
}

// quotedIdentAt reads the "quoted identifier" that starts at s[i].
func quotedIdentAt(s string, i int) (token, int) {
	j := strings.IndexByte(s[i+1:], '"')
	if j < 0 {
		j = len(s) - i - 1
	}
	return token{tIdent, strings.ToLower(s[i+1 : i+1+j])}, i + j + 2
}

// paramAt reads the parameter @name or $1 that starts at s[i].
func paramAt(s string, i int) (token, int) {
	j := i + 1
	for j < len(s) && isIdentByte(s[j], false) {
		j++
	}
	k := tParam
	if s[i] == '@' {
		k = tNamed
	}
	return token{k, s[i:j]}, j
}

// wordAt reads the keyword (in capitals) or identifier that starts at s[i].
func wordAt(s string, i int) (token, int) {
	j := i
	for j < len(s) && isIdentByte(s[j], false) {
		j++
	}
	w := s[i:j]
	if keywords[w] {
		return token{tKeyword, w}, j
	}
	return token{tIdent, strings.ToLower(w)}, j
}

// operatorAt reads the punctuation or operator that starts at s[i],
// keeping multi-character operators whole so that "<=" is no "=".
func operatorAt(s string, i int) (token, int) {
	j := i + 1
	if strings.ContainsRune("(),.;", rune(s[i])) {
		return token{tPunct, s[i:j]}, j
	}
	for j < len(s) && strings.ContainsRune("<>=!~|&:+-*/%^#", rune(s[j])) && !(s[j] == '-' && j+1 < len(s) && s[j+1] == '-') {
		j++
	}
	return token{tPunct, s[i:j]}, j
}

// LooksLikeSQL reports whether s holds a clause keyword in capitals.
func LooksLikeSQL(s string) bool {
	for _, t := range tokenize(s) {
		if t.kind == tKeyword {
			switch t.text {
			case "SELECT", "FROM", "JOIN", "UPDATE", "INSERT", "DELETE", "WITH":
				return true
			}
		}
	}
	return false
}
