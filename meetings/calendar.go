package meetings

import "time"

// How meetings are written as iCalendar (RFC 5545) events, in feeds and
// in invitation and cancellation mails: the options a CalendarWriter
// (meetings/render) takes, and the facts of an event that stay the same
// wherever it appears.

// CalendarOptions say how meetings are written as a calendar.
type CalendarOptions struct {
	// PublicURL is the base of the meeting links (URL property).
	PublicURL string
	// Method is the iTIP method (RFC 5546): "REQUEST" for an invitation,
	// "CANCEL" for a cancellation; empty for a feed, which then has no
	// METHOD property. A method needs an Organizer.
	Method string
	// Organizer is the sender, an RFC 5322 address ("Kollab <noreply@…>");
	// empty: no ORGANIZER (a feed).
	Organizer string
	// Attendee is the invited member (an invitation only).
	Attendee *Recipient
	// Stamp is the DTSTAMP of every event; zero: each meeting's last change.
	Stamp time.Time
	// Name is the calendar's display name (X-WR-CALNAME), for feeds.
	Name string
	// ShowClosedTitles lists the titles of non-public agenda items (mails
	// to members); otherwise they read "nichtöffentlich" only (feeds, whose
	// URL is a bearer secret that may end up in a calendar app's cloud).
	ShowClosedTitles bool
}

// MeetingUID is the iCalendar UID of a meeting: the same in every
// invitation, update, cancellation and feed.
func MeetingUID(ev *MeetingEvent) string { return "meeting-" + ev.Meeting.ID.String() + "@kollab" }

// EventLocation is where a meeting takes place: its place, or else its
// online link.
func EventLocation(m *Meeting) string {
	if m.Place != "" {
		return m.Place
	}
	return m.OnlineURL
}
