package api

import (
	"context"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"
	"github.com/google/uuid"
	"github.com/kollab/kollab/internal/audit"
	"github.com/kollab/kollab/internal/errs"
	"github.com/kollab/kollab/tenant"
)

// TenantPath is the {tenant} path parameter (exported: huma fills embedded structs only when exported).
type TenantPath struct {
	Tenant string `path:"tenant" maxLength:"63" doc:"Tenant slug"`
}

// TenantIDPath adds an object id to TenantPath.
type TenantIDPath struct {
	TenantPath
	ID uuid.UUID `path:"id"`
}

type tenantInfoOut struct {
	Body struct {
		Slug       string       `json:"slug"`
		Name       string       `json:"name"`
		Role       string       `json:"role" doc:"The caller's role"`
		Membership uuid.UUID    `json:"membership_id"`
		Settings   SettingsView `json:"settings"`
	}
}

type membersIn struct {
	TenantPath
	Query  string    `query:"q" maxLength:"200" doc:"Part of e-mail or name"`
	Role   string    `query:"role" enum:"admin,staff,committee,partner,"`
	Status string    `query:"status" enum:"active,deactivated,"`
	Cursor uuid.UUID `query:"cursor" doc:"next_cursor of the previous page"`
	Limit  int       `query:"limit" minimum:"1" maximum:"200" default:"50"`
}

type membersOut struct {
	Body struct {
		Members    []MemberView `json:"members"`
		NextCursor *uuid.UUID   `json:"next_cursor,omitempty"`
		Total      int64        `json:"total" doc:"Members matching the filter, over all pages"`
	}
}

type memberOut struct{ Body MemberView }

type memberPatchIn struct {
	TenantIDPath
	Body struct {
		Role   *string `json:"role,omitempty" enum:"admin,staff,committee,partner"`
		Status *string `json:"status,omitempty" enum:"active,deactivated"`
	}
}

type inviteIn struct {
	TenantPath
	Body struct {
		Email string `json:"email" maxLength:"254"`
		Role  string `json:"role" enum:"admin,staff,committee,partner"`
	}
}

type invitationOut struct{ Body InvitationView }

type invitationsIn struct {
	TenantPath
	Pending bool `query:"pending" doc:"Only invitations that can still be accepted"`
}

type invitationsOut struct {
	Body struct {
		Invitations []InvitationView `json:"invitations"`
	}
}

type settingsOut struct{ Body SettingsView }

type settingsIn struct {
	TenantPath
	Body SettingsView
}

type auditIn struct {
	TenantPath
	Actor  string    `query:"actor" maxLength:"254" doc:"The actor: a user id or an e-mail address"`
	Action string    `query:"action" maxLength:"100" doc:"Exact action, or a prefix ending in a dot (auth.)"`
	From   time.Time `query:"from" doc:"Inclusive lower bound (RFC 3339)"`
	To     time.Time `query:"to" doc:"Exclusive upper bound (RFC 3339)"`
	Cursor int64     `query:"cursor" minimum:"0" doc:"next_cursor of the previous page"`
	Limit  int       `query:"limit" minimum:"1" maximum:"200" default:"50"`
}

type auditOut struct {
	Body struct {
		Entries    []AuditEntry `json:"entries"`
		NextCursor *int64       `json:"next_cursor,omitempty"`
	}
}

type auditCatalogOut struct {
	Body struct {
		Modules []AuditModule `json:"modules" doc:"The modules, in display order"`
		Actions []AuditAction `json:"actions" doc:"Every action the log can contain"`
		Types   []AuditType   `json:"types" doc:"The object types entries name"`
	}
}

type auditVerifyOut struct {
	Body struct {
		OK      bool         `json:"ok"`
		Checked int64        `json:"checked"`
		Broken  *audit.Break `json:"broken,omitempty"`
	}
}

type tokenLookupIn struct {
	TenantPath
	Body struct {
		Token string `json:"token" maxLength:"100"`
	}
}

type invitationInfoOut struct {
	Body struct {
		TenantName    string    `json:"tenant_name"`
		Email         string    `json:"email"`
		Role          string    `json:"role"`
		ExpiresAt     time.Time `json:"expires_at"`
		AccountExists bool      `json:"account_exists" doc:"Accepting needs that account's password (or a session of it)"`
		TOTPRequired  bool      `json:"totp_required"`
	}
}

type acceptIn struct {
	TenantPath
	Body struct {
		Token              string `json:"token" maxLength:"100"`
		DisplayName        string `json:"display_name,omitempty" maxLength:"200"`
		Password           string `json:"password,omitempty" maxLength:"1024"`
		IntoCurrentAccount bool   `json:"into_current_account,omitempty" doc:"Join with the signed-in account instead"`
	}
}

