// Package app wires Kollab's parts together from a Config: database,
// migrations, object storage, services and the HTTP server. main and the
// command-line tools share it; nothing here is global.
package app

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"log/slog"
	"math/big"
	"time"

	"github.com/google/uuid"
	"github.com/kollab/kollab/api"
	"github.com/kollab/kollab/documents"
	"github.com/kollab/kollab/documents/dav"
	"github.com/kollab/kollab/frontend"
	"github.com/kollab/kollab/internal/config"
	"github.com/kollab/kollab/internal/db"
	"github.com/kollab/kollab/internal/live"
	"github.com/kollab/kollab/internal/mail"
	"github.com/kollab/kollab/internal/notify"
	"github.com/kollab/kollab/internal/storage"
	"github.com/kollab/kollab/meetings"
	"github.com/kollab/kollab/meetings/oparl"
	"github.com/kollab/kollab/meetings/render"
	"github.com/kollab/kollab/tasks"
	"github.com/kollab/kollab/tenant"
	"github.com/kollab/kollab/tenant/auth"
	"github.com/kollab/kollab/tenant/auth/password"
	"github.com/kollab/kollab/workspaces"
	"github.com/kollab/kollab/workspaces/consultations"
	"github.com/kollab/kollab/workspaces/consultations/synopsis"
	"github.com/kollab/kollab/workspaces/contacts"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
)

// App is a wired Kollab instance.
type App struct {
	Config  config.Config
	Log     *slog.Logger
	DB      *db.DB
	Store   storage.Store
	Tenants *tenant.Service
	Auth    *auth.Service
	// Documents is the document store; its revisions live in Store.
	Documents *documents.Service
	// Committees is the committee module; its session papers are documents.
	Committees *meetings.Service
	// Workspaces is the workspace module (Arbeitsräume); their folders are documents'.
	Workspaces *workspaces.Service
	// Contacts is the address book (workspaces/contacts).
	Contacts *contacts.Service
	// Consultations is the consultation module (workspaces/consultations).
	Consultations *consultations.Service
	// Tasks is the task module (package tasks).
	Tasks *tasks.Service
	// Live carries committee changes to the live event streams.
	Live *live.Hub
	// Notify turns the modules' events into notifications (RunNotify).
	Notify *notify.Service
	// Mailer composes and sends every e-mail (SMTP, or the log without
	// KOLLAB_SMTP_URL).
	Mailer Mailer
	// mailQueued wakes RunCommittees when a transaction queued mails.
	mailQueued chan struct{}
}

// Migrate applies the migrations described by cfg.
func Migrate(ctx context.Context, cfg config.Config, log *slog.Logger) error {
	o := db.MigrateOptions{SQLitePath: cfg.SQLitePath(), Logger: log}
	if cfg.DatabaseURL != "" {
		o.OwnerURL = cfg.DatabaseURL
		if cfg.MigrateDatabaseURL != "" {
			o.OwnerURL = cfg.MigrateDatabaseURL
			role, err := db.RoleFromURL(cfg.DatabaseURL)
			if err != nil {
				return err
			}
			owner, err := db.RoleFromURL(cfg.MigrateDatabaseURL)
			if err != nil {
				return err
			}
			if role != owner {
				o.AppRole = role
			}
		}
	}
	return db.Migrate(ctx, o)
}

// An Option adjusts how Open wires the services.
type Option func(*options)

type options struct {
	meetings []meetings.ServiceOption
}

// WithMeetingsClock sets the clock of the committee module (tests).
func WithMeetingsClock(now func() time.Time) Option {
	return func(o *options) { o.meetings = append(o.meetings, meetings.WithClock(now)) }
}

