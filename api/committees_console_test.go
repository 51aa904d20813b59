package api_test

import (
	"strings"
	"testing"
	"time"

	"github.com/kollab/kollab/internal/db"
	"github.com/kollab/kollab/internal/db/dbtest"
	"github.com/kollab/kollab/tenant"
)

// The chair's console over HTTP: the current item (members read it), a
// draft poll moved to the right item and deleted, a mistaken poll annulled
// while it runs, can_vote with its reason for a conflicted member, and a
// meeting cancelled with a reason (a member may not).
func TestConsoleOverHTTP(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		s := e.seedTenant("amt")
		admin := s.admin
		const base = "/api/v1/t/amt"
		chair, chairID := e.person(s, "chair", tenant.RoleStaff)
		alice, aliceID := e.person(s, "alice", tenant.RoleCommittee)
		bob, bobID := e.person(s, "bob", tenant.RoleCommittee)
		c := decode[committeeJSON](t, admin.must(201, "POST", base+"/committees", map[string]any{"name": "Rat"}))
		for who, role := range map[string]string{chairID: "chair", aliceID: "member", bobID: "member"} {
			admin.must(200, "PUT", base+"/committees/"+c.ID+"/members/"+who, map[string]any{"role": role, "voting": true})
		}
		start := time.Now().UTC().Add(time.Hour)
		m := decode[meetingJSON](t, chair.must(201, "POST", base+"/committees/"+c.ID+"/meetings", map[string]any{"title": "Sitzung",
			"starts_at": start, "ends_at": start.Add(time.Hour)}))
		mbase := base + "/meetings/" + m.ID
		var items []itemJSON
		for _, title := range []string{"Haushalt", "Winterdienst"} {
			items = append(items, decode[itemJSON](t, chair.must(201, "POST", mbase+"/agenda", map[string]any{"title": title})))
		}
		for _, to := range []string{"invited", "in_session"} {
			chair.must(200, "POST", mbase+"/transitions", map[string]string{"to": to})
		}
		for _, who := range []string{chairID, aliceID, bobID} {
			chair.must(200, "PUT", mbase+"/attendance/"+who, map[string]string{"status": "present"})
		}

		type meetingView struct {
			State         string `json:"state"`
			CurrentItemID string `json:"current_item_id"`
			CancelReason  string `json:"cancel_reason"`
		}
		wantCode(t, alice.do("PUT", mbase+"/current-item", map[string]any{"agenda_item_id": items[1].ID}), 403, "forbidden")
		if got := decode[meetingView](t, chair.must(200, "PUT", mbase+"/current-item", map[string]any{"agenda_item_id": items[1].ID})); got.CurrentItemID != items[1].ID {
			t.Fatalf("called: %+v", got)
		}
		if got := decode[meetingView](t, alice.must(200, "GET", mbase, nil)); got.CurrentItemID != items[1].ID {
			t.Fatalf("alice reads the current item: %+v", got)
		}
		if got := decode[meetingView](t, chair.must(200, "PUT", mbase+"/current-item", map[string]any{})); got.CurrentItemID != "" {
			t.Fatalf("cleared: %+v", got)
		}

		// Created on the wrong item, moved, opened (which calls its item).
		type pollView struct {
			ID           string `json:"id"`
			State        string `json:"state"`
			Title        string `json:"title"`
			AgendaItemID string `json:"agenda_item_id"`
			CanVote      bool   `json:"can_vote"`
			VoteBar      string `json:"vote_bar"`
			CanAnnul     bool   `json:"can_annul"`
			AnnulReason  string `json:"annul_reason"`
		}
		p := decode[pollView](t, chair.must(201, "POST", base+"/polls", map[string]any{"agenda_item_id": items[0].ID, "title": "Vergabe",
			"kind": "named", "method": "yes_no_abstain"}))
		wantCode(t, alice.do("PATCH", base+"/polls/"+p.ID, map[string]any{"agenda_item_id": items[1].ID}), 403, "forbidden")
		p = decode[pollView](t, chair.must(200, "PATCH", base+"/polls/"+p.ID, map[string]any{"agenda_item_id": items[1].ID, "title": "Vergabe Winterdienst"}))
		if p.AgendaItemID != items[1].ID || p.Title != "Vergabe Winterdienst" || p.State != "draft" {
			t.Fatalf("moved: %+v", p)
		}
		dup := decode[pollView](t, chair.must(201, "POST", base+"/polls", map[string]any{"agenda_item_id": items[1].ID, "title": "Doppelt",
			"kind": "named", "method": "yes_no_abstain"}))
		chair.must(204, "DELETE", base+"/polls/"+dup.ID, nil)
		wantCode(t, chair.do("GET", base+"/polls/"+dup.ID, nil), 404, "not-found")

		chair.must(200, "POST", base+"/agenda-items/"+items[1].ID+"/conflicts", map[string]any{"membership_id": bobID, "reason": "Angebot der Schwester"})
		chair.must(200, "POST", base+"/polls/"+p.ID+"/open", map[string]string{})
		if got := decode[meetingView](t, bob.must(200, "GET", mbase, nil)); got.CurrentItemID != items[1].ID {
			t.Fatalf("opening did not call the item: %+v", got)
		}
		if got := decode[pollView](t, bob.must(200, "GET", base+"/polls/"+p.ID, nil)); got.CanVote || got.VoteBar != "conflict" {
			t.Fatalf("conflicted bob: %+v", got)
		}
		if got := decode[pollView](t, admin.must(200, "GET", base+"/polls/"+p.ID, nil)); got.CanVote || got.VoteBar != "no_seat" {
			t.Fatalf("admin without a seat: %+v", got)
		}
		if got := decode[pollView](t, alice.must(200, "GET", base+"/polls/"+p.ID, nil)); !got.CanVote || got.VoteBar != "" || got.CanAnnul != true {
			t.Fatalf("alice: %+v", got)
		}
		alice.must(201, "POST", base+"/polls/"+p.ID+"/ballots", map[string]any{"choice": "no"})
		wantCode(t, chair.do("PATCH", base+"/polls/"+p.ID, map[string]any{"title": "Neu"}), 409, "conflict")
		wantCode(t, chair.do("DELETE", base+"/polls/"+p.ID, nil), 409, "conflict")
		got := decode[pollView](t, chair.must(200, "POST", base+"/polls/"+p.ID+"/annul", map[string]string{"reason": "Falsche Vorlage"}))
		if got.State != "annulled" || got.AnnulReason != "Falsche Vorlage" || got.CanAnnul {
			t.Fatalf("annulled: %+v", got)
		}
		wantCode(t, alice.do("POST", base+"/polls/"+p.ID+"/ballots", map[string]any{"choice": "yes"}), 409, "conflict")

		// A second meeting, invited, is cancelled.
		m2 := decode[meetingJSON](t, chair.must(201, "POST", base+"/committees/"+c.ID+"/meetings", map[string]any{"title": "Sitzung 2",
			"starts_at": start.Add(24 * time.Hour), "ends_at": start.Add(25 * time.Hour)}))
		chair.must(200, "POST", base+"/meetings/"+m2.ID+"/transitions", map[string]string{"to": "invited"})
		r := alice.do("POST", base+"/meetings/"+m2.ID+"/cancel", map[string]string{"reason": "Ich will nicht"})
		wantCode(t, r, 403, "forbidden")
		if strings.Contains(string(r.body), "Ich will nicht") {
			t.Fatalf("the problem echoes the request: %s", r.body)
		}
		mv := decode[meetingView](t, chair.must(200, "POST", base+"/meetings/"+m2.ID+"/cancel", map[string]string{"reason": "Saal gesperrt"}))
		if mv.State != "cancelled" || mv.CancelReason != "Saal gesperrt" {
			t.Fatalf("cancelled: %+v", mv)
		}
		if n := e.countRows(s.tenant.ID, "mail_outbox", "kind = ?", "meeting_cancellation"); n != 3 {
			t.Fatalf("%d cancellations queued, want 3", n)
		}
		wantCode(t, chair.do("POST", base+"/meetings/"+m2.ID+"/cancel", map[string]string{"reason": "nochmals"}), 409, "conflict")
		wantCode(t, chair.do("POST", mbase+"/cancel", map[string]string{"reason": "in der Sitzung"}), 409, "conflict")
	})
}
