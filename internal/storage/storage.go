// Package storage keeps the bytes of files (document revisions, wiki
// attachments, exports) in an object store, behind one small interface with
// two implementations: a local filesystem folder (the embedded default, see
// [NewFS]) and an S3-compatible bucket (see [NewS3]). [Open] picks one from
// the operator's configuration.
//
// Objects are immutable blobs addressed by server-generated keys of the form
// t/<tenant-uuid>/<kind>/<uuidv7> (see [NewKey]); a key never contains user
// input. Metadata that matters to the domain (file name, content type, SHA-256,
// owner) lives in the database row that references the key; the store only
// holds bytes. Every method validates its key and refuses anything that is not
// of that shape with [ErrInvalidKey], so a bug elsewhere cannot turn into a
// path traversal or a cross-tenant read.
//
// Bytes stream in both directions: [Store.Put] takes a reader of known size
// and never holds the whole object in memory, and [Store.Get] returns a
// reader over a byte range.
package storage

import (
	"context"
	"errors"
	"fmt"
	"io"
	"mime"
	"time"
)

// Errors returned by every [Store]. Test for them with errors.Is; the returned
// errors wrap them with the operation and the key.
var (
	// ErrNotFound means the object does not exist. S3's NoSuchKey is
	// normalised to it.
	ErrNotFound = errors.New("storage: object not found")
	// ErrInvalidKey means a key or list prefix is not of the shape produced by
	// NewKey, TenantPrefix or KindPrefix.
	ErrInvalidKey = errors.New("storage: invalid object key")
	// ErrSizeMismatch means the reader given to Put yielded fewer or more
	// bytes than the declared size, or the declared size was negative. No
	// object is left behind.
	ErrSizeMismatch = errors.New("storage: size mismatch")
	// ErrInvalidRange means Get was asked for a range that does not exist:
	// a negative offset or length other than -1, or an offset past the end
	// of the object.
	ErrInvalidRange = errors.New("storage: invalid range")
	// ErrInvalidArgument means an argument other than the key, size or range
	// was refused, for example a malformed content type.
	ErrInvalidArgument = errors.New("storage: invalid argument")
	// ErrNotConfirmed means the store did not confirm that it holds exactly
	// the bytes Put sent: the size or checksum it reported differs from
	// what Put counted and hashed, or it reported no checksum at all. Put
	// removes what was stored.
	ErrNotConfirmed = errors.New("storage: store did not confirm the object")
	// ErrCorrupt means a stored object is not the one recorded for it: its
	// size or its SHA-256 differs (see GetVerified).
	ErrCorrupt = errors.New("storage: stored object does not match its record")
)

// ObjectInfo describes a stored object.
type ObjectInfo struct {
	// Key is the object's key.
	Key string
	// Size is the object's length in bytes.
	Size int64
	// ModTime is when the object was written, in UTC.
	ModTime time.Time
	// ContentType is the media type given to Put, when the backend records
	// it: S3 returns it from Stat; the filesystem backend does not record it,
	// and List on S3 does not return it. The authoritative content type is
	// the one stored with the referencing database row.
	ContentType string
}

// Store is an object store for file bytes. Implementations are safe for
// concurrent use. Every method takes the request's context first; cancelling
// it aborts the operation.
type Store interface {
	// Put stores exactly size bytes read from r under key, replacing any
	// object already there; the object becomes visible only once complete.
	// If r yields fewer or more than size bytes, Put fails with
	// ErrSizeMismatch and stores nothing; if ctx ends first, Put fails with
	// the context's error and stores nothing. Put returns nil only once the
	// backend has confirmed the object's size and checksum against what Put
	// counted and hashed while streaming; otherwise it removes the object
	// and fails with ErrNotConfirmed. contentType may be empty.
	Put(ctx context.Context, key string, r io.Reader, size int64, contentType string) error

	// Get opens the object for reading from offset; length -1 reads to the
	// end, otherwise at most length bytes are returned (fewer when the object
	// ends sooner). An offset equal to the object's size yields an empty
	// reader; an offset beyond it fails with ErrInvalidRange. A missing object
	// fails with ErrNotFound. The caller must close the reader.
	Get(ctx context.Context, key string, offset, length int64) (io.ReadCloser, error)

	// Stat describes the object, or fails with ErrNotFound.
	Stat(ctx context.Context, key string) (ObjectInfo, error)

	// Delete removes the object. Deleting a missing object succeeds (returns
	// nil), so that sweepers and retries are idempotent; both backends agree.
	Delete(ctx context.Context, key string) error

	// List calls fn for every object whose key starts with prefix, in
	// lexical (byte-wise) key order, with Key, Size and ModTime set. prefix
	// is either a tenant prefix (TenantPrefix), a tenant's kind prefix
	// (KindPrefix), or empty, meaning every object of every tenant (for
	// operator tools only; never pass user input here). Any other prefix
	// fails with ErrInvalidKey. If fn returns an error, List stops and
	// returns that error unchanged. Objects written or deleted during the
	// listing may or may not be seen.
	List(ctx context.Context, prefix string, fn func(ObjectInfo) error) error

	// Ping reports whether the store is reachable and usable, for
	// readiness checks.
	Ping(ctx context.Context) error

	// AbortIncomplete discards what unfinished uploads to key left behind
	// (S3: incomplete multipart uploads and their parts; filesystem:
	// temporary files) and reports how many uploads and bytes it
	// discarded. It is for the sweeper, after the process that wrote key
	// died: an upload still running is aborted as well. A key with nothing
	// unfinished returns zero and nil.
	AbortIncomplete(ctx context.Context, key string) (Discarded, error)
}

// Discarded is what AbortIncomplete removed.
type Discarded struct {
	// Uploads is the number of unfinished uploads aborted.
	Uploads int
	// Bytes is how many bytes their parts or temporary files held, as far
	// as the backend reports it.
	Bytes int64
}

// checkPutArgs validates the arguments shared by every Put implementation.
func checkPutArgs(key string, size int64, contentType string) error {
	if err := ValidateKey(key); err != nil {
		return err
	}
	if size < 0 {
		return fmt.Errorf("%w: negative size %d for %s", ErrSizeMismatch, size, key)
	}
	if contentType != "" {
		if _, _, err := mime.ParseMediaType(contentType); err != nil {
			return fmt.Errorf("%w: content type %q: %v", ErrInvalidArgument, contentType, err)
		}
	}
	return nil
}

// checkRange validates the offset and length given to Get, before the object
// size is known.
func checkRange(key string, offset, length int64) error {
	if offset < 0 || length < -1 {
		return fmt.Errorf("%w: offset %d, length %d for %s", ErrInvalidRange, offset, length, key)
	}
	return nil
}

// rangeLength returns how many bytes a Get of (offset, length) reads from an
// object of the given size, or ErrInvalidRange if offset is past the end.
func rangeLength(key string, size, offset, length int64) (int64, error) {
	if offset > size {
		return 0, fmt.Errorf("%w: offset %d beyond end of %s (%d bytes)", ErrInvalidRange, offset, key, size)
	}
	n := size - offset
	if length >= 0 && length < n {
		n = length
	}
	return n, nil
}

// emptyReader is returned by Get for empty ranges.
func emptyReader() io.ReadCloser {
	return io.NopCloser(eofReader{})
}

type eofReader struct{}

func (eofReader) Read([]byte) (int, error) { return 0, io.EOF }