// Open migrates (unless skipMigrate) and opens everything.
func Open(ctx context.Context, cfg config.Config, log *slog.Logger, skipMigrate bool, opts ...Option) (*App, error) {
	var o options
	for _, opt := range opts {
		opt(&o)
	}
	if !skipMigrate {
		if err := Migrate(ctx, cfg, log); err != nil {
			return nil, err
		}
	}
	d, err := db.Open(ctx, db.Options{URL: cfg.DatabaseURL, SQLitePath: cfg.SQLitePath(), Logger: log})
	if err != nil {
		return nil, err
	}
	store, err := storage.Open(ctx, cfg.StorageURL, cfg.DataDir)
	if err != nil {
		_ = d.Close()
		return nil, err
	}
	hasher := password.NewHasher(password.Interactive)
	var ws *workspaces.Service // lets accepted guests into their workspaces (below)
	tenants := tenant.NewService(d, hasher, tenant.WithGroupGrants(documents.GroupGrantCount),
		tenant.WithGuestAdmission(func(ctx context.Context, tx *db.Tx, invitationID, membershipID uuid.UUID) error {
			return ws.AdmitGuest(ctx, tx, invitationID, membershipID)
		}))
	authSvc, err := auth.NewService(d, tenants, hasher, auth.Config{SecretKey: cfg.SecretKey,
		SessionIdle: cfg.SessionIdle, SessionAbsolute: cfg.SessionAbsolute, PrincipalCacheTTL: cfg.PrincipalCacheTTL}, log)
	if err != nil {
		_ = d.Close()
		return nil, err
	}
	sender, err := newSender(cfg, log)
	if err != nil {
		_ = d.Close()
		return nil, err
	}
	var taskSvc *tasks.Service // made below; the document store's revision guard is its sign-off
	docs := documents.NewService(d, documents.WithStore(store), documents.WithActivity(workspaces.RecordDocumentActivity),
		documents.WithIntentTTL(cfg.UploadIntentTTL), documents.WithOrphanGrace(cfg.OrphanGrace), documents.WithQuarantineTTL(cfg.QuarantineTTL),
		documents.WithIntentHeartbeatTimeout(cfg.UploadHeartbeatTimeout),
		documents.WithRevisionGuard(func(ctx context.Context, tx *db.Tx, a tenant.Actor, ch documents.RevisionChange) error {
			return taskSvc.GuardRevision(ctx, tx, a, ch)
		}))
	hub := live.New(context.Background(), d, log)
	queued := make(chan struct{}, 1)
	wake := func() {
		select {
		case queued <- struct{}{}:
		default: // already woken
		}
	}
	ns := notify.New(d, notify.WithLive(hub), notify.WithMailQueued(wake))
	hub.Handle(notify.LiveKind, func(ctx context.Context, tenantID, id uuid.UUID) (any, error) {
		return ns.LiveBell(ctx, tenantID, id)
	})
	cs := meetings.NewService(d, docs, render.Renderer{}, append([]meetings.ServiceOption{meetings.WithLive(hub), meetings.WithMailQueued(wake),
		meetings.WithNotify(ns), meetings.WithReportSource(tasks.ReportLines)}, o.meetings...)...)
	hub.Handle(live.KindPoll, func(ctx context.Context, tenantID, id uuid.UUID) (any, error) {
		return cs.LivePoll(ctx, tenantID, id)
	})
	addressBook := contacts.NewService(d)
	ws = workspaces.NewService(d, workspaces.WithNotify(ns), workspaces.WithTenants(tenants))
	consult := consultations.NewService(d, docs, synopsis.Renderer{}, consultations.WithNotify(ns))
	taskSvc = tasks.NewService(d, tasks.WithNotify(ns), tasks.WithMeetings(cs))
	mailer := mailers{tenant.NewInvitationMailer(sender, cfg.PublicURL), meetings.NewMails(sender, render.Renderer{}, cfg.PublicURL, cfg.MailFrom)}
	return &App{Config: cfg, Log: log, DB: d, Store: store, Tenants: tenants, Auth: authSvc, Documents: docs,
		Committees: cs, Workspaces: ws, Contacts: addressBook, Consultations: consult, Tasks: taskSvc, Live: hub, Notify: ns, Mailer: mailer, mailQueued: queued}, nil
}

// RunNotifications listens for the database's change notifications until
// ctx ends (PostgreSQL; on SQLite it only waits): the principal cache
// depends on them and stays off until they flow.
func (a *App) RunNotifications(ctx context.Context) {
	if a.DB.Dialect() != db.Postgres {
		<-ctx.Done()
		return
	}
	n, err := a.DB.NewNotifier(a.Log)
	if err != nil {
		a.Log.Warn("database notifications", "err", err)
		return
	}
	a.Auth.ListenForChanges(n)
	a.Live.Listen(n)
	_ = n.Run(ctx)
}

// Close releases the database.
func (a *App) Close() error { return a.DB.Close() }

// Server builds the HTTP server.
func (a *App) Server() *api.Server {
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return api.New(api.Config{PublicURL: a.Config.PublicURL, SecureCookies: a.Config.SecureCookies, TrustProxy: a.Config.TrustProxy,
		BodyLimit: a.Config.BodyLimit, SessionAbsolute: a.Config.SessionAbsolute, SecretKey: a.Config.SecretKey, SPA: frontend.Dist()},
		api.Deps{Database: a.DB, Tenants: a.Tenants, Auth: a.Auth, Documents: a.Documents, Committees: a.Committees, Live: a.Live, Notify: a.Notify, Store: a.Store, Mailer: a.Mailer,
			Workspaces: a.Workspaces, Contacts: a.Contacts, Consultations: a.Consultations, Tasks: a.Tasks, Log: a.Log, Registry: reg,
			DAV:   dav.New(dav.Config{TrustProxy: a.Config.TrustProxy, Log: a.Log}, dav.Deps{DB: a.DB, Auth: a.Auth, Documents: a.Documents}).Fiber(),
			OParl: oparl.New(oparl.Config{PublicURL: a.Config.PublicURL}, oparl.Deps{DB: a.DB, Store: a.Store, Log: a.Log})})
}

