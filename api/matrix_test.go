package api_test

import (
	"bytes"
	"context"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/danielgtaylor/huma/v2"
	"github.com/google/uuid"
	"github.com/kollab/kollab/documents"
	"github.com/kollab/kollab/internal/db"
	"github.com/kollab/kollab/internal/db/dbtest"
	"github.com/kollab/kollab/tenant"
	"github.com/kollab/kollab/workspaces/contacts"
)

type op struct{ method, path string }

func operations(e *env) []op {
	var ops []op
	for path, item := range e.srv.API().OpenAPI().Paths {
		for method, o := range map[string]*huma.Operation{"GET": item.Get, "POST": item.Post, "PUT": item.Put, "PATCH": item.Patch, "DELETE": item.Delete} {
			if o != nil {
				ops = append(ops, op{method, path})
			}
		}
	}
	sort.Slice(ops, func(i, j int) bool { return ops[i].path+ops[i].method < ops[j].path+ops[j].method })
	return ops
}

// TestCrossTenantMatrix: for every tenant-scoped route, the ids of tenant B
// used by an admin of tenant A answer exactly (status, type and bytes) like
// unknown ids; and tenant B's slug answers like a tenant that does not exist.
func TestCrossTenantMatrix(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		a, b := e.seedTenant("amt-a"), e.seedTenant("amt-b")
		ctx := context.Background()
		// Objects of tenant B: its admin's membership, a pending invitation.
		bPage, err := e.tenants.ListMembers(ctx, tenant.Operator(b.tenant.ID), tenant.MemberFilter{})
		if err != nil || len(bPage.Members) != 1 {
			t.Fatal(err)
		}
		bMembers := bPage.Members
		bInv, bInvToken, err := e.tenants.Invite(ctx, tenant.ActorFromMembership(&bMembers[0].Membership), "gast@amt-b.example", "staff")
		if err != nil {
			t.Fatal(err)
		}
		bGroup, err := e.tenants.CreateGroup(ctx, tenant.Operator(b.tenant.ID), "Gruppe B", "")
		if err != nil {
			t.Fatal(err)
		}
		if err := e.tenants.SetGroupMember(ctx, tenant.Operator(b.tenant.ID), bGroup.ID, bMembers[0].ID, true); err != nil {
			t.Fatal(err)
		}
		aGroup, err := e.tenants.CreateGroup(ctx, tenant.Operator(a.tenant.ID), "Gruppe A", "")
		if err != nil {
			t.Fatal(err)
		}
		aPage, err := e.tenants.ListMembers(ctx, tenant.Operator(a.tenant.ID), tenant.MemberFilter{})
		if err != nil {
			t.Fatal(err)
		}
		aMembers := aPage.Members
		// Document store objects of both tenants (see docObjects).
		ad, bd := docObjects(t, e, a.tenant.ID, aMembers[0]), docObjects(t, e, b.tenant.ID, bMembers[0])
		// Minutes of both tenants (see minutesObjects in minutes_test.go): A's a draft, B's approved and filed.
		am, bm := minutesObjects(t, e, a.tenant.ID, aMembers[0], false), minutesObjects(t, e, b.tenant.ID, bMembers[0], true)
		// Committee objects of both tenants (see committeeObjects in committees_test.go).
		ac, bc := committeeObjects(t, e, a.tenant.ID, aMembers[0], ad), committeeObjects(t, e, b.tenant.ID, bMembers[0], bd)
		// Workspaces of both tenants (see workspaceObjects in workspaces_test.go).
		aw, bw := workspaceObjects(t, e, a.tenant.ID, aMembers[0]), workspaceObjects(t, e, b.tenant.ID, bMembers[0])
		// Address book objects of both tenants: an organisation with a contact.
		ao, bo := addressBookObjects(t, e, aMembers[0]), addressBookObjects(t, e, bMembers[0])
		// Consultations of both tenants (see consultationObjects in consultations_test.go).
		acs, bcs := consultationObjects(t, e, aw, ao), consultationObjects(t, e, bw, bo)
		// Tasks of both tenants (see taskObjects in tasks_test.go).
		at, bt := taskObjects(t, e, aw), taskObjects(t, e, bw)
		bIDs := map[string][]uuid.UUID{
			"organisations": {bo.org.ID},
			"contacts":      {bo.contact.ID},
			"members":       {bMembers[0].ID},
			"invitations":   {bInv.ID},
			"groups":        {bGroup.ID},
			"folders":       {bd.folder.ID, bd.trashedFolder.ID},
			"documents":     {bd.doc.ID, bd.trashedDoc.ID},
			"entries":       {bd.entry},
			"revisions":     {bd.rev},
			// committees
			"committees":    {bc.committee.ID},
			"meetings":      {bc.meeting.ID},
			"agenda-items":  {bc.item.ID},
			"polls":         {bc.poll.ID, bc.written.ID},
			"delegations":   {bc.delegation.ID},
			"workspaces":    {bw.ws.ID},
			"guests":        {e.guest(b.tenant.ID, "gast@b.example").ID},
			"consultations": {bcs.c.ID}, "statements": {bcs.st.ID},
			"tasks": {bt.task.ID, bt.other.ID}, "task-statuses": {bt.status.ID}, "comments": {bt.comment.ID},
		}
		// A notification of each tenant's admin.
		aNote, bNote := e.notification(a.tenant.ID, aMembers[0].ID), e.notification(b.tenant.ID, bMembers[0].ID)
		bIDs["notifications"] = []uuid.UUID{bNote}
		// An API token of B's admin (the admin console lists and revokes a tenant's tokens).
		b.admin.reauth(testPassword, b.secret)
		var bTok struct {
			ID    uuid.UUID `json:"id"`
			Token string    `json:"token"`
		}
		b.admin.must(201, "POST", "/api/v1/me/tokens", map[string]any{"name": "Skript B"}).json(t, &bTok)
		bIDs["tokens"] = []uuid.UUID{bTok.ID}
		bIDs["meetings"] = append(bIDs["meetings"], bm.meeting)
		bIDs["agenda-items"] = append(bIDs["agenda-items"], bm.item)
		// A's objects of each kind: the valid path id (or body reference)
		// when another part of the request is under test.
		aIDs := map[string]uuid.UUID{"folders": ad.folder.ID, "documents": ad.doc.ID, "groups": aGroup.ID,
			"members": aMembers[0].ID, "entries": ad.entry,
			"organisations": ao.org.ID, "contacts": ao.contact.ID,
			"committees": ac.committee.ID, "meetings": ac.meeting.ID, "agenda-items": ac.item.ID, "polls": ac.poll.ID, "delegations": ac.delegation.ID,
			"workspaces": aw.ws.ID, "notifications": aNote, "guests": e.guest(a.tenant.ID, "gast@a.example").ID,
			"consultations": acs.c.ID, "tasks": at.task.ID, "task-statuses": at.status.ID}
		bodies := matrixBodies(matrixRefs{ad: ad, am: am, ac: ac, ao: ao, group: aGroup, tasks: at})
		queries := matrixQueries()
		soon := time.Now().Add(time.Hour)
		// Requests that name a second object in the body or query (REF):
		// tenant B's ids there must answer like unknown ids, too, while the
		// path names A's object of the route's kind.
		type refCase struct {
			kind  string // the kind of object REF names
			body  any
			query string
			// resolves: the request succeeds; B's ids simply do not resolve
			// (the answer is the one for an unknown id, with nothing found).
			resolves bool
			// id is the path's object when not A's object of the route's kind.
			id uuid.UUID
		}
		refs := map[string][]refCase{
			"POST /api/v1/t/{tenant}/folders":             {{kind: "folders", body: map[string]any{"parent_id": "REF", "name": "Neu"}}},
			"POST /api/v1/t/{tenant}/folders/{id}/move":   {{kind: "folders", body: map[string]any{"parent_id": "REF"}}},
			"POST /api/v1/t/{tenant}/folders/{id}/copy":   {{kind: "folders", body: map[string]any{"parent_id": "REF"}}},
			"POST /api/v1/t/{tenant}/documents/{id}/move": {{kind: "folders", body: map[string]any{"folder_id": "REF"}}},
			"POST /api/v1/t/{tenant}/documents/{id}/copy": {{kind: "folders", body: map[string]any{"folder_id": "REF"}}},
			"GET /api/v1/t/{tenant}/documents":            {{kind: "folders", query: "folder_id=REF"}, {kind: "folders", query: "folder_id=REF&recursive=true"}},
			"GET /api/v1/t/{tenant}/search":               {{kind: "folders", query: "q=Bericht&folder_id=REF"}},
			"PUT /api/v1/t/{tenant}/folders/{id}/permissions": {
				{kind: "groups", body: map[string]any{"principal": map[string]any{"type": "group", "group_id": "REF"}, "level": "read"}},
				{kind: "members", body: map[string]any{"principal": map[string]any{"type": "user", "membership_id": "REF"}, "level": "read"}},
			},
			"GET /api/v1/t/{tenant}/directory": {
				{kind: "members", query: "ids=REF", resolves: true},
				{kind: "members", query: "ids=REF," + aMembers[0].ID.String(), resolves: true},
				{kind: "groups", query: "group_ids=REF", resolves: true},
				{kind: "members", query: "cursor=REF"},
			},
			// minutes: A's closed meeting chaired by A's admin, so that the folder decides
			"POST /api/v1/t/{tenant}/meetings/{id}/minutes/approve": {{kind: "folders", body: map[string]any{"folder_id": "REF"}, id: am.meeting}},
			// committees
			"GET /api/v1/t/{tenant}/meetings/{id}/quorum":         {{kind: "agenda-items", query: "item=REF"}},
			"PUT /api/v1/t/{tenant}/meetings/{id}/agenda/order":   {{kind: "agenda-items", body: map[string]any{"order": []string{"REF"}}}},
			"POST /api/v1/t/{tenant}/agenda-items/{id}/papers":    {{kind: "documents", body: map[string]any{"document_id": "REF"}}},
			"PUT /api/v1/t/{tenant}/meetings/{id}/current-item":   {{kind: "agenda-items", body: map[string]any{"agenda_item_id": "REF"}}},
			"PATCH /api/v1/t/{tenant}/polls/{id}":                 {{kind: "agenda-items", body: map[string]any{"agenda_item_id": "REF"}, id: ac.written.ID}},
			"POST /api/v1/t/{tenant}/agenda-items/{id}/conflicts": {{kind: "members", body: map[string]any{"membership_id": "REF"}}},
			"POST /api/v1/t/{tenant}/polls/{id}/ballots":          {{kind: "members", body: map[string]any{"choice": "yes", "voter_membership_id": "REF"}}},
			"POST /api/v1/t/{tenant}/polls": {
				{kind: "agenda-items", body: map[string]any{"agenda_item_id": "REF", "title": "Neu", "kind": "named", "method": "yes_no_abstain"}},
				{kind: "committees", body: map[string]any{"committee_id": "REF", "deadline": soon, "title": "Neu", "kind": "named", "method": "yes_no_abstain"}},
			},
			// address book
			"GET /api/v1/t/{tenant}/organisations":   {{kind: "organisations", query: "cursor=REF"}},
			"GET /api/v1/t/{tenant}/contacts":        {{kind: "organisations", query: "organisation_id=REF"}, {kind: "contacts", query: "cursor=REF"}},
			"POST /api/v1/t/{tenant}/contacts":       {{kind: "organisations", body: map[string]any{"organisation_id": "REF", "family_name": "Neu"}}},
			"PATCH /api/v1/t/{tenant}/contacts/{id}": {{kind: "organisations", body: map[string]any{"organisation_id": "REF"}}},
			"POST /api/v1/t/{tenant}/workspaces/{id}/consultations": {
				{kind: "organisations", body: map[string]any{"subject": "Neu", "deadline": soon.Add(72 * time.Hour), "organisations": []string{"REF"}}},
				{kind: "documents", body: map[string]any{"subject": "Neu", "deadline": soon.Add(72 * time.Hour), "documents": []string{"REF"}}},
			},
			"POST /api/v1/t/{tenant}/consultations/{id}/statements/postal": {{kind: "organisations", body: map[string]any{"organisation_id": "REF", "body": "Brief"}}},
			// tasks
			"POST /api/v1/t/{tenant}/workspaces/{id}/tasks": {
				{kind: "members", body: map[string]any{"title": "Neu", "assignee_ids": []string{"REF"}}},
				{kind: "members", body: map[string]any{"title": "Neu", "watcher_ids": []string{"REF"}}},
				{kind: "groups", body: map[string]any{"title": "Neu", "group_ids": []string{"REF"}}},
				{kind: "documents", body: map[string]any{"title": "Neu", "document_id": "REF"}},
				{kind: "task-statuses", body: map[string]any{"title": "Neu", "status_id": "REF"}},
				{kind: "tasks", body: map[string]any{"title": "Neu", "parent_id": "REF"}},
			},
			"POST /api/v1/t/{tenant}/tasks/{id}/links":       {{kind: "tasks", body: map[string]any{"task_id": "REF", "kind": "relates"}}},
			"PUT /api/v1/t/{tenant}/workspaces/{id}/project": {{kind: "members", body: map[string]any{"lead_id": "REF"}}},
			"POST /api/v1/t/{tenant}/tasks/{id}/documents":   {{kind: "documents", body: map[string]any{"document_id": "REF"}}},
			"POST /api/v1/t/{tenant}/tasks/{id}/comments":    {{kind: "members", body: map[string]any{"body": "Hallo", "mentions": []string{"REF"}}}},
			"GET /api/v1/t/{tenant}/workspaces/{id}/tasks": {
				{kind: "task-statuses", query: "status_id=REF", resolves: true},
				{kind: "members", query: "assignee_id=REF", resolves: true},
			},
			"POST /api/v1/t/{tenant}/delegations": {
				{kind: "meetings", body: map[string]any{"meeting_id": "REF", "to_membership_id": ac.voter.MembershipID}},
				{kind: "polls", body: map[string]any{"poll_id": "REF", "to_membership_id": ac.voter.MembershipID}},
				{kind: "members", body: map[string]any{"meeting_id": ac.meeting.ID, "from_membership_id": ac.voter.MembershipID, "to_membership_id": "REF"}},
				{kind: "members", body: map[string]any{"meeting_id": ac.meeting.ID, "from_membership_id": "REF", "to_membership_id": ac.admin.MembershipID}},
			},
		}
		unseenRefs := map[string]bool{}
		for k := range refs {
			unseenRefs[k] = true
		}
		// Second path parameters: the kind of object each names, and A's
		// object used while the first id is under test.
		secondKinds := map[string]string{"{membership}": "members", "{entry}": "entries", "{revision}": "revisions", "{document}": "documents",
			"{invitation}": "invitations", "{statement}": "statements", "{other}": "tasks", "{comment}": "comments"}
		aSecond := map[string]string{"{membership}": aMembers[0].ID.String(), "{entry}": ad.entry.String(), "{revision}": ad.rev.String(),
			"{document}": ad.doc.ID.String(), "{invitation}": uuid.Nil.String(), "{statement}": acs.st.ID.String(),
			"{other}": at.other.ID.String(), "{comment}": at.comment.ID.String()}
		// Document writes carry the If-Match of A's document, so that B's
		// ids fail on being unknown, not on a missing or stale precondition.
		a.admin = a.admin.with("If-Match", strconv.Quote(strconv.FormatInt(ad.doc.Version, 10)))
		unknownToken := strings.Repeat("x", len(bInvToken))
		tested := 0
		for _, o := range operations(e) {
			if !strings.Contains(o.path, "{tenant}") {
				continue
			}
			tested++
			key := o.method + " " + o.path
			body := bodies[key]
			if o.method != "GET" && o.method != "DELETE" && body == nil && !strings.HasSuffix(o.path, "/resend") && !strings.HasSuffix(o.path, "/totp-reset") && !strings.HasSuffix(o.path, "{membership}") {
				t.Fatalf("%s: the matrix needs a request body for this route", key)
			}
			// call sends the route with the tenant slug, the {id}, a token
			// for TOKEN in the body, and optionally a second path id
			// (otherwise A's object of that kind).
			call := func(slug, id, token string, second ...string) *resp {
				p := fillPath(o.path, slug, id, aSecond, second...)
				if q := queries[key]; q != "" {
					p += "?" + q
				}
				return a.admin.do(o.method, p, fill(body, token, ""))
			}
			same := func(what string, got, want *resp) {
				t.Helper()
				if got.status != want.status || !bytes.Equal(got.body, want.body) || got.header.Get("Content-Type") != want.header.Get("Content-Type") {
					t.Errorf("%s %s: %d %s\n  differs from unknown: %d %s", key, what, got.status, got.body, want.status, want.body)
				}
				if got.status < 400 {
					t.Errorf("%s %s: succeeded with %d", key, what, got.status)
				}
			}
			unknownID := uuid.Must(uuid.NewV7()).String()
			// B's slug as a non-member is a tenant that does not exist.
			if !strings.Contains(key, "invitations/lookup") && !strings.Contains(key, "invitations/accept") {
				same("with tenant B's slug", call(b.tenant.Slug, unknownID, unknownToken), call("gibt-es-nicht", unknownID, unknownToken))
			}
			// B's tokens inside A are unknown tokens.
			if strings.Contains(key, "invitations/lookup") || strings.Contains(key, "invitations/accept") {
				same("with B's invitation token", call(a.tenant.Slug, "", bInvToken), call(a.tenant.Slug, "", unknownToken))
				continue
			}
			_, rest, _ := strings.Cut(o.path, "/{tenant}/")
			kind, _, _ := strings.Cut(rest, "/")
			// B's ids in the body or query, on A's object.
			delete(unseenRefs, key)
			for _, rc := range refs[key] {
				ids, ok := bIDs[rc.kind]
				if !ok {
					t.Fatalf("%s: no object of tenant B for kind %q; extend the matrix", key, rc.kind)
				}
				ref := func(refID string) *resp {
					pathID := aIDs[kind]
					if rc.id != uuid.Nil {
						pathID = rc.id
					}
					p := fillPath(o.path, a.tenant.Slug, pathID.String(), aSecond)
					if rc.query != "" {
						p += "?" + strings.ReplaceAll(rc.query, "REF", refID)
					}
					return a.admin.do(o.method, p, fill(rc.body, "", refID))
				}
				for _, id := range ids {
					got, want := ref(id.String()), ref(unknownID)
					if !rc.resolves {
						same("with B's "+rc.kind+" id in the request", got, want)
						continue
					}
					if got.status != 200 || !bytes.Equal(got.body, want.body) || bytes.Contains(got.body, []byte(id.String())) {
						t.Errorf("%s with B's %s id in %s: %d %s\n  differs from unknown: %d %s", key, rc.kind, rc.query, got.status, got.body, want.status, want.body)
					}
				}
			}
			if !strings.Contains(o.path, "{id}") {
				continue
			}
			ids, ok := bIDs[kind]
			if !ok {
				t.Fatalf("%s: no object of tenant B for kind %q; extend the matrix", key, kind)
			}
			for _, id := range ids {
				same("with B's "+kind+" id", call(a.tenant.Slug, id.String(), ""), call(a.tenant.Slug, unknownID, ""))
			}
			if strings.Contains(o.path, "{membership}") {
				same("with A's "+kind+" and B's member", call(a.tenant.Slug, aIDs[kind].String(), "", bMembers[0].ID.String()),
					call(a.tenant.Slug, aIDs[kind].String(), "", unknownID))
			}
			// Other second ids: B's object below A's object.
			for param, secondKind := range secondKinds {
				if param == "{membership}" || !strings.Contains(o.path, param) {
					continue
				}
				for _, id := range bIDs[secondKind] {
					same("with A's "+kind+" and B's "+secondKind+" id", call(a.tenant.Slug, aIDs[kind].String(), "", id.String()),
						call(a.tenant.Slug, aIDs[kind].String(), "", unknownID))
				}
			}
		}
		bScript := e.client()
		bScript.bearer = bTok.Token
		bScript.must(200, "GET", "/api/v1/me", nil) // A's admin did not revoke B's token
		if ms, err := e.tenants.GroupMembers(ctx, tenant.Operator(b.tenant.ID), bGroup.ID); err != nil || len(ms) != 1 {
			t.Fatalf("B's group changed: %+v %v", ms, err)
		}
		if ms, err := e.tenants.GroupMembers(ctx, tenant.Operator(a.tenant.ID), aGroup.ID); err != nil || len(ms) != 0 {
			t.Fatalf("A's group got a member: %+v %v", ms, err)
		}
		if len(unseenRefs) > 0 {
			t.Fatalf("routes with references that the matrix did not find: %v", unseenRefs)
		}
		if tested < 20 {
			t.Fatalf("only %d tenant routes found", tested)
		}
		// Nothing of B changed.
		if m, err := e.tenants.Member(ctx, tenant.Operator(b.tenant.ID), bMembers[0].ID); err != nil || m.Role != "admin" || m.Status != "active" {
			t.Fatalf("B's member changed: %+v %v", m, err)
		}
		if info, err := e.tenants.InvitationByToken(ctx, b.tenant.ID, bInvToken); err != nil || info.Invitation.Email != "gast@amt-b.example" {
			t.Fatalf("B's invitation changed: %v", err)
		}
		bd.unchanged(t, e)
		ad.unchanged(t, e)
		am.unchanged(t, e, a.tenant.ID, aMembers[0], false)
		bm.unchanged(t, e, b.tenant.ID, bMembers[0], true)
		bc.unchanged(t, e)
		ac.unchanged(t, e)
		bw.unchanged(t, e)
		aw.unchanged(t, e)
		bcs.unchanged(t, e)
		acs.unchanged(t, e)
		bt.unchanged(t, e)
		at.unchanged(t, e)
		ao.unchanged(t, e)
		bo.unchanged(t, e)
	})
}

