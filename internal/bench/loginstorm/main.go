// Command loginstorm signs N seeded accounts in through the HTTP API, with
// password and TOTP, their arrivals spread evenly over a time window (an open
// loop: a late answer does not delay the next arrival), first against the
// bare baseline server, then against Kollab. Each sign-in is the browser's
// three requests: GET /api/v1/auth/csrf, POST /api/v1/auth/login and
// POST /api/v1/auth/second-factor with a code computed from the account's
// secret. Latency counts from the scheduled arrival to the last answer.
// It prints a comparison table and writes Kollab's session cookies for
// bench/me. Run by bench/run.
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"maps"
	"net/http"
	"os"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"text/tabwriter"
	"time"

	"github.com/kollab/kollab/internal/bench/load"
)

type target struct {
	name string
	url  string
	pid  int
	// checksCode: the server verifies the TOTP code, so each account's
	// time step may be used only once.
	checksCode bool
}

func main() {
	var (
		baseURL    = flag.String("baseline", "", "base URL of bench/baseline (empty: skip)")
		basePID    = flag.Int("baseline-pid", 0, "process id of bench/baseline (for CPU accounting)")
		kollabURL  = flag.String("kollab", "", "base URL of kollab serve")
		kollabPID  = flag.Int("kollab-pid", 0, "process id of kollab serve (for CPU accounting)")
		usersFile  = flag.String("users", "users.json", "accounts written by bench/seed")
		first      = flag.Int("first", 0, "index of the first account in -users to sign in")
		n          = flag.Int("n", 1000, "accounts to sign in")
		window     = flag.Duration("window", 60*time.Second, "arrivals are spread evenly over this time (0: all at once)")
		timeout    = flag.Duration("timeout", 30*time.Second, "give up on one sign-in after this")
		goalP99    = flag.Duration("goal-p99", 5*time.Second, "the p99 goal for a full sign-in (0: no goal)")
		sessionOut = flag.String("sessions-out", "", "write Kollab's session cookies here (for bench/me)")
		summary    = flag.String("summary", "", "append the result table to this file")
	)
	flag.Parse()
	log.SetFlags(0)
	log.SetPrefix("loginstorm: ")
	var users []load.User
	if err := load.ReadJSON(*usersFile, &users); err != nil {
		log.Fatal(err)
	}
	if *first < 0 || *n < 1 || len(users) < *first+*n {
		log.Fatalf("%s has %d accounts, -first %d -n %d asks for more", *usersFile, len(users), *first, *n)
	}
	users = users[*first : *first+*n]
	var targets []target
	if *baseURL != "" {
		targets = append(targets, target{name: "baseline", url: *baseURL, pid: *basePID})
	}
	if *kollabURL == "" {
		log.Fatal("-kollab is required")
	}
	targets = append(targets, target{name: "kollab", url: *kollabURL, pid: *kollabPID, checksCode: true})

	results := make([]*storm, len(targets))
	for i, t := range targets {
		log.Printf("%s: %d sign-ins over %v ...", t.name, *n, *window)
		s, err := run(t, users, *window, *timeout)
		if err != nil {
			log.Fatal(err)
		}
		results[i] = s
		log.Printf("%s: %d signed in, %d failed, p99 %s", t.name, s.result.Count(), s.result.Errors, load.Ms(s.result.Percentile(99)))
		if t.checksCode && *sessionOut != "" {
			if err := load.WriteJSON(*sessionOut, s.sessions); err != nil {
				log.Fatal(err)
			}
		}
	}

	var out bytes.Buffer
	report(&out, targets, results, *n, *window, *goalP99)
	if err := load.Publish(out.Bytes(), *summary); err != nil {
		log.Fatal(err)
	}
	if results[len(results)-1].result.Count() == 0 {
		os.Exit(1)
	}
}

// storm is one target's measurement.
type storm struct {
	result *load.Result // full sign-ins
	steps  map[string][]time.Duration
	// failures by "step status", e.g. "login 429"
	failures map[string]int
	examples map[string]string
	lastDone time.Duration // from the first arrival to the last answer
	peak     int64         // most sign-ins in flight at once
	cpu      load.CPU
	sessions []load.Session
}

