package documents

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/kollab/kollab/internal/db"
	"github.com/kollab/kollab/tenant"
)

// Document events another module may record, in the transaction of the
// change (the workspaces' activity feeds: workspaces.RecordDocumentActivity).
const (
	EventDocumentCreated = "document.created"
	EventDocumentRevised = "document.revised"
	EventDocumentTrashed = "document.trashed"
)

// DocumentEvent is one change of a document: created (with or without a
// first revision), given a new revision, or moved to the trash.
type DocumentEvent struct {
	Kind       string
	DocumentID uuid.UUID
	FolderID   uuid.UUID
	Title      string
	At         time.Time
}

// ActivityRecorder records a document event in tx.
type ActivityRecorder func(ctx context.Context, tx *db.Tx, a tenant.Actor, ev DocumentEvent) error

// WithActivity makes the service hand every document event to f.
func WithActivity(f ActivityRecorder) Option { return func(s *Service) { s.onActivity = f } }

// activity hands ev to the recorder, if any.
func (s *Service) activity(ctx context.Context, tx *db.Tx, a tenant.Actor, ev DocumentEvent) error {
	if s.onActivity == nil {
		return nil
	}
	if err := s.onActivity(ctx, tx, a, ev); err != nil {
		return fmt.Errorf("documents: record activity: %w", err)
	}
	return nil
}

// activityOf records kind for the document id as it is in tx now.
func (s *Service) activityOf(ctx context.Context, tx *db.Tx, a tenant.Actor, kind string, id uuid.UUID, now time.Time) error {
	if s.onActivity == nil {
		return nil
	}
	var rows []struct {
		FolderID uuid.UUID `gorm:"column:folder_id"`
		Title    string    `gorm:"column:title"`
	}
	if err := tx.Table(documentsTable).Select("folder_id, title").Where("id = ?", id).Limit(1).Scan(&rows).Error; err != nil {
		return fmt.Errorf("documents: read for activity: %w", err)
	}
	if len(rows) == 0 {
		return nil
	}
	return s.activity(ctx, tx, a, DocumentEvent{Kind: kind, DocumentID: id, FolderID: rows[0].FolderID, Title: rows[0].Title, At: now})
}
