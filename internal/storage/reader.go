package storage

import (
	"context"
	"fmt"
	"io"
)

// maxEmptyReads bounds how often sizedReader retries a source that returns
// (0, nil) while probing for its end, like bufio does.
const maxEmptyReads = 100

// sizedReader passes through exactly size bytes of src and fails with
// ErrSizeMismatch when src ends early or holds more. To make sure a consumer
// never sees a complete object from a source that is too long, the read that
// reaches size probes src for one more byte first and, if there is one,
// returns an error instead of the final bytes. It also stops with the
// context's error once the context is done, so that a blocked upload loop
// notices cancellation between reads.
//
// It deliberately hides any io.ReaderAt or io.Seeker of src, so that upload
// code streams it sequentially with bounded buffers.
type sizedReader struct {
	src  io.Reader
	size int64
	n    int64 // bytes handed to the consumer (or held back, see Read)

	done   <-chan struct{}
	ctxErr func() error

	err   error // sticky failure
	atEOF bool  // src was seen to end exactly at size
}

func newSizedReader(ctx context.Context, src io.Reader, size int64) *sizedReader {
	return &sizedReader{src: src, size: size, done: ctx.Done(), ctxErr: ctx.Err}
}

// Read implements io.Reader.
func (s *sizedReader) Read(p []byte) (int, error) {
	if s.err != nil {
		return 0, s.err
	}
	select {
	case <-s.done:
		s.err = s.ctxErr()
		return 0, s.err
	default:
	}
	remaining := s.size - s.n
	if remaining == 0 {
		if err := s.probeEnd(); err != nil {
			return 0, err
		}
		return 0, io.EOF
	}
	if len(p) == 0 {
		return 0, nil
	}
	if int64(len(p)) > remaining {
		p = p[:remaining]
	}
	n, err := s.src.Read(p)
	s.n += int64(n)
	switch {
	case s.n == s.size && err == io.EOF:
		s.atEOF = true
		return n, nil
	case s.n == s.size && err == nil:
		// Hold the final bytes back until src is known to end here.
		if perr := s.probeEnd(); perr != nil {
			return 0, perr
		}
		return n, nil
	case err == io.EOF:
		s.err = fmt.Errorf("%w: stream ended after %d of %d bytes", ErrSizeMismatch, s.n, s.size)
		return n, s.err
	case err != nil:
		s.err = fmt.Errorf("storage: read upload stream: %w", err)
		return n, s.err
	}
	return n, nil
}

// probeEnd reads one more byte from src to check that it ends at size.
func (s *sizedReader) probeEnd() error {
	if s.atEOF {
		return nil
	}
	var one [1]byte
	for range maxEmptyReads {
		n, err := s.src.Read(one[:])
		if n > 0 {
			s.err = fmt.Errorf("%w: stream is longer than %d bytes", ErrSizeMismatch, s.size)
			return s.err
		}
		if err == io.EOF {
			s.atEOF = true
			return nil
		}
		if err != nil {
			s.err = fmt.Errorf("storage: read upload stream: %w", err)
			return s.err
		}
	}
	s.err = fmt.Errorf("storage: read upload stream: %w", io.ErrNoProgress)
	return s.err
}

// finish reports whether the whole stream was consumed and matched size. It
// probes the end of src if no Read has done so yet (e.g. for size 0, or when
// the consumer stopped reading at exactly size bytes).
func (s *sizedReader) finish() error {
	if s.err != nil {
		return s.err
	}
	if s.n < s.size {
		s.err = fmt.Errorf("%w: only %d of %d bytes were read", ErrSizeMismatch, s.n, s.size)
		return s.err
	}
	return s.probeEnd()
}

// failure returns the error the reader itself has produced, if any.
func (s *sizedReader) failure() error {
	return s.err
}
