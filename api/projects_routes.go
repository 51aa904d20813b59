package api

import (
	"context"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"
	"github.com/google/uuid"
	"github.com/kollab/kollab/tasks"
)

// The project routes (package tasks, part 5): a workspace run as a
// project, its plan, status reports and the portfolio of projects.

// ProjectReportView is a dated status report of a project.
type ProjectReportView struct {
	ID         uuid.UUID `json:"id"`
	Light      string    `json:"light" enum:"green,yellow,red"`
	Text       string    `json:"text"`
	ReportedOn string    `json:"reported_on" doc:"YYYY-MM-DD"`
	CreatedAt  time.Time `json:"created_at"`
	CreatedBy  uuid.UUID `json:"created_by"`
	AuthorName string    `json:"author_name"`
}

func reportView(r *tasks.Report) ProjectReportView {
	v := ProjectReportView{ID: r.ID, Light: string(r.Light), Text: r.Text, ReportedOn: r.ReportedOn, CreatedAt: r.CreatedAt, CreatedBy: r.CreatedBy}
	if r.AuthorName != nil {
		v.AuthorName = *r.AuthorName
	}
	return v
}

// ProjectView is a workspace's project plan; its version is the ETag.
type ProjectView struct {
	WorkspaceID   uuid.UUID          `json:"workspace_id"`
	WorkspaceName string             `json:"workspace_name"`
	Active        bool               `json:"active" doc:"The workspace is run as a project"`
	LeadID        *uuid.UUID         `json:"lead_id,omitempty"`
	LeadName      string             `json:"lead_name"`
	Phase         string             `json:"phase"`
	StartsOn      string             `json:"starts_on,omitempty"`
	EndsOn        string             `json:"ends_on,omitempty"`
	Version       int64              `json:"version"`
	Latest        *ProjectReportView `json:"latest_report,omitempty"`
	TasksDone     int                `json:"tasks_done"`
	TasksTotal    int                `json:"tasks_total" doc:"Tasks that count (cancelled ones do not)"`
	TasksOverdue  int                `json:"tasks_overdue"`
	Milestones    []TaskBriefView    `json:"milestones" nullable:"false" doc:"Tasks flagged as milestones, by due day (at most 100; empty in the portfolio)"`
	CanManage     bool               `json:"can_manage"`
	CanReport     bool               `json:"can_report"`
}

func projectView(p *tasks.Project) ProjectView {
	v := ProjectView{WorkspaceID: p.WorkspaceID, WorkspaceName: p.WorkspaceName, Active: p.Active, LeadID: p.LeadID, Phase: p.Phase,
		Version: p.Version, TasksDone: p.TasksDone, TasksTotal: p.TasksTotal, TasksOverdue: p.TasksOverdue, Milestones: briefViews(p.Milestones),
		CanManage: p.CanManage, CanReport: p.CanReport}
	if p.LeadName != nil {
		v.LeadName = *p.LeadName
	}
	if p.StartsOn != nil {
		v.StartsOn = *p.StartsOn
	}
	if p.EndsOn != nil {
		v.EndsOn = *p.EndsOn
	}
	if p.Latest != nil {
		r := reportView(p.Latest)
		v.Latest = &r
	}
	return v
}

type projectOut struct {
	ETag string `header:"ETag"`
	Body ProjectView
}

type setProjectIn struct {
	TenantIDPath
	IfMatchHeader
	Body struct {
		LeadID   *uuid.UUID `json:"lead_id,omitempty" doc:"A staff member of the workspace who writes; absent: none"`
		Phase    string     `json:"phase,omitempty" maxLength:"100" doc:"e.g. Initiierung, Planung, Umsetzung, Abschluss"`
		StartsOn string     `json:"starts_on,omitempty" maxLength:"10" doc:"YYYY-MM-DD"`
		EndsOn   string     `json:"ends_on,omitempty" maxLength:"10" doc:"YYYY-MM-DD"`
	}
}

type addReportIn struct {
	TenantIDPath
	Body struct {
		Light string `json:"light" enum:"green,yellow,red"`
		Text  string `json:"text" minLength:"1" maxLength:"10000"`
	}
}

type reportsOut struct {
	Body struct {
		Reports []ProjectReportView `json:"reports" nullable:"false"`
	}
}

