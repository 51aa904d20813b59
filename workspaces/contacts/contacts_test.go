package contacts_test

import (
	"bytes"
	"context"
	"strconv"
	"strings"
	"testing"

	"github.com/google/uuid"
	"github.com/kollab/kollab/internal/db"
	"github.com/kollab/kollab/internal/db/dbtest"
	"github.com/kollab/kollab/internal/errs"
	"github.com/kollab/kollab/internal/testenv/seed"
	"github.com/kollab/kollab/tenant"
	"github.com/kollab/kollab/tenant/auth/password"
	"github.com/kollab/kollab/workspaces/contacts"
)

var ctx = context.Background()

type agency struct {
	admin, staff, committee, partner tenant.Actor
}

type world struct {
	svc  *contacts.Service
	a, b agency
}

func newWorld(t *testing.T, d *db.DB) *world {
	t.Helper()
	ts := tenant.NewService(d, password.NewHasher(password.HighEntropy))
	w := &world{svc: contacts.NewService(d)}
	for i, ag := range []*agency{&w.a, &w.b} {
		suffix := uuid.NewString()[:8]
		tn, err := ts.CreateTenant(ctx, "amt-"+suffix, "Amt")
		if err != nil {
			t.Fatal(err)
		}
		p := string(rune('a'+i)) + suffix
		ag.admin, _ = seed.Member(t, ts, tn.ID, tenant.RoleAdmin, "admin-"+p+"@amt.example", "Admin")
		ag.staff, _ = seed.Member(t, ts, tn.ID, tenant.RoleStaff, "staff-"+p+"@amt.example", "Sachbearbeitung")
		ag.committee, _ = seed.Member(t, ts, tn.ID, tenant.RoleCommittee, "rat-"+p+"@amt.example", "Ratsmitglied")
		ag.partner, _ = seed.Member(t, ts, tn.ID, tenant.RolePartner, "gast-"+p+"@partner.example", "Gast")
	}
	return w
}

// must returns v, panicking (the test fails) on an error.
func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

