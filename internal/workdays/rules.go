package workdays

import (
	"time"

	"github.com/rickar/cal/v2"
	"github.com/rickar/cal/v2/aa"
	"github.com/rickar/cal/v2/de"
)

// The holidays of each state are the lists of github.com/rickar/cal/v2/de
// (de.Holidays, de.HolidaysBW, …), adjusted where they lack a date of
// introduction or a holiday, plus what they lack:
//
//   - Internationaler Frauentag (8 March): Berlin since 2019 (the library
//     has it in Berlin without a first year), Mecklenburg-Vorpommern since
//     2023 (missing in the library).
//   - Reformationstag (31 October): Bremen, Hamburg, Niedersachsen and
//     Schleswig-Holstein since 2018 (the library has no first year); in
//     every state once, in 2017 (500 years of the Reformation).
//   - Tag der Befreiung (8 May): Berlin, once each in 2020 and 2025.
//   - Ostersonntag and Pfingstsonntag: statutory in Brandenburg and Hessen.
//     Both are Sundays, so they change no count; Holiday names them.
//
// Left out on purpose, because they are not statewide: Mariä Himmelfahrt
// in Bayern (a holiday only in its mostly Catholic municipalities; the
// library leaves it out too), the Augsburger Friedensfest (the city of
// Augsburg only), Fronleichnam in parts of Sachsen and Thüringen. Christmas
// Eve and New Year's Eve are no public holidays anywhere.
//
// The rules are those in force since 1995 (the end of the nationwide Buß-
// und Bettag); earlier years are computed with them as well and are not
// historically exact.

var (
	frauentag     = de.Frauentag.Clone(&cal.Holiday{Name: "Internationaler Frauentag"})
	erster        = de.Weihnachtstag.Clone(&cal.Holiday{Name: "Erster Weihnachtsfeiertag"})
	ostersonntag  = aa.Easter.Clone(&cal.Holiday{Name: "Ostersonntag", Type: cal.ObservancePublic})
	pfingstsonntg = aa.Pentecost.Clone(&cal.Holiday{Name: "Pfingstsonntag", Type: cal.ObservancePublic})
	reformation17 = de.Reformationstag.Clone(&cal.Holiday{StartYear: 2017, EndYear: 2017})
)

// oneOff is a holiday on one day of one year.
func oneOff(name string, year int, month time.Month, day int) *cal.Holiday {
	return &cal.Holiday{Name: name, Type: cal.ObservancePublic, Month: month, Day: day, Func: cal.CalcDayOfMonth,
		StartYear: year, EndYear: year}
}

// base are the library's lists.
var base = map[State][]*cal.Holiday{
	None: de.Holidays,
	BW:   de.HolidaysBW, BY: de.HolidaysBY, BE: de.HolidaysBE, BB: de.HolidaysBB,
	HB: de.HolidaysHB, HH: de.HolidaysHH, HE: de.HolidaysHE, MV: de.HolidaysMV,
	NI: de.HolidaysNI, NW: de.HolidaysNW, RP: de.HolidaysRP, SL: de.HolidaysSL,
	SN: de.HolidaysSN, ST: de.HolidaysST, SH: de.HolidaysSH, TH: de.HolidaysTH,
}

// since are first years the library lacks, per state and holiday.
var since = map[State]map[*cal.Holiday]int{
	BE: {de.Frauentag: 2019},
	MV: {de.Frauentag: 2023},
	HB: {de.Reformationstag: 2018},
	HH: {de.Reformationstag: 2018},
	NI: {de.Reformationstag: 2018},
	SH: {de.Reformationstag: 2018},
}

// renamed are the library's holidays whose usual German name differs.
var renamed = map[*cal.Holiday]*cal.Holiday{
	de.Frauentag:     frauentag,
	de.Weihnachtstag: erster,
}

// extra are the holidays the library's list of a state lacks; nationwide
// ones go to every state and to None.
var (
	nationwideExtra = []*cal.Holiday{reformation17}
	extra           = map[State][]*cal.Holiday{
		BB: {ostersonntag, pfingstsonntg},
		HE: {ostersonntag, pfingstsonntg},
		BE: {oneOff("Tag der Befreiung", 2020, time.May, 8), oneOff("Tag der Befreiung", 2025, time.May, 8)},
		MV: {frauentag},
	}
)

// rules returns the holidays of state s.
func rules(s State) []*cal.Holiday {
	var out []*cal.Holiday
	for _, h := range base[s] {
		if r := renamed[h]; r != nil {
			h = r
		}
		out = append(out, h)
	}
	out = append(out, extra[s]...)
	for i, h := range out {
		for orig, year := range since[s] {
			if h == orig || h == renamed[orig] {
				out[i] = h.Clone(&cal.Holiday{StartYear: year})
			}
		}
	}
	return append(out, nationwideExtra...)
}
