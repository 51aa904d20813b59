package extract

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"time"
)

// maxStderr bounds the part of a tool's standard error kept for error messages.
const maxStderr = 2048

// run executes a tool (no shell; args as a list) and returns its standard output.
// It keeps at most maxOut bytes of output: when the tool writes more, or when stop
// (if not nil) returns true for the output so far, the tool is killed and stopped is
// true (the output then is the prefix read so far, possibly a few bytes past maxOut).
// The tool is killed when ctx ends.
func (e *Extractor) run(ctx context.Context, tool string, args []string, maxOut int, stop func([]byte) bool) (out []byte, stopped bool, err error) {
	runCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	cmd := exec.CommandContext(runCtx, tool, args...)
	// Every tesseract runs on one thread; the pages are parallelised here.
	cmd.Env = append(os.Environ(), "OMP_THREAD_LIMIT=1")
	cmd.Stdin = nil // /dev/null
	stderr := &headBuffer{max: maxStderr}
	cmd.Stderr = stderr
	// Do not wait forever for pipes a killed tool's children might still hold.
	cmd.WaitDelay = 5 * time.Second
	pipe, err := cmd.StdoutPipe()
	if err != nil {
		return nil, false, fmt.Errorf("%s: %w", tool, err)
	}
	if err := cmd.Start(); err != nil {
		return nil, false, fmt.Errorf("start %s: %w", tool, err)
	}

	var buf bytes.Buffer
	chunk := make([]byte, 32<<10)
	var readErr error
	for {
		n, rerr := pipe.Read(chunk)
		buf.Write(chunk[:n])
		if buf.Len() > maxOut || (n > 0 && stop != nil && stop(buf.Bytes())) {
			stopped = true
			cancel() // kills the tool; we have what we need
			break
		}
		if rerr != nil {
			if !errors.Is(rerr, io.EOF) {
				readErr = rerr
			}
			break
		}
	}
	waitErr := cmd.Wait()

	if ctxErr := ctx.Err(); ctxErr != nil {
		return nil, false, fmt.Errorf("%s %s: %w", tool, shortArgs(args), ctxErr)
	}
	if stopped {
		return buf.Bytes(), true, nil
	}
	if waitErr != nil {
		msg := strings.TrimSpace(stderr.String())
		if lerr := toolLimit(waitErr, msg); lerr != nil {
			return nil, false, fmt.Errorf("%s %s: %w", tool, shortArgs(args), lerr)
		}
		if msg != "" {
			return nil, false, fmt.Errorf("%s %s: %w: %s", tool, shortArgs(args), waitErr, msg)
		}
		return nil, false, fmt.Errorf("%s %s: %w", tool, shortArgs(args), waitErr)
	}
	if readErr != nil {
		return nil, false, fmt.Errorf("%s %s: reading output: %w", tool, shortArgs(args), readErr)
	}
	return buf.Bytes(), false, nil
}

// shortArgs renders args for an error message.
func shortArgs(args []string) string {
	s := strings.Join(args, " ")
	if len(s) > 300 {
		s = s[:300] + "…"
	}
	return s
}

// headBuffer keeps the first max bytes written to it and discards the rest.
type headBuffer struct {
	buf bytes.Buffer
	max int
}

func (h *headBuffer) Write(p []byte) (int, error) {
	if room := h.max - h.buf.Len(); room > 0 {
		h.buf.Write(p[:min(room, len(p))])
	}
	return len(p), nil
}

func (h *headBuffer) String() string { return strings.ToValidUTF8(h.buf.String(), "?") }

// toolLimit returns an ErrLimit error when a tool ended because it reached a
// resource limit it inherited (see Sandbox): killed by SIGXCPU (CPU time) or SIGKILL
// (the hard CPU limit, or the kernel's OOM killer), SIGXFSZ (file size), or failed
// for want of memory (poppler and tesseract abort with "out of memory" or
// std::bad_alloc when an allocation fails under RLIMIT_DATA). Nil otherwise.
func toolLimit(waitErr error, stderr string) error {
	var ee *exec.ExitError
	if !errors.As(waitErr, &ee) {
		return nil
	}
	if ws, ok := ee.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
		switch ws.Signal() {
		case syscall.SIGXCPU, syscall.SIGKILL:
			return limitError("the tool was killed by %s (CPU time or memory limit)", ws.Signal())
		case syscall.SIGXFSZ:
			return limitError("the tool was killed by %s (file size limit)", ws.Signal())
		}
	}
	if outOfMemory(stderr) {
		return limitError("the tool ran out of memory: %s", firstLine(stderr))
	}
	return nil
}

// outOfMemory reports whether a program's error output says that an allocation failed.
func outOfMemory(stderr string) bool {
	s := strings.ToLower(stderr)
	return strings.Contains(s, "out of memory") || strings.Contains(s, "bad_alloc") ||
		strings.Contains(s, "cannot allocate memory")
}

func firstLine(s string) string {
	s, _, _ = strings.Cut(strings.TrimSpace(s), "\n")
	return s
}
