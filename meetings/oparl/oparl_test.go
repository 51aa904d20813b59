package oparl_test

import (
	"bytes"
	"encoding/json"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/kollab/kollab/internal/db"
	"github.com/kollab/kollab/internal/db/dbtest"
	"github.com/kollab/kollab/meetings/oparl"
	"github.com/kollab/kollab/tenant"
)

// crawl follows every URL from the system object, validating each answer.
type crawl struct {
	f       *fixture
	t       *testing.T
	c       *checker
	seen    map[string]bool
	objects map[string]map[string]any // id → the object fetched on its own
	types   map[string]string         // id → type
	answers []string
	files   map[string][]byte // accessUrl → bytes
}

func newCrawl(t *testing.T, f *fixture) *crawl {
	return &crawl{f: f, t: t, c: &checker{t: t, inList: map[string]string{}, embedded: map[string][]string{}}, seen: map[string]bool{},
		objects: map[string]map[string]any{}, types: map[string]string{}, files: map[string][]byte{}}
}

// get fetches an API URL and checks what every answer must have.
func (cr *crawl) get(u string) response {
	cr.t.Helper()
	res := cr.f.do(cr.t, "GET", u)
	if res.header.Get("Access-Control-Allow-Origin") != "*" {
		cr.c.failf(u, "no CORS header")
	}
	cr.answers = append(cr.answers, string(res.body))
	return res
}

func (cr *crawl) getJSON(u string) any {
	cr.t.Helper()
	res := cr.get(u)
	if res.status != 200 {
		cr.c.failf(u, "status %d: %s", res.status, res.body)
		return nil
	}
	if ct := res.header.Get("Content-Type"); ct != "application/json; charset=utf-8" {
		cr.c.failf(u, "content type %q", ct)
	}
	if res.header.Get("ETag") == "" {
		cr.c.failf(u, "no ETag")
	}
	return decode(cr.t, res.body)
}

func (cr *crawl) run(start string) {
	queue := []link{{start, "System"}}
	for len(queue) > 0 {
		l := queue[0]
		queue = queue[1:]
		if cr.seen[l.want+" "+l.url] {
			continue
		}
		cr.seen[l.want+" "+l.url] = true
		switch {
		case l.want == "download":
			res := cr.get(l.url)
			if res.status != 200 {
				cr.c.failf(l.url, "download: status %d", res.status)
			}
			cr.files[l.url] = res.body
		case strings.HasPrefix(l.want, "list:"):
			typ := strings.TrimPrefix(l.want, "list:")
			all := cr.walk(l.url, typ)
			// The same list one element per page: same elements, same order.
			sep := "?"
			if strings.Contains(l.url, "?") {
				sep = "&"
			}
			if one := cr.walk(l.url+sep+"limit=1", typ); strings.Join(one, " ") != strings.Join(all, " ") {
				cr.c.failf(l.url, "paged one by one %v, whole %v", one, all)
			}
		case l.want == "System":
			v := cr.getJSON(l.url)
			cr.c.object("system", v, "System", false)
			if o, ok := v.(map[string]any); ok && o["oparlVersion"] != "https://schema.oparl.org/1.1/" {
				cr.c.failf(l.url, "oparlVersion %v", o["oparlVersion"])
			}
		default:
			v := cr.getJSON(l.url)
			cr.c.object(l.url, v, l.want, false)
			o, _ := v.(map[string]any)
			if o != nil && o["id"] != l.url {
				cr.c.failf(l.url, "fetched object has id %v", o["id"])
			}
			cr.objects[l.url], cr.types[l.url] = o, l.want
		}
		queue = append(queue, cr.c.links...)
		cr.c.links = nil
	}
}

