package dav

import (
	"context"
	"errors"
	"fmt"
	"path"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"
	"github.com/kollab/kollab/documents"
	"github.com/kollab/kollab/internal/db"
	"github.com/kollab/kollab/internal/errs"
	"golang.org/x/net/webdav"
)

// The lock design.
//
// x/net/webdav names locks by path and knows nothing of users. This
// LockSystem keeps write locks, exclusive and shared, in the dav_locks table, per
// tenant, keyed by the case-folded path (names compare case-insensitively),
// so that a lock taken through one instance holds on every other. A lock
// belongs to the membership that took it: only that membership's requests
// may use, refresh or release its token, whoever else learns it.
//
// A lock on an existing document also checks the document out in the
// domain (documents.Service.CheckOut, same lifetime, refreshed with the
// lock), so that the web app shows it as checked out while LibreOffice or
// Office has it open, and a web user's check-out makes a WebDAV LOCK of
// another user fail with 423. UNLOCK (or expiry) gives the check-out back.
// Locks on folders (and infinite-depth locks) are WebDAV-only: they do not
// check out the documents below; nor do shared locks, which several
// members may hold at once (a shared lock conflicts only with an exclusive
// one). LOCK itself is answered by serveLock (x/net/webdav knows no shared
// locks, and names the lock root without the tenant's prefix).
//
// Expired locks are ignored everywhere and deleted when a new lock is
// taken in the tenant. The x/net/webdav handler's own short-lived
// "request locks" (for writes without an If header; infinite duration) are
// only checked against existing locks and never stored.

const locksTable = "dav_locks"

// tokenPrefix starts every lock token (RFC 4918 recommends urn:uuid).
const tokenPrefix = "urn:uuid:"

// requestToken is the token of a handler's request lock; it names nothing.
const requestToken = "urn:kollab:dav:request-lock"

// maxOwnerXML bounds a lock's <D:owner> XML.
const maxOwnerXML = 4096

// lockRow is a row of dav_locks.
type lockRow struct {
	TenantID   uuid.UUID  `gorm:"column:tenant_id"`
	ID         uuid.UUID  `gorm:"column:id"`
	Root       string     `gorm:"column:root"`
	RootKey    string     `gorm:"column:root_key"`
	ZeroDepth  bool       `gorm:"column:zero_depth"`
	Shared     bool       `gorm:"column:shared"`
	OwnerID    uuid.UUID  `gorm:"column:owner_id"`
	OwnerXML   string     `gorm:"column:owner_xml"`
	DocumentID *uuid.UUID `gorm:"column:document_id"`
	CheckedOut bool       `gorm:"column:checked_out"`
	CreatedAt  time.Time  `gorm:"column:created_at"`
	ExpiresAt  time.Time  `gorm:"column:expires_at"`
}

// OwnerTenant implements db.TenantOwned.
func (r *lockRow) OwnerTenant() uuid.UUID { return r.TenantID }

// covers reports whether the lock applies to the resource with key k.
func (r *lockRow) covers(k string) bool {
	if r.RootKey == k {
		return true
	}
	return !r.ZeroDepth && (r.RootKey == "/" || strings.HasPrefix(k, r.RootKey+"/"))
}

// lockSystem is the database-backed webdav.LockSystem of one request.
type lockSystem struct{ rq *request }

var _ webdav.LockSystem = (*lockSystem)(nil)

// lockKey is the case-folded, cleaned path of a lock root.
func lockKey(name string) string { return key(slashClean(name)) }

// parseToken returns the lock id of a token (uuid.Nil: not one of ours).
func parseToken(tok string) uuid.UUID {
	s, ok := strings.CutPrefix(tok, tokenPrefix)
	if !ok {
		return uuid.Nil
	}
	id, err := uuid.Parse(s)
	if err != nil {
		return uuid.Nil
	}
	return id
}

