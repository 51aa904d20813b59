package documents

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/kollab/kollab/internal/audit"
	"github.com/kollab/kollab/internal/db"
	"github.com/kollab/kollab/internal/errs"
	"github.com/kollab/kollab/internal/storage"
	"github.com/kollab/kollab/tenant"
)

// Table names.
const (
	foldersTable   = "folders"
	pathsTable     = "folder_paths"
	scopeTable     = "folder_acl_scope"
	aclTable       = "folder_acl"
	documentsTable = "documents"
	tagsTable      = "document_tags"
)

// Audit actions recorded by the document store.
const (
	ActionFolderCreated       = "documents.folder.created"
	ActionFolderRenamed       = "documents.folder.renamed"
	ActionFolderMoved         = "documents.folder.moved"
	ActionFolderCopied        = "documents.folder.copied"
	ActionFolderTrashed       = "documents.folder.trashed"
	ActionFolderRestored      = "documents.folder.restored"
	ActionFolderPurged        = "documents.folder.purged"
	ActionFolderACLChanged    = "documents.folder.acl_changed"
	ActionFolderInheritance   = "documents.folder.inheritance_changed"
	ActionFolderRetention     = "documents.folder.retention_changed"
	ActionDocumentCreated     = "documents.document.created"
	ActionDocumentUpdated     = "documents.document.updated"
	ActionDocumentMoved       = "documents.document.moved"
	ActionDocumentCopied      = "documents.document.copied"
	ActionDocumentTrashed     = "documents.document.trashed"
	ActionDocumentRestored    = "documents.document.restored"
	ActionDocumentPurged      = "documents.document.purged"
	ActionDocumentHoldSet     = "documents.document.legal_hold_set"
	ActionDocumentHoldCleared = "documents.document.legal_hold_cleared"
	ActionDocumentLocked      = "documents.document.checked_out"
	ActionDocumentUnlocked    = "documents.document.checked_in"
	ActionDocumentLockBroken  = "documents.document.lock_broken"
)

// Page limits.
const (
	DefaultPage = 50
	// MaxPage is the hard upper limit of every list.
	MaxPage = 200
)

// Service is the document store. Every method takes the caller as an Actor
// and runs in one transaction of the actor's tenant; audit events commit
// with the change they describe.
type Service struct {
	db *db.DB
	// Store keeps the revisions' bytes.
	Store storage.Store
	// IntentTTL is how long an upload may take before the sweeper treats
	// its intent as abandoned (and deletes what it wrote).
	IntentTTL time.Duration
	// IntentHeartbeatTimeout is how long an upload's process may fail to
	// renew its intent's heartbeat (it renews every fifth of it) before
	// the sweeper treats the intent as dead, however young it is: it
	// aborts what the upload left (incomplete multipart uploads included)
	// and releases its quota reservation. 0 disables heartbeats.
	IntentHeartbeatTimeout time.Duration
	// OrphanGrace is how old an unreferenced revision object must be before
	// the sweeper moves it to quarantine; QuarantineTTL how long it stays
	// there before it is deleted.
	OrphanGrace   time.Duration
	QuarantineTTL time.Duration
	// Now is the clock; tests inject one. Defaults to db.Now.
	Now func() time.Time
	// LockTTL is how long a check-out lasts when the caller names no duration.
	LockTTL time.Duration
	// MaxLockTTL bounds a requested check-out duration.
	MaxLockTTL time.Duration
	// MaxCopyFolders and MaxCopyDocuments bound one deep copy.
	MaxCopyFolders   int
	MaxCopyDocuments int
	// SearchWindow is how many of the most recent documents a search on
	// PostgreSQL tests one by one first (0: DefaultSearchWindow).
	SearchWindow int
}

// DefaultIntentHeartbeatTimeout is IntentHeartbeatTimeout unless
// configured. With the dead-upload pass of the sweeper running at this
// interval too, a dead upload's reservation is released at most twice
// this long (10 minutes) after its process died.
const DefaultIntentHeartbeatTimeout = 5 * time.Minute

// NewService returns a document store over d.
func NewService(d *db.DB) *Service {
	return &Service{db: d, Now: db.Now, LockTTL: 30 * time.Minute, MaxLockTTL: 24 * time.Hour,
		MaxCopyFolders: 1000, MaxCopyDocuments: 10000,
		IntentTTL: 24 * time.Hour, IntentHeartbeatTimeout: DefaultIntentHeartbeatTimeout, OrphanGrace: time.Hour, QuarantineTTL: 30 * 24 * time.Hour}
}

// now is the service clock in the database's precision.
func (s *Service) now() time.Time { return s.Now().UTC().Truncate(time.Microsecond) }