// fillPath puts the tenant slug and ids into a route's path: id for {id},
// and for a second parameter ({membership}, {entry}, ...) the given second
// id or else its default.
func fillPath(path, slug, id string, defaults map[string]string, second ...string) string {
	pairs := []string{"{tenant}", slug, "{id}", id}
	for param, def := range defaults {
		if len(second) > 0 {
			def = second[0]
		}
		pairs = append(pairs, param, def)
	}
	return strings.NewReplacer(pairs...).Replace(path)
}

// fill copies a JSON request body, replacing TOKEN and REF in its strings.
func fill(body any, token, ref string) any {
	switch b := body.(type) {
	case nil:
		return nil
	case string:
		return strings.ReplaceAll(strings.ReplaceAll(b, "TOKEN", token), "REF", ref)
	case map[string]string:
		c := map[string]string{}
		for k, v := range b {
			c[k] = fill(v, token, ref).(string)
		}
		return c
	case map[string]any:
		c := map[string]any{}
		for k, v := range b {
			c[k] = fill(v, token, ref)
		}
		return c
	case []string:
		c := make([]string, len(b))
		for i, v := range b {
			c[i] = fill(v, token, ref).(string)
		}
		return c
	}
	return body
}

// docStore is one tenant's document store objects for the matrix: a
// folder with a permission entry and a checked-out document on hold, a
// second folder, and a trashed folder and document.
type docStore struct {
	tenantID        uuid.UUID
	actor           tenant.Actor
	folder, other   *documents.Folder
	trashedFolder   *documents.Folder
	doc, trashedDoc *documents.Document
	entry, rev      uuid.UUID
	folderACL       *documents.FolderACL
}

