package tasks_test

import (
	"strings"
	"testing"

	"github.com/google/uuid"
	"github.com/kollab/kollab/internal/db"
	"github.com/kollab/kollab/internal/db/dbtest"
	"github.com/kollab/kollab/internal/errs"
	"github.com/kollab/kollab/internal/notify"
	"github.com/kollab/kollab/tasks"
	"github.com/kollab/kollab/tenant"
)

// person and group name the signer of one step.
func person(a tenant.Actor) tasks.Signer { return tasks.Signer{MembershipID: ptr(a.MembershipID)} }

func group(id uuid.UUID) tasks.Signer { return tasks.Signer{GroupID: ptr(id)} }

// signGroup makes a group of ag's tenant with the members given.
func (w *world) signGroup(t *testing.T, ag *agency, name string, members ...tenant.Actor) uuid.UUID {
	t.Helper()
	op := tenant.Operator(ag.tenant.ID)
	g, err := w.tenants.CreateGroup(ctx, op, name+" "+uuid.NewString()[:6], "")
	must(t, err)
	for _, m := range members {
		must(t, w.tenants.SetGroupMember(ctx, op, g.ID, m.MembershipID, true))
	}
	return g.ID
}

// auditCount counts the tenant's audit events of action about request id.
func (w *world) auditCount(t *testing.T, tid uuid.UUID, action string, id uuid.UUID) (n int64) {
	t.Helper()
	must(t, w.d.Tenant(ctx, tid, func(tx *db.Tx) error {
		return tx.Table("audit_events").Where("action = ? AND target_id = ?", action, id.String()).Count(&n).Error
	}))
	return n
}

func stepStates(so *tasks.Signoff) string {
	var b strings.Builder
	for i, st := range so.Steps {
		if i > 0 {
			b.WriteString(",")
		}
		b.WriteString(string(st.State))
	}
	return b.String()
}

// TestSignoffRequesterCannotSign: the requester is refused as a signer
// (422), cannot decide through a group (403, a clear message), and a group
// of only the requester is refused; another member of the group decides.
func TestSignoffRequesterCannotSign(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		ag := w.a
		tk := w.task(t, ag, tasks.Input{Title: "Vermerk Statik"})
		_, err := w.svc.RequestTaskSignoff(ctx, ag.alice, tk.ID, tasks.SignoffInput{Steps: []tasks.Signer{person(ag.alice)}})
		wantCode(t, "requester as signer", err, errs.Invalid)
		only := w.signGroup(t, ag, "Nur Alice", ag.alice)
		_, err = w.svc.RequestTaskSignoff(ctx, ag.alice, tk.ID, tasks.SignoffInput{Steps: []tasks.Signer{group(only)}})
		wantCode(t, "group of the requester only", err, errs.Invalid)

		both := w.signGroup(t, ag, "Sachgebiet", ag.alice, ag.bob)
		so, err := w.svc.RequestTaskSignoff(ctx, ag.alice, tk.ID, tasks.SignoffInput{Steps: []tasks.Signer{group(both)}, Note: "Bitte prüfen"})
		must(t, err)
		if so.State != tasks.SignoffRunning || len(so.Steps) != 1 || !so.Steps[0].Turn || so.CanDecide || !so.CanWithdraw {
			t.Fatalf("request: %+v", so)
		}
		_, err = w.svc.ApproveSignoff(ctx, ag.alice, so.ID, "")
		wantCode(t, "requester approves through the group", err, errs.Forbidden)
		if e := errs.As(err); e == nil || !strings.Contains(e.Detail.DE, "nicht selbst") {
			t.Fatalf("message: %v", err)
		}
		_, err = w.svc.ReturnSignoff(ctx, ag.alice, so.ID, "Nein")
		wantCode(t, "requester returns", err, errs.Forbidden)
		if mine, err := w.svc.MySignoffs(ctx, ag.alice); err != nil || len(mine) != 0 {
			t.Fatalf("the requester's own request waits for them: %+v %v", mine, err)
		}
		if w.events(t, ag.tenant.ID, notify.KindSignoffRequested, ag.bob.MembershipID) != 1 ||
			w.events(t, ag.tenant.ID, notify.KindSignoffRequested, ag.alice.MembershipID) != 0 {
			t.Fatal("the group's members besides the requester are told")
		}
		got, err := w.svc.ApproveSignoff(ctx, ag.bob, so.ID, "Passt")
		must(t, err)
		if got.State != tasks.SignoffApproved || got.Steps[0].DecidedBy == nil || *got.Steps[0].DecidedBy != ag.bob.MembershipID ||
			got.Steps[0].DeciderName == "" || got.Steps[0].Comment != "Passt" {
			t.Fatalf("approved through the group: %+v", got.Steps)
		}
		if w.auditCount(t, ag.tenant.ID, tasks.ActionSignoffApproved, so.ID) != 1 || w.auditCount(t, ag.tenant.ID, tasks.ActionSignoffCompleted, so.ID) != 1 {
			t.Fatal("audit of the step and the completion")
		}
		if w.events(t, ag.tenant.ID, notify.KindSignoffDecided, ag.alice.MembershipID) != 1 {
			t.Fatal("the requester is told")
		}
		tk2, err := w.svc.Get(ctx, ag.carol, tk.ID)
		must(t, err)
		if !tk2.SignedOff {
			t.Fatal("the task shows signed off")
		}
	})
}

