package storage

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"time"

	"github.com/google/uuid"
)

const (
	// fsTempDir holds uploads in progress, inside the root so that the final
	// rename stays on one filesystem. Keys start with "t/", so it never
	// collides with an object.
	fsTempDir = ".tmp"
	// fsStaleTemp is how old a leftover temporary file must be before NewFS
	// removes it; younger ones may belong to an upload still running.
	fsStaleTemp = 24 * time.Hour
	fsDirPerm   = 0o750
	fsFilePerm  = 0o640
	fsCopyBuf   = 256 << 10
)

// FS is a Store in a local directory: the object t/<tenant>/<kind>/<id> is the
// file <root>/t/<tenant>/<kind>/<id>. Writes are atomic and durable: the bytes
// go to a temporary file under <root>/.tmp, which is fsynced and renamed into
// place, and the directory is fsynced after the rename. Every access goes
// through an os.Root, so neither a key nor a symbolic link planted in the
// folder can reach a file outside the root; symbolic links inside the root are
// not objects either (Get and Stat answer ErrNotFound, List skips them).
//
// The filesystem backend does not record content types: ObjectInfo.ContentType
// is always empty.
type FS struct {
	dir string
}

var _ Store = (*FS)(nil)

// NewFS returns a filesystem store rooted at dir, creating the directory if
// needed and removing temporary files left over by uploads interrupted more
// than a day ago.
func NewFS(dir string) (*FS, error) {
	if dir == "" {
		return nil, fmt.Errorf("%w: empty storage directory", ErrInvalidArgument)
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, fmt.Errorf("storage: resolve %s: %w", dir, err)
	}
	if err := os.MkdirAll(filepath.Join(abs, fsTempDir), fsDirPerm); err != nil {
		return nil, fmt.Errorf("storage: create %s: %w", abs, err)
	}
	s := &FS{dir: abs}
	if err := s.removeStaleTemp(time.Now().Add(-fsStaleTemp)); err != nil {
		return nil, err
	}
	return s, nil
}

// Dir returns the absolute path of the store's root directory.
func (s *FS) Dir() string { return s.dir }

// openRoot opens the store's directory for one operation. Files opened
// through the root stay usable after it is closed.
func (s *FS) openRoot() (*os.Root, error) {
	root, err := os.OpenRoot(s.dir)
	if err != nil {
		return nil, fmt.Errorf("storage: open %s: %w", s.dir, err)
	}
	return root, nil
}

// Put implements Store.
func (s *FS) Put(ctx context.Context, key string, r io.Reader, size int64, contentType string) error {
	if err := checkPutArgs(key, size, contentType); err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	root, err := s.openRoot()
	if err != nil {
		return err
	}
	defer root.Close()

	if err := root.MkdirAll(fsTempDir, fsDirPerm); err != nil {
		return fmt.Errorf("storage: put %s: %w", key, err)
	}
	tmp := path.Join(fsTempDir, fsTempPrefix(key)+uuid.NewString()+".part")
	f, err := root.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_EXCL, fsFilePerm)
	if err != nil {
		return fmt.Errorf("storage: put %s: %w", key, err)
	}
	renamed := false
	defer func() {
		if !renamed {
			_ = f.Close()
			_ = root.Remove(tmp)
		}
	}()

	if err := fsWriteFile(ctx, f, key, r, size); err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return err
	}

	dir := path.Dir(key)
	_, statErr := root.Stat(dir)
	newDir := errors.Is(statErr, fs.ErrNotExist)
	if err := root.MkdirAll(dir, fsDirPerm); err != nil {
		return fmt.Errorf("storage: put %s: %w", key, err)
	}
	if err := root.Rename(tmp, key); err != nil {
		return fmt.Errorf("storage: put %s: %w", key, err)
	}
	renamed = true

	// Make the rename durable; when the directory chain was just created,
	// every parent up to the root must be synced as well.
	for d := dir; ; d = path.Dir(d) {
		if err := syncDir(root, d); err != nil {
			return fmt.Errorf("storage: put %s: %w", key, err)
		}
		if !newDir || d == "." {
			break
		}
	}
	return nil
}