type acceptOut struct {
	Body struct {
		TenantSlug   string `json:"tenant_slug"`
		Email        string `json:"email"`
		Role         string `json:"role"`
		TOTPRequired bool   `json:"totp_required"`
	}
}

func (s *Server) tenantRoutes() {
	s.tenantInfoRoutes()
	s.invitationAcceptRoutes()
}

// tenantInfoRoutes: the tenant and the caller's membership.
func (s *Server) tenantInfoRoutes() {
	tags := []string{"Mandant"}
	register(s, member, huma.Operation{OperationID: "get-tenant", Method: http.MethodGet, Path: "/api/v1/t/{tenant}", Tags: tags,
		Summary: "The tenant and the caller's membership"},
		func(ctx context.Context, _ *TenantPath) (*tenantInfoOut, error) {
			sc := scopeOf(ctx)
			out := &tenantInfoOut{}
			out.Body.Slug, out.Body.Name, out.Body.Role, out.Body.Membership = sc.Tenant.Slug, sc.Tenant.Name, string(sc.Membership.Role), sc.Membership.ID
			out.Body.Settings = settingsView(sc.Tenant.Settings)
			return out, nil
		})
}

// invitationAcceptRoutes: what an invitation link offers, and accepting it.
func (s *Server) invitationAcceptRoutes() {
	register(s, public, huma.Operation{OperationID: "lookup-invitation", Method: http.MethodPost, Path: "/api/v1/t/{tenant}/invitations/lookup",
		Tags: []string{"Einladung"}, Summary: "What an invitation link offers (before accepting)"},
		func(ctx context.Context, in *tokenLookupIn) (*invitationInfoOut, error) {
			t, err := s.deps.Tenants.TenantBySlug(ctx, in.Tenant)
			if err != nil {
				return nil, err
			}
			info, err := s.deps.Tenants.InvitationByToken(ctx, t.ID, in.Body.Token)
			if err != nil {
				return nil, err
			}
			out := &invitationInfoOut{}
			out.Body.TenantName, out.Body.Email, out.Body.Role = t.Name, info.Invitation.Email, string(info.Invitation.Role)
			out.Body.ExpiresAt, out.Body.AccountExists = info.Invitation.ExpiresAt, info.AccountExists
			out.Body.TOTPRequired = t.Settings.RequiresTOTP(info.Invitation.Role)
			return out, nil
		})

	register(s, public, huma.Operation{OperationID: "accept-invitation", Method: http.MethodPost, Path: "/api/v1/t/{tenant}/invitations/accept",
		Tags: []string{"Einladung"}, Summary: "Accept an invitation", DefaultStatus: http.StatusCreated,
		Description: "Creates an account (display_name, password), joins the existing account of the invited address (its password), " +
			"or, with into_current_account, the signed-in account. Only the account whose verified address is the invited one can accept: " +
			"a caller signed in as another address is refused (invitation-other-account). Sign in afterwards as usual."},
		func(ctx context.Context, in *acceptIn) (*acceptOut, error) {
			t, err := s.deps.Tenants.TenantBySlug(ctx, in.Tenant)
			if err != nil {
				return nil, err
			}
			// Whoever is signed in takes part: an invitation never joins, nor
			// is accepted beside, an account of another address.
			var ai tenant.AcceptInput
			if p := principalOf(ctx); p != nil {
				uid := p.UserID
				ai.Caller = &uid
			}
			if in.Body.IntoCurrentAccount {
				p := principalOf(ctx)
				if p == nil || p.MFAPending || p.ViaToken() {
					return nil, errs.New(errs.Unauthenticated, errs.M("tenant.accept-current-account-sign", "Zum Annehmen mit dem aktuellen Konto bitte zuerst anmelden.", "To accept with your current account, please sign in first."))
				}
				ai.IntoCaller = true
			} else {
				ai.DisplayName, ai.Password = in.Body.DisplayName, in.Body.Password
			}
			var (
				u *tenant.User
				m *tenant.Membership
			)
			accept := func() error {
				var err error
				u, m, err = s.deps.Tenants.AcceptInvitation(ctx, t.ID, in.Body.Token, ai)
				return err
			}
			if ai.IntoCaller {
				err = accept()
			} else {
				// Joining an existing account checks its password: throttled
				// like a sign-in, per invited address and client address.
				info, ierr := s.deps.Tenants.InvitationByToken(ctx, t.ID, in.Body.Token)
				if ierr != nil {
					return nil, ierr
				}
				err = s.deps.Auth.GuardPassword(ctx, info.Invitation.Email, clientOf(ctx), accept)
			}
			if err != nil {
				return nil, err
			}
			out := &acceptOut{}
			out.Body.TenantSlug, out.Body.Email, out.Body.Role = t.Slug, u.Email, string(m.Role)
			out.Body.TOTPRequired = t.Settings.RequiresTOTP(m.Role)
			return out, nil
		})
}

