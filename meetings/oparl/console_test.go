package oparl_test

import (
	"testing"
	"time"

	"github.com/kollab/kollab/internal/db"
	"github.com/kollab/kollab/internal/db/dbtest"
	"github.com/kollab/kollab/meetings"
)

// A cancelled meeting is published with cancelled true; an annulled poll
// is no resolution: its item loses the result, and the item's modified
// moves forward (a client syncing by modified_since learns of it).
func TestOParlCancelledMeetingAndAnnulledPoll(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		body := apiBase + "/bodies/" + f.a.ID.String()
		get := func(u string) map[string]any {
			t.Helper()
			res := f.do(t, "GET", u)
			if res.status != 200 {
				t.Fatalf("%s: %d %s", u, res.status, res.body)
			}
			return decode(t, res.body).(map[string]any)
		}
		item := get(body + "/agenda-items/" + f.i1.ID.String())
		if item["result"] != "Beschlossen" {
			t.Fatalf("before the annulment: %v", item)
		}
		before, err := time.Parse(time.RFC3339, item["modified"].(string))
		must(t, err)
		polls, err := f.svc.ListPolls(ctx, f.adminA, f.bau.ID)
		must(t, err)
		if len(polls) != 1 || polls[0].State != meetings.PollPublished {
			t.Fatalf("fixture polls: %+v", polls)
		}
		time.Sleep(1100 * time.Millisecond) // the API shows whole seconds
		_, err = f.svc.AnnulPoll(ctx, f.adminA, polls[0].ID, "Die Vorlage war nicht die beschlossene Fassung.")
		must(t, err)
		_, err = f.svc.CancelMeeting(ctx, f.adminA, f.m2.ID, "Keine Beratungsgegenstände")
		must(t, err)

		item = get(body + "/agenda-items/" + f.i1.ID.String())
		if _, ok := item["result"]; ok {
			t.Fatalf("an annulled poll is published as a result: %v", item)
		}
		after, err := time.Parse(time.RFC3339, item["modified"].(string))
		must(t, err)
		if !after.After(before) {
			t.Fatalf("modified %v did not move past %v", after, before)
		}
		m2 := get(body + "/meetings/" + f.m2.ID.String())
		if m2["cancelled"] != true || m2["meetingState"] != "terminiert" {
			t.Fatalf("cancelled meeting: %v", m2)
		}
		if m1 := get(body + "/meetings/" + f.m1.ID.String()); m1["cancelled"] != false {
			t.Fatalf("meeting 1: %v", m1)
		}
	})
}