func run(t target, users []load.User, window, timeout time.Duration) (*storm, error) {
	ctx, cancel := context.WithTimeout(context.Background(), window+timeout+30*time.Second)
	defer cancel()
	if t.checksCode {
		// Every code must belong to a step after the one the enrolment used.
		var last int64
		for _, u := range users {
			last = max(last, u.LastStep)
		}
		if err := load.WaitForStep(ctx, last); err != nil {
			return nil, err
		}
	}
	client := load.NewClient(512, timeout)
	defer client.CloseIdleConnections()
	s := &storm{steps: map[string][]time.Duration{}, failures: map[string]int{}, examples: map[string]string{}}
	var (
		mu       sync.Mutex
		wg       sync.WaitGroup
		inFlight atomic.Int64
		peak     atomic.Int64
	)
	lat := make([]time.Duration, 0, len(users))
	cpu0 := load.SampleCPU(t.pid)
	start := time.Now().Add(50 * time.Millisecond)
	for i, u := range users {
		at := start
		if len(users) > 1 {
			at = start.Add(window * time.Duration(i) / time.Duration(len(users)))
		}
		wg.Go(func() {
			time.Sleep(time.Until(at))
			atomicMax(&peak, inFlight.Add(1))
			sctx, scancel := context.WithDeadline(ctx, at.Add(timeout))
			o, err := signIn(sctx, client, t.url, u, t.checksCode)
			scancel()
			inFlight.Add(-1)
			done := time.Since(at)
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				key := err.Error()
				if i := strings.Index(key, ": "); i >= 0 {
					key = key[:i]
				}
				s.failures[key]++
				if _, ok := s.examples[key]; !ok {
					s.examples[key] = strings.TrimSpace(err.Error())
				}
				return
			}
			lat = append(lat, done)
			for k, d := range o.steps {
				s.steps[k] = append(s.steps[k], d)
			}
			s.sessions = append(s.sessions, load.Session{Email: u.Email, Token: o.token})
			s.lastDone = max(s.lastDone, time.Since(start))
		})
	}
	wg.Wait()
	s.cpu = load.SampleCPU(t.pid).Sub(cpu0)
	slices.Sort(lat)
	for _, v := range s.steps {
		slices.Sort(v)
	}
	s.peak = peak.Load()
	failed := 0
	for _, v := range s.failures {
		failed += v
	}
	s.result = &load.Result{Latencies: lat, Errors: failed, Elapsed: s.lastDone}
	return s, nil
}

// outcome is one successful sign-in.
type outcome struct {
	steps map[string]time.Duration
	token string
}

// signIn runs the browser's sign-in. Errors read "step status: detail".
func signIn(ctx context.Context, client *http.Client, base string, u load.User, fresh bool) (*outcome, error) {
	b := &browser{client: client, base: base, cookies: map[string]string{}}
	o := &outcome{steps: map[string]time.Duration{}}

	t := time.Now()
	var csrf struct {
		Token string `json:"csrf_token"`
	}
	if err := b.do(ctx, "csrf", http.MethodGet, "/api/v1/auth/csrf", nil, &csrf); err != nil {
		return nil, err
	}
	if csrf.Token == "" || csrf.Token != b.cookies["kollab_csrf"] {
		return nil, fmt.Errorf("csrf 200: token %q, cookie %q", csrf.Token, b.cookies["kollab_csrf"])
	}
	b.csrf = csrf.Token
	o.steps["csrf"] = time.Since(t)

	t = time.Now()
	var login struct {
		SecondFactorRequired bool `json:"second_factor_required"`
	}
	if err := b.do(ctx, "login", http.MethodPost, "/api/v1/auth/login", map[string]string{"email": u.Email, "password": u.Password}, &login); err != nil {
		return nil, err
	}
	if !login.SecondFactorRequired || b.cookies["kollab_session"] == "" {
		return nil, fmt.Errorf("login 200: no pending session (second_factor_required=%v)", login.SecondFactorRequired)
	}
	o.steps["login"] = time.Since(t)

	t = time.Now()
	step := load.TOTPStep(time.Now())
	if fresh && step <= u.LastStep {
		return nil, fmt.Errorf("totp 0: step %d already used by the enrolment", step)
	}
	code, err := load.TOTPCode(u.TOTPSecret, step)
	if err != nil {
		return nil, fmt.Errorf("totp 0: %w", err)
	}
	pending := b.cookies["kollab_session"]
	if err := b.do(ctx, "second-factor", http.MethodPost, "/api/v1/auth/second-factor", map[string]string{"code": code}, nil); err != nil {
		return nil, err
	}
	if o.token = b.cookies["kollab_session"]; o.token == "" || o.token == pending {
		return nil, errors.New("second-factor 200: the session token was not rotated")
	}
	o.steps["second-factor"] = time.Since(t)
	return o, nil
}

// browser keeps one sign-in's cookies and CSRF token.
type browser struct {
	client  *http.Client
	base    string
	cookies map[string]string
	csrf    string
}

