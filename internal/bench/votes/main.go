// Command votes is the vote storm benchmark of issue 5 (results:
// docs/benchmarks.md, "Vote storm"):
//
//	go run ./internal/bench/votes            (needs the PostgreSQL roles of scripts/test)
//
// In a fresh PostgreSQL database (dropped afterwards) it seeds a tenant
// with a committee of -voters members, starts Kollab's HTTP server in this
// process on 127.0.0.1 (PostgreSQL as the unprivileged application role,
// LISTEN/NOTIFY running as in `kollab serve`), signs every member in over
// HTTP (session cookie + CSRF token, as the web app does), and then:
//
//  1. Storm: a secret written procedure is opened; every member follows its
//     live count (GET …/polls/{id}/events, one connection each) and casts
//     one ballot (POST …/polls/{id}/ballots) at a random moment within
//     -window (open loop). Reported: acknowledged, refused, latency
//     percentiles; then the poll is closed and the time until every
//     follower has seen the final count is measured.
//  2. Throughput: a second poll, every member casts as fast as -workers
//     connections allow (closed loop).
//  3. Baseline: the same rows (a receipt and a secret ballot per voter, one
//     transaction each, the tenant set for row-level security) inserted
//     with raw pgx by -workers goroutines into a third poll.
//
// After each phase the database is checked: as many receipts and ballots
// as acknowledged casts, none twice, and the closed poll's tally equal.
package main

import (
	"bufio"
	"bytes"
	"context"
	"flag"
	"fmt"
	"log"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/kollab/kollab/internal/app"
	"github.com/kollab/kollab/internal/bench/load"
	"github.com/kollab/kollab/internal/config"
	"github.com/kollab/kollab/meetings"
	"github.com/kollab/kollab/tenant"
	"github.com/kollab/kollab/tenant/auth/password"
)

const pw = "Abstimmung-Benchmark-2026"

func main() {
	var (
		voters  = flag.Int("voters", 2000, "committee members; each casts one ballot and follows the count")
		window  = flag.Duration("window", 10*time.Second, "the storm's arrivals spread evenly at random over this")
		workers = flag.Int("workers", 64, "connections of the throughput phase and goroutines of the baseline")
	)
	flag.Parse()
	log.SetFlags(0)
	ownerBase := envOr("KOLLAB_TEST_PG_OWNER_URL", "postgres://kollab_owner:kollab_owner_test_pw@127.0.0.1:5432/postgres?sslmode=disable")
	appBase := envOr("KOLLAB_TEST_PG_APP_URL", "postgres://kollab_app:kollab_app_test_pw@127.0.0.1:5432/postgres?sslmode=disable")
	ctx := context.Background()

	name, drop := freshDatabase(ctx, ownerBase)
	defer drop()
	r := &run{ctx: ctx, voters: *voters, window: *window, workers: *workers,
		ownerURL: withDB(ownerBase, name), appURL: withDB(appBase, name)}
	origin, stop := r.startKollab()
	defer stop()
	emails := r.seed()
	r.signInAll(origin, emails)

	storm := r.storm()
	tpRes := r.throughput()
	baseRes := r.baseline()
	storm.report(r, tpRes, baseRes)
}

// run is one benchmark run: Kollab in this process on a fresh database,
// its seeded committee and every member's signed-in browser.
type run struct {
	ctx              context.Context
	voters, workers  int
	window           time.Duration
	ownerURL, appURL string
	a                *app.App
	tn               *tenant.Tenant
	committee        uuid.UUID
	admin            tenant.Actor // the chair, without a vote
	browsers         []*browser
	chair            *browser
	base             string
	mu               sync.Mutex
}

// freshDatabase creates a database for the run and returns its name and a
// function that drops it.
func freshDatabase(ctx context.Context, ownerBase string) (string, func()) {
	name := "kollab_bench_votes_" + strings.ReplaceAll(uuid.NewString()[:8], "-", "")
	owner, err := pgx.Connect(ctx, ownerBase)
	check(err)
	_, err = owner.Exec(ctx, "CREATE DATABASE "+name)
	check(err)
	return name, func() {
		if _, err := owner.Exec(context.Background(), "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)"); err != nil {
			log.Printf("drop %s: %v", name, err)
		}
		owner.Close(context.Background())
	}
}

