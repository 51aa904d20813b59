package meetings_test

import (
	"context"
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/kollab/kollab/documents"
	"github.com/kollab/kollab/internal/db"
	"github.com/kollab/kollab/internal/db/dbtest"
	"github.com/kollab/kollab/internal/errs"
	"github.com/kollab/kollab/internal/testenv"
	"github.com/kollab/kollab/meetings"
	"github.com/kollab/kollab/tenant"
)

// The serving role may insert secret ballots and nothing else: connected
// raw as the application role, every read of the table is refused, as is
// an INSERT ... RETURNING. It counts a poll only through
// secret_ballot_tally, which is owned by the migration role, runs as it
// with a pinned search_path, and answers only for a closed secret poll of
// the session's tenant with at least 3 ballots, with counts per choice and
// option (never a row).
func TestServingRoleCannotReadSecretBallots(t *testing.T) {
	ownerURL, appURL := testenv.PostgresURLs(t)
	appRole := testenv.PostgresAppRole(t)
	if err := db.Migrate(ctx, db.MigrateOptions{OwnerURL: ownerURL, AppRole: appRole}); err != nil {
		t.Fatal(err)
	}
	// Migrating again must not grant anything back.
	if err := db.Migrate(ctx, db.MigrateOptions{OwnerURL: ownerURL, AppRole: appRole}); err != nil {
		t.Fatal(err)
	}
	d, err := db.Open(ctx, db.Options{URL: appURL, MaxOpenConns: 8})
	must(t, err)
	t.Cleanup(func() { _ = d.Close() })
	w := newWorld(t, d)
	ag := w.a
	vs := w.voters(t, ag, 2)
	open := w.written(t, ag, meetings.Secret, time.Hour)
	draft, err := w.svc.CreatePoll(ctx, ag.chair, meetings.PollInput{CommitteeID: ag.committee.ID, Deadline: w.clock.Now().Add(time.Hour),
		Title: "Entwurf", Kind: meetings.Secret, Method: meetings.YesNoAbstain})
	must(t, err)
	closed := w.written(t, ag, meetings.Secret, time.Hour)
	small := w.written(t, ag, meetings.Secret, time.Hour)
	named := w.written(t, ag, meetings.Named, time.Hour)
	for _, v := range []tenant.Actor{ag.alice, ag.bob, ag.carol, vs[0], vs[1]} {
		must(t, w.cast(v, open.ID, meetings.Yes))
	}
	for i, v := range []tenant.Actor{ag.alice, ag.bob, ag.carol, vs[0]} {
		must(t, w.cast(v, closed.ID, []string{meetings.Yes, meetings.No, meetings.Yes, meetings.Abstain}[i]))
		must(t, w.cast(v, named.ID, meetings.Yes))
	}
	must(t, w.cast(ag.alice, small.ID, meetings.No))
	must(t, w.cast(ag.bob, small.ID, meetings.No))
	for _, p := range []*meetings.Poll{closed, small, named} {
		_, err := w.svc.ClosePoll(ctx, ag.chair, p.ID)
		must(t, err)
	}

	conn, err := pgx.Connect(ctx, appURL)
	must(t, err)
	t.Cleanup(func() { _ = conn.Close(context.Background()) })
	var who string
	must(t, conn.QueryRow(ctx, "SELECT current_user").Scan(&who))
	if who != appRole {
		t.Fatalf("connected as %s, want the application role %s", who, appRole)
	}
	// inTenant runs fn in a transaction of the tenant and rolls it back,
	// returning the SQLSTATE of its error ("" when none).
	inTenant := func(tenantID uuid.UUID, fn func(tx pgx.Tx) error) string {
		t.Helper()
		tx, err := conn.Begin(ctx)
		must(t, err)
		defer func() { _ = tx.Rollback(ctx) }()
		tid := ""
		if tenantID != uuid.Nil {
			tid = tenantID.String()
		}
		_, err = tx.Exec(ctx, "SELECT set_config('app.tenant_id', $1, true)", tid)
		must(t, err)
		if err := fn(tx); err != nil {
			var pe *pgconn.PgError
			if !errors.As(err, &pe) {
				t.Fatalf("not a database error: %v", err)
			}
			return pe.Code
		}
		return ""
	}
	query := func(q string, args ...any) func(pgx.Tx) error {
		return func(tx pgx.Tx) error {
			rows, err := tx.Query(ctx, q, args...)
			if err != nil {
				return err
			}
			defer rows.Close()
			for rows.Next() {
			}
			return rows.Err()
		}
	}
	for _, q := range []string{
		"SELECT * FROM secret_ballots",
		"SELECT id, choice FROM secret_ballots ORDER BY id",
		"SELECT choice FROM secret_ballots",
		"SELECT count(*) FROM secret_ballots",
		"SELECT xmin, ctid FROM secret_ballots",
		"SELECT 1 FROM secret_ballots WHERE weight > 1",
	} {
		if code := inTenant(ag.tenant.ID, query(q)); code != "42501" {
			t.Errorf("%s as the serving role: SQLSTATE %q, want 42501 (insufficient_privilege)", q, code)
		}
	}
	// INSERT ... RETURNING needs SELECT; a plain INSERT is allowed.
	ins := "INSERT INTO secret_ballots (tenant_id, id, poll_id, choice, option_ids, weight) VALUES ($1, $2, $3, 'yes', '[]', 1)"
	if code := inTenant(ag.tenant.ID, query(ins+" RETURNING id", ag.tenant.ID, uuid.New(), open.ID)); code != "42501" {
		t.Errorf("INSERT ... RETURNING: SQLSTATE %q, want 42501", code)
	}
	if code := inTenant(ag.tenant.ID, func(tx pgx.Tx) error { _, err := tx.Exec(ctx, ins, ag.tenant.ID, uuid.New(), open.ID); return err }); code != "" {
		t.Errorf("plain INSERT refused: SQLSTATE %s", code)
	}
	// One ballot per person: no other weight is stored.
	if code := inTenant(ag.tenant.ID, func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, strings.Replace(ins, "'[]', 1)", "'[]', 3)", 1), ag.tenant.ID, uuid.New(), open.ID)
		return err
	}); code != "23514" {
		t.Errorf("a weighted secret ballot: SQLSTATE %q, want 23514 (check_violation)", code)
	}
	var sel, insert, colSel bool
	must(t, conn.QueryRow(ctx, `SELECT has_table_privilege('secret_ballots', 'SELECT'), has_table_privilege('secret_ballots', 'INSERT'),
		has_any_column_privilege('secret_ballots', 'SELECT')`).Scan(&sel, &insert, &colSel))
	if sel || colSel || !insert {
		t.Fatalf("serving role on secret_ballots: SELECT %v, column SELECT %v, INSERT %v; want only INSERT", sel, colSel, insert)
	}

	// The function: owned by the migration role, SECURITY DEFINER, search_path pinned.
	var owner string
	var definer bool
	var config []string
	must(t, conn.QueryRow(ctx, `SELECT pg_get_userbyid(proowner), prosecdef, COALESCE(proconfig, '{}') FROM pg_proc
		WHERE proname = 'secret_ballot_tally'`).Scan(&owner, &definer, &config))
	if owner == appRole || !definer || !slices.ContainsFunc(config, func(c string) bool { return strings.HasPrefix(c, "search_path=") }) {
		t.Fatalf("secret_ballot_tally: owner %s, security definer %v, config %v", owner, definer, config)
	}
	tally := func(tenantID, pollID uuid.UUID) (map[string]int64, string) {
		got := map[string]int64{}
		code := inTenant(tenantID, func(tx pgx.Tx) error {
			rows, err := tx.Query(ctx, "SELECT kind, option_id, votes FROM secret_ballot_tally($1)", pollID)
			if err != nil {
				return err
			}
			defer rows.Close()
			for rows.Next() {
				var kind string
				var opt *uuid.UUID
				var n int64
				if err := rows.Scan(&kind, &opt, &n); err != nil {
					return err
				}
				if opt != nil {
					kind += ":" + opt.String()
				}
				got[kind] = n
			}
			return rows.Err()
		})
		return got, code
	}
	got, code := tally(ag.tenant.ID, closed.ID)
	if code != "" || len(got) != 3 || got[meetings.Yes] != 2 || got[meetings.No] != 1 || got[meetings.Abstain] != 1 {
		t.Fatalf("tally of the closed poll: %v (SQLSTATE %q), want yes 2, no 1, abstain 1", got, code)
	}
	for name, c := range map[string]struct {
		tenant, poll uuid.UUID
	}{
		"an open poll":                   {ag.tenant.ID, open.ID},
		"a draft":                        {ag.tenant.ID, draft.ID},
		"a closed poll with 2 ballots":   {ag.tenant.ID, small.ID},
		"a named poll":                   {ag.tenant.ID, named.ID},
		"another tenant's closed poll":   {w.b.tenant.ID, closed.ID},
		"an unknown poll":                {ag.tenant.ID, uuid.New()},
		"a session without a tenant set": {uuid.Nil, closed.ID},
	} {
		got, code := tally(c.tenant, c.poll)
		if code != "55000" || len(got) != 0 {
			t.Errorf("tally of %s: %v, SQLSTATE %q; want nothing and 55000", name, got, code)
		}
	}
	// The function's owner is bound by forced row-level security as well.
	var tenants int
	must(t, conn.QueryRow(ctx, `SELECT count(*) FROM pg_class WHERE relname = 'secret_ballots' AND relforcerowsecurity AND relrowsecurity`).Scan(&tenants))
	if tenants != 1 {
		t.Fatal("secret_ballots lost its forced row-level security")
	}
}

