package documents

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/google/uuid"
	"github.com/kollab/kollab/internal/db"
	"github.com/kollab/kollab/internal/errs"
	"github.com/kollab/kollab/internal/input"
	"github.com/kollab/kollab/internal/storage"
	"github.com/kollab/kollab/tenant"
)

// Folders owned by another module. A committee keeps its own filing folder
// (committees.filing_folder_id), a workspace its folder (workspaces.folder_id),
// made when the committee or workspace is made, under a tenant-level root
// folder made on demand ("Gremien", "Arbeitsräume"). These functions run in the
// owning module's transaction and skip the permission checks of
// CreateFolder: the owner has decided by its own rules that the folder is
// made (creating a committee is for tenant admins; the backfill of older
// committees runs at start-up). Who may read and write such a folder is
// derived from the owner's data (access.go), not copied into folder_acl.

// CommitteesRootName is the root folder that holds the committees' filing folders.
const CommitteesRootName = "Gremien"

// maxOwnedNameTries bounds the numbered names tried for an owned folder
// whose name is taken ("Bauausschuss (2)", ...).
const maxOwnedNameTries = 50

// FolderName turns s into a valid folder name: NFC, the characters that a
// folder name may not hold (`/ \ : * ? " < > |` and controls) replaced by
// "-", trimmed and cut to MaxNameLen; fallback when nothing is left.
func FolderName(s, fallback string) string {
	s = strings.Map(func(r rune) rune {
		switch {
		case unicode.IsControl(r), unicode.Is(unicode.Bidi_Control, r):
			return -1
		case strings.ContainsRune(`/\:*?"<>|`, r):
			return '-'
		}
		return r
	}, strings.ToValidUTF8(s, ""))
	if n, err := input.Name("name", s); err == nil {
		s = n
	}
	s = strings.TrimSpace(s)
	if utf8.RuneCountInString(s) > MaxNameLen-8 { // room for " (50)"
		s = strings.TrimSpace(string([]rune(s)[:MaxNameLen-8]))
	}
	if s == "" || s == "." || s == ".." {
		return fallback
	}
	return s
}

// EnsureRootFolder returns the live root folder named name (compared
// case-insensitively), creating it when there is none; by is recorded as
// its creator (by.UserID uuid.Nil: the system). It runs in tx, the
// owning module's transaction.
func EnsureRootFolder(ctx context.Context, tx *db.Tx, by tenant.Actor, name string) (uuid.UUID, error) {
	if err := lockTree(tx); err != nil {
		return uuid.Nil, err
	}
	name = FolderName(name, CommitteesRootName)
	var ids []uuid.UUID
	if err := tx.Table(foldersTable).Where("folders.parent_id IS NULL AND folders.name_key = ? AND folders.deleted_at IS NULL", foldKey(name)).
		Order("folders.id").Limit(1).Pluck("folders.id", &ids).Error; err != nil {
		return uuid.Nil, fmt.Errorf("documents: find root folder: %w", err)
	}
	if len(ids) == 1 {
		return ids[0], nil
	}
	return createOwned(ctx, tx, by, nil, name)
}

// CreateOwnedFolder creates a subfolder of the live folder parent named
// name, or "name (2)", "name (3)", ... when a live folder or document
// there has the name; by as in EnsureRootFolder. It runs in tx.
func CreateOwnedFolder(ctx context.Context, tx *db.Tx, by tenant.Actor, parent uuid.UUID, name string) (uuid.UUID, error) {
	if err := lockTree(tx); err != nil {
		return uuid.Nil, err
	}
	if err := shareFolder(tx, parent); err != nil {
		return uuid.Nil, err
	}
	base := FolderName(name, "Ordner")
	for n := 1; n <= maxOwnedNameTries; n++ {
		cand := base
		if n > 1 {
			cand = fmt.Sprintf("%s (%d)", base, n)
		}
		var taken int64
		if err := tx.Table(foldersTable).Where("folders.parent_id = ? AND folders.name_key = ? AND folders.deleted_at IS NULL",
			parent, foldKey(cand)).Count(&taken).Error; err != nil {
			return uuid.Nil, fmt.Errorf("documents: check names: %w", err)
		}
		if taken > 0 || noDocumentNamed(tx, &parent, cand) != nil {
			continue
		}
		return createOwned(ctx, tx, by, &parent, cand)
	}
	return uuid.Nil, fmt.Errorf("documents: no free name for an owned folder")
}

