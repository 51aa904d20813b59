package storagetest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"
	"testing"

	"github.com/google/uuid"

	"github.com/kollab/kollab/internal/storage"
)

// partBoundary is a size around which multipart backends switch from a
// single request to a multipart upload (16 MiB for the S3 backend).
const partBoundary = 16 << 20

func testSizeMismatch(t *testing.T, s storage.Store) {
	for _, tc := range []struct {
		name             string
		declared, actual int64
	}{
		{"short", 100, 50},
		{"long", 100, 150},
		{"long by one", 100, 101},
		{"empty declared, one byte given", 0, 1},
		{"nothing given", 10, 0},
		{"single request, long", partBoundary, partBoundary + 1},
		{"multipart, short", partBoundary + 1<<20, partBoundary + 1<<19},
		{"multipart, short by one", partBoundary + 1<<20, partBoundary + 1<<20 - 1},
		{"multipart, long", partBoundary + 1<<20, partBoundary + 1<<20 + 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			key := NewKey(t, tenantA, "revision")
			err := s.Put(t.Context(), key, Generator(7, tc.actual), tc.declared, "")
			if !errors.Is(err, storage.ErrSizeMismatch) {
				t.Fatalf("Put(declared %d, given %d): err = %v, want ErrSizeMismatch", tc.declared, tc.actual, err)
			}
			AssertAbsent(t, s, key)
		})
	}
	t.Run("reader error", func(t *testing.T) {
		key := NewKey(t, tenantA, "revision")
		boom := errors.New("client went away")
		r := io.MultiReader(Generator(8, 1000), errReader{boom})
		if err := s.Put(t.Context(), key, r, 5000, ""); !errors.Is(err, boom) {
			t.Fatalf("Put with a failing reader: err = %v, want it to wrap %v", err, boom)
		}
		AssertAbsent(t, s, key)
	})
	if keys := ListKeys(t, s, ""); len(keys) != 0 {
		t.Fatalf("failed uploads left objects: %v", keys)
	}
}

type errReader struct{ err error }

func (r errReader) Read([]byte) (int, error) { return 0, r.err }

func testInvalidKeys(t *testing.T, s storage.Store) {
	ctx := t.Context()
	tenant := tenantA.String()
	id := uuid.Must(uuid.NewV7()).String()
	v4 := uuid.Must(uuid.NewRandom()).String()
	valid := "t/" + tenant + "/doc/" + id
	if err := storage.ValidateKey(valid); err != nil {
		t.Fatalf("ValidateKey(%s): %v", valid, err)
	}
	badKeys := []string{
		"", "t", "t/", "/", ".", "..",
		valid + "/", "/" + valid, "./" + valid, valid + "/x", valid + " ", valid + "\x00",
		valid[:len(valid)-1],
		"t/../doc/" + id,
		"t/" + tenant + "/../" + id,
		"t/" + tenant + "/doc/..",
		"t/" + tenant + "/./" + id,
		"t//doc/" + id,
		"t/" + tenant + "//" + id,
		strings.ReplaceAll(valid, "/", "\\"),
		"t/" + tenant + "/doc\\..\\" + id,
		"x/" + tenant + "/doc/" + id,
		"T/" + tenant + "/doc/" + id,
		"t/" + strings.ToUpper(tenant) + "/doc/" + id,
		"t/" + uuid.Nil.String() + "/doc/" + id,
		"t/" + tenant + "/Doc/" + id,
		"t/" + tenant + "/doc_x/" + id,
		"t/" + tenant + "/doc.x/" + id,
		"t/" + tenant + "/" + strings.Repeat("a", 65) + "/" + id,
		"t/" + tenant + "/doc/" + v4,
		"t/" + tenant + "/doc/{" + id + "}",
		"t/" + tenant + "/doc/urn:uuid:" + id,
		"t/" + tenant + "/doc/" + strings.ReplaceAll(id, "-", ""),
		"t/%2e%2e/doc/" + id,
		"/etc/passwd",
		"t/" + tenant + "/doc/../../../../etc/passwd",
	}
	for _, key := range badKeys {
		if err := s.Put(ctx, key, strings.NewReader("x"), 1, ""); !errors.Is(err, storage.ErrInvalidKey) {
			t.Errorf("Put(%q): err = %v, want ErrInvalidKey", key, err)
		}
		if rc, err := s.Get(ctx, key, 0, -1); !errors.Is(err, storage.ErrInvalidKey) {
			if err == nil {
				_ = rc.Close()
			}
			t.Errorf("Get(%q): err = %v, want ErrInvalidKey", key, err)
		}
		if _, err := s.Stat(ctx, key); !errors.Is(err, storage.ErrInvalidKey) {
			t.Errorf("Stat(%q): err = %v, want ErrInvalidKey", key, err)
		}
		if err := s.Delete(ctx, key); !errors.Is(err, storage.ErrInvalidKey) {
			t.Errorf("Delete(%q): err = %v, want ErrInvalidKey", key, err)
		}
	}
	badPrefixes := []string{
		"t", "t/", "/", "../", "./", "t/" + tenant, "t/" + tenant + "/d", "t/" + tenant + "//",
		"t/" + tenant + "/doc", valid, valid + "/", "t/" + tenant + "/../",
		"t/" + uuid.Nil.String() + "/", "T/" + tenant + "/", "t/" + strings.ToUpper(tenant) + "/",
		"t/" + tenant + "/doc_x/", "/t/" + tenant + "/",
	}
	for _, prefix := range badPrefixes {
		err := s.List(ctx, prefix, func(info storage.ObjectInfo) error {
			return fmt.Errorf("List(%q) yielded %s", prefix, info.Key)
		})
		if !errors.Is(err, storage.ErrInvalidKey) {
			t.Errorf("List(%q): err = %v, want ErrInvalidKey", prefix, err)
		}
	}
	if keys := ListKeys(t, s, ""); len(keys) != 0 {
		t.Fatalf("refused keys were stored: %v", keys)
	}
}

