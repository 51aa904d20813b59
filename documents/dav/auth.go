package dav

import (
	"errors"
	"net/http"
	"strings"

	"github.com/kollab/kollab/internal/errs"
	"github.com/kollab/kollab/tenant"
	"github.com/kollab/kollab/tenant/auth"
)

// errNoCredentials is a request without (usable) Basic credentials.
var errNoCredentials = errs.New(errs.Unauthenticated, errs.M("dav.sign-in-with-api-token", "Bitte mit Ihrer E-Mail-Adresse und einem persönlichen API-Token als Passwort anmelden.", "Please sign in with your e-mail address and a personal API token as the password."))

// authenticate resolves the Basic credentials: the user name is the
// account's e-mail address (case-insensitive), the password a personal
// API token. Anything that is not an API token (an account password above
// all) is refused without being checked against anything.
//
// Failed attempts are not throttled here: the auth package exposes no
// throttle for tokens (nor does the bearer path of the API), and a token
// carries 256 random bits, so guessing one is hopeless anyway.
func (s *Server) authenticate(r *http.Request) (*auth.Principal, error) {
	user, pass, ok := r.BasicAuth()
	if !ok || !strings.HasPrefix(pass, auth.APITokenPrefix) {
		return nil, errNoCredentials
	}
	p, err := s.deps.Auth.AuthenticateToken(r.Context(), pass)
	if err != nil {
		if errs.Is(err, errs.Unauthenticated) {
			return nil, errNoCredentials
		}
		return nil, err
	}
	if !strings.EqualFold(strings.TrimSpace(user), p.Email) {
		return nil, errNoCredentials
	}
	return p, nil
}

// scope checks the caller's membership of the tenant in the URL and
// returns the request state. A tenant the caller is not a member of
// answers NotFound, exactly like one that does not exist; deactivated
// members and members who miss the tenant's two-factor policy are refused
// as in the JSON API.
func (s *Server) scope(r *http.Request, p *auth.Principal, slug string) (*request, error) {
	// The membership as the token may use it (auth.Principal.Tenant): a
	// token without the admin scope acts as staff.
	ut, err := p.Tenant(slug)
	switch {
	case errs.Is(err, errs.Deactivated):
		return nil, errs.New(errs.Deactivated, errs.Deactivated.Detail())
	case errs.Is(err, errs.EnrolmentRequired):
		return nil, errs.New(errs.EnrolmentRequired, errs.EnrolmentRequired.Detail())
	case err != nil:
		return nil, err
	}
	// A read token may only read (the same check as the API's).
	if err := p.PermitsMethod(r.Method); err != nil {
		return nil, err
	}
	return newRequest(s, tenant.ActorFromMembership(&ut.Membership), s.cfg.Prefix+"/"+ut.Tenant.Slug, ut.Tenant.CreatedAt, r), nil
}

// refuse answers a request that did not get past authentication or the
// tenant check.
func (s *Server) refuse(w *errorWriter, r *http.Request, err error) {
	if errors.Is(err, errNoCredentials) {
		w.Header().Set("WWW-Authenticate", `Basic realm="`+s.cfg.Realm+`", charset="UTF-8"`)
		w.status(http.StatusUnauthorized, errNoCredentials.Detail.DE)
		return
	}
	code, detail := statusOf(err)
	if code == http.StatusInternalServerError {
		s.log.ErrorContext(r.Context(), "webdav: authentication failed", "err", err.Error())
	}
	w.status(code, detail)
}