// walk reads a list page by page along next, checking the links between
// pages, and returns the ids in order.
func (cr *crawl) walk(start, typ string) []string {
	var all []string
	u, prevSelf, total := start, "", 0
	for page := 1; ; page++ {
		v := cr.getJSON(u)
		if v == nil {
			return all
		}
		pg, links, ids := cr.c.list(u, v, typ)
		total = pg["totalElements"]
		if pg["currentPage"] != page {
			cr.c.failf(u, "currentPage %d, want %d", pg["currentPage"], page)
		}
		if links["self"] != u {
			cr.c.failf(u, "links.self %q", links["self"])
		}
		if page == 1 && links["first"] != u {
			cr.c.failf(u, "links.first %q on the first page", links["first"])
		}
		if page > 1 && links["prev"] != prevSelf {
			cr.c.failf(u, "links.prev %q, want %q", links["prev"], prevSelf)
		}
		all = append(all, ids...)
		if links["next"] == "" {
			if links["last"] != u {
				cr.c.failf(u, "links.last %q on the last page", links["last"])
			}
			break
		}
		if page > 200 {
			cr.c.failf(start, "more than 200 pages")
			break
		}
		prevSelf, u = u, links["next"]
	}
	seen := map[string]bool{}
	for _, id := range all {
		if seen[id] {
			cr.c.failf(start, "%s twice", id)
		}
		seen[id] = true
	}
	if len(all) != total {
		cr.c.failf(start, "%d elements over all pages, totalElements %d", len(all), total)
	}
	return all
}

// ids returns the ids (last path element) of the crawled objects of a type.
func (cr *crawl) ids(typ string) map[string]bool {
	out := map[string]bool{}
	for u, ty := range cr.types {
		if ty == typ {
			out[u[strings.LastIndex(u, "/")+1:]] = true
		}
	}
	return out
}

func set(ids ...any) map[string]bool {
	out := map[string]bool{}
	for _, id := range ids {
		switch v := id.(type) {
		case uuid.UUID:
			out[v.String()] = true
		case string:
			out[v] = true
		}
	}
	return out
}

func sameSet(a, b map[string]bool) bool {
	if len(a) != len(b) {
		return false
	}
	for k := range a {
		if !b[k] {
			return false
		}
	}
	return true
}

