// Package oparl serves Kollab's council data as a read-only OParl 1.1 API
// (https://oparl.org/spezifikation/) under /oparl/v1.1: the entry point
// GET /oparl/v1.1/system, one Body per tenant that publishes (tenant
// setting oparl.public), and in each body the external lists and objects
// of its public committees (Organization), their seats (Membership) and
// members (Person: the name only, never an e-mail address), meetings
// (Meeting, Location), public accepted agenda items (AgendaItem), the
// session papers frozen for them (Paper, Consultation) and their frozen
// revisions (File, with a public download). What is published is decided
// in package publication (its SQL sources); legislative terms come from
// the tenant settings (legislative.go).
//
// An object that leaves the publication (purged, trashed, detached, made
// non-public, its seat deleted, its place removed, a legislative term
// deleted, the body withdrawn) stays at its URL as a tombstone (OParl 1.1
// "Gelöschte Objekte": id, type, created, modified = time of deletion,
// deleted: true), is listed when a client asks for modified_since (and
// only then), and what embedded or named it changes its modified. The
// domain operations record it in their own transaction (publication.Watch);
// read.go says how tombstones are read. A withdrawn body is a tombstone
// itself; everything it published answers 404.
//
// There is no authentication. Every read of tenant data runs in one
// tenant-scoped transaction of the body (db.Tenant), so row-level
// security applies on PostgreSQL; an id of another body, or of a tenant
// that does not publish, answers 404 like one that does not exist.
// Answers carry Access-Control-Allow-Origin: * (read-only, no
// credentials), an ETag and a short public Cache-Control; they are
// compressed (gzip, or brotli, deflate, zstd) when the client accepts it,
// file bytes excepted.
package oparl

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/compress"
	"github.com/google/uuid"
	"github.com/kollab/kollab/internal/db"
	"github.com/kollab/kollab/internal/storage"
	"github.com/kollab/kollab/meetings/publication"
	"github.com/kollab/kollab/tenant"
	"gorm.io/gorm"
)

// Prefix is where the API is mounted.
const Prefix = "/oparl/v1.1"

// Config is the API's part of the configuration.
type Config struct {
	// PublicURL is the externally visible base URL (KOLLAB_PUBLIC_URL);
	// every URL in an answer is absolute and built from it. Empty: the
	// request's own scheme and host.
	PublicURL string
	// Name, Vendor and Product describe the system object; empty takes
	// Kollab's.
	Name, Vendor, Product string
}

// Deps are what the API reads.
type Deps struct {
	DB *db.DB
	// Store holds the files' bytes.
	Store storage.Store
	Log   *slog.Logger
}

// Server is the OParl API.
type Server struct {
	cfg  Config
	deps Deps
}

// New returns the API.
func New(cfg Config, deps Deps) *Server {
	cfg.PublicURL = strings.TrimRight(cfg.PublicURL, "/")
	if cfg.Name == "" {
		cfg.Name = "Kollab"
	}
	if cfg.Vendor == "" {
		cfg.Vendor = "https://github.com/kollab/kollab"
	}
	if cfg.Product == "" {
		cfg.Product = "https://github.com/kollab/kollab"
	}
	if deps.Log == nil {
		deps.Log = slog.New(slog.DiscardHandler)
	}
	return &Server{cfg: cfg, deps: deps}
}

// Mount registers the API's routes on app. Anything else under /oparl
// answers a 404 problem.
func (s *Server) Mount(app *fiber.App) {
	g := app.Group("/oparl", headers, compress.New(compress.Config{
		// File bytes go as stored: they are mostly compressed already,
		// and a compressed range would not be the range asked for.
		Next: func(c *fiber.Ctx) bool { return strings.HasSuffix(c.Path(), "/download") },
	}))
	g.Options("/*", func(c *fiber.Ctx) error {
		c.Set("Access-Control-Allow-Methods", "GET, HEAD, OPTIONS")
		c.Set("Access-Control-Allow-Headers", "If-None-Match, If-Modified-Since, Range")
		c.Set("Access-Control-Max-Age", "86400")
		return c.SendStatus(fiber.StatusNoContent)
	})
	toSystem := func(c *fiber.Ctx) error { return c.Redirect(s.base(c)+"/system", fiber.StatusFound) }
	g.Get("/", toSystem)
	g.Get("/v1.1", toSystem)
	g.Get("/v1.1/system", s.system)
	g.Get("/v1.1/bodies", s.bodies)
	g.Get("/v1.1/bodies/:body", s.body)
	g.Get("/v1.1/bodies/:body/legislative-terms", s.terms)
	g.Get("/v1.1/bodies/:body/legislative-terms/:id", s.term)
	g.Get("/v1.1/bodies/:body/organizations/:id/meetings", s.organizationMeetings)
	g.Get("/v1.1/bodies/:body/files/:id/download", s.download)
	g.Get("/v1.1/bodies/:body/:kind", s.list)
	g.Get("/v1.1/bodies/:body/:kind/:id", s.object)
	g.Use(func(c *fiber.Ctx) error { return writeProblem(c, errNotFound) })
}

