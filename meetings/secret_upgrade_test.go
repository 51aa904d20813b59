package meetings_test

import (
	"database/sql"
	"io/fs"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/kollab/kollab/internal/db"
	"github.com/kollab/kollab/internal/db/dbtest"
	"github.com/kollab/kollab/internal/db/migrations"
	"github.com/kollab/kollab/internal/errs"
	"github.com/kollab/kollab/internal/testenv"
	"github.com/kollab/kollab/meetings"
	"github.com/kollab/kollab/tenant"
	"github.com/pressly/goose/v3"
)

// secretUpgrade is a database to take back before migration 00014 and up
// again: the owner's SQL handle (goose and the data an older version left).
type secretUpgrade struct {
	d       *db.DB
	owner   *sql.DB
	dialect goose.Dialect
	sub     fs.FS
	remigr  func()
}

func (u *secretUpgrade) goose(t *testing.T) *goose.Provider {
	t.Helper()
	p, err := goose.NewProvider(u.dialect, u.owner, u.sub, goose.WithDisableGlobalRegistry(true))
	must(t, err)
	return p
}

// Existing data is brought under the rules: weighted secret ballots count
// one each (their weight is set to 1, and an open poll with them is counted
// one per ballot), and a published secret result of fewer than 3 ballots
// is removed, its poll annulled.
func TestSecretBallotsMigrationFixesExistingData(t *testing.T) {
	for _, dialect := range []string{"sqlite", "postgres"} {
		t.Run(dialect, func(t *testing.T) {
			u := &secretUpgrade{}
			if dialect == "sqlite" {
				path := filepath.Join(t.TempDir(), "kollab.db")
				must(t, db.Migrate(ctx, db.MigrateOptions{SQLitePath: path}))
				var err error
				u.d, err = db.Open(ctx, db.Options{SQLitePath: path})
				must(t, err)
				u.owner, err = sql.Open("sqlite", db.SQLiteDSN(path))
				must(t, err)
				u.owner.SetMaxOpenConns(1)
				u.dialect = goose.DialectSQLite3
				u.remigr = func() { must(t, db.Migrate(ctx, db.MigrateOptions{SQLitePath: path})) }
			} else {
				var ownerURL string
				u.d, ownerURL = dbtest.Postgres(t)
				var err error
				u.owner, err = sql.Open("pgx", ownerURL)
				must(t, err)
				u.dialect = goose.DialectPostgres
				u.remigr = func() {
					must(t, db.Migrate(ctx, db.MigrateOptions{OwnerURL: ownerURL, AppRole: testenv.PostgresAppRole(t)}))
				}
			}
			t.Cleanup(func() { _ = u.owner.Close(); _ = u.d.Close() })
			var err error
			u.sub, err = fs.Sub(migrations.FS, dialect)
			must(t, err)

			w := newWorld(t, u.d)
			ag := w.a
			weighted := w.written(t, ag, meetings.Secret, time.Hour)
			for _, v := range []tenant.Actor{ag.alice, ag.bob} {
				must(t, w.cast(v, weighted.ID, meetings.No))
			}
			small := w.written(t, ag, meetings.Secret, time.Hour)
			must(t, w.cast(ag.alice, small.ID, meetings.Yes))
			must(t, w.cast(ag.carol, small.ID, meetings.Yes))
			_, err = w.svc.ClosePoll(ctx, ag.chair, small.ID)
			must(t, err)

			// Back before 00014, and write what an older version wrote:
			// carol's secret ballot with her weight of 3, and a published
			// result of two secret ballots.
			_, err = u.goose(t).DownTo(ctx, 13)
			must(t, err)
			tx, err := u.owner.BeginTx(ctx, nil)
			must(t, err)
			ph := func(q string) string {
				if dialect == "sqlite" {
					return q
				}
				var out strings.Builder
				n := 0
				for _, r := range q {
					if r == '?' {
						n++
						out.WriteString("$" + strconv.Itoa(n))
						continue
					}
					out.WriteRune(r)
				}
				return out.String()
			}
			now := w.clock.Now()
			if dialect == "postgres" {
				_, err = tx.Exec("SELECT set_config('app.tenant_id', $1, true)", ag.tenant.ID.String())
				must(t, err)
			}
			for _, q := range []struct {
				sql  string
				args []any
			}{
				{"INSERT INTO poll_receipts (tenant_id, id, poll_id, voter_membership_id, cast_by_membership_id, cast_at) VALUES (?, ?, ?, ?, ?, ?)",
					[]any{ag.tenant.ID, uuid.New(), weighted.ID, ag.carol.MembershipID, ag.carol.MembershipID, now}},
				{"INSERT INTO secret_ballots (tenant_id, id, poll_id, choice, option_ids, weight) VALUES (?, ?, ?, 'yes', '[]', 3)",
					[]any{ag.tenant.ID, uuid.New(), weighted.ID}},
				{`INSERT INTO poll_results (tenant_id, id, poll_id, ballots, cast_weight, yes_weight, base_weight, present_weight, members_weight, passed, computed_at)
					VALUES (?, ?, ?, 2, 4, 4, 4, 6, 6, ?, ?)`, []any{ag.tenant.ID, uuid.New(), small.ID, true, now}},
				{"UPDATE polls SET state = 'published', published_at = ? WHERE tenant_id = ? AND id = ?", []any{now, ag.tenant.ID, small.ID}},
			} {
				_, err := tx.Exec(ph(q.sql), q.args...)
				must(t, err)
			}
			must(t, tx.Commit())

			u.remigr()

			if n := w.count(t, ag.tenant.ID, "secret_ballots", "weight <> 1"); n != 0 {
				t.Fatalf("%d secret ballots keep a weight", n)
			}
			got, err := w.svc.GetPoll(ctx, ag.alice, small.ID)
			must(t, err)
			if got.State != meetings.PollAnnulled || got.AnnulReason != "zu wenige Stimmen für eine geheime Auswertung" || got.AnnulledBy != nil {
				t.Fatalf("published secret poll of two ballots after the migration: %+v", got)
			}
			if n := w.count(t, ag.tenant.ID, "poll_results", "poll_id = ?", small.ID); n != 0 {
				t.Fatal("its result is still stored")
			}
			_, err = w.svc.Result(ctx, ag.alice, small.ID)
			wantCode(t, err, errs.Conflict, "result of the annulled poll")

			_, err = w.svc.ClosePoll(ctx, ag.chair, weighted.ID)
			must(t, err)
			r, err := w.svc.Result(ctx, ag.chair, weighted.ID)
			must(t, err)
			if r.Ballots != 3 || r.CastWeight != 3 || r.Yes != 1 || r.No != 2 || r.Passed {
				t.Fatalf("the formerly weighted poll: %+v", r)
			}
		})
	}
}
