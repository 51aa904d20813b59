// Command upload measures a large upload through Kollab's HTTP API against
// the same bytes written straight to the same S3 server with minio-go, in
// alternating rounds, and samples the Kollab server's resident memory while
// it streams. Run by bench/documents.
//
// It seeds what it needs in-process through Kollab's services, with the
// configuration of `kollab serve` taken from the KOLLAB_* environment: a
// tenant, an admin who creates a folder and grants the staff role write
// access to it, and a staff member, who then signs in over HTTP with the
// password (staff need no second factor) and uploads with
// POST /api/v1/t/{tenant}/folders/{id}/files.
//
// The bytes come from a ChaCha8 generator (never a buffer of the upload's
// size); their SHA-256 is computed once before the measurements, and every
// Kollab upload must answer 201 with that hash and size.
//
// The baseline is minio-go's PutObject with the size known and the part size
// Kollab's S3 store uses (storage.DefaultS3PartSize), to the bucket named by
// KOLLAB_STORAGE_URL, under a key outside Kollab's tenants' prefixes; each
// baseline object is removed after its round.
//
// Before each upload it waits until kollab serve is idle (its extraction
// worker fetches every new revision, a 1 GiB one included, in the seconds
// after the upload) and syncs the file systems, so that no measurement pays
// for work another one caused.
package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"text/tabwriter"
	"time"

	"github.com/google/uuid"
	"github.com/kollab/kollab/documents"
	"github.com/kollab/kollab/internal/app"
	"github.com/kollab/kollab/internal/bench/load"
	"github.com/kollab/kollab/internal/config"
	"github.com/kollab/kollab/internal/storage"
	"github.com/kollab/kollab/tenant"
	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"
)

const (
	mib          = 1 << 20
	staffEmail   = "upload-staff@bench.kollab.test"
	adminEmail   = "upload-admin@bench.kollab.test"
	benchPW      = "Upload-Benchmark-Passwort-2026"
	sampleEvery  = 20 * time.Millisecond
	contentType  = "application/octet-stream"
	baselineKeyP = "bench-baseline/"
)

// measurement is one upload of one target.
type measurement struct {
	target  string
	round   int
	elapsed time.Duration
	// rssBefore and rssPeak are the Kollab server's VmRSS (bytes) just
	// before the upload and the largest value sampled during it.
	rssBefore, rssPeak int64
	// CPU time used meanwhile by kollab serve, the S3 server and this
	// program (the client).
	serverCPU, s3CPU, selfCPU time.Duration
}

func (m measurement) rate(size int64) float64 {
	return float64(size) / mib / m.elapsed.Seconds()
}

