package api

import (
	"context"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"
	"github.com/gofiber/fiber/v2"
	"github.com/kollab/kollab/internal/errs"
	"github.com/kollab/kollab/tenant/auth"
)

const csrfContextKey = "kollab.csrf"

type csrfOut struct {
	Body struct {
		Token  string `json:"csrf_token" doc:"Send this value in the X-CSRF-Token header of every cookie-authenticated write"`
		Header string `json:"header"`
	}
}

type loginIn struct {
	Body struct {
		Email    string `json:"email" maxLength:"254" doc:"E-mail address of the account"`
		Password string `json:"password" maxLength:"1024"`
	}
}

type loginOut struct {
	SetCookie http.Cookie `header:"Set-Cookie"`
	Body      struct {
		SecondFactorRequired bool `json:"second_factor_required" doc:"Send the TOTP or a recovery code to /auth/second-factor next"`
		Me                   *Me  `json:"me,omitempty"`
	}
}

type secondFactorIn struct {
	Body struct {
		Code         string `json:"code,omitempty" maxLength:"10" doc:"6-digit TOTP code"`
		RecoveryCode string `json:"recovery_code,omitempty" maxLength:"40" doc:"One of the single-use recovery codes"`
	}
}

type meOut struct {
	SetCookie http.Cookie `header:"Set-Cookie"`
	Body      *Me
}

type logoutOut struct {
	SetCookie http.Cookie `header:"Set-Cookie"`
}

func (s *Server) authRoutes() {
	tags := []string{"Anmeldung"}
	register(s, public, huma.Operation{OperationID: "get-csrf", Method: http.MethodGet, Path: "/api/v1/auth/csrf", Tags: tags,
		Summary: "CSRF token for cookie-authenticated writes"},
		func(ctx context.Context, _ *struct{}) (*csrfOut, error) {
			out := &csrfOut{}
			out.Body.Token, _ = ctx.Value(csrfContextKey).(string)
			out.Body.Header = CSRFHeader
			return out, nil
		})

	register(s, public, huma.Operation{OperationID: "login", Method: http.MethodPost, Path: "/api/v1/auth/login", Tags: tags,
		Summary: "Sign in with e-mail and password", Description: "Opens a session. With TOTP enrolled the session must be completed at /auth/second-factor."},
		func(ctx context.Context, in *loginIn) (*loginOut, error) {
			res, err := s.deps.Auth.Login(ctx, in.Body.Email, in.Body.Password, clientOf(ctx))
			if err != nil {
				return nil, err
			}
			out := &loginOut{SetCookie: s.sessionCookie(res.Token, res.Session.ExpiresAt)}
			out.Body.SecondFactorRequired = res.SecondFactorRequired
			if !res.SecondFactorRequired {
				full, err := s.deps.Auth.Authenticate(ctx, res.Token)
				if err != nil {
					return nil, err
				}
				out.Body.Me = s.meView(full)
			}
			return out, nil
		})

	register(s, pendingMFA, huma.Operation{OperationID: "second-factor", Method: http.MethodPost, Path: "/api/v1/auth/second-factor", Tags: tags,
		Summary: "Complete sign-in with a TOTP code or a recovery code"},
		func(ctx context.Context, in *secondFactorIn) (*meOut, error) {
			if (in.Body.Code == "") == (in.Body.RecoveryCode == "") {
				return nil, errs.InvalidField("code", errs.M("tenant.auth.enter-either-code-recovery-code", "Bitte entweder einen Code oder einen Wiederherstellungscode angeben.", "Please enter either a code or a recovery code."))
			}
			p := principalOf(ctx)
			tok, err := s.deps.Auth.SecondFactor(ctx, p, in.Body.Code, in.Body.RecoveryCode, clientOf(ctx))
			if err != nil {
				return nil, err
			}
			full, err := s.deps.Auth.Authenticate(ctx, tok)
			if err != nil {
				return nil, err
			}
			me := s.meView(full)
			return &meOut{SetCookie: s.sessionCookie(tok, time.Now().Add(s.cfg.SessionAbsolute)), Body: me}, nil
		})

	register(s, anyone, huma.Operation{OperationID: "logout", Method: http.MethodPost, Path: "/api/v1/auth/logout", Tags: tags,
		Summary: "Sign out (ends this session)", DefaultStatus: http.StatusNoContent},
		func(ctx context.Context, _ *struct{}) (*logoutOut, error) {
			if err := s.deps.Auth.Logout(ctx, principalOf(ctx)); err != nil {
				return nil, err
			}
			return &logoutOut{SetCookie: s.sessionCookie("", time.Unix(0, 0))}, nil
		})
}

func (s *Server) sessionCookie(token string, expires time.Time) http.Cookie {
	c := http.Cookie{Name: SessionCookie, Value: token, Path: "/", HttpOnly: true, Secure: s.cfg.SecureCookies,
		SameSite: http.SameSiteLaxMode, Expires: expires.UTC()}
	if token == "" {
		c.MaxAge = -1
	}
	return c
}

// meView builds the Me view for a principal (as loaded with its memberships).
func (s *Server) meView(p *auth.Principal) *Me {
	me := &Me{MailConfigured: s.mailConfigured(), ID: p.UserID, Email: p.Email, DisplayName: p.DisplayName, Locale: p.Locale, TOTPEnabled: p.TOTPEnabled,
		RecoveryCodesLeft: p.RecoveryCodesLeft, Tenants: make([]TenantRef, 0, len(p.Tenants))}
	for _, t := range p.Tenants {
		req := t.Tenant.Settings.RequiresTOTP(t.Membership.Role)
		me.Tenants = append(me.Tenants, TenantRef{Slug: t.Tenant.Slug, Name: t.Tenant.Name, Role: string(t.Membership.Role),
			Status: t.Membership.Status, TOTPRequired: req, Usable: t.Membership.Active() && (!req || p.TOTPEnabled)})
	}
	return me
}

// clearSessionCookie drops a cookie whose session has ended.
func (s *Server) clearSessionCookie(c *fiber.Ctx) {
	c.Cookie(&fiber.Cookie{Name: SessionCookie, Value: "", Path: "/", HTTPOnly: true, Secure: s.cfg.SecureCookies,
		SameSite: fiber.CookieSameSiteLaxMode, Expires: time.Unix(0, 0), MaxAge: -1})
}
