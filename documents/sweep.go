package documents

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"slices"
	"time"

	"github.com/google/uuid"
	"github.com/kollab/kollab/internal/db"
	"github.com/kollab/kollab/internal/storage"
)

// SweepReport says what one sweep did.
type SweepReport struct {
	// AbortedIntents are uploads that never committed and are dead: older
	// than the intent TTL (WithIntentTTL), or without a heartbeat for the
	// heartbeat timeout (WithIntentHeartbeatTimeout).
	// Their objects and incomplete multipart uploads were deleted and
	// their reservations released.
	AbortedIntents int
	// ReleasedBytes is the quota the aborted intents had reserved.
	ReleasedBytes int64
	// AbortedMultipart are incomplete multipart uploads (or temporary
	// files) of aborted intents that were discarded; DiscardedBytes what
	// their parts held.
	AbortedMultipart int
	DiscardedBytes   int64
	// Quarantined objects were unreferenced for longer than OrphanGrace and
	// moved to the tenant's quarantine.
	Quarantined int
	// Deleted quarantined objects stayed longer than QuarantineTTL.
	Deleted int
	// ExpiredLocks are WebDAV locks past their timeout, removed.
	ExpiredLocks int
	// ExpiredHelperFiles are operating-system helper files written over
	// WebDAV (see IsOSHelperName) not written for OSHelperTTL, removed.
	ExpiredHelperFiles int
	// SkippedTenants had a failed scan; nothing of theirs was removed.
	SkippedTenants int
}

// tenantIDs lists every tenant (the sweeper and verifier are operator
// work across tenants; each tenant's rows are then read in its own scope).
func (s *Service) tenantIDs(ctx context.Context) ([]uuid.UUID, error) {
	var ids []uuid.UUID
	if err := s.db.Global(ctx).Table("tenants").Order("id").Pluck("id", &ids).Error; err != nil {
		return nil, fmt.Errorf("documents: list tenants: %w", err)
	}
	return ids, nil
}

// Sweep cleans up after crashes and purges, tenant by tenant: it aborts
// upload intents older than the intent TTL (deleting what they wrote), moves
// revision objects that no revision or open intent references and that
// are older than OrphanGrace into quarantine, and deletes quarantined
// objects older than QuarantineTTL. A tenant whose listing or database
// scan fails is skipped whole: nothing is removed on incomplete knowledge.
func (s *Service) Sweep(ctx context.Context) (SweepReport, error) {
	var rep SweepReport
	ids, err := s.tenantIDs(ctx)
	if err != nil {
		return rep, err
	}
	var firstErr error
	for _, id := range ids {
		if err := s.sweepTenant(ctx, id, &rep); err != nil {
			if ctx.Err() != nil {
				return rep, ctx.Err()
			}
			rep.SkippedTenants++
			if firstErr == nil {
				firstErr = fmt.Errorf("documents: sweep tenant %s: %w", id, err)
			}
		}
	}
	return rep, firstErr
}

// sweepTenant runs the sweeper's steps for one tenant, in order; the first
// failure ends it.
func (s *Service) sweepTenant(ctx context.Context, tenantID uuid.UUID, rep *SweepReport) error {
	now := s.now()
	// 0. Expired WebDAV locks (they no longer count anyway).
	if err := s.sweepLocks(ctx, tenantID, now, rep); err != nil {
		return err
	}
	// 1. Abandoned uploads.
	if err := s.sweepIntents(ctx, tenantID, now, rep); err != nil {
		return err
	}
	// 2. Unreferenced revision objects → quarantine.
	if err := s.sweepOrphans(ctx, tenantID, now, rep); err != nil {
		return err
	}
	// 3. Expired quarantine.
	return s.sweepQuarantine(ctx, tenantID, now, rep)
}

