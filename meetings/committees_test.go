package meetings_test

import (
	"bytes"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/kollab/kollab/documents"
	"github.com/kollab/kollab/internal/db"
	"github.com/kollab/kollab/internal/db/dbtest"
	"github.com/kollab/kollab/internal/errs"
	"github.com/kollab/kollab/meetings"
	"github.com/kollab/kollab/tenant"
)

func TestCommitteesAndMembers(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		ag := w.a
		c := ag.committee
		if c.Quorum != (meetings.Fraction{Num: 1, Den: 2}) || c.DefaultRule != (meetings.Rule{Majority: meetings.Simple, Base: meetings.BaseCast}) {
			t.Fatalf("defaults: %+v", c)
		}
		// Only admins create committees; names are unique per tenant.
		_, err := w.svc.CreateCommittee(ctx, ag.chair, meetings.CommitteeInput{Name: "Hauptausschuss"})
		wantCode(t, err, errs.Forbidden, "staff creates a committee")
		_, err = w.svc.CreateCommittee(ctx, ag.admin, meetings.CommitteeInput{Name: "Bauausschuss"})
		wantCode(t, err, errs.Conflict, "duplicate name")
		_, err = w.svc.CreateCommittee(ctx, w.b.admin, meetings.CommitteeInput{Name: "Bauausschuss"})
		wantCode(t, err, errs.Conflict, "duplicate name in tenant B")
		for _, in := range []meetings.CommitteeInput{
			{Name: ""},
			{Name: "x", Quorum: meetings.Fraction{Num: 3, Den: 2}},
			{Name: "x", Quorum: meetings.Fraction{Num: 1, Den: 1}},
			{Name: "x", DefaultRule: meetings.Rule{Majority: "most"}},
			{Name: "x", DefaultRule: meetings.Rule{Base: "everyone"}},
			{Name: "x", DefaultRule: meetings.Rule{Majority: meetings.Custom}},
		} {
			_, err := w.svc.CreateCommittee(ctx, ag.admin, in)
			wantCode(t, err, errs.Invalid, "bad input")
		}

		// The chair and the secretary manage; members read; others see nothing.
		in := meetings.CommitteeInput{Name: "Bau- und Umweltausschuss", Public: true, Quorum: meetings.Fraction{Num: 2, Den: 3, Inclusive: true},
			DefaultRule: meetings.Rule{Majority: meetings.Custom, Fraction: meetings.Fraction{Num: 3, Den: 5, Inclusive: true}, Base: meetings.BaseMembers}}
		up, err := w.svc.UpdateCommittee(ctx, ag.secretary, c.ID, in)
		must(t, err)
		if up.Name != in.Name || !up.Public || up.Quorum != in.Quorum || up.DefaultRule != in.DefaultRule || up.MyRole != meetings.RoleSecretary || !up.CanManage {
			t.Fatalf("updated: %+v", up)
		}
		_, err = w.svc.UpdateCommittee(ctx, ag.alice, c.ID, in)
		wantCode(t, err, errs.Forbidden, "member updates")
		// And back: the custom fraction goes with the custom rule.
		back, err := w.svc.UpdateCommittee(ctx, ag.chair, c.ID, meetings.CommitteeInput{Name: in.Name, DefaultRule: meetings.Rule{Majority: meetings.TwoThirds}})
		must(t, err)
		if back.DefaultRule != (meetings.Rule{Majority: meetings.TwoThirds, Base: meetings.BaseCast}) || back.Public {
			t.Fatalf("updated back: %+v", back)
		}
		got, err := w.svc.GetCommittee(ctx, ag.adv, c.ID)
		must(t, err)
		if got.MyRole != meetings.RoleAdvisory || got.CanManage {
			t.Fatalf("advisory sees %+v", got)
		}
		_, err = w.svc.GetCommittee(ctx, ag.outsider, c.ID)
		wantCode(t, err, errs.NotFound, "outsider reads")
		for who, want := range map[tenant.Actor]int{ag.admin: 1, ag.alice: 1, ag.outsider: 0} {
			list, err := w.svc.ListCommittees(ctx, who)
			must(t, err)
			if len(list) != want {
				t.Fatalf("%v lists %d committees", who.Role, len(list))
			}
		}

		// Seats: roles, voting rights, weights and terms.
		for _, mi := range []meetings.MemberInput{
			{MembershipID: ag.outsider.MembershipID, Role: "boss"},
			{MembershipID: ag.outsider.MembershipID, Role: meetings.RoleAdvisory, Voting: true},
			{MembershipID: ag.outsider.MembershipID, Role: meetings.RoleMember, Weight: 1001},
			{MembershipID: ag.outsider.MembershipID, Role: meetings.RoleMember, TermEnd: ptr(w.clock.Now().Add(-time.Hour))},
			{MembershipID: w.b.alice.MembershipID, Role: meetings.RoleMember},
		} {
			_, err := w.svc.SetMember(ctx, ag.chair, c.ID, mi)
			wantCode(t, err, errs.Invalid, "bad seat")
		}
		_, err = w.svc.SetMember(ctx, ag.alice, c.ID, meetings.MemberInput{MembershipID: ag.outsider.MembershipID, Role: meetings.RoleMember})
		wantCode(t, err, errs.Forbidden, "member seats someone")
		end := w.clock.Now().Add(24 * time.Hour)
		m, err := w.svc.SetMember(ctx, ag.chair, c.ID, meetings.MemberInput{MembershipID: ag.outsider.MembershipID, Role: meetings.RoleDeputy,
			Voting: true, Weight: 2, TermEnd: &end})
		must(t, err)
		if m.Role != meetings.RoleDeputy || !m.Voting || m.Weight != 2 || m.TermEnd == nil || !m.TermEnd.Equal(end) {
			t.Fatalf("seat: %+v", m)
		}
		_, err = w.svc.GetCommittee(ctx, ag.outsider, c.ID)
		must(t, err)
		// The term ends: the committee disappears for them.
		w.clock.Advance(25 * time.Hour)
		_, err = w.svc.GetCommittee(ctx, ag.outsider, c.ID)
		wantCode(t, err, errs.NotFound, "after the term")
		must(t, w.svc.RemoveMember(ctx, ag.chair, c.ID, ag.bob.MembershipID))
		_, err = w.svc.GetCommittee(ctx, ag.bob, c.ID)
		wantCode(t, err, errs.NotFound, "removed member")
		members, err := w.svc.ListMembers(ctx, ag.alice, c.ID)
		must(t, err)
		if len(members) != 7 {
			t.Fatalf("members on record: %d", len(members))
		}
		// The audit log has every change.
		if n := w.count(t, ag.tenant.ID, "audit_events", "action = ?", meetings.ActionMemberSet); n != 7 {
			t.Fatalf("member audit events: %d", n)
		}
	})
}

