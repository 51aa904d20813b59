// Package auth signs people in: passwords, server-side sessions, TOTP second
// factor with replay protection, recovery codes, personal API tokens, and
// brute-force throttling. Every security-relevant outcome is audited.
package auth

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"log/slog"
	"time"

	"github.com/google/uuid"
	"github.com/kollab/kollab/internal/audit"
	"github.com/kollab/kollab/internal/db"
	"github.com/kollab/kollab/tenant"
	"github.com/kollab/kollab/tenant/auth/password"
)

// Config tunes the auth service.
type Config struct {
	// Issuer names the service in authenticator apps.
	Issuer string
	// SecretKey (32 bytes) encrypts TOTP secrets at rest.
	SecretKey []byte
	// SessionIdle ends a session nobody used for this long.
	SessionIdle time.Duration
	// SessionAbsolute ends every session this long after sign-in.
	SessionAbsolute time.Duration
	// MFAPendingTTL bounds how long a password-only session may wait for its code.
	MFAPendingTTL time.Duration
	// PrincipalCacheTTL is how long a resolved principal may be served from
	// the instance's cache (PostgreSQL, with ListenForChanges); 0 caches
	// nothing. Changes end an entry at once; the TTL only bounds its life.
	PrincipalCacheTTL time.Duration
}

// Service is the authentication service.
type Service struct {
	db        *db.DB
	tenants   *tenant.Service
	passwords *password.Hasher
	codes     *password.Hasher
	box       *secretBox
	cfg       Config
	log       *slog.Logger
	now       func() time.Time
	// dummyHash is verified against for unknown accounts, so that both
	// answers take equally long.
	dummyHash string
	// cache holds recently resolved principals (nil: none; see cache.go).
	cache *principalCache
}

// NewService returns the auth service.
func NewService(d *db.DB, tenants *tenant.Service, passwords *password.Hasher, cfg Config, log *slog.Logger) (*Service, error) {
	box, err := newSecretBox(cfg.SecretKey)
	if err != nil {
		return nil, err
	}
	if cfg.Issuer == "" {
		cfg.Issuer = "Kollab"
	}
	if cfg.SessionIdle <= 0 {
		cfg.SessionIdle = 30 * time.Minute
	}
	if cfg.SessionAbsolute <= 0 {
		cfg.SessionAbsolute = 12 * time.Hour
	}
	if cfg.MFAPendingTTL <= 0 {
		cfg.MFAPendingTTL = 10 * time.Minute
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	dummy, err := passwords.Hash(context.Background(), "kollab-timing-equaliser")
	if err != nil {
		return nil, err
	}
	return &Service{db: d, tenants: tenants, passwords: passwords, codes: password.NewHasher(password.HighEntropy),
		box: box, cfg: cfg, log: log, now: db.Now, dummyHash: dummy}, nil
}

// SetClock replaces the clock (tests).
func (s *Service) SetClock(now func() time.Time) { s.now = now }

// Client describes where a request comes from.
type Client struct {
	IP        string
	UserAgent string
}

// Principal is an authenticated caller.
type Principal struct {
	UserID      uuid.UUID
	Email       string
	DisplayName string
	Locale      string
	TOTPEnabled bool
	// SessionID is set for cookie sessions, TokenID for API tokens.
	SessionID uuid.UUID
	TokenID   uuid.UUID
	// MFAPending is true between password and second factor.
	MFAPending bool
	// Scope is the API token's scope (empty for sessions; see scope.go).
	Scope Scope
	// Tenants are the account's memberships with their tenants, and
	// RecoveryCodesLeft its unused recovery codes, as of this request.
	Tenants           []tenant.UserTenant
	RecoveryCodesLeft int64
}

// ViaToken reports whether the caller used a personal API token.
func (p *Principal) ViaToken() bool { return p.TokenID != uuid.Nil }

func randomToken(prefix string) (string, []byte, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", nil, err
	}
	tok := prefix + base64.RawURLEncoding.EncodeToString(b)
	return tok, hashOf(tok), nil
}

func hashOf(tok string) []byte {
	h := sha256.Sum256([]byte(tok))
	return h[:]
}

// auditUser records an event in every tenant the user belongs to; an
// account-level event (login, password, second factor) concerns them all.
func (s *Service) auditUser(ctx context.Context, userID uuid.UUID, e audit.Entry) {
	tenants, err := s.tenants.TenantsOfUser(ctx, userID)
	if err == nil {
		for _, t := range tenants {
			err = errors.Join(err, s.db.Tenant(ctx, t.Tenant.ID, func(tx *db.Tx) error {
				_, err := audit.Append(ctx, tx, e)
				return err
			}))
		}
	}
	if err != nil {
		s.log.ErrorContext(ctx, "audit: recording account event failed", "action", e.Action, "user_id", userID, "err", err)
	}
}
