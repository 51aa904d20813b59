package api

import (
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/kollab/kollab/workspaces"
)

// Request and response types of the workspace routes (workspaces_routes.go):
// their own structs, never the domain's or the database's.

// --- views ---

// WorkspaceView is a workspace (Arbeitsraum) as the caller sees it.
type WorkspaceView struct {
	ID            uuid.UUID  `json:"id"`
	Name          string     `json:"name"`
	Purpose       string     `json:"purpose"`
	FileNumber    string     `json:"file_number" doc:"Aktenzeichen; empty when none"`
	StartsOn      string     `json:"starts_on,omitempty" doc:"Start date (YYYY-MM-DD); absent when none"`
	EndsOn        string     `json:"ends_on,omitempty" doc:"End date (YYYY-MM-DD); absent when none"`
	ResponsibleID uuid.UUID  `json:"responsible_id" doc:"Membership id of the person responsible, a member who writes"`
	Visibility    string     `json:"visibility" enum:"open,closed" doc:"open: listed in the directory staff may join from; closed: seen by its members only"`
	State         string     `json:"state" enum:"active,archived" doc:"archived: read-only (fields, members and folder contents)"`
	ArchivedAt    *time.Time `json:"archived_at,omitempty"`
	ArchivedBy    *uuid.UUID `json:"archived_by,omitempty" doc:"Membership id"`
	FolderID      *uuid.UUID `json:"folder_id,omitempty" doc:"The workspace's document folder: owners and members write, readers read (archived: everyone reads only); its permissions follow the membership and are not edited by hand"`
	Version       int64      `json:"version" doc:"Grows with every change; sent as ETag and expected in If-Match"`
	CreatedAt     time.Time  `json:"created_at"`
	CreatedBy     uuid.UUID  `json:"created_by" doc:"Membership id"`
	UpdatedAt     time.Time  `json:"updated_at"`
	MyRole        string     `json:"my_role,omitempty" enum:"owner,member,reader" doc:"The caller's role in the workspace; absent when not a member"`
	MemberCount   int64      `json:"member_count"`
	CanManage     bool       `json:"can_manage" doc:"The caller may change the workspace and its members (owners, administrators)"`
}

func workspaceView(w *workspaces.Workspace) WorkspaceView {
	return WorkspaceView{ID: w.ID, Name: w.Name, Purpose: w.Purpose, FileNumber: w.FileNumber, StartsOn: w.StartsOn, EndsOn: w.EndsOn,
		ResponsibleID: w.ResponsibleID, Visibility: string(w.Visibility), State: string(w.State), ArchivedAt: w.ArchivedAt,
		ArchivedBy: w.ArchivedBy, FolderID: w.FolderID, Version: w.Version, CreatedAt: w.CreatedAt, CreatedBy: w.CreatedBy,
		UpdatedAt: w.UpdatedAt, MyRole: string(w.MyRole), MemberCount: w.MemberCount, CanManage: w.CanManage}
}

// WorkspaceMemberView is a membership's place in a workspace.
type WorkspaceMemberView struct {
	WorkspaceID  uuid.UUID `json:"workspace_id"`
	MembershipID uuid.UUID `json:"membership_id"`
	Role         string    `json:"role" enum:"owner,member,reader"`
	AddedBy      uuid.UUID `json:"added_by" doc:"Membership id"`
	CreatedAt    time.Time `json:"created_at"`
	UpdatedAt    time.Time `json:"updated_at"`
	DisplayName  string    `json:"display_name,omitempty" doc:"The person's name (in the members list)"`
	Guest        bool      `json:"guest" doc:"The member is a guest (external partner)"`
	Active       bool      `json:"active" doc:"The membership is active (in the members list; a guest whose access ran out is not)"`
}

