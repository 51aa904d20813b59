package meetings_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/kollab/kollab/documents"
	"github.com/kollab/kollab/internal/db"
	"github.com/kollab/kollab/internal/db/dbtest"
	"github.com/kollab/kollab/internal/errs"
	"github.com/kollab/kollab/internal/storage"
	"github.com/kollab/kollab/internal/testenv"
	"github.com/kollab/kollab/internal/testenv/seed"
	"github.com/kollab/kollab/meetings"
	"github.com/kollab/kollab/meetings/render"
	"github.com/kollab/kollab/tenant"
	"github.com/kollab/kollab/tenant/auth/password"
)

type clock = testenv.Clock

// agency is one tenant with a committee: chair, secretary, three voting
// members, an advisory member, a staff member outside the committee and
// an admin who holds no seat.
type agency struct {
	tenant    *tenant.Tenant
	admin     tenant.Actor
	chair     tenant.Actor
	secretary tenant.Actor
	alice     tenant.Actor // member
	bob       tenant.Actor // member
	carol     tenant.Actor // member, weight 3
	adv       tenant.Actor // advisory
	outsider  tenant.Actor // staff, no seat
	committee *meetings.Committee
}

// world is two tenants on one database, a committee service with a
// clock and a document store with a filesystem object store.
type world struct {
	d       *db.DB
	svc     *meetings.Service
	docs    *documents.Service
	tenants *tenant.Service
	clock   *clock
	a, b    *agency
	seq     int
	opts    []meetings.ServiceOption // w.svc's options
}

var ctx = context.Background()

func newWorld(t *testing.T, d *db.DB) *world {
	t.Helper()
	w := &world{d: d, tenants: tenant.NewService(d, password.NewHasher(password.HighEntropy)),
		clock: testenv.NewClock(time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC))}
	st, err := storage.NewFS(t.TempDir())
	must(t, err)
	w.docs = documents.NewService(d, documents.WithStore(st))
	w.configure(meetings.WithClock(w.clock.Now))
	w.a = w.newAgency(t, "a")
	w.b = w.newAgency(t, "b")
	return w
}

// configure rebuilds w.svc with opts added to the options it has.
func (w *world) configure(opts ...meetings.ServiceOption) {
	w.opts = append(w.opts, opts...)
	w.svc = meetings.NewService(w.d, w.docs, render.Renderer{}, w.opts...)
}

func (w *world) newAgency(t *testing.T, name string) *agency {
	t.Helper()
	suffix := uuid.NewString()[:8]
	tn, err := w.tenants.CreateTenant(ctx, "amt-"+name+"-"+suffix, "Amt "+name)
	must(t, err)
	ag := &agency{tenant: tn}
	ag.admin = w.member(t, tn, tenant.RoleAdmin)
	ag.committee, err = w.svc.CreateCommittee(ctx, ag.admin, meetings.CommitteeInput{Name: "Bauausschuss", ProxyAllowed: true})
	must(t, err)
	ag.chair = w.seat(t, ag, tenant.RoleStaff, meetings.RoleChair, true, 1)
	ag.secretary = w.seat(t, ag, tenant.RoleStaff, meetings.RoleSecretary, false, 1)
	ag.alice = w.seat(t, ag, tenant.RoleCommittee, meetings.RoleMember, true, 1)
	ag.bob = w.seat(t, ag, tenant.RoleCommittee, meetings.RoleMember, true, 1)
	ag.carol = w.seat(t, ag, tenant.RoleCommittee, meetings.RoleMember, true, 3)
	ag.adv = w.seat(t, ag, tenant.RoleCommittee, meetings.RoleAdvisory, false, 1)
	ag.outsider = w.member(t, tn, tenant.RoleStaff)
	return ag
}

// member adds a new user to the tenant with the given role.
func (w *world) member(t testing.TB, tn *tenant.Tenant, role tenant.Role) tenant.Actor {
	t.Helper()
	w.seq++
	a, _ := seed.Member(t, w.tenants, tn.ID, role, fmt.Sprintf("p%d-%s@example.org", w.seq, tn.Slug), fmt.Sprintf("Person %d", w.seq))
	return a
}

// seat adds a new member of the tenant to the agency's committee.
func (w *world) seat(t testing.TB, ag *agency, trole tenant.Role, role meetings.Role, voting bool, weight int) tenant.Actor {
	t.Helper()
	a := w.member(t, ag.tenant, trole)
	_, err := w.svc.SetMember(ctx, ag.admin, ag.committee.ID, meetings.MemberInput{MembershipID: a.MembershipID, Role: role, Voting: voting, Weight: weight})
	must(t, err)
	return a
}

