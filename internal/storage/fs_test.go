package storage_test

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/kollab/kollab/internal/storage"
	"github.com/kollab/kollab/internal/storage/storagetest"
)

func newFS(t *testing.T) *storage.FS {
	t.Helper()
	s, err := storage.NewFS(filepath.Join(t.TempDir(), "blobs"))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestFSContract(t *testing.T) {
	storagetest.Run(t, func(t *testing.T) storage.Store { return newFS(t) })
}

func TestFSStreaming200MiB(t *testing.T) {
	storagetest.RunStreaming(t, newFS(t), 200<<20, 64<<20)
}

var (
	fsTenant = uuid.MustParse("0190a1b2-0000-7000-8000-0000000000f1")
	fsOther  = uuid.MustParse("0190a1b2-0000-7000-8000-0000000000f2")
)

// A symbolic link planted inside the root must not lead a key outside it.
func TestFSSymlinkEscapeRefused(t *testing.T) {
	s := newFS(t)
	outside := t.TempDir()
	secretKey := storagetest.NewKey(t, fsOther, "doc")
	secret := filepath.Join(outside, filepath.FromSlash(secretKey))
	if err := os.MkdirAll(filepath.Dir(secret), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(secret, []byte("outside the root"), 0o644); err != nil {
		t.Fatal(err)
	}
	// <root>/t -> <outside>/t
	if err := os.Symlink(filepath.Join(outside, "t"), filepath.Join(s.Dir(), "t")); err != nil {
		t.Fatal(err)
	}
	ctx := t.Context()
	if rc, err := s.Get(ctx, secretKey, 0, -1); err == nil {
		_ = rc.Close()
		t.Fatal("Get followed a symlink out of the root")
	}
	if _, err := s.Stat(ctx, secretKey); err == nil {
		t.Fatal("Stat followed a symlink out of the root")
	}
	key := storagetest.NewKey(t, fsOther, "doc")
	if err := s.Put(ctx, key, strings.NewReader("x"), 1, ""); err == nil {
		t.Fatal("Put wrote through a symlink out of the root")
	}
	if err := s.Delete(ctx, secretKey); err == nil {
		if _, statErr := os.Stat(secret); statErr != nil {
			t.Fatal("Delete removed a file outside the root")
		}
	}
	if _, err := os.Stat(secret); err != nil {
		t.Fatalf("file outside the root: %v", err)
	}
	entries, err := os.ReadDir(filepath.Join(outside, "t", fsOther.String(), "doc"))
	if err != nil || len(entries) != 1 {
		t.Fatalf("outside folder has %d entries (%v), want only the planted file", len(entries), err)
	}
}

// Failed uploads leave no temporary files, and the listing skips strays and
// symlinked objects.
func TestFSLayoutAndStrays(t *testing.T) {
	s := newFS(t)
	key := storagetest.NewKey(t, fsTenant, "doc")
	storagetest.Put(t, s, key, []byte("hello"), "text/plain")
	if err := s.Put(t.Context(), storagetest.NewKey(t, fsTenant, "doc"), strings.NewReader("short"), 10, ""); !errors.Is(err, storage.ErrSizeMismatch) {
		t.Fatalf("short Put: %v", err)
	}
	data, err := os.ReadFile(filepath.Join(s.Dir(), filepath.FromSlash(key)))
	if err != nil || string(data) != "hello" {
		t.Fatalf("object file = %q, %v", data, err)
	}
	tmp, err := os.ReadDir(filepath.Join(s.Dir(), ".tmp"))
	if err != nil || len(tmp) != 0 {
		t.Fatalf(".tmp holds %d entries (%v) after uploads finished", len(tmp), err)
	}

	dir := filepath.Join(s.Dir(), "t", fsTenant.String(), "doc")
	if err := os.WriteFile(filepath.Join(dir, "not-a-key"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	link := storagetest.NewKey(t, fsTenant, "doc")
	if err := os.Symlink(filepath.Join(s.Dir(), filepath.FromSlash(key)), filepath.Join(s.Dir(), filepath.FromSlash(link))); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(dir, "deeper", "still"), 0o755); err != nil {
		t.Fatal(err)
	}
	if got := storagetest.ListKeys(t, s, ""); !slices.Equal(got, []string{key}) {
		t.Fatalf("List = %v, want only %s", got, key)
	}
	if _, err := s.Stat(t.Context(), link); !errors.Is(err, storage.ErrNotFound) {
		t.Errorf("Stat of a symlinked key: err = %v, want ErrNotFound", err)
	}
	if rc, err := s.Get(t.Context(), link, 0, -1); !errors.Is(err, storage.ErrNotFound) {
		if err == nil {
			_ = rc.Close()
		}
		t.Errorf("Get of a symlinked key: err = %v, want ErrNotFound", err)
	}
}

// NewFS removes temporary files of uploads interrupted long ago, and keeps
// recent ones that may belong to a running upload.
func TestFSRemovesStaleTemp(t *testing.T) {
	s := newFS(t)
	tmp := filepath.Join(s.Dir(), ".tmp")
	stale, fresh := filepath.Join(tmp, "stale.part"), filepath.Join(tmp, "fresh.part")
	for _, p := range []string{stale, fresh} {
		if err := os.WriteFile(p, []byte("partial"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	old := time.Now().Add(-48 * time.Hour)
	if err := os.Chtimes(stale, old, old); err != nil {
		t.Fatal(err)
	}
	if _, err := storage.NewFS(s.Dir()); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(stale); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("stale temp file still there: %v", err)
	}
	if _, err := os.Stat(fresh); err != nil {
		t.Errorf("fresh temp file removed: %v", err)
	}
}

func TestFSPingFailsWhenRootMissing(t *testing.T) {
	s := newFS(t)
	if err := os.RemoveAll(s.Dir()); err != nil {
		t.Fatal(err)
	}
	if err := s.Ping(t.Context()); err == nil {
		t.Fatal("Ping succeeded without a root folder")
	}
}

// After a crash mid-upload, AbortIncomplete removes the temporary file of
// that key (and only of that key).
func TestFSAbortIncomplete(t *testing.T) {
	s := newFS(t)
	key := storagetest.NewKey(t, fsTenant, "doc")
	other := storagetest.NewKey(t, fsTenant, "doc")
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	go func() { done <- s.Put(t.Context(), key, pr, 1<<20, "") }()
	if _, err := pw.Write(make([]byte, 300<<10)); err != nil {
		t.Fatal(err)
	}
	tmp := filepath.Join(s.Dir(), ".tmp")
	// Another upload's leftover stays.
	if err := os.WriteFile(filepath.Join(tmp, strings.ReplaceAll(other, "/", "_")+".x.part"), []byte("other"), 0o600); err != nil {
		t.Fatal(err)
	}
	d, err := s.AbortIncomplete(t.Context(), key)
	if err != nil {
		t.Fatal(err)
	}
	if d.Uploads != 1 || d.Bytes < 256<<10 {
		t.Fatalf("AbortIncomplete = %+v, want the one upload with its bytes", d)
	}
	entries, _ := os.ReadDir(tmp)
	if len(entries) != 1 || !strings.HasPrefix(entries[0].Name(), strings.ReplaceAll(other, "/", "_")) {
		t.Fatalf("temporary files left: %v", entries)
	}
	pw.CloseWithError(errors.New("client gone"))
	if err := <-done; err == nil {
		t.Fatal("Put succeeded after its upload was aborted")
	}
	storagetest.AssertAbsent(t, s, key)
}