func TestMeetingStateMachineAndPapers(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		ag := w.a
		da := ag.admin // the same actor in the document store
		folder, err := w.docs.CreateFolder(ctx, da, uuid.Nil, "Sitzungen")
		must(t, err)
		body := []byte("Vorlage, erste Fassung")
		paper, rev1, err := w.docs.CreateDocumentWithRevision(ctx, da, folder.ID, documents.DocumentInput{Title: "Vorlage 1"},
			documents.Upload{FileName: "vorlage.txt", Size: int64(len(body))}, bytes.NewReader(body))
		must(t, err)
		empty, err := w.docs.CreateDocument(ctx, da, folder.ID, documents.DocumentInput{Title: "Leer"})
		must(t, err)

		now := w.clock.Now()
		_, err = w.svc.CreateMeeting(ctx, ag.chair, ag.committee.ID, meetings.MeetingInput{Title: "x", StartsAt: now, EndsAt: now})
		wantCode(t, err, errs.Invalid, "end before start")
		_, err = w.svc.CreateMeeting(ctx, ag.chair, ag.committee.ID, meetings.MeetingInput{Title: "x", StartsAt: now, EndsAt: now.Add(time.Hour), OnlineURL: "javascript:alert(1)"})
		wantCode(t, err, errs.Invalid, "bad link")
		_, err = w.svc.CreateMeeting(ctx, ag.alice, ag.committee.ID, meetings.MeetingInput{Title: "x", StartsAt: now, EndsAt: now.Add(time.Hour)})
		wantCode(t, err, errs.Forbidden, "member plans a meeting")
		m, err := w.svc.CreateMeeting(ctx, ag.chair, ag.committee.ID, meetings.MeetingInput{Title: "12. Sitzung", StartsAt: now.Add(time.Hour),
			EndsAt: now.Add(3 * time.Hour), OnlineURL: "https://video.example.org/raum"})
		must(t, err)
		if m.State != meetings.Planned {
			t.Fatalf("new meeting: %+v", m)
		}
		it, err := w.svc.AddAgendaItem(ctx, ag.chair, m.ID, meetings.AgendaItemInput{Title: "Bebauungsplan"})
		must(t, err)
		_, err = w.svc.AttachPaper(ctx, ag.chair, it.ID, paper.ID)
		wantCode(t, err, errs.NotFound, "chair cannot read the document")
		w.grantRead(t, da, folder.ID)
		_, err = w.svc.AttachPaper(ctx, ag.alice, it.ID, paper.ID)
		wantCode(t, err, errs.Forbidden, "member attaches to an accepted item")
		p, err := w.svc.AttachPaper(ctx, ag.chair, it.ID, paper.ID)
		must(t, err)
		if p.RevisionID != nil {
			t.Fatalf("paper frozen before the invitation: %+v", p)
		}
		_, err = w.svc.AttachPaper(ctx, ag.chair, it.ID, paper.ID)
		wantCode(t, err, errs.Conflict, "attach twice")
		_, err = w.svc.AttachPaper(ctx, ag.chair, it.ID, empty.ID)
		must(t, err)

		// Illegal transitions: skipping, going back, unknown.
		for _, to := range []meetings.MeetingState{meetings.InSession, meetings.Closed, meetings.MinutesApproved, meetings.Planned, "cancelled"} {
			_, err := w.svc.AdvanceMeeting(ctx, ag.chair, m.ID, to)
			wantCode(t, err, errs.Conflict, "planned → "+string(to))
		}
		_, err = w.svc.AdvanceMeeting(ctx, ag.alice, m.ID, meetings.Invited)
		wantCode(t, err, errs.Forbidden, "member invites")
		// A paper without content refuses the invitation, and nothing freezes.
		_, err = w.svc.AdvanceMeeting(ctx, ag.chair, m.ID, meetings.Invited)
		wantDetail(t, err, errs.Conflict, "Sitzungsunterlage", "invite with an empty paper")
		must(t, w.svc.DetachPaper(ctx, ag.chair, it.ID, empty.ID))
		inv, err := w.svc.AdvanceMeeting(ctx, ag.chair, m.ID, meetings.Invited)
		must(t, err)
		if inv.State != meetings.Invited || inv.InvitedAt == nil {
			t.Fatalf("invited: %+v", inv)
		}
		// A later revision does not change the frozen paper.
		body2 := []byte("Vorlage, zweite Fassung")
		_, rev2, err := w.docs.AddRevision(ctx, da, paper.ID, documents.Upload{FileName: "vorlage.txt", Size: int64(len(body2))}, bytes.NewReader(body2))
		must(t, err)
		papers, err := w.svc.ListPapers(ctx, ag.alice, m.ID)
		must(t, err)
		if len(papers) != 1 || papers[0].RevisionID == nil || *papers[0].RevisionID != rev1.ID || papers[0].FrozenAt == nil {
			t.Fatalf("papers after invitation: %+v (rev1 %s)", papers, rev1.ID)
		}
		// A paper added after the invitation freezes at once, at the current revision.
		it2, err := w.svc.AddAgendaItem(ctx, ag.chair, m.ID, meetings.AgendaItemInput{Title: "Nachtrag"})
		must(t, err)
		p2, err := w.svc.AttachPaper(ctx, ag.chair, it2.ID, paper.ID)
		must(t, err)
		if p2.RevisionID == nil || *p2.RevisionID != rev2.ID {
			t.Fatalf("late paper: %+v (rev2 %s)", p2, rev2.ID)
		}
		_, err = w.svc.AttachPaper(ctx, ag.chair, it2.ID, empty.ID)
		wantCode(t, err, errs.Conflict, "late empty paper")

		// Moving on only forwards; closing waits for open polls.
		_, err = w.svc.AdvanceMeeting(ctx, ag.chair, m.ID, meetings.Planned)
		wantCode(t, err, errs.Conflict, "back to planned")
		_, err = w.svc.UpdateMeeting(ctx, ag.chair, m.ID, meetings.MeetingInput{Title: "12. Sitzung (verlegt)", StartsAt: now.Add(2 * time.Hour), EndsAt: now.Add(4 * time.Hour)})
		must(t, err)
		_, err = w.svc.AdvanceMeeting(ctx, ag.chair, m.ID, meetings.InSession)
		must(t, err)
		_, err = w.svc.UpdateMeeting(ctx, ag.chair, m.ID, meetings.MeetingInput{Title: "x", StartsAt: now, EndsAt: now.Add(time.Hour)})
		wantCode(t, err, errs.Conflict, "move a running meeting")
		_, err = w.svc.SetAttendance(ctx, ag.secretary, m.ID, ag.alice.MembershipID, meetings.Present)
		must(t, err)
		poll := w.openPoll(t, ag, it.ID, meetings.Named, nil)
		_, err = w.svc.AdvanceMeeting(ctx, ag.chair, m.ID, meetings.Closed)
		wantDetail(t, err, errs.Conflict, "Abstimmungen", "close with an open poll")
		_, err = w.svc.ClosePoll(ctx, ag.chair, poll.ID)
		must(t, err)
		closed, err := w.svc.AdvanceMeeting(ctx, ag.chair, m.ID, meetings.Closed)
		must(t, err)
		if closed.State != meetings.Closed || closed.ClosedAt == nil {
			t.Fatalf("closed: %+v", closed)
		}
		// Closing records everyone present as departed.
		att, err := w.svc.ListAttendance(ctx, ag.chair, m.ID)
		must(t, err)
		if len(att) != 1 || att[0].DepartedAt == nil || att[0].Here() {
			t.Fatalf("attendance after close: %+v", att)
		}
		// A closed meeting's agenda is fixed.
		_, err = w.svc.AddAgendaItem(ctx, ag.chair, m.ID, meetings.AgendaItemInput{Title: "Zu spät"})
		wantCode(t, err, errs.Conflict, "add to a closed meeting")
		_, err = w.svc.AddPost(ctx, ag.alice, it.ID, "Noch etwas")
		wantCode(t, err, errs.Conflict, "post to a closed meeting")
		_, err = w.svc.AdvanceMeeting(ctx, ag.chair, m.ID, meetings.InSession)
		wantCode(t, err, errs.Conflict, "reopen")
		// The last step is the minutes' approval (see minutes_test.go), never a bare transition.
		_, err = w.svc.AdvanceMeeting(ctx, ag.chair, m.ID, meetings.MinutesApproved)
		wantCode(t, err, errs.Conflict, "minutes approved without minutes")
		if n := w.count(t, ag.tenant.ID, "audit_events", "action = ?", meetings.ActionMeetingState); n != 3 {
			t.Fatalf("state audit events: %d", n)
		}
	})
}

