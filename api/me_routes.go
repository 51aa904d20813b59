package api

import (
	"context"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"
	"github.com/google/uuid"
	"github.com/kollab/kollab/tenant/auth"
)

type meBody struct{ Body *Me }

type profileIn struct {
	Body struct {
		DisplayName *string `json:"display_name,omitempty" maxLength:"200"`
		Locale      *string `json:"locale,omitempty" enum:"de,en" doc:"Preferred language of the web app and e-mails"`
	}
}

type passwordIn struct {
	Body struct {
		CurrentPassword string `json:"current_password" maxLength:"1024"`
		NewPassword     string `json:"new_password" maxLength:"1024" doc:"At least 12 characters"`
	}
}

type enrolmentOut struct {
	Body struct {
		Secret    string `json:"secret" doc:"Base32 key for manual entry"`
		URI       string `json:"otpauth_uri" doc:"otpauth:// URI"`
		QRCodePNG []byte `json:"qr_code_png" doc:"The URI as a QR code (PNG, base64)"`
	}
}

type codeIn struct {
	Body struct {
		Code string `json:"code" maxLength:"10" doc:"6-digit TOTP code"`
	}
}

type recoveryOut struct {
	Body struct {
		RecoveryCodes []string `json:"recovery_codes" doc:"Shown once: each works a single time"`
	}
}

type idPath struct {
	ID uuid.UUID `path:"id"`
}

type sessionsOut struct {
	Body struct {
		Sessions []SessionView `json:"sessions"`
	}
}

type tokensOut struct {
	Body struct {
		Tokens []TokenView `json:"tokens"`
	}
}

type tokenIn struct {
	Body struct {
		Name      string     `json:"name" maxLength:"100"`
		Scope     string     `json:"scope,omitempty" enum:"read,write,admin" doc:"Omitted: read. admin only for tenant admins"`
		ExpiresAt *time.Time `json:"expires_at,omitempty" doc:"At most one year ahead; omitted: 90 days from now"`
	}
}

type reauthIn struct {
	Body struct {
		Password     string `json:"password" maxLength:"1024"`
		Code         string `json:"code,omitempty" maxLength:"10" doc:"6-digit TOTP code (accounts with a second factor)"`
		RecoveryCode string `json:"recovery_code,omitempty" maxLength:"40" doc:"Instead of code: one of the single-use recovery codes"`
	}
}

type reauthOut struct {
	Body struct {
		ValidUntil time.Time `json:"valid_until" doc:"Until then this session may change its credentials"`
	}
}

type tokenCreatedOut struct {
	Body struct {
		TokenView
		Token string `json:"token" doc:"The secret, shown once"`
	}
}

func (s *Server) meRoutes() {
	s.meProfileRoutes()
	s.meTOTPRoutes()
	s.meAccessRoutes()
}

// meProfileRoutes: one's own profile, re-authentication and password.
func (s *Server) meProfileRoutes() {
	tags := []string{"Profil"}
	register(s, signedIn, huma.Operation{OperationID: "get-me", Method: http.MethodGet, Path: "/api/v1/me", Tags: tags,
		Summary: "The signed-in person and their tenants"},
		func(ctx context.Context, _ *struct{}) (*meBody, error) {
			return &meBody{Body: s.meView(principalOf(ctx))}, nil
		})

	register(s, session, huma.Operation{OperationID: "update-me", Method: http.MethodPatch, Path: "/api/v1/me", Tags: tags,
		Summary: "Change one's own display name or language"},
		func(ctx context.Context, in *profileIn) (*meBody, error) {
			p := principalOf(ctx)
			u, err := s.deps.Tenants.UpdateProfile(ctx, p.UserID, in.Body.DisplayName, in.Body.Locale)
			if err != nil {
				return nil, err
			}
			updated := *p
			updated.DisplayName, updated.Locale = u.DisplayName, u.Locale
			return &meBody{Body: s.meView(&updated)}, nil
		})

	register(s, session, huma.Operation{OperationID: "reauthenticate", Method: http.MethodPost, Path: "/api/v1/me/reauth", Tags: tags,
		Summary: "Confirm this session with password and second factor",
		Description: "Changing the password, re-enrolling TOTP, renewing recovery codes and creating API tokens answer 403 " +
			"reauth-required without such a proof of the same session in the last five minutes."},
		func(ctx context.Context, in *reauthIn) (*reauthOut, error) {
			until, err := s.deps.Auth.Reauthenticate(ctx, principalOf(ctx), in.Body.Password, in.Body.Code, in.Body.RecoveryCode, clientOf(ctx))
			if err != nil {
				return nil, err
			}
			out := &reauthOut{}
			out.Body.ValidUntil = until
			return out, nil
		})

	register(s, session, huma.Operation{OperationID: "change-password", Method: http.MethodPost, Path: "/api/v1/me/password", Tags: tags,
		Summary: "Change the password (ends all other sessions and revokes all API tokens; needs /me/reauth)", DefaultStatus: http.StatusNoContent},
		func(ctx context.Context, in *passwordIn) (*struct{}, error) {
			return nil, s.deps.Auth.ChangePassword(ctx, principalOf(ctx), in.Body.CurrentPassword, in.Body.NewPassword)
		})
}