func noErr(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func wantCode(t *testing.T, err error, code errs.Code) {
	t.Helper()
	if !errs.Is(err, code) {
		t.Fatalf("want %s, got %v", code, err)
	}
}

var stadtwerke = contacts.OrganisationInput{Name: "Stadtwerke Müllheim GmbH", Kind: contacts.KindCompany, Street: "Hauptstraße 1",
	Postcode: "79379", City: "Müllheim", Country: "Deutschland", Email: "info@stadtwerke-muellheim.example", Phone: "+49 7631 123-0",
	Website: "https://stadtwerke-muellheim.example", Notes: "Strom; Gas\nWasser"}

// CRUD, optimistic concurrency, the role rule and tenant isolation.
func TestOrganisationsAndContacts(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		s, a := w.svc, w.a.staff
		o := must(s.CreateOrganisation(ctx, a, stadtwerke))
		if o.Version != 1 || o.Name != stadtwerke.Name || o.Kind != contacts.KindCompany {
			t.Fatalf("created: %+v", o)
		}
		// The same name, normalised, and postcode: a conflict.
		dup := stadtwerke
		dup.Name = "  stadtwerke   MÜLLHEIM gmbh. "
		_, err := s.CreateOrganisation(ctx, w.a.admin, dup)
		wantCode(t, err, errs.Conflict)
		dup.Postcode = "79380"
		must(s.CreateOrganisation(ctx, w.a.admin, dup))

		c := must(s.CreateContact(ctx, a, o.ID, contacts.ContactInput{Salutation: "Frau", Title: "Dr.", GivenName: "Jürgen",
			FamilyName: "Öztürk", Function: "Leitung Netze", Email: "J.Oeztuerk@Stadtwerke.example", Phone: "07631 123-45"}))
		if c.OrganisationName != o.Name || c.DisplayName() != "Dr. Jürgen Öztürk" {
			t.Fatalf("contact: %+v", c)
		}
		_, err = s.CreateContact(ctx, a, o.ID, contacts.ContactInput{FamilyName: "Anders", Email: "j.oeztuerk@stadtwerke.EXAMPLE"})
		wantCode(t, err, errs.Conflict)
		_, err = s.CreateContact(ctx, a, o.ID, contacts.ContactInput{Email: "x@y.example"})
		wantCode(t, err, errs.Invalid)

		// Updates need the version last read.
		in := stadtwerke
		in.City = "Müllheim (Baden)"
		_, err = s.UpdateOrganisation(ctx, a, o.ID, 0, in)
		wantCode(t, err, errs.Invalid)
		o2 := must(s.UpdateOrganisation(ctx, a, o.ID, 1, in))
		if o2.Version != 2 || o2.City != in.City || o2.Contacts != 1 {
			t.Fatalf("updated: %+v", o2)
		}
		_, err = s.UpdateOrganisation(ctx, a, o.ID, 1, in)
		wantCode(t, err, errs.PreconditionFailed)
		c2 := must(s.UpdateContact(ctx, a, c.ID, 1, uuid.Nil, contacts.ContactInput{GivenName: "Jürgen", FamilyName: "Öztürk", Function: "Vorstand"}))
		if c2.Version != 2 || c2.Function != "Vorstand" || c2.Email != "" {
			t.Fatalf("contact updated: %+v", c2)
		}
		err = s.DeleteContact(ctx, a, c.ID, 1)
		wantCode(t, err, errs.PreconditionFailed)

		// Committee members and partners are refused; staff of another tenant find nothing.
		for _, x := range []tenant.Actor{w.a.committee, w.a.partner} {
			_, err := s.GetOrganisation(ctx, x, o.ID)
			wantCode(t, err, errs.Forbidden)
			_, err = s.ListOrganisations(ctx, x, contacts.OrganisationFilter{})
			wantCode(t, err, errs.Forbidden)
			_, err = s.CreateOrganisation(ctx, x, stadtwerke)
			wantCode(t, err, errs.Forbidden)
			_, err = s.Import(ctx, x, contacts.CSV, strings.NewReader("Organisation\nX\n"), true)
			wantCode(t, err, errs.Forbidden)
		}
		_, err = s.GetOrganisation(ctx, w.b.staff, o.ID)
		wantCode(t, err, errs.NotFound)
		_, err = s.GetContact(ctx, w.b.admin, c.ID)
		wantCode(t, err, errs.NotFound)
		_, err = s.CreateContact(ctx, w.b.admin, o.ID, contacts.ContactInput{FamilyName: "X"})
		wantCode(t, err, errs.NotFound)
		_, err = s.UpdateOrganisation(ctx, w.b.admin, o.ID, 2, in)
		wantCode(t, err, errs.NotFound)
		wantCode(t, s.DeleteOrganisation(ctx, w.b.admin, o.ID, 0), errs.NotFound)
		_, err = s.ListContacts(ctx, w.b.admin, contacts.ContactFilter{OrganisationID: o.ID})
		wantCode(t, err, errs.NotFound)

		// Deleting the organisation deletes its contacts.
		noErr(t, s.DeleteOrganisation(ctx, a, o.ID, 2))
		_, err = s.GetContact(ctx, a, c.ID)
		wantCode(t, err, errs.NotFound)
	})
}

// Lists page by name with a cursor and filter by text and kind.
func TestListPaging(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		s, a := w.svc, w.a.staff
		names := []string{"Ämter-Verbund", "Bauamt Nord", "Büro Süd", "Ingenieurbüro Weiß", "Landratsamt", "Zweckverband"}
		var orgs []*contacts.Organisation
		for i, n := range names {
			kind := contacts.KindAuthority
			if i%2 == 1 {
				kind = contacts.KindCompany
			}
			o := must(s.CreateOrganisation(ctx, a, contacts.OrganisationInput{Name: n, Kind: kind, Postcode: "1000" + string(rune('0'+i))}))
			orgs = append(orgs, o)
			must(s.CreateContact(ctx, a, o.ID, contacts.ContactInput{GivenName: "Eva", FamilyName: "Person " + string(rune('A'+i))}))
		}
		var got []string
		page := contacts.Page{Limit: 4}
		for i := 0; i < 5; i++ {
			p := must(s.ListOrganisations(ctx, a, contacts.OrganisationFilter{Page: page}))
			for _, o := range p.Organisations {
				got = append(got, o.Name)
			}
			if !p.More {
				break
			}
			page.After = p.Organisations[len(p.Organisations)-1].ID
		}
		all := must(s.ListOrganisations(ctx, a, contacts.OrganisationFilter{Page: contacts.Page{Limit: 200}}))
		var want []string
		for _, o := range all.Organisations {
			want = append(want, o.Name)
		}
		if len(got) != len(names) || strings.Join(got, ",") != strings.Join(want, ",") {
			t.Fatalf("paged: %v", got)
		}
		p := must(s.ListOrganisations(ctx, a, contacts.OrganisationFilter{Query: "büro"}))
		if len(p.Organisations) != 2 {
			t.Fatalf("büro: %+v", p.Organisations)
		}
		p = must(s.ListOrganisations(ctx, a, contacts.OrganisationFilter{Kind: contacts.KindCompany}))
		if len(p.Organisations) != 3 {
			t.Fatalf("companies: %d", len(p.Organisations))
		}
		_, err := s.ListOrganisations(ctx, a, contacts.OrganisationFilter{Page: contacts.Page{After: uuid.Must(uuid.NewV7())}})
		wantCode(t, err, errs.Invalid)
		cp := must(s.ListContacts(ctx, a, contacts.ContactFilter{OrganisationID: orgs[2].ID}))
		if len(cp.Contacts) != 1 || cp.Contacts[0].FamilyName != "Person C" {
			t.Fatalf("contacts of one: %+v", cp.Contacts)
		}
		cp = must(s.ListContacts(ctx, a, contacts.ContactFilter{Query: "person", Page: contacts.Page{Limit: 5}}))
		if len(cp.Contacts) != 5 || !cp.More {
			t.Fatalf("contacts: %d %v", len(cp.Contacts), cp.More)
		}
	})
}

