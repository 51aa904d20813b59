package sqlscope_test

import (
	"testing"

	"github.com/kollab/kollab/internal/db/sqlscope"
)

// The checker catches what it should and accepts what is tied to @tenant.
func TestCheck(t *testing.T) {
	tables := map[string]bool{"folders": true, "documents": true, "folder_paths": true, "memberships": true}
	for _, c := range []struct {
		q       string
		anchors []string
		bad     int
	}{
		{"SELECT * FROM folders WHERE tenant_id = @tenant AND id = ?", nil, 0},
		{"SELECT * FROM folders WHERE tenant_id = ? AND id = ?", nil, 1},
		{"SELECT * FROM folders WHERE id = ?", nil, 1},
		{"SELECT * FROM users WHERE id = ?", nil, 0},
		// a join tied through the filtered table, or not at all
		{"SELECT d.id FROM documents d JOIN folders f ON f.tenant_id = d.tenant_id AND f.id = d.folder_id WHERE d.tenant_id = @tenant", nil, 0},
		{"SELECT d.id FROM documents d JOIN folders f ON f.id = d.folder_id WHERE d.tenant_id = @tenant", nil, 1},
		{"SELECT d.id FROM documents d, folders f WHERE d.tenant_id = @tenant AND f.id = d.folder_id", nil, 1},
		// an unqualified tenant_id belongs to its own SELECT
		{"SELECT id FROM documents WHERE tenant_id = @tenant AND folder_id IN (SELECT id FROM folders WHERE deleted_at IS NULL)", nil, 1},
		{"SELECT id FROM documents WHERE tenant_id = @tenant AND folder_id IN (SELECT id FROM folders WHERE tenant_id = @tenant)", nil, 0},
		// each branch of a UNION on its own
		{"SELECT id FROM folders WHERE tenant_id = @tenant UNION SELECT id FROM documents", nil, 1},
		// a correlated subquery tied through its outer table
		{"SELECT id FROM documents d WHERE d.tenant_id = @tenant AND EXISTS (SELECT 1 FROM folders f WHERE f.tenant_id = d.tenant_id)", nil, 0},
		// inserts: the tenant_id value
		{"INSERT INTO folders (tenant_id, id) VALUES (@tenant, ?)", nil, 0},
		{"INSERT INTO folders (tenant_id, id) VALUES (?, ?)", nil, 1},
		{"INSERT INTO folders (id, tenant_id) VALUES (?, @tenant), (?, @tenant)", nil, 0},
		{"INSERT INTO folders (id, tenant_id) VALUES (?, @tenant), (?, ?)", nil, 1},
		{"INSERT INTO folder_paths (tenant_id, descendant_id) SELECT p.tenant_id, ? FROM folder_paths p WHERE p.tenant_id = @tenant", nil, 0},
		{"INSERT INTO folder_paths (tenant_id, descendant_id) SELECT p.tenant_id, ? FROM folder_paths p WHERE p.id = ?", nil, 2},
		{"INSERT INTO folders (tenant_id, id) VALUES (@tenant, ?) ON CONFLICT (tenant_id, id) DO UPDATE SET id = excluded.id", nil, 0},
		// updates and deletes
		{"UPDATE documents SET title = ? WHERE tenant_id = @tenant AND id = ?", nil, 0},
		{"UPDATE documents SET title = ? WHERE tenant_id <= @tenant", nil, 1},
		{"DELETE FROM folders WHERE id IN ?", nil, 1},
		// a CTE counts as tied; the tables inside it are checked
		{"WITH RECURSIVE t AS (SELECT id FROM folders WHERE tenant_id = @tenant UNION ALL SELECT f.id FROM folders f JOIN t ON f.tenant_id = t.tenant_id) SELECT * FROM t", nil, 0},
		{"WITH t AS (SELECT id FROM folders) SELECT * FROM t", nil, 1},
		// a fragment of a Tx.Table(name) chain may tie to name.tenant_id
		{"JOIN folders f ON f.tenant_id = documents.tenant_id AND f.id = documents.folder_id", []string{"documents"}, 0},
		{"JOIN folders f ON f.tenant_id = documents.tenant_id AND f.id = documents.folder_id", nil, 1},
		// a part known only at run time ties nothing
		{"SELECT id FROM folders f WHERE f.tenant_id = " + sqlscope.Hole, nil, 1},
		// prose is no SQL
		{"documents: update folders: %w", nil, 0},
	} {
		got := sqlscope.Check(c.q, tables, c.anchors...)
		if len(got) != c.bad {
			t.Errorf("%q: %d problems, want %d: %v", c.q, len(got), c.bad, got)
		}
	}
}
