package storage_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"

	"github.com/kollab/kollab/internal/storage"
	"github.com/kollab/kollab/internal/storage/storagetest"
	"github.com/kollab/kollab/internal/testenv"
)

func s3Config(srv *testenv.S3Server, bucket string) storage.S3Config {
	return storage.S3Config{
		Endpoint:     srv.Endpoint,
		AccessKey:    srv.AccessKey,
		SecretKey:    srv.SecretKey,
		Bucket:       bucket,
		CreateBucket: true,
	}
}

func newS3(t *testing.T, cfg storage.S3Config) *storage.S3 {
	t.Helper()
	s, err := storage.NewS3(t.Context(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestS3Contract(t *testing.T) {
	srv := testenv.StartS3(t)
	var n atomic.Int64
	storagetest.Run(t, func(t *testing.T) storage.Store {
		return newS3(t, s3Config(srv, fmt.Sprintf("contract-%d", n.Add(1))))
	})
}

func TestS3Streaming200MiB(t *testing.T) {
	srv := testenv.StartS3(t)
	storagetest.RunStreaming(t, newS3(t, s3Config(srv, srv.Bucket)), 200<<20, 64<<20)
}

var s3Tenant = uuid.MustParse("0190a1b2-0000-7000-8000-0000000000e1")

// Open with the URL an operator would configure, with a secret that needs
// percent-encoding.
func TestS3OpenFromURL(t *testing.T) {
	srv := testenv.StartS3(t)
	if !strings.ContainsAny(srv.SecretKey, "/+") {
		t.Fatalf("test secret %q should exercise percent-encoding", srv.SecretKey)
	}
	s, err := storage.Open(t.Context(), srv.URL("from-url"), "")
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := s.(*storage.S3); !ok {
		t.Fatalf("Open returned %T, want *storage.S3", s)
	}
	if err := s.Ping(t.Context()); err != nil {
		t.Fatalf("Ping: %v", err)
	}
	key := storagetest.NewKey(t, s3Tenant, "doc")
	storagetest.Put(t, s, key, []byte("<p>hi</p>"), "text/html; charset=utf-8")
	if info := storagetest.StatOK(t, s, key); info.ContentType != "text/html; charset=utf-8" {
		t.Fatalf("Stat ContentType = %q", info.ContentType)
	}
	// Opening again finds the bucket in place.
	if _, err := storage.Open(t.Context(), srv.URL("from-url"), ""); err != nil {
		t.Fatalf("second Open: %v", err)
	}
}

func TestS3PingFailures(t *testing.T) {
	srv := testenv.StartS3(t)
	ctx := t.Context()

	cfg := s3Config(srv, "never-created")
	cfg.CreateBucket = false
	if err := newS3(t, cfg).Ping(ctx); err == nil {
		t.Error("Ping succeeded for a missing bucket")
	}

	cfg = s3Config(srv, srv.Bucket)
	cfg.SecretKey = "wrong"
	cfg.CreateBucket = false
	if err := newS3(t, cfg).Ping(ctx); err == nil {
		t.Error("Ping succeeded with a wrong secret key")
	}

	cfg = s3Config(srv, srv.Bucket)
	cfg.Endpoint = "127.0.0.1:1"
	cfg.CreateBucket = false
	pingCtx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	if err := newS3(t, cfg).Ping(pingCtx); err == nil {
		t.Error("Ping succeeded against a closed port")
	}
}

// A cancelled or failed multipart upload leaves no parts on the server.
func TestS3FailedMultipartLeavesNoParts(t *testing.T) {
	srv := testenv.StartS3(t)
	s := newS3(t, s3Config(srv, srv.Bucket))

	short := storagetest.NewKey(t, s3Tenant, "doc")
	size := int64(storage.DefaultS3PartSize*2 + 1)
	if err := s.Put(t.Context(), short, storagetest.Generator(1, size-10), size, ""); !errors.Is(err, storage.ErrSizeMismatch) {
		t.Fatalf("short multipart Put: %v", err)
	}
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	cancelled := storagetest.NewKey(t, s3Tenant, "doc")
	// Cancel once the first part is sent and the second is being read.
	r := &cancelAfterReader{r: storagetest.Generator(2, size), after: storage.DefaultS3PartSize + 1, cancel: cancel}
	if err := s.Put(ctx, cancelled, r, size, ""); !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled multipart Put: %v", err)
	}

	client, err := minio.New(srv.Endpoint, &minio.Options{
		Creds:        credentials.NewStaticV4(srv.AccessKey, srv.SecretKey, ""),
		BucketLookup: minio.BucketLookupPath,
	})
	if err != nil {
		t.Fatal(err)
	}
	for upload := range client.ListIncompleteUploads(t.Context(), srv.Bucket, "", true) {
		if upload.Err != nil {
			t.Fatal(upload.Err)
		}
		t.Errorf("incomplete upload left behind: %s (%s)", upload.Key, upload.UploadID)
	}
}

type cancelAfterReader struct {
	r      io.Reader
	n      int64
	after  int64
	cancel context.CancelFunc
}

func (c *cancelAfterReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	if c.n += int64(n); c.n >= c.after {
		c.cancel()
	}
	return n, err
}
