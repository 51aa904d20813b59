package oparl

import (
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/kollab/kollab/internal/errs"
	"github.com/kollab/kollab/meetings/publication"
	"github.com/kollab/kollab/tenant"
)

// Page sizes of external lists: DefaultPerPage when the client names none,
// MaxPerPage at most (a larger limit is lowered; OParl clients must not
// expect a server to honour theirs).
const (
	DefaultPerPage = 100
	MaxPerPage     = 500
)

// listParams are an external list's query parameters.
type listParams struct {
	// The filters as given (nil: none). They compare with the objects'
	// created and modified as the API shows them: in whole seconds.
	createdSince, createdUntil, modifiedSince, modifiedUntil *time.Time
	limit                                                    int
	limitGiven                                               bool
	page                                                     int
}

// parseList reads and validates an external list's parameters; bad input
// is a 400 problem naming the parameter.
func parseList(c *fiber.Ctx) (listParams, *problem) {
	p := listParams{limit: DefaultPerPage, page: 1}
	for _, f := range []struct {
		name string
		dst  **time.Time
	}{{"created_since", &p.createdSince}, {"created_until", &p.createdUntil},
		{"modified_since", &p.modifiedSince}, {"modified_until", &p.modifiedUntil}} {
		v := c.Query(f.name)
		if v == "" {
			continue
		}
		// A '+' of the time zone that the client forgot to encode arrives as a space.
		t, err := time.Parse(time.RFC3339Nano, strings.ReplaceAll(v, " ", "+"))
		if err != nil {
			return p, badParam(f.name, errs.M("oparl.time-rfc3339", "Bitte einen Zeitpunkt nach RFC 3339 mit Zeitzone angeben, z. B. 2026-01-31T12:00:00+01:00 (das + als %2B kodiert).", "Please give a time as in RFC 3339 with a time zone, e.g. 2026-01-31T12:00:00+01:00 (the + encoded as %2B)."))
		}
		t = t.UTC()
		*f.dst = &t
	}
	for _, name := range []string{"limit", "elementsPerPage"} {
		v := c.Query(name)
		if v == "" {
			continue
		}
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			return p, badParam(name, errs.M("oparl.page-size", "Die Seitengröße ist eine ganze Zahl ab 1 (höchstens %d werden geliefert).", "The page size is a whole number from 1 (at most %d are delivered).").Format(MaxPerPage))
		}
		p.limit, p.limitGiven = min(n, MaxPerPage), true
		break
	}
	if v := c.Query("page"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			return p, badParam("page", errs.M("oparl.page-number", "Die Seitenzahl ist eine ganze Zahl ab 1.", "The page number is a whole number from 1."))
		}
		p.page = n
	}
	return p, nil
}

// Whole seconds: the API shows created and modified truncated to the
// second, and the filters compare with what it shows. An object matches
// "since S" when its shown time is at or after S, that is when its exact
// time is at or after S rounded up to the second; it matches "until U"
// when its shown time is at or before U, that is when its exact time is
// before U rounded down to the second plus one second.
func sinceBound(t time.Time) time.Time {
	if tr := t.Truncate(time.Second); !tr.Equal(t) {
		return tr.Add(time.Second)
	}
	return t
}

func untilBound(t time.Time) time.Time { return t.Truncate(time.Second).Add(time.Second) }

// sqlFilters returns the filter conditions on the columns created and
// modified of the list's source x, with their arguments.
func (p listParams) sqlFilters() (string, []any) {
	var conds []string
	var args []any
	add := func(cond string, t time.Time) { conds = append(conds, cond); args = append(args, t) }
	if p.createdSince != nil {
		add("x.created >= ?", sinceBound(*p.createdSince))
	}
	if p.createdUntil != nil {
		add("x.created < ?", untilBound(*p.createdUntil))
	}
	if p.modifiedSince != nil {
		add("x.modified >= ?", sinceBound(*p.modifiedSince))
	}
	if p.modifiedUntil != nil {
		add("x.modified < ?", untilBound(*p.modifiedUntil))
	}
	if len(conds) == 0 {
		return "", nil
	}
	return " AND " + strings.Join(conds, " AND "), args
}

