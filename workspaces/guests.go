package workspaces

// Guests (external partners) enter the tenant through a workspace: an
// owner of the workspace (or an admin) invites an address with a role
// (member or reader), optionally the organisation of the address book the
// guest belongs to and the last day of the access. An address of an
// active guest is added at once; any other address gets an invitation
// (tenant.Service.InviteGuest) whose pending workspaces sit in
// invitation_workspaces until it is accepted (AdmitGuest). The inviter
// becomes the guest's sponsor.

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/kollab/kollab/internal/audit"
	"github.com/kollab/kollab/internal/db"
	"github.com/kollab/kollab/internal/errs"
	"github.com/kollab/kollab/tenant"
	"github.com/kollab/kollab/workspaces/contacts"
)

// Audit actions of the guests' part.
const (
	ActionGuestInvited    = "workspaces.guest.invited"
	ActionGuestAdmitted   = "workspaces.guest.admitted"
	ActionGuestWithdrawn  = "workspaces.guest.invitation_withdrawn"
	ActionGuestRenewed    = "workspaces.guest.renewed"
	ActionGuestUpdated    = "workspaces.guest.updated"
	ActionGuestOffboarded = "workspaces.guest.offboarded"
	ActionGuestExpired    = "workspaces.guest.expired"
)

const invitationWorkspacesTable = "invitation_workspaces"

// WithTenants lets the service make guest invitations through ts.
func WithTenants(ts *tenant.Service) ServiceOption { return func(s *Service) { s.tenants = ts } }

// GuestInput invites a guest into a workspace.
type GuestInput struct {
	Email          string
	Role           Role
	OrganisationID *uuid.UUID
	// ExpiresOn is the last day of the access (YYYY-MM-DD; "" for 180 days).
	ExpiresOn string
}

// GuestOutcome is what inviting a guest did: added an active guest at
// once (Member), or made an invitation (Invitation, mailed with Token).
type GuestOutcome struct {
	Email      string
	Member     *MemberInfo
	Invitation *tenant.Invitation
	Token      string
}

var errGuestRole = errs.InvalidField("role", errs.M("workspaces.guest-role", "Gäste sind Mitglied (member) oder lesend (reader).", "Guests are members (member) or readers (reader)."))

// InviteGuest invites an address as a guest into workspace id (owners and admins).
func (s *Service) InviteGuest(ctx context.Context, a tenant.Actor, id uuid.UUID, in GuestInput) (*GuestOutcome, error) {
	if in.Role != Member && in.Role != Reader {
		return nil, errGuestRole
	}
	if s.tenants == nil {
		return nil, fmt.Errorf("workspaces: no tenant service for guest invitations")
	}
	out := &GuestOutcome{}
	err := s.run(ctx, a, func(tx *db.Tx) error {
		sc, err := loadScope(tx, a, id, true)
		if err != nil {
			return err
		}
		if err := sc.needManage(); err != nil {
			return err
		}
		if err := sc.needActive(); err != nil {
			return err
		}
		if in.OrganisationID != nil {
			if err := contacts.OrganisationExists(tx, *in.OrganisationID); err != nil {
				return errs.InvalidField("organisation_id", errs.M("workspaces.guest-organisation-unknown", "Diese Organisation gibt es im Adressbuch nicht.", "This organisation is not in the address book."))
			}
		}
		now := s.now()
		exp, err := tenant.GuestExpiry(now, in.ExpiresOn)
		if err != nil {
			return err
		}
		res, err := s.tenants.InviteGuest(ctx, tx, a, tenant.GuestInvite{Email: in.Email,
			Terms: tenant.GuestTerms{OrganisationID: in.OrganisationID, ExpiresAt: exp}})
		if err != nil {
			return err
		}
		if res.Existing != nil {
			out.Member, err = s.addGuest(ctx, tx, a, sc, *res.Existing, in.Role, now)
			return err
		}
		out.Invitation, out.Token, out.Email = res.Invitation, res.Token, res.Invitation.Email
		return pendGuest(ctx, tx, a, id, res, in.Role)
	})
	if err != nil {
		return nil, err
	}
	if out.Email == "" {
		out.Email, _ = tenant.NormalizeEmail(in.Email)
	}
	return out, nil
}

