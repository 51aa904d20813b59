// Package load is the small load generator shared by Kollab's benchmark
// programs (bench/seed, bench/loginstorm, bench/me): an HTTP client tuned for
// loopback, a closed-loop runner, exact latency percentiles, process CPU
// accounting from /proc, and the JSON files the programs hand each other.
// bench/run drives them; nothing here runs under `go test ./...` except the
// unit tests of this package.
package load

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"net"
	"net/http"
	"os"
	"slices"
	"sync"
	"time"

	"github.com/pquerna/otp/totp"
)

// NewClient returns an HTTP/1.1 client for one loopback host that keeps up
// to conns connections open, never follows redirects and gives each request
// at most timeout.
func NewClient(conns int, timeout time.Duration) *http.Client {
	tr := &http.Transport{
		Proxy:               nil,
		DialContext:         (&net.Dialer{Timeout: 5 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
		MaxIdleConns:        conns,
		MaxIdleConnsPerHost: conns,
		MaxConnsPerHost:     conns,
		IdleConnTimeout:     90 * time.Second,
		DisableCompression:  true,
	}
	return &http.Client{
		Transport:     tr,
		Timeout:       timeout,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}

// Drain reads and closes a response body so that its connection is reused,
// returning at most limit bytes of it.
func Drain(res *http.Response, limit int64) []byte {
	b, _ := io.ReadAll(io.LimitReader(res.Body, limit))
	_, _ = io.Copy(io.Discard, res.Body)
	_ = res.Body.Close()
	return b
}

// Result is what a run measured.
type Result struct {
	// Latencies of the successful operations, sorted ascending.
	Latencies []time.Duration
	Errors    int
	// FirstError describes the first failure, for the report.
	FirstError error
	Elapsed    time.Duration
}

// Count is the number of successful operations.
func (r *Result) Count() int { return len(r.Latencies) }

// Rate is successful operations per second.
func (r *Result) Rate() float64 {
	if r.Elapsed <= 0 {
		return 0
	}
	return float64(len(r.Latencies)) / r.Elapsed.Seconds()
}

// Percentile returns the nearest-rank percentile p (0 < p ≤ 100).
func (r *Result) Percentile(p float64) time.Duration { return Percentile(r.Latencies, p) }

// Merge adds other's operations to r (latencies stay sorted, elapsed times add up).
func (r *Result) Merge(other *Result) {
	r.Latencies = append(r.Latencies, other.Latencies...)
	slices.Sort(r.Latencies)
	r.Errors += other.Errors
	if r.FirstError == nil {
		r.FirstError = other.FirstError
	}
	r.Elapsed += other.Elapsed
}

// Percentile returns the nearest-rank percentile p (0 < p ≤ 100) of sorted.
func Percentile(sorted []time.Duration, p float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	rank := int(math.Ceil(float64(len(sorted)) * p / 100))
	return sorted[min(max(rank, 1), len(sorted))-1]
}

// Closed runs workers goroutines, each sending operations back to back (a
// closed loop: a new request only after the previous answer) until d has
// passed or ctx ends; operations under way at the end are waited for. op
// gets the worker's number; a non-nil error counts as a failed operation.
func Closed(ctx context.Context, workers int, d time.Duration, op func(ctx context.Context, worker int) error) *Result {
	type part struct {
		lat    []time.Duration
		errors int
		first  error
	}
	parts := make([]part, workers)
	start := time.Now()
	end := start.Add(d)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			p := &parts[w]
			p.lat = make([]time.Duration, 0, 1<<14)
			for ctx.Err() == nil && time.Now().Before(end) {
				t := time.Now()
				if err := op(ctx, w); err != nil {
					p.errors++
					if p.first == nil {
						p.first = err
					}
					continue
				}
				p.lat = append(p.lat, time.Since(t))
			}
		})
	}
	wg.Wait()
	r := &Result{Elapsed: time.Since(start)}
	for _, p := range parts {
		r.Latencies = append(r.Latencies, p.lat...)
		r.Errors += p.errors
		if r.FirstError == nil {
			r.FirstError = p.first
		}
	}
	slices.Sort(r.Latencies)
	return r
}

// Ms formats a duration in milliseconds.
func Ms(d time.Duration) string { return fmt.Sprintf("%.1f ms", float64(d.Microseconds())/1000) }

// User is a seeded account: what a person would know to sign in.
type User struct {
	Email      string `json:"email"`
	Password   string `json:"password"`
	TOTPSecret string `json:"totp_secret"`
	// LastStep is the TOTP time step the enrolment used; the server accepts
	// only later steps.
	LastStep int64 `json:"last_step"`
}

// Session is a signed-in account's session cookie value.
type Session struct {
	Email string `json:"email"`
	Token string `json:"token"`
}

// WriteJSON writes v to path.
func WriteJSON(path string, v any) error {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(path, append(b, '\n'), 0o600)
}

// ReadJSON reads path into v.
func ReadJSON(path string, v any) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	return json.Unmarshal(b, v)
}

// Publish writes a report to standard output and, when path is set,
// appends it to the file at path.
func Publish(report []byte, path string) error {
	if _, err := os.Stdout.Write(report); err != nil {
		return err
	}
	if path == "" {
		return nil
	}
	f, err := os.OpenFile(path, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o600)
	if err != nil {
		return err
	}
	_, err = f.Write(report)
	return errors.Join(err, f.Close())
}

// TOTPPeriod is the RFC 6238 time step Kollab uses.
const TOTPPeriod = 30

// TOTPStep is the time step of t.
func TOTPStep(t time.Time) int64 { return t.Unix() / TOTPPeriod }

// TOTPCode computes the six-digit code of secret for time step step, as an
// authenticator app would.
func TOTPCode(secret string, step int64) (string, error) {
	return totp.GenerateCode(secret, time.Unix(step*TOTPPeriod, 0))
}

// WaitForStep sleeps until the current TOTP step is after last, so that a
// code computed then is one the server has not seen yet.
func WaitForStep(ctx context.Context, last int64) error {
	for {
		now := time.Now()
		if TOTPStep(now) > last {
			return nil
		}
		next := time.Unix((TOTPStep(now)+1)*TOTPPeriod, 0)
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(time.Until(next) + 10*time.Millisecond):
		}
	}
}
