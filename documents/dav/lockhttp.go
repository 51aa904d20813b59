package dav

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/kollab/kollab/internal/db"
	"github.com/kollab/kollab/internal/input"
	"golang.org/x/net/webdav"
)

// serveLock answers LOCK (RFC 4918 9.10): a new exclusive or shared write
// lock, of depth 0 or infinity, on an existing resource or on a new name
// (which becomes an empty document), or, with an empty body, the refresh
// of a lock named in the If header. The answer's lockdiscovery names the
// lock root by its full path, /dav/{tenant}/….
func (rq *request) serveLock(w *errorWriter, r *http.Request, name string) {
	d := parseTimeout(r.Header.Get("Timeout"))
	body, err := io.ReadAll(r.Body)
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			w.status(http.StatusRequestEntityTooLarge, "")
			return
		}
		w.status(http.StatusBadRequest, "")
		return
	}
	ls := &lockSystem{rq: rq}
	if len(bytes.TrimSpace(body)) == 0 {
		rq.refreshLock(w, r, ls, d)
		return
	}
	li, err := parseLockInfo(body)
	if err != nil {
		w.status(http.StatusBadRequest, "Die Sperranfrage ist kein gültiges lockinfo-XML mit Schreibsperre.")
		return
	}
	zeroDepth := false
	switch r.Header.Get("Depth") {
	case "", "infinity", "Infinity":
	case "0":
		zeroDepth = true
	default:
		w.status(http.StatusBadRequest, "Eine Sperre hat die Tiefe 0 oder infinity.")
		return
	}
	token, err := ls.create(name, zeroDepth, li.shared, li.owner, d)
	if err != nil {
		w.status(statusOf(rq.errOr(err)))
		return
	}
	// A new name becomes an empty resource (RFC 4918 9.10.4).
	created := false
	fsys := &fileSystem{rq: rq}
	if _, err := fsys.Stat(rq.ctx, name); err != nil {
		err := rq.createEmpty(fsys, name)
		if err != nil {
			ls.drop(parseToken(token))
			if isNotFound(err) && rq.failure == nil {
				err = &statusError{code: http.StatusConflict, detail: "Der Ordner existiert nicht."}
			}
			w.status(statusOf(rq.errOr(err)))
			return
		}
		created = true
	}
	row, err := ls.find(token)
	if err != nil || row == nil {
		w.status(statusOf(rq.errOr(errors.New("dav: lock vanished"))))
		return
	}
	w.Header().Set("Lock-Token", "<"+token+">")
	w.Header().Set("Content-Type", "application/xml; charset=utf-8")
	if created {
		w.WriteHeader(http.StatusCreated)
	} else {
		w.WriteHeader(http.StatusOK)
	}
	_, _ = io.WriteString(w, `<?xml version="1.0" encoding="utf-8"?>`+"\n"+
		`<D:prop xmlns:D="DAV:"><D:lockdiscovery>`+rq.activeLock(row)+`</D:lockdiscovery></D:prop>`)
}

// refreshLock answers a LOCK without a body: the refresh of the first lock
// named in the If header that still exists.
func (rq *request) refreshLock(w *errorWriter, r *http.Request, ls *lockSystem, d time.Duration) {
	lists, ok := parseIf(r.Header.Get("If"))
	if !ok {
		w.status(http.StatusBadRequest, "Zum Verlängern einer Sperre gehört ihr Token in den If-Header.")
		return
	}
	for _, l := range lists {
		for _, c := range l.conditions {
			if c.Not || c.Token == "" {
				continue
			}
			row, err := ls.refresh(c.Token, d)
			if errors.Is(err, webdav.ErrNoSuchLock) {
				continue
			}
			if err != nil {
				w.status(statusOf(rq.errOr(err)))
				return
			}
			w.Header().Set("Content-Type", "application/xml; charset=utf-8")
			w.WriteHeader(http.StatusOK)
			_, _ = io.WriteString(w, `<?xml version="1.0" encoding="utf-8"?>`+"\n"+
				`<D:prop xmlns:D="DAV:"><D:lockdiscovery>`+rq.activeLock(row)+`</D:lockdiscovery></D:prop>`)
			return
		}
	}
	w.status(http.StatusPreconditionFailed, "Die Sperre besteht nicht (mehr).")
}

// createEmpty creates the empty resource of a LOCK on a new name.
func (rq *request) createEmpty(fsys *fileSystem, name string) error {
	f, err := fsys.OpenFile(rq.ctx, name, os.O_RDWR|os.O_CREATE|os.O_TRUNC, 0o666)
	if err != nil {
		return err
	}
	return f.Close()
}

// errOr is the request's recorded domain failure, or err.
func (rq *request) errOr(err error) error {
	if rq.failure != nil {
		return rq.failure
	}
	return err
}

// parseTimeout reads the Timeout header, which serve has already
// rewritten to the granted "Second-n".
func parseTimeout(h string) time.Duration {
	if secs, ok := strings.CutPrefix(h, "Second-"); ok {
		if n, err := strconv.ParseInt(secs, 10, 64); err == nil && n > 0 {
			return time.Duration(n) * time.Second
		}
	}
	return 0
}

