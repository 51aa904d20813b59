package documents_test

import (
	"context"
	"io"
	"testing"

	"github.com/google/uuid"
	"github.com/kollab/kollab/documents"
	"github.com/kollab/kollab/documents/extract"
	"github.com/kollab/kollab/internal/db"
	"github.com/kollab/kollab/internal/db/dbtest"
	"github.com/kollab/kollab/internal/storage"
)

// countingStore counts reads.
type countingStore struct {
	storage.Store
	gets int
}

func (c *countingStore) Get(ctx context.Context, key string, off, n int64) (io.ReadCloser, error) {
	c.gets++
	return c.Store.Get(ctx, key, off, n)
}

// A binary upload is skipped by the extraction worker without fetching it.
func TestExtractionSkipsBinariesUnread(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		st := withStore(t, w)
		cs := &countingStore{Store: st}
		w.configure(documents.WithStore(cs))
		root := w.folder(t, w.a.admin, uuid.Nil, "Akten")
		bin := make([]byte, 4096)
		for i := range bin {
			bin[i] = byte(i*7 + 1)
		}
		up, body := upload("daten.bin", bin)
		_, rev, err := w.svc.CreateDocumentWithRevision(ctx, w.a.admin, root.ID, documents.DocumentInput{}, up, body)
		must(t, err)
		if rev.ContentType != "application/octet-stream" {
			t.Fatalf("sniffed %q", rev.ContentType)
		}
		ex, err := extract.New(extract.Config{})
		must(t, err)
		w.clock.Advance(1e9)
		n, err := w.svc.RunExtraction(ctx, ex, 10)
		must(t, err)
		if n != 1 || cs.gets != 0 {
			t.Fatalf("processed %d jobs with %d reads of the object", n, cs.gets)
		}
		var state string
		must(t, d.Tenant(ctx, w.a.tenant.ID, func(tx *db.Tx) error {
			return tx.Table("extraction_jobs").Where("revision_id = ?", rev.ID).Select("state").Scan(&state).Error
		}))
		if state != "skipped" {
			t.Fatalf("job state %q", state)
		}
	})
}