// fsWriteFile writes exactly size bytes of r into the temporary file f,
// syncs it, confirms the size the file system holds and closes it.
func fsWriteFile(ctx context.Context, f *os.File, key string, r io.Reader, size int64) error {
	src := newSizedReader(ctx, r, size)
	// Hide f's ReadFrom so that CopyBuffer uses our larger buffer.
	if _, err := io.CopyBuffer(struct{ io.Writer }{f}, src, make([]byte, fsCopyBuf)); err != nil {
		if src.failure() != nil {
			return fmt.Errorf("storage: put %s: %w", key, src.failure())
		}
		return fmt.Errorf("storage: put %s: %w", key, err)
	}
	if err := src.finish(); err != nil {
		return fmt.Errorf("storage: put %s: %w", key, err)
	}
	if err := f.Sync(); err != nil {
		return fmt.Errorf("storage: put %s: sync: %w", key, err)
	}
	// The file system confirms the size it holds; the bytes were written
	// from the hashed stream through one write path, so no checksum is
	// read back.
	if fi, err := f.Stat(); err != nil {
		return fmt.Errorf("storage: put %s: %w", key, err)
	} else if fi.Size() != size {
		return fmt.Errorf("%w: %s: the file holds %d bytes, %d were written", ErrNotConfirmed, key, fi.Size(), size)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("storage: put %s: close: %w", key, err)
	}
	return nil
}

// fsTempPrefix is how the temporary files of uploads to key start:
// the key with '/' replaced by '_' (which no key contains) and a dot.
func fsTempPrefix(key string) string {
	return strings.ReplaceAll(key, "/", "_") + "."
}

// AbortIncomplete implements Store: it removes the temporary files of
// uploads to key.
func (s *FS) AbortIncomplete(ctx context.Context, key string) (Discarded, error) {
	var d Discarded
	if err := ValidateKey(key); err != nil {
		return d, err
	}
	if err := ctx.Err(); err != nil {
		return d, err
	}
	root, err := s.openRoot()
	if err != nil {
		return d, err
	}
	defer root.Close()
	entries, err := fs.ReadDir(root.FS(), fsTempDir)
	if err != nil {
		return d, fmt.Errorf("storage: abort uploads of %s: %w", key, err)
	}
	prefix := fsTempPrefix(key)
	for _, e := range entries {
		if !strings.HasPrefix(e.Name(), prefix) || !e.Type().IsRegular() {
			continue
		}
		fi, err := e.Info()
		if err != nil {
			continue // gone meanwhile
		}
		if err := root.Remove(path.Join(fsTempDir, e.Name())); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return d, fmt.Errorf("storage: abort upload of %s: %w", key, err)
		}
		d.Uploads++
		d.Bytes += fi.Size()
	}
	return d, nil
}

// Get implements Store.
func (s *FS) Get(ctx context.Context, key string, offset, length int64) (io.ReadCloser, error) {
	if err := ValidateKey(key); err != nil {
		return nil, err
	}
	if err := checkRange(key, offset, length); err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	root, err := s.openRoot()
	if err != nil {
		return nil, err
	}
	defer root.Close()

	// Objects are regular files; a symbolic link, even one that stays inside
	// the root, is not an object. Comparing the opened file with the Lstat
	// result closes the gap between the two calls.
	linfo, err := root.Lstat(key)
	if err != nil {
		return nil, s.pathError("get", key, err)
	}
	if !linfo.Mode().IsRegular() {
		return nil, fmt.Errorf("storage: get %s: %w", key, ErrNotFound)
	}
	f, err := root.Open(key)
	if err != nil {
		return nil, s.pathError("get", key, err)
	}
	fi, err := f.Stat()
	if err != nil {
		_ = f.Close()
		return nil, fmt.Errorf("storage: get %s: %w", key, err)
	}
	if !os.SameFile(linfo, fi) {
		_ = f.Close()
		return nil, fmt.Errorf("storage: get %s: %w", key, ErrNotFound)
	}
	n, err := rangeLength(key, fi.Size(), offset, length)
	if err != nil {
		_ = f.Close()
		return nil, err
	}
	return &fileRange{SectionReader: io.NewSectionReader(f, offset, n), f: f, size: fi.Size()}, nil
}

// fileRange reads a section of an open file and closes the file.
type fileRange struct {
	*io.SectionReader
	f    *os.File
	size int64
}

// ObjectSize returns the size of the whole file (see GetVerified).
func (r *fileRange) ObjectSize() int64 { return r.size }

// Close closes the underlying file.
func (r *fileRange) Close() error { return r.f.Close() }

// Stat implements Store.
func (s *FS) Stat(ctx context.Context, key string) (ObjectInfo, error) {
	if err := ValidateKey(key); err != nil {
		return ObjectInfo{}, err
	}
	if err := ctx.Err(); err != nil {
		return ObjectInfo{}, err
	}
	root, err := s.openRoot()
	if err != nil {
		return ObjectInfo{}, err
	}
	defer root.Close()

	fi, err := root.Lstat(key)
	if err != nil {
		return ObjectInfo{}, s.pathError("stat", key, err)
	}
	if !fi.Mode().IsRegular() {
		return ObjectInfo{}, fmt.Errorf("storage: stat %s: %w", key, ErrNotFound)
	}
	return ObjectInfo{Key: key, Size: fi.Size(), ModTime: fi.ModTime().UTC()}, nil
}

