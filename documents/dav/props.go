package dav

import (
	"encoding/xml"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"
	"github.com/kollab/kollab/documents"
	"github.com/kollab/kollab/internal/db"
	"golang.org/x/net/webdav"
)

// Properties.
//
// Dead properties (RFC 4918 PROPPATCH: any property outside the DAV:
// namespace) of documents and folders are stored in dav_properties, keyed
// by the resource's id: they follow a MOVE, are copied by a COPY (RFC 4918
// 9.8.2), stay while the resource is in the trash and are deleted with it.
// A resource holds at most maxProps of them, a value at most maxPropValue
// bytes. Helper files (.DS_Store, …) store none: Windows' Win32 time
// stamps are accepted and dropped, anything else is refused.
//
// Live properties beyond x/net/webdav's: creationdate, lockdiscovery
// (the locks in dav_locks that cover the resource), supportedlock (shared
// and exclusive write locks) and, on collections, RFC 4331's
// quota-used-bytes and quota-available-bytes (the tenant's storage; no
// quota-available-bytes when the tenant's quota is unlimited, and neither
// in an allprop answer, as RFC 4331 asks). x/net/webdav knows no hook for
// live properties, but asks a file's DeadProps before its own table, so
// they are answered from there.

const propsTable = "dav_properties"

// Bounds of dead properties.
const (
	maxProps        = 64
	maxPropValue    = 64 << 10
	maxPropName     = 255
	maxPropSpace    = 1024
	maxPropLang     = 64
	msNamespace     = "urn:schemas-microsoft-com:"
	davNamespace    = "DAV:"
	propsChunk      = 500
	propsCacheLimit = 200000
)

// propRow is a row of dav_properties.
type propRow struct {
	TenantID   uuid.UUID  `gorm:"column:tenant_id"`
	ID         uuid.UUID  `gorm:"column:id"`
	DocumentID *uuid.UUID `gorm:"column:document_id"`
	FolderID   *uuid.UUID `gorm:"column:folder_id"`
	Namespace  string     `gorm:"column:namespace"`
	Name       string     `gorm:"column:name"`
	Lang       string     `gorm:"column:lang"`
	Value      string     `gorm:"column:value"`
	UpdatedAt  time.Time  `gorm:"column:updated_at"`
	UpdatedBy  uuid.UUID  `gorm:"column:updated_by"`
}

// OwnerTenant implements db.TenantOwned.
func (r *propRow) OwnerTenant() uuid.UUID { return r.TenantID }

func (r *propRow) owner() uuid.UUID {
	if r.DocumentID != nil {
		return *r.DocumentID
	}
	return *r.FolderID
}

func (r *propRow) property() webdav.Property {
	return webdav.Property{XMLName: xml.Name{Space: r.Namespace, Local: r.Name}, Lang: r.Lang, InnerXML: []byte(r.Value)}
}

// propOwner returns the id dead properties of n are stored under, and
// whether n is a document (uuid.Nil: n holds none).
func propOwner(n *node) (uuid.UUID, bool) {
	switch n.kind {
	case kindDocument:
		return n.doc.ID, true
	case kindFolder:
		return n.folder.ID, false
	}
	return uuid.Nil, false
}

// tx runs fn in the request's tenant transaction.
func (rq *request) tx(fn func(tx *db.Tx) error) error {
	return rq.s.deps.DB.Tenant(rq.ctx, rq.actor.TenantID, fn)
}

// loadProps reads the dead properties of the given documents and folders
// into the request's cache (every id gets an entry, empty when it has none).
func (rq *request) loadProps(docs, folders []uuid.UUID) error {
	for _, part := range []struct {
		col string
		ids []uuid.UUID
	}{{"document_id", docs}, {"folder_id", folders}} {
		for chunk := range slices.Chunk(part.ids, propsChunk) {
			var rows []propRow
			err := rq.tx(func(tx *db.Tx) error {
				return tx.Table(propsTable).Where(propsTable+"."+part.col+" IN ?", chunk).
					Order("namespace, name").Limit(len(chunk) * maxProps).Find(&rows).Error
			})
			if err != nil {
				return fmt.Errorf("dav: read properties: %w", err)
			}
			for _, id := range chunk {
				if rq.props[id] == nil {
					rq.props[id] = map[xml.Name]webdav.Property{}
				}
			}
			for i := range rows {
				p := rows[i].property()
				rq.props[rows[i].owner()][p.XMLName] = p
			}
		}
	}
	return nil
}

