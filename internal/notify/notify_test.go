package notify_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/kollab/kollab/internal/db"
	"github.com/kollab/kollab/internal/db/dbtest"
	"github.com/kollab/kollab/internal/errs"
	"github.com/kollab/kollab/internal/notify"
	"github.com/kollab/kollab/internal/testenv/seed"
	"github.com/kollab/kollab/tenant"
	"github.com/kollab/kollab/tenant/auth/password"
)

// everyone: every membership of the tenant (the tests' audience).
var everyone = notify.NewAudience("test.everyone", `SELECT id AS membership_id FROM memberships
	WHERE tenant_id = @tenant AND id <> @object`)

type world struct {
	d       *db.DB
	ts      *tenant.Service
	n       *notify.Service
	tid     uuid.UUID
	a, b, c tenant.Actor
}

func newWorld(t testing.TB, d *db.DB, slug string) *world {
	t.Helper()
	ctx := context.Background()
	ts := tenant.NewService(d, password.NewHasher(password.HighEntropy))
	tn, err := ts.CreateTenant(ctx, slug, "Behörde "+slug)
	if err != nil {
		t.Fatal(err)
	}
	w := &world{d: d, ts: ts, n: notify.New(d), tid: tn.ID}
	w.a, _ = seed.Member(t, ts, tn.ID, tenant.RoleStaff, "a@"+slug+".example", "Anna")
	w.b, _ = seed.Member(t, ts, tn.ID, tenant.RoleStaff, "b@"+slug+".example", "Bernd")
	w.c, _ = seed.Member(t, ts, tn.ID, tenant.RoleStaff, "c@"+slug+".example", "Clara")
	return w
}

func (w *world) emit(t testing.TB, e notify.Event) uuid.UUID {
	t.Helper()
	var id uuid.UUID
	if err := w.d.Tenant(context.Background(), w.tid, func(tx *db.Tx) error {
		var err error
		id, err = w.n.Emit(context.Background(), tx, e)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	return id
}

func pollEvent(actor uuid.UUID, r notify.Recipients) notify.Event {
	return notify.Event{Kind: notify.KindPollOpened, ObjectType: "poll", ObjectID: db.NewID(), Actor: actor,
		Title: notify.Text{DE: "Abstimmung geöffnet: Haushalt", EN: "Poll opened: budget"}, Link: "polls/x", Recipients: r}
}

func count(t testing.TB, d *db.DB, tid uuid.UUID, q string) int64 {
	t.Helper()
	var n int64
	if err := d.Tenant(context.Background(), tid, func(tx *db.Tx) error { return tx.Raw(q).Scan(&n).Error }); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestEmitThatRollsBackLeavesNothing(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d, "roll")
		ctx := context.Background()
		boom := errors.New("the change failed")
		err := d.Tenant(ctx, w.tid, func(tx *db.Tx) error {
			if _, err := w.n.Emit(ctx, tx, pollEvent(w.a.MembershipID, notify.To(w.b.MembershipID))); err != nil {
				return err
			}
			return boom
		})
		if !errors.Is(err, boom) {
			t.Fatal(err)
		}
		rep, err := w.n.Dispatch(ctx)
		if err != nil || rep.Events != 0 {
			t.Fatalf("dispatch after rollback: %+v %v", rep, err)
		}
		if n := count(t, d, w.tid, `SELECT count(*) FROM notification_events WHERE tenant_id = @tenant`); n != 0 {
			t.Fatalf("%d events after a rollback", n)
		}
	})
}