// meTOTPRoutes: one's own second factor (TOTP) and recovery codes.
func (s *Server) meTOTPRoutes() {
	tags := []string{"Profil"}
	register(s, session, huma.Operation{OperationID: "begin-totp", Method: http.MethodPost, Path: "/api/v1/me/totp", Tags: tags,
		Summary: "Start (re-)enrolling an authenticator app", Description: "The new key takes effect only after /me/totp/confirm, which ends the account's other sessions. " +
			"Replacing an enabled key needs /me/reauth."},
		func(ctx context.Context, _ *struct{}) (*enrolmentOut, error) {
			en, err := s.deps.Auth.BeginEnrolment(ctx, principalOf(ctx))
			if err != nil {
				return nil, err
			}
			out := &enrolmentOut{}
			out.Body.Secret, out.Body.URI, out.Body.QRCodePNG = en.Secret, en.URI, en.QRPNG
			return out, nil
		})

	register(s, session, huma.Operation{OperationID: "confirm-totp", Method: http.MethodPost, Path: "/api/v1/me/totp/confirm", Tags: tags,
		Summary: "Confirm the authenticator app with its first code; returns recovery codes"},
		func(ctx context.Context, in *codeIn) (*recoveryOut, error) {
			codes, err := s.deps.Auth.ConfirmEnrolment(ctx, principalOf(ctx), in.Body.Code)
			if err != nil {
				return nil, err
			}
			out := &recoveryOut{}
			out.Body.RecoveryCodes = codes
			return out, nil
		})

	register(s, session, huma.Operation{OperationID: "regenerate-recovery-codes", Method: http.MethodPost, Path: "/api/v1/me/recovery-codes", Tags: tags,
		Summary: "Replace all recovery codes (needs /me/reauth)"},
		func(ctx context.Context, _ *struct{}) (*recoveryOut, error) {
			codes, err := s.deps.Auth.RegenerateRecoveryCodes(ctx, principalOf(ctx))
			if err != nil {
				return nil, err
			}
			out := &recoveryOut{}
			out.Body.RecoveryCodes = codes
			return out, nil
		})
}

// meAccessRoutes: one's own sessions and API tokens.
func (s *Server) meAccessRoutes() {
	tags := []string{"Profil"}
	register(s, session, huma.Operation{OperationID: "list-sessions", Method: http.MethodGet, Path: "/api/v1/me/sessions", Tags: tags,
		Summary: "Active sessions of the account"},
		func(ctx context.Context, _ *struct{}) (*sessionsOut, error) {
			p := principalOf(ctx)
			ss, err := s.deps.Auth.ListSessions(ctx, p.UserID)
			if err != nil {
				return nil, err
			}
			out := &sessionsOut{}
			out.Body.Sessions = make([]SessionView, len(ss))
			for i, x := range ss {
				out.Body.Sessions[i] = SessionView{ID: x.ID, CreatedAt: x.CreatedAt, LastSeenAt: x.LastSeenAt, ExpiresAt: x.ExpiresAt,
					UserAgent: x.UserAgent, ClientIP: x.ClientIP, Current: x.ID == p.SessionID}
			}
			return out, nil
		})

	register(s, session, huma.Operation{OperationID: "revoke-session", Method: http.MethodDelete, Path: "/api/v1/me/sessions/{id}", Tags: tags,
		Summary: "End one of the account's sessions", DefaultStatus: http.StatusNoContent},
		func(ctx context.Context, in *idPath) (*struct{}, error) {
			return nil, s.deps.Auth.RevokeSession(ctx, principalOf(ctx).UserID, in.ID)
		})

	register(s, session, huma.Operation{OperationID: "list-tokens", Method: http.MethodGet, Path: "/api/v1/me/tokens", Tags: tags,
		Summary: "Personal API tokens"},
		func(ctx context.Context, _ *struct{}) (*tokensOut, error) {
			ts, err := s.deps.Auth.ListTokens(ctx, principalOf(ctx).UserID)
			if err != nil {
				return nil, err
			}
			out := &tokensOut{}
			out.Body.Tokens = make([]TokenView, len(ts))
			for i := range ts {
				out.Body.Tokens[i] = tokenView(&ts[i])
			}
			return out, nil
		})

	register(s, session, huma.Operation{OperationID: "create-token", Method: http.MethodPost, Path: "/api/v1/me/tokens", Tags: tags,
		Summary: "Create a personal API token (the secret is shown once; needs /me/reauth)", DefaultStatus: http.StatusCreated},
		func(ctx context.Context, in *tokenIn) (*tokenCreatedOut, error) {
			tok, t, err := s.deps.Auth.CreateToken(ctx, principalOf(ctx),
				auth.TokenSpec{Name: in.Body.Name, Scope: auth.Scope(in.Body.Scope), ExpiresAt: in.Body.ExpiresAt})
			if err != nil {
				return nil, err
			}
			out := &tokenCreatedOut{}
			out.Body.TokenView, out.Body.Token = tokenView(t), tok
			return out, nil
		})

	register(s, session, huma.Operation{OperationID: "revoke-token", Method: http.MethodDelete, Path: "/api/v1/me/tokens/{id}", Tags: tags,
		Summary: "Revoke a personal API token", DefaultStatus: http.StatusNoContent},
		func(ctx context.Context, in *idPath) (*struct{}, error) {
			return nil, s.deps.Auth.RevokeToken(ctx, principalOf(ctx), in.ID)
		})
}
