package meetings_test

import (
	"slices"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/kollab/kollab/internal/db"
	"github.com/kollab/kollab/internal/db/dbtest"
	"github.com/kollab/kollab/internal/errs"
	"github.com/kollab/kollab/meetings"
	"github.com/kollab/kollab/tenant"
)

// The quorum follows arrivals and departures, weighs votes and leaves
// conflicted members out of their item's quorum.
func TestQuorumLive(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		ag := w.a
		// Voting members: chair 1, alice 1, bob 1, carol 3 (weight 6).
		now := w.clock.Now()
		m, err := w.svc.CreateMeeting(ctx, ag.chair, ag.committee.ID, meetings.MeetingInput{Title: "S", StartsAt: now, EndsAt: now.Add(time.Hour)})
		must(t, err)
		it, err := w.svc.AddAgendaItem(ctx, ag.chair, m.ID, meetings.AgendaItemInput{Title: "TOP 1"})
		must(t, err)
		_, err = w.svc.SetAttendance(ctx, ag.chair, m.ID, ag.alice.MembershipID, meetings.Present)
		wantCode(t, err, errs.Conflict, "presence before the session")
		_, err = w.svc.SetAttendance(ctx, ag.chair, m.ID, ag.bob.MembershipID, meetings.Excused)
		must(t, err)
		_, err = w.svc.SetAttendance(ctx, ag.chair, m.ID, ag.outsider.MembershipID, meetings.Excused)
		wantCode(t, err, errs.Invalid, "attendance of a non-member")
		_, err = w.svc.SetAttendance(ctx, ag.alice, m.ID, ag.alice.MembershipID, meetings.Excused)
		wantCode(t, err, errs.Forbidden, "member keeps the register")
		_, err = w.svc.DeclareConflict(ctx, ag.carol, it.ID, ag.carol.MembershipID, "")
		must(t, err)
		for _, to := range []meetings.MeetingState{meetings.Invited, meetings.InSession} {
			_, err := w.svc.AdvanceMeeting(ctx, ag.chair, m.ID, to)
			must(t, err)
		}
		type want struct {
			members, present int
			mWeight, pWeight int64
			excluded         int
			reached          bool
		}
		check := func(step string, meeting want, item want) {
			t.Helper()
			for _, c := range []struct {
				item uuid.UUID
				want want
			}{{uuid.Nil, meeting}, {it.ID, item}} {
				q, err := w.svc.Quorum(ctx, ag.alice, m.ID, c.item)
				must(t, err)
				got := want{q.Members, q.Present, q.MembersWeight, q.PresentWeight, q.Excluded, q.Reached}
				if got != c.want {
					t.Fatalf("%s (item %v): got %+v, want %+v", step, c.item != uuid.Nil, got, c.want)
				}
			}
		}
		arrive := func(a tenant.Actor) {
			t.Helper()
			_, err := w.svc.SetAttendance(ctx, ag.secretary, m.ID, a.MembershipID, meetings.Present)
			must(t, err)
			w.clock.Advance(time.Minute)
		}
		depart := func(a tenant.Actor) {
			t.Helper()
			_, err := w.svc.Depart(ctx, ag.secretary, m.ID, a.MembershipID)
			must(t, err)
			w.clock.Advance(time.Minute)
		}
		check("nobody", want{4, 0, 6, 0, 0, false}, want{3, 0, 3, 0, 1, false})
		arrive(ag.alice)
		check("alice", want{4, 1, 6, 1, 0, false}, want{3, 1, 3, 1, 1, false})
		arrive(ag.carol)
		// 4 of 6 is more than half; carol does not count for her item: 1 of 3.
		check("alice+carol", want{4, 2, 6, 4, 0, true}, want{3, 1, 3, 1, 1, false})
		arrive(ag.adv) // advisory: no vote, no quorum
		arrive(ag.secretary)
		check("+advisory+secretary", want{4, 2, 6, 4, 0, true}, want{3, 1, 3, 1, 1, false})
		depart(ag.carol)
		arrive(ag.chair)
		// 2 of 6 is not more than half; for the item 2 of 3 is.
		check("alice+chair", want{4, 2, 6, 2, 0, false}, want{3, 2, 3, 2, 1, true})
		arrive(ag.bob) // excused, then came after all
		check("alice+chair+bob", want{4, 3, 6, 3, 0, false}, want{3, 3, 3, 3, 1, true})
		arrive(ag.carol) // back again: the first arrival stays
		check("all", want{4, 4, 6, 6, 0, true}, want{3, 3, 3, 3, 1, true})
		att, err := w.svc.ListAttendance(ctx, ag.bob, m.ID)
		must(t, err)
		for _, a := range att {
			if a.MembershipID == ag.carol.MembershipID && (a.DepartedAt != nil || !a.ArrivedAt.Equal(now.Add(time.Minute))) {
				t.Fatalf("carol's attendance: %+v", a)
			}
		}
		_, err = w.svc.Depart(ctx, ag.secretary, m.ID, ag.outsider.MembershipID)
		wantCode(t, err, errs.Invalid, "a non-member departs")
		depart(ag.bob)
		_, err = w.svc.Depart(ctx, ag.secretary, m.ID, ag.bob.MembershipID)
		wantCode(t, err, errs.Conflict, "depart twice")
		// At least half (inclusive) instead of more than half.
		_, err = w.svc.UpdateCommittee(ctx, ag.chair, ag.committee.ID, meetings.CommitteeInput{Name: ag.committee.Name, ProxyAllowed: true,
			Quorum: meetings.Fraction{Num: 1, Den: 2, Inclusive: true}})
		must(t, err)
		depart(ag.carol)
		check("alice+chair, inclusive", want{4, 2, 6, 2, 0, false}, want{3, 2, 3, 2, 1, true})
		arrive(ag.bob)
		check("alice+chair+bob, inclusive", want{4, 3, 6, 3, 0, true}, want{3, 3, 3, 3, 1, true})
		_, err = w.svc.Quorum(ctx, ag.alice, m.ID, uuid.New())
		wantCode(t, err, errs.NotFound, "quorum of an unknown item")
	})
}

