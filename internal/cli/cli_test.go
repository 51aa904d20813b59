package cli_test

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	_ "github.com/glebarez/go-sqlite"
	_ "github.com/jackc/pgx/v5/stdlib"
	"github.com/kollab/kollab/internal/cli"
	"github.com/kollab/kollab/internal/testenv"
)

type kollab struct {
	t   *testing.T
	env map[string]string
}

func (k *kollab) run(args ...string) (int, string, string) {
	k.t.Helper()
	var out, errOut bytes.Buffer
	code := cli.Run(context.Background(), args, &out, &errOut, func(name string) string { return k.env[name] })
	return code, out.String(), errOut.String()
}

func (k *kollab) ok(args ...string) string {
	k.t.Helper()
	code, out, errOut := k.run(args...)
	if code != 0 {
		k.t.Fatalf("kollab %s: exit %d\n%s\n%s", strings.Join(args, " "), code, out, errOut)
	}
	return out
}

func sqliteKollab(t *testing.T) (*kollab, string) {
	dir := t.TempDir()
	return &kollab{t: t, env: map[string]string{"KOLLAB_DATA_DIR": dir, "KOLLAB_LOG_LEVEL": "error"}}, filepath.Join(dir, "kollab.db")
}

func postgresKollab(t *testing.T) (*kollab, string) {
	owner, app := testenv.PostgresURLs(t)
	return &kollab{t: t, env: map[string]string{
		"KOLLAB_DATA_DIR":             t.TempDir(),
		"KOLLAB_DATABASE_URL":         app,
		"KOLLAB_MIGRATE_DATABASE_URL": owner,
		"KOLLAB_SECRET_KEY":           strings.Repeat("ab", 32),
		"KOLLAB_LOG_LEVEL":            "error",
	}}, owner
}

var brokenRE = regexp.MustCompile(`BROKEN\s+(\S+): erster Bruch bei seq=(\d+)`)

// seedAndTamper creates a tenant with audit history through the CLI, checks
// that `audit verify` passes, changes one entry behind the application's
// back and checks that `audit verify` fails at exactly that entry.
func seedAndTamper(t *testing.T, k *kollab, tamper func(seq int)) {
	k.ok("tenant create", "--slug", "stadt", "--name", "Stadt")
	// one command word at a time, as an operator types it
	k.ok("tenant", "create", "--slug", "kreis", "--name", "Kreis")
	for i := range 4 {
		k.ok("user", "create", "--email", fmt.Sprintf("p%d@stadt.example", i), "--name", "P", "--tenant", "stadt", "--role", "staff")
	}
	out := k.ok("audit", "verify")
	if !strings.Contains(out, "OK      stadt: 5 Einträge") || !strings.Contains(out, "OK      kreis: 1 Einträge") {
		t.Fatalf("verify before tampering:\n%s", out)
	}
	tamper(3)
	code, out, _ := k.run("audit", "verify")
	m := brokenRE.FindStringSubmatch(out)
	if code != 1 || m == nil || m[1] != "stadt" || m[2] != "3" || !strings.Contains(out, "OK      kreis") {
		t.Fatalf("verify after tampering: exit %d\n%s", code, out)
	}
	if code, _, _ := k.run("audit", "verify", "--tenant", "kreis"); code != 0 {
		t.Fatalf("untouched tenant: exit %d", code)
	}
}

func TestAuditVerifyDetectsTamperingSQLite(t *testing.T) {
	k, path := sqliteKollab(t)
	seedAndTamper(t, k, func(seq int) {
		d, err := sql.Open("sqlite", path)
		if err != nil {
			t.Fatal(err)
		}
		defer d.Close()
		res, err := d.Exec(`UPDATE audit_events SET details = '{"role":"admin"}' WHERE seq = ? AND tenant_id = (SELECT id FROM tenants WHERE slug = 'stadt')`, seq)
		if n, _ := res.RowsAffected(); err != nil || n != 1 {
			t.Fatalf("tamper: %v (%d rows)", err, n)
		}
	})
}

func TestAuditVerifyDetectsTamperingPostgres(t *testing.T) {
	k, owner := postgresKollab(t)
	seedAndTamper(t, k, func(seq int) {
		d, err := sql.Open("pgx", owner)
		if err != nil {
			t.Fatal(err)
		}
		defer d.Close()
		// The forced policies bind even the owner: lift them for the change.
		for _, q := range []string{
			"ALTER TABLE audit_events NO FORCE ROW LEVEL SECURITY",
			fmt.Sprintf(`UPDATE audit_events SET action = 'tenant.member.removed' WHERE seq = %d AND tenant_id = (SELECT id FROM tenants WHERE slug = 'stadt')`, seq),
			"ALTER TABLE audit_events FORCE ROW LEVEL SECURITY",
		} {
			if _, err := d.Exec(q); err != nil {
				t.Fatalf("%s: %v", q, err)
			}
		}
	})
}

// Two instances migrating at once: both succeed, each migration runs once.
func TestConcurrentMigrate(t *testing.T) {
	for name, mk := range map[string]func(*testing.T) (*kollab, string){"sqlite": sqliteKollab, "postgres": postgresKollab} {
		t.Run(name, func(t *testing.T) {
			k, _ := mk(t)
			var wg sync.WaitGroup
			codes := make([]int, 4)
			for i := range codes {
				wg.Go(func() {
					var stderr string
					codes[i], _, stderr = k.run("migrate")
					if codes[i] != 0 {
						t.Log(stderr)
					}
				})
			}
			wg.Wait()
			for i, c := range codes {
				if c != 0 {
					t.Fatalf("migrate #%d: exit %d", i, c)
				}
			}
			k.ok("tenant", "create", "--slug", "amt", "--name", "Amt")
		})
	}
}

