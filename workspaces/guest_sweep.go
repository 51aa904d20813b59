package workspaces

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/kollab/kollab/internal/audit"
	"github.com/kollab/kollab/internal/db"
	"github.com/kollab/kollab/internal/notify"
	"github.com/kollab/kollab/tenant"
)

// GuestSweepReport counts what SweepGuests did.
type GuestSweepReport struct {
	Reminded, Expired, SkippedTenants int
}

// sweepBatch bounds the guests one sweep round of a tenant handles.
const sweepBatch = 200

// SweepGuests runs the guests' lifecycle in every tenant at the service's
// clock: it reminds the sponsor (or, without an active sponsor, the
// admins) once, GuestReminder before a guest's access ends, with a link
// to the guest's page where one click renews it; and it deactivates every
// guest whose access ran out (sessions and tokens end; what they wrote
// stays; the sponsor is told). Several instances may run it: on
// PostgreSQL the rows are claimed FOR UPDATE SKIP LOCKED, and each step
// marks its row, so nothing happens twice.
func (s *Service) SweepGuests(ctx context.Context) (GuestSweepReport, error) {
	var rep GuestSweepReport
	var ids []uuid.UUID
	if err := s.db.Global(ctx).Table("tenants").Order("id").Pluck("id", &ids).Error; err != nil {
		return rep, fmt.Errorf("workspaces: list tenants: %w", err)
	}
	var firstErr error
	for _, tid := range ids {
		err := s.db.Tenant(ctx, tid, func(tx *db.Tx) error { return s.sweepTenant(ctx, tx, &rep) })
		if err != nil {
			if ctx.Err() != nil {
				return rep, ctx.Err()
			}
			rep.SkippedTenants++
			if firstErr == nil {
				firstErr = fmt.Errorf("workspaces: sweep guests of %s: %w", tid, err)
			}
		}
	}
	return rep, firstErr
}

type dueGuest struct {
	MembershipID uuid.UUID  `gorm:"column:membership_id"`
	SponsorID    *uuid.UUID `gorm:"column:sponsor_id"`
	ExpiresAt    time.Time  `gorm:"column:expires_at"`
	DisplayName  string     `gorm:"column:display_name"`
}

// claimGuests locks the tenant's guests matching cond (skipping rows
// another instance holds).
func claimGuests(tx *db.Tx, cond string, args ...any) ([]dueGuest, error) {
	q := `SELECT g.membership_id, g.sponsor_id, g.expires_at, u.display_name FROM guests g
		JOIN memberships m ON m.tenant_id = g.tenant_id AND m.id = g.membership_id
		JOIN users u ON u.id = m.user_id
		WHERE g.tenant_id = @tenant AND m.role = 'partner' AND g.offboarded_at IS NULL AND g.expired_at IS NULL AND ` + cond + ` ORDER BY g.expires_at, g.membership_id LIMIT ?`
	if tx.IsPostgres() {
		q += " FOR UPDATE OF g SKIP LOCKED"
	}
	var out []dueGuest
	if err := tx.Raw(q, append(args, sweepBatch)...).Scan(&out).Error; err != nil {
		return nil, fmt.Errorf("workspaces: claim guests: %w", err)
	}
	return out, nil
}

func (s *Service) sweepTenant(ctx context.Context, tx *db.Tx, rep *GuestSweepReport) error {
	now := s.now()
	due, err := claimGuests(tx, "m.status = 'active' AND g.reminded_at IS NULL AND g.expires_at > ? AND g.expires_at <= ?", now, now.Add(tenant.GuestReminder))
	if err != nil {
		return err
	}
	for _, g := range due {
		if err := s.tellSponsor(ctx, tx, g, now, false); err != nil {
			return err
		}
		if _, err := exec(tx, "UPDATE guests SET reminded_at = ?, updated_at = ? WHERE tenant_id = @tenant AND membership_id = ?", now, now, g.MembershipID); err != nil {
			return err
		}
		rep.Reminded++
	}
	gone, err := claimGuests(tx, "g.expires_at <= ?", now)
	if err != nil {
		return err
	}
	for _, g := range gone {
		if err := tenant.SetGuestActive(ctx, tx, g.MembershipID, false, "expired"); err != nil {
			return err
		}
		if _, err := exec(tx, "UPDATE guests SET expired_at = ?, version = version + 1, updated_at = ? WHERE tenant_id = @tenant AND membership_id = ?",
			now, now, g.MembershipID); err != nil {
			return err
		}
		if _, err := audit.Append(ctx, tx, audit.Entry{Action: ActionGuestExpired, TargetType: "membership", TargetID: g.MembershipID.String(),
			Details: map[string]string{"expired_at": g.ExpiresAt.Format(time.RFC3339)}}); err != nil {
			return err
		}
		if err := s.tellSponsor(ctx, tx, g, now, true); err != nil {
			return err
		}
		rep.Expired++
	}
	return nil
}

// tellSponsor notifies the guest's active sponsor, or else the tenant's
// active admins, that the guest's access ends soon (or ended).
func (s *Service) tellSponsor(ctx context.Context, tx *db.Tx, g dueGuest, now time.Time, ended bool) error {
	var to []uuid.UUID
	if g.SponsorID != nil {
		if err := tx.Table("memberships").Where("id = ? AND status = ? AND role IN ?", *g.SponsorID, tenant.StatusActive,
			[]string{string(tenant.RoleAdmin), string(tenant.RoleStaff)}).Limit(1).Pluck("id", &to).Error; err != nil {
			return fmt.Errorf("workspaces: find sponsor: %w", err)
		}
	}
	if len(to) == 0 {
		if err := tx.Table("memberships").Where("role = ? AND status = ?", tenant.RoleAdmin, tenant.StatusActive).
			Order("id").Limit(100).Pluck("id", &to).Error; err != nil {
			return fmt.Errorf("workspaces: find admins: %w", err)
		}
	}
	day := tenant.GuestLastDay(g.ExpiresAt)
	de, _ := time.Parse(time.DateOnly, day)
	title := notify.Text{DE: notify.Clip("Zugang von " + g.DisplayName + " endet am " + de.Format("02.01.2006")),
		EN: notify.Clip("Access of " + g.DisplayName + " ends on " + day)}
	text := notify.Text{DE: "Mit einem Klick um 180 Tage verlängern – oder auslaufen lassen.", EN: "Renew it by 180 days with one click – or let it run out."}
	if ended {
		title = notify.Text{DE: notify.Clip("Zugang von " + g.DisplayName + " ist abgelaufen"), EN: notify.Clip("Access of " + g.DisplayName + " has run out")}
		text = notify.Text{DE: "Der Gast ist abgemeldet; Inhalte bleiben erhalten. Eine Verlängerung stellt den Zugang wieder her.",
			EN: "The guest was signed out; content stays. Renewing restores the access."}
	}
	_, err := s.notify.Emit(ctx, tx, notify.Event{Kind: notify.KindGuestExpiring, ObjectType: "guest", ObjectID: g.MembershipID, At: now,
		Link: "guests/" + g.MembershipID.String(), Title: title, Text: text, Recipients: notify.To(to...)})
	if err != nil {
		return fmt.Errorf("workspaces: notify guest expiry: %w", err)
	}
	return nil
}
