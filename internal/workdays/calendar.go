// Package workdays is working-day arithmetic for German agencies: which
// days are working days in a federal state (Monday to Friday without the
// state's statutory public holidays), the n-th working day after a day
// ("10 Arbeitstage nach Eingang"), and the working days between two days.
//
// Days are Dates (calendar days without time or zone; see Date). The
// holidays come from github.com/rickar/cal/v2/de, adjusted and completed
// as rules.go describes. Only statewide holidays count: a holiday of some
// municipalities only (Mariä Himmelfahrt in Bayern, the Augsburger
// Friedensfest) does not.
package workdays

import (
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/rickar/cal/v2"
)

// MaxWorkdays bounds the n of AddWorkdays (ten years of working days and
// more): a larger n is taken as MaxWorkdays, a smaller one as -MaxWorkdays.
// Callers that take n from a user refuse such values first.
const MaxWorkdays = 3650

// Years in this range keep their holidays once computed; others are
// computed on every use.
const (
	firstCachedYear = 1900
	lastCachedYear  = 2300
)

// PublicHoliday is a public holiday on a date. Two holidays on one day
// (Tag der Arbeit and Christi Himmelfahrt in 2008) are one PublicHoliday
// whose Name joins both with " / ".
type PublicHoliday struct {
	Date Date
	Name string // German
}

// Cal is the working-day calendar of one state. It is safe for
// concurrent use.
type Cal struct {
	state State
	rules []*cal.Holiday
	years sync.Map // int → *holidayYear
}

// holidayYear are the public holidays of one year.
type holidayYear struct {
	off  [6]uint64 // bit (day of year - 1) is set on a holiday
	list []PublicHoliday
}

func (y *holidayYear) has(yday int) bool { return y.off[(yday-1)/64]&(1<<((yday-1)%64)) != 0 }

var calendars = func() map[State]*Cal {
	m := map[State]*Cal{None: {state: None, rules: rules(None)}}
	for _, s := range states {
		m[s.Code] = &Cal{state: s.Code, rules: rules(s.Code)}
	}
	return m
}()

// Calendar returns the calendar of state s (one per state, shared). A
// state that is not Valid gets the nationwide calendar, as None does:
// settings are validated when they are stored, and a deadline is better
// computed with the nationwide holidays than not at all.
func Calendar(s State) *Cal {
	if c := calendars[s]; c != nil {
		return c
	}
	return calendars[None]
}

// State returns the calendar's state (None for the nationwide calendar).
func (c *Cal) State() State { return c.state }

// IsWorkday reports whether d is a working day: Monday to Friday and no
// public holiday.
func (c *Cal) IsWorkday(d Date) bool {
	if wd := d.Weekday(); wd == time.Saturday || wd == time.Sunday {
		return false
	}
	return !c.year(d.Year()).has(d.t.YearDay())
}

// Holiday returns the German name of the public holiday on d, if d is one
// (Sundays that are holidays too, such as Ostersonntag in Brandenburg).
func (c *Cal) Holiday(d Date) (name string, ok bool) {
	y := c.year(d.Year())
	if !y.has(d.t.YearDay()) {
		return "", false
	}
	for _, h := range y.list {
		if h.Date == d {
			return h.Name, true
		}
	}
	return "", false
}

// Holidays returns the public holidays of a year in date order (a new
// slice on every call).
func (c *Cal) Holidays(year int) []PublicHoliday {
	return slices.Clone(c.year(year).list)
}

// AddWorkdays returns the n-th working day after d: "10 Arbeitstage nach
// Eingang" counts from the day after d, so AddWorkdays(d, 1) is the first
// working day after d, whatever d is. For n = 0 it returns d if d is a
// working day, else the next working day; for n < 0 the |n|-th working
// day before d. |n| is bounded by MaxWorkdays.
func (c *Cal) AddWorkdays(d Date, n int) Date {
	n = max(-MaxWorkdays, min(n, MaxWorkdays))
	step := 1
	if n < 0 {
		step, n = -1, -n
	}
	// At least 5 of 7 days are weekdays, and no more than a handful of
	// them in any stretch are holidays: 2n+30 steps always suffice.
	if n == 0 {
		for i := 0; i < 30 && !c.IsWorkday(d); i++ {
			d = d.AddDays(1)
		}
		return d
	}
	for i, limit := 0, 2*n+30; n > 0 && i < limit; i++ {
		d = d.AddDays(step)
		if c.IsWorkday(d) {
			n--
		}
	}
	return d
}

// WorkdaysBetween returns the number of working days in (from, to]: after
// from, up to and including to; 0 if to is not after from. The working
// days between receipt and today are WorkdaysBetween(received, today).
func (c *Cal) WorkdaysBetween(from, to Date) int {
	if !to.After(from) {
		return 0
	}
	n := weekdaysThrough(to) - weekdaysThrough(from)
	// One year at a time: at most 9999 of them between two Dates.
	for y := from.Year(); y <= to.Year(); y++ {
		for _, h := range c.year(y).list {
			if wd := h.Date.Weekday(); wd != time.Saturday && wd != time.Sunday && h.Date.After(from) && !h.Date.After(to) {
				n--
			}
		}
	}
	return int(n)
}

// weekdaysThrough is the number of Mondays to Fridays from an arbitrary
// fixed Monday up to and including d (negative before it).
func weekdaysThrough(d Date) int64 {
	k := d.days() - 4 // 1970-01-05 was a Monday
	weeks := k / 7
	if k%7 < 0 {
		weeks--
	}
	r := k - 7*weeks // 0 = Monday … 6 = Sunday
	return weeks*5 + min(r+1, 5)
}

// year returns the holidays of a year, cached for the usual years.
func (c *Cal) year(y int) *holidayYear {
	if y < firstCachedYear || y > lastCachedYear {
		return c.compute(y)
	}
	if v, ok := c.years.Load(y); ok {
		return v.(*holidayYear)
	}
	v, _ := c.years.LoadOrStore(y, c.compute(y))
	return v.(*holidayYear)
}

func (c *Cal) compute(y int) *holidayYear {
	type found struct {
		d    Date
		name string
		i    int
	}
	var all []found
	for i, r := range c.rules {
		actual, _ := r.Calc(y)
		if actual.IsZero() || actual.Year() != y {
			continue
		}
		all = append(all, found{DateOf(actual), r.Name, i})
	}
	sort.Slice(all, func(a, b int) bool {
		if all[a].d != all[b].d {
			return all[a].d.Before(all[b].d)
		}
		return all[a].i < all[b].i
	})
	out := &holidayYear{}
	for _, f := range all {
		yd := f.d.t.YearDay()
		out.off[(yd-1)/64] |= 1 << ((yd - 1) % 64)
		if n := len(out.list); n > 0 && out.list[n-1].Date == f.d {
			if !slices.Contains(strings.Split(out.list[n-1].Name, " / "), f.name) {
				out.list[n-1].Name += " / " + f.name
			}
			continue
		}
		out.list = append(out.list, PublicHoliday{Date: f.d, Name: f.name})
	}
	return out
}
