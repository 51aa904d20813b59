package auth

import (
	"context"
	"errors"
	"time"

	"github.com/google/uuid"
	"github.com/kollab/kollab/internal/audit"
	"github.com/kollab/kollab/internal/errs"
)

// ReauthWindow is how long a fresh proof of a session lasts.
const ReauthWindow = 5 * time.Minute

var errBrowserOnly = errs.New(errs.Forbidden, errs.M("tenant.auth.only-possible-signed-browser-session", "Diese Aktion ist nur in einer angemeldeten Browser-Sitzung möglich, nicht mit einem API-Token.", "This is only possible in a signed-in browser session, not with an API token."))

// Reauthenticate takes a fresh proof from a signed-in session: the
// account's password and, when the account has a second factor, a current
// TOTP code or one of its recovery codes. It marks this session, and no
// other, as proven now and returns when the proof runs out. Wrong passwords
// and codes count towards the same throttles and locks as at sign-in, so
// that a stolen session cannot guess its way to a proof.
func (s *Service) Reauthenticate(ctx context.Context, p *Principal, pw, code, recovery string, c Client) (time.Time, error) {
	if p.ViaToken() || p.MFAPending || p.SessionID == uuid.Nil {
		return time.Time{}, errBrowserOnly
	}
	if pw == "" {
		return time.Time{}, errs.InvalidField("password", errs.M("tenant.auth.enter-password", "Bitte das Passwort eingeben.", "Please enter your password."))
	}
	if p.TOTPEnabled && (code == "") == (recovery == "") {
		return time.Time{}, errs.InvalidField("code", errs.M("tenant.auth.enter-either-code-recovery-code", "Bitte entweder einen Code oder einen Wiederherstellungscode angeben.", "Please enter either a code or a recovery code."))
	}
	u, err := s.tenants.UserByID(ctx, p.UserID)
	if err != nil {
		return time.Time{}, err
	}
	// The password is guessed like at sign-in: the same brute-force
	// defence (per account and address, per address, the account brake).
	err = s.GuardPassword(ctx, u.Email, c, func() error {
		ok, err := s.passwords.Verify(ctx, pw, u.PasswordHash)
		if err == nil && !ok {
			s.auditUser(ctx, u.ID, audit.Entry{Action: audit.ActionLoginFailed, TargetType: "user", TargetID: u.ID.String(),
				Details: map[string]string{"reason": "password", "context": "reauth"}})
			err = errBadCredentials
		}
		return err
	})
	if errs.Is(err, errs.InvalidCredentials) {
		return time.Time{}, errs.InvalidField("password", errs.M("tenant.auth.password-not-correct", "Das Passwort ist nicht korrekt.", "The password is not correct."))
	}
	if err != nil {
		return time.Time{}, err
	}
	method := "none"
	if u.TOTPEnabled() {
		_, method, err = s.verifySecondFactor(ctx, u.ID, code, recovery, c, map[string]string{"context": "reauth"})
		if errors.Is(err, errWrongCode) {
			field := "code"
			if recovery != "" {
				field = "recovery_code"
			}
			return time.Time{}, errs.InvalidField(field, errs.M("tenant.auth.code-wrong-expired-already-used", "Der Code ist falsch, abgelaufen oder wurde bereits verwendet.", "The code is wrong, expired or already used."))
		}
		if err != nil {
			return time.Time{}, err
		}
	}
	now := s.now()
	res := s.db.Global(ctx).Table(sessionsTable).Where("id = ? AND user_id = ? AND mfa_pending = ?", p.SessionID, p.UserID, false).
		Update("reauth_at", now)
	s.forget(p.UserID)
	if res.Error != nil {
		return time.Time{}, res.Error
	}
	if res.RowsAffected != 1 {
		return time.Time{}, errNoSession
	}
	s.auditUser(ctx, u.ID, audit.Entry{Action: audit.ActionReauthenticated, TargetType: "session", TargetID: p.SessionID.String(),
		Details: map[string]string{"second_factor": method}})
	return now.Add(ReauthWindow), nil
}

// requireProof refuses an action on the account's credentials unless this
// session gave a fresh proof (Reauthenticate) less than ReauthWindow ago.
// It decides on the stored session, never on a cached principal.
func (s *Service) requireProof(ctx context.Context, p *Principal) error {
	if p.ViaToken() || p.MFAPending || p.SessionID == uuid.Nil {
		return errBrowserOnly
	}
	var rows []Session
	if err := s.db.Global(ctx).Table(sessionsTable).Select("reauth_at").
		Where("id = ? AND user_id = ? AND mfa_pending = ?", p.SessionID, p.UserID, false).Limit(1).Find(&rows).Error; err != nil {
		return err
	}
	if len(rows) == 0 {
		return errNoSession
	}
	at := rows[0].ReauthAt
	if at == nil {
		return errs.Plain(errs.ReauthRequired)
	}
	// A proof taken on another instance may carry a clock a little ahead.
	if age := s.now().Sub(*at); age >= ReauthWindow || age < -time.Minute {
		return errs.Plain(errs.ReauthRequired)
	}
	return nil
}
