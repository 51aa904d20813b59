package tasks

// Decisions become tasks and report back (Beschlusskontrolle, issue 13
// part 7). The committee's chair or secretary (or a tenant admin) makes
// follow-up tasks from a decided agenda item or a written procedure's
// published verdict, into a workspace they may write in; the task keeps
// the decision (tasks.decision_item_id, decision_poll_id, committee_id)
// and shows it (Task.Decision). Members of the committee list a decision's
// follow-up tasks: title, workspace, state and due day, nothing more.
//
// The report back: after every change of a follow-up task (its status on
// Update and MoveTask above all, and its deletion), the committee's report
// lines are computed here (ReportLines) and handed to the committee module
// in the same transaction (meetings.Service.ReportImplementation), which
// keeps the agenda item "Bericht über die Umsetzung von Beschlüssen" on
// the committee's next meeting. The committee module asks ReportLines
// itself (meetings.WithReportSource) when a meeting is planned while a
// report waits.
//
// The committee module decides who may do what with a decision; this
// package imports it (never the other way round).

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/kollab/kollab/internal/db"
	"github.com/kollab/kollab/internal/errs"
	"github.com/kollab/kollab/meetings"
	"github.com/kollab/kollab/tenant"
)

// ActionFollowUpCreated is recorded for a follow-up task made from a decision.
const ActionFollowUpCreated = "tasks.follow_up.created"

// MaxReportScan bounds the follow-up tasks one report reads.
const MaxReportScan = 5000

// WithMeetings lets the service make follow-up tasks from the decisions
// of the committee module m and report back to it.
func WithMeetings(m *meetings.Service) ServiceOption { return func(s *Service) { s.meetings = m } }

// Source names a decision: an agenda item (decided by a poll with a
// published result) or a poll (a written procedure, or a poll on an
// item, with its result published).
type Source struct {
	ItemID uuid.UUID
	PollID uuid.UUID
}

// FromItem names an agenda item's decision.
func FromItem(id uuid.UUID) Source { return Source{ItemID: id} }

// FromPoll names a poll's decision.
func FromPoll(id uuid.UUID) Source { return Source{PollID: id} }

// check asks the committee module whether a may make follow-up tasks
// from the decision, and reads it.
func (src Source) check(tx *db.Tx, m *meetings.Service, a tenant.Actor) (*meetings.Decision, error) {
	if src.ItemID != uuid.Nil {
		return m.FollowUpOfItem(tx, a, src.ItemID)
	}
	return m.FollowUpOfPoll(tx, a, src.PollID)
}

// see answers errs.NotFound unless a sees the decision.
func (src Source) see(tx *db.Tx, m *meetings.Service, a tenant.Actor) error {
	var err error
	if src.ItemID != uuid.Nil {
		_, err = m.SeeItem(tx, a, src.ItemID)
	} else {
		_, err = m.SeePoll(tx, a, src.PollID)
	}
	return err
}

// FollowUpInput is a follow-up task as the chair or secretary makes it.
type FollowUpInput struct {
	// WorkspaceID is the workspace the task goes to: the caller must write there.
	WorkspaceID uuid.UUID
	Title       string
	Description string
	AssigneeIDs []uuid.UUID
	GroupIDs    []uuid.UUID
	DueOn       string
	DueFrom     string
	DueWorkdays int
}

func errFollowUpWorkspace() error {
	return errs.InvalidField("workspace_id", errs.M("tasks.follow-up-workspace",
		"In diesem Arbeitsraum können Sie keine Aufgaben anlegen. Bitte einen aktiven Arbeitsraum wählen, in dem Sie Mitglied sind.",
		"You cannot create tasks in this workspace. Please choose an active workspace you are a member of."))
}

func errNoCommittees() error {
	return fmt.Errorf("tasks: follow-up tasks need the committee module (WithMeetings)")
}

