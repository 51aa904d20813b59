package api

import (
	"context"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"
	"github.com/google/uuid"
	"github.com/kollab/kollab/tenant/auth"
)

// TenantTokenView is a member's API token as the tenant's admins see it.
type TenantTokenView struct {
	ID           uuid.UUID  `json:"id"`
	Name         string     `json:"name"`
	Scope        string     `json:"scope" enum:"read,write,admin"`
	CreatedAt    time.Time  `json:"created_at"`
	ExpiresAt    time.Time  `json:"expires_at"`
	LastUsedAt   *time.Time `json:"last_used_at,omitempty"`
	MembershipID uuid.UUID  `json:"membership_id" doc:"The owner's membership in this tenant"`
	OwnerEmail   string     `json:"owner_email"`
	OwnerName    string     `json:"owner_name"`
}

type tenantTokensIn struct {
	TenantPath
	Cursor uuid.UUID `query:"cursor" doc:"next_cursor of the previous page"`
	Limit  int       `query:"limit" minimum:"1" maximum:"200" default:"50"`
}

type tenantTokensOut struct {
	Body struct {
		Tokens     []TenantTokenView `json:"tokens"`
		NextCursor *uuid.UUID        `json:"next_cursor,omitempty"`
	}
}

// tokenAdminRoutes: the tenant's admins see their members' API tokens
// (never a secret) and revoke them.
func (s *Server) tokenAdminRoutes() {
	tags := []string{"Administration"}
	register(s, tenantAdmin, huma.Operation{OperationID: "list-tenant-tokens", Method: http.MethodGet, Path: "/api/v1/t/{tenant}/tokens", Tags: tags,
		Summary: "The members' personal API tokens, newest first"},
		func(ctx context.Context, in *tenantTokensIn) (*tenantTokensOut, error) {
			ts, next, err := s.deps.Auth.ListTenantTokens(ctx, scopeOf(ctx).Tenant.ID, in.Cursor, in.Limit)
			if err != nil {
				return nil, err
			}
			out := &tenantTokensOut{}
			out.Body.Tokens = make([]TenantTokenView, len(ts))
			for i, t := range ts {
				out.Body.Tokens[i] = tenantTokenView(&t)
			}
			if next != uuid.Nil {
				out.Body.NextCursor = &next
			}
			return out, nil
		})

	register(s, tenantAdmin, huma.Operation{OperationID: "revoke-tenant-token", Method: http.MethodDelete, Path: "/api/v1/t/{tenant}/tokens/{id}", Tags: tags,
		Summary: "Revoke a member's personal API token", DefaultStatus: http.StatusNoContent},
		func(ctx context.Context, in *TenantIDPath) (*struct{}, error) {
			return nil, s.deps.Auth.RevokeTenantToken(ctx, scopeOf(ctx).Tenant.ID, in.ID)
		})
}

func tenantTokenView(t *auth.TenantToken) TenantTokenView {
	return TenantTokenView{ID: t.ID, Name: t.Name, Scope: string(t.Scope), CreatedAt: t.CreatedAt, ExpiresAt: t.ExpiresAt,
		LastUsedAt: t.LastUsedAt, MembershipID: t.MembershipID, OwnerEmail: t.OwnerEmail, OwnerName: t.OwnerName}
}
