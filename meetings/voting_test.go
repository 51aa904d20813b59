package meetings_test

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/kollab/kollab/internal/audit"
	"github.com/kollab/kollab/internal/db"
	"github.com/kollab/kollab/internal/db/dbtest"
	"github.com/kollab/kollab/internal/errs"
	"github.com/kollab/kollab/meetings"
	"github.com/kollab/kollab/tenant"
)

const (
	alreadyVoted = "bereits abgegeben"
	notOpen      = "nicht geöffnet"
)

// Only entitled voters vote: present (in session), voting right, not
// conflicted; proxies as the rules allow; once; while the poll is open.
func TestEntitlement(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		ag := w.a
		m, it := w.session(t, ag, ag.chair, ag.alice, ag.carol, ag.adv, ag.secretary)
		_, err := w.svc.DeclareConflict(ctx, ag.carol, it.ID, ag.carol.MembershipID, "Grundstückseigentümerin")
		must(t, err)
		p := w.openPoll(t, ag, it.ID, meetings.Named, nil)

		wantDetail(t, w.cast(ag.bob, p.ID, meetings.Yes), errs.Forbidden, "stimmberechtigt", "absent member")
		wantCode(t, w.cast(ag.carol, p.ID, meetings.Yes), errs.Forbidden, "conflicted member")
		wantCode(t, w.cast(ag.adv, p.ID, meetings.Yes), errs.Forbidden, "advisory member")
		wantCode(t, w.cast(ag.secretary, p.ID, meetings.Yes), errs.Forbidden, "member without voting right")
		wantCode(t, w.cast(ag.admin, p.ID, meetings.Yes), errs.Forbidden, "admin without a seat")
		wantCode(t, w.cast(ag.outsider, p.ID, meetings.Yes), errs.NotFound, "outsider")
		wantCode(t, w.cast(ag.alice, p.ID, "ja"), errs.Invalid, "unknown choice")
		_, err = w.svc.Cast(ctx, ag.alice, p.ID, uuid.Nil, meetings.Vote{Choice: meetings.Yes, OptionIDs: []uuid.UUID{uuid.New()}})
		wantCode(t, err, errs.Invalid, "options on a yes/no poll")
		// Conflicts cannot change under a running vote.
		_, err = w.svc.DeclareConflict(ctx, ag.alice, it.ID, ag.alice.MembershipID, "")
		wantCode(t, err, errs.Conflict, "declare during the vote")
		wantCode(t, w.svc.WithdrawConflict(ctx, ag.carol, it.ID, ag.carol.MembershipID), errs.Conflict, "withdraw during the vote")

		r, err := w.svc.Cast(ctx, ag.alice, p.ID, uuid.Nil, meetings.Vote{Choice: meetings.Yes})
		must(t, err)
		if r.VoterMembershipID != ag.alice.MembershipID || r.CastByMembershipID != ag.alice.MembershipID || r.PollID != p.ID {
			t.Fatalf("receipt: %+v", r)
		}
		wantDetail(t, w.cast(ag.alice, p.ID, meetings.No), errs.Conflict, alreadyVoted, "second ballot")
		// Who left the room cannot vote until back.
		_, err = w.svc.Depart(ctx, ag.secretary, m.ID, ag.chair.MembershipID)
		must(t, err)
		wantCode(t, w.cast(ag.chair, p.ID, meetings.No), errs.Forbidden, "departed member")
		_, err = w.svc.SetAttendance(ctx, ag.secretary, m.ID, ag.chair.MembershipID, meetings.Present)
		must(t, err)
		must(t, w.cast(ag.chair, p.ID, meetings.No))

		// Delegation: bob (absent) hands his vote to alice for the meeting.
		_, err = w.svc.Delegate(ctx, ag.carol, meetings.DelegationInput{FromMembershipID: ag.bob.MembershipID, ToMembershipID: ag.alice.MembershipID, MeetingID: m.ID})
		wantCode(t, err, errs.Forbidden, "delegate someone else's vote")
		_, err = w.svc.Delegate(ctx, ag.bob, meetings.DelegationInput{ToMembershipID: ag.adv.MembershipID, MeetingID: m.ID})
		wantCode(t, err, errs.Invalid, "delegate to an advisory member")
		_, err = w.svc.Delegate(ctx, ag.bob, meetings.DelegationInput{ToMembershipID: ag.bob.MembershipID, MeetingID: m.ID})
		wantCode(t, err, errs.Invalid, "delegate to oneself")
		del, err := w.svc.Delegate(ctx, ag.bob, meetings.DelegationInput{ToMembershipID: ag.alice.MembershipID, MeetingID: m.ID})
		must(t, err)
		_, err = w.svc.Delegate(ctx, ag.bob, meetings.DelegationInput{ToMembershipID: ag.chair.MembershipID, MeetingID: m.ID})
		wantCode(t, err, errs.Conflict, "delegate twice")
		_, err = w.svc.Delegate(ctx, ag.alice, meetings.DelegationInput{ToMembershipID: ag.chair.MembershipID, MeetingID: m.ID})
		wantCode(t, err, errs.Conflict, "a proxy delegates (chain)")
		_, err = w.svc.Delegate(ctx, ag.chair, meetings.DelegationInput{ToMembershipID: ag.bob.MembershipID, PollID: p.ID})
		wantCode(t, err, errs.Conflict, "delegate to a delegator (chain)")
		_, err = w.svc.Cast(ctx, ag.chair, p.ID, ag.bob.MembershipID, meetings.Vote{Choice: meetings.No})
		wantCode(t, err, errs.Forbidden, "cast for someone who did not delegate to you")
		proxy, err := w.svc.Cast(ctx, ag.alice, p.ID, ag.bob.MembershipID, meetings.Vote{Choice: meetings.Yes})
		must(t, err)
		if proxy.VoterMembershipID != ag.bob.MembershipID || proxy.CastByMembershipID != ag.alice.MembershipID || proxy.ID == r.ID {
			t.Fatalf("proxy receipt: %+v (own %+v)", proxy, r)
		}
		_, err = w.svc.Cast(ctx, ag.alice, p.ID, ag.bob.MembershipID, meetings.Vote{Choice: meetings.Yes})
		wantDetail(t, err, errs.Conflict, alreadyVoted, "proxy casts twice")

		// A second poll: the delegator, now present, may not vote himself
		// while the delegation stands; the proxy must be in the room.
		p2 := w.openPoll(t, ag, it.ID, meetings.Secret, nil)
		_, err = w.svc.SetAttendance(ctx, ag.secretary, m.ID, ag.bob.MembershipID, meetings.Present)
		must(t, err)
		wantCode(t, w.cast(ag.bob, p2.ID, meetings.No), errs.Forbidden, "delegator votes himself")
		_, err = w.svc.Depart(ctx, ag.secretary, m.ID, ag.alice.MembershipID)
		must(t, err)
		_, err = w.svc.Cast(ctx, ag.alice, p2.ID, ag.bob.MembershipID, meetings.Vote{Choice: meetings.Yes})
		wantCode(t, err, errs.Forbidden, "absent proxy")
		must(t, w.svc.RevokeDelegation(ctx, ag.bob, del.ID))
		must(t, w.cast(ag.bob, p2.ID, meetings.No))

		// Rules without delegation: none can be made, none is honoured.
		_, err = w.svc.Delegate(ctx, ag.chair, meetings.DelegationInput{ToMembershipID: ag.bob.MembershipID, PollID: p2.ID})
		must(t, err)
		_, err = w.svc.UpdateCommittee(ctx, ag.chair, ag.committee.ID, meetings.CommitteeInput{Name: ag.committee.Name, ProxyAllowed: false})
		must(t, err)
		_, err = w.svc.Delegate(ctx, ag.carol, meetings.DelegationInput{ToMembershipID: ag.bob.MembershipID, PollID: p2.ID})
		wantDetail(t, err, errs.Forbidden, "Stimmrechtsübertragung", "delegation not allowed")
		_, err = w.svc.Cast(ctx, ag.bob, p2.ID, ag.chair.MembershipID, meetings.Vote{Choice: meetings.Yes})
		wantCode(t, err, errs.Forbidden, "proxy under rules without delegation")
		must(t, w.cast(ag.chair, p2.ID, meetings.Yes))

		// After the close nothing is accepted; receipts match the count.
		_, err = w.svc.ClosePoll(ctx, ag.alice, p.ID)
		wantCode(t, err, errs.Forbidden, "member closes")
		_, err = w.svc.ClosePoll(ctx, ag.chair, p.ID)
		must(t, err)
		_, err = w.svc.SetAttendance(ctx, ag.secretary, m.ID, ag.alice.MembershipID, meetings.Present)
		must(t, err)
		wantDetail(t, w.cast(ag.alice, p.ID, meetings.Yes), errs.Conflict, notOpen, "ballot after close")
		wantDetail(t, w.cast(ag.carol, p.ID, meetings.Yes), errs.Conflict, notOpen, "ballot after close, never voted")
		_, err = w.svc.ClosePoll(ctx, ag.chair, p2.ID)
		must(t, err)
		wantDetail(t, w.cast(ag.alice, p2.ID, meetings.Yes), errs.Conflict, notOpen, "ballot after close, p2")
		if n := w.count(t, ag.tenant.ID, "poll_receipts", "poll_id = ?", p.ID); n != 3 {
			t.Fatalf("receipts of p: %d", n)
		}
		res, err := w.svc.Result(ctx, ag.chair, p.ID)
		must(t, err)
		if res.Ballots != 3 || res.Yes != 2 || res.No != 1 || !res.Passed {
			t.Fatalf("result of p: %+v", res)
		}
	})
}

