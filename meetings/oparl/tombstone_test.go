package oparl_test

import (
	"encoding/json"
	"net/url"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/google/uuid"
	"github.com/kollab/kollab/documents"
	"github.com/kollab/kollab/internal/db"
	"github.com/kollab/kollab/internal/db/dbtest"
	"github.com/kollab/kollab/internal/storage"
	"github.com/kollab/kollab/meetings"
	"github.com/kollab/kollab/meetings/oparl"
	"github.com/kollab/kollab/meetings/render"
	"github.com/kollab/kollab/tenant"
	"github.com/kollab/kollab/tenant/auth/password"
)

// newLight is a fixture with one publishing tenant (A, two legislative
// terms) and nothing in it yet; pub fills it.
func newLight(t *testing.T, d *db.DB) *fixture {
	t.Helper()
	f := &fixture{d: d, tenants: tenant.NewService(d, password.NewHasher(password.HighEntropy))}
	st, err := storage.NewFS(t.TempDir())
	must(t, err)
	f.docs = documents.NewService(d, documents.WithStore(st))
	f.svc = meetings.NewService(d, f.docs, render.Renderer{})
	f.app = fiber.New()
	oparl.New(oparl.Config{PublicURL: publicURL}, oparl.Deps{DB: d, Store: st}).Mount(f.app)
	suffix := uuid.NewString()[:8]
	f.a, err = f.tenants.CreateTenant(ctx, "ort-"+suffix, "Stadt Ort")
	must(t, err)
	f.a, err = f.tenants.UpdateSettings(ctx, tenant.Operator(f.a.ID), tenant.Settings{OParl: tenant.OParlSettings{Public: true,
		LegislativeTerms: []tenant.LegislativeTerm{{Name: "Wahlperiode 2019–2024", Start: "2019-06-01", End: "2024-05-31"},
			{Name: "Wahlperiode 2024–2029", Start: "2024-06-01"}}}})
	must(t, err)
	f.adminA = f.member(t, f.a, tenant.RoleAdmin, "Ada Admin")
	return f
}

// pubSet is one public committee with everything OParl shows: a seat,
// a meeting with a place, a public accepted item and a frozen paper.
type pubSet struct {
	comm    *meetings.Committee
	member  tenant.Actor
	seat    uuid.UUID
	meeting *meetings.Meeting
	mIn     meetings.MeetingInput
	item    *meetings.AgendaItem
	doc     *documents.Document
	rev     *documents.Revision
	paper   uuid.UUID // the consultation
}

func (f *fixture) pub(t *testing.T, tn *tenant.Tenant, admin tenant.Actor, name string) *pubSet {
	t.Helper()
	p := &pubSet{}
	var err error
	p.comm, err = f.svc.CreateCommittee(ctx, admin, meetings.CommitteeInput{Name: name, Public: true})
	must(t, err)
	p.member = f.member(t, tn, tenant.RoleCommittee, "Mitglied "+name)
	m, err := f.svc.SetMember(ctx, admin, p.comm.ID, meetings.MemberInput{MembershipID: p.member.MembershipID, Role: meetings.RoleMember, Voting: true})
	must(t, err)
	p.seat = m.ID
	folder, err := f.docs.CreateFolder(ctx, admin, uuid.Nil, "Unterlagen "+name)
	must(t, err)
	p.doc, p.rev = f.upload(t, admin, folder.ID, "Vorlage "+name, "vorlage.txt", []byte("Vorlage "+name))
	now := time.Now().UTC()
	p.mIn = meetings.MeetingInput{Title: "Sitzung " + name, StartsAt: now.Add(time.Hour), EndsAt: now.Add(2 * time.Hour), Place: "Rathaus"}
	p.meeting, err = f.svc.CreateMeeting(ctx, admin, p.comm.ID, p.mIn)
	must(t, err)
	p.item, err = f.svc.AddAgendaItem(ctx, admin, p.meeting.ID, meetings.AgendaItemInput{Title: "Punkt " + name, Public: true})
	must(t, err)
	pp, err := f.svc.AttachPaper(ctx, admin, p.item.ID, p.doc.ID)
	must(t, err)
	p.paper = pp.ID
	_, err = f.svc.AdvanceMeeting(ctx, admin, p.meeting.ID, meetings.Invited) // freezes the paper
	must(t, err)
	return p
}

