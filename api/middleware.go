package api

import (
	"context"
	"log/slog"
	"maps"
	"strconv"
	"strings"
	"time"

	"github.com/danielgtaylor/huma/v2"
	"github.com/danielgtaylor/huma/v2/adapters/humafiber"
	"github.com/gofiber/fiber/v2"
	"github.com/kollab/kollab/internal/audit"
	"github.com/kollab/kollab/internal/errs"
	"github.com/kollab/kollab/tenant"
	"github.com/kollab/kollab/tenant/auth"
	"github.com/prometheus/client_golang/prometheus"
)

// fiber locals (strings copied out of fasthttp's buffers before storing).
const (
	localRequestID = "requestid"
	localLogger    = "kollab.logger"
	localUser      = "kollab.user"
	localTenant    = "kollab.tenant"
)

type ctxKey int

const (
	principalKey ctxKey = iota
	tenantKey
	clientKey
	langKey
	expiredKey
)

type httpMetrics struct {
	requests *prometheus.CounterVec
	duration *prometheus.HistogramVec
}

func newHTTPMetrics(reg *prometheus.Registry) *httpMetrics {
	m := &httpMetrics{
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "kollab_http_requests_total",
			Help: "HTTP requests by method, route and status."}, []string{"method", "route", "status"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "kollab_http_request_duration_seconds",
			Help: "HTTP request latency by method and route.", Buckets: prometheus.DefBuckets}, []string{"method", "route"}),
	}
	reg.MustRegister(m.requests, m.duration)
	return m
}

// observe logs every request as one JSON line with request id, tenant and
// user, records metrics, and puts a request-scoped logger into the context.
func (s *Server) observe(c *fiber.Ctx) error {
	start := time.Now()
	c.Locals(localLogger, s.log)
	err := c.Next()
	if err != nil {
		// Let the error handler write the response now, so the log sees its status.
		if herr := c.App().ErrorHandler(c, err); herr != nil {
			_ = c.SendStatus(fiber.StatusInternalServerError)
		}
	}
	status := c.Response().StatusCode()
	route := c.Route().Path
	if status == fiber.StatusNotFound && route == "/" {
		route = "unmatched"
	}
	method := strings.Clone(c.Method())
	dur := time.Since(start)
	s.metrics.requests.WithLabelValues(method, route, strconv.Itoa(status)).Inc()
	s.metrics.duration.WithLabelValues(method, route).Observe(dur.Seconds())
	attrs := make([]slog.Attr, 0, 10)
	attrs = append(attrs, slog.String("request_id", string(c.Response().Header.Peek(fiber.HeaderXRequestID))),
		slog.String("method", method), slog.String("path", strings.Clone(c.Path())), slog.String("route", route),
		slog.Int("status", status), slog.Float64("duration_ms", float64(dur.Microseconds())/1000),
		slog.String("client_ip", clientIP(c, s.cfg.TrustProxy)))
	if u, ok := c.Locals(localUser).(string); ok {
		attrs = append(attrs, slog.String("user_id", u))
	}
	if t, ok := c.Locals(localTenant).(string); ok {
		attrs = append(attrs, slog.String("tenant", t))
	}
	level := slog.LevelInfo
	if status >= 500 {
		level = slog.LevelError
	}
	s.log.LogAttrs(c.UserContext(), level, "request", attrs...)
	return nil
}

// dropUnsafeRequestID removes a client's X-Request-ID unless it is a short
// token of letters, digits, '-', '_' and '.', so that what ends up in logs and
// the audit log is never arbitrary text; requestid then makes a new one.
func dropUnsafeRequestID(c *fiber.Ctx) error {
	rid := c.Get(fiber.HeaderXRequestID)
	if rid == "" {
		return c.Next()
	}
	ok := len(rid) <= 64
	for i := 0; ok && i < len(rid); i++ {
		b := rid[i]
		ok = b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b >= '0' && b <= '9' || b == '-' || b == '_' || b == '.'
	}
	if !ok {
		c.Request().Header.Del(fiber.HeaderXRequestID)
	}
	return c.Next()
}

// loggerOf is the request's logger, with its request id.
func loggerOf(c *fiber.Ctx) *slog.Logger {
	l, ok := c.Locals(localLogger).(*slog.Logger)
	if !ok {
		l = slog.Default()
	}
	return l.With("request_id", strings.Clone(c.GetRespHeader(fiber.HeaderXRequestID)))
}

func logInternal(c *fiber.Ctx, err error) {
	loggerOf(c).Error("internal error", "err", err.Error(), "path", strings.Clone(c.Path()))
}

