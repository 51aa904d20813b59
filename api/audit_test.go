package api_test

import (
	"context"
	"strings"
	"testing"

	"github.com/kollab/kollab/api"
	"github.com/kollab/kollab/internal/audit"
	"github.com/kollab/kollab/internal/db"
	"github.com/kollab/kollab/internal/db/dbtest"
	"github.com/kollab/kollab/tenant"
)

type auditPage struct {
	Entries    []api.AuditEntry `json:"entries"`
	NextCursor *int64           `json:"next_cursor"`
}

// The audit log names each entry's actor and object by their current
// names, with the page that shows them; deleted objects by their last
// recorded name; never an object of another tenant.
func TestAuditNamesOverHTTP(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		ctx := context.Background()
		a, b := e.seedTenant("stadt"), e.seedTenant("land")
		admin := func(s *seeded) tenant.Member {
			page, err := e.tenants.ListMembers(ctx, tenant.Operator(s.tenant.ID), tenant.MemberFilter{})
			if err != nil || len(page.Members) != 1 {
				t.Fatal(err)
			}
			return page.Members[0]
		}
		am, bm := admin(a), admin(b)
		ad, bd := docObjects(t, e, a.tenant.ID, am), docObjects(t, e, b.tenant.ID, bm)
		ac := committeeObjects(t, e, a.tenant.ID, am, ad)
		// A folder renamed since its creation; a trashed document purged.
		if _, err := e.docs.RenameFolder(ctx, ad.actor, ad.other.ID, "Archiv"); err != nil {
			t.Fatal(err)
		}
		if _, err := e.docs.PurgeDocument(ctx, ad.actor, ad.trashedDoc.ID); err != nil {
			t.Fatal(err)
		}
		group, err := e.tenants.CreateGroup(ctx, tenant.Operator(a.tenant.ID), "Bauamt", "")
		if err != nil {
			t.Fatal(err)
		}
		if err := e.tenants.DeleteGroup(ctx, tenant.Operator(a.tenant.ID), group.ID); err != nil {
			t.Fatal(err)
		}
		// An entry of tenant A that names tenant B's objects and B's admin
		// as its actor (as a forged or corrupted row would).
		stranger := bm.UserID
		if err := d.Tenant(ctx, a.tenant.ID, func(tx *db.Tx) error {
			_, err := audit.Append(ctx, tx, audit.Entry{Action: "documents.document.created", TargetType: "document", TargetID: bd.doc.ID.String(),
				Actor: &stranger, ActorLabel: "fremd@example.org", Details: map[string]string{"folder_id": bd.folder.ID.String(), "title": "Falsch"}})
			return err
		}); err != nil {
			t.Fatal(err)
		}

		var page auditPage
		a.admin.must(200, "GET", "/api/v1/t/stadt/audit?limit=200", nil).json(t, &page)
		if page.NextCursor != nil {
			t.Fatalf("more than one page: %d entries", len(page.Entries))
		}
		find := func(action, targetID string) api.AuditEntry {
			t.Helper()
			for _, en := range page.Entries {
				if en.Action == action && (targetID == "" || en.TargetID == targetID) {
					return en
				}
			}
			t.Fatalf("no %s entry for %s", action, targetID)
			return api.AuditEntry{}
		}
		check := func(what string, o *api.AuditObject, typ, name, state, linkKind, linkID string) {
			t.Helper()
			switch {
			case o == nil:
				t.Errorf("%s: no object", what)
			case o.Type != typ || o.Name != name || o.State != state:
				t.Errorf("%s: %+v, want %s %q %s", what, o, typ, name, state)
			case linkKind == "" && o.Link != nil:
				t.Errorf("%s: link %+v, want none", what, o.Link)
			case linkKind != "" && (o.Link == nil || o.Link.Kind != linkKind || o.Link.ID != linkID):
				t.Errorf("%s: link %+v, want %s %s", what, o.Link, linkKind, linkID)
			}
		}
		for _, en := range page.Entries {
			if en.Module == "" || !strings.HasPrefix(en.Action, en.Module+".") {
				t.Errorf("entry %s: module %q", en.Action, en.Module)
			}
		}

		created := find("documents.document.created", ad.doc.ID.String())
		check("document", created.Object, "document", "Bescheid", "live", "document", ad.doc.ID.String())
		check("actor", created.Actor, "user", "Admin stadt", "live", "member", am.ID.String())
		if created.Actor.Email != a.email {
			t.Errorf("actor e-mail %q", created.Actor.Email)
		}
		if len(created.Related) != 1 || created.Related[0].Key != "folder_id" {
			t.Fatalf("related: %+v", created.Related)
		}
		check("folder of the document", &created.Related[0].AuditObject, "folder", "Akten", "live", "folder", ad.folder.ID.String())
		check("renamed folder", find("documents.folder.created", ad.other.ID.String()).Object, "folder", "Archiv", "live", "folder", ad.other.ID.String())
		check("trashed folder", find("documents.folder.trashed", ad.trashedFolder.ID.String()).Object, "folder", "Alt", "trashed", "trash", "")
		check("purged document", find("documents.document.created", ad.trashedDoc.ID.String()).Object, "document", "Entwurf", "deleted", "", "")
		check("deleted group", find("tenant.group.created", group.ID.String()).Object, "group", "Bauamt", "deleted", "", "")
		check("committee", find("committees.committee.created", ac.committee.ID.String()).Object, "committee", "Hauptausschuss", "live", "committee", ac.committee.ID.String())
		check("meeting", find("committees.meeting.created", ac.meeting.ID.String()).Object, "meeting", "Sitzung", "live", "meeting", ac.meeting.ID.String())
		check("agenda item", find("committees.agenda_item.added", ac.item.ID.String()).Object, "agenda_item", "Haushalt", "live", "meeting", ac.meeting.ID.String())
		check("poll", find("committees.poll.opened", ac.poll.ID.String()).Object, "poll", "Beschluss", "live", "poll", ac.poll.ID.String())
		set := find("committees.member.set", ac.committee.ID.String())
		if len(set.Related) != 1 {
			t.Fatalf("member set: %+v", set.Related)
		}
		if r := set.Related[0]; r.Type != "membership" || r.State != "live" || r.Link == nil || r.Link.Kind != "member" {
			t.Errorf("committee member: %+v", r)
		}
		login := find("auth.login.succeeded", "")
		check("signed-in account", login.Object, "user", "Admin stadt", "live", "member", am.ID.String())
		check("tenant", find("tenant.created", a.tenant.ID.String()).Object, "tenant", "Amt stadt", "live", "", "")

		// Tenant B's objects are unknown here: no link, and no name but
		// what A's own log recorded (never B's title "Bescheid").
		forged := find("documents.document.created", bd.doc.ID.String())
		check("other tenant's document", forged.Object, "document", "Falsch", "deleted", "", "")
		check("other tenant's folder", &forged.Related[0].AuditObject, "folder", "", "deleted", "", "")
		check("other tenant's admin", forged.Actor, "user", "fremd@example.org", "deleted", "", "")
		for _, en := range page.Entries {
			for _, o := range append([]*api.AuditObject{en.Actor, en.Object}, relatedOf(en)...) {
				if o != nil && (strings.Contains(o.Name, "land") || strings.Contains(o.Email, "land")) {
					t.Errorf("%s names tenant B: %+v", en.Action, o)
				}
			}
		}

		// The catalogue labels every action the page shows.
		var cat struct {
			Modules []api.AuditModule `json:"modules"`
			Actions []api.AuditAction `json:"actions"`
			Types   []api.AuditType   `json:"types"`
		}
		a.admin.must(200, "GET", "/api/v1/t/stadt/audit/actions", nil).json(t, &cat)
		labelled := map[string]bool{}
		for _, ac := range cat.Actions {
			labelled[ac.Key] = ac.Label.DE != "" && ac.Label.EN != ""
		}
		types := map[string]bool{}
		for _, ty := range cat.Types {
			types[ty.Key] = true
		}
		for _, en := range page.Entries {
			if !labelled[en.Action] {
				t.Errorf("%s has no labels in the catalogue", en.Action)
			}
			if en.TargetType != "" && !types[en.TargetType] {
				t.Errorf("type %s has no label", en.TargetType)
			}
		}
		if len(cat.Modules) < 4 || len(cat.Actions) < 80 {
			t.Errorf("catalogue: %d modules, %d actions", len(cat.Modules), len(cat.Actions))
		}
		// Only admins read it.
		staff, _ := e.person(a, "sachbearbeiter", tenant.RoleStaff)
		staff.must(403, "GET", "/api/v1/t/stadt/audit/actions", nil)
		a.admin.must(404, "GET", "/api/v1/t/land/audit/actions", nil)
	})
}

func relatedOf(en api.AuditEntry) []*api.AuditObject {
	var out []*api.AuditObject
	for i := range en.Related {
		out = append(out, &en.Related[i].AuditObject)
	}
	return out
}