// sweepLocks removes expired WebDAV locks and stale helper files.
func (s *Service) sweepLocks(ctx context.Context, tenantID uuid.UUID, now time.Time, rep *SweepReport) error {
	if err := s.db.Tenant(ctx, tenantID, func(tx *db.Tx) error {
		n, err := exec(tx, `DELETE FROM dav_locks WHERE tenant_id = @tenant AND expires_at < ?`, now)
		rep.ExpiredLocks += int(n)
		if err != nil {
			return err
		}
		n, err = exec(tx, `DELETE FROM dav_files WHERE tenant_id = @tenant AND updated_at < ?`, now.Add(-OSHelperTTL))
		rep.ExpiredHelperFiles += int(n)
		return err
	}); err != nil {
		return fmt.Errorf("expire WebDAV locks and helper files: %w", err)
	}
	return nil
}

// sweepOrphans moves unreferenced revision objects older than OrphanGrace
// into quarantine. The listing and every reference check must succeed
// before anything moves.
func (s *Service) sweepOrphans(ctx context.Context, tenantID uuid.UUID, now time.Time, rep *SweepReport) error {
	prefix, err := storage.KindPrefix(tenantID, RevisionKind)
	if err != nil {
		return err
	}
	var old []storage.ObjectInfo
	if err := s.store.List(ctx, prefix, func(o storage.ObjectInfo) error {
		if o.ModTime.Before(now.Add(-s.orphanGrace)) {
			old = append(old, o)
		}
		return nil
	}); err != nil {
		return fmt.Errorf("list objects: %w", err)
	}
	var orphans []storage.ObjectInfo
	for chunk := range slices.Chunk(old, 500) {
		keys := make([]string, len(chunk))
		for i, o := range chunk {
			keys[i] = o.Key
		}
		var refs []string
		err := s.db.Tenant(ctx, tenantID, func(tx *db.Tx) error {
			var a, b []string
			if err := tx.Table(revisionsTable).Where("document_revisions.storage_key IN ?", keys).Distinct().Pluck("storage_key", &a).Error; err != nil {
				return err
			}
			if err := tx.Table(intentsTable).Where("upload_intents.storage_key IN ?", keys).Pluck("storage_key", &b).Error; err != nil {
				return err
			}
			refs = append(a, b...)
			return nil
		})
		if err != nil {
			return fmt.Errorf("check references: %w", err)
		}
		for _, o := range chunk {
			if !slices.Contains(refs, o.Key) {
				orphans = append(orphans, o)
			}
		}
	}
	for _, o := range orphans {
		if err := s.quarantine(ctx, tenantID, o, now); err != nil {
			return err
		}
		rep.Quarantined++
	}
	return nil
}

// sweepQuarantine deletes quarantined objects older than QuarantineTTL
// (at most 1000 a sweep).
func (s *Service) sweepQuarantine(ctx context.Context, tenantID uuid.UUID, now time.Time, rep *SweepReport) error {
	var expired []string
	err := s.db.Tenant(ctx, tenantID, func(tx *db.Tx) error {
		return tx.Table(quarantineTable).Where("storage_quarantine.found_at < ?", now.Add(-s.quarantineTTL)).Limit(1000).Pluck("storage_key", &expired).Error
	})
	if err != nil {
		return fmt.Errorf("read quarantine: %w", err)
	}
	for _, k := range expired {
		if err := s.store.Delete(ctx, k); err != nil {
			return fmt.Errorf("delete quarantined object: %w", err)
		}
		if err := s.db.Tenant(ctx, tenantID, func(tx *db.Tx) error {
			_, err := exec(tx, `DELETE FROM storage_quarantine WHERE tenant_id = @tenant AND storage_key = ?`, k)
			return err
		}); err != nil {
			return err
		}
		rep.Deleted++
	}
	return nil
}

// SweepDeadUploads does the sweeper's first step alone, for every tenant:
// it aborts the uploads whose intent is dead (see sweepIntents). It is
// cheap (no listing of objects) and runs more often than Sweep, so that a
// crashed upload's quota reservation comes back within minutes.
func (s *Service) SweepDeadUploads(ctx context.Context) (SweepReport, error) {
	var rep SweepReport
	ids, err := s.tenantIDs(ctx)
	if err != nil {
		return rep, err
	}
	var firstErr error
	for _, id := range ids {
		if err := s.sweepIntents(ctx, id, s.now(), &rep); err != nil {
			if ctx.Err() != nil {
				return rep, ctx.Err()
			}
			rep.SkippedTenants++
			if firstErr == nil {
				firstErr = fmt.Errorf("documents: sweep uploads of tenant %s: %w", id, err)
			}
		}
	}
	return rep, firstErr
}