func workspaceMemberView(m *workspaces.MemberInfo) WorkspaceMemberView {
	return WorkspaceMemberView{WorkspaceID: m.WorkspaceID, MembershipID: m.MembershipID, Role: string(m.Role), AddedBy: m.AddedBy,
		CreatedAt: m.CreatedAt, UpdatedAt: m.UpdatedAt, DisplayName: m.DisplayName, Guest: m.Guest, Active: m.Active}
}

type workspaceOut struct {
	ETag string `header:"ETag" doc:"The workspace's version, for If-Match"`
	Body WorkspaceView
}

type workspacesOut struct {
	Body struct {
		Workspaces []WorkspaceView `json:"workspaces" nullable:"false"`
		NextCursor string          `json:"next_cursor,omitempty" doc:"Absent on the last page"`
	}
}

type workspaceMembersOut struct {
	Body struct {
		Members []WorkspaceMemberView `json:"members" nullable:"false"`
	}
}

type workspaceMemberOut struct{ Body WorkspaceMemberView }

// --- inputs ---

type listWorkspacesIn struct {
	TenantPath
	PageQuery
	Scope string `query:"scope" enum:"mine,directory,all" default:"mine" doc:"mine: the caller's workspaces; directory: the open ones (staff); all: every workspace (administrators)"`
	State string `query:"state" enum:"active,archived,any" default:"active" doc:"active or archived workspaces, or both (any)"`
}

func (in *listWorkspacesIn) filter() workspaces.Filter {
	f := workspaces.Filter{Scope: workspaces.ListScope(in.Scope), State: workspaces.State(in.State), Cursor: strings.Clone(in.Cursor), Limit: in.Limit}
	if in.State == "any" {
		f.State = ""
	}
	return f
}

// WorkspaceFields are a new workspace's fields as a client sends them.
type WorkspaceFields struct {
	Name          string    `json:"name" maxLength:"200"`
	Purpose       string    `json:"purpose,omitempty" maxLength:"10000"`
	FileNumber    string    `json:"file_number,omitempty" maxLength:"100" doc:"Aktenzeichen"`
	StartsOn      string    `json:"starts_on,omitempty" maxLength:"10" doc:"Start date, YYYY-MM-DD"`
	EndsOn        string    `json:"ends_on,omitempty" maxLength:"10" doc:"End date, YYYY-MM-DD, not before the start"`
	ResponsibleID uuid.UUID `json:"responsible_id,omitempty" doc:"Membership id of the person responsible (staff; becomes an owner); default the caller"`
	Visibility    string    `json:"visibility,omitempty" enum:"open,closed" doc:"Default closed"`
}

type createWorkspaceIn struct {
	TenantPath
	Body WorkspaceFields
}

type updateWorkspaceIn struct {
	TenantIDPath
	IfMatchHeader
	Body struct {
		Name          *string    `json:"name,omitempty" maxLength:"200" nullable:"false"`
		Purpose       *string    `json:"purpose,omitempty" maxLength:"10000" nullable:"false"`
		FileNumber    *string    `json:"file_number,omitempty" maxLength:"100" nullable:"false" doc:"Empty: none"`
		StartsOn      *string    `json:"starts_on,omitempty" maxLength:"10" nullable:"false" doc:"YYYY-MM-DD; empty: none"`
		EndsOn        *string    `json:"ends_on,omitempty" maxLength:"10" nullable:"false" doc:"YYYY-MM-DD; empty: none"`
		ResponsibleID *uuid.UUID `json:"responsible_id,omitempty" nullable:"false" doc:"A member of the workspace who writes"`
		Visibility    *string    `json:"visibility,omitempty" enum:"open,closed" nullable:"false"`
	}
}

type workspaceStateIn struct {
	TenantIDPath
	IfMatchHeader
}

// WorkspaceMemberPath names a membership in a workspace.
type WorkspaceMemberPath struct {
	TenantIDPath
	MembershipID uuid.UUID `path:"membership" doc:"Membership id"`
}

type setWorkspaceMemberIn struct {
	WorkspaceMemberPath
	Body struct {
		Role string `json:"role" enum:"owner,member,reader"`
	}
}
