package documents

// The tenant's storage ledger: quota, reserved and used bytes.

import (
	"context"
	"fmt"

	"github.com/google/uuid"
	"github.com/kollab/kollab/db"
	"github.com/kollab/kollab/errs"
)

// reserve books size bytes against the tenant's quota in one guarded
// statement (creating the usage row on first use); errs.TooLarge when the
// quota does not allow it.
func reserve(tx *db.Tx, tenantID uuid.UUID, size int64) error {
	if err := ensureUsage(tx, tenantID); err != nil {
		return err
	}
	n, err := exec(tx, `UPDATE storage_usage SET reserved_bytes = reserved_bytes + ?
		WHERE tenant_id = ? AND (quota_bytes IS NULL OR used_bytes + reserved_bytes + ? <= quota_bytes)`, size, tenantID, size)
	if err != nil {
		return err
	}
	if n != 1 {
		return errQuota()
	}
	return nil
}

func ensureUsage(tx *db.Tx, tenantID uuid.UUID) error {
	_, err := exec(tx, `INSERT INTO storage_usage (tenant_id) VALUES (?) ON CONFLICT (tenant_id) DO NOTHING`, tenantID)
	return err
}

// lockUsage takes the tenant's usage row for the rest of the transaction,
// creating it when missing (see record for why).
func lockUsage(tx *db.Tx, tenantID uuid.UUID) error {
	_, err := exec(tx, `INSERT INTO storage_usage (tenant_id) VALUES (?)
		ON CONFLICT (tenant_id) DO UPDATE SET used_bytes = storage_usage.used_bytes`, tenantID)
	return err
}

// release returns reserved bytes (an upload that did not commit).
func release(tx *db.Tx, tenantID uuid.UUID, size int64) error {
	_, err := exec(tx, `UPDATE storage_usage SET reserved_bytes = CASE WHEN reserved_bytes >= ? THEN reserved_bytes - ? ELSE 0 END
		WHERE tenant_id = ?`, size, size, tenantID)
	return err
}

// commitUsage turns reserved bytes into used bytes.
func commitUsage(tx *db.Tx, tenantID uuid.UUID, size int64) error {
	_, err := exec(tx, `UPDATE storage_usage SET reserved_bytes = CASE WHEN reserved_bytes >= ? THEN reserved_bytes - ? ELSE 0 END,
		used_bytes = used_bytes + ? WHERE tenant_id = ?`, size, size, size, tenantID)
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
		return errs.InvalidField("quota", "Das Kontingent darf nicht negativ sein.")
	}
	return s.db.Tenant(ctx, tenantID, func(tx *db.Tx) error {
		if err := ensureUsage(tx, tenantID); err != nil {
			return err
		}
		_, err := exec(tx, `UPDATE storage_usage SET quota_bytes = ? WHERE tenant_id = ?`, quota, tenantID)
		return err
	})
}
