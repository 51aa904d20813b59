package storage_test

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/johannesboyne/gofakes3"
	"github.com/johannesboyne/gofakes3/backend/s3mem"
	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"

	"github.com/kollab/kollab/internal/storage"
	"github.com/kollab/kollab/internal/storage/storagetest"
	"github.com/kollab/kollab/internal/testenv"
)

// fakeS3 is gofakes3, a second S3 implementation, in process over plain
// HTTP. Its multipart part upload stores a request body verbatim: an
// aws-chunked body (minio-go's signed streaming over plain HTTP) becomes
// an object with the chunk framing inside, of the wrong size.
type fakeS3 struct {
	endpoint string
	// mangle, when set, may change each request before gofakes3 sees it,
	// and each answer before the client does.
	mangle atomic.Pointer[mangler]
}

type mangler struct {
	request  func(r *http.Request)
	response func(r *http.Response)
}

func startFakeS3(t *testing.T) *fakeS3 {
	t.Helper()
	f := &fakeS3{}
	backend := httptest.NewServer(gofakes3.New(s3mem.New(), gofakes3.WithLogger(gofakes3.DiscardLog())).Server())
	t.Cleanup(backend.Close)
	target, _ := url.Parse(backend.URL)
	proxy := httputil.NewSingleHostReverseProxy(target)
	direct := proxy.Director
	proxy.Director = func(r *http.Request) {
		direct(r)
		if m := f.mangle.Load(); m != nil && m.request != nil {
			m.request(r)
		}
	}
	proxy.ModifyResponse = func(r *http.Response) error {
		if m := f.mangle.Load(); m != nil && m.response != nil {
			m.response(r)
		}
		return nil
	}
	srv := httptest.NewServer(proxy)
	t.Cleanup(srv.Close)
	f.endpoint = strings.TrimPrefix(srv.URL, "http://")
	return f
}

func (f *fakeS3) store(t *testing.T, bucket string) *storage.S3 {
	return newS3(t, storage.S3Config{Endpoint: f.endpoint, AccessKey: "fake", SecretKey: "fake-secret", Bucket: bucket, CreateBucket: true})
}

