package tenant

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/kollab/kollab/internal/audit"
	"github.com/kollab/kollab/internal/db"
	"github.com/kollab/kollab/internal/errs"
)

// Guests are external partners: memberships with the role partner,
// invited into workspaces (package workspaces), never into the tenant.
// Every partner membership has a row of guests with its lifecycle: the
// sponsor (a staff member who answers for the guest), the organisation of
// the address book it belongs to, and the expiry. At the expiry the
// membership is deactivated (workspaces.Service.SweepGuests); until the
// sweep runs, Actor.Run already refuses an expired guest, so no request
// gets through after the expiry, whatever the sweep's interval.

// Guest term limits.
const (
	// GuestDefaultTerm is how long a guest's access runs when nobody says.
	GuestDefaultTerm = 180 * 24 * time.Hour
	// GuestMaxTerm is the longest term, counted from the day it is set.
	GuestMaxTerm = 2 * 365 * 24 * time.Hour
	// GuestReminder is how long before the expiry the sponsor is reminded.
	GuestReminder = 14 * 24 * time.Hour
)

// GuestsTable is the table of the guests' lifecycle rows.
const GuestsTable = "guests"

// Guest is a guest's lifecycle row.
type Guest struct {
	TenantID       uuid.UUID  `gorm:"column:tenant_id"`
	MembershipID   uuid.UUID  `gorm:"column:membership_id"`
	SponsorID      *uuid.UUID `gorm:"column:sponsor_id"`
	OrganisationID *uuid.UUID `gorm:"column:organisation_id"`
	ExpiresAt      time.Time  `gorm:"column:expires_at"`
	RemindedAt     *time.Time `gorm:"column:reminded_at"`
	ExpiredAt      *time.Time `gorm:"column:expired_at"`
	OffboardedAt   *time.Time `gorm:"column:offboarded_at"`
	OffboardedBy   *uuid.UUID `gorm:"column:offboarded_by"`
	Version        int64      `gorm:"column:version"`
	CreatedAt      time.Time  `gorm:"column:created_at"`
	UpdatedAt      time.Time  `gorm:"column:updated_at"`
}

// OwnerTenant implements db.TenantOwned.
func (g *Guest) OwnerTenant() uuid.UUID { return g.TenantID }

// GuestTerms are what a guest gets on joining: sponsor, organisation, expiry.
type GuestTerms struct {
	SponsorID      *uuid.UUID
	OrganisationID *uuid.UUID
	ExpiresAt      time.Time
}

// GuestExpiry turns a requested last day (YYYY-MM-DD, Europe/Berlin; ""
// for the default term) into the instant the access ends: the start of
// the day after it. The day must lie after today and at most GuestMaxTerm
// ahead of now.
func GuestExpiry(now time.Time, lastDay string) (time.Time, error) {
	today := now.In(Berlin)
	if lastDay == "" {
		d := today.Add(GuestDefaultTerm)
		return time.Date(d.Year(), d.Month(), d.Day()+1, 0, 0, 0, 0, Berlin).UTC(), nil
	}
	d, err := time.ParseInLocation(time.DateOnly, lastDay, Berlin)
	if err != nil {
		return time.Time{}, errs.InvalidField("expires_on", errs.M("tenant.guest-expiry-date", "Bitte das Ablaufdatum als Datum angeben (JJJJ-MM-TT).", "Please give the expiry as a date (YYYY-MM-DD)."))
	}
	end := time.Date(d.Year(), d.Month(), d.Day()+1, 0, 0, 0, 0, Berlin)
	first := time.Date(today.Year(), today.Month(), today.Day()+1, 0, 0, 0, 0, Berlin)
	if end.Before(first.Add(24*time.Hour)) || end.Sub(now) > GuestMaxTerm+24*time.Hour {
		return time.Time{}, errs.InvalidField("expires_on", errs.M("tenant.guest-expiry-range", "Der Zugang eines Gastes endet frühestens morgen und spätestens in zwei Jahren.", "A guest's access ends tomorrow at the earliest and in two years at the latest."))
	}
	return end.UTC(), nil
}

