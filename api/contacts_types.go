package api

import (
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/danielgtaylor/huma/v2"
	"github.com/danielgtaylor/huma/v2/adapters/humafiber"
	"github.com/google/uuid"
	"github.com/kollab/kollab/internal/errs"
	"github.com/kollab/kollab/workspaces/contacts"
)

// Request and response types of the address book routes (contacts_routes.go).

// OrganisationView is an external organisation of the address book.
type OrganisationView struct {
	ID        uuid.UUID `json:"id" doc:"Stable: guests and consultations name the organisation by it"`
	Name      string    `json:"name"`
	Kind      string    `json:"kind" enum:"authority,company,association,other"`
	Street    string    `json:"street"`
	Postcode  string    `json:"postcode"`
	City      string    `json:"city"`
	Country   string    `json:"country"`
	Email     string    `json:"email"`
	Phone     string    `json:"phone"`
	Website   string    `json:"website"`
	Notes     string    `json:"notes"`
	Contacts  int       `json:"contacts" doc:"How many contact people it has"`
	Version   int64     `json:"version" doc:"Grows with every change; sent as ETag and expected in If-Match"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

func organisationView(o *contacts.Organisation) OrganisationView {
	return OrganisationView{ID: o.ID, Name: o.Name, Kind: string(o.Kind), Street: o.Street, Postcode: o.Postcode, City: o.City,
		Country: o.Country, Email: o.Email, Phone: o.Phone, Website: o.Website, Notes: o.Notes, Contacts: o.Contacts,
		Version: o.Version, CreatedAt: o.CreatedAt, UpdatedAt: o.UpdatedAt}
}

// ContactView is a contact person of an organisation.
type ContactView struct {
	ID               uuid.UUID `json:"id"`
	OrganisationID   uuid.UUID `json:"organisation_id"`
	OrganisationName string    `json:"organisation_name"`
	Salutation       string    `json:"salutation" doc:"Anrede, e.g. Frau, Herr"`
	Title            string    `json:"title" doc:"Academic title, e.g. Dr."`
	GivenName        string    `json:"given_name"`
	FamilyName       string    `json:"family_name"`
	DisplayName      string    `json:"display_name" doc:"Title, given and family name in one line"`
	Function         string    `json:"function" doc:"The person's function in the organisation"`
	Email            string    `json:"email"`
	Phone            string    `json:"phone"`
	Notes            string    `json:"notes"`
	Version          int64     `json:"version" doc:"Grows with every change; sent as ETag and expected in If-Match"`
	CreatedAt        time.Time `json:"created_at"`
	UpdatedAt        time.Time `json:"updated_at"`
}

func contactView(c *contacts.Contact) ContactView {
	return ContactView{ID: c.ID, OrganisationID: c.OrganisationID, OrganisationName: c.OrganisationName, Salutation: c.Salutation,
		Title: c.Title, GivenName: c.GivenName, FamilyName: c.FamilyName, DisplayName: c.DisplayName(), Function: c.Function,
		Email: c.Email, Phone: c.Phone, Notes: c.Notes, Version: c.Version, CreatedAt: c.CreatedAt, UpdatedAt: c.UpdatedAt}
}

// OrganisationFields are an organisation's fields as a client sends them
// (absent in a PATCH: unchanged).
type OrganisationFields struct {
	Name     *string `json:"name,omitempty" maxLength:"300"`
	Kind     *string `json:"kind,omitempty" enum:"authority,company,association,other" doc:"Default other"`
	Street   *string `json:"street,omitempty" maxLength:"300"`
	Postcode *string `json:"postcode,omitempty" maxLength:"20"`
	City     *string `json:"city,omitempty" maxLength:"200"`
	Country  *string `json:"country,omitempty" maxLength:"100"`
	Email    *string `json:"email,omitempty" maxLength:"320"`
	Phone    *string `json:"phone,omitempty" maxLength:"50"`
	Website  *string `json:"website,omitempty" maxLength:"2000" doc:"http:// or https://"`
	Notes    *string `json:"notes,omitempty" maxLength:"5000"`
}

// apply copies the fields sent onto in.
func (f *OrganisationFields) apply(in *contacts.OrganisationInput) {
	set := func(dst *string, v *string) {
		if v != nil {
			*dst = strings.Clone(*v)
		}
	}
	set(&in.Name, f.Name)
	kind := string(in.Kind)
	set(&kind, f.Kind)
	in.Kind = contacts.Kind(kind)
	set(&in.Street, f.Street)
	set(&in.Postcode, f.Postcode)
	set(&in.City, f.City)
	set(&in.Country, f.Country)
	set(&in.Email, f.Email)
	set(&in.Phone, f.Phone)
	set(&in.Website, f.Website)
	set(&in.Notes, f.Notes)
}

// ContactFields are a contact's fields as a client sends them (absent in a
// PATCH: unchanged).
type ContactFields struct {
	Salutation *string `json:"salutation,omitempty" maxLength:"50"`
	Title      *string `json:"title,omitempty" maxLength:"100"`
	GivenName  *string `json:"given_name,omitempty" maxLength:"200"`
	FamilyName *string `json:"family_name,omitempty" maxLength:"200" doc:"Given or family name is required"`
	Function   *string `json:"function,omitempty" maxLength:"200"`
	Email      *string `json:"email,omitempty" maxLength:"320"`
	Phone      *string `json:"phone,omitempty" maxLength:"50"`
	Notes      *string `json:"notes,omitempty" maxLength:"5000"`
}

func (f *ContactFields) apply(in *contacts.ContactInput) {
	for _, p := range []struct{ dst, v *string }{{&in.Salutation, f.Salutation}, {&in.Title, f.Title}, {&in.GivenName, f.GivenName},
		{&in.FamilyName, f.FamilyName}, {&in.Function, f.Function}, {&in.Email, f.Email}, {&in.Phone, f.Phone}, {&in.Notes, f.Notes}} {
		if p.v != nil {
			*p.dst = strings.Clone(*p.v)
		}
	}
}

type createOrganisationIn struct {
	TenantPath
	Body OrganisationFields
}

type updateOrganisationIn struct {
	TenantIDPath
	IfMatchHeader
	Body OrganisationFields
}

type deleteIn struct {
	TenantIDPath
	IfMatchHeader
}

type createContactIn struct {
	TenantPath
	Body struct {
		OrganisationID uuid.UUID `json:"organisation_id"`
		ContactFields
	}
}

type updateContactIn struct {
	TenantIDPath
	IfMatchHeader
	Body struct {
		OrganisationID *uuid.UUID `json:"organisation_id,omitempty" doc:"Moves the contact to another organisation"`
		ContactFields
	}
}

type listOrganisationsIn struct {
	TenantPath
	Query  string    `query:"q" maxLength:"200" doc:"Part of the name, city, postcode or e-mail address"`
	Kind   string    `query:"kind" enum:"authority,company,association,other," doc:"Only organisations of this kind"`
	Cursor uuid.UUID `query:"cursor" doc:"next_cursor of the previous page"`
	Limit  int       `query:"limit" minimum:"1" maximum:"200" default:"50"`
}

type listContactsIn struct {
	TenantPath
	Query          string    `query:"q" maxLength:"200" doc:"Part of the name, function or e-mail address"`
	OrganisationID uuid.UUID `query:"organisation_id" doc:"Only the contacts of this organisation"`
	Cursor         uuid.UUID `query:"cursor" doc:"next_cursor of the previous page"`
	Limit          int       `query:"limit" minimum:"1" maximum:"200" default:"50"`
}

type organisationOut struct {
	ETag string `header:"ETag" doc:"The organisation's version, for If-Match"`
	Body OrganisationView
}

type organisationsOut struct {
	Body struct {
		Organisations []OrganisationView `json:"organisations" nullable:"false"`
		NextCursor    *uuid.UUID         `json:"next_cursor,omitempty" doc:"Absent on the last page"`
	}
}

type contactOut struct {
	ETag string `header:"ETag" doc:"The contact's version, for If-Match"`
	Body ContactView
}

type contactsOut struct {
	Body struct {
		Contacts   []ContactView `json:"contacts" nullable:"false"`
		NextCursor *uuid.UUID    `json:"next_cursor,omitempty" doc:"Absent on the last page"`
	}
}

// ImportQuery is an import's format and step; the file is the raw body.
type ImportQuery struct {
	Format         string `query:"format" required:"true" enum:"csv,vcard"`
	Mode           string `query:"mode" required:"true" enum:"preview,apply" doc:"preview checks every row and writes nothing; apply creates"`
	AcceptLanguage string `header:"Accept-Language" maxLength:"200"`
	body           io.Reader
}

// Resolve implements huma.Resolver: it takes the body as a stream; one
// that announces more than the import's limit is refused at once.
func (q *ImportQuery) Resolve(hctx huma.Context) []error {
	if humafiber.Unwrap(hctx).Request().Header.ContentLength() > contacts.MaxImportBytes {
		p, _ := problemFromError(errs.New(errs.TooLarge, errs.M("api.import-too-large", "Die Datei ist zu groß: höchstens %d MiB auf einmal.",
			"The file is too large: at most %d MiB at a time.").Format(contacts.MaxImportBytes>>20)), english(hctx.Header("Accept-Language")))
		return []error{p}
	}
	q.body = hctx.BodyReader()
	return nil
}

type importIn struct {
	TenantPath
	ImportQuery
}

// importBody documents the raw body of an import.
func importBody() *huma.RequestBody {
	bin := &huma.Schema{Type: "string", Format: "binary"}
	return &huma.RequestBody{Required: true, Description: "The file: CSV (UTF-8, header row, \";\" or \",\" between cells, a byte order mark is fine) " +
		"or vCard 3.0/4.0; at most 5 MiB and 10,000 rows or cards.",
		Content: map[string]*huma.MediaType{"text/csv": {Schema: bin}, "text/vcard": {Schema: bin}}}
}

// ImportRowView is the outcome of one row (CSV) or card (vCard).
type ImportRowView struct {
	Row                 int        `json:"row" doc:"CSV: the row's line in the spreadsheet (the header is line 1); vCard: the card's number (from 1)"`
	Status              string     `json:"status" enum:"created,duplicate,invalid"`
	OrganisationID      *uuid.UUID `json:"organisation_id,omitempty" doc:"The organisation created or matched (absent in a preview when it would be created)"`
	OrganisationCreated bool       `json:"organisation_created,omitempty"`
	ContactID           *uuid.UUID `json:"contact_id,omitempty" doc:"The contact created (never in a preview)"`
	DuplicateOf         *uuid.UUID `json:"duplicate_of,omitempty" doc:"The existing organisation or contact (absent in a preview when it came from an earlier row)"`
	DuplicateKind       string     `json:"duplicate_kind,omitempty" enum:"organisation,contact,"`
	Field               string     `json:"field,omitempty" doc:"The column of an invalid row (its key, e.g. postcode, email, organisation_email)"`
	Reason              string     `json:"reason,omitempty" doc:"Why the row is invalid (never repeating its values)"`
	ReasonID            string     `json:"reason_id,omitempty"`
}

// ImportReportView is the outcome of an import.
type ImportReportView struct {
	Applied    bool            `json:"applied" doc:"false for a preview: nothing was written"`
	Created    int             `json:"created"`
	Duplicates int             `json:"duplicates"`
	Invalid    int             `json:"invalid"`
	Rows       []ImportRowView `json:"rows" nullable:"false"`
}

func idPtr(id uuid.UUID) *uuid.UUID {
	if id == uuid.Nil {
		return nil
	}
	return &id
}

func importReportView(r *contacts.ImportReport, en bool) ImportReportView {
	v := ImportReportView{Applied: r.Applied, Created: r.Created, Duplicates: r.Duplicates, Invalid: r.Invalid,
		Rows: make([]ImportRowView, len(r.Rows))}
	for i, row := range r.Rows {
		v.Rows[i] = ImportRowView{Row: row.Row, Status: string(row.Status), OrganisationID: idPtr(row.OrganisationID),
			OrganisationCreated: row.OrganisationCreated, ContactID: idPtr(row.ContactID), DuplicateOf: idPtr(row.DuplicateOf),
			DuplicateKind: row.DuplicateKind, Field: row.Field, ReasonID: row.Reason.ID}
		if !row.Reason.IsZero() {
			v.Rows[i].Reason = row.Reason.Text(en)
		}
	}
	return v
}

type importOut struct{ Body ImportReportView }

type exportIn struct {
	TenantPath
	Format string `query:"format" required:"true" enum:"csv,vcard"`
}

// exportResponses documents an export's file.
func exportResponses() map[string]*huma.Response {
	bin := &huma.Schema{Type: "string", Format: "binary"}
	return map[string]*huma.Response{"200": {Description: "The file (Content-Disposition names it)",
		Content: map[string]*huma.MediaType{"text/csv": {Schema: bin}, "text/vcard": {Schema: bin}}}}
}

// exportResult sends an export as a download.
func exportResult(x *contacts.Export, err error) (*huma.StreamResponse, error) {
	if err != nil {
		return nil, err
	}
	return &huma.StreamResponse{Body: func(hctx huma.Context) {
		c := humafiber.Unwrap(hctx)
		h := &c.Response().Header
		h.Set("Content-Type", x.ContentType)
		h.Set("Content-Disposition", `attachment; filename="`+x.FileName+`"`)
		h.Set("Cache-Control", "private, no-store")
		h.Set("X-Content-Type-Options", "nosniff")
		c.Status(http.StatusOK)
		c.Response().SetBody(x.Data)
	}}, nil
}
