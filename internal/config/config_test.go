package config

import (
	"flag"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func parse(t *testing.T, env map[string]string, args ...string) (*Config, error) {
	t.Helper()
	fs := flag.NewFlagSet("t", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	c := Bind(fs, func(k string) string { return env[k] })
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	return c, c.Finish()
}

func TestDefaultsEnvAndFlags(t *testing.T) {
	dir := t.TempDir()
	c, err := parse(t, map[string]string{"KOLLAB_DATA_DIR": dir, "KOLLAB_LISTEN": ":9000", "KOLLAB_SESSION_IDLE": "10m"}, "-listen", ":9100")
	if err != nil {
		t.Fatal(err)
	}
	if c.Listen != ":9100" || c.SessionIdle != 10*time.Minute || c.DataDir != dir || !c.SecureCookies {
		t.Fatalf("config: %+v", c)
	}
	// A key is generated once into the data folder and read back after.
	if len(c.SecretKey) != 32 {
		t.Fatalf("key of %d bytes", len(c.SecretKey))
	}
	c2, err := parse(t, map[string]string{"KOLLAB_DATA_DIR": dir})
	if err != nil || string(c2.SecretKey) != string(c.SecretKey) {
		t.Fatalf("key not kept: %v", err)
	}
	if fi, err := os.Stat(filepath.Join(dir, "secret.key")); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("key file: %v %v", fi, err)
	}
}

func TestInvalid(t *testing.T) {
	dir := t.TempDir()
	for name, env := range map[string]map[string]string{
		"mysql url":          {"KOLLAB_DATA_DIR": dir, "KOLLAB_DATABASE_URL": "mysql://x"},
		"postgres, no key":   {"KOLLAB_DATA_DIR": dir, "KOLLAB_DATABASE_URL": "postgres://a@b/c"},
		"short key":          {"KOLLAB_DATA_DIR": dir, "KOLLAB_SECRET_KEY": "abcd"},
		"migrate without db": {"KOLLAB_DATA_DIR": dir, "KOLLAB_MIGRATE_DATABASE_URL": "postgres://a@b/c"},
		"absolute < idle":    {"KOLLAB_DATA_DIR": dir, "KOLLAB_SESSION_IDLE": "2h", "KOLLAB_SESSION_ABSOLUTE": "1h"},
	} {
		if _, err := parse(t, env); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	c, err := parse(t, map[string]string{"KOLLAB_DATA_DIR": dir, "KOLLAB_DATABASE_URL": "postgres://a@b/c", "KOLLAB_SECRET_KEY": strings.Repeat("0f", 32)})
	if err != nil || c.SecretKey[0] != 0x0f {
		t.Fatalf("hex key: %v", err)
	}
}

// Processes starting together on a fresh folder agree on one key.
func TestConcurrentKeyCreation(t *testing.T) {
	dir := t.TempDir()
	keys := make(chan string, 16)
	for range cap(keys) {
		go func() {
			c, err := parse(t, map[string]string{"KOLLAB_DATA_DIR": dir})
			if err != nil {
				keys <- "error: " + err.Error()
				return
			}
			keys <- string(c.SecretKey)
		}()
	}
	first := <-keys
	for range cap(keys) - 1 {
		if k := <-keys; k != first {
			t.Fatalf("processes disagree on the key: %q vs %q", k, first)
		}
	}
}

// Without KOLLAB_PUBLIC_URL the links point where the server listens, not
// always to localhost:8080; a set KOLLAB_PUBLIC_URL wins.
func TestConfigPublicURLFromListen(t *testing.T) {
	dir := t.TempDir()
	for listen, want := range map[string]string{
		":8080":            "http://localhost:8080",
		":9100":            "http://localhost:9100",
		"0.0.0.0:9200":     "http://localhost:9200",
		"[::]:9300":        "http://localhost:9300",
		"127.0.0.1:9000":   "http://127.0.0.1:9000",
		"[::1]:9000":       "http://[::1]:9000",
		"kollab.intern:80": "http://kollab.intern:80",
	} {
		c, err := parse(t, map[string]string{"KOLLAB_DATA_DIR": dir, "KOLLAB_LISTEN": listen})
		if err != nil {
			t.Fatal(err)
		}
		if c.PublicURL != want || !c.PublicURLFromListen {
			t.Errorf("listen %q: public URL %q (derived %v), want %q", listen, c.PublicURL, c.PublicURLFromListen, want)
		}
	}
	c, err := parse(t, map[string]string{"KOLLAB_DATA_DIR": dir, "KOLLAB_LISTEN": "127.0.0.1:9000"}, "-public-url", "https://kollab.amt.example")
	if err != nil || c.PublicURL != "https://kollab.amt.example" || c.PublicURLFromListen {
		t.Fatalf("flag: %q %v %v", c.PublicURL, c.PublicURLFromListen, err)
	}
	c, err = parse(t, map[string]string{"KOLLAB_DATA_DIR": dir, "KOLLAB_PUBLIC_URL": "https://k.example"})
	if err != nil || c.PublicURL != "https://k.example" {
		t.Fatalf("env: %q %v", c.PublicURL, err)
	}
	if d := Default(); d.PublicURL != ListenURL(d.Listen) {
		t.Fatalf("Default: %q for %q", d.PublicURL, d.Listen)
	}
}
