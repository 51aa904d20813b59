package testenv

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

const (
	// S3VersitygwEnv names the environment variable holding the path of the
	// versitygw binary.
	S3VersitygwEnv = "KOLLAB_TEST_VERSITYGW"
	// S3Bucket is the bucket StartS3 creates.
	S3Bucket = "kollab-test"

	s3AccessKey     = "kollabtest"
	s3SecretKey     = "kollabtest-secret/+key"
	s3HealthPath    = "/health"
	s3StartTimeout  = 20 * time.Second
	s3StartAttempts = 3
)

// S3Server is a versitygw S3 gateway serving a fresh temporary folder on
// 127.0.0.1, stopped when the test ends.
type S3Server struct {
	// Endpoint is host:port, without scheme (plain HTTP).
	Endpoint  string
	AccessKey string
	SecretKey string
	// Bucket exists and is empty when StartS3 returns.
	Bucket string
	// Dir is the folder versitygw serves; each bucket is a subfolder.
	Dir string
}

// URL returns a KOLLAB_STORAGE_URL for bucket (S3Bucket if empty) with
// percent-encoded credentials, secure=false and create_bucket=true.
func (s *S3Server) URL(bucket string) string {
	if bucket == "" {
		bucket = s.Bucket
	}
	u := url.URL{
		Scheme:   "s3",
		User:     url.UserPassword(s.AccessKey, s.SecretKey),
		Host:     s.Endpoint,
		Path:     "/" + bucket,
		RawQuery: "secure=false&create_bucket=true",
	}
	return u.String()
}

// StartS3 starts versitygw (see S3VersitygwBinary) with the posix backend on
// a free port of 127.0.0.1, waits until it answers, and stops it and removes
// its folder when the test ends.
func StartS3(t testing.TB) *S3Server {
	t.Helper()
	bin, err := S3VersitygwBinary()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := os.Mkdir(filepath.Join(dir, S3Bucket), 0o755); err != nil {
		t.Fatalf("testenv: create bucket folder: %v", err)
	}
	var lastErr error
	for range s3StartAttempts {
		endpoint, err := s3StartOnce(t, bin, dir)
		if err == nil {
			return &S3Server{Endpoint: endpoint, AccessKey: s3AccessKey, SecretKey: s3SecretKey, Bucket: S3Bucket, Dir: dir}
		}
		lastErr = err // most likely the port was taken between probe and start
	}
	t.Fatalf("testenv: start versitygw: %v", lastErr)
	return nil
}

// S3VersitygwBinary finds the versitygw binary: $KOLLAB_TEST_VERSITYGW, then
// versitygw on PATH, then $(go env GOPATH)/bin/versitygw.
func S3VersitygwBinary() (string, error) {
	const hint = "install it with scripts/test (or: go install github.com/versity/versitygw/cmd/versitygw@v1.8.0) " +
		"or set " + S3VersitygwEnv + " to its path"
	if p := os.Getenv(S3VersitygwEnv); p != "" {
		if err := s3CheckExecutable(p); err != nil {
			return "", fmt.Errorf("testenv: %s=%s: %v; %s", S3VersitygwEnv, p, err, hint)
		}
		return p, nil
	}
	if p, err := exec.LookPath("versitygw"); err == nil {
		return p, nil
	}
	if out, err := exec.Command("go", "env", "GOPATH").Output(); err == nil {
		for _, gopath := range filepath.SplitList(strings.TrimSpace(string(out))) {
			p := filepath.Join(gopath, "bin", "versitygw")
			if s3CheckExecutable(p) == nil {
				return p, nil
			}
		}
	}
	return "", errors.New("testenv: versitygw (the S3 server the tests need) was not found; " + hint)
}

func s3CheckExecutable(p string) error {
	fi, err := os.Stat(p)
	if err != nil {
		return err
	}
	if fi.IsDir() || fi.Mode().Perm()&0o111 == 0 {
		return errors.New("not an executable file")
	}
	return nil
}

// s3StartOnce starts versitygw on a free port and waits for its health
// endpoint. On failure the process is gone and its output is in the error.
func s3StartOnce(t testing.TB, bin, dir string) (string, error) {
	port, err := s3FreePort()
	if err != nil {
		return "", err
	}
	endpoint := net.JoinHostPort("127.0.0.1", strconv.Itoa(port))
	out := &s3Output{}
	cmd := exec.Command(bin,
		"--access", s3AccessKey,
		"--secret", s3SecretKey,
		"--port", endpoint,
		"--health", s3HealthPath,
		"--quiet",
		"posix", dir)
	// Keep the operator's credentials and config out of the server.
	cmd.Env = []string{"HOME=" + dir, "PATH=" + os.Getenv("PATH")}
	cmd.Stdout, cmd.Stderr = out, out
	if err := cmd.Start(); err != nil {
		return "", fmt.Errorf("run %s: %w", bin, err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	stop := func() {
		_ = cmd.Process.Kill()
		<-exited
	}

	if err := s3WaitHealthy(endpoint, exited); err != nil {
		stop()
		return "", fmt.Errorf("%w; versitygw output:\n%s", err, out.String())
	}
	t.Cleanup(func() {
		stop()
		if t.Failed() {
			t.Logf("versitygw on %s output:\n%s", endpoint, out.String())
		}
	})
	return endpoint, nil
}

// s3WaitHealthy polls the health endpoint until it answers 200, the process
// exits or the start timeout passes.
func s3WaitHealthy(endpoint string, exited <-chan error) error {
	ctx, cancel := context.WithTimeout(context.Background(), s3StartTimeout)
	defer cancel()
	client := &http.Client{Timeout: time.Second}
	healthURL := "http://" + endpoint + s3HealthPath
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	for {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, healthURL, nil)
		if err != nil {
			return err
		}
		if resp, err := client.Do(req); err == nil {
			_ = resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
		select {
		case err := <-exited:
			return fmt.Errorf("versitygw exited before answering on %s: %v", endpoint, err)
		case <-ctx.Done():
			return fmt.Errorf("versitygw did not answer on %s within %s", endpoint, s3StartTimeout)
		case <-tick.C:
		}
	}
}

// s3FreePort asks the kernel for a free TCP port on 127.0.0.1.
func s3FreePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, fmt.Errorf("find a free port: %w", err)
	}
	defer l.Close()
	addr, ok := l.Addr().(*net.TCPAddr)
	if !ok {
		return 0, fmt.Errorf("find a free port: unexpected address %v", l.Addr())
	}
	return addr.Port, nil
}

// s3Output collects a child process's output; it is written by the exec
// copying goroutines and read by the test.
type s3Output struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (o *s3Output) Write(p []byte) (int, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	const limit = 1 << 20
	if o.buf.Len() < limit {
		o.buf.Write(p[:min(len(p), limit-o.buf.Len())])
	}
	return len(p), nil
}

func (o *s3Output) String() string {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.buf.String()
}