func TestFanOutInboxAndPreferences(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d, "inbox")
		ctx := context.Background()
		// b wants poll notifications in the app only; c keeps the default (at once).
		if _, err := w.n.SetPreferences(ctx, w.b, []notify.PreferenceInput{{Kind: notify.KindPollOpened, Mode: "never"}}); err != nil {
			t.Fatal(err)
		}
		id := w.emit(t, pollEvent(w.a.MembershipID, notify.To(w.a.MembershipID, w.b.MembershipID, w.c.MembershipID, w.b.MembershipID)))
		if n := count(t, d, w.tid, `SELECT count(*) FROM notifications WHERE tenant_id = @tenant`); n != 0 {
			t.Fatalf("fan-out ran in the writer's transaction: %d", n)
		}
		rep, err := w.n.Dispatch(ctx)
		if err != nil || rep.Events != 1 || rep.Notifications != 2 {
			t.Fatalf("dispatch: %+v %v", rep, err)
		}
		if rep, _ := w.n.Dispatch(ctx); rep.Events != 0 {
			t.Fatalf("dispatched twice: %+v", rep)
		}
		// The actor is not told.
		if p, err := w.n.List(ctx, w.a, notify.Query{}); err != nil || len(p.Items) != 0 || p.Unread != 0 {
			t.Fatalf("actor's inbox: %+v %v", p, err)
		}
		p, err := w.n.List(ctx, w.b, notify.Query{Unread: true})
		if err != nil || len(p.Items) != 1 || p.Unread != 1 || p.Items[0].ID != id || p.Items[0].Title != "Abstimmung geöffnet: Haushalt" {
			t.Fatalf("b's inbox: %+v %v", p, err)
		}
		// Mail: c (at once) gets one, b (never) none.
		if n := count(t, d, w.tid, `SELECT count(*) FROM mail_outbox WHERE tenant_id = @tenant AND kind = 'notification' AND recipient = 'c@inbox.example'`); n != 1 {
			t.Fatalf("c's mails: %d", n)
		}
		if n := count(t, d, w.tid, `SELECT count(*) FROM mail_outbox WHERE tenant_id = @tenant AND recipient <> 'c@inbox.example'`); n != 0 {
			t.Fatalf("other mails: %d", n)
		}
		var payload string
		if err := d.Tenant(ctx, w.tid, func(tx *db.Tx) error {
			return tx.Raw(`SELECT payload FROM mail_outbox WHERE tenant_id = @tenant`).Scan(&payload).Error
		}); err != nil {
			t.Fatal(err)
		}
		m, err := notify.ComposeMail("https://kollab.example", notify.MailNotification, "c@inbox.example", []byte(payload))
		if err != nil || m.Subject != "Kollab: Abstimmung geöffnet: Haushalt" || m.ToName != "Clara" ||
			!strings.Contains(m.Text, "https://kollab.example/t/inbox/polls/x") || !strings.Contains(m.Text, "Guten Tag Clara") {
			t.Fatalf("mail: %+v %v", m, err)
		}
		// Read, read again, read all.
		if left, err := w.n.MarkRead(ctx, w.b, id); err != nil || left != 0 {
			t.Fatalf("read: %d %v", left, err)
		}
		if _, err := w.n.MarkRead(ctx, w.b, id); err != nil {
			t.Fatalf("read again: %v", err)
		}
		if _, err := w.n.MarkRead(ctx, w.a, id); !errs.Is(err, errs.NotFound) {
			t.Fatalf("someone else's notification: %v", err)
		}
		if n, err := w.n.MarkAllRead(ctx, w.c); err != nil || n != 1 {
			t.Fatalf("read all: %d %v", n, err)
		}
		prefs, err := w.n.Preferences(ctx, w.b)
		if err != nil || len(prefs) != len(notify.Kinds()) || prefs[0].Kind != notify.KindPollOpened || prefs[0].Mode != notify.Never {
			t.Fatalf("preferences: %+v %v", prefs, err)
		}
		if _, err := w.n.SetPreferences(ctx, w.b, []notify.PreferenceInput{{Kind: "nope", Mode: "never"}}); !errs.Is(err, errs.Invalid) {
			t.Fatalf("unknown kind: %v", err)
		}
		if _, err := w.n.SetPreferences(ctx, w.b, []notify.PreferenceInput{{Kind: notify.KindPollOpened, Mode: "sometimes"}}); !errs.Is(err, errs.Invalid) {
			t.Fatalf("unknown mode: %v", err)
		}
	})
}

