package tenant_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/kollab/kollab/internal/db"
	"github.com/kollab/kollab/internal/db/dbtest"
	"github.com/kollab/kollab/internal/errs"
	"github.com/kollab/kollab/tenant"
)

func TestOParlSettingsValidate(t *testing.T) {
	ok := []tenant.OParlSettings{
		{},
		{Public: true, Website: "https://www.musterstadt.de/"},
		{Public: true, Website: "http://rathaus.example"},
		{LegislativeTerms: []tenant.LegislativeTerm{{Name: "Wahlperiode 2019–2024", Start: "2019-06-01", End: "2024-05-31"},
			{Name: "Wahlperiode 2024–2029", Start: "2024-06-01"}}},
		{LegislativeTerms: []tenant.LegislativeTerm{{Name: "Ein Tag", Start: "2024-06-01", End: "2024-06-01"}}},
	}
	for i, o := range ok {
		if err := (tenant.Settings{OParl: o}).Validate(); err != nil {
			t.Errorf("valid settings %d refused: %v", i, err)
		}
	}
	bad := map[string]tenant.Settings{
		"unknown role":      {RequireTOTPRoles: []tenant.Role{"chef"}},
		"relative website":  {OParl: tenant.OParlSettings{Website: "/rathaus"}},
		"javascript url":    {OParl: tenant.OParlSettings{Website: "javascript:alert(1)"}},
		"website with user": {OParl: tenant.OParlSettings{Website: "https://u:p@example.org/"}},
		"long website":      {OParl: tenant.OParlSettings{Website: "https://example.org/" + strings.Repeat("a", 2000)}},
		"no name":           {OParl: tenant.OParlSettings{LegislativeTerms: []tenant.LegislativeTerm{{Start: "2024-06-01"}}}},
		"padded name":       {OParl: tenant.OParlSettings{LegislativeTerms: []tenant.LegislativeTerm{{Name: " WP ", Start: "2024-06-01"}}}},
		"bad start":         {OParl: tenant.OParlSettings{LegislativeTerms: []tenant.LegislativeTerm{{Name: "WP", Start: "1.6.2024"}}}},
		"bad end":           {OParl: tenant.OParlSettings{LegislativeTerms: []tenant.LegislativeTerm{{Name: "WP", Start: "2024-06-01", End: "2024-13-01"}}}},
		"end before start":  {OParl: tenant.OParlSettings{LegislativeTerms: []tenant.LegislativeTerm{{Name: "WP", Start: "2024-06-01", End: "2024-05-31"}}}},
		"same start": {OParl: tenant.OParlSettings{LegislativeTerms: []tenant.LegislativeTerm{{Name: "A", Start: "2024-06-01"},
			{Name: "B", Start: "2024-06-01"}}}},
		"too many": {OParl: tenant.OParlSettings{LegislativeTerms: make([]tenant.LegislativeTerm, tenant.MaxLegislativeTerms+1)}},
	}
	for name, s := range bad {
		if err := s.Validate(); !errs.Is(err, errs.Invalid) {
			t.Errorf("%s: want invalid input, got %v", name, err)
		}
	}
}

func TestOParlSettingsStored(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		w := seed(t, d)
		// A tenant created before the setting existed (no "oparl" key) does not publish.
		if w.a.Settings.OParl.Public {
			t.Fatal("a new tenant publishes through OParl")
		}
		var old tenant.Settings
		if err := json.Unmarshal([]byte(`{"require_totp_roles":["admin"]}`), &old); err != nil || old.OParl.Public {
			t.Fatalf("old settings: %+v %v", old, err)
		}
		in := tenant.Settings{RequireTOTPRoles: []tenant.Role{tenant.RoleAdmin}, OParl: tenant.OParlSettings{Public: true,
			Website: "https://www.musterstadt.de/", LegislativeTerms: []tenant.LegislativeTerm{{Name: "WP 2024", Start: "2024-06-01"}}}}
		if _, err := w.svc.UpdateSettings(ctx, tenant.Operator(w.a.ID), in); err != nil {
			t.Fatal(err)
		}
		got, err := w.svc.TenantByID(ctx, w.a.ID)
		if err != nil {
			t.Fatal(err)
		}
		o := got.Settings.OParl
		if !o.Public || o.Website != in.OParl.Website || len(o.LegislativeTerms) != 1 || o.LegislativeTerms[0] != in.OParl.LegislativeTerms[0] {
			t.Fatalf("stored %+v", o)
		}
		if other, _ := w.svc.TenantByID(ctx, w.b.ID); other.Settings.OParl.Public {
			t.Fatal("the other tenant publishes too")
		}
		bad := in
		bad.OParl.Website = "ftp://example.org"
		if _, err := w.svc.UpdateSettings(ctx, tenant.Operator(w.a.ID), bad); !errs.Is(err, errs.Invalid) {
			t.Fatalf("bad website stored: %v", err)
		}
	})
}
