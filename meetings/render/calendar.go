package render

import (
	"fmt"
	"io"
	"net/mail"
	"strings"

	ics "github.com/arran4/golang-ical"
	"github.com/kollab/kollab/meetings"
)

// The iCalendar (RFC 5545) form of meetings (meetings.MeetingEvent), for the personal feeds and
// for invitation mails (iTIP METHOD:REQUEST, RFC 5546) and cancellation
// mails (METHOD:CANCEL), written with github.com/arran4/golang-ical. A
// meeting is one VEVENT whose UID stays the same for its whole life, so
// that a calendar updates the event from the invitation, from every update
// and the cancellation (higher SEQUENCE) and from the feed. A cancelled
// meeting is STATUS:CANCELLED everywhere, its SUMMARY starts "Abgesagt:".
//
// The feed carries no METHOD: it is a subscribed calendar (RFC 5545), not
// an iTIP message. iTIP's PUBLISH (RFC 5546 §3.2.1) requires an ORGANIZER
// in every event, and a feed has none to name (there is no mailbox behind
// it, and an ORGANIZER makes calendar apps offer replies to it). Every
// iTIP method Kollab writes (REQUEST in invitations, CANCEL in
// cancellations) requires an ORGANIZER, so NewCalendar refuses a method
// without one.

// CalendarProductID is the PRODID of Kollab's calendars.
const CalendarProductID = "-//Kollab//Kollab Gremien//DE"

// NewCalendar builds the calendar of the given meetings.
func NewCalendar(events []meetings.MeetingEvent, o meetings.CalendarOptions) (*ics.Calendar, error) {
	if o.Method != "" && o.Organizer == "" {
		// RFC 5546 §3.2: every iTIP method Kollab writes needs an ORGANIZER.
		return nil, fmt.Errorf("committees: iCalendar METHOD:%s without an organizer", o.Method)
	}
	cal := ics.NewCalendarFor("Kollab")
	cal.SetProductId(CalendarProductID)
	if o.Method != "" {
		cal.SetMethod(ics.Method(o.Method))
	}
	cal.SetCalscale("GREGORIAN")
	if o.Name != "" {
		cal.SetXWRCalName(o.Name)
		cal.SetName(o.Name)
		cal.SetRefreshInterval("PT1H")
		cal.SetXPublishedTTL("PT1H")
	}
	var org *mail.Address
	if o.Organizer != "" {
		a, err := mail.ParseAddress(o.Organizer)
		if err != nil {
			return nil, fmt.Errorf("committees: organizer %q: %w", o.Organizer, err)
		}
		org = a
	}
	for i := range events {
		ev := &events[i]
		m := &ev.Meeting
		e := cal.AddEvent(meetings.MeetingUID(ev))
		stamp := o.Stamp
		if stamp.IsZero() {
			stamp = m.UpdatedAt
		}
		e.SetDtStampTime(stamp)
		e.SetCreatedTime(m.CreatedAt)
		e.SetModifiedAt(m.UpdatedAt)
		e.SetStartAt(m.StartsAt)
		e.SetEndAt(m.EndsAt)
		e.SetSequence(ev.Sequence)
		summary := ev.CommitteeName + ": " + m.Title
		if m.State == meetings.Cancelled {
			summary = "Abgesagt: " + summary
		}
		e.SetSummary(summary)
		if loc := meetings.EventLocation(m); loc != "" {
			e.SetLocation(loc)
		}
		e.SetDescription(EventDescription(ev, o.PublicURL, o.ShowClosedTitles))
		if o.PublicURL != "" {
			e.SetURL(meetings.MeetingURL(o.PublicURL, ev.TenantSlug, m.ID))
		}
		status := ics.ObjectStatusConfirmed
		switch m.State {
		case meetings.Planned:
			status = ics.ObjectStatusTentative
		case meetings.Cancelled:
			status = ics.ObjectStatusCancelled
		}
		e.SetStatus(status)
		e.SetClass(ics.ClassificationPrivate)
		if org != nil {
			var params []ics.PropertyParameter
			if org.Name != "" {
				params = append(params, ics.WithCN(paramText(org.Name)))
			}
			e.SetOrganizer("mailto:"+org.Address, params...)
		}
		if a := o.Attendee; a != nil {
			params := []ics.PropertyParameter{ics.ParticipationRoleReqParticipant, ics.ParticipationStatusNeedsAction,
				&ics.KeyValues{Key: string(ics.ParameterRsvp), Value: []string{"FALSE"}}}
			if cn := paramText(a.DisplayName); cn != "" {
				params = append(params, ics.WithCN(cn))
			}
			e.AddAttendee("mailto:"+a.Email, params...)
		}
	}
	return cal, nil
}

// paramText makes a name safe as an unquoted parameter value (CN): the
// library escapes , ; : " with backslashes, which RFC 5545 does not know
// in parameter values, so they become spaces.
func paramText(s string) string {
	s = strings.Map(func(r rune) rune {
		if strings.ContainsRune(",;:\"'\\", r) || r < ' ' {
			return ' '
		}
		return r
	}, s)
	return strings.Join(strings.Fields(s), " ")
}

// WriteCalendar writes the calendar of the given meetings to w
// (meetings.CalendarWriter).
func (Renderer) WriteCalendar(w io.Writer, events []meetings.MeetingEvent, o meetings.CalendarOptions) error {
	return WriteCalendar(w, events, o)
}

// WriteCalendar writes the calendar of the given meetings to w.
func WriteCalendar(w io.Writer, events []meetings.MeetingEvent, o meetings.CalendarOptions) error {
	cal, err := NewCalendar(events, o)
	if err != nil {
		return err
	}
	// RFC 5545 lines end in CRLF (the library's default is the OS's).
	return cal.SerializeTo(w, ics.WithNewLineWindows)
}

// EventDescription is an event's description: the committee, the accepted
// agenda items numbered, the online link and the meeting's page.
func EventDescription(ev *meetings.MeetingEvent, publicURL string, closedTitles bool) string {
	var b strings.Builder
	if m := &ev.Meeting; m.State == meetings.Cancelled {
		// The reason only where non-public titles are shown (mails to members).
		if closedTitles && m.CancelReason != "" {
			fmt.Fprintf(&b, "Die Sitzung ist abgesagt. Grund: %s\n\n", m.CancelReason)
		} else {
			b.WriteString("Die Sitzung ist abgesagt.\n\n")
		}
	}
	fmt.Fprintf(&b, "Sitzung des Gremiums %s (%s)\n", ev.CommitteeName, ev.TenantName)
	if len(ev.Agenda) > 0 {
		b.WriteString("\nTagesordnung:\n")
		for _, l := range ev.Agenda {
			switch {
			case l.Public:
				fmt.Fprintf(&b, "TOP %d: %s\n", l.Number, l.Title)
			case closedTitles:
				fmt.Fprintf(&b, "TOP %d: %s (nichtöffentlich)\n", l.Number, l.Title)
			default:
				fmt.Fprintf(&b, "TOP %d: (nichtöffentlich)\n", l.Number)
			}
		}
	}
	if ev.Meeting.OnlineURL != "" && ev.Meeting.Place != "" {
		fmt.Fprintf(&b, "\nOnline-Teilnahme: %s\n", ev.Meeting.OnlineURL)
	}
	if publicURL != "" {
		fmt.Fprintf(&b, "\nIn Kollab: %s\n", meetings.MeetingURL(publicURL, ev.TenantSlug, ev.Meeting.ID))
	}
	return strings.TrimRight(b.String(), "\n")
}
