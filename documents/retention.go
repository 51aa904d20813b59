package documents

// A folder's retention as its settings screen shows it: its own setting,
// the one in force and where that comes from.

import (
	"context"
	"fmt"

	"github.com/google/uuid"
	"github.com/kollab/kollab/internal/db"
	"github.com/kollab/kollab/tenant"
)

// Retention is the retention of trashed documents in a folder.
type Retention struct {
	// Own is the folder's own setting in days; nil inherits.
	Own *int
	// Effective is the retention in force: Own, else that of the nearest
	// folder above that sets one, else 0 (purgeable at once).
	Effective int
	// SourceID is the folder Effective comes from (this one when Own is
	// set); nil when no folder on the way up sets one. SourceName is its
	// name, empty when the actor may not read that folder.
	SourceID   *uuid.UUID
	SourceName string
	// CanChange says whether the actor may set it (tenant admins).
	CanChange bool
}

// FolderRetention returns the folder's retention for anyone who may read
// the folder.
func (s *Service) FolderRetention(ctx context.Context, a tenant.Actor, id uuid.UUID) (*Retention, error) {
	out := &Retention{CanChange: a.IsAdmin()}
	err := s.run(ctx, a, func(tx *db.Tx) error {
		f, err := loadFolder(tx, a, id, live)
		if err != nil {
			return err
		}
		out.Own = f.RetentionDays
		var src []struct {
			ID   uuid.UUID `gorm:"column:id"`
			Days int       `gorm:"column:retention_days"`
		}
		if err := tx.Table(pathsTable).Select("rf.id, rf.retention_days").
			Joins("JOIN folders rf ON rf.tenant_id = folder_paths.tenant_id AND rf.id = folder_paths.ancestor_id").
			Where("folder_paths.descendant_id = ? AND rf.retention_days IS NOT NULL", id).
			Order("folder_paths.depth").Limit(1).Scan(&src).Error; err != nil {
			return fmt.Errorf("documents: retention source: %w", err)
		}
		if len(src) == 0 {
			return nil
		}
		out.Effective, out.SourceID = src[0].Days, &src[0].ID
		if src[0].ID == id {
			out.SourceName = f.Name
		} else if sf, err := loadFolder(tx, a, src[0].ID, anyState); err == nil {
			out.SourceName = sf.Name
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// GroupGrantCount counts, in the tenant's transaction tx, the folder
// permission entries that name the group (tenant.GroupGrantCounter): they
// are removed together with the group.
func GroupGrantCount(tx *db.Tx, groupID uuid.UUID) (int64, error) {
	var n int64
	if err := tx.Table(aclTable).Where("folder_acl.group_id = ?", groupID).Count(&n).Error; err != nil {
		return 0, fmt.Errorf("documents: group grants: %w", err)
	}
	return n, nil
}