// ref is an OParl object by list path and id.
type ref struct{ path, id string }

func (r ref) url(f *fixture, tn *tenant.Tenant) string {
	b := apiBase + "/bodies/" + tn.ID.String()
	if r.path == "" {
		return b
	}
	return b + "/" + r.path + "/" + r.id
}

func (r ref) list(f *fixture, tn *tenant.Tenant) string {
	if r.path == "" {
		return apiBase + "/bodies"
	}
	return apiBase + "/bodies/" + tn.ID.String() + "/" + r.path
}

func org(p *pubSet) ref { return ref{"organizations", p.comm.ID.String()} }
func person(a tenant.Actor) ref {
	return ref{"persons", a.MembershipID.String()}
}
func membership(id uuid.UUID) ref { return ref{"memberships", id.String()} }
func meeting(p *pubSet) ref       { return ref{"meetings", p.meeting.ID.String()} }
func location(p *pubSet) ref      { return ref{"locations", p.meeting.ID.String()} }
func item(p *pubSet) ref          { return ref{"agenda-items", p.item.ID.String()} }
func consultation(id uuid.UUID) ref {
	return ref{"consultations", id.String()}
}
func paper(p *pubSet) ref { return ref{"papers", p.doc.ID.String()} }
func file(p *pubSet) ref  { return ref{"files", p.rev.ID.String()} }

// shown is an object's created and modified as the API shows them.
type shown struct {
	created, modified time.Time
	deleted           bool
	raw               map[string]any
}

func (f *fixture) shownAt(t *testing.T, u string) (shown, int) {
	t.Helper()
	res := f.do(t, "GET", u)
	if res.status != 200 {
		return shown{}, res.status
	}
	var o map[string]any
	must(t, json.Unmarshal(res.body, &o))
	s := shown{raw: o, deleted: o["deleted"] == true}
	var err error
	if s.created, err = time.Parse(time.RFC3339, str(o["created"])); err != nil {
		t.Fatalf("%s: created %v", u, o["created"])
	}
	if s.modified, err = time.Parse(time.RFC3339, str(o["modified"])); err != nil {
		t.Fatalf("%s: modified %v", u, o["modified"])
	}
	return s, 200
}

func str(v any) string { s, _ := v.(string); return s }

