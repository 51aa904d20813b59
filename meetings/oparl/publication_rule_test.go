package oparl_test

import (
	"bytes"
	"encoding/json"
	"slices"
	"strings"
	"testing"

	ics "github.com/arran4/golang-ical"
	"github.com/kollab/kollab/internal/db"
	"github.com/kollab/kollab/internal/db/dbtest"
	"github.com/kollab/kollab/meetings"
	"github.com/kollab/kollab/meetings/render"
	"github.com/kollab/kollab/tenant"
)

// minutesRecorder is a meetings.MinutesRenderer that keeps the items of
// the minutes it is asked to render.
type minutesRecorder struct{ items []string }

func (r *minutesRecorder) MinutesPDF(d *meetings.MinutesDocument) ([]byte, error) {
	r.items = nil
	for _, it := range d.Content.Items {
		r.items = append(r.items, it.Title)
	}
	return render.Renderer{}.MinutesPDF(d)
}

func (r *minutesRecorder) DecisionExtractPDF(d *meetings.MinutesDocument, it *meetings.MinutesItem) ([]byte, error) {
	return render.Renderer{}.DecisionExtractPDF(d, it)
}

// One publication rule (publication/rule.go): for the closed meeting of
// the public committee, OParl's agenda, the public part of the minutes and
// the titles a calendar feed shows name the same items: the accepted,
// public one; not the non-public item, not the declined proposal.
//
// Where the three differ, by design and left so: the committee. OParl
// publishes nothing of a non-public committee, while the feed of a member
// of one shows the titles of its public items (as the public part of its
// minutes lists them: meetings' TestMinutes, whose committee is not
// public). The feed and the minutes are read by the committee's members.
func TestOnePublicationRule(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		bodyA := apiBase + "/bodies/" + f.a.ID.String()
		want := []string{f.i1.Title}

		// OParl.
		res := f.do(t, "GET", bodyA+"/meetings/"+f.m1.ID.String())
		var m1 struct {
			AgendaItem []struct {
				Name string `json:"name"`
			} `json:"agendaItem"`
		}
		if res.status != 200 {
			t.Fatalf("OParl meeting: %d %s", res.status, res.body)
		}
		must(t, json.Unmarshal(res.body, &m1))
		var oparlItems []string
		for _, it := range m1.AgendaItem {
			oparlItems = append(oparlItems, it.Name)
		}
		if !slices.Equal(oparlItems, want) {
			t.Errorf("OParl lists %q, want %q", oparlItems, want)
		}

		// The public part of the minutes.
		rec := &minutesRecorder{}
		svc := meetings.NewService(d, f.docs, rec)
		if _, err := svc.MinutesPDF(ctx, f.adminA, f.m1.ID, true); err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(rec.items, want) {
			t.Errorf("the public minutes list %q, want %q", rec.items, want)
		}
		if _, err := svc.MinutesPDF(ctx, f.adminA, f.m1.ID, false); err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(rec.items, []string{f.i1.Title, f.i2.Title}) {
			t.Errorf("the full minutes list %q", rec.items)
		}

		// The feed: the titles of public items only.
		titles := func(who tenant.Actor, meeting string) []string {
			t.Helper()
			tok, _, err := f.svc.CreateFeedToken(ctx, who.UserID)
			must(t, err)
			evs, err := f.svc.Feed(ctx, tok)
			must(t, err)
			var b bytes.Buffer
			must(t, render.WriteCalendar(&b, evs, meetings.CalendarOptions{PublicURL: publicURL, Name: "Sitzungen"}))
			cal, err := ics.ParseCalendar(&b)
			must(t, err)
			var out []string
			for _, ev := range cal.Events() {
				if ics.FromText(ev.GetProperty(ics.ComponentPropertySummary).Value) != meeting {
					continue
				}
				for _, it := range []string{f.i1.Title, f.i2.Title, f.i3.Title, f.i5.Title} {
					if strings.Contains(ics.FromText(ev.GetProperty(ics.ComponentPropertyDescription).Value), it) {
						out = append(out, it)
					}
				}
			}
			return out
		}
		if got := titles(f.alice, f.bau.Name+": "+f.m1.Title); !slices.Equal(got, want) {
			t.Errorf("the feed shows %q, want %q", got, want)
		}

		// The committee: documented difference (see above).
		if got := titles(f.sigrid, f.personal.Name+": "+f.m3.Title); !slices.Equal(got, []string{f.i5.Title}) {
			t.Errorf("the feed of the non-public committee's member shows %q", got)
		}
		if res := f.do(t, "GET", bodyA+"/agenda-items/"+f.i5.ID.String()); res.status != 404 {
			t.Errorf("OParl shows the non-public committee's item: %d", res.status)
		}
	})
}
