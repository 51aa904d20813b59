package meetings

// Approving the minutes: the checks, the approval itself and what is
// still to be filed.

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/google/uuid"
	"github.com/kollab/kollab/documents"
	"github.com/kollab/kollab/internal/db"
	"github.com/kollab/kollab/internal/errs"
	"github.com/kollab/kollab/internal/live"
	"github.com/kollab/kollab/tenant"
)

// ApproveMinutes approves the draft (the committee's chair or deputy chair
// with a running term; anyone else errs.Forbidden) in the version ifMatch
// and files the rendered minutes and the decision extracts (one per item
// with a poll) in the document store: as new documents in folderID, by
// default (uuid.Nil) the committee's own filing folder (filing.go), which
// the chair and deputy chair always write to; in another folder the
// approver needs write permission, checked before anything is approved.
// A document an earlier filing made gets a new revision instead. The
// meeting moves from closed to minutes_approved with the approval.
//
// Approving minutes that are approved but not completely filed (a filing
// failed) files what is missing; approved and filed minutes answer
// errs.Conflict.
func (s *Service) ApproveMinutes(ctx context.Context, a tenant.Actor, meetingID uuid.UUID, ifMatch int64, folderID uuid.UUID) (*Minutes, error) {
	if ifMatch <= 0 {
		return nil, errIfMatchRequired()
	}
	if s.docs == nil {
		return nil, fmt.Errorf("committees: no document store")
	}
	// First the checks that need no write, so that a refused approval
	// leaves nothing behind.
	refile := false
	var committeeID uuid.UUID
	err := s.run(ctx, a, func(tx *db.Tx) error {
		m, sc, err := loadMeeting(tx, a, meetingID, s.now(), "")
		if err != nil {
			return err
		}
		committeeID = m.CommitteeID
		if !sc.canApprove() {
			return errs.New(errs.Forbidden, errs.M("meetings.only-committee-chair", "Nur die oder der Vorsitzende des Gremiums (oder die Stellvertretung) kann die Niederschrift genehmigen.", "Only the committee's chair (or the deputy chair) can approve the minutes."))
		}
		row, err := loadMinutes(tx, meetingID, false)
		if err != nil {
			return err
		}
		switch {
		case row == nil:
			return errMinutesMissing()
		case row.State == ApprovedMinutes:
			missing, err := unfiled(tx, row)
			if err != nil {
				return err
			}
			if missing == 0 {
				return errs.New(errs.Conflict, errs.M("meetings.minutes-already-approved-filed", "Die Niederschrift ist bereits genehmigt und abgelegt.", "The minutes are already approved and filed."))
			}
			refile = true
			return nil
		case m.State != Closed && m.State != MinutesApproved:
			return errMinutesNotYet()
		}
		return nil // the version is checked where it counts, in approve
	})
	if err != nil {
		return nil, err
	}
	if folderID == uuid.Nil {
		if folderID, err = s.filingFolder(ctx, a, committeeID); err != nil {
			return nil, err
		}
	}
	f, err := s.docs.GetFolder(ctx, a, folderID)
	if err != nil {
		return nil, err
	}
	if f.Access < documents.Write {
		return nil, errs.New(errs.Forbidden, errs.M("meetings.may-not-file-documents-folder", "Sie dürfen in diesem Ordner keine Dokumente ablegen.", "You may not file documents in this folder."))
	}
	if !refile {
		if err := s.approve(ctx, a, meetingID, ifMatch); err != nil {
			return nil, err
		}
	}
	if err := s.fileMinutes(ctx, a, meetingID, folderID); err != nil {
		return nil, err
	}
	return s.Minutes(ctx, a, meetingID)
}

// unfiled counts what approved minutes still lack in the document store:
// the minutes themselves, and each decision extract.
func unfiled(tx *db.Tx, row *minutesRow) (int, error) {
	c, err := row.content()
	if err != nil {
		return 0, err
	}
	filed, err := lastFilings(tx, row.ID)
	if err != nil {
		return 0, err
	}
	n := 0
	if _, ok := filed[uuid.Nil]; !ok {
		n++
	}
	for i := range c.Items {
		if _, ok := filed[c.Items[i].AgendaItemID]; len(c.Items[i].Polls) > 0 && !ok {
			n++
		}
	}
	return n, nil
}

