// Package cli is the `kollab` command line: serve, migrate, tenant, user and
// audit. Run takes its arguments, output streams and environment explicitly,
// so that tests drive it like an operator would.
package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"math"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/dustin/go-humanize"
	"github.com/google/uuid"
	"github.com/kollab/kollab/api"
	"github.com/kollab/kollab/documents/extract"
	"github.com/kollab/kollab/internal/app"
	"github.com/kollab/kollab/internal/audit"
	"github.com/kollab/kollab/internal/config"
	"github.com/kollab/kollab/tenant"
)

const usage = `kollab — die Kollaborationsplattform für Behörden

Aufruf:
  kollab serve                      Server starten (migriert und legt beim ersten Start Mandant und Admin an)
  kollab migrate                    Datenbankmigrationen anwenden
  kollab tenant create --slug S --name N
  kollab tenant list
  kollab user create --email E --name N [--password P] [--tenant S --role admin|staff|committee|partner]
  kollab audit verify [--tenant S]  Hash-Kette des Audit-Logs prüfen (Exit-Code 1 bei Bruch)
  kollab tenant quota --slug S [--set 50GiB|unlimited]
                                    Speicherkontingent anzeigen oder setzen
  kollab documents verify [--tenant S]
                                    alle Revisionen neu hashen (Exit-Code 1 bei Abweichung)
  kollab documents sweep            abgebrochene Uploads und verwaiste Objekte aufräumen
  kollab extract [--type T] [DATEI|-]
                                    Text einer Datei ausgeben, mit Speicher-, CPU- und Zeitgrenzen
                                    (Exit-Code 4: Grenze überschritten; kollab extract -h)

Jeder Befehl nimmt die Konfigurationsflags (kollab serve -h), auch als KOLLAB_*-Umgebungsvariablen.
`

// Run executes one command and returns the process exit code.
func Run(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return 2
	}
	cmd, rest := args[0], args[1:]
	if (cmd == "tenant" || cmd == "user" || cmd == "audit" || cmd == "documents") && len(rest) > 0 {
		cmd, rest = cmd+" "+rest[0], rest[1:]
	}
	var err error
	switch cmd {
	case "extract":
		// The sandboxed extraction child: it sets resource limits on its own
		// process, so it runs only as a process of its own (kollab serve spawns it).
		return extract.ChildMain(ctx, rest, os.Stdin, stdout, stderr)
	case "serve":
		err = serve(ctx, rest, stdout, stderr, getenv)
	case "migrate":
		err = migrate(ctx, rest, stdout, stderr, getenv)
	case "tenant create":
		err = tenantCreate(ctx, rest, stdout, stderr, getenv)
	case "tenant list":
		err = tenantList(ctx, rest, stdout, stderr, getenv)
	case "user create":
		err = userCreate(ctx, rest, stdout, stderr, getenv)
	case "audit verify":
		err = auditVerify(ctx, rest, stdout, stderr, getenv)
	case "tenant quota":
		err = tenantQuota(ctx, rest, stdout, stderr, getenv)
	case "documents verify":
		err = documentsVerify(ctx, rest, stdout, stderr, getenv)
	case "documents sweep":
		err = documentsSweep(ctx, rest, stdout, stderr, getenv)
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return 0
	default:
		fmt.Fprintf(stderr, "kollab: unbekannter Befehl %q\n\n%s", strings.Join(args, " "), usage)
		return 2
	}
	var ex exitError
	switch {
	case err == nil:
		return 0
	case errors.Is(err, flag.ErrHelp):
		return 0
	case errors.As(err, &ex):
		return int(ex)
	default:
		fmt.Fprintf(stderr, "kollab: %v\n", err)
		return 1
	}
}

// exitError ends a command with a code after it printed its own report.
type exitError int

func (e exitError) Error() string { return fmt.Sprintf("exit %d", int(e)) }

