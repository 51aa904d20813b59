package dav

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/gofiber/fiber/v2"
)

// Fiber adapts the server to a fiber route with streaming bodies in both
// directions, which fiber's own adaptor (middleware/adaptor, through
// fasthttpadaptor) does not offer: it reads the whole request body into
// memory (ctx.PostBody) and buffers the whole response unless the handler
// flushes.
//
// The request body is fasthttp's body stream when the app runs with
// fiber.Config{StreamRequestBody: true} (otherwise the body fasthttp
// buffered, up to BodyLimit). The response is buffered up to 64 KiB and
// streamed beyond. While bytes flow, each read of the request body and
// each write of the response pushes the connection's deadline
// transferIdle ahead, so that a large upload or download is not cut off by
// the app's ReadTimeout/WriteTimeout as long as it makes progress.
func (s *Server) Fiber() fiber.Handler {
	return func(c *fiber.Ctx) error {
		fc := c.Context()
		r, body, err := s.fiberRequest(c)
		if err != nil {
			return fiber.ErrBadRequest
		}
		ctx, cancel := context.WithCancel(c.UserContext())
		r = r.WithContext(ctx)
		w := newStreamWriter()
		go func() {
			var failure error
			defer func() {
				if v := recover(); v == http.ErrAbortHandler {
					failure = errAborted // the handler logged why
				} else if v != nil {
					s.log.ErrorContext(ctx, "webdav: panic", "panic", fmt.Sprint(v))
					failure = fmt.Errorf("dav: panic: %v", v)
					w.WriteHeader(http.StatusInternalServerError)
				}
				w.finish(failure)
				cancel()
			}()
			s.ServeHTTP(w, r)
		}()
		<-w.ready

		w.mu.Lock()
		code, header, streaming, aborted := w.code, w.sent, w.streaming, w.failure == errAborted
		buffered := w.buf.Bytes()
		w.mu.Unlock()
		resp := &fc.Response
		resp.SetStatusCode(code)
		for k, vv := range header {
			if k == "Content-Length" || len(vv) == 0 {
				continue
			}
			// Set, then Add: the WebDAV answer's headers replace what a
			// middleware (helmet) put there before.
			resp.Header.Set(k, vv[0])
			for _, v := range vv[1:] {
				resp.Header.Add(k, v)
			}
		}
		size := -1
		if n, err := strconv.Atoi(header.Get("Content-Length")); err == nil && n >= 0 {
			size = n
		}
		if !streaming && aborted {
			// The handler gave up after its answer had started: fasthttp
			// fails to write the body and drops the connection.
			resp.SetBodyStream(io.MultiReader(bytes.NewReader(buffered), failingReader{errAborted}), size)
			resp.SetConnectionClose()
			return nil
		}
		if !streaming {
			resp.SetBody(buffered)
			if len(buffered) == 0 && size > 0 {
				resp.Header.SetContentLength(size) // HEAD
			}
			if !body.drain() {
				// fasthttp does not skip an unread streamed body: the
				// connection cannot carry another request.
				resp.SetConnectionClose()
			}
			return nil
		}
		resp.SetBodyStream(&streamBody{r: io.MultiReader(bytes.NewReader(buffered), w.pr), pr: w.pr, conn: fc.Conn(),
			cancel: cancel}, size)
		return nil
	}
}

// transferIdle is how long a streaming transfer may stall.
const transferIdle = 2 * time.Minute

// fiberRequest builds the net/http request of a fiber request; every
// string is copied out of fasthttp's buffers, because the handler runs on
// while fasthttp sends the response.
func (s *Server) fiberRequest(c *fiber.Ctx) (*http.Request, *fiberBody, error) {
	fc := c.Context()
	uri := string(fc.RequestURI())
	u, err := url.ParseRequestURI(uri)
	if err != nil {
		return nil, nil, err
	}
	r := &http.Request{Method: string(fc.Method()), URL: u, RequestURI: uri, Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
		Header: http.Header{}, Host: string(fc.Host()), RemoteAddr: fc.RemoteAddr().String(), TLS: fc.TLSConnectionState()}
	for k, v := range fc.Request.Header.All() {
		r.Header.Add(string(k), string(v))
	}
	if rid := c.GetRespHeader(fiber.HeaderXRequestID); rid != "" {
		r.Header.Set("X-Request-ID", strings.Clone(rid))
	}
	cl := fc.Request.Header.ContentLength()
	var src io.Reader
	if bs := fc.RequestBodyStream(); bs != nil {
		src = bs
	} else {
		b := bytes.Clone(fc.Request.Body())
		src, cl = bytes.NewReader(b), len(b)
	}
	switch {
	case cl == -1:
		r.ContentLength, r.TransferEncoding = -1, []string{"chunked"}
	case cl < 0:
		r.ContentLength = 0
	default:
		r.ContentLength = int64(cl)
	}
	body := &fiberBody{r: src, conn: fc.Conn(), empty: r.ContentLength == 0}
	r.Body = body
	return r, body, nil
}