// lockInfo is what a LOCK body asks for.
type lockInfo struct {
	shared bool
	owner  string // the owner element's content, with its namespaces
}

// parseLockInfo reads a lockinfo body: the scope, a write lock type and
// the owner, whose XML is re-encoded so that it names its namespaces
// itself (it is shown again in other documents).
func parseLockInfo(body []byte) (*lockInfo, error) {
	var li struct {
		XMLName   xml.Name `xml:"DAV: lockinfo"`
		LockScope struct {
			Exclusive *struct{} `xml:"DAV: exclusive"`
			Shared    *struct{} `xml:"DAV: shared"`
		} `xml:"DAV: lockscope"`
		LockType struct {
			Write *struct{} `xml:"DAV: write"`
		} `xml:"DAV: locktype"`
		Owner *ownerXML `xml:"DAV: owner"`
	}
	if err := xml.Unmarshal(body, &li); err != nil {
		return nil, err
	}
	if (li.LockScope.Exclusive == nil) == (li.LockScope.Shared == nil) || li.LockType.Write == nil {
		return nil, errors.New("dav: unsupported lockinfo")
	}
	out := &lockInfo{shared: li.LockScope.Shared != nil}
	if li.Owner != nil {
		out.owner = string(li.Owner.inner)
	}
	return out, nil
}

// ownerXML is the content of a lockinfo's owner element, re-encoded.
type ownerXML struct{ inner []byte }

// UnmarshalXML implements xml.Unmarshaler.
func (o *ownerXML) UnmarshalXML(d *xml.Decoder, start xml.StartElement) error {
	var buf bytes.Buffer
	enc := xml.NewEncoder(&buf)
	depth := 0
	for {
		tok, err := d.Token()
		if err != nil {
			return err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			depth++
			t.Attr = withoutNamespaceAttrs(t.Attr)
			tok = t
		case xml.EndElement:
			if depth == 0 {
				if err := enc.Flush(); err != nil {
					return err
				}
				o.inner = buf.Bytes()
				return nil
			}
			depth--
		case xml.ProcInst, xml.Directive:
			continue
		}
		if err := enc.EncodeToken(xml.CopyToken(tok)); err != nil {
			return err
		}
	}
}

// withoutNamespaceAttrs drops xmlns attributes: the encoder declares the
// namespaces of the names it writes.
func withoutNamespaceAttrs(attrs []xml.Attr) []xml.Attr {
	out := attrs[:0]
	for _, a := range attrs {
		if a.Name.Space == "xmlns" || (a.Name.Space == "" && a.Name.Local == "xmlns") {
			continue
		}
		out = append(out, a)
	}
	return out
}

// href is the URL path of a resource below the tenant's prefix, escaped.
func (rq *request) href(name string) string {
	return (&url.URL{Path: rq.prefix + slashClean(name)}).EscapedPath()
}

// xmlText escapes s for XML text.
func xmlText(s string) string {
	var b strings.Builder
	_ = xml.EscapeText(&b, []byte(s))
	return b.String()
}

// activeLock is the activelock element of a lock. The token is shown to
// the lock's owner only (nobody else may use it anyway).
func (rq *request) activeLock(l *lockRow) string {
	scope, depth := "<D:exclusive/>", "infinity"
	if l.Shared {
		scope = "<D:shared/>"
	}
	if l.ZeroDepth {
		depth = "0"
	}
	secs := max(int64(l.ExpiresAt.Sub(rq.s.now())/time.Second), 1)
	var b strings.Builder
	b.WriteString(`<D:activelock xmlns:D="DAV:"><D:locktype><D:write/></D:locktype><D:lockscope>` + scope + `</D:lockscope>`)
	b.WriteString(`<D:depth>` + depth + `</D:depth>`)
	if l.OwnerXML != "" {
		b.WriteString(`<D:owner>` + l.OwnerXML + `</D:owner>`)
	}
	b.WriteString(`<D:timeout>Second-` + strconv.FormatInt(secs, 10) + `</D:timeout>`)
	if l.OwnerID == rq.actor.MembershipID {
		b.WriteString(`<D:locktoken><D:href>` + tokenPrefix + l.ID.String() + `</D:href></D:locktoken>`)
	}
	b.WriteString(`<D:lockroot><D:href>` + xmlText(rq.href(l.Root)) + `</D:href></D:lockroot></D:activelock>`)
	return b.String()
}

// activeLocks is the content of a lockdiscovery property.
func (rq *request) activeLocks(ls []*lockRow) string {
	var b strings.Builder
	for _, l := range ls {
		b.WriteString(rq.activeLock(l))
	}
	return b.String()
}

// maxDiscovered bounds the locks one request reads for lockdiscovery.
const maxDiscovered = 10000

