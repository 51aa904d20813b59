package api_test

import (
	"bytes"
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	ics "github.com/arran4/golang-ical"
	"github.com/google/uuid"
	"github.com/kollab/kollab/api"
	"github.com/kollab/kollab/internal/db"
	"github.com/kollab/kollab/internal/db/dbtest"
	"github.com/kollab/kollab/meetings"
	"github.com/kollab/kollab/tenant"
)

// actorIn is the user's committee actor in a tenant.
func (e *env) actorIn(tenantID, userID uuid.UUID) tenant.Actor {
	e.t.Helper()
	uts, err := e.tenants.TenantsOfUser(context.Background(), userID)
	if err != nil {
		e.t.Fatal(err)
	}
	for _, ut := range uts {
		if ut.Tenant.ID == tenantID {
			return tenant.ActorFromMembership(&ut.Membership)
		}
	}
	e.t.Fatalf("user %s is no member of tenant %s", userID, tenantID)
	return tenant.Actor{}
}

// feedUIDs fetches a feed and returns its events' UIDs, sorted, and the calendar.
func feedUIDs(t *testing.T, c *client, url string) ([]string, *ics.Calendar) {
	t.Helper()
	r := c.must(200, "GET", strings.TrimPrefix(url, "https://kollab.example"), nil)
	if ct := r.header.Get("Content-Type"); ct != "text/calendar; charset=utf-8" {
		t.Fatalf("content type %q", ct)
	}
	cal, err := ics.ParseCalendar(strings.NewReader(string(r.body)))
	if err != nil {
		t.Fatalf("parse feed: %v\n%s", err, r.body)
	}
	uids := []string{}
	for _, ev := range cal.Events() {
		uids = append(uids, ev.Id())
	}
	sort.Strings(uids)
	return uids, cal
}

func uidsOf(ms ...*meetings.Meeting) []string {
	out := make([]string, len(ms))
	for i, m := range ms {
		out[i] = meetings.MeetingUID(&meetings.MeetingEvent{Meeting: *m})
	}
	sort.Strings(out)
	return out
}

