package api_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/kollab/kollab/api"
	"github.com/kollab/kollab/internal/db"
	"github.com/kollab/kollab/internal/db/dbtest"
)

// Behind a reverse proxy (KOLLAB_TRUST_PROXY) a stranger's failed sign-ins
// count against the address the proxy saw, whatever the stranger claims in
// X-Forwarded-For: claiming the owner's address does not slow the owner,
// and a new claim each time does not give the stranger fresh attempts.
func TestStrangerBehindProxyCannotLockOwnerOut(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		e.srv = api.New(api.Config{PublicURL: "https://kollab.example", SecureCookies: true, TrustProxy: true, SessionAbsolute: 12 * time.Hour},
			api.Deps{Database: d, Tenants: e.tenants, Auth: e.auth, Documents: e.docs, Committees: e.comm})
		if _, err := e.tenants.CreateUser(t.Context(), "inhaberin@proxy.example", "Inhaberin", testPassword); err != nil {
			t.Fatal(err)
		}
		const proxy, ownerIP, strangerIP = "10.0.0.2", "198.51.100.7", "203.0.113.66"
		login := func(xff, pw string) int {
			c := e.client()
			c.ip = proxy // every request arrives from the proxy
			c = c.with("X-Forwarded-For", xff)
			c.csrf()
			return c.do("POST", "/api/v1/auth/login", map[string]string{"email": "inhaberin@proxy.example", "password": pw}).status
		}
		codes := map[int]int{}
		for i := range 8 {
			// The stranger claims the owner's address, then a new one each time;
			// the proxy appends the address it saw.
			claim := ownerIP
			if i%2 == 1 {
				claim = fmt.Sprintf("192.0.2.%d", i)
			}
			codes[login(claim+", "+strangerIP, "geraten-geraten")]++
		}
		if codes[429] == 0 || codes[401]+codes[429] != 8 {
			t.Fatalf("eight wrong passwords behind the proxy answered %v: the stranger was not slowed", codes)
		}
		if got := login(ownerIP, testPassword); got != 200 {
			t.Fatalf("the owner behind the proxy: %d", got)
		}
		if got := login(ownerIP+", "+strangerIP, testPassword); got != 429 {
			t.Fatalf("the stranger, claiming the owner's address, with the right password: %d", got)
		}
	})
}
