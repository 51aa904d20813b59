package dav_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/kollab/kollab/documents"
	"github.com/kollab/kollab/internal/db"
	"github.com/kollab/kollab/internal/db/dbtest"
)

const lockBody = `<?xml version="1.0" encoding="utf-8"?>
<D:lockinfo xmlns:D="DAV:"><D:lockscope><D:exclusive/></D:lockscope><D:locktype><D:write/></D:locktype>
<D:owner><D:href>%s</D:href></D:owner></D:lockinfo>`

// lock sends a LOCK and returns the answer and its token.
func (e *env) lock(m *member, url string, timeout string) (*resp, string) {
	e.t.Helper()
	h := map[string]string{"Content-Type": "application/xml", "Depth": "0"}
	if timeout != "" {
		h["Timeout"] = timeout
	}
	r := e.do(m, "LOCK", url, h, strings.NewReader(fmt.Sprintf(lockBody, m.email)))
	return r, strings.Trim(r.header.Get("Lock-Token"), "<>")
}

// LOCK and UNLOCK: database locks that take the document's check-out,
// conflict for a second user (423) and across instances, expire, and are
// needed (If header) for writing while they last.
func TestLocks(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		ag := e.a
		bau := e.folder(ag.admin.actor, uuid.Nil, "Bauamt")
		e.grant(ag, bau.ID, ag.alice, documents.Write)
		e.grant(ag, bau.ID, ag.bob, documents.Write)
		doc := e.upload(ag.alice.actor, bau.ID, "Plan.odt", "Inhalt 1")
		url := "/dav/" + ag.tenant.Slug + "/Bauamt/Plan.odt"

		r, tok := e.lock(ag.alice, url, "Second-600")
		want(t, r, http.StatusOK, "LOCK")
		if !strings.HasPrefix(tok, "urn:uuid:") || !strings.Contains(r.body, "<D:timeout>Second-600</D:timeout>") {
			t.Fatalf("LOCK answer: token %q body %s", tok, r.body)
		}
		got, err := e.docs.GetDocument(ctx, ag.bob.actor, doc.ID)
		must(t, err)
		if got.Lock == nil || got.Lock.OwnerID != ag.alice.actor.MembershipID {
			t.Fatalf("LOCK did not check the document out: %+v", got.Lock)
		}

		// A second user: LOCK, PUT, DELETE and MOVE all answer 423.
		r, _ = e.lock(ag.bob, url, "")
		want(t, r, http.StatusLocked, "second user's LOCK")
		want(t, e.do(ag.bob, "PUT", url, nil, strings.NewReader("fremd")), http.StatusLocked, "second user's PUT")
		want(t, e.do(ag.bob, "DELETE", url, nil, nil), http.StatusLocked, "second user's DELETE")
		// …also through another instance: the lock lives in the database.
		other := httptestServer(t, e.newDAV())
		r, _ = e.lock(ag.bob, other+url, "")
		want(t, r, http.StatusLocked, "LOCK through another instance")

		// The holder writes with the token in an If header; without it the
		// lock protects the document from the holder's other programs too.
		want(t, e.do(ag.alice, "PUT", url, nil, strings.NewReader("ohne Token")), http.StatusLocked, "PUT without token")
		r = e.do(ag.alice, "PUT", url, map[string]string{"If": "(<" + tok + ">)"}, strings.NewReader("Inhalt 2"))
		if r.status != http.StatusCreated && r.status != http.StatusNoContent {
			t.Fatalf("PUT with token: %d %s", r.status, r.body)
		}
		if e.content(ag.alice.actor, doc.ID) != "Inhalt 2" {
			t.Fatal("PUT with token stored nothing")
		}
		// A token is bound to its owner: bob cannot use alice's.
		want(t, e.do(ag.bob, "PUT", url, map[string]string{"If": "(<" + tok + ">)"}, strings.NewReader("x")),
			http.StatusPreconditionFailed, "PUT with someone else's token")
		want(t, e.do(ag.bob, "UNLOCK", url, map[string]string{"Lock-Token": "<" + tok + ">"}, nil), http.StatusForbidden, "UNLOCK by another user")

		// Refresh, then UNLOCK: the check-out is given back.
		r = e.do(ag.alice, "LOCK", url, map[string]string{"If": "(<" + tok + ">)", "Timeout": "Infinite"}, nil)
		want(t, r, http.StatusOK, "refresh")
		if !strings.Contains(r.body, "Second-3600") {
			t.Fatalf("an infinite refresh is not capped: %s", r.body)
		}
		want(t, e.do(ag.alice, "UNLOCK", url, map[string]string{"Lock-Token": "<" + tok + ">"}, nil), http.StatusNoContent, "UNLOCK")
		got, err = e.docs.GetDocument(ctx, ag.bob.actor, doc.ID)
		must(t, err)
		if got.Lock != nil {
			t.Fatalf("UNLOCK left the check-out: %+v", got.Lock)
		}

		// Expiry: a lock nobody refreshes lapses, with its check-out.
		r, _ = e.lock(ag.alice, url, "Second-60")
		want(t, r, http.StatusOK, "LOCK again")
		e.clock.Advance(61 * time.Second)
		r, tok = e.lock(ag.bob, url, "Second-60")
		want(t, r, http.StatusOK, "LOCK after expiry")
		want(t, e.do(ag.bob, "UNLOCK", url, map[string]string{"Lock-Token": "<" + tok + ">"}, nil), http.StatusNoContent, "bob's UNLOCK")

		// A check-out in the web app blocks a WebDAV LOCK of someone else.
		_, err = e.docs.CheckOut(ctx, ag.bob.actor, doc.ID, 0)
		must(t, err)
		r, _ = e.lock(ag.alice, url, "")
		want(t, r, http.StatusLocked, "LOCK of a checked-out document")
		want(t, e.do(ag.alice, "PUT", url, nil, strings.NewReader("x")), http.StatusLocked, "PUT to a checked-out document")
		_, err = e.docs.CheckIn(ctx, ag.bob.actor, doc.ID)
		must(t, err)

		// A read-only member may not lock.
		e.grant(ag, bau.ID, ag.carol, documents.Read)
		r, _ = e.lock(ag.carol, url, "")
		want(t, r, http.StatusForbidden, "LOCK with read permission")
	})
}
