package tenant_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/google/uuid"
	"github.com/kollab/kollab/internal/audit"
	"github.com/kollab/kollab/internal/db"
	"github.com/kollab/kollab/internal/db/dbtest"
	"github.com/kollab/kollab/internal/errs"
	"github.com/kollab/kollab/tenant"
	"github.com/kollab/kollab/tenant/auth/password"
)

// world is two tenants, each with an admin.
type world struct {
	svc       *tenant.Service
	a, b      *tenant.Tenant
	adminA    *tenant.User
	adminB    *tenant.User
	memAdminA *tenant.Membership
	memAdminB *tenant.Membership
}

const pw = "ein-sehr-langes-Passwort"

func seed(t *testing.T, d *db.DB) *world {
	t.Helper()
	ctx := context.Background()
	svc := tenant.NewService(d, password.NewHasher(password.HighEntropy))
	w := &world{svc: svc}
	var err error
	suffix := uuid.NewString()[:8]
	if w.a, err = svc.CreateTenant(ctx, "amt-a-"+suffix, "Amt A"); err != nil {
		t.Fatal(err)
	}
	if w.b, err = svc.CreateTenant(ctx, "amt-b-"+suffix, "Amt B"); err != nil {
		t.Fatal(err)
	}
	if w.adminA, err = svc.CreateUser(ctx, "admin-a-"+suffix+"@example.org", "Admin A", pw); err != nil {
		t.Fatal(err)
	}
	if w.adminB, err = svc.CreateUser(ctx, "admin-b-"+suffix+"@example.org", "Admin B", pw); err != nil {
		t.Fatal(err)
	}
	if w.memAdminA, err = svc.AddMember(ctx, w.a.ID, w.adminA.ID, tenant.RoleAdmin); err != nil {
		t.Fatal(err)
	}
	if w.memAdminB, err = svc.AddMember(ctx, w.b.ID, w.adminB.ID, tenant.RoleAdmin); err != nil {
		t.Fatal(err)
	}
	return w
}

func TestTenantsAndUsers(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		w := seed(t, d)
		if _, err := w.svc.CreateTenant(ctx, w.a.Slug, "Doppelt"); !errs.Is(err, errs.Conflict) {
			t.Fatalf("duplicate slug: %v", err)
		}
		for _, bad := range []string{"A", "x", "ä-amt", "-amt", "amt/../x"} {
			if _, err := w.svc.CreateTenant(ctx, bad, "x"); !errs.Is(err, errs.Invalid) {
				t.Errorf("slug %q accepted: %v", bad, err)
			}
		}
		if _, err := w.svc.CreateUser(ctx, "ADMIN-A-"+w.a.Slug[6:]+"@Example.org", "x", pw); !errs.Is(err, errs.Conflict) {
			t.Errorf("e-mail uniqueness must ignore case: %v", err)
		}
		if _, err := w.svc.CreateUser(ctx, "kurz@example.org", "x", "kurz"); !errs.Is(err, errs.Invalid) {
			t.Errorf("short password accepted: %v", err)
		}
		got, err := w.svc.TenantBySlug(ctx, w.a.Slug)
		if err != nil || got.ID != w.a.ID || !got.Settings.RequiresTOTP(tenant.RoleAdmin) || got.Settings.RequiresTOTP(tenant.RoleStaff) {
			t.Fatalf("TenantBySlug: %+v %v", got, err)
		}
	})
}

