package api_test

import (
	"strings"
	"testing"

	"github.com/google/uuid"
	"github.com/kollab/kollab/internal/db"
	"github.com/kollab/kollab/internal/db/dbtest"
	"github.com/kollab/kollab/tasks"
	"github.com/kollab/kollab/tenant"
)

type checklistSetBody struct {
	Checklists []struct {
		ID              uuid.UUID `json:"id"`
		Title           string    `json:"title"`
		TemplateName    string    `json:"template_name"`
		TemplateVersion int64     `json:"template_version"`
		Items           []struct {
			ID         uuid.UUID `json:"id"`
			Text       string    `json:"text"`
			Required   bool      `json:"required"`
			Done       bool      `json:"done"`
			DoneByName string    `json:"done_by_name"`
		} `json:"items"`
	} `json:"checklists"`
	RequiredOpen int  `json:"required_open"`
	CanWrite     bool `json:"can_write"`
}

type problemBody struct {
	Code   string `json:"code"`
	Detail string `json:"detail"`
	Field  string `json:"field"`
}

// TestChecklistsOverHTTP: an admin keeps a tenant template; a task made
// with it carries its checklist („Vorlage …, Version 1“); the guest who
// writes in the workspace cannot set the task done while required items
// are open (409, saying what to do, by update and by board move alike),
// ticks them without changing the task's ETag and then sets it done; a
// new version of the template leaves the task as it is; the guest never
// sees the tenant's templates.
func TestChecklistsOverHTTP(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		s := e.seedTenant("bauamt")
		base := "/api/v1/t/bauamt"
		var ws struct {
			ID uuid.UUID `json:"id"`
		}
		s.admin.must(201, "POST", base+"/workspaces", map[string]any{"name": "Bauanträge"}).json(t, &ws)
		_, tok := inviteGuest(t, s.admin, "bauamt", ws.ID, map[string]any{"email": "erika@ib.example", "role": "member"})
		g, _ := guestSignsUp(t, e, "bauamt", "erika@ib.example", tok)

		items := []map[string]any{{"text": "Antragsformular unterschrieben", "required": true}, {"text": "Lageplan", "required": true}, {"text": "Baubeschreibung"}}
		var tpl struct {
			ID      uuid.UUID `json:"id"`
			Version int64     `json:"version"`
			CanEdit bool      `json:"can_edit"`
			Items   []struct {
				Text string `json:"text"`
			} `json:"items"`
		}
		r := s.admin.must(201, "POST", base+"/task-templates", map[string]any{"name": "Bauantrag Vollständigkeitsprüfung", "items": items})
		r.json(t, &tpl)
		if tpl.Version != 1 || !tpl.CanEdit || len(tpl.Items) != 3 || r.header.Get("ETag") != `"1"` {
			t.Fatalf("template: %s %v", r.body, r.header)
		}
		g.must(403, "GET", base+"/task-templates", nil)
		unknown := g.do("GET", base+"/task-templates/"+uuid.NewString(), nil)
		if got := g.do("GET", base+"/task-templates/"+tpl.ID.String(), nil); got.status != 404 || string(got.body) != string(unknown.body) {
			t.Fatalf("the guest reads the tenant's template: %d %s", got.status, got.body)
		}
		g.must(403, "POST", base+"/workspaces/"+ws.ID.String()+"/task-templates", map[string]any{"name": "Eigene", "items": items})
		var p problemBody
		g.must(422, "POST", base+"/workspaces/"+ws.ID.String()+"/tasks", map[string]any{"title": "Vom Gast", "template_ids": []uuid.UUID{tpl.ID}}).json(t, &p)
		if p.Field != "template_ids" || strings.Contains(string(p.Detail), tpl.ID.String()) {
			t.Fatalf("the guest applies the tenant's template: %+v", p)
		}

		var task struct {
			ID           uuid.UUID `json:"id"`
			RequiredOpen int       `json:"required_open"`
		}
		s.admin.must(201, "POST", base+"/workspaces/"+ws.ID.String()+"/tasks", map[string]any{"title": "Bauantrag Müller", "template_ids": []uuid.UUID{tpl.ID}}).json(t, &task)
		if task.RequiredOpen != 2 {
			t.Fatalf("task: %+v", task)
		}
		taskURL := base + "/tasks/" + task.ID.String()
		var set checklistSetBody
		g.must(200, "GET", taskURL+"/checklists", nil).json(t, &set)
		if len(set.Checklists) != 1 || set.Checklists[0].TemplateName != "Bauantrag Vollständigkeitsprüfung" || set.Checklists[0].TemplateVersion != 1 ||
			len(set.Checklists[0].Items) != 3 || set.RequiredOpen != 2 || !set.CanWrite {
			t.Fatalf("checklists: %+v", set)
		}
		var sts struct {
			Statuses []struct {
				ID       uuid.UUID `json:"id"`
				Category string    `json:"category"`
			} `json:"statuses"`
		}
		g.must(200, "GET", base+"/workspaces/"+ws.ID.String()+"/task-statuses", nil).json(t, &sts)
		var done uuid.UUID
		for _, st := range sts.Statuses {
			if st.Category == "done" {
				done = st.ID
			}
		}
		gv := g.with("If-Match", `"1"`)
		gv.must(409, "PATCH", taskURL, map[string]any{"status_id": done}).json(t, &p)
		if !strings.Contains(p.Detail, "Pflichtpunkte") {
			t.Fatalf("the refusal does not say what to do: %+v", p)
		}
		ge := gv.with("Accept-Language", "en")
		ge.must(409, "POST", taskURL+"/move", map[string]any{"status_id": done}).json(t, &p)
		if !strings.Contains(p.Detail, "required item") {
			t.Fatalf("the board's refusal in English: %+v", p)
		}
		for _, it := range set.Checklists[0].Items[:2] {
			var ticked struct {
				Done       bool   `json:"done"`
				DoneByName string `json:"done_by_name"`
			}
			g.must(200, "PATCH", taskURL+"/checklist-items/"+it.ID.String(), map[string]any{"done": true}).json(t, &ticked)
			if !ticked.Done || ticked.DoneByName != "Erika Ingenieurin" {
				t.Fatalf("ticked: %+v", ticked)
			}
		}
		if r := g.must(200, "GET", taskURL, nil); r.header.Get("ETag") != `"1"` {
			t.Fatalf("ticking changed the task's ETag: %v", r.header)
		}
		gv.must(200, "PATCH", taskURL, map[string]any{"status_id": done})

		v2 := map[string]any{"name": "Bauantrag Vollständigkeitsprüfung", "checklist_title": "Vollständigkeit", "items": items[:1]}
		s.admin.must(422, "PUT", base+"/task-templates/"+tpl.ID.String(), v2) // without If-Match
		s.admin.with("If-Match", `"7"`).must(412, "PUT", base+"/task-templates/"+tpl.ID.String(), v2)
		if r := s.admin.with("If-Match", `"1"`).must(200, "PUT", base+"/task-templates/"+tpl.ID.String(), v2); r.header.Get("ETag") != `"2"` {
			t.Fatalf("version 2: %s %v", r.body, r.header)
		}
		g.must(200, "GET", taskURL+"/checklists", nil).json(t, &set)
		if set.Checklists[0].TemplateVersion != 1 || len(set.Checklists[0].Items) != 3 {
			t.Fatalf("the running task changed: %+v", set)
		}
		var cl struct {
			Title           string `json:"title"`
			TemplateVersion int64  `json:"template_version"`
		}
		s.admin.must(409, "POST", taskURL+"/checklists", map[string]any{"template_id": tpl.ID}) // done: no open required item comes back
		var other struct {
			ID uuid.UUID `json:"id"`
		}
		s.admin.must(201, "POST", base+"/workspaces/"+ws.ID.String()+"/tasks", map[string]any{"title": "Bauantrag Schulze"}).json(t, &other)
		s.admin.must(201, "POST", base+"/tasks/"+other.ID.String()+"/checklists", map[string]any{"template_id": tpl.ID}).json(t, &cl)
		if cl.Title != "Vollständigkeit" || cl.TemplateVersion != 2 {
			t.Fatalf("applied later: %+v", cl)
		}
		var vs struct {
			Versions []struct {
				Version int64 `json:"version"`
			} `json:"versions"`
			Next string `json:"next_cursor"`
		}
		s.admin.must(200, "GET", base+"/task-templates/"+tpl.ID.String()+"/versions?limit=1", nil).json(t, &vs)
		if len(vs.Versions) != 1 || vs.Versions[0].Version != 2 || vs.Next != "2" {
			t.Fatalf("versions: %+v", vs)
		}
		cursor := vs.Next
		vs.Next = ""
		s.admin.must(200, "GET", base+"/task-templates/"+tpl.ID.String()+"/versions?cursor="+cursor, nil).json(t, &vs)
		if len(vs.Versions) != 1 || vs.Versions[0].Version != 1 || vs.Next != "" {
			t.Fatalf("versions, second page: %+v", vs)
		}
		s.admin.must(204, "DELETE", base+"/task-templates/"+tpl.ID.String(), nil)
		var list struct {
			Templates []struct{} `json:"templates"`
		}
		s.admin.must(200, "GET", base+"/workspaces/"+ws.ID.String()+"/task-templates", nil).json(t, &list)
		if len(list.Templates) != 0 {
			t.Fatalf("the archived template is offered: %+v", list)
		}
	})
}

