package oparl

// The OParl 1.1 objects Kollab publishes. Fields follow the specification
// (https://oparl.org/spezifikation/); optional fields without a value are
// left out. Back-references (AgendaItem.meeting, Membership.person, …) are
// left out where an object is embedded in its parent, as the
// specification asks.

import (
	"net/http"

	"github.com/kollab/kollab/internal/errs"
)

// Schema is the namespace of every OParl 1.1 type.
const Schema = "https://schema.oparl.org/1.1/"

// System is the API's entry point.
type System struct {
	ID           string `json:"id"`
	Type         string `json:"type"`
	OParlVersion string `json:"oparlVersion"`
	Body         string `json:"body"`
	Name         string `json:"name,omitempty"`
	Website      string `json:"website,omitempty"`
	Vendor       string `json:"vendor,omitempty"`
	Product      string `json:"product,omitempty"`
	Created      string `json:"created,omitempty"`
	Modified     string `json:"modified,omitempty"`
}

// Body is a publishing tenant.
type Body struct {
	ID                  string            `json:"id"`
	Type                string            `json:"type"`
	System              string            `json:"system"`
	ShortName           string            `json:"shortName,omitempty"`
	Name                string            `json:"name"`
	Website             string            `json:"website,omitempty"`
	Organization        string            `json:"organization"`
	Person              string            `json:"person"`
	Meeting             string            `json:"meeting"`
	Paper               string            `json:"paper"`
	AgendaItem          string            `json:"agendaItem"`
	Consultation        string            `json:"consultation"`
	File                string            `json:"file"`
	LocationList        string            `json:"locationList"`
	LegislativeTermList string            `json:"legislativeTermList"`
	Membership          string            `json:"membership"`
	LegislativeTerm     []LegislativeTerm `json:"legislativeTerm"`
	Created             string            `json:"created"`
	Modified            string            `json:"modified"`
}

// LegislativeTerm is one of a tenant's legislative terms (tenant settings).
type LegislativeTerm struct {
	ID        string `json:"id"`
	Type      string `json:"type"`
	Body      string `json:"body,omitempty"`
	Name      string `json:"name"`
	StartDate string `json:"startDate"`
	EndDate   string `json:"endDate,omitempty"`
	Created   string `json:"created"`
	Modified  string `json:"modified"`
}

// Organization is a public committee.
type Organization struct {
	ID               string   `json:"id"`
	Type             string   `json:"type"`
	Body             string   `json:"body"`
	Name             string   `json:"name"`
	Membership       []string `json:"membership"`
	Meeting          string   `json:"meeting"`
	OrganizationType string   `json:"organizationType"`
	Created          string   `json:"created"`
	Modified         string   `json:"modified"`
}

// Person is someone with a seat in a public committee: the name only.
type Person struct {
	ID         string       `json:"id"`
	Type       string       `json:"type"`
	Body       string       `json:"body"`
	Name       string       `json:"name"`
	Membership []Membership `json:"membership"`
	Created    string       `json:"created"`
	Modified   string       `json:"modified"`
}

// Membership is a seat in a public committee.
type Membership struct {
	ID           string `json:"id"`
	Type         string `json:"type"`
	Person       string `json:"person,omitempty"`
	Organization string `json:"organization"`
	Role         string `json:"role"`
	VotingRight  bool   `json:"votingRight"`
	StartDate    string `json:"startDate"`
	EndDate      string `json:"endDate,omitempty"`
	Created      string `json:"created"`
	Modified     string `json:"modified"`
}

// Meeting is a meeting of a public committee.
type Meeting struct {
	ID           string       `json:"id"`
	Type         string       `json:"type"`
	Name         string       `json:"name"`
	MeetingState string       `json:"meetingState"`
	Cancelled    bool         `json:"cancelled"`
	Start        string       `json:"start"`
	End          string       `json:"end"`
	Location     *Location    `json:"location,omitempty"`
	Organization []string     `json:"organization"`
	Participant  []string     `json:"participant,omitempty"`
	AgendaItem   []AgendaItem `json:"agendaItem"`
	Created      string       `json:"created"`
	Modified     string       `json:"modified"`
}

