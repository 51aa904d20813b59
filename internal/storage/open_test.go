package storage_test

import (
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kollab/kollab/internal/storage"
)

func TestParseS3URL(t *testing.T) {
	for _, tc := range []struct {
		raw  string
		want storage.S3Config
	}{
		{
			raw:  "s3://AKID:SECRET@minio.internal:9000/kollab?secure=false",
			want: storage.S3Config{Endpoint: "minio.internal:9000", AccessKey: "AKID", SecretKey: "SECRET", Bucket: "kollab"},
		},
		{
			raw:  "s3://AKID:SECRET@s3.example.org/kollab-files",
			want: storage.S3Config{Endpoint: "s3.example.org", AccessKey: "AKID", SecretKey: "SECRET", Bucket: "kollab-files", Secure: true},
		},
		{
			raw: "s3://ak%40x:s%2Fe%2Bc%3Ar%25e%40t+x@[::1]:7070/b1?region=eu-central-1&create_bucket=true&secure=true",
			want: storage.S3Config{Endpoint: "[::1]:7070", AccessKey: "ak@x", SecretKey: "s/e+c:r%e@t+x", Bucket: "b1",
				Region: "eu-central-1", Secure: true, CreateBucket: true},
		},
	} {
		got, err := storage.ParseS3URL(tc.raw)
		if err != nil {
			t.Errorf("ParseS3URL(%q): %v", tc.raw, err)
			continue
		}
		if got != tc.want {
			t.Errorf("ParseS3URL(%q) =\n%#v\nwant\n%#v", tc.raw, got, tc.want)
		}
	}
}

func TestParseS3URLErrors(t *testing.T) {
	const secret = "TOPSECRET"
	for _, raw := range []string{
		"http://AK:" + secret + "@host:9000/bucket",
		"s3:AK:" + secret + "@host/bucket",
		"s3://host:9000/bucket",
		"s3://AK@host:9000/bucket",
		"s3://AK:@host:9000/bucket",
		"s3://:" + secret + "@host:9000/bucket",
		"s3://AK:" + secret + "@/bucket",
		"s3://AK:" + secret + "@host:9000",
		"s3://AK:" + secret + "@host:9000/",
		"s3://AK:" + secret + "@host:9000/bucket/sub",
		"s3://AK:" + secret + "@host:9000/bucket?secure=maybe",
		"s3://AK:" + secret + "@host:9000/bucket?create_bucket=2",
		"s3://AK:" + secret + "@host:9000/bucket?secure=false&secure=true",
		"s3://AK:" + secret + "@host:9000/bucket?sslmode=disable",
		"s3://AK:" + secret + "@host:9000/bucket#frag",
		"s3://AK:" + secret + "@host:99999/bucket",
		"s3://AK:" + secret + "/x@host:9000/bucket", // unencoded '/' in the secret
		"s3://AK:" + secret + "%zz@host:9000/bucket",
		"s3://AK:" + secret + "@host:9000/bucket?a=%zz",
	} {
		_, err := storage.ParseS3URL(raw)
		if !errors.Is(err, storage.ErrInvalidArgument) {
			t.Errorf("ParseS3URL(%q): err = %v, want ErrInvalidArgument", raw, err)
			continue
		}
		if strings.Contains(err.Error(), secret) {
			t.Errorf("ParseS3URL(%q): error reveals the secret: %v", raw, err)
		}
	}
}

func TestS3ConfigStringHidesSecret(t *testing.T) {
	cfg, err := storage.ParseS3URL("s3://AK:TOPSECRET@host:9000/bucket")
	if err != nil {
		t.Fatal(err)
	}
	for _, format := range []string{"%v", "%+v", "%s"} {
		if s := fmt.Sprintf(format, cfg); strings.Contains(s, "TOPSECRET") {
			t.Fatalf("S3Config formatted with %s reveals the secret: %s", format, s)
		}
	}
}

func TestNewS3RefusesBadConfig(t *testing.T) {
	good := storage.S3Config{Endpoint: "127.0.0.1:9000", AccessKey: "a", SecretKey: "s", Bucket: "kollab"}
	for name, mutate := range map[string]func(*storage.S3Config){
		"no endpoint":    func(c *storage.S3Config) { c.Endpoint = "" },
		"no access key":  func(c *storage.S3Config) { c.AccessKey = "" },
		"no secret key":  func(c *storage.S3Config) { c.SecretKey = "" },
		"bucket name":    func(c *storage.S3Config) { c.Bucket = "Kollab_Files" },
		"tiny part size": func(c *storage.S3Config) { c.PartSize = 1 << 20 },
		"huge part size": func(c *storage.S3Config) { c.PartSize = 6 << 30 },
		"negative part":  func(c *storage.S3Config) { c.PartSize = -1 },
		"scheme in host": func(c *storage.S3Config) { c.Endpoint = "http://127.0.0.1:9000" },
	} {
		cfg := good
		mutate(&cfg)
		if _, err := storage.NewS3(t.Context(), cfg); err == nil {
			t.Errorf("%s: NewS3 accepted %v", name, cfg)
		}
	}
	if _, err := storage.NewS3(t.Context(), good); err != nil {
		t.Fatalf("NewS3(%v): %v", good, err)
	}
}

func TestOpenDefaultsToFilesystem(t *testing.T) {
	dataDir := t.TempDir()
	s, err := storage.Open(t.Context(), "", dataDir)
	if err != nil {
		t.Fatal(err)
	}
	fs, ok := s.(*storage.FS)
	if !ok {
		t.Fatalf("Open(\"\") returned %T, want *storage.FS", s)
	}
	if want := filepath.Join(dataDir, "blobs"); fs.Dir() != want {
		t.Fatalf("FS dir = %s, want %s", fs.Dir(), want)
	}
	if err := s.Ping(t.Context()); err != nil {
		t.Fatal(err)
	}
	if _, err := storage.Open(t.Context(), "", ""); err == nil {
		t.Fatal("Open without URL and data dir succeeded")
	}
	if _, err := storage.Open(t.Context(), "file:///tmp/x", dataDir); err == nil {
		t.Fatal("Open accepted a file:// URL")
	}
}
