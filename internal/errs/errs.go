// Package errs defines Kollab's typed domain errors. Domain packages return
// them; each Code has its HTTP status, title and default detail in one
// table (codes.go), which the JSON API, WebDAV and OParl all read. Only
// Code and Detail are ever shown to a client; the wrapped cause stays in
// the logs.
package errs

import (
	"errors"
	"fmt"
	"time"
)

// Code is a stable, client-visible error class.
type Code string

// The error classes. Each has a status, a title and a default detail in codes.go.
const (
	Invalid            Code = "invalid-input"
	NotFound           Code = "not-found"
	Conflict           Code = "conflict"
	Unauthenticated    Code = "unauthenticated"
	SessionExpired     Code = "session-expired"
	CSRFFailed         Code = "csrf-failed"
	InvalidCredentials Code = "invalid-credentials"
	SecondFactor       Code = "second-factor-required"
	InvalidCode        Code = "invalid-code"
	EnrolmentRequired  Code = "totp-enrolment-required"
	Forbidden          Code = "forbidden"
	// ReauthRequired: the action needs a fresh proof (password and second
	// factor) of the session at /me/reauth first.
	ReauthRequired     Code = "reauth-required"
	RateLimited        Code = "rate-limited"
	Locked             Code = "account-locked"
	Expired            Code = "expired"
	Deactivated        Code = "membership-deactivated"
	PreconditionFailed Code = "precondition-failed"
	TooLarge           Code = "too-large"
	// ResourceLocked: a document is checked out (or WebDAV-locked) by someone else.
	ResourceLocked Code = "resource-locked"
	// LengthRequired: an upload came without a Content-Length.
	LengthRequired Code = "length-required"
	// RangeNotSatisfiable: a Range header asked for bytes past the end.
	RangeNotSatisfiable Code = "range-not-satisfiable"
	Unavailable         Code = "unavailable"
	Internal            Code = "internal"

	// UnsupportedMediaType: a request body in a format the route does not take.
	UnsupportedMediaType Code = "unsupported-media-type"
	// MethodNotAllowed: the path exists, but not with this method.
	MethodNotAllowed Code = "method-not-allowed"
	// OtherAccount: an invitation joins only the account of the invited, verified address.
	OtherAccount Code = "invitation-other-account"
)

// Msg is a public detail: what happened and what to do, under a stable
// message id, in German (the platform's language) and English. It never
// carries request values. Declare one with M next to the code that
// raises it; TestMessageCatalog checks that every id is well-formed, has
// both texts and means the same everywhere.
type Msg struct {
	ID, DE, EN string
}

// M declares the message id with its German and English text.
func M(id, de, en string) Msg { return Msg{ID: id, DE: de, EN: en} }

// Format fills the message's fmt verbs with args in both languages. The
// args are the code's numbers (limits, sizes), never request values.
func (m Msg) Format(args ...any) Msg {
	return Msg{ID: m.ID, DE: fmt.Sprintf(m.DE, args...), EN: fmt.Sprintf(m.EN, args...)}
}

// IsZero reports whether m is the empty message (the code's default text).
func (m Msg) IsZero() bool { return m.ID == "" }

// Text is the message in English when en is set, else in German.
func (m Msg) Text(en bool) string {
	if en {
		return m.EN
	}
	return m.DE
}

// Error is a domain error with a public code and detail.
type Error struct {
	Code Code
	// Detail tells the user what to do; the zero Msg means the code's default text.
	Detail Msg
	// Field names the offending input, for Invalid.
	Field string
	// RetryAfter is set for RateLimited, Locked and Unavailable.
	RetryAfter time.Duration
	cause      error
}

func (e *Error) Error() string {
	msg := string(e.Code)
	if !e.Detail.IsZero() {
		msg += ": " + e.Detail.DE
	}
	if e.cause != nil {
		msg += ": " + e.cause.Error()
	}
	return msg
}

func (e *Error) Unwrap() error { return e.cause }

// New returns an error of the given code with a public detail.
func New(code Code, detail Msg) *Error { return &Error{Code: code, Detail: detail} }

// Plain returns an error of the given code with the code's default detail.
func Plain(code Code) *Error { return &Error{Code: code} }

// Wrap attaches a private cause to a public error.
func Wrap(code Code, detail Msg, cause error) *Error {
	return &Error{Code: code, Detail: detail, cause: cause}
}

// InvalidField reports bad input in one field.
func InvalidField(field string, detail Msg) *Error {
	return &Error{Code: Invalid, Field: field, Detail: detail}
}

// RetryLater returns a RateLimited or Locked error with a wait.
func RetryLater(code Code, wait time.Duration, detail Msg) *Error {
	return &Error{Code: code, Detail: detail, RetryAfter: wait}
}

// UnreachableRetryAfter is how long a client is asked to wait when the
// database or the object store cannot be reached: about as long as a
// database restart or a fail-over takes.
const UnreachableRetryAfter = 5 * time.Second

// Unreachable reports that a backing service (the database, the object
// store) could not be reached: Unavailable, with the cause kept private
// and a Retry-After of UnreachableRetryAfter. An error that already says
// so is returned unchanged.
func Unreachable(cause error) *Error {
	if e := As(cause); e != nil && e.Code == Unavailable {
		return e
	}
	return &Error{Code: Unavailable, RetryAfter: UnreachableRetryAfter, cause: cause}
}

// As returns the *Error in err's chain, or nil.
func As(err error) *Error {
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	return nil
}

// Is reports whether err carries the given code.
func Is(err error, code Code) bool {
	e := As(err)
	return e != nil && e.Code == code
}
