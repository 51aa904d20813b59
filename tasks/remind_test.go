package tasks_test

import (
	"errors"
	"strings"
	"sync"
	"testing"

	"github.com/google/uuid"
	"github.com/kollab/kollab/internal/db"
	"github.com/kollab/kollab/internal/db/dbtest"
	"github.com/kollab/kollab/internal/errs"
	"github.com/kollab/kollab/internal/notify"
	"github.com/kollab/kollab/internal/testenv"
	"github.com/kollab/kollab/tasks"
	"github.com/kollab/kollab/tenant"
)

// Reminders come at each assignee's own lead (1, 3 or 7 days; 3 when
// none was chosen), guests included; the overdue notice on the day after
// the due day; the escalation after three working days; each exactly
// once, however often the run goes; the run looks at a task only on the
// days something is pending.
func TestRemindLeads(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := rmNewWorld(t, d, "2026-12-01")
		ag := w.agency(t, "leads", "")
		_, err := w.svc.SetReminderLead(rmCtx, ag.bob, 1)
		rmMust(t, err)
		_, err = w.svc.SetReminderLead(rmCtx, ag.g1, 7)
		rmMust(t, err)
		tk := w.task(t, ag, "Stellungnahme Bebauungsplan", "2026-12-14", ag.bob, ag.carol, ag.g1) // a Monday
		if got := rmAttention(t, d, ag.tenant.ID, tk.ID); got != "2026-12-07" {
			t.Fatalf("attention after creation: %q", got)
		}
		steps := []struct {
			day                                 string
			tasks, reminders, overdue, escalate int
			next                                string
		}{
			{"2026-12-06", 0, 0, 0, 0, "2026-12-07"},
			{"2026-12-07", 1, 1, 0, 0, "2026-12-11"}, // g1: 7 days ahead
			{"2026-12-07", 0, 0, 0, 0, "2026-12-11"},
			{"2026-12-10", 0, 0, 0, 0, "2026-12-11"},
			{"2026-12-11", 1, 1, 0, 0, "2026-12-13"}, // carol: 3 days (the default)
			{"2026-12-13", 1, 1, 0, 0, "2026-12-15"}, // bob: 1 day, a Sunday
			{"2026-12-14", 0, 0, 0, 0, "2026-12-15"},
			{"2026-12-15", 1, 0, 3, 0, "2026-12-17"}, // overdue, the day after
			{"2026-12-16", 0, 0, 0, 0, "2026-12-17"},
			{"2026-12-17", 1, 0, 0, 1, ""}, // three working days overdue: Tue, Wed, Thu
			{"2026-12-18", 0, 0, 0, 0, ""},
			{"2027-01-20", 0, 0, 0, 0, ""},
		}
		for _, s := range steps {
			rep := w.run(t, s.day)
			if rep.Tasks != s.tasks || rep.Reminders != s.reminders || rep.Overdue != s.overdue || rep.Escalations != s.escalate {
				t.Fatalf("%s: %+v, want %+v", s.day, rep, s)
			}
			if got := rmAttention(t, d, ag.tenant.ID, tk.ID); got != s.next {
				t.Fatalf("%s: attention %q, want %q", s.day, got, s.next)
			}
		}
		sent := rmSentAll(t, d, ag.tenant.ID)
		if len(sent) != 7 {
			t.Fatalf("%d notifications: %+v", len(sent), sent)
		}
		for _, who := range []tenant.Actor{ag.bob, ag.carol, ag.g1} {
			if rmCount(sent, notify.KindTaskDue, tk.ID, who.MembershipID) != 1 || rmCount(sent, notify.KindTaskOverdue, tk.ID, who.MembershipID) != 1 {
				t.Fatalf("%s: %+v", who.MembershipID, sent)
			}
		}
		if rmCount(sent, notify.KindTaskEscalated, tk.ID, ag.alice.MembershipID) != 1 {
			t.Fatalf("escalation: %+v", sent)
		}
		first := sent[0]
		if first.To != ag.g1.MembershipID || !strings.Contains(first.TextDE, "Fällig am 14.12.2026 (Montag)") ||
			!strings.Contains(first.TextEN, "Due on 14 December 2026 (Monday)") || !strings.Contains(first.TitleDE, "Stellungnahme Bebauungsplan") {
			t.Fatalf("reminder text: %+v", first)
		}
		if esc := sent[len(sent)-1]; !strings.Contains(esc.TextDE, "Seit 3 Arbeitstagen überfällig") {
			t.Fatalf("escalation text: %+v", esc)
		}
		// One audit event per run that sent anything.
		if n := rmScalar(t, d, ag.tenant.ID, "SELECT count(*) FROM audit_events WHERE tenant_id = @tenant AND action = ?", tasks.ActionRemindersSent); n != 5 {
			t.Fatalf("%d run audit events", n)
		}

		// A moved deadline is monitored again, from its new day on.
		tk, err = w.svc.Get(rmCtx, ag.alice, tk.ID)
		rmMust(t, err)
		_, err = w.svc.Update(rmCtx, ag.alice, tk.ID, tk.Version, tasks.Patch{DueOn: ptrTo("2027-02-01")})
		rmMust(t, err)
		if rep := w.run(t, "2027-01-25"); rep.Reminders != 1 { // g1, 7 days ahead
			t.Fatalf("after the move: %+v", rep)
		}
		if n := rmCount(rmSentAll(t, d, ag.tenant.ID), notify.KindTaskDue, tk.ID, ag.g1.MembershipID); n != 2 {
			t.Fatalf("g1 reminded %d times", n)
		}
	})
}