// storedProps returns the dead properties of n (nil for the root and
// helper files).
func (rq *request) storedProps(n *node) (map[xml.Name]webdav.Property, error) {
	id, isDoc := propOwner(n)
	if id == uuid.Nil {
		return nil, nil
	}
	if m, ok := rq.props[id]; ok {
		return m, nil
	}
	if len(rq.props) > propsCacheLimit {
		clear(rq.props)
	}
	var err error
	if isDoc {
		err = rq.loadProps([]uuid.UUID{id}, nil)
	} else {
		err = rq.loadProps(nil, []uuid.UUID{id})
	}
	if err != nil {
		return nil, err
	}
	return rq.props[id], nil
}

// prefetchProps loads the dead properties of a listing in a few queries.
func (rq *request) prefetchProps(ns []*node) error {
	var docs, folders []uuid.UUID
	for _, n := range ns {
		id, isDoc := propOwner(n)
		if id == uuid.Nil {
			continue
		}
		if _, ok := rq.props[id]; ok {
			continue
		}
		if isDoc {
			docs = append(docs, id)
		} else {
			folders = append(folders, id)
		}
	}
	if len(rq.props)+len(docs)+len(folders) > propsCacheLimit {
		clear(rq.props)
	}
	return rq.loadProps(docs, folders)
}

// davName is a property name in the DAV: namespace.
func davName(local string) xml.Name { return xml.Name{Space: davNamespace, Local: local} }

// resourceProps is the webdav.DeadPropsHolder of an opened document,
// folder, root or helper file: its stored dead properties and the live
// properties that x/net/webdav does not know.
type resourceProps struct {
	rq *request
	n  *node
}

// DeadProps implements webdav.DeadPropsHolder.
func (p resourceProps) DeadProps() (map[xml.Name]webdav.Property, error) {
	stored, err := p.rq.storedProps(p.n)
	if err != nil {
		return nil, p.rq.fail(err)
	}
	out := make(map[xml.Name]webdav.Property, len(stored)+6)
	for k, v := range stored {
		out[k] = v
	}
	if err := p.rq.liveProps(p.n, out); err != nil {
		return nil, p.rq.fail(err)
	}
	return out, nil
}

// liveProps adds the live properties x/net/webdav does not answer.
func (rq *request) liveProps(n *node, out map[xml.Name]webdav.Property) error {
	live := func(local, inner string) {
		out[davName(local)] = webdav.Property{XMLName: davName(local), InnerXML: []byte(inner)}
	}
	switch n.kind {
	case kindRoot:
		live("creationdate", rq.created.UTC().Format(time.RFC3339))
	case kindFolder:
		live("creationdate", n.folder.CreatedAt.UTC().Format(time.RFC3339))
	case kindDocument:
		live("creationdate", n.doc.CreatedAt.UTC().Format(time.RFC3339))
	case kindHelper:
		live("creationdate", n.file.CreatedAt.UTC().Format(time.RFC3339))
	}
	live("supportedlock", supportedLock)
	locks, err := rq.locksCovering(n.path)
	if err != nil {
		return err
	}
	live("lockdiscovery", rq.activeLocks(locks))
	if (n.kind == kindRoot || n.kind == kindFolder) && !rq.allprop {
		u, err := rq.usage()
		if err != nil {
			return err
		}
		used := u.UsedBytes + u.ReservedBytes
		live("quota-used-bytes", strconv.FormatInt(u.UsedBytes, 10))
		if u.QuotaBytes != nil {
			live("quota-available-bytes", strconv.FormatInt(max(*u.QuotaBytes-used, 0), 10))
		}
	}
	return nil
}

// usage is the tenant's storage, read once per request.
func (rq *request) usage() (*documents.Usage, error) {
	if rq.storage == nil {
		u, err := rq.svc().StorageUsage(rq.ctx, rq.actor.TenantID)
		if err != nil {
			return nil, err
		}
		rq.storage = u
	}
	return rq.storage, nil
}

