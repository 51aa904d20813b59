package dav

import (
	"bytes"
	"errors"
	"fmt"
	"net/http"
	"os"
	"path"
	"time"

	"github.com/google/uuid"
	"github.com/kollab/kollab/documents"
	"github.com/kollab/kollab/internal/db"
	"github.com/kollab/kollab/internal/errs"
	"gorm.io/gorm"
)

// Helper files.
//
// Finder writes .DS_Store and ._name beside a user's files, Explorer
// Thumbs.db and desktop.ini, Office ~$name owner files and LibreOffice
// .~lock.name# lock files (documents.IsOSHelperName). Refusing them makes
// the programs complain or fail; storing them as documents would fill the
// web app, the search and the revisions with noise. So they live in
// dav_files: per member and folder (a member sees only the helper files
// they wrote), at most maxHelperSize bytes each, maxHelpersPerFolder per
// member and folder and maxHelperBytes per tenant, never a document, never
// a revision (and at most maxHelperFiles per tenant), and the sweeper
// removes each a day (documents.OSHelperTTL)
// after its last write. Writing one needs write permission on the folder
// (anyone may keep them in the tenant's root, which only lists folders).

const filesTable = "dav_files"

// Bounds of helper files.
const (
	maxHelperSize       = 1 << 20
	maxHelpersPerFolder = 1000
	maxHelperBytes      = 256 << 20
	maxHelperFiles      = 100000
)

// helperRow is a row of dav_files (Content only when read for GET).
type helperRow struct {
	TenantID  uuid.UUID `gorm:"column:tenant_id"`
	ID        uuid.UUID `gorm:"column:id"`
	FolderID  uuid.UUID `gorm:"column:folder_id"`
	OwnerID   uuid.UUID `gorm:"column:owner_id"`
	Name      string    `gorm:"column:name"`
	NameKey   string    `gorm:"column:name_key"`
	Size      int64     `gorm:"column:size_bytes"`
	Content   []byte    `gorm:"column:content"`
	CreatedAt time.Time `gorm:"column:created_at"`
	UpdatedAt time.Time `gorm:"column:updated_at"`
}

// OwnerTenant implements db.TenantOwned.
func (r *helperRow) OwnerTenant() uuid.UUID { return r.TenantID }

const helperCols = "dav_files.tenant_id, dav_files.id, dav_files.folder_id, dav_files.owner_id, dav_files.name, " +
	"dav_files.name_key, dav_files.size_bytes, dav_files.created_at, dav_files.updated_at"

// isHelper reports whether a path's last segment names a helper file.
func isHelper(name string) bool { return documents.IsOSHelperName(path.Base(slashClean(name))) }

// helpers is the caller's query on dav_files: its own, not expired.
func (rq *request) helpers(tx *db.Tx) *gorm.DB {
	return tx.Table(filesTable).Where("dav_files.owner_id = ? AND dav_files.updated_at >= ?",
		rq.actor.MembershipID, rq.s.now().Add(-documents.OSHelperTTL))
}

// findHelper returns the caller's helper file name in a folder (uuid.Nil:
// the root); os.ErrNotExist when there is none.
func (rq *request) findHelper(folderID uuid.UUID, name string) (*helperRow, error) {
	var rows []helperRow
	err := rq.tx(func(tx *db.Tx) error {
		return rq.helpers(tx).Select(helperCols).Where("dav_files.folder_id = ? AND dav_files.name_key = ?", folderID, key(name)).
			Limit(1).Find(&rows).Error
	})
	if err != nil {
		return nil, fmt.Errorf("dav: find helper file: %w", err)
	}
	if len(rows) == 0 {
		return nil, os.ErrNotExist
	}
	return &rows[0], nil
}

// listHelpers returns the caller's helper files in a folder.
func (rq *request) listHelpers(folderID uuid.UUID) ([]helperRow, error) {
	var rows []helperRow
	err := rq.tx(func(tx *db.Tx) error {
		return rq.helpers(tx).Select(helperCols).Where("dav_files.folder_id = ?", folderID).
			Order("dav_files.name_key").Limit(maxHelpersPerFolder).Find(&rows).Error
	})
	if err != nil {
		return nil, fmt.Errorf("dav: list helper files: %w", err)
	}
	return rows, nil
}

