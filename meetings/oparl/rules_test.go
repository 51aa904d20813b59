package oparl_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/url"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/kollab/kollab/meetings/oparl"
)

// The OParl 1.1 object rules, encoded from the specification
// (https://oparl.org/spezifikation/, chapter "Schema"): for each type its
// fields, their types, what they refer to and which are required. Every
// object the API answers must pass them; a field that is not in the table
// is an error too (so nothing unplanned, an e-mail address say, slips out).

// kind of a field's value.
type vk int

const (
	vURL      vk = iota // absolute http(s) URL; ref: the type it identifies, "" an outside page
	vURLs               // array of those
	vList               // URL of an external list of ref objects
	vObject             // embedded ref object
	vObjects            // array of embedded ref objects
	vString             // non-empty string
	vStrings            // array of strings
	vBool               // true or false
	vInt                // integer ≥ 0
	vDateTime           // RFC 3339 date-time with a zone
	vDate               // YYYY-MM-DD
	vAny                // any JSON (GeoJSON)
)

type rule struct {
	k   vk
	ref string
	// req: required; alone: required where the object is not embedded in
	// its parent (the back-references the specification leaves out there).
	req, alone bool
}

func r(k vk, ref string) rule     { return rule{k: k, ref: ref} }
func req(k vk, ref string) rule   { return rule{k: k, ref: ref, req: true} }
func alone(k vk, ref string) rule { return rule{k: k, ref: ref, alone: true} }

// common are the fields every type has: id and type are required, and so,
// since OParl 1.1, are created and modified (System excepted).
var common = map[string]rule{
	"id": req(vURL, ""), "type": req(vString, ""), "created": req(vDateTime, ""), "modified": req(vDateTime, ""),
	"keyword": r(vStrings, ""), "web": r(vURL, ""), "deleted": r(vBool, ""), "license": r(vURL, ""),
}

