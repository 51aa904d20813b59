package auth

import (
	"bytes"
	"context"
	"crypto/subtle"
	"errors"
	"fmt"
	"image/png"
	"maps"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/kollab/kollab/internal/audit"
	"github.com/kollab/kollab/internal/db"
	"github.com/kollab/kollab/internal/errs"
	"github.com/kollab/kollab/tenant"
	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"
	"gorm.io/gorm"
)

const totpPeriod = 30

var totpOpts = totp.ValidateOpts{Period: totpPeriod, Skew: 0, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1}

// Enrolment is what a user needs to set up an authenticator app.
type Enrolment struct {
	Secret string // base32, for manual entry
	URI    string // otpauth:// URI
	QRPNG  []byte // the URI as a QR code
}

// BeginEnrolment creates a new TOTP secret for the user and keeps it pending
// (encrypted) until ConfirmEnrolment sees a valid code. An enabled factor
// stays in force until then. Replacing an enabled factor needs a fresh
// proof of the session (see Reauthenticate).
func (s *Service) BeginEnrolment(ctx context.Context, p *Principal) (*Enrolment, error) {
	if p.TOTPEnabled {
		if err := s.requireProof(ctx, p); err != nil {
			return nil, err
		}
	}
	key, err := totp.Generate(totp.GenerateOpts{Issuer: s.cfg.Issuer, AccountName: p.Email, Period: totpPeriod,
		SecretSize: 20, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1})
	if err != nil {
		return nil, err
	}
	img, err := key.Image(256, 256)
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		return nil, err
	}
	sealed, err := s.box.seal([]byte(key.Secret()), p.UserID[:])
	if err != nil {
		return nil, err
	}
	if err := s.db.Global(ctx).Table(usersTable).Where("id = ?", p.UserID).
		Updates(map[string]any{"totp_pending": sealed, "updated_at": s.now()}).Error; err != nil {
		return nil, err
	}
	return &Enrolment{Secret: key.Secret(), URI: key.URL(), QRPNG: buf.Bytes()}, nil
}

// matchStep returns the time step (±1 around now) whose code equals code.
func matchStep(secret, code string, now time.Time) (int64, bool) {
	code = strings.TrimSpace(code)
	if len(code) != 6 {
		return 0, false
	}
	cur := now.Unix() / totpPeriod
	for _, step := range []int64{cur - 1, cur, cur + 1} {
		want, err := totp.GenerateCodeCustom(secret, time.Unix(step*totpPeriod, 0), totpOpts)
		if err == nil && subtle.ConstantTimeCompare([]byte(want), []byte(code)) == 1 {
			return step, true
		}
	}
	return 0, false
}

// ConfirmEnrolment turns the pending secret on after a valid code and
// returns 10 fresh recovery codes (shown once). Every other session of the
// account ends: none of them survives a change of the second factor.
func (s *Service) ConfirmEnrolment(ctx context.Context, p *Principal, code string) ([]string, error) {
	if p.MFAPending {
		return nil, errs.Plain(errs.SecondFactor)
	}
	if _, err := s.attempt(ctx, mfaAccount, p.UserID.String()); err != nil {
		return nil, err
	}
	u, err := s.tenants.UserByID(ctx, p.UserID)
	if err != nil {
		return nil, err
	}
	if len(u.TOTPPending) == 0 {
		return nil, errs.New(errs.Conflict, errs.M("tenant.auth.no-set-up-progress", "Es läuft keine Einrichtung: bitte zuerst einen neuen Schlüssel anfordern.", "No set-up is in progress: please request a new key first."))
	}
	secret, err := s.box.open(u.TOTPPending, u.ID[:])
	if err != nil {
		return nil, err
	}
	step, ok := matchStep(string(secret), code, s.now())
	if !ok {
		return nil, errs.Plain(errs.InvalidCode)
	}
	codes, hashes, err := s.newRecoveryCodes(ctx)
	if err != nil {
		return nil, err
	}
	err = s.db.GlobalTx(ctx, func(tx *gorm.DB) error {
		now := s.now()
		res := tx.Table(usersTable).Where("id = ? AND totp_pending = ?", u.ID, u.TOTPPending).Updates(map[string]any{
			"totp_secret": u.TOTPPending, "totp_pending": nil, "totp_enabled_at": now, "totp_last_step": step, "updated_at": now})
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected != 1 {
			return errs.New(errs.Conflict, errs.M("tenant.auth.set-up-restarted-meanwhile", "Die Einrichtung wurde inzwischen neu begonnen.", "The set-up was restarted meanwhile."))
		}
		if err := tx.Table(sessionsTable).Where("user_id = ? AND id <> ?", u.ID, p.SessionID).Delete(&Session{}).Error; err != nil {
			return err
		}
		return replaceRecoveryCodes(tx, u.ID, hashes, now)
	})
	s.forget(u.ID)
	if err != nil {
		return nil, err
	}
	_ = s.succeeded(ctx, mfaAccount, p.UserID.String())
	s.auditUser(ctx, u.ID, audit.Entry{Action: audit.ActionTOTPEnabled, TargetType: "user", TargetID: u.ID.String()})
	return codes, nil
}

