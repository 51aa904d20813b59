package dav

import (
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"net/http"
	"os"
	"path"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/kollab/kollab/documents"
	"github.com/kollab/kollab/internal/errs"
	"github.com/kollab/kollab/tenant"
	"golang.org/x/net/webdav"
)

// request is the state of one WebDAV request: the caller, the tenant's URL
// prefix, the paths resolved so far, and the last domain error.
//
// It carries the request's context because x/net/webdav's LockSystem and
// File interfaces take none; the request (and everything holding it) lives
// only as long as the HTTP request it belongs to.
type request struct {
	s      *Server
	ctx    context.Context
	actor  tenant.Actor
	prefix string // "/dav/{tenant}"
	// created is the tenant's creation time, the root's modification time.
	created time.Time
	method  string
	// putLength is the Content-Length of a PUT body (-1: unknown).
	putLength int64
	// ifMatch is the document version a PUT's If-Match names (0: none).
	ifMatch int64
	// nodes caches resolved paths (nil: known not to exist); subfolders
	// caches the live subfolders of a folder by case-folded name.
	nodes      map[string]*node
	subfolders map[uuid.UUID]map[string]*documents.Folder
	// failure is the last domain error of an operation; errorWriter maps
	// it to the answer's status.
	failure error
	// lockID is the lock a LOCK request created (uuid.Nil: none).
	lockID uuid.UUID
	// replaced is set when a PUT writes an existing document (answered
	// 204, where x/net/webdav always says 201).
	replaced bool
	// caseRename is the destination of a MOVE that only changes the case
	// of the name (it is the source itself, not an existing destination).
	caseRename string
	// copied counts the objects a COPY created.
	copied int
	// overwritten is the document a MOVE with Overwrite: T found at its
	// destination (see fileSystem.RemoveAll).
	overwritten *documents.Document
	// path is the request's resource below the prefix; dest a COPY's or
	// MOVE's destination.
	path, dest string
	// allprop is set for a PROPFIND that asks for all properties.
	allprop bool
	// props caches the dead properties of documents and folders by id.
	props map[uuid.UUID]map[xml.Name]webdav.Property
	// locks caches the locks around path for lockdiscovery (nil: not read).
	locks []*lockRow
	// lockShared is set when the lock a LOCK created is shared.
	lockShared bool
	// storage is the tenant's storage usage (nil: not read).
	storage *documents.Usage
}

func newRequest(s *Server, a tenant.Actor, prefix string, created time.Time, r *http.Request) *request {
	return &request{s: s, ctx: r.Context(), actor: a, prefix: prefix, created: created, method: r.Method, putLength: -1,
		nodes: map[string]*node{}, subfolders: map[uuid.UUID]map[string]*documents.Folder{},
		props: map[uuid.UUID]map[xml.Name]webdav.Property{}}
}

// countCopy counts one object created by a COPY and refuses a copy larger
// than the service's own deep-copy limits.
func (rq *request) countCopy() error {
	if rq.method != "COPY" {
		return nil
	}
	rq.copied++
	if svc := rq.svc(); rq.copied > svc.MaxCopyItems() {
		return rq.fail(errs.New(errs.Forbidden, errs.M("dav.copy-too-many-folders-documents", "Zu viele Ordner und Dokumente für eine Kopie.", "Too many folders and documents for one copy.")))
	}
	return nil
}

// svc is the document store.
func (rq *request) svc() *documents.Service { return rq.s.deps.Documents }

// fail records a domain error for the answer's status and returns what the
// x/net/webdav handler should see: os.ErrNotExist for NotFound (it turns
// that into 404 or 409 where RFC 4918 asks for it), the error otherwise.
func (rq *request) fail(err error) error {
	if err == nil {
		return nil
	}
	if isNotFound(err) {
		return os.ErrNotExist
	}
	rq.failure = err
	return err
}

// failStatus records an explicit status as the failure.
func (rq *request) failStatus(code int, detail string) error {
	return rq.fail(&statusError{code: code, detail: detail})
}

