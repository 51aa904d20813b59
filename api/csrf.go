package api

import (
	"bytes"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/kollab/kollab/internal/errs"
	"github.com/valyala/fasthttp"
)

// CSRF protection is a signed double-submit cookie (OWASP): the token is a
// random nonce with an HMAC, under a key derived from the server's secret
// key, over the nonce and the session cookie it belongs to. A write must
// send the token both in the kollab_csrf cookie and in the X-CSRF-Token
// header, and the HMAC must match the session cookie the request carries.
// Without a session (the sign-in form) the token is signed over its nonce
// alone. Checking a token needs nothing but the key: it stays valid while
// the database restarts, on every instance that shares the secret key,
// and for exactly as long as its session. Whenever an answer sets or
// clears the session cookie (sign-in, second factor, sign-out, an ended
// session) it also sets a fresh token for the new state, so a token from
// before the sign-in never serves the signed-in session.

const (
	csrfNonceLen = 16
	csrfMACLen   = sha256.Size
	// csrfTokenLen is the length of an encoded token.
	csrfTokenLen = (csrfNonceLen + csrfMACLen + 2) / 3 * 4
)

var csrfEncoding = base64.RawURLEncoding

type csrfGuard struct {
	key    []byte
	secure bool
}

// newCSRFGuard derives the signing key from the server's secret key; with
// none (tests that build a Server by hand) a random key serves this
// process only.
func newCSRFGuard(secret []byte, secure bool) *csrfGuard {
	if len(secret) == 0 {
		secret = make([]byte, 32)
		if _, err := rand.Read(secret); err != nil {
			panic("api: no randomness for the CSRF key: " + err.Error())
		}
	}
	m := hmac.New(sha256.New, secret)
	m.Write([]byte("kollab csrf token key v1"))
	return &csrfGuard{key: m.Sum(nil), secure: secure}
}

// mac signs nonce for the session cookie value (empty: no session).
func (g *csrfGuard) mac(nonce []byte, session string) []byte {
	m := hmac.New(sha256.New, g.key)
	if session == "" {
		m.Write([]byte{'a'})
		m.Write(nonce)
	} else {
		sum := sha256.Sum256([]byte(session))
		m.Write([]byte{'s'})
		m.Write(nonce)
		m.Write(sum[:])
	}
	return m.Sum(nil)
}

// mint returns a new token for the session cookie value (empty: none).
func (g *csrfGuard) mint(session string) string {
	b := make([]byte, csrfNonceLen, csrfNonceLen+csrfMACLen)
	if _, err := rand.Read(b); err != nil {
		panic("api: no randomness for a CSRF token: " + err.Error())
	}
	return csrfEncoding.EncodeToString(append(b, g.mac(b, session)...))
}

// valid reports whether token was minted for the session cookie value.
func (g *csrfGuard) valid(token, session string) bool {
	if len(token) != csrfTokenLen {
		return false
	}
	b, err := csrfEncoding.DecodeString(token)
	if err != nil || len(b) != csrfNonceLen+csrfMACLen {
		return false
	}
	return hmac.Equal(b[csrfNonceLen:], g.mac(b[:csrfNonceLen], session))
}

func (g *csrfGuard) setCookie(c *fiber.Ctx, token string) {
	// A browser-session cookie: the token is only as good as the session
	// cookie it is bound to, which carries the session's lifetime.
	c.Cookie(&fiber.Cookie{Name: CSRFCookie, Value: token, Path: "/", Secure: g.secure,
		HTTPOnly: false, // the SPA reads it to echo it in the header
		SameSite: fiber.CookieSameSiteLaxMode, SessionOnly: true})
}

// middleware checks the token of every write that carries cookies (see
// skipCSRF), hands out the token at GET /api/v1/auth/csrf, and renews the
// token whenever the answer changes the session cookie.
func (g *csrfGuard) middleware(c *fiber.Ctx) error {
	session := strings.Clone(c.Cookies(SessionCookie))
	if c.Path() == "/api/v1/auth/csrf" && (c.Method() == fiber.MethodGet || c.Method() == fiber.MethodHead) {
		tok := strings.Clone(c.Cookies(CSRFCookie))
		if !g.valid(tok, session) {
			tok = g.mint(session)
			g.setCookie(c, tok)
		}
		c.Locals(csrfContextKey, tok)
	} else if !skipCSRF(c) {
		header, cookie := c.Get(CSRFHeader), c.Cookies(CSRFCookie)
		if header == "" || subtle.ConstantTimeCompare([]byte(header), []byte(cookie)) != 1 || !g.valid(header, session) {
			return errs.Plain(errs.CSRFFailed)
		}
	}
	err := c.Next()
	g.renew(c, session)
	return err
}

// renew sets a token for the session cookie the answer sets or clears.
func (g *csrfGuard) renew(c *fiber.Ctx, before string) {
	var set []byte
	prefix := []byte(SessionCookie + "=")
	c.Response().Header.VisitAllCookie(func(key, value []byte) {
		if string(key) == SessionCookie && bytes.HasPrefix(value, prefix) {
			set = value
		}
	})
	if set == nil {
		return
	}
	ck := fasthttp.AcquireCookie()
	defer fasthttp.ReleaseCookie(ck)
	if err := ck.ParseBytes(set); err != nil {
		return
	}
	after := string(ck.Value())
	if ck.MaxAge() < 0 || (!ck.Expire().IsZero() && ck.Expire().Before(time.Now())) {
		after = "" // cleared
	}
	if after == before && g.valid(strings.Clone(c.Cookies(CSRFCookie)), after) {
		return
	}
	g.setCookie(c, g.mint(after))
}