// SecondFactor completes a sign-in with a TOTP code or a recovery code and
// rotates the session token. Each time step is accepted once per account.
func (s *Service) SecondFactor(ctx context.Context, p *Principal, code, recovery string, c Client) (string, error) {
	if !p.MFAPending {
		return "", errs.New(errs.Conflict, errs.M("tenant.auth.sign-already-complete", "Die Anmeldung ist bereits vollständig.", "The sign-in is already complete."))
	}
	u, method, err := s.verifySecondFactor(ctx, p.UserID, code, recovery, c, nil)
	if errors.Is(err, errWrongCode) {
		return "", errs.Plain(errs.InvalidCode)
	}
	if err != nil {
		return "", err
	}
	tok, hash, err := randomToken(SessionPrefix)
	if err != nil {
		return "", err
	}
	now := s.now()
	res := s.db.Global(ctx).Table(sessionsTable).Where("id = ? AND mfa_pending = ?", p.SessionID, true).Updates(map[string]any{
		"token_hash": hash, "mfa_pending": false, "mfa_at": now, "last_seen_at": now, "expires_at": now.Add(s.cfg.SessionAbsolute)})
	if res.Error != nil {
		return "", res.Error
	}
	if res.RowsAffected != 1 {
		return "", errNoSession
	}
	if err := s.signedIn(ctx, u.ID, now); err != nil {
		return "", err
	}
	s.auditUser(ctx, u.ID, audit.Entry{Action: audit.ActionLoginSucceeded, TargetType: "user", TargetID: u.ID.String(),
		Actor: &u.ID, ActorLabel: u.Email, Details: map[string]string{"second_factor": method}})
	return tok, nil
}

// errWrongCode is verifySecondFactor's answer to a wrong, expired or
// replayed code; each caller says so in its own terms.
var errWrongCode = errors.New("auth: wrong second-factor code")

