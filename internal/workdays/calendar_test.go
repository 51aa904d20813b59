package workdays_test

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/kollab/kollab/internal/workdays"
)

func day(s string) workdays.Date {
	d, err := workdays.ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

var allStates = func() []workdays.State {
	out := []workdays.State{workdays.None}
	for _, s := range workdays.States() {
		out = append(out, s.Code)
	}
	return out
}()

// TestHolidays2026 lists every state's holidays of 2026 by hand (from the
// Länder's holiday laws) and the working days they leave: 2026 has 261
// Mondays to Fridays; the nationwide holidays take 7 of them (3 October and
// 26 December are Saturdays).
func TestHolidays2026(t *testing.T) {
	nationwide := []string{"01-01", "04-03", "04-06", "05-01", "05-14", "05-25", "10-03", "12-25", "12-26"}
	cases := map[workdays.State]struct {
		extra    []string
		workdays int
	}{
		workdays.None: {nil, 254},
		workdays.BW:   {[]string{"01-06", "06-04", "11-01"}, 252},
		workdays.BY:   {[]string{"01-06", "06-04", "11-01"}, 252},
		workdays.BE:   {[]string{"03-08"}, 254},
		workdays.BB:   {[]string{"04-05", "05-24", "10-31"}, 254},
		workdays.HB:   {[]string{"10-31"}, 254},
		workdays.HH:   {[]string{"10-31"}, 254},
		workdays.HE:   {[]string{"04-05", "05-24", "06-04"}, 253},
		workdays.MV:   {[]string{"03-08", "10-31"}, 254},
		workdays.NI:   {[]string{"10-31"}, 254},
		workdays.NW:   {[]string{"06-04", "11-01"}, 253},
		workdays.RP:   {[]string{"06-04", "11-01"}, 253},
		workdays.SL:   {[]string{"06-04", "08-15", "11-01"}, 253},
		workdays.SN:   {[]string{"10-31", "11-18"}, 253},
		workdays.ST:   {[]string{"01-06", "10-31"}, 253},
		workdays.SH:   {[]string{"10-31"}, 254},
		workdays.TH:   {[]string{"09-20", "10-31"}, 254},
	}
	if len(cases) != 17 {
		t.Fatalf("%d cases", len(cases))
	}
	for s, c := range cases {
		want := slices.Concat(nationwide, c.extra)
		slices.Sort(want)
		var got []string
		for _, h := range workdays.Calendar(s).Holidays(2026) {
			got = append(got, h.Date.String()[5:])
			if h.Date.Year() != 2026 || h.Name == "" {
				t.Errorf("%q: %+v", s, h)
			}
		}
		if !slices.Equal(got, want) {
			t.Errorf("%q: holidays 2026\n got %v\nwant %v", s, got, want)
		}
		if n := workdays.Calendar(s).WorkdaysBetween(day("2025-12-31"), day("2026-12-31")); n != c.workdays {
			t.Errorf("%q: %d working days in 2026, want %d", s, n, c.workdays)
		}
	}
}

// TestSpecialHolidays: each state's own holidays, in a year where they
// apply, and where they do not (another state, an earlier year).
func TestSpecialHolidays(t *testing.T) {
	type c struct {
		date   string
		name   string // "" = no holiday
		states []workdays.State
	}
	const (
		BW, BY, BE, BB, HB, HH, HE, MV = workdays.BW, workdays.BY, workdays.BE, workdays.BB, workdays.HB, workdays.HH, workdays.HE, workdays.MV
		NI, NW, RP, SL, SN, ST, SH, TH = workdays.NI, workdays.NW, workdays.RP, workdays.SL, workdays.SN, workdays.ST, workdays.SH, workdays.TH
		none                           = workdays.None
	)
	cases := []c{
		{"2026-01-06", "Heilige Drei Könige", []workdays.State{BW, BY, ST}},
		{"2026-01-06", "", []workdays.State{none, BE, BB, HB, HH, HE, MV, NI, NW, RP, SL, SN, SH, TH}},
		{"2019-03-08", "Internationaler Frauentag", []workdays.State{BE}},
		{"2018-03-08", "", []workdays.State{BE, MV}},
		{"2022-03-08", "", []workdays.State{MV}},
		{"2023-03-08", "Internationaler Frauentag", []workdays.State{BE, MV}},
		{"2023-03-08", "", []workdays.State{none, BB, SN, TH, HH}},
		{"2026-04-03", "Karfreitag", allStates},
		{"2026-04-05", "Ostersonntag", []workdays.State{BB, HE}},
		{"2026-04-05", "", []workdays.State{none, BE, NW, SN}},
		{"2026-04-06", "Ostermontag", allStates},
		{"2026-05-01", "Tag der Arbeit", allStates},
		{"2026-05-14", "Christi Himmelfahrt", allStates},
		{"2026-05-24", "Pfingstsonntag", []workdays.State{BB, HE}},
		{"2026-05-25", "Pfingstmontag", allStates},
		{"2026-06-04", "Fronleichnam", []workdays.State{BW, BY, HE, NW, RP, SL}},
		{"2026-06-04", "", []workdays.State{none, BE, BB, HB, HH, MV, NI, SN, ST, SH, TH}},
		{"2027-05-27", "Fronleichnam", []workdays.State{BY, NW}},
		{"2024-05-30", "Fronleichnam", []workdays.State{HE, RP}},
		{"2025-08-15", "Mariä Himmelfahrt", []workdays.State{SL}},
		{"2025-08-15", "", []workdays.State{none, BY, BW, NW, RP}}, // Bayern: municipal only, see rules.go
		{"2019-09-20", "Weltkindertag", []workdays.State{TH}},
		{"2018-09-20", "", []workdays.State{TH}},
		{"2019-09-20", "", []workdays.State{none, SN, BE}},
		{"2026-10-03", "Tag der Deutschen Einheit", allStates},
		{"2025-10-31", "Reformationstag", []workdays.State{BB, HB, HH, MV, NI, SN, ST, SH, TH}},
		{"2025-10-31", "", []workdays.State{none, BW, BY, BE, HE, NW, RP, SL}},
		{"2017-10-31", "Reformationstag", allStates},
		{"2016-10-31", "Reformationstag", []workdays.State{BB, MV, SN, ST, TH}},
		{"2016-10-31", "", []workdays.State{none, HB, HH, NI, SH, BY}},
		{"2018-10-31", "Reformationstag", []workdays.State{HB, HH, NI, SH}},
		{"2024-11-01", "Allerheiligen", []workdays.State{BW, BY, NW, RP, SL}},
		{"2024-11-01", "", []workdays.State{none, BE, BB, HB, HH, HE, MV, NI, SN, ST, SH, TH}},
		{"2025-11-19", "Buß- und Bettag", []workdays.State{SN}},
		{"2025-11-19", "", []workdays.State{none, BW, BY, BE, BB, HB, HH, HE, MV, NI, NW, RP, SL, ST, SH, TH}},
		{"2026-11-18", "Buß- und Bettag", []workdays.State{SN}},
		{"2024-11-20", "Buß- und Bettag", []workdays.State{SN}},
		{"2024-11-13", "", []workdays.State{SN}},
		{"2020-05-08", "Tag der Befreiung", []workdays.State{BE}},
		{"2025-05-08", "Tag der Befreiung", []workdays.State{BE}},
		{"2024-05-08", "", []workdays.State{BE}},
		{"2020-05-08", "", []workdays.State{none, BB, MV}},
		{"2026-12-24", "", allStates}, // Heiligabend: a working day
		{"2026-12-25", "Erster Weihnachtsfeiertag", allStates},
		{"2026-12-26", "Zweiter Weihnachtsfeiertag", allStates},
		{"2026-12-31", "", allStates}, // Silvester: a working day
		{"2008-05-01", "Tag der Arbeit / Christi Himmelfahrt", []workdays.State{none, BY}},
		{"2026-08-08", "", []workdays.State{BY}}, // Augsburger Friedensfest: municipal
	}
	for _, tc := range cases {
		d := day(tc.date)
		weekend := d.Weekday() == time.Saturday || d.Weekday() == time.Sunday
		for _, s := range tc.states {
			c := workdays.Calendar(s)
			name, ok := c.Holiday(d)
			if name != tc.name || ok != (tc.name != "") {
				t.Errorf("%q %s: Holiday = %q, %v; want %q", s, tc.date, name, ok, tc.name)
			}
			if want := tc.name == "" && !weekend; c.IsWorkday(d) != want {
				t.Errorf("%q %s: IsWorkday = %v, want %v", s, tc.date, !want, want)
			}
		}
	}
}

func TestAddWorkdays(t *testing.T) {
	cases := []struct {
		from   string
		n      int
		want   string
		states []workdays.State
	}{
		// Over the year end: 24 and 31 December are working days, 25 and 26 not.
		{"2026-12-23", 1, "2026-12-24", allStates},
		{"2026-12-23", 2, "2026-12-28", allStates},
		{"2026-12-23", 5, "2026-12-31", allStates},
		{"2026-12-23", 6, "2027-01-04", allStates},
		{"2026-12-23", 8, "2027-01-06", []workdays.State{workdays.None, workdays.BE, workdays.NW, workdays.SN, workdays.HE}},
		{"2026-12-23", 8, "2027-01-07", []workdays.State{workdays.BW, workdays.BY, workdays.ST}},
		{"2025-12-22", 5, "2025-12-31", allStates},
		{"2025-12-22", 6, "2026-01-02", allStates},
		// Easter: "10 Arbeitstage nach Eingang" on the Monday before.
		{"2026-03-30", 10, "2026-04-15", allStates},
		{"2026-04-02", 1, "2026-04-07", allStates},
		// Fronleichnam, Buß- und Bettag, Frauentag, Reformationstag.
		{"2026-06-01", 5, "2026-06-08", []workdays.State{workdays.None, workdays.SN, workdays.BE}},
		{"2026-06-01", 5, "2026-06-09", []workdays.State{workdays.BY, workdays.NW, workdays.HE, workdays.SL}},
		{"2025-11-17", 3, "2025-11-20", []workdays.State{workdays.BY, workdays.TH}},
		{"2025-11-17", 3, "2025-11-21", []workdays.State{workdays.SN}},
		{"2019-03-07", 1, "2019-03-11", []workdays.State{workdays.BE}},
		{"2019-03-07", 1, "2019-03-08", []workdays.State{workdays.BB, workdays.MV}},
		{"2018-03-07", 1, "2018-03-08", []workdays.State{workdays.BE}},
		{"2025-10-30", 1, "2025-11-03", []workdays.State{workdays.SN, workdays.ST, workdays.TH, workdays.NI}},
		{"2025-10-30", 1, "2025-10-31", []workdays.State{workdays.BY, workdays.BW, workdays.None}},
		// Counting starts the next day, whatever the day of receipt is.
		{"2026-05-16", 1, "2026-05-18", allStates}, // a Saturday
		{"2026-12-25", 1, "2026-12-28", allStates}, // a holiday
		// n = 0: the day itself if it is a working day, else the next one.
		{"2026-12-23", 0, "2026-12-23", allStates},
		{"2026-12-25", 0, "2026-12-28", allStates},
		{"2026-04-03", 0, "2026-04-07", allStates},
		{"2027-01-06", 0, "2027-01-07", []workdays.State{workdays.BY}},
		{"2027-01-06", 0, "2027-01-06", []workdays.State{workdays.NW}},
		// n < 0: working days before.
		{"2026-04-07", -1, "2026-04-02", allStates},
		{"2027-01-07", -3, "2026-12-31", []workdays.State{workdays.BY}},
		{"2027-01-07", -3, "2027-01-04", []workdays.State{workdays.NW}},
	}
	for _, tc := range cases {
		for _, s := range tc.states {
			if got := workdays.Calendar(s).AddWorkdays(day(tc.from), tc.n); got != day(tc.want) {
				t.Errorf("%q: %s + %d working days = %s, want %s", s, tc.from, tc.n, got, tc.want)
			}
		}
	}
}

func TestAddWorkdaysBounded(t *testing.T) {
	c := workdays.Calendar(workdays.BY)
	d := day("2026-01-15")
	limit := c.AddWorkdays(d, workdays.MaxWorkdays)
	if got := c.AddWorkdays(d, 1_000_000_000); got != limit {
		t.Fatalf("a huge n: %s, want the bound %s", got, limit)
	}
	if n := c.WorkdaysBetween(d, limit); n != workdays.MaxWorkdays {
		t.Fatalf("%d working days up to the bound", n)
	}
	if limit.Year() != 2040 {
		t.Fatalf("3650 working days after 2026-01-15: %s", limit)
	}
	back := c.AddWorkdays(d, -1_000_000_000)
	if n := c.WorkdaysBetween(back, d); n != workdays.MaxWorkdays-1+boolInt(c.IsWorkday(d)) {
		t.Fatalf("%d working days back from %s", n, back)
	}
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

func TestWorkdaysBetween(t *testing.T) {
	cases := []struct {
		from, to string
		want     int
		state    workdays.State
	}{
		{"2026-12-23", "2026-12-23", 0, workdays.BY},
		{"2026-12-24", "2026-12-23", 0, workdays.BY},
		{"2026-12-23", "2026-12-24", 1, workdays.BY},
		{"2026-12-23", "2026-12-27", 1, workdays.BY},
		{"2026-12-23", "2027-01-07", 8, workdays.BY},
		{"2026-12-23", "2027-01-07", 9, workdays.NW},
		{"2025-11-16", "2025-11-23", 5, workdays.BY},
		{"2025-11-16", "2025-11-23", 4, workdays.SN},
		{"2026-03-30", "2026-04-15", 10, workdays.None},
		{"2016-12-31", "2017-12-31", 251, workdays.None}, // 260 weekdays, 9 holidays on them (incl. Reformationstag)
	}
	for _, tc := range cases {
		if got := workdays.Calendar(tc.state).WorkdaysBetween(day(tc.from), day(tc.to)); got != tc.want {
			t.Errorf("%q: working days in (%s, %s] = %d, want %d", tc.state, tc.from, tc.to, got, tc.want)
		}
	}
}

// TestArithmeticAgrees: WorkdaysBetween (arithmetic over weeks and years)
// agrees with counting IsWorkday day by day, and AddWorkdays lands on a
// working day n working days on.
func TestArithmeticAgrees(t *testing.T) {
	r := rand.New(rand.NewPCG(13, 2026))
	start := day("1995-01-01")
	for i := range 400 {
		s := allStates[i%len(allStates)]
		c := workdays.Calendar(s)
		from := start.AddDays(r.IntN(60 * 365))
		to := from.AddDays(r.IntN(900) - 30)
		want := 0
		for d := from.AddDays(1); !d.After(to); d = d.AddDays(1) {
			if c.IsWorkday(d) {
				want++
			}
		}
		if got := c.WorkdaysBetween(from, to); got != want {
			t.Fatalf("%q: (%s, %s]: %d, counted %d", s, from, to, got, want)
		}
		n := r.IntN(400) + 1
		due := c.AddWorkdays(from, n)
		if !c.IsWorkday(due) || c.WorkdaysBetween(from, due) != n {
			t.Fatalf("%q: %s + %d = %s (%d working days)", s, from, n, due, c.WorkdaysBetween(from, due))
		}
		if back := c.AddWorkdays(due, -n); c.WorkdaysBetween(back, due) != n || !c.IsWorkday(back) {
			t.Fatalf("%q: %s - %d = %s", s, due, n, back)
		}
	}
}

func TestCalendarOfUnknownStateIsNationwide(t *testing.T) {
	if workdays.Calendar("XX") != workdays.Calendar(workdays.None) || workdays.Calendar("by").State() != workdays.None {
		t.Fatal("an unknown state must get the nationwide calendar")
	}
	if workdays.Calendar(workdays.SN) != workdays.Calendar(workdays.SN) || workdays.Calendar(workdays.SN).State() != workdays.SN {
		t.Fatal("one shared calendar per state")
	}
}

func TestFarYears(t *testing.T) {
	c := workdays.Calendar(workdays.NW)
	if c.IsWorkday(day("2400-12-25")) || !c.IsWorkday(day("2400-12-27")) {
		t.Fatal("2400: Christmas")
	}
	// 1 January of year 1 was a Monday (proleptic Gregorian) and a holiday.
	if n := c.WorkdaysBetween(workdays.Date{}, day("0001-01-08")); n != 5 {
		t.Fatalf("year 1: %d", n)
	}
	if n := c.WorkdaysBetween(workdays.Date{}, day("9999-12-31")); n < 2_400_000 || n > 2_610_000 {
		t.Fatalf("all years: %d", n)
	}
}

// TestConcurrentUse: many goroutines fill and read the per-year caches of
// every calendar at once (run with -race).
func TestConcurrentUse(t *testing.T) {
	var wg sync.WaitGroup
	results := make([][]string, 8)
	for g := range results {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for y := 2000; y < 2060; y++ {
				for _, s := range allStates {
					d := workdays.Calendar(s).AddWorkdays(workdays.NewDate(y, time.December, 20), 10)
					results[g] = append(results[g], fmt.Sprint(s, d))
				}
			}
		}()
	}
	wg.Wait()
	for g := range results {
		if !slices.Equal(results[g], results[0]) {
			t.Fatalf("goroutine %d computed other dates", g)
		}
	}
}

func TestHolidaysIsACopy(t *testing.T) {
	c := workdays.Calendar(workdays.BE)
	hs := c.Holidays(2026)
	hs[0].Name = "x"
	if name, _ := c.Holiday(day("2026-01-01")); name != "Neujahrstag" {
		t.Fatalf("the cache was changed through a returned slice: %q", name)
	}
}
