package api_test

import (
	"context"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/kollab/kollab/internal/db"
	"github.com/kollab/kollab/internal/db/dbtest"
	"github.com/kollab/kollab/internal/notify"
	"github.com/kollab/kollab/internal/testenv"
	"github.com/kollab/kollab/tenant"
	"github.com/kollab/kollab/workspaces"
)

type guestJSON struct {
	MembershipID     uuid.UUID  `json:"membership_id"`
	State            string     `json:"state"`
	SponsorName      string     `json:"sponsor_name"`
	OrganisationName string     `json:"organisation_name"`
	LastSignInAt     *time.Time `json:"last_sign_in_at"`
	ExpiresAt        time.Time  `json:"expires_at"`
	ExpiresOn        string     `json:"expires_on"`
	RemindedAt       *time.Time `json:"reminded_at"`
	TOTPEnabled      bool       `json:"totp_enabled"`
	Workspaces       []struct {
		ID   uuid.UUID `json:"id"`
		Role string    `json:"role"`
	} `json:"workspaces"`
}

// inviteGuest has c invite email into workspace ws and returns the
// answer's outcome and the link token (outcome invited).
func inviteGuest(t *testing.T, c *client, slug string, ws uuid.UUID, body map[string]any) (string, string) {
	t.Helper()
	var out struct {
		Outcome    string `json:"outcome"`
		Invitation *struct {
			AcceptURL string `json:"accept_url"`
		} `json:"invitation"`
	}
	c.must(201, "POST", "/api/v1/t/"+slug+"/workspaces/"+ws.String()+"/guests", body).json(t, &out)
	if out.Invitation == nil {
		return out.Outcome, ""
	}
	_, frag, _ := strings.Cut(out.Invitation.AcceptURL, "#token=")
	tok, err := url.QueryUnescape(frag)
	if err != nil || tok == "" {
		t.Fatalf("accept url %q", out.Invitation.AcceptURL)
	}
	return out.Outcome, tok
}

// guestSignsUp accepts the invitation with a new account, signs in and
// enrols the second factor every guest must use; it returns the client
// and the TOTP secret.
func guestSignsUp(t *testing.T, e *env, slug, email, token string) (*client, string) {
	t.Helper()
	g := e.client()
	g.csrf()
	g.must(201, "POST", "/api/v1/t/"+slug+"/invitations/accept", map[string]string{"token": token, "display_name": "Erika Ingenieurin", "password": testPassword})
	g.login(email, testPassword, "")
	if code := g.do("GET", "/api/v1/t/"+slug+"/workspaces", nil).problemCode(t); code != "totp-enrolment-required" {
		t.Fatalf("guest without a second factor: %q", code)
	}
	return g, g.enrol()
}

