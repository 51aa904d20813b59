// Package dav serves each tenant's document folders over WebDAV (RFC 4918,
// classes 1 and 2) at /dav/{tenant}/, so that documents open directly from
// Windows Explorer (Mini-Redirector), macOS Finder, LibreOffice, MS Office,
// davfs2 and rclone. docs/webdav.md describes it for operators and users.
//
// The tree: /dav/{tenant}/ lists the root folders the caller can read; a
// folder's WebDAV name is its name, a document's its file name (with its
// extension; the title is what the web app shows). Names compare in NFC
// and case-insensitively, and a name a client gives a new resource must be
// one Windows can use (400 otherwise). Every path segment is resolved
// through documents.Service, so permissions are the domain's: what the
// caller cannot read answers 404 exactly like what does not exist, and an
// object of another tenant is never reachable because every call runs as
// the caller's membership of the tenant in the URL. Helper files of
// operating systems (.DS_Store, Thumbs.db, ~$…) live apart (osfiles.go).
//
// Method mapping: PROPFIND (depth 0 and 1; infinity answers 403
// propfind-finite-depth), GET/HEAD with Range, ETag and Last-Modified
// (streamed from the revision), PUT (every PUT is a new revision; a PUT to
// a new name creates the document; the body streams into the revision with
// its Content-Length, a chunked body is first spooled to a bounded
// temporary file), MKCOL, MOVE, COPY, DELETE (to the trash, never purged),
// LOCK/UNLOCK (exclusive and shared write locks in the dav_locks table, so
// they hold across instances; an exclusive lock on a document also checks
// it out in the domain), PROPPATCH (dead properties, stored in
// dav_properties) and OPTIONS (DAV: 1, 2; MS-Author-Via: DAV). Live
// properties besides x/net/webdav's: creationdate, lockdiscovery,
// supportedlock, and RFC 4331's quota properties on collections.
//
// Authentication is HTTP Basic: the user name is the account's e-mail
// address, the password a personal API token (klt_…). The account password
// is never accepted here (the second factor cannot be typed into a WebDAV
// client). The token's user must be an active member of the tenant and
// meet the tenant's two-factor policy, as for the JSON API.
//
// The XML protocol work (multistatus, PROPPATCH bodies, If headers of
// writes) is done by golang.org/x/net/webdav over this package's
// FileSystem and LockSystem; GET/HEAD and LOCK are served here, and the
// error statuses of the x/net/webdav handler are corrected from the
// domain's typed errors.
package dav

import (
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/kollab/kollab/documents"
	"github.com/kollab/kollab/internal/audit"
	"github.com/kollab/kollab/internal/db"
	"github.com/kollab/kollab/internal/input"
	"github.com/kollab/kollab/tenant/auth"
	"golang.org/x/net/webdav"
)

// Config tunes the WebDAV server. Zero values take the defaults.
type Config struct {
	// Prefix is the URL path the server is mounted at (default "/dav").
	Prefix string
	// Realm names the service in the Basic challenge (default "Kollab").
	Realm string
	// DefaultLockTimeout is a LOCK's lifetime when the client asks for none
	// or for an infinite one (default 1 hour); MaxLockTimeout caps what a
	// client may ask for (default 1 hour). Clients refresh their locks.
	DefaultLockTimeout time.Duration
	MaxLockTimeout     time.Duration
	// MaxUploadBytes bounds one PUT (default 10 GiB); the tenant's quota
	// applies on top.
	MaxUploadBytes int64
	// SpoolDir holds chunked PUT bodies (no Content-Length) until their
	// size is known (default: the system's temporary folder).
	SpoolDir string
	// MaxXMLBytes bounds the XML bodies of PROPFIND, PROPPATCH and LOCK
	// (default 1 MiB).
	MaxXMLBytes int64
	// TrustProxy takes the client address from X-Forwarded-For.
	TrustProxy bool
	// Now is the clock of the WebDAV locks (default db.Now).
	Now func() time.Time
	// Log receives request errors (default: discarded).
	Log *slog.Logger
}

// Deps are the services the WebDAV server calls.
type Deps struct {
	// DB holds the dav_locks table.
	DB *db.DB
	// Auth resolves personal API tokens.
	Auth *auth.Service
	// Documents is the document store that every operation goes through.
	Documents *documents.Service
}

// Server is the WebDAV server. It is an http.Handler; Fiber adapts it to a
// fiber route with streaming bodies.
type Server struct {
	cfg  Config
	deps Deps
	log  *slog.Logger
}

