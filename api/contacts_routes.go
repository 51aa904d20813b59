package api

import (
	"context"
	"net/http"
	"strings"

	"github.com/danielgtaylor/huma/v2"
	"github.com/google/uuid"
	"github.com/kollab/kollab/workspaces/contacts"
)

// The address book routes (Adressdatenbank, workspaces/contacts):
// organisations and their contact people, with import and export as CSV
// and vCard. Staff and administrators use them; the domain refuses other
// roles (403 with a reason) and decides everything else.

func organisationResult(o *contacts.Organisation, err error) (*organisationOut, error) {
	if err != nil {
		return nil, err
	}
	return &organisationOut{ETag: etag(o.Version), Body: organisationView(o)}, nil
}

func contactResult(c *contacts.Contact, err error) (*contactOut, error) {
	if err != nil {
		return nil, err
	}
	return &contactOut{ETag: etag(c.Version), Body: contactView(c)}, nil
}

func (s *Server) contactRoutes() {
	s.addressBookFileRoutes() // before /organisations/{id}: the static paths first
	s.organisationRoutes()
	s.contactPersonRoutes()
}

// addressBookFileRoutes: import and export.
func (s *Server) addressBookFileRoutes() {
	tags := []string{"Adressverzeichnis"}
	svc := s.deps.Contacts
	register(s, member, huma.Operation{OperationID: "import-address-book", Method: http.MethodPost, Path: tenantBase + "/organisations/import",
		Tags: tags, Summary: "Import organisations and contacts from CSV or vCard: preview (writes nothing) or apply (staff, administrators)",
		Description: "CSV: one row per contact person with its organisation's columns (Organisation, Art, Straße, PLZ, Ort, Land, " +
			"E-Mail (Organisation), Telefon (Organisation), Website, Notizen (Organisation), Anrede, Titel, Vorname, Nachname, Funktion, " +
			"E-Mail, Telefon, Notizen; or their keys), other columns ignored. vCard: KIND:org cards are organisations, individuals name " +
			"theirs in ORG and ADR. Every row gets a result: created, duplicate (same contact e-mail; same organisation name and postcode, " +
			"or organisation e-mail) or invalid (field and reason). A file over 5 MiB answers 413, over 10,000 rows or unreadable 422.",
		RequestBody: importBody(), MaxBodyBytes: -1},
		func(ctx context.Context, in *importIn) (*importOut, error) {
			rep, err := svc.Import(ctx, actorOf(ctx), contacts.Format(in.Format), in.body, in.Mode == "apply")
			if err != nil {
				return nil, err
			}
			return &importOut{Body: importReportView(rep, english(in.AcceptLanguage))}, nil
		})

	register(s, member, huma.Operation{OperationID: "export-address-book", Method: http.MethodGet, Path: tenantBase + "/organisations/export",
		Tags: tags, Summary: "The whole address book as a CSV (UTF-8 with byte order mark, \";\") or vCard 4.0 file (staff, administrators)",
		Description: "Organisations by name, each followed by its contacts. More than 50,000 entries answer 413.",
		Responses:   exportResponses(), Errors: []int{http.StatusRequestEntityTooLarge}},
		func(ctx context.Context, in *exportIn) (*huma.StreamResponse, error) {
			return exportResult(svc.Export(ctx, actorOf(ctx), contacts.Format(in.Format)))
		})
}

// organisationRoutes: the organisations.
func (s *Server) organisationRoutes() {
	tags := []string{"Adressverzeichnis"}
	svc := s.deps.Contacts
	register(s, member, huma.Operation{OperationID: "list-organisations", Method: http.MethodGet, Path: tenantBase + "/organisations", Tags: tags,
		Summary: "Organisations by name, cursor-paginated, filtered by text and kind (staff, administrators)"},
		func(ctx context.Context, in *listOrganisationsIn) (*organisationsOut, error) {
			p, err := svc.ListOrganisations(ctx, actorOf(ctx), contacts.OrganisationFilter{Query: strings.Clone(in.Query),
				Kind: contacts.Kind(in.Kind), Page: contacts.Page{After: in.Cursor, Limit: in.Limit}})
			if err != nil {
				return nil, err
			}
			out := &organisationsOut{}
			out.Body.Organisations = make([]OrganisationView, len(p.Organisations))
			for i := range p.Organisations {
				out.Body.Organisations[i] = organisationView(&p.Organisations[i])
			}
			if p.More {
				out.Body.NextCursor = idPtr(p.Organisations[len(p.Organisations)-1].ID)
			}
			return out, nil
		})

	register(s, member, huma.Operation{OperationID: "create-organisation", Method: http.MethodPost, Path: tenantBase + "/organisations", Tags: tags,
		Summary: "Add an organisation (staff, administrators)", DefaultStatus: http.StatusCreated,
		Description: "One with the same name (normalised: case, spaces, punctuation) and postcode answers 409.",
		Errors:      []int{http.StatusConflict}},
		func(ctx context.Context, in *createOrganisationIn) (*organisationOut, error) {
			var oi contacts.OrganisationInput
			in.Body.apply(&oi)
			return organisationResult(svc.CreateOrganisation(ctx, actorOf(ctx), oi))
		})

	register(s, member, huma.Operation{OperationID: "get-organisation", Method: http.MethodGet, Path: tenantBase + "/organisations/{id}", Tags: tags,
		Summary: "One organisation; its version is the ETag"},
		func(ctx context.Context, in *TenantIDPath) (*organisationOut, error) {
			return organisationResult(svc.GetOrganisation(ctx, actorOf(ctx), in.ID))
		})

	register(s, member, huma.Operation{OperationID: "update-organisation", Method: http.MethodPatch, Path: tenantBase + "/organisations/{id}", Tags: tags,
		Summary:     "Change an organisation (If-Match required)",
		Description: "Absent fields stay. A stale If-Match answers 412, a name and postcode another organisation has 409.",
		Errors:      []int{http.StatusConflict}},
		func(ctx context.Context, in *updateOrganisationIn) (*organisationOut, error) {
			a := actorOf(ctx)
			cur, err := svc.GetOrganisation(ctx, a, in.ID)
			if err != nil {
				return nil, err
			}
			oi := contacts.OrganisationInput{Name: cur.Name, Kind: cur.Kind, Street: cur.Street, Postcode: cur.Postcode, City: cur.City,
				Country: cur.Country, Email: cur.Email, Phone: cur.Phone, Website: cur.Website, Notes: cur.Notes}
			in.Body.apply(&oi)
			return organisationResult(svc.UpdateOrganisation(ctx, a, in.ID, in.version, oi))
		})

	register(s, member, huma.Operation{OperationID: "delete-organisation", Method: http.MethodDelete, Path: tenantBase + "/organisations/{id}", Tags: tags,
		Summary: "Delete an organisation and its contacts (If-Match optional)", DefaultStatus: http.StatusNoContent},
		func(ctx context.Context, in *deleteIn) (*struct{}, error) {
			return nil, svc.DeleteOrganisation(ctx, actorOf(ctx), in.ID, in.version)
		})
}

