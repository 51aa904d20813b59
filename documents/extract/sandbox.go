package extract

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"runtime/debug"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/dustin/go-humanize"
	"golang.org/x/sys/unix"
)

// The sandbox: with Config.Sandbox set, Extract runs `kollab extract` (the
// Executable with Args) in a child process of its own process group, with a clean,
// minimal environment. The child limits itself at start — RLIMIT_DATA (memory;
// RLIMIT_AS cannot serve, the Go runtime alone reserves over a gigabyte of address
// space), RLIMIT_CPU (CPU time), no core files — and the tools it runs (pdftotext,
// pdftoppm, tesseract) inherit those limits. The parent kills the whole process
// group after Timeout (plus a grace period for the child to stop itself) and reads
// at most MaxOutputBytes of text. Whatever a file does, the parent's memory only
// holds the bounded text.

// Defaults and bounds of Sandbox.
const (
	DefaultSandboxMemory = 512 << 20
	DefaultSandboxCPU    = 60 * time.Second
	// MinSandboxMemory is the least memory limit: the Go runtime maps its heap in
	// large pieces and every thread's stack counts against RLIMIT_DATA, so below
	// this even small files fail.
	MinSandboxMemory = 128 << 20
	// sandboxGrace is how long past Timeout the parent waits before it kills the
	// child, which ends itself at Timeout.
	sandboxGrace = 5 * time.Second
	// maxChildStderr bounds the child's error output kept by the parent.
	maxChildStderr = 4096
)

// Exit codes of `kollab extract`.
const (
	ExitOK          = 0  // the text is on standard output, the result's metadata on standard error
	ExitFailed      = 1  // the file could not be read (malformed, a tool failed)
	ExitUnsupported = 3  // no extractor for the media type
	ExitLimit       = 4  // a limit was exceeded: memory, CPU time, time, output or nesting
	ExitUsage       = 64 // bad arguments
	// exitGoFatal is the Go runtime's exit code after a fatal error, such as
	// "runtime: out of memory" when an allocation fails under RLIMIT_DATA.
	exitGoFatal = 2
)

// Sandbox configures the child process Extract runs in.
type Sandbox struct {
	// Executable is the program to run, normally the running kollab binary
	// (os.Executable); empty extracts in the calling process.
	Executable string
	// Args come before the child's flags (default ["extract"]).
	Args []string
	// Memory bounds the data memory of the child and of each tool it runs, in
	// bytes (RLIMIT_DATA; default 512 MiB).
	Memory int64
	// CPU bounds the CPU time of the child and of each tool it runs (RLIMIT_CPU,
	// whole seconds; default 60 s).
	CPU time.Duration
}

// childResult is the metadata the child writes, as one JSON line, to standard error
// after the text.
type childResult struct {
	Method    string `json:"method"`
	Truncated bool   `json:"truncated"`
	Pages     int    `json:"pages"`
	OCRPages  int    `json:"ocr_pages"`
}

