package contacts

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/kollab/kollab/internal/db"
	"github.com/kollab/kollab/internal/errs"
	"github.com/kollab/kollab/tenant"
)

// Contact is a contact person of an organisation.
type Contact struct {
	TenantID       uuid.UUID  `gorm:"column:tenant_id"`
	ID             uuid.UUID  `gorm:"column:id"`
	OrganisationID uuid.UUID  `gorm:"column:organisation_id"`
	Salutation     string     `gorm:"column:salutation"`
	Title          string     `gorm:"column:title"`
	GivenName      string     `gorm:"column:given_name"`
	FamilyName     string     `gorm:"column:family_name"`
	SortKey        string     `gorm:"column:sort_key"`
	Function       string     `gorm:"column:job_function"`
	Email          string     `gorm:"column:email"`
	EmailKey       string     `gorm:"column:email_key"`
	Phone          string     `gorm:"column:phone"`
	Notes          string     `gorm:"column:notes"`
	Version        int64      `gorm:"column:version"`
	CreatedAt      time.Time  `gorm:"column:created_at"`
	CreatedBy      *uuid.UUID `gorm:"column:created_by"`
	UpdatedAt      time.Time  `gorm:"column:updated_at"`
	// OrganisationName is the organisation's name (reads only).
	OrganisationName string `gorm:"column:organisation_name;->"`
}

// OwnerTenant implements db.TenantOwned.
func (c *Contact) OwnerTenant() uuid.UUID { return c.TenantID }

func (c *Contact) input() ContactInput {
	return ContactInput{Salutation: c.Salutation, Title: c.Title, GivenName: c.GivenName, FamilyName: c.FamilyName,
		Function: c.Function, Email: c.Email, Phone: c.Phone, Notes: c.Notes}
}

// DisplayName is the contact's name as a line: "Dr. Erika Mustermann".
func (c *Contact) DisplayName() string {
	return strings.Join(strings.Fields(c.Title+" "+c.GivenName+" "+c.FamilyName), " ")
}

func (in *ContactInput) details(orgID uuid.UUID) map[string]string {
	return map[string]string{"name": strings.Join(strings.Fields(in.GivenName+" "+in.FamilyName), " "), "organisation_id": orgID.String()}
}

func errContactExists() error {
	return errs.New(errs.Conflict, errs.M("contacts.contact-email-exists", "Eine Kontaktperson mit dieser E-Mail-Adresse gibt es bereits.",
		"A contact with this e-mail address exists already."))
}

// contactColumns reads a contact with its organisation's name.
const contactColumns = "contacts.*, (SELECT o.name FROM organisations o WHERE o.tenant_id = @tenant AND o.id = contacts.organisation_id) AS organisation_name"

func loadContact(tx *db.Tx, id uuid.UUID) (*Contact, error) {
	var rows []Contact
	if err := tx.Table(contactsTable).Select("?", tx.Expr(contactColumns)).Where("id = ?", id).Limit(1).Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("contacts: load contact: %w", err)
	}
	if len(rows) == 0 {
		return nil, errNotFound()
	}
	return &rows[0], nil
}

// contactByEmail finds a contact by its address (folded).
func contactByEmail(tx *db.Tx, key string) (uuid.UUID, error) {
	if key == "" {
		return uuid.Nil, nil
	}
	var ids []uuid.UUID
	err := tx.Table(contactsTable).Where("email_key = ? AND email_key <> ''", key).Limit(1).Pluck("id", &ids).Error
	if err != nil || len(ids) == 0 {
		return uuid.Nil, err
	}
	return ids[0], nil
}

// OrganisationExists answers NotFound, in a transaction of another
// module of the tenant, for an organisation that is not in the address
// book: the seam for guests and consultations, which name organisations
// by id (the caller has checked the actor's right to name one).
func OrganisationExists(tx *db.Tx, id uuid.UUID) error { return organisationExists(tx, id) }

// organisationExists answers NotFound for an organisation that is not there.
func organisationExists(tx *db.Tx, id uuid.UUID) error {
	var n int64
	if err := tx.Table(organisationsTable).Where("id = ?", id).Count(&n).Error; err != nil {
		return fmt.Errorf("contacts: find organisation: %w", err)
	}
	if n != 1 {
		return errNotFound()
	}
	return nil
}

// newContact is a new row for a validated contact.
func newContact(a tenant.Actor, orgID uuid.UUID, in *ContactInput, now time.Time) *Contact {
	return &Contact{TenantID: a.TenantID, ID: db.NewID(), OrganisationID: orgID, Salutation: in.Salutation, Title: in.Title,
		GivenName: in.GivenName, FamilyName: in.FamilyName, SortKey: sortKey(in), Function: in.Function, Email: in.Email,
		EmailKey: emailKey(in.Email), Phone: in.Phone, Notes: in.Notes, Version: 1, CreatedAt: now, CreatedBy: creator(a), UpdatedAt: now}
}

// insertContact writes a validated contact.
func (s *Service) insertContact(tx *db.Tx, a tenant.Actor, orgID uuid.UUID, in *ContactInput) (*Contact, error) {
	c := newContact(a, orgID, in, s.now())
	if err := tx.Create(contactsTable, c); err != nil {
		if db.IsUniqueViolation(err) {
			return nil, errContactExists()
		}
		return nil, fmt.Errorf("contacts: create contact: %w", err)
	}
	return c, nil
}

