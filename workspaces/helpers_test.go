package workspaces_test

import (
	"context"
	"testing"

	"github.com/google/uuid"
	"github.com/kollab/kollab/documents"
	"github.com/kollab/kollab/internal/db"
	"github.com/kollab/kollab/internal/errs"
	"github.com/kollab/kollab/internal/storage"
	"github.com/kollab/kollab/internal/testenv/seed"
	"github.com/kollab/kollab/tenant"
	"github.com/kollab/kollab/tenant/auth/password"
	"github.com/kollab/kollab/workspaces"
)

var ctx = context.Background()

// agency is one tenant: an admin, three staff members and an external partner.
type agency struct {
	tenant                   *tenant.Tenant
	admin, alice, bob, carol tenant.Actor
	partner                  tenant.Actor
}

type world struct {
	svc     *workspaces.Service
	docs    *documents.Service
	tenants *tenant.Service
	a, b    *agency
}

func newWorld(t *testing.T, d *db.DB) *world {
	t.Helper()
	w := &world{svc: workspaces.NewService(d), tenants: tenant.NewService(d, password.NewHasher(password.HighEntropy))}
	st, err := storage.NewFS(t.TempDir())
	must(t, err)
	w.docs = documents.NewService(d, documents.WithStore(st), documents.WithActivity(workspaces.RecordDocumentActivity))
	w.a, w.b = w.agency(t, "a"), w.agency(t, "b")
	return w
}

func (w *world) agency(t *testing.T, name string) *agency {
	t.Helper()
	suffix := uuid.NewString()[:8]
	tn, err := w.tenants.CreateTenant(ctx, "amt-"+name+"-"+suffix, "Amt "+name)
	must(t, err)
	ag := &agency{tenant: tn}
	person := func(role tenant.Role, who string) tenant.Actor {
		a, _ := seed.Member(t, w.tenants, tn.ID, role, who+"-"+suffix+"@"+name+".example", who)
		return a
	}
	ag.admin, ag.alice, ag.bob, ag.carol = person(tenant.RoleAdmin, "admin"), person(tenant.RoleStaff, "alice"),
		person(tenant.RoleStaff, "bob"), person(tenant.RoleStaff, "carol")
	ag.partner = person(tenant.RolePartner, "partner")
	return ag
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// wantCode fails unless err carries code.
func wantCode(t *testing.T, what string, err error, code errs.Code) {
	t.Helper()
	if !errs.Is(err, code) {
		t.Fatalf("%s: got %v, want %s", what, err, code)
	}
}

// access is the actor's level on a folder (None when they cannot see it).
func (w *world) access(t *testing.T, a tenant.Actor, folderID uuid.UUID) documents.Level {
	t.Helper()
	f, err := w.docs.GetFolder(ctx, a, folderID)
	if errs.Is(err, errs.NotFound) {
		return documents.None
	}
	must(t, err)
	return f.Access
}

// canWrite tries to create a document in the folder.
func (w *world) canWrite(t *testing.T, a tenant.Actor, folderID uuid.UUID) bool {
	t.Helper()
	_, err := w.docs.CreateDocument(ctx, a, folderID, documents.DocumentInput{Title: "Notiz " + uuid.NewString()[:8]})
	if err == nil {
		return true
	}
	if errs.Is(err, errs.Forbidden) || errs.Is(err, errs.NotFound) {
		return false
	}
	t.Fatal(err)
	return false
}

func (w *world) create(t *testing.T, a tenant.Actor, name string, vis workspaces.Visibility) *workspaces.Workspace {
	t.Helper()
	ws, err := w.svc.Create(ctx, a, workspaces.Input{Name: name, Purpose: "Zweck", Visibility: vis})
	must(t, err)
	return ws
}
