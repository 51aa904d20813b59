package oparl_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/google/uuid"
	"github.com/kollab/kollab/documents"
	"github.com/kollab/kollab/internal/db"
	"github.com/kollab/kollab/internal/storage"
	"github.com/kollab/kollab/internal/testenv/seed"
	"github.com/kollab/kollab/meetings"
	"github.com/kollab/kollab/meetings/oparl"
	"github.com/kollab/kollab/meetings/render"
	"github.com/kollab/kollab/tenant"
	"github.com/kollab/kollab/tenant/auth/password"
)

var ctx = context.Background()

// publicURL is the configured base of every URL the API builds.
const publicURL = "https://kollab.example"

// apiBase is the API's absolute base URL.
const apiBase = publicURL + oparl.Prefix

// fixture is two tenants on one database, built through the committee and
// document services: A publishes, B does not.
//
// A has a public committee (Bauausschuss) and a private one
// (Personalausschuss). The Bauausschuss's first meeting (invited, held,
// closed) has a public item with papers D1 and D3 and a named poll that
// passed, a non-public item with papers D2 (secret) and D1, and a declined
// proposal; D1 got a second revision after the invitation, and D3 was
// trashed after that (the tombstone). Its second meeting is still planned,
// with a public item whose paper D4 is not frozen yet. Bob's seat ended.
// The Personalausschuss meets too, with a public item and paper D5, and
// seats Sigrid, who sits nowhere else. B mirrors A's public committee.
type fixture struct {
	d       *db.DB
	tenants *tenant.Service
	docs    *documents.Service
	svc     *meetings.Service
	app     *fiber.App
	seq     int

	a, b                         *tenant.Tenant
	adminA, chair, alice, bob    tenant.Actor
	sigrid                       tenant.Actor
	bau, personal                *meetings.Committee
	m1, m2, m3                   *meetings.Meeting
	i1, i2, i3, i4, i5           *meetings.AgendaItem
	d1, d2, d3, d4, d5           *documents.Document
	d1rev1, d1rev2, d2rev, d3rev *documents.Revision
	d5rev                        *documents.Revision
	d1Bytes                      []byte
	// The papers (consultations) of A's public item, and of its non-public one.
	c1d1, c1d3, c2d2, c2d1 uuid.UUID
	// B's objects.
	adminB                   tenant.Actor
	bComm                    *meetings.Committee
	bMeeting                 *meetings.Meeting
	bItem                    *meetings.AgendaItem
	bDoc                     *documents.Document
	bRev                     *documents.Revision
	bPaper                   uuid.UUID
	beforeAll, mid, afterAll time.Time
}