// extractInChild runs one extraction in the sandbox.
func (e *Extractor) extractInChild(ctx context.Context, path, mediaType string) (Result, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return Result{}, err
	}
	sb := e.cfg.Sandbox
	args := e.childArgs(mediaType, abs)

	runCtx, cancel := context.WithTimeout(ctx, e.cfg.Timeout+sandboxGrace)
	defer cancel()
	cmd := exec.CommandContext(runCtx, sb.Executable, args...)
	cmd.Env = childEnv(e.cfg.TempDir)
	cmd.Dir = os.TempDir()
	cmd.Stdin = nil // /dev/null
	// Its own process group, so that the tools die with it. (No Pdeathsig: Linux
	// sends it when the forking thread ends, which would kill a healthy child and
	// mark its file not extractable; should the server die, the child ends itself
	// at Timeout and at its CPU limit.)
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { return killGroup(cmd.Process.Pid) }
	cmd.WaitDelay = 5 * time.Second
	stderr := &headBuffer{max: maxChildStderr}
	cmd.Stderr = stderr
	pipe, err := cmd.StdoutPipe()
	if err != nil {
		return Result{}, err
	}
	if err := cmd.Start(); err != nil {
		return Result{}, fmt.Errorf("start %s: %w", sb.Executable, err)
	}
	// The child writes at most MaxOutputBytes; one byte more means it misbehaves.
	out, readErr := io.ReadAll(io.LimitReader(pipe, int64(e.cfg.MaxOutputBytes)+1))
	tooMuch := len(out) > e.cfg.MaxOutputBytes
	if tooMuch || readErr != nil {
		_ = killGroup(cmd.Process.Pid)
	}
	waitErr := cmd.Wait()
	// Strays (a tool whose parent died) belong to the group as well.
	_ = killGroup(cmd.Process.Pid)

	msg := strings.TrimSpace(stderr.String())
	switch {
	case ctx.Err() != nil:
		return Result{}, ctx.Err()
	case errors.Is(runCtx.Err(), context.DeadlineExceeded):
		return Result{}, limitError("the child process ran longer than %s and was killed", e.cfg.Timeout)
	case tooMuch:
		return Result{}, limitError("the child process wrote more than %d bytes of text", e.cfg.MaxOutputBytes)
	case readErr != nil:
		return Result{}, fmt.Errorf("reading the text of the child process: %w", readErr)
	}
	return e.childOutcome(waitErr, out, msg, mediaType)
}

// childArgs are the command line of a child that extracts the file abs
// with the extractor's limits and tools.
func (e *Extractor) childArgs(mediaType, abs string) []string {
	sb := e.cfg.Sandbox
	return append(append([]string{}, sb.Args...),
		"--type", mediaType,
		"--memory", strconv.FormatInt(sb.Memory, 10),
		"--cpu", sb.CPU.String(),
		"--timeout", e.cfg.Timeout.String(),
		"--max-output", strconv.Itoa(e.cfg.MaxOutputBytes),
		"--max-markup", strconv.FormatInt(e.cfg.MaxMarkupBytes, 10),
		"--max-image-pixels", strconv.FormatInt(e.cfg.MaxImagePixels, 10),
		"--ocr-pages", strconv.Itoa(e.cfg.MaxOCRPages),
		"--ocr-language", e.cfg.OCRLanguage,
		"--ocr-resolution", strconv.Itoa(e.cfg.OCRResolution),
		"--ocr-workers", strconv.Itoa(e.cfg.OCRWorkers),
		"--min-chars-per-page", strconv.Itoa(e.cfg.MinCharsPerPage),
		"--pdftotext", e.cfg.PDFToText, "--pdftoppm", e.cfg.PDFToPPM,
		"--pdfinfo", e.cfg.PDFInfo, "--tesseract", e.cfg.Tesseract,
		"--", abs)
}

