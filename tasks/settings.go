package tasks

// Deadline monitoring settings: each person's reminder lead (how many days
// before a due day they are reminded) and each workspace's escalation
// (after how many overdue working days the responsible person is told).

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/google/uuid"
	"github.com/kollab/kollab/internal/db"
	"github.com/kollab/kollab/internal/errs"
	"github.com/kollab/kollab/tenant"
)

// Reminder and escalation defaults and bounds.
const (
	// DefaultLeadDays is a person's reminder lead while they chose none.
	DefaultLeadDays = 3
	// DefaultEscalationWorkdays is a workspace's escalation while its
	// owners chose none.
	DefaultEscalationWorkdays = 3
	MaxEscalationWorkdays     = 60
)

// ActionReminderLeadUpdated is recorded when a person changes their reminder lead.
const ActionReminderLeadUpdated = "tasks.reminder_lead.updated"

// LeadDays are the reminder leads a person may choose.
var LeadDays = []int{1, 3, 7}

// ReminderLead returns the caller's reminder lead in days (DefaultLeadDays
// when they chose none).
func (s *Service) ReminderLead(ctx context.Context, a tenant.Actor) (int, error) {
	lead := DefaultLeadDays
	err := s.run(ctx, a, func(tx *db.Tx) error {
		var err error
		lead, err = leadOf(tx, a.MembershipID)
		return err
	})
	return lead, err
}

func leadOf(tx *db.Tx, membership uuid.UUID) (int, error) {
	var got []int
	if err := tx.Table(leadTable).Where("membership_id = ?", membership).Pluck("lead_days", &got).Error; err != nil {
		return 0, fmt.Errorf("tasks: read reminder lead: %w", err)
	}
	if len(got) == 0 {
		return DefaultLeadDays, nil
	}
	return got[0], nil
}

// SetReminderLead sets the caller's reminder lead: 1, 3 or 7 days.
func (s *Service) SetReminderLead(ctx context.Context, a tenant.Actor, days int) (int, error) {
	if days != 1 && days != 3 && days != 7 {
		return 0, errs.InvalidField("lead_days", errs.M("tasks.lead-days", "Erinnert wird 1, 3 oder 7 Tage vor der Fälligkeit.", "Reminders come 1, 3 or 7 days before the due date."))
	}
	err := s.run(ctx, a, func(tx *db.Tx) error {
		old, err := leadOf(tx, a.MembershipID)
		if err != nil {
			return err
		}
		if _, err := tx.ExecCount(`INSERT INTO task_reminder_settings (tenant_id, membership_id, lead_days, updated_at) VALUES (@tenant, ?, ?, ?)
			ON CONFLICT (tenant_id, membership_id) DO UPDATE SET lead_days = excluded.lead_days, updated_at = excluded.updated_at`,
			a.MembershipID, days, s.now()); err != nil {
			return fmt.Errorf("tasks: save reminder lead: %w", err)
		}
		if old == days {
			return nil
		}
		if err := nudgeAssigned(tx, a.MembershipID, s.today()); err != nil {
			return err
		}
		return a.Record(ctx, tx, ActionReminderLeadUpdated, "membership", a.MembershipID,
			map[string]string{"old_lead_days": strconv.Itoa(old), "lead_days": strconv.Itoa(days)})
	})
	return days, err
}

// nudgeAssigned brings the reminder run's next look at the person's
// pending tasks forward to today, so that a changed lead counts at once
// (the run computes the next day again).
func nudgeAssigned(tx *db.Tx, membership uuid.UUID, today string) error {
	if _, err := tx.ExecCount(`UPDATE tasks SET attention_on = ? WHERE tenant_id = @tenant AND attention_on > ? AND id IN (
			SELECT ta.task_id FROM task_assignees ta WHERE ta.tenant_id = @tenant AND (ta.membership_id = ? OR ta.group_id IN (
				SELECT gm.group_id FROM group_members gm WHERE gm.tenant_id = @tenant AND gm.membership_id = ?)))`,
		today, today, membership, membership); err != nil {
		return fmt.Errorf("tasks: reschedule reminders: %w", err)
	}
	return nil
}

// AreaSettings are a workspace's deadline settings.
type AreaSettings struct {
	WorkspaceID uuid.UUID
	// EscalationWorkdays: an open task overdue by this many working days
	// is escalated to the workspace's responsible person.
	EscalationWorkdays int
	// Version is the settings' version (1 while never saved), for If-Match.
	Version int64
	// CanWrite: the caller may change them (owners, admins; active workspace).
	CanWrite bool
}

type areaRow struct {
	EscalationWorkdays int   `gorm:"column:escalation_workdays"`
	Version            int64 `gorm:"column:version"`
}

