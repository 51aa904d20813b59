// Package contacts is the address book (Adressdatenbank) of the workspaces
// module: a tenant-wide directory of external organisations (authorities,
// companies, associations) and their contact people, with import and
// export as CSV and vCard 4.0 (RFC 6350).
//
// Who may use it: staff and tenant admins read and write (create, change,
// delete, import); the directory serves the agency's own work with its
// partners, and every write is audited. Committee-only members and
// external partners are refused with Forbidden and a reason: the address
// book is not theirs to browse (like the member directory for partners).
// An organisation or contact of another tenant answers like an unknown
// one (NotFound).
//
// Duplicates: an organisation is a duplicate of another with the same
// normalised name and postcode, or (on import) the same e-mail address;
// a contact is a duplicate of another with the same e-mail address (case
// folded). The database holds the name/postcode and contact address rules
// as unique keys.
package contacts

import (
	"context"
	"time"

	"github.com/google/uuid"
	"github.com/kollab/kollab/internal/db"
	"github.com/kollab/kollab/internal/errs"
	"github.com/kollab/kollab/tenant"
)

// Table names.
const (
	organisationsTable = "organisations"
	contactsTable      = "contacts"
)

// Audit actions and target types of the address book.
const (
	ActionOrganisationCreated = "contacts.organisation.created"
	ActionOrganisationUpdated = "contacts.organisation.updated"
	ActionOrganisationDeleted = "contacts.organisation.deleted"
	ActionContactCreated      = "contacts.contact.created"
	ActionContactUpdated      = "contacts.contact.updated"
	ActionContactDeleted      = "contacts.contact.deleted"
	// ActionImported is one entry per applied import (with its counts),
	// not one per row.
	ActionImported = "contacts.import.applied"
	// ActionExported records who took the address book away, and in which format.
	ActionExported = "contacts.export.downloaded"

	TargetOrganisation = "organisation"
	TargetContact      = "contact"
)

// Service is the address book. Every method takes the caller as an Actor
// and runs in one transaction of the actor's tenant.
type Service struct {
	db    *db.DB
	clock func() time.Time
}

// A ServiceOption sets one of a Service's settings when it is built.
type ServiceOption func(*Service)

// WithClock sets the service's clock (default db.Now).
func WithClock(now func() time.Time) ServiceOption { return func(s *Service) { s.clock = now } }

// NewService returns the address book over d.
func NewService(d *db.DB, opts ...ServiceOption) *Service {
	s := &Service{db: d, clock: db.Now}
	for _, o := range opts {
		o(s)
	}
	return s
}

func (s *Service) now() time.Time { return s.clock().UTC().Truncate(time.Microsecond) }

// mayUse answers Forbidden, with the reason, for roles that may not use
// the address book (committee-only members and external partners).
func mayUse(a tenant.Actor) error {
	if a.Role == tenant.RoleAdmin || a.Role == tenant.RoleStaff {
		return nil
	}
	return errs.New(errs.Forbidden, errs.M("contacts.address-book-staff-only",
		"Das Adressverzeichnis steht nur Mitarbeitenden und der Administration zur Verfügung.",
		"The address book is available to staff and administrators only."))
}

// run checks the role and runs fn in the actor's tenant (tenant.Actor.Run).
func (s *Service) run(ctx context.Context, a tenant.Actor, fn func(tx *db.Tx) error) error {
	if err := mayUse(a); err != nil {
		return err
	}
	return a.Run(ctx, s.db, fn)
}

// creator is the membership recorded as creator (none for the operator).
func creator(a tenant.Actor) *uuid.UUID {
	if a.MembershipID == uuid.Nil {
		return nil
	}
	id := a.MembershipID
	return &id
}

func errNotFound() error { return errs.Plain(errs.NotFound) }

// MaxPage bounds a list page.
const MaxPage = 200

// Page asks for one page of a list: After is the last id of the previous
// page (the cursor), Limit at most MaxPage (0: 50).
type Page struct {
	After uuid.UUID
	Limit int
}

func (p Page) limit() int {
	if p.Limit <= 0 || p.Limit > MaxPage {
		return 50
	}
	return p.Limit
}

func errCursor() error {
	return errs.InvalidField("cursor", errs.M("contacts.cursor-unknown",
		"Dieser Cursor ist unbekannt: bitte die Liste von vorn laden.", "This cursor is unknown: please load the list from the start."))
}
