package audit_test

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"

	"github.com/google/uuid"
	"github.com/kollab/kollab/internal/audit"
	"github.com/kollab/kollab/internal/db"
	"github.com/kollab/kollab/internal/db/dbtest"
	"github.com/kollab/kollab/tenant"
	"github.com/kollab/kollab/tenant/auth/password"
	"gorm.io/gorm"
)

type countKey struct{}

// countQueries counts the statements run with a context carrying counter.
func countQueries(t *testing.T, d *db.DB) {
	t.Helper()
	g := d.Global(context.Background())
	count := func(tx *gorm.DB) {
		if c, ok := tx.Statement.Context.Value(countKey{}).(*atomic.Int64); ok {
			c.Add(1)
		}
	}
	for _, err := range []error{
		g.Callback().Query().After("gorm:query").Register("test:count_query", count),
		g.Callback().Row().After("gorm:row").Register("test:count_row", count),
		g.Callback().Raw().After("gorm:raw").Register("test:count_raw", count),
	} {
		if err != nil {
			t.Fatal(err)
		}
	}
}

// Resolving a page runs a fixed number of queries, whatever the page's
// length: one per object type and one for the names of deleted objects.
func TestResolveIsBounded(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		countQueries(t, d)
		tid := newTenant(t, d, "amt")
		ctx := context.Background()
		kinds := []string{"user", "membership", "session", "invitation", "tenant", "group", "api_token", "folder",
			"document", "committee", "meeting", "agenda_item", "poll"}
		var evs []audit.Event
		if err := d.Tenant(ctx, tid, func(tx *db.Tx) error {
			for i := range 200 {
				actor := uuid.New()
				ev, err := audit.Append(ctx, tx, audit.Entry{Action: "documents.document.moved", Actor: &actor,
					TargetType: kinds[i%len(kinds)], TargetID: uuid.NewString(),
					Details: map[string]string{"from": uuid.NewString(), "to": uuid.NewString(), "membership_id": uuid.NewString(),
						"meeting_id": uuid.NewString(), "title": fmt.Sprint("Titel ", i), "reason": "kein Verweis"}})
				if err != nil {
					return err
				}
				evs = append(evs, *ev)
			}
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		for _, n := range []int{1, 13, 200} {
			var queries atomic.Int64
			qctx := context.WithValue(ctx, countKey{}, &queries)
			var names []audit.Names
			err := d.Tenant(qctx, tid, func(tx *db.Tx) error {
				var err error
				names, err = audit.Resolve(qctx, tx, evs[:n])
				return err
			})
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("%d entries: %d queries", n, queries.Load())
			if got := queries.Load(); got < 2 || got > 13 {
				t.Errorf("%d entries: %d queries, want at most 13 (one per object type and one for last names)", n, got)
			}
			if len(names) != n {
				t.Fatalf("%d names for %d entries", len(names), n)
			}
			r := names[0]
			if r.Actor == nil || r.Actor.State != audit.StateDeleted || r.Target == nil || r.Target.Type != "user" || r.Target.State != audit.StateDeleted {
				t.Errorf("unknown objects: %+v %+v", r.Actor, r.Target)
			}
			// from, to (folders), membership_id, meeting_id; not title or reason.
			if len(r.Related) != 4 || r.Related[0].Key != "from" || r.Related[0].Type != "folder" || r.Related[1].Type != "meeting" {
				t.Errorf("related: %+v", r.Related)
			}
		}
		if s := resolveOne(t, d, tid, evs[2]); s.Target.State != "" || s.Target.Type != "session" {
			t.Errorf("a session has nothing to look up: %+v", s.Target)
		}
	})
}

func resolveOne(t *testing.T, d *db.DB, tid uuid.UUID, ev audit.Event) audit.Names {
	t.Helper()
	var out []audit.Names
	if err := d.Tenant(context.Background(), tid, func(tx *db.Tx) error {
		var err error
		out, err = audit.Resolve(context.Background(), tx, []audit.Event{ev})
		return err
	}); err != nil {
		t.Fatal(err)
	}
	return out[0]
}

