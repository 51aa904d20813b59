// Package render is the meeting module's rendering adapter: the minutes
// and decision extracts as PDF and meetings as iCalendar, fed by the
// exported types of package meetings. meetings never imports it: it
// declares what it needs (meetings.MinutesRenderer, meetings.CalendarWriter),
// and internal/app wires a Renderer in.
package render

// Renderer implements meetings.CalendarWriter and meetings.MinutesRenderer.
type Renderer struct{}
