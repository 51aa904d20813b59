// Package storagetest is the contract every storage.Store implementation
// must satisfy. Backends run it from their tests:
//
//	storagetest.Run(t, func(t *testing.T) storage.Store { return newEmptyStore(t) })
//
// and RunStreaming checks that a large object streams with flat memory.
package storagetest

import (
	"bytes"
	"context"
	"errors"
	"io"
	"math/rand/v2"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/kollab/kollab/internal/storage"
)

// NewStore returns an empty store, private to the calling test.
type NewStore func(t *testing.T) storage.Store

// Run runs the Store contract against stores made by newStore. Each subtest
// gets its own store and runs in parallel with the others.
func Run(t *testing.T, newStore NewStore) {
	tests := []struct {
		name string
		fn   func(t *testing.T, s storage.Store)
	}{
		{"PutGetRoundTrip", testRoundTrip},
		{"EmptyObject", testEmptyObject},
		{"PutReplaces", testPutReplaces},
		{"Ranges", testRanges},
		{"Stat", testStat},
		{"NotFound", testNotFound},
		{"Delete", testDelete},
		{"ListOrderAndTenantIsolation", testListIsolation},
		{"ListPagination", testListPagination},
		{"ListStopsOnCallbackError", testListStop},
		{"SizeMismatchLeavesNothing", testSizeMismatch},
		{"InvalidKeysRefused", testInvalidKeys},
		{"InvalidArguments", testInvalidArguments},
		{"ConcurrentPuts", testConcurrentPuts},
		{"CancelAbortsUpload", testCancel},
		{"Ping", testPing},
		{"MultipartRoundTrip", testMultipartRoundTrip},
		{"VerifiedReads", testVerifiedReads},
		{"AbortIncompleteNothing", testAbortIncompleteNothing},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			tc.fn(t, newStore(t))
		})
	}
}

// Two tenants, as in every store test: tenant A's data must never show up
// for tenant B.
var (
	tenantA = uuid.MustParse("0190a1b2-0000-7000-8000-00000000000a")
	tenantB = uuid.MustParse("0190a1b2-0000-7000-8000-00000000000b")
)

func testRoundTrip(t *testing.T, s storage.Store) {
	data := Bytes(1, 100_000)
	key := NewKey(t, tenantA, "revision")
	Put(t, s, key, data, "application/pdf")
	if got := ReadAll(t, s, key, 0, -1); !bytes.Equal(got, data) {
		t.Fatalf("Get returned %d bytes that differ from the %d put", len(got), len(data))
	}
}

func testEmptyObject(t *testing.T, s storage.Store) {
	key := NewKey(t, tenantA, "revision")
	Put(t, s, key, nil, "")
	if got := ReadAll(t, s, key, 0, -1); len(got) != 0 {
		t.Fatalf("Get of empty object returned %d bytes", len(got))
	}
	if got := ReadAll(t, s, key, 0, 0); len(got) != 0 {
		t.Fatalf("Get(0, 0) of empty object returned %d bytes", len(got))
	}
	if info := StatOK(t, s, key); info.Size != 0 {
		t.Fatalf("Stat size = %d, want 0", info.Size)
	}
	if _, err := s.Get(t.Context(), key, 1, -1); !errors.Is(err, storage.ErrInvalidRange) {
		t.Fatalf("Get(1, -1) of empty object: err = %v, want ErrInvalidRange", err)
	}
}

func testPutReplaces(t *testing.T, s storage.Store) {
	key := NewKey(t, tenantA, "export")
	Put(t, s, key, []byte("first version, longer"), "text/plain")
	Put(t, s, key, []byte("second"), "text/plain")
	if got := ReadAll(t, s, key, 0, -1); string(got) != "second" {
		t.Fatalf("after second Put, Get = %q", got)
	}
}