func TestOParl(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		bodyA := apiBase + "/bodies/" + f.a.ID.String()
		bodyB := apiBase + "/bodies/" + f.b.ID.String()

		// Crawl everything reachable from the entry point, validating each answer.
		cr := newCrawl(t, f)
		cr.run(apiBase + "/system")
		for id, el := range cr.c.inList {
			if o := cr.objects[id]; o != nil {
				b, _ := json.Marshal(o)
				if string(b) != el {
					cr.c.failf(id, "differs between its list and its own URL:\n%s\n%s", el, b)
				}
			}
		}
		// An embedded object is the object itself, less the back-reference to its parent.
		for id, els := range cr.c.embedded {
			o := cr.objects[id]
			if o == nil {
				cr.c.failf(id, "embedded but not reachable on its own")
				continue
			}
			own := map[string]any{}
			for k, v := range o {
				own[k] = v
			}
			for _, k := range backRefs[cr.types[id]] {
				delete(own, k)
			}
			b, _ := json.Marshal(own)
			for _, el := range els {
				if el != string(b) {
					cr.c.failf(id, "embedded differs from its own URL:\n%s\n%s", el, b)
				}
			}
		}
		for _, e := range cr.c.errs {
			t.Error(e)
		}
		if t.Failed() {
			t.FailNow()
		}

		// What is published: exactly the public part of tenant A.
		want := map[string]map[string]bool{
			"Body":         set(f.a.ID),
			"Organization": set(f.bau.ID),
			"Person":       set(f.chair.MembershipID, f.alice.MembershipID, f.bob.MembershipID),
			"Meeting":      set(f.m1.ID, f.m2.ID),
			"Location":     set(f.m1.ID),
			"AgendaItem":   set(f.i1.ID, f.i4.ID),
			// The trashed D3 is a tombstone: not in lists without modified_since (below).
			"Paper":           set(f.d1.ID),
			"File":            set(f.d1rev1.ID),
			"Consultation":    set(f.c1d1),
			"LegislativeTerm": set("2024-06-01"),
		}
		for typ, ids := range want {
			if got := cr.ids(typ); !sameSet(got, ids) {
				t.Errorf("%s published: %v, want %v", typ, got, ids)
			}
		}
		if n := len(cr.ids("Membership")); n != 3 {
			t.Errorf("%d memberships published, want 3", n)
		}

		// Nothing of the non-public item, the declined one, the frozen-later
		// revision, the private committee, the unpublishing tenant, e-mail
		// addresses or the meeting's online link appears in any answer.
		all := strings.Join(cr.answers, "\n")
		for what, s := range map[string]string{
			"non-public item": f.i2.Title, "non-public item id": f.i2.ID.String(),
			"its secret paper": f.d2.Title, "its paper id": f.d2.ID.String(), "its file": f.d2rev.ID.String(),
			"its consultations": f.c2d2.String(), "the public paper's consultation on it": f.c2d1.String(),
			"declined item": f.i3.Title, "declined item id": f.i3.ID.String(),
			"revision after the invitation": f.d1rev2.ID.String(), "unfrozen paper": f.d4.Title, "unfrozen paper id": f.d4.ID.String(),
			"private committee": f.personal.Name, "private committee id": f.personal.ID.String(), "its meeting": f.m3.ID.String(),
			"its item": f.i5.Title, "its paper": f.d5.Title, "its file id": f.d5rev.ID.String(),
			"private member": "Sigrid", "private member id": f.sigrid.MembershipID.String(),
			"e-mail addresses": "@example.org", "online link": "geheimer-raum", "secret bytes": "Kaufpreis",
			"tenant B": f.b.ID.String(), "B's name": "Nebenan", "B's meeting": f.bMeeting.ID.String(),
		} {
			if strings.Contains(all, s) {
				t.Errorf("%s (%q) appears in the API", what, s)
			}
		}

		// The system lists A's body only.
		var sys struct {
			Body string `json:"body"`
		}
		must(t, json.Unmarshal(f.do(t, "GET", apiBase+"/system").body, &sys))
		var bodies struct {
			Data []struct {
				ID string `json:"id"`
			} `json:"data"`
		}
		must(t, json.Unmarshal(f.do(t, "GET", sys.Body).body, &bodies))
		if len(bodies.Data) != 1 || bodies.Data[0].ID != bodyA {
			t.Fatalf("system.body lists %+v", bodies.Data)
		}

		// Mapping details.
		m1 := cr.objects[bodyA+"/meetings/"+f.m1.ID.String()]
		if m1["meetingState"] != "eingeladen" || m1["cancelled"] != false || m1["location"].(map[string]any)["description"] != "Rathaus, Saal 1" {
			t.Errorf("meeting 1: %v", m1)
		}
		if items := m1["agendaItem"].([]any); len(items) != 1 || items[0].(map[string]any)["name"] != f.i1.Title {
			t.Errorf("meeting 1's public agenda: %v", items)
		}
		if p := m1["participant"].([]any); len(p) != 2 {
			t.Errorf("meeting 1's participants: %v", p)
		}
		if m2 := cr.objects[bodyA+"/meetings/"+f.m2.ID.String()]; m2["meetingState"] != "terminiert" || m2["participant"] != nil {
			t.Errorf("meeting 2: %v", m2)
		}
		i1 := cr.objects[bodyA+"/agenda-items/"+f.i1.ID.String()]
		if i1["number"] != "1" || i1["result"] != "Beschlossen" || i1["public"] != true ||
			i1["consultation"] != bodyA+"/consultations/"+f.c1d1.String() || i1["meeting"] != bodyA+"/meetings/"+f.m1.ID.String() {
			t.Errorf("agenda item 1: %v", i1)
		}
		p1 := cr.objects[bodyA+"/papers/"+f.d1.ID.String()]
		mainFile := p1["mainFile"].(map[string]any)
		if p1["name"] != f.d1.Title || mainFile["id"] != bodyA+"/files/"+f.d1rev1.ID.String() || p1["auxiliaryFile"] != nil ||
			len(p1["consultation"].([]any)) != 1 || p1["reference"] != "AZ 61-vorlage.pdf" {
			t.Errorf("paper 1: %v", p1)
		}
		if got := cr.files[mainFile["accessUrl"].(string)]; !bytes.Equal(got, f.d1Bytes) {
			t.Errorf("file 1 downloads %q", got)
		}
		bob := cr.objects[bodyA+"/persons/"+f.bob.MembershipID.String()]
		ms := bob["membership"].([]any)[0].(map[string]any)
		if bob["name"] != "Bob Beirat" || ms["role"] != "Beratendes Mitglied" || ms["votingRight"] != false || ms["endDate"] == nil {
			t.Errorf("bob: %v", bob)
		}
		if org := cr.objects[bodyA+"/organizations/"+f.bau.ID.String()]; org["name"] != "Bauausschuss" || len(org["membership"].([]any)) != 3 {
			t.Errorf("organization: %v", org)
		}
		body := cr.objects[bodyA]
		if body["website"] != "https://www.musterhausen.example/" || body["name"] != "Stadt Musterhausen" {
			t.Errorf("body: %v", body)
		}

		// The trashed paper is a tombstone, and so are its file and
		// consultation: at their URLs, and in the lists asked for
		// modified_since (only there: OParl 1.1, "Filter").
		for _, u := range []string{bodyA + "/papers/" + f.d3.ID.String(), bodyA + "/files/" + f.d3rev.ID.String(),
			bodyA + "/consultations/" + f.c1d3.String()} {
			res := f.do(t, "GET", u)
			var o map[string]any
			must(t, json.Unmarshal(res.body, &o))
			if res.status != 200 || o["deleted"] != true || o["name"] != nil {
				t.Errorf("%s is no tombstone: %d %v", u, res.status, o)
			}
			typ := strings.TrimPrefix(o["type"].(string), oparl.Schema)
			c := &checker{t: t}
			c.object(u, decode(t, res.body), typ, false)
			for _, e := range c.errs {
				t.Error(e)
			}
			list := u[:strings.LastIndex(u, "/")]
			if in := listIDs(t, f, list); in[u] {
				t.Errorf("%s in %s without modified_since", u, list)
			}
			if in := listIDs(t, f, list+"?modified_since="+url.QueryEscape(f.mid.Format(time.RFC3339Nano))); !in[u] {
				t.Errorf("%s not in %s modified since the middle", u, list)
			}
		}
		if res := f.do(t, "GET", bodyA+"/files/"+f.d3rev.ID.String()+"/download"); res.status != 404 {
			t.Errorf("the trashed paper's file downloads: %d", res.status)
		}

		// Another tenant's ids, non-public and unknown ids: 404, the same problem.
		notFound := f.do(t, "GET", bodyA+"/meetings/"+uuid.NewString())
		for _, u := range []string{
			bodyB, bodyB + "/meetings", bodyB + "/meetings/" + f.bMeeting.ID.String(), bodyB + "/legislative-terms",
			bodyB + "/files/" + f.bRev.ID.String() + "/download",
			bodyA + "/meetings/" + f.bMeeting.ID.String(), bodyA + "/agenda-items/" + f.bItem.ID.String(),
			bodyA + "/papers/" + f.bDoc.ID.String(), bodyA + "/consultations/" + f.bPaper.String(),
			bodyA + "/files/" + f.bRev.ID.String(), bodyA + "/files/" + f.bRev.ID.String() + "/download",
			bodyA + "/agenda-items/" + f.i2.ID.String(), bodyA + "/agenda-items/" + f.i3.ID.String(),
			bodyA + "/agenda-items/" + f.i5.ID.String(), bodyA + "/meetings/" + f.m3.ID.String(),
			bodyA + "/organizations/" + f.personal.ID.String(), bodyA + "/organizations/" + f.personal.ID.String() + "/meetings",
			bodyA + "/persons/" + f.sigrid.MembershipID.String(), bodyA + "/persons/" + f.adminA.MembershipID.String(),
			bodyA + "/papers/" + f.d2.ID.String(), bodyA + "/papers/" + f.d4.ID.String(),
			bodyA + "/files/" + f.d2rev.ID.String(), bodyA + "/files/" + f.d2rev.ID.String() + "/download",
			bodyA + "/files/" + f.d1rev2.ID.String() + "/download", bodyA + "/consultations/" + f.c2d1.String(),
			bodyA + "/legislative-terms/2019-06-01", bodyA + "/legislative-terms/current", bodyA + "/meetings/not-a-uuid",
			bodyA + "/votes", apiBase + "/bodies/" + uuid.NewString(), apiBase + "/nothing",
		} {
			res := f.do(t, "GET", u)
			if res.status != 404 || !bytes.Equal(res.body, notFound.body) || res.header.Get("Access-Control-Allow-Origin") != "*" ||
				res.header.Get("Content-Type") != "application/problem+json" {
				t.Errorf("GET %s: %d %s", u, res.status, res.body)
			}
		}
		// Filters.
		count := func(u string) int {
			t.Helper()
			res := f.do(t, "GET", u)
			if res.status != 200 {
				t.Fatalf("GET %s: %d %s", u, res.status, res.body)
			}
			var l struct {
				Pagination struct {
					TotalElements int `json:"totalElements"`
				} `json:"pagination"`
				Data []map[string]any `json:"data"`
			}
			must(t, json.Unmarshal(res.body, &l))
			if l.Pagination.TotalElements != len(l.Data) {
				t.Fatalf("GET %s: total %d, %d elements", u, l.Pagination.TotalElements, len(l.Data))
			}
			return len(l.Data)
		}
		q := func(name string, tm time.Time) string {
			return name + "=" + url.QueryEscape(tm.Format(time.RFC3339Nano))
		}
		for _, k := range []string{"organizations", "persons", "memberships", "meetings", "agenda-items", "papers", "files",
			"consultations", "locations", "legislative-terms"} {
			list := bodyA + "/" + k
			n := count(list)
			if n == 0 {
				t.Errorf("%s is empty", k)
			}
			if got := count(list + "?" + q("created_since", f.beforeAll)); got != n {
				t.Errorf("%s created since before everything: %d of %d", k, got, n)
			}
			for _, filter := range []string{q("created_since", f.afterAll), q("modified_since", f.afterAll), q("created_until", f.beforeAll),
				q("modified_until", f.beforeAll), q("created_since", f.afterAll) + "&" + q("created_until", f.beforeAll)} {
				if got := count(list + "?" + filter); got != 0 {
					t.Errorf("%s?%s: %d elements", k, filter, got)
				}
			}
		}
		// Since the middle of the fixture only the trashing happened: the
		// tombstones, and the agenda item and meeting that embed the paper.
		for k, wantN := range map[string]int{"papers": 1, "files": 1, "consultations": 1, "agenda-items": 1, "meetings": 1, "persons": 0, "organizations": 0} {
			if got := count(bodyA + "/" + k + "?" + q("modified_since", f.mid)); got != wantN {
				t.Errorf("%s modified since the middle: %d, want %d", k, got, wantN)
			}
		}
		if got := count(bodyA + "/papers?" + q("modified_until", f.mid)); got != 1 {
			t.Errorf("papers modified until the middle: %d, want 1", got)
		}
		// A time zone offset given with an unencoded '+' arrives as a space and is still understood.
		if got := count(bodyA + "/papers?modified_since=" + strings.ReplaceAll(f.afterAll.In(tenant.Berlin).Format(time.RFC3339), "+", "%20")); got != 0 {
			t.Errorf("unencoded plus: %d", got)
		}
		for _, bad := range []string{"?created_since=gestern", "?modified_until=2026-01-01", "?modified_since=2026-01-01T10:00:00",
			"?limit=0", "?limit=zehn", "?page=0", "?elementsPerPage=-1"} {
			res := f.do(t, "GET", bodyA+"/meetings"+bad)
			var p struct {
				Status int    `json:"status"`
				Field  string `json:"field"`
			}
			_ = json.Unmarshal(res.body, &p)
			if res.status != 400 || p.Status != 400 || p.Field == "" || res.header.Get("Content-Type") != "application/problem+json" ||
				res.header.Get("Access-Control-Allow-Origin") != "*" {
				t.Errorf("meetings%s: %d %s", bad, res.status, res.body)
			}
		}
		res := f.do(t, "GET", bodyA+"/meetings?limit=100000")
		var big oparl.List
		must(t, json.Unmarshal(res.body, &big))
		if big.Pagination.ElementsPerPage != oparl.MaxPerPage || !strings.Contains(big.Links.Self, "limit=500") {
			t.Errorf("limit not bounded: %+v", big.Pagination)
		}
		if res := f.do(t, "GET", bodyA+"/meetings?page=3"); res.status != 404 {
			t.Errorf("a page past the end: %d", res.status)
		}
		// Filters carry over to the other pages.
		res = f.do(t, "GET", bodyA+"/meetings?limit=1&"+q("created_since", f.beforeAll))
		var l1 oparl.List
		must(t, json.Unmarshal(res.body, &l1))
		if !strings.Contains(l1.Links.Next, "created_since=") || !strings.Contains(l1.Links.Next, "page=2") || !strings.Contains(l1.Links.Next, "limit=1") {
			t.Errorf("next link %q", l1.Links.Next)
		}

		// HTTP: CORS preflight, ETag revalidation, ranges, HEAD.
		pre := f.do(t, "OPTIONS", bodyA+"/meetings", "Origin", "https://buergerportal.example", "Access-Control-Request-Method", "GET")
		if pre.status != 204 || pre.header.Get("Access-Control-Allow-Origin") != "*" || !strings.Contains(pre.header.Get("Access-Control-Allow-Methods"), "GET") {
			t.Errorf("preflight: %d %v", pre.status, pre.header)
		}
		first := f.do(t, "GET", bodyA)
		if first.header.Get("Cache-Control") == "" || first.header.Get("ETag") == "" {
			t.Errorf("caching headers: %v", first.header)
		}
		if again := f.do(t, "GET", bodyA, "If-None-Match", first.header.Get("ETag")); again.status != 304 {
			t.Errorf("revalidation: %d", again.status)
		}
		file := mainFile["accessUrl"].(string)
		part := f.do(t, "GET", file, "Range", "bytes=0-3")
		if part.status != 206 || string(part.body) != "%PDF" || part.header.Get("Content-Range") != "bytes 0-3/"+strconv.Itoa(len(f.d1Bytes)) {
			t.Errorf("range: %d %q %v", part.status, part.body, part.header)
		}
		if res := f.do(t, "GET", file, "Range", "bytes=9999-"); res.status != 416 {
			t.Errorf("range past the end: %d", res.status)
		}
		full := f.do(t, "GET", file)
		if full.header.Get("ETag") != `"`+f.d1rev1.SHA256+`"` || !strings.HasPrefix(full.header.Get("Content-Disposition"), "inline") ||
			full.header.Get("X-Content-Type-Options") != "nosniff" || full.header.Get("Access-Control-Allow-Origin") != "*" {
			t.Errorf("download headers: %v", full.header)
		}
		if dl := f.do(t, "GET", mainFile["downloadUrl"].(string)); dl.status != 200 || !strings.HasPrefix(dl.header.Get("Content-Disposition"), "attachment") {
			t.Errorf("downloadUrl: %d %v", dl.status, dl.header)
		}
		if head := f.do(t, "HEAD", file); head.status != 200 || len(head.body) != 0 || head.header.Get("Content-Length") != strconv.Itoa(len(f.d1Bytes)) {
			t.Errorf("HEAD: %d %v", head.status, head.header)
		}
		if res := f.do(t, "GET", file, "If-None-Match", full.header.Get("ETag")); res.status != 304 {
			t.Errorf("file revalidation: %d", res.status)
		}

		// Publication follows the settings: B publishes, then A stops.
		bSettings := f.b.Settings
		bSettings.OParl.Public = true
		_, err := f.tenants.UpdateSettings(ctx, tenant.Operator(f.b.ID), bSettings)
		must(t, err)
		if res := f.do(t, "GET", bodyB+"/meetings/"+f.bMeeting.ID.String()); res.status != 200 {
			t.Errorf("B's meeting once B publishes: %d", res.status)
		}
		if res := f.do(t, "GET", bodyA+"/meetings/"+f.bMeeting.ID.String()); res.status != 404 {
			t.Errorf("B's meeting under A: %d", res.status)
		}
		// B lists no legislative terms: one open term stands in.
		var bBody oparl.Body
		must(t, json.Unmarshal(f.do(t, "GET", bodyB).body, &bBody))
		if len(bBody.LegislativeTerm) != 1 || bBody.LegislativeTerm[0].ID != bodyB+"/legislative-terms/current" || bBody.LegislativeTerm[0].EndDate != "" {
			t.Errorf("B's legislative terms: %+v", bBody.LegislativeTerm)
		}
		if res := f.do(t, "GET", bodyB+"/legislative-terms/current"); res.status != 200 {
			t.Errorf("B's current term: %d", res.status)
		}
		aSettings := f.a.Settings
		aSettings.OParl.Public = false
		_, err = f.tenants.UpdateSettings(ctx, tenant.Operator(f.a.ID), aSettings)
		must(t, err)
		if res := f.do(t, "GET", bodyA+"/meetings/"+f.m1.ID.String()); res.status != 404 {
			t.Errorf("A's meeting once A stops publishing: %d", res.status)
		}
		must(t, json.Unmarshal(f.do(t, "GET", sys.Body).body, &bodies))
		if len(bodies.Data) != 1 || bodies.Data[0].ID != bodyB {
			t.Errorf("system.body after the switch: %+v", bodies.Data)
		}
	})
}

// listIDs reads one page of a list and returns the ids in it.
func listIDs(t *testing.T, f *fixture, u string) map[string]bool {
	t.Helper()
	res := f.do(t, "GET", u)
	if res.status != 200 {
		t.Fatalf("GET %s: %d %s", u, res.status, res.body)
	}
	var l struct {
		Data []struct {
			ID string `json:"id"`
		} `json:"data"`
	}
	must(t, json.Unmarshal(res.body, &l))
	out := map[string]bool{}
	for _, o := range l.Data {
		out[o.ID] = true
	}
	return out
}