func docObjects(t *testing.T, e *env, tenantID uuid.UUID, admin tenant.Member) *docStore {
	t.Helper()
	ctx := t.Context()
	ds := &docStore{tenantID: tenantID, actor: tenant.Actor{TenantID: tenantID, MembershipID: admin.ID, UserID: admin.UserID, Role: admin.Role}}
	var err error
	check := func() {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	svc, a := e.docs, ds.actor
	ds.folder, err = svc.CreateFolder(ctx, a, uuid.Nil, "Akten")
	check()
	ds.other, err = svc.CreateFolder(ctx, a, uuid.Nil, "Ablage")
	check()
	ds.trashedFolder, err = svc.CreateFolder(ctx, a, ds.folder.ID, "Alt")
	check()
	entry, err := svc.SetPermission(ctx, a, ds.folder.ID, documents.RolePrincipal(tenant.RoleStaff), documents.Read)
	check()
	ds.entry = entry.ID
	ds.doc, err = svc.CreateDocument(ctx, a, ds.folder.ID, documents.DocumentInput{Title: "Bescheid", Tags: []string{"bau"}})
	check()
	content := []byte("Bescheid vom 1. März")
	doc, rev, err := svc.AddRevision(ctx, a, ds.doc.ID, documents.Upload{FileName: "bescheid.txt", Size: int64(len(content))}, bytes.NewReader(content))
	check()
	ds.doc, ds.rev = doc, rev.ID
	_, err = svc.CheckOut(ctx, a, ds.doc.ID, time.Hour)
	check()
	_, err = svc.SetLegalHold(ctx, a, ds.doc.ID, "Prüfung")
	check()
	ds.trashedDoc, err = svc.CreateDocument(ctx, a, ds.folder.ID, documents.DocumentInput{Title: "Entwurf"})
	check()
	err = svc.DeleteDocument(ctx, a, ds.trashedDoc.ID, 0)
	check()
	_, err = svc.CreateDocument(ctx, a, ds.trashedFolder.ID, documents.DocumentInput{Title: "Altakte"})
	check()
	err = svc.DeleteFolder(ctx, a, ds.trashedFolder.ID)
	check()
	ds.folderACL, err = svc.Permissions(ctx, a, ds.folder.ID)
	check()
	return ds
}

// unchanged fails unless the objects are as docObjects left them.
func (ds *docStore) unchanged(t *testing.T, e *env) {
	t.Helper()
	ctx, svc, a := t.Context(), e.docs, ds.actor
	for _, f := range []*documents.Folder{ds.folder, ds.other} {
		got, err := svc.GetFolder(ctx, a, f.ID)
		if err != nil || got.Name != f.Name || !equalIDs(got.ParentID, f.ParentID) || got.RetentionDays != nil || !got.InheritACL {
			t.Fatalf("folder %s changed: %+v %v", f.Name, got, err)
		}
	}
	if sub, err := svc.ListFolders(ctx, a, ds.other.ID, documents.Page{}); err != nil || len(sub.Folders) != 0 {
		t.Fatalf("folder %s got subfolders: %+v %v", ds.other.Name, sub, err)
	}
	if in, err := svc.ListDocuments(ctx, a, ds.other.ID, documents.Page{}); err != nil || len(in.Documents) != 0 {
		t.Fatalf("folder %s got documents: %+v %v", ds.other.Name, in, err)
	}
	if in, err := svc.ListDocuments(ctx, a, ds.folder.ID, documents.Page{}); err != nil || len(in.Documents) != 1 {
		t.Fatalf("folder %s documents changed: %+v %v", ds.folder.Name, in, err)
	}
	acl, err := svc.Permissions(ctx, a, ds.folder.ID)
	if err != nil || len(acl.Entries) != len(ds.folderACL.Entries) || acl.Entries[0].ID != ds.entry {
		t.Fatalf("permissions changed: %+v %v", acl, err)
	}
	d, err := svc.GetDocument(ctx, a, ds.doc.ID)
	if err != nil || d.Version != ds.doc.Version || d.Title != ds.doc.Title || d.FolderID != ds.folder.ID || d.Lock == nil || d.LegalHold == nil ||
		d.CurrentRevisionID == nil || *d.CurrentRevisionID != ds.rev {
		t.Fatalf("document changed: %+v %v", d, err)
	}
	if revs, err := svc.ListRevisions(ctx, a, ds.doc.ID); err != nil || len(revs) != 1 {
		t.Fatalf("revisions changed: %+v %v", revs, err)
	}
	trash, err := svc.ListTrash(ctx, a, documents.Page{})
	if err != nil || len(trash.Items) != 2 {
		t.Fatalf("trash changed: %+v %v", trash, err)
	}
}

func equalIDs(x, y *uuid.UUID) bool {
	if x == nil || y == nil {
		return x == y
	}
	return *x == *y
}

// addressBook is one tenant's address book objects for the matrix: an
// organisation with a contact person, made by its admin.
type addressBook struct {
	actor   tenant.Actor
	org     *contacts.Organisation
	contact *contacts.Contact
}

func addressBookObjects(t *testing.T, e *env, admin tenant.Member) *addressBook {
	t.Helper()
	svc := contacts.NewService(e.db)
	ab := &addressBook{actor: tenant.ActorFromMembership(&admin.Membership)}
	var err error
	if ab.org, err = svc.CreateOrganisation(t.Context(), ab.actor, contacts.OrganisationInput{Name: "Ingenieurbüro", Postcode: "10115"}); err != nil {
		t.Fatal(err)
	}
	if ab.contact, err = svc.CreateContact(t.Context(), ab.actor, ab.org.ID, contacts.ContactInput{FamilyName: "Weiß", Email: "weiss@ib.example"}); err != nil {
		t.Fatal(err)
	}
	return ab
}

// unchanged fails unless the address book is as addressBookObjects left it.
func (ab *addressBook) unchanged(t *testing.T, e *env) {
	t.Helper()
	svc := contacts.NewService(e.db)
	if o, err := svc.GetOrganisation(t.Context(), ab.actor, ab.org.ID); err != nil || o.Version != 1 || o.Contacts != 1 {
		t.Fatalf("organisation changed: %+v %v", o, err)
	}
	if c, err := svc.GetContact(t.Context(), ab.actor, ab.contact.ID); err != nil || c.Version != 1 || c.OrganisationID != ab.org.ID {
		t.Fatalf("contact changed: %+v %v", c, err)
	}
	if p, err := svc.ListOrganisations(t.Context(), ab.actor, contacts.OrganisationFilter{}); err != nil || len(p.Organisations) != 1 {
		t.Fatalf("organisations added: %+v %v", p, err)
	}
}