func testRanges(t *testing.T, s storage.Store) {
	data := Bytes(2, 1000)
	key := NewKey(t, tenantA, "revision")
	Put(t, s, key, data, "application/octet-stream")
	for _, tc := range []struct {
		name           string
		offset, length int64
		want           []byte // nil: expect ErrInvalidRange
	}{
		{"whole", 0, -1, data},
		{"start", 0, 10, data[:10]},
		{"middle", 100, 50, data[100:150]},
		{"one byte", 999, 1, data[999:]},
		{"suffix to end", 990, -1, data[990:]},
		{"length past end is clamped", 990, 100, data[990:]},
		{"exact length", 0, 1000, data},
		{"zero length", 5, 0, []byte{}},
		{"offset at end", 1000, -1, []byte{}},
		{"offset at end, length", 1000, 10, []byte{}},
		{"offset past end", 1001, -1, nil},
		{"offset far past end", 5000, 10, nil},
		{"negative offset", -1, 10, nil},
		{"negative length", 0, -2, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.want == nil {
				rc, err := s.Get(t.Context(), key, tc.offset, tc.length)
				if err == nil {
					_ = rc.Close()
				}
				if !errors.Is(err, storage.ErrInvalidRange) {
					t.Fatalf("Get(%d, %d): err = %v, want ErrInvalidRange", tc.offset, tc.length, err)
				}
				return
			}
			if got := ReadAll(t, s, key, tc.offset, tc.length); !bytes.Equal(got, tc.want) {
				t.Fatalf("Get(%d, %d) = %d bytes, want %d bytes %q...", tc.offset, tc.length, len(got), len(tc.want), tc.want[:min(8, len(tc.want))])
			}
		})
	}
}

func testStat(t *testing.T, s storage.Store) {
	key := NewKey(t, tenantA, "attachment")
	before := time.Now().Add(-2 * time.Minute)
	Put(t, s, key, Bytes(3, 4321), "image/png")
	info := StatOK(t, s, key)
	if info.Key != key || info.Size != 4321 {
		t.Fatalf("Stat = %+v, want key %s size 4321", info, key)
	}
	if info.ModTime.Location() != time.UTC || info.ModTime.Before(before) || info.ModTime.After(time.Now().Add(2*time.Minute)) {
		t.Fatalf("Stat ModTime = %v, want about now in UTC", info.ModTime)
	}
	if info.ContentType != "" && info.ContentType != "image/png" {
		t.Fatalf("Stat ContentType = %q, want image/png or empty", info.ContentType)
	}
}

func testNotFound(t *testing.T, s storage.Store) {
	ctx := t.Context()
	key := NewKey(t, tenantA, "revision")
	Put(t, s, key, []byte("tenant A"), "text/plain")
	// Same object id and kind, other tenant: must look exactly like a key that
	// never existed.
	parts, err := storage.ParseKey(key)
	if err != nil {
		t.Fatal(err)
	}
	otherTenant := storage.TenantPrefix(tenantB) + parts.Kind + "/" + parts.ID.String()
	for _, missing := range []string{NewKey(t, tenantA, "revision"), NewKey(t, tenantB, "never-used"), otherTenant} {
		if _, err := s.Stat(ctx, missing); !errors.Is(err, storage.ErrNotFound) {
			t.Errorf("Stat(%s): err = %v, want ErrNotFound", missing, err)
		}
		for _, r := range [][2]int64{{0, -1}, {0, 0}, {3, 2}} {
			rc, err := s.Get(ctx, missing, r[0], r[1])
			if err == nil {
				_ = rc.Close()
			}
			if !errors.Is(err, storage.ErrNotFound) {
				t.Errorf("Get(%s, %d, %d): err = %v, want ErrNotFound", missing, r[0], r[1], err)
			}
		}
		if err := s.Delete(ctx, missing); err != nil {
			t.Errorf("Delete(%s) of missing object: %v, want nil", missing, err)
		}
	}
}

func testDelete(t *testing.T, s storage.Store) {
	ctx := t.Context()
	keep := NewKey(t, tenantA, "revision")
	gone := NewKey(t, tenantA, "revision")
	Put(t, s, keep, []byte("keep"), "")
	Put(t, s, gone, []byte("gone"), "")
	if err := s.Delete(ctx, gone); err != nil {
		t.Fatalf("Delete: %v", err)
	}
	if _, err := s.Stat(ctx, gone); !errors.Is(err, storage.ErrNotFound) {
		t.Fatalf("Stat after Delete: err = %v, want ErrNotFound", err)
	}
	if err := s.Delete(ctx, gone); err != nil {
		t.Fatalf("second Delete: %v, want nil", err)
	}
	if got := ListKeys(t, s, storage.TenantPrefix(tenantA)); !slices.Equal(got, []string{keep}) {
		t.Fatalf("List after Delete = %v, want [%s]", got, keep)
	}
}

