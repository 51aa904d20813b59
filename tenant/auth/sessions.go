package auth

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/kollab/kollab/internal/audit"
	"github.com/kollab/kollab/internal/db"
	"github.com/kollab/kollab/internal/errs"
	"github.com/kollab/kollab/tenant"
	"gorm.io/gorm"
)

const (
	sessionsTable = "sessions"
	usersTable    = "users"
	// SessionPrefix marks session tokens; APITokenPrefix personal API tokens.
	SessionPrefix  = "kls_"
	APITokenPrefix = "klt_"
	// touchEvery limits how often a session's last-seen time is written.
	touchEvery = time.Minute
)

// Session is a signed-in browser.
type Session struct {
	ID         uuid.UUID  `gorm:"column:id;primaryKey"`
	TokenHash  []byte     `gorm:"column:token_hash"`
	UserID     uuid.UUID  `gorm:"column:user_id"`
	MFAPending bool       `gorm:"column:mfa_pending"`
	MFAAt      *time.Time `gorm:"column:mfa_at"`
	UserAgent  string     `gorm:"column:user_agent"`
	ClientIP   string     `gorm:"column:client_ip"`
	CreatedAt  time.Time  `gorm:"column:created_at"`
	LastSeenAt time.Time  `gorm:"column:last_seen_at"`
	ExpiresAt  time.Time  `gorm:"column:expires_at"`
	// ReauthAt is the session's last fresh proof (see Reauthenticate).
	ReauthAt *time.Time `gorm:"column:reauth_at"`
}

// LoginResult is the outcome of a correct password.
type LoginResult struct {
	// Token goes into the session cookie.
	Token     string
	Session   *Session
	Principal *Principal
	// SecondFactorRequired means the session is usable only for the code step.
	SecondFactorRequired bool
}

var errBadCredentials = errs.Plain(errs.InvalidCredentials)

