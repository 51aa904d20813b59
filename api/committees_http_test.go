package api_test

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/kollab/kollab/documents"
	"github.com/kollab/kollab/internal/db"
	"github.com/kollab/kollab/internal/db/dbtest"
	"github.com/kollab/kollab/tenant"
)

// A committee from creation to published results over HTTP: members,
// meeting, agenda with a proposal, papers frozen at the invitation,
// discussion, a conflict of interest, attendance and quorum, a named, a
// secret and a delegated election poll, ballots with their refusals,
// results and named votes, and a written procedure.
func TestCommitteesOverHTTP(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		s := e.seedTenant("amt")
		admin := s.admin
		const base = "/api/v1/t/amt"
		chair, chairID := e.person(s, "chair", tenant.RoleStaff)
		sec, secID := e.person(s, "sec", tenant.RoleStaff)
		alice, aliceID := e.person(s, "alice", tenant.RoleCommittee)
		bob, bobID := e.person(s, "bob", tenant.RoleCommittee)
		carol, carolID := e.person(s, "carol", tenant.RoleCommittee)
		outsider, _ := e.person(s, "outsider", tenant.RoleStaff)

		// The committee: admins only create it; names are unique.
		c := decode[committeeJSON](t, admin.must(201, "POST", base+"/committees", map[string]any{"name": "Bauausschuss",
			"proxy_allowed": true, "quorum": map[string]any{"num": 1, "den": 2}, "default_rule": map[string]string{"majority": "simple"}}))
		if c.Quorum.Num != 1 || c.Quorum.Den != 2 || c.Quorum.Inclusive || c.DefaultRule.Majority != "simple" || c.DefaultRule.Base != "cast" ||
			!c.ProxyAllowed || !c.CanManage || c.MyRole != "" {
			t.Fatalf("committee: %+v", c)
		}
		cbase := base + "/committees/" + c.ID
		wantCode(t, admin.do("POST", base+"/committees", map[string]string{"name": "Bauausschuss"}), 409, "conflict")
		wantCode(t, chair.do("POST", base+"/committees", map[string]string{"name": "Sozialausschuss"}), 403, "forbidden")

		// Seats.
		for who, seat := range map[string]map[string]any{
			chairID: {"role": "chair", "voting": true},
			secID:   {"role": "secretary", "voting": false},
			aliceID: {"role": "member", "voting": true},
			bobID:   {"role": "member", "voting": true},
			carolID: {"role": "member", "voting": true, "weight": 3},
		} {
			admin.must(200, "PUT", cbase+"/members/"+who, seat)
		}
		r := admin.do("PUT", cbase+"/members/"+aliceID, map[string]any{"role": "advisory", "voting": true})
		wantCode(t, r, 422, "invalid-input")
		if !strings.Contains(string(r.body), `"field":"voting"`) {
			t.Fatalf("advisory with vote: %s", r.body)
		}
		var members struct {
			Members []struct {
				MembershipID string `json:"membership_id"`
				Role         string `json:"role"`
				Weight       int    `json:"weight"`
			} `json:"members"`
		}
		admin.must(200, "GET", cbase+"/members", nil).json(t, &members)
		seats := map[string]string{}
		for _, mm := range members.Members {
			seats[mm.MembershipID] = fmt.Sprintf("%s/%d", mm.Role, mm.Weight)
		}
		if len(members.Members) != 5 || seats[carolID] != "member/3" || seats[chairID] != "chair/1" || seats[secID] != "secretary/1" {
			t.Fatalf("members: %+v", members)
		}
		// Who sees what: seats see their committee, others nothing.
		if got := decode[committeeJSON](t, alice.must(200, "GET", cbase, nil)); got.MyRole != "member" || got.CanManage {
			t.Fatalf("alice's committee: %+v", got)
		}
		if got := decode[struct{ Committees []committeeJSON }](t, outsider.must(200, "GET", base+"/committees", nil)); len(got.Committees) != 0 {
			t.Fatalf("outsider's committees: %+v", got)
		}
		unknown := admin.must(404, "GET", base+"/committees/"+uuid.NewString(), nil)
		if r := outsider.must(404, "GET", cbase, nil); !bytes.Equal(r.body, unknown.body) {
			t.Fatalf("hidden committee answers %s, unknown %s", r.body, unknown.body)
		}
		// PATCH keeps absent fields; members may not.
		c = decode[committeeJSON](t, chair.must(200, "PATCH", cbase, map[string]string{"description": "Bauen und Verkehr"}))
		if c.Description != "Bauen und Verkehr" || c.Name != "Bauausschuss" || !c.ProxyAllowed || c.MyRole != "chair" || !c.CanManage {
			t.Fatalf("patched: %+v", c)
		}
		wantCode(t, alice.do("PATCH", cbase, map[string]string{"name": "Meins"}), 403, "forbidden")

		// The meeting.
		start := time.Now().UTC().Add(time.Hour).Truncate(time.Second)
		m := decode[meetingJSON](t, chair.must(201, "POST", cbase+"/meetings", map[string]any{"title": "12. Sitzung",
			"starts_at": start, "ends_at": start.Add(3 * time.Hour), "place": "Rathaus"}))
		if m.State != "planned" || !m.StartsAt.Equal(start) {
			t.Fatalf("meeting: %+v", m)
		}
		mbase := base + "/meetings/" + m.ID
		m = decode[meetingJSON](t, sec.must(200, "PATCH", mbase, map[string]string{"place": "Rathaus, Saal 2"}))
		if m.Place != "Rathaus, Saal 2" || m.Title != "12. Sitzung" {
			t.Fatalf("patched meeting: %+v", m)
		}
		if got := decode[struct{ Meetings []meetingJSON }](t, alice.must(200, "GET", cbase+"/meetings", nil)); len(got.Meetings) != 1 {
			t.Fatalf("meetings: %+v", got)
		}

		// The agenda: the chair's items are accepted, members' are proposals.
		item1 := decode[itemJSON](t, chair.must(201, "POST", mbase+"/agenda", map[string]any{"title": "Bebauungsplan Nord", "public": true}))
		prop := decode[itemJSON](t, alice.must(201, "POST", mbase+"/agenda", map[string]any{"title": "Radweg Süd"}))
		if item1.State != "accepted" || item1.Number != 1 || prop.State != "proposed" || prop.Number != 0 || prop.Public {
			t.Fatalf("items: %+v %+v", item1, prop)
		}
		wantCode(t, alice.do("POST", base+"/agenda-items/"+prop.ID+"/decision", map[string]string{"decision": "accept"}), 403, "forbidden")
		item2 := decode[itemJSON](t, chair.must(200, "POST", base+"/agenda-items/"+prop.ID+"/decision", map[string]string{"decision": "accept"}))
		if item2.State != "accepted" || item2.Number != 2 {
			t.Fatalf("accepted: %+v", item2)
		}
		wantCode(t, chair.do("POST", base+"/agenda-items/"+prop.ID+"/decision", map[string]string{"decision": "decline"}), 409, "conflict")
		// The chair corrects an item's wording; a member may not; empty titles are refused.
		wantCode(t, alice.do("PUT", base+"/agenda-items/"+prop.ID, map[string]any{"title": "Radweg Süd (neu)"}), 403, "forbidden")
		wantCode(t, chair.do("PUT", base+"/agenda-items/"+prop.ID, map[string]any{"title": " "}), 422, "invalid-input")
		if fixed := decode[itemJSON](t, chair.must(200, "PUT", base+"/agenda-items/"+prop.ID, map[string]any{"title": "Radweg Südstadt", "public": true})); fixed.Title != "Radweg Südstadt" || !fixed.Public || fixed.Number != 2 || fixed.State != "accepted" {
			t.Fatalf("updated item: %+v", fixed)
		}
		chair.must(200, "PUT", base+"/agenda-items/"+prop.ID, map[string]any{"title": "Radweg Süd"}) // back, for what follows
		ag := decode[agendaJSON](t, chair.must(200, "PUT", mbase+"/agenda/order", map[string]any{"order": []string{item2.ID, item1.ID}}))
		if ag.String() != "1:Radweg Süd:accepted,2:Bebauungsplan Nord:accepted" {
			t.Fatalf("reordered: %s", ag)
		}
		wantCode(t, chair.do("PUT", mbase+"/agenda/order", map[string]any{"order": []string{item1.ID}}), 422, "invalid-input")
		if ag := decode[agendaJSON](t, bob.must(200, "GET", mbase+"/agenda", nil)); ag.String() != "1:Radweg Süd:accepted,2:Bebauungsplan Nord:accepted" {
			t.Fatalf("agenda: %s", ag)
		}

		// Papers: a document with content, and an empty one that blocks the invitation.
		ctx, aa := t.Context(), e.adminActor(s)
		folder, err := e.docs.CreateFolder(ctx, aa, uuid.Nil, "Sitzungsunterlagen")
		if err != nil {
			t.Fatal(err)
		}
		doc, err := e.docs.CreateDocument(ctx, aa, folder.ID, documents.DocumentInput{Title: "Vorlage 12-1"})
		if err != nil {
			t.Fatal(err)
		}
		addRev := func(text string) string {
			_, rev, err := e.docs.AddRevision(ctx, aa, doc.ID, documents.Upload{FileName: "vorlage.txt", Size: int64(len(text))}, strings.NewReader(text))
			if err != nil {
				t.Fatal(err)
			}
			return rev.ID.String()
		}
		rev1 := addRev("Entwurf")
		empty, err := e.docs.CreateDocument(ctx, aa, folder.ID, documents.DocumentInput{Title: "Leer"})
		if err != nil {
			t.Fatal(err)
		}
		admin.must(201, "POST", base+"/agenda-items/"+item1.ID+"/papers", map[string]any{"document_id": doc.ID})
		admin.must(201, "POST", base+"/agenda-items/"+item1.ID+"/papers", map[string]any{"document_id": empty.ID})
		wantCode(t, admin.do("POST", base+"/agenda-items/"+item1.ID+"/papers", map[string]any{"document_id": doc.ID}), 409, "conflict")
		// Members cannot read the folder: the document is unknown to them.
		wantCode(t, alice.do("POST", base+"/agenda-items/"+item2.ID+"/papers", map[string]any{"document_id": doc.ID}), 404, "not-found")
		wantCode(t, chair.do("POST", mbase+"/transitions", map[string]string{"to": "in_session"}), 409, "conflict")
		wantCode(t, chair.do("POST", mbase+"/transitions", map[string]string{"to": "invited"}), 409, "conflict")
		chair.must(204, "DELETE", base+"/agenda-items/"+item1.ID+"/papers/"+empty.ID.String(), nil)
		m = decode[meetingJSON](t, chair.must(200, "POST", mbase+"/transitions", map[string]string{"to": "invited"}))
		if m.State != "invited" || m.InvitedAt == nil {
			t.Fatalf("invited: %+v", m)
		}
		addRev("Geänderte Fassung")
		papers := decode[papersJSON](t, alice.must(200, "GET", mbase+"/papers", nil))
		if len(papers.Papers) != 1 || papers.Papers[0].RevisionID == nil || *papers.Papers[0].RevisionID != rev1 || papers.Papers[0].FrozenAt == nil {
			t.Fatalf("papers after the invitation: %+v", papers)
		}

		// Discussion and a conflict of interest.
		alice.must(201, "POST", base+"/agenda-items/"+item1.ID+"/posts", map[string]string{"body": "Ich bitte um Vertagung."})
		wantCode(t, alice.do("POST", base+"/agenda-items/"+item1.ID+"/posts", map[string]string{"body": "  "}), 422, "invalid-input")
		if got := decode[struct {
			Posts []struct{ Body, AuthorID string }
		}](t, bob.must(200, "GET", base+"/agenda-items/"+item1.ID+"/posts", nil)); len(got.Posts) != 1 {
			t.Fatalf("posts: %+v", got)
		}
		cf := decode[struct {
			MembershipID string `json:"membership_id"`
		}](t, bob.must(200, "POST", base+"/agenda-items/"+item1.ID+"/conflicts", map[string]string{"reason": "Grundstücksnachbar"}))
		if cf.MembershipID != bobID {
			t.Fatalf("conflict: %+v", cf)
		}
		wantCode(t, alice.do("POST", base+"/agenda-items/"+item1.ID+"/conflicts", map[string]string{"membership_id": carolID}), 403, "forbidden")

		// In session: attendance and quorum.
		chair.must(200, "POST", mbase+"/transitions", map[string]string{"to": "in_session"})
		for _, who := range []string{chairID, aliceID, bobID, carolID} {
			sec.must(200, "PUT", mbase+"/attendance/"+who, map[string]string{"status": "present"})
		}
		wantCode(t, alice.do("PUT", mbase+"/attendance/"+aliceID, map[string]string{"status": "absent"}), 403, "forbidden")
		q := decode[quorumJSON](t, alice.must(200, "GET", mbase+"/quorum", nil))
		if q.Members != 4 || q.MembersWeight != 6 || q.PresentWeight != 6 || !q.Reached || q.Excluded != 0 {
			t.Fatalf("quorum: %+v", q)
		}
		q = decode[quorumJSON](t, alice.must(200, "GET", mbase+"/quorum?item="+item1.ID, nil))
		if q.Members != 3 || q.Excluded != 1 || q.MembersWeight != 5 {
			t.Fatalf("quorum on the item: %+v", q)
		}
		gone := decode[struct {
			Status     string  `json:"status"`
			Here       bool    `json:"here"`
			DepartedAt *string `json:"departed_at"`
		}](t, sec.must(200, "POST", mbase+"/attendance/"+carolID+"/departure", map[string]string{}))
		if gone.Status != "present" || gone.Here || gone.DepartedAt == nil {
			t.Fatalf("departed: %+v", gone)
		}
		if q := decode[quorumJSON](t, alice.must(200, "GET", mbase+"/quorum", nil)); q.PresentWeight != 3 || q.Reached {
			t.Fatalf("quorum without carol: %+v", q)
		}
		sec.must(200, "PUT", mbase+"/attendance/"+carolID, map[string]string{"status": "present"})
		wantCode(t, sec.do("POST", mbase+"/attendance/"+secID+"/departure", map[string]string{}), 409, "conflict")

		// Polls: a named and a secret one on the item, and an election whose
		// ballot carol hands to alice.
		newPoll := func(body map[string]any) pollJSON {
			t.Helper()
			return decode[pollJSON](t, chair.must(201, "POST", base+"/polls", body))
		}
		named := newPoll(map[string]any{"agenda_item_id": item1.ID, "title": "Beschluss (namentlich)", "kind": "named", "method": "yes_no_abstain"})
		secret := newPoll(map[string]any{"agenda_item_id": item1.ID, "title": "Beschluss (geheim)", "kind": "secret", "method": "yes_no_abstain",
			"rule": map[string]string{"majority": "absolute", "base": "present"}})
		election := newPoll(map[string]any{"agenda_item_id": item2.ID, "title": "Wahl der Vertretung", "kind": "named", "method": "choice",
			"options": []string{"Meyer", "Schulz"}, "seats": 1})
		if named.State != "draft" || named.Rule.Majority != "simple" || secret.Rule.Majority != "absolute" || secret.Rule.Base != "present" ||
			len(election.Options) != 2 || election.Seats != 1 || named.Written {
			t.Fatalf("polls: %+v %+v %+v", named, secret, election)
		}
		wantCode(t, alice.do("POST", base+"/polls", map[string]any{"agenda_item_id": item1.ID, "title": "X", "kind": "named", "method": "yes_no_abstain"}),
			403, "forbidden")
		dl := decode[struct {
			ID string `json:"id"`
		}](t, carol.must(201, "POST", base+"/delegations", map[string]any{"to_membership_id": aliceID, "poll_id": election.ID}))
		for _, p := range []pollJSON{named, secret, election} {
			if got := decode[pollJSON](t, chair.must(200, "POST", base+"/polls/"+p.ID+"/open", map[string]string{})); got.State != "open" {
				t.Fatalf("opened: %+v", got)
			}
		}
		wantCode(t, chair.do("POST", base+"/polls/"+named.ID+"/open", map[string]string{}), 409, "conflict")
		// Bob declared his conflict: the item's conflicts stay while it is voted on.
		wantCode(t, bob.do("DELETE", base+"/agenda-items/"+item1.ID+"/conflicts/"+bobID, nil), 409, "conflict")

		cast := func(c *client, pollID string, body map[string]any) *resp {
			t.Helper()
			return c.do("POST", base+"/polls/"+pollID+"/ballots", body)
		}
		for _, v := range []struct {
			c      *client
			poll   string
			choice string
		}{{chair, named.ID, "yes"}, {alice, named.ID, "yes"}, {carol, named.ID, "abstain"},
			{chair, secret.ID, "yes"}, {alice, secret.ID, "no"}, {carol, secret.ID, "yes"}} {
			r := cast(v.c, v.poll, map[string]any{"choice": v.choice})
			if r.status != 201 {
				t.Fatalf("cast: %d %s", r.status, r.body)
			}
			if rc := decode[receiptJSON](t, r); rc.PollID != v.poll || rc.Voter != rc.CastBy || bytes.Contains(r.body, []byte(`"`+v.choice+`"`)) {
				t.Fatalf("receipt: %s", r.body)
			}
		}
		// A second ballot, a conflicted and a non-voting member, nonsense.
		dup := cast(alice, named.ID, map[string]any{"choice": "no"})
		wantCode(t, dup, 409, "conflict")
		if !strings.Contains(string(dup.body), "bereits abgegeben") {
			t.Fatalf("duplicate: %s", dup.body)
		}
		alice.lang = "en"
		if r := cast(alice, secret.ID, map[string]any{"choice": "no"}); !strings.Contains(string(r.body), "already been cast") {
			t.Fatalf("duplicate in English: %s", r.body)
		}
		alice.lang = ""
		wantCode(t, cast(bob, named.ID, map[string]any{"choice": "no"}), 403, "forbidden")
		wantCode(t, cast(sec, named.ID, map[string]any{"choice": "no"}), 403, "forbidden")
		wantCode(t, cast(alice, named.ID, map[string]any{"choice": "vielleicht"}), 422, "invalid-input")
		wantCode(t, cast(chair, named.ID, map[string]any{"choice": "yes", "voter_membership_id": bobID}), 403, "forbidden")
		// The poll tells its reader whether they hold a vote: the administrator
		// without a seat and the secretary without a vote do not.
		for who, want := range map[*client]bool{admin: false, sec: false, alice: true, chair: true} {
			var p struct {
				CanVote *bool `json:"can_vote"`
			}
			who.must(200, "GET", base+"/polls/"+named.ID, nil).json(t, &p)
			if p.CanVote == nil || *p.CanVote != want {
				t.Fatalf("can_vote %v, want %v", p.CanVote, want)
			}
		}
		// The election: alice for herself and, as proxy, for carol; carol herself may not.
		opt := func(i int) string { return election.Options[i].ID }
		type delegationsJSON struct {
			Delegations []struct {
				ID   string `json:"id"`
				From string `json:"from_membership_id"`
				To   string `json:"to_membership_id"`
			} `json:"delegations"`
			ProxyFor []struct {
				MembershipID string `json:"membership_id"`
				Voted        bool   `json:"voted"`
			} `json:"proxy_for"`
		}
		proxies := func(c *client, path string) delegationsJSON {
			t.Helper()
			return decode[delegationsJSON](t, c.must(200, "GET", base+path, nil))
		}
		if ds := proxies(alice, "/polls/"+election.ID+"/delegations"); len(ds.Delegations) != 1 || ds.Delegations[0].ID != dl.ID ||
			ds.Delegations[0].From != carolID || ds.Delegations[0].To != aliceID || len(ds.ProxyFor) != 1 ||
			ds.ProxyFor[0].MembershipID != carolID || ds.ProxyFor[0].Voted {
			t.Fatalf("alice's delegations of the election: %+v", ds)
		}
		if ds := proxies(carol, "/meetings/"+m.ID+"/delegations"); len(ds.Delegations) != 1 || ds.ProxyFor == nil || len(ds.ProxyFor) != 0 {
			t.Fatalf("carol's delegations of the meeting: %+v", ds)
		}
		if ds := proxies(bob, "/polls/"+election.ID+"/delegations"); len(ds.Delegations) != 0 || len(ds.ProxyFor) != 0 {
			t.Fatalf("bob's delegations: %+v", ds)
		}
		if ds := proxies(chair, "/meetings/"+m.ID+"/delegations"); len(ds.Delegations) != 1 {
			t.Fatalf("the chair's delegations: %+v", ds)
		}
		wantCode(t, cast(carol, election.ID, map[string]any{"option_ids": []string{opt(0)}}), 403, "forbidden")
		wantCode(t, cast(alice, election.ID, map[string]any{"option_ids": []string{opt(0), opt(1)}}), 422, "invalid-input")
		wantCode(t, cast(alice, election.ID, map[string]any{"option_ids": []string{uuid.NewString()}}), 422, "invalid-input")
		if rc := decode[receiptJSON](t, alice.must(201, "POST", base+"/polls/"+election.ID+"/ballots",
			map[string]any{"option_ids": []string{opt(0)}, "voter_membership_id": carolID})); rc.Voter != carolID || rc.CastBy != aliceID {
			t.Fatalf("proxy receipt: %+v", rc)
		}
		alice.must(201, "POST", base+"/polls/"+election.ID+"/ballots", map[string]any{"choice": "options", "option_ids": []string{opt(1)}})
		if ds := proxies(alice, "/polls/"+election.ID+"/delegations"); len(ds.ProxyFor) != 1 || !ds.ProxyFor[0].Voted {
			t.Fatalf("carol's ballot is in: %+v", ds)
		}
		chair.must(201, "POST", base+"/polls/"+election.ID+"/ballots", map[string]any{"option_ids": []string{opt(0)}})
		bob.must(201, "POST", base+"/polls/"+election.ID+"/ballots", map[string]any{"choice": "abstain"})

		// While open: the count only.
		p := decode[pollJSON](t, bob.must(200, "GET", base+"/polls/"+named.ID, nil))
		if p.State != "open" || p.Ballots != 3 {
			t.Fatalf("open poll: %+v", p)
		}
		r = bob.must(200, "GET", base+"/polls/"+secret.ID, nil)
		for _, leak := range []string{`"yes"`, `"no"`, "passed", "votes"} {
			if bytes.Contains(r.body, []byte(leak)) {
				t.Fatalf("open poll shows %s: %s", leak, r.body)
			}
		}
		wantCode(t, chair.do("GET", base+"/polls/"+named.ID+"/result", nil), 409, "conflict")
		wantCode(t, chair.do("GET", base+"/polls/"+named.ID+"/named-votes", nil), 409, "conflict")
		if got := decode[struct{ Polls []pollJSON }](t, alice.must(200, "GET", cbase+"/polls", nil)); len(got.Polls) != 3 || got.Polls[0].Ballots != 3 {
			t.Fatalf("committee polls: %+v", got)
		}
		wantCode(t, chair.do("POST", mbase+"/transitions", map[string]string{"to": "closed"}), 409, "conflict")

		// Close: results for the managers, then for everyone once published.
		for _, p := range []pollJSON{named, secret, election} {
			if got := decode[pollJSON](t, chair.must(200, "POST", base+"/polls/"+p.ID+"/close", map[string]string{})); got.State != "closed" {
				t.Fatalf("closed: %+v", got)
			}
		}
		wantCode(t, cast(bob, named.ID, map[string]any{"choice": "yes"}), 409, "conflict")
		wantCode(t, alice.do("GET", base+"/polls/"+named.ID+"/result", nil), 403, "forbidden")
		wantCode(t, alice.do("GET", base+"/polls/"+named.ID+"/named-votes", nil), 403, "forbidden")
		res := decode[resultJSON](t, sec.must(200, "GET", base+"/polls/"+named.ID+"/result", nil))
		if res.Ballots != 3 || res.Yes != 2 || res.No != 0 || res.Abstain != 3 || !res.Passed || res.QuorumReached == nil || !*res.QuorumReached {
			t.Fatalf("named result: %+v", res)
		}
		for _, p := range []pollJSON{named, secret, election} {
			if got := decode[pollJSON](t, chair.must(200, "POST", base+"/polls/"+p.ID+"/publish", map[string]string{})); got.State != "published" {
				t.Fatalf("published: %+v", got)
			}
		}
		wantCode(t, chair.do("POST", base+"/polls/"+named.ID+"/publish", map[string]string{}), 409, "conflict")
		nv := decode[namedVotesJSON](t, bob.must(200, "GET", base+"/polls/"+named.ID+"/named-votes", nil))
		votes := map[string]string{}
		for _, v := range nv.Votes {
			votes[v.Voter] = v.Choice
		}
		if len(nv.Votes) != 3 || votes[chairID] != "yes" || votes[aliceID] != "yes" || votes[carolID] != "abstain" {
			t.Fatalf("named votes: %+v", nv)
		}
		// Secret: one ballot per person, whatever the weight (carol's 3
		// counts once): yes 2 of the 3 present (bob is conflicted) is an
		// absolute majority.
		r = alice.must(200, "GET", base+"/polls/"+secret.ID+"/result", nil)
		res = decode[resultJSON](t, r)
		if res.Ballots != 3 || res.Yes != 2 || res.No != 1 || !res.Passed {
			t.Fatalf("secret result: %s", r.body)
		}
		for _, id := range []string{chairID, aliceID, carolID} {
			if bytes.Contains(r.body, []byte(id)) {
				t.Fatalf("secret result names a voter: %s", r.body)
			}
		}
		wantCode(t, alice.do("GET", base+"/polls/"+secret.ID+"/named-votes", nil), 409, "conflict")
		res = decode[resultJSON](t, bob.must(200, "GET", base+"/polls/"+election.ID+"/result", nil))
		if res.Ballots != 4 || len(res.OptionVotes) != 2 || res.OptionVotes[0].Votes != 4 || res.OptionVotes[1].Votes != 1 ||
			len(res.Elected) != 1 || res.Elected[0] != opt(0) || !res.Passed {
			t.Fatalf("election result: %+v", res)
		}
		nv = decode[namedVotesJSON](t, bob.must(200, "GET", base+"/polls/"+election.ID+"/named-votes", nil))
		proxied := false
		for _, v := range nv.Votes {
			proxied = proxied || (v.Voter == carolID && v.CastBy == aliceID && v.Weight == 3)
		}
		if len(nv.Votes) != 4 || !proxied {
			t.Fatalf("election votes: %+v", nv)
		}
		carol.must(204, "DELETE", base+"/delegations/"+dl.ID, nil)
		wantCode(t, carol.do("DELETE", base+"/delegations/"+dl.ID, nil), 404, "not-found")

		// The meeting closes; its agenda and discussion are over.
		m = decode[meetingJSON](t, chair.must(200, "POST", mbase+"/transitions", map[string]string{"to": "closed"}))
		if m.State != "closed" {
			t.Fatalf("closed: %+v", m)
		}
		wantCode(t, alice.do("POST", base+"/agenda-items/"+item1.ID+"/posts", map[string]string{"body": "Noch etwas"}), 409, "conflict")
		wantCode(t, chair.do("PATCH", mbase, map[string]string{"title": "Neu"}), 409, "conflict")

		// A written procedure: a deadline, no meeting.
		wantCode(t, chair.do("POST", base+"/polls", map[string]any{"committee_id": c.ID, "title": "Umlauf", "kind": "secret", "method": "yes_no_abstain"}),
			422, "invalid-input")
		wp := newPoll(map[string]any{"committee_id": c.ID, "deadline": time.Now().Add(7 * 24 * time.Hour), "title": "Umlaufbeschluss",
			"kind": "secret", "method": "yes_no_abstain"})
		if !wp.Written || wp.State != "draft" {
			t.Fatalf("written procedure: %+v", wp)
		}
		chair.must(200, "POST", base+"/polls/"+wp.ID+"/open", map[string]string{})
		bob.must(201, "POST", base+"/polls/"+wp.ID+"/ballots", map[string]any{"choice": "yes"})
		if p := decode[pollJSON](t, alice.must(200, "GET", base+"/polls/"+wp.ID, nil)); p.Ballots != 1 || p.State != "open" {
			t.Fatalf("written procedure open: %+v", p)
		}
		// The seat ends: the committee is gone from alice's view.
		chair.must(204, "DELETE", cbase+"/members/"+aliceID, nil)
		wantCode(t, alice.do("GET", cbase, nil), 404, "not-found")
		wantCode(t, alice.do("POST", base+"/polls/"+wp.ID+"/ballots", map[string]any{"choice": "yes"}), 404, "not-found")
	})
}
