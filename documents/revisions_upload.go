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

// Uploading a revision: validation of the upload, streaming to the object
// store, and the rows written when the object is complete.

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
	// RestartSignoff accepts that the new revision restarts a sign-off of
	// the current one (see RevisionGuard); without it such an upload is
	// refused.
	RestartSignoff bool
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
	var cnt []struct {
		Count   int        `gorm:"column:revision_count"`
		Current *uuid.UUID `gorm:"column:current_revision_id"`
	}
	if err := tx.Table(documentsTable).Select("revision_count, current_revision_id").Where("documents.id = ?", r.ID).Scan(&cnt).Error; err != nil || len(cnt) != 1 {
		return nil, fmt.Errorf("documents: revision count: %v", err)
	}
	rev := &Revision{TenantID: a.TenantID, ID: db.NewID(), DocumentID: r.ID, Number: cnt[0].Count, StorageKey: st.key,
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
	if err := s.guardRevision(ctx, tx, a, r.ID, cnt[0].Current, rev.ID, up.RestartSignoff); err != nil {
		return nil, err
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
		r, err := checkWritable(tx, a, docID, up.IfMatch, s.now())
		if err != nil {
			return err
		}
		return s.guardRevision(ctx, tx, a, docID, r.CurrentRevisionID, uuid.Nil, up.RestartSignoff)
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
		if err := s.activityOf(ctx, tx, a, EventDocumentRevised, docID, now); err != nil {
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
		if err := s.activityOf(ctx, tx, a, EventDocumentCreated, id, now); err != nil {
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