func TestPollStateMachine(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		ag := w.a
		now := w.clock.Now()
		m, err := w.svc.CreateMeeting(ctx, ag.chair, ag.committee.ID, meetings.MeetingInput{Title: "S", StartsAt: now, EndsAt: now.Add(time.Hour)})
		must(t, err)
		it, err := w.svc.AddAgendaItem(ctx, ag.chair, m.ID, meetings.AgendaItemInput{Title: "TOP"})
		must(t, err)
		for _, in := range []meetings.PollInput{
			{Title: "x", Kind: meetings.Named, Method: meetings.YesNoAbstain},
			{AgendaItemID: it.ID, CommitteeID: ag.committee.ID, Title: "x", Kind: meetings.Named, Method: meetings.YesNoAbstain},
			{AgendaItemID: it.ID, Title: "x", Kind: "open", Method: meetings.YesNoAbstain},
			{AgendaItemID: it.ID, Title: "x", Kind: meetings.Named, Method: "ranked"},
			{AgendaItemID: it.ID, Title: "x", Kind: meetings.Named, Method: meetings.Choice, Options: []string{"A"}},
			{AgendaItemID: it.ID, Title: "x", Kind: meetings.Named, Method: meetings.Choice, Options: []string{"A", "B"}, Seats: 3},
			{AgendaItemID: it.ID, Title: "x", Kind: meetings.Named, Method: meetings.YesNoAbstain, Options: []string{"A", "B"}},
			{AgendaItemID: it.ID, Title: "x", Kind: meetings.Named, Method: meetings.YesNoAbstain, Deadline: now.Add(time.Hour)},
			{CommitteeID: ag.committee.ID, Title: "x", Kind: meetings.Named, Method: meetings.YesNoAbstain, Deadline: now},
			{AgendaItemID: it.ID, Title: "x", Kind: meetings.Named, Method: meetings.YesNoAbstain, Rule: &meetings.Rule{Majority: meetings.Custom, Fraction: meetings.Fraction{Num: 2, Den: 1}}},
		} {
			_, err := w.svc.CreatePoll(ctx, ag.chair, in)
			wantCode(t, err, errs.Invalid, "bad poll")
		}
		_, err = w.svc.CreatePoll(ctx, ag.alice, meetings.PollInput{AgendaItemID: it.ID, Title: "x", Kind: meetings.Named, Method: meetings.YesNoAbstain})
		wantCode(t, err, errs.Forbidden, "member creates a poll")
		// Named: a secret poll closed without 3 ballots is never published
		// (TestSecretPollNeedsThreeBallots).
		p, err := w.svc.CreatePoll(ctx, ag.chair, meetings.PollInput{AgendaItemID: it.ID, Title: "Wahl", Kind: meetings.Named,
			Method: meetings.Choice, Options: []string{"Ahrens", "Berger", "Cetin"}, Seats: 2})
		must(t, err)
		if p.State != meetings.PollDraft || len(p.Options) != 3 || p.Seats != 2 || p.Rule != ag.committee.DefaultRule {
			t.Fatalf("draft: %+v", p)
		}
		wantCode(t, w.cast(ag.alice, p.ID, meetings.Abstain), errs.Conflict, "cast in a draft")
		for _, call := range []func() error{
			func() error { _, err := w.svc.ClosePoll(ctx, ag.chair, p.ID); return err },
			func() error { _, err := w.svc.PublishPoll(ctx, ag.chair, p.ID); return err },
			func() error { _, err := w.svc.OpenPoll(ctx, ag.chair, p.ID); return err }, // meeting not in session
		} {
			wantCode(t, call(), errs.Conflict, "draft transition")
		}
		for _, to := range []meetings.MeetingState{meetings.Invited, meetings.InSession} {
			_, err := w.svc.AdvanceMeeting(ctx, ag.chair, m.ID, to)
			must(t, err)
		}
		_, err = w.svc.OpenPoll(ctx, ag.chair, p.ID)
		must(t, err)
		for _, call := range []func() error{
			func() error { _, err := w.svc.OpenPoll(ctx, ag.chair, p.ID); return err },
			func() error { _, err := w.svc.PublishPoll(ctx, ag.chair, p.ID); return err },
			func() error { _, err := w.svc.Result(ctx, ag.chair, p.ID); return err },
		} {
			wantCode(t, call(), errs.Conflict, "open transition")
		}
		_, err = w.svc.ClosePoll(ctx, ag.chair, p.ID)
		must(t, err)
		for _, call := range []func() error{
			func() error { _, err := w.svc.OpenPoll(ctx, ag.chair, p.ID); return err },
			func() error { _, err := w.svc.ClosePoll(ctx, ag.chair, p.ID); return err },
		} {
			wantCode(t, call(), errs.Conflict, "closed transition")
		}
		_, err = w.svc.PublishPoll(ctx, ag.alice, p.ID)
		wantCode(t, err, errs.Forbidden, "member publishes")
		pub, err := w.svc.PublishPoll(ctx, ag.chair, p.ID)
		must(t, err)
		if pub.State != meetings.PollPublished || pub.PublishedAt == nil || pub.ClosedBy == nil || *pub.ClosedBy != ag.chair.MembershipID {
			t.Fatalf("published: %+v", pub)
		}
		for _, call := range []func() error{
			func() error { _, err := w.svc.OpenPoll(ctx, ag.chair, p.ID); return err },
			func() error { _, err := w.svc.ClosePoll(ctx, ag.chair, p.ID); return err },
			func() error { _, err := w.svc.PublishPoll(ctx, ag.chair, p.ID); return err },
		} {
			wantCode(t, call(), errs.Conflict, "published transition")
		}
		if n := w.count(t, ag.tenant.ID, "poll_results", "poll_id = ?", p.ID); n != 1 {
			t.Fatalf("results: %d", n)
		}
	})
}

