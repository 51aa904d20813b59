package tenant

import (
	"context"

	"github.com/kollab/kollab/internal/audit"
	"github.com/kollab/kollab/internal/db"
)

// AuditLog returns a page of the actor's tenant's audit log (tenant admins
// only), read in the transaction that checks the actor.
func (s *Service) AuditLog(ctx context.Context, a Actor, f audit.Filter) (*audit.Page, error) {
	if err := a.requireAdmin(); err != nil {
		return nil, err
	}
	var page *audit.Page
	err := a.Run(ctx, s.db, func(tx *db.Tx) error {
		var err error
		page, err = audit.ReadPage(ctx, tx, f)
		return err
	})
	return page, err
}

// VerifyAudit verifies the hash chain of the actor's tenant's audit log
// (tenant admins only), in the transaction that checks the actor.
func (s *Service) VerifyAudit(ctx context.Context, a Actor) (audit.Report, error) {
	if err := a.requireAdmin(); err != nil {
		return audit.Report{}, err
	}
	var rep audit.Report
	err := a.Run(ctx, s.db, func(tx *db.Tx) error {
		var err error
		rep, err = audit.VerifyIn(ctx, tx)
		return err
	})
	return rep, err
}
