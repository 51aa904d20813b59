package tenant

import (
	"time"
	_ "time/tzdata" // Europe/Berlin whatever the host has installed
)

// Berlin is the time zone of the agencies: times in mails, minutes, the
// calendar dates of OParl and the iCalendar feed are shown in it.
var Berlin = func() *time.Location {
	loc, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		panic(err) // cannot happen: time/tzdata is linked in
	}
	return loc
}()

// WeekdaysDE are the German names of the weekdays, Sunday first.
var WeekdaysDE = [...]string{"Sonntag", "Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag"}