func ptrTo[T any](v T) *T { return &v }

// A lead changed to a longer one counts at once; a group's members are
// reminded like people (those of the workspace only); closed tasks and
// tasks of an archived workspace are left alone.
func TestRemindGroupsAndClosed(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := rmNewWorld(t, d, "2026-12-01")
		ag := w.agency(t, "gruppe", "")
		in := tasks.Input{Title: "Gruppenaufgabe", DueOn: "2026-12-14", GroupIDs: []uuid.UUID{ag.group.ID}}
		grp, err := w.svc.Create(rmCtx, ag.alice, ag.ws.ID, in)
		rmMust(t, err)
		closed := w.task(t, ag, "Schon erledigt", "2026-12-14", ag.bob)
		done := tasks.Done
		sts, err := w.svc.Statuses(rmCtx, ag.alice, ag.ws.ID)
		rmMust(t, err)
		for _, st := range sts {
			if st.Category == done {
				_, err = w.svc.Update(rmCtx, ag.alice, closed.ID, closed.Version, tasks.Patch{StatusID: &st.ID})
				rmMust(t, err)
			}
		}
		w.run(t, "2026-12-07")
		if got := rmAttention(t, d, ag.tenant.ID, grp.ID); got != "2026-12-11" {
			t.Fatalf("group task attention %q", got)
		}
		w.clock.Set(rmBerlin("2026-12-08"))
		_, err = w.svc.SetReminderLead(rmCtx, ag.carol, 7)
		rmMust(t, err)
		if got := rmAttention(t, d, ag.tenant.ID, grp.ID); got != "2026-12-08" {
			t.Fatalf("attention after the lead changed: %q", got)
		}
		if rep := w.run(t, "2026-12-08"); rep.Reminders != 1 {
			t.Fatalf("carol's longer lead: %+v", rep)
		}
		w.run(t, "2026-12-20")
		sent := rmSentAll(t, d, ag.tenant.ID)
		if rmCount(sent, notify.KindTaskDue, grp.ID, ag.carol.MembershipID) != 1 || rmCount(sent, notify.KindTaskOverdue, grp.ID, ag.carol.MembershipID) != 1 {
			t.Fatalf("carol: %+v", sent)
		}
		for _, s := range sent {
			if s.To == ag.dave.MembershipID || s.Task == closed.ID {
				t.Fatalf("sent %+v", s)
			}
		}
		// An archived workspace's tasks are not monitored.
		arch := w.task(t, ag, "Im Archiv", "2026-12-28", ag.bob)
		_, err = w.ws.Archive(rmCtx, ag.alice, ag.ws.ID, 0)
		rmMust(t, err)
		if rep := w.run(t, "2026-12-29"); rep.Tasks != 1 || rep.Reminders+rep.Overdue+rep.Escalations != 0 {
			t.Fatalf("archived: %+v", rep)
		}
		if got := rmAttention(t, d, ag.tenant.ID, arch.ID); got != "" {
			t.Fatalf("archived attention %q", got)
		}
	})
}