// Results through the database: weights, bases, quorum, visibility before
// and after publication, named votes, and a secret election tied at the cut.
func TestResults(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		ag := w.a
		_, it := w.session(t, ag, ag.chair, ag.alice, ag.carol)
		rule := &meetings.Rule{Majority: meetings.Absolute, Base: meetings.BasePresent}
		p := w.openPoll(t, ag, it.ID, meetings.Named, rule)
		must(t, w.cast(ag.carol, p.ID, meetings.Yes))
		must(t, w.cast(ag.alice, p.ID, meetings.No))
		got, err := w.svc.GetPoll(ctx, ag.bob, p.ID)
		must(t, err)
		if got.Ballots != 2 || got.State != meetings.PollOpen {
			t.Fatalf("open poll: %+v", got)
		}
		_, err = w.svc.Result(ctx, ag.chair, p.ID)
		wantCode(t, err, errs.Conflict, "interim result")
		_, err = w.svc.NamedVotes(ctx, ag.chair, p.ID)
		wantCode(t, err, errs.Conflict, "interim named votes")
		must(t, w.cast(ag.chair, p.ID, meetings.Abstain))
		_, err = w.svc.ClosePoll(ctx, ag.secretary, p.ID)
		must(t, err)

		// Before publication only the managers see the outcome.
		_, err = w.svc.Result(ctx, ag.alice, p.ID)
		wantCode(t, err, errs.Forbidden, "member reads an unpublished result")
		_, err = w.svc.NamedVotes(ctx, ag.alice, p.ID)
		wantCode(t, err, errs.Forbidden, "member reads unpublished votes")
		res, err := w.svc.Result(ctx, ag.chair, p.ID)
		must(t, err)
		// carol weighs 3: yes 3, no 1, abstain 1; present chair+alice+carol = 5
		// of 6 (bob absent); 3 > 5/2, and the quorum (5 > 6/2) held.
		if res.Ballots != 3 || res.Yes != 3 || res.No != 1 || res.Abstain != 1 || res.CastWeight != 5 ||
			res.BaseWeight != 5 || res.PresentWeight != 5 || res.MembersWeight != 6 || !res.Passed ||
			res.QuorumReached == nil || !*res.QuorumReached || res.Rule != *rule {
			t.Fatalf("result: %+v", res)
		}
		_, err = w.svc.PublishPoll(ctx, ag.chair, p.ID)
		must(t, err)
		res2, err := w.svc.Result(ctx, ag.bob, p.ID)
		must(t, err)
		if res2.Passed != res.Passed || res2.Yes != res.Yes || !res2.ComputedAt.Equal(res.ComputedAt) {
			t.Fatalf("published result: %+v", res2)
		}
		votes, err := w.svc.NamedVotes(ctx, ag.adv, p.ID)
		must(t, err)
		byVoter := map[uuid.UUID]meetings.NamedVote{}
		for _, v := range votes {
			byVoter[v.VoterMembershipID] = v
		}
		if len(votes) != 3 || byVoter[ag.carol.MembershipID].Choice != meetings.Yes || byVoter[ag.carol.MembershipID].Weight != 3 ||
			byVoter[ag.alice.MembershipID].Choice != meetings.No || byVoter[ag.chair.MembershipID].Choice != meetings.Abstain {
			t.Fatalf("named votes: %+v", votes)
		}

		// A secret election for two seats: A 3 (one vote per person, carol's
		// weight of 3 counts once), B 1, C 1: A is elected, B and C tie for
		// the second seat.
		e, err := w.svc.CreatePoll(ctx, ag.chair, meetings.PollInput{AgendaItemID: it.ID, Title: "Wahl der Schriftführung", Kind: meetings.Secret,
			Method: meetings.Choice, Options: []string{"A", "B", "C"}, Seats: 2})
		must(t, err)
		e, err = w.svc.OpenPoll(ctx, ag.chair, e.ID)
		must(t, err)
		A, B, C := e.Options[0].ID, e.Options[1].ID, e.Options[2].ID
		_, err = w.svc.Cast(ctx, ag.chair, e.ID, uuid.Nil, meetings.Vote{OptionIDs: []uuid.UUID{A, B, C}})
		wantCode(t, err, errs.Invalid, "more options than seats")
		_, err = w.svc.Cast(ctx, ag.chair, e.ID, uuid.Nil, meetings.Vote{OptionIDs: []uuid.UUID{A, A}})
		wantCode(t, err, errs.Invalid, "an option twice")
		_, err = w.svc.Cast(ctx, ag.chair, e.ID, uuid.Nil, meetings.Vote{OptionIDs: []uuid.UUID{e.ID}})
		wantCode(t, err, errs.Invalid, "a foreign option")
		for voter, opts := range map[tenant.Actor][]uuid.UUID{ag.chair: {B, A}, ag.alice: {A, C}, ag.carol: {A}} {
			_, err := w.svc.Cast(ctx, voter, e.ID, uuid.Nil, meetings.Vote{OptionIDs: opts})
			must(t, err)
		}
		_, err = w.svc.ClosePoll(ctx, ag.chair, e.ID)
		must(t, err)
		er, err := w.svc.Result(ctx, ag.chair, e.ID)
		must(t, err)
		wantVotes := []meetings.OptionVotes{{OptionID: A, Votes: 3}, {OptionID: B, Votes: 1}, {OptionID: C, Votes: 1}}
		if !slices.Equal(er.OptionVotes, wantVotes) || !slices.Equal(er.Elected, []uuid.UUID{A}) || !er.TieAtCut || er.Passed || er.Ballots != 3 {
			t.Fatalf("election: %+v", er)
		}
		_, err = w.svc.NamedVotes(ctx, ag.chair, e.ID)
		wantCode(t, err, errs.Conflict, "named votes of a secret poll")

		// The audit log records receipts only: no choice, no option.
		var evs []audit.Event
		must(t, d.Tenant(ctx, ag.tenant.ID, func(tx *db.Tx) error {
			return tx.Table(audit.Table).Where("action = ? AND target_id = ?", meetings.ActionBallotCast, e.ID.String()).Scan(&evs).Error
		}))
		if len(evs) != 3 {
			t.Fatalf("ballot audit events: %d", len(evs))
		}
		for _, ev := range evs {
			var details map[string]string
			must(t, json.Unmarshal([]byte(ev.Details), &details))
			if len(details) != 1 || details["voter_membership_id"] == "" {
				t.Fatalf("secret ballot audit details: %s", ev.Details)
			}
			for _, id := range []uuid.UUID{A, B, C} {
				if strings.Contains(ev.Details, id.String()) {
					t.Fatalf("audit names an option: %s", ev.Details)
				}
			}
		}
	})
}