// startKollab runs Kollab in this process, as `kollab serve` would run it,
// and returns its origin and a function that stops it.
func (r *run) startKollab() (string, func()) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	check(err)
	origin := "http://" + ln.Addr().String()
	env := map[string]string{"KOLLAB_DATABASE_URL": r.appURL, "KOLLAB_MIGRATE_DATABASE_URL": r.ownerURL, "KOLLAB_DATA_DIR": mustTemp(),
		"KOLLAB_PUBLIC_URL": origin, "KOLLAB_SECURE_COOKIES": "false", "KOLLAB_SECRET_KEY": strings.Repeat("cd", 32), "KOLLAB_LOG_LEVEL": "warn"}
	cfg := config.Bind(flag.NewFlagSet("kollab", flag.ContinueOnError), func(k string) string { return env[k] })
	check(cfg.Finish())
	a, err := app.Open(r.ctx, *cfg, slog.New(slog.DiscardHandler), false)
	check(err)
	r.a = a
	srv := a.Server()
	go func() { _ = srv.App().Listener(ln) }()
	nctx, stopNotify := context.WithCancel(r.ctx)
	go a.RunNotifications(nctx)
	for deadline := time.Now().Add(30 * time.Second); !a.Auth.PrincipalCacheLive(); time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			log.Fatal("the server does not listen for database notifications")
		}
	}
	return origin, func() { stopNotify(); a.Close() }
}

// seed creates the tenant, the committee with its chair and the voting
// members (cheap password hashes: the server rehashes them at sign-in, as
// it would any outdated hash), and returns the members' e-mail addresses.
func (r *run) seed() []string {
	ctx := r.ctx
	t0 := time.Now()
	seed := tenant.NewService(r.a.DB, password.NewHasher(password.HighEntropy))
	tn, err := seed.CreateTenant(ctx, "bench-votes", "Amt Abstimmung")
	check(err)
	r.tn = tn
	member := func(email string, role tenant.Role) tenant.Actor {
		u, err := seed.CreateUser(ctx, email, email, pw)
		check(err)
		m, err := seed.AddMember(ctx, tn.ID, u.ID, role)
		check(err)
		return tenant.ActorFromMembership(m)
	}
	adminActor := member("admin@votes.example", tenant.RoleAdmin)
	r.admin = member("vorsitz@votes.example", tenant.RoleStaff)
	c, err := r.a.Committees.CreateCommittee(ctx, adminActor, meetings.CommitteeInput{Name: "Rat"})
	check(err)
	r.committee = c.ID
	_, err = r.a.Committees.SetMember(ctx, adminActor, c.ID, meetings.MemberInput{MembershipID: r.admin.MembershipID, Role: meetings.RoleChair, Voting: false})
	check(err)
	emails := make([]string, r.voters)
	for i := range emails {
		emails[i] = fmt.Sprintf("m%04d@votes.example", i)
		v := member(emails[i], tenant.RoleCommittee)
		_, err := r.a.Committees.SetMember(ctx, adminActor, c.ID, meetings.MemberInput{MembershipID: v.MembershipID, Role: meetings.RoleMember, Voting: true})
		check(err)
	}
	log.Printf("seeded %d members in %v", r.voters, time.Since(t0).Round(time.Second))
	return emails
}

// signInAll signs every member and the chair in over HTTP.
func (r *run) signInAll(origin string, emails []string) {
	t0 := time.Now()
	r.browsers = make([]*browser, r.voters)
	parallel(r.voters, 2*runtime.NumCPU(), func(i int) { r.browsers[i] = signIn(origin, emails[i]) })
	r.chair = signIn(origin, "vorsitz@votes.example")
	log.Printf("%d members signed in over HTTP in %v", r.voters, time.Since(t0).Round(time.Second))
	r.base = origin + "/api/v1/t/" + r.tn.Slug
}

var choices = []string{meetings.Yes, meetings.No, meetings.Abstain}

// newPoll opens a secret written procedure.
func (r *run) newPoll(title string) uuid.UUID {
	p, err := r.a.Committees.CreatePoll(r.ctx, r.admin, meetings.PollInput{CommitteeID: r.committee, Deadline: time.Now().Add(time.Hour),
		Title: title, Kind: meetings.Secret, Method: meetings.YesNoAbstain})
	check(err)
	_, err = r.a.Committees.OpenPoll(r.ctx, r.admin, p.ID)
	check(err)
	return p.ID
}