// childOutcome turns how a child ended (its wait error, the text it wrote
// and its standard error) into the extraction's result.
func (e *Extractor) childOutcome(waitErr error, out []byte, msg, mediaType string) (Result, error) {
	sb := e.cfg.Sandbox
	var ee *exec.ExitError
	if waitErr != nil && !errors.As(waitErr, &ee) {
		return Result{}, fmt.Errorf("child process: %w", waitErr)
	}
	code := 0
	if ee != nil {
		if ws, ok := ee.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
			switch ws.Signal() {
			case syscall.SIGKILL, syscall.SIGXCPU:
				return Result{}, limitError("the child process was killed by %s (CPU time limit %s or memory limit %d bytes)",
					ws.Signal(), sb.CPU, sb.Memory)
			}
			return Result{}, fmt.Errorf("the child process was killed by %s: %s", ws.Signal(), msg)
		}
		code = ee.ExitCode()
	}
	switch code {
	case ExitOK:
		var meta childResult
		line := msg[strings.LastIndexByte(msg, '\n')+1:]
		if err := json.Unmarshal([]byte(line), &meta); err != nil {
			return Result{}, fmt.Errorf("child process: no result metadata (%v): %q", err, msg)
		}
		text, cut := finishText(string(out), e.cfg.MaxOutputBytes)
		return Result{Text: text, Method: meta.Method, Truncated: meta.Truncated || cut,
			Pages: meta.Pages, OCRPages: meta.OCRPages}, nil
	case ExitUnsupported:
		return Result{}, fmt.Errorf("%w: %s", ErrUnsupported, msg)
	case ExitLimit:
		reason := strings.TrimPrefix(firstLine(msg), "kollab extract: ")
		reason = strings.TrimPrefix(strings.TrimPrefix(reason, "extract "+mediaType+": "), ErrLimit.Error()+": ")
		return Result{}, fmt.Errorf("%w: %s", ErrLimit, reason)
	case exitGoFatal:
		if goMemoryCrash(msg) {
			return Result{}, limitError("the child process ran out of memory (limit %d bytes): %s", sb.Memory, firstLine(msg))
		}
	}
	return Result{}, fmt.Errorf("child process exited with %d: %s", code, firstLine(msg))
}

// goMemoryCrash reports whether the Go runtime's crash report (exit code 2) is one
// of those it gives when its memory runs out under RLIMIT_DATA: an allocation that
// fails ("out of memory", "cannot allocate memory"), a thread whose stack cannot be
// mapped ("pthread_create failed"), or a fault inside the runtime itself. A panic of
// Kollab's code ("panic: …") is none of these.
func goMemoryCrash(msg string) bool {
	return outOfMemory(msg) || strings.Contains(msg, "pthread_create failed") || strings.Contains(msg, "failed to create new OS thread") ||
		strings.HasPrefix(msg, "fatal error: runtime:") || strings.HasPrefix(msg, "SIGSEGV: segmentation violation")
}

// killGroup kills the process group led by pid.
func killGroup(pid int) error {
	err := syscall.Kill(-pid, syscall.SIGKILL)
	if errors.Is(err, syscall.ESRCH) {
		return os.ErrProcessDone
	}
	return err
}

// childEnv is the child's whole environment: nothing of the server's (no database
// URL, no keys), only what the tools need.
func childEnv(tempDir string) []string {
	path := os.Getenv("PATH")
	if path == "" {
		path = "/usr/local/bin:/usr/bin:/bin"
	}
	if tempDir == "" {
		tempDir = os.TempDir()
	}
	env := []string{"PATH=" + path, "LANG=C.UTF-8", "TMPDIR=" + tempDir, "OMP_THREAD_LIMIT=1", "GOTRACEBACK=single"}
	if v := os.Getenv("TESSDATA_PREFIX"); v != "" {
		env = append(env, "TESSDATA_PREFIX="+v)
	}
	return env
}

// ChildUsage describes `kollab extract` (the command line's help).
const ChildUsage = `kollab extract [Optionen] [DATEI|-]

Liest eine Datei (oder "-" bzw. nichts: die Standardeingabe) und schreibt ihren Text
auf die Standardausgabe, höchstens --max-output Bytes; danach eine JSON-Zeile mit
method, truncated, pages und ocr_pages auf die Standardfehlerausgabe. Der Prozess
begrenzt sich beim Start selbst: Speicher (RLIMIT_DATA, --memory), CPU-Zeit
(RLIMIT_CPU, --cpu) und Laufzeit (--timeout); die Werkzeuge, die er startet
(pdftotext, pdftoppm, tesseract), erben die Grenzen. kollab serve startet diesen
Befehl für jede Textextraktion.

Exit-Codes: 0 Text geschrieben, 1 Datei nicht lesbar, 3 Dateityp ohne Extraktor,
4 Grenze überschritten (nicht extrahierbar), 64 falscher Aufruf.
`

