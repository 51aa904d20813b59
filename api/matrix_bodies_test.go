package api_test

import (
	"time"

	"github.com/google/uuid"

	"github.com/kollab/kollab/tenant"
)

// matrixRefs are the objects of the probing tenant that the matrices'
// request bodies name where a route needs a valid second object.
type matrixRefs struct {
	ad    *docStore
	am    *minutesMatrix
	ac    *committeeStore
	ao    *addressBook
	group *tenant.Group
	tasks *taskStore
}

// matrixBodies are valid request bodies for every route that takes one:
// the isolation matrices send them, so that a request fails on the id
// under test and not on its body.
func matrixBodies(r matrixRefs) map[string]any {
	ad, am, ac, ao, aGroup := r.ad, r.am, r.ac, r.ao, r.group
	soon := time.Now().Add(time.Hour)
	bodies := map[string]any{
		"POST /api/v1/t/{tenant}/notifications/{id}/read": map[string]string{},
		"POST /api/v1/t/{tenant}/notifications/read-all":  map[string]string{},
		"PUT /api/v1/t/{tenant}/notification-preferences": map[string]any{"preferences": []any{}},
		"PATCH /api/v1/t/{tenant}/members/{id}":           map[string]string{"role": "staff"},
		"POST /api/v1/t/{tenant}/invitations":             map[string]string{"email": "x@amt.example", "role": "staff"},
		"PUT /api/v1/t/{tenant}/settings":                 map[string]any{"require_totp_roles": []string{"admin"}},
		"POST /api/v1/t/{tenant}/groups":                  map[string]string{"name": "Neu"},
		"PATCH /api/v1/t/{tenant}/groups/{id}":            map[string]string{"name": "Umbenannt"},
		"POST /api/v1/t/{tenant}/invitations/lookup":      map[string]string{"token": "TOKEN"},
		"POST /api/v1/t/{tenant}/invitations/accept":      map[string]string{"token": "TOKEN", "display_name": "X", "password": testPassword},
		// document store
		"POST /api/v1/t/{tenant}/folders":                  map[string]any{"parent_id": ad.folder.ID, "name": "Neu"},
		"PATCH /api/v1/t/{tenant}/folders/{id}":            map[string]string{"name": "Neu"},
		"POST /api/v1/t/{tenant}/folders/{id}/move":        map[string]any{"parent_id": ad.other.ID},
		"POST /api/v1/t/{tenant}/folders/{id}/copy":        map[string]any{"parent_id": ad.other.ID, "name": "Kopie"},
		"PUT /api/v1/t/{tenant}/folders/{id}/permissions":  map[string]any{"principal": map[string]any{"type": "group", "group_id": aGroup.ID}, "level": "read"},
		"PUT /api/v1/t/{tenant}/folders/{id}/inheritance":  map[string]any{"inherit": false, "copy_inherited": true},
		"PUT /api/v1/t/{tenant}/folders/{id}/retention":    map[string]any{"retention_days": 30},
		"POST /api/v1/t/{tenant}/folders/{id}/documents":   map[string]any{"title": "Neu", "tags": []string{"x"}},
		"PATCH /api/v1/t/{tenant}/documents/{id}":          map[string]string{"title": "Neu"},
		"POST /api/v1/t/{tenant}/documents/{id}/move":      map[string]any{"folder_id": ad.other.ID},
		"POST /api/v1/t/{tenant}/documents/{id}/copy":      map[string]any{"folder_id": ad.other.ID, "title": "Kopie"},
		"POST /api/v1/t/{tenant}/documents/{id}/lock":      map[string]any{"ttl_seconds": 60},
		"PUT /api/v1/t/{tenant}/documents/{id}/legal-hold": map[string]string{"reason": "Prüfung"},
		"POST /api/v1/t/{tenant}/folders/{id}/restore":     map[string]string{},
		"POST /api/v1/t/{tenant}/folders/{id}/purge":       map[string]string{},
		"POST /api/v1/t/{tenant}/documents/{id}/restore":   map[string]string{},
		"POST /api/v1/t/{tenant}/documents/{id}/purge":     map[string]string{},
		"POST /api/v1/t/{tenant}/trash/empty":              map[string]string{},
		// revisions: uploads are raw bytes
		"POST /api/v1/t/{tenant}/folders/{id}/files":                          "Inhalt",
		"PUT /api/v1/t/{tenant}/documents/{id}/content":                       "Inhalt",
		"POST /api/v1/t/{tenant}/documents/{id}/revisions/{revision}/restore": map[string]string{"comment": "zurück"},
		// minutes
		"PUT /api/v1/t/{tenant}/meetings/{id}/minutes":          map[string]string{"preamble": "Neu"},
		"POST /api/v1/t/{tenant}/meetings/{id}/minutes/approve": map[string]any{"folder_id": am.folder},
		// committees
		"POST /api/v1/t/{tenant}/committees":                                      map[string]any{"name": "Neu", "proxy_allowed": true},
		"PATCH /api/v1/t/{tenant}/committees/{id}":                                map[string]string{"name": "Neu"},
		"PUT /api/v1/t/{tenant}/committees/{id}/members/{membership}":             map[string]any{"role": "member", "voting": true},
		"POST /api/v1/t/{tenant}/committees/{id}/meetings":                        map[string]any{"title": "Neu", "starts_at": soon, "ends_at": soon.Add(time.Hour)},
		"PATCH /api/v1/t/{tenant}/meetings/{id}":                                  map[string]string{"title": "Neu"},
		"POST /api/v1/t/{tenant}/meetings/{id}/transitions":                       map[string]string{"to": "closed"},
		"POST /api/v1/t/{tenant}/meetings/{id}/cancel":                            map[string]string{"reason": "Saal gesperrt"},
		"PUT /api/v1/t/{tenant}/meetings/{id}/current-item":                       map[string]any{"agenda_item_id": ac.item.ID},
		"PATCH /api/v1/t/{tenant}/polls/{id}":                                     map[string]string{"title": "Neu"},
		"POST /api/v1/t/{tenant}/meetings/{id}/agenda":                            map[string]string{"title": "Neu"},
		"PUT /api/v1/t/{tenant}/meetings/{id}/agenda/order":                       map[string]any{"order": []string{ac.item.ID.String()}},
		"PUT /api/v1/t/{tenant}/meetings/{id}/attendance/{membership}":            map[string]string{"status": "excused"},
		"POST /api/v1/t/{tenant}/meetings/{id}/attendance/{membership}/departure": map[string]string{},
		"POST /api/v1/t/{tenant}/agenda-items/{id}/decision":                      map[string]string{"decision": "decline"},
		"PUT /api/v1/t/{tenant}/agenda-items/{id}":                                map[string]any{"title": "Geändert", "public": true},
		"POST /api/v1/t/{tenant}/agenda-items/{id}/papers":                        map[string]any{"document_id": ad.doc.ID},
		"POST /api/v1/t/{tenant}/agenda-items/{id}/posts":                         map[string]string{"body": "Beitrag"},
		"POST /api/v1/t/{tenant}/agenda-items/{id}/conflicts":                     map[string]string{"reason": "Nachbar"},
		"POST /api/v1/t/{tenant}/delegations":                                     map[string]any{"meeting_id": ac.meeting.ID, "to_membership_id": ac.voter.MembershipID},
		"POST /api/v1/t/{tenant}/polls":                                           map[string]any{"agenda_item_id": ac.item.ID, "title": "Neu", "kind": "named", "method": "yes_no_abstain"},
		"POST /api/v1/t/{tenant}/polls/{id}/open":                                 map[string]string{},
		"POST /api/v1/t/{tenant}/polls/{id}/close":                                map[string]string{},
		"POST /api/v1/t/{tenant}/polls/{id}/publish":                              map[string]string{},
		"POST /api/v1/t/{tenant}/polls/{id}/annul":                                map[string]string{"reason": "Formfehler"},
		"POST /api/v1/t/{tenant}/polls/{id}/ballots":                              map[string]string{"choice": "yes"},
		// workspaces
		"POST /api/v1/t/{tenant}/workspaces":                          map[string]any{"name": "Neu"},
		"PATCH /api/v1/t/{tenant}/workspaces/{id}":                    map[string]string{"name": "Neu"},
		"POST /api/v1/t/{tenant}/workspaces/{id}/archive":             map[string]string{},
		"POST /api/v1/t/{tenant}/workspaces/{id}/restore":             map[string]string{},
		"POST /api/v1/t/{tenant}/workspaces/{id}/join":                map[string]string{},
		"POST /api/v1/t/{tenant}/workspaces/{id}/leave":               map[string]string{},
		"PUT /api/v1/t/{tenant}/workspaces/{id}/members/{membership}": map[string]string{"role": "member"},
		// guests
		"POST /api/v1/t/{tenant}/workspaces/{id}/guests": map[string]any{"email": "gast@ib.example", "role": "member"},
		"PATCH /api/v1/t/{tenant}/guests/{id}":           map[string]any{"organisation_id": ao.org.ID.String()},
		"POST /api/v1/t/{tenant}/guests/{id}/renew":      map[string]string{},
		"POST /api/v1/t/{tenant}/guests/{id}/offboard":   map[string]string{},
		// address book
		"POST /api/v1/t/{tenant}/organisations":        map[string]string{"name": "Neu"},
		"PATCH /api/v1/t/{tenant}/organisations/{id}":  map[string]string{"name": "Neu"},
		"POST /api/v1/t/{tenant}/organisations/import": "Organisation\nNeu\n",
		"POST /api/v1/t/{tenant}/contacts":             map[string]any{"organisation_id": ao.org.ID, "family_name": "Neu"},
		"PATCH /api/v1/t/{tenant}/contacts/{id}":       map[string]string{"family_name": "Neu"},
	}
	for k, v := range consultationBodies(ao.org.ID, soon) {
		bodies[k] = v
	}
	for k, v := range taskBodies(r.tasks, ad.doc.ID) {
		bodies[k] = v
	}
	// Tasks: checklists and templates (i13-checklists; stand-ins for the
	// core task routes' bodies where none is named above).
	checklistBodies(bodies, ad.doc.ID)
	// sign-off (tasks_signoff_test.go)
	for k, v := range signoffBodies() {
		bodies[k] = v
	}
	// follow-up tasks of decisions (tasks_decision_test.go)
	for k, v := range decisionBodies(r.tasks.task.WorkspaceID) {
		bodies[k] = v
	}
	// tasks: deadline monitoring (tasks_deadline_test.go)
	for k, v := range taskDeadlineBodies() {
		bodies[k] = v
	}
	return bodies
}

// matrixQueries are the query parameters some routes need.
func matrixQueries() map[string]string {
	return map[string]string{
		"POST /api/v1/t/{tenant}/folders/{id}/files":    "file_name=neu.txt",
		"PUT /api/v1/t/{tenant}/documents/{id}/content": "file_name=neu.txt",
		"GET /api/v1/t/{tenant}/search":                 "q=Bericht",
		"POST /api/v1/t/{tenant}/organisations/import":  "format=csv&mode=apply",
		"GET /api/v1/t/{tenant}/organisations/export":   "format=csv",
	}
}

// guest makes a guest (external partner) of the tenant, as the operator
// would: an account with a partner membership and its lifecycle row.
func (e *env) guest(tenantID uuid.UUID, email string) *tenant.Membership {
	e.t.Helper()
	u, err := e.tenants.CreateUser(e.t.Context(), email, "Gast "+email, testPassword)
	if err != nil {
		e.t.Fatal(err)
	}
	m, err := e.tenants.AddMember(e.t.Context(), tenantID, u.ID, tenant.RolePartner)
	if err != nil {
		e.t.Fatal(err)
	}
	return m
}
