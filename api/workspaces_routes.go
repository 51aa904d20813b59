package api

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"
	"github.com/kollab/kollab/workspaces"
)

// The workspace routes (Arbeitsräume): workspaces, their members, joining
// and leaving, archive and restore. Every route is for members of the
// path's tenant; who may see and do what is decided by the workspaces
// service (a closed workspace the caller does not belong to answers 404
// like a missing one), never here. The workspace's folder is served by the
// document routes; its permissions follow the membership.

func workspaceResult(w *workspaces.Workspace, err error) (*workspaceOut, error) {
	if err != nil {
		return nil, err
	}
	return &workspaceOut{ETag: etag(w.Version), Body: workspaceView(w)}, nil
}

func (s *Server) workspaceRoutes() {
	s.workspaceRecordRoutes()
	s.workspaceStateRoutes()
	s.workspaceMemberRoutes()
	s.workspaceActivityRoutes()
}

// workspaceRecordRoutes: list, create, read and change workspaces.
func (s *Server) workspaceRecordRoutes() {
	tags := []string{"Arbeitsräume"}
	svc := s.deps.Workspaces
	register(s, member, huma.Operation{OperationID: "list-workspaces", Method: http.MethodGet, Path: tenantBase + "/workspaces", Tags: tags,
		Summary: "Workspaces by name: the caller's, the directory of open ones (staff), or all (administrators)"},
		func(ctx context.Context, in *listWorkspacesIn) (*workspacesOut, error) {
			p, err := svc.List(ctx, actorOf(ctx), in.filter())
			if err != nil {
				return nil, err
			}
			out := &workspacesOut{}
			out.Body.Workspaces = make([]WorkspaceView, len(p.Workspaces))
			for i := range p.Workspaces {
				out.Body.Workspaces[i] = workspaceView(&p.Workspaces[i])
			}
			out.Body.NextCursor = p.NextCursor
			return out, nil
		})

	register(s, member, huma.Operation{OperationID: "create-workspace", Errors: []int{http.StatusConflict}, Method: http.MethodPost, Path: tenantBase + "/workspaces", Tags: tags,
		Summary:       "Create a workspace with its document folder (staff); the caller becomes its owner",
		Description:   "The name is unique in the tenant regardless of case. The folder is made under the root folder \"Arbeitsräume\".",
		DefaultStatus: http.StatusCreated},
		func(ctx context.Context, in *createWorkspaceIn) (*workspaceOut, error) {
			b := in.Body
			return workspaceResult(svc.Create(ctx, actorOf(ctx), workspaces.Input{Name: b.Name, Purpose: b.Purpose, FileNumber: b.FileNumber,
				StartsOn: b.StartsOn, EndsOn: b.EndsOn, ResponsibleID: b.ResponsibleID, Visibility: workspaces.Visibility(b.Visibility)}))
		})

	register(s, member, huma.Operation{OperationID: "get-workspace", Method: http.MethodGet, Path: tenantBase + "/workspaces/{id}", Tags: tags,
		Summary: "One workspace with the caller's role in it; its version is the ETag"},
		func(ctx context.Context, in *TenantIDPath) (*workspaceOut, error) {
			return workspaceResult(svc.Get(ctx, actorOf(ctx), in.ID))
		})

	register(s, member, huma.Operation{OperationID: "update-workspace", Errors: []int{http.StatusConflict}, Method: http.MethodPatch, Path: tenantBase + "/workspaces/{id}", Tags: tags,
		Summary:     "Change a workspace's fields (owners, administrators; If-Match required)",
		Description: "Absent fields stay; an empty file number or date removes it. A stale If-Match answers 412, an archived workspace 409."},
		func(ctx context.Context, in *updateWorkspaceIn) (*workspaceOut, error) {
			a := actorOf(ctx)
			cur, err := svc.Get(ctx, a, in.ID)
			if err != nil {
				return nil, err
			}
			wi := workspaces.Input{Name: cur.Name, Purpose: cur.Purpose, FileNumber: cur.FileNumber, StartsOn: cur.StartsOn, EndsOn: cur.EndsOn,
				ResponsibleID: cur.ResponsibleID, Visibility: cur.Visibility}
			b := in.Body
			setField(&wi.Name, b.Name)
			setField(&wi.Purpose, b.Purpose)
			setField(&wi.FileNumber, b.FileNumber)
			setField(&wi.StartsOn, b.StartsOn)
			setField(&wi.EndsOn, b.EndsOn)
			setField(&wi.ResponsibleID, b.ResponsibleID)
			if b.Visibility != nil {
				wi.Visibility = workspaces.Visibility(*b.Visibility)
			}
			return workspaceResult(svc.Update(ctx, a, in.ID, in.version, wi))
		})
}

