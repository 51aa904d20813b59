package tenant

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/kollab/kollab/internal/audit"
	"github.com/kollab/kollab/internal/db"
	"github.com/kollab/kollab/internal/errs"
)

// Invitation is an e-mailed offer to join a tenant.
type Invitation struct {
	TenantID   uuid.UUID  `gorm:"column:tenant_id;primaryKey"`
	ID         uuid.UUID  `gorm:"column:id;primaryKey"`
	Email      string     `gorm:"column:email"`
	Role       Role       `gorm:"column:role"`
	TokenHash  []byte     `gorm:"column:token_hash"`
	InvitedBy  uuid.UUID  `gorm:"column:invited_by"`
	CreatedAt  time.Time  `gorm:"column:created_at"`
	ExpiresAt  time.Time  `gorm:"column:expires_at"`
	AcceptedAt *time.Time `gorm:"column:accepted_at"`
	RevokedAt  *time.Time `gorm:"column:revoked_at"`
}

// OwnerTenant implements db.TenantOwned.
func (i *Invitation) OwnerTenant() uuid.UUID { return i.TenantID }

// State is pending, accepted, revoked or expired.
func (i *Invitation) State(now time.Time) string {
	switch {
	case i.AcceptedAt != nil:
		return "accepted"
	case i.RevokedAt != nil:
		return "revoked"
	case !now.Before(i.ExpiresAt):
		return "expired"
	}
	return "pending"
}

// InvitationMail is what the mailer needs to send an invitation.
type InvitationMail struct {
	To         string
	TenantSlug string
	TenantName string
	Inviter    string
	Role       Role
	Token      string
	ExpiresAt  time.Time
	// Locale is the language the mail is written in ("de" or "en"; see
	// Service.MailLanguage).
	Locale string
}

// Mailer delivers invitation e-mails.
type Mailer interface {
	SendInvitation(ctx context.Context, m InvitationMail) error
}

func newToken() (string, []byte, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", nil, err
	}
	tok := base64.RawURLEncoding.EncodeToString(b)
	return tok, hashToken(tok), nil
}

func hashToken(tok string) []byte {
	h := sha256.Sum256([]byte(tok))
	return h[:]
}

var errInvitationInvalid = errs.New(errs.NotFound, errs.M("tenant.invitation-invalid-expired-withdrawn", "Diese Einladung ist ungültig, abgelaufen oder wurde zurückgezogen.", "This invitation is invalid, expired or withdrawn."))

// Invite invites an e-mail address into the tenant with a role, replacing
// any pending invitation to the same address, and returns the link token
// (shown to nobody but the mailer and the inviting admin).
func (s *Service) Invite(ctx context.Context, a Actor, email string, role Role) (*Invitation, string, error) {
	if err := a.requireAdmin(); err != nil {
		return nil, "", err
	}
	inviter := a.MembershipID
	if inviter == uuid.Nil {
		return nil, "", errs.Plain(errs.Forbidden) // an invitation names the member who sent it
	}
	tenantID := a.TenantID
	email, err := NormalizeEmail(email)
	if err != nil {
		return nil, "", err
	}
	if _, err := ParseRole(string(role)); err != nil {
		return nil, "", err
	}
	if role == RolePartner {
		return nil, "", errGuestsViaWorkspaces()
	}
	tok, hash, err := newToken()
	if err != nil {
		return nil, "", err
	}
	now := db.Now()
	inv := &Invitation{TenantID: tenantID, ID: db.NewID(), Email: email, Role: role, TokenHash: hash, InvitedBy: inviter,
		CreatedAt: now, ExpiresAt: now.Add(s.invitationTTL)}
	err = a.Run(ctx, s.db, func(tx *db.Tx) error {
		var n int64
		if err := tx.Table(membershipsTable).Joins("JOIN users u ON u.id = memberships.user_id").
			Where("u.email = ?", email).Count(&n).Error; err != nil {
			return err
		}
		if n > 0 {
			return errs.New(errs.Conflict, errs.M("tenant.person-already-member", "Diese Person ist bereits Mitglied.", "This person is already a member."))
		}
		if err := tx.Table(invitationsTable).Where("email = ? AND accepted_at IS NULL AND revoked_at IS NULL", email).
			Update("revoked_at", now).Error; err != nil {
			return err
		}
		if err := tx.Create(invitationsTable, inv); err != nil {
			return fmt.Errorf("tenant: invite: %w", err)
		}
		_, err := audit.Append(ctx, tx, audit.Entry{Action: audit.ActionMemberInvited, TargetType: "invitation", TargetID: inv.ID.String(),
			Details: map[string]string{"email": email, "role": string(role)}})
		return err
	})
	if err != nil {
		return nil, "", err
	}
	return inv, tok, nil
}

