package contacts

import (
	"net/mail"
	"net/url"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/kollab/kollab/internal/errs"
	"github.com/kollab/kollab/internal/input"
	"golang.org/x/text/unicode/norm"
)

// Kind is an organisation's kind.
type Kind string

// The kinds of organisation.
const (
	KindAuthority   Kind = "authority"
	KindCompany     Kind = "company"
	KindAssociation Kind = "association"
	KindOther       Kind = "other"
)

// Kinds lists the kinds in the order people meet them.
var Kinds = []Kind{KindAuthority, KindCompany, KindAssociation, KindOther}

// kindLabels are the German names of the kinds (CSV export, accepted on import).
var kindLabels = map[Kind]string{KindAuthority: "Behörde", KindCompany: "Unternehmen", KindAssociation: "Verband", KindOther: "Sonstige"}

// parseKind reads a kind by its key or German name ("" is other).
func parseKind(s string) (Kind, bool) {
	s = strings.ToLower(strings.TrimSpace(s))
	if s == "" {
		return KindOther, true
	}
	for _, k := range Kinds {
		if s == string(k) || s == strings.ToLower(kindLabels[k]) {
			return k, true
		}
	}
	return "", false
}

// OrganisationInput is what a person gives for an organisation.
type OrganisationInput struct {
	Name     string
	Kind     Kind
	Street   string
	Postcode string
	City     string
	Country  string
	Email    string
	Phone    string
	Website  string
	Notes    string
}

// ContactInput is what a person gives for a contact.
type ContactInput struct {
	Salutation string
	Title      string
	GivenName  string
	FamilyName string
	Function   string
	Email      string
	Phone      string
	Notes      string
}

func tooLong(field string, max int) error {
	return errs.InvalidField(field, errs.M("contacts.too-long", "Die Angabe ist zu lang (höchstens %d Zeichen).",
		"The value is too long (at most %d characters).").Format(max))
}

// line checks a one-line value (NFC, trimmed, no control or bidi characters).
func line(field string, s *string, max int) error {
	v, err := input.Name(field, *s)
	if err != nil {
		return err
	}
	if utf8.RuneCountInString(v) > max {
		return tooLong(field, max)
	}
	*s = v
	return nil
}

// text checks free text (line breaks allowed, kept as \n).
func text(field string, s *string, max int) error {
	v := strings.ReplaceAll(strings.ReplaceAll(*s, "\r\n", "\n"), "\r", "\n")
	if err := input.Text(field, v); err != nil {
		return err
	}
	v = input.NFC(strings.TrimSpace(v))
	if utf8.RuneCountInString(v) > max {
		return tooLong(field, max)
	}
	*s = v
	return nil
}

func email(field string, s *string) error {
	if err := line(field, s, 320); err != nil || *s == "" {
		return err
	}
	a, err := mail.ParseAddress(*s)
	if err != nil || a.Address != *s || a.Name != "" {
		return errs.InvalidField(field, errs.M("contacts.email-invalid", "Bitte eine gültige E-Mail-Adresse angeben (name@beispiel.de).", "Please give a valid e-mail address (name@example.org)."))
	}
	return nil
}

func website(field string, s *string) error {
	if err := line(field, s, 2000); err != nil || *s == "" {
		return err
	}
	u, err := url.Parse(*s)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return errs.InvalidField(field, errs.M("contacts.website-invalid", "Bitte eine Webadresse mit http:// oder https:// angeben.", "Please give a web address starting with http:// or https://."))
	}
	return nil
}

func phone(field string, s *string) error {
	if err := line(field, s, 50); err != nil || *s == "" {
		return err
	}
	for _, r := range *s {
		if !unicode.IsDigit(r) && !strings.ContainsRune("+-/() .", r) {
			return errs.InvalidField(field, errs.M("contacts.phone-invalid", "Eine Telefonnummer besteht aus Ziffern, Leerzeichen und + - / ( ).", "A phone number consists of digits, spaces and + - / ( )."))
		}
	}
	return nil
}

// validate checks and normalises the organisation.
func (in *OrganisationInput) validate() error {
	if err := line("name", &in.Name, 300); err != nil {
		return err
	}
	if in.Name == "" {
		return errs.InvalidField("name", errs.M("contacts.name-required", "Bitte den Namen der Organisation angeben.", "Please give the organisation's name."))
	}
	k, ok := parseKind(string(in.Kind))
	if !ok {
		return errs.InvalidField("kind", errs.M("contacts.kind-invalid", "Die Art ist Behörde (authority), Unternehmen (company), Verband (association) oder Sonstige (other).", "The kind is authority, company, association or other."))
	}
	in.Kind = k
	for _, f := range []struct {
		field string
		v     *string
		max   int
	}{{"street", &in.Street, 300}, {"postcode", &in.Postcode, 20}, {"city", &in.City, 200}, {"country", &in.Country, 100}} {
		if err := line(f.field, f.v, f.max); err != nil {
			return err
		}
	}
	if err := email("email", &in.Email); err != nil {
		return err
	}
	if err := phone("phone", &in.Phone); err != nil {
		return err
	}
	if err := website("website", &in.Website); err != nil {
		return err
	}
	return text("notes", &in.Notes, 5000)
}

// validate checks and normalises the contact.
func (in *ContactInput) validate() error {
	for _, f := range []struct {
		field string
		v     *string
		max   int
	}{{"salutation", &in.Salutation, 50}, {"title", &in.Title, 100}, {"given_name", &in.GivenName, 200},
		{"family_name", &in.FamilyName, 200}, {"function", &in.Function, 200}} {
		if err := line(f.field, f.v, f.max); err != nil {
			return err
		}
	}
	if in.GivenName == "" && in.FamilyName == "" {
		return errs.InvalidField("family_name", errs.M("contacts.person-name-required", "Bitte den Vor- oder Nachnamen der Person angeben.", "Please give the person's given or family name."))
	}
	if err := email("email", &in.Email); err != nil {
		return err
	}
	if err := phone("phone", &in.Phone); err != nil {
		return err
	}
	return text("notes", &in.Notes, 5000)
}

// nameKey is a name normalised for duplicate detection: compatibility
// forms folded (NFKC), lower case, punctuation dropped, spaces collapsed.
// "Stadtwerke  Musterstadt GmbH" and "stadtwerke musterstadt gmbh." match.
func nameKey(name string) string {
	s := strings.ToLower(norm.NFKC.String(name))
	var b strings.Builder
	space := false
	for _, r := range s {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			if space && b.Len() > 0 {
				b.WriteByte(' ')
			}
			space = false
			b.WriteRune(r)
		case unicode.IsSpace(r) || r == '-' || r == '/':
			space = true
		}
	}
	out := b.String()
	if out == "" { // a name of punctuation only keeps itself
		out = s
	}
	if r := []rune(out); len(r) > 300 {
		out = string(r[:300])
	}
	return out
}

// emailKey is an address folded for duplicate detection.
func emailKey(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

// sortKey orders contacts by family, then given name.
func sortKey(in *ContactInput) string {
	return strings.ToLower(strings.TrimSpace(in.FamilyName + " " + in.GivenName))
}

// validText reports whether s is a valid one-line text.
func validText(s string) bool { return input.CheckLine(s) == nil }
