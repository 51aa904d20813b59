package api

import (
	"context"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"
	"github.com/google/uuid"
	"github.com/kollab/kollab/internal/errs"
	"github.com/kollab/kollab/tenant"
	"github.com/kollab/kollab/workspaces"
)

// The guest routes: guests (external partners) are invited into a
// workspace by its owners; admins review every guest and sponsors care for
// theirs (renew, hand over, offboard). The rules are in
// workspaces/guests.go and workspaces/guest_lifecycle.go.

func (s *Server) guestRoutes() {
	s.workspaceGuestRoutes()
	s.guestCareRoutes()
}

// workspaceGuestRoutes: inviting guests into a workspace.
func (s *Server) workspaceGuestRoutes() {
	tags := []string{"Gäste"}
	svc := s.deps.Workspaces
	register(s, member, huma.Operation{OperationID: "invite-workspace-guest", Errors: []int{http.StatusConflict}, Method: http.MethodPost,
		Path: tenantBase + "/workspaces/{id}/guests", Tags: tags, DefaultStatus: http.StatusCreated,
		Summary: "Invite a guest (external partner) into the workspace (owners, administrators)",
		Description: "The inviter becomes the guest's sponsor. An address of an active guest is added at once (outcome added); " +
			"any other gets an invitation by mail (outcome invited), which replaces a pending guest invitation of the same address and keeps its workspaces. " +
			"An address of a member who is no guest is refused (409)."},
		func(ctx context.Context, in *inviteGuestIn) (*inviteGuestOut, error) {
			res, err := svc.InviteGuest(ctx, actorOf(ctx), in.ID, workspaces.GuestInput{Email: in.Body.Email, Role: workspaces.Role(in.Body.Role),
				OrganisationID: in.Body.OrganisationID, ExpiresOn: in.Body.ExpiresOn})
			if err != nil {
				return nil, err
			}
			out := &inviteGuestOut{}
			out.Body.Email = res.Email
			if res.Member != nil {
				out.Body.Outcome = "added"
				out.Body.Member = new(workspaceMemberView(res.Member))
				return out, nil
			}
			v := s.sendInvitation(ctx, scopeOf(ctx).Tenant, res.Invitation, res.Token)
			out.Body.Outcome, out.Body.Invitation = "invited", &v
			out.Body.InvitationID, out.Body.InvitationExpiresAt = &res.Invitation.ID, &res.Invitation.ExpiresAt
			return out, nil
		})

	register(s, member, huma.Operation{OperationID: "list-workspace-guest-invitations", Method: http.MethodGet,
		Path: tenantBase + "/workspaces/{id}/guest-invitations", Tags: tags,
		Summary: "The workspace's pending guest invitations (owners, administrators)"},
		func(ctx context.Context, in *TenantIDPath) (*pendingGuestsOut, error) {
			ps, err := svc.PendingGuests(ctx, actorOf(ctx), in.ID)
			if err != nil {
				return nil, err
			}
			out := &pendingGuestsOut{}
			out.Body.Invitations = make([]PendingGuestView, len(ps))
			for i, p := range ps {
				out.Body.Invitations[i] = PendingGuestView{InvitationID: p.InvitationID, Email: p.Email, Role: string(p.Role), InvitedBy: p.InvitedBy,
					CreatedAt: p.CreatedAt, ExpiresAt: p.ExpiresAt, GuestExpiresOn: tenant.GuestLastDay(p.GuestExpiresAt), OrganisationID: p.OrganisationID}
			}
			return out, nil
		})

	register(s, member, huma.Operation{OperationID: "withdraw-workspace-guest-invitation", Method: http.MethodDelete,
		Path: tenantBase + "/workspaces/{id}/guest-invitations/{invitation}", Tags: tags, DefaultStatus: http.StatusNoContent,
		Summary:     "Withdraw the workspace from a pending guest invitation (owners, administrators)",
		Description: "An invitation that names no workspace any more is revoked; its link stops working."},
		func(ctx context.Context, in *guestInvitationPath) (*struct{}, error) {
			return nil, svc.WithdrawGuest(ctx, actorOf(ctx), in.ID, in.InvitationID)
		})
}