// verifySecondFactor checks a TOTP code or, when recovery is set, a
// recovery code of the account, under the second factor's brute-force
// defence: failures count per client address and per account, and the
// account locks after repeated failures (errs.Locked). Each TOTP step and
// each recovery code is accepted once. A wrong code is errWrongCode. The
// audit entries carry details besides the method (e.g. the context).
func (s *Service) verifySecondFactor(ctx context.Context, userID uuid.UUID, code, recovery string, c Client, details map[string]string) (*tenant.User, string, error) {
	if err := s.check(ctx, mfaClient, c.IP); err != nil {
		return nil, "", err
	}
	f, err := s.attempt(ctx, mfaAccount, userID.String())
	if err != nil {
		return nil, "", err
	}
	u, err := s.tenants.UserByID(ctx, userID)
	if err != nil {
		return nil, "", err
	}
	var ok bool
	method := "totp"
	if recovery != "" {
		method = "recovery_code"
		ok, err = s.useRecoveryCode(ctx, u.ID, recovery)
	} else {
		ok, err = s.acceptTOTP(ctx, u, code)
	}
	if err != nil {
		return nil, "", err
	}
	if !ok {
		if err := s.failed(ctx, mfaClient, c.IP); err != nil {
			return nil, "", err
		}
		d := map[string]string{"method": method, "failures": fmt.Sprint(f)}
		maps.Copy(d, details)
		s.auditUser(ctx, u.ID, audit.Entry{Action: audit.ActionSecondFactorFailed, TargetType: "user", TargetID: u.ID.String(),
			Actor: &u.ID, ActorLabel: u.Email, Details: d})
		if mfaAccount.lockedNow(f) {
			s.auditUser(ctx, u.ID, audit.Entry{Action: audit.ActionAccountLocked, TargetType: "user", TargetID: u.ID.String(),
				Actor: &u.ID, ActorLabel: u.Email, Details: map[string]string{"minutes": fmt.Sprint(int(lockDuration(f).Minutes()))}})
			return nil, "", errs.RetryLater(errs.Locked, lockDuration(f), errs.M("tenant.auth.sign-temporarily-locked-after-repeated", "Die Anmeldung ist nach wiederholten Fehlversuchen vorübergehend gesperrt.", "Sign-in is temporarily locked after repeated failures."))
		}
		return nil, "", errWrongCode
	}
	// A failure to reset the counter does not undo a correct code.
	_ = s.succeeded(ctx, mfaAccount, userID.String())
	if method == "recovery_code" {
		s.auditUser(ctx, u.ID, audit.Entry{Action: audit.ActionRecoveryCodeUsed, TargetType: "user", TargetID: u.ID.String(), Actor: &u.ID, ActorLabel: u.Email})
	}
	return u, method, nil
}

// acceptTOTP checks code and claims its time step with a compare-and-set on
// the account's last used step: of many concurrent submissions of one code,
// exactly one wins, and no earlier step is ever accepted again.
func (s *Service) acceptTOTP(ctx context.Context, u *tenant.User, code string) (bool, error) {
	if !u.TOTPEnabled() {
		return false, nil
	}
	secret, err := s.box.open(u.TOTPSecret, u.ID[:])
	if err != nil {
		return false, err
	}
	step, ok := matchStep(string(secret), code, s.now())
	if !ok {
		return false, nil
	}
	res := s.db.Global(ctx).Table(usersTable).Where("id = ? AND totp_last_step < ?", u.ID, step).Update("totp_last_step", step)
	if res.Error != nil {
		return false, res.Error
	}
	return res.RowsAffected == 1, nil
}

// ResetTOTP is the tenant admin's reset of a member's second factor: the
// secret and recovery codes are removed, the account's sessions end, its
// API tokens are revoked and its lock is lifted; the member enrols anew at
// the next sign-in.
func (s *Service) ResetTOTP(ctx context.Context, a tenant.Actor, membershipID uuid.UUID) error {
	m, err := s.tenants.Member(ctx, a, membershipID) // refuses an actor that is no admin
	if err != nil {
		return err
	}
	err = s.db.GlobalTx(ctx, func(tx *gorm.DB) error {
		if err := tx.Table(usersTable).Where("id = ?", m.UserID).Updates(map[string]any{
			"totp_secret": nil, "totp_pending": nil, "totp_enabled_at": nil, "recovery_codes_left": 0, "updated_at": s.now()}).Error; err != nil {
			return err
		}
		if err := tx.Table(recoveryTable).Where("user_id = ?", m.UserID).Delete(&recoveryCode{}).Error; err != nil {
			return err
		}
		if err := tx.Table(sessionsTable).Where("user_id = ?", m.UserID).Delete(&Session{}).Error; err != nil {
			return err
		}
		if _, err := revokeAllTokens(tx, m.UserID); err != nil {
			return err
		}
		return s.unlock(ctx, tx, m.UserID.String())
	})
	s.forget(m.UserID)
	if err != nil {
		return err
	}
	return a.Run(ctx, s.db, func(tx *db.Tx) error {
		_, err := audit.Append(ctx, tx, audit.Entry{Action: audit.ActionTOTPReset, TargetType: "membership", TargetID: membershipID.String(),
			Details: map[string]string{"email": m.Email}})
		return err
	})
}