// ListInvitations returns the tenant's invitations, newest first; pendingOnly
// limits them to those that can still be accepted.
func (s *Service) ListInvitations(ctx context.Context, a Actor, pendingOnly bool) ([]Invitation, error) {
	if err := a.requireAdmin(); err != nil {
		return nil, err
	}
	var out []Invitation
	err := a.Run(ctx, s.db, func(tx *db.Tx) error {
		q := tx.Table(invitationsTable)
		if pendingOnly {
			q = q.Where("accepted_at IS NULL AND revoked_at IS NULL AND expires_at > ?", db.Now())
		}
		return q.Order("id DESC").Limit(MaxPage).Find(&out).Error
	})
	return out, err
}

func getInvitation(tx *db.Tx, id uuid.UUID) (*Invitation, error) {
	var inv Invitation
	err := tx.Table(invitationsTable).Where("id = ?", id).Take(&inv).Error
	if db.IsNotFound(err) {
		return nil, errs.Plain(errs.NotFound)
	}
	return &inv, err
}

// RevokeInvitation withdraws a pending invitation.
func (s *Service) RevokeInvitation(ctx context.Context, a Actor, id uuid.UUID) error {
	if err := a.requireAdmin(); err != nil {
		return err
	}
	return a.Run(ctx, s.db, func(tx *db.Tx) error {
		inv, err := getInvitation(tx, id)
		if err != nil {
			return err
		}
		if inv.AcceptedAt != nil || inv.RevokedAt != nil {
			return errs.New(errs.Conflict, errs.M("tenant.invitation-no-longer-open", "Die Einladung ist nicht mehr offen.", "The invitation is no longer open."))
		}
		if err := tx.Table(invitationsTable).Where("id = ?", id).Update("revoked_at", db.Now()).Error; err != nil {
			return err
		}
		_, err = audit.Append(ctx, tx, audit.Entry{Action: audit.ActionInvitationRevoked, TargetType: "invitation", TargetID: id.String(),
			Details: map[string]string{"email": inv.Email}})
		return err
	})
}

// ResendInvitation issues a new link (the old one stops working) with a fresh expiry.
func (s *Service) ResendInvitation(ctx context.Context, a Actor, id uuid.UUID) (*Invitation, string, error) {
	if err := a.requireAdmin(); err != nil {
		return nil, "", err
	}
	tok, hash, err := newToken()
	if err != nil {
		return nil, "", err
	}
	var inv *Invitation
	err = a.Run(ctx, s.db, func(tx *db.Tx) error {
		var err error
		inv, err = getInvitation(tx, id)
		if err != nil {
			return err
		}
		if inv.AcceptedAt != nil || inv.RevokedAt != nil {
			return errs.New(errs.Conflict, errs.M("tenant.invitation-no-longer-open", "Die Einladung ist nicht mehr offen.", "The invitation is no longer open."))
		}
		inv.TokenHash, inv.ExpiresAt = hash, db.Now().Add(s.invitationTTL)
		if err := tx.Table(invitationsTable).Where("id = ?", id).
			Updates(map[string]any{"token_hash": hash, "expires_at": inv.ExpiresAt}).Error; err != nil {
			return err
		}
		_, err = audit.Append(ctx, tx, audit.Entry{Action: audit.ActionInvitationResent, TargetType: "invitation", TargetID: id.String(),
			Details: map[string]string{"email": inv.Email}})
		return err
	})
	if err != nil {
		return nil, "", err
	}
	return inv, tok, nil
}

// InvitationInfo is what the acceptance page shows before anyone signs in.
type InvitationInfo struct {
	Invitation    Invitation
	AccountExists bool
}

