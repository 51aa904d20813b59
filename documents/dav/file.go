package dav

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/kollab/kollab/documents"
	"golang.org/x/net/webdav"
)

// fileInfo describes a folder or document to x/net/webdav. It answers
// getetag and getcontenttype itself (webdav.ETager, webdav.ContentTyper),
// so a PROPFIND never opens a document's bytes.
type fileInfo struct {
	name  string
	size  int64
	mod   time.Time
	dir   bool
	etag  string
	ctype string
}

func (fi *fileInfo) Name() string       { return fi.name }
func (fi *fileInfo) Size() int64        { return fi.size }
func (fi *fileInfo) ModTime() time.Time { return fi.mod }
func (fi *fileInfo) IsDir() bool        { return fi.dir }
func (fi *fileInfo) Sys() any           { return nil }

// Mode implements fs.FileInfo.
func (fi *fileInfo) Mode() fs.FileMode {
	if fi.dir {
		return fs.ModeDir | 0o755
	}
	return 0o644
}

// ETag implements webdav.ETager.
func (fi *fileInfo) ETag(context.Context) (string, error) {
	if fi.etag == "" {
		return "", webdav.ErrNotImplemented
	}
	return fi.etag, nil
}

// ContentType implements webdav.ContentTyper.
func (fi *fileInfo) ContentType(context.Context) (string, error) { return fi.ctype, nil }

// officeTypes name the zip-based office formats that content sniffing
// reports as application/zip.
var officeTypes = map[string]string{
	".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
	".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
	".pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
	".odt":  "application/vnd.oasis.opendocument.text",
	".ods":  "application/vnd.oasis.opendocument.spreadsheet",
	".odp":  "application/vnd.oasis.opendocument.presentation",
}

// contentType is a document's media type as served: the type sniffed at
// upload (never an active type guessed from the name), refined for office
// formats.
func contentType(d *documents.Document) string {
	ct := "application/octet-stream"
	if d.ContentType != nil && *d.ContentType != "" {
		ct = *d.ContentType
	}
	if ct == "application/zip" || ct == "application/octet-stream" {
		if t, ok := officeTypes[strings.ToLower(path.Ext(d.FileName))]; ok {
			return t
		}
	}
	return ct
}

// info describes a node.
func (rq *request) info(n *node) *fileInfo {
	switch n.kind {
	case kindRoot:
		return &fileInfo{name: "/", dir: true, mod: rq.created}
	case kindFolder:
		return &fileInfo{name: n.folder.Name, dir: true, mod: n.folder.UpdatedAt}
	}
	if n.kind == kindHelper {
		f := n.file
		return &fileInfo{name: f.Name, size: f.Size, mod: f.UpdatedAt, ctype: "application/octet-stream",
			etag: fmt.Sprintf(`"%s-%d"`, f.ID, f.UpdatedAt.UnixMicro())}
	}
	d := n.doc
	fi := &fileInfo{name: d.FileName, mod: d.UpdatedAt, etag: etag(d), ctype: contentType(d)}
	if d.SizeBytes != nil {
		fi.size = *d.SizeBytes
	}
	return fi
}

var errNotAFile = errors.New("dav: not a regular file")

// dirFile is an opened folder (or the root).
type dirFile struct {
	resourceProps
	ctx  context.Context
	list []*node
	read bool
	pos  int
}

func (f *dirFile) Close() error                   { return nil }
func (f *dirFile) Read([]byte) (int, error)       { return 0, errNotAFile }
func (f *dirFile) Seek(int64, int) (int64, error) { return 0, errNotAFile }
func (f *dirFile) Write([]byte) (int, error)      { return 0, errNotAFile }
func (f *dirFile) Stat() (os.FileInfo, error)     { return f.rq.info(f.n), nil }

func (f *dirFile) infos(ns []*node) []os.FileInfo {
	out := make([]os.FileInfo, len(ns))
	for i, n := range ns {
		out[i] = f.rq.info(n)
	}
	return out
}

// Readdir implements http.File: count <= 0 returns everything.
func (f *dirFile) Readdir(count int) ([]os.FileInfo, error) {
	if !f.read {
		list, err := f.rq.children(f.ctx, f.n)
		if err != nil {
			return nil, f.rq.fail(err)
		}
		f.list, f.read = list, true
	}
	if count <= 0 {
		rest := f.list[f.pos:]
		f.pos = len(f.list)
		return f.infos(rest), nil
	}
	if f.pos >= len(f.list) {
		return nil, io.EOF
	}
	end := min(f.pos+count, len(f.list))
	out := f.infos(f.list[f.pos:end])
	f.pos = end
	return out, nil
}

// docFile is an opened document for reading. It opens the revision's
// bytes lazily at the current offset, so that PROPFIND and HEAD read
// nothing, and a Seek (Range requests) reopens the stream where needed.
type docFile struct {
	resourceProps
	ctx   context.Context
	size  int64
	revID uuid.UUID
	pos   int64
	rc    io.ReadCloser
	rcPos int64
}

func newDocFile(ctx context.Context, rq *request, n *node) *docFile {
	f := &docFile{resourceProps: resourceProps{rq: rq, n: n}, ctx: ctx}
	if n.doc.SizeBytes != nil {
		f.size = *n.doc.SizeBytes
	}
	if n.doc.CurrentRevisionID != nil {
		f.revID = *n.doc.CurrentRevisionID
	} else {
		f.size = 0
	}
	return f
}

// Read implements io.Reader.
func (f *docFile) Read(p []byte) (int, error) {
	if f.pos >= f.size {
		return 0, io.EOF
	}
	if f.rc == nil || f.rcPos != f.pos {
		if f.rc != nil {
			_ = f.rc.Close()
			f.rc = nil
		}
		// The revision seen when the path was resolved, so that the size
		// and the bytes agree even if someone uploads meanwhile.
		_, rc, err := f.rq.svc().OpenRevision(f.ctx, f.rq.actor, f.n.doc.ID, f.revID, f.pos, -1)
		if err != nil {
			return 0, f.rq.fail(err)
		}
		f.rc, f.rcPos = rc, f.pos
	}
	n, err := f.rc.Read(p)
	f.pos += int64(n)
	f.rcPos += int64(n)
	if err == io.EOF && f.pos < f.size {
		err = io.ErrUnexpectedEOF
	}
	if err != nil && err != io.EOF {
		// Recorded, so that GET drops the connection instead of ending a
		// short or wrong body cleanly.
		f.rq.failure = err
	}
	return n, err
}

// Seek implements io.Seeker.
func (f *docFile) Seek(offset int64, whence int) (int64, error) {
	switch whence {
	case io.SeekStart:
	case io.SeekCurrent:
		offset += f.pos
	case io.SeekEnd:
		offset += f.size
	default:
		return 0, errors.New("dav: bad whence")
	}
	if offset < 0 {
		return 0, errors.New("dav: negative position")
	}
	f.pos = offset
	return offset, nil
}

// Close implements io.Closer.
func (f *docFile) Close() error {
	if f.rc != nil {
		err := f.rc.Close()
		f.rc = nil
		return err
	}
	return nil
}

func (f *docFile) Readdir(int) ([]os.FileInfo, error) { return nil, errNotAFile }
func (f *docFile) Stat() (os.FileInfo, error)         { return f.rq.info(f.n), nil }
func (f *docFile) Write([]byte) (int, error)          { return 0, errors.New("dav: opened for reading") }