// New returns a WebDAV server.
func New(cfg Config, deps Deps) *Server {
	if cfg.Prefix == "" {
		cfg.Prefix = "/dav"
	}
	cfg.Prefix = "/" + strings.Trim(cfg.Prefix, "/")
	if cfg.Realm == "" {
		cfg.Realm = "Kollab"
	}
	if cfg.DefaultLockTimeout <= 0 {
		cfg.DefaultLockTimeout = time.Hour
	}
	if cfg.MaxLockTimeout <= 0 {
		cfg.MaxLockTimeout = time.Hour
	}
	cfg.DefaultLockTimeout = min(cfg.DefaultLockTimeout, cfg.MaxLockTimeout)
	if cfg.MaxUploadBytes <= 0 {
		cfg.MaxUploadBytes = 10 << 30
	}
	if cfg.MaxXMLBytes <= 0 {
		cfg.MaxXMLBytes = 1 << 20
	}
	if cfg.Now == nil {
		cfg.Now = db.Now
	}
	log := cfg.Log
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Server{cfg: cfg, deps: deps, log: log}
}

// now is the lock clock in the database's precision.
func (s *Server) now() time.Time { return s.cfg.Now().UTC().Truncate(time.Microsecond) }

// Methods returns the WebDAV methods besides GET, HEAD, PUT, DELETE and
// OPTIONS. A fiber app must add them to fiber.Config.RequestMethods, or
// fiber answers them 501 before any route.
func Methods() []string {
	return []string{"PROPFIND", "PROPPATCH", "MKCOL", "COPY", "MOVE", "LOCK", "UNLOCK"}
}

// allowed is the Allow header of a 405.
const allowed = "OPTIONS, GET, HEAD, PUT, DELETE, PROPFIND, PROPPATCH, MKCOL, COPY, MOVE, LOCK, UNLOCK"

// ServeHTTP serves one WebDAV request.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	ew := &errorWriter{ResponseWriter: w}
	if !normalizePaths(r) {
		ew.status(http.StatusBadRequest, "Der Pfad enthält ein unzulässiges Zeichen (ein Steuerzeichen oder ungültiges UTF-8).")
		return
	}
	p, err := s.authenticate(r)
	if err != nil {
		s.refuse(ew, r, err)
		return
	}
	slug, rest, ok := s.split(r.URL.Path)
	if !ok {
		ew.status(http.StatusNotFound, "")
		return
	}
	rq, err := s.scope(r, p, slug)
	if err != nil {
		s.refuse(ew, r, err)
		return
	}
	ew.rq = rq
	ctx := audit.WithMeta(r.Context(), audit.Meta{ActorUserID: &rq.actor.UserID, ActorLabel: p.Email,
		ClientIP: s.clientIP(r), RequestID: requestID(r)})
	rq.ctx = ctx
	r = r.WithContext(ctx)
	rq.serve(ew, r, rest)
}

// normalizePaths applies the input rules to the request's path and to a
// COPY's or MOVE's Destination: no control characters, valid UTF-8, and
// Unicode NFC, the form names are stored in, so that a client that sends
// decomposed names (macOS: "a" + combining diaeresis) finds "ä".
func normalizePaths(r *http.Request) bool {
	if input.CheckLine(r.URL.Path) != nil {
		return false
	}
	r.URL.Path, r.URL.RawPath = input.NFC(r.URL.Path), ""
	d := r.Header.Get("Destination")
	if d == "" {
		return true
	}
	u, err := parseURL(d)
	if err != nil {
		return true // the handler answers 400
	}
	if input.CheckLine(u.Path) != nil {
		return false
	}
	if n := input.NFC(u.Path); n != u.Path {
		u.Path, u.RawPath = n, ""
		r.Header.Set("Destination", u.String())
	}
	return true
}

// split takes /{prefix}/{tenant}/{rest} apart; rest starts with "/".
func (s *Server) split(p string) (slug, rest string, ok bool) {
	after, found := strings.CutPrefix(p, s.cfg.Prefix+"/")
	if !found {
		return "", "", false
	}
	slug, rest, _ = strings.Cut(after, "/")
	if slug == "" {
		return "", "", false
	}
	return slug, "/" + rest, true
}

