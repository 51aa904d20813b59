package documents_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/google/uuid"
	"github.com/kollab/kollab/documents"
	"github.com/kollab/kollab/internal/db"
	"github.com/kollab/kollab/internal/db/dbtest"
)

// TestSearchTenantIndependent: what a tenant finds, and how its hits rank, does not
// depend on what another tenant stores. Otherwise a tenant could tell from its own
// ranks whether a word occurs in another agency's files (corpus-wide statistics), and
// another tenant's vocabulary could crowd its own compounds out of the expansion
// (a shared, bounded vocabulary list).
func TestSearchTenantIndependent(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		withStore(t, w)
		ex := newExtractor(t)
		ag := w.a
		root := w.folder(t, ag.admin, uuid.Nil, "Tiefbau")
		w.grant(t, ag.admin, root.ID, documents.RolePrincipal("staff"), documents.Read)
		w.textDoc(t, ag.admin, root.ID, "Straßenbeleuchtung Ecke Lindenweg", "Die Straßenlampe an der Ecke ist defekt. Eine Fahrradreparatur ist nicht nötig.")
		w.textDoc(t, ag.admin, root.ID, "Wartungsplan", "Lampe tauschen, Lampe prüfen, Reparatur der Lampe bis Juni.")
		w.textDoc(t, ag.admin, root.ID, "Lampe im Rathaus", "Beleuchtung des Sitzungssaals.")
		w.extractAll(t, ex)

		queries := []string{"Lampe", "reparatur", "Lampe Reparatur", "Straßenlampe"}
		type seen struct {
			ids   []string
			ranks []float64
		}
		look := func() map[string]seen {
			out := map[string]seen{}
			for _, q := range queries {
				var s seen
				for _, h := range w.search(t, ag.alice, documents.SearchQuery{Text: q}) {
					s.ids = append(s.ids, h.Title)
					s.ranks = append(s.ranks, h.Rank)
				}
				out[q] = s
			}
			return out
		}
		before := look()
		if len(before["Lampe"].ids) != 3 || len(before["reparatur"].ids) != 2 {
			t.Fatalf("tenant A's own hits: %+v", before)
		}

		// Tenant B stores the same words many times, and 140 short compounds that
		// contain them further inside (more than the expansion list holds).
		bg := w.b
		broot := w.folder(t, bg.admin, uuid.Nil, "Lager")
		w.grant(t, bg.admin, broot.ID, documents.RolePrincipal("staff"), documents.Read)
		var words []string
		for i := range 70 {
			words = append(words, fmt.Sprintf("%clampe", 'a'+rune(i%26))+strings.Repeat("x", i/26),
				fmt.Sprintf("%creparatur", 'a'+rune(i%26))+strings.Repeat("x", i/26))
		}
		for i := range 5 {
			w.textDoc(t, bg.admin, broot.ID, fmt.Sprintf("Lampe Lampe Reparatur %d", i), strings.Repeat("Lampe Reparatur Straßenlampe ", 20)+strings.Join(words, " "))
		}
		w.extractAll(t, ex)

		after := look()
		for _, q := range queries {
			b, a := before[q], after[q]
			if fmt.Sprint(b.ids) != fmt.Sprint(a.ids) || fmt.Sprint(b.ranks) != fmt.Sprint(a.ranks) {
				t.Errorf("%q: before %v %v, after another tenant's uploads %v %v", q, b.ids, b.ranks, a.ids, a.ranks)
			}
		}
		// And tenant B finds its own documents, not A's.
		if hits := w.search(t, bg.alice, documents.SearchQuery{Text: "Lampe"}); len(hits) != 5 {
			t.Fatalf("tenant B finds %d documents, want its 5", len(hits))
		}
	})
}
