package workspaces_test

import (
	"testing"
	"time"

	"github.com/kollab/kollab/internal/db"
	"github.com/kollab/kollab/internal/db/dbtest"
	"github.com/kollab/kollab/internal/errs"
	"github.com/kollab/kollab/internal/testenv"
	"github.com/kollab/kollab/tenant"
	"github.com/kollab/kollab/workspaces"
)

// Nobody becomes a guest by a role change (guests come through a
// workspace's invitation, with sponsor and expiry); a guest who becomes
// staff leaves the guests' lifecycle: no longer listed, never swept.
func TestGuestRoleChanges(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		ag := w.a
		_, err := w.tenants.ChangeRole(ctx, ag.admin, ag.bob.MembershipID, tenant.RolePartner)
		wantCode(t, "staff made a guest", err, errs.Invalid)
		gs, _, err := w.svc.ListGuests(ctx, ag.admin, workspaces.GuestFilter{})
		must(t, err)
		if len(gs) != 1 || gs[0].MembershipID != ag.partner.MembershipID {
			t.Fatalf("guests: %+v", gs)
		}
		_, err = w.tenants.ChangeRole(ctx, ag.admin, ag.partner.MembershipID, tenant.RoleStaff)
		must(t, err)
		gs, _, err = w.svc.ListGuests(ctx, ag.admin, workspaces.GuestFilter{})
		must(t, err)
		if len(gs) != 0 {
			t.Fatalf("a former guest is listed: %+v", gs)
		}
		clock := testenv.NewClock(time.Now().Add(3 * 365 * 24 * time.Hour)) // past every guest's expiry
		rep, err := workspaces.NewService(d, workspaces.WithClock(clock.Now)).SweepGuests(ctx)
		must(t, err)
		if rep.Expired != 1 || rep.Reminded != 0 { // the other tenant's guest
			t.Fatalf("sweep: %+v", rep)
		}
		if other, err := w.tenants.Member(ctx, w.b.admin, w.b.partner.MembershipID); err != nil || other.Status != tenant.StatusDeactivated {
			t.Fatalf("the other tenant's guest: %+v %v", other, err)
		}
		m, err := w.tenants.Member(ctx, ag.admin, ag.partner.MembershipID)
		if err != nil || m.Status != tenant.StatusActive || m.Role != tenant.RoleStaff {
			t.Fatalf("the former guest: %+v %v", m, err)
		}
	})
}