// matches applies the filters in Go (lists that are not read from SQL).
func (p listParams) matches(created, modified time.Time) bool {
	return (p.createdSince == nil || !created.Before(sinceBound(*p.createdSince))) &&
		(p.createdUntil == nil || created.Before(untilBound(*p.createdUntil))) &&
		(p.modifiedSince == nil || !modified.Before(sinceBound(*p.modifiedSince))) &&
		(p.modifiedUntil == nil || modified.Before(untilBound(*p.modifiedUntil)))
}

// matchesTombstone applies the filters to a tombstone's shown times.
func (p listParams) matchesTombstone(t Tombstone) bool {
	created, err1 := time.Parse(time.RFC3339, t.Created)
	modified, err2 := time.Parse(time.RFC3339, t.Modified)
	return err1 == nil && err2 == nil && p.matches(created, modified)
}

// offset is the number of elements before the requested page.
func (p listParams) offset() int { return (p.page - 1) * p.limit }

// pageURL is the canonical URL of page n of the list at base with these
// parameters: filters and the page size carry over, page 1 has no page.
func (p listParams) pageURL(base string, n int) string {
	q := url.Values{}
	for name, t := range map[string]*time.Time{"created_since": p.createdSince, "created_until": p.createdUntil,
		"modified_since": p.modifiedSince, "modified_until": p.modifiedUntil} {
		if t != nil {
			q.Set(name, t.Format(time.RFC3339Nano))
		}
	}
	if p.limitGiven {
		q.Set("limit", strconv.Itoa(p.limit))
	}
	if n > 1 {
		q.Set("page", strconv.Itoa(n))
	}
	if len(q) == 0 {
		return base
	}
	return base + "?" + q.Encode()
}

// List is one page of an external object list.
type List struct {
	Data       []any      `json:"data"`
	Pagination Pagination `json:"pagination"`
	Links      Links      `json:"links"`
}

// Pagination describes where a page stands in its list.
type Pagination struct {
	TotalElements   int `json:"totalElements"`
	ElementsPerPage int `json:"elementsPerPage"`
	CurrentPage     int `json:"currentPage"`
	TotalPages      int `json:"totalPages"`
}

// Links are a page's neighbours; prev and next are left out at the ends.
type Links struct {
	First string `json:"first"`
	Prev  string `json:"prev,omitempty"`
	Self  string `json:"self"`
	Next  string `json:"next,omitempty"`
	Last  string `json:"last"`
}

// newList assembles a page of total elements; ok is false when the page
// lies past the end (page 1 always exists, empty for an empty list).
func newList(base string, p listParams, total int, data []any) (*List, bool) {
	pages := max(1, (total+p.limit-1)/p.limit)
	if p.page > pages {
		return nil, false
	}
	if data == nil {
		data = []any{}
	}
	l := &List{Data: data, Pagination: Pagination{TotalElements: total, ElementsPerPage: p.limit, CurrentPage: p.page, TotalPages: pages},
		Links: Links{First: p.pageURL(base, 1), Self: p.pageURL(base, p.page), Last: p.pageURL(base, pages)}}
	if p.page > 1 {
		l.Links.Prev = p.pageURL(base, p.page-1)
	}
	if p.page < pages {
		l.Links.Next = p.pageURL(base, p.page+1)
	}
	return l, true
}

// dbTime scans a timestamp from either engine.
type dbTime = publication.Time

// stamp formats a created or modified time: RFC 3339, UTC, whole seconds.
func stamp(t time.Time) string { return t.UTC().Truncate(time.Second).Format(time.RFC3339) }

// dateOf is the calendar day of t in Germany.
// dateOf is a calendar date OParl shows (startDate, endDate, date), in the
// agencies' time zone.
func dateOf(t time.Time) string { return t.In(tenant.Berlin).Format(time.DateOnly) }