// helperContent reads a helper file's bytes.
func (rq *request) helperContent(id uuid.UUID) ([]byte, error) {
	var rows []helperRow
	err := rq.tx(func(tx *db.Tx) error {
		return rq.helpers(tx).Select("dav_files.content").Where("dav_files.id = ?", id).Limit(1).Find(&rows).Error
	})
	if err != nil {
		return nil, fmt.Errorf("dav: read helper file: %w", err)
	}
	if len(rows) == 0 {
		return nil, os.ErrNotExist
	}
	return rows[0].Content, nil
}

// mayWriteHelper checks write permission for helper files in a folder.
func (rq *request) mayWriteHelper(folderID uuid.UUID) error {
	if folderID == uuid.Nil {
		return nil
	}
	f, err := rq.svc().GetFolder(rq.ctx, rq.actor, folderID)
	if err != nil {
		return rq.fail(err)
	}
	if f.Access < documents.Write {
		return rq.fail(errs.Plain(errs.Forbidden))
	}
	return nil
}

var errHelperFull = &statusError{code: http.StatusInsufficientStorage,
	detail: "Zu viele Hilfsdateien (z. B. .DS_Store, Thumbs.db) in diesem Ordner oder Mandanten."}

// writeHelper stores content as the caller's helper file name in a folder,
// replacing one of the same name.
func (rq *request) writeHelper(folderID uuid.UUID, name string, content []byte) (*helperRow, error) {
	if len(content) > maxHelperSize {
		return nil, rq.failStatus(http.StatusRequestEntityTooLarge, "Eine Hilfsdatei (z. B. .DS_Store) darf höchstens 1 MiB groß sein.")
	}
	now := rq.s.now()
	row := &helperRow{TenantID: rq.actor.TenantID, ID: uuid.New(), FolderID: folderID, OwnerID: rq.actor.MembershipID,
		Name: name, NameKey: key(name), Size: int64(len(content)), Content: content, CreatedAt: now, UpdatedAt: now}
	if row.Content == nil {
		row.Content = []byte{}
	}
	err := rq.tx(func(tx *db.Tx) error {
		if err := serialise(tx); err != nil {
			return err
		}
		var old []helperRow
		if err := tx.Table(filesTable).Select(helperCols).Where("dav_files.folder_id = ? AND dav_files.owner_id = ? AND dav_files.name_key = ?",
			folderID, rq.actor.MembershipID, row.NameKey).Find(&old).Error; err != nil {
			return err
		}
		var count int64
		if err := tx.Table(filesTable).Where("dav_files.folder_id = ? AND dav_files.owner_id = ?", folderID, rq.actor.MembershipID).
			Count(&count).Error; err != nil {
			return err
		}
		var all struct {
			Files int64 `gorm:"column:files"`
			Bytes int64 `gorm:"column:bytes"`
		}
		if err := tx.Table(filesTable).Select("COUNT(*) AS files, COALESCE(SUM(dav_files.size_bytes), 0) AS bytes").Scan(&all).Error; err != nil {
			return err
		}
		total := all.Bytes
		if len(old) > 0 {
			count, total, all.Files = count-1, total-old[0].Size, all.Files-1
			// Replaced in place: the file keeps its creation time.
			row.ID, row.CreatedAt = old[0].ID, old[0].CreatedAt
			if err := tx.Table(filesTable).Where("dav_files.id = ?", old[0].ID).Delete(&helperRow{}).Error; err != nil {
				return err
			}
		}
		if count+1 > maxHelpersPerFolder || all.Files+1 > maxHelperFiles || total+row.Size > maxHelperBytes {
			return errHelperFull
		}
		return tx.Create(filesTable, row)
	})
	if err != nil {
		var se *statusError
		if errors.As(err, &se) {
			return nil, rq.fail(err)
		}
		return nil, rq.fail(fmt.Errorf("dav: write helper file: %w", err))
	}
	row.Content = nil
	rq.invalidate()
	return row, nil
}

// deleteHelper removes one of the caller's helper files.
func (rq *request) deleteHelper(id uuid.UUID) error {
	err := rq.tx(func(tx *db.Tx) error {
		return tx.Table(filesTable).Where("dav_files.id = ? AND dav_files.owner_id = ?", id, rq.actor.MembershipID).
			Delete(&helperRow{}).Error
	})
	rq.invalidate()
	if err != nil {
		return rq.fail(fmt.Errorf("dav: delete helper file: %w", err))
	}
	return nil
}

