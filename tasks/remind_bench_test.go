package tasks_test

import (
	"context"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/kollab/kollab/internal/db"
	"github.com/kollab/kollab/internal/db/dbtest"
	"github.com/kollab/kollab/internal/notify"
	"github.com/kollab/kollab/tasks"
	"github.com/kollab/kollab/tenant"
	"github.com/kollab/kollab/workspaces"
)

// TestRemindScanTimings is the benchmark of the deadline run ("Tasks:
// reminder scan" in docs/benchmarks.md): 1,000,000 open tasks in one
// tenant (10 workspaces of 100,000), and 1,000,000 spread over 100
// tenants (one workspace of 10,000 each), on PostgreSQL as the app role.
// The tasks are generated as the owner with one INSERT … SELECT
// generate_series per tenant, each with one assignee, in the state the
// run leaves them in: attention_on spread evenly over the next 730 days
// (about 1,370 tasks need attention on a given day), due 6 days before to
// 7 days after their attention day (some are reminded, some told they are
// overdue, some escalated, the rest rescheduled). Then, in the same run:
// the bare indexed SELECT of the run (all batches of every tenant, raw
// pgx; the median of 5), its EXPLAIN (it must use tasks_attention), and
// RemindDue at 09:00 on that day (goal: ≤ 10 s), and on the next day.
//
//	KOLLAB_BENCH_REMIND=1 go test ./tasks/ -run TestRemindScanTimings -v -count=1 -timeout 30m
//
// KOLLAB_BENCH_REMIND_TASKS=100000 generates fewer tasks for a quick look.
func TestRemindScanTimings(t *testing.T) {
	if os.Getenv("KOLLAB_BENCH_REMIND") == "" {
		t.Skip("set KOLLAB_BENCH_REMIND=1 to run the reminder scan benchmark (generates 2 × 1,000,000 tasks)")
	}
	total := 1_000_000
	if n := os.Getenv("KOLLAB_BENCH_REMIND_TASKS"); n != "" {
		_, err := fmt.Sscan(n, &total)
		rmMust(t, err)
	}
	t.Run("one-tenant", func(t *testing.T) { remindScan(t, 1, 10, total) })
	t.Run("100-tenants", func(t *testing.T) { remindScan(t, 100, 1, total) })
}

// benchDay is the day the run is measured on (a Monday).
const benchDay = "2027-03-01"

func remindScan(t *testing.T, nTenants, wsPerTenant, total int) {
	d, ownerURL := dbtest.Postgres(t)
	w := rmNewWorld(t, d, "2027-02-01")
	perTenant := total / nTenants
	owner, err := pgx.Connect(rmCtx, ownerURL)
	rmMust(t, err)
	defer owner.Close(rmCtx)
	start := time.Now()
	var tids []uuid.UUID
	for i := range nTenants {
		tids = append(tids, benchTenant(t, w, owner, i, wsPerTenant, perTenant))
	}
	for _, q := range []string{"ANALYZE tasks", "ANALYZE task_assignees", "ANALYZE task_reminders", "ANALYZE workspace_members"} {
		_, err := owner.Exec(rmCtx, q)
		rmMust(t, err)
	}
	t.Logf("generated %d tasks in %d tenants in %v", perTenant*nTenants, nTenants, time.Since(start).Round(time.Second))

	day := rmBerlin(benchDay)
	bare, due, plan := bareScan(t, d, tids, benchDay)
	t.Logf("bare indexed SELECT over %d tenants: %d tasks due in %v", nTenants, due, bare.Round(time.Millisecond))
	t.Logf("EXPLAIN:\n%s", plan)
	if !strings.Contains(plan, "tasks_attention") {
		t.Errorf("the run's SELECT does not use tasks_attention:\n%s", plan)
	}
	svc := tasks.NewService(d, tasks.WithClock(w.clock.Now), tasks.WithNotify(notify.New(d)))
	for i, at := range []time.Time{day, day.AddDate(0, 0, 1)} {
		bareAgain, dueAgain := bareMedian(t, d, tids, at.Format(tasks.DateLayout))
		t0 := time.Now()
		rep, err := svc.RemindDue(rmCtx, at)
		took := time.Since(t0)
		rmMust(t, err)
		t.Logf("run %d (%s): RemindDue %v for %+v; bare SELECT %v for %d tasks; ratio %.1f×", i+1, at.Format(tasks.DateLayout),
			took.Round(time.Millisecond), rep, bareAgain.Round(time.Millisecond), dueAgain, float64(took)/float64(bareAgain))
		if rep.Tasks != dueAgain {
			t.Errorf("run %d looked at %d tasks, the index holds %d", i+1, rep.Tasks, dueAgain)
		}
		if took > 10*time.Second {
			t.Errorf("run %d took %v (goal ≤ 10 s)", i+1, took)
		}
	}
	// A run with nothing due: only the index probes of every tenant.
	idleBare, _ := bareMedian(t, d, tids, "2027-02-15")
	t0 := time.Now()
	_, err = svc.RemindDue(rmCtx, rmBerlin("2027-02-15"))
	rmMust(t, err)
	t.Logf("idle run (nothing due): RemindDue %v; bare SELECT %v", time.Since(t0).Round(time.Millisecond), idleBare.Round(time.Millisecond))
}