// Escalation counts working days of the tenant's federal state: due on
// Friday 2 January 2026 in Bayern, three working days overdue is Thursday
// the 8th (the weekend and Heilige Drei Könige on Tuesday the 6th do not
// count); nationwide it would be Wednesday the 7th. The responsible person
// is told; when they are no longer a member of the workspace, its owners.
// A workspace's own escalation setting counts.
func TestEscalationWorkdays(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := rmNewWorld(t, d, "2025-12-29")
		ag := w.agency(t, "bayern", "BY")
		tk := w.task(t, ag, "Widerspruch bescheiden", "2026-01-02", ag.bob)
		if rep := w.run(t, "2026-01-03"); rep.Overdue != 1 || rep.Escalations != 0 {
			t.Fatalf("the day after: %+v", rep)
		}
		if got := rmAttention(t, d, ag.tenant.ID, tk.ID); got != "2026-01-08" {
			t.Fatalf("escalation day %q", got)
		}
		for _, day := range []string{"2026-01-05", "2026-01-06", "2026-01-07"} {
			if rep := w.run(t, day); rep.Escalations != 0 {
				t.Fatalf("%s: %+v", day, rep)
			}
		}
		if rep := w.run(t, "2026-01-08"); rep.Escalations != 1 {
			t.Fatalf("escalation: %+v", rep)
		}
		w.run(t, "2026-01-09")
		sent := rmSentAll(t, d, ag.tenant.ID)
		if rmCount(sent, notify.KindTaskEscalated, tk.ID, ag.alice.MembershipID) != 1 || len(sent) != 2 {
			t.Fatalf("sent %+v", sent)
		}

		// The responsible person left: the owners are told (alice, and
		// carol made an owner), after the workspace's 5 working days.
		_, err := w.svc.SetTaskSettings(rmCtx, ag.alice, ag.ws.ID, 0, tasks.AreaSettingsInput{EscalationWorkdays: 5})
		rmMust(t, err)
		rmMust(t, d.Tenant(rmCtx, ag.tenant.ID, func(tx *db.Tx) error {
			return tx.Exec("UPDATE workspaces SET responsible_id = ? WHERE tenant_id = @tenant AND id = ?", ag.dave.MembershipID, ag.ws.ID).Error
		}))
		_, err = w.ws.SetMember(rmCtx, ag.alice, ag.ws.ID, ag.carol.MembershipID, "owner")
		rmMust(t, err)
		w.clock.Set(rmBerlin("2026-01-09"))
		tk2 := w.task(t, ag, "Zweiter Widerspruch", "2026-01-09", ag.bob) // Friday
		// 5 working days after Friday the 9th: Mon 12th to Fri 16th.
		for _, day := range []string{"2026-01-10", "2026-01-15"} {
			if rep := w.run(t, day); rep.Escalations != 0 {
				t.Fatalf("%s: %+v", day, rep)
			}
		}
		if rep := w.run(t, "2026-01-16"); rep.Escalations != 2 {
			t.Fatalf("escalation to the owners: %+v", rep)
		}
		sent = rmSentAll(t, d, ag.tenant.ID)
		if rmCount(sent, notify.KindTaskEscalated, tk2.ID, ag.alice.MembershipID) != 1 || rmCount(sent, notify.KindTaskEscalated, tk2.ID, ag.carol.MembershipID) != 1 ||
			rmCount(sent, notify.KindTaskEscalated, tk2.ID, ag.dave.MembershipID) != 0 {
			t.Fatalf("sent %+v", sent)
		}
	})
}

