package documents

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"github.com/google/uuid"
	"github.com/kollab/kollab/internal/db"
	"github.com/kollab/kollab/internal/errs"
	"github.com/kollab/kollab/tenant"
)

// folderRecord is a row of folders as written.
type folderRecord struct {
	TenantID      uuid.UUID  `gorm:"column:tenant_id"`
	ID            uuid.UUID  `gorm:"column:id"`
	ParentID      *uuid.UUID `gorm:"column:parent_id"`
	Name          string     `gorm:"column:name"`
	NameKey       string     `gorm:"column:name_key"`
	InheritACL    bool       `gorm:"column:inherit_acl"`
	RetentionDays *int       `gorm:"column:retention_days"`
	CreatedAt     time.Time  `gorm:"column:created_at"`
	CreatedBy     uuid.UUID  `gorm:"column:created_by"`
	UpdatedAt     time.Time  `gorm:"column:updated_at"`
}

// OwnerTenant implements db.TenantOwned.
func (r *folderRecord) OwnerTenant() uuid.UUID { return r.TenantID }

// folderRow is a folder as read, with the caller's access level.
type folderRow struct {
	Folder
	NameKey     string     `gorm:"column:name_key"`
	TrashRootID *uuid.UUID `gorm:"column:trash_root_id"`
}

const folderCols = `folders.tenant_id, folders.id, folders.parent_id, folders.name, folders.name_key,
	folders.inherit_acl, folders.retention_days, folders.created_at, folders.created_by,
	folders.updated_at, folders.deleted_at, folders.deleted_by, folders.trash_root_id`

// rowState selects live rows, trashed rows, or both.
type rowState int

const (
	live rowState = iota
	trashed
	anyState
)

func stateCond(table string, st rowState) string {
	switch st {
	case live:
		return table + ".deleted_at IS NULL"
	case trashed:
		return table + ".deleted_at IS NOT NULL"
	}
	return "1 = 1"
}

// loadFolder reads one folder with the actor's access level, answering
// NotFound when it is missing, in another tenant, in the wrong state, or
// not readable by the actor.
func loadFolder(tx *db.Tx, a tenant.Actor, id uuid.UUID, st rowState) (*folderRow, error) {
	lvl, args := accessLevel("folders.id", a)
	var rows []folderRow
	err := tx.Table(foldersTable).Select(folderCols+", ? AS access", tx.Expr(lvl, args...)).
		Where("folders.id = ?", id).Where(stateCond(foldersTable, st)).Limit(1).Scan(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("documents: load folder: %w", err)
	}
	if len(rows) == 0 || rows[0].Access < Read {
		return nil, errNotFound()
	}
	return &rows[0], nil
}

// CreateFolder creates a folder named name under parentID (write
// permission there), or a root folder when parentID is uuid.Nil (admins only).
func (s *Service) CreateFolder(ctx context.Context, a tenant.Actor, parentID uuid.UUID, name string) (*Folder, error) {
	name, err := validateName(name)
	if err != nil {
		return nil, err
	}
	var out *Folder
	err = s.run(ctx, a, func(tx *db.Tx) error {
		if err := lockTree(tx); err != nil {
			return err
		}
		parent, err := writableParent(tx, a, parentID)
		if err != nil {
			return err
		}
		if err := noDocumentNamed(tx, parent, name); err != nil {
			return err
		}
		now := s.now()
		rec := &folderRecord{TenantID: a.TenantID, ID: db.NewID(), ParentID: parent, Name: name, NameKey: foldKey(name),
			InheritACL: true, CreatedAt: now, CreatedBy: a.MembershipID, UpdatedAt: now}
		if err := tx.Create(foldersTable, rec); err != nil {
			return nameConflict(err)
		}
		if err := insertPaths(tx, rec.ID, parent); err != nil {
			return err
		}
		if err := rebuildScope(tx, rec.ID); err != nil {
			return err
		}
		details := map[string]string{"name": name}
		if parent != nil {
			details["parent_id"] = parent.String()
		}
		if err := record(ctx, tx, a, ActionFolderCreated, "folder", rec.ID, details); err != nil {
			return err
		}
		f, err := loadFolder(tx, a, rec.ID, live)
		if err == nil {
			out = &f.Folder
		}
		return err
	})
	return out, err
}