// parse binds the configuration and the command's own flags, then parses.
func parse(name string, args []string, stderr io.Writer, getenv func(string) string, own func(fs *flag.FlagSet)) (*config.Config, error) {
	fs := flag.NewFlagSet("kollab "+name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	cfg := config.Bind(fs, getenv)
	if own != nil {
		own(fs)
	}
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	if fs.NArg() > 0 {
		return nil, fmt.Errorf("unerwartete Argumente: %v", fs.Args())
	}
	if err := cfg.Finish(); err != nil {
		return nil, err
	}
	return cfg, nil
}

func newLogger(w io.Writer, level string) *slog.Logger {
	var l slog.Level
	if err := l.UnmarshalText([]byte(level)); err != nil {
		l = slog.LevelInfo
	}
	return slog.New(slog.NewJSONHandler(w, &slog.HandlerOptions{Level: l}))
}

func openApp(ctx context.Context, cfg *config.Config, stderr io.Writer) (*app.App, error) {
	return app.Open(ctx, *cfg, newLogger(stderr, cfg.LogLevel), false)
}

func serve(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) error {
	cfg, err := parse("serve", args, stderr, getenv, nil)
	if err != nil {
		return err
	}
	log := newLogger(stdout, cfg.LogLevel)
	a, err := app.Open(ctx, *cfg, log, false)
	if err != nil {
		return err
	}
	defer a.Close()
	a.CheckServingRole(ctx)
	first, err := a.EnsureFirstTenant(ctx)
	if err != nil {
		return err
	}
	a.BackfillCommitteeFolders(ctx)
	srv := a.Server()
	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()
	go a.RunJanitor(ctx, 10*time.Minute)
	go a.RunSweeper(ctx, cfg.SweepInterval, cfg.UploadHeartbeatTimeout)
	go a.RunCommittees(ctx, time.Minute) // written procedures' deadlines and reminders, committee mails
	go a.RunNotifications(ctx)
	go a.RunNotify(ctx, 30*time.Second, 15*time.Minute) // notification events: fan-out, mails, bells; daily digests
	go a.RunGuests(ctx, 5*time.Minute)                  // guests: expiry reminders and deactivation
	go a.RunConsultations(ctx, 10*time.Minute)          // consultations: automatic reminders before the deadline
	go a.RunTasks(ctx, 5*time.Minute)                   // tasks: reminders, overdue notices, escalations
	ex, err := newExtractor(cfg)
	if err != nil {
		return err
	}
	if err := ex.Check(ctx); err != nil {
		log.Warn("text extraction is limited: documents are found by title and metadata, but not by content of the missing formats", "err", err)
	}
	wctx, stopWorkers := context.WithCancel(ctx)
	extraction := a.Documents.StartExtraction(wctx, ex, 2*time.Second, log)
	defer func() { stopWorkers(); <-extraction }()
	ln, err := net.Listen("tcp4", cfg.Listen) // fiber's default network
	if err != nil {
		return err
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.App().Listener(ln) }()
	metrics := serveMetrics(cfg, srv, log)
	defer metrics.Close()
	// The banner names an address that works: the public URL when it is set,
	// else the one the listener got (port 0 becomes the real port).
	loginURL := cfg.PublicURL
	if cfg.PublicURLFromListen {
		loginURL = config.ListenURL(ln.Addr().String())
	}
	log.Info("kollab serving", "listen", ln.Addr().String(), "public_url", cfg.PublicURL, "database", string(a.DB.Dialect()),
		"data_dir", cfg.DataDir)
	if first != nil {
		fmt.Fprintf(stderr, "\n  Kollab ist eingerichtet. Anmeldung unter %s\n", loginURL)
		fmt.Fprintf(stderr, "  Mandant: %s   E-Mail: %s   Passwort: %s\n", first.TenantSlug, first.Email, first.Password)
		fmt.Fprintf(stderr, "  Beim ersten Anmelden richten Sie die Zwei-Faktor-Anmeldung (TOTP) ein. Das Passwort wird nur jetzt angezeigt.\n\n")
	}
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	return srv.Shutdown(shutdownCtx)
}

// serveMetrics serves /metrics on cfg.MetricsListen, apart from the public
// listener. A metrics address that cannot be bound is reported but does not
// stop Kollab from serving its users.
func serveMetrics(cfg *config.Config, srv *api.Server, log *slog.Logger) io.Closer {
	m := &http.Server{Addr: cfg.MetricsListen, Handler: srv.MetricsHandler(cfg.MetricsToken), ReadHeaderTimeout: 10 * time.Second}
	if cfg.MetricsListen == "" || cfg.MetricsListen == "off" {
		return m
	}
	ln, err := net.Listen("tcp", cfg.MetricsListen)
	if err != nil {
		log.Error("metrics: cannot listen; /metrics is not served", "listen", cfg.MetricsListen, "err", err)
		return m
	}
	log.Info("metrics serving", "listen", ln.Addr().String(), "token", cfg.MetricsToken != "")
	go func() { _ = m.Serve(ln) }()
	return m
}

// newExtractor is serve's text extractor: every file is read in a child process
// (this executable's `kollab extract`) under the configured limits.
func newExtractor(cfg *config.Config) (*extract.Extractor, error) {
	self, err := os.Executable()
	if err != nil {
		return nil, fmt.Errorf("text extraction needs the path of the kollab executable: %w", err)
	}
	return extract.New(extract.Config{
		Timeout:        cfg.ExtractTimeout,
		MaxOutputBytes: int(cfg.ExtractMaxOutput),
		Sandbox:        extract.Sandbox{Executable: self, Memory: cfg.ExtractMemory, CPU: cfg.ExtractCPU},
	})
}

func migrate(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) error {
	cfg, err := parse("migrate", args, stderr, getenv, nil)
	if err != nil {
		return err
	}
	if err := app.Migrate(ctx, *cfg, newLogger(stderr, cfg.LogLevel)); err != nil {
		return err
	}
	fmt.Fprintln(stdout, "Migrationen angewendet.")
	return nil
}

func tenantCreate(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) error {
	var slug, name string
	cfg, err := parse("tenant create", args, stderr, getenv, func(fs *flag.FlagSet) {
		fs.StringVar(&slug, "slug", "", "Kurzname (in URLs), z. B. stadt-musterhausen")
		fs.StringVar(&name, "name", "", "Anzeigename")
	})
	if err != nil {
		return err
	}
	a, err := openApp(ctx, cfg, stderr)
	if err != nil {
		return err
	}
	defer a.Close()
	t, err := a.Tenants.CreateTenant(ctx, slug, name)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Mandant angelegt: %s (%s) id=%s\n", t.Slug, t.Name, t.ID)
	return nil
}

func tenantList(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) error {
	cfg, err := parse("tenant list", args, stderr, getenv, nil)
	if err != nil {
		return err
	}
	a, err := openApp(ctx, cfg, stderr)
	if err != nil {
		return err
	}
	defer a.Close()
	ts, err := a.Tenants.ListTenants(ctx)
	if err != nil {
		return err
	}
	for _, t := range ts {
		fmt.Fprintf(stdout, "%s\t%s\t%s\n", t.Slug, t.ID, t.Name)
	}
	return nil
}

func userCreate(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) error {
	var email, name, pw, slug, role string
	cfg, err := parse("user create", args, stderr, getenv, func(fs *flag.FlagSet) {
		fs.StringVar(&email, "email", "", "E-Mail-Adresse (Anmeldename)")
		fs.StringVar(&name, "name", "", "Anzeigename")
		fs.StringVar(&pw, "password", "", "Passwort (leer: wird erzeugt und ausgegeben)")
		fs.StringVar(&slug, "tenant", "", "Mandant, dem das Konto beitritt (optional)")
		fs.StringVar(&role, "role", "staff", "Rolle im Mandanten: admin, staff, committee, partner")
	})
	if err != nil {
		return err
	}
	generated := pw == ""
	if generated {
		if pw, err = app.RandomPassword(20); err != nil {
			return err
		}
	}
	a, err := openApp(ctx, cfg, stderr)
	if err != nil {
		return err
	}
	defer a.Close()
	var t *tenant.Tenant
	if slug != "" {
		if t, err = a.Tenants.TenantBySlug(ctx, slug); err != nil {
			return fmt.Errorf("Mandant %q: %w", slug, err)
		}
		if _, err := tenant.ParseRole(role); err != nil {
			return err
		}
	}
	u, err := a.Tenants.CreateUser(ctx, email, name, pw)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Konto angelegt: %s id=%s\n", u.Email, u.ID)
	if t != nil {
		if _, err := a.Tenants.AddMember(ctx, t.ID, u.ID, tenant.Role(role)); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "Mitglied in %s mit Rolle %s\n", t.Slug, role)
	}
	if generated {
		fmt.Fprintf(stdout, "Passwort: %s\n", pw)
	}
	return nil
}

