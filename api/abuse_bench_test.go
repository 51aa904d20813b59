package api_test

import (
	"bytes"
	"fmt"
	"io"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/kollab/kollab/internal/db/dbtest"
)

// BenchmarkKeyBomb sends, without a session, a JSON body of n unknown keys
// to the sign-in route and reports the time per answer and the answer's
// size (docs/benchmarks.md). The answer is a 400 or 422 problem:
//
//	go test -run '^$' -bench BenchmarkKeyBomb -benchtime 20x ./api/
func BenchmarkKeyBomb(b *testing.B) {
	for _, n := range []int{3000, 10000, 60000} {
		b.Run(fmt.Sprintf("keys=%d", n), func(b *testing.B) {
			// newEnv wants a *testing.T for its clean-ups; the database is b's.
			e := newEnv(&testing.T{}, dbtest.SQLite(b))
			c := e.client()
			c.csrf() // anonymous, but with the CSRF token anyone can fetch
			var body bytes.Buffer
			body.WriteByte('{')
			for i := range n {
				if i > 0 {
					body.WriteByte(',')
				}
				fmt.Fprintf(&body, `"k%d":0`, i)
			}
			body.WriteByte('}')
			size := 0
			b.SetBytes(int64(body.Len()))
			b.ResetTimer()
			for b.Loop() {
				req := httptest.NewRequest("POST", "/api/v1/auth/login", bytes.NewReader(body.Bytes()))
				req.Header.Set("Content-Type", "application/json")
				c.authorize(req)
				res, err := e.srv.App().Test(req, int((5 * time.Minute).Milliseconds()))
				if err != nil {
					b.Fatal(err)
				}
				got, _ := io.ReadAll(res.Body)
				res.Body.Close()
				if res.StatusCode < 400 || res.StatusCode >= 500 {
					b.Fatalf("status %d", res.StatusCode)
				}
				size = len(got)
			}
			b.ReportMetric(float64(size), "answer-bytes")
		})
	}
}
