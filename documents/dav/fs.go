package dav

import (
	"context"
	"net/http"
	"os"
	"path"
	"strings"

	"github.com/google/uuid"
	"github.com/kollab/kollab/documents"
	"github.com/kollab/kollab/internal/errs"
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
		switch n.kind {
		case kindDocument:
			return newDocFile(ctx, rq, n), nil
		case kindHelper:
			return rq.openHelper(n)
		}
		return &dirFile{resourceProps: resourceProps{rq: rq, n: n}, ctx: ctx}, nil
	}
	if err == nil {
		switch n.kind {
		case kindHelper:
			if err := rq.mayWriteHelper(n.file.FolderID); err != nil {
				return nil, err
			}
			rq.replaced = true
			return &helperWriter{rq: rq, folderID: n.file.FolderID, name: n.file.Name}, nil
		case kindDocument:
		default:
			return nil, rq.fail(errIsDir)
		}
		if n.doc.Access < documents.Write {
			return nil, rq.fail(errs.Plain(errs.Forbidden))
		}
		if l := n.doc.Lock; l != nil && l.OwnerID != rq.actor.MembershipID {
			return nil, rq.fail(errs.New(errs.ResourceLocked, errs.ResourceLocked.Detail()))
		}
		parent, err := rq.resolve(ctx, path.Dir(n.path))
		if err != nil {
			return nil, rq.fail(err)
		}
		rq.replaced = true
		return &putFile{rq: rq, ctx: ctx, folder: parent.folder, name: n.doc.FileName, doc: n.doc}, nil
	}
	if !isNotFound(err) {
		return nil, rq.fail(err)
	}
	if flag&os.O_CREATE == 0 {
		return nil, os.ErrNotExist
	}
	p := slashClean(name)
	if err := rq.checkNewName(p); err != nil {
		return nil, err
	}
	parent, err := rq.resolve(ctx, path.Dir(p))
	if err != nil {
		return nil, rq.fail(err) // 409: the parent collection is missing
	}
	switch {
	case parent.kind == kindDocument || parent.kind == kindHelper:
		return nil, os.ErrNotExist
	case isHelper(p):
		if err := rq.mayWriteHelper(parent.folderID()); err != nil {
			return nil, err
		}
		return &helperWriter{rq: rq, folderID: parent.folderID(), name: path.Base(p)}, nil
	case parent.kind == kindRoot:
		return nil, rq.fail(errNoRootDocs)
	case parent.folder.Access < documents.Write:
		return nil, rq.fail(errs.Plain(errs.Forbidden))
	}
	return &putFile{rq: rq, ctx: ctx, folder: parent.folder, name: path.Base(p)}, nil
}

// Mkdir implements webdav.FileSystem: a new folder (a root folder in the
// tenant's root, which only admins may create). In a COPY, the new folder
// gets the dead properties of the folder it copies.
func (fsys *fileSystem) Mkdir(ctx context.Context, name string, _ os.FileMode) error {
	rq := fsys.rq
	if _, err := rq.resolve(ctx, name); err == nil {
		return os.ErrExist
	} else if !isNotFound(err) {
		return rq.fail(err)
	}
	p := slashClean(name)
	if err := rq.checkNewName(p); err != nil {
		return err
	}
	parent, err := rq.resolve(ctx, path.Dir(p))
	if err != nil {
		return rq.fail(err)
	}
	if parent.kind == kindDocument || parent.kind == kindHelper {
		return os.ErrNotExist
	}
	if err := rq.countCopy(); err != nil {
		return err
	}
	f, err := rq.svc().CreateFolder(ctx, rq.actor, parent.folderID(), path.Base(p))
	rq.invalidate()
	if errs.Is(err, errs.Conflict) {
		return os.ErrExist // created meanwhile: 405 as for an existing one
	}
	if err != nil {
		return rq.fail(err)
	}
	if rq.method == "COPY" && rq.dest != "" {
		// The folder this one copies: the same place below the source.
		if rel, ok := strings.CutPrefix(p, rq.dest); ok {
			if src, err := rq.resolve(ctx, rq.path+rel); err == nil && src.kind == kindFolder {
				if err := rq.copyProps(src, &node{kind: kindFolder, folder: f}); err != nil {
					return rq.fail(err)
				}
			}
		}
	}
	return nil
}