func TestUserCreateValidates(t *testing.T) {
	k, _ := sqliteKollab(t)
	k.ok("tenant", "create", "--slug", "amt", "--name", "Amt")
	out := k.ok("user", "create", "--email", "neu@amt.example", "--name", "Neu", "--tenant", "amt", "--role", "admin")
	if !regexp.MustCompile(`Passwort: \S{20}`).MatchString(out) {
		t.Fatalf("generated password not shown:\n%s", out)
	}
	for _, args := range [][]string{
		{"user", "create", "--email", "kaputt", "--name", "X"},
		{"user", "create", "--email", "x@amt.example", "--name", "X", "--tenant", "amt", "--role", "chef"},
		{"user", "create", "--email", "y@amt.example", "--name", "Y", "--tenant", "fehlt"},
		{"tenant", "create", "--slug", "Amt!", "--name", "X"},
		{"nonsense"},
	} {
		if code, _, _ := k.run(args...); code == 0 {
			t.Errorf("kollab %v succeeded", args)
		}
	}
}

// The first start creates the data folder, tenant demo and an admin, and
// prints the login; the second start does not.
func TestFirstStart(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data")
	env := map[string]string{"KOLLAB_DATA_DIR": dir, "KOLLAB_LISTEN": "127.0.0.1:0", "KOLLAB_LOG_LEVEL": "info"}
	start := func() string {
		ctx, cancel := context.WithCancel(context.Background())
		var out, errOut syncBuffer
		done := make(chan int)
		go func() {
			done <- cli.Run(ctx, []string{"serve"}, &out, &errOut, func(n string) string { return env[n] })
		}()
		deadline := time.Now().Add(20 * time.Second)
		for !strings.Contains(out.String(), "kollab serving") && time.Now().Before(deadline) {
			time.Sleep(50 * time.Millisecond)
		}
		cancel()
		if code := <-done; code != 0 {
			t.Fatalf("serve: exit %d\n%s\n%s", code, out.String(), errOut.String())
		}
		return errOut.String()
	}
	first := start()
	if !regexp.MustCompile(`Mandant: demo\s+E-Mail: admin@kollab\.localhost\s+Passwort: \S{20}`).MatchString(first) {
		t.Fatalf("first start did not print the login:\n%s", first)
	}
	// The banner names the address the server listens on (KOLLAB_LISTEN,
	// here with the port the system gave), not localhost:8080.
	if m := regexp.MustCompile(`Anmeldung unter http://127\.0\.0\.1:([0-9]+)\n`).FindStringSubmatch(first); m == nil || m[1] == "0" {
		t.Fatalf("first start did not name the listen address:\n%s", first)
	}
	for _, f := range []string{"kollab.db", "secret.key", "blobs"} {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			t.Errorf("data folder lacks %s: %v", f, err)
		}
	}
	if again := start(); strings.Contains(again, "Passwort") {
		t.Fatalf("second start printed a login again:\n%s", again)
	}
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}
func (s *syncBuffer) String() string { s.mu.Lock(); defer s.mu.Unlock(); return s.b.String() }

// serve answers /metrics on its own listener (KOLLAB_METRICS_LISTEN), and
// only with the token when KOLLAB_METRICS_TOKEN is set.
func TestMetricsOnTheirOwnListener(t *testing.T) {
	env := map[string]string{"KOLLAB_DATA_DIR": filepath.Join(t.TempDir(), "data"), "KOLLAB_LISTEN": "127.0.0.1:0",
		"KOLLAB_METRICS_LISTEN": "127.0.0.1:0", "KOLLAB_METRICS_TOKEN": "s3cret-metrics"}
	ctx, cancel := context.WithCancel(context.Background())
	var out, errOut syncBuffer
	done := make(chan int)
	go func() {
		done <- cli.Run(ctx, []string{"serve"}, &out, &errOut, func(n string) string { return env[n] })
	}()
	defer func() { cancel(); <-done }()
	addr := regexp.MustCompile(`"msg":"metrics serving","listen":"([0-9.:]+)"`)
	deadline := time.Now().Add(20 * time.Second)
	for addr.FindStringSubmatch(out.String()) == nil && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
	}
	m := addr.FindStringSubmatch(out.String())
	if m == nil {
		t.Fatalf("no metrics listener announced:\n%s\n%s", out.String(), errOut.String())
	}
	get := func(auth string) int {
		req, _ := http.NewRequest("GET", "http://"+m[1]+"/metrics", nil)
		if auth != "" {
			req.Header.Set("Authorization", auth)
		}
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		if res.StatusCode == 200 && !strings.Contains(string(b), "go_goroutines") {
			t.Fatalf("metrics body: %.200s", b)
		}
		return res.StatusCode
	}
	if code := get(""); code != 401 {
		t.Fatalf("without the token: %d", code)
	}
	if code := get("Bearer s3cret-metrics"); code != 200 {
		t.Fatalf("with the token: %d", code)
	}
}
