package storage

import (
	"bytes"
	"context"
	"crypto/md5"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/minio/minio-go/v7"
)

// S3 checksum headers (x-amz-checksum-*), sent with every request that
// carries bytes so that a server that supports them verifies the bytes it
// received and stores the checksum with the object.
const (
	s3ChecksumAlgorithm = "x-amz-checksum-algorithm"
	s3ChecksumSHA256    = "x-amz-checksum-sha256"
)

// Put implements Store.
//
// Kollab drives the upload itself through minio-go's Core API instead of
// PutObject, one part buffer (PartSize bytes, pooled) at a time, so that
// memory stays bounded and every request body is plain bytes with a
// Content-Length: no aws-chunked framing, which minio-go's PutObject uses
// over plain HTTP (signed chunked streaming) and which some S3 servers
// store verbatim, answering 200 for an object of the wrong size. Each
// request states its bytes three ways: Content-MD5, the payload's SHA-256
// in the V4 signature, and the S3 checksum header x-amz-checksum-sha256;
// a server that checks any of them refuses damaged bytes.
//
// The object counts as stored only once the server has confirmed it: the
// ETag of every part and of the object (where it is the MD5 S3 defines)
// and the SHA-256 checksum it reports (where it reports one) must equal
// what Put computed, at least one of them must be present, and a HEAD
// afterwards must report exactly size bytes. Otherwise Put removes the
// object and fails with ErrNotConfirmed. A failed or cancelled multipart
// upload is aborted, with a context that outlives the request.
func (s *S3) Put(ctx context.Context, key string, r io.Reader, size int64, contentType string) error {
	if err := checkPutArgs(key, size, contentType); err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	src := newSizedReader(ctx, r, size)
	partSize := s.partSizeFor(size)
	var err error
	if size <= partSize {
		err = s.putSingle(ctx, key, src, size, contentType)
	} else {
		err = s.putMultipart(ctx, key, src, size, partSize, contentType)
	}
	switch {
	case err == nil:
		return nil
	case src.failure() != nil:
		return fmt.Errorf("storage: put %s: %w", key, src.failure())
	case ctx.Err() != nil:
		return fmt.Errorf("storage: put %s: %w", key, ctx.Err())
	}
	return err
}

// expected is what Put computed of the bytes it sent.
type expected struct {
	size int64
	// etag is the MD5 ETag S3 defines: hex MD5 of the object, or for a
	// multipart upload hex MD5 of the parts' binary MD5s, "-" and the
	// number of parts.
	etag string
	// sha256 is the S3 SHA-256 checksum (base64): of the object, or for a
	// multipart upload of the parts' binary SHA-256s (composite), without
	// the "-<parts>" suffix some servers append.
	sha256 string
	parts  int
}

// putSingle stores an object of at most one part with one PUT.
func (s *S3) putSingle(ctx context.Context, key string, src *sizedReader, size int64, contentType string) error {
	buf := s.buffer(size)
	defer s.recycle(buf)
	if err := fill(src, buf); err != nil {
		return fmt.Errorf("storage: put %s: %w", key, err)
	}
	if err := src.finish(); err != nil {
		return fmt.Errorf("storage: put %s: %w", key, err)
	}
	md5sum, shasum := md5.Sum(buf), sha256.Sum256(buf)
	opts := minio.PutObjectOptions{
		ContentType:          contentType,
		DisableContentSha256: true, // the payload hash is passed below: no chunked signing
		UserMetadata:         map[string]string{s3ChecksumSHA256: base64.StdEncoding.EncodeToString(shasum[:])},
	}
	info, err := s.core.PutObject(ctx, s.bucket, key, bytes.NewReader(buf), size,
		base64.StdEncoding.EncodeToString(md5sum[:]), hex.EncodeToString(shasum[:]), opts)
	if err != nil {
		return s.wrapErr("put", key, err)
	}
	want := expected{size: size, etag: hex.EncodeToString(md5sum[:]), sha256: base64.StdEncoding.EncodeToString(shasum[:]), parts: 0}
	return s.confirm(ctx, key, want, info.ETag, info.ChecksumSHA256, false)
}

