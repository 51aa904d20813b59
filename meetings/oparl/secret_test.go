package oparl_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/kollab/kollab/internal/db"
	"github.com/kollab/kollab/internal/db/dbtest"
	"github.com/kollab/kollab/meetings"
	"github.com/kollab/kollab/tenant"
)

// OParl never shows the result of a secret poll with fewer than 3 ballots:
// such a poll is not counted nor published, and should its result ever be
// stored and published (the record of an older version), the agenda item
// still carries no result. A secret poll with 3 ballots shows its result.
func TestOParlShowsNoResultOfSmallSecretPolls(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		vera := f.seat(t, f.a, f.bau, tenant.RoleCommittee, meetings.RoleMember, true, "Vera Votum")
		now := time.Now().UTC()
		m, err := f.svc.CreateMeeting(ctx, f.adminA, f.bau.ID, meetings.MeetingInput{Title: "3. Sitzung des Bauausschusses",
			StartsAt: now, EndsAt: now.Add(time.Hour)})
		must(t, err)
		small := f.item(t, f.adminA, m, "Wahl der Schriftführung", true)
		counted := f.item(t, f.adminA, m, "Wahl der Stellvertretung", true)
		f.advance(t, m, meetings.Invited)
		f.advance(t, m, meetings.InSession)
		for _, p := range []tenant.Actor{f.chair, f.alice, vera} {
			_, err := f.svc.SetAttendance(ctx, f.adminA, m.ID, p.MembershipID, meetings.Present)
			must(t, err)
		}
		poll := func(it *meetings.AgendaItem, voters ...tenant.Actor) *meetings.Poll {
			p, err := f.svc.CreatePoll(ctx, f.adminA, meetings.PollInput{AgendaItemID: it.ID, Title: "Wahl", Kind: meetings.Secret,
				Method: meetings.YesNoAbstain})
			must(t, err)
			_, err = f.svc.OpenPoll(ctx, f.adminA, p.ID)
			must(t, err)
			for _, v := range voters {
				_, err := f.svc.Cast(ctx, v, p.ID, uuid.Nil, meetings.Vote{Choice: meetings.Yes})
				must(t, err)
			}
			_, err = f.svc.ClosePoll(ctx, f.adminA, p.ID)
			must(t, err)
			return p
		}
		p := poll(small, f.chair, f.alice)
		if _, err := f.svc.PublishPoll(ctx, f.adminA, p.ID); err == nil {
			t.Fatal("a secret poll with 2 ballots was published")
		}
		must(t, d.Tenant(ctx, f.a.ID, func(tx *db.Tx) error {
			if err := tx.Unscoped().Exec(`INSERT INTO poll_results (tenant_id, id, poll_id, ballots, cast_weight, yes_weight, base_weight,
				present_weight, members_weight, passed, computed_at) VALUES (?, ?, ?, 2, 2, 2, 2, 3, 3, ?, ?)`,
				f.a.ID, uuid.New(), p.ID, true, now).Error; err != nil {
				return err
			}
			return tx.Unscoped().Exec("UPDATE polls SET state = 'published', published_at = ? WHERE tenant_id = ? AND id = ?", now, f.a.ID, p.ID).Error
		}))
		p = poll(counted, f.chair, f.alice, vera)
		_, err = f.svc.PublishPoll(ctx, f.adminA, p.ID)
		must(t, err)

		bodyA := apiBase + "/bodies/" + f.a.ID.String()
		for it, want := range map[uuid.UUID]any{small.ID: nil, counted.ID: "Beschlossen"} {
			res := f.do(t, "GET", bodyA+"/agenda-items/"+it.String())
			if res.status != 200 {
				t.Fatalf("agenda item: %d %s", res.status, res.body)
			}
			var o map[string]any
			must(t, json.Unmarshal(res.body, &o))
			if o["result"] != want {
				t.Errorf("agenda item %s: result %v, want %v", o["name"], o["result"], want)
			}
		}
	})
}
