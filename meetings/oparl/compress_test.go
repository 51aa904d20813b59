package oparl_test

import (
	"bytes"
	"compress/gzip"
	"io"
	"strings"
	"testing"

	"github.com/kollab/kollab/internal/db"
	"github.com/kollab/kollab/internal/db/dbtest"
	"github.com/kollab/kollab/tenant"
)

// TestCompression: answers go gzip-compressed when the client accepts it,
// vary with Accept-Encoding, and revalidate with a weak ETag; file bytes
// go as stored.
func TestCompression(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newLight(t, d)
		p := f.pub(t, f.a, f.adminA, "Ausschuss Kompression")
		body := apiBase + "/bodies/" + f.a.ID.String()

		for _, u := range []string{body, body + "/meetings", body + "/papers/" + p.doc.ID.String(), apiBase + "/system"} {
			plain := f.do(t, "GET", u)
			zipped := f.do(t, "GET", u, "Accept-Encoding", "gzip")
			if plain.status != 200 || zipped.status != 200 {
				t.Fatalf("GET %s: %d, gzip %d", u, plain.status, zipped.status)
			}
			if ce := plain.header.Get("Content-Encoding"); ce != "" {
				t.Errorf("%s: not asked, yet %s", u, ce)
			}
			for _, r := range []response{plain, zipped} {
				if !strings.Contains(r.header.Get("Vary"), "Accept-Encoding") {
					t.Errorf("%s: Vary %q", u, r.header.Get("Vary"))
				}
			}
			if ce := zipped.header.Get("Content-Encoding"); ce != "gzip" {
				t.Errorf("%s: Content-Encoding %q with Accept-Encoding: gzip", u, ce)
				continue
			}
			zr, err := gzip.NewReader(bytes.NewReader(zipped.body))
			must(t, err)
			got, err := io.ReadAll(zr)
			must(t, err)
			if !bytes.Equal(got, plain.body) {
				t.Errorf("%s: gunzipped %q, plain %q", u, got, plain.body)
			}
			if len(zipped.body) >= len(plain.body) {
				t.Errorf("%s: gzip %d bytes, plain %d", u, len(zipped.body), len(plain.body))
			}
			// The ETag names the JSON: strong without compression, weak
			// where the bytes may be compressed; either revalidates.
			strong, weak := plain.header.Get("ETag"), zipped.header.Get("ETag")
			if strings.HasPrefix(strong, "W/") || weak != "W/"+strong {
				t.Errorf("%s: ETag %q plain, %q gzip", u, strong, weak)
			}
			for _, tag := range []string{strong, weak} {
				res := f.do(t, "GET", u, "Accept-Encoding", "gzip", "If-None-Match", tag)
				if res.status != 304 || len(res.body) != 0 || res.header.Get("ETag") != weak ||
					!strings.Contains(res.header.Get("Vary"), "Accept-Encoding") {
					t.Errorf("%s: revalidation with %s: %d %v", u, tag, res.status, res.header)
				}
			}
			if res := f.do(t, "GET", u, "If-None-Match", weak); res.status != 304 || res.header.Get("ETag") != strong {
				t.Errorf("%s: plain revalidation: %d %v", u, res.status, res.header)
			}
			// Refused or unknown encodings: the plain bytes.
			for _, ae := range []string{"gzip;q=0", "identity", "compress"} {
				res := f.do(t, "GET", u, "Accept-Encoding", ae)
				if res.header.Get("Content-Encoding") != "" || !bytes.Equal(res.body, plain.body) {
					t.Errorf("%s with Accept-Encoding %q: %v", u, ae, res.header)
				}
			}
		}

		// A list and its modified_since page go compressed too, and a problem.
		if res := f.do(t, "GET", body+"/meetings?modified_since=gestern", "Accept-Encoding", "gzip"); res.status != 400 ||
			!strings.Contains(res.header.Get("Vary"), "Accept-Encoding") {
			t.Errorf("bad filter: %d %v", res.status, res.header)
		}

		// File bytes: never compressed, ranges as stored.
		dl := body + "/files/" + p.rev.ID.String() + "/download"
		for _, hdr := range [][]string{{"Accept-Encoding", "gzip"}, {"Accept-Encoding", "gzip", "Range", "bytes=0-6"}} {
			res := f.do(t, "GET", dl, hdr...)
			if res.status/100 != 2 || res.header.Get("Content-Encoding") != "" || !strings.HasPrefix("Vorlage Ausschuss Kompression", string(res.body)) ||
				strings.HasPrefix(res.header.Get("ETag"), "W/") {
				t.Errorf("download %v: %d %q %v", hdr, res.status, res.body, res.header)
			}
		}

		// Withdrawing the body: its tombstone goes compressed as well.
		st := f.a.Settings
		st.OParl.Public = false
		_, err := f.tenants.UpdateSettings(ctx, tenant.Operator(f.a.ID), st)
		must(t, err)
		if res := f.do(t, "GET", body, "Accept-Encoding", "gzip"); res.status != 200 || !strings.Contains(res.header.Get("Vary"), "Accept-Encoding") {
			t.Errorf("withdrawn body: %d %v", res.status, res.header)
		}
	})
}
