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

// Statement files. A guest attaches a file to their organisation's draft
// through the consultation: it is stored as a document in the
// consultation's attachments folder, a subfolder of the root folder
// AttachmentsRootName outside the workspace, which no one but admins
// browses in the document store. The consultation grants each file to
// those who see the statement (files.go): the workspace's staff once it is
// submitted, the organisation's own guests always; never to the guests of
// another organisation, who share the workspace folder.

// AttachmentsRootName is the root folder of the consultations' attachments folders.
const AttachmentsRootName = "Beteiligungsverfahren"

// attachmentsFolder makes the attachments folder of a new consultation.
func attachmentsFolder(ctx context.Context, tx *db.Tx, a tenant.Actor, subject string) (uuid.UUID, error) {
	root, err := documents.EnsureRootFolder(ctx, tx, a, AttachmentsRootName)
	if err != nil {
		return uuid.Nil, err
	}
	return documents.CreateOwnedFolder(ctx, tx, a, root, subject)
}

func errTooManyFiles() error {
	return errs.New(errs.Conflict, errs.M("consultations.too-many-files", "Eine Stellungnahme hat höchstens 20 Dateien.", "A statement has at most 20 files."))
}

// AttachFile stores body (exactly size bytes, named fileName) as a file of
// the caller's organisation's statement draft (guests of an invited
// organisation, readers included, while statements are taken) and returns
// the statement with its draft.
func (s *Service) AttachFile(ctx context.Context, a tenant.Actor, id uuid.UUID, fileName string, size int64, body io.Reader) (*Statement, error) {
	if s.docs == nil {
		return nil, fmt.Errorf("consultations: no document store")
	}
	var folder, org uuid.UUID
	check := func(tx *db.Tx, lock bool) (*scope, *statementRow, error) {
		sc, err := loadScope(tx, a, id, lock)
		if err != nil {
			return nil, nil, err
		}
		if sc.p.kind != guest {
			return nil, nil, errForbidden()
		}
		if err := sc.needAccepting(s.now()); err != nil {
			return nil, nil, err
		}
		if sc.c.AttachmentsFolderID == nil {
			return nil, nil, errs.New(errs.Conflict, errs.M("consultations.no-attachments", "Dieses Beteiligungsverfahren nimmt keine Dateien an.", "This consultation takes no files."))
		}
		st, err := loadStatement(tx, id, sc.p.org, lock)
		if err != nil {
			return nil, nil, err
		}
		if st != nil && st.HasDraft && len(decodeFiles(st.DraftFiles)) >= MaxFiles {
			return nil, nil, errTooManyFiles()
		}
		folder, org = *sc.c.AttachmentsFolderID, sc.p.org
		return sc, st, nil
	}
	if err := s.run(ctx, a, func(tx *db.Tx) error { _, _, err := check(tx, false); return err }); err != nil {
		return nil, err
	}
	rev, err := s.docs.CreateGrantedDocument(ctx, a, folder, documents.DocumentInput{
		Metadata: documents.Metadata{"consultation_id": id.String(), "organisation_id": org.String()}},
		documents.Upload{FileName: fileName, Size: size}, body)
	if err != nil {
		return nil, err
	}
	var out *Statement
	err = s.run(ctx, a, func(tx *db.Tx) error {
		sc, _, err := check(tx, true)
		if err != nil {
			return err
		}
		now := s.now()
		st, err := ensureStatement(tx, id, sc.p.org, a.MembershipID, now)
		if err != nil {
			return err
		}
		files := []File{}
		if st.HasDraft {
			files = decodeFiles(st.DraftFiles)
		}
		fs, err := jsonText(append(files, File{DocumentID: rev.DocumentID, RevisionID: rev.ID, FileName: rev.FileName}))
		if err != nil {
			return err
		}
		if _, err := tx.ExecCount(`UPDATE consultation_statements SET draft_files = ?, has_draft = ?, updated_at = ?, updated_by = ?
			WHERE tenant_id = @tenant AND id = ?`, fs, true, now, a.MembershipID, st.ID); err != nil {
			return fmt.Errorf("consultations: attach file: %w", err)
		}
		if err := record(ctx, tx, a, ActionFileAttached, id, map[string]string{"organisation_id": sc.p.org.String(),
			"statement_id": st.ID.String(), "document_id": rev.DocumentID.String(), "revision_id": rev.ID.String()}); err != nil {
			return err
		}
		out, err = statementOf(tx, sc, sc.p.org)
		return err
	})
	return out, err
}
