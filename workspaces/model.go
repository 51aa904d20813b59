package workspaces

import (
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"
	"github.com/kollab/kollab/internal/errs"
	"github.com/kollab/kollab/internal/input"
	"golang.org/x/text/cases"
	"golang.org/x/text/unicode/norm"
)

// Input limits.
const (
	MaxNameLen       = 200
	MaxPurposeLen    = 10000
	MaxFileNumberLen = 100
	// MaxPage bounds every list page; DefaultPage is a page's size when
	// the caller names none.
	MaxPage     = 200
	DefaultPage = 50
	// MaxMembers bounds the members of one workspace (and so their list).
	MaxMembers = 5000
)

// Role is a member's role in a workspace.
type Role string

// The workspace roles: owners manage the workspace and its members and
// write, members write, readers read.
const (
	Owner  Role = "owner"
	Member Role = "member"
	Reader Role = "reader"
)

func (r Role) valid() bool { return r == Owner || r == Member || r == Reader }

// Visibility says who finds a workspace.
type Visibility string

// Open workspaces are listed in the directory staff may join from; closed
// ones are seen by their members (and admins) only.
const (
	Open   Visibility = "open"
	Closed Visibility = "closed"
)

// State is a workspace's state: active, or archived (read-only).
type State string

// The states.
const (
	Active   State = "active"
	Archived State = "archived"
)

// DateLayout is the form of a workspace's start and end dates.
const DateLayout = "2006-01-02"

// Workspace is a workspace (Arbeitsraum) as a caller sees it.
type Workspace struct {
	ID            uuid.UUID
	Name          string
	Purpose       string
	FileNumber    string
	StartsOn      string
	EndsOn        string
	ResponsibleID uuid.UUID
	Visibility    Visibility
	State         State
	ArchivedAt    *time.Time
	ArchivedBy    *uuid.UUID
	// FolderID is the workspace's document folder (nil only if it was never made).
	FolderID  *uuid.UUID
	Version   int64
	CreatedAt time.Time
	CreatedBy uuid.UUID
	UpdatedAt time.Time
	// MyRole is the caller's role in the workspace ("" when not a member).
	MyRole Role
	// MemberCount counts the members.
	MemberCount int64
	// CanManage: the caller may change the workspace and its members
	// (owners and tenant admins).
	CanManage bool
}

// MemberInfo is a membership's place in a workspace.
type MemberInfo struct {
	WorkspaceID  uuid.UUID
	MembershipID uuid.UUID
	Role         Role
	AddedBy      uuid.UUID
	CreatedAt    time.Time
	UpdatedAt    time.Time
	// DisplayName, Guest and Active describe the person (filled by
	// ListMembers: the members of a workspace see each other's names,
	// guests too, who have no member directory).
	DisplayName string
	Guest       bool
	Active      bool
}

// Input is a workspace's fields as a caller sets them.
type Input struct {
	Name       string
	Purpose    string
	FileNumber string
	// StartsOn and EndsOn are dates (DateLayout) or empty.
	StartsOn string
	EndsOn   string
	// ResponsibleID is a member of the workspace who answers for it;
	// uuid.Nil on creation: the creator.
	ResponsibleID uuid.UUID
	Visibility    Visibility
}

// nameKey is the form in which two spellings of a workspace name compare
// equal: NFC and Unicode full case folding, like group names.
func nameKey(name string) string {
	return norm.NFC.String(cases.Fold().String(norm.NFC.String(name)))
}

func (in *Input) validate() error {
	name, err := input.Name("name", in.Name)
	if err != nil {
		return err
	}
	if n := utf8.RuneCountInString(name); n < 1 || n > MaxNameLen {
		return errs.InvalidField("name", errs.M("workspaces.name-1-200-characters", "Bitte einen Namen mit 1 bis 200 Zeichen angeben.", "Please enter a name of 1 to 200 characters."))
	}
	in.Name = name
	in.Purpose = strings.TrimSpace(in.Purpose)
	if err := input.Text("purpose", in.Purpose); err != nil {
		return err
	}
	if utf8.RuneCountInString(in.Purpose) > MaxPurposeLen {
		return errs.InvalidField("purpose", errs.M("workspaces.purpose-too-long", "Der Zweck darf höchstens 10000 Zeichen lang sein.", "The purpose may be at most 10000 characters long."))
	}
	if in.FileNumber, err = input.Line("file_number", in.FileNumber); err != nil {
		return err
	}
	if utf8.RuneCountInString(in.FileNumber) > MaxFileNumberLen {
		return errs.InvalidField("file_number", errs.M("workspaces.file-number-too-long", "Das Aktenzeichen darf höchstens 100 Zeichen lang sein.", "The file number may be at most 100 characters long."))
	}
	if err := in.validateDates(); err != nil {
		return err
	}
	if in.Visibility == "" {
		in.Visibility = Closed
	}
	if in.Visibility != Open && in.Visibility != Closed {
		return errs.InvalidField("visibility", errs.M("workspaces.unknown-visibility", "Unbekannte Sichtbarkeit: erlaubt sind open und closed.", "Unknown visibility: allowed are open and closed."))
	}
	return nil
}

func (in *Input) validateDates() error {
	for _, d := range []struct {
		field string
		v     *string
	}{{"starts_on", &in.StartsOn}, {"ends_on", &in.EndsOn}} {
		*d.v = strings.TrimSpace(*d.v)
		if *d.v == "" {
			continue
		}
		t, err := time.Parse(DateLayout, *d.v)
		if err != nil || t.Format(DateLayout) != *d.v {
			return errs.InvalidField(d.field, errs.M("workspaces.date-invalid", "Bitte ein Datum in der Form JJJJ-MM-TT angeben.", "Please give a date in the form YYYY-MM-DD."))
		}
	}
	if in.StartsOn != "" && in.EndsOn != "" && in.EndsOn < in.StartsOn {
		return errs.InvalidField("ends_on", errs.M("workspaces.ends-before-start", "Das Ende liegt vor dem Beginn.", "The end lies before the start."))
	}
	return nil
}

func (in *Input) details() map[string]string {
	return map[string]string{"name": in.Name, "file_number": in.FileNumber, "starts_on": in.StartsOn, "ends_on": in.EndsOn,
		"visibility": string(in.Visibility), "responsible_id": in.ResponsibleID.String()}
}

func nullable(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}
