package api

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/danielgtaylor/huma/v2"
	"github.com/google/uuid"
	"github.com/kollab/kollab/documents"
	"github.com/kollab/kollab/internal/errs"
	"github.com/kollab/kollab/tenant"
)

// Request and response types of the document store. Requests are their
// own structs (never the domain's), responses are views built field by
// field from the domain's results.

// FolderView is a folder as the caller sees it.
type FolderView struct {
	ID       uuid.UUID  `json:"id"`
	ParentID *uuid.UUID `json:"parent_id,omitempty" doc:"Absent for a root folder"`
	Name     string     `json:"name"`
	// InheritACL is false when the folder breaks permission inheritance.
	InheritACL    bool       `json:"inherit_acl" doc:"False when only the folder's own permissions apply to it and below"`
	RetentionDays *int       `json:"retention_days,omitempty" doc:"The folder's own retention in days; absent: inherited from above"`
	Access        string     `json:"access" enum:"read,write,manage" doc:"The caller's effective permission"`
	CreatedAt     time.Time  `json:"created_at"`
	CreatedBy     uuid.UUID  `json:"created_by" doc:"Membership id"`
	UpdatedAt     time.Time  `json:"updated_at"`
	DeletedAt     *time.Time `json:"deleted_at,omitempty" doc:"Set while the folder is in the trash"`
	DeletedBy     *uuid.UUID `json:"deleted_by,omitempty" doc:"Membership id"`
}

func folderView(f *documents.Folder) FolderView {
	return FolderView{ID: f.ID, ParentID: f.ParentID, Name: f.Name, InheritACL: f.InheritACL, RetentionDays: f.RetentionDays,
		Access: f.Access.String(), CreatedAt: f.CreatedAt, CreatedBy: f.CreatedBy, UpdatedAt: f.UpdatedAt,
		DeletedAt: f.DeletedAt, DeletedBy: f.DeletedBy}
}

// LegalHoldView is a document's legal hold.
type LegalHoldView struct {
	Reason string    `json:"reason"`
	SetAt  time.Time `json:"set_at"`
	SetBy  uuid.UUID `json:"set_by" doc:"Membership id"`
}

// LockView is a document's check-out.
type LockView struct {
	OwnerID    uuid.UUID `json:"owner_id" doc:"Membership id of the holder"`
	AcquiredAt time.Time `json:"acquired_at"`
	ExpiresAt  time.Time `json:"expires_at"`
}

// DocumentView is a document's metadata as the caller sees it.
type DocumentView struct {
	ID          uuid.UUID         `json:"id"`
	FolderID    uuid.UUID         `json:"folder_id"`
	Title       string            `json:"title"`
	Description string            `json:"description"`
	FilePlanRef string            `json:"file_plan_ref" doc:"Reference in the agency's file plan (Aktenzeichen)"`
	Tags        []string          `json:"tags" nullable:"false"`
	Metadata    map[string]string `json:"metadata" doc:"Free metadata fields"`
	Version     int64             `json:"version" doc:"Grows with every change; sent as ETag and expected in If-Match"`
	// The current revision (absent while the document has no content).
	CurrentRevisionID *uuid.UUID     `json:"current_revision_id,omitempty"`
	SizeBytes         *int64         `json:"size_bytes,omitempty" doc:"Size of the current revision"`
	ContentType       *string        `json:"content_type,omitempty" doc:"Media type of the current revision"`
	Access            string         `json:"access" enum:"read,write,manage" doc:"The caller's effective permission on the document's folder"`
	CreatedAt         time.Time      `json:"created_at"`
	CreatedBy         uuid.UUID      `json:"created_by" doc:"Membership id"`
	UpdatedAt         time.Time      `json:"updated_at"`
	UpdatedBy         uuid.UUID      `json:"updated_by" doc:"Membership id"`
	DeletedAt         *time.Time     `json:"deleted_at,omitempty" doc:"Set while the document is in the trash"`
	DeletedBy         *uuid.UUID     `json:"deleted_by,omitempty" doc:"Membership id"`
	LegalHold         *LegalHoldView `json:"legal_hold,omitempty" doc:"Present while a legal hold blocks deletion"`
	Lock              *LockView      `json:"lock,omitempty" doc:"Present while the document is checked out"`
}

