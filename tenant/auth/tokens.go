package auth

import (
	"context"
	"time"

	"github.com/google/uuid"
	"github.com/kollab/kollab/internal/audit"
	"github.com/kollab/kollab/internal/db"
	"github.com/kollab/kollab/internal/errs"
	"github.com/kollab/kollab/internal/input"
	"gorm.io/gorm"
)

const apiTokensTable = "api_tokens"

// APIToken is a personal token for scripts and WebDAV. Only its hash is stored.
type APIToken struct {
	ID         uuid.UUID  `gorm:"column:id;primaryKey"`
	UserID     uuid.UUID  `gorm:"column:user_id"`
	Name       string     `gorm:"column:name"`
	TokenHash  []byte     `gorm:"column:token_hash"`
	Scope      Scope      `gorm:"column:scope"`
	CreatedAt  time.Time  `gorm:"column:created_at"`
	ExpiresAt  time.Time  `gorm:"column:expires_at"`
	LastUsedAt *time.Time `gorm:"column:last_used_at"`
}

const (
	// DefaultTokenLifetime is a token's lifetime when none is asked for.
	DefaultTokenLifetime = 90 * 24 * time.Hour
	// tokenListMax bounds a listing of tokens.
	tokenListMax = 500
)

// maxTokenExpiry is the latest expiry of a token created at now: one
// calendar year later.
func maxTokenExpiry(now time.Time) time.Time { return now.AddDate(1, 0, 0) }

// TokenSpec is what a new token is asked for with.
type TokenSpec struct {
	Name string
	// Scope: empty means read, the narrowest.
	Scope Scope
	// ExpiresAt: nil means DefaultTokenLifetime from now; at most a year ahead.
	ExpiresAt *time.Time
}

// CreateToken issues a personal API token; the secret is returned once. It
// needs a fresh proof of the session (see Reauthenticate). The admin scope
// is given only to an account that is an active admin of some tenant, and
// only when asked for.
func (s *Service) CreateToken(ctx context.Context, p *Principal, spec TokenSpec) (string, *APIToken, error) {
	if p.MFAPending || p.ViaToken() {
		return "", nil, errs.New(errs.Forbidden, errs.M("tenant.auth.api-tokens-can-only-created", "API-Tokens können nur in einer vollständig angemeldeten Sitzung erstellt werden.", "API tokens can only be created in a fully signed-in session."))
	}
	name, err := input.Line("name", spec.Name)
	if err != nil {
		return "", nil, err
	}
	if name == "" || len([]rune(name)) > 100 {
		return "", nil, errs.InvalidField("name", errs.M("tenant.auth.enter-name-1-100-characters", "Bitte einen Namen mit 1 bis 100 Zeichen angeben.", "Please enter a name of 1 to 100 characters."))
	}
	scope := spec.Scope
	switch scope {
	case "":
		scope = ScopeRead
	case ScopeRead, ScopeWrite:
	case ScopeAdmin:
		if !p.isAdminSomewhere() {
			return "", nil, errs.InvalidField("scope", errs.M("tenant.auth.only-administrators-can-give-admin", "Den Bereich admin können nur Administratorinnen und Administratoren vergeben.", "Only administrators can give the admin scope."))
		}
	default:
		return "", nil, errs.InvalidField("scope", errs.M("tenant.auth.scope-must-read-write-admin", "Der Bereich muss read, write oder admin sein.", "The scope must be read, write or admin."))
	}
	now := s.now()
	expires := now.Add(DefaultTokenLifetime)
	if spec.ExpiresAt != nil {
		expires = spec.ExpiresAt.UTC().Truncate(time.Microsecond)
		if !expires.After(now) || expires.After(maxTokenExpiry(now)) {
			return "", nil, errs.InvalidField("expires_at", errs.M("tenant.auth.expiry-within-one-year", "Das Ablaufdatum muss in der Zukunft und höchstens ein Jahr entfernt liegen.", "The expiry must lie in the future and at most one year ahead."))
		}
	}
	if err := s.requireProof(ctx, p); err != nil {
		return "", nil, err
	}
	tok, hash, err := randomToken(APITokenPrefix)
	if err != nil {
		return "", nil, err
	}
	t := &APIToken{ID: db.NewID(), UserID: p.UserID, Name: name, TokenHash: hash, Scope: scope, CreatedAt: now, ExpiresAt: expires}
	if err := s.db.Global(ctx).Table(apiTokensTable).Create(t).Error; err != nil {
		return "", nil, err
	}
	s.auditUser(ctx, p.UserID, audit.Entry{Action: audit.ActionTokenCreated, TargetType: "api_token", TargetID: t.ID.String(),
		Details: map[string]string{"name": name, "scope": string(scope), "expires_at": expires.Format(time.RFC3339)}})
	return tok, t, nil
}

// ListTokens returns the user's tokens, newest first.
func (s *Service) ListTokens(ctx context.Context, userID uuid.UUID) ([]APIToken, error) {
	var out []APIToken
	err := s.db.Global(ctx).Table(apiTokensTable).Where("user_id = ?", userID).Order("created_at DESC").Limit(tokenListMax).Find(&out).Error
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
		return errs.Plain(errs.NotFound)
	}
	s.auditUser(ctx, p.UserID, audit.Entry{Action: audit.ActionTokenRevoked, TargetType: "api_token", TargetID: id.String()})
	return nil
}