// contactPersonRoutes: the contact people.
func (s *Server) contactPersonRoutes() {
	tags := []string{"Adressverzeichnis"}
	svc := s.deps.Contacts
	register(s, member, huma.Operation{OperationID: "list-contacts", Method: http.MethodGet, Path: tenantBase + "/contacts", Tags: tags,
		Summary: "Contact people by name, cursor-paginated, filtered by text or organisation (staff, administrators)"},
		func(ctx context.Context, in *listContactsIn) (*contactsOut, error) {
			p, err := svc.ListContacts(ctx, actorOf(ctx), contacts.ContactFilter{Query: strings.Clone(in.Query),
				OrganisationID: in.OrganisationID, Page: contacts.Page{After: in.Cursor, Limit: in.Limit}})
			if err != nil {
				return nil, err
			}
			out := &contactsOut{}
			out.Body.Contacts = make([]ContactView, len(p.Contacts))
			for i := range p.Contacts {
				out.Body.Contacts[i] = contactView(&p.Contacts[i])
			}
			if p.More {
				out.Body.NextCursor = idPtr(p.Contacts[len(p.Contacts)-1].ID)
			}
			return out, nil
		})

	register(s, member, huma.Operation{OperationID: "create-contact", Method: http.MethodPost, Path: tenantBase + "/contacts", Tags: tags,
		Summary: "Add a contact person to an organisation (staff, administrators)", DefaultStatus: http.StatusCreated,
		Description: "An e-mail address another contact has (case ignored) answers 409.", Errors: []int{http.StatusConflict, http.StatusNotFound}},
		func(ctx context.Context, in *createContactIn) (*contactOut, error) {
			var ci contacts.ContactInput
			in.Body.apply(&ci)
			return contactResult(svc.CreateContact(ctx, actorOf(ctx), in.Body.OrganisationID, ci))
		})

	register(s, member, huma.Operation{OperationID: "get-contact", Method: http.MethodGet, Path: tenantBase + "/contacts/{id}", Tags: tags,
		Summary: "One contact person; the version is the ETag"},
		func(ctx context.Context, in *TenantIDPath) (*contactOut, error) {
			return contactResult(svc.GetContact(ctx, actorOf(ctx), in.ID))
		})

	register(s, member, huma.Operation{OperationID: "update-contact", Method: http.MethodPatch, Path: tenantBase + "/contacts/{id}", Tags: tags,
		Summary:     "Change a contact person or move them to another organisation (If-Match required)",
		Description: "Absent fields stay. A stale If-Match answers 412, an e-mail address another contact has 409.",
		Errors:      []int{http.StatusConflict}},
		func(ctx context.Context, in *updateContactIn) (*contactOut, error) {
			a := actorOf(ctx)
			cur, err := svc.GetContact(ctx, a, in.ID)
			if err != nil {
				return nil, err
			}
			ci := contacts.ContactInput{Salutation: cur.Salutation, Title: cur.Title, GivenName: cur.GivenName, FamilyName: cur.FamilyName,
				Function: cur.Function, Email: cur.Email, Phone: cur.Phone, Notes: cur.Notes}
			in.Body.apply(&ci)
			orgID := uuid.Nil
			if in.Body.OrganisationID != nil {
				orgID = *in.Body.OrganisationID
			}
			return contactResult(svc.UpdateContact(ctx, a, in.ID, in.version, orgID, ci))
		})

	register(s, member, huma.Operation{OperationID: "delete-contact", Method: http.MethodDelete, Path: tenantBase + "/contacts/{id}", Tags: tags,
		Summary: "Delete a contact person (If-Match optional)", DefaultStatus: http.StatusNoContent},
		func(ctx context.Context, in *deleteIn) (*struct{}, error) {
			return nil, svc.DeleteContact(ctx, actorOf(ctx), in.ID, in.version)
		})
}