// lockTimeoutHeader rewrites a LOCK's Timeout header to what the server
// grants (x/net/webdav answers with the requested timeout and cannot
// express "Infinite" correctly), so that the client learns the truth.
func (s *Server) lockTimeoutHeader(h string) string {
	d := s.cfg.DefaultLockTimeout
	for _, part := range strings.Split(h, ",") {
		part = strings.TrimSpace(part)
		if secs, ok := strings.CutPrefix(part, "Second-"); ok {
			if n, err := strconv.ParseInt(secs, 10, 64); err == nil && n > 0 {
				if n > int64(s.cfg.MaxLockTimeout/time.Second) {
					d = s.cfg.MaxLockTimeout
				} else {
					d = time.Duration(n) * time.Second
				}
			}
			break
		}
		if part == "Infinite" {
			break
		}
	}
	return "Second-" + strconv.FormatInt(int64(d/time.Second), 10)
}

// duration is the lifetime granted for a requested one.
func (ls *lockSystem) duration(d time.Duration) time.Duration {
	cfg := ls.rq.s.cfg
	if d <= 0 {
		return cfg.DefaultLockTimeout
	}
	return min(d, cfg.MaxLockTimeout)
}

// tx runs fn in the tenant's transaction.
func (ls *lockSystem) tx(fn func(tx *db.Tx) error) error {
	return ls.rq.s.deps.DB.Tenant(ls.rq.ctx, ls.rq.actor.TenantID, fn)
}

// serialise makes concurrent lock changes of one tenant wait for each
// other on PostgreSQL (SQLite has a single writer anyway), so that two
// instances cannot both grant conflicting locks.
func serialise(tx *db.Tx) error {
	if !tx.IsPostgres() {
		return nil
	}
	return tx.Exec("SELECT pg_advisory_xact_lock(hashtextextended('dav_locks:' || @tenant, 0))").Error
}

// conflicting reports whether an unexpired lock prevents a new lock on k
// (a shared one only conflicts with exclusive locks).
func conflicting(tx *db.Tx, k string, zeroDepth, shared bool, now time.Time) (bool, error) {
	var ancestors []string
	for p := k; p != "/"; {
		p = path.Dir(p)
		ancestors = append(ancestors, p)
	}
	cond := "dav_locks.root_key = ?"
	args := []any{k}
	if len(ancestors) > 0 {
		cond += " OR (dav_locks.zero_depth = ? AND dav_locks.root_key IN ?)"
		args = append(args, false, ancestors)
	}
	if !zeroDepth {
		if k == "/" {
			cond += " OR 1 = 1"
		} else {
			cond += " OR substr(dav_locks.root_key, 1, ?) = ?"
			args = append(args, utf8.RuneCountInString(k)+1, k+"/")
		}
	}
	q := tx.Table(locksTable).Where("dav_locks.expires_at > ?", now).Where("("+cond+")", args...)
	if shared {
		q = q.Where("dav_locks.shared = ?", false)
	}
	var n int64
	err := q.Count(&n).Error
	if err != nil {
		return false, fmt.Errorf("dav: check locks: %w", err)
	}
	return n > 0, nil
}

// Confirm implements webdav.LockSystem: it evaluates one list of an If
// header (RFC 4918 10.4) against name0 (name1 when name0 is empty). A
// state token holds when it names an unexpired lock that covers the
// resource (or name1), an entity tag when it is the resource's; "Not"
// inverts. When
// every condition holds, the caller must also have submitted (in this
// list, as a condition that holds) one of its own locks for each of name0
// and name1 that any lock covers.
func (ls *lockSystem) Confirm(_ time.Time, name0, name1 string, conditions ...webdav.Condition) (func(), error) {
	rq := ls.rq
	now := rq.s.now()
	subject := name0
	if subject == "" {
		subject = name1
	}
	var ids []uuid.UUID
	for _, c := range conditions {
		if id := parseToken(c.Token); id != uuid.Nil {
			ids = append(ids, id)
		}
	}
	var named []lockRow
	var locked0, locked1 bool
	err := ls.tx(func(tx *db.Tx) error {
		if len(ids) > 0 {
			if err := tx.Table(locksTable).Where("dav_locks.id IN ? AND dav_locks.expires_at > ?", ids, now).
				Find(&named).Error; err != nil {
				return fmt.Errorf("dav: confirm locks: %w", err)
			}
		}
		var err error
		if name0 != "" {
			if locked0, err = conflicting(tx, lockKey(name0), true, false, now); err != nil {
				return err
			}
		}
		if name1 != "" {
			locked1, err = conflicting(tx, lockKey(name1), true, false, now)
		}
		return err
	})
	if err != nil {
		return nil, rq.fail(err)
	}
	byID := func(tok string) *lockRow {
		id := parseToken(tok)
		for i := range named {
			if named[i].ID == id {
				return &named[i]
			}
		}
		return nil
	}
	k := lockKey(subject)
	var submitted []*lockRow
	for _, c := range conditions {
		var holds bool
		if c.Token != "" {
			// A token counts for either resource: clients put a MOVE's or
			// COPY's destination lock into an untagged list too.
			l := byID(c.Token)
			holds = l != nil && (l.covers(k) || name1 != "" && l.covers(lockKey(name1)))
			if holds && !c.Not && l.OwnerID == rq.actor.MembershipID {
				submitted = append(submitted, l)
			}
		} else {
			holds = rq.etagOf(subject) == strings.TrimPrefix(c.ETag, "W/")
		}
		if holds == c.Not {
			return nil, webdav.ErrConfirmationFailed
		}
	}
	covered := func(name string) bool {
		k := lockKey(name)
		for _, l := range submitted {
			if l.covers(k) {
				return true
			}
		}
		return false
	}
	if locked0 && !covered(name0) || locked1 && !covered(name1) {
		return nil, webdav.ErrConfirmationFailed
	}
	return func() {}, nil
}