// FirstStart describes the account created on a fresh installation.
type FirstStart struct {
	TenantSlug string
	Email      string
	Password   string
}

// DemoAdminEmail is the first admin's login on a fresh installation.
const DemoAdminEmail = "admin@kollab.localhost"

// EnsureFirstTenant creates tenant "demo" and an admin with a random
// password when no tenant exists yet. It returns nil when there was one.
func (a *App) EnsureFirstTenant(ctx context.Context) (*FirstStart, error) {
	ts, err := a.Tenants.ListTenants(ctx)
	if err != nil || len(ts) > 0 {
		return nil, err
	}
	pw, err := RandomPassword(20)
	if err != nil {
		return nil, err
	}
	t, err := a.Tenants.CreateTenant(ctx, "demo", "Demo-Behörde")
	if err != nil {
		return nil, err
	}
	u, err := a.Tenants.UserByEmail(ctx, DemoAdminEmail)
	if err != nil {
		u, err = a.Tenants.CreateUser(ctx, DemoAdminEmail, "Administration", pw)
	} else {
		err = errors.New("app: an account " + DemoAdminEmail + " exists without a tenant; create one with `kollab tenant create`")
	}
	if err != nil {
		return nil, err
	}
	if _, err := a.Tenants.AddMember(ctx, t.ID, u.ID, tenant.RoleAdmin); err != nil {
		return nil, err
	}
	return &FirstStart{TenantSlug: t.Slug, Email: u.Email, Password: pw}, nil
}

// RandomPassword returns n characters from an unambiguous alphabet.
func RandomPassword(n int) (string, error) {
	const alphabet = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
	b := make([]byte, n)
	for i := range b {
		x, err := rand.Int(rand.Reader, big.NewInt(int64(len(alphabet))))
		if err != nil {
			return "", err
		}
		b[i] = alphabet[x.Int64()]
	}
	return string(b), nil
}

// CheckServingRole warns when the serving PostgreSQL role could bypass
// row-level security (superuser, BYPASSRLS, or owner of the tables).
func (a *App) CheckServingRole(ctx context.Context) {
	if a.DB.Dialect() != db.Postgres {
		return
	}
	var r struct {
		Super  bool  `gorm:"column:rolsuper"`
		Bypass bool  `gorm:"column:rolbypassrls"`
		Owns   int64 `gorm:"column:owns"`
	}
	err := a.DB.Global(ctx).Raw(`SELECT rolsuper, rolbypassrls,
		(SELECT count(*) FROM pg_tables WHERE schemaname = current_schema() AND tableowner = current_user) AS owns
		FROM pg_roles WHERE rolname = current_user`).Scan(&r).Error
	if err != nil {
		a.Log.Warn("could not check the database role", "err", err)
		return
	}
	if r.Super || r.Bypass || r.Owns > 0 {
		msg := fmt.Sprintf("WARNING: the serving database role can bypass row-level security (superuser=%v bypassrls=%v owns %d tables). "+
			"Tenant isolation then rests on the application alone. Serve as an unprivileged role and migrate with KOLLAB_MIGRATE_DATABASE_URL.",
			r.Super, r.Bypass, r.Owns)
		a.Log.Warn(msg)
	}
}

// RunSweeper runs the storage sweeper every interval until ctx ends, and
// in between, every deadEvery, its cheap first step alone: aborting dead
// uploads (SweepDeadUploads), so that the quota a crashed upload reserved
// comes back within two heartbeat timeouts rather than a sweep interval.
func (a *App) RunSweeper(ctx context.Context, every, deadEvery time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	var dead <-chan time.Time
	if deadEvery > 0 && deadEvery < every {
		d := time.NewTicker(deadEvery)
		defer d.Stop()
		dead = d.C
	}
	full := true
	for {
		if full {
			rep, err := a.Documents.Sweep(ctx)
			a.logSweep(ctx, rep, err)
		} else {
			rep, err := a.Documents.SweepDeadUploads(ctx)
			a.logSweep(ctx, rep, err)
		}
		select {
		case <-ctx.Done():
			return
		case <-dead:
			full = false
		case <-t.C:
			full = true
		}
	}
}

