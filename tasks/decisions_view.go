package tasks

import (
	"strconv"

	"github.com/google/uuid"
	"github.com/kollab/kollab/internal/db"
	"github.com/kollab/kollab/tenant"
)

// Decision is the committee decision a follow-up task comes from, as the
// task's reader may see it: everyone who sees the task reads the
// committee and the day; the agenda item's title only when the item is
// public or the reader sees the committee's meetings, otherwise
// "nichtöffentlicher Beschluss" (a written procedure counts as
// non-public). The ids and the link are given to those who may follow it.
type Decision struct {
	// Kind is "agenda_item" or "written_procedure".
	Kind          string
	CommitteeName string
	// Date is the meeting's day, or the day a written procedure's result
	// was published (YYYY-MM-DD, Berlin).
	Date string
	// Number is the item's number (TOP n), 0 when not shown.
	Number int
	// Title is the item's (or the written procedure's) title, "" when
	// the reader may not see it (Confidential).
	Title        string
	Confidential bool
	// Text is the whole line: "Beschluss: <committee> – <date> – TOP n <title>".
	Text string
	// Readable: the reader sees the committee's meetings; then the ids
	// and Link ("meetings/<id>" or "polls/<id>") are set.
	Readable                               bool
	CommitteeID, MeetingID, ItemID, PollID *uuid.UUID
	Link                                   string
}

// Decision kinds.
const (
	DecisionItem    = "agenda_item"
	DecisionWritten = "written_procedure"
)

// decisionOf reads the decision of task r for a (nil: not a follow-up
// task, or the decision is gone).
func (s *Service) decisionOf(tx *db.Tx, a tenant.Actor, r *taskRow) (*Decision, error) {
	if s.meetings == nil || r.CommitteeID == nil {
		return nil, nil
	}
	md, err := s.meetings.DescribeDecision(tx, a, r.DecisionItemID, r.DecisionPollID)
	if err != nil || md == nil {
		return nil, err
	}
	d := &Decision{Kind: DecisionItem, CommitteeName: md.CommitteeName, Readable: md.Readable}
	var shown string
	if md.Written() {
		d.Kind = DecisionWritten
		if md.DecidedAt != nil {
			d.Date = md.DecidedAt.In(tenant.Berlin).Format(DateLayout)
		}
		if md.Readable {
			d.Title, shown = md.PollTitle, "Umlaufverfahren „"+md.PollTitle+"“"
		}
	} else {
		d.Date = md.MeetingStartsAt.In(tenant.Berlin).Format(DateLayout)
		if md.Readable || md.ItemPublic {
			d.Title, d.Number, shown = md.ItemTitle, md.ItemNumber, md.ItemTitle
			if md.ItemNumber > 0 {
				shown = "TOP " + strconv.Itoa(md.ItemNumber) + " " + shown
			}
		}
	}
	d.Confidential = shown == ""
	if d.Confidential {
		shown = "nichtöffentlicher Beschluss"
	}
	d.Text = "Beschluss: " + md.CommitteeName + " – " + dayDE(d.Date) + " – " + shown
	if md.Readable {
		d.CommitteeID, d.MeetingID, d.ItemID, d.PollID = &md.CommitteeID, md.MeetingID, md.ItemID, md.PollID
		if md.MeetingID != nil {
			d.Link = "meetings/" + md.MeetingID.String()
		} else if md.PollID != nil {
			d.Link = "polls/" + md.PollID.String()
		}
	}
	return d, nil
}

// dayDE writes YYYY-MM-DD as DD.MM.YYYY ("" stays "").
func dayDE(day string) string {
	if len(day) != len(DateLayout) {
		return day
	}
	return day[8:10] + "." + day[5:7] + "." + day[0:4]
}