// TestSignoffSequence: steps are decided in order (409 out of turn), the
// next signer is told when it is their turn, the last approval ends the
// request approved with history and a feed entry; signers must be able to
// read the task.
func TestSignoffSequence(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		ag := w.a
		tk := w.task(t, ag, tasks.Input{Title: "Bescheid Bauantrag"})
		_, err := w.svc.RequestTaskSignoff(ctx, ag.alice, tk.ID, tasks.SignoffInput{Steps: []tasks.Signer{person(ag.bob), person(ag.dave)}})
		wantCode(t, "a signer outside the workspace", err, errs.Invalid)
		_, err = w.svc.RequestTaskSignoff(ctx, ag.alice, tk.ID, tasks.SignoffInput{Steps: []tasks.Signer{person(w.b.alice)}})
		wantCode(t, "a signer of another tenant", err, errs.Invalid)
		_, err = w.svc.RequestTaskSignoff(ctx, ag.alice, tk.ID, tasks.SignoffInput{Steps: []tasks.Signer{person(ag.bob), person(ag.bob)}})
		wantCode(t, "a signer twice", err, errs.Invalid)
		_, err = w.svc.RequestTaskSignoff(ctx, ag.carol, tk.ID, tasks.SignoffInput{Steps: []tasks.Signer{person(ag.bob)}})
		wantCode(t, "a reader asks", err, errs.Forbidden)

		so, err := w.svc.RequestTaskSignoff(ctx, ag.alice, tk.ID, tasks.SignoffInput{Mode: tasks.Sequence, Steps: []tasks.Signer{person(ag.bob), person(ag.carol)}})
		must(t, err)
		_, err = w.svc.RequestTaskSignoff(ctx, ag.bob, tk.ID, tasks.SignoffInput{Steps: []tasks.Signer{person(ag.carol)}})
		wantCode(t, "a second running request", err, errs.Conflict)
		if w.events(t, ag.tenant.ID, notify.KindSignoffRequested, ag.carol.MembershipID) != 0 {
			t.Fatal("carol is told before her turn")
		}
		if mine, err := w.svc.MySignoffs(ctx, ag.carol); err != nil || len(mine) != 0 {
			t.Fatalf("carol's list before her turn: %+v %v", mine, err)
		}
		_, err = w.svc.ApproveSignoff(ctx, ag.carol, so.ID, "")
		wantCode(t, "out of turn", err, errs.Conflict)
		if e := errs.As(err); e == nil || !strings.Contains(e.Detail.DE, "noch nicht an der Reihe") {
			t.Fatalf("message: %v", err)
		}
		_, err = w.svc.ApproveSignoff(ctx, ag.dave, so.ID, "")
		wantCode(t, "someone outside the workspace", err, errs.NotFound)
		_, err = w.svc.ApproveSignoff(ctx, ag.g1, so.ID, "")
		wantCode(t, "a member not named", err, errs.Forbidden)

		mid, err := w.svc.ApproveSignoff(ctx, ag.bob, so.ID, "")
		must(t, err)
		if mid.State != tasks.SignoffRunning || stepStates(mid) != "approved,pending" || !mid.Steps[1].Turn || mid.Version != 2 {
			t.Fatalf("after the first step: %+v", mid)
		}
		_, err = w.svc.ApproveSignoff(ctx, ag.bob, so.ID, "")
		wantCode(t, "the same signer again", err, errs.Conflict)
		if w.events(t, ag.tenant.ID, notify.KindSignoffRequested, ag.carol.MembershipID) != 1 {
			t.Fatal("carol is told when it is her turn")
		}
		mine, err := w.svc.MySignoffs(ctx, ag.carol)
		must(t, err)
		if len(mine) != 1 || mine[0].ID != so.ID || !mine[0].CanDecide || mine[0].Title != tk.Title {
			t.Fatalf("carol's list: %+v", mine)
		}
		done, err := w.svc.ApproveSignoff(ctx, ag.carol, so.ID, "Einverstanden")
		must(t, err)
		if done.State != tasks.SignoffApproved || done.ClosedAt == nil || stepStates(done) != "approved,approved" || done.CanDecide {
			t.Fatalf("approved: %+v", done)
		}
		hs, err := w.svc.History(ctx, ag.alice, tk.ID)
		must(t, err)
		var fields []string
		for _, h := range hs {
			if h.Field == "signoff" {
				fields = append(fields, h.NewValue)
			}
		}
		if strings.Join(fields, ",") != "approved,running" {
			t.Fatalf("history: %v", fields)
		}
		var feed int64
		must(t, d.Tenant(ctx, ag.tenant.ID, func(tx *db.Tx) error {
			return tx.Table("workspace_activity").Where("kind = ? AND object_id = ?", "task.signed_off", tk.ID).Count(&feed).Error
		}))
		if feed != 1 {
			t.Fatalf("feed entries: %d", feed)
		}
		list, err := w.svc.TaskSignoffs(ctx, ag.carol, tk.ID)
		must(t, err)
		if len(list) != 1 || list[0].RequesterName == "" || list[0].Steps[0].Name == "" {
			t.Fatalf("list: %+v", list)
		}
	})
}

