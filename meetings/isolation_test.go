package meetings_test

import (
	"maps"
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

// committeeTables are every table of the committee module.
var committeeTables = []string{"committees", "committee_members", "meetings", "agenda_items", "meeting_papers", "meeting_attendance",
	"agenda_posts", "conflict_declarations", "polls", "poll_options", "delegations", "poll_receipts", "poll_votes", "secret_ballots",
	"poll_results", "audit_events"}

// Every method given tenant B's ids answers NotFound, exactly like a
// missing id, even for A's admin and chair; nothing changes anywhere.
func TestCrossTenantIDsAreNotFound(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		bg := w.b
		// B's objects: a meeting in session with an item, an open poll, a
		// closed one, a written procedure, a delegation, a post, a conflict.
		bm, bit := w.session(t, bg, bg.chair, bg.alice, bg.bob)
		bp := w.openPoll(t, bg, bit.ID, meetings.Named, nil)
		must(t, w.cast(bg.alice, bp.ID, meetings.Yes))
		bclosed := w.openPoll(t, bg, bit.ID, meetings.Secret, nil)
		_, err := w.svc.ClosePoll(ctx, bg.chair, bclosed.ID)
		must(t, err)
		bw := w.written(t, bg, meetings.Named, time.Hour)
		bdel, err := w.svc.Delegate(ctx, bg.carol, meetings.DelegationInput{ToMembershipID: bg.bob.MembershipID, PollID: bw.ID})
		must(t, err)
		_, err = w.svc.AddPost(ctx, bg.alice, bit.ID, "Beitrag")
		must(t, err)
		bitem2, err := w.svc.AddAgendaItem(ctx, bg.alice, bm.ID, meetings.AgendaItemInput{Title: "Vorschlag"})
		must(t, err)
		bfolder, err := w.docs.CreateFolder(ctx, bg.admin, uuid.Nil, "Vorlagen")
		must(t, err)
		bdoc, err := w.docs.CreateDocument(ctx, bg.admin, bfolder.ID, documents.DocumentInput{Title: "Vorlage"})
		must(t, err)
		// A's own objects, to aim B's ids at.
		am, ait := w.session(t, w.a, w.a.chair, w.a.alice)
		ap := w.openPoll(t, w.a, ait.ID, meetings.Named, nil)

		snapshot := func() map[uuid.UUID]map[string]int64 {
			out := map[uuid.UUID]map[string]int64{}
			for _, tid := range []uuid.UUID{w.a.tenant.ID, bg.tenant.ID} {
				out[tid] = map[string]int64{}
				for _, table := range committeeTables {
					out[tid][table] = w.count(t, tid, table, "")
				}
			}
			return out
		}
		before := snapshot()

		for _, who := range []struct {
			name string
			a    tenant.Actor
		}{{"admin of A", w.a.admin}, {"chair of A", w.a.chair}} {
			a := who.a
			now := w.clock.Now()
			mi := meetings.MeetingInput{Title: "x", StartsAt: now, EndsAt: now.Add(time.Hour)}
			for name, call := range map[string]func() error{
				"GetCommittee": func() error { _, err := w.svc.GetCommittee(ctx, a, bg.committee.ID); return err },
				"UpdateCommittee": func() error {
					_, err := w.svc.UpdateCommittee(ctx, a, bg.committee.ID, meetings.CommitteeInput{Name: "x"})
					return err
				},
				"SetMember": func() error {
					_, err := w.svc.SetMember(ctx, a, bg.committee.ID, meetings.MemberInput{MembershipID: a.MembershipID, Role: meetings.RoleMember})
					return err
				},
				"RemoveMember":   func() error { return w.svc.RemoveMember(ctx, a, bg.committee.ID, bg.alice.MembershipID) },
				"ListMembers":    func() error { _, err := w.svc.ListMembers(ctx, a, bg.committee.ID); return err },
				"CreateMeeting":  func() error { _, err := w.svc.CreateMeeting(ctx, a, bg.committee.ID, mi); return err },
				"UpdateMeeting":  func() error { _, err := w.svc.UpdateMeeting(ctx, a, bm.ID, mi); return err },
				"GetMeeting":     func() error { _, err := w.svc.GetMeeting(ctx, a, bm.ID); return err },
				"ListMeetings":   func() error { _, err := w.svc.ListMeetings(ctx, a, bg.committee.ID); return err },
				"AdvanceMeeting": func() error { _, err := w.svc.AdvanceMeeting(ctx, a, bm.ID, meetings.Closed); return err },
				"AddAgendaItem": func() error {
					_, err := w.svc.AddAgendaItem(ctx, a, bm.ID, meetings.AgendaItemInput{Title: "x"})
					return err
				},
				"DecideAgendaItem": func() error { _, err := w.svc.DecideAgendaItem(ctx, a, bitem2.ID, true); return err },
				"ReorderAgenda":    func() error { _, err := w.svc.ReorderAgenda(ctx, a, bm.ID, []uuid.UUID{bitem2.ID, bit.ID}); return err },
				"ListAgenda":       func() error { _, err := w.svc.ListAgenda(ctx, a, bm.ID); return err },
				"AttachPaper B item": func() error {
					_, err := w.svc.AttachPaper(ctx, a, bit.ID, bdoc.ID)
					return err
				},
				"AttachPaper B doc": func() error { _, err := w.svc.AttachPaper(ctx, a, ait.ID, bdoc.ID); return err },
				"DetachPaper":       func() error { return w.svc.DetachPaper(ctx, a, bit.ID, bdoc.ID) },
				"ListPapers":        func() error { _, err := w.svc.ListPapers(ctx, a, bm.ID); return err },
				"AddPost":           func() error { _, err := w.svc.AddPost(ctx, a, bit.ID, "x"); return err },
				"ListPosts":         func() error { _, err := w.svc.ListPosts(ctx, a, bit.ID); return err },
				"DeclareConflict":   func() error { _, err := w.svc.DeclareConflict(ctx, a, bit.ID, a.MembershipID, ""); return err },
				"WithdrawConflict":  func() error { return w.svc.WithdrawConflict(ctx, a, bit.ID, bg.carol.MembershipID) },
				"ListConflicts":     func() error { _, err := w.svc.ListConflicts(ctx, a, bit.ID); return err },
				"SetAttendance": func() error {
					_, err := w.svc.SetAttendance(ctx, a, bm.ID, bg.carol.MembershipID, meetings.Present)
					return err
				},
				"Depart":         func() error { _, err := w.svc.Depart(ctx, a, bm.ID, bg.alice.MembershipID); return err },
				"ListAttendance": func() error { _, err := w.svc.ListAttendance(ctx, a, bm.ID); return err },
				"Quorum":         func() error { _, err := w.svc.Quorum(ctx, a, bm.ID, uuid.Nil); return err },
				"Quorum B item":  func() error { _, err := w.svc.Quorum(ctx, a, am.ID, bit.ID); return err },
				"Delegate meeting": func() error {
					_, err := w.svc.Delegate(ctx, a, meetings.DelegationInput{ToMembershipID: w.a.bob.MembershipID, MeetingID: bm.ID})
					return err
				},
				"Delegate poll": func() error {
					_, err := w.svc.Delegate(ctx, a, meetings.DelegationInput{ToMembershipID: w.a.bob.MembershipID, PollID: bp.ID})
					return err
				},
				"RevokeDelegation": func() error { return w.svc.RevokeDelegation(ctx, a, bdel.ID) },
				"CreatePoll item": func() error {
					_, err := w.svc.CreatePoll(ctx, a, meetings.PollInput{AgendaItemID: bit.ID, Title: "x", Kind: meetings.Named, Method: meetings.YesNoAbstain})
					return err
				},
				"CreatePoll written": func() error {
					_, err := w.svc.CreatePoll(ctx, a, meetings.PollInput{CommitteeID: bg.committee.ID, Deadline: now.Add(time.Hour), Title: "x",
						Kind: meetings.Named, Method: meetings.YesNoAbstain})
					return err
				},
				"GetPoll":     func() error { _, err := w.svc.GetPoll(ctx, a, bp.ID); return err },
				"ListPolls":   func() error { _, err := w.svc.ListPolls(ctx, a, bg.committee.ID); return err },
				"OpenPoll":    func() error { _, err := w.svc.OpenPoll(ctx, a, bw.ID); return err },
				"ClosePoll":   func() error { _, err := w.svc.ClosePoll(ctx, a, bp.ID); return err },
				"PublishPoll": func() error { _, err := w.svc.PublishPoll(ctx, a, bclosed.ID); return err },
				"Cast":        func() error { return w.cast(a, bp.ID, meetings.Yes) },
				"Cast for B": func() error {
					_, err := w.svc.Cast(ctx, a, bp.ID, bg.bob.MembershipID, meetings.Vote{Choice: meetings.Yes})
					return err
				},
				"Result":     func() error { _, err := w.svc.Result(ctx, a, bclosed.ID); return err },
				"NamedVotes": func() error { _, err := w.svc.NamedVotes(ctx, a, bp.ID); return err },
			} {
				wantCode(t, call(), errs.NotFound, who.name+": "+name)
			}
		}
		// B's voter ids in A's poll are nobody there.
		_, err = w.svc.Cast(ctx, w.a.alice, ap.ID, bg.alice.MembershipID, meetings.Vote{Choice: meetings.Yes})
		wantCode(t, err, errs.Forbidden, "cast for B's member in A's poll")
		if after := snapshot(); !maps.EqualFunc(before, after, maps.Equal) {
			t.Fatalf("rows changed:\nbefore %v\nafter  %v", before, after)
		}
		// Tenant-wide listings show only the tenant's own.
		list, err := w.svc.ListCommittees(ctx, w.a.admin)
		must(t, err)
		for _, c := range list {
			if c.TenantID != w.a.tenant.ID {
				t.Fatalf("committee of tenant %s listed in %s", c.TenantID, w.a.tenant.ID)
			}
		}
	})
}
