package auth

import (
	"context"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/kollab/kollab/audit"
	"github.com/kollab/kollab/db"
	"github.com/kollab/kollab/errs"
	"github.com/kollab/kollab/internal/input"
)

const apiTokensTable = "api_tokens"

// APIToken is a personal token for scripts and WebDAV. Only its hash is stored.
type APIToken struct {
	ID         uuid.UUID  `gorm:"column:id;primaryKey"`
	UserID     uuid.UUID  `gorm:"column:user_id"`
	Name       string     `gorm:"column:name"`
	TokenHash  []byte     `gorm:"column:token_hash"`
	CreatedAt  time.Time  `gorm:"column:created_at"`
	ExpiresAt  *time.Time `gorm:"column:expires_at"`
	LastUsedAt *time.Time `gorm:"column:last_used_at"`
}

// MaxTokenLifetime bounds a token's expiry.
const MaxTokenLifetime = 366 * 24 * time.Hour

// CreateToken issues a personal API token; the secret is returned once.
func (s *Service) CreateToken(ctx context.Context, p *Principal, name string, expiresAt *time.Time) (string, *APIToken, error) {
	if p.MFAPending || p.ViaToken() {
		return "", nil, errs.New(errs.Forbidden, "API-Tokens können nur in einer vollständig angemeldeten Sitzung erstellt werden.")
	}
	name, err := input.Line("name", name)
	if err != nil {
		return "", nil, err
	}
	if name == "" || len([]rune(name)) > 100 {
		return "", nil, errs.InvalidField("name", "Bitte einen Namen mit 1 bis 100 Zeichen angeben.")
	}
	now := s.now()
	if expiresAt != nil {
		e := expiresAt.UTC().Truncate(time.Microsecond)
		if !e.After(now) || e.Sub(now) > MaxTokenLifetime {
			return "", nil, errs.InvalidField("expires_at", "Das Ablaufdatum muss in der Zukunft und höchstens ein Jahr entfernt liegen.")
		}
		expiresAt = &e
	}
	tok, hash, err := randomToken(APITokenPrefix)
	if err != nil {
		return "", nil, err
	}
	t := &APIToken{ID: db.NewID(), UserID: p.UserID, Name: name, TokenHash: hash, CreatedAt: now, ExpiresAt: expiresAt}
	if err := s.db.Global(ctx).Table(apiTokensTable).Create(t).Error; err != nil {
		return "", nil, err
	}
	s.auditUser(ctx, p.UserID, audit.Entry{Action: audit.ActionTokenCreated, TargetType: "api_token", TargetID: t.ID.String(),
		Details: map[string]string{"name": name}})
	return tok, t, nil
}

// ListTokens returns the user's tokens, newest first.
func (s *Service) ListTokens(ctx context.Context, userID uuid.UUID) ([]APIToken, error) {
	var out []APIToken
	err := s.db.Global(ctx).Table(apiTokensTable).Where("user_id = ?", userID).Order("created_at DESC").Limit(500).Find(&out).Error
	return out, err
}

// RevokeToken deletes one of the user's tokens.
func (s *Service) RevokeToken(ctx context.Context, p *Principal, id uuid.UUID) error {
	res := s.db.Global(ctx).Table(apiTokensTable).Where("id = ? AND user_id = ?", id, p.UserID).Delete(&APIToken{})
	if res.Error != nil {
		return res.Error
	}
	s.forget(p.UserID)
	if res.RowsAffected == 0 {
		return errs.New(errs.NotFound, "")
	}
	s.auditUser(ctx, p.UserID, audit.Entry{Action: audit.ActionTokenRevoked, TargetType: "api_token", TargetID: id.String()})
	return nil
}

// AuthenticateToken resolves a personal API token (with the account's memberships).
func (s *Service) AuthenticateToken(ctx context.Context, token string) (*Principal, error) {
	if !strings.HasPrefix(token, APITokenPrefix) || len(token) > 100 {
		return nil, errNoSession
	}
	hash := hashOf(token)
	cred, p, cached, err := s.principal(ctx, "token", hash, false)
	if err != nil {
		return nil, err
	}
	now := s.now()
	if cached && cred.ExpiresAt != nil && !now.Before(*cred.ExpiresAt) {
		if cred, p, _, err = s.principal(ctx, "token", hash, true); err != nil {
			return nil, err
		}
	}
	if p == nil {
		return nil, errNoSession
	}
	if cred.ExpiresAt != nil && !now.Before(*cred.ExpiresAt) {
		return nil, errs.New(errs.Unauthenticated, "Das API-Token ist abgelaufen.")
	}
	if cred.SeenAt == nil || now.Sub(*cred.SeenAt) >= touchEvery {
		if err := s.db.Global(ctx).Table(apiTokensTable).Where("id = ?", cred.ID).Update("last_used_at", now).Error; err != nil {
			return nil, err
		}
	}
	p.TokenID = cred.ID
	return p, nil
}