const sampleCSV = "\uFEFFOrganisation;Art;Straße;PLZ;Ort;Anrede;Titel;Vorname;Nachname;Funktion;E-Mail;Telefon;Notizen;Unbekannt\r\n" +
	"Gemeinde Überlingen;Behörde;Münsterstraße 15;88662;Überlingen;Frau;Dr.;Käthe;Weiß;Bürgermeisterin;kaethe.weiss@ueberlingen.example;+49 7551 99-0;\"Mehrzeilig\nmit ; Trenner\";egal\r\n" +
	"Gemeinde Überlingen;Behörde;Münsterstraße 15;88662;Überlingen;Herr;;Jörg;Groß;Bauamt;joerg.gross@ueberlingen.example;;;\r\n" +
	"GEMEINDE überlingen.;;;88662;;;;;;;;;;\r\n" +
	"Ingenieurbüro Maß;company;;79100;Freiburg;;;Ida;Öhler;;KAETHE.WEISS@ueberlingen.example;;;\r\n" +
	";;;;;;;Ohne;Organisation;;;;;\r\n" +
	"Verband;Partei;;;;;;;;;;;;\r\n" +
	"Planungsbüro Süd;Unternehmen;;79100;Freiburg;;;Paul;Planer;;keine-adresse;;;\r\n" +
	";;;;;;;;;;;;;\r\n"

