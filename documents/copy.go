package documents

import (
	"context"
	"fmt"
	"path"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"
	"github.com/kollab/kollab/internal/db"
	"github.com/kollab/kollab/internal/errs"
	"github.com/kollab/kollab/tenant"
)

// CopyDocument copies a live document's metadata (title, description, file
// plan reference, tags, free fields) into a live folder: read permission on
// the source, write on the destination, with the source's current content
// as its first revision (the bytes are shared, not copied; they count
// against the quota). The copy starts without lock or hold. An empty title
// keeps the source's, made unique in the destination ("… (Kopie).pdf");
// the file name is the source's, made unique the same way.
func (s *Service) CopyDocument(ctx context.Context, a tenant.Actor, id, folderID uuid.UUID, title string) (*Document, error) {
	return s.copyDocument(ctx, a, id, folderID, title, "")
}

// CopyDocumentAs is CopyDocument under a file name the client chose (a
// WebDAV COPY): it must follow the file-name rules and be free in the
// destination (errs.Invalid, errs.Conflict). The copy keeps the source's
// title (made unique) unless the title was the source's file name: then
// the new file name is its title too.
func (s *Service) CopyDocumentAs(ctx context.Context, a tenant.Actor, id, folderID uuid.UUID, fileName string) (*Document, error) {
	fileName, err := ValidateFileName(fileName)
	if err != nil {
		return nil, err
	}
	return s.copyDocument(ctx, a, id, folderID, "", fileName)
}

func (s *Service) copyDocument(ctx context.Context, a tenant.Actor, id, folderID uuid.UUID, title, fileName string) (*Document, error) {
	var out *Document
	err := s.run(ctx, a, func(tx *db.Tx) error {
		src, err := s.readDocument(tx, a, id, live)
		if err != nil {
			return err
		}
		dest, err := loadFolder(tx, a, folderID, live)
		if err != nil {
			return err
		}
		if err := need(dest.Access, Write); err != nil {
			return err
		}
		if err := shareFolder(tx, folderID); err != nil {
			return err
		}
		in := DocumentInput{Title: src.Title, Description: src.Description, FilePlanRef: src.FilePlanRef, Tags: src.Tags, Metadata: src.Metadata}
		switch {
		case fileName != "":
			in.FileName = fileName
			if src.Title == src.FileName {
				in.Title, in.titleFromName = fileName, true
			} else if in.Title, err = freeCopyTitle(tx, folderID, in.Title); err != nil {
				return err
			}
		case title != "":
			if in.Title, err = validateTitle(title); err != nil {
				return err
			}
		default:
			if in.Title, err = freeCopyTitle(tx, folderID, in.Title); err != nil {
				return err
			}
		}
		if in.FileName == "" {
			in.FileName, err = freeCopyName(src.FileName, MaxNameLen, func(n string) error {
				return fileNameFree(tx, folderID, n, uuid.Nil)
			})
			if errs.Is(err, errs.Conflict) {
				in.FileName, err = freeFileName(tx, folderID, src.FileName, uuid.Nil)
			}
			if err != nil {
				return err
			}
		}
		newID, err := insertDocument(tx, a, folderID, in, s.now())
		if err != nil {
			return err
		}
		if err := copyContent(tx, a, map[uuid.UUID]uuid.UUID{id: newID}, s.now()); err != nil {
			return err
		}
		if err := record(ctx, tx, a, ActionDocumentCopied, "document", newID,
			map[string]string{"source_id": id.String(), "folder_id": folderID.String()}); err != nil {
			return err
		}
		out, err = s.readDocument(tx, a, newID, live)
		return err
	})
	return out, err
}

