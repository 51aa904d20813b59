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
)

// suspectsTable marks revisions whose object was found to differ from the
// revision while it was being read (migration 00015).
const suspectsTable = "revision_suspects"

// Problems a suspect mark records.
const (
	SuspectSize = "size"
	SuspectHash = "hash"
)

// markTimeout bounds recording a suspect mark, which runs even when the
// download's context has ended (the client is usually gone by then).
const markTimeout = 10 * time.Second

// errCorrupt is what a reader of a revision whose object differs is told.
func errCorrupt(err error) error {
	return errs.Wrap(errs.Internal, errs.M("documents.stored-file-does-not-match", "Die gespeicherte Datei stimmt nicht mit dieser Version überein und wird geprüft. Bitte verständigen Sie die Administration.", "The stored file does not match this version and is being checked. Please inform the administrators."), err)
}

// OpenStored opens the object of revision revID of tenantID for reading
// from offset (length -1: to the end), verified against what the revision
// recorded (see storage.GetVerified): an object of another size is refused
// before a byte is read, and a read of the whole object fails instead of
// ending when its SHA-256 differs. Either finding marks the revision for
// `kollab documents verify` (revision_suspects). Every download of
// revision bytes (API, WebDAV, OParl) goes through it; it is a function
// over the database rather than a method so that modules without an
// Actor (OParl's public files) use it too. A refused object answers an
// errs.Internal error whose detail the user may read.
func OpenStored(ctx context.Context, d *db.DB, st storage.Store, tenantID, revID uuid.UUID, key string, want storage.Want, offset, length int64) (io.ReadCloser, error) {
	rc, err := storage.GetVerified(ctx, st, key, want, offset, length, func(cause error) {
		problem := SuspectSize
		if ce := (*storage.CorruptError)(nil); errors.As(cause, &ce) && ce.Hash {
			problem = SuspectHash
		}
		markSuspect(ctx, d, tenantID, revID, problem, cause.Error())
	})
	if errors.Is(err, storage.ErrCorrupt) {
		return nil, errCorrupt(err)
	}
	if err != nil {
		return nil, err
	}
	return &corruptReader{rc: rc}, nil
}

// corruptReader turns ErrCorrupt found while streaming into the error a
// reader of the revision is told (the stream stops either way).
type corruptReader struct{ rc io.ReadCloser }

func (r *corruptReader) Read(p []byte) (int, error) {
	n, err := r.rc.Read(p)
	if err != nil && errors.Is(err, storage.ErrCorrupt) {
		err = errCorrupt(err)
	}
	return n, err
}

func (r *corruptReader) Close() error { return r.rc.Close() }

// markSuspect records that revision revID's object differs from it; a
// failure to record is only lost knowledge (verify finds it again).
func markSuspect(ctx context.Context, d *db.DB, tenantID, revID uuid.UUID, problem, detail string) {
	if len(detail) > 1000 {
		detail = detail[:1000]
	}
	mctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), markTimeout)
	defer cancel()
	_ = d.Tenant(mctx, tenantID, func(tx *db.Tx) error {
		_, err := exec(tx, `INSERT INTO revision_suspects (tenant_id, revision_id, problem, detail, found_at) VALUES (@tenant, ?, ?, ?, ?)
			ON CONFLICT (tenant_id, revision_id) DO UPDATE SET problem = excluded.problem, detail = excluded.detail, found_at = excluded.found_at`,
			revID, problem, detail, db.Now())
		return err
	})
}

// Suspect is a revision marked by a download whose object differed.
type Suspect struct {
	TenantID   uuid.UUID `gorm:"column:tenant_id"`
	RevisionID uuid.UUID `gorm:"column:revision_id"`
	DocumentID uuid.UUID `gorm:"column:document_id"`
	Number     int       `gorm:"column:number"`
	Problem    string    `gorm:"column:problem"`
	Detail     string    `gorm:"column:detail"`
	FoundAt    time.Time `gorm:"column:found_at"`
}

// Suspects lists the marked revisions of a tenant, oldest mark first.
func (s *Service) Suspects(ctx context.Context, tenantID uuid.UUID) ([]Suspect, error) {
	var out []Suspect
	err := s.db.Tenant(ctx, tenantID, func(tx *db.Tx) error {
		return tx.Table(suspectsTable).
			Select("revision_suspects.tenant_id, revision_suspects.revision_id, document_revisions.document_id, document_revisions.number, revision_suspects.problem, revision_suspects.detail, revision_suspects.found_at").
			Joins("JOIN document_revisions ON document_revisions.tenant_id = revision_suspects.tenant_id AND document_revisions.id = revision_suspects.revision_id").
			Order("revision_suspects.found_at, revision_suspects.revision_id").Scan(&out).Error
	})
	if err != nil {
		return nil, fmt.Errorf("documents: read suspect revisions: %w", err)
	}
	return out, nil
}