// grantRead lets staff and committee members read a folder.
func (w *world) grantRead(t *testing.T, da tenant.Actor, folderID uuid.UUID) {
	t.Helper()
	for _, r := range []tenant.Role{tenant.RoleStaff, tenant.RoleCommittee} {
		_, err := w.docs.SetPermission(ctx, da, folderID, documents.RolePrincipal(r), documents.Read)
		must(t, err)
	}
}

func TestAgendaAndDiscussion(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		ag := w.a
		now := w.clock.Now()
		m, err := w.svc.CreateMeeting(ctx, ag.secretary, ag.committee.ID, meetings.MeetingInput{Title: "Sitzung", StartsAt: now, EndsAt: now.Add(time.Hour)})
		must(t, err)
		a1, err := w.svc.AddAgendaItem(ctx, ag.chair, m.ID, meetings.AgendaItemInput{Title: "Eröffnung", Public: true})
		must(t, err)
		prop, err := w.svc.AddAgendaItem(ctx, ag.alice, m.ID, meetings.AgendaItemInput{Title: "Antrag Radweg", Description: "Bitte beraten"})
		must(t, err)
		a2, err := w.svc.AddAgendaItem(ctx, ag.secretary, m.ID, meetings.AgendaItemInput{Title: "Personalsache"})
		must(t, err)
		prop2, err := w.svc.AddAgendaItem(ctx, ag.adv, m.ID, meetings.AgendaItemInput{Title: "Antrag Beleuchtung"})
		must(t, err)
		if a1.State != meetings.Accepted || prop.State != meetings.Proposed || prop.ProposedBy != ag.alice.MembershipID || a2.Number != 2 || prop.Number != 0 {
			t.Fatalf("items: %+v %+v %+v", a1, prop, a2)
		}
		_, err = w.svc.AddAgendaItem(ctx, ag.outsider, m.ID, meetings.AgendaItemInput{Title: "x"})
		wantCode(t, err, errs.NotFound, "outsider proposes")
		_, err = w.svc.DecideAgendaItem(ctx, ag.alice, prop.ID, true)
		wantCode(t, err, errs.Forbidden, "member decides")
		acc, err := w.svc.DecideAgendaItem(ctx, ag.chair, prop.ID, true)
		must(t, err)
		if acc.State != meetings.Accepted || acc.Number != 2 || acc.DecidedBy == nil || *acc.DecidedBy != ag.chair.MembershipID {
			t.Fatalf("accepted: %+v", acc)
		}
		_, err = w.svc.DecideAgendaItem(ctx, ag.chair, prop.ID, false)
		wantCode(t, err, errs.Conflict, "decide twice")
		_, err = w.svc.DecideAgendaItem(ctx, ag.secretary, prop2.ID, false)
		must(t, err)
		// A declined item cannot be voted on.
		_, err = w.svc.CreatePoll(ctx, ag.chair, meetings.PollInput{AgendaItemID: prop2.ID, Title: "x", Kind: meetings.Named, Method: meetings.YesNoAbstain})
		wantCode(t, err, errs.Conflict, "poll on a declined item")

		// Reorder: every item exactly once; numbers follow the accepted ones.
		for _, bad := range [][]uuid.UUID{{a1.ID, prop.ID, a2.ID}, {a1.ID, a1.ID, a2.ID, prop2.ID}, {a1.ID, prop.ID, a2.ID, uuid.New()}} {
			_, err := w.svc.ReorderAgenda(ctx, ag.chair, m.ID, bad)
			wantCode(t, err, errs.Invalid, "bad order")
		}
		_, err = w.svc.ReorderAgenda(ctx, ag.alice, m.ID, []uuid.UUID{a2.ID, prop2.ID, prop.ID, a1.ID})
		wantCode(t, err, errs.Forbidden, "member reorders")
		items, err := w.svc.ReorderAgenda(ctx, ag.chair, m.ID, []uuid.UUID{a2.ID, prop2.ID, prop.ID, a1.ID})
		must(t, err)
		var got []string
		for _, it := range items {
			got = append(got, fmt.Sprintf("%s#%d", it.Title, it.Number))
		}
		if want := []string{"Personalsache#1", "Antrag Beleuchtung#0", "Antrag Radweg#2", "Eröffnung#3"}; !slices.Equal(got, want) {
			t.Fatalf("agenda: %v", got)
		}
		list, err := w.svc.ListAgenda(ctx, ag.adv, m.ID)
		must(t, err)
		if len(list) != 4 || list[0].ID != a2.ID || list[0].Position != 1 {
			t.Fatalf("listed: %+v", list)
		}

		// The discussion thread.
		_, err = w.svc.AddPost(ctx, ag.alice, prop.ID, "  ")
		wantCode(t, err, errs.Invalid, "empty post")
		_, err = w.svc.AddPost(ctx, ag.alice, prop.ID, "Der Radweg ist dringend.")
		must(t, err)
		w.clock.Advance(time.Minute)
		_, err = w.svc.AddPost(ctx, ag.adv, prop.ID, "Aus Sicht der Verwaltung machbar.")
		must(t, err)
		_, err = w.svc.AddPost(ctx, ag.outsider, prop.ID, "x")
		wantCode(t, err, errs.NotFound, "outsider posts")
		posts, err := w.svc.ListPosts(ctx, ag.bob, prop.ID)
		must(t, err)
		if len(posts) != 2 || posts[0].AuthorID != ag.alice.MembershipID || posts[1].AuthorID != ag.adv.MembershipID || !posts[1].CreatedAt.After(posts[0].CreatedAt) {
			t.Fatalf("posts: %+v", posts)
		}

		// Conflicts: a member declares their own; the chair declares others'.
		_, err = w.svc.DeclareConflict(ctx, ag.alice, prop.ID, ag.bob.MembershipID, "")
		wantCode(t, err, errs.Forbidden, "member declares for another")
		_, err = w.svc.DeclareConflict(ctx, ag.chair, prop.ID, ag.outsider.MembershipID, "")
		wantCode(t, err, errs.Invalid, "declare for a non-member")
		c1, err := w.svc.DeclareConflict(ctx, ag.alice, prop.ID, ag.alice.MembershipID, "Anliegerin")
		must(t, err)
		c2, err := w.svc.DeclareConflict(ctx, ag.alice, prop.ID, ag.alice.MembershipID, "nochmal")
		must(t, err)
		if c1.ID != c2.ID || c2.Reason != "Anliegerin" {
			t.Fatalf("declared twice: %+v %+v", c1, c2)
		}
		_, err = w.svc.DeclareConflict(ctx, ag.chair, prop.ID, ag.bob.MembershipID, "Verwandt")
		must(t, err)
		must(t, w.svc.WithdrawConflict(ctx, ag.bob, prop.ID, ag.bob.MembershipID))
		cs, err := w.svc.ListConflicts(ctx, ag.carol, prop.ID)
		must(t, err)
		if len(cs) != 1 || cs[0].MembershipID != ag.alice.MembershipID {
			t.Fatalf("conflicts: %+v", cs)
		}
	})
}