func TestMembershipIsolation(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		w := seed(t, d)
		// Each tenant sees exactly its own members.
		for _, c := range []struct {
			tenant *tenant.Tenant
			want   uuid.UUID
		}{{w.a, w.adminA.ID}, {w.b, w.adminB.ID}} {
			ms, more, err := listMembers(ctx, w.svc, c.tenant.ID, tenant.MemberFilter{})
			if err != nil || more || len(ms) != 1 || ms[0].UserID != c.want {
				t.Fatalf("members of %s: %+v more=%v err=%v", c.tenant.Slug, ms, more, err)
			}
		}
		// Tenant B's membership id is unknown in tenant A.
		if _, err := w.svc.Member(ctx, tenant.Operator(w.a.ID), w.memAdminB.ID); !errs.Is(err, errs.NotFound) {
			t.Fatalf("cross-tenant member read: %v", err)
		}
		if _, err := w.svc.ChangeRole(ctx, tenant.Operator(w.a.ID), w.memAdminB.ID, tenant.RoleStaff); !errs.Is(err, errs.NotFound) {
			t.Fatalf("cross-tenant role change: %v", err)
		}
		if _, err := w.svc.SetActive(ctx, tenant.Operator(w.a.ID), w.memAdminB.ID, false); !errs.Is(err, errs.NotFound) {
			t.Fatalf("cross-tenant deactivate: %v", err)
		}
		// A user's own memberships are visible across tenants, and only those.
		if _, err := w.svc.AddMember(ctx, w.b.ID, w.adminA.ID, tenant.RoleStaff); err != nil {
			t.Fatal(err)
		}
		ts, err := w.svc.TenantsOfUser(ctx, w.adminA.ID)
		if err != nil || len(ts) != 2 {
			t.Fatalf("TenantsOfUser: %+v %v", ts, err)
		}
		tsB, err := w.svc.TenantsOfUser(ctx, w.adminB.ID)
		if err != nil || len(tsB) != 1 || tsB[0].Tenant.ID != w.b.ID {
			t.Fatalf("B's admin sees tenants %+v (%v)", tsB, err)
		}
		for _, ut := range ts {
			if ut.Tenant.ID == w.b.ID && ut.Membership.Role != tenant.RoleStaff {
				t.Fatalf("membership in B: %+v", ut.Membership)
			}
		}
	})
}

func TestRolesAndLastAdmin(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		w := seed(t, d)
		if _, err := w.svc.ChangeRole(ctx, tenant.Operator(w.a.ID), w.memAdminA.ID, tenant.RoleStaff); !errs.Is(err, errs.Conflict) {
			t.Fatalf("last admin demoted: %v", err)
		}
		if _, err := w.svc.SetActive(ctx, tenant.Operator(w.a.ID), w.memAdminA.ID, false); !errs.Is(err, errs.Conflict) {
			t.Fatalf("last admin deactivated: %v", err)
		}
		if _, err := w.svc.ChangeRole(ctx, tenant.Operator(w.a.ID), w.memAdminA.ID, "chef"); !errs.Is(err, errs.Invalid) {
			t.Fatalf("bad role: %v", err)
		}
		u, err := w.svc.CreateUser(ctx, "zweite-"+w.a.Slug+"@example.org", "Zweite", pw)
		if err != nil {
			t.Fatal(err)
		}
		m, err := w.svc.AddMember(ctx, w.a.ID, u.ID, tenant.RoleStaff)
		if err != nil {
			t.Fatal(err)
		}
		if got, err := w.svc.ChangeRole(ctx, tenant.Operator(w.a.ID), m.ID, tenant.RoleAdmin); err != nil || got.Role != tenant.RoleAdmin {
			t.Fatalf("promote: %+v %v", got, err)
		}
		if got, err := w.svc.SetActive(ctx, tenant.Operator(w.a.ID), w.memAdminA.ID, false); err != nil || got.Status != tenant.StatusDeactivated {
			t.Fatalf("deactivate: %+v %v", got, err)
		}
		ms, _, err := listMembers(ctx, w.svc, w.a.ID, tenant.MemberFilter{Status: tenant.StatusDeactivated})
		if err != nil || len(ms) != 1 || ms[0].ID != w.memAdminA.ID {
			t.Fatalf("filter by status: %+v %v", ms, err)
		}
		ms, _, err = listMembers(ctx, w.svc, w.a.ID, tenant.MemberFilter{Query: "ZWEITE"})
		if err != nil || len(ms) != 1 || ms[0].UserID != u.ID {
			t.Fatalf("search: %+v %v", ms, err)
		}
		ms, _, err = listMembers(ctx, w.svc, w.a.ID, tenant.MemberFilter{Query: "%"})
		if err != nil || len(ms) != 0 {
			t.Fatalf("LIKE wildcard not escaped: %+v %v", ms, err)
		}
		// B's chain holds none of A's events.
		var nA, nB int
		_ = d.Tenant(ctx, w.b.ID, func(tx *db.Tx) error {
			evs, err := audit.List(ctx, tx, audit.Filter{Limit: 200})
			nB = len(evs)
			for _, e := range evs {
				if e.TenantID != w.b.ID {
					t.Errorf("foreign event in B: %+v", e)
				}
			}
			return err
		})
		_ = d.Tenant(ctx, w.a.ID, func(tx *db.Tx) error {
			evs, err := audit.List(ctx, tx, audit.Filter{Action: "tenant.member."})
			nA = len(evs)
			return err
		})
		if nB != 2 || nA != 4 { // B: created, admin added; A: 2 added, role changed, deactivated
			t.Fatalf("audit events: A=%d B=%d", nA, nB)
		}
	})
}

