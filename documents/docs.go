package documents

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/kollab/kollab/internal/db"
	"github.com/kollab/kollab/internal/errs"
	"github.com/kollab/kollab/tenant"
	"gorm.io/gorm"
)

// documentRecord is a row of documents as first written.
type documentRecord struct {
	TenantID    uuid.UUID `gorm:"column:tenant_id"`
	ID          uuid.UUID `gorm:"column:id"`
	FolderID    uuid.UUID `gorm:"column:folder_id"`
	Title       string    `gorm:"column:title"`
	TitleKey    string    `gorm:"column:title_key"`
	FileName    string    `gorm:"column:file_name"`
	FileNameKey string    `gorm:"column:file_name_key"`
	Description string    `gorm:"column:description"`
	FilePlanRef string    `gorm:"column:file_plan_ref"`
	Metadata    Metadata  `gorm:"column:metadata"`
	Version     int64     `gorm:"column:version"`
	CreatedAt   time.Time `gorm:"column:created_at"`
	CreatedBy   uuid.UUID `gorm:"column:created_by"`
	UpdatedAt   time.Time `gorm:"column:updated_at"`
	UpdatedBy   uuid.UUID `gorm:"column:updated_by"`
}

// OwnerTenant implements db.TenantOwned.
func (r *documentRecord) OwnerTenant() uuid.UUID { return r.TenantID }

type tagRecord struct {
	TenantID   uuid.UUID `gorm:"column:tenant_id"`
	DocumentID uuid.UUID `gorm:"column:document_id"`
	Tag        string    `gorm:"column:tag"`
}

// OwnerTenant implements db.TenantOwned.
func (r *tagRecord) OwnerTenant() uuid.UUID { return r.TenantID }

// docRow is a document as read, with the caller's access level.
type docRow struct {
	TenantID          uuid.UUID  `gorm:"column:tenant_id"`
	ID                uuid.UUID  `gorm:"column:id"`
	FolderID          uuid.UUID  `gorm:"column:folder_id"`
	Title             string     `gorm:"column:title"`
	TitleKey          string     `gorm:"column:title_key"`
	FileName          string     `gorm:"column:file_name"`
	Description       string     `gorm:"column:description"`
	FilePlanRef       string     `gorm:"column:file_plan_ref"`
	Metadata          Metadata   `gorm:"column:metadata"`
	Version           int64      `gorm:"column:version"`
	CreatedAt         time.Time  `gorm:"column:created_at"`
	CreatedBy         uuid.UUID  `gorm:"column:created_by"`
	UpdatedAt         time.Time  `gorm:"column:updated_at"`
	UpdatedBy         uuid.UUID  `gorm:"column:updated_by"`
	CurrentRevisionID *uuid.UUID `gorm:"column:current_revision_id"`
	SizeBytes         *int64     `gorm:"column:size_bytes"`
	ContentType       *string    `gorm:"column:content_type"`
	DeletedAt         *time.Time `gorm:"column:deleted_at"`
	DeletedBy         *uuid.UUID `gorm:"column:deleted_by"`
	TrashRootID       *uuid.UUID `gorm:"column:trash_root_id"`
	LegalHold         bool       `gorm:"column:legal_hold"`
	LegalHoldReason   string     `gorm:"column:legal_hold_reason"`
	LegalHoldAt       *time.Time `gorm:"column:legal_hold_at"`
	LegalHoldBy       *uuid.UUID `gorm:"column:legal_hold_by"`
	LockOwnerID       *uuid.UUID `gorm:"column:lock_owner_id"`
	LockAcquiredAt    *time.Time `gorm:"column:lock_acquired_at"`
	LockExpiresAt     *time.Time `gorm:"column:lock_expires_at"`
	Access            Level      `gorm:"column:access"`
}