// The receipts, ballots and results never change nor go away: PostgreSQL
// grants the serving role neither UPDATE nor DELETE on them, SQLite
// triggers refuse both. On PostgreSQL the serving role cannot read a
// secret ballot's system columns either (xmin would link it to its
// receipt, written in the same transaction; ctid to the order of votes).
func TestVotingRecordsAreImmutable(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		ag := w.a
		named := w.written(t, ag, meetings.Named, time.Hour)
		secret := w.written(t, ag, meetings.Secret, time.Hour)
		for _, p := range []*meetings.Poll{named, secret} {
			must(t, w.cast(ag.alice, p.ID, meetings.Yes))
			_, err := w.svc.ClosePoll(ctx, ag.chair, p.ID)
			must(t, err)
		}
		for _, q := range []string{
			"UPDATE poll_results SET passed = NOT passed WHERE tenant_id = ?",
			"UPDATE poll_receipts SET cast_at = cast_at WHERE tenant_id = ?",
			"UPDATE poll_votes SET choice = 'no' WHERE tenant_id = ?",
			"UPDATE secret_ballots SET choice = 'no' WHERE tenant_id = ?",
			"DELETE FROM poll_results WHERE tenant_id = ?",
			"DELETE FROM poll_receipts WHERE tenant_id = ?",
			"DELETE FROM poll_votes WHERE tenant_id = ?",
			"DELETE FROM secret_ballots WHERE tenant_id = ?",
		} {
			err := d.Tenant(ctx, ag.tenant.ID, func(tx *db.Tx) error { return tx.Unscoped().Exec(q, ag.tenant.ID).Error })
			if err == nil {
				t.Fatalf("%s: allowed", q)
			}
		}
		if d.Dialect() == db.Postgres {
			for _, q := range []string{"SELECT xmin::text FROM secret_ballots", "SELECT ctid::text FROM secret_ballots"} {
				err := d.Tenant(ctx, ag.tenant.ID, func(tx *db.Tx) error {
					var v []string
					return tx.Unscoped().Raw(q).Scan(&v).Error
				})
				if err == nil {
					t.Fatalf("%s: allowed", q)
				}
			}
			var n int64
			must(t, d.Tenant(ctx, ag.tenant.ID, func(tx *db.Tx) error {
				return tx.Unscoped().Raw("SELECT count(*) FROM poll_receipts r WHERE r.xmin::text <> ''").Scan(&n).Error
			}))
			if n != 2 {
				t.Fatalf("receipts readable with their system columns: %d, want 2", n)
			}
		}
		res, err := w.svc.Result(ctx, ag.chair, named.ID)
		must(t, err)
		if !res.Passed || res.Yes != 1 {
			t.Fatalf("result changed: %+v", res)
		}
	})
}

