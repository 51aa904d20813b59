package tasks

import (
	"context"
	"fmt"

	"github.com/google/uuid"
	"github.com/kollab/kollab/documents"
	"github.com/kollab/kollab/internal/db"
	"github.com/kollab/kollab/internal/errs"
	"github.com/kollab/kollab/tenant"
)

// GuardRevision is the document store's revision guard
// (documents.WithRevisionGuard): a revision that is signed off (an
// approved request on it) or in sign-off (a running one) is replaced by a
// new revision only when the upload restarts the sign-off. Then, in the
// upload's transaction, the running request is superseded and a new
// running request with the same steps, mode, note and requester starts on
// the new revision (restarted_from names the request it restarts: the
// running one, else the latest approved); an approved request stays
// approved, since it signed off the revision it names.
func (s *Service) GuardRevision(ctx context.Context, tx *db.Tx, a tenant.Actor, ch documents.RevisionChange) error {
	q := "SELECT * FROM signoff_requests WHERE tenant_id = @tenant AND revision_id = ? AND state IN ('running', 'approved') ORDER BY id"
	if ch.New != uuid.Nil {
		q = forUpdate(tx, q)
	}
	var rows []signoffRow
	if err := tx.Raw(q, ch.Replaced).Scan(&rows).Error; err != nil {
		return fmt.Errorf("tasks: read sign-offs of the revision: %w", err)
	}
	if len(rows) == 0 {
		return nil
	}
	if !ch.Restart {
		return errs.New(errs.Conflict, errs.M("tasks.signoff-revision-guarded", "Die aktuelle Version dieses Dokuments ist mitgezeichnet oder in der Mitzeichnung. Eine neue Version startet die Mitzeichnung neu; bitte bestätigen Sie das ausdrücklich (restart_signoff).",
			"The current revision of this document is signed off or in sign-off. A new revision restarts the sign-off; please confirm that explicitly (restart_signoff)."))
	}
	if ch.New == uuid.Nil {
		return nil
	}
	var titles []string
	if err := tx.Table("documents").Where("id = ?", ch.DocumentID).Pluck("title", &titles).Error; err != nil || len(titles) != 1 {
		return fmt.Errorf("tasks: read document title: %v", err)
	}
	old := &signObject{docID: ch.DocumentID, revID: ch.Replaced, title: titles[0]}
	now := s.now()
	src := &rows[len(rows)-1]
	for i := range rows {
		r := &rows[i]
		if r.State != SignoffRunning {
			continue
		}
		src = r
		if err := closeSignoff(tx, r, SignoffSuperseded, a.MembershipID, now); err != nil {
			return err
		}
		if err := a.Record(ctx, tx, ActionSignoffSuperseded, signoffTargetType, r.ID, signoffDetails(r, old)); err != nil {
			return err
		}
	}
	steps, err := loadSteps(tx, []uuid.UUID{src.ID})
	if err != nil {
		return err
	}
	in := SignoffInput{Mode: src.Mode, Note: src.Note, Steps: make([]Signer, len(steps))}
	for i, st := range steps {
		in.Steps[i] = Signer{MembershipID: st.MembershipID, GroupID: st.GroupID}
	}
	_, err = s.startSignoff(ctx, tx, a, &signObject{docID: ch.DocumentID, revID: ch.New, title: titles[0]}, in, src)
	return err
}
