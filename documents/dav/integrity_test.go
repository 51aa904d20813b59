package dav_test

import (
	"io"
	"net"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/google/uuid"

	"github.com/kollab/kollab/documents"
	"github.com/kollab/kollab/documents/dav"
	"github.com/kollab/kollab/internal/db"
	"github.com/kollab/kollab/internal/db/dbtest"
)

// A document whose stored object was changed behind Kollab's back: GET of
// an object of another size answers an error before any byte; GET of
// other bytes of the same size never ends cleanly (the connection drops
// before the last byte), over net/http and through fiber, for a body that
// fits the adapter's buffer and for one that streams.
func TestGetRefusesCorruptedObject(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		ag := e.a
		akten := e.folder(ag.admin.actor, uuid.Nil, "Akten")

		app := fiber.New(fiber.Config{StreamRequestBody: true, BodyLimit: 1 << 20, DisableStartupMessage: true,
			ReadTimeout: 60 * time.Second, WriteTimeout: 60 * time.Second,
			RequestMethods: append(slices.Clone(fiber.DefaultMethods), dav.Methods()...)})
		app.All("/dav/*", e.dav.Fiber())
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		must(t, err)
		go func() { _ = app.Listener(ln) }()
		t.Cleanup(func() { _ = app.Shutdown() })

		get := func(base, name string) (int, int, error) {
			req, _ := http.NewRequest("GET", base+"/dav/"+ag.tenant.Slug+"/Akten/"+name, nil)
			req.SetBasicAuth(ag.admin.email, ag.admin.token)
			res, err := (&http.Client{Timeout: time.Minute}).Do(req)
			if err != nil {
				return 0, 0, err
			}
			defer res.Body.Close()
			b, err := io.ReadAll(res.Body)
			return res.StatusCode, len(b), err
		}
		for _, size := range []int{1000, 300 << 10} {
			content := strings.Repeat("x", size)
			name := "Datei-" + uuid.NewString()[:8] + ".txt"
			doc := e.upload(ag.admin.actor, akten.ID, name, content)
			rev, err := e.docs.GetRevision(ctx, ag.admin.actor, doc.ID, uuid.Nil)
			must(t, err)
			st := e.docs.Store()
			for _, base := range []string{e.srv.URL, "http://" + ln.Addr().String()} {
				// Intact: a clean 200.
				must(t, st.Put(ctx, rev.StorageKey, strings.NewReader(content), int64(size), ""))
				if code, n, err := get(base, name); code != 200 || n != size || err != nil {
					t.Fatalf("GET of an intact document (%d bytes) via %s: %d, %d bytes, %v", size, base, code, n, err)
				}
				// Another size: refused before any byte.
				must(t, st.Put(ctx, rev.StorageKey, strings.NewReader(content[1:]), int64(size-1), ""))
				if code, _, err := get(base, name); err != nil || code != http.StatusInternalServerError {
					t.Fatalf("GET of a shortened object (%d bytes) via %s: status %d, %v; want 500 before any byte", size, base, code, err)
				}
				// Same size, other bytes: no clean end.
				must(t, st.Put(ctx, rev.StorageKey, strings.NewReader("y"+content[1:]), int64(size), ""))
				if code, n, err := get(base, name); err == nil && n == size {
					t.Fatalf("GET of changed bytes (%d) via %s ended cleanly: %d, %d bytes", size, base, code, n)
				}
			}
			marks, err := e.docs.Suspects(ctx, ag.tenant.ID)
			must(t, err)
			if !slices.ContainsFunc(marks, func(s documents.Suspect) bool { return s.RevisionID == rev.ID && s.Problem == documents.SuspectHash }) {
				t.Fatalf("revision not marked: %+v", marks)
			}
		}
	})
}
