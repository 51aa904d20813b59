// Package config builds Kollab's typed configuration from command-line flags
// and KOLLAB_* environment variables. Nothing here is global: main builds one
// Config and passes it down.
package config

import (
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"math"
	"net"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/dustin/go-humanize"
)

// Config is the whole configuration of one kollab process.
type Config struct {
	// Listen is the address `kollab serve` listens on (KOLLAB_LISTEN).
	Listen string
	// DataDir holds the embedded default: SQLite file, blob folder, generated keys (KOLLAB_DATA_DIR).
	DataDir string
	// DatabaseURL switches to PostgreSQL when set (KOLLAB_DATABASE_URL).
	DatabaseURL string
	// MigrateDatabaseURL is the owner's connection used for migrations (KOLLAB_MIGRATE_DATABASE_URL).
	MigrateDatabaseURL string
	// StorageURL switches object storage to S3 when set (KOLLAB_STORAGE_URL).
	StorageURL string
	// PublicURL is the externally visible base URL, used in invitation links (KOLLAB_PUBLIC_URL).
	// When it is not set, Finish derives it from Listen (ListenURL) and sets
	// PublicURLFromListen.
	PublicURL           string
	PublicURLFromListen bool
	// SecretKey encrypts TOTP secrets at rest (KOLLAB_SECRET_KEY, 32 bytes as hex or base64).
	// When empty, a key is generated once into DataDir/secret.key.
	SecretKey []byte
	// TrustProxy makes the server honour X-Forwarded-For/-Proto from a reverse proxy (KOLLAB_TRUST_PROXY).
	TrustProxy bool
	// SecureCookies marks cookies Secure (KOLLAB_SECURE_COOKIES, default true).
	SecureCookies bool
	// SessionIdle and SessionAbsolute bound a login session's lifetime.
	SessionIdle     time.Duration
	SessionAbsolute time.Duration
	// SMTPURL and MailFrom configure outgoing mail (KOLLAB_SMTP_URL, KOLLAB_MAIL_FROM).
	SMTPURL  string
	MailFrom string
	// LogLevel is debug, info, warn or error (KOLLAB_LOG_LEVEL).
	LogLevel string
	// BodyLimit caps JSON request bodies in bytes.
	BodyLimit int
	// UploadIntentTTL is how long an upload may run before the sweeper
	// treats it as abandoned (KOLLAB_UPLOAD_INTENT_TTL).
	UploadIntentTTL time.Duration
	// UploadHeartbeatTimeout is how long an upload's process may go without
	// renewing its heartbeat before the sweeper treats the upload as dead
	// and releases its reservation; serve checks for dead uploads at this
	// interval (KOLLAB_UPLOAD_HEARTBEAT_TIMEOUT).
	UploadHeartbeatTimeout time.Duration
	// OrphanGrace is how old an unreferenced object must be before the
	// sweeper quarantines it (KOLLAB_ORPHAN_GRACE); QuarantineTTL how long
	// it stays in quarantine (KOLLAB_QUARANTINE_TTL).
	OrphanGrace   time.Duration
	QuarantineTTL time.Duration
	// SweepInterval is how often serve runs the storage sweeper (KOLLAB_SWEEP_INTERVAL).
	SweepInterval time.Duration
	// MetricsListen is the separate address of the Prometheus endpoint
	// /metrics (KOLLAB_METRICS_LISTEN, default loopback; "off" disables it);
	// the public listener never serves metrics. MetricsToken, when set,
	// must come as "Authorization: Bearer <token>" (KOLLAB_METRICS_TOKEN).
	MetricsListen string
	MetricsToken  string
	// PrincipalCacheTTL bounds how long a resolved login is served from the
	// instance's cache on PostgreSQL (KOLLAB_PRINCIPAL_CACHE_TTL; 0 turns
	// the cache off). Changes reach every instance at once through
	// LISTEN/NOTIFY; the TTL only bounds an entry's life.
	PrincipalCacheTTL time.Duration
	// Text extraction runs in a child process (`kollab extract`) with these
	// limits: memory of the child and of each tool it runs (KOLLAB_EXTRACT_MEMORY,
	// bytes), CPU time (KOLLAB_EXTRACT_CPU), wall-clock time per file
	// (KOLLAB_EXTRACT_TIMEOUT) and bytes of text kept (KOLLAB_EXTRACT_MAX_OUTPUT).
	// A file that exceeds one is marked not extractable and not tried again.
	ExtractMemory    int64
	ExtractCPU       time.Duration
	ExtractTimeout   time.Duration
	ExtractMaxOutput int64
}