// addGuest makes the active guest m a member of the workspace with role
// (a member already keeps their role).
func (s *Service) addGuest(ctx context.Context, tx *db.Tx, a tenant.Actor, sc *scope, m uuid.UUID, role Role, now time.Time) (*MemberInfo, error) {
	cur, err := memberOf(tx, sc.w.R.ID, m)
	if err != nil || cur != nil {
		if cur != nil {
			return new(cur.info()), nil
		}
		return nil, err
	}
	if sc.w.MemberCount >= MaxMembers {
		return nil, errs.New(errs.Conflict, errs.M("workspaces.too-many-members", "Ein Arbeitsraum hat höchstens 5000 Mitglieder.", "A workspace has at most 5000 members."))
	}
	if err := insertMember(tx, sc.w.R.ID, m, role, a.MembershipID, now); err != nil {
		return nil, err
	}
	if err := record(ctx, tx, a, ActionMemberAdded, sc.w.R.ID, map[string]string{"membership_id": m.String(), "role": string(role), "guest": "true"}); err != nil {
		return nil, err
	}
	if err := s.notifyAdded(ctx, tx, a, &sc.w.R, m, role, now); err != nil {
		return nil, err
	}
	cur, err = memberOf(tx, sc.w.R.ID, m)
	if err != nil || cur == nil {
		return nil, err
	}
	return new(cur.info()), nil
}

// pendGuest records the workspace on the new invitation, and moves the
// workspaces of the invitations it replaced onto it.
func pendGuest(ctx context.Context, tx *db.Tx, a tenant.Actor, id uuid.UUID, res *tenant.GuestInvitation, role Role) error {
	inv := res.Invitation
	if len(res.Replaced) > 0 {
		if _, err := exec(tx, "UPDATE invitation_workspaces SET invitation_id = ? WHERE tenant_id = @tenant AND invitation_id IN ? AND workspace_id <> ?",
			inv.ID, res.Replaced, id); err != nil {
			return err
		}
	}
	rec := map[string]any{"tenant_id": tx.TenantID(), "invitation_id": inv.ID, "workspace_id": id, "role": string(role)}
	if err := tx.Table(invitationWorkspacesTable).Create(rec).Error; err != nil {
		return fmt.Errorf("workspaces: pend guest: %w", err)
	}
	return record(ctx, tx, a, ActionGuestInvited, id, map[string]string{"email": inv.Email, "role": string(role), "invitation_id": inv.ID.String()})
}

// AdmitGuest makes the guest membershipID, who just accepted invitation
// invitationID, a member of the invitation's workspaces that are still
// active (tenant.WithGuestAdmission; runs in the accepting transaction).
func (s *Service) AdmitGuest(ctx context.Context, tx *db.Tx, invitationID, membershipID uuid.UUID) error {
	var rows []struct {
		WorkspaceID uuid.UUID `gorm:"column:workspace_id"`
		Role        Role      `gorm:"column:role"`
		InvitedBy   uuid.UUID `gorm:"column:invited_by"`
	}
	if err := tx.Raw(`SELECT iw.workspace_id, iw.role, i.invited_by FROM invitation_workspaces iw
		JOIN invitations i ON i.tenant_id = iw.tenant_id AND i.id = iw.invitation_id
		JOIN workspaces w ON w.tenant_id = iw.tenant_id AND w.id = iw.workspace_id
		WHERE iw.tenant_id = @tenant AND iw.invitation_id = ? AND w.state = 'active'
		ORDER BY iw.workspace_id LIMIT ?`, invitationID, MaxGuestWorkspaces).Scan(&rows).Error; err != nil {
		return fmt.Errorf("workspaces: admit guest: %w", err)
	}
	now := s.now()
	for _, r := range rows {
		if cur, err := memberOf(tx, r.WorkspaceID, membershipID); err != nil || cur != nil {
			if err != nil {
				return err
			}
			continue
		}
		if err := insertMember(tx, r.WorkspaceID, membershipID, r.Role, r.InvitedBy, now); err != nil {
			return err
		}
		if _, err := audit.Append(ctx, tx, audit.Entry{Action: ActionGuestAdmitted, TargetType: targetType, TargetID: r.WorkspaceID.String(),
			Details: map[string]string{"membership_id": membershipID.String(), "role": string(r.Role), "invitation_id": invitationID.String()}}); err != nil {
			return err
		}
		ws, m := r.WorkspaceID, membershipID
		if err := addActivity(tx, &activityRow{WorkspaceID: ws, Kind: "guest.admitted", ActorID: &m, SubjectID: &m,
			ObjectType: targetType, ObjectID: &ws, CreatedAt: now}); err != nil {
			return err
		}
	}
	return nil
}

