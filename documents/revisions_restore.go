package documents

import (
	"context"
	"fmt"

	"github.com/google/uuid"
	"github.com/kollab/kollab/internal/db"
	"github.com/kollab/kollab/internal/errs"
	"github.com/kollab/kollab/tenant"
)

// Restoring content as a new revision: from another document (ReplaceContent,
// a WebDAV save by MOVE) or from an older revision (RestoreRevision).

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
// restartSignoff as Upload.RestartSignoff.
func (s *Service) RestoreRevision(ctx context.Context, a tenant.Actor, docID, revID uuid.UUID, ifMatch int64, comment string, restartSignoff bool) (*Document, *Revision, error) {
	comment, err := cleanComment(comment)
	if err != nil {
		return nil, nil, err
	}
	if ifMatch < 0 {
		return nil, nil, errs.InvalidField("if_match", errs.M("documents.version-if-match-invalid", "Die Version (If-Match) ist ungültig.", "The version (If-Match) is invalid."))
	}
	up := Upload{Comment: comment, IfMatch: ifMatch, RestartSignoff: restartSignoff}
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
