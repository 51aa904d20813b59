// Command baseline is the bare reference server the Kollab benchmarks are
// measured against: plain fiber handlers, no middleware, a pgxpool of the
// same size as Kollab's pool, on the same database as the same role.
//
//   - GET /api/v1/me answers from one indexed query (session joined with its
//     user by the token hash), the least a cookie-authenticated request can do.
//   - GET /api/v1/auth/csrf, POST /api/v1/auth/login and
//     POST /api/v1/auth/second-factor are the least a password + second-factor
//     sign-in can do: a stateless double-submit CSRF token, one user lookup,
//     the same argon2id verification as Kollab (its auth/password package),
//     one session INSERT, and one UPDATE that rotates the token. The TOTP
//     code is not checked: the secrets are sealed with Kollab's private
//     secret box, and an HMAC costs microseconds.
//
// Run by bench/run; it stops on SIGINT/SIGTERM.
package main

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"flag"
	"log"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/kollab/kollab/tenant/auth/password"
)

const (
	sessionCookie = "kollab_session"
	csrfCookie    = "kollab_csrf"
	csrfHeader    = "X-CSRF-Token"
	sessionPrefix = "kls_"
)

type server struct {
	pool   *pgxpool.Pool
	hasher *password.Hasher
}

func main() {
	var (
		listen = flag.String("listen", "127.0.0.1:8090", "address to listen on")
		dbURL  = flag.String("database-url", os.Getenv("KOLLAB_DATABASE_URL"), "PostgreSQL URL (the app role)")
		conns  = flag.Int("pool", 20, "pgxpool size (Kollab's default pool is 20)")
	)
	flag.Parse()
	log.SetFlags(0)
	log.SetPrefix("baseline: ")
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	cfg, err := pgxpool.ParseConfig(*dbURL)
	if err != nil {
		log.Fatal(err)
	}
	cfg.MaxConns, cfg.MinConns = int32(*conns), int32(*conns)
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		log.Fatal(err)
	}
	defer pool.Close()
	if err := pool.Ping(ctx); err != nil {
		log.Fatal(err)
	}
	s := &server{pool: pool, hasher: password.NewHasher(password.Interactive)}

	app := fiber.New(fiber.Config{DisableStartupMessage: true, JSONEncoder: json.Marshal, JSONDecoder: json.Unmarshal})
	app.Get("/healthz", func(c *fiber.Ctx) error { return c.SendString("ok") })
	app.Get("/api/v1/me", s.me)
	app.Get("/api/v1/auth/csrf", s.csrf)
	app.Post("/api/v1/auth/login", s.login)
	app.Post("/api/v1/auth/second-factor", s.secondFactor)

	errc := make(chan error, 1)
	go func() { errc <- app.Listen(*listen) }()
	select {
	case err := <-errc:
		log.Fatal(err)
	case <-ctx.Done():
	}
	shutdown, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	_ = app.ShutdownWithContext(shutdown)
}

func hashOf(token string) []byte {
	h := sha256.Sum256([]byte(token))
	return h[:]
}

func randomToken(prefix string) string {
	b := make([]byte, 32)
	_, _ = rand.Read(b) // crypto/rand.Read never fails (Go 1.24+)
	return prefix + base64.RawURLEncoding.EncodeToString(b)
}

type meOut struct {
	ID          uuid.UUID `json:"id"`
	Email       string    `json:"email"`
	DisplayName string    `json:"display_name"`
	Locale      string    `json:"locale"`
	TOTPEnabled bool      `json:"totp_enabled"`
}