// headers apply to every answer under /oparl: anyone may read it from
// any origin (no credentials are involved), and embed the files. Answers
// other than file bytes are compressed when the client accepts it (gzip,
// or brotli, deflate, zstd), so they vary with Accept-Encoding.
func headers(c *fiber.Ctx) error {
	c.Set("Access-Control-Allow-Origin", "*")
	if !strings.HasSuffix(c.Path(), "/download") {
		c.Set(fiber.HeaderVary, fiber.HeaderAcceptEncoding)
	}
	c.Set("Access-Control-Expose-Headers", "ETag, Content-Disposition, Content-Range, Accept-Ranges")
	err := c.Next()
	// Set after the handler: the web app's security headers (helmet) keep
	// cross-origin readers out, and this API is for them.
	c.Set("Cross-Origin-Resource-Policy", "cross-origin")
	return err
}

// base is the API's absolute base URL.
func (s *Server) base(c *fiber.Ctx) string {
	if s.cfg.PublicURL != "" {
		return s.cfg.PublicURL + Prefix
	}
	return strings.Clone(c.BaseURL()) + Prefix
}

// urls builds one body's URLs.
type urls struct{ base, body string }

func (s *Server) urlsFor(c *fiber.Ctx, bodyID uuid.UUID) urls {
	b := s.base(c)
	return urls{base: b, body: b + "/bodies/" + bodyID.String()}
}

func (u urls) obj(path string, id any) string {
	switch v := id.(type) {
	case uuid.UUID:
		return u.body + "/" + path + "/" + v.String()
	case string:
		return u.body + "/" + path + "/" + v
	}
	panic("oparl: bad id")
}

func (u urls) list(path string) string { return u.body + "/" + path }

// --- answers ---------------------------------------------------------------

// writeJSON answers v with an ETag over its bytes (304 when the client has
// them). The ETag names the JSON: when the answer may go compressed (other
// bytes), it is weak, as RFC 9110 wants of one shared by representations.
func writeJSON(c *fiber.Ctx, v any) error {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return err
	}
	sum := sha256.Sum256(buf.Bytes())
	tag := `"` + hex.EncodeToString(sum[:16]) + `"`
	if mayCompress(c) {
		tag = "W/" + tag
	}
	c.Set(fiber.HeaderETag, tag)
	c.Set(fiber.HeaderCacheControl, "public, max-age=60")
	if etagMatch(c.Get(fiber.HeaderIfNoneMatch), tag) {
		return c.SendStatus(fiber.StatusNotModified)
	}
	c.Set(fiber.HeaderContentType, fiber.MIMEApplicationJSONCharsetUTF8)
	return c.Send(buf.Bytes())
}

// mayCompress reports whether the client accepts an encoding the
// compression middleware uses.
func mayCompress(c *fiber.Ctx) bool {
	h := &c.Context().Request.Header
	for _, enc := range []string{"br", "gzip", "deflate", "zstd"} {
		if h.HasAcceptEncoding(enc) {
			return true
		}
	}
	return false
}

// etagMatch reports whether an If-None-Match list names tag (or *).
func etagMatch(list, tag string) bool {
	tag = strings.TrimPrefix(tag, "W/")
	for _, t := range strings.Split(list, ",") {
		t = strings.TrimPrefix(strings.TrimSpace(t), "W/")
		if t == "*" || t == tag {
			return true
		}
	}
	return false
}

func writeProblem(c *fiber.Ctx, p *problem) error {
	b, err := json.Marshal(p)
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	c.Set(fiber.HeaderContentType, "application/problem+json")
	return c.Status(p.Status).Send(b)
}

// fail answers an error: a problem as it is, anything else as a logged 500.
func (s *Server) fail(c *fiber.Ctx, err error) error {
	var p *problem
	if errors.As(err, &p) {
		return writeProblem(c, p)
	}
	s.deps.Log.Error("oparl", "path", strings.Clone(c.Path()), "err", err)
	return writeProblem(c, errInternal)
}

func (p *problem) Error() string { return p.Code }

// --- system and bodies -----------------------------------------------------

