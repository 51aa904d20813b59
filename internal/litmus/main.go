// Command litmus runs the litmus WebDAV test suite (Debian package
// litmus) against a real `kollab serve` and fails unless every test passes
// or is listed, with its reason, as an accepted failure in docs/webdav.md.
//
// It sets up a fresh SQLite installation in a temporary folder: a tenant,
// a staff member with a personal API token (the WebDAV password) and the
// manage permission on one folder, then starts the given kollab binary on
// a free loopback port and runs litmus on /dav/{tenant}/{folder}/. Run by
// scripts/test:
//
//	go run ./internal/litmus -kollab .cache/bin/kollab
package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"log"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/kollab/kollab/documents"
	"github.com/kollab/kollab/internal/app"
	"github.com/kollab/kollab/internal/config"
	"github.com/kollab/kollab/tenant"
	"github.com/kollab/kollab/tenant/auth"
)

const (
	slug       = "litmus"
	folderName = "Litmus"
	email      = "litmus@litmus.example"
	password   = "litmus-Test-Passwort-2026"
)

func main() {
	var (
		kollab   = flag.String("kollab", "", "the kollab binary to test (required)")
		litmus   = flag.String("litmus", "litmus", "the litmus program")
		accepted = flag.String("accepted", "docs/webdav.md", "the document that lists the accepted failures")
		suites   = flag.String("suites", "basic copymove props locks http", "the litmus suites to run")
		timeout  = flag.Duration("timeout", 3*time.Minute, "how long the whole run may take")
		keep     = flag.Bool("keep", false, "keep the data folder and the server log")
	)
	flag.Parse()
	log.SetFlags(0)
	log.SetPrefix("litmus: ")
	if *kollab == "" {
		log.Fatal("-kollab is required")
	}
	want, err := readAccepted(*accepted)
	if err != nil {
		log.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), *timeout)
	defer cancel()
	dir, err := os.MkdirTemp("", "kollab-litmus-*")
	if err != nil {
		log.Fatal(err)
	}
	if *keep {
		log.Printf("data folder and server log in %s", dir)
	} else {
		defer os.RemoveAll(dir)
	}
	results, out, err := run(ctx, dir, *kollab, *litmus, *suites)
	code := 0
	if err != nil {
		log.Print(err)
		code = 1
	} else {
		printReport(out)
		code = judge(results, want, strings.Fields(*suites))
	}
	if code != 0 {
		if !*keep {
			os.RemoveAll(dir) // os.Exit skips the deferred removal
		}
		os.Exit(code)
	}
}

// printReport prints litmus's suite headers and summaries and every line
// that is not a plain pass.
func printReport(out []byte) {
	sc := bufio.NewScanner(bytes.NewReader(bytes.ReplaceAll(out, []byte("\r"), []byte("\n"))))
	for sc.Scan() {
		line := sc.Text()
		rest := line
		if m := testLine.FindStringSubmatch(line); m != nil {
			rest = m[2]
		} else if m := contLine.FindStringSubmatch(line); m != nil {
			rest = m[1]
		}
		if strings.TrimSpace(rest) == "" || rest == "pass" {
			continue // a test's name before its verdict, or a plain pass
		}
		fmt.Println(line)
	}
}

// result is one litmus test's outcome.
type result struct {
	id     string // suite/test
	status string // pass, FAIL, SKIPPED
	detail string
}

