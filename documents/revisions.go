package documents

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"path"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/google/uuid"
	"github.com/kollab/kollab/documents/extract"
	"github.com/kollab/kollab/internal/db"
	"github.com/kollab/kollab/internal/errs"
	"github.com/kollab/kollab/internal/storage"
	"github.com/kollab/kollab/tenant"
	"gorm.io/gorm"
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

// Upload describes the bytes of a new revision.
type Upload struct {
	// FileName is the client's file name; only its last path element is
	// kept, for display and Content-Disposition. It never names storage.
	FileName string
	// Size is the exact number of bytes the body yields (Content-Length).
	Size int64
	// Comment is the author's note on the revision.
	Comment string
	// IfMatch, when not 0, must equal the document's version, else
	// errs.PreconditionFailed before and after the bytes are stored.
	IfMatch int64
}

func (u *Upload) validate() error {
	if u.Size < 0 {
		return errs.Plain(errs.LengthRequired)
	}
	name, err := cleanFileName(u.FileName)
	if err != nil {
		return err
	}
	u.FileName = name
	if u.Comment, err = cleanComment(u.Comment); err != nil {
		return err
	}
	if u.IfMatch < 0 {
		return errs.InvalidField("if_match", errs.M("documents.version-if-match-invalid", "Die Version (If-Match) ist ungültig.", "The version (If-Match) is invalid."))
	}
	return nil
}

// cleanComment trims a revision comment and bounds its length.
func cleanComment(c string) (string, error) {
	c = strings.TrimSpace(c)
	if utf8.RuneCountInString(c) > maxComment || !utf8.ValidString(c) {
		return "", errs.InvalidField("comment", errs.M("documents.comment-too-long", "Der Kommentar ist zu lang (höchstens 2000 Zeichen).", "The comment is too long (at most 2000 characters)."))
	}
	return c, nil
}