// UpdateMember changes role and status in one transaction: when one part
// is refused, the other is not kept; an admin cannot deactivate themself.
func TestUpdateMemberIsOneChange(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		w := seed(t, d)
		admin := tenant.ActorFromMembership(w.memAdminA)
		u, err := w.svc.CreateUser(ctx, "dritte-"+w.a.Slug+"@example.org", "Dritte", pw)
		if err != nil {
			t.Fatal(err)
		}
		m, err := w.svc.AddMember(ctx, w.a.ID, u.ID, tenant.RoleStaff)
		if err != nil {
			t.Fatal(err)
		}
		off := false
		if _, err := w.svc.UpdateMember(ctx, admin, w.memAdminA.ID, tenant.MemberUpdate{Active: &off}); !errs.Is(err, errs.Conflict) {
			t.Fatalf("admin deactivated themself: %v", err)
		}
		if _, err := w.svc.UpdateMember(ctx, admin, m.ID, tenant.MemberUpdate{}); !errs.Is(err, errs.Invalid) {
			t.Fatalf("empty update: %v", err)
		}
		// Promote m and deactivate her in one request: both apply.
		staff, admin2 := tenant.RoleStaff, tenant.RoleAdmin
		if got, err := w.svc.UpdateMember(ctx, admin, m.ID, tenant.MemberUpdate{Role: &admin2, Active: &off}); err != nil ||
			got.Role != tenant.RoleAdmin || got.Status != tenant.StatusDeactivated {
			t.Fatalf("role and status together: %+v %v", got, err)
		}
		// The last active admin giving up the role: refused, nothing changes.
		on := true
		if _, err := w.svc.UpdateMember(ctx, tenant.Operator(w.a.ID), w.memAdminA.ID, tenant.MemberUpdate{Role: &staff, Active: &on}); !errs.Is(err, errs.Conflict) {
			t.Fatalf("last admin demoted: %v", err)
		}
		got, err := w.svc.Member(ctx, admin, w.memAdminA.ID)
		if err != nil || got.Role != tenant.RoleAdmin || got.Status != tenant.StatusActive {
			t.Fatalf("after the refused change: %+v %v", got, err)
		}
		// Demote and reactivate m in one request: both apply.
		if got, err := w.svc.UpdateMember(ctx, admin, m.ID, tenant.MemberUpdate{Role: &staff, Active: &on}); err != nil ||
			got.Role != tenant.RoleStaff || got.Status != tenant.StatusActive {
			t.Fatalf("demote and reactivate: %+v %v", got, err)
		}
	})
}

