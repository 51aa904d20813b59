package tasks_test

// Seeding for the checklist and template tests, with names of their own
// (cl…) so that they live beside the task tests' helpers.

import (
	"context"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/kollab/kollab/internal/db"
	"github.com/kollab/kollab/internal/errs"
	"github.com/kollab/kollab/internal/notify"
	"github.com/kollab/kollab/internal/testenv"
	"github.com/kollab/kollab/internal/testenv/seed"
	"github.com/kollab/kollab/tasks"
	"github.com/kollab/kollab/tenant"
	"github.com/kollab/kollab/tenant/auth/password"
	"github.com/kollab/kollab/workspaces"
)

var clCtx = context.Background()

// clOffice is one tenant: alice owns workspace ws, bob is a member, carol
// reads, g1 is a guest member; dave is staff outside ws and owns ws2,
// where g2 is a guest member; admin administers the tenant.
type clOffice struct {
	tenant                         *tenant.Tenant
	admin, alice, bob, carol, dave tenant.Actor
	g1, g2                         tenant.Actor
	ws, ws2                        *workspaces.Workspace
}

type clWorld struct {
	d       *db.DB
	clock   *testenv.Clock
	svc     *tasks.Service
	ws      *workspaces.Service
	tenants *tenant.Service
	a, b    *clOffice
}

func newCLWorld(t *testing.T, d *db.DB) *clWorld {
	t.Helper()
	w := &clWorld{d: d, clock: testenv.NewClock(time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC)), ws: workspaces.NewService(d),
		tenants: tenant.NewService(d, password.NewHasher(password.HighEntropy))}
	w.svc = tasks.NewService(d, tasks.WithClock(w.clock.Now), tasks.WithNotify(notify.New(d)))
	w.a, w.b = w.office(t, "a"), w.office(t, "b")
	return w
}

func (w *clWorld) office(t *testing.T, name string) *clOffice {
	t.Helper()
	suffix := uuid.NewString()[:8]
	tn, err := w.tenants.CreateTenant(clCtx, "pruef-"+name+"-"+suffix, "Amt "+name)
	clOK(t, err)
	o := &clOffice{tenant: tn}
	person := func(role tenant.Role, who string) tenant.Actor {
		a, _ := seed.Member(t, w.tenants, tn.ID, role, who+"-"+suffix+"@"+name+".example", who)
		return a
	}
	o.admin, o.alice, o.bob, o.carol, o.dave = person(tenant.RoleAdmin, "admin"), person(tenant.RoleStaff, "alice"),
		person(tenant.RoleStaff, "bob"), person(tenant.RoleStaff, "carol"), person(tenant.RoleStaff, "dave")
	o.g1, o.g2 = person(tenant.RolePartner, "g1"), person(tenant.RolePartner, "g2")
	o.ws, err = w.ws.Create(clCtx, o.alice, workspaces.Input{Name: "Bauanträge " + name})
	clOK(t, err)
	for _, m := range []struct {
		who  tenant.Actor
		role workspaces.Role
	}{{o.bob, workspaces.Member}, {o.carol, workspaces.Reader}, {o.g1, workspaces.Member}} {
		_, err := w.ws.SetMember(clCtx, o.alice, o.ws.ID, m.who.MembershipID, m.role)
		clOK(t, err)
	}
	o.ws2, err = w.ws.Create(clCtx, o.dave, workspaces.Input{Name: "Haushalt " + name})
	clOK(t, err)
	_, err = w.ws.SetMember(clCtx, o.dave, o.ws2.ID, o.g2.MembershipID, workspaces.Member)
	clOK(t, err)
	return o
}

// task makes a task in o's workspace ws as alice.
func (w *clWorld) task(t *testing.T, o *clOffice, in tasks.Input) *tasks.Task {
	t.Helper()
	tk, err := w.svc.Create(clCtx, o.alice, o.ws.ID, in)
	clOK(t, err)
	return tk
}

// bauantrag is the tenant template of the tests, made by o's admin.
func (w *clWorld) bauantrag(t *testing.T, o *clOffice) *tasks.Template {
	t.Helper()
	tpl, err := w.svc.CreateTemplate(clCtx, o.admin, nil, tasks.TemplateInput{Name: "Bauantrag Vollständigkeitsprüfung",
		ChecklistTitle: "Vollständigkeit", Items: []tasks.TemplateItem{{Text: "Antragsformular unterschrieben", Required: true},
			{Text: "Lageplan", Required: true}, {Text: "Baubeschreibung"}}})
	clOK(t, err)
	return tpl
}

// audits counts the tenant's audit events of action.
func (w *clWorld) audits(t *testing.T, tid uuid.UUID, action string) (n int64) {
	t.Helper()
	clOK(t, w.d.Tenant(clCtx, tid, func(tx *db.Tx) error {
		return tx.Raw("SELECT count(*) FROM audit_events WHERE tenant_id = @tenant AND action = ?", action).Scan(&n).Error
	}))
	return n
}

// historyHas reports whether the task's history holds a checklist entry
// with old and new values.
func (w *clWorld) historyHas(t *testing.T, a tenant.Actor, task uuid.UUID, old, new string) bool {
	t.Helper()
	hs, err := w.svc.History(clCtx, a, task)
	clOK(t, err)
	for _, h := range hs {
		if h.Field == "checklist" && h.OldValue == old && h.NewValue == new {
			return true
		}
	}
	return false
}

func clOK(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func clCode(t *testing.T, what string, err error, code errs.Code) {
	t.Helper()
	if !errs.Is(err, code) {
		t.Fatalf("%s: got %v, want %s", what, err, code)
	}
}

// clMsg fails unless err carries the message id.
func clMsg(t *testing.T, what string, err error, id string) {
	t.Helper()
	if e := errs.As(err); e == nil || e.Detail.ID != id {
		t.Fatalf("%s: got %v, want message %s", what, err, id)
	}
}

func clPtr[T any](v T) *T { return &v }
