package documents

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"
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
	// store keeps the revisions' bytes.
	store storage.Store
	// intentTTL is how long an upload may take before the sweeper treats
	// its intent as abandoned (and deletes what it wrote).
	intentTTL time.Duration
	// intentHeartbeatTimeout is how long an upload's process may fail to
	// renew its intent's heartbeat (it renews every fifth of it) before
	// the sweeper treats the intent as dead, however young it is: it
	// aborts what the upload left (incomplete multipart uploads included)
	// and releases its quota reservation. 0 disables heartbeats.
	intentHeartbeatTimeout time.Duration
	// orphanGrace is how old an unreferenced revision object must be before
	// the sweeper moves it to quarantine; quarantineTTL how long it stays
	// there before it is deleted.
	orphanGrace   time.Duration
	quarantineTTL time.Duration
	// clock is the clock; tests inject one. Defaults to db.Now.
	clock func() time.Time
	// onActivity records document events for other modules (activity.go).
	onActivity ActivityRecorder
	// guard may refuse or act on a new revision (revision_guard.go).
	guard RevisionGuard
	// lockTTL is how long a check-out lasts when the caller names no duration.
	lockTTL time.Duration
	// maxLockTTL bounds a requested check-out duration.
	maxLockTTL time.Duration
	// maxCopyFolders and maxCopyDocuments bound one deep copy.
	maxCopyFolders   int
	maxCopyDocuments int
	// searchWindow is how many of the most recent documents a search on
	// PostgreSQL tests one by one first (0: DefaultSearchWindow).
	searchWindow int
}

// DefaultIntentHeartbeatTimeout is the intent heartbeat timeout unless
// configured (WithIntentHeartbeatTimeout). With the dead-upload pass of the
// sweeper running at this interval too, a dead upload's reservation is
// released at most twice this long (10 minutes) after its process died.
const DefaultIntentHeartbeatTimeout = 5 * time.Minute

// An Option sets one of a Service's settings when it is built; a Service
// never changes after NewService.
type Option func(*Service)

// WithStore sets the object store that keeps the revisions' bytes.
func WithStore(st storage.Store) Option { return func(s *Service) { s.store = st } }

// WithClock sets the service's clock (default db.Now).
func WithClock(now func() time.Time) Option { return func(s *Service) { s.clock = now } }

// WithIntentTTL sets how long an upload may take before the sweeper
// treats its intent as abandoned (default 24 hours).
func WithIntentTTL(d time.Duration) Option { return func(s *Service) { s.intentTTL = d } }

// WithIntentHeartbeatTimeout sets how long an upload's process may fail
// to renew its intent's heartbeat before the sweeper treats the intent as
// dead (default DefaultIntentHeartbeatTimeout; 0 disables heartbeats).
func WithIntentHeartbeatTimeout(d time.Duration) Option {
	return func(s *Service) { s.intentHeartbeatTimeout = d }
}

// WithOrphanGrace sets how old an unreferenced revision object must be
// before the sweeper moves it to quarantine (default one hour).
func WithOrphanGrace(d time.Duration) Option { return func(s *Service) { s.orphanGrace = d } }

// WithQuarantineTTL sets how long a quarantined object stays before it is
// deleted (default 30 days).
func WithQuarantineTTL(d time.Duration) Option { return func(s *Service) { s.quarantineTTL = d } }

// WithCopyLimits bounds one deep copy (default 1000 folders, 10000 documents).
func WithCopyLimits(folders, documents int) Option {
	return func(s *Service) { s.maxCopyFolders, s.maxCopyDocuments = folders, documents }
}

// WithSearchWindow sets how many of the most recent documents a search on
// PostgreSQL tests one by one first (0: DefaultSearchWindow).
func WithSearchWindow(n int) Option { return func(s *Service) { s.searchWindow = n } }

// NewService returns a document store over d.
func NewService(d *db.DB, opts ...Option) *Service {
	s := &Service{db: d, clock: db.Now, lockTTL: 30 * time.Minute, maxLockTTL: 24 * time.Hour,
		maxCopyFolders: 1000, maxCopyDocuments: 10000,
		intentTTL: 24 * time.Hour, intentHeartbeatTimeout: DefaultIntentHeartbeatTimeout, orphanGrace: time.Hour, quarantineTTL: 30 * 24 * time.Hour}
	for _, o := range opts {
		o(s)
	}
	return s
}

// Store is the object store that keeps the revisions' bytes.
func (s *Service) Store() storage.Store { return s.store }

// MaxCopyItems is how many folders and documents one deep copy may take
// at most.
func (s *Service) MaxCopyItems() int { return s.maxCopyFolders + s.maxCopyDocuments }

// now is the service clock in the database's precision.
func (s *Service) now() time.Time { return s.clock().UTC().Truncate(time.Microsecond) }

// run opens a transaction in the actor's tenant and first checks, in it,
// that the actor is an active membership of that tenant with the stated
// user and role: a mixed-up or stale actor gets nowhere, and an admin
// role is never taken on trust.
func (s *Service) run(ctx context.Context, a tenant.Actor, fn func(tx *db.Tx) error) error {
	return a.Run(ctx, s.db, fn)
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
func record(ctx context.Context, tx *db.Tx, a tenant.Actor, action, targetType string, target uuid.UUID, details map[string]string) error {
	if err := lockUsage(tx); err != nil {
		return err
	}
	return a.Record(ctx, tx, action, targetType, target, details)
}

// isPostgres and exec are the transaction's own (db.Tx.IsPostgres,
// db.Tx.ExecCount: @tenant bound to the transaction's tenant), named for
// the package's many call sites.
var (
	isPostgres = (*db.Tx).IsPostgres
	exec       = (*db.Tx).ExecCount
)

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

func errNotFound() error { return errs.Plain(errs.NotFound) }

func errForbidden() error { return errs.Plain(errs.Forbidden) }

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
