// Package seed is the tests' shared fixture for people: an account with a
// membership in a tenant, made through the tenant service as an admin would
// make it, and returned as the actor the domain services take.
package seed

import (
	"context"
	"testing"

	"github.com/google/uuid"
	"github.com/kollab/kollab/tenant"
)

// Password is the password of every seeded account: long enough for the
// password policy, so that tests can also sign the person in.
const Password = "ein-sehr-langes-Passwort"

// Member creates an account (email, display name, Password) and makes it a
// member of tenantID with role; it fails the test on any error.
func Member(t testing.TB, ts *tenant.Service, tenantID uuid.UUID, role tenant.Role, email, name string) (tenant.Actor, *tenant.User) {
	t.Helper()
	return MemberWithPassword(t, ts, tenantID, role, email, name, Password)
}

// MemberWithPassword is Member with another password.
func MemberWithPassword(t testing.TB, ts *tenant.Service, tenantID uuid.UUID, role tenant.Role, email, name, pw string) (tenant.Actor, *tenant.User) {
	t.Helper()
	ctx := context.Background()
	u, err := ts.CreateUser(ctx, email, name, pw)
	if err != nil {
		t.Fatalf("seed %s: %v", email, err)
	}
	m, err := ts.AddMember(ctx, tenantID, u.ID, role)
	if err != nil {
		t.Fatalf("seed %s in %s: %v", email, tenantID, err)
	}
	return tenant.ActorFromMembership(m), u
}
