package api_test

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/google/uuid"
	"github.com/kollab/kollab/internal/db/dbtest"
	"github.com/kollab/kollab/tenant"
)

// A download over the API checks the stored bytes against the revision: an
// object of another size is refused with a problem before a byte is sent,
// one of other bytes of the same size breaks off instead of ending as if
// complete; both leave the revision marked for `kollab documents verify`.
func TestDownloadChecksStoredBytes(t *testing.T) {
	e := newEnv(t, dbtest.SQLite(t))
	ctx := context.Background()
	a := e.seedTenant("amt-integritaet")
	base := "/api/v1/t/" + a.tenant.Slug
	var folder struct{ ID string }
	a.admin.must(201, "POST", base+"/folders", map[string]string{"name": "Akten"}).json(t, &folder)
	data := []byte(strings.Repeat("Haushaltsplan 2026. ", 20000))
	var up revisionBody
	a.admin.must(201, "POST", base+"/folders/"+folder.ID+"/files?file_name="+url.QueryEscape("plan.txt"), string(data)).json(t, &up)
	uts, err := e.tenants.TenantsOfUser(ctx, mustUser(t, e, a.email).ID)
	liveOK(t, err)
	actor := tenant.ActorFromMembership(&uts[0].Membership)
	rev, err := e.docs.GetRevision(ctx, actor, uuid.MustParse(up.Document.ID), uuid.MustParse(up.Revision.ID))
	liveOK(t, err)
	content := base + "/documents/" + up.Document.ID + "/content"
	a.admin.must(200, "GET", content, nil)

	// Another size: a problem, not a short 200.
	liveOK(t, e.docs.Store().Put(ctx, rev.StorageKey, bytes.NewReader(data[:len(data)-7]), int64(len(data)-7), ""))
	if r := a.admin.do("GET", content, nil); r.status != 500 || r.header.Get("Content-Type") != "application/problem+json" {
		t.Fatalf("download of a shortened object: %d %s %.100s", r.status, r.header.Get("Content-Type"), r.body)
	}

	// Same size, one bit flipped: the body breaks off before its end.
	bad := bytes.Clone(data)
	bad[len(bad)/2] ^= 1
	liveOK(t, e.docs.Store().Put(ctx, rev.StorageKey, bytes.NewReader(bad), int64(len(bad)), ""))
	srv := serve(t, e)
	req, _ := http.NewRequest("GET", srv+content, nil)
	a.admin.authorize(req)
	res, err := http.DefaultClient.Do(req)
	liveOK(t, err)
	got, err := io.ReadAll(res.Body)
	res.Body.Close()
	if err == nil && bytes.Equal(got, bad) {
		t.Fatalf("the corrupted object was served whole with %d", res.StatusCode)
	}
	if bytes.Equal(got, data) {
		t.Fatal("served the original bytes from nowhere")
	}

	marks, err := e.docs.Suspects(ctx, a.tenant.ID)
	liveOK(t, err)
	if len(marks) == 0 || marks[0].RevisionID != rev.ID {
		t.Fatalf("the revision is not marked for verification: %+v", marks)
	}
}
