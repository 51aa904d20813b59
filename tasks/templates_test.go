package tasks_test

import (
	"testing"

	"github.com/google/uuid"
	"github.com/kollab/kollab/internal/db"
	"github.com/kollab/kollab/internal/db/dbtest"
	"github.com/kollab/kollab/internal/errs"
	"github.com/kollab/kollab/tasks"
	"github.com/kollab/kollab/tenant"
)

// TestTemplateVersioning: a template applied on creation is copied with
// its version; a new version never touches running tasks, while new tasks
// (and lists added later) get it; the history keeps every version; an
// archived template leaves the pickers and cannot be applied any more.
func TestTemplateVersioning(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newCLWorld(t, d)
		o := w.a
		tpl := w.bauantrag(t, o)
		if tpl.Version != 1 || len(tpl.Items) != 3 || tpl.WorkspaceID != nil || !tpl.CanEdit {
			t.Fatalf("template: %+v", tpl)
		}
		first := w.task(t, o, tasks.Input{Title: "Bauantrag Müller", TemplateIDs: []uuid.UUID{tpl.ID}})
		if first.ChecklistTotal != 3 || first.RequiredOpen != 2 || first.Version != 1 {
			t.Fatalf("task made with the template: %+v", first)
		}
		set, err := w.svc.Checklists(clCtx, o.g1, first.ID)
		clOK(t, err)
		l := set.Lists[0]
		if l.Title != "Vollständigkeit" || l.TemplateID == nil || *l.TemplateID != tpl.ID || l.TemplateVersion != 1 ||
			l.TemplateName != "Bauantrag Vollständigkeitsprüfung" || l.Items[0].Text != "Antragsformular unterschrieben" || !l.Items[1].Required {
			t.Fatalf("the applied list: %+v", l)
		}
		if !w.historyHas(t, o.alice, first.ID, "", "+ Vollständigkeit (Vorlage „Bauantrag Vollständigkeitsprüfung“, Version 1)") {
			t.Fatal("the history does not name the template's version")
		}

		v2 := tasks.TemplateInput{Name: "Bauantrag Vollständigkeitsprüfung", Items: []tasks.TemplateItem{{Text: "Antragsformular unterschrieben", Required: true},
			{Text: "Nachweis Stellplätze", Required: true}}}
		_, err = w.svc.UpdateTemplate(clCtx, o.admin, tpl.ID, 0, v2)
		clCode(t, "no If-Match", err, errs.Invalid)
		_, err = w.svc.UpdateTemplate(clCtx, o.admin, tpl.ID, 7, v2)
		clCode(t, "stale If-Match", err, errs.PreconditionFailed)
		_, err = w.svc.UpdateTemplate(clCtx, o.alice, tpl.ID, 1, v2)
		clMsg(t, "staff changes the tenant's template", err, "tasks.template-keepers")
		up, err := w.svc.UpdateTemplate(clCtx, o.admin, tpl.ID, 1, v2)
		clOK(t, err)
		if up.Version != 2 || len(up.Items) != 2 || up.ChecklistTitle != "" {
			t.Fatalf("version 2: %+v", up)
		}
		set, err = w.svc.Checklists(clCtx, o.alice, first.ID)
		clOK(t, err)
		if l := set.Lists[0]; l.TemplateVersion != 1 || len(l.Items) != 3 || l.Items[2].Text != "Baubeschreibung" {
			t.Fatalf("the running task's list changed: %+v", l)
		}
		second := w.task(t, o, tasks.Input{Title: "Bauantrag Schulze", TemplateIDs: []uuid.UUID{tpl.ID}})
		set, err = w.svc.Checklists(clCtx, o.alice, second.ID)
		clOK(t, err)
		if l := set.Lists[0]; l.TemplateVersion != 2 || len(l.Items) != 2 || l.Items[1].Text != "Nachweis Stellplätze" || l.Title != tpl.Name {
			t.Fatalf("the new task's list: %+v", l)
		}
		later, err := w.svc.AddChecklist(clCtx, o.bob, first.ID, tasks.ChecklistInput{TemplateID: &tpl.ID, Title: "Nachprüfung"})
		clOK(t, err)
		if later.TemplateVersion != 2 || later.Title != "Nachprüfung" || len(later.Items) != 2 {
			t.Fatalf("applied later: %+v", later)
		}

		vs, next, err := w.svc.TemplateVersions(clCtx, o.bob, tpl.ID, 0, 1)
		clOK(t, err)
		if len(vs) != 1 || vs[0].Version != 2 || next != 2 || vs[0].CreatedByName != "admin" {
			t.Fatalf("first page of versions: %+v %d", vs, next)
		}
		vs, next, err = w.svc.TemplateVersions(clCtx, o.bob, tpl.ID, next, 1)
		clOK(t, err)
		if len(vs) != 1 || vs[0].Version != 1 || next != 0 || len(vs[0].Items) != 3 || vs[0].ChecklistTitle != "Vollständigkeit" {
			t.Fatalf("second page of versions: %+v %d", vs, next)
		}

		clCode(t, "staff archives the tenant's template", w.svc.ArchiveTemplate(clCtx, o.bob, tpl.ID, 0), errs.Forbidden)
		clCode(t, "archived with a stale version", w.svc.ArchiveTemplate(clCtx, o.admin, tpl.ID, 1), errs.PreconditionFailed)
		clOK(t, w.svc.ArchiveTemplate(clCtx, o.admin, tpl.ID, 2))
		clOK(t, w.svc.ArchiveTemplate(clCtx, o.admin, tpl.ID, 0))
		if n := w.audits(t, o.tenant.ID, tasks.ActionTemplateArchived); n != 1 {
			t.Fatalf("archive events: %d", n)
		}
		list, err := w.svc.TenantTemplates(clCtx, o.bob)
		clOK(t, err)
		if len(list) != 0 {
			t.Fatalf("the archived template is offered: %+v", list)
		}
		got, err := w.svc.Template(clCtx, o.bob, tpl.ID)
		clOK(t, err)
		if !got.Archived || got.Version != 2 || got.CanEdit {
			t.Fatalf("archived template: %+v", got)
		}
		_, err = w.svc.Create(clCtx, o.alice, o.ws.ID, tasks.Input{Title: "Bauantrag Lehmann", TemplateIDs: []uuid.UUID{tpl.ID}})
		clCode(t, "an archived template on creation", err, errs.Invalid)
		_, err = w.svc.UpdateTemplate(clCtx, o.admin, tpl.ID, 2, v2)
		clMsg(t, "changing an archived template", err, "tasks.template-archived")
		set, err = w.svc.Checklists(clCtx, o.alice, second.ID)
		clOK(t, err)
		if set.Lists[0].TemplateName != "Bauantrag Vollständigkeitsprüfung" {
			t.Fatalf("the list lost its template: %+v", set.Lists[0])
		}
	})
}