func auditVerify(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) error {
	var slug string
	cfg, err := parse("audit verify", args, stderr, getenv, func(fs *flag.FlagSet) {
		fs.StringVar(&slug, "tenant", "", "nur diesen Mandanten prüfen (leer: alle)")
	})
	if err != nil {
		return err
	}
	a, err := openApp(ctx, cfg, stderr)
	if err != nil {
		return err
	}
	defer a.Close()
	ts, err := tenantSet(ctx, a, slug)
	if err != nil {
		return err
	}
	broken := false
	for _, t := range ts {
		rep, err := audit.Verify(ctx, a.DB, t.ID)
		if err != nil {
			return err
		}
		if rep.OK() {
			fmt.Fprintf(stdout, "OK      %s: %d Einträge, Kette intakt\n", t.Slug, rep.Checked)
			continue
		}
		broken = true
		fmt.Fprintf(stdout, "BROKEN  %s: erster Bruch bei seq=%d id=%s (%s); %d Einträge davor intakt\n",
			t.Slug, rep.Broken.Seq, rep.Broken.ID, rep.Broken.Reason, rep.Checked)
	}
	if broken {
		return exitError(1)
	}
	return nil
}

// tenantSet resolves --tenant (empty: every tenant).
func tenantSet(ctx context.Context, a *app.App, slug string) ([]tenant.Tenant, error) {
	if slug == "" {
		return a.Tenants.ListTenants(ctx)
	}
	t, err := a.Tenants.TenantBySlug(ctx, slug)
	if err != nil {
		return nil, fmt.Errorf("Mandant %q: %w", slug, err)
	}
	return []tenant.Tenant{*t}, nil
}