// FolderIsLive reports whether id names a folder of tx's tenant that is not in the trash.
func FolderIsLive(tx *db.Tx, id uuid.UUID) (bool, error) {
	var n int64
	if err := tx.Table(foldersTable).Where("folders.id = ? AND folders.deleted_at IS NULL", id).Count(&n).Error; err != nil {
		return false, fmt.Errorf("documents: check folder: %w", err)
	}
	return n > 0, nil
}

// RenameOwnedFolder renames an owned live folder to name (made valid as in
// FolderName), unless a sibling has that name already: then it keeps its
// name (renamed reports false). It runs in tx.
func RenameOwnedFolder(ctx context.Context, tx *db.Tx, by tenant.Actor, id uuid.UUID, name string) (renamed bool, err error) {
	name = FolderName(name, "")
	if name == "" {
		return false, nil
	}
	var fs []folderRecord
	if err := tx.Table(foldersTable).Where("folders.id = ? AND folders.deleted_at IS NULL", id).Limit(1).Scan(&fs).Error; err != nil {
		return false, fmt.Errorf("documents: load folder: %w", err)
	}
	if len(fs) == 0 || fs[0].Name == name {
		return false, nil
	}
	f := fs[0]
	q := tx.Table(foldersTable).Where("folders.id <> ? AND folders.name_key = ? AND folders.deleted_at IS NULL", id, foldKey(name))
	if f.ParentID == nil {
		q = q.Where("folders.parent_id IS NULL")
	} else {
		q = q.Where("folders.parent_id = ?", *f.ParentID)
	}
	var taken int64
	if err := q.Count(&taken).Error; err != nil {
		return false, fmt.Errorf("documents: check names: %w", err)
	}
	if taken > 0 || noDocumentNamed(tx, f.ParentID, name) != nil {
		return false, nil
	}
	if err := tx.Table(foldersTable).Where("id = ?", id).
		Updates(map[string]any{"name": name, "name_key": foldKey(name), "updated_at": db.Now()}).Error; err != nil {
		return false, nameConflict(err)
	}
	return true, record(ctx, tx, systemActor(tx, by), ActionFolderRenamed, "folder", id, map[string]string{"name": name})
}

// createOwned inserts a folder that inherits its parent's permissions.
func createOwned(ctx context.Context, tx *db.Tx, by tenant.Actor, parent *uuid.UUID, name string) (uuid.UUID, error) {
	now := db.Now()
	rec := &folderRecord{TenantID: tx.TenantID(), ID: db.NewID(), ParentID: parent, Name: name, NameKey: foldKey(name),
		InheritACL: true, CreatedAt: now, CreatedBy: by.MembershipID, UpdatedAt: now}
	if err := tx.Create(foldersTable, rec); err != nil {
		return uuid.Nil, nameConflict(err)
	}
	if err := insertPaths(tx, rec.ID, parent); err != nil {
		return uuid.Nil, err
	}
	if err := rebuildScope(tx, rec.ID); err != nil {
		return uuid.Nil, err
	}
	details := map[string]string{"name": name}
	if parent != nil {
		details["parent_id"] = parent.String()
	}
	if err := record(ctx, tx, systemActor(tx, by), ActionFolderCreated, "folder", rec.ID, details); err != nil {
		return uuid.Nil, err
	}
	return rec.ID, nil
}

// systemActor is by in tx's tenant (by may carry no tenant when the
// system acts).
func systemActor(tx *db.Tx, by tenant.Actor) tenant.Actor {
	by.TenantID = tx.TenantID()
	return by
}

// Reads granted by another module. A session paper's frozen revision is
// read by everyone who may see its agenda item, whatever the folder's
// permissions (committees/papers.go): the committee module decides, and
// reads the revision and its bytes with these functions.

// GrantedRevision is a revision of a document as a granted reader sees it,
// with the document's title and whether the document is in the trash.
type GrantedRevision struct {
	Revision
	Title   string `gorm:"column:title"`
	Trashed bool   `gorm:"column:trashed"`
}