// TestTombstones makes objects of every OParl type leave the publication
// in every way Kollab has, and checks what OParl 1.1 asks for: the object
// answers 200 at its URL as {id, type, created, modified, deleted: true}
// with its created kept and a later modified; a list shows it when asked
// for modified_since and not otherwise; and every object that embeds or
// names it changed its modified. Some come back afterwards: they are
// published again with a modified past the deletion.
func TestTombstones(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newLight(t, d)
		a := f.a

		type tcase struct {
			name string
			// gone leave, parents must show a later modified, stay must stay published.
			gone, parents, stay []ref
			remove              func()
			// back, when set, publishes them again.
			back func()
			// tn is the tenant of the objects (A unless set).
			tn *tenant.Tenant
		}
		var cases []*tcase

		// Committee made non-public: everything of it goes, of every type.
		var private *pubSet
		{
			p := f.pub(t, a, f.adminA, "Ausschuss privat")
			private = p
			cases = append(cases, &tcase{name: "committee made non-public",
				gone: []ref{org(p), person(p.member), membership(p.seat), meeting(p), location(p), item(p),
					consultation(p.paper), paper(p), file(p)},
				remove: func() {
					_, err := f.svc.UpdateCommittee(ctx, f.adminA, p.comm.ID, meetings.CommitteeInput{Name: p.comm.Name})
					must(t, err)
				},
				back: func() {
					_, err := f.svc.UpdateCommittee(ctx, f.adminA, p.comm.ID, meetings.CommitteeInput{Name: p.comm.Name, Public: true})
					must(t, err)
				}})
		}
		// A seat deleted before its term began (RemoveMember deletes it):
		// the Membership goes, and the Person who sat nowhere else.
		{
			p := f.pub(t, a, f.adminA, "Ausschuss Sitz")
			x := f.member(t, a, tenant.RoleCommittee, "Nachrückerin")
			start := time.Now().UTC().Add(30 * 24 * time.Hour)
			m, err := f.svc.SetMember(ctx, f.adminA, p.comm.ID, meetings.MemberInput{MembershipID: x.MembershipID,
				Role: meetings.RoleMember, Voting: true, TermStart: start})
			must(t, err)
			cases = append(cases, &tcase{name: "future seat deleted",
				gone: []ref{membership(m.ID), person(x)}, parents: []ref{org(p)}, stay: []ref{person(p.member)},
				remove: func() { must(t, f.svc.RemoveMember(ctx, f.adminA, p.comm.ID, x.MembershipID)) }})
		}
		// The same, for a person who keeps a seat elsewhere: the Person
		// stays and its memberships change.
		{
			p := f.pub(t, a, f.adminA, "Ausschuss Doppel")
			q := f.pub(t, a, f.adminA, "Ausschuss Zweitsitz")
			start := time.Now().UTC().Add(30 * 24 * time.Hour)
			m, err := f.svc.SetMember(ctx, f.adminA, q.comm.ID, meetings.MemberInput{MembershipID: p.member.MembershipID,
				Role: meetings.RoleMember, Voting: true, TermStart: start})
			must(t, err)
			cases = append(cases, &tcase{name: "future seat deleted, person sits elsewhere",
				gone: []ref{membership(m.ID)}, parents: []ref{person(p.member), org(q)}, stay: []ref{membership(p.seat)},
				remove: func() { must(t, f.svc.RemoveMember(ctx, f.adminA, q.comm.ID, p.member.MembershipID)) }})
		}
		// A meeting's place removed: its Location goes.
		{
			p := f.pub(t, a, f.adminA, "Ausschuss Ort")
			in := p.mIn
			cases = append(cases, &tcase{name: "place removed",
				gone: []ref{location(p)}, parents: []ref{meeting(p)}, stay: []ref{item(p)},
				remove: func() {
					in.Place = ""
					_, err := f.svc.UpdateMeeting(ctx, f.adminA, p.meeting.ID, in)
					must(t, err)
				},
				back: func() {
					in.Place = "Rathaus, Saal 2"
					_, err := f.svc.UpdateMeeting(ctx, f.adminA, p.meeting.ID, in)
					must(t, err)
				}})
		}
		// An agenda item made non-public: it goes with its papers.
		{
			p := f.pub(t, a, f.adminA, "Ausschuss Punkt")
			set := func(public bool) {
				_, err := f.svc.UpdateAgendaItem(ctx, f.adminA, p.item.ID, meetings.AgendaItemInput{Title: p.item.Title, Public: public})
				must(t, err)
			}
			cases = append(cases, &tcase{name: "agenda item made non-public",
				gone: []ref{item(p), consultation(p.paper), paper(p), file(p)}, parents: []ref{meeting(p)},
				stay: []ref{location(p), org(p)}, remove: func() { set(false) }, back: func() { set(true) }})
		}
		// A paper detached from its only item: Consultation, Paper and File go.
		{
			p := f.pub(t, a, f.adminA, "Ausschuss Abkopplung")
			cases = append(cases, &tcase{name: "paper detached",
				gone: []ref{consultation(p.paper), paper(p), file(p)}, parents: []ref{item(p), meeting(p)},
				remove: func() { must(t, f.svc.DetachPaper(ctx, f.adminA, p.item.ID, p.doc.ID)) }})
		}
		// A paper detached from one of two items: only that Consultation goes.
		{
			p := f.pub(t, a, f.adminA, "Ausschuss Zweimal")
			second, err := f.svc.AddAgendaItem(ctx, f.adminA, p.meeting.ID, meetings.AgendaItemInput{Title: "Zweiter Punkt", Public: true})
			must(t, err)
			pp, err := f.svc.AttachPaper(ctx, f.adminA, second.ID, p.doc.ID)
			must(t, err)
			cases = append(cases, &tcase{name: "paper detached from one of two items",
				gone: []ref{consultation(p.paper)}, parents: []ref{paper(p), file(p), item(p), meeting(p)},
				stay:   []ref{consultation(pp.ID), {"agenda-items", second.ID.String()}},
				remove: func() { must(t, f.svc.DetachPaper(ctx, f.adminA, p.item.ID, p.doc.ID)) }})
		}
		// A document trashed (and restored), and one trashed and purged.
		{
			p := f.pub(t, a, f.adminA, "Ausschuss Papierkorb")
			cases = append(cases, &tcase{name: "document trashed",
				gone: []ref{consultation(p.paper), paper(p), file(p)}, parents: []ref{item(p), meeting(p)},
				remove: func() { must(t, f.docs.DeleteDocument(ctx, f.adminA, p.doc.ID, 0)) },
				back: func() {
					_, err := f.docs.RestoreDocument(ctx, f.adminA, p.doc.ID)
					must(t, err)
				}})
			q := f.pub(t, a, f.adminA, "Ausschuss Vernichtung")
			cases = append(cases, &tcase{name: "document purged",
				gone: []ref{consultation(q.paper), paper(q), file(q)}, parents: []ref{item(q), meeting(q)},
				remove: func() {
					must(t, f.docs.DeleteDocument(ctx, f.adminA, q.doc.ID, 0))
					_, err := f.docs.PurgeDocument(ctx, f.adminA, q.doc.ID)
					must(t, err)
				}})
		}
		// A legislative term deleted from the settings.
		cases = append(cases, &tcase{name: "legislative term deleted",
			gone: []ref{{"legislative-terms", "2019-06-01"}}, parents: []ref{{}}, stay: []ref{{"legislative-terms", "2024-06-01"}},
			remove: func() {
				st := a.Settings
				st.OParl.LegislativeTerms = st.OParl.LegislativeTerms[1:]
				_, err := f.tenants.UpdateSettings(ctx, tenant.Operator(a.ID), st)
				must(t, err)
			}})
		// A body that stops publishing: the Body is a tombstone, everything
		// in it answers 404.
		b, err := f.tenants.CreateTenant(ctx, "nachbar-"+uuid.NewString()[:8], "Gemeinde Nachbar")
		must(t, err)
		b, err = f.tenants.UpdateSettings(ctx, tenant.Operator(b.ID), tenant.Settings{OParl: tenant.OParlSettings{Public: true}})
		must(t, err)
		adminB := f.member(t, b, tenant.RoleAdmin, "Bert Nachbar")
		pb := f.pub(t, b, adminB, "Ausschuss Nachbar")
		cases = append(cases, &tcase{name: "body withdrawn", tn: b, gone: []ref{{}},
			remove: func() {
				st := b.Settings
				st.OParl.Public = false
				_, err := f.tenants.UpdateSettings(ctx, tenant.Operator(b.ID), st)
				must(t, err)
			},
			back: func() {
				_, err := f.tenants.UpdateSettings(ctx, tenant.Operator(b.ID), b.Settings)
				must(t, err)
			}})

		// Every type is covered.
		types := map[string]bool{}
		for _, c := range cases {
			for _, g := range c.gone {
				types[g.path] = true
			}
		}
		for _, k := range []string{"", "legislative-terms", "organizations", "persons", "memberships", "meetings", "locations",
			"agenda-items", "consultations", "papers", "files"} {
			if !types[k] {
				t.Errorf("no case makes a %q leave", k)
			}
		}

		// Before: everything is published.
		before := map[string]shown{}
		for _, c := range cases {
			if c.tn == nil {
				c.tn = a
			}
			for _, r := range append(append(append([]ref{}, c.gone...), c.parents...), c.stay...) {
				u := r.url(f, c.tn)
				s, status := f.shownAt(t, u)
				if status != 200 || s.deleted {
					t.Fatalf("%s: %s before: %d %v", c.name, u, status, s.raw)
				}
				before[u] = s
			}
		}
		// The API shows whole seconds: leave at least one between.
		time.Sleep(1100 * time.Millisecond)
		cut := time.Now().UTC().Truncate(time.Second) // the API shows whole seconds
		since := "modified_since=" + url.QueryEscape(cut.Format(time.RFC3339Nano))
		for _, c := range cases {
			c.remove()
		}

		for _, c := range cases {
			for _, r := range c.gone {
				u := r.url(f, c.tn)
				res := f.do(t, "GET", u)
				if res.status != 200 {
					t.Errorf("%s: %s answers %d, want 200 (a tombstone)", c.name, u, res.status)
					continue
				}
				var o map[string]any
				must(t, json.Unmarshal(res.body, &o))
				keys := make([]string, 0, len(o))
				for k := range o {
					keys = append(keys, k)
				}
				sort.Strings(keys)
				s, _ := f.shownAt(t, u)
				typ := strings.TrimPrefix(str(o["type"]), oparl.Schema)
				switch {
				case strings.Join(keys, ",") != "created,deleted,id,modified,type" || o["deleted"] != true || o["id"] != u:
					t.Errorf("%s: %s is no tombstone: %s", c.name, u, res.body)
				case typ != str(before[u].raw["type"])[len(oparl.Schema):]:
					t.Errorf("%s: %s type %s, was %v", c.name, u, typ, before[u].raw["type"])
				case !s.created.Equal(before[u].created):
					t.Errorf("%s: %s created %v, was %v", c.name, u, s.created, before[u].created)
				case !s.modified.After(before[u].modified) || s.modified.Before(cut):
					t.Errorf("%s: %s modified %v, was %v (removed after %v)", c.name, u, s.modified, before[u].modified, cut)
				}
				ch := &checker{t: t}
				ch.object(u, decode(t, res.body), typ, false)
				for _, e := range ch.errs {
					t.Error(c.name + ": " + e)
				}
				list := r.list(f, c.tn)
				if listIDs(t, f, list)[u] {
					t.Errorf("%s: %s in %s without modified_since", c.name, u, list)
				}
				if el := listElement(t, f, list+"?"+since, u); el == nil || el["deleted"] != true {
					t.Errorf("%s: %s not in %s?%s as a tombstone: %v", c.name, u, list, since, el)
				}
			}
			for _, r := range c.parents {
				u := r.url(f, c.tn)
				s, status := f.shownAt(t, u)
				if status != 200 || s.deleted {
					t.Errorf("%s: parent %s: %d %v", c.name, u, status, s.raw)
					continue
				}
				if !s.modified.After(before[u].modified) {
					t.Errorf("%s: parent %s modified %v, was %v", c.name, u, s.modified, before[u].modified)
				}
				if el := listElement(t, f, r.list(f, c.tn)+"?"+since, u); el == nil || el["deleted"] == true {
					t.Errorf("%s: parent %s not in its list modified since the removal: %v", c.name, u, el)
				}
			}
			for _, r := range c.stay {
				u := r.url(f, c.tn)
				if s, status := f.shownAt(t, u); status != 200 || s.deleted {
					t.Errorf("%s: %s should stay published: %d %v", c.name, u, status, s.raw)
				}
			}
		}
		// The meeting list of a non-public organization answers 404.
		if res := f.do(t, "GET", org(private).url(f, a)+"/meetings?"+since); res.status != 404 {
			t.Errorf("the meetings of the non-public organization answer %d", res.status)
		}
		// What a withdrawn body published answers 404.
		for _, r := range []ref{org(pb), meeting(pb), paper(pb), {"legislative-terms", "current"}} {
			if res := f.do(t, "GET", r.url(f, b)); res.status != 404 {
				t.Errorf("withdrawn body: %s answers %d", r.url(f, b), res.status)
			}
		}
		if res := f.do(t, "GET", apiBase+"/bodies/"+b.ID.String()+"/meetings?"+since); res.status != 404 {
			t.Errorf("withdrawn body: its meeting list answers %d", res.status)
		}
		// The tombstones are the tenant's: under another body they are unknown.
		other := apiBase + "/bodies/" + b.ID.String()
		for _, c := range cases {
			if c.tn != a {
				continue
			}
			for _, r := range c.gone {
				if r.path == "" || r.path == "legislative-terms" {
					continue
				}
				if res := f.do(t, "GET", other+"/"+r.path+"/"+r.id); res.status != 404 {
					t.Errorf("%s: under the other body %s answers %d", c.name, r.path, res.status)
				}
			}
		}
		if t.Failed() {
			return
		}

		// Back: published again, with a modified past the deletion.
		deleted := map[string]shown{}
		for _, c := range cases {
			if c.back == nil {
				continue
			}
			for _, r := range c.gone {
				u := r.url(f, c.tn)
				deleted[u], _ = f.shownAt(t, u)
			}
		}
		time.Sleep(1100 * time.Millisecond)
		cut2 := time.Now().UTC().Truncate(time.Second)
		since2 := "modified_since=" + url.QueryEscape(cut2.Format(time.RFC3339Nano))
		for _, c := range cases {
			if c.back != nil {
				c.back()
			}
		}
		for _, c := range cases {
			if c.back == nil {
				continue
			}
			for _, r := range c.gone {
				u := r.url(f, c.tn)
				s, status := f.shownAt(t, u)
				switch {
				case status != 200 || s.deleted:
					t.Errorf("%s, back: %s: %d %v", c.name, u, status, s.raw)
				case !s.modified.After(deleted[u].modified):
					t.Errorf("%s, back: %s modified %v, deleted at %v", c.name, u, s.modified, deleted[u].modified)
				case !s.created.Equal(before[u].created):
					t.Errorf("%s, back: %s created %v, was %v", c.name, u, s.created, before[u].created)
				}
				if el := listElement(t, f, r.list(f, c.tn)+"?"+since2, u); el == nil || el["deleted"] == true {
					t.Errorf("%s, back: %s not in its list modified since: %v", c.name, u, el)
				}
				if !listIDs(t, f, r.list(f, c.tn))[u] {
					t.Errorf("%s, back: %s not in %s", c.name, u, r.list(f, c.tn))
				}
			}
		}
	})
}

// listElement returns the element with id u of a list (all pages), or nil.
func listElement(t *testing.T, f *fixture, list, u string) map[string]any {
	t.Helper()
	next := list
	for range 100 {
		res := f.do(t, "GET", next)
		if res.status != 200 {
			t.Fatalf("GET %s: %d %s", next, res.status, res.body)
		}
		var l struct {
			Data  []map[string]any `json:"data"`
			Links struct {
				Next string `json:"next"`
			} `json:"links"`
		}
		must(t, json.Unmarshal(res.body, &l))
		for _, o := range l.Data {
			if o["id"] == u {
				return o
			}
		}
		if l.Links.Next == "" {
			return nil
		}
		next = l.Links.Next
	}
	t.Fatalf("%s: too many pages", list)
	return nil
}
