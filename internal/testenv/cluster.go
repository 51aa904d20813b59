package testenv

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// PostgresCluster is a PostgreSQL server of the test's own: initdb into a
// fresh folder, listening on a free port of 127.0.0.1, with the same two
// roles scripts/test provisions (an owner with CREATEDB and an
// unprivileged application role) and a database "kollab" owned by the
// owner. Unlike the shared server of PostgresURLs it may be stopped and
// restarted by the test (fault tests). It is stopped and removed when the
// test ends.
type PostgresCluster struct {
	// OwnerURL connects to database kollab as the owner role (migrations);
	// AppURL as the application role, which may only connect.
	OwnerURL, AppURL string
	// Port is the TCP port on 127.0.0.1.
	Port int

	bin, data, log string
	asUser         *user.User // the OS user the server runs as (nil: this process's)
}

const (
	clusterOwnerRole = "kollab_owner"
	clusterAppRole   = "kollab_app"
	clusterDatabase  = "kollab"
	clusterPassword  = "kollab_cluster_test_pw"
)

// StartPostgresCluster creates and starts a cluster of the test's own. As
// root the server runs as the OS user postgres (initdb refuses root). It
// fails the test, never skips, when no PostgreSQL server binaries are
// installed (/usr/lib/postgresql/<version>/bin or initdb on PATH).
func StartPostgresCluster(t testing.TB) *PostgresCluster {
	t.Helper()
	bin, err := pgServerBinaries()
	if err != nil {
		t.Fatal(err)
	}
	c := &PostgresCluster{bin: bin}
	if os.Geteuid() == 0 {
		if c.asUser, err = user.Lookup("postgres"); err != nil {
			t.Fatalf("testenv: a test PostgreSQL must run as the OS user postgres when the tests run as root: %v", err)
		}
	}
	// Not t.TempDir: its parent folder is private to this user, and the
	// server may run as another.
	base, err := os.MkdirTemp("", "kollab-pg-")
	if err != nil {
		t.Fatalf("testenv: cluster folder: %v", err)
	}
	t.Cleanup(func() { _ = os.RemoveAll(base) })
	c.data, c.log = filepath.Join(base, "data"), filepath.Join(base, "server.log")
	pwfile := filepath.Join(base, "pw")
	if err := os.WriteFile(pwfile, []byte(clusterPassword+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if c.asUser != nil {
		uid, _ := strconv.Atoi(c.asUser.Uid)
		gid, _ := strconv.Atoi(c.asUser.Gid)
		for _, p := range []string{base, pwfile} {
			if err := os.Chown(p, uid, gid); err != nil {
				t.Fatalf("testenv: hand the cluster folder to postgres: %v", err)
			}
		}
	}
	if out, err := c.run("initdb", "-D", c.data, "-U", "postgres", "--pwfile="+pwfile, "--auth=scram-sha-256",
		"-E", "UTF8", "--locale=C.UTF-8", "--no-sync"); err != nil {
		t.Fatalf("testenv: initdb: %v\n%s", err, out)
	}
	port, err := s3FreePort()
	if err != nil {
		t.Fatal(err)
	}
	c.Port = port
	conf := fmt.Sprintf("\n# test cluster\nlisten_addresses = '127.0.0.1'\nport = %d\nunix_socket_directories = '%s'\n"+
		"max_connections = 200\nfsync = off\nfull_page_writes = off\n", port, base)
	if out, err := c.run("sh", "-c", "cat >> "+filepath.Join(c.data, "postgresql.conf")+" <<'EOF'\n"+conf+"EOF\n"); err != nil {
		t.Fatalf("testenv: configure the cluster: %v\n%s", err, out)
	}
	t.Cleanup(func() {
		_, _ = c.run(filepath.Join(c.bin, "pg_ctl"), "-D", c.data, "-m", "immediate", "-w", "stop")
		if t.Failed() {
			if b, err := os.ReadFile(c.log); err == nil {
				t.Logf("test PostgreSQL log:\n%s", tail(b, 4000))
			}
		}
	})
	c.Start(t)

	super := c.url("postgres", clusterPassword, "postgres")
	ctx, cancel := context.WithTimeout(context.Background(), pgTimeout)
	defer cancel()
	conn, err := pgx.Connect(ctx, super)
	if err != nil {
		t.Fatalf("testenv: connect to the test cluster: %v", err)
	}
	defer func() { _ = conn.Close(context.Background()) }()
	for _, stmt := range []string{
		"CREATE ROLE " + clusterOwnerRole + " LOGIN CREATEDB NOSUPERUSER NOBYPASSRLS PASSWORD '" + clusterPassword + "'",
		"CREATE ROLE " + clusterAppRole + " LOGIN NOSUPERUSER NOBYPASSRLS PASSWORD '" + clusterPassword + "'",
		"CREATE DATABASE " + clusterDatabase + " OWNER " + clusterOwnerRole,
		"REVOKE ALL ON DATABASE " + clusterDatabase + " FROM PUBLIC",
		"GRANT CONNECT ON DATABASE " + clusterDatabase + " TO " + clusterAppRole,
	} {
		if _, err := conn.Exec(ctx, stmt); err != nil {
			t.Fatalf("testenv: %s: %v", strings.Split(stmt, " PASSWORD")[0], err)
		}
	}
	c.OwnerURL = c.url(clusterOwnerRole, clusterPassword, clusterDatabase)
	c.AppURL = c.url(clusterAppRole, clusterPassword, clusterDatabase)
	return c
}

func (c *PostgresCluster) url(role, pw, db string) string {
	u := url.URL{Scheme: "postgres", User: url.UserPassword(role, pw), Host: fmt.Sprintf("127.0.0.1:%d", c.Port),
		Path: "/" + db, RawQuery: "sslmode=disable"}
	return u.String()
}

// Start starts the (stopped) server and waits until it accepts connections.
func (c *PostgresCluster) Start(t testing.TB) {
	t.Helper()
	if out, err := c.run(filepath.Join(c.bin, "pg_ctl"), "-D", c.data, "-l", c.log, "-w", "-t", "60", "start"); err != nil {
		t.Fatalf("testenv: start the test PostgreSQL: %v\n%s", err, out)
	}
}

// Stop stops the server the way an operator does (fast: running
// transactions are rolled back, sessions ended with 57P01).
func (c *PostgresCluster) Stop(t testing.TB) {
	t.Helper()
	if out, err := c.run(filepath.Join(c.bin, "pg_ctl"), "-D", c.data, "-m", "fast", "-w", "-t", "60", "stop"); err != nil {
		t.Fatalf("testenv: stop the test PostgreSQL: %v\n%s", err, out)
	}
}

// Restart is pg_ctl restart -m fast: every session ends, and new
// connections are refused until the server is back.
func (c *PostgresCluster) Restart(t testing.TB) {
	t.Helper()
	if out, err := c.run(filepath.Join(c.bin, "pg_ctl"), "-D", c.data, "-l", c.log, "-m", "fast", "-w", "-t", "60", "restart"); err != nil {
		t.Fatalf("testenv: restart the test PostgreSQL: %v\n%s", err, out)
	}
}

// run runs a program as the cluster's OS user, from "/" (the user may not
// be allowed into the current folder).
func (c *PostgresCluster) run(name string, args ...string) ([]byte, error) {
	if !filepath.IsAbs(name) && name != "sh" {
		name = filepath.Join(c.bin, name)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, name, args...)
	if c.asUser != nil {
		cmd = exec.CommandContext(ctx, "runuser", append([]string{"-u", c.asUser.Username, "--", name}, args...)...)
	}
	cmd.Dir = "/"
	// Keep libpq's routing variables out: pg_ctl's readiness check uses them.
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "PG") {
			cmd.Env = append(cmd.Env, kv)
		}
	}
	return cmd.CombinedOutput()
}

