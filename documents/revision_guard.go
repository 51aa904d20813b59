package documents

import (
	"context"

	"github.com/google/uuid"
	"github.com/kollab/kollab/internal/db"
	"github.com/kollab/kollab/tenant"
)

// The revision guard: another module (the four-eyes sign-off of package
// tasks, which imports this one) may refuse that a new revision replaces
// a document's current one, or act on it in the same transaction. The
// store asks twice: before the bytes are stored (New is uuid.Nil; the
// guard only checks, so that a refused upload costs no transfer) and
// once the new revision's row is written but not committed (New names it;
// the guard may then write rows that reference it). An error refuses the
// revision and rolls everything back.

// RevisionChange is a new revision about to replace a document's current one.
type RevisionChange struct {
	DocumentID uuid.UUID
	// Replaced is the document's current revision, which the new one replaces.
	Replaced uuid.UUID
	// New is the new revision (uncommitted); uuid.Nil in the early check.
	New uuid.UUID
	// Restart: the uploader asked to restart a sign-off of the replaced
	// revision (Upload.RestartSignoff, the routes' restart_signoff=true).
	Restart bool
}

// RevisionGuard is asked, in tx, before a new revision replaces a
// document's current revision (not for a document's first revision).
type RevisionGuard func(ctx context.Context, tx *db.Tx, a tenant.Actor, ch RevisionChange) error

// WithRevisionGuard makes the service ask g before every new revision of
// a document that has one.
func WithRevisionGuard(g RevisionGuard) Option { return func(s *Service) { s.guard = g } }

// guardRevision asks the guard, if any, about replacing current by
// newRev (uuid.Nil: the early check). In the transaction that commits the
// revision it takes the tenant's usage row first: the guard may lock rows
// of its own and append audit entries, and every document transaction
// takes the usage row before those (see record).
func (s *Service) guardRevision(ctx context.Context, tx *db.Tx, a tenant.Actor, docID uuid.UUID, current *uuid.UUID, newRev uuid.UUID, restart bool) error {
	if s.guard == nil || current == nil {
		return nil
	}
	if newRev != uuid.Nil {
		if err := lockUsage(tx); err != nil {
			return err
		}
	}
	return s.guard(ctx, tx, a, RevisionChange{DocumentID: docID, Replaced: *current, New: newRev, Restart: restart})
}
