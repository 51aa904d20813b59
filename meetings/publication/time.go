package publication

import (
	"database/sql/driver"
	"fmt"
	"time"
)

// Time scans a timestamp from either engine: PostgreSQL and SQLite's
// declared DATETIME columns give time.Time, SQLite's computed ones (MAX,
// COALESCE) give the text the driver stored.
type Time struct {
	T     time.Time
	Valid bool
}

// sqliteLayouts are the text forms SQLite holds timestamps in.
var sqliteLayouts = []string{"2006-01-02 15:04:05.999999999-07:00", time.RFC3339Nano, "2006-01-02 15:04:05.999999999Z07:00",
	"2006-01-02 15:04:05.999999999", "2006-01-02T15:04:05.999999999"}

// Scan implements sql.Scanner.
func (t *Time) Scan(v any) error {
	switch x := v.(type) {
	case nil:
		*t = Time{}
		return nil
	case time.Time:
		*t = Time{T: x.UTC(), Valid: true}
		return nil
	case []byte:
		return t.Scan(string(x))
	case string:
		for _, l := range sqliteLayouts {
			if p, err := time.Parse(l, x); err == nil {
				*t = Time{T: p.UTC(), Valid: true}
				return nil
			}
		}
		return fmt.Errorf("publication: unreadable timestamp %q", x)
	}
	return fmt.Errorf("publication: cannot scan %T into a timestamp", v)
}

// Value implements driver.Valuer.
func (t Time) Value() (driver.Value, error) {
	if !t.Valid {
		return nil, nil
	}
	return t.T, nil
}