func main() {
	var (
		kollabURL = flag.String("kollab", "", "origin of kollab serve, e.g. http://127.0.0.1:8080")
		kollabPID = flag.Int("kollab-pid", 0, "process id of kollab serve (RSS and CPU are read from /proc)")
		s3PID     = flag.Int("s3-pid", 0, "process id of the S3 server (for CPU accounting; optional)")
		settle    = flag.Duration("settle", 2*time.Minute, "before each upload, wait at most this long for kollab serve to go idle")
		storeURL  = flag.String("storage-url", os.Getenv("KOLLAB_STORAGE_URL"), "the S3 URL kollab serve uses (the baseline writes to the same bucket)")
		size      = flag.Int64("size", 1<<30, "bytes per upload")
		rounds    = flag.Int("rounds", 3, "rounds; each uploads once per target, alternating which goes first")
		slug      = flag.String("tenant", "bench-upload", "tenant to create for the benchmark")
		goalRatio = flag.Float64("goal-ratio", 0.8, "goal: Kollab's throughput at least this share of the baseline's")
		goalRSS   = flag.Int64("goal-rss-mib", 64, "goal: the server's RSS grows by at most this many MiB")
		summary   = flag.String("summary", "", "append the result table to this file")
	)
	flag.Parse()
	log.SetFlags(0)
	log.SetPrefix("upload: ")
	if *kollabURL == "" || *kollabPID <= 0 || *storeURL == "" || *size <= 0 || *rounds <= 0 {
		log.Fatal("-kollab, -kollab-pid, -storage-url (or KOLLAB_STORAGE_URL) and a positive -size and -rounds are required")
	}
	if _, err := readRSS(*kollabPID); err != nil {
		log.Fatalf("read the server's RSS: %v", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Minute)
	defer cancel()

	wantSHA := hashGenerated(*size)

	slugV, folderID, err := seed(ctx, *slug)
	if err != nil {
		log.Fatalf("seed: %v", err)
	}
	kc, csrf, err := signIn(ctx, *kollabURL, staffEmail, benchPW)
	if err != nil {
		log.Fatalf("sign in: %v", err)
	}
	uploadURL := fmt.Sprintf("%s/api/v1/t/%s/folders/%s/files", strings.TrimRight(*kollabURL, "/"), slugV, folderID)

	s3cfg, err := storage.ParseS3URL(*storeURL)
	if err != nil {
		log.Fatal(err)
	}
	mc, err := minio.New(s3cfg.Endpoint, &minio.Options{
		Creds: credentials.NewStaticV4(s3cfg.AccessKey, s3cfg.SecretKey, ""), Secure: s3cfg.Secure,
		Region: s3cfg.Region, BucketLookup: minio.BucketLookupPath,
	})
	if err != nil {
		log.Fatal(err)
	}

	b := &bench{ctx: ctx, kollabPID: *kollabPID, s3PID: *s3PID, settle: *settle, size: *size, wantSHA: wantSHA,
		mc: mc, bucket: s3cfg.Bucket, kc: kc, csrf: csrf, uploadURL: uploadURL}
	rssStart, _ := readRSS(*kollabPID)
	var all []measurement
	for r := range *rounds {
		order := []string{"baseline", "kollab"}
		if r%2 == 1 {
			order = []string{"kollab", "baseline"}
		}
		for _, target := range order {
			m, err := b.upload(r, target)
			if err != nil {
				log.Fatalf("round %d, %s: %v", r+1, target, err)
			}
			all = append(all, m)
			log.Printf("round %d %-8s %7.1f MiB/s  %.1f s  server RSS %+.1f MiB", r+1, target, m.rate(*size),
				m.elapsed.Seconds(), float64(m.rssPeak-m.rssBefore)/mib)
		}
	}
	report := render(all, *size, *rounds, rssStart, *goalRatio, *goalRSS)
	if err := load.Publish(report, *summary); err != nil {
		log.Fatal(err)
	}
}

// bench is what one upload needs: the two targets and the processes whose
// memory and CPU it samples.
type bench struct {
	ctx              context.Context
	kollabPID, s3PID int
	settle           time.Duration
	size             int64
	wantSHA          string
	mc               *minio.Client
	bucket           string
	kc               *http.Client
	csrf, uploadURL  string
}

// upload measures one upload of round r (0-based) to target ("baseline":
// minio-go PutObject, then the object is removed; "kollab": the HTTP API).
func (b *bench) upload(r int, target string) (measurement, error) {
	// Start each upload with the server idle (after an upload its
	// text-extraction worker fetches the new revision) and the page
	// cache's dirty pages written back, so that one measurement does not
	// pay for the work another one caused.
	if waited, ok := waitIdle(b.kollabPID, b.settle); ok {
		if waited > 4*time.Second {
			log.Printf("waited %.1f s for kollab serve to go idle", waited.Seconds())
		}
	} else {
		log.Printf("kollab serve still busy after %v; measuring anyway", b.settle)
	}
	syscall.Sync()
	var m measurement
	var err error
	switch target {
	case "baseline":
		key := fmt.Sprintf("%sround-%d-%s.bin", baselineKeyP, r+1, uuid.NewString()[:8])
		m, err = measure(b.kollabPID, b.s3PID, func() error {
			_, err := b.mc.PutObject(b.ctx, b.bucket, key, generator(b.size), b.size,
				minio.PutObjectOptions{ContentType: contentType, PartSize: uint64(storage.DefaultS3PartSize)})
			return err
		})
		if err == nil {
			err = b.mc.RemoveObject(b.ctx, b.bucket, key, minio.RemoveObjectOptions{})
		}
	case "kollab":
		name := fmt.Sprintf("gross-%d-%s.bin", r+1, uuid.NewString()[:8])
		m, err = measure(b.kollabPID, b.s3PID, func() error {
			return kollabUpload(b.ctx, b.kc, b.csrf, b.uploadURL+"?file_name="+url.QueryEscape(name), b.size, b.wantSHA)
		})
	}
	m.target, m.round = target, r+1
	return m, err
}

// hashGenerated is what the server will see: the SHA-256 (hex) of the
// size generated bytes, computed once.
func hashGenerated(size int64) string {
	start := time.Now()
	h := sha256.New()
	if _, err := io.Copy(h, generator(size)); err != nil {
		log.Fatal(err)
	}
	wantSHA := hex.EncodeToString(h.Sum(nil))
	log.Printf("%d MiB generated and hashed in %.1f s (sha256 %s…)", size/mib, time.Since(start).Seconds(), wantSHA[:12])
	return wantSHA
}

// generator returns size pseudo-random bytes, the same for every call.
func generator(size int64) io.Reader {
	return io.LimitReader(rand.NewChaCha8([32]byte{'k', 'o', 'l', 'l', 'a', 'b'}), size)
}

// seed creates the tenant, an admin, a folder with write access for the
// staff role, and the staff member, through Kollab's services.
func seed(ctx context.Context, slug string) (string, uuid.UUID, error) {
	cfg := config.Bind(flag.NewFlagSet("seed", flag.ContinueOnError), os.Getenv)
	if err := cfg.Finish(); err != nil {
		return "", uuid.Nil, err
	}
	a, err := app.Open(ctx, *cfg, slog.New(slog.DiscardHandler), true)
	if err != nil {
		return "", uuid.Nil, err
	}
	defer a.Close()
	tn, err := a.Tenants.CreateTenant(ctx, slug, "Upload-Benchmark")
	if err != nil {
		return "", uuid.Nil, err
	}
	member := func(email string, role tenant.Role) (tenant.Actor, error) {
		u, err := a.Tenants.CreateUser(ctx, email, strings.Split(email, "@")[0], benchPW)
		if err != nil {
			return tenant.Actor{}, err
		}
		m, err := a.Tenants.AddMember(ctx, tn.ID, u.ID, role)
		if err != nil {
			return tenant.Actor{}, err
		}
		return tenant.ActorFromMembership(m), nil
	}
	admin, err := member(adminEmail, tenant.RoleAdmin)
	if err != nil {
		return "", uuid.Nil, err
	}
	if _, err := member(staffEmail, tenant.RoleStaff); err != nil {
		return "", uuid.Nil, err
	}
	f, err := a.Documents.CreateFolder(ctx, admin, uuid.Nil, "Großdateien")
	if err != nil {
		return "", uuid.Nil, err
	}
	if _, err := a.Documents.SetPermission(ctx, admin, f.ID, documents.RolePrincipal(tenant.RoleStaff), documents.Write); err != nil {
		return "", uuid.Nil, err
	}
	return tn.Slug, f.ID, nil
}

// signIn signs in with e-mail and password and returns a client holding
// the session cookie and the CSRF token for writes.
func signIn(ctx context.Context, origin, email, pw string) (*http.Client, string, error) {
	jar, _ := cookiejar.New(nil)
	hc := &http.Client{Jar: jar, Timeout: 30 * time.Minute, Transport: &http.Transport{
		// As minio-go's default transport: no compression, keep-alive.
		DisableCompression: true, MaxIdleConnsPerHost: 4, IdleConnTimeout: time.Minute,
	}}
	req, _ := http.NewRequestWithContext(ctx, "GET", origin+"/api/v1/auth/csrf", nil)
	res, err := hc.Do(req)
	if err != nil {
		return nil, "", err
	}
	load.Drain(res, 1<<20)
	body, _ := json.Marshal(map[string]string{"email": email, "password": pw})
	req, _ = http.NewRequestWithContext(ctx, "POST", origin+"/api/v1/auth/login", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-CSRF-Token", csrfOf(hc, origin))
	res, err = hc.Do(req)
	if err != nil {
		return nil, "", err
	}
	b := load.Drain(res, 1<<20)
	if res.StatusCode != http.StatusOK {
		return nil, "", fmt.Errorf("login: %d %s", res.StatusCode, b)
	}
	csrf := csrfOf(hc, origin)
	if csrf == "" {
		return nil, "", fmt.Errorf("no kollab_csrf cookie after login")
	}
	return hc, csrf, nil
}

func csrfOf(hc *http.Client, origin string) string {
	u, _ := url.Parse(origin)
	for _, c := range hc.Jar.Cookies(u) {
		if c.Name == "kollab_csrf" {
			return c.Value
		}
	}
	return ""
}

// kollabUpload sends size generated bytes as a new document and checks the
// answer: 201 with the expected size and SHA-256.
func kollabUpload(ctx context.Context, hc *http.Client, csrf, u string, size int64, wantSHA string) error {
	req, err := http.NewRequestWithContext(ctx, "POST", u, generator(size))
	if err != nil {
		return err
	}
	req.ContentLength = size
	req.Header.Set("Content-Type", contentType)
	req.Header.Set("X-CSRF-Token", csrf)
	res, err := hc.Do(req)
	if err != nil {
		return err
	}
	b := load.Drain(res, 1<<20)
	if res.StatusCode != http.StatusCreated {
		return fmt.Errorf("upload answered %d: %s", res.StatusCode, b)
	}
	var out struct {
		Revision struct {
			Size   int64  `json:"size_bytes"`
			SHA256 string `json:"sha256"`
		} `json:"revision"`
	}
	if err := json.Unmarshal(b, &out); err != nil {
		return fmt.Errorf("upload answer: %w", err)
	}
	if out.Revision.Size != size || out.Revision.SHA256 != wantSHA {
		return fmt.Errorf("the server stored other bytes than were sent: size %d sha256 %s, sent %d bytes with sha256 %s",
			out.Revision.Size, out.Revision.SHA256, size, wantSHA)
	}
	return nil
}

// waitIdle waits until process pid has used less than 5 % of a core in
// each of six successive half-second windows (3 s: longer than the
// extraction worker's 2 s poll), at most max; it reports how long it
// waited and whether the process went idle.
func waitIdle(pid int, max time.Duration) (time.Duration, bool) {
	const (
		window = 500 * time.Millisecond
		quiet  = 6
	)
	start := time.Now()
	prev, err := load.ProcCPU(pid)
	for n := 0; err == nil && time.Since(start) < max; {
		time.Sleep(window)
		var cur time.Duration
		if cur, err = load.ProcCPU(pid); err != nil {
			break
		}
		if cur-prev < window/20 {
			n++
		} else {
			n = 0
		}
		if n == quiet {
			return time.Since(start), true
		}
		prev = cur
	}
	return time.Since(start), false
}

// measure times op and samples the server's RSS every 20 ms meanwhile.
func measure(pid, s3PID int, op func() error) (measurement, error) {
	var m measurement
	rss, err := readRSS(pid)
	if err != nil {
		return m, err
	}
	m.rssBefore, m.rssPeak = rss, rss
	cpu0 := load.SampleCPU(pid)
	s30 := procCPU(s3PID)
	done := make(chan struct{})
	var wg sync.WaitGroup
	var mu sync.Mutex
	wg.Go(func() {
		t := time.NewTicker(sampleEvery)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
				if v, err := readRSS(pid); err == nil {
					mu.Lock()
					m.rssPeak = max(m.rssPeak, v)
					mu.Unlock()
				}
			}
		}
	})
	start := time.Now()
	err = op()
	elapsed := time.Since(start)
	close(done)
	wg.Wait()
	if v, rerr := readRSS(pid); rerr == nil {
		m.rssPeak = max(m.rssPeak, v)
	}
	cpu := load.SampleCPU(pid).Sub(cpu0)
	m.elapsed, m.serverCPU, m.selfCPU, m.s3CPU = elapsed, cpu.Server, cpu.Self, procCPU(s3PID)-s30
	return m, err
}

