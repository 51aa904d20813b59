package tenant_test

import (
	"context"
	"testing"

	"github.com/kollab/kollab/internal/db"
	"github.com/kollab/kollab/internal/db/dbtest"
	"github.com/kollab/kollab/internal/errs"
	"github.com/kollab/kollab/tenant"
	"golang.org/x/text/unicode/norm"
)

func TestEmailKey(t *testing.T) {
	same := [][2]string{
		{"jörg.müller@amt.de", "JÖRG.MÜLLER@AMT.DE"},
		{"jörg.müller@amt.de", norm.NFD.String("Jörg.Müller@Amt.de")},
		{"strasse@amt.de", "STRASSE@amt.de"},
		{"Straße@amt.de", "strasse@amt.de"}, // full case folding of the local part
		{" a@amt.de ", "A@AMT.DE"},
		{"σίσυφος@amt.de", "ΣΊΣΥΦΟΣ@amt.de"},
	}
	for _, p := range same {
		if !tenant.SameEmail(p[0], p[1]) {
			t.Errorf("%q and %q differ: %q %q", p[0], p[1], tenant.EmailKey(p[0]), tenant.EmailKey(p[1]))
		}
	}
	differ := [][2]string{
		{"joerg@amt.de", "jörg@amt.de"},
		{"a@straße.de", "a@strasse.de"}, // two domains under IDNA 2008
		{"a@amt.de", "a@amt.de.evil.example"},
		{"a@amt.de", "b@amt.de"},
	}
	for _, p := range differ {
		if tenant.SameEmail(p[0], p[1]) {
			t.Errorf("%q and %q compare equal (%q)", p[0], p[1], tenant.EmailKey(p[0]))
		}
	}
	// Stored addresses are NFC and lower case, but never folded.
	for in, want := range map[string]string{
		norm.NFD.String("Jörg.Müller@Amt.de"): "jörg.müller@amt.de",
		"Straße@Amt.de":                       "straße@amt.de",
	} {
		if got, err := tenant.NormalizeEmail(in); err != nil || got != want || !norm.NFC.IsNormalString(got) {
			t.Errorf("NormalizeEmail(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
}

// An invitation joins only the account whose verified address is the
// invited one: a caller signed in as another address is refused on every
// path, and the invitation stays open for the invited person.
func TestInvitationBoundToInvitedAddress(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		w := seed(t, d)
		eve, err := w.svc.CreateUser(ctx, "eve-"+w.a.Slug+"@angreifer.example", "Eve", "Eves-eigenes-Passwort")
		if err != nil {
			t.Fatal(err)
		}
		victim := "opfer-" + w.a.Slug + "@example.org"
		_, tok, err := w.svc.Invite(ctx, tenant.ActorFromMembership(w.memAdminA), victim, tenant.RoleAdmin)
		if err != nil {
			t.Fatal(err)
		}
		eveIn := func() []tenant.UserTenant {
			ts, err := w.svc.TenantsOfUser(ctx, eve.ID)
			if err != nil {
				t.Fatal(err)
			}
			return ts
		}
		// Into the signed-in account of another address.
		if _, _, err := w.svc.AcceptInvitation(ctx, w.a.ID, tok, tenant.AcceptInput{Caller: &eve.ID, IntoCaller: true}); !errs.Is(err, errs.OtherAccount) {
			t.Fatalf("accepted into another address's account: %v", err)
		}
		// Signed in as another address, creating the invited address's account.
		if _, _, err := w.svc.AcceptInvitation(ctx, w.a.ID, tok, tenant.AcceptInput{Caller: &eve.ID, DisplayName: "Opfer", Password: "Eves-eigenes-Passwort"}); !errs.Is(err, errs.OtherAccount) {
			t.Fatalf("signed in as another address, created the invited account: %v", err)
		}
		if len(eveIn()) != 0 {
			t.Fatalf("eve became a member: %+v", eveIn())
		}
		if _, err := w.svc.UserByEmail(ctx, victim); !errs.Is(err, errs.NotFound) {
			t.Fatalf("an account for the invited address was created: %v", err)
		}
		if _, err := w.svc.InvitationByToken(ctx, w.a.ID, tok); err != nil {
			t.Fatalf("a refused attempt used up the invitation: %v", err)
		}

		// Into an existing account with a password: the invited address's
		// account exists; a caller of another address is refused even with
		// the right password, and without a session the wrong one fails.
		owner, err := w.svc.CreateUser(ctx, victim, "Opfer", pw)
		if err != nil {
			t.Fatal(err)
		}
		if _, _, err := w.svc.AcceptInvitation(ctx, w.a.ID, tok, tenant.AcceptInput{Caller: &eve.ID, Password: pw}); !errs.Is(err, errs.OtherAccount) {
			t.Fatalf("signed in as another address, joined the invited account: %v", err)
		}
		if _, _, err := w.svc.AcceptInvitation(ctx, w.a.ID, tok, tenant.AcceptInput{Password: "Eves-eigenes-Passwort"}); !errs.Is(err, errs.InvalidCredentials) {
			t.Fatalf("another account's password joined the invited account: %v", err)
		}
		if len(eveIn()) != 0 {
			t.Fatalf("eve became a member: %+v", eveIn())
		}
		u, m, err := w.svc.AcceptInvitation(ctx, w.a.ID, tok, tenant.AcceptInput{Caller: &owner.ID, Password: pw})
		if err != nil || u.ID != owner.ID || m.Role != tenant.RoleAdmin {
			t.Fatalf("the invited person, signed in, with the password: %+v %+v %v", u, m, err)
		}
	})
}

// The invited address in another case and Unicode form is the same address:
// its account can accept, signed in or with its password, and no second
// account appears.
func TestInvitationAcceptsOtherSpellingOfAddress(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		w := seed(t, d)
		local := "jörg.müller-" + w.a.Slug
		owner, err := w.svc.CreateUser(ctx, local+"@amt.example", "Jörg Müller", pw)
		if err != nil {
			t.Fatal(err)
		}
		spelled := norm.NFD.String("JÖRG.MÜLLER-"+w.a.Slug) + "@Amt.Example"
		_, tokA, err := w.svc.Invite(ctx, tenant.ActorFromMembership(w.memAdminA), spelled, tenant.RoleStaff)
		if err != nil {
			t.Fatal(err)
		}
		if info, err := w.svc.InvitationByToken(ctx, w.a.ID, tokA); err != nil || !info.AccountExists || info.Invitation.Email != owner.Email {
			t.Fatalf("lookup: %+v %v", info, err)
		}
		u, _, err := w.svc.AcceptInvitation(ctx, w.a.ID, tokA, tenant.AcceptInput{Password: pw})
		if err != nil || u.ID != owner.ID {
			t.Fatalf("with the password: %+v %v", u, err)
		}
		_, tokB, err := w.svc.Invite(ctx, tenant.ActorFromMembership(w.memAdminB), spelled, tenant.RoleCommittee)
		if err != nil {
			t.Fatal(err)
		}
		u, _, err = w.svc.AcceptInvitation(ctx, w.b.ID, tokB, tenant.AcceptInput{Caller: &owner.ID, IntoCaller: true})
		if err != nil || u.ID != owner.ID {
			t.Fatalf("signed in: %+v %v", u, err)
		}
		ts, err := w.svc.TenantsOfUser(ctx, owner.ID)
		if err != nil || len(ts) != 2 {
			t.Fatalf("memberships: %+v %v", ts, err)
		}
	})
}