// TestTemplateAccess: who sees, keeps and applies which template. The
// tenant's are for staff; a workspace's for its members, kept by its
// owners; guests keep none and never see the tenant's; a template of
// another workspace or tenant answers like an unknown id.
func TestTemplateAccess(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newCLWorld(t, d)
		o := w.a
		tenantTpl := w.bauantrag(t, o)
		in := tasks.TemplateInput{Name: "Vor-Ort-Termin", Items: []tasks.TemplateItem{{Text: "Termin vereinbart", Required: true}}}
		_, err := w.svc.CreateTemplate(clCtx, o.bob, nil, in)
		clCode(t, "staff makes a tenant template", err, errs.Forbidden)
		_, err = w.svc.CreateTemplate(clCtx, o.bob, &o.ws.ID, in)
		clCode(t, "a member makes a workspace template", err, errs.Forbidden)
		_, err = w.svc.CreateTemplate(clCtx, o.g1, &o.ws.ID, in)
		clCode(t, "a guest makes a workspace template", err, errs.Forbidden)
		_, err = w.svc.CreateTemplate(clCtx, o.dave, &o.ws.ID, in)
		clCode(t, "staff outside makes a workspace template", err, errs.NotFound)
		wsTpl, err := w.svc.CreateTemplate(clCtx, o.alice, &o.ws.ID, in)
		clOK(t, err)
		_, err = w.svc.CreateTemplate(clCtx, o.admin, &o.ws.ID, tasks.TemplateInput{Name: "vor-ort-termin", Items: in.Items})
		clMsg(t, "a second template of the name", err, "tasks.template-name-taken")
		otherTpl, err := w.svc.CreateTemplate(clCtx, o.dave, &o.ws2.ID, in)
		clOK(t, err)
		foreign := w.bauantrag(t, w.b)
		_, err = w.svc.CreateTemplate(clCtx, o.admin, nil, tasks.TemplateInput{Name: "Leer"})
		clCode(t, "a template without items", err, errs.Invalid)

		names := func(ts []tasks.Template) map[uuid.UUID]bool {
			m := map[uuid.UUID]bool{}
			for _, x := range ts {
				m[x.ID] = true
			}
			return m
		}
		for name, c := range map[string]struct {
			who  tenant.Actor
			want []uuid.UUID
		}{"owner": {o.alice, []uuid.UUID{wsTpl.ID, tenantTpl.ID}}, "reader": {o.carol, []uuid.UUID{wsTpl.ID, tenantTpl.ID}},
			"guest": {o.g1, []uuid.UUID{wsTpl.ID}}, "admin": {o.admin, []uuid.UUID{wsTpl.ID, tenantTpl.ID}}} {
			got, err := w.svc.WorkspaceTemplates(clCtx, c.who, o.ws.ID)
			clOK(t, err)
			if m := names(got); len(got) != len(c.want) || !m[c.want[0]] || !m[c.want[len(c.want)-1]] {
				t.Fatalf("%s's picker: %+v", name, got)
			}
		}
		got, err := w.svc.WorkspaceTemplates(clCtx, o.alice, o.ws.ID)
		clOK(t, err)
		for _, x := range got {
			if x.CanEdit != (x.ID == wsTpl.ID) {
				t.Fatalf("the owner's rights on %s: %+v", x.Name, x)
			}
		}
		_, err = w.svc.WorkspaceTemplates(clCtx, o.dave, o.ws.ID)
		clCode(t, "staff outside lists the workspace's templates", err, errs.NotFound)
		_, err = w.svc.TenantTemplates(clCtx, o.g1)
		clCode(t, "a guest lists the tenant's templates", err, errs.Forbidden)
		if list, err := w.svc.TenantTemplates(clCtx, o.carol); err != nil || len(list) != 1 || list[0].CanEdit {
			t.Fatalf("staff's tenant templates: %+v %v", list, err)
		}
		for name, c := range map[string]struct {
			who tenant.Actor
			id  uuid.UUID
		}{"a guest, the tenant's": {o.g1, tenantTpl.ID}, "a guest, another workspace's": {o.g1, otherTpl.ID},
			"staff outside, the workspace's": {o.dave, wsTpl.ID}, "another tenant's admin": {w.b.admin, tenantTpl.ID},
			"the admin, another tenant's": {o.admin, foreign.ID}} {
			_, err := w.svc.Template(clCtx, c.who, c.id)
			clCode(t, name+": read", err, errs.NotFound)
			_, err = w.svc.UpdateTemplate(clCtx, c.who, c.id, 1, in)
			clCode(t, name+": change", err, errs.NotFound)
			clCode(t, name+": archive", w.svc.ArchiveTemplate(clCtx, c.who, c.id, 0), errs.NotFound)
			_, _, err = w.svc.TemplateVersions(clCtx, c.who, c.id, 0, 0)
			clCode(t, name+": versions", err, errs.NotFound)
		}
		if x, err := w.svc.Template(clCtx, o.g1, wsTpl.ID); err != nil || x.CanEdit || len(x.Items) != 1 {
			t.Fatalf("the guest reads the workspace's template: %+v %v", x, err)
		}
		_, err = w.svc.UpdateTemplate(clCtx, o.bob, wsTpl.ID, 1, in)
		clCode(t, "a member changes the workspace's template", err, errs.Forbidden)

		// Applying: the workspace's and (for staff) the tenant's only.
		for name, c := range map[string]struct {
			who tenant.Actor
			id  uuid.UUID
		}{"another workspace's": {o.alice, otherTpl.ID}, "another tenant's": {o.alice, foreign.ID}, "a guest with the tenant's": {o.g1, tenantTpl.ID},
			"unknown": {o.alice, uuid.New()}} {
			_, err := w.svc.Create(clCtx, c.who, o.ws.ID, tasks.Input{Title: "Neu", TemplateIDs: []uuid.UUID{c.id}})
			if e := errs.As(err); e == nil || e.Code != errs.Invalid || e.Field != "template_ids" || e.Detail.ID != "tasks.template-unknown" {
				t.Fatalf("%s on creation: %v", name, err)
			}
		}
		tk, err := w.svc.Create(clCtx, o.g1, o.ws.ID, tasks.Input{Title: "Vom Gast", TemplateIDs: []uuid.UUID{wsTpl.ID}})
		clOK(t, err)
		_, err = w.svc.AddChecklist(clCtx, o.alice, tk.ID, tasks.ChecklistInput{TemplateID: &otherTpl.ID})
		if e := errs.As(err); e == nil || e.Code != errs.Invalid || e.Field != "template_id" {
			t.Fatalf("another workspace's template applied later: %v", err)
		}
		six := []uuid.UUID{tenantTpl.ID, wsTpl.ID, uuid.New(), uuid.New(), uuid.New(), uuid.New()}
		_, err = w.svc.Create(clCtx, o.alice, o.ws.ID, tasks.Input{Title: "Zu viele", TemplateIDs: six})
		clCode(t, "six templates", err, errs.Invalid)
		two, err := w.svc.Create(clCtx, o.alice, o.ws.ID, tasks.Input{Title: "Zwei", TemplateIDs: []uuid.UUID{wsTpl.ID, tenantTpl.ID, wsTpl.ID}})
		clOK(t, err)
		if set, err := w.svc.Checklists(clCtx, o.alice, two.ID); err != nil || len(set.Lists) != 2 || set.Lists[0].TemplateName != "Vor-Ort-Termin" {
			t.Fatalf("two templates on creation: %+v %v", set, err)
		}

		// An archived workspace: its templates are read, not kept.
		ws, err := w.ws.Get(clCtx, o.alice, o.ws.ID)
		clOK(t, err)
		_, err = w.ws.Archive(clCtx, o.alice, o.ws.ID, ws.Version)
		clOK(t, err)
		_, err = w.svc.UpdateTemplate(clCtx, o.alice, wsTpl.ID, 1, in)
		clMsg(t, "changing an archived workspace's template", err, "tasks.workspace-archived")
		if x, err := w.svc.Template(clCtx, o.alice, wsTpl.ID); err != nil || x.CanEdit {
			t.Fatalf("an archived workspace's template: %+v %v", x, err)
		}
	})
}