// InvitationByToken looks up a pending invitation by its link token.
func (s *Service) InvitationByToken(ctx context.Context, tenantID uuid.UUID, token string) (*InvitationInfo, error) {
	var info InvitationInfo
	err := s.db.Tenant(ctx, tenantID, func(tx *db.Tx) error {
		inv, err := pendingByToken(tx, token)
		if err != nil {
			return err
		}
		info.Invitation = *inv
		var n int64
		if err := tx.Unscoped().Table(usersTable).Where("email = ?", inv.Email).Count(&n).Error; err != nil {
			return err
		}
		info.AccountExists = n > 0
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &info, nil
}

func pendingByToken(tx *db.Tx, token string) (*Invitation, error) {
	if len(token) < 20 || len(token) > 100 {
		return nil, errInvitationInvalid
	}
	var inv Invitation
	err := tx.Table(invitationsTable).Where("token_hash = ?", hashToken(token)).Take(&inv).Error
	if db.IsNotFound(err) {
		return nil, errInvitationInvalid
	}
	if err != nil {
		return nil, err
	}
	if inv.State(db.Now()) != "pending" {
		return nil, errInvitationInvalid
	}
	return &inv, nil
}

// AcceptInput says into which account an invitation is accepted.
type AcceptInput struct {
	// Caller is the account signed in on the request (a session, also one
	// waiting for its second factor, or an API token), if any. Whoever is
	// signed in as another address than the invited one is refused, on
	// every path.
	Caller *uuid.UUID
	// IntoCaller joins the invitation with Caller's account (a full browser
	// session) instead of by password.
	IntoCaller bool
	// DisplayName and Password create a new account for the invited address,
	// or (Password alone) prove ownership of the existing one.
	DisplayName string
	Password    string
}

var (
	errOtherAccount = errs.New(errs.OtherAccount,
		errs.M("tenant.invitation-for-another-address", "Diese Einladung gilt für eine andere E-Mail-Adresse als die des angemeldeten Kontos. Bitte melden Sie sich ab und nehmen Sie sie mit dem eingeladenen Konto an.", "This invitation is for another e-mail address than the signed-in account's. Please sign out and accept it with the invited account."))
	errUnverifiedAccount = errs.New(errs.OtherAccount,
		errs.M("tenant.account-mail-address-not-verified", "Die E-Mail-Adresse dieses Kontos ist nicht bestätigt: mit ihm lässt sich keine Einladung annehmen.", "This account's e-mail address is not verified: it cannot accept invitations."))
	errNoCaller = errs.New(errs.Unauthenticated, errs.M("tenant.accept-current-account-sign", "Zum Annehmen mit dem aktuellen Konto bitte zuerst anmelden.", "To accept with your current account, please sign in first."))
)

// boundTo checks that an invitation may join account u: only the account
// whose verified address is the invited one (compared as EmailKey, so that
// another case or Unicode form of the address is the same address).
func boundTo(inv *Invitation, u *User) error {
	if !SameEmail(u.Email, inv.Email) {
		return errOtherAccount
	}
	if u.EmailVerifiedAt == nil {
		return errUnverifiedAccount
	}
	return nil
}

// AcceptInvitation turns a pending invitation into a membership of the
// account of the invited address: the signed-in one (IntoCaller), the
// existing one whose password is given, or a new one. It never joins an
// account of another address, whatever the caller holds.
func (s *Service) AcceptInvitation(ctx context.Context, tenantID uuid.UUID, token string, in AcceptInput) (*User, *Membership, error) {
	var (
		user *User
		m    *Membership
	)
	if in.IntoCaller && in.Caller == nil {
		return nil, nil, errNoCaller
	}
	err := s.db.Tenant(ctx, tenantID, func(tx *db.Tx) error {
		inv, err := pendingByToken(tx, token)
		if err != nil {
			return err
		}
		g := tx.Unscoped()
		if in.Caller != nil {
			var u User
			if err := g.Table(usersTable).Where("id = ?", *in.Caller).Take(&u).Error; err != nil {
				if db.IsNotFound(err) {
					return errNoCaller
				}
				return err
			}
			if !SameEmail(u.Email, inv.Email) {
				return errOtherAccount
			}
			if in.IntoCaller {
				user = &u
			}
		}
		if user == nil {
			var existing []User
			if err := g.Table(usersTable).Where("email = ?", inv.Email).Limit(1).Find(&existing).Error; err != nil {
				return err
			}
			if len(existing) == 1 {
				ok, err := s.passwords.Verify(ctx, in.Password, existing[0].PasswordHash)
				if err != nil || !ok {
					return errs.New(errs.InvalidCredentials, errs.M("tenant.account-exists-mail-address", "Für diese E-Mail-Adresse besteht bereits ein Konto: bitte mit dessen Passwort bestätigen.", "An account exists for this e-mail address: please confirm with its password."))
				}
				user = &existing[0]
			} else {
				user, err = s.createUser(ctx, g, inv.Email, in.DisplayName, in.Password)
				if err != nil {
					return err
				}
			}
		}
		if err := boundTo(inv, user); err != nil {
			return err
		}
		m, err = addMember(tx, user.ID, inv.Role)
		if err != nil {
			return err
		}
		if inv.Role == RolePartner {
			if err := s.acceptGuest(ctx, tx, inv, m); err != nil {
				return err
			}
		}
		res := tx.Table(invitationsTable).Where("id = ? AND accepted_at IS NULL", inv.ID).Update("accepted_at", db.Now())
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected != 1 {
			return errInvitationInvalid
		}
		actor := user.ID
		_, err = audit.Append(ctx, tx, audit.Entry{Action: audit.ActionInvitationAccepted, TargetType: "membership", TargetID: m.ID.String(),
			Actor: &actor, ActorLabel: user.Email, Details: map[string]string{"invitation_id": inv.ID.String(), "role": string(inv.Role)}})
		return err
	})
	if err != nil {
		return nil, nil, err
	}
	return user, m, nil
}

// AcceptURL is the link in an invitation: the web app's acceptance page. The
// token travels in the fragment, so it never reaches a server log or a Referer.
func AcceptURL(publicURL, slug, token string) string {
	return strings.TrimRight(publicURL, "/") + "/invite/" + url.PathEscape(slug) + "#token=" + url.QueryEscape(token)
}