// voters adds n voting members (weight 1) to the agency's committee.
func (w *world) voters(t testing.TB, ag *agency, n int) []tenant.Actor {
	t.Helper()
	out := make([]tenant.Actor, n)
	for i := range out {
		out[i] = w.seat(t, ag, tenant.RoleCommittee, meetings.RoleMember, true, 1)
	}
	return out
}

// session creates a meeting of the agency's committee with one accepted
// item, brings it into session and records the given members present.
func (w *world) session(t testing.TB, ag *agency, present ...tenant.Actor) (*meetings.Meeting, *meetings.AgendaItem) {
	t.Helper()
	now := w.clock.Now()
	m, err := w.svc.CreateMeeting(ctx, ag.chair, ag.committee.ID, meetings.MeetingInput{Title: "Sitzung", StartsAt: now, EndsAt: now.Add(3 * time.Hour), Place: "Rathaus"})
	must(t, err)
	it, err := w.svc.AddAgendaItem(ctx, ag.chair, m.ID, meetings.AgendaItemInput{Title: "Bebauungsplan Nord", Public: true})
	must(t, err)
	for _, to := range []meetings.MeetingState{meetings.Invited, meetings.InSession} {
		_, err = w.svc.AdvanceMeeting(ctx, ag.chair, m.ID, to)
		must(t, err)
	}
	for _, p := range present {
		_, err := w.svc.SetAttendance(ctx, ag.secretary, m.ID, p.MembershipID, meetings.Present)
		must(t, err)
	}
	return m, it
}

// openPoll creates and opens a poll on an item.
func (w *world) openPoll(t testing.TB, ag *agency, itemID uuid.UUID, kind meetings.Kind, rule *meetings.Rule) *meetings.Poll {
	t.Helper()
	p, err := w.svc.CreatePoll(ctx, ag.chair, meetings.PollInput{AgendaItemID: itemID, Title: "Beschluss", Kind: kind, Method: meetings.YesNoAbstain, Rule: rule})
	must(t, err)
	p, err = w.svc.OpenPoll(ctx, ag.chair, p.ID)
	must(t, err)
	return p
}

// written creates and opens a written procedure of the agency's committee.
func (w *world) written(t testing.TB, ag *agency, kind meetings.Kind, deadline time.Duration) *meetings.Poll {
	t.Helper()
	p, err := w.svc.CreatePoll(ctx, ag.chair, meetings.PollInput{CommitteeID: ag.committee.ID, Deadline: w.clock.Now().Add(deadline),
		Title: "Umlaufbeschluss", Kind: kind, Method: meetings.YesNoAbstain})
	must(t, err)
	p, err = w.svc.OpenPoll(ctx, ag.chair, p.ID)
	must(t, err)
	return p
}

func (w *world) cast(a tenant.Actor, pollID uuid.UUID, choice string) error {
	_, err := w.svc.Cast(ctx, a, pollID, uuid.Nil, meetings.Vote{Choice: choice})
	return err
}

// count counts a tenant's rows of a table matching where.
// Secret ballots, which the serving role may not read, are counted as the
// schema owner.
func (w *world) count(t testing.TB, tenantID uuid.UUID, table, where string, args ...any) int64 {
	t.Helper()
	var n int64
	d := w.d
	if table == "secret_ballots" {
		d = dbtest.Owner(t, w.d)
	}
	must(t, d.Tenant(ctx, tenantID, func(tx *db.Tx) error {
		q := tx.Table(table)
		if where != "" {
			q = q.Where(where, args...)
		}
		return q.Count(&n).Error
	}))
	return n
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// wantCode fails unless err carries code.
func wantCode(t testing.TB, err error, code errs.Code, what string) {
	t.Helper()
	if !errs.Is(err, code) {
		t.Fatalf("%s: want %s, got %v", what, code, err)
	}
}

// wantDetail fails unless err carries code and a detail containing part.
func wantDetail(t testing.TB, err error, code errs.Code, part, what string) {
	t.Helper()
	wantCode(t, err, code, what)
	if e := errs.As(err); !strings.Contains(e.Detail.DE, part) {
		t.Fatalf("%s: detail %q lacks %q", what, e.Detail.DE, part)
	}
}

func ptr[T any](v T) *T { return &v }
