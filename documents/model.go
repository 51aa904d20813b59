// Package documents is Kollab's document store: a folder tree per tenant
// with inherited folder permissions, documents with metadata (title,
// description, tags, file-plan reference, free fields), optimistic
// concurrency, check-out locks, trash with per-folder retention, and legal
// holds. File bytes (revisions) come in a later part.
//
// Permissions are always decided inside the SQL that reads the rows: a
// caller never receives a row it may not see, and an object of another
// tenant or one the caller cannot read answers errs.NotFound exactly like a
// missing one. A visible object the caller may not change answers errs.Forbidden.
package documents

import (
	"database/sql/driver"
	"encoding/json"
	"time"

	"github.com/google/uuid"
	"github.com/kollab/kollab/internal/db"
	"github.com/kollab/kollab/internal/errs"
	"github.com/kollab/kollab/tenant"
)

// Level is a permission level on a folder; each includes the ones below it.
type Level int

// The permission levels. None is the absence of any grant.
const (
	None Level = iota
	// Read lets a principal see the folder, its documents and their metadata.
	Read
	// Write adds creating, changing, moving, locking and trashing documents
	// and subfolders, and renaming the folder.
	Write
	// Manage adds permissions, inheritance, moving and deleting the folder
	// itself, legal holds, and purging the trash.
	Manage
)

// String returns the level's API name.
func (l Level) String() string {
	switch l {
	case Read:
		return "read"
	case Write:
		return "write"
	case Manage:
		return "manage"
	}
	return "none"
}

// ParseLevel parses "read", "write" or "manage".
func ParseLevel(s string) (Level, error) {
	for _, l := range []Level{Read, Write, Manage} {
		if l.String() == s {
			return l, nil
		}
	}
	return None, errs.InvalidField("level", errs.M("documents.unknown-permission-level", "Unbekannte Berechtigungsstufe: erlaubt sind read, write und manage.", "Unknown permission level: allowed are read, write and manage."))
}

// Folder is a node of a tenant's folder tree.
type Folder struct {
	TenantID uuid.UUID `gorm:"column:tenant_id"`
	ID       uuid.UUID `gorm:"column:id"`
	// ParentID is nil for a root folder.
	ParentID *uuid.UUID `gorm:"column:parent_id"`
	Name     string     `gorm:"column:name"`
	// InheritACL is false when the folder breaks inheritance: only its own
	// entries apply to it and below.
	InheritACL bool `gorm:"column:inherit_acl"`
	// RetentionDays is this folder's own retention setting; nil inherits.
	RetentionDays *int      `gorm:"column:retention_days"`
	CreatedAt     time.Time `gorm:"column:created_at"`
	CreatedBy     uuid.UUID `gorm:"column:created_by"`
	UpdatedAt     time.Time `gorm:"column:updated_at"`
	// DeletedAt is set while the folder is in the trash.
	DeletedAt *time.Time `gorm:"column:deleted_at"`
	DeletedBy *uuid.UUID `gorm:"column:deleted_by"`
	// Access is the caller's effective permission on the folder.
	Access Level `gorm:"column:access"`
}

// Lock is a document's check-out.
type Lock struct {
	OwnerID    uuid.UUID // membership id of the holder
	AcquiredAt time.Time
	ExpiresAt  time.Time
}

// LegalHold describes a hold that blocks deletion.
type LegalHold struct {
	Reason string
	SetAt  time.Time
	SetBy  uuid.UUID
}

// Document is a document's metadata (no bytes).
type Document struct {
	TenantID uuid.UUID
	ID       uuid.UUID
	FolderID uuid.UUID
	Title    string
	// FileName is the name WebDAV shows, with its extension (see
	// filenames.go); the title is what the web app shows.
	FileName    string
	Description string
	// FilePlanRef is the Aktenzeichen in the agency's file plan.
	FilePlanRef string
	Tags        []string
	Metadata    Metadata
	// Version is the ETag for If-Match: it grows with every change.
	Version           int64
	CurrentRevisionID *uuid.UUID
	SizeBytes         *int64
	ContentType       *string
	CreatedAt         time.Time
	CreatedBy         uuid.UUID
	UpdatedAt         time.Time
	UpdatedBy         uuid.UUID
	DeletedAt         *time.Time
	DeletedBy         *uuid.UUID
	// LegalHold is nil when no hold is set.
	LegalHold *LegalHold
	// Lock is nil when the document is not checked out (or the lock expired).
	Lock *Lock
	// Access is the caller's effective permission on the document's folder.
	Access Level
}

// Metadata holds a document's free metadata fields.
type Metadata map[string]string

