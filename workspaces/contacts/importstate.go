package contacts

import (
	"fmt"
	"slices"
	"time"

	"github.com/google/uuid"
	"github.com/kollab/kollab/internal/db"
	"github.com/kollab/kollab/tenant"
)

// importState is what an import knows while it goes through the rows:
// the keys of the organisations and contacts that exist (read in a few
// queries up front) and of those the file adds (kept in memory and
// written in batches at the end), so that a row is checked against the
// rows before it as well as against the address book.
type importState struct {
	a              tenant.Actor
	now            time.Time
	orgByKey       map[string]uuid.UUID // name_key + "\\x00" + postcode
	orgByEmail     map[string]uuid.UUID
	contactByEmail map[string]uuid.UUID
	orgs           []Organisation
	people         []Contact
	created        map[uuid.UUID]bool
}

// keyChunk is how many keys one look-up query names.
const keyChunk = 500

func orgKey(name, postcode string) string { return nameKey(name) + "\x00" + postcode }

// newImportState reads the keys the valid rows name.
func (s *Service) newImportState(tx *db.Tx, a tenant.Actor, recs []record) (*importState, error) {
	st := &importState{a: a, now: s.now(), orgByKey: map[string]uuid.UUID{}, orgByEmail: map[string]uuid.UUID{},
		contactByEmail: map[string]uuid.UUID{}, created: map[uuid.UUID]bool{}}
	var names, orgEmails, emails []string
	for i := range recs {
		r := &recs[i]
		if r.err != nil {
			continue
		}
		names = append(names, nameKey(r.org.Name))
		if k := emailKey(r.org.Email); k != "" {
			orgEmails = append(orgEmails, k)
		}
		if r.contact != nil && r.contact.Email != "" {
			emails = append(emails, emailKey(r.contact.Email))
		}
	}
	type keyRow struct {
		ID       uuid.UUID `gorm:"column:id"`
		NameKey  string    `gorm:"column:name_key"`
		Postcode string    `gorm:"column:postcode"`
		EmailKey string    `gorm:"column:email_key"`
	}
	look := func(table, column string, keys []string, put func(keyRow)) error {
		slices.Sort(keys)
		keys = slices.Compact(keys)
		for len(keys) > 0 {
			n := min(len(keys), keyChunk)
			var rows []keyRow
			q := tx.Table(table).Where(column+" IN ?", keys[:n]).Order("id")
			if column == "email_key" { // the partial index's condition
				q = q.Where("email_key <> ''")
			}
			if table == organisationsTable {
				q = q.Select("id, name_key, postcode, email_key")
			} else {
				q = q.Select("id, email_key")
			}
			if err := q.Scan(&rows).Error; err != nil {
				return fmt.Errorf("contacts: import look-up: %w", err)
			}
			for _, r := range rows {
				put(r)
			}
			keys = keys[n:]
		}
		return nil
	}
	putFirst := func(m map[string]uuid.UUID, k string, id uuid.UUID) {
		if _, ok := m[k]; !ok && k != "" {
			m[k] = id
		}
	}
	err := look(organisationsTable, "name_key", names, func(r keyRow) { st.orgByKey[r.NameKey+"\x00"+r.Postcode] = r.ID })
	if err == nil {
		err = look(organisationsTable, "email_key", orgEmails, func(r keyRow) { putFirst(st.orgByEmail, r.EmailKey, r.ID) })
	}
	if err == nil {
		err = look(contactsTable, "email_key", emails, func(r keyRow) { st.contactByEmail[r.EmailKey] = r.ID })
	}
	return st, err
}

// row decides what becomes of one row, adding what it creates to the state.
func (st *importState) row(rec *record) RowResult {
	if rec.err != nil {
		return RowResult{Row: rec.row, Status: RowInvalid, Field: rec.err.Field, Reason: rec.err.Detail}
	}
	if rec.contact != nil {
		if dup, ok := st.contactByEmail[emailKey(rec.contact.Email)]; ok {
			return RowResult{Row: rec.row, Status: RowDuplicate, DuplicateOf: dup, DuplicateKind: TargetContact}
		}
	}
	res := RowResult{Row: rec.row, Status: RowCreated}
	orgID, ok := st.orgByKey[orgKey(rec.org.Name, rec.org.Postcode)]
	if !ok {
		orgID, ok = st.orgByEmail[emailKey(rec.org.Email)]
	}
	switch {
	case ok && rec.contact == nil:
		return RowResult{Row: rec.row, Status: RowDuplicate, DuplicateOf: orgID, DuplicateKind: TargetOrganisation}
	case !ok:
		o := newOrganisation(st.a, &rec.org, st.now)
		st.orgs = append(st.orgs, *o)
		st.orgByKey[orgKey(o.Name, o.Postcode)] = o.ID
		if o.EmailKey != "" {
			st.orgByEmail[o.EmailKey] = o.ID
		}
		orgID, res.OrganisationCreated, st.created[o.ID] = o.ID, true, true
	}
	res.OrganisationID = orgID
	if rec.contact != nil {
		c := newContact(st.a, orgID, rec.contact, st.now)
		st.people = append(st.people, *c)
		if c.EmailKey != "" {
			st.contactByEmail[c.EmailKey] = c.ID
		}
		res.ContactID = c.ID
	}
	return res
}

// batch sizes of the inserts (bound by the parameters a statement may have).
const insertBatch = 200

type orgBatch []Organisation

func (b *orgBatch) OwnerTenant() uuid.UUID {
	return batchTenant(len(*b), func(i int) uuid.UUID { return (*b)[i].TenantID })
}

type contactBatch []Contact

func (b *contactBatch) OwnerTenant() uuid.UUID {
	return batchTenant(len(*b), func(i int) uuid.UUID { return (*b)[i].TenantID })
}

// batchTenant is the one tenant of a batch's rows (uuid.Nil when they differ).
func batchTenant(n int, tenantOf func(int) uuid.UUID) uuid.UUID {
	if n == 0 {
		return uuid.Nil
	}
	t := tenantOf(0)
	for i := 1; i < n; i++ {
		if tenantOf(i) != t {
			return uuid.Nil
		}
	}
	return t
}

// insert writes what the rows created: organisations first, in batches.
func (st *importState) insert(tx *db.Tx) error {
	for orgs := st.orgs; len(orgs) > 0; {
		n := min(len(orgs), insertBatch)
		b := orgBatch(orgs[:n])
		if err := tx.Create(organisationsTable, &b); err != nil {
			return createError(err, errOrganisationExists)
		}
		orgs = orgs[n:]
	}
	for people := st.people; len(people) > 0; {
		n := min(len(people), insertBatch)
		b := contactBatch(people[:n])
		if err := tx.Create(contactsTable, &b); err != nil {
			return createError(err, errContactExists)
		}
		people = people[n:]
	}
	return nil
}

// createError is a unique violation (an import running at the same
// time) as conflict, anything else as it is.
func createError(err error, conflict func() error) error {
	if db.IsUniqueViolation(err) {
		return conflict()
	}
	return fmt.Errorf("contacts: import: %w", err)
}
