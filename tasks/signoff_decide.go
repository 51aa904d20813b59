package tasks

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/kollab/kollab/internal/db"
	"github.com/kollab/kollab/internal/errs"
	"github.com/kollab/kollab/tenant"
)

// ApproveSignoff approves the caller's step of a running request (a
// comment is optional). The step is the one naming the caller, or else
// one naming a group the caller belongs to; in sequence it must be the
// first pending step.
func (s *Service) ApproveSignoff(ctx context.Context, a tenant.Actor, id uuid.UUID, comment string) (*Signoff, error) {
	c, err := checkSignoffComment(comment, false)
	if err != nil {
		return nil, err
	}
	return s.decide(ctx, a, id, StepApproved, c)
}

// ReturnSignoff returns a running request from the caller's step with a
// comment (required): the request ends returned and its requester is
// told; they may ask again.
func (s *Service) ReturnSignoff(ctx context.Context, a tenant.Actor, id uuid.UUID, comment string) (*Signoff, error) {
	c, err := checkSignoffComment(comment, true)
	if err != nil {
		return nil, err
	}
	return s.decide(ctx, a, id, StepReturned, c)
}

// WithdrawSignoff ends a running request as withdrawn (its requester only).
func (s *Service) WithdrawSignoff(ctx context.Context, a tenant.Actor, id uuid.UUID) (*Signoff, error) {
	var out *Signoff
	err := s.run(ctx, a, func(tx *db.Tx) error {
		r, obj, err := loadSignoff(tx, a, id, true)
		if err != nil {
			return err
		}
		if r.State != SignoffRunning {
			return errSignoffClosed()
		}
		if r.RequestedBy != a.MembershipID {
			return errs.New(errs.Forbidden, errs.M("tasks.signoff-withdraw-own", "Zurückziehen kann eine Mitzeichnung nur, wer um sie gebeten hat.",
				"Only whoever asked for a sign-off can withdraw it."))
		}
		if obj.task != nil && obj.task.ar.State != "active" {
			return errArchived()
		}
		if err := closeSignoff(tx, r, SignoffWithdrawn, a.MembershipID, s.now()); err != nil {
			return err
		}
		if err := a.Record(ctx, tx, ActionSignoffWithdrawn, signoffTargetType, r.ID, signoffDetails(r, obj)); err != nil {
			return err
		}
		if obj.task != nil {
			if err := addHistory(tx, obj.task.t.ID, a.MembershipID, "signoff", string(SignoffRunning), string(SignoffWithdrawn), s.now()); err != nil {
				return err
			}
		}
		out, err = s.signoffView(tx, a, r.ID)
		return err
	})
	return out, err
}

// loadSignoff reads request id for the caller, locking its row
// (PostgreSQL) when lock is set; NotFound unless the caller can see its
// object (a task's workspace members and admins, a document's readers).
func loadSignoff(tx *db.Tx, a tenant.Actor, id uuid.UUID, lock bool) (*signoffRow, *signObject, error) {
	q := "SELECT * FROM signoff_requests WHERE tenant_id = @tenant AND id = ?"
	if lock {
		q = forUpdate(tx, q)
	}
	var rows []signoffRow
	if err := tx.Raw(q, id).Scan(&rows).Error; err != nil {
		return nil, nil, fmt.Errorf("tasks: load sign-off: %w", err)
	}
	if len(rows) == 0 {
		return nil, nil, errNotFound()
	}
	r := &rows[0]
	if r.TaskID != nil {
		sc, err := loadTask(tx, a, *r.TaskID, false)
		if err != nil {
			return nil, nil, err
		}
		return r, &signObject{task: sc, title: sc.t.Title}, nil
	}
	obj, err := loadDocumentObject(tx, a, *r.DocumentID, false)
	if err != nil {
		return nil, nil, err
	}
	obj.revID = *r.RevisionID
	return r, obj, nil
}

// loadSteps reads the steps of the requests ids, in order.
func loadSteps(tx *db.Tx, ids []uuid.UUID) ([]stepRow, error) {
	var out []stepRow
	if len(ids) == 0 {
		return out, nil
	}
	if err := tx.Table(stepsTable).Where("request_id IN ?", ids).Order("request_id, position").Scan(&out).Error; err != nil {
		return nil, fmt.Errorf("tasks: read sign-off steps: %w", err)
	}
	return out, nil
}

