package audit

import (
	"context"
	"fmt"

	"github.com/google/uuid"
	"github.com/kollab/kollab/internal/db"
)

// Break describes the first entry at which a chain does not verify.
type Break struct {
	Seq    int64     `json:"seq"`
	ID     uuid.UUID `json:"id"`
	Reason string    `json:"reason"`
}

// Report is the result of verifying one tenant's chain.
type Report struct {
	TenantID uuid.UUID `json:"tenant_id"`
	Checked  int64     `json:"checked"`
	Broken   *Break    `json:"broken,omitempty"`
}

// OK reports whether the whole chain verified.
func (r Report) OK() bool { return r.Broken == nil }

const verifyBatch = 1000

// Verify walks the tenant's chain from the first entry and reports the first
// broken link: a gap in the sequence, a predecessor hash that does not match,
// or content that no longer matches its own hash.
func Verify(ctx context.Context, d *db.DB, tenantID uuid.UUID) (Report, error) {
	var rep Report
	err := d.Tenant(ctx, tenantID, func(tx *db.Tx) error {
		var err error
		rep, err = VerifyIn(ctx, tx)
		return err
	})
	return rep, err
}

// VerifyIn verifies the chain of tx's tenant in the caller's transaction:
// one snapshot, read in batches of verifyBatch entries.
func VerifyIn(_ context.Context, tx *db.Tx) (Report, error) {
	rep := Report{TenantID: tx.TenantID()}
	prevHash := GenesisHash
	var lastSeq int64
	for {
		var batch []Event
		if err := tx.Table(Table).Where("seq > ?", lastSeq).Order("seq").Limit(verifyBatch).Find(&batch).Error; err != nil {
			return rep, fmt.Errorf("audit: verify: %w", err)
		}
		for i := range batch {
			ev := &batch[i]
			if reason := checkLink(ev, lastSeq, prevHash); reason != "" {
				rep.Broken = &Break{Seq: ev.Seq, ID: ev.ID, Reason: reason}
				return rep, nil
			}
			rep.Checked++
			lastSeq, prevHash = ev.Seq, ev.Hash
		}
		if len(batch) < verifyBatch {
			return rep, nil
		}
	}
}

// checkLink says why ev does not follow an entry with prevSeq/prevHash ("" if it does).
func checkLink(ev *Event, prevSeq int64, prevHash string) string {
	switch {
	case ev.Seq != prevSeq+1:
		return fmt.Sprintf("sequence gap: expected %d, found %d", prevSeq+1, ev.Seq)
	case ev.PrevHash != prevHash:
		return "previous-hash mismatch: an earlier entry was changed or removed"
	case ComputeHash(ev) != ev.Hash:
		return "content hash mismatch: this entry was changed"
	}
	return ""
}
