package documents_test

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"

	"github.com/kollab/kollab/documents"
	"github.com/kollab/kollab/internal/db"
	"github.com/kollab/kollab/internal/db/dbtest"
	"github.com/kollab/kollab/internal/errs"
	"github.com/kollab/kollab/internal/storage"
	"github.com/kollab/kollab/internal/testenv"
)

// A revision whose object was changed behind Kollab's back: a download
// of another size is refused before a byte is sent, one of other bytes
// of the same size fails instead of ending, both mark the revision, and
// verify reports the mark and clears it once the object is right again.
func TestDownloadRefusesCorruptedObject(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		st := withStore(t, w)
		ag := w.a
		root := w.folder(t, ag.admin, uuid.Nil, "Akten")
		data := []byte(strings.Repeat("Haushaltsplan 2026. ", 5000))
		up, body := upload("plan.txt", data)
		doc, rev, err := w.svc.CreateDocumentWithRevision(ctx, ag.admin, root.ID, documents.DocumentInput{}, up, body)
		must(t, err)

		// Another size: refused at open, marked "size".
		must(t, st.Put(ctx, rev.StorageKey, bytes.NewReader(data[:len(data)-1]), int64(len(data)-1), ""))
		if _, rc, err := w.svc.OpenRevision(ctx, ag.admin, doc.ID, uuid.Nil, 0, -1); err == nil {
			rc.Close()
			t.Fatal("a revision whose object has another size was opened")
		} else {
			wantCode(t, err, errs.Internal, "open a shortened object")
		}
		marks, err := w.svc.Suspects(ctx, ag.tenant.ID)
		must(t, err)
		if len(marks) != 1 || marks[0].RevisionID != rev.ID || marks[0].Problem != documents.SuspectSize {
			t.Fatalf("marks after a size mismatch: %+v", marks)
		}

		// Same size, other bytes: the read fails before the last byte.
		bad := bytes.Clone(data)
		bad[len(bad)/2] ^= 1
		must(t, st.Put(ctx, rev.StorageKey, bytes.NewReader(bad), int64(len(bad)), ""))
		_, rc, err := w.svc.OpenRevision(ctx, ag.admin, doc.ID, uuid.Nil, 0, -1)
		must(t, err)
		got, err := io.ReadAll(rc)
		rc.Close()
		if !errors.Is(err, storage.ErrCorrupt) || errs.As(err) == nil || len(got) >= len(data) {
			t.Fatalf("reading changed bytes: %d of %d bytes, err %v; want a domain error wrapping ErrCorrupt before the end", len(got), len(data), err)
		}
		marks, err = w.svc.Suspects(ctx, ag.tenant.ID)
		must(t, err)
		if len(marks) != 1 || marks[0].Problem != documents.SuspectHash {
			t.Fatalf("marks after a hash mismatch: %+v", marks)
		}
		// A range cannot be hashed, but its size is right: it is served.
		_, rc, err = w.svc.OpenRevision(ctx, ag.admin, doc.ID, uuid.Nil, 10, 20)
		must(t, err)
		if b := readAll(t, rc); !bytes.Equal(b, bad[10:30]) {
			t.Fatalf("range read: %q", b)
		}

		rep, err := w.svc.Verify(ctx, []uuid.UUID{ag.tenant.ID}, nil)
		must(t, err)
		if len(rep.Problems) != 1 || len(rep.Marked) != 1 || rep.Cleared != 0 {
			t.Fatalf("verify with a changed object: %+v", rep)
		}
		// Restored from a backup: verify clears the mark.
		must(t, st.Put(ctx, rev.StorageKey, bytes.NewReader(data), int64(len(data)), ""))
		rep, err = w.svc.Verify(ctx, []uuid.UUID{ag.tenant.ID}, nil)
		must(t, err)
		if len(rep.Problems) != 0 || len(rep.Marked) != 1 || rep.Cleared != 1 {
			t.Fatalf("verify after the object was restored: %+v", rep)
		}
		if marks, _ := w.svc.Suspects(ctx, ag.tenant.ID); len(marks) != 0 {
			t.Fatalf("marks left after verify found the object intact: %+v", marks)
		}
		// Tenant B sees no mark of tenant A.
		if marks, _ := w.svc.Suspects(ctx, w.b.tenant.ID); len(marks) != 0 {
			t.Fatalf("tenant B sees marks: %+v", marks)
		}
	})
}