// locksCovering returns the unexpired locks that cover a resource. The
// first call of a request reads the locks of the request's path, its
// ancestors and everything below it at once (a depth-1 PROPFIND asks for
// every child).
func (rq *request) locksCovering(name string) ([]*lockRow, error) {
	if rq.locks == nil {
		base := lockKey(rq.path)
		var ancestors []string
		for p := base; p != "/"; {
			p = path.Dir(p)
			ancestors = append(ancestors, p)
		}
		cond, args := "dav_locks.root_key = ?", []any{base}
		if len(ancestors) > 0 {
			cond += " OR dav_locks.root_key IN ?"
			args = append(args, ancestors)
		}
		if base == "/" {
			cond += " OR 1 = 1"
		} else {
			cond += " OR substr(dav_locks.root_key, 1, ?) = ?"
			args = append(args, utf8.RuneCountInString(base)+1, base+"/")
		}
		var rows []lockRow
		err := rq.tx(func(tx *db.Tx) error {
			return tx.Table(locksTable).Where("dav_locks.expires_at > ?", rq.s.now()).Where("("+cond+")", args...).
				Order("dav_locks.created_at").Limit(maxDiscovered).Find(&rows).Error
		})
		if err != nil {
			return nil, fmt.Errorf("dav: read locks: %w", err)
		}
		rq.locks = make([]*lockRow, len(rows))
		for i := range rows {
			rq.locks[i] = &rows[i]
		}
	}
	k := lockKey(name)
	var out []*lockRow
	for _, l := range rq.locks {
		if l.covers(k) {
			out = append(out, l)
		}
	}
	return out, nil
}

// ifList is one list of an If header: an optional resource tag and its
// conditions.
type ifList struct {
	tag        string
	conditions []webdav.Condition
}

// parseIf parses an If header (RFC 4918 10.4): lists of conditions, each
// optionally tagged with a resource.
func parseIf(h string) ([]ifList, bool) {
	var out []ifList
	tag := ""
	s := strings.TrimSpace(h)
	if s == "" {
		return nil, false
	}
	for s != "" {
		switch s[0] {
		case ' ', '\t':
			s = s[1:]
		case '<':
			end := strings.IndexByte(s, '>')
			if end < 0 {
				return nil, false
			}
			tag, s = s[1:end], s[end+1:]
		case '(':
			end := strings.IndexByte(s, ')')
			if end < 0 {
				return nil, false
			}
			l, ok := parseConditions(s[1:end])
			if !ok {
				return nil, false
			}
			l.tag = tag
			out = append(out, l)
			s = s[end+1:]
		default:
			return nil, false
		}
	}
	return out, len(out) > 0
}

// parseConditions parses the inside of one list.
func parseConditions(s string) (ifList, bool) {
	var l ifList
	not := false
	for {
		s = strings.TrimLeft(s, " \t")
		if s == "" {
			break
		}
		switch {
		case strings.HasPrefix(s, "Not") && (len(s) == 3 || s[3] == ' ' || s[3] == '\t' || s[3] == '<' || s[3] == '['):
			not, s = true, s[3:]
			continue
		case s[0] == '<':
			end := strings.IndexByte(s, '>')
			if end < 0 {
				return l, false
			}
			l.conditions = append(l.conditions, webdav.Condition{Not: not, Token: s[1:end]})
			s = s[end+1:]
		case s[0] == '[':
			end := strings.IndexByte(s, ']')
			if end < 0 {
				return l, false
			}
			l.conditions = append(l.conditions, webdav.Condition{Not: not, ETag: s[1:end]})
			s = s[end+1:]
		default:
			return l, false
		}
		not = false
	}
	return l, len(l.conditions) > 0 && !not
}

// normalizeIf rewrites the resource tags of an If header that name this
// tenant's resources, in path form ("</dav/t/x>") or absolute with any
// host, into the absolute form x/net/webdav compares with the request's
// host, with the path in NFC like the request's; other tags stay as they
// are. A header that does not parse is left to the handler (400).
func (rq *request) normalizeIf(h, host string) string {
	if !strings.Contains(h, "<") {
		return h
	}
	var b strings.Builder
	depth := 0
	for i := 0; i < len(h); i++ {
		c := h[i]
		switch {
		case c == '(':
			depth++
		case c == ')':
			depth--
		case c == '<' && depth == 0:
			end := strings.IndexByte(h[i:], '>')
			if end < 0 {
				return h
			}
			tag := h[i+1 : i+end]
			b.WriteString("<" + rq.normalizeTag(tag, host) + ">")
			i += end
			continue
		}
		b.WriteByte(c)
	}
	return b.String()
}

func (rq *request) normalizeTag(tag, host string) string {
	u, err := url.Parse(tag)
	if err != nil || input.CheckLine(u.Path) != nil {
		return tag
	}
	p := input.NFC(u.Path)
	if p != rq.prefix && !strings.HasPrefix(p, rq.prefix+"/") {
		return tag
	}
	return (&url.URL{Scheme: "http", Host: host, Path: p}).String()
}
