package api

import (
	"time"

	"github.com/google/uuid"
	"github.com/kollab/kollab/tenant"
	"github.com/kollab/kollab/workspaces"
)

// Request and response types of the guest routes (guests_routes.go).

// GuestView is a guest (external partner) as the access review shows it.
type GuestView struct {
	MembershipID     uuid.UUID           `json:"membership_id"`
	Email            string              `json:"email"`
	DisplayName      string              `json:"display_name"`
	State            string              `json:"state" enum:"active,expired,offboarded,deactivated" doc:"expired: the access ran out; offboarded: ended by the sponsor or an administrator; deactivated: by an administrator in the member console"`
	SponsorID        *uuid.UUID          `json:"sponsor_id,omitempty" doc:"Membership id of the staff member who answers for the guest; absent when none"`
	SponsorName      string              `json:"sponsor_name"`
	OrganisationID   *uuid.UUID          `json:"organisation_id,omitempty" doc:"The guest's organisation in the address book"`
	OrganisationName string              `json:"organisation_name"`
	LastSignInAt     *time.Time          `json:"last_sign_in_at,omitempty" doc:"Absent: never signed in"`
	ExpiresAt        time.Time           `json:"expires_at" doc:"The instant the access ends"`
	ExpiresOn        string              `json:"expires_on" doc:"The access's last day (YYYY-MM-DD, Europe/Berlin)"`
	RemindedAt       *time.Time          `json:"reminded_at,omitempty" doc:"When the sponsor was reminded of the expiry"`
	TOTPEnabled      bool                `json:"totp_enabled"`
	Workspaces       []GuestWorkspaceRef `json:"workspaces" nullable:"false"`
	Version          int64               `json:"version"`
}

// GuestWorkspaceRef is a workspace a guest belongs to.
type GuestWorkspaceRef struct {
	ID   uuid.UUID `json:"id"`
	Name string    `json:"name"`
	Role string    `json:"role" enum:"owner,member,reader"`
}

func guestView(g *workspaces.GuestInfo, now time.Time) GuestView {
	v := GuestView{MembershipID: g.MembershipID, Email: g.Email, DisplayName: g.DisplayName, State: g.State(now), SponsorID: g.SponsorID,
		OrganisationID: g.OrganisationID, LastSignInAt: g.LastSignInAt, ExpiresAt: g.ExpiresAt, ExpiresOn: tenant.GuestLastDay(g.ExpiresAt),
		RemindedAt: g.RemindedAt, TOTPEnabled: g.TOTPEnabled, Version: g.Version, Workspaces: make([]GuestWorkspaceRef, len(g.Workspaces))}
	if g.SponsorName != nil {
		v.SponsorName = *g.SponsorName
	}
	if g.OrganisationName != nil {
		v.OrganisationName = *g.OrganisationName
	}
	for i, w := range g.Workspaces {
		v.Workspaces[i] = GuestWorkspaceRef{ID: w.ID, Name: w.Name, Role: string(w.Role)}
	}
	return v
}

type guestOut struct{ Body GuestView }

type guestsOut struct {
	Body struct {
		Guests    []GuestView `json:"guests" nullable:"false"`
		Truncated bool        `json:"truncated" doc:"More guests match than the 1000 listed"`
	}
}

type listGuestsIn struct {
	TenantPath
	Scope string `query:"scope" enum:"all,mine" default:"all" doc:"all: every guest (administrators; others get their own); mine: the guests the caller sponsors"`
	Stale bool   `query:"stale" doc:"Only guests not signed in for 90 days (or never)"`
}

type inviteGuestIn struct {
	TenantIDPath
	Body struct {
		Email          string     `json:"email" maxLength:"254"`
		Role           string     `json:"role" enum:"member,reader" doc:"member writes to the workspace, reader reads"`
		OrganisationID *uuid.UUID `json:"organisation_id,omitempty" doc:"The guest's organisation in the address book"`
		ExpiresOn      string     `json:"expires_on,omitempty" maxLength:"10" doc:"The access's last day (YYYY-MM-DD); default 180 days from today, at most two years"`
	}
}

type inviteGuestOut struct {
	Body struct {
		Outcome string `json:"outcome" enum:"invited,added" doc:"invited: a new invitation (link by mail); added: the address belonged to an active guest, now a member"`
		Email   string `json:"email"`
		// Invitation is the new invitation (outcome invited), with its link.
		Invitation *InvitationView `json:"invitation,omitempty"`
		// InvitationID and InvitationExpiresAt repeat the invitation's id and expiry.
		InvitationID        *uuid.UUID           `json:"invitation_id,omitempty"`
		InvitationExpiresAt *time.Time           `json:"invitation_expires_at,omitempty"`
		Member              *WorkspaceMemberView `json:"member,omitempty" doc:"The new member (outcome added)"`
	}
}

// PendingGuestView is a pending guest invitation into a workspace.
type PendingGuestView struct {
	InvitationID   uuid.UUID  `json:"invitation_id"`
	Email          string     `json:"email"`
	Role           string     `json:"role" enum:"member,reader"`
	InvitedBy      uuid.UUID  `json:"invited_by" doc:"Membership id"`
	CreatedAt      time.Time  `json:"created_at"`
	ExpiresAt      time.Time  `json:"expires_at" doc:"The link's expiry"`
	GuestExpiresOn string     `json:"guest_expires_on" doc:"The last day of the guest's access once accepted"`
	OrganisationID *uuid.UUID `json:"organisation_id,omitempty"`
}

type pendingGuestsOut struct {
	Body struct {
		Invitations []PendingGuestView `json:"invitations" nullable:"false"`
	}
}

type guestInvitationPath struct {
	TenantIDPath
	InvitationID uuid.UUID `path:"invitation" doc:"Invitation id"`
}

type updateGuestIn struct {
	TenantIDPath
	Body struct {
		SponsorID      *uuid.UUID `json:"sponsor_id,omitempty" doc:"Hand the guest to another staff member"`
		OrganisationID *string    `json:"organisation_id,omitempty" doc:"The guest's organisation; an empty string clears it"`
	}
}

type renewGuestIn struct {
	TenantIDPath
	Body struct {
		ExpiresOn string `json:"expires_on,omitempty" maxLength:"10" doc:"The new last day (YYYY-MM-DD); default 180 days from today, at most two years"`
	}
}

type offboardGuestIn struct {
	TenantIDPath
	Body struct{}
}
