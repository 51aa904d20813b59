package api_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/google/uuid"
	"github.com/kollab/kollab/internal/db"
	"github.com/kollab/kollab/internal/db/dbtest"
	"github.com/kollab/kollab/tenant"
)

type directoryBody struct {
	Members []struct {
		MembershipID string `json:"membership_id"`
		DisplayName  string `json:"display_name"`
		Email        string `json:"email"`
		Role         string `json:"role"`
		Active       bool   `json:"active"`
	} `json:"members"`
	Groups []struct {
		ID   string `json:"id"`
		Name string `json:"name"`
	} `json:"groups"`
	NextCursor *string `json:"next_cursor"`
}

func (b directoryBody) names() string {
	var out []string
	for _, m := range b.Members {
		out = append(out, m.DisplayName)
	}
	return strings.Join(out, ",")
}

// The member directory over HTTP: staff and committee members search
// colleagues and groups and resolve ids (deactivated members marked);
// partners get 403; another tenant's directory is an unknown tenant.
func TestDirectoryOverHTTP(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		a, b := e.seedTenant("amt-a"), e.seedTenant("amt-b")
		ctx := t.Context()
		sabine, sabineID := e.staff(a, "sabine")
		_, konradID := e.staff(a, "konrad")
		_, fremdID := e.staff(b, "fremd")
		// A deactivated colleague.
		u, err := e.tenants.CreateUser(ctx, "alt@amt-a.example", "Anton Alt", testPassword)
		if err != nil {
			t.Fatal(err)
		}
		alt, err := e.tenants.AddMember(ctx, a.tenant.ID, u.ID, tenant.RoleStaff)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := e.tenants.SetActive(ctx, tenant.Operator(a.tenant.ID), alt.ID, false); err != nil {
			t.Fatal(err)
		}
		// A partner (the tenant requires them to use a second factor).
		pu, err := e.tenants.CreateUser(ctx, "gast@partner.example", "Gerda Gast", testPassword)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := e.tenants.AddMember(ctx, a.tenant.ID, pu.ID, tenant.RolePartner); err != nil {
			t.Fatal(err)
		}
		partner := e.client()
		partner.login("gast@partner.example", testPassword, "")
		partner.enrol()
		group, err := e.tenants.CreateGroup(ctx, tenant.Operator(a.tenant.ID), "Bauaufsicht", "")
		if err != nil {
			t.Fatal(err)
		}
		const base = "/api/v1/t/amt-a/directory"

		// Search: active members by name or e-mail, groups by name.
		all := decode[directoryBody](t, sabine.must(200, "GET", base, nil))
		if all.names() != "Admin amt-a,Gerda Gast,konrad,sabine" || len(all.Groups) != 1 || all.NextCursor != nil {
			t.Fatalf("everyone: %s", sabine.must(200, "GET", base, nil).body)
		}
		got := decode[directoryBody](t, sabine.must(200, "GET", base+"?q=KONR", nil))
		if got.names() != "konrad" || got.Members[0].MembershipID != konradID || got.Members[0].Email != "konrad@amt-a.example" ||
			got.Members[0].Role != "staff" || !got.Members[0].Active || len(got.Groups) != 0 {
			t.Fatalf("q=KONR: %+v", got)
		}
		got = decode[directoryBody](t, sabine.must(200, "GET", base+"?q=aufsicht", nil))
		if len(got.Members) != 0 || len(got.Groups) != 1 || got.Groups[0].ID != group.ID.String() || got.Groups[0].Name != "Bauaufsicht" {
			t.Fatalf("q=aufsicht: %+v", got)
		}
		if got = decode[directoryBody](t, sabine.must(200, "GET", base+"?q=anton", nil)); len(got.Members) != 0 {
			t.Fatalf("a deactivated member is found by search: %+v", got)
		}
		// Pages of one, by name.
		var seen []string
		for p := base + "?limit=1"; ; {
			page := decode[directoryBody](t, sabine.must(200, "GET", p, nil))
			seen = append(seen, page.names())
			if page.NextCursor == nil {
				break
			}
			p = base + "?limit=1&cursor=" + *page.NextCursor
		}
		if strings.Join(seen, ",") != all.names() {
			t.Fatalf("pages: %v", seen)
		}

		// Resolving ids: deactivated included and marked; tenant B's and unknown ids are left out.
		got = decode[directoryBody](t, sabine.must(200, "GET", base+"?ids="+strings.Join([]string{konradID, alt.ID.String(), fremdID, uuid.NewString(), sabineID}, ","), nil))
		if got.names() != "Anton Alt,konrad,sabine" || got.Members[0].Active || !got.Members[1].Active || len(got.Groups) != 0 {
			t.Fatalf("resolve: %+v", got)
		}
		// One batch as the web app sends it (the request must fit fasthttp's 4 KiB header buffer).
		batch := []string{konradID}
		for len(batch) < 80 {
			batch = append(batch, uuid.NewString())
		}
		if got := decode[directoryBody](t, sabine.must(200, "GET", base+"?ids="+strings.Join(batch, ","), nil)); got.names() != "konrad" {
			t.Fatalf("batch of 80: %+v", got)
		}
		got = decode[directoryBody](t, sabine.must(200, "GET", base+"?group_ids="+group.ID.String(), nil))
		if len(got.Members) != 0 || len(got.Groups) != 1 || got.Groups[0].Name != "Bauaufsicht" {
			t.Fatalf("resolve groups: %+v", got)
		}

		// Partners may not browse the agency's people.
		wantCode(t, partner.do("GET", base, nil), 403, "forbidden")
		wantCode(t, partner.do("GET", base+"?ids="+konradID, nil), 403, "forbidden")
		partner.lang = "en"
		if r := partner.do("GET", base, nil); !bytes.Contains(r.body, []byte("not available to external partners")) {
			t.Fatalf("English problem: %s", r.body)
		}
		// Not signed in.
		wantCode(t, e.client().do("GET", base, nil), 401, "unauthenticated")

		// Bad input: 422 problems naming the field.
		for _, q := range []string{"?ids=keine-uuid", "?ids=" + konradID + "&q=k", "?group_ids=" + group.ID.String() + "&cursor=" + konradID,
			"?limit=1000", "?limit=0", "?cursor=" + fremdID} {
			wantCode(t, sabine.do("GET", base+q, nil), 422, "invalid-input")
		}

		// A member of A asking B's directory gets the answer for a tenant that does not exist.
		for _, q := range []string{"", "?q=fremd", "?ids=" + fremdID} {
			got, want := sabine.do("GET", "/api/v1/t/amt-b/directory"+q, nil), sabine.do("GET", "/api/v1/t/gibt-es-nicht/directory"+q, nil)
			if got.status != 404 || got.status != want.status || !bytes.Equal(got.body, want.body) {
				t.Fatalf("B's directory%s: %d %s, unknown tenant: %d %s", q, got.status, got.body, want.status, want.body)
			}
		}
		// B's admin sees only B.
		if got := decode[directoryBody](t, b.admin.must(200, "GET", "/api/v1/t/amt-b/directory?ids="+konradID+","+fremdID, nil)); got.names() != "fremd" {
			t.Fatalf("B resolving: %+v", got)
		}
	})
}