// TestSignoffParallel: any pending step may be decided; the request ends
// approved when the last one is; my list is turn-aware.
func TestSignoffParallel(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		ag := w.a
		tk := w.task(t, ag, tasks.Input{Title: "Vergabevermerk"})
		guests := w.signGroup(t, ag, "Externe", ag.g1, ag.g2)
		so, err := w.svc.RequestTaskSignoff(ctx, ag.alice, tk.ID, tasks.SignoffInput{Mode: tasks.Parallel,
			Steps: []tasks.Signer{person(ag.bob), person(ag.carol), group(guests)}})
		must(t, err)
		for _, who := range []tenant.Actor{ag.bob, ag.carol, ag.g1} {
			if w.events(t, ag.tenant.ID, notify.KindSignoffRequested, who.MembershipID) != 1 {
				t.Fatalf("%s is not told", who.MembershipID)
			}
			if mine, err := w.svc.MySignoffs(ctx, who); err != nil || len(mine) != 1 {
				t.Fatalf("my list: %+v %v", mine, err)
			}
		}
		if w.events(t, ag.tenant.ID, notify.KindSignoffRequested, ag.g2.MembershipID) != 0 {
			t.Fatal("a group member who cannot read the task is told")
		}
		_, err = w.svc.ApproveSignoff(ctx, ag.g2, so.ID, "")
		wantCode(t, "a group member outside the workspace", err, errs.NotFound)
		for i, who := range []tenant.Actor{ag.carol, ag.g1, ag.bob} {
			got, err := w.svc.ApproveSignoff(ctx, who, so.ID, "")
			must(t, err)
			if want := map[bool]tasks.SignoffState{true: tasks.SignoffApproved, false: tasks.SignoffRunning}[i == 2]; got.State != want {
				t.Fatalf("after %d approvals: %s", i+1, got.State)
			}
		}
		if mine, err := w.svc.MySignoffs(ctx, ag.bob); err != nil || len(mine) != 0 {
			t.Fatalf("bob's list after: %+v %v", mine, err)
		}
		if n := w.auditCount(t, ag.tenant.ID, tasks.ActionSignoffApproved, so.ID); n != 3 {
			t.Fatalf("%d step events", n)
		}
	})
}