// CloseDue closes exactly the open written procedures past their deadline,
// in every tenant; DueReminders lists exactly the entitled non-voters.
func TestWrittenProcedures(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		ag, bg := w.a, w.b
		// Not reminded: ended term, deactivated membership (besides the
		// advisory member and the secretary without vote).
		ended := w.seat(t, ag, "committee", meetings.RoleMember, true, 1)
		end := w.clock.Now().Add(time.Minute)
		_, err := w.svc.SetMember(ctx, ag.chair, ag.committee.ID, meetings.MemberInput{MembershipID: ended.MembershipID, Role: meetings.RoleMember,
			Voting: true, TermStart: w.clock.Now().Add(-time.Hour), TermEnd: &end})
		must(t, err)
		gone := w.seat(t, ag, "committee", meetings.RoleMember, true, 1)
		_, err = w.tenants.SetActive(ctx, tenant.Operator(ag.tenant.ID), gone.MembershipID, false)
		must(t, err)

		p1 := w.written(t, ag, meetings.Named, time.Hour)
		p2 := w.written(t, ag, meetings.Secret, 3*time.Hour)
		draft, err := w.svc.CreatePoll(ctx, ag.chair, meetings.PollInput{CommitteeID: ag.committee.ID, Deadline: w.clock.Now().Add(time.Hour),
			Title: "Entwurf", Kind: meetings.Named, Method: meetings.YesNoAbstain})
		must(t, err)
		p4 := w.written(t, bg, meetings.Named, time.Hour)
		must(t, w.cast(ag.alice, p1.ID, meetings.Yes))
		must(t, w.cast(ag.carol, p1.ID, meetings.No))
		must(t, w.cast(ag.chair, p2.ID, meetings.Yes))
		wantCode(t, w.cast(gone, p1.ID, meetings.Yes), errs.Deactivated, "deactivated member")
		w.clock.Advance(2 * time.Minute) // the ended term is over now
		wantCode(t, w.cast(ended, p1.ID, meetings.Yes), errs.NotFound, "term ended")

		type key struct{ poll, member uuid.UUID }
		reminders := func(at time.Time) []key {
			t.Helper()
			rs, err := w.svc.DueReminders(ctx, at)
			must(t, err)
			var out []key
			for _, r := range rs {
				if r.TenantID != ag.tenant.ID && r.TenantID != bg.tenant.ID {
					continue // other tests' tenants on the same database
				}
				out = append(out, key{r.PollID, r.MembershipID})
			}
			slices.SortFunc(out, func(x, y key) int {
				if c := slices.Compare(x.poll[:], y.poll[:]); c != 0 {
					return c
				}
				return slices.Compare(x.member[:], y.member[:])
			})
			return out
		}
		wantKeys := func(pairs ...any) []key {
			var out []key
			for i := 0; i < len(pairs); i += 2 {
				out = append(out, key{pairs[i].(*meetings.Poll).ID, pairs[i+1].(tenant.Actor).MembershipID})
			}
			slices.SortFunc(out, func(x, y key) int {
				if c := slices.Compare(x.poll[:], y.poll[:]); c != 0 {
					return c
				}
				return slices.Compare(x.member[:], y.member[:])
			})
			return out
		}
		now := w.clock.Now()
		if got, want := reminders(now), wantKeys(p1, ag.chair, p1, ag.bob, p2, ag.alice, p2, ag.bob, p2, ag.carol,
			p4, bg.chair, p4, bg.alice, p4, bg.bob, p4, bg.carol); !slices.Equal(got, want) {
			t.Fatalf("reminders:\n got %v\nwant %v", got, want)
		}

		// At the deadline ballots stop, even before the sweep closes the poll.
		w.clock.Advance(time.Hour)
		wantDetail(t, w.cast(ag.bob, p1.ID, meetings.Yes), errs.Conflict, notOpen, "ballot at the deadline")
		_, err = w.svc.OpenPoll(ctx, ag.chair, draft.ID)
		wantCode(t, err, errs.Conflict, "open a draft past its deadline")
		rep, err := w.svc.CloseDue(ctx, w.clock.Now())
		must(t, err)
		var closed []uuid.UUID
		for _, c := range rep.Closed {
			if c.TenantID == ag.tenant.ID || c.TenantID == bg.tenant.ID {
				closed = append(closed, c.PollID)
			}
		}
		slices.SortFunc(closed, func(x, y uuid.UUID) int { return slices.Compare(x[:], y[:]) })
		if want := sorted([]uuid.UUID{p1.ID, p4.ID}); !slices.Equal(closed, want) {
			t.Fatalf("closed %v, want %v", closed, want)
		}
		for _, c := range []struct {
			a     tenant.Actor
			p     *meetings.Poll
			state meetings.PollState
		}{{ag.chair, p1, meetings.PollClosed}, {bg.chair, p4, meetings.PollClosed}, {ag.chair, p2, meetings.PollOpen}, {ag.chair, draft, meetings.PollDraft}} {
			got, err := w.svc.GetPoll(ctx, c.a, c.p.ID)
			must(t, err)
			if got.State != c.state {
				t.Fatalf("%s: %s, want %s", c.p.Title, got.State, c.state)
			}
		}
		res, err := w.svc.Result(ctx, ag.chair, p1.ID)
		must(t, err)
		// Written: no quorum; present equals members (chair, alice, bob, carol = 6).
		if res.Ballots != 2 || res.Yes != 1 || res.No != 3 || res.Passed || res.QuorumReached != nil || res.PresentWeight != 6 || res.MembersWeight != 6 {
			t.Fatalf("written result: %+v", res)
		}
		var byDeadline []struct {
			ActorUserID *uuid.UUID `gorm:"column:actor_user_id"`
		}
		must(t, d.Tenant(ctx, ag.tenant.ID, func(tx *db.Tx) error {
			return tx.Table("audit_events").Select("actor_user_id").Where("action = ? AND target_id = ?", meetings.ActionPollClosed, p1.ID.String()).Scan(&byDeadline).Error
		}))
		if len(byDeadline) != 1 || byDeadline[0].ActorUserID != nil {
			t.Fatalf("close by deadline audited as %+v", byDeadline)
		}
		again, err := w.svc.CloseDue(ctx, w.clock.Now())
		must(t, err)
		for _, c := range again.Closed {
			if c.TenantID == ag.tenant.ID || c.TenantID == bg.tenant.ID {
				t.Fatalf("closed again: %+v", c)
			}
		}
		if got, want := reminders(w.clock.Now()), wantKeys(p2, ag.alice, p2, ag.bob, p2, ag.carol); !slices.Equal(got, want) {
			t.Fatalf("reminders after the first deadline:\n got %v\nwant %v", got, want)
		}
		w.clock.Advance(2 * time.Hour)
		if got := reminders(w.clock.Now()); len(got) != 0 {
			t.Fatalf("reminders past every deadline: %v", got)
		}
		rep, err = w.svc.CloseDue(ctx, w.clock.Now())
		must(t, err)
		n := 0
		for _, c := range rep.Closed {
			if c.TenantID == ag.tenant.ID {
				n++
				if c.PollID != p2.ID {
					t.Fatalf("closed %v", c)
				}
			}
		}
		if n != 1 {
			t.Fatalf("second deadline closed %d polls", n)
		}
	})
}

func sorted(ids []uuid.UUID) []uuid.UUID {
	out := slices.Clone(ids)
	slices.SortFunc(out, func(x, y uuid.UUID) int { return slices.Compare(x[:], y[:]) })
	return out
}