// RemoveAll implements webdav.FileSystem: documents and folders (with
// everything in them) go to the trash, from where they can be restored.
// Nothing is ever purged over WebDAV. Helper files are simply deleted.
func (fsys *fileSystem) RemoveAll(ctx context.Context, name string) error {
	rq := fsys.rq
	n, err := rq.resolve(ctx, name)
	if err != nil {
		return rq.fail(err)
	}
	switch {
	case n.kind == kindRoot:
		err = errs.Plain(errs.Forbidden)
	case n.kind == kindHelper:
		if err := rq.mayWriteHelper(n.file.FolderID); err != nil {
			return err
		}
		return rq.deleteHelper(n.file.ID)
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

// errMixedHelper refuses to turn a helper file into a document or back.
var errMixedHelper = &statusError{code: http.StatusForbidden,
	detail: "Hilfsdateien (z. B. .DS_Store, Thumbs.db, ~$…) werden nicht als Dokumente gespeichert; sie lassen sich nicht in Dokumente umbenennen und umgekehrt."}

// Rename implements webdav.FileSystem (MOVE): a move to another folder,
// a new name, or both. The two are separate service calls; when the
// second fails, the first is undone.
func (fsys *fileSystem) Rename(ctx context.Context, oldName, newName string) error {
	rq := fsys.rq
	src, err := rq.resolve(ctx, oldName)
	if err != nil {
		return rq.fail(err)
	}
	dst := slashClean(newName)
	parent, err := rq.resolve(ctx, path.Dir(dst))
	if err != nil || parent.kind == kindDocument || parent.kind == kindHelper {
		return rq.failStatus(http.StatusConflict, "Der Zielordner existiert nicht.")
	}
	name := path.Base(dst)
	defer rq.invalidate()
	if (src.kind == kindHelper) != documents.IsOSHelperName(name) {
		return rq.fail(errMixedHelper)
	}
	if src.kind == kindHelper {
		return rq.moveHelper(src.file, parent.folderID(), name)
	}
	if err := rq.checkNewName(dst); err != nil {
		return err
	}
	if over := rq.overwritten; over != nil {
		rq.overwritten = nil
		if src.kind == kindDocument {
			// Save by temporary file: the destination keeps its identity
			// and history and gets the moved document's content and dead
			// properties.
			if _, _, err := rq.svc().ReplaceContent(ctx, rq.actor, over.ID, src.doc.ID, 0); err != nil {
				return rq.fail(err)
			}
			return rq.fail(rq.copyProps(src, &node{kind: kindDocument, doc: over}))
		}
		if err := rq.svc().DeleteDocument(ctx, rq.actor, over.ID, 0); err != nil {
			return rq.fail(err)
		}
		rq.invalidate()
	}
	switch src.kind {
	case kindRoot:
		return rq.fail(errs.Plain(errs.Forbidden))
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

// moveDocument gives a document a new file name and/or folder. A title
// that was the old file name follows the new one (unless another document
// of the folder has that title).
func (rq *request) moveDocument(ctx context.Context, d *documents.Document, folderID uuid.UUID, name string) error {
	svc, a := rq.svc(), rq.actor
	version, curTitle := d.Version, d.Title
	rename := func(fileName, title string) error {
		p := documents.DocumentPatch{FileName: &fileName}
		if title != curTitle {
			p.Title = &title
		}
		nd, err := svc.UpdateDocument(ctx, a, d.ID, version, p)
		if err != nil && p.Title != nil && errs.Is(err, errs.Conflict) {
			p.Title = nil
			nd, err = svc.UpdateDocument(ctx, a, d.ID, version, p)
		}
		if err == nil {
			version, curTitle = nd.Version, nd.Title
		}
		return err
	}
	move := func(to uuid.UUID) error {
		nd, err := svc.MoveDocument(ctx, a, d.ID, to, version)
		if err == nil {
			version = nd.Version
		}
		return err
	}
	title := d.Title
	if d.Title == d.FileName {
		title = name
	}
	switch {
	case folderID == d.FolderID:
		if name == d.FileName {
			return nil
		}
		return rename(name, title)
	case name == d.FileName:
		return move(folderID)
	}
	// Both: move first (the new name may be taken in the old folder); when
	// the old name is taken in the new folder, rename first.
	err := move(folderID)
	if err == nil {
		if err = rename(name, title); err != nil {
			_ = move(d.FolderID)
		}
		return err
	}
	if !errs.Is(err, errs.Conflict) {
		return err
	}
	if err := rename(name, title); err != nil {
		return err
	}
	if err := move(folderID); err != nil {
		_ = rename(d.FileName, d.Title)
		return err
	}
	return nil
}