// publishing returns the tenants that publish, in id order.
func (s *Server) publishing(ctx context.Context) ([]tenant.Tenant, error) {
	var ts []tenant.Tenant
	if err := s.deps.DB.Global(ctx).Table("tenants").Order("id").Find(&ts).Error; err != nil {
		return nil, err
	}
	out := ts[:0]
	for _, t := range ts {
		if t.Settings.OParl.Public {
			out = append(out, t)
		}
	}
	return out, nil
}

// tenantOf returns the tenant named by the :body parameter, publishing or
// not; a 404 problem when there is none.
func (s *Server) tenantOf(c *fiber.Ctx) (*tenant.Tenant, error) {
	id, err := uuid.Parse(c.Params("body"))
	if err != nil {
		return nil, errNotFound
	}
	var t tenant.Tenant
	err = s.deps.DB.Global(c.UserContext()).Table("tenants").Where("id = ?", id).Take(&t).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, errNotFound
	}
	if err != nil {
		return nil, err
	}
	return &t, nil
}

// publisher returns the publishing tenant named by the :body parameter;
// a 404 problem when there is none.
func (s *Server) publisher(c *fiber.Ctx) (*tenant.Tenant, error) {
	t, err := s.tenantOf(c)
	if err == nil && !t.Settings.OParl.Public {
		err = errNotFound
	}
	if err != nil {
		return nil, err
	}
	return t, nil
}

// withdrawn returns the tombstone of a body that stopped publishing; nil
// for one that never did (it answers 404). Everything the body published
// answers 404 once the body is withdrawn.
func (s *Server) withdrawn(c *fiber.Ctx, t *tenant.Tenant) (*Tombstone, error) {
	var out *Tombstone
	err := s.read(c, t, func(r *reader) error {
		var rows []struct {
			CreatedAt dbTime `gorm:"column:created_at"`
			DeletedAt dbTime `gorm:"column:deleted_at"`
		}
		if err := r.tx.Table(publication.TombstonesTable).Select("created_at, deleted_at").
			Where("kind = ? AND object_id = ?", publication.TypeBody, t.ID).Scan(&rows).Error; err != nil {
			return fmt.Errorf("oparl: read body tombstone: %w", err)
		}
		if len(rows) == 1 {
			out = &Tombstone{ID: r.u.body, Type: Schema + "Body", Created: stamp(rows[0].CreatedAt.T),
				Modified: stamp(rows[0].DeletedAt.T), Deleted: true}
		}
		return nil
	})
	return out, err
}

func (s *Server) system(c *fiber.Ctx) error {
	base := s.base(c)
	sys := System{ID: base + "/system", Type: Schema + "System", OParlVersion: "https://schema.oparl.org/1.1/", Body: base + "/bodies",
		Name: s.cfg.Name, Vendor: s.cfg.Vendor, Product: s.cfg.Product}
	if s.cfg.PublicURL != "" {
		sys.Website = s.cfg.PublicURL + "/"
	}
	ts, err := s.publishing(c.UserContext())
	if err != nil {
		return s.fail(c, err)
	}
	// The system is as old as its oldest body and changes with any.
	var created, modified time.Time
	for i, t := range ts {
		if i == 0 || t.CreatedAt.Before(created) {
			created = t.CreatedAt
		}
		if t.UpdatedAt.After(modified) {
			modified = t.UpdatedAt
		}
	}
	if len(ts) > 0 {
		sys.Created, sys.Modified = stamp(created), stamp(modified)
	}
	return writeJSON(c, sys)
}

func (s *Server) bodyObject(c *fiber.Ctx, t *tenant.Tenant) Body {
	u := s.urlsFor(c, t.ID)
	return Body{ID: u.body, Type: Schema + "Body", System: u.base + "/system", ShortName: t.Slug, Name: t.Name, Website: t.Settings.OParl.Website,
		Organization: u.list("organizations"), Person: u.list("persons"), Meeting: u.list("meetings"), Paper: u.list("papers"),
		AgendaItem: u.list("agenda-items"), Consultation: u.list("consultations"), File: u.list("files"), LocationList: u.list("locations"),
		LegislativeTermList: u.list("legislative-terms"), Membership: u.list("memberships"), LegislativeTerm: legislativeTerms(u, t, true),
		Created: stamp(t.CreatedAt), Modified: stamp(t.UpdatedAt)}
}

