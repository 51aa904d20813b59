package consultations

// The module's notifications (internal/notify). Recipients are only people
// who may read the consultation: a statement that arrived is told to the
// workspace's staff owners and members (never to the person who caused
// it); the opening and a reminder to the guests in the workspace whose organisation is
// invited and has not answered yet (the consultation is open, so they see
// it). Neither names anything the recipient may not read: the subject of
// the consultation and, for staff, the organisation's name.

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/kollab/kollab/internal/db"
	"github.com/kollab/kollab/internal/notify"
	"github.com/kollab/kollab/tenant"
)

// maxRecipients bounds the people one notification goes to.
const maxRecipients = 5000

// staffRecipients are the workspace's active staff owners and members but not.
func staffRecipients(tx *db.Tx, workspaceID, not uuid.UUID) ([]uuid.UUID, error) {
	var ids []uuid.UUID
	if err := tx.Raw(`SELECT wm.membership_id FROM workspace_members wm
		JOIN memberships m ON m.tenant_id = wm.tenant_id AND m.id = wm.membership_id
		WHERE wm.tenant_id = @tenant AND wm.workspace_id = ? AND wm.role IN ('owner', 'member')
			AND m.role IN (?, ?) AND m.status = ? AND wm.membership_id <> ? ORDER BY wm.membership_id LIMIT ?`,
		workspaceID, string(tenant.RoleStaff), string(tenant.RoleAdmin), tenant.StatusActive, not, maxRecipients).Scan(&ids).Error; err != nil {
		return nil, fmt.Errorf("consultations: staff recipients: %w", err)
	}
	return ids, nil
}

// unansweredGuests are the active guests in the workspace whose
// organisation is invited to consultation id and has no submitted
// statement, with those organisations.
func unansweredGuests(tx *db.Tx, workspaceID, id uuid.UUID) (people, orgs []uuid.UUID, err error) {
	const unanswered = `ci.tenant_id = @tenant AND ci.consultation_id = ? AND NOT EXISTS (SELECT 1 FROM consultation_statements cs
		WHERE cs.tenant_id = @tenant AND cs.consultation_id = ci.consultation_id AND cs.organisation_id = ci.organisation_id AND cs.versions > 0)`
	if err := tx.Raw(`SELECT ci.organisation_id FROM consultation_invitees ci WHERE `+unanswered+` ORDER BY ci.organisation_id LIMIT ?`,
		id, MaxOrganisations).Scan(&orgs).Error; err != nil {
		return nil, nil, fmt.Errorf("consultations: unanswered organisations: %w", err)
	}
	if len(orgs) == 0 {
		return nil, nil, nil
	}
	if err := tx.Raw(`SELECT DISTINCT wm.membership_id FROM workspace_members wm
		JOIN memberships m ON m.tenant_id = wm.tenant_id AND m.id = wm.membership_id
		JOIN guests g ON g.tenant_id = wm.tenant_id AND g.membership_id = wm.membership_id
		JOIN consultation_invitees ci ON ci.tenant_id = g.tenant_id AND ci.organisation_id = g.organisation_id
		WHERE wm.tenant_id = @tenant AND wm.workspace_id = ? AND m.role = ? AND m.status = ? AND `+unanswered+`
		ORDER BY wm.membership_id LIMIT ?`, workspaceID, string(tenant.RolePartner), tenant.StatusActive, id, maxRecipients).
		Scan(&people).Error; err != nil {
		return nil, nil, fmt.Errorf("consultations: unanswered guests: %w", err)
	}
	return people, orgs, nil
}

