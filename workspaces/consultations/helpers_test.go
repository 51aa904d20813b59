package consultations_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/kollab/kollab/documents"
	"github.com/kollab/kollab/internal/db"
	"github.com/kollab/kollab/internal/errs"
	"github.com/kollab/kollab/internal/storage"
	"github.com/kollab/kollab/internal/testenv"
	"github.com/kollab/kollab/internal/testenv/seed"
	"github.com/kollab/kollab/tenant"
	"github.com/kollab/kollab/tenant/auth/password"
	"github.com/kollab/kollab/workspaces"
	"github.com/kollab/kollab/workspaces/consultations"
	"github.com/kollab/kollab/workspaces/consultations/synopsis"
	"github.com/kollab/kollab/workspaces/contacts"
)

var ctx = context.Background()

// agency is one tenant with a workspace: alice owns it, bob is a member,
// carol reads; dave is staff outside it. Two organisations of the address
// book have a guest each in the workspace (g1 a member, g2 a reader); g3
// is a guest of a third organisation in the workspace.
type agency struct {
	tenant                         *tenant.Tenant
	admin, alice, bob, carol, dave tenant.Actor
	g1, g2, g3                     tenant.Actor
	org1, org2, org3               uuid.UUID
	ws                             *workspaces.Workspace
	doc                            *documents.Document
}

type world struct {
	d       *db.DB
	clock   *testenv.Clock
	svc     *consultations.Service
	ws      *workspaces.Service
	docs    *documents.Service
	tenants *tenant.Service
	a, b    *agency
}

func newWorld(t *testing.T, d *db.DB) *world {
	t.Helper()
	st, err := storage.NewFS(t.TempDir())
	must(t, err)
	w := &world{d: d, clock: testenv.NewClock(time.Now().UTC()), ws: workspaces.NewService(d),
		tenants: tenant.NewService(d, password.NewHasher(password.HighEntropy)), docs: documents.NewService(d, documents.WithStore(st))}
	w.svc = consultations.NewService(d, w.docs, synopsis.Renderer{}, consultations.WithClock(w.clock.Now))
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
	ag.admin, ag.alice, ag.bob, ag.carol, ag.dave = person(tenant.RoleAdmin, "admin"), person(tenant.RoleStaff, "alice"),
		person(tenant.RoleStaff, "bob"), person(tenant.RoleStaff, "carol"), person(tenant.RoleStaff, "dave")
	ag.g1, ag.g2, ag.g3 = person(tenant.RolePartner, "g1"), person(tenant.RolePartner, "g2"), person(tenant.RolePartner, "g3")
	book := contacts.NewService(w.d)
	orgs := make([]uuid.UUID, 3)
	for i, n := range []string{"Ingenieurbüro Süd", "Naturschutzbund", "Wasserverband"} {
		o, err := book.CreateOrganisation(ctx, ag.admin, contacts.OrganisationInput{Name: n})
		must(t, err)
		orgs[i] = o.ID
	}
	ag.org1, ag.org2, ag.org3 = orgs[0], orgs[1], orgs[2]
	for i, g := range []tenant.Actor{ag.g1, ag.g2, ag.g3} {
		must(t, w.d.Tenant(ctx, tn.ID, func(tx *db.Tx) error {
			return tx.Exec("UPDATE guests SET organisation_id = ? WHERE tenant_id = @tenant AND membership_id = ?", orgs[i], g.MembershipID).Error
		}))
	}
	ag.ws, err = w.ws.Create(ctx, ag.alice, workspaces.Input{Name: "Hochwasserschutz " + name})
	must(t, err)
	for _, m := range []struct {
		who  tenant.Actor
		role workspaces.Role
	}{{ag.bob, workspaces.Member}, {ag.carol, workspaces.Reader}, {ag.g1, workspaces.Member}, {ag.g2, workspaces.Reader}, {ag.g3, workspaces.Member}} {
		_, err := w.ws.SetMember(ctx, ag.alice, ag.ws.ID, m.who.MembershipID, m.role)
		must(t, err)
	}
	ag.doc = w.upload(t, ag.alice, *ag.ws.FolderID, "Planfeststellung", "Entwurf 1")
	return ag
}

// upload makes a document with one revision holding body.
func (w *world) upload(t *testing.T, a tenant.Actor, folder uuid.UUID, title, body string) *documents.Document {
	t.Helper()
	doc, _, err := w.docs.CreateDocumentWithRevision(ctx, a, folder, documents.DocumentInput{Title: title},
		documents.Upload{FileName: title + ".txt", Size: int64(len(body))}, strings.NewReader(body))
	must(t, err)
	return doc
}

// open creates and opens a consultation of ag inviting org1 and org2.
func (w *world) open(t *testing.T, ag *agency, deadline time.Time) *consultations.Consultation {
	t.Helper()
	c, err := w.svc.Create(ctx, ag.alice, ag.ws.ID, consultations.Input{Subject: "Deichsanierung", Questions: []string{"Bedenken?", "Auflagen?"},
		Deadline: deadline, Organisations: []uuid.UUID{ag.org1, ag.org2}, Documents: []uuid.UUID{ag.doc.ID}})
	must(t, err)
	c, err = w.svc.Open(ctx, ag.alice, c.ID)
	must(t, err)
	return c
}

// events counts the tenant's notification events of kind.
func (w *world) events(t *testing.T, tid uuid.UUID, kind string) (n int64) {
	t.Helper()
	must(t, w.d.Tenant(ctx, tid, func(tx *db.Tx) error {
		return tx.Raw("SELECT count(*) FROM notification_events WHERE tenant_id = @tenant AND kind = ?", kind).Scan(&n).Error
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
