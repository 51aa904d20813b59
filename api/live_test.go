package api_test

import (
	"bufio"
	"context"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/kollab/kollab/internal/db"
	"github.com/kollab/kollab/internal/db/dbtest"
	"github.com/kollab/kollab/meetings"
	"github.com/kollab/kollab/tenant"
)

// sseStream is an open event stream read line by line.
type sseStream struct {
	res    *http.Response
	events chan [2]string // event name, data
}

// follow opens an event stream as c against a real listener.
func (c *client) follow(base, path string) *sseStream {
	c.e.t.Helper()
	req, err := http.NewRequest("GET", base+path, nil)
	if err != nil {
		c.e.t.Fatal(err)
	}
	c.authorize(req)
	req.Header.Set("Accept", "text/event-stream")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		c.e.t.Fatal(err)
	}
	s := &sseStream{res: res, events: make(chan [2]string, 64)}
	if res.StatusCode != 200 {
		res.Body.Close()
		close(s.events)
		return s
	}
	c.e.t.Cleanup(func() { res.Body.Close() })
	go func() {
		defer close(s.events)
		sc := bufio.NewScanner(res.Body)
		var name, data string
		for sc.Scan() {
			switch line := sc.Text(); {
			case strings.HasPrefix(line, "event: "):
				name = strings.TrimPrefix(line, "event: ")
			case strings.HasPrefix(line, "data: "):
				data = strings.TrimPrefix(line, "data: ")
			case line == "" && name != "":
				s.events <- [2]string{name, data}
				name, data = "", ""
			}
		}
	}()
	return s
}

// until reads events until one has the given data.
func (s *sseStream) until(t *testing.T, name, data string) {
	t.Helper()
	deadline := time.After(5 * time.Second)
	last := ""
	for {
		select {
		case ev, ok := <-s.events:
			if !ok {
				t.Fatalf("stream ended before %s %s (last %s)", name, data, last)
			}
			if last = ev[0] + " " + ev[1]; ev[0] == name && ev[1] == data {
				return
			}
		case <-deadline:
			t.Fatalf("no event %s %s (last %s)", name, data, last)
		}
	}
}

func serve(t *testing.T, e *env) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go func() { _ = e.srv.App().Listener(ln) }()
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = e.srv.Shutdown(ctx)
	})
	return "http://" + ln.Addr().String()
}

