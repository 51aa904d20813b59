package storage

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/kollab/kollab/internal/errs"
	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"
	"github.com/minio/minio-go/v7/pkg/s3utils"
)

const (
	// DefaultS3PartSize is the multipart part size used when S3Config.PartSize
	// is zero. minio-go buffers one part per upload, so this bounds the memory
	// an upload takes: a 1 GiB upload is sent as 64 parts of 16 MiB.
	DefaultS3PartSize = 16 << 20
	// minS3PartSize and maxS3PartSize are the limits S3 puts on a part.
	minS3PartSize = 5 << 20
	maxS3PartSize = 5 << 30
	// maxS3Parts is the number of parts S3 allows in one upload.
	maxS3Parts = 10000
	// s3MaxAttempts bounds the attempts minio-go makes for one request
	// (its default is 10, about 5 s of back-off): an upload or download
	// waiting on an unreachable store fails within a second, with
	// errs.Unavailable, instead of holding the client.
	s3MaxAttempts = 3
	// s3CleanupTimeout bounds the clean-up request sent after a failed
	// upload, which runs even when the request's context has ended.
	s3CleanupTimeout = 30 * time.Second
)

// S3Config configures an S3 store. Use ParseS3URL to build one from the
// operator's KOLLAB_STORAGE_URL.
type S3Config struct {
	// Endpoint is host[:port] of the S3 service, without scheme.
	Endpoint string
	// AccessKey and SecretKey are the static credentials.
	AccessKey string
	SecretKey string
	// Bucket holds every object.
	Bucket string
	// Region is sent in signatures and used to create the bucket; empty
	// lets minio-go detect it (us-east-1 for most S3-compatible servers).
	Region string
	// Secure selects HTTPS.
	Secure bool
	// CreateBucket creates the bucket in NewS3 if it does not exist.
	CreateBucket bool
	// PartSize is the multipart part size in bytes; zero means
	// DefaultS3PartSize. It is raised automatically for objects that would
	// otherwise need more than 10,000 parts.
	PartSize int64
	// Transport overrides the HTTP transport (optional, e.g. for tests or a
	// private CA).
	Transport http.RoundTripper
}

// String describes the configuration without the secret key, so that it can
// be logged.
func (c S3Config) String() string {
	return fmt.Sprintf("s3 endpoint=%s bucket=%s region=%q secure=%t access_key=%s",
		c.Endpoint, c.Bucket, c.Region, c.Secure, c.AccessKey)
}

// S3 is a Store in one bucket of an S3-compatible service (Amazon S3, MinIO,
// Ceph RGW, versitygw), addressed path-style so that any endpoint works.
// Object keys are the store's keys unchanged.
type S3 struct {
	client   *minio.Client
	core     minio.Core
	bucket   string
	partSize int64
	// parts recycles part buffers of partSize bytes between uploads.
	parts sync.Pool
}

var _ Store = (*S3)(nil)

// NewS3 returns an S3 store. It contacts the service only when
// cfg.CreateBucket is set; use Ping to check that the bucket is reachable.
func NewS3(ctx context.Context, cfg S3Config) (*S3, error) {
	if cfg.Endpoint == "" || strings.ContainsAny(cfg.Endpoint, "/?#@") {
		return nil, fmt.Errorf("%w: s3 endpoint %q must be host[:port]", ErrInvalidArgument, cfg.Endpoint)
	}
	if cfg.AccessKey == "" || cfg.SecretKey == "" {
		return nil, fmt.Errorf("%w: s3 access key and secret key are required", ErrInvalidArgument)
	}
	if err := s3utils.CheckValidBucketNameStrict(cfg.Bucket); err != nil {
		return nil, fmt.Errorf("%w: s3 bucket %q: %v", ErrInvalidArgument, cfg.Bucket, err)
	}
	partSize := cfg.PartSize
	if partSize == 0 {
		partSize = DefaultS3PartSize
	}
	if partSize < minS3PartSize || partSize > maxS3PartSize {
		return nil, fmt.Errorf("%w: s3 part size %d outside [%d, %d]", ErrInvalidArgument, partSize, minS3PartSize, maxS3PartSize)
	}
	client, err := minio.New(cfg.Endpoint, &minio.Options{
		Creds:        credentials.NewStaticV4(cfg.AccessKey, cfg.SecretKey, ""),
		Secure:       cfg.Secure,
		Region:       cfg.Region,
		BucketLookup: minio.BucketLookupPath,
		Transport:    cfg.Transport,
		MaxRetries:   s3MaxAttempts,
	})
	if err != nil {
		return nil, fmt.Errorf("storage: s3 client for %s: %w", cfg.Endpoint, err)
	}
	s := &S3{client: client, core: minio.Core{Client: client}, bucket: cfg.Bucket, partSize: partSize}
	if cfg.CreateBucket {
		if err := s.ensureBucket(ctx, cfg.Region); err != nil {
			return nil, err
		}
	}
	return s, nil
}

