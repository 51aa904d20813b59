// Package crashtest kills a real `kollab serve` process in the middle of
// many concurrent uploads and checks what survives: every acknowledged
// revision with an object of the recorded size and hash, and no
// unreferenced object once the sweeper ran.
package crashtest

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"

	"github.com/kollab/kollab/documents"
	"github.com/kollab/kollab/internal/app"
	"github.com/kollab/kollab/internal/config"
	"github.com/kollab/kollab/internal/db"
	"github.com/kollab/kollab/internal/storage"
	"github.com/kollab/kollab/internal/testenv"
	"github.com/kollab/kollab/tenant"
)

const password = "Absturz-Test-Passwort-2026"

// acked is an upload the server answered 201 for.
type acked struct {
	Document, Revision uuid.UUID
	Size               int64
	SHA256             string
}

func freePort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

func buildKollab(t *testing.T) string {
	t.Helper()
	out, err := exec.Command("go", "env", "GOMOD").Output()
	if err != nil {
		t.Fatal(err)
	}
	bin := filepath.Join(t.TempDir(), "kollab")
	cmd := exec.Command("go", "build", "-o", bin, "./cmd/kollab")
	cmd.Dir = filepath.Dir(strings.TrimSpace(string(out)))
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("build kollab: %v\n%s", err, b)
	}
	return bin
}

// slowReader yields n pseudo-random bytes in small pieces with pauses, so
// that many uploads are in flight when the server dies.
type slowReader struct {
	rng  *rand.ChaCha8
	left int64
}

func (r *slowReader) Read(p []byte) (int, error) {
	if r.left == 0 {
		return 0, io.EOF
	}
	n := int(min(int64(len(p)), r.left, 64<<10))
	r.rng.Read(p[:n])
	r.left -= int64(n)
	time.Sleep(time.Millisecond)
	return n, nil
}

// countingReader records in max the most bytes any of them has read.
type countingReader struct {
	r   io.Reader
	n   int64
	max *atomic.Int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	for {
		cur := c.max.Load()
		if c.n <= cur || c.max.CompareAndSwap(cur, c.n) {
			break
		}
	}
	return n, err
}