func documentView(d *documents.Document) DocumentView {
	v := DocumentView{ID: d.ID, FolderID: d.FolderID, Title: d.Title, Description: d.Description, FilePlanRef: d.FilePlanRef,
		Tags: append([]string{}, d.Tags...), Metadata: make(map[string]string, len(d.Metadata)), Version: d.Version,
		CurrentRevisionID: d.CurrentRevisionID, SizeBytes: d.SizeBytes, ContentType: d.ContentType, Access: d.Access.String(),
		CreatedAt: d.CreatedAt, CreatedBy: d.CreatedBy, UpdatedAt: d.UpdatedAt, UpdatedBy: d.UpdatedBy,
		DeletedAt: d.DeletedAt, DeletedBy: d.DeletedBy}
	for k, val := range d.Metadata {
		v.Metadata[k] = val
	}
	if h := d.LegalHold; h != nil {
		v.LegalHold = &LegalHoldView{Reason: h.Reason, SetAt: h.SetAt, SetBy: h.SetBy}
	}
	if l := d.Lock; l != nil {
		v.Lock = &LockView{OwnerID: l.OwnerID, AcquiredAt: l.AcquiredAt, ExpiresAt: l.ExpiresAt}
	}
	return v
}

// PrincipalView names whom a permission entry grants to: every member with
// a role, a group, or one member (by membership id).
type PrincipalView struct {
	Type         string     `json:"type" enum:"role,group,user"`
	Role         string     `json:"role,omitempty" enum:"admin,staff,committee,partner" doc:"For type role"`
	GroupID      *uuid.UUID `json:"group_id,omitempty" nullable:"false" doc:"For type group"`
	MembershipID *uuid.UUID `json:"membership_id,omitempty" nullable:"false" doc:"For type user"`
}

func (p PrincipalView) principal() documents.Principal {
	out := documents.Principal{Type: documents.PrincipalType(p.Type)}
	if p.Role != "" {
		out.Role = tenant.Role(p.Role)
	}
	if p.GroupID != nil {
		out.GroupID = *p.GroupID
	}
	if p.MembershipID != nil {
		out.MembershipID = *p.MembershipID
	}
	return out
}

func principalView(p documents.Principal) PrincipalView {
	v := PrincipalView{Type: string(p.Type)}
	switch p.Type {
	case documents.PrincipalRole:
		v.Role = string(p.Role)
	case documents.PrincipalGroup:
		id := p.GroupID
		v.GroupID = &id
	case documents.PrincipalUser:
		id := p.MembershipID
		v.MembershipID = &id
	}
	return v
}

// ACLEntryView is one permission entry that applies to a folder.
type ACLEntryView struct {
	ID             uuid.UUID     `json:"id"`
	Principal      PrincipalView `json:"principal"`
	Level          string        `json:"level" enum:"read,write,manage"`
	SourceFolderID uuid.UUID     `json:"source_folder_id" doc:"The folder that holds the entry"`
	Inherited      bool          `json:"inherited" doc:"Held by an ancestor; change it there"`
	CreatedAt      time.Time     `json:"created_at"`
	CreatedBy      uuid.UUID     `json:"created_by" doc:"Membership id"`
}

func aclEntryView(e *documents.ACLEntry) ACLEntryView {
	return ACLEntryView{ID: e.ID, Principal: principalView(e.Principal), Level: e.Level.String(), SourceFolderID: e.SourceFolderID,
		Inherited: e.Inherited, CreatedAt: e.CreatedAt, CreatedBy: e.CreatedBy}
}

// FolderACLView is a folder's inheritance flag and every entry that applies to it.
type FolderACLView struct {
	FolderID   uuid.UUID            `json:"folder_id"`
	InheritACL bool                 `json:"inherit_acl"`
	Entries    []ACLEntryView       `json:"entries" nullable:"false" doc:"The folder's own entries first, then the inherited ones"`
	Committees []CommitteeGrantView `json:"committees" nullable:"false" doc:"Grants derived from committees whose filing folder this is (or an ancestor it inherits from): the seats read, chair, deputy chair and secretary write. They follow the committee's seats and are not changed here."`
	Workspaces []WorkspaceGrantView `json:"workspaces" nullable:"false" doc:"Grants derived from the workspace whose folder this is (or an ancestor it inherits from): owners and members write, readers read; archived: everyone reads only. They follow the workspace's members and are not changed here (409)."`
}