// ensureBucket creates the bucket unless it exists already.
func (s *S3) ensureBucket(ctx context.Context, region string) error {
	exists, err := s.client.BucketExists(ctx, s.bucket)
	if err != nil {
		return fmt.Errorf("storage: s3 check bucket %s: %w", s.bucket, err)
	}
	if exists {
		return nil
	}
	err = s.client.MakeBucket(ctx, s.bucket, minio.MakeBucketOptions{Region: region})
	if err != nil && minio.ToErrorResponse(err).Code != minio.BucketAlreadyOwnedByYou {
		return fmt.Errorf("storage: s3 create bucket %s: %w", s.bucket, err)
	}
	return nil
}

// partSizeFor returns the part size for an object of size bytes: the
// configured size, raised to a whole MiB when the object would otherwise need
// more than maxS3Parts parts.
func (s *S3) partSizeFor(size int64) int64 {
	need := (size + maxS3Parts - 1) / maxS3Parts
	if need <= s.partSize {
		return s.partSize
	}
	const mib = 1 << 20
	return (need + mib - 1) / mib * mib
}

// Get implements Store, with an HTTP range request.
func (s *S3) Get(ctx context.Context, key string, offset, length int64) (io.ReadCloser, error) {
	if err := ValidateKey(key); err != nil {
		return nil, err
	}
	if err := checkRange(key, offset, length); err != nil {
		return nil, err
	}
	if length == 0 {
		info, err := s.Stat(ctx, key)
		if err != nil {
			return nil, err
		}
		if _, err := rangeLength(key, info.Size, offset, length); err != nil {
			return nil, err
		}
		return emptyReader(), nil
	}
	var opts minio.GetObjectOptions
	if offset > 0 || length > 0 {
		end := int64(0) // with offset > 0: to the end
		if length > 0 {
			end = offset + length - 1
		}
		if err := opts.SetRange(offset, end); err != nil {
			return nil, fmt.Errorf("%w: %v", ErrInvalidRange, err)
		}
	}
	obj, err := s.client.GetObject(ctx, s.bucket, key, opts)
	if err != nil {
		return nil, s.wrapErr("get", key, err)
	}
	// Stat sends the request, so that a missing object or a bad range is
	// reported here rather than on the first Read.
	info, err := obj.Stat()
	if err != nil {
		_ = obj.Close()
		err = s.wrapErr("get", key, err)
		if !errors.Is(err, ErrInvalidRange) {
			return nil, err
		}
		// S3 refuses a range starting at the end of the object, which the
		// Store contract answers with an empty reader.
		info, serr := s.Stat(ctx, key)
		if serr != nil {
			return nil, serr
		}
		if _, rerr := rangeLength(key, info.Size, offset, length); rerr != nil {
			return nil, rerr
		}
		return emptyReader(), nil
	}
	total := info.Size
	if offset > 0 || length > 0 {
		if total = contentRangeTotal(info.Headers.Get("Content-Range")); total < 0 {
			return obj, nil // GetVerified asks Stat
		}
	}
	return &s3Object{Object: obj, size: total}, nil
}

// s3Object is an object being read, with the whole object's size.
type s3Object struct {
	*minio.Object
	size int64
}