func TestPaging(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		w := seed(t, d)
		for i := range 7 {
			u, err := w.svc.CreateUser(ctx, fmt.Sprintf("p%d-%s@example.org", i, w.a.Slug), fmt.Sprintf("Person %d", i), pw)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := w.svc.AddMember(ctx, w.a.ID, u.ID, tenant.RoleCommittee); err != nil {
				t.Fatal(err)
			}
		}
		seen := map[uuid.UUID]bool{}
		var after uuid.UUID
		for pages := 0; ; pages++ {
			ms, more, err := listMembers(ctx, w.svc, w.a.ID, tenant.MemberFilter{Role: tenant.RoleCommittee, After: after, Limit: 3})
			if err != nil {
				t.Fatal(err)
			}
			for _, m := range ms {
				if seen[m.ID] {
					t.Fatalf("member %s twice", m.ID)
				}
				seen[m.ID] = true
				after = m.ID
			}
			if !more {
				break
			}
			if pages > 5 {
				t.Fatal("paging does not end")
			}
		}
		if len(seen) != 7 {
			t.Fatalf("paged %d members, want 7", len(seen))
		}
		if p, err := w.svc.ListMembers(ctx, tenant.Operator(w.a.ID), tenant.MemberFilter{Role: tenant.RoleCommittee, Limit: 3}); err != nil || p.Total != 7 {
			t.Fatalf("total: %+v %v", p, err)
		}
	})
}

func TestInvitations(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		w := seed(t, d)
		email := "neu-" + w.a.Slug + "@example.org"
		inv, tok, err := w.svc.Invite(ctx, tenant.ActorFromMembership(w.memAdminA), email, tenant.RoleStaff)
		if err != nil {
			t.Fatal(err)
		}
		// The token is bound to its tenant.
		if _, err := w.svc.InvitationByToken(ctx, w.b.ID, tok); !errs.Is(err, errs.NotFound) {
			t.Fatalf("token works in another tenant: %v", err)
		}
		if err := w.svc.RevokeInvitation(ctx, tenant.Operator(w.b.ID), inv.ID); !errs.Is(err, errs.NotFound) {
			t.Fatalf("cross-tenant revoke: %v", err)
		}
		info, err := w.svc.InvitationByToken(ctx, w.a.ID, tok)
		if err != nil || info.AccountExists || info.Invitation.Email != email {
			t.Fatalf("InvitationByToken: %+v %v", info, err)
		}
		// Resending replaces the token.
		_, tok2, err := w.svc.ResendInvitation(ctx, tenant.Operator(w.a.ID), inv.ID)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.svc.InvitationByToken(ctx, w.a.ID, tok); !errs.Is(err, errs.NotFound) {
			t.Fatalf("old token still valid: %v", err)
		}
		if _, _, err := w.svc.AcceptInvitation(ctx, w.a.ID, tok2, tenant.AcceptInput{DisplayName: "Neu", Password: "kurz"}); !errs.Is(err, errs.Invalid) {
			t.Fatalf("weak password accepted: %v", err)
		}
		u, m, err := w.svc.AcceptInvitation(ctx, w.a.ID, tok2, tenant.AcceptInput{DisplayName: "Neue Person", Password: pw})
		if err != nil || u.Email != email || m.Role != tenant.RoleStaff {
			t.Fatalf("accept: %+v %+v %v", u, m, err)
		}
		if _, _, err := w.svc.AcceptInvitation(ctx, w.a.ID, tok2, tenant.AcceptInput{DisplayName: "x", Password: pw}); !errs.Is(err, errs.NotFound) {
			t.Fatalf("token reused: %v", err)
		}
		// Guests are invited into workspaces, never into the tenant.
		if _, _, err := w.svc.Invite(ctx, tenant.ActorFromMembership(w.memAdminB), email, tenant.RolePartner); !errs.Is(err, errs.Invalid) {
			t.Fatalf("partner invited into the tenant: %v", err)
		}
		// Into an existing account: its password is needed.
		_, tokB, err := w.svc.Invite(ctx, tenant.ActorFromMembership(w.memAdminB), email, tenant.RoleCommittee)
		if err != nil {
			t.Fatal(err)
		}
		if info, err := w.svc.InvitationByToken(ctx, w.b.ID, tokB); err != nil || !info.AccountExists {
			t.Fatalf("existing account not noticed: %+v %v", info, err)
		}
		if _, _, err := w.svc.AcceptInvitation(ctx, w.b.ID, tokB, tenant.AcceptInput{Password: "falsches-Passwort!"}); !errs.Is(err, errs.InvalidCredentials) {
			t.Fatalf("wrong password accepted: %v", err)
		}
		u2, m2, err := w.svc.AcceptInvitation(ctx, w.b.ID, tokB, tenant.AcceptInput{Password: pw})
		if err != nil || u2.ID != u.ID || m2.Role != tenant.RoleCommittee {
			t.Fatalf("accept into existing: %+v %v", m2, err)
		}
		if _, _, err := w.svc.Invite(ctx, tenant.ActorFromMembership(w.memAdminA), email, tenant.RoleStaff); !errs.Is(err, errs.Conflict) {
			t.Fatalf("member invited again: %v", err)
		}
		pending, err := w.svc.ListInvitations(ctx, tenant.Operator(w.a.ID), true)
		if err != nil || len(pending) != 0 {
			t.Fatalf("pending: %+v %v", pending, err)
		}
	})
}

