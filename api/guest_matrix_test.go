package api_test

import (
	"bytes"
	"strconv"
	"strings"
	"testing"

	"github.com/google/uuid"
	"github.com/kollab/kollab/internal/db"
	"github.com/kollab/kollab/internal/db/dbtest"
	"github.com/kollab/kollab/tenant"
	"github.com/kollab/kollab/workspaces"
)

// TestGuestMatrix: a guest of workspace W gets, for every route of the
// OpenAPI document that names an object of the tenant outside W, exactly
// (status, type and bytes) what an unknown id gets; and no list, search or
// overview the guest can call shows an id or a name of anything outside W.
func TestGuestMatrix(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		a := e.seedTenant("amt-g")
		ctx := t.Context()
		page, err := e.tenants.ListMembers(ctx, tenant.Operator(a.tenant.ID), tenant.MemberFilter{})
		if err != nil || len(page.Members) != 1 {
			t.Fatal(err)
		}
		admin := page.Members[0]
		adminActor := tenant.ActorFromMembership(&admin.Membership)
		// The tenant's objects outside W.
		group, err := e.tenants.CreateGroup(ctx, tenant.Operator(a.tenant.ID), "Bauamt", "")
		if err != nil {
			t.Fatal(err)
		}
		inv, _, err := e.tenants.Invite(ctx, adminActor, "neu@amt-g.example", tenant.RoleStaff)
		if err != nil {
			t.Fatal(err)
		}
		ad := docObjects(t, e, a.tenant.ID, admin)
		am := minutesObjects(t, e, a.tenant.ID, admin, true)
		ac := committeeObjects(t, e, a.tenant.ID, admin, ad)
		aw := workspaceObjects(t, e, a.tenant.ID, admin) // open: staff may join it, a guest never sees it
		ao := addressBookObjects(t, e, admin)
		note := e.notification(a.tenant.ID, admin.ID)
		a.admin.reauth(testPassword, a.secret)
		var tok struct {
			ID uuid.UUID `json:"id"`
		}
		a.admin.must(201, "POST", "/api/v1/me/tokens", map[string]any{"name": "Skript"}).json(t, &tok)
		// W, with the guest as a member.
		w, err := e.ws.Create(ctx, adminActor, workspaces.Input{Name: "Brücke Nord"})
		if err != nil {
			t.Fatal(err)
		}
		_, token := inviteGuest(t, a.admin, "amt-g", w.ID, map[string]any{"email": "gast@ib.example", "role": "member"})
		g, _ := guestSignsUp(t, e, "amt-g", "gast@ib.example", token)
		g.must(200, "GET", "/api/v1/t/amt-g/workspaces/"+w.ID.String(), nil)
		// Consultations: one in another workspace, and one in W that does
		// not invite the guest's organisation (the guest has none).
		elsewhere := consultationObjects(t, e, aw, ao)
		inW := consultationObjects(t, e, &workspaceStore{admin: adminActor, ws: w}, ao)
		// Tasks of another workspace (W's own tasks are the guest's to see).
		tasksElsewhere := taskObjects(t, e, aw)

		outside := map[string][]uuid.UUID{
			"organisations": {ao.org.ID}, "contacts": {ao.contact.ID}, "members": {admin.ID}, "invitations": {inv.ID},
			"groups": {group.ID}, "folders": {ad.folder.ID, ad.trashedFolder.ID, *aw.ws.FolderID}, "documents": {ad.doc.ID, ad.trashedDoc.ID},
			"entries": {ad.entry}, "revisions": {ad.rev}, "committees": {ac.committee.ID}, "meetings": {ac.meeting.ID, am.meeting},
			"agenda-items": {ac.item.ID, am.item}, "polls": {ac.poll.ID, ac.written.ID}, "delegations": {ac.delegation.ID},
			"workspaces": {aw.ws.ID}, "notifications": {note}, "tokens": {tok.ID}, "guests": {admin.ID},
			"consultations": {elsewhere.c.ID, inW.c.ID}, "statements": {elsewhere.st.ID, inW.st.ID},
			"tasks": {tasksElsewhere.task.ID, tasksElsewhere.other.ID}, "task-statuses": {tasksElsewhere.status.ID},
		}
		// What must never show in an answer to the guest.
		secrets := []string{"Bescheid", "Akten", "Ablage", "Ingenieurbüro", "Weiß", "Bauamt", "neu@amt-g.example", aw.ws.Name, "Brief",
			tasksElsewhere.task.Title, tasksElsewhere.comment.Body, tasksElsewhere.comment.ID.String()}
		for kind, ids := range outside {
			for _, id := range ids {
				if kind != "members" && kind != "guests" { // the admin is W's owner: the guest sees that person
					secrets = append(secrets, id.String())
				}
			}
		}
		bodies := matrixBodies(matrixRefs{ad: ad, am: am, ac: ac, ao: ao, group: group, tasks: tasksElsewhere})
		queries := matrixQueries()
		aSecond := map[string]string{"{membership}": admin.ID.String(), "{entry}": ad.entry.String(), "{revision}": ad.rev.String(),
			"{document}": ad.doc.ID.String(), "{invitation}": inv.ID.String(),
			"{statement}": elsewhere.st.ID.String(), "{other}": tasksElsewhere.other.ID.String(), "{comment}": tasksElsewhere.comment.ID.String()}
		g = g.with("If-Match", strconv.Quote(strconv.FormatInt(ad.doc.Version, 10)))
		probed, listed := 0, 0
		for _, o := range operations(e) {
			if !strings.Contains(o.path, "{tenant}") || strings.Contains(o.path, "/invitations/lookup") || strings.Contains(o.path, "/invitations/accept") {
				continue
			}
			key := o.method + " " + o.path
			call := func(id string) *resp {
				p := fillPath(o.path, "amt-g", id, aSecond)
				if q := queries[key]; q != "" {
					p += "?" + q
				}
				return g.do(o.method, p, fill(bodies[key], "", ""))
			}
			if !strings.Contains(o.path, "{id}") {
				if o.method != "GET" || strings.HasSuffix(o.path, "/events") { // the bell stream never ends; it carries only the caller's own count
					continue
				}
				listed++
				r := call("")
				for _, s := range secrets {
					if bytes.Contains(r.body, []byte(s)) {
						t.Errorf("%s shows the guest %q: %d %s", key, s, r.status, r.body)
					}
				}
				continue
			}
			_, rest, _ := strings.Cut(o.path, "/{tenant}/")
			kind, _, _ := strings.Cut(rest, "/")
			ids, ok := outside[kind]
			if !ok {
				t.Fatalf("%s: no object outside the guest's workspace for kind %q; extend the guest matrix", key, kind)
			}
			unknown := call(uuid.Must(uuid.NewV7()).String())
			for _, id := range ids {
				probed++
				got := call(id.String())
				if got.status != unknown.status || !bytes.Equal(got.body, unknown.body) || got.header.Get("Content-Type") != unknown.header.Get("Content-Type") {
					t.Errorf("%s with %s %s: %d %s\n  differs from unknown: %d %s", key, kind, id, got.status, got.body, unknown.status, unknown.body)
				}
				if got.status < 400 {
					t.Errorf("%s with %s %s: succeeded with %d", key, kind, id, got.status)
				}
			}
		}
		if probed < 100 || listed < 15 {
			t.Fatalf("probed only %d ids on %d list routes", probed, listed)
		}
		t.Logf("%d probes by id, %d lists", probed, listed)
		// Nothing outside W changed.
		ad.unchanged(t, e)
		ac.unchanged(t, e)
		aw.unchanged(t, e)
		ao.unchanged(t, e)
		elsewhere.unchanged(t, e)
		tasksElsewhere.unchanged(t, e)
		inW.unchanged(t, e)
	})
}
