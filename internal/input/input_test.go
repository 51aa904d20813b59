package input

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/kollab/kollab/internal/errs"
)

func TestTextLineName(t *testing.T) {
	for _, tc := range []struct {
		s                string
		text, line, name error
	}{
		{"Protokoll 2025", nil, nil, nil},
		{"Zeile 1\nZeile 2\tmit Tab\r\n", nil, ErrControl, ErrControl},
		{"a\x00b", ErrControl, ErrControl, ErrControl},
		{"a\x1bb", ErrControl, ErrControl, ErrControl},    // ESC (C0)
		{"a\u0085b", ErrControl, ErrControl, ErrControl},  // NEL (C1)
		{"a\x7fb", ErrControl, ErrControl, ErrControl},    // DEL
		{"a\xffb", ErrEncoding, ErrEncoding, ErrEncoding}, // not UTF-8
		{"rechnung\u202Efdp.exe", nil, nil, ErrBidi},      // RLO
		{"a\u2066b\u2069", nil, nil, ErrBidi},             // isolates
		{"a\u200Fb", nil, nil, ErrBidi},                   // RLM
		{"a\u061Cb", nil, nil, ErrBidi},                   // ALM
		{"שלום", nil, nil, nil},                           // right-to-left text itself is fine
	} {
		if err := CheckText(tc.s); !errors.Is(err, tc.text) && err != tc.text {
			t.Errorf("CheckText(%q) = %v, want %v", tc.s, err, tc.text)
		}
		if err := CheckLine(tc.s); err != tc.line {
			t.Errorf("CheckLine(%q) = %v, want %v", tc.s, err, tc.line)
		}
		if err := CheckName(tc.s); err != tc.name {
			t.Errorf("CheckName(%q) = %v, want %v", tc.s, err, tc.name)
		}
	}
}

func TestNameIsNFC(t *testing.T) {
	nfd := "Gemeinderatsbeschlu\u0308sse" // u + combining diaeresis, as macOS sends it
	got, err := Name("name", "  "+nfd+" ")
	if err != nil || got != "Gemeinderatsbeschlüsse" {
		t.Fatalf("Name(NFD) = %q, %v", got, err)
	}
	if _, err := Name("name", "x\u202Ey"); !errs.Is(err, errs.Invalid) || errs.As(err).Field != "name" {
		t.Fatalf("bidi: %v", err)
	}
}

func TestCheckJSON(t *testing.T) {
	deep := func(n int, open, close string) string {
		return strings.Repeat(open, n) + "1" + strings.Repeat(close, n)
	}
	for _, tc := range []struct {
		body string
		want error
		msg  string
	}{
		{`{"name":"Amt","tags":["a","b"],"n":1.5e3,"ok":true,"x":null}`, nil, ""},
		{`"text"`, nil, ""},
		{`{"name":"a\u0000b"}`, ErrControl, "control character at body.name"},
		{`{"list":[{"x":"ok"},{"x":"\u0007"}]}`, ErrControl, "control character at body.list[1].x"},
		{`{"a\u0000":1}`, ErrControl, "control character"},
		{`{"geheim wert":{"y":"\u0001"}}`, ErrControl, "control character at body.….y"},
		{`{"text":"Zeile\nZeile\t"}`, nil, ""},
		{deep(MaxDepth, "[", "]"), nil, ""},
		{deep(MaxDepth+1, "[", "]"), ErrDepth, ""},
		{deep(10000, `{"a":`, "}"), ErrDepth, ""},
		{`{"a":1} {"b":2}`, ErrSyntax, "malformed JSON near byte"},
		{members(MaxMembers), nil, ""},
		{`{"x":` + members(MaxMembers+1) + `}`, ErrMembers, "more than 1000 members at body.x"},
		{"\"\xff\"", ErrSyntax, ""},
		{`{"a":1}}`, ErrSyntax, ""},
		{`{"a":x}`, ErrSyntax, ""},
		{`{"a":`, ErrSyntax, ""},
		{``, ErrSyntax, ""},
	} {
		err := CheckJSON([]byte(tc.body))
		if !errors.Is(err, tc.want) || (tc.want == nil) != (err == nil) {
			t.Errorf("CheckJSON(%.40q) = %v, want %v", tc.body, err, tc.want)
			continue
		}
		if err != nil && !strings.Contains(err.Error(), tc.msg) {
			t.Errorf("CheckJSON(%.40q): message %q lacks %q", tc.body, err, tc.msg)
		}
		if err != nil && strings.Contains(err.Error(), "geheim") {
			t.Errorf("CheckJSON(%.40q): message %q repeats request text", tc.body, err)
		}
	}
}

// members is a JSON object of n members.
func members(n int) string {
	var b strings.Builder
	b.WriteByte('{')
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `"k%d":%d`, i, i)
	}
	b.WriteByte('}')
	return b.String()
}

func TestSafeLocation(t *testing.T) {
	for in, want := range map[string]string{
		"body.name":                       "body.name",
		"body.items[3].title":             "body.items[3].title",
		"body.geheim wert":                "body.…",
		"body.a.<script>.b":               "body.a.…",
		"body." + strings.Repeat("k", 65): "body.…",
		"<x>":                             "…",
		"query.limit":                     "query.limit",
	} {
		if got := SafeLocation(in); got != want {
			t.Errorf("SafeLocation(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestSplitLocation(t *testing.T) {
	err := CheckJSON([]byte(`{"a":[{"b":"\u0000"}]}`))
	loc, reason, ok := SplitLocation(err.Error())
	if !ok || loc != "body.a[0].b" || reason != "control character" {
		t.Fatalf("SplitLocation(%q) = %q, %q, %v", err, loc, reason, ok)
	}
	if _, _, ok := SplitLocation("expected string"); ok {
		t.Fatal("a message without location split")
	}
}