// A crash between the send and its record: the transaction that emitted
// the notifications fails before its commit. Nothing was sent and nothing
// recorded; the next run sends each notification once. A task that fails
// holds back no other task of its transaction.
func TestRemindCrashBeforeCommit(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := rmNewWorld(t, d, "2026-12-01")
		ag := w.agency(t, "absturz", "")
		tk := w.task(t, ag, "Frist", "2026-12-10", ag.bob, ag.g1)
		w.clock.Set(rmBerlin("2026-12-10"))
		crash := errors.New("crash")
		calls := 0
		crashing := tasks.WithRemindFailpoint(rmCtx, func(id uuid.UUID) error {
			calls++
			return crash
		})
		rep, err := w.svc.RemindDue(crashing, w.clock.Now())
		if !errors.Is(err, crash) || calls != 1 || rep.Failed != 1 || rep.Reminders != 0 {
			t.Fatalf("crashed run: %+v %v (%d calls)", rep, err, calls)
		}
		if sent := rmSentAll(t, d, ag.tenant.ID); len(sent) != 0 {
			t.Fatalf("sent in a crashed run: %+v", sent)
		}
		if n := rmScalar(t, d, ag.tenant.ID, "SELECT count(*) FROM task_reminders WHERE tenant_id = @tenant"); n != 0 {
			t.Fatalf("%d records of a crashed run", n)
		}
		if got := rmAttention(t, d, ag.tenant.ID, tk.ID); got != "2026-12-03" {
			t.Fatalf("attention after the crash %q", got)
		}
		// Only tk fails now: other, handled in the same transaction at first, goes out.
		other := w.task(t, ag, "Andere Frist", "2026-12-11", ag.bob)
		rep, err = w.svc.RemindDue(tasks.WithRemindFailpoint(rmCtx, func(id uuid.UUID) error {
			if id == tk.ID {
				return crash
			}
			return nil
		}), w.clock.Now())
		if !errors.Is(err, crash) || rep.Failed != 1 || rep.Reminders != 1 {
			t.Fatalf("run with one failing task: %+v %v", rep, err)
		}
		for range 3 {
			w.run(t, "2026-12-10")
		}
		sent := rmSentAll(t, d, ag.tenant.ID)
		if len(sent) != 3 || rmCount(sent, notify.KindTaskDue, tk.ID, ag.bob.MembershipID) != 1 || rmCount(sent, notify.KindTaskDue, tk.ID, ag.g1.MembershipID) != 1 ||
			rmCount(sent, notify.KindTaskDue, other.ID, ag.bob.MembershipID) != 1 {
			t.Fatalf("after the crash: %+v", sent)
		}
	})
}

// Two instances on one PostgreSQL run the deadline monitoring at the same
// time, again and again: every reminder, overdue notice and escalation
// goes out exactly once.
func TestRemindTwoInstances(t *testing.T) {
	ownerURL, appURL := testenv.PostgresURLs(t)
	rmMust(t, db.Migrate(rmCtx, db.MigrateOptions{OwnerURL: ownerURL, AppRole: testenv.PostgresAppRole(t)}))
	open := func() *db.DB {
		d, err := db.Open(rmCtx, db.Options{URL: appURL, MaxOpenConns: 8})
		rmMust(t, err)
		t.Cleanup(func() { _ = d.Close() })
		return d
	}
	d1, d2 := open(), open()
	w := rmNewWorld(t, d1, "2026-11-20")
	ag := w.agency(t, "zwei", "")
	const n = 15
	var soon, late []*tasks.Task
	for i := range n {
		soon = append(soon, w.task(t, ag, "Bald "+string(rune('A'+i)), "2026-12-11", ag.bob, ag.carol, ag.g1))
		late = append(late, w.task(t, ag, "Spät "+string(rune('A'+i)), "2026-11-27", ag.bob, ag.carol, ag.g1))
	}
	clock := testenv.NewClock(rmBerlin("2026-12-10"))
	instances := []*tasks.Service{
		tasks.NewService(d1, tasks.WithClock(clock.Now), tasks.WithNotify(notify.New(d1))),
		tasks.NewService(d2, tasks.WithClock(clock.Now), tasks.WithNotify(notify.New(d2))),
	}
	var wg sync.WaitGroup
	var mu sync.Mutex
	total := tasks.DueReport{}
	for _, svc := range instances {
		for range 2 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for range 3 {
					rep, err := svc.RemindDue(rmCtx, clock.Now())
					if err != nil {
						t.Error(err)
						return
					}
					mu.Lock()
					total.Reminders += rep.Reminders
					total.Overdue += rep.Overdue
					total.Escalations += rep.Escalations
					mu.Unlock()
				}
			}()
		}
	}
	wg.Wait()
	if total.Reminders != 3*n || total.Overdue != 3*n || total.Escalations != n {
		t.Fatalf("reported %+v", total)
	}
	sent := rmSentAll(t, d1, ag.tenant.ID)
	if len(sent) != 7*n {
		t.Fatalf("%d notifications, want %d", len(sent), 7*n)
	}
	for i := range n {
		for _, who := range []tenant.Actor{ag.bob, ag.carol, ag.g1} {
			if rmCount(sent, notify.KindTaskDue, soon[i].ID, who.MembershipID) != 1 || rmCount(sent, notify.KindTaskOverdue, late[i].ID, who.MembershipID) != 1 {
				t.Fatalf("task %d, %s: %+v", i, who.MembershipID, sent)
			}
		}
		if rmCount(sent, notify.KindTaskEscalated, late[i].ID, ag.alice.MembershipID) != 1 {
			t.Fatalf("escalation of task %d", i)
		}
	}
}

