package api

import (
	"context"
	"net/http"
	"strings"

	"github.com/danielgtaylor/huma/v2"
	"github.com/google/uuid"
	"github.com/kollab/kollab/tenant"
)

// The member directory: names behind membership ids, and a search for
// people and groups to grant folders to. For members who are not
// partners; the rules are in tenant/directory.go.

type directoryIn struct {
	TenantPath
	Query    string    `query:"q" maxLength:"200" doc:"Part of a name or e-mail address (groups: of the name); case-insensitive. Searches active members only."`
	IDs      string    `query:"ids" maxLength:"8000" doc:"Comma-separated membership ids to resolve (up to 200), deactivated members included; unknown ids are left out. Not with q or cursor."`
	GroupIDs string    `query:"group_ids" maxLength:"8000" doc:"Comma-separated group ids to resolve (up to 200). Not with q or cursor."`
	Cursor   uuid.UUID `query:"cursor" doc:"next_cursor of the previous page of a search"`
	Limit    int       `query:"limit" minimum:"1" maximum:"200" default:"50" doc:"Members per page (and groups on the first page)"`
}

// DirectoryMemberView is a member as their colleagues see them.
type DirectoryMemberView struct {
	MembershipID uuid.UUID `json:"membership_id"`
	DisplayName  string    `json:"display_name"`
	Email        string    `json:"email"`
	Role         string    `json:"role" enum:"admin,staff,committee,partner"`
	Active       bool      `json:"active" doc:"False for a deactivated member (only ever resolved by id)"`
}

// DirectoryGroupView is a group in the directory.
type DirectoryGroupView struct {
	ID   uuid.UUID `json:"id"`
	Name string    `json:"name"`
}

type directoryOut struct {
	Body struct {
		Members []DirectoryMemberView `json:"members"`
		// Groups: matching q on a search's first page, or the resolved group_ids.
		Groups     []DirectoryGroupView `json:"groups"`
		NextCursor *uuid.UUID           `json:"next_cursor,omitempty"`
	}
}

func (s *Server) directoryRoutes() {
	register(s, member, huma.Operation{OperationID: "get-directory", Method: http.MethodGet, Path: tenantBase + "/directory",
		Tags: []string{"Mandant"}, Summary: "Member directory: resolve membership and group ids, or search people and groups",
		Description: "For every member except partners (403). With ids or group_ids: those of the tenant's members (any status, marked active or not) " +
			"and groups; ids of no member of this tenant are left out. Otherwise: active members whose name or e-mail contains q, ordered by name " +
			"and cursor-paginated, and on the first page the groups whose name contains q."},
		func(ctx context.Context, in *directoryIn) (*directoryOut, error) {
			ids, err := tenant.ParseIDList("ids", in.IDs)
			if err != nil {
				return nil, err
			}
			groupIDs, err := tenant.ParseIDList("group_ids", in.GroupIDs)
			if err != nil {
				return nil, err
			}
			page, err := s.deps.Tenants.Directory(ctx, actorOf(ctx), tenant.DirectoryQuery{
				Query: strings.Clone(in.Query), IDs: ids, GroupIDs: groupIDs, After: in.Cursor, Limit: in.Limit})
			if err != nil {
				return nil, err
			}
			out := &directoryOut{}
			out.Body.Members = make([]DirectoryMemberView, len(page.Members))
			for i := range page.Members {
				m := &page.Members[i]
				out.Body.Members[i] = DirectoryMemberView{MembershipID: m.MembershipID, DisplayName: m.DisplayName, Email: m.Email,
					Role: string(m.Role), Active: m.Active()}
			}
			out.Body.Groups = make([]DirectoryGroupView, len(page.Groups))
			for i, g := range page.Groups {
				out.Body.Groups[i] = DirectoryGroupView{ID: g.ID, Name: g.Name}
			}
			if page.More {
				last := page.Members[len(page.Members)-1].MembershipID
				out.Body.NextCursor = &last
			}
			return out, nil
		})
}