const documentCols = `documents.tenant_id, documents.id, documents.folder_id, documents.title, documents.title_key, documents.file_name,
	documents.description, documents.file_plan_ref, documents.metadata, documents.version,
	documents.current_revision_id, documents.size_bytes, documents.content_type,
	documents.created_at, documents.created_by, documents.updated_at, documents.updated_by,
	documents.deleted_at, documents.deleted_by, documents.trash_root_id,
	documents.legal_hold, documents.legal_hold_reason, documents.legal_hold_at, documents.legal_hold_by,
	documents.lock_owner_id, documents.lock_acquired_at, documents.lock_expires_at`

// lockedByOther reports whether someone other than the actor holds an
// unexpired check-out.
func (r *docRow) lockedByOther(a tenant.Actor, now time.Time) bool {
	return r.LockOwnerID != nil && *r.LockOwnerID != a.MembershipID && r.LockExpiresAt != nil && r.LockExpiresAt.After(now)
}

func (r *docRow) lockedErr(now time.Time) error {
	return errs.RetryLater(errs.ResourceLocked, r.LockExpiresAt.Sub(now),
		errs.M("documents.document-checked-out-someone-else", "Das Dokument ist von einer anderen Person ausgecheckt. Bitte warten Sie, bis es wieder eingecheckt ist.", "The document is checked out by someone else. Please wait until it is checked in again."))
}

// lockFree is the SQL twin of !lockedByOther; arguments: membership id, now.
const lockFree = "(documents.lock_owner_id IS NULL OR documents.lock_owner_id = ? OR documents.lock_expires_at <= ?)"

func (r *docRow) toDocument(now time.Time, tags []string) Document {
	d := Document{TenantID: r.TenantID, ID: r.ID, FolderID: r.FolderID, Title: r.Title, FileName: r.FileName, Description: r.Description,
		FilePlanRef: r.FilePlanRef, Tags: tags, Metadata: r.Metadata, Version: r.Version,
		CurrentRevisionID: r.CurrentRevisionID, SizeBytes: r.SizeBytes, ContentType: r.ContentType,
		CreatedAt: r.CreatedAt, CreatedBy: r.CreatedBy, UpdatedAt: r.UpdatedAt, UpdatedBy: r.UpdatedBy,
		DeletedAt: r.DeletedAt, DeletedBy: r.DeletedBy, Access: r.Access}
	if d.Tags == nil {
		d.Tags = []string{}
	}
	if d.Metadata == nil {
		d.Metadata = Metadata{}
	}
	if r.LegalHold && r.LegalHoldAt != nil {
		d.LegalHold = &LegalHold{Reason: r.LegalHoldReason, SetAt: *r.LegalHoldAt}
		if r.LegalHoldBy != nil {
			d.LegalHold.SetBy = *r.LegalHoldBy
		}
	}
	if r.LockOwnerID != nil && r.LockExpiresAt != nil && r.LockExpiresAt.After(now) {
		d.Lock = &Lock{OwnerID: *r.LockOwnerID, ExpiresAt: *r.LockExpiresAt}
		if r.LockAcquiredAt != nil {
			d.Lock.AcquiredAt = *r.LockAcquiredAt
		}
	}
	return d
}

// loadDocument reads one document with the actor's access level on its
// folder; NotFound when missing, foreign, in the wrong state or unreadable.
func loadDocument(tx *db.Tx, a tenant.Actor, id uuid.UUID, st rowState) (*docRow, error) {
	lvl, args := accessLevel("documents.folder_id", a)
	var rows []docRow
	err := tx.Table(documentsTable).Select(documentCols+", ? AS access", tx.Expr(lvl, args...)).
		Where("documents.id = ?", id).Where(stateCond(documentsTable, st)).Limit(1).Scan(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("documents: load document: %w", err)
	}
	if len(rows) == 0 || rows[0].Access < Read {
		return nil, errNotFound()
	}
	return &rows[0], nil
}

// loadTags returns the tags of the given documents.
func loadTags(tx *db.Tx, ids []uuid.UUID) (map[uuid.UUID][]string, error) {
	out := map[uuid.UUID][]string{}
	for chunk := range slices.Chunk(ids, 500) {
		var rows []tagRecord
		if err := tx.Table(tagsTable).Where("document_id IN ?", chunk).Order("document_id, tag").Scan(&rows).Error; err != nil {
			return nil, fmt.Errorf("documents: load tags: %w", err)
		}
		for _, r := range rows {
			out[r.DocumentID] = append(out[r.DocumentID], r.Tag)
		}
	}
	return out, nil
}

