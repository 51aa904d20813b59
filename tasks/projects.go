package tasks

import (
	"context"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"
	"github.com/kollab/kollab/internal/db"
	"github.com/kollab/kollab/internal/errs"
	"github.com/kollab/kollab/internal/input"
	"github.com/kollab/kollab/tenant"
)

// Audit actions of projects.
const (
	ActionProjectUpdated  = "tasks.project.updated"
	ActionProjectEnded    = "tasks.project.ended"
	ActionProjectReported = "tasks.project.reported"
)

// Light is a status report's traffic light.
type Light string

// The lights: on track, at risk, off track.
const (
	Green  Light = "green"
	Yellow Light = "yellow"
	Red    Light = "red"
)

// Bounds of projects.
const (
	MaxPhaseLen      = 100
	MaxReportLen     = 10000
	MaxReports       = 500
	MaxProjects      = 200
	MaxMilestoneList = 100
)

// Project is a workspace's project plan as a caller sees it.
type Project struct {
	WorkspaceID   uuid.UUID  `gorm:"column:workspace_id"`
	WorkspaceName string     `gorm:"column:workspace_name"`
	Active        bool       `gorm:"column:active"`
	LeadID        *uuid.UUID `gorm:"column:lead_id"`
	LeadName      *string    `gorm:"column:lead_name"`
	Phase         string     `gorm:"column:phase"`
	StartsOn      *string    `gorm:"column:starts_on"`
	EndsOn        *string    `gorm:"column:ends_on"`
	Version       int64      `gorm:"column:version"`
	UpdatedAt     time.Time  `gorm:"column:updated_at"`
	// Latest is the newest status report (nil: none yet).
	Latest *Report `gorm:"-"`
	// Progress from the tasks: done of all that count (cancelled ones do not).
	TasksDone, TasksTotal, TasksOverdue int `gorm:"-"`
	// Milestones are the tasks flagged as milestones, by due day.
	Milestones []Brief `gorm:"-"`
	// CanManage: the caller may change the plan (owners, admins);
	// CanReport: may write a status report (also the lead).
	CanManage, CanReport bool `gorm:"-"`
}

// Report is one dated status report of a project.
type Report struct {
	ID         uuid.UUID `gorm:"column:id"`
	Light      Light     `gorm:"column:light"`
	Text       string    `gorm:"column:text"`
	ReportedOn string    `gorm:"column:reported_on"`
	CreatedAt  time.Time `gorm:"column:created_at"`
	CreatedBy  uuid.UUID `gorm:"column:created_by"`
	AuthorName *string   `gorm:"column:author_name"`
	// WorkspaceID is the project's workspace.
	WorkspaceID uuid.UUID `gorm:"column:workspace_id"`
}

// ProjectInput is a project's plan as an owner sets it.
type ProjectInput struct {
	// LeadID is a staff member of the workspace who writes (uuid.Nil: none).
	LeadID   uuid.UUID
	Phase    string
	StartsOn string
	EndsOn   string
}

func (in *ProjectInput) validate() error {
	var err error
	if in.Phase, err = input.Line("phase", in.Phase); err != nil {
		return err
	}
	if utf8.RuneCountInString(in.Phase) > MaxPhaseLen {
		return errs.InvalidField("phase", errs.M("tasks.phase-too-long", "Die Phase darf höchstens 100 Zeichen lang sein.", "The phase may be at most 100 characters long."))
	}
	if in.StartsOn, err = checkDate("starts_on", in.StartsOn); err != nil {
		return err
	}
	if in.EndsOn, err = checkDate("ends_on", in.EndsOn); err != nil {
		return err
	}
	if in.StartsOn != "" && in.EndsOn != "" && in.EndsOn < in.StartsOn {
		return errs.InvalidField("ends_on", errs.M("tasks.project-ends-before-start", "Das Projektende liegt vor dem Beginn.", "The project's end lies before its start."))
	}
	return nil
}

const projectSelect = `SELECT p.workspace_id, w.name AS workspace_name, p.active, p.lead_id, u.display_name AS lead_name, p.phase,
	p.starts_on, p.ends_on, p.version, p.updated_at FROM projects p
	JOIN workspaces w ON w.tenant_id = p.tenant_id AND w.id = p.workspace_id
	LEFT JOIN memberships m ON m.tenant_id = p.tenant_id AND m.id = p.lead_id
	LEFT JOIN users u ON u.id = m.user_id WHERE p.tenant_id = @tenant`

