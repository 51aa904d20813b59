package meetings

// Filing approved minutes and their decision extracts in the document store.

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"unicode/utf8"

	"github.com/google/uuid"
	"github.com/kollab/kollab/documents"
	"github.com/kollab/kollab/internal/db"
	"github.com/kollab/kollab/internal/errs"
	"github.com/kollab/kollab/tenant"
)

// ExtractMetadataKey is the document metadata field that names the agenda
// item a filed decision extract belongs to.
const ExtractMetadataKey = "kollab_agenda_item_id"

// ActionExtractFiled records that a decision extract was filed.
const ActionExtractFiled = "committees.extract.filed"

// filing is one rendered PDF of approved minutes to file: the minutes
// themselves (itemID nil) or the item's decision extract.
type filing struct {
	meetingID uuid.UUID
	row       *minutesRow
	folderID  uuid.UUID
	itemID    *uuid.UUID
	// title is the document title (and file name) with a suffix before
	// ".pdf" (" (2)").
	title                func(suffix string) string
	description, comment string
	pdf                  []byte
}

// fileMinutes renders the approved minutes and their decision extracts
// and files what is not filed yet (see ApproveMinutes).
func (s *Service) fileMinutes(ctx context.Context, a tenant.Actor, meetingID, folderID uuid.UUID) error {
	var row *minutesRow
	var c *MinutesContent
	var filed map[uuid.UUID]uuid.UUID
	err := s.run(ctx, a, func(tx *db.Tx) error {
		var err error
		if row, _, err = s.minutesOf(ctx, tx, a, meetingID, s.now()); err != nil {
			return err
		}
		if row.State != ApprovedMinutes {
			return errs.New(errs.Conflict, errs.M("meetings.minutes-not-approved-yet-2", "Die Niederschrift ist noch nicht genehmigt.", "The minutes are not approved yet."))
		}
		if c, err = row.content(); err != nil {
			return err
		}
		filed, err = lastFilings(tx, row.ID)
		return err
	})
	if err != nil {
		return err
	}
	if _, ok := filed[uuid.Nil]; !ok {
		pdf, err := s.render.MinutesPDF(row.document(c, false))
		if err != nil {
			return err
		}
		desc := "Genehmigte Niederschrift der Sitzung „" + c.Header.MeetingTitle + "“ (" + c.Header.CommitteeName + ")"
		if err := s.fileOne(ctx, a, &filing{meetingID: meetingID, row: row, folderID: folderID,
			title:       func(suffix string) string { return minutesTitle(c, suffix) },
			description: desc, comment: "Genehmigte Niederschrift", pdf: pdf}); err != nil {
			return err
		}
	}
	for i := range c.Items {
		it := &c.Items[i]
		if _, ok := filed[it.AgendaItemID]; ok || len(it.Polls) == 0 {
			continue
		}
		pdf, err := s.render.DecisionExtractPDF(row.document(c, false), it)
		if err != nil {
			return err
		}
		desc := fmt.Sprintf("Beschlussauszug zu TOP %d „%s“ der Sitzung „%s“ (%s)", it.Number, it.Title, c.Header.MeetingTitle, c.Header.CommitteeName)
		itemID := it.AgendaItemID
		if err := s.fileOne(ctx, a, &filing{meetingID: meetingID, row: row, folderID: folderID, itemID: &itemID,
			title:       func(suffix string) string { return extractTitleN(c, it, suffix) },
			description: desc, comment: "Beschlussauszug aus der genehmigten Niederschrift", pdf: pdf}); err != nil {
			return err
		}
	}
	return nil
}

// fileOne files one rendered PDF of approved minutes: as a new revision
// of the document its last filing made, if that is still there, else as a
// new document in the folder; then it records the filing.
func (s *Service) fileOne(ctx context.Context, a tenant.Actor, f *filing) error {
	lastDoc, err := s.lastFiled(ctx, a, f)
	if err != nil {
		return err
	}
	up := documents.Upload{FileName: f.title(""), Size: int64(len(f.pdf)), Comment: f.comment}
	var rev *documents.Revision
	if lastDoc != nil {
		_, rev, err = s.fileRevision(ctx, a, *lastDoc, up, f.pdf)
		if errs.Is(err, errs.NotFound) { // trashed, purged or no longer readable: file anew
			lastDoc, err = nil, nil
		}
		if err != nil {
			return err
		}
	}
	if lastDoc == nil {
		if rev, err = s.fileAnew(ctx, a, f, up); err != nil {
			return err
		}
	}
	return s.recordFiling(ctx, a, f, rev)
}