// A secret poll is counted one ballot per person: Carol's weight of 3
// counts once, in the result and in its bases, and is not stored with her
// ballot. The same votes in a named poll are weighed.
func TestSecretPollIgnoresWeights(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		ag := w.a
		_, it := w.session(t, ag, ag.chair, ag.alice, ag.bob, ag.carol)
		results := map[meetings.Kind]*meetings.Result{}
		for _, kind := range []meetings.Kind{meetings.Secret, meetings.Named} {
			p := w.openPoll(t, ag, it.ID, kind, &meetings.Rule{Majority: meetings.Simple, Base: meetings.BasePresent})
			must(t, w.cast(ag.carol, p.ID, meetings.Yes))
			must(t, w.cast(ag.alice, p.ID, meetings.No))
			must(t, w.cast(ag.bob, p.ID, meetings.No))
			must(t, w.cast(ag.chair, p.ID, meetings.Abstain))
			_, err := w.svc.ClosePoll(ctx, ag.chair, p.ID)
			must(t, err)
			results[kind], err = w.svc.Result(ctx, ag.chair, p.ID)
			must(t, err)
			if kind == meetings.Secret {
				if n := w.count(t, ag.tenant.ID, "secret_ballots", "poll_id = ? AND weight <> 1", p.ID); n != 0 {
					t.Fatalf("%d secret ballots stored with a weight", n)
				}
			}
		}
		s, n := results[meetings.Secret], results[meetings.Named]
		if s.Ballots != 4 || s.CastWeight != 4 || s.Yes != 1 || s.No != 2 || s.Abstain != 1 || s.Passed ||
			s.PresentWeight != 4 || s.MembersWeight != 4 || s.BaseWeight != 4 {
			t.Fatalf("secret result weighs: %+v", s)
		}
		if n.CastWeight != 6 || n.Yes != 3 || n.No != 2 || !n.Passed || n.PresentWeight != 6 {
			t.Fatalf("named result: %+v", n)
		}
	})
}

