package workspaces

// The activity feed of a workspace: what happened there, newest first, for
// its members (guests too) and admins. Rows are written in the
// transaction of the change (table workspace_activity): the module's own
// changes through record (the audit actions below map to feed kinds), a
// guest's admission, and the document store's events in the workspace's
// folder subtree (RecordDocumentActivity, wired as documents.WithActivity).
// A document event is shown only to whoever may read its folder now.

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/kollab/kollab/documents"
	"github.com/kollab/kollab/internal/db"
	"github.com/kollab/kollab/internal/errs"
	"github.com/kollab/kollab/tenant"
)

const activityTable = "workspace_activity"

// MaxActivityPage bounds a page of the activity feed.
const MaxActivityPage = 100

// feedKinds maps the module's audit actions to the kinds of the feed.
var feedKinds = map[string]string{
	ActionCreated:     "workspace.created",
	ActionUpdated:     "workspace.updated",
	ActionArchived:    "workspace.archived",
	ActionRestored:    "workspace.restored",
	ActionMemberAdded: "member.added",
	ActionRoleChanged: "member.role_changed",
	ActionMemberGone:  "member.removed",
	ActionJoined:      "member.joined",
	ActionLeft:        "member.left",
}

// activityRow is a row of workspace_activity.
type activityRow struct {
	TenantID    uuid.UUID  `gorm:"column:tenant_id"`
	ID          uuid.UUID  `gorm:"column:id"`
	WorkspaceID uuid.UUID  `gorm:"column:workspace_id"`
	Kind        string     `gorm:"column:kind"`
	ActorID     *uuid.UUID `gorm:"column:actor_id"`
	SubjectID   *uuid.UUID `gorm:"column:subject_id"`
	ObjectType  string     `gorm:"column:object_type"`
	ObjectID    *uuid.UUID `gorm:"column:object_id"`
	ObjectTitle string     `gorm:"column:object_title"`
	FolderID    *uuid.UUID `gorm:"column:folder_id"`
	CreatedAt   time.Time  `gorm:"column:created_at"`
}

// OwnerTenant implements db.TenantOwned.
func (r *activityRow) OwnerTenant() uuid.UUID { return r.TenantID }

func optID(id uuid.UUID) *uuid.UUID {
	if id == uuid.Nil {
		return nil
	}
	return &id
}

// addActivity writes one feed row.
func addActivity(tx *db.Tx, r *activityRow) error {
	r.TenantID, r.ID = tx.TenantID(), db.NewID()
	if r.CreatedAt.IsZero() {
		r.CreatedAt = db.Now()
	}
	if len([]rune(r.ObjectTitle)) > 500 {
		r.ObjectTitle = string([]rune(r.ObjectTitle)[:500])
	}
	if err := tx.Create(activityTable, r); err != nil {
		return fmt.Errorf("workspaces: record activity: %w", err)
	}
	return nil
}

// feedOf writes the feed row of a module audit action about workspace id
// (actions without a feed kind write none).
func feedOf(tx *db.Tx, a tenant.Actor, action string, id uuid.UUID, details map[string]string) error {
	kind, ok := feedKinds[action]
	if !ok {
		return nil
	}
	r := &activityRow{WorkspaceID: id, Kind: kind, ActorID: optID(a.MembershipID), ObjectType: targetType, ObjectID: &id}
	if m, err := uuid.Parse(details["membership_id"]); err == nil {
		r.SubjectID = &m
	}
	if n := details["name"]; n != "" {
		r.ObjectTitle = n
	}
	return addActivity(tx, r)
}

// RecordDocumentActivity records a document event in the feed of the
// workspace whose folder holds the document (none: nothing).
func RecordDocumentActivity(_ context.Context, tx *db.Tx, a tenant.Actor, ev documents.DocumentEvent) error {
	var ws []uuid.UUID
	if err := tx.Raw(`SELECT w.id FROM workspaces w
		JOIN folder_paths fp ON fp.tenant_id = w.tenant_id AND fp.ancestor_id = w.folder_id
		WHERE w.tenant_id = @tenant AND fp.descendant_id = ? LIMIT 1`, ev.FolderID).Scan(&ws).Error; err != nil {
		return fmt.Errorf("workspaces: find workspace of folder: %w", err)
	}
	if len(ws) == 0 {
		return nil
	}
	folder, doc := ev.FolderID, ev.DocumentID
	return addActivity(tx, &activityRow{WorkspaceID: ws[0], Kind: ev.Kind, ActorID: optID(a.MembershipID), ObjectType: "document",
		ObjectID: &doc, ObjectTitle: ev.Title, FolderID: &folder, CreatedAt: ev.At})
}