// lastFiled is the document the last filing of f's minutes or extract
// made, nil when there was none.
func (s *Service) lastFiled(ctx context.Context, a tenant.Actor, f *filing) (*uuid.UUID, error) {
	var lastDoc *uuid.UUID
	key := uuid.Nil
	if f.itemID != nil {
		key = *f.itemID
	}
	if err := s.run(ctx, a, func(tx *db.Tx) error {
		filed, err := lastFilings(tx, f.row.ID)
		if d, ok := filed[key]; ok {
			lastDoc = &d
		}
		return err
	}); err != nil {
		return nil, err
	}
	return lastDoc, nil
}

// fileAnew files f as a new document in its folder.
func (s *Service) fileAnew(ctx context.Context, a tenant.Actor, f *filing, up documents.Upload) (*documents.Revision, error) {
	meta := documents.Metadata{MinutesMetadataKey: f.row.ID.String()}
	if f.itemID != nil {
		meta[ExtractMetadataKey] = f.itemID.String()
	}
	in := documents.DocumentInput{Description: f.description, Metadata: meta}
	if utf8.RuneCountInString(in.Description) > MaxDescriptionLen {
		in.Description = ""
	}
	var rev *documents.Revision
	var err error
	// A title taken by another document gets a number; one taken by
	// this very filing (an interrupted one) gets the revision.
	for n := 1; ; n++ {
		in.Title = f.title(numbered(n))
		up.FileName = in.Title
		_, rev, err = s.docs.CreateDocumentWithRevision(ctx, a, f.folderID, in, up, bytes.NewReader(f.pdf))
		if err == nil || !errs.Is(err, errs.Conflict) || n == 9 {
			break
		}
		doc, lerr := s.docs.DocumentByTitle(ctx, a, f.folderID, in.Title)
		if lerr != nil && !errs.Is(lerr, errs.NotFound) {
			break
		}
		if lerr == nil && doc.Metadata[MinutesMetadataKey] == f.row.ID.String() && doc.Metadata[ExtractMetadataKey] == meta[ExtractMetadataKey] {
			_, rev, err = s.fileRevision(ctx, a, doc.ID, up, f.pdf)
			break
		}
	}
	return rev, err
}

// recordFiling records that f was filed as rev (once: a retried filing
// that found rev already current records nothing again).
func (s *Service) recordFiling(ctx context.Context, a tenant.Actor, f *filing, rev *documents.Revision) error {
	return s.run(ctx, a, func(tx *db.Tx) error {
		var have int64
		if err := tx.Table(filingsTable).Where("revision_id = ?", rev.ID).Count(&have).Error; err != nil {
			return fmt.Errorf("committees: read filings: %w", err)
		}
		if have > 0 {
			return nil
		}
		rec := &filingRow{TenantID: a.TenantID, ID: db.NewID(), MinutesID: f.row.ID, DocumentID: rev.DocumentID, RevisionID: rev.ID,
			AgendaItemID: f.itemID, FiledAt: s.now(), FiledBy: a.MembershipID}
		if err := tx.Create(filingsTable, rec); err != nil {
			return fmt.Errorf("committees: record filing: %w", err)
		}
		details := map[string]string{"minutes_id": f.row.ID.String(), "document_id": rev.DocumentID.String(), "revision_id": rev.ID.String(),
			"number": fmt.Sprint(rev.Number), "sha256": rev.SHA256, "folder_id": f.folderID.String()}
		action := ActionMinutesFiled
		if f.itemID != nil {
			action, details["agenda_item_id"] = ActionExtractFiled, f.itemID.String()
		}
		return record(ctx, tx, a, action, "meeting", f.meetingID, details)
	})
}

// fileRevision makes pdf the document's current revision, unless it is
// already (an interrupted filing, retried).
func (s *Service) fileRevision(ctx context.Context, a tenant.Actor, docID uuid.UUID, up documents.Upload, pdf []byte) (*documents.Document, *documents.Revision, error) {
	sum := sha256.Sum256(pdf)
	if cur, err := s.docs.GetRevision(ctx, a, docID, uuid.Nil); err == nil && cur.SHA256 == hex.EncodeToString(sum[:]) {
		doc, err := s.docs.GetDocument(ctx, a, docID)
		return doc, cur, err
	}
	return s.docs.AddRevision(ctx, a, docID, up, bytes.NewReader(pdf))
}

func numbered(n int) string {
	if n <= 1 {
		return ""
	}
	return fmt.Sprintf(" (%d)", n)
}
