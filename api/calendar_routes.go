package api

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"strings"
	"time"

	"github.com/danielgtaylor/huma/v2"
	"github.com/gofiber/fiber/v2"
	"github.com/kollab/kollab/internal/errs"
	"github.com/kollab/kollab/meetings"
	"github.com/kollab/kollab/meetings/render"
)

// The personal iCalendar feed: GET /ical/<token>.ics (no cookie, the
// token is the credential) lists the meetings of the account's committees
// across its tenants; /api/v1/me/calendar-feed creates, rotates, shows and
// deletes the token.

// FeedCalendarName is the feed's display name in calendar apps.
const FeedCalendarName = "Kollab – Sitzungen"

// CalendarFeedView says whether the account has a feed (never its token).
type CalendarFeedView struct {
	Exists     bool       `json:"exists"`
	CreatedAt  *time.Time `json:"created_at,omitempty"`
	LastUsedAt *time.Time `json:"last_used_at,omitempty" doc:"Last fetch by a calendar app (to the hour)"`
}

type calendarFeedOut struct{ Body CalendarFeedView }

type calendarFeedCreatedOut struct {
	Body struct {
		CreatedAt time.Time `json:"created_at"`
		URL       string    `json:"url" doc:"The feed's secret URL, shown once: subscribe to it in a calendar app"`
		WebcalURL string    `json:"webcal_url" doc:"The same URL as webcal:// for calendar apps that open it directly"`
	}
}

// feedURL is a feed token's URL.
func feedURL(publicURL, token string) string {
	return strings.TrimRight(publicURL, "/") + "/ical/" + token + ".ics"
}

func (s *Server) calendarRoutes() {
	tags := []string{"Profil"}
	svc := s.deps.Committees
	register(s, session, huma.Operation{OperationID: "get-calendar-feed", Method: http.MethodGet, Path: "/api/v1/me/calendar-feed", Tags: tags,
		Summary: "Whether the account has a personal calendar feed (its URL is shown only when created)"},
		func(ctx context.Context, _ *struct{}) (*calendarFeedOut, error) {
			f, err := svc.FeedToken(ctx, principalOf(ctx).UserID)
			if err != nil {
				return nil, err
			}
			out := &calendarFeedOut{}
			if f != nil {
				out.Body = CalendarFeedView{Exists: true, CreatedAt: &f.CreatedAt, LastUsedAt: f.LastUsedAt}
			}
			return out, nil
		})

	register(s, session, huma.Operation{OperationID: "create-calendar-feed", Method: http.MethodPost, Path: "/api/v1/me/calendar-feed", Tags: tags,
		Summary: "Create or renew the personal calendar feed (iCalendar) of one's meetings; the URL is shown once",
		Description: "The feed lists the meetings of every committee in which the account has a seat, in all its tenants. " +
			"Creating it again replaces the URL: the old one stops working at once.",
		DefaultStatus: http.StatusCreated},
		func(ctx context.Context, _ *struct{}) (*calendarFeedCreatedOut, error) {
			tok, f, err := svc.CreateFeedToken(ctx, principalOf(ctx).UserID)
			if err != nil {
				return nil, err
			}
			out := &calendarFeedCreatedOut{}
			out.Body.CreatedAt, out.Body.URL = f.CreatedAt, feedURL(s.cfg.PublicURL, tok)
			out.Body.WebcalURL = "webcal://" + strings.TrimPrefix(strings.TrimPrefix(out.Body.URL, "https://"), "http://")
			return out, nil
		})

	register(s, session, huma.Operation{OperationID: "delete-calendar-feed", Method: http.MethodDelete, Path: "/api/v1/me/calendar-feed", Tags: tags,
		Summary: "Delete the personal calendar feed (its URL stops working)", DefaultStatus: http.StatusNoContent},
		func(ctx context.Context, _ *struct{}) (*struct{}, error) {
			ok, err := svc.DeleteFeedToken(ctx, principalOf(ctx).UserID)
			if err == nil && !ok {
				err = errs.Plain(errs.NotFound)
			}
			return nil, err
		})

	s.app.Get("/ical/:file", s.calendarFeed)
}

// calendarFeed answers GET /ical/<token>.ics with the token's meetings as
// text/calendar; an unknown token is 404.
func (s *Server) calendarFeed(c *fiber.Ctx) error {
	tok, ok := strings.CutSuffix(c.Params("file"), ".ics")
	tok = strings.Clone(tok)
	// The token is a credential: the access log sees a redacted path.
	c.Path("/ical/-.ics")
	if !ok || s.deps.Committees == nil {
		return fiber.ErrNotFound
	}
	evs, err := s.deps.Committees.Feed(c.UserContext(), tok)
	if errs.Is(err, errs.NotFound) {
		return fiber.ErrNotFound
	}
	if err != nil {
		return err
	}
	var b bytes.Buffer
	if err := render.WriteCalendar(&b, evs, meetings.CalendarOptions{PublicURL: s.cfg.PublicURL, Name: FeedCalendarName}); err != nil {
		return err
	}
	// Calendar apps poll the feed: a strong ETag (the body's hash) and
	// Last-Modified (the newest change of its meetings) let them ask with
	// If-None-Match / If-Modified-Since and get 304 while nothing changed.
	tag := feedETag(b.Bytes())
	var modified time.Time
	for i := range evs {
		if evs[i].Changed.After(modified) {
			modified = evs[i].Changed
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
	c.Set(fiber.HeaderContentDisposition, `inline; filename="kollab-sitzungen.ics"`)
	return c.Send(b.Bytes())
}

// feedETag is the strong entity tag of a feed body: a hash of its bytes.
func feedETag(body []byte) string {
	sum := sha256.Sum256(body)
	return `"` + base64.RawURLEncoding.EncodeToString(sum[:18]) + `"`
}

// feedNotModified evaluates a GET's preconditions (RFC 9110 §13.2.2):
// If-None-Match, when present, decides alone (weak comparison, "*"
// matches); otherwise a valid If-Modified-Since not older than the
// feed's Last-Modified does.
func feedNotModified(ifNoneMatch, ifModifiedSince, tag string, modified time.Time) bool {
	if strings.TrimSpace(ifNoneMatch) != "" {
		for _, t := range strings.Split(ifNoneMatch, ",") {
			t = strings.TrimSpace(t)
			if t == "*" || strings.TrimPrefix(t, "W/") == tag {
				return true
			}
		}
		return false
	}
	if ifModifiedSince == "" || modified.IsZero() {
		return false
	}
	since, err := http.ParseTime(ifModifiedSince)
	return err == nil && !modified.After(since)
}
