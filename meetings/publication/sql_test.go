package publication

import (
	"testing"

	"github.com/google/uuid"
	"github.com/kollab/kollab/internal/db/migrations"
	"github.com/kollab/kollab/internal/db/sqlscope"
)

// The sources are built at run time (per dialect, per scope): every one
// they can produce filters each tenant table by @tenant.
func TestSourcesAreTenantScoped(t *testing.T) {
	tables, err := sqlscope.TenantTables(migrations.FS, "postgres")
	if err != nil {
		t.Fatal(err)
	}
	id := uuid.New()
	scopes := []Scope{{}, Committee(id), Meeting(id), Place(id), AgendaItem(id), Documents(id), Folder(id), Seat(id, id)}
	n := 0
	for _, pg := range []bool{false, true} {
		for _, k := range Kinds {
			for _, s := range scopes {
				cond, _ := k.within(s)
				q := "SELECT x.id FROM (" + k.src(pg, cond) + ") x"
				n++
				for _, p := range sqlscope.Check(q, tables) {
					t.Errorf("%s (pg %v, scope %+v): %s\n%s", k.Type, pg, s, p, q)
				}
			}
		}
	}
	if n < 100 {
		t.Fatalf("only %d sources checked", n)
	}
}
