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

	// A fresh database.
	name := "kollab_bench_votes_" + strings.ReplaceAll(uuid.NewString()[:8], "-", "")
	owner, err := pgx.Connect(ctx, ownerBase)
	check(err)
	_, err = owner.Exec(ctx, "CREATE DATABASE "+name)
	check(err)
	defer func() {
		if _, err := owner.Exec(context.Background(), "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)"); err != nil {
			log.Printf("drop %s: %v", name, err)
		}
		owner.Close(context.Background())
	}()
	ownerURL, appURL := withDB(ownerBase, name), withDB(appBase, name)

	// Kollab, in this process, as `kollab serve` would run it.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	check(err)
	origin := "http://" + ln.Addr().String()
	env := map[string]string{"KOLLAB_DATABASE_URL": appURL, "KOLLAB_MIGRATE_DATABASE_URL": ownerURL, "KOLLAB_DATA_DIR": mustTemp(),
		"KOLLAB_PUBLIC_URL": origin, "KOLLAB_SECURE_COOKIES": "false", "KOLLAB_SECRET_KEY": strings.Repeat("cd", 32), "KOLLAB_LOG_LEVEL": "warn"}
	cfg := config.Bind(flag.NewFlagSet("kollab", flag.ContinueOnError), func(k string) string { return env[k] })
	check(cfg.Finish())
	a, err := app.Open(ctx, *cfg, slog.New(slog.DiscardHandler), false)
	check(err)
	defer a.Close()
	srv := a.Server()
	go func() { _ = srv.App().Listener(ln) }()
	nctx, stopNotify := context.WithCancel(ctx)
	defer stopNotify()
	go a.RunNotifications(nctx)
	for deadline := time.Now().Add(30 * time.Second); !a.Auth.PrincipalCacheLive(); time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			log.Fatal("the server does not listen for database notifications")
		}
	}

	// Seed: cheap password hashes (the server rehashes them at sign-in, as
	// it would any outdated hash).
	t0 := time.Now()
	seed := tenant.NewService(a.DB, password.NewHasher(password.HighEntropy))
	tn, err := seed.CreateTenant(ctx, "bench-votes", "Amt Abstimmung")
	check(err)
	member := func(email string, role tenant.Role) tenant.Actor {
		u, err := seed.CreateUser(ctx, email, email, pw)
		check(err)
		m, err := seed.AddMember(ctx, tn.ID, u.ID, role)
		check(err)
		return tenant.ActorFromMembership(m)
	}
	adminActor := member("admin@votes.example", tenant.RoleAdmin)
	admin := member("vorsitz@votes.example", tenant.RoleStaff) // the chair, without a vote
	c, err := a.Committees.CreateCommittee(ctx, adminActor, meetings.CommitteeInput{Name: "Rat"})
	check(err)
	_, err = a.Committees.SetMember(ctx, adminActor, c.ID, meetings.MemberInput{MembershipID: admin.MembershipID, Role: meetings.RoleChair, Voting: false})
	check(err)
	emails := make([]string, *voters)
	for i := range emails {
		emails[i] = fmt.Sprintf("m%04d@votes.example", i)
		v := member(emails[i], tenant.RoleCommittee)
		_, err := a.Committees.SetMember(ctx, adminActor, c.ID, meetings.MemberInput{MembershipID: v.MembershipID, Role: meetings.RoleMember, Voting: true})
		check(err)
	}
	log.Printf("seeded %d members in %v", *voters, time.Since(t0).Round(time.Second))

	// Every member signs in over HTTP.
	t0 = time.Now()
	browsers := make([]*browser, *voters)
	parallel(*voters, 2*runtime.NumCPU(), func(i int) { browsers[i] = signIn(origin, emails[i]) })
	chair := signIn(origin, "vorsitz@votes.example")
	log.Printf("%d members signed in over HTTP in %v", *voters, time.Since(t0).Round(time.Second))
	base := origin + "/api/v1/t/" + tn.Slug

	newPoll := func(title string) uuid.UUID {
		p, err := a.Committees.CreatePoll(ctx, admin, meetings.PollInput{CommitteeID: c.ID, Deadline: time.Now().Add(time.Hour),
			Title: title, Kind: meetings.Secret, Method: meetings.YesNoAbstain})
		check(err)
		_, err = a.Committees.OpenPoll(ctx, admin, p.ID)
		check(err)
		return p.ID
	}
	choices := []string{meetings.Yes, meetings.No, meetings.Abstain}

	// 1. The storm, with every member following the count.
	storm := newPoll("Sturm")
	final := fmt.Sprintf(`{"state":"closed","ballots":%d}`, *voters)
	var following sync.WaitGroup
	seenFinal := make([]time.Time, *voters)
	connected := make(chan struct{}, *voters)
	for i, b := range browsers {
		following.Go(func() { seenFinal[i] = b.follow(base+"/polls/"+storm.String()+"/events", final, connected) })
	}
	for range *voters {
		select {
		case <-connected:
		case <-time.After(time.Minute):
			log.Fatal("followers did not connect")
		}
	}
	log.Printf("%d followers connected", *voters)
	var (
		mu      sync.Mutex
		lat     []time.Duration
		refused atomic.Int64
	)
	t0 = time.Now()
	var casting sync.WaitGroup
	for i, b := range browsers {
		at := time.Duration(rand.Int64N(int64(*window)))
		casting.Go(func() {
			time.Sleep(time.Until(t0.Add(at)))
			start := time.Now()
			status, body := b.post(base+"/polls/"+storm.String()+"/ballots", `{"choice":"`+choices[i%3]+`"}`)
			d := time.Since(start)
			if status != http.StatusCreated && status != http.StatusOK {
				refused.Add(1)
				log.Printf("cast %d: %d %s", i, status, body)
				return
			}
			mu.Lock()
			lat = append(lat, d)
			mu.Unlock()
		})
	}
	casting.Wait()
	stormTime := time.Since(t0)
	closeAt := time.Now()
	if status, body := chair.post(base+"/polls/"+storm.String()+"/close", `{}`); status != http.StatusOK {
		log.Fatalf("close: %d %s", status, body)
	}
	following.Wait()
	var slowest time.Duration
	missed := 0
	for _, at := range seenFinal {
		if at.IsZero() {
			missed++
			continue
		}
		slowest = max(slowest, at.Sub(closeAt))
	}
	stormRes := &load.Result{Latencies: sortDur(lat), Elapsed: stormTime}
	verify(ctx, a, ownerURL, tn.ID, storm, *voters)

	// 2. Throughput, closed loop.
	tp := newPoll("Durchsatz")
	next := atomic.Int64{}
	t0 = time.Now()
	var tpLat []time.Duration
	parallel(*voters, *workers, func(int) {
		i := int(next.Add(1) - 1)
		start := time.Now()
		status, body := browsers[i].post(base+"/polls/"+tp.String()+"/ballots", `{"choice":"`+choices[i%3]+`"}`)
		if status != http.StatusCreated && status != http.StatusOK {
			log.Fatalf("cast: %d %s", status, body)
		}
		mu.Lock()
		tpLat = append(tpLat, time.Since(start))
		mu.Unlock()
	})
	tpRes := &load.Result{Latencies: sortDur(tpLat), Elapsed: time.Since(t0)}
	verify(ctx, a, ownerURL, tn.ID, tp, *voters)

	// 3. Baseline: the same rows with raw pgx.
	bp := newPoll("Grundlinie")
	pool, err := pgxpool.New(ctx, appURL)
	check(err)
	defer pool.Close()
	var members []uuid.UUID
	check(pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, "SELECT set_config('app.tenant_id', $1, true)", tn.ID.String()); err != nil {
			return err
		}
		r, err := tx.Query(ctx, `SELECT m.id FROM memberships m JOIN users u ON u.id = m.user_id
			WHERE m.tenant_id = $1 AND u.email LIKE 'm%@votes.example'`, tn.ID)
		if err != nil {
			return err
		}
		ids, err := pgx.CollectRows(r, pgx.RowTo[uuid.UUID])
		members = ids
		return err
	}))
	if len(members) != *voters {
		log.Fatalf("baseline: %d members, want %d", len(members), *voters)
	}
	next.Store(0)
	var baseLat []time.Duration
	t0 = time.Now()
	parallel(*voters, *workers, func(int) {
		i := int(next.Add(1) - 1)
		start := time.Now()
		check(pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error {
			if _, err := tx.Exec(ctx, "SELECT set_config('app.tenant_id', $1, true)", tn.ID.String()); err != nil {
				return err
			}
			now := time.Now().UTC()
			if _, err := tx.Exec(ctx, `INSERT INTO poll_receipts (tenant_id, id, poll_id, voter_membership_id, cast_by_membership_id, cast_at)
				VALUES ($1, $2, $3, $4, $4, $5)`, tn.ID, uuid.Must(uuid.NewV7()), bp, members[i], now); err != nil {
				return err
			}
			_, err := tx.Exec(ctx, `INSERT INTO secret_ballots (tenant_id, id, poll_id, choice, option_ids, weight) VALUES ($1, $2, $3, $4, '', 1)`,
				tn.ID, uuid.New(), bp, choices[i%3])
			return err
		}))
		mu.Lock()
		baseLat = append(baseLat, time.Since(start))
		mu.Unlock()
	})
	baseRes := &load.Result{Latencies: sortDur(baseLat), Elapsed: time.Since(t0)}

	// Report.
	fmt.Printf("\nVote storm, %s, %d members, %s\n", time.Now().UTC().Format("2006-01-02T15:04Z"), *voters, machine())
	fmt.Printf("storm (open loop, arrivals over %v): acknowledged %d, refused %d, lost 0 and duplicated 0 (checked), in %v; latency p50 %s p99 %s max %s\n",
		*window, stormRes.Count(), refused.Load(), stormTime.Round(time.Millisecond), load.Ms(stormRes.Percentile(50)),
		load.Ms(stormRes.Percentile(99)), load.Ms(stormRes.Percentile(100)))
	fmt.Printf("live count: %d followers; after the close every one saw the final count within %s (missed: %d)\n",
		*voters, load.Ms(slowest), missed)
	fmt.Printf("throughput (closed loop, %d connections): %.0f ballots/s, p50 %s p99 %s\n", *workers, tpRes.Rate(),
		load.Ms(tpRes.Percentile(50)), load.Ms(tpRes.Percentile(99)))
	fmt.Printf("baseline raw pgx (%d goroutines, receipt + ballot per transaction): %.0f ballots/s, p50 %s p99 %s\n", *workers, baseRes.Rate(),
		load.Ms(baseRes.Percentile(50)), load.Ms(baseRes.Percentile(99)))
	fmt.Printf("ratio kollab/baseline throughput: %.2f\n", tpRes.Rate()/baseRes.Rate())
	if refused.Load() > 0 || missed > 0 || stormRes.Percentile(99) > 200*time.Millisecond || slowest > 2*time.Second {
		fmt.Println("goal NOT met")
		os.Exit(1)
	}
	fmt.Println("goals met: 0 lost, 0 duplicated, p99 ≤ 200 ms, final count at every follower within 2 s")
}

// verify checks a poll after its ballots: as many receipts and ballots as
// voters, each voter once, and (after closing it) the tally. The ballots are
// counted as the schema owner: the serving role may not read secret ballots.
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
