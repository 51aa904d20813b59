package documents

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/google/uuid"
	"github.com/kollab/kollab/internal/db"
	"github.com/kollab/kollab/internal/errs"
	"github.com/kollab/kollab/meetings/publication"
	"github.com/kollab/kollab/tenant"
	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// PurgeResult says what a purge removed for good.
type PurgeResult struct {
	Documents []uuid.UUID
	Folders   []uuid.UUID
	// FreedBytes is the size of the purged revisions, returned to the
	// quota. Their objects are deleted by the sweeper once no revision
	// references them (restores and copies share objects).
	FreedBytes int64
	// More is set by EmptyTrash when it stopped at its batch limit.
	More bool
}

// Batch limits of one EmptyTrash call.
const (
	emptyTrashDocuments = 500
	emptyTrashFolders   = 100
)

func errRetained() error {
	return errs.New(errs.Conflict, errs.M("documents.retention-period-not-ended-yet", "Die Aufbewahrungsfrist ist noch nicht abgelaufen; endgültiges Löschen ist noch nicht erlaubt.", "The retention period has not ended yet; final deletion is not allowed yet."))
}

// forUpdate locks the selected rows on PostgreSQL (SQLite has one writer).
func forUpdate(tx *db.Tx, q *gorm.DB) *gorm.DB {
	if isPostgres(tx) {
		return q.Clauses(clause.Locking{Strength: "UPDATE", Table: clause.Table{Name: documentsTable}})
	}
	return q
}

type purgeCandidate struct {
	ID    uuid.UUID `gorm:"column:id"`
	Title string    `gorm:"column:title"`
}

