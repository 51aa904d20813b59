package storage

import (
	"context"
	"fmt"
	"net/url"
	"path/filepath"
	"strconv"
	"strings"
)

// Open returns the store the operator configured. An empty storageURL selects
// the embedded default, a filesystem store in <dataDir>/blobs. Otherwise
// storageURL must be an S3 URL as described by ParseS3URL.
func Open(ctx context.Context, storageURL, dataDir string) (Store, error) {
	if storageURL == "" {
		if dataDir == "" {
			return nil, fmt.Errorf("%w: no storage URL and no data directory", ErrInvalidArgument)
		}
		return NewFS(filepath.Join(dataDir, "blobs"))
	}
	cfg, err := ParseS3URL(storageURL)
	if err != nil {
		return nil, err
	}
	return NewS3(ctx, cfg)
}

// ParseS3URL parses a storage URL of the form
//
//	s3://ACCESS:SECRET@host[:port]/bucket[?secure=false&region=eu-central-1&create_bucket=true]
//
// The credentials are percent-decoded, so a secret containing '/', '@', ':'
// or '%' must be percent-encoded (e.g. '/' as %2F). Query parameters:
//
//   - secure: use HTTPS (default true);
//   - region: the bucket's region (default: detected);
//   - create_bucket: create the bucket at start-up if it is missing
//     (default false).
//
// Unknown parameters are refused so that a typo does not go unnoticed.
// Errors never contain the secret key.
func ParseS3URL(raw string) (S3Config, error) {
	u, err := url.Parse(raw)
	if err != nil {
		// url.Error repeats the input, secret included: do not wrap it.
		return S3Config{}, fmt.Errorf("%w: storage URL is not a valid URL (percent-encode special characters in the credentials)", ErrInvalidArgument)
	}
	// Describe the URL without user info or query: a misplaced secret may
	// sit in either.
	safe := (&url.URL{Scheme: u.Scheme, Host: u.Host, Path: u.Path}).String()
	if u.Opaque != "" {
		safe = u.Scheme + ":..."
	}
	bad := func(format string, args ...any) (S3Config, error) {
		return S3Config{}, fmt.Errorf("%w: storage URL %s: %s", ErrInvalidArgument, safe, fmt.Sprintf(format, args...))
	}
	if u.Scheme != "s3" {
		return bad("scheme must be s3")
	}
	if u.Opaque != "" || u.Host == "" {
		return bad("want s3://ACCESS:SECRET@host:port/bucket")
	}
	if u.Fragment != "" {
		return bad("unexpected fragment")
	}
	if u.Port() != "" {
		if p, err := strconv.Atoi(u.Port()); err != nil || p < 1 || p > 65535 {
			return bad("invalid port")
		}
	}
	if u.User == nil {
		return bad("missing credentials (ACCESS:SECRET@)")
	}
	secret, ok := u.User.Password()
	if u.User.Username() == "" || !ok || secret == "" {
		return bad("missing access key or secret key (ACCESS:SECRET@)")
	}
	bucket := strings.TrimPrefix(u.Path, "/")
	if bucket == "" || strings.Contains(bucket, "/") {
		return bad("path must be exactly one bucket name")
	}

	cfg := S3Config{
		Endpoint:  u.Host,
		AccessKey: u.User.Username(),
		SecretKey: secret,
		Bucket:    bucket,
		Secure:    true,
	}
	query, err := url.ParseQuery(u.RawQuery)
	if err != nil {
		return bad("invalid query")
	}
	for name, values := range query {
		if len(values) != 1 {
			return bad("parameter %s given %d times", name, len(values))
		}
		v := values[0]
		switch name {
		case "secure":
			if cfg.Secure, err = strconv.ParseBool(v); err != nil {
				return bad("secure=%q is not a boolean", v)
			}
		case "create_bucket":
			if cfg.CreateBucket, err = strconv.ParseBool(v); err != nil {
				return bad("create_bucket=%q is not a boolean", v)
			}
		case "region":
			cfg.Region = v
		default:
			return bad("unknown parameter %q (known: secure, region, create_bucket)", name)
		}
	}
	return cfg, nil
}