func nameConflict(err error) error {
	if db.IsUniqueViolation(err) {
		return errs.New(errs.Conflict, errs.M("documents.folder-already-contains-folder-name", "In diesem Ordner gibt es bereits einen Ordner mit diesem Namen.", "This folder already contains a folder with this name."))
	}
	return fmt.Errorf("documents: write folder: %w", err)
}

// GetFolder returns a live folder the actor can read.
func (s *Service) GetFolder(ctx context.Context, a tenant.Actor, id uuid.UUID) (*Folder, error) {
	var out *Folder
	err := s.run(ctx, a, func(tx *db.Tx) error {
		f, err := loadFolder(tx, a, id, live)
		if err == nil {
			out = &f.Folder
		}
		return err
	})
	return out, err
}

// Page asks for one page of a list.
type Page struct {
	// Cursor continues a previous page (its NextCursor); empty starts.
	Cursor string
	// Limit is the page size (default 50, at most 200).
	Limit int
}

// FolderPage is one page of folders.
type FolderPage struct {
	Folders []Folder
	// NextCursor is empty on the last page.
	NextCursor string
}

// cursor is the opaque position of a keyset page.
type cursor struct {
	Key  string     `json:"k,omitempty"`
	Time *time.Time `json:"t,omitempty"`
	ID   uuid.UUID  `json:"id"`
}

func (c cursor) encode() string {
	b, _ := json.Marshal(c)
	return base64.RawURLEncoding.EncodeToString(b)
}

func decodeCursor(s string) (*cursor, error) {
	if s == "" {
		return nil, nil
	}
	b, err := base64.RawURLEncoding.DecodeString(s)
	var c cursor
	if err != nil || len(b) > 4096 || json.Unmarshal(b, &c) != nil || c.ID == uuid.Nil {
		return nil, errs.InvalidField("cursor", errs.M("documents.page-cursor-invalid", "Die Seitenmarke ist ungültig. Bitte die Liste neu laden.", "The page cursor is invalid. Please reload the list."))
	}
	return &c, nil
}