func writeTags(tx *db.Tx, id uuid.UUID, tags []string, replace bool) error {
	if replace {
		if _, err := exec(tx, "DELETE FROM document_tags WHERE tenant_id = @tenant AND document_id = ?", id); err != nil {
			return err
		}
	}
	for _, t := range tags {
		if err := tx.Create(tagsTable, &tagRecord{TenantID: tx.TenantID(), DocumentID: id, Tag: t}); err != nil {
			return fmt.Errorf("documents: write tag: %w", err)
		}
	}
	return nil
}

// readDocument returns the full document as the actor sees it.
func (s *Service) readDocument(tx *db.Tx, a tenant.Actor, id uuid.UUID, st rowState) (*Document, error) {
	r, err := loadDocument(tx, a, id, st)
	if err != nil {
		return nil, err
	}
	tags, err := loadTags(tx, []uuid.UUID{id})
	if err != nil {
		return nil, err
	}
	d := r.toDocument(s.now(), tags[id])
	return &d, nil
}

// DocumentInput is a new document's metadata.
type DocumentInput struct {
	Title string
	// FileName is the file name a client chose (WebDAV): it must follow the
	// file-name rules and be free in the folder, else errs.Invalid or
	// errs.Conflict. Empty: the name is derived from the uploaded file's
	// name or the title, made safe, and numbered when taken. An empty
	// Title with a FileName takes the file name (numbered when taken).
	FileName    string
	Description string
	FilePlanRef string
	Tags        []string
	Metadata    Metadata

	// nameHint is the name to derive the file name from (the upload's).
	nameHint string
	// titleFromName is set when the title was taken from FileName.
	titleFromName bool
}

func (in *DocumentInput) validate() error {
	var err error
	if in.FileName != "" {
		if in.FileName, err = ValidateFileName(in.FileName); err != nil {
			return err
		}
		if strings.TrimSpace(in.Title) == "" {
			in.Title, in.titleFromName = in.FileName, true
		}
	}
	if in.Title, err = validateTitle(in.Title); err != nil {
		return err
	}
	if in.Description, err = validateDescription(in.Description); err != nil {
		return err
	}
	if in.FilePlanRef, err = validateFilePlanRef(in.FilePlanRef); err != nil {
		return err
	}
	if in.Tags, err = normalizeTags(in.Tags); err != nil {
		return err
	}
	in.Metadata, err = validateMetadata(in.Metadata)
	return err
}

// CreateDocument creates a document (metadata only) in a live folder the
// actor can write to.
func (s *Service) CreateDocument(ctx context.Context, a tenant.Actor, folderID uuid.UUID, in DocumentInput) (*Document, error) {
	if err := in.validate(); err != nil {
		return nil, err
	}
	var out *Document
	err := s.run(ctx, a, func(tx *db.Tx) error {
		f, err := loadFolder(tx, a, folderID, live)
		if err != nil {
			return err
		}
		if err := need(f.Access, Write); err != nil {
			return err
		}
		if err := shareFolder(tx, folderID); err != nil {
			return err
		}
		id, err := insertDocument(tx, a, folderID, in, s.now())
		if err != nil {
			return err
		}
		if err := record(ctx, tx, a, ActionDocumentCreated, "document", id,
			map[string]string{"folder_id": folderID.String(), "title": in.Title}); err != nil {
			return err
		}
		if err := s.activityOf(ctx, tx, a, EventDocumentCreated, id, s.now()); err != nil {
			return err
		}
		out, err = s.readDocument(tx, a, id, live)
		return err
	})
	return out, err
}