func testInvalidArguments(t *testing.T, s storage.Store) {
	ctx := t.Context()
	key := NewKey(t, tenantA, "revision")
	if err := s.Put(ctx, key, strings.NewReader(""), -1, ""); !errors.Is(err, storage.ErrSizeMismatch) {
		t.Errorf("Put with size -1: err = %v, want ErrSizeMismatch", err)
	}
	if err := s.Put(ctx, key, strings.NewReader("x"), 1, "text/plain\r\nX-Evil: 1"); !errors.Is(err, storage.ErrInvalidArgument) {
		t.Errorf("Put with a malformed content type: err = %v, want ErrInvalidArgument", err)
	}
	AssertAbsent(t, s, key)
}

func testConcurrentPuts(t *testing.T, s storage.Store) {
	const n = 64
	keys := make([]string, n)
	for i := range keys {
		keys[i] = NewKey(t, tenantA, "revision")
	}
	Parallel(t, 8, n, func(i int) error {
		data := Bytes(uint64(100+i), 1000*i+1)
		return s.Put(t.Context(), keys[i], bytes.NewReader(data), int64(len(data)), "")
	})
	Parallel(t, 8, n, func(i int) error {
		got, err := Read(t.Context(), s, keys[i], 0, -1)
		if err == nil && !bytes.Equal(got, Bytes(uint64(100+i), 1000*i+1)) {
			err = fmt.Errorf("object %d read back differs (%d bytes)", i, len(got))
		}
		return err
	})

	// Writers racing on one key: the result is one complete version, never a
	// mix or a partial file.
	same := NewKey(t, tenantB, "revision")
	const writers, size = 8, 256 << 10
	Parallel(t, writers, writers, func(i int) error {
		return s.Put(t.Context(), same, Generator(uint64(200+i), size), size, "")
	})
	got := ReadAll(t, s, same, 0, -1)
	for i := range writers {
		if bytes.Equal(got, Bytes(uint64(200+i), size)) {
			return
		}
	}
	t.Fatalf("racing Puts left %d bytes that match none of the versions", len(got))
}

func testCancel(t *testing.T, s storage.Store) {
	t.Run("before start", func(t *testing.T) {
		ctx, cancel := context.WithCancel(t.Context())
		cancel()
		key := NewKey(t, tenantA, "revision")
		if err := s.Put(ctx, key, strings.NewReader("abc"), 3, ""); !errors.Is(err, context.Canceled) {
			t.Fatalf("Put with a cancelled context: err = %v, want context.Canceled", err)
		}
		AssertAbsent(t, s, key)
		err := s.List(ctx, storage.TenantPrefix(tenantA), func(storage.ObjectInfo) error { return nil })
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("List with a cancelled context: err = %v, want context.Canceled", err)
		}
	})
	for _, tc := range []struct {
		name        string
		size, after int64
	}{
		{"single request", 4 << 20, 1 << 20},
		{"multipart", 3 * partBoundary, partBoundary + 1<<20},
	} {
		t.Run("during "+tc.name, func(t *testing.T) {
			ctx, cancel := context.WithCancel(t.Context())
			defer cancel()
			key := NewKey(t, tenantA, "revision")
			r := &cancellingReader{r: Generator(9, tc.size), after: tc.after, cancel: cancel}
			if err := s.Put(ctx, key, r, tc.size, ""); !errors.Is(err, context.Canceled) {
				t.Fatalf("Put cancelled after %d bytes: err = %v, want context.Canceled", tc.after, err)
			}
			if r.read() == tc.size {
				t.Errorf("Put read the whole stream after cancellation")
			}
			AssertAbsent(t, s, key)
		})
	}
}

// cancellingReader calls cancel once it has produced after bytes, and keeps
// producing data.
type cancellingReader struct {
	r      io.Reader
	after  int64
	cancel context.CancelFunc

	mu sync.Mutex
	n  int64
}

func (c *cancellingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.mu.Lock()
	c.n += int64(n)
	if c.n >= c.after {
		c.cancel()
	}
	c.mu.Unlock()
	return n, err
}

func (c *cancellingReader) read() int64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.n
}
