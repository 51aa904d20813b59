package tasks

// The task module's notifications (internal/notify). Every recipient is a
// member of the task's workspace, so the task's title is what they may
// read anyway; whoever acts is never told.

import (
	"context"
	"fmt"

	"github.com/google/uuid"
	"github.com/kollab/kollab/internal/db"
	"github.com/kollab/kollab/internal/notify"
	"github.com/kollab/kollab/tenant"
)

// recipients expands people and groups to the memberships that are
// members of workspace ws, leaving out the actor.
func recipients(tx *db.Tx, ws uuid.UUID, people, groups []uuid.UUID, actor uuid.UUID) ([]uuid.UUID, error) {
	seen := map[uuid.UUID]bool{actor: true}
	var out []uuid.UUID
	add := func(ids []uuid.UUID) {
		for _, id := range ids {
			if !seen[id] {
				seen[id] = true
				out = append(out, id)
			}
		}
	}
	in, err := membersOf(tx, ws, people)
	if err != nil {
		return nil, err
	}
	for _, id := range people {
		if in[id] {
			add([]uuid.UUID{id})
		}
	}
	if len(groups) > 0 {
		var ids []uuid.UUID
		if err := tx.Raw(`SELECT DISTINCT gm.membership_id FROM group_members gm
			JOIN workspace_members wm ON wm.tenant_id = gm.tenant_id AND wm.membership_id = gm.membership_id AND wm.workspace_id = ?
			WHERE gm.tenant_id = @tenant AND gm.group_id IN ? LIMIT 5000`, ws, groups).Scan(&ids).Error; err != nil {
			return nil, fmt.Errorf("tasks: expand groups: %w", err)
		}
		add(ids)
	}
	return out, nil
}

// emit sends one notification about task r to ids (none: nothing).
func (s *Service) emit(ctx context.Context, tx *db.Tx, kind string, actor uuid.UUID, r *taskRow, ids []uuid.UUID, title, text notify.Text) error {
	if len(ids) == 0 {
		return nil
	}
	ws := r.WorkspaceID
	if _, err := s.notify.Emit(ctx, tx, notify.Event{Kind: kind, ObjectType: "task", ObjectID: r.ID, WorkspaceID: &ws, Actor: actor,
		At: s.now(), Link: "tasks/" + r.ID.String(), Title: title, Text: text, Recipients: notify.To(ids...)}); err != nil {
		return fmt.Errorf("tasks: notify %s: %w", kind, err)
	}
	return nil
}

// notifyAssigned tells people (and the members of groups) newly assigned to task r.
func (s *Service) notifyAssigned(ctx context.Context, tx *db.Tx, a tenant.Actor, ar *area, r *taskRow, people, groups []uuid.UUID) error {
	if s.notify == nil || r.Category.Closed() {
		return nil
	}
	ids, err := recipients(tx, ar.ID, people, groups, a.MembershipID)
	if err != nil {
		return err
	}
	text := notify.Text{DE: "Arbeitsraum „" + ar.Name + "“.", EN: "Workspace “" + ar.Name + "”."}
	if r.DueOn != nil {
		text.DE += " Fällig am " + *r.DueOn + "."
		text.EN += " Due on " + *r.DueOn + "."
	}
	return s.emit(ctx, tx, notify.KindTaskAssigned, a.MembershipID, r, ids,
		notify.Text{DE: notify.Clip("Aufgabe zugewiesen: „" + r.Title + "“"), EN: notify.Clip("Task assigned: “" + r.Title + "”")}, text)
}
