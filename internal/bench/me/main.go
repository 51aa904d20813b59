// Command me measures authenticated GET /api/v1/me: a fixed number of
// keep-alive connections, each sending requests back to back with one
// signed-in session cookie, alternately against the bare baseline server
// and Kollab, in rounds, so that both see the same machine state. It prints
// requests/s, latency percentiles, CPU per request and the ratios.
// Run by bench/run.
package main

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"log"
	"net/http"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/kollab/kollab/internal/bench/load"
)

type target struct {
	name   string
	url    string
	pid    int
	client *http.Client
	// accumulated over the rounds
	result *load.Result
	rates  []float64
	cpu    load.CPU
}

func main() {
	var (
		baseURL   = flag.String("baseline", "", "base URL of bench/baseline")
		basePID   = flag.Int("baseline-pid", 0, "process id of bench/baseline (for CPU accounting)")
		kollabURL = flag.String("kollab", "", "base URL of kollab serve")
		kollabPID = flag.Int("kollab-pid", 0, "process id of kollab serve (for CPU accounting)")
		sessFile  = flag.String("sessions", "sessions.json", "session cookies written by bench/loginstorm")
		conns     = flag.Int("conns", 32, "concurrent connections")
		duration  = flag.Duration("duration", 10*time.Second, "measured time per target and round")
		warmup    = flag.Duration("warmup", 2*time.Second, "unmeasured time before each measurement")
		rounds    = flag.Int("rounds", 2, "rounds (each measures both targets, alternating which goes first)")
		goalRatio = flag.Float64("goal-ratio", 0.5, "goal: Kollab's throughput at least this share of the baseline's")
		goalP99   = flag.Duration("goal-p99", 50*time.Millisecond, "goal: Kollab's p99 at most this")
		summary   = flag.String("summary", "", "append the result table to this file")
	)
	flag.Parse()
	log.SetFlags(0)
	log.SetPrefix("me: ")
	if *baseURL == "" || *kollabURL == "" {
		log.Fatal("-baseline and -kollab are required")
	}
	var sessions []load.Session
	if err := load.ReadJSON(*sessFile, &sessions); err != nil {
		log.Fatal(err)
	}
	if len(sessions) == 0 {
		log.Fatalf("%s holds no sessions", *sessFile)
	}
	// One signed-in person per connection, as with browsers.
	sessions = sessions[:min(len(sessions), *conns)]

	ctx, cancel := context.WithTimeout(context.Background(),
		time.Duration(*rounds)*2*(*duration+*warmup)+time.Minute)
	defer cancel()
	base := &target{name: "baseline", url: *baseURL, pid: *basePID, result: &load.Result{}}
	kollab := &target{name: "kollab", url: *kollabURL, pid: *kollabPID, result: &load.Result{}}
	for _, t := range []*target{base, kollab} {
		t.client = load.NewClient(*conns, 30*time.Second)
		if err := get(ctx, t.client, meRequest(t.url, sessions[0].Token)); err != nil {
			log.Fatalf("%s: %v", t.name, err)
		}
	}
	for r := range *rounds {
		order := []*target{base, kollab}
		if r%2 == 1 {
			order = []*target{kollab, base}
		}
		for _, t := range order {
			_ = run(ctx, t, sessions, *conns, *warmup)
			cpu0 := load.SampleCPU(t.pid)
			res := run(ctx, t, sessions, *conns, *duration)
			t.cpu = t.cpu.Add(load.SampleCPU(t.pid).Sub(cpu0))
			t.rates = append(t.rates, res.Rate())
			t.result.Merge(res)
			log.Printf("round %d %-8s %8.0f req/s  p99 %s  errors %d", r+1, t.name, res.Rate(), load.Ms(res.Percentile(99)), res.Errors)
			if ctx.Err() != nil {
				log.Fatal(ctx.Err())
			}
		}
	}

	base.client.CloseIdleConnections()
	kollab.client.CloseIdleConnections()

	var out bytes.Buffer
	report(&out, base, kollab, len(sessions), *conns, *rounds, *duration, *warmup, *goalRatio, *goalP99)
	if err := load.Publish(out.Bytes(), *summary); err != nil {
		log.Fatal(err)
	}
}