// stormResult is what phase 1 measured.
type stormResult struct {
	res     *load.Result
	refused int64
	slowest time.Duration // until the last follower saw the final count
	missed  int           // followers that never saw it
}

// storm is phase 1: every member follows the count and casts at a random
// moment within the window; then the chair closes the poll.
func (r *run) storm() stormResult {
	storm := r.newPoll("Sturm")
	final := fmt.Sprintf(`{"state":"closed","ballots":%d}`, r.voters)
	var following sync.WaitGroup
	seenFinal := make([]time.Time, r.voters)
	connected := make(chan struct{}, r.voters)
	for i, b := range r.browsers {
		following.Go(func() { seenFinal[i] = b.follow(r.base+"/polls/"+storm.String()+"/events", final, connected) })
	}
	for range r.voters {
		select {
		case <-connected:
		case <-time.After(time.Minute):
			log.Fatal("followers did not connect")
		}
	}
	log.Printf("%d followers connected", r.voters)
	lat, refused, stormTime := r.castStorm(storm)
	closeAt := time.Now()
	if status, body := r.chair.post(r.base+"/polls/"+storm.String()+"/close", `{}`); status != http.StatusOK {
		log.Fatalf("close: %d %s", status, body)
	}
	following.Wait()
	out := stormResult{res: &load.Result{Latencies: sortDur(lat), Elapsed: stormTime}, refused: refused}
	for _, at := range seenFinal {
		if at.IsZero() {
			out.missed++
			continue
		}
		out.slowest = max(out.slowest, at.Sub(closeAt))
	}
	verify(r.ctx, r.a, r.ownerURL, r.tn.ID, storm, r.voters)
	return out
}

// castStorm lets every member cast once at a random moment within the
// window (open loop) and returns the latencies, the refusals and the time.
func (r *run) castStorm(poll uuid.UUID) ([]time.Duration, int64, time.Duration) {
	var (
		lat     []time.Duration
		refused atomic.Int64
		casting sync.WaitGroup
	)
	t0 := time.Now()
	for i, b := range r.browsers {
		at := time.Duration(rand.Int64N(int64(r.window)))
		casting.Go(func() {
			time.Sleep(time.Until(t0.Add(at)))
			start := time.Now()
			status, body := b.post(r.base+"/polls/"+poll.String()+"/ballots", `{"choice":"`+choices[i%3]+`"}`)
			d := time.Since(start)
			if status != http.StatusCreated && status != http.StatusOK {
				refused.Add(1)
				log.Printf("cast %d: %d %s", i, status, body)
				return
			}
			r.mu.Lock()
			lat = append(lat, d)
			r.mu.Unlock()
		})
	}
	casting.Wait()
	return lat, refused.Load(), time.Since(t0)
}

// throughput is phase 2: every member casts as fast as the workers'
// connections allow (closed loop).
func (r *run) throughput() *load.Result {
	tp := r.newPoll("Durchsatz")
	next := atomic.Int64{}
	t0 := time.Now()
	var tpLat []time.Duration
	parallel(r.voters, r.workers, func(int) {
		i := int(next.Add(1) - 1)
		start := time.Now()
		status, body := r.browsers[i].post(r.base+"/polls/"+tp.String()+"/ballots", `{"choice":"`+choices[i%3]+`"}`)
		if status != http.StatusCreated && status != http.StatusOK {
			log.Fatalf("cast: %d %s", status, body)
		}
		r.mu.Lock()
		tpLat = append(tpLat, time.Since(start))
		r.mu.Unlock()
	})
	res := &load.Result{Latencies: sortDur(tpLat), Elapsed: time.Since(t0)}
	verify(r.ctx, r.a, r.ownerURL, r.tn.ID, tp, r.voters)
	return res
}

