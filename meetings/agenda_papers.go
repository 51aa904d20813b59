package meetings

// Session papers: documents attached to agenda items, frozen at the
// invitation.

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
		_, m, err := manageItem(tx, a, itemID, s.now())
		if err != nil {
			return err
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