func newFixture(t *testing.T, d *db.DB) *fixture {
	t.Helper()
	f := &fixture{d: d, tenants: tenant.NewService(d, password.NewHasher(password.HighEntropy))}
	st, err := storage.NewFS(t.TempDir())
	must(t, err)
	f.docs = documents.NewService(d, documents.WithStore(st))
	f.svc = meetings.NewService(d, f.docs, render.Renderer{})
	f.app = fiber.New()
	oparl.New(oparl.Config{PublicURL: publicURL + "/"}, oparl.Deps{DB: d, Store: st}).Mount(f.app)

	f.beforeAll = time.Now().UTC().Add(-2 * time.Second)
	suffix := uuid.NewString()[:8]
	f.a, err = f.tenants.CreateTenant(ctx, "musterhausen-"+suffix, "Stadt Musterhausen")
	must(t, err)
	f.b, err = f.tenants.CreateTenant(ctx, "nebenan-"+suffix, "Gemeinde Nebenan")
	must(t, err)
	_, err = f.tenants.UpdateSettings(ctx, tenant.Operator(f.a.ID), tenant.Settings{RequireTOTPRoles: []tenant.Role{tenant.RoleAdmin},
		OParl: tenant.OParlSettings{Public: true, Website: "https://www.musterhausen.example/",
			LegislativeTerms: []tenant.LegislativeTerm{{Name: "Wahlperiode 2024–2029", Start: "2024-06-01", End: "2029-05-31"}}}})
	must(t, err)

	// Tenant A.
	f.adminA = f.member(t, f.a, tenant.RoleAdmin, "Ada Admin")
	f.bau, err = f.svc.CreateCommittee(ctx, f.adminA, meetings.CommitteeInput{Name: "Bauausschuss", Public: true})
	must(t, err)
	f.personal, err = f.svc.CreateCommittee(ctx, f.adminA, meetings.CommitteeInput{Name: "Personalausschuss (intern)"})
	must(t, err)
	f.chair = f.seat(t, f.a, f.bau, tenant.RoleStaff, meetings.RoleChair, true, "Clara Vorsitz")
	f.alice = f.seat(t, f.a, f.bau, tenant.RoleCommittee, meetings.RoleMember, true, "Alice Mitglied")
	f.bob = f.seat(t, f.a, f.bau, tenant.RoleCommittee, meetings.RoleAdvisory, false, "Bob Beirat")
	f.sigrid = f.seat(t, f.a, f.personal, tenant.RoleStaff, meetings.RoleMember, true, "Sigrid Verschwiegen")
	folder, err := f.docs.CreateFolder(ctx, f.adminA, uuid.Nil, "Sitzungsunterlagen")
	must(t, err)
	f.d1Bytes = []byte("%PDF-1.4\nBebauungsplan Nord, öffentliche Vorlage\n%%EOF\n")
	f.d1, f.d1rev1 = f.upload(t, f.adminA, folder.ID, "Bebauungsplan Nord – Vorlage", "vorlage.pdf", f.d1Bytes)
	f.d2, f.d2rev = f.upload(t, f.adminA, folder.ID, "Grundstücksverkauf Müller – vertraulich", "verkauf.txt", []byte("Kaufpreis geheim"))
	f.d3, f.d3rev = f.upload(t, f.adminA, folder.ID, "Lärmschutzgutachten", "gutachten.txt", []byte("Gutachten"))
	f.d4, _ = f.upload(t, f.adminA, folder.ID, "Haushaltsentwurf unfertig", "haushalt.txt", []byte("Entwurf"))
	f.d5, f.d5rev = f.upload(t, f.adminA, folder.ID, "Stellenplan Personalakte", "stellen.txt", []byte("Stellen"))

	now := time.Now().UTC()
	f.m1, err = f.svc.CreateMeeting(ctx, f.adminA, f.bau.ID, meetings.MeetingInput{Title: "1. Sitzung des Bauausschusses",
		StartsAt: now, EndsAt: now.Add(3 * time.Hour), Place: "Rathaus, Saal 1", OnlineURL: "https://video.example/geheimer-raum"})
	must(t, err)
	f.i1 = f.item(t, f.adminA, f.m1, "Bebauungsplan Nord", true)
	f.i2 = f.item(t, f.adminA, f.m1, "Grundstücksverkauf an Firma Müller", false)
	f.i3 = f.item(t, f.alice, f.m1, "Antrag auf einen Spielplatz am Bahnhof", true)
	_, err = f.svc.DecideAgendaItem(ctx, f.adminA, f.i3.ID, false)
	must(t, err)
	f.c1d1 = f.attach(t, f.i1, f.d1)
	f.c1d3 = f.attach(t, f.i1, f.d3)
	f.c2d2 = f.attach(t, f.i2, f.d2)
	f.c2d1 = f.attach(t, f.i2, f.d1)
	f.advance(t, f.m1, meetings.Invited)
	// A revision after the invitation is not what the meeting saw.
	v2 := "%PDF-1.4\nneuer Stand\n%%EOF\n"
	_, f.d1rev2, err = f.docs.AddRevision(ctx, f.adminA, f.d1.ID, documents.Upload{FileName: "vorlage-v2.pdf", Size: int64(len(v2))},
		strings.NewReader(v2))
	must(t, err)
	f.advance(t, f.m1, meetings.InSession)
	for _, p := range []tenant.Actor{f.chair, f.alice} {
		_, err := f.svc.SetAttendance(ctx, f.adminA, f.m1.ID, p.MembershipID, meetings.Present)
		must(t, err)
	}
	poll, err := f.svc.CreatePoll(ctx, f.adminA, meetings.PollInput{AgendaItemID: f.i1.ID, Title: "Satzungsbeschluss",
		Kind: meetings.Named, Method: meetings.YesNoAbstain})
	must(t, err)
	_, err = f.svc.OpenPoll(ctx, f.adminA, poll.ID)
	must(t, err)
	for _, p := range []tenant.Actor{f.chair, f.alice} {
		_, err := f.svc.Cast(ctx, p, poll.ID, uuid.Nil, meetings.Vote{Choice: meetings.Yes})
		must(t, err)
	}
	_, err = f.svc.ClosePoll(ctx, f.adminA, poll.ID)
	must(t, err)
	_, err = f.svc.PublishPoll(ctx, f.adminA, poll.ID)
	must(t, err)
	f.advance(t, f.m1, meetings.Closed)

	later := now.Add(14 * 24 * time.Hour)
	f.m2, err = f.svc.CreateMeeting(ctx, f.adminA, f.bau.ID, meetings.MeetingInput{Title: "2. Sitzung des Bauausschusses",
		StartsAt: later, EndsAt: later.Add(2 * time.Hour)})
	must(t, err)
	f.i4 = f.item(t, f.adminA, f.m2, "Haushalt 2027", true)
	f.attach(t, f.i4, f.d4)

	f.m3, err = f.svc.CreateMeeting(ctx, f.adminA, f.personal.ID, meetings.MeetingInput{Title: "Sitzung Personalausschuss",
		StartsAt: now, EndsAt: now.Add(time.Hour), Place: "Personalamt"})
	must(t, err)
	f.i5 = f.item(t, f.adminA, f.m3, "Stellenplan", true)
	f.attach(t, f.i5, f.d5)
	f.advance(t, f.m3, meetings.Invited)
	must(t, f.svc.RemoveMember(ctx, f.adminA, f.bau.ID, f.bob.MembershipID))

	// Tenant B, not publishing, with the same kind of public data.
	f.adminB = f.member(t, f.b, tenant.RoleAdmin, "Bert Nebenan")
	f.bComm, err = f.svc.CreateCommittee(ctx, f.adminB, meetings.CommitteeInput{Name: "Bauausschuss Nebenan", Public: true})
	must(t, err)
	f.seat(t, f.b, f.bComm, tenant.RoleCommittee, meetings.RoleMember, true, "Nina Nebenan")
	bFolder, err := f.docs.CreateFolder(ctx, f.adminB, uuid.Nil, "Unterlagen")
	must(t, err)
	f.bDoc, f.bRev = f.upload(t, f.adminB, bFolder.ID, "Vorlage Nebenan", "nebenan.txt", []byte("Nebenan"))
	f.bMeeting, err = f.svc.CreateMeeting(ctx, f.adminB, f.bComm.ID, meetings.MeetingInput{Title: "Sitzung Nebenan",
		StartsAt: now, EndsAt: now.Add(time.Hour), Place: "Dorfgemeinschaftshaus"})
	must(t, err)
	f.bItem = f.item(t, f.adminB, f.bMeeting, "Dorfplatz Nebenan", true)
	f.bPaper = f.attach(t, f.bItem, f.bDoc)
	f.advance(t, f.bMeeting, meetings.Invited)

	// The tombstone comes later, with a second between (the API shows whole seconds).
	time.Sleep(1100 * time.Millisecond)
	f.mid = time.Now().UTC()
	time.Sleep(1100 * time.Millisecond)
	must(t, f.docs.DeleteDocument(ctx, f.adminA, f.d3.ID, 0))
	f.afterAll = time.Now().UTC().Add(2 * time.Second)
	return f
}

