package api

import (
	"testing"

	"github.com/google/uuid"
	"github.com/kollab/kollab/internal/errs"
)

func TestStreamSlots(t *testing.T) {
	var s streamSlots
	login, other := uuid.New(), uuid.New()
	var releases []func()
	for range maxStreamsPerLogin {
		r, err := s.acquire(login)
		if err != nil {
			t.Fatal(err)
		}
		releases = append(releases, r)
	}
	if _, err := s.acquire(login); !errs.Is(err, errs.RateLimited) {
		t.Fatalf("slot %d: %v", maxStreamsPerLogin+1, err)
	}
	if _, err := s.acquire(other); err != nil {
		t.Fatalf("another login: %v", err)
	}
	// A slot given back (twice, by mistake) frees exactly one.
	releases[0]()
	releases[0]()
	if _, err := s.acquire(login); err != nil {
		t.Fatalf("after a release: %v", err)
	}
	if _, err := s.acquire(login); !errs.Is(err, errs.RateLimited) {
		t.Fatalf("a double release freed two slots: %v", err)
	}
	for _, r := range releases[1:] {
		r()
	}
	if n := s.open[login]; n != 1 {
		t.Fatalf("open after releasing all but the re-taken slot: %d", n)
	}
}
