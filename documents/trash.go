package documents

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/google/uuid"
	"github.com/kollab/kollab/internal/db"
	"github.com/kollab/kollab/internal/errs"
	"github.com/kollab/kollab/meetings/publication"
	"github.com/kollab/kollab/tenant"
)

// DeleteDocument moves a live document to the trash (write permission).
// A legal hold answers errs.Conflict, a check-out by someone else
// errs.ResourceLocked; ifMatch, when not 0, must equal the current version.
func (s *Service) DeleteDocument(ctx context.Context, a tenant.Actor, id uuid.UUID, ifMatch int64) error {
	return s.run(ctx, a, func(tx *db.Tx) error {
		now := s.now()
		if err := trashDocument(ctx, tx, a, id, ifMatch, now); err != nil {
			return err
		}
		return s.activityOf(ctx, tx, a, EventDocumentTrashed, id, now)
	})
}

// trashDocument moves a live document to the trash in tx (write
// permission; not under legal hold, nor checked out by someone else).
func trashDocument(ctx context.Context, tx *db.Tx, a tenant.Actor, id uuid.UUID, ifMatch int64, now time.Time) error {
	r, err := loadDocument(tx, a, id, live)
	if err != nil {
		return err
	}
	if err := need(r.Access, Write); err != nil {
		return err
	}
	if ifMatch != 0 && r.Version != ifMatch {
		return errs.Plain(errs.PreconditionFailed)
	}
	if r.LegalHold {
		return errHeld()
	}
	if r.lockedByOther(a, now) {
		return r.lockedErr(now)
	}
	res := tx.Table(documentsTable).
		Where("documents.id = ? AND documents.version = ? AND documents.deleted_at IS NULL AND NOT documents.legal_hold AND "+lockFree,
			id, r.Version, a.MembershipID, now).
		Updates(map[string]any{"deleted_at": now, "deleted_by": a.MembershipID, "trash_root_id": id,
			"lock_owner_id": nil, "lock_acquired_at": nil, "lock_expires_at": nil})
	if res.Error != nil {
		return fmt.Errorf("documents: trash document: %w", res.Error)
	}
	if res.RowsAffected == 0 {
		return errs.Plain(errs.PreconditionFailed)
	}
	return record(ctx, tx, a, ActionDocumentTrashed, "document", id,
		map[string]string{"folder_id": r.FolderID.String(), "title": r.Title})
}

func errHeld() error {
	return errs.New(errs.Conflict, errs.M("documents.document-under-legal-hold", "Für dieses Dokument besteht eine Aufbewahrungssperre (Legal Hold); es kann nicht gelöscht werden.", "This document is under legal hold; it cannot be deleted."))
}

// RestoreDocument takes a document out of the trash into its folder (write
// permission). A document trashed together with its folder comes back with
// the folder; one whose folder is in the trash answers errs.Conflict.
func (s *Service) RestoreDocument(ctx context.Context, a tenant.Actor, id uuid.UUID) (*Document, error) {
	var out *Document
	err := s.run(ctx, a, func(tx *db.Tx) error {
		r, err := loadDocument(tx, a, id, trashed)
		if err != nil {
			return err
		}
		if err := need(r.Access, Write); err != nil {
			return err
		}
		if r.TrashRootID == nil || *r.TrashRootID != id {
			return errs.New(errs.Conflict, errs.M("documents.document-deleted-together-folder", "Das Dokument wurde mit seinem Ordner gelöscht. Bitte den Ordner wiederherstellen.", "The document was deleted together with its folder. Please restore the folder."))
		}
		if err := shareFolder(tx, r.FolderID); err != nil {
			if errs.Is(err, errs.NotFound) {
				return errs.New(errs.Conflict, errs.M("documents.document-folder-trash", "Der Ordner des Dokuments liegt im Papierkorb. Bitte zuerst den Ordner wiederherstellen.", "The document's folder is in the trash. Please restore the folder first."))
			}
			return err
		}
		if err := fileNameFree(tx, r.FolderID, r.FileName, id); err != nil {
			return err
		}
		if err := publication.Watch(tx, publication.Documents(id)); err != nil { // OParl tombstones
			return err
		}
		if _, err := exec(tx, `UPDATE documents SET deleted_at = NULL, deleted_by = NULL, trash_root_id = NULL
			WHERE tenant_id = @tenant AND id = ? AND trash_root_id = ?`, id, id); err != nil {
			return titleConflict(err)
		}
		if err := record(ctx, tx, a, ActionDocumentRestored, "document", id, map[string]string{"folder_id": r.FolderID.String()}); err != nil {
			return err
		}
		out, err = s.readDocument(tx, a, id, live)
		return err
	})
	return out, err
}

