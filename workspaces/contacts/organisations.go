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
	"gorm.io/gorm"
)

// Organisation is an external organisation of the address book. Its id
// is stable: guests and consultations name it.
type Organisation struct {
	TenantID  uuid.UUID  `gorm:"column:tenant_id"`
	ID        uuid.UUID  `gorm:"column:id"`
	Name      string     `gorm:"column:name"`
	NameKey   string     `gorm:"column:name_key"`
	Kind      Kind       `gorm:"column:kind"`
	Street    string     `gorm:"column:street"`
	Postcode  string     `gorm:"column:postcode"`
	City      string     `gorm:"column:city"`
	Country   string     `gorm:"column:country"`
	Email     string     `gorm:"column:email"`
	EmailKey  string     `gorm:"column:email_key"`
	Phone     string     `gorm:"column:phone"`
	Website   string     `gorm:"column:website"`
	Notes     string     `gorm:"column:notes"`
	Version   int64      `gorm:"column:version"`
	CreatedAt time.Time  `gorm:"column:created_at"`
	CreatedBy *uuid.UUID `gorm:"column:created_by"`
	UpdatedAt time.Time  `gorm:"column:updated_at"`
	// Contacts is how many contact people it has (lists and reads only).
	Contacts int `gorm:"column:contacts;->"`
}

// OwnerTenant implements db.TenantOwned.
func (o *Organisation) OwnerTenant() uuid.UUID { return o.TenantID }

func (o *Organisation) input() OrganisationInput {
	return OrganisationInput{Name: o.Name, Kind: o.Kind, Street: o.Street, Postcode: o.Postcode, City: o.City, Country: o.Country,
		Email: o.Email, Phone: o.Phone, Website: o.Website, Notes: o.Notes}
}

func (in *OrganisationInput) details() map[string]string {
	return map[string]string{"name": in.Name, "kind": string(in.Kind), "postcode": in.Postcode, "city": in.City}
}

func errOrganisationExists() error {
	return errs.New(errs.Conflict, errs.M("contacts.organisation-exists", "Eine Organisation mit diesem Namen und dieser Postleitzahl gibt es bereits.",
		"An organisation with this name and postcode exists already."))
}

// orgColumns reads an organisation with its number of contacts.
const orgColumns = "organisations.*, (SELECT count(*) FROM contacts c WHERE c.tenant_id = @tenant AND c.organisation_id = organisations.id) AS contacts"

func loadOrganisation(tx *db.Tx, id uuid.UUID) (*Organisation, error) {
	var rows []Organisation
	if err := tx.Table(organisationsTable).Select("?", tx.Expr(orgColumns)).Where("id = ?", id).Limit(1).Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("contacts: load organisation: %w", err)
	}
	if len(rows) == 0 {
		return nil, errNotFound()
	}
	return &rows[0], nil
}

// organisationByKey finds an organisation by normalised name and postcode.
func organisationByKey(tx *db.Tx, key, postcode string) (uuid.UUID, error) {
	var ids []uuid.UUID
	err := tx.Table(organisationsTable).Where("name_key = ? AND postcode = ?", key, postcode).Limit(1).Pluck("id", &ids).Error
	if err != nil || len(ids) == 0 {
		return uuid.Nil, err
	}
	return ids[0], nil
}

// organisationByEmail finds an organisation by its address (folded).
func organisationByEmail(tx *db.Tx, key string) (uuid.UUID, error) {
	if key == "" {
		return uuid.Nil, nil
	}
	var ids []uuid.UUID
	err := tx.Table(organisationsTable).Where("email_key = ? AND email_key <> ''", key).Order("id").Limit(1).Pluck("id", &ids).Error
	if err != nil || len(ids) == 0 {
		return uuid.Nil, err
	}
	return ids[0], nil
}

// newOrganisation is a new row for a validated organisation.
func newOrganisation(a tenant.Actor, in *OrganisationInput, now time.Time) *Organisation {
	return &Organisation{TenantID: a.TenantID, ID: db.NewID(), Name: in.Name, NameKey: nameKey(in.Name), Kind: in.Kind, Street: in.Street,
		Postcode: in.Postcode, City: in.City, Country: in.Country, Email: in.Email, EmailKey: emailKey(in.Email), Phone: in.Phone,
		Website: in.Website, Notes: in.Notes, Version: 1, CreatedAt: now, CreatedBy: creator(a), UpdatedAt: now}
}