func settingsView(st tenant.Settings) SettingsView {
	v := SettingsView{RequireTOTPRoles: make([]string, len(st.RequireTOTPRoles)), Language: st.DefaultLanguage(), FederalState: &st.FederalState,
		OParl: &OParlSettingsView{Public: st.OParl.Public, Website: st.OParl.Website, LegislativeTerms: []LegislativeTermView{}}}
	for i, r := range st.RequireTOTPRoles {
		v.RequireTOTPRoles[i] = string(r)
	}
	for _, lt := range st.OParl.LegislativeTerms {
		v.OParl.LegislativeTerms = append(v.OParl.LegislativeTerms, LegislativeTermView(lt))
	}
	return v
}

func (s *Server) adminRoutes() {
	s.memberAdminRoutes()
	s.invitationAdminRoutes()
	s.settingsAdminRoutes()
	s.auditAdminRoutes()
}

// memberAdminRoutes: members: list, read, change and reset their second factor.
func (s *Server) memberAdminRoutes() {
	tags := []string{"Mandantenverwaltung"}
	register(s, tenantAdmin, huma.Operation{OperationID: "list-members", Method: http.MethodGet, Path: "/api/v1/t/{tenant}/members", Tags: tags,
		Summary: "Members, searchable and filterable, cursor-paginated"},
		func(ctx context.Context, in *membersIn) (*membersOut, error) {
			page, err := s.deps.Tenants.ListMembers(ctx, actorOf(ctx), tenant.MemberFilter{
				Query: in.Query, Role: tenant.Role(in.Role), Status: in.Status, After: in.Cursor, Limit: in.Limit})
			if err != nil {
				return nil, err
			}
			ms, more := page.Members, page.More
			out := &membersOut{}
			out.Body.Total = page.Total
			out.Body.Members = make([]MemberView, len(ms))
			for i := range ms {
				out.Body.Members[i] = memberView(&ms[i])
			}
			if more {
				last := ms[len(ms)-1].ID
				out.Body.NextCursor = &last
			}
			return out, nil
		})

	register(s, tenantAdmin, huma.Operation{OperationID: "get-member", Method: http.MethodGet, Path: "/api/v1/t/{tenant}/members/{id}", Tags: tags,
		Summary: "One member"},
		func(ctx context.Context, in *TenantIDPath) (*memberOut, error) {
			m, err := s.deps.Tenants.Member(ctx, actorOf(ctx), in.ID)
			if err != nil {
				return nil, err
			}
			return &memberOut{Body: memberView(m)}, nil
		})

	register(s, tenantAdmin, huma.Operation{OperationID: "update-member", Method: http.MethodPatch, Path: "/api/v1/t/{tenant}/members/{id}", Tags: tags,
		Summary: "Change a member's role or (de)activate them"},
		func(ctx context.Context, in *memberPatchIn) (*memberOut, error) {
			var u tenant.MemberUpdate
			if in.Body.Role != nil {
				r := tenant.Role(*in.Body.Role)
				u.Role = &r
			}
			if in.Body.Status != nil {
				active := *in.Body.Status == tenant.StatusActive
				u.Active = &active
			}
			m, err := s.deps.Tenants.UpdateMember(ctx, actorOf(ctx), in.ID, u)
			if err != nil {
				return nil, err
			}
			return &memberOut{Body: memberView(m)}, nil
		})

	register(s, tenantAdmin, huma.Operation{OperationID: "reset-member-totp", Method: http.MethodPost, Path: "/api/v1/t/{tenant}/members/{id}/totp-reset",
		Tags: tags, Summary: "Reset a member's second factor (they enrol again at next sign-in)", DefaultStatus: http.StatusNoContent},
		func(ctx context.Context, in *TenantIDPath) (*struct{}, error) {
			return nil, s.deps.Auth.ResetTOTP(ctx, actorOf(ctx), in.ID)
		})
}

