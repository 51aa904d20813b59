package api

import (
	"encoding/json"

	"github.com/danielgtaylor/huma/v2"
	"github.com/gofiber/fiber/v2"
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
