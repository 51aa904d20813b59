package db

import (
	"context"
	"time"

	"gorm.io/gorm/clause"
)

// KV is a small expiring key-value store in the database, shaped like
// fiber.Storage, so that middleware state (CSRF tokens) is shared by every
// instance behind a load balancer.
type KV struct{ db *DB }

// NewKV returns the store over d's kv_store table.
func NewKV(d *DB) *KV { return &KV{db: d} }

type kvRow struct {
	Key       string     `gorm:"column:key;primaryKey"`
	Value     []byte     `gorm:"column:value"`
	ExpiresAt *time.Time `gorm:"column:expires_at"`
}

const kvTable = "kv_store"

// Get returns the value of key, or nil when it is missing or expired.
func (k *KV) Get(key string) ([]byte, error) {
	var rows []kvRow
	if err := k.db.Global(context.Background()).Table(kvTable).Where("key = ?", key).Limit(1).Find(&rows).Error; err != nil {
		return nil, err
	}
	if len(rows) == 0 || (rows[0].ExpiresAt != nil && !Now().Before(*rows[0].ExpiresAt)) {
		return nil, nil
	}
	return rows[0].Value, nil
}

// Set stores val under key for exp (0: no expiry).
func (k *KV) Set(key string, val []byte, exp time.Duration) error {
	if key == "" || len(val) == 0 {
		return nil
	}
	row := kvRow{Key: key, Value: val}
	if exp > 0 {
		t := Now().Add(exp)
		row.ExpiresAt = &t
	}
	return k.db.Global(context.Background()).Table(kvTable).Clauses(clause.OnConflict{
		Columns:   []clause.Column{{Name: "key"}},
		DoUpdates: clause.AssignmentColumns([]string{"value", "expires_at"}),
	}).Create(&row).Error
}

// Delete removes key.
func (k *KV) Delete(key string) error {
	return k.db.Global(context.Background()).Table(kvTable).Where("key = ?", key).Delete(&kvRow{}).Error
}

// Reset removes every key.
func (k *KV) Reset() error {
	return k.db.Global(context.Background()).Exec("DELETE FROM " + kvTable).Error
}

// Close does nothing: the database belongs to its opener.
func (k *KV) Close() error { return nil }

// PurgeExpired deletes expired keys.
func (k *KV) PurgeExpired(ctx context.Context) (int64, error) {
	res := k.db.Global(ctx).Table(kvTable).Where("expires_at IS NOT NULL AND expires_at <= ?", Now()).Delete(&kvRow{})
	return res.RowsAffected, res.Error
}
