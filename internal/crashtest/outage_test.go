package crashtest

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/kollab/kollab/documents"
	"github.com/kollab/kollab/internal/db"
	"github.com/kollab/kollab/internal/storage"
	"github.com/kollab/kollab/internal/testenv"
	"github.com/kollab/kollab/meetings"
	"github.com/kollab/kollab/tenant"
	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"
)

// outageClient is one signed-in browser of the fault test.
type outageClient struct {
	name string
	hc   *http.Client
	csrf string
}

// outcome is what one request got.
type outcome struct {
	status int
	body   string
	err    error
}

// statusLog counts the answers seen while the faults last and records
// every answer that is not allowed.
type statusLog struct {
	mu     sync.Mutex
	counts map[string]int
	bad    []string
}

func (l *statusLog) add(kind string, o outcome, allowed bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	key := kind + " " + strconv.Itoa(o.status)
	if o.err != nil {
		key = kind + " transport error"
	}
	l.counts[key]++
	if !allowed && len(l.bad) < 20 {
		msg := fmt.Sprintf("%s: %d %s", kind, o.status, strings.TrimSpace(o.body))
		if o.err != nil {
			msg = fmt.Sprintf("%s: %v", kind, o.err)
		}
		l.bad = append(l.bad, msg)
	}
}

func (l *statusLog) count(key string) int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.counts[key]
}

// send sends req as c and checks that a 503 is the outage problem with a
// Retry-After and that no answer touches the client's cookies.
func (c *outageClient) send(req *http.Request) outcome {
	req.Header.Set("X-CSRF-Token", c.csrf)
	res, err := c.hc.Do(req)
	if err != nil {
		return outcome{err: err}
	}
	b, _ := io.ReadAll(res.Body)
	res.Body.Close()
	o := outcome{status: res.StatusCode, body: string(b)}
	if res.StatusCode == http.StatusServiceUnavailable {
		ra, _ := strconv.Atoi(res.Header.Get("Retry-After"))
		if res.Header.Get("Content-Type") != "application/problem+json" || !strings.Contains(o.body, `"code":"unavailable"`) || ra <= 0 {
			o.body = "503 without problem+json or Retry-After: " + res.Header.Get("Content-Type") + " Retry-After=" + res.Header.Get("Retry-After") + " " + o.body
			o.status = -503
		}
	}
	for _, ck := range res.Cookies() {
		if ck.Name == "kollab_csrf" || ck.Name == "kollab_session" {
			o.body = "the answer set the cookie " + ck.Name + ": " + o.body
			o.status = -o.status
		}
	}
	return o
}

// throttled yields n pseudo-random bytes at about rate bytes per second,
// so that large uploads are in flight when the object store goes away.
type throttled struct {
	rng  *rand.ChaCha8
	left int64
	rate int64
	sent *atomic.Int64 // bytes read so far (nil: not reported)
}

func (r *throttled) Read(p []byte) (int, error) {
	if r.left == 0 {
		return 0, io.EOF
	}
	n := int(min(int64(len(p)), r.left, 64<<10))
	r.rng.Read(p[:n])
	r.left -= int64(n)
	if r.sent != nil {
		r.sent.Add(int64(n))
	}
	if r.rate > 0 {
		time.Sleep(time.Duration(int64(n) * int64(time.Second) / r.rate))
	}
	return n, nil
}

