package api

import (
	"context"
	"time"

	"github.com/gofiber/fiber/v2"
)

func (s *Server) routes() {
	s.app.Get("/healthz", func(c *fiber.Ctx) error {
		return c.JSON(fiber.Map{"status": "ok"})
	})
	s.app.Get("/readyz", s.ready)
	s.authRoutes()
	s.meRoutes()
	s.tenantRoutes()
	s.adminRoutes()
	s.tokenAdminRoutes()
	s.groupRoutes()
	s.storageRoutes()
	s.directoryRoutes()
	s.folderRoutes()
	s.documentRoutes()
	s.trashRoutes()
	s.revisionRoutes()
	s.searchRoutes()
	s.registerMinutes()
	s.committeeRoutes()
	s.workspaceRoutes()
	s.guestRoutes()
	s.contactRoutes()
	s.consultationRoutes()
	s.taskRoutes()
	s.projectRoutes()
	s.taskFeedRoutes()
	s.taskDeadlineRoutes() // reminder settings, escalation, overdue cockpit
	s.liveRoutes()
	s.notificationRoutes()
	s.cockpitRoutes()
	s.calendarRoutes() // also GET /ical/<token>.ics, the personal meeting feed
	// Anything else under /api is a problem, not an HTML page: nothing
	// below serves /api (the web app leaves it alone, see isSPAPath), so
	// fiber ends the route stack with 405 and an Allow header when the path
	// exists with other methods, else with 404; fiberErrorHandler makes
	// either a problem.
	// WebDAV: Basic authentication with personal API tokens, streaming.
	if s.deps.DAV != nil {
		s.app.All("/dav/*", s.deps.DAV)
	}
	if s.deps.OParl != nil {
		s.deps.OParl.Mount(s.app)
	}
	s.spa(s.cfg.SPA)
}

// ready reports whether the database and the object store answer.
func (s *Server) ready(c *fiber.Ctx) error {
	ctx, cancel := context.WithTimeout(c.UserContext(), 3*time.Second)
	defer cancel()
	checks := fiber.Map{}
	ok := true
	if err := s.deps.Database.Ping(ctx); err != nil {
		checks["database"], ok = "unreachable", false
		loggerOf(c).Warn("readiness: database", "err", err)
	} else {
		checks["database"] = "ok"
	}
	if s.deps.Store != nil {
		if err := s.deps.Store.Ping(ctx); err != nil {
			checks["storage"], ok = "unreachable", false
			loggerOf(c).Warn("readiness: storage", "err", err)
		} else {
			checks["storage"] = "ok"
		}
	}
	status := fiber.StatusOK
	if !ok {
		status = fiber.StatusServiceUnavailable
	}
	return c.Status(status).JSON(fiber.Map{"ready": ok, "checks": checks})
}