// run sets up the installation, starts the server and runs litmus.
func run(ctx context.Context, dir, kollab, litmus, suites string) ([]result, []byte, error) {
	bin, err := filepath.Abs(kollab)
	if err != nil {
		return nil, nil, err
	}
	port, err := freePort()
	if err != nil {
		return nil, nil, err
	}
	origin := fmt.Sprintf("http://127.0.0.1:%d", port)
	env := map[string]string{
		"KOLLAB_DATA_DIR": filepath.Join(dir, "data"), "KOLLAB_LISTEN": fmt.Sprintf("127.0.0.1:%d", port),
		"KOLLAB_PUBLIC_URL": origin, "KOLLAB_SECURE_COOKIES": "false", "KOLLAB_LOG_LEVEL": "warn",
		"KOLLAB_METRICS_LISTEN": "off",
	}
	token, err := setUp(ctx, env)
	if err != nil {
		return nil, nil, fmt.Errorf("set up: %w", err)
	}
	logFile, err := os.Create(filepath.Join(dir, "server.log"))
	if err != nil {
		return nil, nil, err
	}
	defer logFile.Close()
	srv := exec.Command(bin, "serve")
	srv.Env = os.Environ()
	for k, v := range env {
		srv.Env = append(srv.Env, k+"="+v)
	}
	srv.Stdout, srv.Stderr = logFile, logFile
	if err := srv.Start(); err != nil {
		return nil, nil, fmt.Errorf("start kollab serve: %w", err)
	}
	defer func() { _ = srv.Process.Kill(); _ = srv.Wait() }()
	if err := waitReady(ctx, origin); err != nil {
		return nil, nil, fmt.Errorf("%w (server log: %s)", err, tail(logFile.Name()))
	}
	target := origin + "/dav/" + slug + "/" + url.PathEscape(folderName) + "/"
	// One suite at a time: litmus stops at the first suite with a failure.
	var out bytes.Buffer
	for _, suite := range strings.Fields(suites) {
		cmd := exec.CommandContext(ctx, litmus, target, email, token)
		cmd.Env = append(os.Environ(), "TESTS="+suite)
		cmd.Dir = dir // litmus writes debug.log into its working folder
		cmd.Stdout, cmd.Stderr = &out, &out
		err = cmd.Run()
		var exit *exec.ExitError
		if err != nil && !errors.As(err, &exit) {
			return nil, out.Bytes(), fmt.Errorf("run %s: %w", litmus, err)
		}
		if ctx.Err() != nil {
			return nil, out.Bytes(), fmt.Errorf("litmus did not finish in time: %w\n%s", ctx.Err(), out.Bytes())
		}
	}
	res := parse(out.Bytes())
	if len(res) == 0 {
		return nil, out.Bytes(), fmt.Errorf("litmus reported no test results:\n%s", out.Bytes())
	}
	return res, out.Bytes(), nil
}

// setUp creates the tenant, the accounts, the folder and the token through
// Kollab's own services, before the server starts.
func setUp(ctx context.Context, env map[string]string) (string, error) {
	cfg := config.Bind(flag.NewFlagSet("kollab", flag.ContinueOnError), func(k string) string { return env[k] })
	if err := cfg.Finish(); err != nil {
		return "", err
	}
	a, err := app.Open(ctx, *cfg, slog.New(slog.DiscardHandler), false)
	if err != nil {
		return "", err
	}
	defer a.Close()
	tn, err := a.Tenants.CreateTenant(ctx, slug, "Litmus")
	if err != nil {
		return "", err
	}
	admin, err := addMember(ctx, a, tn, "admin@litmus.example", tenant.RoleAdmin)
	if err != nil {
		return "", err
	}
	staff, err := addMember(ctx, a, tn, email, tenant.RoleStaff)
	if err != nil {
		return "", err
	}
	f, err := a.Documents.CreateFolder(ctx, admin, uuid.Nil, folderName)
	if err != nil {
		return "", err
	}
	if _, err := a.Documents.SetPermission(ctx, admin, f.ID, documents.UserPrincipal(staff.MembershipID), documents.Manage); err != nil {
		return "", err
	}
	c := auth.Client{IP: "127.0.0.1"}
	res, err := a.Auth.Login(ctx, email, password, c)
	if err != nil {
		return "", err
	}
	p, err := a.Auth.Authenticate(ctx, res.Token)
	if err != nil {
		return "", err
	}
	if _, err := a.Auth.Reauthenticate(ctx, p, password, "", "", c); err != nil {
		return "", err
	}
	tok, _, err := a.Auth.CreateToken(ctx, p, auth.TokenSpec{Name: "litmus", Scope: auth.ScopeWrite})
	return tok, err
}