// Project reads a workspace's project plan with its latest report,
// progress and milestones (members). A workspace that is not (or no
// longer) a project answers a plan with Active false.
func (s *Service) Project(ctx context.Context, a tenant.Actor, ws uuid.UUID) (*Project, error) {
	var out *Project
	err := s.run(ctx, a, func(tx *db.Tx) error {
		ar, err := loadArea(tx, a, ws)
		if err != nil {
			return err
		}
		out, err = s.project(tx, a, ar)
		return err
	})
	return out, err
}

func (s *Service) project(tx *db.Tx, a tenant.Actor, ar *area) (*Project, error) {
	var ps []Project
	if err := tx.Raw(projectSelect+" AND p.workspace_id = ?", ar.ID).Scan(&ps).Error; err != nil {
		return nil, fmt.Errorf("tasks: read project: %w", err)
	}
	p := &Project{WorkspaceID: ar.ID, WorkspaceName: ar.Name, Milestones: []Brief{}}
	if len(ps) > 0 {
		p = &ps[0]
		p.Milestones = []Brief{}
	}
	p.CanManage = ar.owner() && ar.State == "active"
	p.CanReport = p.CanManage || (p.Active && p.LeadID != nil && *p.LeadID == a.MembershipID && ar.State == "active")
	if err := s.fillProgress(tx, []*Project{p}); err != nil {
		return nil, err
	}
	if err := tx.Table(tasksTable).Select("id, title, category, due_on").Where("workspace_id = ? AND milestone = ?", ar.ID, true).
		Order("due_on NULLS LAST, id").Limit(MaxMilestoneList).Scan(&p.Milestones).Error; err != nil {
		return nil, fmt.Errorf("tasks: read milestones: %w", err)
	}
	return p, nil
}

// fillProgress reads the projects' latest reports and task counts.
func (s *Service) fillProgress(tx *db.Tx, ps []*Project) error {
	if len(ps) == 0 {
		return nil
	}
	ids := make([]uuid.UUID, len(ps))
	at := map[uuid.UUID]*Project{}
	for i, p := range ps {
		ids[i], at[p.WorkspaceID] = p.WorkspaceID, p
	}
	var counts []struct {
		WorkspaceID uuid.UUID `gorm:"column:workspace_id"`
		Total       int       `gorm:"column:total"`
		Done        int       `gorm:"column:done"`
		Overdue     int       `gorm:"column:overdue"`
	}
	if err := tx.Raw(`SELECT workspace_id, sum(CASE WHEN category <> 'cancelled' THEN 1 ELSE 0 END) AS total,
		sum(CASE WHEN category = 'done' THEN 1 ELSE 0 END) AS done,
		sum(CASE WHEN category NOT IN ('done', 'cancelled') AND due_on < ? THEN 1 ELSE 0 END) AS overdue
		FROM tasks WHERE tenant_id = @tenant AND workspace_id IN ? GROUP BY workspace_id`, s.today(), ids).Scan(&counts).Error; err != nil {
		return fmt.Errorf("tasks: count project tasks: %w", err)
	}
	for _, c := range counts {
		at[c.WorkspaceID].TasksTotal, at[c.WorkspaceID].TasksDone, at[c.WorkspaceID].TasksOverdue = c.Total, c.Done, c.Overdue
	}
	var latest []Report
	if err := tx.Raw(`SELECT r.id, r.light, r.text, r.reported_on, r.created_at, r.created_by, r.workspace_id, u.display_name AS author_name
		FROM project_reports r LEFT JOIN memberships m ON m.tenant_id = r.tenant_id AND m.id = r.created_by LEFT JOIN users u ON u.id = m.user_id
		WHERE r.tenant_id = @tenant AND r.workspace_id IN ? AND r.id = (SELECT r2.id FROM project_reports r2
		WHERE r2.tenant_id = r.tenant_id AND r2.workspace_id = r.workspace_id ORDER BY r2.id DESC LIMIT 1)`, ids).Scan(&latest).Error; err != nil {
		return fmt.Errorf("tasks: read latest reports: %w", err)
	}
	for i := range latest {
		at[latest[i].WorkspaceID].Latest = &latest[i]
	}
	return nil
}