var rules = map[string]map[string]rule{
	"System": {
		"oparlVersion": req(vString, ""), "body": req(vList, "Body"), "otherOparlVersions": r(vURLs, "System"),
		"name": r(vString, ""), "contactEmail": r(vString, ""), "contactName": r(vString, ""),
		"website": r(vURL, ""), "vendor": r(vURL, ""), "product": r(vURL, ""),
		"created": r(vDateTime, ""), "modified": r(vDateTime, ""),
	},
	"Body": {
		"system": r(vURL, "System"), "shortName": r(vString, ""), "name": req(vString, ""), "website": r(vURL, ""),
		"licenseValidSince": r(vDateTime, ""), "oparlSince": r(vDateTime, ""), "ags": r(vString, ""), "rgs": r(vString, ""),
		"equivalent": r(vURLs, ""), "contactEmail": r(vString, ""), "contactName": r(vString, ""),
		"organization": req(vList, "Organization"), "person": req(vList, "Person"), "meeting": req(vList, "Meeting"),
		"paper": req(vList, "Paper"), "legislativeTerm": req(vObjects, "LegislativeTerm"),
		"agendaItem": req(vList, "AgendaItem"), "consultation": req(vList, "Consultation"), "file": req(vList, "File"),
		"locationList": req(vList, "Location"), "legislativeTermList": req(vList, "LegislativeTerm"),
		"membership": req(vList, "Membership"), "classification": r(vString, ""), "location": r(vObject, "Location"),
	},
	"LegislativeTerm": {
		"body": alone(vURL, "Body"), "name": r(vString, ""), "startDate": r(vDate, ""), "endDate": r(vDate, ""),
	},
	"Organization": {
		"body": r(vURL, "Body"), "name": r(vString, ""), "membership": r(vURLs, "Membership"), "meeting": r(vList, "Meeting"),
		"consultation": r(vList, "Consultation"), "shortName": r(vString, ""), "post": r(vStrings, ""),
		"subOrganizationOf": r(vURL, "Organization"), "organizationType": r(vString, ""), "classification": r(vString, ""),
		"startDate": r(vDate, ""), "endDate": r(vDate, ""), "website": r(vURL, ""), "location": r(vObject, "Location"),
		"externalBody": r(vURL, "Body"),
	},
	"Person": {
		"body": r(vURL, "Body"), "name": r(vString, ""), "familyName": r(vString, ""), "givenName": r(vString, ""),
		"formOfAddress": r(vString, ""), "affix": r(vString, ""), "title": r(vStrings, ""), "gender": r(vString, ""),
		"phone": r(vStrings, ""), "email": r(vStrings, ""), "location": r(vURL, "Location"), "locationObject": r(vObject, "Location"),
		"status": r(vStrings, ""), "membership": r(vObjects, "Membership"), "life": r(vString, ""), "lifeSource": r(vString, ""),
	},
	"Membership": {
		"person": alone(vURL, "Person"), "organization": r(vURL, "Organization"), "role": r(vString, ""),
		"votingRight": r(vBool, ""), "startDate": r(vDate, ""), "endDate": r(vDate, ""), "onBehalfOf": r(vURL, "Organization"),
	},
	"Meeting": {
		"name": r(vString, ""), "meetingState": r(vString, ""), "cancelled": r(vBool, ""), "start": r(vDateTime, ""),
		"end": r(vDateTime, ""), "location": r(vObject, "Location"), "organization": r(vURLs, "Organization"),
		"participant": r(vURLs, "Person"), "invitation": r(vObject, "File"), "resultsProtocol": r(vObject, "File"),
		"verbatimProtocol": r(vObject, "File"), "auxiliaryFile": r(vObjects, "File"), "agendaItem": r(vObjects, "AgendaItem"),
	},
	"AgendaItem": {
		"meeting": alone(vURL, "Meeting"), "number": r(vString, ""), "order": req(vInt, ""), "name": r(vString, ""),
		"public": r(vBool, ""), "consultation": r(vURL, "Consultation"), "result": r(vString, ""),
		"resolutionText": r(vString, ""), "resolutionFile": r(vObject, "File"), "auxiliaryFile": r(vObjects, "File"),
		"start": r(vDateTime, ""), "end": r(vDateTime, ""),
	},
	"Paper": {
		"body": r(vURL, "Body"), "name": r(vString, ""), "reference": r(vString, ""), "date": r(vDate, ""),
		"paperType": r(vString, ""), "relatedPaper": r(vURLs, "Paper"), "superordinatedPaper": r(vURLs, "Paper"),
		"subordinatedPaper": r(vURLs, "Paper"), "mainFile": r(vObject, "File"), "auxiliaryFile": r(vObjects, "File"),
		"location": r(vObjects, "Location"), "originatorPerson": r(vURLs, "Person"), "underDirectionOf": r(vURLs, "Organization"),
		"originatorOrganization": r(vURLs, "Organization"), "consultation": r(vObjects, "Consultation"),
	},
	"Consultation": {
		"paper": alone(vURL, "Paper"), "agendaItem": r(vURL, "AgendaItem"), "meeting": r(vURL, "Meeting"),
		"organization": r(vURLs, "Organization"), "authoritative": r(vBool, ""), "role": r(vString, ""),
	},
	"File": {
		"name": r(vString, ""), "fileName": r(vString, ""), "mimeType": r(vString, ""), "date": r(vDate, ""),
		"size": r(vInt, ""), "sha1Checksum": r(vString, ""), "sha512Checksum": r(vString, ""), "text": r(vString, ""),
		"accessUrl": req(vURL, "download"), "downloadUrl": r(vURL, "download"), "externalServiceUrl": r(vURL, ""),
		"masterFile": r(vURL, "File"), "derivativeFile": r(vURLs, "File"), "fileLicense": r(vURL, ""),
		"meeting": r(vURLs, "Meeting"), "agendaItem": r(vURLs, "AgendaItem"), "paper": r(vURLs, "Paper"),
	},
	"Location": {
		"description": r(vString, ""), "geojson": r(vAny, ""), "streetAddress": r(vString, ""), "room": r(vString, ""),
		"postalCode": r(vString, ""), "subLocality": r(vString, ""), "locality": r(vString, ""),
		"bodies": r(vURLs, "Body"), "organizations": r(vURLs, "Organization"), "persons": r(vURLs, "Person"),
		"meetings": r(vURLs, "Meeting"), "papers": r(vURLs, "Paper"),
	},
}

// ruleOf returns a type's rule for a field.
func ruleOf(typ, field string) (rule, bool) {
	if fr, ok := rules[typ][field]; ok {
		return fr, true
	}
	fr, ok := common[field]
	return fr, ok
}

// link is a URL found in an answer and what it must lead to: an object of
// a type, an external list of a type ("list:Type"), or file bytes ("download").
type link struct{ url, want string }

