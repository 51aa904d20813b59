package api_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/kollab/kollab/internal/db"
	"github.com/kollab/kollab/internal/db/dbtest"
	"github.com/kollab/kollab/meetings"
	"github.com/kollab/kollab/tenant"
)

type committeeJSON struct {
	ID          string `json:"id"`
	Name        string `json:"name"`
	Description string `json:"description"`
	Quorum      struct {
		Num, Den  int
		Inclusive bool
	} `json:"quorum"`
	DefaultRule struct {
		Majority string `json:"majority"`
		Base     string `json:"base"`
	} `json:"default_rule"`
	ProxyAllowed bool   `json:"proxy_allowed"`
	MyRole       string `json:"my_role"`
	CanManage    bool   `json:"can_manage"`
}

type meetingJSON struct {
	ID        string    `json:"id"`
	Title     string    `json:"title"`
	Place     string    `json:"place"`
	State     string    `json:"state"`
	StartsAt  time.Time `json:"starts_at"`
	InvitedAt *string   `json:"invited_at"`
}

type itemJSON struct {
	ID       string `json:"id"`
	Number   int    `json:"number"`
	Position int    `json:"position"`
	Title    string `json:"title"`
	State    string `json:"state"`
	Public   bool   `json:"public"`
}

type agendaJSON struct {
	Items []itemJSON `json:"items"`
}

func (a agendaJSON) String() string {
	var parts []string
	for _, it := range a.Items {
		parts = append(parts, fmt.Sprintf("%d:%s:%s", it.Number, it.Title, it.State))
	}
	return strings.Join(parts, ",")
}

type papersJSON struct {
	Papers []struct {
		DocumentID string  `json:"document_id"`
		RevisionID *string `json:"revision_id"`
		FrozenAt   *string `json:"frozen_at"`
	} `json:"papers"`
}

type pollJSON struct {
	ID      string `json:"id"`
	State   string `json:"state"`
	Kind    string `json:"kind"`
	Written bool   `json:"written"`
	Ballots int    `json:"ballots"`
	Seats   int    `json:"seats"`
	Options []struct {
		ID    string `json:"id"`
		Label string `json:"label"`
	} `json:"options"`
	Rule struct {
		Majority string `json:"majority"`
		Base     string `json:"base"`
	} `json:"rule"`
}

type receiptJSON struct {
	ID     string `json:"id"`
	PollID string `json:"poll_id"`
	Voter  string `json:"voter_membership_id"`
	CastBy string `json:"cast_by_membership_id"`
}

type resultJSON struct {
	Ballots       int      `json:"ballots"`
	Yes           int64    `json:"yes"`
	No            int64    `json:"no"`
	Abstain       int64    `json:"abstain"`
	Passed        bool     `json:"passed"`
	QuorumReached *bool    `json:"quorum_reached"`
	Elected       []string `json:"elected"`
	OptionVotes   []struct {
		OptionID string `json:"option_id"`
		Votes    int64  `json:"votes"`
	} `json:"option_votes"`
}

type namedVotesJSON struct {
	Votes []struct {
		Voter  string `json:"voter_membership_id"`
		CastBy string `json:"cast_by_membership_id"`
		Choice string `json:"choice"`
		Weight int    `json:"weight"`
	} `json:"votes"`
}

type quorumJSON struct {
	Members       int   `json:"members"`
	MembersWeight int64 `json:"members_weight"`
	Present       int   `json:"present"`
	PresentWeight int64 `json:"present_weight"`
	Excluded      int   `json:"excluded"`
	Reached       bool  `json:"reached"`
}

// person adds a signed-in member with the given tenant role to the seeded
// tenant and returns the client and the membership id.
func (e *env) person(s *seeded, name string, role tenant.Role) (*client, string) {
	e.t.Helper()
	ctx := e.t.Context()
	email := name + "@" + s.tenant.Slug + ".example"
	u, err := e.tenants.CreateUser(ctx, email, name, testPassword)
	if err != nil {
		e.t.Fatal(err)
	}
	m, err := e.tenants.AddMember(ctx, s.tenant.ID, u.ID, role)
	if err != nil {
		e.t.Fatal(err)
	}
	c := e.client()
	c.login(email, testPassword, "")
	return c, m.ID.String()
}

