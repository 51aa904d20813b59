package contacts

import (
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"strings"

	"github.com/kollab/kollab/internal/errs"
)

// The CSV file: one row per contact person with its organisation's
// columns, and one row per organisation without contacts (the person's
// columns empty). The header names the columns, in German as exported
// ("Organisation", "PLZ", ...) or by their keys ("organisation",
// "postcode", ...), in any order; columns of other names are ignored.
// Cells that a spreadsheet would take for a formula (starting with = + -
// @ or a tab) are exported with a leading apostrophe, which the import
// takes off again.

// column is one column of the CSV file.
type column struct {
	key, header string
	field       func(r *record) *string
	contact     bool
}

func orgCol(key, header string, f func(o *OrganisationInput) *string) column {
	return column{key: key, header: header, field: func(r *record) *string { return f(&r.org) }}
}

func contactCol(key, header string, f func(c *ContactInput) *string) column {
	return column{key: key, header: header, contact: true, field: func(r *record) *string {
		if r.contact == nil {
			r.contact = &ContactInput{}
		}
		return f(r.contact)
	}}
}

var columns = []column{
	orgCol("organisation", "Organisation", func(o *OrganisationInput) *string { return &o.Name }),
	orgCol("kind", "Art", func(o *OrganisationInput) *string { return (*string)(&o.Kind) }),
	orgCol("street", "Straße", func(o *OrganisationInput) *string { return &o.Street }),
	orgCol("postcode", "PLZ", func(o *OrganisationInput) *string { return &o.Postcode }),
	orgCol("city", "Ort", func(o *OrganisationInput) *string { return &o.City }),
	orgCol("country", "Land", func(o *OrganisationInput) *string { return &o.Country }),
	orgCol("organisation_email", "E-Mail (Organisation)", func(o *OrganisationInput) *string { return &o.Email }),
	orgCol("organisation_phone", "Telefon (Organisation)", func(o *OrganisationInput) *string { return &o.Phone }),
	orgCol("website", "Website", func(o *OrganisationInput) *string { return &o.Website }),
	orgCol("organisation_notes", "Notizen (Organisation)", func(o *OrganisationInput) *string { return &o.Notes }),
	contactCol("salutation", "Anrede", func(c *ContactInput) *string { return &c.Salutation }),
	contactCol("title", "Titel", func(c *ContactInput) *string { return &c.Title }),
	contactCol("given_name", "Vorname", func(c *ContactInput) *string { return &c.GivenName }),
	contactCol("family_name", "Nachname", func(c *ContactInput) *string { return &c.FamilyName }),
	contactCol("function", "Funktion", func(c *ContactInput) *string { return &c.Function }),
	contactCol("email", "E-Mail", func(c *ContactInput) *string { return &c.Email }),
	contactCol("phone", "Telefon", func(c *ContactInput) *string { return &c.Phone }),
	contactCol("notes", "Notizen", func(c *ContactInput) *string { return &c.Notes }),
}

// columnByName finds a column by its key or German header (case folded).
func columnByName(name string) int {
	name = strings.ToLower(strings.TrimSpace(name))
	for i, c := range columns {
		if name == c.key || name == strings.ToLower(c.header) {
			return i
		}
	}
	return -1
}

// separator is the header line's separator: ";" unless the line has none
// and has commas.
func separator(data []byte) rune {
	first, _, _ := bytes.Cut(data, []byte("\n"))
	if !bytes.ContainsRune(first, ';') && bytes.ContainsRune(first, ',') {
		return ','
	}
	return ';'
}

// readHeader maps the file's columns to ours (-1: ignored).
func readHeader(r *csv.Reader) ([]int, error) {
	head, err := r.Read()
	if err != nil {
		return nil, errCSV(err)
	}
	idx := make([]int, len(head))
	seen := map[int]bool{}
	for i, h := range head {
		idx[i] = columnByName(h)
		if idx[i] < 0 {
			continue
		}
		if seen[idx[i]] {
			return nil, errFile(errs.M("contacts.csv-column-twice", "Eine Spalte steht zweimal in der Kopfzeile.", "A column appears twice in the header row."))
		}
		seen[idx[i]] = true
	}
	if !seen[0] {
		return nil, errFile(errs.M("contacts.csv-no-organisation-column", "Die Kopfzeile braucht die Spalte „Organisation“.",
			"The header row needs the column \"Organisation\"."))
	}
	return idx, nil
}

func errCSV(err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return errFile(errs.M("contacts.csv-unreadable-line", "Die CSV-Datei ist in Zeile %d nicht lesbar (Anführungszeichen prüfen).",
			"The CSV file cannot be read at line %d (check the quotes).").Format(pe.Line))
	}
	return errFile(errs.M("contacts.csv-unreadable", "Die CSV-Datei ist nicht lesbar.", "The CSV file cannot be read."))
}

// parseCSV reads the rows of a CSV file.
func parseCSV(data []byte) ([]record, error) {
	r := csv.NewReader(bytes.NewReader(data))
	r.Comma = separator(data)
	r.FieldsPerRecord = -1
	idx, err := readHeader(r)
	if err != nil {
		return nil, err
	}
	var out []record
	for {
		cells, err := r.Read()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return nil, errCSV(err)
		}
		line, _ := r.FieldPos(0)
		rec := record{row: line}
		empty := true
		for i, cell := range cells {
			if i >= len(idx) {
				if strings.TrimSpace(cell) != "" {
					rec.err = errs.InvalidField("file", errs.M("contacts.csv-too-many-cells", "Die Zeile hat mehr Zellen als die Kopfzeile.",
						"The row has more cells than the header row."))
				}
				continue
			}
			if idx[i] < 0 || strings.TrimSpace(cell) == "" {
				continue
			}
			empty = false
			*columns[idx[i]].field(&rec) = unguard(cell)
		}
		if empty && rec.err == nil {
			continue
		}
		if len(out) == MaxImportRows {
			return nil, errTooManyRows()
		}
		out = append(out, rec)
	}
}

// guard keeps a spreadsheet from taking a cell for a formula.
func guard(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

// unguard takes guard's apostrophe off again.
func unguard(s string) string {
	if len(s) > 1 && s[0] == '\'' && strings.ContainsRune("=+-@\t\r", rune(s[1])) {
		return s[1:]
	}
	return s
}

// writeCSV writes the header and one row per contact (organisations
// without contacts: one row with the person's columns empty), with a byte
// order mark so that spreadsheets read UTF-8.
func writeCSV(w io.Writer, orgs []Organisation, people map[string][]Contact) error {
	if _, err := io.WriteString(w, "\uFEFF"); err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	cw.Comma = ';'
	cw.UseCRLF = true
	head := make([]string, len(columns))
	for i, c := range columns {
		head[i] = c.header
	}
	if err := cw.Write(head); err != nil {
		return err
	}
	row := make([]string, len(columns))
	for i := range orgs {
		rec := record{org: orgs[i].input()}
		rec.org.Kind = Kind(kindLabels[orgs[i].Kind])
		cs := people[orgs[i].ID.String()]
		for j := 0; j == 0 || j < len(cs); j++ {
			rec.contact = nil
			if j < len(cs) {
				in := cs[j].input()
				rec.contact = &in
			}
			for k, c := range columns {
				row[k] = ""
				if !c.contact || rec.contact != nil {
					row[k] = guard(*c.field(&rec))
				}
			}
			if err := cw.Write(row); err != nil {
				return err
			}
		}
	}
	cw.Flush()
	return cw.Error()
}