// Default returns the configuration used when nothing is set.
func Default() Config {
	return Config{
		Listen:                 ":8080",
		DataDir:                "./data",
		PublicURL:              "http://localhost:8080",
		SecureCookies:          true,
		SessionIdle:            30 * time.Minute,
		SessionAbsolute:        12 * time.Hour,
		LogLevel:               "info",
		BodyLimit:              1 << 20,
		UploadIntentTTL:        24 * time.Hour,
		UploadHeartbeatTimeout: 5 * time.Minute,
		OrphanGrace:            time.Hour,
		QuarantineTTL:          30 * 24 * time.Hour,
		SweepInterval:          time.Hour,
		MetricsListen:          "127.0.0.1:9090",

		PrincipalCacheTTL: 10 * time.Second,

		ExtractMemory:    512 << 20,
		ExtractCPU:       60 * time.Second,
		ExtractTimeout:   120 * time.Second,
		ExtractMaxOutput: 512 << 10, // what the search index keeps of a document (documents.MaxIndexedText)
	}
}

// Bind registers the configuration's flags on fs, with defaults taken from
// the environment (getenv) on top of Default. Call Finish after fs.Parse.
func Bind(fs *flag.FlagSet, getenv func(string) string) *Config {
	c := Default()
	str := func(p *string, name, env, usage string) {
		if v := getenv(env); v != "" {
			*p = v
		}
		fs.StringVar(p, name, *p, usage+" ("+env+")")
	}
	boolean := func(p *bool, name, env, usage string) {
		if v := getenv(env); v != "" {
			*p = v == "1" || strings.EqualFold(v, "true") || strings.EqualFold(v, "yes")
		}
		fs.BoolVar(p, name, *p, usage+" ("+env+")")
	}
	duration := func(p *time.Duration, name, env, usage string) {
		if v := getenv(env); v != "" {
			if d, err := time.ParseDuration(v); err == nil {
				*p = d
			}
		}
		fs.DurationVar(p, name, *p, usage+" ("+env+")")
	}
	str(&c.Listen, "listen", "KOLLAB_LISTEN", "address to listen on")
	str(&c.MetricsListen, "metrics-listen", "KOLLAB_METRICS_LISTEN", `address of the Prometheus endpoint /metrics ("off": none)`)
	str(&c.MetricsToken, "metrics-token", "KOLLAB_METRICS_TOKEN", "bearer token required for /metrics (empty: none)")
	str(&c.DataDir, "data-dir", "KOLLAB_DATA_DIR", "folder for the embedded database, blobs and keys")
	str(&c.DatabaseURL, "database-url", "KOLLAB_DATABASE_URL", "PostgreSQL URL (empty: embedded SQLite)")
	str(&c.MigrateDatabaseURL, "migrate-database-url", "KOLLAB_MIGRATE_DATABASE_URL", "PostgreSQL URL of the schema owner, used for migrations")
	str(&c.StorageURL, "storage-url", "KOLLAB_STORAGE_URL", "s3://ACCESS:SECRET@host:port/bucket?secure=false (empty: local blob folder)")
	c.PublicURL = "" // not set: Finish derives it from the listen address
	str(&c.PublicURL, "public-url", "KOLLAB_PUBLIC_URL", "externally visible base URL (empty: from the listen address)")
	str(&c.SMTPURL, "smtp-url", "KOLLAB_SMTP_URL", "smtp://user:pass@host:587?tls=mandatory (empty: invitations are logged)")
	str(&c.MailFrom, "mail-from", "KOLLAB_MAIL_FROM", "sender of Kollab's e-mails")
	str(&c.LogLevel, "log-level", "KOLLAB_LOG_LEVEL", "debug, info, warn or error")
	boolean(&c.TrustProxy, "trust-proxy", "KOLLAB_TRUST_PROXY", "honour X-Forwarded-* headers")
	boolean(&c.SecureCookies, "secure-cookies", "KOLLAB_SECURE_COOKIES", "mark cookies Secure")
	duration(&c.SessionIdle, "session-idle", "KOLLAB_SESSION_IDLE", "idle timeout of a login session")
	duration(&c.SessionAbsolute, "session-absolute", "KOLLAB_SESSION_ABSOLUTE", "absolute lifetime of a login session")
	duration(&c.UploadIntentTTL, "upload-intent-ttl", "KOLLAB_UPLOAD_INTENT_TTL", "after this an unfinished upload counts as abandoned")
	duration(&c.UploadHeartbeatTimeout, "upload-heartbeat-timeout", "KOLLAB_UPLOAD_HEARTBEAT_TIMEOUT", "an upload whose process went this long without a heartbeat counts as dead")
	duration(&c.OrphanGrace, "orphan-grace", "KOLLAB_ORPHAN_GRACE", "age before an unreferenced object goes to quarantine")
	duration(&c.QuarantineTTL, "quarantine-ttl", "KOLLAB_QUARANTINE_TTL", "how long quarantined objects are kept")
	duration(&c.SweepInterval, "sweep-interval", "KOLLAB_SWEEP_INTERVAL", "how often the storage sweeper runs")
	duration(&c.PrincipalCacheTTL, "principal-cache-ttl", "KOLLAB_PRINCIPAL_CACHE_TTL", "how long a resolved login may be reused (PostgreSQL; 0: off)")
	duration(&c.ExtractCPU, "extract-cpu", "KOLLAB_EXTRACT_CPU", "CPU time a text extraction may use")
	duration(&c.ExtractTimeout, "extract-timeout", "KOLLAB_EXTRACT_TIMEOUT", "wall-clock time a text extraction may take")
	bytesVar := func(p *int64, name, env, usage string) {
		if v := getenv(env); v != "" {
			if n, err := parseBytes(v); err == nil {
				*p = n
			}
		}
		fs.Func(name, usage+" ("+env+", e.g. 512MiB)", func(s string) error {
			n, err := parseBytes(s)
			*p = n
			return err
		})
	}
	bytesVar(&c.ExtractMemory, "extract-memory", "KOLLAB_EXTRACT_MEMORY", "memory a text extraction may use")
	bytesVar(&c.ExtractMaxOutput, "extract-max-output", "KOLLAB_EXTRACT_MAX_OUTPUT", "bytes of text kept per document")
	rawKey := getenv("KOLLAB_SECRET_KEY")
	fs.Func("secret-key", "32-byte key (hex or base64) that encrypts TOTP secrets (KOLLAB_SECRET_KEY)", func(s string) error {
		rawKey = s
		return nil
	})
	fs.Func("body-limit", "maximum JSON request body in bytes", func(s string) error {
		_, err := fmt.Sscan(s, &c.BodyLimit)
		return err
	})
	// The key is decoded lazily in Finish so that flag parsing stays simple.
	c.SecretKey = []byte(rawKey)
	return &c
}

