package consultations

import (
	"context"
	"fmt"
	"io"

	"github.com/google/uuid"
	"github.com/kollab/kollab/documents"
	"github.com/kollab/kollab/internal/db"
	"github.com/kollab/kollab/internal/errs"
	"github.com/kollab/kollab/tenant"
)

// Reading the consultation's files. Like a session paper (meetings/
// papers.go), a frozen revision is granted by the consultation, whatever
// the permissions of the document's folder: a document of the consultation
// at its frozen revision to everyone who sees the consultation, a file of
// a statement to those who see the statement (staff: every submitted
// version; a guest: their own organisation's versions and draft). Later
// revisions and the document's other data stay with the folder's
// permissions; a document in the trash is not served.

// grantedRevision checks that the actor may read revision revID through
// consultation id and returns it.
func grantedRevision(tx *db.Tx, a tenant.Actor, id, revID uuid.UUID) (*documents.Revision, error) {
	sc, err := loadScope(tx, a, id, false)
	if err != nil {
		return nil, err
	}
	var n int64
	if err := tx.Table(documentsTable).Where("consultation_id = ? AND revision_id = ?", id, revID).Count(&n).Error; err != nil {
		return nil, fmt.Errorf("consultations: check document: %w", err)
	}
	ok := n > 0
	if !ok {
		if ok, err = statementFile(tx, sc, revID); err != nil {
			return nil, err
		}
	}
	if !ok {
		return nil, errNotFound()
	}
	revs, err := documents.GrantedRevisions(tx, []uuid.UUID{revID})
	if err != nil {
		return nil, err
	}
	rev, found := revs[revID]
	if !found {
		return nil, errNotFound()
	}
	if rev.Trashed {
		return nil, errs.New(errs.NotFound, errs.M("consultations.document-trash", "Das Dokument liegt im Papierkorb.", "The document is in the trash."))
	}
	return &rev.Revision, nil
}

// statementFile reports whether revID is a file of a statement the scope's
// caller sees.
func statementFile(tx *db.Tx, sc *scope, revID uuid.UUID) (bool, error) {
	q := tx.Table(statementsTable).Where("consultation_id = ?", sc.c.ID)
	if sc.p.kind == guest {
		q = q.Where("organisation_id = ?", sc.p.org)
	}
	var sts []statementRow
	if err := q.Limit(MaxOrganisations).Scan(&sts).Error; err != nil {
		return false, fmt.Errorf("consultations: read statements: %w", err)
	}
	for _, st := range sts {
		if sc.p.kind == guest && hasRevision(decodeFiles(st.DraftFiles), revID) {
			return true, nil
		}
		vs, err := versionsOf(tx, st.ID, st.Versions, MaxVersions)
		if err != nil {
			return false, err
		}
		for i := range vs {
			if hasRevision(decodeFiles(vs[i].Files), revID) {
				return true, nil
			}
		}
	}
	return false, nil
}

func hasRevision(fs []File, revID uuid.UUID) bool {
	for _, f := range fs {
		if f.RevisionID == revID {
			return true
		}
	}
	return false
}

// OpenFile opens the bytes of a revision the consultation grants the actor
// (see above) from offset (length -1: to the end); a read from the start
// is recorded in the audit log. The caller closes the reader.
func (s *Service) OpenFile(ctx context.Context, a tenant.Actor, id, revID uuid.UUID, offset, length int64) (*documents.Revision, io.ReadCloser, error) {
	if s.docs == nil {
		return nil, nil, fmt.Errorf("consultations: no document store")
	}
	var rev *documents.Revision
	err := s.run(ctx, a, func(tx *db.Tx) error {
		var err error
		if rev, err = grantedRevision(tx, a, id, revID); err != nil {
			return err
		}
		if offset > rev.Size || offset < 0 {
			return errs.Plain(errs.RangeNotSatisfiable)
		}
		if offset != 0 {
			return nil
		}
		return record(ctx, tx, a, ActionFileRead, id, map[string]string{"document_id": rev.DocumentID.String(), "revision_id": rev.ID.String()})
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

// FileRevision returns the revision the consultation grants the actor
// (see above) without reading it: for the conditional headers of a download.
func (s *Service) FileRevision(ctx context.Context, a tenant.Actor, id, revID uuid.UUID) (*documents.Revision, error) {
	var out *documents.Revision
	err := s.run(ctx, a, func(tx *db.Tx) error {
		var err error
		out, err = grantedRevision(tx, a, id, revID)
		return err
	})
	return out, err
}