// invitationAdminRoutes: invitations: list, send, resend and revoke.
func (s *Server) invitationAdminRoutes() {
	tags := []string{"Mandantenverwaltung"}
	register(s, tenantAdmin, huma.Operation{OperationID: "list-invitations", Method: http.MethodGet, Path: "/api/v1/t/{tenant}/invitations", Tags: tags,
		Summary: "Invitations, newest first"},
		func(ctx context.Context, in *invitationsIn) (*invitationsOut, error) {
			invs, err := s.deps.Tenants.ListInvitations(ctx, actorOf(ctx), in.Pending)
			if err != nil {
				return nil, err
			}
			out := &invitationsOut{}
			now := time.Now().UTC()
			out.Body.Invitations = make([]InvitationView, len(invs))
			for i := range invs {
				out.Body.Invitations[i] = invitationView(&invs[i], now)
			}
			return out, nil
		})

	register(s, tenantAdmin, huma.Operation{OperationID: "invite-member", Method: http.MethodPost, Path: "/api/v1/t/{tenant}/invitations", Tags: tags,
		Summary: "Invite someone by e-mail", DefaultStatus: http.StatusCreated},
		func(ctx context.Context, in *inviteIn) (*invitationOut, error) {
			sc := scopeOf(ctx)
			inv, tok, err := s.deps.Tenants.Invite(ctx, actorOf(ctx), in.Body.Email, tenant.Role(in.Body.Role))
			if err != nil {
				return nil, err
			}
			return &invitationOut{Body: s.sendInvitation(ctx, sc.Tenant, inv, tok)}, nil
		})

	register(s, tenantAdmin, huma.Operation{OperationID: "resend-invitation", Method: http.MethodPost, Path: "/api/v1/t/{tenant}/invitations/{id}/resend",
		Tags: tags, Summary: "Send a new link (the old one stops working)"},
		func(ctx context.Context, in *TenantIDPath) (*invitationOut, error) {
			sc := scopeOf(ctx)
			inv, tok, err := s.deps.Tenants.ResendInvitation(ctx, actorOf(ctx), in.ID)
			if err != nil {
				return nil, err
			}
			return &invitationOut{Body: s.sendInvitation(ctx, sc.Tenant, inv, tok)}, nil
		})

	register(s, tenantAdmin, huma.Operation{OperationID: "revoke-invitation", Method: http.MethodDelete, Path: "/api/v1/t/{tenant}/invitations/{id}",
		Tags: tags, Summary: "Withdraw a pending invitation", DefaultStatus: http.StatusNoContent},
		func(ctx context.Context, in *TenantIDPath) (*struct{}, error) {
			return nil, s.deps.Tenants.RevokeInvitation(ctx, actorOf(ctx), in.ID)
		})
}

// settingsAdminRoutes: the tenant's settings.
func (s *Server) settingsAdminRoutes() {
	tags := []string{"Mandantenverwaltung"}
	register(s, tenantAdmin, huma.Operation{OperationID: "get-settings", Method: http.MethodGet, Path: "/api/v1/t/{tenant}/settings", Tags: tags,
		Summary: "Tenant policies"},
		func(ctx context.Context, _ *TenantPath) (*settingsOut, error) {
			return &settingsOut{Body: settingsView(scopeOf(ctx).Tenant.Settings)}, nil
		})

	register(s, tenantAdmin, huma.Operation{OperationID: "update-settings", Method: http.MethodPut, Path: "/api/v1/t/{tenant}/settings", Tags: tags,
		Summary: "Set tenant policies (2FA-required roles; OParl publication, language and federal state, unchanged when omitted)"},
		func(ctx context.Context, in *settingsIn) (*settingsOut, error) {
			// Start from the stored settings (not the request's possibly
			// cached copy): what the request leaves out stays.
			cur, err := s.deps.Tenants.TenantByID(ctx, scopeOf(ctx).Tenant.ID)
			if err != nil {
				return nil, err
			}
			st := cur.Settings
			st.RequireTOTPRoles = make([]tenant.Role, 0, len(in.Body.RequireTOTPRoles))
			for _, r := range in.Body.RequireTOTPRoles {
				st.RequireTOTPRoles = append(st.RequireTOTPRoles, tenant.Role(r))
			}
			if in.Body.Language != "" {
				st.Language = in.Body.Language
			}
			if in.Body.FederalState != nil {
				st.FederalState = *in.Body.FederalState
			}
			if o := in.Body.OParl; o != nil {
				st.OParl = tenant.OParlSettings{Public: o.Public, Website: o.Website}
				for _, lt := range o.LegislativeTerms {
					st.OParl.LegislativeTerms = append(st.OParl.LegislativeTerms, tenant.LegislativeTerm(lt))
				}
			}
			t, err := s.deps.Tenants.UpdateSettings(ctx, actorOf(ctx), st)
			if err != nil {
				return nil, err
			}
			return &settingsOut{Body: settingsView(t.Settings)}, nil
		})
}