// CreateFollowUp makes a follow-up task from a decision (the committee's
// chair or secretary, or a tenant admin; errs.Forbidden for its other
// members, errs.NotFound for whoever does not see the decision,
// errs.Conflict while it is not decided) in a workspace the caller writes
// in (otherwise errs.InvalidField on workspace_id, whether the workspace
// exists or not). Its assignees are told, like any task's.
func (s *Service) CreateFollowUp(ctx context.Context, a tenant.Actor, src Source, in FollowUpInput) (*Task, error) {
	if s.meetings == nil {
		return nil, errNoCommittees()
	}
	ti := Input{Title: in.Title, Description: in.Description, AssigneeIDs: in.AssigneeIDs, GroupIDs: in.GroupIDs, DueOn: in.DueOn,
		DueFrom: in.DueFrom, DueWorkdays: in.DueWorkdays}
	if err := ti.validate(); err != nil {
		return nil, err
	}
	var out *Task
	err := s.run(ctx, a, func(tx *db.Tx) error {
		dec, err := src.check(tx, s.meetings, a)
		if err != nil {
			return err
		}
		ar, err := loadArea(tx, a, in.WorkspaceID)
		if errs.Is(err, errs.NotFound) || (err == nil && ar.needWrite() != nil) {
			return errFollowUpWorkspace()
		} else if err != nil {
			return err
		}
		r, err := s.newRow(tx, a, ar, &ti)
		if err != nil {
			return err
		}
		r.CommitteeID, r.DecisionItemID, r.DecisionPollID = &dec.CommitteeID, dec.ItemID, dec.PollID
		if err := s.insertFollowUp(ctx, tx, a, ar, r, &ti); err != nil {
			return err
		}
		details := map[string]string{"title": r.Title, "workspace_id": ar.ID.String(), "committee_id": dec.CommitteeID.String(), "due_on": str(r.DueOn)}
		if dec.ItemID != nil {
			details["agenda_item_id"] = dec.ItemID.String()
		}
		if dec.PollID != nil {
			details["poll_id"] = dec.PollID.String()
		}
		if err := a.Record(ctx, tx, ActionFollowUpCreated, targetType, r.ID, details); err != nil {
			return err
		}
		if err := s.reportBack(ctx, tx, a, r); err != nil {
			return err
		}
		out, err = s.get(tx, a, r.ID)
		return err
	})
	return out, err
}

// insertFollowUp writes a new follow-up task with its people, history,
// notifications and feed entry, as Create does for any task.
func (s *Service) insertFollowUp(ctx context.Context, tx *db.Tx, a tenant.Actor, ar *area, r *taskRow, in *Input) error {
	if err := tx.Create(tasksTable, r); err != nil {
		return fmt.Errorf("tasks: create follow-up: %w", err)
	}
	if err := s.setPeople(tx, ar, r.ID, in.AssigneeIDs, in.GroupIDs, nil); err != nil {
		return err
	}
	if err := addHistory(tx, r.ID, a.MembershipID, "created", "", r.Title, r.CreatedAt); err != nil {
		return err
	}
	if err := s.notifyAssigned(ctx, tx, a, ar, r, in.AssigneeIDs, in.GroupIDs); err != nil {
		return err
	}
	return s.feed(tx, ar.ID, "task.created", a.MembershipID, r.ID, r.Title)
}

// FollowUp is a follow-up task as the committee's members see it in the
// decision's list: no more of the task than this.
type FollowUp struct {
	TaskID        uuid.UUID
	Title         string
	WorkspaceID   uuid.UUID
	WorkspaceName string
	Category      Category
	DueOn         string
	ClosedAt      *time.Time
	// CanOpen: the caller sees the task itself (a member of its
	// workspace, or a tenant admin).
	CanOpen bool
}