// TestPollTellsWhetherTheCallerVoted: a poll read shows its reader whether
// their own ballot is in, never how, and nothing about others.
func TestPollTellsWhetherTheCallerVoted(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		ag := w.a
		p := w.written(t, ag, meetings.Secret, time.Hour)
		must(t, w.cast(ag.alice, p.ID, meetings.No))
		for _, c := range []struct {
			who  tenant.Actor
			want bool
		}{{ag.alice, true}, {ag.bob, false}, {ag.chair, false}} {
			got, err := w.svc.GetPoll(ctx, c.who, p.ID)
			must(t, err)
			if got.Voted != c.want || got.Ballots != 1 {
				t.Fatalf("voted %v, ballots %d; want %v, 1", got.Voted, got.Ballots, c.want)
			}
		}
		polls, err := w.svc.ListPolls(ctx, ag.alice, ag.committee.ID)
		must(t, err)
		if len(polls) != 1 || !polls[0].Voted {
			t.Fatalf("list: %+v", polls)
		}
	})
}

// ListDelegations: the caller's standing delegations of a meeting or poll
// (managers see all), and for a poll the ballots the caller casts as proxy.
func TestListDelegations(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		ag := w.a
		m, it := w.session(t, ag, ag.chair, ag.alice, ag.carol, ag.secretary)
		p := w.openPoll(t, ag, it.ID, meetings.Named, nil)
		bob, err := w.svc.Delegate(ctx, ag.bob, meetings.DelegationInput{ToMembershipID: ag.alice.MembershipID, MeetingID: m.ID})
		must(t, err)
		carol, err := w.svc.Delegate(ctx, ag.carol, meetings.DelegationInput{ToMembershipID: ag.chair.MembershipID, PollID: p.ID})
		must(t, err)
		ids := func(ds *meetings.Delegations) []uuid.UUID {
			out := []uuid.UUID{}
			for _, d := range ds.Delegations {
				out = append(out, d.ID)
			}
			return out
		}
		list := func(a tenant.Actor, meetingID, pollID uuid.UUID) *meetings.Delegations {
			t.Helper()
			ds, err := w.svc.ListDelegations(ctx, a, meetingID, pollID)
			must(t, err)
			return ds
		}
		for _, c := range []struct {
			name string
			a    tenant.Actor
			want []uuid.UUID
		}{
			{"delegator", ag.bob, []uuid.UUID{bob.ID}},
			{"proxy", ag.alice, []uuid.UUID{bob.ID}},
			{"poll delegator", ag.carol, []uuid.UUID{carol.ID}},
			{"manager", ag.secretary, []uuid.UUID{bob.ID, carol.ID}},
			{"uninvolved member", ag.adv, []uuid.UUID{}},
		} {
			for _, ds := range []*meetings.Delegations{list(c.a, m.ID, uuid.Nil), list(c.a, uuid.Nil, p.ID)} {
				if got := ids(ds); !slices.Equal(got, c.want) {
					t.Errorf("%s: %v, want %v", c.name, got, c.want)
				}
			}
		}
		ds := list(ag.alice, uuid.Nil, p.ID)
		if d := ds.Delegations[0]; d.FromMembershipID != ag.bob.MembershipID || d.ToMembershipID != ag.alice.MembershipID || d.MeetingID == nil || *d.MeetingID != m.ID {
			t.Fatalf("delegation: %+v", d)
		}
		if want := []meetings.ProxyBallot{{MembershipID: ag.bob.MembershipID}}; !slices.Equal(ds.ProxyFor, want) {
			t.Fatalf("alice's proxy ballots: %+v", ds.ProxyFor)
		}
		if len(list(ag.alice, m.ID, uuid.Nil).ProxyFor) != 0 || len(list(ag.bob, uuid.Nil, p.ID).ProxyFor) != 0 {
			t.Fatal("proxy ballots for a meeting or a delegator")
		}
		_, err = w.svc.Cast(ctx, ag.alice, p.ID, ag.bob.MembershipID, meetings.Vote{Choice: meetings.Yes})
		must(t, err)
		if want := []meetings.ProxyBallot{{MembershipID: ag.bob.MembershipID, Voted: true}}; !slices.Equal(list(ag.alice, uuid.Nil, p.ID).ProxyFor, want) {
			t.Fatal("bob's ballot is in")
		}
		if want := []meetings.ProxyBallot{{MembershipID: ag.carol.MembershipID}}; !slices.Equal(list(ag.chair, uuid.Nil, p.ID).ProxyFor, want) {
			t.Fatal("chair's proxy ballots")
		}
		must(t, w.svc.RevokeDelegation(ctx, ag.bob, bob.ID))
		if got := ids(list(ag.alice, m.ID, uuid.Nil)); len(got) != 0 {
			t.Fatalf("revoked delegation listed: %v", got)
		}
		_, err = w.svc.ListDelegations(ctx, ag.outsider, m.ID, uuid.Nil)
		wantCode(t, err, errs.NotFound, "outsider")
		_, err = w.svc.ListDelegations(ctx, ag.alice, uuid.Nil, uuid.Nil)
		wantCode(t, err, errs.Invalid, "neither meeting nor poll")
	})
}
