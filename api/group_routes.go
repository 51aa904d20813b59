package api

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"
	"github.com/google/uuid"
	"github.com/kollab/kollab/internal/errs"
	"github.com/kollab/kollab/tenant"
)

// The tenant's groups in the admin console: create, rename, delete (with
// the permission entries that name the group), members.

type groupIn struct {
	TenantPath
	Body struct {
		Name        string `json:"name" maxLength:"200"`
		Description string `json:"description,omitempty" maxLength:"2000"`
	}
}

type groupPatchIn struct {
	TenantIDPath
	Body struct {
		Name        *string `json:"name,omitempty" maxLength:"200" doc:"New name; unique in the tenant regardless of case"`
		Description *string `json:"description,omitempty" maxLength:"2000"`
	}
}

type groupOut struct{ Body GroupView }

type groupsOut struct {
	Body struct {
		Groups []GroupView `json:"groups" maxItems:"1000"`
	}
}

type groupMembersIn struct {
	TenantIDPath
	Query  string    `query:"q" maxLength:"200" doc:"Part of e-mail or name"`
	Cursor uuid.UUID `query:"cursor" doc:"next_cursor of the previous page"`
	Limit  int       `query:"limit" minimum:"1" maximum:"200" default:"50"`
}

type groupMemberPath struct {
	TenantIDPath
	MembershipID uuid.UUID `path:"membership"`
}

func groupView(g *tenant.Group) GroupView {
	return GroupView{ID: g.ID, Name: g.Name, Description: g.Description, MemberCount: g.MemberCount, CreatedAt: g.CreatedAt, UpdatedAt: g.UpdatedAt}
}

func (s *Server) groupRoutes() {
	s.groupRecordRoutes()
	s.groupMemberRoutes()
}

// groupRecordRoutes: groups themselves: list, create, read, change and delete.
func (s *Server) groupRecordRoutes() {
	tags := []string{"Mandantenverwaltung"}
	register(s, tenantAdmin, huma.Operation{OperationID: "list-groups", Method: http.MethodGet, Path: "/api/v1/t/{tenant}/groups", Tags: tags,
		Summary: "Groups with member counts, by name (at most 1000, the most a tenant may have)"},
		func(ctx context.Context, _ *TenantPath) (*groupsOut, error) {
			gs, err := s.deps.Tenants.ListGroups(ctx, actorOf(ctx))
			if err != nil {
				return nil, err
			}
			out := &groupsOut{}
			out.Body.Groups = make([]GroupView, len(gs))
			for i := range gs {
				out.Body.Groups[i] = groupView(&gs[i])
			}
			return out, nil
		})

	register(s, tenantAdmin, huma.Operation{OperationID: "create-group", Method: http.MethodPost, Path: "/api/v1/t/{tenant}/groups", Tags: tags,
		Summary: "Create a group", DefaultStatus: http.StatusCreated,
		Description: "409 when another group of the tenant has the name, compared regardless of case and Unicode form, or the tenant has 1000 groups."},
		func(ctx context.Context, in *groupIn) (*groupOut, error) {
			g, err := s.deps.Tenants.CreateGroup(ctx, actorOf(ctx), in.Body.Name, in.Body.Description)
			if err != nil {
				return nil, err
			}
			return &groupOut{Body: groupView(g)}, nil
		})

	register(s, tenantAdmin, huma.Operation{OperationID: "get-group", Method: http.MethodGet, Path: "/api/v1/t/{tenant}/groups/{id}", Tags: tags,
		Summary: "One group, with the number of folder permissions granted to it (removed when the group is deleted)"},
		func(ctx context.Context, in *TenantIDPath) (*groupOut, error) {
			g, err := s.deps.Tenants.Group(ctx, actorOf(ctx), in.ID)
			if err != nil {
				return nil, err
			}
			v := groupView(g)
			v.GrantCount = &g.GrantCount
			return &groupOut{Body: v}, nil
		})

	register(s, tenantAdmin, huma.Operation{OperationID: "update-group", Method: http.MethodPatch, Path: "/api/v1/t/{tenant}/groups/{id}", Tags: tags,
		Summary: "Rename a group or change its description", Description: "409 when another group of the tenant has the new name (regardless of case)."},
		func(ctx context.Context, in *groupPatchIn) (*groupOut, error) {
			if in.Body.Name == nil && in.Body.Description == nil {
				return nil, errs.InvalidField("name", errs.M("tenant.give-name-description", "Bitte name oder description angeben.", "Please give name or description."))
			}
			g, err := s.deps.Tenants.UpdateGroup(ctx, actorOf(ctx), in.ID, in.Body.Name, in.Body.Description)
			if err != nil {
				return nil, err
			}
			return &groupOut{Body: groupView(g)}, nil
		})

	register(s, tenantAdmin, huma.Operation{OperationID: "delete-group", Method: http.MethodDelete, Path: "/api/v1/t/{tenant}/groups/{id}", Tags: tags,
		Summary: "Delete a group", DefaultStatus: http.StatusNoContent,
		Description: "Removes the group, its memberships and every folder permission granted to it. Its members keep the access " +
			"they have otherwise (their role, their own permissions, other groups)."},
		func(ctx context.Context, in *TenantIDPath) (*struct{}, error) {
			return nil, s.deps.Tenants.DeleteGroup(ctx, actorOf(ctx), in.ID)
		})
}

// groupMemberRoutes: a group's members.
func (s *Server) groupMemberRoutes() {
	tags := []string{"Mandantenverwaltung"}
	register(s, tenantAdmin, huma.Operation{OperationID: "list-group-members", Method: http.MethodGet, Path: "/api/v1/t/{tenant}/groups/{id}/members",
		Tags: tags, Summary: "Members of a group, searchable, cursor-paginated"},
		func(ctx context.Context, in *groupMembersIn) (*membersOut, error) {
			page, err := s.deps.Tenants.ListMembers(ctx, actorOf(ctx), tenant.MemberFilter{
				Query: in.Query, Group: in.ID, After: in.Cursor, Limit: in.Limit})
			if err != nil {
				return nil, err
			}
			out := &membersOut{}
			out.Body.Total = page.Total
			out.Body.Members = make([]MemberView, len(page.Members))
			for i := range page.Members {
				out.Body.Members[i] = memberView(&page.Members[i])
			}
			if page.More {
				last := page.Members[len(page.Members)-1].ID
				out.Body.NextCursor = &last
			}
			return out, nil
		})

	register(s, tenantAdmin, huma.Operation{OperationID: "add-group-member", Method: http.MethodPut,
		Path: "/api/v1/t/{tenant}/groups/{id}/members/{membership}", Tags: tags, Summary: "Add a member to a group", DefaultStatus: http.StatusNoContent},
		func(ctx context.Context, in *groupMemberPath) (*struct{}, error) {
			return nil, s.deps.Tenants.SetGroupMember(ctx, actorOf(ctx), in.ID, in.MembershipID, true)
		})

	register(s, tenantAdmin, huma.Operation{OperationID: "remove-group-member", Method: http.MethodDelete,
		Path: "/api/v1/t/{tenant}/groups/{id}/members/{membership}", Tags: tags, Summary: "Remove a member from a group", DefaultStatus: http.StatusNoContent},
		func(ctx context.Context, in *groupMemberPath) (*struct{}, error) {
			return nil, s.deps.Tenants.SetGroupMember(ctx, actorOf(ctx), in.ID, in.MembershipID, false)
		})
}