// SetProject marks a workspace as a project or changes its plan (owners
// and admins). ifMatch (0: any) is the plan's version last read.
func (s *Service) SetProject(ctx context.Context, a tenant.Actor, ws uuid.UUID, ifMatch int64, in ProjectInput) (*Project, error) {
	if err := in.validate(); err != nil {
		return nil, err
	}
	var out *Project
	err := s.run(ctx, a, func(tx *db.Tx) error {
		ar, err := loadArea(tx, a, ws)
		if err != nil {
			return err
		}
		if err := ar.needOwner(); err != nil {
			return err
		}
		if in.LeadID != uuid.Nil {
			if err := checkLead(tx, ws, in.LeadID); err != nil {
				return err
			}
		}
		var cur []Project
		if err := tx.Raw(forUpdate(tx, "SELECT workspace_id, version FROM projects WHERE tenant_id = @tenant AND workspace_id = ?"), ws).Scan(&cur).Error; err != nil {
			return fmt.Errorf("tasks: read project: %w", err)
		}
		now := s.now()
		var lead *uuid.UUID
		if in.LeadID != uuid.Nil {
			lead = &in.LeadID
		}
		if len(cur) == 0 {
			if _, err := tx.ExecCount(`INSERT INTO projects (tenant_id, workspace_id, active, lead_id, phase, starts_on, ends_on, version, created_at, created_by, updated_at)
				VALUES (@tenant, ?, ?, ?, ?, ?, ?, 1, ?, ?, ?)`, ws, true, lead, in.Phase, nullable(in.StartsOn), nullable(in.EndsOn), now, a.MembershipID, now); err != nil {
				return fmt.Errorf("tasks: make project: %w", err)
			}
		} else {
			if ifMatch != 0 && ifMatch != cur[0].Version {
				return errs.Plain(errs.PreconditionFailed)
			}
			if _, err := tx.ExecCount(`UPDATE projects SET active = ?, lead_id = ?, phase = ?, starts_on = ?, ends_on = ?, version = version + 1, updated_at = ?
				WHERE tenant_id = @tenant AND workspace_id = ?`, true, lead, in.Phase, nullable(in.StartsOn), nullable(in.EndsOn), now, ws); err != nil {
				return fmt.Errorf("tasks: change project: %w", err)
			}
		}
		if err := s.feed(tx, ws, "project.updated", a.MembershipID, ws, in.Phase); err != nil {
			return err
		}
		if err := a.Record(ctx, tx, ActionProjectUpdated, "workspace", ws, map[string]string{"name": ar.Name, "phase": in.Phase,
			"starts_on": in.StartsOn, "ends_on": in.EndsOn, "lead_id": in.LeadID.String()}); err != nil {
			return err
		}
		out, err = s.project(tx, a, ar)
		return err
	})
	return out, err
}

// checkLead makes sure a project's lead is a staff member of the workspace who writes.
func checkLead(tx *db.Tx, ws, id uuid.UUID) error {
	var n int64
	if err := tx.Raw(`SELECT count(*) FROM workspace_members wm JOIN memberships m ON m.tenant_id = wm.tenant_id AND m.id = wm.membership_id
		WHERE wm.tenant_id = @tenant AND wm.workspace_id = ? AND wm.membership_id = ? AND wm.role IN ('owner', 'member') AND m.role IN ('staff', 'admin')`,
		ws, id).Scan(&n).Error; err != nil {
		return fmt.Errorf("tasks: check lead: %w", err)
	}
	if n == 0 {
		return errs.InvalidField("lead_id", errs.M("tasks.lead-must-be-member", "Die Projektleitung muss ein Mitglied des Arbeitsraums aus der eigenen Verwaltung mit Schreibrecht sein.", "The project lead must be a staff member of the workspace who writes."))
	}
	return nil
}

// EndProject stops leading a workspace as a project (owners and admins);
// the plan and its reports stay and come back when it is marked again.
func (s *Service) EndProject(ctx context.Context, a tenant.Actor, ws uuid.UUID) error {
	return s.run(ctx, a, func(tx *db.Tx) error {
		ar, err := loadArea(tx, a, ws)
		if err != nil {
			return err
		}
		if err := ar.needOwner(); err != nil {
			return err
		}
		n, err := tx.ExecCount("UPDATE projects SET active = ?, version = version + 1, updated_at = ? WHERE tenant_id = @tenant AND workspace_id = ? AND active = ?",
			false, s.now(), ws, true)
		if err != nil {
			return fmt.Errorf("tasks: end project: %w", err)
		}
		if n == 0 {
			return errs.New(errs.Conflict, errs.M("tasks.not-a-project", "Dieser Arbeitsraum wird nicht als Projekt geführt.", "This workspace is not run as a project."))
		}
		return a.Record(ctx, tx, ActionProjectEnded, "workspace", ws, map[string]string{"name": ar.Name})
	})
}