// AgendaItem is a public, accepted agenda item.
type AgendaItem struct {
	ID           string `json:"id"`
	Type         string `json:"type"`
	Meeting      string `json:"meeting,omitempty"`
	Number       string `json:"number"`
	Order        int    `json:"order"`
	Name         string `json:"name"`
	Public       bool   `json:"public"`
	Consultation string `json:"consultation,omitempty"`
	Result       string `json:"result,omitempty"`
	Created      string `json:"created"`
	Modified     string `json:"modified"`
}

// Paper is a document frozen as a session paper of a public agenda item.
type Paper struct {
	ID            string         `json:"id"`
	Type          string         `json:"type"`
	Body          string         `json:"body"`
	Name          string         `json:"name"`
	Reference     string         `json:"reference,omitempty"`
	Date          string         `json:"date"`
	PaperType     string         `json:"paperType"`
	MainFile      *File          `json:"mainFile,omitempty"`
	AuxiliaryFile []File         `json:"auxiliaryFile,omitempty"`
	Consultation  []Consultation `json:"consultation"`
	Created       string         `json:"created"`
	Modified      string         `json:"modified"`
}

// File is a frozen revision of a paper.
type File struct {
	ID          string   `json:"id"`
	Type        string   `json:"type"`
	Name        string   `json:"name"`
	FileName    string   `json:"fileName"`
	MimeType    string   `json:"mimeType"`
	Date        string   `json:"date"`
	Size        int64    `json:"size"`
	AccessURL   string   `json:"accessUrl"`
	DownloadURL string   `json:"downloadUrl"`
	Paper       []string `json:"paper,omitempty"`
	AgendaItem  []string `json:"agendaItem,omitempty"`
	Meeting     []string `json:"meeting,omitempty"`
	Created     string   `json:"created"`
	Modified    string   `json:"modified"`
}

// Consultation links a paper with the public agenda item it is discussed under.
type Consultation struct {
	ID           string   `json:"id"`
	Type         string   `json:"type"`
	Paper        string   `json:"paper,omitempty"`
	AgendaItem   string   `json:"agendaItem"`
	Meeting      string   `json:"meeting"`
	Organization []string `json:"organization"`
	Created      string   `json:"created"`
	Modified     string   `json:"modified"`
}

// Location is the place of a meeting.
type Location struct {
	ID          string `json:"id"`
	Type        string `json:"type"`
	Description string `json:"description"`
	Created     string `json:"created"`
	Modified    string `json:"modified"`
}

// Tombstone is a deleted object: id, type, created, modified (the time of
// deletion) and deleted, nothing else.
type Tombstone struct {
	ID       string `json:"id"`
	Type     string `json:"type"`
	Created  string `json:"created"`
	Modified string `json:"modified"`
	Deleted  bool   `json:"deleted"`
}

// problem is an RFC 9457 problem, shaped like the rest of Kollab's.
type problem struct {
	Type   string `json:"type"`
	Title  string `json:"title"`
	Status int    `json:"status"`
	Detail string `json:"detail,omitempty"`
	Code   string `json:"code"`
	Field  string `json:"field,omitempty"`
}

// newProblem is the problem of code as the one table of codes has it
// (errs.Code), in German: OParl negotiates no language. detail overrides
// the code's default text; a bad query parameter answers 400 (the JSON
// API's Invalid is 422), as this API always has.
func newProblem(code errs.Code, field string, detail errs.Msg) *problem {
	if detail.IsZero() {
		detail = code.Detail()
	}
	status := code.Status()
	if code == errs.Invalid {
		status = http.StatusBadRequest
	}
	return &problem{Type: "urn:kollab:problem:" + string(code), Title: code.Title().DE, Status: status,
		Detail: detail.DE, Code: string(code), Field: field}
}

func badParam(field string, detail errs.Msg) *problem { return newProblem(errs.Invalid, field, detail) }

var errNotFound = newProblem(errs.NotFound, "",
	errs.M("oparl.not-found", "Das angefragte Objekt gibt es nicht oder es ist nicht öffentlich.", "The requested object does not exist or is not public."))

var errInternal = newProblem(errs.Internal, "", errs.Msg{})

var errRange = newProblem(errs.RangeNotSatisfiable, "", errs.Msg{})