// auditAdminRoutes: the audit log, its catalogue and its verification.
func (s *Server) auditAdminRoutes() {
	tags := []string{"Mandantenverwaltung"}
	register(s, tenantAdmin, huma.Operation{OperationID: "list-audit", Method: http.MethodGet, Path: "/api/v1/t/{tenant}/audit", Tags: tags,
		Summary: "Audit log, newest first, each entry with its chain verification"},
		func(ctx context.Context, in *auditIn) (*auditOut, error) {
			f := audit.Filter{Action: in.Action, From: in.From, To: in.To, BeforeSeq: in.Cursor, Limit: in.Limit}
			if id, err := uuid.Parse(in.Actor); err == nil {
				f.ActorUserID = &id
			} else if in.Actor != "" {
				f.ActorLabel = in.Actor
			}
			page, err := s.deps.Tenants.AuditLog(ctx, actorOf(ctx), f)
			if err != nil {
				return nil, err
			}
			evs, names := page.Entries, page.Names
			out := &auditOut{}
			out.Body.Entries = make([]AuditEntry, len(evs))
			for i := range evs {
				out.Body.Entries[i] = auditEntry(&evs[i], names[i])
			}
			if len(evs) == in.Limit && evs[len(evs)-1].Seq > 1 {
				next := evs[len(evs)-1].Seq
				out.Body.NextCursor = &next
			}
			return out, nil
		})

	register(s, tenantAdmin, huma.Operation{OperationID: "audit-catalog", Method: http.MethodGet, Path: "/api/v1/t/{tenant}/audit/actions", Tags: tags,
		Summary: "What the audit log can contain: modules, actions and object types with German and English labels"},
		func(ctx context.Context, _ *TenantPath) (*auditCatalogOut, error) {
			out := &auditCatalogOut{}
			for _, m := range audit.Modules() {
				out.Body.Modules = append(out.Body.Modules, AuditModule{Key: m.Key, Label: AuditLabel(m.Label)})
			}
			for _, a := range audit.Actions() {
				out.Body.Actions = append(out.Body.Actions, AuditAction{Key: a.Key, Module: a.Module(), Label: AuditLabel(a.Label)})
			}
			for _, t := range audit.Types() {
				out.Body.Types = append(out.Body.Types, AuditType{Key: t.Key, Label: AuditLabel(t.Label)})
			}
			return out, nil
		})

	register(s, tenantAdmin, huma.Operation{OperationID: "verify-audit", Method: http.MethodGet, Path: "/api/v1/t/{tenant}/audit/verify", Tags: tags,
		Summary: "Verify the whole hash chain of the tenant's audit log"},
		func(ctx context.Context, _ *TenantPath) (*auditVerifyOut, error) {
			rep, err := s.deps.Tenants.VerifyAudit(ctx, actorOf(ctx))
			if err != nil {
				return nil, err
			}
			out := &auditVerifyOut{}
			out.Body.OK, out.Body.Checked, out.Body.Broken = rep.OK(), rep.Checked, rep.Broken
			return out, nil
		})
}

// sendInvitation mails the link and returns the view with the link in it,
// so that an admin can also hand it over another way.
func (s *Server) sendInvitation(ctx context.Context, t *tenant.Tenant, inv *tenant.Invitation, token string) InvitationView {
	v := invitationView(inv, time.Now().UTC())
	v.AcceptURL = tenant.AcceptURL(s.cfg.PublicURL, t.Slug, token)
	sent, configured := false, s.mailConfigured()
	if s.deps.Mailer != nil {
		p := principalOf(ctx)
		err := s.deps.Mailer.SendInvitation(ctx, tenant.InvitationMail{To: inv.Email, TenantSlug: t.Slug, TenantName: t.Name,
			Inviter: p.DisplayName, Role: inv.Role, Token: token, ExpiresAt: inv.ExpiresAt, Locale: s.deps.Tenants.MailLanguage(ctx, t, inv.Email)})
		if err != nil {
			s.log.ErrorContext(ctx, "invitation mail failed", "err", err, "invitation_id", inv.ID)
		}
		sent = err == nil && configured
	}
	v.MailSent, v.MailConfigured = &sent, &configured
	return v
}

// mailConfigured reports whether mails really leave: a mailer is set and it
// is not one that only logs (internal/mail's LogMailer, without KOLLAB_SMTP_URL).
func (s *Server) mailConfigured() bool {
	if s.deps.Mailer == nil {
		return false
	}
	if d, ok := s.deps.Mailer.(interface{ Configured() bool }); ok {
		return d.Configured()
	}
	return true
}