// DeleteFolder moves a live folder with its whole subtree to the trash:
// manage permission on the folder and write permission on every live
// folder below. A legal hold on any document inside answers errs.Conflict,
// a check-out by someone else errs.ResourceLocked.
func (s *Service) DeleteFolder(ctx context.Context, a tenant.Actor, id uuid.UUID) error {
	return s.run(ctx, a, func(tx *db.Tx) error {
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
		if err := keepsWorkspaceFolders(tx, id); err != nil {
			return err
		}
		now := s.now()
		if !a.IsAdmin() {
			acc, args := accessFilter("folders.id", a, Write)
			var n int64
			if err := tx.Table(foldersTable).Where(tx.Expr("folders.deleted_at IS NULL AND folders.id IN ("+subtree+")", id)).
				Where(tx.Expr("NOT ("+acc+")", args...)).Count(&n).Error; err != nil {
				return fmt.Errorf("documents: check subtree: %w", err)
			}
			if n > 0 {
				return errs.New(errs.Forbidden, errs.M("documents.folder-contains-subfolders-not-allowed-2", "Der Ordner enthält Unterordner, die Sie nicht ändern dürfen.", "The folder contains subfolders you are not allowed to change."))
			}
		}
		nf, err := exec(tx, `UPDATE folders SET deleted_at = ?, deleted_by = ?, trash_root_id = ?
			WHERE tenant_id = @tenant AND deleted_at IS NULL AND id IN (`+subtree+`)`, now, a.MembershipID, id, id)
		if err != nil {
			return err
		}
		nd, err := exec(tx, `UPDATE documents SET deleted_at = ?, deleted_by = ?, trash_root_id = ?
			WHERE tenant_id = @tenant AND deleted_at IS NULL AND folder_id IN (`+subtree+`)`, now, a.MembershipID, id, id)
		if err != nil {
			return err
		}
		// Checked after the update, which holds the rows: a hold or lock
		// set concurrently cannot slip through.
		var held, locked int64
		if err := tx.Table(documentsTable).Where("trash_root_id = ? AND legal_hold", id).Count(&held).Error; err != nil {
			return err
		}
		if held > 0 {
			return errs.New(errs.Conflict, errs.M("documents.folder-contains-documents-under-legal", "Der Ordner enthält Dokumente mit Aufbewahrungssperre (Legal Hold); er kann nicht gelöscht werden.", "The folder contains documents under legal hold; it cannot be deleted."))
		}
		if err := tx.Table(documentsTable).Where("trash_root_id = ? AND NOT "+lockFree, id, a.MembershipID, now).Count(&locked).Error; err != nil {
			return err
		}
		if locked > 0 {
			return errs.New(errs.ResourceLocked, errs.M("documents.folder-contains-documents-checked-out", "Der Ordner enthält Dokumente, die von anderen Personen ausgecheckt sind.", "The folder contains documents checked out by other people."))
		}
		if _, err := exec(tx, `UPDATE documents SET lock_owner_id = NULL, lock_acquired_at = NULL, lock_expires_at = NULL
			WHERE tenant_id = @tenant AND trash_root_id = ?`, id); err != nil {
			return titleConflict(err)
		}
		return record(ctx, tx, a, ActionFolderTrashed, "folder", id,
			map[string]string{"name": f.Name, "folders": fmt.Sprint(nf), "documents": fmt.Sprint(nd)})
	})
}

