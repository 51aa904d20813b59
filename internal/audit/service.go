package audit

import (
	"context"

	"github.com/google/uuid"
	"github.com/kollab/kollab/internal/db"
)

// Service reads a tenant's audit log for the admin console: a page of
// entries with the current names of their objects, and the verification of
// the whole hash chain. Writing stays with Append, inside the transaction of
// the change it records. Who may read is the caller's decision (tenant
// admins, checked by tenant.Service); the service only keeps every read
// inside the one tenant it is given.
type Service struct{ db *db.DB }

// NewService returns the audit log reader over d.
func NewService(d *db.DB) *Service { return &Service{db: d} }

// Page is one page of the log: entries newest first, each with the names of
// its actor and target as they are now (or were last known).
type Page struct {
	Entries []Listed
	Names   []Names
}

// List returns the entries of tenantID's log that f selects, with their names.
func (s *Service) List(ctx context.Context, tenantID uuid.UUID, f Filter) (*Page, error) {
	out := &Page{}
	err := s.db.Tenant(ctx, tenantID, func(tx *db.Tx) error {
		var err error
		if out.Entries, err = List(ctx, tx, f); err != nil {
			return err
		}
		plain := make([]Event, len(out.Entries))
		for i := range out.Entries {
			plain[i] = out.Entries[i].Event
		}
		out.Names, err = Resolve(ctx, tx, plain)
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// Verify checks the whole hash chain of tenantID's log (see Verify).
func (s *Service) Verify(ctx context.Context, tenantID uuid.UUID) (Report, error) {
	return Verify(ctx, s.db, tenantID)
}
