package documents

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/google/uuid"
	"github.com/kollab/kollab/internal/db"
	"github.com/kollab/kollab/internal/errs"
	"github.com/kollab/kollab/internal/storage"
	"github.com/kollab/kollab/tenant"
)

// Tables of the revisions part.
const (
	revisionsTable  = "document_revisions"
	intentsTable    = "upload_intents"
	usageTable      = "storage_usage"
	quarantineTable = "storage_quarantine"
	jobsTable       = "extraction_jobs"
)

// RevisionKind is the storage kind of revision objects; QuarantineKind of
// objects the sweeper found unreferenced.
const (
	RevisionKind   = "rev"
	QuarantineKind = "quarantine"
)

// Audit actions of the revisions part.
const (
	ActionRevisionAdded    = "documents.revision.added"
	ActionRevisionRestored = "documents.revision.restored"
	ActionDocumentRead     = "documents.document.downloaded"
)

// Limits of an upload's descriptive fields.
const (
	maxFileName = 255
	maxComment  = 2000
	sniffLen    = 512
)

// Revision is one immutable version of a document's bytes.
type Revision struct {
	TenantID   uuid.UUID `gorm:"column:tenant_id"`
	ID         uuid.UUID `gorm:"column:id"`
	DocumentID uuid.UUID `gorm:"column:document_id"`
	// Number counts a document's revisions from 1.
	Number int `gorm:"column:number"`
	// StorageKey is the object's key; never shown to clients.
	StorageKey  string `gorm:"column:storage_key"`
	Size        int64  `gorm:"column:size_bytes"`
	SHA256      string `gorm:"column:sha256"`
	ContentType string `gorm:"column:content_type"`
	// FileName is the name the file was uploaded with (display only).
	FileName string `gorm:"column:file_name"`
	Comment  string `gorm:"column:comment"`
	// RestoredFrom is the revision this one restores, if any.
	RestoredFrom *uuid.UUID `gorm:"column:restored_from"`
	CreatedAt    time.Time  `gorm:"column:created_at"`
	// CreatedBy is the author's membership id; AuthorName their display name.
	CreatedBy  uuid.UUID `gorm:"column:created_by"`
	AuthorName string    `gorm:"column:author_name;->"`
}

// OwnerTenant implements db.TenantOwned.
func (r *Revision) OwnerTenant() uuid.UUID { return r.TenantID }

const revisionCols = `document_revisions.tenant_id, document_revisions.id, document_revisions.document_id,
	document_revisions.number, document_revisions.storage_key, document_revisions.size_bytes,
	document_revisions.sha256, document_revisions.content_type, document_revisions.file_name,
	document_revisions.comment, document_revisions.restored_from, document_revisions.created_at,
	document_revisions.created_by`

// revisionsOf reads a document's revisions, newest first; revID other
// than uuid.Nil selects one.
func revisionsOf(tx *db.Tx, docID, revID uuid.UUID) ([]Revision, error) {
	q := tx.Table(revisionsTable).
		Select(revisionCols+", COALESCE(users.display_name, '') AS author_name").
		Joins("LEFT JOIN memberships ON memberships.tenant_id = document_revisions.tenant_id AND memberships.id = document_revisions.created_by").
		Joins("LEFT JOIN users ON users.id = memberships.user_id").
		Where("document_revisions.document_id = ?", docID)
	if revID != uuid.Nil {
		q = q.Where("document_revisions.id = ?", revID)
	}
	var out []Revision
	if err := q.Order("document_revisions.number DESC").Scan(&out).Error; err != nil {
		return nil, fmt.Errorf("documents: read revisions: %w", err)
	}
	return out, nil
}

// ListRevisions returns the revision history of a live document the actor
// can read, newest first.
func (s *Service) ListRevisions(ctx context.Context, a tenant.Actor, docID uuid.UUID) ([]Revision, error) {
	var out []Revision
	err := s.run(ctx, a, func(tx *db.Tx) error {
		if _, err := loadDocument(tx, a, docID, live); err != nil {
			return err
		}
		var err error
		out, err = revisionsOf(tx, docID, uuid.Nil)
		return err
	})
	return out, err
}

// GetRevision returns one revision of a live readable document; revID
// uuid.Nil is the current revision (errs.NotFound when there is none).
func (s *Service) GetRevision(ctx context.Context, a tenant.Actor, docID, revID uuid.UUID) (*Revision, error) {
	var out *Revision
	err := s.run(ctx, a, func(tx *db.Tx) error {
		var err error
		out, err = revisionForRead(tx, a, docID, revID)
		return err
	})
	return out, err
}

func revisionForRead(tx *db.Tx, a tenant.Actor, docID, revID uuid.UUID) (*Revision, error) {
	r, err := loadDocument(tx, a, docID, live)
	if err != nil {
		return nil, err
	}
	if revID == uuid.Nil {
		if r.CurrentRevisionID == nil {
			return nil, errs.New(errs.NotFound, errs.M("documents.document-no-content-yet", "Das Dokument hat noch keinen Inhalt.", "The document has no content yet."))
		}
		revID = *r.CurrentRevisionID
	}
	revs, err := revisionsOf(tx, docID, revID)
	if err != nil {
		return nil, err
	}
	if len(revs) != 1 {
		return nil, errNotFound()
	}
	return &revs[0], nil
}

// OpenRevision opens a revision's bytes from offset (length -1: to the
// end) for a reader of a live document; revID uuid.Nil is the current
// revision. A read from the start is recorded in the audit log as a
// download (range requests that continue one are not). The caller closes
// the reader.
func (s *Service) OpenRevision(ctx context.Context, a tenant.Actor, docID, revID uuid.UUID, offset, length int64) (*Revision, io.ReadCloser, error) {
	var rev *Revision
	err := s.run(ctx, a, func(tx *db.Tx) error {
		var err error
		if rev, err = revisionForRead(tx, a, docID, revID); err != nil {
			return err
		}
		if offset > rev.Size || offset < 0 {
			return errs.Plain(errs.RangeNotSatisfiable)
		}
		if offset == 0 {
			return record(ctx, tx, a, ActionDocumentRead, "document", docID,
				map[string]string{"revision": fmt.Sprint(rev.Number)})
		}
		return nil
	})
	if err != nil {
		return nil, nil, err
	}
	rc, err := OpenStored(ctx, s.db, s.store, a.TenantID, rev.ID, rev.StorageKey, storage.Want{Size: rev.Size, SHA256: rev.SHA256}, offset, length)
	if err != nil {
		if errors.Is(err, storage.ErrInvalidRange) {
			return nil, nil, errs.Plain(errs.RangeNotSatisfiable)
		}
		if errs.As(err) != nil {
			return nil, nil, err
		}
		return nil, nil, errStorage(err)
	}
	return rev, rc, nil
}