// WorkspaceGrantView is a grant derived from a workspace's folder.
type WorkspaceGrantView struct {
	WorkspaceID    uuid.UUID `json:"workspace_id"`
	WorkspaceName  string    `json:"workspace_name"`
	SourceFolderID uuid.UUID `json:"source_folder_id" doc:"The workspace's folder"`
	Inherited      bool      `json:"inherited" doc:"Held by an ancestor (the workspace's folder)"`
	Archived       bool      `json:"archived" doc:"The workspace is archived: read-only for everyone"`
}

// CommitteeGrantView is a grant derived from a committee's filing folder.
type CommitteeGrantView struct {
	CommitteeID    uuid.UUID `json:"committee_id"`
	CommitteeName  string    `json:"committee_name"`
	SourceFolderID uuid.UUID `json:"source_folder_id" doc:"The committee's filing folder"`
	Inherited      bool      `json:"inherited" doc:"Held by an ancestor (the filing folder)"`
}

func folderACLView(acl *documents.FolderACL) FolderACLView {
	v := FolderACLView{FolderID: acl.FolderID, InheritACL: acl.InheritACL, Entries: make([]ACLEntryView, len(acl.Entries)),
		Committees: make([]CommitteeGrantView, len(acl.Committees)), Workspaces: make([]WorkspaceGrantView, len(acl.Workspaces))}
	for i := range acl.Entries {
		v.Entries[i] = aclEntryView(&acl.Entries[i])
	}
	for i, g := range acl.Committees {
		v.Committees[i] = CommitteeGrantView{CommitteeID: g.CommitteeID, CommitteeName: g.CommitteeName, SourceFolderID: g.SourceFolderID, Inherited: g.Inherited}
	}
	for i, g := range acl.Workspaces {
		v.Workspaces[i] = WorkspaceGrantView{WorkspaceID: g.WorkspaceID, WorkspaceName: g.WorkspaceName, SourceFolderID: g.SourceFolderID,
			Inherited: g.Inherited, Archived: g.Archived}
	}
	return v
}

// TrashItemView is a folder or document deleted on its own.
type TrashItemView struct {
	Kind          string     `json:"kind" enum:"folder,document"`
	ID            uuid.UUID  `json:"id"`
	Name          string     `json:"name" doc:"The folder's name or the document's title"`
	ParentID      *uuid.UUID `json:"parent_id,omitempty" doc:"The folder it was deleted from; absent for a root folder"`
	DeletedAt     time.Time  `json:"deleted_at"`
	DeletedBy     *uuid.UUID `json:"deleted_by,omitempty" doc:"Membership id"`
	RetentionDays int        `json:"retention_days" doc:"Effective retention period"`
	PurgeableAt   time.Time  `json:"purgeable_at" doc:"From when it may be deleted for good (unless held)"`
	LegalHold     bool       `json:"legal_hold" doc:"The document, or a document inside the folder, is under legal hold"`
}

func trashItemView(it *documents.TrashItem) TrashItemView {
	return TrashItemView{Kind: it.Kind, ID: it.ID, Name: it.Name, ParentID: it.ParentID, DeletedAt: it.DeletedAt,
		DeletedBy: it.DeletedBy, RetentionDays: it.RetentionDays, PurgeableAt: it.PurgeableAt, LegalHold: it.LegalHold}
}

// PurgeResultView says what was deleted for good.
type PurgeResultView struct {
	Documents  []uuid.UUID `json:"documents" nullable:"false"`
	Folders    []uuid.UUID `json:"folders" nullable:"false"`
	FreedBytes int64       `json:"freed_bytes" doc:"Size of the purged revisions, returned to the tenant's quota"`
	More       bool        `json:"more" doc:"Emptying the trash stopped at its batch limit: call it again"`
}

func purgeResultView(r *documents.PurgeResult) PurgeResultView {
	return PurgeResultView{Documents: append([]uuid.UUID{}, r.Documents...), Folders: append([]uuid.UUID{}, r.Folders...),
		FreedBytes: r.FreedBytes, More: r.More}
}

// --- inputs ---

// PageQuery is one page of a cursor-paginated list.
type PageQuery struct {
	Cursor string `query:"cursor" maxLength:"1024" doc:"next_cursor of the previous page"`
	Limit  int    `query:"limit" minimum:"1" maximum:"200" default:"50"`
}

