package documents

// The tenant's storage ledger: quota, reserved and used bytes.

import (
	"context"
	"fmt"

	"github.com/google/uuid"
	"github.com/kollab/kollab/internal/db"
	"github.com/kollab/kollab/internal/errs"
	"gorm.io/gorm"
)

// reserve books size bytes against the tenant's quota in one guarded
// statement (creating the usage row on first use); errs.TooLarge when the
// quota does not allow it.
func reserve(tx *db.Tx, size int64) error {
	if err := ensureUsage(tx); err != nil {
		return err
	}
	n, err := exec(tx, `UPDATE storage_usage SET reserved_bytes = reserved_bytes + ?
		WHERE tenant_id = @tenant AND (quota_bytes IS NULL OR used_bytes + reserved_bytes + ? <= quota_bytes)`, size, size)
	if err != nil {
		return err
	}
	if n != 1 {
		return errQuota()
	}
	return nil
}

func ensureUsage(tx *db.Tx) error {
	_, err := exec(tx, `INSERT INTO storage_usage (tenant_id) VALUES (@tenant) ON CONFLICT (tenant_id) DO NOTHING`)
	return err
}

// lockUsage takes the tenant's usage row for the rest of the transaction,
// creating it when missing (see record for why).
func lockUsage(tx *db.Tx) error {
	_, err := exec(tx, `INSERT INTO storage_usage (tenant_id) VALUES (@tenant)
		ON CONFLICT (tenant_id) DO UPDATE SET used_bytes = storage_usage.used_bytes`)
	return err
}

// release returns reserved bytes (an upload that did not commit).
func release(tx *db.Tx, size int64) error {
	_, err := exec(tx, `UPDATE storage_usage SET reserved_bytes = CASE WHEN reserved_bytes >= ? THEN reserved_bytes - ? ELSE 0 END
		WHERE tenant_id = @tenant`, size, size)
	return err
}

// commitUsage turns reserved bytes into used bytes.
func commitUsage(tx *db.Tx, size int64) error {
	_, err := exec(tx, `UPDATE storage_usage SET reserved_bytes = CASE WHEN reserved_bytes >= ? THEN reserved_bytes - ? ELSE 0 END,
		used_bytes = used_bytes + ? WHERE tenant_id = @tenant`, size, size, size)
	return err
}

// Usage is a tenant's storage consumption.
type Usage struct {
	UsedBytes     int64  `gorm:"column:used_bytes"`
	ReservedBytes int64  `gorm:"column:reserved_bytes"`
	QuotaBytes    *int64 `gorm:"column:quota_bytes"`
}

// StorageUsage returns the tenant's storage usage and quota (nil: unlimited).
func (s *Service) StorageUsage(ctx context.Context, tenantID uuid.UUID) (*Usage, error) {
	var out []Usage
	err := s.db.Tenant(ctx, tenantID, func(tx *db.Tx) error {
		return tx.Table(usageTable).Select("used_bytes, reserved_bytes, quota_bytes").Scan(&out).Error
	})
	if err != nil {
		return nil, fmt.Errorf("documents: storage usage: %w", err)
	}
	if len(out) == 0 {
		return &Usage{}, nil
	}
	return &out[0], nil
}

// SetQuota sets the tenant's storage quota in bytes (nil: unlimited). It is
// an operator action (the CLI); lowering it below the current use only
// refuses further uploads.
func (s *Service) SetQuota(ctx context.Context, tenantID uuid.UUID, quota *int64) error {
	if quota != nil && *quota < 0 {
		return errs.InvalidField("quota", errs.M("documents.quota-must-not-negative", "Das Kontingent darf nicht negativ sein.", "The quota must not be negative."))
	}
	return s.db.Tenant(ctx, tenantID, func(tx *db.Tx) error {
		if err := ensureUsage(tx); err != nil {
			return err
		}
		_, err := exec(tx, `UPDATE storage_usage SET quota_bytes = ? WHERE tenant_id = @tenant`, quota)
		return err
	})
}

// UsageReport is what a tenant's documents take up: the ledger (used,
// reserved, quota) and what the bytes are spent on.
type UsageReport struct {
	Usage
	// Documents counts the documents not in the trash.
	Documents int64
	// Revisions counts every stored revision, those of trashed documents
	// included (each counts against the quota until purged).
	Revisions int64
	// TrashDocuments and TrashBytes are the trashed documents and the
	// size of their revisions; TrashPurgeableBytes is the part whose
	// retention has passed and that no legal hold keeps (an admin may
	// delete it for good now).
	TrashDocuments      int64
	TrashBytes          int64
	TrashPurgeableBytes int64
}

// StorageReport returns the tenant's usage report (for its admins).
func (s *Service) StorageReport(ctx context.Context, tenantID uuid.UUID) (*UsageReport, error) {
	out := &UsageReport{}
	now := s.now()
	err := s.db.Tenant(ctx, tenantID, func(tx *db.Tx) error {
		var us []Usage
		if err := tx.Table(usageTable).Select("used_bytes, reserved_bytes, quota_bytes").Scan(&us).Error; err != nil {
			return err
		}
		if len(us) > 0 {
			out.Usage = us[0]
		}
		if err := tx.Table(documentsTable).Where("documents.deleted_at IS NULL").Count(&out.Documents).Error; err != nil {
			return err
		}
		if err := tx.Table(documentsTable).Where("documents.deleted_at IS NOT NULL").Count(&out.TrashDocuments).Error; err != nil {
			return err
		}
		if err := tx.Table(revisionsTable).Count(&out.Revisions).Error; err != nil {
			return err
		}
		trashed := func() *gorm.DB {
			return tx.Table(revisionsTable).Select("COALESCE(SUM(document_revisions.size_bytes), 0)").
				Joins("JOIN documents ON documents.tenant_id = document_revisions.tenant_id AND documents.id = document_revisions.document_id").
				Where("documents.deleted_at IS NOT NULL")
		}
		if err := trashed().Scan(&out.TrashBytes).Error; err != nil {
			return err
		}
		return trashed().Where("NOT documents.legal_hold").
			Where(tx.Expr(dueCondition(tx, "documents.deleted_at", "documents.folder_id"), now)).
			Scan(&out.TrashPurgeableBytes).Error
	})
	if err != nil {
		return nil, fmt.Errorf("documents: storage report: %w", err)
	}
	return out, nil
}