// fiberBody is a request body read from fasthttp; it notes whether it was
// read to the end and keeps the connection's read deadline ahead.
type fiberBody struct {
	mu    sync.Mutex
	r     io.Reader
	conn  net.Conn
	eof   bool
	empty bool
}

func (b *fiberBody) Read(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.eof {
		return 0, io.EOF
	}
	if b.conn != nil {
		_ = b.conn.SetReadDeadline(time.Now().Add(transferIdle))
	}
	n, err := b.r.Read(p)
	if errors.Is(err, io.EOF) {
		b.eof = true
	}
	return n, err
}

func (b *fiberBody) Close() error { return nil }

// drainLimit is how much of a request body that the handler left unread
// (an upload refused at once) is read and dropped, so that the client gets
// the answer instead of a reset connection.
const drainLimit = 16 << 20

// drain reads what the handler left of the body, up to drainLimit; it
// reports whether the body is now consumed.
func (b *fiberBody) drain() bool {
	b.mu.Lock()
	done := b.eof || b.empty
	b.mu.Unlock()
	if done {
		return true
	}
	_, err := io.CopyN(io.Discard, b, drainLimit)
	return errors.Is(err, io.EOF)
}

// streamWriter is the http.ResponseWriter of a fiber request: it buffers
// up to streamAfter bytes and then hands the rest to fasthttp through a
// pipe while the handler keeps writing.
type streamWriter struct {
	mu        sync.Mutex
	header    http.Header
	sent      http.Header // the header as of WriteHeader
	code      int
	buf       bytes.Buffer
	streaming bool
	pr        *io.PipeReader
	pw        *io.PipeWriter
	ready     chan struct{}
	once      sync.Once
	failure   error // the handler broke the answer off
}

// streamAfter is the size up to which a response is buffered.
const streamAfter = 64 << 10

func newStreamWriter() *streamWriter {
	pr, pw := io.Pipe()
	return &streamWriter{header: http.Header{}, pr: pr, pw: pw, ready: make(chan struct{})}
}

// Header implements http.ResponseWriter.
func (w *streamWriter) Header() http.Header { return w.header }

// WriteHeader implements http.ResponseWriter.
func (w *streamWriter) WriteHeader(code int) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.writeHeader(code)
}

func (w *streamWriter) writeHeader(code int) {
	if w.sent != nil {
		return
	}
	w.code, w.sent = code, w.header.Clone()
}

// Write implements http.ResponseWriter.
func (w *streamWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	w.writeHeader(http.StatusOK)
	if w.streaming {
		w.mu.Unlock()
		return w.pw.Write(p)
	}
	w.buf.Write(p)
	if w.buf.Len() >= streamAfter {
		w.streaming = true
		w.signal()
	}
	w.mu.Unlock()
	return len(p), nil
}

// Flush implements http.Flusher: what is buffered goes out now.
func (w *streamWriter) Flush() {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.writeHeader(http.StatusOK)
	if !w.streaming {
		w.streaming = true
		w.signal()
	}
}

func (w *streamWriter) signal() { w.once.Do(func() { close(w.ready) }) }

// errAborted ends a response whose handler aborted it (http.ErrAbortHandler).
var errAborted = errors.New("dav: handler aborted the response")

// failingReader fails every read.
type failingReader struct{ err error }

func (r failingReader) Read([]byte) (int, error) { return 0, r.err }

// finish ends the response when the handler returns; err, when set, breaks
// it off instead of ending it.
func (w *streamWriter) finish(err error) {
	w.mu.Lock()
	w.writeHeader(http.StatusOK)
	w.failure = err
	streaming := w.streaming
	w.signal()
	w.mu.Unlock()
	if streaming {
		_ = w.pw.CloseWithError(err)
	}
}

// streamBody is the response body fasthttp reads while the handler
// writes. fasthttp closes it when it stops (done or client gone), which
// stops the handler's writes and cancels its context.
type streamBody struct {
	r      io.Reader
	pr     *io.PipeReader
	conn   net.Conn
	cancel context.CancelFunc
}

func (b *streamBody) Read(p []byte) (int, error) {
	if b.conn != nil {
		_ = b.conn.SetWriteDeadline(time.Now().Add(transferIdle))
	}
	return b.r.Read(p)
}

func (b *streamBody) Close() error {
	_ = b.pr.CloseWithError(errors.New("dav: client gone"))
	b.cancel()
	return nil
}