func (p PageQuery) page() documents.Page {
	return documents.Page{Cursor: strings.Clone(p.Cursor), Limit: p.Limit}
}

// IfMatchHeader is the optimistic-concurrency precondition of a document
// write: the ETag (version) the caller last read. A malformed value
// answers 400 before the handler runs.
type IfMatchHeader struct {
	IfMatch string `header:"If-Match" maxLength:"40" doc:"The document's ETag as last read, e.g. \"7\""`
	// version is the parsed value; 0 when the header is absent or *.
	version int64
}

// Resolve implements huma.Resolver: it parses If-Match.
func (h *IfMatchHeader) Resolve(hctx huma.Context) []error {
	v, err := parseIfMatch(h.IfMatch)
	if err != nil {
		p, _ := problemFromError(err, english(hctx.Header("Accept-Language")))
		if errs.Is(err, errs.Invalid) {
			p.Status = http.StatusBadRequest // a malformed header is a bad request, not a bad field
		}
		return []error{p}
	}
	h.version = v
	return nil
}

// parseIfMatch reads one entity tag: "N" or N (a positive version), or *
// (any version: 0). A weak tag never matches (If-Match compares strongly).
func parseIfMatch(s string) (int64, error) {
	s = strings.TrimSpace(s)
	switch {
	case s == "" || s == "*":
		return 0, nil
	case strings.HasPrefix(s, "W/"):
		return 0, errs.Plain(errs.PreconditionFailed)
	}
	if len(s) >= 2 && s[0] == '"' && s[len(s)-1] == '"' {
		s = s[1 : len(s)-1]
	}
	v, err := strconv.ParseInt(s, 10, 64)
	if err != nil || v <= 0 || strings.TrimLeft(s, "0123456789") != "" {
		return 0, errs.InvalidField("If-Match", errs.M("api.if-match-must-hold-document", "If-Match muss die Version des Dokuments als ETag enthalten, z. B. \"7\".", "If-Match must hold the document's version as an ETag, e.g. \"7\"."))
	}
	return v, nil
}

// etag is a document version as an entity tag.
func etag(version int64) string { return `"` + strconv.FormatInt(version, 10) + `"` }

type folderOut struct{ Body FolderView }

type foldersOut struct {
	Body struct {
		Folders    []FolderView `json:"folders" nullable:"false"`
		NextCursor string       `json:"next_cursor,omitempty" doc:"Absent on the last page"`
	}
}

type documentOut struct {
	ETag string `header:"ETag" doc:"The document's version, for If-Match"`
	Body DocumentView
}

type documentsOut struct {
	Body struct {
		Documents  []DocumentView `json:"documents" nullable:"false"`
		NextCursor string         `json:"next_cursor,omitempty" doc:"Absent on the last page"`
	}
}

type folderACLOut struct{ Body FolderACLView }

type aclEntryOut struct{ Body ACLEntryView }

type purgeOut struct{ Body PurgeResultView }

type trashOut struct {
	Body struct {
		Items      []TrashItemView `json:"items" nullable:"false"`
		NextCursor string          `json:"next_cursor,omitempty" doc:"Absent on the last page"`
	}
}

type foldersIn struct {
	TenantPath
	PageQuery
}

type childrenIn struct {
	TenantIDPath
	PageQuery
}

type createFolderIn struct {
	TenantPath
	Body struct {
		ParentID *uuid.UUID `json:"parent_id,omitempty" nullable:"true" doc:"The parent folder; absent or null: a root folder (admins only)"`
		Name     string     `json:"name" maxLength:"255"`
	}
}

type renameFolderIn struct {
	TenantIDPath
	Body struct {
		Name string `json:"name" maxLength:"255"`
	}
}

type moveFolderIn struct {
	TenantIDPath
	Body struct {
		ParentID *uuid.UUID `json:"parent_id" nullable:"true" doc:"The new parent; null makes the folder a root (admins only)"`
	}
}

type copyFolderIn struct {
	TenantIDPath
	Body struct {
		ParentID *uuid.UUID `json:"parent_id" nullable:"true" doc:"Where the copy goes; null makes it a root (admins only)"`
		Name     string     `json:"name,omitempty" maxLength:"255" doc:"The copy's name; absent keeps the source's"`
	}
}

