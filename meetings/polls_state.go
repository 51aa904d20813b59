package meetings

// A poll's life after its draft: opened, closed (polls_count.go counts
// it), published, or annulled.

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/kollab/kollab/internal/db"
	"github.com/kollab/kollab/internal/errs"
	"github.com/kollab/kollab/tenant"
)

func errPollTransition() error {
	return errs.New(errs.Conflict, errs.M("meetings.poll-state-change-not-allowed", "Dieser Statuswechsel der Abstimmung ist nicht erlaubt.", "This change of the poll's state is not allowed."))
}

// OpenPoll opens a draft poll for ballots (admins, chair, secretary). A
// poll in session opens only while its meeting is in session, and calls
// its agenda item as the meeting's current one (SetCurrentItem); a written
// procedure opens only before its deadline.
func (s *Service) OpenPoll(ctx context.Context, a tenant.Actor, id uuid.UUID) (*Poll, error) {
	return s.managePoll(ctx, a, id, "UPDATE", func(tx *db.Tx, p *pollRow, _ *scope, now time.Time) error {
		if p.State != PollDraft {
			return errPollTransition()
		}
		if p.MeetingID != nil {
			// The meeting's and the item's locks order this against closing
			// the meeting and against conflict declarations on the item; the
			// meeting's is exclusive, since opening calls the poll's item.
			m, _, err := loadMeeting(tx, a, *p.MeetingID, now, "UPDATE")
			if err != nil {
				return err
			}
			if m.State != InSession {
				if m.State == Cancelled {
					return errMeetingCancelled()
				}
				return errs.New(errs.Conflict, errs.M("meetings.poll-meeting-can-only-opened", "Eine Abstimmung in der Sitzung kann nur während der Sitzung geöffnet werden.", "A poll in a meeting can only be opened during the session."))
			}
			if _, _, _, err := loadItem(tx, a, *p.AgendaItemID, now, "SHARE"); err != nil {
				return err
			}
			if err := s.callItem(ctx, tx, a, m, *p.AgendaItemID); err != nil {
				return err
			}
		} else if !p.Deadline.After(now) {
			return errs.New(errs.Conflict, errs.M("meetings.deadline-written-procedure-passed", "Die Frist dieses Umlaufverfahrens ist abgelaufen.", "The deadline of this written procedure has passed."))
		}
		if err := tx.Table(pollsTable).Where("id = ? AND state = ?", id, PollDraft).
			Updates(map[string]any{"state": PollOpen, "opened_at": now}).Error; err != nil {
			return fmt.Errorf("committees: open poll: %w", err)
		}
		if err := s.pollRecord(ctx, tx, a, p, ActionPollOpened, nil); err != nil {
			return err
		}
		if err := s.notifyPollOpened(ctx, tx, a, p, now); err != nil {
			return err
		}
		p.State, p.OpenedAt = PollOpen, &now
		return nil
	})
}

// ClosePoll closes an open poll (admins, chair, secretary): it waits for
// the ballots in flight, counts every ballot and stores the result.
func (s *Service) ClosePoll(ctx context.Context, a tenant.Actor, id uuid.UUID) (*Poll, error) {
	return s.managePoll(ctx, a, id, "", func(tx *db.Tx, p *pollRow, sc *scope, now time.Time) error {
		return s.closePoll(ctx, tx, a, p, sc.c.quorum(), now)
	})
}

// PublishPoll makes a closed poll's result visible to every member of the
// committee (admins, chair, secretary).
func (s *Service) PublishPoll(ctx context.Context, a tenant.Actor, id uuid.UUID) (*Poll, error) {
	return s.managePoll(ctx, a, id, "UPDATE", func(tx *db.Tx, p *pollRow, _ *scope, now time.Time) error {
		ballots, err := ballotsOf(tx, id)
		if err != nil {
			return err
		}
		if tooFewBallots(p, ballots) {
			return errTooFewBallots()
		}
		n, err := exec(tx, "UPDATE polls SET state = ?, published_at = ? WHERE tenant_id = @tenant AND id = ? AND state = ?",
			PollPublished, now, id, PollClosed)
		if err != nil {
			return err
		}
		if n == 0 {
			return errPollTransition()
		}
		if err := s.pollRecord(ctx, tx, a, p, ActionPollPublished, nil); err != nil {
			return err
		}
		p.State, p.PublishedAt = PollPublished, &now
		return nil
	})
}

// AnnulPoll annuls a poll that was opened, with a reason (admins, chair,
// secretary): it stands in the record as annulled, with the reason, and
// decided nothing; its ballots are kept (a secret poll's are never
// counted), any stored result is never shown again. A poll may be
// annulled while it runs and after it closed until its meeting's minutes
// are approved (a written procedure: until its result is published); see
// annullable. Any other poll answers errs.Conflict (a draft is deleted
// instead). A draft of the minutes that lists the poll shows it annulled.
func (s *Service) AnnulPoll(ctx context.Context, a tenant.Actor, id uuid.UUID, reason string) (*Poll, error) {
	reason, ok := text(reason, MaxReasonLen)
	if !ok || reason == "" {
		return nil, errs.InvalidField("reason", errs.M("meetings.give-reason-1-2000-characters", "Bitte einen Grund mit 1 bis 2000 Zeichen angeben.", "Please give a reason of 1 to 2000 characters."))
	}
	return s.managePoll(ctx, a, id, "", func(tx *db.Tx, p *pollRow, _ *scope, now time.Time) error {
		// As a close does (closePoll): wait for the ballots in flight; a
		// ballot that waited for the annulment finds the poll annulled.
		if isPostgres(tx) {
			if err := lockPoll(tx, id, false); err != nil {
				return err
			}
		}
		locked, _, err := loadPoll(tx, a, id, now, "UPDATE")
		if err != nil {
			return err
		}
		*p = *locked
		am := &annulMinutes{}
		if p.MeetingID != nil {
			if am, err = lockMinutesForAnnul(tx, a, *p.MeetingID, now); err != nil {
				return err
			}
		}
		if !annullable(p, am.sealed) {
			if am.sealed {
				return errs.New(errs.Conflict, errs.M("meetings.meeting-minutes-approved", "Die Niederschrift der Sitzung ist genehmigt; ihre Abstimmungen können nicht mehr annulliert werden.", "The meeting's minutes are approved; its polls can no longer be annulled."))
			}
			return errs.New(errs.Conflict, errs.M("meetings.poll-cannot-annulled", "Diese Abstimmung kann nicht annulliert werden.", "This poll cannot be annulled."))
		}
		ballots, err := ballotsOf(tx, id)
		if err != nil {
			return err
		}
		n, err := exec(tx, "UPDATE polls SET state = ?, annulled_at = ?, annulled_by = ?, annul_reason = ? WHERE tenant_id = @tenant AND id = ? AND state = ?",
			PollAnnulled, now, a.MembershipID, reason, id, p.State)
		if err != nil {
			return err
		}
		if n == 0 {
			return errPollTransition()
		}
		if err := am.markAnnulled(ctx, tx, a, p, reason, now); err != nil {
			return err
		}
		if err := s.pollRecord(ctx, tx, a, p, ActionPollAnnulled, map[string]string{"reason": reason, "from": string(p.State),
			"ballots": fmt.Sprint(ballots)}); err != nil {
			return err
		}
		p.State, p.AnnulledAt, p.AnnulledBy, p.AnnulReason = PollAnnulled, &now, &a.MembershipID, &reason
		return nil
	})
}