// procCPU is the CPU time of pid so far (0 for pid 0 or when unreadable).
func procCPU(pid int) time.Duration {
	if pid <= 0 {
		return 0
	}
	c, _ := load.ProcCPU(pid)
	return c
}

// readRSS returns VmRSS of process pid in bytes.
func readRSS(pid int) (int64, error) {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/status")
	if err != nil {
		return 0, err
	}
	for line := range strings.Lines(string(b)) {
		if rest, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			f := strings.Fields(rest)
			if len(f) != 2 || f[1] != "kB" {
				break
			}
			kb, err := strconv.ParseInt(f[0], 10, 64)
			return kb << 10, err
		}
	}
	return 0, fmt.Errorf("no VmRSS in /proc/%d/status", pid)
}

func median(xs []float64) float64 {
	s := slices.Clone(xs)
	slices.Sort(s)
	n := len(s)
	if n%2 == 1 {
		return s[n/2]
	}
	return (s[n/2-1] + s[n/2]) / 2
}

func render(all []measurement, size int64, rounds int, rssStart int64, goalRatio float64, goalRSS int64) []byte {
	var buf bytes.Buffer
	fmt.Fprintf(&buf, "\nUpload of %d MiB (ChaCha8 stream, size known): %d rounds, alternating which target goes first\n", size/mib, rounds)
	tw := tabwriter.NewWriter(&buf, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "round\ttarget\tMiB/s\tseconds\tserver RSS before\tpeak\tgrowth\tCPU: kollab\tS3 server\tclient\t")
	rates := map[string][]float64{}
	var worstGrowth, peak int64
	for _, m := range all {
		rates[m.target] = append(rates[m.target], m.rate(size))
		rss := "–\t–\t–"
		srv := fmt.Sprintf("%.2f s", m.serverCPU.Seconds())
		if m.target == "kollab" {
			g := m.rssPeak - m.rssBefore
			worstGrowth = max(worstGrowth, g)
			peak = max(peak, m.rssPeak)
			rss = fmt.Sprintf("%.1f MiB\t%.1f MiB\t%+.1f MiB", float64(m.rssBefore)/mib, float64(m.rssPeak)/mib, float64(g)/mib)
		}
		s3 := "–"
		if m.s3CPU > 0 {
			s3 = fmt.Sprintf("%.2f s", m.s3CPU.Seconds())
		}
		fmt.Fprintf(tw, "%d\t%s\t%.1f\t%.2f\t%s\t%s\t%s\t%.2f s\t\n", m.round, m.target, m.rate(size), m.elapsed.Seconds(), rss, srv, s3, m.selfCPU.Seconds())
	}
	_ = tw.Flush()
	b, k := median(rates["baseline"]), median(rates["kollab"])
	ratio := k / b
	verdict := func(ok bool) string {
		if ok {
			return "met"
		}
		return "NOT MET"
	}
	fmt.Fprintf(&buf, "median: baseline %.1f MiB/s, kollab %.1f MiB/s; ratio kollab/baseline %.2f (goal ≥ %.2f: %s)\n",
		b, k, ratio, goalRatio, verdict(ratio >= goalRatio))
	overall := peak - rssStart
	fmt.Fprintf(&buf, "server RSS: %.1f MiB before the first upload, peak %.1f MiB; growth: at most %.1f MiB during one upload, %.1f MiB peak minus before the first (goal ≤ %d MiB: %s)\n",
		float64(rssStart)/mib, float64(peak)/mib, float64(worstGrowth)/mib, float64(overall)/mib, goalRSS,
		verdict(max(worstGrowth, overall) <= goalRSS*mib))
	fmt.Fprintf(&buf, "every Kollab upload answered 201 with the size and SHA-256 of the bytes sent\n")
	return buf.Bytes()
}