// The guest's life over HTTP with an injected clock: invited by a
// workspace's owner, the guest enrols the second factor, works in the
// workspace only; the sponsor is reminded 14 days before the expiry (once),
// renews with one click; at the expiry the guest is deactivated, its
// sessions and tokens end and its content stays; renewal restores it;
// offboarding takes it out of every workspace.
func TestGuestLifecycle(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		s := e.seedTenant("stadt")
		ctx := context.Background()
		var ws, other struct {
			ID       uuid.UUID `json:"id"`
			FolderID uuid.UUID `json:"folder_id"`
		}
		s.admin.must(201, "POST", "/api/v1/t/stadt/workspaces", map[string]any{"name": "Brücke Nord"}).json(t, &ws)
		s.admin.must(201, "POST", "/api/v1/t/stadt/workspaces", map[string]any{"name": "Schule Süd"}).json(t, &other)
		var org struct {
			ID uuid.UUID `json:"id"`
		}
		s.admin.must(201, "POST", "/api/v1/t/stadt/organisations", map[string]any{"name": "Ingenieurbüro Weiß", "kind": "company"}).json(t, &org)
		const email = "erika@ib-weiss.example"
		lastDay := time.Now().In(tenant.Berlin).AddDate(0, 0, 30).Format(time.DateOnly)
		outcome, tok := inviteGuest(t, s.admin, "stadt", ws.ID, map[string]any{"email": email, "role": "member", "organisation_id": org.ID, "expires_on": lastDay})
		if outcome != "invited" {
			t.Fatalf("outcome %q", outcome)
		}
		// Bad input changes nothing and echoes nothing.
		for _, bad := range []map[string]any{{"email": "kein-name", "role": "member"}, {"email": email, "role": "owner"},
			{"email": email, "role": "member", "expires_on": time.Now().AddDate(3, 0, 0).Format(time.DateOnly)},
			{"email": email, "role": "member", "organisation_id": uuid.New()}} {
			r := s.admin.do("POST", "/api/v1/t/stadt/workspaces/"+ws.ID.String()+"/guests", bad)
			if r.status != 422 || strings.Contains(string(r.body), "kein-name") {
				t.Fatalf("bad invitation %v: %d %s", bad, r.status, r.body)
			}
		}
		s.admin.must(409, "POST", "/api/v1/t/stadt/workspaces/"+ws.ID.String()+"/guests", map[string]any{"email": s.email, "role": "member"})
		var pending struct {
			Invitations []struct {
				Email          string `json:"email"`
				GuestExpiresOn string `json:"guest_expires_on"`
			} `json:"invitations"`
		}
		s.admin.must(200, "GET", "/api/v1/t/stadt/workspaces/"+ws.ID.String()+"/guest-invitations", nil).json(t, &pending)
		if len(pending.Invitations) != 1 || pending.Invitations[0].Email != email || pending.Invitations[0].GuestExpiresOn != lastDay {
			t.Fatalf("pending: %+v", pending)
		}

		g, secret := guestSignsUp(t, e, "stadt", email, tok)
		var mine struct {
			Workspaces []struct {
				ID     uuid.UUID `json:"id"`
				MyRole string    `json:"my_role"`
			} `json:"workspaces"`
		}
		g.must(200, "GET", "/api/v1/t/stadt/workspaces", nil).json(t, &mine)
		if len(mine.Workspaces) != 1 || mine.Workspaces[0].ID != ws.ID || mine.Workspaces[0].MyRole != "member" {
			t.Fatalf("guest's workspaces: %+v", mine)
		}
		g.must(404, "GET", "/api/v1/t/stadt/workspaces/"+other.ID.String(), nil)
		g.must(403, "GET", "/api/v1/t/stadt/directory", nil)
		g.must(403, "GET", "/api/v1/t/stadt/guests", nil)
		var up struct {
			Document struct {
				ID uuid.UUID `json:"id"`
			} `json:"document"`
		}
		g.must(201, "POST", "/api/v1/t/stadt/folders/"+ws.FolderID.String()+"/files?file_name=stellungnahme.txt", "Statik geprüft").json(t, &up)
		doc := up.Document
		g.must(404, "POST", "/api/v1/t/stadt/folders/"+other.FolderID.String()+"/files?file_name=x.txt", "x")
		g.reauth(testPassword, secret)
		g.must(201, "POST", "/api/v1/me/tokens", map[string]any{"name": "Skript"})

		var gs struct {
			Guests []guestJSON `json:"guests"`
		}
		s.admin.must(200, "GET", "/api/v1/t/stadt/guests", nil).json(t, &gs)
		if len(gs.Guests) != 1 {
			t.Fatalf("review: %+v", gs)
		}
		gj := gs.Guests[0]
		if gj.State != "active" || gj.SponsorName != "Admin stadt" || gj.OrganisationName != "Ingenieurbüro Weiß" || gj.LastSignInAt == nil ||
			gj.ExpiresOn != lastDay || !gj.TOTPEnabled || len(gj.Workspaces) != 1 || gj.Workspaces[0].ID != ws.ID {
			t.Fatalf("guest in the review: %+v", gj)
		}
		s.admin.must(200, "GET", "/api/v1/t/stadt/guests?stale=true", nil).json(t, &gs)
		if len(gs.Guests) != 0 {
			t.Fatalf("a guest who just signed in is stale: %+v", gs)
		}
		// An active guest's address is added at once.
		if outcome, _ := inviteGuest(t, s.admin, "stadt", other.ID, map[string]any{"email": email, "role": "reader"}); outcome != "added" {
			t.Fatalf("second workspace: %q", outcome)
		}

		// The sweep, on an injected clock.
		clock := testenv.NewClock(gj.ExpiresAt.Add(-15 * 24 * time.Hour))
		sweeper := workspaces.NewService(d, workspaces.WithNotify(e.notify), workspaces.WithClock(clock.Now))
		sweep := func(reminded, expired int) {
			t.Helper()
			rep, err := sweeper.SweepGuests(ctx)
			if err != nil || rep.Reminded != reminded || rep.Expired != expired {
				t.Fatalf("sweep at %s: %+v %v, want %d reminded, %d expired", clock.Now(), rep, err, reminded, expired)
			}
		}
		sweep(0, 0)
		clock.Advance(2 * 24 * time.Hour)
		sweep(1, 0)
		sweep(0, 0) // once
		if _, err := e.notify.Dispatch(ctx); err != nil {
			t.Fatal(err)
		}
		var notes struct {
			Items []struct {
				Kind  string `json:"kind"`
				Title string `json:"title"`
				Link  string `json:"link"`
			} `json:"items"`
		}
		s.admin.must(200, "GET", "/api/v1/t/stadt/notifications", nil).json(t, &notes)
		found := false
		for _, n := range notes.Items {
			found = found || n.Kind == notify.KindGuestExpiring && n.Link == "guests/"+gj.MembershipID.String() && strings.Contains(n.Title, "Erika Ingenieurin")
		}
		if !found {
			t.Fatalf("sponsor not reminded: %s", s.admin.do("GET", "/api/v1/t/stadt/notifications", nil).body)
		}
		// One click renews (180 days) and clears the reminder.
		var renewed guestJSON
		s.admin.must(200, "POST", "/api/v1/t/stadt/guests/"+gj.MembershipID.String()+"/renew", map[string]any{}).json(t, &renewed)
		if renewed.RemindedAt != nil || !renewed.ExpiresAt.After(gj.ExpiresAt.Add(100*24*time.Hour)) || renewed.State != "active" {
			t.Fatalf("renewed: %+v", renewed)
		}
		// Past the new expiry: deactivated, signed out everywhere, content kept.
		clock.Set(renewed.ExpiresAt.Add(time.Minute))
		sweep(0, 1) // expired (the sponsor is told; no reminder after the fact)
		sweep(0, 0)
		g.must(401, "GET", "/api/v1/t/stadt/workspaces", nil)
		var toks []any
		if err := d.Global(ctx).Table("api_tokens").Joins("JOIN users u ON u.id = api_tokens.user_id").Where("u.email = ?", email).Pluck("api_tokens.id", &toks).Error; err != nil || len(toks) != 0 {
			t.Fatalf("tokens left: %v %v", toks, err)
		}
		s.admin.must(200, "GET", "/api/v1/t/stadt/documents/"+doc.ID.String(), nil)
		var expired guestJSON
		s.admin.must(200, "GET", "/api/v1/t/stadt/guests/"+gj.MembershipID.String(), nil).json(t, &expired)
		if expired.State != "expired" || len(expired.Workspaces) != 2 {
			t.Fatalf("expired: %+v", expired)
		}
		g.login(email, testPassword, secret)
		if code := g.do("GET", "/api/v1/t/stadt/workspaces", nil).problemCode(t); code != "membership-deactivated" {
			t.Fatalf("expired guest: %q", code)
		}
		// Renewal restores the access; offboarding ends it and empties the workspaces.
		s.admin.must(200, "POST", "/api/v1/t/stadt/guests/"+gj.MembershipID.String()+"/renew", map[string]any{"expires_on": lastDay})
		g.must(200, "GET", "/api/v1/t/stadt/workspaces", nil)
		var gone guestJSON
		s.admin.must(200, "POST", "/api/v1/t/stadt/guests/"+gj.MembershipID.String()+"/offboard", map[string]any{}).json(t, &gone)
		if gone.State != "offboarded" || len(gone.Workspaces) != 0 {
			t.Fatalf("offboarded: %+v", gone)
		}
		g.must(401, "GET", "/api/v1/t/stadt/workspaces", nil)
		s.admin.must(200, "GET", "/api/v1/t/stadt/documents/"+doc.ID.String(), nil)
		// Deleting the guest's organisation leaves the guest without one.
		s.admin.must(204, "DELETE", "/api/v1/t/stadt/organisations/"+org.ID.String(), nil)
		s.admin.must(200, "GET", "/api/v1/t/stadt/guests/"+gj.MembershipID.String(), nil).json(t, &gone)
		if gone.OrganisationName != "" {
			t.Fatalf("organisation after deletion: %+v", gone)
		}
	})
}
