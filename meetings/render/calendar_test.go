package render_test

import (
	"bytes"
	"strings"
	"testing"
	"time"

	ics "github.com/arran4/golang-ical"
	"github.com/google/uuid"
	"github.com/kollab/kollab/meetings"
	"github.com/kollab/kollab/meetings/render"
)

func icalEvent() meetings.MeetingEvent {
	start := time.Date(2026, 3, 16, 16, 0, 0, 0, time.UTC)
	return meetings.MeetingEvent{TenantSlug: "stadt", TenantName: "Stadt", CommitteeName: "Hauptausschuss",
		Meeting: meetings.Meeting{ID: uuid.MustParse("01952f3e-0000-7000-8000-000000000001"), Title: "Haushalt",
			StartsAt: start, EndsAt: start.Add(2 * time.Hour), CreatedAt: start.Add(-48 * time.Hour), UpdatedAt: start.Add(-24 * time.Hour)}}
}

func calendarProperty(cal *ics.Calendar, p ics.Property) *ics.CalendarProperty {
	for i := range cal.CalendarProperties {
		if cal.CalendarProperties[i].IANAToken == string(p) {
			return &cal.CalendarProperties[i]
		}
	}
	return nil
}

// A subscribed feed is no iTIP message: it carries no METHOD (PUBLISH
// would need an ORGANIZER in every event, RFC 5546 §3.2.1) and no ORGANIZER.
func TestICalFeedHasNoMethod(t *testing.T) {
	var b bytes.Buffer
	if err := render.WriteCalendar(&b, []meetings.MeetingEvent{icalEvent()},
		meetings.CalendarOptions{PublicURL: "https://kollab.example", Name: "Sitzungen"}); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(b.String(), "METHOD") {
		t.Errorf("the feed has a METHOD:\n%s", b.String())
	}
	cal, err := ics.ParseCalendar(&b)
	if err != nil {
		t.Fatal(err)
	}
	if p := calendarProperty(cal, ics.PropertyMethod); p != nil {
		t.Errorf("METHOD:%s", p.Value)
	}
	for _, ev := range cal.Events() {
		if ev.GetProperty(ics.ComponentPropertyOrganizer) != nil {
			t.Errorf("ORGANIZER in the feed")
		}
	}
}

// An iTIP method needs an ORGANIZER (RFC 5546 §3.2): a REQUEST without one
// is refused; with one, every event names it.
func TestICalRequestNeedsOrganizer(t *testing.T) {
	var b bytes.Buffer
	if err := render.WriteCalendar(&b, []meetings.MeetingEvent{icalEvent()}, meetings.CalendarOptions{Method: "REQUEST"}); err == nil {
		t.Fatalf("a REQUEST without ORGANIZER was written:\n%s", b.String())
	}
	b.Reset()
	if err := render.WriteCalendar(&b, []meetings.MeetingEvent{icalEvent()},
		meetings.CalendarOptions{Method: "REQUEST", Organizer: "Kollab <noreply@kollab.example>"}); err != nil {
		t.Fatal(err)
	}
	cal, err := ics.ParseCalendar(&b)
	if err != nil {
		t.Fatal(err)
	}
	if p := calendarProperty(cal, ics.PropertyMethod); p == nil || p.Value != "REQUEST" {
		t.Errorf("METHOD %+v", p)
	}
	for _, ev := range cal.Events() {
		if o := ev.GetProperty(ics.ComponentPropertyOrganizer); o == nil || o.Value != "mailto:noreply@kollab.example" {
			t.Errorf("ORGANIZER %+v", o)
		}
	}
}
