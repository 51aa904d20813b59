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

// A guest invitation is an invitation with the role partner and a row of
// guest_invitations with the terms the guest gets on accepting it. It is
// made by package workspaces inside its own transaction (a guest is
// invited into workspaces, never into the tenant: Invite refuses the
// partner role), which also records the workspaces the guest enters.

const guestInvitationsTable = "guest_invitations"

type guestInvitationRow struct {
	TenantID       uuid.UUID  `gorm:"column:tenant_id"`
	InvitationID   uuid.UUID  `gorm:"column:invitation_id"`
	SponsorID      uuid.UUID  `gorm:"column:sponsor_id"`
	OrganisationID *uuid.UUID `gorm:"column:organisation_id"`
	ExpiresAt      time.Time  `gorm:"column:expires_at"`
}

// OwnerTenant implements db.TenantOwned.
func (r *guestInvitationRow) OwnerTenant() uuid.UUID { return r.TenantID }

// GuestInvite is a request to invite an address as a guest.
type GuestInvite struct {
	Email string
	Terms GuestTerms
}

// GuestInvitation is the outcome of InviteGuest: the address belongs to
// an active guest already (Existing, their membership: add them at once),
// or a new invitation was made (Invitation, with its link Token), which
// replaced the pending guest invitations Replaced (their workspaces move
// to the new one: one address, one valid link).
type GuestInvitation struct {
	Existing   *uuid.UUID
	Invitation *Invitation
	Token      string
	Replaced   []uuid.UUID
}

// errGuestsViaWorkspaces refuses making anyone a guest (partner) of the
// tenant other than by a workspace's guest invitation.
func errGuestsViaWorkspaces() error {
	return errs.InvalidField("role", errs.M("tenant.guests-invited-into-workspaces",
		"Gäste (externe Partner) werden in einen Arbeitsraum eingeladen, nicht in den Mandanten: bitte im Arbeitsraum „Gast einladen“ wählen.",
		"Guests (external partners) are invited into a workspace, not into the tenant: please choose “Invite guest” in the workspace."))
}

var (
	errStaffAddress = errs.New(errs.Conflict, errs.M("tenant.guest-address-is-member",
		"Diese Adresse gehört einem Mitglied des Mandanten, das kein Gast ist: bitte direkt als Mitglied hinzufügen.",
		"This address belongs to a member of the tenant who is not a guest: please add them as a member directly."))
	errGuestInactive = errs.New(errs.Conflict, errs.M("tenant.guest-inactive",
		"Der Zugang dieses Gastes ist abgelaufen oder beendet. Bitte ihn zuerst in der Gästeverwaltung verlängern.",
		"This guest's access has run out or was ended. Please renew it in the guest management first."))
	errStaffInvitationOpen = errs.New(errs.Conflict, errs.M("tenant.guest-staff-invitation-open",
		"Für diese Adresse ist eine Einladung als Mitglied des Mandanten offen.",
		"An invitation as a member of the tenant is open for this address."))
)