func insertDocument(tx *db.Tx, a tenant.Actor, folderID uuid.UUID, in DocumentInput, now time.Time) (uuid.UUID, error) {
	name := in.FileName
	if name != "" {
		if err := fileNameFree(tx, folderID, name, uuid.Nil); err != nil {
			return uuid.Nil, err
		}
	} else {
		hint := in.nameHint
		if hint == "" {
			hint = in.Title
		}
		var err error
		if name, err = freeFileName(tx, folderID, SafeFileName(hint), uuid.Nil); err != nil {
			return uuid.Nil, err
		}
	}
	if in.titleFromName {
		var err error
		if in.Title, err = freeTitle(tx, folderID, in.Title); err != nil {
			return uuid.Nil, err
		}
	}
	rec := &documentRecord{TenantID: a.TenantID, ID: db.NewID(), FolderID: folderID, Title: in.Title, TitleKey: foldKey(in.Title),
		FileName: name, FileNameKey: foldKey(name),
		Description: in.Description, FilePlanRef: in.FilePlanRef, Metadata: in.Metadata, Version: 1,
		CreatedAt: now, CreatedBy: a.MembershipID, UpdatedAt: now, UpdatedBy: a.MembershipID}
	if err := tx.Create(documentsTable, rec); err != nil {
		return uuid.Nil, titleConflict(fmt.Errorf("documents: create document: %w", err))
	}
	return rec.ID, writeTags(tx, rec.ID, in.Tags, false)
}

// GetDocument returns a live document the actor can read.
func (s *Service) GetDocument(ctx context.Context, a tenant.Actor, id uuid.UUID) (*Document, error) {
	var out *Document
	err := s.run(ctx, a, func(tx *db.Tx) error {
		var err error
		out, err = s.readDocument(tx, a, id, live)
		return err
	})
	return out, err
}

// DocumentPatch names the metadata fields to change; nil fields stay.
type DocumentPatch struct {
	Title *string
	// FileName renames the file (the name WebDAV shows): it must follow the
	// file-name rules and be free in the folder.
	FileName    *string
	Description *string
	FilePlanRef *string
	// Tags and Metadata replace the whole set when not nil.
	Tags     []string
	Metadata Metadata
}

func (p *DocumentPatch) updates() (map[string]any, []string, error) {
	set, fields := map[string]any{}, []string{}
	if p.Title != nil {
		t, err := validateTitle(*p.Title)
		if err != nil {
			return nil, nil, err
		}
		set["title"], set["title_key"] = t, foldKey(t)
		fields = append(fields, "title")
	}
	if p.FileName != nil {
		n, err := ValidateFileName(*p.FileName)
		if err != nil {
			return nil, nil, err
		}
		set["file_name"], set["file_name_key"] = n, foldKey(n)
		fields = append(fields, "file_name")
	}
	if p.Description != nil {
		d, err := validateDescription(*p.Description)
		if err != nil {
			return nil, nil, err
		}
		set["description"] = d
		fields = append(fields, "description")
	}
	if p.FilePlanRef != nil {
		r, err := validateFilePlanRef(*p.FilePlanRef)
		if err != nil {
			return nil, nil, err
		}
		set["file_plan_ref"] = r
		fields = append(fields, "file_plan_ref")
	}
	if p.Metadata != nil {
		m, err := validateMetadata(p.Metadata)
		if err != nil {
			return nil, nil, err
		}
		set["metadata"] = m
		fields = append(fields, "metadata")
	}
	if p.Tags != nil {
		t, err := normalizeTags(p.Tags)
		if err != nil {
			return nil, nil, err
		}
		p.Tags = t
		fields = append(fields, "tags")
	}
	return set, fields, nil
}