func meRequest(base, token string) *http.Request {
	req, err := http.NewRequest(http.MethodGet, base+"/api/v1/me", nil)
	if err != nil {
		log.Fatal(err)
	}
	req.AddCookie(&http.Cookie{Name: "kollab_session", Value: token})
	return req
}

// get sends req (reused: it has no body) and wants 200 with a JSON body.
func get(ctx context.Context, client *http.Client, req *http.Request) error {
	res, err := client.Do(req.WithContext(ctx))
	if err != nil {
		return err
	}
	body := load.Drain(res, 1<<16)
	if res.StatusCode != http.StatusOK || !bytes.HasPrefix(body, []byte("{")) {
		return fmt.Errorf("GET /api/v1/me: status %d: %.200s", res.StatusCode, body)
	}
	return nil
}

// run measures t for d with conns connections, connection i using session i mod len(sessions).
func run(ctx context.Context, t *target, sessions []load.Session, conns int, d time.Duration) *load.Result {
	reqs := make([]*http.Request, conns)
	for i := range reqs {
		reqs[i] = meRequest(t.url, sessions[i%len(sessions)].Token)
	}
	return load.Closed(ctx, conns, d, func(ctx context.Context, w int) error {
		return get(ctx, t.client, reqs[w])
	})
}

func report(w *bytes.Buffer, base, kollab *target, people, conns, rounds int, d, warmup time.Duration, goalRatio float64, goalP99 time.Duration) {
	fmt.Fprintf(w, "\nGET /api/v1/me (session cookie, %d people): %d connections, closed loop, %d rounds × %v per target after %v warm-up each\n\n",
		people, conns, rounds, d, warmup)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "target\treq/s\tper round\tp50\tp90\tp99\tmax\terrors\tCPU/req server\tpostgres\tload gen\t")
	for _, t := range []*target{base, kollab} {
		r := t.result
		var rates []string
		for _, x := range t.rates {
			rates = append(rates, fmt.Sprintf("%.0f", x))
		}
		fmt.Fprintf(tw, "%s\t%.0f\t%s\t%s\t%s\t%s\t%s\t%d\t%.0f µs\t%.0f µs\t%.0f µs\t\n", t.name, r.Rate(), strings.Join(rates, " / "),
			load.Ms(r.Percentile(50)), load.Ms(r.Percentile(90)), load.Ms(r.Percentile(99)), load.Ms(r.Percentile(100)), r.Errors,
			load.PerOp(t.cpu.Server, r.Count()), load.PerOp(t.cpu.Postgres, r.Count()), load.PerOp(t.cpu.Self, r.Count()))
	}
	_ = tw.Flush()
	if kollab.result.FirstError != nil {
		fmt.Fprintf(w, "  first kollab error: %v\n", kollab.result.FirstError)
	}
	if base.result.FirstError != nil {
		fmt.Fprintf(w, "  first baseline error: %v\n", base.result.FirstError)
	}
	tput := kollab.result.Rate() / base.result.Rate()
	p99 := kollab.result.Percentile(99)
	perReq := func(t *target, d time.Duration) float64 { return load.PerOp(d, t.result.Count()) }
	fmt.Fprintf(w, "\nratio kollab/baseline: throughput %.2f, p99 %.2f×, CPU per request: server %.2f×, postgres %.2f×\n",
		tput, float64(p99)/float64(base.result.Percentile(99)),
		perReq(kollab, kollab.cpu.Server)/perReq(base, base.cpu.Server), perReq(kollab, kollab.cpu.Postgres)/perReq(base, base.cpu.Postgres))
	fmt.Fprintf(w, "goal: throughput ≥ %.0f%% of the baseline: %.0f%%: %s; p99 ≤ %v: %s: %s\n",
		goalRatio*100, tput*100, verdict(tput >= goalRatio && kollab.result.Errors == 0), goalP99, load.Ms(p99), verdict(p99 <= goalP99))
}

func verdict(ok bool) string {
	if ok {
		return "MET"
	}
	return "NOT MET"
}
