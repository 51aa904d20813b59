package documents

import (
	"context"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"
	"github.com/kollab/kollab/internal/db"
	"github.com/kollab/kollab/internal/errs"
	"github.com/kollab/kollab/tenant"
)

// CheckOut locks a live document for the actor (write permission) for ttl
// (0: the service's LockTTL, at most MaxLockTTL). Checking out again
// extends the actor's own lock. While someone else holds an unexpired
// lock, the answer is errs.ResourceLocked with the remaining time; an expired lock
// is free.
func (s *Service) CheckOut(ctx context.Context, a tenant.Actor, id uuid.UUID, ttl time.Duration) (*Document, error) {
	if ttl < 0 {
		return nil, errs.InvalidField("ttl", errs.M("documents.duration-must-not-negative", "Die Dauer darf nicht negativ sein.", "The duration must not be negative."))
	}
	if ttl == 0 {
		ttl = s.lockTTL
	}
	ttl = min(ttl, s.maxLockTTL)
	var out *Document
	err := s.run(ctx, a, func(tx *db.Tx) error {
		now := s.now()
		r, err := loadDocument(tx, a, id, live)
		if err != nil {
			return err
		}
		if err := need(r.Access, Write); err != nil {
			return err
		}
		if r.lockedByOther(a, now) {
			return r.lockedErr(now)
		}
		acquired := now
		if r.LockOwnerID != nil && *r.LockOwnerID == a.MembershipID && r.LockExpiresAt.After(now) && r.LockAcquiredAt != nil {
			acquired = *r.LockAcquiredAt // an extension keeps the start
		}
		res := tx.Table(documentsTable).Where("documents.id = ? AND documents.deleted_at IS NULL AND "+lockFree, id, a.MembershipID, now).
			Updates(map[string]any{"lock_owner_id": a.MembershipID, "lock_acquired_at": acquired, "lock_expires_at": now.Add(ttl)})
		if res.Error != nil {
			return fmt.Errorf("documents: check out: %w", res.Error)
		}
		if res.RowsAffected == 0 {
			return errs.New(errs.ResourceLocked, errs.M("documents.document-just-checked-out-someone", "Das Dokument wurde gerade von einer anderen Person ausgecheckt.", "The document was just checked out by someone else."))
		}
		if err := record(ctx, tx, a, ActionDocumentLocked, "document", id,
			map[string]string{"expires_at": now.Add(ttl).Format(time.RFC3339)}); err != nil {
			return err
		}
		out, err = s.readDocument(tx, a, id, live)
		return err
	})
	return out, err
}

// CheckIn releases a document's lock. The holder may always release it
// (even after losing write permission); a
// tenant admin or a manager of the folder may break someone else's lock
// (recorded as such). Others get errs.ResourceLocked. Releasing a free or expired
// lock does nothing.
func (s *Service) CheckIn(ctx context.Context, a tenant.Actor, id uuid.UUID) (*Document, error) {
	var out *Document
	err := s.run(ctx, a, func(tx *db.Tx) error {
		now := s.now()
		r, err := loadDocument(tx, a, id, live)
		if err != nil {
			return err
		}
		if r.LockOwnerID != nil {
			action := ActionDocumentUnlocked
			details := map[string]string{}
			if r.lockedByOther(a, now) {
				if r.Access < Manage {
					return r.lockedErr(now)
				}
				action = ActionDocumentLockBroken
				details["holder"] = r.LockOwnerID.String()
			}
			if _, err := exec(tx, `UPDATE documents SET lock_owner_id = NULL, lock_acquired_at = NULL, lock_expires_at = NULL
				WHERE tenant_id = @tenant AND id = ?`, id); err != nil {
				return err
			}
			if r.LockExpiresAt.After(now) {
				if err := record(ctx, tx, a, action, "document", id, details); err != nil {
					return err
				}
			}
		}
		out, err = s.readDocument(tx, a, id, live)
		return err
	})
	return out, err
}

// SetLegalHold puts a legal hold on a document, live or trashed (manage
// permission on its folder; admins have it everywhere). While held, the
// document cannot be trashed or purged, nor can a folder that contains it.
func (s *Service) SetLegalHold(ctx context.Context, a tenant.Actor, id uuid.UUID, reason string) (*Document, error) {
	reason = strings.TrimSpace(reason)
	if n := utf8.RuneCountInString(reason); !utf8.ValidString(reason) || n == 0 || n > 1000 || hasControl(reason) {
		return nil, errs.InvalidField("reason", errs.M("documents.give-reason-legal-hold", "Bitte einen Grund für die Aufbewahrungssperre angeben (1 bis 1000 Zeichen).", "Please give a reason for the legal hold (1 to 1000 characters)."))
	}
	return s.setHold(ctx, a, id, true, reason)
}

// ClearLegalHold lifts a document's legal hold (manage permission).
func (s *Service) ClearLegalHold(ctx context.Context, a tenant.Actor, id uuid.UUID) (*Document, error) {
	return s.setHold(ctx, a, id, false, "")
}

func (s *Service) setHold(ctx context.Context, a tenant.Actor, id uuid.UUID, hold bool, reason string) (*Document, error) {
	var out *Document
	err := s.run(ctx, a, func(tx *db.Tx) error {
		r, err := loadDocument(tx, a, id, anyState)
		if err != nil {
			return err
		}
		if err := need(r.Access, Manage); err != nil {
			return err
		}
		set := map[string]any{"legal_hold": hold, "legal_hold_reason": reason, "legal_hold_at": nil, "legal_hold_by": nil}
		action := ActionDocumentHoldCleared
		if hold {
			set["legal_hold_at"], set["legal_hold_by"] = s.now(), a.MembershipID
			action = ActionDocumentHoldSet
		} else if !r.LegalHold {
			out, err = s.readDocument(tx, a, id, anyState)
			return err
		}
		if err := tx.Table(documentsTable).Where("id = ?", id).Updates(set).Error; err != nil {
			return fmt.Errorf("documents: set legal hold: %w", err)
		}
		if err := record(ctx, tx, a, action, "document", id, map[string]string{"reason": reason}); err != nil {
			return err
		}
		out, err = s.readDocument(tx, a, id, anyState)
		return err
	})
	return out, err
}
