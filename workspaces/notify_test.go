package workspaces_test

import (
	"strings"
	"testing"

	"github.com/kollab/kollab/internal/db"
	"github.com/kollab/kollab/internal/db/dbtest"
	"github.com/kollab/kollab/internal/notify"
	"github.com/kollab/kollab/tenant"
	"github.com/kollab/kollab/workspaces"
)

// Adding a person to a workspace tells that person (and nobody else: not
// the owner who added them, not the other members, not another tenant); a
// role change and a refused addition tell nobody.
func TestMemberAddedIsNotified(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		n := notify.New(d)
		w.svc = workspaces.NewService(d, workspaces.WithNotify(n))
		ag := w.a
		ws := w.create(t, ag.alice, "Radweg Nordstadt", workspaces.Closed)
		_, err := w.svc.SetMember(ctx, ag.alice, ws.ID, ag.bob.MembershipID, workspaces.Member)
		must(t, err)
		_, err = w.svc.SetMember(ctx, ag.alice, ws.ID, ag.bob.MembershipID, workspaces.Reader)
		must(t, err)
		// A guest cannot become an owner: refused, nothing emitted.
		if _, err := w.svc.SetMember(ctx, ag.alice, ws.ID, ag.partner.MembershipID, workspaces.Owner); err == nil {
			t.Fatal("guest made owner")
		}
		rep, err := n.Dispatch(ctx)
		must(t, err)
		if rep.Events != 1 {
			t.Fatalf("dispatch: %+v, want one event", rep)
		}
		titles := func(a tenant.Actor) string {
			t.Helper()
			p, err := n.List(ctx, a, notify.Query{})
			must(t, err)
			var out []string
			for _, it := range p.Items {
				out = append(out, it.Title+" → "+it.Link)
			}
			return strings.Join(out, "|")
		}
		want := "In den Arbeitsraum „Radweg Nordstadt“ aufgenommen → workspaces/" + ws.ID.String()
		if got := titles(ag.bob); got != want {
			t.Fatalf("bob: %q, want %q", got, want)
		}
		for who, a := range map[string]tenant.Actor{"alice (the actor)": ag.alice, "carol": ag.carol, "admin": ag.admin, "other tenant": w.b.admin} {
			if got := titles(a); got != "" {
				t.Errorf("%s was told: %q", who, got)
			}
		}
	})
}