// guestCareRoutes: the access review and a guest's care.
func (s *Server) guestCareRoutes() {
	tags := []string{"Gäste"}
	svc := s.deps.Workspaces
	register(s, member, huma.Operation{OperationID: "list-guests", Method: http.MethodGet, Path: tenantBase + "/guests", Tags: tags,
		Summary:     "The access review: guests with sponsor, organisation, last sign-in, expiry and workspaces",
		Description: "Administrators see every guest; staff the guests they sponsor; others 403. At most 1000, by name."},
		func(ctx context.Context, in *listGuestsIn) (*guestsOut, error) {
			gs, truncated, err := svc.ListGuests(ctx, actorOf(ctx), workspaces.GuestFilter{Mine: in.Scope == "mine", Stale: in.Stale})
			if err != nil {
				return nil, err
			}
			out, now := &guestsOut{}, time.Now()
			out.Body.Guests, out.Body.Truncated = make([]GuestView, len(gs)), truncated
			for i := range gs {
				out.Body.Guests[i] = guestView(&gs[i], now)
			}
			return out, nil
		})

	register(s, member, huma.Operation{OperationID: "get-guest", Method: http.MethodGet, Path: tenantBase + "/guests/{id}", Tags: tags,
		Summary: "A guest (administrators and the guest's sponsor)"},
		func(ctx context.Context, in *TenantIDPath) (*guestOut, error) {
			return guestResult(svc.Guest(ctx, actorOf(ctx), in.ID))
		})

	register(s, member, huma.Operation{OperationID: "update-guest", Method: http.MethodPatch, Path: tenantBase + "/guests/{id}", Tags: tags,
		Summary: "Hand a guest to another sponsor or change its organisation (administrators and the sponsor)"},
		func(ctx context.Context, in *updateGuestIn) (*guestOut, error) {
			u := workspaces.GuestUpdate{SponsorID: in.Body.SponsorID}
			if o := in.Body.OrganisationID; o != nil {
				if *o == "" {
					u.ClearOrganisation = true
				} else if id, err := uuid.Parse(*o); err == nil {
					u.OrganisationID = &id
				} else {
					return nil, errs.InvalidField("organisation_id", errs.M("api.guest-organisation-id", "Bitte eine Organisation aus dem Adressbuch wählen.", "Please choose an organisation of the address book."))
				}
			}
			return guestResult(svc.UpdateGuest(ctx, actorOf(ctx), in.ID, u))
		})

	register(s, member, huma.Operation{OperationID: "renew-guest", Method: http.MethodPost, Path: tenantBase + "/guests/{id}/renew", Tags: tags,
		Summary:     "Renew a guest's access (administrators and the sponsor)",
		Description: "Sets the last day (default 180 days from today, at most two years) and restores an expired or offboarded guest."},
		func(ctx context.Context, in *renewGuestIn) (*guestOut, error) {
			return guestResult(svc.RenewGuest(ctx, actorOf(ctx), in.ID, in.Body.ExpiresOn))
		})

	register(s, member, huma.Operation{OperationID: "offboard-guest", Method: http.MethodPost, Path: tenantBase + "/guests/{id}/offboard", Tags: tags,
		Summary:     "End a guest's access (administrators and the sponsor)",
		Description: "Takes the guest out of every workspace and signs them out everywhere; what they wrote stays."},
		func(ctx context.Context, in *offboardGuestIn) (*guestOut, error) {
			return guestResult(svc.OffboardGuest(ctx, actorOf(ctx), in.ID))
		})
}

func guestResult(g *workspaces.GuestInfo, err error) (*guestOut, error) {
	if err != nil {
		return nil, err
	}
	return &guestOut{Body: guestView(g, time.Now())}, nil
}
