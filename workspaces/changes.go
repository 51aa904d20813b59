package workspaces

import (
	"context"
	"fmt"

	"github.com/google/uuid"
	"github.com/kollab/kollab/documents"
	"github.com/kollab/kollab/internal/db"
	"github.com/kollab/kollab/internal/errs"
	"github.com/kollab/kollab/tenant"
)

// checkVersion compares the version the caller last read (If-Match; 0:
// any) with the workspace's.
func (sc *scope) checkVersion(ifMatch int64) error {
	if ifMatch != 0 && ifMatch != sc.w.R.Version {
		return errs.Plain(errs.PreconditionFailed)
	}
	return nil
}

// checkResponsible makes sure the responsible person is a member of the
// workspace who writes (owner or member).
func checkResponsible(tx *db.Tx, workspaceID, membershipID uuid.UUID) error {
	m, err := memberOf(tx, workspaceID, membershipID)
	if err != nil {
		return err
	}
	if m == nil || m.Role == Reader {
		return errs.InvalidField("responsible_id", errs.M("workspaces.responsible-must-be-member", "Die verantwortliche Person muss Mitglied des Arbeitsraums mit Schreibrecht sein.", "The responsible person must be a member of the workspace who writes."))
	}
	return nil
}

// Update replaces a workspace's fields (owners and admins; not while
// archived). ifMatch is the version the caller last read (If-Match,
// required); a different current version answers errs.PreconditionFailed.
// A renamed workspace's folder follows the name (unless another folder
// there has it).
func (s *Service) Update(ctx context.Context, a tenant.Actor, id uuid.UUID, ifMatch int64, in Input) (*Workspace, error) {
	if ifMatch <= 0 {
		return nil, errs.InvalidField("if_match", errs.M("workspaces.send-version-last-read", "Bitte die zuletzt gelesene Version mitschicken (If-Match).", "Please send the version you last read (If-Match)."))
	}
	if err := in.validate(); err != nil {
		return nil, err
	}
	var out *Workspace
	err := s.run(ctx, a, func(tx *db.Tx) error {
		sc, err := loadScope(tx, a, id, true)
		if err != nil {
			return err
		}
		if err := sc.needManage(); err != nil {
			return err
		}
		if err := sc.needActive(); err != nil {
			return err
		}
		if err := sc.checkVersion(ifMatch); err != nil {
			return err
		}
		if in.ResponsibleID == uuid.Nil {
			in.ResponsibleID = sc.w.R.ResponsibleID
		}
		if err := checkResponsible(tx, id, in.ResponsibleID); err != nil {
			return err
		}
		key := nameKey(in.Name)
		if err := checkName(tx, key, id); err != nil {
			return err
		}
		// The folder's rename before the audit chain's lock.
		if sc.w.R.FolderID != nil && sc.w.R.Name != in.Name {
			if _, err := documents.RenameOwnedFolder(ctx, tx, a, *sc.w.R.FolderID, in.Name); err != nil {
				return err
			}
		}
		n, err := exec(tx, `UPDATE workspaces SET name = ?, name_key = ?, purpose = ?, file_number = ?, starts_on = ?, ends_on = ?,
			responsible_id = ?, visibility = ?, version = version + 1, updated_at = ? WHERE tenant_id = @tenant AND id = ? AND version = ?`,
			in.Name, key, in.Purpose, in.FileNumber, nullable(in.StartsOn), nullable(in.EndsOn), in.ResponsibleID, string(in.Visibility),
			s.now(), id, sc.w.R.Version)
		if err != nil {
			return nameConflict(err)
		}
		if n == 0 {
			return errs.Plain(errs.PreconditionFailed)
		}
		if err := record(ctx, tx, a, ActionUpdated, id, in.details()); err != nil {
			return err
		}
		if sc, err = loadScope(tx, a, id, false); err == nil {
			out = sc.workspace()
		}
		return err
	})
	return out, err
}

// Archive makes a workspace read-only (owners and admins): its fields,
// members and folder contents (documents/access.go) no longer change
// until it is restored. Archiving an archived workspace changes nothing.
// ifMatch as in Update, but optional (0: any version).
func (s *Service) Archive(ctx context.Context, a tenant.Actor, id uuid.UUID, ifMatch int64) (*Workspace, error) {
	return s.setState(ctx, a, id, ifMatch, Archived)
}

// Restore makes an archived workspace active again (owners and admins).
func (s *Service) Restore(ctx context.Context, a tenant.Actor, id uuid.UUID, ifMatch int64) (*Workspace, error) {
	return s.setState(ctx, a, id, ifMatch, Active)
}

func (s *Service) setState(ctx context.Context, a tenant.Actor, id uuid.UUID, ifMatch int64, to State) (*Workspace, error) {
	var out *Workspace
	err := s.run(ctx, a, func(tx *db.Tx) error {
		sc, err := loadScope(tx, a, id, true)
		if err != nil {
			return err
		}
		if err := sc.needManage(); err != nil {
			return err
		}
		if err := sc.checkVersion(ifMatch); err != nil {
			return err
		}
		if sc.w.R.State == to {
			out = sc.workspace()
			return nil
		}
		now := s.now()
		set := map[string]any{"state": string(to), "archived_at": nil, "archived_by": nil, "version": sc.w.R.Version + 1, "updated_at": now}
		action := ActionRestored
		if to == Archived {
			set["archived_at"], set["archived_by"], action = now, a.MembershipID, ActionArchived
		}
		if err := tx.Table(workspacesTable).Where("id = ? AND version = ?", id, sc.w.R.Version).Updates(set).Error; err != nil {
			return fmt.Errorf("workspaces: set state: %w", err)
		}
		if err := record(ctx, tx, a, action, id, map[string]string{"state": string(to)}); err != nil {
			return err
		}
		if sc, err = loadScope(tx, a, id, false); err == nil {
			out = sc.workspace()
		}
		return err
	})
	return out, err
}
