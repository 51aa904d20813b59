package api_test

import (
	"context"
	"testing"

	"github.com/google/uuid"
	"github.com/kollab/kollab/internal/db"
	"github.com/kollab/kollab/internal/db/dbtest"
	"github.com/kollab/kollab/internal/notify"
	"github.com/kollab/kollab/tenant"
)

// notification emits an event to membership in tenant tid and dispatches
// it; it returns the notification's id.
func (e *env) notification(tid, membership uuid.UUID) uuid.UUID {
	e.t.Helper()
	ctx := context.Background()
	var id uuid.UUID
	if err := e.db.Tenant(ctx, tid, func(tx *db.Tx) error {
		var err error
		id, err = e.notify.Emit(ctx, tx, notify.Event{Kind: notify.KindWorkspaceInvited, ObjectType: "workspace", ObjectID: db.NewID(),
			Title: notify.Text{DE: "Eingeladen", EN: "Invited"}, Link: "workspaces/x", Recipients: notify.To(membership)})
		return err
	}); err != nil {
		e.t.Fatal(err)
	}
	if _, err := e.notify.Dispatch(ctx); err != nil {
		e.t.Fatal(err)
	}
	return id
}

func TestNotificationsOverHTTP(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		a := e.seedTenant("glocke")
		ms, err := e.tenants.ListMembers(context.Background(), tenant.Operator(a.tenant.ID), tenant.MemberFilter{})
		if err != nil {
			t.Fatal(err)
		}
		id := e.notification(a.tenant.ID, ms.Members[0].ID)
		base := "/api/v1/t/" + a.tenant.Slug
		var page struct {
			Items []struct {
				ID    uuid.UUID `json:"id"`
				Title string    `json:"title"`
				Link  string    `json:"link"`
			} `json:"items"`
			Unread int64 `json:"unread"`
		}
		a.admin.must(200, "GET", base+"/notifications?unread=true&limit=10", nil).json(t, &page)
		if len(page.Items) != 1 || page.Items[0].ID != id || page.Items[0].Title != "Eingeladen" || page.Unread != 1 {
			t.Fatalf("list: %+v", page)
		}
		a.admin.must(422, "GET", base+"/notifications?cursor=nix", nil)
		a.admin.must(404, "POST", base+"/notifications/"+db.NewID().String()+"/read", map[string]string{})
		a.admin.must(200, "POST", base+"/notifications/"+id.String()+"/read", map[string]string{})
		a.admin.must(200, "GET", base+"/notifications?unread=true", nil).json(t, &page)
		if len(page.Items) != 0 || page.Unread != 0 {
			t.Fatalf("after read: %+v", page)
		}
		a.admin.must(200, "POST", base+"/notifications/read-all", map[string]string{})
		var prefs struct {
			Preferences []struct {
				Kind  string                  `json:"kind"`
				Mode  string                  `json:"mode"`
				Label struct{ DE, EN string } `json:"label"`
			} `json:"preferences"`
		}
		a.admin.must(200, "PUT", base+"/notification-preferences",
			map[string]any{"preferences": []map[string]string{{"kind": notify.KindPollOpened, "mode": "daily"}}}).json(t, &prefs)
		if len(prefs.Preferences) != len(notify.Kinds()) || prefs.Preferences[0].Mode != "daily" || prefs.Preferences[0].Label.DE == "" {
			t.Fatalf("preferences: %+v", prefs)
		}
		a.admin.must(422, "PUT", base+"/notification-preferences",
			map[string]any{"preferences": []map[string]string{{"kind": "gibt-es-nicht", "mode": "daily"}}})
		a.admin.must(200, "GET", base+"/notification-preferences", nil).json(t, &prefs)
		if prefs.Preferences[0].Mode != "daily" {
			t.Fatalf("preferences kept: %+v", prefs)
		}
	})
}

// TestBellLive: the bell's unread count reaches the follower's stream when
// a notification arrives and when it is read; another tenant's slug is 404.
func TestBellLive(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		a := e.seedTenant("bell-a")
		e.seedTenant("bell-b")
		base := serve(t, e)
		ms, err := e.tenants.ListMembers(context.Background(), tenant.Operator(a.tenant.ID), tenant.MemberFilter{})
		if err != nil {
			t.Fatal(err)
		}
		s := a.admin.follow(base, "/api/v1/t/bell-a/notifications/events")
		if s.res.StatusCode != 200 {
			t.Fatalf("follow: %d", s.res.StatusCode)
		}
		s.until(t, "snapshot", `{"unread":0}`)
		id := e.notification(a.tenant.ID, ms.Members[0].ID)
		s.until(t, "snapshot", `{"unread":1}`)
		a.admin.must(200, "POST", "/api/v1/t/bell-a/notifications/"+id.String()+"/read", map[string]string{})
		s.until(t, "snapshot", `{"unread":0}`)
		if o := a.admin.follow(base, "/api/v1/t/bell-b/notifications/events"); o.res.StatusCode != 404 {
			t.Fatalf("other tenant's bell: %d", o.res.StatusCode)
		}
	})
}