// childOptions are the flags of `kollab extract`.
type childOptions struct {
	cfg       Config
	mediaType string
	name      string
	memory    int64
	cpu       time.Duration
}

// childFlags declares the flags of `kollab extract`, with their defaults.
func childFlags(stderr io.Writer) (*flag.FlagSet, *childOptions) {
	fs := flag.NewFlagSet("kollab extract", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprint(stderr, ChildUsage, "\nOptionen:\n")
		fs.PrintDefaults()
	}
	o := &childOptions{}
	fs.StringVar(&o.mediaType, "type", "", "Medientyp der Datei (leer: aus den Bytes erkennen)")
	fs.StringVar(&o.name, "name", "", "Dateiname, hilft beim Erkennen des Typs")
	o.memory = DefaultSandboxMemory
	fs.Func("memory", "Speichergrenze (RLIMIT_DATA), auch für jedes Werkzeug, z. B. 512MiB (Standard 512MiB)", func(s string) error {
		n, err := humanize.ParseBytes(s)
		if err != nil || n > math.MaxInt64 {
			return fmt.Errorf("keine Größe: %q", s)
		}
		o.memory = int64(n)
		return nil
	})
	fs.DurationVar(&o.cpu, "cpu", DefaultSandboxCPU, "Grenze der CPU-Zeit (RLIMIT_CPU), auch für jedes Werkzeug")
	fs.DurationVar(&o.cfg.Timeout, "timeout", DefaultTimeout, "Grenze der Laufzeit")
	fs.IntVar(&o.cfg.MaxOutputBytes, "max-output", DefaultMaxOutputBytes, "höchstens so viele Bytes Text")
	fs.Int64Var(&o.cfg.MaxMarkupBytes, "max-markup", DefaultMaxMarkupBytes, "höchstens so viele Bytes Markup (entpackt) lesen")
	fs.Int64Var(&o.cfg.MaxImagePixels, "max-image-pixels", DefaultMaxImagePixels, "größtes Bild für die Texterkennung, in Pixeln")
	fs.IntVar(&o.cfg.MaxOCRPages, "ocr-pages", DefaultMaxOCRPages, "höchstens so viele Seiten per Texterkennung (negativ: aus)")
	fs.StringVar(&o.cfg.OCRLanguage, "ocr-language", DefaultOCRLanguage, "Sprache(n) der Texterkennung, z. B. deu+eng")
	fs.IntVar(&o.cfg.OCRResolution, "ocr-resolution", DefaultOCRResolution, "Auflösung der Texterkennung in dpi")
	fs.IntVar(&o.cfg.OCRWorkers, "ocr-workers", 0, "Seiten, die gleichzeitig erkannt werden (0: nach CPU-Zahl)")
	fs.IntVar(&o.cfg.MinCharsPerPage, "min-chars-per-page", DefaultMinCharsPerPage, "Seiten mit weniger Zeichen gelten als gescannt")
	fs.StringVar(&o.cfg.PDFToText, "pdftotext", "pdftotext", "Pfad von pdftotext")
	fs.StringVar(&o.cfg.PDFToPPM, "pdftoppm", "pdftoppm", "Pfad von pdftoppm")
	fs.StringVar(&o.cfg.PDFInfo, "pdfinfo", "pdfinfo", "Pfad von pdfinfo")
	fs.StringVar(&o.cfg.Tesseract, "tesseract", "tesseract", "Pfad von tesseract")
	return fs, o
}

