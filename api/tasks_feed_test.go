package api_test

import (
	"strings"
	"testing"

	ics "github.com/arran4/golang-ical"
	"github.com/google/uuid"
	"github.com/kollab/kollab/internal/db"
	"github.com/kollab/kollab/internal/db/dbtest"
	"github.com/kollab/kollab/tasks"
)

// TestTaskFeed: the personal feed token also reads the due dates of the
// tasks assigned to its account: VTODOs with their due day or time and
// state, or VEVENTs on request; unassigned tasks and tasks without a due
// day are not in it; an unknown token is 404.
func TestTaskFeed(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		s := e.seedTenant("amt-feed")
		alice, _ := e.staff(s, "alice")
		bob, bobID := e.staff(s, "bob")
		var ws struct {
			ID uuid.UUID `json:"id"`
		}
		alice.must(201, "POST", "/api/v1/t/amt-feed/workspaces", map[string]any{"name": "Bauaufsicht"}).json(t, &ws)
		wsPath := "/api/v1/t/amt-feed/workspaces/" + ws.ID.String()
		alice.must(200, "PUT", wsPath+"/members/"+bobID, map[string]string{"role": "member"})
		mk := func(body map[string]any) taskJSON {
			return decode[taskJSON](t, alice.must(201, "POST", wsPath+"/tasks", body))
		}
		allDay := mk(map[string]any{"title": "Bescheid zustellen", "due_on": "2027-01-11", "assignee_ids": []string{bobID}, "priority": 4})
		timed := mk(map[string]any{"title": "Ortstermin", "due_on": "2027-01-12", "due_time": "14:30", "assignee_ids": []string{bobID}})
		mk(map[string]any{"title": "Ohne Frist", "assignee_ids": []string{bobID}})
		mk(map[string]any{"title": "Nicht für Bob", "due_on": "2027-01-11"})
		done := mk(map[string]any{"title": "Akte anlegen", "due_on": "2027-01-04", "assignee_ids": []string{bobID}})
		var board struct {
			Columns []struct {
				Status struct {
					ID uuid.UUID `json:"id"`
				} `json:"status"`
			} `json:"columns"`
		}
		alice.must(200, "GET", wsPath+"/board", nil).json(t, &board)
		alice.must(200, "POST", "/api/v1/t/amt-feed/tasks/"+done.ID.String()+"/move", map[string]any{"status_id": board.Columns[3].Status.ID})

		var created struct {
			URL string `json:"url"`
		}
		bob.must(201, "POST", "/api/v1/me/calendar-feed", nil).json(t, &created)
		tok := strings.TrimSuffix(strings.TrimPrefix(created.URL, "https://kollab.example/ical/"), ".ics")
		r := e.client().must(200, "GET", "/ical/tasks/"+tok+".ics", nil)
		cal, err := ics.ParseCalendar(strings.NewReader(string(r.body)))
		if err != nil {
			t.Fatalf("parse: %v\n%s", err, r.body)
		}
		todos := map[string]*ics.VTodo{}
		for _, td := range cal.Todos() {
			todos[td.Id()] = td
		}
		prop := func(td *ics.VTodo, p ics.ComponentProperty) string {
			if td == nil || td.GetProperty(p) == nil {
				return ""
			}
			return td.GetProperty(p).Value
		}
		a, tm, dn := todos[tasks.TaskUID(allDay.ID)], todos[tasks.TaskUID(timed.ID)], todos[tasks.TaskUID(done.ID)]
		if len(todos) != 3 || prop(a, ics.ComponentPropertyDue) != "20270111" || prop(a, ics.ComponentPropertyPriority) != "1" ||
			prop(tm, ics.ComponentPropertyDue) != "20270112T133000Z" || prop(dn, ics.ComponentPropertyStatus) != "COMPLETED" ||
			!strings.Contains(prop(a, ics.ComponentPropertyUrl), "/t/amt-feed/tasks/"+allDay.ID.String()) {
			t.Fatalf("todos:\n%s", r.body)
		}
		r = e.client().must(200, "GET", "/ical/tasks/"+tok+".ics?format=vevent", nil)
		cal, err = ics.ParseCalendar(strings.NewReader(string(r.body)))
		if err != nil || len(cal.Events()) != 3 || len(cal.Todos()) != 0 || !strings.Contains(string(r.body), "SUMMARY:Erledigt: Akte anlegen") {
			t.Fatalf("events (%v):\n%s", err, r.body)
		}
		if !strings.Contains(string(r.body), "DTSTART;VALUE=DATE:20270111") {
			t.Fatalf("all-day event:\n%s", r.body)
		}
		e.client().must(404, "GET", "/ical/tasks/klc_unbekannt.ics", nil)
		tag := r.header.Get("ETag")
		e.client().with("If-None-Match", tag).must(304, "GET", "/ical/tasks/"+tok+".ics?format=vevent", nil)
	})
}