// revokeAllTokens deletes every token of the account, in tx: a changed
// password or a reset second factor ends what the old credentials issued.
func revokeAllTokens(tx *gorm.DB, userID uuid.UUID) (int64, error) {
	res := tx.Table(apiTokensTable).Where("user_id = ?", userID).Delete(&APIToken{})
	return res.RowsAffected, res.Error
}

// TenantToken is a personal API token of a tenant's member, as the tenant's
// admins see it (never its secret or hash).
type TenantToken struct {
	ID           uuid.UUID  `gorm:"column:id"`
	Name         string     `gorm:"column:name"`
	Scope        Scope      `gorm:"column:scope"`
	CreatedAt    time.Time  `gorm:"column:created_at"`
	ExpiresAt    time.Time  `gorm:"column:expires_at"`
	LastUsedAt   *time.Time `gorm:"column:last_used_at"`
	MembershipID uuid.UUID  `gorm:"column:membership_id"`
	OwnerEmail   string     `gorm:"column:email"`
	OwnerName    string     `gorm:"column:display_name"`
}

// TenantTokenPageMax bounds a page of ListTenantTokens.
const TenantTokenPageMax = 200

// ListTenantTokens lists the API tokens of the tenant's members, newest
// first, limit at a time (at most TenantTokenPageMax) after the cursor (the
// last id of the previous page; uuid.Nil for the first). next is the cursor
// of the following page, or uuid.Nil. The members are read under the
// tenant's row-level security: another tenant's members never appear.
func (s *Service) ListTenantTokens(ctx context.Context, tenantID, cursor uuid.UUID, limit int) (out []TenantToken, next uuid.UUID, err error) {
	if limit <= 0 || limit > TenantTokenPageMax {
		limit = TenantTokenPageMax
	}
	err = s.db.Tenant(ctx, tenantID, func(tx *db.Tx) error {
		q := tenantTokens(tx)
		if cursor != uuid.Nil {
			q = q.Where("k.id < ?", cursor)
		}
		return q.Order("k.id DESC").Limit(limit + 1).Scan(&out).Error
	})
	if err != nil {
		return nil, uuid.Nil, err
	}
	if len(out) > limit {
		out, next = out[:limit], out[limit-1].ID
	}
	return out, next, nil
}

// tenantTokens selects the tokens of the transaction's tenant's members
// (token ids are UUIDv7: their order is the order of creation).
func tenantTokens(tx *db.Tx) *gorm.DB {
	return tx.Table("memberships").
		Select(`k.id, k.name, k.scope, k.created_at, k.expires_at, k.last_used_at,
		        memberships.id AS membership_id, u.email, u.display_name`).
		Joins("JOIN api_tokens k ON k.user_id = memberships.user_id").
		Joins("JOIN users u ON u.id = memberships.user_id")
}

// RevokeTenantToken is a tenant admin's revocation of a member's token. A
// token of someone who is not a member of the tenant is NotFound.
func (s *Service) RevokeTenantToken(ctx context.Context, tenantID, tokenID uuid.UUID) error {
	var owner uuid.UUID
	err := s.db.Tenant(ctx, tenantID, func(tx *db.Tx) error {
		var rows []struct {
			UserID uuid.UUID `gorm:"column:user_id"`
			Email  string    `gorm:"column:email"`
			Name   string    `gorm:"column:name"`
		}
		if err := tx.Table("memberships").Select("memberships.user_id, u.email, k.name").
			Joins("JOIN api_tokens k ON k.user_id = memberships.user_id").
			Joins("JOIN users u ON u.id = memberships.user_id").
			Where("k.id = ?", tokenID).Limit(1).Scan(&rows).Error; err != nil {
			return err
		}
		if len(rows) == 0 {
			return errs.Plain(errs.NotFound)
		}
		owner = rows[0].UserID
		res := tx.Unscoped().Table(apiTokensTable).Where("id = ? AND user_id = ?", tokenID, owner).Delete(&APIToken{})
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected != 1 {
			return errs.Plain(errs.NotFound)
		}
		_, err := audit.Append(ctx, tx, audit.Entry{Action: audit.ActionTokenRevoked, TargetType: "api_token", TargetID: tokenID.String(),
			Details: map[string]string{"owner": rows[0].Email, "name": rows[0].Name}})
		return err
	})
	if owner != uuid.Nil {
		s.forget(owner)
	}
	return err
}

// AuthenticateToken resolves a personal API token (with the account's memberships).
func (s *Service) AuthenticateToken(ctx context.Context, token string) (*Principal, error) {
	cred, p, now, err := s.resolve(ctx, "token", APITokenPrefix, token, func(c *credential, now time.Time) bool {
		return c.ExpiresAt != nil && !now.Before(*c.ExpiresAt)
	})
	if err != nil {
		return nil, err
	}
	// Every token expires; one without a stored expiry is refused.
	if cred.ExpiresAt == nil || !now.Before(*cred.ExpiresAt) {
		return nil, errs.New(errs.Unauthenticated, errs.M("tenant.auth.api-token-expired", "Das API-Token ist abgelaufen.", "The API token has expired."))
	}
	if cred.SeenAt == nil || now.Sub(*cred.SeenAt) >= touchEvery {
		if err := s.db.Global(ctx).Table(apiTokensTable).Where("id = ?", cred.ID).Update("last_used_at", now).Error; err != nil {
			return nil, err
		}
	}
	p.TokenID = cred.ID
	return p, nil
}