type setPermissionIn struct {
	TenantIDPath
	Body struct {
		Principal PrincipalView `json:"principal"`
		Level     string        `json:"level" enum:"read,write,manage"`
	}
}

type permissionEntryPath struct {
	TenantIDPath
	EntryID uuid.UUID `path:"entry" doc:"An entry id of the folder's own entries"`
}

type inheritanceIn struct {
	TenantIDPath
	Body struct {
		Inherit       bool `json:"inherit" doc:"Whether the folder inherits its parent's permissions"`
		CopyInherited bool `json:"copy_inherited,omitempty" doc:"When breaking inheritance, first copy the inherited entries onto the folder"`
	}
}

type retentionIn struct {
	TenantIDPath
	Body struct {
		RetentionDays *int `json:"retention_days" minimum:"0" maximum:"36500" doc:"Days trashed documents are kept before they may be purged; null inherits"`
	}
}

// DocumentFields are a document's descriptive fields as sent by a client.
type DocumentFields struct {
	Title       string            `json:"title" maxLength:"500"`
	Description string            `json:"description,omitempty" maxLength:"10000"`
	FilePlanRef string            `json:"file_plan_ref,omitempty" maxLength:"200" doc:"Reference in the agency's file plan (Aktenzeichen)"`
	Tags        []string          `json:"tags,omitempty" maxItems:"50" nullable:"false"`
	Metadata    map[string]string `json:"metadata,omitempty" doc:"Free fields: names start with a letter (letters, digits, _; at most 64), at most 50"`
}

type createDocumentIn struct {
	TenantIDPath
	Body DocumentFields
}

type documentPatchIn struct {
	TenantIDPath
	IfMatchHeader
	Body struct {
		Title       *string           `json:"title,omitempty" maxLength:"500" nullable:"false"`
		Description *string           `json:"description,omitempty" maxLength:"10000" nullable:"false"`
		FilePlanRef *string           `json:"file_plan_ref,omitempty" maxLength:"200" nullable:"false"`
		Tags        []string          `json:"tags,omitempty" maxItems:"50" nullable:"false" doc:"Replaces all tags"`
		Metadata    map[string]string `json:"metadata,omitempty" doc:"Replaces all free fields"`
	}
}

type documentWriteIn struct {
	TenantIDPath
	IfMatchHeader
}

type moveDocumentIn struct {
	TenantIDPath
	IfMatchHeader
	Body struct {
		FolderID uuid.UUID `json:"folder_id"`
	}
}

type copyDocumentIn struct {
	TenantIDPath
	Body struct {
		FolderID uuid.UUID `json:"folder_id"`
		Title    string    `json:"title,omitempty" maxLength:"500" doc:"The copy's title; absent keeps the source's"`
	}
}

type checkOutIn struct {
	TenantIDPath
	Body *struct {
		TTLSeconds int64 `json:"ttl_seconds,omitempty" minimum:"0" maximum:"86400" doc:"How long the check-out lasts; absent: the default (30 minutes)"`
	}
}

type legalHoldIn struct {
	TenantIDPath
	Body struct {
		Reason string `json:"reason" maxLength:"1000"`
	}
}

type findDocumentsIn struct {
	TenantPath
	PageQuery
	FolderID    uuid.UUID         `query:"folder_id" doc:"Only this folder"`
	Recursive   bool              `query:"recursive" doc:"With folder_id: the folder's whole subtree"`
	Title       string            `query:"title" maxLength:"500" doc:"Part of the title (case-insensitive)"`
	FilePlanRef string            `query:"file_plan_ref" maxLength:"200" doc:"Start of the file-plan reference"`
	Tags        []string          `query:"tag,explode" maxItems:"50" doc:"Tags that must all be present (repeat the parameter)"`
	Metadata    map[string]string `query:"metadata,deepObject,explode" doc:"Free fields that must have exactly these values: metadata[name]=value"`
}

type trashIn struct {
	TenantPath
	PageQuery
}

// FolderRefView is one step of a breadcrumb.
type FolderRefView struct {
	ID   uuid.UUID `json:"id"`
	Name string    `json:"name"`
}

type folderPathOut struct {
	Body struct {
		Path []FolderRefView `json:"path" nullable:"false" doc:"From the caller's entry point down to the folder"`
	}
}