// Finish validates the configuration and loads or creates the secret key.
func (c *Config) Finish() error {
	if c.DataDir == "" {
		return errors.New("config: data dir must not be empty")
	}
	if c.PrincipalCacheTTL < 0 || c.PrincipalCacheTTL > time.Minute {
		return errors.New("config: the principal cache TTL must be between 0 and 1m")
	}
	if c.UploadIntentTTL <= 0 || c.UploadHeartbeatTimeout <= 0 || c.OrphanGrace < 0 || c.QuarantineTTL < 0 || c.SweepInterval <= 0 {
		return errors.New("config: upload intent TTL and sweep interval must be positive, grace periods not negative")
	}
	if c.ExtractMemory < 128<<20 || c.ExtractCPU < time.Second || c.ExtractTimeout < time.Second ||
		c.ExtractMaxOutput < 1 || c.ExtractMaxOutput > 64<<20 {
		return errors.New("config: text extraction needs at least 128MiB of memory (KOLLAB_EXTRACT_MEMORY), 1s of CPU time (KOLLAB_EXTRACT_CPU) and of time (KOLLAB_EXTRACT_TIMEOUT), and 1 byte to 64MiB of text (KOLLAB_EXTRACT_MAX_OUTPUT)")
	}
	if c.SessionIdle <= 0 || c.SessionAbsolute < c.SessionIdle {
		return errors.New("config: session timeouts must be positive and absolute >= idle")
	}
	if c.DatabaseURL != "" && !strings.HasPrefix(c.DatabaseURL, "postgres://") && !strings.HasPrefix(c.DatabaseURL, "postgresql://") {
		return errors.New("config: KOLLAB_DATABASE_URL must be a postgres:// URL")
	}
	if c.MigrateDatabaseURL != "" && c.DatabaseURL == "" {
		return errors.New("config: KOLLAB_MIGRATE_DATABASE_URL needs KOLLAB_DATABASE_URL")
	}
	if c.PublicURL == "" {
		c.PublicURL, c.PublicURLFromListen = ListenURL(c.Listen), true
	}
	key, err := c.loadKey()
	if err != nil {
		return err
	}
	c.SecretKey = key
	return nil
}

