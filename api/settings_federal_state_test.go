package api_test

import (
	"strings"
	"testing"

	"github.com/kollab/kollab/internal/db"
	"github.com/kollab/kollab/internal/db/dbtest"
)

// The tenant's federal state through the settings API: absent at first
// (answered as ""), set, kept by a PUT that omits it (as the 2FA and mail
// language screens send), shown to members in the tenant info, cleared by
// "", and an unknown code refused with 422 naming the field, leaving the
// stored one.
func TestSettingsFederalState(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		s := e.seedTenant("land")
		type view struct {
			FederalState *string  `json:"federal_state"`
			Language     string   `json:"language"`
			Roles        []string `json:"require_totp_roles"`
		}
		get := func() view {
			t.Helper()
			var v view
			s.admin.must(200, "GET", "/api/v1/t/land/settings", nil).json(t, &v)
			return v
		}
		if v := get(); v.FederalState == nil || *v.FederalState != "" {
			t.Fatalf("a new tenant: %+v", v)
		}
		var v view
		s.admin.must(200, "PUT", "/api/v1/t/land/settings", map[string]any{"require_totp_roles": []string{"admin"}, "federal_state": "SN"}).json(t, &v)
		if v.FederalState == nil || *v.FederalState != "SN" {
			t.Fatalf("set: %+v", v)
		}
		s.admin.must(200, "PUT", "/api/v1/t/land/settings", map[string]any{"require_totp_roles": []string{"admin", "staff"}, "language": "en"})
		if v := get(); *v.FederalState != "SN" || v.Language != "en" || len(v.Roles) != 3 {
			t.Fatalf("a PUT without federal_state dropped it: %+v", v)
		}
		var info struct {
			Settings view `json:"settings"`
		}
		s.admin.must(200, "GET", "/api/v1/t/land", nil).json(t, &info)
		if info.Settings.FederalState == nil || *info.Settings.FederalState != "SN" {
			t.Fatalf("tenant info: %+v", info)
		}

		for _, bad := range []string{"XX", "sn", "DE-SN", "Sachsen"} {
			r := s.admin.do("PUT", "/api/v1/t/land/settings", map[string]any{"require_totp_roles": []string{"admin"}, "federal_state": bad})
			wantCode(t, r, 422, "invalid-input")
			if !strings.Contains(string(r.body), `"field":"federal_state"`) || strings.Contains(string(r.body), `"`+bad+`"`) {
				t.Fatalf("%q: the problem must name the field and not echo the value: %s", bad, r.body)
			}
		}
		if v := get(); *v.FederalState != "SN" {
			t.Fatalf("a refused PUT changed it: %+v", v)
		}

		s.admin.must(200, "PUT", "/api/v1/t/land/settings", map[string]any{"require_totp_roles": []string{"admin"}, "federal_state": ""}).json(t, &v)
		if v.FederalState == nil || *v.FederalState != "" || *get().FederalState != "" {
			t.Fatalf("cleared: %+v", v)
		}
	})
}
