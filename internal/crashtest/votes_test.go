package crashtest

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/kollab/kollab/internal/testenv"
	"github.com/kollab/kollab/meetings"
	"github.com/kollab/kollab/tenant"
)

// TestKillDuringVoting kills `kollab serve` while the members of a
// committee cast secret ballots at once, restarts it and lets every member
// whose ballot went unanswered try again (as a member would: the answer
// is either "counted now" or "already counted"). The tally after the
// close must equal the ballots acknowledged, before the crash and after:
// none lost, none counted twice, none counted without its voter knowing.
func TestKillDuringVoting(t *testing.T) {
	ownerURL, appURL := testenv.PostgresURLs(t)
	inst := newInstance(t, ownerURL, appURL, nil)
	origin, a := inst.origin, inst.app
	defer a.Close()
	ctx := context.Background()

	// A committee of voters and an open written procedure (secret).
	tn, err := a.Tenants.CreateTenant(ctx, "amt-wahl", "Amt Wahl")
	must(t, err)
	admin := member(t, a, tn, tenant.RoleAdmin, "admin@wahl.example")
	c, err := a.Committees.CreateCommittee(ctx, admin, meetings.CommitteeInput{Name: "Rat"})
	must(t, err)
	const voters = 40
	emails := make([]string, voters)
	for i := range emails {
		emails[i] = fmt.Sprintf("mitglied%02d@wahl.example", i)
		v := member(t, a, tn, tenant.RoleStaff, emails[i])
		_, err := a.Committees.SetMember(ctx, admin, c.ID, meetings.MemberInput{MembershipID: v.MembershipID, Role: meetings.RoleMember, Voting: true})
		must(t, err)
	}
	p, err := a.Committees.CreatePoll(ctx, admin, meetings.PollInput{CommitteeID: c.ID, Deadline: time.Now().Add(time.Hour),
		Title: "Umlaufbeschluss", Kind: meetings.Secret, Method: meetings.YesNoAbstain})
	must(t, err)
	_, err = a.Committees.OpenPoll(ctx, admin, p.ID)
	must(t, err)

	srv, _ := inst.serve(t)

	// Every member signs in with their own browser.
	type browser struct {
		hc   *http.Client
		csrf string
	}
	bs := make([]browser, voters)
	for i, email := range emails {
		jar, _ := cookiejar.New(nil)
		hc := &http.Client{Jar: jar, Timeout: time.Minute}
		bs[i] = browser{hc: hc, csrf: login(t, hc, origin, email)}
	}
	castURL := origin + "/api/v1/t/" + tn.Slug + "/polls/" + p.ID.String() + "/ballots"
	cast := func(b browser, choice string) (int, string, error) {
		req, _ := http.NewRequest("POST", castURL, strings.NewReader(`{"choice":"`+choice+`"}`))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("X-CSRF-Token", b.csrf)
		res, err := b.hc.Do(req)
		if err != nil {
			return 0, "", err
		}
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		return res.StatusCode, string(body), nil
	}

	// All at once; the server dies after the first acknowledgements.
	choices := []string{meetings.Yes, meetings.No, meetings.Abstain}
	acked := make([]bool, voters)
	var ackCount atomic.Int64
	killed := make(chan struct{})
	var wg sync.WaitGroup
	for i := range bs {
		wg.Go(func() {
			status, body, err := cast(bs[i], choices[i%3])
			switch {
			case err != nil: // the server died: no answer
			case status == http.StatusOK || status == http.StatusCreated:
				acked[i] = true
				if ackCount.Add(1) == voters/3 {
					close(killed)
				}
			default:
				t.Errorf("cast %d: %d %s", i, status, body)
			}
		})
	}
	select {
	case <-killed:
	case <-time.After(30 * time.Second):
		t.Fatal("no acknowledgements")
	}
	must(t, srv.Process.Signal(syscall.SIGKILL))
	_ = srv.Wait()
	wg.Wait()
	before := int(ackCount.Load())
	if before >= voters {
		t.Fatalf("all %d ballots were answered before the kill: nothing was in flight", before)
	}

	// Restart; whoever got no answer tries again.
	inst.serve(t)
	retried, already := 0, 0
	for i, b := range bs {
		if acked[i] {
			continue
		}
		status, body, err := cast(b, choices[i%3])
		must(t, err)
		switch {
		case status == http.StatusOK || status == http.StatusCreated:
			retried++
		case status == http.StatusConflict && strings.Contains(body, "bereits"):
			already++ // committed before the kill, its answer lost
		default:
			t.Fatalf("retry %d: %d %s", i, status, body)
		}
		acked[i] = true
	}

	closed, err := a.Committees.ClosePoll(ctx, admin, p.ID)
	must(t, err)
	res, err := a.Committees.Result(ctx, admin, closed.ID)
	must(t, err)
	t.Logf("%d acknowledged before the kill, %d counted but unanswered, %d cast after the restart; tally %d",
		before, already, retried, res.Ballots)
	if res.Ballots != before+already+retried || res.Ballots != voters {
		t.Fatalf("tally %d, acknowledged %d+%d+%d of %d", res.Ballots, before, already, retried, voters)
	}
	if res.Yes+res.No+res.Abstain != voters {
		t.Fatalf("counts %+v do not add up to %d", res, voters)
	}
}