func (f *fakeS3) client(t *testing.T) *minio.Client {
	c, err := minio.New(f.endpoint, &minio.Options{Creds: credentials.NewStaticV4("fake", "fake-secret", ""), BucketLookup: minio.BucketLookupPath})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// The Store contract against gofakes3 over plain HTTP.
func TestS3ContractGofakes3(t *testing.T) {
	f := startFakeS3(t)
	var n atomic.Int64
	storagetest.Run(t, func(t *testing.T) storage.Store {
		return f.store(t, fmt.Sprintf("fake-%d", n.Add(1)))
	})
}

// isPut reports whether r sends object bytes (a PUT or a part).
func isPut(r *http.Request) bool {
	return r.Method == http.MethodPut && r.ContentLength > 0
}

// A store that answers 200 for bytes other than the ones sent: Put must
// not succeed, and nothing may stay behind.
func TestS3PutRefusesUnconfirmedObjects(t *testing.T) {
	f := startFakeS3(t)
	s := f.store(t, "mangled")
	flip := func(r *http.Request) {
		if !isPut(r) {
			return
		}
		// The integrity headers a server checks are lost on the way (a
		// proxy, or a server ignoring them), and one byte is damaged.
		r.Header.Del("Content-Md5")
		body, _ := io.ReadAll(r.Body)
		body[len(body)/2] ^= 0xff
		r.Body = io.NopCloser(bytes.NewReader(body))
	}
	truncate := func(r *http.Request) {
		if !isPut(r) {
			return
		}
		r.Header.Del("Content-Md5")
		body, _ := io.ReadAll(r.Body)
		body = body[:len(body)-100]
		r.Body, r.ContentLength = io.NopCloser(bytes.NewReader(body)), int64(len(body))
		r.Header.Set("Content-Length", strconv.Itoa(len(body)))
	}
	silent := func(r *http.Response) {
		// A store that confirms no checksum at all.
		r.Header.Del("ETag")
		for k := range r.Header {
			if strings.HasPrefix(strings.ToLower(k), "x-amz-checksum") {
				r.Header.Del(k)
			}
		}
		if r.Request.Method == http.MethodPost && r.StatusCode == http.StatusOK {
			body, _ := io.ReadAll(r.Body)
			body = bytes.ReplaceAll(body, []byte("<ETag>"), []byte("<X>"))
			body = bytes.ReplaceAll(body, []byte("</ETag>"), []byte("</X>"))
			r.Body, r.ContentLength = io.NopCloser(bytes.NewReader(body)), int64(len(body))
			r.Header.Set("Content-Length", strconv.Itoa(len(body)))
		}
	}
	for _, tc := range []struct {
		name string
		m    mangler
	}{
		{"damaged byte", mangler{request: flip}},
		{"short body", mangler{request: truncate}},
		{"no confirmation", mangler{response: silent}},
	} {
		for _, size := range []int64{1000, storage.DefaultS3PartSize + 1<<20} {
			t.Run(fmt.Sprintf("%s, %d bytes", tc.name, size), func(t *testing.T) {
				key := storagetest.NewKey(t, s3Tenant, "doc")
				f.mangle.Store(&tc.m)
				err := s.Put(t.Context(), key, storagetest.Generator(5, size), size, "")
				f.mangle.Store(nil)
				if !errors.Is(err, storage.ErrNotConfirmed) {
					t.Fatalf("Put through a store that mangles it: err = %v, want ErrNotConfirmed", err)
				}
				storagetest.AssertAbsent(t, s, key)
				assertNoIncompleteUploads(t, f.client(t), "mangled")
			})
		}
	}
}

func assertNoIncompleteUploads(t *testing.T, c *minio.Client, bucket string) {
	t.Helper()
	for up := range c.ListIncompleteUploads(t.Context(), bucket, "", true) {
		if up.Err != nil && minio.ToErrorResponse(up.Err).Code == minio.NoSuchUpload {
			break // gofakes3 says so when there is none
		}
		if up.Err != nil {
			t.Fatal(up.Err)
		}
		t.Errorf("incomplete upload left behind: %s (%s)", up.Key, up.UploadID)
	}
}

// AbortIncomplete removes the parts a dead process left, on both S3
// implementations, and leaves other keys' uploads alone.
func TestS3AbortIncomplete(t *testing.T) {
	t.Run("versitygw", func(t *testing.T) {
		srv := testenv.StartS3(t)
		s := newS3(t, s3Config(srv, "abort-incomplete"))
		c, err := minio.New(srv.Endpoint, &minio.Options{Creds: credentials.NewStaticV4(srv.AccessKey, srv.SecretKey, ""), BucketLookup: minio.BucketLookupPath})
		if err != nil {
			t.Fatal(err)
		}
		testAbortIncomplete(t, s, c, "abort-incomplete")
	})
	t.Run("gofakes3", func(t *testing.T) {
		f := startFakeS3(t)
		testAbortIncomplete(t, f.store(t, "abort-incomplete"), f.client(t), "abort-incomplete")
	})
}

func testAbortIncomplete(t *testing.T, s *storage.S3, c *minio.Client, bucket string) {
	ctx := t.Context()
	core := minio.Core{Client: c}
	start := func(key string, parts int) {
		id, err := core.NewMultipartUpload(ctx, bucket, key, minio.PutObjectOptions{})
		if err != nil {
			t.Fatal(err)
		}
		for n := 1; n <= parts; n++ {
			data := storagetest.Bytes(uint64(n), 5<<20)
			if _, err := core.PutObjectPart(ctx, bucket, key, id, n, bytes.NewReader(data), int64(len(data)), minio.PutObjectPartOptions{DisableContentSha256: true}); err != nil {
				t.Fatal(err)
			}
		}
	}
	dead := storagetest.NewKey(t, s3Tenant, "doc")
	other := storagetest.NewKey(t, s3Tenant, "doc")
	start(dead, 2)
	start(dead, 1)
	start(other, 1)
	d, err := s.AbortIncomplete(ctx, dead)
	if err != nil {
		t.Fatal(err)
	}
	if d.Uploads != 2 {
		t.Fatalf("AbortIncomplete = %+v, want 2 uploads", d)
	}
	var left []string
	for up := range c.ListIncompleteUploads(ctx, bucket, "", true) {
		if up.Err != nil && minio.ToErrorResponse(up.Err).Code == minio.NoSuchUpload {
			break
		}
		if up.Err != nil {
			t.Fatal(up.Err)
		}
		left = append(left, up.Key)
	}
	if len(left) != 1 || left[0] != other {
		t.Fatalf("incomplete uploads after AbortIncomplete(%s): %v, want only %s", dead, left, other)
	}
}