// workspaceStateRoutes: archive and restore.
func (s *Server) workspaceStateRoutes() {
	tags := []string{"Arbeitsräume"}
	svc := s.deps.Workspaces
	register(s, member, huma.Operation{OperationID: "archive-workspace", Errors: []int{http.StatusConflict}, Method: http.MethodPost, Path: tenantBase + "/workspaces/{id}/archive", Tags: tags,
		Summary:     "Archive a workspace: read-only until restored (owners, administrators; If-Match optional)",
		Description: "Its fields, members and folder contents no longer change; everyone, administrators included, reads its folder only."},
		func(ctx context.Context, in *workspaceStateIn) (*workspaceOut, error) {
			return workspaceResult(svc.Archive(ctx, actorOf(ctx), in.ID, in.version))
		})

	register(s, member, huma.Operation{OperationID: "restore-workspace", Errors: []int{http.StatusConflict}, Method: http.MethodPost, Path: tenantBase + "/workspaces/{id}/restore", Tags: tags,
		Summary: "Make an archived workspace active again (owners, administrators; If-Match optional)"},
		func(ctx context.Context, in *workspaceStateIn) (*workspaceOut, error) {
			return workspaceResult(svc.Restore(ctx, actorOf(ctx), in.ID, in.version))
		})
}

// workspaceMemberRoutes: members, joining and leaving.
func (s *Server) workspaceMemberRoutes() {
	tags := []string{"Arbeitsräume"}
	svc := s.deps.Workspaces
	register(s, member, huma.Operation{OperationID: "list-workspace-members", Method: http.MethodGet, Path: tenantBase + "/workspaces/{id}/members",
		Tags: tags, Summary: "A workspace's members with their roles"},
		func(ctx context.Context, in *TenantIDPath) (*workspaceMembersOut, error) {
			ms, err := svc.ListMembers(ctx, actorOf(ctx), in.ID)
			if err != nil {
				return nil, err
			}
			out := &workspaceMembersOut{}
			out.Body.Members = make([]WorkspaceMemberView, len(ms))
			for i := range ms {
				out.Body.Members[i] = workspaceMemberView(&ms[i])
			}
			return out, nil
		})

	register(s, member, huma.Operation{OperationID: "set-workspace-member", Errors: []int{http.StatusConflict}, Method: http.MethodPut,
		Path: tenantBase + "/workspaces/{id}/members/{membership}", Tags: tags,
		Summary:     "Add a staff member of the tenant to the workspace, or change their role (owners, administrators)",
		Description: "owner and member write to the workspace's folder, reader reads. The last owner stays owner (409)."},
		func(ctx context.Context, in *setWorkspaceMemberIn) (*workspaceMemberOut, error) {
			m, err := svc.SetMember(ctx, actorOf(ctx), in.ID, in.MembershipID, workspaces.Role(in.Body.Role))
			if err != nil {
				return nil, err
			}
			return &workspaceMemberOut{Body: workspaceMemberView(m)}, nil
		})

	register(s, member, huma.Operation{OperationID: "remove-workspace-member", Errors: []int{http.StatusConflict}, Method: http.MethodDelete,
		Path: tenantBase + "/workspaces/{id}/members/{membership}", Tags: tags, DefaultStatus: http.StatusNoContent,
		Summary:     "Take a member out of the workspace (owners, administrators; everyone themselves)",
		Description: "The last owner and the responsible person cannot go (409); the member loses the folder at once."},
		func(ctx context.Context, in *WorkspaceMemberPath) (*struct{}, error) {
			return nil, svc.RemoveMember(ctx, actorOf(ctx), in.ID, in.MembershipID)
		})

	register(s, member, huma.Operation{OperationID: "join-workspace", Errors: []int{http.StatusConflict}, Method: http.MethodPost, Path: tenantBase + "/workspaces/{id}/join",
		Tags: tags, Summary: "Join an open workspace as a member (staff)", Description: "Joining a workspace one belongs to changes nothing."},
		func(ctx context.Context, in *TenantIDPath) (*workspaceOut, error) {
			return workspaceResult(svc.Join(ctx, actorOf(ctx), in.ID))
		})

	register(s, member, huma.Operation{OperationID: "leave-workspace", Errors: []int{http.StatusConflict}, Method: http.MethodPost, Path: tenantBase + "/workspaces/{id}/leave",
		Tags: tags, DefaultStatus: http.StatusNoContent,
		Summary: "Leave a workspace", Description: "The last owner and the responsible person cannot leave (409)."},
		func(ctx context.Context, in *TenantIDPath) (*struct{}, error) {
			a := actorOf(ctx)
			return nil, svc.RemoveMember(ctx, a, in.ID, a.MembershipID)
		})
}
