package tenant_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/google/uuid"
	"github.com/kollab/kollab/internal/db"
	"github.com/kollab/kollab/internal/db/dbtest"
	"github.com/kollab/kollab/internal/errs"
	"github.com/kollab/kollab/tenant"
)

func names(ms []tenant.DirectoryMember) []string {
	out := make([]string, len(ms))
	for i, m := range ms {
		out[i] = m.DisplayName
	}
	return out
}

func TestDirectory(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		w := seed(t, d)
		add := func(tn *tenant.Tenant, email, name string, role tenant.Role) *tenant.Membership {
			t.Helper()
			u, err := w.svc.CreateUser(ctx, email+"-"+tn.Slug+"@example.org", name, pw)
			if err != nil {
				t.Fatal(err)
			}
			m, err := w.svc.AddMember(ctx, tn.ID, u.ID, role)
			if err != nil {
				t.Fatal(err)
			}
			return m
		}
		anna := add(w.a, "anna", "Anna Amsel", tenant.RoleStaff)
		bernd := add(w.a, "bernd", "Bernd Bauer", tenant.RoleCommittee)
		carla := add(w.a, "carla", "carla Conrad", tenant.RoleStaff) // lower case sorts by name all the same
		gast := add(w.a, "gast", "Gerda Gast", tenant.RolePartner)
		alt := add(w.a, "alt", "Anton Alt", tenant.RoleStaff)
		if _, err := w.svc.SetActive(ctx, tenant.Operator(w.a.ID), alt.ID, false); err != nil {
			t.Fatal(err)
		}
		fremd := add(w.b, "anna", "Anna Fremd", tenant.RoleStaff)
		bau, err := w.svc.CreateGroup(ctx, tenant.Operator(w.a.ID), "Bauaufsicht", "")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.svc.CreateGroup(ctx, tenant.Operator(w.a.ID), "Kämmerei", ""); err != nil {
			t.Fatal(err)
		}
		bGroup, err := w.svc.CreateGroup(ctx, tenant.Operator(w.b.ID), "Bauamt Nord", "")
		if err != nil {
			t.Fatal(err)
		}
		// The asking member of each role (Directory checks the membership).
		asking := map[tenant.Role]tenant.Actor{
			tenant.RoleStaff:     tenant.ActorFromMembership(anna),
			tenant.RoleCommittee: tenant.ActorFromMembership(bernd),
			tenant.RolePartner:   tenant.ActorFromMembership(gast),
		}
		dir := func(role tenant.Role, q tenant.DirectoryQuery) *tenant.DirectoryPage {
			t.Helper()
			p, err := w.svc.Directory(ctx, asking[role], q)
			if err != nil {
				t.Fatalf("directory %+v: %v", q, err)
			}
			return p
		}

		// An actor without an active membership behind it gets nowhere.
		if _, err := w.svc.Directory(ctx, tenant.Actor{TenantID: w.a.ID, Role: tenant.RoleStaff}, tenant.DirectoryQuery{}); !errs.Is(err, errs.Unauthenticated) {
			t.Fatalf("made-up actor: %v", err)
		}
		if _, err := w.svc.Directory(ctx, tenant.ActorFromMembership(alt), tenant.DirectoryQuery{}); !errs.Is(err, errs.Deactivated) {
			t.Fatalf("deactivated member: %v", err)
		}

		// Partners may not browse the agency.
		if _, err := w.svc.Directory(ctx, asking[tenant.RolePartner], tenant.DirectoryQuery{}); !errs.Is(err, errs.Forbidden) {
			t.Fatalf("partner: %v", err)
		}
		if _, err := w.svc.Directory(ctx, asking[tenant.RolePartner], tenant.DirectoryQuery{IDs: []uuid.UUID{anna.ID}}); !errs.Is(err, errs.Forbidden) {
			t.Fatalf("partner resolving: %v", err)
		}

		// Everyone active, by name; the deactivated member and tenant B's are not there.
		all := dir(tenant.RoleCommittee, tenant.DirectoryQuery{})
		if got := names(all.Members); !slices.Equal(got, []string{"Admin A", "Anna Amsel", "Bernd Bauer", "carla Conrad", "Gerda Gast"}) {
			t.Fatalf("everyone: %v", got)
		}
		if all.More || len(all.Groups) != 2 || all.Groups[0].Name != "Bauaufsicht" || all.Groups[1].Name != "Kämmerei" {
			t.Fatalf("everyone: more=%v groups=%+v", all.More, all.Groups)
		}
		// Case-insensitive search in name and e-mail; groups by name.
		for q, want := range map[string][]string{
			"ANNA":    {"Anna Amsel"},
			"bau":     {"Bernd Bauer"},
			"CARLA-":  {"carla Conrad"}, // part of the e-mail address only
			"alt":     {},               // Anton Alt is deactivated
			"fremd":   {},               // tenant B
			"%":       {},               // LIKE wildcards are literal
			"_":       {},
			"  anna ": {"Anna Amsel"},
		} {
			got := dir(tenant.RoleStaff, tenant.DirectoryQuery{Query: q})
			if !slices.Equal(names(got.Members), want) {
				t.Errorf("q=%q: %v, want %v", q, names(got.Members), want)
			}
		}
		if g := dir(tenant.RoleStaff, tenant.DirectoryQuery{Query: "BAU"}).Groups; len(g) != 1 || g[0].ID != bau.ID || g[0].Name != "Bauaufsicht" {
			t.Fatalf("groups for bau: %+v", g)
		}
		if g := dir(tenant.RoleStaff, tenant.DirectoryQuery{Query: "nord"}).Groups; len(g) != 0 {
			t.Fatalf("tenant B's group found: %+v", g)
		}
		m := dir(tenant.RoleStaff, tenant.DirectoryQuery{Query: "anna"}).Members[0]
		if m.MembershipID != anna.ID || m.Role != tenant.RoleStaff || !m.Active() || !strings.HasPrefix(m.Email, "anna-") {
			t.Fatalf("member: %+v", m)
		}

		// Pages of two, by name, cursor = the last member shown; groups on page one only.
		var paged []string
		q := tenant.DirectoryQuery{Limit: 2}
		for i := 0; ; i++ {
			p := dir(tenant.RoleStaff, q)
			if i > 0 && len(p.Groups) != 0 {
				t.Fatalf("groups on page %d", i+1)
			}
			paged = append(paged, names(p.Members)...)
			if !p.More {
				break
			}
			q.After = p.Members[len(p.Members)-1].MembershipID
		}
		if !slices.Equal(paged, names(all.Members)) {
			t.Fatalf("pages: %v", paged)
		}
		// A cursor of tenant B is an unknown cursor.
		if _, err := w.svc.Directory(ctx, asking[tenant.RoleStaff], tenant.DirectoryQuery{After: fremd.ID}); !errs.Is(err, errs.Invalid) {
			t.Fatalf("foreign cursor: %v", err)
		}

		// Resolving ids: deactivated members too (marked), other tenants' and unknown ids left out.
		res := dir(tenant.RoleStaff, tenant.DirectoryQuery{IDs: []uuid.UUID{alt.ID, fremd.ID, bernd.ID, uuid.Must(uuid.NewV7()), gast.ID, carla.ID, w.memAdminB.ID}})
		if got := names(res.Members); !slices.Equal(got, []string{"Anton Alt", "Bernd Bauer", "carla Conrad", "Gerda Gast"}) {
			t.Fatalf("resolved: %v", got)
		}
		if res.Members[0].Active() || res.Members[0].Status != tenant.StatusDeactivated || !res.Members[1].Active() || len(res.Groups) != 0 {
			t.Fatalf("resolved: %+v", res)
		}
		res = dir(tenant.RoleStaff, tenant.DirectoryQuery{GroupIDs: []uuid.UUID{bGroup.ID, bau.ID}})
		if len(res.Members) != 0 || len(res.Groups) != 1 || res.Groups[0].ID != bau.ID {
			t.Fatalf("resolved groups: %+v", res)
		}
		// From tenant B, tenant A's people are unknown.
		if p, err := w.svc.Directory(ctx, tenant.ActorFromMembership(w.memAdminB), tenant.DirectoryQuery{IDs: []uuid.UUID{anna.ID}, GroupIDs: []uuid.UUID{bau.ID}}); err != nil ||
			len(p.Members) != 0 || len(p.Groups) != 0 {
			t.Fatalf("B resolving A: %+v %v", p, err)
		}

		// Bad requests.
		for name, q := range map[string]tenant.DirectoryQuery{
			"ids with q":      {IDs: []uuid.UUID{anna.ID}, Query: "a"},
			"ids with cursor": {GroupIDs: []uuid.UUID{bau.ID}, After: anna.ID},
			"too many ids":    {IDs: make([]uuid.UUID, tenant.MaxDirectoryIDs+1)},
			"long query":      {Query: strings.Repeat("ä", 201)},
		} {
			if _, err := w.svc.Directory(ctx, asking[tenant.RoleStaff], q); !errs.Is(err, errs.Invalid) {
				t.Errorf("%s: %v", name, err)
			}
		}
	})
}