// etagOf is the entity tag of a resource ("" when it has none).
func (rq *request) etagOf(name string) string {
	n, err := rq.resolve(rq.ctx, name)
	if err != nil {
		return ""
	}
	return rq.info(n).etag
}

// Create implements webdav.LockSystem for the handler's request locks
// (writes without an If header, infinite duration): it only checks that
// no lock covers the resource. Real locks are made by create (serveLock).
func (ls *lockSystem) Create(_ time.Time, details webdav.LockDetails) (string, error) {
	rq := ls.rq
	if details.Duration >= 0 {
		return ls.create(details.Root, details.ZeroDepth, false, details.OwnerXML, details.Duration)
	}
	var locked bool
	err := ls.tx(func(tx *db.Tx) error {
		var err error
		locked, err = conflicting(tx, lockKey(details.Root), details.ZeroDepth, false, rq.s.now())
		return err
	})
	if err != nil {
		return "", rq.fail(err)
	}
	if locked {
		rq.failure = errs.New(errs.ResourceLocked, errs.M("dav.file-locked-other-session", "Die Datei ist von einer anderen Sitzung gesperrt.", "The file is locked by another session."))
		return "", webdav.ErrLocked
	}
	return requestToken, nil
}

// create takes a new lock on name for the caller and returns its token.
// An exclusive lock on a document also checks it out.
func (ls *lockSystem) create(name string, zeroDepth, shared bool, ownerXML string, duration time.Duration) (string, error) {
	rq := ls.rq
	now := rq.s.now()
	k := lockKey(name)
	if len(ownerXML) > maxOwnerXML {
		return "", rq.fail(errs.InvalidField("owner", errs.M("dav.lock-owner-too-long", "Die Besitzerangabe der Sperre ist zu lang.", "The owner of the lock is too long.")))
	}
	doc, err := ls.lockable(name)
	if err != nil {
		return "", err
	}
	d := ls.duration(duration)
	row := &lockRow{TenantID: rq.actor.TenantID, ID: uuid.New(), Root: slashClean(name), RootKey: k,
		ZeroDepth: zeroDepth, Shared: shared, OwnerID: rq.actor.MembershipID, OwnerXML: ownerXML,
		CreatedAt: now, ExpiresAt: now.Add(d)}
	if doc != nil {
		row.DocumentID = &doc.ID
		// Take the check-out unless the caller already holds it.
		row.CheckedOut = !shared && (doc.Lock == nil || doc.Lock.OwnerID != rq.actor.MembershipID)
	}
	locked := false
	err = ls.tx(func(tx *db.Tx) error {
		if err := serialise(tx); err != nil {
			return err
		}
		if err := tx.Table(locksTable).Where("dav_locks.expires_at <= ?", now).Delete(&lockRow{}).Error; err != nil {
			return fmt.Errorf("dav: drop expired locks: %w", err)
		}
		var err error
		if locked, err = conflicting(tx, k, zeroDepth, shared, now); err != nil || locked {
			return err
		}
		if err := tx.Create(locksTable, row); err != nil {
			return fmt.Errorf("dav: create lock: %w", err)
		}
		return nil
	})
	if err != nil {
		return "", rq.fail(err)
	}
	if locked {
		rq.failure = errs.New(errs.ResourceLocked, errs.M("dav.file-locked-already", "Die Datei ist bereits gesperrt.", "The file is locked already."))
		return "", webdav.ErrLocked
	}
	if row.CheckedOut {
		if _, err := rq.svc().CheckOut(rq.ctx, rq.actor, doc.ID, d); err != nil {
			ls.drop(row.ID)
			if errs.Is(err, errs.ResourceLocked) {
				rq.failure = err
				return "", webdav.ErrLocked
			}
			return "", rq.fail(err)
		}
	}
	rq.lockID, rq.lockShared = row.ID, shared
	rq.locks = nil
	return tokenPrefix + row.ID.String(), nil
}

