package workspaces

// The workspace module's notifications (internal/notify): a person added
// to a workspace is told so. They are a member from then on and may read
// the workspace, so its name is what they may see anyway. Whoever adds
// them (the actor) is never told.

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/kollab/kollab/internal/db"
	"github.com/kollab/kollab/internal/notify"
	"github.com/kollab/kollab/tenant"
)

// WithNotify makes the service emit notifications through n (its worker
// is woken after commit); without it events are still written and
// dispatched by any running worker.
func WithNotify(n *notify.Service) ServiceOption { return func(s *Service) { s.notify = n } }

// notifyAdded emits "In den Arbeitsraum „<name>“ aufgenommen" to the
// member added to workspace w.
func (s *Service) notifyAdded(ctx context.Context, tx *db.Tx, a tenant.Actor, w *row, membershipID uuid.UUID, role Role, now time.Time) error {
	roleDE, roleEN := map[Role]string{Owner: "Eigentümer/in", Member: "Mitglied", Reader: "lesend"}[role],
		map[Role]string{Owner: "owner", Member: "member", Reader: "reader"}[role]
	id := w.ID
	_, err := s.notify.Emit(ctx, tx, notify.Event{Kind: notify.KindWorkspaceInvited, ObjectType: "workspace", ObjectID: w.ID,
		WorkspaceID: &id, Actor: a.MembershipID, At: now, Link: "workspaces/" + w.ID.String(),
		Title:      notify.Text{DE: notify.Clip("In den Arbeitsraum „" + w.Name + "“ aufgenommen"), EN: notify.Clip("Added to the workspace “" + w.Name + "”")},
		Text:       notify.Text{DE: "Ihre Rolle: " + roleDE + ".", EN: "Your role: " + roleEN + "."},
		Recipients: notify.To(membershipID)})
	if err != nil {
		return fmt.Errorf("workspaces: notify member added: %w", err)
	}
	return nil
}