// ListenURL is the http URL under which a server listening on addr is
// reached from this machine: ":8080" and "0.0.0.0:8080" (every interface)
// give http://localhost:8080, "127.0.0.1:9000" gives http://127.0.0.1:9000.
func ListenURL(addr string) string {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		host, port = addr, ""
	}
	if ip := net.ParseIP(host); host == "" || ip != nil && ip.IsUnspecified() {
		host = "localhost"
	}
	if port == "" {
		if strings.Contains(host, ":") {
			host = "[" + host + "]"
		}
		return "http://" + host
	}
	return "http://" + net.JoinHostPort(host, port)
}

// parseBytes reads a size such as 512MiB, 64MB or 1048576.
func parseBytes(s string) (int64, error) {
	n, err := humanize.ParseBytes(s)
	if err != nil || n > math.MaxInt64 {
		return 0, fmt.Errorf("%q is not a size (e.g. 512MiB)", s)
	}
	return int64(n), nil
}

// SQLitePath is where the embedded database lives.
func (c *Config) SQLitePath() string { return filepath.Join(c.DataDir, "kollab.db") }

func (c *Config) loadKey() ([]byte, error) {
	raw := strings.TrimSpace(string(c.SecretKey))
	if raw != "" {
		return decodeKey(raw)
	}
	if c.DatabaseURL != "" {
		// A shared database needs the same key on every instance: no silent per-host key.
		return nil, errors.New("config: KOLLAB_SECRET_KEY is required with PostgreSQL (32 bytes, hex or base64)")
	}
	path := filepath.Join(c.DataDir, "secret.key")
	if b, err := os.ReadFile(path); err == nil {
		return decodeKey(strings.TrimSpace(string(b)))
	} else if !errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("config: read %s: %w", path, err)
	}
	if err := os.MkdirAll(c.DataDir, 0o700); err != nil {
		return nil, fmt.Errorf("config: create data dir: %w", err)
	}
	key := make([]byte, 32)
	if _, err := rand.Read(key); err != nil {
		return nil, err
	}
	// Several processes may start at once on a fresh folder: write the key
	// to a private file and link it into place, which never overwrites; the
	// losers read the winner's key.
	tmp, err := os.CreateTemp(c.DataDir, ".secret-*.key")
	if err != nil {
		return nil, fmt.Errorf("config: write key: %w", err)
	}
	defer os.Remove(tmp.Name())
	_, err = tmp.WriteString(hex.EncodeToString(key) + "\n")
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return nil, fmt.Errorf("config: write key: %w", err)
	}
	if err := os.Link(tmp.Name(), path); err != nil {
		if errors.Is(err, os.ErrExist) {
			b, err := os.ReadFile(path)
			if err != nil {
				return nil, fmt.Errorf("config: read %s: %w", path, err)
			}
			return decodeKey(strings.TrimSpace(string(b)))
		}
		return nil, fmt.Errorf("config: write %s: %w", path, err)
	}
	return key, nil
}

func decodeKey(s string) ([]byte, error) {
	if b, err := hex.DecodeString(s); err == nil && len(b) == 32 {
		return b, nil
	}
	if b, err := base64.StdEncoding.DecodeString(s); err == nil && len(b) == 32 {
		return b, nil
	}
	return nil, errors.New("config: the secret key must be 32 bytes, hex or base64 encoded")
}
