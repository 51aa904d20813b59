package storagetest

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"sync/atomic"
	"testing"

	"github.com/kollab/kollab/internal/storage"
)

// testMultipartRoundTrip puts objects around and above the part boundary
// (several requests on a multipart backend) and reads them back.
func testMultipartRoundTrip(t *testing.T, s storage.Store) {
	for _, size := range []int{partBoundary, partBoundary + 1, 2*partBoundary + 12345} {
		key := NewKey(t, tenantA, "revision")
		data := Bytes(uint64(size), size)
		Put(t, s, key, data, "application/octet-stream")
		if info := StatOK(t, s, key); info.Size != int64(size) {
			t.Fatalf("Stat after a %d-byte Put: size %d", size, info.Size)
		}
		if got := ReadAll(t, s, key, 0, -1); !bytes.Equal(got, data) {
			t.Fatalf("%d-byte object read back as %d bytes that differ", size, len(got))
		}
	}
}

// testVerifiedReads checks storage.GetVerified: it refuses an object of
// another size than recorded before handing out a byte, and a read of the
// whole object never ends cleanly when the SHA-256 differs.
func testVerifiedReads(t *testing.T, s storage.Store) {
	ctx := t.Context()
	data := Bytes(11, 70_000)
	sum := sha256.Sum256(data)
	good := storage.Want{Size: int64(len(data)), SHA256: hex.EncodeToString(sum[:])}
	key := NewKey(t, tenantA, "revision")
	Put(t, s, key, data, "")

	read := func(want storage.Want, offset, length int64) ([]byte, error, int) {
		var calls atomic.Int32
		rc, err := storage.GetVerified(ctx, s, key, want, offset, length, func(error) { calls.Add(1) })
		if err != nil {
			return nil, err, int(calls.Load())
		}
		defer rc.Close()
		got, err := io.ReadAll(rc)
		return got, err, int(calls.Load())
	}

	if got, err, calls := read(good, 0, -1); err != nil || !bytes.Equal(got, data) || calls != 0 {
		t.Fatalf("verified read of an intact object: %d bytes, err %v, onCorrupt called %d times", len(got), err, calls)
	}
	if got, err, _ := read(good, 100, 50); err != nil || !bytes.Equal(got, data[100:150]) {
		t.Fatalf("verified range read: %d bytes, err %v", len(got), err)
	}
	if got, err, _ := read(good, int64(len(data))-10, -1); err != nil || !bytes.Equal(got, data[len(data)-10:]) {
		t.Fatalf("verified tail read: %d bytes, err %v", len(got), err)
	}

	for _, size := range []int64{good.Size - 1, good.Size + 1} {
		want := storage.Want{Size: size, SHA256: good.SHA256}
		for _, rg := range [][2]int64{{0, -1}, {10, 10}} {
			got, err, calls := read(want, rg[0], rg[1])
			if !errors.Is(err, storage.ErrCorrupt) || got != nil || calls != 1 {
				t.Errorf("recorded size %d, stored %d, range %v: %d bytes, err %v, onCorrupt %d times; want ErrCorrupt before any byte, reported once",
					size, good.Size, rg, len(got), err, calls)
			}
		}
	}

	bad := storage.Want{Size: good.Size, SHA256: hex.EncodeToString(make([]byte, sha256.Size))}
	got, err, calls := read(bad, 0, -1)
	if !errors.Is(err, storage.ErrCorrupt) || calls != 1 {
		t.Fatalf("recorded SHA-256 differs: err %v, onCorrupt %d times; want ErrCorrupt, reported once", err, calls)
	}
	if len(got) >= len(data) {
		t.Fatalf("recorded SHA-256 differs: all %d bytes were handed out before the error", len(got))
	}
	// A range cannot be hashed: only the size is checked.
	if got, err, _ := read(bad, 1, 100); err != nil || !bytes.Equal(got, data[1:101]) {
		t.Fatalf("range read with an unverifiable hash: %d bytes, err %v", len(got), err)
	}

	empty := NewKey(t, tenantA, "revision")
	Put(t, s, empty, nil, "")
	e := sha256.Sum256(nil)
	rc, err := storage.GetVerified(ctx, s, empty, storage.Want{Size: 0, SHA256: hex.EncodeToString(e[:])}, 0, -1, nil)
	if err != nil {
		t.Fatalf("verified read of an empty object: %v", err)
	}
	if b, err := io.ReadAll(rc); err != nil || len(b) != 0 {
		t.Fatalf("verified read of an empty object: %d bytes, %v", len(b), err)
	}
	_ = rc.Close()
	if _, err := storage.GetVerified(ctx, s, empty, bad, 0, -1, nil); !errors.Is(err, storage.ErrCorrupt) {
		t.Fatalf("empty object recorded with %d bytes: err %v, want ErrCorrupt", bad.Size, err)
	}
	missing := NewKey(t, tenantA, "revision")
	if _, err := storage.GetVerified(ctx, s, missing, good, 0, -1, nil); !errors.Is(err, storage.ErrNotFound) {
		t.Fatalf("verified read of a missing object: err %v, want ErrNotFound", err)
	}
}

// testAbortIncompleteNothing checks that AbortIncomplete of a key without
// unfinished uploads, complete or absent, changes nothing.
func testAbortIncompleteNothing(t *testing.T, s storage.Store) {
	key := NewKey(t, tenantA, "revision")
	Put(t, s, key, []byte("complete"), "")
	for _, k := range []string{key, NewKey(t, tenantA, "revision")} {
		d, err := s.AbortIncomplete(t.Context(), k)
		if err != nil || d != (storage.Discarded{}) {
			t.Fatalf("AbortIncomplete(%s) = %+v, %v; want nothing discarded", k, d, err)
		}
	}
	if got := ReadAll(t, s, key, 0, -1); string(got) != "complete" {
		t.Fatalf("AbortIncomplete touched a complete object: %q", got)
	}
	if _, err := s.AbortIncomplete(t.Context(), "t/../x"); !errors.Is(err, storage.ErrInvalidKey) {
		t.Fatalf("AbortIncomplete of an invalid key: err %v, want ErrInvalidKey", err)
	}
}