// adminActor is the seeded tenant's admin as the services know them.
func (e *env) adminActor(s *seeded) tenant.Actor {
	e.t.Helper()
	page, err := e.tenants.ListMembers(e.t.Context(), tenant.Operator(s.tenant.ID), tenant.MemberFilter{})
	if err != nil {
		e.t.Fatal(err)
	}
	for _, m := range page.Members {
		if m.Email == s.email {
			return tenant.Actor{TenantID: s.tenant.ID, MembershipID: m.ID, UserID: m.UserID, Role: m.Role}
		}
	}
	e.t.Fatal("no admin")
	return tenant.Actor{}
}

// countRows counts a tenant's rows of a table matching where.
// Secret ballots, which the serving role may not read, are counted as the
// schema owner.
func (e *env) countRows(tenantID uuid.UUID, table, where string, args ...any) int64 {
	e.t.Helper()
	var n int64
	d := e.db
	if table == "secret_ballots" {
		d = dbtest.Owner(e.t, e.db)
	}
	if err := d.Tenant(e.t.Context(), tenantID, func(tx *db.Tx) error {
		q := tx.Table(table)
		if where != "" {
			q = q.Where(where, args...)
		}
		return q.Count(&n).Error
	}); err != nil {
		e.t.Fatal(err)
	}
	return n
}