// notifyStatement tells the workspace's staff that org's statement (version n) arrived.
func (s *Service) notifyStatement(ctx context.Context, tx *db.Tx, sc *scope, org string, n int, now time.Time) error {
	to, err := staffRecipients(tx, sc.c.WorkspaceID, sc.a.MembershipID)
	if err != nil || len(to) == 0 {
		return err
	}
	textDE, textEN := "Von: "+org+".", "From: "+org+"."
	if n > 1 {
		textDE, textEN = fmt.Sprintf("Von: %s (Fassung %d).", org, n), fmt.Sprintf("From: %s (version %d).", org, n)
	}
	ws := sc.c.WorkspaceID
	if _, err := s.notify.Emit(ctx, tx, notify.Event{Kind: notify.KindConsultationStatement, ObjectType: targetType, ObjectID: sc.c.ID,
		WorkspaceID: &ws, Actor: sc.a.MembershipID, At: now, Link: "consultations/" + sc.c.ID.String(),
		Title:      notify.Text{DE: notify.Clip("Stellungnahme eingegangen: " + sc.c.Subject), EN: notify.Clip("Statement received: " + sc.c.Subject)},
		Text:       notify.Text{DE: textDE, EN: textEN},
		Recipients: notify.To(to...)}); err != nil {
		return fmt.Errorf("consultations: notify statement: %w", err)
	}
	return nil
}

// remind tells the guests of the organisations that have not answered
// consultation c that its deadline approaches, and notes the reminder on
// those organisations; it returns how many organisations and people.
func (s *Service) remind(ctx context.Context, tx *db.Tx, c *row, by uuid.UUID, now time.Time) (orgs, people int, err error) {
	to, os, err := unansweredGuests(tx, c.WorkspaceID, c.ID)
	if err != nil || len(os) == 0 {
		return 0, 0, err
	}
	if _, err := tx.ExecCount(`UPDATE consultation_invitees SET reminded_at = ? WHERE tenant_id = @tenant AND consultation_id = ?
		AND organisation_id IN ?`, now, c.ID, os); err != nil {
		return 0, 0, fmt.Errorf("consultations: note reminder: %w", err)
	}
	if len(to) == 0 {
		return len(os), 0, nil
	}
	day := c.Deadline.In(tenant.Berlin)
	ws := c.WorkspaceID
	if _, err := s.notify.Emit(ctx, tx, notify.Event{Kind: notify.KindConsultationEnding, ObjectType: targetType, ObjectID: c.ID,
		WorkspaceID: &ws, Actor: by, At: now, Link: "consultations/" + c.ID.String(),
		Title: notify.Text{DE: notify.Clip("Stellungnahme erbeten: " + c.Subject), EN: notify.Clip("Statement requested: " + c.Subject)},
		Text: notify.Text{DE: "Die Frist endet am " + day.Format("02.01.2006 um 15:04") + " Uhr; Ihre Organisation hat noch keine Stellungnahme abgegeben.",
			EN: "The deadline ends on " + day.Format("2 January 2006 at 15:04") + " (Berlin time); your organisation has not given a statement yet."},
		Recipients: notify.To(to...)}); err != nil {
		return 0, 0, fmt.Errorf("consultations: notify reminder: %w", err)
	}
	return len(os), len(to), nil
}

// notifyOpened tells the guests in the workspace whose organisation is
// invited that consultation c is open for their statement.
func (s *Service) notifyOpened(ctx context.Context, tx *db.Tx, c *row, by uuid.UUID, now time.Time) error {
	to, _, err := unansweredGuests(tx, c.WorkspaceID, c.ID)
	if err != nil || len(to) == 0 {
		return err
	}
	day := c.Deadline.In(tenant.Berlin)
	ws := c.WorkspaceID
	if _, err := s.notify.Emit(ctx, tx, notify.Event{Kind: notify.KindConsultationOpened, ObjectType: targetType, ObjectID: c.ID,
		WorkspaceID: &ws, Actor: by, At: now, Link: "consultations/" + c.ID.String(),
		Title: notify.Text{DE: notify.Clip("Beteiligung: " + c.Subject), EN: notify.Clip("Consultation: " + c.Subject)},
		Text: notify.Text{DE: "Ihre Organisation ist um eine Stellungnahme bis " + day.Format("02.01.2006, 15:04") + " Uhr gebeten.",
			EN: "Your organisation is asked for a statement by " + day.Format("2 January 2006, 15:04") + " (Berlin time)."},
		Recipients: notify.To(to...)}); err != nil {
		return fmt.Errorf("consultations: notify opened: %w", err)
	}
	return nil
}
