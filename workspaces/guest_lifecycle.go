package workspaces

// A guest's lifecycle after joining: the access review (ListGuests), the
// sponsor's and admins' care of a guest (renew, change sponsor or
// organisation, offboard), and the sweep that reminds sponsors 14 days
// before an expiry and deactivates guests whose access ran out
// (SweepGuests). A guest is seen here by the tenant's admins and by its
// sponsor; anyone else gets NotFound for a guest's id.

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/kollab/kollab/internal/db"
	"github.com/kollab/kollab/internal/errs"
	"github.com/kollab/kollab/tenant"
	"github.com/kollab/kollab/workspaces/contacts"
)

// Guest list bounds.
const (
	// MaxGuestList bounds the access review's list.
	MaxGuestList = 1000
	// StaleAfter is how long without a sign-in makes a guest stale.
	StaleAfter = 90 * 24 * time.Hour
)

// Guest states (GuestInfo.State).
const (
	GuestActive      = "active"
	GuestExpired     = "expired"
	GuestOffboarded  = "offboarded"
	GuestDeactivated = "deactivated"
)

// GuestInfo is a guest as the access review shows it.
type GuestInfo struct {
	MembershipID     uuid.UUID        `gorm:"column:membership_id"`
	Email            string           `gorm:"column:email"`
	DisplayName      string           `gorm:"column:display_name"`
	Status           string           `gorm:"column:status"`
	SponsorID        *uuid.UUID       `gorm:"column:sponsor_id"`
	SponsorName      *string          `gorm:"column:sponsor_name"`
	OrganisationID   *uuid.UUID       `gorm:"column:organisation_id"`
	OrganisationName *string          `gorm:"column:organisation_name"`
	LastSignInAt     *time.Time       `gorm:"column:last_sign_in_at"`
	ExpiresAt        time.Time        `gorm:"column:expires_at"`
	RemindedAt       *time.Time       `gorm:"column:reminded_at"`
	ExpiredAt        *time.Time       `gorm:"column:expired_at"`
	OffboardedAt     *time.Time       `gorm:"column:offboarded_at"`
	TOTPEnabled      bool             `gorm:"column:totp_enabled"`
	Version          int64            `gorm:"column:version"`
	Workspaces       []GuestWorkspace `gorm:"-"`
}

// State is active, expired (the access ran out), offboarded, or
// deactivated (by an admin in the member console).
func (g *GuestInfo) State(now time.Time) string {
	switch {
	case g.OffboardedAt != nil:
		return GuestOffboarded
	case g.ExpiredAt != nil || !g.ExpiresAt.After(now):
		return GuestExpired
	case g.Status != tenant.StatusActive:
		return GuestDeactivated
	}
	return GuestActive
}

// GuestWorkspace is a workspace a guest belongs to.
type GuestWorkspace struct {
	MembershipID uuid.UUID `gorm:"column:membership_id"`
	ID           uuid.UUID `gorm:"column:id"`
	Name         string    `gorm:"column:name"`
	Role         Role      `gorm:"column:role"`
}

// GuestFilter narrows the access review.
type GuestFilter struct {
	// Mine lists the guests the actor sponsors (always so for non-admins).
	Mine bool
	// Stale lists guests not signed in for StaleAfter (or never).
	Stale bool
}

const guestSelect = `SELECT g.membership_id, u.email, u.display_name, m.status, g.sponsor_id, su.display_name AS sponsor_name,
	g.organisation_id, o.name AS organisation_name, u.last_sign_in_at, g.expires_at, g.reminded_at, g.expired_at, g.offboarded_at,
	CASE WHEN u.totp_enabled_at IS NULL THEN 0 ELSE 1 END AS totp_enabled, g.version
	FROM guests g
	JOIN memberships m ON m.tenant_id = g.tenant_id AND m.id = g.membership_id
	JOIN users u ON u.id = m.user_id
	LEFT JOIN memberships sm ON sm.tenant_id = g.tenant_id AND sm.id = g.sponsor_id
	LEFT JOIN users su ON su.id = sm.user_id
	LEFT JOIN organisations o ON o.tenant_id = g.tenant_id AND o.id = g.organisation_id
	WHERE g.tenant_id = @tenant AND m.role = 'partner'`

func needGuestCare(a tenant.Actor) error {
	if a.IsAdmin() || isStaff(a) {
		return nil
	}
	return errForbidden()
}