// InviteGuest invites an address as a guest, in tx (the caller's
// transaction, run by the actor, who becomes the sponsor unless the
// terms name one). The caller checks that the actor may invite.
func (s *Service) InviteGuest(ctx context.Context, tx *db.Tx, a Actor, in GuestInvite) (*GuestInvitation, error) {
	email, err := NormalizeEmail(in.Email)
	if err != nil {
		return nil, err
	}
	var ms []struct {
		ID     uuid.UUID `gorm:"column:id"`
		Role   Role      `gorm:"column:role"`
		Status string    `gorm:"column:status"`
	}
	if err := tx.Table(membershipsTable).Select("memberships.id, memberships.role, memberships.status").
		Joins("JOIN users u ON u.id = memberships.user_id").Where("u.email = ?", email).Scan(&ms).Error; err != nil {
		return nil, fmt.Errorf("tenant: find guest: %w", err)
	}
	if len(ms) > 0 {
		m := ms[0]
		if m.Role != RolePartner {
			return nil, errStaffAddress
		}
		out, err := guestRanOut(tx, m.ID, db.Now())
		if err != nil {
			return nil, err
		}
		if m.Status != StatusActive || out {
			return nil, errGuestInactive
		}
		return &GuestInvitation{Existing: &m.ID}, nil
	}
	var pending []Invitation
	if err := tx.Table(invitationsTable).Where("email = ? AND accepted_at IS NULL AND revoked_at IS NULL AND expires_at > ?", email, db.Now()).
		Find(&pending).Error; err != nil {
		return nil, fmt.Errorf("tenant: find invitations: %w", err)
	}
	out := &GuestInvitation{}
	for _, p := range pending {
		if p.Role != RolePartner {
			return nil, errStaffInvitationOpen
		}
		out.Replaced = append(out.Replaced, p.ID)
	}
	tok, hash, err := newToken()
	if err != nil {
		return nil, err
	}
	now := db.Now()
	if err := tx.Table(invitationsTable).Where("email = ? AND accepted_at IS NULL AND revoked_at IS NULL", email).
		Update("revoked_at", now).Error; err != nil {
		return nil, err
	}
	sponsor := a.MembershipID
	if in.Terms.SponsorID != nil {
		sponsor = *in.Terms.SponsorID
	}
	inv := &Invitation{TenantID: tx.TenantID(), ID: db.NewID(), Email: email, Role: RolePartner, TokenHash: hash, InvitedBy: a.MembershipID,
		CreatedAt: now, ExpiresAt: now.Add(s.invitationTTL)}
	if err := tx.Create(invitationsTable, inv); err != nil {
		return nil, fmt.Errorf("tenant: invite guest: %w", err)
	}
	gi := &guestInvitationRow{TenantID: tx.TenantID(), InvitationID: inv.ID, SponsorID: sponsor, OrganisationID: in.Terms.OrganisationID,
		ExpiresAt: in.Terms.ExpiresAt}
	if err := tx.Create(guestInvitationsTable, gi); err != nil {
		return nil, fmt.Errorf("tenant: invite guest: %w", err)
	}
	if _, err := audit.Append(ctx, tx, audit.Entry{Action: audit.ActionMemberInvited, TargetType: "invitation", TargetID: inv.ID.String(),
		Details: map[string]string{"email": email, "role": string(RolePartner), "guest_expires_on": GuestLastDay(in.Terms.ExpiresAt)}}); err != nil {
		return nil, err
	}
	out.Invitation, out.Token = inv, tok
	return out, nil
}

// acceptGuest gives the membership m, made from the guest invitation inv,
// its lifecycle row and lets the workspaces module admit it (Option
// WithGuestAdmission).
func (s *Service) acceptGuest(ctx context.Context, tx *db.Tx, inv *Invitation, m *Membership) error {
	var rows []guestInvitationRow
	if err := tx.Table(guestInvitationsTable).Where("invitation_id = ?", inv.ID).Limit(1).Scan(&rows).Error; err != nil {
		return fmt.Errorf("tenant: read guest invitation: %w", err)
	}
	terms := GuestTerms{}
	if len(rows) == 1 {
		terms = GuestTerms{SponsorID: &rows[0].SponsorID, OrganisationID: rows[0].OrganisationID, ExpiresAt: rows[0].ExpiresAt}
	}
	if terms.ExpiresAt.IsZero() || !terms.ExpiresAt.After(m.CreatedAt) {
		terms.ExpiresAt, _ = GuestExpiry(m.CreatedAt, "")
	}
	if err := insertGuest(tx, m.ID, terms, m.CreatedAt); err != nil {
		return err
	}
	if s.admitGuest == nil {
		return nil
	}
	return s.admitGuest(ctx, tx, inv.ID, m.ID)
}

// GuestAdmission lets a new guest into what its invitation names (the
// workspaces), in the accepting transaction.
type GuestAdmission func(ctx context.Context, tx *db.Tx, invitationID, membershipID uuid.UUID) error

// WithGuestAdmission sets what lets an accepted guest in (package workspaces).
func WithGuestAdmission(f GuestAdmission) Option { return func(s *Service) { s.admitGuest = f } }
