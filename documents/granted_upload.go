package documents

import (
	"context"
	"io"
	"strings"

	"github.com/google/uuid"
	"github.com/kollab/kollab/internal/db"
	"github.com/kollab/kollab/tenant"
)

// Writes granted by another module. A consultation's statement files
// (workspaces/consultations) are uploaded by guests into a folder the
// consultation module owns and no one but admins browses: the module has
// decided by its own rules that the actor may add the file, and grants
// its reads itself (GrantedRevisions, OpenGranted).

// CreateGrantedDocument creates a document in the live folder folderID
// with body (exactly up.Size bytes) as its first revision, without
// checking the actor's permissions on the folder: the calling module
// granted the write. The title (default: the file name) and the file name
// are numbered when taken. The actor is recorded as the author; the
// tenant's quota applies; the bytes stream as for every upload.
func (s *Service) CreateGrantedDocument(ctx context.Context, by tenant.Actor, folderID uuid.UUID, in DocumentInput, up Upload, body io.Reader) (*Revision, error) {
	if err := up.validate(); err != nil {
		return nil, err
	}
	in.FileName = ""
	if strings.TrimSpace(in.Title) == "" {
		in.Title = up.FileName
	}
	if err := in.validate(); err != nil {
		return nil, err
	}
	liveFolder := func(tx *db.Tx) error { return shareFolder(tx, folderID) }
	intent, err := s.openIntent(ctx, by, up.Size, nil, liveFolder)
	if err != nil {
		return nil, err
	}
	stop := s.keepAlive(intent)
	st, err := s.streamObject(ctx, intent, up.FileName, body)
	stop()
	if err != nil {
		s.abortIntent(intent)
		return nil, err
	}
	var rev *Revision
	err = s.run(ctx, by, func(tx *db.Tx) error {
		now := s.now()
		if err := liveFolder(tx); err != nil {
			return err
		}
		var err error
		if in.Title, err = freeTitle(tx, folderID, in.Title); err != nil {
			return err
		}
		in.nameHint = withExtension(SafeFileName(up.FileName), st.contentType)
		id, err := insertDocument(tx, by, folderID, in, now)
		if err != nil {
			return err
		}
		if err := record(ctx, tx, by, ActionDocumentCreated, "document", id,
			map[string]string{"folder_id": folderID.String(), "title": in.Title}); err != nil {
			return err
		}
		// The row as the granting module sees it: every permission, since
		// the module decided.
		r, err := loadDocument(tx, grantedView(by), id, live)
		if err != nil {
			return err
		}
		rev, err = s.insertRevision(ctx, tx, by, r, intent, st, up, nil, now)
		return err
	})
	if err != nil {
		s.abortIntent(intent)
		return nil, err
	}
	return rev, nil
}

// grantedView is by with every permission, for reading back what a granted
// write made; it never runs a transaction of its own.
func grantedView(by tenant.Actor) tenant.Actor {
	return tenant.Actor{TenantID: by.TenantID, MembershipID: by.MembershipID, UserID: by.UserID, Role: tenant.RoleAdmin}
}
