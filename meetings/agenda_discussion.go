package meetings

// Around an agenda item: its discussion (posts) and the members' conflicts
// of interest (Befangenheit).

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/kollab/kollab/internal/db"
	"github.com/kollab/kollab/internal/errs"
	"github.com/kollab/kollab/tenant"
)

// postRow is a row of agenda_posts.
type postRow struct {
	TenantID     uuid.UUID `gorm:"column:tenant_id"`
	ID           uuid.UUID `gorm:"column:id"`
	AgendaItemID uuid.UUID `gorm:"column:agenda_item_id"`
	AuthorID     uuid.UUID `gorm:"column:author_id"`
	Body         string    `gorm:"column:body"`
	CreatedAt    time.Time `gorm:"column:created_at"`
}

// OwnerTenant implements db.TenantOwned.
func (r *postRow) OwnerTenant() uuid.UUID { return r.TenantID }

// AddPost adds a contribution to an agenda item's discussion (anyone who
// sees the committee) until the meeting is closed.
func (s *Service) AddPost(ctx context.Context, a tenant.Actor, itemID uuid.UUID, body string) (*Post, error) {
	body, ok := text(body, MaxPostLen)
	if !ok || body == "" {
		return nil, errs.InvalidField("body", errs.M("meetings.enter-contribution-1-10000-characters", "Bitte einen Beitrag mit 1 bis 10000 Zeichen angeben.", "Please enter a contribution of 1 to 10000 characters."))
	}
	var out *Post
	err := s.run(ctx, a, func(tx *db.Tx) error {
		now := s.now()
		_, m, _, err := loadItem(tx, a, itemID, now, "")
		if err != nil {
			return err
		}
		if !m.open() {
			return errs.New(errs.Conflict, errs.M("meetings.meeting-closed-2", "Die Sitzung ist abgeschlossen; die Aussprache ist beendet.", "The meeting is closed; the discussion has ended."))
		}
		rec := &postRow{TenantID: a.TenantID, ID: db.NewID(), AgendaItemID: itemID, AuthorID: a.MembershipID, Body: body, CreatedAt: now}
		if err := tx.Create(postsTable, rec); err != nil {
			return fmt.Errorf("committees: add post: %w", err)
		}
		out = &Post{ID: rec.ID, AgendaItemID: itemID, AuthorID: rec.AuthorID, Body: body, CreatedAt: now}
		if err := s.meetingChanged(tx, &m.ID, "posts"); err != nil {
			return err
		}
		return record(ctx, tx, a, ActionPosted, "agenda_item", itemID, map[string]string{"post_id": rec.ID.String()})
	})
	return out, err
}

// ListPosts returns an agenda item's discussion, oldest first.
func (s *Service) ListPosts(ctx context.Context, a tenant.Actor, itemID uuid.UUID) ([]Post, error) {
	out := []Post{}
	err := s.run(ctx, a, func(tx *db.Tx) error {
		if _, _, _, err := loadItem(tx, a, itemID, s.now(), ""); err != nil {
			return err
		}
		var rows []postRow
		if err := tx.Table(postsTable).Where("agenda_item_id = ?", itemID).Order("created_at, id").Scan(&rows).Error; err != nil {
			return fmt.Errorf("committees: list posts: %w", err)
		}
		for _, r := range rows {
			out = append(out, Post{ID: r.ID, AgendaItemID: r.AgendaItemID, AuthorID: r.AuthorID, Body: r.Body, CreatedAt: r.CreatedAt})
		}
		return nil
	})
	return out, err
}

// conflictRow is a row of conflict_declarations.
type conflictRow struct {
	TenantID     uuid.UUID `gorm:"column:tenant_id"`
	ID           uuid.UUID `gorm:"column:id"`
	AgendaItemID uuid.UUID `gorm:"column:agenda_item_id"`
	MemberID     uuid.UUID `gorm:"column:member_id"`
	Reason       string    `gorm:"column:reason"`
	DeclaredAt   time.Time `gorm:"column:declared_at"`
	DeclaredBy   uuid.UUID `gorm:"column:declared_by"`
	// MembershipID is read through a join with the member's seat.
	MembershipID uuid.UUID `gorm:"->;column:membership_id"`
}

// OwnerTenant implements db.TenantOwned.
func (r *conflictRow) OwnerTenant() uuid.UUID { return r.TenantID }

// conflictTarget checks who may declare or withdraw a member's conflict on
// an item (the member, or admins, chair and secretary) and that no poll on
// the item is open: entitlement must not change under a running vote. The
// item's row lock (taken by the caller) orders this against OpenPoll.
func conflictTarget(tx *db.Tx, a tenant.Actor, it *itemRow, m *meetingRow, sc *scope, membershipID uuid.UUID) (*memberRow, error) {
	if membershipID != a.MembershipID && !sc.canManage() {
		return nil, errForbidden()
	}
	if !m.open() {
		return nil, m.errNotOpen()
	}
	seat, err := seatOfAny(tx, m.CommitteeID, membershipID)
	if err != nil {
		return nil, err
	}
	var open int64
	if err := tx.Table(pollsTable).Where("agenda_item_id = ? AND state = ?", it.ID, PollOpen).Count(&open).Error; err != nil {
		return nil, fmt.Errorf("committees: check polls: %w", err)
	}
	if open > 0 {
		return nil, errs.New(errs.Conflict, errs.M("meetings.while-vote-item-running-conflicts", "Solange über diesen Punkt abgestimmt wird, kann die Befangenheit nicht geändert werden.", "While a vote on this item is running, conflicts of interest cannot be changed."))
	}
	return seat, nil
}