// AddReport writes a dated status report of a project (owners, admins and
// the project's lead); the earlier ones stay in its history.
func (s *Service) AddReport(ctx context.Context, a tenant.Actor, ws uuid.UUID, light Light, text string) (*Report, error) {
	if light != Green && light != Yellow && light != Red {
		return nil, errs.InvalidField("light", errs.M("tasks.light-unknown", "Die Ampel ist green, yellow oder red.", "The light is green, yellow or red."))
	}
	text = strings.TrimSpace(text)
	if err := input.Text("text", text); err != nil {
		return nil, err
	}
	if n := utf8.RuneCountInString(text); n < 1 || n > MaxReportLen {
		return nil, errs.InvalidField("text", errs.M("tasks.report-length", "Der Statusbericht hat 1 bis 10000 Zeichen.", "The status report has 1 to 10000 characters."))
	}
	var out *Report
	err := s.run(ctx, a, func(tx *db.Tx) error {
		ar, err := loadArea(tx, a, ws)
		if err != nil {
			return err
		}
		p, err := s.project(tx, a, ar)
		if err != nil {
			return err
		}
		if !p.Active {
			return errs.New(errs.Conflict, errs.M("tasks.not-a-project", "Dieser Arbeitsraum wird nicht als Projekt geführt.", "This workspace is not run as a project."))
		}
		if !p.CanReport {
			if ar.State != "active" {
				return errArchived()
			}
			return errs.New(errs.Forbidden, errs.M("tasks.report-who", "Statusberichte schreiben die Projektleitung und die Eigentümer des Arbeitsraums.", "Status reports are written by the project lead and the workspace's owners."))
		}
		out = &Report{ID: db.NewID(), Light: light, Text: text, ReportedOn: s.today(), CreatedAt: s.now(), CreatedBy: a.MembershipID}
		if _, err := tx.ExecCount(`INSERT INTO project_reports (tenant_id, id, workspace_id, light, text, reported_on, created_at, created_by)
			VALUES (@tenant, ?, ?, ?, ?, ?, ?, ?)`, out.ID, ws, string(light), text, out.ReportedOn, out.CreatedAt, a.MembershipID); err != nil {
			return fmt.Errorf("tasks: write report: %w", err)
		}
		if err := s.feed(tx, ws, "project.reported", a.MembershipID, out.ID, string(light)); err != nil {
			return err
		}
		return a.Record(ctx, tx, ActionProjectReported, "workspace", ws, map[string]string{"name": ar.Name, "light": string(light)})
	})
	return out, err
}

// Reports reads a project's status reports, newest first (members).
func (s *Service) Reports(ctx context.Context, a tenant.Actor, ws uuid.UUID) ([]Report, error) {
	var out []Report
	err := s.run(ctx, a, func(tx *db.Tx) error {
		if _, err := loadArea(tx, a, ws); err != nil {
			return err
		}
		return tx.Raw(`SELECT r.id, r.light, r.text, r.reported_on, r.created_at, r.created_by, r.workspace_id, u.display_name AS author_name
			FROM project_reports r LEFT JOIN memberships m ON m.tenant_id = r.tenant_id AND m.id = r.created_by LEFT JOIN users u ON u.id = m.user_id
			WHERE r.tenant_id = @tenant AND r.workspace_id = ? ORDER BY r.id DESC LIMIT ?`, ws, MaxReports).Scan(&out).Error
	})
	return out, err
}

// Projects lists the active projects of the workspaces the caller belongs
// to (admins: all), by end date, with their latest light and progress.
func (s *Service) Projects(ctx context.Context, a tenant.Actor) ([]Project, error) {
	var out []Project
	err := s.run(ctx, a, func(tx *db.Tx) error {
		q := projectSelect + " AND p.active = ?"
		args := []any{true}
		if !a.IsAdmin() {
			q += " AND EXISTS (SELECT 1 FROM workspace_members wm WHERE wm.tenant_id = p.tenant_id AND wm.workspace_id = p.workspace_id AND wm.membership_id = ?)"
			args = append(args, a.MembershipID)
		}
		args = append(args, MaxProjects)
		if err := tx.Raw(q+" ORDER BY p.ends_on NULLS LAST, w.name LIMIT ?", args...).Scan(&out).Error; err != nil {
			return fmt.Errorf("tasks: list projects: %w", err)
		}
		ps := make([]*Project, len(out))
		for i := range out {
			out[i].Milestones = []Brief{}
			ps[i] = &out[i]
		}
		return s.fillProgress(tx, ps)
	})
	return out, err
}
