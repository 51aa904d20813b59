package meetings

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/kollab/kollab/internal/db"
	"github.com/kollab/kollab/internal/errs"
	"github.com/kollab/kollab/meetings/publication"
	"github.com/kollab/kollab/tenant"
)

// itemRow is a row of agenda_items.
type itemRow struct {
	TenantID    uuid.UUID  `gorm:"column:tenant_id"`
	ID          uuid.UUID  `gorm:"column:id"`
	MeetingID   uuid.UUID  `gorm:"column:meeting_id"`
	Position    int        `gorm:"column:position"`
	Title       string     `gorm:"column:title"`
	Description string     `gorm:"column:description"`
	Public      bool       `gorm:"column:public"`
	State       ItemState  `gorm:"column:state"`
	ProposedBy  uuid.UUID  `gorm:"column:proposed_by"`
	DecidedBy   *uuid.UUID `gorm:"column:decided_by"`
	DecidedAt   *time.Time `gorm:"column:decided_at"`
	CreatedAt   time.Time  `gorm:"column:created_at"`
	UpdatedAt   time.Time  `gorm:"column:updated_at"`
	// Automatic marks an item the system keeps (followups_report.go).
	Automatic *string `gorm:"column:automatic"`
}

// OwnerTenant implements db.TenantOwned.
func (r *itemRow) OwnerTenant() uuid.UUID { return r.TenantID }

func (r *itemRow) item(number int) AgendaItem {
	return AgendaItem{ID: r.ID, MeetingID: r.MeetingID, Position: r.Position, Number: number, Title: r.Title, Description: r.Description,
		Public: r.Public, State: r.State, ProposedBy: r.ProposedBy, DecidedBy: r.DecidedBy, DecidedAt: r.DecidedAt,
		CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt, Automatic: r.Automatic != nil}
}

// loadItem reads an agenda item with its meeting and the actor's scope;
// NotFound when missing, foreign or not visible. lock as in loadMeeting,
// applied to the item.
func loadItem(tx *db.Tx, a tenant.Actor, id uuid.UUID, now time.Time, lock string) (*itemRow, *meetingRow, *scope, error) {
	q := "SELECT * FROM agenda_items WHERE tenant_id = @tenant AND id = ?"
	if lock != "" && isPostgres(tx) {
		q += " FOR " + lock
	}
	var items []itemRow
	if err := tx.Raw(q, id).Scan(&items).Error; err != nil {
		return nil, nil, nil, fmt.Errorf("committees: load agenda item: %w", err)
	}
	if len(items) == 0 {
		return nil, nil, nil, errNotFound()
	}
	m, sc, err := loadMeeting(tx, a, items[0].MeetingID, now, "")
	if err != nil {
		return nil, nil, nil, err
	}
	return &items[0], m, sc, nil
}

// agenda reads a meeting's items in order, numbering the accepted ones.
func agenda(tx *db.Tx, meetingID uuid.UUID) ([]AgendaItem, error) {
	var rows []itemRow
	if err := tx.Table(itemsTable).Where("meeting_id = ?", meetingID).Order("position").Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("committees: read agenda: %w", err)
	}
	out, n := make([]AgendaItem, len(rows)), 0
	for i, r := range rows {
		number := 0
		if r.State == Accepted {
			n++
			number = n
		}
		out[i] = r.item(number)
	}
	return out, nil
}

func findItem(items []AgendaItem, id uuid.UUID) *AgendaItem {
	for i := range items {
		if items[i].ID == id {
			return &items[i]
		}
	}
	return nil
}

// agendaItem reads an item as its meeting's agenda shows it (numbered).
func agendaItem(tx *db.Tx, meetingID, itemID uuid.UUID) (*AgendaItem, error) {
	items, err := agenda(tx, meetingID)
	if err != nil {
		return nil, err
	}
	return findItem(items, itemID), nil
}

// manageItem loads an agenda item, locked, for a change by admins, the
// chair or the secretary while its meeting is open.
func manageItem(tx *db.Tx, a tenant.Actor, id uuid.UUID, now time.Time) (*itemRow, *meetingRow, error) {
	it, m, sc, err := loadItem(tx, a, id, now, "UPDATE")
	if err != nil {
		return nil, nil, err
	}
	if err := sc.needManage(); err != nil {
		return nil, nil, err
	}
	if !m.open() {
		return nil, nil, m.errNotOpen()
	}
	return it, m, nil
}