// A secret poll with fewer than 3 ballots over HTTP: closed, it says so
// (too_few_ballots, can_annul) and has no result; publishing it answers
// 409 "zu wenige Stimmen für eine geheime Auswertung"; the chair annuls it
// with a reason, which bad input does not (422, nothing written), nor a
// member (403). The result stays refused, and the poll reads as annulled.
func TestSecretPollWithTooFewBallotsOverHTTP(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		s := e.seedTenant("amt")
		admin := s.admin
		const base = "/api/v1/t/amt"
		chair, chairID := e.person(s, "chair", tenant.RoleStaff)
		alice, aliceID := e.person(s, "alice", tenant.RoleCommittee)
		c := decode[committeeJSON](t, admin.must(201, "POST", base+"/committees", map[string]any{"name": "Rat"}))
		admin.must(200, "PUT", base+"/committees/"+c.ID+"/members/"+chairID, map[string]any{"role": "chair", "voting": true})
		admin.must(200, "PUT", base+"/committees/"+c.ID+"/members/"+aliceID, map[string]any{"role": "member", "voting": true, "weight": 7})
		p := decode[pollJSON](t, chair.must(201, "POST", base+"/polls", map[string]any{"committee_id": c.ID, "title": "Personalsache",
			"kind": "secret", "method": "yes_no_abstain", "deadline": time.Now().Add(24 * time.Hour)}))
		pbase := base + "/polls/" + p.ID
		chair.must(200, "POST", pbase+"/open", map[string]string{})
		alice.must(201, "POST", pbase+"/ballots", map[string]any{"choice": "yes"})
		chair.must(201, "POST", pbase+"/ballots", map[string]any{"choice": "no"})
		var closed struct {
			State         string `json:"state"`
			Ballots       int    `json:"ballots"`
			TooFewBallots bool   `json:"too_few_ballots"`
			CanAnnul      bool   `json:"can_annul"`
			AnnulReason   string `json:"annul_reason"`
			AnnulledBy    string `json:"annulled_by"`
		}
		chair.must(200, "POST", pbase+"/close", map[string]string{}).json(t, &closed)
		if closed.State != "closed" || closed.Ballots != 2 || !closed.TooFewBallots || !closed.CanAnnul {
			t.Fatalf("closed: %+v", closed)
		}
		r := chair.do("POST", pbase+"/publish", map[string]string{})
		wantCode(t, r, 409, "conflict")
		if !strings.Contains(string(r.body), "Zu wenige Stimmen für eine geheime Auswertung") {
			t.Fatalf("publish refused with: %s", r.body)
		}
		wantCode(t, chair.do("GET", pbase+"/result", nil), 409, "conflict")
		if n := e.countRows(s.tenant.ID, "poll_results", ""); n != 0 {
			t.Fatalf("%d results stored", n)
		}

		audits := e.countRows(s.tenant.ID, "audit_events", "action = ?", meetings.ActionPollAnnulled)
		for _, tc := range []struct {
			who    *client
			body   any
			status int
			code   string
		}{
			{chair, `{"reason": `, 400, "invalid-input"},
			{chair, map[string]any{}, 422, "invalid-input"},
			{chair, map[string]any{"reason": " "}, 422, "invalid-input"},
			{chair, map[string]any{"reason": strings.Repeat("x", 2001)}, 422, "invalid-input"},
			{chair, map[string]any{"reason": 5}, 422, "invalid-input"},
			{alice, map[string]any{"reason": "Ich will nicht"}, 403, "forbidden"},
		} {
			r := tc.who.do("POST", pbase+"/annul", tc.body)
			wantCode(t, r, tc.status, tc.code)
			if strings.Contains(string(r.body), "Ich will nicht") {
				t.Fatalf("the problem echoes the request: %s", r.body)
			}
		}
		if got := decode[pollJSON](t, alice.must(200, "GET", pbase, nil)); got.State != "closed" ||
			e.countRows(s.tenant.ID, "audit_events", "action = ?", meetings.ActionPollAnnulled) != audits {
			t.Fatalf("a refused annulment changed something: %+v", got)
		}
		chair.must(200, "POST", pbase+"/annul", map[string]string{"reason": "Zu wenige Stimmen; Wiederholung"}).json(t, &closed)
		if closed.State != "annulled" || closed.AnnulReason != "Zu wenige Stimmen; Wiederholung" || closed.AnnulledBy != chairID || closed.CanAnnul {
			t.Fatalf("annulled: %+v", closed)
		}
		alice.must(200, "GET", pbase, nil).json(t, &closed)
		if closed.State != "annulled" || closed.AnnulReason != "Zu wenige Stimmen; Wiederholung" {
			t.Fatalf("annulled, as a member sees it: %+v", closed)
		}
		wantCode(t, alice.do("GET", pbase+"/result", nil), 409, "conflict")
		wantCode(t, chair.do("POST", pbase+"/publish", map[string]string{}), 409, "conflict")
		wantCode(t, chair.do("POST", pbase+"/annul", map[string]string{"reason": "nochmals"}), 409, "conflict")
		if n := e.countRows(s.tenant.ID, "secret_ballots", "weight <> 1"); n != 0 {
			t.Fatalf("%d secret ballots carry a weight", n)
		}
	})
}

