package password

import (
	"context"
	"strings"
	"testing"
)

func TestHashVerify(t *testing.T) {
	ctx := context.Background()
	h := NewHasher(HighEntropy)
	enc, err := h.Hash(ctx, "Korrekt-Pferd-Batterie")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(enc, "$argon2id$v=19$m=8192,t=1,p=1$") {
		t.Fatalf("unexpected encoding %q", enc)
	}
	for secret, want := range map[string]bool{"Korrekt-Pferd-Batterie": true, "korrekt-pferd-batterie": false, "": false} {
		ok, err := h.Verify(ctx, secret, enc)
		if err != nil || ok != want {
			t.Errorf("Verify(%q) = %v, %v; want %v", secret, ok, err, want)
		}
	}
	enc2, _ := h.Hash(ctx, "Korrekt-Pferd-Batterie")
	if enc == enc2 {
		t.Error("two hashes of one secret are equal: salt not random")
	}
	if h.NeedsRehash(enc) || !NewHasher(Interactive).NeedsRehash(enc) {
		t.Error("NeedsRehash wrong")
	}
}

func TestMalformed(t *testing.T) {
	h := NewHasher(HighEntropy)
	for _, enc := range []string{"", "plain", "$argon2i$v=19$m=1,t=1,p=1$c2FsdA$a2V5", "$argon2id$v=19$m=99999999,t=1,p=1$c2FsdA$a2V5a2V5a2V5a2V5a2V5a2V5"} {
		if _, err := h.Verify(context.Background(), "x", enc); err == nil {
			t.Errorf("Verify accepted malformed %q", enc)
		}
	}
}