// pgServerBinaries finds the folder of initdb and pg_ctl: the newest
// /usr/lib/postgresql/<version>/bin, else initdb on PATH.
func pgServerBinaries() (string, error) {
	dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin/initdb")
	sort.Slice(dirs, func(i, j int) bool {
		vi, _ := strconv.Atoi(filepath.Base(filepath.Dir(filepath.Dir(dirs[i]))))
		vj, _ := strconv.Atoi(filepath.Base(filepath.Dir(filepath.Dir(dirs[j]))))
		return vi < vj
	})
	if len(dirs) > 0 {
		return filepath.Dir(dirs[len(dirs)-1]), nil
	}
	if p, err := exec.LookPath("initdb"); err == nil {
		if real, err := filepath.EvalSymlinks(p); err == nil {
			return filepath.Dir(real), nil
		}
	}
	return "", fmt.Errorf("testenv: no PostgreSQL server binaries (initdb, pg_ctl) under /usr/lib/postgresql/*/bin or on PATH; " +
		"install the Debian package postgresql (scripts/test does)")
}

func tail(b []byte, n int) string {
	if len(b) > n {
		b = b[len(b)-n:]
	}
	return string(b)
}

// S3Process is a versitygw server (as StartS3) that the test may stop and
// start again on the same port and folder, to take the object store away.
type S3Process struct {
	*S3Server
	bin    string
	cmd    *exec.Cmd
	exited chan error
	out    *s3Output
}