func TestKillDuringUploads(t *testing.T) {
	ownerURL, appURL := testenv.PostgresURLs(t)
	s3 := testenv.StartS3(t)
	inst := newInstance(t, ownerURL, appURL, map[string]string{"KOLLAB_STORAGE_URL": s3.URL("")})
	bin, origin, environ, a := inst.bin, inst.origin, inst.environ, inst.app
	ctx := context.Background()

	// Set up through the services: a tenant, an admin who makes a folder,
	// a staff member who may write in it.
	tn, err := a.Tenants.CreateTenant(ctx, "amt-absturz", "Amt Absturz")
	must(t, err)
	admin := member(t, a, tn, tenant.RoleAdmin, "admin@absturz.example")
	staff := member(t, a, tn, tenant.RoleStaff, "staff@absturz.example")
	folder, err := a.Documents.CreateFolder(ctx, admin, uuid.Nil, "Eingang")
	must(t, err)
	_, err = a.Documents.SetPermission(ctx, admin, folder.ID, documents.RolePrincipal(tenant.RoleStaff), documents.Write)
	must(t, err)
	must(t, a.Close())

	// Start the server and sign in as the staff member.
	srv, srvOut := inst.serve(t)
	jar, _ := cookiejar.New(nil)
	hc := &http.Client{Jar: jar, Timeout: time.Minute}
	csrf := login(t, hc, origin, "staff@absturz.example")

	// Many concurrent uploads: new documents and new revisions.
	var (
		mu       sync.Mutex
		acks     []acked
		inFlight atomic.Int64
	)
	const workers = 24
	// Workers 0..bigWorkers-1 upload files of several S3 parts, so that
	// the kill leaves incomplete multipart uploads behind.
	const bigWorkers = 3
	var bigSent atomic.Int64 // the most bytes one big upload has sent so far
	stop := make(chan struct{})
	var wg sync.WaitGroup
	base := origin + "/api/v1/t/" + tn.Slug
	for w := range workers {
		wg.Go(func() {
			rng := rand.NewChaCha8([32]byte{byte(w)})
			var mine []uuid.UUID
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				size := int64(32<<10 + rand.N(2<<20))
				var body io.Reader = &slowReader{rng: rng, left: size}
				if w < bigWorkers {
					size = int64(storage.DefaultS3PartSize + 4<<20 + rand.N(16<<20))
					body = &countingReader{r: &slowReader{rng: rng, left: size}, max: &bigSent}
				}
				h := sha256.New()
				var req *http.Request
				if len(mine) > 0 && i%3 == 0 {
					req, _ = http.NewRequest("PUT", fmt.Sprintf("%s/documents/%s/content?file_name=v%d.bin", base, mine[rand.N(len(mine))], i), io.TeeReader(body, h))
				} else {
					req, _ = http.NewRequest("POST", fmt.Sprintf("%s/folders/%s/files?file_name=w%d-%d.bin", base, folder.ID, w, i), io.TeeReader(body, h))
				}
				req.ContentLength = size
				req.Header.Set("X-CSRF-Token", csrf)
				inFlight.Add(1)
				res, err := hc.Do(req)
				inFlight.Add(-1)
				if err != nil {
					return // the server died
				}
				b, _ := io.ReadAll(res.Body)
				res.Body.Close()
				if res.StatusCode != 201 {
					if res.StatusCode == 423 || res.StatusCode == 409 {
						continue
					}
					t.Errorf("upload: %d %s", res.StatusCode, b)
					return
				}
				var out struct {
					Document struct{ ID uuid.UUID } `json:"document"`
					Revision struct {
						ID     uuid.UUID `json:"id"`
						Size   int64     `json:"size_bytes"`
						SHA256 string    `json:"sha256"`
					} `json:"revision"`
				}
				if err := json.Unmarshal(b, &out); err != nil {
					t.Errorf("upload answer: %v", err)
					return
				}
				if out.Revision.SHA256 != hex.EncodeToString(h.Sum(nil)) || out.Revision.Size != size {
					t.Errorf("the server acknowledged other bytes than were sent: %+v", out.Revision)
				}
				mine = append(mine, out.Document.ID)
				mu.Lock()
				acks = append(acks, acked{out.Document.ID, out.Revision.ID, out.Revision.Size, out.Revision.SHA256})
				mu.Unlock()
			}
		})
	}
	s3c, err := minio.New(s3.Endpoint, &minio.Options{Creds: credentials.NewStaticV4(s3.AccessKey, s3.SecretKey, ""), BucketLookup: minio.BucketLookupPath})
	must(t, err)
	incomplete := func() (n int, bytes int64) {
		for up := range s3c.ListIncompleteUploads(ctx, s3.Bucket, "", true) {
			must(t, up.Err)
			n++
			bytes += up.Size
		}
		return n, bytes
	}
	// Kill the server hard once enough uploads committed, many are in
	// flight and the object store holds a multipart upload in progress.
	deadline := time.Now().Add(60 * time.Second)
	for {
		mu.Lock()
		n := len(acks)
		mu.Unlock()
		if n >= 40 && inFlight.Load() >= workers/2 && bigSent.Load() > storage.DefaultS3PartSize+2<<20 {
			if parts, _ := incomplete(); parts > 0 {
				break
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("in 60 s: %d uploads acknowledged, %d in flight, %d bytes of a big one sent, and no multipart upload in progress\n%s", n, inFlight.Load(), bigSent.Load(), srvOut.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
	killedInFlight := inFlight.Load()
	must(t, srv.Process.Signal(syscall.SIGKILL))
	_ = srv.Wait()
	close(stop)
	wg.Wait()
	t.Logf("killed with %d uploads in flight after %d acknowledged", killedInFlight, len(acks))

	// The killed process left incomplete multipart uploads in the bucket.
	if n, b := incomplete(); n == 0 {
		t.Fatal("the kill left no incomplete multipart upload: the test does not exercise their clean-up")
	} else {
		t.Logf("the kill left %d incomplete multipart uploads (%d bytes listed)", n, b)
	}

	// Restart: one sweep, as an operator would run it after a crash. The
	// uploads are far younger than KOLLAB_UPLOAD_INTENT_TTL (24 h); they
	// are dead because their heartbeat stopped (a test-sized timeout
	// instead of the 5 minutes of a real installation), and no grace
	// period protects orphans.
	time.Sleep(1500 * time.Millisecond)
	sweep := exec.Command(bin, "documents", "sweep")
	sweep.Env = append(append([]string{}, environ...), "KOLLAB_UPLOAD_HEARTBEAT_TIMEOUT=1s", "KOLLAB_ORPHAN_GRACE=0s")
	out, err := sweep.CombinedOutput()
	if err != nil {
		t.Fatalf("documents sweep: %v\n%s", err, out)
	}
	t.Logf("sweep: %s", strings.TrimSpace(lastLine(out)))

	a, err = app.Open(ctx, inst.cfg, slog.New(slog.DiscardHandler), true)
	must(t, err)
	defer a.Close()
	// Every acknowledged revision is there, with its object intact.
	for _, k := range acks {
		rev, err := a.Documents.GetRevision(ctx, staff, k.Document, k.Revision)
		if err != nil {
			t.Fatalf("acknowledged revision %s of %s lost: %v", k.Revision, k.Document, err)
		}
		if rev.Size != k.Size || rev.SHA256 != k.SHA256 {
			t.Fatalf("revision %s changed: %+v, acknowledged %+v", k.Revision, rev, k)
		}
	}
	rep, err := a.Documents.Verify(ctx, []uuid.UUID{tn.ID}, nil)
	must(t, err)
	if len(rep.Problems) > 0 || rep.Revisions < len(acks) {
		t.Fatalf("verify: %d revisions, problems %+v", rep.Revisions, rep.Problems)
	}
	// No revision object without a revision; no intent, no reservation left.
	var keys []string
	must(t, a.DB.Tenant(ctx, tn.ID, func(tx *db.Tx) error {
		return tx.Table("document_revisions").Distinct().Pluck("storage_key", &keys).Error
	}))
	referenced := map[string]bool{}
	for _, k := range keys {
		referenced[k] = true
	}
	prefix, _ := storage.KindPrefix(tn.ID, documents.RevisionKind)
	objects := 0
	must(t, a.Store.List(ctx, prefix, func(o storage.ObjectInfo) error {
		objects++
		if !referenced[o.Key] {
			t.Errorf("unreferenced object %s (%d bytes) survived the sweep", o.Key, o.Size)
		}
		return nil
	}))
	var intents int64
	must(t, a.DB.Tenant(ctx, tn.ID, func(tx *db.Tx) error { return tx.Table("upload_intents").Count(&intents).Error }))
	u, err := a.Documents.StorageUsage(ctx, tn.ID)
	must(t, err)
	var used int64
	must(t, a.DB.Tenant(ctx, tn.ID, func(tx *db.Tx) error {
		return tx.Table("document_revisions").Select("COALESCE(SUM(size_bytes), 0)").Scan(&used).Error
	}))
	if intents != 0 || u.ReservedBytes != 0 || u.UsedBytes != used {
		t.Fatalf("after the sweep: %d intents, usage %+v, revisions hold %d bytes", intents, u, used)
	}
	if n, b := incomplete(); n != 0 {
		t.Fatalf("after the sweep %d incomplete multipart uploads (%d bytes) are left in the bucket", n, b)
	}
	t.Logf("after restart and one sweep: %d revisions (%d acknowledged) verified, %d objects all referenced", rep.Revisions, len(acks), objects)
}

func lastLine(b []byte) string {
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	return lines[len(lines)-1]
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func member(t *testing.T, a *app.App, tn *tenant.Tenant, role tenant.Role, email string) tenant.Actor {
	t.Helper()
	ctx := context.Background()
	u, err := a.Tenants.CreateUser(ctx, email, strings.Split(email, "@")[0], password)
	must(t, err)
	m, err := a.Tenants.AddMember(ctx, tn.ID, u.ID, role)
	must(t, err)
	return tenant.ActorFromMembership(m)
}

// instance is a Kollab installation for a crash test: the built binary,
// the environment `kollab serve` runs with (PostgreSQL as the application
// role, migrated by the owner), and the app opened in this process on the
// same database, for setting up and checking.
type instance struct {
	bin, origin string
	environ     []string
	cfg         config.Config
	app         *app.App
}

// newInstance builds kollab and opens the app; extra adds or overrides
// KOLLAB_* variables.
func newInstance(t *testing.T, ownerURL, appURL string, extra map[string]string) *instance {
	t.Helper()
	port := freePort(t)
	origin := fmt.Sprintf("http://127.0.0.1:%d", port)
	env := map[string]string{
		"KOLLAB_DATA_DIR": t.TempDir(), "KOLLAB_DATABASE_URL": appURL, "KOLLAB_MIGRATE_DATABASE_URL": ownerURL,
		"KOLLAB_LISTEN": fmt.Sprintf("127.0.0.1:%d", port), "KOLLAB_PUBLIC_URL": origin,
		"KOLLAB_SECURE_COOKIES": "false", "KOLLAB_SECRET_KEY": strings.Repeat("ab", 32), "KOLLAB_LOG_LEVEL": "warn",
	}
	for k, v := range extra {
		env[k] = v
	}
	environ := os.Environ()
	for k, v := range env {
		environ = append(environ, k+"="+v)
	}
	cfg := config.Bind(newFlagSet(), func(k string) string { return env[k] })
	must(t, cfg.Finish())
	a, err := app.Open(context.Background(), *cfg, slog.New(slog.DiscardHandler), false)
	must(t, err)
	return &instance{bin: buildKollab(t), origin: origin, environ: environ, cfg: *cfg, app: a}
}

// serve starts `kollab serve`, waits until it is ready, and kills it when
// the test ends; its output collects in the buffer.
func (in *instance) serve(t *testing.T) (*exec.Cmd, *bytes.Buffer) {
	t.Helper()
	srv := exec.Command(in.bin, "serve")
	srv.Env = in.environ
	var out bytes.Buffer
	srv.Stdout, srv.Stderr = &out, &out
	must(t, srv.Start())
	t.Cleanup(func() { _ = srv.Process.Kill(); _ = srv.Wait() })
	waitReady(t, in.origin)
	return srv, &out
}

func waitReady(t *testing.T, origin string) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		res, err := http.Get(origin + "/readyz")
		if err == nil {
			res.Body.Close()
			if res.StatusCode == 200 {
				return
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatal("kollab serve did not become ready")
}

// login signs in with the password (staff need no second factor) and
// returns the CSRF token for writes.
func login(t *testing.T, hc *http.Client, origin, email string) string {
	t.Helper()
	res, err := hc.Get(origin + "/api/v1/auth/csrf")
	must(t, err)
	res.Body.Close()
	var csrf string
	for _, c := range res.Cookies() {
		if c.Name == "kollab_csrf" {
			csrf = c.Value
		}
	}
	body, _ := json.Marshal(map[string]string{"email": email, "password": password})
	req, _ := http.NewRequest("POST", origin+"/api/v1/auth/login", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-CSRF-Token", csrf)
	res, err = hc.Do(req)
	must(t, err)
	b, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != 200 {
		t.Fatalf("login: %d %s", res.StatusCode, b)
	}
	u, _ := url.Parse(origin)
	for _, c := range hc.Jar.Cookies(u) {
		if c.Name == "kollab_csrf" {
			csrf = c.Value
		}
	}
	return csrf
}

func newFlagSet() *flag.FlagSet { return flag.NewFlagSet("crashtest", flag.ContinueOnError) }