// Delete implements Store. Deleting a missing object returns nil.
func (s *FS) Delete(ctx context.Context, key string) error {
	if err := ValidateKey(key); err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	root, err := s.openRoot()
	if err != nil {
		return err
	}
	defer root.Close()

	fi, err := root.Lstat(key)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("storage: delete %s: %w", key, err)
	}
	if !fi.Mode().IsRegular() {
		return nil // not an object; leave it for the operator
	}
	if err := root.Remove(key); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("storage: delete %s: %w", key, err)
	}
	return nil
}

// List implements Store. Files that are not valid keys, symbolic links and
// anything deeper than a key are skipped.
func (s *FS) List(ctx context.Context, prefix string, fn func(ObjectInfo) error) error {
	if err := ValidatePrefix(prefix); err != nil {
		return err
	}
	root, err := s.openRoot()
	if err != nil {
		return err
	}
	defer root.Close()

	dir := cmp.Or(strings.TrimSuffix(prefix, "/"), tenantNamespace)
	return s.walk(ctx, root, dir, fn)
}

// walk visits dir in lexical key order: entries are sorted by the key text
// they contribute, i.e. a directory "doc" sorts as "doc/", after "doc-x/".
func (s *FS) walk(ctx context.Context, root *os.Root, dir string, fn func(ObjectInfo) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	d, err := root.Open(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("storage: list %s: %w", dir, err)
	}
	entries, err := d.ReadDir(-1)
	_ = d.Close()
	if err != nil {
		return fmt.Errorf("storage: list %s: %w", dir, err)
	}
	sortKey := func(e fs.DirEntry) string {
		if e.IsDir() {
			return e.Name() + "/"
		}
		return e.Name()
	}
	slices.SortFunc(entries, func(a, b fs.DirEntry) int { return strings.Compare(sortKey(a), sortKey(b)) })

	depth := strings.Count(dir, "/") + 1 // segments in dir
	for _, e := range entries {
		p := dir + "/" + e.Name()
		switch {
		case e.IsDir() && depth < 3:
			if err := s.walk(ctx, root, p, fn); err != nil {
				return err
			}
		case e.Type().IsRegular() && depth == 3 && ValidateKey(p) == nil:
			fi, err := e.Info()
			if errors.Is(err, fs.ErrNotExist) {
				continue // deleted while listing
			}
			if err != nil {
				return fmt.Errorf("storage: list %s: %w", p, err)
			}
			if err := fn(ObjectInfo{Key: p, Size: fi.Size(), ModTime: fi.ModTime().UTC()}); err != nil {
				return err
			}
		}
	}
	return nil
}

// Ping implements Store: the root and its temporary folder must exist.
func (s *FS) Ping(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	root, err := s.openRoot()
	if err != nil {
		return err
	}
	defer root.Close()
	if _, err := root.Stat(fsTempDir); err != nil {
		return fmt.Errorf("storage: ping %s: %w", s.dir, err)
	}
	return nil
}

// pathError maps a failed lookup of key to ErrNotFound where appropriate.
func (s *FS) pathError(op, key string, err error) error {
	if errors.Is(err, fs.ErrNotExist) || errors.Is(err, syscall.ENOTDIR) {
		return fmt.Errorf("storage: %s %s: %w", op, key, ErrNotFound)
	}
	return fmt.Errorf("storage: %s %s: %w", op, key, err)
}

// removeStaleTemp deletes temporary upload files last modified before cutoff.
func (s *FS) removeStaleTemp(cutoff time.Time) error {
	root, err := s.openRoot()
	if err != nil {
		return err
	}
	defer root.Close()
	entries, err := fs.ReadDir(root.FS(), fsTempDir)
	if err != nil {
		return fmt.Errorf("storage: clean %s: %w", fsTempDir, err)
	}
	for _, e := range entries {
		fi, err := e.Info()
		if err != nil || !fi.Mode().IsRegular() || fi.ModTime().After(cutoff) {
			continue
		}
		_ = root.Remove(path.Join(fsTempDir, e.Name()))
	}
	return nil
}

// syncDir fsyncs a directory so that entries created or renamed in it survive
// a crash.
func syncDir(root *os.Root, dir string) error {
	d, err := root.Open(dir)
	if err != nil {
		return err
	}
	err = d.Sync()
	if cerr := d.Close(); err == nil {
		err = cerr
	}
	return err
}