func readArea(tx *db.Tx, ws uuid.UUID, lock bool) (*areaRow, bool, error) {
	var rows []areaRow
	q := "SELECT escalation_workdays, version FROM task_areas WHERE tenant_id = @tenant AND workspace_id = ?"
	if lock {
		q = forUpdate(tx, q)
	}
	if err := tx.Raw(q, ws).Scan(&rows).Error; err != nil {
		return nil, false, fmt.Errorf("tasks: read task settings: %w", err)
	}
	if len(rows) == 0 {
		return &areaRow{EscalationWorkdays: DefaultEscalationWorkdays, Version: 1}, false, nil
	}
	return &rows[0], true, nil
}

// TaskSettings returns workspace ws's deadline settings (its members; admins).
func (s *Service) TaskSettings(ctx context.Context, a tenant.Actor, ws uuid.UUID) (*AreaSettings, error) {
	var out *AreaSettings
	err := s.run(ctx, a, func(tx *db.Tx) error {
		ar, err := loadArea(tx, a, ws)
		if err != nil {
			return err
		}
		r, _, err := readArea(tx, ws, false)
		if err != nil {
			return err
		}
		out = &AreaSettings{WorkspaceID: ws, EscalationWorkdays: r.EscalationWorkdays, Version: r.Version, CanWrite: ar.needOwner() == nil}
		return nil
	})
	return out, err
}

// AreaSettingsInput are the settings a workspace's owners change.
type AreaSettingsInput struct {
	EscalationWorkdays int
}

// SetTaskSettings changes workspace ws's deadline settings (owners and
// admins, while the workspace is active). version is the version last
// read (0: any); a lost update answers PreconditionFailed.
func (s *Service) SetTaskSettings(ctx context.Context, a tenant.Actor, ws uuid.UUID, version int64, in AreaSettingsInput) (*AreaSettings, error) {
	var out *AreaSettings
	err := s.run(ctx, a, func(tx *db.Tx) error {
		ar, err := loadArea(tx, a, ws)
		if err != nil {
			return err
		}
		if err := ar.needOwner(); err != nil {
			return err
		}
		if in.EscalationWorkdays < 1 || in.EscalationWorkdays > MaxEscalationWorkdays {
			return errs.InvalidField("escalation_workdays", errs.M("tasks.escalation-range",
				"Eskaliert wird nach 1 bis 60 Arbeitstagen Überfälligkeit.", "Escalation comes after 1 to 60 overdue working days."))
		}
		cur, exists, err := readArea(tx, ws, true)
		if err != nil {
			return err
		}
		if version != 0 && version != cur.Version {
			return errs.Plain(errs.PreconditionFailed)
		}
		if err := saveArea(tx, ws, cur, exists, in.EscalationWorkdays, s.now()); err != nil {
			return err
		}
		out = &AreaSettings{WorkspaceID: ws, EscalationWorkdays: in.EscalationWorkdays, Version: cur.Version + 1, CanWrite: true}
		if cur.EscalationWorkdays == in.EscalationWorkdays {
			return nil
		}
		// The run computes each pending task's escalation day again.
		if _, err := tx.ExecCount(`UPDATE tasks SET attention_on = ? WHERE tenant_id = @tenant AND workspace_id = ? AND due_on IS NOT NULL
			AND attention_on > ?`, s.today(), ws, s.today()); err != nil {
			return fmt.Errorf("tasks: reschedule escalations: %w", err)
		}
		return a.Record(ctx, tx, ActionAreaUpdated, "workspace", ws, map[string]string{"name": ar.Name,
			"old_escalation_workdays": strconv.Itoa(cur.EscalationWorkdays), "escalation_workdays": strconv.Itoa(in.EscalationWorkdays)})
	})
	return out, err
}

// saveArea writes the settings row with the next version; a writer that
// raced in between answers PreconditionFailed.
func saveArea(tx *db.Tx, ws uuid.UUID, cur *areaRow, exists bool, days int, now time.Time) error {
	var n int64
	var err error
	if exists {
		n, err = tx.ExecCount(`UPDATE task_areas SET escalation_workdays = ?, version = ?, updated_at = ?
			WHERE tenant_id = @tenant AND workspace_id = ? AND version = ?`, days, cur.Version+1, now, ws, cur.Version)
	} else {
		n, err = tx.ExecCount(`INSERT INTO task_areas (tenant_id, workspace_id, escalation_workdays, version, updated_at)
			VALUES (@tenant, ?, ?, ?, ?) ON CONFLICT DO NOTHING`, ws, days, cur.Version+1, now)
	}
	if err != nil {
		return fmt.Errorf("tasks: save task settings: %w", err)
	}
	if n != 1 {
		return errs.Plain(errs.PreconditionFailed)
	}
	return nil
}