func errMeetingOver() error {
	return errs.New(errs.Conflict, errs.M("meetings.meeting-closed", "Die Sitzung ist abgeschlossen; ihre Tagesordnung kann nicht mehr geändert werden.", "The meeting is closed; its agenda can no longer be changed."))
}

// AgendaItemInput is a new agenda item.
type AgendaItemInput struct {
	Title       string
	Description string
	// Public items are discussed in the public part of the meeting.
	Public bool
}

// validate checks and trims the title and the description.
func (in *AgendaItemInput) validate() error {
	var err error
	if in.Title, err = validateTitle(in.Title); err != nil {
		return err
	}
	in.Description, err = validateDescription(in.Description)
	return err
}

// AddAgendaItem puts an item at the end of a meeting's agenda. Items added
// by admins, the chair or the secretary are accepted at once; members'
// items are proposals for the chair or secretary to decide.
func (s *Service) AddAgendaItem(ctx context.Context, a tenant.Actor, meetingID uuid.UUID, in AgendaItemInput) (*AgendaItem, error) {
	if err := in.validate(); err != nil {
		return nil, err
	}
	var out *AgendaItem
	err := s.run(ctx, a, func(tx *db.Tx) error {
		now := s.now()
		// The meeting's row lock orders concurrent agenda changes.
		m, sc, err := loadMeeting(tx, a, meetingID, now, "UPDATE")
		if err != nil {
			return err
		}
		if !m.open() {
			return m.errNotOpen()
		}
		var last []int
		if err := tx.Table(itemsTable).Where("meeting_id = ?", meetingID).Select("COALESCE(MAX(position), 0)").Scan(&last).Error; err != nil {
			return fmt.Errorf("committees: read agenda: %w", err)
		}
		rec := &itemRow{TenantID: a.TenantID, ID: db.NewID(), MeetingID: meetingID, Position: last[0] + 1, Title: in.Title,
			Description: in.Description, Public: in.Public, State: Proposed, ProposedBy: a.MembershipID, CreatedAt: now, UpdatedAt: now}
		if sc.canManage() {
			rec.State, rec.DecidedBy, rec.DecidedAt = Accepted, &a.MembershipID, &now
		}
		if err := tx.Create(itemsTable, rec); err != nil {
			return fmt.Errorf("committees: add agenda item: %w", err)
		}
		if err := s.meetingChanged(tx, &meetingID, "agenda"); err != nil {
			return err
		}
		if err := record(ctx, tx, a, ActionItemAdded, "agenda_item", rec.ID, map[string]string{"meeting_id": meetingID.String(),
			"title": in.Title, "state": string(rec.State), "public": fmt.Sprint(in.Public)}); err != nil {
			return err
		}
		out, err = agendaItem(tx, meetingID, rec.ID)
		return err
	})
	return out, err
}

// DecideAgendaItem accepts or declines a proposed item (admins, chair, secretary).
func (s *Service) DecideAgendaItem(ctx context.Context, a tenant.Actor, itemID uuid.UUID, accept bool) (*AgendaItem, error) {
	var out *AgendaItem
	err := s.run(ctx, a, func(tx *db.Tx) error {
		now := s.now()
		it, m, err := manageItem(tx, a, itemID, now)
		if err != nil {
			return err
		}
		if it.State != Proposed {
			return errs.New(errs.Conflict, errs.M("meetings.agenda-item-already-decided", "Über diesen Tagesordnungspunkt wurde bereits entschieden.", "This agenda item has already been decided."))
		}
		state := Declined
		if accept {
			state = Accepted
		}
		if err := tx.Table(itemsTable).Where("id = ? AND state = ?", itemID, Proposed).Updates(map[string]any{
			"state": state, "decided_by": a.MembershipID, "decided_at": now, "updated_at": now}).Error; err != nil {
			return fmt.Errorf("committees: decide agenda item: %w", err)
		}
		if err := s.meetingChanged(tx, &m.ID, "agenda"); err != nil {
			return err
		}
		if err := record(ctx, tx, a, ActionItemDecided, "agenda_item", itemID, map[string]string{"state": string(state)}); err != nil {
			return err
		}
		out, err = agendaItem(tx, it.MeetingID, itemID)
		return err
	})
	return out, err
}