// checker validates answers and collects the links in them.
type checker struct {
	t      *testing.T
	errs   []string
	links  []link
	inList map[string]string // object id → its JSON as a list element
	// embedded: object id → its JSON wherever it was embedded.
	embedded map[string][]string
}

// backRefs are the fields an embedded object leaves out (they point at
// the parent it is embedded in).
var backRefs = map[string][]string{"Membership": {"person"}, "AgendaItem": {"meeting"}, "Consultation": {"paper"},
	"LegislativeTerm": {"body"}, "File": {"paper", "agendaItem", "meeting"}}

func (c *checker) failf(where, format string, args ...any) {
	c.errs = append(c.errs, where+": "+fmt.Sprintf(format, args...))
}

var dateRE = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`)

// apiURL reports whether s is one of the API's own absolute URLs.
func apiURL(s string) bool { return strings.HasPrefix(s, apiBase+"/") }

func absURL(s string) bool {
	u, err := url.Parse(s)
	return err == nil && u.IsAbs() && (u.Scheme == "https" || u.Scheme == "http") && u.Host != ""
}

// object validates an OParl object of type typ; embedded says whether it
// sits inside its parent.
func (c *checker) object(where string, v any, typ string, embedded bool) {
	o, ok := v.(map[string]any)
	if !ok {
		c.failf(where, "%s is not an object", typ)
		return
	}
	if rules[typ] == nil {
		c.failf(where, "no rules for type %q", typ)
		return
	}
	if got := o["type"]; got != oparl.Schema+typ {
		c.failf(where, "type %v, want %s", got, oparl.Schema+typ)
	}
	id, _ := o["id"].(string)
	where = where + " " + id
	if !apiURL(id) {
		c.failf(where, "id %q is not an absolute API URL", id)
	}
	if o["deleted"] == true {
		// A tombstone keeps id, type, created and modified, and nothing else.
		keys := []string{}
		for k := range o {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		if strings.Join(keys, ",") != "created,deleted,id,modified,type" {
			c.failf(where, "tombstone with fields %v", keys)
		}
		for _, f := range []string{"created", "modified"} {
			c.value(where+"."+f, o[f], rule{k: vDateTime})
		}
		return
	}
	required := map[string]bool{}
	for _, set := range []map[string]rule{common, rules[typ]} {
		for name := range set {
			fr, _ := ruleOf(typ, name)
			if fr.req || (fr.alone && !embedded) {
				required[name] = true
			}
		}
	}
	for name := range required {
		if _, ok := o[name]; !ok {
			c.failf(where, "required field %s missing", name)
		}
	}
	for name, val := range o {
		fr, ok := ruleOf(typ, name)
		if !ok {
			c.failf(where, "field %s is not an OParl 1.1 field of %s", name, typ)
			continue
		}
		if name == "id" || name == "type" {
			continue
		}
		c.value(where+"."+name, val, fr)
	}
}

// value validates one field's value against its rule.
func (c *checker) value(where string, v any, fr rule) {
	switch fr.k {
	case vURL:
		s, ok := v.(string)
		if !ok || !absURL(s) {
			c.failf(where, "%v is not an absolute URL", v)
			return
		}
		if fr.ref != "" {
			if !apiURL(s) {
				c.failf(where, "%s does not point into the API", s)
			}
			c.links = append(c.links, link{s, fr.ref})
		}
	case vURLs:
		arr, ok := v.([]any)
		if !ok {
			c.failf(where, "%v is not an array", v)
			return
		}
		for i, x := range arr {
			c.value(fmt.Sprintf("%s[%d]", where, i), x, rule{k: vURL, ref: fr.ref})
		}
	case vList:
		s, ok := v.(string)
		if !ok || !apiURL(s) {
			c.failf(where, "%v is not a list URL of the API", v)
			return
		}
		c.links = append(c.links, link{s, "list:" + fr.ref})
	case vObject:
		c.object(where, v, fr.ref, true)
		if o, ok := v.(map[string]any); ok {
			if id, ok := o["id"].(string); ok {
				c.links = append(c.links, link{id, fr.ref})
				if c.embedded != nil {
					b, _ := json.Marshal(o)
					c.embedded[id] = append(c.embedded[id], string(b))
				}
			}
		}
	case vObjects:
		arr, ok := v.([]any)
		if !ok {
			c.failf(where, "%v is not an array", v)
			return
		}
		for i, x := range arr {
			c.value(fmt.Sprintf("%s[%d]", where, i), x, rule{k: vObject, ref: fr.ref})
		}
	case vString:
		if s, ok := v.(string); !ok || s == "" {
			c.failf(where, "%v is not a non-empty string", v)
		}
	case vStrings:
		arr, ok := v.([]any)
		if !ok {
			c.failf(where, "%v is not an array", v)
			return
		}
		for i, x := range arr {
			c.value(fmt.Sprintf("%s[%d]", where, i), x, rule{k: vString})
		}
	case vBool:
		if _, ok := v.(bool); !ok {
			c.failf(where, "%v is not a boolean", v)
		}
	case vInt:
		n, ok := v.(json.Number)
		if i, err := n.Int64(); !ok || err != nil || i < 0 {
			c.failf(where, "%v is not a non-negative integer", v)
		}
	case vDateTime:
		s, ok := v.(string)
		if _, err := time.Parse(time.RFC3339, s); !ok || err != nil {
			c.failf(where, "%v is not an RFC 3339 date-time", v)
		}
	case vDate:
		s, ok := v.(string)
		if _, err := time.Parse(time.DateOnly, s); !ok || err != nil || !dateRE.MatchString(s) {
			c.failf(where, "%v is not a date", v)
		}
	case vAny:
	}
}

// list validates one page of an external list of typ and returns its
// pagination and links; every element is validated as a standalone object.
func (c *checker) list(where string, v any, typ string) (pg map[string]int, links map[string]string, ids []string) {
	o, ok := v.(map[string]any)
	if !ok {
		c.failf(where, "list is not an object")
		return nil, nil, nil
	}
	keys := []string{}
	for k := range o {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	if strings.Join(keys, ",") != "data,links,pagination" {
		c.failf(where, "list has fields %v, want data, pagination and links", keys)
	}
	data, ok := o["data"].([]any)
	if !ok {
		c.failf(where, "data is not an array")
	}
	pg = map[string]int{}
	p, _ := o["pagination"].(map[string]any)
	for _, f := range []string{"totalElements", "elementsPerPage", "currentPage", "totalPages"} {
		n, ok := p[f].(json.Number)
		i, err := n.Int64()
		if !ok || err != nil || i < 0 {
			c.failf(where, "pagination.%s = %v", f, p[f])
		}
		pg[f] = int(i)
	}
	if pg["elementsPerPage"] < 1 || pg["currentPage"] < 1 || pg["currentPage"] > pg["totalPages"] {
		c.failf(where, "pagination %v inconsistent", pg)
	}
	if want := max(1, (pg["totalElements"]+pg["elementsPerPage"]-1)/max(1, pg["elementsPerPage"])); pg["totalPages"] != want {
		c.failf(where, "totalPages %d, want %d", pg["totalPages"], want)
	}
	wantLen := pg["elementsPerPage"]
	if pg["currentPage"] == pg["totalPages"] {
		wantLen = pg["totalElements"] - pg["elementsPerPage"]*(pg["totalPages"]-1)
	}
	if len(data) != wantLen {
		c.failf(where, "page has %d elements, want %d (%v)", len(data), wantLen, pg)
	}
	links = map[string]string{}
	l, _ := o["links"].(map[string]any)
	for k, x := range l {
		s, ok := x.(string)
		if !ok || !apiURL(s) {
			c.failf(where, "links.%s = %v is not an API URL", k, x)
		}
		links[k] = s
	}
	for _, k := range []string{"first", "self", "last"} {
		if links[k] == "" {
			c.failf(where, "links.%s missing", k)
		}
	}
	if (links["next"] != "") != (pg["currentPage"] < pg["totalPages"]) {
		c.failf(where, "links.next %q on page %d of %d", links["next"], pg["currentPage"], pg["totalPages"])
	}
	if (links["prev"] != "") != (pg["currentPage"] > 1) {
		c.failf(where, "links.prev %q on page %d", links["prev"], pg["currentPage"])
	}
	for i, el := range data {
		c.object(fmt.Sprintf("%s data[%d]", where, i), el, typ, false)
		if eo, ok := el.(map[string]any); ok {
			id, _ := eo["id"].(string)
			ids = append(ids, id)
			c.links = append(c.links, link{id, typ})
			if c.inList != nil {
				b, _ := json.Marshal(el)
				c.inList[id] = string(b)
			}
		}
	}
	return pg, links, ids
}

// decode parses an answer with numbers kept as json.Number.
func decode(t *testing.T, b []byte) any {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		t.Fatalf("not JSON: %v: %s", err, b)
	}
	return v
}