// ListGuests is the access review: every guest (admins) or the actor's
// own (staff: the guests they sponsor), ordered by name, at most
// MaxGuestList (truncated reports more).
func (s *Service) ListGuests(ctx context.Context, a tenant.Actor, f GuestFilter) (out []GuestInfo, truncated bool, err error) {
	if err := needGuestCare(a); err != nil {
		return nil, false, err
	}
	err = s.run(ctx, a, func(tx *db.Tx) error {
		q, args := guestSelect, []any{}
		if f.Mine || !a.IsAdmin() {
			q += " AND g.sponsor_id = ?"
			args = append(args, a.MembershipID)
		}
		if f.Stale {
			q += " AND (u.last_sign_in_at IS NULL OR u.last_sign_in_at < ?)"
			args = append(args, s.now().Add(-StaleAfter))
		}
		q += " ORDER BY lower(u.display_name), g.membership_id LIMIT ?"
		args = append(args, MaxGuestList+1)
		if err := tx.Raw(q, args...).Scan(&out).Error; err != nil {
			return fmt.Errorf("workspaces: list guests: %w", err)
		}
		if len(out) > MaxGuestList {
			out, truncated = out[:MaxGuestList], true
		}
		return guestWorkspaces(tx, out)
	})
	return out, truncated, err
}

// guestWorkspaces fills in the workspaces of the guests.
func guestWorkspaces(tx *db.Tx, gs []GuestInfo) error {
	if len(gs) == 0 {
		return nil
	}
	ids := make([]uuid.UUID, len(gs))
	at := make(map[uuid.UUID]int, len(gs))
	for i := range gs {
		ids[i], at[gs[i].MembershipID] = gs[i].MembershipID, i
	}
	var rows []GuestWorkspace
	if err := tx.Raw(`SELECT wm.membership_id, w.id, w.name, wm.role FROM workspace_members wm
		JOIN workspaces w ON w.tenant_id = wm.tenant_id AND w.id = wm.workspace_id
		WHERE wm.tenant_id = @tenant AND wm.membership_id IN ? ORDER BY w.name_key, w.id LIMIT ?`, ids, MaxGuestList*MaxGuestWorkspaces/10).Scan(&rows).Error; err != nil {
		return fmt.Errorf("workspaces: guests' workspaces: %w", err)
	}
	for _, r := range rows {
		g := &gs[at[r.MembershipID]]
		g.Workspaces = append(g.Workspaces, r)
	}
	return nil
}

// loadGuest reads guest id for an admin or its sponsor (else NotFound),
// locking its row (PostgreSQL) when lock is set.
func loadGuest(tx *db.Tx, a tenant.Actor, id uuid.UUID, lock bool) (*GuestInfo, error) {
	if err := needGuestCare(a); err != nil {
		return nil, errNotFound()
	}
	if lock {
		var ids []uuid.UUID
		if err := tx.Raw(forUpdate(tx, "SELECT membership_id FROM guests WHERE tenant_id = @tenant AND membership_id = ?"), id).Scan(&ids).Error; err != nil {
			return nil, fmt.Errorf("workspaces: lock guest: %w", err)
		}
	}
	g, err := fetchGuest(tx, id)
	if err != nil {
		return nil, err
	}
	if !a.IsAdmin() && (g.SponsorID == nil || *g.SponsorID != a.MembershipID) {
		return nil, errNotFound()
	}
	return g, nil
}

// fetchGuest reads guest id with its workspaces (NotFound: no guest).
func fetchGuest(tx *db.Tx, id uuid.UUID) (*GuestInfo, error) {
	var gs []GuestInfo
	if err := tx.Raw(guestSelect+" AND g.membership_id = ?", id).Scan(&gs).Error; err != nil {
		return nil, fmt.Errorf("workspaces: read guest: %w", err)
	}
	if len(gs) == 0 {
		return nil, errNotFound()
	}
	if err := guestWorkspaces(tx, gs); err != nil {
		return nil, err
	}
	return &gs[0], nil
}

// Guest returns one guest (admins and its sponsor).
func (s *Service) Guest(ctx context.Context, a tenant.Actor, id uuid.UUID) (*GuestInfo, error) {
	var out *GuestInfo
	err := s.run(ctx, a, func(tx *db.Tx) (err error) {
		out, err = loadGuest(tx, a, id, false)
		return err
	})
	return out, err
}

// guestChange runs change on guest id (admins and its sponsor) and
// returns the guest as it is afterwards (also when the sponsor just
// handed it over to another).
func (s *Service) guestChange(ctx context.Context, a tenant.Actor, id uuid.UUID, change func(tx *db.Tx, g *GuestInfo, now time.Time) error) (*GuestInfo, error) {
	var out *GuestInfo
	err := s.run(ctx, a, func(tx *db.Tx) error {
		g, err := loadGuest(tx, a, id, true)
		if err != nil {
			return err
		}
		if err := change(tx, g, s.now()); err != nil {
			return err
		}
		out, err = fetchGuest(tx, id)
		return err
	})
	return out, err
}