// MaxGuestWorkspaces bounds the workspaces one guest invitation names.
const MaxGuestWorkspaces = 200

// PendingGuest is a pending guest invitation into a workspace.
type PendingGuest struct {
	InvitationID   uuid.UUID  `gorm:"column:invitation_id"`
	Email          string     `gorm:"column:email"`
	Role           Role       `gorm:"column:role"`
	InvitedBy      uuid.UUID  `gorm:"column:invited_by"`
	CreatedAt      time.Time  `gorm:"column:created_at"`
	ExpiresAt      time.Time  `gorm:"column:expires_at"`
	GuestExpiresAt time.Time  `gorm:"column:guest_expires_at"`
	OrganisationID *uuid.UUID `gorm:"column:organisation_id"`
}

// PendingGuests lists the workspace's pending guest invitations (owners and admins).
func (s *Service) PendingGuests(ctx context.Context, a tenant.Actor, id uuid.UUID) ([]PendingGuest, error) {
	var out []PendingGuest
	err := s.run(ctx, a, func(tx *db.Tx) error {
		sc, err := loadScope(tx, a, id, false)
		if err != nil {
			return err
		}
		if err := sc.needManage(); err != nil {
			return err
		}
		return tx.Raw(`SELECT i.id AS invitation_id, i.email, iw.role, i.invited_by, i.created_at, i.expires_at,
			gi.expires_at AS guest_expires_at, gi.organisation_id
			FROM invitation_workspaces iw
			JOIN invitations i ON i.tenant_id = iw.tenant_id AND i.id = iw.invitation_id
			JOIN guest_invitations gi ON gi.tenant_id = i.tenant_id AND gi.invitation_id = i.id
			WHERE iw.tenant_id = @tenant AND iw.workspace_id = ? AND i.accepted_at IS NULL AND i.revoked_at IS NULL AND i.expires_at > ?
			ORDER BY i.created_at DESC, i.id LIMIT ?`, id, s.now(), MaxPage).Scan(&out).Error
	})
	return out, err
}

// WithdrawGuest takes the workspace out of a pending guest invitation
// (owners and admins); an invitation that names no workspace any more is
// revoked. An invitation that does not name the workspace is NotFound.
func (s *Service) WithdrawGuest(ctx context.Context, a tenant.Actor, id, invitationID uuid.UUID) error {
	return s.run(ctx, a, func(tx *db.Tx) error {
		sc, err := loadScope(tx, a, id, true)
		if err != nil {
			return err
		}
		if err := sc.needManage(); err != nil {
			return err
		}
		n, err := exec(tx, `DELETE FROM invitation_workspaces WHERE tenant_id = @tenant AND workspace_id = ? AND invitation_id = ?
			AND invitation_id IN (SELECT i.id FROM invitations i WHERE i.tenant_id = @tenant AND i.accepted_at IS NULL AND i.revoked_at IS NULL)`,
			id, invitationID)
		if err != nil {
			return err
		}
		if n == 0 {
			return errNotFound()
		}
		if _, err := exec(tx, `UPDATE invitations SET revoked_at = ? WHERE tenant_id = @tenant AND id = ?
			AND NOT EXISTS (SELECT 1 FROM invitation_workspaces iw WHERE iw.tenant_id = @tenant AND iw.invitation_id = ?)`,
			s.now(), invitationID, invitationID); err != nil {
			return err
		}
		return record(ctx, tx, a, ActionGuestWithdrawn, id, map[string]string{"invitation_id": invitationID.String()})
	})
}
