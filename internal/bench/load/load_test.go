package load

import (
	"context"
	"errors"
	"testing"
	"time"
)

func TestPercentile(t *testing.T) {
	var lat []time.Duration
	for i := 1; i <= 100; i++ {
		lat = append(lat, time.Duration(i)*time.Millisecond)
	}
	for _, c := range []struct {
		p    float64
		want time.Duration
	}{{50, 50 * time.Millisecond}, {99, 99 * time.Millisecond}, {99.9, 100 * time.Millisecond}, {100, 100 * time.Millisecond}, {0.1, time.Millisecond}} {
		if got := Percentile(lat, c.p); got != c.want {
			t.Errorf("p%v = %v, want %v", c.p, got, c.want)
		}
	}
	if got := Percentile(nil, 99); got != 0 {
		t.Errorf("empty: %v", got)
	}
	if got := Percentile(lat[:1], 99); got != time.Millisecond {
		t.Errorf("one sample: %v", got)
	}
}

func TestParseStat(t *testing.T) {
	line := []byte("2194 (postgres: a) b) S 1 2194 2194 0 -1 4194304 24043 1451006 0 54 7 40 601 776 20 0 1 0 2770\n")
	name, cpu, err := parseStat(line)
	if err != nil || name != "postgres: a) b" || cpu != 470*time.Millisecond {
		t.Fatalf("parseStat = %q, %v, %v", name, cpu, err)
	}
	if _, _, err := parseStat([]byte("garbage")); err == nil {
		t.Fatal("garbage parsed")
	}
}

func TestClosed(t *testing.T) {
	fail := errors.New("odd")
	r := Closed(context.Background(), 4, 50*time.Millisecond, func(ctx context.Context, w int) error {
		time.Sleep(time.Millisecond)
		if w == 3 {
			return fail
		}
		return nil
	})
	if r.Count() == 0 || r.Errors == 0 || !errors.Is(r.FirstError, fail) || r.Rate() <= 0 {
		t.Fatalf("result: count %d errors %d first %v rate %v", r.Count(), r.Errors, r.FirstError, r.Rate())
	}
}

func TestTOTPCode(t *testing.T) {
	// RFC 6238 appendix B, SHA-1, T = 59 s: 94287082 (eight digits; six: 287082).
	const secret = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ" // "12345678901234567890"
	code, err := TOTPCode(secret, TOTPStep(time.Unix(59, 0)))
	if err != nil || code != "287082" {
		t.Fatalf("code = %q, %v", code, err)
	}
}