// sweepIntents aborts a tenant's dead upload intents: created more than
// the intent TTL ago, or whose process has not renewed the heartbeat for
// the heartbeat timeout (it died: kill -9, crash, lost machine). For each
// it discards the incomplete multipart upload (or temporary file) under
// the intent's key, deletes the object if it was completed, and then drops
// the intent and releases its reservation in one transaction. An upload
// still running whose intent is aborted fails at its commit (the intent is
// gone) and removes its object itself.
func (s *Service) sweepIntents(ctx context.Context, tenantID uuid.UUID, now time.Time, rep *SweepReport) error {
	var stale []intentRecord
	err := s.db.Tenant(ctx, tenantID, func(tx *db.Tx) error {
		q := tx.Table(intentsTable).Where("upload_intents.created_at < ?", now.Add(-s.intentTTL))
		if s.intentHeartbeatTimeout > 0 {
			// One parenthesised condition: the handle's tenant filter
			// must bind both.
			q = tx.Table(intentsTable).Where("(upload_intents.created_at < ? OR upload_intents.heartbeat_at < ?)",
				now.Add(-s.intentTTL), now.Add(-s.intentHeartbeatTimeout))
		}
		return q.Order("created_at").Limit(1000).Scan(&stale).Error
	})
	if err != nil {
		return fmt.Errorf("read stale intents: %w", err)
	}
	for i := range stale {
		in := stale[i]
		d, err := s.store.AbortIncomplete(ctx, in.StorageKey)
		if err != nil {
			return fmt.Errorf("abort incomplete upload: %w", err)
		}
		if err := s.store.Delete(ctx, in.StorageKey); err != nil {
			return fmt.Errorf("delete abandoned object: %w", err)
		}
		rep.AbortedMultipart += d.Uploads
		rep.DiscardedBytes += d.Bytes
		var released bool
		err = s.db.Tenant(ctx, tenantID, func(tx *db.Tx) error {
			n, err := exec(tx, `DELETE FROM upload_intents WHERE tenant_id = @tenant AND id = ?`, in.ID)
			if err != nil || n == 0 {
				return err
			}
			released = true
			return release(tx, in.Size)
		})
		if err != nil {
			return err
		}
		if released {
			rep.AbortedIntents++
			rep.ReleasedBytes += in.Size
		}
	}
	return nil
}

// quarantine copies an object to the tenant's quarantine kind (same
// object id), records it, then deletes the original; a crash in between
// leaves a copy and the original, which the next sweep handles again.
func (s *Service) quarantine(ctx context.Context, tenantID uuid.UUID, o storage.ObjectInfo, now time.Time) error {
	parts, err := storage.ParseKey(o.Key)
	if err != nil {
		return err
	}
	qprefix, err := storage.KindPrefix(tenantID, QuarantineKind)
	if err != nil {
		return err
	}
	qkey := qprefix + parts.ID.String()
	rc, err := s.store.Get(ctx, o.Key, 0, -1)
	if err != nil {
		if errors.Is(err, storage.ErrNotFound) {
			return nil
		}
		return fmt.Errorf("read orphan: %w", err)
	}
	err = s.store.Put(ctx, qkey, rc, o.Size, "")
	rc.Close()
	if err != nil {
		return fmt.Errorf("copy orphan to quarantine: %w", err)
	}
	err = s.db.Tenant(ctx, tenantID, func(tx *db.Tx) error {
		_, err := exec(tx, `INSERT INTO storage_quarantine (tenant_id, storage_key, size_bytes, found_at) VALUES (@tenant, ?, ?, ?)
			ON CONFLICT (tenant_id, storage_key) DO NOTHING`, qkey, o.Size, now)
		return err
	})
	if err != nil {
		return err
	}
	return s.store.Delete(ctx, o.Key)
}