// TestSignoffReturnAndWithdraw: a return needs a comment, ends the request
// and tells the requester; a new request may follow and be withdrawn by
// its requester only; a closed request takes no decision.
func TestSignoffReturnAndWithdraw(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		ag := w.a
		tk := w.task(t, ag, tasks.Input{Title: "Widerspruchsbescheid"})
		so, err := w.svc.RequestTaskSignoff(ctx, ag.alice, tk.ID, tasks.SignoffInput{Mode: tasks.Parallel, Steps: []tasks.Signer{person(ag.bob), person(ag.carol)}})
		must(t, err)
		_, err = w.svc.ReturnSignoff(ctx, ag.bob, so.ID, "  ")
		wantCode(t, "a return without a comment", err, errs.Invalid)
		back, err := w.svc.ReturnSignoff(ctx, ag.bob, so.ID, "Begründung fehlt")
		must(t, err)
		if back.State != tasks.SignoffReturned || stepStates(back) != "returned,cancelled" {
			t.Fatalf("returned: %+v", back)
		}
		if w.events(t, ag.tenant.ID, notify.KindSignoffDecided, ag.alice.MembershipID) != 1 {
			t.Fatal("the requester is told of the return")
		}
		_, err = w.svc.ApproveSignoff(ctx, ag.carol, so.ID, "")
		wantCode(t, "a decision on a returned request", err, errs.Conflict)
		if got, err := w.svc.Get(ctx, ag.alice, tk.ID); err != nil || got.SignedOff {
			t.Fatalf("a returned task is not signed off: %v", err)
		}

		again, err := w.svc.RequestTaskSignoff(ctx, ag.alice, tk.ID, tasks.SignoffInput{Steps: []tasks.Signer{person(ag.bob)}})
		must(t, err)
		_, err = w.svc.WithdrawSignoff(ctx, ag.bob, again.ID)
		wantCode(t, "a signer withdraws", err, errs.Forbidden)
		gone, err := w.svc.WithdrawSignoff(ctx, ag.alice, again.ID)
		must(t, err)
		if gone.State != tasks.SignoffWithdrawn || stepStates(gone) != "cancelled" || gone.CanWithdraw {
			t.Fatalf("withdrawn: %+v", gone)
		}
		_, err = w.svc.ApproveSignoff(ctx, ag.bob, again.ID, "")
		wantCode(t, "a decision on a withdrawn request", err, errs.Conflict)
		_, err = w.svc.WithdrawSignoff(ctx, ag.alice, again.ID)
		wantCode(t, "withdrawn twice", err, errs.Conflict)
		if n := w.auditCount(t, ag.tenant.ID, tasks.ActionSignoffWithdrawn, again.ID); n != 1 {
			t.Fatalf("%d withdrawal events", n)
		}

		// An archived workspace is read-only: nothing waits for a decision there.
		third, err := w.svc.RequestTaskSignoff(ctx, ag.alice, tk.ID, tasks.SignoffInput{Steps: []tasks.Signer{person(ag.bob)}})
		must(t, err)
		cur, err := w.ws.Get(ctx, ag.alice, ag.ws.ID)
		must(t, err)
		_, err = w.ws.Archive(ctx, ag.alice, ag.ws.ID, cur.Version)
		must(t, err)
		_, err = w.svc.ApproveSignoff(ctx, ag.bob, third.ID, "")
		wantCode(t, "a decision in an archived workspace", err, errs.Conflict)
		_, err = w.svc.WithdrawSignoff(ctx, ag.alice, third.ID)
		wantCode(t, "a withdrawal in an archived workspace", err, errs.Conflict)
		if mine, err := w.svc.MySignoffs(ctx, ag.bob); err != nil || len(mine) != 0 {
			t.Fatalf("bob's list in an archived workspace: %+v %v", mine, err)
		}
		if got, err := w.svc.GetSignoff(ctx, ag.carol, third.ID); err != nil || got.CanDecide || got.CanWithdraw {
			t.Fatalf("a reader's view in an archived workspace: %+v %v", got, err)
		}
	})
}