// clientIP is the caller's address: the peer's, or behind a reverse proxy
// (KOLLAB_TRUST_PROXY) the last entry of X-Forwarded-For, the one that
// proxy appended. Earlier entries are whatever the client claimed: taking
// them would let a stranger pick the address its failed sign-ins count
// against, the owner's for one.
func clientIP(c *fiber.Ctx, trustProxy bool) string {
	if trustProxy {
		if ips := c.IPs(); len(ips) > 0 {
			return strings.Clone(strings.TrimSpace(ips[len(ips)-1]))
		}
	}
	return strings.Clone(c.IP())
}

// apiHeaders are the security headers of JSON answers: nothing may be
// framed, sniffed, cached or loaded from them; HSTS over HTTPS.
func apiHeaders(c *fiber.Ctx) error {
	h := &c.Response().Header
	h.Set(fiber.HeaderCacheControl, "no-store")
	h.Set(fiber.HeaderContentSecurityPolicy, "default-src 'none'; frame-ancestors 'none'")
	h.Set(fiber.HeaderXContentTypeOptions, "nosniff")
	h.Set(fiber.HeaderXFrameOptions, "DENY")
	h.Set(fiber.HeaderReferrerPolicy, "no-referrer")
	if c.Protocol() == "https" {
		h.Set(fiber.HeaderStrictTransportSecurity, "max-age=63072000; includeSubDomains")
	}
	return c.Next()
}

// skipCSRF exempts requests that carry no cookie credentials: bearer-token
// scripts, and safe requests other than the one that hands out the token.
func skipCSRF(c *fiber.Ctx) bool {
	if strings.HasPrefix(c.Get(fiber.HeaderAuthorization), "Bearer ") && c.Cookies(SessionCookie) == "" {
		return true
	}
	switch c.Method() {
	case fiber.MethodGet, fiber.MethodHead, fiber.MethodOptions:
		return c.Path() != "/api/v1/auth/csrf"
	}
	return false
}

// authenticate resolves the session cookie or bearer token (if any) into a
// principal in the request context. It refuses only what a token's scope
// forbids on any route (a read token's writes); operations say what else
// they require.
func (s *Server) authenticate(c *fiber.Ctx) error {
	ctx := c.UserContext()
	client := auth.Client{IP: clientIP(c, s.cfg.TrustProxy), UserAgent: strings.Clone(c.Get(fiber.HeaderUserAgent))}
	ctx = context.WithValue(ctx, clientKey, client)
	ctx = context.WithValue(ctx, langKey, english(c.Get(fiber.HeaderAcceptLanguage)))
	var (
		p   *auth.Principal
		err error
	)
	if h := c.Get(fiber.HeaderAuthorization); strings.HasPrefix(h, "Bearer ") {
		p, err = s.deps.Auth.AuthenticateToken(ctx, strings.Clone(strings.TrimPrefix(h, "Bearer ")))
		if err != nil {
			if errs.Is(err, errs.Unauthenticated) {
				c.Set(fiber.HeaderWWWAuthenticate, `Bearer realm="kollab"`)
			}
			return err
		}
		// A token's scope bounds the methods it may send, on every route.
		if err := p.PermitsMethod(c.Method()); err != nil {
			return err
		}
	} else if tok := c.Cookies(SessionCookie); tok != "" {
		p, err = s.deps.Auth.Authenticate(ctx, strings.Clone(tok))
		if err != nil && !errs.Is(err, errs.Unauthenticated) && !errs.Is(err, errs.SessionExpired) {
			return err
		}
		if err != nil {
			// A cookie whose session is gone: from the person's view it expired.
			s.clearSessionCookie(c)
			ctx = context.WithValue(ctx, expiredKey, true)
			p = nil
		}
	}
	meta := audit.Meta{ClientIP: client.IP, RequestID: strings.Clone(c.GetRespHeader(fiber.HeaderXRequestID))}
	if p != nil {
		ctx = context.WithValue(ctx, principalKey, p)
		uid := p.UserID
		meta.ActorUserID, meta.ActorLabel = &uid, p.Email
		c.Locals(localUser, p.UserID.String())
	}
	c.SetUserContext(audit.WithMeta(ctx, meta))
	return c.Next()
}

func principalOf(ctx context.Context) *auth.Principal {
	p, _ := ctx.Value(principalKey).(*auth.Principal)
	return p
}

func clientOf(ctx context.Context) auth.Client {
	c, _ := ctx.Value(clientKey).(auth.Client)
	return c
}

func langEN(ctx context.Context) bool {
	en, _ := ctx.Value(langKey).(bool)
	return en
}

