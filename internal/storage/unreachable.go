package storage

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"syscall"

	"github.com/minio/minio-go/v7"
)

// isUnreachable reports whether a failed S3 request means that the
// service could not be reached or could not serve (connection refused or
// reset, a timeout, a network error, or the service itself answering
// 502, 503 or 504) rather than that the request was wrong.
func isUnreachable(resp minio.ErrorResponse, err error) bool {
	switch resp.StatusCode {
	case http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		return true
	}
	switch resp.Code {
	case "SlowDown", "ServiceUnavailable", "RequestTimeout":
		return true
	}
	if errors.Is(err, context.Canceled) {
		return false // the request ended, not the service
	}
	if errors.Is(err, syscall.ECONNREFUSED) || errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.EPIPE) ||
		errors.Is(err, io.ErrUnexpectedEOF) {
		return true
	}
	var ne net.Error // *net.OpError, *url.Error and timeouts
	return errors.As(err, &ne)
}