// clientIP is the caller's address for the audit log.
func (s *Server) clientIP(r *http.Request) string {
	if s.cfg.TrustProxy {
		if xff := r.Header.Get("X-Forwarded-For"); xff != "" {
			// The last entry, appended by the proxy (the earlier ones are the client's claims).
			return strings.TrimSpace(xff[strings.LastIndexByte(xff, ',')+1:])
		}
	}
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// requestID returns the request's X-Request-ID when it is a short token of
// letters, digits, '-', '_' and '.' (what the API's middleware lets through).
func requestID(r *http.Request) string {
	rid := r.Header.Get("X-Request-ID")
	if len(rid) > 64 {
		return ""
	}
	for i := 0; i < len(rid); i++ {
		b := rid[i]
		if !(b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b >= '0' && b <= '9' || b == '-' || b == '_' || b == '.') {
			return ""
		}
	}
	return rid
}

// serve dispatches one authenticated request in its tenant.
func (rq *request) serve(w *errorWriter, r *http.Request, name string) {
	rq.path = slashClean(name)
	if h := r.Header.Get("If"); h != "" {
		r.Header.Set("If", rq.normalizeIf(h, r.Host))
	}
	switch r.Method {
	case http.MethodGet, http.MethodHead:
		rq.serveGet(w, r, name)
		return
	case "PROPFIND":
		switch r.Header.Get("Depth") {
		case "0", "1":
		case "", "infinity":
			// RFC 4918 9.1.1: the server may refuse depth infinity.
			w.xml(http.StatusForbidden, `<D:error xmlns:D="DAV:"><D:propfind-finite-depth/></D:error>`)
			return
		default:
			w.status(http.StatusBadRequest, "")
			return
		}
		if !rq.preparePropfind(w, r) {
			return
		}
	case "LOCK":
		r.Body = http.MaxBytesReader(w, r.Body, rq.s.cfg.MaxXMLBytes)
		r.Header.Set("Timeout", rq.s.lockTimeoutHeader(r.Header.Get("Timeout")))
		rq.serveLock(w, r, name)
		return
	case "PROPPATCH", "UNLOCK", "MKCOL":
		r.Body = http.MaxBytesReader(w, r.Body, rq.s.cfg.MaxXMLBytes)
	case "COPY", "MOVE":
		if code, detail := rq.checkDestination(r, name); code != 0 {
			w.status(code, detail)
			return
		}
	case http.MethodPut:
		if !rq.preparePut(w, r, name) {
			return
		}
	case http.MethodDelete, http.MethodOptions:
	default:
		w.Header().Set("Allow", allowed)
		w.status(http.StatusMethodNotAllowed, "")
		return
	}
	h := &webdav.Handler{
		Prefix:     rq.prefix,
		FileSystem: &fileSystem{rq: rq},
		LockSystem: &lockSystem{rq: rq},
		Logger: func(r *http.Request, err error) {
			if err != nil {
				rq.s.log.DebugContext(r.Context(), "webdav", "method", r.Method, "path", r.URL.Path, "err", err.Error())
			}
		},
	}
	h.ServeHTTP(w, r)
}

// checkDestination checks a COPY's or MOVE's Destination before the
// x/net/webdav handler sees it, and answers a status to refuse it with (0:
// go ahead). Its name must be one Windows can use. The destination must
// lie in this tenant (the handler only
// strips a string prefix, so /dav/amt-x/… would pass for /dav/amt); a
// COPY onto itself or into its own subtree would, in the handler, delete
// the source first or recurse without end. Names compare case-insensitively,
// so a MOVE to a name differing only in case is a rename of the resource
// itself: the handler must not find (and delete) it as an existing
// destination.
func (rq *request) checkDestination(r *http.Request, name string) (int, string) {
	d := r.Header.Get("Destination")
	if d == "" {
		return 0, "" // the handler answers 400
	}
	u, err := parseURL(d)
	if err != nil {
		return 0, "" // the handler answers 400
	}
	if u.Path != rq.prefix && !strings.HasPrefix(u.Path, rq.prefix+"/") {
		return http.StatusForbidden, "Das Ziel liegt außerhalb dieses Mandanten."
	}
	src, dst := slashClean(name), slashClean(strings.TrimPrefix(u.Path, rq.prefix))
	rq.dest = dst
	if dst != "/" {
		if err := rq.checkNewName(dst); err != nil {
			return statusOf(err)
		}
	}
	sk, dk := key(src), key(dst)
	switch {
	case src == "/":
		return http.StatusForbidden, ""
	case strings.HasPrefix(dk, sk+"/"):
		return http.StatusForbidden, "Ein Ordner kann nicht in sich selbst kopiert oder verschoben werden."
	case dk == sk && r.Method == "COPY":
		return http.StatusForbidden, "Quelle und Ziel sind dieselbe Datei."
	case dk == sk && src != dst:
		rq.caseRename = dst
	}
	return 0, ""
}

// preparePropfind reads a PROPFIND body (bounded) before the handler
// parses it: a body that declares a namespace prefix as "" (which XML
// namespaces forbid, and encoding/xml accepts) is 400, and an allprop
// request is noted (RFC 4331's quota properties are not part of allprop).
func (rq *request) preparePropfind(w *errorWriter, r *http.Request) bool {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, rq.s.cfg.MaxXMLBytes))
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			w.status(http.StatusRequestEntityTooLarge, "")
		} else {
			w.status(http.StatusBadRequest, "")
		}
		return false
	}
	r.Body = io.NopCloser(bytes.NewReader(body))
	if len(bytes.TrimSpace(body)) == 0 {
		rq.allprop = true
		return true
	}
	d := xml.NewDecoder(bytes.NewReader(body))
	depth := 0
	for {
		tok, err := d.Token()
		if err != nil {
			return true // the handler answers malformed XML
		}
		switch t := tok.(type) {
		case xml.StartElement:
			for _, a := range t.Attr {
				if a.Name.Space == "xmlns" && a.Value == "" {
					w.status(http.StatusBadRequest, "Das XML erklärt ein Namensraum-Präfix ohne Namensraum.")
					return false
				}
			}
			if depth == 1 && t.Name.Space == "DAV:" && t.Name.Local == "allprop" {
				rq.allprop = true
			}
			depth++
		case xml.EndElement:
			depth--
		}
	}
}