func (a *App) logSweep(ctx context.Context, rep documents.SweepReport, err error) {
	if err != nil && ctx.Err() == nil {
		a.Log.Warn("sweeper", "err", err, "skipped_tenants", rep.SkippedTenants)
	}
	if rep.AbortedIntents+rep.Quarantined+rep.Deleted+rep.ExpiredLocks+rep.ExpiredHelperFiles > 0 {
		a.Log.Info("sweeper", "aborted_uploads", rep.AbortedIntents, "released_bytes", rep.ReleasedBytes,
			"aborted_multipart", rep.AbortedMultipart, "discarded_bytes", rep.DiscardedBytes,
			"quarantined", rep.Quarantined, "deleted", rep.Deleted, "expired_webdav_locks", rep.ExpiredLocks,
			"expired_webdav_helper_files", rep.ExpiredHelperFiles)
	}
}

// BackfillCommitteeFolders gives every committee made before committees
// had their own filing folder one (idempotent; `kollab serve` runs it at
// start). A failure is logged: the committees concerned get their folder
// when they first file something.
func (a *App) BackfillCommitteeFolders(ctx context.Context) {
	rep, err := a.Committees.BackfillFilingFolders(ctx)
	if err != nil && ctx.Err() == nil {
		a.Log.Warn("committees: filing folders", "err", err, "skipped_tenants", rep.SkippedTenants)
	}
	if rep.Made > 0 {
		a.Log.Info("committees: filing folders made for existing committees", "count", rep.Made)
	}
}

// RunCommittees does the committee module's timed work every interval
// until ctx ends: it closes the written procedures whose deadline has
// passed (CloseDue), queues reminders to their members who have not voted
// (once per committees.DefaultReminderInterval and member; the
// poll_reminders table keeps that true across restarts and instances) and
// sends the queued mails (meeting invitations and reminders) through
// a.Mailer. A transaction that queues mails wakes it at once, for sending
// only. Mails are written to an outbox table (mail_outbox) in the
// transaction of the change they announce, so a crash between commit and
// send delays them instead of losing them; a failed send is logged and
// retried, and never undoes the change.
func (a *App) RunCommittees(ctx context.Context, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	timed := true
	for {
		now := a.Committees.Now()
		if timed {
			rep, err := a.Committees.CloseDue(ctx, now)
			if err != nil && ctx.Err() == nil {
				a.Log.Warn("committees: closing written procedures", "err", err, "skipped_tenants", rep.SkippedTenants)
			}
			if len(rep.Closed) > 0 {
				a.Log.Info("committees: written procedures closed at their deadline", "count", len(rep.Closed))
			}
			if n, err := a.Committees.QueueReminders(ctx, now, meetings.DefaultReminderInterval); err != nil && ctx.Err() == nil {
				a.Log.Warn("committees: queueing reminders", "err", err)
			} else if n > 0 {
				a.Log.Info("committees: reminders queued", "count", n)
			}
		}
		rep, err := a.Committees.DeliverMail(ctx, a.Mailer, now, a.Log)
		if err != nil && ctx.Err() == nil {
			a.Log.Warn("committees: sending mail", "err", err, "skipped_tenants", rep.SkippedTenants)
		}
		if rep.Sent+rep.Retried+rep.Failed > 0 {
			a.Log.Info("committees: mail", "sent", rep.Sent, "retry", rep.Retried, "given_up", rep.Failed)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			timed = true
		case <-a.mailQueued:
			timed = false
		}
	}
}

// RunJanitor purges expired sessions and CSRF tokens every interval until ctx ends.
func (a *App) RunJanitor(ctx context.Context, every time.Duration) {
	kv := db.NewKV(a.DB)
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		if n, err := a.Auth.PurgeExpired(ctx); err != nil && ctx.Err() == nil {
			a.Log.Warn("janitor: sessions", "err", err)
		} else if n > 0 {
			a.Log.Info("janitor: expired sessions removed", "count", n)
		}
		if _, err := kv.PurgeExpired(ctx); err != nil && ctx.Err() == nil {
			a.Log.Warn("janitor: kv", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// Mailer is every e-mail Kollab sends: tenant invitations and the
// committee module's meeting invitations, cancellations and poll reminders.
type Mailer interface {
	tenant.Mailer
	meetings.Mailer
}

// mailers are the domains' mail composers over one sender; Configured is
// the sender's (through tenant.InvitationMailer).
type mailers struct {
	*tenant.InvitationMailer
	*meetings.Mails
}

// newSender is the SMTP sender, or without KOLLAB_SMTP_URL the log.
func newSender(cfg config.Config, log *slog.Logger) (interface {
	tenant.MailSender
	meetings.MailSender
}, error) {
	if cfg.SMTPURL == "" {
		return &mail.LogMailer{Log: log}, nil
	}
	return mail.NewSMTP(mail.Config{URL: cfg.SMTPURL, From: cfg.MailFrom, PublicURL: cfg.PublicURL})
}