// TestSignoffIsolation: a member of another workspace, a guest of another
// workspace and a member of another tenant see a request, its task's and
// its document's lists exactly as unknown ids.
func TestSignoffIsolation(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		ag := w.a
		tk := w.task(t, ag, tasks.Input{Title: "Geheimer Vermerk"})
		so, err := w.svc.RequestTaskSignoff(ctx, ag.alice, tk.ID, tasks.SignoffInput{Steps: []tasks.Signer{person(ag.bob)}})
		must(t, err)
		ds, err := w.svc.RequestDocumentSignoff(ctx, ag.alice, ag.doc.ID, tasks.SignoffInput{Steps: []tasks.Signer{person(ag.carol)}})
		must(t, err)
		for _, who := range []tenant.Actor{ag.dave, ag.g2, w.b.alice, w.b.admin} {
			for _, id := range []uuid.UUID{so.ID, ds.ID, uuid.New()} {
				_, err := w.svc.GetSignoff(ctx, who, id)
				wantCode(t, "get", err, errs.NotFound)
				_, err = w.svc.ApproveSignoff(ctx, who, id, "")
				wantCode(t, "approve", err, errs.NotFound)
				_, err = w.svc.ReturnSignoff(ctx, who, id, "x")
				wantCode(t, "return", err, errs.NotFound)
				_, err = w.svc.WithdrawSignoff(ctx, who, id)
				wantCode(t, "withdraw", err, errs.NotFound)
			}
			_, err := w.svc.TaskSignoffs(ctx, who, tk.ID)
			wantCode(t, "task list", err, errs.NotFound)
			_, err = w.svc.DocumentSignoffs(ctx, who, ag.doc.ID)
			wantCode(t, "document list", err, errs.NotFound)
			_, err = w.svc.RequestTaskSignoff(ctx, who, tk.ID, tasks.SignoffInput{Steps: []tasks.Signer{person(ag.bob)}})
			wantCode(t, "request on the task", err, errs.NotFound)
			_, err = w.svc.RequestDocumentSignoff(ctx, who, ag.doc.ID, tasks.SignoffInput{Steps: []tasks.Signer{person(ag.bob)}})
			wantCode(t, "request on the document", err, errs.NotFound)
			if mine, err := w.svc.MySignoffs(ctx, who); err != nil || len(mine) != 0 {
				t.Fatalf("my list: %+v %v", mine, err)
			}
		}
		// The tenant's admin sees both, as readers do.
		if _, err := w.svc.GetSignoff(ctx, ag.admin, so.ID); err != nil {
			t.Fatal(err)
		}
		if got, err := w.svc.GetSignoff(ctx, ag.carol, ds.ID); err != nil || !got.CanDecide || got.RevisionNumber != 1 || got.Title != ag.doc.Title {
			t.Fatalf("carol's document request: %+v %v", got, err)
		}
	})
}