// supportedLock is the supportedlock property: exclusive and shared
// write locks.
const supportedLock = `<D:lockentry xmlns:D="DAV:"><D:lockscope><D:exclusive/></D:lockscope><D:locktype><D:write/></D:locktype></D:lockentry>` +
	`<D:lockentry xmlns:D="DAV:"><D:lockscope><D:shared/></D:lockscope><D:locktype><D:write/></D:locktype></D:lockentry>`

// errPropsFull refuses a PROPPATCH that would leave more than maxProps.
var errPropsFull = errors.New("dav: too many dead properties")

// Patch implements webdav.DeadPropsHolder: all instructions apply, in
// order, or none (RFC 4918 9.2).
func (p resourceProps) Patch(patches []webdav.Proppatch) ([]webdav.Propstat, error) {
	rq, n := p.rq, p.n
	names := make([]xml.Name, 0, len(patches))
	for _, pp := range patches {
		for _, prop := range pp.Props {
			names = append(names, prop.XMLName)
		}
	}
	if refused := p.refusePatch(names, patches); refused != nil {
		return refused, nil
	}
	id, isDoc := propOwner(n)
	col := "folder_id"
	if isDoc {
		col = "document_id"
	}
	now := rq.s.now()
	err := rq.tx(func(tx *db.Tx) error {
		for _, pp := range patches {
			for _, prop := range pp.Props {
				if err := tx.Table(propsTable).Where(propsTable+"."+col+" = ? AND namespace = ? AND name = ?",
					id, prop.XMLName.Space, prop.XMLName.Local).Delete(&propRow{}).Error; err != nil {
					return fmt.Errorf("dav: remove property: %w", err)
				}
				if pp.Remove {
					continue
				}
				row := &propRow{TenantID: rq.actor.TenantID, ID: uuid.New(), Namespace: prop.XMLName.Space, Name: prop.XMLName.Local,
					Lang: prop.Lang, Value: string(prop.InnerXML), UpdatedAt: now, UpdatedBy: rq.actor.MembershipID}
				if isDoc {
					row.DocumentID = &id
				} else {
					row.FolderID = &id
				}
				if err := tx.Create(propsTable, row); err != nil {
					return fmt.Errorf("dav: set property: %w", err)
				}
			}
		}
		var count int64
		if err := tx.Table(propsTable).Where(propsTable+"."+col+" = ?", id).Count(&count).Error; err != nil {
			return fmt.Errorf("dav: count properties: %w", err)
		}
		if count > maxProps {
			return errPropsFull
		}
		return nil
	})
	delete(rq.props, id)
	if errors.Is(err, errPropsFull) {
		// RFC 4918 9.2.1: 507 for the properties that did not fit.
		var set []xml.Name
		for _, pp := range patches {
			if !pp.Remove {
				for _, prop := range pp.Props {
					set = append(set, prop.XMLName)
				}
			}
		}
		return refuse(names, webdav.StatusInsufficientStorage, set), nil
	}
	if err != nil {
		return nil, rq.fail(err)
	}
	return []webdav.Propstat{{Status: http.StatusOK, Props: props(names)}}, nil
}

// refusePatch checks a PROPPATCH before anything is written: the
// propstats that refuse it whole, or nil when it may proceed.
func (p resourceProps) refusePatch(names []xml.Name, patches []webdav.Proppatch) []webdav.Propstat {
	rq, n := p.rq, p.n
	// Who may: write permission on the document or folder; a document
	// checked out by someone else is locked.
	switch n.kind {
	case kindRoot:
		return refuse(names, http.StatusForbidden, nil)
	case kindHelper:
		return helperPatch(names)
	case kindFolder:
		if n.folder.Access < documents.Write {
			return refuse(names, http.StatusForbidden, nil)
		}
	case kindDocument:
		if n.doc.Access < documents.Write {
			return refuse(names, http.StatusForbidden, nil)
		}
		if l := n.doc.Lock; l != nil && l.OwnerID != rq.actor.MembershipID {
			return refuse(names, webdav.StatusLocked, nil)
		}
	}
	// What: names outside DAV:, bounded names and values.
	var bad []xml.Name
	for _, pp := range patches {
		for _, prop := range pp.Props {
			if !validProp(prop, pp.Remove) {
				bad = append(bad, prop.XMLName)
			}
		}
	}
	if len(bad) > 0 {
		return refuse(names, http.StatusForbidden, bad)
	}
	return nil
}