func testListIsolation(t *testing.T, s storage.Store) {
	// "doc-x" sorts before "doc/" byte-wise although the folder "doc" sorts
	// before "doc-x": the listing must follow key order, not folder order.
	kinds := []string{"doc", "doc-x", "a", "z9"}
	want := map[uuid.UUID][]string{}
	sizes := map[string]int64{}
	for i, tenant := range []uuid.UUID{tenantA, tenantB} {
		for j, kind := range kinds {
			for k := range 3 {
				key := NewKey(t, tenant, kind)
				size := int64(i*100 + j*10 + k)
				Put(t, s, key, Bytes(uint64(size), int(size)), "")
				want[tenant] = append(want[tenant], key)
				sizes[key] = size
			}
		}
	}
	for tenant, keys := range want {
		slices.Sort(keys)
		got := ListKeys(t, s, storage.TenantPrefix(tenant))
		if !slices.Equal(got, keys) {
			t.Errorf("List(%s) =\n%v\nwant\n%v", storage.TenantPrefix(tenant), got, keys)
		}
		docPrefix, err := storage.KindPrefix(tenant, "doc")
		if err != nil {
			t.Fatal(err)
		}
		var docs []string
		for _, k := range keys {
			if k[:len(docPrefix)] == docPrefix {
				docs = append(docs, k)
			}
		}
		if got := ListKeys(t, s, docPrefix); !slices.Equal(got, docs) || len(docs) != 3 {
			t.Errorf("List(%s) = %v, want %v", docPrefix, got, docs)
		}
	}
	all := slices.Concat(want[tenantA], want[tenantB])
	slices.Sort(all)
	if got := ListKeys(t, s, ""); !slices.Equal(got, all) {
		t.Errorf("List(\"\") = %d keys, want %d in order", len(got), len(all))
	}
	err := s.List(t.Context(), storage.TenantPrefix(tenantA), func(info storage.ObjectInfo) error {
		if info.Size != sizes[info.Key] || info.ModTime.IsZero() {
			t.Errorf("List info %+v: want size %d and a ModTime", info, sizes[info.Key])
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	empty := uuid.MustParse("0190a1b2-0000-7000-8000-0000000000cc")
	if got := ListKeys(t, s, storage.TenantPrefix(empty)); len(got) != 0 {
		t.Errorf("List of a tenant without objects = %v", got)
	}
}

func testListPagination(t *testing.T, s storage.Store) {
	const n = 1100 // more than one S3 page of 1,000
	keys := make([]string, n)
	for i := range keys {
		keys[i] = NewKey(t, tenantA, "page")
	}
	Parallel(t, 16, n, func(i int) error {
		return s.Put(t.Context(), keys[i], bytes.NewReader([]byte{byte(i)}), 1, "")
	})
	Put(t, s, NewKey(t, tenantB, "page"), []byte("b"), "")
	slices.Sort(keys)
	if got := ListKeys(t, s, storage.TenantPrefix(tenantA)); !slices.Equal(got, keys) {
		t.Fatalf("List returned %d keys, want the %d put, in order", len(got), n)
	}
}

func testListStop(t *testing.T, s storage.Store) {
	for range 10 {
		Put(t, s, NewKey(t, tenantA, "revision"), []byte("x"), "")
	}
	stop := errors.New("enough")
	calls := 0
	err := s.List(t.Context(), storage.TenantPrefix(tenantA), func(storage.ObjectInfo) error {
		calls++
		if calls == 3 {
			return stop
		}
		return nil
	})
	if err != stop || calls != 3 {
		t.Fatalf("List with a failing callback: err = %v after %d calls, want the callback's error after 3", err, calls)
	}
}

func testPing(t *testing.T, s storage.Store) {
	if err := s.Ping(t.Context()); err != nil {
		t.Fatalf("Ping: %v", err)
	}
}

// Parallel runs fn(0..n-1) on workers goroutines and fails the test on the
// first error.
func Parallel(t *testing.T, workers, n int, fn func(i int) error) {
	t.Helper()
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	next := make(chan int)
	var (
		wg       sync.WaitGroup
		once     sync.Once
		firstErr error
	)
	for range workers {
		wg.Go(func() {
			for i := range next {
				if err := fn(i); err != nil {
					once.Do(func() { firstErr = err; cancel() })
				}
			}
		})
	}
feed:
	for i := range n {
		select {
		case next <- i:
		case <-ctx.Done():
			break feed
		}
	}
	close(next)
	wg.Wait()
	if firstErr != nil {
		t.Fatal(firstErr)
	}
}

// Bytes returns n deterministic pseudo-random bytes for seed.
func Bytes(seed uint64, n int) []byte {
	b := make([]byte, n)
	_, _ = io.ReadFull(Generator(seed, int64(n)), b) // cannot fail
	return b
}

// Generator returns a reader of n deterministic pseudo-random bytes that
// holds no buffer, for streams of any size.
func Generator(seed uint64, n int64) io.Reader {
	var key [32]byte
	key[0], key[1] = byte(seed), byte(seed>>8)
	key[2], key[3] = byte(seed>>16), byte(seed>>24)
	return io.LimitReader(rand.NewChaCha8(key), n)
}