// DeclareConflict records that a member is conflicted (befangen) on an
// agenda item: they take no part in its votes and do not count for its
// quorum. Declaring twice changes nothing.
func (s *Service) DeclareConflict(ctx context.Context, a tenant.Actor, itemID, membershipID uuid.UUID, reason string) (*ConflictDeclaration, error) {
	reason, ok := text(reason, MaxReasonLen)
	if !ok {
		return nil, errs.InvalidField("reason", errs.M("meetings.reason-may-most-2000-characters", "Der Grund darf höchstens 2000 Zeichen lang sein.", "The reason may be at most 2000 characters long."))
	}
	var out *ConflictDeclaration
	err := s.run(ctx, a, func(tx *db.Tx) error {
		now := s.now()
		it, m, sc, err := loadItem(tx, a, itemID, now, "UPDATE")
		if err != nil {
			return err
		}
		seat, err := conflictTarget(tx, a, it, m, sc, membershipID)
		if err != nil {
			return err
		}
		var have []conflictRow
		if err := tx.Table(conflictsTable).Where("agenda_item_id = ? AND member_id = ?", itemID, seat.ID).Scan(&have).Error; err != nil {
			return fmt.Errorf("committees: read conflicts: %w", err)
		}
		rec := &conflictRow{TenantID: a.TenantID, ID: db.NewID(), AgendaItemID: itemID, MemberID: seat.ID, Reason: reason,
			DeclaredAt: now, DeclaredBy: a.MembershipID}
		if len(have) > 0 {
			rec = &have[0]
		} else {
			if err := tx.Create(conflictsTable, rec); err != nil {
				return fmt.Errorf("committees: declare conflict: %w", err)
			}
			if err := s.meetingChanged(tx, &m.ID, "conflicts"); err != nil {
				return err
			}
			if err := record(ctx, tx, a, ActionConflictDeclared, "agenda_item", itemID,
				map[string]string{"membership_id": membershipID.String()}); err != nil {
				return err
			}
		}
		out = &ConflictDeclaration{ID: rec.ID, AgendaItemID: itemID, MemberID: seat.ID, MembershipID: membershipID, Reason: rec.Reason,
			DeclaredAt: rec.DeclaredAt, DeclaredBy: rec.DeclaredBy}
		return nil
	})
	return out, err
}

// WithdrawConflict removes a member's conflict declaration on an item.
func (s *Service) WithdrawConflict(ctx context.Context, a tenant.Actor, itemID, membershipID uuid.UUID) error {
	return s.run(ctx, a, func(tx *db.Tx) error {
		it, m, sc, err := loadItem(tx, a, itemID, s.now(), "UPDATE")
		if err != nil {
			return err
		}
		seat, err := conflictTarget(tx, a, it, m, sc, membershipID)
		if err != nil {
			return err
		}
		n, err := exec(tx, "DELETE FROM conflict_declarations WHERE tenant_id = @tenant AND agenda_item_id = ? AND member_id = ?", itemID, seat.ID)
		if err != nil || n == 0 {
			return err
		}
		if err := s.meetingChanged(tx, &m.ID, "conflicts"); err != nil {
			return err
		}
		return record(ctx, tx, a, ActionConflictWithdrawn, "agenda_item", itemID, map[string]string{"membership_id": membershipID.String()})
	})
}

// ListConflicts returns the conflict declarations on an agenda item.
func (s *Service) ListConflicts(ctx context.Context, a tenant.Actor, itemID uuid.UUID) ([]ConflictDeclaration, error) {
	out := []ConflictDeclaration{}
	err := s.run(ctx, a, func(tx *db.Tx) error {
		if _, _, _, err := loadItem(tx, a, itemID, s.now(), ""); err != nil {
			return err
		}
		var rows []conflictRow
		if err := tx.Table(conflictsTable).Select("conflict_declarations.*, cm.membership_id").
			Joins("JOIN committee_members cm ON cm.tenant_id = conflict_declarations.tenant_id AND cm.id = conflict_declarations.member_id").
			Where("conflict_declarations.agenda_item_id = ?", itemID).Order("conflict_declarations.declared_at, conflict_declarations.id").
			Scan(&rows).Error; err != nil {
			return fmt.Errorf("committees: list conflicts: %w", err)
		}
		for _, r := range rows {
			out = append(out, ConflictDeclaration{ID: r.ID, AgendaItemID: r.AgendaItemID, MemberID: r.MemberID, MembershipID: r.MembershipID,
				Reason: r.Reason, DeclaredAt: r.DeclaredAt, DeclaredBy: r.DeclaredBy})
		}
		return nil
	})
	return out, err
}