type projectsOut struct {
	Body struct {
		Projects []ProjectView `json:"projects" nullable:"false"`
	}
}

func projectResult(p *tasks.Project, err error) (*projectOut, error) {
	if err != nil {
		return nil, err
	}
	return &projectOut{ETag: etag(p.Version), Body: projectView(p)}, nil
}

func (s *Server) projectRoutes() {
	if s.deps.Tasks == nil {
		return
	}
	svc, tags := s.deps.Tasks, []string{"Projekte"}
	register(s, member, huma.Operation{OperationID: "get-project", Method: http.MethodGet, Path: tenantBase + "/workspaces/{id}/project", Tags: tags,
		Summary: "The workspace's project plan with its latest status report, progress and milestones (members; active false: not a project)"},
		func(ctx context.Context, in *TenantIDPath) (*projectOut, error) {
			return projectResult(svc.Project(ctx, actorOf(ctx), in.ID))
		})
	register(s, member, huma.Operation{OperationID: "set-project", Method: http.MethodPut, Path: tenantBase + "/workspaces/{id}/project", Tags: tags,
		Errors:  []int{http.StatusConflict, http.StatusPreconditionFailed},
		Summary: "Run the workspace as a project, or change its plan (owners, admins; If-Match optional)"},
		func(ctx context.Context, in *setProjectIn) (*projectOut, error) {
			pi := tasks.ProjectInput{Phase: in.Body.Phase, StartsOn: in.Body.StartsOn, EndsOn: in.Body.EndsOn}
			if in.Body.LeadID != nil {
				pi.LeadID = *in.Body.LeadID
			}
			return projectResult(svc.SetProject(ctx, actorOf(ctx), in.ID, in.version, pi))
		})
	register(s, member, huma.Operation{OperationID: "end-project", Method: http.MethodDelete, Path: tenantBase + "/workspaces/{id}/project", Tags: tags,
		DefaultStatus: http.StatusNoContent, Errors: []int{http.StatusConflict},
		Summary: "Stop running the workspace as a project (owners, admins); the plan and its reports are kept"},
		func(ctx context.Context, in *TenantIDPath) (*struct{}, error) {
			return nil, svc.EndProject(ctx, actorOf(ctx), in.ID)
		})
	register(s, member, huma.Operation{OperationID: "list-project-reports", Method: http.MethodGet, Path: tenantBase + "/workspaces/{id}/project/reports",
		Tags: tags, Summary: "The project's status reports, newest first (members; at most 500)"},
		func(ctx context.Context, in *TenantIDPath) (*reportsOut, error) {
			rs, err := svc.Reports(ctx, actorOf(ctx), in.ID)
			if err != nil {
				return nil, err
			}
			out := &reportsOut{}
			out.Body.Reports = make([]ProjectReportView, len(rs))
			for i := range rs {
				out.Body.Reports[i] = reportView(&rs[i])
			}
			return out, nil
		})
	register(s, member, huma.Operation{OperationID: "add-project-report", Method: http.MethodPost, Path: tenantBase + "/workspaces/{id}/project/reports",
		Tags: tags, DefaultStatus: http.StatusCreated, Errors: []int{http.StatusConflict},
		Summary: "Write today's status report: a traffic light with a text (the project lead, owners, admins)"},
		func(ctx context.Context, in *addReportIn) (*struct{ Body ProjectReportView }, error) {
			r, err := svc.AddReport(ctx, actorOf(ctx), in.ID, tasks.Light(in.Body.Light), in.Body.Text)
			if err != nil {
				return nil, err
			}
			return &struct{ Body ProjectReportView }{Body: reportView(r)}, nil
		})
	register(s, member, huma.Operation{OperationID: "list-projects", Method: http.MethodGet, Path: tenantBase + "/projects", Tags: tags,
		Summary: "The active projects of the caller's workspaces (administrators: all), by end date, with light and progress (at most 200)"},
		func(ctx context.Context, in *TenantPath) (*projectsOut, error) {
			ps, err := svc.Projects(ctx, actorOf(ctx))
			if err != nil {
				return nil, err
			}
			out := &projectsOut{}
			out.Body.Projects = make([]ProjectView, len(ps))
			for i := range ps {
				out.Body.Projects[i] = projectView(&ps[i])
			}
			return out, nil
		})
}
