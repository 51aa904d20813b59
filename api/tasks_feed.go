package api

import (
	"bytes"
	"net/http"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/kollab/kollab/internal/errs"
	"github.com/kollab/kollab/tasks"
)

// The personal iCalendar feed of due dates: GET /ical/tasks/<token>.ics
// with the same token as the meetings feed (/ical/<token>.ics; created in
// the profile through /api/v1/me/calendar-feed). VTODO entries by
// default; ?format=vevent writes events for calendar apps without tasks.

// TaskFeedName is the task feed's display name in calendar apps.
const TaskFeedName = "Kollab – Aufgaben"

func (s *Server) taskFeedRoutes() {
	if s.deps.Tasks == nil || s.deps.Committees == nil {
		return
	}
	s.app.Get("/ical/tasks/:file", s.taskFeed)
}

func (s *Server) taskFeed(c *fiber.Ctx) error {
	tok, ok := strings.CutSuffix(c.Params("file"), ".ics")
	tok = strings.Clone(tok)
	events := strings.EqualFold(c.Query("format"), "vevent")
	// The token is a credential: the access log sees a redacted path.
	c.Path("/ical/tasks/-.ics")
	if !ok {
		return fiber.ErrNotFound
	}
	ms, err := s.deps.Committees.FeedMembers(c.UserContext(), tok)
	if errs.Is(err, errs.NotFound) {
		return fiber.ErrNotFound
	}
	if err != nil {
		return err
	}
	members := make([]tasks.FeedMember, len(ms))
	for i, m := range ms {
		members[i] = tasks.FeedMember{TenantID: m.TenantID, MembershipID: m.MembershipID, TenantSlug: m.TenantSlug}
	}
	ts, err := s.deps.Tasks.Feed(c.UserContext(), members)
	if err != nil {
		return err
	}
	var b bytes.Buffer
	if err := tasks.WriteCalendar(&b, ts, tasks.FeedOptions{PublicURL: s.cfg.PublicURL, Name: TaskFeedName, Events: events}); err != nil {
		return err
	}
	tag := feedETag(b.Bytes())
	var modified time.Time
	for i := range ts {
		if ts[i].UpdatedAt.After(modified) {
			modified = ts[i].UpdatedAt
		}
	}
	modified = modified.UTC().Truncate(time.Second)
	c.Set(fiber.HeaderETag, tag)
	if !modified.IsZero() {
		c.Set(fiber.HeaderLastModified, modified.Format(http.TimeFormat))
	}
	c.Set(fiber.HeaderCacheControl, "private, no-cache")
	c.Set(fiber.HeaderReferrerPolicy, "no-referrer")
	if feedNotModified(c.Get(fiber.HeaderIfNoneMatch), c.Get(fiber.HeaderIfModifiedSince), tag, modified) {
		return c.SendStatus(fiber.StatusNotModified)
	}
	c.Set(fiber.HeaderContentType, "text/calendar; charset=utf-8")
	c.Set(fiber.HeaderContentDisposition, `inline; filename="kollab-aufgaben.ics"`)
	return c.Send(b.Bytes())
}