// member adds a new user to a tenant.
func (f *fixture) member(t *testing.T, tn *tenant.Tenant, role tenant.Role, name string) tenant.Actor {
	t.Helper()
	f.seq++
	a, _ := seed.Member(t, f.tenants, tn.ID, role, fmt.Sprintf("person%d-%s@example.org", f.seq, tn.Slug), name)
	return a
}

// seat adds a new member of the tenant to a committee.
func (f *fixture) seat(t *testing.T, tn *tenant.Tenant, c *meetings.Committee, trole tenant.Role, role meetings.Role, voting bool, name string) tenant.Actor {
	t.Helper()
	a := f.member(t, tn, trole, name)
	admin := f.adminA
	if tn.ID == f.b.ID {
		admin = f.adminB
	}
	_, err := f.svc.SetMember(ctx, admin, c.ID, meetings.MemberInput{MembershipID: a.MembershipID, Role: role, Voting: voting})
	must(t, err)
	return a
}

func (f *fixture) upload(t *testing.T, a tenant.Actor, folder uuid.UUID, title, file string, body []byte) (*documents.Document, *documents.Revision) {
	t.Helper()
	d, r, err := f.docs.CreateDocumentWithRevision(ctx, a, folder, documents.DocumentInput{Title: title, FilePlanRef: "AZ 61-" + file},
		documents.Upload{FileName: file, Size: int64(len(body))}, bytes.NewReader(body))
	must(t, err)
	return d, r
}

func (f *fixture) item(t *testing.T, a tenant.Actor, m *meetings.Meeting, title string, public bool) *meetings.AgendaItem {
	t.Helper()
	it, err := f.svc.AddAgendaItem(ctx, a, m.ID, meetings.AgendaItemInput{Title: title, Public: public})
	must(t, err)
	return it
}

func (f *fixture) admin(tenantID uuid.UUID) tenant.Actor {
	if tenantID == f.b.ID {
		return f.adminB
	}
	return f.adminA
}

func (f *fixture) attach(t *testing.T, it *meetings.AgendaItem, d *documents.Document) uuid.UUID {
	t.Helper()
	p, err := f.svc.AttachPaper(ctx, f.admin(d.TenantID), it.ID, d.ID)
	must(t, err)
	return p.ID
}

func (f *fixture) advance(t *testing.T, m *meetings.Meeting, to meetings.MeetingState) {
	t.Helper()
	_, err := f.svc.AdvanceMeeting(ctx, f.admin(m.TenantID), m.ID, to)
	must(t, err)
}

// response is one answer of the API.
type response struct {
	status int
	header http.Header
	body   []byte
}

// do sends a request for an absolute API URL (or a path) with headers.
func (f *fixture) do(t *testing.T, method, target string, hdr ...string) response {
	t.Helper()
	path := strings.TrimPrefix(target, publicURL)
	req := httptest.NewRequest(method, path, nil)
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	res, err := f.app.Test(req, -1)
	must(t, err)
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	must(t, err)
	return response{status: res.StatusCode, header: res.Header, body: b}
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
