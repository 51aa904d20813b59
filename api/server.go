// Package api is Kollab's HTTP layer: fiber v2 with huma for typed
// operations and the OpenAPI 3.1 document. Handlers are thin: they turn
// requests into domain calls and domain results into response types.
package api

import (
	"bytes"
	"context"
	"encoding/json"
	"io/fs"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/danielgtaylor/huma/v2"
	"github.com/danielgtaylor/huma/v2/adapters/humafiber"
	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/helmet"
	"github.com/gofiber/fiber/v2/middleware/recover"
	"github.com/gofiber/fiber/v2/middleware/requestid"
	"github.com/kollab/kollab/documents"
	"github.com/kollab/kollab/documents/dav"
	"github.com/kollab/kollab/internal/live"
	"github.com/kollab/kollab/internal/notify"
	"github.com/kollab/kollab/internal/storage"
	"github.com/kollab/kollab/meetings"
	"github.com/kollab/kollab/tasks"
	"github.com/kollab/kollab/tenant"
	"github.com/kollab/kollab/tenant/auth"
	"github.com/kollab/kollab/workspaces"
	"github.com/kollab/kollab/workspaces/consultations"
	"github.com/kollab/kollab/workspaces/contacts"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/valyala/fasthttp"
)

// Config is the HTTP layer's part of the configuration.
type Config struct {
	PublicURL     string
	SecureCookies bool
	TrustProxy    bool
	BodyLimit     int
	// SessionAbsolute is the cookie's lifetime hint; the server enforces the real timeouts.
	SessionAbsolute time.Duration
	// SecretKey is the server's secret key (KOLLAB_SECRET_KEY): CSRF tokens
	// are signed with a key derived from it, so that every instance accepts
	// them (nil: a random key for this process).
	SecretKey []byte
	// SPA is the built web app served at "/" (nil: none).
	SPA fs.FS
}

// Deps are the services the HTTP layer calls.
type Deps struct {
	// Database answers the readiness probe (the API reaches the database
	// only through the domain services).
	Database interface{ Ping(context.Context) error }
	Tenants  *tenant.Service
	Auth     *auth.Service
	// Documents is the document store (folders, documents, permissions, trash).
	Documents *documents.Service
	// Committees is the committee module (meetings, agendas, polls).
	Committees *meetings.Service
	// Workspaces is the workspace module (Arbeitsräume); their folders
	// are the document store's.
	Workspaces *workspaces.Service
	// Contacts is the address book (organisations and contact people).
	Contacts *contacts.Service
	// Consultations is the consultation module (Beteiligungsverfahren);
	// nil: its routes are not served.
	Consultations *consultations.Service
	// Tasks is the task module (package tasks).
	Tasks  *tasks.Service
	Store  storage.Store
	Mailer tenant.Mailer
	Log    *slog.Logger
	// Registry receives the HTTP metrics; nil makes a private one.
	Registry *prometheus.Registry
	// Live carries the committee module's changes to the live event
	// streams (nil: no streams).
	Live *live.Hub
	// Notify is the caller's notifications and preferences (nil: no routes).
	Notify *notify.Service
	// DAV serves /dav/* (WebDAV, documents/dav); nil: not served.
	DAV fiber.Handler
	// OParl adds the OParl API's routes (meetings/oparl); nil: not served.
	OParl interface{ Mount(*fiber.App) }
}

// Server is the HTTP server.
type Server struct {
	cfg     Config
	deps    Deps
	log     *slog.Logger
	app     *fiber.App
	api     huma.API
	metrics *httpMetrics
	// streams counts the open live event streams per login.
	streams streamSlots
	// done is closed by Shutdown: open event streams end.
	done     chan struct{}
	shutdown sync.Once
}

// SessionCookie is the name of the session cookie; CSRFCookie of the CSRF
// cookie whose value goes into the CSRFHeader of every cookie-authenticated write.
const (
	SessionCookie = "kollab_session"
	CSRFCookie    = "kollab_csrf"
	CSRFHeader    = "X-CSRF-Token"
)

// transferTimeout bounds one upload or download.
const transferTimeout = 6 * time.Hour

