package api_test

import (
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/kollab/kollab/internal/db"
	"github.com/kollab/kollab/internal/db/dbtest"
	"github.com/kollab/kollab/tasks"
	"github.com/kollab/kollab/tenant"
)

// taskDeadlineBodies are the matrices' request bodies of the deadline routes.
func taskDeadlineBodies() map[string]any {
	return map[string]any{
		"PUT /api/v1/t/{tenant}/task-reminder-setting":         map[string]any{"lead_days": 7},
		"PUT /api/v1/t/{tenant}/workspaces/{id}/task-settings": map[string]any{"escalation_workdays": 5},
	}
}

type deadlineCountsJSON struct {
	DueThisWeek   int `json:"due_this_week"`
	Overdue       int `json:"overdue"`
	Overdue1To3   int `json:"overdue_1_3"`
	Overdue4To7   int `json:"overdue_4_7"`
	Overdue8To14  int `json:"overdue_8_14"`
	OverdueOver14 int `json:"overdue_over_14"`
}

type taskDeadlinesJSON struct {
	Today      string `json:"today"`
	Workspaces []struct {
		WorkspaceID uuid.UUID `json:"workspace_id"`
		deadlineCountsJSON
	} `json:"workspaces"`
	People []struct {
		MembershipID string `json:"membership_id"`
		Name         string `json:"name"`
		deadlineCountsJSON
	} `json:"people"`
	Totals deadlineCountsJSON `json:"totals"`
}

// TestTaskDeadlinesOverHTTP: a person's reminder lead, a workspace's
// escalation under If-Match (owners write, members read), and the overdue
// cockpit (owners and admins; members see empty lists).
func TestTaskDeadlinesOverHTTP(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		s := e.seedTenant("amt-fr")
		alice, _ := e.staff(s, "alice")
		bob, bobID := e.staff(s, "bob")
		base := "/api/v1/t/amt-fr"
		var ws struct {
			ID uuid.UUID `json:"id"`
		}
		alice.must(201, "POST", base+"/workspaces", map[string]any{"name": "Fristenkontrolle"}).json(t, &ws)
		wsPath := base + "/workspaces/" + ws.ID.String()
		alice.must(200, "PUT", wsPath+"/members/"+bobID, map[string]string{"role": "member"})

		var lead struct {
			LeadDays int   `json:"lead_days"`
			Choices  []int `json:"choices"`
		}
		bob.must(200, "GET", base+"/task-reminder-setting", nil).json(t, &lead)
		if lead.LeadDays != 3 || len(lead.Choices) != 3 {
			t.Fatalf("default lead: %+v", lead)
		}
		wantCode(t, bob.do("PUT", base+"/task-reminder-setting", map[string]any{"lead_days": 5}), 422, "invalid-input")
		bob.must(200, "PUT", base+"/task-reminder-setting", map[string]any{"lead_days": 7})
		bob.must(200, "GET", base+"/task-reminder-setting", nil).json(t, &lead)
		if lead.LeadDays != 7 {
			t.Fatalf("lead: %+v", lead)
		}

		type settings struct {
			EscalationWorkdays int   `json:"escalation_workdays"`
			Version            int64 `json:"version"`
			CanWrite           bool  `json:"can_write"`
		}
		r := bob.must(200, "GET", wsPath+"/task-settings", nil)
		if st := decode[settings](t, r); r.header.Get("ETag") != `"1"` || st.EscalationWorkdays != 3 || st.CanWrite {
			t.Fatalf("bob reads: %s %s", r.header.Get("ETag"), r.body)
		}
		wantCode(t, bob.do("PUT", wsPath+"/task-settings", map[string]any{"escalation_workdays": 5}), 403, "forbidden")
		wantCode(t, alice.with("If-Match", `"9"`).do("PUT", wsPath+"/task-settings", map[string]any{"escalation_workdays": 5}), 412, "precondition-failed")
		for _, bad := range []int{0, 61} {
			wantCode(t, alice.with("If-Match", `"1"`).do("PUT", wsPath+"/task-settings", map[string]any{"escalation_workdays": bad}), 422, "invalid-input")
		}
		r = alice.with("If-Match", `"1"`).must(200, "PUT", wsPath+"/task-settings", map[string]any{"escalation_workdays": 5})
		if st := decode[settings](t, r); r.header.Get("ETag") != `"2"` || st.EscalationWorkdays != 5 || !st.CanWrite {
			t.Fatalf("alice sets: %s %s", r.header.Get("ETag"), r.body)
		}
		r = alice.must(200, "PUT", wsPath+"/task-settings", map[string]any{"escalation_workdays": 6}) // If-Match is optional
		if r.header.Get("ETag") != `"3"` {
			t.Fatalf("without If-Match: %s", r.body)
		}
		wantCode(t, alice.do("GET", base+"/workspaces/"+uuid.NewString()+"/task-settings", nil), 404, "not-found")

		today := time.Now().In(tenant.Berlin)
		day := func(n int) string { return today.AddDate(0, 0, n).Format(tasks.DateLayout) }
		alice.must(201, "POST", wsPath+"/tasks", map[string]any{"title": "Gestern fällig", "due_on": day(-1), "assignee_ids": []string{bobID}})
		alice.must(201, "POST", wsPath+"/tasks", map[string]any{"title": "Heute fällig", "due_on": day(0)})
		alice.must(201, "POST", wsPath+"/tasks", map[string]any{"title": "Lange überfällig", "due_on": day(-20), "assignee_ids": []string{bobID}})
		var c taskDeadlinesJSON
		alice.must(200, "GET", base+"/task-deadlines", nil).json(t, &c)
		want := deadlineCountsJSON{DueThisWeek: 1, Overdue: 2, Overdue1To3: 1, OverdueOver14: 1}
		if c.Today != day(0) || len(c.Workspaces) != 1 || c.Workspaces[0].WorkspaceID != ws.ID || c.Workspaces[0].deadlineCountsJSON != want || c.Totals != want {
			t.Fatalf("alice's cockpit: %+v", c)
		}
		if len(c.People) != 1 || c.People[0].MembershipID != bobID || c.People[0].Name == "" ||
			c.People[0].deadlineCountsJSON != (deadlineCountsJSON{Overdue: 2, Overdue1To3: 1, OverdueOver14: 1}) {
			t.Fatalf("people: %+v", c.People)
		}
		s.admin.must(200, "GET", base+"/task-deadlines", nil).json(t, &c)
		if len(c.Workspaces) != 1 || c.Totals != want {
			t.Fatalf("admin's cockpit: %+v", c)
		}
		r = bob.must(200, "GET", base+"/task-deadlines", nil)
		if string(r.body) == "" || decode[taskDeadlinesJSON](t, r).Workspaces == nil {
			t.Fatalf("bob's cockpit: %s", r.body)
		}
		if c := decode[taskDeadlinesJSON](t, r); len(c.Workspaces) != 0 || len(c.People) != 0 {
			t.Fatalf("bob's cockpit: %s", r.body)
		}
	})
}