// validProp checks a dead property's name and value.
func validProp(p webdav.Property, remove bool) bool {
	n := p.XMLName
	switch {
	case n.Space == davNamespace:
		return false // DAV: properties are the protocol's, never dead
	case n.Local == "" || len(n.Local) > maxPropName || len(n.Space) > maxPropSpace:
		return false
	case !utf8.ValidString(n.Local) || !utf8.ValidString(n.Space):
		return false
	case remove:
		return true
	case len(p.InnerXML) > maxPropValue || len(p.Lang) > maxPropLang || !utf8.Valid(p.InnerXML):
		return false
	}
	return true
}

// helperPatch answers a PROPPATCH of a helper file: Windows' Win32 time
// stamps and attributes are accepted and dropped, anything else refused.
func helperPatch(names []xml.Name) []webdav.Propstat {
	var bad []xml.Name
	for _, n := range names {
		if n.Space != msNamespace {
			bad = append(bad, n)
		}
	}
	if len(bad) > 0 {
		return refuse(names, http.StatusForbidden, bad)
	}
	return []webdav.Propstat{{Status: http.StatusOK, Props: props(names)}}
}

// refuse answers a PROPPATCH that changes nothing: the culprits (all
// names when culprits is nil) with status, the others 424 Failed
// Dependency.
func refuse(names []xml.Name, status int, culprits []xml.Name) []webdav.Propstat {
	if culprits == nil {
		culprits = names
	}
	failed := webdav.Propstat{Status: status}
	dep := webdav.Propstat{Status: webdav.StatusFailedDependency}
	for _, n := range names {
		if slices.Contains(culprits, n) {
			failed.Props = append(failed.Props, webdav.Property{XMLName: n})
		} else {
			dep.Props = append(dep.Props, webdav.Property{XMLName: n})
		}
	}
	if len(dep.Props) == 0 {
		return []webdav.Propstat{failed}
	}
	return []webdav.Propstat{failed, dep}
}

func props(names []xml.Name) []webdav.Property {
	out := make([]webdav.Property, len(names))
	for i, n := range names {
		out[i] = webdav.Property{XMLName: n}
	}
	return out
}

// copyProps makes the dead properties of document or folder dst those of
// src (a COPY, or a MOVE onto an existing document).
func (rq *request) copyProps(src, dst *node) error {
	sid, sdoc := propOwner(src)
	did, ddoc := propOwner(dst)
	if sid == uuid.Nil || did == uuid.Nil {
		return nil
	}
	scol, dcol := "folder_id", "folder_id"
	if sdoc {
		scol = "document_id"
	}
	if ddoc {
		dcol = "document_id"
	}
	now := rq.s.now()
	defer delete(rq.props, did)
	return rq.tx(func(tx *db.Tx) error {
		var rows []propRow
		if err := tx.Table(propsTable).Where(propsTable+"."+scol+" = ?", sid).Limit(maxProps).Find(&rows).Error; err != nil {
			return fmt.Errorf("dav: read properties to copy: %w", err)
		}
		if err := tx.Table(propsTable).Where(propsTable+"."+dcol+" = ?", did).Delete(&propRow{}).Error; err != nil {
			return fmt.Errorf("dav: replace properties: %w", err)
		}
		for i := range rows {
			r := rows[i]
			r.ID, r.DocumentID, r.FolderID, r.UpdatedAt, r.UpdatedBy = uuid.New(), nil, nil, now, rq.actor.MembershipID
			if ddoc {
				r.DocumentID = &did
			} else {
				r.FolderID = &did
			}
			if err := tx.Create(propsTable, &r); err != nil {
				return fmt.Errorf("dav: copy property: %w", err)
			}
		}
		return nil
	})
}