// UpdateAgendaItem changes an item's title, description and whether it is
// public (admins, chair, secretary) while its meeting has not closed; the
// position and the decision stay. Papers frozen at the invitation stay
// frozen: the item's wording is the chair's to correct, its papers are not.
func (s *Service) UpdateAgendaItem(ctx context.Context, a tenant.Actor, itemID uuid.UUID, in AgendaItemInput) (*AgendaItem, error) {
	if err := in.validate(); err != nil {
		return nil, err
	}
	var out *AgendaItem
	err := s.run(ctx, a, func(tx *db.Tx) error {
		now := s.now()
		it, m, err := manageItem(tx, a, itemID, now)
		if err != nil {
			return err
		}
		if err := publication.Watch(tx, publication.AgendaItem(itemID)); err != nil { // OParl tombstones
			return err
		}
		if err := tx.Table(itemsTable).Where("id = ?", itemID).Updates(map[string]any{
			"title": in.Title, "description": in.Description, "public": in.Public, "updated_at": now}).Error; err != nil {
			return fmt.Errorf("committees: update agenda item: %w", err)
		}
		if err := s.meetingChanged(tx, &m.ID, "agenda"); err != nil {
			return err
		}
		if err := record(ctx, tx, a, ActionItemUpdated, "agenda_item", itemID, map[string]string{
			"title": in.Title, "public": fmt.Sprint(in.Public)}); err != nil {
			return err
		}
		out, err = agendaItem(tx, it.MeetingID, itemID)
		return err
	})
	return out, err
}

// ReorderAgenda puts a meeting's items in the given order, which must name
// every item exactly once (admins, chair, secretary).
func (s *Service) ReorderAgenda(ctx context.Context, a tenant.Actor, meetingID uuid.UUID, order []uuid.UUID) ([]AgendaItem, error) {
	var out []AgendaItem
	err := s.run(ctx, a, func(tx *db.Tx) error {
		now := s.now()
		m, sc, err := loadMeeting(tx, a, meetingID, now, "UPDATE")
		if err != nil {
			return err
		}
		if err := sc.needManage(); err != nil {
			return err
		}
		if !m.open() {
			return m.errNotOpen()
		}
		items, err := agenda(tx, meetingID)
		if err != nil {
			return err
		}
		seen := map[uuid.UUID]bool{}
		for _, id := range order {
			if seen[id] || findItem(items, id) == nil {
				seen = nil
				break
			}
			seen[id] = true
		}
		if len(seen) != len(items) {
			return errs.InvalidField("order", errs.M("meetings.new-order-must-name-every", "Die neue Reihenfolge muss jeden Tagesordnungspunkt der Sitzung genau einmal nennen.", "The new order must name every agenda item of the meeting exactly once."))
		}
		// Positions are unique per meeting and checked row by row: move
		// every item out of the way first, then into its place.
		if _, err := exec(tx, "UPDATE agenda_items SET position = position + 1000000 WHERE tenant_id = @tenant AND meeting_id = ?",
			meetingID); err != nil {
			return err
		}
		for i, id := range order {
			if _, err := exec(tx, "UPDATE agenda_items SET position = ?, updated_at = ? WHERE tenant_id = @tenant AND id = ?",
				i+1, now, id); err != nil {
				return err
			}
		}
		if err := s.meetingChanged(tx, &meetingID, "agenda"); err != nil {
			return err
		}
		if err := record(ctx, tx, a, ActionAgendaReordered, "meeting", meetingID, nil); err != nil {
			return err
		}
		out, err = agenda(tx, meetingID)
		return err
	})
	return out, err
}

// ListAgenda returns a meeting's agenda in order, proposals included.
func (s *Service) ListAgenda(ctx context.Context, a tenant.Actor, meetingID uuid.UUID) ([]AgendaItem, error) {
	var out []AgendaItem
	err := s.run(ctx, a, func(tx *db.Tx) error {
		if _, _, err := loadMeeting(tx, a, meetingID, s.now(), ""); err != nil {
			return err
		}
		var err error
		out, err = agenda(tx, meetingID)
		return err
	})
	return out, err
}