// run opens a transaction in the actor's tenant and first checks, in it,
// that the actor is an active membership of that tenant with the stated
// user and role: a mixed-up or stale actor gets nowhere, and an admin
// role is never taken on trust.
func (s *Service) run(ctx context.Context, a Actor, fn func(tx *db.Tx) error) error {
	return a.Run(ctx, s.db, fn)
}

// Run opens a transaction in the actor's tenant on d and first checks, in
// it, that the actor is an active membership of that tenant with the
// stated user and role (or one that covers it: an admin acting as staff
// through a token without the admin scope): a mixed-up or stale actor gets
// nowhere, and an admin role is never taken on trust. Every module whose services take an
// Actor runs its transactions through it.
func (a Actor) Run(ctx context.Context, d *db.DB, fn func(tx *db.Tx) error) error {
	if err := a.validate(); err != nil {
		return err
	}
	return d.Tenant(ctx, a.TenantID, func(tx *db.Tx) error {
		var ms []struct {
			UserID uuid.UUID `gorm:"column:user_id"`
			Role   string    `gorm:"column:role"`
			Status string    `gorm:"column:status"`
		}
		if err := tx.Table("memberships").Select("user_id, role, status").Where("id = ?", a.MembershipID).Scan(&ms).Error; err != nil {
			return fmt.Errorf("check membership: %w", err)
		}
		if len(ms) != 1 || ms[0].UserID != a.UserID || !tenant.Role(ms[0].Role).Covers(a.Role) {
			return errs.New(errs.Unauthenticated, "")
		}
		if ms[0].Status != tenant.StatusActive {
			return errs.New(errs.Deactivated, "")
		}
		return fn(tx)
	})
}

// record appends an audit event in tx, attributed to the actor's user.
//
// Lock order: a document transaction that touches the tenant's storage
// usage row and appends to its audit chain must take the row first, or two
// such transactions that take them in opposite order (a new document: the
// audit entry, then the usage; a new revision of an existing one: the
// usage, then the audit entry) deadlock. So record takes the usage row
// (creating it if needed) before the audit chain's lock, every time; a
// later usage update in the same transaction already holds it.
func record(ctx context.Context, tx *db.Tx, a Actor, action, targetType string, target uuid.UUID, details map[string]string) error {
	if err := lockUsage(tx); err != nil {
		return err
	}
	e := audit.Entry{Action: action, TargetType: targetType, TargetID: target.String(), Details: details}
	if a.UserID != uuid.Nil {
		uid := a.UserID
		e.Actor = &uid
	}
	_, err := audit.Append(ctx, tx, e)
	return err
}

func isPostgres(tx *db.Tx) bool { return tx.IsPostgres() }

// exec runs a statement in tx through Tx.Exec: it filters by @tenant, bound
// to the transaction's tenant (row-level security adds it again on PostgreSQL).
func exec(tx *db.Tx, sql string, args ...any) (int64, error) {
	res := tx.Exec(sql, args...)
	if res.Error != nil {
		return 0, fmt.Errorf("documents: %w", res.Error)
	}
	return res.RowsAffected, nil
}

// lockTree serialises structural changes of a tenant's folder tree (create,
// move, copy, trash, restore, purge, inheritance), so that two concurrent
// moves cannot build a cycle. PostgreSQL takes a transaction-scoped
// advisory lock; SQLite has a single writer anyway.
func lockTree(tx *db.Tx) error {
	if !isPostgres(tx) {
		return nil
	}
	if _, err := exec(tx, "SELECT pg_advisory_xact_lock(hashtextextended('folders:' || @tenant, 0))"); err != nil {
		return fmt.Errorf("documents: lock tree: %w", err)
	}
	return nil
}

// shareFolder holds a live folder against concurrent trashing until the
// transaction ends (documents created or moved into it stay consistent).
// It reports NotFound when the folder is gone or in the trash.
func shareFolder(tx *db.Tx, id uuid.UUID) error {
	q := "SELECT id FROM folders WHERE tenant_id = @tenant AND id = ? AND deleted_at IS NULL"
	if isPostgres(tx) {
		q += " FOR SHARE"
	}
	var ids []uuid.UUID
	if err := tx.Raw(q, id).Scan(&ids).Error; err != nil {
		return fmt.Errorf("documents: lock folder: %w", err)
	}
	if len(ids) == 0 {
		return errNotFound()
	}
	return nil
}

func errNotFound() error { return errs.New(errs.NotFound, "") }

func errForbidden() error { return errs.New(errs.Forbidden, "") }

// need answers Forbidden when have is below want. Callers have already
// answered NotFound for anything the actor cannot read.
func need(have, want Level) error {
	if have < want {
		return errForbidden()
	}
	return nil
}

func pageLimit(n int) int {
	if n <= 0 {
		return DefaultPage
	}
	return min(n, MaxPage)
}
