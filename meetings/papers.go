package meetings

// Reading session papers. Attaching a document to an agenda item grants
// its frozen revision to everyone who may see the item, whatever the
// permissions of the document's folder:
//
//   - every item: tenant admins and the committee's seats with a running
//     term (chair and secretary included);
//   - a public, accepted item of a meeting whose invitation went out:
//     also every active member of the tenant except external partners;
//   - through OParl, the public of a publishing tenant (oparl/files.go,
//     which serves public, accepted items of public committees).
//
// The grant is derived, not copied: it is decided here, when the paper is
// read, from the paper row, its item and the reader's seat. Detaching the
// paper, a closed term or an item made non-public withdraws it at once.
// It covers the frozen revision only (its bytes, for download and the
// preview, and what is needed to show it: the document's title, the
// revision's number, file name, type and size); later revisions, the
// document's other metadata and its folder stay with the folder's
// permissions. A document in the trash is not served (as in OParl).
// Anyone else, and any id of another tenant, gets errs.NotFound.

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/google/uuid"
	"github.com/kollab/kollab/documents"
	"github.com/kollab/kollab/internal/db"
	"github.com/kollab/kollab/internal/errs"
	"github.com/kollab/kollab/tenant"
)

// maxMeetingPapers bounds the papers listed at once.
const maxMeetingPapers = 2000

// ActionPaperRead records that someone read a session paper's frozen revision.
const ActionPaperRead = "committees.paper.read"

// PaperFile is the frozen revision of a session paper as its readers see it.
type PaperFile struct {
	RevisionID  uuid.UUID
	Number      int
	FileName    string
	ContentType string
	Size        int64
	SHA256      string
	CreatedAt   time.Time
	// Available is false while the document is in the trash: the paper is
	// then not served.
	Available bool
}

// loadPaperItem reads an agenda item and decides whether the actor may
// read its papers: full is set for admins and seats (every paper), unset
// for a tenant member who may read the frozen papers of a public item.
func loadPaperItem(tx *db.Tx, a tenant.Actor, itemID uuid.UUID, now time.Time) (it *itemRow, full bool, err error) {
	var items []itemRow
	if err := tx.Raw("SELECT * FROM agenda_items WHERE tenant_id = @tenant AND id = ?", itemID).Scan(&items).Error; err != nil {
		return nil, false, fmt.Errorf("committees: load agenda item: %w", err)
	}
	if len(items) == 0 {
		return nil, false, errNotFound()
	}
	it = &items[0]
	var ms []meetingRow
	if err := tx.Raw("SELECT * FROM meetings WHERE tenant_id = @tenant AND id = ?", it.MeetingID).Scan(&ms).Error; err != nil {
		return nil, false, fmt.Errorf("committees: load meeting: %w", err)
	}
	if len(ms) == 0 {
		return nil, false, errNotFound()
	}
	_, err = loadScope(tx, a, ms[0].CommitteeID, now)
	switch {
	case err == nil:
		return it, true, nil
	case !errs.Is(err, errs.NotFound):
		return nil, false, err
	case it.Public && it.State == Accepted && ms[0].State != Planned && a.Role != tenant.RolePartner:
		return it, false, nil
	}
	return nil, false, errNotFound()
}

// papersOf reads the papers of the items (in agenda order, then as
// added) with their frozen revisions; onlyFrozen leaves out the papers not
// frozen yet. The caller has checked that the actor may see the items.
func papersOf(tx *db.Tx, a tenant.Actor, meetingID, itemID uuid.UUID, onlyFrozen bool) ([]Paper, error) {
	q := tx.Table(papersTable).Select("meeting_papers.*").
		Joins("JOIN agenda_items i ON i.tenant_id = meeting_papers.tenant_id AND i.id = meeting_papers.agenda_item_id")
	if itemID != uuid.Nil {
		q = q.Where("meeting_papers.agenda_item_id = ?", itemID)
	} else {
		q = q.Where("i.meeting_id = ?", meetingID)
	}
	if onlyFrozen {
		q = q.Where("meeting_papers.revision_id IS NOT NULL")
	}
	var rows []paperRow
	if err := q.Order("i.position, meeting_papers.added_at, meeting_papers.id").Limit(maxMeetingPapers).Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("committees: list papers: %w", err)
	}
	var revIDs, docIDs []uuid.UUID
	for _, r := range rows {
		docIDs = append(docIDs, r.DocumentID)
		if r.RevisionID != nil {
			revIDs = append(revIDs, *r.RevisionID)
		}
	}
	revs, err := documents.GrantedRevisions(tx, revIDs)
	if err != nil {
		return nil, err
	}
	readable, err := documents.ReadableDocuments(tx, a, docIDs)
	if err != nil {
		return nil, err
	}
	titles, err := documentTitles(tx, docIDs)
	if err != nil {
		return nil, err
	}
	out := make([]Paper, 0, len(rows))
	for _, r := range rows {
		p := r.paper()
		p.Title = titles[r.DocumentID]
		p.CanOpenDocument = readable[r.DocumentID]
		if r.RevisionID != nil {
			if rev, ok := revs[*r.RevisionID]; ok {
				p.File = &PaperFile{RevisionID: rev.ID, Number: rev.Number, FileName: rev.FileName, ContentType: rev.ContentType,
					Size: rev.Size, SHA256: rev.SHA256, CreatedAt: rev.CreatedAt, Available: !rev.Trashed}
			}
		}
		out = append(out, p)
	}
	return out, nil
}