// baseline is phase 3: the same rows (a receipt and a secret ballot per
// voter, one transaction each) with raw pgx into a third poll.
func (r *run) baseline() *load.Result {
	ctx := r.ctx
	bp := r.newPoll("Grundlinie")
	pool, err := pgxpool.New(ctx, r.appURL)
	check(err)
	defer pool.Close()
	members := r.votingMembers(pool)
	next := atomic.Int64{}
	var baseLat []time.Duration
	t0 := time.Now()
	parallel(r.voters, r.workers, func(int) {
		i := int(next.Add(1) - 1)
		start := time.Now()
		check(pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error {
			if _, err := tx.Exec(ctx, "SELECT set_config('app.tenant_id', $1, true)", r.tn.ID.String()); err != nil {
				return err
			}
			now := time.Now().UTC()
			if _, err := tx.Exec(ctx, `INSERT INTO poll_receipts (tenant_id, id, poll_id, voter_membership_id, cast_by_membership_id, cast_at)
				VALUES ($1, $2, $3, $4, $4, $5)`, r.tn.ID, uuid.Must(uuid.NewV7()), bp, members[i], now); err != nil {
				return err
			}
			_, err := tx.Exec(ctx, `INSERT INTO secret_ballots (tenant_id, id, poll_id, choice, option_ids, weight) VALUES ($1, $2, $3, $4, '', 1)`,
				r.tn.ID, uuid.New(), bp, choices[i%3])
			return err
		}))
		r.mu.Lock()
		baseLat = append(baseLat, time.Since(start))
		r.mu.Unlock()
	})
	return &load.Result{Latencies: sortDur(baseLat), Elapsed: time.Since(t0)}
}

// votingMembers reads the voting members' membership ids with raw pgx.
func (r *run) votingMembers(pool *pgxpool.Pool) []uuid.UUID {
	ctx := r.ctx
	var members []uuid.UUID
	check(pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, "SELECT set_config('app.tenant_id', $1, true)", r.tn.ID.String()); err != nil {
			return err
		}
		rows, err := tx.Query(ctx, `SELECT m.id FROM memberships m JOIN users u ON u.id = m.user_id
			WHERE m.tenant_id = $1 AND u.email LIKE 'm%@votes.example'`, r.tn.ID)
		if err != nil {
			return err
		}
		ids, err := pgx.CollectRows(rows, pgx.RowTo[uuid.UUID])
		members = ids
		return err
	}))
	if len(members) != r.voters {
		log.Fatalf("baseline: %d members, want %d", len(members), r.voters)
	}
	return members
}

// report prints the three phases and exits 1 when a goal is not met.
func (s stormResult) report(r *run, tpRes, baseRes *load.Result) {
	fmt.Printf("\nVote storm, %s, %d members, %s\n", time.Now().UTC().Format("2006-01-02T15:04Z"), r.voters, machine())
	fmt.Printf("storm (open loop, arrivals over %v): acknowledged %d, refused %d, lost 0 and duplicated 0 (checked), in %v; latency p50 %s p99 %s max %s\n",
		r.window, s.res.Count(), s.refused, s.res.Elapsed.Round(time.Millisecond), load.Ms(s.res.Percentile(50)),
		load.Ms(s.res.Percentile(99)), load.Ms(s.res.Percentile(100)))
	fmt.Printf("live count: %d followers; after the close every one saw the final count within %s (missed: %d)\n",
		r.voters, load.Ms(s.slowest), s.missed)
	fmt.Printf("throughput (closed loop, %d connections): %.0f ballots/s, p50 %s p99 %s\n", r.workers, tpRes.Rate(),
		load.Ms(tpRes.Percentile(50)), load.Ms(tpRes.Percentile(99)))
	fmt.Printf("baseline raw pgx (%d goroutines, receipt + ballot per transaction): %.0f ballots/s, p50 %s p99 %s\n", r.workers, baseRes.Rate(),
		load.Ms(baseRes.Percentile(50)), load.Ms(baseRes.Percentile(99)))
	fmt.Printf("ratio kollab/baseline throughput: %.2f\n", tpRes.Rate()/baseRes.Rate())
	if s.refused > 0 || s.missed > 0 || s.res.Percentile(99) > 200*time.Millisecond || s.slowest > 2*time.Second {
		fmt.Println("goal NOT met")
		os.Exit(1)
	}
	fmt.Println("goals met: 0 lost, 0 duplicated, p99 ≤ 200 ms, final count at every follower within 2 s")
}