// CreateContact adds a contact person to an organisation; one with an
// address another contact has answers Conflict.
func (s *Service) CreateContact(ctx context.Context, a tenant.Actor, orgID uuid.UUID, in ContactInput) (*Contact, error) {
	if err := in.validate(); err != nil {
		return nil, err
	}
	var out *Contact
	err := s.run(ctx, a, func(tx *db.Tx) error {
		if err := organisationExists(tx, orgID); err != nil {
			return err
		}
		if id, err := contactByEmail(tx, emailKey(in.Email)); err != nil || id != uuid.Nil {
			if err == nil {
				err = errContactExists()
			}
			return err
		}
		c, err := s.insertContact(tx, a, orgID, &in)
		if err != nil {
			return err
		}
		if err := a.Record(ctx, tx, ActionContactCreated, TargetContact, c.ID, in.details(orgID)); err != nil {
			return err
		}
		out, err = loadContact(tx, c.ID)
		return err
	})
	return out, err
}

// GetContact reads one contact.
func (s *Service) GetContact(ctx context.Context, a tenant.Actor, id uuid.UUID) (*Contact, error) {
	var out *Contact
	err := s.run(ctx, a, func(tx *db.Tx) error {
		var err error
		out, err = loadContact(tx, id)
		return err
	})
	return out, err
}

// UpdateContact replaces a contact's fields and may move it to another
// organisation (orgID; uuid.Nil keeps it). ifMatch is required.
func (s *Service) UpdateContact(ctx context.Context, a tenant.Actor, id uuid.UUID, ifMatch int64, orgID uuid.UUID, in ContactInput) (*Contact, error) {
	if err := in.validate(); err != nil {
		return nil, err
	}
	var out *Contact
	err := s.run(ctx, a, func(tx *db.Tx) error {
		cur, err := loadContact(tx, id)
		if err != nil {
			return err
		}
		if orgID == uuid.Nil {
			orgID = cur.OrganisationID
		} else if err := organisationExists(tx, orgID); err != nil {
			return err
		}
		if err := checkVersion(ifMatch, cur.Version, true); err != nil {
			return err
		}
		n, err := tx.ExecCount(`UPDATE contacts SET organisation_id = ?, salutation = ?, title = ?, given_name = ?, family_name = ?,
			sort_key = ?, job_function = ?, email = ?, email_key = ?, phone = ?, notes = ?, version = version + 1, updated_at = ?
			WHERE tenant_id = @tenant AND id = ? AND version = ?`,
			orgID, in.Salutation, in.Title, in.GivenName, in.FamilyName, sortKey(&in), in.Function, in.Email, emailKey(in.Email),
			in.Phone, in.Notes, s.now(), id, cur.Version)
		if db.IsUniqueViolation(err) {
			return errContactExists()
		}
		if err != nil {
			return fmt.Errorf("contacts: update contact: %w", err)
		}
		if n != 1 {
			return errs.Plain(errs.PreconditionFailed)
		}
		if err := a.Record(ctx, tx, ActionContactUpdated, TargetContact, id, in.details(orgID)); err != nil {
			return err
		}
		out, err = loadContact(tx, id)
		return err
	})
	return out, err
}

// DeleteContact deletes a contact (ifMatch 0: any version).
func (s *Service) DeleteContact(ctx context.Context, a tenant.Actor, id uuid.UUID, ifMatch int64) error {
	return s.run(ctx, a, func(tx *db.Tx) error {
		cur, err := loadContact(tx, id)
		if err != nil {
			return err
		}
		if err := checkVersion(ifMatch, cur.Version, false); err != nil {
			return err
		}
		if _, err := tx.ExecCount("DELETE FROM contacts WHERE tenant_id = @tenant AND id = ?", id); err != nil {
			return fmt.Errorf("contacts: delete contact: %w", err)
		}
		in := cur.input()
		return a.Record(ctx, tx, ActionContactDeleted, TargetContact, id, in.details(cur.OrganisationID))
	})
}

// ContactFilter narrows the list: Query is part of the name, function or
// e-mail address; OrganisationID one organisation's contacts (one that
// is not there answers NotFound).
type ContactFilter struct {
	Query          string
	OrganisationID uuid.UUID
	Page
}

// ContactPage is one page of contacts by family and given name.
type ContactPage struct {
	Contacts []Contact
	More     bool
}

// ListContacts lists contacts by name, a page at a time.
func (s *Service) ListContacts(ctx context.Context, a tenant.Actor, f ContactFilter) (*ContactPage, error) {
	q, err := checkQuery(f.Query)
	if err != nil {
		return nil, err
	}
	limit := f.limit()
	out := &ContactPage{Contacts: []Contact{}}
	err = s.run(ctx, a, func(tx *db.Tx) error {
		qb := tx.Table(contactsTable).Select("?", tx.Expr(contactColumns))
		if f.OrganisationID != uuid.Nil {
			if err := organisationExists(tx, f.OrganisationID); err != nil {
				return err
			}
			qb = qb.Where("contacts.organisation_id = ?", f.OrganisationID)
		}
		if q != "" {
			like := "%" + escapeLike(strings.ToLower(q)) + "%"
			qb = qb.Where(`(contacts.sort_key LIKE ? ESCAPE '\' OR lower(contacts.given_name) LIKE ? ESCAPE '\'
				OR lower(contacts.job_function) LIKE ? ESCAPE '\' OR contacts.email_key LIKE ? ESCAPE '\')`, like, like, like, like)
		}
		more, err := keysetPage(tx, qb, contactsTable, "sort_key", f.After, limit, &out.Contacts)
		if err != nil {
			return fmt.Errorf("contacts: list contacts: %w", err)
		}
		out.More = more
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}
