package api

import (
	"io/fs"
	"net/http"
	"strings"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/filesystem"
)

// notSPA are path prefixes that never fall back to the web app.
var notSPA = []string{"/api", "/dav", "/oparl", "/ical", "/healthz", "/readyz", "/metrics"}

func isSPAPath(p string) bool {
	for _, pre := range notSPA {
		if p == pre || strings.HasPrefix(p, pre+"/") {
			return false
		}
	}
	return true
}

// spa serves the embedded web app at "/": files as they are (hashed assets
// cached for a year), every other path as index.html for client routing.
func (s *Server) spa(dist fs.FS) {
	if dist == nil {
		return
	}
	if _, err := fs.Stat(dist, "index.html"); err != nil {
		s.app.Get("/*", func(c *fiber.Ctx) error {
			if !isSPAPath(c.Path()) {
				return c.Next()
			}
			c.Set(fiber.HeaderContentType, fiber.MIMETextPlainCharsetUTF8)
			return c.Status(fiber.StatusServiceUnavailable).SendString(
				"Die Weboberfläche ist nicht gebaut. Starten Sie Kollab mit scripts/run (baut frontend/dist) oder führen Sie in frontend/ `npm ci && npm run build` aus.\n")
		})
		return
	}
	s.app.Use(func(c *fiber.Ctx) error {
		if c.Method() != fiber.MethodGet && c.Method() != fiber.MethodHead || !isSPAPath(c.Path()) {
			return c.Next()
		}
		if strings.HasPrefix(c.Path(), "/assets/") {
			c.Set(fiber.HeaderCacheControl, "public, max-age=31536000, immutable")
		} else {
			c.Set(fiber.HeaderCacheControl, "no-cache")
		}
		return c.Next()
	})
	s.app.Use(filesystem.New(filesystem.Config{
		Root:         http.FS(dist),
		Index:        "index.html",
		NotFoundFile: "index.html",
		Next:         func(c *fiber.Ctx) bool { return !isSPAPath(c.Path()) },
	}))
}