// putMultipart stores an object of more than one part, reading and
// sending one part at a time.
func (s *S3) putMultipart(ctx context.Context, key string, src *sizedReader, size, partSize int64, contentType string) (err error) {
	uploadID, err := s.core.NewMultipartUpload(ctx, s.bucket, key, minio.PutObjectOptions{
		ContentType:  contentType,
		UserMetadata: map[string]string{s3ChecksumAlgorithm: "SHA256"},
	})
	if err != nil {
		return s.wrapErr("put", key, err)
	}
	completed := false
	defer func() {
		if !completed {
			cctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), s3CleanupTimeout)
			defer cancel()
			_ = s.core.AbortMultipartUpload(cctx, s.bucket, key, uploadID)
		}
	}()

	buf := s.buffer(partSize)
	defer s.recycle(buf)
	nparts := int((size + partSize - 1) / partSize)
	parts := make([]minio.CompletePart, 0, nparts)
	md5s, shas := md5.New(), sha256.New()
	for n := 1; n <= nparts; n++ {
		part := buf[:min(partSize, size-int64(n-1)*partSize)]
		if err := fill(src, part); err != nil {
			return fmt.Errorf("storage: put %s: %w", key, err)
		}
		if n == nparts {
			if err := src.finish(); err != nil {
				return fmt.Errorf("storage: put %s: %w", key, err)
			}
		}
		md5sum, shasum := md5.Sum(part), sha256.Sum256(part)
		md5s.Write(md5sum[:])
		shas.Write(shasum[:])
		sha64 := base64.StdEncoding.EncodeToString(shasum[:])
		got, err := s.core.PutObjectPart(ctx, s.bucket, key, uploadID, n, bytes.NewReader(part), int64(len(part)),
			minio.PutObjectPartOptions{
				Md5Base64:            base64.StdEncoding.EncodeToString(md5sum[:]),
				Sha256Hex:            hex.EncodeToString(shasum[:]),
				CustomHeader:         map[string][]string{s3ChecksumSHA256: {sha64}},
				DisableContentSha256: true,
			})
		if err != nil {
			return s.wrapErr("put", key, err)
		}
		want := expected{size: int64(len(part)), etag: hex.EncodeToString(md5sum[:]), sha256: sha64}
		ok, err := checkReported(key, fmt.Sprintf("part %d", n), want, got.ETag, got.ChecksumSHA256)
		if err != nil {
			return err
		}
		if !ok {
			return fmt.Errorf("%w: %s: part %d: the store reported neither an MD5 ETag nor a SHA-256 checksum", ErrNotConfirmed, key, n)
		}
		parts = append(parts, minio.CompletePart{PartNumber: n, ETag: got.ETag, ChecksumSHA256: got.ChecksumSHA256})
	}
	info, err := s.core.CompleteMultipartUpload(ctx, s.bucket, key, uploadID, parts, minio.PutObjectOptions{})
	if err != nil {
		return s.wrapErr("put", key, err)
	}
	completed = true
	want := expected{size: size, etag: hex.EncodeToString(md5s.Sum(nil)) + "-" + strconv.Itoa(nparts),
		sha256: base64.StdEncoding.EncodeToString(shas.Sum(nil)), parts: nparts}
	return s.confirm(ctx, key, want, info.ETag, info.ChecksumSHA256, true)
}

// confirm checks what the server reported for a completed upload and then
// the object's size as a HEAD reports it; on any doubt it removes the
// object and fails with ErrNotConfirmed. partsConfirmed says that the
// server confirmed every part of a multipart upload, which confirms the
// object's bytes when its own ETag is not an MD5 ETag.
func (s *S3) confirm(ctx context.Context, key string, want expected, etag, checksum string, partsConfirmed bool) error {
	confirmed, err := checkReported(key, "object", want, etag, checksum)
	confirmed = confirmed || partsConfirmed
	if err == nil {
		opts := minio.StatObjectOptions{Checksum: true}
		if etag != "" {
			// A HEAD of this very version: a concurrent Put to the same
			// key may have replaced it meanwhile, which is no fault.
			_ = opts.SetMatchETag(etag)
		}
		var info minio.ObjectInfo
		info, err = s.client.StatObject(ctx, s.bucket, key, opts)
		switch {
		case err != nil && confirmed && etag != "" && minio.ToErrorResponse(err).StatusCode == http.StatusPreconditionFailed:
			return nil // replaced by a later Put
		case err != nil:
			err = s.wrapErr("put", key, err)
		case confirmed && etag != "" && strings.Trim(info.ETag, `"`) != strings.Trim(etag, `"`):
			return nil // replaced by a later Put (the server ignored If-Match)
		case info.Size != want.size:
			err = fmt.Errorf("%w: %s: the store holds %d bytes, %d were sent", ErrNotConfirmed, key, info.Size, want.size)
		default:
			var ok bool
			ok, err = checkReported(key, "object", want, info.ETag, info.ChecksumSHA256)
			if err == nil && !confirmed && !ok {
				err = fmt.Errorf("%w: %s: the store reported neither an MD5 ETag nor a SHA-256 checksum", ErrNotConfirmed, key)
			}
		}
	}
	if err != nil {
		cctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), s3CleanupTimeout)
		defer cancel()
		_ = s.client.RemoveObject(cctx, s.bucket, key, minio.RemoveObjectOptions{})
	}
	return err
}