func (b *browser) do(ctx context.Context, step, method, path string, body, out any) error {
	var rd io.Reader = http.NoBody
	if body != nil {
		j, err := json.Marshal(body)
		if err != nil {
			return err
		}
		rd = bytes.NewReader(j)
	}
	req, err := http.NewRequestWithContext(ctx, method, b.base+path, rd)
	if err != nil {
		return err
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	for _, k := range slices.Sorted(maps.Keys(b.cookies)) {
		req.AddCookie(&http.Cookie{Name: k, Value: b.cookies[k]})
	}
	if b.csrf != "" && method != http.MethodGet {
		req.Header.Set("X-CSRF-Token", b.csrf)
	}
	res, err := b.client.Do(req)
	if err != nil {
		return fmt.Errorf("%s 0: %w", step, err)
	}
	raw := load.Drain(res, 1<<16)
	for _, c := range res.Cookies() {
		if c.MaxAge < 0 || c.Value == "" {
			delete(b.cookies, c.Name)
		} else {
			b.cookies[c.Name] = c.Value
		}
	}
	if res.StatusCode != http.StatusOK {
		return fmt.Errorf("%s %d: %.200s", step, res.StatusCode, raw)
	}
	if out != nil {
		if err := json.Unmarshal(raw, out); err != nil {
			return fmt.Errorf("%s %d: decode: %w", step, res.StatusCode, err)
		}
	}
	return nil
}

func report(w *bytes.Buffer, targets []target, results []*storm, n int, window, goal time.Duration) {
	if window > 0 {
		fmt.Fprintf(w, "\nLogin storm: %d accounts, password (argon2id) + TOTP, arrivals spread evenly over %v (open loop)\n\n", n, window)
	} else {
		fmt.Fprintf(w, "\nLogin burst: %d accounts, password (argon2id) + TOTP, all arriving at once from one address\n\n", n)
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "target\tsigned in\tfailed\tp50\tp90\tp99\tmax\tlast done\tpeak in flight\tp99 csrf\tp99 login\tp99 2nd factor\tCPU/sign-in server\tpostgres\tload gen\t")
	for i, t := range targets {
		s := results[i]
		r := s.result
		fmt.Fprintf(tw, "%s\t%d\t%d\t%s\t%s\t%s\t%s\t%.1f s\t%d\t%s\t%s\t%s\t%.1f ms\t%.1f ms\t%.1f ms\t\n", t.name, r.Count(), r.Errors,
			load.Ms(r.Percentile(50)), load.Ms(r.Percentile(90)), load.Ms(r.Percentile(99)), load.Ms(r.Percentile(100)),
			s.lastDone.Seconds(), s.peak,
			load.Ms(load.Percentile(s.steps["csrf"], 99)), load.Ms(load.Percentile(s.steps["login"], 99)),
			load.Ms(load.Percentile(s.steps["second-factor"], 99)),
			load.PerOp(s.cpu.Server, r.Count())/1000, load.PerOp(s.cpu.Postgres, r.Count())/1000, load.PerOp(s.cpu.Self, r.Count())/1000)
	}
	_ = tw.Flush()
	for i, t := range targets {
		s := results[i]
		for _, key := range slices.Sorted(maps.Keys(s.failures)) {
			fmt.Fprintf(w, "  %s failures %q: %d, e.g. %s\n", t.name, key, s.failures[key], s.examples[key])
		}
	}
	k := results[len(results)-1]
	p99 := k.result.Percentile(99)
	fmt.Fprintln(w)
	if len(results) == 2 {
		b := results[0]
		note := ""
		if k.result.Errors > 0 || b.result.Errors > 0 {
			note = " (over the successful sign-ins only)"
		}
		fmt.Fprintf(w, "ratio kollab/baseline%s: p99 %.2f×, p50 %.2f×, CPU per sign-in: server %.2f×, postgres %.2f×\n", note,
			ratio(p99, b.result.Percentile(99)), ratio(k.result.Percentile(50), b.result.Percentile(50)),
			ratio(per(k.cpu.Server, k), per(b.cpu.Server, b)), ratio(per(k.cpu.Postgres, k), per(b.cpu.Postgres, b)))
	}
	if goal <= 0 {
		return
	}
	met := k.result.Count() == n && p99 <= goal
	fmt.Fprintf(w, "goal: all %d signed in with p99 ≤ %v: p99 %s, %d/%d signed in, last answer %.1f s after the first arrival: %s\n",
		n, goal, load.Ms(p99), k.result.Count(), n, k.lastDone.Seconds(), verdict(met))
}

// atomicMax raises m to v if v is larger.
func atomicMax(m *atomic.Int64, v int64) {
	for {
		cur := m.Load()
		if v <= cur || m.CompareAndSwap(cur, v) {
			return
		}
	}
}

func per(d time.Duration, s *storm) time.Duration {
	if s.result.Count() == 0 {
		return 0
	}
	return d / time.Duration(s.result.Count())
}

func ratio[T ~int64](a, b T) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}

func verdict(ok bool) string {
	if ok {
		return "MET"
	}
	return "NOT MET"
}
