package contacts

import (
	"bytes"
	"context"
	"fmt"

	"github.com/kollab/kollab/internal/db"
	"github.com/kollab/kollab/internal/errs"
	"github.com/kollab/kollab/tenant"
)

// MaxExportEntries bounds an export: organisations plus contacts.
const MaxExportEntries = 50000

// Export is a file of the whole address book.
type Export struct {
	FileName    string
	ContentType string
	Data        []byte
}

// Export writes the whole address book in a format (organisations by
// name, each followed by its contacts by name). An address book of more
// than MaxExportEntries entries is refused (TooLarge).
func (s *Service) Export(ctx context.Context, a tenant.Actor, format Format) (*Export, error) {
	out := &Export{}
	switch format {
	case CSV:
		out.FileName, out.ContentType = "adressen.csv", "text/csv; charset=utf-8"
	case VCard:
		out.FileName, out.ContentType = "adressen.vcf", "text/vcard; charset=utf-8"
	default:
		return nil, errs.InvalidField("format", errs.M("contacts.format-invalid", "Das Format ist csv oder vcard.", "The format is csv or vcard."))
	}
	err := s.run(ctx, a, func(tx *db.Tx) error {
		var orgs []Organisation
		var people []Contact
		if err := tx.Table(organisationsTable).Order("name_key, id").Limit(MaxExportEntries + 1).Scan(&orgs).Error; err != nil {
			return fmt.Errorf("contacts: export organisations: %w", err)
		}
		if len(orgs) > MaxExportEntries {
			return errExportTooLarge()
		}
		if err := tx.Table(contactsTable).Order("sort_key, id").Limit(MaxExportEntries + 1 - len(orgs)).Scan(&people).Error; err != nil {
			return fmt.Errorf("contacts: export contacts: %w", err)
		}
		if len(orgs)+len(people) > MaxExportEntries {
			return errExportTooLarge()
		}
		byOrg := make(map[string][]Contact, len(orgs))
		for _, p := range people {
			byOrg[p.OrganisationID.String()] = append(byOrg[p.OrganisationID.String()], p)
		}
		var b bytes.Buffer
		var err error
		if format == CSV {
			err = writeCSV(&b, orgs, byOrg)
		} else {
			err = writeVCards(&b, orgs, byOrg)
		}
		if err != nil {
			return fmt.Errorf("contacts: write export: %w", err)
		}
		out.Data = b.Bytes()
		return a.Record(ctx, tx, ActionExported, "tenant", a.TenantID, map[string]string{"format": string(format),
			"organisations": fmt.Sprint(len(orgs)), "contacts": fmt.Sprint(len(people))})
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

func errExportTooLarge() error {
	return errs.New(errs.TooLarge, errs.M("contacts.export-too-large", "Das Adressverzeichnis ist zu groß für eine Datei (höchstens %d Einträge).",
		"The address book is too large for one file (at most %d entries).").Format(MaxExportEntries))
}