// checkReported compares an ETag and an S3 SHA-256 checksum the server
// reported with what was sent, and says whether either confirmed the
// bytes. Either may be absent or say nothing (an ETag that is not an MD5,
// e.g. under server-side encryption, or an object's ETag without the
// "-<parts>" of a multipart ETag); one that speaks must match.
func checkReported(key, what string, want expected, etag, checksum string) (bool, error) {
	confirmed := false
	etag = strings.ToLower(strings.Trim(etag, `"`))
	if isMD5ETag(etag) && (want.parts == 0) == !strings.Contains(etag, "-") {
		if etag != want.etag {
			return false, fmt.Errorf("%w: %s: %s: the store reports ETag %s, the bytes sent have %s", ErrNotConfirmed, key, what, etag, want.etag)
		}
		confirmed = true
	}
	if checksum != "" {
		got := checksum
		if want.parts > 0 {
			got = strings.TrimSuffix(got, "-"+strconv.Itoa(want.parts))
		}
		if got != want.sha256 {
			return false, fmt.Errorf("%w: %s: %s: the store reports SHA-256 %s, the bytes sent have %s", ErrNotConfirmed, key, what, checksum, want.sha256)
		}
		confirmed = true
	}
	return confirmed, nil
}

// isMD5ETag reports whether an ETag has the shape S3 gives an MD5 ETag:
// 32 hex digits, for a multipart upload followed by "-<parts>".
func isMD5ETag(etag string) bool {
	etag = strings.Trim(etag, `"`)
	if i := strings.IndexByte(etag, '-'); i >= 0 {
		if n, err := strconv.Atoi(etag[i+1:]); err != nil || n < 1 {
			return false
		}
		etag = etag[:i]
	}
	if len(etag) != 2*md5.Size {
		return false
	}
	_, err := hex.DecodeString(etag)
	return err == nil
}

// fillChunk bounds one read into a part buffer, so that a cancelled
// request stops reading soon.
const fillChunk = 256 << 10

// fill reads len(buf) bytes from src, at most fillChunk at a time.
func fill(src io.Reader, buf []byte) error {
	for len(buf) > 0 {
		n, err := io.ReadFull(src, buf[:min(len(buf), fillChunk)])
		if err != nil {
			return err
		}
		buf = buf[n:]
	}
	return nil
}

// buffer returns a buffer of n bytes, from the pool when n is at most the
// configured part size.
func (s *S3) buffer(n int64) []byte {
	if n > s.partSize {
		return make([]byte, n)
	}
	if b, ok := s.parts.Get().(*[]byte); ok {
		return (*b)[:n]
	}
	b := make([]byte, s.partSize)
	return b[:n]
}

// recycle returns a buffer from buffer to the pool.
func (s *S3) recycle(b []byte) {
	if int64(cap(b)) != s.partSize {
		return
	}
	b = b[:cap(b)]
	s.parts.Put(&b)
}

// AbortIncomplete implements Store: it aborts every incomplete multipart
// upload of exactly key.
func (s *S3) AbortIncomplete(ctx context.Context, key string) (Discarded, error) {
	var d Discarded
	if err := ValidateKey(key); err != nil {
		return d, err
	}
	lctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var ids []string
	for up := range s.client.ListIncompleteUploads(lctx, s.bucket, key, false) {
		if up.Err != nil && minio.ToErrorResponse(up.Err).Code == minio.NoSuchUpload {
			break // some servers (gofakes3) answer so when there is none
		}
		if up.Err != nil {
			return d, s.wrapErr("list incomplete uploads", key, up.Err)
		}
		if up.Key == key {
			ids = append(ids, up.UploadID)
		}
	}
	for _, id := range ids {
		d.Bytes += s.partBytes(ctx, key, id)
		err := s.core.AbortMultipartUpload(ctx, s.bucket, key, id)
		if err != nil && minio.ToErrorResponse(err).Code != minio.NoSuchUpload {
			return d, s.wrapErr("abort incomplete upload", key, err)
		}
		d.Uploads++
	}
	return d, nil
}

// partBytes sums the sizes of an incomplete upload's parts (0 when they
// cannot be listed: the number is for the report only).
func (s *S3) partBytes(ctx context.Context, key, uploadID string) int64 {
	var n int64
	marker := 0
	for range 100 {
		res, err := s.core.ListObjectParts(ctx, s.bucket, key, uploadID, marker, 1000)
		if err != nil {
			return n
		}
		for _, p := range res.ObjectParts {
			n += p.Size
		}
		if !res.IsTruncated || res.NextPartNumberMarker <= marker {
			return n
		}
		marker = res.NextPartNumberMarker
	}
	return n
}
