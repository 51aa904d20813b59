package meetings

// The committee's filing folder. Every committee keeps its own folder in
// the document store (committees.filing_folder_id, migration 00020), made
// with the committee under the tenant's root folder "Gremien" (made on
// demand) and named like the committee. Its permissions are not copied
// into folder_acl: documents/access.go derives them from committee_members
// whenever a query runs, so they follow every seat change and every term's
// end at once: the seats with a running term read, chair, deputy chair and
// secretary write (the deputy chair may approve the minutes, which files
// them there). Minutes and decision extracts are filed there unless the
// approver names another folder.
//
// A committee whose folder was purged or put in the trash gets a new one
// the next time it needs it; committees made before the folder existed
// get theirs from BackfillFilingFolders at start-up.

import (
	"context"
	"fmt"

	"github.com/google/uuid"
	"github.com/kollab/kollab/documents"
	"github.com/kollab/kollab/internal/db"
	"github.com/kollab/kollab/tenant"
)

// ActionFilingFolderSet records that a committee got its filing folder.
const ActionFilingFolderSet = "committees.committee.filing_folder_set"

// maxBackfillBatch bounds the committees read at once by the backfill.
const maxBackfillBatch = 500

// ensureFilingFolder returns the committee's live filing folder, making
// one (and the "Gremien" root) when it has none or its folder is gone or
// in the trash. The caller holds the committee's row lock (PostgreSQL) or
// is making the committee; by is recorded as the folder's creator.
func ensureFilingFolder(ctx context.Context, tx *db.Tx, by tenant.Actor, c *committeeRow) (uuid.UUID, error) {
	if c.FilingFolderID != nil {
		ok, err := documents.FolderIsLive(tx, *c.FilingFolderID)
		if err != nil || ok {
			return *c.FilingFolderID, err
		}
	}
	root, err := documents.EnsureRootFolder(ctx, tx, by, documents.CommitteesRootName)
	if err != nil {
		return uuid.Nil, err
	}
	id, err := documents.CreateOwnedFolder(ctx, tx, by, root, c.Name)
	if err != nil {
		return uuid.Nil, err
	}
	c.FilingFolderID = &id
	return id, nil
}

// setFilingFolder stores a new filing folder on an existing committee and records it.
func setFilingFolder(ctx context.Context, tx *db.Tx, by tenant.Actor, c *committeeRow, old *uuid.UUID) (uuid.UUID, error) {
	id, err := ensureFilingFolder(ctx, tx, by, c)
	if err != nil || (old != nil && *old == id) {
		return id, err
	}
	if _, err := exec(tx, "UPDATE committees SET filing_folder_id = ? WHERE tenant_id = @tenant AND id = ?", id, c.ID); err != nil {
		return uuid.Nil, err
	}
	return id, record(ctx, tx, by, ActionFilingFolderSet, "committee", c.ID, map[string]string{"folder_id": id.String()})
}

// filingFolder returns the committee's live filing folder, making a new
// one first when needed (see ensureFilingFolder), in its own transaction.
func (s *Service) filingFolder(ctx context.Context, a tenant.Actor, committeeID uuid.UUID) (uuid.UUID, error) {
	var out uuid.UUID
	err := s.run(ctx, a, func(tx *db.Tx) error {
		var cs []committeeRow
		if err := tx.Raw(forUpdate(tx, "SELECT * FROM committees WHERE tenant_id = @tenant AND id = ?"), committeeID).
			Scan(&cs).Error; err != nil {
			return fmt.Errorf("committees: load committee: %w", err)
		}
		if len(cs) == 0 {
			return errNotFound()
		}
		old := cs[0].FilingFolderID
		var err error
		out, err = setFilingFolder(ctx, tx, a, &cs[0], old)
		return err
	})
	return out, err
}

// BackfillReport says what one BackfillFilingFolders run did.
type BackfillReport struct {
	// Made counts the committees that got a filing folder.
	Made           int
	SkippedTenants int
}

// BackfillFilingFolders gives every committee without a filing folder
// its own (committees made before migration 00020). It is idempotent and
// runs at start-up; the folder's creator is the committee's creator.
func (s *Service) BackfillFilingFolders(ctx context.Context) (BackfillReport, error) {
	var rep BackfillReport
	ids, err := s.tenantIDs(ctx)
	if err != nil {
		return rep, err
	}
	var firstErr error
	for _, tid := range ids {
		n, err := s.backfillTenant(ctx, tid)
		rep.Made += n
		if err != nil {
			if ctx.Err() != nil {
				return rep, ctx.Err()
			}
			rep.SkippedTenants++
			if firstErr == nil {
				firstErr = fmt.Errorf("committees: filing folders of tenant %s: %w", tid, err)
			}
		}
	}
	return rep, firstErr
}

func (s *Service) backfillTenant(ctx context.Context, tid uuid.UUID) (int, error) {
	made := 0
	for {
		var todo []uuid.UUID
		if err := s.db.Tenant(ctx, tid, func(tx *db.Tx) error {
			return tx.Table(committeesTable).Where("filing_folder_id IS NULL").Order("id").Limit(maxBackfillBatch).Pluck("id", &todo).Error
		}); err != nil {
			return made, fmt.Errorf("committees: list committees: %w", err)
		}
		if len(todo) == 0 {
			return made, nil
		}
		for _, id := range todo {
			err := s.db.Tenant(ctx, tid, func(tx *db.Tx) error {
				var cs []committeeRow
				if err := tx.Raw(forUpdate(tx, "SELECT * FROM committees WHERE tenant_id = @tenant AND id = ? AND filing_folder_id IS NULL"), id).
					Scan(&cs).Error; err != nil {
					return fmt.Errorf("committees: load committee: %w", err)
				}
				if len(cs) == 0 { // made meanwhile
					return nil
				}
				by := tenant.Actor{TenantID: tid, MembershipID: cs[0].CreatedBy}
				if _, err := setFilingFolder(ctx, tx, by, &cs[0], nil); err != nil {
					return err
				}
				made++
				return nil
			})
			if err != nil {
				return made, err
			}
		}
		if len(todo) < maxBackfillBatch {
			return made, nil
		}
	}
}