// lockable checks that the caller may lock the resource: write permission
// on an existing document or folder (admins only for the root), or on the
// folder that a new document would be created in. It returns the document
// when the resource is one.
func (ls *lockSystem) lockable(name string) (*documents.Document, error) {
	rq := ls.rq
	n, err := rq.resolve(rq.ctx, name)
	if err == nil {
		switch n.kind {
		case kindRoot:
			if !rq.actor.IsAdmin() {
				return nil, rq.fail(errs.Plain(errs.Forbidden))
			}
		case kindFolder:
			if n.folder.Access < documents.Write {
				return nil, rq.fail(errs.Plain(errs.Forbidden))
			}
		case kindDocument:
			if n.doc.Access < documents.Write {
				return nil, rq.fail(errs.Plain(errs.Forbidden))
			}
			return n.doc, nil
		case kindHelper:
			return nil, rq.mayWriteHelper(n.file.FolderID)
		}
		return nil, nil
	}
	if !isNotFound(err) {
		return nil, rq.fail(err)
	}
	if err := rq.checkNewName(name); err != nil {
		return nil, err
	}
	parent, err := rq.resolve(rq.ctx, path.Dir(slashClean(name)))
	switch {
	case err != nil && !isNotFound(err):
		return nil, rq.fail(err)
	case err != nil || parent.kind == kindDocument || parent.kind == kindHelper:
		return nil, rq.failStatus(409, "Der Ordner existiert nicht.")
	case isHelper(name):
		return nil, rq.mayWriteHelper(parent.folderID())
	case parent.kind == kindRoot:
		return nil, rq.fail(errNoRootDocs)
	case parent.folder.Access < documents.Write:
		return nil, rq.fail(errs.Plain(errs.Forbidden))
	}
	return nil, nil
}

// lockNewDocument completes a LOCK on a new name: x/net/webdav creates the
// empty document after the lock, so the check-out is taken now.
func (rq *request) lockNewDocument(ctx context.Context, d *documents.Document) {
	if rq.method != "LOCK" || rq.lockID == uuid.Nil || rq.lockShared {
		return
	}
	ls := &lockSystem{rq: rq}
	now := rq.s.now()
	var row []lockRow
	err := ls.tx(func(tx *db.Tx) error {
		if err := tx.Table(locksTable).Where("dav_locks.id = ?", rq.lockID).Find(&row).Error; err != nil || len(row) != 1 {
			return err
		}
		return tx.Table(locksTable).Where("dav_locks.id = ?", rq.lockID).
			Updates(map[string]any{"document_id": d.ID, "checked_out": true}).Error
	})
	if err != nil || len(row) != 1 {
		rq.s.log.WarnContext(ctx, "webdav: attach lock to new document", "err", fmt.Sprint(err))
		return
	}
	if _, err := rq.svc().CheckOut(ctx, rq.actor, d.ID, row[0].ExpiresAt.Sub(now)); err != nil {
		rq.s.log.WarnContext(ctx, "webdav: check out new document", "err", err.Error())
	}
}

