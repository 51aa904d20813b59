package api_test

import (
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/kollab/kollab/internal/db"
	"github.com/kollab/kollab/internal/db/dbtest"
	"github.com/kollab/kollab/meetings"
	"github.com/kollab/kollab/tenant"
)

// decisionStore is a committee chaired by a tenant's admin, with a
// meeting whose item was decided by a published poll, an undecided item,
// and a written procedure whose result is published.
type decisionStore struct {
	chair                  tenant.Actor
	committee, meeting     uuid.UUID
	item, pending, written uuid.UUID
}

func decisionObjects(t *testing.T, e *env, tenantID uuid.UUID, admin tenant.Member) *decisionStore {
	t.Helper()
	ctx, svc := t.Context(), e.comm
	check := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	ds := &decisionStore{chair: tenant.Actor{TenantID: tenantID, MembershipID: admin.ID, UserID: admin.UserID, Role: admin.Role}}
	a := ds.chair
	c, err := svc.CreateCommittee(ctx, a, meetings.CommitteeInput{Name: "Bauausschuss"})
	check(err)
	_, err = svc.SetMember(ctx, a, c.ID, meetings.MemberInput{MembershipID: a.MembershipID, Role: meetings.RoleChair, Voting: true, Weight: 1})
	check(err)
	now := time.Now()
	m, err := svc.CreateMeeting(ctx, a, c.ID, meetings.MeetingInput{Title: "Sitzung", StartsAt: now, EndsAt: now.Add(time.Hour)})
	check(err)
	it, err := svc.AddAgendaItem(ctx, a, m.ID, meetings.AgendaItemInput{Title: "Sanierung Grundschule", Public: true})
	check(err)
	pending, err := svc.AddAgendaItem(ctx, a, m.ID, meetings.AgendaItemInput{Title: "Verschiedenes", Public: true})
	check(err)
	for _, to := range []meetings.MeetingState{meetings.Invited, meetings.InSession} {
		_, err = svc.AdvanceMeeting(ctx, a, m.ID, to)
		check(err)
	}
	_, err = svc.SetAttendance(ctx, a, m.ID, a.MembershipID, meetings.Present)
	check(err)
	decide := func(in meetings.PollInput) uuid.UUID {
		p, err := svc.CreatePoll(ctx, a, in)
		check(err)
		_, err = svc.OpenPoll(ctx, a, p.ID)
		check(err)
		_, err = svc.Cast(ctx, a, p.ID, uuid.Nil, meetings.Vote{Choice: meetings.Yes})
		check(err)
		_, err = svc.ClosePoll(ctx, a, p.ID)
		check(err)
		_, err = svc.PublishPoll(ctx, a, p.ID)
		check(err)
		return p.ID
	}
	decide(meetings.PollInput{AgendaItemID: it.ID, Title: "Beschluss", Kind: meetings.Named, Method: meetings.YesNoAbstain})
	ds.written = decide(meetings.PollInput{CommitteeID: c.ID, Deadline: now.Add(48 * time.Hour), Title: "Umlauf Spielplatz",
		Kind: meetings.Named, Method: meetings.YesNoAbstain})
	ds.committee, ds.meeting, ds.item, ds.pending = c.ID, m.ID, it.ID, pending.ID
	return ds
}

// decisionBodies are the matrices' request bodies of the follow-up routes.
func decisionBodies(ws uuid.UUID) map[string]any {
	return map[string]any{
		"POST /api/v1/t/{tenant}/agenda-items/{id}/follow-up-tasks": map[string]any{"workspace_id": ws, "title": "Neu"},
		"POST /api/v1/t/{tenant}/polls/{id}/follow-up-tasks":        map[string]any{"workspace_id": ws, "title": "Neu"},
	}
}

type followUpJSON struct {
	TaskID        uuid.UUID `json:"task_id"`
	Title         string    `json:"title"`
	WorkspaceName string    `json:"workspace_name"`
	State         string    `json:"state"`
	DueOn         string    `json:"due_on"`
	CanOpen       bool      `json:"can_open"`
}