// FollowUps lists a decision's follow-up tasks, oldest first, at most
// MaxPage (whoever sees the decision: the committee's members with a
// running term, tenant admins; errs.NotFound for anyone else).
func (s *Service) FollowUps(ctx context.Context, a tenant.Actor, src Source) ([]FollowUp, error) {
	if s.meetings == nil {
		return nil, errNoCommittees()
	}
	out := []FollowUp{}
	err := s.run(ctx, a, func(tx *db.Tx) error {
		if err := src.see(tx, s.meetings, a); err != nil {
			return err
		}
		col, id := "t.decision_item_id", src.ItemID
		if src.ItemID == uuid.Nil {
			col, id = "t.decision_poll_id", src.PollID
		}
		var rows []struct {
			ID            uuid.UUID  `gorm:"column:id"`
			Title         string     `gorm:"column:title"`
			WorkspaceID   uuid.UUID  `gorm:"column:workspace_id"`
			WorkspaceName string     `gorm:"column:workspace_name"`
			Category      Category   `gorm:"column:category"`
			DueOn         *string    `gorm:"column:due_on"`
			ClosedAt      *time.Time `gorm:"column:closed_at"`
			Mine          int        `gorm:"column:mine"`
		}
		if err := tx.Raw(`SELECT t.id, t.title, t.workspace_id, w.name AS workspace_name, t.category, t.due_on, t.closed_at,
			(SELECT count(*) FROM workspace_members wm WHERE wm.tenant_id = t.tenant_id AND wm.workspace_id = t.workspace_id AND wm.membership_id = ?) AS mine
			FROM tasks t JOIN workspaces w ON w.tenant_id = t.tenant_id AND w.id = t.workspace_id
			WHERE t.tenant_id = @tenant AND `+col+` = ? ORDER BY t.created_at, t.id LIMIT ?`, a.MembershipID, id, MaxPage).Scan(&rows).Error; err != nil {
			return fmt.Errorf("tasks: list follow-ups: %w", err)
		}
		for _, r := range rows {
			out = append(out, FollowUp{TaskID: r.ID, Title: r.Title, WorkspaceID: r.WorkspaceID, WorkspaceName: r.WorkspaceName,
				Category: r.Category, DueOn: str(r.DueOn), ClosedAt: r.ClosedAt, CanOpen: r.Mine > 0 || a.IsAdmin()})
		}
		return nil
	})
	return out, err
}

// ReportLines is a committee's report (meetings.ReportSource): its
// follow-up tasks that are open or were closed after since, oldest first.
func ReportLines(_ context.Context, tx *db.Tx, committeeID uuid.UUID, since time.Time) ([]meetings.ReportLine, error) {
	var rows []struct {
		ID             uuid.UUID  `gorm:"column:id"`
		Title          string     `gorm:"column:title"`
		WorkspaceName  string     `gorm:"column:workspace_name"`
		Category       Category   `gorm:"column:category"`
		DueOn          *string    `gorm:"column:due_on"`
		ClosedAt       *time.Time `gorm:"column:closed_at"`
		DecisionItemID *uuid.UUID `gorm:"column:decision_item_id"`
		DecisionPollID *uuid.UUID `gorm:"column:decision_poll_id"`
	}
	if err := tx.Raw(`SELECT t.id, t.title, w.name AS workspace_name, t.category, t.due_on, t.closed_at, t.decision_item_id, t.decision_poll_id
		FROM tasks t JOIN workspaces w ON w.tenant_id = t.tenant_id AND w.id = t.workspace_id
		WHERE t.tenant_id = @tenant AND t.committee_id = ? AND (t.closed_at IS NULL OR t.closed_at > ?)
		ORDER BY t.created_at, t.id LIMIT ?`, committeeID, since, MaxReportScan).Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("tasks: read report lines: %w", err)
	}
	out := make([]meetings.ReportLine, len(rows))
	for i, r := range rows {
		st := meetings.ReportOpen
		switch r.Category {
		case Done:
			st = meetings.ReportDone
		case Cancelled:
			st = meetings.ReportCancelled
		}
		out[i] = meetings.ReportLine{TaskID: r.ID, Title: r.Title, WorkspaceName: r.WorkspaceName, State: st, DueOn: str(r.DueOn),
			ClosedAt: r.ClosedAt, ItemID: r.DecisionItemID, PollID: r.DecisionPollID}
	}
	return out, nil
}

// reportBack brings the report of r's committee up to date after a change
// of r, a follow-up task (nothing for other tasks).
func (s *Service) reportBack(ctx context.Context, tx *db.Tx, a tenant.Actor, r *taskRow) error {
	if s.meetings == nil || r.CommitteeID == nil {
		return nil
	}
	since, err := meetings.ReportCutoff(tx, *r.CommitteeID)
	if err != nil {
		return err
	}
	lines, err := ReportLines(ctx, tx, *r.CommitteeID, since)
	if err != nil {
		return err
	}
	return s.meetings.ReportImplementation(ctx, tx, a, *r.CommitteeID, lines)
}
