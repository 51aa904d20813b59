package auth

import (
	"context"
	"crypto/rand"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/kollab/kollab/internal/audit"
	"github.com/kollab/kollab/internal/db"
	"github.com/kollab/kollab/internal/errs"
	"gorm.io/gorm"
)

const (
	recoveryTable = "recovery_codes"
	// RecoveryCodeCount is how many single-use codes a user gets.
	RecoveryCodeCount = 10
	recoveryAlphabet  = "0123456789abcdefghjkmnpqrstvwxyz" // Crockford base32: 5 bits a character
)

type recoveryCode struct {
	UserID    uuid.UUID  `gorm:"column:user_id"`
	ID        uuid.UUID  `gorm:"column:id"`
	CodeHash  string     `gorm:"column:code_hash"`
	UsedAt    *time.Time `gorm:"column:used_at"`
	CreatedAt time.Time  `gorm:"column:created_at"`
}

// newRecoveryCodes returns codes like "k7pq-m3xz-a9rt" (75 bits) and their argon2id hashes.
func (s *Service) newRecoveryCodes(ctx context.Context) ([]string, []string, error) {
	codes := make([]string, RecoveryCodeCount)
	hashes := make([]string, RecoveryCodeCount)
	for i := range codes {
		b := make([]byte, 15)
		if _, err := rand.Read(b); err != nil {
			return nil, nil, err
		}
		var sb strings.Builder
		for j, x := range b {
			if j > 0 && j%5 == 0 {
				sb.WriteByte('-')
			}
			sb.WriteByte(recoveryAlphabet[x&31])
		}
		codes[i] = sb.String()
		h, err := s.codes.Hash(ctx, normalizeRecovery(codes[i]))
		if err != nil {
			return nil, nil, err
		}
		hashes[i] = h
	}
	return codes, hashes, nil
}

func normalizeRecovery(c string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r == '-' || r == ' ':
			return -1
		case r >= 'A' && r <= 'Z':
			return r + 'a' - 'A'
		}
		return r
	}, c)
}

func replaceRecoveryCodes(tx *gorm.DB, userID uuid.UUID, hashes []string, now time.Time) error {
	if err := tx.Table(recoveryTable).Where("user_id = ?", userID).Delete(&recoveryCode{}).Error; err != nil {
		return err
	}
	rows := make([]recoveryCode, len(hashes))
	for i, h := range hashes {
		rows[i] = recoveryCode{UserID: userID, ID: db.NewID(), CodeHash: h, CreatedAt: now}
	}
	if err := tx.Table(recoveryTable).Create(&rows).Error; err != nil {
		return err
	}
	return tx.Table(usersTable).Where("id = ?", userID).Update("recovery_codes_left", len(hashes)).Error
}

// useRecoveryCode consumes one unused code that matches; a used code never works again.
func (s *Service) useRecoveryCode(ctx context.Context, userID uuid.UUID, code string) (bool, error) {
	code = normalizeRecovery(code)
	if len(code) != 15 {
		return false, nil
	}
	var rows []recoveryCode
	if err := s.db.Global(ctx).Table(recoveryTable).Where("user_id = ? AND used_at IS NULL", userID).Find(&rows).Error; err != nil {
		return false, err
	}
	for _, r := range rows {
		ok, err := s.codes.Verify(ctx, code, r.CodeHash)
		if err != nil {
			return false, err
		}
		if ok {
			used := false
			err := s.db.GlobalTx(ctx, func(tx *gorm.DB) error {
				res := tx.Table(recoveryTable).Where("user_id = ? AND id = ? AND used_at IS NULL", userID, r.ID).Update("used_at", s.now())
				if res.Error != nil || res.RowsAffected != 1 {
					return res.Error
				}
				used = true
				return tx.Table(usersTable).Where("id = ? AND recovery_codes_left > 0", userID).
					UpdateColumn("recovery_codes_left", gorm.Expr("recovery_codes_left - 1")).Error
			})
			return used && err == nil, err
		}
	}
	return false, nil
}

// RegenerateRecoveryCodes replaces all recovery codes of a user who has
// TOTP. It needs a fresh proof of the session (see Reauthenticate).
func (s *Service) RegenerateRecoveryCodes(ctx context.Context, p *Principal) ([]string, error) {
	if !p.TOTPEnabled {
		return nil, errs.New(errs.Conflict, errs.M("tenant.auth.recovery-codes-need-two-factor", "Wiederherstellungscodes gibt es erst nach der Einrichtung der Zwei-Faktor-Anmeldung.", "Recovery codes exist only after two-factor sign-in was set up."))
	}
	if err := s.requireProof(ctx, p); err != nil {
		return nil, err
	}
	codes, hashes, err := s.newRecoveryCodes(ctx)
	if err != nil {
		return nil, err
	}
	if err := s.db.GlobalTx(ctx, func(tx *gorm.DB) error { return replaceRecoveryCodes(tx, p.UserID, hashes, s.now()) }); err != nil {
		return nil, err
	}
	s.auditUser(ctx, p.UserID, audit.Entry{Action: audit.ActionRecoveryRegenerated, TargetType: "user", TargetID: p.UserID.String()})
	return codes, nil
}