// VerifyProblem is one revision whose object does not match its row.
type VerifyProblem struct {
	TenantID   uuid.UUID
	DocumentID uuid.UUID
	RevisionID uuid.UUID
	Number     int
	Key        string
	// Problem is "missing", "size" or "hash" (or a read error).
	Problem string
	Want    string
	Got     string
}

// VerifyReport sums up a verification run.
type VerifyReport struct {
	Revisions int
	Bytes     int64
	Problems  []VerifyProblem
	// Marked are the revisions a download had marked (revision_suspects)
	// when the run started; each was rechecked with all others. Cleared
	// counts the marks removed because the object matched again; every
	// problem found leaves (or sets) a mark.
	Marked  []Suspect
	Cleared int
}

// Verify re-reads every revision object of the given tenants (all when
// none are given), recomputes size and SHA-256 and reports every
// mismatch; progress, when not nil, is called after each revision.
func (s *Service) Verify(ctx context.Context, tenants []uuid.UUID, progress func(VerifyReport)) (*VerifyReport, error) {
	if len(tenants) == 0 {
		var err error
		if tenants, err = s.tenantIDs(ctx); err != nil {
			return nil, err
		}
	}
	rep := &VerifyReport{}
	for _, tid := range tenants {
		marked, err := s.Suspects(ctx, tid)
		if err != nil {
			return rep, err
		}
		rep.Marked = append(rep.Marked, marked...)
		isMarked := map[uuid.UUID]bool{}
		for _, m := range marked {
			isMarked[m.RevisionID] = true
		}
		var after uuid.UUID
		for {
			var revs []Revision
			err := s.db.Tenant(ctx, tid, func(tx *db.Tx) error {
				return tx.Table(revisionsTable).Select(revisionCols).Where("document_revisions.id > ?", after).
					Order("document_revisions.id").Limit(500).Scan(&revs).Error
			})
			if err != nil {
				return rep, fmt.Errorf("documents: read revisions: %w", err)
			}
			if len(revs) == 0 {
				break
			}
			for _, r := range revs {
				p := s.verifyOne(ctx, &r)
				if ctx.Err() != nil {
					return rep, ctx.Err()
				}
				switch {
				case p != nil:
					rep.Problems = append(rep.Problems, *p)
					if p.Problem == SuspectSize || p.Problem == SuspectHash {
						markSuspect(ctx, s.db, tid, r.ID, p.Problem, fmt.Sprintf("verify: want %s, got %s", p.Want, p.Got))
					}
				case isMarked[r.ID]:
					if err := s.db.Tenant(ctx, tid, func(tx *db.Tx) error {
						_, err := exec(tx, `DELETE FROM revision_suspects WHERE tenant_id = @tenant AND revision_id = ?`, r.ID)
						return err
					}); err != nil {
						return rep, err
					}
					rep.Cleared++
				}
				rep.Revisions++
				rep.Bytes += r.Size
				if progress != nil {
					progress(*rep)
				}
			}
			after = revs[len(revs)-1].ID
		}
	}
	return rep, nil
}

func (s *Service) verifyOne(ctx context.Context, r *Revision) *VerifyProblem {
	p := &VerifyProblem{TenantID: r.TenantID, DocumentID: r.DocumentID, RevisionID: r.ID, Number: r.Number, Key: r.StorageKey}
	rc, err := s.store.Get(ctx, r.StorageKey, 0, -1)
	if err != nil {
		p.Problem, p.Got = "missing", err.Error()
		if !errors.Is(err, storage.ErrNotFound) {
			p.Problem = "unreadable"
		}
		return p
	}
	defer rc.Close()
	h := sha256.New()
	n, err := io.Copy(h, rc)
	if err != nil {
		p.Problem, p.Got = "unreadable", err.Error()
		return p
	}
	if n != r.Size {
		p.Problem, p.Want, p.Got = "size", fmt.Sprint(r.Size), fmt.Sprint(n)
		return p
	}
	if sum := hex.EncodeToString(h.Sum(nil)); sum != r.SHA256 {
		p.Problem, p.Want, p.Got = "hash", r.SHA256, sum
		return p
	}
	return nil
}