// Bad input answers a 4xx problem and writes nothing.
func TestCommitteeBadInput(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		s := e.seedTenant("amt")
		admin := s.admin
		const base = "/api/v1/t/amt"
		_, aliceID := e.person(s, "alice", tenant.RoleCommittee)
		c := decode[committeeJSON](t, admin.must(201, "POST", base+"/committees", map[string]any{"name": "Rat"}))
		admin.must(200, "PUT", base+"/committees/"+c.ID+"/members/"+aliceID, map[string]any{"role": "member", "voting": true})
		start := time.Now().UTC().Add(time.Hour)
		m := decode[meetingJSON](t, admin.must(201, "POST", base+"/committees/"+c.ID+"/meetings", map[string]any{"title": "Sitzung",
			"starts_at": start, "ends_at": start.Add(time.Hour)}))
		item := decode[itemJSON](t, admin.must(201, "POST", base+"/meetings/"+m.ID+"/agenda", map[string]any{"title": "Haushalt"}))
		poll := decode[pollJSON](t, admin.must(201, "POST", base+"/polls", map[string]any{"agenda_item_id": item.ID, "title": "Beschluss",
			"kind": "named", "method": "yes_no_abstain"}))
		tables := []string{"committees", "committee_members", "meetings", "agenda_items", "meeting_papers", "meeting_attendance", "agenda_posts",
			"conflict_declarations", "polls", "poll_options", "delegations", "poll_receipts", "poll_votes", "secret_ballots", "poll_results",
			"meeting_invitees", "mail_outbox"}
		before := map[string]int64{}
		for _, tb := range tables {
			before[tb] = e.countRows(s.tenant.ID, tb, "")
		}
		audits := e.countRows(s.tenant.ID, "audit_events", "action LIKE ?", "committees.%")
		cbase, mbase := base+"/committees/"+c.ID, base+"/meetings/"+m.ID
		for _, tc := range []struct {
			method, path string
			body         any
			status       int
			field        string
		}{
			{"POST", base + "/committees", `{"name": `, 400, ""},
			{"POST", base + "/committees", map[string]any{"name": 5}, 422, "name"},
			{"POST", base + "/committees", map[string]any{"name": " "}, 422, "name"},
			{"POST", base + "/committees", map[string]any{"name": strings.Repeat("x", 201)}, 422, "name"},
			{"POST", base + "/committees", map[string]any{"name": "Neu", "quorum": map[string]int{"num": 3, "den": 2}}, 422, "quorum"},
			{"POST", base + "/committees", map[string]any{"name": "Neu", "quorum": map[string]int{"num": 0, "den": 2}}, 422, "quorum.num"},
			{"POST", base + "/committees", map[string]any{"name": "Neu", "default_rule": map[string]string{"majority": "custom"}}, 422, "fraction"},
			{"POST", base + "/committees", map[string]any{"name": "Neu", "default_rule": map[string]string{"majority": "most"}}, 422, "default_rule.majority"},
			{"PATCH", cbase, map[string]any{"name": ""}, 422, "name"},
			{"GET", base + "/committees/keine-uuid", nil, 404, ""},
			{"PUT", cbase + "/members/" + aliceID, map[string]any{"role": "boss", "voting": true}, 422, "role"},
			{"PUT", cbase + "/members/" + aliceID, map[string]any{"role": "member", "voting": true, "weight": 1001}, 422, "weight"},
			{"PUT", cbase + "/members/" + aliceID, map[string]any{"role": "member", "voting": true, "term_start": start, "term_end": start}, 422, "term_end"},
			{"PUT", cbase + "/members/" + uuid.NewString(), map[string]any{"role": "member", "voting": true}, 422, "membership_id"},
			{"POST", cbase + "/meetings", map[string]any{"title": "X", "starts_at": start, "ends_at": start}, 422, "ends_at"},
			{"POST", cbase + "/meetings", map[string]any{"title": "X", "starts_at": "morgen", "ends_at": start}, 422, "starts_at"},
			{"POST", cbase + "/meetings", map[string]any{"title": "X", "starts_at": start, "ends_at": start.Add(time.Hour), "online_url": "javascript:alert(1)"}, 422, "online_url"},
			{"PATCH", mbase, map[string]any{"ends_at": start.Add(-time.Hour)}, 422, "ends_at"},
			{"POST", mbase + "/transitions", map[string]string{"to": "open"}, 422, "to"},
			{"POST", mbase + "/transitions", map[string]string{"to": "closed"}, 409, ""},
			{"POST", mbase + "/agenda", map[string]any{"title": ""}, 422, "title"},
			{"PUT", mbase + "/agenda/order", map[string]any{"order": []string{item.ID, item.ID}}, 422, "order"},
			{"PUT", mbase + "/agenda/order", map[string]any{"order": []string{"x"}}, 422, ""},
			{"POST", base + "/agenda-items/" + item.ID + "/decision", map[string]string{"decision": "maybe"}, 422, "decision"},
			{"POST", base + "/agenda-items/" + item.ID + "/papers", map[string]string{"document_id": uuid.NewString()}, 404, ""},
			{"POST", base + "/agenda-items/" + item.ID + "/posts", map[string]string{"body": strings.Repeat("x", 10001)}, 422, "body"},
			{"POST", base + "/agenda-items/" + item.ID + "/conflicts", map[string]string{"reason": "x", "membership_id": uuid.NewString()}, 422, "membership_id"},
			{"PUT", mbase + "/attendance/" + aliceID, map[string]string{"status": "present"}, 409, ""},
			{"PUT", mbase + "/attendance/" + aliceID, map[string]string{"status": "here"}, 422, "status"},
			{"GET", mbase + "/quorum?item=x", nil, 422, ""},
			{"GET", mbase + "/quorum?item=" + uuid.NewString(), nil, 404, ""},
			{"POST", base + "/delegations", map[string]any{"to_membership_id": aliceID}, 422, "meeting_id"},
			{"POST", base + "/delegations", map[string]any{"to_membership_id": aliceID, "meeting_id": m.ID}, 403, ""},
			{"POST", base + "/polls", map[string]any{"title": "X", "kind": "named", "method": "yes_no_abstain"}, 422, "agenda_item_id"},
			{"POST", base + "/polls", map[string]any{"agenda_item_id": item.ID, "title": "X", "kind": "public", "method": "yes_no_abstain"}, 422, "kind"},
			{"POST", base + "/polls", map[string]any{"agenda_item_id": item.ID, "title": "X", "kind": "named", "method": "choice", "options": []string{"A"}}, 422, "options"},
			{"POST", base + "/polls", map[string]any{"agenda_item_id": item.ID, "title": "X", "kind": "named", "method": "choice", "options": []string{"A", "B"}, "seats": 3}, 422, "seats"},
			{"POST", base + "/polls", map[string]any{"committee_id": c.ID, "title": "X", "kind": "named", "method": "yes_no_abstain", "deadline": start.Add(-2 * time.Hour)}, 422, "deadline"},
			{"POST", base + "/polls", map[string]any{"agenda_item_id": item.ID, "title": "X", "kind": "named", "method": "yes_no_abstain", "deadline": start}, 422, "deadline"},
			{"POST", base + "/polls/" + poll.ID + "/ballots", map[string]any{"choice": "yes"}, 409, ""},
			{"POST", base + "/polls/" + poll.ID + "/ballots", map[string]any{"option_ids": []string{uuid.NewString()}}, 422, "choice"},
			{"POST", base + "/polls/" + poll.ID + "/open", map[string]string{}, 409, ""},
			{"POST", base + "/polls/" + poll.ID + "/close", map[string]string{}, 409, ""},
			{"GET", base + "/polls/" + poll.ID + "/result", nil, 409, ""},
			{"POST", base + "/polls/" + poll.ID + "/annul", map[string]string{"reason": "Entwurf"}, 409, ""},
			{"POST", mbase + "/cancel", map[string]any{}, 422, ""},
			{"POST", mbase + "/cancel", map[string]any{"reason": " "}, 422, "reason"},
			{"POST", mbase + "/cancel", map[string]any{"reason": strings.Repeat("x", 2001)}, 422, ""},
			{"PUT", mbase + "/current-item", map[string]any{"agenda_item_id": item.ID}, 409, ""},
			{"PUT", mbase + "/current-item", map[string]any{"agenda_item_id": "x"}, 422, ""},
			{"PATCH", base + "/polls/" + poll.ID, map[string]any{"agenda_item_id": uuid.NewString()}, 422, "agenda_item_id"},
			{"PATCH", base + "/polls/" + poll.ID, map[string]any{"title": " "}, 422, "title"},
			{"PATCH", base + "/polls/" + poll.ID, map[string]any{"kind": "public"}, 422, "kind"},
			{"PATCH", base + "/polls/" + poll.ID, map[string]any{"method": "choice"}, 422, "options"},
			{"PATCH", base + "/polls/" + poll.ID, map[string]any{"deadline": start}, 422, "deadline"},
			{"DELETE", base + "/polls/" + uuid.NewString(), nil, 404, ""},
		} {
			r := admin.do(tc.method, tc.path, tc.body)
			if r.status != tc.status || r.header.Get("Content-Type") != "application/problem+json" {
				t.Errorf("%s %s: %d %.300s, want %d", tc.method, tc.path, r.status, r.body, tc.status)
				continue
			}
			var p struct {
				Field string `json:"field"`
			}
			r.json(t, &p)
			if tc.field != "" && p.Field != tc.field {
				t.Errorf("%s %s: field %q, want %q: %.300s", tc.method, tc.path, p.Field, tc.field, r.body)
			}
		}
		for _, tb := range tables {
			if n := e.countRows(s.tenant.ID, tb, ""); n != before[tb] {
				t.Errorf("bad input wrote to %s: %d rows, had %d", tb, n, before[tb])
			}
		}
		if n := e.countRows(s.tenant.ID, "audit_events", "action LIKE ?", "committees.%"); n != audits {
			t.Errorf("bad input wrote %d audit events", n-audits)
		}
		if got := decode[committeeJSON](t, admin.must(200, "GET", cbase, nil)); got.Name != "Rat" || got.Quorum.Num != 1 || got.Quorum.Den != 2 {
			t.Errorf("committee changed: %+v", got)
		}
	})
}

