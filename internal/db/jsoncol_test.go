package db

import "testing"

func TestScanJSON(t *testing.T) {
	var m map[string]string
	for _, src := range []any{`{"a":"1"}`, []byte(`{"a":"1"}`)} {
		m = nil
		ok, err := ScanJSON(src, &m)
		if !ok || err != nil || m["a"] != "1" {
			t.Fatalf("ScanJSON(%T) = %v, %v, %v", src, ok, err, m)
		}
	}
	m = map[string]string{"keep": "x"}
	if ok, err := ScanJSON(nil, &m); ok || err != nil || m["keep"] != "x" {
		t.Fatalf("NULL: %v %v %v", ok, err, m)
	}
	if _, err := ScanJSON(42, &m); err == nil {
		t.Fatal("an int scanned into a map")
	}
	if _, err := ScanJSON(`{`, &m); err == nil {
		t.Fatal("broken JSON scanned")
	}
}
