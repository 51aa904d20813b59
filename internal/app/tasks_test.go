package app_test

import (
	"bytes"
	"context"
	"log/slog"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/kollab/kollab/internal/app"
	"github.com/kollab/kollab/internal/config"
	"github.com/kollab/kollab/internal/db"
	"github.com/kollab/kollab/internal/notify"
	"github.com/kollab/kollab/tasks"
	"github.com/kollab/kollab/tenant"
	"github.com/kollab/kollab/workspaces"
)

// RunTasks, as `kollab serve` runs it: a task due today reminds its
// assignee once, however many ticks pass.
func TestRunTasks(t *testing.T) {
	cfg := config.Default()
	cfg.DataDir = t.TempDir()
	cfg.SecretKey = bytes.Repeat([]byte{7}, 32)
	ctx := context.Background()
	a, err := app.Open(ctx, cfg, slog.New(slog.DiscardHandler), false)
	must(t, err)
	t.Cleanup(func() { _ = a.Close() })
	tn, err := a.Tenants.CreateTenant(ctx, "frist", "Gemeinde Frist")
	must(t, err)
	u, err := a.Tenants.CreateUser(ctx, "sb@frist.example", "Sachbearbeitung", "ein-sehr-langes-Passwort")
	must(t, err)
	m, err := a.Tenants.AddMember(ctx, tn.ID, u.ID, tenant.RoleStaff)
	must(t, err)
	who := tenant.ActorFromMembership(m)
	ws, err := a.Workspaces.Create(ctx, who, workspaces.Input{Name: "Bauamt"})
	must(t, err)
	today := time.Now().In(tenant.Berlin).Format(tasks.DateLayout)
	_, err = a.Tasks.Create(ctx, who, ws.ID, tasks.Input{Title: "Bescheid", DueOn: today, AssigneeIDs: []uuid.UUID{who.MembershipID}})
	must(t, err)
	count := func() (n int64) {
		must(t, a.DB.Tenant(ctx, tn.ID, func(tx *db.Tx) error {
			return tx.Raw("SELECT count(*) FROM notification_events WHERE tenant_id = @tenant AND kind = ?", notify.KindTaskDue).Scan(&n).Error
		}))
		return n
	}
	lctx, stop := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() { defer close(done); a.RunTasks(lctx, 20*time.Millisecond) }()
	eventually(t, "the reminder", func() bool { return count() == 1 })
	time.Sleep(150 * time.Millisecond) // more ticks
	stop()
	<-done
	if n := count(); n != 1 {
		t.Fatalf("%d reminders", n)
	}
}