// CopyFolder deep-copies a live folder into a live destination folder
// (write permission there; admins only for uuid.Nil, a new root). The copy
// holds every live subfolder and document the actor can read, reached
// through readable folders only. Copies carry names and document metadata,
// not permissions, retention, holds or locks: they inherit the
// destination's permissions and policy. An empty name keeps the source's.
func (s *Service) CopyFolder(ctx context.Context, a tenant.Actor, id, destID uuid.UUID, name string) (*Folder, error) {
	var out *Folder
	err := s.run(ctx, a, func(tx *db.Tx) error {
		if err := lockTree(tx); err != nil {
			return err
		}
		src, err := loadFolder(tx, a, id, live)
		if err != nil {
			return err
		}
		if name == "" {
			name = src.Name
		}
		if name, err = validateName(name); err != nil {
			return err
		}
		var parent *uuid.UUID
		if destID == uuid.Nil {
			if !a.IsAdmin() {
				return errForbidden()
			}
		} else {
			dest, err := loadFolder(tx, a, destID, live)
			if err != nil {
				return err
			}
			if err := need(dest.Access, Write); err != nil {
				return err
			}
			if in, err := isInSubtree(tx, id, destID); err != nil {
				return err
			} else if in {
				return errs.New(errs.Conflict, errs.M("documents.folder-cannot-copied-itself-one", "Ein Ordner kann nicht in sich selbst oder einen seiner Unterordner kopiert werden.", "A folder cannot be copied into itself or one of its subfolders."))
			}
			parent = &dest.ID
		}
		folders, err := s.readableSubtree(tx, a, src)
		if err != nil {
			return err
		}
		newRoot, docs, err := s.writeCopy(tx, a, folders, parent, name)
		if err != nil {
			return err
		}
		if err := record(ctx, tx, a, ActionFolderCopied, "folder", newRoot, map[string]string{
			"source_id": id.String(), "parent_id": idString(parent),
			"folders": fmt.Sprint(len(folders)), "documents": fmt.Sprint(docs)}); err != nil {
			return err
		}
		f, err := loadFolder(tx, a, newRoot, live)
		if err == nil {
			out = &f.Folder
		}
		return err
	})
	return out, err
}

// readableSubtree lists src and, level by level, the live subfolders the
// actor can read below readable folders; parents precede children.
func (s *Service) readableSubtree(tx *db.Tx, a tenant.Actor, src *folderRow) ([]folderRow, error) {
	out := []folderRow{*src}
	level := []uuid.UUID{src.ID}
	for len(level) > 0 {
		var next []uuid.UUID
		for chunk := range slices.Chunk(level, 500) {
			acc, args := accessFilter("folders.id", a, Read)
			var rows []folderRow
			err := tx.Table(foldersTable).Select(folderCols).
				Where("folders.deleted_at IS NULL AND folders.parent_id IN ?", chunk).Where(tx.Expr(acc, args...)).
				Order("folders.name_key, folders.id").Scan(&rows).Error
			if err != nil {
				return nil, fmt.Errorf("documents: read subtree: %w", err)
			}
			for _, r := range rows {
				out = append(out, r)
				next = append(next, r.ID)
			}
		}
		if len(out) > s.maxCopyFolders {
			return nil, errs.New(errs.TooLarge, errs.M("documents.folder-contains-too-many-subfolders", "Der Ordner enthält zu viele Unterordner, um ihn auf einmal zu kopieren.", "The folder contains too many subfolders to copy it at once."))
		}
		level = next
	}
	return out, nil
}

// writeCopy inserts copies of folders (parents first; folders[0] becomes a
// child of parent under name) and of their live, readable documents.
func (s *Service) writeCopy(tx *db.Tx, a tenant.Actor, folders []folderRow, parent *uuid.UUID, name string) (uuid.UUID, int, error) {
	now := s.now()
	newIDs := make(map[uuid.UUID]uuid.UUID, len(folders))
	oldIDs := make([]uuid.UUID, 0, len(folders))
	for i, f := range folders {
		rec := &folderRecord{TenantID: a.TenantID, ID: db.NewID(), Name: f.Name, NameKey: foldKey(f.Name), InheritACL: true,
			CreatedAt: now, CreatedBy: a.MembershipID, UpdatedAt: now}
		if i == 0 {
			rec.ParentID, rec.Name, rec.NameKey = parent, name, foldKey(name)
		} else {
			p := newIDs[*f.ParentID]
			rec.ParentID = &p
		}
		if err := tx.Create(foldersTable, rec); err != nil {
			return uuid.Nil, 0, nameConflict(err)
		}
		if err := insertPaths(tx, rec.ID, rec.ParentID); err != nil {
			return uuid.Nil, 0, err
		}
		newIDs[f.ID] = rec.ID
		oldIDs = append(oldIDs, f.ID)
	}
	root := newIDs[folders[0].ID]
	if err := rebuildScope(tx, root); err != nil {
		return uuid.Nil, 0, err
	}
	count := 0
	for chunk := range slices.Chunk(oldIDs, 500) {
		acc, args := accessFilter("documents.folder_id", a, Read)
		var rows []docRow
		err := tx.Table(documentsTable).Select(documentCols).
			Where("documents.deleted_at IS NULL AND documents.folder_id IN ?", chunk).Where(tx.Expr(acc, args...)).
			Order("documents.id").Scan(&rows).Error
		if err != nil {
			return uuid.Nil, 0, fmt.Errorf("documents: read documents to copy: %w", err)
		}
		count += len(rows)
		if count > s.maxCopyDocuments {
			return uuid.Nil, 0, errs.New(errs.TooLarge, errs.M("documents.folder-contains-too-many-documents", "Der Ordner enthält zu viele Dokumente, um ihn auf einmal zu kopieren.", "The folder contains too many documents to copy it at once."))
		}
		ids := make([]uuid.UUID, len(rows))
		for i := range rows {
			ids[i] = rows[i].ID
		}
		tags, err := loadTags(tx, ids)
		if err != nil {
			return uuid.Nil, 0, err
		}
		pairs := make(map[uuid.UUID]uuid.UUID, len(rows))
		for _, r := range rows {
			in := DocumentInput{Title: r.Title, Description: r.Description, FilePlanRef: r.FilePlanRef, Tags: tags[r.ID], Metadata: r.Metadata,
				nameHint: r.FileName}
			nid, err := insertDocument(tx, a, newIDs[r.FolderID], in, now)
			if err != nil {
				return uuid.Nil, 0, err
			}
			pairs[r.ID] = nid
		}
		if err := copyContent(tx, a, pairs, now); err != nil {
			return uuid.Nil, 0, err
		}
	}
	return root, count, nil
}

