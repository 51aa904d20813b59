package tenant_test

import (
	"context"
	"testing"

	"github.com/kollab/kollab/internal/db"
	"github.com/kollab/kollab/internal/db/dbtest"
	"github.com/kollab/kollab/internal/errs"
	"github.com/kollab/kollab/tenant"
)

// A mail goes out in the recipient account's language; to an address
// without an account in the tenant's default language, German unless an
// admin chose English.
func TestMailLanguage(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		w := seed(t, d)
		en := "en"
		if _, err := w.svc.UpdateProfile(ctx, w.adminB.ID, nil, &en); err != nil {
			t.Fatal(err)
		}
		bad := "fr"
		if _, err := w.svc.UpdateProfile(ctx, w.adminB.ID, nil, &bad); !errs.Is(err, errs.Invalid) {
			t.Fatalf("locale fr: %v", err)
		}
		u, err := w.svc.UserByID(ctx, w.adminB.ID)
		if err != nil || u.Locale != "en" {
			t.Fatalf("stored locale: %+v %v", u, err)
		}
		for _, c := range []struct{ email, want string }{
			{w.adminB.Email, "en"},
			{w.adminA.Email, "de"},
			{"niemand@example.org", "de"},
		} {
			if got := w.svc.MailLanguage(ctx, w.a, c.email); got != c.want {
				t.Errorf("MailLanguage(%s) = %q, want %q", c.email, got, c.want)
			}
		}
		st := w.a.Settings
		st.Language = "en"
		a, err := w.svc.UpdateSettings(ctx, tenant.Operator(w.a.ID), st)
		if err != nil || a.Settings.DefaultLanguage() != "en" {
			t.Fatalf("settings: %+v %v", a, err)
		}
		if got := w.svc.MailLanguage(ctx, a, "niemand@example.org"); got != "en" {
			t.Errorf("no account, tenant in English: %q", got)
		}
		if got := w.svc.MailLanguage(ctx, a, w.adminA.Email); got != "de" {
			t.Errorf("an account's own German wins over the tenant's English: %q", got)
		}
		st.Language = "fr"
		if _, err := w.svc.UpdateSettings(ctx, tenant.Operator(w.a.ID), st); !errs.Is(err, errs.Invalid) {
			t.Errorf("language fr: %v", err)
		}
		if (tenant.Settings{}).DefaultLanguage() != "de" {
			t.Error("the default language is German")
		}
	})
}