// GrantedRevisions reads the revisions ids of tx's tenant with their
// documents' titles, without a permission check (the caller has made its
// own); ids that name no revision are left out.
func GrantedRevisions(tx *db.Tx, ids []uuid.UUID) (map[uuid.UUID]GrantedRevision, error) {
	out := make(map[uuid.UUID]GrantedRevision, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	var rows []GrantedRevision
	if err := tx.Table(revisionsTable).
		Select(revisionCols+", d.title, d.deleted_at IS NOT NULL AS trashed").
		Joins("JOIN documents d ON d.tenant_id = document_revisions.tenant_id AND d.id = document_revisions.document_id").
		Where("document_revisions.id IN ?", ids).Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("documents: read revisions: %w", err)
	}
	for _, r := range rows {
		out[r.ID] = r
	}
	return out, nil
}

// ReadableDocuments reports which of the documents ids the actor may open
// in the document store (read permission on a live document's folder).
func ReadableDocuments(tx *db.Tx, a tenant.Actor, ids []uuid.UUID) (map[uuid.UUID]bool, error) {
	out := make(map[uuid.UUID]bool, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	acc, args := accessFilter("documents.folder_id", a, Read)
	var got []uuid.UUID
	if err := tx.Table(documentsTable).Where("documents.id IN ? AND documents.deleted_at IS NULL", ids).Where(tx.Expr(acc, args...)).
		Pluck("documents.id", &got).Error; err != nil {
		return nil, fmt.Errorf("documents: check readable: %w", err)
	}
	for _, id := range got {
		out[id] = true
	}
	return out, nil
}

// WritableDocuments reports which of the documents ids the actor may
// write in the document store (write permission on a live document's
// folder, which is not frozen by an archived workspace).
func WritableDocuments(tx *db.Tx, a tenant.Actor, ids []uuid.UUID) (map[uuid.UUID]bool, error) {
	out := make(map[uuid.UUID]bool, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	acc, args := accessFilter("documents.folder_id", a, Write)
	var got []uuid.UUID
	if err := tx.Table(documentsTable).Where("documents.id IN ? AND documents.deleted_at IS NULL", ids).Where(tx.Expr(acc, args...)).
		Pluck("documents.id", &got).Error; err != nil {
		return nil, fmt.Errorf("documents: check writable: %w", err)
	}
	for _, id := range got {
		out[id] = true
	}
	return out, nil
}

// OpenGranted opens a revision's bytes from offset (length -1: to the
// end) for a read another module granted, verified as every download is
// (OpenStored). The caller closes the reader and records the read.
func (s *Service) OpenGranted(ctx context.Context, rev *Revision, offset, length int64) (io.ReadCloser, error) {
	if offset > rev.Size || offset < 0 {
		return nil, errs.Plain(errs.RangeNotSatisfiable)
	}
	if s.store == nil {
		return nil, fmt.Errorf("documents: no object store")
	}
	rc, err := OpenStored(ctx, s.db, s.store, rev.TenantID, rev.ID, rev.StorageKey, storage.Want{Size: rev.Size, SHA256: rev.SHA256}, offset, length)
	if err != nil {
		if errors.Is(err, storage.ErrInvalidRange) {
			return nil, errs.Plain(errs.RangeNotSatisfiable)
		}
		if errs.As(err) != nil {
			return nil, err
		}
		return nil, errStorage(err)
	}
	return rc, nil
}

// WorkspacesRootName is the root folder that holds the workspaces' folders.
const WorkspacesRootName = "Arbeitsräume"

// refuseOwnedName refuses a hand rename of a workspace's folder: its name
// follows the workspace's (RenameOwnedFolder, when the workspace is renamed).
func refuseOwnedName(tx *db.Tx, folderID uuid.UUID) error {
	var n int64
	if err := tx.Table("workspaces").Where("folder_id = ?", folderID).Count(&n).Error; err != nil {
		return fmt.Errorf("documents: check workspace folder: %w", err)
	}
	if n > 0 {
		return errs.New(errs.Conflict, errs.M("documents.workspace-folder-name-follows-workspace",
			"Der Name dieses Ordners folgt dem Namen seines Arbeitsraums. Bitte benennen Sie den Arbeitsraum um.",
			"This folder's name follows the name of its workspace. Please rename the workspace instead."))
	}
	return nil
}

// refuseOwnedACL refuses a hand edit of the permissions of a workspace's
// folder: they follow the workspace's membership (access.go), and the
// workspace's owners change them by changing its members.
func refuseOwnedACL(tx *db.Tx, folderID uuid.UUID) error {
	var n int64
	if err := tx.Table("workspaces").Where("folder_id = ?", folderID).Count(&n).Error; err != nil {
		return fmt.Errorf("documents: check workspace folder: %w", err)
	}
	if n > 0 {
		return errs.New(errs.Conflict, errs.M("documents.workspace-folder-acl-follows-members",
			"Die Berechtigungen dieses Ordners folgen den Mitgliedern seines Arbeitsraums und können hier nicht geändert werden. Bitte ändern Sie die Mitglieder des Arbeitsraums.",
			"This folder's permissions follow the members of its workspace and cannot be changed here. Please change the workspace's members instead."))
	}
	return nil
}

// workspaceGrants reads the grants derived from the workspaces whose
// folder is in folderID's scope (the folder itself or an ancestor it
// inherits from).
func workspaceGrants(tx *db.Tx, folderID uuid.UUID) ([]WorkspaceGrant, error) {
	var rows []struct {
		ID       uuid.UUID `gorm:"column:id"`
		Name     string    `gorm:"column:name"`
		State    string    `gorm:"column:state"`
		SourceID uuid.UUID `gorm:"column:source_id"`
	}
	if err := tx.Table(scopeTable).Select("w.id, w.name, w.state, folder_acl_scope.source_id").
		Joins("JOIN workspaces w ON w.tenant_id = folder_acl_scope.tenant_id AND w.folder_id = folder_acl_scope.source_id").
		Where("folder_acl_scope.folder_id = ?", folderID).Order("w.name, w.id").Limit(MaxPage).Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("documents: read workspace grants: %w", err)
	}
	out := make([]WorkspaceGrant, len(rows))
	for i, r := range rows {
		out[i] = WorkspaceGrant{WorkspaceID: r.ID, WorkspaceName: r.Name, SourceFolderID: r.SourceID, Inherited: r.SourceID != folderID,
			Archived: r.State == "archived"}
	}
	return out, nil
}

// keepsWorkspaceFolders refuses to move a subtree to the trash that holds a
// workspace's folder: the folder lives as long as its workspace.
func keepsWorkspaceFolders(tx *db.Tx, root uuid.UUID) error {
	var n int64
	if err := tx.Table("workspaces").Where(tx.Expr("folder_id IN ("+subtree+")", root)).Count(&n).Error; err != nil {
		return fmt.Errorf("documents: check workspace folders: %w", err)
	}
	if n > 0 {
		return errs.New(errs.Conflict, errs.M("documents.folder-holds-workspace-folder",
			"Der Ordner ist der Ordner eines Arbeitsraums oder enthält einen und kann nicht gelöscht werden.",
			"The folder is a workspace's folder or contains one and cannot be deleted."))
	}
	return nil
}

// ReadableFolders reports which of the folders ids the actor may read now
// (live or trashed: a trashed folder's entries still decide).
func ReadableFolders(tx *db.Tx, a tenant.Actor, ids []uuid.UUID) (map[uuid.UUID]bool, error) {
	out := make(map[uuid.UUID]bool, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	acc, args := accessFilter("folders.id", a, Read)
	var got []uuid.UUID
	if err := tx.Table(foldersTable).Where("folders.id IN ?", ids).Where(tx.Expr(acc, args...)).Pluck("folders.id", &got).Error; err != nil {
		return nil, fmt.Errorf("documents: check readable folders: %w", err)
	}
	for _, id := range got {
		out[id] = true
	}
	return out, nil
}

// DocumentsInTree reports which of the documents ids are live documents
// filed in folder root or below it (a workspace's folder, say), without a
// permission check (the caller combines it with ReadableDocuments).
func DocumentsInTree(tx *db.Tx, root uuid.UUID, ids []uuid.UUID) (map[uuid.UUID]bool, error) {
	out := make(map[uuid.UUID]bool, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	var got []uuid.UUID
	if err := tx.Table(documentsTable).Where("documents.id IN ? AND documents.deleted_at IS NULL", ids).
		Where("EXISTS (SELECT 1 FROM "+pathsTable+" p WHERE p.tenant_id = documents.tenant_id AND p.ancestor_id = ? AND p.descendant_id = documents.folder_id)", root).
		Pluck("documents.id", &got).Error; err != nil {
		return nil, fmt.Errorf("documents: check folder tree: %w", err)
	}
	for _, id := range got {
		out[id] = true
	}
	return out, nil
}