// freeCopyTitle returns title if no live document of the folder has it,
// else the first free "name (Kopie).ext", "name (Kopie 2).ext", ….
func freeCopyTitle(tx *db.Tx, folderID uuid.UUID, title string) (string, error) {
	return freeCopyName(title, MaxTitleLen, func(t string) error { return titleFree(tx, folderID, t, uuid.Nil) })
}

// freeCopyName returns name if free says so, else the first free "name
// (Kopie).ext", "name (Kopie 2).ext", … of at most max characters.
func freeCopyName(title string, max int, free func(string) error) (string, error) {
	ext := path.Ext(title)
	if len(ext) > 10 || ext == title {
		ext = ""
	}
	base := strings.TrimSuffix(title, ext)
	for i := 0; i <= 50; i++ {
		cand := title
		switch i {
		case 0:
		case 1:
			cand = base + " (Kopie)" + ext
		default:
			cand = fmt.Sprintf("%s (Kopie %d)%s", base, i, ext)
		}
		if utf8.RuneCountInString(cand) > max {
			break
		}
		err := free(cand)
		if err == nil {
			return cand, nil
		}
		if e := errs.As(err); e == nil || e.Code != errs.Conflict {
			return "", err
		}
	}
	return "", errTitleTaken()
}

// copyContent gives each new document (value) the current revision of its
// source (key) as revision 1, sharing the object; the bytes count against
// the quota.
func copyContent(tx *db.Tx, a tenant.Actor, pairs map[uuid.UUID]uuid.UUID, now time.Time) error {
	if len(pairs) == 0 {
		return nil
	}
	src := make([]uuid.UUID, 0, len(pairs))
	for k := range pairs {
		src = append(src, k)
	}
	var revs []Revision
	err := tx.Table(revisionsTable).Select(revisionCols).
		Joins("JOIN documents ON documents.tenant_id = document_revisions.tenant_id AND documents.current_revision_id = document_revisions.id").
		Where("documents.id IN ?", src).Scan(&revs).Error
	if err != nil {
		return fmt.Errorf("documents: read revisions to copy: %w", err)
	}
	var total int64
	for _, r := range revs {
		total += r.Size
	}
	if len(revs) > 0 {
		if err := reserve(tx, total); err != nil {
			return err
		}
		if err := commitUsage(tx, total); err != nil {
			return err
		}
	}
	for _, r := range revs {
		nid := pairs[r.DocumentID]
		from := r.ID
		rev := &Revision{TenantID: a.TenantID, ID: db.NewID(), DocumentID: nid, Number: 1, StorageKey: r.StorageKey,
			Size: r.Size, SHA256: r.SHA256, ContentType: r.ContentType, FileName: r.FileName,
			Comment: fmt.Sprintf("Kopie von Version %d", r.Number), RestoredFrom: &from, CreatedAt: now, CreatedBy: a.MembershipID}
		if err := tx.Create(revisionsTable, rev); err != nil {
			return fmt.Errorf("documents: copy revision: %w", err)
		}
		if _, err := exec(tx, `UPDATE documents SET current_revision_id = ?, size_bytes = ?, content_type = ?, revision_count = 1
			WHERE tenant_id = @tenant AND id = ?`, rev.ID, rev.Size, rev.ContentType, nid); err != nil {
			return err
		}
		if _, err := exec(tx, `INSERT INTO extraction_jobs (tenant_id, revision_id, document_id, state, attempts, run_after, updated_at)
			VALUES (@tenant, ?, ?, 'pending', 0, ?, ?)`, rev.ID, nid, now, now); err != nil {
			return err
		}
	}
	return nil
}
