package api

import (
	"bytes"
	"encoding/json"
	"io"
	"mime"
	"strings"

	"github.com/danielgtaylor/huma/v2"
	"github.com/danielgtaylor/huma/v2/adapters/humafiber"
	"github.com/gofiber/fiber/v2"
	"github.com/kollab/kollab/internal/errs"
	"github.com/kollab/kollab/internal/input"
)

// jsonFormat is huma's JSON format with the input rules in front: every
// JSON request body passes input.CheckJSON (nesting depth, NUL and control
// characters in every key and string, well-formedness) before it is decoded,
// so that no handler and no validator sees such a body. huma answers a
// refused body with 400 and the checker's message, which names the place
// but never the value.
var jsonFormat = huma.Format{
	Marshal: huma.DefaultJSONFormat.Marshal,
	Unmarshal: func(data []byte, v any) error {
		if err := input.CheckJSON(data); err != nil {
			return err
		}
		return json.Unmarshal(data, v)
	},
}

// jsonFormats are the API's formats: JSON only (application/json and any
// +json type); a body of another type is 415.
func jsonFormats() map[string]huma.Format {
	return map[string]huma.Format{"application/json": jsonFormat, "json": jsonFormat}
}

// checkRequestText refuses, before anything else looks at them, a path or
// a query string whose decoded text is not valid UTF-8 or contains control
// characters: path and query parameters are single-line values.
func checkRequestText(c *fiber.Ctx) error {
	uri := c.Request().URI()
	if err := input.CheckLine(string(uri.Path())); err != nil {
		return input.Invalid("path", err)
	}
	var err error
	uri.QueryArgs().VisitAll(func(k, v []byte) {
		if err == nil {
			if err = input.CheckLine(string(k)); err == nil {
				err = input.CheckLine(string(v))
			}
		}
	})
	if err != nil {
		return input.Invalid("query", err)
	}
	return c.Next()
}

// requireJSON is the operation middleware that answers 415 when a request
// to an operation taking a JSON body brings a body of another media type
// (text, form data, multipart): before huma reads the body, which it would
// otherwise try to parse as that type. A request without Content-Type is
// taken as JSON; one without a body needs none. Operations that take other
// types (file uploads) are not concerned.
func (s *Server) requireJSON(hctx huma.Context, next func(huma.Context)) {
	if rb := hctx.Operation().RequestBody; rb != nil && len(rb.Content) > 0 && rb.Content["application/json"] != nil {
		ct := hctx.Header("Content-Type")
		if ct != "" && humafiber.Unwrap(hctx).Request().Header.ContentLength() != 0 && !isJSON(ct) {
			s.fail(hctx, errs.Plain(errs.UnsupportedMediaType))
			return
		}
	}
	next(hctx)
}

// isJSON reports whether a Content-Type names JSON (application/json or a
// +json type such as application/merge-patch+json).
func isJSON(contentType string) bool {
	mt, _, err := mime.ParseMediaType(contentType)
	return err == nil && (mt == "application/json" || strings.HasSuffix(mt, "+json"))
}

// maxDrain is how much of a request body that no handler read is read and
// dropped after the answer, so that the connection can carry the next
// request; beyond it the connection is closed. It is large enough for an
// upload refused before its bytes were read (the object store or the
// database unreachable, the quota full) to receive its answer: closing a
// connection with unread bytes makes the kernel reset it, which can destroy
// the answer before the client reads it, and the client then sees
// "connection reset" instead of the 503 that tells it to come back.
const maxDrain = 64 << 20

// finishBody keeps the bytes of a request body that was not read (a
// request refused before its body, 401, 403, 415, 503) from being taken for
// the next request on the connection: with StreamRequestBody fasthttp
// leaves the rest of an unread body on the connection, where the client's
// bytes would be parsed as a request of their own (a request smuggled in a
// body). It reads up to maxDrain of what is left and otherwise closes the
// connection. WebDAV manages its own bodies (dav.Fiber).
func finishBody(c *fiber.Ctx) error {
	err := c.Next()
	req := c.Request()
	if !req.IsBodyStream() || bytes.HasPrefix(req.URI().Path(), []byte("/dav/")) {
		return err
	}
	if c.Response().ConnectionClose() || req.Header.ContentLength() > maxDrain {
		// The connection ends after this answer anyway (a body over the
		// limit, announced): nothing to read for.
		c.Response().SetConnectionClose()
		return err
	}
	n, rerr := io.Copy(io.Discard, io.LimitReader(req.BodyStream(), maxDrain+1))
	if rerr != nil || n > maxDrain {
		c.Response().SetConnectionClose()
	}
	return err
}