// ObjectSize returns the size of the whole object (see GetVerified).
func (o *s3Object) ObjectSize() int64 { return o.size }

// contentRangeTotal returns the complete length of a Content-Range header
// "bytes first-last/total", or -1.
func contentRangeTotal(h string) int64 {
	_, total, ok := strings.Cut(h, "/")
	if !ok || !strings.HasPrefix(h, "bytes ") {
		return -1
	}
	n, err := strconv.ParseInt(total, 10, 64)
	if err != nil || n < 0 {
		return -1
	}
	return n
}

// Stat implements Store.
func (s *S3) Stat(ctx context.Context, key string) (ObjectInfo, error) {
	if err := ValidateKey(key); err != nil {
		return ObjectInfo{}, err
	}
	info, err := s.client.StatObject(ctx, s.bucket, key, minio.StatObjectOptions{})
	if err != nil {
		return ObjectInfo{}, s.wrapErr("stat", key, err)
	}
	return ObjectInfo{
		Key:         key,
		Size:        info.Size,
		ModTime:     info.LastModified.UTC(),
		ContentType: info.ContentType,
	}, nil
}

// Delete implements Store. Deleting a missing object returns nil.
func (s *S3) Delete(ctx context.Context, key string) error {
	if err := ValidateKey(key); err != nil {
		return err
	}
	err := s.client.RemoveObject(ctx, s.bucket, key, minio.RemoveObjectOptions{})
	if err = s.wrapErr("delete", key, err); errors.Is(err, ErrNotFound) {
		return nil
	}
	return err
}

// List implements Store with ListObjectsV2, which returns keys in lexical
// order, 1,000 per page.
func (s *S3) List(ctx context.Context, prefix string, fn func(ObjectInfo) error) error {
	if err := ValidatePrefix(prefix); err != nil {
		return err
	}
	// Cancelling lctx when fn stops the listing releases minio-go's
	// iterator.
	lctx, cancel := context.WithCancel(ctx)
	defer cancel()
	objects := s.client.ListObjectsIter(lctx, s.bucket, minio.ListObjectsOptions{Prefix: prefix, Recursive: true})
	for obj := range objects {
		if obj.Err != nil {
			return s.wrapErr("list", prefix, obj.Err)
		}
		if ValidateKey(obj.Key) != nil {
			continue // not ours (e.g. written by another tool)
		}
		info := ObjectInfo{Key: obj.Key, Size: obj.Size, ModTime: obj.LastModified.UTC(), ContentType: obj.ContentType}
		if err := fn(info); err != nil {
			return err
		}
	}
	// An iterator stopped by cancellation ends without an error.
	return ctx.Err()
}

// Ping implements Store: the bucket must exist and the credentials must be
// accepted.
func (s *S3) Ping(ctx context.Context) error {
	exists, err := s.client.BucketExists(ctx, s.bucket)
	if err != nil {
		return fmt.Errorf("storage: s3 ping bucket %s: %w", s.bucket, err)
	}
	if !exists {
		return fmt.Errorf("storage: s3 bucket %s does not exist", s.bucket)
	}
	return nil
}

// wrapErr normalises a minio-go error: missing objects become ErrNotFound and
// unsatisfiable ranges ErrInvalidRange.
func (s *S3) wrapErr(op, key string, err error) error {
	if err == nil {
		return nil
	}
	resp := minio.ToErrorResponse(err)
	switch {
	case resp.Code == minio.NoSuchKey:
		return fmt.Errorf("storage: %s %s: %w", op, key, ErrNotFound)
	case resp.Code == minio.InvalidRange || resp.StatusCode == http.StatusRequestedRangeNotSatisfiable:
		// Some servers (versitygw) answer 416 without an error body.
		return fmt.Errorf("storage: %s %s: %w", op, key, ErrInvalidRange)
	}
	err = fmt.Errorf("storage: s3 %s %s in bucket %s: %w", op, key, s.bucket, err)
	if isUnreachable(resp, err) {
		return errs.Unreachable(err)
	}
	return err
}