// TestOutage runs `kollab serve` on a PostgreSQL and a versitygw of the
// test's own while clients upload files, cast ballots and read, then takes
// the object store away for 20 s and restarts PostgreSQL (down for a few
// seconds) in the middle of it. While the faults last, every answer is a
// success or 503 problem+json with Retry-After (a ballot retried after a
// 503 may learn that it had been counted). Afterwards every client carries
// on with the CSRF token it had, every acknowledged upload and ballot is
// in the database, and one sweep leaves no incomplete multipart upload, no
// upload intent and no reserved quota.
func TestOutage(t *testing.T) {
	pg := testenv.StartPostgresCluster(t)
	s3 := testenv.StartS3Process(t)
	inst := newInstance(t, pg.OwnerURL, pg.AppURL, map[string]string{"KOLLAB_STORAGE_URL": s3.URL("")})
	origin, a := inst.origin, inst.app
	defer a.Close()
	ctx := context.Background()

	// A tenant with a folder staff may write in, and a committee with
	// named polls open for its voting members.
	tn, err := a.Tenants.CreateTenant(ctx, "amt-ausfall", "Amt Ausfall")
	must(t, err)
	admin := member(t, a, tn, tenant.RoleAdmin, "admin@ausfall.example")
	folder, err := a.Documents.CreateFolder(ctx, admin, uuid.Nil, "Eingang")
	must(t, err)
	_, err = a.Documents.SetPermission(ctx, admin, folder.ID, documents.RolePrincipal(tenant.RoleStaff), documents.Write)
	must(t, err)
	com, err := a.Committees.CreateCommittee(ctx, admin, meetings.CommitteeInput{Name: "Rat"})
	must(t, err)
	const (
		uploaders = 4
		voters    = 6
		polls     = 160
	)
	var uploaderEmails, voterEmails []string
	voterMembership := map[string]uuid.UUID{}
	for i := range uploaders {
		e := fmt.Sprintf("ablage%d@ausfall.example", i)
		member(t, a, tn, tenant.RoleStaff, e)
		uploaderEmails = append(uploaderEmails, e)
	}
	for i := range voters {
		e := fmt.Sprintf("rat%d@ausfall.example", i)
		v := member(t, a, tn, tenant.RoleStaff, e)
		_, err := a.Committees.SetMember(ctx, admin, com.ID, meetings.MemberInput{MembershipID: v.MembershipID, Role: meetings.RoleMember, Voting: true})
		must(t, err)
		voterEmails = append(voterEmails, e)
		voterMembership[e] = v.MembershipID
	}
	pollIDs := make([]uuid.UUID, polls)
	for i := range pollIDs {
		p, err := a.Committees.CreatePoll(ctx, admin, meetings.PollInput{CommitteeID: com.ID, Deadline: time.Now().Add(time.Hour),
			Title: fmt.Sprintf("Umlaufbeschluss %d", i), Kind: meetings.Named, Method: meetings.YesNoAbstain})
		must(t, err)
		_, err = a.Committees.OpenPoll(ctx, admin, p.ID)
		must(t, err)
		pollIDs[i] = p.ID
	}

	srv, srvOut := inst.serve(t)
	signIn := func(email string) *outageClient {
		jar, _ := cookiejar.New(nil)
		hc := &http.Client{Jar: jar, Timeout: time.Minute}
		return &outageClient{name: email, hc: hc, csrf: login(t, hc, origin, email)}
	}
	var ups, vots []*outageClient
	for _, e := range uploaderEmails {
		ups = append(ups, signIn(e))
	}
	for _, e := range voterEmails {
		vots = append(vots, signIn(e))
	}
	reader := signIn(uploaderEmails[0])
	base := origin + "/api/v1/t/" + tn.Slug

	log := &statusLog{counts: map[string]int{}}
	var (
		mu      sync.Mutex
		acks    []acked
		voted   = map[[2]uuid.UUID]bool{} // (poll, voter membership) acknowledged
		next    = make([]int, voters)     // the next poll each voter votes in
		stop    = make(chan struct{})
		stopped atomic.Bool
		wg      sync.WaitGroup
	)
	// Large uploads in flight: bytes sent, and -1 when none is.
	var big [2]atomic.Int64
	big[0].Store(-1)
	big[1].Store(-1)
	upload := func(c *outageClient, rng *rand.ChaCha8, name string, size, rate int64, sent *atomic.Int64) (outcome, *acked) {
		h := sha256.New()
		if sent != nil {
			sent.Store(0)
			defer sent.Store(-1)
		}
		body := io.TeeReader(&throttled{rng: rng, left: size, rate: rate, sent: sent}, h)
		req, _ := http.NewRequest("POST", base+"/folders/"+folder.ID.String()+"/files?file_name="+name, body)
		req.ContentLength = size
		o := c.send(req)
		if o.status != http.StatusCreated {
			return o, nil
		}
		var out struct {
			Document struct{ ID uuid.UUID } `json:"document"`
			Revision struct {
				ID     uuid.UUID `json:"id"`
				Size   int64     `json:"size_bytes"`
				SHA256 string    `json:"sha256"`
			} `json:"revision"`
		}
		if err := json.Unmarshal([]byte(o.body), &out); err != nil || out.Revision.SHA256 != hex.EncodeToString(h.Sum(nil)) || out.Revision.Size != size {
			o.status, o.body = -201, "acknowledged other bytes than were sent: "+o.body
			return o, nil
		}
		return o, &acked{out.Document.ID, out.Revision.ID, size, out.Revision.SHA256}
	}
	for w, c := range ups {
		wg.Go(func() {
			rng := rand.NewChaCha8([32]byte{byte(w)})
			for i := 0; !stopped.Load(); i++ {
				size, rate := int64(8<<10+rand.N(256<<10)), int64(0)
				var sent *atomic.Int64
				if w < 2 && i%3 == 1 {
					// Larger than a part (16 MiB): a multipart upload, sent
					// slowly enough to be cut by the store's outage.
					size, rate, sent = 20<<20, 5<<20, &big[w]
				}
				o, ack := upload(c, rng, fmt.Sprintf("u%d-%d.bin", w, i), size, rate, sent)
				log.add("upload", o, o.status == http.StatusCreated || o.status == http.StatusServiceUnavailable)
				if ack != nil {
					mu.Lock()
					acks = append(acks, *ack)
					mu.Unlock()
				}
				if o.status != http.StatusCreated {
					time.Sleep(200 * time.Millisecond)
				}
			}
		})
	}
	cast := func(c *outageClient, poll uuid.UUID) outcome {
		req, _ := http.NewRequest("POST", base+"/polls/"+poll.String()+"/ballots", strings.NewReader(`{"choice":"`+meetings.Yes+`"}`))
		req.Header.Set("Content-Type", "application/json")
		return c.send(req)
	}
	for v, c := range vots {
		wg.Go(func() {
			answerLost := false                        // the last attempt at this poll got no success
			for !stopped.Load() && next[v] < polls-1 { // the last poll is for afterwards
				o := cast(c, pollIDs[next[v]])
				already := o.status == http.StatusConflict && strings.Contains(o.body, "bereits") && answerLost
				log.add("ballot", o, o.status == http.StatusCreated || o.status == http.StatusServiceUnavailable || already)
				switch {
				case o.status == http.StatusCreated || already:
					mu.Lock()
					voted[[2]uuid.UUID{pollIDs[next[v]], voterMembership[c.name]}] = true
					mu.Unlock()
					next[v]++
					answerLost = false
					time.Sleep(200 * time.Millisecond)
				case o.status == http.StatusServiceUnavailable:
					answerLost = true
					time.Sleep(200 * time.Millisecond)
				default:
					return
				}
			}
		})
	}
	wg.Go(func() {
		for !stopped.Load() {
			for _, p := range []string{"/api/v1/me", "/api/v1/t/" + tn.Slug + "/folders/" + folder.ID.String() + "/documents?limit=5"} {
				req, _ := http.NewRequest("GET", origin+p, nil)
				o := reader.send(req)
				log.add("read", o, o.status == http.StatusOK || o.status == http.StatusServiceUnavailable)
			}
			time.Sleep(100 * time.Millisecond)
		}
	})

	// The faults: the object store goes for 20 s; in the middle of it
	// PostgreSQL is stopped (fast: sessions end with 57P01) and comes back
	// after 4 s, which is what a restart with a slow start looks like.
	// The store goes while a multipart upload has sent its first part.
	time.Sleep(3 * time.Second)
	for deadline := time.Now().Add(20 * time.Second); ; time.Sleep(10 * time.Millisecond) {
		if n0, n1 := big[0].Load(), big[1].Load(); (n0 > 17<<20 && n0 < 19<<20) || (n1 > 17<<20 && n1 < 19<<20) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("no multipart upload in flight to cut")
		}
	}
	start := time.Now()
	s3.Stop(t)
	time.Sleep(5 * time.Second)
	pg.Stop(t)
	time.Sleep(4 * time.Second)
	pg.Start(t)
	time.Sleep(time.Until(start.Add(20 * time.Second)))
	s3.Start(t)
	time.Sleep(4 * time.Second)
	stopped.Store(true)
	close(stop)
	wg.Wait()
	t.Logf("answers during the run: %v", log.counts)
	for _, b := range log.bad {
		t.Errorf("answer not allowed during the faults: %s", b)
	}
	for _, k := range []string{"upload 503", "ballot 503", "read 503", "upload 201", "ballot 201"} {
		if log.count(k) == 0 {
			t.Errorf("no %q during the run: the faults were not exercised (%v)", k, log.counts)
		}
	}
	if t.Failed() {
		t.Fatalf("server output:\n%s", tail(srvOut.String(), 6000))
	}

	// Everyone carries on with the token they had.
	u, _ := url.Parse(origin)
	for i, c := range append(append([]*outageClient{reader}, ups...), vots...) {
		for _, ck := range c.hc.Jar.Cookies(u) {
			if ck.Name == "kollab_csrf" && ck.Value != c.csrf {
				t.Errorf("%s: the CSRF cookie changed during the outage", c.name)
			}
		}
		var o outcome
		if i <= uploaders {
			var ack *acked
			o, ack = upload(c, rand.NewChaCha8([32]byte{99, byte(i)}), fmt.Sprintf("danach-%d.bin", i), 4096, 0, nil)
			if ack != nil {
				acks = append(acks, *ack)
			}
		} else {
			v := i - uploaders - 1
			if next[v] >= polls-1 {
				t.Errorf("%s voted in every poll before the faults ended: nothing left to show it carries on", c.name)
			}
			if o = cast(c, pollIDs[next[v]]); o.status == http.StatusCreated {
				voted[[2]uuid.UUID{pollIDs[next[v]], voterMembership[c.name]}] = true
			}
		}
		if o.status != http.StatusCreated {
			t.Errorf("%s after the outage, same CSRF token: %d %s %v", c.name, o.status, o.body, o.err)
		}
	}
	if t.Failed() {
		t.FailNow()
	}
	must(t, srv.Process.Signal(syscall.SIGTERM))
	_ = srv.Wait()

	// Every acknowledged upload is there with its bytes.
	for _, k := range acks {
		rev, err := a.Documents.GetRevision(ctx, admin, k.Document, k.Revision)
		if err != nil {
			t.Fatalf("acknowledged revision %s of %s lost: %v", k.Revision, k.Document, err)
		}
		if rev.Size != k.Size || rev.SHA256 != k.SHA256 {
			t.Fatalf("revision %s changed: %+v, acknowledged %+v", k.Revision, rev, k)
		}
	}
	// Every acknowledged ballot is counted, and nothing else.
	var receipts []struct {
		PollID            uuid.UUID `gorm:"column:poll_id"`
		VoterMembershipID uuid.UUID `gorm:"column:voter_membership_id"`
	}
	must(t, a.DB.Tenant(ctx, tn.ID, func(tx *db.Tx) error {
		return tx.Table("poll_receipts").Select("poll_id, voter_membership_id").Find(&receipts).Error
	}))
	seen := map[[2]uuid.UUID]bool{}
	for _, r := range receipts {
		k := [2]uuid.UUID{r.PollID, r.VoterMembershipID}
		if seen[k] {
			t.Errorf("ballot of %s in poll %s counted twice", r.VoterMembershipID, r.PollID)
		}
		seen[k] = true
		if !voted[k] {
			t.Errorf("ballot of %s in poll %s counted, but its voter never learned so", r.VoterMembershipID, r.PollID)
		}
	}
	for k := range voted {
		if !seen[k] {
			t.Errorf("acknowledged ballot of %s in poll %s lost", k[1], k[0])
		}
	}

	mc, err := minio.New(s3.Endpoint, &minio.Options{Creds: credentials.NewStaticV4(s3.AccessKey, s3.SecretKey, ""), BucketLookup: minio.BucketLookupPath})
	must(t, err)
	cut := 0
	for up := range mc.ListIncompleteUploads(ctx, s3.Bucket, "", true) {
		must(t, up.Err)
		cut++
	}
	if cut == 0 {
		t.Error("the outage left no incomplete multipart upload: the sweep's part of the test was not exercised")
	}

	// One sweep, as an operator runs it after an incident.
	sweep := exec.Command(inst.bin, "documents", "sweep")
	sweep.Env = append(append([]string{}, inst.environ...), "KOLLAB_UPLOAD_INTENT_TTL=1ns", "KOLLAB_ORPHAN_GRACE=0s",
		"KOLLAB_UPLOAD_HEARTBEAT_TIMEOUT=1ns")
	out, err := sweep.CombinedOutput()
	if err != nil {
		t.Fatalf("documents sweep: %v\n%s", err, out)
	}
	t.Logf("sweep: %s", strings.TrimSpace(lastLine(out)))
	var intents int64
	must(t, a.DB.Tenant(ctx, tn.ID, func(tx *db.Tx) error { return tx.Table("upload_intents").Count(&intents).Error }))
	usage, err := a.Documents.StorageUsage(ctx, tn.ID)
	must(t, err)
	if intents != 0 || usage.ReservedBytes != 0 {
		t.Errorf("after the sweep: %d upload intents, %d bytes still reserved", intents, usage.ReservedBytes)
	}
	incomplete := 0
	for up := range mc.ListIncompleteUploads(ctx, s3.Bucket, "", true) {
		must(t, up.Err)
		incomplete++
		t.Errorf("incomplete multipart upload %s (%s) survived the sweep", up.Key, up.UploadID)
	}
	prefix, _ := storage.KindPrefix(tn.ID, documents.RevisionKind)
	objects := 0
	must(t, a.Store.List(ctx, prefix, func(storage.ObjectInfo) error { objects++; return nil }))
	t.Logf("%d uploads and %d ballots acknowledged, all present; %d revision objects; incomplete multipart uploads: %d before the sweep, %d after",
		len(acks), len(voted), objects, cut, incomplete)
}

func tail(s string, n int) string {
	if len(s) > n {
		return s[len(s)-n:]
	}
	return s
}
