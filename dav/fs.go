package dav

import (
	"context"
	"net/http"
	"os"
	"path"

	"github.com/google/uuid"
	"github.com/kollab/kollab/documents"
	"github.com/kollab/kollab/errs"
	"golang.org/x/net/webdav"
)

// fileSystem is a tenant's folder tree as the caller sees it, for one
// request: every operation is a call of the document service as the
// caller's membership.
type fileSystem struct{ rq *request }

var _ webdav.FileSystem = (*fileSystem)(nil)

// Stat implements webdav.FileSystem.
func (fsys *fileSystem) Stat(ctx context.Context, name string) (os.FileInfo, error) {
	if c := fsys.rq.caseRename; c != "" && slashClean(name) == c {
		return nil, os.ErrNotExist // the MOVE's source under its new spelling
	}
	n, err := fsys.rq.resolve(ctx, name)
	if err != nil {
		return nil, fsys.rq.fail(err)
	}
	return fsys.rq.info(n), nil
}

// OpenFile implements webdav.FileSystem. Opening for writing checks
// permission and check-outs at once, before any byte of a body is read;
// the document changes only when the bytes are complete.
func (fsys *fileSystem) OpenFile(ctx context.Context, name string, flag int, _ os.FileMode) (webdav.File, error) {
	rq := fsys.rq
	n, err := rq.resolve(ctx, name)
	// Without O_TRUNC the handler only patches properties (PROPPATCH):
	// a read-only file does, and never adds an empty revision.
	if flag&(os.O_WRONLY|os.O_RDWR) == 0 || flag&os.O_TRUNC == 0 {
		if err != nil {
			return nil, rq.fail(err)
		}
		if n.kind == kindDocument {
			return newDocFile(ctx, rq, n), nil
		}
		return &dirFile{rq: rq, ctx: ctx, n: n}, nil
	}
	if err == nil {
		if n.kind != kindDocument {
			return nil, rq.fail(errIsDir)
		}
		if n.doc.Access < documents.Write {
			return nil, rq.fail(errs.New(errs.Forbidden, ""))
		}
		if l := n.doc.Lock; l != nil && l.OwnerID != rq.actor.MembershipID {
			return nil, rq.fail(errs.New(errs.ResourceLocked, "Das Dokument ist von einer anderen Person ausgecheckt."))
		}
		parent, err := rq.resolve(ctx, path.Dir(n.path))
		if err != nil {
			return nil, rq.fail(err)
		}
		rq.replaced = true
		return &putFile{rq: rq, ctx: ctx, folder: parent.folder, title: n.doc.Title, doc: n.doc}, nil
	}
	if !isNotFound(err) {
		return nil, rq.fail(err)
	}
	if flag&os.O_CREATE == 0 {
		return nil, os.ErrNotExist
	}
	p := slashClean(name)
	parent, err := rq.resolve(ctx, path.Dir(p))
	if err != nil {
		return nil, rq.fail(err) // 409: the parent collection is missing
	}
	switch {
	case parent.kind == kindRoot:
		return nil, rq.fail(errNoRootDocs)
	case parent.kind != kindFolder:
		return nil, os.ErrNotExist
	case parent.folder.Access < documents.Write:
		return nil, rq.fail(errs.New(errs.Forbidden, ""))
	}
	return &putFile{rq: rq, ctx: ctx, folder: parent.folder, title: path.Base(p)}, nil
}

// Mkdir implements webdav.FileSystem: a new folder (a root folder in the
// tenant's root, which only admins may create).
func (fsys *fileSystem) Mkdir(ctx context.Context, name string, _ os.FileMode) error {
	rq := fsys.rq
	if _, err := rq.resolve(ctx, name); err == nil {
		return os.ErrExist
	} else if !isNotFound(err) {
		return rq.fail(err)
	}
	p := slashClean(name)
	parent, err := rq.resolve(ctx, path.Dir(p))
	if err != nil {
		return rq.fail(err)
	}
	if parent.kind == kindDocument {
		return os.ErrNotExist
	}
	if err := rq.countCopy(); err != nil {
		return err
	}
	_, err = rq.svc().CreateFolder(ctx, rq.actor, parent.folderID(), path.Base(p))
	rq.invalidate()
	if errs.Is(err, errs.Conflict) {
		return os.ErrExist // created meanwhile: 405 as for an existing one
	}
	return rq.fail(err)
}