// tenantScope is the tenant a request works in and the caller's membership.
type tenantScope struct {
	Tenant     *tenant.Tenant
	Membership *tenant.Membership
}

func scopeOf(ctx context.Context) *tenantScope {
	sc, _ := ctx.Value(tenantKey).(*tenantScope)
	return sc
}

// access is what an operation requires of its caller.
type access int

const (
	public      access = iota // anyone
	pendingMFA                // a session waiting for its second factor
	anyone                    // any session or token, pending or not
	signedIn                  // a full session or an API token
	session                   // a full browser session (credentials are not managed with tokens)
	member                    // an active member of the path's tenant, meeting its 2FA policy
	tenantAdmin               // as member, with the admin role
)

func (s *Server) fail(hctx huma.Context, err error) {
	p, internal := problemFromError(err, langEN(hctx.Context()))
	if internal {
		logInternal(humafiber.Unwrap(hctx), err)
	}
	if err := writeProblem(humafiber.Unwrap(hctx), p); err != nil {
		logInternal(humafiber.Unwrap(hctx), err)
	}
}

// guard returns the huma middleware enforcing acc.
func (s *Server) guard(acc access) func(huma.Context, func(huma.Context)) {
	return func(hctx huma.Context, next func(huma.Context)) {
		ctx := hctx.Context()
		p := principalOf(ctx)
		switch {
		case acc == public:
			next(hctx)
			return
		case p == nil:
			humafiber.Unwrap(hctx).Set(fiber.HeaderWWWAuthenticate, `Bearer realm="kollab"`)
			if expired, _ := ctx.Value(expiredKey).(bool); expired {
				s.fail(hctx, errs.Plain(errs.SessionExpired))
				return
			}
			s.fail(hctx, errs.Plain(errs.Unauthenticated))
			return
		case acc == pendingMFA:
			if !p.MFAPending {
				s.fail(hctx, errs.New(errs.Conflict, errs.M("tenant.auth.sign-already-complete", "Die Anmeldung ist bereits vollständig.", "The sign-in is already complete.")))
				return
			}
			next(hctx)
			return
		case acc == anyone:
			next(hctx)
			return
		case p.MFAPending:
			s.fail(hctx, errs.Plain(errs.SecondFactor))
			return
		case acc == session && p.ViaToken():
			s.fail(hctx, errs.New(errs.Forbidden, errs.M("tenant.auth.only-possible-signed-browser-session", "Diese Aktion ist nur in einer angemeldeten Browser-Sitzung möglich, nicht mit einem API-Token.", "This is only possible in a signed-in browser session, not with an API token.")))
			return
		case acc == signedIn || acc == session:
			next(hctx)
			return
		}
		// The membership as this credential may use it (auth.Principal.Tenant).
		ut, err := p.Tenant(hctx.Param("tenant"))
		if err != nil {
			s.fail(hctx, err)
			return
		}
		t, m := &ut.Tenant, &ut.Membership
		humafiber.Unwrap(hctx).Locals(localTenant, t.Slug)
		if acc == tenantAdmin && m.Role != tenant.RoleAdmin {
			if p.ViaToken() && !p.MayAdminister() {
				s.fail(hctx, errs.New(errs.Forbidden, errs.M("api.api-token-no-admin-rights", "Dieses API-Token hat keine Administrationsrechte (Bereich admin).", "This API token has no admin rights (scope admin).")))
				return
			}
			s.fail(hctx, errs.New(errs.Forbidden, errs.M("api.only-tenant-administrators", "Diese Aktion ist der Administration des Mandanten vorbehalten.", "Only the tenant's administrators may do this.")))
			return
		}
		next(huma.WithValue(hctx, tenantKey, &tenantScope{Tenant: t, Membership: m}))
	}
}

// register adds an operation with its access rule. Its security and its
// problem responses are documented from acc, its method, parameters and
// body (documentOperation); op.Errors declares the further 4xx statuses its
// handler can answer that only the domain knows (409, 410, 423, 429, …),
// each documented as a problem (huma's own 422 and 500 are not added).
func register[I, O any](s *Server, acc access, op huma.Operation, h func(context.Context, *I) (*O, error)) {
	op.Middlewares = append(op.Middlewares, s.guard(acc), s.requireJSON)
	op.Metadata = maps.Clone(op.Metadata)
	if op.Metadata == nil {
		op.Metadata = map[string]any{}
	}
	op.Metadata[metaAccess] = acc
	op.Metadata[metaErrors] = op.Errors
	op.Errors = nil
	huma.Register(s.api, op, h)
}