// RenewGuest sets a new last day of the guest's access (""; 180 days from
// today) and restores an expired or offboarded guest's membership (the
// workspaces of an offboarded guest are gone: add them again).
func (s *Service) RenewGuest(ctx context.Context, a tenant.Actor, id uuid.UUID, lastDay string) (*GuestInfo, error) {
	return s.guestChange(ctx, a, id, func(tx *db.Tx, g *GuestInfo, now time.Time) error {
		exp, err := tenant.GuestExpiry(now, lastDay)
		if err != nil {
			return err
		}
		if g.ExpiredAt != nil || g.OffboardedAt != nil {
			if err := tenant.SetGuestActive(ctx, tx, id, true, "renewed"); err != nil {
				return err
			}
		}
		if _, err := exec(tx, `UPDATE guests SET expires_at = ?, reminded_at = NULL, expired_at = NULL, offboarded_at = NULL, offboarded_by = NULL,
			version = version + 1, updated_at = ? WHERE tenant_id = @tenant AND membership_id = ?`, exp, now, id); err != nil {
			return err
		}
		return a.Record(ctx, tx, ActionGuestRenewed, "membership", id, map[string]string{"email": g.Email, "expires_on": tenant.GuestLastDay(exp)})
	})
}

// GuestUpdate changes a guest's sponsor or organisation (nil: unchanged).
type GuestUpdate struct {
	SponsorID         *uuid.UUID
	OrganisationID    *uuid.UUID
	ClearOrganisation bool
}

// UpdateGuest hands a guest to another sponsor (active staff) or changes
// its organisation.
func (s *Service) UpdateGuest(ctx context.Context, a tenant.Actor, id uuid.UUID, u GuestUpdate) (*GuestInfo, error) {
	return s.guestChange(ctx, a, id, func(tx *db.Tx, g *GuestInfo, now time.Time) error {
		set := map[string]any{"updated_at": now}
		details := map[string]string{"email": g.Email}
		if u.SponsorID != nil {
			if err := checkEligible(tx, *u.SponsorID, Owner, "sponsor_id"); err != nil {
				if errs.Is(err, errs.Conflict) {
					return errs.InvalidField("sponsor_id", errs.M("workspaces.guest-sponsor-staff", "Sponsor eines Gastes ist eine aktive beschäftigte Person.", "A guest's sponsor is an active member of staff."))
				}
				return err
			}
			set["sponsor_id"], details["sponsor_id"] = *u.SponsorID, u.SponsorID.String()
		}
		switch {
		case u.ClearOrganisation:
			set["organisation_id"], details["organisation_id"] = nil, ""
		case u.OrganisationID != nil:
			if err := contacts.OrganisationExists(tx, *u.OrganisationID); err != nil {
				return errs.InvalidField("organisation_id", errs.M("workspaces.guest-organisation-unknown", "Diese Organisation gibt es im Adressbuch nicht.", "This organisation is not in the address book."))
			}
			set["organisation_id"], details["organisation_id"] = *u.OrganisationID, u.OrganisationID.String()
		}
		if len(set) == 1 {
			return nil
		}
		if err := tx.Table(tenant.GuestsTable).Where("membership_id = ?", id).Updates(set).Error; err != nil {
			return fmt.Errorf("workspaces: update guest: %w", err)
		}
		if _, err := exec(tx, "UPDATE guests SET version = version + 1 WHERE tenant_id = @tenant AND membership_id = ?", id); err != nil {
			return err
		}
		return a.Record(ctx, tx, ActionGuestUpdated, "membership", id, details)
	})
}

// OffboardGuest takes the guest out of every workspace and deactivates
// its membership (sessions and tokens end); what it wrote stays.
func (s *Service) OffboardGuest(ctx context.Context, a tenant.Actor, id uuid.UUID) (*GuestInfo, error) {
	return s.guestChange(ctx, a, id, func(tx *db.Tx, g *GuestInfo, now time.Time) error {
		if g.OffboardedAt != nil {
			return nil
		}
		for _, w := range g.Workspaces {
			ws := w.ID
			if err := addActivity(tx, &activityRow{WorkspaceID: ws, Kind: "guest.offboarded", ActorID: optID(a.MembershipID), SubjectID: &id,
				ObjectType: targetType, ObjectID: &ws, CreatedAt: now}); err != nil {
				return err
			}
		}
		n, err := exec(tx, "DELETE FROM workspace_members WHERE tenant_id = @tenant AND membership_id = ?", id)
		if err != nil {
			return err
		}
		if err := tenant.SetGuestActive(ctx, tx, id, false, "offboarded"); err != nil {
			return err
		}
		if _, err := exec(tx, `UPDATE guests SET offboarded_at = ?, offboarded_by = ?, version = version + 1, updated_at = ?
			WHERE tenant_id = @tenant AND membership_id = ?`, now, a.MembershipID, now, id); err != nil {
			return err
		}
		return a.Record(ctx, tx, ActionGuestOffboarded, "membership", id, map[string]string{"email": g.Email, "workspaces": fmt.Sprint(n)})
	})
}
