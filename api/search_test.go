package api_test

import (
	"context"
	"net/url"
	"testing"

	"github.com/kollab/kollab/documents/extract"
	"github.com/kollab/kollab/internal/db"
	"github.com/kollab/kollab/internal/db/dbtest"
)

// An uploaded file is found by words of its content once the extraction
// worker ran, with a snippet whose hits are marked; a member without read
// permission finds nothing.
func TestSearchHTTP(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		a := e.seedTenant("amt-suche")
		base := "/api/v1/t/" + a.tenant.Slug
		var folder struct{ ID string }
		a.admin.must(201, "POST", base+"/folders", map[string]string{"name": "Akten"}).json(t, &folder)
		text := "Der Antrag auf Fristverlängerung wurde vom Bauausschuss angenommen. Die Beschlüsse folgen."
		a.admin.must(201, "POST", base+"/folders/"+folder.ID+"/files?file_name=vermerk.txt", text)

		ex, err := extract.New(extract.Config{})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := e.docs.RunExtraction(context.Background(), ex, 10); err != nil {
			t.Fatal(err)
		}
		type hits struct {
			Hits []struct {
				Title   string `json:"title"`
				Snippet []struct {
					Text string `json:"text"`
					Hit  bool   `json:"hit"`
				} `json:"snippet"`
			} `json:"hits"`
		}
		for _, q := range []string{"Frist", "Beschluss", "Anträge"} {
			var h hits
			a.admin.must(200, "GET", base+"/search?q="+url.QueryEscape(q), nil).json(t, &h)
			if len(h.Hits) != 1 || h.Hits[0].Title != "vermerk.txt" {
				t.Fatalf("%s: %+v", q, h)
			}
			marked := false
			for _, p := range h.Hits[0].Snippet {
				marked = marked || p.Hit
			}
			if !marked {
				t.Fatalf("%s: no highlighted part in %+v", q, h.Hits[0].Snippet)
			}
		}
		if r := a.admin.do("GET", base+"/search?q=", nil); r.status != 422 {
			t.Fatalf("empty query: %d %s", r.status, r.body)
		}

		// A staff member without a grant finds nothing.
		staff, _ := e.staff(a, "sachbearbeitung")
		var h hits
		staff.must(200, "GET", base+"/search?q=Frist", nil).json(t, &h)
		if len(h.Hits) != 0 {
			t.Fatalf("a member without read permission found %+v", h)
		}
	})
}
