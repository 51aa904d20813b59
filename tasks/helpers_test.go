package tasks_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/kollab/kollab/documents"
	"github.com/kollab/kollab/internal/db"
	"github.com/kollab/kollab/internal/errs"
	"github.com/kollab/kollab/internal/notify"
	"github.com/kollab/kollab/internal/storage"
	"github.com/kollab/kollab/internal/testenv"
	"github.com/kollab/kollab/internal/testenv/seed"
	"github.com/kollab/kollab/tasks"
	"github.com/kollab/kollab/tenant"
	"github.com/kollab/kollab/tenant/auth/password"
	"github.com/kollab/kollab/workspaces"
)

var ctx = context.Background()

// agency is one tenant: alice owns workspace ws, bob is a member, carol
// reads, g1 is a guest member; dave is staff outside ws; g2 is a guest of
// the other workspace ws2 only (which dave owns).
type agency struct {
	tenant                         *tenant.Tenant
	admin, alice, bob, carol, dave tenant.Actor
	g1, g2                         tenant.Actor
	ws, ws2                        *workspaces.Workspace
	doc                            *documents.Document
}

type world struct {
	d       *db.DB
	clock   *testenv.Clock
	svc     *tasks.Service
	ws      *workspaces.Service
	docs    *documents.Service
	tenants *tenant.Service
	a, b    *agency
}

func newWorld(t *testing.T, d *db.DB) *world {
	t.Helper()
	st, err := storage.NewFS(t.TempDir())
	must(t, err)
	w := &world{d: d, clock: testenv.NewClock(time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC)), ws: workspaces.NewService(d),
		tenants: tenant.NewService(d, password.NewHasher(password.HighEntropy)), docs: documents.NewService(d, documents.WithStore(st))}
	w.svc = tasks.NewService(d, tasks.WithClock(w.clock.Now), tasks.WithNotify(notify.New(d)))
	w.a, w.b = w.agency(t, "a"), w.agency(t, "b")
	return w
}

func (w *world) agency(t *testing.T, name string) *agency {
	t.Helper()
	suffix := uuid.NewString()[:8]
	tn, err := w.tenants.CreateTenant(ctx, "aufg-"+name+"-"+suffix, "Amt "+name)
	must(t, err)
	ag := &agency{tenant: tn}
	person := func(role tenant.Role, who string) tenant.Actor {
		a, _ := seed.Member(t, w.tenants, tn.ID, role, who+"-"+suffix+"@"+name+".example", who)
		return a
	}
	ag.admin, ag.alice, ag.bob, ag.carol, ag.dave = person(tenant.RoleAdmin, "admin"), person(tenant.RoleStaff, "alice"),
		person(tenant.RoleStaff, "bob"), person(tenant.RoleStaff, "carol"), person(tenant.RoleStaff, "dave")
	ag.g1, ag.g2 = person(tenant.RolePartner, "g1"), person(tenant.RolePartner, "g2")
	ag.ws, err = w.ws.Create(ctx, ag.alice, workspaces.Input{Name: "Bauanträge " + name})
	must(t, err)
	for _, m := range []struct {
		who  tenant.Actor
		role workspaces.Role
	}{{ag.bob, workspaces.Member}, {ag.carol, workspaces.Reader}, {ag.g1, workspaces.Member}} {
		_, err := w.ws.SetMember(ctx, ag.alice, ag.ws.ID, m.who.MembershipID, m.role)
		must(t, err)
	}
	ag.ws2, err = w.ws.Create(ctx, ag.dave, workspaces.Input{Name: "Haushalt " + name})
	must(t, err)
	_, err = w.ws.SetMember(ctx, ag.dave, ag.ws2.ID, ag.g2.MembershipID, workspaces.Member)
	must(t, err)
	body := "Antrag auf Baugenehmigung"
	ag.doc, _, err = w.docs.CreateDocumentWithRevision(ctx, ag.alice, *ag.ws.FolderID, documents.DocumentInput{Title: "Bauantrag Müller"},
		documents.Upload{FileName: "antrag.txt", Size: int64(len(body))}, strings.NewReader(body))
	must(t, err)
	return ag
}

// task creates a task in ag's workspace as alice.
func (w *world) task(t *testing.T, ag *agency, in tasks.Input) *tasks.Task {
	t.Helper()
	tk, err := w.svc.Create(ctx, ag.alice, ag.ws.ID, in)
	must(t, err)
	return tk
}

// events counts the tenant's notification events of kind naming recipient in their list.
func (w *world) events(t *testing.T, tid uuid.UUID, kind string, recipient uuid.UUID) (n int64) {
	t.Helper()
	must(t, w.d.Tenant(ctx, tid, func(tx *db.Tx) error {
		return tx.Raw("SELECT count(*) FROM notification_events WHERE tenant_id = @tenant AND kind = ? AND recipients LIKE ?",
			kind, "%"+recipient.String()+"%").Scan(&n).Error
	}))
	return n
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func wantCode(t *testing.T, what string, err error, code errs.Code) {
	t.Helper()
	if !errs.Is(err, code) {
		t.Fatalf("%s: got %v, want %s", what, err, code)
	}
}

func ptr[T any](v T) *T { return &v }
