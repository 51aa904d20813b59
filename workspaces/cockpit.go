package workspaces

import (
	"context"
	"fmt"

	"github.com/kollab/kollab/internal/db"
	"github.com/kollab/kollab/tenant"
)

// CockpitLimit bounds the workspaces on the caller's start page.
const CockpitLimit = 10

// Recent is the caller's active workspaces for the start page: the
// CockpitLimit most recently changed and how many there are in all.
type Recent struct {
	Workspaces []Workspace
	Total      int64
}

// mineActive is the condition "w is an active workspace of the member ?",
// as an EXISTS on workspace_members' primary key per workspace.
const mineActive = ` AND w.state = 'active' AND EXISTS (SELECT 1 FROM workspace_members mm
	WHERE mm.tenant_id = @tenant AND mm.workspace_id = w.id AND mm.membership_id = ?)`

// RecentWorkspaces returns the caller's active workspaces, most recently
// changed first, at most CockpitLimit, with their total count. Archived
// workspaces and those the caller is no member of (admins included) are
// not among them.
func (s *Service) RecentWorkspaces(ctx context.Context, a tenant.Actor) (*Recent, error) {
	out := &Recent{Workspaces: []Workspace{}}
	err := s.run(ctx, a, func(tx *db.Tx) error {
		if err := tx.Raw(`SELECT count(*) FROM workspaces w WHERE w.tenant_id = @tenant`+mineActive, a.MembershipID).
			Scan(&out.Total).Error; err != nil {
			return fmt.Errorf("workspaces: count mine: %w", err)
		}
		if out.Total == 0 {
			return nil
		}
		var rows []viewRow
		if err := tx.Raw(viewSelect+mineActive+" ORDER BY w.updated_at DESC, w.id DESC LIMIT ?",
			a.MembershipID, a.MembershipID, CockpitLimit).Scan(&rows).Error; err != nil {
			return fmt.Errorf("workspaces: recent: %w", err)
		}
		for i := range rows {
			sc := scope{a: a, w: rows[i]}
			out.Workspaces = append(out.Workspaces, *sc.workspace())
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}