// RestoreFolder takes a folder and everything trashed with it out of the
// trash (manage permission). Its parent must be live, and its name still
// free there; otherwise errs.Conflict.
func (s *Service) RestoreFolder(ctx context.Context, a tenant.Actor, id uuid.UUID) (*Folder, error) {
	var out *Folder
	err := s.run(ctx, a, func(tx *db.Tx) error {
		if err := lockTree(tx); err != nil {
			return err
		}
		f, err := loadFolder(tx, a, id, trashed)
		if err != nil {
			return err
		}
		if err := need(f.Access, Manage); err != nil {
			return err
		}
		if f.TrashRootID == nil || *f.TrashRootID != id {
			return errs.New(errs.Conflict, errs.M("documents.folder-deleted-together-parent-folder", "Der Ordner wurde mit einem übergeordneten Ordner gelöscht. Bitte stattdessen diesen wiederherstellen.", "The folder was deleted together with a parent folder. Please restore that one instead."))
		}
		if f.ParentID != nil {
			var n int64
			if err := tx.Table(foldersTable).Where("id = ? AND deleted_at IS NULL", *f.ParentID).Count(&n).Error; err != nil {
				return err
			}
			if n == 0 {
				return errs.New(errs.Conflict, errs.M("documents.parent-folder-trash", "Der übergeordnete Ordner liegt im Papierkorb. Bitte zuerst diesen wiederherstellen.", "The parent folder is in the trash. Please restore it first."))
			}
		}
		if err := publication.Watch(tx, publication.Folder(id)); err != nil { // OParl tombstones
			return err
		}
		if _, err := exec(tx, `UPDATE folders SET deleted_at = NULL, deleted_by = NULL, trash_root_id = NULL
			WHERE tenant_id = @tenant AND trash_root_id = ?`, id); err != nil {
			return nameConflict(err)
		}
		if _, err := exec(tx, `UPDATE documents SET deleted_at = NULL, deleted_by = NULL, trash_root_id = NULL
			WHERE tenant_id = @tenant AND trash_root_id = ?`, id); err != nil {
			return titleConflict(err)
		}
		if err := record(ctx, tx, a, ActionFolderRestored, "folder", id, map[string]string{"name": f.Name}); err != nil {
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

// TrashItem is a folder or document that was deleted on its own (not
// together with a folder around it).
type TrashItem struct {
	Kind string // "folder" or "document"
	ID   uuid.UUID
	// Name is the folder's name or the document's title.
	Name string
	// ParentID is the folder the item was deleted from (nil for a root).
	ParentID  *uuid.UUID
	DeletedAt time.Time
	DeletedBy *uuid.UUID
	// RetentionDays is the effective retention; the item may be purged
	// from PurgeableAt on, unless LegalHold is set.
	RetentionDays int
	PurgeableAt   time.Time
	// LegalHold is set when the document, or a document inside the folder, is held.
	LegalHold bool
}

// TrashPage is one page of the trash, newest first.
type TrashPage struct {
	Items      []TrashItem
	NextCursor string
}

type trashRow struct {
	ID            uuid.UUID  `gorm:"column:id"`
	Name          string     `gorm:"column:name"`
	ParentID      *uuid.UUID `gorm:"column:parent_id"`
	DeletedAt     time.Time  `gorm:"column:deleted_at"`
	DeletedBy     *uuid.UUID `gorm:"column:deleted_by"`
	RetentionDays int        `gorm:"column:retention_days"`
	LegalHold     bool       `gorm:"column:legal_hold"`
}

// ListTrash lists the trashed folders the actor may manage and the trashed
// documents in folders the actor may write to, newest first.
func (s *Service) ListTrash(ctx context.Context, a tenant.Actor, p Page) (*TrashPage, error) {
	cur, err := decodeCursor(p.Cursor)
	if err != nil {
		return nil, err
	}
	if cur != nil && cur.Time == nil {
		return nil, errs.InvalidField("cursor", errs.M("documents.page-cursor-invalid", "Die Seitenmarke ist ungültig. Bitte die Liste neu laden.", "The page cursor is invalid. Please reload the list."))
	}
	limit := pageLimit(p.Limit)
	out := &TrashPage{}
	err = s.run(ctx, a, func(tx *db.Tx) error {
		var folders, docs []trashRow
		facc, fargs := accessFilter("folders.id", a, Manage)
		fq := tx.Table(foldersTable).Select(`folders.id, folders.name, folders.parent_id, folders.deleted_at, folders.deleted_by,
			? AS retention_days,
			EXISTS (SELECT 1 FROM documents hd WHERE hd.tenant_id = folders.tenant_id AND hd.legal_hold
				AND hd.folder_id IN (SELECT hp.descendant_id FROM folder_paths hp WHERE hp.tenant_id = folders.tenant_id AND hp.ancestor_id = folders.id)) AS legal_hold`,
			tx.Expr(effectiveRetention("folders.id"))).
			Where("folders.deleted_at IS NOT NULL AND folders.trash_root_id = folders.id").Where(tx.Expr(facc, fargs...))
		dacc, dargs := accessFilter("documents.folder_id", a, Write)
		dq := tx.Table(documentsTable).Select(`documents.id, documents.title AS name, documents.folder_id AS parent_id,
			documents.deleted_at, documents.deleted_by, ? AS retention_days,
			documents.legal_hold`, tx.Expr(effectiveRetention("documents.folder_id"))).
			Where("documents.deleted_at IS NOT NULL AND documents.trash_root_id = documents.id").Where(tx.Expr(dacc, dargs...))
		if cur != nil {
			fq = fq.Where("(folders.deleted_at, folders.id) < (?, ?)", *cur.Time, cur.ID)
			dq = dq.Where("(documents.deleted_at, documents.id) < (?, ?)", *cur.Time, cur.ID)
		}
		if err := fq.Order("folders.deleted_at DESC, folders.id DESC").Limit(limit + 1).Scan(&folders).Error; err != nil {
			return fmt.Errorf("documents: list trashed folders: %w", err)
		}
		if err := dq.Order("documents.deleted_at DESC, documents.id DESC").Limit(limit + 1).Scan(&docs).Error; err != nil {
			return fmt.Errorf("documents: list trashed documents: %w", err)
		}
		items := make([]TrashItem, 0, len(folders)+len(docs))
		for kind, rows := range map[string][]trashRow{"folder": folders, "document": docs} {
			for _, r := range rows {
				items = append(items, TrashItem{Kind: kind, ID: r.ID, Name: r.Name, ParentID: r.ParentID, DeletedAt: r.DeletedAt,
					DeletedBy: r.DeletedBy, RetentionDays: r.RetentionDays, LegalHold: r.LegalHold,
					PurgeableAt: r.DeletedAt.AddDate(0, 0, r.RetentionDays)})
			}
		}
		// Merge the two sorted pages (both already filtered in SQL).
		slices.SortFunc(items, func(x, y TrashItem) int {
			if c := y.DeletedAt.Compare(x.DeletedAt); c != 0 {
				return c
			}
			return cmp.Compare(y.ID.String(), x.ID.String())
		})
		if len(items) > limit {
			items = items[:limit]
			last := items[limit-1]
			t := last.DeletedAt
			out.NextCursor = cursor{Time: &t, ID: last.ID}.encode()
		}
		out.Items = items
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}