// StartS3Process starts versitygw like StartS3 and returns a handle that
// can stop and restart it; it is stopped when the test ends.
func StartS3Process(t testing.TB) *S3Process {
	t.Helper()
	bin, err := S3VersitygwBinary()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := os.Mkdir(filepath.Join(dir, S3Bucket), 0o755); err != nil {
		t.Fatalf("testenv: create bucket folder: %v", err)
	}
	port, err := s3FreePort()
	if err != nil {
		t.Fatal(err)
	}
	endpoint := fmt.Sprintf("127.0.0.1:%d", port)
	p := &S3Process{S3Server: &S3Server{Endpoint: endpoint, AccessKey: s3AccessKey, SecretKey: s3SecretKey, Bucket: S3Bucket, Dir: dir},
		bin: bin, out: &s3Output{}}
	t.Cleanup(func() {
		p.stop()
		if t.Failed() {
			t.Logf("versitygw on %s output:\n%s", endpoint, tail([]byte(p.out.String()), 4000))
		}
	})
	p.Start(t)
	return p
}

// Start starts the stopped server again and waits until it answers.
func (p *S3Process) Start(t testing.TB) {
	t.Helper()
	if p.cmd != nil {
		t.Fatal("testenv: versitygw is running already")
	}
	var lastErr error
	for range s3StartAttempts {
		cmd := exec.Command(p.bin, "--access", p.AccessKey, "--secret", p.SecretKey, "--port", p.Endpoint,
			"--health", s3HealthPath, "--quiet", "posix", p.Dir)
		cmd.Env = []string{"HOME=" + p.Dir, "PATH=" + os.Getenv("PATH")}
		cmd.Stdout, cmd.Stderr = p.out, p.out
		if err := cmd.Start(); err != nil {
			t.Fatalf("testenv: run %s: %v", p.bin, err)
		}
		exited := make(chan error, 1)
		go func() { exited <- cmd.Wait() }()
		if lastErr = s3WaitHealthy(p.Endpoint, exited); lastErr == nil {
			p.cmd, p.exited = cmd, exited
			return
		}
		_ = cmd.Process.Kill()
		<-exited
		time.Sleep(500 * time.Millisecond) // the port may still be held
	}
	t.Fatalf("testenv: start versitygw on %s: %v\n%s", p.Endpoint, lastErr, tail([]byte(p.out.String()), 4000))
}

// Stop kills the server: connections are refused until Start.
func (p *S3Process) Stop(t testing.TB) {
	t.Helper()
	if p.cmd == nil {
		t.Fatal("testenv: versitygw is not running")
	}
	p.stop()
}

func (p *S3Process) stop() {
	if p.cmd == nil {
		return
	}
	_ = p.cmd.Process.Kill()
	<-p.exited
	p.cmd, p.exited = nil, nil
}