// The CSV import: preview writes nothing, apply creates; every row has
// its result (created, duplicate of, invalid with field).
func TestImportCSV(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		s, a := w.svc, w.a.staff
		pre := must(s.Import(ctx, a, contacts.CSV, strings.NewReader(sampleCSV), false))
		if pre.Applied || pre.Created != 2 || pre.Duplicates != 2 || pre.Invalid != 3 || len(pre.Rows) != 7 {
			t.Fatalf("preview: %+v", pre)
		}
		if p := must(s.ListOrganisations(ctx, a, contacts.OrganisationFilter{})); len(p.Organisations) != 0 {
			t.Fatalf("the preview wrote: %+v", p)
		}
		rep := must(s.Import(ctx, a, contacts.CSV, strings.NewReader(sampleCSV), true))
		want := []struct {
			row    int
			status contacts.RowStatus
			field  string
		}{{2, contacts.RowCreated, ""}, {4, contacts.RowCreated, ""}, {5, contacts.RowDuplicate, ""}, {6, contacts.RowDuplicate, ""},
			{7, contacts.RowInvalid, "organisation"}, {8, contacts.RowInvalid, "kind"}, {9, contacts.RowInvalid, "email"}}
		for i, wr := range want {
			got := rep.Rows[i]
			if got.Row != wr.row || got.Status != wr.status || got.Field != wr.field || got.Status == contacts.RowInvalid && got.Reason.IsZero() {
				t.Errorf("row %d: %+v, want %+v", i, got, wr)
			}
			if pre.Rows[i].Status != got.Status || pre.Rows[i].Row != got.Row {
				t.Errorf("row %d: preview %+v differs from apply %+v", i, pre.Rows[i], got)
			}
		}
		first, second := rep.Rows[0], rep.Rows[1]
		if !first.OrganisationCreated || second.OrganisationCreated || second.OrganisationID != first.OrganisationID || second.ContactID == uuid.Nil {
			t.Fatalf("second contact of the same organisation: %+v %+v", first, second)
		}
		if rep.Rows[2].DuplicateOf != first.OrganisationID || rep.Rows[2].DuplicateKind != "organisation" ||
			rep.Rows[3].DuplicateOf != first.ContactID || rep.Rows[3].DuplicateKind != "contact" {
			t.Fatalf("duplicates: %+v %+v", rep.Rows[2], rep.Rows[3])
		}
		if pre.Rows[0].OrganisationID != uuid.Nil || pre.Rows[0].ContactID != uuid.Nil {
			t.Fatalf("the preview shows made-up ids: %+v", pre.Rows[0])
		}
		c := must(s.GetContact(ctx, a, first.ContactID))
		if c.Salutation != "Frau" || c.Title != "Dr." || c.GivenName != "Käthe" || c.FamilyName != "Weiß" || c.Notes != "Mehrzeilig\nmit ; Trenner" {
			t.Fatalf("contact: %+v", c)
		}
		// Reasons never repeat the row's values.
		for _, r := range rep.Rows {
			if strings.Contains(r.Reason.DE+r.Reason.EN, "Partei") || strings.Contains(r.Reason.DE+r.Reason.EN, "keine-adresse") {
				t.Fatalf("echoed: %+v", r)
			}
		}
		// Importing the same file again creates nothing.
		again := must(s.Import(ctx, a, contacts.CSV, strings.NewReader(sampleCSV), true))
		if again.Created != 0 || again.Duplicates != 4 {
			t.Fatalf("again: %+v", again)
		}
	})
}

// Export and import again, in both formats, into another tenant: the same
// address book (umlauts, line breaks, separators, a formula-like cell).
func TestRoundTrip(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		s := w.svc
		o := must(s.CreateOrganisation(ctx, w.a.staff, stadtwerke))
		must(s.CreateOrganisation(ctx, w.a.staff, contacts.OrganisationInput{Name: "=Amt für Straßenbau, Nord", Kind: contacts.KindAuthority}))
		must(s.CreateContact(ctx, w.a.staff, o.ID, contacts.ContactInput{Salutation: "Frau", Title: "Prof. Dr.", GivenName: "Änne",
			FamilyName: "Groß-Übel", Function: "Geschäftsführung; Technik", Email: "aenne@stadtwerke.example", Phone: "+49 7631 1", Notes: "Zeile 1\nZeile 2, mit Komma"}))
		must(s.CreateContact(ctx, w.a.staff, o.ID, contacts.ContactInput{GivenName: "Ömer", FamilyName: "Şahin"}))
		for _, f := range []contacts.Format{contacts.CSV, contacts.VCard} {
			t.Run(string(f), func(t *testing.T) {
				exp := must(s.Export(ctx, w.a.admin, f))
				if f == contacts.CSV && (!bytes.HasPrefix(exp.Data, []byte("\uFEFFOrganisation;Art;")) || !bytes.Contains(exp.Data, []byte("'=Amt"))) {
					t.Fatalf("csv: %s", exp.Data)
				}
				if f == contacts.VCard && (!bytes.Contains(exp.Data, []byte("VERSION:4.0\r\n")) || !bytes.Contains(exp.Data, []byte("KIND:org"))) {
					t.Fatalf("vcard: %s", exp.Data)
				}
				// Into an empty tenant (B's address book, emptied first).
				clear(t, s, w.b.admin)
				rep := must(s.Import(ctx, w.b.admin, f, bytes.NewReader(exp.Data), true))
				if rep.Invalid != 0 || rep.Duplicates != 0 {
					t.Fatalf("import %s: %+v", f, rep)
				}
				back := must(s.Export(ctx, w.b.admin, f))
				if f == contacts.CSV && !bytes.Equal(back.Data, exp.Data) {
					t.Fatalf("csv differs:\n%s\n---\n%s", exp.Data, back.Data)
				}
				if f == contacts.VCard && stripUIDs(back.Data) != stripUIDs(exp.Data) {
					t.Fatalf("vcard differs:\n%s\n---\n%s", exp.Data, back.Data)
				}
			})
		}
	})
}