func verify(ctx context.Context, a *app.App, ownerURL string, tenantID, pollID uuid.UUID, want int) {
	p, err := a.Committees.LivePoll(ctx, tenantID, pollID)
	check(err)
	if p.Ballots != want {
		log.Fatalf("poll %s: %d receipts, want %d", pollID, p.Ballots, want)
	}
	var distinct, ballots int
	owner, err := pgx.Connect(ctx, ownerURL)
	check(err)
	defer owner.Close(ctx)
	check(pgx.BeginFunc(ctx, owner, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, "SELECT set_config('app.tenant_id', $1, true)", tenantID.String()); err != nil {
			return err
		}
		return tx.QueryRow(ctx, `SELECT (SELECT count(DISTINCT voter_membership_id) FROM poll_receipts WHERE poll_id = $1),
			(SELECT count(*) FROM secret_ballots WHERE poll_id = $1)`, pollID).Scan(&distinct, &ballots)
	}))
	if distinct != want || ballots != want {
		log.Fatalf("poll %s: %d distinct voters, %d ballots, want %d", pollID, distinct, ballots, want)
	}
}

// browser is one member's signed-in browser.
type browser struct {
	hc   *http.Client
	csrf string
}

func signIn(origin, email string) *browser {
	jar, _ := cookiejar.New(nil)
	hc := &http.Client{Jar: jar, Timeout: 2 * time.Minute, Transport: &http.Transport{MaxIdleConnsPerHost: 4, DisableCompression: true}}
	res, err := hc.Get(origin + "/api/v1/auth/csrf")
	check(err)
	load.Drain(res, 1<<16)
	b := &browser{hc: hc, csrf: cookie(hc, origin, "kollab_csrf")}
	if status, body := b.post(origin+"/api/v1/auth/login", `{"email":"`+email+`","password":"`+pw+`"}`); status != http.StatusOK {
		log.Fatalf("sign-in %s: %d %s", email, status, body)
	}
	b.csrf = cookie(hc, origin, "kollab_csrf")
	return b
}

func cookie(hc *http.Client, origin, name string) string {
	u, _ := url.Parse(origin)
	for _, c := range hc.Jar.Cookies(u) {
		if c.Name == name {
			return c.Value
		}
	}
	return ""
}

func (b *browser) post(u, body string) (int, string) {
	req, _ := http.NewRequest("POST", u, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-CSRF-Token", b.csrf)
	res, err := b.hc.Do(req)
	if err != nil {
		return 0, err.Error()
	}
	out := load.Drain(res, 1<<16)
	return res.StatusCode, string(bytes.TrimSpace(out))
}

// follow reads a poll's event stream until a snapshot equals final, and
// returns when it came (zero: never).
func (b *browser) follow(u, final string, connected chan<- struct{}) time.Time {
	req, _ := http.NewRequest("GET", u, nil)
	hc := &http.Client{Jar: b.hc.Jar, Transport: &http.Transport{DisableCompression: true}}
	res, err := hc.Do(req)
	if err != nil || res.StatusCode != 200 {
		log.Fatalf("follow: %v %v", err, res)
	}
	defer res.Body.Close()
	connected <- struct{}{}
	sc := bufio.NewScanner(res.Body)
	for sc.Scan() {
		if strings.TrimPrefix(sc.Text(), "data: ") == final {
			return time.Now()
		}
	}
	return time.Time{}
}

// parallel runs fn(0..n-1) on k goroutines.
func parallel(n, k int, fn func(i int)) {
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(n, k) {
		wg.Go(func() {
			for {
				i := int(next.Add(1) - 1)
				if i >= n {
					return
				}
				fn(i)
			}
		})
	}
	wg.Wait()
}

func sortDur(d []time.Duration) []time.Duration {
	out := slices.Clone(d)
	slices.Sort(out)
	return out
}

func withDB(raw, name string) string {
	u, err := url.Parse(raw)
	check(err)
	u.Path = "/" + name
	return u.String()
}

func envOr(k, def string) string {
	if v := os.Getenv(k); v != "" {
		return v
	}
	return def
}

func mustTemp() string {
	d, err := os.MkdirTemp("", "kollab-votes-")
	check(err)
	return d
}

func machine() string {
	return fmt.Sprintf("%d CPUs, %s", runtime.NumCPU(), runtime.Version())
}

func check(err error) {
	if err != nil {
		log.Fatal(err)
	}
}