// An election by secret ballot counts one vote per person and option too.
func TestSecretElectionIgnoresWeights(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		ag := w.a
		p, err := w.svc.CreatePoll(ctx, ag.chair, meetings.PollInput{CommitteeID: ag.committee.ID, Deadline: w.clock.Now().Add(time.Hour),
			Title: "Wahl", Kind: meetings.Secret, Method: meetings.Choice, Options: []string{"Anna", "Ben", "Cem"}, Seats: 2,
			Rule: &meetings.Rule{Majority: meetings.Simple, Base: meetings.BaseCast}})
		must(t, err)
		p, err = w.svc.OpenPoll(ctx, ag.chair, p.ID)
		must(t, err)
		A, B, C := p.Options[0].ID, p.Options[1].ID, p.Options[2].ID
		for _, v := range []struct {
			a   tenant.Actor
			ids []uuid.UUID
		}{{ag.carol, []uuid.UUID{C, B}}, {ag.alice, []uuid.UUID{A, B}}, {ag.bob, []uuid.UUID{A}}, {ag.chair, nil}} {
			vote := meetings.Vote{OptionIDs: v.ids}
			if v.ids == nil {
				vote.Choice = meetings.Abstain
			}
			_, err := w.svc.Cast(ctx, v.a, p.ID, uuid.Nil, vote)
			must(t, err)
		}
		_, err = w.svc.ClosePoll(ctx, ag.chair, p.ID)
		must(t, err)
		r, err := w.svc.Result(ctx, ag.chair, p.ID)
		must(t, err)
		votes := map[uuid.UUID]int64{}
		for _, ov := range r.OptionVotes {
			votes[ov.OptionID] = ov.Votes
		}
		if r.Ballots != 4 || r.CastWeight != 4 || r.Abstain != 1 || votes[A] != 2 || votes[B] != 2 || votes[C] != 1 ||
			!slices.Equal(r.Elected, []uuid.UUID{A, B}) || !r.Passed {
			t.Fatalf("secret election: %+v (votes %v)", r, votes)
		}
	})
}

