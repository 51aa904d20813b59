package db

import (
	"database/sql"
	"database/sql/driver"
	"errors"
	"io"
	"net"
	"strings"
	"syscall"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/kollab/kollab/internal/errs"
	"gorm.io/driver/postgres"
	"gorm.io/gorm"
)

// IsUnreachable reports whether err means that the database could not be
// reached or dropped the connection: no connection could be made (refused,
// timed out while connecting, the server starting up or shutting down),
// the server ended the session (administrator command, crash), or the
// connection broke under a statement. Such a failure says nothing about
// the request; the same request may succeed a few seconds later.
func IsUnreachable(err error) bool {
	if err == nil {
		return false
	}
	if e := errs.As(err); e != nil {
		return e.Code == errs.Unavailable
	}
	var connect *pgconn.ConnectError
	if errors.As(err, &connect) {
		return true
	}
	var pg *pgconn.PgError
	if errors.As(err, &pg) {
		switch {
		case pg.Code == "57P01", // admin_shutdown: the server is stopping (pg_ctl stop/restart)
			pg.Code == "57P02",               // crash_shutdown: another backend crashed
			pg.Code == "57P03",               // cannot_connect_now: starting up, shutting down, in recovery
			pg.Code == "53300",               // too_many_connections
			strings.HasPrefix(pg.Code, "08"): // connection exceptions
			return true
		}
		return false
	}
	if errors.Is(err, pgconn.ErrConnClosed) || errors.Is(err, driver.ErrBadConn) || errors.Is(err, sql.ErrConnDone) ||
		errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) ||
		errors.Is(err, syscall.ECONNREFUSED) || errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.EPIPE) {
		return true
	}
	var op *net.OpError
	if errors.As(err, &op) {
		return true
	}
	return false
}

// Classify turns an error that means the database is unreachable (see
// IsUnreachable) into errs.Unavailable with a Retry-After, keeping err as
// its private cause; any other error is returned unchanged. Every query
// made through GORM is classified already; call it on errors from the
// native pool (Pgx) and from SQL.
func Classify(err error) error {
	if err == nil || !IsUnreachable(err) {
		return err
	}
	return errs.Unreachable(err)
}

// classifying is the PostgreSQL dialector with unreachable-database
// errors classified: GORM passes every error it records (statements,
// BEGIN, COMMIT, ROLLBACK) through the dialector's Translate.
type classifying struct{ *postgres.Dialector }

func (d classifying) Translate(err error) error { return Classify(d.Dialector.Translate(err)) }

// registerClassify classifies the errors GORM stores without Translate
// (Rows, Scan): a last callback on every processor.
func registerClassify(g *gorm.DB) error {
	fn := func(tx *gorm.DB) {
		if tx.Error != nil {
			tx.Error = Classify(tx.Error)
		}
	}
	cb := g.Callback()
	for _, err := range []error{
		cb.Create().Register("kollab:classify", fn),
		cb.Query().Register("kollab:classify", fn),
		cb.Update().Register("kollab:classify", fn),
		cb.Delete().Register("kollab:classify", fn),
		cb.Row().Register("kollab:classify", fn),
		cb.Raw().Register("kollab:classify", fn),
	} {
		if err != nil {
			return err
		}
	}
	return nil
}
