package api_test

import (
	"bytes"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/kollab/kollab/internal/db"
	"github.com/kollab/kollab/internal/db/dbtest"
	"github.com/kollab/kollab/tenant"
)

type organisationBody struct {
	ID       string `json:"id"`
	Name     string `json:"name"`
	Kind     string `json:"kind"`
	City     string `json:"city"`
	Contacts int    `json:"contacts"`
	Version  int64  `json:"version"`
}

type importReport struct {
	Applied    bool `json:"applied"`
	Created    int  `json:"created"`
	Duplicates int  `json:"duplicates"`
	Invalid    int  `json:"invalid"`
	Rows       []struct {
		Row            int     `json:"row"`
		Status         string  `json:"status"`
		OrganisationID *string `json:"organisation_id"`
		ContactID      *string `json:"contact_id"`
		DuplicateOf    *string `json:"duplicate_of"`
		DuplicateKind  string  `json:"duplicate_kind"`
		Field          string  `json:"field"`
		Reason         string  `json:"reason"`
	} `json:"rows"`
}

// upload posts a file as the raw body of an import.
func (c *client) upload(path, contentType, body string) *resp {
	c.e.t.Helper()
	req := httptest.NewRequest("POST", path, strings.NewReader(body))
	req.Header.Set("Content-Type", contentType)
	return c.send(req)
}