// myGroups reports which of groups the caller belongs to.
func myGroups(tx *db.Tx, a tenant.Actor, groups []uuid.UUID) (map[uuid.UUID]bool, error) {
	out := map[uuid.UUID]bool{}
	if len(groups) == 0 {
		return out, nil
	}
	var got []uuid.UUID
	if err := tx.Table("group_members").Where("membership_id = ? AND group_id IN ?", a.MembershipID, groups).
		Pluck("group_id", &got).Error; err != nil {
		return nil, fmt.Errorf("tasks: read my groups: %w", err)
	}
	for _, g := range got {
		out[g] = true
	}
	return out, nil
}

// mine reports whether step st names the caller, directly or by a group.
func (st *stepRow) mine(a tenant.Actor, groups map[uuid.UUID]bool) bool {
	return (st.MembershipID != nil && *st.MembershipID == a.MembershipID) || (st.GroupID != nil && groups[*st.GroupID])
}

// pickStep finds the step the caller decides now, or says why there is none.
func pickStep(tx *db.Tx, a tenant.Actor, r *signoffRow, obj *signObject, steps []stepRow) (int, error) {
	if r.State != SignoffRunning {
		return -1, errSignoffClosed()
	}
	if r.RequestedBy == a.MembershipID {
		return -1, errs.New(errs.Forbidden, errs.M("tasks.signoff-requester-cannot-sign", "Wer um Mitzeichnung gebeten hat, kann sie nicht selbst erteilen oder zurückgeben, auch nicht über eine Gruppe.",
			"Whoever asked for a sign-off cannot approve or return it themself, not even through a group."))
	}
	if obj.task != nil && obj.task.ar.State != "active" {
		return -1, errArchived()
	}
	var groups []uuid.UUID
	for _, st := range steps {
		if st.DecidedBy != nil && *st.DecidedBy == a.MembershipID {
			return -1, errs.New(errs.Conflict, errs.M("tasks.signoff-already-decided", "Sie haben in dieser Mitzeichnung bereits entschieden; jeder Schritt braucht eine andere Person.",
				"You have already decided in this sign-off; each step needs another person."))
		}
		if st.GroupID != nil && st.State == StepPending {
			groups = append(groups, *st.GroupID)
		}
	}
	mg, err := myGroups(tx, a, groups)
	if err != nil {
		return -1, err
	}
	turn := map[uuid.UUID]bool{}
	for _, st := range turnSteps(r, steps) {
		turn[st.ID] = true
	}
	pick, eligible := -1, false
	for i := range steps {
		st := &steps[i]
		if st.State != StepPending || !st.mine(a, mg) {
			continue
		}
		eligible = true
		if turn[st.ID] && (pick < 0 || st.MembershipID != nil && steps[pick].MembershipID == nil) {
			pick = i
		}
	}
	switch {
	case !eligible:
		return -1, errs.New(errs.Forbidden, errs.M("tasks.signoff-not-signer", "Sie sind in dieser Mitzeichnung nicht (mehr) zur Entscheidung aufgefordert.",
			"You are not (or no longer) asked to decide in this sign-off."))
	case pick < 0:
		return -1, errs.New(errs.Conflict, errs.M("tasks.signoff-not-your-turn", "Ihr Schritt ist noch nicht an der Reihe: diese Mitzeichnung läuft nacheinander.",
			"Your step is not yet due: this sign-off runs in sequence."))
	}
	return pick, nil
}