// A secret poll with fewer than 3 ballots is closed but never counted: it
// has no result, cannot be published, and the chair may annul it with a
// reason, which stays in the record. Live snapshots never carry a tally.
func TestSecretPollNeedsThreeBallots(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		ag := w.a
		for _, n := range []int{0, 1, 2} {
			p := w.written(t, ag, meetings.Secret, time.Hour)
			for _, v := range []tenant.Actor{ag.alice, ag.carol}[:min(n, 2)] {
				must(t, w.cast(v, p.ID, meetings.Yes))
			}
			closed, err := w.svc.ClosePoll(ctx, ag.chair, p.ID)
			must(t, err)
			if closed.State != meetings.PollClosed || !closed.TooFewBallots || !closed.CanAnnul || closed.Ballots != n {
				t.Fatalf("%d ballots, closed: %+v", n, closed)
			}
			if c := w.count(t, ag.tenant.ID, "poll_results", "poll_id = ?", p.ID); c != 0 {
				t.Fatalf("%d ballots: a result was stored", n)
			}
			_, err = w.svc.Result(ctx, ag.chair, p.ID)
			wantDetail(t, err, errs.Conflict, "Zu wenige Stimmen für eine geheime Auswertung", "result with too few ballots")
			_, err = w.svc.PublishPoll(ctx, ag.chair, p.ID)
			wantCode(t, err, errs.Conflict, "publish with too few ballots")
			snap, err := w.svc.LivePoll(ctx, ag.tenant.ID, p.ID)
			must(t, err)
			b, _ := json.Marshal(snap)
			var fields map[string]any
			must(t, json.Unmarshal(b, &fields))
			if len(fields) != 2 || fields["state"] != "closed" || fields["ballots"] != float64(n) {
				t.Fatalf("live snapshot: %s", b)
			}
			got, err := w.svc.GetPoll(ctx, ag.alice, p.ID)
			must(t, err)
			if got.State != meetings.PollClosed || !got.TooFewBallots {
				t.Fatalf("poll as a member sees it: %+v", got)
			}
		}

		p := w.written(t, ag, meetings.Secret, time.Hour)
		must(t, w.cast(ag.alice, p.ID, meetings.Yes))
		must(t, w.cast(ag.bob, p.ID, meetings.No))
		// A running poll may be annulled too (TestAnnulAnyOpenedPoll); this one is closed first.
		if got, err := w.svc.GetPoll(ctx, ag.chair, p.ID); err != nil || !got.CanAnnul {
			t.Fatalf("an open poll cannot be annulled: %+v %v", got, err)
		}
		_, err := w.svc.ClosePoll(ctx, ag.chair, p.ID)
		must(t, err)
		audits := w.count(t, ag.tenant.ID, "audit_events", "action = ?", meetings.ActionPollAnnulled)
		for _, reason := range []string{"", "   ", strings.Repeat("x", meetings.MaxReasonLen+1), "a\x00b"} {
			_, err = w.svc.AnnulPoll(ctx, ag.chair, p.ID, reason)
			wantCode(t, err, errs.Invalid, "annul without a valid reason")
		}
		_, err = w.svc.AnnulPoll(ctx, ag.alice, p.ID, "Grund")
		wantCode(t, err, errs.Forbidden, "a member annuls")
		_, err = w.svc.AnnulPoll(ctx, w.b.chair, p.ID, "Grund")
		wantCode(t, err, errs.NotFound, "another tenant's chair annuls")
		if got, _ := w.svc.GetPoll(ctx, ag.chair, p.ID); got.State != meetings.PollClosed ||
			w.count(t, ag.tenant.ID, "audit_events", "action = ?", meetings.ActionPollAnnulled) != audits {
			t.Fatalf("a refused annulment changed something: %+v", got)
		}
		const reason = "Zu wenige Stimmen für eine geheime Auswertung; Wiederholung in der nächsten Sitzung."
		an, err := w.svc.AnnulPoll(ctx, ag.chair, p.ID, "  "+reason+" ")
		must(t, err)
		if an.State != meetings.PollAnnulled || an.AnnulReason != reason || an.AnnulledAt == nil || an.AnnulledBy == nil ||
			*an.AnnulledBy != ag.chair.MembershipID || an.CanAnnul || an.TooFewBallots {
			t.Fatalf("annulled: %+v", an)
		}
		if got, err := w.svc.GetPoll(ctx, ag.alice, p.ID); err != nil || got.State != meetings.PollAnnulled || got.AnnulReason != reason {
			t.Fatalf("annulled poll as a member sees it: %+v %v", got, err)
		}
		if w.count(t, ag.tenant.ID, "audit_events", "action = ?", meetings.ActionPollAnnulled) != audits+1 {
			t.Fatal("the annulment is not in the audit log")
		}
		_, err = w.svc.Result(ctx, ag.chair, p.ID)
		wantCode(t, err, errs.Conflict, "result of an annulled poll")
		_, err = w.svc.PublishPoll(ctx, ag.chair, p.ID)
		wantCode(t, err, errs.Conflict, "publish an annulled poll")
		_, err = w.svc.AnnulPoll(ctx, ag.chair, p.ID, reason)
		wantCode(t, err, errs.Conflict, "annul twice")

		// Three ballots are counted and published; a written procedure's
		// published result is no longer annulled.
		p = w.written(t, ag, meetings.Secret, time.Hour)
		for _, v := range []tenant.Actor{ag.alice, ag.bob, ag.carol} {
			must(t, w.cast(v, p.ID, meetings.Yes))
		}
		closed, err := w.svc.ClosePoll(ctx, ag.chair, p.ID)
		must(t, err)
		if closed.TooFewBallots || !closed.CanAnnul {
			t.Fatalf("three ballots: %+v", closed)
		}
		pub, err := w.svc.PublishPoll(ctx, ag.chair, p.ID)
		must(t, err)
		if pub.CanAnnul {
			t.Fatalf("a published written procedure can be annulled: %+v", pub)
		}
		_, err = w.svc.AnnulPoll(ctx, ag.chair, p.ID, "Grund")
		wantCode(t, err, errs.Conflict, "annul a published written procedure")
		r, err := w.svc.Result(ctx, ag.alice, p.ID)
		must(t, err)
		if r.Ballots != 3 || r.Yes != 3 || !r.Passed {
			t.Fatalf("three ballots: %+v", r)
		}

		// A named poll with two ballots is counted as before.
		p = w.written(t, ag, meetings.Named, time.Hour)
		must(t, w.cast(ag.alice, p.ID, meetings.Yes))
		closed, err = w.svc.ClosePoll(ctx, ag.chair, p.ID)
		must(t, err)
		if closed.TooFewBallots || !closed.CanAnnul {
			t.Fatalf("named poll: %+v", closed)
		}
		_, err = w.svc.PublishPoll(ctx, ag.chair, p.ID)
		must(t, err)
	})
}

