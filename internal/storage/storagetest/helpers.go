package storagetest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"testing"

	"github.com/google/uuid"

	"github.com/kollab/kollab/internal/storage"
)

// NewKey returns a fresh key for tenant and kind, failing the test on error.
func NewKey(t testing.TB, tenant uuid.UUID, kind string) string {
	t.Helper()
	key, err := storage.NewKey(tenant, kind)
	if err != nil {
		t.Fatalf("NewKey(%s, %q): %v", tenant, kind, err)
	}
	return key
}

// Put stores data under key, failing the test on error.
func Put(t testing.TB, s storage.Store, key string, data []byte, contentType string) {
	t.Helper()
	if err := s.Put(t.Context(), key, bytes.NewReader(data), int64(len(data)), contentType); err != nil {
		t.Fatalf("Put(%s, %d bytes): %v", key, len(data), err)
	}
}

// ReadAll reads the range (offset, length) of key, failing the test on error.
func ReadAll(t testing.TB, s storage.Store, key string, offset, length int64) []byte {
	t.Helper()
	data, err := Read(t.Context(), s, key, offset, length)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// Read reads the range (offset, length) of key; unlike ReadAll it may be
// called from any goroutine.
func Read(ctx context.Context, s storage.Store, key string, offset, length int64) ([]byte, error) {
	rc, err := s.Get(ctx, key, offset, length)
	if err != nil {
		return nil, fmt.Errorf("Get(%s, %d, %d): %w", key, offset, length, err)
	}
	data, err := io.ReadAll(rc)
	if cerr := rc.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return nil, fmt.Errorf("read Get(%s, %d, %d): %w", key, offset, length, err)
	}
	return data, nil
}

// StatOK stats key, failing the test on error.
func StatOK(t testing.TB, s storage.Store, key string) storage.ObjectInfo {
	t.Helper()
	info, err := s.Stat(t.Context(), key)
	if err != nil {
		t.Fatalf("Stat(%s): %v", key, err)
	}
	return info
}

// AssertAbsent fails the test unless key does not exist.
func AssertAbsent(t testing.TB, s storage.Store, key string) {
	t.Helper()
	if info, err := s.Stat(t.Context(), key); !errors.Is(err, storage.ErrNotFound) {
		t.Errorf("Stat(%s) = %+v, %v; want ErrNotFound (nothing stored)", key, info, err)
	}
}

// ListKeys returns the keys List yields for prefix, in the order yielded.
func ListKeys(t testing.TB, s storage.Store, prefix string) []string {
	t.Helper()
	var keys []string
	err := s.List(t.Context(), prefix, func(info storage.ObjectInfo) error {
		keys = append(keys, info.Key)
		return nil
	})
	if err != nil {
		t.Fatalf("List(%q): %v", prefix, err)
	}
	return keys
}
