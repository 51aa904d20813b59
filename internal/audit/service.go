package audit

import (
	"context"

	"github.com/kollab/kollab/internal/db"
)

// Page is one page of the log: entries newest first, each with the names of
// its actor and target as they are now (or were last known).
type Page struct {
	Entries []Listed
	Names   []Names
}

// ReadPage reads the entries of tx's tenant's log that f selects, with
// their names, in the caller's transaction: the admin console's reader
// (tenant.Service.AuditLog, which checks first, in the same transaction,
// that the actor is a tenant admin). Writing stays with Append, inside the
// transaction of the change it records.
func ReadPage(ctx context.Context, tx *db.Tx, f Filter) (*Page, error) {
	out := &Page{}
	var err error
	if out.Entries, err = List(ctx, tx, f); err != nil {
		return nil, err
	}
	plain := make([]Event, len(out.Entries))
	for i := range out.Entries {
		plain[i] = out.Entries[i].Event
	}
	if out.Names, err = Resolve(ctx, tx, plain); err != nil {
		return nil, err
	}
	return out, nil
}
