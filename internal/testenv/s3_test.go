package testenv_test

import (
	"net"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/kollab/kollab/internal/storage"
	"github.com/kollab/kollab/internal/testenv"
)

func TestStartS3(t *testing.T) {
	var endpoint string
	t.Run("serve", func(t *testing.T) {
		srv := testenv.StartS3(t)
		endpoint = srv.Endpoint
		if !strings.HasPrefix(srv.Endpoint, "127.0.0.1:") {
			t.Errorf("endpoint %s is not on 127.0.0.1", srv.Endpoint)
		}
		cfg, err := storage.ParseS3URL(srv.URL(""))
		if err != nil {
			t.Fatal(err)
		}
		if cfg.SecretKey != srv.SecretKey || cfg.Bucket != srv.Bucket || cfg.Secure {
			t.Fatalf("URL() parses to %v", cfg)
		}
		// The bucket exists without create_bucket.
		cfg.CreateBucket = false
		s, err := storage.NewS3(t.Context(), cfg)
		if err != nil {
			t.Fatal(err)
		}
		if err := s.Ping(t.Context()); err != nil {
			t.Fatalf("Ping: %v", err)
		}
		key, err := storage.NewKey(uuid.MustParse("0190a1b2-0000-7000-8000-0000000000c1"), "doc")
		if err != nil {
			t.Fatal(err)
		}
		if err := s.Put(t.Context(), key, strings.NewReader("hello"), 5, "text/plain"); err != nil {
			t.Fatalf("Put: %v", err)
		}
		if _, err := filepath.Glob(filepath.Join(srv.Dir, srv.Bucket, "t", "*")); err != nil {
			t.Fatal(err)
		}
	})
	// The server is stopped when its test ends.
	deadline := time.Now().Add(5 * time.Second)
	for {
		conn, err := net.DialTimeout("tcp", endpoint, 200*time.Millisecond)
		if err != nil {
			break
		}
		_ = conn.Close()
		if time.Now().After(deadline) {
			t.Fatalf("versitygw still answers on %s after its test ended", endpoint)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func TestS3VersitygwBinaryExplainsMissingBinary(t *testing.T) {
	t.Setenv(testenv.S3VersitygwEnv, filepath.Join(t.TempDir(), "no-such-versitygw"))
	_, err := testenv.S3VersitygwBinary()
	if err == nil || !strings.Contains(err.Error(), "scripts/test") {
		t.Fatalf("S3VersitygwBinary with a wrong path: err = %v, want a hint to run scripts/test", err)
	}
}
