package tenant_test

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/google/uuid"
	"github.com/kollab/kollab/internal/audit"
	"github.com/kollab/kollab/internal/db"
	"github.com/kollab/kollab/internal/db/dbtest"
	"github.com/kollab/kollab/internal/errs"
	"github.com/kollab/kollab/tenant"
	"github.com/kollab/kollab/tenant/auth/password"
)

// Group names are unique per tenant regardless of case and Unicode form;
// another tenant may use the same name.
func TestGroupNamesFold(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		w := seed(t, d)
		if _, err := w.svc.CreateGroup(ctx, tenant.Operator(w.a.ID), "Bauamt Süd", ""); err != nil {
			t.Fatal(err)
		}
		for _, dup := range []string{"bauamt süd", "BAUAMT SÜD", "  Bauamt Su\u0308d ", "bauamt su\u0308d"} {
			if _, err := w.svc.CreateGroup(ctx, tenant.Operator(w.a.ID), dup, ""); !errs.Is(err, errs.Conflict) {
				t.Errorf("%q beside \"Bauamt Süd\": %v", dup, err)
			}
		}
		if _, err := w.svc.CreateGroup(ctx, tenant.Operator(w.a.ID), "Straße", ""); err != nil {
			t.Fatal(err)
		}
		if _, err := w.svc.CreateGroup(ctx, tenant.Operator(w.a.ID), "STRASSE", ""); !errs.Is(err, errs.Conflict) {
			t.Errorf("\"STRASSE\" beside \"Straße\" (full case folding): %v", err)
		}
		if _, err := w.svc.CreateGroup(ctx, tenant.Operator(w.b.ID), "BAUAMT SÜD", ""); err != nil {
			t.Errorf("same name in another tenant: %v", err)
		}
		for _, bad := range []string{"", "   ", "a\u202Eb", "x\ny"} {
			if _, err := w.svc.CreateGroup(ctx, tenant.Operator(w.a.ID), bad, ""); !errs.Is(err, errs.Invalid) {
				t.Errorf("name %q: %v", bad, err)
			}
		}
		if _, err := w.svc.CreateGroup(ctx, tenant.Operator(w.a.ID), "Mit Steuerzeichen", "a\x00b"); !errs.Is(err, errs.Invalid) {
			t.Errorf("description with NUL: %v", err)
		}
		gs, err := w.svc.ListGroups(ctx, tenant.Operator(w.a.ID))
		if err != nil || len(gs) != 2 || gs[0].Name != "Bauamt Süd" || gs[1].Name != "Straße" {
			t.Fatalf("groups of A: %+v %v", gs, err)
		}
	})
}

// A group is renamed (and refused a name another group has, regardless of
// case); its description changes; another tenant's group is unknown; each
// change is audited, a change to nothing is not.
func TestGroupUpdate(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		w := seed(t, d)
		g, err := w.svc.CreateGroup(ctx, tenant.Operator(w.a.ID), "Bauamt", "Hochbau")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.svc.CreateGroup(ctx, tenant.Operator(w.a.ID), "Kämmerei", ""); err != nil {
			t.Fatal(err)
		}
		str := func(s string) *string { return &s }
		if _, err := w.svc.UpdateGroup(ctx, tenant.Operator(w.a.ID), g.ID, str("KÄMMEREI"), nil); !errs.Is(err, errs.Conflict) {
			t.Errorf("rename onto another group's name: %v", err)
		}
		if _, err := w.svc.UpdateGroup(ctx, tenant.Operator(w.b.ID), g.ID, str("Neu"), nil); !errs.Is(err, errs.NotFound) {
			t.Errorf("rename through another tenant: %v", err)
		}
		if _, err := w.svc.UpdateGroup(ctx, tenant.Operator(w.a.ID), uuid.New(), str("Neu"), nil); !errs.Is(err, errs.NotFound) {
			t.Errorf("rename of an unknown group: %v", err)
		}
		if _, err := w.svc.UpdateGroup(ctx, tenant.Operator(w.a.ID), g.ID, nil, nil); !errs.Is(err, errs.Invalid) {
			t.Errorf("update without fields: %v", err)
		}
		// Only the case changes: the same group, so allowed.
		got, err := w.svc.UpdateGroup(ctx, tenant.Operator(w.a.ID), g.ID, str("BAUAMT"), nil)
		if err != nil || got.Name != "BAUAMT" || got.Description != "Hochbau" {
			t.Fatalf("case-only rename: %+v %v", got, err)
		}
		got, err = w.svc.UpdateGroup(ctx, tenant.Operator(w.a.ID), g.ID, str(" Bauamt Nord "), str("Hoch- und Tiefbau"))
		if err != nil || got.Name != "Bauamt Nord" || got.Description != "Hoch- und Tiefbau" {
			t.Fatalf("rename: %+v %v", got, err)
		}
		if _, err := w.svc.UpdateGroup(ctx, tenant.Operator(w.a.ID), g.ID, str("Bauamt Nord"), nil); err != nil {
			t.Fatalf("unchanged name: %v", err)
		}
		// The old name is free again.
		if _, err := w.svc.CreateGroup(ctx, tenant.Operator(w.a.ID), "bauamt", ""); err != nil {
			t.Errorf("old name after the rename: %v", err)
		}
		evs := groupEvents(t, d, w.a.ID, audit.ActionGroupUpdated)
		if len(evs) != 2 || evs[1]["from"] != "Bauamt" || evs[1]["to"] != "BAUAMT" || evs[0]["to"] != "Bauamt Nord" || evs[0]["description"] != "changed" {
			t.Fatalf("audit of renames (newest first): %+v", evs)
		}
	})
}

