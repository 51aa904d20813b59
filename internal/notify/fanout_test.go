package notify_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/kollab/kollab/internal/db"
	"github.com/kollab/kollab/internal/db/dbtest"
	"github.com/kollab/kollab/internal/notify"
)

// addMembers inserts n accounts with active memberships straight into the
// database (the tenant service would hash n passwords).
func addMembers(t testing.TB, d *db.DB, tid uuid.UUID, n int, prefix string) {
	t.Helper()
	ctx := context.Background()
	now := db.Now()
	type user struct {
		ID                uuid.UUID `gorm:"column:id"`
		Email             string    `gorm:"column:email"`
		DisplayName       string    `gorm:"column:display_name"`
		PasswordHash      string    `gorm:"column:password_hash"`
		PasswordChangedAt time.Time `gorm:"column:password_changed_at"`
		CreatedAt         time.Time `gorm:"column:created_at"`
		UpdatedAt         time.Time `gorm:"column:updated_at"`
	}
	type membership struct {
		TenantID  uuid.UUID `gorm:"column:tenant_id"`
		ID        uuid.UUID `gorm:"column:id"`
		UserID    uuid.UUID `gorm:"column:user_id"`
		Role      string    `gorm:"column:role"`
		Status    string    `gorm:"column:status"`
		CreatedAt time.Time `gorm:"column:created_at"`
		UpdatedAt time.Time `gorm:"column:updated_at"`
	}
	us := make([]user, n)
	ms := make([]membership, n)
	for i := range n {
		us[i] = user{ID: db.NewID(), Email: fmt.Sprintf("%s%d@massen.example", prefix, i), DisplayName: fmt.Sprintf("Person %d", i),
			PasswordHash: "x", PasswordChangedAt: now, CreatedAt: now, UpdatedAt: now}
		ms[i] = membership{TenantID: tid, ID: db.NewID(), UserID: us[i].ID, Role: "staff", Status: "active", CreatedAt: now, UpdatedAt: now}
	}
	if err := d.Tenant(ctx, tid, func(tx *db.Tx) error {
		if err := tx.Unscoped().Table("users").CreateInBatches(us, 500).Error; err != nil {
			return err
		}
		return tx.Unscoped().Table("memberships").CreateInBatches(ms, 500).Error
	}); err != nil {
		t.Fatal(err)
	}
}

// TestFanOut5000: an event for 5,000 members becomes 5,000 notifications in
// one INSERT ... SELECT (dispatch.go: fanOut), after the writer committed.
func TestFanOut5000(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d, "massen")
		addMembers(t, d, w.tid, 5000, "p")
		ctx := context.Background()
		start := time.Now()
		w.emit(t, pollEvent(w.a.MembershipID, everyone.Of(db.NewID())))
		emitted := time.Since(start)
		start = time.Now()
		rep, err := w.n.Dispatch(ctx)
		took := time.Since(start)
		if err != nil || rep.Events != 1 || rep.Notifications != 5002 { // 5,000 + b + c, not the actor
			t.Fatalf("dispatch: %+v %v", rep, err)
		}
		t.Logf("%s: emit %v (the writer's share); fan-out of %d notifications with their mails: %v",
			d.Dialect(), emitted, rep.Notifications, took)
	})
}

func BenchmarkFanOut5000(b *testing.B) {
	for _, engine := range []string{"sqlite", "postgres"} {
		b.Run(engine, func(b *testing.B) {
			var d *db.DB
			if engine == "sqlite" {
				d = dbtest.SQLite(b)
			} else {
				d, _ = dbtest.Postgres(b)
			}
			w := newWorld(b, d, "bench")
			addMembers(b, d, w.tid, 5000, "q")
			// Everyone in the app only: the fan-out alone is measured.
			ctx := context.Background()
			if err := d.Tenant(ctx, w.tid, func(tx *db.Tx) error {
				return tx.Exec(`INSERT INTO notification_preferences (tenant_id, membership_id, kind, mode, updated_at)
					SELECT tenant_id, id, ?, 'never', ? FROM memberships WHERE tenant_id = @tenant`, notify.KindPollOpened, db.Now()).Error
			}); err != nil {
				b.Fatal(err)
			}
			b.ResetTimer()
			for range b.N {
				if err := d.Tenant(ctx, w.tid, func(tx *db.Tx) error {
					_, err := w.n.Emit(ctx, tx, pollEvent(uuid.Nil, everyone.Of(db.NewID())))
					return err
				}); err != nil {
					b.Fatal(err)
				}
				rep, err := w.n.Dispatch(ctx)
				if err != nil || rep.Notifications != 5003 { // 5,000 + the three of newWorld
					b.Fatalf("%+v %v", rep, err)
				}
			}
		})
	}
}

// BenchmarkFanOut5000Baseline is the floor BenchmarkFanOut5000 is measured
// against, in the same run: on PostgreSQL, with raw pgx in one transaction
// (the tenant set for row-level security, as the server does), the rows a
// fan-out of one event to 5,003 members cannot do without — the event row
// and one INSERT … SELECT of its notifications. No claim, no preferences,
// no mail, no bell signal.
func BenchmarkFanOut5000Baseline(b *testing.B) {
	d, ownerURL := dbtest.Postgres(b)
	w := newWorld(b, d, "base")
	addMembers(b, d, w.tid, 5000, "q")
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, ownerURL)
	if err != nil {
		b.Fatal(err)
	}
	defer conn.Close(ctx)
	b.ResetTimer()
	for range b.N {
		ev, now := db.NewID(), time.Now().UTC()
		err := pgx.BeginFunc(ctx, conn, func(tx pgx.Tx) error {
			if _, err := tx.Exec(ctx, "SELECT set_config('app.tenant_id', $1, true)", w.tid.String()); err != nil {
				return err
			}
			if _, err := tx.Exec(ctx, `INSERT INTO notification_events (tenant_id, id, kind, object_type, object_id, title_de, title_en, created_at)
				VALUES ($1, $2, $3, 'poll', $4, 'Abstimmung geöffnet', 'Poll opened', $5)`, w.tid, ev, notify.KindPollOpened, db.NewID(), now); err != nil {
				return err
			}
			tag, err := tx.Exec(ctx, `INSERT INTO notifications (tenant_id, membership_id, event_id, kind, created_at)
				SELECT tenant_id, id, $2, $3, $4 FROM memberships WHERE tenant_id = $1 AND status = 'active'`, w.tid, ev, notify.KindPollOpened, now)
			if err == nil && tag.RowsAffected() != 5003 {
				err = fmt.Errorf("%d notifications, want 5003", tag.RowsAffected())
			}
			return err
		})
		if err != nil {
			b.Fatal(err)
		}
	}
}
