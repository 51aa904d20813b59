package auth

import (
	"github.com/kollab/kollab/internal/errs"
	"github.com/kollab/kollab/tenant"
)

// Scope bounds what a personal API token may do, whatever its owner may.
// A browser session has no scope: it may do all its account may.
type Scope string

const (
	// ScopeRead may only read: GET and HEAD (and, over WebDAV, OPTIONS and PROPFIND).
	ScopeRead Scope = "read"
	// ScopeWrite may read and write, but never with admin powers.
	ScopeWrite Scope = "write"
	// ScopeAdmin may use the owner's admin role where the owner has it.
	// Only admins get it, and only when they ask for it.
	ScopeAdmin Scope = "admin"
)

// Scopes are the valid scopes, narrowest first.
var Scopes = []Scope{ScopeRead, ScopeWrite, ScopeAdmin}

var errReadOnlyToken = errs.New(errs.Forbidden, errs.M("tenant.auth.api-token-may-only-read", "Dieses API-Token darf nur lesen.", "This API token may only read."))

// PermitsMethod refuses a request method the credential's scope does not
// allow: a read token may only send methods that change nothing. It is the
// one check of a token's write permission, for the API and WebDAV alike.
func (p *Principal) PermitsMethod(method string) error {
	if !p.ViaToken() {
		return nil
	}
	switch p.Scope {
	case ScopeWrite, ScopeAdmin:
		return nil
	}
	// ScopeRead, and anything unknown, reads only.
	switch method {
	case "GET", "HEAD", "OPTIONS", "PROPFIND":
		return nil
	}
	return errReadOnlyToken
}

// MayAdminister reports whether the credential may use its account's admin
// role: a browser session, or a token with the admin scope.
func (p *Principal) MayAdminister() bool { return !p.ViaToken() || p.Scope == ScopeAdmin }

// Tenant returns the principal's membership in the tenant with the given
// slug as this credential may use it, after the checks every tenant request
// passes: a tenant the account is not a member of is NotFound (exactly like
// one that does not exist), a deactivated membership is refused, and so is
// an account that misses the tenant's two-factor policy for its role. A
// token without the admin scope acts as staff where its owner is an admin,
// so that no admin power (admin routes, seeing every folder, …) reaches it;
// the two-factor policy still follows the owner's real role.
func (p *Principal) Tenant(slug string) (*tenant.UserTenant, error) {
	ut, ok := p.Membership(slug)
	if !ok {
		return nil, errs.Plain(errs.NotFound)
	}
	m := &ut.Membership
	switch {
	case !m.Active():
		return nil, errs.Plain(errs.Deactivated)
	case ut.Tenant.Settings.RequiresTOTP(m.Role) && !p.TOTPEnabled:
		return nil, errs.Plain(errs.EnrolmentRequired)
	}
	if m.Role == tenant.RoleAdmin && !p.MayAdminister() {
		acting := *ut
		acting.Membership.Role = tenant.RoleStaff
		return &acting, nil
	}
	return ut, nil
}

// isAdminSomewhere reports whether the account is an active admin of any tenant.
func (p *Principal) isAdminSomewhere() bool {
	for _, t := range p.Tenants {
		if t.Membership.Role == tenant.RoleAdmin && t.Membership.Active() {
			return true
		}
	}
	return false
}