// blockingBody yields n bytes, then blocks until released.
type blockingBody struct {
	n       int
	release chan struct{}
	reached chan struct{}
}

func (b *blockingBody) Read(p []byte) (int, error) {
	if b.n == 0 {
		select {
		case <-b.reached:
		default:
			close(b.reached)
		}
		<-b.release
		return 0, errors.New("client gone")
	}
	k := min(len(p), b.n)
	for i := range p[:k] {
		p[i] = byte(i)
	}
	b.n -= k
	return k, nil
}

// An upload whose process died (no heartbeat) loses its intent, its
// incomplete multipart upload and its reservation once the heartbeat
// timeout passed, long before IntentTTL; a live upload beside it, however
// old, is left alone.
func TestDeadUploadReleasedWithinHeartbeatTimeout(t *testing.T) {
	s3 := testenv.StartS3(t)
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		bucket := "dead-" + string(d.Dialect())
		st, err := storage.NewS3(ctx, storage.S3Config{Endpoint: s3.Endpoint, AccessKey: s3.AccessKey, SecretKey: s3.SecretKey, Bucket: bucket, CreateBucket: true})
		must(t, err)
		w.configure(documents.WithStore(st), documents.WithIntentHeartbeatTimeout(500*time.Millisecond))
		ag := w.a
		root := w.folder(t, ag.admin, uuid.Nil, "Akten")

		// The dead process: the same database and store, but its heartbeat
		// never beats (as after kill -9).
		dead := documents.NewService(d, documents.WithStore(st), documents.WithClock(w.clock.Now), documents.WithIntentHeartbeatTimeout(0))

		const size = storage.DefaultS3PartSize + 4<<20
		start := func(svc *documents.Service, name string) (*blockingBody, chan error) {
			b := &blockingBody{n: storage.DefaultS3PartSize + 1<<20, release: make(chan struct{}), reached: make(chan struct{})}
			done := make(chan error, 1)
			go func() {
				_, _, err := svc.CreateDocumentWithRevision(ctx, ag.admin, root.ID, documents.DocumentInput{},
					documents.Upload{FileName: name, Size: size}, b)
				done <- err
			}()
			<-b.reached // the first part is stored, the second is being read
			return b, done
		}
		liveBody, liveDone := start(w.svc, "live.bin")
		deadBody, deadDone := start(dead, "dead.bin")
		defer close(liveBody.release)

		u, err := w.svc.StorageUsage(ctx, ag.tenant.ID)
		must(t, err)
		if u.ReservedBytes != 2*size {
			t.Fatalf("reserved %d bytes, want %d", u.ReservedBytes, 2*size)
		}
		// Within the timeout nothing is dead.
		rep, err := w.svc.SweepDeadUploads(ctx)
		must(t, err)
		if rep.AbortedIntents != 0 {
			t.Fatalf("sweep within the timeout aborted %d uploads", rep.AbortedIntents)
		}
		// Past the timeout (the live upload's heartbeat keeps beating,
		// in clock time).
		w.clock.Advance(time.Minute)
		time.Sleep(400 * time.Millisecond)
		rep, err = w.svc.SweepDeadUploads(ctx)
		must(t, err)
		if rep.AbortedIntents != 1 || rep.ReleasedBytes != size || rep.AbortedMultipart != 1 || rep.DiscardedBytes < storage.DefaultS3PartSize {
			t.Fatalf("sweep past the timeout: %+v; want the dead upload with its multipart upload", rep)
		}
		u, err = w.svc.StorageUsage(ctx, ag.tenant.ID)
		must(t, err)
		if u.ReservedBytes != size {
			t.Fatalf("after the sweep %d bytes reserved, want the live upload's %d", u.ReservedBytes, int64(size))
		}
		client, err := minio.New(s3.Endpoint, &minio.Options{Creds: credentials.NewStaticV4(s3.AccessKey, s3.SecretKey, ""), BucketLookup: minio.BucketLookupPath})
		must(t, err)
		var keys []string
		for up := range client.ListIncompleteUploads(ctx, bucket, "", true) {
			must(t, up.Err)
			keys = append(keys, up.Key)
		}
		if len(keys) != 1 {
			t.Fatalf("incomplete uploads after the sweep: %v, want only the live one", keys)
		}
		close(deadBody.release)
		if err := <-deadDone; err == nil {
			t.Fatal("the dead upload committed after it was swept")
		}
		select {
		case err := <-liveDone:
			t.Fatalf("the live upload ended: %v", err)
		default:
		}
	})
}