func addMember(ctx context.Context, a *app.App, tn *tenant.Tenant, mail string, role tenant.Role) (tenant.Actor, error) {
	u, err := a.Tenants.CreateUser(ctx, mail, strings.Split(mail, "@")[0], password)
	if err != nil {
		return tenant.Actor{}, err
	}
	m, err := a.Tenants.AddMember(ctx, tn.ID, u.ID, role)
	if err != nil {
		return tenant.Actor{}, err
	}
	return tenant.ActorFromMembership(m), nil
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

func waitReady(ctx context.Context, origin string) error {
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) && ctx.Err() == nil {
		res, err := http.Get(origin + "/readyz")
		if err == nil {
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				return nil
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	return errors.New("kollab serve did not become ready")
}

// tail returns the end of a file.
func tail(name string) string {
	b, _ := os.ReadFile(name)
	if len(b) > 4000 {
		b = b[len(b)-4000:]
	}
	return string(b)
}

var (
	suiteLine = regexp.MustCompile("^-> running `([a-z0-9_]+)'")
	testLine  = regexp.MustCompile(`^\s*\d+\.\s+([A-Za-z0-9_]+)\.*\s*(.*)$`)
	contLine  = regexp.MustCompile(`^\s+\.{3,}\s*(.*)$`)
)

// parse reads litmus's report: "-> running `basic':", then one line per
// test ("  3. put_get......... pass"); a test that warns first reports the
// warning and its verdict on a following "   ....... pass" line.
func parse(out []byte) []result {
	var res []result
	suite, cur := "", ""
	// litmus prints a test's name, then a carriage return and the name
	// again with the verdict.
	sc := bufio.NewScanner(bytes.NewReader(bytes.ReplaceAll(out, []byte("\r"), []byte("\n"))))
	for sc.Scan() {
		line := sc.Text()
		var rest string
		if m := suiteLine.FindStringSubmatch(line); m != nil {
			suite, cur = m[1], ""
			continue
		} else if m := testLine.FindStringSubmatch(line); m != nil && suite != "" {
			cur, rest = suite+"/"+m[1], m[2]
		} else if m := contLine.FindStringSubmatch(line); m != nil && cur != "" {
			rest = m[1]
		} else {
			continue
		}
		for _, st := range []string{"pass", "FAIL", "SKIPPED"} {
			if strings.HasPrefix(rest, st) {
				res = append(res, result{id: cur, status: st, detail: strings.TrimSpace(strings.TrimPrefix(rest, st))})
				cur = ""
				break
			}
		}
	}
	return res
}

var acceptedLine = regexp.MustCompile("^- `([a-z0-9_]+/[A-Za-z0-9_]+)`[: —-]+(.*)$")

// readAccepted reads the list under "## Accepted litmus failures": lines
// "- `suite/test` — reason". Every entry needs a reason.
func readAccepted(name string) (map[string]string, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	out := map[string]string{}
	in, found := false, false
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "## ") {
			in = strings.TrimSpace(line[3:]) == "Accepted litmus failures"
			found = found || in
			continue
		}
		if !in {
			continue
		}
		if m := acceptedLine.FindStringSubmatch(line); m != nil {
			if strings.TrimSpace(m[2]) == "" {
				return nil, fmt.Errorf("%s: accepted failure %s has no reason", name, m[1])
			}
			out[m[1]] = strings.TrimSpace(m[2])
		}
	}
	if !found {
		return nil, fmt.Errorf("%s has no section \"## Accepted litmus failures\"", name)
	}
	return out, sc.Err()
}

// judge prints the verdict and returns the exit code: 1 when a test
// failed or was skipped that is not an accepted failure, or a suite did
// not run at all.
func judge(res []result, accepted map[string]string, suites []string) int {
	var bad, ok []string
	ran := map[string]bool{}
	passed := 0
	for _, r := range res {
		ran[strings.Split(r.id, "/")[0]] = true
		switch {
		case r.status == "pass":
			passed++
			if _, listed := accepted[r.id]; listed {
				ok = append(ok, r.id)
			}
		case accepted[r.id] != "":
			fmt.Printf("accepted failure %s (%s): %s\n", r.id, r.status, accepted[r.id])
		default:
			bad = append(bad, fmt.Sprintf("%s %s %s", r.id, r.status, r.detail))
		}
	}
	for _, s := range suites {
		if !ran[s] {
			bad = append(bad, "suite "+s+" did not run")
		}
	}
	for _, id := range ok {
		fmt.Printf("note: %s is listed as an accepted failure in docs/webdav.md but passes now; remove it from the list\n", id)
	}
	fmt.Printf("litmus: %d of %d tests passed, %d accepted failures, %d unexpected\n", passed, len(res), len(res)-passed-len(bad), len(bad))
	if len(bad) > 0 {
		slices.Sort(bad)
		for _, b := range bad {
			fmt.Println("UNEXPECTED", b)
		}
		return 1
	}
	return 0
}