// The settings: a person's own lead (1, 3 or 7; 3 by default), and a
// workspace's escalation (1 to 60 working days; 3 by default), which its
// owners and admins change and its members read.
func TestDeadlineSettings(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := rmNewWorld(t, d, "2026-12-01")
		ag := w.agency(t, "einst", "")
		other := w.agency(t, "anders", "")
		if l, err := w.svc.ReminderLead(rmCtx, ag.g1); err != nil || l != tasks.DefaultLeadDays {
			t.Fatalf("default lead %d %v", l, err)
		}
		_, err := w.svc.SetReminderLead(rmCtx, ag.g1, 5)
		rmWantCode(t, "lead 5", err, errs.Invalid)
		_, err = w.svc.SetReminderLead(rmCtx, ag.g1, 7)
		rmMust(t, err)
		if l, err := w.svc.ReminderLead(rmCtx, ag.g1); err != nil || l != 7 {
			t.Fatalf("lead %d %v", l, err)
		}
		if l, err := w.svc.ReminderLead(rmCtx, ag.bob); err != nil || l != 3 {
			t.Fatalf("bob's lead %d %v", l, err)
		}

		st, err := w.svc.TaskSettings(rmCtx, ag.bob, ag.ws.ID)
		if err != nil || st.EscalationWorkdays != 3 || st.Version != 1 || st.CanWrite {
			t.Fatalf("bob reads %+v %v", st, err)
		}
		_, err = w.svc.SetTaskSettings(rmCtx, ag.bob, ag.ws.ID, 0, tasks.AreaSettingsInput{EscalationWorkdays: 5})
		rmWantCode(t, "a member writes", err, errs.Forbidden)
		for name, who := range map[string]tenant.Actor{"dave outside": ag.dave, "another tenant's admin": other.admin} {
			_, err = w.svc.TaskSettings(rmCtx, who, ag.ws.ID)
			rmWantCode(t, name+" reads", err, errs.NotFound)
			_, err = w.svc.SetTaskSettings(rmCtx, who, ag.ws.ID, 0, tasks.AreaSettingsInput{EscalationWorkdays: 5})
			rmWantCode(t, name+" writes", err, errs.NotFound)
		}
		for _, bad := range []int{0, 61, -1} {
			_, err = w.svc.SetTaskSettings(rmCtx, ag.alice, ag.ws.ID, 0, tasks.AreaSettingsInput{EscalationWorkdays: bad})
			rmWantCode(t, "escalation out of range", err, errs.Invalid)
		}
		st, err = w.svc.SetTaskSettings(rmCtx, ag.alice, ag.ws.ID, 1, tasks.AreaSettingsInput{EscalationWorkdays: 10})
		if err != nil || st.Version != 2 || st.EscalationWorkdays != 10 {
			t.Fatalf("set %+v %v", st, err)
		}
		_, err = w.svc.SetTaskSettings(rmCtx, ag.admin, ag.ws.ID, 1, tasks.AreaSettingsInput{EscalationWorkdays: 4})
		rmWantCode(t, "stale version", err, errs.PreconditionFailed)
		st, err = w.svc.SetTaskSettings(rmCtx, ag.admin, ag.ws.ID, 2, tasks.AreaSettingsInput{EscalationWorkdays: 4})
		if err != nil || st.Version != 3 {
			t.Fatalf("admin sets %+v %v", st, err)
		}
		if st, err := w.svc.TaskSettings(rmCtx, ag.alice, ag.ws.ID); err != nil || st.EscalationWorkdays != 4 || st.Version != 3 || !st.CanWrite {
			t.Fatalf("alice reads %+v %v", st, err)
		}
		if n := rmScalar(t, d, ag.tenant.ID, "SELECT count(*) FROM audit_events WHERE tenant_id = @tenant AND action IN ?",
			[]string{tasks.ActionAreaUpdated, tasks.ActionReminderLeadUpdated}); n != 3 {
			t.Fatalf("%d audit events", n)
		}
		_, err = w.ws.Archive(rmCtx, ag.alice, ag.ws.ID, 0)
		rmMust(t, err)
		_, err = w.svc.SetTaskSettings(rmCtx, ag.alice, ag.ws.ID, 0, tasks.AreaSettingsInput{EscalationWorkdays: 5})
		rmWantCode(t, "archived", err, errs.Conflict)
	})
}
