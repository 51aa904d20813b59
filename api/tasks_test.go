package api_test

import (
	"strconv"
	"testing"

	"github.com/google/uuid"
	"github.com/kollab/kollab/internal/db"
	"github.com/kollab/kollab/internal/db/dbtest"
	"github.com/kollab/kollab/tasks"
	"github.com/kollab/kollab/tenant"
)

// taskStore is what taskObjects made in a workspace: a task with a
// comment, another task, and an added status.
type taskStore struct {
	admin       tenant.Actor
	task, other *tasks.Task
	status      *tasks.Status
	comment     *tasks.Comment
}

func taskObjects(t *testing.T, e *env, ws *workspaceStore) *taskStore {
	t.Helper()
	ctx, svc := t.Context(), e.tasks
	tk, err := svc.Create(ctx, ws.admin, ws.ws.ID, tasks.Input{Title: "Prüfvermerk Statik " + ws.ws.Name, DueOn: "2027-01-15", Labels: []string{"Statik"}})
	if err != nil {
		t.Fatal(err)
	}
	other, err := svc.Create(ctx, ws.admin, ws.ws.ID, tasks.Input{Title: "Ortstermin " + ws.ws.Name})
	if err != nil {
		t.Fatal(err)
	}
	st, err := svc.AddStatus(ctx, ws.admin, ws.ws.ID, tasks.StatusInput{Name: "Zur Mitzeichnung", Category: tasks.Waiting})
	if err != nil {
		t.Fatal(err)
	}
	c, err := svc.AddComment(ctx, ws.admin, tk.ID, tasks.CommentInput{Body: "Vermerk vertraulich " + ws.ws.Name})
	if err != nil {
		t.Fatal(err)
	}
	return &taskStore{admin: ws.admin, task: tk, other: other, status: st, comment: c}
}

// unchanged fails unless the tasks are as taskObjects left them.
func (ts *taskStore) unchanged(t *testing.T, e *env) {
	t.Helper()
	for _, want := range []*tasks.Task{ts.task, ts.other} {
		got, err := e.tasks.Get(t.Context(), ts.admin, want.ID)
		if err != nil || got.Version != want.Version || got.Title != want.Title || got.StatusID != want.StatusID || len(got.Assignees) != 0 {
			t.Fatalf("task changed: %+v %v", got, err)
		}
	}
	cs, err := e.tasks.Comments(t.Context(), ts.admin, ts.task.ID)
	if err != nil || len(cs) != 1 || cs[0].Deleted || cs[0].Body != ts.comment.Body {
		t.Fatalf("comments changed: %+v %v", cs, err)
	}
	rel, err := e.tasks.Related(t.Context(), ts.admin, ts.task.ID)
	if err != nil || len(rel.Links) != 0 || len(rel.Documents) != 0 {
		t.Fatalf("links changed: %+v %v", rel, err)
	}
	sts, err := e.tasks.Statuses(t.Context(), ts.admin, ts.task.WorkspaceID)
	if err != nil || len(sts) != 6 || sts[5].Name != ts.status.Name {
		t.Fatalf("statuses changed: %+v %v", sts, err)
	}
}

// taskBodies are the matrix's request bodies of the task routes.
func taskBodies(ts *taskStore, doc uuid.UUID) map[string]any {
	return map[string]any{
		"POST /api/v1/t/{tenant}/workspaces/{id}/tasks":           map[string]any{"title": "Neu"},
		"PATCH /api/v1/t/{tenant}/tasks/{id}":                     map[string]any{"title": "Neu"},
		"POST /api/v1/t/{tenant}/tasks/{id}/move":                 map[string]any{"status_id": ts.status.ID},
		"POST /api/v1/t/{tenant}/workspaces/{id}/task-statuses":   map[string]any{"name": "Neu", "category": "waiting"},
		"PATCH /api/v1/t/{tenant}/task-statuses/{id}":             map[string]any{"name": "Umbenannt"},
		"POST /api/v1/t/{tenant}/tasks/{id}/links":                map[string]any{"task_id": ts.other.ID, "kind": "relates"},
		"POST /api/v1/t/{tenant}/tasks/{id}/documents":            map[string]any{"document_id": doc},
		"POST /api/v1/t/{tenant}/tasks/{id}/comments":             map[string]any{"body": "Neu"},
		"PATCH /api/v1/t/{tenant}/tasks/{id}/comments/{comment}":  map[string]any{"body": "Neu"},
		"PUT /api/v1/t/{tenant}/workspaces/{id}/project":          map[string]any{"phase": "Planung"},
		"POST /api/v1/t/{tenant}/workspaces/{id}/project/reports": map[string]any{"light": "green", "text": "Im Plan"},
	}
}

type taskJSON struct {
	ID          uuid.UUID `json:"id"`
	Title       string    `json:"title"`
	StatusID    uuid.UUID `json:"status_id"`
	Category    string    `json:"category"`
	DueOn       string    `json:"due_on"`
	DueWorkdays int       `json:"due_workdays"`
	Version     int64     `json:"version"`
	CanWrite    bool      `json:"can_write"`
	Assignees   []struct {
		MembershipID string `json:"membership_id"`
		Guest        bool   `json:"guest"`
	} `json:"assignees"`
}

