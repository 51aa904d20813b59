package documents

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/kollab/kollab/internal/db"
	"github.com/kollab/kollab/tenant"
)

// CockpitLimit bounds the recent documents on the caller's start page.
const CockpitLimit = 10

// RecentDocument is a document on the caller's start page.
type RecentDocument struct {
	ID         uuid.UUID `gorm:"column:id"`
	Title      string    `gorm:"column:title"`
	FolderID   uuid.UUID `gorm:"column:folder_id"`
	FolderName string    `gorm:"column:folder_name"`
	UpdatedAt  time.Time `gorm:"column:updated_at"`
}

// RecentDocuments returns the CockpitLimit most recently changed live
// documents the caller may read, newest first. The permission is the
// query's (accessFilter), walking the documents_recent index.
func (s *Service) RecentDocuments(ctx context.Context, a tenant.Actor) ([]RecentDocument, error) {
	out := []RecentDocument{}
	err := s.run(ctx, a, func(tx *db.Tx) error {
		cond, args := accessFilter("d.folder_id", a, Read)
		args = append(args, CockpitLimit)
		if err := tx.Raw(`SELECT d.id, d.title, d.folder_id, f.name AS folder_name, d.updated_at
			FROM documents d JOIN folders f ON f.tenant_id = d.tenant_id AND f.id = d.folder_id
			WHERE d.tenant_id = @tenant AND f.tenant_id = @tenant AND d.deleted_at IS NULL AND `+cond+`
			ORDER BY d.updated_at DESC, d.id DESC LIMIT ?`, args...).Scan(&out).Error; err != nil {
			return fmt.Errorf("documents: recent: %w", err)
		}
		return nil
	})
	return out, err
}