// find loads one of the caller's locks by token.
func (ls *lockSystem) find(token string) (*lockRow, error) {
	id := parseToken(token)
	if id == uuid.Nil {
		return nil, nil
	}
	var rows []lockRow
	err := ls.tx(func(tx *db.Tx) error {
		return tx.Table(locksTable).Where("dav_locks.id = ?", id).Find(&rows).Error
	})
	if err != nil {
		return nil, ls.rq.fail(fmt.Errorf("dav: find lock: %w", err))
	}
	if len(rows) != 1 {
		return nil, nil
	}
	return &rows[0], nil
}

func (ls *lockSystem) drop(id uuid.UUID) {
	err := ls.tx(func(tx *db.Tx) error {
		return tx.Table(locksTable).Where("dav_locks.id = ?", id).Delete(&lockRow{}).Error
	})
	if err != nil {
		ls.rq.s.log.ErrorContext(ls.rq.ctx, "webdav: drop lock", "err", err.Error())
	}
}

// Refresh implements webdav.LockSystem.
func (ls *lockSystem) Refresh(_ time.Time, token string, duration time.Duration) (webdav.LockDetails, error) {
	row, err := ls.refresh(token, duration)
	if err != nil {
		return webdav.LockDetails{}, err
	}
	return webdav.LockDetails{Root: row.Root, Duration: row.ExpiresAt.Sub(ls.rq.s.now()), OwnerXML: row.OwnerXML, ZeroDepth: row.ZeroDepth}, nil
}

// refresh extends the caller's unexpired lock, and its check-out with it.
func (ls *lockSystem) refresh(token string, duration time.Duration) (*lockRow, error) {
	rq := ls.rq
	now := rq.s.now()
	row, err := ls.find(token)
	if err != nil {
		return nil, err
	}
	if row == nil || row.OwnerID != rq.actor.MembershipID || !row.ExpiresAt.After(now) {
		return nil, webdav.ErrNoSuchLock
	}
	d := ls.duration(duration)
	err = ls.tx(func(tx *db.Tx) error {
		return tx.Table(locksTable).Where("dav_locks.id = ?", row.ID).Update("expires_at", now.Add(d)).Error
	})
	if err != nil {
		return nil, rq.fail(fmt.Errorf("dav: refresh lock: %w", err))
	}
	if row.CheckedOut && row.DocumentID != nil {
		if _, err := rq.svc().CheckOut(rq.ctx, rq.actor, *row.DocumentID, d); err != nil {
			switch {
			case errs.Is(err, errs.ResourceLocked):
				// Someone broke the check-out and took it: the lock is gone.
				ls.drop(row.ID)
				rq.failure = err
				return nil, webdav.ErrLocked
			case !isNotFound(err) && !errs.Is(err, errs.Forbidden):
				return nil, rq.fail(err)
			}
		}
	}
	row.ExpiresAt = now.Add(d)
	rq.locks = nil
	return row, nil
}

// Unlock implements webdav.LockSystem: only the lock's owner may release
// it; a check-out the lock took is given back if the caller still holds it.
func (ls *lockSystem) Unlock(_ time.Time, token string) error {
	if token == requestToken {
		return nil
	}
	rq := ls.rq
	row, err := ls.find(token)
	if err != nil {
		return err
	}
	if row == nil || !row.ExpiresAt.After(rq.s.now()) {
		return webdav.ErrNoSuchLock
	}
	if row.OwnerID != rq.actor.MembershipID {
		return webdav.ErrForbidden
	}
	ls.drop(row.ID)
	if row.CheckedOut && row.DocumentID != nil {
		rq.checkIn(*row.DocumentID)
	}
	return nil
}

// checkIn gives back the caller's check-out of a document, and only the
// caller's: a manager must not break someone else's check-out by
// releasing a lock of their own that has lapsed meanwhile.
func (rq *request) checkIn(docID uuid.UUID) {
	d, err := rq.svc().GetDocument(rq.ctx, rq.actor, docID)
	if err != nil || d.Lock == nil || d.Lock.OwnerID != rq.actor.MembershipID {
		return
	}
	if _, err := rq.svc().CheckIn(rq.ctx, rq.actor, docID); err != nil && !errors.Is(err, context.Canceled) {
		rq.s.log.WarnContext(rq.ctx, "webdav: check in after unlock", "err", err.Error())
	}
}
