package documents_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/kollab/kollab/documents"
	"github.com/kollab/kollab/internal/db"
	"github.com/kollab/kollab/internal/errs"
	"github.com/kollab/kollab/internal/testenv"
	"github.com/kollab/kollab/internal/testenv/seed"
	"github.com/kollab/kollab/tenant"
	"github.com/kollab/kollab/tenant/auth/password"
)

type clock = testenv.Clock

// agency is one tenant with members of every role and a group.
type agency struct {
	tenant *tenant.Tenant
	admin  tenant.Actor
	alice  tenant.Actor // staff
	bob    tenant.Actor // staff, member of the group
	carol  tenant.Actor // committee
	dave   tenant.Actor // committee-only member
	group  *tenant.Group
}

// world is two tenants on one database and a document service with a clock.
type world struct {
	d       *db.DB
	svc     *documents.Service
	tenants *tenant.Service
	clock   *clock
	a, b    *agency
	opts    []documents.Option // w.svc's options
}

var ctx = context.Background()

func newWorld(t *testing.T, d *db.DB) *world {
	t.Helper()
	w := &world{d: d, tenants: tenant.NewService(d, password.NewHasher(password.HighEntropy)),
		clock: testenv.NewClock(time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC))}
	w.configure(documents.WithClock(w.clock.Now))
	w.a = w.newAgency(t, "a")
	w.b = w.newAgency(t, "b")
	return w
}

// configure rebuilds w.svc with opts added to the options it has.
func (w *world) configure(opts ...documents.Option) {
	w.opts = append(w.opts, opts...)
	w.svc = documents.NewService(w.d, w.opts...)
}

func (w *world) newAgency(t *testing.T, name string) *agency {
	t.Helper()
	suffix := uuid.NewString()[:8]
	tn, err := w.tenants.CreateTenant(ctx, "amt-"+name+"-"+suffix, "Amt "+name)
	must(t, err)
	ag := &agency{tenant: tn}
	ag.admin = w.member(t, tn, tenant.RoleAdmin, "admin")
	ag.alice = w.member(t, tn, tenant.RoleStaff, "alice")
	ag.bob = w.member(t, tn, tenant.RoleStaff, "bob")
	ag.carol = w.member(t, tn, tenant.RoleCommittee, "carol")
	ag.dave = w.member(t, tn, tenant.RoleCommittee, "dave")
	ag.group, err = w.tenants.CreateGroup(ctx, tenant.Operator(tn.ID), "Bauamt", "")
	must(t, err)
	must(t, w.tenants.SetGroupMember(ctx, tenant.Operator(tn.ID), ag.group.ID, ag.bob.MembershipID, true))
	return ag
}

func (w *world) member(t *testing.T, tn *tenant.Tenant, role tenant.Role, name string) tenant.Actor {
	t.Helper()
	a, _ := seed.Member(t, w.tenants, tn.ID, role, fmt.Sprintf("%s-%s@example.org", name, tn.Slug), name)
	return a
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// wantCode fails unless err carries code.
func wantCode(t *testing.T, err error, code errs.Code, what string) {
	t.Helper()
	if !errs.Is(err, code) {
		t.Fatalf("%s: want %s, got %v", what, code, err)
	}
}

func (w *world) folder(t *testing.T, a tenant.Actor, parent uuid.UUID, name string) *documents.Folder {
	t.Helper()
	f, err := w.svc.CreateFolder(ctx, a, parent, name)
	must(t, err)
	return f
}

func (w *world) doc(t *testing.T, a tenant.Actor, folder uuid.UUID, title string, tags ...string) *documents.Document {
	t.Helper()
	d, err := w.svc.CreateDocument(ctx, a, folder, documents.DocumentInput{Title: title, Tags: tags})
	must(t, err)
	return d
}

func (w *world) grant(t *testing.T, a tenant.Actor, folder uuid.UUID, p documents.Principal, l documents.Level) {
	t.Helper()
	_, err := w.svc.SetPermission(ctx, a, folder, p, l)
	must(t, err)
}

// visibleDocs returns the ids of every document the actor finds anywhere.
func (w *world) visibleDocs(t *testing.T, a tenant.Actor) map[uuid.UUID]bool {
	t.Helper()
	out := map[uuid.UUID]bool{}
	p := documents.Page{Limit: 200}
	for {
		page, err := w.svc.FindDocuments(ctx, a, documents.DocumentFilter{Page: p})
		must(t, err)
		for _, d := range page.Documents {
			if d.TenantID != a.TenantID {
				t.Fatalf("document of tenant %s listed in %s", d.TenantID, a.TenantID)
			}
			out[d.ID] = true
		}
		if page.NextCursor == "" {
			return out
		}
		p.Cursor = page.NextCursor
	}
}

// childNames lists the names of a folder's children as the actor sees them.
func (w *world) childNames(t *testing.T, a tenant.Actor, parent uuid.UUID) []string {
	t.Helper()
	page, err := w.svc.ListFolders(ctx, a, parent, documents.Page{Limit: 200})
	must(t, err)
	names := []string{}
	for _, f := range page.Folders {
		names = append(names, f.Name)
	}
	return names
}

// auditCount counts a tenant's audit events with the given action.
func (w *world) auditCount(t *testing.T, tenantID uuid.UUID, action string) int64 {
	t.Helper()
	var n int64
	must(t, w.d.Tenant(ctx, tenantID, func(tx *db.Tx) error {
		return tx.Table("audit_events").Where("action = ?", action).Count(&n).Error
	}))
	return n
}

func isNotFound(err error) bool { return errs.Is(err, errs.NotFound) }
