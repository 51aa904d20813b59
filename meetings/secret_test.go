package meetings_test

import (
	"slices"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/kollab/kollab/internal/db"
	"github.com/kollab/kollab/internal/db/dbtest"
	"github.com/kollab/kollab/meetings"
)

// secretColumns reads the secret ballot table's columns from the catalog.
func secretColumns(t *testing.T, d *db.DB) []string {
	t.Helper()
	var cols []string
	g := d.Global(ctx)
	var err error
	if d.Dialect() == db.Postgres {
		err = g.Raw(`SELECT column_name FROM information_schema.columns
			WHERE table_schema = current_schema() AND table_name = 'secret_ballots'`).Scan(&cols).Error
	} else {
		err = g.Raw(`SELECT name FROM pragma_table_info('secret_ballots')`).Scan(&cols).Error
	}
	must(t, err)
	slices.Sort(cols)
	return cols
}

// The secret ballot table has no voter and no time column, and across
// 2,000 secret ballots the order of the ballot ids says nothing about the
// order they were cast in.
func TestSecretBallotsCarryNoVoterNoTimeNoOrder(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		// Exactly these columns: nothing names a voter or a time.
		if got, want := secretColumns(t, d), []string{"choice", "id", "option_ids", "poll_id", "tenant_id", "weight"}; !slices.Equal(got, want) {
			t.Fatalf("secret_ballots columns %v, want %v", got, want)
		}

		const voters, polls = 50, 40
		w := newWorld(t, d)
		ag := w.a
		// The serving role may not read secret ballots: look as the owner.
		owner := dbtest.Owner(t, d)
		vs := w.voters(t, ag, voters)
		choices := []string{meetings.Yes, meetings.No, meetings.Abstain}
		var cast []uuid.UUID // ballot ids in the order of submission
		for range polls {
			p := w.written(t, ag, meetings.Secret, time.Hour)
			known := map[uuid.UUID]bool{}
			for i, v := range vs {
				must(t, w.cast(v, p.ID, choices[i%3]))
				// Find the new ballot: the one id of this poll not seen before.
				var ids []uuid.UUID
				must(t, owner.Tenant(ctx, ag.tenant.ID, func(tx *db.Tx) error {
					return tx.Table("secret_ballots").Where("poll_id = ?", p.ID).Pluck("id", &ids).Error
				}))
				var fresh []uuid.UUID
				for _, id := range ids {
					if !known[id] {
						fresh = append(fresh, id)
						known[id] = true
					}
				}
				if len(fresh) != 1 {
					t.Fatalf("a cast wrote %d secret ballots", len(fresh))
				}
				cast = append(cast, fresh[0])
			}
		}
		var ordered []uuid.UUID
		must(t, owner.Tenant(ctx, ag.tenant.ID, func(tx *db.Tx) error {
			return tx.Table("secret_ballots").Order("id").Pluck("id", &ordered).Error
		}))
		if len(ordered) != voters*polls || len(cast) != voters*polls {
			t.Fatalf("%d ballots stored, %d cast", len(ordered), len(cast))
		}
		submitted := make(map[uuid.UUID]int, len(cast))
		for i, id := range cast {
			if id.Version() != 4 || id.Variant() != uuid.RFC4122 {
				t.Fatalf("ballot id %s is not a random UUID (version %d)", id, id.Version())
			}
			submitted[id] = i
		}
		// ranks[k] is the submission index of the k-th ballot in id order.
		ranks := make([]int, len(ordered))
		for k, id := range ordered {
			ranks[k] = submitted[id]
		}
		// Kendall's tau between id order and submission order: for random ids
		// it is about 0 with a standard deviation of 0.015 at n = 2,000; ids
		// that follow time (UUIDv7) give 1. The bound is 6 deviations wide.
		if tau := kendallTau(ranks); tau > 0.1 || tau < -0.1 {
			t.Fatalf("ballot id order follows submission order: Kendall's tau %.3f", tau)
		} else {
			t.Logf("Kendall's tau between id order and submission order: %.4f", tau)
		}
		// Nor does any stretch of the id order follow it: the longest run of
		// consecutively increasing submission indices stays short (about 6
		// for a random order; 15 has a probability below 1e-9).
		run, longest := 1, 1
		for k := 1; k < len(ranks); k++ {
			if ranks[k] > ranks[k-1] {
				run++
				longest = max(longest, run)
			} else {
				run = 1
			}
		}
		if longest >= 15 {
			t.Fatalf("ballot ids follow submission order over a run of %d", longest)
		}
	})
}

// kendallTau is Kendall's rank correlation between the sequence's order
// and its values (all distinct): (concordant - discordant) / pairs.
func kendallTau(xs []int) float64 {
	var s int64
	for i := range xs {
		for j := i + 1; j < len(xs); j++ {
			if xs[j] > xs[i] {
				s++
			} else {
				s--
			}
		}
	}
	n := int64(len(xs))
	return float64(s) / float64(n*(n-1)/2)
}