// documentTitles reads the titles of the documents ids.
func documentTitles(tx *db.Tx, ids []uuid.UUID) (map[uuid.UUID]string, error) {
	out := make(map[uuid.UUID]string, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	var rows []struct {
		ID    uuid.UUID `gorm:"column:id"`
		Title string    `gorm:"column:title"`
	}
	if err := tx.Table("documents").Select("documents.id, documents.title").Where("documents.id IN ?", ids).Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("committees: read titles: %w", err)
	}
	for _, r := range rows {
		out[r.ID] = r.Title
	}
	return out, nil
}

// ItemPapers returns the session papers of an agenda item the actor may
// see: all of them for admins and seats, the frozen ones for a tenant
// member reading a public item (see the rules above).
func (s *Service) ItemPapers(ctx context.Context, a tenant.Actor, itemID uuid.UUID) ([]Paper, error) {
	var out []Paper
	err := s.run(ctx, a, func(tx *db.Tx) error {
		_, full, err := loadPaperItem(tx, a, itemID, s.now())
		if err != nil {
			return err
		}
		out, err = papersOf(tx, a, uuid.Nil, itemID, !full)
		return err
	})
	return out, err
}

// paperRevision checks that the actor may read the frozen revision of
// the paper of document documentID on item itemID and returns it.
func (s *Service) paperRevision(tx *db.Tx, a tenant.Actor, itemID, documentID uuid.UUID) (*documents.Revision, error) {
	_, full, err := loadPaperItem(tx, a, itemID, s.now())
	if err != nil {
		return nil, err
	}
	var rows []paperRow
	if err := tx.Table(papersTable).Where("agenda_item_id = ? AND document_id = ?", itemID, documentID).Limit(1).Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("committees: load paper: %w", err)
	}
	if len(rows) == 0 {
		return nil, errNotFound()
	}
	if rows[0].RevisionID == nil {
		if !full {
			return nil, errNotFound()
		}
		return nil, errs.New(errs.Conflict, errs.M("meetings.paper-frozen-when-meeting", "Diese Unterlage wird erst mit der Einladung zur Sitzung festgeschrieben; bis dahin lesen sie nur, die den Ordner des Dokuments lesen dürfen.", "This paper is frozen when the meeting's invitation goes out; until then only those who may read the document's folder read it."))
	}
	revs, err := documents.GrantedRevisions(tx, []uuid.UUID{*rows[0].RevisionID})
	if err != nil {
		return nil, err
	}
	rev, ok := revs[*rows[0].RevisionID]
	if !ok {
		return nil, errNotFound()
	}
	if rev.Trashed {
		return nil, errs.New(errs.NotFound, errs.M("meetings.paper-document-trash", "Das Dokument dieser Unterlage liegt im Papierkorb.", "This paper's document is in the trash."))
	}
	return &rev.Revision, nil
}

// PaperRevision returns the frozen revision of a session paper (the paper
// of document documentID on agenda item itemID) for someone who may see
// the item; errs.NotFound for anyone else.
func (s *Service) PaperRevision(ctx context.Context, a tenant.Actor, itemID, documentID uuid.UUID) (*documents.Revision, error) {
	var out *documents.Revision
	err := s.run(ctx, a, func(tx *db.Tx) error {
		var err error
		out, err = s.paperRevision(tx, a, itemID, documentID)
		return err
	})
	return out, err
}

// OpenPaper opens the bytes of a session paper's frozen revision from
// offset (length -1: to the end) for someone who may see its item (see
// PaperRevision). A read from the start is recorded in the audit log.
// The caller closes the reader.
func (s *Service) OpenPaper(ctx context.Context, a tenant.Actor, itemID, documentID uuid.UUID, offset, length int64) (*documents.Revision, io.ReadCloser, error) {
	if s.docs == nil {
		return nil, nil, fmt.Errorf("committees: no document store")
	}
	var rev *documents.Revision
	err := s.run(ctx, a, func(tx *db.Tx) error {
		var err error
		if rev, err = s.paperRevision(tx, a, itemID, documentID); err != nil {
			return err
		}
		if offset > rev.Size || offset < 0 {
			return errs.Plain(errs.RangeNotSatisfiable)
		}
		if offset != 0 {
			return nil
		}
		return record(ctx, tx, a, ActionPaperRead, "agenda_item", itemID, map[string]string{"document_id": documentID.String(),
			"revision_id": rev.ID.String(), "revision": fmt.Sprint(rev.Number)})
	})
	if err != nil {
		return nil, nil, err
	}
	rc, err := s.docs.OpenGranted(ctx, rev, offset, length)
	if err != nil {
		return nil, nil, err
	}
	return rev, rc, nil
}
