package documents_test

import (
	"strings"
	"testing"

	"github.com/google/uuid"
	"github.com/kollab/kollab/documents"
	"github.com/kollab/kollab/internal/db"
	"github.com/kollab/kollab/internal/db/dbtest"
	"github.com/kollab/kollab/internal/errs"
)

// A granted write: a partner who cannot see the folder stores a document
// there; titles are numbered, the quota applies, the folder must be live
// and of the actor's tenant; the actor still cannot open the document.
func TestCreateGrantedDocument(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		withStore(t, w)
		ag := w.a
		root := w.folder(t, ag.admin, uuid.Nil, "Beteiligungsverfahren")
		up := func(name, body string) (*documents.Revision, error) {
			return w.svc.CreateGrantedDocument(ctx, ag.dave, root.ID, documents.DocumentInput{Metadata: documents.Metadata{"k": "v"}},
				documents.Upload{FileName: name, Size: int64(len(body))}, strings.NewReader(body))
		}
		if _, err := w.svc.GetFolder(ctx, ag.dave, root.ID); !errs.Is(err, errs.NotFound) {
			t.Fatalf("dave sees the folder: %v", err)
		}
		r1, err := up("Anlage.pdf", "eins")
		must(t, err)
		r2, err := up("Anlage.pdf", "zwei")
		must(t, err)
		d1, err := w.svc.GetDocument(ctx, ag.admin, r1.DocumentID)
		must(t, err)
		d2, err := w.svc.GetDocument(ctx, ag.admin, r2.DocumentID)
		must(t, err)
		if d1.Title != "Anlage.pdf" || d2.Title != "Anlage (2).pdf" || d1.CreatedBy != ag.dave.MembershipID || d1.Metadata["k"] != "v" ||
			r1.Number != 1 || r1.Size != 4 {
			t.Fatalf("documents: %+v %+v %+v", d1, d2, r1)
		}
		_, err = w.svc.GetDocument(ctx, ag.dave, r1.DocumentID)
		wantCode(t, err, errs.NotFound, "dave opens it")
		_, err = w.svc.CreateGrantedDocument(ctx, w.b.admin, root.ID, documents.DocumentInput{}, documents.Upload{FileName: "x", Size: 1}, strings.NewReader("x"))
		wantCode(t, err, errs.NotFound, "another tenant's folder")
		q := int64(10)
		must(t, w.svc.SetQuota(ctx, ag.tenant.ID, &q))
		_, err = up("gross.bin", strings.Repeat("x", 11))
		wantCode(t, err, errs.TooLarge, "over the quota")
		must(t, w.svc.DeleteFolder(ctx, ag.admin, root.ID))
		_, err = up("spät.txt", "x")
		wantCode(t, err, errs.NotFound, "trashed folder")
	})
}