// Login checks e-mail and password and opens a session. With TOTP enrolled,
// the session waits for the second factor.
func (s *Service) Login(ctx context.Context, email, pw string, c Client) (*LoginResult, error) {
	var u *tenant.User
	err := s.GuardPassword(ctx, email, c, func() error {
		var err error
		u, err = s.tenants.UserByEmail(ctx, email)
		if err != nil {
			if !errs.Is(err, errs.NotFound) {
				return err
			}
			_, _ = s.passwords.Verify(ctx, pw, s.dummyHash)
			s.log.InfoContext(ctx, "login failed: unknown account", "client_ip", c.IP)
			return errBadCredentials
		}
		ok, err := s.passwords.Verify(ctx, pw, u.PasswordHash)
		if err != nil {
			return err
		}
		if !ok {
			s.auditUser(ctx, u.ID, audit.Entry{Action: audit.ActionLoginFailed, TargetType: "user", TargetID: u.ID.String(),
				Actor: &u.ID, ActorLabel: u.Email, Details: map[string]string{"reason": "password"}})
			return errBadCredentials
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if s.passwords.NeedsRehash(u.PasswordHash) {
		if h, err := s.passwords.Hash(ctx, pw); err == nil {
			s.db.Global(ctx).Table(usersTable).Where("id = ?", u.ID).Update("password_hash", h)
		}
	}
	pending := u.TOTPEnabled()
	tok, sess, err := s.newSession(ctx, u.ID, pending, c)
	if err != nil {
		return nil, err
	}
	if !pending {
		s.auditUser(ctx, u.ID, audit.Entry{Action: audit.ActionLoginSucceeded, TargetType: "user", TargetID: u.ID.String(),
			Actor: &u.ID, ActorLabel: u.Email, Details: map[string]string{"second_factor": "none"}})
	}
	return &LoginResult{Token: tok, Session: sess, Principal: principalOf(u, sess), SecondFactorRequired: pending}, nil
}

func principalOf(u *tenant.User, sess *Session) *Principal {
	return &Principal{UserID: u.ID, Email: u.Email, DisplayName: u.DisplayName, Locale: u.Locale,
		TOTPEnabled: u.TOTPEnabled(), SessionID: sess.ID, MFAPending: sess.MFAPending}
}

func (s *Service) newSession(ctx context.Context, userID uuid.UUID, pending bool, c Client) (string, *Session, error) {
	tok, hash, err := randomToken(SessionPrefix)
	if err != nil {
		return "", nil, err
	}
	now := s.now()
	sess := &Session{ID: db.NewID(), TokenHash: hash, UserID: userID, MFAPending: pending,
		UserAgent: truncate(c.UserAgent, 400), ClientIP: truncate(c.IP, 100), CreatedAt: now, LastSeenAt: now,
		ExpiresAt: now.Add(s.cfg.SessionAbsolute)}
	if pending {
		sess.ExpiresAt = now.Add(s.cfg.MFAPendingTTL)
	}
	if err := s.db.Global(ctx).Table(sessionsTable).Create(sess).Error; err != nil {
		return "", nil, fmt.Errorf("auth: create session: %w", err)
	}
	if !pending {
		if err := s.signedIn(ctx, userID, now); err != nil {
			return "", nil, err
		}
	}
	return tok, sess, nil
}

// signedIn records when the account completed a sign-in (the access
// review's "last sign-in").
func (s *Service) signedIn(ctx context.Context, userID uuid.UUID, now time.Time) error {
	if err := s.db.Global(ctx).Table(usersTable).Where("id = ?", userID).Update("last_sign_in_at", now).Error; err != nil {
		return fmt.Errorf("auth: record sign-in: %w", err)
	}
	return nil
}

func truncate(s string, n int) string {
	if len(s) > n {
		return s[:n]
	}
	return s
}

var errNoSession = errs.Plain(errs.Unauthenticated)

// Authenticate resolves a session token to its principal (with its
// memberships), enforcing the idle and absolute timeouts.
func (s *Service) Authenticate(ctx context.Context, token string) (*Principal, error) {
	// Expiry ends the session: decide it on the stored times, which another
	// instance may have moved on since a cached copy was read.
	cred, p, now, err := s.resolve(ctx, "session", SessionPrefix, token, func(c *credential, now time.Time) bool {
		return !now.Before(*c.ExpiresAt) || now.Sub(*c.SeenAt) >= s.cfg.SessionIdle
	})
	if err != nil {
		return nil, err
	}
	if cred.SeenAt == nil || cred.ExpiresAt == nil {
		return nil, errNoSession
	}
	if !now.Before(*cred.ExpiresAt) || now.Sub(*cred.SeenAt) >= s.cfg.SessionIdle {
		s.db.Global(ctx).Table(sessionsTable).Where("id = ?", cred.ID).Delete(&Session{})
		return nil, errs.Plain(errs.SessionExpired)
	}
	if now.Sub(*cred.SeenAt) >= touchEvery {
		if err := s.db.Global(ctx).Table(sessionsTable).Where("id = ?", cred.ID).Update("last_seen_at", now).Error; err != nil {
			return nil, err
		}
	}
	p.SessionID = cred.ID
	return p, nil
}

// GuardPassword runs check, which verifies a password of the account with
// the given e-mail (signing in, confirming the current password, accepting
// an invitation into an existing account), under the brute-force defence
// every password check shares. check reports a wrong password (or an
// unknown account) as errs.InvalidCredentials.
//
// Failures count per account and client address together: a stranger's
// guesses make that stranger wait, longer and longer, while the owner
// signing in from another address is not held up. They also count per
// client address over all accounts, and per account over all addresses in
// the account-wide brake, which engages only far above what one address
// may try and is audited. A correct password clears the count of its
// account and address.
func (s *Service) GuardPassword(ctx context.Context, email string, c Client, check func() error) error {
	account := tenant.EmailKey(email)
	if err := s.check(ctx, pwClient, c.IP); err != nil {
		return err
	}
	if err := s.braked(ctx, account); err != nil {
		return err
	}
	pair := pairKey(account, c.IP)
	if _, err := s.attempt(ctx, pwPair, pair); err != nil {
		return err
	}
	err := check()
	switch {
	case errs.Is(err, errs.InvalidCredentials):
		if ferr := s.failed(ctx, pwClient, c.IP); ferr != nil {
			return ferr
		}
		n, ferr := s.brakeFailed(ctx, account)
		if ferr != nil {
			return ferr
		}
		if n == brakeLimit {
			s.brakeEngaged(ctx, email)
		}
		return err
	case err != nil:
		return err
	}
	return s.succeeded(ctx, pwPair, pair)
}

// Logout ends a session.
func (s *Service) Logout(ctx context.Context, p *Principal) error {
	if p.SessionID == uuid.Nil {
		return nil
	}
	if err := s.db.Global(ctx).Table(sessionsTable).Where("id = ?", p.SessionID).Delete(&Session{}).Error; err != nil {
		return err
	}
	s.forget(p.UserID)
	if !p.MFAPending {
		s.auditUser(ctx, p.UserID, audit.Entry{Action: audit.ActionLogout, TargetType: "session", TargetID: p.SessionID.String()})
	}
	return nil
}

// ListSessions returns the user's live sessions, newest first.
func (s *Service) ListSessions(ctx context.Context, userID uuid.UUID) ([]Session, error) {
	var out []Session
	err := s.db.Global(ctx).Table(sessionsTable).Where("user_id = ? AND mfa_pending = ?", userID, false).
		Order("created_at DESC").Limit(200).Find(&out).Error
	now := s.now()
	live := out[:0]
	for _, x := range out {
		if now.Before(x.ExpiresAt) && now.Sub(x.LastSeenAt) < s.cfg.SessionIdle {
			live = append(live, x)
		}
	}
	return live, err
}

// RevokeSession ends one of the user's own sessions.
func (s *Service) RevokeSession(ctx context.Context, userID, sessionID uuid.UUID) error {
	res := s.db.Global(ctx).Table(sessionsTable).Where("id = ? AND user_id = ?", sessionID, userID).Delete(&Session{})
	if res.Error != nil {
		return res.Error
	}
	s.forget(userID)
	if res.RowsAffected == 0 {
		return errs.Plain(errs.NotFound)
	}
	return nil
}

// ChangePassword replaces the user's password after checking the current
// one. It needs a fresh proof of the session (see Reauthenticate), ends
// every other session of the account and revokes all its API tokens.
func (s *Service) ChangePassword(ctx context.Context, p *Principal, current, next string) error {
	if err := s.requireProof(ctx, p); err != nil {
		return err
	}
	u, err := s.tenants.UserByID(ctx, p.UserID)
	if err != nil {
		return err
	}
	// The current password is guessed like a sign-in, from the request's address.
	err = s.GuardPassword(ctx, u.Email, Client{IP: audit.MetaFrom(ctx).ClientIP}, func() error {
		ok, err := s.passwords.Verify(ctx, current, u.PasswordHash)
		if err == nil && !ok {
			err = errBadCredentials
		}
		return err
	})
	if errs.Is(err, errs.InvalidCredentials) {
		return errs.InvalidField("current_password", errs.M("tenant.auth.current-password-not-correct", "Das bisherige Passwort ist nicht korrekt.", "The current password is not correct."))
	}
	if err != nil {
		return err
	}
	if err := tenant.ValidatePassword(next); err != nil {
		return err
	}
	if current == next {
		return errs.InvalidField("new_password", errs.M("tenant.auth.new-password-must-differ-current", "Das neue Passwort muss sich vom bisherigen unterscheiden.", "The new password must differ from the current one."))
	}
	hash, err := s.passwords.Hash(ctx, next)
	if err != nil {
		return err
	}
	var revoked int64
	err = s.db.GlobalTx(ctx, func(tx *gorm.DB) error {
		now := s.now()
		if err := tx.Table(usersTable).Where("id = ?", u.ID).
			Updates(map[string]any{"password_hash": hash, "password_changed_at": now, "updated_at": now}).Error; err != nil {
			return err
		}
		if err := tx.Table(sessionsTable).Where("user_id = ? AND id <> ?", u.ID, p.SessionID).Delete(&Session{}).Error; err != nil {
			return err
		}
		revoked, err = revokeAllTokens(tx, u.ID)
		return err
	})
	s.forget(u.ID)
	if err != nil {
		return err
	}
	s.auditUser(ctx, u.ID, audit.Entry{Action: audit.ActionPasswordChanged, TargetType: "user", TargetID: u.ID.String(),
		Details: map[string]string{"api_tokens_revoked": fmt.Sprint(revoked)}})
	return nil
}

// PurgeExpired deletes sessions past their absolute or idle timeout.
func (s *Service) PurgeExpired(ctx context.Context) (int64, error) {
	now := s.now()
	res := s.db.Global(ctx).Table(sessionsTable).
		Where("expires_at <= ? OR last_seen_at <= ?", now, now.Add(-s.cfg.SessionIdle)).Delete(&Session{})
	return res.RowsAffected, res.Error
}