// RemoveAll implements webdav.FileSystem: documents and folders (with
// everything in them) go to the trash, from where they can be restored.
// Nothing is ever purged over WebDAV.
func (fsys *fileSystem) RemoveAll(ctx context.Context, name string) error {
	rq := fsys.rq
	n, err := rq.resolve(ctx, name)
	if err != nil {
		return rq.fail(err)
	}
	switch {
	case n.kind == kindRoot:
		err = errs.New(errs.Forbidden, "")
	case n.kind == kindFolder:
		err = rq.svc().DeleteFolder(ctx, rq.actor, n.folder.ID)
	case rq.method == "MOVE":
		// A MOVE over an existing document (Overwrite: T) deletes the
		// destination first. Rename decides what becomes of it: a document
		// moved over it only gives it new content (its history stays).
		rq.overwritten = n.doc
		return nil
	default:
		err = rq.svc().DeleteDocument(ctx, rq.actor, n.doc.ID, 0)
	}
	rq.invalidate()
	return rq.fail(err)
}

// Rename implements webdav.FileSystem (MOVE): a move to another folder,
// a new name, or both. The two are separate service calls; when the move
// fails after a rename, the rename is undone.
func (fsys *fileSystem) Rename(ctx context.Context, oldName, newName string) error {
	rq := fsys.rq
	src, err := rq.resolve(ctx, oldName)
	if err != nil {
		return rq.fail(err)
	}
	dst := slashClean(newName)
	parent, err := rq.resolve(ctx, path.Dir(dst))
	if err != nil || parent.kind == kindDocument {
		return rq.failStatus(http.StatusConflict, "Der Zielordner existiert nicht.")
	}
	name := path.Base(dst)
	defer rq.invalidate()
	if over := rq.overwritten; over != nil {
		rq.overwritten = nil
		if src.kind == kindDocument {
			// Save by temporary file: the destination keeps its identity
			// and history and gets the moved document's content.
			_, _, err := rq.svc().ReplaceContent(ctx, rq.actor, over.ID, src.doc.ID, 0)
			return rq.fail(err)
		}
		if err := rq.svc().DeleteDocument(ctx, rq.actor, over.ID, 0); err != nil {
			return rq.fail(err)
		}
		rq.invalidate()
	}
	switch src.kind {
	case kindRoot:
		return rq.fail(errs.New(errs.Forbidden, ""))
	case kindFolder:
		return rq.fail(rq.moveFolder(ctx, src.folder, parent.folderID(), name))
	}
	if parent.kind == kindRoot {
		return rq.fail(errNoRootDocs)
	}
	return rq.fail(rq.moveDocument(ctx, src.doc, parent.folder.ID, name))
}

func (rq *request) moveFolder(ctx context.Context, f *documents.Folder, parentID uuid.UUID, name string) error {
	svc, a := rq.svc(), rq.actor
	oldParent := uuid.Nil
	if f.ParentID != nil {
		oldParent = *f.ParentID
	}
	renamed := false
	if name != f.Name {
		if _, err := svc.RenameFolder(ctx, a, f.ID, name); err != nil {
			return err
		}
		renamed = true
	}
	if parentID != oldParent {
		if _, err := svc.MoveFolder(ctx, a, f.ID, parentID); err != nil {
			if renamed {
				_, _ = svc.RenameFolder(ctx, a, f.ID, f.Name)
			}
			return err
		}
	}
	return nil
}

func (rq *request) moveDocument(ctx context.Context, d *documents.Document, folderID uuid.UUID, title string) error {
	svc, a := rq.svc(), rq.actor
	version := d.Version
	renamed := false
	if title != d.Title {
		nd, err := svc.UpdateDocument(ctx, a, d.ID, version, documents.DocumentPatch{Title: &title})
		if err != nil {
			return err
		}
		version, renamed = nd.Version, true
	}
	if folderID != d.FolderID {
		if _, err := svc.MoveDocument(ctx, a, d.ID, folderID, version); err != nil {
			if renamed {
				old := d.Title
				_, _ = svc.UpdateDocument(ctx, a, d.ID, version, documents.DocumentPatch{Title: &old})
			}
			return err
		}
	}
	return nil
}
