package documents

import (
	"testing"

	"github.com/google/uuid"
	"github.com/kollab/kollab/internal/db/migrations"
	"github.com/kollab/kollab/internal/db/sqlscope"
	"github.com/kollab/kollab/tenant"
)

// The permission fragments are built at run time (per actor and level):
// every one they can produce, in the statements that use them, filters
// each tenant table by @tenant.
func TestAccessSQLIsTenantScoped(t *testing.T) {
	tables, err := sqlscope.TenantTables(migrations.FS, "postgres")
	if err != nil {
		t.Fatal(err)
	}
	check := func(q string) {
		t.Helper()
		for _, p := range sqlscope.Check(q, tables) {
			t.Errorf("%s\n%s", p, q)
		}
	}
	for _, role := range []tenant.Role{tenant.RoleAdmin, tenant.RoleStaff} {
		a := tenant.Actor{TenantID: uuid.New(), MembershipID: uuid.New(), UserID: uuid.New(), Role: role}
		for _, lvl := range []Level{Read, Write, Manage} {
			sub, _ := allowedFolders(a, lvl)
			check(sub)
			acc, _ := accessFilter("documents.folder_id", a, lvl)
			check("SELECT documents.id FROM documents WHERE documents.tenant_id = @tenant AND " + acc)
		}
		lvl, _ := accessLevel("documents.folder_id", a)
		check("SELECT documents.id, " + lvl + " AS access FROM documents WHERE documents.tenant_id = @tenant")
		check("SELECT folders.id, " + effectiveRetention("folders.id") + " AS r FROM folders WHERE folders.tenant_id = @tenant")
		for _, f := range []searchFilter{{}, {folderID: uuid.New(), tags: []string{"a", "b"}}} {
			for _, onSearch := range []bool{false, true} {
				where, _ := f.filterSQL(a, onSearch, nil)
				check("SELECT d.id FROM documents d JOIN document_search ds ON ds.tenant_id = d.tenant_id AND ds.document_id = d.id WHERE d.tenant_id = @tenant" + where)
			}
		}
	}
}