func isNotFound(err error) bool {
	return errors.Is(err, os.ErrNotExist) || errs.Is(err, errs.NotFound)
}

// kind says what a path names.
type kind int

const (
	kindRoot kind = iota
	kindFolder
	kindDocument
	// kindHelper is an operating system's helper file (see osfiles.go).
	kindHelper
)

// node is a resolved path.
type node struct {
	kind   kind
	path   string // cleaned, as the client named it
	folder *documents.Folder
	doc    *documents.Document
	file   *helperRow
}

// folderID is the folder a node names (uuid.Nil for the root).
func (n *node) folderID() uuid.UUID {
	if n.kind == kindFolder {
		return n.folder.ID
	}
	return uuid.Nil
}

// slashClean is path.Clean("/" + name).
func slashClean(name string) string {
	if name == "" || name[0] != '/' {
		name = "/" + name
	}
	return path.Clean(name)
}

// key is the case-folded form of a name, as documents compares names
// (paths are in NFC already).
func key(s string) string { return strings.ToLower(s) }

// checkNewName refuses a name a client gives a new resource when Windows
// could not use it (documents.ValidateFileName): 400 with the reason.
// Helper files keep the names their programs give them.
func (rq *request) checkNewName(name string) error {
	base := path.Base(slashClean(name))
	if documents.IsOSHelperName(base) {
		return nil
	}
	if _, err := documents.ValidateFileName(base); err != nil {
		return rq.fail(err)
	}
	return nil
}

// invalidate forgets every resolved path (after a change).
func (rq *request) invalidate() {
	clear(rq.nodes)
	clear(rq.subfolders)
}

// resolve finds what a path names, one segment at a time through the
// document service. Unreadable and missing objects are os.ErrNotExist.
func (rq *request) resolve(ctx context.Context, name string) (*node, error) {
	p := slashClean(name)
	if n, ok := rq.nodes[p]; ok {
		if n == nil {
			return nil, os.ErrNotExist
		}
		return n, nil
	}
	if p == "/" {
		n := &node{kind: kindRoot, path: "/"}
		rq.nodes[p] = n
		return n, nil
	}
	parent, err := rq.resolve(ctx, path.Dir(p))
	if err != nil {
		return nil, err
	}
	n, err := rq.child(ctx, parent, path.Base(p))
	if err != nil {
		if isNotFound(err) {
			rq.nodes[p] = nil
			return nil, os.ErrNotExist
		}
		return nil, err
	}
	n.path = p
	rq.nodes[p] = n
	return n, nil
}

// child finds the subfolder, helper file or document of parent named
// seg. A folder wins over a document of the same name (the database keeps
// folder names and document file names unique separately).
func (rq *request) child(ctx context.Context, parent *node, seg string) (*node, error) {
	if parent.kind == kindDocument || parent.kind == kindHelper {
		return nil, os.ErrNotExist
	}
	subs, err := rq.loadSubfolders(ctx, parent.folderID())
	if err != nil {
		return nil, err
	}
	if f, ok := subs[key(seg)]; ok {
		return &node{kind: kindFolder, folder: f}, nil
	}
	if documents.IsOSHelperName(seg) {
		f, err := rq.findHelper(parent.folderID(), seg)
		if err != nil {
			return nil, err
		}
		return &node{kind: kindHelper, file: f}, nil
	}
	if parent.kind == kindRoot {
		return nil, os.ErrNotExist // documents always live in a folder
	}
	d, err := rq.findDocument(ctx, parent.folder.ID, seg)
	if err != nil {
		return nil, err
	}
	return &node{kind: kindDocument, doc: d}, nil
}