// ChildMain is `kollab extract`: it limits its own process, extracts the text of
// one file and returns the exit code.
func ChildMain(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs, o := childFlags(stderr)
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return ExitOK
		}
		return ExitUsage
	}
	if fs.NArg() > 1 {
		fmt.Fprintf(stderr, "kollab extract: nur eine Datei, nicht %v\n", fs.Args())
		return ExitUsage
	}
	fail := func(code int, err error) int {
		fmt.Fprintf(stderr, "kollab extract: %v\n", err)
		return code
	}
	if o.memory < MinSandboxMemory {
		return fail(ExitUsage, fmt.Errorf("--memory %d liegt unter %d Bytes", o.memory, int64(MinSandboxMemory)))
	}
	if o.cpu < time.Second {
		return fail(ExitUsage, fmt.Errorf("--cpu %s liegt unter 1s", o.cpu))
	}
	if err := limitSelf(o.memory, o.cpu); err != nil {
		return fail(ExitFailed, fmt.Errorf("Grenzen setzen: %w", err))
	}
	// RLIMIT_CPU sends SIGXCPU at the soft limit (the Go runtime would ignore it).
	xcpu := make(chan os.Signal, 1)
	signal.Notify(xcpu, syscall.SIGXCPU)
	go func() {
		<-xcpu
		fmt.Fprintf(stderr, "kollab extract: CPU-Zeit von %s überschritten\n", o.cpu)
		os.Exit(ExitLimit)
	}()

	ex, err := New(o.cfg)
	if err != nil {
		return fail(ExitUsage, err)
	}
	path := fs.Arg(0)
	if path == "" || path == "-" {
		tmp, err := spool(stdin, ex.Config().TempDir)
		if err != nil {
			return fail(ExitFailed, err)
		}
		defer os.Remove(tmp)
		path = tmp
	}
	mediaType := o.mediaType
	if mediaType == "" {
		if mediaType, err = SniffFile(path, o.name); err != nil {
			return fail(ExitFailed, err)
		}
	}
	res, err := ex.Extract(ctx, path, mediaType)
	switch {
	case errors.Is(err, ErrLimit):
		return fail(ExitLimit, err)
	case errors.Is(err, ErrUnsupported):
		return fail(ExitUnsupported, err)
	case err != nil:
		return fail(ExitFailed, err)
	}
	if _, err := io.WriteString(stdout, res.Text); err != nil {
		return fail(ExitFailed, err)
	}
	meta, _ := json.Marshal(childResult{Method: res.Method, Truncated: res.Truncated, Pages: res.Pages, OCRPages: res.OCRPages})
	fmt.Fprintf(stderr, "%s\n", meta)
	return ExitOK
}

// limitSelf sets the process's memory and CPU-time limits, inherited by every
// program it starts, and tells the Go garbage collector about the memory limit.
func limitSelf(memory int64, cpu time.Duration) error {
	mem := uint64(memory)
	if err := unix.Setrlimit(unix.RLIMIT_DATA, &unix.Rlimit{Cur: mem, Max: mem}); err != nil {
		return fmt.Errorf("RLIMIT_DATA: %w", err)
	}
	secs := uint64((cpu + time.Second - 1) / time.Second)
	// The hard limit, a second later, kills (SIGKILL) what ignores SIGXCPU.
	if err := unix.Setrlimit(unix.RLIMIT_CPU, &unix.Rlimit{Cur: secs, Max: secs + 1}); err != nil {
		return fmt.Errorf("RLIMIT_CPU: %w", err)
	}
	if err := unix.Setrlimit(unix.RLIMIT_CORE, &unix.Rlimit{}); err != nil {
		return fmt.Errorf("RLIMIT_CORE: %w", err)
	}
	// Collect harder before the limit, leaving room for what is not Go heap.
	debug.SetMemoryLimit(memory - memory/4)
	return nil
}

// spool copies standard input into a temporary file (the extractors need a path).
func spool(r io.Reader, dir string) (string, error) {
	f, err := os.CreateTemp(dir, "kollab-extract-stdin-*")
	if err != nil {
		return "", fmt.Errorf("temporary file: %w", err)
	}
	_, err = io.Copy(f, r)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(f.Name())
		return "", fmt.Errorf("reading standard input: %w", err)
	}
	return f.Name(), nil
}
