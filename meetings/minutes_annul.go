package meetings

// A poll annulled after its meeting closed: the draft of the minutes,
// made from the record when the meeting closed, shows it annulled.

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/kollab/kollab/internal/db"
	"github.com/kollab/kollab/internal/errs"
	"github.com/kollab/kollab/tenant"
)

// annulMinutes is the minutes side of annulling a poll of a meeting.
type annulMinutes struct {
	// row is the meeting's draft minutes, row-locked; nil when there are none.
	row *minutesRow
	// sealed: the minutes are approved; nothing they record changes.
	sealed bool
}

// lockMinutesForAnnul takes, in tx, the meeting's row lock (shared: the
// first draft of the minutes is made under its exclusive lock, so a draft
// made after this annulment reads the poll annulled) and the minutes' row
// lock (their approval takes it too), and says whether the minutes are
// approved.
func lockMinutesForAnnul(tx *db.Tx, a tenant.Actor, meetingID uuid.UUID, now time.Time) (*annulMinutes, error) {
	if _, _, err := loadMeeting(tx, a, meetingID, now, "SHARE"); err != nil {
		return nil, err
	}
	row, err := loadMinutes(tx, meetingID, true)
	if err != nil {
		return nil, err
	}
	if row != nil && row.State != DraftMinutes {
		return &annulMinutes{sealed: true}, nil
	}
	sealed, err := minutesApproved(tx, meetingID)
	if err != nil {
		return nil, err
	}
	return &annulMinutes{row: row, sealed: sealed}, nil
}

// markAnnulled shows poll p annulled for reason in the draft minutes, if they
// list it: no tally, no verdict but "annulliert", no named votes. The
// draft's version goes up, so an editor holding the older one is told
// (errs.PreconditionFailed on their next save) and an approval of it is
// refused.
func (am *annulMinutes) markAnnulled(ctx context.Context, tx *db.Tx, a tenant.Actor, p *pollRow, reason string, now time.Time) error {
	if am.row == nil {
		return nil
	}
	c, err := am.row.content()
	if err != nil {
		return err
	}
	found := false
	for i := range c.Items {
		for j := range c.Items[i].Polls {
			mp := &c.Items[i].Polls[j]
			if mp.PollID != p.ID {
				continue
			}
			*mp = MinutesPoll{PollID: mp.PollID, Title: mp.Title, Kind: mp.Kind, Method: mp.Method, Seats: mp.Seats, Rule: mp.Rule,
				ClosedAt: mp.ClosedAt, Ballots: mp.Ballots, Options: []MinutesOptionResult{}, NamedVotes: []MinutesVote{},
				Verdict: "annulliert", Annulled: true, AnnulReason: reason}
			found = true
		}
	}
	if !found {
		return nil
	}
	b, err := json.Marshal(c)
	if err != nil {
		return fmt.Errorf("committees: encode minutes: %w", err)
	}
	n, err := exec(tx, `UPDATE meeting_minutes SET content = ?, version = version + 1, updated_at = ?, updated_by = ?
		WHERE tenant_id = @tenant AND id = ? AND version = ? AND state = ?`, string(b), now, a.MembershipID, am.row.ID, am.row.Version, DraftMinutes)
	if err != nil {
		return err
	}
	if n != 1 {
		return errs.New(errs.Conflict, errs.M("meetings.minutes-were-changed-same-time", "Die Niederschrift wurde gleichzeitig geändert. Bitte erneut versuchen.", "The minutes were changed at the same time. Please try again."))
	}
	return record(ctx, tx, a, ActionMinutesEdited, "meeting", am.row.MeetingID, map[string]string{"minutes_id": am.row.ID.String(),
		"version": fmt.Sprint(am.row.Version + 1), "annulled_poll_id": p.ID.String()})
}
