package api_test

import (
	"bytes"
	"context"
	"sort"
	"strings"
	"testing"

	"github.com/danielgtaylor/huma/v2"
	"github.com/google/uuid"
	"github.com/kollab/kollab/db"
	"github.com/kollab/kollab/db/dbtest"
	"github.com/kollab/kollab/tenant"
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
		bPage, err := e.tenants.ListMembers(ctx, b.tenant.ID, tenant.MemberFilter{})
		if err != nil || len(bPage.Members) != 1 {
			t.Fatal(err)
		}
		bMembers := bPage.Members
		bInv, bInvToken, err := e.tenants.Invite(ctx, b.tenant.ID, bMembers[0].ID, "gast@amt-b.example", "partner")
		if err != nil {
			t.Fatal(err)
		}
		bGroup, err := e.tenants.CreateGroup(ctx, b.tenant.ID, "Gruppe B", "")
		if err != nil {
			t.Fatal(err)
		}
		if err := e.tenants.SetGroupMember(ctx, b.tenant.ID, bGroup.ID, bMembers[0].ID, true); err != nil {
			t.Fatal(err)
		}
		aGroup, err := e.tenants.CreateGroup(ctx, a.tenant.ID, "Gruppe A", "")
		if err != nil {
			t.Fatal(err)
		}
		aPage, err := e.tenants.ListMembers(ctx, a.tenant.ID, tenant.MemberFilter{})
		if err != nil {
			t.Fatal(err)
		}
		aMembers := aPage.Members
		bIDs := map[string][]uuid.UUID{
			"members":     {bMembers[0].ID},
			"invitations": {bInv.ID},
			"groups":      {bGroup.ID},
		}
		bodies := map[string]any{
			"PATCH /api/v1/t/{tenant}/members/{id}":      map[string]string{"role": "staff"},
			"POST /api/v1/t/{tenant}/invitations":        map[string]string{"email": "x@amt.example", "role": "staff"},
			"PUT /api/v1/t/{tenant}/settings":            map[string]any{"require_totp_roles": []string{"admin"}},
			"POST /api/v1/t/{tenant}/groups":             map[string]string{"name": "Neu"},
			"POST /api/v1/t/{tenant}/invitations/lookup": map[string]string{"token": "TOKEN"},
			"POST /api/v1/t/{tenant}/invitations/accept": map[string]string{"token": "TOKEN", "display_name": "X", "password": testPassword},
		}
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
			call := func(slug, id, token string, membership ...string) *resp {
				p := strings.ReplaceAll(o.path, "{tenant}", slug)
				p = strings.ReplaceAll(p, "{id}", id)
				m := aMembers[0].ID.String()
				if len(membership) > 0 {
					m = membership[0]
				}
				p = strings.ReplaceAll(p, "{membership}", m)
				var bd any
				if m, ok := body.(map[string]string); ok {
					c := map[string]string{}
					for k, v := range m {
						c[k] = strings.ReplaceAll(v, "TOKEN", token)
					}
					bd = c
				} else if body != nil {
					bd = body
				}
				return a.admin.do(o.method, p, bd)
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
			if !strings.Contains(o.path, "{id}") {
				continue
			}
			kind := strings.Split(strings.Split(o.path, "/{tenant}/")[1], "/")[0]
			ids, ok := bIDs[kind]
			if !ok {
				t.Fatalf("%s: no object of tenant B for kind %q; extend the matrix", key, kind)
			}
			for _, id := range ids {
				same("with B's "+kind+" id", call(a.tenant.Slug, id.String(), ""), call(a.tenant.Slug, unknownID, ""))
			}
			if strings.Contains(o.path, "{membership}") {
				same("with A's group and B's member", call(a.tenant.Slug, aGroup.ID.String(), "", bMembers[0].ID.String()),
					call(a.tenant.Slug, aGroup.ID.String(), "", unknownID))
			}
		}
		if ms, err := e.tenants.GroupMembers(ctx, b.tenant.ID, bGroup.ID); err != nil || len(ms) != 1 {
			t.Fatalf("B's group changed: %+v %v", ms, err)
		}
		if ms, err := e.tenants.GroupMembers(ctx, a.tenant.ID, aGroup.ID); err != nil || len(ms) != 0 {
			t.Fatalf("A's group got a member: %+v %v", ms, err)
		}
		if tested < 20 {
			t.Fatalf("only %d tenant routes found", tested)
		}
		// Nothing of B changed.
		if m, err := e.tenants.Member(ctx, b.tenant.ID, bMembers[0].ID); err != nil || m.Role != "admin" || m.Status != "active" {
			t.Fatalf("B's member changed: %+v %v", m, err)
		}
		if info, err := e.tenants.InvitationByToken(ctx, b.tenant.ID, bInvToken); err != nil || info.Invitation.Email != "gast@amt-b.example" {
			t.Fatalf("B's invitation changed: %v", err)
		}
	})
}