// TestLiveEventStreams: a member follows a written procedure's count and a
// meeting's changes over Server-Sent Events; another tenant's follower
// gets 404, an unauthenticated one 401.
func TestLiveEventStreams(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		ctx := context.Background()
		a, b := e.seedTenant("live-a"), e.seedTenant("live-b")
		base := serve(t, e)
		actor := func(tn *tenant.Tenant, email string, role tenant.Role) tenant.Actor {
			u, err := e.tenants.CreateUser(ctx, email, email, testPassword)
			liveOK(t, err)
			m, err := e.tenants.AddMember(ctx, tn.ID, u.ID, role)
			liveOK(t, err)
			return tenant.ActorFromMembership(m)
		}
		uts, err := e.tenants.TenantsOfUser(ctx, mustUser(t, e, a.email).ID)
		liveOK(t, err)
		admin := tenant.ActorFromMembership(&uts[0].Membership)
		c, err := e.comm.CreateCommittee(ctx, admin, meetings.CommitteeInput{Name: "Hauptausschuss"})
		liveOK(t, err)
		var voters []tenant.Actor
		for i := range 3 {
			v := actor(a.tenant, "mitglied"+string(rune('a'+i))+"@live-a.example", tenant.RoleCommittee)
			_, err := e.comm.SetMember(ctx, admin, c.ID, meetings.MemberInput{MembershipID: v.MembershipID, Role: meetings.RoleMember, Voting: true})
			liveOK(t, err)
			voters = append(voters, v)
		}
		p, err := e.comm.CreatePoll(ctx, admin, meetings.PollInput{CommitteeID: c.ID, Deadline: time.Now().Add(time.Hour),
			Title: "Umlaufbeschluss Haushalt", Kind: meetings.Secret, Method: meetings.YesNoAbstain})
		liveOK(t, err)
		m, err := e.comm.CreateMeeting(ctx, admin, c.ID, meetings.MeetingInput{Title: "Sitzung", StartsAt: time.Now().Add(time.Hour),
			EndsAt: time.Now().Add(3 * time.Hour), Place: "Rathaus"})
		liveOK(t, err)

		pollStream := a.admin.follow(base, "/api/v1/t/live-a/polls/"+p.ID.String()+"/events")
		if pollStream.res.StatusCode != 200 || !strings.HasPrefix(pollStream.res.Header.Get("Content-Type"), "text/event-stream") {
			t.Fatalf("poll stream: %d %s", pollStream.res.StatusCode, pollStream.res.Header.Get("Content-Type"))
		}
		meetingStream := a.admin.follow(base, "/api/v1/t/live-a/meetings/"+m.ID.String()+"/events")
		pollStream.until(t, "snapshot", `{"state":"draft","ballots":0}`)
		_, err = e.comm.OpenPoll(ctx, admin, p.ID)
		liveOK(t, err)
		pollStream.until(t, "snapshot", `{"state":"open","ballots":0}`)
		for _, v := range voters {
			_, err := e.comm.Cast(ctx, v, p.ID, uuid.Nil, meetings.Vote{Choice: meetings.Yes})
			liveOK(t, err)
		}
		pollStream.until(t, "snapshot", `{"state":"open","ballots":3}`)
		_, err = e.comm.ClosePoll(ctx, admin, p.ID)
		liveOK(t, err)
		pollStream.until(t, "snapshot", `{"state":"closed","ballots":3}`)

		_, err = e.comm.AddAgendaItem(ctx, admin, m.ID, meetings.AgendaItemInput{Title: "Haushalt 2027", Public: true})
		liveOK(t, err)
		meetingStream.until(t, "change", `{"what":"agenda"}`)

		// Another tenant's admin, with its own slug or with A's: 404; nobody: 401.
		for _, path := range []string{"/api/v1/t/live-b/polls/" + p.ID.String() + "/events", "/api/v1/t/live-a/polls/" + p.ID.String() + "/events",
			"/api/v1/t/live-b/meetings/" + m.ID.String() + "/events"} {
			if s := b.admin.follow(base, path); s.res.StatusCode != 404 {
				t.Fatalf("%s as tenant B: %d", path, s.res.StatusCode)
			}
		}
		if s := e.client().follow(base, "/api/v1/t/live-a/polls/"+p.ID.String()+"/events"); s.res.StatusCode != 401 {
			t.Fatalf("without a session: %d", s.res.StatusCode)
		}
	})
}

func mustUser(t *testing.T, e *env, email string) *tenant.User {
	t.Helper()
	u, err := e.tenants.UserByEmail(context.Background(), email)
	liveOK(t, err)
	return u
}

func liveOK(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// TestLiveStreamsPerLogin: one session holds at most 20 live streams; the
// 21st is refused with 429 and a problem, while another person's session
// still gets its stream.
func TestLiveStreamsPerLogin(t *testing.T) {
	e := newEnv(t, dbtest.SQLite(t))
	ctx := context.Background()
	a := e.seedTenant("streams-a")
	base := serve(t, e)
	uts, err := e.tenants.TenantsOfUser(ctx, mustUser(t, e, a.email).ID)
	liveOK(t, err)
	admin := tenant.ActorFromMembership(&uts[0].Membership)
	c, err := e.comm.CreateCommittee(ctx, admin, meetings.CommitteeInput{Name: "Bauausschuss"})
	liveOK(t, err)
	m, err := e.comm.CreateMeeting(ctx, admin, c.ID, meetings.MeetingInput{Title: "Sitzung", StartsAt: time.Now().Add(time.Hour),
		EndsAt: time.Now().Add(3 * time.Hour), Place: "Rathaus"})
	liveOK(t, err)
	path := "/api/v1/t/streams-a/meetings/" + m.ID.String() + "/events"
	for i := range 20 {
		if s := a.admin.follow(base, path); s.res.StatusCode != 200 {
			t.Fatalf("stream %d: %d", i+1, s.res.StatusCode)
		}
	}
	s := a.admin.follow(base, path)
	if s.res.StatusCode != 429 || s.res.Header.Get("Content-Type") != "application/problem+json" || s.res.Header.Get("Retry-After") == "" {
		t.Fatalf("stream 21: %d %q retry-after %q", s.res.StatusCode, s.res.Header.Get("Content-Type"), s.res.Header.Get("Retry-After"))
	}
	// Another session of the same tenant is not affected.
	other := e.client()
	other.login(a.email, testPassword, a.secret)
	if s := other.follow(base, path); s.res.StatusCode != 200 {
		t.Fatalf("another session: %d", s.res.StatusCode)
	}
}
