package workdays

import (
	"database/sql/driver"
	"errors"
	"fmt"
	"time"
)

// Date is a calendar day: a year, a month and a day, without a time of day
// and without a time zone. It is its own type rather than a time.Time so
// that an instant cannot be taken for a day by mistake: the day of an
// instant depends on the zone it is seen in (23:30 UTC on 23 December is
// already 24 December in Berlin), so the caller converts explicitly,
// DateOf(t.In(loc)), with the tenant's zone.
//
// Dates compare with == and order with Before, After and Compare. The zero
// Date is 0001-01-01 (IsZero). In JSON and text a Date is "YYYY-MM-DD"; in
// SQL it is written as that text (fit for a DATE column on PostgreSQL and a
// TEXT or DATE column on SQLite) and read from a time.Time or such text.
type Date struct {
	t time.Time // always 00:00:00 UTC of the day
}

// NewDate returns the date y-m-d. Values out of range are normalised as
// time.Date does: NewDate(2026, 2, 29) is 2026-03-01.
func NewDate(year int, month time.Month, day int) Date {
	return Date{time.Date(year, month, day, 0, 0, 0, 0, time.UTC)}
}

// DateOf returns the calendar day of t in t's own location. Convert t to
// the zone that matters first: DateOf(receivedAt.In(tenant.Berlin)).
func DateOf(t time.Time) Date {
	y, m, d := t.Date()
	return NewDate(y, m, d)
}

// ParseDate reads a date in the form YYYY-MM-DD.
func ParseDate(s string) (Date, error) {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return Date{}, errors.New("workdays: a date is YYYY-MM-DD")
	}
	return DateOf(t), nil
}

// Date returns the date's year, month and day.
func (d Date) Date() (year int, month time.Month, day int) { return d.t.Date() }

// Year returns the date's year.
func (d Date) Year() int { return d.t.Year() }

// Weekday returns the date's day of the week.
func (d Date) Weekday() time.Weekday { return d.t.Weekday() }

// IsZero reports whether d is the zero Date (0001-01-01).
func (d Date) IsZero() bool { return d.t.IsZero() }

// Time returns the start of the day in UTC (00:00:00 UTC).
func (d Date) Time() time.Time { return d.t }

// In returns the start of the day (00:00) in loc; the end of a due date in
// Berlin is d.AddDays(1).In(berlin).
func (d Date) In(loc *time.Location) time.Time {
	y, m, day := d.t.Date()
	return time.Date(y, m, day, 0, 0, 0, 0, loc)
}

// AddDays returns the date n calendar days after d (before d for n < 0).
func (d Date) AddDays(n int) Date { return Date{d.t.AddDate(0, 0, n)} }

// Sub returns the number of calendar days from e to d (negative if d is
// before e): NewDate(2026, 1, 3).Sub(NewDate(2026, 1, 1)) is 2.
func (d Date) Sub(e Date) int { return int(d.days() - e.days()) }

// Before reports whether d is before e.
func (d Date) Before(e Date) bool { return d.t.Before(e.t) }

// After reports whether d is after e.
func (d Date) After(e Date) bool { return d.t.After(e.t) }

// Compare returns -1, 0 or +1 as d is before, equal to or after e.
func (d Date) Compare(e Date) int { return d.t.Compare(e.t) }

// String returns the date as YYYY-MM-DD.
func (d Date) String() string { return d.t.Format(time.DateOnly) }

// MarshalText writes the date as YYYY-MM-DD.
func (d Date) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// UnmarshalText reads a date in the form YYYY-MM-DD.
func (d *Date) UnmarshalText(b []byte) error {
	v, err := ParseDate(string(b))
	if err != nil {
		return err
	}
	*d = v
	return nil
}

// Value writes the date to SQL as the text YYYY-MM-DD.
func (d Date) Value() (driver.Value, error) { return d.String(), nil }

// Scan reads a date from SQL: a time.Time (its calendar day in its own
// location, as drivers return DATE columns), or text that starts with
// YYYY-MM-DD. NULL is an error: use *Date or sql.Null[Date] for a column
// that may be empty.
func (d *Date) Scan(src any) error {
	switch v := src.(type) {
	case time.Time:
		*d = DateOf(v)
		return nil
	case string:
		return d.scanText(v)
	case []byte:
		return d.scanText(string(v))
	case nil:
		return errors.New("workdays: NULL is no date")
	}
	return fmt.Errorf("workdays: cannot read a date from %T", src)
}

func (d *Date) scanText(s string) error {
	if len(s) < len(time.DateOnly) {
		return errors.New("workdays: a date is YYYY-MM-DD")
	}
	return d.UnmarshalText([]byte(s[:len(time.DateOnly)]))
}

// days is the number of days since 1970-01-01 (negative before).
func (d Date) days() int64 {
	u := d.t.Unix()
	if u >= 0 {
		return u / 86400
	}
	return -((-u + 86399) / 86400)
}