// GuestLastDay is the last day (YYYY-MM-DD, Europe/Berlin) of an access
// that ends at expiresAt.
func GuestLastDay(expiresAt time.Time) string {
	return expiresAt.In(Berlin).Add(-time.Second).Format(time.DateOnly)
}

// insertGuest writes the lifecycle row of a new partner membership.
func insertGuest(tx *db.Tx, membershipID uuid.UUID, terms GuestTerms, now time.Time) error {
	g := &Guest{TenantID: tx.TenantID(), MembershipID: membershipID, SponsorID: terms.SponsorID, OrganisationID: terms.OrganisationID,
		ExpiresAt: terms.ExpiresAt, Version: 1, CreatedAt: now, UpdatedAt: now}
	if err := tx.Create(GuestsTable, g); err != nil {
		return fmt.Errorf("tenant: add guest: %w", err)
	}
	return nil
}

// GuestOf returns the lifecycle row of a membership (nil: not a guest).
func GuestOf(tx *db.Tx, membershipID uuid.UUID) (*Guest, error) {
	var gs []Guest
	if err := tx.Table(GuestsTable).Where("membership_id = ?", membershipID).Limit(1).Scan(&gs).Error; err != nil {
		return nil, fmt.Errorf("tenant: read guest: %w", err)
	}
	if len(gs) == 0 {
		return nil, nil
	}
	return &gs[0], nil
}

// EndSessions ends every session and API token of the account: a guest
// whose access ended or who was offboarded is signed out everywhere at
// once (a new sign-in still reaches the account's other tenants).
func EndSessions(tx *db.Tx, userID uuid.UUID) error {
	g := tx.Unscoped()
	if err := g.Exec("DELETE FROM sessions WHERE user_id = ?", userID).Error; err != nil {
		return fmt.Errorf("tenant: end sessions: %w", err)
	}
	if err := g.Exec("DELETE FROM api_tokens WHERE user_id = ?", userID).Error; err != nil {
		return fmt.Errorf("tenant: end tokens: %w", err)
	}
	return nil
}

// guestRanOut reports whether the guest's access has run out at now (a
// partner membership without a lifecycle row has none left either).
func guestRanOut(tx *db.Tx, membershipID uuid.UUID, now time.Time) (bool, error) {
	var n int64
	err := tx.Table(GuestsTable).Where("membership_id = ? AND expires_at > ?", membershipID, now).Count(&n).Error
	return n == 0, err
}

// SetGuestActive deactivates (ending the account's sessions and tokens)
// or reactivates the guest's membership, in tx, with an audit event
// naming why (expired, offboarded, renewed). A membership already in that
// state is left alone.
func SetGuestActive(ctx context.Context, tx *db.Tx, membershipID uuid.UUID, active bool, why string) error {
	m, err := getMember(tx, membershipID)
	if err != nil {
		return err
	}
	if m.Role != RolePartner {
		return errs.Plain(errs.NotFound)
	}
	status, action := StatusDeactivated, audit.ActionMemberDeactivated
	if active {
		status, action = StatusActive, audit.ActionMemberReactivated
	}
	if m.Status == status {
		return nil
	}
	if err := tx.Table(membershipsTable).Where("id = ?", m.ID).Updates(map[string]any{"status": status, "updated_at": db.Now()}).Error; err != nil {
		return fmt.Errorf("tenant: set guest status: %w", err)
	}
	if !active {
		if err := EndSessions(tx, m.UserID); err != nil {
			return err
		}
	}
	_, err = audit.Append(ctx, tx, audit.Entry{Action: action, TargetType: "membership", TargetID: m.ID.String(),
		Details: map[string]string{"email": m.Email, "reason": why}})
	return err
}
