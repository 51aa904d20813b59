package tenant_test

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/kollab/kollab/internal/audit"
	"github.com/kollab/kollab/internal/db"
	"github.com/kollab/kollab/internal/db/dbtest"
	"github.com/kollab/kollab/internal/errs"
	"github.com/kollab/kollab/internal/workdays"
	"github.com/kollab/kollab/tenant"
)

func TestFederalStateValidate(t *testing.T) {
	for _, s := range append([]string{""}, "BW", "BY", "BE", "BB", "HB", "HH", "HE", "MV", "NI", "NW", "RP", "SL", "SN", "ST", "SH", "TH") {
		if err := (tenant.Settings{FederalState: s}).Validate(); err != nil {
			t.Errorf("%q refused: %v", s, err)
		}
	}
	for _, s := range []string{"by", "DE-BY", "XX", "Bayern", " BY", "B"} {
		err := (tenant.Settings{FederalState: s}).Validate()
		if e := errs.As(err); e == nil || e.Code != errs.Invalid || e.Field != "federal_state" {
			t.Errorf("%q: want invalid federal_state, got %v", s, err)
		}
	}
}

// The federal state is stored with the settings, picks the calendar
// deadlines are computed with, is recorded in the audit log, and is
// refused when unknown (leaving the stored one).
func TestFederalStateStored(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		w := seed(t, d)
		if w.a.Settings.FederalState != "" || w.a.Settings.Calendar().State() != workdays.None {
			t.Fatalf("a new tenant has a federal state: %+v", w.a.Settings)
		}
		// Settings stored before the field existed read as none.
		var old tenant.Settings
		if err := json.Unmarshal([]byte(`{"require_totp_roles":["admin"],"language":"de"}`), &old); err != nil || old.FederalState != "" {
			t.Fatalf("old settings: %+v %v", old, err)
		}
		st := w.a.Settings
		st.FederalState = "SN"
		if _, err := w.svc.UpdateSettings(ctx, tenant.Operator(w.a.ID), st); err != nil {
			t.Fatal(err)
		}
		got, err := w.svc.TenantByID(ctx, w.a.ID)
		if err != nil || got.Settings.FederalState != "SN" {
			t.Fatalf("stored: %+v %v", got, err)
		}
		// Buß- und Bettag 2025 (Wednesday 19 November) is a holiday in Sachsen only.
		bettag := workdays.NewDate(2025, 11, 19)
		if got.Settings.Calendar().IsWorkday(bettag) {
			t.Fatal("Sachsen's calendar has Buß- und Bettag as a working day")
		}
		if other, _ := w.svc.TenantByID(ctx, w.b.ID); other.Settings.FederalState != "" || !other.Settings.Calendar().IsWorkday(bettag) {
			t.Fatalf("the other tenant changed: %+v", other.Settings)
		}
		if ev := groupEvents(t, d, w.a.ID, audit.ActionPolicyChanged); len(ev) == 0 || ev[0]["federal_state"] != "SN" {
			t.Fatalf("audit: %v", ev)
		}

		st.FederalState = "XX"
		if _, err := w.svc.UpdateSettings(ctx, tenant.Operator(w.a.ID), st); !errs.Is(err, errs.Invalid) {
			t.Fatalf("unknown state: %v", err)
		}
		st.FederalState = ""
		if _, err := w.svc.UpdateSettings(ctx, tenant.Operator(w.a.ID), st); err != nil {
			t.Fatal(err)
		}
		if got, _ := w.svc.TenantByID(ctx, w.a.ID); got.Settings.FederalState != "" {
			t.Fatalf("cleared: %+v", got.Settings)
		}
		if ev := groupEvents(t, d, w.a.ID, audit.ActionPolicyChanged); len(ev) != 2 || ev[0]["federal_state"] != "" {
			t.Fatalf("audit: %v", ev)
		}
	})
}