// me is the whole reference request: one indexed query.
func (s *server) me(c *fiber.Ctx) error {
	tok := c.Cookies(sessionCookie)
	if !strings.HasPrefix(tok, sessionPrefix) || len(tok) > 100 {
		return c.SendStatus(fiber.StatusUnauthorized)
	}
	var (
		out               meOut
		pending           bool
		expires, lastSeen time.Time
	)
	err := s.pool.QueryRow(c.UserContext(), `SELECT u.id, u.email, u.display_name, u.locale, u.totp_enabled_at IS NOT NULL,
		s.mfa_pending, s.expires_at, s.last_seen_at
		FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = $1`, hashOf(tok)).
		Scan(&out.ID, &out.Email, &out.DisplayName, &out.Locale, &out.TOTPEnabled, &pending, &expires, &lastSeen)
	if errors.Is(err, pgx.ErrNoRows) {
		return c.SendStatus(fiber.StatusUnauthorized)
	} else if err != nil {
		return err
	}
	now := time.Now()
	if pending || !now.Before(expires) || now.Sub(lastSeen) >= 30*time.Minute {
		return c.SendStatus(fiber.StatusUnauthorized)
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.JSON(&out)
}

func (s *server) setCookie(c *fiber.Ctx, name, value string, httpOnly bool) {
	c.Cookie(&fiber.Cookie{Name: name, Value: value, Path: "/", HTTPOnly: httpOnly, SameSite: fiber.CookieSameSiteLaxMode,
		Expires: time.Now().Add(12 * time.Hour)})
}

// csrfOK is the double-submit check: header equals cookie.
func csrfOK(c *fiber.Ctx) bool {
	h := c.Get(csrfHeader)
	return h != "" && h == c.Cookies(csrfCookie)
}

func (s *server) csrf(c *fiber.Ctx) error {
	tok := randomToken("")
	s.setCookie(c, csrfCookie, tok, false)
	return c.JSON(fiber.Map{"csrf_token": tok, "header": csrfHeader})
}

func (s *server) login(c *fiber.Ctx) error {
	if !csrfOK(c) {
		return c.SendStatus(fiber.StatusForbidden)
	}
	var in struct {
		Email    string `json:"email"`
		Password string `json:"password"`
	}
	if err := c.BodyParser(&in); err != nil {
		return c.SendStatus(fiber.StatusBadRequest)
	}
	ctx := c.UserContext()
	var (
		id   uuid.UUID
		hash string
	)
	err := s.pool.QueryRow(ctx, `SELECT id, password_hash FROM users WHERE email = $1`, strings.ToLower(in.Email)).Scan(&id, &hash)
	if errors.Is(err, pgx.ErrNoRows) {
		return c.SendStatus(fiber.StatusUnauthorized)
	} else if err != nil {
		return err
	}
	ok, err := s.hasher.Verify(ctx, in.Password, hash)
	if err != nil {
		return err
	}
	if !ok {
		return c.SendStatus(fiber.StatusUnauthorized)
	}
	tok := randomToken(sessionPrefix)
	now := time.Now().UTC()
	_, err = s.pool.Exec(ctx, `INSERT INTO sessions (id, token_hash, user_id, mfa_pending, created_at, last_seen_at, expires_at)
		VALUES ($1, $2, $3, true, $4, $4, $5)`, uuid.Must(uuid.NewV7()), hashOf(tok), id, now, now.Add(10*time.Minute))
	if err != nil {
		return err
	}
	s.setCookie(c, sessionCookie, tok, true)
	return c.JSON(fiber.Map{"second_factor_required": true})
}

func (s *server) secondFactor(c *fiber.Ctx) error {
	if !csrfOK(c) {
		return c.SendStatus(fiber.StatusForbidden)
	}
	var in struct {
		Code string `json:"code"`
	}
	if err := c.BodyParser(&in); err != nil || len(in.Code) != 6 {
		return c.SendStatus(fiber.StatusBadRequest)
	}
	old := c.Cookies(sessionCookie)
	tok := randomToken(sessionPrefix)
	now := time.Now().UTC()
	tag, err := s.pool.Exec(c.UserContext(), `UPDATE sessions SET token_hash = $1, mfa_pending = false, mfa_at = $2, last_seen_at = $2,
		expires_at = $3 WHERE token_hash = $4 AND mfa_pending`, hashOf(tok), now, now.Add(12*time.Hour), hashOf(old))
	if err != nil {
		return err
	}
	if tag.RowsAffected() != 1 {
		return c.SendStatus(fiber.StatusUnauthorized)
	}
	s.setCookie(c, sessionCookie, tok, true)
	return c.JSON(fiber.Map{"ok": true})
}