func TestGroups(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		w := seed(t, d)
		g, err := w.svc.CreateGroup(ctx, tenant.Operator(w.a.ID), "Bauamt", "Team Hochbau")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.svc.CreateGroup(ctx, tenant.Operator(w.a.ID), "Bauamt", ""); !errs.Is(err, errs.Conflict) {
			t.Fatalf("duplicate group: %v", err)
		}
		if _, err := w.svc.CreateGroup(ctx, tenant.Operator(w.b.ID), "Bauamt", ""); err != nil {
			t.Fatalf("same name in other tenant: %v", err)
		}
		// B's member cannot join A's group, not even by id.
		if err := w.svc.SetGroupMember(ctx, tenant.Operator(w.a.ID), g.ID, w.memAdminB.ID, true); !errs.Is(err, errs.NotFound) {
			t.Fatalf("foreign member added: %v", err)
		}
		if err := w.svc.SetGroupMember(ctx, tenant.Operator(w.b.ID), g.ID, w.memAdminB.ID, true); !errs.Is(err, errs.NotFound) {
			t.Fatalf("foreign group used: %v", err)
		}
		for range 2 {
			if err := w.svc.SetGroupMember(ctx, tenant.Operator(w.a.ID), g.ID, w.memAdminA.ID, true); err != nil {
				t.Fatal(err)
			}
		}
		gs, err := w.svc.ListGroups(ctx, tenant.Operator(w.a.ID))
		if err != nil || len(gs) != 1 || gs[0].MemberCount != 1 {
			t.Fatalf("groups: %+v %v", gs, err)
		}
		ms, err := w.svc.GroupMembers(ctx, tenant.Operator(w.a.ID), g.ID)
		if err != nil || len(ms) != 1 {
			t.Fatalf("group members: %+v %v", ms, err)
		}
		if err := w.svc.DeleteGroup(ctx, tenant.Operator(w.b.ID), g.ID); !errs.Is(err, errs.NotFound) {
			t.Fatalf("cross-tenant delete: %v", err)
		}
		if err := w.svc.DeleteGroup(ctx, tenant.Operator(w.a.ID), g.ID); err != nil {
			t.Fatal(err)
		}
	})
}

func listMembers(ctx context.Context, svc *tenant.Service, tenantID uuid.UUID, f tenant.MemberFilter) ([]tenant.Member, bool, error) {
	p, err := svc.ListMembers(ctx, tenant.Operator(tenantID), f)
	if err != nil {
		return nil, false, err
	}
	return p.Members, p.More, nil
}