// insertOrganisation writes a validated organisation.
func (s *Service) insertOrganisation(tx *db.Tx, a tenant.Actor, in *OrganisationInput) (*Organisation, error) {
	o := newOrganisation(a, in, s.now())
	if err := tx.Create(organisationsTable, o); err != nil {
		if db.IsUniqueViolation(err) {
			return nil, errOrganisationExists()
		}
		return nil, fmt.Errorf("contacts: create organisation: %w", err)
	}
	return o, nil
}

// CreateOrganisation adds an organisation; one with the same normalised
// name and postcode answers Conflict.
func (s *Service) CreateOrganisation(ctx context.Context, a tenant.Actor, in OrganisationInput) (*Organisation, error) {
	if err := in.validate(); err != nil {
		return nil, err
	}
	var out *Organisation
	err := s.run(ctx, a, func(tx *db.Tx) error {
		if id, err := organisationByKey(tx, nameKey(in.Name), in.Postcode); err != nil || id != uuid.Nil {
			if err == nil {
				err = errOrganisationExists()
			}
			return err
		}
		o, err := s.insertOrganisation(tx, a, &in)
		if err != nil {
			return err
		}
		if err := a.Record(ctx, tx, ActionOrganisationCreated, TargetOrganisation, o.ID, in.details()); err != nil {
			return err
		}
		out = o
		return nil
	})
	return out, err
}

// GetOrganisation reads one organisation.
func (s *Service) GetOrganisation(ctx context.Context, a tenant.Actor, id uuid.UUID) (*Organisation, error) {
	var out *Organisation
	err := s.run(ctx, a, func(tx *db.Tx) error {
		var err error
		out, err = loadOrganisation(tx, id)
		return err
	})
	return out, err
}

// UpdateOrganisation replaces an organisation's fields. ifMatch is the
// version the caller last read (required): another answers
// PreconditionFailed.
func (s *Service) UpdateOrganisation(ctx context.Context, a tenant.Actor, id uuid.UUID, ifMatch int64, in OrganisationInput) (*Organisation, error) {
	if err := in.validate(); err != nil {
		return nil, err
	}
	var out *Organisation
	err := s.run(ctx, a, func(tx *db.Tx) error {
		cur, err := loadOrganisation(tx, id)
		if err != nil {
			return err
		}
		if err := checkVersion(ifMatch, cur.Version, true); err != nil {
			return err
		}
		n, err := tx.ExecCount(`UPDATE organisations SET name = ?, name_key = ?, kind = ?, street = ?, postcode = ?, city = ?, country = ?,
			email = ?, email_key = ?, phone = ?, website = ?, notes = ?, version = version + 1, updated_at = ?
			WHERE tenant_id = @tenant AND id = ? AND version = ?`,
			in.Name, nameKey(in.Name), in.Kind, in.Street, in.Postcode, in.City, in.Country, in.Email, emailKey(in.Email), in.Phone,
			in.Website, in.Notes, s.now(), id, cur.Version)
		if db.IsUniqueViolation(err) {
			return errOrganisationExists()
		}
		if err != nil {
			return fmt.Errorf("contacts: update organisation: %w", err)
		}
		if n != 1 {
			return errs.Plain(errs.PreconditionFailed)
		}
		if err := a.Record(ctx, tx, ActionOrganisationUpdated, TargetOrganisation, id, in.details()); err != nil {
			return err
		}
		out, err = loadOrganisation(tx, id)
		return err
	})
	return out, err
}

// checkVersion compares the caller's If-Match with the current version;
// 0 is "any" unless required.
func checkVersion(ifMatch, version int64, required bool) error {
	if ifMatch == 0 && required {
		return errs.InvalidField("If-Match", errs.M("contacts.send-version-last-read", "Bitte die zuletzt gelesene Version mitschicken (If-Match).",
			"Please send the version you last read (If-Match)."))
	}
	if ifMatch != 0 && ifMatch != version {
		return errs.Plain(errs.PreconditionFailed)
	}
	return nil
}