// Names come from the caller's tenant only: an entry of tenant A that
// carries tenant B's ids learns nothing of B.
func TestResolveStaysInTenant(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		svc := tenant.NewService(d, password.NewHasher(password.HighEntropy))
		ta, err := svc.CreateTenant(ctx, "amt-a", "Amt A")
		if err != nil {
			t.Fatal(err)
		}
		tb, err := svc.CreateTenant(ctx, "amt-b", "Amt B")
		if err != nil {
			t.Fatal(err)
		}
		ua, err := svc.CreateUser(ctx, "anna@a.example", "Anna Amsel", "ein-sehr-langes-Passwort")
		if err != nil {
			t.Fatal(err)
		}
		ub, err := svc.CreateUser(ctx, "bert@b.example", "Bert Buchfink", "ein-sehr-langes-Passwort")
		if err != nil {
			t.Fatal(err)
		}
		ma, err := svc.AddMember(ctx, ta.ID, ua.ID, tenant.RoleAdmin)
		if err != nil {
			t.Fatal(err)
		}
		mb, err := svc.AddMember(ctx, tb.ID, ub.ID, tenant.RoleAdmin)
		if err != nil {
			t.Fatal(err)
		}
		ga, err := svc.CreateGroup(ctx, tenant.Operator(ta.ID), "Gruppe A", "")
		if err != nil {
			t.Fatal(err)
		}
		gb, err := svc.CreateGroup(ctx, tenant.Operator(tb.ID), "Gruppe B", "")
		if err != nil {
			t.Fatal(err)
		}
		ia, _, err := svc.Invite(ctx, tenant.ActorFromMembership(ma), "gast@a.example", tenant.RoleCommittee)
		if err != nil {
			t.Fatal(err)
		}
		ib, _, err := svc.Invite(ctx, tenant.ActorFromMembership(mb), "gast@b.example", tenant.RoleCommittee)
		if err != nil {
			t.Fatal(err)
		}
		entries := []audit.Entry{
			{Action: audit.ActionGroupMemberAdded, TargetType: "group", TargetID: ga.ID.String(), Actor: &ua.ID, Details: map[string]string{"membership_id": ma.ID.String()}},
			{Action: audit.ActionGroupMemberAdded, TargetType: "group", TargetID: gb.ID.String(), Actor: &ub.ID, ActorLabel: "bert@b.example", Details: map[string]string{"membership_id": mb.ID.String()}},
			{Action: audit.ActionInvitationResent, TargetType: "invitation", TargetID: ia.ID.String()},
			{Action: audit.ActionInvitationResent, TargetType: "invitation", TargetID: ib.ID.String()},
			{Action: audit.ActionPolicyChanged, TargetType: "tenant", TargetID: ta.ID.String()},
			{Action: audit.ActionPolicyChanged, TargetType: "tenant", TargetID: tb.ID.String()},
			{Action: audit.ActionLoginSucceeded, TargetType: "user", TargetID: ub.ID.String()},
		}
		var names []audit.Names
		if err := d.Tenant(ctx, ta.ID, func(tx *db.Tx) error {
			var evs []audit.Event
			for _, en := range entries {
				ev, err := audit.Append(ctx, tx, en)
				if err != nil {
					return err
				}
				evs = append(evs, *ev)
			}
			var err error
			names, err = audit.Resolve(ctx, tx, evs)
			return err
		}); err != nil {
			t.Fatal(err)
		}
		want := []struct{ name, state string }{
			{"Gruppe A", audit.StateLive}, {"", audit.StateDeleted},
			{"gast@a.example", audit.StateLive}, {"", audit.StateDeleted},
			{"Amt A", audit.StateLive}, {"", audit.StateDeleted},
			{"", audit.StateDeleted},
		}
		for i, w := range want {
			if got := names[i].Target; got.Name != w.name || got.State != w.state {
				t.Errorf("entry %d (%s): %+v, want %q %s", i, entries[i].Action, got, w.name, w.state)
			}
		}
		if a := names[0].Actor; a.Name != "Anna Amsel" || a.Email != "anna@a.example" || a.Link == nil || a.Link.ID != ma.ID.String() {
			t.Errorf("own actor: %+v", a)
		}
		if r := names[0].Related; len(r) != 1 || r[0].Name != "Anna Amsel" || r[0].Link.Kind != audit.LinkMember {
			t.Errorf("own member: %+v", r)
		}
		if a := names[1].Actor; a.Name != "bert@b.example" || a.Email != "" || a.Link != nil || a.State != audit.StateDeleted {
			t.Errorf("other tenant's actor: %+v", a)
		}
		if r := names[1].Related; len(r) != 1 || r[0].Name != "" || r[0].Link != nil {
			t.Errorf("other tenant's member: %+v", r)
		}
	})
}