// committeeStore is one tenant's committee objects for the cross-tenant
// matrix: a committee allowing delegation with the admin as chair and a
// voting member, a meeting in session with an accepted item that carries
// a paper, a post and the member's conflict, both present, the member's
// delegation to the admin, an open named poll with the admin's ballot and
// a draft written procedure.
type committeeStore struct {
	admin, voter tenant.Actor
	committee    *meetings.Committee
	meeting      *meetings.Meeting
	item         *meetings.AgendaItem
	poll         *meetings.Poll
	written      *meetings.Poll
	delegation   *meetings.Delegation
}

func committeeObjects(t *testing.T, e *env, tenantID uuid.UUID, admin tenant.Member, ds *docStore) *committeeStore {
	t.Helper()
	ctx, svc := t.Context(), e.comm
	check := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	cs := &committeeStore{admin: tenant.Actor{TenantID: tenantID, MembershipID: admin.ID, UserID: admin.UserID, Role: admin.Role}}
	u, err := e.tenants.CreateUser(ctx, "rat-"+tenantID.String()+"@example.org", "Ratsmitglied", testPassword)
	check(err)
	vm, err := e.tenants.AddMember(ctx, tenantID, u.ID, tenant.RoleCommittee)
	check(err)
	cs.voter = tenant.ActorFromMembership(vm)
	a := cs.admin
	cs.committee, err = svc.CreateCommittee(ctx, a, meetings.CommitteeInput{Name: "Hauptausschuss", ProxyAllowed: true})
	check(err)
	for _, m := range []meetings.MemberInput{{MembershipID: a.MembershipID, Role: meetings.RoleChair, Voting: true},
		{MembershipID: vm.ID, Role: meetings.RoleMember, Voting: true}} {
		_, err = svc.SetMember(ctx, a, cs.committee.ID, m)
		check(err)
	}
	now := time.Now()
	cs.meeting, err = svc.CreateMeeting(ctx, a, cs.committee.ID, meetings.MeetingInput{Title: "Sitzung", StartsAt: now, EndsAt: now.Add(time.Hour)})
	check(err)
	cs.item, err = svc.AddAgendaItem(ctx, a, cs.meeting.ID, meetings.AgendaItemInput{Title: "Haushalt"})
	check(err)
	_, err = svc.AttachPaper(ctx, a, cs.item.ID, ds.doc.ID)
	check(err)
	_, err = svc.AddPost(ctx, cs.voter, cs.item.ID, "Zustimmung")
	check(err)
	_, err = svc.DeclareConflict(ctx, cs.voter, cs.item.ID, vm.ID, "Nachbar")
	check(err)
	cs.delegation, err = svc.Delegate(ctx, cs.voter, meetings.DelegationInput{ToMembershipID: a.MembershipID, MeetingID: cs.meeting.ID})
	check(err)
	for _, to := range []meetings.MeetingState{meetings.Invited, meetings.InSession} {
		_, err = svc.AdvanceMeeting(ctx, a, cs.meeting.ID, to)
		check(err)
	}
	for _, who := range []uuid.UUID{a.MembershipID, vm.ID} {
		_, err = svc.SetAttendance(ctx, a, cs.meeting.ID, who, meetings.Present)
		check(err)
	}
	cs.poll, err = svc.CreatePoll(ctx, a, meetings.PollInput{AgendaItemID: cs.item.ID, Title: "Beschluss", Kind: meetings.Named, Method: meetings.YesNoAbstain})
	check(err)
	cs.poll, err = svc.OpenPoll(ctx, a, cs.poll.ID)
	check(err)
	_, err = svc.Cast(ctx, a, cs.poll.ID, uuid.Nil, meetings.Vote{Choice: meetings.Yes})
	check(err)
	cs.written, err = svc.CreatePoll(ctx, a, meetings.PollInput{CommitteeID: cs.committee.ID, Deadline: now.Add(7 * 24 * time.Hour),
		Title: "Umlauf", Kind: meetings.Secret, Method: meetings.Choice, Options: []string{"A", "B"}})
	check(err)
	return cs
}