// TestDecisionFollowUpsOverHTTP: the chair makes follow-up tasks from a
// decided item and a written procedure; the task shows its decision; the
// committee's members list them, others do not see them; a member who is
// not the chair gets 403, an undecided item 409, a workspace the chair
// cannot write 422; done, the task is reported on the next meeting.
func TestDecisionFollowUpsOverHTTP(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		ctx := t.Context()
		s := e.seedTenant("amt-bk")
		page, err := e.tenants.ListMembers(ctx, tenant.Operator(s.tenant.ID), tenant.MemberFilter{})
		if err != nil || len(page.Members) != 1 {
			t.Fatal(err)
		}
		ds := decisionObjects(t, e, s.tenant.ID, page.Members[0])
		bob, bobID := e.staff(s, "bob")
		carol, _ := e.staff(s, "carol")
		_, err = e.comm.SetMember(ctx, ds.chair, ds.committee, meetings.MemberInput{MembershipID: uuid.MustParse(bobID), Role: meetings.RoleMember, Voting: true, Weight: 1})
		if err != nil {
			t.Fatal(err)
		}
		base := "/api/v1/t/amt-bk"
		var ws struct {
			ID uuid.UUID `json:"id"`
		}
		s.admin.must(201, "POST", base+"/workspaces", map[string]any{"name": "Hochbau"}).json(t, &ws)
		s.admin.must(200, "PUT", base+"/workspaces/"+ws.ID.String()+"/members/"+bobID, map[string]string{"role": "member"})
		itemPath := base + "/agenda-items/" + ds.item.String() + "/follow-up-tasks"
		r := s.admin.must(201, "POST", itemPath, map[string]any{"workspace_id": ws.ID, "title": "Ausschreibung vorbereiten",
			"assignee_ids": []string{bobID}, "due_on": "2027-03-01"})
		var tk struct {
			ID       uuid.UUID `json:"id"`
			Version  int64     `json:"version"`
			Decision struct {
				Kind     string `json:"kind"`
				Text     string `json:"text"`
				Link     string `json:"link"`
				Readable bool   `json:"readable"`
			} `json:"decision"`
		}
		r.json(t, &tk)
		if r.header.Get("ETag") != `"1"` || tk.Decision.Kind != "agenda_item" || !strings.HasPrefix(tk.Decision.Text, "Beschluss: Bauausschuss – ") ||
			!strings.HasSuffix(tk.Decision.Text, " – TOP 1 Sanierung Grundschule") || tk.Decision.Link != "meetings/"+ds.meeting.String() {
			t.Fatalf("created: %s", r.body)
		}
		s.admin.must(201, "POST", base+"/polls/"+ds.written.String()+"/follow-up-tasks", map[string]any{"workspace_id": ws.ID, "title": "Spielgeräte bestellen"})
		// Refusals.
		wantCode(t, bob.do("POST", itemPath, map[string]any{"workspace_id": ws.ID, "title": "X"}), 403, "forbidden")
		wantCode(t, carol.do("POST", itemPath, map[string]any{"workspace_id": ws.ID, "title": "X"}), 404, "not-found")
		wantCode(t, s.admin.do("POST", base+"/agenda-items/"+ds.pending.String()+"/follow-up-tasks", map[string]any{"workspace_id": ws.ID, "title": "X"}), 409, "conflict")
		wantCode(t, s.admin.do("POST", itemPath, map[string]any{"workspace_id": uuid.New(), "title": "X"}), 422, "invalid-input")
		wantCode(t, s.admin.do("POST", itemPath, map[string]any{"workspace_id": ws.ID, "title": ""}), 422, "invalid-input")
		// The lists.
		var list struct {
			Items []followUpJSON `json:"items"`
		}
		bob.must(200, "GET", itemPath, nil).json(t, &list)
		if len(list.Items) != 1 || list.Items[0].TaskID != tk.ID || list.Items[0].State != "open" || list.Items[0].WorkspaceName != "Hochbau" ||
			list.Items[0].DueOn != "2027-03-01" || !list.Items[0].CanOpen {
			t.Fatalf("bob lists %+v", list)
		}
		bob.must(200, "GET", base+"/polls/"+ds.written.String()+"/follow-up-tasks", nil).json(t, &list)
		if len(list.Items) != 1 || list.Items[0].Title != "Spielgeräte bestellen" {
			t.Fatalf("bob lists the written procedure's %+v", list)
		}
		wantCode(t, carol.do("GET", itemPath, nil), 404, "not-found")
		// Done: the next meeting gets the report.
		next := time.Now().Add(7 * 24 * time.Hour)
		m, err := e.comm.CreateMeeting(ctx, ds.chair, ds.committee, meetings.MeetingInput{Title: "Nächste", StartsAt: next, EndsAt: next.Add(time.Hour)})
		if err != nil {
			t.Fatal(err)
		}
		var statuses struct {
			Items []struct {
				ID       uuid.UUID `json:"id"`
				Category string    `json:"category"`
			} `json:"statuses"`
		}
		bob.must(200, "GET", base+"/workspaces/"+ws.ID.String()+"/task-statuses", nil).json(t, &statuses)
		var done uuid.UUID
		for _, st := range statuses.Items {
			if st.Category == "done" {
				done = st.ID
			}
		}
		bob.with("If-Match", `"1"`).must(200, "PATCH", base+"/tasks/"+tk.ID.String(), map[string]any{"status_id": done})
		var agenda struct {
			Items []struct {
				Title       string `json:"title"`
				Description string `json:"description"`
				Automatic   bool   `json:"automatic"`
				Public      bool   `json:"public"`
			} `json:"items"`
		}
		bob.must(200, "GET", base+"/meetings/"+m.ID.String()+"/agenda", nil).json(t, &agenda)
		if len(agenda.Items) != 1 || !agenda.Items[0].Automatic || agenda.Items[0].Title != meetings.ReportTitle || agenda.Items[0].Public ||
			!strings.Contains(agenda.Items[0].Description, "„Ausschreibung vorbereiten“ (Arbeitsraum Hochbau), aus TOP 1 „Sanierung Grundschule“") ||
			!strings.Contains(agenda.Items[0].Description, ": erledigt am ") ||
			!strings.Contains(agenda.Items[0].Description, "„Spielgeräte bestellen“ (Arbeitsraum Hochbau), aus dem Umlaufverfahren „Umlauf Spielplatz“: in Bearbeitung") {
			t.Fatalf("agenda of the next meeting: %+v", agenda)
		}
	})
}