// The personal feed lists exactly the meetings of the committees the user
// sits in, across tenants, and nothing of a tenant they left; renewing the
// token kills the old URL, deleting it the new one; the token is shown
// once and never again.
func TestCalendarFeed(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		ctx := context.Background()
		sa, sb := e.seedTenant("amt-a"), e.seedTenant("amt-b")
		ute, err := e.tenants.CreateUser(ctx, "ute@example.org", "Ute Überall", testPassword)
		must(t, err)
		other, err := e.tenants.CreateUser(ctx, "otto@example.org", "Otto", testPassword)
		must(t, err)
		for _, tn := range []*tenant.Tenant{sa.tenant, sb.tenant} {
			_, err := e.tenants.AddMember(ctx, tn.ID, ute.ID, tenant.RoleCommittee)
			must(t, err)
			_, err = e.tenants.AddMember(ctx, tn.ID, other.ID, tenant.RoleCommittee)
			must(t, err)
		}
		adminOf := func(s *seeded) tenant.Actor {
			u, err := e.tenants.UserByEmail(ctx, s.email)
			must(t, err)
			return e.actorIn(s.tenant.ID, u.ID)
		}
		now := db.Now().Truncate(time.Minute) // iCalendar times have seconds
		day := 24 * time.Hour
		committee := func(s *seeded, name string, seated ...uuid.UUID) (tenant.Actor, *meetings.Committee) {
			a := adminOf(s)
			c, err := e.comm.CreateCommittee(ctx, a, meetings.CommitteeInput{Name: name})
			must(t, err)
			for _, uid := range seated {
				_, err := e.comm.SetMember(ctx, a, c.ID, meetings.MemberInput{MembershipID: e.actorIn(s.tenant.ID, uid).MembershipID,
					Role: meetings.RoleMember, Voting: true, TermStart: now.Add(-400 * day)})
				must(t, err)
			}
			return a, c
		}
		meeting := func(a tenant.Actor, c *meetings.Committee, title string, start time.Time, to ...meetings.MeetingState) *meetings.Meeting {
			m, err := e.comm.CreateMeeting(ctx, a, c.ID, meetings.MeetingInput{Title: title, StartsAt: start, EndsAt: start.Add(2 * time.Hour),
				Place: "Rathaus, Saal 2"})
			must(t, err)
			for _, st := range to {
				m, err = e.comm.AdvanceMeeting(ctx, a, m.ID, st)
				must(t, err)
			}
			return m
		}
		aa, ca := committee(sa, "Hauptausschuss", ute.ID, other.ID)
		planned := meeting(aa, ca, "Haushalt", now.Add(10*day))
		invited := meeting(aa, ca, "Straßenbäume", now.Add(3*day), meetings.Invited)
		closed := meeting(aa, ca, "Frühjahr", now.Add(-30*day), meetings.Invited, meetings.InSession, meetings.Closed)
		meeting(aa, ca, "Vor acht Monaten", now.Add(-240*day), meetings.Invited)
		_, cx := committee(sa, "Ohne Ute", other.ID)
		meeting(aa, cx, "Nicht für Ute", now.Add(5*day))
		ab, cb := committee(sb, "Kulturausschuss", ute.ID)
		inB := meeting(ab, cb, "Museumsnacht", now.Add(7*day), meetings.Invited)

		c := e.client()
		c.login("ute@example.org", testPassword, "")
		var st struct {
			Exists bool `json:"exists"`
		}
		c.must(200, "GET", "/api/v1/me/calendar-feed", nil).json(t, &st)
		if st.Exists {
			t.Fatal("a feed before one was created")
		}
		var created struct {
			URL    string `json:"url"`
			Webcal string `json:"webcal_url"`
		}
		c.must(201, "POST", "/api/v1/me/calendar-feed", nil).json(t, &created)
		if !strings.HasPrefix(created.URL, "https://kollab.example/ical/klc_") || !strings.HasSuffix(created.URL, ".ics") ||
			created.Webcal != "webcal://"+strings.TrimPrefix(created.URL, "https://") {
			t.Fatalf("created %+v", created)
		}
		token := strings.TrimSuffix(strings.TrimPrefix(created.URL, "https://kollab.example/ical/"), ".ics")
		r := c.must(200, "GET", "/api/v1/me/calendar-feed", nil)
		if strings.Contains(string(r.body), token) || !strings.Contains(string(r.body), `"exists":true`) {
			t.Fatalf("status %s", r.body)
		}

		// No cookie needed: a calendar app fetches it.
		app := e.client()
		uids, cal := feedUIDs(t, app, created.URL)
		if want := uidsOf(planned, invited, closed, inB); !slices.Equal(uids, want) {
			t.Fatalf("feed %v, want %v", uids, want)
		}
		for _, ev := range cal.Events() {
			status := ev.GetProperty(ics.ComponentPropertyStatus).Value
			sum := ics.FromText(ev.GetProperty(ics.ComponentPropertySummary).Value)
			switch ev.Id() {
			case uidsOf(planned)[0]:
				if status != "TENTATIVE" || sum != "Hauptausschuss: Haushalt" {
					t.Errorf("planned: %s %q", status, sum)
				}
			case uidsOf(invited)[0]:
				start, err := ev.GetStartAt()
				if status != "CONFIRMED" || sum != "Hauptausschuss: Straßenbäume" || err != nil || !start.Equal(invited.StartsAt) ||
					ics.FromText(ev.GetProperty(ics.ComponentPropertyLocation).Value) != "Rathaus, Saal 2" ||
					ev.GetProperty(ics.ComponentPropertyUrl).Value != "https://kollab.example/t/amt-a/meetings/"+invited.ID.String() {
					t.Errorf("invited: %s %q %v %v", status, sum, start, err)
				}
			case uidsOf(inB)[0]:
				if ev.GetProperty(ics.ComponentPropertyUrl).Value != "https://kollab.example/t/amt-b/meetings/"+inB.ID.String() {
					t.Errorf("tenant b's meeting links %s", ev.GetProperty(ics.ComponentPropertyUrl).Value)
				}
			}
		}

		// Conditional requests: a strong ETag and Last-Modified, 304 while
		// nothing changed; If-None-Match decides over If-Modified-Since.
		path := strings.TrimPrefix(created.URL, "https://kollab.example")
		first := app.must(200, "GET", path, nil)
		tag, lm := first.header.Get("ETag"), first.header.Get("Last-Modified")
		if !strings.HasPrefix(tag, `"`) || !strings.HasSuffix(tag, `"`) || len(tag) < 10 {
			t.Fatalf("ETag %q", tag)
		}
		modified, err := http.ParseTime(lm)
		if err != nil {
			t.Fatalf("Last-Modified %q: %v", lm, err)
		}
		newest := time.Time{}
		for _, m := range []*meetings.Meeting{planned, invited, closed, inB} {
			if m.UpdatedAt.After(newest) {
				newest = m.UpdatedAt
			}
		}
		if modified.Before(newest.Truncate(time.Second)) || modified.After(time.Now()) {
			t.Errorf("Last-Modified %v, newest meeting change %v", modified, newest)
		}
		if again := app.must(200, "GET", path, nil); again.header.Get("ETag") != tag || !bytes.Equal(again.body, first.body) {
			t.Errorf("the same feed answers ETag %q, then %q", tag, again.header.Get("ETag"))
		}
		for _, h := range []map[string]string{
			{"If-None-Match": tag},
			{"If-None-Match": `"x", W/` + tag},
			{"If-None-Match": "*"},
			{"If-Modified-Since": lm},
			{"If-Modified-Since": modified.Add(time.Hour).Format(http.TimeFormat)},
		} {
			r := app.raw("GET", path, nil, h)
			if r.status != 304 || len(r.body) != 0 || r.header.Get("ETag") != tag {
				t.Errorf("%v: %d %q, body %d bytes", h, r.status, r.header.Get("ETag"), len(r.body))
			}
		}
		for _, h := range []map[string]string{
			{"If-None-Match": `"anders"`},
			{"If-None-Match": `"anders"`, "If-Modified-Since": lm},
			{"If-Modified-Since": modified.Add(-time.Second).Format(http.TimeFormat)},
			{"If-Modified-Since": "gestern"},
		} {
			if r := app.raw("GET", path, nil, h); r.status != 200 || !bytes.Equal(r.body, first.body) {
				t.Errorf("%v: %d", h, r.status)
			}
		}

		// A new agenda item changes the feed: a new ETag, and Last-Modified
		// is no older than the item.
		item, err := e.comm.AddAgendaItem(ctx, aa, invited.ID, meetings.AgendaItemInput{Title: "Baumschutzsatzung", Public: true})
		must(t, err)
		r2 := app.raw("GET", path, nil, map[string]string{"If-None-Match": tag})
		if r2.status != 200 || r2.header.Get("ETag") == tag || !strings.Contains(string(r2.body), "Baumschutzsatzung") {
			t.Fatalf("after an agenda change: %d, ETag %q", r2.status, r2.header.Get("ETag"))
		}
		if lm2, err := http.ParseTime(r2.header.Get("Last-Modified")); err != nil || lm2.Before(item.CreatedAt.Truncate(time.Second)) {
			t.Errorf("Last-Modified %v after an agenda item of %v (%v)", lm2, item.CreatedAt, err)
		}
		tag = r2.header.Get("ETag")

		// Ute leaves tenant b: its meetings disappear from the feed.
		_, err = e.tenants.SetActive(ctx, tenant.Operator(sb.tenant.ID), e.actorIn(sb.tenant.ID, ute.ID).MembershipID, false)
		must(t, err)
		if uids, _ := feedUIDs(t, app, created.URL); !slices.Equal(uids, uidsOf(planned, invited, closed)) {
			t.Fatalf("after leaving b: %v", uids)
		}
		if r := app.raw("GET", path, nil, map[string]string{"If-None-Match": tag}); r.status != 200 || r.header.Get("ETag") == tag {
			t.Errorf("a changed feed answers %d with ETag %q", r.status, r.header.Get("ETag"))
		}

		// Renewing: the old URL is gone, the new one works.
		var renewed struct {
			URL string `json:"url"`
		}
		c.must(201, "POST", "/api/v1/me/calendar-feed", nil).json(t, &renewed)
		if renewed.URL == created.URL {
			t.Fatal("the renewed URL is the old one")
		}
		app.must(404, "GET", strings.TrimPrefix(created.URL, "https://kollab.example"), nil)
		feedUIDs(t, app, renewed.URL)

		// Deleting: the URL is gone.
		c.must(204, "DELETE", "/api/v1/me/calendar-feed", nil)
		app.must(404, "GET", strings.TrimPrefix(renewed.URL, "https://kollab.example"), nil)
		c.must(404, "DELETE", "/api/v1/me/calendar-feed", nil)
		c.must(200, "GET", "/api/v1/me/calendar-feed", nil).json(t, &st)
		if st.Exists {
			t.Fatal("the feed survived its deletion")
		}

		// Guesses, and not signed in.
		for _, p := range []string{"/ical/klc_gibt-es-nicht.ics", "/ical/" + token, "/ical/", "/ical/x.ics"} {
			if r := app.do("GET", p, nil); r.status != 404 {
				t.Errorf("GET %s: %d", p, r.status)
			}
		}
		app.must(401, "GET", "/api/v1/me/calendar-feed", nil)
	})
}

// The feed token is a credential: the access log never shows it.
func TestCalendarFeedTokenNotLogged(t *testing.T) {
	e := newEnv(t, dbtest.SQLite(t))
	u, err := e.tenants.CreateUser(context.Background(), "log@example.org", "Log", testPassword)
	must(t, err)
	tok, _, err := e.comm.CreateFeedToken(context.Background(), u.ID)
	must(t, err)
	var buf bytes.Buffer
	srv := api.New(api.Config{PublicURL: "https://kollab.example"}, api.Deps{Database: e.db, Tenants: e.tenants, Auth: e.auth, Documents: e.docs,
		Committees: e.comm, Log: slog.New(slog.NewJSONHandler(&buf, nil))})
	res, err := srv.App().Test(httptest.NewRequest("GET", "/ical/"+tok+".ics", nil), -1)
	must(t, err)
	res.Body.Close()
	if res.StatusCode != 200 || strings.Contains(buf.String(), tok) || !strings.Contains(buf.String(), `"path":"/ical/-.ics"`) {
		t.Fatalf("status %d, log: %s", res.StatusCode, buf.String())
	}
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
