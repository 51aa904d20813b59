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
}

// OwnerTenant implements db.TenantOwned.
func (r *itemRow) OwnerTenant() uuid.UUID { return r.TenantID }

func (r *itemRow) item(number int) AgendaItem {
	return AgendaItem{ID: r.ID, MeetingID: r.MeetingID, Position: r.Position, Number: number, Title: r.Title, Description: r.Description,
		Public: r.Public, State: r.State, ProposedBy: r.ProposedBy, DecidedBy: r.DecidedBy, DecidedAt: r.DecidedAt,
		CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt}
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

// AddAgendaItem puts an item at the end of a meeting's agenda. Items added
// by admins, the chair or the secretary are accepted at once; members'
// items are proposals for the chair or secretary to decide.
func (s *Service) AddAgendaItem(ctx context.Context, a tenant.Actor, meetingID uuid.UUID, in AgendaItemInput) (*AgendaItem, error) {
	var err error
	if in.Title, err = validateTitle(in.Title); err != nil {
		return nil, err
	}
	if in.Description, err = validateDescription(in.Description); err != nil {
		return nil, err
	}
	var out *AgendaItem
	err = s.run(ctx, a, func(tx *db.Tx) error {
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
		items, err := agenda(tx, meetingID)
		if err == nil {
			out = findItem(items, rec.ID)
		}
		return err
	})
	return out, err
}

// DecideAgendaItem accepts or declines a proposed item (admins, chair, secretary).
func (s *Service) DecideAgendaItem(ctx context.Context, a tenant.Actor, itemID uuid.UUID, accept bool) (*AgendaItem, error) {
	var out *AgendaItem
	err := s.run(ctx, a, func(tx *db.Tx) error {
		now := s.now()
		it, m, sc, err := loadItem(tx, a, itemID, now, "UPDATE")
		if err != nil {
			return err
		}
		if err := sc.needManage(); err != nil {
			return err
		}
		if !m.open() {
			return m.errNotOpen()
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
		items, err := agenda(tx, it.MeetingID)
		if err == nil {
			out = findItem(items, itemID)
		}
		return err
	})
	return out, err
}

// UpdateAgendaItem changes an item's title, description and whether it is
// public (admins, chair, secretary) while its meeting has not closed; the
// position and the decision stay. Papers frozen at the invitation stay
// frozen: the item's wording is the chair's to correct, its papers are not.
func (s *Service) UpdateAgendaItem(ctx context.Context, a tenant.Actor, itemID uuid.UUID, in AgendaItemInput) (*AgendaItem, error) {
	var err error
	if in.Title, err = validateTitle(in.Title); err != nil {
		return nil, err
	}
	if in.Description, err = validateDescription(in.Description); err != nil {
		return nil, err
	}
	var out *AgendaItem
	err = s.run(ctx, a, func(tx *db.Tx) error {
		now := s.now()
		it, m, sc, err := loadItem(tx, a, itemID, now, "UPDATE")
		if err != nil {
			return err
		}
		if err := sc.needManage(); err != nil {
			return err
		}
		if !m.open() {
			return m.errNotOpen()
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
		items, err := agenda(tx, it.MeetingID)
		if err == nil {
			out = findItem(items, itemID)
		}
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

// paperRow is a row of meeting_papers.
type paperRow struct {
	TenantID     uuid.UUID  `gorm:"column:tenant_id"`
	ID           uuid.UUID  `gorm:"column:id"`
	AgendaItemID uuid.UUID  `gorm:"column:agenda_item_id"`
	DocumentID   uuid.UUID  `gorm:"column:document_id"`
	RevisionID   *uuid.UUID `gorm:"column:revision_id"`
	AddedBy      uuid.UUID  `gorm:"column:added_by"`
	AddedAt      time.Time  `gorm:"column:added_at"`
	FrozenAt     *time.Time `gorm:"column:frozen_at"`
}

// OwnerTenant implements db.TenantOwned.
func (r *paperRow) OwnerTenant() uuid.UUID { return r.TenantID }

func (r *paperRow) paper() Paper {
	return Paper{ID: r.ID, AgendaItemID: r.AgendaItemID, DocumentID: r.DocumentID, RevisionID: r.RevisionID, FrozenAt: r.FrozenAt,
		AddedBy: r.AddedBy, AddedAt: r.AddedAt}
}

// AttachPaper makes a document a session paper of an agenda item: admins,
// the chair or the secretary, or the member who proposed the item while
// it is a proposal; the caller must be able to read the document. After
// the invitation went out the paper is frozen at once at the document's
// current revision.
func (s *Service) AttachPaper(ctx context.Context, a tenant.Actor, itemID, documentID uuid.UUID) (*Paper, error) {
	if s.docs == nil {
		return nil, fmt.Errorf("committees: no document store")
	}
	// The document store decides who may read a document; it answers in
	// its own transaction, and ours checks below that the document is
	// still there.
	if _, err := s.docs.GetDocument(ctx, a, documentID); err != nil {
		return nil, err
	}
	var out *Paper
	err := s.run(ctx, a, func(tx *db.Tx) error {
		now := s.now()
		it, m, sc, err := loadItem(tx, a, itemID, now, "UPDATE")
		if err != nil {
			return err
		}
		if !sc.canManage() && (it.State != Proposed || it.ProposedBy != a.MembershipID) {
			return errForbidden()
		}
		if !m.open() {
			return m.errNotOpen()
		}
		var docs []struct {
			Revision *uuid.UUID `gorm:"column:current_revision_id"`
		}
		q := "SELECT current_revision_id FROM documents WHERE tenant_id = @tenant AND id = ? AND deleted_at IS NULL"
		if isPostgres(tx) {
			q += " FOR SHARE"
		}
		if err := tx.Raw(q, documentID).Scan(&docs).Error; err != nil {
			return fmt.Errorf("committees: read document: %w", err)
		}
		if len(docs) == 0 {
			return errNotFound()
		}
		rec := &paperRow{TenantID: a.TenantID, ID: db.NewID(), AgendaItemID: itemID, DocumentID: documentID, AddedBy: a.MembershipID, AddedAt: now}
		if m.State != Planned {
			if docs[0].Revision == nil {
				return errs.New(errs.Conflict, errs.M("documents.document-no-content-yet", "Das Dokument hat noch keinen Inhalt.", "The document has no content yet."))
			}
			rec.RevisionID, rec.FrozenAt = docs[0].Revision, &now
		}
		var n int64
		if err := tx.Table(papersTable).Where("agenda_item_id = ? AND document_id = ?", itemID, documentID).Count(&n).Error; err != nil {
			return fmt.Errorf("committees: check paper: %w", err)
		}
		if n > 0 {
			return errs.New(errs.Conflict, errs.M("meetings.document-already-attached-agenda-item", "Dieses Dokument ist dem Tagesordnungspunkt bereits beigefügt.", "This document is already attached to the agenda item."))
		}
		if err := tx.Create(papersTable, rec); err != nil {
			return fmt.Errorf("committees: attach paper: %w", err)
		}
		p := rec.paper()
		out = &p
		if err := s.meetingChanged(tx, &m.ID, "papers"); err != nil {
			return err
		}
		return record(ctx, tx, a, ActionPaperAttached, "agenda_item", itemID, map[string]string{"document_id": documentID.String()})
	})
	return out, err
}

// DetachPaper removes a session paper from an agenda item (admins, chair,
// secretary) while the meeting is not closed.
func (s *Service) DetachPaper(ctx context.Context, a tenant.Actor, itemID, documentID uuid.UUID) error {
	return s.run(ctx, a, func(tx *db.Tx) error {
		_, m, sc, err := loadItem(tx, a, itemID, s.now(), "UPDATE")
		if err != nil {
			return err
		}
		if err := sc.needManage(); err != nil {
			return err
		}
		if !m.open() {
			return m.errNotOpen()
		}
		if err := publication.Watch(tx, publication.AgendaItem(itemID)); err != nil { // OParl tombstones
			return err
		}
		n, err := exec(tx, "DELETE FROM meeting_papers WHERE tenant_id = @tenant AND agenda_item_id = ? AND document_id = ?", itemID, documentID)
		if err != nil {
			return err
		}
		if n == 0 {
			return errNotFound()
		}
		if err := s.meetingChanged(tx, &m.ID, "papers"); err != nil {
			return err
		}
		return record(ctx, tx, a, ActionPaperDetached, "agenda_item", itemID, map[string]string{"document_id": documentID.String()})
	})
}

// ListPapers returns the session papers of a meeting, in agenda order,
// with their frozen revisions as every reader of the meeting may read
// them (papers.go).
func (s *Service) ListPapers(ctx context.Context, a tenant.Actor, meetingID uuid.UUID) ([]Paper, error) {
	out := []Paper{}
	err := s.run(ctx, a, func(tx *db.Tx) error {
		if _, _, err := loadMeeting(tx, a, meetingID, s.now(), ""); err != nil {
			return err
		}
		ps, err := papersOf(tx, a, meetingID, uuid.Nil, false)
		out = append(out, ps...)
		return err
	})
	return out, err
}

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