// loadSubfolders returns the live subfolders of a folder (the roots for
// uuid.Nil) that the caller can read, by case-folded name.
func (rq *request) loadSubfolders(ctx context.Context, parentID uuid.UUID) (map[string]*documents.Folder, error) {
	if m, ok := rq.subfolders[parentID]; ok {
		return m, nil
	}
	m := map[string]*documents.Folder{}
	p := documents.Page{Limit: documents.MaxPage}
	for {
		page, err := rq.svc().ListFolders(ctx, rq.actor, parentID, p)
		if err != nil {
			return nil, err
		}
		for i := range page.Folders {
			f := &page.Folders[i]
			if _, dup := m[key(f.Name)]; !dup {
				m[key(f.Name)] = f
			}
		}
		if page.NextCursor == "" {
			break
		}
		p.Cursor = page.NextCursor
	}
	rq.subfolders[parentID] = m
	return m, nil
}

// findDocument finds the live document with the file name seg (in NFC,
// case-insensitively) in a folder.
func (rq *request) findDocument(ctx context.Context, folderID uuid.UUID, seg string) (*documents.Document, error) {
	if seg == "" || len([]rune(seg)) > documents.MaxNameLen {
		return nil, os.ErrNotExist // no file name looks like that
	}
	d, err := rq.svc().DocumentByFileName(ctx, rq.actor, folderID, seg)
	if errs.Is(err, errs.NotFound) {
		return nil, os.ErrNotExist
	}
	return d, err
}

// maxListing bounds the documents one PROPFIND lists of a folder.
const maxListing = 100000

// children lists a folder's (or the root's) subfolders and documents and
// caches them as resolved paths, so that a depth-1 PROPFIND costs one
// listing, not one lookup per entry.
func (rq *request) children(ctx context.Context, dir *node) ([]*node, error) {
	subs, err := rq.loadSubfolders(ctx, dir.folderID())
	if err != nil {
		return nil, err
	}
	out := make([]*node, 0, len(subs))
	seen := make(map[string]bool, len(subs))
	for _, f := range subs {
		out = append(out, &node{kind: kindFolder, folder: f, path: path.Join(dir.path, f.Name)})
		seen[key(f.Name)] = true
	}
	if dir.kind == kindFolder {
		docs, more, err := rq.svc().FolderDocuments(ctx, rq.actor, dir.folder.ID, maxListing)
		if err != nil {
			return nil, err
		}
		if more {
			rq.s.log.Warn("webdav: folder listing truncated", "folder", dir.folder.ID, "limit", maxListing)
		}
		for i := range docs {
			d := &docs[i]
			if seen[key(d.FileName)] || documents.IsOSHelperName(d.FileName) {
				continue // shadowed by a folder of the same name, or by the helper files
			}
			seen[key(d.FileName)] = true
			out = append(out, &node{kind: kindDocument, doc: d, path: path.Join(dir.path, d.FileName)})
		}
	}
	files, err := rq.listHelpers(dir.folderID())
	if err != nil {
		return nil, err
	}
	for i := range files {
		f := &files[i]
		if !seen[key(f.Name)] {
			seen[key(f.Name)] = true
			out = append(out, &node{kind: kindHelper, file: f, path: path.Join(dir.path, f.Name)})
		}
	}
	for _, n := range out {
		rq.nodes[n.path] = n
	}
	if rq.method == "PROPFIND" {
		if err := rq.prefetchProps(out); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// etag is a document's entity tag: its id and version (the version grows
// with every revision and every metadata change). PUT's If-Match maps it
// back to the version.
func etag(d *documents.Document) string {
	return fmt.Sprintf(`"%s-%d"`, d.ID, d.Version)
}

// parseETag returns the version an entity tag of document d names, or 0
// when the tag belongs to another document (or is not one of ours).
func parseETag(tag string, d *documents.Document) int64 {
	tag = strings.TrimPrefix(strings.TrimSpace(tag), "W/")
	var v int64
	if rest, ok := strings.CutPrefix(tag, `"`+d.ID.String()+"-"); ok {
		if _, err := fmt.Sscanf(rest, "%d\"", &v); err != nil || v <= 0 {
			return 0
		}
	}
	return v
}
