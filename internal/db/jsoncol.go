package db

import (
	"encoding/json"
	"fmt"
)

// ScanJSON decodes a JSON column's value, as the driver hands it to a
// sql.Scanner (text on SQLite, text or bytes on PostgreSQL), into dst. It
// reports false, leaving dst alone, for SQL NULL, so that the caller can
// put its own default there.
func ScanJSON(src, dst any) (bool, error) {
	var b []byte
	switch x := src.(type) {
	case string:
		b = []byte(x)
	case []byte:
		b = x
	case nil:
		return false, nil
	default:
		return false, fmt.Errorf("cannot scan %T into %T", src, dst)
	}
	return true, json.Unmarshal(b, dst)
}
