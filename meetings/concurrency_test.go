package meetings_test

import (
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/kollab/kollab/internal/db"
	"github.com/kollab/kollab/internal/db/dbtest"
	"github.com/kollab/kollab/internal/errs"
	"github.com/kollab/kollab/meetings"
)

// Many concurrent copies of one voter's ballot store exactly one: one
// receipt, one ballot, one audit event; every other copy is refused as a
// duplicate.
func TestConcurrentDuplicateBallots(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		n := 1000
		if d.Dialect() == db.SQLite {
			n = 100 // one writer: the copies queue, they do not race
		}
		w := newWorld(t, d)
		ag := w.a
		for _, kind := range []meetings.Kind{meetings.Named, meetings.Secret} {
			t.Run(string(kind), func(t *testing.T) {
				p := w.written(t, ag, kind, time.Hour)
				var ok, dup atomic.Int64
				errc := make(chan error, n)
				var wg sync.WaitGroup
				start := make(chan struct{})
				for range n {
					wg.Go(func() {
						<-start
						err := w.cast(ag.alice, p.ID, meetings.Yes)
						switch e := errs.As(err); {
						case err == nil:
							ok.Add(1)
						case e != nil && e.Code == errs.Conflict && e.Detail.DE == "Diese Stimme wurde in dieser Abstimmung bereits abgegeben.":
							dup.Add(1)
						default:
							errc <- err
						}
					})
				}
				close(start)
				wg.Wait()
				close(errc)
				for err := range errc {
					t.Fatalf("unexpected error: %v", err)
				}
				ballots := "poll_votes"
				if kind == meetings.Secret {
					ballots = "secret_ballots"
				}
				if ok.Load() != 1 || dup.Load() != int64(n-1) {
					t.Fatalf("%d accepted, %d refused as duplicates of %d", ok.Load(), dup.Load(), n)
				}
				for table, where := range map[string]string{"poll_receipts": "poll_id = ?", ballots: "poll_id = ?", "audit_events": "target_id = ? AND action = '" + meetings.ActionBallotCast + "'"} {
					arg := any(p.ID)
					if table == "audit_events" {
						arg = p.ID.String()
					}
					if c := w.count(t, ag.tenant.ID, table, where, arg); c != 1 {
						t.Fatalf("%s: %d rows", table, c)
					}
				}
			})
		}
	})
}

// Closing while ballots are in flight: every cast that returned success is
// counted in the result, and every counted ballot returned success; the
// casts that lost the race were refused because the poll was closed.
func TestCloseWhileCasting(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		n := 150
		if d.Dialect() == db.SQLite {
			n = 40
		}
		w := newWorld(t, d)
		ag := w.a
		voters := w.voters(t, ag, n)
		for _, kind := range []meetings.Kind{meetings.Named, meetings.Secret} {
			t.Run(string(kind), func(t *testing.T) {
				p := w.written(t, ag, kind, time.Hour)
				var mu sync.Mutex
				var accepted []uuid.UUID
				var refused, unexpected []error
				someIn := make(chan struct{})
				var once sync.Once
				var wg sync.WaitGroup
				for i, v := range voters {
					wg.Go(func() {
						err := w.cast(v, p.ID, []string{meetings.Yes, meetings.No, meetings.Abstain}[i%3])
						mu.Lock()
						defer mu.Unlock()
						e := errs.As(err)
						switch {
						case err == nil:
							accepted = append(accepted, v.MembershipID)
							if len(accepted) == n/4 {
								once.Do(func() { close(someIn) })
							}
						case e != nil && e.Code == errs.Conflict && e.Detail.DE == "Die Abstimmung ist nicht geöffnet.":
							refused = append(refused, err)
						default:
							unexpected = append(unexpected, err)
						}
					})
				}
				var closeErr error
				wg.Go(func() {
					select {
					case <-someIn:
					case <-time.After(time.Minute):
					}
					_, closeErr = w.svc.ClosePoll(ctx, ag.chair, p.ID)
				})
				wg.Wait()
				must(t, closeErr)
				if len(unexpected) > 0 {
					t.Fatalf("unexpected errors: %v", unexpected)
				}
				if len(accepted)+len(refused) != n || len(accepted) < n/4 {
					t.Fatalf("%d accepted, %d refused of %d", len(accepted), len(refused), n)
				}
				res, err := w.svc.Result(ctx, ag.chair, p.ID)
				must(t, err)
				if res.Ballots != len(accepted) || res.CastWeight != int64(len(accepted)) || res.Yes+res.No+res.Abstain != int64(len(accepted)) {
					t.Fatalf("result counts %d ballots (weight %d), %d were accepted", res.Ballots, res.CastWeight, len(accepted))
				}
				// The receipts (and for a named poll the ballots) name exactly the accepted voters.
				var receipts, named []uuid.UUID
				must(t, d.Tenant(ctx, ag.tenant.ID, func(tx *db.Tx) error {
					if err := tx.Table("poll_receipts").Where("poll_id = ?", p.ID).Pluck("voter_membership_id", &receipts).Error; err != nil {
						return err
					}
					return tx.Table("poll_votes").Where("poll_id = ?", p.ID).Pluck("voter_membership_id", &named).Error
				}))
				want := sorted(accepted)
				if !slices.Equal(sorted(receipts), want) {
					t.Fatalf("receipts differ from the accepted casts: %d vs %d", len(receipts), len(want))
				}
				if kind == meetings.Named && !slices.Equal(sorted(named), want) {
					t.Fatalf("named ballots differ from the accepted casts: %d vs %d", len(named), len(want))
				}
				if kind == meetings.Secret {
					if c := w.count(t, ag.tenant.ID, "secret_ballots", "poll_id = ?", p.ID); c != int64(len(accepted)) {
						t.Fatalf("%d secret ballots, %d accepted", c, len(accepted))
					}
				}
				t.Logf("%s: %d accepted before the close, %d refused after it", kind, len(accepted), len(refused))
			})
		}
	})
}
