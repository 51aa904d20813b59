package api_test

import (
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/kollab/kollab/internal/db"
	"github.com/kollab/kollab/internal/db/dbtest"
	"github.com/kollab/kollab/tenant"
)

type cockpitJSON struct {
	Meetings []struct {
		ID            string    `json:"id"`
		Title         string    `json:"title"`
		CommitteeName string    `json:"committee_name"`
		StartsAt      time.Time `json:"starts_at"`
		State         string    `json:"state"`
	} `json:"meetings"`
	Polls []struct {
		ID            string     `json:"id"`
		CommitteeName string     `json:"committee_name"`
		Deadline      *time.Time `json:"deadline"`
	} `json:"polls"`
	Workspaces struct {
		Items []struct {
			Name        string `json:"name"`
			MyRole      string `json:"my_role"`
			MemberCount int64  `json:"member_count"`
		} `json:"items"`
		Total int64 `json:"total"`
	} `json:"workspaces"`
	Documents []struct {
		Title      string `json:"title"`
		FolderName string `json:"folder_name"`
	} `json:"documents"`
	Notifications struct {
		Unread int64 `json:"unread"`
		Items  []struct {
			ID    uuid.UUID `json:"id"`
			Title string    `json:"title"`
		} `json:"items"`
	} `json:"notifications"`
}

// The cockpit over HTTP: one response with every part for the caller; a
// partner without seat, workspace or grant gets empty parts, not errors.
func TestCockpitOverHTTP(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		s := e.seedTenant("amt-start")
		const base = "/api/v1/t/amt-start"
		alice, aliceID := e.person(s, "alice", tenant.RoleStaff)
		dave, _ := e.person(s, "dave", tenant.RolePartner)
		dave.enrol() // the tenant requires a second factor of partners
		var c struct{ ID string }
		s.admin.must(201, "POST", base+"/committees", map[string]any{"name": "Bauausschuss"}).json(t, &c)
		s.admin.must(200, "PUT", base+"/committees/"+c.ID+"/members/"+aliceID, map[string]any{"role": "chair", "voting": true})
		start := time.Now().UTC().Add(time.Hour).Truncate(time.Second)
		alice.must(201, "POST", base+"/committees/"+c.ID+"/meetings", map[string]any{"title": "12. Sitzung",
			"starts_at": start, "ends_at": start.Add(3 * time.Hour)})
		var p struct{ ID string }
		alice.must(201, "POST", base+"/polls", map[string]any{"committee_id": c.ID, "deadline": time.Now().Add(48 * time.Hour),
			"title": "Umlaufbeschluss", "kind": "named", "method": "yes_no_abstain"}).json(t, &p)
		alice.must(200, "POST", base+"/polls/"+p.ID+"/open", map[string]string{})
		var ws struct {
			FolderID string `json:"folder_id"`
		}
		alice.must(201, "POST", base+"/workspaces", map[string]any{"name": "Hochwasserschutz"}).json(t, &ws)
		alice.must(201, "POST", base+"/folders/"+ws.FolderID+"/documents", map[string]any{"title": "Gutachten"})
		nid := e.notification(s.tenant.ID, uuid.MustParse(aliceID))

		var got cockpitJSON
		alice.must(200, "GET", base+"/cockpit", nil).json(t, &got)
		if len(got.Meetings) != 1 || got.Meetings[0].Title != "12. Sitzung" || got.Meetings[0].CommitteeName != "Bauausschuss" ||
			!got.Meetings[0].StartsAt.Equal(start) || got.Meetings[0].State != "planned" {
			t.Fatalf("meetings: %+v", got.Meetings)
		}
		if len(got.Polls) != 1 || got.Polls[0].ID != p.ID || got.Polls[0].Deadline == nil {
			t.Fatalf("polls: %+v", got.Polls)
		}
		if got.Workspaces.Total != 1 || len(got.Workspaces.Items) != 1 || got.Workspaces.Items[0].MyRole != "owner" ||
			got.Workspaces.Items[0].MemberCount != 1 {
			t.Fatalf("workspaces: %+v", got.Workspaces)
		}
		if len(got.Documents) != 1 || got.Documents[0].Title != "Gutachten" || got.Documents[0].FolderName == "" {
			t.Fatalf("documents: %+v", got.Documents)
		}
		if got.Notifications.Unread < 1 || len(got.Notifications.Items) < 1 || got.Notifications.Items[0].ID != nid {
			t.Fatalf("notifications: %+v", got.Notifications)
		}
		alice.must(201, "POST", base+"/polls/"+p.ID+"/ballots", map[string]any{"choice": "yes"})
		alice.must(200, "GET", base+"/cockpit", nil).json(t, &got)
		if len(got.Polls) != 0 {
			t.Fatalf("voted poll still pending: %+v", got.Polls)
		}

		var none cockpitJSON
		r := dave.must(200, "GET", base+"/cockpit", nil)
		r.json(t, &none)
		if len(none.Meetings)+len(none.Polls)+len(none.Workspaces.Items)+len(none.Documents)+len(none.Notifications.Items) != 0 ||
			none.Workspaces.Total != 0 || none.Notifications.Unread != 0 {
			t.Fatalf("partner: %s", r.body)
		}
		for _, part := range []string{`"meetings":[]`, `"polls":[]`, `"documents":[]`, `"items":[]`} {
			if !strings.Contains(string(r.body), part) {
				t.Fatalf("partner's cockpit lacks %s: %s", part, r.body)
			}
		}
	})
}