func clear(t *testing.T, s *contacts.Service, a tenant.Actor) {
	t.Helper()
	p := must(s.ListOrganisations(ctx, a, contacts.OrganisationFilter{Page: contacts.Page{Limit: 200}}))
	for _, o := range p.Organisations {
		noErr(t, s.DeleteOrganisation(ctx, a, o.ID, 0))
	}
}

func stripUIDs(b []byte) string {
	var out []string
	for _, l := range strings.Split(string(b), "\r\n") {
		if !strings.HasPrefix(l, "UID:") {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\r\n")
}

// A vCard file from elsewhere: version 3.0, escaped separators, a group card.
func TestImportVCardFromElsewhere(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		file := "BEGIN:VCARD\r\nVERSION:3.0\r\nN:Müller;Grete;;Frau Dr.;\r\nFN:Dr. Grete Müller\r\nORG:Landratsamt Lörrach;Bauamt\r\n" +
			"ADR;TYPE=WORK:;;Palmstraße 3;Lörrach;;79539;Deutschland\r\nEMAIL;TYPE=INTERNET:grete.mueller@loerrach.example\r\nTITLE:Sachgebietsleitung\r\n" +
			"NOTE:Ansprechpartnerin für Bauanträge\\; dienstags\r\nEND:VCARD\r\n" +
			"BEGIN:VCARD\r\nVERSION:4.0\r\nKIND:group\r\nFN:Verteiler\r\nEND:VCARD\r\n" +
			"BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Ohne Firma\r\nEND:VCARD\r\n"
		rep := must(w.svc.Import(ctx, w.a.staff, contacts.VCard, strings.NewReader(file), true))
		if rep.Created != 1 || rep.Invalid != 2 || rep.Rows[1].Field != "kind" || rep.Rows[2].Field != "organisation" {
			t.Fatalf("report: %+v", rep)
		}
		c := must(w.svc.GetContact(ctx, w.a.staff, rep.Rows[0].ContactID))
		o := must(w.svc.GetOrganisation(ctx, w.a.staff, c.OrganisationID))
		if c.FamilyName != "Müller" || c.GivenName != "Grete" || c.Salutation != "Frau" || c.Title != "Dr." || c.Function != "Sachgebietsleitung" ||
			c.Notes != "Ansprechpartnerin für Bauanträge; dienstags" || o.Name != "Landratsamt Lörrach" || o.Postcode != "79539" || o.City != "Lörrach" {
			t.Fatalf("card: %+v %+v", c, o)
		}
	})
}

// Bounds: the file's size (413), its rows (422), its encoding and shape (422).
func TestImportLimits(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		s, a := w.svc, w.a.staff
		big := "Organisation;Notizen\n" + strings.Repeat("Amt;"+strings.Repeat("x", 1000)+"\n", contacts.MaxImportBytes/1000)
		_, err := s.Import(ctx, a, contacts.CSV, strings.NewReader(big), false)
		wantCode(t, err, errs.TooLarge)
		var many strings.Builder
		many.WriteString("Organisation;PLZ\n")
		for i := 0; i <= contacts.MaxImportRows; i++ {
			many.WriteString("Amt;" + itoa(i) + "\n")
		}
		_, err = s.Import(ctx, a, contacts.CSV, strings.NewReader(many.String()), false)
		wantCode(t, err, errs.Invalid)
		for _, bad := range []string{"Name;PLZ\nAmt;1\n", "Organisation\n\"Amt\n", "Organisation\n\xe4mter\n", "", "Organisation;Organisation\nA;B\n"} {
			_, err = s.Import(ctx, a, contacts.CSV, strings.NewReader(bad), false)
			if e := errs.As(err); e == nil || e.Code != errs.Invalid || e.Field != "file" {
				t.Errorf("%q: %v", bad, err)
			}
		}
		_, err = s.Import(ctx, a, contacts.VCard, strings.NewReader("kein vCard"), false)
		wantCode(t, err, errs.Invalid)
		// Exactly the limit is fine (a preview).
		var ok strings.Builder
		ok.WriteString("Organisation;PLZ\n")
		for i := 0; i < contacts.MaxImportRows; i++ {
			ok.WriteString("Amt;" + itoa(i) + "\n")
		}
		rep := must(s.Import(ctx, a, contacts.CSV, strings.NewReader(ok.String()), false))
		if rep.Created != contacts.MaxImportRows {
			t.Fatalf("at the limit: %d", rep.Created)
		}
	})
}

func itoa(i int) string { return strconv.Itoa(i) }
