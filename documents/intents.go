package documents

// Upload intents: the reservation and the record of an upload in flight,
// renewed by a heartbeat while its bytes stream.

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/kollab/kollab/internal/db"
	"github.com/kollab/kollab/internal/storage"
	"github.com/kollab/kollab/tenant"
)

// intentRecord is a row of upload_intents.
type intentRecord struct {
	TenantID   uuid.UUID  `gorm:"column:tenant_id"`
	ID         uuid.UUID  `gorm:"column:id"`
	StorageKey string     `gorm:"column:storage_key"`
	Size       int64      `gorm:"column:size_bytes"`
	DocumentID *uuid.UUID `gorm:"column:document_id"`
	CreatedAt  time.Time  `gorm:"column:created_at"`
	CreatedBy  uuid.UUID  `gorm:"column:created_by"`
	// HeartbeatAt is renewed while the uploading process streams (see
	// keepAlive); a stale one means the process died.
	HeartbeatAt time.Time `gorm:"column:heartbeat_at"`
}

// OwnerTenant implements db.TenantOwned.
func (r *intentRecord) OwnerTenant() uuid.UUID { return r.TenantID }

// openIntent reserves quota and records the intent to write an object, in
// its own committed transaction; check runs first in that transaction.
func (s *Service) openIntent(ctx context.Context, a tenant.Actor, size int64, docID *uuid.UUID, check func(tx *db.Tx) error) (*intentRecord, error) {
	key, err := storage.NewKey(a.TenantID, RevisionKind)
	if err != nil {
		return nil, err
	}
	now := s.now()
	in := &intentRecord{TenantID: a.TenantID, ID: db.NewID(), StorageKey: key, Size: size, DocumentID: docID, CreatedAt: now, CreatedBy: a.MembershipID, HeartbeatAt: now}
	err = s.run(ctx, a, func(tx *db.Tx) error {
		if err := check(tx); err != nil {
			return err
		}
		if err := reserve(tx, size); err != nil {
			return err
		}
		if err := tx.Create(intentsTable, in); err != nil {
			return fmt.Errorf("documents: record upload intent: %w", err)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return in, nil
}

// abortIntent undoes an intent whose revision did not commit: the object
// goes, then the intent and its reservation. If anything fails here the
// sweeper finishes the job once the intent is stale.
func (s *Service) abortIntent(in *intentRecord) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := s.store.Delete(ctx, in.StorageKey); err != nil {
		return
	}
	_ = s.db.Tenant(ctx, in.TenantID, func(tx *db.Tx) error {
		n, err := exec(tx, `DELETE FROM upload_intents WHERE tenant_id = @tenant AND id = ?`, in.ID)
		if err != nil || n == 0 {
			return err
		}
		return release(tx, in.Size)
	})
}

// keepAlive renews the intent's heartbeat every fifth of the heartbeat timeout
// until the returned function is called, so that the sweeper can tell
// this upload, however long it takes, from one whose process died. A
// failed renewal is retried at the next tick; should the sweeper abort
// the intent meanwhile, the commit finds it gone and refuses the upload.
func (s *Service) keepAlive(in *intentRecord) (stop func()) {
	every := s.intentHeartbeatTimeout / 5
	if every <= 0 {
		return func() {}
	}
	done := make(chan struct{})
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
			}
			ctx, cancel := context.WithTimeout(context.Background(), every)
			_ = s.db.Tenant(ctx, in.TenantID, func(tx *db.Tx) error {
				_, err := exec(tx, `UPDATE upload_intents SET heartbeat_at = ? WHERE tenant_id = @tenant AND id = ?`, s.now(), in.ID)
				return err
			})
			cancel()
		}
	}()
	return func() {
		close(done)
		<-finished
	}
}