// moveHelper renames and/or moves a helper file (replacing one of the new
// name).
func (rq *request) moveHelper(f *helperRow, folderID uuid.UUID, name string) error {
	if err := rq.mayWriteHelper(folderID); err != nil {
		return err
	}
	err := rq.tx(func(tx *db.Tx) error {
		if err := tx.Table(filesTable).Where("dav_files.folder_id = ? AND dav_files.owner_id = ? AND dav_files.name_key = ? AND dav_files.id <> ?",
			folderID, rq.actor.MembershipID, key(name), f.ID).Delete(&helperRow{}).Error; err != nil {
			return err
		}
		return tx.Table(filesTable).Where("dav_files.id = ?", f.ID).
			Updates(map[string]any{"folder_id": folderID, "name": name, "name_key": key(name), "updated_at": rq.s.now()}).Error
	})
	rq.invalidate()
	if err != nil {
		return rq.fail(fmt.Errorf("dav: move helper file: %w", err))
	}
	return nil
}

// helperFile is a helper file opened for reading; its bytes are read on
// first use (a PROPFIND opens it only for its properties).
type helperFile struct {
	resourceProps
	r *bytes.Reader
}

func (rq *request) openHelper(n *node) (*helperFile, error) {
	return &helperFile{resourceProps: resourceProps{rq: rq, n: n}}, nil
}

func (f *helperFile) load() error {
	if f.r != nil {
		return nil
	}
	b, err := f.rq.helperContent(f.n.file.ID)
	if err != nil {
		return f.rq.fail(err)
	}
	f.r = bytes.NewReader(b)
	return nil
}

func (f *helperFile) Read(p []byte) (int, error) {
	if err := f.load(); err != nil {
		return 0, err
	}
	return f.r.Read(p)
}

func (f *helperFile) Seek(off int64, whence int) (int64, error) {
	if err := f.load(); err != nil {
		return 0, err
	}
	return f.r.Seek(off, whence)
}

func (f *helperFile) Close() error                       { return nil }
func (f *helperFile) Readdir(int) ([]os.FileInfo, error) { return nil, errNotAFile }
func (f *helperFile) Stat() (os.FileInfo, error)         { return f.rq.info(f.n), nil }
func (f *helperFile) Write([]byte) (int, error)          { return 0, errors.New("dav: opened for reading") }

// helperWriter is a helper file opened for writing (PUT, a COPY's
// destination, a LOCK on a new name): the bytes are kept (at most
// maxHelperSize) and stored by Stat or Close.
type helperWriter struct {
	rq       *request
	folderID uuid.UUID
	name     string
	buf      bytes.Buffer
	done     bool
	result   *helperRow
	err      error
}

// Write implements io.Writer.
func (f *helperWriter) Write(p []byte) (int, error) {
	if f.done {
		return 0, errors.New("dav: file already written")
	}
	if f.buf.Len()+len(p) > maxHelperSize {
		f.err = f.rq.failStatus(http.StatusRequestEntityTooLarge, "Eine Hilfsdatei (z. B. .DS_Store) darf höchstens 1 MiB groß sein.")
		return 0, f.err
	}
	return f.buf.Write(p)
}

func (f *helperWriter) commit() error {
	if f.done {
		return f.err
	}
	f.done = true
	if f.err != nil {
		return f.err
	}
	f.result, f.err = f.rq.writeHelper(f.folderID, f.name, f.buf.Bytes())
	return f.err
}

// Stat implements http.File; it stores the bytes first, so that the
// entity tag the handler answers with is the new one.
func (f *helperWriter) Stat() (os.FileInfo, error) {
	if err := f.commit(); err != nil {
		return nil, err
	}
	return f.rq.info(&node{kind: kindHelper, file: f.result}), nil
}

// Close implements io.Closer.
func (f *helperWriter) Close() error { return f.commit() }

func (f *helperWriter) Read([]byte) (int, error) { return 0, errors.New("dav: opened for writing") }
func (f *helperWriter) Seek(int64, int) (int64, error) {
	return 0, errors.New("dav: opened for writing")
}
func (f *helperWriter) Readdir(int) ([]os.FileInfo, error) { return nil, errNotAFile }
