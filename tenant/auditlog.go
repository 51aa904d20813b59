package tenant

import (
	"context"

	"github.com/kollab/kollab/internal/audit"
	"github.com/kollab/kollab/internal/db"
)

// AuditLog returns a page of the actor's tenant's audit log (tenant admins only).
func (s *Service) AuditLog(ctx context.Context, a Actor, f audit.Filter) (*audit.Page, error) {
	if err := a.requireAdmin(); err != nil {
		return nil, err
	}
	if err := a.Run(ctx, s.db, func(*db.Tx) error { return nil }); err != nil {
		return nil, err
	}
	return s.audit.List(ctx, a.TenantID, f)
}

// VerifyAudit verifies the hash chain of the actor's tenant's audit log
// (tenant admins only).
func (s *Service) VerifyAudit(ctx context.Context, a Actor) (audit.Report, error) {
	if err := a.requireAdmin(); err != nil {
		return audit.Report{}, err
	}
	if err := a.Run(ctx, s.db, func(*db.Tx) error { return nil }); err != nil {
		return audit.Report{}, err
	}
	return s.audit.Verify(ctx, a.TenantID)
}