// An account whose address nobody proved accepts no invitation, on either path.
func TestInvitationNeedsVerifiedAddress(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		w := seed(t, d)
		u, err := w.svc.CreateUser(ctx, "unbestaetigt-"+w.a.Slug+"@example.org", "Unbestätigt", pw)
		if err != nil {
			t.Fatal(err)
		}
		if u.EmailVerifiedAt == nil {
			t.Fatal("an operator-created account is not verified")
		}
		if err := d.Global(ctx).Table("users").Where("id = ?", u.ID).Update("email_verified_at", nil).Error; err != nil {
			t.Fatal(err)
		}
		_, tok, err := w.svc.Invite(ctx, tenant.ActorFromMembership(w.memAdminA), u.Email, tenant.RoleStaff)
		if err != nil {
			t.Fatal(err)
		}
		if _, _, err := w.svc.AcceptInvitation(ctx, w.a.ID, tok, tenant.AcceptInput{Caller: &u.ID, IntoCaller: true}); !errs.Is(err, errs.OtherAccount) {
			t.Fatalf("unverified, signed in: %v", err)
		}
		if _, _, err := w.svc.AcceptInvitation(ctx, w.a.ID, tok, tenant.AcceptInput{Password: pw}); !errs.Is(err, errs.OtherAccount) {
			t.Fatalf("unverified, with the password: %v", err)
		}
		if ts, _ := w.svc.TenantsOfUser(ctx, u.ID); len(ts) != 0 {
			t.Fatalf("unverified account joined: %+v", ts)
		}
		// A new account made by accepting has proven its address.
		_, tok2, err := w.svc.Invite(ctx, tenant.ActorFromMembership(w.memAdminA), "frisch-"+w.a.Slug+"@example.org", tenant.RoleStaff)
		if err != nil {
			t.Fatal(err)
		}
		nu, _, err := w.svc.AcceptInvitation(ctx, w.a.ID, tok2, tenant.AcceptInput{DisplayName: "Frisch", Password: pw})
		if err != nil || nu.EmailVerifiedAt == nil {
			t.Fatalf("new account: %+v %v", nu, err)
		}
	})
}
