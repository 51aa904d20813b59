package storage

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"strings"
	"sync"
)

// Want is what a verified read expects of a stored object: what the
// database recorded when the object was written.
type Want struct {
	// Size is the object's length in bytes.
	Size int64
	// SHA256 is the object's hex SHA-256; empty checks the size only.
	SHA256 string
}

// CorruptError is the ErrCorrupt of GetVerified; Hash tells a SHA-256
// mismatch from a size mismatch.
type CorruptError struct {
	Hash bool
	msg  string
}

func (e *CorruptError) Error() string { return e.msg + " (" + ErrCorrupt.Error() + ")" }

// Is makes errors.Is(err, ErrCorrupt) true.
func (e *CorruptError) Is(target error) bool { return target == ErrCorrupt }

// objectSizer is implemented by the readers Get returns when the backend
// told the whole object's size while opening it, which spares a Stat.
type objectSizer interface {
	ObjectSize() int64
}

// GetVerified opens key like Get, but only once the stored object is
// known to have exactly want.Size bytes: otherwise it fails with
// ErrCorrupt before a byte is read. The reader it returns counts what it
// hands out and, for a read of the whole object, hashes it: the read that
// would hand out the final bytes checks the SHA-256 first, and a mismatch,
// a stream that ends early or one that runs long makes Read fail with
// ErrCorrupt instead, so that a consumer never sees a clean end of wrong
// bytes (an HTTP response with a Content-Length ends short, and the
// connection is dropped). onCorrupt, when not nil, is called once with
// the error whenever ErrCorrupt is returned, by GetVerified or by Read.
func GetVerified(ctx context.Context, s Store, key string, want Want, offset, length int64, onCorrupt func(error)) (io.ReadCloser, error) {
	var once sync.Once
	corrupt := func(format string, args ...any) error {
		err := &CorruptError{Hash: strings.HasPrefix(format, "SHA-256"), msg: fmt.Sprintf("storage: %s: "+format, append([]any{key}, args...)...)}
		if onCorrupt != nil {
			once.Do(func() { onCorrupt(err) })
		}
		return err
	}
	if want.Size < 0 {
		return nil, fmt.Errorf("%w: negative expected size for %s", ErrInvalidArgument, key)
	}
	rc, err := s.Get(ctx, key, offset, length)
	if err != nil {
		if !errors.Is(err, ErrInvalidRange) {
			return nil, err
		}
		// Past the end of what is stored: the record may still allow the
		// range, which means the object is short.
		info, serr := s.Stat(ctx, key)
		if serr == nil && info.Size != want.Size {
			return nil, corrupt("the store holds %d bytes, %d were recorded", info.Size, want.Size)
		}
		return nil, err
	}
	size := int64(-1)
	if sz, ok := rc.(objectSizer); ok {
		size = sz.ObjectSize()
	} else {
		info, err := s.Stat(ctx, key)
		if err != nil {
			_ = rc.Close()
			return nil, err
		}
		size = info.Size
	}
	if size != want.Size {
		_ = rc.Close()
		return nil, corrupt("the store holds %d bytes, %d were recorded", size, want.Size)
	}
	n, err := rangeLength(key, size, offset, length)
	if err != nil {
		_ = rc.Close()
		return nil, err
	}
	v := &verifyingReader{rc: rc, remaining: n, corrupt: corrupt}
	if offset == 0 && n == size && want.SHA256 != "" {
		v.h, v.want = sha256.New(), want.SHA256
		if n == 0 && hex.EncodeToString(v.h.Sum(nil)) != want.SHA256 {
			_ = rc.Close()
			return nil, corrupt("an empty object, but a different SHA-256 was recorded")
		}
	}
	return v, nil
}

// verifyingReader hands out exactly remaining bytes of rc and, with h
// set, checks their SHA-256 before handing out the last of them.
type verifyingReader struct {
	rc        io.ReadCloser
	remaining int64
	h         hash.Hash
	want      string
	corrupt   func(format string, args ...any) error
	err       error // sticky
}

// Read implements io.Reader.
func (v *verifyingReader) Read(p []byte) (int, error) {
	if v.err != nil {
		return 0, v.err
	}
	if v.remaining == 0 {
		// The object must end here.
		var one [1]byte
		for range maxEmptyReads {
			n, err := v.rc.Read(one[:])
			if n > 0 {
				v.err = v.corrupt("the store sends more bytes than were recorded")
				return 0, v.err
			}
			if err == io.EOF {
				return 0, io.EOF
			}
			if err != nil {
				v.err = err
				return 0, err
			}
		}
		v.err = io.ErrNoProgress
		return 0, v.err
	}
	if len(p) == 0 {
		return 0, nil
	}
	if int64(len(p)) > v.remaining {
		p = p[:v.remaining]
	}
	n, err := v.rc.Read(p)
	v.remaining -= int64(n)
	if v.h != nil {
		v.h.Write(p[:n])
		if v.remaining == 0 {
			if sum := hex.EncodeToString(v.h.Sum(nil)); sum != v.want {
				// Withhold the final bytes: the body must not end cleanly.
				v.err = v.corrupt("SHA-256 %s, %s was recorded", sum, v.want)
				return 0, v.err
			}
		}
	}
	switch {
	case err == io.EOF && v.remaining > 0:
		v.err = v.corrupt("the store's stream ended %d bytes early", v.remaining)
		return n, v.err
	case err == io.EOF:
		return n, nil // the next Read checks the end
	case err != nil:
		v.err = err
	}
	return n, err
}

// Close implements io.Closer.
func (v *verifyingReader) Close() error { return v.rc.Close() }
