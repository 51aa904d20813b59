package consultations

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/kollab/kollab/internal/db"
	"github.com/kollab/kollab/tenant"
)

// Reminded says whom a reminder reached.
type Reminded struct {
	// Organisations that have not answered; People their guests in the
	// workspace who were notified.
	Organisations, People int
}

// Remind reminds the invited organisations that have not answered yet
// (managers, while statements are taken).
func (s *Service) Remind(ctx context.Context, a tenant.Actor, id uuid.UUID) (*Reminded, error) {
	out := &Reminded{}
	err := s.run(ctx, a, func(tx *db.Tx) error {
		sc, err := loadScope(tx, a, id, true)
		if err != nil {
			return err
		}
		if err := sc.needChange(); err != nil {
			return err
		}
		now := s.now()
		if !sc.c.accepting(now) {
			return errNotAccepting()
		}
		if out.Organisations, out.People, err = s.remind(ctx, tx, &sc.c, a.MembershipID, now); err != nil {
			return err
		}
		return record(ctx, tx, a, ActionReminded, id, map[string]string{"organisations": fmt.Sprint(out.Organisations),
			"people": fmt.Sprint(out.People), "automatic": "false"})
	})
	return out, err
}

// DueReport says what one RemindDue run did.
type DueReport struct {
	Consultations, People int
	// SkippedTenants had a database failure; their reminders wait for the next run.
	SkippedTenants int
}

// remindBatch bounds the consultations reminded per tenant and run.
const remindBatch = 100

// RemindDue sends the automatic reminders that are due at now, in every
// tenant: to the organisations that have not answered an open
// consultation whose reminder time (RemindAt) has come and whose deadline
// has not passed. Each consultation is reminded once per deadline
// (reminded_at; a new deadline makes it due again), also with several
// instances running it (the row is locked and checked again).
func (s *Service) RemindDue(ctx context.Context, now time.Time) (DueReport, error) {
	var rep DueReport
	var ids []uuid.UUID
	if err := s.db.Global(ctx).Table("tenants").Order("id").Pluck("id", &ids).Error; err != nil {
		return rep, fmt.Errorf("consultations: list tenants: %w", err)
	}
	now = now.UTC().Truncate(time.Microsecond)
	var firstErr error
	for _, tid := range ids {
		if err := s.remindTenant(ctx, tid, now, &rep); err != nil {
			if ctx.Err() != nil {
				return rep, ctx.Err()
			}
			rep.SkippedTenants++
			if firstErr == nil {
				firstErr = fmt.Errorf("consultations: remind tenant %s: %w", tid, err)
			}
		}
	}
	return rep, firstErr
}

const dueCondition = `state = 'open' AND reminded_at IS NULL AND remind_at <= ? AND deadline > ?`

func (s *Service) remindTenant(ctx context.Context, tid uuid.UUID, now time.Time, rep *DueReport) error {
	var due []uuid.UUID
	if err := s.db.Tenant(ctx, tid, func(tx *db.Tx) error {
		return tx.Table(consultationsTable).Where(dueCondition, now, now).Order("remind_at, id").Limit(remindBatch).Pluck("id", &due).Error
	}); err != nil {
		return err
	}
	for _, id := range due {
		err := s.db.Tenant(ctx, tid, func(tx *db.Tx) error {
			var rows []row
			if err := tx.Raw(forUpdate(tx, "SELECT * FROM consultations WHERE tenant_id = @tenant AND id = ? AND "+dueCondition), id, now, now).
				Scan(&rows).Error; err != nil {
				return fmt.Errorf("consultations: load due: %w", err)
			}
			if len(rows) == 0 {
				return nil
			}
			var active int64
			if err := tx.Table("workspaces").Where("id = ? AND state = 'active'", rows[0].WorkspaceID).Count(&active).Error; err != nil {
				return fmt.Errorf("consultations: check workspace: %w", err)
			}
			orgs, people := 0, 0
			if active > 0 {
				var err error
				if orgs, people, err = s.remind(ctx, tx, &rows[0], uuid.Nil, now); err != nil {
					return err
				}
			}
			if _, err := tx.ExecCount("UPDATE consultations SET reminded_at = ? WHERE tenant_id = @tenant AND id = ?", now, id); err != nil {
				return fmt.Errorf("consultations: note reminder: %w", err)
			}
			rep.Consultations++
			rep.People += people
			return tenant.Actor{}.Record(ctx, tx, ActionReminded, targetType, id, map[string]string{"organisations": fmt.Sprint(orgs),
				"people": fmt.Sprint(people), "automatic": "true"})
		})
		if err != nil {
			return err
		}
	}
	return nil
}
