package storage_test

import (
	"errors"
	"path"
	"regexp"
	"strings"
	"testing"

	"github.com/google/uuid"

	"github.com/kollab/kollab/internal/storage"
)

var keyShape = regexp.MustCompile(`^t/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/[a-z0-9-]+/[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)

func TestNewKey(t *testing.T) {
	tenant := uuid.MustParse("0190a1b2-0000-7000-8000-0000000000d1")
	seen := map[string]bool{}
	for range 1000 {
		key, err := storage.NewKey(tenant, "revision")
		if err != nil {
			t.Fatal(err)
		}
		if !keyShape.MatchString(key) || !strings.HasPrefix(key, storage.TenantPrefix(tenant)+"revision/") {
			t.Fatalf("NewKey = %q, not of the shape t/<tenant>/revision/<uuidv7>", key)
		}
		if seen[key] {
			t.Fatalf("NewKey repeated %s", key)
		}
		seen[key] = true
		parts, err := storage.ParseKey(key)
		if err != nil || parts.TenantID != tenant || parts.Kind != "revision" || parts.ID.Version() != 7 {
			t.Fatalf("ParseKey(%s) = %+v, %v", key, parts, err)
		}
	}
	for _, kind := range []string{"", "Doc", "doc_x", "doc/x", "..", "doc.x", "dok\u00fc", strings.Repeat("a", 65)} {
		if _, err := storage.NewKey(tenant, kind); !errors.Is(err, storage.ErrInvalidKey) {
			t.Errorf("NewKey(kind %q): err = %v, want ErrInvalidKey", kind, err)
		}
	}
	if _, err := storage.NewKey(uuid.Nil, "doc"); !errors.Is(err, storage.ErrInvalidKey) {
		t.Errorf("NewKey(nil tenant): err = %v, want ErrInvalidKey", err)
	}
	if _, err := storage.NewKey(tenant, strings.Repeat("a", 64)); err != nil {
		t.Errorf("NewKey with a 64-character kind: %v", err)
	}
}

func TestPrefixes(t *testing.T) {
	tenant := uuid.MustParse("0190a1b2-0000-7000-8000-0000000000d1")
	kindPrefix, err := storage.KindPrefix(tenant, "doc")
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{"", storage.TenantPrefix(tenant), kindPrefix} {
		if err := storage.ValidatePrefix(p); err != nil {
			t.Errorf("ValidatePrefix(%q): %v", p, err)
		}
	}
	if err := storage.ValidatePrefix(storage.TenantPrefix(uuid.Nil)); !errors.Is(err, storage.ErrInvalidKey) {
		t.Errorf("ValidatePrefix(nil tenant): err = %v, want ErrInvalidKey", err)
	}
	if _, err := storage.KindPrefix(uuid.Nil, "doc"); !errors.Is(err, storage.ErrInvalidKey) {
		t.Errorf("KindPrefix(nil tenant): err = %v", err)
	}
	key, err := storage.NewKey(tenant, "doc")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(key, kindPrefix) {
		t.Errorf("key %s outside its kind prefix %s", key, kindPrefix)
	}
}

// Whatever ValidateKey accepts is a clean relative path of the key shape.
func FuzzValidateKey(f *testing.F) {
	f.Add("t/0190a1b2-0000-7000-8000-0000000000d1/doc/0190a1b2-0000-7000-8000-0000000000d2")
	f.Add("t/0190a1b2-0000-7000-8000-0000000000d1/../0190a1b2-0000-7000-8000-0000000000d2")
	f.Add("t/0190A1B2-0000-7000-8000-0000000000D1/doc/0190a1b2-0000-7000-8000-0000000000d2")
	f.Add("/t/x/../y")
	f.Fuzz(func(t *testing.T, key string) {
		if storage.ValidateKey(key) != nil {
			return
		}
		if !keyShape.MatchString(key) || path.Clean(key) != key || strings.ContainsAny(key, "\\.:\x00") {
			t.Fatalf("ValidateKey accepted %q", key)
		}
	})
}