func (s *Server) bodies(c *fiber.Ctx) error {
	p, bad := parseList(c)
	if bad != nil {
		return writeProblem(c, bad)
	}
	var ts []tenant.Tenant
	if err := s.deps.DB.Global(c.UserContext()).Table("tenants").Order("id").Find(&ts).Error; err != nil {
		return s.fail(c, err)
	}
	var all []any
	for i := range ts {
		t := &ts[i]
		if t.Settings.OParl.Public {
			if p.matches(t.CreatedAt, t.UpdatedAt) {
				all = append(all, s.bodyObject(c, t))
			}
			continue
		}
		// A sync list shows the bodies withdrawn since; a withdrawal
		// moved the tenant's updated_at to the tombstone's modified.
		if p.modifiedSince == nil || t.UpdatedAt.Before(sinceBound(*p.modifiedSince)) {
			continue
		}
		tomb, err := s.withdrawn(c, t)
		if err != nil {
			return s.fail(c, err)
		}
		if tomb != nil && p.matchesTombstone(*tomb) {
			all = append(all, *tomb)
		}
	}
	return s.writeSlice(c, s.base(c)+"/bodies", p, all)
}

// writeSlice answers one page of a list held in memory.
func (s *Server) writeSlice(c *fiber.Ctx, base string, p listParams, all []any) error {
	from, to := min(p.offset(), len(all)), min(p.offset()+p.limit, len(all))
	l, ok := newList(base, p, len(all), all[from:to])
	if !ok {
		return writeProblem(c, errNotFound)
	}
	return writeJSON(c, l)
}

func (s *Server) body(c *fiber.Ctx) error {
	t, err := s.tenantOf(c)
	if err != nil {
		return s.fail(c, err)
	}
	if t.Settings.OParl.Public {
		return writeJSON(c, s.bodyObject(c, t))
	}
	tomb, err := s.withdrawn(c, t)
	if err != nil {
		return s.fail(c, err)
	}
	if tomb == nil {
		return writeProblem(c, errNotFound)
	}
	return writeJSON(c, tomb)
}

func isTombstone(o any) bool {
	_, ok := o.(Tombstone)
	return ok
}

// --- lists and objects -------------------------------------------------------

// read runs fn in the body's tenant transaction.
func (s *Server) read(c *fiber.Ctx, t *tenant.Tenant, fn func(r *reader) error) error {
	return s.deps.DB.Tenant(c.UserContext(), t.ID, func(tx *db.Tx) error {
		return fn(&reader{tx: tx, pg: s.deps.DB.Dialect() == db.Postgres, u: s.urlsFor(c, t.ID)})
	})
}

func (s *Server) list(c *fiber.Ctx) error {
	k := kinds[c.Params("kind")]
	if k == nil {
		return writeProblem(c, errNotFound)
	}
	return s.listOf(c, k, "")
}

// listOf answers a page of a kind's list, narrowed to one committee when
// committee is set.
func (s *Server) listOf(c *fiber.Ctx, k *kind, committee string) error {
	t, err := s.publisher(c)
	if err != nil {
		return s.fail(c, err)
	}
	p, bad := parseList(c)
	if bad != nil {
		return writeProblem(c, bad)
	}
	var l *List
	var ok bool
	err = s.read(c, t, func(r *reader) error {
		base := r.u.list(k.Path)
		var scopeCol string
		var scopeVal uuid.UUID
		if committee != "" {
			id, err := uuid.Parse(committee)
			if err != nil {
				return errNotFound
			}
			// The meetings of an organization that is published (not a tombstone).
			if o, err := r.one(kinds["organizations"], id); err != nil || o == nil || isTombstone(o) {
				if err == nil {
					err = errNotFound
				}
				return err
			}
			base = r.u.obj("organizations", id) + "/meetings"
			scopeCol, scopeVal = k.ListParent, id
		}
		total, objs, err := r.page(k, p, scopeCol, scopeVal)
		if err != nil {
			return err
		}
		l, ok = newList(base, p, total, objs)
		return nil
	})
	if err != nil {
		return s.fail(c, err)
	}
	if !ok {
		return writeProblem(c, errNotFound)
	}
	return writeJSON(c, l)
}

func (s *Server) organizationMeetings(c *fiber.Ctx) error {
	return s.listOf(c, kinds["meetings"], c.Params("id"))
}

func (s *Server) object(c *fiber.Ctx) error {
	k := kinds[c.Params("kind")]
	if k == nil {
		return writeProblem(c, errNotFound)
	}
	t, err := s.publisher(c)
	if err != nil {
		return s.fail(c, err)
	}
	id, err := uuid.Parse(c.Params("id"))
	if err != nil {
		return writeProblem(c, errNotFound)
	}
	var obj any
	err = s.read(c, t, func(r *reader) error {
		var err error
		obj, err = r.one(k, id)
		return err
	})
	if err != nil {
		return s.fail(c, err)
	}
	if obj == nil {
		return writeProblem(c, errNotFound)
	}
	return writeJSON(c, obj)
}
