package documents

import (
	"context"
	"fmt"

	"github.com/google/uuid"
	"github.com/kollab/kollab/internal/db"
	"github.com/kollab/kollab/internal/errs"
	"github.com/kollab/kollab/tenant"
)

// Exact lookups by name and whole-folder listings, for WebDAV, where a
// path names folders and documents and a depth-1 PROPFIND lists a folder
// at once.

// FolderByName returns the live subfolder of parentID (uuid.Nil: among the
// actor's entry folders) named name, compared case-insensitively, if the
// actor can read it; errs.NotFound otherwise.
func (s *Service) FolderByName(ctx context.Context, a tenant.Actor, parentID uuid.UUID, name string) (*Folder, error) {
	var out *Folder
	err := s.run(ctx, a, func(tx *db.Tx) error {
		q := tx.Table(foldersTable).Select("folders.id").Where("folders.deleted_at IS NULL AND folders.name_key = ?", foldKey(name))
		if parentID == uuid.Nil {
			if a.IsAdmin() {
				q = q.Where("folders.parent_id IS NULL")
			} else {
				sub, args := allowedFolders(a, Read)
				q = q.Where(tx.Expr("(folders.parent_id IS NULL OR folders.parent_id NOT IN ("+sub+"))", args...))
			}
		} else {
			q = q.Where("folders.parent_id = ?", parentID)
		}
		var ids []uuid.UUID
		if err := q.Order("folders.id").Pluck("folders.id", &ids).Error; err != nil {
			return fmt.Errorf("documents: folder by name: %w", err)
		}
		for _, id := range ids { // entry folders of different parents may share a name
			f, err := loadFolder(tx, a, id, live)
			if err == nil {
				out = &f.Folder
				return nil
			}
			if !errs.Is(err, errs.NotFound) {
				return err
			}
		}
		return errNotFound()
	})
	return out, err
}

// DocumentByTitle returns the live document titled title (case-insensitive)
// in a folder the actor can read; errs.NotFound otherwise.
func (s *Service) DocumentByTitle(ctx context.Context, a tenant.Actor, folderID uuid.UUID, title string) (*Document, error) {
	var out *Document
	err := s.run(ctx, a, func(tx *db.Tx) error {
		var ids []uuid.UUID
		if err := tx.Table(documentsTable).Where("documents.folder_id = ? AND documents.title_key = ? AND documents.deleted_at IS NULL",
			folderID, foldKey(title)).Limit(1).Pluck("documents.id", &ids).Error; err != nil {
			return fmt.Errorf("documents: document by title: %w", err)
		}
		if len(ids) == 0 {
			return errNotFound()
		}
		var err error
		out, err = s.readDocument(tx, a, ids[0], live)
		return err
	})
	return out, err
}

// DocumentByFileName returns the live document with the file name name
// (compared in NFC, case-insensitively) in a folder the actor can read;
// errs.NotFound otherwise.
func (s *Service) DocumentByFileName(ctx context.Context, a tenant.Actor, folderID uuid.UUID, name string) (*Document, error) {
	var out *Document
	err := s.run(ctx, a, func(tx *db.Tx) error {
		var ids []uuid.UUID
		if err := tx.Table(documentsTable).Where("documents.folder_id = ? AND documents.file_name_key = ? AND documents.deleted_at IS NULL",
			folderID, FileNameKey(name)).Limit(1).Pluck("documents.id", &ids).Error; err != nil {
			return fmt.Errorf("documents: document by file name: %w", err)
		}
		if len(ids) == 0 {
			return errNotFound()
		}
		var err error
		out, err = s.readDocument(tx, a, ids[0], live)
		return err
	})
	return out, err
}

// FolderDocuments returns up to max live documents directly in a folder
// the actor can read, by file name, in one query and without tags (more
// is set when there were more).
func (s *Service) FolderDocuments(ctx context.Context, a tenant.Actor, folderID uuid.UUID, max int) (docs []Document, more bool, err error) {
	err = s.run(ctx, a, func(tx *db.Tx) error {
		f, err := loadFolder(tx, a, folderID, live)
		if err != nil {
			return err
		}
		var rows []docRow
		if err := tx.Table(documentsTable).Select(documentCols).Where("documents.folder_id = ? AND documents.deleted_at IS NULL", folderID).
			Order("documents.file_name_key, documents.id").Limit(max + 1).Scan(&rows).Error; err != nil {
			return fmt.Errorf("documents: list folder: %w", err)
		}
		if len(rows) > max {
			rows, more = rows[:max], true
		}
		now := s.now()
		docs = make([]Document, len(rows))
		for i := range rows {
			rows[i].Access = f.Access // every document has its folder's access
			docs[i] = rows[i].toDocument(now, nil)
		}
		return nil
	})
	return docs, more, err
}