// decide records the caller's verdict on their step of request id and
// what follows from it, all under the request's row lock.
func (s *Service) decide(ctx context.Context, a tenant.Actor, id uuid.UUID, verdict StepState, comment string) (*Signoff, error) {
	var out *Signoff
	err := s.run(ctx, a, func(tx *db.Tx) error {
		r, obj, err := loadSignoff(tx, a, id, true)
		if err != nil {
			return err
		}
		steps, err := loadSteps(tx, []uuid.UUID{r.ID})
		if err != nil {
			return err
		}
		i, err := pickStep(tx, a, r, obj, steps)
		if err != nil {
			return err
		}
		now := s.now()
		n, err := tx.ExecCount(`UPDATE signoff_steps SET state = ?, decided_by = ?, decided_at = ?, comment = ?
			WHERE tenant_id = @tenant AND id = ? AND state = 'pending'`, verdict, a.MembershipID, now, comment, steps[i].ID)
		if err != nil && !db.IsUniqueViolation(err) {
			return fmt.Errorf("tasks: decide sign-off step: %w", err)
		}
		if err != nil || n != 1 {
			return errs.New(errs.Conflict, errs.M("tasks.signoff-step-taken", "Dieser Schritt wurde eben entschieden. Bitte laden Sie die Mitzeichnung neu.",
				"This step was just decided. Please reload the sign-off."))
		}
		steps[i].State, steps[i].DecidedBy, steps[i].DecidedAt = verdict, &a.MembershipID, &now
		details := signoffDetails(r, obj)
		details["step"] = fmt.Sprint(steps[i].Position + 1)
		action := ActionSignoffApproved
		if verdict == StepReturned {
			action = ActionSignoffReturned
		}
		if err := a.Record(ctx, tx, action, signoffTargetType, r.ID, details); err != nil {
			return err
		}
		if err := s.afterDecision(ctx, tx, a, r, obj, steps, comment, now); err != nil {
			return err
		}
		out, err = s.signoffView(tx, a, r.ID)
		return err
	})
	return out, err
}

// afterDecision closes the request when a step was returned or the last
// one approved (telling the requester; a task gets a history row and a
// feed entry), else tells the next signer in sequence.
func (s *Service) afterDecision(ctx context.Context, tx *db.Tx, a tenant.Actor, r *signoffRow, obj *signObject, steps []stepRow, comment string, now time.Time) error {
	returned, pending := false, 0
	for _, st := range steps {
		returned = returned || st.State == StepReturned
		if st.State == StepPending {
			pending++
		}
	}
	if !returned && pending > 0 {
		if _, err := tx.ExecCount("UPDATE signoff_requests SET version = version + 1 WHERE tenant_id = @tenant AND id = ?", r.ID); err != nil {
			return fmt.Errorf("tasks: count sign-off version: %w", err)
		}
		if r.Mode == Sequence {
			return s.notifyTurn(ctx, tx, a.MembershipID, r, obj, steps)
		}
		return nil
	}
	state, feed := SignoffApproved, "task.signed_off"
	if returned {
		state, feed = SignoffReturned, "task.signoff_returned"
	}
	if err := closeSignoff(tx, r, state, a.MembershipID, now); err != nil {
		return err
	}
	if state == SignoffApproved {
		if err := a.Record(ctx, tx, ActionSignoffCompleted, signoffTargetType, r.ID, signoffDetails(r, obj)); err != nil {
			return err
		}
	}
	if obj.task != nil {
		if err := addHistory(tx, obj.task.t.ID, a.MembershipID, "signoff", string(SignoffRunning), string(state), now); err != nil {
			return err
		}
		if err := s.feed(tx, obj.task.t.WorkspaceID, feed, a.MembershipID, obj.task.t.ID, obj.task.t.Title); err != nil {
			return err
		}
	}
	return s.notifyDecided(ctx, tx, a.MembershipID, r, obj, comment)
}

// closeSignoff ends running request r in state, its pending steps cancelled.
func closeSignoff(tx *db.Tx, r *signoffRow, state SignoffState, by uuid.UUID, now time.Time) error {
	n, err := tx.ExecCount(`UPDATE signoff_requests SET state = ?, closed_at = ?, closed_by = ?, version = version + 1
		WHERE tenant_id = @tenant AND id = ? AND state = 'running'`, state, now, by, r.ID)
	if err != nil {
		return fmt.Errorf("tasks: close sign-off: %w", err)
	}
	if n != 1 {
		return errSignoffClosed()
	}
	if _, err := tx.ExecCount(`UPDATE signoff_steps SET state = 'cancelled' WHERE tenant_id = @tenant AND request_id = ? AND state = 'pending'`,
		r.ID); err != nil {
		return fmt.Errorf("tasks: cancel sign-off steps: %w", err)
	}
	r.State, r.ClosedAt, r.ClosedBy = state, &now, &by
	return nil
}

func errSignoffClosed() error {
	return errs.New(errs.Conflict, errs.M("tasks.signoff-closed", "Diese Mitzeichnung ist bereits abgeschlossen.", "This sign-off has already ended."))
}