func TestParseIDList(t *testing.T) {
	a, b := uuid.Must(uuid.NewV7()), uuid.Must(uuid.NewV7())
	got, err := tenant.ParseIDList("ids", fmt.Sprintf(" %s,%s ,,%s", a, b, a))
	if err != nil || !slices.Equal(got, []uuid.UUID{a, b}) {
		t.Fatalf("parse: %v %v", got, err)
	}
	if got, err := tenant.ParseIDList("ids", "  "); err != nil || got != nil {
		t.Fatalf("empty: %v %v", got, err)
	}
	for _, bad := range []string{"x", a.String() + ",nope", "{" + a.String() + "}", "urn:uuid:" + a.String()} {
		if _, err := tenant.ParseIDList("ids", bad); !errs.Is(err, errs.Invalid) || errs.As(err).Field != "ids" {
			t.Errorf("%q: %v", bad, err)
		}
	}
	many := make([]string, tenant.MaxDirectoryIDs+1)
	for i := range many {
		many[i] = uuid.Must(uuid.NewV7()).String()
	}
	if _, err := tenant.ParseIDList("ids", strings.Join(many[:tenant.MaxDirectoryIDs], ",")); err != nil {
		t.Fatalf("200 ids: %v", err)
	}
	if _, err := tenant.ParseIDList("ids", strings.Join(many, ",")); !errs.Is(err, errs.Invalid) {
		t.Fatalf("201 ids: %v", err)
	}
}