// Deleting a group removes its memberships and, through the counter the
// documents module sets, says in the audit log how many permissions went
// with it. Group() reports that number beforehand.
func TestGroupDeleteCountsGrants(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		w := seed(t, d)
		var asked []uuid.UUID
		w.svc = tenant.NewService(d, password.NewHasher(password.HighEntropy), tenant.WithGroupGrants(func(tx *db.Tx, groupID uuid.UUID) (int64, error) {
			if tx.TenantID() != w.a.ID {
				t.Errorf("grant counter called in tenant %s", tx.TenantID())
			}
			asked = append(asked, groupID)
			return 3, nil
		}))
		g, err := w.svc.CreateGroup(ctx, tenant.Operator(w.a.ID), "Rat", "")
		if err != nil {
			t.Fatal(err)
		}
		if err := w.svc.SetGroupMember(ctx, tenant.Operator(w.a.ID), g.ID, w.memAdminA.ID, true); err != nil {
			t.Fatal(err)
		}
		got, err := w.svc.Group(ctx, tenant.Operator(w.a.ID), g.ID)
		if err != nil || got.MemberCount != 1 || got.GrantCount != 3 || got.Name != "Rat" {
			t.Fatalf("Group: %+v %v", got, err)
		}
		if _, err := w.svc.Group(ctx, tenant.Operator(w.b.ID), g.ID); !errs.Is(err, errs.NotFound) {
			t.Fatalf("another tenant's group: %v", err)
		}
		if err := w.svc.DeleteGroup(ctx, tenant.Operator(w.b.ID), g.ID); !errs.Is(err, errs.NotFound) {
			t.Fatalf("cross-tenant delete: %v", err)
		}
		if err := w.svc.DeleteGroup(ctx, tenant.Operator(w.a.ID), g.ID); err != nil {
			t.Fatal(err)
		}
		if len(asked) != 2 || asked[0] != g.ID || asked[1] != g.ID {
			t.Errorf("counter asked for %v", asked)
		}
		evs := groupEvents(t, d, w.a.ID, audit.ActionGroupDeleted)
		if len(evs) != 1 || evs[0]["name"] != "Rat" || evs[0]["members"] != "1" || evs[0]["grants_removed"] != "3" {
			t.Fatalf("audit of the deletion: %+v", evs)
		}
		if _, err := w.svc.Group(ctx, tenant.Operator(w.a.ID), g.ID); !errs.Is(err, errs.NotFound) {
			t.Fatalf("deleted group: %v", err)
		}
		if _, err := w.svc.ListMembers(ctx, tenant.Operator(w.a.ID), tenant.MemberFilter{Group: g.ID}); !errs.Is(err, errs.NotFound) {
			t.Fatalf("members of a deleted group: %v", err)
		}
	})
}

// The member list filtered by group pages and counts only that group's
// members; another tenant's group is unknown.
func TestGroupMemberFilter(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		w := seed(t, d)
		g, err := w.svc.CreateGroup(ctx, tenant.Operator(w.a.ID), "Team", "")
		if err != nil {
			t.Fatal(err)
		}
		var in []uuid.UUID
		for i := range 5 {
			u, err := w.svc.CreateUser(ctx, "p"+string(rune('a'+i))+"-"+w.a.Slug+"@example.org", "Person "+string(rune('A'+i)), pw)
			if err != nil {
				t.Fatal(err)
			}
			m, err := w.svc.AddMember(ctx, w.a.ID, u.ID, tenant.RoleStaff)
			if err != nil {
				t.Fatal(err)
			}
			if i%2 == 0 {
				if err := w.svc.SetGroupMember(ctx, tenant.Operator(w.a.ID), g.ID, m.ID, true); err != nil {
					t.Fatal(err)
				}
				in = append(in, m.ID)
			}
		}
		p1, err := w.svc.ListMembers(ctx, tenant.Operator(w.a.ID), tenant.MemberFilter{Group: g.ID, Limit: 2})
		if err != nil || p1.Total != 3 || len(p1.Members) != 2 || !p1.More {
			t.Fatalf("page 1: %+v %v", p1, err)
		}
		p2, err := w.svc.ListMembers(ctx, tenant.Operator(w.a.ID), tenant.MemberFilter{Group: g.ID, Limit: 2, After: p1.Members[1].ID})
		if err != nil || len(p2.Members) != 1 || p2.More {
			t.Fatalf("page 2: %+v %v", p2, err)
		}
		seen := map[uuid.UUID]bool{}
		for _, m := range append(p1.Members, p2.Members...) {
			seen[m.ID] = true
		}
		for _, id := range in {
			if !seen[id] {
				t.Errorf("member %s missing from the group's pages", id)
			}
		}
		if q, err := w.svc.ListMembers(ctx, tenant.Operator(w.a.ID), tenant.MemberFilter{Group: g.ID, Query: "person c"}); err != nil || q.Total != 1 {
			t.Fatalf("search in the group: %+v %v", q, err)
		}
		if _, err := w.svc.ListMembers(ctx, tenant.Operator(w.b.ID), tenant.MemberFilter{Group: g.ID}); !errs.Is(err, errs.NotFound) {
			t.Fatalf("another tenant's group: %v", err)
		}
	})
}

// groupEvents returns the details of the tenant's audit entries with the action, newest first.
func groupEvents(t *testing.T, d *db.DB, tenantID uuid.UUID, action string) []map[string]string {
	t.Helper()
	var out []map[string]string
	err := d.Tenant(context.Background(), tenantID, func(tx *db.Tx) error {
		evs, err := audit.List(context.Background(), tx, audit.Filter{Action: action, Limit: 50})
		for _, e := range evs {
			m := map[string]string{}
			if err := json.Unmarshal([]byte(e.Details), &m); err != nil {
				t.Fatal(err)
			}
			out = append(out, m)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}