func TestOtherTenantsNotificationIsUnknown(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d, "eins")
		ctx := context.Background()
		other := &world{d: d, ts: w.ts, n: w.n}
		tn, err := w.ts.CreateTenant(ctx, "zwei", "Zwei")
		if err != nil {
			t.Fatal(err)
		}
		other.tid = tn.ID
		x, _ := seed.Member(t, w.ts, tn.ID, tenant.RoleStaff, "x@zwei.example", "Xaver")
		id := other.emit(t, pollEvent(uuid.Nil, notify.To(x.MembershipID)))
		if _, err := w.n.Dispatch(ctx); err != nil {
			t.Fatal(err)
		}
		if _, err := w.n.MarkRead(ctx, w.b, id); !errs.Is(err, errs.NotFound) {
			t.Fatalf("other tenant's id: %v", err)
		}
		if _, err := w.n.MarkRead(ctx, w.b, db.NewID()); !errs.Is(err, errs.NotFound) {
			t.Fatalf("unknown id: %v", err)
		}
		if p, err := w.n.List(ctx, x, notify.Query{}); err != nil || len(p.Items) != 1 {
			t.Fatalf("x's inbox: %+v %v", p, err)
		}
	})
}

func TestDailyDigest(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d, "digest")
		ctx := context.Background()
		if _, err := w.n.SetPreferences(ctx, w.b, []notify.PreferenceInput{{Kind: notify.KindPollOpened, Mode: "daily"}}); err != nil {
			t.Fatal(err)
		}
		yesterday := time.Date(2026, 3, 9, 10, 0, 0, 0, time.UTC)
		for i := range 3 {
			e := pollEvent(w.a.MembershipID, notify.To(w.b.MembershipID, w.c.MembershipID))
			e.At, e.Title.DE = yesterday.Add(time.Duration(i)*time.Minute), fmt.Sprintf("Abstimmung %d", i)
			w.emit(t, e)
		}
		if _, err := w.n.Dispatch(ctx); err != nil {
			t.Fatal(err)
		}
		now := time.Date(2026, 3, 10, 6, 0, 0, 0, time.UTC)
		rep, err := w.n.Digest(ctx, now)
		if err != nil || rep.Queued != 1 {
			t.Fatalf("digest: %+v %v", rep, err)
		}
		if rep, _ := w.n.Digest(ctx, now); rep.Queued != 0 {
			t.Fatalf("digest twice: %+v", rep)
		}
		var payload string
		if err := d.Tenant(ctx, w.tid, func(tx *db.Tx) error {
			return tx.Raw(`SELECT payload FROM mail_outbox WHERE tenant_id = @tenant AND kind = 'notification_digest' AND recipient = 'b@digest.example'`).
				Scan(&payload).Error
		}); err != nil {
			t.Fatal(err)
		}
		m, err := notify.ComposeMail("https://k.example", notify.MailDigest, "b@digest.example", []byte(payload))
		if err != nil || !strings.Contains(m.Text, "Abstimmung 2") || !strings.Contains(m.Subject, "09.03.2026") {
			t.Fatalf("digest mail: %+v %v", m, err)
		}
		// Half a year after their dispatch, events and notifications are gone.
		if _, err := w.n.Digest(ctx, time.Now().Add(notify.Keep+time.Hour)); err != nil {
			t.Fatal(err)
		}
		if n := count(t, d, w.tid, `SELECT count(*) FROM notifications WHERE tenant_id = @tenant`); n != 0 {
			t.Fatalf("%d notifications kept", n)
		}
	})
}

// TestTwoWorkersDispatchOnce: two workers racing over the same events
// dispatch each exactly once (a second dispatch would queue its mails twice).
func TestTwoWorkersDispatchOnce(t *testing.T) {
	d, _ := dbtest.Postgres(t)
	w := newWorld(t, d, "race")
	ctx := context.Background()
	const events = 60
	for range events {
		w.emit(t, pollEvent(w.a.MembershipID, notify.To(w.b.MembershipID, w.c.MembershipID)))
	}
	var mu sync.Mutex
	total := 0
	var wg sync.WaitGroup
	for range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			n := notify.New(d)
			for range 5 {
				rep, err := n.Dispatch(ctx)
				if err != nil {
					t.Error(err)
					return
				}
				mu.Lock()
				total += rep.Events
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if total != events {
		t.Fatalf("%d dispatches of %d events", total, events)
	}
	if n := count(t, d, w.tid, `SELECT count(*) FROM mail_outbox WHERE tenant_id = @tenant`); n != 2*events {
		t.Fatalf("%d mails, want %d", n, 2*events)
	}
}