// isTransfer reports whether a request moves file bytes (revision uploads
// and downloads, WebDAV) or streams events: such requests get long
// deadlines.
func isTransfer(method, uri []byte) bool {
	p := uri
	if i := bytes.IndexByte(p, '?'); i >= 0 {
		p = p[:i]
	}
	if bytes.HasPrefix(p, []byte("/dav/")) || (bytes.HasPrefix(p, []byte("/oparl/")) && bytes.HasSuffix(p, []byte("/download"))) {
		return true
	}
	if !bytes.HasPrefix(p, []byte("/api/v1/t/")) {
		return false
	}
	return bytes.HasSuffix(p, []byte("/content")) || (string(method) == "POST" && bytes.HasSuffix(p, []byte("/files"))) ||
		(string(method) == "POST" && bytes.HasSuffix(p, []byte("/organisations/import"))) || // up to contacts.MaxImportBytes
		(string(method) == "GET" && bytes.HasSuffix(p, []byte("/events"))) // live event streams
}

// New builds the server and registers every route.
func New(cfg Config, deps Deps) *Server {
	installProblems()
	if deps.Log == nil {
		deps.Log = slog.New(slog.DiscardHandler)
	}
	if deps.Registry == nil {
		deps.Registry = prometheus.NewRegistry()
	}
	if cfg.BodyLimit <= 0 {
		cfg.BodyLimit = 1 << 20
	}
	s := &Server{cfg: cfg, deps: deps, log: deps.Log, done: make(chan struct{})}
	s.app = fiber.New(fiberConfig(cfg))
	// File transfers may take far longer than the 60 s that protect every
	// other request from slow clients.
	s.app.Server().HeaderReceived = func(h *fasthttp.RequestHeader) fasthttp.RequestConfig {
		if isTransfer(h.Method(), h.RequestURI()) {
			return fasthttp.RequestConfig{ReadTimeout: transferTimeout, WriteTimeout: transferTimeout}
		}
		return fasthttp.RequestConfig{}
	}
	s.metrics = newHTTPMetrics(deps.Registry)

	s.useMiddleware()
	s.useAPIMiddleware()
	s.mountAPI()
	s.routes()
	return s
}

// fiberConfig is the HTTP server's configuration: limits, timeouts, JSON
// codec and the accepted methods.
func fiberConfig(cfg Config) fiber.Config {
	fcfg := fiber.Config{
		AppName:               "kollab",
		BodyLimit:             cfg.BodyLimit,
		ErrorHandler:          fiberErrorHandler,
		DisableStartupMessage: true,
		ReadTimeout:           60 * time.Second,
		WriteTimeout:          60 * time.Second,
		IdleTimeout:           120 * time.Second,
		// Request headers up to 16 KiB (fasthttp's default is 4 KiB): a
		// directory lookup names up to 200 ids in its query string.
		ReadBufferSize: 16 << 10,
		JSONEncoder:    json.Marshal,
		JSONDecoder:    json.Unmarshal,
		// Uploads stream into object storage instead of being buffered;
		// huma still bounds every JSON body (MaxBodyBytes).
		StreamRequestBody: true,
		// No route takes multipart forms: fasthttp does not parse one ahead
		// of the routes (a broken one would be answered outside the
		// problem format; JSON routes answer 415).
		DisablePreParseMultipartForm: true,
		// WebDAV's verbs, which fiber refuses with 501 unless listed.
		RequestMethods: append(slices.Clone(fiber.DefaultMethods), dav.Methods()...),
	}
	if cfg.TrustProxy {
		fcfg.ProxyHeader = fiber.HeaderXForwardedFor
		fcfg.EnableTrustedProxyCheck = false
	}
	return fcfg
}