// PurgeDocument deletes a trashed document for good: manage permission on
// its folder, its folder's retention period passed since deletion, and no
// legal hold (otherwise errs.Conflict). Recorded in the audit log.
func (s *Service) PurgeDocument(ctx context.Context, a tenant.Actor, id uuid.UUID) (*PurgeResult, error) {
	out := &PurgeResult{}
	err := s.run(ctx, a, func(tx *db.Tx) error {
		now := s.now()
		r, err := loadDocument(tx, a, id, trashed)
		if err != nil {
			return err
		}
		if err := need(r.Access, Manage); err != nil {
			return err
		}
		if r.LegalHold {
			return errHeld()
		}
		var due []purgeCandidate
		q := tx.Table(documentsTable).Select("documents.id, documents.title").
			Where("documents.id = ? AND documents.deleted_at IS NOT NULL AND NOT documents.legal_hold", id).
			Where(tx.Expr(dueCondition(tx, "documents.deleted_at", "documents.folder_id"), now))
		if err := forUpdate(tx, q).Scan(&due).Error; err != nil {
			return fmt.Errorf("documents: check retention: %w", err)
		}
		if len(due) == 0 {
			return errRetained()
		}
		return s.purgeDocuments(ctx, tx, a, due, out)
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// purgeDocuments deletes trashed, unheld documents (already locked) and
// records each deletion.
func (s *Service) purgeDocuments(ctx context.Context, tx *db.Tx, a tenant.Actor, docs []purgeCandidate, out *PurgeResult) error {
	for chunk := range slices.Chunk(docs, 500) {
		ids := make([]uuid.UUID, len(chunk))
		for i, d := range chunk {
			ids[i] = d.ID
		}
		if err := publication.Watch(tx, publication.Documents(ids...)); err != nil { // OParl tombstones
			return err
		}
		freed, err := revisionBytes(tx, ids)
		if err != nil {
			return err
		}
		res := tx.Table(documentsTable).Where("documents.id IN ? AND documents.deleted_at IS NOT NULL AND NOT documents.legal_hold", ids).
			Delete(&documentRecord{})
		if res.Error != nil {
			return fmt.Errorf("documents: purge: %w", res.Error)
		}
		if res.RowsAffected != int64(len(ids)) {
			return errs.New(errs.Conflict, errs.M("documents.trash-changed-same-time", "Der Papierkorb wurde gerade gleichzeitig geändert. Bitte erneut versuchen.", "The trash was changed at the same time. Please try again."))
		}
		for _, d := range chunk {
			if err := record(ctx, tx, a, ActionDocumentPurged, "document", d.ID, map[string]string{"title": d.Title}); err != nil {
				return err
			}
		}
		out.Documents = append(out.Documents, ids...)
		if freed > 0 {
			if _, err := exec(tx, `UPDATE storage_usage SET used_bytes = CASE WHEN used_bytes >= ? THEN used_bytes - ? ELSE 0 END
				WHERE tenant_id = @tenant`, freed, freed); err != nil {
				return err
			}
		}
		out.FreedBytes += freed
	}
	return nil
}

// revisionBytes sums the sizes of the documents' revisions.
func revisionBytes(tx *db.Tx, ids []uuid.UUID) (int64, error) {
	var sum []int64
	err := tx.Table(revisionsTable).Select("COALESCE(SUM(size_bytes), 0)").Where("document_revisions.document_id IN ?", ids).Scan(&sum).Error
	if err != nil || len(sum) != 1 {
		return 0, fmt.Errorf("documents: sum revision sizes: %v", err)
	}
	return sum[0], nil
}

// PurgeFolder deletes a trashed folder and everything in its subtree for
// good: manage permission on every folder inside, and every document
// inside past its retention and without legal hold (otherwise errs.Conflict).
func (s *Service) PurgeFolder(ctx context.Context, a tenant.Actor, id uuid.UUID) (*PurgeResult, error) {
	out := &PurgeResult{}
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
		if err := folderPurgeBlocker(tx, a, id, s.now()); err != nil {
			return err
		}
		return s.purgeFolder(ctx, tx, a, f, out)
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// folderPurgeBlocker explains why a trashed folder's subtree may not be
// purged yet, or returns nil.
func folderPurgeBlocker(tx *db.Tx, a tenant.Actor, id uuid.UUID, now time.Time) error {
	var n int64
	if err := tx.Table(foldersTable).Where("folders.id = ?", id).
		Where(tx.Expr(dueCondition(tx, "folders.deleted_at", "folders.id"), now)).Count(&n).Error; err != nil {
		return fmt.Errorf("documents: check retention: %w", err)
	}
	if n == 0 {
		return errRetained()
	}
	if err := tx.Table(foldersTable).Where(tx.Expr("folders.deleted_at IS NULL AND folders.id IN ("+subtree+")", id)).Count(&n).Error; err != nil {
		return err
	}
	if n > 0 {
		return errs.New(errs.Conflict, errs.M("documents.folder-contains-subfolders-not-deleted", "Der Ordner enthält nicht gelöschte Unterordner.", "The folder contains subfolders that are not deleted."))
	}
	inside := "documents.folder_id IN (" + subtree + ")"
	if err := tx.Table(documentsTable).Where(tx.Expr(inside+" AND documents.legal_hold", id)).Count(&n).Error; err != nil {
		return err
	}
	if n > 0 {
		return errHeld()
	}
	due := dueCondition(tx, "documents.deleted_at", "documents.folder_id")
	if err := tx.Table(documentsTable).Where(tx.Expr(inside, id)).
		Where(tx.Expr("documents.deleted_at IS NULL OR NOT ("+due+")", now)).Count(&n).Error; err != nil {
		return err
	}
	if n > 0 {
		return errRetained()
	}
	if !a.IsAdmin() {
		acc, args := accessFilter("folders.id", a, Manage)
		if err := tx.Table(foldersTable).Where(tx.Expr("folders.id IN ("+subtree+")", id)).
			Where(tx.Expr("NOT ("+acc+")", args...)).Count(&n).Error; err != nil {
			return err
		}
		if n > 0 {
			return errs.New(errs.Forbidden, errs.M("documents.folder-contains-subfolders-not-allowed", "Der Ordner enthält Unterordner, die Sie nicht verwalten dürfen.", "The folder contains subfolders you are not allowed to manage."))
		}
	}
	return nil
}

// purgeFolder deletes the documents and folders of a trashed subtree that
// folderPurgeBlocker cleared.
func (s *Service) purgeFolder(ctx context.Context, tx *db.Tx, a tenant.Actor, f *folderRow, out *PurgeResult) error {
	var docs []purgeCandidate
	q := tx.Table(documentsTable).Select("documents.id, documents.title").
		Where(tx.Expr("documents.folder_id IN ("+subtree+")", f.ID)).Order("documents.id")
	if err := forUpdate(tx, q).Scan(&docs).Error; err != nil {
		return fmt.Errorf("documents: list folder documents: %w", err)
	}
	if err := s.purgeDocuments(ctx, tx, a, docs, out); err != nil {
		return err
	}
	var folders []struct {
		ID    uuid.UUID `gorm:"column:descendant_id"`
		Depth int       `gorm:"column:depth"`
	}
	if err := tx.Table(pathsTable).Select("descendant_id, depth").Where("ancestor_id = ?", f.ID).
		Order("depth DESC, descendant_id").Scan(&folders).Error; err != nil {
		return fmt.Errorf("documents: list subtree: %w", err)
	}
	// Deepest first, so that no chunk leaves a child without its parent.
	ids := make([]uuid.UUID, len(folders))
	for i, x := range folders {
		ids[i] = x.ID
	}
	for chunk := range slices.Chunk(ids, 500) {
		if _, err := exec(tx, "DELETE FROM folders WHERE tenant_id = @tenant AND deleted_at IS NOT NULL AND id IN ?", chunk); err != nil {
			return err
		}
	}
	out.Folders = append(out.Folders, ids...)
	return record(ctx, tx, a, ActionFolderPurged, "folder", f.ID,
		map[string]string{"name": f.Name, "folders": fmt.Sprint(len(ids)), "documents": fmt.Sprint(len(docs))})
}

// EmptyTrash purges, in one transaction, every trashed document the actor
// may manage whose retention has passed and that has no legal hold, then
// every trashed folder the actor may manage whose whole subtree can go.
// It stops after a batch (More is then set); call it again to continue.
func (s *Service) EmptyTrash(ctx context.Context, a tenant.Actor) (*PurgeResult, error) {
	out := &PurgeResult{}
	err := s.run(ctx, a, func(tx *db.Tx) error {
		if err := lockTree(tx); err != nil {
			return err
		}
		now := s.now()
		acc, args := accessFilter("documents.folder_id", a, Manage)
		var docs []purgeCandidate
		q := tx.Table(documentsTable).Select("documents.id, documents.title").
			Where("documents.deleted_at IS NOT NULL AND NOT documents.legal_hold").Where(tx.Expr(acc, args...)).
			Where(tx.Expr(dueCondition(tx, "documents.deleted_at", "documents.folder_id"), now)).
			Order("documents.deleted_at, documents.id").Limit(emptyTrashDocuments + 1)
		if err := forUpdate(tx, q).Scan(&docs).Error; err != nil {
			return fmt.Errorf("documents: find purgeable documents: %w", err)
		}
		if len(docs) > emptyTrashDocuments {
			docs, out.More = docs[:emptyTrashDocuments], true
		}
		if err := s.purgeDocuments(ctx, tx, a, docs, out); err != nil {
			return err
		}
		facc, fargs := accessFilter("folders.id", a, Manage)
		var roots []folderRow
		if err := tx.Table(foldersTable).Select(folderCols).
			Where("folders.deleted_at IS NOT NULL AND folders.trash_root_id = folders.id").Where(tx.Expr(facc, fargs...)).
			Where(tx.Expr(dueCondition(tx, "folders.deleted_at", "folders.id"), now)).
			Order("folders.deleted_at, folders.id").Limit(emptyTrashFolders + 1).Scan(&roots).Error; err != nil {
			return fmt.Errorf("documents: find purgeable folders: %w", err)
		}
		if len(roots) > emptyTrashFolders {
			roots, out.More = roots[:emptyTrashFolders], true
		}
		for i := range roots {
			// A root inside an already purged subtree is gone by now.
			var n int64
			if err := tx.Table(foldersTable).Where("id = ?", roots[i].ID).Count(&n).Error; err != nil {
				return err
			}
			if n == 0 {
				continue
			}
			if err := folderPurgeBlocker(tx, a, roots[i].ID, now); err != nil {
				if e := errs.As(err); e != nil && (e.Code == errs.Conflict || e.Code == errs.Forbidden) {
					continue // not yet, or not this actor's to purge
				}
				return err
			}
			if err := s.purgeFolder(ctx, tx, a, &roots[i], out); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}