// cleanFileName keeps the last element of a client path (either slash),
// without control characters; empty becomes "Datei".
func cleanFileName(name string) (string, error) {
	if !utf8.ValidString(name) {
		return "", errs.InvalidField("file_name", errs.M("documents.file-name-not-valid-text", "Der Dateiname ist kein gültiger Text (UTF-8).", "The file name is not valid text (UTF-8)."))
	}
	if i := strings.LastIndexAny(name, `/\`); i >= 0 {
		name = name[i+1:]
	}
	name = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return -1
		}
		return r
	}, name)
	name = strings.TrimSpace(name)
	if name == "" || name == "." || name == ".." {
		name = "Datei"
	}
	if utf8.RuneCountInString(name) > maxFileName {
		return "", errs.InvalidField("file_name", errs.M("documents.file-name-too-long", "Der Dateiname ist zu lang (höchstens 255 Zeichen).", "The file name is too long (at most 255 characters)."))
	}
	return name, nil
}

// SniffContentType returns the media type of a file from its first bytes
// (at most 512 are looked at; see extract.Sniff). The name never turns
// bytes into an active type: it only tells plain text from Markdown, and a
// ZIP container from the Office format it claims to be (both download as
// attachments; the extractor checks the container's structure).
func SniffContentType(head []byte, fileName string) string {
	ct := extract.Sniff(head, fileName)
	if ct == extract.TypeZIP {
		switch strings.ToLower(path.Ext(fileName)) {
		case ".docx":
			return extract.TypeDOCX
		case ".xlsx":
			return extract.TypeXLSX
		case ".pptx":
			return extract.TypePPTX
		}
	}
	return ct
}

func errQuota() error {
	return errs.New(errs.TooLarge, errs.M("documents.storage-quota-exceeded", "Das Speicherkontingent Ihrer Organisation reicht für diese Datei nicht aus.", "Your organisation's storage quota is not enough for this file."))
}

func errTruncated() error {
	return errs.New(errs.Invalid, errs.M("documents.file-did-not-arrive-completely", "Die Datei ist nicht vollständig angekommen. Bitte erneut hochladen.", "The file did not arrive completely. Please upload again."))
}

// errStorage hides a storage failure's details from the client.
func errStorage(err error) error {
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	if errors.Is(err, storage.ErrSizeMismatch) {
		return errTruncated()
	}
	if errors.Is(err, storage.ErrNotConfirmed) {
		return errs.Wrap(errs.Internal, errs.M("documents.storage-did-not-take-file", "Der Speicher hat die Datei nicht unverändert übernommen; sie wurde nicht gespeichert. Bitte erneut hochladen und, wenn es wieder scheitert, die Administration verständigen.", "The storage did not take the file unchanged; it was not saved. Please upload it again and, if that fails too, inform the administrators."), err)
	}
	return fmt.Errorf("documents: object store: %w", err)
}

// checkWritable loads a live document for a new revision: write
// permission, not checked out by someone else, and the expected version.
func checkWritable(tx *db.Tx, a tenant.Actor, id uuid.UUID, ifMatch int64, now time.Time) (*docRow, error) {
	r, err := loadDocument(tx, a, id, live)
	if err != nil {
		return nil, err
	}
	if err := need(r.Access, Write); err != nil {
		return nil, err
	}
	if ifMatch != 0 && r.Version != ifMatch {
		return nil, errs.Plain(errs.PreconditionFailed)
	}
	if r.lockedByOther(a, now) {
		return nil, r.lockedErr(now)
	}
	return r, nil
}

// stored is what streaming an upload produced.
type stored struct {
	key         string
	size        int64
	sha256      string
	contentType string
}

// hashingReader counts and hashes what passes through it.
type hashingReader struct {
	r io.Reader
	h hash.Hash
	n int64
}

func (h *hashingReader) Read(p []byte) (int, error) {
	n, err := h.r.Read(p)
	if n > 0 {
		h.h.Write(p[:n])
		h.n += int64(n)
	}
	return n, err
}

// streamObject writes exactly in.Size bytes of body to the intent's key,
// hashing on the way and sniffing the type from the first bytes.
func (s *Service) streamObject(ctx context.Context, in *intentRecord, fileName string, body io.Reader) (*stored, error) {
	head := make([]byte, min(int64(sniffLen), in.Size))
	n, err := io.ReadFull(body, head)
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, io.EOF) {
		return nil, errStorage(err)
	}
	head = head[:n]
	ct := SniffContentType(head, fileName)
	hr := &hashingReader{r: io.MultiReader(bytes.NewReader(head), body), h: sha256.New()}
	if err := s.store.Put(ctx, in.StorageKey, hr, in.Size, ct); err != nil {
		return nil, errStorage(err)
	}
	if hr.n != in.Size {
		return nil, errTruncated()
	}
	return &stored{key: in.StorageKey, size: hr.n, sha256: hex.EncodeToString(hr.h.Sum(nil)), contentType: ct}, nil
}

// insertRevision writes the revision row, points the document at it,
// turns the reservation into use, drops the intent, queues text
// extraction and records the audit event — all in tx.
func (s *Service) insertRevision(ctx context.Context, tx *db.Tx, a tenant.Actor, r *docRow, in *intentRecord, st *stored, up Upload, restoredFrom *uuid.UUID, now time.Time) (*Revision, error) {
	// Count the revision first: the UPDATE takes the document's row lock,
	// so concurrent uploads get consecutive numbers; with If-Match only the
	// expected version may be replaced, and never under someone else's
	// check-out.
	q := tx.Table(documentsTable).Where("documents.id = ? AND documents.deleted_at IS NULL AND "+lockFree, r.ID, a.MembershipID, now)
	if up.IfMatch != 0 {
		q = q.Where("documents.version = ?", up.IfMatch)
	}
	res := q.Updates(map[string]any{"revision_count": gorm.Expr("revision_count + 1"), "version": gorm.Expr("version + 1"),
		"updated_at": now, "updated_by": a.MembershipID})
	if res.Error != nil {
		return nil, fmt.Errorf("documents: count revision: %w", res.Error)
	}
	if res.RowsAffected != 1 { // changed since checkWritable: say why
		cur, err := checkWritable(tx, a, r.ID, up.IfMatch, now)
		if err != nil {
			return nil, err
		}
		return nil, fmt.Errorf("documents: document %s could not be updated (version %d)", cur.ID, cur.Version)
	}
	var cnt []int
	if err := tx.Table(documentsTable).Select("revision_count").Where("documents.id = ?", r.ID).Scan(&cnt).Error; err != nil || len(cnt) != 1 {
		return nil, fmt.Errorf("documents: revision count: %v", err)
	}
	rev := &Revision{TenantID: a.TenantID, ID: db.NewID(), DocumentID: r.ID, Number: cnt[0], StorageKey: st.key,
		Size: st.size, SHA256: st.sha256, ContentType: st.contentType, FileName: up.FileName, Comment: up.Comment,
		RestoredFrom: restoredFrom, CreatedAt: now, CreatedBy: a.MembershipID}
	if err := tx.Create(revisionsTable, rev); err != nil {
		return nil, fmt.Errorf("documents: insert revision: %w", err)
	}
	if _, err := exec(tx, `UPDATE documents SET current_revision_id = ?, size_bytes = ?, content_type = ? WHERE tenant_id = @tenant AND id = ?`,
		rev.ID, st.size, st.contentType, r.ID); err != nil {
		return nil, err
	}
	if in != nil {
		n, err := exec(tx, `DELETE FROM upload_intents WHERE tenant_id = @tenant AND id = ?`, in.ID)
		if err != nil {
			return nil, err
		}
		if n != 1 { // the sweeper aborted this upload meanwhile
			return nil, errs.New(errs.Conflict, errs.M("documents.upload-took-too-long-discarded", "Der Upload hat zu lange gedauert und wurde verworfen. Bitte erneut hochladen.", "The upload took too long and was discarded. Please upload again."))
		}
		if err := commitUsage(tx, st.size); err != nil {
			return nil, err
		}
	} else {
		if err := ensureUsage(tx); err != nil {
			return nil, err
		}
		if err := commitUsage(tx, st.size); err != nil {
			return nil, err
		}
	}
	if _, err := exec(tx, `INSERT INTO extraction_jobs (tenant_id, revision_id, document_id, state, attempts, run_after, updated_at)
		VALUES (@tenant, ?, ?, 'pending', 0, ?, ?)`, rev.ID, r.ID, now, now); err != nil {
		return nil, err
	}
	action, details := ActionRevisionAdded, map[string]string{"number": fmt.Sprint(rev.Number),
		"size": fmt.Sprint(rev.Size), "sha256": rev.SHA256, "content_type": rev.ContentType}
	if restoredFrom != nil {
		action, details["restored_from"] = ActionRevisionRestored, restoredFrom.String()
	}
	if err := record(ctx, tx, a, action, "document", r.ID, details); err != nil {
		return nil, err
	}
	return rev, nil
}

// AddRevision stores body (exactly up.Size bytes) as the document's new
// current revision. Write permission; a check-out by someone else answers
// errs.Locked; up.IfMatch guards against lost updates; the tenant's quota
// is checked before a byte is written (errs.TooLarge). The bytes stream to
// the object store without being held in memory; the revision commits only
// after the object is complete.
func (s *Service) AddRevision(ctx context.Context, a tenant.Actor, docID uuid.UUID, up Upload, body io.Reader) (*Document, *Revision, error) {
	if err := up.validate(); err != nil {
		return nil, nil, err
	}
	in, err := s.openIntent(ctx, a, up.Size, &docID, func(tx *db.Tx) error {
		_, err := checkWritable(tx, a, docID, up.IfMatch, s.now())
		return err
	})
	if err != nil {
		return nil, nil, err
	}
	stop := s.keepAlive(in)
	st, err := s.streamObject(ctx, in, up.FileName, body)
	stop()
	if err != nil {
		s.abortIntent(in)
		return nil, nil, err
	}
	var doc *Document
	var rev *Revision
	err = s.run(ctx, a, func(tx *db.Tx) error {
		now := s.now()
		r, err := checkWritable(tx, a, docID, up.IfMatch, now)
		if err != nil {
			return err
		}
		if rev, err = s.insertRevision(ctx, tx, a, r, in, st, up, nil, now); err != nil {
			return err
		}
		doc, err = s.readDocument(tx, a, docID, live)
		return err
	})
	if err != nil {
		s.abortIntent(in)
		return nil, nil, err
	}
	return doc, rev, nil
}

// CreateDocumentWithRevision creates a document in a live folder the actor
// can write to, with body as its first revision; nothing remains when the
// upload fails. An empty title takes the file name. Without an explicit
// in.FileName the document's file name is the upload's, made safe, with
// the extension of its content type when it has none.
func (s *Service) CreateDocumentWithRevision(ctx context.Context, a tenant.Actor, folderID uuid.UUID, in DocumentInput, up Upload, body io.Reader) (*Document, *Revision, error) {
	if err := up.validate(); err != nil {
		return nil, nil, err
	}
	if strings.TrimSpace(in.Title) == "" && in.FileName == "" {
		in.Title = up.FileName
	}
	if err := in.validate(); err != nil {
		return nil, nil, err
	}
	checkFolder := func(tx *db.Tx) error {
		f, err := loadFolder(tx, a, folderID, live)
		if err != nil {
			return err
		}
		if err := need(f.Access, Write); err != nil {
			return err
		}
		if in.FileName != "" {
			if err := fileNameFree(tx, folderID, in.FileName, uuid.Nil); err != nil {
				return err
			}
		}
		if in.titleFromName {
			return nil // numbered when taken
		}
		return titleFree(tx, folderID, in.Title, uuid.Nil)
	}
	intent, err := s.openIntent(ctx, a, up.Size, nil, checkFolder)
	if err != nil {
		return nil, nil, err
	}
	stop := s.keepAlive(intent)
	st, err := s.streamObject(ctx, intent, up.FileName, body)
	stop()
	if err != nil {
		s.abortIntent(intent)
		return nil, nil, err
	}
	var doc *Document
	var rev *Revision
	err = s.run(ctx, a, func(tx *db.Tx) error {
		now := s.now()
		if err := checkFolder(tx); err != nil {
			return err
		}
		if err := shareFolder(tx, folderID); err != nil {
			return err
		}
		in.nameHint = withExtension(SafeFileName(up.FileName), st.contentType)
		id, err := insertDocument(tx, a, folderID, in, now)
		if err != nil {
			return err
		}
		if err := record(ctx, tx, a, ActionDocumentCreated, "document", id,
			map[string]string{"folder_id": folderID.String(), "title": in.Title}); err != nil {
			return err
		}
		r, err := loadDocument(tx, a, id, live)
		if err != nil {
			return err
		}
		if rev, err = s.insertRevision(ctx, tx, a, r, intent, st, up, nil, now); err != nil {
			return err
		}
		doc, err = s.readDocument(tx, a, id, live)
		return err
	})
	if err != nil {
		s.abortIntent(intent)
		return nil, nil, err
	}
	return doc, rev, nil
}

// titleFree answers errs.Conflict when another live document of the
// folder already has the title (case-insensitively); except is skipped.
func titleFree(tx *db.Tx, folderID uuid.UUID, title string, except uuid.UUID) error {
	var ids []uuid.UUID
	err := tx.Table(documentsTable).Where("documents.folder_id = ? AND documents.title_key = ? AND documents.deleted_at IS NULL AND documents.id <> ?",
		folderID, foldKey(title), except).Limit(1).Pluck("documents.id", &ids).Error
	if err != nil {
		return fmt.Errorf("documents: check title: %w", err)
	}
	if len(ids) > 0 {
		return errTitleTaken()
	}
	return nil
}

func errTitleTaken() error {
	return errs.New(errs.Conflict, errs.M("documents.folder-already-contains-document-title", "In diesem Ordner gibt es bereits ein Dokument mit diesem Titel.", "This folder already contains a document with this title."))
}

// titleConflict maps the unique indexes on (folder, title) and (folder,
// file name) to errs.Conflict.
func titleConflict(err error) error {
	if db.IsUniqueViolation(err) {
		if strings.Contains(err.Error(), "file_name") {
			return errFileNameTaken()
		}
		return errTitleTaken()
	}
	return err
}

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

// ReplaceContent gives document targetID the current content of document
// sourceID as a new revision (the object is shared, no bytes are copied)
// and moves the source to the trash, in one transaction. It is how a
// desktop application's save survives WebDAV: many write a temporary file
// and MOVE it over the original, which would otherwise trash the original
// and with it the document's history. It needs write permission on both;
// ifMatch (0: none) guards the target's version. A source without content
// is Invalid.
func (s *Service) ReplaceContent(ctx context.Context, a tenant.Actor, targetID, sourceID uuid.UUID, ifMatch int64) (*Document, *Revision, error) {
	if ifMatch < 0 {
		return nil, nil, errs.InvalidField("if_match", errs.M("documents.version-if-match-invalid", "Die Version (If-Match) ist ungültig.", "The version (If-Match) is invalid."))
	}
	if targetID == sourceID {
		return nil, nil, errs.New(errs.Conflict, errs.M("documents.document-cannot-replaced-itself", "Ein Dokument kann nicht durch sich selbst ersetzt werden.", "A document cannot be replaced by itself."))
	}
	var doc *Document
	var rev *Revision
	err := s.run(ctx, a, func(tx *db.Tx) error {
		now := s.now()
		r, err := checkWritable(tx, a, targetID, ifMatch, now)
		if err != nil {
			return err
		}
		src, err := loadDocument(tx, a, sourceID, live)
		if err != nil {
			return err
		}
		if src.CurrentRevisionID == nil {
			return errs.New(errs.Invalid, errs.M("documents.source-document-no-content", "Das Quelldokument hat keinen Inhalt.", "The source document has no content."))
		}
		cur, err := revisionsOf(tx, sourceID, *src.CurrentRevisionID)
		if err != nil {
			return err
		}
		if len(cur) != 1 {
			return errNotFound()
		}
		if err := trashDocument(ctx, tx, a, sourceID, 0, now); err != nil {
			return err
		}
		o := cur[0]
		if err := reserve(tx, o.Size); err != nil {
			return err
		}
		up := Upload{FileName: o.FileName, Comment: "Ersetzt durch „" + src.Title + "“"}
		st := &stored{key: o.StorageKey, size: o.Size, sha256: o.SHA256, contentType: o.ContentType}
		if rev, err = s.insertRevision(ctx, tx, a, r, nil, st, up, nil, now); err != nil {
			return err
		}
		doc, err = s.readDocument(tx, a, targetID, live)
		return err
	})
	if err != nil {
		return nil, nil, err
	}
	return doc, rev, nil
}

// RestoreRevision makes an older revision's bytes the document's current
// content again, as a new revision (history stays untouched; the bytes
// are shared, not copied). Write permission, no foreign check-out, and
// ifMatch as for AddRevision. The restored size counts against the quota.
func (s *Service) RestoreRevision(ctx context.Context, a tenant.Actor, docID, revID uuid.UUID, ifMatch int64, comment string) (*Document, *Revision, error) {
	comment, err := cleanComment(comment)
	if err != nil {
		return nil, nil, err
	}
	if ifMatch < 0 {
		return nil, nil, errs.InvalidField("if_match", errs.M("documents.version-if-match-invalid", "Die Version (If-Match) ist ungültig.", "The version (If-Match) is invalid."))
	}
	up := Upload{Comment: comment, IfMatch: ifMatch}
	var doc *Document
	var rev *Revision
	err = s.run(ctx, a, func(tx *db.Tx) error {
		now := s.now()
		r, err := checkWritable(tx, a, docID, ifMatch, now)
		if err != nil {
			return err
		}
		old, err := revisionsOf(tx, docID, revID)
		if err != nil {
			return err
		}
		if len(old) != 1 {
			return errNotFound()
		}
		if err := reserve(tx, old[0].Size); err != nil {
			return err
		}
		o := old[0]
		up.FileName = o.FileName
		if up.Comment == "" {
			up.Comment = fmt.Sprintf("Wiederhergestellt aus Version %d", o.Number)
		}
		st := &stored{key: o.StorageKey, size: o.Size, sha256: o.SHA256, contentType: o.ContentType}
		if rev, err = s.insertRevision(ctx, tx, a, r, nil, st, up, &o.ID, now); err != nil {
			return err
		}
		doc, err = s.readDocument(tx, a, docID, live)
		return err
	})
	if err != nil {
		return nil, nil, err
	}
	return doc, rev, nil
}