// checklistStore is one tenant's checklist objects for the isolation
// matrices: in a workspace, a task with a checklist and an item, a
// template of the tenant and one of the workspace.
type checklistStore struct {
	admin        tenant.Actor
	task         *tasks.Task
	list         *tasks.Checklist
	item         *tasks.ChecklistItem
	tenantTpl    *tasks.Template
	workspaceTpl *tasks.Template
}

func checklistObjects(t *testing.T, e *env, ws *workspaceStore) *checklistStore {
	t.Helper()
	ctx, svc := t.Context(), e.tasks
	cs := &checklistStore{admin: ws.admin}
	var err error
	check := func() {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	cs.tenantTpl, err = svc.CreateTemplate(ctx, ws.admin, nil, tasks.TemplateInput{Name: "Vorlage Mandant", Items: []tasks.TemplateItem{{Text: "Punkt", Required: true}}})
	check()
	cs.workspaceTpl, err = svc.CreateTemplate(ctx, ws.admin, &ws.ws.ID, tasks.TemplateInput{Name: "Vorlage Arbeitsraum", Items: []tasks.TemplateItem{{Text: "Punkt"}}})
	check()
	cs.task, err = svc.Create(ctx, ws.admin, ws.ws.ID, tasks.Input{Title: "Aufgabe mit Prüfliste", TemplateIDs: []uuid.UUID{cs.workspaceTpl.ID}})
	check()
	set, err := svc.Checklists(ctx, ws.admin, cs.task.ID)
	check()
	cs.list, cs.item = &set.Lists[0], &set.Lists[0].Items[0]
	return cs
}

// unchanged fails unless the objects are as checklistObjects left them.
func (cs *checklistStore) unchanged(t *testing.T, e *env) {
	t.Helper()
	ctx, svc := t.Context(), e.tasks
	set, err := svc.Checklists(ctx, cs.admin, cs.task.ID)
	if err != nil || len(set.Lists) != 1 || set.Lists[0].Title != cs.list.Title || len(set.Lists[0].Items) != 1 || set.Lists[0].Items[0].DoneAt != nil ||
		set.Lists[0].Items[0].Text != cs.item.Text {
		t.Fatalf("checklists changed: %+v %v", set, err)
	}
	for _, tpl := range []*tasks.Template{cs.tenantTpl, cs.workspaceTpl} {
		if got, err := svc.Template(ctx, cs.admin, tpl.ID); err != nil || got.Version != 1 || got.Archived || got.Name != tpl.Name {
			t.Fatalf("template %s changed: %+v %v", tpl.Name, got, err)
		}
	}
}

// checklistBodies are the matrices' request bodies of the checklist and
// template routes, and stand-ins for the core task routes' (used only
// where the lead's block names none).
func checklistBodies(bodies map[string]any, doc uuid.UUID) {
	tpl := map[string]any{"name": "Neu", "items": []map[string]any{{"text": "Punkt", "required": true}}}
	for k, v := range map[string]any{
		"POST /api/v1/t/{tenant}/tasks/{id}/checklists":                   map[string]string{"title": "Neu"},
		"PATCH /api/v1/t/{tenant}/tasks/{id}/checklists/{checklist}":      map[string]string{"title": "Neu"},
		"POST /api/v1/t/{tenant}/tasks/{id}/checklists/{checklist}/items": map[string]any{"text": "Neu", "required": true},
		"PATCH /api/v1/t/{tenant}/tasks/{id}/checklist-items/{item}":      map[string]any{"done": true},
		"POST /api/v1/t/{tenant}/task-templates":                          tpl,
		"POST /api/v1/t/{tenant}/workspaces/{id}/task-templates":          tpl,
		"PUT /api/v1/t/{tenant}/task-templates/{id}":                      tpl,
	} {
		bodies[k] = v
	}
	for k, v := range map[string]any{
		"POST /api/v1/t/{tenant}/workspaces/{id}/tasks":          map[string]string{"title": "Neu"},
		"PATCH /api/v1/t/{tenant}/tasks/{id}":                    map[string]string{"title": "Neu"},
		"POST /api/v1/t/{tenant}/tasks/{id}/move":                map[string]any{"status_id": uuid.Nil},
		"POST /api/v1/t/{tenant}/workspaces/{id}/task-statuses":  map[string]string{"name": "Neu", "category": "open"},
		"PATCH /api/v1/t/{tenant}/task-statuses/{id}":            map[string]string{"name": "Neu"},
		"POST /api/v1/t/{tenant}/tasks/{id}/links":               map[string]any{"task_id": uuid.Nil, "kind": "relates"},
		"POST /api/v1/t/{tenant}/tasks/{id}/documents":           map[string]any{"document_id": doc},
		"POST /api/v1/t/{tenant}/tasks/{id}/comments":            map[string]string{"body": "Neu"},
		"PATCH /api/v1/t/{tenant}/tasks/{id}/comments/{comment}": map[string]string{"body": "Neu"},
	} {
		if _, ok := bodies[k]; !ok {
			bodies[k] = v
		}
	}
}

// taskStandIns are a status of the store's workspace and a comment on its
// task: objects of the core task kinds ("task-statuses", "comments") for
// the matrices until the lead's block names its own.
func (cs *checklistStore) taskStandIns(t *testing.T, e *env) (status, comment uuid.UUID) {
	t.Helper()
	sts, err := e.tasks.Statuses(t.Context(), cs.admin, cs.task.WorkspaceID)
	if err != nil {
		t.Fatal(err)
	}
	comment = uuid.Must(uuid.NewV7())
	if err := e.db.Tenant(t.Context(), cs.admin.TenantID, func(tx *db.Tx) error {
		return tx.Exec("INSERT INTO task_comments (tenant_id, id, task_id, author_id, body, created_at) VALUES (@tenant, ?, ?, ?, 'Kommentar', ?)",
			comment, cs.task.ID, cs.admin.MembershipID, db.Now()).Error
	}); err != nil {
		t.Fatal(err)
	}
	return sts[0].ID, comment
}
