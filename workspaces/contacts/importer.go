package contacts

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"unicode/utf8"

	"github.com/google/uuid"
	"github.com/kollab/kollab/internal/db"
	"github.com/kollab/kollab/internal/errs"
	"github.com/kollab/kollab/tenant"
)

// Format is an exchange format of the address book.
type Format string

// The formats: CSV (UTF-8, header row, ";" as German spreadsheets use)
// and vCard 4.0 (RFC 6350).
const (
	CSV   Format = "csv"
	VCard Format = "vcard"
)

// Import bounds: a file of at most MaxImportBytes with at most
// MaxImportRows rows (CSV) or cards (vCard).
const (
	MaxImportBytes = 5 << 20
	MaxImportRows  = 10000
)

// RowStatus is what became of one row of an import.
type RowStatus string

// The row outcomes.
const (
	// RowCreated: the row's organisation and/or contact was created (in a
	// preview: would be).
	RowCreated RowStatus = "created"
	// RowDuplicate: nothing was created; DuplicateOf names the existing
	// organisation or contact (DuplicateKind).
	RowDuplicate RowStatus = "duplicate"
	// RowInvalid: the row was refused; Field and Reason say why.
	RowInvalid RowStatus = "invalid"
)

// RowResult is the outcome of one row. Reason never repeats the row's values.
type RowResult struct {
	// Row is the row's line in the spreadsheet (the header is line 1) or
	// the card's number in a vCard file (from 1).
	Row    int
	Status RowStatus
	// OrganisationID is the organisation the row created or matched (in a
	// preview uuid.Nil when it would be created).
	OrganisationID      uuid.UUID
	OrganisationCreated bool
	// ContactID is the contact created (uuid.Nil when none, and in a preview).
	ContactID     uuid.UUID
	DuplicateOf   uuid.UUID
	DuplicateKind string // "organisation" or "contact"
	Field         string
	Reason        errs.Msg
}

// ImportReport is the outcome of an import: every row's result and the
// sums. Applied is false for a preview (nothing was written).
type ImportReport struct {
	Applied    bool
	Rows       []RowResult
	Created    int
	Duplicates int
	Invalid    int
}

// record is one row of a file: an organisation, with a contact person or not.
type record struct {
	row     int
	org     OrganisationInput
	contact *ContactInput
	// err is a refusal found while reading the row (field, reason).
	err *errs.Error
}

func errFile(msg errs.Msg) error { return errs.InvalidField("file", msg) }

// readLimited reads the whole file, refusing one over MaxImportBytes (413)
// or not in UTF-8 (422). A leading byte order mark is dropped.
func readLimited(r io.Reader) ([]byte, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxImportBytes+1))
	if err != nil {
		return nil, fmt.Errorf("contacts: read import: %w", err)
	}
	if len(data) > MaxImportBytes {
		return nil, errs.New(errs.TooLarge, errs.M("contacts.import-too-large", "Die Datei ist zu groß: höchstens %d MiB auf einmal.",
			"The file is too large: at most %d MiB at a time.").Format(MaxImportBytes>>20))
	}
	data = bytes.TrimPrefix(data, []byte("\uFEFF"))
	if !utf8.Valid(data) {
		return nil, errFile(errs.M("contacts.import-not-utf8", "Die Datei ist nicht in UTF-8 kodiert. Bitte als „CSV UTF-8“ speichern.",
			"The file is not encoded in UTF-8. Please save it as \"CSV UTF-8\"."))
	}
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, errFile(errs.M("contacts.import-empty", "Die Datei ist leer.", "The file is empty."))
	}
	return data, nil
}

func errTooManyRows() error {
	return errFile(errs.M("contacts.import-too-many-rows", "Die Datei hat zu viele Einträge: höchstens %d auf einmal.",
		"The file has too many entries: at most %d at a time.").Format(MaxImportRows))
}

// Import reads a file in the given format and creates its organisations
// and contacts; with apply false it only previews (the same checks,
// nothing written). Every row gets a result; the whole file is refused
// (nothing written) when it cannot be read or is too big.
func (s *Service) Import(ctx context.Context, a tenant.Actor, format Format, r io.Reader, apply bool) (*ImportReport, error) {
	if err := mayUse(a); err != nil {
		return nil, err
	}
	data, err := readLimited(r)
	if err != nil {
		return nil, err
	}
	var recs []record
	switch format {
	case CSV:
		recs, err = parseCSV(data)
	case VCard:
		recs, err = parseVCards(data)
	default:
		err = errs.InvalidField("format", errs.M("contacts.format-invalid", "Das Format ist csv oder vcard.", "The format is csv or vcard."))
	}
	if err != nil {
		return nil, err
	}
	for i := range recs {
		recs[i].validate()
	}
	var rep *ImportReport
	err = s.run(ctx, a, func(tx *db.Tx) error {
		st, err := s.newImportState(tx, a, recs)
		if err != nil {
			return err
		}
		rep = &ImportReport{Applied: apply, Rows: make([]RowResult, 0, len(recs))}
		for i := range recs {
			rep.add(st.row(&recs[i]))
		}
		if !apply {
			rep.hideNew(st.created)
			return nil
		}
		if err := st.insert(tx); err != nil {
			return err
		}
		return a.Record(ctx, tx, ActionImported, "tenant", a.TenantID, map[string]string{"format": string(format),
			"created": fmt.Sprint(rep.Created), "duplicates": fmt.Sprint(rep.Duplicates), "invalid": fmt.Sprint(rep.Invalid)})
	})
	if err != nil {
		return nil, err
	}
	return rep, nil
}

func (rep *ImportReport) add(res RowResult) {
	switch res.Status {
	case RowCreated:
		rep.Created++
	case RowDuplicate:
		rep.Duplicates++
	default:
		rep.Invalid++
	}
	rep.Rows = append(rep.Rows, res)
}

// hideNew blanks the ids a preview made up (nothing was written).
func (rep *ImportReport) hideNew(created map[uuid.UUID]bool) {
	for i := range rep.Rows {
		r := &rep.Rows[i]
		if created[r.OrganisationID] {
			r.OrganisationID = uuid.Nil
		}
		if created[r.DuplicateOf] {
			r.DuplicateOf = uuid.Nil
		}
		r.ContactID = uuid.Nil
	}
}

// validate checks and normalises a row's organisation and contact; a
// refusal becomes the row's err, with the file's name of the field.
func (rec *record) validate() {
	if rec.err != nil {
		return
	}
	if err := rec.org.validate(); err != nil {
		rec.err = fieldError(err, orgFieldNames)
		return
	}
	if rec.contact != nil {
		if err := rec.contact.validate(); err != nil {
			rec.err = fieldError(err, nil)
		}
	}
}

// fieldError is err as an Invalid error, its field renamed by names.
func fieldError(err error, names map[string]string) *errs.Error {
	e := errs.As(err)
	if e == nil || e.Code != errs.Invalid {
		return errs.InvalidField("file", errs.M("contacts.row-invalid", "Die Zeile ist ungültig.", "The row is invalid."))
	}
	if n, ok := names[e.Field]; ok {
		return errs.InvalidField(n, e.Detail)
	}
	return e
}

// orgFieldNames are the file's names of an organisation's fields.
var orgFieldNames = map[string]string{"name": "organisation", "kind": "kind", "street": "street", "postcode": "postcode", "city": "city",
	"country": "country", "email": "organisation_email", "phone": "organisation_phone", "website": "website", "notes": "organisation_notes"}