// ListFolders returns the live subfolders of parentID that the actor can
// read, ordered by name. For parentID uuid.Nil it returns the actor's entry
// points: the readable folders whose parent is absent or not readable by
// the actor (for an admin, the roots), so that someone granted a folder
// deep in the tree finds it at the top.
func (s *Service) ListFolders(ctx context.Context, a tenant.Actor, parentID uuid.UUID, p Page) (*FolderPage, error) {
	cur, err := decodeCursor(p.Cursor)
	if err != nil {
		return nil, err
	}
	limit := pageLimit(p.Limit)
	out := &FolderPage{}
	err = s.run(ctx, a, func(tx *db.Tx) error {
		lvl, largs := accessLevel("folders.id", a)
		acc, aargs := accessFilter("folders.id", a, Read)
		q := tx.Table(foldersTable).Select(folderCols+", ? AS access", tx.Expr(lvl, largs...)).
			Where("folders.deleted_at IS NULL").Where(tx.Expr(acc, aargs...))
		if parentID == uuid.Nil {
			if a.IsAdmin() {
				q = q.Where("folders.parent_id IS NULL")
			} else {
				sub, sargs := allowedFolders(a, Read)
				q = q.Where(tx.Expr("(folders.parent_id IS NULL OR folders.parent_id NOT IN ("+sub+"))", sargs...))
			}
		} else {
			if _, err := loadFolder(tx, a, parentID, live); err != nil {
				return err
			}
			q = q.Where("folders.parent_id = ?", parentID)
		}
		if cur != nil {
			q = q.Where("(folders.name_key, folders.id) > (?, ?)", cur.Key, cur.ID)
		}
		var rows []folderRow
		if err := q.Order("folders.name_key, folders.id").Limit(limit + 1).Scan(&rows).Error; err != nil {
			return fmt.Errorf("documents: list folders: %w", err)
		}
		if len(rows) > limit {
			rows = rows[:limit]
			last := rows[limit-1]
			out.NextCursor = cursor{Key: last.NameKey, ID: last.ID}.encode()
		}
		out.Folders = make([]Folder, len(rows))
		for i := range rows {
			out.Folders[i] = rows[i].Folder
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// RenameFolder renames a live folder (write permission on it).
func (s *Service) RenameFolder(ctx context.Context, a tenant.Actor, id uuid.UUID, name string) (*Folder, error) {
	name, err := validateName(name)
	if err != nil {
		return nil, err
	}
	var out *Folder
	err = s.run(ctx, a, func(tx *db.Tx) error {
		f, err := loadFolder(tx, a, id, live)
		if err != nil {
			return err
		}
		if err := need(f.Access, Write); err != nil {
			return err
		}
		if f.Name == name {
			out = &f.Folder
			return nil
		}
		if err := refuseOwnedName(tx, id); err != nil {
			return err
		}
		if foldKey(f.Name) != foldKey(name) {
			if err := noDocumentNamed(tx, f.ParentID, name); err != nil {
				return err
			}
		}
		err = tx.Table(foldersTable).Where("id = ? AND deleted_at IS NULL", id).
			Updates(map[string]any{"name": name, "name_key": foldKey(name), "updated_at": s.now()}).Error
		if err != nil {
			return nameConflict(err)
		}
		if err := record(ctx, tx, a, ActionFolderRenamed, "folder", id, map[string]string{"from": f.Name, "to": name}); err != nil {
			return err
		}
		f, err = loadFolder(tx, a, id, live)
		if err == nil {
			out = &f.Folder
		}
		return err
	})
	return out, err
}

// MoveFolder moves a live folder and its subtree under newParentID (manage
// permission on the folder, write on the destination), or makes it a root
// when newParentID is uuid.Nil (admins only). A folder cannot move into its
// own subtree. Effective permissions below change with the new ancestors.
func (s *Service) MoveFolder(ctx context.Context, a tenant.Actor, id, newParentID uuid.UUID) (*Folder, error) {
	var out *Folder
	err := s.run(ctx, a, func(tx *db.Tx) error {
		if err := lockTree(tx); err != nil {
			return err
		}
		f, err := loadFolder(tx, a, id, live)
		if err != nil {
			return err
		}
		if err := need(f.Access, Manage); err != nil {
			return err
		}
		parent, err := writableParent(tx, a, newParentID)
		if err != nil {
			return err
		}
		if equalParent(f.ParentID, parent) {
			out = &f.Folder
			return nil
		}
		if parent != nil {
			if cyc, err := isInSubtree(tx, id, *parent); err != nil {
				return err
			} else if cyc {
				return errs.New(errs.Conflict, errs.M("documents.folder-cannot-moved-itself-one", "Ein Ordner kann nicht in sich selbst oder einen seiner Unterordner verschoben werden.", "A folder cannot be moved into itself or one of its subfolders."))
			}
		}
		if err := noDocumentNamed(tx, parent, f.Name); err != nil {
			return err
		}
		err = tx.Table(foldersTable).Where("id = ?", id).
			Updates(map[string]any{"parent_id": parent, "updated_at": s.now()}).Error
		if err != nil {
			return nameConflict(err)
		}
		if err := reparentPaths(tx, id, parent); err != nil {
			return err
		}
		if err := rebuildScope(tx, id); err != nil {
			return err
		}
		if err := record(ctx, tx, a, ActionFolderMoved, "folder", id,
			map[string]string{"from": idString(f.ParentID), "to": idString(parent)}); err != nil {
			return err
		}
		f, err = loadFolder(tx, a, id, live)
		if err == nil {
			out = &f.Folder
		}
		return err
	})
	return out, err
}

// writableParent is the folder a new or moved folder goes into: nil for
// the top level (tenant admins only), else a live folder the actor may
// write to.
func writableParent(tx *db.Tx, a tenant.Actor, id uuid.UUID) (*uuid.UUID, error) {
	if id == uuid.Nil {
		if !a.IsAdmin() {
			return nil, errForbidden()
		}
		return nil, nil
	}
	p, err := loadFolder(tx, a, id, live)
	if err != nil {
		return nil, err
	}
	if err := need(p.Access, Write); err != nil {
		return nil, err
	}
	return &p.ID, nil
}

func equalParent(a, b *uuid.UUID) bool {
	if a == nil || b == nil {
		return a == b
	}
	return *a == *b
}

func idString(id *uuid.UUID) string {
	if id == nil {
		return ""
	}
	return id.String()
}

// SetFolderRetention sets how many days trashed documents in the folder
// (and in descendants that set none) are kept before they may be purged;
// nil inherits from the parent. Retention is tenant policy: admins only.
func (s *Service) SetFolderRetention(ctx context.Context, a tenant.Actor, id uuid.UUID, days *int) (*Folder, error) {
	if err := validateRetention(days); err != nil {
		return nil, err
	}
	var out *Folder
	err := s.run(ctx, a, func(tx *db.Tx) error {
		f, err := loadFolder(tx, a, id, anyState)
		if err != nil {
			return err
		}
		if !a.IsAdmin() {
			return errForbidden()
		}
		if err := tx.Table(foldersTable).Where("id = ?", id).
			Updates(map[string]any{"retention_days": days, "updated_at": s.now()}).Error; err != nil {
			return fmt.Errorf("documents: set retention: %w", err)
		}
		val := "inherit"
		if days != nil {
			val = fmt.Sprint(*days)
		}
		if err := record(ctx, tx, a, ActionFolderRetention, "folder", id, map[string]string{"retention_days": val}); err != nil {
			return err
		}
		f, err = loadFolder(tx, a, id, anyState)
		if err == nil {
			out = &f.Folder
		}
		return err
	})
	return out, err
}

// FolderRef names a folder on a path.
type FolderRef struct {
	ID   uuid.UUID `gorm:"column:id"`
	Name string    `gorm:"column:name"`
}

// FolderPath returns the breadcrumb of a live folder the actor can read:
// its ancestors from the actor's entry point down to the folder itself.
// Ancestors above the nearest unreadable one are left out, so the path
// never reveals a folder the actor may not see.
func (s *Service) FolderPath(ctx context.Context, a tenant.Actor, id uuid.UUID) ([]FolderRef, error) {
	var out []FolderRef
	err := s.run(ctx, a, func(tx *db.Tx) error {
		if _, err := loadFolder(tx, a, id, live); err != nil {
			return err
		}
		lvl, largs := accessLevel("folders.id", a)
		var rows []struct {
			FolderRef
			Access Level `gorm:"column:access"`
		}
		err := tx.Table(pathsTable).Select("folders.id, folders.name, ? AS access", tx.Expr(lvl, largs...)).
			Joins("JOIN folders ON folders.tenant_id = folder_paths.tenant_id AND folders.id = folder_paths.ancestor_id").
			Where("folder_paths.descendant_id = ?", id).Order("folder_paths.depth").Scan(&rows).Error
		if err != nil {
			return fmt.Errorf("documents: folder path: %w", err)
		}
		// rows run from the folder upwards; stop at the first unreadable.
		for _, r := range rows {
			if r.Access < Read {
				break
			}
			out = append(out, r.FolderRef)
		}
		slices.Reverse(out)
		return nil
	})
	return out, err
}

// noDocumentNamed answers errs.Conflict when a live document of the folder
// parent has the file name name: in WebDAV a folder and a document share
// one namespace. (Root folders hold no documents.)
func noDocumentNamed(tx *db.Tx, parent *uuid.UUID, name string) error {
	if parent == nil {
		return nil
	}
	var ids []uuid.UUID
	if err := tx.Table(documentsTable).Where("documents.folder_id = ? AND documents.file_name_key = ? AND documents.deleted_at IS NULL",
		*parent, foldKey(name)).Limit(1).Pluck("documents.id", &ids).Error; err != nil {
		return fmt.Errorf("documents: check names: %w", err)
	}
	if len(ids) > 0 {
		return errs.New(errs.Conflict, errs.M("documents.folder-already-contains-document-name", "In diesem Ordner gibt es bereits ein Dokument mit diesem Namen.", "This folder already contains a document with this name."))
	}
	return nil
}

// noFolderNamed answers errs.Conflict when a live subfolder of folderID
// is named title (a document's file name).
func noFolderNamed(tx *db.Tx, folderID uuid.UUID, title string) error {
	var ids []uuid.UUID
	if err := tx.Table(foldersTable).Where("folders.parent_id = ? AND folders.name_key = ? AND folders.deleted_at IS NULL",
		folderID, foldKey(title)).Limit(1).Pluck("folders.id", &ids).Error; err != nil {
		return fmt.Errorf("documents: check names: %w", err)
	}
	if len(ids) > 0 {
		return errs.New(errs.Conflict, errs.M("documents.folder-already-contains-subfolder-name", "In diesem Ordner gibt es bereits einen Unterordner mit diesem Namen.", "This folder already contains a subfolder with this name."))
	}
	return nil
}