// ActivityItem is one entry of a workspace's feed as a member sees it.
type ActivityItem struct {
	ID          uuid.UUID  `gorm:"column:id"`
	Kind        string     `gorm:"column:kind"`
	ActorID     *uuid.UUID `gorm:"column:actor_id"`
	ActorName   *string    `gorm:"column:actor_name"`
	SubjectID   *uuid.UUID `gorm:"column:subject_id"`
	SubjectName *string    `gorm:"column:subject_name"`
	ObjectType  string     `gorm:"column:object_type"`
	ObjectID    *uuid.UUID `gorm:"column:object_id"`
	ObjectTitle string     `gorm:"column:object_title"`
	FolderID    *uuid.UUID `gorm:"column:folder_id"`
	CreatedAt   time.Time  `gorm:"column:created_at"`
}

// ActivityPage is a page of a feed, newest first.
type ActivityPage struct {
	Items []ActivityItem
	// Next continues with older entries (uuid.Nil: the last page).
	Next uuid.UUID
}

// Activity returns the workspace's feed, newest first, before the entry
// before (uuid.Nil: from the newest), at most limit (1..MaxActivityPage)
// entries: for its members and admins; document entries only where the
// caller may read the folder now.
func (s *Service) Activity(ctx context.Context, a tenant.Actor, id, before uuid.UUID, limit int) (*ActivityPage, error) {
	if limit <= 0 || limit > MaxActivityPage {
		limit = DefaultPage
	}
	out := &ActivityPage{}
	err := s.run(ctx, a, func(tx *db.Tx) error {
		sc, err := loadScope(tx, a, id, false)
		if err != nil {
			return err
		}
		if sc.role() == "" && !a.IsAdmin() {
			return errs.Plain(errs.Forbidden)
		}
		// Read a bounded window and drop what the caller may not read; a
		// page may come out shorter than limit, never longer.
		q := `SELECT wa.id, wa.kind, wa.actor_id, au.display_name AS actor_name, wa.subject_id, su.display_name AS subject_name,
			wa.object_type, wa.object_id, wa.object_title, wa.folder_id, wa.created_at
			FROM workspace_activity wa
			LEFT JOIN memberships am ON am.tenant_id = wa.tenant_id AND am.id = wa.actor_id
			LEFT JOIN users au ON au.id = am.user_id
			LEFT JOIN memberships sm ON sm.tenant_id = wa.tenant_id AND sm.id = wa.subject_id
			LEFT JOIN users su ON su.id = sm.user_id
			WHERE wa.tenant_id = @tenant AND wa.workspace_id = ?`
		args := []any{id}
		if before != uuid.Nil {
			q += " AND wa.id < ?"
			args = append(args, before)
		}
		var rows []ActivityItem
		if err := tx.Raw(q+" ORDER BY wa.id DESC LIMIT ?", append(args, limit+1)...).Scan(&rows).Error; err != nil {
			return fmt.Errorf("workspaces: read activity: %w", err)
		}
		if len(rows) > limit {
			rows, out.Next = rows[:limit], rows[limit-1].ID
		}
		return keepReadable(tx, a, rows, out)
	})
	return out, err
}

// keepReadable puts into out the rows whose folder (if any) a may read.
func keepReadable(tx *db.Tx, a tenant.Actor, rows []ActivityItem, out *ActivityPage) error {
	var folders []uuid.UUID
	for _, r := range rows {
		if r.FolderID != nil {
			folders = append(folders, *r.FolderID)
		}
	}
	ok, err := documents.ReadableFolders(tx, a, folders)
	if err != nil {
		return err
	}
	out.Items = make([]ActivityItem, 0, len(rows))
	for _, r := range rows {
		if r.FolderID == nil || ok[*r.FolderID] {
			out.Items = append(out.Items, r)
		}
	}
	return nil
}

// ActivityEntry is a feed entry another module records about a workspace.
type ActivityEntry struct {
	WorkspaceID uuid.UUID
	// Kind names what happened ("consultation.opened", ...).
	Kind               string
	Actor, Subject     uuid.UUID // memberships; Nil for none
	ObjectType         string
	ObjectID, FolderID uuid.UUID // FolderID: shown only to readers of that folder (Nil: to every member)
	Title              string
	At                 time.Time
}

// RecordActivity writes e into its workspace's feed, in tx (the
// transaction of the change it describes).
func RecordActivity(tx *db.Tx, e ActivityEntry) error {
	return addActivity(tx, &activityRow{WorkspaceID: e.WorkspaceID, Kind: e.Kind, ActorID: optID(e.Actor), SubjectID: optID(e.Subject),
		ObjectType: e.ObjectType, ObjectID: optID(e.ObjectID), ObjectTitle: e.Title, FolderID: optID(e.FolderID), CreatedAt: e.At})
}