// benchTenant makes tenant i with its workspaces and three members, and
// generates its tasks and their assignees as the owner.
func benchTenant(t *testing.T, w *rmWorld, owner *pgx.Conn, i, nWs, n int) uuid.UUID {
	t.Helper()
	tn, err := w.tenants.CreateTenant(rmCtx, fmt.Sprintf("scan-%03d-%s", i, uuid.NewString()[:6]), fmt.Sprintf("Amt %d", i))
	rmMust(t, err)
	var people []tenant.Actor
	for _, who := range []string{"lead", "sb1", "sb2"} {
		u, err := w.tenants.CreateUser(rmCtx, fmt.Sprintf("%s-%s@scan.example", who, tn.Slug), who, "ein-sehr-langes-Passwort")
		rmMust(t, err)
		m, err := w.tenants.AddMember(rmCtx, tn.ID, u.ID, tenant.RoleStaff)
		rmMust(t, err)
		people = append(people, tenant.ActorFromMembership(m))
	}
	var wsIDs, statusIDs []string
	for k := range nWs {
		ws, err := w.ws.Create(rmCtx, people[0], workspaces.Input{Name: fmt.Sprintf("Sachgebiet %d", k)})
		rmMust(t, err)
		for _, p := range people[1:] {
			_, err := w.ws.SetMember(rmCtx, people[0], ws.ID, p.MembershipID, workspaces.Member)
			rmMust(t, err)
		}
		sts, err := w.svc.Statuses(rmCtx, people[0], ws.ID)
		rmMust(t, err)
		wsIDs, statusIDs = append(wsIDs, ws.ID.String()), append(statusIDs, sts[0].ID.String())
	}
	ids := func(s []string) string { return "ARRAY['" + strings.Join(s, "','") + "']::uuid[]" }
	_, err = owner.Exec(rmCtx, "SELECT set_config('app.tenant_id', $1, false)", tn.ID.String())
	rmMust(t, err)
	// attention_on: day 0 to 729 after benchDay, spread by a multiplicative hash; due_on 2 days
	// before to 7 days after it.
	_, err = owner.Exec(rmCtx, fmt.Sprintf(`INSERT INTO tasks (tenant_id, id, workspace_id, title, status_id, category, priority,
			due_on, attention_on, rank, version, created_at, created_by, updated_at)
		SELECT $1, gen_random_uuid(), (%[1]s)[1 + g %% %[3]d], 'Aufgabe ' || g, (%[2]s)[1 + g %% %[3]d], 'open', 2,
			to_char($2::date + ((g::bigint * 7919) %% 730)::int + ((g / 730) %% 14) - 6, 'YYYY-MM-DD'),
			to_char($2::date + ((g::bigint * 7919) %% 730)::int, 'YYYY-MM-DD'),
			g, 1, now(), $3, now()
		FROM generate_series(1, $4) g`, ids(wsIDs), ids(statusIDs), nWs), tn.ID, benchDay, people[0].MembershipID, n)
	rmMust(t, err)
	members := []string{people[0].MembershipID.String(), people[1].MembershipID.String(), people[2].MembershipID.String()}
	_, err = owner.Exec(rmCtx, fmt.Sprintf(`INSERT INTO task_assignees (tenant_id, id, task_id, membership_id, created_at)
		SELECT tenant_id, gen_random_uuid(), id, (%s)[1 + (rank::bigint %% 3)], now() FROM tasks WHERE tenant_id = $1`, ids(members)), tn.ID)
	rmMust(t, err)
	return tn.ID
}

// bareMedian is the median time of 5 bare scans.
func bareMedian(t *testing.T, d *db.DB, tids []uuid.UUID, day string) (time.Duration, int) {
	var times []time.Duration
	found := 0
	for range 5 {
		took, n, _ := bareScan(t, d, tids, day)
		times, found = append(times, took), n
	}
	slices.Sort(times)
	return times[2], found
}

// bareScan is the run's SELECT done bare: every batch of every tenant
// (keyset, 200 at a time), raw pgx as the app role on one connection,
// tenant set per tenant. It returns the time, the tasks found and the
// plan of the first tenant's first batch.
func bareScan(t *testing.T, d *db.DB, tids []uuid.UUID, day string) (time.Duration, int, string) {
	t.Helper()
	conn, err := d.Pgx().Acquire(rmCtx)
	rmMust(t, err)
	defer func() {
		_, _ = conn.Exec(context.Background(), "RESET app.tenant_id")
		conn.Release()
	}()
	const sel = `SELECT attention_on, id FROM tasks WHERE tenant_id = $1 AND attention_on IS NOT NULL AND attention_on <= $2`
	const order = ` ORDER BY attention_on, id LIMIT 200`
	var plan strings.Builder
	start := time.Now()
	found := 0
	for i, tid := range tids {
		_, err := conn.Exec(rmCtx, "SELECT set_config('app.tenant_id', $1, false)", tid.String())
		rmMust(t, err)
		var lastAt string
		var lastID uuid.UUID
		for batch := 0; ; batch++ {
			var rows pgx.Rows
			if batch == 0 {
				rows, err = conn.Query(rmCtx, sel+order, tid, day)
			} else {
				rows, err = conn.Query(rmCtx, sel+" AND (attention_on > $3 OR (attention_on = $3 AND id > $4))"+order, tid, day, lastAt, lastID)
			}
			rmMust(t, err)
			n := 0
			for rows.Next() {
				rmMust(t, rows.Scan(&lastAt, &lastID))
				n++
			}
			rmMust(t, rows.Err())
			found += n
			if n < 200 {
				break
			}
		}
		if i == 0 {
			took := time.Since(start)
			rows, err := conn.Query(rmCtx, "EXPLAIN (ANALYZE, BUFFERS) "+sel+order, tid, day)
			rmMust(t, err)
			for rows.Next() {
				var line string
				rmMust(t, rows.Scan(&line))
				plan.WriteString(line + "\n")
			}
			rmMust(t, rows.Err())
			start = time.Now().Add(-took) // the EXPLAIN is not timed
		}
	}
	return time.Since(start), found, plan.String()
}
