package api_test

import (
	"net/http/httptest"
	"regexp"
	"strconv"
	"strings"

	"github.com/danielgtaylor/huma/v2"
)

var requestsMetric = regexp.MustCompile(`(?m)^kollab_http_requests_total\{method="([A-Z]+)",route="([^"]*)",status="(\d+)"\} `)

// checkDocumentedStatuses fails the test when one of its requests was
// answered with a 4xx status that the route's operation in the OpenAPI
// document does not list: every test of the package checks, through the
// server's request metrics, that the document names what the routes
// really answer (a route that can answer, say, 409 declares it in
// huma.Operation.Errors).
func (e *env) checkDocumentedStatuses() {
	e.t.Helper()
	rec := httptest.NewRecorder()
	e.srv.MetricsHandler("").ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	oapi := e.srv.API().OpenAPI()
	for _, m := range requestsMetric.FindAllStringSubmatch(rec.Body.String(), -1) {
		method, route := m[1], m[2]
		status, _ := strconv.Atoi(m[3])
		if status < 400 || status >= 500 {
			continue
		}
		item := oapi.Paths[fiberParam.ReplaceAllString(route, "{$1}")]
		if item == nil {
			continue // not an operation (unmatched paths, /dav, /oparl, the web app)
		}
		op := operationOf(item, method)
		if op == nil {
			continue
		}
		if _, ok := op.Responses[m[3]]; !ok {
			e.t.Errorf("%s %s (%s) answered %d, which its OpenAPI operation does not document: declare it in huma.Operation.Errors",
				method, route, op.OperationID, status)
		}
	}
}

func operationOf(item *huma.PathItem, method string) *huma.Operation {
	switch strings.ToUpper(method) {
	case "GET":
		return item.Get
	case "POST":
		return item.Post
	case "PUT":
		return item.Put
	case "PATCH":
		return item.Patch
	case "DELETE":
		return item.Delete
	case "HEAD":
		return item.Head
	}
	return nil
}