// The minutes and the decision extracts show a secret poll with fewer than
// 3 ballots without any count or verdict: annulled, with its reason, or
// not counted. So do they should such a poll's result ever be stored and
// published (the record of an older version): no tally is shown for it.
func TestMinutesShowNoTallyOfSmallSecretPolls(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		ag := w.a
		m, it := w.session(t, ag, ag.chair, ag.alice, ag.bob, ag.carol)
		annulled := w.openPoll(t, ag, it.ID, meetings.Secret, nil)
		must(t, w.cast(ag.alice, annulled.ID, meetings.Yes))
		must(t, w.cast(ag.bob, annulled.ID, meetings.No))
		_, err := w.svc.ClosePoll(ctx, ag.chair, annulled.ID)
		must(t, err)
		_, err = w.svc.AnnulPoll(ctx, ag.chair, annulled.ID, "Wiederholung beschlossen")
		must(t, err)
		left := w.openPoll(t, ag, it.ID, meetings.Secret, nil)
		must(t, w.cast(ag.carol, left.ID, meetings.Yes))
		_, err = w.svc.ClosePoll(ctx, ag.chair, left.ID)
		must(t, err)
		// A published result of two secret ballots, as an older version
		// could leave it behind.
		forged := w.openPoll(t, ag, it.ID, meetings.Secret, nil)
		must(t, w.cast(ag.alice, forged.ID, meetings.Yes))
		must(t, w.cast(ag.bob, forged.ID, meetings.Yes))
		_, err = w.svc.ClosePoll(ctx, ag.chair, forged.ID)
		must(t, err)
		must(t, d.Tenant(ctx, ag.tenant.ID, func(tx *db.Tx) error {
			if err := tx.Unscoped().Exec(`INSERT INTO poll_results (tenant_id, id, poll_id, ballots, cast_weight, yes_weight, base_weight,
				present_weight, members_weight, passed, computed_at) VALUES (?, ?, ?, 2, 2, 2, 2, 4, 4, ?, ?)`,
				ag.tenant.ID, uuid.New(), forged.ID, true, w.clock.Now()).Error; err != nil {
				return err
			}
			return tx.Unscoped().Exec("UPDATE polls SET state = 'published', published_at = ? WHERE tenant_id = ? AND id = ?",
				w.clock.Now(), ag.tenant.ID, forged.ID).Error
		}))
		_, err = w.svc.Result(ctx, ag.alice, forged.ID)
		wantCode(t, err, errs.Conflict, "result of a published secret poll with 2 ballots")

		_, err = w.svc.AdvanceMeeting(ctx, ag.chair, m.ID, meetings.Closed)
		must(t, err)
		mins, err := w.svc.Minutes(ctx, ag.chair, m.ID)
		must(t, err)
		if len(mins.Content.Items) != 1 || len(mins.Content.Items[0].Polls) != 3 {
			t.Fatalf("minutes items: %+v", mins.Content.Items)
		}
		for _, mp := range mins.Content.Items[0].Polls {
			if mp.Yes != 0 || mp.No != 0 || mp.Abstain != 0 || len(mp.Options) != 0 || mp.Passed || mp.BaseWeight != 0 ||
				mp.PresentWeight != 0 || mp.MembersWeight != 0 || mp.QuorumReached != nil {
				t.Fatalf("minutes show a tally: %+v", mp)
			}
			switch mp.PollID {
			case annulled.ID:
				if !mp.Annulled || mp.AnnulReason != "Wiederholung beschlossen" || mp.Ballots != 2 || mp.Verdict != "annulliert" {
					t.Fatalf("annulled poll in the minutes: %+v", mp)
				}
			case left.ID, forged.ID:
				if !mp.NoResult || mp.Annulled || strings.Contains(mp.Verdict, "angenommen") {
					t.Fatalf("uncounted poll in the minutes: %+v", mp)
				}
			}
		}
		folder, err := w.docs.CreateFolder(ctx, ag.admin, uuid.Nil, "Niederschriften")
		must(t, err)
		_, err = w.docs.SetPermission(ctx, ag.admin, folder.ID, documents.RolePrincipal(tenant.RoleStaff), documents.Write)
		must(t, err)
		_, err = w.svc.ApproveMinutes(ctx, ag.chair, m.ID, mins.Version, folder.ID)
		must(t, err)
		ex, err := w.svc.DecisionExtractPDF(ctx, ag.alice, it.ID)
		must(t, err)
		text := pdfText(t, ex.Data)
		wantText(t, "extract", text, "Annulliert: Wiederholung beschlossen – kein Beschluss",
			"nicht ausgewertet: zu wenige Stimmen für eine geheime Auswertung – kein Beschluss")
		refuseText(t, "extract", text, "Ja: ", "angenommen", "abgelehnt", "Beschluss:")
	})
}