// Scan implements sql.Scanner (JSON text or bytes).
func (m *Metadata) Scan(v any) error {
	out := Metadata{}
	if _, err := db.ScanJSON(v, &out); err != nil {
		return err
	}
	*m = out
	return nil
}

// Value implements driver.Valuer.
func (m Metadata) Value() (driver.Value, error) {
	if m == nil {
		return "{}", nil
	}
	b, err := json.Marshal(map[string]string(m))
	return string(b), err
}

// PrincipalType says whom an ACL entry grants to.
type PrincipalType string

// The principal types.
const (
	PrincipalRole  PrincipalType = "role"
	PrincipalGroup PrincipalType = "group"
	PrincipalUser  PrincipalType = "user"
)

// Principal names a role, a group or a user (by membership id).
type Principal struct {
	Type         PrincipalType
	Role         tenant.Role // for PrincipalRole
	GroupID      uuid.UUID   // for PrincipalGroup
	MembershipID uuid.UUID   // for PrincipalUser
}

// RolePrincipal names every member who has role r.
func RolePrincipal(r tenant.Role) Principal { return Principal{Type: PrincipalRole, Role: r} }

// GroupPrincipal names a group of the tenant.
func GroupPrincipal(id uuid.UUID) Principal { return Principal{Type: PrincipalGroup, GroupID: id} }

// UserPrincipal names a member of the tenant by membership id.
func UserPrincipal(membershipID uuid.UUID) Principal {
	return Principal{Type: PrincipalUser, MembershipID: membershipID}
}

func (p Principal) validate() error {
	switch p.Type {
	case PrincipalRole:
		if _, err := tenant.ParseRole(string(p.Role)); err != nil {
			return err
		}
		if p.GroupID != uuid.Nil || p.MembershipID != uuid.Nil {
			return errs.InvalidField("principal", errs.M("documents.role-grant-names-only-role", "Eine Rollenfreigabe nennt nur die Rolle.", "A role grant names only the role."))
		}
	case PrincipalGroup:
		if p.GroupID == uuid.Nil || p.Role != "" || p.MembershipID != uuid.Nil {
			return errs.InvalidField("principal", errs.M("documents.group-grant-names-exactly-one", "Eine Gruppenfreigabe nennt genau eine Gruppe.", "A group grant names exactly one group."))
		}
	case PrincipalUser:
		if p.MembershipID == uuid.Nil || p.Role != "" || p.GroupID != uuid.Nil {
			return errs.InvalidField("principal", errs.M("documents.person-grant-names-exactly-one", "Eine Personenfreigabe nennt genau eine Mitgliedschaft.", "A person grant names exactly one membership."))
		}
	default:
		return errs.InvalidField("principal", errs.M("documents.unknown-kind-grant", "Unbekannte Art der Freigabe: erlaubt sind role, group und user.", "Unknown kind of grant: allowed are role, group and user."))
	}
	return nil
}

// ACLEntry is one permission entry that applies to a folder.
type ACLEntry struct {
	ID        uuid.UUID
	Principal Principal
	Level     Level
	// SourceFolderID is the folder that holds the entry; for an entry of
	// the folder itself it equals the folder's id.
	SourceFolderID uuid.UUID
	// Inherited is true for entries held by an ancestor.
	Inherited bool
	CreatedAt time.Time
	CreatedBy uuid.UUID
}

// FolderACL is a folder's inheritance flag and effective entries.
type FolderACL struct {
	FolderID   uuid.UUID
	InheritACL bool
	Entries    []ACLEntry
	// Committees are the grants derived from committees whose filing
	// folder is this folder or an ancestor it inherits from (access.go).
	Committees []CommitteeGrant
	// Workspaces are the grants derived from workspaces whose folder is
	// this folder or an ancestor it inherits from (access.go).
	Workspaces []WorkspaceGrant
}

// WorkspaceGrant says that a workspace's owners and members write to a
// folder and its readers read it, because the folder (or the ancestor
// SourceFolderID) is the workspace's folder; while the workspace is
// archived everyone reads only. It follows the workspace's members; it
// cannot be changed in the folder.
type WorkspaceGrant struct {
	WorkspaceID    uuid.UUID
	WorkspaceName  string
	SourceFolderID uuid.UUID
	Inherited      bool
	Archived       bool
}

// CommitteeGrant says that a committee's seats read a folder and its
// chair, deputy chair and secretary write to it, because the folder (or
// the ancestor SourceFolderID) is the committee's filing folder. It
// follows the committee's seats; it cannot be changed in the folder.
type CommitteeGrant struct {
	CommitteeID    uuid.UUID
	CommitteeName  string
	SourceFolderID uuid.UUID
	Inherited      bool
}