// lastFilings maps what approved minutes were filed as to the document of
// its latest filing: uuid.Nil the minutes, an agenda item's id its
// decision extract.
func lastFilings(tx *db.Tx, minutesID uuid.UUID) (map[uuid.UUID]uuid.UUID, error) {
	var rows []struct {
		DocumentID   uuid.UUID  `gorm:"column:document_id"`
		AgendaItemID *uuid.UUID `gorm:"column:agenda_item_id"`
	}
	if err := tx.Table(filingsTable).Select("document_id, agenda_item_id").Where("minutes_id = ?", minutesID).
		Order("filed_at DESC, id DESC").Limit(maxMinutesItemEdits + 1).Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("committees: read filings: %w", err)
	}
	out := map[uuid.UUID]uuid.UUID{}
	for _, r := range rows {
		k := uuid.Nil
		if r.AgendaItemID != nil {
			k = *r.AgendaItemID
		}
		if _, ok := out[k]; !ok {
			out[k] = r.DocumentID
		}
	}
	return out, nil
}

// approve freezes the draft of version ifMatch and moves the meeting from
// closed to minutes_approved, in one transaction.
func (s *Service) approve(ctx context.Context, a tenant.Actor, meetingID uuid.UUID, ifMatch int64) error {
	return s.run(ctx, a, func(tx *db.Tx) error {
		now := s.now()
		m, sc, err := loadMeeting(tx, a, meetingID, now, "UPDATE")
		if err != nil {
			return err
		}
		if !sc.canApprove() {
			return errs.New(errs.Forbidden, errs.M("meetings.only-committee-chair", "Nur die oder der Vorsitzende des Gremiums (oder die Stellvertretung) kann die Niederschrift genehmigen.", "Only the committee's chair (or the deputy chair) can approve the minutes."))
		}
		row, c, err := loadDraft(tx, meetingID, ifMatch)
		if err != nil {
			return err
		}
		names, err := displayNames(tx, []uuid.UUID{a.MembershipID})
		if err != nil {
			return err
		}
		c.Approval = &MinutesApproval{MinutesPerson: MinutesPerson{MembershipID: a.MembershipID, Name: names[a.MembershipID]}, At: now}
		b, err := json.Marshal(c)
		if err != nil {
			return fmt.Errorf("committees: encode minutes: %w", err)
		}
		n, err := exec(tx, `UPDATE meeting_minutes SET state = ?, content = ?, version = version + 1, updated_at = ?, updated_by = ?,
			approved_at = ?, approved_by = ? WHERE tenant_id = @tenant AND id = ? AND version = ? AND state = ?`,
			ApprovedMinutes, string(b), now, a.MembershipID, now, a.MembershipID, row.ID, ifMatch, DraftMinutes)
		if err != nil {
			return err
		}
		if n != 1 {
			return errs.Plain(errs.PreconditionFailed)
		}
		// The meeting state machine's last step (a meeting moved there
		// without minutes keeps its state).
		switch {
		case m.State == Closed && meetingNext[Closed] == MinutesApproved:
			n, err := exec(tx, "UPDATE meetings SET state = ?, minutes_approved_at = ?, updated_at = ? WHERE tenant_id = @tenant AND id = ? AND state = ?",
				MinutesApproved, now, now, meetingID, Closed)
			if err != nil {
				return err
			}
			if n != 1 {
				return errs.New(errs.Conflict, errs.M("meetings.meeting-state-change-not-allowed", "Dieser Statuswechsel der Sitzung ist nicht erlaubt.", "This change of the meeting's state is not allowed."))
			}
			if err := record(ctx, tx, a, ActionMeetingState, "meeting", meetingID,
				map[string]string{"from": string(Closed), "to": string(MinutesApproved)}); err != nil {
				return err
			}
			if err := s.changed(tx, live.KindMeeting, meetingID, "state"); err != nil {
				return err
			}
		case m.State != MinutesApproved:
			return errMinutesNotYet()
		}
		return record(ctx, tx, a, ActionMinutesApproved, "meeting", meetingID,
			map[string]string{"minutes_id": row.ID.String(), "version": fmt.Sprint(ifMatch)})
	})
}