// useMiddleware installs what every request passes: body and request id
// hygiene, metrics and logging, panic recovery and the security headers.
func (s *Server) useMiddleware() {
	s.app.Use(finishBody)
	s.app.Use(dropUnsafeRequestID)
	s.app.Use(requestid.New(requestid.Config{Header: fiber.HeaderXRequestID, ContextKey: localRequestID}))
	s.app.Use(s.observe)
	s.app.Use(recover.New(recover.Config{EnableStackTrace: true, StackTraceHandler: func(c *fiber.Ctx, e any) {
		loggerOf(c).Error("panic", "panic", e)
	}}))
	// The web app's documents get the full set of browser security headers;
	// JSON answers under /api get the set OWASP recommends for APIs (apiHeaders).
	s.app.Use(helmet.New(helmet.Config{
		Next: func(c *fiber.Ctx) bool { return strings.HasPrefix(c.Path(), "/api/") },
		ContentSecurityPolicy: "default-src 'self'; img-src 'self' data: blob:; style-src 'self'; script-src 'self'; " +
			"connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'",
		XFrameOptions:             "DENY",
		ReferrerPolicy:            "strict-origin-when-cross-origin",
		HSTSMaxAge:                63072000, // helmet sends HSTS on HTTPS requests only
		CrossOriginEmbedderPolicy: "require-corp",
		CrossOriginOpenerPolicy:   "same-origin",
		CrossOriginResourcePolicy: "same-origin",
		PermissionPolicy:          "camera=(), microphone=(), geolocation=()",
	}))
	s.app.Use("/api", apiHeaders)
}

// useAPIMiddleware installs what every request under /api passes, in order:
// body limit, request text checks, CSRF, principal cache and authentication.
func (s *Server) useAPIMiddleware() {
	// Bodies stream (StreamRequestBody), so fasthttp no longer refuses an
	// oversized one up front: every request that is not a file transfer
	// gets 413 when it announces more than the body limit.
	s.app.Use("/api", func(c *fiber.Ctx) error {
		h := &c.Request().Header
		if h.ContentLength() > s.cfg.BodyLimit && !isTransfer(h.Method(), h.RequestURI()) {
			c.Set(fiber.HeaderConnection, "close")
			return fiber.ErrRequestEntityTooLarge
		}
		return c.Next()
	})
	s.app.Use("/api", checkRequestText)
	// Signed double-submit CSRF tokens (csrf.go): checked without the
	// database, so an outage never turns into "token missing".
	s.app.Use("/api", newCSRFGuard(s.cfg.SecretKey, s.cfg.SecureCookies).middleware)
	// A write may have changed what a cached login stands for (a role, a
	// session, a policy): this instance drops its cached principals after
	// every write, before the answer leaves, so that the writer's next
	// request already sees the change. Other instances learn of it through
	// the database's notifications (auth/cache.go).
	s.app.Use("/api", func(c *fiber.Ctx) error {
		err := c.Next()
		switch c.Method() {
		case fiber.MethodGet, fiber.MethodHead, fiber.MethodOptions:
		default:
			s.deps.Auth.ForgetPrincipals()
		}
		return err
	})
	s.app.Use("/api", s.authenticate)
}

// mountAPI creates the huma API with its OpenAPI configuration on the fiber app.
func (s *Server) mountAPI() {
	hcfg := huma.DefaultConfig("Kollab API", "1.0.0")
	hcfg.OpenAPIPath = "/api/v1/openapi"
	hcfg.DocsPath = ""
	hcfg.SchemasPath = "/api/v1/schemas"
	hcfg.CreateHooks = nil
	hcfg.Formats = jsonFormats()
	hcfg.Transformers = nil
	hcfg.Info.Description = "Kollab: the collaboration platform for public agencies. Tenant-scoped routes live under /api/v1/t/{tenant}. " +
		"Errors are RFC 9457 problems. Cookie-authenticated writes need the X-CSRF-Token header (GET /api/v1/auth/csrf)."
	s.configureOpenAPI(&hcfg)
	s.api = humafiber.New(s.app, hcfg)
}

// App returns the fiber application (for Listen and tests).
func (s *Server) App() *fiber.App { return s.app }

// API returns the huma API (for the OpenAPI document).
func (s *Server) API() huma.API { return s.api }

// Shutdown stops accepting requests and waits for running ones.
func (s *Server) Shutdown(ctx context.Context) error {
	s.shutdown.Do(func() { close(s.done) })
	return s.app.ShutdownWithContext(ctx)
}