func tenantQuota(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) error {
	var slug, set string
	cfg, err := parse("tenant quota", args, stderr, getenv, func(fs *flag.FlagSet) {
		fs.StringVar(&slug, "slug", "", "Kurzname des Mandanten")
		fs.StringVar(&set, "set", "", "neues Kontingent, z. B. 50GiB, 500MB, oder unlimited")
	})
	if err != nil {
		return err
	}
	if slug == "" {
		return errors.New("--slug fehlt")
	}
	a, err := openApp(ctx, cfg, stderr)
	if err != nil {
		return err
	}
	defer a.Close()
	t, err := a.Tenants.TenantBySlug(ctx, slug)
	if err != nil {
		return fmt.Errorf("Mandant %q: %w", slug, err)
	}
	if set != "" {
		var q *int64
		if set != "unlimited" {
			n, err := humanize.ParseBytes(set)
			if err != nil || n > math.MaxInt64 {
				return fmt.Errorf("--set %q: keine Größe (Beispiele: 50GiB, 500MB, unlimited)", set)
			}
			v := int64(n)
			q = &v
		}
		if err := a.Documents.SetQuota(ctx, t.ID, q); err != nil {
			return err
		}
	}
	u, err := a.Documents.StorageUsage(ctx, t.ID)
	if err != nil {
		return err
	}
	quota := "unbegrenzt"
	if u.QuotaBytes != nil {
		quota = humanize.IBytes(uint64(*u.QuotaBytes))
	}
	fmt.Fprintf(stdout, "%s: belegt %s, reserviert %s, Kontingent %s\n", t.Slug,
		humanize.IBytes(uint64(u.UsedBytes)), humanize.IBytes(uint64(u.ReservedBytes)), quota)
	return nil
}

func documentsVerify(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) error {
	var slug string
	cfg, err := parse("documents verify", args, stderr, getenv, func(fs *flag.FlagSet) {
		fs.StringVar(&slug, "tenant", "", "nur diesen Mandanten prüfen (leer: alle)")
	})
	if err != nil {
		return err
	}
	a, err := openApp(ctx, cfg, stderr)
	if err != nil {
		return err
	}
	defer a.Close()
	ts, err := tenantSet(ctx, a, slug)
	if err != nil {
		return err
	}
	ids := make([]uuid.UUID, len(ts))
	slugs := map[uuid.UUID]string{}
	for i, t := range ts {
		ids[i], slugs[t.ID] = t.ID, t.Slug
	}
	rep, err := a.Documents.Verify(ctx, ids, nil)
	if err != nil {
		return err
	}
	for _, p := range rep.Problems {
		fmt.Fprintf(stdout, "MISMATCH %s Dokument %s Version %d (%s): %s", slugs[p.TenantID], p.DocumentID, p.Number, p.Key, p.Problem)
		if p.Want != "" || p.Got != "" {
			fmt.Fprintf(stdout, " erwartet %s, gefunden %s", p.Want, p.Got)
		}
		fmt.Fprintln(stdout)
	}
	for _, m := range rep.Marked {
		fmt.Fprintf(stdout, "MARKIERT %s Dokument %s Version %d seit %s: %s beim Herunterladen\n", slugs[m.TenantID], m.DocumentID, m.Number,
			m.FoundAt.UTC().Format(time.RFC3339), m.Problem)
	}
	fmt.Fprintf(stdout, "%d Revisionen, %s geprüft, %d Abweichungen, %d markierte Revisionen, davon %d wieder in Ordnung\n",
		rep.Revisions, humanize.IBytes(uint64(rep.Bytes)), len(rep.Problems), len(rep.Marked), rep.Cleared)
	if len(rep.Problems) > 0 {
		return exitError(1)
	}
	return nil
}

func documentsSweep(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) error {
	cfg, err := parse("documents sweep", args, stderr, getenv, nil)
	if err != nil {
		return err
	}
	a, err := openApp(ctx, cfg, stderr)
	if err != nil {
		return err
	}
	defer a.Close()
	rep, err := a.Documents.Sweep(ctx)
	fmt.Fprintf(stdout, "abgebrochene Uploads: %d (Reservierung %s freigegeben, %d unvollständige Multipart-Uploads mit %s verworfen), in Quarantäne: %d, endgültig gelöscht: %d, abgelaufene WebDAV-Sperren: %d, übersprungene Mandanten: %d\n",
		rep.AbortedIntents, humanize.IBytes(uint64(rep.ReleasedBytes)), rep.AbortedMultipart, humanize.IBytes(uint64(rep.DiscardedBytes)),
		rep.Quarantined, rep.Deleted, rep.ExpiredLocks, rep.SkippedTenants)
	return err
}
