package tasks_test

// Fixtures of the deadline tests (remind_test.go, cockpit_test.go). Their
// names start with rm so that they never clash with the module's shared
// helpers (helpers_test.go).

import (
	"context"
	"encoding/json"
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

var rmCtx = context.Background()

// rmAgency is one tenant: alice owns ws (and answers for it), bob and
// carol are members, g1 is a guest member, dave is staff outside ws; the
// group "Bauamt" holds carol and dave.
type rmAgency struct {
	tenant                         *tenant.Tenant
	admin, alice, bob, carol, dave tenant.Actor
	g1                             tenant.Actor
	ws                             *workspaces.Workspace
	group                          *tenant.Group
}

type rmWorld struct {
	d       *db.DB
	clock   *testenv.Clock
	svc     *tasks.Service
	ws      *workspaces.Service
	tenants *tenant.Service
}

// rmBerlin is a day at 09:00 in Berlin.
func rmBerlin(day string) time.Time {
	t, err := time.ParseInLocation("2006-01-02 15:04", day+" 09:00", tenant.Berlin)
	if err != nil {
		panic(err)
	}
	return t
}

func rmNewWorld(t *testing.T, d *db.DB, start string) *rmWorld {
	t.Helper()
	w := &rmWorld{d: d, clock: testenv.NewClock(rmBerlin(start)), ws: workspaces.NewService(d),
		tenants: tenant.NewService(d, password.NewHasher(password.HighEntropy))}
	w.svc = tasks.NewService(d, tasks.WithClock(w.clock.Now), tasks.WithNotify(notify.New(d)))
	return w
}

// agency makes a tenant of the given federal state ("" for none).
func (w *rmWorld) agency(t *testing.T, name, state string) *rmAgency {
	t.Helper()
	suffix := uuid.NewString()[:8]
	tn, err := w.tenants.CreateTenant(rmCtx, "frist-"+name+"-"+suffix, "Amt "+name)
	rmMust(t, err)
	ag := &rmAgency{tenant: tn}
	person := func(role tenant.Role, who string) tenant.Actor {
		a, _ := seed.Member(t, w.tenants, tn.ID, role, who+"-"+suffix+"@"+name+".example", who)
		return a
	}
	ag.admin, ag.alice, ag.bob, ag.carol, ag.dave = person(tenant.RoleAdmin, "admin"), person(tenant.RoleStaff, "alice"),
		person(tenant.RoleStaff, "bob"), person(tenant.RoleStaff, "carol"), person(tenant.RoleStaff, "dave")
	ag.g1 = person(tenant.RolePartner, "g1")
	if state != "" {
		_, err := w.tenants.UpdateSettings(rmCtx, ag.admin, tenant.Settings{FederalState: state})
		rmMust(t, err)
	}
	ag.ws, err = w.ws.Create(rmCtx, ag.alice, workspaces.Input{Name: "Fristen " + name})
	rmMust(t, err)
	for _, who := range []tenant.Actor{ag.bob, ag.carol, ag.g1} {
		_, err := w.ws.SetMember(rmCtx, ag.alice, ag.ws.ID, who.MembershipID, workspaces.Member)
		rmMust(t, err)
	}
	op := tenant.Operator(tn.ID)
	ag.group, err = w.tenants.CreateGroup(rmCtx, op, "Bauamt", "")
	rmMust(t, err)
	for _, who := range []tenant.Actor{ag.carol, ag.dave} {
		rmMust(t, w.tenants.SetGroupMember(rmCtx, op, ag.group.ID, who.MembershipID, true))
	}
	return ag
}

// task makes a task in ag's workspace, due on due, assigned to people.
func (w *rmWorld) task(t *testing.T, ag *rmAgency, title, due string, people ...tenant.Actor) *tasks.Task {
	t.Helper()
	in := tasks.Input{Title: title, DueOn: due}
	for _, p := range people {
		in.AssigneeIDs = append(in.AssigneeIDs, p.MembershipID)
	}
	tk, err := w.svc.Create(rmCtx, ag.alice, ag.ws.ID, in)
	rmMust(t, err)
	return tk
}

// run moves the clock to day (09:00 Berlin) and runs the deadline monitoring.
func (w *rmWorld) run(t *testing.T, day string) tasks.DueReport {
	t.Helper()
	w.clock.Set(rmBerlin(day))
	rep, err := w.svc.RemindDue(rmCtx, w.clock.Now())
	if err != nil {
		t.Fatalf("run on %s: %v (%+v)", day, err, rep)
	}
	return rep
}

// rmSent is a notification sent: its kind, task and one recipient.
type rmSent struct {
	Kind      string
	Task, To  uuid.UUID
	TitleDE   string
	TextDE    string
	TextEN    string
	CreatedAt time.Time
}

// sent reads every task notification of tid's events, one per recipient.
func rmSentAll(t *testing.T, d *db.DB, tid uuid.UUID) []rmSent {
	t.Helper()
	var rows []struct {
		Kind       string    `gorm:"column:kind"`
		ObjectID   uuid.UUID `gorm:"column:object_id"`
		Recipients string    `gorm:"column:recipients"`
		TitleDE    string    `gorm:"column:title_de"`
		TextDE     string    `gorm:"column:text_de"`
		TextEN     string    `gorm:"column:text_en"`
		CreatedAt  time.Time `gorm:"column:created_at"`
	}
	rmMust(t, d.Tenant(rmCtx, tid, func(tx *db.Tx) error {
		return tx.Raw(`SELECT kind, object_id, recipients, title_de, text_de, text_en, created_at FROM notification_events
			WHERE tenant_id = @tenant AND kind IN ? ORDER BY created_at, id`,
			[]string{notify.KindTaskDue, notify.KindTaskOverdue, notify.KindTaskEscalated}).Scan(&rows).Error
	}))
	var out []rmSent
	for _, r := range rows {
		var to []uuid.UUID
		rmMust(t, json.Unmarshal([]byte(r.Recipients), &to))
		for _, id := range to {
			out = append(out, rmSent{Kind: r.Kind, Task: r.ObjectID, To: id, TitleDE: r.TitleDE, TextDE: r.TextDE, TextEN: r.TextEN, CreatedAt: r.CreatedAt})
		}
	}
	return out
}

// rmCount counts the notifications of kind about task to recipient.
func rmCount(sent []rmSent, kind string, task, to uuid.UUID) int {
	n := 0
	for _, s := range sent {
		if s.Kind == kind && s.Task == task && s.To == to {
			n++
		}
	}
	return n
}

// rmAttention reads a task's attention day ("" for none).
func rmAttention(t *testing.T, d *db.DB, tid, task uuid.UUID) string {
	t.Helper()
	var at []struct {
		On *string `gorm:"column:attention_on"`
	}
	rmMust(t, d.Tenant(rmCtx, tid, func(tx *db.Tx) error {
		return tx.Raw("SELECT attention_on FROM tasks WHERE tenant_id = @tenant AND id = ?", task).Scan(&at).Error
	}))
	if len(at) != 1 {
		t.Fatalf("task %s: %d rows", task, len(at))
	}
	if at[0].On == nil {
		return ""
	}
	return *at[0].On
}

// rmScalar reads one number in tid.
func rmScalar(t *testing.T, d *db.DB, tid uuid.UUID, q string, args ...any) (n int64) {
	t.Helper()
	rmMust(t, d.Tenant(rmCtx, tid, func(tx *db.Tx) error { return tx.Raw(q, args...).Scan(&n).Error }))
	return n
}

func rmMust(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func rmWantCode(t *testing.T, what string, err error, code errs.Code) {
	t.Helper()
	if !errs.Is(err, code) {
		t.Fatalf("%s: got %v, want %s", what, err, code)
	}
}