// UpdateDocument changes a live document's metadata. ifMatch is the version
// the caller last saw (If-Match); a different current version answers
// errs.PreconditionFailed. Write permission; a check-out by someone else
// answers errs.ResourceLocked. The version grows by one.
func (s *Service) UpdateDocument(ctx context.Context, a tenant.Actor, id uuid.UUID, ifMatch int64, p DocumentPatch) (*Document, error) {
	if ifMatch <= 0 {
		return nil, errs.InvalidField("if_match", errs.M("documents.send-version-last-read", "Bitte die zuletzt gelesene Version mitschicken (If-Match).", "Please send the version you last read (If-Match)."))
	}
	set, fields, err := p.updates()
	if err != nil {
		return nil, err
	}
	var out *Document
	err = s.run(ctx, a, func(tx *db.Tx) error {
		now := s.now()
		r, err := loadDocument(tx, a, id, live)
		if err != nil {
			return err
		}
		if err := need(r.Access, Write); err != nil {
			return err
		}
		if r.Version != ifMatch {
			return errs.Plain(errs.PreconditionFailed)
		}
		if r.lockedByOther(a, now) {
			return r.lockedErr(now)
		}
		if len(fields) == 0 { // nothing to change: no new version
			out, err = s.readDocument(tx, a, id, live)
			return err
		}
		if n, ok := set["file_name"].(string); ok {
			if err := fileNameFree(tx, r.FolderID, n, id); err != nil {
				return err
			}
		}
		set["version"] = gorm.Expr("version + 1")
		set["updated_at"], set["updated_by"] = now, a.MembershipID
		res := tx.Table(documentsTable).Where("documents.id = ? AND documents.version = ? AND documents.deleted_at IS NULL AND "+lockFree,
			id, ifMatch, a.MembershipID, now).Updates(set)
		if res.Error != nil {
			return titleConflict(fmt.Errorf("documents: update document: %w", res.Error))
		}
		if res.RowsAffected == 0 { // changed between our read and our write
			return errs.Plain(errs.PreconditionFailed)
		}
		if p.Tags != nil {
			if err := writeTags(tx, id, p.Tags, true); err != nil {
				return err
			}
		}
		if err := record(ctx, tx, a, ActionDocumentUpdated, "document", id,
			map[string]string{"fields": strings.Join(fields, ","), "version": fmt.Sprint(ifMatch + 1)}); err != nil {
			return err
		}
		out, err = s.readDocument(tx, a, id, live)
		return err
	})
	return out, err
}

// MoveDocument moves a live document into another live folder (write
// permission on both). ifMatch, when not 0, must equal the current version.
func (s *Service) MoveDocument(ctx context.Context, a tenant.Actor, id, folderID uuid.UUID, ifMatch int64) (*Document, error) {
	var out *Document
	err := s.run(ctx, a, func(tx *db.Tx) error {
		now := s.now()
		r, err := loadDocument(tx, a, id, live)
		if err != nil {
			return err
		}
		if err := need(r.Access, Write); err != nil {
			return err
		}
		dest, err := loadFolder(tx, a, folderID, live)
		if err != nil {
			return err
		}
		if err := need(dest.Access, Write); err != nil {
			return err
		}
		if ifMatch != 0 && r.Version != ifMatch {
			return errs.Plain(errs.PreconditionFailed)
		}
		if r.lockedByOther(a, now) {
			return r.lockedErr(now)
		}
		if r.FolderID != folderID {
			if err := fileNameFree(tx, folderID, r.FileName, id); err != nil {
				return err
			}
			if err := shareFolder(tx, folderID); err != nil {
				return err
			}
			res := tx.Table(documentsTable).Where("documents.id = ? AND documents.version = ? AND documents.deleted_at IS NULL AND "+lockFree,
				id, r.Version, a.MembershipID, now).
				Updates(map[string]any{"folder_id": folderID, "version": gorm.Expr("version + 1"), "updated_at": now, "updated_by": a.MembershipID})
			if res.Error != nil {
				return titleConflict(fmt.Errorf("documents: move document: %w", res.Error))
			}
			if res.RowsAffected == 0 {
				return errs.Plain(errs.PreconditionFailed)
			}
			if err := record(ctx, tx, a, ActionDocumentMoved, "document", id,
				map[string]string{"from": r.FolderID.String(), "to": folderID.String()}); err != nil {
				return err
			}
		}
		out, err = s.readDocument(tx, a, id, live)
		return err
	})
	return out, err
}