// unchanged fails unless the objects are as committeeObjects left them.
func (cs *committeeStore) unchanged(t *testing.T, e *env) {
	t.Helper()
	ctx, svc, a := t.Context(), e.comm, cs.admin
	c, err := svc.GetCommittee(ctx, a, cs.committee.ID)
	if err != nil || c.Name != cs.committee.Name || !c.UpdatedAt.Equal(cs.committee.UpdatedAt) {
		t.Fatalf("committee changed: %+v %v", c, err)
	}
	if ms, err := svc.ListMembers(ctx, a, cs.committee.ID); err != nil || len(ms) != 2 || ms[0].TermEnd != nil || ms[1].TermEnd != nil {
		t.Fatalf("members changed: %+v %v", ms, err)
	}
	if ms, err := svc.ListMeetings(ctx, a, cs.committee.ID); err != nil || len(ms) != 1 || ms[0].State != meetings.InSession ||
		ms[0].Title != cs.meeting.Title || !ms[0].StartsAt.Equal(cs.meeting.StartsAt) {
		t.Fatalf("meetings changed: %+v %v", ms, err)
	}
	if items, err := svc.ListAgenda(ctx, a, cs.meeting.ID); err != nil || len(items) != 1 || items[0].Title != cs.item.Title ||
		items[0].State != meetings.Accepted {
		t.Fatalf("agenda changed: %+v %v", items, err)
	}
	if ps, err := svc.ListPapers(ctx, a, cs.meeting.ID); err != nil || len(ps) != 1 {
		t.Fatalf("papers changed: %+v %v", ps, err)
	}
	if ps, err := svc.ListPosts(ctx, a, cs.item.ID); err != nil || len(ps) != 1 {
		t.Fatalf("posts changed: %+v %v", ps, err)
	}
	if cf, err := svc.ListConflicts(ctx, a, cs.item.ID); err != nil || len(cf) != 1 {
		t.Fatalf("conflicts changed: %+v %v", cf, err)
	}
	at, err := svc.ListAttendance(ctx, a, cs.meeting.ID)
	if err != nil || len(at) != 2 || !at[0].Here() || !at[1].Here() {
		t.Fatalf("attendance changed: %+v %v", at, err)
	}
	ps, err := svc.ListPolls(ctx, a, cs.committee.ID)
	if err != nil || len(ps) != 2 || ps[0].State != meetings.PollOpen || ps[0].Ballots != 1 || ps[1].State != meetings.PollDraft || ps[1].Ballots != 0 {
		t.Fatalf("polls changed: %+v %v", ps, err)
	}
	if n := e.countRows(a.TenantID, "delegations", "revoked_at IS NULL"); n != 1 {
		t.Fatalf("delegations changed: %d standing", n)
	}
}
