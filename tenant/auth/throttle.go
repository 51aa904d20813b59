package auth

import (
	"context"
	"strconv"
	"time"

	"github.com/kollab/kollab/internal/audit"
	"github.com/kollab/kollab/internal/errs"
	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

const throttleTable = "auth_throttle"

// throttlePolicy says how long an attempt must wait after f counted failures.
type throttlePolicy struct {
	scope string
	// free attempts before any wait
	free int
	// wait after f failures (f > free)
	wait func(f int) time.Duration
	// lock marks waits that are account locks (audited, told as "locked")
	lock bool
}

// forget is how long after the last failure the counter starts afresh.
const forget = 24 * time.Hour

func doubling(base, max time.Duration, free int) func(int) time.Duration {
	return func(f int) time.Duration {
		n := f - free - 1
		if n > 20 {
			return max
		}
		d := base << n
		if d > max || d <= 0 {
			return max
		}
		return d
	}
}

var (
	// Passwords: growing delays per account and client address together
	// (pwPair), so that a stranger's guesses slow the stranger and never the
	// owner signing in from elsewhere, and per client address over all
	// accounts (pwClient). The account-wide brake (brakeLimit) catches
	// guesses spread over many addresses.
	pwPair   = throttlePolicy{scope: "pw-pair", free: 5, wait: doubling(time.Second, 15*time.Minute, 5)}
	pwClient = throttlePolicy{scope: "pw-client", free: 30, wait: doubling(time.Second, 15*time.Minute, 30)}
	// Second factor: the account locks after 5 failures, longer each time.
	mfaAccount = throttlePolicy{scope: "mfa-account", free: 4, lock: true,
		wait: func(f int) time.Duration { return lockDuration(f) }}
	mfaClient = throttlePolicy{scope: "mfa-client", free: 30, wait: doubling(time.Second, 15*time.Minute, 30)}
)

// lockDuration: 15 minutes at the 5th failure, doubling every 5 more, at most a day.
func lockDuration(f int) time.Duration {
	d := 15 * time.Minute << ((f - 5) / 5)
	if d > forget || d <= 0 {
		return forget
	}
	return d
}

type throttleRow struct {
	Scope         string    `gorm:"column:scope"`
	Key           string    `gorm:"column:key"`
	Failures      int       `gorm:"column:failures"`
	LastFailureAt time.Time `gorm:"column:last_failure_at"`
	// WindowStartedAt starts the brake's counting window (brake rows only).
	WindowStartedAt *time.Time `gorm:"column:window_started_at"`
}

// pairKey keys pwPair: the account (tenant.EmailKey) and the client
// address. The account part ends in its domain, which holds no '|'.
func pairKey(account, ip string) string { return account + "|" + ip }

// mustWait returns the error that refuses an attempt when the key's recent
// failures demand a wait (nil when it may proceed).
func (p throttlePolicy) mustWait(rows []throttleRow, now time.Time) (int, error) {
	if len(rows) != 1 || now.Sub(rows[0].LastFailureAt) >= forget {
		return 0, nil
	}
	f := rows[0].Failures
	if f > p.free {
		if until := rows[0].LastFailureAt.Add(p.wait(f)); now.Before(until) {
			code, detail := errs.RateLimited, errs.M("tenant.auth.too-many-failed-attempts", "Zu viele Fehlversuche: bitte später erneut versuchen.", "Too many failed attempts: please try again later.")
			if p.lock {
				code, detail = errs.Locked, errs.M("tenant.auth.sign-temporarily-locked-after-repeated", "Die Anmeldung ist nach wiederholten Fehlversuchen vorübergehend gesperrt.", "Sign-in is temporarily locked after repeated failures.")
			}
			return f, errs.RetryLater(code, until.Sub(now).Round(time.Second)+time.Second, detail)
		}
	}
	return f, nil
}

// attempt (for one account) counts an attempt as a failure before it is
// checked, so that parallel guesses at one account are counted too, and
// refuses it if the account must wait. A successful attempt then calls
// succeeded. It returns the failure count including this attempt.
func (s *Service) attempt(ctx context.Context, p throttlePolicy, key string) (int, error) {
	now := s.now()
	var failures int
	err := s.db.GlobalTx(ctx, func(tx *gorm.DB) error {
		var rows []throttleRow
		q := tx.Table(throttleTable).Where("scope = ? AND key = ?", p.scope, key)
		if tx.Dialector.Name() == "postgres" {
			q = q.Clauses(clause.Locking{Strength: "UPDATE"})
		}
		if err := q.Find(&rows).Error; err != nil {
			return err
		}
		f, err := p.mustWait(rows, now)
		if err != nil {
			return err
		}
		failures = f + 1
		row := throttleRow{Scope: p.scope, Key: key, Failures: failures, LastFailureAt: now}
		return tx.Table(throttleTable).Clauses(clause.OnConflict{
			Columns:   []clause.Column{{Name: "scope"}, {Name: "key"}},
			DoUpdates: clause.AssignmentColumns([]string{"failures", "last_failure_at"}),
		}).Create(&row).Error
	})
	return failures, err
}

// check (for a client address) refuses an attempt while the address must
// wait, without counting it: many people may sign in from one address at
// once, and only their failures count (see failed).
func (s *Service) check(ctx context.Context, p throttlePolicy, key string) error {
	var rows []throttleRow
	if err := s.db.Global(ctx).Table(throttleTable).Where("scope = ? AND key = ?", p.scope, key).Find(&rows).Error; err != nil {
		return err
	}
	_, err := p.mustWait(rows, s.now())
	return err
}

// failed counts one failure of key in a single atomic statement.
func (s *Service) failed(ctx context.Context, p throttlePolicy, key string) error {
	now := s.now()
	row := throttleRow{Scope: p.scope, Key: key, Failures: 1, LastFailureAt: now}
	return s.db.Global(ctx).Table(throttleTable).Clauses(clause.OnConflict{
		Columns: []clause.Column{{Name: "scope"}, {Name: "key"}},
		DoUpdates: clause.Assignments(map[string]any{
			"failures":        gorm.Expr("CASE WHEN auth_throttle.last_failure_at < ? THEN 1 ELSE auth_throttle.failures + 1 END", now.Add(-forget)),
			"last_failure_at": now,
		}),
	}).Create(&row).Error
}

// succeeded lets an account start afresh after a correct attempt.
func (s *Service) succeeded(ctx context.Context, p throttlePolicy, key string) error {
	return s.db.Global(ctx).Table(throttleTable).Where("scope = ? AND key = ?", p.scope, key).Delete(&throttleRow{}).Error
}

// lockedNow reports whether failure count f just reached a lock.
func (p throttlePolicy) lockedNow(f int) bool { return p.lock && f > p.free && (f-p.free-1)%5 == 0 }

// unlock clears an account's second-factor lock (admin 2FA reset).
func (s *Service) unlock(ctx context.Context, g *gorm.DB, userKey string) error {
	return g.Table(throttleTable).Where("scope = ? AND key = ?", mfaAccount.scope, userKey).Delete(&throttleRow{}).Error
}

// The account-wide brake: when the failed passwords for one account from
// all addresses together reach brakeLimit within brakeWindow, every
// password attempt at the account (its owner's too) waits until the window
// ends; reaching the limit is audited. One address can never engage it:
// pwPair lets it fail at most maxPairFailures(brakeWindow) times in a
// window, a fifth of the limit or less (TestBrakeFarAbovePerAddressLimit).
// It is meant for guesses spread over many addresses, which pwPair and
// pwClient do not see as one attack.
const (
	brakeScope  = "pw-brake"
	brakeLimit  = 100
	brakeWindow = time.Hour
)

// braked refuses an attempt at the account while its brake is engaged.
func (s *Service) braked(ctx context.Context, account string) error {
	var rows []throttleRow
	if err := s.db.Global(ctx).Table(throttleTable).Where("scope = ? AND key = ?", brakeScope, account).Find(&rows).Error; err != nil {
		return err
	}
	now := s.now()
	if len(rows) != 1 || rows[0].WindowStartedAt == nil || rows[0].Failures < brakeLimit {
		return nil
	}
	if until := rows[0].WindowStartedAt.Add(brakeWindow); now.Before(until) {
		return errs.RetryLater(errs.RateLimited, until.Sub(now).Round(time.Second)+time.Second,
			errs.M("tenant.auth.were-failed-attempts-account-many", "Für dieses Konto gab es von vielen Adressen aus Fehlversuche: die Anmeldung ist vorübergehend gebremst. Bitte später erneut versuchen.", "There were failed attempts at this account from many addresses: sign-in is slowed down for a while. Please try again later."))
	}
	return nil
}

// brakeFailed counts one failed password for the account in the brake's
// current window (a new window starts when the last one has passed) and
// returns the count.
func (s *Service) brakeFailed(ctx context.Context, account string) (int, error) {
	now := s.now()
	var failures int
	err := s.db.GlobalTx(ctx, func(tx *gorm.DB) error {
		var rows []throttleRow
		q := tx.Table(throttleTable).Where("scope = ? AND key = ?", brakeScope, account)
		if tx.Dialector.Name() == "postgres" {
			q = q.Clauses(clause.Locking{Strength: "UPDATE"})
		}
		if err := q.Find(&rows).Error; err != nil {
			return err
		}
		start := now
		failures = 1
		if len(rows) == 1 && rows[0].WindowStartedAt != nil && now.Before(rows[0].WindowStartedAt.Add(brakeWindow)) {
			start, failures = *rows[0].WindowStartedAt, rows[0].Failures+1
		}
		row := throttleRow{Scope: brakeScope, Key: account, Failures: failures, LastFailureAt: now, WindowStartedAt: &start}
		return tx.Table(throttleTable).Clauses(clause.OnConflict{
			Columns:   []clause.Column{{Name: "scope"}, {Name: "key"}},
			DoUpdates: clause.AssignmentColumns([]string{"failures", "last_failure_at", "window_started_at"}),
		}).Create(&row).Error
	})
	return failures, err
}

// brakeEngaged records that the brake of the account with this e-mail
// address just engaged: in the log, and in the audit log of every tenant
// of the account (if there is one).
func (s *Service) brakeEngaged(ctx context.Context, email string) {
	s.log.WarnContext(ctx, "sign-in brake engaged: many failed passwords for one account from several addresses",
		"failures", brakeLimit, "window", brakeWindow.String())
	u, err := s.tenants.UserByEmail(ctx, email)
	if err != nil {
		return
	}
	s.auditUser(ctx, u.ID, audit.Entry{Action: audit.ActionSignInBraked, TargetType: "user", TargetID: u.ID.String(),
		Details: map[string]string{"failures": strconv.Itoa(brakeLimit), "window_minutes": strconv.Itoa(int(brakeWindow / time.Minute))}})
}