// The address book over HTTP: CRUD with If-Match, import preview and
// apply (CSV and vCard), export with file names; committee members are
// refused with a reason.
func TestAddressBookOverHTTP(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		a := e.seedTenant("amt-a")
		staff, _ := e.staff(a, "sabine")
		const base = "/api/v1/t/amt-a"

		r := staff.must(201, "POST", base+"/organisations", map[string]string{"name": "Stadtwerke Überlingen", "kind": "company", "postcode": "88662"})
		org := decode[organisationBody](t, r)
		if r.header.Get("ETag") != `"1"` || org.Kind != "company" {
			t.Fatalf("created: %s %s", r.header.Get("ETag"), r.body)
		}
		wantCode(t, staff.do("POST", base+"/organisations", map[string]string{"name": "stadtwerke  überlingen", "postcode": "88662"}), 409, "conflict")
		wantCode(t, staff.do("PATCH", base+"/organisations/"+org.ID, map[string]string{"city": "Überlingen"}), 422, "invalid-input")
		wantCode(t, staff.with("If-Match", `"7"`).do("PATCH", base+"/organisations/"+org.ID, map[string]string{"city": "Überlingen"}), 412, "precondition-failed")
		org = decode[organisationBody](t, staff.with("If-Match", `"1"`).must(200, "PATCH", base+"/organisations/"+org.ID, map[string]string{"city": "Überlingen"}))
		if org.City != "Überlingen" || org.Name != "Stadtwerke Überlingen" || org.Version != 2 {
			t.Fatalf("patched: %+v", org)
		}
		staff.must(201, "POST", base+"/contacts", map[string]any{"organisation_id": org.ID, "given_name": "Jörg", "family_name": "Weiß",
			"email": "joerg.weiss@stadtwerke.example"})

		// Import: the preview writes nothing, apply creates; both report every row.
		csv := "\uFEFFOrganisation;PLZ;Ort;Vorname;Nachname;E-Mail\r\n" +
			"Stadtwerke Überlingen;88662;Überlingen;Änne;Groß;aenne@stadtwerke.example\r\n" +
			"Landratsamt Bodenseekreis;88045;Friedrichshafen;;;\r\n" +
			"Büro Süd;79100;Freiburg;Paul;Planer;JOERG.WEISS@stadtwerke.example\r\n" +
			"Büro Nord;;;Ida;Irrtum;keine-adresse\r\n"
		pre := decode[importReport](t, staff.upload(base+"/organisations/import?format=csv&mode=preview", "text/csv", csv))
		if pre.Applied || pre.Created != 2 || pre.Duplicates != 1 || pre.Invalid != 1 || len(pre.Rows) != 4 {
			t.Fatalf("preview: %+v", pre)
		}
		if list := decode[struct{ Organisations []organisationBody }](t, staff.must(200, "GET", base+"/organisations", nil)); len(list.Organisations) != 1 {
			t.Fatalf("the preview wrote: %+v", list)
		}
		r = staff.upload(base+"/organisations/import?format=csv&mode=apply", "text/csv", csv)
		rep := decode[importReport](t, r)
		if r.status != 200 || !rep.Applied || rep.Created != 2 || rep.Rows[0].OrganisationID == nil || *rep.Rows[0].OrganisationID != org.ID ||
			rep.Rows[2].Status != "duplicate" || rep.Rows[2].DuplicateKind != "contact" || rep.Rows[3].Field != "email" || rep.Rows[3].Reason == "" ||
			strings.Contains(string(r.body), "keine-adresse") {
			t.Fatalf("apply: %d %s", r.status, r.body)
		}
		vcf := "BEGIN:VCARD\r\nVERSION:4.0\r\nKIND:org\r\nFN:Verband Wasser\r\nORG:Verband Wasser\r\nX-KOLLAB-KIND:association\r\nEND:VCARD\r\n"
		rep = decode[importReport](t, staff.upload(base+"/organisations/import?format=vcard&mode=apply", "text/vcard", vcf))
		if rep.Created != 1 {
			t.Fatalf("vcard: %+v", rep)
		}
		wantCode(t, staff.upload(base+"/organisations/import?format=csv&mode=apply", "text/csv", "Name\nX\n"), 422, "invalid-input")
		wantCode(t, staff.upload(base+"/organisations/import?format=csv&mode=apply", "text/csv", "Organisation\n"+strings.Repeat("x", 5<<20)), 413, "too-large")

		// Export: the file with its name and type.
		r = staff.must(200, "GET", base+"/organisations/export?format=csv", nil)
		if r.header.Get("Content-Type") != "text/csv; charset=utf-8" || !strings.Contains(r.header.Get("Content-Disposition"), `filename="adressen.csv"`) ||
			!bytes.HasPrefix(r.body, []byte("\uFEFFOrganisation;Art;Straße;PLZ")) || !bytes.Contains(r.body, []byte("Änne;Groß")) {
			t.Fatalf("csv export: %v %s", r.header, r.body)
		}
		r = staff.must(200, "GET", base+"/organisations/export?format=vcard", nil)
		if r.header.Get("Content-Type") != "text/vcard; charset=utf-8" || !strings.Contains(r.header.Get("Content-Disposition"), `filename="adressen.vcf"`) ||
			bytes.Count(r.body, []byte("BEGIN:VCARD")) != 5 || !bytes.Contains(r.body, []byte("X-KOLLAB-KIND:association")) {
			t.Fatalf("vcard export: %v %s", r.header, r.body)
		}
		// Paging with the cursor.
		page := decode[struct {
			Organisations []organisationBody
			NextCursor    string `json:"next_cursor"`
		}](t, staff.must(200, "GET", base+"/organisations?limit=2", nil))
		if len(page.Organisations) != 2 || page.NextCursor == "" {
			t.Fatalf("page 1: %+v", page)
		}
		rest := decode[struct{ Organisations []organisationBody }](t, staff.must(200, "GET", base+"/organisations?limit=200&cursor="+page.NextCursor, nil))
		if len(rest.Organisations) != 1 {
			t.Fatalf("page 2: %+v", rest)
		}
		staff.must(204, "DELETE", base+"/organisations/"+org.ID, nil)
		staff.must(404, "GET", base+"/organisations/"+org.ID, nil)

		// A committee member is refused, with the reason.
		u, err := e.tenants.CreateUser(t.Context(), "rat@amt-a.example", "Rat", testPassword)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := e.tenants.AddMember(t.Context(), a.tenant.ID, u.ID, tenant.RoleCommittee); err != nil {
			t.Fatal(err)
		}
		rat := e.client()
		rat.login("rat@amt-a.example", testPassword, "")
		r = rat.do("GET", base+"/organisations", nil)
		wantCode(t, r, 403, "forbidden")
		if !strings.Contains(string(r.body), "Adressverzeichnis") {
			t.Fatalf("reason: %s", r.body)
		}
		wantCode(t, rat.upload(base+"/organisations/import?format=csv&mode=preview", "text/csv", csv), 403, "forbidden")
	})
}
