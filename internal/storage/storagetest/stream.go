package storagetest

import (
	"bytes"
	"crypto/sha256"
	"io"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/kollab/kollab/internal/storage"
)

// heapSampleInterval is how often RunStreaming samples the heap.
const heapSampleInterval = 5 * time.Millisecond

// HeapPeak is the largest heap growth seen during one operation, relative to
// the heap right after a garbage collection before it started.
type HeapPeak struct {
	InuseGrowth uint64 // runtime.MemStats.HeapInuse
	AllocGrowth uint64 // runtime.MemStats.HeapAlloc
	// Allocated is the total allocated during the operation, garbage
	// included (runtime.MemStats.TotalAlloc).
	Allocated uint64
	Duration  time.Duration
}

// RunStreaming puts an object of size bytes from a generator (never a
// buffer of that size), reads it back, compares SHA-256 sums and a tail
// range, and fails if the heap grew by more than maxHeapGrowth bytes during
// the put or the get. It must not run in parallel with other tests, whose
// allocations would be counted. It logs the figures and returns them.
func RunStreaming(t *testing.T, s storage.Store, size int64, maxHeapGrowth uint64) (put, get HeapPeak) {
	ctx := t.Context()
	key := NewKey(t, tenantA, "revision")
	const seed = 42

	sent := sha256.New()
	src := io.TeeReader(Generator(seed, size), sent)
	put = MeasureHeap(t, func() error {
		return s.Put(ctx, key, src, size, "application/octet-stream")
	})

	received := sha256.New()
	var n int64
	get = MeasureHeap(t, func() error {
		rc, err := s.Get(ctx, key, 0, -1)
		if err != nil {
			return err
		}
		defer rc.Close()
		n, err = io.Copy(received, rc)
		return err
	})
	if n != size || !bytes.Equal(sent.Sum(nil), received.Sum(nil)) {
		t.Fatalf("read back %d bytes with SHA-256 %x, put %d bytes with %x", n, received.Sum(nil), size, sent.Sum(nil))
	}

	const tail = 1000
	want := make([]byte, tail)
	gen := Generator(seed, size)
	if _, err := io.CopyN(io.Discard, gen, size-tail); err != nil {
		t.Fatal(err)
	}
	if _, err := io.ReadFull(gen, want); err != nil {
		t.Fatal(err)
	}
	if got := ReadAll(t, s, key, size-tail, -1); !bytes.Equal(got, want) {
		t.Fatalf("tail range of the large object differs")
	}
	if info := StatOK(t, s, key); info.Size != size {
		t.Fatalf("Stat size = %d, want %d", info.Size, size)
	}
	if err := s.Delete(ctx, key); err != nil {
		t.Fatalf("Delete: %v", err)
	}

	mib := func(b uint64) float64 { return float64(b) / (1 << 20) }
	for _, r := range []struct {
		op string
		p  HeapPeak
	}{{"put", put}, {"get", get}} {
		t.Logf("%s %d MiB in %v: heap growth peak HeapInuse %.1f MiB, HeapAlloc %.1f MiB; %.1f MiB allocated in total",
			r.op, size>>20, r.p.Duration.Round(time.Millisecond), mib(r.p.InuseGrowth), mib(r.p.AllocGrowth), mib(r.p.Allocated))
	}
	if put.InuseGrowth > maxHeapGrowth || get.InuseGrowth > maxHeapGrowth {
		t.Errorf("heap grew by up to %.1f MiB (put) / %.1f MiB (get) while streaming %d MiB; limit %.0f MiB",
			mib(put.InuseGrowth), mib(get.InuseGrowth), size>>20, mib(maxHeapGrowth))
	}
	return put, get
}

// MeasureHeap runs op while sampling the heap, and fails the test if op
// fails.
func MeasureHeap(t *testing.T, op func() error) HeapPeak {
	t.Helper()
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	baseInuse, baseAlloc, baseTotal := ms.HeapInuse, ms.HeapAlloc, ms.TotalAlloc

	var (
		mu   sync.Mutex
		peak HeapPeak
	)
	sample := func() {
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		mu.Lock()
		defer mu.Unlock()
		if m.HeapInuse > baseInuse {
			peak.InuseGrowth = max(peak.InuseGrowth, m.HeapInuse-baseInuse)
		}
		if m.HeapAlloc > baseAlloc {
			peak.AllocGrowth = max(peak.AllocGrowth, m.HeapAlloc-baseAlloc)
		}
		peak.Allocated = m.TotalAlloc - baseTotal
	}
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		tick := time.NewTicker(heapSampleInterval)
		defer tick.Stop()
		for {
			select {
			case <-stop:
				return
			case <-tick.C:
				sample()
			}
		}
	})
	start := time.Now()
	err := op()
	elapsed := time.Since(start)
	sample()
	close(stop)
	wg.Wait()
	if err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	defer mu.Unlock()
	peak.Duration = elapsed
	return peak
}