// TestTasksOverHTTP: a task made, read, changed under If-Match (a lost
// update answers 412 and changes nothing), bad input answers 422 with a
// problem and changes nothing, the board moves it, and a reader reads.
func TestTasksOverHTTP(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		s := e.seedTenant("amt-tk")
		alice, _ := e.staff(s, "alice")
		bob, bobID := e.staff(s, "bob")
		carol, carolID := e.staff(s, "carol")
		base := "/api/v1/t/amt-tk"
		var ws struct {
			ID uuid.UUID `json:"id"`
		}
		alice.must(201, "POST", base+"/workspaces", map[string]any{"name": "Bauaufsicht"}).json(t, &ws)
		wsPath := base + "/workspaces/" + ws.ID.String()
		alice.must(200, "PUT", wsPath+"/members/"+bobID, map[string]string{"role": "member"})
		alice.must(200, "PUT", wsPath+"/members/"+carolID, map[string]string{"role": "reader"})

		r := alice.must(201, "POST", wsPath+"/tasks", map[string]any{"title": "Bauantrag prüfen", "assignee_ids": []string{bobID},
			"due_from": "2026-12-21", "due_workdays": 10, "labels": []string{"Bau"}})
		tk := decode[taskJSON](t, r)
		if r.header.Get("ETag") != `"1"` || tk.DueWorkdays != 10 || tk.DueOn != "2027-01-06" || len(tk.Assignees) != 1 {
			t.Fatalf("created: %s %s", r.header.Get("ETag"), r.body)
		}
		taskPath := base + "/tasks/" + tk.ID.String()
		wantCode(t, alice.do("POST", wsPath+"/tasks", map[string]any{"title": "", "due_on": "morgen"}), 422, "invalid-input")
		wantCode(t, alice.do("POST", wsPath+"/tasks", map[string]any{"title": "X", "assignee_ids": []string{uuid.NewString()}}), 422, "invalid-input")
		wantCode(t, bob.do("PATCH", taskPath, map[string]any{"title": "Neu"}), 422, "invalid-input")
		wantCode(t, bob.with("If-Match", `"9"`).do("PATCH", taskPath, map[string]any{"title": "Neu"}), 412, "precondition-failed")
		r = bob.with("If-Match", `"1"`).must(200, "PATCH", taskPath, map[string]any{"title": "Bauantrag Müller prüfen", "priority": 4})
		if r.header.Get("ETag") != `"2"` || decode[taskJSON](t, r).Title != "Bauantrag Müller prüfen" {
			t.Fatalf("updated: %s %s", r.header.Get("ETag"), r.body)
		}
		wantCode(t, carol.with("If-Match", `"2"`).do("PATCH", taskPath, map[string]any{"title": "Nein"}), 403, "forbidden")
		got := decode[taskJSON](t, carol.must(200, "GET", taskPath, nil))
		if got.CanWrite || got.Version != 2 || got.Title != "Bauantrag Müller prüfen" {
			t.Fatalf("reader reads: %+v", got)
		}

		var board struct {
			Columns []struct {
				Status struct {
					ID       uuid.UUID `json:"id"`
					Category string    `json:"category"`
				} `json:"status"`
				Count int `json:"count"`
			} `json:"columns"`
		}
		bob.must(200, "GET", wsPath+"/board", nil).json(t, &board)
		if len(board.Columns) != 5 || board.Columns[0].Count != 1 {
			t.Fatalf("board: %+v", board)
		}
		r = bob.with("If-Match", `"2"`).must(200, "POST", taskPath+"/move", map[string]any{"status_id": board.Columns[1].Status.ID})
		if moved := decode[taskJSON](t, r); moved.Category != "in_progress" || moved.Version != 3 {
			t.Fatalf("moved: %s", r.body)
		}
		var mine struct {
			Items []taskJSON `json:"items"`
		}
		bob.must(200, "GET", base+"/my-tasks", nil).json(t, &mine)
		if len(mine.Items) != 1 || mine.Items[0].ID != tk.ID {
			t.Fatalf("bob's tasks: %+v", mine)
		}
		carol.must(200, "GET", base+"/my-tasks", nil).json(t, &mine)
		if len(mine.Items) != 0 {
			t.Fatalf("carol's tasks: %+v", mine)
		}
		wantCode(t, alice.do("GET", wsPath+"/tasks?sort=size", nil), 422, "invalid-input")
		alice.must(201, "POST", taskPath+"/comments", map[string]any{"body": "Bitte Statik anfordern.", "mentions": []string{bobID}})
		var hist struct {
			Entries []struct {
				Field string `json:"field"`
			} `json:"entries"`
		}
		carol.must(200, "GET", taskPath+"/history", nil).json(t, &hist)
		if len(hist.Entries) < 3 {
			t.Fatalf("history: %+v", hist)
		}
		wantCode(t, bob.with("If-Match", `"3"`).do("DELETE", taskPath, nil), 403, "forbidden")
		alice.with("If-Match", strconv.Quote("3")).must(204, "DELETE", taskPath, nil)
		wantCode(t, alice.do("GET", taskPath, nil), 404, "not-found")
	})
}