// DeleteOrganisation deletes an organisation and its contacts (ifMatch 0: any version).
func (s *Service) DeleteOrganisation(ctx context.Context, a tenant.Actor, id uuid.UUID, ifMatch int64) error {
	return s.run(ctx, a, func(tx *db.Tx) error {
		cur, err := loadOrganisation(tx, id)
		if err != nil {
			return err
		}
		if err := checkVersion(ifMatch, cur.Version, false); err != nil {
			return err
		}
		// Its guests and pending guest invitations keep going without one
		// (consultations keep the organisation's name, by design).
		if _, err := tx.ExecCount("UPDATE guests SET organisation_id = NULL WHERE tenant_id = @tenant AND organisation_id = ?", id); err != nil {
			return fmt.Errorf("contacts: release guests: %w", err)
		}
		if _, err := tx.ExecCount("UPDATE guest_invitations SET organisation_id = NULL WHERE tenant_id = @tenant AND organisation_id = ?", id); err != nil {
			return fmt.Errorf("contacts: release guest invitations: %w", err)
		}
		if _, err := tx.ExecCount("DELETE FROM contacts WHERE tenant_id = @tenant AND organisation_id = ?", id); err != nil {
			return fmt.Errorf("contacts: delete contacts: %w", err)
		}
		if _, err := tx.ExecCount("DELETE FROM organisations WHERE tenant_id = @tenant AND id = ?", id); err != nil {
			return fmt.Errorf("contacts: delete organisation: %w", err)
		}
		return a.Record(ctx, tx, ActionOrganisationDeleted, TargetOrganisation, id,
			map[string]string{"name": cur.Name, "contacts": fmt.Sprint(cur.Contacts)})
	})
}

// OrganisationFilter narrows the list: Query is part of the name, city,
// postcode or e-mail address; Kind one kind ("" all).
type OrganisationFilter struct {
	Query string
	Kind  Kind
	Page
}

// OrganisationPage is one page of organisations by name; More is true
// when another follows (after the last one).
type OrganisationPage struct {
	Organisations []Organisation
	More          bool
}

// maxQuery bounds the search text (in characters).
const maxQuery = 200

func checkQuery(q string) (string, error) {
	q = strings.TrimSpace(q)
	if len([]rune(q)) > maxQuery || !validText(q) {
		return "", errs.InvalidField("q", errs.M("contacts.search-text-too-long", "Der Suchbegriff darf höchstens 200 Zeichen lang sein.",
			"The search text may be at most 200 characters long."))
	}
	return q, nil
}

// ListOrganisations lists organisations by name, a page at a time.
func (s *Service) ListOrganisations(ctx context.Context, a tenant.Actor, f OrganisationFilter) (*OrganisationPage, error) {
	q, err := checkQuery(f.Query)
	if err != nil {
		return nil, err
	}
	if f.Kind != "" {
		if k, ok := parseKind(string(f.Kind)); !ok || k != f.Kind {
			return nil, errs.InvalidField("kind", errs.M("contacts.kind-invalid", "Die Art ist Behörde (authority), Unternehmen (company), Verband (association) oder Sonstige (other).", "The kind is authority, company, association or other."))
		}
	}
	limit := f.limit()
	out := &OrganisationPage{Organisations: []Organisation{}}
	err = s.run(ctx, a, func(tx *db.Tx) error {
		qb := tx.Table(organisationsTable).Select("?", tx.Expr(orgColumns))
		if q != "" {
			like := "%" + escapeLike(strings.ToLower(q)) + "%"
			key := "%" + escapeLike(nameKey(q)) + "%"
			qb = qb.Where(`(organisations.name_key LIKE ? ESCAPE '\' OR lower(organisations.city) LIKE ? ESCAPE '\'
				OR organisations.postcode LIKE ? ESCAPE '\' OR organisations.email_key LIKE ? ESCAPE '\')`, key, like, like, like)
		}
		if f.Kind != "" {
			qb = qb.Where("organisations.kind = ?", f.Kind)
		}
		more, err := keysetPage(tx, qb, organisationsTable, "name_key", f.After, limit, &out.Organisations)
		if err != nil {
			return fmt.Errorf("contacts: list organisations: %w", err)
		}
		out.More = more
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// keysetPage orders qb by (table.key, table.id), starts after the row
// after when it is set (a cursor whose row is gone is refused), and scans
// one page of at most limit rows into out; it reports whether more follow.
func keysetPage[T any](tx *db.Tx, qb *gorm.DB, table, key string, after uuid.UUID, limit int, out *[]T) (bool, error) {
	if after != uuid.Nil {
		var keys []string
		if err := tx.Table(table).Where("id = ?", after).Limit(1).Pluck(key, &keys).Error; err != nil {
			return false, err
		}
		if len(keys) == 0 {
			return false, errCursor()
		}
		qb = qb.Where("("+table+"."+key+" > ? OR ("+table+"."+key+" = ? AND "+table+".id > ?))", keys[0], keys[0], after)
	}
	if err := qb.Order(table + "." + key + ", " + table + ".id").Limit(limit + 1).Scan(out).Error; err != nil {
		return false, err
	}
	if len(*out) > limit {
		*out = (*out)[:limit]
		return true, nil
	}
	return false, nil
}

// escapeLike escapes the LIKE wildcards of s (with \ as the escape).
func escapeLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, "%", `\%`, "_", `\_`).Replace(s)
}
